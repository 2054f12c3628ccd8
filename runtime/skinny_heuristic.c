/* skinny_heuristic.c - the dispatcher's heuristic: which row of an (N,
 * wave) slice to run, from the shape and the device's CU count alone. Pure
 * functions over row arrays (no table, rules or GPU), so tools can ask
 * them about any set of rows: skinny-choose (tools/choose) keeps the rows
 * this heuristic needs, and skinny-heuristic-check grades it. */
#include <stdint.h>
#include <string.h>

#include "skinny_heuristic.h"
#include "skinny_internal.h"
#include "skinny_port.h"

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Tile choice. A round of the persistent grid covers CUs x waves x YTILE
 * columns; M rarely divides into whole rounds, and a last round that keeps
 * only some CUs busy costs as much as a full one. So for every row of the
 * (N, wave) slice and every count of active waves per workgroup (from all
 * down to half: fewer waves own columns, the rest only help stage x), the
 * balance M / (rounds x columns per round) is computed; the best balance
 * wins (in steps of 1/32), then the usual preferences: the largest YTILE
 * not above ceil(M / (CUs x waves)) (few columns per wave: small tiles so
 * all CUs get work), more active waves, deeper unroll. */

/* Lexicographic: is key (4 preferences, most important first) better? */
enum { KEY_LEN = 6 };
static int key_beats(const int64_t key[KEY_LEN], const int64_t best[KEY_LEN])
{
    for (int k = 0; k < KEY_LEN; k++)
        if (key[k] != best[k]) return key[k] > best[k];
    return 0;
}

skinny_tile_pick skinny_pick_tile(const skinny_row *rows, size_t count, int64_t m, int cu_count)
{
    const int64_t cus = cu_count > 0 ? cu_count : 1;
    const int64_t cols = ceil_div(m, cus * rows[0].waves_per_group);
    int smallest_y = rows[0].ytile;
    for (size_t i = 0; i < count; i++)
        if (rows[i].ytile < smallest_y) smallest_y = rows[i].ytile;
    skinny_tile_pick best = {NULL, 0};
    int64_t best_key[KEY_LEN] = {0};
    for (size_t i = 0; i < count; i++) {
        const skinny_row *r = &rows[i];
        for (int ga = r->waves_per_group; ga >= (r->waves_per_group + 1) / 2; ga--) {
            const int64_t per_round = cus * ga * r->ytile;
            const int64_t rounds = ceil_div(m, per_round);
            /* Only multi-round shapes can be rebalanced; one round is what it is. */
            const int64_t balance = rounds > 1 ? m * 32 / (rounds * per_round) : 32;
            const int64_t fits = r->ytile <= cols ? r->ytile : r->ytile == smallest_y ? 0 : -r->ytile;
            const int64_t key[KEY_LEN] = {balance, fits, ga, r->unroll, 0, 0};
            if (!best.row || key_beats(key, best_key)) {
                best.row = r;
                best.active_waves = ga;
                memcpy(best_key, key, sizeof key);
            }
        }
    }
    return best;
}

/* MMA rows (matrix instructions): a workgroup owns a block of 16 x mtiles
 * columns and its waves split K; the grid has one workgroup per block
 * where they all fit on the CUs at once (ceil(SKINNY_MMA_MIN_WARPS / waves)
 * per CU), else the fewest rounds of resident workgroups, each walking an
 * even share of the blocks (skinny_mma_grid, skinny_row.h). Among the rows: if some fit all their blocks on the CUs
 * at once, the one with the most waves per block, since few blocks want K
 * split widely (every resident wave keeps loads in flight). Otherwise the
 * one closest to two resident workgroups per CU (one streams while the
 * other sums its partial tiles at a barrier; measured best on every
 * multi-round shape, bench/lab and bench/results), then the better balance
 * of the last round, then deeper unroll. In the many-round case, first of
 * all: the waves of a block split its K groups (SKINNY_MMA_KGROUP) and
 * it takes as long as its slowest wave, so a row whose split is more than
 * 5 % off even loses to one that splits K evenly (K = 3584 is 28 groups of
 * 128: 8 waves take 4 or 3, 12.5 % idle; 152064x3584 ran at 0.94x cuBLAS
 * that way, 1.03x with 4 waves). When all blocks are resident the most
 * waves win even if uneven (3584x3584: 16 waves 11 % faster than 8). */

