/* amd.c - AMD figures from the code object inside a hipcc object, read by
 * tools/codeobj: the offload bundle in .hip_fatbin, the device ELF of the
 * target's arch, its .text size, the AMDGPU metadata note (one entry per
 * kernel) and, from llvm-objdump -d, the 16-byte loads in flight. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "co_amdobj.h"
#include "compile.h"
#include "targets.h"

void amd_figures(const toolset *ts, const cost_target *t, const cost_row *row, const char *obj,
                 const char *prefix, cost_cell *c)
{
    (void)prefix;
    co_amd_objects objs;
    char err[512];
    if (co_amd_read(obj, &objs, err, sizeof err) != 0) die("%s: %s", obj, err);
    co_amd_object *o = co_amd_find(&objs, t->name);
    if (!o) die("%s: no %s code object in its offload bundle", obj, t->name);
    c->code_object_bytes = (long)o->elf_len;
    c->text_bytes = o->text_bytes;
    if (c->text_bytes <= 0) die("%s: the %s code object has no .text section", obj, t->name);

    if (co_amd_disassemble(o, ts->objdump, err, sizeof err) != 0)
        die("%s (%s): %s", obj, t->name, err);

    c->nkernels = 0;
    for (int i = 0; i < o->meta.nkernels; i++) {
        const co_amd_kernel *mk = &o->meta.k[i];
        if (!kernel_listed(mk->name)) continue;
        for (int j = 0; j < CO_NKEYS; j++)
            if (j != CO_AGPR && !(mk->has >> j & 1u))
                die("%s (%s): kernel %s has no %s in its AMDGPU metadata", obj, t->name,
                    mk->name[0] ? mk->name : "?", co_amd_key_names[j]);
        const char *dt = kernel_dtype(mk->name);
        if (!dt) die("%s (%s): kernel '%s' is not a skinny kernel<f16|bf16>", obj, t->name, mk->name);
        if (c->nkernels == 2) die("%s (%s): more than two kernels", obj, t->name);
        if (mk->v[CO_WAVE] != t->wave)
            die("%s (%s): kernel %s has .wavefront_size %ld, %s runs wave%d", obj, t->name,
                mk->name, mk->v[CO_WAVE], t->name, t->wave);
        cost_kernel *k = &c->k[c->nkernels++];
        snprintf(k->dtype, sizeof k->dtype, "%s", dt);
        k->registers = mk->v[CO_VGPR];
        k->sgpr = mk->v[CO_SGPR];
        k->agpr = mk->has >> CO_AGPR & 1u ? mk->v[CO_AGPR] : -1;
        k->scratch_bytes = mk->v[CO_PRIVATE];
        k->vgpr_spills = mk->v[CO_VSPILL];
        k->sgpr_spills = mk->v[CO_SSPILL];
        k->spill_store_bytes = k->spill_load_bytes = -1;
        k->static_lds_bytes = mk->v[CO_GROUP];
        k->max_workgroup = mk->v[CO_MAXWG];
        k->occupancy = amd_waves_per_simd(t, k->registers, k->sgpr);
        const co_fn *f = co_isa_find(&o->isa, mk->name);
        if (!f) die("%s (%s): no disassembly for kernel %s", obj, t->name, mk->name);
        k->mlp = f->mlp;
    }
    co_amd_free(&objs);
    cell_check_kernels(c, row, t);
}
