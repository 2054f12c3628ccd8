/* targets.c - hardware figures per target and the occupancy formulas.
 *
 * AMD (per SIMD; the numbers LLVM's AMDGPU backend uses in
 * AMDGPUBaseInfo.cpp: getTotalNumVGPRs, getVGPRAllocGranule,
 * getMaxWavesPerEU, getTotalNumSGPRs, getSGPRAllocGranule):
 *
 *   waves/SIMD = min(max_waves,
 *                    floor(vgpr_total / roundup(vgprs, vgpr_granule)),
 *                    floor(sgpr_total / roundup(sgprs, sgpr_granule)))   [gfx9 only]
 *
 *   gfx90a, gfx940-942: 512 unified VGPRs (arch + AGPRs), granule 8, max 8
 *     waves. The metadata's .vgpr_count there is already the unified count
 *     (alignTo(arch VGPRs, 4) + AGPRs), so it is used as is.
 *   gfx908 (and older gfx9): 256 arch VGPRs, granule 4, max 10 waves.
 *   gfx9 SGPRs: 800 per SIMD, granule 16 (.sgpr_count includes VCC etc.).
 *   gfx10.1 (gfx101x) wave32: 1024 VGPRs, granule 8, max 20 waves.
 *   gfx10.3 (gfx103x) wave32: 1024 VGPRs, granule 16, max 16 waves.
 *   gfx10+: every wave gets its SGPRs; they never limit occupancy.
 *
 * Static LDS is 0 for these kernels (x is staged in dynamic LDS whose size
 * depends on K), so LDS is not in the formula: the report gives the
 * register-limited occupancy, an upper bound for any K.
 *
 * NVIDIA (per SM; the CUDA occupancy calculator's register rule):
 *
 *   regs/warp  = roundup(regs_per_thread * 32, 256)
 *   blocks/SM  = min(max_blocks, floor(max_warps / warps_per_block),
 *                    floor(floor(65536 / regs/warp) / warps_per_block))
 *   warps/SM   = blocks/SM * warps_per_block, warps_per_block = block / 32
 *
 *   sm_80, sm_90: max 64 warps, 32 blocks; sm_86: 48 warps, 16 blocks;
 *   sm_89: 48 warps, 24 blocks. Dynamic shared memory is again left out.
 */
#include "targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

int target_lookup(const char *name, cost_target *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (strlen(name) >= sizeof t->name) {
        snprintf(err, errlen, "target name '%s' is too long", name);
        return -1;
    }
    strcpy(t->name, name);
    if (has_prefix(name, "gfx")) {
        t->kind = KIND_AMD;
        if (!strcmp(name, "gfx90a") || !strcmp(name, "gfx940") || !strcmp(name, "gfx941") ||
            !strcmp(name, "gfx942")) {
            t->wave = 64, t->vgpr_total = 512, t->vgpr_granule = 8, t->max_waves_simd = 8;
            t->sgpr_total = 800, t->sgpr_granule = 16;
        } else if (!strcmp(name, "gfx900") || !strcmp(name, "gfx906") || !strcmp(name, "gfx908")) {
            t->wave = 64, t->vgpr_total = 256, t->vgpr_granule = 4, t->max_waves_simd = 10;
            t->sgpr_total = 800, t->sgpr_granule = 16;
        } else if (has_prefix(name, "gfx101") && strlen(name) == 7) {
            t->wave = 32, t->vgpr_total = 1024, t->vgpr_granule = 8, t->max_waves_simd = 20;
        } else if (has_prefix(name, "gfx103") && strlen(name) == 7) {
            t->wave = 32, t->vgpr_total = 1024, t->vgpr_granule = 16, t->max_waves_simd = 16;
        } else {
            snprintf(err, errlen,
                     "no register-file figures for AMD target '%s' (known: gfx900 gfx906 gfx908 "
                     "gfx90a gfx940 gfx941 gfx942 gfx101x gfx103x; add it in tools/cost/targets.c)",
                     name);
            return -1;
        }
        return 0;
    }
    int sm = 0, used = 0;
    if (sscanf(name, "sm_%d%n", &sm, &used) == 1 && name[used] == '\0') {
        t->kind = KIND_NVIDIA, t->wave = 32, t->sm = sm;
        t->regs_per_sm = 65536, t->reg_granule_warp = 256;
        switch (sm) {
        case 80: case 90: t->max_warps_sm = 64, t->max_blocks_sm = 32; return 0;
        case 86: t->max_warps_sm = 48, t->max_blocks_sm = 16; return 0;
        case 89: t->max_warps_sm = 48, t->max_blocks_sm = 24; return 0;
        default: break;
        }
    }
    snprintf(err, errlen,
             "unknown target '%s' (AMD: gfx..., e.g. gfx90a; NVIDIA: sm_80, sm_86, sm_89, sm_90)",
             name);
    return -1;
}

static long roundup(long v, long g) { return (v + g - 1) / g * g; }
static long lmin(long a, long b) { return a < b ? a : b; }

long amd_waves_per_simd(const cost_target *t, long vgprs, long sgprs)
{
    long w = t->max_waves_simd;
    w = lmin(w, t->vgpr_total / roundup(vgprs > 0 ? vgprs : 1, t->vgpr_granule));
    if (t->sgpr_total) w = lmin(w, t->sgpr_total / roundup(sgprs > 0 ? sgprs : 1, t->sgpr_granule));
    return w;
}

long nv_warps_per_sm(const cost_target *t, long regs, long threads_per_block)
{
    const long warps_per_block = (threads_per_block + 31) / 32;
    const long regs_per_warp = roundup((regs > 0 ? regs : 1) * 32, t->reg_granule_warp);
    long blocks = t->max_blocks_sm;
    blocks = lmin(blocks, t->max_warps_sm / warps_per_block);
    blocks = lmin(blocks, (t->regs_per_sm / regs_per_warp) / warps_per_block);
    return blocks * warps_per_block;
}

int row_built_for(const cost_row *row, const cost_target *t)
{
    if (row->wave != t->wave) return 0;
    if (!row->mma) return 1;
    if (t->kind == KIND_NVIDIA) return t->sm >= 80;
    static const char *const mfma[] = {"gfx908", "gfx90a", "gfx940", "gfx941", "gfx942", "gfx950"};
    for (size_t i = 0; i < sizeof mfma / sizeof mfma[0]; i++)
        if (!strcmp(t->name, mfma[i])) return 1;
    return 0;
}
