/* check_code_objects.c - static checks of the AMD code objects of the
 * generated kernels (Meson suite 'amd'; needs no GPU).
 *
 * For every kernel object build/<row>.o (a host ELF whose .hip_fatbin section
 * is a clang offload bundle) and every AMDGPU code object in it:
 *
 *   1. clang-offload-bundler --list / --unbundle extracts the device ELF of
 *      each gfx target;
 *   2. llvm-readelf --notes prints the AMDGPU metadata note; per kernel we
 *      read .vgpr_count, .sgpr_count, .agpr_count, .private_segment_fixed_size,
 *      .group_segment_fixed_size, .wavefront_size, .max_flat_workgroup_size,
 *      .vgpr_spill_count, .sgpr_spill_count;
 *   3. the 64-byte kernel descriptor (<kernel>.kd, read from the ELF here)
 *      gives the gfx10+ WGP/CU mode, and cross-checks the segment sizes;
 *   4. llvm-objdump -d --mcpu=<arch> gives the ISA of each kernel.
 *
 * Kernels whose wave size is the arch's (wave64 rows on gfx9, wave32 rows on
 * gfx10+) must have: no scratch (private segment 0, no VGPR/SGPR spills),
 * a VGPR allocation that lets the whole intended workgroup (wave x
 * waves_per_group lanes) be resident at once, and 16-byte global loads
 * (global_load_dwordx4 / buffer_load_dwordx4, *_b128 on gfx11+). Whether
 * those loads carry the non-temporal hint is reported, not checked. Rows of
 * the other wave size compile to an empty body there: "skipped (wave mismatch)".
 * Kernels of MMA and MMA_FP8 rows (skinny_mma_kernel, skinny_mma_fp8_kernel)
 * must also contain v_mfma_*
 * instructions: the build gives them code only for MFMA targets.
 *
 * Usage: check_code_objects --bundler PATH --readelf PATH --objdump PATH
 *                           [--archs gfxA,gfxB,...] [--keep-temps] [-v] OBJ...
 * --archs: the targets every object must contain (Meson's hip_targets).
 * OBJ may also be a raw offload bundle (hipcc --cuda-device-only output).
 * Exit: 0 all checks pass, 1 a check failed or a tool's output was not
 * understood, 2 usage error, 77 (Meson: skip) no objects given.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------ arch table */

/*
 * Register-file figures, as LLVM's AMDGPU backend uses them to decide how
 * many VGPRs a kernel may allocate for a given occupancy
 * (llvm/lib/Target/AMDGPU/Utils/AMDGPUBaseInfo.cpp: getTotalNumVGPRs,
 * getVGPRAllocGranule, getAddressableNumVGPRs, getMaxWavesPerEU,
 * getEUsPerCU), matching the ISA manuals:
 *
 *  - GCN gfx900..gfx906: 256 VGPRs per SIMD lane (64 KiB per SIMD / 64
 *    lanes / 4 B), allocated in granules of 4; max 10 waves per SIMD.
 *  - CDNA1 gfx908: 256 arch VGPRs plus a separate 256-entry AGPR file;
 *    metadata .vgpr_count is max(VGPRs, AGPRs), granule 4.
 *  - CDNA2/3 gfx90a, gfx940-942: one unified 512-entry file per lane
 *    (VGPRs then AGPRs); metadata .vgpr_count is already the total
 *    alignTo(VGPRs, 4) + AGPRs; granule 8; max 8 waves per SIMD.
 *  - RDNA1 gfx101x: 1024 VGPRs per SIMD lane-slot in wave32 (128 KiB / 32
 *    lanes / 4 B), 512 in wave64; granule 8 (wave32) / 4 (wave64); 20 waves.
 *  - RDNA2 gfx103x: same file, granule 16 (wave32) / 8 (wave64); 16 waves.
 *  - RDNA3 gfx1100/1101, RDNA4 gfx1200/1201: 1.5x file, 1536 (wave32) /
 *    768 (wave64), granule 24 / 12; gfx1102/1103: as RDNA2. 16 waves.
 *  - One wave never addresses more than 256 arch VGPRs (512 unified on
 *    gfx90a+).
 *
 * A workgroup must be resident on one CU (gfx9: 4 SIMDs) or, on gfx10+,
 * one WGP (4 SIMDs, the default "WGP mode") or one CU (2 SIMDs, -mcumode);
 * the mode is read from the kernel descriptor. A workgroup of G waves thus
 * needs ceil(G / SIMDs) waves on one SIMD, and each of them gets at most
 * alignDown(total / that, granule) VGPRs. The kernel passes if its VGPR
 * count rounded up to the granule fits: e.g. gfx90a, 16 waves of 64:
 * 4 per SIMD, 512 / 4 = 128 VGPRs (+AGPRs); gfx1030 wave32 WGP mode,
 * 16 waves: 4 per SIMD, 1024 / 4 = 256.
 */
enum agpr_kind { AGPR_NONE, AGPR_SEPARATE, AGPR_UNIFIED };

struct arch_info {
    const char *name;
    int family;              /* 9, 10, 11, 12 */
    int total_w32, gran_w32; /* VGPRs per SIMD lane-slot, granule; 0: no wave32 */
    int total_w64, gran_w64;
    int addressable;         /* per wave */
    enum agpr_kind agpr;
    int max_waves_per_simd;
};

