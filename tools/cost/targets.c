/* targets.c - compile targets by name. The hardware figures and the
 * occupancy rules are tools/codeobj's (co_arch.c says where each number
 * comes from); here they are applied to the report's cells:
 *
 *   AMD: waves per SIMD from the kernel's VGPRs and SGPRs (register-limited,
 *        an upper bound for any K: the dynamic LDS these kernels stage x in
 *        depends on K, so LDS is left out).
 *   NVIDIA: warps per SM for the row's block, registers and static smem.
 */
#include "targets.h"

#include <stdio.h>
#include <string.h>

#include "co_arch.h"

int target_lookup(const char *name, cost_target *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (strlen(name) >= sizeof t->name) {
        snprintf(err, errlen, "target name '%s' is too long", name);
        return -1;
    }
    strcpy(t->name, name);
    const co_arch *a = co_arch_find(name);
    if (!a) {
        snprintf(err, errlen, "unknown target '%s' (known: %s; add it in tools/codeobj/co_arch.c)",
                 name, co_arch_known());
        return -1;
    }
    t->arch = a;
    t->kind = a->vendor == CO_AMD ? KIND_AMD : KIND_NVIDIA;
    t->wave = a->wave;
    t->sm = a->vendor == CO_NVIDIA ? a->family : 0;
    return 0;
}

long amd_waves_per_simd(const cost_target *t, long vgprs, long sgprs)
{
    return co_amd_waves_per_simd(t->arch, t->wave, vgprs, sgprs);
}

long nv_warps_per_sm(const cost_target *t, long regs, long threads_per_block, long smem)
{
    return (long)co_nv_blocks_per_sm(t->arch, regs, threads_per_block, smem) *
           ((threads_per_block + 31) / 32);
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
