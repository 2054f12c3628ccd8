/* test_fp8.c - the e4m3 conversions of runtime/skinny_port.h (OCP "fn" and
 * gfx940 "fnuz") on all 256 bit patterns, against a decoder written from
 * the format definitions with ldexp (not bit manipulation), plus the
 * encoders: exact round trips, ties to even at every midpoint, saturation,
 * NaN and underflow. One behaviour per test. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "skinny_port.h"

static float bits_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* The definition: sign, 4-bit exponent field e, 3-bit mantissa m;
 * e > 0: (1 + m/8) 2^(e - bias); e = 0: (m/8) 2^(1 - bias). NaN: fn
 * S.1111.111, fnuz 1.0000.000. NAN_MARK stands for NaN. */
#define NAN_MARK 1e30
static double reference(int b, int format)
{
    const int bias = format == SKINNY_FP8_FNUZ ? 8 : 7, e = (b >> 3) & 15, m = b & 7;
    if (format == SKINNY_FP8_FNUZ ? b == 0x80 : (b & 0x7f) == 0x7f) return NAN_MARK;
    const double mag = e ? ldexp(1.0 + m / 8.0, e - bias) : ldexp(m / 8.0, 1 - bias);
    return (b & 0x80) ? -mag : mag;
}

static const char *name(int format) { return format == SKINNY_FP8_FNUZ ? "fnuz" : "fn"; }

static void decodes_every_pattern(void **state)
{
    (void)state;
    for (int format = SKINNY_FP8_FN; format <= SKINNY_FP8_FNUZ; format++)
        for (int b = 0; b < 256; b++) {
            const float got = bits_f32(skinny_fp8_to_f32_bits((uint32_t)b, format));
            const double want = reference(b, format);
            if (want == NAN_MARK) {
                if (!isnan(got)) fail_msg("%s 0x%02x: %g, want NaN", name(format), b, (double)got);
                continue;
            }
            if ((double)got != want || !signbit(got) != !signbit(want))
                fail_msg("%s 0x%02x: %a, want %a", name(format), b, (double)got, want);
        }
}

/* Documented anchors: largest finite, smallest normal and subnormal, the
 * NaN patterns, the zeros. */
static void decodes_documented_values(void **state)
{
    (void)state;
    static const struct { int format, byte; float want; } cases[] = {
        {SKINNY_FP8_FN, 0x7e, 448.0f},          {SKINNY_FP8_FN, 0xfe, -448.0f},
        {SKINNY_FP8_FN, 0x08, 0x1p-6f},         {SKINNY_FP8_FN, 0x01, 0x1p-9f},
        {SKINNY_FP8_FN, 0x38, 1.0f},            {SKINNY_FP8_FN, 0x80, -0.0f},
        {SKINNY_FP8_FNUZ, 0x7f, 240.0f},        {SKINNY_FP8_FNUZ, 0xff, -240.0f},
        {SKINNY_FP8_FNUZ, 0x08, 0x1p-7f},       {SKINNY_FP8_FNUZ, 0x01, 0x1p-10f},
        {SKINNY_FP8_FNUZ, 0x40, 1.0f},          {SKINNY_FP8_FNUZ, 0x00, 0.0f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const uint32_t got = skinny_fp8_to_f32_bits((uint32_t)cases[i].byte, cases[i].format);
        if (got != f32_bits(cases[i].want))
            fail_msg("%s 0x%02x: %a, want %a", name(cases[i].format), cases[i].byte, (double)bits_f32(got),
                     (double)cases[i].want);
    }
    assert_true(isnan(bits_f32(skinny_fp8_to_f32_bits(0x7f, SKINNY_FP8_FN))));
    assert_true(isnan(bits_f32(skinny_fp8_to_f32_bits(0xff, SKINNY_FP8_FN))));
    assert_true(isnan(bits_f32(skinny_fp8_to_f32_bits(0x80, SKINNY_FP8_FNUZ))));
}

static void encode_decode_round_trips(void **state)
{
    (void)state;
    for (int format = SKINNY_FP8_FN; format <= SKINNY_FP8_FNUZ; format++)
        for (int b = 0; b < 256; b++) {
            if (reference(b, format) == NAN_MARK) continue;
            const uint32_t back = skinny_f32_bits_to_fp8(skinny_fp8_to_f32_bits((uint32_t)b, format), format);
            if (back != (uint32_t)b) fail_msg("%s 0x%02x -> 0x%02x", name(format), b, back);
        }
}

/* Between neighbouring finite values: the midpoint goes to the one with an
 * even code, a hair above to the upper, a hair below to the lower. */
static void encoder_rounds_to_nearest_even(void **state)
{
    (void)state;
    for (int format = SKINNY_FP8_FN; format <= SKINNY_FP8_FNUZ; format++) {
        const int top = format == SKINNY_FP8_FNUZ ? 0x7f : 0x7e;
        for (int sign = 0; sign <= 0x80; sign += 0x80)
            for (int lo = 0; lo < top; lo++) {
                const double a = reference(lo, format), b = reference(lo + 1, format), mid = (a + b) / 2;
                const int even = (lo & 1) ? lo + 1 : lo;
                const double s = sign ? -1.0 : 1.0;
                const uint32_t at = skinny_f32_bits_to_fp8(f32_bits((float)(s * mid)), format);
                const uint32_t above = skinny_f32_bits_to_fp8(f32_bits((float)(s * (mid + (b - a) / 64))), format);
                const uint32_t below = skinny_f32_bits_to_fp8(f32_bits((float)(s * (mid - (b - a) / 64))), format);
                int want_at = sign | even, want_below = sign | lo;
                if (format == SKINNY_FP8_FNUZ && sign && even == 0) want_at = 0; /* no -0 */
                if (format == SKINNY_FP8_FNUZ && sign && lo == 0) want_below = 0;
                if (at != (uint32_t)want_at || above != (uint32_t)(sign | (lo + 1)) || below != (uint32_t)want_below)
                    fail_msg("%s %s between 0x%02x and 0x%02x: mid 0x%02x, above 0x%02x, below 0x%02x",
                             name(format), sign ? "-" : "+", lo, lo + 1, at, above, below);
            }
    }
}

/* Beyond the largest finite value (infinity included) saturates; NaN stays
 * NaN; far below the smallest subnormal is zero (fnuz: +0 only). */
static void encoder_saturates_and_keeps_nan(void **state)
{
    (void)state;
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(1000.0f), SKINNY_FP8_FN), 0x7e);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(-INFINITY), SKINNY_FP8_FN), 0xfe);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(464.0f), SKINNY_FP8_FN), 0x7e); /* 480 would be NaN */
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(INFINITY), SKINNY_FP8_FNUZ), 0x7f);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(-300.0f), SKINNY_FP8_FNUZ), 0xff);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(NAN), SKINNY_FP8_FN) & 0x7f, 0x7f);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(NAN), SKINNY_FP8_FNUZ), 0x80);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(0x1p-20f), SKINNY_FP8_FN), 0x00);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(-0x1p-20f), SKINNY_FP8_FN), 0x80);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(-0x1p-20f), SKINNY_FP8_FNUZ), 0x00);
    assert_int_equal(skinny_f32_bits_to_fp8(f32_bits(0x1p-140f), SKINNY_FP8_FN), 0x00);
}

