/* skinny_row.h - the contract between the generated files and the runtime.
 *
 * Each generated kernel TU defines two launchers (fp16, bf16) with the
 * skinny_launch_fn signature (MMA_FP8 rows two more, for fp8 activations); the generated dispatcher lists every row of
 * specs/tiles.def in skinny_rows[] and maps (N, wave) to the slice of rows
 * that may serve it. The runtime (skinny_select.c) picks one of them.
 */
#ifndef SKINNY_ROW_H
#define SKINNY_ROW_H

#include "skinny.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct skinny_launch_args {
    const void *w, *x, *bias;
    void *y;
    int64_t m, k, ld_w, ld_x, ld_y, ld_bias;
    int bias_kind;
    int grid;          /* workgroups */
    int active_waves;  /* waves per workgroup that own columns (<= waves_per_group) */
    int device;        /* current device, for per-device launch state */
    int64_t band_k;    /* elements of each x row staged in LDS per pass */
    size_t lds_bytes;  /* dynamic LDS per workgroup */
    void *stream;
    /* MMA_FP8 rows only: device pointers to the per-tensor scale (1 float)
     * and the per-row scale (M floats, or NULL). ld_w counts bytes there. */
    const float *w_scale, *w_row_scale;
    /* The X8 launchers only: the activations' per-tensor scale (1 float);
     * ld_x counts bytes there. NULL otherwise. */
    const float *x_scale;
    /* MMA_FP8 rows: 1/2 per operand (W, fp8 x) in the gfx940 fnuz format,
     * else 1: the kernels' integer decode reads fnuz bytes as twice their
     * value. Only HIP builds launch fnuz (SKINNY_FP8_FNUZ_KERNELS). */
    float fp8_format_scale;
} skinny_launch_args;

typedef skinny_status (*skinny_launch_fn)(const skinny_launch_args *a);

/* Devices the runtime keeps per-device state for (device cache, and each
 * launcher's "LDS limit raised" record). */
#define SKINNY_MAX_DEVICES 64

/* Warps per SM the MMA kernel is compiled to fit (CUDA: its launch bounds
 * ask for ceil(this / waves_per_group) resident workgroups, which caps its
 * registers at 128). The planner counts resident workgroups with it. */
#ifndef SKINNY_MMA_MIN_WARPS /* bench/lab varies it */
#define SKINNY_MMA_MIN_WARPS 16
#endif

/* Workgroups of an MMA row resident on "cus" CUs/SMs at once, and its grid
 * for "blocks" blocks of rows on "cus" CUs/SMs: one
 * workgroup per block when they all fit at once (ceil(SKINNY_MMA_MIN_WARPS /
 * waves) resident per CU); otherwise the fewest rounds of resident
 * workgroups, the blocks split evenly over them, each workgroup walking its
 * blocks in strides of the grid. Measured on an H200 (bench/lab/RESULTS.md,
 * lab7): against one workgroup per block, the same rows ran a median 1-2 %
 * faster wherever blocks exceed the resident workgroups (up to 15 %, worst
 * 2 % slower), at every number of rounds. The planner and the GPU tests'
 * wrap case both use it. */
static inline int64_t skinny_mma_resident(int64_t cus, int waves_per_group)
{
    return (cus > 0 ? cus : 1) * ((SKINNY_MMA_MIN_WARPS + waves_per_group - 1) / waves_per_group);
}

static inline int64_t skinny_mma_grid(int64_t blocks, int64_t cus, int waves_per_group)
{
    const int64_t slots = skinny_mma_resident(cus, waves_per_group);
    if (blocks <= slots) return blocks;
    const int64_t rounds = (blocks + slots - 1) / slots;
    return (blocks + rounds - 1) / rounds;
}

/* The MMA kernel's K order: K is cut into groups of this many elements,
 * wave w of a workgroup of G takes groups w, w+G, w+2G, ... and sums each
 * front to back, whatever its unroll (a step takes the next unroll x 32
 * elements of that sequence). So each output's summation order depends on
 * K and G only; rows of one G give bit-identical outputs for every N, tile
 * count and unroll (the batch-invariant mode relies on it). */
#define SKINNY_MMA_KGROUP 128

/* Launcher slots by the activation/output dtype (MMA_FP8 rows: fp8 weights
 * with fp16 or bf16 activations and output). The X8 slots: fp8 e4m3
 * activations and fp16 / bf16 output, MMA_FP8 rows only (NULL elsewhere). */
enum {
    SKINNY_DTYPE_SLOT_F16 = 0,
    SKINNY_DTYPE_SLOT_BF16 = 1,
    SKINNY_DTYPE_SLOT_X8_F16 = 2,
    SKINNY_DTYPE_SLOT_X8_BF16 = 3,
    SKINNY_DTYPE_SLOTS = 4
};

/* TILE rows: FMA kernel, each wave owns ytile columns and its lanes split
 * K. MMA rows: matrix-instruction kernel, a workgroup owns 16 x ytile
 * columns (ytile holds tiles.def's mtiles) and its waves split K.
 * MMA_FP8 rows: the same kernel for fp8 e4m3 weights (16 weights per
 * 16-byte load, converted in registers); they serve fp8 weights only and
 * sort after the MMA rows of their (n, wave) slice. */
enum { SKINNY_KIND_TILE = 0, SKINNY_KIND_MMA = 1, SKINNY_KIND_MMA_FP8 = 2 };

typedef struct skinny_row {
    const char *name;
    int n, wave, waves_per_group, ytile, unroll;
    int kind; /* SKINNY_KIND_TILE, SKINNY_KIND_MMA or SKINNY_KIND_MMA_FP8 */
    /* NULL where the backend this library was built for has no code for
     * the row (e.g. wave-64 rows on NVIDIA). */
    skinny_launch_fn launch[SKINNY_DTYPE_SLOTS];
} skinny_row;

/* Generated: every row, sorted by (n, wave, kind, ytile, unroll). */
extern const skinny_row skinny_rows[];
extern const size_t skinny_row_count;

/* Generated from specs/dispatch.def: one (N, wave, dtype, M, K) cell
 * measured on one device and its fastest row there, or row == NULL when no
 * row beat BLAS. Applies only on devices whose device_key equals device. */
typedef struct skinny_measured {
    const char *device; /* device key (skinny_device_key), e.g. "nvidia_h200" */
    int n, wave, dtype; /* dtype: a skinny_dtype */
    int64_t m, k;
    const skinny_row *row;
} skinny_measured;
extern const skinny_measured skinny_measured_cells[];
extern const size_t skinny_measured_count;

/* Generated: rows serving (n, wave); *first points into skinny_rows. */
size_t skinny_rows_for(int n, int wave, const skinny_row **first);

#ifdef __cplusplus
}
#endif
#endif
