/* test_rules_by_device.c - measured dispatch rules apply only on the device
 * they were measured on. The dispatcher of testdata/tile-and-mma.def is
 * generated with testdata/rules-by-device.def and compiled with its measured
 * cells (which only the CUDA build carries); the planner is the host
 * runtime's. The same (N, wave, dtype, M, K) is planned for devices that
 * differ only in device_key: "nvidia_h200" gets the measured row (or
 * SKINNY_ERR_NO_FAST_PATH for a `none` cell), any other key or "" gets the
 * heuristic (on wave 32: the slice's MMA rows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "skinny_internal.h"

/* ---- launchers for every row: skinny_supported_on needs built rows, and
 * nothing is launched here. */
static skinny_status no_launch(const skinny_launch_args *a)
{
    (void)a;
    return SKINNY_ERR_LAUNCH;
}
/* Row name n<n>_w<w>_g<g>_<kind letter><t>_u<u>. */
#define LAUNCHER(n, w, g, k, t, u, ty)                                                        \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_##k##t##_u##u##_##ty(const skinny_launch_args *a); \
    skinny_status skinny_launch_n##n##_w##w##_g##g##_##k##t##_u##u##_##ty(const skinny_launch_args *a) \
    {                                                                                          \
        return no_launch(a);                                                                   \
    }
#define TILE(n_, w_, g_, t_, u_) LAUNCHER(n_, w_, g_, y, t_, u_, f16) LAUNCHER(n_, w_, g_, y, t_, u_, bf16)
#define MMA(n_, w_, g_, t_, u_) LAUNCHER(n_, w_, g_, m, t_, u_, f16) LAUNCHER(n_, w_, g_, m, t_, u_, bf16)
#define MMA_FP8(n_, w_, g_, t_, u_) LAUNCHER(n_, w_, g_, f, t_, u_, f16) LAUNCHER(n_, w_, g_, f, t_, u_, bf16) \
    LAUNCHER(n_, w_, g_, f, t_, u_, x8_f16) LAUNCHER(n_, w_, g_, f, t_, u_, x8_bf16)
#include "tile-and-mma.def"
#undef TILE
#undef MMA
#undef MMA_FP8

enum { M = 4096, K = 4096 };
static uint16_t buf[16] __attribute__((aligned(16)));

/* An H200-like device but for its key. */
static skinny_device_info device(const char *key)
{
    skinny_device_info dev = {.cu_count = 132, .wave_size = 32, .lds_bytes = 232448};
    strcpy(dev.device_key, key);
    return dev;
}

static skinny_status plan(int n, skinny_dtype dtype, int64_t m, int64_t k, const char *key,
                          skinny_choice *c)
{
    const skinny_gemm_desc d = {dtype, n, m, k, buf, 0, buf, 0, buf, 0, SKINNY_BIAS_NONE, NULL, 0, 0, 0, 0, NULL, NULL, NULL};
    const skinny_device_info dev = device(key);
    return skinny_plan(&d, &dev, c);
}

static void measured_row_on_its_device(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(1, SKINNY_BF16, M, K, "nvidia_h200", &c), SKINNY_OK);
    assert_string_equal(c.kernel, "n1_w32_g16_y2_u2");
    assert_int_equal(c.mma, 0);
}

/* The heuristic's choice there: an MMA row, not the measured TILE row. */
static void heuristic_on_another_device(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(1, SKINNY_BF16, M, K, "nvidia_h100_80gb_hbm3", &c), SKINNY_OK);
    assert_string_equal(c.kernel, "n1_w32_g8_m2_u4");
}

static void heuristic_on_unknown_device(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(1, SKINNY_BF16, M, K, "", &c), SKINNY_OK);
    assert_string_equal(c.kernel, "n1_w32_g8_m2_u4");
}

static void none_cell_on_its_device(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(9, SKINNY_BF16, M, K, "nvidia_h200", &c), SKINNY_ERR_NO_FAST_PATH);
}

/* Far from the cell in M and K, it is still that device's nearest one. */
static void nearest_cell_of_its_device(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(9, SKINNY_BF16, 151936, 8192, "nvidia_h200", &c), SKINNY_ERR_NO_FAST_PATH);
}

static void none_cell_not_on_another_device(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(9, SKINNY_BF16, M, K, "nvidia_h100_80gb_hbm3", &c), SKINNY_OK);
    assert_int_equal(c.mma, 1);
}

/* Cells are per dtype too: the N = 9 cell is bf16's. */
static void none_cell_not_for_another_dtype(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(9, SKINNY_F16, M, K, "nvidia_h200", &c), SKINNY_OK);
}

/* Keys match whole: nvidia_h200_nvl's cell is not nvidia_h200's. */
static void key_is_not_a_prefix(void **state)
{
    (void)state;
    skinny_choice c;
    assert_int_equal(plan(16, SKINNY_BF16, M, K, "nvidia_h200_nvl", &c), SKINNY_ERR_NO_FAST_PATH);
    assert_int_equal(plan(16, SKINNY_BF16, M, K, "nvidia_h200", &c), SKINNY_OK);
    assert_int_equal(plan(16, SKINNY_BF16, M, K, "nvidia_h20", &c), SKINNY_OK);
}

static void supported_on_applies_its_rules(void **state)
{
    (void)state;
    const skinny_device_info h200 = device("nvidia_h200"), h100 = device("nvidia_h100_80gb_hbm3");
    assert_int_equal(skinny_supported_on(SKINNY_BF16, 9, M, K, &h200), SKINNY_ERR_NO_FAST_PATH);
    assert_int_equal(skinny_supported_on(SKINNY_BF16, 9, M, K, &h100), SKINNY_OK);
}

/* No device named: no measured rule, the heuristic's answer. */
static void supported_applies_no_rules(void **state)
{
    (void)state;
    assert_int_equal(skinny_supported(SKINNY_BF16, 9, M, K, 32), SKINNY_OK);
    assert_int_equal(skinny_supported(SKINNY_BF16, 16, M, K, 32), SKINNY_OK);
}

/* The generator passes keys through m4 verbatim, even an m4 builtin's name. */
static void m4_builtin_key_verbatim(void **state)
{
    (void)state;
    size_t found = 0;
    for (size_t i = 0; i < skinny_measured_count; i++)
        found += strcmp(skinny_measured_cells[i].device, "m4_dnl") == 0;
    assert_int_equal(skinny_measured_count, 4);
    assert_int_equal(found, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(measured_row_on_its_device),
        cmocka_unit_test(heuristic_on_another_device),
        cmocka_unit_test(heuristic_on_unknown_device),
        cmocka_unit_test(none_cell_on_its_device),
        cmocka_unit_test(nearest_cell_of_its_device),
        cmocka_unit_test(none_cell_not_on_another_device),
        cmocka_unit_test(none_cell_not_for_another_dtype),
        cmocka_unit_test(key_is_not_a_prefix),
        cmocka_unit_test(supported_on_applies_its_rules),
        cmocka_unit_test(supported_applies_no_rules),
        cmocka_unit_test(m4_builtin_key_verbatim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
