/* co_elf.c - see co_elf.h. libelf does the header and table walking; what
 * is left here is choosing sections and symbols by name. */
#include "co_elf.h"

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct co_elf {
    Elf *elf;
    size_t shstrndx;
};

co_elf *co_elf_open(const void *buf, size_t len, char *err, size_t errlen)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
        return NULL;
    }
    /* elf_memory takes a char * but only reads an image opened this way. */
    Elf *elf = elf_memory((char *)(size_t)buf, len);
    if (!elf || elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64) {
        snprintf(err, errlen, "not an ELF64 file");
        if (elf) elf_end(elf);
        return NULL;
    }
    size_t shstrndx;
    if (elf_getshdrstrndx(elf, &shstrndx) != 0) {
        snprintf(err, errlen, "ELF without a section-name table: %s", elf_errmsg(-1));
        elf_end(elf);
        return NULL;
    }
    co_elf *e = malloc(sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        elf_end(elf);
        return NULL;
    }
    e->elf = elf;
    e->shstrndx = shstrndx;
    return e;
}

void co_elf_close(co_elf *e)
{
    if (!e) return;
    elf_end(e->elf);
    free(e);
}

int co_elf_machine(const co_elf *e)
{
    GElf_Ehdr eh;
    return gelf_getehdr(e->elf, &eh) ? eh.e_machine : -1;
}

static const char *scn_name(const co_elf *e, Elf_Scn *s, GElf_Shdr *sh)
{
    if (!gelf_getshdr(s, sh)) return NULL;
    return elf_strptr(e->elf, e->shstrndx, sh->sh_name);
}

int co_elf_section(const co_elf *e, const char *name, const unsigned char **data, size_t *size)
{
    for (Elf_Scn *s = elf_nextscn(e->elf, NULL); s; s = elf_nextscn(e->elf, s)) {
        GElf_Shdr sh;
        const char *n = scn_name(e, s, &sh);
        if (!n || strcmp(n, name) != 0) continue;
        Elf_Data *d = elf_rawdata(s, NULL);
        if (sh.sh_type == SHT_NOBITS || !d || !d->d_buf) return -1;
        *data = d->d_buf;
        *size = d->d_size;
        return 0;
    }
    return -1;
}

long co_elf_sum_sections(const co_elf *e, const char *name)
{
    long total = 0;
    size_t n = strlen(name);
    for (Elf_Scn *s = elf_nextscn(e->elf, NULL); s; s = elf_nextscn(e->elf, s)) {
        GElf_Shdr sh;
        const char *nm = scn_name(e, s, &sh);
        if (nm && strncmp(nm, name, n) == 0 && (nm[n] == '\0' || nm[n] == '.'))
            total += (long)sh.sh_size;
    }
    return total;
}

const unsigned char *co_elf_symbol(const co_elf *e, const char *name, size_t want)
{
    for (Elf_Scn *s = elf_nextscn(e->elf, NULL); s; s = elf_nextscn(e->elf, s)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(s, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
            sh.sh_entsize == 0)
            continue;
        Elf_Data *d = elf_getdata(s, NULL);
        if (!d) continue;
        for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(d, (int)i, &sym)) break;
            const char *n = elf_strptr(e->elf, sh.sh_link, sym.st_name);
            if (!n || strcmp(n, name) != 0 || sym.st_shndx == SHN_UNDEF ||
                sym.st_shndx >= SHN_LORESERVE)
                continue;
            Elf_Scn *ts = elf_getscn(e->elf, sym.st_shndx);
            GElf_Shdr th;
            Elf_Data *td = ts ? elf_rawdata(ts, NULL) : NULL;
            if (!td || !td->d_buf || !gelf_getshdr(ts, &th) || sym.st_value < th.sh_addr)
                return NULL;
            size_t off = (size_t)(sym.st_value - th.sh_addr);
            if (off > td->d_size || want > td->d_size - off) return NULL;
            return (const unsigned char *)td->d_buf + off;
        }
    }
    return NULL;
}

int co_elf_note(const co_elf *e, const char *owner, unsigned type, const unsigned char **desc,
                size_t *size)
{
    for (Elf_Scn *s = elf_nextscn(e->elf, NULL); s; s = elf_nextscn(e->elf, s)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_NOTE) continue;
        Elf_Data *d = elf_getdata(s, NULL);
        if (!d || !d->d_buf) continue;
        GElf_Nhdr nh;
        size_t off = 0, name_off, desc_off;
        while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
            const char *nm = (const char *)d->d_buf + name_off;
            if (nh.n_type == type && nh.n_namesz == strlen(owner) + 1 &&
                memcmp(nm, owner, nh.n_namesz) == 0) {
                *desc = (const unsigned char *)d->d_buf + desc_off;
                *size = nh.n_descsz;
                return 0;
            }
        }
    }
    return -1;
}
