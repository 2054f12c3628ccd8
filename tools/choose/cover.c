/* cover.c - the smallest set of rows that keeps every won cell within the
 * tolerance of its best candidate: set cover, solved per (n, wave) slice.
 *
 * Why per slice: a row serves exactly one (n, wave) and the dispatcher
 * chooses among the rows of the call's slice, so the slices' covers are
 * independent and their union is minimal when each one is.
 *
 * Order of preference between two covers of a slice, so the answer is
 * deterministic: fewer rows, then fewer compile seconds, then the
 * name-sorted list of rows compared name by name.
 *
 * Method: greedy first (most uncovered cells per compile second), then an
 * exact branch and bound seeded with the greedy cover. It branches on the
 * uncovered cell with the fewest rows within tolerance (one of those rows
 * must be kept) and prunes with count + ceil(uncovered / largest remaining
 * cover) rows and the seconds spent so far. The search visits at most
 * max_nodes nodes per slice (--max-nodes, default 1000000); past that the
 * best cover found (never worse than greedy) is kept and the report says
 * it is not proven minimal. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"

#define EPS 1e-9

typedef struct slice {
    const ch_input *in;
    size_t nc, nr, words;
    size_t *cells;      /* won cells of the slice */
    int *rows;          /* rows within tolerance somewhere, sorted by name */
    uint64_t *cov;      /* nr x words */
    /* search */
    int *cur, *best;    /* indices into rows, in increasing order of choice */
    size_t ncur, nbest;
    double cur_s, best_s;
    long nodes, max_nodes;
    int stopped;
} slice;

static int popcount(const uint64_t *a, const uint64_t *mask, size_t w)
{
    int n = 0;
    for (size_t i = 0; i < w; i++) n += __builtin_popcountll(mask ? a[i] & mask[i] : a[i]);
    return n;
}

static int by_name(const void *a, const void *b, const ch_input *in)
{
    return strcmp(in->rows[*(const int *)a].name, in->rows[*(const int *)b].name);
}
static const ch_input *sort_in; /* qsort has no context argument in C11 */
static int by_name_q(const void *a, const void *b) { return by_name(a, b, sort_in); }
static int int_cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Is cover (a: na rows, a_s seconds) preferred to (b, nb, b_s)? Index
 * order is name order, so sorted index lists compare as name lists. */
static int better(const int *a, size_t na, double a_s, const int *b, size_t nb, double b_s)
{
    if (na != nb) return na < nb;
    if (a_s < b_s - EPS) return 1;
    if (a_s > b_s + EPS) return 0;
    int *sa = ch_xmalloc((na + 1) * sizeof *sa), *sb = ch_xmalloc((nb + 1) * sizeof *sb);
    memcpy(sa, a, na * sizeof *a), memcpy(sb, b, nb * sizeof *b);
    qsort(sa, na, sizeof *sa, int_cmp), qsort(sb, nb, sizeof *sb, int_cmp);
    int res = 0;
    for (size_t i = 0; i < na; i++)
        if (sa[i] != sb[i]) { res = sa[i] < sb[i]; break; }
    free(sa), free(sb);
    return res;
}

static double row_cost(const slice *s, int i) { return s->in->rows[s->rows[i]].cost_s; }

static void greedy(slice *s)
{
    uint64_t *unc = ch_xmalloc(s->words * sizeof *unc);
    for (size_t c = 0; c < s->nc; c++) unc[c / 64] |= 1ull << (c % 64);
    s->nbest = 0, s->best_s = 0;
    while (popcount(unc, NULL, s->words)) {
        int pick = -1, pick_new = 0;
        for (size_t r = 0; r < s->nr; r++) {
            const int nw = popcount(&s->cov[r * s->words], unc, s->words);
            if (!nw) continue;
            if (pick >= 0) {
                /* new / cost, compared without division; then cheaper, then
                 * earlier name (rows are in name order). */
                const double lhs = nw * row_cost(s, pick), rhs = pick_new * row_cost(s, (int)r);
                if (lhs < rhs - EPS) continue;
                if (lhs <= rhs + EPS && row_cost(s, (int)r) >= row_cost(s, pick) - EPS) continue;
            }
            pick = (int)r, pick_new = nw;
        }
        s->best[s->nbest++] = pick;
        s->best_s += row_cost(s, pick);
        for (size_t w = 0; w < s->words; w++) unc[w] &= ~s->cov[pick * s->words + w];
    }
    free(unc);
}

