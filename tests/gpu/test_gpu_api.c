/* test_gpu_api.c - the dispatcher's refusals on a real device: each bad
 * call returns its status and leaves y bit-for-bit unchanged; and a call
 * captured into a graph (stream capture) replays correctly. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gpu_harness.h"
#include "skinny_row.h"

enum { N = 4, M = 96, K = 256 };

typedef struct fixture {
    dbuf w, x, y;
    uint16_t before[N * M], after[N * M];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rng r = {42};
    uint16_t *h = malloc((size_t)M * K * sizeof *h);
    fill_random(h, (size_t)M * K, SKINNY_BF16, &r);
    dbuf_alloc(&f->w, (size_t)M * K + 8, 0);
    dbuf_upload(&f->w, NULL);
    RT_CHECK(skinny_rt_memcpy(f->w.base, h, (size_t)M * K * 2, SKINNY_RT_H2D));
    fill_random(h, (size_t)N * K, SKINNY_BF16, &r);
    dbuf_alloc(&f->x, (size_t)N * K + 8, 0);
    dbuf_upload(&f->x, NULL);
    RT_CHECK(skinny_rt_memcpy(f->x.base, h, (size_t)N * K * 2, SKINNY_RT_H2D));
    /* y holds random data, not poison: "unchanged" must mean unchanged. */
    fill_random(f->before, (size_t)N * M, SKINNY_BF16, &r);
    dbuf_alloc(&f->y, (size_t)N * M + 8, 0);
    dbuf_upload(&f->y, NULL);
    RT_CHECK(skinny_rt_memcpy(f->y.base, f->before, sizeof f->before, SKINNY_RT_H2D));
    free(h);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dbuf_free(&f->w);
    dbuf_free(&f->x);
    dbuf_free(&f->y);
    free(f);
    return 0;
}

static skinny_gemm_desc good(fixture *f)
{
    skinny_gemm_desc d = {SKINNY_BF16, N, M, K, f->w.base, 0, f->x.base, 0, f->y.base, 0,
                          SKINNY_BIAS_NONE, NULL, 0, 0, 0, 0, NULL, NULL, NULL};
    return d;
}

static void expect_refused(fixture *f, const skinny_gemm_desc *d, skinny_status want)
{
    assert_int_equal(skinny_gemm(d, NULL), want);
    RT_CHECK(skinny_rt_device_synchronize());
    RT_CHECK(skinny_rt_memcpy(f->after, f->y.base, sizeof f->after, SKINNY_RT_D2H));
    assert_memory_equal(f->before, f->after, sizeof f->before);
}

static void unsupported_n(void **state)
{
    fixture *f = *state;
    skinny_gemm_desc d = good(f);
    d.n = 63; /* no row of the table serves N = 63 */
    const skinny_row *first;
    assert_int_equal(skinny_rows_for(63, 32, &first) + skinny_rows_for(63, 64, &first), 0);
    expect_refused(f, &d, SKINNY_ERR_UNSUPPORTED_N);
}

static void unsupported_dtype(void **state)
{
    fixture *f = *state;
    skinny_gemm_desc d = good(f);
    d.dtype = (skinny_dtype)7;
    expect_refused(f, &d, SKINNY_ERR_BAD_DTYPE);
}

static void k_not_multiple_of_8(void **state)
{
    fixture *f = *state;
    skinny_gemm_desc d = good(f);
    d.k = K - 4;
    expect_refused(f, &d, SKINNY_ERR_K_NOT_MULTIPLE_OF_8);
}

static void misaligned_pointers(void **state)
{
    fixture *f = *state;
    skinny_gemm_desc d = good(f);
    d.w = f->w.base + 1;
    expect_refused(f, &d, SKINNY_ERR_MISALIGNED);
    d = good(f);
    d.x = f->x.base + 4;
    expect_refused(f, &d, SKINNY_ERR_MISALIGNED);
    d = good(f);
    d.y = (char *)f->y.base + 1; /* odd address */
    expect_refused(f, &d, SKINNY_ERR_MISALIGNED);
}

