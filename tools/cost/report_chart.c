/* report_chart.c - the chart: a data file with one block per target
 * (gnuplot `index`), then gnuplot runs the committed script chart.gp.
 * Within a block, rows are in table order (by N) and a gap of one bar
 * separates consecutive N, so the bars are grouped by N and target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "proc.h"
#include "util.h"

int report_write_chart(const cost_report *r, const char *gnuplot, const char *script,
                       const char *png_path, const char *work)
{
    char *dat = xasprintf("%s/chart.dat", work);
    FILE *f = fopen(dat, "w");
    if (!f) return -1;
    strvec names = {0};
    size_t blocks = 0;
    for (size_t t = 0; t < r->ntargets; t++) {
        if (report_sum(r, t, -1, 0).rows == 0) continue; /* no bars: no panel */
        if (blocks++) fputs("\n\n", f);
        fprintf(f, "# %s: x seconds label added\n", r->targets[t].name);
        sv_push(&names, r->targets[t].name);
        int x = 0, last_n = -1;
        for (size_t i = 0; i < r->nrows; i++) {
            const cost_cell *c = report_cell(r, i, t);
            if (!c->built) continue;
            if (last_n >= 0 && r->rows[i].n != last_n) x++;
            last_n = r->rows[i].n;
            fprintf(f, "%d %.3f %s %d\n", x++, c->median, r->rows[i].name, r->rows[i].added);
        }
    }
    if (fclose(f) != 0) return -1;
    size_t tl = 1;
    for (size_t i = 0; i < names.n; i++) tl += strlen(names.v[i]) + 1;
    char *tlist = xmalloc(tl);
    tlist[0] = '\0';
    for (size_t i = 0; i < names.n; i++) {
        if (i) strcat(tlist, " ");
        strcat(tlist, names.v[i]);
    }
    char *expr = xasprintf("datafile='%s'; outfile='%s'; targets='%s'; ntargets=%zu; runs=%d",
                           dat, png_path, tlist, names.n, r->runs);
    char *argv[] = {(char *)gnuplot, "-e", expr, (char *)script, NULL};
    char *o = xasprintf("%s/gnuplot.out", work), *e = xasprintf("%s/gnuplot.err", work);
    spawn_result res;
    int rc = spawn_run(argv, o, e, &res);
    if (rc == 0 && res.exit_code != 0) {
        fprintf(stderr, "%s%s", res.out, res.err);
        fprintf(stderr, "skinny-cost: gnuplot failed (exit %d) on %s\n", res.exit_code, script);
        rc = -1;
    }
    if (rc == 0 && file_size(png_path) <= 0) {
        fprintf(stderr, "skinny-cost: gnuplot wrote no %s\n", png_path);
        rc = -1;
    }
    if (rc == 0) spawn_result_free(&res);
    free(o), free(e), free(expr), free(tlist), free(dat);
    sv_free(&names);
    return rc;
}
