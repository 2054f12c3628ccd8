/* co_arch.c - the figures and rules of co_arch.h.
 *
 * AMD: the numbers LLVM's AMDGPU backend uses to decide how many VGPRs a
 * kernel may allocate for an occupancy (llvm/lib/Target/AMDGPU/Utils/
 * AMDGPUBaseInfo.cpp: getTotalNumVGPRs, getVGPRAllocGranule,
 * getAddressableNumVGPRs, getMaxWavesPerEU, getTotalNumSGPRs,
 * getSGPRAllocGranule), matching the ISA manuals:
 *  - GCN gfx900..gfx906: 256 VGPRs per SIMD lane (64 KiB / 64 lanes / 4 B),
 *    granule 4; 10 waves per SIMD; 800 SGPRs per SIMD, granule 16.
 *  - CDNA1 gfx908: 256 arch VGPRs plus a separate 256-entry AGPR file;
 *    .vgpr_count is max(VGPRs, AGPRs), granule 4.
 *  - CDNA2/3 gfx90a, gfx940-942: one unified 512-entry file per lane
 *    (VGPRs then AGPRs); .vgpr_count is already alignTo(VGPRs, 4) + AGPRs;
 *    granule 8; 8 waves per SIMD.
 *  - RDNA1 gfx101x: 1024 VGPRs per SIMD lane-slot in wave32, 512 in wave64;
 *    granule 8 / 4; 20 waves. RDNA2 gfx103x: granule 16 / 8; 16 waves.
 *  - RDNA3 gfx1100/1101, RDNA3.5 gfx1151, RDNA4 gfx1200/1201: 1.5x file,
 *    1536 / 768, granule 24 / 12; gfx1102/1103/1150: as RDNA2. 16 waves.
 *  - gfx10+: every wave gets its SGPRs; they never limit occupancy.
 *  - LDS: 64 KiB per CU on gfx9 (CDNA3 keeps 64 KiB), 128 KiB per WGP on
 *    gfx10+ (a workgroup still sees at most 64 KiB).
 * A workgroup must be resident on one CU (gfx9: 4 SIMDs) or, on gfx10+,
 * one WGP (4 SIMDs, the default "WGP mode") or one CU (2 SIMDs, -mcumode).
 *
 * NVIDIA (CUDA C Programming Guide, "Compute Capabilities" table, and the
 * occupancy calculator's allocation rules): 65536 registers per SM,
 * allocated per warp in units of 256; sm_80/sm_90: 64 warps and 32 blocks
 * per SM; shared memory per SM 164 KiB (sm_80) / 228 KiB (sm_90), allocated
 * in 128-byte units, and 1 KiB of it reserved per resident block. */
#include "co_arch.h"

#include <string.h>

#define AMD9(n, t, g, ag, w) \
    {n, CO_AMD, 9, 64, 0, 0, t, g, t, ag, w, 800, 16, 65536, 0, 0, 0, 0, 0, 0, 0}
#define AMD10(n, fam, t32, g32, t64, g64, w) \
    {n, CO_AMD, fam, 32, t32, g32, t64, g64, 256, CO_AGPR_NONE, w, 0, 0, 131072, 0, 0, 0, 0, 0, 0, 0}
#define NV(n, sm, warps, blocks, smem) \
    {n, CO_NVIDIA, sm, 32, 0, 0, 0, 0, 255, CO_AGPR_NONE, 0, 0, 0, 0, 65536, 256, warps, blocks, smem, 128, 1024}

