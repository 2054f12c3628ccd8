/* test_gpu_gemm.c - every generated specialization, both dtypes, through the
 * public entry point, against a CPU reference in double.
 *
 * One cmocka test per (row, dtype); each runs the shape table below with
 * fresh random inputs (seed printed on failure), poisoned outputs with
 * guard zones, and checks:
 *   - every y element in [0, N) x [0, M) written, nothing else touched
 *     (guards before/after y and the padding between rows stay poisoned);
 *   - ||out - ref|| / ||ref|| under a per-dtype bound;
 *   - per element |out - ref| <= eps(dtype) * sqrt(K) + 1e-2 * |ref|;
 *   - NaN / Inf never pass.
 * Error bounds. Inputs are exact fp16/bf16 values in [-1, 1); products and
 * fp32 sums lose ~K * 2^-24 relative (negligible); the final rounding to the
 * output type dominates: half an ulp, 2^-9 relative for bf16 and 2^-12 for
 * fp16. The norm bounds (bf16 1e-2, fp16 2e-3) leave ~4x margin over that
 * worst case; the per-element bound adds eps * sqrt(K) of absolute slack for
 * outputs near zero (a sum of K terms of size ~1 has spread ~sqrt(K)).
 *
 * Without a GPU: prints SKIP and exits 77 (Meson's "skipped").
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "gpu_harness.h"
#include "halfconv.h"
#include "skinny_row.h"

typedef struct gcase {
    const char *what;
    int64_t m, k;
    int pad_w, pad_x, pad_y; /* row stride = row length + pad (elements) */
    skinny_bias_kind bias;
    int expect_walk;         /* 1: K must be walked in LDS bands; 0: resident; -1: either */
} gcase;

typedef struct result {
    const skinny_row *row;
    skinny_dtype dtype;
    int cases;
    double worst_norm, worst_elem; /* worst_elem: max |err| / allowed */
    int walked;                    /* cases that walked K through LDS */
} result;

static skinny_device_info g_dev;
static result g_results[1024];
static int g_nresults;
static uint64_t g_seed;

static const char *dtype_name(skinny_dtype t) { return t == SKINNY_BF16 ? "bf16" : "fp16"; }
static double norm_bound(skinny_dtype t) { return t == SKINNY_BF16 ? 1e-2 : 2e-3; }
static double eps_of(skinny_dtype t) { return t == SKINNY_BF16 ? 0x1p-7 : 0x1p-10; }

/* The shape table. Every code path: tails, tiny M, persistent wrap,
 * ragged K, LDS-resident and K-walked x, padding, decode shapes. */
