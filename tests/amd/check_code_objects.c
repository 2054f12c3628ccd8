/* check_code_objects.c - static checks of the AMD code objects of the
 * generated kernels (Meson suite 'amd'; needs no GPU).
 *
 * For every kernel object build/<row>.o and every AMDGPU code object in it,
 * read through tools/codeobj (offload bundle, AMDGPU metadata note, kernel
 * descriptor, llvm-objdump -d for the ISA), each kernel whose wave size is
 * the arch's (wave64 rows on gfx9, wave32 rows on gfx10+) must have:
 *
 *   - no scratch (private segment 0, no VGPR/SGPR spills);
 *   - a VGPR allocation that lets the whole intended workgroup (wave x
 *     waves_per_group lanes) be resident at once (co_amd_vgpr_budget; the
 *     gfx10+ WGP/CU mode comes from the kernel descriptor);
 *   - metadata LDS / scratch sizes that agree with the kernel descriptor;
 *   - 16-byte global loads (global_load_dwordx4 / buffer_load_dwordx4,
 *     *_b128 on gfx11+); whether they carry the non-temporal hint is
 *     reported, not checked;
 *   - MMA and MMA_FP8 rows (skinny_mma_kernel, skinny_mma_fp8_kernel):
 *     v_mfma_* instructions, since the build gives them code only for MFMA
 *     targets.
 * Rows of the other wave size compile to an empty body there: "skipped
 * (wave mismatch)".
 *
 * Usage: check_code_objects --objdump PATH [--archs gfxA,gfxB,...] [-v] OBJ...
 * --archs: the targets every object must contain (Meson's hip_targets).
 * OBJ may also be a raw offload bundle (hipcc --cuda-device-only output).
 * Exit: 0 all checks pass, 1 a check failed or a tool's output was not
 * understood, 2 usage error, 77 (Meson: skip) no objects given.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "co_amdobj.h"
#include "co_arch.h"
#include "co_names.h"

/* Largest static LDS a workgroup may have (all listed archs: 64 KiB). */
#define MAX_STATIC_LDS 65536L

static bool verbose;
static int n_checked, n_ok, n_failed, n_skipped, n_errors, n_nt;
static char **fail_lines;
static size_t n_fail_lines;

static char *xvasprintf(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *s = malloc(n < 0 ? 1 : (size_t)n + 1);
    if (!s) abort();
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void add_fail_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    char **n = realloc(fail_lines, (n_fail_lines + 1) * sizeof *fail_lines);
    if (!n) abort();
    fail_lines = n;
    fail_lines[n_fail_lines++] = s;
}

/* A tool's output or the reader could not be used: counts as a failure. */
static void tool_error(const char *obj, const char *arch, const char *what, const char *msg)
{
    ++n_errors;
    printf("ERROR %s%s%s: %s: %s\n", base_name(obj), arch ? " " : "", arch ? arch : "", what, msg);
    add_fail_line("%s%s%s: %s: %s", base_name(obj), arch ? " " : "", arch ? arch : "", what, msg);
}

struct reason {
    char buf[1024];
    size_t len;
};

