/* skinny-bench - generated skinny GEMMs vs cuBLAS vs the read ceiling.
 *
 * For each dtype, shape (M x K) and N: time the dispatcher's kernel
 * (skinny_gemm_ex) and cublasGemmEx (fp32 compute) on the same buffers in
 * the same run, plus a 16-byte streaming-read kernel over a buffer several
 * times larger than L2 (the ceiling). Method: warm-up launches, CUDA events
 * around batches of launches, median of --batches batches, weights rotated
 * over enough copies that the working set is > 4x L2, random data, every
 * call checked, and each timed kernel's output compared with cuBLAS's.
 * --graph times CUDA graph replays of each batch instead of host launches;
 * --model times whole decode steps of real models (bench_model.c);
 * --invariant also times the batch-invariant mode (SKINNY_FLAG_BATCH_INVARIANT)
 * of each cell in the same run and reports its speed against the default.
 * Progress goes to stderr; a Markdown table and a CSV are written.
 */
#define _POSIX_C_SOURCE 200809L
#include <cublas_v2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"
#include "bench_fp8.h"
#include "bench_model.h"
#include "skinny.h"
#include "skinny_port.h"
#include "skinny_row.h"

int skinny_bench_read(const void *buf, size_t bytes, unsigned *sink, int blocks, int flavour, void *stream);

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
    const char *measure;    /* --tune: every candidate's time, one CSV line each */
    int graph;              /* --graph: time CUDA graph replays */
    int invariant;          /* --invariant: also time SKINNY_FLAG_BATCH_INVARIANT */
    int models[8], nmodels; /* --model: indices into bench_model.c's table */
    int fp8;                /* --dtype fp8: fp8 weights (bench_fp8.c) */
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
    uint32_t flags;     /* skinny_gemm_desc.flags of run_skinny */
    skinny_choice choice;
    int graph;          /* time graph replays (--graph) */
    unsigned *sink;     /* read-at-size: the read kernel's never-taken store */
    int read_blocks, read_flavour;
} ctx;

static void usage(void)
{
    fputs("usage: skinny-bench [--shape MxK]... [--only-shapes] [--model NAME]... [--n A-B]\n"
          "                    [--dtype bf16,fp16 | fp8[,bf16,fp16]] [--graph] [--pad-w ELEMS] [--batches N] [--tune]\n"
          "                    [--measure FILE] [--invariant] [--out PREFIX]\n"
          "  --shape MxK     add a shape (the default shapes are included unless --only-shapes\n"
          "                  or --model is given)\n"
          "  --only-shapes   time only the --shape shapes\n"
          "  --n A-B         activation rows to time (default 1-16; rows without a kernel are\n"
          "                  reported as 'no fast path' with the cuBLAS time)\n"
          "  --model NAME    time decode steps of this model (repeatable): one decoder layer's\n"
          "                  projection GEMMs and the lm_head, per N and dtype, ours (cuBLAS where we\n"
          "                  have no fast path) vs cuBLAS. Leaves out the default shapes, as\n"
          "                  --only-shapes does: with --shape, those shapes run too.\n"
          "                  NAME: llama3-8b, qwen2.5-7b; '--model list' shows their GEMMs\n"
          "  --dtype fp8     fp8 e4m3 weights (MMA_FP8 rows) with bf16 x and y (fp8,fp16: fp16;\n"
          "                  fp8,bf16,fp16: both), against cuBLASLt's fp8 GEMM (x quantized to e4m3,\n"
          "                  N padded to 16) and 16-bit cuBLAS on the same M x K; --tune times every\n"
          "                  MMA_FP8 row (--measure: dtype fp8w-bf16 / fp8w-fp16); not with\n"
          "                  --emit-rules, --pad-w, --invariant or --model\n"
          "  --graph         capture each timed batch once into a CUDA graph and time its replays\n"
          "                  (launch overhead as a serving engine sees it) instead of host launches\n"
          "  --invariant     also time each cell in the batch-invariant mode (SKINNY_FLAG_BATCH_INVARIANT)\n"
          "                  and report its speed relative to the default dispatch, same run\n"
          "  --batches N     batches per median (7-63, default 9)\n"
          "  --pad-w ELEMS   pad each weight row by ELEMS elements (row stride K + ELEMS)\n"
          "  --tune          also time every candidate specialization of each cell\n"
          "  --emit-rules F  with --tune: write the measured dispatch rules (specs/dispatch.def)\n"
          "  --measure FILE  with --tune: write every candidate's time to FILE (CSV, one line per\n"
          "                  cell and row: device,dtype,n,m,k,row,us,cublas_us,check; check is ok,\n"
          "                  or wrong where the row failed the spot check against cuBLAS); flushed\n"
          "                  after each cell\n"
          "  --out PREFIX    write PREFIX.md and PREFIX.csv (default bench-results)\n",
          stderr);
    fputs("                  (--model: PREFIX-model.csv, and a section of PREFIX.md)\n"
          "  --pad-w, --tune, --emit-rules and --measure apply to the shapes, not to model steps.\n"
          "  --tune times each candidate row of a cell like a cell (median of --batches batches);\n"
          "  bound the run with --n A-B and --only-shapes --shape MxK.\n"
          "examples:\n"
          "  skinny-bench --model llama3-8b --model qwen2.5-7b --out bench/results/h200-decode\n"
          "  skinny-bench --graph --out bench/results/h200-graph\n"
          "  skinny-bench --tune --measure m.csv --n 1-8 --only-shapes --shape 4096x4096\n",
          stderr);
}

