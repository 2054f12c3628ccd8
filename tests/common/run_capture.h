/* run_capture.h - for the CLI tests (cmocka): read a whole file, and run a
 * program with its stdout and stderr captured. Include after <cmocka.h>
 * with _POSIX_C_SOURCE >= 200809L. */
#ifndef SKINNY_TEST_RUN_CAPTURE_H
#define SKINNY_TEST_RUN_CAPTURE_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The whole file, NUL-terminated (length in *len if len); NULL if it cannot
 * be opened. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = 0, cap = 4096, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0)
        if ((n += got) + 1 == cap) assert_non_null(buf = realloc(buf, cap *= 2));
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* Run exe with args (NULL-terminated, without argv[0]); its streams go
 * through files in dir and replace *out_text and *err_text. Returns the
 * exit status; a crash fails the test (never an acceptable answer). */
static int run_capture(const char *dir, const char *exe, char *const args[], char **out_text,
                       char **err_text)
{
    char *argv[48];
    int argc = 0;
    argv[argc++] = (char *)exe;
    for (int i = 0; args[i]; i++) {
        assert_true(argc < 47);
        argv[argc++] = args[i];
    }
    argv[argc] = NULL;
    char out_path[PATH_MAX], err_path[PATH_MAX];
    assert_true(snprintf(out_path, sizeof out_path, "%s/stdout", dir) < (int)sizeof out_path);
    assert_true(snprintf(err_path, sizeof err_path, "%s/stderr", dir) < (int)sizeof err_path);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    const int flags = O_WRONLY | O_CREAT | O_TRUNC;
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path, flags, 0644);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path, flags, 0644);
    pid_t pid;
    const int rc = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    assert_int_equal(rc, 0);
    int status;
    while (waitpid(pid, &status, 0) < 0) assert_int_equal(errno, EINTR);
    assert_true(WIFEXITED(status));
    free(*out_text);
    free(*err_text);
    *out_text = slurp(out_path, NULL);
    *err_text = slurp(err_path, NULL);
    assert_non_null(*out_text);
    assert_non_null(*err_text);
    unlink(out_path);
    unlink(err_path);
    return WEXITSTATUS(status);
}

#endif