/* ---- the kernels' integer decode (skinny_fp8x2_to_f16x2_scaled /
 * _bf16x2_scaled), which the MMA_FP8 kernel runs on the GPU: both halves of
 * the packed result, for every pair position, against the definition. */

/* IEEE binary16 from its definition (bias 15, 10 mantissa bits). */
static double f16_value(uint32_t h)
{
    const int e = (h >> 10) & 31, m = h & 1023;
    assert_true(e != 31); /* the decode never makes Inf/NaN */
    const double mag = e ? ldexp(1.0 + m / 1024.0, e - 15) : ldexp(m / 1024.0, -14);
    return (h & 0x8000u) ? -mag : mag;
}

/* bfloat16: the top half of a binary32. */
static double bf16_value(uint32_t h) { return (double)bits_f32(h << 16); }

/* Every non-NaN byte b, in the low and in the high byte of the pair (the
 * other byte a different pattern), decodes to reference x 2^-8 (f16) and x
 * 2^-120 (bf16), and the other half to its own byte's value: the factors
 * the kernel undoes. NaN bytes are outside the contract (README). */
static void kernel_decode_every_pattern(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        if ((b & 0x7f) == 0x7f) continue;
        const int other = (b * 37 + 11) & 0xff;
        if ((other & 0x7f) == 0x7f) continue;
        const double want = reference(b, SKINNY_FP8_FN), want_o = reference(other, SKINNY_FP8_FN);
        for (int hi = 0; hi < 2; hi++) {
            const uint32_t two = hi ? (uint32_t)(b << 8 | other) : (uint32_t)(other << 8 | b);
            const uint32_t h = skinny_fp8x2_to_f16x2_scaled(two), g = skinny_fp8x2_to_bf16x2_scaled(two);
            const uint32_t hb = hi ? h >> 16 : h & 0xffffu, ho = hi ? h & 0xffffu : h >> 16;
            const uint32_t gb = hi ? g >> 16 : g & 0xffffu, go = hi ? g & 0xffffu : g >> 16;
            if (ldexp(f16_value(hb), 8) != want || ldexp(f16_value(ho), 8) != want_o)
                fail_msg("f16 decode of 0x%02x (%s half): %.9g, want %.9g", b, hi ? "high" : "low",
                         ldexp(f16_value(hb), 8), want);
            if (ldexp(bf16_value(gb), 120) != want || ldexp(bf16_value(go), 120) != want_o)
                fail_msg("bf16 decode of 0x%02x (%s half): %.9g, want %.9g", b, hi ? "high" : "low",
                         ldexp(bf16_value(gb), 120), want);
            /* Signs survive zero: 0x80 is -0 in fn. */
            if (b == 0x80 && (!(hb & 0x8000u) || !(gb & 0x8000u))) fail_msg("0x80 lost its sign");
        }
    }
    assert_true(SKINNY_FP8_F16_SW_SCALE == 256.0f && SKINNY_FP8_BF16_SW_SCALE == ldexpf(1.0f, 120));
}

