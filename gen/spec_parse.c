/* spec_parse.c - tiles.def text -> rows. Syntax only; ranges and cross-row
 * rules are spec_validate's. Every error is recorded, none stops the scan. */
#include "spec.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need) c *= 2;
    void *q = realloc(p, c * elem);
    if (!q) { fputs("skinnygen: out of memory\n", stderr); exit(2); }
    *cap = c;
    return q;
}

void spec_init(spec *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->path = path;
}

void spec_free(spec *s)
{
    free(s->rows);
    free(s->diags);
    memset(s, 0, sizeof *s);
}

/* Diagnostics are appended here by the parser and the validator. */
void spec_error(spec *s, int line, int col, const char *fmt, ...)
{
    s->diags = grow(s->diags, &s->cap_diags, s->ndiags + 1, sizeof *s->diags);
    spec_diag *d = &s->diags[s->ndiags++];
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
}

const char *spec_field_name(int field)
{
    static const char *const names[] = {
#define SPEC_X_NAME(f, lo, hi) #f,
        SPEC_FIELDS(SPEC_X_NAME)
#undef SPEC_X_NAME
    };
    return field >= 0 && field < SPEC_FIELD_COUNT ? names[field] : "?";
}

const char *spec_row_field_name(int kind, int field)
{
    return kind != SPEC_KIND_TILE && field == SPEC_FIELD_ytile ? "mtiles" : spec_field_name(field);
}

const char *spec_kind_keyword(int kind)
{
    return kind == SPEC_KIND_MMA_FP8 ? "MMA_FP8" : kind == SPEC_KIND_MMA ? "MMA" : "TILE";
}

static int is_ident_start(int c) { return isalpha(c) || c == '_'; }
static int is_ident(int c) { return isalnum(c) || c == '_'; }
static int is_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Length of the "word" at p for messages: up to a blank, delimiter or EOL. */
static int word_len(const char *p)
{
    int n = 0;
    while (p[n] && p[n] != '\n' && !is_blank((unsigned char)p[n]) && p[n] != ',' &&
           p[n] != '(' && p[n] != ')' && n < 40)
        n++;
    return n ? n : 1;
}

/* Decimal digits only (leading zeros allowed); values past INT_MAX clamp to
 * INT_MAX so the range check reports them. Returns 0 if not an integer.
 * Shared with the sweep reader (sweep.c). */
int spec_parse_int(const char *p, int len, int *out)
{
    long long v = 0;
    if (len <= 0) return 0;
    for (int i = 0; i < len; i++) {
        if (!isdigit((unsigned char)p[i])) return 0;
        if (v <= INT_MAX) v = v * 10 + (p[i] - '0');
    }
    *out = v > INT_MAX ? INT_MAX : (int)v;
    return 1;
}

#define FIELD_LIST "n, wave, waves_per_group, ytile, unroll"
#define MMA_FIELD_LIST "n, wave, waves_per_group, mtiles, unroll"
#define ROW_FORMS "TILE(" FIELD_LIST "), MMA(" MMA_FIELD_LIST ") or MMA_FP8(" MMA_FIELD_LIST ")"

