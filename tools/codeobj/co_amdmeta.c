/* co_amdmeta.c - see co_amdmeta.h. The note is read directly (no
 * llvm-readelf --notes and its YAML rendering). */
#include "co_amdmeta.h"

#include <stdio.h>
#include <string.h>

#include "co_elf.h"
#include "co_msgpack.h"

#define NT_AMDGPU_METADATA 32
#define EM_AMDGPU 224

const char *const co_amd_key_names[CO_NKEYS] = {
    ".vgpr_count", ".sgpr_count", ".agpr_count", ".private_segment_fixed_size",
    ".group_segment_fixed_size", ".wavefront_size", ".max_flat_workgroup_size",
    ".vgpr_spill_count", ".sgpr_spill_count",
};

static void copy_str(char *dst, size_t cap, const mp_obj *o)
{
    size_t n = o->len < cap - 1 ? o->len : cap - 1;
    memcpy(dst, o->s, n);
    dst[n] = '\0';
}

static int kernel(mp_cur *c, co_amd_kernel *k, char *err, size_t errlen)
{
    mp_obj map, key, val;
    memset(k, 0, sizeof *k);
    if (mp_read(c, &map) || map.type != MP_MAP) {
        snprintf(err, errlen, "AMDGPU metadata: a kernel entry is not a map");
        return -1;
    }
    for (uint32_t i = 0; i < map.len; i++) {
        if (mp_read(c, &key) || key.type != MP_STR) goto bad;
        int idx = -1;
        for (int j = 0; j < CO_NKEYS; j++)
            if (mp_str_is(&key, co_amd_key_names[j])) idx = j;
        if (idx >= 0) {
            if (mp_read(c, &val)) goto bad;
            if (val.type != MP_INT || val.i < 0) {
                snprintf(err, errlen,
                         "AMDGPU metadata: %s is not a non-negative integer", co_amd_key_names[idx]);
                return -1;
            }
            k->v[idx] = (long)val.i;
            k->has |= 1u << idx;
        } else if (mp_str_is(&key, ".name") || mp_str_is(&key, ".symbol")) {
            if (mp_read(c, &val) || val.type != MP_STR) goto bad;
            if (key.len == 5) copy_str(k->name, sizeof k->name, &val);
            else copy_str(k->symbol, sizeof k->symbol, &val);
        } else if (mp_skip(c)) {
            goto bad;
        }
    }
    return 0;
bad:
    snprintf(err, errlen, "AMDGPU metadata: malformed MessagePack in a kernel entry");
    return -1;
}

int co_amd_meta_parse(const unsigned char *desc, size_t len, co_amd_meta *m, char *err,
                      size_t errlen)
{
    memset(m, 0, sizeof *m);
    mp_cur c = {desc, desc + len};
    mp_obj top, key, val;
    int seen = 0;
    if (mp_read(&c, &top) || top.type != MP_MAP) {
        snprintf(err, errlen, "AMDGPU metadata is not a MessagePack map (code object v2?)");
        return -1;
    }
    for (uint32_t i = 0; i < top.len; i++) {
        if (mp_read(&c, &key) || key.type != MP_STR) goto bad;
        if (mp_str_is(&key, "amdhsa.kernels")) {
            if (mp_read(&c, &val) || val.type != MP_ARRAY) goto bad;
            if (val.len > CO_AMD_MAX_KERNELS) {
                snprintf(err, errlen, "AMDGPU metadata lists %u kernels (at most %d)", val.len,
                         CO_AMD_MAX_KERNELS);
                return -1;
            }
            for (uint32_t k = 0; k < val.len; k++)
                if (kernel(&c, &m->k[k], err, errlen)) return -1;
            m->nkernels = (int)val.len;
            seen = 1;
        } else if (mp_str_is(&key, "amdhsa.target")) {
            if (mp_read(&c, &val) || val.type != MP_STR) goto bad;
            copy_str(m->target, sizeof m->target, &val);
        } else if (mp_skip(&c)) {
            goto bad;
        }
    }
    if (!seen) {
        snprintf(err, errlen, "no amdhsa.kernels in the AMDGPU metadata");
        return -1;
    }
    if (m->nkernels == 0) {
        snprintf(err, errlen, "amdhsa.kernels lists no kernels");
        return -1;
    }
    return 0;
bad:
    snprintf(err, errlen, "AMDGPU metadata: malformed MessagePack");
    return -1;
}

int co_amd_meta_of_elf(const unsigned char *elf, size_t len, co_amd_meta *m, char *err,
                       size_t errlen)
{
    co_elf *e = co_elf_open(elf, len, err, errlen);
    if (!e) return -1;
    const unsigned char *desc;
    size_t dlen;
    int rc = -1;
    if (co_elf_machine(e) != EM_AMDGPU)
        snprintf(err, errlen, "not an AMDGPU code object (e_machine %d)", co_elf_machine(e));
    else if (co_elf_note(e, "AMDGPU", NT_AMDGPU_METADATA, &desc, &dlen) != 0)
        snprintf(err, errlen, "no AMDGPU metadata note (NT_AMDGPU_METADATA)");
    else
        rc = co_amd_meta_parse(desc, dlen, m, err, errlen);
    co_elf_close(e);
    return rc;
}
