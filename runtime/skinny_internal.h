/* skinny_internal.h - declarations shared by the runtime's C files only. */
#ifndef SKINNY_INTERNAL_H
#define SKINNY_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "skinny_row.h"

/* A row stride as used: 0 means packed (the row length). */
static inline int64_t skinny_eff_ld(int64_t ld, int64_t row_len) { return ld == 0 ? row_len : ld; }

/* Is t an fp8 dtype (OCP e4m3 or gfx940 e4m3 fnuz)? */
static inline int skinny_dtype_fp8(skinny_dtype t) { return t == SKINNY_FP8_E4M3 || t == SKINNY_FP8_E4M3_FNUZ; }

/* Does the descriptor carry fp8 weights (MMA_FP8 rows)? */
static inline int skinny_w_fp8(const skinny_gemm_desc *d) { return skinny_dtype_fp8(d->w_dtype); }

/* Does it carry fp8 activations (validated: only with fp8 weights)? */
static inline int skinny_x_fp8(const skinny_gemm_desc *d) { return skinny_dtype_fp8(d->x_dtype); }

/* Does it have an operand in the fnuz format? */
static inline int skinny_fp8_fnuz(const skinny_gemm_desc *d)
{
    return d->w_dtype == SKINNY_FP8_E4M3_FNUZ || d->x_dtype == SKINNY_FP8_E4M3_FNUZ;
}

/* The launcher slot (skinny_row.h) of a validated descriptor: the output
 * dtype, and whether x is fp8. */
static inline int skinny_launch_slot(const skinny_gemm_desc *d)
{
    const int bf16 = d->dtype == SKINNY_BF16;
    if (skinny_x_fp8(d)) return bf16 ? SKINNY_DTYPE_SLOT_X8_BF16 : SKINNY_DTYPE_SLOT_X8_F16;
    return bf16 ? SKINNY_DTYPE_SLOT_BF16 : SKINNY_DTYPE_SLOT_F16;
}

/* skinny_plan, also returning the chosen row (for its launchers). */
skinny_status skinny_plan_row(const skinny_gemm_desc *d, const skinny_device_info *dev,
                              skinny_choice *out, const skinny_row **row);

/* skinny_plan_row with the tile forced to the row named `kernel` (NULL:
 * the dispatcher's own choice). */
skinny_status skinny_plan_named(const skinny_gemm_desc *d, const skinny_device_info *dev,
                                const char *kernel, skinny_choice *out, const skinny_row **row);

/* Current device id and its cached properties. */
skinny_status skinny_current_device(int *device, skinny_device_info *info);

/* SKINNY_OK for NULL (the default stream) or a stream the runtime accepts;
 * SKINNY_ERR_BAD_STREAM for a handle it rejects as invalid. */
skinny_status skinny_check_stream(void *stream);

/* ---- per-device property cache (skinny_devcache.c), GPU-runtime free */

typedef skinny_status (*skinny_devquery_fn)(int device, skinny_device_info *out, void *ctx);

typedef struct skinny_devcache {
    skinny_device_info info[SKINNY_MAX_DEVICES];
    atomic_int ready[SKINNY_MAX_DEVICES];
    pthread_mutex_t lock;
} skinny_devcache;

#define SKINNY_DEVCACHE_INIT {{{0}}, {0}, PTHREAD_MUTEX_INITIALIZER}

/* Properties of `device` from cache c, calling query(device, out, ctx) the
 * first time (at most one successful query per device, whatever the number
 * of threads). SKINNY_ERR_DEVICE for an ordinal outside 0..63 or a query
 * that reports a CU count, wave size or LDS size of 0; a failing query's
 * status is returned and not cached. */
skinny_status skinny_devcache_get(skinny_devcache *c, int device, skinny_devquery_fn query,
                                  void *ctx, skinny_device_info *out);

#endif