static skinny_gemm_desc desc_of(const ctx *c, int copy)
{
    skinny_gemm_desc d = {c->dtype, c->n, c->m, c->k, c->w + (size_t)copy * c->wbytes, c->ldw,
                          c->x, c->k, c->y, c->m, SKINNY_BIAS_NONE, NULL, 0, c->flags, 0, 0, NULL, NULL, NULL};
    return d;
}

static void run_skinny(ctx *c, int copy)
{
    const skinny_gemm_desc d = desc_of(c, copy);
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

typedef struct op_batch {
    ctx *c;
    void (*op)(ctx *, int);
    int reps;
} op_batch;

/* One timed batch: `reps` calls rotating over the weight copies. */
static void issue_ops(void *arg, int b)
{
    const op_batch *ob = arg;
    for (int r = 0; r < ob->reps; r++) ob->op(ob->c, (b * ob->reps + r) % ob->c->copies);
}

/* Median microseconds per call over `batches` batches of `reps` calls
 * (with --graph, each batch one replay of a graph holding the calls). */
static double time_us(ctx *c, void (*op)(ctx *, int), int batches)
{
    const int reps = c->copies < 8 ? 8 : c->copies;
    for (int i = 0; i < 3; i++) op(c, i % c->copies); /* warm-up */
    op_batch ob = {c, op, reps};
    return bench_median_call_us(c->stream, c->graph, issue_ops, &ob, batches, reps);
}

/* ||ours - cuBLAS|| / ||cuBLAS|| for weight copy 0. */
static double spot_check(ctx *c)
{
    run_skinny(c, 0);
    run_cublas(c, 0);
    CK(cudaStreamSynchronize(c->stream));
    return bench_rel_err(c->y, c->y_ref, (size_t)c->n * (size_t)c->m, c->dtype);
}

/* The read ceiling at this cell's size: a pure streaming read of one
 * weight copy, rotated like the GEMMs. A kernel this short pays launch and
 * tail costs that the 2 GiB ceiling hides; this shows how much. */
static void run_read(ctx *c, int copy)
{
    if (skinny_bench_read(c->w + (size_t)copy * c->wbytes, c->wbytes, c->sink, c->read_blocks,
                          c->read_flavour, c->stream) != 0)
        exit(1);
}

static double read_at_size_us(ctx *c, int batches)
{
    double best = INFINITY;
    for (c->read_flavour = 0; c->read_flavour < 2; c->read_flavour++) {
        const double t = time_us(c, run_read, batches);
        if (t < best) best = t;
    }
    return best;
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
            if (strstr(v, "fp8")) {
                o->fp8 = 1;
                if (o->ndtypes == 0) o->dtypes[o->ndtypes++] = SKINNY_BF16;
            }
            i++;
        } else if (!strcmp(a, "--pad-w") && v) o->pad_w = atol(v), i++;
        else if (!strcmp(a, "--graph")) o->graph = 1;
        else if (!strcmp(a, "--invariant")) o->invariant = 1;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 2;
        else if (!strcmp(a, "--model") && v) {
            if (!strcmp(v, "list")) return 1;
            const int m = bench_model_find(v);
            if (m < 0) {
                fprintf(stderr, "unknown model '%s' (--model list shows the known ones)\n", v);
                return -1;
            }
            if (o->nmodels == 8) return -1;
            o->models[o->nmodels++] = m;
            i++;
        }
        else if (!strcmp(a, "--batches") && v) o->batches = atoi(v), i++;
        else if (!strcmp(a, "--out") && v) o->out = v, i++;
        else if (!strcmp(a, "--tune")) o->tune = 1;
        else if (!strcmp(a, "--emit-rules") && v) o->emit_rules = v, i++;
        else if (!strcmp(a, "--measure") && v) o->measure = v, i++;
        else return -1;
    }
    if (o->batches < 7 || o->batches > 63 || o->n_lo < 1 || o->n_hi > 64 || o->n_lo > o->n_hi ||
        o->ndtypes == 0 || o->pad_w < 0 || o->pad_w % 8)
        return -1;
    if (o->fp8 && (o->emit_rules || o->pad_w || o->invariant || o->nmodels)) {
        fputs("skinny-bench: --dtype fp8 does not combine with --emit-rules, --pad-w, --invariant or --model\n",
              stderr);
        return -1;
    }
    if (o->measure && !o->tune) {
        fputs("skinny-bench: --measure needs --tune\n", stderr);
        return -1;
    }
    /* --model, like --only-shapes, leaves out the default sweep. */
    if (!only && !o->nmodels)
        for (size_t i = 0; i < sizeof default_shapes / sizeof default_shapes[0]; i++)
            o->shapes[o->nshapes++] = default_shapes[i];
    for (int i = 0; i < nextra; i++) o->shapes[o->nshapes++] = extra[i];
    return o->nshapes || o->nmodels ? 0 : -1;
}