static void search(slice *s, const uint64_t *unc)
{
    if (++s->nodes > s->max_nodes) { s->stopped = 1; return; }
    const int left = popcount(unc, NULL, s->words);
    if (!left) {
        if (better(s->cur, s->ncur, s->cur_s, s->best, s->nbest, s->best_s)) {
            memcpy(s->best, s->cur, s->ncur * sizeof *s->cur);
            s->nbest = s->ncur, s->best_s = s->cur_s;
        }
        return;
    }
    int maxcov = 0;
    for (size_t r = 0; r < s->nr; r++) {
        const int k = popcount(&s->cov[r * s->words], unc, s->words);
        if (k > maxcov) maxcov = k;
    }
    const size_t lb = s->ncur + (size_t)((left + maxcov - 1) / maxcov);
    if (lb > s->nbest || (lb == s->nbest && s->cur_s > s->best_s + EPS)) return;
    /* The uncovered cell with the fewest rows: the narrowest branching. */
    size_t cell = 0;
    int fewest = -1;
    for (size_t c = 0; c < s->nc; c++) {
        if (!(unc[c / 64] >> (c % 64) & 1)) continue;
        int k = 0;
        for (size_t r = 0; r < s->nr; r++) k += (int)(s->cov[r * s->words + c / 64] >> (c % 64) & 1);
        if (fewest < 0 || k < fewest) fewest = k, cell = c;
    }
    uint64_t *next = ch_xmalloc(s->words * sizeof *next);
    for (size_t r = 0; r < s->nr && !s->stopped; r++) {
        const uint64_t *cv = &s->cov[r * s->words];
        if (!(cv[cell / 64] >> (cell % 64) & 1)) continue;
        for (size_t w = 0; w < s->words; w++) next[w] = unc[w] & ~cv[w];
        s->cur[s->ncur++] = (int)r;
        s->cur_s += row_cost(s, (int)r);
        search(s, next);
        s->cur_s -= row_cost(s, (int)r);
        s->ncur--;
    }
    free(next);
}

/* Within tolerance: no slower than best x (1 + tol); an exact tie counts. */
static int within(const ch_cell *c, const ch_cand *k, double tol)
{
    return k->ok && k->us <= c->best * (1 + tol) * (1 + 1e-12);
}

static void pick_choices(const ch_input *in, ch_cover *out)
{
    for (size_t i = 0; i < in->ncells; i++) {
        const ch_cell *c = &in->cells[i];
        out->choice[i] = -1;
        if (!c->won) continue;
        double t = 0;
        for (size_t j = 0; j < c->ncand; j++) {
            const ch_cand *k = &c->cand[j];
            if (!k->ok || !out->keep[k->row]) continue;
            if (out->choice[i] < 0 || k->us < t ||
                (k->us == t && strcmp(in->rows[k->row].name, in->rows[out->choice[i]].name) < 0))
                out->choice[i] = k->row, t = k->us;
        }
    }
}

