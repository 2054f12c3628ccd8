/* fuzz_tiles.c - libFuzzer target for the tiles.def reader: the input, as
 * text, goes through everything skinnygen does before m4 runs (spec_parse,
 * spec_validate, spec_print_diags, plan_build). Crashes, sanitizer reports
 * and leaks are findings; diagnostics for bad tables are expected.
 *
 *   fuzz/run-fuzz.sh SECONDS     build with clang -fsanitize=fuzzer and run
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* skinnygen refuses a file with a NUL in it (spec_read_file); the
     * parser only ever sees NUL-terminated text without one. */
    if (memchr(data, '\0', size)) return -1;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    static FILE *sink;
    if (!sink) sink = fopen("/dev/null", "w");

    spec s;
    spec_init(&s, "fuzz.def");
    spec_parse(&s, text, 1);
    spec_validate(&s);
    if (sink) spec_print_diags(&s, sink);
    if (s.ndiags == 0) {
        /* A valid table: plan it in both layouts, as skinnygen would. */
        plan p;
        plan_build(&s, &p, PLAN_LAYOUT_PER_ROW);
        for (size_t i = 0; i < p.nfiles; i++)
            if (!plan_owns_name(p.files[i].path)) abort(); /* outdir would never clean it */
        plan_free(&p);
        plan_build(&s, &p, PLAN_LAYOUT_SINGLE_TU);
        plan_free(&p);
    }
    spec_free(&s);
    free(text);
    return 0;
}
