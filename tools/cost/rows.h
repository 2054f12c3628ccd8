/* rows.h - the rows to measure, from the generator itself. */
#ifndef COST_ROWS_H
#define COST_ROWS_H

#include <stddef.h>

#include "cost.h"
#include "util.h"

/* `skinnygen --spec SPEC --list [--add ROW]...`; rows not in the list
 * without the --add rows get added = 1. A table or --add row the
 * generator rejects ends the run with its own messages (exit 1). */
void rows_list(const char *skinnygen, const char *spec, const strvec *adds, const char *work,
               cost_row **rows, size_t *nrows);
/* `skinnygen --spec SPEC --templates T --out OUT [--add ROW]...`: the TUs
 * exactly as the build would generate them. */
void rows_generate(const char *skinnygen, const char *spec, const char *templates,
                   const strvec *adds, const char *out, const char *work);

#endif