void ch_cover_solve(const ch_input *in, const ch_cover_opts *o, ch_cover *out)
{
    memset(out, 0, sizeof *out);
    out->keep = ch_xmalloc(in->nrows ? in->nrows : 1);
    out->choice = ch_xmalloc((in->ncells ? in->ncells : 1) * sizeof *out->choice);
    char *done = ch_xmalloc(in->ncells ? in->ncells : 1);
    for (size_t i0 = 0; i0 < in->ncells; i0++) {
        if (done[i0] || !in->cells[i0].won) continue;
        slice s;
        memset(&s, 0, sizeof s);
        s.in = in;
        const int n = in->cells[i0].n, wave = in->cells[i0].wave;
        s.cells = ch_xmalloc(in->ncells * sizeof *s.cells);
        for (size_t i = i0; i < in->ncells; i++)
            if (in->cells[i].won && in->cells[i].n == n && in->cells[i].wave == wave)
                s.cells[s.nc++] = i, done[i] = 1;
        s.words = (s.nc + 63) / 64;
        s.rows = ch_xmalloc(in->nrows * sizeof *s.rows);
        char *used = ch_xmalloc(in->nrows);
        for (size_t c = 0; c < s.nc; c++) {
            const ch_cell *cl = &in->cells[s.cells[c]];
            for (size_t j = 0; j < cl->ncand; j++)
                if (within(cl, &cl->cand[j], o->tol) && !used[cl->cand[j].row])
                    used[cl->cand[j].row] = 1, s.rows[s.nr++] = cl->cand[j].row;
        }
        free(used);
        sort_in = in;
        qsort(s.rows, s.nr, sizeof *s.rows, by_name_q);
        s.cov = ch_xmalloc(s.nr * s.words * sizeof *s.cov);
        for (size_t r = 0; r < s.nr; r++)
            for (size_t c = 0; c < s.nc; c++) {
                const ch_cell *cl = &in->cells[s.cells[c]];
                for (size_t j = 0; j < cl->ncand; j++)
                    if (cl->cand[j].row == s.rows[r] && within(cl, &cl->cand[j], o->tol))
                        s.cov[r * s.words + c / 64] |= 1ull << (c % 64);
            }
        s.cur = ch_xmalloc(s.nr * sizeof *s.cur);
        s.best = ch_xmalloc(s.nr * sizeof *s.best);
        greedy(&s);
        ch_slice_note note = {.n = n, .wave = wave, .cells = s.nc, .rows_in_tol = s.nr};
        if (o->max_nodes > 0) {
            s.max_nodes = o->max_nodes;
            uint64_t *all = ch_xmalloc(s.words * sizeof *all);
            for (size_t c = 0; c < s.nc; c++) all[c / 64] |= 1ull << (c % 64);
            search(&s, all);
            free(all);
            note.nodes = s.nodes > s.max_nodes ? s.max_nodes : s.nodes;
            note.exact = !s.stopped;
            if (s.stopped)
                snprintf(note.reason, sizeof note.reason,
                         "exact search stopped at %ld nodes (--max-nodes); best cover found, starting from greedy",
                         o->max_nodes);
        } else {
            snprintf(note.reason, sizeof note.reason, "greedy only (--max-nodes 0)");
        }
        for (size_t i = 0; i < s.nbest; i++) out->keep[s.rows[s.best[i]]] = CH_KEPT_COVER;
        out->slices = ch_xrealloc(out->slices, (out->nslices + 1) * sizeof *out->slices);
        out->slices[out->nslices++] = note;
        free(s.cells), free(s.rows), free(s.cov), free(s.cur), free(s.best);
    }
    free(done);
    for (size_t r = 0; r < in->nrows; r++)
        if (out->keep[r]) out->nkept++, out->cost_s += in->rows[r].cost_s;
    pick_choices(in, out);
}

void ch_cover_all(const ch_input *in, ch_cover *out)
{
    memset(out, 0, sizeof *out);
    out->keep = ch_xmalloc(in->nrows ? in->nrows : 1);
    out->choice = ch_xmalloc((in->ncells ? in->ncells : 1) * sizeof *out->choice);
    memset(out->keep, CH_KEPT_COVER, in->nrows);
    for (size_t r = 0; r < in->nrows; r++) out->cost_s += in->rows[r].cost_s;
    out->nkept = in->nrows;
    pick_choices(in, out);
}

size_t ch_keep_unmeasured(const ch_input *in, ch_cover *c)
{
    size_t added = 0;
    for (size_t r = 0; r < in->nrows; r++)
        if (!in->rows[r].measured && !c->keep[r]) {
            c->keep[r] = CH_KEPT_UNMEASURED;
            c->nkept++;
            c->cost_s += in->rows[r].cost_s;
            added++;
        }
    return added;
}

