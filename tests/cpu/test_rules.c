/* test_rules.c - specs/dispatch.def (MEASURED rows): one test per rule of
 * gen/rules.c, exact file:line:col messages, checked against a small table. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules.h"
#include "spec.h"

static const char *const table = "TILE(1, 32, 16, 2, 2)\nTILE(8, 32, 16, 4, 1)\nTILE(1, 64, 16, 2, 2)\n";

typedef struct rcase {
    const char *name, *text;
    size_t rules;        /* cells accepted */
    const char *diags;   /* exact printed diagnostics */
} rcase;

static const rcase cases[] = {
    {"valid rows, comments and blank lines",
     "// header\n\nMEASURED(1, 32, bf16, 4096, 4096, n1_w32_g16_y2_u2)  // best\n"
     "MEASURED(8, 32, fp16, 4096, 4096, none)\n", 2, ""},
    {"unknown token", "RULE(1, 32, bf16, 8, 8, none)\n", 0,
     "d.def:1:1: error: unknown token 'RULE(1, 32, bf16, 8, 8, '; rows look like MEASURED(n, wave, dtype, m, k, choice)\n"},
    {"missing ')'", "MEASURED(1, 32, bf16, 8, 8, none\n", 0,
     "d.def:1:33: error: malformed row: expected ')' at end of row\n"},
    {"wrong number of fields", "MEASURED(1, 32, bf16, 8, none)\n", 0,
     "d.def:1:9: error: MEASURED takes 6 fields (n, wave, dtype, m, k, choice), got 5\n"},
    {"non-integer m", "MEASURED(1, 32, bf16, x8, 8, none)\n", 0,
     "d.def:1:23: error: m must be a positive integer, got 'x8'\n"},
    {"k not a multiple of 8", "MEASURED(1, 32, bf16, 8, 12, none)\n", 0,
     "d.def:1:26: error: k must be a multiple of 8, got 12\n"},
    {"bad dtype", "MEASURED(1, 32, f32, 8, 8, none)\n", 0,
     "d.def:1:17: error: dtype must be bf16 or fp16, got 'f32'\n"},
    {"unknown kernel", "MEASURED(1, 32, bf16, 8, 8, n9_w32_g16_y2_u2)\n", 0,
     "d.def:1:29: error: choice 'n9_w32_g16_y2_u2' is not a kernel of the table (or 'none')\n"},
    {"kernel of another N or wave", "MEASURED(1, 32, bf16, 8, 8, n1_w64_g16_y2_u2)\n", 0,
     "d.def:1:29: error: kernel 'n1_w64_g16_y2_u2' serves n=1 wave=64, not n=1 wave=32\n"},
    {"cell measured twice",
     "MEASURED(1, 32, bf16, 8, 8, none)\nMEASURED(1, 32, bf16, 8, 8, n1_w32_g16_y2_u2)\n", 1,
     "d.def:2:1: error: cell measured twice: same as line 1\n"},
};

static void run_case(void **state)
{
    const rcase *c = *state;
    spec t, d;
    spec_init(&t, "tiles.def");
    spec_parse(&t, table, 1);
    spec_validate(&t);
    assert_int_equal(t.ndiags, 0);
    spec_init(&d, "d.def");
    rules r;
    rules_parse(&r, c->text, &t, &d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    spec_print_diags(&d, f);
    fclose(f);
    assert_string_equal(buf, c->diags);
    assert_int_equal(r.count, c->rules);
    free(buf);
    rules_free(&r);
    spec_free(&d);
    spec_free(&t);
}

int main(void)
{
    struct CMUnitTest tests[sizeof cases / sizeof cases[0]];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, (void *)&cases[i]};
    return _cmocka_run_group_tests("rules", tests, sizeof cases / sizeof cases[0], NULL, NULL);
}
