/* test_choose.c - skinny-choose (tools/choose), end to end: the cover it
 * chooses on small measurement files with known answers, the rules it
 * writes, its errors, and its table read back by skinnygen.
 *
 * usage: test_choose SKINNY_CHOOSE SKINNYGEN TESTDATA_DIR
 * Each test runs in its own mkdtemp directory T: T/m.csv is the
 * measurement, T/tiles.def, T/dispatch.def and T/report.md the outputs. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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


static const char *g_choose, *g_skinnygen, *g_data;

#define FMT(buf, ...) assert_true(snprintf(buf, sizeof buf, __VA_ARGS__) < (int)sizeof buf)
#define HEADER "device,dtype,n,m,k,row,us,cublas_us,check\n"

typedef struct fixture {
    char dir[512];
    char csv[PATH_MAX], table[PATH_MAX], rules[PATH_MAX], report[PATH_MAX];
    char *out_text, *err_text;
} fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* The table's row lines (no comments, no blanks), in file order. */
static char *row_lines(const char *table_path)
{
    char *t = slurp(table_path, NULL);
    assert_non_null(t);
    char *out = calloc(1, strlen(t) + 1);
    assert_non_null(out);
    for (char *l = strtok(t, "\n"); l; l = strtok(NULL, "\n"))
        if (strncmp(l, "//", 2)) strcat(strcat(out, l), "\n");
    free(t);
    return out;
}

/* Run exe with args (NULL-terminated); streams into fx->out_text/err_text. */
static int run_exe(fixture *fx, const char *exe, char *const args[])
{
    return run_capture(fx->dir, exe, args, &fx->out_text, &fx->err_text);
}

/* skinny-choose --measure fx->csv with the three outputs, then the extra
 * arguments (NULL-terminated). */
static int choose(fixture *fx, ...)
{
    char *args[40] = {"--measure", fx->csv, "--out-table", fx->table, "--out-rules", fx->rules,
                      "--report", fx->report};
    int n = 8;
    va_list ap;
    va_start(ap, fx);
    while ((args[n] = va_arg(ap, char *)) != NULL) assert_true(++n < 39);
    va_end(ap);
    return run_exe(fx, g_choose, args);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx) return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(fx->dir, sizeof fx->dir, "%s/skinny-choose-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fx->dir)) return -1;
    snprintf(fx->csv, sizeof fx->csv, "%s/m.csv", fx->dir);
    snprintf(fx->table, sizeof fx->table, "%s/tiles.def", fx->dir);
    snprintf(fx->rules, sizeof fx->rules, "%s/dispatch.def", fx->dir);
    snprintf(fx->report, sizeof fx->report, "%s/report.md", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX + 300];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name), unlink(p);
        closedir(d);
    }
    rmdir(fx->dir);
    free(fx->out_text), free(fx->err_text), free(fx);
    return 0;
}

static const char *trap_csv(void)
{
    static char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/choose-greedy-trap.csv", g_data);
    return p;
}

/* ------------------------------------------------------------------ cover */

