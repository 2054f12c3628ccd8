/* bench_fp8.c - see bench_fp8.h. What is compared, per cell (activation
 * dtype t = bf16 or fp16, M x K, N):
 *   - ours: skinny_gemm with fp8 e4m3 weights (w_dtype SKINNY_FP8_E4M3, a
 *     per-tensor scale), x and y of type t: the dispatcher's MMA_FP8 row;
 *   - cuBLAS 16-bit: cublasGemmEx with W as type t (the same fp8 values
 *     decoded, exact in t; alpha = the scale), the same x: what serving
 *     without fp8 support runs, reading twice the weight bytes;
 *   - cuBLASLt fp8: cublasLtMatmul with e4m3 A (= our W bytes, A scale = our
 *     scale) and e4m3 B: Hopper's fp8 GEMM takes only fp8 x (both operands
 *     e4m3 or one e5m2), the "TN" layout and dims that are multiples of 16,
 *     so x is quantized to e4m3 once per shape beforehand (B scale 1; x is
 *     in [-1, 1)), N is padded to the next multiple of 16 with zero rows
 *     (the padded N is reported), and the output is t. Its time excludes the
 *     quantization of x, which a caller would also pay. Where cuBLASLt
 *     returns no algorithm (or M, K are not multiples of 16) the cell says
 *     "refused" and why;
 *   - ours with fp8 x (x_dtype SKINNY_FP8_E4M3, x_scale 1): the same e4m3 x
 *     bytes cuBLASLt gets, the same W and scale, the dispatcher's MMA_FP8 row
 *     through its fp8-activation launcher: the apples-to-apples comparison
 *     with cuBLASLt fp8 (both read 1-byte x; neither pays for quantizing
 *     x). Checked against cuBLAS 16-bit run on the quantized x decoded to
 *     the 16-bit type (exact), i.e. the same math with fp32 sums.
 * GB/s and % of the read ceiling count each kernel's own bytes (fp8 W: 1
 * byte per weight, 16-bit W: 2) plus x and y once; the check compares ours
 * with cuBLAS 16-bit (same math: exact weights, fp32 sums), cuBLASLt's
 * relative difference from it is reported (it includes x's quantization).
 * Weights rotate over copies so the working set exceeds 4x L2, as in the
 * main sweep. */
#include "bench_fp8.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(SKINNY_BENCH_HAVE_LT)
#include <cublasLt.h>
#endif

#include "halfconv.h"
#include "skinny_port.h"
#include "skinny_row.h"

typedef struct fp8_ctx {
    skinny_dtype t;
    long m, k;
    int n, n_pad;
    uint8_t *w8;  /* copies8 fp8 weight matrices, wb8 bytes apart */
    char *w16;    /* copies16 16-bit ones, wb16 bytes apart */
    size_t wb8, wb16;
    int copies8, copies16;
    void *x16, *x8, *y, *y_ref, *y_lt;
    void *x16q; /* x8 decoded to t (exact): cuBLAS 16-bit's input for the fp8-x check */
    float *d_scale, *d_one;
    float scale;
    cublasHandle_t blas;
    cudaStream_t stream;
    int graph;
    skinny_choice choice;
    const char *kernel; /* a row by name (--tune), or NULL: the dispatcher */
#if defined(SKINNY_BENCH_HAVE_LT)
    cublasLtHandle_t lt;
    cublasLtMatmulDesc_t op;
    cublasLtMatrixLayout_t la, lb, lc;
    cublasLtMatmulAlgo_t algo;
    void *ws;
#endif
} fp8_ctx;

typedef struct fp8_batch {
    fp8_ctx *c;
    void (*op)(fp8_ctx *, int);
    int reps, copies;
} fp8_batch;

static void run_ours(fp8_ctx *c, int copy)
{
    const skinny_gemm_desc d = {c->t, c->n, c->m, c->k, c->w8 + (size_t)copy * c->wb8, 0, c->x16, 0, c->y, 0,
                                SKINNY_BIAS_NONE, NULL, 0, 0, SKINNY_FP8_E4M3, 0, c->d_scale, NULL, NULL};
    CKS(skinny_gemm_named(&d, c->kernel, c->stream, &c->choice));
}

/* ours with fp8 e4m3 x (x_scale 1): the X8 launcher of the same rows. */
static skinny_status try_ours_x8(fp8_ctx *c, int copy)
{
    const skinny_gemm_desc d = {c->t, c->n, c->m, c->k, c->w8 + (size_t)copy * c->wb8, 0, c->x8, 0, c->y, 0,
                                SKINNY_BIAS_NONE, NULL, 0, 0, SKINNY_FP8_E4M3, SKINNY_FP8_E4M3, c->d_scale, NULL,
                                c->d_one};
    return skinny_gemm_named(&d, c->kernel, c->stream, &c->choice);
}

