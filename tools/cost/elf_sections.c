/* elf_sections.c - see elf_sections.h. Bounds are checked on every read:
 * the input is whatever a compiler wrote, and a bad file must give an
 * error, not a crash. */
#include "elf_sections.h"

#include <elf.h>
#include <string.h>

static const Elf64_Ehdr *ehdr(const char *buf, size_t len)
{
    if (len < sizeof(Elf64_Ehdr)) return NULL;
    const Elf64_Ehdr *e = (const Elf64_Ehdr *)(const void *)buf;
    if (memcmp(e->e_ident, ELFMAG, SELFMAG) != 0 || e->e_ident[EI_CLASS] != ELFCLASS64 ||
        e->e_ident[EI_DATA] != ELFDATA2LSB)
        return NULL;
    if (e->e_shentsize != sizeof(Elf64_Shdr) || e->e_shoff > len ||
        (len - e->e_shoff) / sizeof(Elf64_Shdr) < e->e_shnum || e->e_shstrndx >= e->e_shnum)
        return NULL;
    return e;
}

int elf_machine(const char *buf, size_t len)
{
    const Elf64_Ehdr *e = ehdr(buf, len);
    return e ? e->e_machine : -1;
}

/* Calls fn for every section with its name; stops when fn returns nonzero. */
static int each_section(const char *buf, size_t len,
                        int (*fn)(const char *name, const Elf64_Shdr *sh, void *ctx), void *ctx)
{
    const Elf64_Ehdr *e = ehdr(buf, len);
    if (!e) return -1;
    /* The ELF buffer comes from malloc, so Elf64_Shdr alignment holds when
     * e_shoff is 8-aligned, which every ELF64 writer ensures; check anyway. */
    if (e->e_shoff % 8) return -1;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(const void *)(buf + e->e_shoff);
    const Elf64_Shdr *strs = &sh[e->e_shstrndx];
    if (strs->sh_offset > len || strs->sh_size > len - strs->sh_offset) return -1;
    const char *names = buf + strs->sh_offset;
    for (size_t i = 0; i < e->e_shnum; i++) {
        if (sh[i].sh_name >= strs->sh_size) return -1;
        const char *nm = names + sh[i].sh_name;
        if (!memchr(nm, '\0', strs->sh_size - sh[i].sh_name)) return -1;
        if (fn(nm, &sh[i], ctx)) return 1;
    }
    return 0;
}

struct find_ctx { const char *name; const Elf64_Shdr *found; };

static int find_fn(const char *name, const Elf64_Shdr *sh, void *ctx)
{
    struct find_ctx *c = ctx;
    if (strcmp(name, c->name) != 0) return 0;
    c->found = sh;
    return 1;
}

int elf_section(const char *buf, size_t len, const char *name, size_t *off, size_t *size)
{
    struct find_ctx c = {name, NULL};
    if (each_section(buf, len, find_fn, &c) != 1) return -1;
    if (c.found->sh_type == SHT_NOBITS || c.found->sh_offset > len ||
        c.found->sh_size > len - c.found->sh_offset)
        return -1;
    *off = c.found->sh_offset;
    *size = c.found->sh_size;
    return 0;
}

struct sum_ctx { const char *name; long total; };

static int sum_fn(const char *name, const Elf64_Shdr *sh, void *ctx)
{
    struct sum_ctx *c = ctx;
    size_t n = strlen(c->name);
    if (strncmp(name, c->name, n) == 0 && (name[n] == '\0' || name[n] == '.'))
        c->total += (long)sh->sh_size;
    return 0;
}

long elf_sum_sections(const char *buf, size_t len, const char *name)
{
    struct sum_ctx c = {name, 0};
    if (each_section(buf, len, sum_fn, &c) < 0) return -1;
    return c.total;
}
