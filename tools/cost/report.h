/* report.h - writing a finished report: Markdown, CSV, JSON (cJSON) and
 * the chart (gnuplot), plus the sums they share. */
#ifndef COST_REPORT_H
#define COST_REPORT_H

#include <stdio.h>

#include "cost.h"

/* Sums over the built cells of one target: all rows with `added == added`
 * (added < 0: every row) and, when n > 0, only rows with that N. */
typedef struct {
    int rows;
    double compile_s;
    long code_bytes, text_bytes;
} cost_sum;
cost_sum report_sum(const cost_report *r, size_t target, int added, int n);
/* Distinct N values of the rows (ascending) into ns; returns how many. */
size_t report_ns(const cost_report *r, int *ns, size_t max);

/* Fill *r from a report's JSON (for --from-json); ends the run on error. */
void report_load_json(const char *path, cost_report *r);

int report_write_md(const cost_report *r, const char *path, const char *chart_name);
int report_write_csv(const cost_report *r, const char *path);
int report_write_json(const cost_report *r, const char *path);
/* Data file PATH.dat next to the chart, then `gnuplot -e ... SCRIPT`. */
int report_write_chart(const cost_report *r, const char *gnuplot, const char *script,
                       const char *png_path, const char *work);

#endif
