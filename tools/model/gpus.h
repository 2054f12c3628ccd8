/* gpus.h - the GPUs the bandwidth model knows (tools/model/gpus.def). */
#ifndef MODEL_GPUS_H
#define MODEL_GPUS_H

#include <stddef.h>

#include "co_arch.h"

typedef struct {
    char name[32];
    const co_arch *arch;   /* the hardware's */
    const co_arch *code;   /* the build target whose code object is read */
    int units;             /* CUs / WGPs / SMs */
    double peak_gbs, latency_ns;
    int measured;          /* latency measured (1) or estimated (0) */
    /* Optional (0: not given): the unit's clock and how many wave
     * instructions it issues per clock; with both, the model adds the main
     * loop's issue time (littles.h). */
    double clock_ghz, issue_per_clk;
    char source[512];
} model_gpu;

#define MODEL_MAX_GPUS 32

/* Reads the file; on a bad line prints "FILE:LINE: error: ..." to stderr
 * (all of them) and returns -1. Otherwise the number of GPUs. */
int gpus_load(const char *path, model_gpu *g, int max);
/* The GPU called name, or NULL. */
model_gpu *gpus_find(model_gpu *g, int n, const char *name);

#endif
