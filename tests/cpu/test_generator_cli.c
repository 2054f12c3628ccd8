/* test_generator_cli.c - the skinnygen executable, end to end: exit codes,
 * messages, and what it does (and must not do) to an output directory.
 *
 * usage: test_generator_cli SKINNYGEN TEMPLATES_DIR VERSION
 * m4 comes from $SKINNYGEN_M4 (read by skinnygen itself) or PATH.
 * Every test runs in its own mkdtemp directory T: T/tiles.def is the table,
 * T/out the --out directory, T/stdout and T/stderr the captured streams. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "run_capture.h"
#ifdef HAVE_CJSON
#include <cjson/cJSON.h>
#endif


static const char *g_exe, *g_templates, *g_version;

/* snprintf into an array, failing the test rather than truncating. */
#define FMT(buf, ...) assert_true(snprintf(buf, sizeof buf, __VA_ARGS__) < (int)sizeof buf)

/* An mtime no run of the generator can produce: files that keep it were
 * not rewritten. */
static const struct timespec OLD_TIME = {1000000000, 0}; /* 2001-09-09 */

/* Three rows in three (n) groups; the row B is the one tests edit. */
#define ROW_A "TILE(1, 64, 16, 2, 2)\n"
#define ROW_B "TILE(2, 64, 16, 2, 2)\n"
#define ROW_C "TILE(3, 64, 16, 2, 2)\n"
#define HIP_A "n1_w64_g16_y2_u2.hip"
#define HIP_B "n2_w64_g16_y2_u2.hip"
#define HIP_C "n3_w64_g16_y2_u2.hip"

typedef struct fixture {
    char dir[1024]; /* short enough that dir/NAME always fits PATH_MAX */
    char spec[PATH_MAX], out[PATH_MAX];
    char *out_text, *err_text; /* of the last run */
    const void *param;         /* the case of a table-driven test */
} fixture;

/* ------------------------------------------------------------ file helpers */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static const char *join(const char *dir, const char *name)
{
    static char buf[4][PATH_MAX]; /* the last 4 results stay valid */
    static int next;
    char *p = buf[next++ % 4];
    assert_true(snprintf(p, PATH_MAX, "%s/%s", dir, name) < PATH_MAX);
    return p;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static struct stat stat_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st;
}

static int has_old_mtime(const char *path)
{
    struct stat st = stat_of(path);
    return st.st_mtim.tv_sec == OLD_TIME.tv_sec && st.st_mtim.tv_nsec == OLD_TIME.tv_nsec;
}

/* ---------------------------------------------------------------- snapshot */

/* Everything a rewrite changes: the names, bytes, inode (write_atomic
 * renames a new file in) and mtime of each file in a directory. */
typedef struct entry {
    char name[256];
    char *data;
    size_t len;
    ino_t ino;
    struct timespec mtime;
} entry;

typedef struct snap {
    entry *e;
    size_t n;
} snap;

static snap *g_snap; /* nftw callbacks take no user pointer */

static int snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    if (ftw->level != 1 || type != FTW_F) return 0;
    g_snap->e = realloc(g_snap->e, (g_snap->n + 1) * sizeof *g_snap->e);
    assert_non_null(g_snap->e);
    entry *e = &g_snap->e[g_snap->n++];
    FMT(e->name, "%s", path + ftw->base);
    e->data = slurp(path, &e->len);
    assert_non_null(e->data);
    e->ino = st->st_ino;
    e->mtime = st->st_mtim;
    return 0;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static snap take_snap(const char *dir)
{
    snap s = {NULL, 0};
    g_snap = &s;
    assert_int_equal(nftw(dir, snap_one, 8, FTW_PHYS), 0);
    qsort(s.e, s.n, sizeof *s.e, entry_cmp);
    return s;
}

static void free_snap(snap *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->e[i].data);
    free(s->e);
    s->e = NULL;
    s->n = 0;
}

/* Same names and bytes; with `untouched`, also the same inodes and mtimes. */
static void assert_snap_equal(const snap *a, const snap *b, int untouched)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->e[i].name, b->e[i].name);
        assert_int_equal(a->e[i].len, b->e[i].len);
        assert_memory_equal(a->e[i].data, b->e[i].data, a->e[i].len);
        if (!untouched) continue;
        assert_int_equal(a->e[i].ino, b->e[i].ino);
        assert_int_equal(a->e[i].mtime.tv_sec, b->e[i].mtime.tv_sec);
        assert_int_equal(a->e[i].mtime.tv_nsec, b->e[i].mtime.tv_nsec);
    }
}

