/* bench_common.h - what skinny-bench's shape sweep (bench_main.c) and its
 * decode steps (bench_model.c) share: checked calls, random data, the
 * comparison with cuBLAS and the timing loop (stream launches or CUDA
 * graph replays). */
#ifndef SKINNY_BENCH_COMMON_H
#define SKINNY_BENCH_COMMON_H

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "skinny.h"

#define CK(call)                                                                          \
    do {                                                                                  \
        cudaError_t e_ = (call);                                                          \
        if (e_ != cudaSuccess) {                                                          \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(e_)); \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)
#define CKB(call)                                                                         \
    do {                                                                                  \
        cublasStatus_t s_ = (call);                                                       \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                                \
            fprintf(stderr, "%s:%d: %s: cublas status %d\n", __FILE__, __LINE__, #call, (int)s_); \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)
#define CKS(call)                                                                         \
    do {                                                                                  \
        skinny_status s_ = (call);                                                        \
        if (s_ != SKINNY_OK) {                                                            \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, skinny_status_string(s_)); \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)

/* cuBLAS workspace under --graph (cublasSetWorkspace): cuBLAS may not
 * allocate during capture. 32 MiB is NVIDIA's recommendation for Hopper
 * (4 MiB for older parts). */
#define BENCH_CUBLAS_WORKSPACE ((size_t)32 << 20)

int cmp_float(const void *a, const void *b);

/* `elems` random fp16/bf16 values in [-1, 1) (xorshift from seed) to device memory. */
void fill_device_random(void *dst, size_t elems, skinny_dtype t, uint64_t seed);

/* ||a - ref|| / ||ref|| over `elems` device elements (INFINITY for NaN/Inf). */
double bench_rel_err(const void *a, const void *ref, size_t elems, skinny_dtype t);

/* Largest relative error a kernel may show against cuBLAS. */
double bench_tolerance(skinny_dtype t);

/* One batch of work on the timed stream; b = batch number (weight rotation). */
typedef void (*bench_issue_fn)(void *arg, int b);
/* Runs after batch b finished (e.g. reads events recorded inside it); may be NULL. */
typedef void (*bench_after_fn)(void *arg, int b);

/* Milliseconds of each of `batches` batches (ms[b], unsorted), with CUDA
 * events on `stream` around each. graph = 0: every batch is issued from the
 * host while timing. graph = 1: the batch is captured once into a CUDA graph
 * (cudaStreamBeginCapture on `stream`, which must not be the default
 * stream; issued with b = 0), instantiated, replayed once to warm up, and
 * each timed batch is one replay: launch overhead as a serving engine sees
 * it. The caller warms up its calls before (lazy initialisation stays out
 * of the capture). */
void bench_time_batches(cudaStream_t stream, int graph, bench_issue_fn issue, void *arg, int batches,
                        float *ms, bench_after_fn after);

/* Median microseconds per call of `batches` batches (at most 64) of
 * `reps` calls each, timed as bench_time_batches does (the caller warms
 * its calls up first): the figure every table of skinny-bench reports. */
double bench_median_call_us(cudaStream_t stream, int graph, bench_issue_fn issue, void *arg, int batches, int reps);

/* Records `ev` on `stream` such that it can be timed also when the stream is
 * being captured (graph = 1: an external event node, cudaEventRecordExternal;
 * a plain record would only mark a dependency inside the graph). */
void bench_record_event(cudaEvent_t ev, cudaStream_t stream, int graph);

#endif
