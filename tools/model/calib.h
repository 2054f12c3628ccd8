/* calib.h - model against measurement: a skinny-bench CSV
 * (bench/results/h200-graph.csv: dtype,m,k,n,kernel,...,pct_read_at_size)
 * and the model's prediction for each of its cells. */
#ifndef MODEL_CALIB_H
#define MODEL_CALIB_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
    char dtype[8], kernel[64];
    int64_t m, k, n;
    double measured_pct;   /* pct_read_at_size: the kernel's speed over a plain read of
                              the same bytes, which takes launch and size effects out */
    double read_us;        /* read_at_size_us: the plain read of the shape's weights */
    double ceiling_gbs;    /* the run's measured read ceiling; < 0: not in the CSV */
    double predicted_pct;  /* filled by the caller; < 0: no prediction */
    int line;
} calib_cell;

/* Reads the CSV's cells (columns found by the header's names). Prints
 * "FILE:LINE: error: ..." and returns -1 on bad input; else the count, the
 * array in *cells (free it). */
int calib_read(const char *path, calib_cell **cells);
/* Every candidate row's time from `skinny-bench --tune --measure FILE`
 * (device,dtype,n,m,k,row,us,...) as cells, measured_pct = the read time
 * of the same shape (from the main CSV's cells, read_at_size_us) / us: so
 * every row of the table is calibrated, not only the dispatcher's choice.
 * Errors as calib_read; a shape the main CSV does not have is an error. */
int calib_read_measure(const char *path, const calib_cell *main_cells, int nmain,
                       calib_cell **cells);
/* Prints, per kind (TILE rows, MMA rows) and for all cells and the
 * bandwidth-bound ones (weights of at least bw_mib MiB), the median and
 * worst relative error |predicted - measured| / measured, as a Markdown
 * table, then one line per cell. Returns the median relative error (%) of
 * the bandwidth-bound cells (all kinds), or -1 when there are none. */
double calib_report(FILE *f, const calib_cell *cells, int n, double bw_mib);

#endif