static int set_old_mtime(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (ftw->level != 1 || type != FTW_F) return 0;
    const struct timespec t[2] = {OLD_TIME, OLD_TIME};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
    return 0;
}

/* Give every file in dir the OLD_TIME mtime, so that a rewrite shows even
 * within the filesystem's timestamp granularity. */
static void age(const char *dir)
{
    assert_int_equal(nftw(dir, set_old_mtime, 8, FTW_PHYS), 0);
}

/* ------------------------------------------------------------ running it */

/* Run skinnygen with args (NULL-terminated, without argv[0]); capture its
 * streams into fx->out_text / fx->err_text; return its exit status. */
static int run_args(fixture *fx, char *const args[])
{
    return run_capture(fx->dir, g_exe, args, &fx->out_text, &fx->err_text);
}

/* run_args with the arguments listed, ending in (char *)NULL. */
static int run(fixture *fx, ...)
{
    char *args[32];
    int n = 0;
    va_list ap;
    va_start(ap, fx);
    while ((args[n] = va_arg(ap, char *)) != NULL) assert_true(++n < 31);
    va_end(ap);
    return run_args(fx, args);
}

/* Generate fx->spec with the real templates into out; the exit status. */
static int generate_into(fixture *fx, const char *out)
{
    return run(fx, "--spec", fx->spec, "--templates", g_templates, "--out", out, (char *)NULL);
}

/* The usual generation into fx->out; must succeed. */
static void generate(fixture *fx)
{
    int rc = generate_into(fx, fx->out);
    if (rc != 0) fprintf(stderr, "skinnygen failed:\n%s", fx->err_text);
    assert_int_equal(rc, 0);
}

static int check(fixture *fx)
{
    return run(fx, "--check", "--spec", fx->spec, "--templates", g_templates, "--out", fx->out,
               (char *)NULL);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* ---------------------------------------------------------------- fixture */

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx) return -1;
    fx->param = *state; /* cmocka's initial_state, if any */
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    int n = snprintf(fx->dir, sizeof fx->dir, "%s/skinnygen-cli-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof fx->dir || !mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    FMT(fx->spec, "%s/tiles.def", fx->dir);
    FMT(fx->out, "%s/out", fx->dir);
    write_file(fx->spec, "// three rows\n" ROW_A ROW_B ROW_C);
    *state = fx;
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *fx = *state;
    int rc = nftw(fx->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
    free(fx->out_text);
    free(fx->err_text);
    free(fx);
    return rc;
}

/* ------------------------------------------- (a) a bad table writes nothing */

static void test_bad_table_exits_1_and_creates_no_out_dir(void **state)
{
    fixture *fx = *state;
    write_file(fx->spec, ROW_A "TILE(2, 48, 16, 2, 2)\n");
    assert_int_equal(generate_into(fx, fx->out), 1);
    char want[3 * PATH_MAX];
    FMT(want,
        "%s:2:9: error: wave must be 32 or 64, got 48\n1 error in %s; nothing written\n",
        fx->spec, fx->spec);
    assert_string_equal(fx->err_text, want);
    assert_false(exists(fx->out));
}

static void test_bad_table_leaves_out_dir_untouched(void **state)
{
    fixture *fx = *state;
    generate(fx);
    write_file(join(fx->out, "README"), "not the generator's\n");
    age(fx->out);
    snap before = take_snap(fx->out);
    /* Valid, these rows would delete B and C and add n4: a partial run
     * would show. */
    write_file(fx->spec, ROW_A "TILE(2, 64, 16, 2)\nTILE(4, 64, 16, 2, 2)\n");
    assert_int_equal(generate_into(fx, fx->out), 1);
    char want[2 * PATH_MAX];
    FMT(want,
        "%s:2:5: error: TILE takes 5 fields (n, wave, waves_per_group, ytile, unroll), got 4\n",
        fx->spec);
    assert_true(starts_with(fx->err_text, want));
    snap after = take_snap(fx->out);
    assert_snap_equal(&before, &after, 1);
    free_snap(&before);
    free_snap(&after);
}

/* Every file is rendered before the directory is touched, so a failing
 * template (here: none at all) must not leave a half-updated directory. */
static void test_template_failure_leaves_out_dir_untouched(void **state)
{
    fixture *fx = *state;
    generate(fx);
    age(fx->out);
    snap before = take_snap(fx->out);
    const char *empty = join(fx->dir, "no-templates");
    assert_int_equal(mkdir(empty, 0777), 0);
    write_file(fx->spec, ROW_A ROW_C "TILE(4, 64, 16, 2, 2)\n");
    assert_int_equal(run(fx, "--spec", fx->spec, "--templates", empty, "--out", fx->out,
                         (char *)NULL), 2);
    assert_non_null(strstr(fx->err_text, "skinnygen: m4 failed on template"));
    snap after = take_snap(fx->out);
    assert_snap_equal(&before, &after, 1);
    free_snap(&before);
    free_snap(&after);
}

static void test_missing_m4_exits_2_and_creates_nothing(void **state)
{
    fixture *fx = *state;
    const char *old = getenv("SKINNYGEN_M4");
    char *saved = old ? strdup(old) : NULL;
    setenv("SKINNYGEN_M4", "/nonexistent/m4", 1);
    int rc = generate_into(fx, fx->out);
    if (saved) setenv("SKINNYGEN_M4", saved, 1);
    else unsetenv("SKINNYGEN_M4");
    free(saved);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(fx->err_text, "cannot run '/nonexistent/m4'"));
    assert_false(exists(fx->out));
}

