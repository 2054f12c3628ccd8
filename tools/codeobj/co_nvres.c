/* co_nvres.c - see co_nvres.h. */
#include "co_nvres.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line-by-line reading with a line number, for both parsers. */
typedef struct {
    const char *p;
    int lineno;
    char line[2048];
} lines;

static int next_line(lines *l)
{
    if (!*l->p) return 0;
    const char *e = strchr(l->p, '\n');
    size_t len = e ? (size_t)(e - l->p) : strlen(l->p);
    size_t n = len < sizeof l->line ? len : sizeof l->line - 1;
    memcpy(l->line, l->p, n);
    l->line[n] = '\0';
    l->p = e ? e + 1 : l->p + len;
    l->lineno++;
    return 1;
}

/* "REG:128 STACK:0 SHARED:0 LOCAL:0 ...": 0 when REG was there. */
static int res_figures(const char *s, co_nv_kernel *k)
{
    const char *r = strstr(s, "REG:");
    if (!r) return -1;
    k->regs = strtol(r + 4, NULL, 10);
    const char *v;
    if ((v = strstr(s, "STACK:"))) k->stack = strtol(v + 6, NULL, 10);
    if ((v = strstr(s, "SHARED:"))) k->smem = strtol(v + 7, NULL, 10);
    return 0;
}

int co_nv_parse_resusage(const char *text, co_nv_kernel *ks, int max, char *err, size_t errlen)
{
    lines l = {text, 0, ""};
    int n = 0, open = 0; /* open: the last function still waits for its figures */
    while (next_line(&l)) {
        const char *f = strstr(l.line, "Function ");
        if (f) {
            if (open) goto missing;
            const char *nm = f + strlen("Function ");
            size_t len = strcspn(nm, ":");
            if (nm[len] != ':' || len == 0) {
                snprintf(err, errlen, "%d: cuobjdump -res-usage line not understood: %.200s",
                         l.lineno, l.line);
                return -1;
            }
            if (n == max) {
                snprintf(err, errlen, "%d: more than %d functions", l.lineno, max);
                return -1;
            }
            co_nv_kernel *k = &ks[n++];
            memset(k, 0, sizeof *k);
            k->spill_st = k->spill_ld = -1;
            snprintf(k->name, sizeof k->name, "%.*s", (int)len, nm);
            open = res_figures(nm + len, k) != 0;
        } else if (open) {
            if (res_figures(l.line, &ks[n - 1]) != 0) goto missing;
            open = 0;
        }
    }
    if (open) goto missing;
    if (n == 0) {
        snprintf(err, errlen, "no 'Function NAME:' in cuobjdump -res-usage output");
        return -1;
    }
    return n;
missing:
    snprintf(err, errlen, "%d: no REG: figures for function %s", l.lineno, ks[n - 1].name);
    return -1;
}

typedef struct {
    co_nv_kernel k;
    int is_entry, have_props, have_used;
} ptx_fn;

static ptx_fn *find_or_add(ptx_fn *fs, int *n, int max, const char *name, size_t len)
{
    for (int i = 0; i < *n; i++)
        if (strlen(fs[i].k.name) == len && !strncmp(fs[i].k.name, name, len)) return &fs[i];
    if (*n == max || len >= sizeof fs[0].k.name) return NULL;
    ptx_fn *f = &fs[(*n)++];
    memset(f, 0, sizeof *f);
    memcpy(f->k.name, name, len);
    return f;
}

int co_nv_parse_ptxas(const char *text, co_nv_kernel *ks, int max, char *err, size_t errlen)
{
    enum { MAXF = 64 };
    ptx_fn fs[MAXF];
    int nf = 0;
    ptx_fn *cur = NULL;
    lines l = {text, 0, ""};
    while (next_line(&l)) {
        const char *m;
        if ((m = strstr(l.line, "Compiling entry function '"))) {
            m += strlen("Compiling entry function '");
            const char *q = strchr(m, '\'');
            if (!q || !(cur = find_or_add(fs, &nf, MAXF, m, (size_t)(q - m)))) goto bad;
            cur->is_entry = 1;
        } else if ((m = strstr(l.line, "Function properties for "))) {
            m += strlen("Function properties for ");
            if (!(cur = find_or_add(fs, &nf, MAXF, m, strcspn(m, " \r")))) goto bad;
        } else if (strstr(l.line, "bytes stack frame")) {
            if (!cur || sscanf(l.line, " %ld bytes stack frame, %ld bytes spill stores, %ld bytes "
                               "spill loads", &cur->k.stack, &cur->k.spill_st, &cur->k.spill_ld) != 3)
                goto bad;
            cur->have_props = 1;
        } else if ((m = strstr(l.line, "Used ")) && strstr(l.line, " registers")) {
            if (!cur || sscanf(m, "Used %ld registers", &cur->k.regs) != 1) goto bad;
            /* Optional items follow, comma separated: "used N barriers",
             * "N bytes smem", "N bytes cmem[0]"; only smem is kept. */
            cur->k.smem = 0;
            for (const char *s = strchr(m, ','); s; s = strchr(s + 1, ',')) {
                long v;
                char unit[32];
                /* %31[a-z] stops at the comma: "16 bytes smem, 600 bytes cmem[0]" */
                if (sscanf(s + 1, " %ld bytes %31[a-z]", &v, unit) == 2 && !strcmp(unit, "smem"))
                    cur->k.smem = v;
            }
            cur->have_used = 1;
        }
    }
    int n = 0;
    for (int i = 0; i < nf; i++) {
        if (!fs[i].is_entry) continue;
        if (!fs[i].have_props || !fs[i].have_used) {
            snprintf(err, errlen, "ptxas -v gave no %s line for %s",
                     fs[i].have_used ? "stack frame/spill" : "'Used N registers'", fs[i].k.name);
            return -1;
        }
        if (n == max) {
            snprintf(err, errlen, "more than %d kernels in ptxas output", max);
            return -1;
        }
        ks[n++] = fs[i].k;
    }
    if (n == 0) {
        snprintf(err, errlen, "no 'Compiling entry function' in ptxas -v output");
        return -1;
    }
    return n;
bad:
    snprintf(err, errlen, "%d: ptxas line not understood: %.200s", l.lineno, l.line);
    return -1;
}
