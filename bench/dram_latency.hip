// dram_latency.hip - skinny-latency: the DRAM load latency one wave sees,
// by pointer chasing (the bandwidth model's latency, tools/model/gpus.def).
//
// One thread follows a chain of dependent 4-byte loads through a random
// permutation of 256-byte lines, so no load can start before the one
// before it has returned and no line is reused while the chain is in L2:
//   - DRAM: a 1 GiB chain (20x the H200's 50 MB L2, beyond MI300X's
//     256 MB Infinity Cache); a warm-up walk first fills the TLBs, so the
//     figure is the steady-state latency of a miss to DRAM;
//   - L2: a 4 MiB chain, for reference;
//   - loaded: the DRAM chain again, while every other workgroup of the same
//     kernel streams 16-byte non-temporal loads over a 1 GiB buffer (what a
//     skinny GEMM's loads meet: queues in the memory system full). The
//     streamers stop when the chase ends; their bytes over the kernel's time
//     are printed as the load's bandwidth. The bandwidth model takes this
//     latency: under load a miss takes about twice as long as idle;
//   - reads, no latency: a plain 16-byte streaming read of a 1 GiB weight
//     matrix, and the same bytes read in the MMA kernel's order (its rows
//     and K walk: 16-row tiles, waves interleaved over 128-element K groups,
//     4 lanes per row and 2 rows per lane, 16 loads in flight per lane as
//     in its two batches of unroll 4) with no arithmetic: the bandwidth its
//     access pattern can reach, the model's ceiling for MMA rows.
// Time per load = event time of the walk / loads (the launch's few
// microseconds are below 0.1 % of a walk). The timed walk of 2^19 loads goes
// on from where the warm-up (2^17) stopped, so it reads no line twice. Prints
//   latency_ns dram=<ns> l2=<ns> loaded=<ns> loaded_gbs=<GB/s>
//   read_gbs linear=<GB/s> mma_pattern=<GB/s>
// and nothing else on stdout. Exit 1 on a runtime error.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "skinny_port.h"

#define LINE 256 // bytes between chain links: one per 128-byte line and sector

// Walks on from the index in *pos and leaves where it stopped there: the
// timed walk goes on from the warm-up's end, over lines no walk has read.
__global__ void skinny_chase(const uint32_t *chain, long steps, uint32_t *pos)
{
    uint32_t p = *pos;
    for (long i = 0; i < steps; i++) p = chain[p];
    *pos = p;
}

// Block 0, thread 0 chases (as skinny_chase) and then raises *done; every
// other block streams over `buf` (n vectors, 8 independent loads per lane
// per round) until it sees *done, and adds the vectors it read to *vecs.
// The grid is small enough to be resident at once (2 blocks per SM), so
// the chaser never waits for a streamer's slot.
__global__ void skinny_chase_loaded(const uint32_t *chain, long steps, uint32_t *pos,
                                    const skinny_vec16 *buf, long n, volatile int *done,
                                    unsigned long long *vecs, unsigned *sink)
{
    if (blockIdx.x == 0) {
        if (threadIdx.x == 0) {
            uint32_t p = *pos;
            for (long i = 0; i < steps; i++) p = chain[p];
            *pos = p;
            __threadfence();
            *done = 1;
        }
        return;
    }
    const long stride = (long)(gridDim.x - 1) * blockDim.x;
    const long round = 8 * stride, end = n / round * round; // whole rounds: no index past n
    long i = (long)(blockIdx.x - 1) * blockDim.x + threadIdx.x;
    unsigned acc = 0;
    unsigned long long reads = 0;
    while (!*done) {
        skinny_vec16 v[8];
#pragma unroll
        for (int u = 0; u < 8; u++) v[u] = skinny_load_nt(buf + i + u * stride);
#pragma unroll
        for (int u = 0; u < 8; u++) acc ^= v[u].x ^ v[u].w;
        i += round;
        if (i >= end) i -= end;
        reads += 8;
    }
    atomicAdd(vecs, reads);
    if (acc == 0x9e3779b9u) *sink = acc; // keeps the loads; practically never stores
}