static const co_arch table[] = {
    AMD9("gfx900", 256, 4, CO_AGPR_NONE, 10),
    AMD9("gfx902", 256, 4, CO_AGPR_NONE, 10),
    AMD9("gfx904", 256, 4, CO_AGPR_NONE, 10),
    AMD9("gfx906", 256, 4, CO_AGPR_NONE, 10),
    AMD9("gfx909", 256, 4, CO_AGPR_NONE, 10),
    AMD9("gfx90c", 256, 4, CO_AGPR_NONE, 10),
    AMD9("gfx908", 256, 4, CO_AGPR_SEPARATE, 10),
    AMD9("gfx90a", 512, 8, CO_AGPR_UNIFIED, 8),
    AMD9("gfx940", 512, 8, CO_AGPR_UNIFIED, 8),
    AMD9("gfx941", 512, 8, CO_AGPR_UNIFIED, 8),
    AMD9("gfx942", 512, 8, CO_AGPR_UNIFIED, 8),
    AMD10("gfx1010", 10, 1024, 8, 512, 4, 20),
    AMD10("gfx1011", 10, 1024, 8, 512, 4, 20),
    AMD10("gfx1012", 10, 1024, 8, 512, 4, 20),
    AMD10("gfx1013", 10, 1024, 8, 512, 4, 20),
    AMD10("gfx1030", 10, 1024, 16, 512, 8, 16),
    AMD10("gfx1031", 10, 1024, 16, 512, 8, 16),
    AMD10("gfx1032", 10, 1024, 16, 512, 8, 16),
    AMD10("gfx1033", 10, 1024, 16, 512, 8, 16),
    AMD10("gfx1034", 10, 1024, 16, 512, 8, 16),
    AMD10("gfx1035", 10, 1024, 16, 512, 8, 16),
    AMD10("gfx1036", 10, 1024, 16, 512, 8, 16),
    AMD10("gfx1100", 11, 1536, 24, 768, 12, 16),
    AMD10("gfx1101", 11, 1536, 24, 768, 12, 16),
    AMD10("gfx1102", 11, 1024, 16, 512, 8, 16),
    AMD10("gfx1103", 11, 1024, 16, 512, 8, 16),
    AMD10("gfx1150", 11, 1024, 16, 512, 8, 16),
    AMD10("gfx1151", 11, 1536, 24, 768, 12, 16),
    AMD10("gfx1200", 12, 1536, 24, 768, 12, 16),
    AMD10("gfx1201", 12, 1536, 24, 768, 12, 16),
    NV("sm_80", 80, 64, 32, 167936),
    NV("sm_86", 86, 48, 16, 102400),
    NV("sm_89", 89, 48, 24, 102400),
    NV("sm_90", 90, 64, 32, 233472),
};

const co_arch *co_arch_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].name, name)) return &table[i];
    return NULL;
}

const char *co_arch_known(void)
{
    static char buf[512];
    if (!buf[0])
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
            if (i) strcat(buf, " ");
            strcat(buf, table[i].name);
        }
    return buf;
}

static long roundup(long v, long g) { return (v + g - 1) / g * g; }
static long lmin(long a, long b) { return a < b ? a : b; }

int co_amd_vgpr_file(const co_arch *a, int wave, int *granule)
{
    *granule = wave == 32 ? a->gran_w32 : a->gran_w64;
    return wave == 32 ? a->total_w32 : a->total_w64;
}

int co_amd_waves_per_simd(const co_arch *a, int wave, long vgprs, long sgprs)
{
    int gran, total = co_amd_vgpr_file(a, wave, &gran);
    if (total == 0) return 0;
    long w = lmin(a->max_waves_simd, total / roundup(vgprs > 0 ? vgprs : 1, gran));
    if (a->sgpr_total) w = lmin(w, a->sgpr_total / roundup(sgprs > 0 ? sgprs : 1, a->sgpr_gran));
    return (int)w;
}

long co_amd_vgpr_budget(const co_arch *a, int wave, int simds, long group_waves)
{
    int gran, total = co_amd_vgpr_file(a, wave, &gran);
    long per_simd = (group_waves + simds - 1) / simds;
    if (total == 0 || per_simd > a->max_waves_simd) return 0;
    long b = total / per_simd / gran * gran;
    return lmin(b, a->addressable);
}

int co_amd_groups_per_cu(const co_arch *a, int wave, int simds, long vgprs, long sgprs,
                         long lds_bytes, long group_waves)
{
    long per_simd = (group_waves + simds - 1) / simds;
    long g = co_amd_waves_per_simd(a, wave, vgprs, sgprs) / per_simd;
    /* CU mode on gfx10+ has half the WGP's LDS. */
    long lds = a->family >= 10 && simds == 2 ? a->lds_per_cu / 2 : a->lds_per_cu;
    if (lds_bytes > 0) g = lmin(g, lds / lds_bytes);
    return (int)g;
}

int co_nv_blocks_per_sm(const co_arch *a, long regs, long threads, long smem_bytes)
{
    const long warps = (threads + 31) / 32;
    const long regs_warp = roundup((regs > 0 ? regs : 1) * 32, a->reg_gran_warp);
    long b = lmin(a->max_blocks_sm, a->max_warps_sm / warps);
    /* Registers are handed out per warp: whole warps' worth per SM. */
    b = lmin(b, (a->regs_per_sm / regs_warp) / warps);
    long smem = roundup(smem_bytes, a->smem_gran) + a->smem_reserved_block;
    b = lmin(b, a->smem_per_sm / smem);
    return (int)b;
}
