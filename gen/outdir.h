/* outdir.h - bring an output directory in line with rendered files:
 * write only what changed (atomically), delete what we own but no longer
 * emit, or (check mode) only report the differences. */
#ifndef SKINNYGEN_OUTDIR_H
#define SKINNYGEN_OUTDIR_H

#include "plan.h"
#include "render.h"

/* Returns the number of files that differ (check mode) or -1 on an I/O
 * error. In write mode prints nothing unless verbose. */
int outdir_sync(const char *dir, const plan *p, const render_out *rendered, int check_only,
                int verbose);

/* Write to a temporary name in the same directory, then rename: readers
 * (and a build interrupted half-way) never see a partial file. 0, or -1
 * after saying why on stderr. */
int outdir_write_atomic(const char *path, const char *data, size_t len);

#endif
