/* skinny_select.c - which generated row runs a GEMM, with what grid and
 * LDS band. Pure functions of the shape and the device's properties. */
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "skinny_heuristic.h"
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

/* One row chosen as the measured cell or the caller named it. */
static skinny_tile_pick pick_one(const skinny_row *r, const skinny_gemm_desc *d, int cu_count)
{
    return r->kind != SKINNY_KIND_TILE ? skinny_pick_mma(r, 1, d, cu_count, 0, 1) : skinny_pick_tile(r, 1, d->m, cu_count);
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
 * MMA, MMA_FP8): [*first, *first + n). The heuristic (skinny_heuristic.c)
 * takes any rows it is given, so the dispatcher hands it one kind: 16-bit
 * weights never reach an MMA_FP8 row, nor fp8 weights an MMA one. */
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
static skinny_tile_pick pick_invariant(const skinny_row *rows, size_t count, int wave, const skinny_gemm_desc *d,
                                int cu_count)
{
    skinny_tile_pick none = {NULL, 0};
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
    const size_t nmine = kind_rows(rows, count, kind, &mine);
    return skinny_pick_invariant(ref, nref, mine, nmine, d, cu_count);
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
    if (dtype != SKINNY_F16 && dtype != SKINNY_BF16 && !skinny_dtype_fp8(dtype)) return SKINNY_ERR_BAD_DTYPE;
    if (dtype == SKINNY_FP8_E4M3_FNUZ && !SKINNY_FP8_FNUZ_KERNELS) return SKINNY_ERR_FP8_FORMAT_UNSUPPORTED;
    if (n <= 0 || m <= 0 || k <= 0) return SKINNY_ERR_BAD_SIZE;
    if (k % 8) return SKINNY_ERR_K_NOT_MULTIPLE_OF_8;
    if (wave_size != 32 && wave_size != 64) return SKINNY_ERR_UNSUPPORTED_WAVE;
    const skinny_row *rows;
    size_t count;
    skinny_status st = rows_of(n, wave_size, &rows, &count);
    if (st != SKINNY_OK) return st;
    /* fp8 weights: MMA_FP8 rows (both launchers of a row are built
     * together, so either slot says whether it has code). */
    const int fp8 = skinny_dtype_fp8(dtype);
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
    /* A valid descriptor this build's kernels would misread: no plan. */
    if (skinny_fp8_fnuz(d) && !SKINNY_FP8_FNUZ_KERNELS) return SKINNY_ERR_FP8_FORMAT_UNSUPPORTED;
    if (!dev || !out) return SKINNY_ERR_NULL_POINTER;
    if (dev->cu_count <= 0 || (dev->wave_size != 32 && dev->wave_size != 64))
        return SKINNY_ERR_DEVICE;
    const skinny_row *rows;
    size_t count;
    st = rows_of(d->n, dev->wave_size, &rows, &count);
    if (st != SKINNY_OK) return st;
    skinny_tile_pick pick = {NULL, 0};
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
        const skinny_row *fp8_rows;
        if (fp8 && !kind_rows(rows, count, SKINNY_KIND_MMA_FP8, &fp8_rows))
            return SKINNY_ERR_UNSUPPORTED_N; /* N has rows, but none for fp8 */
        pick = cell ? pick_one(cell->row, d, dev->cu_count)
                    : skinny_pick_heuristic(rows, count, d, dev->cu_count, heuristic_takes_mma(dev->wave_size));
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
        c.grid = (int)skinny_mma_grid(ceil_div(d->m, skinny_mma_cols(r)), dev->cu_count, r->waves_per_group);
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

