/* test_device_cache.c - the per-device property cache (skinny_devcache.c)
 * driven by a fake device query from many threads: each device is queried
 * exactly once however many threads ask at the same time, every caller gets
 * that device's own properties (device key included), a failing query is
 * retried and not cached, and bad ordinals are refused without calling the
 * query. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "skinny_internal.h"

enum { DEVICES = 8, THREADS = 16, CALLS = 2000 };

typedef struct fake_runtime {
    atomic_int queries[SKINNY_MAX_DEVICES];
    atomic_int fail_left[SKINNY_MAX_DEVICES]; /* fail this many times first */
} fake_runtime;

static skinny_status fake_query(int dev, skinny_device_info *out, void *ctx)
{
    fake_runtime *rt = ctx;
    atomic_fetch_add(&rt->queries[dev], 1);
    /* Widen the window in which other threads see the slot not ready. */
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    if (atomic_load(&rt->fail_left[dev]) > 0) {
        atomic_fetch_sub(&rt->fail_left[dev], 1);
        return SKINNY_ERR_DEVICE;
    }
    out->cu_count = 100 + dev;
    out->wave_size = dev % 2 ? 32 : 64;
    out->lds_bytes = (size_t)(64 + dev) * 1024;
    snprintf(out->device_key, sizeof out->device_key, "fake_gpu_%d", dev);
    return SKINNY_OK;
}

typedef struct worker {
    skinny_devcache *cache;
    fake_runtime *rt;
    int id, errors;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < CALLS; i++) {
        const int dev = (w->id + i) % DEVICES;
        skinny_device_info info;
        char key[SKINNY_DEVICE_KEY_SIZE];
        snprintf(key, sizeof key, "fake_gpu_%d", dev);
        if (skinny_devcache_get(w->cache, dev, fake_query, w->rt, &info) != SKINNY_OK ||
            info.cu_count != 100 + dev || info.wave_size != (dev % 2 ? 32 : 64) ||
            info.lds_bytes != (size_t)(64 + dev) * 1024 || strcmp(info.device_key, key) != 0)
            w->errors++;
    }
    return NULL;
}

static void test_one_query_per_device_many_threads(void **state)
{
    (void)state;
    static skinny_devcache cache = SKINNY_DEVCACHE_INIT;
    static fake_runtime rt;
    pthread_t t[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){&cache, &rt, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(w[i].errors, 0);
    }
    for (int d = 0; d < DEVICES; d++) assert_int_equal(atomic_load(&rt.queries[d]), 1);
    for (int d = DEVICES; d < SKINNY_MAX_DEVICES; d++) assert_int_equal(atomic_load(&rt.queries[d]), 0);
}

static void test_failure_is_not_cached(void **state)
{
    (void)state;
    static skinny_devcache cache = SKINNY_DEVCACHE_INIT;
    static fake_runtime rt;
    atomic_store(&rt.fail_left[3], 2);
    skinny_device_info info;
    memset(&info, 0x33, sizeof info);
    const skinny_device_info before = info;
    assert_int_equal(skinny_devcache_get(&cache, 3, fake_query, &rt, &info), SKINNY_ERR_DEVICE);
    assert_memory_equal(&info, &before, sizeof info); /* untouched on error */
    assert_int_equal(skinny_devcache_get(&cache, 3, fake_query, &rt, &info), SKINNY_ERR_DEVICE);
    assert_int_equal(skinny_devcache_get(&cache, 3, fake_query, &rt, &info), SKINNY_OK);
    assert_int_equal(info.cu_count, 103);
    assert_int_equal(skinny_devcache_get(&cache, 3, fake_query, &rt, &info), SKINNY_OK);
    assert_int_equal(atomic_load(&rt.queries[3]), 3);
}

static skinny_status zero_query(int dev, skinny_device_info *out, void *ctx)
{
    (void)ctx;
    out->cu_count = dev == 0 ? 0 : 4;   /* device 0: no CUs */
    out->wave_size = dev == 1 ? 0 : 32; /* device 1: no wave size */
    out->lds_bytes = dev == 2 ? 0 : 1024; /* device 2: no LDS */
    return SKINNY_OK;
}

static void test_bad_ordinals_and_properties(void **state)
{
    (void)state;
    static skinny_devcache cache = SKINNY_DEVCACHE_INIT;
    static fake_runtime rt;
    skinny_device_info info;
    const int bad[] = {-1, -1000, SKINNY_MAX_DEVICES, SKINNY_MAX_DEVICES + 1, 1 << 30};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(skinny_devcache_get(&cache, bad[i], fake_query, &rt, &info),
                         SKINNY_ERR_DEVICE);
    for (int d = 0; d < SKINNY_MAX_DEVICES; d++) assert_int_equal(atomic_load(&rt.queries[d]), 0);
    assert_int_equal(skinny_devcache_get(&cache, 0, fake_query, &rt, NULL), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_devcache_get(&cache, 0, NULL, &rt, &info), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_devcache_get(NULL, 0, fake_query, &rt, &info), SKINNY_ERR_NULL_POINTER);
    /* A query reporting nonsense properties is a device error. */
    static skinny_devcache cache2 = SKINNY_DEVCACHE_INIT;
    for (int d = 0; d < 3; d++)
        assert_int_equal(skinny_devcache_get(&cache2, d, zero_query, NULL, &info), SKINNY_ERR_DEVICE);
    assert_int_equal(skinny_devcache_get(&cache2, 3, zero_query, NULL, &info), SKINNY_OK);
}

/* A query that fills device_key without a terminating NUL: the cache
 * keeps a C string (the dispatcher compares it with strncmp, callers may
 * print it). */
static skinny_status unterminated_key_query(int dev, skinny_device_info *out, void *ctx)
{
    (void)dev;
    (void)ctx;
    out->cu_count = 4;
    out->wave_size = 32;
    out->lds_bytes = 1024;
    memset(out->device_key, 'x', sizeof out->device_key);
    return SKINNY_OK;
}

static void test_device_key_always_terminated(void **state)
{
    (void)state;
    static skinny_devcache cache = SKINNY_DEVCACHE_INIT;
    skinny_device_info info;
    assert_int_equal(skinny_devcache_get(&cache, 0, unterminated_key_query, NULL, &info), SKINNY_OK);
    assert_int_equal(strlen(info.device_key), SKINNY_DEVICE_KEY_SIZE - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_query_per_device_many_threads),
        cmocka_unit_test(test_failure_is_not_cached),
        cmocka_unit_test(test_bad_ordinals_and_properties),
        cmocka_unit_test(test_device_key_always_terminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
