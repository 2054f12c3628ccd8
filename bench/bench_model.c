/* bench_model.c - skinny-bench --model: one decode step of a real model.
 *
 * A step is one decoder layer's projection GEMMs and then the lm_head, in
 * model order (qkv, o, gate_up, down, lm_head), for N activation rows (N = 1:
 * plain decode; N > 1: speculative or batched decode). Attention, norms and
 * activations are not part of it: only the GEMMs this library could serve.
 * The step runs two ways on the same buffers in the same run:
 *   ours:   skinny_gemm_ex for each GEMM; where the dispatcher answers that it
 *           has no fast path (measured slower, or no kernel for this N or
 *           wave size) the step calls cuBLAS for that GEMM instead, as an
 *           inference engine would, and the output says so;
 *   cuBLAS: cublasGemmEx (fp32 compute) for every GEMM.
 *
 * Timing. The step total is the median over --batches batches, each of
 * STEP_REPS whole steps back to back (CUDA events around the batch; with
 * --graph the batch is one replay of a graph holding it), divided by
 * STEP_REPS. Per-GEMM times come from a second run of the same batches with
 * events between the GEMMs of every step (median per GEMM), so they need not
 * add up to the step total exactly.
 *
 * No weight rotation (unlike the shape sweep): every GEMM has its own
 * weights and one step reads them all, 1.5 GB and more for the models here,
 * over 10x the L2 of current GPUs. Between two uses of a matrix the rest of
 * the step has streamed through L2, so every GEMM reads its weights from
 * DRAM as in a real decode step. A step whose weights would fit in 4x L2
 * gets a warning in the output.
 */
#include "bench_model.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ the models */

/* One entry per model, numbers from its config.json; the step's GEMMs
 * follow from them (model_gemms). Adding a model is one line here. */
typedef struct model_cfg {
    const char *name;  /* --model NAME */
    const char *what;
    long hidden, heads, kv_heads, head_dim, intermediate, vocab;
    int qkv_bias;      /* 1: the q, k and v projections add a bias per output column */
} model_cfg;

static const model_cfg models[] = {
    {"llama3-8b", "Llama-3-8B", 4096, 32, 8, 128, 14336, 128256, 0},
    {"qwen2.5-7b", "Qwen2.5-7B", 3584, 28, 4, 128, 18944, 152064, 1},
};
enum { NMODELS = sizeof models / sizeof models[0] };

enum { MAX_GEMMS = 5, STEP_REPS = 4 };

typedef struct gemm_shape {
    const char *name;
    long m, k;
    int bias; /* 1: SKINNY_BIAS_M */
} gemm_shape;

/* y[N x M] = x[N x K] W[M x K]^T for each projection of the step: q, k and v
 * fused (M = (heads + 2 kv_heads) x head_dim), the attention output, gate and
 * up fused, down, and the vocabulary head. */
static int model_gemms(const model_cfg *c, gemm_shape *g)
{
    const long q = c->heads * c->head_dim, kv = c->kv_heads * c->head_dim;
    g[0] = (gemm_shape){"qkv", q + 2 * kv, c->hidden, c->qkv_bias};
    g[1] = (gemm_shape){"o", c->hidden, q, 0};
    g[2] = (gemm_shape){"gate_up", 2 * c->intermediate, c->hidden, 0};
    g[3] = (gemm_shape){"down", c->hidden, c->intermediate, 0};
    g[4] = (gemm_shape){"lm_head", c->vocab, c->hidden, 0};
    return 5;
}

int bench_model_find(const char *name)
{
    for (int i = 0; i < NMODELS; i++)
        if (!strcmp(models[i].name, name)) return i;
    return -1;
}

/* "qkv 6144x4096 + bias, o 4096x4096, ..." */
static void print_gemms(FILE *f, const model_cfg *c)
{
    gemm_shape g[MAX_GEMMS];
    const int ng = model_gemms(c, g);
    for (int i = 0; i < ng; i++)
        fprintf(f, "%s%s %ldx%ld%s", i ? ", " : "", g[i].name, g[i].m, g[i].k, g[i].bias ? " + bias" : "");
}

void bench_model_list(FILE *f)
{
    for (int i = 0; i < NMODELS; i++) {
        const model_cfg *c = &models[i];
        fprintf(f, "%-11s %s: hidden %ld, %ld heads, %ld kv heads, head dim %ld, intermediate %ld, vocab %ld\n"
                   "            GEMMs (M x K): ",
                c->name, c->what, c->hidden, c->heads, c->kv_heads, c->head_dim, c->intermediate, c->vocab);
        print_gemms(f, c);
        fputc('\n', f);
    }
}