size_t ch_keep_splits(const ch_input *in, ch_cover *c, char (*missing)[48], size_t max, size_t *nmissing)
{
    size_t added = 0;
    *nmissing = 0;
    for (int wave = 32; wave <= 64; wave += 32) {
        int top = 0; /* the largest N with a kept MMA row */
        for (size_t r = 0; r < in->nrows; r++)
            if (c->keep[r] && in->rows[r].mma && in->rows[r].wave == wave && in->rows[r].n > top) top = in->rows[r].n;
        if (!top) continue;
        for (size_t s = 0; s < in->nrows; s++) { /* each split kept at top */
            const ch_row *split = &in->rows[s];
            if (!c->keep[s] || !split->mma || split->wave != wave || split->n != top) continue;
            for (int n = 1; n < top; n++) {
                int has_mma = 0, has_split = 0, cheapest = -1;
                for (size_t r = 0; r < in->nrows; r++) {
                    const ch_row *row = &in->rows[r];
                    if (!row->mma || row->wave != wave || row->n != n) continue;
                    has_mma = 1;
                    if (row->group != split->group) continue;
                    if (c->keep[r]) has_split = 1;
                    if (cheapest < 0 || row->cost_s < in->rows[cheapest].cost_s - 1e-9 ||
                        (row->cost_s < in->rows[cheapest].cost_s + 1e-9 && strcmp(row->name, in->rows[cheapest].name) < 0))
                        cheapest = (int)r;
                }
                if (!has_mma || has_split) continue;
                if (cheapest < 0) {
                    /* One note per (n, wave, waves), even if several kept rows share the split. */
                    char note[48];
                    snprintf(note, sizeof note, "n=%d wave=%d waves=%d", n, wave, split->group);
                    int seen = 0;
                    for (size_t i = 0; i < *nmissing && !seen; i++) seen = !strcmp(missing[i], note);
                    if (!seen && *nmissing < max) memcpy(missing[(*nmissing)++], note, sizeof note);
                    continue;
                }
                c->keep[cheapest] = CH_KEPT_SPLIT;
                c->nkept++;
                c->cost_s += in->rows[cheapest].cost_s;
                added++;
            }
        }
    }
    return added;
}

void ch_cover_free(ch_cover *c)
{
    free(c->keep), free(c->choice), free(c->slices);
    memset(c, 0, sizeof *c);
}

static double us_of(const ch_cell *c, int row)
{
    for (size_t j = 0; j < c->ncand; j++)
        if (c->cand[j].row == row) return c->cand[j].us;
    return 0;
}

double ch_geomean(const ch_input *in, const ch_cover *c)
{
    if (!in->ncells) return 1;
    double s = 0;
    for (size_t i = 0; i < in->ncells; i++)
        if (c->choice[i] >= 0) s += log(in->cells[i].cublas_us / us_of(&in->cells[i], c->choice[i]));
    return exp(s / (double)in->ncells);
}

double ch_worst(const ch_input *in, const ch_cover *c, size_t *cell)
{
    double w = 1;
    *cell = (size_t)-1;
    for (size_t i = 0; i < in->ncells; i++) {
        if (c->choice[i] < 0) continue;
        const double r = us_of(&in->cells[i], c->choice[i]) / in->cells[i].best;
        if (*cell == (size_t)-1 || r > w) w = r, *cell = i;
    }
    return w;
}

size_t ch_keep_named(const ch_input *in, ch_cover *c)
{
    size_t added = 0;
    for (size_t r = 0; r < in->nrows; r++)
        if (in->rows[r].named_keep && !c->keep[r]) {
            c->keep[r] = CH_KEPT_NAMED;
            c->nkept++;
            c->cost_s += in->rows[r].cost_s;
            added++;
        }
    if (added) pick_choices(in, c); /* a kept row may be a cell's fastest */
    return added;
}

void ch_cover_repick(const ch_input *in, ch_cover *c) { pick_choices(in, c); }