/* The greedy trap: exact search keeps the two rows that cover all cells. */
static void test_exact_cover_is_minimal(void **state)
{
    fixture *fx = *state;
    snprintf(fx->csv, sizeof fx->csv, "%s", trap_csv());
    assert_int_equal(choose(fx, "--tolerance", "0", (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(1, 32, 8, 2, 2)\nTILE(1, 32, 16, 2, 2)\n");
    free(rows);
    char *rep = slurp(fx->report, NULL);
    assert_non_null(strstr(rep, "| 1 | 32 | 6 | 3 | 2 | exact ("));
    free(rep);
}

/* The same case with the search off: greedy takes 3 rows, so the case
 * does tell an exact cover from a greedy one. */
static void test_greedy_fallback_says_so(void **state)
{
    fixture *fx = *state;
    snprintf(fx->csv, sizeof fx->csv, "%s", trap_csv());
    assert_int_equal(choose(fx, "--tolerance", "0", "--max-nodes", "0", (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_int_equal(count(rows, "TILE("), 3);
    free(rows);
    char *rep = slurp(fx->report, NULL);
    assert_non_null(strstr(rep, "greedy only (--max-nodes 0)"));
    free(rep);
}

/* P is 4 % behind Q's best in cell 2; Q is 6 % behind P in cell 1. */
static const char *const TOL_CSV = HEADER
    "dev,bf16,2,4096,4096,n2_w32_g8_y2_u2,100,200,ok\n"
    "dev,bf16,2,4096,4096,n2_w32_g16_y2_u2,106,200,ok\n"
    "dev,bf16,2,8192,4096,n2_w32_g8_y2_u2,104,200,ok\n"
    "dev,bf16,2,8192,4096,n2_w32_g16_y2_u2,100,200,ok\n";

static void test_tolerance_allows_one_row(void **state)
{
    fixture *fx = *state;
    write_file(fx->csv, TOL_CSV);
    assert_int_equal(choose(fx, "--tolerance", "0.05", (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(2, 32, 8, 2, 2)\n");
    free(rows);
    char *r = slurp(fx->rules, NULL);
    assert_non_null(strstr(r, "MEASURED(dev, 2, 32, bf16, 8192, 4096, n2_w32_g8_y2_u2)  // best 104.00 us, BLAS 200.00 us\n"));
    free(r);
}

static void test_tolerance_is_never_exceeded(void **state)
{
    fixture *fx = *state;
    write_file(fx->csv, TOL_CSV);
    /* 3 %: P (4 % behind in cell 2) no longer covers it: both rows stay. */
    assert_int_equal(choose(fx, "--tolerance", "0.03", (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(2, 32, 8, 2, 2)\nTILE(2, 32, 16, 2, 2)\n");
    free(rows);
    char *r = slurp(fx->rules, NULL);
    assert_non_null(strstr(r, "MEASURED(dev, 2, 32, bf16, 8192, 4096, n2_w32_g16_y2_u2)  // best 100.00 us"));
    free(r);
}

static void test_lost_cells_get_none(void **state)
{
    fixture *fx = *state;
    /* Cell 1 is won; in cell 2 the best row only ties cuBLAS (not a win);
     * the g4 row is measured only there and must not be kept. */
    write_file(fx->csv, HEADER "dev,fp16,3,4096,4096,n3_w32_g8_y2_u2,90,100,ok\n"
                               "dev,fp16,3,8192,8192,n3_w32_g8_y2_u2,130,100,ok\n"
                               "dev,fp16,3,8192,8192,n3_w32_g4_y2_u2,100,100,ok\n");
    assert_int_equal(choose(fx, (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(3, 32, 8, 2, 2)\n");
    free(rows);
    char *r = slurp(fx->rules, NULL);
    assert_non_null(strstr(r, "\nMEASURED(dev, 3, 32, fp16, 8192, 8192, none)  // best 100.00 us, BLAS 100.00 us\n"));
    assert_non_null(strstr(r, "\nMEASURED(dev, 3, 32, fp16, 4096, 4096, n3_w32_g8_y2_u2)  // best 90.00 us"));
    free(r);
}

static void test_wrong_rows_never_chosen(void **state)
{
    fixture *fx = *state;
    /* The MMA row is fastest everywhere but computed a wrong answer; in the
     * second cell it is the only row faster than cuBLAS. */
    write_file(fx->csv, HEADER "dev,bf16,4,4096,4096,n4_w32_g8_m1_u4,40,100,wrong\n"
                               "dev,bf16,4,4096,4096,n4_w32_g8_y2_u2,50,100,ok\n"
                               "dev,bf16,4,8192,4096,n4_w32_g8_m1_u4,40,100,wrong\n"
                               "dev,bf16,4,8192,4096,n4_w32_g8_y2_u2,150,100,ok\n");
    assert_int_equal(choose(fx, (char *)NULL), 0);
    char *t = row_lines(fx->table); /* the header names both kinds */
    assert_string_equal(t, "TILE(4, 32, 8, 2, 2)\n");
    free(t);
    char *r = slurp(fx->rules, NULL);
    assert_null(strstr(r, "n4_w32_g8_m1_u4"));
    assert_non_null(strstr(r, "MEASURED(dev, 4, 32, bf16, 8192, 4096, none)"));
    free(r);
}

/* Two rows with the same times everywhere: equal cost, so name order
 * decides, whatever the order of the lines. */
static void test_tie_broken_by_name(void **state)
{
    fixture *fx = *state;
    const char *a = "dev,bf16,5,4096,4096,n5_w32_g16_y2_u2,50,100,ok\n";
    const char *b = "dev,bf16,5,4096,4096,n5_w32_g8_y2_u2,50,100,ok\n";
    char text[512];
    FMT(text, HEADER "%s%s", b, a);
    write_file(fx->csv, text);
    assert_int_equal(choose(fx, (char *)NULL), 0);
    char *first = slurp(fx->table, NULL);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(5, 32, 16, 2, 2)\n"); /* "n5_w32_g16" < "n5_w32_g8" */
    FMT(text, HEADER "%s%s", a, b);
    write_file(fx->csv, text);
    assert_int_equal(choose(fx, (char *)NULL), 0);
    char *second = slurp(fx->table, NULL);
    assert_string_equal(first, second); /* SOURCE_DATE_EPOCH pins the date */
    free(first), free(second), free(rows);
}

/* The same tie, but the cost file makes the later name cheaper. */
static void test_tie_broken_by_compile_seconds(void **state)
{
    fixture *fx = *state;
    write_file(fx->csv, HEADER "dev,bf16,5,4096,4096,n5_w32_g16_y2_u2,50,100,ok\n"
                               "dev,bf16,5,4096,4096,n5_w32_g8_y2_u2,50,100,ok\n");
    char cost[PATH_MAX];
    FMT(cost, "%s/cost.csv", fx->dir);
    write_file(cost, "row,target,status,compile_s_median,code_object_bytes\n"
                     "n5_w32_g16_y2_u2,sm_90,built,1.30,30000\n"
                     "n5_w32_g16_y2_u2,sm_90,built,1.30,30000\n"
                     "n5_w32_g8_y2_u2,sm_90,built,1.10,28000\n");
    assert_int_equal(choose(fx, "--cost", cost, (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(5, 32, 8, 2, 2)\n");
    free(rows);
    char *t = slurp(fx->table, NULL);
    assert_non_null(strstr(t, "// compile 1.10 s (sm_90), 28.0 KB\n"));
    free(t);
}

/* -------------------------------------------------------------- malformed */

typedef struct bad_case { const char *csv_tail; int line; const char *msg; } bad_case;

static const bad_case BAD[] = {
    {"dev,bf16,1,4096,4096,n1_w32_g8_y2_u2,50,100\n", 2, "expected 9 fields (device,dtype,n,m,k,row,us,cublas_us,check), got 8"},
    {"Dev!,bf16,1,4096,4096,n1_w32_g8_y2_u2,50,100,ok\n", 2, "device must be a device key ([a-z0-9_], 1 to 63 characters), got 'Dev!'"},
    {"dev,fp32,1,4096,4096,n1_w32_g8_y2_u2,50,100,ok\n", 2, "dtype must be bf16, fp16, fp8w-bf16 or fp8w-fp16, got 'fp32'"},
    {"dev,fp8w-bf16,1,4096,4096,n1_w32_g8_f1_u2,50,100,ok\n", 2,
     "dtype fp8w-bf16: fp8-weight rows are not chosen by measurement (grade them with skinny-heuristic-check)"},
    {"dev,bf16,1,4096,4100,n1_w32_g8_y2_u2,50,100,ok\n", 2, "k must be a multiple of 8, got 4100"},
    {"dev,bf16,1,4096,4096,n1_w32_g8_y2_u2,-5,100,ok\n", 2, "us must be a positive number, got '-5'"},
    {"dev,bf16,1,4096,4096,n1_w32_g8_y2_u2,50,100,maybe\n", 2, "check must be ok or wrong, got 'maybe'"},
    {"dev,bf16,1,4096,4096,n1_w32_g8_x2_u2,50,100,ok\n", 2,
     "row 'n1_w32_g8_x2_u2' is not a kernel name (n<N>_w<W>_g<G>_y<T>_u<U>, ..._m<T>_u<U> or ..._f<T>_u<U>)"},
    {"dev,bf16,2,4096,4096,n1_w32_g8_y2_u2,50,100,ok\n", 2, "row n1_w32_g8_y2_u2 serves n=1, but the cell has n=2"},
    {"dev,bf16,1,4096,4096,n1_w32_g8_y2_u2,50,100,ok\ndev,bf16,1,4096,4096,n1_w32_g16_y2_u2,50,101,ok\n", 3,
     "cublas_us 101 differs from 100 on %s:2 (same cell)"},
    {"dev,bf16,1,4096,4096,n1_w32_g8_y2_u2,50,100,ok\n\ndev,bf16,1,4096,4096,n1_w32_g8_y2_u2,51,100,ok\n", 4,
     "row n1_w32_g8_y2_u2 measured twice in this cell: same as %s:2"},
};

static void test_malformed_reports_file_line(void **state)
{
    fixture *fx = *state;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char text[1024], msg[1024], want[2048];
        FMT(text, HEADER "%s", BAD[i].csv_tail);
        write_file(fx->csv, text);
        write_file(fx->table, "OLD\n"); /* must survive */
        FMT(msg, BAD[i].msg, fx->csv);
        FMT(want, "%s:%d: error: %s\n1 error; nothing written\n", fx->csv, BAD[i].line, msg);
        assert_int_equal(choose(fx, (char *)NULL), 1);
        assert_string_equal(fx->err_text, want);
        char *t = slurp(fx->table, NULL);
        assert_string_equal(t, "OLD\n");
        free(t);
        assert_false(exists(fx->rules));
        assert_false(exists(fx->report));
    }
}

static void test_malformed_header_and_candidates(void **state)
{
    fixture *fx = *state;
    write_file(fx->csv, "device,dtype,n,m,k,row,us,check\n");
    char want[2048];
    FMT(want, "%s:1: error: expected the header 'device,dtype,n,m,k,row,us,cublas_us,check'\n"
              "%s:1: error: no measurements after the header\n2 errors; nothing written\n", fx->csv, fx->csv);
    assert_int_equal(choose(fx, (char *)NULL), 1);
    assert_string_equal(fx->err_text, want);

    char cand[PATH_MAX];
    FMT(cand, "%s/cand.def", fx->dir);
    write_file(cand, "// candidates\nTILE(1, 32, 8, 2, 2)\nTILE(1, 32, 16, 2)\n");
    write_file(fx->csv, HEADER "dev,bf16,1,4096,4096,n1_w32_g4_y2_u2,50,100,ok\n");
    FMT(want, "%s:3: error: malformed row: expected TILE(n, wave, waves_per_group, ytile, unroll) with positive "
              "integers\n%s:2: error: row 'n1_w32_g4_y2_u2' is not a row of the candidate table\n"
              "2 errors; nothing written\n", cand, fx->csv);
    assert_int_equal(choose(fx, "--candidates", cand, (char *)NULL), 1);
    assert_string_equal(fx->err_text, want);
    assert_false(exists(fx->table));
    assert_false(exists(fx->rules));
    assert_false(exists(fx->report));
}

/* ------------------------------------------------------------- round trip */

/* The written table and rules are read by skinnygen itself, which lists
 * the kept rows (TILE and MMA) in its dispatch order. */
static void test_table_round_trips_through_skinnygen(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX];
    FMT(cand, "%s/cand.def", fx->dir);
    write_file(cand, "TILE(1, 32, 16, 2, 2)\nMMA(1, 32, 8, 2, 4)\nMMA(1, 32, 4, 1, 4)\nTILE(9, 32, 8, 2, 2)\n");
    write_file(fx->csv, HEADER "dev,bf16,1,4096,4096,n1_w32_g16_y2_u2,50,100,ok\n"
                               "dev,bf16,1,4096,4096,n1_w32_g8_m2_u4,60,100,ok\n"
                               "dev,bf16,1,8192,4096,n1_w32_g16_y2_u2,60,100,ok\n"
                               "dev,bf16,1,8192,4096,n1_w32_g8_m2_u4,50,100,ok\n"
                               "dev,bf16,1,8192,4096,n1_w32_g4_m1_u4,70,100,ok\n"
                               "dev,bf16,9,8192,4096,n9_w32_g8_y2_u2,70,100,ok\n");
    assert_int_equal(choose(fx, "--candidates", cand, "--tolerance", "0", (char *)NULL), 0);
    char *args[] = {"--spec", fx->table, "--rules", fx->rules, "--list", NULL};
    const int rc = run_exe(fx, g_skinnygen, args);
    if (rc) fprintf(stderr, "%s", fx->err_text);
    assert_int_equal(rc, 0);
    assert_string_equal(fx->out_text, "n1_w32_g16_y2_u2 1 32 16 2 2\n"
                                      "n1_w32_g8_m2_u4 1 32 8 2 4\n"
                                      "n9_w32_g8_y2_u2 9 32 8 2 2\n");
}

/* Rows no measurement names (here an AMD wave-64 row, measured on an
 * NVIDIA GPU) are dropped by default and kept, marked, with
 * --keep-unmeasured; the flag needs --candidates. */
static void test_keep_unmeasured_rows(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX];
    FMT(cand, "%s/cand.def", fx->dir);
    write_file(cand, "TILE(1, 64, 16, 2, 2)\nMMA(1, 32, 8, 1, 4)\nMMA(1, 32, 4, 1, 4)\n");
    write_file(fx->csv, HEADER "dev,bf16,1,4096,4096,n1_w32_g8_m1_u4,50,100,ok\n"
                               "dev,bf16,1,4096,4096,n1_w32_g4_m1_u4,70,100,ok\n");
    assert_int_equal(choose(fx, "--candidates", cand, (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(1, 32, 8, 1, 4)\n");
    free(rows);
    char *report = slurp(fx->report, NULL);
    assert_non_null(strstr(report, "**Never measured, so not kept**"));
    assert_non_null(strstr(report, "`n1_w64_g16_y2_u2`"));
    free(report);

    assert_int_equal(choose(fx, "--candidates", cand, "--keep-unmeasured", (char *)NULL), 0);
    rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(1, 64, 16, 2, 2)\nMMA(1, 32, 8, 1, 4)\n");
    free(rows);
    char *table = slurp(fx->table, NULL);
    report = slurp(fx->report, NULL);
    assert_int_equal(count(table, "// not measured (kept by --keep-unmeasured)"), 1);
    assert_non_null(strstr(report, "kept without measurement (--keep-unmeasured): 1 candidate rows"));
    assert_null(strstr(report, "Never measured"));
    free(table), free(report);

    assert_int_equal(choose(fx, "--keep-unmeasured", (char *)NULL), 2);
    assert_non_null(strstr(fx->err_text, "--keep-unmeasured needs --candidates"));
}

/* The --keep tests' start: candidates `cand_text` (written to cand) and a
 * cell where the MMA row beats the wave-32 TILE row, so that without
 * --keep the table is the MMA row alone. keep gets the --keep file's path. */
static void keep_case(fixture *fx, char cand[PATH_MAX], char keep[PATH_MAX], const char *cand_text)
{
    assert_true(snprintf(cand, PATH_MAX, "%s/cand.def", fx->dir) < PATH_MAX); /* arrays: no FMT */
    assert_true(snprintf(keep, PATH_MAX, "%s/keep.def", fx->dir) < PATH_MAX);
    write_file(cand, cand_text);
    write_file(fx->csv, HEADER "dev,bf16,1,4096,4096,n1_w32_g8_m1_u4,50,100,ok\n"
                               "dev,bf16,1,4096,4096,n1_w32_g16_y2_u2,70,100,ok\n");
    assert_int_equal(choose(fx, "--candidates", cand, (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(1, 32, 8, 1, 4)\n");
    free(rows);
}

/* A --keep row stays even where it loses (a wave-32 TILE row, slower here
 * than the MMA row, that an RDNA GPU would run), marked in the table and
 * counted in the report; a --keep row that is no candidate is added; the
 * rules still name each cell's fastest kept row. */
static void test_keep_named_rows(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX], keep[PATH_MAX];
    keep_case(fx, cand, keep, "TILE(1, 32, 16, 2, 2)\nMMA(1, 32, 8, 1, 4)\n");
    write_file(keep, "// for RDNA\nTILE(1, 32, 16, 2, 2)\nTILE(2, 64, 16, 2, 2)\n");
    assert_int_equal(choose(fx, "--candidates", cand, "--keep", keep, (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "TILE(1, 32, 16, 2, 2)\nMMA(1, 32, 8, 1, 4)\nTILE(2, 64, 16, 2, 2)\n");
    free(rows);
    char *table = slurp(fx->table, NULL), *report = slurp(fx->report, NULL), *rules = slurp(fx->rules, NULL);
    assert_int_equal(count(table, ", not by measurement"), 2);
    assert_non_null(strstr(report, "whatever was measured: 2 rows"));
    assert_non_null(strstr(rules, "n1_w32_g8_m1_u4"));
    assert_null(strstr(rules, "n1_w32_g16_y2_u2"));
    free(table), free(report), free(rules);
}

/* --heuristic: on 8192x4096 the cover keeps a one-tile row of 8 waves,
 * whose 512 blocks are not all resident, so the heuristic prefers two tiles
 * (a 16-wave two-tile row kept for 2048x4096, which does not fit its blocks
 * there: 1.21x the best time).
 * Adding the 8-wave two-tile row (it fits, so the heuristic takes it; 1.03x)
 * mends it; the row is marked and the report gives the bound reached. */
static void test_heuristic_rows_added(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX];
    FMT(cand, "%s/cand.def", fx->dir);
    write_file(cand, "MMA(9, 32, 16, 2, 2)\nMMA(9, 32, 8, 2, 2)\nMMA(9, 32, 8, 1, 2)\n");
    write_file(fx->csv, HEADER "nvidia_x,bf16,9,8192,4096,n9_w32_g16_m2_u2,60,100,ok\n"
                               "nvidia_x,bf16,9,8192,4096,n9_w32_g8_m2_u2,51,100,ok\n"
                               "nvidia_x,bf16,9,8192,4096,n9_w32_g8_m1_u2,49.5,100,ok\n"
                               "nvidia_x,bf16,9,2048,4096,n9_w32_g16_m2_u2,10,100,ok\n"
                               "nvidia_x,bf16,9,2048,4096,n9_w32_g8_m2_u2,12,100,ok\n"
                               "nvidia_x,bf16,9,2048,4096,n9_w32_g8_m1_u2,10.5,100,ok\n");
    assert_int_equal(choose(fx, "--candidates", cand, (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(9, 32, 16, 2, 2)\nMMA(9, 32, 8, 1, 2)\n");
    free(rows);
    assert_int_equal(choose(fx, "--candidates", cand, "--heuristic", "132", (char *)NULL), 0);
    rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(9, 32, 16, 2, 2)\nMMA(9, 32, 8, 2, 2)\nMMA(9, 32, 8, 1, 2)\n");
    free(rows);
    char *table = slurp(fx->table, NULL), *report = slurp(fx->report, NULL), *rules = slurp(fx->rules, NULL);
    assert_int_equal(count(table, "// kept for the rule-free picks (--heuristic): the heuristic's in 1 cell,"), 1);
    assert_non_null(strstr(report, "(--heuristic 132): 1 rows; afterwards the heuristic's pick (GPUs without "
                                   "measured rules) is at most 1.050x the best candidate (bound 1.10)"));
    assert_non_null(strstr(report, "0 bounds still broken"));
    /* The rules still run each cell's fastest row. */
    assert_non_null(strstr(rules, "MEASURED(nvidia_x, 9, 32, bf16, 8192, 4096, n9_w32_g8_m1_u2)"));
    free(table), free(report), free(rules);
}

/* Where no single row mends the heuristic (it prefers two tiles at
 * 4096x4096, where the 16-wave one-tile blocks are not all resident, and
 * one at 1024x4096, and the fast rows are the others), the
 * report names the cells and their ratios. */
static void test_heuristic_broken_cells_reported(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX];
    FMT(cand, "%s/cand.def", fx->dir);
    write_file(cand, "MMA(9, 32, 16, 2, 2)\nMMA(9, 32, 4, 2, 2)\nMMA(9, 32, 16, 1, 2)\n");
    write_file(fx->csv, HEADER "nvidia_x,bf16,9,4096,4096,n9_w32_g16_m2_u2,60,100,ok\n"
                               "nvidia_x,bf16,9,4096,4096,n9_w32_g4_m2_u2,50,100,ok\n"
                               "nvidia_x,bf16,9,4096,4096,n9_w32_g16_m1_u2,49,100,ok\n"
                               "nvidia_x,bf16,9,1024,4096,n9_w32_g16_m2_u2,10,100,ok\n"
                               "nvidia_x,bf16,9,1024,4096,n9_w32_g4_m2_u2,15,100,ok\n"
                               "nvidia_x,bf16,9,1024,4096,n9_w32_g16_m1_u2,14,100,ok\n");
    assert_int_equal(choose(fx, "--candidates", cand, "--heuristic", "132", "--invariant-min", "0", (char *)NULL), 0);
    char *report = slurp(fx->report, NULL);
    assert_non_null(strstr(report, "2 bounds still broken (no single row helped):"));
    assert_non_null(strstr(report, "  - nvidia_x bf16 n=9 4096x4096: heuristic's pick 1.224x the best candidate's time"));
    assert_non_null(strstr(report, "  - nvidia_x bf16 n=9 1024x4096: heuristic's pick 1.400x the best candidate's time"));
    free(report);
    assert_int_equal(choose(fx, "--heuristic", "0", (char *)NULL), 2);
    assert_non_null(strstr(fx->err_text, "--heuristic takes the CU/SM count"));
}

/* The batch-invariant mode takes N = 16's split (4 waves) at N = 1; the
 * one-tile 4-wave row has too many blocks for 16384x4096 (1.2x the fastest
 * row), the two-tile one fits (1.03x): --heuristic keeps that one, and
 * --invariant-splits then has nothing to add. Without --heuristic,
 * --invariant-splits adds the cheapest 4-wave row by name, the slow one. */
static void test_heuristic_keeps_invariant_fit(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX];
    FMT(cand, "%s/cand.def", fx->dir);
    write_file(cand, "MMA(1, 32, 8, 1, 4)\nMMA(1, 32, 4, 1, 4)\nMMA(1, 32, 4, 2, 2)\nMMA(16, 32, 4, 2, 2)\n");
    write_file(fx->csv, HEADER "nvidia_x,bf16,1,16384,4096,n1_w32_g8_m1_u4,100,200,ok\n"
                               "nvidia_x,bf16,1,16384,4096,n1_w32_g4_m1_u4,120,200,ok\n"
                               "nvidia_x,bf16,1,16384,4096,n1_w32_g4_m2_u2,103,200,ok\n"
                               "nvidia_x,bf16,16,16384,4096,n16_w32_g4_m2_u2,100,200,ok\n");
    assert_int_equal(choose(fx, "--candidates", cand, "--invariant-splits", (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(1, 32, 8, 1, 4)\nMMA(1, 32, 4, 1, 4)\nMMA(16, 32, 4, 2, 2)\n");
    free(rows);
    assert_int_equal(choose(fx, "--candidates", cand, "--invariant-splits", "--heuristic", "132", (char *)NULL), 0);
    rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(1, 32, 8, 1, 4)\nMMA(1, 32, 4, 2, 2)\nMMA(16, 32, 4, 2, 2)\n");
    free(rows);
    char *report = slurp(fx->report, NULL);
    assert_non_null(strstr(report, "the batch-invariant mode's pick at least 0.971x the speed of the fastest kept row"));
    free(report);
}

/* N = 16 keeps a 4-wave and an 8-wave row (each best in one cell); N = 1
 * needs only its 8-wave row. --invariant-splits adds N = 1's cheapest
 * 4-wave row, marked, so the batch-invariant mode finds either split; N = 2
 * has no 4-wave candidate, which the report names. */
static void test_invariant_splits(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX];
    FMT(cand, "%s/cand.def", fx->dir);
    write_file(cand, "MMA(1, 32, 4, 1, 4)\nMMA(1, 32, 4, 2, 2)\nMMA(1, 32, 8, 1, 4)\nMMA(2, 32, 8, 1, 4)\n"
                     "MMA(16, 32, 4, 2, 2)\nMMA(16, 32, 8, 2, 2)\n");
    write_file(fx->csv, HEADER "dev,bf16,1,4096,4096,n1_w32_g8_m1_u4,50,100,ok\n"
                               "dev,bf16,1,4096,4096,n1_w32_g4_m1_u4,70,100,ok\n"
                               "dev,bf16,1,4096,4096,n1_w32_g4_m2_u2,80,100,ok\n"
                               "dev,bf16,2,4096,4096,n2_w32_g8_m1_u4,50,100,ok\n"
                               "dev,bf16,16,4096,4096,n16_w32_g4_m2_u2,50,100,ok\n"
                               "dev,bf16,16,4096,4096,n16_w32_g8_m2_u2,70,100,ok\n"
                               "dev,bf16,16,8192,4096,n16_w32_g4_m2_u2,90,100,ok\n"
                               "dev,bf16,16,8192,4096,n16_w32_g8_m2_u2,60,100,ok\n");
    assert_int_equal(choose(fx, "--candidates", cand, "--tolerance", "0", (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(1, 32, 8, 1, 4)\nMMA(2, 32, 8, 1, 4)\nMMA(16, 32, 4, 2, 2)\nMMA(16, 32, 8, 2, 2)\n");
    free(rows);

    assert_int_equal(choose(fx, "--candidates", cand, "--tolerance", "0", "--invariant-splits", (char *)NULL), 0);
    rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(1, 32, 4, 1, 4)\nMMA(1, 32, 8, 1, 4)\nMMA(2, 32, 8, 1, 4)\n"
                              "MMA(16, 32, 4, 2, 2)\nMMA(16, 32, 8, 2, 2)\n");
    free(rows);
    char *table = slurp(fx->table, NULL), *report = slurp(fx->report, NULL);
    assert_int_equal(count(table, "(--invariant-splits)"), 1);
    assert_non_null(strstr(report, "(--invariant-splits): 1 rows"));
    assert_non_null(strstr(report, "no candidate offers n=2 wave=32 waves=4"));
    free(table), free(report);
}

/* MMA_FP8 lines (fp8 weights, which --tune does not measure) are no
 * candidates: skipped in --candidates, counted in the report; from --keep
 * they are copied to the end of the table as written (spacing normalized,
 * duplicates once), and skinnygen reads that table back. A malformed
 * MMA_FP8 line is still an error. */
static void test_fp8_rows_skipped_and_kept(void **state)
{
    fixture *fx = *state;
    char cand[PATH_MAX], keep[PATH_MAX];
    keep_case(fx, cand, keep, "TILE(1, 32, 16, 2, 2)\nMMA_FP8(1, 32, 8, 1, 2)\nMMA(1, 32, 8, 1, 4)\n");
    char *report = slurp(fx->report, NULL);
    assert_non_null(strstr(report, "- skipped: 1 MMA_FP8 candidate lines"));
    free(report);

    write_file(keep, "// fp8\nMMA_FP8(1, 32, 8, 1, 2)\nMMA_FP8( 2,32,16,1,2 ) // n = 2\nMMA_FP8(1, 32, 8, 1, 2)\n");
    assert_int_equal(choose(fx, "--candidates", cand, "--keep", keep, (char *)NULL), 0);
    char *rows = row_lines(fx->table);
    assert_string_equal(rows, "MMA(1, 32, 8, 1, 4)\nMMA_FP8(1, 32, 8, 1, 2)\nMMA_FP8(2, 32, 16, 1, 2)\n");
    free(rows);
    char *table = slurp(fx->table, NULL);
    report = slurp(fx->report, NULL);
    assert_int_equal(count(table, "not by measurement: MMA_FP8 rows (fp8 weights)"), 1);
    assert_non_null(strstr(report, "not chosen: 2 MMA_FP8 rows"));
    free(table), free(report);
    char *args[] = {"--spec", fx->table, "--rules", fx->rules, "--list", NULL};
    const int rc = run_exe(fx, g_skinnygen, args);
    if (rc) fprintf(stderr, "%s", fx->err_text);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(fx->out_text, "n1_w32_g8_m1_u4 "));
    assert_non_null(strstr(fx->out_text, "n1_w32_g8_f1_u2 "));
    assert_non_null(strstr(fx->out_text, "n2_w32_g16_f1_u2 "));

    write_file(keep, "MMA_FP8(1, 32, 8, 1)\n");
    char want[1024];
    FMT(want, "%s:1: error: malformed row: expected MMA_FP8(n, wave, waves_per_group, mtiles, unroll) with "
              "positive integers\n1 error; nothing written\n", keep);
    assert_int_equal(choose(fx, "--candidates", cand, "--keep", keep, (char *)NULL), 1);
    assert_string_equal(fx->err_text, want);
}

static void test_missing_gnuplot_skips_chart(void **state)
{
    fixture *fx = *state;
    write_file(fx->csv, TOL_CSV);
    char png[PATH_MAX];
    FMT(png, "%s/curve.png", fx->dir);
    setenv("SKINNY_GNUPLOT", "/nonexistent/gnuplot", 1);
    const int rc = choose(fx, "--curve", png, (char *)NULL);
    unsetenv("SKINNY_GNUPLOT");
    assert_int_equal(rc, 0);
    assert_false(exists(png));
    assert_non_null(strstr(fx->err_text, "gnuplot not found"));
    char *rep = slurp(fx->report, NULL);
    assert_non_null(strstr(rep, "No chart: gnuplot was not found"));
    free(rep);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SKINNY_CHOOSE SKINNYGEN TESTDATA_DIR\n", argv[0]);
        return 2;
    }
    g_choose = argv[1], g_skinnygen = argv[2], g_data = argv[3];
    setenv("SOURCE_DATE_EPOCH", "1764288000", 1);
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_exact_cover_is_minimal),      T(test_greedy_fallback_says_so),
        T(test_tolerance_allows_one_row),    T(test_tolerance_is_never_exceeded),
        T(test_lost_cells_get_none),         T(test_wrong_rows_never_chosen),
        T(test_tie_broken_by_name),          T(test_tie_broken_by_compile_seconds),
        T(test_malformed_reports_file_line), T(test_malformed_header_and_candidates),
        T(test_table_round_trips_through_skinnygen),
        T(test_keep_unmeasured_rows), T(test_keep_named_rows), T(test_invariant_splits),
        T(test_heuristic_rows_added), T(test_heuristic_broken_cells_reported), T(test_heuristic_keeps_invariant_fit),
        T(test_fp8_rows_skipped_and_kept),   T(test_missing_gnuplot_skips_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
