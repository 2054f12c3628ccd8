/* littles.c - see littles.h. */
#include "littles.h"

/* The loop terms (littles.h); 0 when their inputs are missing. */
static int loop_terms(const model_gpu *g, const model_kernel *k, model_prediction *p)
{
    if (!(g->clock_ghz > 0) || !(g->issue_per_clk > 0) || k->iter_loads <= 0 ||
        k->iter_insns <= 0 || k->m <= 0 || k->k <= 0 || k->round_cols <= 0 || k->grid <= 0 ||
        k->active_waves <= 0 || k->weight_bytes <= 0)
        return 0;
    double waves_unit = p->waves_per_unit > 1 ? p->waves_per_unit : 1;
    double share = waves_unit / g->issue_per_clk;
    double issue_ns = (double)k->iter_insns / g->clock_ghz * (share > 1 ? share : 1);
    p->iter_ns = g->latency_ns + issue_ns;
    double iter_bytes = (double)k->iter_loads * k->load_bytes * k->wave;
    double col_bytes = (double)k->k * k->weight_bytes;
    /* Each wave of a round streams round_cols x K / active_waves bytes. */
    double its = (double)k->round_cols * col_bytes / k->active_waves / iter_bytes;
    long groups = (long)((k->m + k->round_cols - 1) / k->round_cols);
    p->rounds = (groups + k->grid - 1) / k->grid;
    int alone = p->groups_per_unit <= 1 || k->grid <= g->units;
    double total_ns = 0;
    p->latency_bound = 0;
    for (long r = 0; r < p->rounds; r++) {
        long busy = groups - r * k->grid < k->grid ? groups - r * k->grid : k->grid;
        double bytes_ns = busy * (double)k->round_cols * col_bytes / g->peak_gbs;
        double waves_ns = its * p->iter_ns;
        if (waves_ns > bytes_ns) p->latency_bound = 1;
        total_ns += waves_ns > bytes_ns ? waves_ns : bytes_ns;
        if (k->round_barrier && alone && r + 1 < p->rounds) total_ns += g->latency_ns;
    }
    /* The bytes of the last, partial workgroup count as whole columns. */
    double bytes = (double)k->m * col_bytes;
    p->gbs = bytes / total_ns;
    if (p->gbs > g->peak_gbs) p->gbs = g->peak_gbs;
    return 1;
}

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
    p->rounds = 0;
    p->iter_ns = 0;
    p->loop_terms = loop_terms(g, k, p);
    if (!p->loop_terms) {
        double gbs = bif / g->latency_ns; /* bytes per ns = GB/s */
        p->latency_bound = gbs < g->peak_gbs;
        p->gbs = p->latency_bound ? gbs : g->peak_gbs;
    }
    p->pct = 100.0 * p->gbs / g->peak_gbs;
}