static void run_ours_x8(fp8_ctx *c, int copy) { CKS(try_ours_x8(c, copy)); }

static void blas16_on(fp8_ctx *c, int copy, const void *x)
{
    const float beta = 0.0f;
    const cudaDataType t = c->t == SKINNY_BF16 ? CUDA_R_16BF : CUDA_R_16F;
    CKB(cublasGemmEx(c->blas, CUBLAS_OP_T, CUBLAS_OP_N, (int)c->m, c->n, (int)c->k, &c->scale,
                     c->w16 + (size_t)copy * c->wb16, t, (int)c->k, x, t, (int)c->k, &beta, c->y_ref, t,
                     (int)c->m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

static void run_blas16(fp8_ctx *c, int copy) { blas16_on(c, copy, c->x16); }

#if defined(SKINNY_BENCH_HAVE_LT)
static void run_lt(fp8_ctx *c, int copy)
{
    const float alpha = 1.0f, beta = 0.0f;
    CKB(cublasLtMatmul(c->lt, c->op, &alpha, c->w8 + (size_t)copy * c->wb8, c->la, c->x8, c->lb, &beta, c->y_lt,
                       c->lc, c->y_lt, c->lc, &c->algo, c->ws, BENCH_CUBLAS_WORKSPACE, c->stream));
}

/* Set up cuBLASLt's fp8 GEMM for this cell; NULL if it accepts it, else why not. */
static const char *lt_setup(fp8_ctx *c)
{
    if (c->m % 16 || c->k % 16) return "refused: M and K must be multiples of 16";
    const cudaDataType out = c->t == SKINNY_BF16 ? CUDA_R_16BF : CUDA_R_16F;
    const cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    CKB(cublasLtMatmulDescCreate(&c->op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    CKB(cublasLtMatmulDescSetAttribute(c->op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta));
    CKB(cublasLtMatmulDescSetAttribute(c->op, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb));
    CKB(cublasLtMatmulDescSetAttribute(c->op, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &c->d_scale, sizeof c->d_scale));
    CKB(cublasLtMatmulDescSetAttribute(c->op, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &c->d_one, sizeof c->d_one));
    /* Column-major: A is K x M (op T: W), B is K x n_pad (x), D is M x n_pad (y). */
    CKB(cublasLtMatrixLayoutCreate(&c->la, CUDA_R_8F_E4M3, (uint64_t)c->k, (uint64_t)c->m, c->k));
    CKB(cublasLtMatrixLayoutCreate(&c->lb, CUDA_R_8F_E4M3, (uint64_t)c->k, (uint64_t)c->n_pad, c->k));
    CKB(cublasLtMatrixLayoutCreate(&c->lc, out, (uint64_t)c->m, (uint64_t)c->n_pad, c->m));
    cublasLtMatmulPreference_t pref;
    CKB(cublasLtMatmulPreferenceCreate(&pref));
    const size_t wsb = BENCH_CUBLAS_WORKSPACE;
    CKB(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &wsb, sizeof wsb));
    cublasLtMatmulHeuristicResult_t h;
    int found = 0;
    const cublasStatus_t st = cublasLtMatmulAlgoGetHeuristic(c->lt, c->op, c->la, c->lb, c->lc, c->lc, pref, 1, &h, &found);
    CKB(cublasLtMatmulPreferenceDestroy(pref));
    if (st != CUBLAS_STATUS_SUCCESS || found == 0) return st == CUBLAS_STATUS_NOT_SUPPORTED || found == 0
                                                              ? "refused: no algorithm (heuristic found none)"
                                                              : "refused: heuristic failed";
    c->algo = h.algo;
    /* One trial call: a launch cuBLASLt rejects here is reported as refused
     * instead of ending the run inside the timing loop. */
    const float alpha = 1.0f, beta = 0.0f;
    const cublasStatus_t run = cublasLtMatmul(c->lt, c->op, &alpha, c->w8, c->la, c->x8, c->lb, &beta, c->y_lt,
                                              c->lc, c->y_lt, c->lc, &c->algo, c->ws, BENCH_CUBLAS_WORKSPACE, c->stream);
    if (run != CUBLAS_STATUS_SUCCESS) return "refused: cublasLtMatmul failed on a trial call";
    CK(cudaStreamSynchronize(c->stream));
    return NULL;
}

static void lt_teardown(fp8_ctx *c)
{
    if (c->op) CKB(cublasLtMatmulDescDestroy(c->op));
    if (c->la) CKB(cublasLtMatrixLayoutDestroy(c->la));
    if (c->lb) CKB(cublasLtMatrixLayoutDestroy(c->lb));
    if (c->lc) CKB(cublasLtMatrixLayoutDestroy(c->lc));
    c->op = NULL;
    c->la = c->lb = c->lc = NULL;
}
#endif

static void issue(void *arg, int b)
{
    const fp8_batch *fb = arg;
    for (int r = 0; r < fb->reps; r++) fb->op(fb->c, (b * fb->reps + r) % fb->copies);
}

/* Median microseconds per call (as bench_main.c's time_us). */
static double time_op(fp8_ctx *c, void (*op)(fp8_ctx *, int), int copies, int batches)
{
    const int reps = copies < 8 ? 8 : copies;
    for (int i = 0; i < 3; i++) op(c, i % copies);
    fp8_batch fb = {c, op, reps, copies};
    return bench_median_call_us(c->stream, c->graph, issue, &fb, batches, reps);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* --tune: every MMA_FP8 row of the cell's slice that has code, by name,
 * timed like the cell; a row must also agree with cuBLAS to be the best. */
static void tune_rows(const bench_fp8_cfg *cfg, fp8_ctx *c, char *best, size_t nbest, double *best_us,
                      double t_blas)
{
    const skinny_row *rows;
    const size_t nr = skinny_rows_for(c->n, 32, &rows);
    const int slot = c->t == SKINNY_BF16 ? SKINNY_DTYPE_SLOT_BF16 : SKINNY_DTYPE_SLOT_F16;
    for (size_t r = 0; r < nr; r++) {
        if (rows[r].kind != SKINNY_KIND_MMA_FP8 || !rows[r].launch[slot]) continue;
        c->kernel = rows[r].name;
        const double t = time_op(c, run_ours, c->copies8, cfg->batches);
        run_ours(c, 0);
        run_blas16(c, 0);
        CK(cudaStreamSynchronize(c->stream));
        const double e = bench_rel_err(c->y, c->y_ref, (size_t)c->n * (size_t)c->m, c->t);
        const int right = e <= bench_tolerance(c->t);
        if (cfg->measure)
            fprintf(cfg->measure, "%s,fp8w-%s,%d,%ld,%ld,%s,%.3f,%.3f,%s\n", cfg->device_key,
                    c->t == SKINNY_BF16 ? "bf16" : "fp16", c->n, c->m, c->k, rows[r].name, t, t_blas,
                    right ? "ok" : "wrong");
        if (!right)
            fprintf(stderr, "tune: %s wrong on %ldx%ld N=%d (rel err %.3g): not a candidate\n", rows[r].name, c->m,
                    c->k, c->n, e);
        else if (!(t >= *best_us)) {
            *best_us = t;
            snprintf(best, nbest, "%s", rows[r].name);
        }
    }
    c->kernel = NULL;
    if (cfg->measure) fflush(cfg->measure);
}

int bench_fp8(const bench_fp8_cfg *cfg)
{
    int wrong = 0;
#if defined(SKINNY_BENCH_HAVE_LT)
    cublasLtHandle_t lt;
    CKB(cublasLtCreate(&lt));
    void *ws;
    CK(cudaMalloc(&ws, BENCH_CUBLAS_WORKSPACE));
#endif
    fprintf(cfg->md, "\n## fp8 weights (--dtype fp8)\n\n"
                     "ours: fp8 e4m3 W (per-tensor scale), 16-bit x and y; cuBLAS: the same weights as 16-bit "
                     "(alpha = scale); cuBLASLt fp8: e4m3 W and e4m3 x (x quantized beforehand, not timed), "
                     "N padded to 16; ours fp8 x: the same e4m3 x bytes as cuBLASLt (x_scale 1), checked "
                     "against cuBLAS 16-bit on that x decoded. GB/s and %% ceiling count each kernel's own W "
                     "bytes + x + y.\n\n"
                     "| x/y | M x K | N | kernel | ours us | GB/s | %% ceiling | cuBLAS 16-bit us | speedup | "
                     "cuBLASLt fp8 us (N pad) | speedup | check | ours fp8 x us | %% ceiling | vs cuBLASLt | "
                     "check |%s\n"
                     "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|%s\n",
            cfg->tune ? " best row (tune) | best us |" : "", cfg->tune ? "---|---:|" : "");
    /* Columns are appended only (older readers keep working); the fp8-x
     * ones follow lt_rel_err_vs_cublas (and --tune's two). */
    fprintf(cfg->csv, "dtype,m,k,n,kernel,skinny_us,skinny_gbs,pct_ceiling,cublas_us,cublas_gbs,speedup,"
                      "rel_err_vs_cublas,ceiling_gbs,lt_fp8_us,lt_fp8_gbs,lt_n_pad,speedup_vs_lt,lt_status,"
                      "lt_rel_err_vs_cublas%s,x8_kernel,x8_us,x8_gbs,x8_pct_ceiling,x8_speedup_vs_lt,"
                      "x8_rel_err_vs_cublas_q,x8_status\n", cfg->tune ? ",best_row,best_us" : "");
    for (int di = 0; di < cfg->ndtypes; di++)
        for (int si = 0; si < cfg->nshapes; si++) {
            fp8_ctx c;
            memset(&c, 0, sizeof c);
            c.t = (skinny_dtype)cfg->dtypes[di];
            c.m = cfg->shapes[si][0];
            c.k = cfg->shapes[si][1];
            c.blas = cfg->blas;
            c.stream = cfg->stream;
            c.graph = cfg->graph;
            c.scale = 1.0f / 64.0f;
            c.wb8 = (size_t)c.m * (size_t)c.k;
            c.wb16 = 2 * c.wb8;
            c.copies8 = (int)((4 * cfg->l2 + c.wb8 - 1) / c.wb8);
            c.copies16 = (int)((4 * cfg->l2 + c.wb16 - 1) / c.wb16);
            if (c.copies8 < 2) c.copies8 = 2;
            if (c.copies16 < 2) c.copies16 = 2;
            if (c.k % 16) {
                fprintf(stderr, "fp8: %ldx%ld skipped: packed fp8 rows need K %% 16 == 0\n", c.m, c.k);
                continue;
            }
            /* Weights: random non-NaN e4m3 bytes; the 16-bit copy is their exact decode. */
            uint8_t *h8 = malloc(c.wb8);
            uint16_t *h16 = malloc(c.wb16);
            if (!h8 || !h16) {
                fprintf(stderr, "out of host memory\n");
                exit(1);
            }
            uint64_t s = 0x8badf00dull + (uint64_t)si;
            uint16_t lut[256];
            for (int b = 0; b < 256; b++) {
                const float v = hc_bits_to_f32(skinny_fp8_to_f32_bits((uint32_t)b, SKINNY_FP8_FN));
                lut[b] = c.t == SKINNY_BF16 ? hc_f32_to_bf16(v) : hc_f32_to_f16(v);
            }
            for (size_t i = 0; i < c.wb8; i++) {
                uint8_t b;
                do b = (uint8_t)(xorshift(&s) >> 56); while ((b & 0x7f) == 0x7f);
                h8[i] = b;
                h16[i] = lut[b];
            }
            CK(cudaMalloc((void **)&c.w8, c.wb8 * (size_t)c.copies8));
            CK(cudaMalloc((void **)&c.w16, c.wb16 * (size_t)c.copies16));
            CK(cudaMemcpy(c.w8, h8, c.wb8, cudaMemcpyHostToDevice));
            CK(cudaMemcpy(c.w16, h16, c.wb16, cudaMemcpyHostToDevice));
            for (int i = 1; i < c.copies8; i++)
                CK(cudaMemcpy(c.w8 + (size_t)i * c.wb8, c.w8, c.wb8, cudaMemcpyDeviceToDevice));
            for (int i = 1; i < c.copies16; i++)
                CK(cudaMemcpy(c.w16 + (size_t)i * c.wb16, c.w16, c.wb16, cudaMemcpyDeviceToDevice));
            free(h8);
            free(h16);
            /* x: 16 rows (the padded N of cuBLASLt), 16-bit; its e4m3 copy for cuBLASLt. */
            const size_t xe = (size_t)16 * (size_t)c.k;
            CK(cudaMalloc(&c.x16, xe * 2));
            fill_device_random(c.x16, xe, c.t, 0x777 + (uint64_t)si);
            uint16_t *hx = malloc(xe * 2);
            uint8_t *hx8 = malloc(xe);
            if (!hx || !hx8) {
                fprintf(stderr, "out of host memory\n");
                exit(1);
            }
            CK(cudaMemcpy(hx, c.x16, xe * 2, cudaMemcpyDeviceToHost));
            for (size_t i = 0; i < xe; i++) {
                const float v = c.t == SKINNY_BF16 ? hc_bf16_to_f32(hx[i]) : hc_f16_to_f32(hx[i]);
                hx8[i] = (uint8_t)skinny_f32_bits_to_fp8(hc_f32_to_bits(v), SKINNY_FP8_FN);
            }
            CK(cudaMalloc(&c.x8, xe));
            /* The quantized x decoded back to t (exact: e4m3 values are fp16
             * and bf16 values): cuBLAS 16-bit's input for the fp8-x check. */
            for (size_t i = 0; i < xe; i++) {
                const float v = hc_bits_to_f32(skinny_fp8_to_f32_bits(hx8[i], SKINNY_FP8_FN));
                hx[i] = c.t == SKINNY_BF16 ? hc_f32_to_bf16(v) : hc_f32_to_f16(v);
            }
            CK(cudaMalloc(&c.x16q, xe * 2));
            CK(cudaMemcpy(c.x16q, hx, xe * 2, cudaMemcpyHostToDevice));
            free(hx);
            CK(cudaMalloc(&c.y, (size_t)16 * (size_t)c.m * 2));
            CK(cudaMalloc(&c.y_ref, (size_t)16 * (size_t)c.m * 2));
            CK(cudaMalloc(&c.y_lt, (size_t)16 * (size_t)c.m * 2));
            const float one = 1.0f;
            CK(cudaMalloc((void **)&c.d_scale, sizeof(float)));
            CK(cudaMalloc((void **)&c.d_one, sizeof(float)));
            CK(cudaMemcpy(c.d_scale, &c.scale, sizeof(float), cudaMemcpyHostToDevice));
            CK(cudaMemcpy(c.d_one, &one, sizeof(float), cudaMemcpyHostToDevice));
#if defined(SKINNY_BENCH_HAVE_LT)
            c.lt = lt;
            c.ws = ws;
#endif
            for (int n = cfg->n_lo; n <= cfg->n_hi && n <= 16; n++) {
                c.n = n;
                c.n_pad = (n + 15) / 16 * 16;
                const double xy = (double)n * (double)(c.k + c.m) * 2;
                const double t_blas = time_op(&c, run_blas16, c.copies16, cfg->batches);
                const double gbs_blas = ((double)c.wb16 + xy) / (t_blas * 1e-6) / 1e9;
                /* x rows n..n_pad-1 of the e4m3 copy are zero (cuBLASLt's padding). */
                CK(cudaMemset(c.x8, 0, xe));
                CK(cudaMemcpy(c.x8, hx8, (size_t)n * (size_t)c.k, cudaMemcpyHostToDevice));
                double t_lt = NAN, lt_err = NAN;
                const char *lt_status = "not built (no cuBLASLt)";
#if defined(SKINNY_BENCH_HAVE_LT)
                lt_status = lt_setup(&c);
                if (!lt_status) {
                    t_lt = time_op(&c, run_lt, c.copies8, cfg->batches);
                    run_lt(&c, 0);
                    run_blas16(&c, 0);
                    CK(cudaStreamSynchronize(c.stream));
                    lt_err = bench_rel_err(c.y_lt, c.y_ref, (size_t)n * (size_t)c.m, c.t);
                    lt_status = "ok";
                }
                lt_teardown(&c);
#endif
                const skinny_status sup = skinny_supported(SKINNY_FP8_E4M3, n, c.m, c.k, 32);
                double t_ours = NAN, err = NAN;
                const char *kname = skinny_status_string(sup);
                if (sup == SKINNY_OK) {
                    t_ours = time_op(&c, run_ours, c.copies8, cfg->batches);
                    kname = c.choice.kernel;
                    run_ours(&c, 0);
                    run_blas16(&c, 0);
                    CK(cudaStreamSynchronize(c.stream));
                    err = bench_rel_err(c.y, c.y_ref, (size_t)n * (size_t)c.m, c.t);
                }
                const int ok = sup == SKINNY_OK && err <= bench_tolerance(c.t);
                if (sup == SKINNY_OK && !ok) wrong++;
                /* ours with fp8 x: the same rows' X8 launchers. */
                double t_x8 = NAN, err_x8 = NAN;
                const char *x8_status = skinny_status_string(sup), *x8_kernel = "-";
                if (sup == SKINNY_OK) {
                    const skinny_status st8 = try_ours_x8(&c, 0);
                    x8_status = st8 == SKINNY_OK ? "ok" : skinny_status_string(st8);
                    if (st8 == SKINNY_OK) {
                        t_x8 = time_op(&c, run_ours_x8, c.copies8, cfg->batches);
                        x8_kernel = c.choice.kernel;
                        run_ours_x8(&c, 0);
                        blas16_on(&c, 0, c.x16q);
                        CK(cudaStreamSynchronize(c.stream));
                        err_x8 = bench_rel_err(c.y, c.y_ref, (size_t)n * (size_t)c.m, c.t);
                        if (!(err_x8 <= bench_tolerance(c.t))) {
                            x8_status = "WRONG";
                            wrong++;
                        }
                    }
                }
                const double gbs_x8 = ((double)c.wb8 + (double)n * (double)c.k + (double)n * (double)c.m * 2) /
                                      (t_x8 * 1e-6) / 1e9;
                char best[64] = "-";
                double best_us = NAN;
                if (cfg->tune) tune_rows(cfg, &c, best, sizeof best, &best_us, t_blas);
                const double gbs = ((double)c.wb8 + xy) / (t_ours * 1e-6) / 1e9;
                const double gbs_lt = ((double)c.wb8 + (double)c.n_pad * (double)c.k + (double)c.n_pad * (double)c.m * 2) /
                                      (t_lt * 1e-6) / 1e9;
                const char *tname = c.t == SKINNY_BF16 ? "bf16" : "fp16";
                fprintf(cfg->csv, "fp8w-%s,%ld,%ld,%d,%s,%.3f,%.1f,%.1f,%.3f,%.1f,%.3f,%.3g,%.0f,%.3f,%.1f,%d,%.3f,%s,%.3g",
                        tname, c.m, c.k, n, kname, t_ours, gbs, 100.0 * gbs / cfg->ceil_gbs, t_blas, gbs_blas,
                        t_blas / t_ours, err, cfg->ceil_gbs, t_lt, gbs_lt, c.n_pad, t_lt / t_ours, lt_status, lt_err);
                if (cfg->tune) fprintf(cfg->csv, ",%s,%.3f", best, best_us);
                fprintf(cfg->csv, ",%s,%.3f,%.1f,%.1f,%.3f,%.3g,%s", x8_kernel, t_x8, gbs_x8,
                        100.0 * gbs_x8 / cfg->ceil_gbs, t_lt / t_x8, err_x8, x8_status);
                fputc('\n', cfg->csv);
                fprintf(cfg->md, "| %s | %ldx%ld | %d | %s | %.2f | %.0f | %.1f | %.2f | %.2fx | %.2f (%d) | %.2fx | %s "
                                 "| %.2f | %.1f | %.2fx | %s |",
                        tname, c.m, c.k, n, kname, t_ours, gbs, 100.0 * gbs / cfg->ceil_gbs, t_blas, t_blas / t_ours,
                        t_lt, c.n_pad, t_lt / t_ours,
                        sup != SKINNY_OK ? "no kernel" : ok ? "ok" : "WRONG", t_x8, 100.0 * gbs_x8 / cfg->ceil_gbs,
                        t_lt / t_x8, x8_status);
                if (cfg->tune) fprintf(cfg->md, " %s | %.2f |", best, best_us);
                fputc('\n', cfg->md);
                if (strcmp(lt_status, "ok") != 0)
                    fprintf(cfg->md, "|  | cuBLASLt fp8: %s | | | | | | | | | | | | | | |\n", lt_status);
                fflush(cfg->csv);
                fprintf(stderr, "fp8w-%s %ldx%ld N=%d: ours %.2f us (%s), cuBLAS16 %.2f us, cuBLASLt fp8 %.2f us (%s), "
                                "ours fp8 x %.2f us (%s)\n",
                        tname, c.m, c.k, n, t_ours, kname, t_blas, t_lt, lt_status, t_x8, x8_status);
            }
            free(hx8);
            CK(cudaFree(c.w8));
            CK(cudaFree(c.w16));
            CK(cudaFree(c.x16));
            CK(cudaFree(c.x8));
            CK(cudaFree(c.x16q));
            CK(cudaFree(c.y));
            CK(cudaFree(c.y_ref));
            CK(cudaFree(c.y_lt));
            CK(cudaFree(c.d_scale));
            CK(cudaFree(c.d_one));
        }
#if defined(SKINNY_BENCH_HAVE_LT)
    CK(cudaFree(ws));
    CKB(cublasLtDestroy(lt));
#endif
    return wrong;
}
