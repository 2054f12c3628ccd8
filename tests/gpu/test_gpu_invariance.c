/* test_gpu_invariance.c - the batch-invariance guarantee of
 * SKINNY_FLAG_BATCH_INVARIANT (skinny.h), bit for bit on the device.
 *
 * Per shape and dtype: one chosen x row is multiplied alone (N = 1), and
 * that result is the reference. Then for every N = 2..16 the chosen row is
 * placed first, in the middle and last of a batch whose other rows hold
 * fresh garbage (random values with NaN and Inf sprinkled in), and its row
 * of y must equal the reference in every bit; y is poisoned before each
 * call, so an unwritten element fails too. The N = 1 call is repeated on
 * another stream, and N = 16 twice. The reference itself is checked
 * against a CPU double product on sampled columns, so a wrong but
 * consistent kernel cannot pass. SKINNY_GPU_INVARIANCE_RESULTS=FILE writes
 * a Markdown summary (tests/gpu/run-gpu-suite.sh appends it to RESULTS.md);
 * SKINNY_INVARIANCE_MAX_MB=X skips shapes with more than X MB of weights.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gpu_harness.h"

typedef struct shape {
    int64_t m, k;
    int64_t pad_x, pad_y; /* row strides K + pad_x, M + pad_y */
    int bias;             /* SKINNY_BIAS_M */
} shape;

/* The default bench set, the two models' projection shapes, and edges: K
 * not a multiple of the 128-element K group, tiny M and K, padded strides,
 * bias. */
