/* main.c - skinny-choose: the smallest tiles.def that keeps the speed
 * measured by `skinny-bench --tune --measure` (issue 11).
 *
 * Reads every input first and stops on any error (file:line: error: ...,
 * exit 1); then chooses, writes every output to a temporary file next to
 * its destination and renames them all at the end, so a failed run leaves
 * the old outputs in place. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "choose.h"

#ifndef SKINNY_CHOOSE_SRCDIR
#define SKINNY_CHOOSE_SRCDIR "tools/choose"
#endif

static void usage(FILE *f)
{
    fputs("usage: skinny-choose --measure FILE [--measure FILE ...] [--cost compile-cost.csv]\n"
          "                     [--tolerance 0.02] [--candidates tiles.def] [--max-nodes N]\n"
          "                     --out-table tiles.def --out-rules dispatch.def --report table-choice.md\n"
          "                     [--curve chart.png] [--curve-script curve.gp] [--keep-unmeasured]\n"
          "                     [--keep rows.def] [--invariant-splits] \n"
          "                     [--heuristic CUS [--heuristic-max 1.10] [--invariant-min 0.95]]\n"
          "Chooses the fewest rows of the measured candidates such that every cell where a candidate\n"
          "beat cuBLAS keeps a row within the tolerance of its best candidate (per (n, wave) slice;\n"
          "exact branch and bound, at most N nodes per slice, default 1000000; 0 = greedy only).\n"
          "--keep-unmeasured also keeps the candidate rows no measurement names (rows for a wave\n"
          "size or backend the measuring GPU could not run, e.g. AMD rows measured on NVIDIA).\n"
          "--keep FILE keeps every TILE(...)/MMA(...) row of FILE whatever the measurements say\n"
          "(rows for another GPU that this one measures too, e.g. wave-32 TILE rows for RDNA);\n"
          "its MMA_FP8(...) rows (fp8 weights) are copied to the end of the table as they are.\n"
          "MMA_FP8 lines of --candidates are skipped: --tune does not measure fp8 rows.\n"
          "--heuristic CUS also keeps the rows the dispatcher's heuristic (what GPUs without measured\n"
          "rules run) needs to stay within --heuristic-max of each cell's best candidate on a GPU of\n"
          "CUS CUs/SMs (the measured one: 132 for an H100/H200 SXM), and the batch-invariant mode\n"
          "at --invariant-min of the fastest kept row's speed in each won cell (0: no check).\n"
          "--invariant-splits keeps, in every N, an MMA row with each K split (waves per workgroup)\n"
          "kept at the largest N, which the batch-invariant mode (SKINNY_FLAG_BATCH_INVARIANT) needs.\n"
          "Exit: 0 written, 1 malformed input (nothing written), 2 usage or I/O error.\n", f);
}

static int row_order(const ch_row *a, const ch_row *b)
{
    const int ka[6] = {a->n, a->wave, a->mma, a->group, a->tiles, a->unroll};
    const int kb[6] = {b->n, b->wave, b->mma, b->group, b->tiles, b->unroll};
    for (int i = 0; i < 6; i++)
        if (ka[i] != kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

/* Rows named only in measurements come in measurement order; sort them
 * the way a table is read (n, wave, kind, ...) so the output does not
 * depend on line order. */
static void sort_rows(ch_input *in)
{
    int *perm = ch_xmalloc(in->nrows * sizeof *perm), *inv = ch_xmalloc(in->nrows * sizeof *inv);
    for (size_t i = 0; i < in->nrows; i++) perm[i] = (int)i;
    for (size_t i = 1; i < in->nrows; i++) /* insertion sort: a few hundred rows */
        for (size_t j = i; j > 0 && row_order(&in->rows[perm[j]], &in->rows[perm[j - 1]]) < 0; j--) {
            const int t = perm[j]; perm[j] = perm[j - 1]; perm[j - 1] = t;
        }
    ch_row *rows = ch_xmalloc(in->nrows * sizeof *rows);
    for (size_t i = 0; i < in->nrows; i++) rows[i] = in->rows[perm[i]], inv[perm[i]] = (int)i;
    free(in->rows);
    in->rows = rows;
    for (size_t c = 0; c < in->ncells; c++)
        for (size_t j = 0; j < in->cells[c].ncand; j++) in->cells[c].cand[j].row = inv[in->cells[c].cand[j].row];
    free(perm), free(inv);
}

