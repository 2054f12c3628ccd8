/* co_names.h - which row a kernel is, from its mangled name or its
 * object's file name. */
#ifndef CO_NAMES_H
#define CO_NAMES_H

typedef struct {
    int ok;
    int mma;         /* skinny_mma_kernel or skinny_mma_fp8_kernel (MMA or
                        MMA_FP8 row; ytile holds mtiles) */
    int fp8;         /* skinny_mma_fp8_kernel (MMA_FP8 row: fp8 weights) */
    int fp8x;        /* skinny_mma_fp8x_kernel: the same row's fp8-activation
                        kernel (dtype: the output's) */
    char dtype[32];  /* "f16", "bf16" */
    long n, wave, group, ytile, unroll;
} co_row;

/* Template arguments of skinny_gemm_kernel<T, N, WAVE, GROUP, YTILE, UNROLL>,
 * skinny_mma_kernel<...> or skinny_mma_fp8_kernel<...> from the Itanium-mangled name, e.g.
 * _Z18skinny_gemm_kernelI10skinny_f16Li8ELi64ELi16ELi4ELi1EEv18skinny_kernel_args */
co_row co_row_of_mangled(const char *name);
/* n<N>_w<W>_g<G>_y<Y>_u<U> (TILE), n<N>_w<W>_g<G>_m<MT>_u<U> (MMA) or
 * n<N>_w<W>_g<G>_f<MT>_u<U> (MMA_FP8), with
 * any directory and extension, or as a kernel's row name. */
co_row co_row_of_name(const char *path);
/* The row's name as the table spells it: n8_w64_g16_y4_u1. */
void co_row_name(const co_row *r, char *buf, unsigned long cap);

#endif
