/* check_report.c - CI check of skinny-cost (Meson suite 'cost').
 *
 *   check-cost-report --json F --csv F --rows N --targets T1,.. --runs R
 *                     -- SKINNY-COST ARGS...
 *
 * Runs skinny-cost, then reads both outputs back and fails unless every
 * row has, for every target it is built for, every figure present,
 * numeric and plausible: compile times > 0 (R runs, median among them),
 * code and .text bytes > 0, two kernels (f16, bf16) with registers > 0,
 * occupancy >= 1, and counts >= 0 for scratch/spills/LDS (SGPRs > 0 on
 * AMD); the bandwidth model's: loads in flight >= 1 (AMD; NVIDIA where
 * cuobjdump exists, else null) and, where there are loads in flight, a
 * prediction for each GPU of its target with KiB in flight > 0 and a
 * share of peak in (0, 100]. Figures that do not apply must be null
 * (JSON) / empty (CSV). The CSV must agree with the JSON. Exit 0 pass, 1 fail.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proc.h"
#include "util.h"

static int failures;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("check-cost-report: FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

/* A number >= min (or, with may_be_null, JSON null when not applicable). */
static double need_num(const cJSON *o, const char *key, double min, const char *where)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v)) {
        fail("%s: %s is %s", where, key, v ? "not a number" : "missing");
        return NAN;
    }
    if (!(v->valuedouble >= min)) fail("%s: %s = %g, want >= %g", where, key, v->valuedouble, min);
    return v->valuedouble;
}

static void need_null(const cJSON *o, const char *key, const char *where)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNull(v)) fail("%s: %s should be null (not applicable)", where, key);
}

static const char *const amd_fields[] = {"sgpr", "scratch_bytes", "vgpr_spills", "sgpr_spills",
                                         "static_lds_bytes", "max_workgroup", NULL};
static const char *const nv_fields[] = {"scratch_bytes", "spill_store_bytes", "spill_load_bytes",
                                        "static_lds_bytes", NULL};
static const char *const nv_nulls[] = {"sgpr", "agpr", "vgpr_spills", "sgpr_spills",
                                       "max_workgroup", NULL};

