/* choose.h - skinny-choose: the smallest tiles.def that keeps the measured
 * speed (issue 11). Shared types of the reader, the cover and the writers.
 *
 * Inputs: measurement CSVs of `skinny-bench --tune --measure`
 * (device,dtype,n,m,k,row,us,cublas_us,check: one line per cell and
 * candidate row), optionally the candidate table (--candidates) and the
 * compile-cost CSV of tools/cost (--cost). */
#ifndef SKINNY_CHOOSE_H
#define SKINNY_CHOOSE_H

#include <stddef.h>

#define CH_NAME_MAX 64
#define CH_DEVICE_MAX 63 /* as gen/rules.h: runtime device_key[64] less NUL */
#define CH_MAX_TARGETS 16

/* A table row: a candidate. */
typedef struct ch_row {
    char name[CH_NAME_MAX];
    int mma; /* 0: TILE (y), 1: MMA (m) or MMA_FP8 (f) */
    int fp8; /* MMA_FP8 (fp8 weights): read only where ch_input.take_fp8 */
    int n, wave, group, tiles, unroll;
    /* From the cost file: per target, seconds (median) and bytes; built
     * says whether that target builds the row. */
    int in_cost;
    int built[CH_MAX_TARGETS];
    double secs[CH_MAX_TARGETS];
    long long bytes[CH_MAX_TARGETS];
    double cost_s;       /* what the cover minimises: summed over targets */
    long long cost_bytes;
    int measured;        /* named by at least one accepted measurement line */
    int named_keep;      /* listed in a --keep file: kept whatever the measurements say */
} ch_row;

/* One candidate's measurement in a cell. */
typedef struct ch_cand {
    int row; /* index into ch_input.rows */
    double us;
    int ok;
    const char *file; /* where it was measured (diagnostics) */
    int line;
} ch_cand;

/* A cell: (device, dtype, n, m, k) and its candidates. */
typedef struct ch_cell {
    char device[CH_DEVICE_MAX + 1];
    int bf16, n, wave;
    int w_fp8; /* fp8 weights: dtype fp8w-bf16 / fp8w-fp16 (take_fp8 only) */
    long long m, k;
    double cublas_us;
    ch_cand *cand;
    size_t ncand;
    const char *file; /* where it was first seen */
    int line;
    /* derived */
    int won;       /* best ok candidate < cublas_us */
    double best;   /* best ok candidate's us (0 if none) */
} ch_cell;

typedef struct ch_input {
    ch_row *rows;
    size_t nrows;
    ch_cell *cells;
    size_t ncells;
    /* cost file targets, in file order */
    char targets[CH_MAX_TARGETS][32];
    size_t ntargets;
    int have_cost;
    int errors; /* diagnostics printed */
    /* MMA_FP8(...) lines (fp8-weight rows, issue 12): not candidates, since
     * skinny-bench --tune does not measure them. Read from --candidates or
     * a --table, they are counted and skipped; from --keep, kept as written
     * (normalized spacing) and copied to the end of the written table. */
    size_t fp8_skipped;
    char (*fp8_kept)[CH_NAME_MAX];
    size_t nfp8_kept;
    /* Set by skinny-heuristic-check before reading: MMA_FP8 lines are rows
     * (fp8 = 1) and fp8-weight measurement lines are cells (w_fp8 = 1), so
     * the heuristic's fp8 picks are graded like the 16-bit ones. */
    int take_fp8;
} ch_input;