static int make_cases(const skinny_row *r, gcase *c)
{
    /* Y: columns one wave (TILE rows) or one workgroup (MMA rows) owns;
     * chunk: K one pass of the K loop covers. */
    const int mma = r->kind == SKINNY_KIND_MMA;
    const int64_t Y = mma ? 16 * r->ytile : r->ytile;
    const int64_t chunk = mma ? (int64_t)32 * r->unroll * r->waves_per_group
                              : (int64_t)r->wave * 8 * r->unroll;
    /* MMA grids: beyond the resident workgroups, each walks several blocks. */
    const int64_t waves = mma ? skinny_mma_resident(g_dev.cu_count, r->waves_per_group)
                              : (int64_t)g_dev.cu_count * r->waves_per_group;
    /* Smallest K whose x no longer fits in LDS, plus a ragged end. */
    const int64_t k_walk = ((int64_t)g_dev.lds_bytes / (2 * r->n) / 8 + 1) * 8 * 3 / 2 / 8 * 8 + 40;
    int n = 0;
    c[n++] = (gcase){"M multiple of YTILE", Y * 64, 256, 0, 0, 0, SKINNY_BIAS_NONE, 0};
    c[n++] = (gcase){"M not a multiple of YTILE", Y * 64 + 1, 264, 0, 0, 0, SKINNY_BIAS_M, 0};
    c[n++] = (gcase){"M smaller than YTILE", Y > 1 ? Y - 1 : 1, 64, 0, 0, 0, SKINNY_BIAS_NM, 0};
    c[n++] = (gcase){"M = 1, K = 8", 1, 8, 0, 0, 0, SKINNY_BIAS_M, 0};
    c[n++] = (gcase){"M = 16, K = 32", 16, 32, 0, 0, 8, SKINNY_BIAS_NONE, 0};
    c[n++] = (gcase){"M below waves launched, K = 8", 37, 8, 0, 0, 0, SKINNY_BIAS_NONE, 0};
    c[n++] = (gcase){"persistent loop wraps 3x", waves * Y * 3 + 5, 64, 0, 0, 8, SKINNY_BIAS_NM, 0};
    c[n++] = (gcase){"K not a multiple of the chunk", 300, chunk + 24, 8, 0, 0, SKINNY_BIAS_NONE, 0};
    c[n++] = (gcase){"K = 64, x padded +8", 16, 64, 0, 8, 0, SKINNY_BIAS_M, 0};
    c[n++] = (gcase){"W, y padded +8", 1000, 1024, 8, 0, 8, SKINNY_BIAS_NM, 0};
    c[n++] = (gcase){"M 4096+1, K 4096+16, all padded +128", 4097, 4112, 128, 128, 128,
                     SKINNY_BIAS_NM, 0};
    c[n++] = (gcase){"M 8192+1, K 32768+16", 8193, 32784, 0, 0, 0, SKINNY_BIAS_M, -1};
    /* MMA rows read x through L1 and never walk it in LDS bands. */
    c[n++] = (gcase){"K x N beyond LDS: K walked in bands", 129, k_walk, 0, 8, 0, SKINNY_BIAS_M,
                     mma ? 0 : 1};
    /* Padded W, x and y (row stride = length + 8 and + 128) crossed with
     * every bias kind, over odd shapes: tiny M, M = 4096+1, K past LDS. */
    static const int pads[2] = {8, 128};
    static const skinny_bias_kind biases[3] = {SKINNY_BIAS_NONE, SKINNY_BIAS_M, SKINNY_BIAS_NM};
    static const char *const pad_what[2][3] = {
        {"padded +8, no bias, M 4097 K 4112", "padded +8, bias M, M 16 K 64", "padded +8, bias NxM, M 1 K 32768+16"},
        {"padded +128, no bias, M 1 K 32768+16", "padded +128, bias M, M 4097 K 4112", "padded +128, bias NxM, M 16 K 64"}};
    static const int64_t pad_mk[2][3][2] = {{{4097, 4112}, {16, 64}, {1, 32784}},
                                            {{1, 32784}, {4097, 4112}, {16, 64}}};
    for (int p = 0; p < 2; p++)
        for (int b = 0; b < 3; b++)
            c[n++] = (gcase){pad_what[p][b], pad_mk[p][b][0], pad_mk[p][b][1], pads[p], pads[p],
                             pads[p], biases[b], -1};
    c[n++] = (gcase){"decode 4096x4096", 4096, 4096, 0, 0, 0, SKINNY_BIAS_NONE, -1};
    c[n++] = (gcase){"decode 6144x4096", 6144, 4096, 0, 0, 0, SKINNY_BIAS_M, -1};
    c[n++] = (gcase){"decode 4096x12288", 4096, 12288, 0, 0, 0, SKINNY_BIAS_NM, -1};
    c[n++] = (gcase){"decode 151936x4096", 151936, 4096, 0, 0, 0, SKINNY_BIAS_NONE, -1};
    return n;
}

/* Large weights are made once per (dtype, M, K) and reused across rows:
 * 1.2 GB of random bf16 per 151936x4096 matrix is too slow to redo for
 * every row. x and bias are fresh for every case. */
typedef struct wcache {
    skinny_dtype dtype;
    int64_t m, k;
    uint16_t *host;
    dbuf dev;
} wcache;
static wcache g_wc[10]; /* decode shapes plus the MMA rows' wrap cases (M ~ 4e5 and 8e5) */

static const wcache *big_weights(skinny_dtype dtype, int64_t m, int64_t k, rng *r)
{
    wcache *free_slot = NULL;
    for (int i = 0; i < (int)(sizeof g_wc / sizeof g_wc[0]); i++) {
        if (g_wc[i].host && g_wc[i].dtype == dtype && g_wc[i].m == m && g_wc[i].k == k)
            return &g_wc[i];
        if (g_wc[i].host && g_wc[i].dtype != dtype) { /* other dtype: drop */
            free(g_wc[i].host);
            dbuf_free(&g_wc[i].dev);
            memset(&g_wc[i], 0, sizeof g_wc[i]);
        }
        if (!g_wc[i].host && !free_slot) free_slot = &g_wc[i];
    }
    assert_non_null(free_slot);
    wcache *w = free_slot;
    w->dtype = dtype;
    w->m = m;
    w->k = k;
    w->host = malloc((size_t)(m * k) * sizeof(uint16_t));
    assert_non_null(w->host);
    fill_random(w->host, (size_t)(m * k), dtype, r);
    dbuf_alloc(&w->dev, (size_t)(m * k), 0);
    dbuf_upload(&w->dev, w->host);
    return w;
}