static int check_json(const char *path, int want_rows, const strvec *targets, int runs)
{
    char *text = read_file(path, NULL);
    if (!text) { fail("cannot read %s", path); return -1; }
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root) { fail("%s is not valid JSON", path); return -1; }
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "rows");
    if (!cJSON_IsArray(rows) || cJSON_GetArraySize(rows) != want_rows)
        fail("%s: want %d rows, got %d", path, want_rows, cJSON_IsArray(rows) ? cJSON_GetArraySize(rows) : -1);
    int built = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "name");
        const char *rn = cJSON_IsString(name) ? name->valuestring : "?";
        const cJSON *per = cJSON_GetObjectItemCaseSensitive(row, "targets");
        for (size_t t = 0; t < targets->n; t++) {
            char where[256];
            snprintf(where, sizeof where, "%s/%s", rn, targets->v[t]);
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(per, targets->v[t]);
            const cJSON *st = cJSON_GetObjectItemCaseSensitive(c, "status");
            if (!cJSON_IsString(st)) { fail("%s: no status", where); continue; }
            if (!strcmp(st->valuestring, "not_built")) continue;
            if (strcmp(st->valuestring, "built")) { fail("%s: status '%s'", where, st->valuestring); continue; }
            built++;
            const int amd = !strncmp(targets->v[t], "gfx", 3);
            const cJSON *cs = cJSON_GetObjectItemCaseSensitive(c, "compile_s");
            double med = need_num(cs, "median", 1e-3, where);
            const cJSON *rs = cJSON_GetObjectItemCaseSensitive(cs, "runs"), *x;
            if (!cJSON_IsArray(rs) || cJSON_GetArraySize(rs) != runs)
                fail("%s: want %d compile runs", where, runs);
            double lo = INFINITY, hi = 0;
            cJSON_ArrayForEach(x, rs) {
                if (!cJSON_IsNumber(x) || !(x->valuedouble > 0)) fail("%s: bad run time", where);
                else lo = fmin(lo, x->valuedouble), hi = fmax(hi, x->valuedouble);
            }
            if (!(med >= lo - 1e-9 && med <= hi + 1e-9)) fail("%s: median outside its runs", where);
            need_num(c, "code_object_bytes", 1, where);
            need_num(c, "text_bytes", 1, where);
            const cJSON *ks = cJSON_GetObjectItemCaseSensitive(c, "kernels"), *k;
            if (!cJSON_IsArray(ks) || cJSON_GetArraySize(ks) != 2)
                fail("%s: want 2 kernels (f16, bf16)", where);
            int ki = 0;
            cJSON_ArrayForEach(k, ks) {
                char kw[300];
                const char *want = ki++ == 0 ? "f16" : "bf16";
                const cJSON *dt = cJSON_GetObjectItemCaseSensitive(k, "dtype");
                snprintf(kw, sizeof kw, "%s/%s", where, want);
                if (!cJSON_IsString(dt) || strcmp(dt->valuestring, want))
                    fail("%s: dtype is not %s", kw, want);
                need_num(k, "registers", 1, kw);
                need_num(k, "occupancy", 1, kw);
                const cJSON *ml = cJSON_GetObjectItemCaseSensitive(k, "mlp"), *e;
                const int has_mlp = amd || !cJSON_IsNull(ml);
                if (has_mlp) need_num(k, "mlp", 1, kw);
                const cJSON *mo = cJSON_GetObjectItemCaseSensitive(k, "model");
                if (!cJSON_IsArray(mo)) fail("%s: no model array", kw);
                else if (has_mlp && cJSON_GetArraySize(mo) == 0)
                    fail("%s: loads in flight but no model prediction", kw);
                cJSON_ArrayForEach(e, mo) {
                    need_num(e, "kib_in_flight_per_unit", 1e-9, kw);
                    if (need_num(e, "pct_of_peak", 1e-9, kw) > 100)
                        fail("%s: pct_of_peak above 100", kw);
                }
                for (const char *const *f = amd ? amd_fields : nv_fields; *f; f++)
                    need_num(k, *f, !strcmp(*f, "sgpr") || !strcmp(*f, "max_workgroup") ? 1 : 0, kw);
                if (amd) {
                    const cJSON *ag = cJSON_GetObjectItemCaseSensitive(k, "agpr");
                    if (!cJSON_IsNull(ag)) need_num(k, "agpr", 0, kw);
                } else {
                    for (const char *const *f = nv_nulls; *f; f++) need_null(k, *f, kw);
                }
            }
        }
    }
    if (built == 0) fail("%s: no row was built for any target", path);
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(root, "totals");
    for (size_t t = 0; t < targets->n; t++) {
        const cJSON *all = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(tot, targets->v[t]), "all");
        need_num(all, "compile_s", 0, "totals");
        need_num(all, "rows", 0, "totals");
    }
    cJSON_Delete(root);
    return built;
}

/* CSV: every built line has a number in every column its kind uses, and
 * the number of built lines is 2 (kernels) per built cell. */