/* ------------------------------------------------------------ one step */

typedef struct step_gemm {
    gemm_shape s;
    void *w, *x, *bias, *y, *y_ref; /* y: ours; y_ref: cuBLAS's */
    skinny_status st;               /* our dispatcher's answer at this N */
    skinny_choice choice;           /* what it ran, when st == SKINNY_OK */
    double ours_us, blas_us, err;
} step_gemm;

typedef struct step {
    const bench_model_env *env;
    skinny_dtype dtype;
    int n;
    step_gemm g[MAX_GEMMS];
    int ng;
    int blas_side;       /* 1: every GEMM through cuBLAS */
    cudaEvent_t *marks;  /* NULL, or STEP_REPS x (ng + 1) events between the GEMMs */
    cudaEvent_t *events; /* the events marks points to when per-GEMM times are taken */
    float *gemm_ms;      /* [gemm * batches + batch]: per-GEMM times of the instrumented run */
    int marks_ok;        /* 0: the runtime could not time the events inside the graph */
    int marks_failed;    /* marks_ok was 0 for some N */
} step;

/* The statuses after which a caller falls back on BLAS (nothing launched). */
static int falls_back(skinny_status st)
{
    return st == SKINNY_ERR_NO_FAST_PATH || st == SKINNY_ERR_UNSUPPORTED_N ||
           st == SKINNY_ERR_UNSUPPORTED_WAVE;
}

static skinny_gemm_desc desc_of(const step *s, const step_gemm *g)
{
    skinny_gemm_desc d = {s->dtype, s->n, g->s.m, g->s.k, g->w, 0, g->x, 0, g->y, 0,
                          g->s.bias ? SKINNY_BIAS_M : SKINNY_BIAS_NONE, g->s.bias ? g->bias : NULL, 0, 0, 0, 0, NULL, NULL, NULL};
    return d;
}

/* cuBLAS, column-major view: y^T (M x N) = W (K x M)^T x^T (K x N) + beta y^T.
 * cublasGemmEx has no bias vector: a biased GEMM is timed without it. */
static void blas_gemm(const step *s, const step_gemm *g, void *y, float beta)
{
    const float alpha = 1.0f;
    const cudaDataType t = s->dtype == SKINNY_BF16 ? CUDA_R_16BF : CUDA_R_16F;
    CKB(cublasGemmEx(s->env->blas, CUBLAS_OP_T, CUBLAS_OP_N, (int)g->s.m, s->n, (int)g->s.k, &alpha, g->w, t,
                     (int)g->s.k, g->x, t, (int)g->s.k, &beta, y, t, (int)g->s.m, CUBLAS_COMPUTE_32F,
                     CUBLAS_GEMM_DEFAULT));
}

static void run_gemm(step *s, int i)
{
    step_gemm *g = &s->g[i];
    if (s->blas_side)
        blas_gemm(s, g, g->y_ref, 0.0f);
    else if (g->st != SKINNY_OK)
        blas_gemm(s, g, g->y, 0.0f); /* our fallback */
    else {
        const skinny_gemm_desc d = desc_of(s, g);
        CKS(skinny_gemm_ex(&d, s->env->stream, &g->choice));
    }
}

/* One batch: STEP_REPS steps, with events between the GEMMs when marks is set. */
static void issue_steps(void *arg, int b)
{
    step *s = arg;
    (void)b; /* no rotation (see the top of the file) */
    for (int r = 0; r < STEP_REPS; r++) {
        cudaEvent_t *ev = s->marks ? s->marks + r * (s->ng + 1) : NULL;
        for (int i = 0; i < s->ng; i++) {
            if (ev) bench_record_event(ev[i], s->env->stream, s->env->graph);
            run_gemm(s, i);
        }
        if (ev) bench_record_event(ev[s->ng], s->env->stream, s->env->graph);
    }
}

/* After an instrumented batch: each GEMM's mean time over its steps. Event
 * times inside a graph need external event nodes; should a runtime refuse
 * them, per-GEMM times are reported as unavailable, not fatal. */
