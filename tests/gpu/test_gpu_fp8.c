/* test_gpu_fp8.c - fp8 e4m3 weights (issue 12): every MMA_FP8 row with both
 * activation dtypes, through skinny_gemm_named, plus the dispatcher's own
 * choice (skinny_gemm) and the batch-invariant mode, against a CPU
 * reference in double of the decoded, scaled values.
 *
 * Per (row, dtype), a shape table: M a multiple of the block and not, M =
 * 1..8 and below one tile, K = 8..32, K 8 past a multiple of 16 (the
 * kernel's half-chunk tail), K not a multiple of a step, a grid that wraps
 * 3x, padded W / x / y strides (+16 and +128), every bias kind, the
 * per-tensor scale alone and with the per-row scale, and decode shapes.
 * Every case: y poisoned (NaN) with guard zones, which must stay poisoned
 * outside [0, N) x [0, M); every element inside written and within
 *     |out - ref| <= eps_out * |ref| + 4 * eps_out * sqrt(sum_k t_k^2)
 * where t_k = x[n][k] * w[m][k] * scales are the reference's terms: the
 * weights are exact fp8 values, decoded exactly (the kernel's decode is
 * checked on the CPU, tests/cpu/test_fp8.c), products of 16-bit x and
 * decoded weights are exact in fp32, so what remains is fp32 summation
 * (~sqrt(K) 2^-24 relative, far below) and one rounding to the output
 * type: eps_out is 2^-8 for bf16 and 2^-11 for fp16 (twice the unit
 * roundoff). The sqrt term covers outputs that cancel to near zero.
 *
 * And one exact case per (row, dtype), "one weight per output": x rows are
 * one-hot (x[n][k] = 1 at one k per n, spread over the step), weights cycle
 * through all 254 non-NaN bytes, scales are powers of two: every output is
 * one decoded weight times the scales, exactly representable, and must be
 * bit-exact. A wrong byte order, pair, chunk, subnormal or sign shows here
 * even where a sum would hide it.
 *
 * fp8 activations too (x_dtype SKINNY_FP8_E4M3, x_scale; the X8 launchers
 * of every MMA_FP8 row, both output dtypes, and the dispatcher): x holds
 * random non-NaN e4m3 bytes, row strides in bytes (multiples of 16), the
 * same shapes, bias kinds and scales. Products of two e4m3 values are
 * exact in fp32, but the e4m3 mma.sync of sm_89+ may add them with less
 * than fp32 precision (DeepSeek-V3's report measured about 14 bits kept in
 * Hopper's fp8 accumulation), so the bound adds 2^-13 x sum_k |t_k| there:
 * still far below what a wrong byte, word or row gives (O(1) of the
 * sqrt term). Two exact cases: weights cycling through every byte with
 * one-hot x (x = 1.0, e4m3 0x38), and x cycling through every byte with
 * one-hot weights; scales powers of two, outputs bit-exact.
 *
 * Weights and x never hold the NaN bytes 0x7f / 0xff (the API leaves them
 * unspecified). Without a GPU: prints SKIP and exits 77.
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

typedef struct fcase {
    const char *what;
    int64_t m, k;
    int pad_w, pad_x, pad_y; /* row stride = row length + pad (elements; W: bytes) */
    skinny_bias_kind bias;
    int row_scale;           /* 1: per-row scales too */
} fcase;

typedef struct fjob {
    const skinny_row *row; /* NULL: the dispatcher's choice (skinny_gemm) */
    int n;
    skinny_dtype dtype;
    int x8;       /* 1: fp8 e4m3 activations (the X8 launchers) */
    double worst; /* max |err| / allowed */
} fjob;

static skinny_device_info g_dev;
static uint64_t g_seed;
static fjob g_jobs[512];

static const char *dtype_name(skinny_dtype t) { return t == SKINNY_BF16 ? "bf16" : "fp16"; }
static double eps_of(skinny_dtype t) { return t == SKINNY_BF16 ? 0x1p-8 : 0x1p-11; }
static uint16_t to16(double v, skinny_dtype t)
{
    return t == SKINNY_BF16 ? hc_f32_to_bf16((float)v) : hc_f32_to_f16((float)v);
}

