/* rules.c - parse and check specs/dispatch.def (see rules.h). */
#include "rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { R_DEVICE, R_N, R_WAVE, R_DTYPE, R_M, R_K, R_CHOICE, R_FIELDS };
static const char *const field_names[R_FIELDS] = {"device", "n", "wave", "dtype", "m", "k", "choice"};
#define FIELD_LIST "device, n, wave, dtype, m, k, choice"
#define SYNTAX "rows look like MEASURED(" FIELD_LIST ")"

/* A field: [start, start+len) of the line, 1-based column. */
typedef struct field { const char *p; int len, col; } field;

static int trim(const char *p, int len, int *lead)
{
    int a = 0, b = len;
    while (a < b && isspace((unsigned char)p[a])) a++;
    while (b > a && isspace((unsigned char)p[b - 1])) b--;
    *lead = a;
    return b - a;
}

static int as_int(const field *f, long long *v)
{
    if (f->len == 0 || f->len > 18) return 0;
    long long x = 0;
    for (int i = 0; i < f->len; i++) {
        if (!isdigit((unsigned char)f->p[i])) return 0;
        x = x * 10 + (f->p[i] - '0');
    }
    *v = x;
    return 1;
}

/* A device key as skinny_device_key() writes it: [a-z0-9_], 1..63 chars. */
static int is_device_key(const field *f)
{
    if (f->len < 1 || f->len > RULE_DEVICE_MAX) return 0;
    for (int i = 0; i < f->len; i++) {
        const char c = f->p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

static const spec_row *find_row(const spec *t, const field *f)
{
    for (size_t i = 0; i < t->nrows; i++)
        if ((int)strlen(t->rows[i].name) == f->len && !memcmp(t->rows[i].name, f->p, (size_t)f->len))
            return &t->rows[i];
    return NULL;
}

static void line_rule(rules *out, const char *ln, int len, int lineno, const spec *t, spec *d)
{
    /* Cut a trailing // comment, then blanks. */
    for (int i = 0; i + 1 < len; i++)
        if (ln[i] == '/' && ln[i + 1] == '/') { len = i; break; }
    int lead, n = trim(ln, len, &lead);
    if (n == 0) return;
    const char *p = ln + lead;
    const int col0 = lead + 1;
    const char *open = memchr(p, '(', (size_t)n);
    if (strncmp(p, "MEASURED", 8) != 0 || !open || open - p < 8) {
        spec_error(d, lineno, col0, "unknown token '%.*s'; " SYNTAX, n < 24 ? n : 24, p);
        return;
    }
    int klead, klen = trim(p + 8, (int)(open - p) - 8, &klead);
    if (klen != 0) {
        spec_error(d, lineno, col0, "unknown token '%.*s'; " SYNTAX, (int)(open - p), p);
        return;
    }
    if (p[n - 1] != ')') {
        spec_error(d, lineno, col0 + n, "malformed row: expected ')' at end of row");
        return;
    }
    field f[R_FIELDS + 1];
    int nf = 0;
    const char *q = open + 1, *end = p + n - 1;
    while (nf <= R_FIELDS) {
        const char *comma = memchr(q, ',', (size_t)(end - q));
        const char *stop = comma ? comma : end;
        int fl, flen = trim(q, (int)(stop - q), &fl);
        f[nf].p = q + fl;
        f[nf].len = flen;
        f[nf].col = (int)(q + fl - ln) + 1;
        nf++;
        if (!comma) break;
        q = comma + 1;
    }
    if (nf != R_FIELDS) {
        spec_error(d, lineno, (int)(open - ln) + 1, "MEASURED takes %d fields (" FIELD_LIST "), got %d",
                   R_FIELDS, nf);
        return;
    }
    rule r;
    memset(&r, 0, sizeof r);
    r.line = lineno;
    long long v[R_FIELDS] = {0};
    int ok = 1;
    if (!is_device_key(&f[R_DEVICE])) {
        spec_error(d, lineno, f[R_DEVICE].col,
                   "%s must be a device key ([a-z0-9_], 1 to 63 characters, e.g. nvidia_h200), got '%.*s'",
                   field_names[R_DEVICE], f[R_DEVICE].len, f[R_DEVICE].p);
        ok = 0;
    }
    static const int int_fields[] = {R_N, R_WAVE, R_M, R_K};
    for (size_t i = 0; i < sizeof int_fields / sizeof int_fields[0]; i++) {
        const int fi = int_fields[i];
        if (!as_int(&f[fi], &v[fi]) || v[fi] <= 0) {
            spec_error(d, lineno, f[fi].col, "%s must be a positive integer, got '%.*s'",
                       field_names[fi], f[fi].len, f[fi].p);
            ok = 0;
        }
    }
    if (ok && v[R_K] % 8) {
        spec_error(d, lineno, f[R_K].col, "k must be a multiple of 8, got %lld", v[R_K]);
        ok = 0;
    }
    const int is_bf16 = f[R_DTYPE].len == 4 && !memcmp(f[R_DTYPE].p, "bf16", 4);
    const int is_fp16 = f[R_DTYPE].len == 4 && !memcmp(f[R_DTYPE].p, "fp16", 4);
    if (!is_bf16 && !is_fp16) {
        spec_error(d, lineno, f[R_DTYPE].col, "dtype must be bf16 or fp16, got '%.*s'",
                   f[R_DTYPE].len, f[R_DTYPE].p);
        ok = 0;
    }
    const field *c = &f[R_CHOICE];
    const int none = c->len == 4 && !memcmp(c->p, "none", 4);
    if (!none && ok) {
        const spec_row *row = find_row(t, c);
        if (!row) {
            spec_error(d, lineno, c->col, "choice '%.*s' is not a kernel of the table (or 'none')",
                       c->len, c->p);
            ok = 0;
        } else if (row->v[SPEC_FIELD_n] != v[R_N] || row->v[SPEC_FIELD_wave] != v[R_WAVE]) {
            spec_error(d, lineno, c->col, "kernel '%s' serves n=%d wave=%d, not n=%lld wave=%lld",
                       row->name, row->v[SPEC_FIELD_n], row->v[SPEC_FIELD_wave], v[R_N], v[R_WAVE]);
            ok = 0;
        }
    }
    if (!ok) return;
    snprintf(r.device, sizeof r.device, "%.*s", f[R_DEVICE].len, f[R_DEVICE].p);
    r.n = (int)v[R_N];
    r.wave = (int)v[R_WAVE];
    r.bf16 = is_bf16;
    r.m = v[R_M];
    r.k = v[R_K];
    snprintf(r.choice, sizeof r.choice, "%.*s", c->len, c->p);
    for (size_t i = 0; i < out->count; i++) {
        const rule *o = &out->v[i];
        /* The same cell on another device is another measurement. */
        if (!strcmp(o->device, r.device) && o->n == r.n && o->wave == r.wave && o->bf16 == r.bf16 &&
            o->m == r.m && o->k == r.k) {
            spec_error(d, lineno, col0, "cell measured twice: same as line %d", o->line);
            return;
        }
    }
    rule *nv = realloc(out->v, (out->count + 1) * sizeof *nv);
    if (!nv) { fputs("skinnygen: out of memory\n", stderr); exit(2); }
    out->v = nv;
    out->v[out->count++] = r;
}

void rules_parse(rules *out, const char *text, const spec *table, spec *diags)
{
    memset(out, 0, sizeof *out);
    int lineno = 1;
    for (const char *p = text; *p; lineno++) {
        const char *e = strchr(p, '\n');
        const int len = e ? (int)(e - p) : (int)strlen(p);
        line_rule(out, p, len, lineno, table, diags);
        if (!e) break;
        p = e + 1;
    }
}

void rules_free(rules *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}
