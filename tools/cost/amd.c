/* amd.c - AMD figures from the code object inside a hipcc object.
 *
 *   row.o (host ELF) --.hip_fatbin--> offload bundle
 *     --clang-offload-bundler --unbundle--> device ELF for the arch
 *     --llvm-readelf --notes--> AMDGPU metadata (YAML), one entry per kernel
 *
 * The section is cut out here (clang-offload-bundler's --type=o reads only
 * __CLANG_OFFLOAD_BUNDLE__ sections, not the .hip_fatbin hipcc writes);
 * the bundle format itself is left to the bundler.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "elf_sections.h"
#include "proc.h"
#include "targets.h"

#ifndef EM_AMDGPU
#define EM_AMDGPU 224
#endif

static void run_tool(strvec *argv, const char *prefix, const char *what, spawn_result *r)
{
    char *out = xasprintf("%s.%s.out", prefix, what), *err = xasprintf("%s.%s.err", prefix, what);
    if (spawn_run(argv->v, out, err, r) != 0) die("cannot run %s", argv->v[0]);
    if (r->exit_code != 0) {
        fputs(r->out, stderr);
        fputs(r->err, stderr);
        die("%s failed (exit %d): %s", argv->v[0], r->exit_code, argv_to_string(argv->v));
    }
    free(out);
    free(err);
}

/* The bundle entry for the arch: "hipv4-amdgcn-amd-amdhsa--gfx90a", possibly
 * with target features ("...--gfx90a:xnack+"). */
static char *pick_entry(const char *list, const char *arch, const char *bundle)
{
    char *want = xasprintf("amdgcn-amd-amdhsa--%s", arch);
    char *found = NULL;
    const char *p = list;
    while (*p && !found) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *line = xmalloc(len + 1);
        memcpy(line, p, len);
        line[len] = '\0';
        const char *m = strstr(line, want);
        if (m && (!strncmp(line, "hip-", 4) || !strncmp(line, "hipv4-", 6)) &&
            (m[strlen(want)] == '\0' || m[strlen(want)] == ':'))
            found = line;
        else
            free(line);
        if (!e) break;
        p = e + 1;
    }
    if (!found)
        die("no %s code object in %s; clang-offload-bundler --list printed:\n%s", arch, bundle,
            list);
    free(want);
    return found;
}

/* ------------------------------------------------ AMDGPU metadata (YAML) */

enum { K_NAME, K_VGPR, K_SGPR, K_PRIV, K_GROUP, K_VSPILL, K_SSPILL, K_WAVE, K_MAXWG, K_AGPR, K_COUNT };
static const char *const key_names[K_COUNT] = {
    ".name", ".vgpr_count", ".sgpr_count", ".private_segment_fixed_size",
    ".group_segment_fixed_size", ".vgpr_spill_count", ".sgpr_spill_count", ".wavefront_size",
    ".max_flat_workgroup_size", ".agpr_count"};

typedef struct {
    char name[512];
    long v[K_COUNT];
    unsigned seen;
} md_kernel;

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t') i++;
    memmove(s, s + i, n - i + 1);
    n = strlen(s);
    if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
        memmove(s, s + 1, n - 2);
        s[n - 2] = '\0';
    }
}

/* A "  - .key: value" or "    .key: value" line of one kernel's map. */
static void kernel_key(md_kernel *k, const char *line, const char *co)
{
    const char *colon = strchr(line, ':');
    if (!colon) return;
    char key[64];
    size_t kl = (size_t)(colon - line);
    if (kl >= sizeof key) return;
    memcpy(key, line, kl);
    key[kl] = '\0';
    for (int i = 0; i < K_COUNT; i++) {
        if (strcmp(key, key_names[i]) != 0) continue;
        char val[512];
        snprintf(val, sizeof val, "%s", colon + 1);
        trim(val);
        if (i == K_NAME) {
            snprintf(k->name, sizeof k->name, "%s", val);
        } else {
            char *end;
            errno = 0;
            long v = strtol(val, &end, 10);
            if (errno || end == val || *end != '\0' || v < 0)
                die("%s: AMDGPU metadata %s is not a count: '%s'", co, key, val);
            k->v[i] = v;
        }
        k->seen |= 1u << i;
    }
}

