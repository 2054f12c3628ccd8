/* co_nvres.h - NVIDIA per-kernel resources, from either of the two texts
 * the toolkit prints them in:
 *
 *   cuobjdump -res-usage FILE:
 *     Function _Z...:
 *     REG:128 STACK:0 SHARED:0 LOCAL:0 CONSTANT[0]:600 TEXTURE:0 ...
 *   (the figures may also follow the name on the same line)
 *
 *   nvcc -Xptxas -v (stderr):
 *     ptxas info    : Compiling entry function '_Z...' for 'sm_90'
 *     ptxas info    : Function properties for _Z...
 *         0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
 *     ptxas info    : Used 113 registers, used 1 barriers, 16 bytes smem, ...
 */
#ifndef CO_NVRES_H
#define CO_NVRES_H

#include <stddef.h>

typedef struct {
    char name[512];
    long regs, stack, smem;        /* registers per thread, stack frame, static smem bytes */
    long spill_st, spill_ld;       /* ptxas only; -1 from cuobjdump */
} co_nv_kernel;

/* Both return the number of kernels (at most max), or -1 with
 * "LINE: reason" (or a reason) in err. Device functions that ptxas lists
 * without a "Used N registers" line of their own are left out. */
int co_nv_parse_resusage(const char *text, co_nv_kernel *ks, int max, char *err, size_t errlen);
int co_nv_parse_ptxas(const char *text, co_nv_kernel *ks, int max, char *err, size_t errlen);

#endif
