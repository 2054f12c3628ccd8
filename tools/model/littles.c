/* littles.c - see littles.h. */
#include "littles.h"

void model_predict(const model_gpu *g, const model_kernel *k, model_prediction *p)
{
    const co_arch *a = g->arch;
    if (a->vendor == CO_AMD)
        /* gfx9: a workgroup lives on one CU (4 SIMDs); gfx10+: on one WGP
         * (4 SIMD32s) in the default WGP mode. */
        p->groups_per_unit = co_amd_groups_per_cu(a, k->wave, 4, k->vgprs, k->sgprs, k->lds_bytes,
                                                  k->waves_per_group);
    else
        p->groups_per_unit = co_nv_blocks_per_sm(a, k->vgprs, k->waves_per_group * k->wave,
                                                 k->lds_bytes);
    long cap = (long)p->groups_per_unit * g->units;
    p->resident_groups = k->grid < cap ? k->grid : cap;
    double waves = (double)p->resident_groups * k->active_waves;
    p->waves_per_unit = waves / g->units;
    p->bytes_per_wave = (double)k->mlp * k->load_bytes * k->wave;
    double bif = waves * p->bytes_per_wave;
    p->bif_per_unit = bif / g->units;
    double gbs = bif / g->latency_ns; /* bytes per ns = GB/s */
    p->latency_bound = gbs < g->peak_gbs;
    p->gbs = p->latency_bound ? gbs : g->peak_gbs;
    p->pct = 100.0 * p->gbs / g->peak_gbs;
}