static void other_wave_row(void **state)
{
    fixture *f = *state;
    skinny_device_info dev;
    assert_int_equal(skinny_device_query(&dev), SKINNY_OK);
    const int other = dev.wave_size == 32 ? 64 : 32;
    const skinny_row *first;
    if (!skinny_rows_for(N, other, &first)) skip();
    skinny_gemm_desc d = good(f);
    assert_int_equal(skinny_gemm_named(&d, first->name, NULL, NULL), SKINNY_ERR_UNSUPPORTED_WAVE);
    RT_CHECK(skinny_rt_device_synchronize());
    RT_CHECK(skinny_rt_memcpy(f->after, f->y.base, sizeof f->after, SKINNY_RT_D2H));
    assert_memory_equal(f->before, f->after, sizeof f->before);
}

/* (No destroyed-stream case: querying a destroyed stream handle is
 * undefined in CUDA and crashed the driver on the H200 - documented in
 * skinny.h as the caller's contract. The status mapping is CPU-tested.) */

static void bad_device_ordinal(void **state)
{
    (void)state;
    int count = 0;
    RT_CHECK(skinny_rt_get_device_count(&count));
    skinny_device_info info;
    assert_int_equal(skinny_device_query_for(count, &info), SKINNY_ERR_DEVICE);
    assert_int_equal(skinny_device_query_for(-1, &info), SKINNY_ERR_DEVICE);
    assert_int_equal(skinny_device_query_for(0, &info), SKINNY_OK);
    assert_true(info.cu_count > 0 && info.lds_bytes > 0);
}

/* The device query keys the device by its name, as skinny-bench keys the
 * rules it measures there. */
static void device_key_of_name(void **state)
{
    (void)state;
    skinny_rt_device_prop prop;
    RT_CHECK(skinny_rt_get_device_properties(&prop, 0));
    char key[SKINNY_DEVICE_KEY_SIZE];
    skinny_device_key(prop.name, key);
    skinny_device_info info;
    assert_int_equal(skinny_device_query_for(0, &info), SKINNY_OK);
    assert_true(info.device_key[0] != '\0');
    assert_string_equal(info.device_key, key);
}

/* A shape measured slower than BLAS on this device (a "none" cell of
 * specs/dispatch.def under its device key): SKINNY_ERR_NO_FAST_PATH from
 * skinny_supported_on and skinny_gemm, y untouched. */
static void measured_no_fast_path(void **state)
{
    fixture *f = *state;
    skinny_device_info dev;
    assert_int_equal(skinny_device_query(&dev), SKINNY_OK);
    const skinny_measured *none = NULL;
    for (size_t i = 0; i < skinny_measured_count && !none; i++)
        if (!skinny_measured_cells[i].row && skinny_measured_cells[i].wave == dev.wave_size &&
            strcmp(skinny_measured_cells[i].device, dev.device_key) == 0 &&
            skinny_measured_cells[i].m * skinny_measured_cells[i].k <= ((int64_t)1 << 26))
            none = &skinny_measured_cells[i];
    if (!none) skip(); /* no measured rules for this backend/device */
    const int64_t m = none->m, k = none->k, n = none->n;
    dbuf w, x, y;
    dbuf_alloc(&w, (size_t)(m * k), 0);
    dbuf_upload(&w, NULL);
    dbuf_alloc(&x, (size_t)(n * k), 0);
    dbuf_upload(&x, NULL);
    dbuf_alloc(&y, (size_t)(n * m), 0);
    dbuf_upload(&y, NULL);
    (void)f;
    skinny_gemm_desc d = {(skinny_dtype)none->dtype, n, m, k, w.base, 0, x.base, 0, y.base, 0,
                          SKINNY_BIAS_NONE, NULL, 0, 0, 0, 0, NULL, NULL, NULL};
    assert_int_equal(skinny_supported_on(d.dtype, n, m, k, &dev), SKINNY_ERR_NO_FAST_PATH);
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_NO_FAST_PATH);
    RT_CHECK(skinny_rt_device_synchronize());
    uint16_t *h = malloc((size_t)(n * m) * 2);
    RT_CHECK(skinny_rt_memcpy(h, y.base, (size_t)(n * m) * 2, SKINNY_RT_D2H));
    for (int64_t i = 0; i < n * m; i++) assert_int_equal(h[i], POISON16);
    free(h);
    dbuf_free(&w);
    dbuf_free(&x);
    dbuf_free(&y);
}

