/* co_amdobj.c - see co_amdobj.h. */
#include "co_amdobj.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "co_bundle.h"
#include "co_elf.h"
#include "co_run.h"

int co_amd_read_mem(const unsigned char *buf, size_t len, co_amd_objects *out, char *err,
                    size_t errlen)
{
    memset(out, 0, sizeof *out);
    const unsigned char *b;
    size_t blen;
    if (co_bundle_of_file(buf, len, &b, &blen, err, errlen) != 0) return -1;
    co_bundle_entry ents[CO_MAX_BUNDLE];
    int ne = co_bundle_parse(b, blen, ents, CO_MAX_BUNDLE, err, errlen);
    if (ne < 0) return -1;
    out->o = calloc((size_t)ne, sizeof *out->o);
    if (!out->o) abort();
    for (int i = 0; i < ne; i++) {
        if (!ents[i].arch[0]) continue; /* host entry */
        co_amd_object *o = &out->o[out->n++];
        snprintf(o->id, sizeof o->id, "%s", ents[i].id);
        snprintf(o->arch, sizeof o->arch, "%s", ents[i].arch);
        o->elf = malloc(ents[i].size ? ents[i].size : 1);
        if (!o->elf) abort();
        memcpy(o->elf, ents[i].data, ents[i].size);
        o->elf_len = ents[i].size;
        char why[256];
        if (co_amd_meta_of_elf(o->elf, o->elf_len, &o->meta, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s: %s", o->arch, why);
            co_amd_free(out);
            return -1;
        }
        co_elf *e = co_elf_open(o->elf, o->elf_len, why, sizeof why);
        o->text_bytes = e ? co_elf_sum_sections(e, ".text") : -1;
        co_elf_close(e);
        char tarch[32];
        if (o->meta.target[0] && (co_arch_of_id(o->meta.target, tarch, sizeof tarch) != 0 ||
                                  strcmp(tarch, o->arch) != 0)) {
            snprintf(err, errlen, "%s: amdhsa.target '%s' does not match bundle entry %s",
                     o->arch, o->meta.target, o->id);
            co_amd_free(out);
            return -1;
        }
    }
    if (out->n == 0) {
        snprintf(err, errlen, "no amdgcn code objects in the offload bundle");
        co_amd_free(out);
        return -1;
    }
    return 0;
}

int co_amd_read(const char *path, co_amd_objects *out, char *err, size_t errlen)
{
    size_t len;
    unsigned char *buf = co_read_file(path, &len);
    if (!buf) {
        memset(out, 0, sizeof *out);
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = co_amd_read_mem(buf, len, out, err, errlen);
    free(buf);
    return rc;
}

int co_amd_disassemble(co_amd_object *o, const char *objdump, char *err, size_t errlen)
{
    char *path = co_write_temp(o->elf, o->elf_len, ".co", err, errlen);
    if (!path) return -1;
    char mcpu[64];
    snprintf(mcpu, sizeof mcpu, "--mcpu=%s", o->arch);
    char *argv[] = {(char *)objdump, "-d", mcpu, path, NULL};
    char *out, *stderr_text;
    int rc = co_run_capture(argv, &out, &stderr_text, err, errlen);
    unlink(path);
    free(path);
    if (rc == -2) return -1;
    int ret = -1;
    if (rc != 0 || strstr(stderr_text, "not a recognized processor")) {
        snprintf(err, errlen, "%s -d %s: %s: %.300s", objdump, mcpu,
                 rc != 0 ? "failed" : "does not know this arch (too old?)", stderr_text);
    } else {
        char why[256];
        /* gfx9 counts stores in vmcnt; gfx10+ has a separate vscnt. */
        int stores_in_vmcnt = strncmp(o->arch, "gfx9", 4) == 0;
        if (co_isa_parse_amd(out, stores_in_vmcnt, &o->isa, why, sizeof why) != 0)
            snprintf(err, errlen, "llvm-objdump output line %s", why);
        else if (o->isa.n == 0)
            snprintf(err, errlen, "no function symbols in the llvm-objdump -d output");
        else
            ret = 0, o->have_isa = 1;
    }
    free(out);
    free(stderr_text);
    return ret;
}

co_amd_object *co_amd_find(co_amd_objects *objs, const char *arch)
{
    for (int i = 0; i < objs->n; i++)
        if (!strcmp(objs->o[i].arch, arch)) return &objs->o[i];
    return NULL;
}

int co_amd_kernel_descriptor(const co_amd_object *o, const co_amd_kernel *k, unsigned char kd[64])
{
    char err[128], sym[600];
    snprintf(sym, sizeof sym, "%s", k->symbol[0] ? k->symbol : k->name);
    if (!k->symbol[0]) strncat(sym, ".kd", sizeof sym - strlen(sym) - 1);
    co_elf *e = co_elf_open(o->elf, o->elf_len, err, sizeof err);
    if (!e) return -1;
    const unsigned char *p = co_elf_symbol(e, sym, 64);
    if (p) memcpy(kd, p, 64);
    co_elf_close(e);
    return p ? 0 : -1;
}

void co_amd_free(co_amd_objects *objs)
{
    for (int i = 0; i < objs->n; i++) {
        free(objs->o[i].elf);
        co_isa_free(&objs->o[i].isa);
    }
    free(objs->o);
    objs->o = NULL;
    objs->n = 0;
}
