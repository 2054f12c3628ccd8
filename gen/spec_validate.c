/* spec_validate.c - value ranges and cross-row rules of tiles.def. */
#include "spec.h"

#include <stdio.h>
#include <string.h>

/* The most threads one workgroup may have on any supported GPU. */
#define MAX_GROUP_THREADS 1024

/* Matrix-instruction rows: activation rows per wave tile (two 8-column
 * mma.sync tiles on NVIDIA, one 16-column MFMA tile on AMD), and how many
 * 16-row weight tiles a workgroup owns at once. */
#define MMA_MAX_N 16
#define MMA_MAX_MTILES 4
/* MMA_FP8 rows: a step is 64 elements of K (16 fp8 weights per 16-byte
 * load) and holds twice the x registers of an MMA step (x stays 16-bit), so
 * unroll 4 already keeps as many weight bytes in flight as MMA's 8 would
 * need twice the registers for; more only spills. */
#define MMA_FP8_MAX_UNROLL 4

static int in_range(spec *s, const spec_row *r, int f, int lo, int hi)
{
    if (r->v[f] >= lo && r->v[f] <= hi) return 1;
    spec_error(s, r->line, r->col[f], "%s must be in %d..%d, got %s",
               spec_row_field_name(r->kind, f), lo, hi, r->text[f]);
    return 0;
}

static int row_ok(spec *s, const spec_row *r)
{
    int ok = 1;
    const int mma = r->kind != SPEC_KIND_TILE;
    ok &= in_range(s, r, SPEC_FIELD_n, 1, mma ? MMA_MAX_N : 64);
    if (r->v[SPEC_FIELD_wave] != 32 && r->v[SPEC_FIELD_wave] != 64) {
        spec_error(s, r->line, r->col[SPEC_FIELD_wave], "wave must be 32 or 64, got %s",
                   r->text[SPEC_FIELD_wave]);
        ok = 0;
    }
    ok &= in_range(s, r, SPEC_FIELD_waves_per_group, 1, 16);
    ok &= in_range(s, r, SPEC_FIELD_ytile, 1, mma ? MMA_MAX_MTILES : 16);
    ok &= in_range(s, r, SPEC_FIELD_unroll, 1, r->kind == SPEC_KIND_MMA_FP8 ? MMA_FP8_MAX_UNROLL : 8);
    /* Implied by the two ranges above today (64 x 16 = 1024); kept so that
     * widening either range cannot produce an unlaunchable workgroup. */
    if (ok && (long)r->v[SPEC_FIELD_wave] * r->v[SPEC_FIELD_waves_per_group] > MAX_GROUP_THREADS) {
        spec_error(s, r->line, r->col[SPEC_FIELD_waves_per_group],
                   "wave x waves_per_group must be <= %d, got %d x %d", MAX_GROUP_THREADS,
                   r->v[SPEC_FIELD_wave], r->v[SPEC_FIELD_waves_per_group]);
        ok = 0;
    }
    return ok;
}

void spec_validate(spec *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->nrows; i++) {
        spec_row *r = &s->rows[i];
        if (!row_ok(s, r)) continue;
        /* TILE rows: n5_w64_g16_y2_u1; MMA rows: n9_w32_g8_m2_u4; MMA_FP8
         * rows: n9_w32_g8_f2_u2 (f: fp8 weights, then mtiles). */
        snprintf(r->name, sizeof r->name, "n%d_w%d_g%d_%c%d_u%d", r->v[SPEC_FIELD_n],
                 r->v[SPEC_FIELD_wave], r->v[SPEC_FIELD_waves_per_group],
                 r->kind == SPEC_KIND_MMA_FP8 ? 'f' : r->kind == SPEC_KIND_MMA ? 'm' : 'y', r->v[SPEC_FIELD_ytile],
                 r->v[SPEC_FIELD_unroll]);
        int clash = 0;
        for (size_t j = 0; j < kept && !clash; j++) {
            const spec_row *q = &s->rows[j];
            if (strcmp(q->name, r->name) != 0) continue;
            clash = 1;
            int same_text = q->kind == r->kind;
            for (int f = 0; f < SPEC_FIELD_COUNT; f++)
                same_text &= strcmp(q->text[f], r->text[f]) == 0;
            /* q->line < 0: q is the -q->line'th row of skinnygen --add. */
            char where[32];
            if (q->line < 0) snprintf(where, sizeof where, "--add:%d", -q->line);
            else snprintf(where, sizeof where, "line %d", q->line);
            if (same_text)
                spec_error(s, r->line, r->row_col, "duplicate row: same as %s", where);
            else
                spec_error(s, r->line, r->row_col,
                           "row produces kernel name '%s', already produced by %s", r->name, where);
        }
        if (!clash) s->rows[kept++] = *r;
    }
    s->nrows = kept;
}
