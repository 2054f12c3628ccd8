/* write_rules.c - dispatch.def rules for the chosen table, in the format
 * skinny-bench --tune --emit-rules writes (gen/rules.h reads it): each
 * won cell runs its fastest kept row, the others go to cuBLAS (none). */
#include <stdio.h>

#include "choose.h"

int ch_write_rules(const ch_input *in, const ch_cover *c, const ch_run_info *ri, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f, "// dispatch.def - measured dispatch rules for the table chosen by skinny-choose\n"
               "//   (tools/choose; do not edit by hand) %s, tolerance %.1f %%, from:",
            ri->date, ri->tol * 100);
    for (size_t i = 0; i < ri->nmeasure; i++) fprintf(f, " %s", ri->measure[i]);
    fputs("\n// MEASURED(device, n, wave, dtype, m, k, choice): on the device with this\n"
          "// key (skinny_device_key of its name), the fastest kept row for this cell,\n"
          "// or none where no candidate beat cuBLAS (the dispatcher then returns\n"
          "// SKINNY_ERR_NO_FAST_PATH). Calls on that device use its cell nearest in\n"
          "// log(M), log(K); other devices use the heuristic.\n", f);
    for (size_t i = 0; i < in->ncells; i++) {
        const ch_cell *cl = &in->cells[i];
        const int r = c->choice[i];
        fprintf(f, "MEASURED(%s, %d, %d, %s, %lld, %lld, %s)", cl->device, cl->n, cl->wave, ch_dtype(cl->bf16),
                cl->m, cl->k, r >= 0 ? in->rows[r].name : "none");
        double us = cl->best;
        for (size_t j = 0; r >= 0 && j < cl->ncand; j++)
            if (cl->cand[j].row == r) us = cl->cand[j].us;
        if (us > 0) fprintf(f, "  // best %.2f us, BLAS %.2f us\n", us, cl->cublas_us);
        else fprintf(f, "  // no correct candidate, BLAS %.2f us\n", cl->cublas_us);
    }
    return fclose(f) == 0 ? 0 : -1;
}
