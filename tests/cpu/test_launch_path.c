/* test_launch_path.c - the statuses only a device can produce, on the CPU:
 * the runtime's launch path (skinny_gemm.c, skinny_device.c) is compiled for
 * the CUDA backend and linked against a fake CUDA runtime (below) and fake
 * kernel launchers made from specs/tiles.def itself (the table is an X-macro
 * list). Each refusal must leave y untouched and launch nothing:
 *   SKINNY_ERR_BAD_STREAM   - the runtime rejects the stream handle;
 *   (and SKINNY_OK without a stream query on a stream being captured into
 *   a graph, where the query is illegal);
 *   SKINNY_ERR_LAUNCH       - the launcher reports a failed launch;
 *   SKINNY_ERR_NO_FAST_PATH - a shape measured slower than BLAS on this
 *                             device (a `none` cell of specs/dispatch.def
 *                             keyed by the fake device's name);
 *   SKINNY_ERR_DEVICE       - no usable device;
 *   SKINNY_ERR_FP8_FORMAT_UNSUPPORTED - gfx940 fnuz e4m3 in a CUDA build.
 * The device query also keys the device by its name, so only its own
 * measured cells apply (built with testdata/rules-by-device.def: the
 * launch-path-rules test).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cuda_runtime_api.h>

#include "skinny_row.h"

/* ---- fake CUDA runtime: one H200-like device, programmable failures */
#define FAKE_DEVICE_NAME "NVIDIA H200"
#define FAKE_DEVICE_KEY "nvidia_h200"
static cudaError_t g_stream_query = cudaSuccess, g_get_device = cudaSuccess;
static cudaError_t g_is_capturing = cudaSuccess;
static enum cudaStreamCaptureStatus g_capture = cudaStreamCaptureStatusNone;
static int g_queries; /* cudaStreamQuery calls: none may happen during capture */

cudaError_t cudaGetDevice(int *d)
{
    *d = 0;
    return g_get_device;
}
cudaError_t cudaGetDeviceCount(int *n)
{
    *n = 1;
    return cudaSuccess;
}
cudaError_t cudaDeviceGetAttribute(int *v, enum cudaDeviceAttr a, int dev)
{
    (void)dev;
    *v = a == cudaDevAttrMultiProcessorCount ? 132 : a == cudaDevAttrWarpSize ? 32 : 232448;
    return cudaSuccess;
}
cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *p, int dev)
{
    (void)dev;
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", FAKE_DEVICE_NAME);
    return cudaSuccess;
}
cudaError_t cudaGetLastError(void) { return cudaSuccess; }
cudaError_t cudaStreamQuery(cudaStream_t s)
{
    (void)s;
    g_queries++;
    return g_stream_query;
}
cudaError_t cudaStreamIsCapturing(cudaStream_t s, enum cudaStreamCaptureStatus *status)
{
    (void)s;
    *status = g_capture;
    return g_is_capturing;
}

/* ---- fake launchers, one pair per row of the table */
static int g_launches;
static skinny_status g_launch_result = SKINNY_OK;
static skinny_status fake_launch(const skinny_launch_args *a)
{
    (void)a; /* never touches y: a real failed launch writes nothing either */
    g_launches++;
    return g_launch_result;
}
#define TILE(n, w, g, y, u)                                                                   \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_y##y##_u##u##_f16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_y##y##_u##u##_f16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch(a);                                                                \
    }                                                                                         \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_y##y##_u##u##_bf16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_y##y##_u##u##_bf16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch(a);                                                                \
    }
#define MMA(n, w, g, m, u)                                                                    \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_m##m##_u##u##_f16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_m##m##_u##u##_f16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch(a);                                                                \
    }                                                                                         \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_m##m##_u##u##_bf16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_m##m##_u##u##_bf16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch(a);                                                                \
    }
/* MMA_FP8 rows: the last launch's arguments are kept, to check what the
 * fp8 path hands the kernel. */
