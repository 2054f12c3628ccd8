/* skinny_validate.c - argument checks that need no device. Order matters
 * only in that the first failing check names the status. */
#include <stdint.h>

#include "skinny.h"
#include "skinny_internal.h"

static int aligned16(const void *p) { return ((uintptr_t)p & 15u) == 0; }


/* Largest element offset touched, (rows-1)*ld + cols, must fit with room
 * for the byte offset (2 bytes per element) in int64. */
static int extent_ok(int64_t rows, int64_t ld, int64_t cols)
{
    int64_t a, b;
    if (__builtin_mul_overflow(rows - 1, ld, &a)) return 0;
    if (__builtin_add_overflow(a, cols, &b)) return 0;
    return b <= INT64_MAX / 2;
}

skinny_status skinny_validate(const skinny_gemm_desc *d)
{
    if (!d || !d->w || !d->x || !d->y) return SKINNY_ERR_NULL_POINTER;
    if (d->dtype != SKINNY_F16 && d->dtype != SKINNY_BF16) return SKINNY_ERR_BAD_DTYPE;
    if (d->n <= 0 || d->m <= 0 || d->k <= 0) return SKINNY_ERR_BAD_SIZE;
    if (d->k % 8 != 0) return SKINNY_ERR_K_NOT_MULTIPLE_OF_8;

    const int64_t ld_w = skinny_eff_ld(d->ld_w, d->k), ld_x = skinny_eff_ld(d->ld_x, d->k),
                  ld_y = skinny_eff_ld(d->ld_y, d->m);
    if (ld_w < d->k || ld_x < d->k || ld_y < d->m) return SKINNY_ERR_BAD_STRIDE;
    if (!extent_ok(d->m, ld_w, d->k) || !extent_ok(d->n, ld_x, d->k) ||
        !extent_ok(d->n, ld_y, d->m))
        return SKINNY_ERR_OVERFLOW;
    /* W and x are read in 16-byte vectors: every row start 16-byte aligned.
     * y (and bias) are accessed per element: 2-byte alignment suffices, so
     * a packed y with odd M (e.g. 4097) is fine. */
    if (!aligned16(d->w) || !aligned16(d->x) || ld_w % 8 || ld_x % 8 ||
        ((uintptr_t)d->y & 1u) != 0)
        return SKINNY_ERR_MISALIGNED;

    switch (d->bias_kind) {
    case SKINNY_BIAS_NONE:
        if (d->bias) return SKINNY_ERR_BAD_BIAS;
        break;
    case SKINNY_BIAS_M:
        if (!d->bias) return SKINNY_ERR_BAD_BIAS;
        break;
    case SKINNY_BIAS_NM: {
        if (!d->bias) return SKINNY_ERR_BAD_BIAS;
        const int64_t ld_b = skinny_eff_ld(d->ld_bias, d->m);
        if (ld_b < d->m) return SKINNY_ERR_BAD_STRIDE;
        if (!extent_ok(d->n, ld_b, d->m)) return SKINNY_ERR_OVERFLOW;
        break;
    }
    default:
        return SKINNY_ERR_BAD_BIAS;
    }
    if (((uintptr_t)d->bias & 1u) != 0) return SKINNY_ERR_MISALIGNED;
    if (d->flags & ~SKINNY_FLAG_BATCH_INVARIANT) return SKINNY_ERR_BAD_FLAGS;
    return SKINNY_OK;
}

static int known_dtype(skinny_dtype t) { return t == SKINNY_F16 || t == SKINNY_BF16; }

skinny_status skinny_validate_dtypes(const skinny_gemm_desc *d, skinny_dtype w, skinny_dtype x,
                                     skinny_dtype y, skinny_dtype bias)
{
    if (!d) return SKINNY_ERR_NULL_POINTER;
    if (!known_dtype(d->dtype) || !known_dtype(w) || !known_dtype(x) || !known_dtype(y) ||
        (bias != 0 && !known_dtype(bias)))
        return SKINNY_ERR_BAD_DTYPE;
    if (w != d->dtype || x != d->dtype || y != d->dtype || (bias != 0 && bias != d->dtype))
        return SKINNY_ERR_DTYPE_MISMATCH;
    return skinny_validate(d);
}
