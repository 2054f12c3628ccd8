/* compile.h - the compiler command lines of the build, and reading the
 * figures back out of what they produce. */
#ifndef COST_COMPILE_H
#define COST_COMPILE_H

#include "cost.h"
#include "util.h"

typedef struct {
    char *hipcc, *nvcc;      /* NULL when not found */
    char *objdump;           /* llvm-objdump of hipcc's clang (AMD loads in flight) */
    char *cuobjdump;         /* NULL when not found: no NVIDIA loads in flight */
    char *runtime;           /* -I for skinny_port.h */
} toolset;

/* The build's kernel_cmd (meson.build) for ONE target: the same flags,
 * with one --offload-arch / -gencode so time and size are per target.
 * Keep in sync with kernel_cmd in meson.build. */
void compile_argv(const toolset *ts, const cost_target *t, const char *tu, const char *obj,
                  const char *depfile, strvec *argv);

/* Fill c->code_object_bytes, text_bytes and the kernels from a hipcc object
 * of one arch (amd.c) or by compiling the TU to a cubin with ptxas -v
 * (nv.c). Files go to WORK_PREFIX.*; a tool failing or printing something
 * not understood ends the run with a message that quotes it. */
void amd_figures(const toolset *ts, const cost_target *t, const cost_row *row, const char *obj,
                 const char *work_prefix, cost_cell *c);
void nv_figures(const toolset *ts, const cost_target *t, const cost_row *row, const char *tu,
                const char *work_prefix, cost_cell *c);

/* The bandwidth model's predictions for the kernels of a built cell
 * (model.c): loads the GPU file on first use. */
void cell_predict(const cost_target *t, const cost_row *row, cost_cell *c);

/* "f16" / "bf16" from a mangled kernel name; NULL when it is neither. */
const char *kernel_dtype(const char *mangled);
/* 0 for an MMA_FP8 row's fp8-activation kernels (skinny_mma_fp8x_kernel):
 * their compile time and bytes count with the row, but the report lists
 * two kernels per row (f16, bf16), the fp8-weight ones for MMA_FP8 rows. */
int kernel_listed(const char *mangled);
/* Sort c->k into f16, bf16 order and check there are exactly those two. */
void cell_check_kernels(cost_cell *c, const cost_row *row, const cost_target *t);

#endif