static skinny_launch_args g_last_fp8;
/* unused with a table without MMA_FP8 rows (launch-path-mixed) */
static __attribute__((unused)) skinny_status fake_launch_fp8(const skinny_launch_args *a)
{
    g_last_fp8 = *a;
    return fake_launch(a);
}
/* Their fp8-activation launchers (X8 slots) also note which one ran. */
static int g_x8_launches;
static skinny_dtype g_x8_out;
static __attribute__((unused)) skinny_status fake_launch_x8(const skinny_launch_args *a, skinny_dtype out)
{
    g_x8_launches++;
    g_x8_out = out;
    return fake_launch_fp8(a);
}
#define MMA_FP8(n, w, g, m, u)                                                                \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_x8_f16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_x8_f16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch_x8(a, SKINNY_F16);                                                 \
    }                                                                                         \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_x8_bf16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_x8_bf16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch_x8(a, SKINNY_BF16);                                                \
    }                                                                                         \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_f16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_f16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch_fp8(a);                                                            \
    }                                                                                         \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_bf16(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_bf16(const skinny_launch_args *a) \
    {                                                                                         \
        return fake_launch_fp8(a);                                                            \
    }
/* The table the dispatcher under test was generated from. */
#ifndef SKINNY_TABLE
#define SKINNY_TABLE "tiles.def"
#endif
#include SKINNY_TABLE
#undef TILE
#undef MMA
#undef MMA_FP8

/* ---- fixture: host buffers standing in for device memory */
/* Room for any measured cell up to N 16, M and K 8192. W and x are never
 * read (nothing runs on a device), so they stay untouched virtual memory. */
enum { N = 1, NMAX = 16, M = 4096, K = 4096, MMAX = 8192, KMAX = 8192 };
static uint16_t *W, *X;
static uint16_t Y[(size_t)NMAX * MMAX], Y0[(size_t)NMAX * MMAX];

static skinny_gemm_desc desc(void)
{
    if (!W) {
        W = aligned_alloc(16, (size_t)MMAX * KMAX * 2);
        X = aligned_alloc(16, (size_t)NMAX * KMAX * 2);
    }
    assert_true(W && X);
    for (size_t i = 0; i < sizeof Y / sizeof Y[0]; i++) Y[i] = Y0[i] = (uint16_t)(i * 2654435761u >> 16);
    skinny_gemm_desc d = {SKINNY_BF16, N, M, K, W, 0, X, 0, Y, 0, SKINNY_BIAS_NONE, NULL, 0, 0, 0, 0, NULL, NULL, NULL};
    g_launches = 0;
    g_launch_result = SKINNY_OK;
    g_stream_query = cudaSuccess;
    g_get_device = cudaSuccess;
    g_is_capturing = cudaSuccess;
    g_capture = cudaStreamCaptureStatusNone;
    g_queries = 0;
    return d;
}

static const char *first_row(int n)
{
    const skinny_row *r;
    return skinny_rows_for(n, 32, &r) ? r->name : NULL;
}

static void control_launches(void **state)
{
    (void)state;
    skinny_gemm_desc d = desc();
    assert_int_equal(skinny_gemm_named(&d, first_row(N), NULL, NULL), SKINNY_OK);
    assert_int_equal(g_launches, 1);
}

static void bad_stream(void **state)
{
    (void)state;
    skinny_gemm_desc d = desc();
    g_stream_query = cudaErrorInvalidResourceHandle;
    assert_int_equal(skinny_gemm_named(&d, first_row(N), (void *)0x1234, NULL), SKINNY_ERR_BAD_STREAM);
    assert_int_equal(g_launches, 0);
    assert_memory_equal(Y, Y0, sizeof Y);
    /* A busy stream is fine: cudaErrorNotReady is not an invalid handle. */
    g_stream_query = cudaErrorNotReady;
    assert_int_equal(skinny_gemm_named(&d, first_row(N), (void *)0x1234, NULL), SKINNY_OK);
}

/* A stream being captured into a CUDA graph: the query would be illegal
 * (the real runtime answers cudaErrorStreamCaptureUnsupported and
 * invalidates the capture), so it must not be made; the launch goes ahead
 * (captured). The same for a capture already invalidated by other work. */
static void capturing_stream_not_queried(void **state)
{
    (void)state;
    const enum cudaStreamCaptureStatus states[2] = {cudaStreamCaptureStatusActive,
                                                    cudaStreamCaptureStatusInvalidated};
    for (int i = 0; i < 2; i++) {
        skinny_gemm_desc d = desc();
        g_capture = states[i];
        g_stream_query = cudaErrorStreamCaptureUnsupported;
        assert_int_equal(skinny_gemm_named(&d, first_row(N), (void *)0x1234, NULL), SKINNY_OK);
        assert_int_equal(g_queries, 0);
        assert_int_equal(g_launches, 1);
    }
    /* Not capturing: the handle is still checked by the query. */
    skinny_gemm_desc d = desc();
    assert_int_equal(skinny_gemm_named(&d, first_row(N), (void *)0x1234, NULL), SKINNY_OK);
    assert_int_equal(g_queries, 1);
}

/* The capture question itself rejects the handle: SKINNY_ERR_BAD_STREAM,
 * nothing launched. Any other failure of it falls back on the query. */
static void capture_question_errors(void **state)
{
    (void)state;
    skinny_gemm_desc d = desc();
    g_is_capturing = cudaErrorInvalidResourceHandle;
    assert_int_equal(skinny_gemm_named(&d, first_row(N), (void *)0x1234, NULL), SKINNY_ERR_BAD_STREAM);
    assert_int_equal(g_launches, 0);
    assert_int_equal(g_queries, 0);
    assert_memory_equal(Y, Y0, sizeof Y);
    d = desc();
    g_is_capturing = cudaErrorInvalidValue;
    g_stream_query = cudaErrorInvalidResourceHandle;
    assert_int_equal(skinny_gemm_named(&d, first_row(N), (void *)0x1234, NULL), SKINNY_ERR_BAD_STREAM);
    assert_int_equal(g_queries, 1);
    assert_int_equal(g_launches, 0);
}

static void launch_failure(void **state)
{
    (void)state;
    skinny_gemm_desc d = desc();
    skinny_choice c;
    memset(&c, 0xab, sizeof c);
    const skinny_choice c0 = c;
    g_launch_result = SKINNY_ERR_LAUNCH;
    assert_int_equal(skinny_gemm_named(&d, first_row(N), NULL, &c), SKINNY_ERR_LAUNCH);
    assert_int_equal(g_launches, 1);
    assert_memory_equal(Y, Y0, sizeof Y);
    assert_memory_equal(&c, &c0, sizeof c); /* no choice reported for a failed call */
}

/* Does the device `key` have a measured cell of (n, wave, dtype)? */
static int has_cell(int n, int wave, int dtype, const char *key)
{
    for (size_t i = 0; i < skinny_measured_count; i++) {
        const skinny_measured *c = &skinny_measured_cells[i];
        if (c->n == n && c->wave == wave && c->dtype == dtype && strcmp(c->device, key) == 0) return 1;
    }
    return 0;
}

/* A "none" cell of wave 32 whose shape fits the fixture's buffers, measured
 * on the fake device (mine) or not; NULL if there is none. */
static const skinny_measured *none_cell(int mine)
{
    for (size_t i = 0; i < skinny_measured_count; i++) {
        const skinny_measured *c = &skinny_measured_cells[i];
        if (c->row || c->wave != 32 || c->n > NMAX || c->m > MMAX || c->k > KMAX) continue;
        if ((strcmp(c->device, FAKE_DEVICE_KEY) == 0) == mine &&
            (mine || !has_cell(c->n, c->wave, c->dtype, FAKE_DEVICE_KEY)))
            return c;
    }
    return NULL;
}

static skinny_gemm_desc desc_of_cell(const skinny_measured *c)
{
    skinny_gemm_desc d = desc();
    d.n = c->n;
    d.m = c->m;
    d.k = c->k;
    d.dtype = (skinny_dtype)c->dtype;
    return d;
}

/* The device query names the device by the key of its name. */
static void device_query_fills_key(void **state)
{
    (void)state;
    skinny_device_info info;
    assert_int_equal(skinny_device_query(&info), SKINNY_OK);
    assert_string_equal(info.device_key, FAKE_DEVICE_KEY);
}

static void measured_no_fast_path(void **state)
{
    (void)state;
    /* The nearest measured cell of its own shape is itself. */
    const skinny_measured *none = none_cell(1);
    if (!none) skip(); /* no such cell for this device in the rules */
    skinny_gemm_desc d = desc_of_cell(none);
    skinny_device_info info;
    assert_int_equal(skinny_device_query(&info), SKINNY_OK);
    assert_int_equal(skinny_supported_on(d.dtype, d.n, d.m, d.k, &info), SKINNY_ERR_NO_FAST_PATH);
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_NO_FAST_PATH);
    assert_int_equal(g_launches, 0);
    assert_memory_equal(Y, Y0, sizeof Y);
}

