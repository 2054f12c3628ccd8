/* test_launch_path_hip.c - the launch path of a HIP build on the CPU: the
 * runtime (skinny_gemm.c, skinny_select.c, skinny_device.c) compiled for the
 * HIP backend, linked against a fake HIP runtime (one MI300X-like device)
 * and fake launchers for testdata/fp8-wave64.def, whose MMA_FP8 row is
 * wave 64 (CDNA). What only a HIP build does: it runs gfx940's fnuz e4m3
 * (SKINNY_FP8_E4M3_FNUZ), handing the launcher fp8_format_scale = 1/2 per
 * fnuz operand (the kernels' decode reads fnuz bytes as twice their value),
 * and answers skinny_supported for fnuz as for OCP e4m3. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hip/hip_runtime_api.h>

#include "skinny_row.h"

/* ---- fake HIP runtime: one MI300X-like device, every call succeeds */
hipError_t hipGetDevice(int *d)
{
    *d = 0;
    return hipSuccess;
}
hipError_t hipGetDeviceCount(int *n)
{
    *n = 1;
    return hipSuccess;
}
hipError_t hipDeviceGetAttribute(int *v, hipDeviceAttribute_t a, int dev)
{
    (void)dev;
    *v = a == hipDeviceAttributeMultiprocessorCount ? 304 : a == hipDeviceAttributeWarpSize ? 64 : 65536;
    return hipSuccess;
}
hipError_t hipGetDeviceProperties(hipDeviceProp_t *p, int dev)
{
    (void)dev;
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", "AMD Instinct MI300X");
    return hipSuccess;
}
hipError_t hipGetLastError(void) { return hipSuccess; }
hipError_t hipStreamQuery(hipStream_t s)
{
    (void)s;
    return hipSuccess;
}
hipError_t hipStreamIsCapturing(hipStream_t s, hipStreamCaptureStatus *status)
{
    (void)s;
    *status = hipStreamCaptureStatusNone;
    return hipSuccess;
}

/* ---- fake launchers: each keeps its arguments and which slot ran */
static int g_launches, g_x8_launches;
static skinny_launch_args g_last;
static skinny_status fake_launch(const skinny_launch_args *a, int x8)
{
    g_last = *a;
    g_launches++;
    g_x8_launches += x8;
    return SKINNY_OK;
}
/* One fake launcher: its prototype (the build warns on definitions
 * without one) and its body. */
#define FAKE(name, x8)                                                                        \
    skinny_status name(const skinny_launch_args *a);                                          \
    skinny_status name(const skinny_launch_args *a) { return fake_launch(a, x8); }
