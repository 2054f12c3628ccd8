/* co_arch.h - per-architecture resource figures and the occupancy rules
 * built on them, for AMD (per SIMD / CU) and NVIDIA (per SM). One table for
 * the AMD code-object checks, the cost report and the bandwidth model. */
#ifndef CO_ARCH_H
#define CO_ARCH_H

typedef enum { CO_AMD, CO_NVIDIA } co_vendor;
typedef enum { CO_AGPR_NONE, CO_AGPR_SEPARATE, CO_AGPR_UNIFIED } co_agpr_kind;

typedef struct co_arch {
    const char *name;
    co_vendor vendor;
    int family;              /* AMD: 9, 10, 11, 12; NVIDIA: the sm number (90) */
    int wave;                /* lanes per wave the build runs there */
    /* AMD, per SIMD lane-slot; *_w32 0: no wave32 */
    int total_w32, gran_w32, total_w64, gran_w64;
    int addressable;         /* VGPRs one wave may address */
    co_agpr_kind agpr;
    int max_waves_simd;
    int sgpr_total, sgpr_gran; /* 0: SGPRs never limit (gfx10+) */
    long lds_per_cu;         /* bytes per CU (gfx10+: per WGP, the default mode) */
    /* NVIDIA, per SM */
    long regs_per_sm;
    int reg_gran_warp, max_warps_sm, max_blocks_sm;
    long smem_per_sm, smem_gran, smem_reserved_block;
} co_arch;

/* NULL when the name is unknown. */
const co_arch *co_arch_find(const char *name);
/* Space-separated names of the table, for error messages. */
const char *co_arch_known(void);

/* AMD: VGPRs per SIMD lane-slot and allocation granule for a wave size. */
int co_amd_vgpr_file(const co_arch *a, int wave, int *granule);
/* AMD: waves one SIMD holds, from registers (.vgpr_count already includes
 * AGPRs on gfx90a+; on gfx908 it is max(VGPR, AGPR)). */
int co_amd_waves_per_simd(const co_arch *a, int wave, long vgprs, long sgprs);
/* AMD: the most VGPRs a wave may have when a workgroup of G waves must be
 * resident on SIMDS SIMDs at once. */
long co_amd_vgpr_budget(const co_arch *a, int wave, int simds, long group_waves);
/* AMD: workgroups of G waves resident per CU (gfx10+: per WGP in WGP mode,
 * SIMDS = 4; CU mode: per CU, SIMDS = 2), from registers and LDS. */
int co_amd_groups_per_cu(const co_arch *a, int wave, int simds, long vgprs, long sgprs,
                         long lds_bytes, long group_waves);
/* NVIDIA: blocks of THREADS resident per SM (CUDA occupancy calculator's
 * register, warp, block and shared-memory rules). */
int co_nv_blocks_per_sm(const co_arch *a, long regs, long threads, long smem_bytes);

#endif
