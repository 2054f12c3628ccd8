/* heuristic_fit.c - --heuristic CUS: keep the rows the dispatcher's picks
 * without measured rules need. Measured rules make the measured GPU run each
 * cell's fastest kept row, but two picks are made by rule-free code
 * (runtime/skinny_heuristic.c, linked here):
 *   - the heuristic, on GPUs without rules: it is tuned to a table shape,
 *     and a cover that drops the row it prefers leaves it a poor one (H200,
 *     2026-11-28: a 2 % cover of the hopper sweep put it up to 22 % behind
 *     the best row);
 *   - the batch-invariant mode, on every GPU: one K split per (M, K), that
 *     of the largest N, then the best-fitting row of that split; a cover
 *     may keep no row of that split that fits.
 * So after the cover, while some cell's heuristic pick is more than
 * --heuristic-max behind the cell's best candidate, or (won cells) its
 * invariant pick more than --invariant-max behind the fastest kept row
 * (what the rules run), the candidate row whose addition leaves the fewest
 * such cells (then the smallest worst ratio, the cheapest, the first in
 * table order) is added, until none is left or no single row helps. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"
#include "skinny_heuristic.h"

/* The heuristic's runtime row for a candidate (only the fields it reads). */
static skinny_row as_runtime_row(const ch_row *r)
{
    skinny_row s;
    memset(&s, 0, sizeof s);
    s.name = r->name;
    s.n = r->n;
    s.wave = r->wave;
    s.waves_per_group = r->group;
    s.ytile = r->tiles;
    s.unroll = r->unroll;
    s.kind = r->mma ? SKINNY_KIND_MMA : SKINNY_KIND_TILE;
    return s;
}

/* NVIDIA builds run MMA rows by heuristic on wave 32 when the slice has
 * any, and run the invariant mode on wave-32 MMA rows; AMD builds run only
 * TILE rows by heuristic and the invariant mode on wave 64 (skinny_port.h).
 * The measurement's device key says which vendor. */
static int nvidia(const ch_cell *c) { return strncmp(c->device, "nvidia", 6) == 0; }

typedef struct fit {
    const ch_input *in;
    int cus;
    double hmax, imax;
    skinny_row rows[256], ref[256];
    size_t idx[256], refidx[256];
} fit;

/* Kept rows of (n, wave) of one kind into out (their indices in idx), at
 * most room of them. */
static size_t gather(fit *f, const char *keep, int n, int wave, int mma, skinny_row *out, size_t *idx, size_t room)
{
    size_t count = 0;
    for (size_t r = 0; r < f->in->nrows && count < room; r++) {
        const ch_row *row = &f->in->rows[r];
        if (keep[r] && row->n == n && row->wave == wave && row->mma == mma) {
            out[count] = as_runtime_row(row);
            idx[count++] = r;
        }
    }
    return count;
}

static double time_of(const ch_cell *c, size_t r)
{
    for (size_t j = 0; j < c->ncand; j++)
        if (c->cand[j].row == (int)r) return c->cand[j].ok ? c->cand[j].us : HUGE_VAL;
    return HUGE_VAL; /* picked a row the cell did not measure */
}

static skinny_gemm_desc desc_of(const ch_cell *c)
{
    static uint16_t buf[8] __attribute__((aligned(16))); /* the planner reads no data */
    const skinny_gemm_desc d = {c->bf16 ? SKINNY_BF16 : SKINNY_F16, c->n, c->m, c->k, buf, 0, buf, 0, buf, 0,
                                SKINNY_BIAS_NONE, NULL, 0, 0, 0, 0, NULL, NULL, NULL};
    return d;
}

/* The heuristic's pick / the cell's best candidate (0: no row to pick, the
 * dispatcher falls back to BLAS). *picked: its row index. The slice goes
 * in as the dispatcher lists it, TILE rows first. */
static double heuristic_ratio(fit *f, const ch_cell *c, const char *keep, size_t *picked)
{
    const skinny_gemm_desc d = desc_of(c);
    const size_t tiles = gather(f, keep, c->n, c->wave, 0, f->rows, f->idx, 256);
    const size_t count = tiles + gather(f, keep, c->n, c->wave, 1, f->rows + tiles, f->idx + tiles, 256 - tiles);
    const skinny_tile_pick p = skinny_pick_heuristic(f->rows, count, &d, f->cus, nvidia(c) && c->wave == 32);
    if (!p.row) return 0;
    const size_t r = f->idx[p.row - f->rows];
    if (picked) *picked = r;
    return time_of(c, r) / c->best;
}

/* Won cells: the invariant pick / the fastest kept row (0: not checked). */
static double invariant_ratio(fit *f, const ch_cell *c, const char *keep)
{
    if (!c->won || c->wave != (nvidia(c) ? 32 : 64)) return 0;
    int ref_n = 0;
    for (size_t r = 0; r < f->in->nrows; r++) {
        const ch_row *row = &f->in->rows[r];
        if (keep[r] && row->mma && row->wave == c->wave && row->n > ref_n) ref_n = row->n;
    }
    const size_t nref = ref_n ? gather(f, keep, ref_n, c->wave, 1, f->ref, f->refidx, 256) : 0;
    const size_t count = gather(f, keep, c->n, c->wave, 1, f->rows, f->idx, 256);
    const skinny_gemm_desc d = desc_of(c);
    const skinny_tile_pick p = skinny_pick_invariant(f->ref, nref, f->rows, count, &d, f->cus);
    double kept_best = HUGE_VAL;
    for (size_t j = 0; j < c->ncand; j++)
        if (c->cand[j].ok && keep[c->cand[j].row] && c->cand[j].us < kept_best) kept_best = c->cand[j].us;
    if (!p.row) return HUGE_VAL; /* the mode would refuse this cell */
    return time_of(c, f->idx[p.row - f->rows]) / kept_best;
}

