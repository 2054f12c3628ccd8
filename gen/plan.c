/* plan.c - validated rows -> list of files to render through m4. */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "version.h"

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s) { fputs("skinnygen: out of memory\n", stderr); exit(2); }
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* Append the text of vsnprintf to a growing heap string. */
static void append(char **buf, size_t *len, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void append(char **buf, size_t *len, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *nb = realloc(*buf, *len + (size_t)n + 1);
    if (!nb) { fputs("skinnygen: out of memory\n", stderr); exit(2); }
    *buf = nb;
    va_start(ap, f);
    vsnprintf(*buf + *len, (size_t)n + 1, f, ap);
    va_end(ap);
    *len += (size_t)n;
}

/* Dispatch order: by N, then wave, then tile; the dispatcher's (N, wave)
 * slices are contiguous runs of this order. */
int plan_row_cmp(const void *a, const void *b)
{
    const spec_row *x = a, *y = b;
    if (x->v[SPEC_FIELD_n] != y->v[SPEC_FIELD_n]) return x->v[SPEC_FIELD_n] < y->v[SPEC_FIELD_n] ? -1 : 1;
    if (x->v[SPEC_FIELD_wave] != y->v[SPEC_FIELD_wave])
        return x->v[SPEC_FIELD_wave] < y->v[SPEC_FIELD_wave] ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1; /* TILE rows first */
    static const int order[] = {SPEC_FIELD_n, SPEC_FIELD_wave, SPEC_FIELD_ytile, SPEC_FIELD_unroll,
                                SPEC_FIELD_waves_per_group};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (x->v[order[i]] != y->v[order[i]]) return x->v[order[i]] < y->v[order[i]] ? -1 : 1;
    return 0;
}

static plan_file *add_file(plan *p, const char *path, const char *tmpl)
{
    plan_file *nf = realloc(p->files, (p->nfiles + 1) * sizeof *nf);
    if (!nf) { fputs("skinnygen: out of memory\n", stderr); exit(2); }
    p->files = nf;
    plan_file *f = &p->files[p->nfiles++];
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "%s", path);
    f->template_name = tmpl;
    f->defs[f->ndefs++] = fmt("GEN_VERSION=%s", SKINNYGEN_VERSION);
    return f;
}

/* The kind as the templates name it: tile, mma, mma_fp8. */
static const char *plan_kind_word(int kind)
{
    return kind == SPEC_KIND_MMA_FP8 ? "mma_fp8" : kind == SPEC_KIND_MMA ? "mma" : "tile";
}

static void add_row_defs(plan_file *f, const spec_row *r)
{
    f->defs[f->ndefs++] = fmt("ROW_NAME=%s", r->name);
    f->defs[f->ndefs++] = fmt("ROW_N=%d", r->v[SPEC_FIELD_n]);
    f->defs[f->ndefs++] = fmt("ROW_WAVE=%d", r->v[SPEC_FIELD_wave]);
    f->defs[f->ndefs++] = fmt("ROW_GROUP=%d", r->v[SPEC_FIELD_waves_per_group]);
    f->defs[f->ndefs++] = fmt("ROW_YTILE=%d", r->v[SPEC_FIELD_ytile]);
    f->defs[f->ndefs++] = fmt("ROW_UNROLL=%d", r->v[SPEC_FIELD_unroll]);
    f->defs[f->ndefs++] = fmt("ROW_KIND=%s", plan_kind_word(r->kind));
}

