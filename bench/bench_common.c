/* bench_common.c - see bench_common.h. */
#include "bench_common.h"

#include <math.h>

#include "halfconv.h"

int cmp_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

void fill_device_random(void *dst, size_t elems, skinny_dtype t, uint64_t seed)
{
    uint16_t *h = malloc(elems * 2);
    if (!h) {
        fprintf(stderr, "out of host memory (%zu elements)\n", elems);
        exit(1);
    }
    uint64_t s = seed;
    for (size_t i = 0; i < elems; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        const float v = (float)((int64_t)(s >> 40) - (1 << 23)) / (float)(1 << 23);
        h[i] = t == SKINNY_BF16 ? hc_f32_to_bf16(v) : hc_f32_to_f16(v);
    }
    CK(cudaMemcpy(dst, h, elems * 2, cudaMemcpyHostToDevice));
    free(h);
}

double bench_rel_err(const void *a_dev, const void *ref_dev, size_t n, skinny_dtype t)
{
    uint16_t *a = malloc(n * 2), *b = malloc(n * 2);
    if (!a || !b) {
        fprintf(stderr, "out of host memory (%zu elements)\n", n);
        exit(1);
    }
    CK(cudaMemcpy(a, a_dev, n * 2, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(b, ref_dev, n * 2, cudaMemcpyDeviceToHost));
    double e2 = 0, r2 = 0;
    for (size_t i = 0; i < n; i++) {
        const double x = t == SKINNY_BF16 ? hc_bf16_to_f32(a[i]) : hc_f16_to_f32(a[i]);
        const double y = t == SKINNY_BF16 ? hc_bf16_to_f32(b[i]) : hc_f16_to_f32(b[i]);
        e2 += (x - y) * (x - y);
        r2 += y * y;
    }
    free(a);
    free(b);
    return isfinite(e2) ? sqrt(e2 / (r2 > 0 ? r2 : 1)) : INFINITY;
}

double bench_tolerance(skinny_dtype t) { return t == SKINNY_BF16 ? 2e-2 : 5e-3; }

void bench_record_event(cudaEvent_t ev, cudaStream_t stream, int graph)
{
    if (graph)
        CK(cudaEventRecordWithFlags(ev, stream, cudaEventRecordExternal));
    else
        CK(cudaEventRecord(ev, stream));
}

/* Capture one batch into an executable graph. A call that is illegal under
 * capture invalidates it; EndCapture then fails and says so. */
static cudaGraphExec_t capture_batch(cudaStream_t stream, bench_issue_fn issue, void *arg)
{
    cudaGraph_t g;
    cudaGraphExec_t exec;
    CK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
    issue(arg, 0);
    const cudaError_t e = cudaStreamEndCapture(stream, &g);
    if (e != cudaSuccess) {
        fprintf(stderr, "stream capture failed: %s (a call in the batch is illegal during capture)\n",
                cudaGetErrorString(e));
        exit(1);
    }
    CK(cudaGraphInstantiateWithFlags(&exec, g, 0));
    CK(cudaGraphDestroy(g)); /* the executable graph keeps what it needs */
    return exec;
}

void bench_time_batches(cudaStream_t stream, int graph, bench_issue_fn issue, void *arg, int batches,
                        float *ms, bench_after_fn after)
{
    cudaGraphExec_t exec = NULL;
    if (graph) {
        exec = capture_batch(stream, issue, arg);
        CK(cudaGraphLaunch(exec, stream)); /* warm-up replay (uploads the graph) */
        CK(cudaStreamSynchronize(stream));
    }
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    for (int b = 0; b < batches; b++) {
        CK(cudaEventRecord(e0, stream));
        if (graph)
            CK(cudaGraphLaunch(exec, stream));
        else
            issue(arg, b);
        CK(cudaEventRecord(e1, stream));
        CK(cudaEventSynchronize(e1));
        CK(cudaGetLastError());
        CK(cudaEventElapsedTime(&ms[b], e0, e1));
        if (after) after(arg, b);
    }
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    if (exec) CK(cudaGraphExecDestroy(exec));
}

double bench_median_call_us(cudaStream_t stream, int graph, bench_issue_fn issue, void *arg, int batches, int reps)
{
    float t[64];
    bench_time_batches(stream, graph, issue, arg, batches, t, NULL);
    for (int b = 0; b < batches; b++) t[b] = t[b] * 1000.0f / (float)reps;
    qsort(t, (size_t)batches, sizeof t[0], cmp_float);
    return t[batches / 2];
}
