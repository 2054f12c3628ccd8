/* test_incremental.c - the user's loop: edit specs/tiles.def, run one
 * `meson compile`, and only the new row's TU and the dispatcher recompile.
 *
 * Configures a scratch build of this source tree with its own two-row
 * table (-Dtiles=...), builds it, appends an N=9 row, builds again, and
 * compares the objects' modification times and ninja's log of what ran.
 * argv: SOURCE_ROOT BACKEND [extra meson options...]
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static const char *g_src, *g_backend, *g_extra;
static char g_dir[256];

static int run(const char *cmd)
{
    printf("$ %s\n", cmd);
    fflush(stdout);
    return system(cmd);
}

static int64_t mtime_ns(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    return (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

static void write_table(const char *rows)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tiles.def", g_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "// scratch table of test_incremental\n%s", rows);
    fclose(f);
}

/* Path of the object file of a kernel row / the dispatcher in the build. */
static void kernel_obj(char *out, size_t n, const char *row)
{
    snprintf(out, n, "%s/build/%s.o", g_dir, row);
}

static void dispatcher_obj(char *out, size_t n)
{
    /* Meson's name for the dispatcher object inside the shared library. */
    snprintf(out, n, "%s/build/libskinny.so.0.1.0.p/meson-generated_.._generated_skinny_dispatch.c.o",
             g_dir);
}

static void adding_a_row_rebuilds_only_that_tu_and_the_dispatcher(void **state)
{
    (void)state;
    const int has_kernels = strcmp(g_backend, "none") != 0;
    /* Wave of the rows the backend compiles: hip with gfx90a -> 64, cuda -> 32. */
    const int wave = strcmp(g_backend, "cuda") == 0 ? 32 : 64;
    char rows[256], cmd[2048];
    snprintf(rows, sizeof rows, "TILE(1, %d, 16, 2, 2)\nTILE(2, %d, 16, 2, 2)\n", wave, wave);
    write_table(rows);
    snprintf(cmd, sizeof cmd,
             "meson setup '%s/build' '%s' -Dgpu_backend=%s -Dtests=false -Dtiles='%s/tiles.def' %s "
             "> '%s/setup.log' 2>&1 || { cat '%s/setup.log'; exit 1; }",
             g_dir, g_src, g_backend, g_dir, g_extra, g_dir, g_dir);
    assert_int_equal(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "ninja -C '%s/build' > '%s/build1.log' 2>&1 || { cat '%s/build1.log'; exit 1; }",
             g_dir, g_dir, g_dir);
    assert_int_equal(run(cmd), 0);

    char o1[512], o2[512], o9[512], od[512];
    char n1[32], n2[32], n9[32];
    snprintf(n1, sizeof n1, "n1_w%d_g16_y2_u2", wave);
    snprintf(n2, sizeof n2, "n2_w%d_g16_y2_u2", wave);
    snprintf(n9, sizeof n9, "n9_w%d_g16_y2_u2", wave);
    kernel_obj(o1, sizeof o1, n1);
    kernel_obj(o2, sizeof o2, n2);
    kernel_obj(o9, sizeof o9, n9);
    dispatcher_obj(od, sizeof od);
    const int64_t t1 = mtime_ns(o1), t2 = mtime_ns(o2), td = mtime_ns(od);
    assert_true(td > 0);
    if (has_kernels) assert_true(t1 > 0 && t2 > 0);
    assert_int_equal(mtime_ns(o9), -1);

    /* Coarse file systems: make sure a rewrite would show in the mtime. */
    sleep(1);
    snprintf(rows, sizeof rows, "TILE(1, %d, 16, 2, 2)\nTILE(2, %d, 16, 2, 2)\nTILE(9, %d, 16, 2, 2)\n",
             wave, wave, wave);
    write_table(rows);
    snprintf(cmd, sizeof cmd, "ninja -C '%s/build' > '%s/build2.log' 2>&1 || { cat '%s/build2.log'; exit 1; }",
             g_dir, g_dir, g_dir);
    assert_int_equal(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "cat '%s/build2.log'", g_dir);
    run(cmd);

    /* The new row exists, the dispatcher was rebuilt, old rows were not. */
    if (has_kernels) {
        assert_true(mtime_ns(o9) > 0);
        assert_int_equal(mtime_ns(o1), t1);
        assert_int_equal(mtime_ns(o2), t2);
    }
    assert_true(mtime_ns(od) > td);
    /* And ninja's own account: exactly one kernel compile in the second build. */
    snprintf(cmd, sizeof cmd, "test \"$(grep -c 'Generating kernel_' '%s/build2.log')\" = %d", g_dir,
             has_kernels ? 1 : 0);
    assert_int_equal(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "grep -q 'Generating kernel_%s ' '%s/build2.log'", n9, g_dir);
    if (has_kernels) assert_int_equal(run(cmd), 0);
    /* The generated TU of the new row is there, next to the untouched old ones. */
    snprintf(cmd, sizeof cmd, "test -f '%s/build/generated/%s.hip'", g_dir, n9);
    assert_int_equal(run(cmd), 0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SOURCE_ROOT BACKEND [meson options]\n", argv[0]);
        return 2;
    }
    g_src = argv[1];
    g_backend = argv[2];
    static char extra[1024];
    for (int i = 3; i < argc; i++) {
        strncat(extra, " '", sizeof extra - strlen(extra) - 1);
        strncat(extra, argv[i], sizeof extra - strlen(extra) - 1);
        strncat(extra, "'", sizeof extra - strlen(extra) - 1);
    }
    g_extra = extra;
    snprintf(g_dir, sizeof g_dir, "/tmp/skinny-incremental-XXXXXX");
    if (!mkdtemp(g_dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adding_a_row_rebuilds_only_that_tu_and_the_dispatcher),
    };
    const int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (!failed) (void)system(cmd);
    else printf("scratch build kept in %s\n", g_dir);
    return failed ? 1 : 0;
}
