/* skinny-bench - generated skinny GEMMs vs cuBLAS vs the read ceiling.
 *
 * For each dtype, shape (M x K) and N: time the dispatcher's kernel
 * (skinny_gemm_ex) and cublasGemmEx (fp32 compute) on the same buffers in
 * the same run, plus a 16-byte streaming-read kernel over a buffer several
 * times larger than L2 (the ceiling). Method: warm-up launches, CUDA events
 * around batches of launches, median of --batches batches, weights rotated
 * over enough copies that the working set is > 4x L2, random data, every
 * call checked, and each timed kernel's output compared with cuBLAS's.
 * Progress goes to stderr; a Markdown table and a CSV are written.
 */
#define _POSIX_C_SOURCE 200809L
#include <cublas_v2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "halfconv.h"
#include "skinny.h"
#include "skinny_port.h"
#include "skinny_row.h"

int skinny_bench_read(const void *buf, size_t bytes, unsigned *sink, int blocks, int flavour, void *stream);

#define CK(call)                                                                          \
    do {                                                                                  \
        cudaError_t e_ = (call);                                                          \
        if (e_ != cudaSuccess) {                                                          \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(e_)); \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)
#define CKB(call)                                                                         \
    do {                                                                                  \
        cublasStatus_t s_ = (call);                                                       \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                                \
            fprintf(stderr, "%s:%d: %s: cublas status %d\n", __FILE__, __LINE__, #call, (int)s_); \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)
#define CKS(call)                                                                         \
    do {                                                                                  \
        skinny_status s_ = (call);                                                        \
        if (s_ != SKINNY_OK) {                                                            \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, skinny_status_string(s_)); \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)

typedef struct shape { long m, k; } shape;

static const shape default_shapes[] = {
    {2048, 2048}, {1024, 4096}, {4096, 4096}, {6144, 4096}, {24576, 4096},
    {4096, 12288}, {8192, 8192}, {10240, 8192}, {8192, 28672}, {151936, 4096},
};

typedef struct opts {
    shape shapes[64];
    int nshapes;
    int n_lo, n_hi;
    int dtypes[2], ndtypes;
    long pad_w;
    int batches;
    int tune;
    const char *out;
    const char *emit_rules; /* --tune: write MEASURED rows here */
} opts;

typedef struct ctx {
    skinny_dtype dtype;
    long m, k, ldw;
    int n;
    char *w;           /* `copies` weight matrices, each wbytes apart */
    size_t wbytes;
    int copies;
    void *x, *y, *y_ref;
    cublasHandle_t blas;
    cudaStream_t stream;
    const char *kernel; /* NULL: dispatcher's choice */
    skinny_choice choice;
} ctx;

static void usage(void)
{
    fputs("usage: skinny-bench [--shape MxK]... [--only-shapes] [--n A-B] [--dtype bf16,fp16]\n"
          "                    [--pad-w ELEMS] [--batches N] [--tune] [--out PREFIX]\n"
          "  --shape MxK     add a shape (default shapes are always included unless --only-shapes)\n"
          "  --n A-B         activation rows to time (default 1-16; rows without a kernel are\n"
          "                  reported as 'no fast path' with the cuBLAS time)\n"
          "  --pad-w ELEMS   pad each weight row by ELEMS elements (row stride K + ELEMS)\n"
          "  --tune          also time every candidate specialization of each cell\n"
          "  --emit-rules F  with --tune: write the measured dispatch rules (specs/dispatch.def)\n"
          "  --out PREFIX    write PREFIX.md and PREFIX.csv (default bench-results)\n",
          stderr);
}

static int cmp_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

static void run_skinny(ctx *c, int copy)
{
    skinny_gemm_desc d = {c->dtype, c->n, c->m, c->k, c->w + (size_t)copy * c->wbytes, c->ldw,
                          c->x, c->k, c->y, c->m, SKINNY_BIAS_NONE, NULL, 0};
    CKS(skinny_gemm_named(&d, c->kernel, c->stream, &c->choice));
}

static void run_cublas(ctx *c, int copy)
{
    /* Column-major view: y^T (M x N) = W (K x M)^T * x^T (K x N). */
    const float alpha = 1.0f, beta = 0.0f;
    const cudaDataType t = c->dtype == SKINNY_BF16 ? CUDA_R_16BF : CUDA_R_16F;
    CKB(cublasGemmEx(c->blas, CUBLAS_OP_T, CUBLAS_OP_N, (int)c->m, c->n, (int)c->k, &alpha,
                     c->w + (size_t)copy * c->wbytes, t, (int)c->ldw, c->x, t, (int)c->k, &beta,
                     c->y_ref, t, (int)c->m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

/* Median microseconds per call over `batches` batches of `reps` calls. */
static double time_us(ctx *c, void (*op)(ctx *, int), int batches)
{
    const int reps = c->copies < 8 ? 8 : c->copies;
    for (int i = 0; i < 3; i++) op(c, i % c->copies); /* warm-up */
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    float t[64];
    for (int b = 0; b < batches; b++) {
        CK(cudaEventRecord(e0, c->stream));
        for (int r = 0; r < reps; r++) op(c, (b * reps + r) % c->copies);
        CK(cudaEventRecord(e1, c->stream));
        CK(cudaEventSynchronize(e1));
        CK(cudaGetLastError());
        CK(cudaEventElapsedTime(&t[b], e0, e1));
        t[b] = t[b] * 1000.0f / (float)reps;
    }
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    qsort(t, (size_t)batches, sizeof t[0], cmp_float);
    return t[batches / 2];
}

/* ||ours - cuBLAS|| / ||cuBLAS|| for weight copy 0. */
static double spot_check(ctx *c)
{
    run_skinny(c, 0);
    run_cublas(c, 0);
    CK(cudaStreamSynchronize(c->stream));
    const size_t n = (size_t)c->n * (size_t)c->m;
    uint16_t *a = malloc(n * 2), *b = malloc(n * 2);
    CK(cudaMemcpy(a, c->y, n * 2, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(b, c->y_ref, n * 2, cudaMemcpyDeviceToHost));
    double e2 = 0, r2 = 0;
    for (size_t i = 0; i < n; i++) {
        const double x = c->dtype == SKINNY_BF16 ? hc_bf16_to_f32(a[i]) : hc_f16_to_f32(a[i]);
        const double y = c->dtype == SKINNY_BF16 ? hc_bf16_to_f32(b[i]) : hc_f16_to_f32(b[i]);
        e2 += (x - y) * (x - y);
        r2 += y * y;
    }
    free(a);
    free(b);
    return isfinite(e2) ? sqrt(e2 / (r2 > 0 ? r2 : 1)) : INFINITY;
}

static void fill_device_random(void *dst, size_t elems, skinny_dtype t, uint64_t seed)
{
    uint16_t *h = malloc(elems * 2);
    uint64_t s = seed;
    for (size_t i = 0; i < elems; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        const float v = (float)((int64_t)(s >> 40) - (1 << 23)) / (float)(1 << 23);
        h[i] = t == SKINNY_BF16 ? hc_f32_to_bf16(v) : hc_f32_to_f16(v);
    }
    CK(cudaMemcpy(dst, h, elems * 2, cudaMemcpyHostToDevice));
    free(h);
}

static double read_ceiling(size_t l2, int sms, double *gbs)
{
    size_t bytes = (size_t)2 << 30; /* 2 GiB: > 40x the L2 of current parts */
    if (bytes < 8 * l2) bytes = 8 * l2;
    void *buf;
    unsigned *sink;
    CK(cudaMalloc(&buf, bytes));
    CK(cudaMalloc((void **)&sink, (size_t)sms * 8 * sizeof(unsigned)));
    /* Random 64 MiB, replicated: the ceiling reads real data, never zeros. */
    const size_t chunk = (size_t)64 << 20;
    fill_device_random(buf, chunk / 2, SKINNY_BF16, 7);
    for (size_t off = chunk; off < bytes; off += chunk)
        CK(cudaMemcpy((char *)buf + off, buf, bytes - off < chunk ? bytes - off : chunk,
                      cudaMemcpyDeviceToDevice));
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    /* Both load flavours (read_ceiling.hip); the ceiling is the faster
     * median, so it never sits below what a plain streaming read reaches. */
    float best = 0;
    for (int flavour = 0; flavour < 2; flavour++) {
        float t[15];
        for (int i = 0; i < 3; i++) CK(skinny_bench_read(buf, bytes, sink, sms * 4, flavour, NULL) ? cudaErrorLaunchFailure : cudaSuccess);
        for (int b = 0; b < 15; b++) {
            CK(cudaEventRecord(e0, NULL));
            if (skinny_bench_read(buf, bytes, sink, sms * 4, flavour, NULL) != 0) exit(1);
            CK(cudaEventRecord(e1, NULL));
            CK(cudaEventSynchronize(e1));
            CK(cudaEventElapsedTime(&t[b], e0, e1));
        }
        qsort(t, 15, sizeof t[0], cmp_float);
        if (flavour == 0 || t[7] < best) best = t[7];
    }
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    CK(cudaFree(buf));
    CK(cudaFree(sink));
    *gbs = (double)bytes / (best * 1e-3) / 1e9;
    return best;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    int only = 0;
    o->n_lo = 1;
    o->n_hi = 16;
    o->dtypes[0] = SKINNY_BF16;
    o->dtypes[1] = SKINNY_F16;
    o->ndtypes = 2;
    o->batches = 9;
    o->out = "bench-results";
    shape extra[32];
    int nextra = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--shape") && v) {
            if (nextra == 32 || sscanf(v, "%ldx%ld", &extra[nextra].m, &extra[nextra].k) != 2) return -1;
            nextra++, i++;
        } else if (!strcmp(a, "--only-shapes")) only = 1;
        else if (!strcmp(a, "--n") && v) {
            if (sscanf(v, "%d-%d", &o->n_lo, &o->n_hi) != 2) o->n_hi = o->n_lo = atoi(v);
            i++;
        } else if (!strcmp(a, "--dtype") && v) {
            o->ndtypes = 0;
            if (strstr(v, "bf16")) o->dtypes[o->ndtypes++] = SKINNY_BF16;
            if (strstr(v, "fp16") || strstr(v, "f16,") || !strcmp(v, "f16")) o->dtypes[o->ndtypes++] = SKINNY_F16;
            i++;
        } else if (!strcmp(a, "--pad-w") && v) o->pad_w = atol(v), i++;
        else if (!strcmp(a, "--batches") && v) o->batches = atoi(v), i++;
        else if (!strcmp(a, "--out") && v) o->out = v, i++;
        else if (!strcmp(a, "--tune")) o->tune = 1;
        else if (!strcmp(a, "--emit-rules") && v) o->emit_rules = v, i++;
        else return -1;
    }
    if (o->batches < 7 || o->batches > 63 || o->n_lo < 1 || o->n_hi > 64 || o->n_lo > o->n_hi ||
        o->ndtypes == 0 || o->pad_w < 0 || o->pad_w % 8)
        return -1;
    if (!only)
        for (size_t i = 0; i < sizeof default_shapes / sizeof default_shapes[0]; i++)
            o->shapes[o->nshapes++] = default_shapes[i];
    for (int i = 0; i < nextra; i++) o->shapes[o->nshapes++] = extra[i];
    return o->nshapes ? 0 : -1;
}

int main(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o) != 0) {
        usage();
        return 2;
    }
    int dev;
    struct cudaDeviceProp prop;
    int rt, drv;
    CK(cudaGetDevice(&dev));
    CK(cudaGetDeviceProperties(&prop, dev));
    CK(cudaRuntimeGetVersion(&rt));
    CK(cudaDriverGetVersion(&drv));
    skinny_device_info info;
    CKS(skinny_device_query(&info));
    const size_t l2 = (size_t)prop.l2CacheSize;

    double ceil_gbs;
    const double ceil_ms = read_ceiling(l2, prop.multiProcessorCount, &ceil_gbs);
    fprintf(stderr, "read ceiling: %.0f GB/s (%.3f ms per 2 GiB)\n", ceil_gbs, ceil_ms);

    char path[512];
    snprintf(path, sizeof path, "%s.csv", o.out);
    FILE *csv = fopen(path, "w");
    snprintf(path, sizeof path, "%s.md", o.out);
    FILE *md = fopen(path, "w");
    if (!csv || !md) {
        fprintf(stderr, "cannot write %s.{csv,md}\n", o.out);
        return 1;
    }
    char date[64];
    const time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    fprintf(md, "# skinny-bench results\n\n- date: %s\n- device: %s, %d SMs, L2 %zu MB\n"
                "- CUDA runtime %d, driver %d\n- read ceiling (16-byte streaming read of 2 GiB, the faster of two load flavours, "
                "same run): **%.0f GB/s**\n- method: median of %d batches, each of max(8, copies) "
                "launches rotating over weight copies (working set > 4x L2); warm-up 3 launches; "
                "random data; W row stride K + %ld\n- GB/s counts the bytes of W, x and y once\n\n"
                "| dtype | M x K | N | kernel | skinny us | GB/s | %% ceiling | cuBLAS us | cuBLAS GB/s "
                "| speedup | check |%s%s\n|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|%s%s\n",
            date, prop.name, prop.multiProcessorCount, l2 >> 20, rt, drv, ceil_gbs, o.batches,
            (long)o.pad_w, o.tune ? " best row (tune) | best us |" : "",
            o.pad_w ? " skinny us, packed | cuBLAS us, packed |" : "", o.tune ? "---|---:|" : "",
            o.pad_w ? "---:|---:|" : "");
    if (o.pad_w)
        fprintf(md, "\nPadded rows: the last two columns time the same cell with packed rows "
                    "(stride K) on the same buffers in the same run.\n\n");
    fprintf(csv, "dtype,m,k,n,kernel,skinny_us,skinny_gbs,pct_ceiling,cublas_us,cublas_gbs,speedup,"
                 "rel_err_vs_cublas,ceiling_gbs,pad_w%s%s\n", o.tune ? ",best_row,best_us" : "",
            o.pad_w ? ",skinny_us_packed,cublas_us_packed" : "");

    FILE *rules = NULL;
    if (o.tune && o.emit_rules) {
        rules = fopen(o.emit_rules, "w");
        if (!rules) {
            fprintf(stderr, "cannot write %s\n", o.emit_rules);
            return 1;
        }
        fprintf(rules, "// specs/dispatch.def - measured dispatch rules, written by\n"
                       "//   skinny-bench --tune --emit-rules (do not edit by hand)\n"
                       "// %s, %s, CUDA runtime %d; read by skinnygen --rules.\n"
                       "// MEASURED(device, n, wave, dtype, m, k, choice): on the device with this\n"
                       "// key (skinny_device_key of its name), the fastest row of the table for\n"
                       "// this cell, or none where no row beat cuBLAS (the dispatcher then returns\n"
                       "// SKINNY_ERR_NO_FAST_PATH). Calls on that device use its cell nearest in\n"
                       "// log(M), log(K); other devices use the heuristic.\n",
                date, prop.name, rt);
    }
    cublasHandle_t blas;
    CKB(cublasCreate(&blas));
    cudaStream_t stream;
    CK(cudaStreamCreate(&stream));
    CKB(cublasSetStream(blas, stream));

    for (int di = 0; di < o.ndtypes; di++)
        for (int si = 0; si < o.nshapes; si++) {
            ctx c = {0};
            c.dtype = (skinny_dtype)o.dtypes[di];
            c.m = o.shapes[si].m;
            c.k = o.shapes[si].k;
            c.ldw = c.k + o.pad_w;
            c.wbytes = (size_t)c.m * (size_t)c.ldw * 2;
            c.copies = (int)((4 * l2 + c.wbytes - 1) / c.wbytes);
            if (c.copies < 2) c.copies = 2;
            c.blas = blas;
            c.stream = stream;
            CK(cudaMalloc((void **)&c.w, c.wbytes * (size_t)c.copies));
            fill_device_random(c.w, c.wbytes / 2, c.dtype, 0x1234 + (uint64_t)si);
            for (int i = 1; i < c.copies; i++)
                CK(cudaMemcpy(c.w + (size_t)i * c.wbytes, c.w, c.wbytes, cudaMemcpyDeviceToDevice));
            CK(cudaMalloc(&c.x, (size_t)o.n_hi * (size_t)c.k * 2));
            fill_device_random(c.x, (size_t)o.n_hi * (size_t)c.k, c.dtype, 0x777 + (uint64_t)si);
            CK(cudaMalloc(&c.y, (size_t)o.n_hi * (size_t)c.m * 2));
            CK(cudaMalloc(&c.y_ref, (size_t)o.n_hi * (size_t)c.m * 2));
            for (int n = o.n_lo; n <= o.n_hi; n++) {
                c.n = n;
                c.kernel = NULL;
                const double bytes = (double)c.m * (double)c.k * 2 + (double)n * (double)(c.k + c.m) * 2;
                const double t_blas = time_us(&c, run_cublas, o.batches);
                /* --pad-w: the same cell with packed rows (row stride K), same
                 * buffers, same run, to show what the padding costs. */
                double t_blas_packed = NAN, t_sk_packed = NAN;
                if (o.pad_w) {
                    c.ldw = c.k;
                    t_blas_packed = time_us(&c, run_cublas, o.batches);
                    if (skinny_supported(c.dtype, n, c.m, c.k, info.wave_size) == SKINNY_OK)
                        t_sk_packed = time_us(&c, run_skinny, o.batches);
                    c.ldw = c.k + o.pad_w;
                }
                const skinny_status sup = skinny_supported(c.dtype, n, c.m, c.k, info.wave_size);
                double t_sk = NAN, err = NAN;
                const char *kname = "no fast path";
                char best[64] = "-";
                double best_us = NAN;
                if (sup == SKINNY_ERR_NO_FAST_PATH) kname = "no fast path (measured)";
                if (sup == SKINNY_OK) {
                    t_sk = time_us(&c, run_skinny, o.batches);
                    kname = c.choice.kernel;
                    err = spot_check(&c);
                }
                if (sup == SKINNY_OK || sup == SKINNY_ERR_NO_FAST_PATH) {
                    if (o.tune) {
                        const skinny_row *rows;
                        const size_t nr = skinny_rows_for(n, info.wave_size, &rows);
                        const double tol = c.dtype == SKINNY_BF16 ? 2e-2 : 5e-3;
                        for (size_t r = 0; r < nr; r++) {
                            if (!rows[r].launch[c.dtype == SKINNY_BF16 ? SKINNY_DTYPE_SLOT_BF16
                                                                       : SKINNY_DTYPE_SLOT_F16])
                                continue; /* no code in this build */
                            c.kernel = rows[r].name;
                            const double t = time_us(&c, run_skinny, o.batches);
                            /* A candidate must also be right to win a rule. */
                            const double e = spot_check(&c);
                            if (!(e <= tol)) {
                                fprintf(stderr, "tune: %s wrong on %ldx%ld N=%d (rel err %.3g): not a candidate\n",
                                        rows[r].name, c.m, c.k, n, e);
                                continue;
                            }
                            if (!(t >= best_us)) {
                                best_us = t;
                                snprintf(best, sizeof best, "%s", rows[r].name);
                            }
                        }
                        c.kernel = NULL;
                        /* The rule: the fastest row if it beats BLAS, else none. */
                        if (rules)
                            fprintf(rules, "MEASURED(%s, %d, %d, %s, %ld, %ld, %s)  // best %.2f us, BLAS %.2f us\n",
                                    info.device_key, n, info.wave_size, c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k,
                                    best_us < t_blas ? best : "none", best_us, t_blas);
                    }
                }
                const double gbs = bytes / (t_sk * 1e-6) / 1e9, bgbs = bytes / (t_blas * 1e-6) / 1e9;
                const double limit = c.dtype == SKINNY_BF16 ? 2e-2 : 5e-3;
                const char *check = sup != SKINNY_OK ? "-" : err <= limit ? "ok" : "MISMATCH";
                fprintf(stderr, "%s %ldx%ld N=%2d: %-18s %8.2f us (%5.0f GB/s, %4.1f%%)  cuBLAS %8.2f us  x%.2f %s\n",
                        c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k, n, kname, t_sk, gbs,
                        100 * gbs / ceil_gbs, t_blas, t_blas / t_sk, check);
                fprintf(md, "| %s | %ldx%ld | %d | %s | %.2f | %.0f | %.1f | %.2f | %.0f | %.2f | %s |",
                        c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k, n, kname, t_sk, gbs,
                        100 * gbs / ceil_gbs, t_blas, bgbs, t_blas / t_sk, check);
                if (o.tune) fprintf(md, " %s | %.2f |", best, best_us);
                if (o.pad_w) fprintf(md, " %.2f | %.2f |", t_sk_packed, t_blas_packed);
                fputc('\n', md);
                fprintf(csv, "%s,%ld,%ld,%d,%s,%.3f,%.1f,%.2f,%.3f,%.1f,%.4f,%.3g,%.0f,%ld",
                        c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k, n, kname, t_sk, gbs,
                        100 * gbs / ceil_gbs, t_blas, bgbs, t_blas / t_sk, err, ceil_gbs, (long)o.pad_w);
                if (o.tune) fprintf(csv, ",%s,%.3f", best, best_us);
                if (o.pad_w) fprintf(csv, ",%.3f,%.3f", t_sk_packed, t_blas_packed);
                fputc('\n', csv);
                fflush(csv);
                fflush(md);
                if (sup == SKINNY_OK && err > limit) {
                    fprintf(stderr, "output differs from cuBLAS (rel err %.3g)\n", err);
                    return 1;
                }
            }
            CK(cudaFree(c.w));
            CK(cudaFree(c.x));
            CK(cudaFree(c.y));
            CK(cudaFree(c.y_ref));
        }
    CKB(cublasDestroy(blas));
    CK(cudaStreamDestroy(stream));
    fclose(csv);
    fclose(md);
    if (rules) fclose(rules);
    fprintf(stderr, "wrote %s.md and %s.csv\n", o.out, o.out);
    return 0;
}
