/* lab.h - the kernel lab's table of MMA-kernel instantiations (one table per
 * compile-time variant: prefetch on/off, weight-load instruction). */
#ifndef SKINNY_LAB_H
#define SKINNY_LAB_H
#include <stddef.h>

/* kind: 0 the register kernel (unroll = U), 1 the cp.async staged
 * prototype (unroll = KS x 100 + S), 2 the TMA prototype (unroll = KS x 100
 * + S; one producer warp beside the group's warps). */
typedef struct lab_entry {
    int n, group, mt, unroll;
    const void *kernel_bf16, *kernel_f16;
    size_t lds;
    int kind;
} lab_entry;

typedef struct lab_table {
    const char *variant; /* e.g. "pf1-ld0" */
    const lab_entry *entries;
    int count;
} lab_table;

#endif