/* ------------------------------------------------ (b) determinism, no-ops */

static void test_output_is_exactly_the_planned_files(void **state)
{
    fixture *fx = *state;
    generate(fx);
    static const char *const want[] = {"manifest.json", HIP_A, HIP_B, HIP_C, "skinny_dispatch.c",
                                       "skinny_kernel.cuh"}; /* sorted */
    snap s = take_snap(fx->out);
    assert_int_equal(s.n, sizeof want / sizeof want[0]); /* no temporaries left */
    for (size_t i = 0; i < s.n; i++) assert_string_equal(s.e[i].name, want[i]);
    free_snap(&s);
}

static void test_generation_is_deterministic(void **state)
{
    fixture *fx = *state;
    generate(fx);
    const char *out2 = join(fx->dir, "out2");
    assert_int_equal(generate_into(fx, out2), 0);
    snap a = take_snap(fx->out), b = take_snap(out2);
    assert_snap_equal(&a, &b, 0);
    free_snap(&a);
    free_snap(&b);
}

static void test_second_run_rewrites_nothing(void **state)
{
    fixture *fx = *state;
    generate(fx);
    age(fx->out);
    snap before = take_snap(fx->out);
    generate(fx);
    snap after = take_snap(fx->out);
    assert_snap_equal(&before, &after, 1);
    free_snap(&before);
    free_snap(&after);
}

/* Names come from values, and files from dispatch order, so spacing,
 * comments, leading zeros, CRLF and row order must not matter. */
static void test_reformatted_table_rewrites_nothing(void **state)
{
    fixture *fx = *state;
    generate(fx);
    age(fx->out);
    snap before = take_snap(fx->out);
    write_file(fx->spec, "// reordered and respaced\nTILE(3,64,16,2,2) // c\n"
                         "\tTILE(01, 064, 16, 2, 2)\r\n\nTILE( 2 , 64 , 16 , 2 , 2 )\n");
    generate(fx);
    snap after = take_snap(fx->out);
    assert_snap_equal(&before, &after, 1);
    free_snap(&before);
    free_snap(&after);
}

/* ------------------------------------------ (c, d) edits touch what they must */

static void test_changed_row_rewrites_only_its_files(void **state)
{
    fixture *fx = *state;
    generate(fx);
    age(fx->out);
    struct stat a = stat_of(join(fx->out, HIP_A)), c = stat_of(join(fx->out, HIP_C));
    write_file(fx->spec, ROW_A "TILE(2, 64, 16, 3, 1)\n" ROW_C); /* B changed */
    generate(fx);
    /* The row's name changed with it: old file gone, new one written. */
    assert_false(exists(join(fx->out, HIP_B)));
    assert_false(has_old_mtime(join(fx->out, "n2_w64_g16_y3_u1.hip")));
    /* The files that list every row are rewritten... */
    assert_false(has_old_mtime(join(fx->out, "skinny_dispatch.c")));
    assert_false(has_old_mtime(join(fx->out, "manifest.json")));
    /* ...and nothing else. */
    assert_true(has_old_mtime(join(fx->out, HIP_A)));
    assert_true(has_old_mtime(join(fx->out, HIP_C)));
    assert_true(has_old_mtime(join(fx->out, "skinny_kernel.cuh")));
    assert_int_equal(stat_of(join(fx->out, HIP_A)).st_ino, a.st_ino);
    assert_int_equal(stat_of(join(fx->out, HIP_C)).st_ino, c.st_ino);
    snap s = take_snap(fx->out);
    assert_int_equal(s.n, 6);
    free_snap(&s);
}

