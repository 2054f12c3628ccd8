/* test_spec_rules.c - every syntax and validation rule of tiles.def, checked
 * through the generator's own API (spec_parse + spec_validate) on in-memory
 * tables. Each case asserts the exact text spec_print_diags prints
 * ("PATH:LINE:COL: error: MSG"), so a moved column or a reworded message
 * fails here, not in a user's terminal. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spec.h"

#define PATH "tiles.def"
/* The hint every unknown-token message ends with. */
#define LOOKS_LIKE \
    "; rows look like TILE(n, wave, waves_per_group, ytile, unroll), MMA(n, wave, " \
    "waves_per_group, mtiles, unroll) or MMA_FP8(n, wave, waves_per_group, mtiles, unroll)"
#define TAKES_5 "TILE takes 5 fields (n, wave, waves_per_group, ytile, unroll), got "

/* One table-driven case: the table text, every diagnostic expected (in the
 * order printed, each line ending in '\n'; "" for none), and how many rows
 * survive parsing and validation. */
typedef struct rule_case {
    const char *name;
    const char *text;
    const char *diags;
    size_t rows;
} rule_case;

static rule_case cases[] = {
    /* ---- unknown tokens: anything that does not start with TILE( */
    {"unknown_token_misspelled", "TILES(1, 64, 16, 2, 2)\n",
     PATH ":1:1: error: unknown token 'TILES'" LOOKS_LIKE "\n", 0},
    {"unknown_token_lowercase", "tile(1, 64, 16, 2, 2)\n",
     PATH ":1:1: error: unknown token 'tile'" LOOKS_LIKE "\n", 0},
    {"unknown_token_starts_with_digit", "  1, 64, 16, 2, 2\n",
     PATH ":1:3: error: unknown token '1'" LOOKS_LIKE "\n", 0},
    {"unknown_token_preprocessor_line", "#define TILE(a, b, c, d, e)\n",
     PATH ":1:1: error: unknown token '#define'" LOOKS_LIKE "\n", 0},

    /* ---- malformed rows */
    {"malformed_missing_open_paren", "TILE 1, 64, 16, 2, 2)\n",
     PATH ":1:6: error: malformed row: expected '(' after TILE\n", 0},
    {"malformed_bare_tile", "TILE\n",
     PATH ":1:5: error: malformed row: expected '(' after TILE\n", 0},
    {"malformed_missing_close_paren", "TILE(1, 64, 16, 2, 2\n",
     PATH ":1:21: error: malformed row: expected ')' at end of row\n", 0},
    {"malformed_empty_field", "TILE(1, , 16, 2, 2)\n",
     PATH ":1:9: error: malformed row: empty field\n", 0},
    {"malformed_trailing_comma", "TILE(1, 64, 16, 2, )\n",
     PATH ":1:20: error: malformed row: empty field\n", 0},
    {"malformed_missing_comma", "TILE(1 64, 16, 2, 2)\n",
     PATH ":1:8: error: malformed row: expected ',' or ')' before '64'\n", 0},
    {"junk_after_row", "TILE(1, 64, 16, 2, 2) x\n",
     PATH ":1:23: error: unexpected 'x' after row\n", 0},
    {"junk_semicolon_after_row", "TILE(1, 64, 16, 2, 2);\n",
     PATH ":1:22: error: unexpected ';' after row\n", 0},

    /* ---- field count: reported at the '(' */
    {"four_fields", "TILE(1, 64, 16, 2)\n", PATH ":1:5: error: " TAKES_5 "4\n", 0},
    {"six_fields", "TILE(1, 64, 16, 2, 2, 1)\n", PATH ":1:5: error: " TAKES_5 "6\n", 0},
    {"no_fields", "TILE()\n", PATH ":1:5: error: " TAKES_5 "0\n", 0},

    /* ---- decimal integers only, reported at the field */
    {"non_integer_x6", "TILE(1, x6, 16, 2, 2)\n",
     PATH ":1:9: error: wave must be an integer, got 'x6'\n", 0},
    {"non_integer_hex", "TILE(0x10, 64, 16, 2, 2)\n",
     PATH ":1:6: error: n must be an integer, got '0x10'\n", 0},
    {"non_integer_negative", "TILE(1, 64, 16, -1, 2)\n",
     PATH ":1:17: error: ytile must be an integer, got '-1'\n", 0},
    {"non_integer_two_fields", "TILE(a, b, 16, 2, 2)\n",
     PATH ":1:6: error: n must be an integer, got 'a'\n"
     PATH ":1:9: error: wave must be an integer, got 'b'\n", 0},

    /* ---- ranges (spec.h SPEC_FIELDS), reported at the field */
    {"n_zero", "TILE(0, 64, 16, 2, 2)\n", PATH ":1:6: error: n must be in 1..64, got 0\n", 0},
    {"n_65", "TILE(65, 64, 16, 2, 2)\n", PATH ":1:6: error: n must be in 1..64, got 65\n", 0},
    {"n_1_and_64_accepted", "TILE(1, 64, 16, 2, 2)\nTILE(64, 64, 16, 2, 2)\n", "", 2},
    {"wave_48", "TILE(1, 48, 16, 2, 2)\n", PATH ":1:9: error: wave must be 32 or 64, got 48\n", 0},
    {"wave_32_and_64_accepted", "TILE(1, 32, 16, 2, 2)\nTILE(1, 64, 16, 2, 2)\n", "", 2},
    {"waves_per_group_0", "TILE(1, 64, 0, 2, 2)\n",
     PATH ":1:13: error: waves_per_group must be in 1..16, got 0\n", 0},
    {"waves_per_group_17", "TILE(1, 64, 17, 2, 2)\n",
     PATH ":1:13: error: waves_per_group must be in 1..16, got 17\n", 0},
    {"ytile_0", "TILE(1, 64, 16, 0, 2)\n",
     PATH ":1:17: error: ytile must be in 1..16, got 0\n", 0},
    {"ytile_17", "TILE(1, 64, 16, 17, 2)\n",
     PATH ":1:17: error: ytile must be in 1..16, got 17\n", 0},
    {"unroll_0", "TILE(1, 64, 16, 2, 0)\n",
     PATH ":1:20: error: unroll must be in 1..8, got 0\n", 0},
    {"unroll_9", "TILE(1, 64, 16, 2, 9)\n",
     PATH ":1:20: error: unroll must be in 1..8, got 9\n", 0},
    {"range_edges_accepted", "TILE(1, 32, 1, 1, 1)\nTILE(64, 64, 16, 16, 8)\n", "", 2},
    /* Past INT_MAX the parser clamps; the message must still show the text. */
    {"huge_integer_out_of_range", "TILE(99999999999, 64, 16, 2, 2)\n",
     PATH ":1:6: error: n must be in 1..64, got 99999999999\n", 0},
    {"two_range_errors_in_column_order", "TILE(0, 64, 16, 2, 9)\n",
     PATH ":1:6: error: n must be in 1..64, got 0\n"
     PATH ":1:20: error: unroll must be in 1..8, got 9\n", 0},
    /* The validator also enforces wave x waves_per_group <= 1024, but the
     * ranges above already imply it (max 64 x 16 = 1024), so no table can
     * trigger it today; assert that the extreme is accepted. */
    {"wave_times_group_1024_accepted", "TILE(1, 64, 16, 2, 2)\n", "", 1},

    /* ---- MMA rows: their own field name (mtiles) and ranges */
    {"mma_row_accepted", "MMA(16, 32, 8, 2, 4)\nMMA(1, 64, 4, 1, 1)\n", "", 2},
    {"mma_range_edges_accepted", "MMA(1, 32, 1, 1, 1)\nMMA(16, 64, 16, 4, 8)\n", "", 2},
    {"mma_n_17", "MMA(17, 32, 8, 2, 4)\n", PATH ":1:5: error: n must be in 1..16, got 17\n", 0},
    {"mma_mtiles_5", "MMA(9, 32, 8, 5, 4)\n",
     PATH ":1:15: error: mtiles must be in 1..4, got 5\n", 0},
    {"mma_mtiles_not_integer", "MMA(9, 32, 8, y2, 4)\n",
     PATH ":1:15: error: mtiles must be an integer, got 'y2'\n", 0},
    {"mma_four_fields", "MMA(9, 32, 8, 2)\n",
     PATH ":1:4: error: MMA takes 5 fields (n, wave, waves_per_group, mtiles, unroll), got 4\n", 0},
    {"mma_missing_open_paren", "MMA 9\n", PATH ":1:5: error: malformed row: expected '(' after MMA\n", 0},
    /* Same numbers, other kind: two kernels (n2_w32_g8_y2_u4, n2_w32_g8_m2_u4). */
    {"mma_and_tile_same_numbers_accepted", "TILE(2, 32, 8, 2, 4)\nMMA(2, 32, 8, 2, 4)\n", "", 2},
    {"mma_duplicate_row", "MMA(2, 32, 8, 2, 4)\nMMA(2,32,8,2,4)\n",
     PATH ":2:1: error: duplicate row: same as line 1\n", 1},

    /* ---- MMA_FP8 rows (fp8 weights): mtiles, MMA's ranges, unroll 1..4 */
    {"fp8_row_accepted", "MMA_FP8(16, 32, 8, 2, 1)\nMMA_FP8(1, 64, 4, 1, 2)\n", "", 2},
    {"fp8_range_edges_accepted", "MMA_FP8(1, 32, 1, 1, 1)\nMMA_FP8(16, 64, 16, 4, 4)\n", "", 2},
    {"fp8_unroll_5", "MMA_FP8(1, 32, 8, 1, 5)\n",
     PATH ":1:22: error: unroll must be in 1..4, got 5\n", 0},
    {"fp8_n_17", "MMA_FP8(17, 32, 8, 2, 1)\n", PATH ":1:9: error: n must be in 1..16, got 17\n", 0},
    {"fp8_mtiles_5", "MMA_FP8(9, 32, 8, 5, 1)\n",
     PATH ":1:19: error: mtiles must be in 1..4, got 5\n", 0},
    {"fp8_four_fields", "MMA_FP8(9, 32, 8, 2)\n",
     PATH ":1:8: error: MMA_FP8 takes 5 fields (n, wave, waves_per_group, mtiles, unroll), got 4\n", 0},
    {"fp8_lowercase", "mma_fp8(1, 32, 8, 1, 2)\n", PATH ":1:1: error: unknown token 'mma_fp8'" LOOKS_LIKE "\n", 0},
    /* Same numbers, three kinds: three kernels (.._y2_.., .._m2_.., .._f2_..). */
    {"fp8_mma_tile_same_numbers_accepted",
     "TILE(2, 32, 8, 2, 4)\nMMA(2, 32, 8, 2, 4)\nMMA_FP8(2, 32, 8, 2, 4)\n", "", 3},
    {"fp8_duplicate_row", "MMA_FP8(2, 32, 8, 2, 1)\nMMA_FP8(2,32,8,2,1)\n",
     PATH ":2:1: error: duplicate row: same as line 1\n", 1},

    /* ---- cross-row rules, reported at the start of the later row */
    {"duplicate_row", "TILE(1, 64, 16, 2, 2)\n// between\nTILE(1, 64, 16, 2, 2)\n",
     PATH ":3:1: error: duplicate row: same as line 1\n", 1},
    {"duplicate_row_other_spacing", "TILE(1, 64, 16, 2, 2)\n\tTILE(1,64,16,2,2)\n",
     PATH ":2:2: error: duplicate row: same as line 1\n", 1},
    {"same_kernel_name", "TILE(5, 64, 16, 2, 2)\n  TILE(05, 64, 16, 2, 2)\n",
     PATH ":2:3: error: row produces kernel name 'n5_w64_g16_y2_u2', already produced by line 1\n",
     1},

    /* ---- whole-file behaviour */
    /* Errors from the parser (lines 3, 5) and the validator (line 1) are
     * collected separately; all are printed, sorted by line. */
    {"every_error_reported_in_line_order",
     "TILE(0, 64, 16, 2, 2)\nTILE(1, 64, 16, 2, 2)\nTILE(2, 64, 16, 2\n"
     "TILE(3, 64, 16, 2, 2)\nFOO\n",
     PATH ":1:6: error: n must be in 1..64, got 0\n"
     PATH ":3:18: error: malformed row: expected ')' at end of row\n"
     PATH ":5:1: error: unknown token 'FOO'" LOOKS_LIKE "\n", 2},
    {"comments_and_blank_lines_accepted",
     "// header\n\n   \t\n  TILE(1, 64, 16, 2, 2) // trailing\n\t// indented\n"
     "TILE(2,64,16,2,2)//tight\n",
     "", 2},
    {"crlf_accepted", "// c\r\nTILE(1, 64, 16, 2, 2)\r\n\r\nTILE(2, 64, 16, 2, 2) // x\r\n", "", 2},
    /* The '\r' must not leak into a message or shift a column. */
    {"crlf_errors_clean", "TILE(1, 64, 16, 2)\r\nTILE(1, 64, 16, 2, 2) x\r\n",
     PATH ":1:5: error: " TAKES_5 "4\n" PATH ":2:23: error: unexpected 'x' after row\n", 0},
    {"no_final_newline", "TILE(1, 64, 16, 2, 2)\nTILE(2, 64, 16, 2, 2)", "", 2},
    {"empty_table", "", "", 0},
    {"valid_rows_counted",
     "TILE(1, 64, 16, 2, 2)\nTILE(1, 64, 16, 3, 1)\nTILE(1, 32, 16, 2, 2)\n"
     "TILE(8, 32, 4, 4, 1)\nBAD\nTILE(9, 64, 1, 1, 1)\n",
     PATH ":5:1: error: unknown token 'BAD'" LOOKS_LIKE "\n", 5},
};

