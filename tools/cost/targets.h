/* targets.h - compile targets by name, and their occupancy (tools/codeobj). */
#ifndef COST_TARGETS_H
#define COST_TARGETS_H

#include "cost.h"

/* Fill *t for "gfx90a", "sm_90", ...; 0 on success, -1 (message in err)
 * for a name this tool has no hardware figures for. */
int target_lookup(const char *name, cost_target *t, char *err, size_t errlen);

/* Occupancy that follows from a kernel's registers (see targets.c). */
long amd_waves_per_simd(const cost_target *t, long vgprs, long sgprs);
long nv_warps_per_sm(const cost_target *t, long regs_per_thread, long threads_per_block,
                     long smem_bytes);

#endif
