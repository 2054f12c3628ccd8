/* gpu_harness.h - shared pieces of the GPU tests: checked runtime calls,
 * the "is there a GPU?" decision, random fills and device buffers with
 * poisoned guard zones. */
#ifndef SKINNY_GPU_HARNESS_H
#define SKINNY_GPU_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "skinny.h"
#include "skinny_port.h"

/* Every runtime call goes through this: a failure stops the program with
 * the call, file and line (a broken CUDA context makes every later result
 * meaningless, so failing the whole suite is right). */
#define RT_CHECK(call)                                                                    \
    do {                                                                                  \
        skinny_rt_error rt_err_ = (call);                                                 \
        if (rt_err_ != SKINNY_RT_SUCCESS) {                                               \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,          \
                    skinny_rt_error_string(rt_err_));                                     \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)

/* 0xFFFF is a NaN in both fp16 and bf16: an element the kernel did not
 * write stays NaN and can never pass a numeric check. */
#define POISON16 0xFFFFu

/* Decides whether this machine has a GPU. Returns 1 if the suite should
 * run; 0 if it should skip (reason printed). A machine that shows a GPU
 * device node, or SKINNY_REQUIRE_GPU=1, but no usable device is a failure:
 * exits 1 so a broken driver can never pass as "skipped". */
int gpu_available(void);

/* splitmix64: small, fast, good enough for test data. */
typedef struct rng { uint64_t s; } rng;
uint64_t rng_next(rng *r);
/* Uniform in [-1, 1). */
float rng_uniform(rng *r);

/* Fill n 16-bit elements of dtype with uniform [-1, 1) values. */
void fill_random(uint16_t *dst, size_t n, skinny_dtype dtype, rng *r);

/* Element value as double. */
double elem_to_double(uint16_t bits, skinny_dtype dtype);

/* Device buffer of `n` elements with `guard` poisoned elements on both
 * sides; `base` points at element 0 (16-byte aligned). */
typedef struct dbuf {
    uint16_t *alloc, *base;
    size_t n, guard;
} dbuf;

void dbuf_alloc(dbuf *b, size_t n, size_t guard);
void dbuf_free(dbuf *b);
/* Poison guards and payload, then copy `src` (n elements) if non-NULL. */
void dbuf_upload(dbuf *b, const uint16_t *src);
/* Copy guards + payload back: host must hold n + 2*guard elements. */
void dbuf_download_all(const dbuf *b, uint16_t *host);

/* Does `name` contain one of the comma-separated substrings of `list`?
 * (SKINNY_TEST_ONLY filters of the GPU tests.) */
int name_selected(const char *name, const char *list);

#endif