/* Parse + validate `text` as the file PATH numbered from first_line. */
static void load(spec *s, const char *text, int first_line)
{
    spec_init(s, PATH);
    spec_parse(s, text, first_line);
    spec_validate(s);
}

/* What spec_print_diags writes, as a heap string. */
static char *printed(const spec *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    spec_print_diags(s, f);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void run_case(void **state)
{
    const rule_case *c = *state;
    spec s;
    load(&s, c->text, 1);
    char *got = printed(&s);
    assert_string_equal(got, c->diags);
    assert_int_equal(s.nrows, c->rows);
    free(got);
    spec_free(&s);
}

/* Fields, line, columns and name of accepted rows are what --list, the
 * plan and later diagnostics use. Leading zeros do not reach the name. */
static void test_row_fields_recorded(void **state)
{
    (void)state;
    spec s;
    load(&s, "\n  TILE(3, 32, 4, 5, 6)\nTILE(001, 064, 016, 02, 02)\n", 1);
    assert_int_equal(s.ndiags, 0);
    assert_int_equal(s.nrows, 2);
    const spec_row *r = &s.rows[0];
    static const int v[] = {3, 32, 4, 5, 6}, col[] = {8, 11, 15, 18, 21};
    for (int f = 0; f < SPEC_FIELD_COUNT; f++) {
        assert_int_equal(r->v[f], v[f]);
        assert_int_equal(r->col[f], col[f]);
    }
    assert_int_equal(r->line, 2);
    assert_int_equal(r->row_col, 3);
    assert_string_equal(r->name, "n3_w32_g4_y5_u6");
    assert_int_equal(s.rows[1].line, 3);
    assert_string_equal(s.rows[1].name, "n1_w64_g16_y2_u2");
    spec_free(&s);
}

/* MMA_FP8 rows are named with 'f' before mtiles, and keep their kind. */
static void test_fp8_row_name(void **state)
{
    (void)state;
    spec s;
    load(&s, "MMA_FP8(9, 32, 8, 2, 1)\n", 1);
    assert_int_equal(s.ndiags, 0);
    assert_int_equal(s.nrows, 1);
    assert_int_equal(s.rows[0].kind, SPEC_KIND_MMA_FP8);
    assert_string_equal(s.rows[0].name, "n9_w32_g8_f2_u1");
    assert_string_equal(spec_kind_keyword(SPEC_KIND_MMA_FP8), "MMA_FP8");
    assert_string_equal(spec_row_field_name(SPEC_KIND_MMA_FP8, SPEC_FIELD_ytile), "mtiles");
    spec_free(&s);
}

/* skinnygen --add numbers its rows itself through first_line. */
static void test_first_line_offsets_numbering(void **state)
{
    (void)state;
    spec s;
    load(&s, "\nTILE(0, 64, 16, 2, 2)\n", 7);
    char *got = printed(&s);
    assert_string_equal(got, PATH ":8:6: error: n must be in 1..64, got 0\n");
    free(got);
    spec_free(&s);
}

/* skinnygen --add gives its rows line -N (the Nth --add); their
 * diagnostics, including cross-references, name --add:N and come after the
 * file's. */
static void test_add_rows_located_as_add(void **state)
{
    (void)state;
    spec s;
    spec_init(&s, PATH);
    spec_parse(&s, "TILE(1, 64, 16, 2, 2)\nTILE(0, 64, 16, 2, 2)\n", 1);
    const size_t file_rows = s.nrows;
    spec_parse(&s, "TILE(1, 48, 16, 2, 2)\nTILE(7, 32, 1, 1, 1)\nTILE(7, 32, 1, 1, 01)\n", 1);
    for (size_t i = file_rows; i < s.nrows; i++) /* as main.c does */
        s.rows[i].line = -(int)(i - file_rows + 1);
    spec_validate(&s);
    char *got = printed(&s);
    assert_string_equal(got,
                        PATH ":2:6: error: n must be in 1..64, got 0\n"
                        "--add:1:9: error: wave must be 32 or 64, got 48\n"
                        "--add:3:1: error: row produces kernel name 'n7_w32_g1_y1_u1', already "
                        "produced by --add:2\n");
    assert_int_equal(s.nrows, 2);
    free(got);
    spec_free(&s);
}

/* The names in messages come from this table; a reorder of SPEC_FIELDS
 * would silently mislabel every field message. */
static void test_field_names(void **state)
{
    (void)state;
    static const char *const names[] = {"n", "wave", "waves_per_group", "ytile", "unroll"};
    assert_int_equal(SPEC_FIELD_COUNT, 5);
    for (int f = 0; f < SPEC_FIELD_COUNT; f++) assert_string_equal(spec_field_name(f), names[f]);
    assert_string_equal(spec_field_name(-1), "?");
    assert_string_equal(spec_field_name(SPEC_FIELD_COUNT), "?");
}

int main(void)
{
    enum { NCASES = sizeof cases / sizeof cases[0] };
    struct CMUnitTest tests[NCASES + 5];
    for (size_t i = 0; i < NCASES; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, &cases[i]};
    tests[NCASES] = (struct CMUnitTest)cmocka_unit_test(test_row_fields_recorded);
    tests[NCASES + 1] = (struct CMUnitTest)cmocka_unit_test(test_first_line_offsets_numbering);
    tests[NCASES + 2] = (struct CMUnitTest)cmocka_unit_test(test_add_rows_located_as_add);
    tests[NCASES + 3] = (struct CMUnitTest)cmocka_unit_test(test_field_names);
    tests[NCASES + 4] = (struct CMUnitTest)cmocka_unit_test(test_fp8_row_name);
    return cmocka_run_group_tests_name("spec_rules", tests, NULL, NULL);
}
