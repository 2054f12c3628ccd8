/* render.c - run m4 as a child process and capture what it prints. */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int render_file(const char *m4, const char *templates_dir, const plan_file *f, render_out *out)
{
    char prelude[4096], tmpl[4096];
    snprintf(prelude, sizeof prelude, "%s/prelude.m4", templates_dir);
    snprintf(tmpl, sizeof tmpl, "%s/%s", templates_dir, f->template_name);

    /* -P: builtins only as m4_name, so C text such as index or len is safe.
     * -E: warnings (e.g. an undefined macro misuse) are fatal. */
    char *argv[PLAN_MAX_DEFS * 2 + 8];
    int argc = 0;
    argv[argc++] = (char *)m4;
    argv[argc++] = "-P";
    argv[argc++] = "-E";
    for (int i = 0; i < f->ndefs; i++) {
        argv[argc++] = "-D";
        argv[argc++] = f->defs[i];
    }
    argv[argc++] = prelude;
    argv[argc++] = tmpl;
    argv[argc] = NULL;

    int pipefd[2];
    if (pipe(pipefd) != 0) {
        fprintf(stderr, "skinnygen: pipe: %s\n", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    pid_t pid;
    int rc = posix_spawnp(&pid, m4, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        fprintf(stderr, "skinnygen: cannot run '%s': %s (install GNU m4 or set SKINNYGEN_M4)\n",
                m4, strerror(rc));
        return -1;
    }

    size_t cap = 1 << 14, len = 0;
    char *buf = malloc(cap);
    ssize_t got;
    while (buf) {
        if (len == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
        }
        got = read(pipefd[0], buf + len, cap - len);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        len += (size_t)got;
    }
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!buf || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(buf);
        fprintf(stderr, "skinnygen: m4 failed on template %s (for %s)\n", tmpl, f->path);
        return -1;
    }
    out->data = buf;
    out->len = len;
    return 0;
}