/* The MMA kernel addresses a workgroup's weight rows and the x rows by
 * 32-bit offsets from one pointer (registers): the farthest, in 16-byte
 * units, must fit. Only row strides near 2^30 elements fail. */
static int mma_offsets_fit(const skinny_row *r, const skinny_gemm_desc *d)
{
    const int64_t ld_w = skinny_eff_ld(d->ld_w, d->k), ld_x = skinny_eff_ld(d->ld_x, d->k);
    const int64_t ncols = SKINNY_MMA_NCOLS_OF_WAVE(r->wave);
    const int64_t xrows = ceil_div(r->n, ncols) * ncols;
    const int64_t w_per_vec = r->kind == SKINNY_KIND_MMA_FP8 ? 16 : 8; /* weights per 16 bytes */
    return (skinny_mma_cols(r) - 1) * (ld_w / w_per_vec) <= INT32_MAX && (xrows - 1) * (ld_x / 8) <= INT32_MAX;
}

/* The default dispatch's first preference among MMA rows, tiles per block
 * (measured on an H200, bench/results/h200-invariant-choice.md and
 * h200-one-tile-n9-16.md): where one-tile blocks fit one per SM
 * (ceil(M / 16) <= CUs), the fewest tiles (more blocks, more SMs busy:
 * 13-26 % at N > 8); otherwise the fewest for one x tile (N <= 8 on
 * NVIDIA: sharing x loads buys nothing, one-tile rows were 1-20 % faster).
 * For two x tiles: a one-tile row whose blocks are all resident at once
 * (ceil(M / 16) <= its resident workgroups), as at N <= 8: on the H200 sweep
 * (h200-sweep-measure-*.csv) such rows were the best of the sweep, or within
 * 2 % of it, on every shape of 224-512 one-tile blocks at N = 9..16 (up to
 * 7 % ahead of two tiles: 4608x3584, 6144x4096, 8192x8192 with 4 waves u4,
 * 4096x4096 with 8 waves); else the most tiles (each x load then feeds more
 * weight rows: 5-13 %). */
static int64_t tiles_preference(const skinny_row *r, int64_t m, int64_t cus)
{
    const int64_t x_tiles = ceil_div(r->n, SKINNY_MMA_NCOLS_OF_WAVE(r->wave));
    const int64_t one_tile_blocks = ceil_div(m, 16);
    if (one_tile_blocks <= cus) return -(int64_t)r->ytile;
    /* fp8 weights: the fewest tiles. With x loaded when a step is consumed
     * (skinny_mma_fp8_kernel), the best one-tile row beat the best two-tile
     * one on an H100 by 1.5-39 % in every cell up to 8192x8192 and by 2-5 %
     * at 24576x4096; on 8192x28672, 10240x8192 and 151936x4096 they were
     * level (two tiles at most 2.6 % ahead). Measured at N = 1, 8, 9, 16:
     * bench/results/h100-fp8-candidates-measure.csv. */
    if (r->kind == SKINNY_KIND_MMA_FP8) return -(int64_t)r->ytile;
    if (x_tiles == 1) return -(int64_t)r->ytile;
    if (r->ytile == 1 && one_tile_blocks <= skinny_mma_resident(cus, r->waves_per_group)) return INT32_MAX;
    return r->ytile;
}

/* Many rounds (no row fits its blocks at once): the row closest to two
 * resident workgroups per CU (above), except that an fp8-weight row with
 * four resident (4 waves) wins where it takes at least three rounds that
 * are at least 7/8 full. An fp8 block is half a 16-bit block's bytes, so
 * its K split over half the waves keeps as many bytes per wave; measured
 * on an H100 (bench/results/h100-fp8-candidates-measure.csv, h100-1506-
 * fp8-measure.csv): 4 waves beat 8 by 1-5 % in every cell of 24576x4096
 * (1536 blocks, 3 rounds) and by 0-3 % on 151936x4096 (18 rounds); on
 * 10240x8192 (640 blocks: 2 rounds, the second 21 % full) 8 waves stay
 * 2-5 % ahead. */
