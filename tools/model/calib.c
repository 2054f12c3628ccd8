/* calib.c - see calib.h. */
#define _POSIX_C_SOURCE 200809L
#include "calib.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "co_names.h"

enum { C_DTYPE, C_M, C_K, C_N, C_KERNEL, C_PCT, C_READ, C_CEIL, C_COUNT };
/* The measure CSV's: kernel is "row", pct is "us", read absent. */
static const char *const col_names[2][C_COUNT] = {
    {"dtype", "m", "k", "n", "kernel", "pct_read_at_size", "read_at_size_us", "ceiling_gbs"},
    {"dtype", "m", "k", "n", "row", "us", NULL, NULL}};

/* Splits a CSV line (no quoting: skinny-bench writes none) in place. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line;; p++) {
        if (n == max) return n;
        f[n++] = p;
        p = strchr(p, ',');
        if (!p) return n;
        *p = '\0';
    }
}

/* Reads either format (measure 0: skinny-bench's main CSV; 1: --measure). */
static int read_csv(const char *path, int measure, calib_cell **cells)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    char buf[4096];
    char *f[64];
    int col[C_COUNT], line = 1, n = 0, cap = 0, errors = 0;
    *cells = NULL;
    if (!fgets(buf, sizeof buf, fp)) {
        fprintf(stderr, "%s:1: error: empty file\n", path);
        fclose(fp);
        return -1;
    }
    int nf = split(buf, f, 64);
    for (int c = 0; c < C_COUNT; c++) {
        col[c] = -1;
        if (!col_names[measure][c]) continue;
        for (int i = 0; i < nf; i++)
            if (!strcmp(f[i], col_names[measure][c])) col[c] = i;
        if (col[c] < 0 && c != C_READ && c != C_CEIL) { /* optional ones */
            fprintf(stderr, "%s:1: error: no column '%s' (a skinny-bench %sCSV has it)\n", path,
                    col_names[measure][c], measure ? "--measure " : "");
            errors++;
        }
    }
    while (!errors && fgets(buf, sizeof buf, fp)) {
        line++;
        if (buf[0] == '\n' || buf[0] == '\0') continue;
        nf = split(buf, f, 64);
        calib_cell c;
        memset(&c, 0, sizeof c);
        c.line = line;
        char *end;
        int bad = 0;
        for (int i = 0; i < C_COUNT; i++) bad |= col[i] >= nf;
        c.read_us = c.ceiling_gbs = -1;
        if (!bad && col[C_READ] >= 0) {
            c.read_us = strtod(f[col[C_READ]], &end);
            if (*end || !(c.read_us > 0)) c.read_us = -1;
        }
        if (!bad && col[C_CEIL] >= 0) {
            c.ceiling_gbs = strtod(f[col[C_CEIL]], &end);
            if (*end || !(c.ceiling_gbs > 0)) c.ceiling_gbs = -1;
        }
        if (!bad) {
            bad |= snprintf(c.dtype, sizeof c.dtype, "%s", f[col[C_DTYPE]]) >= (int)sizeof c.dtype;
            bad |= snprintf(c.kernel, sizeof c.kernel, "%s", f[col[C_KERNEL]]) >= (int)sizeof c.kernel;
            c.m = strtoll(f[col[C_M]], &end, 10), bad |= *end || c.m <= 0;
            c.k = strtoll(f[col[C_K]], &end, 10), bad |= *end || c.k <= 0;
            c.n = strtoll(f[col[C_N]], &end, 10), bad |= *end || c.n <= 0;
            c.measured_pct = strtod(f[col[C_PCT]], &end), bad |= *end || !(c.measured_pct > 0);
        }
        if (bad) {
            fprintf(stderr, "%s:%d: error: expected dtype, m, k, n, %s and a positive %s\n", path,
                    line, col_names[measure][C_KERNEL], col_names[measure][C_PCT]);
            errors++;
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            *cells = realloc(*cells, (size_t)cap * sizeof **cells);
            if (!*cells) abort();
        }
        c.predicted_pct = -1;
        (*cells)[n++] = c;
    }
    fclose(fp);
    if (errors) {
        free(*cells);
        *cells = NULL;
        return -1;
    }
    return n;
}

int calib_read(const char *path, calib_cell **cells) { return read_csv(path, 0, cells); }