int main(int argc, char **argv)
{
    opts o;
    const int parsed = parse_opts(argc, argv, &o);
    if (parsed == 1) { /* --model list: needs no GPU */
        bench_model_list(stdout);
        return 0;
    }
    if (parsed == 2) {
        usage();
        return 0;
    }
    if (parsed != 0) {
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

    /* PREFIX.csv holds the shape sweep: not written when only model steps run. */
    char path[512];
    snprintf(path, sizeof path, "%s.csv", o.out);
    FILE *csv = o.nshapes ? fopen(path, "w") : NULL;
    snprintf(path, sizeof path, "%s.md", o.out);
    FILE *md = fopen(path, "w");
    if ((o.nshapes && !csv) || !md) {
        fprintf(stderr, "cannot write %s.{csv,md}\n", o.out);
        return 1;
    }
    const char *timing = o.graph ? "each timed batch is captured once into a CUDA graph (cudaStreamBeginCapture, "
                                   "global mode, on a non-default stream) and instantiated; after one warm-up "
                                   "replay every batch is one graph replay between CUDA events; cuBLAS has a "
                                   "32 MiB workspace (cublasSetWorkspace)"
                                 : "every call of a batch is launched from the host between CUDA events, "
                                   "no graphs (--graph replays captured batches)";
    fprintf(stderr, "timing: %s\n", o.graph ? "CUDA graph replays (--graph)" : "host launches");
    char date[64];
    const time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    fprintf(md, "# skinny-bench results\n\n- date: %s\n- device: %s, %d SMs, L2 %zu MB\n"
                "- CUDA runtime %d, driver %d\n- read ceiling (16-byte streaming read of 2 GiB, the faster of two load flavours, "
                "same run): **%.0f GB/s**\n- timing mode: **%s**: %s\n",
            date, prop.name, prop.multiProcessorCount, l2 >> 20, rt, drv, ceil_gbs,
            o.graph ? "CUDA graph replays" : "host launches", timing);
    if (o.nshapes && !o.fp8) {
        fprintf(md, "- method: median of %d batches, each of max(8, copies) "
                    "launches rotating over weight copies (working set > 4x L2); warm-up 3 launches; "
                    "random data; W row stride K + %ld\n- GB/s counts the bytes of W, x and y once\n"
                    "- %% read at size: the time of a pure 16-byte streaming read of one weight copy "
                    "(rotated the same way, faster of the two load flavours) over the GEMM's time\n\n"
                    "| dtype | M x K | N | kernel | skinny us | GB/s | %% ceiling | %% read at size | cuBLAS us "
                    "| cuBLAS GB/s | speedup | check |%s%s%s\n|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|%s%s%s\n",
                o.batches, (long)o.pad_w, o.tune ? " best row (tune) | best us |" : "",
                o.pad_w ? " skinny us, packed | cuBLAS us, packed |" : "",
                o.invariant ? " invariant kernel | invariant us | invariant speed / default | invariant check |" : "",
                o.tune ? "---|---:|" : "", o.pad_w ? "---:|---:|" : "", o.invariant ? "---|---:|---:|---|" : "");
        if (o.invariant)
            fprintf(md, "\nInvariant columns: the same cell with SKINNY_FLAG_BATCH_INVARIANT (one K split for "
                        "every N of the shape), same buffers, same run; speed / default = default us / "
                        "invariant us (above 1: the invariant mode is faster).\n\n");
        if (o.pad_w)
            fprintf(md, "\nPadded rows: the last two columns time the same cell with packed rows "
                        "(stride K) on the same buffers in the same run.\n\n");
        fprintf(csv, "dtype,m,k,n,kernel,skinny_us,skinny_gbs,pct_ceiling,cublas_us,cublas_gbs,speedup,"
                     "rel_err_vs_cublas,ceiling_gbs,pad_w%s%s,read_at_size_us,pct_read_at_size%s\n",
                o.tune ? ",best_row,best_us" : "", o.pad_w ? ",skinny_us_packed,cublas_us_packed" : "",
                o.invariant ? ",invariant_kernel,invariant_us,invariant_speed_vs_default,invariant_rel_err" : "");
    }

    FILE *rules = NULL;
    if (o.tune && o.emit_rules) {
        rules = fopen(o.emit_rules, "w");
        if (!rules) {
            fprintf(stderr, "cannot write %s\n", o.emit_rules);
            return 1;
        }
        fprintf(rules, "// specs/dispatch.def - measured dispatch rules, written by\n"
                       "//   skinny-bench --tune --emit-rules (do not edit by hand)\n"
                       "// %s, %s, CUDA runtime %d, timed with %s; read by skinnygen --rules.\n"
                       "// MEASURED(device, n, wave, dtype, m, k, choice): on the device with this\n"
                       "// key (skinny_device_key of its name), the fastest row of the table for\n"
                       "// this cell, or none where no row beat cuBLAS (the dispatcher then returns\n"
                       "// SKINNY_ERR_NO_FAST_PATH). Calls on that device use its cell nearest in\n"
                       "// log(M), log(K); other devices use the heuristic.\n",
                date, prop.name, rt, o.graph ? "CUDA graph replays (--graph)" : "host launches");
    }
    /* --measure: one line per (cell, candidate row), for the chooser that
     * makes a table from measurement (issue 11). */
    FILE *measure = NULL;
    if (o.measure) {
        measure = fopen(o.measure, "w");
        if (!measure) {
            fprintf(stderr, "cannot write %s\n", o.measure);
            return 1;
        }
        fputs("device,dtype,n,m,k,row,us,cublas_us,check\n", measure);
        fflush(measure);
    }
    cublasHandle_t blas;
    CKB(cublasCreate(&blas));
    cudaStream_t stream;
    CK(cudaStreamCreate(&stream));
    CKB(cublasSetStream(blas, stream));
    /* --graph: cuBLAS must not allocate while the stream is captured, so it
     * gets its own workspace; set after cublasSetStream, which resets the
     * workspace to cuBLAS's default pool. */
    void *blas_workspace = NULL;
    if (o.graph) {
        CK(cudaMalloc(&blas_workspace, BENCH_CUBLAS_WORKSPACE));
        CKB(cublasSetWorkspace(blas, blas_workspace, BENCH_CUBLAS_WORKSPACE));
    }

    for (int di = 0; di < o.ndtypes && !o.fp8; di++)
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
            c.graph = o.graph;
            CK(cudaMalloc((void **)&c.w, c.wbytes * (size_t)c.copies));
            fill_device_random(c.w, c.wbytes / 2, c.dtype, 0x1234 + (uint64_t)si);
            for (int i = 1; i < c.copies; i++)
                CK(cudaMemcpy(c.w + (size_t)i * c.wbytes, c.w, c.wbytes, cudaMemcpyDeviceToDevice));
            CK(cudaMalloc(&c.x, (size_t)o.n_hi * (size_t)c.k * 2));
            fill_device_random(c.x, (size_t)o.n_hi * (size_t)c.k, c.dtype, 0x777 + (uint64_t)si);
            CK(cudaMalloc(&c.y, (size_t)o.n_hi * (size_t)c.m * 2));
            CK(cudaMalloc(&c.y_ref, (size_t)o.n_hi * (size_t)c.m * 2));
            CK(cudaMalloc((void **)&c.sink, (size_t)prop.multiProcessorCount * 8 * sizeof(unsigned)));
            c.read_blocks = prop.multiProcessorCount * 4;
            const double t_read = read_at_size_us(&c, o.batches);
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
                    if (skinny_supported_on(c.dtype, n, c.m, c.k, &info) == SKINNY_OK)
                        t_sk_packed = time_us(&c, run_skinny, o.batches);
                    c.ldw = c.k + o.pad_w;
                }
                const skinny_status sup = skinny_supported_on(c.dtype, n, c.m, c.k, &info);
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
                            if (rows[r].kind == SKINNY_KIND_MMA_FP8) continue; /* fp8 weights: --dtype fp8 */
                            c.kernel = rows[r].name;
                            const double t = time_us(&c, run_skinny, o.batches);
                            /* A candidate must also be right to win a rule. */
                            const double e = spot_check(&c);
                            if (measure)
                                fprintf(measure, "%s,%s,%d,%ld,%ld,%s,%.3f,%.3f,%s\n", info.device_key,
                                        c.dtype == SKINNY_BF16 ? "bf16" : "fp16", n, c.m, c.k,
                                        rows[r].name, t, t_blas, e <= tol ? "ok" : "wrong");
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
                        if (measure) fflush(measure);
                        /* The rule: the fastest row if it beats BLAS, else none. */
                        if (rules)
                            fprintf(rules, "MEASURED(%s, %d, %d, %s, %ld, %ld, %s)  // best %.2f us, BLAS %.2f us\n",
                                    info.device_key, n, info.wave_size, c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k,
                                    best_us < t_blas ? best : "none", best_us, t_blas);
                    }
                }
                /* --invariant: the batch-invariant mode of the same cell. */
                double t_inv = NAN, err_inv = NAN;
                char inv_kernel[64] = "-";
                if (o.invariant) {
                    c.kernel = NULL;
                    c.flags = SKINNY_FLAG_BATCH_INVARIANT;
                    skinny_choice ic;
                    const skinny_gemm_desc probe = desc_of(&c, 0);
                    const skinny_status ist = skinny_plan(&probe, &info, &ic);
                    if (ist == SKINNY_OK) {
                        t_inv = time_us(&c, run_skinny, o.batches);
                        err_inv = spot_check(&c);
                        snprintf(inv_kernel, sizeof inv_kernel, "%s", c.choice.kernel);
                    } else {
                        snprintf(inv_kernel, sizeof inv_kernel, "%s", ist == SKINNY_ERR_NO_INVARIANT_PATH
                                                                          ? "no invariant path" : "error");
                    }
                    c.flags = 0;
                }
                const double gbs = bytes / (t_sk * 1e-6) / 1e9, bgbs = bytes / (t_blas * 1e-6) / 1e9;
                const double limit = c.dtype == SKINNY_BF16 ? 2e-2 : 5e-3;
                const char *check = sup != SKINNY_OK ? "-" : err <= limit ? "ok" : "MISMATCH";
                fprintf(stderr, "%s %ldx%ld N=%2d: %-18s %8.2f us (%5.0f GB/s, %4.1f%%)  cuBLAS %8.2f us  x%.2f %s\n",
                        c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k, n, kname, t_sk, gbs,
                        100 * gbs / ceil_gbs, t_blas, t_blas / t_sk, check);
                if (o.invariant)
                    fprintf(stderr, "    invariant: %-18s %8.2f us  speed vs default x%.3f\n", inv_kernel, t_inv,
                            t_sk / t_inv);
                fprintf(md, "| %s | %ldx%ld | %d | %s | %.2f | %.0f | %.1f | %.1f | %.2f | %.0f | %.2f | %s |",
                        c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k, n, kname, t_sk, gbs,
                        100 * gbs / ceil_gbs, 100 * t_read / t_sk, t_blas, bgbs, t_blas / t_sk, check);
                if (o.tune) fprintf(md, " %s | %.2f |", best, best_us);
                if (o.pad_w) fprintf(md, " %.2f | %.2f |", t_sk_packed, t_blas_packed);
                if (o.invariant)
                    fprintf(md, " %s | %.2f | %.3f | %s |", inv_kernel, t_inv, t_sk / t_inv,
                            isnan(err_inv) ? "-" : err_inv <= limit ? "ok" : "MISMATCH");
                fputc('\n', md);
                fprintf(csv, "%s,%ld,%ld,%d,%s,%.3f,%.1f,%.2f,%.3f,%.1f,%.4f,%.3g,%.0f,%ld",
                        c.dtype == SKINNY_BF16 ? "bf16" : "fp16", c.m, c.k, n, kname, t_sk, gbs,
                        100 * gbs / ceil_gbs, t_blas, bgbs, t_blas / t_sk, err, ceil_gbs, (long)o.pad_w);
                if (o.tune) fprintf(csv, ",%s,%.3f", best, best_us);
                if (o.pad_w) fprintf(csv, ",%.3f,%.3f", t_sk_packed, t_blas_packed);
                fprintf(csv, ",%.3f,%.2f", t_read, 100 * t_read / t_sk);
                if (o.invariant) fprintf(csv, ",%s,%.3f,%.4f,%.3g", inv_kernel, t_inv, t_sk / t_inv, err_inv);
                fputc('\n', csv);
                fflush(csv);
                fflush(md);
                if ((sup == SKINNY_OK && err > limit) || err_inv > limit) {
                    fprintf(stderr, "output differs from cuBLAS (rel err %.3g, invariant mode %.3g)\n", err, err_inv);
                    return 1;
                }
            }
            CK(cudaFree(c.w));
            CK(cudaFree(c.x));
            CK(cudaFree(c.y));
            CK(cudaFree(c.y_ref));
            CK(cudaFree(c.sink));
        }
    int rc = 0;
    if (o.fp8) {
        long shapes[64][2];
        for (int i = 0; i < o.nshapes; i++) shapes[i][0] = o.shapes[i].m, shapes[i][1] = o.shapes[i].k;
        fprintf(md, "- method: median of %d batches, each of max(8, copies) launches rotating over weight "
                    "copies (working set > 4x L2); warm-up 3 launches; random data\n", o.batches);
        const bench_fp8_cfg fc = {(const long(*)[2])shapes, o.nshapes, o.n_lo, o.n_hi, o.dtypes, o.ndtypes,
                                  o.batches, o.graph, stream, blas, l2, ceil_gbs, csv, md,
                                  o.tune, measure, info.device_key};
        const int wrong = bench_fp8(&fc);
        if (wrong) {
            fprintf(stderr, "fp8: %d cells differ from cuBLAS beyond the tolerance\n", wrong);
            rc = 1;
        }
    }
    if (o.nmodels) {
        const bench_model_env env = {blas, stream, o.graph, o.batches, o.n_lo, o.n_hi, o.dtypes,
                                     o.ndtypes, ceil_gbs, l2, o.out};
        rc = bench_model_run(&env, o.models, o.nmodels, md);
    }
    CKB(cublasDestroy(blas));
    if (blas_workspace) CK(cudaFree(blas_workspace));
    CK(cudaStreamDestroy(stream));
    if (csv) fclose(csv);
    fclose(md);
    if (rules) fclose(rules);
    if (measure && fclose(measure) != 0) {
        fprintf(stderr, "cannot write %s\n", o.measure);
        rc = 1;
    }
    fprintf(stderr, "wrote %s.md", o.out);
    if (csv) fprintf(stderr, ", %s.csv", o.out);
    if (o.nmodels) fprintf(stderr, ", %s-model.csv", o.out);
    if (measure) fprintf(stderr, ", %s", o.measure);
    fputc('\n', stderr);
    return rc;
}
