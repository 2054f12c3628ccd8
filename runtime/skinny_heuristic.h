/* skinny_heuristic.h - the dispatcher's heuristic over any set of rows
 * (skinny_heuristic.c). Internal to the runtime and its tools. */
#ifndef SKINNY_HEURISTIC_H
#define SKINNY_HEURISTIC_H

#include <stddef.h>
#include <stdint.h>

#include "skinny_row.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A row and how many of its waves own columns (TILE rows may leave some
 * to staging x); row NULL: none of the rows can serve. */
typedef struct skinny_tile_pick { const skinny_row *row; int active_waves; } skinny_tile_pick;

/* Columns one MMA workgroup owns: 16 per tile. */
static inline int64_t skinny_mma_cols(const skinny_row *r) { return 16 * (int64_t)r->ytile; }

/* TILE rows (all of one slice): best balance of the last round, then tile
 * fit, active waves, unroll. */
skinny_tile_pick skinny_pick_tile(const skinny_row *rows, size_t count, int64_t m, int cu_count);

/* The MMA functions take rows of one kind (MMA or MMA_FP8, never mixed:
 * skinny_select.c hands them the slice's rows of the weights' kind). */

/* MMA rows: see skinny_heuristic.c. only_waves: only rows of that many
 * waves per workgroup (0: all); by_tiles: the tiles preference first (the
 * default dispatch; the batch-invariant mode passes 0). */
skinny_tile_pick skinny_pick_mma(const skinny_row *rows, size_t count, const skinny_gemm_desc *d, int cu_count,
                                 int only_waves, int by_tiles);

/* The heuristic's pick in one (N, wave) slice, its TILE rows first (as the
 * dispatcher lists them): among its MMA rows when mma_first (NVIDIA's wave
 * 32, skinny_port.h's SKINNY_HEURISTIC_MMA_WAVE) and it has some, else among
 * its TILE rows; MMA rows that all fail on offsets fall back to the TILE
 * rows. fp8 weights (d->w_dtype): only the slice's MMA_FP8 rows (listed
 * last), and only when mma_first. row NULL: no row may serve (the caller
 * falls back to BLAS). The dispatcher and skinny-choose --heuristic both
 * call it. */
skinny_tile_pick skinny_pick_heuristic(const skinny_row *rows, size_t count, const skinny_gemm_desc *d, int cu_count,
                                       int mma_first);

/* The batch-invariant mode's pick among the MMA rows `rows` of one slice:
 * the K split (waves per workgroup) is the one skinny_pick_mma picks among
 * `ref` (the MMA rows of the largest N), so the same for every N of an
 * (M, K); then blocks that fit first, the tiles preference after. */
skinny_tile_pick skinny_pick_invariant(const skinny_row *ref, size_t nref, const skinny_row *rows, size_t count,
                                       const skinny_gemm_desc *d, int cu_count);

#ifdef __cplusplus
}
#endif

#endif