typedef struct out_file { const char *dest; char *tmp; } out_file;

static char *tmp_name(const char *dest)
{
    const size_t l = strlen(dest) + 40;
    char *t = ch_xmalloc(l);
    snprintf(t, l, "%s.tmp-choose-%ld", dest, (long)getpid());
    return t;
}

static void remove_tmps(out_file *o, size_t n)
{
    for (size_t i = 0; i < n; i++) if (o[i].tmp) unlink(o[i].tmp);
}

int main(int argc, char **argv)
{
    const char *measure[64], *cost = NULL, *cand = NULL, *out_table = NULL, *out_rules = NULL,
               *report = NULL, *curve = NULL, *keep = NULL, *script = SKINNY_CHOOSE_SRCDIR "/curve.gp";
    size_t nmeasure = 0;
    double tol = 0.02;
    long max_nodes = 1000000;
    int keep_unmeasured = 0, invariant_splits = 0;
    long heur_cus = 0;
    double heur_max = 1.10, inv_min = 0.95;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        if (!strcmp(a, "--keep-unmeasured")) { keep_unmeasured = 1; continue; }
        if (!strcmp(a, "--invariant-splits")) { invariant_splits = 1; continue; }
        if (i + 1 >= argc) { fprintf(stderr, "skinny-choose: %s needs a value\n", a); usage(stderr); return 2; }
        const char *v = argv[++i];
        char *end;
        if (!strcmp(a, "--measure")) {
            if (nmeasure == 64) { fputs("skinny-choose: at most 64 --measure files\n", stderr); return 2; }
            measure[nmeasure++] = v;
        } else if (!strcmp(a, "--cost")) cost = v;
        else if (!strcmp(a, "--candidates")) cand = v;
        else if (!strcmp(a, "--keep")) keep = v;
        else if (!strcmp(a, "--out-table")) out_table = v;
        else if (!strcmp(a, "--out-rules")) out_rules = v;
        else if (!strcmp(a, "--report")) report = v;
        else if (!strcmp(a, "--curve")) curve = v;
        else if (!strcmp(a, "--curve-script")) script = v;
        else if (!strcmp(a, "--tolerance")) {
            tol = strtod(v, &end);
            if (end == v || *end || !(tol >= 0 && tol < 1)) {
                fprintf(stderr, "skinny-choose: --tolerance is a fraction in [0, 1), e.g. 0.02, got '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--heuristic")) {
            heur_cus = strtol(v, &end, 10);
            if (end == v || *end || heur_cus <= 0 || heur_cus > 100000) {
                fprintf(stderr, "skinny-choose: --heuristic takes the CU/SM count of the measured GPU, got '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--heuristic-max")) {
            heur_max = strtod(v, &end);
            if (end == v || *end || !(heur_max >= 1)) {
                fprintf(stderr, "skinny-choose: --heuristic-max is a ratio >= 1, e.g. 1.10, got '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--invariant-min")) {
            inv_min = strtod(v, &end);
            if (end == v || *end || !(inv_min >= 0 && inv_min <= 1)) {
                fprintf(stderr, "skinny-choose: --invariant-min is a speed ratio in [0, 1] (0: no check), got '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--max-nodes")) {
            max_nodes = strtol(v, &end, 10);
            if (end == v || *end || max_nodes < 0) {
                fprintf(stderr, "skinny-choose: --max-nodes must be a count >= 0, got '%s'\n", v);
                return 2;
            }
        } else {
            fprintf(stderr, "skinny-choose: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (keep_unmeasured && !cand) {
        fputs("skinny-choose: --keep-unmeasured needs --candidates (the rows no measurement names come from it)\n",
              stderr);
        return 2;
    }
    if (!nmeasure || !out_table || !out_rules || !report) {
        fputs("skinny-choose: --measure, --out-table, --out-rules and --report are required\n", stderr);
        usage(stderr);
        return 2;
    }

    ch_input in;
    memset(&in, 0, sizeof in);
    if (cand) ch_read_candidates(&in, cand);
    if (keep) ch_read_keep(&in, keep);
    for (size_t i = 0; i < nmeasure; i++) ch_read_measure(&in, measure[i], cand != NULL);
    if (!in.errors && cost) ch_read_cost(&in, cost);
    if (in.errors) {
        fprintf(stderr, "%d error%s; nothing written\n", in.errors, in.errors == 1 ? "" : "s");
        ch_input_free(&in);
        return 1;
    }
    if (!cand) sort_rows(&in);
    ch_cells_finish(&in);
    ch_rows_cost(&in);

    ch_cover_opts o = {.tol = tol, .max_nodes = max_nodes};
    ch_cover chosen;
    ch_cover_solve(&in, &o, &chosen);
    ch_sweep_pt sweep[11];
    for (int p = 0; p <= 10; p++) {
        ch_cover_opts so = {.tol = p / 100.0, .max_nodes = max_nodes};
        ch_cover sc;
        ch_cover_solve(&in, &so, &sc);
        sweep[p] = (ch_sweep_pt){.tol = so.tol, .rows = sc.nkept, .cost_s = sc.cost_s, .geomean = ch_geomean(&in, &sc)};
        ch_cover_free(&sc);
    }

    ch_run_info ri = {.measure = measure, .nmeasure = nmeasure, .cost = cost, .candidates = cand, .tol = tol};
    if (keep_unmeasured) ri.unmeasured_kept = ch_keep_unmeasured(&in, &chosen);
    ri.keep_file = keep;
    if (keep) ri.named_kept = ch_keep_named(&in, &chosen);
    if (heur_cus) {
        ri.heuristic = (ch_heuristic_opts){(int)heur_cus, heur_max, inv_min > 0 ? 1.0 / inv_min : 0};
        ri.heuristic_kept = ch_keep_heuristic(&in, &chosen, &ri.heuristic, &ri.heuristic_after);
        ch_cover_repick(&in, &chosen);
    }
    static char splits_missing[64][48];
    if (invariant_splits) {
        ri.invariant_splits = 1;
        ri.splits_missing = splits_missing;
        ri.splits_kept = ch_keep_splits(&in, &chosen, splits_missing, 64, &ri.nsplits_missing);
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH"); /* reproducible outputs */
    time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    strftime(ri.date, sizeof ri.date, "%Y-%m-%d %H:%M UTC", gmtime(&now));

    out_file outs[5] = {{out_table, tmp_name(out_table)}, {out_rules, tmp_name(out_rules)},
                        {report, tmp_name(report)}, {curve, curve ? tmp_name(curve) : NULL}, {NULL, NULL}};
    char note[256] = "";
    int fail = 0;
    if (curve) {
        char *dat = tmp_name(curve);
        const size_t dl = strlen(dat) + 5;
        outs[4].tmp = ch_xmalloc(dl);
        snprintf(outs[4].tmp, dl, "%s.dat", dat); /* scratch, removed below */
        free(dat);
        const int rc = ch_write_curve(sweep, 11, script, outs[3].tmp, outs[4].tmp, note, sizeof note);
        if (rc == 1) {
            fprintf(stderr, "skinny-choose: gnuplot not found; no chart written (%s)\n", curve);
            free(outs[3].tmp);
            outs[3].tmp = NULL;
        } else if (rc < 0) fail = 1;
        else snprintf(note, sizeof note, "![compile seconds vs speedup](%s)", curve);
    }
    if (!fail && (ch_write_table(&in, &chosen, &ri, outs[0].tmp) || ch_write_rules(&in, &chosen, &ri, outs[1].tmp) ||
                  ch_write_report(&in, &chosen, &ri, sweep, 11, note, outs[2].tmp))) {
        fprintf(stderr, "skinny-choose: cannot write the outputs\n");
        fail = 1;
    }
    for (int i = 0; !fail && i < 4; i++)
        if (outs[i].tmp && rename(outs[i].tmp, outs[i].dest) != 0) {
            fprintf(stderr, "skinny-choose: cannot rename %s to %s\n", outs[i].tmp, outs[i].dest);
            fail = 1;
        }
    remove_tmps(outs, 5);
    for (int i = 0; i < 5; i++) free(outs[i].tmp);
    size_t won = 0;
    for (size_t i = 0; i < in.ncells; i++) won += (size_t)in.cells[i].won;
    double all_s = 0;
    for (size_t r = 0; r < in.nrows; r++) all_s += in.rows[r].cost_s;
    if (!fail)
        printf("skinny-choose: %zu of %zu rows kept (%.1f of %.1f compile s); %zu of %zu cells won; "
               "geomean speedup %.4f\n", chosen.nkept, in.nrows, chosen.cost_s, all_s, won, in.ncells,
               ch_geomean(&in, &chosen));
    ch_cover_free(&chosen);
    ch_input_free(&in);
    return fail ? 2 : 0;
}