#define TILE(n, w, g, y, u)                                                                   \
    FAKE(skinny_launch_n##n##_w##w##_g##g##_y##y##_u##u##_f16, 0)                             \
    FAKE(skinny_launch_n##n##_w##w##_g##g##_y##y##_u##u##_bf16, 0)
#define MMA_FP8(n, w, g, m, u)                                                                \
    FAKE(skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_f16, 0)                             \
    FAKE(skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_bf16, 0)                            \
    FAKE(skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_x8_f16, 1)                          \
    FAKE(skinny_launch_n##n##_w##w##_g##g##_f##m##_u##u##_x8_bf16, 1)
#include "fp8-wave64.def"
#undef TILE
#undef MMA_FP8
#undef FAKE

#define FP8_ROW "n1_w64_g4_f1_u2"

/* ---- fixture: host buffers standing in for device memory (never read) */
enum { M = 256, K = 512 };
static _Alignas(16) uint8_t W[M * K], X[K];
static uint16_t Y[M], Y0[M];
static const float g_w_scale = 0.75f, g_x_scale = 0.25f;

static skinny_gemm_desc fp8_desc(skinny_dtype w, skinny_dtype x)
{
    for (size_t i = 0; i < M; i++) Y[i] = Y0[i] = (uint16_t)(i * 40503u);
    skinny_gemm_desc d;
    memset(&d, 0, sizeof d);
    d.dtype = SKINNY_BF16;
    d.n = 1;
    d.m = M;
    d.k = K;
    d.w = W;
    d.x = X;
    d.y = Y;
    d.w_dtype = w;
    d.w_scale = &g_w_scale;
    d.x_dtype = x;
    d.x_scale = x ? &g_x_scale : NULL;
    g_launches = g_x8_launches = 0;
    memset(&g_last, 0, sizeof g_last);
    return d;
}

/* The launcher of the right slot gets 1/2 per fnuz operand, 1 without
 * one, and the caller's scales unchanged (the factor is the kernel's). */
static void fnuz_factor_reaches_launcher(void **state)
{
    (void)state;
    static const struct { skinny_dtype w, x; float want; } cases[] = {
        {SKINNY_FP8_E4M3, 0, 1.0f},
        {SKINNY_FP8_E4M3, SKINNY_FP8_E4M3, 1.0f},
        {SKINNY_FP8_E4M3_FNUZ, 0, 0.5f},
        {SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3, 0.5f},
        {SKINNY_FP8_E4M3, SKINNY_FP8_E4M3_FNUZ, 0.5f},
        {SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3_FNUZ, 0.25f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        skinny_gemm_desc d = fp8_desc(cases[i].w, cases[i].x);
        skinny_choice c;
        assert_int_equal(skinny_gemm_named(&d, FP8_ROW, NULL, &c), SKINNY_OK);
        assert_string_equal(c.kernel, FP8_ROW);
        assert_int_equal(g_launches, 1);
        assert_int_equal(g_x8_launches, cases[i].x ? 1 : 0);
        if (g_last.fp8_format_scale != cases[i].want)
            fail_msg("case %zu: fp8_format_scale %g, want %g", i, (double)g_last.fp8_format_scale,
                     (double)cases[i].want);
        assert_ptr_equal(g_last.w_scale, &g_w_scale);
        assert_ptr_equal(g_last.x_scale, cases[i].x ? &g_x_scale : NULL);
    }
}

/* Bad fnuz descriptors get their validation status here too, and launch
 * nothing. */
static void fnuz_bad_descriptor_launches_nothing(void **state)
{
    (void)state;
    skinny_gemm_desc d = fp8_desc(SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3_FNUZ);
    d.x_scale = NULL;
    assert_int_equal(skinny_gemm_named(&d, FP8_ROW, NULL, NULL), SKINNY_ERR_MISSING_SCALE);
    d = fp8_desc(SKINNY_F16, SKINNY_FP8_E4M3_FNUZ);
    d.dtype = SKINNY_F16;
    assert_int_equal(skinny_gemm_named(&d, FP8_ROW, NULL, NULL), SKINNY_ERR_DTYPE_COMBINATION);
    assert_int_equal(g_launches, 0);
    assert_memory_equal(Y, Y0, sizeof Y);
}

/* A HIP build answers for fnuz as for OCP e4m3: the same rows, the same
 * status (wave-64 MMA_FP8 rows run only by name on AMD: no fast path for
 * the dispatcher), and skinny_gemm without a name agrees. */
static void fnuz_supported_as_ocp(void **state)
{
    (void)state;
    for (int wave = 32; wave <= 64; wave += 32)
        assert_int_equal(skinny_supported(SKINNY_FP8_E4M3_FNUZ, 1, M, K, wave),
                         skinny_supported(SKINNY_FP8_E4M3, 1, M, K, wave));
    assert_int_equal(skinny_supported(SKINNY_FP8_E4M3_FNUZ, 1, M, K, 64), SKINNY_ERR_NO_FAST_PATH);
    skinny_gemm_desc d = fp8_desc(SKINNY_FP8_E4M3_FNUZ, 0);
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_NO_FAST_PATH);
    assert_int_equal(g_launches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fnuz_factor_reaches_launcher),
        cmocka_unit_test(fnuz_bad_descriptor_launches_nothing),
        cmocka_unit_test(fnuz_supported_as_ocp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
