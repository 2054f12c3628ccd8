/* skinny_select.c - which generated row runs a GEMM, with what grid and
 * LDS band. Pure functions of the shape and the device's properties. */
#include <stdint.h>
#include <string.h>

#include "skinny_internal.h"

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

/* Tile choice: each wave should own about ceil(M / (CUs x waves)) columns.
 * Take the largest YTILE that does not exceed that (fewer, fatter waves
 * only when there is enough work for all CUs), else the smallest YTILE;
 * ties go to the deeper unroll (more loads in flight). */
static const skinny_row *pick_tile(const skinny_row *rows, size_t count, int64_t m, int cu_count)
{
    const int64_t waves = (int64_t)cu_count * rows[0].waves_per_group;
    const int64_t cols = ceil_div(m, waves > 0 ? waves : 1);
    const skinny_row *best = NULL, *smallest = &rows[0];
    for (size_t i = 0; i < count; i++) {
        const skinny_row *r = &rows[i];
        if (r->ytile < smallest->ytile) smallest = r;
        if (r->ytile <= cols &&
            (!best || r->ytile > best->ytile || (r->ytile == best->ytile && r->unroll > best->unroll)))
            best = r;
    }
    return best ? best : smallest;
}

skinny_status skinny_supported(skinny_dtype dtype, int64_t n, int64_t m, int64_t k, int wave_size)
{
    if (dtype != SKINNY_F16 && dtype != SKINNY_BF16) return SKINNY_ERR_BAD_DTYPE;
    if (n <= 0 || m <= 0 || k <= 0) return SKINNY_ERR_BAD_SIZE;
    if (k % 8) return SKINNY_ERR_K_NOT_MULTIPLE_OF_8;
    if (wave_size != 32 && wave_size != 64) return SKINNY_ERR_UNSUPPORTED_WAVE;
    const skinny_row *rows;
    size_t count;
    skinny_status st = rows_of(n, wave_size, &rows, &count);
    if (st != SKINNY_OK) return st;
    const int slot = dtype == SKINNY_F16 ? SKINNY_DTYPE_SLOT_F16 : SKINNY_DTYPE_SLOT_BF16;
    for (size_t i = 0; i < count; i++)
        if (rows[i].launch[slot]) return SKINNY_OK;
    return SKINNY_ERR_UNSUPPORTED_WAVE; /* rows exist but were not built */
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
    const skinny_row *r = NULL;
    if (!kernel) {
        r = pick_tile(rows, count, d->m, dev->cu_count);
    } else {
        for (size_t i = 0; i < count && !r; i++)
            if (strcmp(rows[i].name, kernel) == 0) r = &rows[i];
        if (!r) return named_row_status(kernel, dev->wave_size);
    }

    /* LDS: all of x if it fits (loaded once per workgroup), else a band of
     * K per pass; bands are whole per-iteration chunks when possible so
     * only the last band has a ragged end. */
    const int64_t row_bytes = 2 * d->k;
    int64_t band = d->k;
    if ((int64_t)dev->lds_bytes < d->n * row_bytes) {
        const int64_t chunk = (int64_t)r->wave * 8 * r->unroll;
        band = (int64_t)dev->lds_bytes / (2 * d->n);
        band = band >= chunk ? band / chunk * chunk : band / 8 * 8;
        if (band < 8) return SKINNY_ERR_INSUFFICIENT_LDS;
    }
    const int64_t blocks = ceil_div(d->m, (int64_t)r->waves_per_group * r->ytile);
    out->kernel = r->name;
    out->n = r->n;
    out->wave = r->wave;
    out->waves_per_group = r->waves_per_group;
    out->ytile = r->ytile;
    out->unroll = r->unroll;
    out->grid = (int)(blocks < dev->cu_count ? blocks : dev->cu_count);
    out->band_k = band;
    const int64_t bands = ceil_div(d->k, band);
    out->k_bands = bands > INT32_MAX ? INT32_MAX : (int)bands; /* informational */
    out->lds_bytes = (size_t)(d->n * band * 2);
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