// Weight matrix rows x ld vectors (16 bytes, 8 bf16), read as the MMA
// kernel of GROUP waves reads it (skinny_mma_kernel, SKINNY_MMA_KGROUP,
// the NVIDIA fragment rows and chunks): per 16-row tile, wave w walks K
// groups w, w + GROUP, ...; in each 32-element step lane l reads vector
// (step * 4 + l % 4) of rows l / 4 and l / 4 + 8. STEPS steps per batch.
template <int GROUP, int STEPS>
__global__ void skinny_mma_pattern_read(const skinny_vec16 *w, long rows, long ld, unsigned *sink)
{
    const int lane = threadIdx.x & 31, wave = threadIdx.x >> 5;
    const long per_group = 128 / 32, steps = ld / 4; // 32-element steps per row
    unsigned acc = 0;
    for (long base = (long)blockIdx.x * 16; base < rows; base += (long)gridDim.x * 16) {
        const skinny_vec16 *r0 = w + (base + (lane >> 2)) * ld + (lane & 3), *r1 = r0 + 8 * ld;
        for (long i = 0;; i += STEPS) {
            skinny_vec16 v[STEPS][2];
            bool any = false;
#pragma unroll
            for (int u = 0; u < STEPS; u++) {
                const long j = i + u; // the wave's j-th step
                const long step = (wave + GROUP * (j / per_group)) * per_group + j % per_group;
                const bool in = step < steps;
                any |= in;
                v[u][0] = in ? skinny_load_nt(r0 + 4 * step) : skinny_vec16{};
                v[u][1] = in ? skinny_load_nt(r1 + 4 * step) : skinny_vec16{};
            }
            if (!any) break;
#pragma unroll
            for (int u = 0; u < STEPS; u++) acc ^= v[u][0].x ^ v[u][1].w;
        }
    }
    if (acc == 0x9e3779b9u) *sink = acc;
}

// n vectors, each thread 8 independent 16-byte loads per round.
__global__ void skinny_linear_read(const skinny_vec16 *w, long n, unsigned *sink)
{
    const long stride = (long)gridDim.x * blockDim.x;
    unsigned acc = 0;
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += 8 * stride) {
        skinny_vec16 v[8];
#pragma unroll
        for (int u = 0; u < 8; u++) v[u] = i + u * stride < n ? skinny_load_nt(w + i + u * stride) : skinny_vec16{};
#pragma unroll
        for (int u = 0; u < 8; u++) acc ^= v[u].x ^ v[u].w;
    }
    if (acc == 0x9e3779b9u) *sink = acc;
}

static int check(skinny_rt_error e, const char *what)
{
    if (e == SKINNY_RT_SUCCESS) return 0;
    fprintf(stderr, "skinny-latency: %s: %s\n", what, skinny_rt_error_string(e));
    return 1;
}

// A random cyclic permutation of the lines of a `bytes` buffer, as word
// indices: chain[line i] = index of the next line's word.
static uint32_t *make_chain(size_t bytes, uint32_t *start)
{
    const size_t words = bytes / 4, lines = bytes / LINE, per = LINE / 4;
    uint32_t *chain = (uint32_t *)calloc(words, 4), *order = (uint32_t *)malloc(lines * 4);
    if (!chain || !order) return NULL;
    for (size_t i = 0; i < lines; i++) order[i] = (uint32_t)i;
    uint64_t s = 0x9e3779b97f4a7c15ull; // fixed seed: the same chain every run
    for (size_t i = lines - 1; i > 0; i--) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        size_t j = (size_t)(s % (i + 1));
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < lines; i++)
        chain[(size_t)order[i] * per] = (uint32_t)(order[(i + 1) % lines] * per);
    *start = (uint32_t)(order[0] * per);
    free(order);
    return chain;
}

