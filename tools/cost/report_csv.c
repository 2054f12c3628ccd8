/* report_csv.c - one line per row x target x kernel (f16, bf16); a row not
 * built for a target gets one line with status not_built and no figures.
 * Figures that do not apply to the target's kind are empty (e.g. sgpr on
 * NVIDIA). `registers` is VGPRs on AMD, registers per thread on NVIDIA;
 * `occupancy` is waves per SIMD (AMD) or warps per SM (NVIDIA). */
#include <stdio.h>

#include "report.h"

static void num(FILE *f, long v)
{
    if (v >= 0) fprintf(f, ",%ld", v);
    else fputs(",", f);
}

int report_write_csv(const cost_report *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs("row,n,wave,waves_per_group,ytile,unroll,added,target,kind,status,"
          "compile_s_median,compile_s_runs,code_object_bytes,text_bytes,kernel,registers,sgpr,"
          "agpr,scratch_bytes,vgpr_spills,sgpr_spills,spill_store_bytes,spill_load_bytes,"
          "static_lds_bytes,max_workgroup,occupancy,occupancy_unit,mlp,model_gpus,"
          "model_kib_in_flight_per_unit,model_pct_of_peak\n", f);
    for (size_t i = 0; i < r->nrows; i++) {
        const cost_row *row = &r->rows[i];
        for (size_t t = 0; t < r->ntargets; t++) {
            const cost_target *tg = &r->targets[t];
            const cost_cell *c = report_cell(r, i, t);
            const char *kind = tg->kind == KIND_AMD ? "amd" : "nvidia";
            if (!c->built) {
                fprintf(f, "%s,%d,%d,%d,%d,%d,%d,%s,%s,not_built,,,,,,,,,,,,,,,,,,,,,\n", row->name,
                        row->n, row->wave, row->group, row->ytile, row->unroll, row->added,
                        tg->name, kind);
                continue;
            }
            for (int k = 0; k < c->nkernels; k++) {
                const cost_kernel *kk = &c->k[k];
                fprintf(f, "%s,%d,%d,%d,%d,%d,%d,%s,%s,built,%.3f,", row->name, row->n, row->wave,
                        row->group, row->ytile, row->unroll, row->added, tg->name, kind,
                        c->median);
                for (int j = 0; j < c->nruns; j++) fprintf(f, "%s%.3f", j ? ";" : "", c->runs[j]);
                num(f, c->code_object_bytes);
                num(f, c->text_bytes);
                fprintf(f, ",%s", kk->dtype);
                num(f, kk->registers);
                num(f, kk->sgpr);
                num(f, kk->agpr);
                num(f, kk->scratch_bytes);
                num(f, kk->vgpr_spills);
                num(f, kk->sgpr_spills);
                num(f, kk->spill_store_bytes);
                num(f, kk->spill_load_bytes);
                num(f, kk->static_lds_bytes);
                num(f, kk->max_workgroup);
                num(f, kk->occupancy);
                fprintf(f, ",%s", tg->kind == KIND_AMD ? "waves_per_simd" : "warps_per_sm");
                num(f, kk->mlp);
                /* One entry per GPU of tools/model/gpus.def that runs this
                 * target's code, ';'-separated and aligned across the three. */
                fputc(',', f);
                for (int p = 0; p < kk->npred; p++) fprintf(f, "%s%s", p ? ";" : "", kk->pred[p].gpu);
                fputc(',', f);
                for (int p = 0; p < kk->npred; p++)
                    fprintf(f, "%s%.1f", p ? ";" : "", kk->pred[p].kib_in_flight);
                fputc(',', f);
                for (int p = 0; p < kk->npred; p++)
                    fprintf(f, "%s%.1f", p ? ";" : "", kk->pred[p].pct_of_peak);
                fputc('\n', f);
            }
        }
    }
    return fclose(f) == 0 ? 0 : -1;
}
