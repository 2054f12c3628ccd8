/* rows.c - see rows.h. The row list and the TUs both come from running the
 * skinnygen executable, so the what-if (--add) goes through the same
 * parser and validator, with the same messages, as an edit of the table. */
#define _POSIX_C_SOURCE 200809L

#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

static void run_generator(strvec *argv, const char *work, spawn_result *r)
{
    char *out = xasprintf("%s/skinnygen.out", work), *err = xasprintf("%s/skinnygen.err", work);
    if (spawn_run(argv->v, out, err, r) != 0) die("cannot run the generator %s", argv->v[0]);
    if (r->exit_code != 0) {
        fputs(r->err, stderr); /* the generator's own diagnostics, unchanged */
        char *cmd = argv_to_string(argv->v);
        die("the generator failed (exit %d): %s", r->exit_code, cmd);
    }
    free(out);
    free(err);
}

static size_t parse_list(const char *text, cost_row **rows)
{
    size_t n = 0, cap = 0;
    *rows = NULL;
    const char *p = text;
    int line = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        line++;
        if (len) {
            char buf[256];
            if (len >= sizeof buf) die("skinnygen --list line %d too long", line);
            memcpy(buf, p, len);
            buf[len] = '\0';
            cost_row r = {0};
            int used = 0;
            if (sscanf(buf, "%63s %d %d %d %d %d %n", r.name, &r.n, &r.wave, &r.group, &r.ytile,
                       &r.unroll, &used) != 6 || buf[used] != '\0')
                die("skinnygen --list line %d not understood (want 'name n wave waves_per_group "
                    "ytile unroll'): '%s'", line, buf);
            int dn, dw, dg;
            char kind = 0;
            /* m: MMA rows, f: MMA_FP8 rows; both need matrix instructions. */
            r.mma = sscanf(r.name, "n%d_w%d_g%d_%c", &dn, &dw, &dg, &kind) == 4 &&
                    (kind == 'm' || kind == 'f');
            if (n == cap) *rows = xrealloc(*rows, (cap = cap ? cap * 2 : 64) * sizeof **rows);
            (*rows)[n++] = r;
        }
        if (!e) break;
        p = e + 1;
    }
    return n;
}

void rows_list(const char *skinnygen, const char *spec, const strvec *adds, const char *work,
               cost_row **rows, size_t *nrows)
{
    strvec argv = {0};
    sv_push(&argv, skinnygen);
    sv_push(&argv, "--spec");
    sv_push(&argv, spec);
    sv_push(&argv, "--list");
    spawn_result r;
    run_generator(&argv, work, &r);
    cost_row *base = NULL;
    size_t nbase = parse_list(r.out, &base);
    spawn_result_free(&r);

    if (adds->n == 0) {
        *rows = base;
        *nrows = nbase;
        sv_free(&argv);
        return;
    }
    for (size_t i = 0; i < adds->n; i++) {
        sv_push(&argv, "--add");
        sv_push(&argv, adds->v[i]);
    }
    run_generator(&argv, work, &r);
    *nrows = parse_list(r.out, rows);
    spawn_result_free(&r);
    for (size_t i = 0; i < *nrows; i++) {
        (*rows)[i].added = 1;
        for (size_t j = 0; j < nbase; j++)
            if (!strcmp((*rows)[i].name, base[j].name)) (*rows)[i].added = 0;
    }
    free(base);
    sv_free(&argv);
}

void rows_generate(const char *skinnygen, const char *spec, const char *templates,
                   const strvec *adds, const char *out, const char *work)
{
    strvec argv = {0};
    sv_push(&argv, skinnygen);
    sv_push(&argv, "--spec");
    sv_push(&argv, spec);
    sv_push(&argv, "--templates");
    sv_push(&argv, templates);
    sv_push(&argv, "--out");
    sv_push(&argv, out);
    for (size_t i = 0; i < adds->n; i++) {
        sv_push(&argv, "--add");
        sv_push(&argv, adds->v[i]);
    }
    spawn_result r;
    run_generator(&argv, work, &r);
    spawn_result_free(&r);
    sv_free(&argv);
}
