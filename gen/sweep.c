/* sweep.c - see sweep.h. The ranges of every column are spec_validate's:
 * this file only parses SWEEP lines and multiplies them out. */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"
#include "outdir.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"

#define SWEEP_FORM "SWEEP(kind=TILE|MMA|MMA_FP8, column=values, ...)"
#define TILE_COLUMNS "n, wave, waves_per_group, ytile, unroll"
#define MMA_COLUMNS "n, wave, waves_per_group, mtiles, unroll"

/* Text of a line: [p, p + len), 1-based column of p[0] = 1. */
typedef struct item {
    const char *p;
    int len, col;
} item;

typedef struct column {
    item name;
    item values[SWEEP_MAX_ITEMS];
    int nvalues;
    int end; /* index just past the column's last value (for "(from ...)") */
} column;

/* Where a produced value came from: the column as written, for messages. */
typedef struct origin {
    int line, first_col, last_col;
    char text[96];
} origin;

typedef struct sweep_state {
    spec *s;
    origin *origins;
    size_t norigins;
    long long produced; /* rows produced so far, before de-duplication */
    int nsweeps;        /* SWEEP lines read without a syntax error */
} sweep_state;

static int is_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
static int is_ident(int c) { return isalnum(c) || c == '_'; }

static int word_len(const char *p, int max)
{
    int n = 0;
    while (n < max && n < 40 && !is_blank((unsigned char)p[n]) && p[n] != ',' && p[n] != ')' &&
           p[n] != '(')
        n++;
    return n ? n : 1;
}

static int item_is(const item *it, const char *word)
{
    return it->len == (int)strlen(word) && !memcmp(it->p, word, (size_t)it->len);
}

/* One value item: "a" or "a..b". Returns 0 if malformed. */
static int parse_item(const item *it, int *lo, int *hi, int *is_range)
{
    const char *dots = NULL;
    for (int i = 0; i + 1 < it->len; i++)
        if (it->p[i] == '.' && it->p[i + 1] == '.') { dots = it->p + i; break; }
    if (!dots) {
        *is_range = 0;
        if (!spec_parse_int(it->p, it->len, lo)) return 0;
        *hi = *lo;
        return 1;
    }
    *is_range = 1;
    const int a = (int)(dots - it->p);
    return spec_parse_int(it->p, a, lo) && spec_parse_int(dots + 2, it->len - a - 2, hi);
}

/* Syntax of one line into cols; returns the number of columns, or -1 after
 * an error. *paren_col: column of '('. */
static int scan_line(spec *s, const char *ln, int len, int lineno, int *sweep_col, int *paren_col,
                     column *cols)
{
    int i = 0;
#define COL (i + 1)
    while (i < len && is_blank((unsigned char)ln[i])) i++;
    if (i == len || (i + 1 < len && ln[i] == '/' && ln[i + 1] == '/')) return 0;
    *sweep_col = COL;
    int start = i;
    while (i < len && is_ident((unsigned char)ln[i])) i++;
    if (i - start != 5 || strncmp(ln + start, "SWEEP", 5) != 0) {
        spec_error(s, lineno, *sweep_col, "unknown token '%.*s'; lines look like " SWEEP_FORM,
                   i > start ? i - start : word_len(ln + start, len - start), ln + start);
        return -1;
    }
    while (i < len && is_blank((unsigned char)ln[i])) i++;
    if (i == len || ln[i] != '(') {
        spec_error(s, lineno, COL, "malformed sweep: expected '(' after SWEEP");
        return -1;
    }
    *paren_col = COL;
    i++;
    int ncols = 0;
    column *cur = NULL;
    for (;;) {
        while (i < len && is_blank((unsigned char)ln[i])) i++;
        if (i < len && ln[i] == ')' && ncols == 0 && !cur) {
            spec_error(s, lineno, COL, "malformed sweep: no columns; lines look like " SWEEP_FORM);
            return -1;
        }
        /* name= starts a column */
        int j = i;
        while (j < len && is_ident((unsigned char)ln[j])) j++;
        int k = j;
        while (k < len && is_blank((unsigned char)ln[k])) k++;
        if (j > i && k < len && ln[k] == '=') {
            if (ncols == SWEEP_MAX_COLUMNS) {
                spec_error(s, lineno, COL, "malformed sweep: more than %d columns", SWEEP_MAX_COLUMNS);
                return -1;
            }
            cur = &cols[ncols++];
            memset(cur, 0, sizeof *cur);
            cur->name = (item){ln + i, j - i, COL};
            i = k + 1;
            while (i < len && is_blank((unsigned char)ln[i])) i++;
        }
        const int vstart = i;
        while (i < len && ln[i] != ',' && ln[i] != ')' && !is_blank((unsigned char)ln[i])) i++;
        const int vlen = i - vstart;
        while (i < len && is_blank((unsigned char)ln[i])) i++;
        if (vlen == 0) {
            if (i == len) break; /* reported below: no ')' */
            spec_error(s, lineno, vstart + 1, "malformed sweep: empty value");
            return -1;
        }
        if (!cur) {
            spec_error(s, lineno, vstart + 1, "expected column=values, got '%.*s'", vlen, ln + vstart);
            return -1;
        }
        if (i < len && ln[i] != ',' && ln[i] != ')') {
            spec_error(s, lineno, COL, "malformed sweep: expected ',' or ')' before '%.*s'",
                       word_len(ln + i, len - i), ln + i);
            return -1;
        }
        if (cur->nvalues == SWEEP_MAX_ITEMS) {
            spec_error(s, lineno, vstart + 1, "%.*s has more than %d values", cur->name.len,
                       cur->name.p, SWEEP_MAX_ITEMS);
            return -1;
        }
        cur->values[cur->nvalues++] = (item){ln + vstart, vlen, vstart + 1};
        cur->end = vstart + vlen;
        if (i == len) break;
        if (ln[i++] == ')') {
            while (i < len && is_blank((unsigned char)ln[i])) i++;
            if (i < len && !(i + 1 < len && ln[i] == '/' && ln[i + 1] == '/')) {
                spec_error(s, lineno, COL, "unexpected '%.*s' after sweep", word_len(ln + i, len - i),
                           ln + i);
                return -1;
            }
            return ncols;
        }
    }
    spec_error(s, lineno, COL, "malformed sweep: expected ')' at end of line");
    return -1;
#undef COL
}

