/* gpu_harness.c - see gpu_harness.h. */
#define _POSIX_C_SOURCE 200809L
#include "gpu_harness.h"

#include <string.h>
#include <unistd.h>

#include "halfconv.h"

int gpu_available(void)
{
    int count = 0;
    skinny_rt_error err = skinny_rt_get_device_count(&count);
    if (err == SKINNY_RT_SUCCESS && count > 0) return 1;
    const char *why = err != SKINNY_RT_SUCCESS ? skinny_rt_error_string(err) : "0 devices";
    const char *req = getenv("SKINNY_REQUIRE_GPU");
    const int node = access("/dev/nvidia0", F_OK) == 0 || access("/dev/kfd", F_OK) == 0;
    if ((req && strcmp(req, "1") == 0) || node) {
        fprintf(stderr, "FAIL: %s reports no usable GPU (%s) but %s\n", SKINNY_RT_NAME, why,
                node ? "a GPU device node exists" : "SKINNY_REQUIRE_GPU=1");
        exit(1);
    }
    printf("SKIP: no GPU on this machine (%s: %s); the gpu suite needs one\n", SKINNY_RT_NAME, why);
    return 0;
}

uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

float rng_uniform(rng *r) { return (float)((int64_t)(rng_next(r) >> 40) - (1 << 23)) / (float)(1 << 23); }

void fill_random(uint16_t *dst, size_t n, skinny_dtype dtype, rng *r)
{
    for (size_t i = 0; i < n; i++) {
        const float v = rng_uniform(r);
        dst[i] = dtype == SKINNY_BF16 ? hc_f32_to_bf16(v) : hc_f32_to_f16(v);
    }
}

double elem_to_double(uint16_t bits, skinny_dtype dtype)
{
    return dtype == SKINNY_BF16 ? (double)hc_bf16_to_f32(bits) : (double)hc_f16_to_f32(bits);
}

void dbuf_alloc(dbuf *b, size_t n, size_t guard)
{
    /* Guards are a multiple of 8 elements so base stays 16-byte aligned. */
    guard = (guard + 7) / 8 * 8;
    b->n = n;
    b->guard = guard;
    RT_CHECK(skinny_rt_malloc((void **)&b->alloc, (n + 2 * guard) * sizeof(uint16_t)));
    b->base = b->alloc + guard;
}

void dbuf_free(dbuf *b)
{
    if (b->alloc) RT_CHECK(skinny_rt_free(b->alloc));
    memset(b, 0, sizeof *b);
}

void dbuf_upload(dbuf *b, const uint16_t *src)
{
    RT_CHECK(skinny_rt_memset(b->alloc, 0xff, (b->n + 2 * b->guard) * sizeof(uint16_t)));
    if (src) RT_CHECK(skinny_rt_memcpy(b->base, src, b->n * sizeof(uint16_t), SKINNY_RT_H2D));
}

void dbuf_download_all(const dbuf *b, uint16_t *host)
{
    RT_CHECK(skinny_rt_memcpy(host, b->alloc, (b->n + 2 * b->guard) * sizeof(uint16_t),
                              SKINNY_RT_D2H));
}

/* Does `name` contain one of the comma-separated substrings of `list`? */
int name_selected(const char *name, const char *list)
{
    char part[128];
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len > 0 && len < sizeof part) {
            memcpy(part, p, len);
            part[len] = 0;
            if (strstr(name, part)) return 1;
        }
        p += len;
        if (*p == ',') p++;
    }
    return 0;
}