/* The decoded value of an OCP e4m3 byte (the port's reference decoder). */
static double fp8_value(uint8_t b) { return (double)hc_bits_to_f32(skinny_fp8_to_f32_bits(b, SKINNY_FP8_FN)); }

/* A random non-NaN e4m3 byte: all 254 patterns, subnormals and +-448 too. */
static uint8_t rand_fp8(rng *r)
{
    for (;;) {
        const uint8_t b = (uint8_t)(rng_next(r) >> 56);
        if ((b & 0x7f) != 0x7f) return b;
    }
}

static int make_cases(const skinny_row *r, fcase *c)
{
    const int64_t blk = r ? 16 * r->ytile : 32;
    const int64_t step = r ? (int64_t)64 * r->unroll * r->waves_per_group : 1024;
    const int64_t resident = r ? skinny_mma_resident(g_dev.cu_count, r->waves_per_group) : 0;
    int n = 0;
    c[n++] = (fcase){"M multiple of the block, tensor scale", blk * 64, 256, 0, 0, 0, SKINNY_BIAS_NONE, 0};
    c[n++] = (fcase){"M not a multiple, K 8 past 16x, row scale", blk * 64 + 1, 264, 8, 0, 0, SKINNY_BIAS_M, 1};
    c[n++] = (fcase){"M below one tile, bias NxM", blk > 1 ? blk - 1 : 1, 64, 0, 0, 0, SKINNY_BIAS_NM, 1};
    for (int m = 1; m <= 8; m++) {
        static const char *const what[8] = {"M = 1, K = 8", "M = 2, K = 16", "M = 3, K = 24", "M = 4, K = 32",
                                            "M = 5, K = 8", "M = 6, K = 16", "M = 7, K = 24", "M = 8, K = 32"};
        const int64_t k = 8 * (1 + (m - 1) % 4);
        /* K % 16 == 8 needs a padded W row (16-byte aligned rows of bytes). */
        c[n++] = (fcase){what[m - 1], m, k, k % 16 ? 8 : 0, 0, m % 2 ? 8 : 0,
                         m % 3 == 0 ? SKINNY_BIAS_M : SKINNY_BIAS_NONE, m % 2};
    }
    c[n++] = (fcase){"K not a multiple of the step", 300, step + 24, 8, 0, 0, SKINNY_BIAS_NONE, 1};
    if (resident)
        c[n++] = (fcase){"grid wraps 3x", resident * blk * 3 + 5, 64, 0, 0, 8, SKINNY_BIAS_NM, 0};
    c[n++] = (fcase){"W, x, y padded +16", 1000, 1024, 16, 16, 16, SKINNY_BIAS_M, 1};
    c[n++] = (fcase){"M 4097, K 4112, all padded +128", 4097, 4112, 128, 128, 128, SKINNY_BIAS_NM, 1};
    c[n++] = (fcase){"decode 4096x4096", 4096, 4096, 0, 0, 0, SKINNY_BIAS_NONE, 0};
    c[n++] = (fcase){"decode 14336x4096, row scale", 14336, 4096, 0, 0, 0, SKINNY_BIAS_M, 1};
    c[n++] = (fcase){"decode 4096x14336", 4096, 14336, 0, 0, 0, SKINNY_BIAS_NONE, 1};
    return n;
}

/* Device copies of host arrays. */
static void *upload(const void *src, size_t bytes)
{
    void *p = NULL;
    RT_CHECK(skinny_rt_malloc(&p, bytes));
    RT_CHECK(skinny_rt_memcpy(p, src, bytes, SKINNY_RT_H2D));
    return p;
}

/* The e4m3 byte of 1.0. */
#define FP8_ONE 0x38u

