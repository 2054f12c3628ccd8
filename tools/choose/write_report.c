/* write_report.c - docs/table-choice.md: what the chosen table gives up
 * (speed) for what it saves (rows, compile seconds, object bytes). */
#include <stdio.h>
#include <string.h>

#include "choose.h"

typedef struct tsum { size_t rows; double secs; long long bytes; } tsum;

static tsum target_sum(const ch_input *in, const char *keep, size_t t)
{
    tsum s = {0, 0, 0};
    for (size_t r = 0; r < in->nrows; r++)
        if ((!keep || keep[r]) && in->rows[r].built[t])
            s.rows++, s.secs += in->rows[r].secs[t], s.bytes += in->rows[r].bytes[t];
    return s;
}

int ch_write_report(const ch_input *in, const ch_cover *c, const ch_run_info *ri,
                    const ch_sweep_pt *sweep, size_t nsweep, const char *chart_note, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    ch_cover all;
    ch_cover_all(in, &all);
    size_t won = 0, exact = 0;
    for (size_t i = 0; i < in->ncells; i++) won += (size_t)in->cells[i].won;
    for (size_t i = 0; i < c->nslices; i++) exact += (size_t)c->slices[i].exact;

    fprintf(f, "# Table choice\n\nWritten by `skinny-choose` (tools/choose) %s.\n\n", ri->date);
    fputs("- measurements:", f);
    for (size_t i = 0; i < ri->nmeasure; i++) fprintf(f, " `%s`", ri->measure[i]);
    fprintf(f, "\n- candidates: %s\n", ri->candidates ? ri->candidates : "the rows named in the measurements");
    fprintf(f, "- compile cost: %s\n", ri->cost ? ri->cost : "no cost file: every row counted as 1 s");
    fprintf(f, "- tolerance: %.1f %% (a kept row must be within it of each won cell's best candidate)\n",
            ri->tol * 100);
    if (ri->invariant_splits) {
        fprintf(f, "- kept for the batch-invariant mode (--invariant-splits): %zu rows, so that every N has "
                   "an MMA row with each K split kept at the largest N\n", ri->splits_kept);
        for (size_t i = 0; i < ri->nsplits_missing; i++)
            fprintf(f, "  - no candidate offers %s: the invariant mode refuses that N where it needs the split\n",
                    ri->splits_missing[i]);
    }
    if (ri->heuristic.cus) {
        fprintf(f, "- kept for the rule-free picks (--heuristic %d): %zu rows; afterwards the heuristic's pick (GPUs "
                   "without measured rules) is at most %.3fx the best candidate (bound %.2f)",
                ri->heuristic.cus, ri->heuristic_kept, ri->heuristic_after.worst_heuristic, ri->heuristic.heuristic_max);
        if (ri->heuristic.invariant_max > 0)
            fprintf(f, ", and the batch-invariant mode's pick at least %.3fx the speed of the fastest kept row "
                       "(bound %.2f)", 1.0 / ri->heuristic_after.worst_invariant, 1.0 / ri->heuristic.invariant_max);
        fprintf(f, "; %zu bounds still broken (no single row helped)%s\n", ri->heuristic_after.left,
                ri->heuristic_after.nbroken ? ":" : "");
        for (size_t i = 0; i < ri->heuristic_after.nbroken; i++) {
            const ch_cell *cl = &in->cells[ri->heuristic_after.broken[i].cell];
            const double q = ri->heuristic_after.broken[i].ratio;
            if (ri->heuristic_after.broken[i].invariant)
                fprintf(f, "  - %s %s n=%d %lldx%lld: batch-invariant mode at %.3fx the fastest kept row's speed\n",
                        cl->device, ch_dtype(cl->bf16), cl->n, cl->m, cl->k, 1.0 / q);
            else
                fprintf(f, "  - %s %s n=%d %lldx%lld: heuristic's pick %.3fx the best candidate's time\n", cl->device,
                        ch_dtype(cl->bf16), cl->n, cl->m, cl->k, q);
        }
        if (ri->heuristic_after.left > ri->heuristic_after.nbroken)
            fprintf(f, "  - ... (%zu more)\n", ri->heuristic_after.left - ri->heuristic_after.nbroken);
    }
    if (ri->named_kept)
        fprintf(f, "- kept by --keep `%s`, whatever was measured: %zu rows the cover had left out\n", ri->keep_file,
                ri->named_kept);
    if (in->nfp8_kept)
        fprintf(f, "- copied through from --keep `%s`, not chosen: %zu MMA_FP8 rows (fp8 weights; skinny-choose does "
                   "not measure them)\n", ri->keep_file, in->nfp8_kept);
    if (in->fp8_skipped)
        fprintf(f, "- skipped: %zu MMA_FP8 candidate lines (fp8 weights are not measured by `--tune`; pass them "
                   "with --keep to keep them)\n", in->fp8_skipped);
    if (ri->unmeasured_kept)
        fprintf(f, "- kept without measurement (--keep-unmeasured): %zu candidate rows no measurement names\n",
                ri->unmeasured_kept);
    fprintf(f, "- cells: %zu, of which %zu won (best correct candidate faster than cuBLAS); the other %zu "
               "get `none` (cuBLAS)\n\n", in->ncells, won, in->ncells - won);

    /* Rows no cell measured (say wave-64 rows when only an NVIDIA GPU ran)
     * are not kept unless --keep-unmeasured: dropping them drops that
     * hardware's fast path, so the report names them rather than dropping
     * them silently. */
    size_t unmeasured = 0;
    for (size_t r = 0; r < in->nrows; r++)
        if (!in->rows[r].measured && !c->keep[r])
            fprintf(f, "%s`%s`", unmeasured++ ? ", " : "**Never measured, so not kept** (measure them on their "
                    "GPU, or pass --keep-unmeasured): ", in->rows[r].name);
    if (unmeasured) fprintf(f, " (%zu rows).\n\n", unmeasured);

    size_t worst_cell;
    const double worst = ch_worst(in, c, &worst_cell);
    fputs("| | candidates | chosen |\n|---|---:|---:|\n", f);
    fprintf(f, "| rows | %zu | **%zu** |\n", in->nrows, c->nkept);
    fprintf(f, "| compile seconds, all targets%s | %.1f | **%.1f** |\n", in->have_cost ? "" : " (1 s per row)",
            all.cost_s, c->cost_s);
    fprintf(f, "| geometric mean speedup over cuBLAS, all cells (cuBLAS = 1.00 where no row wins) | %.4f | **%.4f** |\n",
            ch_geomean(in, &all), ch_geomean(in, c));
    if (worst_cell != (size_t)-1) {
        const ch_cell *w = &in->cells[worst_cell];
        fprintf(f, "| worst cell: kept best / candidate best | 1.0000 | **%.4f** (%s %s N=%d %lldx%lld) |\n",
                worst, w->device, ch_dtype(w->bf16), w->n, w->m, w->k);
    }
    fputs("\n", f);

    if (in->have_cost) {
        fputs("## Compile cost per target\n\n(from the cost file: per row and target the median compile seconds "
              "and the code-object bytes)\n\n| target | rows before | s before | bytes before | rows after | "
              "s after | bytes after |\n|---|---:|---:|---:|---:|---:|---:|\n", f);
        for (size_t t = 0; t < in->ntargets; t++) {
            const tsum b = target_sum(in, NULL, t), a = target_sum(in, c->keep, t);
            fprintf(f, "| %s | %zu | %.1f | %lld | %zu | %.1f | %lld |\n", in->targets[t], b.rows, b.secs, b.bytes,
                    a.rows, a.secs, a.bytes);
        }
        size_t missing = 0;
        for (size_t r = 0; r < in->nrows; r++)
            if (!in->rows[r].in_cost) {
                fprintf(f, "%s`%s`%s", missing ? ", " : "\nNot in the cost file (counted as 1 s per target, "
                        "no bytes): ", in->rows[r].name, c->keep[r] ? " (kept)" : "");
                missing++;
            }
        fputs(missing ? ".\n\n" : "\nEvery candidate row is in the cost file.\n\n", f);
    }

    fprintf(f, "## Cover per (n, wave) slice\n\nThe dispatcher chooses among the rows of a call's (n, wave), so "
               "each slice is covered on its own. Exact branch and bound (seeded with the greedy cover, at most "
               "the --max-nodes budget of nodes per slice) proved %zu of %zu slices minimal.\n\n"
               "| n | wave | won cells | rows within tolerance somewhere | kept | method |\n"
               "|---:|---:|---:|---:|---:|---|\n", exact, c->nslices);
    for (size_t i = 0; i < c->nslices; i++) {
        const ch_slice_note *s = &c->slices[i];
        size_t kept = 0;
        for (size_t r = 0; r < in->nrows; r++)
            kept += c->keep[r] && in->rows[r].n == s->n && in->rows[r].wave == s->wave;
        if (s->exact)
            fprintf(f, "| %d | %d | %zu | %zu | %zu | exact (%ld nodes) |\n", s->n, s->wave, s->cells,
                    s->rows_in_tol, kept, s->nodes);
        else
            fprintf(f, "| %d | %d | %zu | %zu | %zu | %s |\n", s->n, s->wave, s->cells, s->rows_in_tol, kept,
                    s->reason);
    }

    fputs("\n## Tolerance sweep\n\n| tolerance | rows | compile s | geomean speedup over cuBLAS |\n"
          "|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < nsweep; i++)
        fprintf(f, "| %.0f %% | %zu | %.1f | %.4f |\n", sweep[i].tol * 100, sweep[i].rows, sweep[i].cost_s,
                sweep[i].geomean);
    fprintf(f, "| all candidates | %zu | %.1f | %.4f |\n", in->nrows, all.cost_s, ch_geomean(in, &all));
    if (chart_note && *chart_note) fprintf(f, "\n%s\n", chart_note);
    ch_cover_free(&all);
    return fclose(f) == 0 ? 0 : -1;
}