static int is_decode(const gcase *c) { return c->m * c->k >= (int64_t)1 << 24; }

/* Runs one case; returns through cmocka asserts. */
static void run_case(const skinny_row *row, skinny_dtype dtype, const gcase *c, result *res)
{
    const int64_t N = row->n, M = c->m, K = c->k;
    const int64_t ldw = K + c->pad_w, ldx = K + c->pad_x, ldy = M + c->pad_y;
    const uint64_t seed = g_seed++;
    rng r = {seed};
    char ctx[256];
    snprintf(ctx, sizeof ctx, "%s/%s case '%s' (N=%lld M=%lld K=%lld ldw=%lld ldx=%lld ldy=%lld "
             "bias=%d seed=%llu)", row->name, dtype_name(dtype), c->what, (long long)N,
             (long long)M, (long long)K, (long long)ldw, (long long)ldx, (long long)ldy,
             (int)c->bias, (unsigned long long)seed);

    /* Inputs. */
    const uint16_t *hw;
    uint16_t *hw_own = NULL;
    dbuf dw = {0};
    const dbuf *dwp;
    if (is_decode(c) && c->pad_w == 0) {
        const wcache *wc = big_weights(dtype, M, K, &r);
        hw = wc->host;
        dwp = &wc->dev;
    } else {
        hw_own = malloc((size_t)(M * ldw) * sizeof(uint16_t));
        assert_non_null(hw_own);
        fill_random(hw_own, (size_t)(M * ldw), dtype, &r);
        dbuf_alloc(&dw, (size_t)(M * ldw), 64);
        dbuf_upload(&dw, hw_own);
        hw = hw_own;
        dwp = &dw;
    }
    uint16_t *hx = malloc((size_t)(N * ldx) * sizeof(uint16_t));
    const int64_t bias_n = c->bias == SKINNY_BIAS_NM ? N * M : M;
    uint16_t *hb = malloc((size_t)bias_n * sizeof(uint16_t));
    const size_t y_guard = 256;
    const size_t y_all = (size_t)(N * ldy) + 2 * y_guard;
    uint16_t *hy = malloc(y_all * sizeof(uint16_t));
    assert_true(hx && hb && hy);
    fill_random(hx, (size_t)(N * ldx), dtype, &r);
    fill_random(hb, (size_t)bias_n, dtype, &r);

    dbuf dx, db, dy;
    dbuf_alloc(&dx, (size_t)(N * ldx), 64);
    dbuf_upload(&dx, hx);
    dbuf_alloc(&db, (size_t)bias_n, 64);
    dbuf_upload(&db, hb);
    dbuf_alloc(&dy, (size_t)(N * ldy), y_guard);
    dbuf_upload(&dy, NULL); /* all poison */

    skinny_gemm_desc d = {dtype, N, M, K, dwp->base, ldw, dx.base, ldx, dy.base, ldy,
                          c->bias, c->bias == SKINNY_BIAS_NONE ? NULL : db.base, M, 0, 0, 0, NULL, NULL, NULL};
    skinny_choice choice;
    const skinny_status st = skinny_gemm_named(&d, row->name, NULL, &choice);
    if (st != SKINNY_OK) fail_msg("%s: skinny_gemm_named: %s", ctx, skinny_status_string(st));
    RT_CHECK(skinny_rt_get_last_error());
    RT_CHECK(skinny_rt_device_synchronize());
    dbuf_download_all(&dy, hy);
    if (c->expect_walk >= 0 && (choice.k_bands > 1) != c->expect_walk)
        fail_msg("%s: expected %s x, plan has %d band(s)", ctx,
                 c->expect_walk ? "K-walked" : "LDS-resident", choice.k_bands);
    res->walked += choice.k_bands > 1;

    /* Nothing outside the N x M outputs written. */
    for (size_t i = 0; i < y_guard; i++) {
        if (hy[i] != POISON16) fail_msg("%s: guard before y overwritten at -%zu", ctx, y_guard - i);
        if (hy[y_all - 1 - i] != POISON16) fail_msg("%s: guard after y overwritten at +%zu", ctx, i);
    }
    const uint16_t *y = hy + y_guard;
    for (int64_t n = 0; n < N; n++)
        for (int64_t m = M; m < ldy; m++)
            if (y[n * ldy + m] != POISON16)
                fail_msg("%s: row padding written at n=%lld m=%lld", ctx, (long long)n, (long long)m);

    /* Reference: every column, or for large problems a sample that always
     * includes the first and the last (tail) columns. The double-precision
     * sums run in parallel (OpenMP); checks run after, in order. */
    const int full = N * M * K <= ((int64_t)1 << 28);
    const int64_t ncols = full ? M : 1024;
    int64_t *cols = malloc((size_t)ncols * sizeof *cols);
    double *refs = malloc((size_t)(ncols * N) * sizeof *refs);
    assert_true(cols && refs);
    for (int64_t i = 0; i < ncols; i++)
        cols[i] = full ? i : i < 8 ? i : i < 24 ? M - 1 - (i - 8) : (int64_t)(rng_next(&r) % (uint64_t)M);
#pragma omp parallel for schedule(dynamic, 16)
    for (int64_t i = 0; i < ncols; i++) {
        const int64_t m = cols[i] < 0 ? 0 : cols[i];
        for (int64_t n = 0; n < N; n++) {
            double ref = 0;
            const uint16_t *wr = hw + m * ldw, *xr = hx + n * ldx;
            for (int64_t k = 0; k < K; k++) ref += elem_to_double(wr[k], dtype) * elem_to_double(xr[k], dtype);
            if (c->bias == SKINNY_BIAS_M) ref += elem_to_double(hb[m], dtype);
            if (c->bias == SKINNY_BIAS_NM) ref += elem_to_double(hb[n * M + m], dtype);
            refs[i * N + n] = ref;
        }
    }
    double err2 = 0, ref2 = 0, worst_elem = 0;
    const double slack = eps_of(dtype) * sqrt((double)K);
    for (int64_t i = 0; i < ncols; i++) {
        const int64_t m = cols[i] < 0 ? 0 : cols[i];
        for (int64_t n = 0; n < N; n++) {
            const double ref = refs[i * N + n];
            const uint16_t bits = y[n * ldy + m];
            const double out = elem_to_double(bits, dtype);
            if (bits == POISON16) fail_msg("%s: y[%lld][%lld] not written", ctx, (long long)n, (long long)m);
            if (!isfinite(out)) fail_msg("%s: y[%lld][%lld] = %g", ctx, (long long)n, (long long)m, out);
            const double e = fabs(out - ref), allowed = slack + 1e-2 * fabs(ref);
            if (e > allowed)
                fail_msg("%s: y[%lld][%lld] = %.6g, reference %.6g (|err| %.3g > %.3g)", ctx,
                         (long long)n, (long long)m, out, ref, e, allowed);
            if (e / allowed > worst_elem) worst_elem = e / allowed;
            err2 += (out - ref) * (out - ref);
            ref2 += ref * ref;
        }
    }
    free(cols);
    free(refs);
    /* Written-everywhere check also for the columns the sample skipped. */
    if (!full)
        for (int64_t i = 0; i < N * ldy; i++)
            if (i % ldy < M && y[i] == POISON16)
                fail_msg("%s: y[%lld][%lld] not written", ctx, (long long)(i / ldy), (long long)(i % ldy));
    const double rel = sqrt(err2 / (ref2 > 0 ? ref2 : 1));
    if (!(rel <= norm_bound(dtype)))
        fail_msg("%s: ||out-ref||/||ref|| = %.3g > %.3g", ctx, rel, norm_bound(dtype));
    if (rel > res->worst_norm) res->worst_norm = rel;
    if (worst_elem > res->worst_elem) res->worst_elem = worst_elem;
    res->cases++;

    dbuf_free(&dx);
    dbuf_free(&db);
    dbuf_free(&dy);
    dbuf_free(&dw);
    free(hw_own);
    free(hx);
    free(hb);
    free(hy);
}

