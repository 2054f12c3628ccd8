/* launch.c - see launch.h. */
#include "launch.h"

#include <stdio.h>
#include <string.h>

#include "co_names.h"
#include "skinny_internal.h"

/* Largest LDS / shared memory one workgroup may use, as the runtime's
 * device query reports it: 64 KiB on AMD; 227 KiB opt-in on sm_90. */
static size_t lds_limit(const model_gpu *g)
{
    return g->arch->vendor == CO_AMD ? 65536 : (size_t)g->arch->smem_per_sm - 1024;
}

int launch_plan(const model_gpu *g, const char *kernel, int64_t n, int64_t m, int64_t k,
                model_kernel *mk, char *err, size_t errlen)
{
    /* Validation wants 16-byte aligned, non-NULL pointers; nothing is read. */
    static _Alignas(16) char dummy[16];
    skinny_gemm_desc d;
    memset(&d, 0, sizeof d);
    d.dtype = SKINNY_BF16;
    d.n = n, d.m = m, d.k = k;
    d.w = d.x = dummy;
    d.y = dummy;
    if (co_row_of_name(kernel).fp8) { /* MMA_FP8 rows plan only fp8 weights */
        d.w_dtype = SKINNY_FP8_E4M3;
        d.w_scale = (const float *)(const void *)dummy;
    }
    skinny_device_info dev;
    memset(&dev, 0, sizeof dev);
    dev.cu_count = g->units;
    dev.wave_size = g->arch->wave;
    dev.lds_bytes = lds_limit(g);
    skinny_choice c;
    skinny_status st = skinny_plan_named(&d, &dev, kernel, &c, NULL);
    if (st != SKINNY_OK) {
        snprintf(err, errlen, "planner: %s", skinny_status_string(st));
        return -1;
    }
    /* The work split the loop terms need (littles.h): a TILE workgroup
     * owns active waves x ytile columns per round and goes on without a
     * barrier; an MMA one owns 16 x mtiles and reduces through LDS between
     * barriers; fp8 weights are one byte. */
    co_row r = co_row_of_name(kernel);
    mk->m = m, mk->k = k;
    mk->round_cols = r.mma ? 16 * r.ytile : (long)c.active_waves * r.ytile;
    mk->weight_bytes = r.fp8 ? 1 : 2;
    mk->round_barrier = r.mma;
    mk->grid = c.grid;
    mk->waves_per_group = c.waves_per_group;
    mk->active_waves = c.active_waves;
    mk->lds_bytes = (long)c.lds_bytes;
    return 0;
}