/* Run one case; exact 1: the one-weight-per-output case (x one-hot);
 * exact 2 (fp8 x only): one x per output (weights one-hot, x cycling
 * through every byte). Returns the worst |err| / allowed. */
static double run_case(const fjob *job, const fcase *c, int exact, uint64_t seed)
{
    const skinny_dtype t = job->dtype;
    const int x8 = job->x8;
    const int64_t N = job->n, M = c->m, K = c->k;
    /* fp8 x: ld_x in bytes, a multiple of 16 (K % 16 == 8 pads it). */
    const int64_t ldw = K + c->pad_w, ldx = x8 ? (K + c->pad_x + 15) / 16 * 16 : K + c->pad_x, ldy = M + c->pad_y;
    rng r = {seed};
    char ctx[256];
    snprintf(ctx, sizeof ctx, "%s/%s%s N=%lld %s (M=%lld K=%lld, seed %llu)",
             job->row ? job->row->name : "dispatcher", x8 ? "x8-" : "", dtype_name(t), (long long)N, c->what,
             (long long)M, (long long)K, (unsigned long long)seed);

    /* Host data. W's padding bytes are NaN patterns: never read. */
    const size_t wbytes = (size_t)((M - 1) * ldw + K);
    uint8_t *hw = malloc(wbytes + 16);
    assert_true(N > 0 && ldx >= K); /* (also tells the compiler the sizes are positive) */
    const size_t xelems = (size_t)N * (size_t)ldx;
    uint16_t *hx = malloc(sizeof(uint16_t) * xelems);
    uint8_t *hx8 = malloc(xelems);
    uint16_t *hb = malloc(sizeof(uint16_t) * (size_t)(N * ldy));
    float *hs = malloc(sizeof(float) * (size_t)M);
    assert_true(hw && hx && hx8 && hb && hs);
    memset(hw, 0x7f, wbytes + 16);
    for (int64_t m = 0; m < M; m++)
        for (int64_t k = 0; k < K; k++) {
            uint8_t b = exact == 1 ? (uint8_t)((m * 7 + k * 13) & 0xff)
                        : exact == 2 ? (uint8_t)(k == (m * 5 + 3) % K ? FP8_ONE : 0u)
                                     : rand_fp8(&r);
            if (exact == 1 && (b & 0x7f) == 0x7f) b = 0x00;
            hw[m * ldw + k] = b;
        }
    for (int64_t i = 0; i < N * ldx; i++) hx[i] = POISON16; /* x padding: never read */
    memset(hx8, 0x7f, xelems);                             /* fp8 x padding: NaN bytes, never read */
    for (int64_t n = 0; n < N; n++)
        for (int64_t k = 0; k < K; k++) {
            if (x8) {
                uint8_t b = exact == 1 ? (uint8_t)(k == (n * 5 + 3) % K ? FP8_ONE : 0u)
                            : exact == 2 ? (uint8_t)((n * 11 + k * 13) & 0xff)
                                         : rand_fp8(&r);
                if (exact == 2 && (b & 0x7f) == 0x7f) b = 0x00;
                hx8[n * ldx + k] = b;
            } else {
                hx[n * ldx + k] = exact ? to16(k == (n * 5 + 3) % K ? 1.0 : 0.0, t) : to16(rng_uniform(&r), t);
            }
        }
    for (int64_t i = 0; i < N * ldy; i++) hb[i] = exact ? to16(0.0, t) : to16(rng_uniform(&r) * 4.0, t);
    /* Scales: powers of two in the exact case, else near 1/64 (realistic
     * fp8 scales: |w| reaches 448). */
    const float tensor_scale = exact ? 0.5f : 0.0123f;
    /* x_scale: random e4m3 x reaches 448, so about 1/64 keeps the sums in
     * fp16's range; a power of two in the exact cases. */
    const float x_scale = exact ? 0.25f : 0.0171f;
    for (int64_t m = 0; m < M; m++)
        hs[m] = exact ? ldexpf(1.0f, (int)(m % 5) - 2) : 0.5f + 1.5f * (rng_uniform(&r) + 1.0f) / 2.0f;

    /* Device data: W as bytes with 64 bytes of NaN-pattern guard each side. */
    uint8_t *dw_alloc = NULL;
    RT_CHECK(skinny_rt_malloc((void **)&dw_alloc, wbytes + 128));
    RT_CHECK(skinny_rt_memset(dw_alloc, 0x7f, wbytes + 128));
    RT_CHECK(skinny_rt_memcpy(dw_alloc + 64, hw, wbytes, SKINNY_RT_H2D));
    dbuf dx, db, dy;
    /* fp8 x: N * ldx bytes in a buffer of 16-bit elements (rounded up). */
    dbuf_alloc(&dx, x8 ? (size_t)(N * ldx + 1) / 2 : (size_t)(N * ldx), 64);
    if (x8) {
        dbuf_upload(&dx, NULL);
        RT_CHECK(skinny_rt_memcpy(dx.base, hx8, (size_t)(N * ldx), SKINNY_RT_H2D));
    } else {
        dbuf_upload(&dx, hx);
    }
    dbuf_alloc(&db, (size_t)(N * ldy), 64);
    dbuf_upload(&db, hb);
    const size_t y_guard = 64;
    dbuf_alloc(&dy, (size_t)(N * ldy), y_guard);
    dbuf_upload(&dy, NULL); /* all poison */
    float *d_scale = upload(&tensor_scale, sizeof tensor_scale);
    float *d_rows = c->row_scale ? upload(hs, sizeof(float) * (size_t)M) : NULL;
    float *d_xscale = x8 ? upload(&x_scale, sizeof x_scale) : NULL;

    skinny_gemm_desc d = {t, N, M, K, dw_alloc + 64, ldw, dx.base, ldx, dy.base, ldy, c->bias,
                          c->bias == SKINNY_BIAS_NONE ? NULL : db.base, ldy, 0,
                          SKINNY_FP8_E4M3, x8 ? SKINNY_FP8_E4M3 : 0, d_scale, d_rows, d_xscale};
    skinny_choice ch;
    const skinny_status st = job->row ? skinny_gemm_named(&d, job->row->name, NULL, &ch) : skinny_gemm_ex(&d, NULL, &ch);
    if (st != SKINNY_OK) fail_msg("%s: %s", ctx, skinny_status_string(st));
    if (!strstr(ch.kernel, "_f")) fail_msg("%s: ran %s, not an MMA_FP8 row", ctx, ch.kernel);
    RT_CHECK(skinny_rt_get_last_error());
    RT_CHECK(skinny_rt_device_synchronize());
    const size_t y_all = (size_t)(N * ldy) + 2 * dy.guard;
    uint16_t *hy = malloc(sizeof(uint16_t) * y_all);
    assert_non_null(hy);
    dbuf_download_all(&dy, hy);

    for (size_t i = 0; i < dy.guard; i++) {
        if (hy[i] != POISON16) fail_msg("%s: guard before y overwritten at -%zu", ctx, dy.guard - i);
        if (hy[y_all - 1 - i] != POISON16) fail_msg("%s: guard after y overwritten at +%zu", ctx, i);
    }
    const uint16_t *y = hy + dy.guard;
    const double eps = eps_of(t);
    double worst = 0;
    /* The reference (threads where OpenMP is there: decode shapes are
     * ~1e9 multiply-adds), then the checks in order. */
    double *refs = malloc(sizeof(double) * 2 * (size_t)(N * M));
    double fv[256];
    assert_non_null(refs);
    for (int b = 0; b < 256; b++) fv[b] = fp8_value((uint8_t)b);
    double *abs_sums = malloc(sizeof(double) * (size_t)(N * M));
    assert_non_null(abs_sums);
#pragma omp parallel for schedule(static)
    for (int64_t m = 0; m < M; m++) {
        const double s = (double)tensor_scale * (c->row_scale ? (double)hs[m] : 1.0) * (x8 ? (double)x_scale : 1.0);
        for (int64_t n = 0; n < N; n++) {
            double ref = 0, sq = 0, ab = 0;
            for (int64_t k = 0; k < K; k++) {
                const double xv = x8 ? fv[hx8[n * ldx + k]] : elem_to_double(hx[n * ldx + k], t);
                const double term = xv * fv[hw[m * ldw + k]] * s;
                ref += term;
                sq += term * term;
                ab += fabs(term);
            }
            if (c->bias == SKINNY_BIAS_M) ref += elem_to_double(hb[m], t);
            else if (c->bias == SKINNY_BIAS_NM) ref += elem_to_double(hb[n * ldy + m], t);
            refs[2 * (n * M + m)] = ref;
            refs[2 * (n * M + m) + 1] = sq;
            abs_sums[n * M + m] = ab;
        }
    }
    for (int64_t n = 0; n < N; n++) {
        for (int64_t m = M; m < ldy; m++)
            if (y[n * ldy + m] != POISON16) fail_msg("%s: y padding [%lld][%lld] written", ctx, (long long)n, (long long)m);
        for (int64_t m = 0; m < M; m++) {
            const double ref = refs[2 * (n * M + m)], sq = refs[2 * (n * M + m) + 1];
            const uint16_t bits = y[n * ldy + m];
            if (bits == POISON16) fail_msg("%s: y[%lld][%lld] not written", ctx, (long long)n, (long long)m);
            const double out = elem_to_double(bits, t);
            if (exact) { /* numerically: -0 and +0 both right for a -0 weight */
                if (!(out == ref)) {
                    if (exact == 2)
                        fail_msg("%s: y[%lld][%lld] = %.9g, want exactly %.9g (x byte 0x%02x)", ctx, (long long)n,
                                 (long long)m, out, ref, hx8[n * ldx + (m * 5 + 3) % K]);
                    fail_msg("%s: y[%lld][%lld] = %.9g, want exactly %.9g (weight byte 0x%02x)", ctx, (long long)n,
                             (long long)m, out, ref, hw[m * ldw + (n * 5 + 3) % K]);
                }
                continue;
            }
            /* fp8 x: the e4m3 mma's accumulation (see the top). */
            const double allowed = eps * fabs(ref) + 4.0 * eps * sqrt(sq) + (x8 ? 0x1p-13 * abs_sums[n * M + m] : 0.0);
            const double err = fabs(out - ref);
            if (!(err <= allowed)) /* NaN fails too */
                fail_msg("%s: y[%lld][%lld] = %.9g, ref %.9g, |err| %.3g > %.3g", ctx, (long long)n, (long long)m, out,
                         ref, err, allowed);
            if (allowed > 0 && err / allowed > worst) worst = err / allowed;
        }
    }
    free(refs);
    free(abs_sums);
    free(hw);
    free(hx);
    free(hx8);
    free(hb);
    free(hs);
    free(hy);
    RT_CHECK(skinny_rt_free(dw_alloc));
    RT_CHECK(skinny_rt_free(d_scale));
    if (d_rows) RT_CHECK(skinny_rt_free(d_rows));
    if (d_xscale) RT_CHECK(skinny_rt_free(d_xscale));
    dbuf_free(&dx);
    dbuf_free(&db);
    dbuf_free(&dy);
    return worst;
}