static void read_marks(void *arg, int b)
{
    step *s = arg;
    const int batches = s->env->batches;
    for (int i = 0; i < s->ng; i++) {
        float sum = 0;
        for (int r = 0; r < STEP_REPS && s->marks_ok; r++) {
            const cudaEvent_t *ev = s->marks + r * (s->ng + 1);
            float ms = 0;
            if (cudaEventElapsedTime(&ms, ev[i], ev[i + 1]) != cudaSuccess) {
                (void)cudaGetLastError();
                s->marks_ok = 0;
            }
            sum += ms;
        }
        s->gemm_ms[i * batches + b] = s->marks_ok ? sum / STEP_REPS : NAN;
    }
}

static double median_us(float *ms, int n, int reps)
{
    qsort(ms, (size_t)n, sizeof ms[0], cmp_float);
    return ms[n / 2] * 1000.0 / reps;
}

/* Times one side of the step (ours, or cuBLAS): returns the step's median
 * microseconds and stores each GEMM's in ours_us / blas_us. */
static double time_side(step *s, int blas_side)
{
    const int batches = s->env->batches;
    s->blas_side = blas_side;
    /* Warm-up: one step launched directly (lazy set-up stays out of graphs). */
    for (int i = 0; i < s->ng; i++) run_gemm(s, i);
    CK(cudaStreamSynchronize(s->env->stream));
    float t[64];
    s->marks = NULL;
    bench_time_batches(s->env->stream, s->env->graph, issue_steps, s, batches, t, NULL);
    const double total = median_us(t, batches, STEP_REPS);
    s->marks = s->events;
    s->marks_ok = 1;
    bench_time_batches(s->env->stream, s->env->graph, issue_steps, s, batches, t, read_marks);
    s->marks = NULL;
    s->marks_failed |= !s->marks_ok;
    for (int i = 0; i < s->ng; i++) {
        const double us = s->marks_ok ? median_us(s->gemm_ms + i * batches, batches, 1) : NAN;
        *(blas_side ? &s->g[i].blas_us : &s->g[i].ours_us) = us;
    }
    return total;
}

/* Our output of GEMM i against cuBLAS's; a bias enters cuBLAS as C (every
 * row of y_ref preset to it, beta = 1). NAN when the step used cuBLAS there. */
static double check_gemm(step *s, int i)
{
    step_gemm *g = &s->g[i];
    if (g->st != SKINNY_OK) return NAN;
    const skinny_gemm_desc d = desc_of(s, g);
    CKS(skinny_gemm_ex(&d, s->env->stream, &g->choice));
    const size_t row = (size_t)g->s.m * 2;
    if (g->s.bias)
        for (int n = 0; n < s->n; n++)
            CK(cudaMemcpyAsync((char *)g->y_ref + n * row, g->bias, row, cudaMemcpyDeviceToDevice,
                               s->env->stream));
    blas_gemm(s, g, g->y_ref, g->s.bias ? 1.0f : 0.0f);
    CK(cudaStreamSynchronize(s->env->stream));
    return bench_rel_err(g->y, g->y_ref, (size_t)s->n * (size_t)g->s.m, s->dtype);
}

/* Our dispatcher's answer for every GEMM at this N (a call that is refused
 * launches nothing; one that is accepted runs once, which warms it up). */
static void plan_step(step *s)
{
    for (int i = 0; i < s->ng; i++) {
        step_gemm *g = &s->g[i];
        const skinny_gemm_desc d = desc_of(s, g);
        memset(&g->choice, 0, sizeof g->choice);
        g->st = skinny_gemm_ex(&d, s->env->stream, &g->choice);
        if (g->st != SKINNY_OK && !falls_back(g->st)) {
            fprintf(stderr, "%s %ldx%ld N=%d: skinny_gemm_ex: %s\n", g->s.name, g->s.m, g->s.k, s->n,
                    skinny_status_string(g->st));
            exit(1);
        }
    }
    CK(cudaStreamSynchronize(s->env->stream));
}

static const char *fallback_reason(skinny_status st)
{
    if (st == SKINNY_ERR_NO_FAST_PATH) return "no fast path";
    if (st == SKINNY_ERR_UNSUPPORTED_N) return "no kernel for N";
    return "no kernel for this wave size";
}

/* Bytes a GEMM must move at least: W once, x, y (and the bias). */
static double gemm_bytes(const gemm_shape *g, int n)
{
    return 2.0 * ((double)g->m * (double)g->k + (double)n * (double)(g->k + g->m) + (g->bias ? (double)g->m : 0));
}