static size_t parse_notes(const char *text, const char *co, md_kernel *ks, size_t maxk)
{
    size_t nk = 0;
    int in_kernels = 0, found_kernels = 0;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[1024];
        if (len >= sizeof line) len = sizeof line - 1; /* long lines are names or args */
        memcpy(line, p, len);
        line[len] = '\0';
        size_t ind = strspn(line, " ");
        if (!strcmp(line, "amdhsa.kernels:")) {
            in_kernels = found_kernels = 1;
        } else if (in_kernels && ind == 0 && line[0] != '\0') {
            in_kernels = 0; /* next top-level key (amdhsa.target, ...) */
        } else if (in_kernels && ind == 2 && !strncmp(line + 2, "- .", 3)) {
            if (nk == maxk) die("%s: more than %zu kernels in the AMDGPU metadata", co, maxk);
            memset(&ks[nk], 0, sizeof ks[nk]);
            ks[nk].v[K_AGPR] = -1;
            kernel_key(&ks[nk++], line + 4, co);
        } else if (in_kernels && ind == 4 && line[4] == '.' && nk) {
            kernel_key(&ks[nk - 1], line + 4, co);
        }
        if (!e) break;
        p = e + 1;
    }
    if (!found_kernels)
        die("%s: no 'amdhsa.kernels:' in llvm-readelf --notes output (not AMDGPU code object "
            "v3+ metadata?):\n%s", co, text);
    for (size_t i = 0; i < nk; i++)
        for (int j = 0; j < K_AGPR; j++)
            if (!(ks[i].seen & (1u << j)))
                die("%s: kernel %zu (%s) has no %s in its AMDGPU metadata", co, i,
                    ks[i].name[0] ? ks[i].name : "?", key_names[j]);
    return nk;
}

void amd_figures(const toolset *ts, const cost_target *t, const cost_row *row, const char *obj,
                 const char *prefix, cost_cell *c)
{
    size_t len, off, size;
    char *buf = read_file(obj, &len);
    if (!buf) die("cannot read %s", obj);
    if (elf_section(buf, len, ".hip_fatbin", &off, &size) != 0)
        die("%s: no .hip_fatbin section (not a hipcc object?)", obj);
    char *bundle = xasprintf("%s.bundle", prefix);
    FILE *f = fopen(bundle, "wb");
    if (!f || fwrite(buf + off, 1, size, f) != size || fclose(f) != 0)
        die("cannot write %s", bundle);
    free(buf);

    strvec a = {0};
    spawn_result r;
    sv_push(&a, ts->bundler);
    sv_push(&a, "--list");
    sv_push(&a, "--type=o");
    sv_pushf(&a, "--input=%s", bundle);
    run_tool(&a, prefix, "list", &r);
    char *entry = pick_entry(r.out, t->name, bundle);
    spawn_result_free(&r);
    sv_free(&a);

    char *co = xasprintf("%s.co", prefix);
    sv_push(&a, ts->bundler);
    sv_push(&a, "--unbundle");
    sv_push(&a, "--type=o");
    sv_pushf(&a, "--input=%s", bundle);
    sv_pushf(&a, "--targets=%s", entry);
    sv_pushf(&a, "--output=%s", co);
    run_tool(&a, prefix, "unbundle", &r);
    spawn_result_free(&r);
    sv_free(&a);

    buf = read_file(co, &len);
    if (!buf) die("cannot read the unbundled code object %s", co);
    if (elf_machine(buf, len) != EM_AMDGPU)
        die("%s: unbundled %s is not an AMDGPU ELF64 code object", co, entry);
    c->code_object_bytes = (long)len;
    c->text_bytes = elf_sum_sections(buf, len, ".text");
    if (c->text_bytes <= 0) die("%s: no .text section", co);
    free(buf);

    sv_push(&a, ts->readelf);
    sv_push(&a, "--notes");
    sv_push(&a, co);
    run_tool(&a, prefix, "notes", &r);
    md_kernel ks[4];
    size_t nk = parse_notes(r.out, co, ks, 4);
    spawn_result_free(&r);
    sv_free(&a);

    c->nkernels = 0;
    for (size_t i = 0; i < nk; i++) {
        const char *dt = kernel_dtype(ks[i].name);
        if (!dt) die("%s: kernel '%s' is not a skinny kernel<f16|bf16>", co, ks[i].name);
        if (c->nkernels == 2) die("%s: more than two kernels", co);
        if (ks[i].v[K_WAVE] != t->wave)
            die("%s: kernel %s has .wavefront_size %ld, %s runs wave%d", co, ks[i].name,
                ks[i].v[K_WAVE], t->name, t->wave);
        cost_kernel *k = &c->k[c->nkernels++];
        snprintf(k->dtype, sizeof k->dtype, "%s", dt);
        k->registers = ks[i].v[K_VGPR];
        k->sgpr = ks[i].v[K_SGPR];
        k->agpr = ks[i].v[K_AGPR];
        k->scratch_bytes = ks[i].v[K_PRIV];
        k->vgpr_spills = ks[i].v[K_VSPILL];
        k->sgpr_spills = ks[i].v[K_SSPILL];
        k->spill_store_bytes = k->spill_load_bytes = -1;
        k->static_lds_bytes = ks[i].v[K_GROUP];
        k->max_workgroup = ks[i].v[K_MAXWG];
        k->occupancy = amd_waves_per_simd(t, k->registers, k->sgpr);
    }
    cell_check_kernels(c, row, t);
    free(entry);
    free(co);
    free(bundle);
}