static const struct arch_info arch_table[] = {
    {"gfx900", 9, 0, 0, 256, 4, 256, AGPR_NONE, 10},
    {"gfx902", 9, 0, 0, 256, 4, 256, AGPR_NONE, 10},
    {"gfx904", 9, 0, 0, 256, 4, 256, AGPR_NONE, 10},
    {"gfx906", 9, 0, 0, 256, 4, 256, AGPR_NONE, 10},
    {"gfx909", 9, 0, 0, 256, 4, 256, AGPR_NONE, 10},
    {"gfx90c", 9, 0, 0, 256, 4, 256, AGPR_NONE, 10},
    {"gfx908", 9, 0, 0, 256, 4, 256, AGPR_SEPARATE, 10},
    {"gfx90a", 9, 0, 0, 512, 8, 512, AGPR_UNIFIED, 8},
    {"gfx940", 9, 0, 0, 512, 8, 512, AGPR_UNIFIED, 8},
    {"gfx941", 9, 0, 0, 512, 8, 512, AGPR_UNIFIED, 8},
    {"gfx942", 9, 0, 0, 512, 8, 512, AGPR_UNIFIED, 8},
    {"gfx1010", 10, 1024, 8, 512, 4, 256, AGPR_NONE, 20},
    {"gfx1011", 10, 1024, 8, 512, 4, 256, AGPR_NONE, 20},
    {"gfx1012", 10, 1024, 8, 512, 4, 256, AGPR_NONE, 20},
    {"gfx1013", 10, 1024, 8, 512, 4, 256, AGPR_NONE, 20},
    {"gfx1030", 10, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1031", 10, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1032", 10, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1033", 10, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1034", 10, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1035", 10, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1036", 10, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1100", 11, 1536, 24, 768, 12, 256, AGPR_NONE, 16},
    {"gfx1101", 11, 1536, 24, 768, 12, 256, AGPR_NONE, 16},
    {"gfx1102", 11, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1103", 11, 1024, 16, 512, 8, 256, AGPR_NONE, 16},
    {"gfx1200", 12, 1536, 24, 768, 12, 256, AGPR_NONE, 16},
    {"gfx1201", 12, 1536, 24, 768, 12, 256, AGPR_NONE, 16},
};

static const struct arch_info *find_arch(const char *name)
{
    for (size_t i = 0; i < sizeof arch_table / sizeof arch_table[0]; ++i)
        if (strcmp(arch_table[i].name, name) == 0)
            return &arch_table[i];
    return NULL;
}

/* Largest static LDS a workgroup may have (all listed archs: 64 KiB). */
#define MAX_STATIC_LDS 65536L

/* ---------------------------------------------------------------- utils */

static bool verbose, keep_temps;
static char tmpdir[4096];
static char **temp_files;
static size_t n_temp_files;

static void cleanup(void)
{
    if (keep_temps || !tmpdir[0])
        return;
    for (size_t i = 0; i < n_temp_files; ++i) {
        unlink(temp_files[i]);
        free(temp_files[i]);
    }
    free(temp_files);
    temp_files = NULL;
    n_temp_files = 0;
    rmdir(tmpdir);
    tmpdir[0] = '\0';
}

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("check_code_objects: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cleanup();
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

static char *xasprintf(const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("vsnprintf failed");
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, aq);
    va_end(aq);
    return s;
}

/* A path in the temporary directory, removed at exit. */
static char *temp_path(const char *name)
{
    char *p = xasprintf("%s/%s", tmpdir, name);
    temp_files = xrealloc(temp_files, (n_temp_files + 1) * sizeof *temp_files);
    temp_files[n_temp_files++] = xstrdup(p);
    return p;
}

/* Whole file into memory (NUL-terminated for text). NULL + errno on error. */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = xmalloc(cap + 1);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                int e = errno;
                fclose(f);
                free(buf);
                errno = e;
                return NULL;
            }
            break;
        }
        cap *= 2;
        buf = xrealloc(buf, cap + 1);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        die("cannot write %s: %s", path, strerror(errno));
}

/* Run argv (argv[0] a path or a name on PATH); capture stdout and stderr.
 * Returns the exit status, or -1 if it did not exit normally. */
