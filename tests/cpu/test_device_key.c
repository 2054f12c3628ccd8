/* test_device_key.c - skinny_device_key: device names to the keys that
 * measured dispatch rules (specs/dispatch.def) are filed under. One test per
 * name; plus the device_key a positional skinny_device_info initializer
 * leaves (written before the field existed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "skinny.h"

typedef struct key_case { const char *what, *name, *key; } key_case;

#define A10 "AAAAAAAAAA"
#define a10 "aaaaaaaaaa"

static const key_case cases[] = {
    {"plain name", "NVIDIA H200", "nvidia_h200"},
    {"several words", "NVIDIA H100 80GB HBM3", "nvidia_h100_80gb_hbm3"},
    {"trailing spaces", "NVIDIA H200   ", "nvidia_h200"},
    {"leading blanks", " \t AMD Instinct MI300X", "amd_instinct_mi300x"},
    {"punctuation runs become one _", "Tesla V100-SXM2-16GB", "tesla_v100_sxm2_16gb"},
    {"brackets and trailing punctuation", "NVIDIA GeForce RTX 4090 (Laptop GPU)!",
     "nvidia_geforce_rtx_4090_laptop_gpu"},
    {"underscores are separators too", "__gpu__x__", "gpu_x"},
    {"non-ASCII bytes are separators", "Caf\xc3\xa9 GPU", "caf_gpu"},
    {"empty name", "", ""},
    {"no letters or digits", " -- ", ""},
    {"63 characters kept", A10 A10 A10 A10 A10 A10 "ABC", a10 a10 a10 a10 a10 a10 "abc"},
    {"cut at 63 characters", A10 A10 A10 A10 A10 A10 "ABCDEF", a10 a10 a10 a10 a10 a10 "abc"},
    {"a cut key never ends in _", A10 A10 A10 A10 A10 A10 "AB C", a10 a10 a10 a10 a10 a10 "ab"},
};

static void run_case(void **state)
{
    const key_case *c = *state;
    char out[SKINNY_DEVICE_KEY_SIZE];
    memset(out, '#', sizeof out);
    skinny_device_key(c->name, out);
    assert_string_equal(out, c->key);
}

static void null_name(void **state)
{
    (void)state;
    char out[SKINNY_DEVICE_KEY_SIZE];
    memset(out, '#', sizeof out);
    skinny_device_key(NULL, out);
    assert_string_equal(out, "");
}

/* Code written before device_key existed: its fields left out are zero, so
 * the device is unknown and gets the heuristic. (-Wextra warns about the
 * missing field; such code still compiles.) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const skinny_device_info positional = {132, 32, 232448};
#pragma GCC diagnostic pop

static void positional_initializer_leaves_key_empty(void **state)
{
    (void)state;
    assert_int_equal(positional.cu_count, 132);
    assert_int_equal(positional.wave_size, 32);
    assert_int_equal(positional.lds_bytes, 232448);
    assert_string_equal(positional.device_key, "");
}

int main(void)
{
    enum { NCASES = sizeof cases / sizeof cases[0] };
    struct CMUnitTest tests[NCASES + 2];
    for (size_t i = 0; i < NCASES; i++)
        tests[i] = (struct CMUnitTest){cases[i].what, run_case, NULL, NULL, (void *)&cases[i]};
    tests[NCASES] = (struct CMUnitTest)cmocka_unit_test(null_name);
    tests[NCASES + 1] = (struct CMUnitTest)cmocka_unit_test(positional_initializer_leaves_key_empty);
    return _cmocka_run_group_tests("device-key", tests, NCASES + 2, NULL, NULL);
}