static void test_job(void **state)
{
    fjob *job = *state;
    fcase cases[32];
    const int nc = make_cases(job->row, cases);
    /* Named rows: every case; the dispatcher: the shapes it is meant for. */
    uint64_t seed = g_seed ^ ((uint64_t)(job - g_jobs) << 32);
    job->worst = 0;
    const fcase one = {"one weight per output (exact)", cases[0].m, 256, 16, 8, 8, SKINNY_BIAS_NONE, 1};
    run_case(job, &one, 1, seed);
    if (job->x8) {
        const fcase onex = {"one x per output (exact)", cases[0].m, 264, 8, 8, 8, SKINNY_BIAS_NONE, 1};
        run_case(job, &onex, 2, seed);
    }
    /* SKINNY_FP8_QUICK=1 (the compute-sanitizer run): the small shapes only. */
    const char *quick = getenv("SKINNY_FP8_QUICK");
    for (int i = 0; i < nc; i++) {
        const int big = cases[i].m * cases[i].k >= (1 << 22);
        if (!job->row && !big) continue;
        if (quick && *quick == '1' && big) continue;
        /* Named rows: one decode shape (the dispatcher jobs run them all). */
        if (job->row && big && cases[i].m * cases[i].k > (int64_t)4112 * 4112) continue;
        const double w = run_case(job, &cases[i], 0, seed + (uint64_t)i + 1);
        if (w > job->worst) job->worst = w;
    }
    print_message("%s/%s%s N=%d: worst |err| / allowed %.3f\n", job->row ? job->row->name : "dispatcher",
                  job->x8 ? "x8-" : "", dtype_name(job->dtype), job->n, job->worst);
}

