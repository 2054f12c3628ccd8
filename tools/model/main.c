/* skinny-model - predicted memory bandwidth of each kernel on each GPU of
 * gpus.def, by Little's law (littles.h), from static figures read out of
 * the compiled kernels by tools/codeobj (registers, LDS, loads in flight).
 *
 *   skinny-model --gpus FILE amd --objdump PATH [--shape M,K] [--floor GPU=PCT]...
 *                [--known FILE] OBJ...
 *       AMD: every kernel of every hipcc object, on each GPU whose code=
 *       arch is in the object. --floor: exit 1 naming each kernel of that
 *       GPU's wave predicted below PCT % of its peak (the amd suite's check);
 *       --known: shortfalls already known (see known_t below).
 *   skinny-model --gpus FILE nv --sass FILE --res FILE [--shape M,K]
 *                [--latency-ns GPU=NS]... [--calibrate CSV --gpu NAME [--measure FILE]
 *                [--bw-mib MIB]]
 *       NVIDIA: kernels of `cuobjdump -sass` / `cuobjdump -res-usage` text.
 *       --calibrate: the model against a skinny-bench CSV measured on GPU
 *       (the dispatcher's choice per cell); with --measure, against every
 *       candidate row's time of `skinny-bench --tune --measure FILE`.
 *
 * The default shape is M = K = 8192 (128 MiB of bf16 weights: DRAM-bound on
 * every listed GPU). Output: Markdown tables on stdout. Exit: 0 done, 1 a
 * floor not met, 2 usage or input error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib.h"
#include "co_amdobj.h"
#include "co_names.h"
#include "co_nvres.h"
#include "co_run.h"
#include "gpus.h"
#include "launch.h"
#include "littles.h"

typedef struct {
    char gpu[32];
    double pct;
} floor_t;

/* Known shortfalls (--known FILE): "ROW DTYPE GPU  # why" lines. A listed
 * kernel below its floor is reported, not failed; a listed kernel that now
 * meets its floor fails, so that the list only ever shrinks. */
typedef struct {
    char row[64], dtype[8], gpu[32];
    int line, seen;
} known_t;

static known_t known[256];
static int nknown;
static const char *known_file;

static model_gpu gpus[MODEL_MAX_GPUS];
static int ngpus;
static int64_t shape_m = 8192, shape_k = 8192;
static int nfailed;

static void usage(void)
{
    fputs("usage: skinny-model --gpus FILE amd --objdump PATH [--shape M,K] [--floor GPU=PCT]... "
          "[--known FILE] OBJ...\n"
          "       skinny-model --gpus FILE nv --sass FILE --res FILE [--shape M,K]\n"
          "                    [--latency-ns GPU=NS]... [--calibrate CSV --gpu NAME [--measure F]\n"
          "                    [--bw-mib MIB] [--mma-read-gbs GBS]]\n",
          stderr);
    exit(2);
}

static void table_header(void)
{
    puts("| kernel | dtype | GPU | code | VGPR/regs | MLP | groups/unit | waves/unit | "
         "KiB in flight/unit | GB/s | % of peak | limit |");
    puts("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
}

static void table_row(const char *row, const char *dtype, const model_gpu *g,
                      const model_kernel *k, const model_prediction *p)
{
    printf("| %s | %s | %s | %s | %ld | %d | %d | %.1f | %.1f | %.0f | %.1f | %s |\n", row, dtype,
           g->name, g->code->name, k->vgprs, k->mlp, p->groups_per_unit, p->waves_per_unit,
           p->bif_per_unit / 1024.0, p->gbs, p->pct, p->latency_bound ? "latency" : "peak");
}

/* Predicts one kernel on g at the model shape; -1 when the planner refuses. */
static int predict(const model_gpu *g, const co_row *r, model_kernel *k, model_prediction *p,
                   int64_t m, int64_t kk)
{
    char name[64], err[256];
    co_row_name(r, name, sizeof name);
    if (launch_plan(g, name, r->n, m, kk, k, err, sizeof err) != 0) {
        fprintf(stderr, "skinny-model: %s on %s: %s\n", name, g->name, err);
        return -1;
    }
    model_predict(g, k, p);
    return 0;
}

static int load_known(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    char buf[512];
    int line = 0, errors = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        buf[strcspn(buf, "#\n")] = '\0';
        known_t k = {.line = line};
        char extra[2];
        int got = sscanf(buf, "%63s %7s %31s %1s", k.row, k.dtype, k.gpu, extra);
        if (got <= 0) continue;
        if (got != 3 || nknown == 256 || !co_row_of_name(k.row).ok || !gpus_find(gpus, ngpus, k.gpu)) {
            fprintf(stderr, "%s:%d: error: expected ROW DTYPE GPU (a row name, f16|bf16, a GPU "
                    "of the GPU file)\n", path, line);
            errors++;
            continue;
        }
        known[nknown++] = k;
    }
    fclose(f);
    known_file = path;
    return errors ? -1 : 0;
}

