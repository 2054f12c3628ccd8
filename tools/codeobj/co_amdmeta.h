/* co_amdmeta.h - per-kernel figures from the AMDGPU metadata note
 * (NT_AMDGPU_METADATA, owner "AMDGPU", code object v3+: a MessagePack map
 * with "amdhsa.kernels", an array of one map per kernel, and
 * "amdhsa.target"). See llvm.org/docs/AMDGPUUsage.html, "Code Object V3
 * Metadata". */
#ifndef CO_AMDMETA_H
#define CO_AMDMETA_H

#include <stddef.h>

enum {
    CO_VGPR, CO_SGPR, CO_AGPR, CO_PRIVATE, CO_GROUP, CO_WAVE, CO_MAXWG, CO_VSPILL, CO_SSPILL,
    CO_NKEYS
};
/* ".vgpr_count", ... in the order above. */
extern const char *const co_amd_key_names[CO_NKEYS];

#define CO_AMD_MAX_KERNELS 16

typedef struct {
    char name[512];
    char symbol[520]; /* ".symbol": the kernel descriptor, "<name>.kd" */
    long v[CO_NKEYS];
    unsigned has;     /* bit i: key i was present */
} co_amd_kernel;

typedef struct {
    char target[128]; /* amdhsa.target, "" if absent */
    int nkernels;
    co_amd_kernel k[CO_AMD_MAX_KERNELS];
} co_amd_meta;

/* Decodes the note's descriptor. 0, or -1 with a reason (not MessagePack,
 * no amdhsa.kernels, a figure that is not a non-negative integer, too many
 * kernels). Missing keys are left to the caller (see has). */
int co_amd_meta_parse(const unsigned char *desc, size_t len, co_amd_meta *m, char *err,
                      size_t errlen);
/* The note of an AMDGPU code object (an ELF64 image), decoded. */
int co_amd_meta_of_elf(const unsigned char *elf, size_t len, co_amd_meta *m, char *err,
                       size_t errlen);

#endif
