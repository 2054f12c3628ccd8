/* render.h - expand one planned file through GNU m4 into memory. */
#ifndef SKINNYGEN_RENDER_H
#define SKINNYGEN_RENDER_H

#include <stddef.h>

#include "plan.h"

typedef struct render_out {
    char *data;
    size_t len;
} render_out;

/* Runs: m4 -P -DNAME=value... TEMPLATES/prelude.m4 TEMPLATES/<template>.
 * m4 is $SKINNYGEN_M4 if set, else "m4" on PATH. Returns 0 on success;
 * on failure prints why (m4's own messages go to stderr) and returns -1. */
int render_file(const char *m4, const char *templates_dir, const plan_file *f, render_out *out);

#endif
