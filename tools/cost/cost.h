/* cost.h - the data one report is made of: rows, targets, and one cell per
 * row x target with the figures read from the compilers' outputs. */
#ifndef COST_COST_H
#define COST_COST_H

#include <stddef.h>

/* One specialization, as `skinnygen --list` prints it. */
typedef struct {
    char name[64];
    int n, wave, group, ytile, unroll;
    int added; /* 1: came from --add (what-if), not from the table */
    int mma;   /* 1: an MMA or MMA_FP8 (matrix-instruction) row, name n.._w.._g.._m.._u.. or .._f.._ */
} cost_row;

typedef enum { KIND_AMD, KIND_NVIDIA } target_kind;

/* A compile target; its hardware figures (register files, occupancy
 * rules) are tools/codeobj's co_arch. */
typedef struct {
    char name[32];   /* gfx90a, sm_90, ... */
    target_kind kind;
    int wave;        /* lanes per wave/warp the target runs */
    int sm;          /* 90 for sm_90 */
    const struct co_arch *arch; /* never NULL after target_lookup */
} cost_target;

/* Does the build give this row code for this target? The wave sizes must
 * match, and MMA rows need matrix instructions (sm_80+, or MFMA: gfx908,
 * gfx90a, gfx94x, gfx950), as meson.build decides. */
int row_built_for(const cost_row *row, const cost_target *t);

#define COST_MAX_PRED 4   /* GPUs of tools/model/gpus.def one target's code serves */
#define COST_MODEL_MK 8192 /* the model's shape: M = K = 8192 */

/* Figures of one kernel (a row's TU holds an fp16 and a bf16 kernel).
 * -1 means "does not apply to this target kind". */
typedef struct {
    char dtype[8];          /* "f16" or "bf16" */
    long registers;         /* AMD: .vgpr_count; NVIDIA: registers per thread */
    long sgpr, agpr;        /* AMD only (.agpr_count: -1 when the metadata has none) */
    long scratch_bytes;     /* AMD: .private_segment_fixed_size; NVIDIA: stack frame */
    long vgpr_spills, sgpr_spills;          /* AMD: registers spilled */
    long spill_store_bytes, spill_load_bytes; /* NVIDIA */
    long static_lds_bytes;  /* AMD: .group_segment_fixed_size; NVIDIA: smem */
    long max_workgroup;     /* AMD: .max_flat_workgroup_size; NVIDIA: -1 */
    long occupancy;         /* AMD: waves per SIMD; NVIDIA: warps per SM */
    /* The bandwidth model (tools/model, docs/amd-model.md): -1 / 0 where
     * the disassembler is missing (NVIDIA: cuobjdump) or the build's
     * planner does not know the row (what-if rows). */
    long mlp;               /* 16-byte loads one wave has in flight in its main loop */
    int npred;
    struct {
        char gpu[32];
        double kib_in_flight;   /* per CU / WGP / SM, at M = K = COST_MODEL_MK */
        double pct_of_peak;
    } pred[COST_MAX_PRED];
} cost_kernel;

#define COST_MAX_RUNS 16

typedef struct {
    int built;                /* 0: the row's wave is not the target's: not built */
    int nruns;
    double runs[COST_MAX_RUNS]; /* seconds, in run order */
    double median;
    long code_object_bytes;   /* AMD: device ELF of that arch; NVIDIA: the cubin */
    long text_bytes;          /* its .text sections */
    int nkernels;
    cost_kernel k[2];         /* sorted: f16 then bf16 */
} cost_cell;

typedef struct {
    cost_row *rows;
    size_t nrows;
    cost_target *targets;
    size_t ntargets;
    cost_cell *cells;         /* [row * ntargets + target] */
    int runs;
    int whatif;               /* --add given */
    /* provenance, for the report header */
    char *label, *date, *host, *cpu, *hipcc_version, *nvcc_version, *spec, *hip_cmd, *nv_cmd;
    int ncpus;
} cost_report;

static inline cost_cell *report_cell(const cost_report *r, size_t row, size_t t)
{
    return &r->cells[row * r->ntargets + t];
}

#endif
