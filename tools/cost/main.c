/* skinny-cost - compile-time cost of every specialization of tiles.def.
 *
 * For each row (from `skinnygen --list`, TUs from `skinnygen --out`) and
 * each target, compile the row's TU alone with the build's flags for that
 * one target, RUNS times, timing each whole compiler invocation; then read
 * code size, registers, scratch/spills and LDS from the code object
 * (AMD) or ptxas -v (NVIDIA) and derive occupancy. Rows whose wave size is
 * not the target's are not built there (as in the build). Writes
 * OUT.md, OUT.csv, OUT.json and OUT.png. Progress goes to stderr.
 *
 * Exit status: 0 done; 1 a tool failed or printed something not
 * understood, or the table / an --add row is invalid; 2 usage.
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"
#include "cost.h"
#include "report.h"
#include "rows.h"
#include "proc.h"
#include "targets.h"
#include "util.h"

static void usage(FILE *f)
{
    fputs(
        "usage: skinny-cost --skinnygen EXE --spec FILE --templates DIR --runtime DIR\n"
        "                   --targets T1,T2,... [options]\n"
        "\n"
        "Compiles every row of the table on its own, per target, with the build's\n"
        "flags, and reports compile time, code size, registers, scratch/spills,\n"
        "LDS and occupancy as OUT.md, OUT.csv, OUT.json and OUT.png.\n"
        "\n"
        "  --targets LIST    gfx90a,gfx940,gfx1030,sm_90 ... (env SKINNY_COST_TARGETS\n"
        "                    overrides); AMD needs hipcc, NVIDIA nvcc\n"
        "  --runs N          timed compiles per row and target (default 3; env\n"
        "                    SKINNY_COST_RUNS overrides); the median is reported\n"
        "  --add ROW         what-if: a proposed row, e.g. 'TILE(9, 32, 16, 2, 2)',\n"
        "                    validated by skinnygen; may be repeated. Only added rows\n"
        "                    are reported unless --keep-table\n"
        "  --add-file FILE   every TILE(...) line of FILE as an --add\n"
        "  --keep-table      with --add: report the table's rows too, added ones marked\n"
        "  --rows A,B        only these rows (names as in skinnygen --list)\n"
        "  --out PREFIX      output files PREFIX.{md,csv,json,png} (default compile-cost)\n"
        "  --chart-script F  gnuplot script (default: chart.gp next to the sources)\n"
        "  --no-chart        skip the chart\n"
        "  --work DIR        scratch directory (default: a new /tmp/skinny-cost.XXXXXX,\n"
        "                    removed at the end)\n"
        "  --hipcc P --nvcc P --objdump P --cuobjdump P --gnuplot P\n"
        "                    tools (defaults: env HIPCC / NVCC / LLVM_OBJDUMP /\n"
        "                    CUOBJDUMP, PATH, /usr/local/cuda/bin/nvcc; llvm-objdump of\n"
        "                    hipcc's clang; cuobjdump beside nvcc, optional: without it\n"
        "                    NVIDIA cells have no loads in flight and no prediction)\n"
        "  --label TEXT      a line for the report header (e.g. the commit measured)\n"
        "  --from-json F     compile nothing: re-render OUT.{md,csv,json,png} from the\n"
        "                    JSON of an earlier report (other options but --out, --no-chart,\n"
        "                    --chart-script, --gnuplot are ignored)\n",
        f);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[COST_MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/* First line of `PROG --version` output containing one of the needles. */
static char *tool_version(const char *prog, const char *work, const char *const *needles)
{
    char *argv[] = {(char *)prog, "--version", NULL};
    char *out = xasprintf("%s/version.out", work);
    spawn_result r;
    char *found = NULL;
    if (spawn_run(argv, out, NULL, &r) == 0) {
        strvec parts = {0};
        for (const char *const *nd = needles; *nd; nd++) {
            const char *m = strstr(r.out, *nd);
            if (!m) continue;
            while (m > r.out && m[-1] != '\n') m--;
            size_t len = strcspn(m, "\n");
            char *line = xmalloc(len + 1);
            memcpy(line, m, len);
            line[len] = '\0';
            sv_push(&parts, line);
            free(line);
        }
        size_t total = 1;
        for (size_t i = 0; i < parts.n; i++) total += strlen(parts.v[i]) + 2;
        found = xmalloc(total);
        found[0] = '\0';
        for (size_t i = 0; i < parts.n; i++) {
            if (i) strcat(found, "; ");
            strcat(found, parts.v[i]);
        }
        sv_free(&parts);
        spawn_result_free(&r);
    }
    free(out);
    return found && *found ? found : (free(found), xstrdup("unknown"));
}