static known_t *find_known(const char *row, const char *dtype, const char *gpu)
{
    for (int i = 0; i < nknown; i++)
        if (!strcmp(known[i].row, row) && !strcmp(known[i].dtype, dtype) &&
            !strcmp(known[i].gpu, gpu))
            return &known[i];
    return NULL;
}

static void check_floor(const floor_t *fl, int nfl, const model_gpu *g, const char *row,
                        const char *dtype, const model_kernel *k, const model_prediction *p)
{
    for (int i = 0; i < nfl; i++) {
        if (strcmp(fl[i].gpu, g->name)) continue;
        known_t *kn = find_known(row, dtype, g->name);
        if (kn) kn->seen = 1;
        if (p->pct >= fl[i].pct) {
            if (kn) {
                nfailed++;
                fprintf(stderr, "%s:%d: error: %s %s on %s is listed as below the floor but is "
                        "predicted at %.1f %% >= %.0f %%: remove the line\n", known_file,
                        kn->line, row, dtype, g->name, p->pct, fl[i].pct);
            }
            continue;
        }
        if (!kn) nfailed++;
        fprintf(stderr,
                "%s %s %s on %s: predicted %.1f %% of peak < %.0f %%: %.1f waves/unit x MLP %d "
                "x %d B x %d lanes = %.1f KiB in flight per unit, x %d units / %.0f ns = %.0f GB/s "
                "(peak %.0f)%s\n",
                kn ? "KNOWN" : "FAIL", row, dtype, g->name, p->pct, fl[i].pct, p->waves_per_unit, k->mlp, k->load_bytes,
                k->wave, p->bif_per_unit / 1024, g->units, g->latency_ns,
                p->bif_per_unit * g->units / g->latency_ns, g->peak_gbs,
                kn ? " (listed in the known-shortfall file)" : "");
    }
}

static int run_amd(int argc, char **argv)
{
    const char *objdump = NULL;
    floor_t fl[MODEL_MAX_GPUS];
    int nfl = 0, i = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--objdump") && i + 1 < argc) {
            objdump = argv[++i];
        } else if (!strcmp(argv[i], "--known") && i + 1 < argc) {
            if (load_known(argv[++i]) != 0) return 2;
        } else if (!strcmp(argv[i], "--floor") && i + 1 < argc && nfl < MODEL_MAX_GPUS) {
            const char *v = argv[++i], *eq = strchr(v, '=');
            char *end;
            if (!eq || eq - v >= 32) usage();
            snprintf(fl[nfl].gpu, sizeof fl[nfl].gpu, "%.*s", (int)(eq - v), v);
            fl[nfl].pct = strtod(eq + 1, &end);
            if (*end || !gpus_find(gpus, ngpus, fl[nfl].gpu)) {
                fprintf(stderr, "skinny-model: --floor %s: no such GPU in the GPU file\n", v);
                return 2;
            }
            nfl++;
        } else {
            usage();
        }
    }
    if (!objdump || i == argc) usage();
    table_header();
    int checked = 0;
    for (; i < argc; i++) {
        co_amd_objects objs;
        char err[512];
        if (co_amd_read(argv[i], &objs, err, sizeof err) != 0) {
            fprintf(stderr, "%s: error: %s\n", argv[i], err);
            return 2;
        }
        for (int gi = 0; gi < ngpus; gi++) {
            const model_gpu *g = &gpus[gi];
            co_amd_object *o = co_amd_find(&objs, g->code->name);
            if (!o) continue;
            if (!o->have_isa && co_amd_disassemble(o, objdump, err, sizeof err) != 0) {
                fprintf(stderr, "%s (%s): error: %s\n", argv[i], o->arch, err);
                co_amd_free(&objs);
                return 2;
            }
            for (int ki = 0; ki < o->meta.nkernels; ki++) {
                const co_amd_kernel *mk = &o->meta.k[ki];
                co_row r = co_row_of_mangled(mk->name);
                const co_fn *f = co_isa_find(&o->isa, mk->name);
                /* Empty body there; fp8-activation kernels are not modelled
                 * (their rows' fp8-weight kernels are). */
                if (!r.ok || r.wave != g->arch->wave || r.fp8x) continue;
                if (!f) {
                    fprintf(stderr, "%s (%s): error: no disassembly for %s\n", argv[i], o->arch,
                            mk->name);
                    co_amd_free(&objs);
                    return 2;
                }
                model_kernel k = {.wave = (int)r.wave, .vgprs = mk->v[CO_VGPR],
                                  .sgprs = mk->v[CO_SGPR], .mlp = f->mlp, .load_bytes = 16};
                model_prediction p;
                if (predict(g, &r, &k, &p, shape_m, shape_k) != 0) {
                    co_amd_free(&objs);
                    return 2;
                }
                char name[64];
                co_row_name(&r, name, sizeof name);
                table_row(name, r.dtype, g, &k, &p);
                check_floor(fl, nfl, g, name, r.dtype, &k, &p);
                checked++;
            }
        }
        co_amd_free(&objs);
    }
    if (nfl && checked == 0) {
        fprintf(stderr, "skinny-model: no kernel was predicted on a floored GPU\n");
        return 1;
    }
    for (int j = 0; j < nknown; j++)
        if (!known[j].seen) {
            /* listed, but not predicted on a floored GPU: row gone or not built */
            nfailed++;
            fprintf(stderr, "%s:%d: error: %s %s on %s was not predicted with a floor in this "
                    "run: remove the line\n", known_file, known[j].line, known[j].row,
                    known[j].dtype, known[j].gpu);
        }
    if (nfailed) fprintf(stderr, "skinny-model: %d floor failure(s)\n", nfailed);
    return nfailed ? 1 : 0;
}

