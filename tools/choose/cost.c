/* cost.c - per-row compile cost from tools/cost's CSV (docs/compile-cost.csv):
 * columns are found by name in its header (row, target, status,
 * compile_s_median, code_object_bytes); a row has one line per kernel
 * (fp16, bf16) and target with the same figures, so the first one counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"

enum { C_ROW, C_TARGET, C_STATUS, C_SECS, C_BYTES, C_COUNT };
static const char *const cols[C_COUNT] = {"row", "target", "status", "compile_s_median", "code_object_bytes"};

static int target_index(ch_input *in, const char *t, const char *path, int lineno)
{
    for (size_t i = 0; i < in->ntargets; i++)
        if (!strcmp(in->targets[i], t)) return (int)i;
    if (in->ntargets == CH_MAX_TARGETS || strlen(t) >= sizeof in->targets[0] || !*t) {
        ch_error(in, path, lineno, "target '%s': at most %d targets of up to 31 characters", t, CH_MAX_TARGETS);
        return -1;
    }
    snprintf(in->targets[in->ntargets], sizeof in->targets[0], "%s", t);
    return (int)in->ntargets++;
}

void ch_read_cost(ch_input *in, const char *path)
{
    char *text = ch_slurp(path);
    if (!text) {
        fprintf(stderr, "skinny-choose: cannot read %s\n", path);
        exit(2);
    }
    in->have_cost = 1;
    int at[C_COUNT], lineno = 1, header = 0;
    char *f[64];
    for (char *p = text; *p; lineno++) {
        char *e = strchr(p, '\n');
        if (e) *e = '\0';
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r') p[--l] = '\0';
        if (l == 0) goto next;
        const int nf = ch_split(p, f, 64);
        if (!header) {
            header = 1;
            for (int c = 0; c < C_COUNT; c++) {
                at[c] = -1;
                for (int i = 0; i < nf && i < 64; i++)
                    if (!strcmp(f[i], cols[c])) at[c] = i;
                if (at[c] < 0) ch_error(in, path, lineno, "header has no '%s' column (a skinny-cost CSV?)", cols[c]);
            }
            if (in->errors) break;
            goto next;
        }
        int need = 0;
        for (int c = 0; c < C_COUNT; c++) need = at[c] > need ? at[c] : need;
        if (nf <= need) {
            ch_error(in, path, lineno, "expected at least %d fields, got %d", need + 1, nf);
            goto next;
        }
        const int t = target_index(in, f[at[C_TARGET]], path, lineno);
        const int r = ch_find_row(in, f[at[C_ROW]]);
        if (t < 0 || r < 0) goto next; /* a row that is no candidate */
        ch_row *row = &in->rows[r];
        if (row->in_cost & (1 << t)) goto next; /* second kernel of the row */
        row->in_cost |= 1 << t;
        if (!strcmp(f[at[C_STATUS]], "built")) {
            char *end;
            const double s = strtod(f[at[C_SECS]], &end);
            if (end == f[at[C_SECS]] || *end || s < 0) {
                ch_error(in, path, lineno, "compile_s_median must be a number, got '%s'", f[at[C_SECS]]);
                goto next;
            }
            const long long b = strtoll(f[at[C_BYTES]], &end, 10);
            if (end == f[at[C_BYTES]] || *end || b < 0) {
                ch_error(in, path, lineno, "code_object_bytes must be an integer, got '%s'", f[at[C_BYTES]]);
                goto next;
            }
            row->built[t] = 1, row->secs[t] = s, row->bytes[t] = b;
        }
    next:
        if (!e) break;
        p = e + 1;
    }
    if (!header) ch_error(in, path, 1, "empty file: expected a skinny-cost CSV header");
    free(text);
}

void ch_rows_cost(ch_input *in)
{
    for (size_t i = 0; i < in->nrows; i++) {
        ch_row *r = &in->rows[i];
        r->cost_s = 0, r->cost_bytes = 0;
        if (!in->have_cost) { r->cost_s = 1; continue; }
        if (!r->in_cost) { /* missing: assume 1 s per target (the report says so) */
            r->cost_s = (double)(in->ntargets ? in->ntargets : 1);
            continue;
        }
        for (size_t t = 0; t < in->ntargets; t++)
            if (r->built[t]) r->cost_s += r->secs[t], r->cost_bytes += r->bytes[t];
    }
}