static int run_tool(char *const argv[], char **out, char **err)
{
    static char *out_path, *err_path;
    if (!out_path) {
        out_path = temp_path("tool.stdout");
        err_path = temp_path("tool.stderr");
    }
    if (verbose) {
        fputs("+", stderr);
        for (int i = 0; argv[i]; ++i)
            fprintf(stderr, " %s", argv[i]);
        fputc('\n', stderr);
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(126);
        close(fo);
        close(fe);
        execvp(argv[0], argv);
        fprintf(stderr, "cannot execute %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            die("waitpid: %s", strerror(errno));
    size_t n;
    *out = (char *)read_file(out_path, &n);
    *err = (char *)read_file(err_path, &n);
    if (!*out || !*err)
        die("cannot read the output of %s", argv[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool parse_uint(const char *s, long *v)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || *end)
        return false;
    *v = x;
    return true;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static long align_up(long x, long a) { return (x + a - 1) / a * a; }
static long align_down(long x, long a) { return x / a * a; }

/* ------------------------------------------------------------------- ELF */

#define EM_AMDGPU_ 224
#define SHT_SYMTAB_ 2
#define SHT_DYNSYM_ 11

struct elf {
    const unsigned char *d;
    size_t len;
    uint64_t shoff;
    unsigned shentsize, shnum, shstrndx;
    unsigned machine;
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static bool in_bounds(const struct elf *e, uint64_t off, uint64_t n)
{
    return off <= e->len && n <= e->len - off;
}

/* 64-bit little-endian ELF only (x86-64 hosts, AMDGPU code objects). */
static bool elf_open(struct elf *e, const unsigned char *d, size_t len)
{
    memset(e, 0, sizeof *e);
    e->d = d;
    e->len = len;
    if (len < 64 || memcmp(d, "\177ELF", 4) != 0 || d[4] != 2 || d[5] != 1)
        return false;
    e->machine = rd16(d + 18);
    e->shoff = rd64(d + 40);
    e->shentsize = rd16(d + 58);
    e->shnum = rd16(d + 60);
    e->shstrndx = rd16(d + 62);
    if (e->shentsize < 64 || e->shstrndx >= e->shnum ||
        !in_bounds(e, e->shoff, (uint64_t)e->shnum * e->shentsize))
        return false;
    return true;
}

static const unsigned char *elf_shdr(const struct elf *e, unsigned i)
{
    return e->d + e->shoff + (uint64_t)i * e->shentsize;
}

/* Section i's contents, or NULL if out of bounds (NOBITS: NULL). */
static const unsigned char *elf_section(const struct elf *e, unsigned i, uint64_t *size)
{
    const unsigned char *sh = elf_shdr(e, i);
    uint64_t off = rd64(sh + 24);
    *size = rd64(sh + 32);
    if (rd32(sh + 4) == 8 /* SHT_NOBITS */ || !in_bounds(e, off, *size))
        return NULL;
    return e->d + off;
}

static const char *elf_str(const struct elf *e, unsigned strtab, uint64_t off)
{
    uint64_t size;
    const unsigned char *s = elf_section(e, strtab, &size);
    if (!s || off >= size || !memchr(s + off, '\0', size - off))
        return NULL;
    return (const char *)s + off;
}

static int elf_find_section(const struct elf *e, const char *name)
{
    for (unsigned i = 0; i < e->shnum; ++i) {
        const char *n = elf_str(e, e->shstrndx, rd32(elf_shdr(e, i)));
        if (n && strcmp(n, name) == 0)
            return (int)i;
    }
    return -1;
}

/* Bytes of the symbol `name` (size taken from want); NULL if absent. */
static const unsigned char *elf_symbol_bytes(const struct elf *e, const char *name, uint64_t want)
{
    for (unsigned i = 0; i < e->shnum; ++i) {
        const unsigned char *sh = elf_shdr(e, i);
        unsigned type = rd32(sh + 4);
        if (type != SHT_SYMTAB_ && type != SHT_DYNSYM_)
            continue;
        uint64_t size, entsize = rd64(sh + 56);
        const unsigned char *syms = elf_section(e, i, &size);
        unsigned strtab = rd32(sh + 40);
        if (!syms || entsize < 24 || strtab >= e->shnum)
            continue;
        for (uint64_t k = 0; k + entsize <= size; k += entsize) {
            const unsigned char *s = syms + k;
            const char *n = elf_str(e, strtab, rd32(s));
            unsigned shndx = rd16(s + 6);
            if (!n || strcmp(n, name) != 0 || shndx == 0 || shndx >= e->shnum)
                continue;
            const unsigned char *ts = elf_shdr(e, shndx);
            uint64_t addr = rd64(ts + 16), off = rd64(ts + 24), value = rd64(s + 8);
            if (value < addr || !in_bounds(e, off + (value - addr), want))
                return NULL;
            return e->d + off + (value - addr);
        }
    }
    return NULL;
}

/* ------------------------------------------------------- kernel metadata */

enum {
    K_VGPR, K_SGPR, K_AGPR, K_PRIVATE, K_GROUP, K_WAVE, K_MAXWG, K_VSPILL, K_SSPILL, NKEYS
};
static const char *const key_names[NKEYS] = {
    ".vgpr_count", ".sgpr_count", ".agpr_count", ".private_segment_fixed_size",
    ".group_segment_fixed_size", ".wavefront_size", ".max_flat_workgroup_size",
    ".vgpr_spill_count", ".sgpr_spill_count",
};

struct kmeta {
    char *name, *symbol;
    long v[NKEYS];
    bool has[NKEYS];
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        ++s;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
        s[n - 1] = '\0';
        ++s;
    }
    return s;
}

/*
 * Parse the YAML that llvm-readelf --notes prints for NT_AMDGPU_METADATA:
 *
 *   amdhsa.kernels:
 *     - .agpr_count:     0        <- "- " at the list indent starts a kernel
 *       .args:
 *         - .offset: 0            <- deeper: ignored
 *       .name:           _Z18...
 *   amdhsa.target:   amdgcn-amd-amdhsa--gfx90a
 *
 * Returns the number of kernels (array in *out), or -1 with *why set.
 */
static int parse_notes(char *text, struct kmeta **out, char *target, size_t target_len,
                       const char **why)
{
    struct kmeta *k = NULL;
    int nk = 0, list_indent = -1;
    bool in_kernels = false, seen_kernels = false;
    char *save = NULL;
    target[0] = '\0';
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int indent = 0;
        while (line[indent] == ' ')
            ++indent;
        char *body = line + indent;
        if (indent == 0 && strncmp(body, "amdhsa.target:", 14) == 0) {
            snprintf(target, target_len, "%s", trim(body + 14));
            in_kernels = false;
            continue;
        }
        if (indent == 0 && strncmp(body, "amdhsa.kernels:", 15) == 0) {
            in_kernels = seen_kernels = true;
            continue;
        }
        if (!in_kernels || !*trim(body))
            continue;
        if (indent == 0 || strncmp(body, "---", 3) == 0 || strncmp(body, "...", 3) == 0) {
            in_kernels = false; /* next top-level key or end of document */
            continue;
        }
        bool item = body[0] == '-' && (body[1] == ' ' || body[1] == '\0');
        if (list_indent < 0) {
            if (!item) {
                *why = "amdhsa.kernels is not followed by a list";
                return -1;
            }
            list_indent = indent;
        }
        char *kv;
        if (item && indent == list_indent) {
            k = xrealloc(k, (size_t)(nk + 1) * sizeof *k);
            memset(&k[nk], 0, sizeof k[nk]);
            ++nk;
            kv = body + 1;
        } else if (!item && indent == list_indent + 2 && nk > 0) {
            kv = body;
        } else {
            continue; /* nested (.args etc.) */
        }
        kv = trim(kv);
        char *colon = strchr(kv, ':');
        if (!colon || kv[0] != '.')
            continue;
        *colon = '\0';
        char *val = trim(colon + 1);
        struct kmeta *cur = &k[nk - 1];
        if (strcmp(kv, ".name") == 0) {
            free(cur->name);
            cur->name = xstrdup(val);
        } else if (strcmp(kv, ".symbol") == 0) {
            free(cur->symbol);
            cur->symbol = xstrdup(val);
        } else {
            for (int i = 0; i < NKEYS; ++i)
                if (strcmp(kv, key_names[i]) == 0) {
                    if (!parse_uint(val, &cur->v[i])) {
                        *why = "a register/segment figure is not a non-negative integer";
                        return -1;
                    }
                    cur->has[i] = true;
                }
        }
    }
    if (!seen_kernels) {
        *why = "no AMDGPU metadata (amdhsa.kernels) in the output";
        return -1;
    }
    if (nk == 0) {
        *why = "amdhsa.kernels lists no kernels";
        return -1;
    }
    *out = k;
    return nk;
}

/* ---------------------------------------------------------- disassembly */

struct fstats {
    char *sym;
    long insns, x4, x4_nt, mfma;
};

static bool is_x4_load(const char *m)
{
    return strcmp(m, "global_load_dwordx4") == 0 || strcmp(m, "buffer_load_dwordx4") == 0 ||
           strcmp(m, "global_load_b128") == 0 || strcmp(m, "buffer_load_b128") == 0;
}

/* Non-temporal cache policy: 'nt' (gfx940+, gfx12), 'slc' (gfx9/gfx10/gfx11;
 * gfx90a prints "glc slc" for a non-temporal load). */
static bool has_nt_hint(const char *operands)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", operands);
    char *c = strstr(buf, "//");
    if (c)
        *c = '\0';
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save))
        if (strcmp(t, "nt") == 0 || strcmp(t, "slc") == 0 || strncmp(t, "th:TH_LOAD_NT", 13) == 0)
            return true;
    return false;
}

