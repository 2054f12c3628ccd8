/* co_isa.h - per-kernel instruction statistics from disassembly text, one
 * interface for both vendors:
 *
 *   AMD:    llvm-objdump -d --mcpu=<gfx> <code object>      (co_isa_amd.c)
 *   NVIDIA: cuobjdump -sass <cubin or object>               (co_isa_sass.c)
 *
 * Both are read into a list of instructions that say what matters for
 * memory-level parallelism (loads, the counters they are tracked by, waits
 * on those counters, branches); co_isa_analyse then finds the main loop and
 * counts the largest number of wide (>= 16-byte) global loads one wave
 * has in flight there (co_mlp.c). */
#ifndef CO_ISA_H
#define CO_ISA_H

#include <stddef.h>
#include <stdint.h>

#define CO_NO_TARGET UINT64_MAX
#define CO_NCOUNTERS 6 /* NVIDIA scoreboards SB0..SB5; AMD uses counter 0 (vmcnt) */

typedef struct {
    uint64_t addr;
    uint64_t target;     /* branch target address, or CO_NO_TARGET */
    int load_bytes;      /* > 0: a global load of that many bytes per lane */
    int counter;         /* counter the load (or a counted store) is tracked by; -1: none */
    int counted_store;   /* a store that counts on `counter` (AMD gfx9 vmcnt) */
    unsigned wait_mask;  /* counters waited down to 0 before this instruction */
    int wait_counter;    /* counter waited down to wait_le (s_waitcnt vmcnt(N), DEPBAR.LE); -1 */
    int wait_le;
    int nt;              /* load carries a non-temporal / streaming hint */
    int stream;          /* a weight-stream load: NVIDIA L1 no-allocate (.NA) or evict-first
                            (.EF), unlike x's plain __ldg; AMD: the nt hint */
    int matrix;          /* v_mfma_* / HMMA */
} co_insn;

typedef struct {
    char *name;          /* symbol (AMD) / function name (NVIDIA), mangled */
    co_insn *insn;
    size_t n, cap;
    /* filled by co_isa_analyse */
    long insns, wide_loads, wide_loads_nt, matrix;
    int has_loop;        /* a backward branch encloses wide loads */
    uint64_t loop_start, loop_end;
    long loop_wide_loads;  /* wide loads in the main loop's body */
    long loop_stream_loads; /* of those, weight-stream ones (`stream`): the DRAM bytes */
    long loop_insns;     /* instructions in the main loop's body (issue cost per iteration) */
    int loop_min_in_flight; /* fewest wide loads in flight anywhere in the body: 0 when the
                               loop waits for all of them (no overlap with its arithmetic) */
    int mlp;             /* most wide loads in flight in the main loop (whole function if none) */
} co_fn;

typedef struct {
    co_fn *fn;
    size_t n;
} co_isa;

/* Parsers: 0, or -1 with "LINE: reason" in err. The text is not changed.
 * stores_in_vmcnt: 1 on gfx9 (stores are counted by vmcnt), 0 on gfx10+
 * (they have their own vscnt). */
int co_isa_parse_amd(const char *text, int stores_in_vmcnt, co_isa *out, char *err,
                     size_t errlen);
int co_isa_parse_sass(const char *text, co_isa *out, char *err, size_t errlen);
/* Statistics and MLP of every function (called by the parsers). */
void co_isa_analyse(co_isa *isa);
/* The function called name, or NULL. */
const co_fn *co_isa_find(const co_isa *isa, const char *name);
void co_isa_free(co_isa *isa);

/* Internal to the parsers: append a function / an instruction. */
co_fn *co_isa_add_fn(co_isa *isa, const char *name, size_t len);
co_insn *co_fn_add_insn(co_fn *f, uint64_t addr);

#endif