/* The control: the same descriptor, unmodified, does launch and write
 * (through a named row: measured rules may send this tiny shape to BLAS). */
static void good_call_writes(void **state)
{
    fixture *f = *state;
    skinny_gemm_desc d = good(f);
    skinny_device_info dev;
    assert_int_equal(skinny_device_query(&dev), SKINNY_OK);
    const skinny_row *first;
    assert_true(skinny_rows_for(N, dev.wave_size, &first) > 0);
    assert_int_equal(skinny_gemm_named(&d, first->name, NULL, NULL), SKINNY_OK);
    RT_CHECK(skinny_rt_device_synchronize());
    RT_CHECK(skinny_rt_memcpy(f->after, f->y.base, sizeof f->after, SKINNY_RT_D2H));
    assert_memory_not_equal(f->before, f->after, sizeof f->before);
}

/* Graph replay check: y (guards around it) against a double reference of
 * x W^T + bias, with the bounds of test_gpu_gemm.c (per element eps * sqrt(K)
 * + 1 % of |ref|, and NaN poison never passes). */
static void check_replay(const dbuf *dy, const uint16_t *hw, const uint16_t *hx, const uint16_t *hb,
                         int64_t n_rows, int64_t m_cols, int64_t k, int replay)
{
    const skinny_dtype t = SKINNY_BF16;
    const size_t all = dy->n + 2 * dy->guard;
    uint16_t *hy = malloc(all * sizeof *hy);
    assert_non_null(hy);
    dbuf_download_all(dy, hy);
    for (size_t i = 0; i < dy->guard; i++)
        if (hy[i] != POISON16 || hy[all - 1 - i] != POISON16)
            fail_msg("replay %d: a guard of y was overwritten", replay);
    const uint16_t *y = hy + dy->guard;
    const double slack = 0x1p-7 * sqrt((double)k);
    for (int64_t n = 0; n < n_rows; n++)
        for (int64_t m = 0; m < m_cols; m++) {
            double ref = elem_to_double(hb[m], t);
            for (int64_t i = 0; i < k; i++)
                ref += elem_to_double(hw[m * k + i], t) * elem_to_double(hx[n * k + i], t);
            const double out = elem_to_double(y[n * m_cols + m], t);
            if (!(fabs(out - ref) <= slack + 1e-2 * fabs(ref)))
                fail_msg("replay %d: y[%lld][%lld] = %.6g, reference %.6g", replay, (long long)n,
                         (long long)m, out, ref);
        }
    free(hy);
}

/* skinny_gemm on a stream being captured into a graph (global capture mode,
 * so any call of the launch path that is illegal during capture, such as a
 * stream query, invalidates the capture and fails here), then the graph
 * replayed twice; between the replays new x is copied into the same buffer,
 * and y is poisoned before each. Each replay must match the reference of
 * the x it saw: the graph holds the call, reading x through its pointer. */
