/* co_isa_amd.c - llvm-objdump -d output of an AMDGPU code object:
 *
 *   0000000000001e00 <_Z18skinny_gemm_kernel...>:
 *   \tglobal_load_dwordx4 v[8:11], v[10:11], off glc slc // 000000002484: DC5F8000 087F000A
 *   \ts_waitcnt vmcnt(1)                                   // 000000002450: BF8C0F71
 *   \ts_cbranch_execz 65490                                // 0000000024C8: BF88FFD2 <_Z...+0x614>
 *
 * The address is the comment's; a branch's target is the <symbol+offset>
 * after it. Vector-memory loads (global_, buffer_, flat_load*) are counted
 * by vmcnt (counter 0); s_waitcnt vmcnt(N) waits for all but N of them. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "co_isa.h"

static int load_width(const char *m)
{
    static const struct { const char *suffix; int bytes; } w[] = {
        {"dwordx4", 16}, {"b128", 16}, {"dwordx3", 12}, {"b96", 12},
        {"dwordx2", 8},  {"b64", 8},   {"dword", 4},    {"b32", 4},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        size_t n = strlen(m), k = strlen(w[i].suffix);
        if (n >= k && strcmp(m + n - k, w[i].suffix) == 0) return w[i].bytes;
    }
    return 2; /* ubyte, sbyte, ushort, short, d16... */
}

static int is_vmem(const char *m, const char *what)
{
    static const char *const pre[] = {"global_", "buffer_", "flat_"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(pre[i]);
        if (strncmp(m, pre[i], n) == 0 && strncmp(m + n, what, strlen(what)) == 0) return 1;
    }
    return 0;
}

/* Non-temporal cache policy: 'nt' (gfx940+, gfx12), 'slc' (gfx9/10/11;
 * gfx90a prints "glc slc" for a non-temporal load), th:TH_LOAD_NT. */
static int has_nt_hint(const char *ops, size_t len)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), ops);
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save))
        if (!strcmp(t, "nt") || !strcmp(t, "slc") || !strncmp(t, "th:TH_LOAD_NT", 13)) return 1;
    return 0;
}

static int parse_line(co_fn *f, uint64_t fn_addr, const char *line, int stores_in_vmcnt)
{
    const char *p = line + strspn(line, " \t");
    if (*p == '\0' || *p == '.' || *p == '/' || *p == ';') return 0;
    const char *cm = strstr(p, "//");
    if (!cm) return -1;
    char *end;
    uint64_t addr = strtoull(cm + 2, &end, 16);
    if (end == cm + 2 || *end != ':') return -1;
    char mnem[64];
    size_t m = strcspn(p, " \t");
    if (m == 0 || m >= sizeof mnem) return -1;
    memcpy(mnem, p, m);
    mnem[m] = '\0';
    const char *ops = p + m;
    size_t opslen = (size_t)(cm - ops);
    co_insn *x = co_fn_add_insn(f, addr);
    if (is_vmem(mnem, "load")) {
        x->load_bytes = load_width(mnem);
        x->counter = 0;
        x->nt = x->stream = has_nt_hint(ops, opslen);
    } else if (stores_in_vmcnt && (is_vmem(mnem, "store") || is_vmem(mnem, "atomic"))) {
        x->counted_store = 1;
        x->counter = 0;
    } else if (!strcmp(mnem, "s_waitcnt")) {
        const char *v = strstr(ops, "vmcnt(");
        if (v && v < cm) {
            x->wait_counter = 0;
            x->wait_le = atoi(v + 6);
        }
    } else if (!strcmp(mnem, "s_waitcnt_vmcnt")) {
        /* s_waitcnt_vmcnt null, 0x1 (gfx10+) */
        const char *c = memchr(ops, ',', opslen);
        if (c) {
            x->wait_counter = 0;
            x->wait_le = (int)strtol(c + 1, NULL, 0);
        }
    } else if (!strncmp(mnem, "v_mfma_", 7)) {
        x->matrix = 1;
    }
    if (!strncmp(mnem, "s_branch", 8) || !strncmp(mnem, "s_cbranch_", 10)) {
        const char *lt = strchr(cm, '<'), *plus = lt ? strstr(lt, "+0x") : NULL;
        if (lt && plus) x->target = fn_addr + strtoull(plus + 3, NULL, 16);
        else if (lt) x->target = fn_addr; /* <sym>: the function's first instruction */
    }
    return 0;
}

int co_isa_parse_amd(const char *text, int stores_in_vmcnt, co_isa *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    co_fn *f = NULL;
    uint64_t fn_addr = 0;
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[2048];
        if (len >= sizeof line) len = sizeof line - 1; /* long lines are symbol names */
        memcpy(line, p, len);
        line[len] = '\0';
        lineno++;
        p = e ? e + 1 : p + len;
        if (len > 3 && line[0] != '\t' && line[0] != ' ' && line[len - 1] == ':' &&
            line[len - 2] == '>') {
            /* "0000000000001e00 <symbol>:" */
            char *lt = strchr(line, '<');
            if (!lt) continue;
            fn_addr = strtoull(line, NULL, 16);
            f = co_isa_add_fn(out, lt + 1, (size_t)(line + len - 2 - (lt + 1)));
            continue;
        }
        if (!f || (line[0] != '\t' && line[0] != ' ')) continue;
        if (parse_line(f, fn_addr, line, stores_in_vmcnt) != 0) {
            snprintf(err, errlen, "%d: llvm-objdump line not understood: %.200s", lineno, line);
            co_isa_free(out);
            return -1;
        }
    }
    co_isa_analyse(out);
    return 0;
}