/* llvm-objdump of the clang hipcc drives, so that it knows every arch hipcc
 * compiles for (llvm-objdump 14 does not know gfx940). clang's
 * -print-prog-name=llvm-objdump would answer the first on PATH (Debian 12:
 * /usr/bin/llvm-objdump, LLVM 14), so ask for clang-offload-bundler, which
 * only the compiler's own LLVM directory has, and look beside it. */
static char *find_objdump(const toolset *ts, const char *arch, const char *work)
{
    char *p = find_exe(getenv("LLVM_OBJDUMP"));
    if (p) return p;
    char *argv[] = {ts->hipcc, xasprintf("--offload-arch=%s", arch),
                    "-print-prog-name=clang-offload-bundler", NULL};
    char *out = xasprintf("%s/bundler-path.out", work);
    spawn_result r;
    if (spawn_run(argv, out, NULL, &r) == 0 && r.exit_code == 0) {
        r.out[strcspn(r.out, "\r\n")] = '\0';
        char *slash = strrchr(r.out, '/');
        if (r.out[0] == '/' && slash) {
            char *cand = xasprintf("%.*s/llvm-objdump", (int)(slash - r.out), r.out);
            p = find_exe(cand);
            free(cand);
        }
        spawn_result_free(&r);
    }
    free(out);
    free(argv[1]);
    if (!p) p = find_exe("llvm-objdump");
    if (!p) die("llvm-objdump not found (set --objdump or LLVM_OBJDUMP)");
    return p;
}

/* cuobjdump beside nvcc, or on PATH; NULL (no loads in flight) without. */
static char *find_cuobjdump(const toolset *ts)
{
    char *p = find_exe(getenv("CUOBJDUMP"));
    if (!p && ts->nvcc) {
        char *dir = xstrdup(ts->nvcc), *slash = strrchr(dir, '/');
        if (slash) {
            char *cand = xasprintf("%.*s/cuobjdump", (int)(slash - dir), dir);
            p = find_exe(cand);
            free(cand);
        }
        free(dir);
    }
    return p ? p : find_exe("cuobjdump");
}

static void read_add_file(const char *path, strvec *adds)
{
    char *text = read_file(path, NULL);
    if (!text) die("cannot read --add-file %s", path);
    strvec lines = {0};
    sv_split(&lines, text, '\n');
    for (size_t i = 0; i < lines.n; i++) {
        char *l = lines.v[i];
        char *c = strstr(l, "//");
        if (c) *c = '\0';
        if (strspn(l, " \t\r") != strlen(l)) sv_push(adds, l);
    }
    sv_free(&lines);
    free(text);
}

