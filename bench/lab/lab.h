/* lab.h - the kernel lab's table of MMA-kernel instantiations (one table per
 * compile-time variant: prefetch on/off, weight-load instruction). */
#ifndef SKINNY_LAB_H
#define SKINNY_LAB_H
#include <stddef.h>

typedef struct lab_entry {
    int n, group, mt, unroll;
    const void *kernel_bf16, *kernel_f16;
    size_t lds;
} lab_entry;

typedef struct lab_table {
    const char *variant; /* e.g. "pf1-ld0" */
    const lab_entry *entries;
    int count;
} lab_table;

#endif