/* skinny_supported names no device: no measured rule applies, so a shape
 * measured slower than BLAS on this device still has the heuristic's
 * answer (NVIDIA wave 32: the slice's rows, all built here). */
static void supported_ignores_measured_rules(void **state)
{
    (void)state;
    const skinny_measured *none = none_cell(1);
    if (!none) skip();
    assert_int_equal(skinny_supported((skinny_dtype)none->dtype, none->n, none->m, none->k, 32),
                     SKINNY_OK);
}

/* A "none" cell measured on another device does not stop this one. */
static void other_device_cell_ignored(void **state)
{
    (void)state;
    const skinny_measured *other = none_cell(0);
    if (!other) skip(); /* no cell of another device in the rules */
    skinny_gemm_desc d = desc_of_cell(other);
    skinny_device_info info;
    assert_int_equal(skinny_device_query(&info), SKINNY_OK);
    assert_int_equal(skinny_supported_on(d.dtype, d.n, d.m, d.k, &info), SKINNY_OK);
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_OK);
    assert_int_equal(g_launches, 1);
}

/* A wave-32 N with MMA rows (matrix instructions) and no measured cell on
 * this device: the heuristic takes an MMA row (NVIDIA), and a caller may
 * name one. */
static void mma_rows_chosen_on_wave32(void **state)
{
    (void)state;
    const skinny_row *rows = NULL, *mma = NULL;
    int n = 0;
    for (int cand = 1; cand <= NMAX && !n; cand++) {
        if (has_cell(cand, 32, SKINNY_BF16, FAKE_DEVICE_KEY)) continue;
        const size_t count = skinny_rows_for(cand, 32, &rows);
        for (size_t i = 0; i < count && !mma; i++)
            if (rows[i].kind == SKINNY_KIND_MMA) mma = &rows[i];
        if (mma) n = cand;
    }
    if (!n) skip(); /* the table has no wave-32 MMA row */
    skinny_gemm_desc d = desc();
    d.n = n;
    skinny_choice c;
    assert_int_equal(skinny_supported(d.dtype, d.n, d.m, d.k, 32), SKINNY_OK);
    assert_int_equal(skinny_gemm_ex(&d, NULL, &c), SKINNY_OK);
    assert_int_equal(g_launches, 1);
    assert_int_equal(c.mma, 1);
    assert_int_equal(c.n, n);
    assert_int_equal(skinny_gemm_named(&d, mma->name, NULL, &c), SKINNY_OK);
    assert_int_equal(g_launches, 2);
    assert_int_equal(c.mma, 1);
    assert_string_equal(c.kernel, mma->name);
}