static void test_row(void **state)
{
    result *res = *state;
    gcase cases[32];
    const int n = make_cases(res->row, cases);
    for (int i = 0; i < n; i++) run_case(res->row, res->dtype, &cases[i], res);
}

static void write_results(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        return;
    }
    skinny_rt_device_prop prop;
    int dev = 0, rt = 0, drv = 0;
    RT_CHECK(skinny_rt_get_device(&dev));
    RT_CHECK(skinny_rt_get_device_properties(&prop, dev));
    RT_CHECK(skinny_rt_runtime_version(&rt));
    RT_CHECK(skinny_rt_driver_version(&drv));
    char date[32];
    const time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    int total = 0;
    for (int i = 0; i < g_nresults; i++) total += g_results[i].cases;
    fprintf(f, "# GPU test results\n\n"
               "Written by tests/gpu/test_gpu_gemm (do not edit by hand).\n\n"
               "- date: %s\n- device: %s (%d CUs/SMs, wave %d, %zu bytes LDS per block)\n"
               "- %s runtime %d, driver %d\n- cases: %d passed over %d (row, dtype) pairs\n\n"
               "Error measures: `norm` = worst ||out-ref||/||ref|| (bound bf16 1e-2, fp16 2e-3);\n"
               "`elem` = worst |out-ref| / (eps*sqrt(K) + 1e-2*|ref|) (must be <= 1).\n\n"
               "| kernel | dtype | cases | K-walked cases | worst norm | worst elem |\n"
               "|---|---|---:|---:|---:|---:|\n",
            date, prop.name, g_dev.cu_count, g_dev.wave_size, g_dev.lds_bytes, SKINNY_RT_NAME, rt,
            drv, total, g_nresults);
    for (int i = 0; i < g_nresults; i++) {
        const result *r = &g_results[i];
        fprintf(f, "| %s | %s | %d | %d | %.2e | %.3f |\n", r->row->name, dtype_name(r->dtype),
                r->cases, r->walked, r->worst_norm, r->worst_elem);
    }
    fclose(f);
    printf("wrote %s\n", path);
}

