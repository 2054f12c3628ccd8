/* co_isa_sass.c - cuobjdump -sass output (Volta and later: sm_70..sm_90).
 * Each instruction is 128 bits and takes two lines: the address in a
 * comment, the instruction up to ';', the first 64-bit word in a comment;
 * then a line with the second word in a comment (see
 * the .sass files in tests/codeobj/fixtures). The second word's top bits are the
 * scheduling control that cuobjdump does not spell out (Jia et al.,
 * "Dissecting the NVIDIA Volta GPU Architecture via Microbenchmarking",
 * 2018, sec. 2.1; the layout is unchanged through Hopper):
 *
 *   bits 41-44 stall cycles, 45 yield, 46-48 write scoreboard (7: none),
 *   49-51 read scoreboard, 52-57 wait mask (SB0..SB5), 58-61 reuse.
 *
 * A load's write scoreboard is the counter it is tracked by; an instruction
 * whose wait mask names that scoreboard waits until every load on it has
 * landed. DEPBAR.LE SBk, N waits until at most N remain (cp.async groups,
 * in-order loads). Functions start at "Function : <name>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "co_isa.h"

static int ldg_width(const char *op)
{
    if (strstr(op, ".256")) return 32;
    if (strstr(op, ".128")) return 16;
    if (strstr(op, ".64")) return 8;
    if (strstr(op, ".U8") || strstr(op, ".S8")) return 1;
    if (strstr(op, ".U16") || strstr(op, ".S16")) return 2;
    return 4;
}

/* The opcode (with its dotted modifiers) after an optional "@P0 " guard. */
static void opcode(const char *text, char *op, size_t cap)
{
    const char *p = text + strspn(text, " \t");
    if (*p == '@') p += strcspn(p, " \t"), p += strspn(p, " \t");
    size_t n = strcspn(p, " \t;");
    if (n >= cap) n = cap - 1;
    memcpy(op, p, n);
    op[n] = '\0';
}

static void decode(co_insn *x, const char *text, uint64_t hi)
{
    char op[64];
    opcode(text, op, sizeof op);
    unsigned ctrl = (unsigned)(hi >> 41);
    unsigned wbar = ctrl >> 5 & 7u;
    x->wait_mask = ctrl >> 11 & 0x3fu;
    if (!strncmp(op, "LDG.", 4) || !strcmp(op, "LDG") || !strncmp(op, "LD.E", 4) ||
        !strncmp(op, "LDGSTS", 6)) {
        x->load_bytes = ldg_width(op);
        x->counter = wbar < CO_NCOUNTERS ? (int)wbar : -1;
        x->nt = strstr(op, ".CONSTANT") || strstr(op, ".EF") || strstr(op, ".NA");
        x->stream = strstr(op, ".EF") || strstr(op, ".NA");
        /* LDGSTS (cp.async) is committed to a group by LDGDEPBAR and waited
         * with DEPBAR.LE SB0, N; its own scoreboard field is unused. */
        if (!strncmp(op, "LDGSTS", 6)) x->counter = 0;
    } else if (!strncmp(op, "DEPBAR", 6)) {
        const char *sb = strstr(text, "SB");
        const char *comma = sb ? strchr(sb, ',') : NULL;
        if (sb && comma) {
            x->wait_counter = atoi(sb + 2);
            x->wait_le = (int)strtol(comma + 1, NULL, 0);
        }
    } else if (!strncmp(op, "HMMA", 4) || !strncmp(op, "HGMMA", 5)) {
        x->matrix = 1;
    }
    if (!strncmp(op, "BRA", 3)) {
        /* "BRA 0x1c0", "@!P0 BRA 0x1c0", "BRA.U !UP0, 0x190": the last number */
        const char *h = NULL;
        for (const char *s = strstr(text, "0x"); s; s = strstr(s + 2, "0x")) h = s;
        if (h) x->target = strtoull(h, NULL, 16);
    }
}

int co_isa_parse_sass(const char *text, co_isa *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    co_fn *f = NULL;
    co_insn *pending = NULL; /* waiting for its second word */
    char pending_text[256] = "";
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[2048];
        if (len >= sizeof line) len = sizeof line - 1;
        memcpy(line, p, len);
        line[len] = '\0';
        lineno++;
        p = e ? e + 1 : p + len;
        const char *fnk = strstr(line, "Function : ");
        if (fnk) {
            const char *nm = fnk + strlen("Function : ");
            f = co_isa_add_fn(out, nm, strcspn(nm, " \t\r"));
            pending = NULL;
            continue;
        }
        const char *s = line + strspn(line, " \t");
        if (!f || strncmp(s, "/*", 2) != 0) continue;
        if (pending) {
            /* the second word: the control bits */
            char *end;
            uint64_t hi = strtoull(s + 2, &end, 16);
            if (end == s + 2 || !strstr(end, "*/")) goto bad;
            decode(pending, pending_text, hi);
            pending = NULL;
            continue;
        }
        /* address, instruction, first word */
        char *end;
        uint64_t addr = strtoull(s + 2, &end, 16);
        if (end == s + 2 || strncmp(end, "*/", 2) != 0) goto bad;
        const char *ins = end + 2;
        const char *semi = strchr(ins, ';');
        if (!semi) goto bad;
        snprintf(pending_text, sizeof pending_text, "%.*s", (int)(semi - ins), ins);
        pending = co_fn_add_insn(f, addr);
        continue;
    bad:
        snprintf(err, errlen, "%d: cuobjdump -sass line not understood: %.200s", lineno, line);
        co_isa_free(out);
        return -1;
    }
    if (pending) {
        snprintf(err, errlen, "%d: cuobjdump -sass output ends inside an instruction", lineno);
        co_isa_free(out);
        return -1;
    }
    co_isa_analyse(out);
    return 0;
}