/* ---- fp8 weights (MMA_FP8 rows): the launcher gets the scales */
static const float g_scale = 0.5f;
static float g_row_scale[MMAX];

/* The first (n, MMA_FP8 row) and a 16-bit row of the same n, or 0. */
static int fp8_rows(const char **fp8_row, const char **other_row)
{
    for (int n = 1; n <= NMAX; n++) {
        const skinny_row *r;
        const size_t c = skinny_rows_for(n, 32, &r);
        *fp8_row = *other_row = NULL;
        for (size_t i = 0; i < c; i++) {
            if (r[i].kind == SKINNY_KIND_MMA_FP8 && !*fp8_row) *fp8_row = r[i].name;
            if (r[i].kind != SKINNY_KIND_MMA_FP8 && !*other_row) *other_row = r[i].name;
        }
        if (*fp8_row) return n;
    }
    return 0;
}

/* fp8_rows, or skip the test where the table has no MMA_FP8 row. */
static int need_fp8_rows(const char **fp8_row, const char **other_row)
{
    const int n = fp8_rows(fp8_row, other_row);
    if (!n) {
        print_message("SKIPPED: this table has no MMA_FP8 rows\n");
        skip();
    }
    return n;
}

static skinny_gemm_desc fp8_desc(int n)
{
    skinny_gemm_desc d = desc();
    d.n = n;
    d.w_dtype = SKINNY_FP8_E4M3;
    d.w_scale = &g_scale;
    d.w_row_scale = g_row_scale;
    return d;
}

static void fp8_launch_gets_scales(void **state)
{
    (void)state;
    const char *fp8_row, *other_row;
    const int n = need_fp8_rows(&fp8_row, &other_row);
    skinny_gemm_desc d = fp8_desc(n);
    memset(&g_last_fp8, 0, sizeof g_last_fp8);
    skinny_choice c;
    assert_int_equal(skinny_gemm_ex(&d, NULL, &c), SKINNY_OK);
    assert_int_equal(g_launches, 1);
    assert_non_null(strstr(c.kernel, "_f"));
    assert_ptr_equal(g_last_fp8.w_scale, &g_scale);
    assert_ptr_equal(g_last_fp8.w_row_scale, g_row_scale);
    assert_ptr_equal(g_last_fp8.w, W);
    assert_int_equal(g_last_fp8.ld_w, K); /* bytes = elements */
}