// ns per load of a `steps`-long walk over a `bytes` chain; < 0 on error.
static double walk(size_t bytes, long steps)
{
    uint32_t start, *dev = NULL, *pos = NULL;
    uint32_t *host = make_chain(bytes, &start);
    if (!host) return -1;
    double ns = -1;
    skinny_rt_event t0, t1;
    int ok = !check(skinny_rt_malloc((void **)&dev, bytes), "malloc") &&
             !check(skinny_rt_malloc((void **)&pos, 4), "malloc") &&
             !check(skinny_rt_memcpy(dev, host, bytes, SKINNY_RT_H2D), "memcpy") &&
             !check(skinny_rt_memcpy(pos, &start, 4, SKINNY_RT_H2D), "memcpy") &&
             !check(skinny_rt_event_create(&t0), "event");
    if (ok && check(skinny_rt_event_create(&t1), "event")) {
        (void)skinny_rt_event_destroy(t0);
        ok = 0;
    }
    if (ok) {
        skinny_chase<<<1, 1>>>(dev, steps / 4, pos); // warm-up: TLBs, clocks
        ok = !check(skinny_rt_event_record(t0, 0), "event record");
        if (ok) skinny_chase<<<1, 1>>>(dev, steps, pos);
        float ms = 0;
        ok = ok && !check(skinny_rt_event_record(t1, 0), "event record") &&
             !check(skinny_rt_get_last_error(), "launch") &&
             !check(skinny_rt_event_synchronize(t1), "kernel") &&
             !check(skinny_rt_event_elapsed_ms(&ms, t0, t1), "event time");
        if (ok) ns = (double)ms * 1e6 / (double)steps;
        (void)skinny_rt_event_destroy(t0);
        (void)skinny_rt_event_destroy(t1);
    }
    (void)skinny_rt_free(dev);
    (void)skinny_rt_free(pos);
    free(host);
    return ns;
}

// The loaded walk: ns per chase load (and the streamers' GB/s in *gbs) of a
// `steps`-long walk of a `bytes` chain beside streamers over `stream_bytes`;
// < 0 on error.
static double loaded_walk(size_t bytes, long steps, size_t stream_bytes, double *gbs)
{
    uint32_t start, *dev = NULL, *pos = NULL;
    unsigned *sink = NULL;
    int *done = NULL;
    unsigned long long *vecs = NULL, nvecs = 0;
    skinny_vec16 *buf = NULL;
    uint32_t *host = make_chain(bytes, &start);
    if (!host) return -1;
    int sms = 0;
    skinny_rt_device_prop props;
    double ns = -1;
    skinny_rt_event t0, t1;
    int ok = !check(skinny_rt_get_device_properties(&props, 0), "device properties") &&
             !check(skinny_rt_malloc((void **)&dev, bytes), "malloc") &&
             !check(skinny_rt_malloc((void **)&pos, 4), "malloc") &&
             !check(skinny_rt_malloc((void **)&buf, stream_bytes), "malloc") &&
             !check(skinny_rt_malloc((void **)&done, sizeof *done), "malloc") &&
             !check(skinny_rt_malloc((void **)&vecs, sizeof *vecs), "malloc") &&
             !check(skinny_rt_malloc((void **)&sink, sizeof *sink), "malloc") &&
             !check(skinny_rt_memset(buf, 1, stream_bytes), "memset") &&
             !check(skinny_rt_memcpy(dev, host, bytes, SKINNY_RT_H2D), "memcpy") &&
             !check(skinny_rt_memcpy(pos, &start, 4, SKINNY_RT_H2D), "memcpy") &&
             !check(skinny_rt_event_create(&t0), "event");
    if (ok && check(skinny_rt_event_create(&t1), "event")) {
        (void)skinny_rt_event_destroy(t0);
        ok = 0;
    }
    if (ok) {
        sms = props.multiProcessorCount;
        const long n = (long)(stream_bytes / sizeof(skinny_vec16));
        const unsigned grid = 1u + 2u * (unsigned)sms;
        // Warm-up (TLBs, clocks), then the timed walk, each with fresh flags.
        for (int timed = 0; timed < 2 && ok; timed++) {
            ok = !check(skinny_rt_memset(done, 0, sizeof *done), "memset") &&
                 !check(skinny_rt_memset(vecs, 0, sizeof *vecs), "memset");
            if (ok && timed) ok = !check(skinny_rt_event_record(t0, 0), "event record");
            if (ok) skinny_chase_loaded<<<grid, 256>>>(dev, timed ? steps : steps / 4, pos, buf, n, done, vecs, sink);
            ok = ok && !check(skinny_rt_get_last_error(), "launch");
        }
        float ms = 0;
        ok = ok && !check(skinny_rt_event_record(t1, 0), "event record") &&
             !check(skinny_rt_event_synchronize(t1), "kernel") &&
             !check(skinny_rt_event_elapsed_ms(&ms, t0, t1), "event time") &&
             !check(skinny_rt_memcpy(&nvecs, vecs, sizeof nvecs, SKINNY_RT_D2H), "memcpy");
        if (ok) {
            ns = (double)ms * 1e6 / (double)steps;
            *gbs = (double)nvecs * sizeof(skinny_vec16) / ((double)ms * 1e-3) / 1e9;
        }
        (void)skinny_rt_event_destroy(t0);
        (void)skinny_rt_event_destroy(t1);
    }
    (void)skinny_rt_free(dev);
    (void)skinny_rt_free(pos);
    (void)skinny_rt_free(buf);
    (void)skinny_rt_free(done);
    (void)skinny_rt_free(vecs);
    (void)skinny_rt_free(sink);
    free(host);
    return ns;
}

