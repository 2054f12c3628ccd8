/* rules.h - measured dispatch rules (specs/dispatch.def), written by
 * `skinny-bench --tune --emit-rules` and read by the generator:
 *
 *   MEASURED(device, n, wave, dtype, m, k, choice)
 *
 * "on the device `device`, for N = n (a wave-`wave` device), dtype
 * bf16|fp16, the shape M x K was measured: `choice` (a kernel name of
 * tiles.def) was the fastest row, or `none`: no row beat BLAS". `device` is
 * a device key, skinny_device_key() of the device's name ([a-z0-9_], 1..63
 * characters, e.g. nvidia_h200). The dispatcher applies, on a device with
 * that key only, the measured cell nearest to a call's (M, K) (in log
 * scale) among those of its N, wave and dtype; a device without cells
 * uses its heuristic. */
#ifndef SKINNYGEN_RULES_H
#define SKINNYGEN_RULES_H

#include "spec.h"

/* Longest device key: the runtime's device_key[64] less its NUL. */
#define RULE_DEVICE_MAX 63

typedef struct rule {
    char device[RULE_DEVICE_MAX + 1]; /* device key */
    int n, wave, bf16;
    long long m, k;
    char choice[64]; /* kernel name, or "none" */
    int line;
} rule;

typedef struct rules {
    rule *v;
    size_t count;
} rules;

/* Parses and validates `text` against the validated rows of `table`;
 * diagnostics go to `diags` (its path names the rules file). */
void rules_parse(rules *out, const char *text, const spec *table, spec *diags);
void rules_free(rules *r);

#endif
