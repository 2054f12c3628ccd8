/* proc.h - run one program with posix_spawn and time it.
 *
 * Compile times in the report are the wall time of one whole compiler
 * invocation, so the clock (CLOCK_MONOTONIC) starts just before
 * posix_spawn and stops when waitpid returns: process start-up, the driver,
 * every sub-tool it runs and writing the object are all included.
 */
#ifndef COST_PROC_H
#define COST_PROC_H

typedef struct {
    int exit_code;  /* exit status; -1 when killed by a signal */
    double seconds; /* wall time of the whole invocation */
    char *out;      /* captured stdout ("" when not captured) */
    char *err;      /* captured stderr ("" when not captured) */
} spawn_result;

/* argv[0] must be a path (see find_exe). The child's stdout and stderr go to
 * the files out_path / err_path (NULL: /dev/null) and are read back into
 * r->out / r->err; files rather than pipes so that a chatty compiler can
 * never block on a full pipe while we wait. Returns 0 when the program ran,
 * whatever its exit status; -1 (with a message) when it could not start. */
int spawn_run(char *const argv[], const char *out_path, const char *err_path, spawn_result *r);
void spawn_result_free(spawn_result *r);
/* The command line, quoted for a shell, for error messages and the report. */
char *argv_to_string(char *const argv[]);

#endif