/* ------------------------------------------------------------ buffers */

static void alloc_step(step *s, const model_cfg *c, int n_hi)
{
    gemm_shape shapes[MAX_GEMMS];
    s->ng = model_gemms(c, shapes);
    for (int i = 0; i < s->ng; i++) {
        step_gemm *g = &s->g[i];
        memset(g, 0, sizeof *g);
        g->s = shapes[i];
        /* Distinct buffers per GEMM: nothing of one GEMM is cached for the next. */
        CK(cudaMalloc(&g->w, (size_t)g->s.m * (size_t)g->s.k * 2));
        CK(cudaMalloc(&g->x, (size_t)n_hi * (size_t)g->s.k * 2));
        CK(cudaMalloc(&g->bias, (size_t)g->s.m * 2));
        CK(cudaMalloc(&g->y, (size_t)n_hi * (size_t)g->s.m * 2));
        CK(cudaMalloc(&g->y_ref, (size_t)n_hi * (size_t)g->s.m * 2));
    }
    const int nev = STEP_REPS * (s->ng + 1);
    s->events = malloc((size_t)nev * sizeof *s->events);
    s->gemm_ms = malloc((size_t)s->ng * (size_t)s->env->batches * sizeof *s->gemm_ms);
    if (!s->events || !s->gemm_ms) {
        fprintf(stderr, "out of host memory\n");
        exit(1);
    }
    for (int i = 0; i < nev; i++) CK(cudaEventCreate(&s->events[i]));
}

static void fill_step(step *s, int model, int n_hi)
{
    for (int i = 0; i < s->ng; i++) {
        step_gemm *g = &s->g[i];
        const uint64_t seed = 0x5eed0000u + 0x100u * (uint64_t)model + 0x10u * (uint64_t)i;
        fill_device_random(g->w, (size_t)g->s.m * (size_t)g->s.k, s->dtype, seed + 1);
        fill_device_random(g->x, (size_t)n_hi * (size_t)g->s.k, s->dtype, seed + 2);
        fill_device_random(g->bias, (size_t)g->s.m, s->dtype, seed + 3);
    }
}

static void free_step(step *s)
{
    for (int i = 0; i < s->ng; i++) {
        step_gemm *g = &s->g[i];
        CK(cudaFree(g->w));
        CK(cudaFree(g->x));
        CK(cudaFree(g->bias));
        CK(cudaFree(g->y));
        CK(cudaFree(g->y_ref));
    }
    for (int i = 0; i < STEP_REPS * (s->ng + 1); i++) CK(cudaEventDestroy(s->events[i]));
    free(s->events);
    free(s->gemm_ms);
}

/* ------------------------------------------------------------ output */

typedef struct summary_row {
    int model;
    skinny_dtype dtype;
    int n, fallbacks, ng;
    double ours_us, blas_us;
    char check[64];
} summary_row;

static const char *dtype_name(skinny_dtype t) { return t == SKINNY_BF16 ? "bf16" : "fp16"; }

static void md_section_head(FILE *md, const bench_model_env *env, const int *sel, int nsel)
{
    int any_bias = 0;
    for (int i = 0; i < nsel; i++) any_bias |= models[sel[i]].qkv_bias;
    fprintf(md, "\n## Decode steps (--model)\n\n"
                "- step: one decoder layer's projection GEMMs, then the lm_head, in model order, "
                "for N activation rows; each GEMM has its own weights, x and y (random data)\n"
                "- step time: median of %d batches of %d whole steps back to back, per step "
                "(%s); no weight rotation: one step reads all its weights, many times the L2\n"
                "- per-GEMM times: a second run of the same batches with CUDA events between the GEMMs "
                "(medians; they need not add up to the step time exactly)\n"
                "- ours: `skinny_gemm_ex`, and cuBLAS for a GEMM where our dispatcher answers "
                "\"no fast path\" (the cell then names the reason); cuBLAS: `cublasGemmEx`, fp32 compute\n"
                "- check: each of our outputs against cuBLAS's (relative error <= %.0e bf16, %.0e fp16)\n"
                "- cells: ours us / cuBLAS us (kernel that ran)\n",
            env->batches, STEP_REPS,
            env->graph ? "each batch captured once into a CUDA graph, timed replays" : "host launches",
            bench_tolerance(SKINNY_BF16), bench_tolerance(SKINNY_F16));
    if (any_bias)
        fprintf(md, "- bias: ours adds it in the kernel (`SKINNY_BIAS_M`); cuBLAS cannot add a bias "
                    "vector in the GEMM, so **its time for a biased GEMM is the GEMM alone** (as is a "
                    "fallback's); the check gives cuBLAS the bias as C with beta = 1\n");
}

