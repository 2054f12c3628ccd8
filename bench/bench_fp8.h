/* bench_fp8.h - skinny-bench --dtype fp8 (issue 12): our fp8-weight kernel
 * (MMA_FP8 rows) against cuBLASLt's fp8 GEMM and 16-bit cuBLAS on the same
 * M x K, beside the read ceiling measured in the same run. */
#ifndef SKINNY_BENCH_FP8_H
#define SKINNY_BENCH_FP8_H

#include <stdio.h>

#include "bench_common.h"

typedef struct bench_fp8_cfg {
    const long (*shapes)[2]; /* M, K */
    int nshapes;
    int n_lo, n_hi;
    const int *dtypes; /* activation / output dtypes (skinny_dtype) */
    int ndtypes;
    int batches, graph;
    cudaStream_t stream;  /* non-default (graphs) */
    cublasHandle_t blas;  /* on `stream` */
    size_t l2;
    double ceil_gbs;      /* the run's read ceiling */
    FILE *csv, *md;
    int tune;             /* also time every MMA_FP8 row of each cell by name */
    FILE *measure;        /* --tune: one CSV line per (cell, row), or NULL */
    const char *device_key;
} bench_fp8_cfg;

/* Times every (dtype, shape, N) cell, writes CSV lines and a Markdown
 * table (with tune: the fastest right MMA_FP8 row of the slice too, and
 * every row's time in measure, dtype "fp8w-bf16" / "fp8w-fp16"); returns the number of cells whose result was wrong (0: all agree
 * with cuBLAS within bench_tolerance). */
int bench_fp8(const bench_fp8_cfg *cfg);

#endif