static void test_removed_row_deletes_only_its_file(void **state)
{
    fixture *fx = *state;
    generate(fx);
    /* Files the generator does not own, some with names close to its own. */
    static const char *const mine[] = {"README", "meson.build", "notes.hip", HIP_B ".orig"};
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        write_file(join(fx->out, mine[i]), "kept\n");
    age(fx->out);
    write_file(fx->spec, ROW_A ROW_C);
    generate(fx);
    assert_false(exists(join(fx->out, HIP_B)));
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        assert_true(has_old_mtime(join(fx->out, mine[i])));
    assert_true(has_old_mtime(join(fx->out, HIP_A)));
    assert_true(has_old_mtime(join(fx->out, HIP_C)));
    assert_false(has_old_mtime(join(fx->out, "skinny_dispatch.c")));
}

/* Switching layout: the generator owns all_rows.hip and the per-row files
 * alike, so each layout cleans up after the other. */
static void test_layout_switch_replaces_files(void **state)
{
    fixture *fx = *state;
    generate(fx);
    assert_int_equal(run(fx, "--spec", fx->spec, "--templates", g_templates, "--out", fx->out,
                         "--layout", "single-tu", (char *)NULL), 0);
    assert_true(exists(join(fx->out, "all_rows.hip")));
    assert_false(exists(join(fx->out, HIP_A)));
    generate(fx);
    assert_false(exists(join(fx->out, "all_rows.hip")));
    assert_true(exists(join(fx->out, HIP_A)));
    assert_int_equal(run(fx, "--spec", fx->spec, "--templates", g_templates, "--out", fx->out,
                         "--layout", "bogus", (char *)NULL), 2);
    assert_non_null(strstr(fx->err_text, "unknown layout 'bogus'"));
}

/* ----------------------------------------------------------- (e) --check */

static void test_check_up_to_date(void **state)
{
    fixture *fx = *state;
    generate(fx);
    age(fx->out);
    snap before = take_snap(fx->out);
    assert_int_equal(check(fx), 0);
    assert_string_equal(fx->out_text, "");
    snap after = take_snap(fx->out);
    assert_snap_equal(&before, &after, 1);
    free_snap(&before);
    free_snap(&after);
}

static void test_check_names_each_difference_and_writes_nothing(void **state)
{
    fixture *fx = *state;
    generate(fx);
    FILE *f = fopen(join(fx->out, HIP_A), "ab");
    assert_non_null(f);
    fputs("// edited by hand\n", f);
    fclose(f);
    assert_int_equal(remove(join(fx->out, HIP_C)), 0);
    write_file(join(fx->out, "n9_w32_g1_y1_u1.hip"), "// row gone\n");
    age(fx->out);
    snap before = take_snap(fx->out);
    assert_int_equal(check(fx), 1);
    char want[4 * PATH_MAX];
    FMT(want,
        "stale: %s/" HIP_A "\nmissing: %s/" HIP_C "\n"
        "extra: %s/n9_w32_g1_y1_u1.hip (its row is gone from the table)\n",
        fx->out, fx->out, fx->out);
    assert_string_equal(fx->out_text, want);
    assert_non_null(strstr(fx->err_text, "3 files in"));
    snap after = take_snap(fx->out);
    assert_snap_equal(&before, &after, 1);
    free_snap(&before);
    free_snap(&after);
}

static void test_check_missing_out_dir(void **state)
{
    fixture *fx = *state;
    assert_int_equal(check(fx), 1);
    assert_int_equal(count(fx->out_text, "missing: "), 6);
    assert_int_equal(count(fx->out_text, "\n"), 6);
    assert_false(exists(fx->out));
}

/* ------------------------------------------------------ (f, g) --list, --add */

