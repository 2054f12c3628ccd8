/* co_run.h - run a disassembler and keep what it prints. */
#ifndef CO_RUN_H
#define CO_RUN_H

#include <stddef.h>

/* Runs argv (argv[0] a path or a name on PATH) with stdout and stderr
 * captured through temporary files (a pipe could fill while we wait).
 * Returns the exit status (-1: killed by a signal), or -2 with a reason in
 * err when it could not be run; *out and *errout are NUL-terminated and
 * the caller's to free (on -2 they are NULL). */
int co_run_capture(char *const argv[], char **out, char **errout, char *err, size_t errlen);
/* Whole file into a NUL-terminated buffer; NULL with errno set on error. */
unsigned char *co_read_file(const char *path, size_t *len);
/* Writes len bytes to a new temporary file; returns its malloc'd path, or
 * NULL with a reason. */
char *co_write_temp(const void *data, size_t len, const char *suffix, char *err, size_t errlen);

#endif
