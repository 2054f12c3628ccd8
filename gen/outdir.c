/* outdir.c - see outdir.h. Rendering is complete before this runs, so a
 * bad table or a failing template never reaches the output directory. */
#define _POSIX_C_SOURCE 200809L
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int same_content(const char *path, const render_out *r)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    int same = 1;
    char buf[8192];
    size_t off = 0, got;
    while (same && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (off + got > r->len || memcmp(buf, r->data + off, got) != 0) same = 0;
        off += got;
    }
    fclose(f);
    return same && off == r->len;
}

int outdir_write_atomic(const char *path, const char *data, size_t len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "skinnygen: cannot write %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "skinnygen: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

static int planned(const plan *p, const char *name)
{
    for (size_t i = 0; i < p->nfiles; i++)
        if (strcmp(p->files[i].path, name) == 0) return 1;
    return 0;
}

int outdir_sync(const char *dir, const plan *p, const render_out *rendered, int check_only,
                int verbose)
{
    int differ = 0;
    if (!check_only && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "skinnygen: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < p->nfiles; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, p->files[i].path);
        if (same_content(path, &rendered[i])) continue;
        differ++;
        if (check_only) {
            printf("%s: %s\n", access(path, F_OK) == 0 ? "stale" : "missing", path);
        } else {
            if (outdir_write_atomic(path, rendered[i].data, rendered[i].len) != 0) return -1;
            if (verbose) fprintf(stderr, "skinnygen: wrote %s\n", path);
        }
    }
    DIR *d = opendir(dir);
    if (!d) return check_only ? differ : -1;
    struct dirent *e;
    /* Collect first: deleting while iterating a DIR is unspecified. */
    char **extra = NULL;
    size_t nextra = 0;
    while ((e = readdir(d)) != NULL) {
        if (!plan_owns_name(e->d_name) || planned(p, e->d_name)) continue;
        char **ne = realloc(extra, (nextra + 1) * sizeof *ne);
        if (!ne) break;
        extra = ne;
        extra[nextra++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < nextra; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, extra[i]);
        differ++;
        if (check_only) {
            printf("extra: %s (its row is gone from the table)\n", path);
        } else if (remove(path) != 0) {
            fprintf(stderr, "skinnygen: cannot delete %s: %s\n", path, strerror(errno));
        } else if (verbose) {
            fprintf(stderr, "skinnygen: deleted %s\n", path);
        }
        free(extra[i]);
    }
    free(extra);
    return differ;
}