static void md_model_head(FILE *md, const model_cfg *c, const step *s, const bench_model_env *env)
{
    double wbytes = 0;
    for (int i = 0; i < s->ng; i++) wbytes += 2.0 * (double)s->g[i].s.m * (double)s->g[i].s.k;
    fprintf(md, "\n### %s (%s)\n\nhidden %ld, %ld heads, %ld kv heads, head dim %ld, intermediate %ld, "
                "vocab %ld. GEMMs (M x K): ",
            c->name, c->what, c->hidden, c->heads, c->kv_heads, c->head_dim, c->intermediate, c->vocab);
    print_gemms(md, c);
    fprintf(md, ". Weights %.2f GB per step.\n", wbytes / 1e9);
    if (wbytes < 4.0 * (double)env->l2)
        fprintf(md, "\n**Warning**: the step's weights are under 4x L2 (%zu MB): some may be read from L2.\n",
                env->l2 >> 20);
    fprintf(md, "\n| dtype | N | step us, ours | step us, cuBLAS | speedup | ours GB/s | %% ceiling |");
    for (int i = 0; i < s->ng; i++) fprintf(md, " %s |", s->g[i].s.name);
    fprintf(md, " check |\n|---|---:|---:|---:|---:|---:|---:|");
    for (int i = 0; i < s->ng; i++) fprintf(md, "---|");
    fprintf(md, "---|\n");
}

static const char *kernel_of(const step_gemm *g, char *buf, size_t len)
{
    if (g->st == SKINNY_OK) return g->choice.kernel;
    snprintf(buf, len, "cuBLAS: %s", fallback_reason(g->st));
    return buf;
}

static void write_step(FILE *md, FILE *csv, const model_cfg *c, const step *s, double ours, double blas,
                       const char *check, const bench_model_env *env)
{
    const char *timing = env->graph ? "graph" : "stream";
    double bytes = 0;
    int fallbacks = 0;
    for (int i = 0; i < s->ng; i++) {
        bytes += gemm_bytes(&s->g[i].s, s->n);
        fallbacks += s->g[i].st != SKINNY_OK;
    }
    const double gbs = bytes / (ours * 1e-6) / 1e9;
    fprintf(md, "| %s | %d | %.2f | %.2f | %.3f | %.0f | %.1f |", dtype_name(s->dtype), s->n, ours, blas,
            blas / ours, gbs, 100 * gbs / env->ceil_gbs);
    char buf[64];
    for (int i = 0; i < s->ng; i++) {
        const step_gemm *g = &s->g[i];
        fprintf(md, " %.2f / %.2f (%s) |", g->ours_us, g->blas_us, kernel_of(g, buf, sizeof buf));
    }
    fprintf(md, " %s |\n", check);
    for (int i = 0; i < s->ng; i++) {
        const step_gemm *g = &s->g[i];
        const double gb = gemm_bytes(&g->s, s->n) / (g->ours_us * 1e-6) / 1e9;
        fprintf(csv, "%s,%s,%d,%s,%ld,%ld,%d,%s,%d,%.3f,%.3f,%.4f,%.3g,%.1f,%.2f,%s\n", c->name,
                dtype_name(s->dtype), s->n, g->s.name, g->s.m, g->s.k, g->s.bias, kernel_of(g, buf, sizeof buf),
                g->st != SKINNY_OK, g->ours_us, g->blas_us, g->blas_us / g->ours_us, g->err, gb,
                100 * gb / env->ceil_gbs, timing);
    }
    fprintf(csv, "%s,%s,%d,step,,,,-,%d,%.3f,%.3f,%.4f,,%.1f,%.2f,%s\n", c->name, dtype_name(s->dtype), s->n,
            fallbacks, ours, blas, blas / ours, gbs, 100 * gbs / env->ceil_gbs, timing);
    fflush(md);
    fflush(csv);
}

