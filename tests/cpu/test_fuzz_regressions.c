/* test_fuzz_regressions.c - inputs found by fuzz/fuzz_tiles.c (libFuzzer)
 * that crashed or tripped a sanitizer, replayed through the same pipeline
 * (spec_parse, spec_validate, spec_print_diags, plan_build in both layouts).
 * Each case names the finding and the fix. Run under -Db_sanitize=
 * address,undefined to catch a regression the way the fuzzer did. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"
#include "spec.h"

typedef struct finding {
    const char *name;
    const char *text;
    size_t rows, diags;
} finding;

static const finding findings[] = {
    /* crash-da39a3ee (empty input): plan_build called qsort(NULL, 0, ...),
     * undefined behaviour (UBSan: nonnull argument). Fixed in gen/plan.c:
     * no sort for fewer than two rows. Same for tables of only comments. */
    {"empty_table", "", 0, 0},
    {"comments_only", "// nothing here\n\n   // still nothing\n", 0, 0},
    {"one_row", "TILE(1, 32, 1, 1, 1)", 1, 0},
};

static void replay(const finding *f)
{
    spec s;
    spec_init(&s, "fuzz.def");
    spec_parse(&s, f->text, 1);
    spec_validate(&s);
    FILE *sink = fopen("/dev/null", "w");
    assert_non_null(sink);
    spec_print_diags(&s, sink);
    fclose(sink);
    assert_int_equal(s.nrows, f->rows);
    assert_int_equal(s.ndiags, f->diags);
    plan p;
    assert_int_equal(plan_build(&s, &p, PLAN_LAYOUT_PER_ROW), 0);
    /* header, one TU per row, dispatcher, manifest */
    assert_int_equal(p.nfiles, f->rows + 3);
    plan_free(&p);
    assert_int_equal(plan_build(&s, &p, PLAN_LAYOUT_SINGLE_TU), 0);
    assert_int_equal(p.nfiles, 4);
    plan_free(&p);
    spec_free(&s);
}

static void test_findings(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof findings / sizeof findings[0]; i++) {
        print_message("replaying %s\n", findings[i].name);
        replay(&findings[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_findings)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