static void reason_add(struct reason *r, const char *fmt, ...)
{
    if (r->len && r->len + 2 < sizeof r->buf) {
        memcpy(r->buf + r->len, "; ", 3);
        r->len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->buf + r->len, sizeof r->buf - r->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        r->len = r->len + (size_t)n < sizeof r->buf ? r->len + (size_t)n : sizeof r->buf - 1;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void print_header(void)
{
    printf("%-24s %-8s %4s %5s %9s %4s %4s %6s %7s %9s %9s %3s  %s\n", "kernel", "arch", "wave",
           "wg", "vgpr/max", "agpr", "sgpr", "lds", "scratch", "spill v/s", "x4 ld/nt", "mlp",
           "verdict");
}

static void check_kernel(const char *obj, const co_row *objrow, const co_amd_object *o,
                         const co_arch *ai, const co_amd_kernel *k, bool *arch_matched)
{
    const char *arch = o->arch;
    co_row r = co_row_of_mangled(k->name);
    char label[96];
    if (r.ok) {
        char rn[48];
        co_row_name(&r, rn, sizeof rn);
        snprintf(label, sizeof label, "%s %s%s", rn, r.dtype, r.fp8x ? " fp8-x" : "");
    } else {
        snprintf(label, sizeof label, "%.63s", k->name);
    }
    for (int i = 0; i < CO_NKEYS; ++i)
        if (!(k->has >> i & 1u) && !(i == CO_AGPR && ai->agpr == CO_AGPR_NONE)) {
            char msg[160];
            snprintf(msg, sizeof msg, "kernel %s: metadata key %s missing", label,
                     co_amd_key_names[i]);
            tool_error(obj, arch, "AMDGPU metadata", msg);
            return;
        }
    const long *v = k->v;
    char agpr[16], sp[24];
    if (k->has >> CO_AGPR & 1u) snprintf(agpr, sizeof agpr, "%ld", v[CO_AGPR]);
    else snprintf(agpr, sizeof agpr, "-");
    snprintf(sp, sizeof sp, "%ld/%ld", v[CO_VSPILL], v[CO_SSPILL]);

    /* The kernel descriptor: WGP mode, and a consistency check of the
     * metadata (what the loader really uses is the descriptor). */
    unsigned char kd[64];
    if (co_amd_kernel_descriptor(o, k, kd) != 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "kernel %s: kernel descriptor symbol not found", label);
        tool_error(obj, arch, "ELF symbol table", msg);
        return;
    }
    if (rd32(kd) != (uint32_t)v[CO_GROUP] || rd32(kd + 4) != (uint32_t)v[CO_PRIVATE]) {
        char msg[256];
        snprintf(msg, sizeof msg, "kernel %s: metadata (LDS %ld, scratch %ld) disagrees with the "
                 "kernel descriptor (LDS %u, scratch %u)", label, v[CO_GROUP], v[CO_PRIVATE],
                 rd32(kd), rd32(kd + 4));
        tool_error(obj, arch, "AMDGPU metadata", msg);
        return;
    }
    uint32_t rsrc1 = rd32(kd + 48);
    bool wgp_mode = ai->family >= 10 && (rsrc1 >> 29 & 1);
    int simds = ai->family >= 10 && !wgp_mode ? 2 : 4;

    /* Which rows does this code object really run? */
    long wave = r.ok ? r.wave : v[CO_WAVE];
    if (wave != v[CO_WAVE]) {
        ++n_skipped;
        printf("%-24s %-8s %4ld %5s %9ld %4s %4ld %6ld %7ld %9s %9s %3s  skipped (wave mismatch:"
               " code object is wave%ld)\n", label, arch, wave, "-", v[CO_VGPR], agpr, v[CO_SGPR],
               v[CO_GROUP], v[CO_PRIVATE], sp, "-", "-", v[CO_WAVE]);
        return;
    }
    *arch_matched = true;
    ++n_checked;

    struct reason why = {.len = 0};
    long group = r.ok ? r.group : (v[CO_MAXWG] + wave - 1) / wave;
    long threads = wave * group;
    if (objrow->ok && r.ok &&
        (objrow->n != r.n || objrow->wave != r.wave || objrow->group != r.group ||
         objrow->ytile != r.ytile || objrow->unroll != r.unroll || objrow->mma != r.mma ||
         objrow->fp8 != r.fp8))
        reason_add(&why, "template arguments disagree with the object name %s", base_name(obj));

    /* no scratch */
    if (v[CO_PRIVATE] != 0)
        reason_add(&why, "scratch: private_segment_fixed_size %ld bytes", v[CO_PRIVATE]);
    if (v[CO_VSPILL] != 0) reason_add(&why, "vgpr_spill_count %ld", v[CO_VSPILL]);
    if (v[CO_SSPILL] != 0) reason_add(&why, "sgpr_spill_count %ld", v[CO_SSPILL]);

    /* the intended workgroup can be launched and be resident */
    if (v[CO_MAXWG] < threads)
        reason_add(&why, "max_flat_workgroup_size %ld < workgroup %ld x %ld = %ld lanes",
                   v[CO_MAXWG], wave, group, threads);
    if (threads > 1024) reason_add(&why, "workgroup %ld lanes > 1024", threads);
    int gran, total = co_amd_vgpr_file(ai, (int)wave, &gran);
    long budget = 0;
    if (total == 0) {
        reason_add(&why, "no wave%ld register table for %s", wave, arch);
    } else {
        long per_simd = (group + simds - 1) / simds;
        if (per_simd > ai->max_waves_simd)
            reason_add(&why, "%ld waves per SIMD > %d", per_simd, ai->max_waves_simd);
        budget = co_amd_vgpr_budget(ai, (int)wave, simds, group);
        /* .vgpr_count: gfx90a+ VGPRs+AGPRs (unified file); gfx908 max of
         * the two separate files, each with the same budget. */
        long used = ((v[CO_VGPR] > 0 ? v[CO_VGPR] : 1) + gran - 1) / gran * gran;
        if (used > budget)
            reason_add(&why,
                       "VGPRs %ld (allocated %ld) > budget %ld = %d per SIMD lane / %ld waves per"
                       " SIMD (%ld waves of %ld lanes over %d SIMDs)",
                       v[CO_VGPR], used, budget, total, per_simd, group, wave, simds);
    }
    if (v[CO_GROUP] > MAX_STATIC_LDS)
        reason_add(&why, "static LDS %ld > %ld", v[CO_GROUP], MAX_STATIC_LDS);

    /* 16-byte global loads in the body */
    const co_fn *f = co_isa_find(&o->isa, k->name);
    char x4[24] = "-", mlp[8] = "-";
    if (!f || f->insns == 0) {
        reason_add(&why, "llvm-objdump: no disassembly found for the kernel symbol");
    } else {
        snprintf(x4, sizeof x4, "%ld/%ld", f->wide_loads, f->wide_loads_nt);
        snprintf(mlp, sizeof mlp, "%d", f->mlp);
        if (f->wide_loads == 0)
            reason_add(&why, "no global_load_dwordx4/buffer_load_dwordx4 (16-byte load) in %ld"
                             " instructions", f->insns);
        else if (f->wide_loads_nt > 0)
            ++n_nt;
        /* MMA rows are built only where every wave-64 target has MFMA: the
         * body must use it (an empty or FMA body would be a silent fallback). */
        if (r.ok && r.mma && f->matrix == 0) reason_add(&why, "MMA row without v_mfma_* instructions");
    }

    char vg[24];
    snprintf(vg, sizeof vg, "%ld/%ld", v[CO_VGPR], budget);
    printf("%-24s %-8s %4ld %5ld %9s %4s %4ld %6ld %7ld %9s %9s %3s  %s\n", label, arch, wave,
           threads, vg, agpr, v[CO_SGPR], v[CO_GROUP], v[CO_PRIVATE], sp, x4, mlp,
           why.len ? "FAIL" : (f && f->wide_loads_nt ? "ok" : "ok (no nt hint)"));
    if (why.len) {
        ++n_failed;
        printf("    FAIL %s on %s: %s\n", label, arch, why.buf);
        add_fail_line("%s on %s: %s", label, arch, why.buf);
    } else {
        ++n_ok;
    }
}

static void check_object(const char *objdump, const char *obj, char **want_archs, int n_want)
{
    const int errors_before = n_errors;
    co_amd_objects objs;
    char err[512];
    if (co_amd_read(obj, &objs, err, sizeof err) != 0) {
        tool_error(obj, NULL, "code objects", err);
        return;
    }
    for (int w = 0; w < n_want; ++w)
        if (!co_amd_find(&objs, want_archs[w])) {
            char msg[128];
            snprintf(msg, sizeof msg, "no code object for %s (expected from --archs)",
                     want_archs[w]);
            tool_error(obj, NULL, "offload bundle", msg);
        }
    co_row objrow = co_row_of_name(obj);
    bool arch_matched = false;
    for (int i = 0; i < objs.n; ++i) {
        co_amd_object *o = &objs.o[i];
        const co_arch *ai = co_arch_find(o->arch);
        if (!ai || ai->vendor != CO_AMD) {
            tool_error(obj, o->arch, "check_code_objects",
                       "no register-file figures for this arch: add it to tools/codeobj/co_arch.c");
            continue;
        }
        if (verbose) fprintf(stderr, "+ %s -d --mcpu=%s (%s of %s)\n", objdump, o->arch, o->id, obj);
        if (co_amd_disassemble(o, objdump, err, sizeof err) != 0) {
            tool_error(obj, o->arch, "llvm-objdump -d", err);
            continue;
        }
        for (int j = 0; j < o->meta.nkernels; ++j) {
            if (!o->meta.k[j].name[0]) {
                tool_error(obj, o->arch, "AMDGPU metadata", "a kernel has no .name");
                continue;
            }
            check_kernel(obj, &objrow, o, ai, &o->meta.k[j], &arch_matched);
        }
    }
    if (!arch_matched && n_errors == errors_before) {
        ++n_failed;
        printf("    FAIL %s: no code object has the row's wave size; nothing was checked\n",
               base_name(obj));
        add_fail_line("%s: no code object has the row's wave size", base_name(obj));
    }
    co_amd_free(&objs);
}

static void usage(void)
{
    fputs("usage: check_code_objects --objdump PATH [--archs gfxA,gfxB] [-v] OBJ...\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *objdump = NULL;
    char *archs_arg = NULL;
    int first_obj = argc;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (strcmp(a, "--objdump") == 0 && i + 1 < argc)
            objdump = argv[++i];
        else if (strcmp(a, "--archs") == 0 && i + 1 < argc)
            archs_arg = argv[++i];
        else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
            verbose = true;
        else if (strcmp(a, "--") == 0) {
            first_obj = i + 1;
            break;
        } else if (a[0] == '-')
            usage();
        else {
            first_obj = i;
            break;
        }
    }
    if (!objdump) usage();
    if (first_obj >= argc) {
        puts("check_code_objects: no kernel objects given; nothing to check");
        return 77;
    }
    char *want[64];
    int n_want = 0;
    if (archs_arg)
        for (char *s = NULL, *t = strtok_r(archs_arg, ",", &s); t && n_want < 64;
             t = strtok_r(NULL, ",", &s))
            if (*t) want[n_want++] = t;

    printf("AMD code-object checks: %d object(s); disassembler: %s\n", argc - first_obj, objdump);
    printf("vgpr/max = .vgpr_count (incl. AGPRs on gfx90a+) / VGPRs one wave may hold with the whole"
           " workgroup resident\n");
    printf("x4 ld/nt = 16-byte global loads in the kernel / of them with a non-temporal hint\n");
    printf("mlp = most 16-byte loads one wave has in flight in its main loop (s_waitcnt vmcnt)\n\n");
    print_header();
    for (int i = first_obj; i < argc; ++i) check_object(objdump, argv[i], want, n_want);

    printf("\nsummary: %d object(s), %d kernel/arch pair(s) checked: %d ok, %d failed;"
           " %d skipped (wave mismatch); %d tool error(s)\n",
           argc - first_obj, n_checked, n_ok, n_failed, n_skipped, n_errors);
    if (n_checked)
        printf("non-temporal hint on 16-byte loads: %d of %d checked kernel/arch pairs (information"
               " only)\n", n_nt, n_checked);
    if (n_checked == 0 && n_errors == 0 && n_failed == 0) {
        puts("FAILED: no kernel was checked");
        ++n_failed;
    }
    if (n_fail_lines) {
        printf("\nFAILED (%zu):\n", n_fail_lines);
        for (size_t i = 0; i < n_fail_lines; ++i) {
            printf("  %s\n", fail_lines[i]);
            free(fail_lines[i]);
        }
        free(fail_lines);
    }
    return n_failed || n_errors ? 1 : 0;
}