/* One SWEEP line: resolve its columns against its kind, multiply them out
 * and validate each row produced; valid rows are appended to st->s. */
static void sweep_line(sweep_state *st, const char *ln, int len, int lineno)
{
    spec *s = st->s;
    column cols[SWEEP_MAX_COLUMNS];
    int sweep_col = 0, paren_col = 0;
    const int ncols = scan_line(s, ln, len, lineno, &sweep_col, &paren_col, cols);
    if (ncols <= 0) return;
    st->nsweeps++;

    /* kind first: it decides the other columns' names (ytile or mtiles). */
    const column *kind_col = NULL;
    int ok = 1;
    for (int c = 0; c < ncols; c++) {
        if (!item_is(&cols[c].name, "kind")) continue;
        if (kind_col) {
            spec_error(s, lineno, cols[c].name.col, "column 'kind' given twice (first at column %d)",
                       kind_col->name.col);
            ok = 0;
        } else kind_col = &cols[c];
    }
    if (!kind_col) {
        spec_error(s, lineno, paren_col, "missing column 'kind'; SWEEP needs kind=TILE, kind=MMA or kind=MMA_FP8");
        return;
    }
    int kind;
    const item *kv = &kind_col->values[0];
    if (kind_col->nvalues == 1 && item_is(kv, "TILE")) kind = SPEC_KIND_TILE;
    else if (kind_col->nvalues == 1 && item_is(kv, "MMA")) kind = SPEC_KIND_MMA;
    else if (kind_col->nvalues == 1 && item_is(kv, "MMA_FP8")) kind = SPEC_KIND_MMA_FP8;
    else {
        spec_error(s, lineno, kv->col, "kind must be TILE, MMA or MMA_FP8, got '%.*s'",
                   kind_col->end - (kv->col - 1), kv->p);
        return;
    }
    const char *kw = spec_kind_keyword(kind);

    const column *by_field[SPEC_FIELD_COUNT] = {0};
    for (int c = 0; c < ncols; c++) {
        const column *col = &cols[c];
        if (col == kind_col || item_is(&col->name, "kind")) continue;
        int f = -1;
        for (int g = 0; g < SPEC_FIELD_COUNT; g++)
            if (item_is(&col->name, spec_row_field_name(kind, g))) f = g;
        if (f < 0) {
            spec_error(s, lineno, col->name.col, "unknown column '%.*s' for %s; its columns are %s",
                       col->name.len, col->name.p, kw,
                       kind != SPEC_KIND_TILE ? MMA_COLUMNS : TILE_COLUMNS);
            ok = 0;
        } else if (by_field[f]) {
            spec_error(s, lineno, col->name.col, "column '%s' given twice (first at column %d)",
                       spec_row_field_name(kind, f), by_field[f]->name.col);
            ok = 0;
        } else by_field[f] = col;
    }
    for (int f = 0; f < SPEC_FIELD_COUNT; f++)
        if (!by_field[f]) {
            spec_error(s, lineno, paren_col, "missing column '%s'; %s sweeps give kind, %s",
                       spec_row_field_name(kind, f), kw,
                       kind != SPEC_KIND_TILE ? MMA_COLUMNS : TILE_COLUMNS);
            ok = 0;
        }
    if (!ok) return;

    /* Values of each column: lo..hi per item. */
    int lo[SPEC_FIELD_COUNT][SWEEP_MAX_ITEMS], hi[SPEC_FIELD_COUNT][SWEEP_MAX_ITEMS];
    int range[SPEC_FIELD_COUNT][SWEEP_MAX_ITEMS];
    long long rows = 1;
    for (int f = 0; f < SPEC_FIELD_COUNT; f++) {
        const column *col = by_field[f];
        long long count = 0;
        for (int v = 0; v < col->nvalues; v++) {
            const item *it = &col->values[v];
            if (!parse_item(it, &lo[f][v], &hi[f][v], &range[f][v])) {
                spec_error(s, lineno, it->col, "%s must be an integer or a range a..b, got '%.*s'",
                           spec_row_field_name(kind, f), it->len, it->p);
                ok = 0;
            } else if (lo[f][v] > hi[f][v]) {
                spec_error(s, lineno, it->col, "%s range %.*s is empty", spec_row_field_name(kind, f),
                           it->len, it->p);
                ok = 0;
            } else count += (long long)hi[f][v] - lo[f][v] + 1;
        }
        rows = rows * count;
        if (rows > SWEEP_MAX_ROWS) rows = SWEEP_MAX_ROWS + 1LL; /* no overflow */
    }
    if (!ok) return;
    if (st->produced > SWEEP_MAX_ROWS) return; /* reported at an earlier line */
    if (st->produced + rows > SWEEP_MAX_ROWS) {
        spec_error(s, lineno, sweep_col, "sweep produces more than %d rows; split it or narrow it",
                   SWEEP_MAX_ROWS);
        st->produced = SWEEP_MAX_ROWS + 1LL;
        return;
    }
    st->produced += rows;

    /* Remember each column as written, for the validator's messages. */
    for (int f = 0; f < SPEC_FIELD_COUNT; f++) {
        const column *col = by_field[f];
        origin *no = realloc(st->origins, (st->norigins + 1) * sizeof *no);
        if (!no) { fputs("skinnygen: out of memory\n", stderr); exit(2); }
        st->origins = no;
        origin *o = &st->origins[st->norigins++];
        o->line = lineno;
        o->first_col = col->name.col;
        o->last_col = col->end;
        snprintf(o->text, sizeof o->text, "%.*s", col->end - (col->name.col - 1), col->name.p);
    }

    /* The product: an odometer over (item, value in item) of each column,
     * the last column turning fastest. */
    int at_item[SPEC_FIELD_COUNT] = {0}, at_val[SPEC_FIELD_COUNT];
    for (int f = 0; f < SPEC_FIELD_COUNT; f++) at_val[f] = lo[f][0];
    spec one; /* validates one row at a time: every row is checked alone */
    spec_init(&one, s->path);
    for (;;) {
        spec_row r;
        memset(&r, 0, sizeof r);
        r.kind = kind;
        r.line = lineno;
        r.row_col = sweep_col;
        for (int f = 0; f < SPEC_FIELD_COUNT; f++) {
            const item *it = &by_field[f]->values[at_item[f]];
            r.v[f] = at_val[f];
            r.col[f] = it->col;
            if (range[f][at_item[f]]) snprintf(r.text[f], sizeof r.text[f], "%d", at_val[f]);
            else snprintf(r.text[f], sizeof r.text[f], "%.*s", it->len, it->p);
        }
        one.rows = &r;
        one.nrows = one.cap_rows = 1;
        one.ndiags = 0;
        spec_validate(&one);
        for (size_t d = 0; d < one.ndiags; d++) {
            const spec_diag *dg = &one.diags[d];
            /* A column's bad value shows in many rows (and a range's bad
             * values at one column): report each position once. */
            int seen = 0;
            for (size_t e = 0; e < s->ndiags && !seen; e++)
                seen = s->diags[e].line == dg->line && s->diags[e].col == dg->col;
            if (seen) continue;
            const char *from = "";
            for (size_t o = 0; o < st->norigins; o++)
                if (st->origins[o].line == dg->line && dg->col >= st->origins[o].first_col &&
                    dg->col <= st->origins[o].last_col)
                    from = st->origins[o].text;
            spec_error(s, dg->line, dg->col, "%s (from %s)", dg->msg, from);
        }
        if (one.nrows == 1) {
            if (s->nrows == s->cap_rows) {
                const size_t cap = s->cap_rows ? 2 * s->cap_rows : 64;
                spec_row *nr = realloc(s->rows, cap * sizeof *nr);
                if (!nr) { fputs("skinnygen: out of memory\n", stderr); exit(2); }
                s->rows = nr;
                s->cap_rows = cap;
            }
            s->rows[s->nrows++] = r;
        }
        int f = SPEC_FIELD_COUNT - 1;
        for (; f >= 0; f--) {
            if (at_val[f] < hi[f][at_item[f]]) { at_val[f]++; break; }
            if (at_item[f] + 1 < by_field[f]->nvalues) {
                at_item[f]++;
                at_val[f] = lo[f][at_item[f]];
                break;
            }
            at_item[f] = 0;
            at_val[f] = lo[f][0];
        }
        if (f < 0) break;
    }
    free(one.diags);
}

