/* export.c - see export.h. The bundle's build files come from templates
 * like every other emitted file; only the runtime is copied verbatim. */
#define _POSIX_C_SOURCE 200809L
#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outdir.h"
#include "render.h"

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "skinnygen: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Copy src to dst unless dst already has the same bytes. */
static int copy_file(const char *src, const char *dst, int verbose)
{
    FILE *in = fopen(src, "rb");
    if (!in) {
        fprintf(stderr, "skinnygen: cannot read %s: %s\n", src, strerror(errno));
        return -1;
    }
    render_out r = {NULL, 0};
    size_t cap = 0, got;
    char buf[8192];
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
        if (r.len + got > cap) {
            cap = (r.len + got) * 2;
            char *nb = realloc(r.data, cap);
            if (!nb) { free(r.data); fclose(in); return -1; }
            r.data = nb;
        }
        memcpy(r.data + r.len, buf, got);
        r.len += got;
    }
    const int err = ferror(in);
    fclose(in);
    if (err) { free(r.data); fprintf(stderr, "skinnygen: cannot read %s\n", src); return -1; }

    FILE *old = fopen(dst, "rb");
    if (old) {
        int same = 1;
        size_t off = 0;
        while (same && (got = fread(buf, 1, sizeof buf, old)) > 0) {
            if (off + got > r.len || memcmp(buf, r.data + off, got) != 0) same = 0;
            off += got;
        }
        fclose(old);
        if (same && off == r.len) { free(r.data); return 0; }
    }
    FILE *out = fopen(dst, "wb");
    int ok = out != NULL;
    if (ok) {
        ok = fwrite(r.data, 1, r.len, out) == r.len;
        ok &= fclose(out) == 0;
    }
    free(r.data);
    if (!ok) {
        fprintf(stderr, "skinnygen: cannot write %s: %s\n", dst, strerror(errno));
        return -1;
    }
    if (verbose) fprintf(stderr, "skinnygen: copied %s\n", dst);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append "SRC(name)" to a heap string. */
static int append_src(char **s, size_t *len, const char *name)
{
    const size_t n = strlen(name) + 6;
    char *ns = realloc(*s, *len + n);
    if (!ns) return -1;
    *s = ns;
    snprintf(*s + *len, n, "SRC(%s)", name);
    *len += n - 1;
    return 0;
}

