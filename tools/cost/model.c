/* model.c - the bandwidth model's columns of the report: for each GPU of
 * tools/model/gpus.def whose code object is this target's, the kernel's
 * predicted share of peak bandwidth at M = K = COST_MODEL_MK and its bytes
 * in flight per CU / SM (tools/model/littles.c), with the launch the
 * build's planner gives the row. Rows the build's table does not have
 * (what-if rows) get no prediction: the planner cannot place them. */
#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "gpus.h"
#include "launch.h"
#include "littles.h"

static model_gpu gpus[MODEL_MAX_GPUS];
static int ngpus = -1;

void cell_predict(const cost_target *t, const cost_row *row, cost_cell *c)
{
    if (ngpus < 0) {
        ngpus = gpus_load(SKINNY_COST_SRCDIR "/../model/gpus.def", gpus, MODEL_MAX_GPUS);
        if (ngpus < 0) die("cannot read the bandwidth model's GPU file");
    }
    for (int k = 0; k < c->nkernels; k++) {
        cost_kernel *kk = &c->k[k];
        kk->npred = 0;
        if (kk->mlp < 0) continue;
        for (int g = 0; g < ngpus && kk->npred < COST_MAX_PRED; g++) {
            if (gpus[g].code != t->arch) continue;
            model_kernel mk = {.wave = t->wave, .vgprs = kk->registers,
                               .sgprs = kk->sgpr > 0 ? kk->sgpr : 0, .mlp = (int)kk->mlp,
                               .load_bytes = 16};
            char err[256];
            if (launch_plan(&gpus[g], row->name, row->n, COST_MODEL_MK, COST_MODEL_MK, &mk, err,
                            sizeof err) != 0)
                continue;
            model_prediction p;
            model_predict(&gpus[g], &mk, &p);
            /* both 32 bytes: gpus.c refuses longer names */
            memcpy(kk->pred[kk->npred].gpu, gpus[g].name, sizeof kk->pred[0].gpu);
            kk->pred[kk->npred].kib_in_flight = p.bif_per_unit / 1024.0;
            kk->pred[kk->npred].pct_of_peak = p.pct;
            kk->npred++;
        }
    }
}