/* Per-function instruction counts from llvm-objdump -d. */
static int parse_disasm(char *text, struct fstats **out)
{
    struct fstats *f = NULL;
    int nf = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        /* "0000000000001e00 <symbol>:" */
        if (n > 4 && line[0] != '\t' && line[0] != ' ' && line[n - 1] == ':' &&
            line[n - 2] == '>') {
            char *lt = strchr(line, '<');
            if (!lt)
                continue;
            line[n - 2] = '\0';
            f = xrealloc(f, (size_t)(nf + 1) * sizeof *f);
            f[nf].sym = xstrdup(lt + 1);
            f[nf].insns = f[nf].x4 = f[nf].x4_nt = f[nf].mfma = 0;
            ++nf;
            continue;
        }
        if (nf == 0 || (line[0] != '\t' && line[0] != ' '))
            continue;
        char *p = line;
        while (*p == '\t' || *p == ' ')
            ++p;
        if (*p == '\0' || *p == '.' || *p == '/') /* "...", comments */
            continue;
        char mnem[64];
        size_t m = 0;
        while (p[m] && p[m] != ' ' && p[m] != '\t' && m + 1 < sizeof mnem) {
            mnem[m] = p[m];
            ++m;
        }
        mnem[m] = '\0';
        f[nf - 1].insns++;
        if (strncmp(mnem, "v_mfma_", 7) == 0)
            f[nf - 1].mfma++;
        if (is_x4_load(mnem)) {
            f[nf - 1].x4++;
            if (has_nt_hint(p + m))
                f[nf - 1].x4_nt++;
        }
    }
    *out = f;
    return nf;
}

/* --------------------------------------------------------------- kernels */

/* Template arguments of skinny_gemm_kernel<T, N, WAVE, GROUP, YTILE, UNROLL>
 * from the Itanium-mangled name, e.g.
 * _Z18skinny_gemm_kernelI10skinny_f16Li8ELi64ELi16ELi4ELi1EEv18skinny_kernel_args */
struct row {
    bool ok;
    bool mma; /* skinny_mma_kernel or skinny_mma_fp8_kernel (MMA / MMA_FP8 row; ytile holds mtiles) */
    bool fp8; /* skinny_mma_fp8_kernel (MMA_FP8 row, fp8 weights) */
    char dtype[32];
    long n, wave, group, ytile, unroll;
};

static struct row parse_mangled(const char *name)
{
    struct row r;
    memset(&r, 0, sizeof r);
    static const char prefix[] = "_Z18skinny_gemm_kernelI", mma_prefix[] = "_Z17skinny_mma_kernelI",
                      fp8_prefix[] = "_Z21skinny_mma_fp8_kernelI";
    const char *p;
    if (strncmp(name, prefix, sizeof prefix - 1) == 0) {
        p = name + sizeof prefix - 1;
    } else if (strncmp(name, mma_prefix, sizeof mma_prefix - 1) == 0) {
        p = name + sizeof mma_prefix - 1;
        r.mma = true;
    } else if (strncmp(name, fp8_prefix, sizeof fp8_prefix - 1) == 0) {
        p = name + sizeof fp8_prefix - 1;
        r.mma = r.fp8 = true;
    } else {
        return r;
    }
    char *end;
    long len = strtol(p, &end, 10);
    if (end == p || len <= 0 || len >= (long)sizeof r.dtype || (long)strlen(end) < len)
        return r;
    memcpy(r.dtype, end, (size_t)len);
    r.dtype[len] = '\0';
    if (strncmp(r.dtype, "skinny_", 7) == 0)
        memmove(r.dtype, r.dtype + 7, strlen(r.dtype + 7) + 1);
    p = end + len;
    long *vals[5] = {&r.n, &r.wave, &r.group, &r.ytile, &r.unroll};
    for (int i = 0; i < 5; ++i) {
        if (strncmp(p, "Li", 2) != 0)
            return r;
        *vals[i] = strtol(p + 2, &end, 10);
        if (end == p + 2 || *end != 'E')
            return r;
        p = end + 1;
    }
    r.ok = *p == 'E';
    return r;
}

