/* util.h - small helpers shared by skinny-cost and its checker: growable
 * string vectors (argv building), formatted strings, fatal errors, files. */
#ifndef COST_UTIL_H
#define COST_UTIL_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char **v;     /* NULL-terminated, so it can be handed to posix_spawn */
    size_t n, cap;
} strvec;

void sv_push(strvec *s, const char *str);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void sv_pushf(strvec *s, const char *fmt, ...);
void sv_free(strvec *s);
/* "a,b,c" -> {"a","b","c"}; empty items are dropped. */
void sv_split(strvec *s, const char *csv, char sep);

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
char *xasprintf(const char *fmt, ...);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Print "skinny-cost: MSG" on stderr and exit 1: every failure of a tool or
 * of parsing its output ends the run, so a report never has holes. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
void die(const char *fmt, ...);

/* Whole file into a NUL-terminated buffer (binary safe through *len). */
char *read_file(const char *path, size_t *len);
long file_size(const char *path);
/* Absolute path of an executable: NAME with a '/' as is, else searched on
 * PATH; NULL when not found or not executable. */
char *find_exe(const char *name);
/* mkdir -p */
int make_dirs(const char *path);

#endif
