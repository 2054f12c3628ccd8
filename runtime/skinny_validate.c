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

static int aligned4(const void *p) { return ((uintptr_t)p & 3u) == 0; }
static int known_dtype(skinny_dtype t) { return t == SKINNY_F16 || t == SKINNY_BF16 || skinny_dtype_fp8(t); }

/* Weight and activation dtypes against the output dtype, and the scales
 * that go with them (issue 12). */
static skinny_status check_dtypes(const skinny_gemm_desc *d)
{
    if (!known_dtype(d->dtype) || (d->w_dtype && !known_dtype(d->w_dtype)) ||
        (d->x_dtype && !known_dtype(d->x_dtype)))
        return SKINNY_ERR_BAD_DTYPE;
    /* Output (and bias) fp16 or bf16; W of the output's type or fp8 (e4m3
     * or e4m3 fnuz); x of the output's type, or fp8 with fp8 W (formats in
     * any mix: each operand is decoded on its own). Whether this build's
     * kernels read fnuz is the planner's question, not the descriptor's. */
    if (skinny_dtype_fp8(d->dtype)) return SKINNY_ERR_DTYPE_COMBINATION;
    if (d->w_dtype && d->w_dtype != d->dtype && !skinny_w_fp8(d))
        return SKINNY_ERR_DTYPE_COMBINATION;
    if (skinny_x_fp8(d) ? !skinny_w_fp8(d) : d->x_dtype && d->x_dtype != d->dtype)
        return SKINNY_ERR_DTYPE_COMBINATION;
    if (skinny_w_fp8(d)) {
        if (!d->w_scale) return SKINNY_ERR_MISSING_SCALE;
        if (!aligned4(d->w_scale) || !aligned4(d->w_row_scale)) return SKINNY_ERR_MISALIGNED_SCALE;
    } else if (d->w_scale || d->w_row_scale) {
        return SKINNY_ERR_UNEXPECTED_SCALE; /* would be ignored: say so */
    }
    if (skinny_x_fp8(d)) {
        if (!d->x_scale) return SKINNY_ERR_MISSING_SCALE;
        if (!aligned4(d->x_scale)) return SKINNY_ERR_MISALIGNED_SCALE;
    } else if (d->x_scale) {
        return SKINNY_ERR_UNEXPECTED_SCALE;
    }
    return SKINNY_OK;
}

skinny_status skinny_validate(const skinny_gemm_desc *d)
{
    if (!d || !d->w || !d->x || !d->y) return SKINNY_ERR_NULL_POINTER;
    skinny_status st = check_dtypes(d);
    if (st != SKINNY_OK) return st;
    if (d->n <= 0 || d->m <= 0 || d->k <= 0) return SKINNY_ERR_BAD_SIZE;
    if (d->k % 8 != 0) return SKINNY_ERR_K_NOT_MULTIPLE_OF_8;

    const int64_t ld_w = skinny_eff_ld(d->ld_w, d->k), ld_x = skinny_eff_ld(d->ld_x, d->k),
                  ld_y = skinny_eff_ld(d->ld_y, d->m);
    if (ld_w < d->k || ld_x < d->k || ld_y < d->m) return SKINNY_ERR_BAD_STRIDE;
    if (!extent_ok(d->m, ld_w, d->k) || !extent_ok(d->n, ld_x, d->k) ||
        !extent_ok(d->n, ld_y, d->m))
        return SKINNY_ERR_OVERFLOW;
    /* W and x are read in 16-byte vectors: every row start 16-byte aligned
     * (fp8 W or x: 16 elements per vector, so ld_w or ld_x % 16).
     * y (and bias) are accessed per element: 2-byte alignment suffices, so
     * a packed y with odd M (e.g. 4097) is fine. */
    if (!aligned16(d->w) || !aligned16(d->x) || ld_w % (skinny_w_fp8(d) ? 16 : 8) ||
        ld_x % (skinny_x_fp8(d) ? 16 : 8) ||
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

skinny_status skinny_validate_dtypes(const skinny_gemm_desc *d, skinny_dtype w, skinny_dtype x,
                                     skinny_dtype y, skinny_dtype bias)
{
    if (!d) return SKINNY_ERR_NULL_POINTER;
    if (!known_dtype(d->dtype) || !known_dtype(w) || !known_dtype(x) || !known_dtype(y) ||
        (bias != 0 && !known_dtype(bias)))
        return SKINNY_ERR_BAD_DTYPE;
    /* w and x against the descriptor's own w_dtype / x_dtype (0: dtype). */
    const skinny_dtype dw = d->w_dtype ? d->w_dtype : d->dtype, dx = d->x_dtype ? d->x_dtype : d->dtype;
    if (w != dw || x != dx || y != d->dtype || (bias != 0 && bias != d->dtype))
        return SKINNY_ERR_DTYPE_MISMATCH;
    return skinny_validate(d);
}
