/* littles.h - the bandwidth model: Little's law over the loads in flight.
 *
 *   bytes in flight = resident waves x wide loads in flight per wave (MLP)
 *                     x 16 B x lanes
 *   achievable BW   = min(peak, bytes in flight / DRAM latency)
 *
 * Resident waves: the planner's workgroups (grid) and active waves per
 * workgroup, capped by how many workgroups the occupancy rules let each
 * CU / SM hold at once (registers, LDS / shared memory). */
#ifndef MODEL_LITTLES_H
#define MODEL_LITTLES_H

#include "gpus.h"

typedef struct {
    int wave;               /* lanes per wave */
    long vgprs, sgprs;      /* AMD .vgpr_count / .sgpr_count; NVIDIA: regs in vgprs */
    int mlp;                /* wide loads in flight per wave (per lane) */
    int load_bytes;         /* bytes per lane per wide load (16) */
    long grid;              /* workgroups launched */
    long waves_per_group, active_waves;
    long lds_bytes;         /* LDS / shared memory per workgroup */
} model_kernel;

typedef struct {
    int groups_per_unit;    /* resident workgroups one CU / WGP / SM holds */
    long resident_groups;   /* at once, on the whole GPU */
    double waves_per_unit;  /* resident waves per CU / SM, averaged over all units */
    double bytes_per_wave;
    double bif_per_unit;    /* bytes in flight per CU / SM, averaged */
    double gbs;             /* achievable bandwidth, GB/s */
    double pct;             /* of peak */
    int latency_bound;      /* 1: Little's law limits, 0: the peak does */
} model_prediction;

void model_predict(const model_gpu *g, const model_kernel *k, model_prediction *p);

#endif
