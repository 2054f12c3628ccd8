/* co_amdobj.h - the AMD code objects of a hipcc object, read in process:
 *
 *   row.o (host ELF) --.hip_fatbin--> offload bundle (co_bundle)
 *     --> one device ELF per gfx target
 *     --> its AMDGPU metadata note (co_amdmeta), .text size, and, on
 *         request, its ISA (llvm-objdump -d, co_isa_amd).
 */
#ifndef CO_AMDOBJ_H
#define CO_AMDOBJ_H

#include <stddef.h>

#include "co_amdmeta.h"
#include "co_isa.h"

#define CO_MAX_BUNDLE 64

typedef struct {
    char id[160];              /* bundle entry id */
    char arch[32];             /* gfx90a */
    unsigned char *elf;        /* a copy of the device ELF */
    size_t elf_len;
    long text_bytes;           /* its .text sections */
    co_amd_meta meta;
    int have_isa;
    co_isa isa;
} co_amd_object;

typedef struct {
    int n;
    co_amd_object *o;
} co_amd_objects;

/* The code objects of a file (a hipcc object or a raw bundle). Entries
 * whose metadata cannot be read are an error. 0, or -1 with a reason. */
int co_amd_read(const char *path, co_amd_objects *out, char *err, size_t errlen);
/* The same from memory (tests). */
int co_amd_read_mem(const unsigned char *buf, size_t len, co_amd_objects *out, char *err,
                    size_t errlen);
/* Disassembles one code object with OBJDUMP (llvm-objdump of the clang
 * that built it) and parses the ISA into o->isa. 0, or -1 with a reason
 * (quoting the tool's stderr). */
int co_amd_disassemble(co_amd_object *o, const char *objdump, char *err, size_t errlen);
/* The object of an arch, or NULL. */
co_amd_object *co_amd_find(co_amd_objects *objs, const char *arch);
/* The kernel descriptor (64 bytes at <kernel>.kd) of kernel k; NULL if absent. */
int co_amd_kernel_descriptor(const co_amd_object *o, const co_amd_kernel *k,
                             unsigned char kd[64]);
void co_amd_free(co_amd_objects *objs);

#endif