static void test_list_in_dispatch_order(void **state)
{
    fixture *fx = *state;
    /* Dispatch order: n, wave, ytile, unroll, then waves_per_group. */
    write_file(fx->spec, "TILE(2, 32, 8, 4, 1)\nTILE(1, 64, 16, 3, 1)\nTILE(1, 64, 4, 3, 1)\n"
                         "TILE(1, 32, 16, 2, 2)\nTILE(1, 64, 16, 2, 2)\n");
    assert_int_equal(run(fx, "--spec", fx->spec, "--list", (char *)NULL), 0);
    assert_string_equal(fx->out_text, "n1_w32_g16_y2_u2 1 32 16 2 2\n"
                                      "n1_w64_g16_y2_u2 1 64 16 2 2\n"
                                      "n1_w64_g4_y3_u1 1 64 4 3 1\n"
                                      "n1_w64_g16_y3_u1 1 64 16 3 1\n"
                                      "n2_w32_g8_y4_u1 2 32 8 4 1\n");
    assert_string_equal(fx->err_text, "");
}

static void test_add_rows_in_list_leaves_spec_alone(void **state)
{
    fixture *fx = *state;
    const struct timespec t[2] = {OLD_TIME, OLD_TIME};
    assert_int_equal(utimensat(AT_FDCWD, fx->spec, t, 0), 0);
    char *before = slurp(fx->spec, NULL);
    assert_int_equal(run(fx, "--spec", fx->spec, "--list", "--add", "TILE(9, 32, 16, 2, 2)",
                         "--add", "TILE(2, 32, 16, 2, 2)", (char *)NULL), 0);
    assert_string_equal(fx->out_text, "n1_w64_g16_y2_u2 1 64 16 2 2\n"
                                      "n2_w32_g16_y2_u2 2 32 16 2 2\n"
                                      "n2_w64_g16_y2_u2 2 64 16 2 2\n"
                                      "n3_w64_g16_y2_u2 3 64 16 2 2\n"
                                      "n9_w32_g16_y2_u2 9 32 16 2 2\n");
    char *after = slurp(fx->spec, NULL);
    assert_string_equal(after, before);
    assert_true(has_old_mtime(fx->spec));
    free(before);
    free(after);
}

/* A bad --add row is located as --add:INDEX:COL, whichever stage finds it. */
typedef struct add_case {
    const char *rows[3]; /* the --add values, NULL-terminated */
    const char *first_diag;
} add_case;

static add_case add_cases[] = {
    {{"TILE(9, 32, 16, 2)"},
     "--add:1:5: error: TILE takes 5 fields (n, wave, waves_per_group, ytile, unroll), got 4\n"},
    {{""}, "--add:1:1: error: empty row\n"},
    {{"TILE(9, 32, 16, 2, 2)", "FOO"},
     "--add:2:1: error: unknown token 'FOO'; rows look like TILE(n, wave, waves_per_group, ytile, "
     "unroll), MMA(n, wave, waves_per_group, mtiles, unroll) or MMA_FP8(n, wave, waves_per_group, "
     "mtiles, unroll)\n"},
    {{"TILE(9, 48, 16, 2, 2)"}, "--add:1:9: error: wave must be 32 or 64, got 48\n"},
    {{"TILE(1, 64, 16, 2, 2)"}, "--add:1:1: error: duplicate row: same as line 2\n"},
    {{"TILE(9, 32, 16, 2, 2)", "TILE(9, 32, 16, 2, 2)"},
     "--add:2:1: error: duplicate row: same as --add:1\n"},
    {{"TILE(9, 32, 16, 2, 2)", "TILE(09, 32, 16, 2, 2)"},
     "--add:2:1: error: row produces kernel name 'n9_w32_g16_y2_u2', already produced by "
     "--add:1\n"},
};

static void test_bad_add_row(void **state)
{
    fixture *fx = *state;
    const add_case *c = fx->param;
    char *args[12] = {"--spec", fx->spec, "--list"};
    int n = 3;
    for (int i = 0; i < 3 && c->rows[i]; i++) {
        args[n++] = "--add";
        args[n++] = (char *)c->rows[i];
    }
    args[n] = NULL;
    assert_int_equal(run_args(fx, args), 1);
    const char *eol = strchr(fx->err_text, '\n');
    assert_non_null(eol);
    char *first = strndup(fx->err_text, (size_t)(eol + 1 - fx->err_text));
    assert_string_equal(first, c->first_diag);
    free(first);
    assert_string_equal(fx->out_text, "");
}

