/* littles.h - the bandwidth model: Little's law over the loads in flight.
 *
 *   bytes in flight = resident waves x wide loads in flight per wave (MLP)
 *                     x 16 B x lanes
 *   achievable BW   = min(peak, bytes in flight / DRAM latency)
 *
 * Resident waves: the planner's workgroups (grid) and active waves per
 * workgroup, capped by how many workgroups the occupancy rules let each
 * CU / SM hold at once (registers, LDS / shared memory).
 *
 * Loop terms (issue 13's calibration), where the GPU gives its clock and
 * issue rate and the kernel its main loop (iter_loads > 0):
 *
 *   iteration time  = latency + issue time of the iteration
 *   issue time      = loop instructions / clock x max(1, resident waves
 *                     per unit / issue per clock)
 *   round time      = max(round's weight bytes / peak,
 *                         iterations per wave in the round x iteration time)
 *                     (+ one latency between rounds where a workgroup's
 *                     rounds end in a barrier and it is alone on its unit)
 *   achievable BW   = weight bytes / sum of the round times
 *
 * Why: the compiled loops wait for all of an iteration's loads before its
 * arithmetic (loop_min_in_flight 0 in tools/codeobj), so a wave's loads
 * are in flight only for the latency part of each iteration; the waves of
 * a workgroup start together and stay in step, so on a unit they issue
 * their arithmetic one after another; a round (a workgroup's columns or
 * tile) has few iterations per wave, so the last round's idle waves and,
 * for the MMA kernel, the refill after each tile's reduction barrier show. */
#ifndef MODEL_LITTLES_H
#define MODEL_LITTLES_H

#include <stdint.h>

#include "gpus.h"

typedef struct {
    int wave;               /* lanes per wave */
    long vgprs, sgprs;      /* AMD .vgpr_count / .sgpr_count; NVIDIA: regs in vgprs */
    int mlp;                /* wide loads in flight per wave (per lane) */
    int load_bytes;         /* bytes per lane per wide load (16) */
    long grid;              /* workgroups launched */
    long waves_per_group, active_waves;
    long lds_bytes;         /* LDS / shared memory per workgroup */
    /* The main loop (tools/codeobj): one iteration's instructions and
     * weight-stream loads per wave, and whether its arithmetic overlaps
     * its loads (0: it waits for all of them first). iter_loads 0: unknown,
     * the issue terms are left out. */
    long iter_insns;
    int iter_loads, overlapped;
    /* The shape and the work split (launch_plan fills them): columns one
     * workgroup owns per round, bytes per weight, and whether a round ends
     * in a workgroup barrier (the MMA kernels' reduction through LDS). */
    int64_t m, k;
    long round_cols;
    int weight_bytes, round_barrier;
} model_kernel;

typedef struct {
    int groups_per_unit;    /* resident workgroups one CU / WGP / SM holds */
    long resident_groups;   /* at once, on the whole GPU */
    double waves_per_unit;  /* resident waves per CU / SM, averaged over all units */
    double bytes_per_wave;
    double bif_per_unit;    /* bytes in flight per CU / SM, averaged */
    double gbs;             /* achievable bandwidth, GB/s */
    double pct;             /* of peak */
    int latency_bound;      /* 1: Little's law (or the loop terms) limit, 0: the peak does */
    int loop_terms;         /* the loop terms were applied */
    long rounds;            /* rounds per workgroup (loop terms) */
    double iter_ns;         /* one iteration of a wave (loop terms) */
} model_prediction;

void model_predict(const model_gpu *g, const model_kernel *k, model_prediction *p);

#endif
