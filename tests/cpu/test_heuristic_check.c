/* test_heuristic_check.c - skinny-heuristic-check (tools/choose/heuristic.c)
 * on synthetic measurements of this build's table: equal rows pass; the
 * heuristic's own row made slow fails, naming the cell and the ratio; a
 * cell that never measured the heuristic's row is an error; bad options are
 * usage errors; fp8-weight cells are graded on the MMA_FP8 rows alone.
 * Arguments: the tool, the table the library was built from.
 * The N = 1, wave-32 slice is used: the default table and the test tables
 * all have one. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "run_capture.h"

static const char *g_tool, *g_table;

#define HEADER "device,dtype,n,m,k,row,us,cublas_us,check\n"

typedef struct fixture {
    char dir[512], csv[PATH_MAX];
    char *out, *err;
    char rows[64][64]; /* the table's N = 1, wave-32 rows */
    int nrows;
    char fp8rows[64][64]; /* its N = 1, wave-32 MMA_FP8 rows */
    int nfp8;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx) return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(fx->dir, sizeof fx->dir, "%s/skinny-heur-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fx->dir)) return -1;
    snprintf(fx->csv, sizeof fx->csv, "%s/m.csv", fx->dir);
    FILE *f = fopen(g_table, "r");
    if (!f) return -1;
    char line[512];
    while (fgets(line, sizeof line, f) && fx->nrows < 64) {
        char kind[8];
        int n, wave, group, tiles, unroll;
        if (sscanf(line, " MMA_FP8 ( %d , %d , %d , %d , %d )", &n, &wave, &group, &tiles, &unroll) == 5) {
            if (n == 1 && wave == 32 && fx->nfp8 < 64)
                snprintf(fx->fp8rows[fx->nfp8++], 64, "n1_w32_g%d_f%d_u%d", group, tiles, unroll);
            continue;
        }
        if (sscanf(line, " %7[A-Z] ( %d , %d , %d , %d , %d )", kind, &n, &wave, &group, &tiles, &unroll) != 6)
            continue;
        if (n != 1 || wave != 32 || (strcmp(kind, "TILE") && strcmp(kind, "MMA"))) continue;
        snprintf(fx->rows[fx->nrows++], 64, "n1_w32_g%d_%c%d_u%d", group, kind[0] == 'M' ? 'm' : 'y', tiles, unroll);
    }
    fclose(f);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    unlink(fx->csv);
    rmdir(fx->dir);
    free(fx->out), free(fx->err), free(fx);
    return 0;
}

/* One cell (bf16, N = 1, 4096 x 4096): every row of the slice at `us`,
 * except `slow` (if not NULL) at `slow_us` and `skip` (if not NULL) left out. */
static void write_cell(fixture *fx, double us, const char *slow, double slow_us, const char *skip)
{
    FILE *f = fopen(fx->csv, "w");
    assert_non_null(f);
    fputs(HEADER, f);
    for (int i = 0; i < fx->nrows; i++) {
        if (skip && !strcmp(fx->rows[i], skip)) continue;
        fprintf(f, "dev,bf16,1,4096,4096,%s,%.3f,20.000,ok\n", fx->rows[i],
                slow && !strcmp(fx->rows[i], slow) ? slow_us : us);
    }
    fclose(f);
}

static int check(fixture *fx)
{
    char *args[] = {"--measure", fx->csv, "--table", (char *)g_table, "--list", NULL};
    free(fx->out), free(fx->err);
    fx->out = fx->err = NULL;
    return run_capture(fx->dir, g_tool, args, &fx->out, &fx->err);
}

/* The heuristic's row in the cell, read from --list ("  R  dev bf16 n=1 4096x4096: ROW (...)"). */
static void heuristic_row(fixture *fx, char *row, size_t len)
{
    if (!fx->nrows) skip(); /* a table without N = 1 wave-32 rows */
    write_cell(fx, 10.0, NULL, 0, NULL);
    assert_int_equal(check(fx), 0);
    const char *p = strstr(fx->out, "4096x4096: ");
    assert_non_null(p);
    p += strlen("4096x4096: ");
    size_t n = strcspn(p, " ");
    assert_true(n > 0 && n < len);
    memcpy(row, p, n);
    row[n] = '\0';
}