/* Slices (n, wave) a failing cell names: where an added row may help. */
typedef struct slices { char on[65][2]; } slices;
static void mark(slices *s, int n, int wave)
{
    if (s && n >= 1 && n <= 64) s->on[n][wave == 64] = 1;
}

/* Cells beyond their bound with `keep`; *worst_h, *worst_i: largest
 * ratios; s (if not NULL): the slices of the failing cells (for invariant
 * failures also the largest N's, whose rows set the split). */
static size_t failing(fit *f, const char *keep, double *worst_h, double *worst_i, slices *s,
                      ch_heuristic_result *res)
{
    size_t bad = 0;
    *worst_h = *worst_i = 0;
    if (s) memset(s, 0, sizeof *s);
    for (size_t i = 0; i < f->in->ncells; i++) {
        const ch_cell *c = &f->in->cells[i];
        if (c->best <= 0) continue;
        const double h = heuristic_ratio(f, c, keep, NULL);
        if (h > *worst_h) *worst_h = h;
        if (h > f->hmax) {
            bad++;
            mark(s, c->n, c->wave);
            if (res && res->nbroken < 32) res->broken[res->nbroken].cell = i, res->broken[res->nbroken].invariant = 0,
                                          res->broken[res->nbroken++].ratio = h;
        }
        if (f->imax > 0) {
            const double v = invariant_ratio(f, c, keep);
            if (v > *worst_i) *worst_i = v;
            if (v > f->imax) {
                bad++;
                if (res && res->nbroken < 32) res->broken[res->nbroken].cell = i, res->broken[res->nbroken].invariant = 1,
                                              res->broken[res->nbroken++].ratio = v;
                mark(s, c->n, c->wave);
                for (int n = 64; n >= 1; n--) /* the reference slice: largest N with rows */
                    if (f->in->nrows && s) {
                        int has = 0;
                        for (size_t r = 0; r < f->in->nrows && !has; r++)
                            has = f->in->rows[r].n == n && f->in->rows[r].wave == c->wave && f->in->rows[r].mma;
                        if (has) { mark(s, n, c->wave); break; }
                    }
            }
        }
    }
    return bad;
}

size_t ch_keep_heuristic(const ch_input *in, ch_cover *c, const ch_heuristic_opts *o, ch_heuristic_result *res)
{
    fit *f = ch_xmalloc(sizeof *f);
    f->in = in;
    f->cus = o->cus;
    f->hmax = o->heuristic_max;
    f->imax = o->invariant_max;
    size_t added = 0;
    double wh, wi;
    slices *on = ch_xmalloc(sizeof *on);
    size_t bad = failing(f, c->keep, &wh, &wi, on, NULL);
    while (bad) {
        size_t best_r = (size_t)-1, best_bad = bad;
        double best_w = fmax(wh, wi), best_wh = wh, best_wi = wi;
        for (size_t r = 0; r < in->nrows; r++) {
            const ch_row *row = &in->rows[r];
            if (c->keep[r] || !row->measured || row->n > 64 || !on->on[row->n][row->wave == 64]) continue;
            c->keep[r] = CH_KEPT_HEURISTIC;
            double h, v;
            const size_t b = failing(f, c->keep, &h, &v, NULL, NULL);
            c->keep[r] = 0;
            const double w = fmax(h, v);
            const int better = b < best_bad || (b == best_bad && w < best_w - 1e-12) ||
                               (best_r != (size_t)-1 && b == best_bad && fabs(w - best_w) <= 1e-12 &&
                                in->rows[r].cost_s < in->rows[best_r].cost_s);
            if (better) best_r = r, best_bad = b, best_w = w, best_wh = h, best_wi = v;
        }
        if (best_r == (size_t)-1) break; /* no single row helps */
        c->keep[best_r] = CH_KEPT_HEURISTIC;
        c->nkept++;
        c->cost_s += in->rows[best_r].cost_s;
        added++;
        bad = best_bad;
        wh = best_wh;
        wi = best_wi;
        bad = failing(f, c->keep, &wh, &wi, on, NULL); /* the slices still failing */
    }
    free(on);
    res->nbroken = 0;
    if (bad) failing(f, c->keep, &wh, &wi, NULL, res);
    res->worst_heuristic = wh;
    res->worst_invariant = wi;
    res->left = bad;
    free(f);
    return added;
}

size_t ch_heuristic_cells(const ch_input *in, const ch_cover *c, int cus, size_t r)
{
    fit *f = ch_xmalloc(sizeof *f);
    f->in = in;
    f->cus = cus;
    size_t n = 0;
    for (size_t i = 0; i < in->ncells; i++) {
        const ch_cell *cl = &in->cells[i];
        size_t picked = (size_t)-1;
        if (cl->n != in->rows[r].n || cl->wave != in->rows[r].wave || cl->best <= 0) continue;
        if (heuristic_ratio(f, cl, c->keep, &picked) > 0 && picked == r) n++;
    }
    free(f);
    return n;
}
