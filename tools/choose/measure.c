/* measure.c - the measurement CSV of `skinny-bench --tune --measure`:
 *
 *   device,dtype,n,m,k,row,us,cublas_us,check
 *
 * one line per (cell, candidate row). Every malformed line is reported as
 * FILE:LINE: error: ..., so a bad file is fixed in one pass. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"

#define HEADER "device,dtype,n,m,k,row,us,cublas_us,check"
enum { F_DEVICE, F_DTYPE, F_N, F_M, F_K, F_ROW, F_US, F_CUBLAS, F_CHECK, F_COUNT };

static int as_ll(const char *s, long long *v)
{
    if (!*s || strlen(s) > 15) return 0;
    long long x = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p)) return 0;
        x = x * 10 + (*p - '0');
    }
    if (x <= 0) return 0;
    *v = x;
    return 1;
}

static int as_time(const char *s, double *v)
{
    char *end;
    if (!*s) return 0;
    double x = strtod(s, &end);
    if (*end || !isfinite(x) || x <= 0) return 0;
    *v = x;
    return 1;
}

/* Same rule as the rules file (gen/rules.c): [a-z0-9_], 1..63 characters. */
static int is_device_key(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > CH_DEVICE_MAX) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

static ch_cell *find_cell(ch_input *in, const char *dev, int bf16, int w_fp8, int n, long long m, long long k)
{
    for (size_t i = 0; i < in->ncells; i++) {
        ch_cell *c = &in->cells[i];
        if (!strcmp(c->device, dev) && c->bf16 == bf16 && c->w_fp8 == w_fp8 && c->n == n && c->m == m && c->k == k)
            return c;
    }
    return NULL;
}

