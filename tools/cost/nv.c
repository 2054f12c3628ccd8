/* nv.c - NVIDIA figures: the TU is compiled once more, with the same flags,
 * to a cubin with `-cubin -Xptxas -v` (no cuobjdump is needed, and the
 * timed runs keep exactly the build's flags). From ptxas -v, per kernel:
 *
 *   ptxas info    : Compiling entry function '_Z...' for 'sm_90'
 *   ptxas info    : Function properties for _Z...
 *       0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
 *   ptxas info    : Used 113 registers, used 1 barriers[, 16 bytes smem]...
 *
 * The cubin's size is the code size; its .text.<kernel> sections the text.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "elf_sections.h"
#include "proc.h"
#include "targets.h"

typedef struct {
    char name[512];
    long regs, stack, st, ld, smem;
    int is_entry; /* "Compiling entry function": a kernel, not a device function */
    int have_props, have_used;
} ptx_kernel;

static ptx_kernel *find_or_add(ptx_kernel *ks, size_t *nk, size_t maxk, const char *name,
                               size_t len, const char *src)
{
    char nm[512];
    if (len >= sizeof nm) die("%s: kernel name too long in ptxas output", src);
    memcpy(nm, name, len);
    nm[len] = '\0';
    for (size_t i = 0; i < *nk; i++)
        if (!strcmp(ks[i].name, nm)) return &ks[i];
    if (*nk == maxk) die("%s: more than %zu kernels in ptxas output", src, maxk);
    ptx_kernel *k = &ks[(*nk)++];
    memset(k, 0, sizeof *k);
    strcpy(k->name, nm);
    return k;
}

static size_t parse_ptxas(const char *text, const char *src, ptx_kernel *ks, size_t maxk)
{
    size_t nk = 0;
    ptx_kernel *cur = NULL;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[1024];
        if (len >= sizeof line) len = sizeof line - 1;
        memcpy(line, p, len);
        line[len] = '\0';
        const char *m;
        if ((m = strstr(line, "Compiling entry function '"))) {
            m += strlen("Compiling entry function '");
            const char *q = strchr(m, '\'');
            if (!q) die("%s: ptxas line not understood: %s", src, line);
            cur = find_or_add(ks, &nk, maxk, m, (size_t)(q - m), src);
            cur->is_entry = 1;
        } else if ((m = strstr(line, "Function properties for "))) {
            m += strlen("Function properties for ");
            cur = find_or_add(ks, &nk, maxk, m, strcspn(m, " \r"), src);
        } else if ((m = strstr(line, "bytes stack frame"))) {
            if (!cur) die("%s: ptxas stack-frame line before any function: %s", src, line);
            if (sscanf(line, " %ld bytes stack frame, %ld bytes spill stores, %ld bytes spill loads",
                       &cur->stack, &cur->st, &cur->ld) != 3)
                die("%s: ptxas line not understood: %s", src, line);
            cur->have_props = 1;
        } else if ((m = strstr(line, "Used ")) && strstr(line, " registers")) {
            if (!cur) die("%s: ptxas 'Used' line before any function: %s", src, line);
            if (sscanf(m, "Used %ld registers", &cur->regs) != 1)
                die("%s: ptxas line not understood: %s", src, line);
            /* Optional items follow, comma separated: "used N barriers",
             * "N bytes smem", "N bytes cmem[0]"; only smem is kept. */
            cur->smem = 0;
            for (const char *s = strchr(m, ','); s; s = strchr(s + 1, ',')) {
                long v;
                char unit[32];
                if (sscanf(s + 1, " %ld bytes %31s", &v, unit) == 2 && !strcmp(unit, "smem"))
                    cur->smem = v;
            }
            cur->have_used = 1;
        }
        if (!e) break;
        p = e + 1;
    }
    /* Keep the kernels only (non-inlined device functions get "Function
     * properties" too, but no "Used N registers" of their own). */
    size_t nent = 0;
    for (size_t i = 0; i < nk; i++) {
        if (!ks[i].is_entry) continue;
        if (!ks[i].have_props || !ks[i].have_used)
            die("%s: ptxas -v gave no %s line for %s; output was:\n%s", src,
                ks[i].have_used ? "stack frame/spill" : "'Used N registers'", ks[i].name, text);
        ks[nent++] = ks[i];
    }
    if (nent == 0) die("%s: no 'Compiling entry function' in ptxas -v output:\n%s", src, text);
    return nent;
}

void nv_figures(const toolset *ts, const cost_target *t, const cost_row *row, const char *tu,
                const char *prefix, cost_cell *c)
{
    char *cubin = xasprintf("%s.cubin", prefix);
    char *out = xasprintf("%s.ptxas.out", prefix), *err = xasprintf("%s.ptxas.err", prefix);
    strvec a = {0};
    compile_argv(ts, t, tu, cubin, NULL, &a);
    /* -c -> -cubin, plus -Xptxas -v: same flags otherwise. */
    for (size_t i = 0; i < a.n; i++)
        if (!strcmp(a.v[i], "-c")) {
            free(a.v[i]);
            a.v[i] = xstrdup("-cubin");
        }
    sv_push(&a, "-Xptxas");
    sv_push(&a, "-v");
    spawn_result r;
    if (spawn_run(a.v, out, err, &r) != 0) die("cannot run %s", a.v[0]);
    if (r.exit_code != 0) {
        fputs(r.out, stderr);
        fputs(r.err, stderr);
        die("nvcc -cubin failed (exit %d): %s", r.exit_code, argv_to_string(a.v));
    }
    char *text = xasprintf("%s\n%s", r.out, r.err);
    ptx_kernel ks[16];
    size_t nk = parse_ptxas(text, tu, ks, 16);
    free(text);
    spawn_result_free(&r);
    sv_free(&a);

    size_t len;
    char *buf = read_file(cubin, &len);
    if (!buf || elf_machine(buf, len) != 190 /* EM_CUDA */)
        die("%s: not a CUDA ELF cubin", cubin);
    c->code_object_bytes = (long)len;
    c->text_bytes = elf_sum_sections(buf, len, ".text");
    if (c->text_bytes <= 0) die("%s: no .text sections", cubin);
    free(buf);

    c->nkernels = 0;
    for (size_t i = 0; i < nk; i++) {
        const char *dt = kernel_dtype(ks[i].name);
        if (!dt) die("%s: kernel '%s' is not a skinny kernel<f16|bf16>", tu, ks[i].name);
        if (c->nkernels == 2) die("%s: more than two kernels in ptxas output", tu);
        cost_kernel *k = &c->k[c->nkernels++];
        snprintf(k->dtype, sizeof k->dtype, "%s", dt);
        k->registers = ks[i].regs;
        k->sgpr = k->agpr = k->vgpr_spills = k->sgpr_spills = k->max_workgroup = -1;
        k->scratch_bytes = ks[i].stack;
        k->spill_store_bytes = ks[i].st;
        k->spill_load_bytes = ks[i].ld;
        k->static_lds_bytes = ks[i].smem;
        k->occupancy = nv_warps_per_sm(t, k->registers, (long)row->wave * row->group);
    }
    cell_check_kernels(c, row, t);
    free(cubin);
    free(out);
    free(err);
}