/* ---- util.c */
/* Frees what the readers allocated (rows, cells and their candidates). */
void ch_input_free(ch_input *in);
void *ch_xmalloc(size_t n);
void *ch_xrealloc(void *p, size_t n);
char *ch_slurp(const char *path); /* NULL on error (errno set) */
void ch_error(ch_input *in, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Splits a line into comma-separated fields in place; returns the count
 * (at most max). */
int ch_split(char *line, char **f, int max);

/* ---- rows.c: row names and tiles.def candidate tables */
/* Parses n<N>_w<W>_g<G>_(y|m|f)<T>_u<U> (f: MMA_FP8); 1 on success. */
int ch_parse_name(const char *s, ch_row *r);
void ch_row_name(ch_row *r); /* fills r->name from the fields */
/* Index of the row named `name`, or -1. */
int ch_find_row(const ch_input *in, const char *name);
/* Appends r unless a row of that name exists; returns its index. */
int ch_add_row(ch_input *in, const ch_row *r);
/* Reads TILE(...)/MMA(...) rows of a tiles.def (errors as file:line);
 * MMA_FP8(...) lines are skipped (counted in fp8_skipped). */
void ch_read_candidates(ch_input *in, const char *path);

/* ---- measure.c: the measurement CSV */
void ch_read_measure(ch_input *in, const char *path, int rows_fixed);
/* Fills won/best of every cell; call after all files are read. */
void ch_cells_finish(ch_input *in);

/* ---- cost.c: docs/compile-cost.csv of tools/cost */
void ch_read_cost(ch_input *in, const char *path);
/* Sets cost_s / cost_bytes of every row (1 s per target when the row is
 * missing from the cost file, 1 s without one). */
void ch_rows_cost(ch_input *in);

/* ---- cover.c */
typedef struct ch_cover_opts {
    double tol;
    long max_nodes; /* exact search budget per slice; 0 = greedy only */
} ch_cover_opts;

typedef struct ch_slice_note {
    int n, wave;
    size_t cells, rows_in_tol;
    int exact;       /* 1: proven minimal */
    long nodes;
    char reason[160]; /* why not exact, if so */
} ch_slice_note;

/* Why a row is kept (ch_cover.keep; 0: not kept). */
enum { CH_KEPT_COVER = 1, CH_KEPT_UNMEASURED = 2, CH_KEPT_SPLIT = 3, CH_KEPT_NAMED = 4, CH_KEPT_HEURISTIC = 5 };

typedef struct ch_cover {
    char *keep;     /* [nrows] CH_KEPT_* or 0 */
    int *choice;    /* [ncells] row index of the fastest kept row, -1: none */
    size_t nkept;
    double cost_s;
    ch_slice_note *slices;
    size_t nslices;
} ch_cover;

void ch_cover_solve(const ch_input *in, const ch_cover_opts *o, ch_cover *out);
/* The "before" state: every candidate kept, each won cell on its best. */
void ch_cover_all(const ch_input *in, ch_cover *out);
void ch_cover_free(ch_cover *c);
/* Geometric mean over all cells of cuBLAS us / our us, where a cell not won
 * counts 1.0 (the dispatcher sends it to cuBLAS). keep NULL = all rows. */
double ch_geomean(const ch_input *in, const ch_cover *c);
/* Largest kept-best / candidate-best over won cells; *cell = its index. */
double ch_worst(const ch_input *in, const ch_cover *c, size_t *cell);

/* Bounds of --heuristic (heuristic_fit.c) and what it reached. */
typedef struct ch_heuristic_opts {
    int cus;              /* CUs/SMs of the measured GPU */
    double heuristic_max; /* the heuristic's pick / the cell's best candidate */
    double invariant_max; /* won cells: the invariant pick / the fastest kept row (0: not checked) */
} ch_heuristic_opts;
typedef struct ch_heuristic_result {
    double worst_heuristic, worst_invariant; /* afterwards */
    size_t left;                             /* bounds still broken (no single row helped) */
    struct { size_t cell; int invariant; double ratio; } broken[32]; /* the first of them */
    size_t nbroken;
} ch_heuristic_result;

/* ---- writers: each writes to a temp file; ch_commit renames them all. */
typedef struct ch_run_info {
    const char **measure;
    size_t nmeasure;
    const char *cost, *candidates;
    double tol;
    size_t unmeasured_kept; /* --keep-unmeasured: candidate rows no measurement names */
    const char *keep_file;  /* --keep FILE */
    size_t named_kept;      /* rows it added */
    ch_heuristic_opts heuristic; /* --heuristic CUS (cus 0: not asked), --heuristic-max, --invariant-max */
    size_t heuristic_kept;       /* rows it added */
    ch_heuristic_result heuristic_after;
    int invariant_splits;   /* --invariant-splits given */
    size_t splits_kept;     /* rows it added */
    char (*splits_missing)[48];
    size_t nsplits_missing;
    char date[32];
} ch_run_info;

/* --keep-unmeasured: add every candidate row that no measurement names
 * (e.g. AMD rows when the measuring GPU was NVIDIA) to the kept set; returns
 * how many. */
size_t ch_keep_unmeasured(const ch_input *in, ch_cover *c);

/* --keep FILE: rows the table must hold whatever this GPU measured (e.g.
 * the wave-32 TILE rows an RDNA GPU runs, which an NVIDIA GPU measures and
 * finds slower than its MMA rows). MMA_FP8 lines of FILE are not candidates:
 * they go to fp8_kept, which the table writer copies through as they are.
 * ch_read_keep adds FILE's other rows to the
 * candidates, marked; ch_keep_named adds the marked rows the cover left out
 * and re-picks each cell's fastest kept row; returns how many it added. */
void ch_read_keep(ch_input *in, const char *path);
size_t ch_keep_named(const ch_input *in, ch_cover *c);

/* Each won cell's fastest kept row again (after rows were added). */
void ch_cover_repick(const ch_input *in, ch_cover *c);

/* ---- heuristic_fit.c: --heuristic CUS. Adds the rows that bring the
 * dispatcher's rule-free picks (runtime/skinny_heuristic.c, on a device of
 * cus CUs) within their bounds: the heuristic's within heuristic_max of each
 * cell's best candidate, the batch-invariant mode's within invariant_max of
 * each won cell's fastest kept row; returns how many rows it added. */
size_t ch_keep_heuristic(const ch_input *in, ch_cover *c, const ch_heuristic_opts *o, ch_heuristic_result *res);
/* Cells whose heuristic pick is row r (for the table's comments). */
size_t ch_heuristic_cells(const ch_input *in, const ch_cover *c, int cus, size_t r);

/* --invariant-splits: the batch-invariant mode (SKINNY_FLAG_BATCH_INVARIANT)
 * splits K over the waves the dispatcher picks for the largest N with MMA
 * rows, and needs an MMA row with that split in every N. For each wave size:
 * every split (waves per workgroup) kept at the largest N is added, as its
 * cheapest candidate row, to each N with MMA candidates that lacks it. Writes
 * up to `max` "n=N wave=W waves=G" notes for splits no candidate offers into
 * missing (the invariant mode will refuse those N); returns rows added. */
size_t ch_keep_splits(const ch_input *in, ch_cover *c, char (*missing)[48], size_t max, size_t *nmissing);

int ch_write_table(const ch_input *in, const ch_cover *c, const ch_run_info *ri, const char *path);
int ch_write_rules(const ch_input *in, const ch_cover *c, const ch_run_info *ri, const char *path);
typedef struct ch_sweep_pt {
    double tol;
    size_t rows;
    double cost_s, geomean;
} ch_sweep_pt;
int ch_write_report(const ch_input *in, const ch_cover *c, const ch_run_info *ri,
                    const ch_sweep_pt *sweep, size_t nsweep, const char *chart_note,
                    const char *path);
/* 0: written; 1: gnuplot missing (note set); -1: failed (message printed). */
int ch_write_curve(const ch_sweep_pt *sweep, size_t nsweep, const char *script, const char *png,
                   const char *datpath, char *note, size_t notelen);

const char *ch_dtype(int bf16);
/* The cell's dtype as measure files write it: bf16, fp16, fp8w-bf16, fp8w-fp16. */
const char *ch_cell_dtype(const ch_cell *c);

#endif
