/* util.c - allocation, whole-file reads, compiler-style diagnostics. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"

void *ch_xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) { fputs("skinny-choose: out of memory\n", stderr); exit(2); }
    return p;
}

void *ch_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) { fputs("skinny-choose: out of memory\n", stderr); exit(2); }
    return p;
}

char *ch_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = 0, cap = 8192;
    char *buf = ch_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) buf = ch_xrealloc(buf, cap *= 2);
    }
    const int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); return NULL; }
    buf[n] = '\0';
    return buf;
}

/* Every malformed line is reported (like a compiler), then nothing is
 * written: main checks in->errors before choosing. */
void ch_error(ch_input *in, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: error: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    in->errors++;
}

int ch_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *c = strchr(p, ',');
        if (n < max) f[n] = p;
        n++;
        if (!c) break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

const char *ch_dtype(int bf16) { return bf16 ? "bf16" : "fp16"; }

const char *ch_cell_dtype(const ch_cell *c)
{
    return c->w_fp8 ? (c->bf16 ? "fp8w-bf16" : "fp8w-fp16") : ch_dtype(c->bf16);
}

void ch_input_free(ch_input *in)
{
    for (size_t i = 0; i < in->ncells; i++) free(in->cells[i].cand);
    free(in->cells);
    free(in->rows);
    free(in->fp8_kept);
    memset(in, 0, sizeof *in);
}