static void graph_capture_replay(void **state)
{
    (void)state;
    enum { GN = 4, GM = 300, GK = 512 };
    const skinny_dtype t = SKINNY_BF16;
    skinny_device_info dev;
    assert_int_equal(skinny_device_query(&dev), SKINNY_OK);
    rng r = {2024};
    uint16_t *hw = malloc((size_t)GM * GK * 2), *hx = malloc((size_t)GN * GK * 2), *hb = malloc((size_t)GM * 2);
    assert_true(hw && hx && hb);
    fill_random(hw, (size_t)GM * GK, t, &r);
    fill_random(hx, (size_t)GN * GK, t, &r);
    fill_random(hb, GM, t, &r);
    dbuf dw, dx, db, dy;
    dbuf_alloc(&dw, (size_t)GM * GK, 0);
    dbuf_upload(&dw, hw);
    dbuf_alloc(&dx, (size_t)GN * GK, 0);
    dbuf_upload(&dx, hx);
    dbuf_alloc(&db, GM, 0);
    dbuf_upload(&db, hb);
    dbuf_alloc(&dy, (size_t)GN * GM, 64);
    skinny_gemm_desc d = {t, GN, GM, GK, dw.base, 0, dx.base, 0, dy.base, 0, SKINNY_BIAS_M, db.base, 0, 0, 0, 0, NULL, NULL, NULL};
    /* Measured rules may send this small shape to BLAS; then the first row
     * for N is named (skinny_gemm is skinny_gemm_named with no name: the
     * same launch path). */
    const char *kernel = NULL;
    if (skinny_supported_on(t, GN, GM, GK, &dev) != SKINNY_OK) {
        const skinny_row *first;
        assert_true(skinny_rows_for(GN, dev.wave_size, &first) > 0);
        kernel = first->name;
    }

    skinny_rt_stream s;
    RT_CHECK(skinny_rt_stream_create(&s));
    RT_CHECK(skinny_rt_stream_begin_capture(s));
    const skinny_status st = kernel ? skinny_gemm_named(&d, kernel, s, NULL) : skinny_gemm(&d, s);
    skinny_rt_graph graph = NULL;
    const skinny_rt_error end = skinny_rt_stream_end_capture(s, &graph);
    if (end != SKINNY_RT_SUCCESS)
        fail_msg("capture failed (%s): the launch path made a call illegal during capture",
                 skinny_rt_error_string(end));
    if (st != SKINNY_OK) fail_msg("skinny_gemm under capture: %s", skinny_status_string(st));
    skinny_rt_graph_exec exec;
    RT_CHECK(skinny_rt_graph_instantiate(&exec, graph));
    for (int replay = 0; replay < 2; replay++) {
        if (replay) { /* fresh x, same buffer */
            fill_random(hx, (size_t)GN * GK, t, &r);
            RT_CHECK(skinny_rt_memcpy(dx.base, hx, (size_t)GN * GK * 2, SKINNY_RT_H2D));
        }
        dbuf_upload(&dy, NULL); /* all poison: the replay must write every element */
        RT_CHECK(skinny_rt_graph_launch(exec, s));
        RT_CHECK(skinny_rt_stream_synchronize(s));
        RT_CHECK(skinny_rt_get_last_error());
        check_replay(&dy, hw, hx, hb, GN, GM, GK, replay);
    }
    RT_CHECK(skinny_rt_graph_exec_destroy(exec));
    RT_CHECK(skinny_rt_graph_destroy(graph));
    RT_CHECK(skinny_rt_stream_destroy(s));
    dbuf_free(&dw);
    dbuf_free(&dx);
    dbuf_free(&db);
    dbuf_free(&dy);
    free(hw);
    free(hx);
    free(hb);
}

int main(void)
{
    if (!gpu_available()) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(unsupported_n, setup, teardown),
        cmocka_unit_test_setup_teardown(unsupported_dtype, setup, teardown),
        cmocka_unit_test_setup_teardown(k_not_multiple_of_8, setup, teardown),
        cmocka_unit_test_setup_teardown(misaligned_pointers, setup, teardown),
        cmocka_unit_test_setup_teardown(other_wave_row, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_device_ordinal, setup, teardown),
        cmocka_unit_test_setup_teardown(device_key_of_name, setup, teardown),
        cmocka_unit_test_setup_teardown(measured_no_fast_path, setup, teardown),
        cmocka_unit_test_setup_teardown(good_call_writes, setup, teardown),
        cmocka_unit_test(graph_capture_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