/* Same kind and values: the same kernel. */
static int same_row(const spec_row *a, const spec_row *b)
{
    if (a->kind != b->kind) return 0;
    for (int f = 0; f < SPEC_FIELD_COUNT; f++)
        if (a->v[f] != b->v[f]) return 0;
    return 1;
}

void sweep_expand(spec *s, const char *text)
{
    sweep_state st = {s, NULL, 0, 0, 0};
    int lineno = 1;
    for (const char *p = text; *p; lineno++) {
        const char *e = strchr(p, '\n');
        const int len = e ? (int)(e - p) : (int)strlen(p);
        sweep_line(&st, p, len, lineno);
        if (!e) break;
        p = e + 1;
    }
    free(st.origins);
    if (st.nsweeps == 0 && s->ndiags == 0)
        spec_error(s, 1, 1, "no SWEEP lines; lines look like " SWEEP_FORM);
    /* Dispatch order, then one row per kernel (sweeps may overlap). */
    if (s->nrows > 1) qsort(s->rows, s->nrows, sizeof *s->rows, plan_row_cmp);
    size_t kept = 0;
    for (size_t i = 0; i < s->nrows; i++)
        if (kept == 0 || !same_row(&s->rows[kept - 1], &s->rows[i])) s->rows[kept++] = s->rows[i];
    s->nrows = kept;
}