/* Batch-invariant mode with fp8 weights: row 0 of y bit-identical for every
 * N (same x row 0, other rows different), as for 16-bit weights; with 16-bit
 * x (test_invariant) and with fp8 x (test_invariant_x8: e4m3 x, the other
 * rows' bytes including NaN patterns). */
static void run_invariant(int x8)
{
    const int64_t M = 4096 + 16, K = 4096 + 64;
    rng r = {g_seed ^ 0x5157};
    uint8_t *hw = malloc((size_t)(M * K));
    uint16_t *hx = malloc(sizeof(uint16_t) * (size_t)(16 * K));
    uint16_t *hy = malloc(sizeof(uint16_t) * (size_t)(16 * M)), *y1 = malloc(sizeof(uint16_t) * (size_t)M);
    assert_true(hw && hx && hy && y1);
    for (int64_t i = 0; i < M * K; i++) hw[i] = rand_fp8(&r);
    const float scale = 0.0123f, xscale = 0.0171f;
    uint8_t *dw = upload(hw, (size_t)(M * K));
    float *ds = upload(&scale, sizeof scale);
    float *dxs = x8 ? upload(&xscale, sizeof xscale) : NULL;
    uint8_t *hx8 = (uint8_t *)hx; /* fp8 x: the first 16 K bytes of hx */
    for (int dt = 0; dt < 2; dt++) {
        const skinny_dtype t = dt ? SKINNY_BF16 : SKINNY_F16;
        for (int64_t i = 0; i < 16 * K; i++) {
            if (x8) hx8[i] = rand_fp8(&r);
            else hx[i] = to16(rng_uniform(&r), t);
        }
        uint16_t *dx = upload(hx, sizeof(uint16_t) * (size_t)(16 * K));
        uint16_t *dy = NULL;
        RT_CHECK(skinny_rt_malloc((void **)&dy, sizeof(uint16_t) * (size_t)(16 * M)));
        for (int n = 1; n <= 16; n++) {
            if (skinny_supported(SKINNY_FP8_E4M3, n, M, K, g_dev.wave_size) != SKINNY_OK) continue;
            /* A different row 0 position's neighbours each N: rows 1.. move. */
            RT_CHECK(skinny_rt_memset(dy, 0xff, sizeof(uint16_t) * (size_t)(16 * M)));
            skinny_gemm_desc d = {t, n, M, K, dw, 0, dx, 0, dy, 0, SKINNY_BIAS_NONE, NULL, 0,
                                  SKINNY_FLAG_BATCH_INVARIANT, SKINNY_FP8_E4M3, x8 ? SKINNY_FP8_E4M3 : 0, ds, NULL, dxs};
            const skinny_status st = skinny_gemm(&d, NULL);
            if (st != SKINNY_OK)
                fail_msg("invariant %s%s N=%d: %s", x8 ? "x8-" : "", dtype_name(t), n, skinny_status_string(st));
            RT_CHECK(skinny_rt_device_synchronize());
            RT_CHECK(skinny_rt_memcpy(hy, dy, sizeof(uint16_t) * (size_t)M, SKINNY_RT_D2H));
            if (n == 1) memcpy(y1, hy, sizeof(uint16_t) * (size_t)M);
            else if (memcmp(y1, hy, sizeof(uint16_t) * (size_t)M) != 0)
                fail_msg("invariant %s%s: row 0 of N=%d differs from N=1", x8 ? "x8-" : "", dtype_name(t), n);
            /* Shuffle the other rows for the next N (fp8 x: any byte,
             * NaN patterns included, which must not reach row 0). */
            if (x8) {
                for (int64_t i = K; i < 16 * K; i++) hx8[i] = (uint8_t)(rng_next(&r) >> 56);
                RT_CHECK(skinny_rt_memcpy((uint8_t *)dx + K, hx8 + K, (size_t)(15 * K), SKINNY_RT_H2D));
            } else {
                for (int64_t i = K; i < 16 * K; i++) hx[i] = to16(rng_uniform(&r), t);
                RT_CHECK(skinny_rt_memcpy(dx + K, hx + K, sizeof(uint16_t) * (size_t)(15 * K), SKINNY_RT_H2D));
            }
        }
        RT_CHECK(skinny_rt_free(dx));
        RT_CHECK(skinny_rt_free(dy));
    }
    RT_CHECK(skinny_rt_free(dw));
    RT_CHECK(skinny_rt_free(ds));
    if (dxs) RT_CHECK(skinny_rt_free(dxs));
    free(hw);
    free(hx);
    free(hy);
    free(y1);
}

