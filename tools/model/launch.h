/* launch.h - what the planner launches for a row on a GPU: the runtime's
 * own skinny_plan_named (host-only library, no GPU needed), so the model
 * sees the grid, active waves and LDS the real dispatch would use. */
#ifndef MODEL_LAUNCH_H
#define MODEL_LAUNCH_H

#include <stdint.h>

#include "gpus.h"
#include "littles.h"

/* Fills the launch fields of k (grid, waves, LDS) for row `kernel` at
 * N x M x K on g. 0, or -1 with the runtime's reason in err. */
int launch_plan(const model_gpu *g, const char *kernel, int64_t n, int64_t m, int64_t k,
                model_kernel *mk, char *err, size_t errlen);

#endif