static const shape shapes[] = {
    {2048, 2048, 0, 0, 0},     {1024, 4096, 0, 0, 0},   {4096, 4096, 0, 0, 1},
    {6144, 4096, 0, 0, 0},     {24576, 4096, 0, 0, 0},  {4096, 12288, 0, 0, 0},
    {8192, 8192, 0, 0, 0},     {10240, 8192, 0, 0, 0},  {8192, 28672, 0, 0, 0},
    {151936, 4096, 0, 0, 0},   {28672, 4096, 0, 0, 0},  {4096, 14336, 0, 0, 0},
    {128256, 4096, 0, 0, 0},   {4608, 3584, 0, 0, 1},   {3584, 3584, 0, 0, 0},
    {37888, 3584, 0, 0, 0},    {3584, 18944, 0, 0, 0},  {152064, 3584, 0, 0, 0},
    {1, 8, 0, 0, 0},           {37, 200, 8, 3, 1},      {4097, 4112, 16, 1, 0},
    {100, 32784, 8, 0, 0},     {8, 24, 0, 5, 1},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* The largest weights are filled by repeating one random block: the
 * guarantee does not care, and host RNG time stays small. */
enum { FILL_BLOCK = 1 << 22, MAXN = 16, SAMPLES = 48 };

static int g_cases[NSHAPES][2];
static int g_ok[NSHAPES][2];
static const char *g_kernel[NSHAPES][2];

typedef struct gpu_case {
    const shape *s;
    skinny_dtype t;
    dbuf w, x, y, b;
    int64_t ld_x, ld_y;
    uint16_t *hx, *hy, *ref, *bias, *wblock, *chosen;
} gpu_case;

static void upload_w(gpu_case *c, rng *r)
{
    const size_t n = (size_t)(c->s->m * c->s->k), block = n < FILL_BLOCK ? n : FILL_BLOCK;
    c->wblock = malloc(block * sizeof *c->wblock);
    fill_random(c->wblock, block, c->t, r);
    dbuf_alloc(&c->w, n, 0);
    for (size_t at = 0; at < n; at += block) {
        const size_t len = n - at < block ? n - at : block;
        RT_CHECK(skinny_rt_memcpy(c->w.base + at, c->wblock, len * 2, SKINNY_RT_H2D));
    }
}

static double w_at(const gpu_case *c, int64_t row, int64_t col)
{
    const size_t n = (size_t)(c->s->m * c->s->k), block = n < FILL_BLOCK ? n : FILL_BLOCK;
    return elem_to_double(c->wblock[(size_t)(row * c->s->k + col) % block], c->t);
}

/* Garbage for the other rows: uniform values, every 97th a NaN, every
 * 89th an infinity (0xFFFF and 0x7F80 / 0x7C00 in bf16 / fp16). */
static void fill_garbage(uint16_t *dst, size_t n, skinny_dtype t, rng *r)
{
    fill_random(dst, n, t, r);
    const uint16_t inf = t == SKINNY_BF16 ? 0x7F80u : 0x7C00u;
    for (size_t i = rng_next(r) % 97; i < n; i += 97) dst[i] = 0xFFFFu;
    for (size_t i = rng_next(r) % 89; i < n; i += 89) dst[i] = inf;
}

/* y row `pos` of one call on `stream`: x = garbage with the chosen row at
 * pos, y poisoned first. Returns the kernel the dispatcher ran. */
static const char *run(gpu_case *c, int n, int pos, rng *r, void *stream, uint16_t *out)
{
    const shape *s = c->s;
    fill_garbage(c->hx, (size_t)(n * c->ld_x), c->t, r);
    memcpy(c->hx + pos * c->ld_x, c->chosen, (size_t)s->k * 2);
    RT_CHECK(skinny_rt_memcpy(c->x.base, c->hx, (size_t)(n * c->ld_x) * 2, SKINNY_RT_H2D));
    dbuf_upload(&c->y, NULL);
    skinny_gemm_desc d = {c->t, n, s->m, s->k, c->w.base, 0, c->x.base, c->ld_x, c->y.base, c->ld_y,
                          s->bias ? SKINNY_BIAS_M : SKINNY_BIAS_NONE, s->bias ? c->b.base : NULL, 0,
                          SKINNY_FLAG_BATCH_INVARIANT, 0, 0, NULL, NULL, NULL};
    skinny_choice ch;
    const skinny_status st = skinny_gemm_ex(&d, stream, &ch);
    if (st != SKINNY_OK)
        fail_msg("%lldx%lld N=%d: %s", (long long)s->m, (long long)s->k, n, skinny_status_string(st));
    RT_CHECK(skinny_rt_device_synchronize());
    RT_CHECK(skinny_rt_get_last_error());
    RT_CHECK(skinny_rt_memcpy(out, c->y.base + pos * c->ld_y, (size_t)s->m * 2, SKINNY_RT_D2H));
    return ch.kernel;
}

static void expect_same(const gpu_case *c, const uint16_t *got, int n, int pos, const char *what)
{
    for (int64_t j = 0; j < c->s->m; j++)
        if (got[j] != c->ref[j])
            fail_msg("%lldx%lld %s: N=%d row at %d (%s): y[%lld] = 0x%04x, N=1 gave 0x%04x",
                     (long long)c->s->m, (long long)c->s->k, c->t == SKINNY_BF16 ? "bf16" : "fp16", n,
                     pos, what, (long long)j, got[j], c->ref[j]);
}

/* The reference is right, not just repeatable: sampled columns against a
 * double product (the gemm suite's tolerance: eps sqrt(K) + 1 %). */
static void check_reference(const gpu_case *c, rng *r)
{
    const double eps = c->t == SKINNY_BF16 ? 0x1p-7 : 0x1p-10;
    for (int i = 0; i < SAMPLES; i++) {
        const int64_t j = i == 0 ? c->s->m - 1 : (int64_t)(rng_next(r) % (uint64_t)c->s->m);
        double want = 0;
        for (int64_t k = 0; k < c->s->k; k++) want += w_at(c, j, k) * elem_to_double(c->chosen[k], c->t);
        if (c->s->bias) want += elem_to_double(c->bias[j], c->t);
        const double got = elem_to_double(c->ref[j], c->t);
        const double tol = eps * sqrt((double)c->s->k) + 1e-2 * fabs(want);
        if (!(fabs(got - want) <= tol))
            fail_msg("%lldx%lld: N=1 y[%lld] = %g, double reference %g", (long long)c->s->m,
                     (long long)c->s->k, (long long)j, got, want);
    }
}

static void one_case(size_t si, int ti)
{
    gpu_case c = {.s = &shapes[si], .t = ti ? SKINNY_F16 : SKINNY_BF16};
    const shape *s = c.s;
    rng r = {0x1234 + si * 31 + (uint64_t)ti};
    c.ld_x = s->k + s->pad_x;
    c.ld_y = s->m + s->pad_y;
    upload_w(&c, &r);
    dbuf_alloc(&c.x, (size_t)(MAXN * c.ld_x), 0);
    dbuf_alloc(&c.y, (size_t)(MAXN * c.ld_y), 64);
    c.hx = malloc((size_t)(MAXN * c.ld_x) * 2);
    c.hy = malloc((size_t)s->m * 2);
    c.ref = malloc((size_t)s->m * 2);
    c.chosen = malloc((size_t)s->k * 2);
    fill_random(c.chosen, (size_t)s->k, c.t, &r);
    if (s->bias) {
        c.bias = malloc((size_t)s->m * 2);
        fill_random(c.bias, (size_t)s->m, c.t, &r);
        dbuf_alloc(&c.b, (size_t)s->m, 0);
        dbuf_upload(&c.b, c.bias);
    }

    g_kernel[si][ti] = run(&c, 1, 0, &r, NULL, c.ref);
    check_reference(&c, &r);
    int cases = 1;
    skinny_rt_stream other;
    RT_CHECK(skinny_rt_stream_create(&other));
    run(&c, 1, 0, &r, other, c.hy);
    expect_same(&c, c.hy, 1, 0, "repeated on another stream");
    cases++;
    RT_CHECK(skinny_rt_stream_destroy(other));
    for (int n = 2; n <= MAXN; n++) {
        const int pos[3] = {0, n / 2, n - 1};
        for (int p = 0; p < 3; p++) {
            if (p && pos[p] == pos[p - 1]) continue;
            run(&c, n, pos[p], &r, NULL, c.hy);
            expect_same(&c, c.hy, n, pos[p], "garbage beside it");
            cases++;
        }
    }
    run(&c, MAXN, 3, &r, NULL, c.hy);
    expect_same(&c, c.hy, MAXN, 3, "N=16 again, new garbage");
    cases++;
    g_cases[si][ti] = cases;
    g_ok[si][ti] = 1;

    dbuf_free(&c.w);
    dbuf_free(&c.x);
    dbuf_free(&c.y);
    dbuf_free(&c.b);
    free(c.hx);
    free(c.hy);
    free(c.ref);
    free(c.chosen);
    free(c.bias);
    free(c.wblock);
}

static void test_shape(void **state)
{
    const size_t si = (size_t)(uintptr_t)*state;
    /* SKINNY_INVARIANCE_MAX_MB: only shapes with at most that many MB of
     * weights (run-sanitizers.sh: the tools slow kernels 10-100x). */
    const char *max_mb = getenv("SKINNY_INVARIANCE_MAX_MB");
    if (max_mb && (double)shapes[si].m * (double)shapes[si].k * 2 > atof(max_mb) * 1e6) skip();
    for (int ti = 0; ti < 2; ti++) one_case(si, ti);
}

static void write_summary(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        return;
    }
    int total = 0, shapes_ok = 0;
    for (size_t i = 0; i < NSHAPES; i++) {
        total += g_cases[i][0] + g_cases[i][1];
        shapes_ok += g_ok[i][0] && g_ok[i][1];
    }
    fprintf(f, "## Batch invariance (test_gpu_invariance, SKINNY_FLAG_BATCH_INVARIANT)\n\n");
    fprintf(f, "%d of %zu shapes x {bf16, fp16} bit-identical: the chosen row's y at N = 2..16 "
               "(first, middle, last; garbage with NaN/Inf beside it), again at N = 16, and at "
               "N = 1 on another stream, against N = 1; %d calls in all.\n\n",
            shapes_ok, NSHAPES, total);
    fprintf(f, "| M x K | pads (x, y) | bias | N = 1 kernel (bf16) | calls | bit-identical |\n|---|---|---|---|---:|---|\n");
    for (size_t i = 0; i < NSHAPES; i++)
        fprintf(f, "| %lldx%lld | %lld, %lld | %s | %s | %d | %s |\n", (long long)shapes[i].m,
                (long long)shapes[i].k, (long long)shapes[i].pad_x, (long long)shapes[i].pad_y,
                shapes[i].bias ? "m" : "none", g_kernel[i][0] ? g_kernel[i][0] : "-",
                g_cases[i][0] + g_cases[i][1], g_ok[i][0] && g_ok[i][1] ? "yes" : "NO");
    fclose(f);
}

int main(void)
{
    if (!gpu_available()) return 77;
    struct CMUnitTest tests[NSHAPES];
    static char names[NSHAPES][48];
    for (size_t i = 0; i < NSHAPES; i++) {
        snprintf(names[i], sizeof names[i], "invariant %lldx%lld", (long long)shapes[i].m,
                 (long long)shapes[i].k);
        tests[i] = (struct CMUnitTest){names[i], test_shape, NULL, NULL, (void *)(uintptr_t)i};
    }
    const int failed = cmocka_run_group_tests(tests, NULL, NULL);
    const char *out = getenv("SKINNY_GPU_INVARIANCE_RESULTS");
    if (out) write_summary(out);
    return failed ? 1 : 0;
}
