/* co_names.c - see co_names.h. */
#include "co_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

co_row co_row_of_mangled(const char *name)
{
    co_row r;
    memset(&r, 0, sizeof r);
    static const char prefix[] = "_Z18skinny_gemm_kernelI", mma_prefix[] = "_Z17skinny_mma_kernelI",
                      fp8_prefix[] = "_Z21skinny_mma_fp8_kernelI", fp8x_prefix[] = "_Z22skinny_mma_fp8x_kernelI";
    const char *p;
    if (strncmp(name, prefix, sizeof prefix - 1) == 0) {
        p = name + sizeof prefix - 1;
    } else if (strncmp(name, mma_prefix, sizeof mma_prefix - 1) == 0) {
        p = name + sizeof mma_prefix - 1;
        r.mma = 1;
    } else if (strncmp(name, fp8_prefix, sizeof fp8_prefix - 1) == 0) {
        p = name + sizeof fp8_prefix - 1;
        r.mma = r.fp8 = 1;
    } else if (strncmp(name, fp8x_prefix, sizeof fp8x_prefix - 1) == 0) {
        p = name + sizeof fp8x_prefix - 1;
        r.mma = r.fp8 = r.fp8x = 1;
    } else {
        return r;
    }
    char *end;
    long len = strtol(p, &end, 10);
    if (end == p || len <= 0 || len >= (long)sizeof r.dtype || (long)strlen(end) < len) return r;
    memcpy(r.dtype, end, (size_t)len);
    r.dtype[len] = '\0';
    if (strncmp(r.dtype, "skinny_", 7) == 0) memmove(r.dtype, r.dtype + 7, strlen(r.dtype + 7) + 1);
    p = end + len;
    long *vals[5] = {&r.n, &r.wave, &r.group, &r.ytile, &r.unroll};
    for (int i = 0; i < 5; ++i) {
        if (strncmp(p, "Li", 2) != 0) return r;
        *vals[i] = strtol(p + 2, &end, 10);
        if (end == p + 2 || *end != 'E') return r;
        p = end + 1;
    }
    r.ok = *p == 'E';
    return r;
}

co_row co_row_of_name(const char *path)
{
    co_row r;
    memset(&r, 0, sizeof r);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char kind = 0;
    int used = 0;
    if (sscanf(base, "n%ld_w%ld_g%ld_%c%ld_u%ld%n", &r.n, &r.wave, &r.group, &kind, &r.ytile,
               &r.unroll, &used) == 6 &&
        used > 0 && (kind == 'y' || kind == 'm' || kind == 'f') && (base[used] == '\0' || base[used] == '.')) {
        r.ok = 1;
        r.mma = kind == 'm' || kind == 'f';
        r.fp8 = kind == 'f';
    }
    return r;
}

void co_row_name(const co_row *r, char *buf, unsigned long cap)
{
    snprintf(buf, cap, "n%ld_w%ld_g%ld_%c%ld_u%ld", r->n, r->wave, r->group, r->fp8 ? 'f' : r->mma ? 'm' : 'y',
             r->ytile, r->unroll);
}
