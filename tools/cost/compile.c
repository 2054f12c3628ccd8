/* compile.c - the build's kernel command per target (see meson.build,
 * kernel_cmd), plus checks shared by the AMD and NVIDIA readers. */
#include "compile.h"

#include <string.h>

void compile_argv(const toolset *ts, const cost_target *t, const char *tu, const char *obj,
                  const char *depfile, strvec *a)
{
    if (t->kind == KIND_AMD) {
        sv_push(a, ts->hipcc);
        sv_push(a, "-std=c++17");
        sv_push(a, "-x");
        sv_push(a, "hip");
        sv_pushf(a, "--offload-arch=%s", t->name);
        sv_push(a, "-O3");
        sv_push(a, "-fPIC");
        sv_push(a, "-fvisibility=hidden");
        sv_push(a, "-Wall");
        sv_push(a, "-Wextra");
        sv_push(a, "-Werror");
    } else {
        sv_push(a, ts->nvcc);
        sv_push(a, "-std=c++17");
        sv_push(a, "-x");
        sv_push(a, "cu");
        sv_pushf(a, "-gencode=arch=compute_%d,code=sm_%d", t->sm, t->sm);
        sv_push(a, "-O3");
        sv_push(a, "-Xcompiler");
        sv_push(a, "-fPIC");
        sv_push(a, "-Xcompiler");
        sv_push(a, "-fvisibility=hidden");
        sv_push(a, "-Xcompiler");
        sv_push(a, "-Wall");
        sv_push(a, "-Werror");
        sv_push(a, "all-warnings");
    }
    sv_pushf(a, "-I%s", ts->runtime);
    if (depfile) {
        sv_push(a, "-MD");
        sv_push(a, "-MF");
        sv_push(a, depfile);
    }
    sv_push(a, "-c");
    sv_push(a, tu);
    sv_push(a, "-o");
    sv_push(a, obj);
}

const char *kernel_dtype(const char *mangled)
{
    /* skinny_gemm_kernel<skinny_f16, ...> mangles the type as 10skinny_f16. */
    if (strstr(mangled, "11skinny_bf16")) return "bf16";
    if (strstr(mangled, "10skinny_f16")) return "f16";
    return NULL;
}

int kernel_listed(const char *mangled) { return strstr(mangled, "skinny_mma_fp8x_kernel") == NULL; }

void cell_check_kernels(cost_cell *c, const cost_row *row, const cost_target *t)
{
    if (c->nkernels != 2)
        die("%s on %s: expected 2 kernels (f16, bf16), the tools reported %d", row->name, t->name,
            c->nkernels);
    if (!strcmp(c->k[0].dtype, "bf16")) {
        cost_kernel tmp = c->k[0];
        c->k[0] = c->k[1];
        c->k[1] = tmp;
    }
    if (strcmp(c->k[0].dtype, "f16") || strcmp(c->k[1].dtype, "bf16"))
        die("%s on %s: expected one f16 and one bf16 kernel, got %s and %s", row->name, t->name,
            c->k[0].dtype, c->k[1].dtype);
}