static void test_equal_rows_pass(void **state)
{
    fixture *fx = *state;
    if (!fx->nrows) skip(); /* a table without N = 1 wave-32 rows */
    write_cell(fx, 10.0, NULL, 0, NULL);
    assert_int_equal(check(fx), 0);
    assert_non_null(strstr(fx->out, "1 cells"));
    assert_non_null(strstr(fx->out, "worst 1.000, 0 above 1.05, 0 above 1.10"));
    assert_non_null(strstr(fx->out, "speedup of the heuristic's rows over cuBLAS 2.0000"));
}

static void test_slow_heuristic_row_fails(void **state)
{
    fixture *fx = *state;
    char row[64];
    heuristic_row(fx, row, sizeof row);
    if (fx->nrows < 2) skip(); /* nothing to compare against */
    write_cell(fx, 10.0, row, 20.0, NULL);
    assert_int_equal(check(fx), 1);
    assert_non_null(strstr(fx->out, "worst 2.000"));
    char want[160];
    snprintf(want, sizeof want, "  2.000  dev bf16 n=1 4096x4096: %s (1.00x cuBLAS)", row);
    assert_non_null(strstr(fx->out, want));
    /* A looser bound lets it pass. */
    free(fx->out), free(fx->err);
    fx->out = fx->err = NULL;
    char *args[] = {"--measure", fx->csv, "--table", (char *)g_table, "--max", "2.5", NULL};
    assert_int_equal(run_capture(fx->dir, g_tool, args, &fx->out, &fx->err), 0);
}

static void test_unmeasured_heuristic_row_is_an_error(void **state)
{
    fixture *fx = *state;
    char row[64];
    heuristic_row(fx, row, sizeof row);
    if (fx->nrows < 2) skip();
    write_cell(fx, 10.0, NULL, 0, row);
    assert_int_equal(check(fx), 1);
    assert_non_null(strstr(fx->err, "did not measure (build the library from --table)"));
    assert_non_null(strstr(fx->err, row));
}

/* --skip-unmeasured: the same cell is listed as not graded and left out of
 * the verdict (exit 0 with no cell graded), not an error. */
static void test_unmeasured_heuristic_row_skipped_on_request(void **state)
{
    fixture *fx = *state;
    char row[64];
    heuristic_row(fx, row, sizeof row);
    if (fx->nrows < 2) skip();
    write_cell(fx, 10.0, NULL, 0, row);
    free(fx->out), free(fx->err);
    fx->out = fx->err = NULL;
    char *args[] = {"--measure", fx->csv, "--table", (char *)g_table, "--skip-unmeasured", NULL};
    assert_int_equal(run_capture(fx->dir, g_tool, args, &fx->out, &fx->err), 0);
    char want[160];
    snprintf(want, sizeof want, "not graded: dev bf16 n=1 4096x4096: the heuristic's %s was not measured there", row);
    assert_non_null(strstr(fx->out, want));
    assert_non_null(strstr(fx->out, "0 cells"));
    assert_non_null(strstr(fx->out, "not graded: 1 cells whose measurements lack the heuristic's row"));
}

static void test_bad_options(void **state)
{
    fixture *fx = *state;
    if (!fx->nrows) skip(); /* a table without N = 1 wave-32 rows */
    write_cell(fx, 10.0, NULL, 0, NULL);
    char *args[] = {"--measure", fx->csv, "--table", (char *)g_table, "--max", "0.5", NULL};
    free(fx->out), free(fx->err);
    fx->out = fx->err = NULL;
    assert_int_equal(run_capture(fx->dir, g_tool, args, &fx->out, &fx->err), 2);
    assert_non_null(strstr(fx->err, "--max is a ratio >= 1"));
    char *args2[] = {"--measure", fx->csv, NULL};
    assert_int_equal(run_capture(fx->dir, g_tool, args2, &fx->out, &fx->err), 2);
    assert_non_null(strstr(fx->err, "--measure and --table are required"));
}

/* MMA_FP8 rows of --table take part only in fp8-weight cells: rows the
 * library lacks, appended to the table, leave a 16-bit cell's verdict as
 * it was. */
