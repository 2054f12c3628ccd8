/* rows.c - candidate rows: kernel names and TILE(...)/MMA(...) lines.
 * MMA_FP8(...) lines (fp8 weights) are not candidates: the chooser
 * skips them (and keeps those of a --keep file as written; see choose.h);
 * skinny-heuristic-check reads them as rows (ch_input.take_fp8).
 * A small reader of its own, not the generator's parser: skinny-choose
 * runs on any machine without the generator, and the table it writes is
 * checked by skinnygen itself (the cpu test round-trips it). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"

/* A positive decimal integer at *p (at most 6 digits); advances *p. */
static int number(const char **p, int *v)
{
    const char *s = *p;
    long x = 0;
    int d = 0;
    while (isdigit((unsigned char)*s) && d < 7) x = x * 10 + (*s++ - '0'), d++;
    if (d == 0 || d > 6 || x <= 0) return 0;
    *v = (int)x;
    *p = s;
    return 1;
}

int ch_parse_name(const char *s, ch_row *r)
{
    memset(r, 0, sizeof *r);
    const char *p = s;
    if (*p++ != 'n' || !number(&p, &r->n)) return 0;
    if (strncmp(p, "_w", 2) || (p += 2, !number(&p, &r->wave))) return 0;
    if (strncmp(p, "_g", 2) || (p += 2, !number(&p, &r->group))) return 0;
    if (p[0] != '_' || (p[1] != 'y' && p[1] != 'm' && p[1] != 'f')) return 0;
    r->mma = p[1] != 'y';
    r->fp8 = p[1] == 'f';
    p += 2;
    if (!number(&p, &r->tiles)) return 0;
    if (strncmp(p, "_u", 2) || (p += 2, !number(&p, &r->unroll))) return 0;
    if (*p) return 0;
    ch_row_name(r);
    return strcmp(r->name, s) == 0; /* no leading zeros: one name per row */
}

void ch_row_name(ch_row *r)
{
    snprintf(r->name, sizeof r->name, "n%d_w%d_g%d_%c%d_u%d", r->n, r->wave, r->group,
             r->fp8 ? 'f' : r->mma ? 'm' : 'y', r->tiles, r->unroll);
}

int ch_find_row(const ch_input *in, const char *name)
{
    for (size_t i = 0; i < in->nrows; i++)
        if (!strcmp(in->rows[i].name, name)) return (int)i;
    return -1;
}

int ch_add_row(ch_input *in, const ch_row *r)
{
    const int i = ch_find_row(in, r->name);
    if (i >= 0) return i;
    in->rows = ch_xrealloc(in->rows, (in->nrows + 1) * sizeof *in->rows);
    in->rows[in->nrows] = *r;
    return (int)in->nrows++;
}

/* One TILE(a, b, c, d, e) / MMA(...) / MMA_FP8(...) line; comments and
 * blanks skipped.
 * Range checks are the generator's job; this only needs the five numbers. */
static void candidate_line(ch_input *in, const char *path, int lineno, char *ln, int keep)
{
    char *c = strstr(ln, "//");
    if (c) *c = '\0';
    char *s = ln;
    while (isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1])) s[--len] = '\0';
    if (!len) return;
    ch_row r;
    memset(&r, 0, sizeof r);
    const char *p;
    int fp8 = 0;
    if (!strncmp(s, "TILE", 4)) p = s + 4, r.mma = 0;
    else if (!strncmp(s, "MMA_FP8", 7)) p = s + 7, r.mma = 1, fp8 = 1;
    else if (!strncmp(s, "MMA", 3)) p = s + 3, r.mma = 1;
    else {
        ch_error(in, path, lineno, "expected TILE(...), MMA(...) or MMA_FP8(...), got '%.24s'", s);
        return;
    }
    int *v[5] = {&r.n, &r.wave, &r.group, &r.tiles, &r.unroll};
    while (*p == ' ' || *p == '\t') p++;
    if (*p++ != '(') goto bad;
    for (int i = 0; i < 5; i++) {
        while (*p == ' ' || *p == '\t') p++;
        if (!number(&p, v[i])) goto bad;
        while (*p == ' ' || *p == '\t') p++;
        if (*p++ != (i < 4 ? ',' : ')')) goto bad;
    }
    if (*p) goto bad;
    r.fp8 = fp8;
    if (fp8 && in->take_fp8 && !keep) { /* skinny-heuristic-check: a row like the others */
        ch_row_name(&r);
        if (ch_find_row(in, r.name) >= 0) ch_error(in, path, lineno, "duplicate row %s", r.name);
        else ch_add_row(in, &r);
        return;
    }
    if (fp8) {
        if (!keep) {
            in->fp8_skipped++;
            return;
        }
        char line[CH_NAME_MAX];
        snprintf(line, sizeof line, "MMA_FP8(%d, %d, %d, %d, %d)", r.n, r.wave, r.group, r.tiles, r.unroll);
        for (size_t i = 0; i < in->nfp8_kept; i++)
            if (!strcmp(in->fp8_kept[i], line)) return;
        in->fp8_kept = ch_xrealloc(in->fp8_kept, (in->nfp8_kept + 1) * sizeof *in->fp8_kept);
        memcpy(in->fp8_kept[in->nfp8_kept++], line, sizeof line);
        return;
    }
    ch_row_name(&r);
    const int at = ch_find_row(in, r.name);
    if (keep) { /* a --keep row may also be a candidate */
        const int i = at >= 0 ? at : ch_add_row(in, &r); /* before indexing: it may move rows */
        in->rows[i].named_keep = 1;
        return;
    }
    if (at >= 0) {
        ch_error(in, path, lineno, "duplicate row %s", r.name);
        return;
    }
    ch_add_row(in, &r);
    return;
bad:
    ch_error(in, path, lineno, "malformed row: expected %s(n, wave, waves_per_group, %s, unroll) "
             "with positive integers", fp8 ? "MMA_FP8" : r.mma ? "MMA" : "TILE", r.mma ? "mtiles" : "ytile");
}

static void read_rows(ch_input *in, const char *path, int keep)
{
    char *text = ch_slurp(path);
    if (!text) {
        fprintf(stderr, "skinny-choose: cannot read %s\n", path);
        exit(2);
    }
    int lineno = 1;
    for (char *p = text; *p; lineno++) {
        char *e = strchr(p, '\n');
        if (e) *e = '\0';
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r') p[l - 1] = '\0';
        candidate_line(in, path, lineno, p, keep);
        if (!e) break;
        p = e + 1;
    }
    free(text);
}

void ch_read_candidates(ch_input *in, const char *path) { read_rows(in, path, 0); }

void ch_read_keep(ch_input *in, const char *path) { read_rows(in, path, 1); }
