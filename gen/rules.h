/* rules.h - measured dispatch rules (specs/dispatch.def), written by
 * `skinny-bench --tune --emit-rules` and read by the generator:
 *
 *   MEASURED(n, wave, dtype, m, k, choice)
 *
 * "for N = n on wave-`wave` devices, dtype bf16|fp16, the shape M x K was
 * measured: `choice` (a kernel name of tiles.def) was the fastest row, or
 * `none`: no row beat BLAS". The dispatcher applies the measured cell
 * nearest to a call's (M, K) (in log scale) among those of its N, wave and
 * dtype; with no cell it falls back to its heuristic. */
#ifndef SKINNYGEN_RULES_H
#define SKINNYGEN_RULES_H

#include "spec.h"

typedef struct rule {
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