static char *slurp(const char *path)
{
    size_t len;
    char *t = (char *)co_read_file(path, &len);
    if (!t) fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
    return t;
}

/* The NVIDIA kernel figures of row r and dtype: its SASS and resources. */
static int nv_kernel(const co_isa *isa, const co_nv_kernel *res, int nres, const char *row,
                     const char *dtype, model_kernel *k)
{
    for (size_t i = 0; i < isa->n; i++) {
        co_row r = co_row_of_mangled(isa->fn[i].name);
        char name[64];
        co_row_name(&r, name, sizeof name);
        if (!r.ok || r.fp8x || strcmp(name, row) || strcmp(r.dtype, dtype)) continue; /* fp8x: not modelled */
        for (int j = 0; j < nres; j++)
            if (!strcmp(res[j].name, isa->fn[i].name)) {
                memset(k, 0, sizeof *k);
                k->wave = 32;
                k->vgprs = res[j].regs;
                k->mlp = isa->fn[i].mlp;
                k->load_bytes = 16;
                k->iter_insns = isa->fn[i].loop_insns;
                k->iter_loads = (int)isa->fn[i].loop_stream_loads;
                k->overlapped = isa->fn[i].loop_min_in_flight > 0;
                return 0;
            }
    }
    return -1;
}

static int run_nv(int argc, char **argv)
{
    const char *sass = NULL, *resf = NULL, *csv = NULL, *gpu_name = NULL, *measure = NULL;
    double bw_mib = 64;
    /* --mma-read-gbs: GB/s of the MMA kernels' loads alone (their order,
     * their grid, no arithmetic; skinny-latency's read_gbs line), measured
     * on the GPU: the ceiling of MMA rows' cells in --calibrate where it is
     * below the run's read ceiling (0: none). */
    double mma_read = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) usage();
        i++;
        if (!strcmp(a, "--sass")) sass = v;
        else if (!strcmp(a, "--res")) resf = v;
        else if (!strcmp(a, "--calibrate")) csv = v;
        else if (!strcmp(a, "--measure")) measure = v;
        else if (!strcmp(a, "--gpu")) gpu_name = v;
        else if (!strcmp(a, "--bw-mib")) bw_mib = atof(v);
        else if (!strcmp(a, "--mma-read-gbs")) {
            char *end;
            mma_read = strtod(v, &end);
            if (*end || !(mma_read > 0)) {
                fprintf(stderr, "skinny-model: --mma-read-gbs must be a positive number, got '%s'\n", v);
                return 2;
            }
        }
        else if (!strcmp(a, "--latency-ns")) {
            const char *eq = strchr(v, '=');
            char nm[32];
            if (!eq || eq - v >= 32) usage();
            snprintf(nm, sizeof nm, "%.*s", (int)(eq - v), v);
            model_gpu *g = gpus_find(gpus, ngpus, nm);
            char *end;
            double ns = strtod(eq + 1, &end);
            if (!g || *end || !(ns > 0)) {
                fprintf(stderr, "skinny-model: --latency-ns %s: unknown GPU or bad number\n", v);
                return 2;
            }
            g->latency_ns = ns;
            g->measured = 1;
        } else usage();
    }
    if (!sass || !resf || (csv && !gpu_name)) usage();
    char *stext = slurp(sass), *rtext = slurp(resf);
    if (!stext || !rtext) return 2;
    co_isa isa;
    /* A table's kernels: two 16-bit launchers per row, so the default
     * table's 139 sm_90 rows have ~280; room for 1024. */
    enum { MAX_RES = 1024 };
    static co_nv_kernel res[MAX_RES];
    char err[512];
    if (co_isa_parse_sass(stext, &isa, err, sizeof err) != 0) {
        fprintf(stderr, "%s:%s\n", sass, err);
        return 2;
    }
    int nres = co_nv_parse_resusage(rtext, res, MAX_RES, err, sizeof err);
    if (nres < 0) {
        fprintf(stderr, "%s:%s\n", resf, err);
        return 2;
    }
    free(stext);
    free(rtext);
    int rc = 0;
    if (!csv) {
        table_header();
        for (size_t i = 0; i < isa.n && rc == 0; i++) {
            co_row r = co_row_of_mangled(isa.fn[i].name);
            if (!r.ok || r.fp8x) continue; /* fp8-activation kernels are not modelled */
            char name[64];
            co_row_name(&r, name, sizeof name);
            model_kernel k;
            if (nv_kernel(&isa, res, nres, name, r.dtype, &k) != 0) {
                fprintf(stderr, "%s: error: no resource usage for %s\n", resf, isa.fn[i].name);
                rc = 2;
                break;
            }
            for (int gi = 0; gi < ngpus; gi++) {
                if (gpus[gi].code->vendor != CO_NVIDIA) continue;
                model_prediction p;
                if (predict(&gpus[gi], &r, &k, &p, shape_m, shape_k) != 0) { rc = 2; break; }
                table_row(name, r.dtype, &gpus[gi], &k, &p);
            }
        }
    } else {
        model_gpu *g = gpus_find(gpus, ngpus, gpu_name);
        if (!g || g->arch->vendor != CO_NVIDIA) {
            fprintf(stderr, "skinny-model: --gpu %s: not an NVIDIA GPU of the GPU file\n", gpu_name);
            co_isa_free(&isa);
            return 2;
        }
        calib_cell *cells;
        int n = calib_read(csv, &cells);
        if (n >= 0 && measure) {
            calib_cell *all;
            int na = calib_read_measure(measure, cells, n, &all);
            free(cells);
            cells = all;
            n = na;
        }
        if (n < 0) {
            co_isa_free(&isa);
            return 2;
        }
        /* Measured % is against a plain read, which reaches the run's read
         * ceiling at best, not the data sheet's peak: predict against that. */
        double sheet = g->peak_gbs;
        if (n && cells[0].ceiling_gbs > 0) g->peak_gbs = cells[0].ceiling_gbs;
        for (int i = 0; i < n; i++) {
            co_row r = co_row_of_name(cells[i].kernel);
            model_kernel k;
            model_prediction p;
            if (!r.ok || nv_kernel(&isa, res, nres, cells[i].kernel, cells[i].dtype, &k) != 0)
                continue; /* a row this build does not have: "no prediction" */
            r.n = cells[i].n; /* the N the cell ran (a row serves exactly its N) */
            const double ceiling = g->peak_gbs;
            if (r.mma && !r.fp8 && mma_read > 0 && mma_read < ceiling) g->peak_gbs = mma_read; /* its loads' read */
            if (predict(g, &r, &k, &p, cells[i].m, cells[i].k) == 0)
                cells[i].predicted_pct = p.pct * g->peak_gbs / ceiling; /* % of the run's ceiling */
            g->peak_gbs = ceiling;
        }
        printf("Model (%s: %d SMs, peak %.0f GB/s (%s), latency %.0f ns %s) against %s\n\n",
               g->name, g->units, g->peak_gbs,
               g->peak_gbs != sheet ? "the run's measured read ceiling" : "data sheet",
               g->latency_ns, g->measured ? "measured" : "ESTIMATED", measure ? measure : csv);
        if (mma_read > 0)
            printf("MMA rows' ceiling: %.0f GB/s where below that (their loads alone, measured: their order and "
                   "grid, no arithmetic)\n\n", mma_read);
        double med = calib_report(stdout, cells, n, bw_mib);
        if (med >= 0) printf("\nmedian error on bandwidth-bound cells: %.1f %%\n", med);
        free(cells);
    }
    co_isa_free(&isa);
    return rc;
}

int main(int argc, char **argv)
{
    const char *gpus_file = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--gpus") && i + 1 < argc) gpus_file = argv[++i];
        else if (!strcmp(argv[i], "--shape") && i + 1 < argc) {
            long long m, k;
            char tail;
            if (sscanf(argv[++i], "%lld,%lld%c", &m, &k, &tail) != 2 || m <= 0 || k <= 0) usage();
            shape_m = m, shape_k = k;
        } else usage();
    }
    if (!gpus_file || i == argc) usage();
    ngpus = gpus_load(gpus_file, gpus, MODEL_MAX_GPUS);
    if (ngpus < 0) return 2;
    if (!strcmp(argv[i], "amd")) return run_amd(argc - i - 1, argv + i + 1);
    if (!strcmp(argv[i], "nv")) return run_nv(argc - i - 1, argv + i + 1);
    usage();
}