static void fp8_named_row_must_take_fp8(void **state)
{
    (void)state;
    const char *fp8_row, *other_row;
    const int n = fp8_rows(&fp8_row, &other_row);
    if (!n || !other_row) {
        print_message("SKIPPED: this table has no N with both MMA_FP8 and other rows\n");
        skip();
    }
    skinny_gemm_desc d = fp8_desc(n);
    assert_int_equal(skinny_gemm_named(&d, other_row, NULL, NULL), SKINNY_ERR_ROW_WEIGHT_DTYPE);
    skinny_gemm_desc b = desc();
    b.n = n;
    assert_int_equal(skinny_gemm_named(&b, fp8_row, NULL, NULL), SKINNY_ERR_ROW_WEIGHT_DTYPE);
    assert_int_equal(g_launches, 0);
    assert_memory_equal(Y, Y0, sizeof Y);
    /* The matching pairs launch. */
    assert_int_equal(skinny_gemm_named(&d, fp8_row, NULL, NULL), SKINNY_OK);
    assert_int_equal(skinny_gemm_named(&b, other_row, NULL, NULL), SKINNY_OK);
    assert_int_equal(g_launches, 2);
}

/* ---- fp8 activations: the X8 launcher of the output's dtype runs and
 * gets x_scale (and ld_x in bytes); a build without X8 launchers
 * (SKINNY_BUILD_FP8X=0: the launch-path-no-fp8x test) refuses with its own
 * status and launches nothing. */
static const float g_x_scale = 0.25f;
#ifndef SKINNY_BUILD_FP8X
#define SKINNY_BUILD_FP8X 1
#endif
static void fp8x_launch_gets_x_scale(void **state)
{
    (void)state;
    const char *fp8_row, *other_row;
    const int n = need_fp8_rows(&fp8_row, &other_row);
    static const skinny_dtype outs[] = {SKINNY_F16, SKINNY_BF16};
    for (int o = 0; o < 2; o++) {
        skinny_gemm_desc d = fp8_desc(n);
        d.dtype = outs[o];
        d.x_dtype = SKINNY_FP8_E4M3;
        d.x_scale = &g_x_scale;
        d.ld_x = K + 16; /* padded, in bytes */
        memset(&g_last_fp8, 0, sizeof g_last_fp8);
        g_launches = g_x8_launches = 0;
        skinny_choice c, c16;
        const skinny_status st = skinny_gemm_ex(&d, NULL, &c);
        if (!SKINNY_BUILD_FP8X) {
            assert_int_equal(st, SKINNY_ERR_NO_FP8_X_KERNEL);
            assert_int_equal(skinny_gemm_named(&d, fp8_row, NULL, NULL), SKINNY_ERR_NO_FP8_X_KERNEL);
            assert_int_equal(g_launches, 0);
            assert_memory_equal(Y, Y0, sizeof Y);
            continue;
        }
        assert_int_equal(st, SKINNY_OK);
        assert_int_equal(g_launches, 1);
        assert_int_equal(g_x8_launches, 1);
        assert_int_equal(g_x8_out, outs[o]);
        assert_ptr_equal(g_last_fp8.x_scale, &g_x_scale);
        assert_ptr_equal(g_last_fp8.w_scale, &g_scale);
        assert_ptr_equal(g_last_fp8.w_row_scale, g_row_scale);
        assert_ptr_equal(g_last_fp8.x, X);
        assert_int_equal(g_last_fp8.ld_x, K + 16);
        assert_int_equal(g_last_fp8.ld_w, K);
        /* The same row as with 16-bit x (one heuristic), whose launcher
         * gets no x_scale. */
        skinny_gemm_desc b = fp8_desc(n);
        b.dtype = outs[o];
        assert_int_equal(skinny_gemm_ex(&b, NULL, &c16), SKINNY_OK);
        assert_string_equal(c.kernel, c16.kernel);
        assert_int_equal(g_x8_launches, 1);
        assert_null(g_last_fp8.x_scale);
        /* Named: the fp8 row runs, a 16-bit row is refused. */
        assert_int_equal(skinny_gemm_named(&d, fp8_row, NULL, NULL), SKINNY_OK);
        assert_int_equal(g_x8_launches, 2);
        if (other_row) assert_int_equal(skinny_gemm_named(&d, other_row, NULL, NULL), SKINNY_ERR_ROW_WEIGHT_DTYPE);
        /* A missing x_scale launches nothing. */
        g_launches = 0;
        d.x_scale = NULL;
        assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_MISSING_SCALE);
        assert_int_equal(g_launches, 0);
    }
    g_launches = 0;
}

