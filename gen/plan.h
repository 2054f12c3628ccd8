/* plan.h - what to emit for a validated spec: one entry per output file,
 * each a template plus the m4 definitions that instantiate it. */
#ifndef SKINNYGEN_PLAN_H
#define SKINNYGEN_PLAN_H

#include "spec.h"

#define PLAN_MAX_DEFS 16

typedef struct plan_file {
    char path[96];           /* relative to --out */
    const char *template_name; /* relative to --templates */
    char *defs[PLAN_MAX_DEFS]; /* "NAME=value" for m4 -D, heap strings */
    int ndefs;
} plan_file;

typedef struct plan {
    plan_file *files;
    size_t nfiles;
} plan;

/* Layouts: one TU per row (default), or every row in one TU (only for the
 * compile-time comparison of the cost report). */
enum plan_layout { PLAN_LAYOUT_PER_ROW, PLAN_LAYOUT_SINGLE_TU };

/* Dispatch order of two spec_rows (qsort comparator): n, wave, TILE before
 * MMA, ytile, unroll, waves_per_group. */
int plan_row_cmp(const void *a, const void *b);

/* Sorts s->rows into dispatch order and builds the plan. */
int plan_build(spec *s, plan *p, enum plan_layout layout);
void plan_free(plan *p);

struct rules;
/* Puts measured dispatch rules into the dispatcher's definitions (CELLS,
 * CELL_COUNT); rows are found by name in the sorted table. */
void plan_set_rules(plan *p, const spec *s, const struct rules *r);

/* Is `name` a file this generator may have written into an --out dir? */
int plan_owns_name(const char *name);

#endif
