// dram_latency.hip - skinny-latency: the DRAM load latency one wave sees,
// by pointer chasing (the bandwidth model's latency, tools/model/gpus.def).
//
// One thread follows a chain of dependent 4-byte loads through a random
// permutation of 256-byte lines, so no load can start before the one
// before it has returned and no line is reused while the chain is in L2:
//   - DRAM: a 1 GiB chain (20x the H200's 50 MB L2, beyond MI300X's
//     256 MB Infinity Cache); a warm-up walk first fills the TLBs, so the
//     figure is the steady-state latency of a miss to DRAM;
//   - L2: a 4 MiB chain, for reference.
// Time per load = event time of the walk / loads (the launch's few
// microseconds are below 0.1 % of a walk). The timed walk of 2^19 loads goes
// on from where the warm-up (2^17) stopped, so it reads no line twice. Prints
//   latency_ns dram=<ns> l2=<ns>
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

int main(void)
{
    const double dram = walk((size_t)1 << 30, 1 << 19), l2 = walk((size_t)4 << 20, 1 << 19);
    if (dram < 0 || l2 < 0) return 1;
    printf("latency_ns dram=%.0f l2=%.0f\n", dram, l2);
    return 0;
}
