/* sweep.h - skinnygen --sweep: a sweep file -> a candidate tiles.def.
 *
 *   sweep text -> parse SWEEP lines -> cartesian product (rows)
 *              -> spec_validate (each row, as a tiles.def row) -> de-duplicate,
 *                 dispatch order -> the table text
 *
 * A sweep file has one SWEEP(...) per line (// comments, blank lines):
 *
 *   SWEEP(kind=MMA, n=1..16, wave=32, waves_per_group=4,8,16, mtiles=1,2, unroll=2,4)
 *
 * kind is TILE, MMA or MMA_FP8; every column of that kind's rows is given once, by
 * its table name, as a value, a comma list, an inclusive range a..b, or a
 * mix (1..4,8). */
#ifndef SKINNYGEN_SWEEP_H
#define SKINNYGEN_SWEEP_H

#include <stdio.h>

#include "spec.h"

/* The most rows a sweep file may produce (before de-duplication): more
 * kernels than any build of the table should hold. */
#define SWEEP_MAX_ROWS 4096
/* Per SWEEP line: columns written, and values (items) per column. */
#define SWEEP_MAX_COLUMNS 16
#define SWEEP_MAX_ITEMS 64

/* Expand the sweep file `text` into s (spec_init'ed with the sweep file's
 * path, used in messages). On return s->rows holds the candidate rows,
 * validated, named, de-duplicated and in dispatch order, and s->diags every
 * error: syntax errors of the sweep file, and the validator's errors of the
 * rows it produces, located at the value that produced them and ending in
 * "(from COLUMN=VALUES)" as written. Print them with spec_print_diags; the
 * table may be written only when s->ndiags == 0. */
void sweep_expand(spec *s, const char *text);

/* The candidate table as tiles.def text: a header comment naming the sweep
 * file, then one TILE(...), MMA(...) or MMA_FP8(...) per row. Returns 0, -1 on a write
 * error. */
int sweep_write_table(FILE *out, const spec *s, const char *sweep_path);

/* The same into `path`, atomically (a temporary file renamed over it).
 * Returns 0, or -1 after a message on stderr. */
int sweep_write_table_file(const char *path, const spec *s, const char *sweep_path);

#endif