/* NVIDIA's bf16 decode takes the pair spread by a byte permute (byte 0 to
 * bits 0-7, byte 1 to bits 16-23) and must give the bits of the shift-and-
 * mask decode for every pair, NaN bytes included (same bits, same rule). */
static void spread_bf16_decode_matches_every_pair(void **state)
{
    (void)state;
    for (uint32_t two = 0; two < 0x10000u; two++) {
        const uint32_t spread = (two & 0xffu) | ((two & 0xff00u) << 8);
        const uint32_t got = skinny_fp8x2_spread_to_bf16x2_scaled(spread), want = skinny_fp8x2_to_bf16x2_scaled(two);
        if (got != want) fail_msg("pair 0x%04x: spread decode 0x%08x, want 0x%08x", two, got, want);
    }
}

/* The same bits read as fnuz are the fn reading x 1/2 (bias 8 vs 7), for
 * every byte that is finite in both formats: the rule README gives for
 * fnuz weights. */
static void fnuz_is_half_of_fn_reading(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        if ((b & 0x7f) == 0x7f || b == 0x80) continue;
        assert_true(reference(b, SKINNY_FP8_FNUZ) == 0.5 * reference(b, SKINNY_FP8_FN));
    }
}

/* ---- gfx940 fnuz (SKINNY_FP8_E4M3_FNUZ) through the AMD kernels' decode:
 * every fnuz byte but 0x80 (its NaN), in the low and the high byte of a
 * pair, decoded as the kernel does, times the decode's own prescale undo
 * and the launcher's fnuz factor (SKINNY_FP8_FNUZ_READ_SCALE), must be the
 * fnuz value of skinny_fp8_to_f32_bits exactly (0x7f/0xff: 240, finite). */

/* The fnuz value of byte b, and the pair with b at position hi. */
static double fnuz_value(int b) { return (double)bits_f32(skinny_fp8_to_f32_bits((uint32_t)b, SKINNY_FP8_FNUZ)); }
static uint32_t pair_with(int b, int hi)
{
    const int other = (b * 37 + 11) & 0xff;
    return hi ? (uint32_t)(b << 8 | other) : (uint32_t)(other << 8 | b);
}

/* fp16 activations on AMD: skinny_fp8x2_to_f16x2_scaled, undone by
 * SKINNY_FP8_F16_SW_SCALE in fp32. */
static void fnuz_f16_decode_times_factor_is_exact(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        if (b == 0x80) continue;
        for (int hi = 0; hi < 2; hi++) {
            const uint32_t h = skinny_fp8x2_to_f16x2_scaled(pair_with(b, hi));
            const double got = f16_value(hi ? h >> 16 : h & 0xffffu) * SKINNY_FP8_F16_SW_SCALE * SKINNY_FP8_FNUZ_READ_SCALE;
            if (got != fnuz_value(b) || !signbit(got) != !signbit(fnuz_value(b)))
                fail_msg("fnuz 0x%02x (%s byte) via f16: %.9g, want %.9g", b, hi ? "high" : "low", got, fnuz_value(b));
        }
    }
}

/* bf16 activations on AMD (skinny_f16x2_scaled_to_bf16x2): the f16 decode,
 * each half to fp32 (v_cvt_f32_f16 is exact; f16_value stands in for it)
 * times 2^8, the pair's top halves (skinny_f32x2_bits_to_bf16x2_exact);
 * its prescale undo is 1, so only the fnuz factor applies. */
static void fnuz_amd_bf16_decode_times_factor_is_exact(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        if (b == 0x80) continue;
        for (int hi = 0; hi < 2; hi++) {
            const uint32_t h = skinny_fp8x2_to_f16x2_scaled(pair_with(b, hi));
            const uint32_t lo32 = f32_bits((float)(f16_value(h & 0xffffu) * 256.0));
            const uint32_t hi32 = f32_bits((float)(f16_value(h >> 16) * 256.0));
            const uint32_t g = skinny_f32x2_bits_to_bf16x2_exact(lo32, hi32);
            const double got = bf16_value(hi ? g >> 16 : g & 0xffffu) * SKINNY_FP8_FNUZ_READ_SCALE;
            if (got != fnuz_value(b) || !signbit(got) != !signbit(fnuz_value(b)))
                fail_msg("fnuz 0x%02x (%s byte) via AMD bf16: %.9g, want %.9g", b, hi ? "high" : "low", got,
                         fnuz_value(b));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_every_pattern),
        cmocka_unit_test(decodes_documented_values),
        cmocka_unit_test(encode_decode_round_trips),
        cmocka_unit_test(encoder_rounds_to_nearest_even),
        cmocka_unit_test(encoder_saturates_and_keeps_nan),
        cmocka_unit_test(kernel_decode_every_pattern),
        cmocka_unit_test(spread_bf16_decode_matches_every_pair),
        cmocka_unit_test(fnuz_is_half_of_fn_reading),
        cmocka_unit_test(fnuz_f16_decode_times_factor_is_exact),
        cmocka_unit_test(fnuz_amd_bf16_decode_times_factor_is_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