/* ---- gfx940 fnuz e4m3 (SKINNY_FP8_E4M3_FNUZ): a CUDA build's kernels read
 * e4m3 bytes as OCP e4m3 (hardware conversion, e4m3 mma), so every entry
 * refuses fnuz weights or x with SKINNY_ERR_FP8_FORMAT_UNSUPPORTED and
 * launches nothing, y and the choice untouched; skinny_supported agrees. */
static void fnuz_refused_on_cuda(void **state)
{
    (void)state;
    const char *fp8_row, *other_row;
    const int n = fp8_rows(&fp8_row, &other_row);
    static const struct { skinny_dtype w, x; } cases[] = {
        {SKINNY_FP8_E4M3_FNUZ, 0},
        {SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3_FNUZ},
        {SKINNY_FP8_E4M3, SKINNY_FP8_E4M3_FNUZ},
        {SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        skinny_gemm_desc d = fp8_desc(n ? n : 1);
        d.w_dtype = cases[i].w;
        d.x_dtype = cases[i].x;
        d.x_scale = cases[i].x ? &g_x_scale : NULL;
        skinny_choice c;
        memset(&c, 0xab, sizeof c);
        const skinny_choice c0 = c;
        assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        assert_int_equal(skinny_gemm_ex(&d, NULL, &c), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        if (fp8_row)
            assert_int_equal(skinny_gemm_named(&d, fp8_row, NULL, &c), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        d.flags = SKINNY_FLAG_BATCH_INVARIANT;
        assert_int_equal(skinny_gemm_ex(&d, NULL, &c), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        assert_int_equal(g_launches, 0);
        assert_memory_equal(Y, Y0, sizeof Y);
        assert_memory_equal(&c, &c0, sizeof c);
    }
    assert_int_equal(skinny_supported(SKINNY_FP8_E4M3_FNUZ, n ? n : 1, M, K, 32), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
    skinny_device_info info;
    assert_int_equal(skinny_device_query(&info), SKINNY_OK);
    assert_int_equal(skinny_supported_on(SKINNY_FP8_E4M3_FNUZ, n ? n : 1, M, K, &info),
                     SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
}

/* OCP e4m3 operands need no format factor: the launchers get exactly 1
 * (16-bit x and fp8 x). */
static void ocp_fp8_format_scale_is_one(void **state)
{
    (void)state;
    const char *fp8_row, *other_row;
    const int n = need_fp8_rows(&fp8_row, &other_row);
    for (int x8 = 0; x8 <= SKINNY_BUILD_FP8X; x8++) {
        skinny_gemm_desc d = fp8_desc(n);
        if (x8) {
            d.x_dtype = SKINNY_FP8_E4M3;
            d.x_scale = &g_x_scale;
        }
        memset(&g_last_fp8, 0, sizeof g_last_fp8);
        assert_int_equal(skinny_gemm_named(&d, fp8_row, NULL, NULL), SKINNY_OK);
        assert_true(g_last_fp8.fp8_format_scale == 1.0f);
    }
}

static void no_device(void **state)
{
    (void)state;
    skinny_gemm_desc d = desc();
    g_get_device = cudaErrorNoDevice;
    skinny_device_info info;
    /* The cache may already hold device 0; a failing cudaGetDevice is
     * checked before it is consulted. */
    assert_int_equal(skinny_device_query(&info), SKINNY_ERR_DEVICE);
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_DEVICE);
    assert_int_equal(g_launches, 0);
    assert_memory_equal(Y, Y0, sizeof Y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_launches),
        cmocka_unit_test(bad_stream),
        cmocka_unit_test(capturing_stream_not_queried),
        cmocka_unit_test(capture_question_errors),
        cmocka_unit_test(launch_failure),
        cmocka_unit_test(device_query_fills_key),
        cmocka_unit_test(measured_no_fast_path),
        cmocka_unit_test(supported_ignores_measured_rules),
        cmocka_unit_test(other_device_cell_ignored),
        cmocka_unit_test(mma_rows_chosen_on_wave32),
        cmocka_unit_test(fp8x_launch_gets_x_scale),
        cmocka_unit_test(no_device),
        cmocka_unit_test(fp8_launch_gets_scales),
        cmocka_unit_test(fp8_named_row_must_take_fp8),
        cmocka_unit_test(fnuz_refused_on_cuda),
        cmocka_unit_test(ocp_fp8_format_scale_is_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
