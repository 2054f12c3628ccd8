/* skinnygen - read specs/tiles.def, validate it, emit kernels through m4.
 *
 *   spec -> spec_parse -> spec_validate -> plan_build -> render (m4) -> outdir
 *
 * --sweep FILE: sweep file -> candidate rows -> spec_validate -> a tiles.def
 * (sweep.c), for skinny-bench --tune --measure.
 *
 * Exit status: 0 done; 1 the table is invalid or (--check) the output
 * directory is out of date; 2 usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "outdir.h"
#include "plan.h"
#include "render.h"
#include "rules.h"
#include "spec.h"
#include "sweep.h"
#include "version.h"

static void usage(FILE *out)
{
    fputs("usage: skinnygen --spec FILE --templates DIR --out DIR [options]\n"
          "       skinnygen --spec FILE --list [--add ROW]...\n"
          "       skinnygen --spec FILE --templates DIR --runtime DIR --export DIR\n"
          "       skinnygen --sweep FILE [--out-table FILE]\n"
          "\n"
          "Reads a tiles.def table, validates it and writes one HIP translation\n"
          "unit per row, the dispatcher and manifest.json into DIR through the m4\n"
          "templates in --templates. Files are rewritten only when their content\n"
          "changes; generated files whose rows were removed are deleted.\n"
          "\n"
          "options:\n"
          "  --check         compare DIR with what would be generated; write nothing;\n"
          "                  exit 1 naming each stale, missing or extra file\n"
          "  --list          print one line per specialization, in dispatch order:\n"
          "                  name n wave waves_per_group ytile unroll\n"
          "  --add ROW       add a row, e.g. 'TILE(9, 32, 16, 2, 2)', as if it were in\n"
          "                  the table (what-if; may be repeated)\n"
          "  --layout L      per-row (default) or single-tu (all rows in one file;\n"
          "                  for compile-time comparisons only)\n"
          "  --export DIR    write a self-contained source bundle into DIR instead of\n"
          "                  --out: generated/ (as --out), include/skinny/skinny.h and\n"
          "                  src/ (copied from --runtime), CMakeLists.txt, meson.build\n"
          "                  and README.md; it builds without skinnygen, m4 or Meson\n"
          "  --runtime DIR   the runtime sources to bundle (the project's runtime/)\n"
          "  --rules FILE    measured dispatch rules (specs/dispatch.def: MEASURED rows,\n"
          "                  written by skinny-bench --tune --emit-rules)\n"
          "  --sweep FILE    expand a sweep file (SWEEP(kind=MMA, n=1..16, wave=32, ...) lines:\n"
          "                  each column a value, a list 4,8,16, a range 1..8 or a mix) into\n"
          "                  a candidate tiles.def, every row validated as the table's are;\n"
          "                  sorted, de-duplicated; printed, or written to --out-table\n"
          "  --out-table F   with --sweep: write the candidate table to F (nothing on error)\n"
          "  --verbose       name each file written or deleted on stderr\n"
          "  --help          this text\n"
          "  --version       print the version\n"
          "environment: SKINNYGEN_M4 names the m4 program (default: m4 on PATH)\n",
          out);
}

/* --sweep: sweep file -> validated candidate rows -> table (file or stdout). */
static int run_sweep(const char *sweep_path, const char *out_table)
{
    char *text = spec_read_file(sweep_path);
    if (!text) {
        fprintf(stderr, "skinnygen: cannot read %s (missing, unreadable or binary)\n", sweep_path);
        return 2;
    }
    spec s;
    spec_init(&s, sweep_path);
    sweep_expand(&s, text);
    free(text);
    int rc = 0;
    if (s.ndiags) {
        spec_print_diags(&s, stderr);
        fprintf(stderr, "%zu error%s in %s; nothing written\n", s.ndiags, s.ndiags == 1 ? "" : "s",
                sweep_path);
        rc = 1;
    } else if (out_table) {
        if (sweep_write_table_file(out_table, &s, sweep_path) != 0) rc = 2;
    } else if (sweep_write_table(stdout, &s, sweep_path) != 0 || fflush(stdout) != 0) {
        fputs("skinnygen: cannot write the table to stdout\n", stderr);
        rc = 2;
    }
    spec_free(&s);
    return rc;
}

