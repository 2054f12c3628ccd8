/* gpus.c - reads gpus.def (its header says what each field means). */
#define _POSIX_C_SOURCE 200809L
#include "gpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int field(const char *file, int line, const char *key, const char *val, model_gpu *g,
                 unsigned *seen)
{
    static const char *const keys[] = {"name", "arch", "code", "units", "peak_gbs",
                                       "latency_ns", "measured", "source", "clock_ghz",
                                       "issue_per_clk"};
    int k = -1;
    for (int i = 0; i < 10; i++)
        if (!strcmp(key, keys[i])) k = i;
    if (k < 0) {
        fprintf(stderr, "%s:%d: error: unknown field '%s'\n", file, line, key);
        return -1;
    }
    *seen |= 1u << k;
    char *end;
    double d;
    switch (k) {
    case 0:
        if (strlen(val) >= sizeof g->name || !*val) break;
        strcpy(g->name, val);
        return 0;
    case 1: case 2: {
        const co_arch *a = co_arch_find(val);
        if (!a) {
            fprintf(stderr, "%s:%d: error: %s=%s is not a known architecture (known: %s)\n", file,
                    line, key, val, co_arch_known());
            return -1;
        }
        if (k == 1) g->arch = a;
        else g->code = a;
        return 0;
    }
    case 3: case 4: case 5: case 8: case 9:
        errno = 0;
        d = strtod(val, &end);
        if (errno || end == val || *end || !(d > 0)) break;
        if (k == 3) {
            if (d != (int)d || d > 100000) break;
            g->units = (int)d;
        } else if (k == 4) {
            g->peak_gbs = d;
        } else if (k == 8) {
            g->clock_ghz = d;
        } else if (k == 9) {
            g->issue_per_clk = d;
        } else {
            g->latency_ns = d;
        }
        return 0;
    case 6:
        if (strcmp(val, "yes") && strcmp(val, "no")) break;
        g->measured = !strcmp(val, "yes");
        return 0;
    case 7:
        if (strlen(val) >= sizeof g->source) break;
        strcpy(g->source, val);
        return 0;
    }
    fprintf(stderr, "%s:%d: error: bad value for %s: '%s'\n", file, line, key, val);
    return -1;
}

int gpus_load(const char *path, model_gpu *g, int max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    char buf[2048];
    int n = 0, line = 0, errors = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        char *p = buf + strspn(buf, " \t");
        if (*p == '#' || *p == '\n' || *p == '\0') continue;
        if (n == max) {
            fprintf(stderr, "%s:%d: error: more than %d GPUs\n", path, line, max);
            errors++;
            break;
        }
        model_gpu *g1 = &g[n];
        memset(g1, 0, sizeof *g1);
        unsigned seen = 0;
        int bad = 0;
        while (*p && *p != '\n' && *p != '#') {
            char key[32], val[600];
            size_t kl = strcspn(p, "= \t\n");
            if (p[kl] != '=' || kl == 0 || kl >= sizeof key) {
                fprintf(stderr, "%s:%d:%d: error: expected key=value\n", path, line,
                        (int)(p - buf) + 1);
                bad = 1;
                break;
            }
            memcpy(key, p, kl);
            key[kl] = '\0';
            p += kl + 1;
            size_t vl;
            if (*p == '"') {
                char *q = strchr(p + 1, '"');
                if (!q) {
                    fprintf(stderr, "%s:%d:%d: error: unterminated \"\n", path, line,
                            (int)(p - buf) + 1);
                    bad = 1;
                    break;
                }
                vl = (size_t)(q - p - 1);
                snprintf(val, sizeof val, "%.*s", (int)vl, p + 1);
                p = q + 1;
            } else {
                vl = strcspn(p, " \t\n");
                snprintf(val, sizeof val, "%.*s", (int)vl, p);
                p += vl;
            }
            if (field(path, line, key, val, g1, &seen) != 0) bad = 1;
            p += strspn(p, " \t");
        }
        if (!bad && (seen & 0xffu) != 0xffu) { /* clock_ghz, issue_per_clk: optional */
            fprintf(stderr, "%s:%d: error: a GPU needs name, arch, code, units, peak_gbs, "
                    "latency_ns, measured and source\n", path, line);
            bad = 1;
        }
        if (!bad && g1->code->wave != g1->arch->wave) {
            fprintf(stderr, "%s:%d: error: code=%s runs wave%d, arch=%s wave%d\n", path, line,
                    g1->code->name, g1->code->wave, g1->arch->name, g1->arch->wave);
            bad = 1;
        }
        for (int i = 0; !bad && i < n; i++)
            if (!strcmp(g[i].name, g1->name)) {
                fprintf(stderr, "%s:%d: error: GPU %s given twice\n", path, line, g1->name);
                bad = 1;
            }
        if (bad) errors++;
        else n++;
    }
    fclose(f);
    if (!errors && n == 0) {
        fprintf(stderr, "%s: error: no GPUs\n", path);
        errors++;
    }
    return errors ? -1 : n;
}

model_gpu *gpus_find(model_gpu *g, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(g[i].name, name)) return &g[i];
    return NULL;
}
