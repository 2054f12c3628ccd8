/* bench_model.h - skinny-bench --model: decode steps of real models
 * (bench_model.c). */
#ifndef SKINNY_BENCH_MODEL_H
#define SKINNY_BENCH_MODEL_H

#include <stdio.h>

#include "bench_common.h"

/* Index of the model called `name` in the table, or -1. */
int bench_model_find(const char *name);

/* The table: each model and the GEMMs of its step (`--model list`). */
void bench_model_list(FILE *f);

typedef struct bench_model_env {
    cublasHandle_t blas;  /* its stream is `stream`; with graph, it has a workspace */
    cudaStream_t stream;  /* not the default stream: graphs are captured on it */
    int graph;            /* 1: time CUDA graph replays (--graph) */
    int batches;          /* batches per median */
    int n_lo, n_hi;
    const int *dtypes;    /* skinny_dtype values */
    int ndtypes;
    double ceil_gbs;      /* read ceiling of this run, for "% of ceiling" */
    size_t l2;            /* L2 bytes: the step's weights should dwarf it */
    const char *out;      /* PREFIX: PREFIX-model.csv is written */
} bench_model_env;

/* Times the decode step of each model in models[] (table indices) for every
 * dtype and N; appends a Markdown section to md, writes PREFIX-model.csv and
 * prints a summary table on stdout. Returns 0, or 1 if one of our outputs
 * differed from cuBLAS's (everything is still written); CUDA errors exit. */
int bench_model_run(const bench_model_env *env, const int *models, int nmodels, FILE *md);

#endif