int plan_build(spec *s, plan *p, enum plan_layout layout)
{
    memset(p, 0, sizeof *p);
    /* An empty table has rows == NULL, and qsort's pointer must not be NULL
     * (found by fuzz/fuzz_tiles.c; tests/cpu/test_fuzz_regressions.c). */
    if (s->nrows > 1) qsort(s->rows, s->nrows, sizeof *s->rows, plan_row_cmp);

    /* ROW(name, n, wave, group, ytile, unroll, index, kind) for every row
     * (kind: tile, mma or mma_fp8; MMA and MMA_FP8 rows carry mtiles as ytile); and
     * for the dispatcher's switch, NBEGIN(n) GROUP(n, wave, first, count)...
     * NEND() around the (n, wave) slices of each n. */
    char *rows = NULL, *groups = NULL;
    size_t rows_len = 0, groups_len = 0;
    append(&rows, &rows_len, "%s", "");
    append(&groups, &groups_len, "%s", "");
    for (size_t i = 0; i < s->nrows; i++) {
        const spec_row *r = &s->rows[i];
        append(&rows, &rows_len, "ROW(%s,%d,%d,%d,%d,%d,%zu,%s)", r->name, r->v[SPEC_FIELD_n],
               r->v[SPEC_FIELD_wave], r->v[SPEC_FIELD_waves_per_group], r->v[SPEC_FIELD_ytile],
               r->v[SPEC_FIELD_unroll], i, plan_kind_word(r->kind));
        const int new_n = i == 0 || r->v[SPEC_FIELD_n] != r[-1].v[SPEC_FIELD_n];
        if (new_n || r->v[SPEC_FIELD_wave] != r[-1].v[SPEC_FIELD_wave]) {
            size_t j = i;
            while (j < s->nrows && s->rows[j].v[SPEC_FIELD_n] == r->v[SPEC_FIELD_n] &&
                   s->rows[j].v[SPEC_FIELD_wave] == r->v[SPEC_FIELD_wave])
                j++;
            if (new_n) append(&groups, &groups_len, "%sNBEGIN(%d)", i ? "NEND()" : "",
                              r->v[SPEC_FIELD_n]);
            append(&groups, &groups_len, "GROUP(%d,%d,%zu,%zu)", r->v[SPEC_FIELD_n],
                   r->v[SPEC_FIELD_wave], i, j - i);
        }
    }
    if (s->nrows) append(&groups, &groups_len, "NEND()");

    add_file(p, "skinny_kernel.cuh", "skinny_kernel.cuh.m4");
    if (layout == PLAN_LAYOUT_PER_ROW) {
        for (size_t i = 0; i < s->nrows; i++) {
            char path[96];
            snprintf(path, sizeof path, "%s.hip", s->rows[i].name);
            add_row_defs(add_file(p, path, "kernel_row.hip.m4"), &s->rows[i]);
        }
    } else {
        plan_file *f = add_file(p, "all_rows.hip", "all_rows.hip.m4");
        f->defs[f->ndefs++] = fmt("ROWS=%s", rows);
        f->defs[f->ndefs++] = fmt("ROW_COUNT=%zu", s->nrows);
    }
    plan_file *d = add_file(p, "skinny_dispatch.c", "dispatch.c.m4");
    d->defs[d->ndefs++] = fmt("ROWS=%s", rows);
    d->defs[d->ndefs++] = fmt("GROUPS=%s", groups);
    d->defs[d->ndefs++] = fmt("ROW_COUNT=%zu", s->nrows);
    d->defs[d->ndefs++] = fmt("CELLS=");
    d->defs[d->ndefs++] = fmt("CELL_COUNT=0");
    plan_file *m = add_file(p, "manifest.json", "manifest.json.m4");
    m->defs[m->ndefs++] = fmt("ROWS=%s", rows);
    m->defs[m->ndefs++] = fmt("ROW_COUNT=%zu", s->nrows);
    free(rows);
    free(groups);
    return 0;
}

void plan_set_rules(plan *p, const spec *s, const rules *r)
{
    char *cells = NULL;
    size_t len = 0;
    append(&cells, &len, "%s", "");
    for (size_t i = 0; i < r->count; i++) {
        const rule *c = &r->v[i];
        long row = -1;
        for (size_t j = 0; j < s->nrows; j++)
            if (strcmp(s->rows[j].name, c->choice) == 0) row = (long)j;
        /* CELL(device, n, wave, dtype, m, k, row index or -1 for none). The
         * device key is quoted (here and in the template): a key such as
         * m4_dnl is an m4 builtin's name under -P. */
        append(&cells, &len, "CELL(`%s',%d,%d,%s,%lld,%lld,%ld)", c->device, c->n, c->wave,
               c->bf16 ? "SKINNY_BF16" : "SKINNY_F16", c->m, c->k, row);
    }
    for (size_t i = 0; i < p->nfiles; i++) {
        plan_file *f = &p->files[i];
        if (strcmp(f->path, "skinny_dispatch.c") != 0) continue;
        for (int j = 0; j < f->ndefs; j++) {
            if (!strncmp(f->defs[j], "CELLS=", 6)) {
                free(f->defs[j]);
                f->defs[j] = fmt("CELLS=%s", cells);
            } else if (!strncmp(f->defs[j], "CELL_COUNT=", 11)) {
                free(f->defs[j]);
                f->defs[j] = fmt("CELL_COUNT=%zu", r->count);
            }
        }
    }
    free(cells);
}

void plan_free(plan *p)
{
    for (size_t i = 0; i < p->nfiles; i++)
        for (int j = 0; j < p->files[i].ndefs; j++) free(p->files[i].defs[j]);
    free(p->files);
    memset(p, 0, sizeof *p);
}

int plan_owns_name(const char *name)
{
    static const char *const fixed[] = {"skinny_kernel.cuh", "skinny_dispatch.c", "manifest.json",
                                        "all_rows.hip"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(name, fixed[i]) == 0) return 1;
    int v[5], used = 0;
    char kind = 0;
    if (sscanf(name, "n%d_w%d_g%d_%c%d_u%d.hip%n", &v[0], &v[1], &v[2], &kind, &v[3], &v[4],
               &used) == 6 &&
        (kind == 'y' || kind == 'm' || kind == 'f') && name[used] == '\0')
        return 1;
    return 0;
}
