/* co_elf.h - the ELF reading the code-object tools need, on libelf:
 * sections by name (the offload bundle in a hipcc object, .text sizes),
 * the bytes of a symbol (AMD kernel descriptors) and notes (the AMDGPU
 * metadata). Inputs are whatever a compiler wrote: every accessor checks
 * bounds and answers "absent" rather than crash on a bad file. */
#ifndef CO_ELF_H
#define CO_ELF_H

#include <stddef.h>

typedef struct co_elf co_elf;

/* Opens an ELF64 image held in memory (not copied: buf must outlive the
 * handle). NULL with a reason in err when it is not one. */
co_elf *co_elf_open(const void *buf, size_t len, char *err, size_t errlen);
void co_elf_close(co_elf *e);
/* e_machine (224 EM_AMDGPU, 190 EM_CUDA, 62 EM_X86_64). */
int co_elf_machine(const co_elf *e);
/* The contents of the first section called NAME: 0, or -1 when there is
 * none (or it has no file bytes, SHT_NOBITS). */
int co_elf_section(const co_elf *e, const char *name, const unsigned char **data, size_t *size);
/* Sum of the sizes of sections named NAME or NAME followed by '.' (".text"
 * also counts cubins' ".text.<kernel>"). */
long co_elf_sum_sections(const co_elf *e, const char *name);
/* WANT bytes at symbol NAME's address (symtab or dynsym); NULL if absent or
 * out of the file. */
const unsigned char *co_elf_symbol(const co_elf *e, const char *name, size_t want);
/* The descriptor of the first note of OWNER and TYPE in any SHT_NOTE
 * section: 0, or -1 when there is none. */
int co_elf_note(const co_elf *e, const char *owner, unsigned type, const unsigned char **desc,
                size_t *size);

#endif
