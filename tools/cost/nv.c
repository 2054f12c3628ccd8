/* nv.c - NVIDIA figures: the TU is compiled once more, with the same flags,
 * to a cubin with `-cubin -Xptxas -v` (no cuobjdump is needed, and the
 * timed runs keep exactly the build's flags). From ptxas -v, per kernel:
 *
 *   ptxas info    : Compiling entry function '_Z...' for 'sm_90'
 *   ptxas info    : Function properties for _Z...
 *       0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
 *   ptxas info    : Used 113 registers, used 1 barriers[, 16 bytes smem]...
 *
 * (read by tools/codeobj's co_nv_parse_ptxas). The cubin's size is the code
 * size; its .text.<kernel> sections the text. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "co_elf.h"
#include "co_isa.h"
#include "co_nvres.h"
#include "co_run.h"
#include "proc.h"
#include "targets.h"

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
    co_nv_kernel ks[16];
    char why[512];
    int nk = co_nv_parse_ptxas(text, ks, 16, why, sizeof why);
    if (nk < 0) die("%s: %s; ptxas -v output was:\n%s", tu, why, text);
    free(text);
    spawn_result_free(&r);
    sv_free(&a);

    size_t len;
    char *buf = read_file(cubin, &len);
    co_elf *e = buf ? co_elf_open(buf, len, why, sizeof why) : NULL;
    if (!e || co_elf_machine(e) != 190 /* EM_CUDA */) die("%s: not a CUDA ELF cubin", cubin);
    c->code_object_bytes = (long)len;
    c->text_bytes = co_elf_sum_sections(e, ".text");
    if (c->text_bytes <= 0) die("%s: no .text sections", cubin);
    co_elf_close(e);
    free(buf);

    c->nkernels = 0;
    int from[2]; /* ks index of each listed kernel */
    for (int i = 0; i < nk; i++) {
        if (!kernel_listed(ks[i].name)) continue;
        const char *dt = kernel_dtype(ks[i].name);
        if (!dt) die("%s: kernel '%s' is not a skinny kernel<f16|bf16>", tu, ks[i].name);
        if (c->nkernels == 2) die("%s: more than two kernels in ptxas output", tu);
        from[c->nkernels] = i;
        cost_kernel *k = &c->k[c->nkernels++];
        snprintf(k->dtype, sizeof k->dtype, "%s", dt);
        k->registers = ks[i].regs;
        k->sgpr = k->agpr = k->vgpr_spills = k->sgpr_spills = k->max_workgroup = -1;
        k->scratch_bytes = ks[i].stack;
        k->spill_store_bytes = ks[i].spill_st;
        k->spill_load_bytes = ks[i].spill_ld;
        k->static_lds_bytes = ks[i].smem;
        k->occupancy = nv_warps_per_sm(t, k->registers, (long)row->wave * row->group, ks[i].smem);
        k->mlp = -1;
    }
    /* Loads in flight: cuobjdump -sass of the cubin, where the toolkit
     * has cuobjdump (not every install does). */
    if (ts->cuobjdump) {
        char *argv[] = {ts->cuobjdump, "-sass", cubin, NULL}, *sass, *serr;
        int rc = co_run_capture(argv, &sass, &serr, why, sizeof why);
        if (rc == -2) die("%s", why);
        if (rc != 0) die("cuobjdump -sass %s failed (exit %d): %s", cubin, rc, serr);
        co_isa isa;
        if (co_isa_parse_sass(sass, &isa, why, sizeof why) != 0)
            die("%s: cuobjdump -sass output line %s", cubin, why);
        for (int i = 0; i < c->nkernels; i++) {
            const co_fn *f = co_isa_find(&isa, ks[from[i]].name);
            if (!f) die("%s: no SASS for %s", cubin, ks[from[i]].name);
            c->k[i].mlp = f->mlp;
        }
        co_isa_free(&isa);
        free(sass);
        free(serr);
    }
    cell_check_kernels(c, row, t);
    free(cubin);
    free(out);
    free(err);
}
