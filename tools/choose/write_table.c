/* write_table.c - the chosen rows as a tiles.def skinnygen reads. Each
 * row carries a comment saying why it is there (the cells it serves) and
 * what it costs, so whoever edits the table later can weigh it. */
#include <stdio.h>
#include <string.h>

#include "choose.h"

/* "1.25 s (sm_90), 31.2 KB" or a note that the cost file lacks the row. */
static void cost_text(const ch_input *in, const ch_row *r, char *buf, size_t len)
{
    if (!in->have_cost) { snprintf(buf, len, "compile cost unknown (no --cost file; counted as 1 s)"); return; }
    if (!r->in_cost) { snprintf(buf, len, "not in the cost file (counted as 1 s per target)"); return; }
    char targets[256] = "";
    for (size_t t = 0; t < in->ntargets; t++)
        if (r->built[t]) {
            if (*targets) strncat(targets, "+", sizeof targets - strlen(targets) - 1);
            strncat(targets, in->targets[t], sizeof targets - strlen(targets) - 1);
        }
    if (!*targets) { snprintf(buf, len, "built for none of the cost file's targets"); return; }
    snprintf(buf, len, "compile %.2f s (%s), %.1f KB", r->cost_s, targets, (double)r->cost_bytes / 1000.0);
}

int ch_write_table(const ch_input *in, const ch_cover *c, const ch_run_info *ri, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    size_t won = 0;
    for (size_t i = 0; i < in->ncells; i++) won += (size_t)in->cells[i].won;
    fprintf(f, "// tiles.def - one row per skinny-GEMM kernel specialization, chosen by skinny-choose\n"
               "// (tools/choose) from measurement, %s. Rows may be edited by hand (the README's\n"
               "// \"The table\" says what each column means); re-running skinny-choose rewrites the file.\n"
               "//   TILE(n, wave, waves_per_group, ytile, unroll)\n"
               "//   MMA(n, wave, waves_per_group, mtiles, unroll)\n", ri->date);
    if (in->nfp8_kept) fputs("//   MMA_FP8(n, wave, waves_per_group, mtiles, unroll): fp8 weights, from --keep only\n", f);
    fputs("// measured:", f);
    for (size_t i = 0; i < ri->nmeasure; i++) fprintf(f, " %s", ri->measure[i]);
    fprintf(f, "\n// candidates: %s\n", ri->candidates ? ri->candidates : "the rows named in the measurements");
    fprintf(f, "// compile cost: %s\n", ri->cost ? ri->cost : "none given (1 s per row)");
    fprintf(f, "// tolerance %.1f %%: every cell where a candidate beat cuBLAS (%zu of %zu) keeps a row\n"
               "// within it of that cell's best candidate. %zu of %zu candidate rows kept.\n",
            ri->tol * 100, won, in->ncells, c->nkept, in->nrows);
    for (size_t r = 0; r < in->nrows; r++) {
        if (!c->keep[r]) continue;
        const ch_row *row = &in->rows[r];
        size_t serves = 0;
        for (size_t i = 0; i < in->ncells; i++) serves += c->choice[i] == (int)r;
        if (c->keep[r] == CH_KEPT_UNMEASURED) {
            fputs("\n// not measured (kept by --keep-unmeasured)", f);
        } else if (c->keep[r] == CH_KEPT_HEURISTIC) {
            const size_t h = ch_heuristic_cells(in, c, ri->heuristic.cus, r);
            fprintf(f, "\n// kept for the rule-free picks (--heuristic): the heuristic's in %zu cell%s, or the "
                       "batch-invariant mode's", h, h == 1 ? "" : "s");
        } else if (c->keep[r] == CH_KEPT_NAMED) {
            fprintf(f, "\n// kept by --keep %s, not by measurement", ri->keep_file);
        } else if (c->keep[r] == CH_KEPT_SPLIT) {
            fputs("\n// serves no cell: the K split of the largest N, for the batch-invariant mode "
                  "(--invariant-splits)", f);
        } else {
            fprintf(f, "\n// serves %zu cell%s", serves, serves == 1 ? "" : "s");
            size_t shown = 0;
            for (size_t i = 0; i < in->ncells && shown < 3; i++)
                if (c->choice[i] == (int)r) {
                    const ch_cell *cl = &in->cells[i];
                    fprintf(f, "%s%s %s %lldx%lld", shown++ ? ", " : ": ", cl->device, ch_dtype(cl->bf16), cl->m,
                            cl->k);
                }
            if (serves > shown) fprintf(f, ", ... (+%zu)", serves - shown);
        }
        char cost[320];
        cost_text(in, row, cost, sizeof cost);
        fprintf(f, "\n// %s\n%s(%d, %d, %d, %d, %d)\n", cost, row->mma ? "MMA" : "TILE", row->n, row->wave,
                row->group, row->tiles, row->unroll);
    }
    /* fp8-weight rows are not measured by skinny-bench --tune, so not
     * chosen: those of the --keep file are copied through, one block. */
    if (in->nfp8_kept) {
        fprintf(f, "\n// kept by --keep %s, not by measurement: MMA_FP8 rows (fp8 weights), which\n"
                   "// skinny-choose does not measure or choose; copied through as written\n", ri->keep_file);
        for (size_t i = 0; i < in->nfp8_kept; i++) fprintf(f, "%s\n", in->fp8_kept[i]);
    }
    return fclose(f) == 0 ? 0 : -1;
}
