/* curve.c - the chart: a data file, then gnuplot (a child process) runs
 * curve.gp. gnuplot is optional: without it the chart is skipped and the
 * report says so. */
#define _POSIX_C_SOURCE 200809L
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "choose.h"

extern char **environ;

/* gnuplot on PATH (or $SKINNY_GNUPLOT); NULL if none. */
static char *find_gnuplot(void)
{
    const char *env = getenv("SKINNY_GNUPLOT");
    if (env) return access(env, X_OK) == 0 ? strdup(env) : NULL;
    const char *path = getenv("PATH");
    if (!path) return NULL;
    char *copy = strdup(path), *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char *p = ch_xmalloc(strlen(d) + 10);
        sprintf(p, "%s/gnuplot", d);
        if (access(p, X_OK) == 0) { free(copy); return p; }
        free(p);
    }
    free(copy);
    return NULL;
}

int ch_write_curve(const ch_sweep_pt *sweep, size_t nsweep, const char *script, const char *png,
                   const char *datpath, char *note, size_t notelen)
{
    char *gp = find_gnuplot();
    if (!gp) {
        snprintf(note, notelen, "No chart: gnuplot was not found (install gnuplot-nox).");
        return 1;
    }
    FILE *f = fopen(datpath, "w");
    if (!f) { free(gp); return -1; }
    fputs("# tolerance_percent compile_seconds geomean rows label\n", f);
    for (size_t i = 0; i < nsweep; i++) {
        /* Tolerances that choose the same table share a point: label it
         * once ("0-3 %"), not with overprinted text. */
        size_t j = i;
        while (j + 1 < nsweep && sweep[j + 1].rows == sweep[i].rows && sweep[j + 1].cost_s == sweep[i].cost_s) j++;
        if (j > i) fprintf(f, "%g %.3f %.5f %zu \"%g-%g %% (%zu rows)\"\n", sweep[i].tol * 100, sweep[i].cost_s,
                           sweep[i].geomean, sweep[i].rows, sweep[i].tol * 100, sweep[j].tol * 100, sweep[i].rows);
        else fprintf(f, "%g %.3f %.5f %zu \"%g %% (%zu rows)\"\n", sweep[i].tol * 100, sweep[i].cost_s,
                     sweep[i].geomean, sweep[i].rows, sweep[i].tol * 100, sweep[i].rows);
        i = j;
    }
    if (fclose(f) != 0) { free(gp); return -1; }
    const size_t el = strlen(datpath) + strlen(png) + 64;
    char *expr = ch_xmalloc(el);
    snprintf(expr, el, "datafile='%s'; outfile='%s'", datpath, png);
    char *argv[] = {gp, "-e", expr, (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, gp, NULL, NULL, argv, environ), status = 0;
    if (rc == 0) {
        while (waitpid(pid, &status, 0) < 0) {}
        rc = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    struct stat st;
    if (rc == 0 && (stat(png, &st) != 0 || st.st_size == 0)) rc = 1;
    if (rc) fprintf(stderr, "skinny-choose: gnuplot (%s) failed on %s\n", gp, script);
    free(expr), free(gp);
    return rc ? -1 : 0;
}