static int64_t rounds_preference(const skinny_row *r, int64_t blocks, int64_t slots, int64_t rounds,
                                 int64_t resident)
{
    if (r->kind == SKINNY_KIND_MMA_FP8 && resident == 4 && rounds >= 3 && blocks * 8 >= rounds * slots * 7)
        return 1;
    return -(resident > 2 ? resident - 2 : 2 - resident);
}

/* only_waves: consider only rows of that many waves per workgroup (0: all).
 * by_tiles: first of all, tiles_preference (the default dispatch; the
 * batch-invariant mode takes it after fit). Rows whose offsets do not fit
 * d's strides are left out (row NULL: none). */
skinny_tile_pick skinny_pick_mma(const skinny_row *rows, size_t count, const skinny_gemm_desc *d, int cu_count,
                          int only_waves, int by_tiles)
{
    const int64_t cus = cu_count > 0 ? cu_count : 1, m = d->m, k = d->k;
    skinny_tile_pick best = {NULL, 0};
    int64_t best_key[KEY_LEN] = {0};
    for (size_t i = 0; i < count; i++) {
        const skinny_row *r = &rows[i];
        if (only_waves && r->waves_per_group != only_waves) continue;
        if (!mma_offsets_fit(r, d)) continue;
        const int64_t blocks = ceil_div(m, skinny_mma_cols(r));
        const int64_t slots = skinny_mma_resident(cus, r->waves_per_group);
        const int64_t resident = slots / cus;
        const int fits = blocks <= slots;
        const int64_t rounds = ceil_div(blocks, slots);
        const int64_t balance = blocks * 16 / (rounds * slots);
        const int64_t groups = ceil_div(k, SKINNY_MMA_KGROUP);
        const int64_t per_wave = ceil_div(groups, r->waves_per_group);
        const int even = groups * 20 >= per_wave * r->waves_per_group * 19; /* within 5 % */
        /* The invariant mode (by_tiles 0): blocks that fit first, then the
         * tiles preference (its split can leave one-tile blocks a second
         * round where two-tile ones fit; elsewhere the same rows). */
        const int64_t tiles = tiles_preference(r, m, cus);
        const int64_t key[KEY_LEN] = {by_tiles ? tiles : fits, by_tiles ? fits : tiles,
                                      fits ? r->waves_per_group : even,
                                      fits ? 0 : rounds_preference(r, blocks, slots, rounds, resident),
                                      fits ? 0 : balance, r->unroll};
        if (!best.row || key_beats(key, best_key)) {
            best.row = r;
            best.active_waves = r->waves_per_group;
            memcpy(best_key, key, sizeof key);
        }
    }
    return best;
}


skinny_tile_pick skinny_pick_invariant(const skinny_row *ref, size_t nref, const skinny_row *rows, size_t count,
                                       const skinny_gemm_desc *d, int cu_count)
{
    const skinny_tile_pick none = {NULL, 0};
    const skinny_tile_pick r = skinny_pick_mma(ref, nref, d, cu_count, 0, 0);
    if (!r.row) return none;
    return skinny_pick_mma(rows, count, d, cu_count, r.row->waves_per_group, 0);
}

skinny_tile_pick skinny_pick_heuristic(const skinny_row *rows, size_t count, const skinny_gemm_desc *d, int cu_count,
                                       int mma_first)
{
    const skinny_tile_pick none = {NULL, 0};
    size_t tiles = 0, mma = 0;
    while (tiles < count && rows[tiles].kind == SKINNY_KIND_TILE) tiles++;
    while (tiles + mma < count && rows[tiles + mma].kind == SKINNY_KIND_MMA) mma++;
    /* fp8 weights: only MMA_FP8 rows read them (after the MMA rows). */
    if (skinny_w_fp8(d)) {
        const size_t fp8 = tiles + mma;
        return mma_first && fp8 < count ? skinny_pick_mma(rows + fp8, count - fp8, d, cu_count, 0, 1) : none;
    }
    if (mma_first && mma) {
        const skinny_tile_pick p = skinny_pick_mma(rows + tiles, mma, d, cu_count, 0, 1);
        if (p.row) return p;
    }
    if (!tiles) return none;
    return skinny_pick_tile(rows, tiles, d->m, cu_count);
}