static void print_summary(const summary_row *rows, int nrows, const bench_model_env *env)
{
    printf("\ndecode steps (%s; step time = median of whole-step batches):\n",
           env->graph ? "CUDA graph replays" : "host launches");
    printf("%-11s %-5s %3s %11s %11s %8s %10s  %s\n", "model", "dtype", "N", "ours us", "cuBLAS us", "speedup",
           "on cuBLAS", "check");
    for (int i = 0; i < nrows; i++) {
        const summary_row *r = &rows[i];
        char fb[16];
        snprintf(fb, sizeof fb, "%d/%d", r->fallbacks, r->ng);
        printf("%-11s %-5s %3d %11.2f %11.2f %7.3fx %10s  %s\n", models[r->model].name, dtype_name(r->dtype), r->n,
               r->ours_us, r->blas_us, r->blas_us / r->ours_us, fb, r->check);
    }
}

/* ------------------------------------------------------------ driver */

int bench_model_run(const bench_model_env *env, const int *sel, int nsel, FILE *md)
{
    char path[512];
    snprintf(path, sizeof path, "%s-model.csv", env->out);
    FILE *csv = fopen(path, "w");
    if (!csv) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    fprintf(csv, "model,dtype,n,part,m,k,bias,kernel,on_cublas,ours_us,cublas_us,speedup,rel_err_vs_cublas,"
                 "ours_gbs,pct_ceiling,timing\n");
    md_section_head(md, env, sel, nsel);
    const int nrows_max = nsel * env->ndtypes * (env->n_hi - env->n_lo + 1);
    summary_row *rows = calloc((size_t)nrows_max, sizeof *rows);
    if (!rows) {
        fprintf(stderr, "out of host memory\n");
        exit(1);
    }
    int nrows = 0, mismatch = 0, no_marks = 0;
    for (int mi = 0; mi < nsel; mi++) {
        const model_cfg *c = &models[sel[mi]];
        step s;
        memset(&s, 0, sizeof s);
        s.env = env;
        alloc_step(&s, c, env->n_hi);
        md_model_head(md, c, &s, env);
        for (int di = 0; di < env->ndtypes; di++) {
            s.dtype = (skinny_dtype)env->dtypes[di];
            fprintf(stderr, "%s %s: filling %d weight matrices\n", c->name, dtype_name(s.dtype), s.ng);
            fill_step(&s, sel[mi], env->n_hi);
            for (int n = env->n_lo; n <= env->n_hi; n++) {
                s.n = n;
                plan_step(&s);
                /* "-": every GEMM ran on cuBLAS; else "ok" or the GEMMs that differ. */
                summary_row *row = &rows[nrows++];
                snprintf(row->check, sizeof row->check, "-");
                int fallbacks = 0, bad = 0;
                for (int i = 0; i < s.ng; i++) {
                    step_gemm *g = &s.g[i];
                    g->err = check_gemm(&s, i);
                    fallbacks += g->st != SKINNY_OK;
                    if (g->st != SKINNY_OK) continue;
                    if (!bad) snprintf(row->check, sizeof row->check, "ok");
                    if (!(g->err <= bench_tolerance(s.dtype))) {
                        fprintf(stderr, "%s %s N=%d %s: output differs from cuBLAS (rel err %.3g)\n", c->name,
                                dtype_name(s.dtype), n, g->s.name, g->err);
                        const size_t used = bad ? strlen(row->check) : 0;
                        snprintf(row->check + used, sizeof row->check - used, "%s%s", bad ? "," : "MISMATCH: ",
                                 g->s.name);
                        bad = mismatch = 1;
                    }
                }
                const double ours = time_side(&s, 0);
                const double blas = time_side(&s, 1);
                fprintf(stderr, "%s %s N=%2d: step %9.2f us, cuBLAS %9.2f us, x%.3f; %d of %d GEMMs on cuBLAS; "
                                "check %s\n",
                        c->name, dtype_name(s.dtype), n, ours, blas, blas / ours, fallbacks, s.ng, row->check);
                write_step(md, csv, c, &s, ours, blas, row->check, env);
                row->model = sel[mi];
                row->dtype = s.dtype;
                row->n = n;
                row->fallbacks = fallbacks;
                row->ng = s.ng;
                row->ours_us = ours;
                row->blas_us = blas;
            }
        }
        no_marks |= s.marks_failed;
        free_step(&s);
    }
    if (no_marks)
        fprintf(md, "\nPer-GEMM times are `nan` where this runtime could not time events recorded "
                    "inside a CUDA graph; the step times are not affected.\n");
    print_summary(rows, nrows, env);
    free(rows);
    fclose(csv);
    return mismatch;
}