/* ------------------------------------------------ (h, i) plain CLI behaviour */

static void test_version_matches_project(void **state)
{
    fixture *fx = *state;
    assert_int_equal(run(fx, "--version", (char *)NULL), 0);
    char want[128];
    FMT(want, "skinnygen %s\n", g_version);
    assert_string_equal(fx->out_text, want);
}

static void test_help_exits_0(void **state)
{
    fixture *fx = *state;
    assert_int_equal(run(fx, "--help", (char *)NULL), 0);
    assert_true(starts_with(fx->out_text, "usage: skinnygen"));
    assert_string_equal(fx->err_text, "");
}

static void test_unknown_option_exits_2(void **state)
{
    fixture *fx = *state;
    assert_int_equal(run(fx, "--spec", fx->spec, "--list", "--bogus", (char *)NULL), 2);
    assert_true(starts_with(fx->err_text, "skinnygen: unknown or incomplete option '--bogus'\n"));
    assert_string_equal(fx->out_text, "");
}

static void test_option_without_value_exits_2(void **state)
{
    fixture *fx = *state;
    assert_int_equal(run(fx, "--list", "--spec", (char *)NULL), 2);
    assert_true(starts_with(fx->err_text, "skinnygen: unknown or incomplete option '--spec'\n"));
}

static void test_no_spec_option_exits_2(void **state)
{
    fixture *fx = *state;
    assert_int_equal(run(fx, "--list", (char *)NULL), 2);
    assert_true(starts_with(fx->err_text, "skinnygen: --spec is required"));
}

static void test_missing_spec_file_exits_2(void **state)
{
    fixture *fx = *state;
    const char *missing = join(fx->dir, "nope.def");
    assert_int_equal(run(fx, "--spec", missing, "--templates", g_templates, "--out", fx->out,
                         (char *)NULL), 2);
    char want[PATH_MAX + 100];
    FMT(want, "skinnygen: cannot read %s (missing, unreadable or binary)\n", missing);
    assert_string_equal(fx->err_text, want);
    assert_false(exists(fx->out));
}

/* A NUL would silently end the table early; it is refused instead. */
static void test_binary_spec_file_exits_2(void **state)
{
    fixture *fx = *state;
    FILE *f = fopen(fx->spec, "wb");
    assert_non_null(f);
    fwrite(ROW_A "\0" ROW_B, 1, sizeof(ROW_A "\0" ROW_B) - 1, f);
    fclose(f);
    assert_int_equal(run(fx, "--spec", fx->spec, "--list", (char *)NULL), 2);
    assert_non_null(strstr(fx->err_text, "cannot read"));
}

/* ------------------------------------------------------- (j) manifest.json */

static void test_manifest_names_every_row(void **state)
{
    fixture *fx = *state;
    generate(fx);
    char *m = slurp(join(fx->out, "manifest.json"), NULL);
    assert_non_null(m);
    assert_int_equal(count(m, "\"name\":"), 3);
    assert_non_null(strstr(m, "\"kernel_count\": 3,"));
    free(m);
}

static void test_manifest_is_valid_json(void **state)
{
#ifndef HAVE_CJSON
    (void)state;
    fprintf(stderr, "libcjson not found at configure time: manifest.json not parsed\n");
    skip();
#else
    fixture *fx = *state;
    generate(fx);
    char *text = slurp(join(fx->out, "manifest.json"), NULL);
    assert_non_null(text);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    char want[128];
    FMT(want, "skinnygen %s", g_version);
    assert_string_equal(cJSON_GetObjectItem(root, "generator")->valuestring, want);
    assert_int_equal(cJSON_GetObjectItem(root, "kernel_count")->valueint, 3);
    const cJSON *kernels = cJSON_GetObjectItem(root, "kernels");
    assert_int_equal(cJSON_GetArraySize(kernels), 3);
    static const char *const names[] = {"n1_w64_g16_y2_u2", "n2_w64_g16_y2_u2", "n3_w64_g16_y2_u2"};
    for (int i = 0; i < 3; i++) {
        const cJSON *k = cJSON_GetArrayItem(kernels, i);
        const char *name = cJSON_GetObjectItem(k, "name")->valuestring;
        assert_string_equal(name, names[i]); /* dispatch order */
        char file[64];
        FMT(file, "%s.hip", name);
        assert_string_equal(cJSON_GetObjectItem(k, "file")->valuestring, file);
        assert_true(exists(join(fx->out, file)));
        assert_int_equal(cJSON_GetObjectItem(k, "n")->valueint, i + 1);
    }
    cJSON_Delete(root);
    free(text);
#endif
}