static void test_fp8_rows_leave_16bit_cells_alone(void **state)
{
    fixture *fx = *state;
    if (!fx->nrows) skip(); /* a table without N = 1 wave-32 rows */
    write_cell(fx, 10.0, NULL, 0, NULL);
    assert_int_equal(check(fx), 0);
    char *want = strdup(fx->out);
    assert_non_null(want);
    char table[PATH_MAX + 16];
    snprintf(table, sizeof table, "%s/t.def", fx->dir);
    FILE *in = fopen(g_table, "r"), *out = fopen(table, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[512];
    while (fgets(line, sizeof line, in)) fputs(line, out);
    fputs("MMA_FP8(1, 32, 16, 4, 1)\nMMA_FP8(1, 32, 4, 1, 1) // not in the library\n", out);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    char *args[] = {"--measure", fx->csv, "--table", table, "--list", NULL};
    free(fx->out), free(fx->err);
    fx->out = fx->err = NULL;
    const int rc = run_capture(fx->dir, g_tool, args, &fx->out, &fx->err);
    unlink(table);
    assert_int_equal(rc, 0);
    /* The same verdict; only the table's name in the summary differs. */
    const char *a = strstr(want, ": "), *b = strstr(fx->out, ": ");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(want);
}

/* One fp8-weight cell (fp8w-bf16, N = 1, 4096 x 4096): every MMA_FP8 row
 * of the slice at 10 us, `slow` (if not NULL) at 30 us. */
static void write_fp8_cell(fixture *fx, const char *slow)
{
    FILE *f = fopen(fx->csv, "w");
    assert_non_null(f);
    fputs(HEADER, f);
    for (int i = 0; i < fx->nfp8; i++)
        fprintf(f, "dev,fp8w-bf16,1,4096,4096,%s,%.3f,20.000,ok\n", fx->fp8rows[i],
                slow && !strcmp(fx->fp8rows[i], slow) ? 30.0 : 10.0);
    fclose(f);
}

/* The heuristic's MMA_FP8 row made slow fails, naming the fp8 cell. */
static void test_fp8_cell_graded(void **state)
{
    fixture *fx = *state;
    if (fx->nfp8 < 2) skip(); /* a table without a choice of fp8 rows */
    write_fp8_cell(fx, NULL);
    assert_int_equal(check(fx), 0);
    assert_non_null(strstr(fx->out, "1 cells"));
    const char *p = strstr(fx->out, "fp8w-bf16 n=1 4096x4096: ");
    assert_non_null(p);
    p += strlen("fp8w-bf16 n=1 4096x4096: ");
    char row[64];
    const size_t n = strcspn(p, " ");
    assert_true(n > 0 && n < sizeof row);
    memcpy(row, p, n);
    row[n] = '\0';
    assert_non_null(strstr(row, "_f")); /* an MMA_FP8 row */
    write_fp8_cell(fx, row);
    assert_int_equal(check(fx), 1);
    assert_non_null(strstr(fx->out, "worst 3.000"));
}

/* A 16-bit row in an fp8-weight cell is a file error. */
static void test_fp8_cell_with_16bit_row_is_an_error(void **state)
{
    fixture *fx = *state;
    if (!fx->nrows) skip();
    FILE *f = fopen(fx->csv, "w");
    assert_non_null(f);
    fprintf(f, HEADER "dev,fp8w-fp16,1,4096,4096,%s,10.000,20.000,ok\n", fx->rows[0]);
    fclose(f);
    assert_int_equal(check(fx), 1);
    assert_non_null(strstr(fx->err, "takes 16-bit weights, but the cell's dtype is fp8w-fp16"));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s SKINNY_HEURISTIC_CHECK TILES_DEF\n", argv[0]);
        return 2;
    }
    g_tool = argv[1];
    g_table = argv[2];
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {T(test_equal_rows_pass), T(test_slow_heuristic_row_fails),
                                       T(test_unmeasured_heuristic_row_is_an_error),
        T(test_unmeasured_heuristic_row_skipped_on_request), T(test_bad_options),
                                       T(test_fp8_rows_leave_16bit_cells_alone), T(test_fp8_cell_graded),
                                       T(test_fp8_cell_with_16bit_row_is_an_error)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
