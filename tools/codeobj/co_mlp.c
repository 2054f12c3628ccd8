/* co_mlp.c - statistics and memory-level parallelism of parsed functions.
 *
 * Every backward branch whose body [target, branch] holds wide loads is a
 * candidate loop; the main loop is the one with the most wide loads in
 * flight (ties: the shortest body, the innermost loop), so that a staging
 * loop (x into LDS, one load then a wait) does not hide the weight loop.
 * A body is run through twice in address order, without following the
 * branches inside it, keeping for each counter the queue of memory
 * operations in flight: a load or counted store joins its counter's queue;
 * a wait "counter <= N" retires the oldest until N remain (AMD vmcnt and
 * DEPBAR.LE complete in order); a wait mask empties its counters. The
 * answer is the most wide loads in flight at any point of the second pass:
 * the first pass carries the loads a software-pipelined loop issues at the
 * end of one iteration into the next. Control flow inside the body (a
 * ragged tail, a predicated-off block) is not seen: the figure is the
 * steady-state iteration's, as written in the code. */
#include <stdlib.h>
#include <string.h>

#include "co_isa.h"

#define WIDE 16
#define QCAP 256

typedef struct {
    int bytes[QCAP];
    int head, n;
} queue;

static void q_push(queue *q, int bytes)
{
    if (q->n == QCAP) { /* more in flight than any hardware counter holds */
        q->head = (q->head + 1) % QCAP;
        q->n--;
    }
    q->bytes[(q->head + q->n) % QCAP] = bytes;
    q->n++;
}

static void q_keep(queue *q, int keep)
{
    while (q->n > keep && q->n > 0) {
        q->head = (q->head + 1) % QCAP;
        q->n--;
    }
}

static int q_wide(const queue *q)
{
    int w = 0;
    for (int i = 0; i < q->n; i++) w += q->bytes[(q->head + i) % QCAP] >= WIDE;
    return w;
}

/* Most wide loads in flight at any point of the last pass; *least: the
 * fewest (0: the loop waits for all its loads before it goes on, so its
 * arithmetic does not overlap them). */
static int simulate(const co_insn *in, size_t lo, size_t hi, int passes, int *least)
{
    queue *qs = calloc(CO_NCOUNTERS, sizeof *qs);
    if (!qs) abort();
    int best = 0, low = -1;
    for (int pass = 0; pass < passes; pass++)
        for (size_t i = lo; i < hi; i++) {
            const co_insn *x = &in[i];
            for (int c = 0; c < CO_NCOUNTERS; c++)
                if (x->wait_mask >> c & 1u) qs[c].n = 0;
            if (x->wait_counter >= 0 && x->wait_counter < CO_NCOUNTERS)
                q_keep(&qs[x->wait_counter], x->wait_le);
            if ((x->load_bytes > 0 || x->counted_store) && x->counter >= 0 &&
                x->counter < CO_NCOUNTERS)
                q_push(&qs[x->counter], x->counted_store ? 0 : x->load_bytes);
            if (pass == passes - 1) {
                int w = 0;
                for (int c = 0; c < CO_NCOUNTERS; c++) w += q_wide(&qs[c]);
                if (w > best) best = w;
                if (low < 0 || w < low) low = w;
            }
        }
    free(qs);
    if (least) *least = low < 0 ? 0 : low;
    return best;
}

static size_t index_of(const co_fn *f, uint64_t addr)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->insn[i].addr >= addr) return i;
    return f->n;
}

static void analyse(co_fn *f)
{
    f->insns = (long)f->n;
    f->wide_loads = f->wide_loads_nt = f->matrix = 0;
    for (size_t i = 0; i < f->n; i++) {
        const co_insn *x = &f->insn[i];
        if (x->load_bytes >= WIDE) {
            f->wide_loads++;
            f->wide_loads_nt += x->nt != 0;
        }
        f->matrix += x->matrix != 0;
    }
    f->has_loop = 0;
    f->loop_wide_loads = f->loop_stream_loads = f->loop_insns = 0;
    f->loop_min_in_flight = 0;
    f->mlp = 0;
    size_t best_lo = 0, best_hi = f->n;
    for (size_t i = 0; i < f->n; i++) {
        const co_insn *x = &f->insn[i];
        if (x->target == CO_NO_TARGET || x->target > x->addr) continue;
        size_t lo = index_of(f, x->target), hi = i + 1;
        long wide = 0;
        for (size_t j = lo; j < hi; j++) wide += f->insn[j].load_bytes >= WIDE;
        if (wide == 0) continue;
        int least;
        int mlp = simulate(f->insn, lo, hi, 2, &least);
        if (!f->has_loop || mlp > f->mlp || (mlp == f->mlp && hi - lo < best_hi - best_lo)) {
            f->has_loop = 1;
            f->mlp = mlp;
            f->loop_min_in_flight = least;
            f->loop_wide_loads = wide;
            best_lo = lo;
            best_hi = hi;
        }
    }
    if (f->has_loop) {
        for (size_t j = best_lo; j < best_hi; j++)
            f->loop_stream_loads += f->insn[j].load_bytes >= WIDE && f->insn[j].stream;
        f->loop_insns = (long)(best_hi - best_lo);
        f->loop_start = f->insn[best_lo].addr;
        f->loop_end = f->insn[best_hi - 1].addr;
    } else {
        f->loop_start = f->loop_end = 0;
        f->mlp = simulate(f->insn, 0, f->n, 1, NULL);
    }
}

void co_isa_analyse(co_isa *isa)
{
    for (size_t i = 0; i < isa->n; i++) analyse(&isa->fn[i]);
}

co_fn *co_isa_add_fn(co_isa *isa, const char *name, size_t len)
{
    co_fn *fn = realloc(isa->fn, (isa->n + 1) * sizeof *fn);
    char *nm = malloc(len + 1);
    if (!fn || !nm) abort();
    isa->fn = fn;
    memcpy(nm, name, len);
    nm[len] = '\0';
    co_fn *f = &isa->fn[isa->n++];
    memset(f, 0, sizeof *f);
    f->name = nm;
    return f;
}

co_insn *co_fn_add_insn(co_fn *f, uint64_t addr)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 256;
        f->insn = realloc(f->insn, f->cap * sizeof *f->insn);
        if (!f->insn) abort();
    }
    co_insn *x = &f->insn[f->n++];
    memset(x, 0, sizeof *x);
    x->addr = addr;
    x->target = CO_NO_TARGET;
    x->counter = x->wait_counter = -1;
    return x;
}

const co_fn *co_isa_find(const co_isa *isa, const char *name)
{
    for (size_t i = 0; i < isa->n; i++)
        if (strcmp(isa->fn[i].name, name) == 0) return &isa->fn[i];
    return NULL;
}

void co_isa_free(co_isa *isa)
{
    for (size_t i = 0; i < isa->n; i++) {
        free(isa->fn[i].name);
        free(isa->fn[i].insn);
    }
    free(isa->fn);
    isa->fn = NULL;
    isa->n = 0;
}