/* Row from an object's file name n<N>_w<W>_g<G>_y<Y>_u<U>.o (TILE rows),
 * n<N>_w<W>_g<G>_m<MT>_u<U>.o (MMA rows) or n<N>_w<W>_g<G>_f<MT>_u<U>.o
 * (MMA_FP8 rows) */
static struct row parse_row_name(const char *path)
{
    struct row r;
    memset(&r, 0, sizeof r);
    char tail[8], kind = 0;
    int used = 0;
    if (sscanf(base_name(path), "n%ld_w%ld_g%ld_%c%ld_u%ld%n%7s", &r.n, &r.wave, &r.group, &kind,
               &r.ytile, &r.unroll, &used, tail) >= 6 &&
        used > 0 && (kind == 'y' || kind == 'm' || kind == 'f')) {
        r.ok = true;
        r.mma = kind == 'm' || kind == 'f';
        r.fp8 = kind == 'f';
    }
    return r;
}

/* ----------------------------------------------------------------- check */

struct tools {
    const char *bundler, *readelf, *objdump;
};

static int n_checked, n_ok, n_failed, n_skipped, n_errors, n_nt;
static char **fail_lines;
static size_t n_fail_lines;

static void add_fail_line(char *s)
{
    fail_lines = xrealloc(fail_lines, (n_fail_lines + 1) * sizeof *fail_lines);
    fail_lines[n_fail_lines++] = s;
}

/* A tool's output could not be used: counts as a failure. */
static void tool_error(const char *obj, const char *arch, const char *tool, const char *msg,
                       const char *err);

static char *failed_msg(int rc)
{
    return rc < 0 ? xasprintf("failed (killed by a signal)") : xasprintf("failed (exit status %d)", rc);
}

