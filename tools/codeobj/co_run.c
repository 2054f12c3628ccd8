/* co_run.c - see co_run.h. */
#define _DEFAULT_SOURCE /* mkstemps */
#include "co_run.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

unsigned char *co_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        unsigned char *nb = realloc(buf, 2 * cap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = !buf || ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        free(buf);
        errno = bad && !buf ? ENOMEM : e;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int temp_fd(char *path, size_t cap, const char *suffix)
{
    const char *td = getenv("TMPDIR");
    snprintf(path, cap, "%s/codeobj.XXXXXX%s", td && *td ? td : "/tmp", suffix);
    return mkstemps(path, (int)strlen(suffix));
}

char *co_write_temp(const void *data, size_t len, const char *suffix, char *err, size_t errlen)
{
    char path[4096];
    int fd = temp_fd(path, sizeof path, suffix);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(path);
        return NULL;
    }
    char *p = malloc(strlen(path) + 1);
    if (p) strcpy(p, path);
    return p;
}

int co_run_capture(char *const argv[], char **out, char **errout, char *err, size_t errlen)
{
    char po[4096], pe[4096];
    *out = *errout = NULL;
    int fo = temp_fd(po, sizeof po, ""), fe = temp_fd(pe, sizeof pe, "");
    if (fo < 0 || fe < 0) {
        snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
        if (fo >= 0) close(fo), unlink(po);
        if (fe >= 0) close(fe), unlink(pe);
        return -2;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fo, 1);
    posix_spawn_file_actions_adddup2(&fa, fe, 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fo);
    close(fe);
    int status = 0;
    if (rc == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    size_t n;
    if (rc == 0) {
        *out = (char *)co_read_file(po, &n);
        *errout = (char *)co_read_file(pe, &n);
    }
    unlink(po);
    unlink(pe);
    if (rc != 0) {
        snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
        return -2;
    }
    if (!*out || !*errout) {
        free(*out);
        free(*errout);
        *out = *errout = NULL;
        snprintf(err, errlen, "cannot read the output of %s", argv[0]);
        return -2;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