static void check_csv(const char *path, int built_cells)
{
    char *text = read_file(path, NULL);
    if (!text) { fail("cannot read %s", path); return; }
    strvec lines = {0};
    sv_split(&lines, text, '\n');
    free(text);
    if (lines.n < 2) { fail("%s: no data lines", path); sv_free(&lines); return; }
    strvec head = {0};
    sv_split(&head, lines.v[0], ',');
    static const char *const common[] = {"compile_s_median", "code_object_bytes", "text_bytes",
                                         "registers", "scratch_bytes", "static_lds_bytes",
                                         "occupancy", NULL};
    static const char *const amd_only[] = {"sgpr", "vgpr_spills", "sgpr_spills", NULL};
    static const char *const nv_only[] = {"spill_store_bytes", "spill_load_bytes", NULL};
    int built_lines = 0;
    for (size_t i = 1; i < lines.n; i++) {
        /* Split keeping empty fields (sv_split drops them). */
        char *l = lines.v[i];
        char *cols[64];
        size_t nc = 0;
        for (char *p = l;; ) {
            char *e = strchr(p, ',');
            if (nc < 64) cols[nc++] = p;
            if (!e) break;
            *e = '\0';
            p = e + 1;
        }
        if (nc != head.n) { fail("%s line %zu: %zu columns, header has %zu", path, i + 1, nc, head.n); continue; }
        const char *status = NULL, *kind = NULL;
        for (size_t c = 0; c < nc; c++) {
            if (!strcmp(head.v[c], "status")) status = cols[c];
            if (!strcmp(head.v[c], "kind")) kind = cols[c];
        }
        if (!status || !kind) { fail("%s: no status/kind column", path); break; }
        if (strcmp(status, "built")) continue;
        built_lines++;
        const int amd = !strcmp(kind, "amd");
        for (size_t c = 0; c < nc; c++) {
            int need = 0;
            for (const char *const *f = common; *f; f++) need |= !strcmp(*f, head.v[c]);
            for (const char *const *f = amd ? amd_only : nv_only; *f; f++) need |= !strcmp(*f, head.v[c]);
            if (!need) continue;
            char *end;
            double v = strtod(cols[c], &end);
            if (end == cols[c] || *end != '\0' || v < 0)
                fail("%s line %zu: %s = '%s' is not a number >= 0", path, i + 1, head.v[c], cols[c]);
        }
    }
    if (built_lines != 2 * built_cells)
        fail("%s: %d built lines, want %d (2 kernels x %d cells)", path, built_lines,
             2 * built_cells, built_cells);
    sv_free(&head);
    sv_free(&lines);
}

int main(int argc, char **argv)
{
    const char *json = NULL, *csv = NULL;
    int rows = -1, runs = 3, sep = -1;
    strvec targets = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) { sep = i; break; }
        if (i + 1 >= argc) break;
        if (!strcmp(argv[i], "--json")) json = argv[++i];
        else if (!strcmp(argv[i], "--csv")) csv = argv[++i];
        else if (!strcmp(argv[i], "--rows")) rows = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--runs")) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--targets")) sv_split(&targets, argv[++i], ',');
    }
    if (!json || !csv || rows < 1 || targets.n == 0 || sep < 0 || sep + 1 >= argc) {
        fputs("usage: check-cost-report --json F --csv F --rows N --targets T,.. [--runs R] "
              "-- SKINNY-COST ARGS...\n", stderr);
        return 2;
    }
    strvec cmd = {0};
    sv_push(&cmd, argv[sep + 1]);
    for (int i = sep + 2; i < argc; i++) sv_push(&cmd, argv[i]);
    spawn_result r;
    /* skinny-cost's progress and messages end up in the test log. */
    char *log = xasprintf("%s.log", json);
    int rc = spawn_run(cmd.v, NULL, log, &r);
    fputs(r.err, stderr);
    if (rc != 0 || r.exit_code != 0) {
        fprintf(stderr, "check-cost-report: FAIL: skinny-cost exited %d\n", r.exit_code);
        return 1;
    }
    spawn_result_free(&r);
    free(log);
    int built = check_json(json, rows, &targets, runs);
    if (built > 0) check_csv(csv, built);
    if (failures) {
        fprintf(stderr, "check-cost-report: %d failure%s\n", failures, failures == 1 ? "" : "s");
        return 1;
    }
    fprintf(stderr, "check-cost-report: %d rows, %d built cells, every figure present\n", rows, built);
    return 0;
}