static void tool_error(const char *obj, const char *arch, const char *tool, const char *msg,
                       const char *err)
{
    ++n_errors;
    printf("ERROR %s%s%s: %s: %s\n", base_name(obj), arch ? " " : "", arch ? arch : "", tool, msg);
    if (err && *err)
        printf("      %s stderr: %s%s", tool, err, err[strlen(err) - 1] == '\n' ? "" : "\n");
    add_fail_line(xasprintf("%s%s%s: %s: %s", base_name(obj), arch ? " " : "", arch ? arch : "",
                            tool, msg));
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

static void print_header(void)
{
    printf("%-24s %-8s %4s %5s %9s %4s %4s %6s %7s %9s %9s  %s\n", "kernel", "arch", "wave",
           "wg", "vgpr/max", "agpr", "sgpr", "lds", "scratch", "spill v/s", "x4 ld/nt", "verdict");
}

static void check_kernel(const char *obj, const struct row *objrow, const char *arch,
                         const struct arch_info *ai, const struct elf *co, const struct kmeta *k,
                         const struct fstats *fs, int nfs, bool *arch_matched)
{
    struct row r = parse_mangled(k->name);
    char label[64];
    if (r.ok)
        snprintf(label, sizeof label, "n%ld_w%ld_g%ld_%c%ld_u%ld %s", r.n, r.wave, r.group,
                 r.fp8 ? 'f' : r.mma ? 'm' : 'y', r.ytile, r.unroll, r.dtype);
    else
        snprintf(label, sizeof label, "%.63s", k->name);

    for (int i = 0; i < NKEYS; ++i)
        if (!k->has[i] && !(i == K_AGPR && ai->agpr == AGPR_NONE)) {
            char *msg = xasprintf("kernel %s: metadata key %s missing", label, key_names[i]);
            tool_error(obj, arch, "llvm-readelf --notes", msg, NULL);
            free(msg);
            return;
        }
    const long *v = k->v;
    char agpr[16], sp[24];
    if (k->has[K_AGPR])
        snprintf(agpr, sizeof agpr, "%ld", v[K_AGPR]);
    else
        snprintf(agpr, sizeof agpr, "-");
    snprintf(sp, sizeof sp, "%ld/%ld", v[K_VSPILL], v[K_SSPILL]);

    /* The kernel descriptor: WGP mode, and a consistency check of the
     * metadata (what the loader really uses is the descriptor). */
    char *kdname = k->symbol ? xstrdup(k->symbol) : xasprintf("%s.kd", k->name);
    const unsigned char *kd = elf_symbol_bytes(co, kdname, 64);
    free(kdname);
    if (!kd) {
        char *msg = xasprintf("kernel %s: kernel descriptor symbol not found in the code object",
                              label);
        tool_error(obj, arch, "ELF symbol table", msg, NULL);
        free(msg);
        return;
    }
    if (rd32(kd) != (uint32_t)v[K_GROUP] || rd32(kd + 4) != (uint32_t)v[K_PRIVATE]) {
        char *msg = xasprintf("kernel %s: metadata (LDS %ld, scratch %ld) disagrees with the kernel"
                              " descriptor (LDS %u, scratch %u)",
                              label, v[K_GROUP], v[K_PRIVATE], rd32(kd), rd32(kd + 4));
        tool_error(obj, arch, "llvm-readelf --notes", msg, NULL);
        free(msg);
        return;
    }
    uint32_t rsrc1 = rd32(kd + 48);
    bool wgp_mode = ai->family >= 10 && (rsrc1 >> 29 & 1);
    int simds = ai->family >= 10 && !wgp_mode ? 2 : 4;

    /* Which rows does this code object really run? */
    long wave = r.ok ? r.wave : v[K_WAVE];
    if (wave != v[K_WAVE]) {
        ++n_skipped;
        printf("%-24s %-8s %4ld %5s %9ld %4s %4ld %6ld %7ld %9s %9s  skipped (wave mismatch:"
               " code object is wave%ld)\n",
               label, arch, wave, "-", v[K_VGPR], agpr, v[K_SGPR], v[K_GROUP], v[K_PRIVATE], sp,
               "-", v[K_WAVE]);
        return;
    }
    *arch_matched = true;
    ++n_checked;

    struct reason why = {.len = 0};
    long group = r.ok ? r.group : (v[K_MAXWG] + wave - 1) / wave;
    long threads = wave * group;
    if (objrow->ok && r.ok &&
        (objrow->n != r.n || objrow->wave != r.wave || objrow->group != r.group ||
         objrow->ytile != r.ytile || objrow->unroll != r.unroll || objrow->mma != r.mma ||
         objrow->fp8 != r.fp8))
        reason_add(&why, "template arguments disagree with the object name %s", base_name(obj));

    /* no scratch */
    if (v[K_PRIVATE] != 0)
        reason_add(&why, "scratch: private_segment_fixed_size %ld bytes", v[K_PRIVATE]);
    if (v[K_VSPILL] != 0)
        reason_add(&why, "vgpr_spill_count %ld", v[K_VSPILL]);
    if (v[K_SSPILL] != 0)
        reason_add(&why, "sgpr_spill_count %ld", v[K_SSPILL]);

    /* the intended workgroup can be launched and be resident */
    if (v[K_MAXWG] < threads)
        reason_add(&why, "max_flat_workgroup_size %ld < workgroup %ld x %ld = %ld lanes",
                   v[K_MAXWG], wave, group, threads);
    if (threads > 1024)
        reason_add(&why, "workgroup %ld lanes > 1024", threads);
    int total = wave == 32 ? ai->total_w32 : ai->total_w64;
    int gran = wave == 32 ? ai->gran_w32 : ai->gran_w64;
    long budget = 0;
    if (total == 0) {
        reason_add(&why, "no wave%ld register table for %s", wave, arch);
    } else {
        long per_simd = (group + simds - 1) / simds;
        if (per_simd > ai->max_waves_per_simd)
            reason_add(&why, "%ld waves per SIMD > %d", per_simd, ai->max_waves_per_simd);
        budget = align_down(total / per_simd, gran);
        if (budget > ai->addressable)
            budget = ai->addressable;
        /* .vgpr_count: gfx90a+ VGPRs+AGPRs (unified file); gfx908 max of
         * the two separate files, each with the same budget. */
        long used = align_up(v[K_VGPR] > 0 ? v[K_VGPR] : 1, gran);
        if (used > budget)
            reason_add(&why,
                       "VGPRs %ld (allocated %ld) > budget %ld = %d per SIMD lane / %ld waves per"
                       " SIMD (%ld waves of %ld lanes over %d SIMDs)",
                       v[K_VGPR], used, budget, total, per_simd, group, wave, simds);
    }
    if (v[K_GROUP] > MAX_STATIC_LDS)
        reason_add(&why, "static LDS %ld > %ld", v[K_GROUP], MAX_STATIC_LDS);

    /* 16-byte global loads in the body */
    const struct fstats *f = NULL;
    for (int i = 0; i < nfs; ++i)
        if (strcmp(fs[i].sym, k->name) == 0)
            f = &fs[i];
    char x4[24] = "-";
    if (!f || f->insns == 0) {
        reason_add(&why, "llvm-objdump: no disassembly found for the kernel symbol");
    } else {
        snprintf(x4, sizeof x4, "%ld/%ld", f->x4, f->x4_nt);
        if (f->x4 == 0)
            reason_add(&why, "no global_load_dwordx4/buffer_load_dwordx4 (16-byte load) in %ld"
                             " instructions", f->insns);
        else if (f->x4_nt > 0)
            ++n_nt;
        /* MMA rows are built only where every wave-64 target has MFMA: the
         * body must use it (an empty or FMA body would be a silent fallback). */
        if (r.ok && r.mma && f->mfma == 0)
            reason_add(&why, "MMA row without v_mfma_* instructions");
    }

    char vg[24];
    snprintf(vg, sizeof vg, "%ld/%ld", v[K_VGPR], budget);
    printf("%-24s %-8s %4ld %5ld %9s %4s %4ld %6ld %7ld %9s %9s  %s\n", label, arch, wave, threads,
           vg, agpr, v[K_SGPR], v[K_GROUP], v[K_PRIVATE], sp, x4,
           why.len ? "FAIL" : (f && f->x4_nt ? "ok" : "ok (no nt hint)"));
    if (why.len) {
        ++n_failed;
        printf("    FAIL %s on %s: %s\n", label, arch, why.buf);
        add_fail_line(xasprintf("%s on %s: %s", label, arch, why.buf));
    } else {
        ++n_ok;
    }
}

static char *bundle_arch(const char *id)
{
    /* hipv4-amdgcn-amd-amdhsa--gfx90a[:sramecc+:xnack-] */
    const char *t = strstr(id, "amdgcn-amd-amdhsa-");
    if (!t)
        return NULL;
    t += strlen("amdgcn-amd-amdhsa-");
    const char *dash = strchr(t, '-'); /* after the (empty) environment */
    if (!dash)
        return NULL;
    t = dash + 1;
    size_t n = strcspn(t, ":");
    if (n == 0 || strncmp(t, "gfx", 3) != 0)
        return NULL;
    char *a = xmalloc(n + 1);
    memcpy(a, t, n);
    a[n] = '\0';
    return a;
}

static void check_object(const struct tools *tl, const char *obj, int idx, char **want_archs,
                         int n_want)
{
    const int errors_before = n_errors;
    size_t len;
    unsigned char *data = read_file(obj, &len);
    if (!data) {
        tool_error(obj, NULL, "read", strerror(errno), NULL);
        return;
    }
    static const char magic[] = "__CLANG_OFFLOAD_BUNDLE__";
    const unsigned char *fat = NULL;
    uint64_t fat_len = 0;
    struct elf host;
    if (len >= sizeof magic - 1 && memcmp(data, magic, sizeof magic - 1) == 0) {
        fat = data;
        fat_len = len;
    } else if (elf_open(&host, data, len)) {
        int s = elf_find_section(&host, ".hip_fatbin");
        if (s < 0) {
            tool_error(obj, NULL, "ELF", "no .hip_fatbin section (not a HIP object?)", NULL);
            free(data);
            return;
        }
        fat = elf_section(&host, (unsigned)s, &fat_len);
    }
    if (!fat || fat_len == 0) {
        tool_error(obj, NULL, "ELF", "neither a 64-bit ELF with .hip_fatbin nor an offload bundle",
                   NULL);
        free(data);
        return;
    }
    char *name = xasprintf("obj%d.fatbin", idx);
    char *fat_path = temp_path(name);
    free(name);
    write_file(fat_path, fat, (size_t)fat_len);
    free(data);

    /* List the bundle's entries. */
    char *in_arg = xasprintf("--input=%s", fat_path);
    char *argv_list[] = {(char *)tl->bundler, "--list", "--type=o", in_arg, NULL};
    char *out, *err;
    int rc = run_tool(argv_list, &out, &err);
    if (rc != 0) {
        char *m = failed_msg(rc);
        tool_error(obj, NULL, "clang-offload-bundler --list", m, err);
        free(m);
        goto done_list;
    }
    char *ids[64], *archs[64];
    int n_ids = 0;
    char *save = NULL;
    for (char *l = strtok_r(out, "\n", &save); l && n_ids < 64; l = strtok_r(NULL, "\n", &save)) {
        l = trim(l);
        if (!*l || strncmp(l, "host-", 5) == 0)
            continue;
        char *a = bundle_arch(l);
        if (!a) {
            char *msg = xasprintf("unexpected bundle entry '%s'", l);
            tool_error(obj, NULL, "clang-offload-bundler --list", msg, NULL);
            free(msg);
            continue;
        }
        ids[n_ids] = xstrdup(l);
        archs[n_ids++] = a;
    }
    if (n_ids == 0)
        tool_error(obj, NULL, "clang-offload-bundler --list", "no amdgcn code objects in the bundle",
                   err);
    for (int w = 0; w < n_want; ++w) {
        bool found = false;
        for (int i = 0; i < n_ids; ++i)
            found = found || strcmp(archs[i], want_archs[w]) == 0;
        if (!found) {
            char *msg = xasprintf("no code object for %s (expected from --archs)", want_archs[w]);
            tool_error(obj, NULL, "clang-offload-bundler --list", msg, NULL);
            free(msg);
        }
    }
    if (n_ids == 0)
        goto done_list;

    /* Unbundle all device code objects at once. */
    char **argv_un = xmalloc((size_t)(2 * n_ids + 6) * sizeof *argv_un);
    char **co_paths = xmalloc((size_t)n_ids * sizeof *co_paths);
    size_t tlen = 16;
    for (int i = 0; i < n_ids; ++i)
        tlen += strlen(ids[i]) + 1;
    char *targets = xmalloc(tlen);
    strcpy(targets, "--targets=");
    int na = 0;
    argv_un[na++] = (char *)tl->bundler;
    argv_un[na++] = "--unbundle";
    argv_un[na++] = "--type=o";
    argv_un[na++] = in_arg;
    argv_un[na++] = targets;
    for (int i = 0; i < n_ids; ++i) {
        if (i)
            strcat(targets, ",");
        strcat(targets, ids[i]);
        char *n = xasprintf("obj%d.%s.co", idx, archs[i]);
        co_paths[i] = temp_path(n);
        free(n);
        argv_un[na++] = xasprintf("--output=%s", co_paths[i]);
    }
    argv_un[na] = NULL;
    char *uout, *uerr;
    rc = run_tool(argv_un, &uout, &uerr);
    if (rc != 0) {
        char *m = failed_msg(rc);
        tool_error(obj, NULL, "clang-offload-bundler --unbundle", m, uerr);
        free(m);
    }
    free(uout);
    free(uerr);

    struct row objrow = parse_row_name(obj);
    bool arch_matched = false;
    for (int i = 0; rc == 0 && i < n_ids; ++i) {
        const char *arch = archs[i];
        const struct arch_info *ai = find_arch(arch);
        if (!ai) {
            tool_error(obj, arch, "check_code_objects",
                       "no register-file figures for this arch: add it to arch_table", NULL);
            continue;
        }
        size_t colen;
        unsigned char *cod = read_file(co_paths[i], &colen);
        struct elf co;
        if (!cod || !elf_open(&co, cod, colen) || co.machine != EM_AMDGPU_) {
            tool_error(obj, arch, "clang-offload-bundler --unbundle",
                       "output is not an AMDGPU ELF code object", NULL);
            free(cod);
            continue;
        }

        char *argv_re[] = {(char *)tl->readelf, "--notes", co_paths[i], NULL};
        char *nout, *nerr;
        int nrc = run_tool(argv_re, &nout, &nerr);
        if (nrc != 0) {
            char *m = failed_msg(nrc);
            tool_error(obj, arch, "llvm-readelf --notes", m, nerr);
            free(m);
            free(nout);
            free(nerr);
            free(cod);
            continue;
        }
        struct kmeta *km = NULL;
        char target[128];
        const char *why = NULL;
        int nk = parse_notes(nout, &km, target, sizeof target, &why);
        free(nout);
        if (nk < 0) {
            tool_error(obj, arch, "llvm-readelf --notes", why, nerr);
            free(nerr);
            free(cod);
            continue;
        }
        free(nerr);
        char *tarch = target[0] ? bundle_arch(target) : NULL;
        if (target[0] && (!tarch || strcmp(tarch, arch) != 0)) {
            char *msg = xasprintf("amdhsa.target '%s' does not match bundle entry %s", target,
                                  ids[i]);
            tool_error(obj, arch, "llvm-readelf --notes", msg, NULL);
            free(msg);
        }
        free(tarch);

        char *mcpu = xasprintf("--mcpu=%s", arch);
        char *argv_od[] = {(char *)tl->objdump, "-d", mcpu, co_paths[i], NULL};
        char *dout, *derr;
        int drc = run_tool(argv_od, &dout, &derr);
        struct fstats *fs = NULL;
        int nfs = 0;
        if (drc != 0 || strstr(derr, "not a recognized processor")) {
            char *m = drc != 0 ? failed_msg(drc)
                               : xasprintf("does not know --mcpu=%s (too old for this arch?)", arch);
            tool_error(obj, arch, "llvm-objdump -d", m, derr);
            free(m);
        } else {
            nfs = parse_disasm(dout, &fs);
            if (nfs == 0)
                tool_error(obj, arch, "llvm-objdump -d", "no function symbols in the disassembly",
                           derr);
        }
        free(mcpu);
        free(dout);
        free(derr);

        if (nfs > 0)
            for (int j = 0; j < nk; ++j) {
                if (!km[j].name) {
                    tool_error(obj, arch, "llvm-readelf --notes", "a kernel has no .name", NULL);
                    continue;
                }
                check_kernel(obj, &objrow, arch, ai, &co, &km[j], fs, nfs, &arch_matched);
            }
        for (int j = 0; j < nfs; ++j)
            free(fs[j].sym);
        free(fs);
        for (int j = 0; j < nk; ++j) {
            free(km[j].name);
            free(km[j].symbol);
        }
        free(km);
        free(cod);
    }
    if (rc == 0 && !arch_matched && n_errors == errors_before) {
        ++n_failed;
        printf("    FAIL %s: no code object has the row's wave size; nothing was checked\n",
               base_name(obj));
        add_fail_line(xasprintf("%s: no code object has the row's wave size", base_name(obj)));
    }

    for (int i = 5; i < na; ++i)
        free(argv_un[i]);
    free(argv_un);
    free(targets);
    for (int i = 0; i < n_ids; ++i) {
        free(ids[i]);
        free(archs[i]);
        free(co_paths[i]);
    }
    free(co_paths);
done_list:
    free(out);
    free(err);
    free(in_arg);
    free(fat_path);
}

static void usage(void)
{
    fputs("usage: check_code_objects --bundler PATH --readelf PATH --objdump PATH\n"
          "                          [--archs gfxA,gfxB] [--keep-temps] [-v] OBJ...\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    struct tools tl = {NULL, NULL, NULL};
    char *archs_arg = NULL;
    int first_obj = argc;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (strcmp(a, "--bundler") == 0 && i + 1 < argc)
            tl.bundler = argv[++i];
        else if (strcmp(a, "--readelf") == 0 && i + 1 < argc)
            tl.readelf = argv[++i];
        else if (strcmp(a, "--objdump") == 0 && i + 1 < argc)
            tl.objdump = argv[++i];
        else if (strcmp(a, "--archs") == 0 && i + 1 < argc)
            archs_arg = argv[++i];
        else if (strcmp(a, "--keep-temps") == 0)
            keep_temps = true;
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
    if (!tl.bundler || !tl.readelf || !tl.objdump)
        usage();
    if (first_obj >= argc) {
        puts("check_code_objects: no kernel objects given; nothing to check");
        return 77;
    }

    char *want[64];
    int n_want = 0;
    if (archs_arg)
        for (char *t = strtok(archs_arg, ","); t && n_want < 64; t = strtok(NULL, ","))
            if (*(t = trim(t)))
                want[n_want++] = t;

    const char *td = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/amd-code-objects.XXXXXX", td && *td ? td : "/tmp");
    if (!mkdtemp(tmpdir)) {
        tmpdir[0] = '\0';
        die("mkdtemp: %s", strerror(errno));
    }
    if (keep_temps)
        fprintf(stderr, "check_code_objects: keeping temporary files in %s\n", tmpdir);

    printf("AMD code-object checks: %d object(s); tools: %s, %s, %s\n", argc - first_obj,
           tl.bundler, tl.readelf, tl.objdump);
    printf("vgpr/max = .vgpr_count (incl. AGPRs on gfx90a+) / VGPRs one wave may hold with the whole"
           " workgroup resident\n");
    printf("x4 ld/nt = 16-byte global loads in the kernel / of them with a non-temporal hint\n\n");
    print_header();
    for (int i = first_obj; i < argc; ++i)
        check_object(&tl, argv[i], i - first_obj, want, n_want);

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
    cleanup();
    return n_failed || n_errors ? 1 : 0;
}
