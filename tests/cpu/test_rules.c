/* test_rules.c - specs/dispatch.def (MEASURED rows): one test per rule of
 * gen/rules.c, exact file:line:col messages, checked against a small table.
 * Rows are MEASURED(device, n, wave, dtype, m, k, choice). */
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

/* Device keys at the length limit (63) and one past it. */
#define KEY63 "k123456789k123456789k123456789k123456789k123456789k123456789abc"
#define KEY64 KEY63 "d"

static const rcase cases[] = {
    {"valid rows, comments and blank lines",
     "// header\n\nMEASURED(nvidia_h200, 1, 32, bf16, 4096, 4096, n1_w32_g16_y2_u2)  // best\n"
     "MEASURED(nvidia_h200, 8, 32, fp16, 4096, 4096, none)\n", 2, ""},
    {"device keys of other devices, blanks around the key",
     "MEASURED(nvidia_h100_80gb_hbm3, 1, 32, bf16, 8, 8, none)\n"
     "MEASURED( amd_instinct_mi300x , 1, 64, bf16, 8, 8, none)\n", 2, ""},
    {"device key of 63 characters", "MEASURED(" KEY63 ", 1, 32, bf16, 8, 8, none)\n", 1, ""},
    {"unknown token", "RULE(nvidia_h200, 1, 32, bf16, 8, 8, none)\n", 0,
     "d.def:1:1: error: unknown token 'RULE(nvidia_h200, 1, 32,'; rows look like MEASURED(device, n, wave, dtype, m, k, choice)\n"},
    {"missing ')'", "MEASURED(nvidia_h200, 1, 32, bf16, 8, 8, none\n", 0,
     "d.def:1:46: error: malformed row: expected ')' at end of row\n"},
    {"wrong number of fields", "MEASURED(nvidia_h200, 1, 32, bf16, 8, none)\n", 0,
     "d.def:1:9: error: MEASURED takes 7 fields (device, n, wave, dtype, m, k, choice), got 6\n"},
    {"the old format without a device", "MEASURED(1, 32, bf16, 8, 8, none)\n", 0,
     "d.def:1:9: error: MEASURED takes 7 fields (device, n, wave, dtype, m, k, choice), got 6\n"},
    {"uppercase device key", "MEASURED(NVIDIA_H200, 1, 32, bf16, 8, 8, none)\n", 0,
     "d.def:1:10: error: device must be a device key ([a-z0-9_], 1 to 63 characters, e.g. nvidia_h200), got 'NVIDIA_H200'\n"},
    {"empty device key", "MEASURED(, 1, 32, bf16, 8, 8, none)\n", 0,
     "d.def:1:10: error: device must be a device key ([a-z0-9_], 1 to 63 characters, e.g. nvidia_h200), got ''\n"},
    {"device key with a space", "MEASURED(nvidia h200, 1, 32, bf16, 8, 8, none)\n", 0,
     "d.def:1:10: error: device must be a device key ([a-z0-9_], 1 to 63 characters, e.g. nvidia_h200), got 'nvidia h200'\n"},
    {"device key of 64 characters", "MEASURED(" KEY64 ", 1, 32, bf16, 8, 8, none)\n", 0,
     "d.def:1:10: error: device must be a device key ([a-z0-9_], 1 to 63 characters, e.g. nvidia_h200), got '" KEY64 "'\n"},
    {"bad device key and bad m: both reported", "MEASURED(h-200, 1, 32, bf16, x8, 8, none)\n", 0,
     "d.def:1:10: error: device must be a device key ([a-z0-9_], 1 to 63 characters, e.g. nvidia_h200), got 'h-200'\n"
     "d.def:1:30: error: m must be a positive integer, got 'x8'\n"},
    {"non-integer m", "MEASURED(nvidia_h200, 1, 32, bf16, x8, 8, none)\n", 0,
     "d.def:1:36: error: m must be a positive integer, got 'x8'\n"},
    {"k not a multiple of 8", "MEASURED(nvidia_h200, 1, 32, bf16, 8, 12, none)\n", 0,
     "d.def:1:39: error: k must be a multiple of 8, got 12\n"},
    {"bad dtype", "MEASURED(nvidia_h200, 1, 32, f32, 8, 8, none)\n", 0,
     "d.def:1:30: error: dtype must be bf16 or fp16, got 'f32'\n"},
    {"unknown kernel", "MEASURED(nvidia_h200, 1, 32, bf16, 8, 8, n9_w32_g16_y2_u2)\n", 0,
     "d.def:1:42: error: choice 'n9_w32_g16_y2_u2' is not a kernel of the table (or 'none')\n"},
    {"kernel of another N or wave", "MEASURED(nvidia_h200, 1, 32, bf16, 8, 8, n1_w64_g16_y2_u2)\n", 0,
     "d.def:1:42: error: kernel 'n1_w64_g16_y2_u2' serves n=1 wave=64, not n=1 wave=32\n"},
    {"cell measured twice on one device",
     "MEASURED(nvidia_h200, 1, 32, bf16, 8, 8, none)\n"
     "MEASURED(nvidia_h200, 1, 32, bf16, 8, 8, n1_w32_g16_y2_u2)\n", 1,
     "d.def:2:1: error: cell measured twice: same as line 1\n"},
    {"one cell measured on two devices",
     "MEASURED(nvidia_h200, 1, 32, bf16, 8, 8, none)\n"
     "MEASURED(nvidia_h100_80gb_hbm3, 1, 32, bf16, 8, 8, n1_w32_g16_y2_u2)\n", 2, ""},
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