int calib_read_measure(const char *path, const calib_cell *main_cells, int nmain,
                       calib_cell **cells)
{
    int n = read_csv(path, 1, cells);
    int errors = 0;
    for (int i = 0; i < n; i++) {
        calib_cell *c = &(*cells)[i];
        double read_us = -1;
        for (int j = 0; j < nmain && read_us < 0; j++)
            if (main_cells[j].m == c->m && main_cells[j].k == c->k) read_us = main_cells[j].read_us;
        if (read_us < 0) {
            fprintf(stderr, "%s:%d: error: no read_at_size_us for %lldx%lld in the main CSV\n",
                    path, c->line, (long long)c->m, (long long)c->k);
            errors++;
            continue;
        }
        c->measured_pct = 100.0 * read_us / c->measured_pct; /* the column held us */
        c->read_us = read_us;
        c->ceiling_gbs = nmain ? main_cells[0].ceiling_gbs : -1;
    }
    if (errors) {
        free(*cells);
        *cells = NULL;
        return -1;
    }
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double rel_err(const calib_cell *c)
{
    return 100.0 * fabs(c->predicted_pct - c->measured_pct) / c->measured_pct;
}

/* Median and worst of the cells of a kind (-1: both) and size class. */
static int stats(const calib_cell *cells, int n, int kind, double min_bytes, double *med,
                 double *worst, const calib_cell **worst_cell)
{
    double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    if (!v) abort();
    int m = 0;
    *worst = -1;
    for (int i = 0; i < n; i++) {
        const calib_cell *c = &cells[i];
        co_row r = co_row_of_name(c->kernel);
        if (c->predicted_pct < 0 || !r.ok || (kind >= 0 && r.mma != kind) ||
            (double)c->m * (double)c->k * 2.0 < min_bytes)
            continue;
        v[m++] = rel_err(c);
        if (rel_err(c) > *worst) *worst = rel_err(c), *worst_cell = c;
    }
    if (m) {
        qsort(v, (size_t)m, sizeof *v, cmp_double);
        *med = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
    }
    free(v);
    return m;
}

double calib_report(FILE *f, const calib_cell *cells, int n, double bw_mib)
{
    static const char *const kinds[] = {"TILE", "MMA", "all"};
    double result = -1;
    fprintf(f, "| kind | cells | median error | worst error | worst cell | bandwidth-bound "
               "(weights >= %.0f MiB) cells | median | worst |\n", bw_mib);
    fprintf(f, "|---|---:|---:|---:|---|---:|---:|---:|\n");
    for (int k = 0; k < 3; k++) {
        int kind = k == 2 ? -1 : k;
        double med = 0, worst, bmed = 0, bworst;
        const calib_cell *wc = NULL, *bwc = NULL;
        int m = stats(cells, n, kind, 0, &med, &worst, &wc);
        int b = stats(cells, n, kind, bw_mib * 1048576.0, &bmed, &bworst, &bwc);
        if (m == 0) {
            fprintf(f, "| %s | 0 | - | - | - | 0 | - | - |\n", kinds[k]);
            continue;
        }
        fprintf(f, "| %s | %d | %.1f %% | %.1f %% | %s %s %lldx%lldx%lld | %d | ", kinds[k], m,
                med, worst, wc->kernel, wc->dtype, (long long)wc->n, (long long)wc->m,
                (long long)wc->k, b);
        if (b) fprintf(f, "%.1f %% | %.1f %% |\n", bmed, bworst);
        else fprintf(f, "- | - |\n");
        if (kind < 0 && b) result = bmed;
    }
    fprintf(f, "\n| dtype | N | M | K | kernel | measured %% of read | predicted %% | error |\n");
    fprintf(f, "|---|---:|---:|---:|---|---:|---:|---:|\n");
    for (int i = 0; i < n; i++) {
        const calib_cell *c = &cells[i];
        if (c->predicted_pct < 0)
            fprintf(f, "| %s | %lld | %lld | %lld | %s | %.1f | no prediction | - |\n", c->dtype,
                    (long long)c->n, (long long)c->m, (long long)c->k, c->kernel, c->measured_pct);
        else
            fprintf(f, "| %s | %lld | %lld | %lld | %s | %.1f | %.1f | %.1f %% |\n", c->dtype,
                    (long long)c->n, (long long)c->m, (long long)c->k, c->kernel, c->measured_pct,
                    c->predicted_pct, rel_err(c));
    }
    return result;
}