/* ------------------------------------------------------ (k) --sweep FILE */

#define SWEEP_TEXT                                                                       \
    "// two sweeps\n"                                                                    \
    "SWEEP(kind=MMA, n=1..2, wave=32, waves_per_group=4,8, mtiles=2, unroll=4)\n"       \
    "SWEEP(kind=TILE, n=2, wave=32, waves_per_group=16, ytile=2,3, unroll=1)\n"
/* The rows of SWEEP_TEXT as --list prints them (dispatch order). */
#define SWEEP_LIST                          \
    "n1_w32_g4_m2_u4 1 32 4 2 4\n"          \
    "n1_w32_g8_m2_u4 1 32 8 2 4\n"          \
    "n2_w32_g16_y2_u1 2 32 16 2 1\n"        \
    "n2_w32_g16_y3_u1 2 32 16 3 1\n"        \
    "n2_w32_g4_m2_u4 2 32 4 2 4\n"          \
    "n2_w32_g8_m2_u4 2 32 8 2 4\n"

/* The table written by --out-table is a valid tiles.def with exactly the
 * swept rows: --spec TABLE --list lists them. */
static void test_sweep_table_round_trips_through_list(void **state)
{
    fixture *fx = *state;
    const char *sweep = join(fx->dir, "sweep.def"), *table = join(fx->dir, "cand.def");
    write_file(sweep, SWEEP_TEXT);
    assert_int_equal(run(fx, "--sweep", sweep, "--out-table", table, (char *)NULL), 0);
    assert_string_equal(fx->out_text, "");
    assert_string_equal(fx->err_text, "");
    assert_int_equal(run(fx, "--spec", table, "--list", (char *)NULL), 0);
    assert_string_equal(fx->out_text, SWEEP_LIST);
    assert_string_equal(fx->err_text, "");
}

/* Without --out-table the table goes to stdout, the same bytes. */
static void test_sweep_prints_table_without_out_table(void **state)
{
    fixture *fx = *state;
    const char *sweep = join(fx->dir, "sweep.def"), *table = join(fx->dir, "cand.def");
    write_file(sweep, SWEEP_TEXT);
    assert_int_equal(run(fx, "--sweep", sweep, "--out-table", table, (char *)NULL), 0);
    char *written = slurp(table, NULL);
    assert_non_null(written);
    assert_int_equal(run(fx, "--sweep", sweep, (char *)NULL), 0);
    assert_string_equal(fx->out_text, written);
    char head[PATH_MAX + 80];
    FMT(head, "// Candidate table generated by skinnygen --sweep from %s\n", sweep);
    assert_true(starts_with(fx->out_text, head));
    assert_int_equal(count(fx->out_text, "\nMMA("), 4);
    assert_int_equal(count(fx->out_text, "\nTILE("), 2);
    free(written);
}

/* A bad sweep: exit 1, the errors, and --out-table neither created nor,
 * when it exists, touched. */
static void test_sweep_error_writes_nothing(void **state)
{
    fixture *fx = *state;
    const char *sweep = join(fx->dir, "sweep.def"), *table = join(fx->dir, "cand.def");
    write_file(sweep, "SWEEP(kind=TILE, n=1, wave=32, waves_per_group=4, ytile=2, unroll=2,9)\n");
    assert_int_equal(run(fx, "--sweep", sweep, "--out-table", table, (char *)NULL), 1);
    char want[3 * PATH_MAX];
    FMT(want,
        "%s:1:69: error: unroll must be in 1..8, got 9 (from unroll=2,9)\n"
        "1 error in %s; nothing written\n",
        sweep, sweep);
    assert_string_equal(fx->err_text, want);
    assert_string_equal(fx->out_text, "");
    assert_false(exists(table));
    /* an existing table stays as it was */
    write_file(table, "TILE(1, 32, 16, 2, 2)\n");
    const struct timespec t[2] = {OLD_TIME, OLD_TIME};
    assert_int_equal(utimensat(AT_FDCWD, table, t, 0), 0);
    assert_int_equal(run(fx, "--sweep", sweep, "--out-table", table, (char *)NULL), 1);
    assert_true(has_old_mtime(table));
    char *after = slurp(table, NULL);
    assert_string_equal(after, "TILE(1, 32, 16, 2, 2)\n");
    free(after);
    /* nor is the table printed */
    assert_int_equal(run(fx, "--sweep", sweep, (char *)NULL), 1);
    assert_string_equal(fx->out_text, "");
}