int sweep_write_table(FILE *out, const spec *s, const char *sweep_path)
{
    fprintf(out,
            "// Candidate table generated by skinnygen --sweep from %s\n"
            "// (do not edit: change the sweep file and run skinnygen --sweep again).\n"
            "// %zu rows, in dispatch order; columns as in specs/tiles.def:\n"
            "//   TILE(n, wave, waves_per_group, ytile, unroll)\n"
            "//   MMA(n, wave, waves_per_group, mtiles, unroll)\n"
            "//   MMA_FP8(n, wave, waves_per_group, mtiles, unroll)\n",
            sweep_path, s->nrows);
    for (size_t i = 0; i < s->nrows; i++) {
        const spec_row *r = &s->rows[i];
        fprintf(out, "%s(%d, %d, %d, %d, %d)\n", spec_kind_keyword(r->kind), r->v[SPEC_FIELD_n],
                r->v[SPEC_FIELD_wave], r->v[SPEC_FIELD_waves_per_group], r->v[SPEC_FIELD_ytile],
                r->v[SPEC_FIELD_unroll]);
    }
    return ferror(out) ? -1 : 0;
}

int sweep_write_table_file(const char *path, const spec *s, const char *sweep_path)
{
    char *data = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&data, &len);
    if (!mem) {
        fprintf(stderr, "skinnygen: out of memory\n");
        return -1;
    }
    const int ok = sweep_write_table(mem, s, sweep_path) == 0;
    if (fclose(mem) != 0 || !ok) {
        free(data);
        fprintf(stderr, "skinnygen: cannot format the table for %s\n", path);
        return -1;
    }
    const int rc = outdir_write_atomic(path, data, len);
    free(data);
    return rc;
}
