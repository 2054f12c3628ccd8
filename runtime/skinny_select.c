/* skinny_select.c - which generated row runs a GEMM, with what grid and
 * LDS band. Pure functions of the shape and the device's properties. */
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "skinny_internal.h"
#include "skinny_port.h"

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Rows of (n, wave), or the reason there are none. */
static skinny_status rows_of(int64_t n, int wave, const skinny_row **first, size_t *count)
{
    *count = 0;
    if (n < 1 || n > 1024) return SKINNY_ERR_UNSUPPORTED_N;
    *count = skinny_rows_for((int)n, wave, first);
    if (*count) return SKINNY_OK;
    const skinny_row *other;
    if (skinny_rows_for((int)n, wave == 64 ? 32 : 64, &other)) return SKINNY_ERR_UNSUPPORTED_WAVE;
    return SKINNY_ERR_UNSUPPORTED_N;
}

/* Why a named row cannot serve (n, wave): it is for another wave size, or
 * it does not exist / serves another N. */
static skinny_status named_row_status(const char *kernel, int wave)
{
    for (size_t i = 0; i < skinny_row_count; i++)
        if (strcmp(skinny_rows[i].name, kernel) == 0 && skinny_rows[i].wave != wave)
            return SKINNY_ERR_UNSUPPORTED_WAVE;
    return SKINNY_ERR_UNSUPPORTED_N;
}

/* Tile choice. A round of the persistent grid covers CUs x waves x YTILE
 * columns; M rarely divides into whole rounds, and a last round that keeps
 * only some CUs busy costs as much as a full one. So for every row of the
 * (N, wave) slice and every count of active waves per workgroup (from all
 * down to half: fewer waves own columns, the rest only help stage x), the
 * balance M / (rounds x columns per round) is computed; the best balance
 * wins (in steps of 1/32), then the usual preferences: the largest YTILE
 * not above ceil(M / (CUs x waves)) (few columns per wave: small tiles so
 * all CUs get work), more active waves, deeper unroll. */
typedef struct tile_pick { const skinny_row *row; int active_waves; } tile_pick;

/* Lexicographic: is key (4 preferences, most important first) better? */
enum { KEY_LEN = 6 };
static int key_beats(const int64_t key[KEY_LEN], const int64_t best[KEY_LEN])
{
    for (int k = 0; k < KEY_LEN; k++)
        if (key[k] != best[k]) return key[k] > best[k];
    return 0;
}