int main(void)
{
    if (!gpu_available()) return 77;
    skinny_status st = skinny_device_query(&g_dev);
    if (st != SKINNY_OK) {
        fprintf(stderr, "skinny_device_query: %s\n", skinny_status_string(st));
        return 1;
    }
    const char *seed_env = getenv("SKINNY_TEST_SEED");
    g_seed = seed_env ? strtoull(seed_env, NULL, 0) : (uint64_t)time(NULL) * 1000003u;
    printf("seed %llu (set SKINNY_TEST_SEED to repeat)\n", (unsigned long long)g_seed);
    /* Comma-separated substrings; a row runs if its name contains one. */
    const char *only = getenv("SKINNY_TEST_ONLY");

    struct CMUnitTest tests[1024];
    static char names[1024][64];
    int nt = 0;
    const skinny_dtype dtypes[2] = {SKINNY_F16, SKINNY_BF16};
    for (int t = 0; t < 2; t++)
        for (size_t i = 0; i < skinny_row_count; i++) {
            const skinny_row *row = &skinny_rows[i];
            const int slot = dtypes[t] == SKINNY_F16 ? SKINNY_DTYPE_SLOT_F16 : SKINNY_DTYPE_SLOT_BF16;
            if (row->wave != g_dev.wave_size || !row->launch[slot]) continue;
            if (row->kind == SKINNY_KIND_MMA_FP8) continue; /* fp8 weights: test_gpu_fp8.c */
            if (only && !name_selected(row->name, only)) continue;
            result *res = &g_results[g_nresults++];
            res->row = row;
            res->dtype = dtypes[t];
            snprintf(names[nt], sizeof names[nt], "%s/%s", row->name, dtype_name(dtypes[t]));
            tests[nt] = (struct CMUnitTest){names[nt], test_row, NULL, NULL, res};
            nt++;
        }
    if (nt == 0) {
        fprintf(stderr, "no specialization built for this device's wave size %d\n", g_dev.wave_size);
        return 1;
    }
    const int failed = _cmocka_run_group_tests("gpu_gemm", tests, (size_t)nt, NULL, NULL);
    const char *results = getenv("SKINNY_GPU_RESULTS");
    if (!failed && results && *results) write_results(results);
    return failed ? 1 : 0;
}