static int by_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

// GB/s of the linear read and of the MMA pattern over one 1 GiB matrix
// (65536 rows of 8192 bf16), the median of 5 timed reads after a warm-up;
// 0 on success.
static int reads(double *linear_gbs, double *pattern_gbs)
{
    const long rows = 65536, ld = 8192 / 8;
    const size_t bytes = (size_t)rows * (size_t)ld * sizeof(skinny_vec16);
    skinny_vec16 *w = NULL;
    unsigned *sink = NULL;
    skinny_rt_device_prop props;
    skinny_rt_event t0, t1;
    int ok = !check(skinny_rt_get_device_properties(&props, 0), "device properties") &&
             !check(skinny_rt_malloc((void **)&w, bytes), "malloc") &&
             !check(skinny_rt_malloc((void **)&sink, sizeof *sink), "malloc") &&
             !check(skinny_rt_memset(w, 1, bytes), "memset") && !check(skinny_rt_event_create(&t0), "event");
    const int have_t0 = ok;
    ok = ok && !check(skinny_rt_event_create(&t1), "event");
    const int have_t1 = ok;
    for (int which = 0; which < 2 && ok; which++) {
        float ms[6];
        for (int r = 0; r < 6 && ok; r++) { // r = 0: warm-up
            ok = !check(skinny_rt_event_record(t0, 0), "event record");
            // Two 256-thread workgroups per SM, as the MMA rows' grid has.
            const unsigned grid = 2u * (unsigned)props.multiProcessorCount;
            if (which == 0) skinny_linear_read<<<grid, 256>>>(w, rows * ld, sink);
            else skinny_mma_pattern_read<8, 8><<<grid, 256>>>(w, rows, ld, sink);
            ok = ok && !check(skinny_rt_get_last_error(), "launch") &&
                 !check(skinny_rt_event_record(t1, 0), "event record") &&
                 !check(skinny_rt_event_synchronize(t1), "kernel") &&
                 !check(skinny_rt_event_elapsed_ms(&ms[r], t0, t1), "event time");
        }
        if (ok) {
            qsort(ms + 1, 5, sizeof ms[0], by_float);
            *(which ? pattern_gbs : linear_gbs) = (double)bytes / ((double)ms[3] * 1e-3) / 1e9;
        }
    }
    if (have_t0) (void)skinny_rt_event_destroy(t0);
    if (have_t1) (void)skinny_rt_event_destroy(t1);
    (void)skinny_rt_free(w);
    (void)skinny_rt_free(sink);
    return ok ? 0 : 1;
}

int main(void)
{
    const double dram = walk((size_t)1 << 30, 1 << 19), l2 = walk((size_t)4 << 20, 1 << 19);
    double gbs = 0;
    const double loaded = loaded_walk((size_t)1 << 30, 1 << 17, (size_t)1 << 30, &gbs);
    double linear = 0, pattern = 0;
    if (dram < 0 || l2 < 0 || loaded < 0 || reads(&linear, &pattern)) return 1;
    printf("latency_ns dram=%.0f l2=%.0f loaded=%.0f loaded_gbs=%.0f\n", dram, l2, loaded, gbs);
    printf("read_gbs linear=%.0f mma_pattern=%.0f\n", linear, pattern);
    return 0;
}