static void test_invariant(void **state)
{
    (void)state;
    run_invariant(0);
}

static void test_invariant_x8(void **state)
{
    (void)state;
    run_invariant(1);
}

/* Bad fp8 descriptors launch nothing: y stays poisoned. */
static void test_errors_launch_nothing(void **state)
{
    (void)state;
    const int64_t N = 2, M = 64, K = 64;
    uint8_t *dw = NULL;
    uint16_t *dx = NULL, *dy = NULL;
    float *ds = NULL;
    RT_CHECK(skinny_rt_malloc((void **)&dw, (size_t)(M * K)));
    RT_CHECK(skinny_rt_memset(dw, 0, (size_t)(M * K)));
    RT_CHECK(skinny_rt_malloc((void **)&dx, sizeof(uint16_t) * (size_t)(N * K)));
    RT_CHECK(skinny_rt_memset(dx, 0, sizeof(uint16_t) * (size_t)(N * K)));
    RT_CHECK(skinny_rt_malloc((void **)&dy, sizeof(uint16_t) * (size_t)(N * M)));
    RT_CHECK(skinny_rt_memset(dy, 0xff, sizeof(uint16_t) * (size_t)(N * M)));
    RT_CHECK(skinny_rt_malloc((void **)&ds, 8));
    const skinny_gemm_desc good = {SKINNY_BF16, N, M, K, dw, 0, dx, 0, dy, 0, SKINNY_BIAS_NONE, NULL, 0, 0,
                                   SKINNY_FP8_E4M3, 0, ds, NULL, NULL};
    skinny_gemm_desc d = good;
    d.w_scale = NULL;
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_MISSING_SCALE);
    d = good;
    d.w_row_scale = (const float *)((const char *)ds + 2);
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_MISALIGNED_SCALE);
    /* fp8 activations */
    d = good;
    d.x_dtype = SKINNY_FP8_E4M3;
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_MISSING_SCALE);
    d.x_scale = (const float *)((const char *)ds + 2);
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_MISALIGNED_SCALE);
    d.x_scale = ds;
    d.ld_x = K + 8; /* bytes: not a multiple of 16 */
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_MISALIGNED);
    d.ld_x = 0;
    d.x = (const uint8_t *)dx + 8;
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_MISALIGNED);
    d = good;
    d.x_scale = ds; /* with 16-bit x */
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_UNEXPECTED_SCALE);
    d = good;
    d.w_dtype = 0;
    d.w_scale = NULL;
    d.x_dtype = SKINNY_FP8_E4M3;
    d.x_scale = ds; /* fp8 x with 16-bit W */
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_DTYPE_COMBINATION);
    RT_CHECK(skinny_rt_device_synchronize());
    uint16_t hy[2 * 64];
    RT_CHECK(skinny_rt_memcpy(hy, dy, sizeof hy, SKINNY_RT_D2H));
    for (size_t i = 0; i < sizeof hy / sizeof hy[0]; i++) assert_int_equal(hy[i], POISON16);
    RT_CHECK(skinny_rt_free(dw));
    RT_CHECK(skinny_rt_free(dx));
    RT_CHECK(skinny_rt_free(dy));
    RT_CHECK(skinny_rt_free(ds));
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

    /* SKINNY_TEST_ONLY=a,b: only tests whose name contains one of them
     * (the compute-sanitizer run takes a few rows). */
    const char *only = getenv("SKINNY_TEST_ONLY");
    struct CMUnitTest tests[520];
    static char names[512][64];
    int nt = 0, nj = 0;
    const skinny_dtype dtypes[2] = {SKINNY_F16, SKINNY_BF16};
    /* x8 0: 16-bit x; 1: fp8 x (names "ROW/x8-DTYPE"). */
    for (int x8 = 0; x8 < 2; x8++)
    for (int t = 0; t < 2; t++) {
        for (size_t i = 0; i < skinny_row_count && nj < 460; i++) {
            const skinny_row *row = &skinny_rows[i];
            const int slot = x8 ? (dtypes[t] == SKINNY_F16 ? SKINNY_DTYPE_SLOT_X8_F16 : SKINNY_DTYPE_SLOT_X8_BF16)
                                : (dtypes[t] == SKINNY_F16 ? SKINNY_DTYPE_SLOT_F16 : SKINNY_DTYPE_SLOT_BF16);
            if (row->kind != SKINNY_KIND_MMA_FP8 || row->wave != g_dev.wave_size || !row->launch[slot]) continue;
            g_jobs[nj] = (fjob){row, row->n, dtypes[t], x8, 0};
            snprintf(names[nt], sizeof names[nt], "%s/%s%s", row->name, x8 ? "x8-" : "", dtype_name(dtypes[t]));
            if (only && !name_selected(names[nt], only)) continue;
            tests[nt] = (struct CMUnitTest){names[nt], test_job, NULL, NULL, &g_jobs[nj]};
            nt++;
            nj++;
        }
        /* The dispatcher's own choice, N = 1..16, on the decode shapes. */
        for (int n = 1; n <= 16 && nj < 512; n++) {
            if (skinny_supported(SKINNY_FP8_E4M3, n, 4096, 4096, g_dev.wave_size) != SKINNY_OK) continue;
            g_jobs[nj] = (fjob){NULL, n, dtypes[t], x8, 0};
            snprintf(names[nt], sizeof names[nt], "dispatcher/N=%d/%s%s", n, x8 ? "x8-" : "", dtype_name(dtypes[t]));
            if (only && !name_selected(names[nt], only)) continue;
            tests[nt] = (struct CMUnitTest){names[nt], test_job, NULL, NULL, &g_jobs[nj]};
            nt++;
            nj++;
        }
    }
    if (nt == 0 && !only) {
        fprintf(stderr, "no MMA_FP8 row built for this device's wave size %d\n", g_dev.wave_size);
        return 1;
    }
    tests[nt++] = (struct CMUnitTest){"batch-invariant fp8", test_invariant, NULL, NULL, NULL};
    tests[nt++] = (struct CMUnitTest){"batch-invariant fp8 x8", test_invariant_x8, NULL, NULL, NULL};
    tests[nt++] = (struct CMUnitTest){"fp8 errors launch nothing", test_errors_launch_nothing, NULL, NULL, NULL};
    const int failed = _cmocka_run_group_tests("gpu_fp8", tests, (size_t)nt, NULL, NULL);
    return failed ? 1 : 0;
}