static void data_line(ch_input *in, const char *path, int lineno, char *ln, int rows_fixed)
{
    char *f[F_COUNT];
    const int nf = ch_split(ln, f, F_COUNT);
    if (nf != F_COUNT) {
        ch_error(in, path, lineno, "expected %d fields (" HEADER "), got %d", F_COUNT, nf);
        return;
    }
    for (int i = 0; i < F_COUNT; i++) { /* tolerate blanks around fields */
        while (isspace((unsigned char)*f[i])) f[i]++;
        size_t l = strlen(f[i]);
        while (l && isspace((unsigned char)f[i][l - 1])) f[i][--l] = '\0';
    }
    const int before = in->errors;
    if (!is_device_key(f[F_DEVICE]))
        ch_error(in, path, lineno, "device must be a device key ([a-z0-9_], 1 to 63 characters), got '%s'",
                 f[F_DEVICE]);
    /* fp8w-bf16 / fp8w-fp16: fp8 weights (skinny-bench --dtype fp8 --tune). */
    const int w_fp8 = !strncmp(f[F_DTYPE], "fp8w-", 5);
    const char *act = w_fp8 ? f[F_DTYPE] + 5 : f[F_DTYPE];
    const int bf16 = !strcmp(act, "bf16");
    if (!bf16 && strcmp(act, "fp16"))
        ch_error(in, path, lineno, "dtype must be bf16, fp16, fp8w-bf16 or fp8w-fp16, got '%s'", f[F_DTYPE]);
    else if (w_fp8 && !in->take_fp8)
        ch_error(in, path, lineno, "dtype %s: fp8-weight rows are not chosen by measurement (grade them with "
                 "skinny-heuristic-check)", f[F_DTYPE]);
    long long n = 0, m = 0, k = 0;
    if (!as_ll(f[F_N], &n) || n > 64) ch_error(in, path, lineno, "n must be an integer 1..64, got '%s'", f[F_N]);
    if (!as_ll(f[F_M], &m)) ch_error(in, path, lineno, "m must be a positive integer, got '%s'", f[F_M]);
    if (!as_ll(f[F_K], &k)) ch_error(in, path, lineno, "k must be a positive integer, got '%s'", f[F_K]);
    else if (k % 8) ch_error(in, path, lineno, "k must be a multiple of 8, got %lld", k);
    double us = 0, cublas = 0;
    if (!as_time(f[F_US], &us)) ch_error(in, path, lineno, "us must be a positive number, got '%s'", f[F_US]);
    if (!as_time(f[F_CUBLAS], &cublas))
        ch_error(in, path, lineno, "cublas_us must be a positive number, got '%s'", f[F_CUBLAS]);
    const int ok = !strcmp(f[F_CHECK], "ok");
    if (!ok && strcmp(f[F_CHECK], "wrong"))
        ch_error(in, path, lineno, "check must be ok or wrong, got '%s'", f[F_CHECK]);
    ch_row r;
    int ri = -1;
    if (rows_fixed) {
        ri = ch_find_row(in, f[F_ROW]);
        if (ri < 0) ch_error(in, path, lineno, "row '%s' is not a row of the candidate table", f[F_ROW]);
    } else if (!ch_parse_name(f[F_ROW], &r)) {
        ch_error(in, path, lineno, "row '%s' is not a kernel name (n<N>_w<W>_g<G>_y<T>_u<U>, ..._m<T>_u<U> or ..._f<T>_u<U>)",
                 f[F_ROW]);
    } else {
        ri = ch_add_row(in, &r);
    }
    if (ri >= 0 && in->errors == before && in->rows[ri].fp8 != w_fp8)
        ch_error(in, path, lineno, "row %s takes %s weights, but the cell's dtype is %s", f[F_ROW],
                 in->rows[ri].fp8 ? "fp8" : "16-bit", f[F_DTYPE]);
    if (ri >= 0 && n > 0 && in->rows[ri].n != n)
        ch_error(in, path, lineno, "row %s serves n=%d, but the cell has n=%lld", f[F_ROW], in->rows[ri].n, n);
    if (in->errors != before) return;

    ch_cell *c = find_cell(in, f[F_DEVICE], bf16, w_fp8, (int)n, m, k);
    if (!c) {
        in->cells = ch_xrealloc(in->cells, (in->ncells + 1) * sizeof *in->cells);
        c = &in->cells[in->ncells++];
        memset(c, 0, sizeof *c);
        snprintf(c->device, sizeof c->device, "%s", f[F_DEVICE]);
        c->bf16 = bf16, c->w_fp8 = w_fp8, c->n = (int)n, c->m = m, c->k = k;
        c->cublas_us = cublas;
        c->wave = in->rows[ri].wave;
        c->file = path, c->line = lineno;
    }
    /* cuBLAS was timed once per cell: lines that disagree are not one run. */
    if (cublas != c->cublas_us) {
        ch_error(in, path, lineno, "cublas_us %s differs from %g on %s:%d (same cell)", f[F_CUBLAS],
                 c->cublas_us, c->file, c->line);
        return;
    }
    /* One device has one wave size: rows of two in a cell are a mix-up. */
    if (in->rows[ri].wave != c->wave) {
        ch_error(in, path, lineno, "row %s is a wave-%d row, but the cell's rows are wave %d (%s:%d)",
                 f[F_ROW], in->rows[ri].wave, c->wave, c->file, c->line);
        return;
    }
    in->rows[ri].measured = 1;
    for (size_t i = 0; i < c->ncand; i++)
        if (c->cand[i].row == ri) {
            ch_error(in, path, lineno, "row %s measured twice in this cell: same as %s:%d", f[F_ROW],
                     c->cand[i].file, c->cand[i].line);
            return;
        }
    c->cand = ch_xrealloc(c->cand, (c->ncand + 1) * sizeof *c->cand);
    c->cand[c->ncand++] = (ch_cand){.row = ri, .us = us, .ok = ok, .file = path, .line = lineno};
}

void ch_read_measure(ch_input *in, const char *path, int rows_fixed)
{
    char *text = ch_slurp(path);
    if (!text) {
        fprintf(stderr, "skinny-choose: cannot read %s\n", path);
        exit(2);
    }
    int lineno = 1, seen_header = 0, data = 0;
    for (char *p = text; *p; lineno++) {
        char *e = strchr(p, '\n');
        if (e) *e = '\0';
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r') p[--l] = '\0';
        if (l == 0 || p[0] == '#') { /* blank lines and # comments */
        } else if (!seen_header) {
            /* The header pins the column order: a file of another layout
             * must not be read as this one. */
            if (strcmp(p, HEADER)) ch_error(in, path, lineno, "expected the header '" HEADER "'");
            seen_header = 1;
        } else {
            data_line(in, path, lineno, p, rows_fixed);
            data++;
        }
        if (!e) break;
        p = e + 1;
    }
    if (!seen_header) ch_error(in, path, lineno > 1 ? lineno - 1 : 1, "empty file: expected the header '" HEADER "'");
    else if (!data) ch_error(in, path, lineno > 1 ? lineno - 1 : 1, "no measurements after the header");
    free(text);
}

void ch_cells_finish(ch_input *in)
{
    for (size_t i = 0; i < in->ncells; i++) {
        ch_cell *c = &in->cells[i];
        c->best = 0;
        for (size_t j = 0; j < c->ncand; j++)
            if (c->cand[j].ok && (c->best == 0 || c->cand[j].us < c->best)) c->best = c->cand[j].us;
        c->won = c->best > 0 && c->best < c->cublas_us;
    }
}