static tile_pick pick_tile(const skinny_row *rows, size_t count, int64_t m, int cu_count)
{
    const int64_t cus = cu_count > 0 ? cu_count : 1;
    const int64_t cols = ceil_div(m, cus * rows[0].waves_per_group);
    int smallest_y = rows[0].ytile;
    for (size_t i = 0; i < count; i++)
        if (rows[i].ytile < smallest_y) smallest_y = rows[i].ytile;
    tile_pick best = {NULL, 0};
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
static int64_t mma_cols(const skinny_row *r) { return 16 * (int64_t)r->ytile; }

/* The MMA kernel addresses a workgroup's weight rows and the x rows by
 * 32-bit offsets from one pointer (registers): the farthest, in 16-byte
 * units, must fit. Only row strides near 2^30 elements fail. */
static int mma_offsets_fit(const skinny_row *r, const skinny_gemm_desc *d)
{
    const int64_t ld_w = skinny_eff_ld(d->ld_w, d->k), ld_x = skinny_eff_ld(d->ld_x, d->k);
    const int64_t ncols = SKINNY_MMA_NCOLS_OF_WAVE(r->wave);
    const int64_t xrows = ceil_div(r->n, ncols) * ncols;
    const int64_t w_per_vec = r->kind == SKINNY_KIND_MMA_FP8 ? 16 : 8; /* elements per 16 bytes */
    return (mma_cols(r) - 1) * (ld_w / w_per_vec) <= INT32_MAX && (xrows - 1) * (ld_x / 8) <= INT32_MAX;
}

/* The default dispatch's first preference among MMA rows, tiles per block
 * (measured on an H200, bench/results/h200-invariant-choice.md and
 * h200-one-tile-n9-16.md): where one-tile blocks fit one per SM
 * (ceil(M / 16) <= CUs), the fewest tiles (more blocks, more SMs busy:
 * 13-26 % at N > 8); otherwise the fewest for one x tile (N <= 8 on
 * NVIDIA: sharing x loads buys nothing, one-tile rows were 1-20 % faster)
 * and the most for two (each x load then feeds more weight rows: 5-13 %). */
static int64_t tiles_preference(const skinny_row *r, int64_t m, int64_t cus)
{
    const int64_t x_tiles = ceil_div(r->n, SKINNY_MMA_NCOLS_OF_WAVE(r->wave));
    return ceil_div(m, 16) <= cus || x_tiles == 1 ? -(int64_t)r->ytile : r->ytile;
}

/* only_waves: consider only rows of that many waves per workgroup (0: all).
 * by_tiles: first of all, tiles_preference (the default dispatch; the
 * batch-invariant mode takes it after fit). Rows whose offsets do not fit
 * d's strides are left out (row NULL: none). */
static tile_pick pick_mma(const skinny_row *rows, size_t count, const skinny_gemm_desc *d, int cu_count,
                          int only_waves, int by_tiles)
{
    const int64_t cus = cu_count > 0 ? cu_count : 1, m = d->m, k = d->k;
    tile_pick best = {NULL, 0};
    int64_t best_key[KEY_LEN] = {0};
    for (size_t i = 0; i < count; i++) {
        const skinny_row *r = &rows[i];
        if (only_waves && r->waves_per_group != only_waves) continue;
        if (!mma_offsets_fit(r, d)) continue;
        const int64_t blocks = ceil_div(m, mma_cols(r));
        const int64_t slots = skinny_mma_resident(cus, r->waves_per_group);
        const int64_t resident = slots / cus;
        const int fits = blocks <= slots;
        const int64_t off_two = resident > 2 ? resident - 2 : 2 - resident;
        const int64_t balance = blocks * 16 / (ceil_div(blocks, slots) * slots);
        const int64_t groups = ceil_div(k, SKINNY_MMA_KGROUP);
        const int64_t per_wave = ceil_div(groups, r->waves_per_group);
        const int even = groups * 20 >= per_wave * r->waves_per_group * 19; /* within 5 % */
        /* The invariant mode (by_tiles 0): blocks that fit first, then the
         * tiles preference (its split can leave one-tile blocks a second
         * round where two-tile ones fit; elsewhere the same rows). */
        const int64_t tiles = tiles_preference(r, m, cus);
        const int64_t key[KEY_LEN] = {by_tiles ? tiles : fits, by_tiles ? fits : tiles,
                                      fits ? r->waves_per_group : even, fits ? 0 : -off_two,
                                      fits ? 0 : balance, r->unroll};
        if (!best.row || key_beats(key, best_key)) {
            best.row = r;
            best.active_waves = r->waves_per_group;
            memcpy(best_key, key, sizeof key);
        }
    }
    return best;
}

/* One row chosen as the measured cell or the caller named it. */
static tile_pick pick_one(const skinny_row *r, const skinny_gemm_desc *d, int cu_count)
{
    return r->kind != SKINNY_KIND_TILE ? pick_mma(r, 1, d, cu_count, 0, 1) : pick_tile(r, 1, d->m, cu_count);
}

/* Heuristic choice in a (n, wave) slice (the slice lists TILE rows first,
 * plan.c). Wave 32 outside HIP builds means NVIDIA: there the MMA kernel
 * (mma.sync) was measured faster than the TILE rows in every cell on
 * Hopper, so the heuristic takes the slice's MMA rows when it has any.
 * AMD: wave-64 MFMA rows have not run on an AMD GPU, and RDNA (wave 32)
 * has no matrix instructions, so MMA rows there run only where a measured
 * rule of the device (specs/dispatch.def) picked them or the caller named
 * them. A shape with no row the heuristic may use gets
 * SKINNY_ERR_NO_FAST_PATH. */
static size_t tile_rows(const skinny_row *rows, size_t count)
{
    size_t n = 0;
    while (n < count && rows[n].kind == SKINNY_KIND_TILE) n++;
    return n;
}

static int heuristic_takes_mma(int wave) { return wave == SKINNY_HEURISTIC_MMA_WAVE; }

/* The rows of one kind in a slice (plan.c sorts a slice by kind: TILE,
 * MMA, MMA_FP8): [*first, *first + n). */
static size_t kind_rows(const skinny_row *rows, size_t count, int kind, const skinny_row **first)
{
    size_t i = 0, n = 0;
    while (i < count && rows[i].kind != kind) i++;
    *first = rows + i;
    while (i + n < count && rows[i + n].kind == kind) n++;
    return n;
}

/* The row kind a descriptor's weights need among the matrix-instruction
 * rows: MMA_FP8 for fp8 weights, MMA for 16-bit ones. */
static int mma_kind_of(int w_fp8) { return w_fp8 ? SKINNY_KIND_MMA_FP8 : SKINNY_KIND_MMA; }

/* The rows of a slice the heuristic chooses among: [*first, *first + n).
 * fp8 weights: the MMA_FP8 rows, on NVIDIA only (none have run on an AMD
 * GPU; there they run only by name, as wave-64 MMA rows do). */
static size_t heuristic_rows(const skinny_row *rows, size_t count, int wave, int w_fp8,
                             const skinny_row **first)
{
    if (w_fp8) {
        const size_t n = kind_rows(rows, count, SKINNY_KIND_MMA_FP8, first);
        return heuristic_takes_mma(wave) ? n : 0;
    }
    const size_t tiles = tile_rows(rows, count);
    const skinny_row *mma;
    const size_t nmma = kind_rows(rows, count, SKINNY_KIND_MMA, &mma);
    if (heuristic_takes_mma(wave) && nmma) {
        *first = mma;
        return nmma;
    }
    *first = rows;
    return tiles;
}

/* Batch-invariant mode (SKINNY_FLAG_BATCH_INVARIANT): an MMA row whose
 * waves per workgroup (the K split; with SKINNY_MMA_KGROUP it fixes every
 * output's summation order) is the heuristic's pick for the largest N that
 * has MMA rows of this wave, so the same for every N of an (M, K); among
 * the slice's rows of that split, the heuristic's preferences pick tiles and
 * unroll (they do not change the order), blocks that fit the SMs at once
 * first. The largest N's split, not the smallest's: its blocks are the
 * biggest, and a split that leaves them a second round cost them up to
 * 14 %, while smaller N recover with two-tile rows (measured on an H200,
 * bench/results/h200-invariant-choice.md). No TILE rows (another order), no
 * measured rules (chosen per N). row NULL: no such row. */
static tile_pick pick_invariant(const skinny_row *rows, size_t count, int wave, const skinny_gemm_desc *d,
                                int cu_count)
{
    tile_pick none = {NULL, 0};
    if (wave != SKINNY_MMA_DEVICE_WAVE) return none;
    /* fp8 weights: the same rule among the MMA_FP8 rows (their own order,
     * the same K-group walk). */
    const int kind = mma_kind_of(skinny_w_fp8(d));
    /* skinny_rows[] is sorted by n: the last MMA row of this wave has the
     * largest N (one pass over the table, no lookup per N: this runs on
     * every call). */
    int ref_n = 0;
    for (size_t i = skinny_row_count; i-- > 0 && !ref_n;)
        if (skinny_rows[i].wave == wave && skinny_rows[i].kind == kind) ref_n = skinny_rows[i].n;
    if (!ref_n) return none;
    const skinny_row *first, *ref, *mine;
    const size_t c = skinny_rows_for(ref_n, wave, &first);
    const size_t nref = kind_rows(first, c, kind, &ref);
    const tile_pick r = pick_mma(ref, nref, d, cu_count, 0, 0);
    if (!r.row) return none;
    const size_t nmine = kind_rows(rows, count, kind, &mine);
    return pick_mma(mine, nmine, d, cu_count, r.row->waves_per_group, 0);
}

/* The measured cell of (n, wave, dtype) nearest to (m, k) among those
 * measured on the device `key` names, distance |log2(m/m_i)| + |log2(k/k_i)|;
 * NULL when that device has none (or key is "" or NULL: unknown device).
 * Rules are per device because the fastest row, and whether BLAS wins,
 * differ between devices of one wave size (H200 rules slowed an H100). */
static const skinny_measured *nearest_cell(const char *key, int64_t n, int wave, skinny_dtype dtype,
                                           int64_t m, int64_t k)
{
    if (!key || !key[0]) return NULL;
    const skinny_measured *best = NULL;
    double best_d = 0;
    for (size_t i = 0; i < skinny_measured_count; i++) {
        const skinny_measured *c = &skinny_measured_cells[i];
        if (c->n != n || c->wave != wave || c->dtype != (int)dtype) continue;
        /* Cell keys have at most 63 characters, so strcmp reads no further
         * into a caller's device_key[64], terminated or not. */
        if (strcmp(c->device, key) != 0) continue;
        const double dist = fabs(log2((double)m / (double)c->m)) + fabs(log2((double)k / (double)c->k));
        if (!best || dist < best_d) {
            best = c;
            best_d = dist;
        }
    }
    return best;
}

/* skinny_supported with the rules of device `key` (NULL: none). */
static skinny_status supported(skinny_dtype dtype, int64_t n, int64_t m, int64_t k, int wave_size,
                               const char *key)
{
    if (dtype != SKINNY_F16 && dtype != SKINNY_BF16 && dtype != SKINNY_FP8_E4M3) return SKINNY_ERR_BAD_DTYPE;
    if (n <= 0 || m <= 0 || k <= 0) return SKINNY_ERR_BAD_SIZE;
    if (k % 8) return SKINNY_ERR_K_NOT_MULTIPLE_OF_8;
    if (wave_size != 32 && wave_size != 64) return SKINNY_ERR_UNSUPPORTED_WAVE;
    const skinny_row *rows;
    size_t count;
    skinny_status st = rows_of(n, wave_size, &rows, &count);
    if (st != SKINNY_OK) return st;
    /* fp8 weights: MMA_FP8 rows (both launchers of a row are built
     * together, so either slot says whether it has code). */
    const int fp8 = dtype == SKINNY_FP8_E4M3;
    const int slot = dtype == SKINNY_F16 ? SKINNY_DTYPE_SLOT_F16 : SKINNY_DTYPE_SLOT_BF16;
    if (fp8) {
        const skinny_row *f;
        const size_t nf = kind_rows(rows, count, SKINNY_KIND_MMA_FP8, &f);
        if (nf == 0) return SKINNY_ERR_UNSUPPORTED_N; /* N has rows, but none for fp8 */
        rows = f;
        count = nf;
    }
    int built = 0;
    for (size_t i = 0; i < count; i++) built |= rows[i].launch[slot] != NULL;
    if (!built) return SKINNY_ERR_UNSUPPORTED_WAVE; /* rows exist but were not built */
    /* Measured slower than BLAS near this shape: say so, the caller falls
     * back. Unmeasured: the rows heuristic_rows() allows. No rules are
     * measured for fp8 weights (dispatch.def names fp16/bf16 only). */
    const skinny_measured *cell = fp8 ? NULL : nearest_cell(key, n, wave_size, dtype, m, k);
    const skinny_row *usable;
    if (cell ? !cell->row : heuristic_rows(rows, count, wave_size, fp8, &usable) == 0)
        return SKINNY_ERR_NO_FAST_PATH;
    return SKINNY_OK;
}

skinny_status skinny_supported(skinny_dtype dtype, int64_t n, int64_t m, int64_t k, int wave_size)
{
    return supported(dtype, n, m, k, wave_size, NULL); /* no device: heuristic only */
}

skinny_status skinny_supported_on(skinny_dtype dtype, int64_t n, int64_t m, int64_t k,
                                  const skinny_device_info *dev)
{
    if (!dev) return SKINNY_ERR_NULL_POINTER;
    return supported(dtype, n, m, k, dev->wave_size, dev->device_key);
}

skinny_status skinny_plan_named(const skinny_gemm_desc *d, const skinny_device_info *dev,
                                const char *kernel, skinny_choice *out, const skinny_row **row)
{
    skinny_status st = skinny_validate(d);
    if (st != SKINNY_OK) return st;
    if (!dev || !out) return SKINNY_ERR_NULL_POINTER;
    if (dev->cu_count <= 0 || (dev->wave_size != 32 && dev->wave_size != 64))
        return SKINNY_ERR_DEVICE;
    const skinny_row *rows;
    size_t count;
    st = rows_of(d->n, dev->wave_size, &rows, &count);
    if (st != SKINNY_OK) return st;
    tile_pick pick = {NULL, 0};
    if (!kernel && (d->flags & SKINNY_FLAG_BATCH_INVARIANT)) {
        pick = pick_invariant(rows, count, dev->wave_size, d, dev->cu_count);
        if (!pick.row) return SKINNY_ERR_NO_INVARIANT_PATH;
    } else if (!kernel) {
        /* A choice measured on this device near this shape wins over the
         * heuristic; a measured "none" means BLAS was faster there. fp8
         * weights: no measured rules (dispatch.def has none for them). */
        const int fp8 = skinny_w_fp8(d);
        const skinny_measured *cell =
            fp8 ? NULL : nearest_cell(dev->device_key, d->n, dev->wave_size, d->dtype, d->m, d->k);
        if (cell && !cell->row) return SKINNY_ERR_NO_FAST_PATH;
        const skinny_row *usable;
        const size_t nusable = heuristic_rows(rows, count, dev->wave_size, fp8, &usable);
        if (!cell && nusable == 0) return fp8 && !kind_rows(rows, count, SKINNY_KIND_MMA_FP8, &usable)
                                              ? SKINNY_ERR_UNSUPPORTED_N
                                              : SKINNY_ERR_NO_FAST_PATH;
        if (cell)
            pick = pick_one(cell->row, d, dev->cu_count);
        else if (usable->kind != SKINNY_KIND_TILE)
            pick = pick_mma(usable, nusable, d, dev->cu_count, 0, 1);
        else
            pick = pick_tile(usable, nusable, d->m, dev->cu_count);
        /* MMA rows left out by their offsets: the slice's TILE rows, if any
         * (16-bit weights only: TILE rows read no fp8). */
        if (!pick.row && !cell && !fp8 && tile_rows(rows, count))
            pick = pick_tile(rows, tile_rows(rows, count), d->m, dev->cu_count);
        if (!pick.row) return SKINNY_ERR_NO_FAST_PATH;
    } else {
        /* Forced row: still balance its active waves. It must take the
         * descriptor's weights: MMA_FP8 rows fp8, the others 16-bit. */
        for (size_t i = 0; i < count && !pick.row; i++)
            if (strcmp(rows[i].name, kernel) == 0) {
                if ((rows[i].kind == SKINNY_KIND_MMA_FP8) != skinny_w_fp8(d))
                    return SKINNY_ERR_ROW_WEIGHT_DTYPE;
                pick = pick_one(&rows[i], d, dev->cu_count);
                if (!pick.row) return SKINNY_ERR_NO_FAST_PATH; /* its offsets do not fit */
            }
        if (!pick.row) return named_row_status(kernel, dev->wave_size);
    }
    const skinny_row *r = pick.row;
    /* Filled in a local, copied out only on success: an error leaves *out
     * as the caller had it. */
    skinny_choice c = {.kernel = r->name, .n = r->n, .wave = r->wave,
                       .waves_per_group = r->waves_per_group, .ytile = r->ytile,
                       .unroll = r->unroll, .mma = r->kind != SKINNY_KIND_TILE};
    if (c.mma) {
        /* x is read through L1; LDS holds only the waves' partial sums. */
        c.grid = (int)skinny_mma_grid(ceil_div(d->m, mma_cols(r)), dev->cu_count, r->waves_per_group);
        c.active_waves = r->waves_per_group;
        c.band_k = d->k;
        c.k_bands = 1;
        c.lds_bytes = SKINNY_MMA_LDS_BYTES(r->n, r->wave, r->waves_per_group, r->ytile);
        if (c.lds_bytes > dev->lds_bytes) return SKINNY_ERR_INSUFFICIENT_LDS;
    } else {
        /* LDS: all of x if it fits (loaded once per workgroup), else a band
         * of K per pass; bands are whole per-iteration chunks when possible
         * so only the last band has a ragged end. */
        const int64_t row_bytes = 2 * d->k;
        int64_t band = d->k;
        if ((int64_t)dev->lds_bytes < d->n * row_bytes) {
            const int64_t chunk = (int64_t)r->wave * 8 * r->unroll;
            band = (int64_t)dev->lds_bytes / (2 * d->n);
            band = band >= chunk ? band / chunk * chunk : band / 8 * 8;
            if (band < 8) return SKINNY_ERR_INSUFFICIENT_LDS;
        }
        const int64_t blocks = ceil_div(d->m, (int64_t)pick.active_waves * r->ytile);
        const int64_t bands = ceil_div(d->k, band);
        c.grid = (int)(blocks < dev->cu_count ? blocks : dev->cu_count);
        c.active_waves = pick.active_waves;
        c.band_k = band;
        c.k_bands = bands > INT32_MAX ? INT32_MAX : (int)bands; /* informational */
        c.lds_bytes = (size_t)(d->n * band * 2);
    }
    *out = c;
    if (row) *row = r;
    return SKINNY_OK;
}

skinny_status skinny_plan_row(const skinny_gemm_desc *d, const skinny_device_info *dev,
                              skinny_choice *out, const skinny_row **row)
{
    return skinny_plan_named(d, dev, NULL, out, row);
}

skinny_status skinny_plan(const skinny_gemm_desc *d, const skinny_device_info *dev,
                          skinny_choice *out)
{
    return skinny_plan_row(d, dev, out, NULL);
}