int main(int argc, char **argv)
{
    const char *spec_path = NULL, *templates = NULL, *out = NULL, *export_dir = NULL,
               *runtime_dir = NULL;
    const char *rules_path = NULL, *sweep_path = NULL, *out_table = NULL;
    int check = 0, list = 0, verbose = 0;
    enum plan_layout layout = PLAN_LAYOUT_PER_ROW;
    const char **adds = calloc((size_t)argc + 1, sizeof *adds);
    int nadds = 0;
    if (!adds) return 2;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); free(adds); return 0; }
        else if (!strcmp(a, "--version")) { printf("skinnygen %s\n", SKINNYGEN_VERSION); free(adds); return 0; }
        else if (!strcmp(a, "--check")) check = 1;
        else if (!strcmp(a, "--list")) list = 1;
        else if (!strcmp(a, "--verbose")) verbose = 1;
        else if (!strcmp(a, "--spec") && has_val) spec_path = argv[++i];
        else if (!strcmp(a, "--templates") && has_val) templates = argv[++i];
        else if (!strcmp(a, "--out") && has_val) out = argv[++i];
        else if (!strcmp(a, "--export") && has_val) export_dir = argv[++i];
        else if (!strcmp(a, "--runtime") && has_val) runtime_dir = argv[++i];
        else if (!strcmp(a, "--rules") && has_val) rules_path = argv[++i];
        else if (!strcmp(a, "--add") && has_val) adds[nadds++] = argv[++i];
        else if (!strcmp(a, "--sweep") && has_val) sweep_path = argv[++i];
        else if (!strcmp(a, "--out-table") && has_val) out_table = argv[++i];
        else if (!strcmp(a, "--layout") && has_val) {
            const char *l = argv[++i];
            if (!strcmp(l, "per-row")) layout = PLAN_LAYOUT_PER_ROW;
            else if (!strcmp(l, "single-tu")) layout = PLAN_LAYOUT_SINGLE_TU;
            else { fprintf(stderr, "skinnygen: unknown layout '%s'\n", l); free(adds); return 2; }
        } else {
            fprintf(stderr, "skinnygen: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            free(adds);
            return 2;
        }
    }
    if (out_table && !sweep_path) {
        fputs("skinnygen: --out-table needs --sweep\n", stderr);
        usage(stderr);
        free(adds);
        return 2;
    }
    if (sweep_path) {
        free(adds);
        if (spec_path || templates || out || export_dir || runtime_dir || rules_path || check ||
            list || nadds) {
            fputs("skinnygen: --sweep takes only --out-table (not --spec, --templates, --out,"
                  " --export, --runtime, --rules, --check, --list or --add)\n", stderr);
            usage(stderr);
            return 2;
        }
        return run_sweep(sweep_path, out_table);
    }
    if (export_dir && (!runtime_dir || !templates || out || check || list)) {
        fputs("skinnygen: --export needs --templates and --runtime, and excludes --out, --check"
              " and --list\n", stderr);
        usage(stderr);
        free(adds);
        return 2;
    }
    if (!spec_path || (!list && !export_dir && (!templates || !out))) {
        fputs("skinnygen: --spec is required, and --templates and --out unless --list\n", stderr);
        usage(stderr);
        free(adds);
        return 2;
    }

    char *text = spec_read_file(spec_path);
    if (!text) {
        free(adds);
        fprintf(stderr, "skinnygen: cannot read %s (missing, unreadable or binary)\n", spec_path);
        return 2;
    }
    spec s;
    spec_init(&s, spec_path);
    spec_parse(&s, text, 1);
    free(text);
    /* What-if rows: parsed with the table's own rules, located as --add:N. */
    for (int i = 0; i < nadds; i++) {
        spec extra;
        spec_init(&extra, "--add");
        spec_parse(&extra, adds[i], i + 1);
        if (extra.nrows == 0 && extra.ndiags == 0)
            spec_error(&extra, i + 1, 1, "empty row");
        for (size_t j = 0; j < extra.ndiags; j++)
            fprintf(stderr, "--add:%d:%d: error: %s\n", extra.diags[j].line, extra.diags[j].col,
                    extra.diags[j].msg);
        if (extra.ndiags) { spec_free(&extra); spec_free(&s); free(adds); return 1; }
        for (size_t j = 0; j < extra.nrows; j++) {
            extra.rows[j].line = -(i + 1); /* negative: from --add */
            spec_row *nr = realloc(s.rows, (s.nrows + 1) * sizeof *nr);
            if (!nr) return 2;
            s.rows = nr;
            s.rows[s.nrows++] = extra.rows[j];
        }
        spec_free(&extra);
    }
    spec_validate(&s);
    if (s.ndiags) {
        spec_print_diags(&s, stderr);
        fprintf(stderr, "%zu error%s in %s; nothing written\n", s.ndiags, s.ndiags == 1 ? "" : "s",
                spec_path);
        spec_free(&s);
        free(adds);
        return 1;
    }

    plan p;
    plan_build(&s, &p, layout);
    if (rules_path) {
        /* Measured dispatch rules, checked against the validated table. */
        char *rtext = spec_read_file(rules_path);
        if (!rtext) {
            fprintf(stderr, "skinnygen: cannot read %s (missing, unreadable or binary)\n", rules_path);
            plan_free(&p);
            spec_free(&s);
            free(adds);
            return 2;
        }
        spec rdiag;
        spec_init(&rdiag, rules_path);
        rules rl;
        rules_parse(&rl, rtext, &s, &rdiag);
        free(rtext);
        if (rdiag.ndiags) {
            spec_print_diags(&rdiag, stderr);
            fprintf(stderr, "%zu error%s in %s; nothing written\n", rdiag.ndiags,
                    rdiag.ndiags == 1 ? "" : "s", rules_path);
            spec_free(&rdiag);
            rules_free(&rl);
            plan_free(&p);
            spec_free(&s);
            free(adds);
            return 1;
        }
        plan_set_rules(&p, &s, &rl);
        spec_free(&rdiag);
        rules_free(&rl);
    }
    if (list) {
        for (size_t i = 0; i < s.nrows; i++) {
            const spec_row *r = &s.rows[i];
            printf("%s %d %d %d %d %d\n", r->name, r->v[SPEC_FIELD_n], r->v[SPEC_FIELD_wave],
                   r->v[SPEC_FIELD_waves_per_group], r->v[SPEC_FIELD_ytile],
                   r->v[SPEC_FIELD_unroll]);
        }
        plan_free(&p);
        spec_free(&s);
        free(adds);
        return 0;
    }

    const char *m4 = getenv("SKINNYGEN_M4");
    if (!m4 || !*m4) m4 = "m4";
    if (export_dir) {
        int erc = export_bundle(export_dir, runtime_dir, m4, templates, &p, verbose);
        plan_free(&p);
        spec_free(&s);
        free(adds);
        return erc;
    }
    render_out *r = calloc(p.nfiles + 1, sizeof *r);
    int rc = r ? 0 : 2;
    for (size_t i = 0; rc == 0 && i < p.nfiles; i++)
        if (render_file(m4, templates, &p.files[i], &r[i]) != 0) rc = 2;
    if (rc == 0) {
        int differ = outdir_sync(out, &p, r, check, verbose);
        if (differ < 0) rc = 2;
        else if (check && differ > 0) {
            fprintf(stderr, "skinnygen: %d file%s in %s out of date with %s; run the generator\n",
                    differ, differ == 1 ? "" : "s", out, spec_path);
            rc = 1;
        }
    }
    for (size_t i = 0; r && i < p.nfiles; i++) free(r[i].data);
    free(r);
    free(adds);
    plan_free(&p);
    spec_free(&s);
    return rc;
}