static void test_sweep_usage_errors_exit_2(void **state)
{
    fixture *fx = *state;
    const char *sweep = join(fx->dir, "sweep.def");
    write_file(sweep, SWEEP_TEXT);
    assert_int_equal(run(fx, "--out-table", join(fx->dir, "t.def"), (char *)NULL), 2);
    assert_true(starts_with(fx->err_text, "skinnygen: --out-table needs --sweep\n"));
    assert_int_equal(run(fx, "--sweep", sweep, "--spec", fx->spec, "--list", (char *)NULL), 2);
    assert_true(starts_with(fx->err_text, "skinnygen: --sweep takes only --out-table"));
    assert_string_equal(fx->out_text, "");
    const char *missing = join(fx->dir, "nope.def");
    assert_int_equal(run(fx, "--sweep", missing, (char *)NULL), 2);
    char want[PATH_MAX + 100];
    FMT(want, "skinnygen: cannot read %s (missing, unreadable or binary)\n", missing);
    assert_string_equal(fx->err_text, want);
}

/* An --out-table that cannot be written is an I/O error (2). */
static void test_sweep_unwritable_out_table_exits_2(void **state)
{
    fixture *fx = *state;
    const char *sweep = join(fx->dir, "sweep.def");
    write_file(sweep, SWEEP_TEXT);
    assert_int_equal(run(fx, "--sweep", sweep, "--out-table", join(fx->dir, "no/such/dir.def"),
                         (char *)NULL), 2);
    assert_true(starts_with(fx->err_text, "skinnygen: cannot write "));
}

/* --------------------------------------------------------------------- main */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
/* One named test per add_cases[] entry; setup() keeps the entry in fx->param. */
#define ADD_CASE(i, name) \
    {"test_bad_add_row_" name, test_bad_add_row, setup, teardown, &add_cases[i]}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SKINNYGEN TEMPLATES_DIR VERSION\n", argv[0]);
        return 2;
    }
    g_exe = argv[1];
    g_templates = argv[2];
    g_version = argv[3];

    const struct CMUnitTest tests[] = {
        T(test_bad_table_exits_1_and_creates_no_out_dir),
        T(test_bad_table_leaves_out_dir_untouched),
        T(test_template_failure_leaves_out_dir_untouched),
        T(test_missing_m4_exits_2_and_creates_nothing),
        T(test_output_is_exactly_the_planned_files),
        T(test_generation_is_deterministic),
        T(test_second_run_rewrites_nothing),
        T(test_reformatted_table_rewrites_nothing),
        T(test_changed_row_rewrites_only_its_files),
        T(test_removed_row_deletes_only_its_file),
        T(test_layout_switch_replaces_files),
        T(test_check_up_to_date),
        T(test_check_names_each_difference_and_writes_nothing),
        T(test_check_missing_out_dir),
        T(test_list_in_dispatch_order),
        T(test_add_rows_in_list_leaves_spec_alone),
        ADD_CASE(0, "field_count"),
        ADD_CASE(1, "empty"),
        ADD_CASE(2, "second_of_two"),
        ADD_CASE(3, "out_of_range"),
        ADD_CASE(4, "duplicates_table_row"),
        ADD_CASE(5, "duplicates_add_row"),
        ADD_CASE(6, "same_name_as_add_row"),
        T(test_version_matches_project),
        T(test_help_exits_0),
        T(test_unknown_option_exits_2),
        T(test_option_without_value_exits_2),
        T(test_no_spec_option_exits_2),
        T(test_missing_spec_file_exits_2),
        T(test_binary_spec_file_exits_2),
        T(test_manifest_names_every_row),
        T(test_manifest_is_valid_json),
        T(test_sweep_table_round_trips_through_list),
        T(test_sweep_prints_table_without_out_table),
        T(test_sweep_error_writes_nothing),
        T(test_sweep_usage_errors_exit_2),
        T(test_sweep_unwritable_out_table_exits_2),
    };
    return cmocka_run_group_tests_name("generator_cli", tests, NULL, NULL);
}
