/* skinny_gemm.c - the public launch path: validate, plan, launch. */
#include "skinny_internal.h"
#include "skinny_port.h"

/* The launch args' fp8_format_scale: 1/2 per fnuz operand (exact; the
 * kernels' decode reads fnuz bytes as twice their value), else 1. */
static float fp8_format_scale(const skinny_gemm_desc *d)
{
    float f = 1.0f;
    if (d->w_dtype == SKINNY_FP8_E4M3_FNUZ) f *= SKINNY_FP8_FNUZ_READ_SCALE;
    if (d->x_dtype == SKINNY_FP8_E4M3_FNUZ) f *= SKINNY_FP8_FNUZ_READ_SCALE;
    return f;
}

skinny_status skinny_gemm_named(const skinny_gemm_desc *d, const char *kernel, void *stream,
                                skinny_choice *choice)
{
    skinny_status st = skinny_validate(d);
    if (st != SKINNY_OK) return st;
    int device;
    skinny_device_info dev;
    st = skinny_current_device(&device, &dev);
    if (st != SKINNY_OK) return st;
    skinny_choice c;
    const skinny_row *row;
    st = skinny_plan_named(d, &dev, kernel, &c, &row);
    if (st != SKINNY_OK) return st;
    if (c.lds_bytes > dev.lds_bytes) return SKINNY_ERR_INSUFFICIENT_LDS;
    const skinny_launch_fn launch = row->launch[skinny_launch_slot(d)];
    if (!launch) {
        /* fp8 x on a row built for 16-bit x only: say that, not "wave". */
        if (skinny_x_fp8(d) && row->launch[d->dtype == SKINNY_BF16 ? SKINNY_DTYPE_SLOT_BF16 : SKINNY_DTYPE_SLOT_F16])
            return SKINNY_ERR_NO_FP8_X_KERNEL;
        return SKINNY_ERR_UNSUPPORTED_WAVE;
    }
    st = skinny_check_stream(stream);
    if (st != SKINNY_OK) return st;

    skinny_launch_args a;
    a.w = d->w;
    a.x = d->x;
    a.y = d->y;
    a.bias = d->bias_kind == SKINNY_BIAS_NONE ? NULL : d->bias;
    a.m = d->m;
    a.k = d->k;
    a.ld_w = skinny_eff_ld(d->ld_w, d->k);
    a.ld_x = skinny_eff_ld(d->ld_x, d->k);
    a.ld_y = skinny_eff_ld(d->ld_y, d->m);
    a.ld_bias = skinny_eff_ld(d->ld_bias, d->m);
    a.bias_kind = (int)d->bias_kind;
    a.grid = c.grid;
    a.active_waves = c.active_waves;
    a.device = device;
    a.band_k = c.band_k;
    a.lds_bytes = c.lds_bytes;
    a.stream = stream;
    a.w_scale = d->w_scale;         /* NULL unless fp8 weights (validated) */
    a.w_row_scale = d->w_row_scale;
    a.x_scale = d->x_scale;         /* NULL unless fp8 activations (validated) */
    a.fp8_format_scale = fp8_format_scale(d); /* fnuz only where planned: HIP */
    st = launch(&a);
    if (st == SKINNY_OK && choice) *choice = c;
    return st;
}

skinny_status skinny_gemm_ex(const skinny_gemm_desc *d, void *stream, skinny_choice *choice)
{
    return skinny_gemm_named(d, NULL, stream, choice);
}

skinny_status skinny_gemm(const skinny_gemm_desc *d, void *stream)
{
    return skinny_gemm_ex(d, stream, NULL);
}
