/* proc.c - see proc.h. */
#define _POSIX_C_SOURCE 200809L

#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "util.h"

extern char **environ;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int spawn_run(char *const argv[], const char *out_path, const char *err_path, spawn_result *r)
{
    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    const int flags = O_WRONLY | O_CREAT | O_TRUNC;
    posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null", flags, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path ? err_path : "/dev/null", flags, 0644);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);

    pid_t pid;
    const double t0 = now_s();
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "skinny-cost: cannot run %s: %s\n", argv[0], strerror(rc));
        r->out = xstrdup("");
        r->err = xstrdup("");
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) die("waitpid: %s", strerror(errno));
    }
    r->seconds = now_s() - t0;
    r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r->out = out_path ? read_file(out_path, NULL) : NULL;
    r->err = err_path ? read_file(err_path, NULL) : NULL;
    if (!r->out) r->out = xstrdup("");
    if (!r->err) r->err = xstrdup("");
    return 0;
}

void spawn_result_free(spawn_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *argv_to_string(char *const argv[])
{
    size_t cap = 256, n = 0;
    char *s = xmalloc(cap);
    s[0] = '\0';
    for (size_t i = 0; argv[i]; i++) {
        const char *a = argv[i];
        const int quote = a[0] == '\0' || strpbrk(a, " \t'\"()$*?[]{};&|<>") != NULL;
        size_t need = strlen(a) * 4 + 4;
        while (n + need + 1 >= cap) s = xrealloc(s, cap *= 2);
        if (i) s[n++] = ' ';
        if (quote) s[n++] = '\'';
        for (const char *p = a; *p; p++) {
            if (*p == '\'' && quote) { memcpy(s + n, "'\\''", 4); n += 4; }
            else s[n++] = *p;
        }
        if (quote) s[n++] = '\'';
        s[n] = '\0';
    }
    return s;
}