static int rm_fn(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* The scratch directory we created (not a --work one): removed at exit,
 * also when a failure ends the run through die(). */
static char *scratch_to_remove;

static void remove_scratch(void)
{
    if (scratch_to_remove) nftw(scratch_to_remove, rm_fn, 16, FTW_DEPTH | FTW_PHYS);
}

static char *first_line_of(const char *path, const char *key)
{
    char *text = read_file(path, NULL);
    if (!text) return NULL;
    char *m = strstr(text, key), *res = NULL;
    if (m) {
        m += strlen(key);
        m += strspn(m, " \t:=\"");
        size_t len = strcspn(m, "\"\n");
        res = xmalloc(len + 1);
        memcpy(res, m, len);
        res[len] = '\0';
    }
    free(text);
    return res;
}

static void provenance(cost_report *rep, const toolset *ts, const char *work)
{
    char buf[64];
    time_t now = time(NULL);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    rep->date = xstrdup(buf);
    struct utsname u;
    char *os = first_line_of("/etc/os-release", "PRETTY_NAME");
    if (uname(&u) == 0) rep->host = xasprintf("%s %s, %s", u.sysname, u.machine, os ? os : "");
    else rep->host = xstrdup(os ? os : "unknown");
    free(os);
    rep->cpu = first_line_of("/proc/cpuinfo", "model name");
    if (!rep->cpu) rep->cpu = xstrdup("unknown CPU");
    rep->ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    static const char *const hip_needles[] = {"HIP version", "clang version", NULL};
    static const char *const nv_needles[] = {"Cuda compilation tools", NULL};
    rep->hipcc_version = ts->hipcc ? tool_version(ts->hipcc, work, hip_needles) : NULL;
    rep->nvcc_version = ts->nvcc ? tool_version(ts->nvcc, work, nv_needles) : NULL;
}

/* OUT.{png,csv,json,md}; the chart first, so the Markdown links it only
 * when it was written. */
static int write_outputs(const cost_report *repp, const char *out, int no_chart,
                         const char *chart_script, const char *gnuplot_arg, const char *work)
{
    char *outdir = xstrdup(out);
    if (strrchr(outdir, '/')) {
        *strrchr(outdir, '/') = '\0';
        if (*outdir && make_dirs(outdir) != 0) die("cannot create %s", outdir);
    }
    free(outdir);
    char *md = xasprintf("%s.md", out), *csv = xasprintf("%s.csv", out);
    char *json = xasprintf("%s.json", out), *png = xasprintf("%s.png", out);
    const char *png_base = strrchr(png, '/') ? strrchr(png, '/') + 1 : png;
    int chart_ok = 0;
    if (!no_chart) {
        char *gp = find_exe(gnuplot_arg ? gnuplot_arg : "gnuplot");
        if (!gp) die("gnuplot not found (install gnuplot-nox, or pass --no-chart)");
        const char *script = chart_script ? chart_script : SKINNY_COST_SRCDIR "/chart.gp";
        if (report_write_chart(repp, gp, script, png, work) != 0) die("writing the chart failed");
        chart_ok = 1;
        free(gp);
    }
    if (report_write_csv(repp, csv) != 0) die("cannot write %s", csv);
    if (report_write_json(repp, json) != 0) die("cannot write %s", json);
    if (report_write_md(repp, md, chart_ok ? png_base : NULL) != 0) die("cannot write %s", md);
    fprintf(stderr, "skinny-cost: wrote %s, %s, %s%s%s\n", md, csv, json, chart_ok ? ", " : "",
            chart_ok ? png : "");
    return 0;
}

int main(int argc, char **argv)
{
    const char *skinnygen = NULL, *spec = NULL, *templates = NULL, *targets_arg = NULL;
    const char *out = "compile-cost", *chart_script = NULL, *work_arg = NULL, *rows_arg = NULL;
    const char *gnuplot_arg = NULL, *from_json = NULL;
    int runs = 3, keep_table = 0, no_chart = 0;
    toolset ts = {0};
    strvec adds = {0};
    cost_report rep = {0};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && v && (i++, 1))
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        else if (OPT("--skinnygen")) skinnygen = v;
        else if (OPT("--spec")) spec = v;
        else if (OPT("--templates")) templates = v;
        else if (OPT("--runtime")) ts.runtime = xstrdup(v);
        else if (OPT("--targets")) targets_arg = v;
        else if (OPT("--runs")) runs = atoi(v);
        else if (OPT("--add")) sv_push(&adds, v);
        else if (OPT("--add-file")) read_add_file(v, &adds);
        else if (!strcmp(a, "--keep-table")) keep_table = 1;
        else if (OPT("--rows")) rows_arg = v;
        else if (OPT("--out")) out = v;
        else if (OPT("--chart-script")) chart_script = v;
        else if (!strcmp(a, "--no-chart")) no_chart = 1;
        else if (OPT("--work")) work_arg = v;
        else if (OPT("--hipcc")) ts.hipcc = find_exe(v);
        else if (OPT("--nvcc")) ts.nvcc = find_exe(v);
        else if (OPT("--objdump")) ts.objdump = find_exe(v);
        else if (OPT("--cuobjdump")) ts.cuobjdump = find_exe(v);
        else if (OPT("--gnuplot")) gnuplot_arg = v;
        else if (OPT("--label")) rep.label = xstrdup(v);
        else if (OPT("--from-json")) from_json = v;
        else {
            fprintf(stderr, "skinny-cost: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        }
#undef OPT
    }
    if (getenv("SKINNY_COST_TARGETS") && *getenv("SKINNY_COST_TARGETS"))
        targets_arg = getenv("SKINNY_COST_TARGETS");
    if (getenv("SKINNY_COST_RUNS") && *getenv("SKINNY_COST_RUNS"))
        runs = atoi(getenv("SKINNY_COST_RUNS"));
    if (from_json) {
        const char *label = rep.label;
        report_load_json(from_json, &rep);
        if (label) rep.label = (char *)label;
        char *tmp = xstrdup("/tmp/skinny-cost.XXXXXX");
        if (!mkdtemp(tmp)) die("cannot create a scratch directory in /tmp");
        scratch_to_remove = tmp;
        atexit(remove_scratch);
        return write_outputs(&rep, out, no_chart, chart_script, gnuplot_arg, tmp);
    }
    if (!skinnygen || !spec || !templates || !ts.runtime || !targets_arg) {
        fputs("skinny-cost: --skinnygen, --spec, --templates, --runtime and --targets are "
              "required\n", stderr);
        usage(stderr);
        return 2;
    }
    if (runs < 1 || runs > COST_MAX_RUNS) {
        fprintf(stderr, "skinny-cost: --runs must be 1..%d\n", COST_MAX_RUNS);
        return 2;
    }

    rep.runs = runs;
    rep.whatif = adds.n > 0;
    rep.spec = xstrdup(spec);

    /* Targets, and the compilers they need. */
    strvec tnames = {0};
    sv_split(&tnames, targets_arg, ',');
    if (tnames.n == 0) die("--targets is empty");
    rep.targets = xmalloc(tnames.n * sizeof *rep.targets);
    int want_amd = 0, want_nv = 0;
    for (size_t i = 0; i < tnames.n; i++) {
        char err[256];
        if (target_lookup(tnames.v[i], &rep.targets[rep.ntargets], err, sizeof err) != 0)
            die("%s", err);
        want_amd |= rep.targets[rep.ntargets].kind == KIND_AMD;
        want_nv |= rep.targets[rep.ntargets].kind == KIND_NVIDIA;
        rep.ntargets++;
    }
    if (want_amd && !ts.hipcc) ts.hipcc = find_exe(getenv("HIPCC"));
    if (want_amd && !ts.hipcc) ts.hipcc = find_exe("hipcc");
    if (want_amd && !ts.hipcc) die("AMD targets need hipcc: not found (set --hipcc or HIPCC)");
    if (want_nv && !ts.nvcc) ts.nvcc = find_exe(getenv("NVCC"));
    if (want_nv && !ts.nvcc) ts.nvcc = find_exe("nvcc");
    if (want_nv && !ts.nvcc) ts.nvcc = find_exe("/usr/local/cuda/bin/nvcc");
    if (want_nv && !ts.nvcc) die("NVIDIA targets need nvcc: not found (set --nvcc or NVCC)");

    /* Scratch directory: generated TUs, objects, tool outputs. */
    char *work;
    if (work_arg) {
        if (make_dirs(work_arg) != 0) die("cannot create %s", work_arg);
        work = xstrdup(work_arg);
    } else {
        work = xstrdup("/tmp/skinny-cost.XXXXXX");
        if (!mkdtemp(work)) die("cannot create a scratch directory in /tmp");
        scratch_to_remove = work;
        atexit(remove_scratch);
    }
    char *gendir = xasprintf("%s/gen", work), *objdir = xasprintf("%s/obj", work);
    /* -I must not depend on the compiler's working directory. */
    const char *runtime_arg = ts.runtime;
    char *rt = realpath(ts.runtime, NULL);
    if (!rt) die("--runtime %s: no such directory", ts.runtime);
    ts.runtime = rt;
    if (make_dirs(gendir) || make_dirs(objdir)) die("cannot create directories in %s", work);

    for (size_t i = 0; want_amd && !ts.objdump && i < rep.ntargets; i++)
        if (rep.targets[i].kind == KIND_AMD) ts.objdump = find_objdump(&ts, rep.targets[i].name, work);
    if (want_nv && !ts.cuobjdump) ts.cuobjdump = find_cuobjdump(&ts);
    provenance(&rep, &ts, work);

    /* Rows: list (marks added ones), filter, generate. */
    cost_row *all;
    size_t nall;
    rows_list(skinnygen, spec, &adds, work, &all, &nall);
    strvec only = {0};
    if (rows_arg) sv_split(&only, rows_arg, ',');
    for (size_t j = 0; j < only.n; j++) {
        size_t i = 0;
        while (i < nall && strcmp(all[i].name, only.v[j])) i++;
        if (i == nall) die("--rows: no row named '%s' in %s", only.v[j], spec);
    }
    rep.rows = xmalloc((nall ? nall : 1) * sizeof *rep.rows);
    for (size_t i = 0; i < nall; i++) {
        int keep = !rep.whatif || keep_table || all[i].added;
        if (only.n) {
            int named = 0;
            for (size_t j = 0; j < only.n; j++) named |= !strcmp(all[i].name, only.v[j]);
            keep = keep && named;
        }
        if (keep) rep.rows[rep.nrows++] = all[i];
    }
    free(all);
    if (rep.nrows == 0) die("no rows to measure");
    rows_generate(skinnygen, spec, templates, &adds, gendir, work);

    /* Command lines for the report header (placeholders for the paths). */
    strvec cmd = {0};
    for (size_t i = 0; i < rep.ntargets; i++) {
        cost_target *t = &rep.targets[i];
        char **slot = t->kind == KIND_AMD ? &rep.hip_cmd : &rep.nv_cmd;
        if (*slot) continue;
        toolset shown = ts;
        shown.runtime = (char *)runtime_arg; /* as given: no scratch paths in the report */
        compile_argv(&shown, t, "ROW.hip", "ROW.o", "ROW.d", &cmd);
        *slot = argv_to_string(cmd.v);
        sv_free(&cmd);
    }

    /* Measure. */
    rep.cells = xmalloc(rep.nrows * rep.ntargets * sizeof *rep.cells);
    memset(rep.cells, 0, rep.nrows * rep.ntargets * sizeof *rep.cells);
    size_t todo = 0, done = 0;
    for (size_t i = 0; i < rep.nrows; i++)
        for (size_t t = 0; t < rep.ntargets; t++)
            todo += row_built_for(&rep.rows[i], &rep.targets[t]);
    fprintf(stderr, "skinny-cost: %zu rows x %zu targets: %zu compiles of %d runs (+ figures); "
            "scratch %s\n", rep.nrows, rep.ntargets, todo, runs, work);
    const double t_start = now_s();
    for (size_t i = 0; i < rep.nrows; i++) {
        const cost_row *row = &rep.rows[i];
        char *tu = xasprintf("%s/%s.hip", gendir, row->name);
        for (size_t t = 0; t < rep.ntargets; t++) {
            const cost_target *tg = &rep.targets[t];
            cost_cell *c = report_cell(&rep, i, t);
            if (!row_built_for(row, tg)) continue; /* not built for this target */
            c->built = 1;
            done++;
            char *prefix = xasprintf("%s/%s.%s", objdir, row->name, tg->name);
            char *obj = xasprintf("%s.o", prefix), *dep = xasprintf("%s.d", prefix);
            char *o = xasprintf("%s.cc.out", prefix), *e = xasprintf("%s.cc.err", prefix);
            for (int k = 0; k < runs; k++) {
                compile_argv(&ts, tg, tu, obj, dep, &cmd);
                spawn_result r;
                if (spawn_run(cmd.v, o, e, &r) != 0) die("cannot run %s", cmd.v[0]);
                if (r.exit_code != 0) {
                    fputs(r.out, stderr);
                    fputs(r.err, stderr);
                    die("compile failed (exit %d): %s", r.exit_code, argv_to_string(cmd.v));
                }
                c->runs[c->nruns++] = r.seconds;
                spawn_result_free(&r);
                sv_free(&cmd);
                const double el = now_s() - t_start;
                fprintf(stderr, "skinny-cost: [%3zu/%zu] %-18s %-8s run %d/%d %6.2f s  "
                        "(elapsed %d:%02d)\n", done, todo, row->name, tg->name, k + 1, runs,
                        r.seconds, (int)el / 60, (int)el % 60);
            }
            c->median = median(c->runs, c->nruns);
            if (tg->kind == KIND_AMD) amd_figures(&ts, tg, row, obj, prefix, c);
            else nv_figures(&ts, tg, row, tu, prefix, c);
            cell_predict(tg, row, c);
            fprintf(stderr, "skinny-cost: [%3zu/%zu] %-18s %-8s median %.2f s, code %ld B, "
                    "regs %ld/%ld, occupancy %ld/%ld\n", done, todo, row->name, tg->name,
                    c->median, c->code_object_bytes, c->k[0].registers, c->k[1].registers,
                    c->k[0].occupancy, c->k[1].occupancy);
            free(prefix), free(obj), free(dep), free(o), free(e);
        }
        free(tu);
    }

    return write_outputs(&rep, out, no_chart, chart_script, gnuplot_arg, work);
}

