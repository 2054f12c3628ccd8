/* elf_sections.h - just enough ELF64 reading to find sections by name:
 * the offload bundle inside a hipcc object (.hip_fatbin) and the .text
 * sections of AMD code objects and cubins (for the code-size column). */
#ifndef COST_ELF_SECTIONS_H
#define COST_ELF_SECTIONS_H

#include <stddef.h>

/* Returns 0 and the section's file range when buf is a little-endian ELF64
 * with a section NAME; -1 otherwise (not ELF64, truncated, no such section). */
int elf_section(const char *buf, size_t len, const char *name, size_t *off, size_t *size);
/* Sum of the sizes of sections named exactly NAME or NAME followed by '.'
 * (".text" also counts ".text.kernel", as cubins name them); -1 if not ELF64. */
long elf_sum_sections(const char *buf, size_t len, const char *name);
/* e_machine, or -1 when buf is not a little-endian ELF64. */
int elf_machine(const char *buf, size_t len);

#endif