/* Parse one line (without its newline). */
static void parse_line(spec *s, const char *ln, int len, int lineno)
{
    int i = 0;
#define COL (i + 1)
    while (i < len && is_blank((unsigned char)ln[i])) i++;
    if (i == len || (i + 1 < len && ln[i] == '/' && ln[i + 1] == '/')) return;

    const int row_col = COL;
    if (!is_ident_start((unsigned char)ln[i])) {
        spec_error(s, lineno, COL, "unknown token '%.*s'; rows look like " ROW_FORMS,
                   word_len(ln + i), ln + i);
        return;
    }
    int start = i;
    while (i < len && is_ident((unsigned char)ln[i])) i++;
    int kind;
    if (i - start == 4 && strncmp(ln + start, "TILE", 4) == 0) {
        kind = SPEC_KIND_TILE;
    } else if (i - start == 3 && strncmp(ln + start, "MMA", 3) == 0) {
        kind = SPEC_KIND_MMA;
    } else if (i - start == 7 && strncmp(ln + start, "MMA_FP8", 7) == 0) {
        kind = SPEC_KIND_MMA_FP8;
    } else {
        spec_error(s, lineno, row_col, "unknown token '%.*s'; rows look like " ROW_FORMS,
                   i - start, ln + start);
        return;
    }
    const char *kw = spec_kind_keyword(kind);
    while (i < len && is_blank((unsigned char)ln[i])) i++;
    if (i == len || ln[i] != '(') {
        spec_error(s, lineno, COL, "malformed row: expected '(' after %s", kw);
        return;
    }
    const int paren_col = COL;
    i++;

    spec_row row;
    memset(&row, 0, sizeof row);
    row.kind = kind;
    row.line = lineno;
    row.row_col = row_col;
    int nfields = 0, ok = 1, closed = 0;
    for (;;) {
        while (i < len && is_blank((unsigned char)ln[i])) i++;
        int fstart = i;
        while (i < len && ln[i] != ',' && ln[i] != ')' && !is_blank((unsigned char)ln[i])) i++;
        int flen = i - fstart;
        int fcol = fstart + 1;
        while (i < len && is_blank((unsigned char)ln[i])) i++;
        if (flen == 0) {
            if (i < len && ln[i] == ')' && nfields == 0) { i++; closed = 1; break; } /* TILE() */
            spec_error(s, lineno, fcol, "malformed row: empty field");
            return;
        }
        if (i < len && ln[i] != ',' && ln[i] != ')') {
            spec_error(s, lineno, COL, "malformed row: expected ',' or ')' before '%.*s'",
                       word_len(ln + i), ln + i);
            return;
        }
        if (nfields < SPEC_FIELD_COUNT) {
            row.col[nfields] = fcol;
            snprintf(row.text[nfields], sizeof row.text[nfields], "%.*s", flen, ln + fstart);
            if (!spec_parse_int(ln + fstart, flen, &row.v[nfields])) {
                spec_error(s, lineno, fcol, "%s must be an integer, got '%.*s'",
                           spec_row_field_name(kind, nfields), flen, ln + fstart);
                ok = 0;
            }
        }
        nfields++;
        if (i == len) break;
        if (ln[i++] == ')') { closed = 1; break; }
    }
    if (!closed) {
        spec_error(s, lineno, COL, "malformed row: expected ')' at end of row");
        return;
    }
    while (i < len && is_blank((unsigned char)ln[i])) i++;
    if (i < len && !(i + 1 < len && ln[i] == '/' && ln[i + 1] == '/')) {
        spec_error(s, lineno, COL, "unexpected '%.*s' after row", word_len(ln + i), ln + i);
        return;
    }
    if (nfields != SPEC_FIELD_COUNT) {
        spec_error(s, lineno, paren_col, "%s takes %d fields (%s), got %d", kw, SPEC_FIELD_COUNT,
                   kind != SPEC_KIND_TILE ? MMA_FIELD_LIST : FIELD_LIST, nfields);
        return;
    }
    if (!ok) return;
    s->rows = grow(s->rows, &s->cap_rows, s->nrows + 1, sizeof *s->rows);
    s->rows[s->nrows++] = row;
#undef COL
}

void spec_parse(spec *s, const char *text, int first_line)
{
    int lineno = first_line;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        int len = e ? (int)(e - p) : (int)strlen(p);
        parse_line(s, p, len, lineno++);
        if (!e) break;
        p = e + 1;
    }
}

char *spec_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; }
            else buf = nb;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) { free(buf); return NULL; }
    if (memchr(buf, '\0', n)) { /* a NUL would end the text early: refuse */
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* File lines in order, then --add rows (negative lines) in --add order. */
static int diag_cmp(const void *a, const void *b)
{
    const spec_diag *x = a, *y = b;
    if ((x->line < 0) != (y->line < 0)) return x->line < 0 ? 1 : -1;
    int xl = x->line < 0 ? -x->line : x->line, yl = y->line < 0 ? -y->line : y->line;
    if (xl != yl) return xl < yl ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

void spec_print_diags(const spec *s, FILE *out)
{
    if (s->ndiags == 0) return; /* s->diags may be NULL: no memcpy from it */
    spec_diag *sorted = malloc(s->ndiags * sizeof *sorted + 1);
    if (!sorted) return;
    memcpy(sorted, s->diags, s->ndiags * sizeof *sorted);
    qsort(sorted, s->ndiags, sizeof *sorted, diag_cmp);
    for (size_t i = 0; i < s->ndiags; i++) {
        const spec_diag *d = &sorted[i];
        if (d->line < 0) /* a row of skinnygen --add, located as in main.c */
            fprintf(out, "--add:%d:%d: error: %s\n", -d->line, d->col, d->msg);
        else
            fprintf(out, "%s:%d:%d: error: %s\n", s->path, d->line, d->col, d->msg);
    }
    free(sorted);
}