int export_bundle(const char *dir, const char *runtime_dir, const char *m4, const char *templates,
                  const plan *p, int verbose)
{
    char path[4096], src[4096];
    int rc = 0;
    /* Refuse before writing anything if the runtime is not there. */
    snprintf(src, sizeof src, "%s/skinny.h", runtime_dir);
    FILE *probe = fopen(src, "rb");
    if (!probe) {
        fprintf(stderr, "skinnygen: --runtime %s: cannot read skinny.h: %s\n", runtime_dir,
                strerror(errno));
        return 2;
    }
    fclose(probe);
    snprintf(path, sizeof path, "%s/include", dir);
    if (make_dir(dir) || make_dir(path)) return 2;
    snprintf(path, sizeof path, "%s/include/skinny", dir);
    if (make_dir(path)) return 2;
    snprintf(path, sizeof path, "%s/src", dir);
    if (make_dir(path)) return 2;

    /* The kernels, dispatcher and manifest, as for --out. */
    render_out *r = calloc(p->nfiles + 1, sizeof *r);
    if (!r) return 2;
    for (size_t i = 0; rc == 0 && i < p->nfiles; i++)
        if (render_file(m4, templates, &p->files[i], &r[i]) != 0) rc = 2;
    snprintf(path, sizeof path, "%s/generated", dir);
    if (rc == 0 && outdir_sync(path, p, r, 0, verbose) < 0) rc = 2;
    for (size_t i = 0; i < p->nfiles; i++) free(r[i].data);
    free(r);
    if (rc) return rc;

    /* The runtime: skinny.h is the public header, the rest is private. */
    DIR *d = opendir(runtime_dir);
    if (!d) {
        fprintf(stderr, "skinnygen: cannot read --runtime %s: %s\n", runtime_dir, strerror(errno));
        return 2;
    }
    char **names = NULL;
    size_t nnames = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const size_t l = strlen(e->d_name);
        if (l < 3 || e->d_name[0] == '.' ||
            (strcmp(e->d_name + l - 2, ".c") != 0 && strcmp(e->d_name + l - 2, ".h") != 0 &&
             (l < 5 || strcmp(e->d_name + l - 4, ".map") != 0)))
            continue;
        char **nn = realloc(names, (nnames + 1) * sizeof *nn);
        if (!nn) { rc = 2; break; }
        names = nn;
        names[nnames++] = strdup(e->d_name);
    }
    closedir(d);
    if (names) qsort(names, nnames, sizeof *names, by_name);
    int have_header = 0;
    char *srcs = NULL;
    size_t srcs_len = 0;
    for (size_t i = 0; i < nnames; i++) {
        if (rc == 0) {
            snprintf(src, sizeof src, "%s/%s", runtime_dir, names[i]);
            if (strcmp(names[i], "skinny.h") == 0) {
                have_header = 1;
                snprintf(path, sizeof path, "%s/include/skinny/skinny.h", dir);
            } else {
                snprintf(path, sizeof path, "%s/src/%s", dir, names[i]);
                const size_t l = strlen(names[i]);
                if (strcmp(names[i] + l - 2, ".c") == 0 && append_src(&srcs, &srcs_len, names[i]))
                    rc = 2;
            }
            if (rc == 0 && copy_file(src, path, verbose) != 0) rc = 2;
        }
        free(names[i]);
    }
    free(names);
    if (rc == 0 && (!have_header || !srcs)) {
        fprintf(stderr, "skinnygen: --runtime %s has no skinny.h or no .c files\n", runtime_dir);
        rc = 2;
    }

    /* Build files and README, from the dispatcher's row list. */
    const plan_file *disp = NULL;
    for (size_t i = 0; i < p->nfiles; i++)
        if (strcmp(p->files[i].template_name, "dispatch.c.m4") == 0) disp = &p->files[i];
    if (rc == 0 && !disp) rc = 2;
    if (rc == 0) {
        static const char *const files[][2] = {{"CMakeLists.txt", "bundle_CMakeLists.txt.m4"},
                                               {"meson.build", "bundle_meson.build.m4"},
                                               {"meson_options.txt", "bundle_meson_options.txt.m4"},
                                               {"README.md", "bundle_README.md.m4"}};
        enum { NB = sizeof files / sizeof files[0] };
        plan b = {calloc(NB, sizeof(plan_file)), NB};
        render_out br[NB];
        memset(br, 0, sizeof br);
        char *srcdef = malloc(srcs_len + 16);
        if (!b.files || !srcdef) rc = 2;
        if (rc == 0) snprintf(srcdef, srcs_len + 16, "SOURCES=%s", srcs);
        for (size_t i = 0; rc == 0 && i < NB; i++) {
            plan_file *f = &b.files[i];
            snprintf(f->path, sizeof f->path, "%s", files[i][0]);
            f->template_name = files[i][1];
            /* Borrowed strings: GEN_VERSION, ROWS, ROW_COUNT of the dispatcher. */
            for (int j = 0; j < disp->ndefs; j++)
                if (strncmp(disp->defs[j], "GROUPS=", 7) != 0) f->defs[f->ndefs++] = disp->defs[j];
            f->defs[f->ndefs++] = srcdef;
            if (render_file(m4, templates, f, &br[i]) != 0) rc = 2;
        }
        if (rc == 0 && outdir_sync(dir, &b, br, 0, verbose) < 0) rc = 2;
        for (size_t i = 0; i < NB; i++) free(br[i].data);
        free(b.files);
        free(srcdef);
    }
    free(srcs);
    if (rc == 0 && verbose) fprintf(stderr, "skinnygen: exported bundle to %s\n", dir);
    return rc;
}
