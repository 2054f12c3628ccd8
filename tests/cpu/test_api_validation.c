/* test_api_validation.c - every error path of the public C API that needs
 * no GPU, table-driven: one row per bad input and the exact status it must
 * give. Runs against skinny_host_lib (the runtime built without a GPU
 * backend), so skinny_gemm itself is exercised too: it must report the
 * argument error (not SKINNY_ERR_NO_BACKEND), and on every error the output
 * buffer y (host memory here) must be bit-for-bit untouched and the
 * skinny_choice left as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "skinny.h"
#include "skinny_row.h"

enum { N = 2, M = 64, K = 256 };

/* Host buffers: w, x 16-byte aligned (plus slack to misalign them). */
static _Alignas(16) uint16_t W[M * K + 64];
static _Alignas(16) uint16_t X[N * K + 64];
static _Alignas(16) uint16_t Y[N * M + 64];
static _Alignas(16) uint16_t B[N * M + 64];
static uint16_t Y_BEFORE[N * M + 64];
/* fp8 scales: a per-tensor one and M per-row ones (plus slack to misalign). */
static _Alignas(16) float S[M + 4];

static void fill_y(void)
{
    for (size_t i = 0; i < sizeof Y / sizeof Y[0]; i++) Y[i] = (uint16_t)(0xA5A5u ^ (i * 40503u));
    memcpy(Y_BEFORE, Y, sizeof Y);
}

/* Does (n, wave) have a row the heuristic plans without a measured rule?
 * TILE rows, and MMA rows on wave 32 (NVIDIA); wave-64 MMA rows alone give
 * SKINNY_ERR_NO_FAST_PATH. */
static int has_tile_row(int n, int wave)
{
    for (size_t i = 0; i < skinny_row_count; i++)
        if (skinny_rows[i].n == n && skinny_rows[i].wave == wave &&
            (skinny_rows[i].kind == SKINNY_KIND_TILE || wave == 32))
            return 1;
    return 0;
}

/* An N for which the table has rows of `wave`, one with a TILE row if there
 * is one (0 if none). */
static int n_with_rows(int wave)
{
    for (size_t i = 0; i < skinny_row_count; i++)
        if (skinny_rows[i].wave == wave && has_tile_row(skinny_rows[i].n, wave))
            return skinny_rows[i].n;
    for (size_t i = 0; i < skinny_row_count; i++)
        if (skinny_rows[i].wave == wave) return skinny_rows[i].n;
    return 0;
}

/* The plan-success checks need an N the dispatcher plans by itself. */
static void skip_unless_plannable(const skinny_gemm_desc *d, const skinny_device_info *dev)
{
    if (has_tile_row((int)d->n, dev->wave_size)) return;
    print_message("SKIPPED: the table has only wave-64 MMA rows here, which are planned only by "
                  "a measured rule or by name: no plan to check here\n");
    skip();
}

/* An N that has rows for `wave` but none for the other wave size. */
static int n_only_for(int wave)
{
    for (size_t i = 0; i < skinny_row_count; i++) {
        const skinny_row *first;
        if (skinny_rows[i].wave == wave &&
            skinny_rows_for(skinny_rows[i].n, wave == 64 ? 32 : 64, &first) == 0)
            return skinny_rows[i].n;
    }
    return 0;
}

/* An N in 1..1024 with no row of either wave size. */
static int n_without_rows(void)
{
    for (int n = 1; n <= 1024; n++) {
        const skinny_row *first;
        if (!skinny_rows_for(n, 32, &first) && !skinny_rows_for(n, 64, &first)) return n;
    }
    return 0;
}

static int wave_of_table(void) { return n_with_rows(64) ? 64 : 32; }

static skinny_gemm_desc good_desc(void)
{
    skinny_gemm_desc d;
    memset(&d, 0, sizeof d);
    d.dtype = SKINNY_F16;
    d.n = n_with_rows(wave_of_table());
    d.m = M;
    d.k = K;
    d.w = W;
    d.x = X;
    d.y = Y;
    d.bias_kind = SKINNY_BIAS_NONE;
    return d;
}

static skinny_device_info good_dev(void)
{
    skinny_device_info dev = {.cu_count = 104, .wave_size = wave_of_table(), .lds_bytes = 64 * 1024};
    return dev;
}

/* ------------------------------------------------ descriptor error table */
typedef struct desc_case {
    const char *name;
    void (*mutate)(skinny_gemm_desc *d);
    skinny_status want;
} desc_case;

#define MUT(fn, body) static void fn(skinny_gemm_desc *d) { body; }
MUT(w_null, d->w = NULL)
MUT(x_null, d->x = NULL)
MUT(y_null, d->y = NULL)
MUT(all_null, d->w = NULL; d->x = NULL; d->y = NULL)
MUT(dtype_zero, d->dtype = (skinny_dtype)0)
MUT(dtype_five, d->dtype = (skinny_dtype)5)
MUT(dtype_negative, d->dtype = (skinny_dtype)-1)
MUT(n_zero, d->n = 0)
MUT(n_negative, d->n = -1)
MUT(m_zero, d->m = 0)
MUT(m_negative, d->m = -64)
MUT(k_zero, d->k = 0)
MUT(k_negative, d->k = -8)
MUT(all_sizes_min, d->n = INT64_MIN; d->m = INT64_MIN; d->k = INT64_MIN)
MUT(k_12, d->k = 12)
MUT(k_4, d->k = 4)
MUT(k_257, d->k = 257)
MUT(w_odd_address, d->w = (const char *)W + 1)
MUT(w_8_aligned, d->w = (const char *)W + 8)
MUT(x_2_aligned, d->x = (const char *)X + 2)
MUT(ld_w_rows_misaligned, d->ld_w = K + 4)
MUT(ld_x_rows_misaligned, d->ld_x = K + 2)
MUT(y_odd_address, d->y = (char *)Y + 1)
MUT(bias_odd_address, d->bias_kind = SKINNY_BIAS_M; d->bias = (const char *)B + 1)
MUT(ld_w_short, d->ld_w = K - 8)
MUT(ld_x_short, d->ld_x = 8)
MUT(ld_y_short, d->ld_y = M - 1)
MUT(ld_w_negative, d->ld_w = -K)
MUT(ld_y_negative, d->ld_y = -1)
MUT(ld_bias_short, d->bias_kind = SKINNY_BIAS_NM; d->bias = B; d->ld_bias = M - 2)
MUT(m_times_k_overflows, d->m = INT64_C(1) << 40; d->k = INT64_C(1) << 30)
MUT(m_huge, d->m = INT64_MAX)
MUT(k_huge, d->k = INT64_MAX / 16 * 8)
MUT(n_times_ld_x_overflows, d->n = 2; d->ld_x = INT64_C(1) << 62)
MUT(n_times_ld_y_overflows, d->n = 2; d->ld_y = INT64_MAX)
MUT(n_times_m_overflows, d->n = INT64_C(1) << 33; d->m = INT64_C(1) << 33)
MUT(bias_nm_ld_overflows, d->n = 2; d->bias_kind = SKINNY_BIAS_NM; d->bias = B; d->ld_bias = INT64_MAX)
MUT(bias_kind_unknown, d->bias_kind = (skinny_bias_kind)7)
MUT(bias_kind_negative, d->bias_kind = (skinny_bias_kind)-1)
MUT(bias_m_without_pointer, d->bias_kind = SKINNY_BIAS_M)
MUT(bias_nm_without_pointer, d->bias_kind = SKINNY_BIAS_NM)
MUT(bias_pointer_without_kind, d->bias = B)
MUT(flags_unknown_bit, d->flags = 2)
MUT(flags_high_bit, d->flags = SKINNY_FLAG_BATCH_INVARIANT | 0x80000000u)
/* fp8 weights (issue 12). fp8() makes the good descriptor an fp8 one. */
static void fp8(skinny_gemm_desc *d)
{
    d->w_dtype = SKINNY_FP8_E4M3;
    d->w_scale = S;
}
MUT(fp8_output, d->dtype = SKINNY_FP8_E4M3)
MUT(fp8_w_scale_null, fp8(d); d->w_scale = NULL)
MUT(fp8_w_scale_null_row_scale_set, fp8(d); d->w_scale = NULL; d->w_row_scale = S)
MUT(fp8_w_scale_misaligned, fp8(d); d->w_scale = (const float *)((const char *)S + 2))
MUT(fp8_row_scale_misaligned, fp8(d); d->w_row_scale = (const float *)((const char *)S + 1))
MUT(fp8_ld_w_not_16, fp8(d); d->ld_w = K + 8)
MUT(fp8_w_8_aligned, fp8(d); d->w = (const char *)W + 8)
MUT(fp8_k_12, fp8(d); d->k = 12)
/* fp8 activations (fp8 weights only). fp8x() makes it an fp8-x one. */
static void fp8x(skinny_gemm_desc *d)
{
    fp8(d);
    d->x_dtype = SKINNY_FP8_E4M3;
    d->x_scale = S;
}
MUT(fp8x_x_scale_null, fp8x(d); d->x_scale = NULL)
MUT(fp8x_x_scale_misaligned, fp8x(d); d->x_scale = (const float *)((const char *)S + 2))
MUT(fp8x_w_scale_null, fp8x(d); d->w_scale = NULL)
MUT(fp8x_both_scales_null, fp8x(d); d->w_scale = NULL; d->x_scale = NULL)
MUT(fp8x_ld_x_not_16, fp8x(d); d->ld_x = K + 8)
MUT(fp8x_x_8_aligned, fp8x(d); d->x = (const char *)X + 8)
MUT(fp8x_k_12, fp8x(d); d->k = 12)
MUT(fp8x_output_fp8, fp8x(d); d->dtype = SKINNY_FP8_E4M3)
MUT(fp8x_flags_unknown, fp8x(d); d->flags = 4)
MUT(x_scale_with_16bit_x, fp8(d); d->x_scale = S)
MUT(x_scale_with_explicit_16bit_x, fp8(d); d->x_dtype = d->dtype; d->x_scale = S)
MUT(x_scale_with_16bit_w_and_x, d->x_scale = S)
MUT(x_fp8_with_16bit_w, d->x_dtype = SKINNY_FP8_E4M3)
MUT(x_fp8_with_16bit_w_and_scale, d->x_dtype = SKINNY_FP8_E4M3; d->x_scale = S)
MUT(x_fp8_with_explicit_16bit_w, d->w_dtype = d->dtype; d->x_dtype = SKINNY_FP8_E4M3; d->x_scale = S)
MUT(x_other_16bit, d->x_dtype = SKINNY_BF16)
MUT(w_other_16bit, d->w_dtype = SKINNY_BF16)
MUT(w_dtype_unknown, d->w_dtype = (skinny_dtype)9)
MUT(x_dtype_unknown, d->x_dtype = (skinny_dtype)-3)
MUT(scale_with_16bit_w, d->w_scale = S)
MUT(row_scale_with_16bit_w, d->w_row_scale = S)
MUT(scale_with_explicit_16bit_w, d->w_dtype = SKINNY_F16; d->w_scale = S)
/* gfx940 fnuz e4m3 (SKINNY_FP8_E4M3_FNUZ): the OCP format's rules. */
static void fnuz(skinny_gemm_desc *d)
{
    fp8(d);
    d->w_dtype = SKINNY_FP8_E4M3_FNUZ;
}
static void fnuz_x(skinny_gemm_desc *d)
{
    fnuz(d);
    d->x_dtype = SKINNY_FP8_E4M3_FNUZ;
    d->x_scale = S;
}
MUT(fnuz_output, d->dtype = SKINNY_FP8_E4M3_FNUZ)
MUT(fnuz_output_with_fnuz_w, fnuz(d); d->dtype = SKINNY_FP8_E4M3_FNUZ)
MUT(fnuz_w_scale_null, fnuz(d); d->w_scale = NULL)
MUT(fnuz_w_scale_misaligned, fnuz(d); d->w_scale = (const float *)((const char *)S + 2))
MUT(fnuz_ld_w_not_16, fnuz(d); d->ld_w = K + 8)
MUT(fnuz_x_with_16bit_w, d->x_dtype = SKINNY_FP8_E4M3_FNUZ; d->x_scale = S)
MUT(fnuz_x_scale_null, fnuz_x(d); d->x_scale = NULL)
MUT(fnuz_x_ld_x_not_16, fnuz_x(d); d->ld_x = K + 8)
MUT(fnuz_x_with_fn_w_scale_null, fp8x(d); d->x_dtype = SKINNY_FP8_E4M3_FNUZ; d->x_scale = NULL)
MUT(fnuz_x_scale_with_16bit_x, fnuz(d); d->x_scale = S)

static const desc_case desc_cases[] = {
    {"w_null", w_null, SKINNY_ERR_NULL_POINTER},
    {"x_null", x_null, SKINNY_ERR_NULL_POINTER},
    {"y_null", y_null, SKINNY_ERR_NULL_POINTER},
    {"all_null", all_null, SKINNY_ERR_NULL_POINTER},
    {"dtype_zero", dtype_zero, SKINNY_ERR_BAD_DTYPE},
    {"dtype_five", dtype_five, SKINNY_ERR_BAD_DTYPE},
    {"dtype_negative", dtype_negative, SKINNY_ERR_BAD_DTYPE},
    {"n_zero", n_zero, SKINNY_ERR_BAD_SIZE},
    {"n_negative", n_negative, SKINNY_ERR_BAD_SIZE},
    {"m_zero", m_zero, SKINNY_ERR_BAD_SIZE},
    {"m_negative", m_negative, SKINNY_ERR_BAD_SIZE},
    {"k_zero", k_zero, SKINNY_ERR_BAD_SIZE},
    {"k_negative", k_negative, SKINNY_ERR_BAD_SIZE},
    {"all_sizes_min", all_sizes_min, SKINNY_ERR_BAD_SIZE},
    {"k_12", k_12, SKINNY_ERR_K_NOT_MULTIPLE_OF_8},
    {"k_4", k_4, SKINNY_ERR_K_NOT_MULTIPLE_OF_8},
    {"k_257", k_257, SKINNY_ERR_K_NOT_MULTIPLE_OF_8},
    {"w_odd_address", w_odd_address, SKINNY_ERR_MISALIGNED},
    {"w_8_aligned", w_8_aligned, SKINNY_ERR_MISALIGNED},
    {"x_2_aligned", x_2_aligned, SKINNY_ERR_MISALIGNED},
    {"ld_w_rows_misaligned", ld_w_rows_misaligned, SKINNY_ERR_MISALIGNED},
    {"ld_x_rows_misaligned", ld_x_rows_misaligned, SKINNY_ERR_MISALIGNED},
    {"y_odd_address", y_odd_address, SKINNY_ERR_MISALIGNED},
    {"bias_odd_address", bias_odd_address, SKINNY_ERR_MISALIGNED},
    {"ld_w_short", ld_w_short, SKINNY_ERR_BAD_STRIDE},
    {"ld_x_short", ld_x_short, SKINNY_ERR_BAD_STRIDE},
    {"ld_y_short", ld_y_short, SKINNY_ERR_BAD_STRIDE},
    {"ld_w_negative", ld_w_negative, SKINNY_ERR_BAD_STRIDE},
    {"ld_y_negative", ld_y_negative, SKINNY_ERR_BAD_STRIDE},
    {"ld_bias_short", ld_bias_short, SKINNY_ERR_BAD_STRIDE},
    {"m_times_k_overflows", m_times_k_overflows, SKINNY_ERR_OVERFLOW},
    {"m_huge", m_huge, SKINNY_ERR_OVERFLOW},
    {"k_huge", k_huge, SKINNY_ERR_OVERFLOW},
    {"n_times_ld_x_overflows", n_times_ld_x_overflows, SKINNY_ERR_OVERFLOW},
    {"n_times_ld_y_overflows", n_times_ld_y_overflows, SKINNY_ERR_OVERFLOW},
    {"n_times_m_overflows", n_times_m_overflows, SKINNY_ERR_OVERFLOW},
    {"bias_nm_ld_overflows", bias_nm_ld_overflows, SKINNY_ERR_OVERFLOW},
    {"bias_kind_unknown", bias_kind_unknown, SKINNY_ERR_BAD_BIAS},
    {"bias_kind_negative", bias_kind_negative, SKINNY_ERR_BAD_BIAS},
    {"bias_m_without_pointer", bias_m_without_pointer, SKINNY_ERR_BAD_BIAS},
    {"bias_nm_without_pointer", bias_nm_without_pointer, SKINNY_ERR_BAD_BIAS},
    {"bias_pointer_without_kind", bias_pointer_without_kind, SKINNY_ERR_BAD_BIAS},
    {"flags_unknown_bit", flags_unknown_bit, SKINNY_ERR_BAD_FLAGS},
    {"flags_high_bit", flags_high_bit, SKINNY_ERR_BAD_FLAGS},
    {"fp8_output", fp8_output, SKINNY_ERR_DTYPE_COMBINATION},
    {"fp8_w_scale_null", fp8_w_scale_null, SKINNY_ERR_MISSING_SCALE},
    {"fp8_w_scale_null_row_scale_set", fp8_w_scale_null_row_scale_set, SKINNY_ERR_MISSING_SCALE},
    {"fp8_w_scale_misaligned", fp8_w_scale_misaligned, SKINNY_ERR_MISALIGNED_SCALE},
    {"fp8_row_scale_misaligned", fp8_row_scale_misaligned, SKINNY_ERR_MISALIGNED_SCALE},
    {"fp8_ld_w_not_16", fp8_ld_w_not_16, SKINNY_ERR_MISALIGNED},
    {"fp8_w_8_aligned", fp8_w_8_aligned, SKINNY_ERR_MISALIGNED},
    {"fp8_k_12", fp8_k_12, SKINNY_ERR_K_NOT_MULTIPLE_OF_8},
    {"fp8x_x_scale_null", fp8x_x_scale_null, SKINNY_ERR_MISSING_SCALE},
    {"fp8x_x_scale_misaligned", fp8x_x_scale_misaligned, SKINNY_ERR_MISALIGNED_SCALE},
    {"fp8x_w_scale_null", fp8x_w_scale_null, SKINNY_ERR_MISSING_SCALE},
    {"fp8x_both_scales_null", fp8x_both_scales_null, SKINNY_ERR_MISSING_SCALE},
    {"fp8x_ld_x_not_16", fp8x_ld_x_not_16, SKINNY_ERR_MISALIGNED},
    {"fp8x_x_8_aligned", fp8x_x_8_aligned, SKINNY_ERR_MISALIGNED},
    {"fp8x_k_12", fp8x_k_12, SKINNY_ERR_K_NOT_MULTIPLE_OF_8},
    {"fp8x_output_fp8", fp8x_output_fp8, SKINNY_ERR_DTYPE_COMBINATION},
    {"fp8x_flags_unknown", fp8x_flags_unknown, SKINNY_ERR_BAD_FLAGS},
    {"x_scale_with_16bit_x", x_scale_with_16bit_x, SKINNY_ERR_UNEXPECTED_SCALE},
    {"x_scale_with_explicit_16bit_x", x_scale_with_explicit_16bit_x, SKINNY_ERR_UNEXPECTED_SCALE},
    {"x_scale_with_16bit_w_and_x", x_scale_with_16bit_w_and_x, SKINNY_ERR_UNEXPECTED_SCALE},
    {"x_fp8_with_16bit_w", x_fp8_with_16bit_w, SKINNY_ERR_DTYPE_COMBINATION},
    {"x_fp8_with_16bit_w_and_scale", x_fp8_with_16bit_w_and_scale, SKINNY_ERR_DTYPE_COMBINATION},
    {"x_fp8_with_explicit_16bit_w", x_fp8_with_explicit_16bit_w, SKINNY_ERR_DTYPE_COMBINATION},
    {"x_other_16bit", x_other_16bit, SKINNY_ERR_DTYPE_COMBINATION},
    {"w_other_16bit", w_other_16bit, SKINNY_ERR_DTYPE_COMBINATION},
    {"w_dtype_unknown", w_dtype_unknown, SKINNY_ERR_BAD_DTYPE},
    {"x_dtype_unknown", x_dtype_unknown, SKINNY_ERR_BAD_DTYPE},
    {"scale_with_16bit_w", scale_with_16bit_w, SKINNY_ERR_UNEXPECTED_SCALE},
    {"row_scale_with_16bit_w", row_scale_with_16bit_w, SKINNY_ERR_UNEXPECTED_SCALE},
    {"scale_with_explicit_16bit_w", scale_with_explicit_16bit_w, SKINNY_ERR_UNEXPECTED_SCALE},
    {"fnuz_output", fnuz_output, SKINNY_ERR_DTYPE_COMBINATION},
    {"fnuz_output_with_fnuz_w", fnuz_output_with_fnuz_w, SKINNY_ERR_DTYPE_COMBINATION},
    {"fnuz_w_scale_null", fnuz_w_scale_null, SKINNY_ERR_MISSING_SCALE},
    {"fnuz_w_scale_misaligned", fnuz_w_scale_misaligned, SKINNY_ERR_MISALIGNED_SCALE},
    {"fnuz_ld_w_not_16", fnuz_ld_w_not_16, SKINNY_ERR_MISALIGNED},
    {"fnuz_x_with_16bit_w", fnuz_x_with_16bit_w, SKINNY_ERR_DTYPE_COMBINATION},
    {"fnuz_x_scale_null", fnuz_x_scale_null, SKINNY_ERR_MISSING_SCALE},
    {"fnuz_x_ld_x_not_16", fnuz_x_ld_x_not_16, SKINNY_ERR_MISALIGNED},
    {"fnuz_x_with_fn_w_scale_null", fnuz_x_with_fn_w_scale_null, SKINNY_ERR_MISSING_SCALE},
    {"fnuz_x_scale_with_16bit_x", fnuz_x_scale_with_16bit_x, SKINNY_ERR_UNEXPECTED_SCALE},
};
#define NDESC (sizeof desc_cases / sizeof desc_cases[0])

/* skinny_choice sentinel: an untouched choice still holds it. */
static skinny_choice sentinel_choice(void)
{
    skinny_choice c;
    memset(&c, 0x5a, sizeof c);
    return c;
}

static void assert_choice_untouched(const skinny_choice *c, const char *name)
{
    const skinny_choice s = sentinel_choice();
    if (memcmp(c, &s, sizeof s) != 0) fail_msg("%s: skinny_choice written on error", name);
}

static void assert_y_untouched(const char *name)
{
    if (memcmp(Y, Y_BEFORE, sizeof Y) != 0) fail_msg("%s: y was written on error", name);
}

static void expect(const char *what, const char *name, skinny_status got, skinny_status want)
{
    if (got != want)
        fail_msg("%s(%s): got %d (%s), want %d (%s)", what, name, (int)got,
                 skinny_status_string(got), (int)want, skinny_status_string(want));
}

/* Every descriptor error, through every entry point that takes a desc. */
static void test_descriptor_errors(void **state)
{
    (void)state;
    const skinny_device_info dev = good_dev();
    for (size_t i = 0; i < NDESC; i++) {
        const desc_case *c = &desc_cases[i];
        fill_y();
        skinny_gemm_desc d = good_desc();
        c->mutate(&d);
        expect("skinny_validate", c->name, skinny_validate(&d), c->want);
        skinny_choice ch = sentinel_choice();
        expect("skinny_plan", c->name, skinny_plan(&d, &dev, &ch), c->want);
        assert_choice_untouched(&ch, c->name);
        expect("skinny_gemm", c->name, skinny_gemm(&d, NULL), c->want);
        ch = sentinel_choice();
        expect("skinny_gemm_ex", c->name, skinny_gemm_ex(&d, NULL, &ch), c->want);
        assert_choice_untouched(&ch, c->name);
        expect("skinny_gemm_named", c->name, skinny_gemm_named(&d, "n1_w64_g16_y2_u2", NULL, &ch),
               c->want);
        assert_choice_untouched(&ch, c->name);
        /* dtype-checked entry: matching per-tensor dtypes change nothing. */
        const skinny_dtype t = d.dtype;
        expect("skinny_validate_dtypes", c->name,
               skinny_validate_dtypes(&d, d.w_dtype ? d.w_dtype : t, d.x_dtype ? d.x_dtype : t, t,
                                      d.bias ? t : (skinny_dtype)0),
               c->want);
        assert_y_untouched(c->name);
    }
}

static void test_null_descriptor(void **state)
{
    (void)state;
    const skinny_device_info dev = good_dev();
    skinny_choice ch = sentinel_choice();
    assert_int_equal(skinny_validate(NULL), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_plan(NULL, &dev, &ch), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_gemm(NULL, NULL), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_gemm_ex(NULL, NULL, &ch), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_gemm_named(NULL, NULL, NULL, &ch), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_validate_dtypes(NULL, SKINNY_F16, SKINNY_F16, SKINNY_F16, 0),
                     SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_device_query(NULL), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_device_query_for(0, NULL), SKINNY_ERR_NULL_POINTER);
    assert_choice_untouched(&ch, "null_descriptor");
}

/* The good descriptor passes, and plan fills the choice: the table rows
 * above fail for their own reason, not a broken fixture. */
static void test_good_descriptor(void **state)
{
    (void)state;
    fill_y();
    skinny_gemm_desc d = good_desc();
    const skinny_device_info dev = good_dev();
    assert_true(d.n > 0);
    assert_int_equal(skinny_validate(&d), SKINNY_OK);
    skip_unless_plannable(&d, &dev);
    skinny_choice ch = sentinel_choice();
    assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_OK);
    assert_non_null(ch.kernel);
    assert_int_equal(ch.n, (int)d.n);
    assert_int_equal(ch.wave, dev.wave_size);
    /* Packed y with odd M needs only 2-byte alignment. */
    d.m = 63;
    d.y = Y + 1;
    assert_int_equal(skinny_validate(&d), SKINNY_OK);
    /* Without a GPU backend a valid call reaches the device step. */
    assert_int_equal(skinny_gemm(&d, NULL), SKINNY_ERR_NO_BACKEND);
    assert_y_untouched("good_descriptor");
}

/* ------------------------------------------------------ fp8 weights */
/* The N of the table's first MMA_FP8 row of wave 32 (0: none). */
static int n_with_fp8_rows(void)
{
    for (size_t i = 0; i < skinny_row_count; i++)
        if (skinny_rows[i].kind == SKINNY_KIND_MMA_FP8 && skinny_rows[i].wave == 32) return skinny_rows[i].n;
    return 0;
}

static skinny_gemm_desc good_fp8_desc(void)
{
    skinny_gemm_desc d = good_desc();
    fp8(&d);
    /* An N with fp8 rows where the table has some (validation needs none). */
    if (n_with_fp8_rows()) d.n = n_with_fp8_rows();
    return d;
}

static const skinny_device_info nv_dev = {.cu_count = 132, .wave_size = 32, .lds_bytes = 227 * 1024};

/* A valid fp8 descriptor validates, with and without the per-row scale. */
static void test_fp8_good_descriptor(void **state)
{
    (void)state;
    skinny_gemm_desc d = good_fp8_desc();
    assert_int_equal(skinny_validate(&d), SKINNY_OK);
    d.w_row_scale = S;
    assert_int_equal(skinny_validate(&d), SKINNY_OK);
    /* fp8 activations with fp8 weights: valid, with and without row scales,
     * and planned on the same MMA_FP8 rows as 16-bit x (one heuristic). */
    skinny_gemm_desc x8 = good_fp8_desc();
    fp8x(&x8);
    assert_int_equal(skinny_validate(&x8), SKINNY_OK);
    assert_int_equal(skinny_validate_dtypes(&x8, SKINNY_FP8_E4M3, SKINNY_FP8_E4M3, x8.dtype, 0), SKINNY_OK);
    assert_int_equal(skinny_validate_dtypes(&x8, SKINNY_FP8_E4M3, x8.dtype, x8.dtype, 0),
                     SKINNY_ERR_DTYPE_MISMATCH);
    x8.dtype = SKINNY_BF16;
    x8.ld_x = 2 * K; /* a padded fp8 stride, a multiple of 16 bytes */
    assert_int_equal(skinny_validate(&x8), SKINNY_OK);
    x8.w_row_scale = S;
    assert_int_equal(skinny_validate(&x8), SKINNY_OK);
    if (n_with_fp8_rows()) {
        skinny_gemm_desc w8 = x8;
        w8.x_dtype = 0;
        w8.x_scale = NULL;
        w8.ld_x = 0;
        skinny_choice c8, c16;
        assert_int_equal(skinny_plan(&x8, &nv_dev, &c8), SKINNY_OK);
        assert_int_equal(skinny_plan(&w8, &nv_dev, &c16), SKINNY_OK);
        assert_string_equal(c8.kernel, c16.kernel);
        x8.flags = SKINNY_FLAG_BATCH_INVARIANT;
        w8.flags = SKINNY_FLAG_BATCH_INVARIANT;
        assert_int_equal(skinny_plan(&x8, &nv_dev, &c8), SKINNY_OK);
        assert_int_equal(skinny_plan(&w8, &nv_dev, &c16), SKINNY_OK);
        assert_string_equal(c8.kernel, c16.kernel);
    }
    /* x_dtype and w_dtype may also name the output dtype explicitly. */
    skinny_gemm_desc e = good_desc();
    e.w_dtype = e.dtype;
    e.x_dtype = e.dtype;
    assert_int_equal(skinny_validate(&e), SKINNY_OK);
}

/* The dispatcher gives fp8 weights an MMA_FP8 row and 16-bit weights never
 * one, for every N the table has fp8 rows for. */
static void test_fp8_plans_only_fp8_rows(void **state)
{
    (void)state;
    if (!n_with_fp8_rows()) {
        print_message("SKIPPED: this table has no wave-32 MMA_FP8 rows\n");
        skip();
    }
    for (int n = 1; n <= 16; n++) {
        skinny_gemm_desc d = good_fp8_desc(), b = good_desc();
        d.n = b.n = n;
        skinny_choice c;
        const skinny_status st = skinny_plan(&d, &nv_dev, &c);
        const skinny_row *first;
        const size_t count = skinny_rows_for(n, 32, &first);
        int has_fp8 = 0;
        for (size_t i = 0; i < count; i++) has_fp8 |= first[i].kind == SKINNY_KIND_MMA_FP8;
        if (!has_fp8) {
            assert_int_equal(st, SKINNY_ERR_UNSUPPORTED_N);
            continue;
        }
        assert_int_equal(st, SKINNY_OK);
        assert_non_null(strstr(c.kernel, "_f"));
        assert_int_equal(c.mma, 1);
        if (skinny_plan(&b, &nv_dev, &c) == SKINNY_OK) assert_null(strstr(c.kernel, "_f"));
    }
}

/* skinny_supported answers for fp8 weights from the MMA_FP8 rows. */
static void test_fp8_supported(void **state)
{
    (void)state;
    const int n = n_with_fp8_rows();
    if (!n) {
        print_message("SKIPPED: this table has no wave-32 MMA_FP8 rows\n");
        skip();
    }
    /* This library has launchers only with a GPU backend (none here:
     * "rows exist but have no code"). */
    const skinny_row *first;
    const size_t count = skinny_rows_for(n, 32, &first);
    int built = 0;
    for (size_t i = 0; i < count; i++) built |= first[i].kind == SKINNY_KIND_MMA_FP8 && first[i].launch[0];
    assert_int_equal(skinny_supported(SKINNY_FP8_E4M3, n, M, K, 32),
                     built ? SKINNY_OK : SKINNY_ERR_UNSUPPORTED_WAVE);
    assert_int_equal(skinny_supported(SKINNY_FP8_E4M3, 65, M, K, 32), SKINNY_ERR_UNSUPPORTED_N);
    assert_int_equal(skinny_supported((skinny_dtype)5, n, M, K, 32), SKINNY_ERR_BAD_DTYPE);
}

/* fnuz weights and x, alone or mixed with OCP e4m3: valid descriptors,
 * through skinny_validate and skinny_validate_dtypes. */
static void test_fnuz_combinations_validate(void **state)
{
    (void)state;
    static const struct { skinny_dtype w, x; } ok[] = {
        {SKINNY_FP8_E4M3_FNUZ, 0},
        {SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3_FNUZ},
        {SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3},
        {SKINNY_FP8_E4M3, SKINNY_FP8_E4M3_FNUZ},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        for (int bf = 0; bf < 2; bf++) {
            skinny_gemm_desc d = good_fp8_desc();
            d.dtype = bf ? SKINNY_BF16 : SKINNY_F16;
            d.w_dtype = ok[i].w;
            d.x_dtype = ok[i].x;
            d.x_scale = ok[i].x ? S : NULL;
            d.w_row_scale = S;
            assert_int_equal(skinny_validate(&d), SKINNY_OK);
            const skinny_dtype x = ok[i].x ? ok[i].x : d.dtype;
            assert_int_equal(skinny_validate_dtypes(&d, ok[i].w, x, d.dtype, 0), SKINNY_OK);
            /* The other format of the same width is another dtype. */
            const skinny_dtype other_w = ok[i].w == SKINNY_FP8_E4M3 ? SKINNY_FP8_E4M3_FNUZ : SKINNY_FP8_E4M3;
            assert_int_equal(skinny_validate_dtypes(&d, other_w, x, d.dtype, 0), SKINNY_ERR_DTYPE_MISMATCH);
        }
}

/* This build has no GPU backend, so, like CUDA builds, no kernel that
 * reads fnuz: every planning entry refuses a valid fnuz descriptor with
 * SKINNY_ERR_FP8_FORMAT_UNSUPPORTED and writes nothing; skinny_supported
 * says the same for the fnuz dtype, and OCP e4m3 is unaffected. */
static void test_fnuz_refused_without_fnuz_kernels(void **state)
{
    (void)state;
    static const struct { skinny_dtype w, x; } cases[] = {
        {SKINNY_FP8_E4M3_FNUZ, 0},
        {SKINNY_FP8_E4M3_FNUZ, SKINNY_FP8_E4M3_FNUZ},
        {SKINNY_FP8_E4M3, SKINNY_FP8_E4M3_FNUZ},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fill_y();
        skinny_gemm_desc d = good_fp8_desc();
        d.w_dtype = cases[i].w;
        d.x_dtype = cases[i].x;
        d.x_scale = cases[i].x ? S : NULL;
        skinny_choice ch = sentinel_choice();
        assert_int_equal(skinny_plan(&d, &nv_dev, &ch), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        assert_choice_untouched(&ch, "fnuz plan");
        d.flags = SKINNY_FLAG_BATCH_INVARIANT;
        assert_int_equal(skinny_plan(&d, &nv_dev, &ch), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        assert_choice_untouched(&ch, "fnuz invariant plan");
        assert_y_untouched("fnuz");
    }
    for (int wave = 32; wave <= 64; wave += 32) {
        assert_int_equal(skinny_supported(SKINNY_FP8_E4M3_FNUZ, 1, M, K, wave), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        skinny_device_info dev = nv_dev;
        dev.wave_size = wave;
        assert_int_equal(skinny_supported_on(SKINNY_FP8_E4M3_FNUZ, 1, M, K, &dev),
                         SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
        assert_int_not_equal(skinny_supported(SKINNY_FP8_E4M3, 1, M, K, wave), SKINNY_ERR_FP8_FORMAT_UNSUPPORTED);
    }
    /* The OCP descriptor of the same shape plans where the table has fp8 rows. */
    if (n_with_fp8_rows()) {
        skinny_gemm_desc d = good_fp8_desc();
        skinny_choice ch;
        assert_int_equal(skinny_plan(&d, &nv_dev, &ch), SKINNY_OK);
    }
}

/* ------------------------------------------------------ per-tensor dtypes */
static void test_dtype_mismatch(void **state)
{
    (void)state;
    skinny_gemm_desc d = good_desc();
    static const struct {
        const char *name;
        skinny_dtype w, x, y, b;
        int with_bias;
        skinny_status want;
    } rows[] = {
        {"all_match", SKINNY_F16, SKINNY_F16, SKINNY_F16, 0, 0, SKINNY_OK},
        {"w_bf16", SKINNY_BF16, SKINNY_F16, SKINNY_F16, 0, 0, SKINNY_ERR_DTYPE_MISMATCH},
        {"x_bf16", SKINNY_F16, SKINNY_BF16, SKINNY_F16, 0, 0, SKINNY_ERR_DTYPE_MISMATCH},
        {"y_bf16", SKINNY_F16, SKINNY_F16, SKINNY_BF16, 0, 0, SKINNY_ERR_DTYPE_MISMATCH},
        {"bias_bf16", SKINNY_F16, SKINNY_F16, SKINNY_F16, SKINNY_BF16, 1, SKINNY_ERR_DTYPE_MISMATCH},
        {"bias_match", SKINNY_F16, SKINNY_F16, SKINNY_F16, SKINNY_F16, 1, SKINNY_OK},
        {"w_unknown", (skinny_dtype)9, SKINNY_F16, SKINNY_F16, 0, 0, SKINNY_ERR_BAD_DTYPE},
        {"y_zero", SKINNY_F16, SKINNY_F16, (skinny_dtype)0, 0, 0, SKINNY_ERR_BAD_DTYPE},
        {"bias_unknown", SKINNY_F16, SKINNY_F16, SKINNY_F16, (skinny_dtype)5, 1, SKINNY_ERR_BAD_DTYPE},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        d = good_desc();
        if (rows[i].with_bias) {
            d.bias_kind = SKINNY_BIAS_M;
            d.bias = B;
        }
        expect("skinny_validate_dtypes", rows[i].name,
               skinny_validate_dtypes(&d, rows[i].w, rows[i].x, rows[i].y, rows[i].b), rows[i].want);
    }
    /* The descriptor's own dtype unknown: BAD_DTYPE even if all agree. */
    d = good_desc();
    d.dtype = (skinny_dtype)5;
    assert_int_equal(skinny_validate_dtypes(&d, d.dtype, d.dtype, d.dtype, 0), SKINNY_ERR_BAD_DTYPE);
    /* fp8 weights: w must be the descriptor's w_dtype, x and y its dtype. */
    d = good_desc();
    fp8(&d);
    assert_int_equal(skinny_validate_dtypes(&d, SKINNY_FP8_E4M3, d.dtype, d.dtype, 0), SKINNY_OK);
    assert_int_equal(skinny_validate_dtypes(&d, d.dtype, d.dtype, d.dtype, 0), SKINNY_ERR_DTYPE_MISMATCH);
    assert_int_equal(skinny_validate_dtypes(&d, SKINNY_FP8_E4M3, SKINNY_FP8_E4M3, d.dtype, 0),
                     SKINNY_ERR_DTYPE_MISMATCH);
}

/* ------------------------------------------- specialization and device */
static void test_plan_device_errors(void **state)
{
    (void)state;
    fill_y();
    const skinny_gemm_desc d = good_desc();
    skinny_choice ch = sentinel_choice();
    skinny_device_info dev = good_dev();
    skip_unless_plannable(&d, &dev);
    assert_int_equal(skinny_plan(&d, NULL, &ch), SKINNY_ERR_NULL_POINTER);
    assert_int_equal(skinny_plan(&d, &dev, NULL), SKINNY_ERR_NULL_POINTER);
    dev.cu_count = 0;
    assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_ERR_DEVICE);
    dev = good_dev();
    dev.cu_count = -3;
    assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_ERR_DEVICE);
    static const int bad_waves[] = {0, -32, 16, 48, 128};
    for (size_t i = 0; i < sizeof bad_waves / sizeof bad_waves[0]; i++) {
        dev = good_dev();
        dev.wave_size = bad_waves[i];
        assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_ERR_DEVICE);
    }
    /* Too little LDS for even one 8-element band of x. */
    dev = good_dev();
    dev.lds_bytes = (size_t)(16 * d.n) - 1;
    assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_ERR_INSUFFICIENT_LDS);
    dev.lds_bytes = 0;
    assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_ERR_INSUFFICIENT_LDS);
    assert_choice_untouched(&ch, "plan_device_errors");
    /* Enough for one band (K is walked): fine. */
    dev.lds_bytes = (size_t)(16 * d.n);
    assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_OK);
    assert_true(ch.k_bands > 1);
    assert_true(ch.lds_bytes <= dev.lds_bytes);
    assert_y_untouched("plan_device_errors");
}

static void test_unsupported_n_and_wave(void **state)
{
    (void)state;
    skinny_gemm_desc d = good_desc();
    skinny_device_info dev = good_dev();
    skinny_choice ch = sentinel_choice();
    const int wave = wave_of_table();
    const int64_t bad_n[] = {n_without_rows(), 1025, 4096, INT64_C(1) << 40};
    for (size_t i = 0; i < sizeof bad_n / sizeof bad_n[0]; i++) {
        if (bad_n[i] == 0) continue;
        d.n = bad_n[i];
        if (d.n > 1024) continue; /* x extent: keep the desc itself valid */
        assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_ERR_UNSUPPORTED_N);
    }
    for (size_t i = 0; i < sizeof bad_n / sizeof bad_n[0]; i++)
        if (bad_n[i])
            assert_int_equal(skinny_supported(SKINNY_F16, bad_n[i], M, K, wave),
                             SKINNY_ERR_UNSUPPORTED_N);
    /* N served only by the other wave size. */
    const int other = wave == 64 ? 32 : 64;
    const int n_only = n_only_for(wave);
    if (n_only) {
        d = good_desc();
        d.n = n_only;
        dev.wave_size = other;
        assert_int_equal(skinny_plan(&d, &dev, &ch), SKINNY_ERR_UNSUPPORTED_WAVE);
        assert_int_equal(skinny_supported(SKINNY_BF16, n_only, M, K, other),
                         SKINNY_ERR_UNSUPPORTED_WAVE);
    }
    /* A named kernel that does not exist, or serves another N or wave. */
    d = good_desc();
    dev = good_dev();
    assert_int_equal(skinny_gemm_named(&d, "no_such_kernel", NULL, &ch), SKINNY_ERR_NO_BACKEND);
    assert_choice_untouched(&ch, "unsupported");
    /* skinny_supported's own argument errors. */
    static const int bad_waves[] = {0, -1, 16, 48, 63, 65, 128};
    for (size_t i = 0; i < sizeof bad_waves / sizeof bad_waves[0]; i++)
        assert_int_equal(skinny_supported(SKINNY_F16, d.n, M, K, bad_waves[i]),
                         SKINNY_ERR_UNSUPPORTED_WAVE);
    assert_int_equal(skinny_supported((skinny_dtype)0, d.n, M, K, wave), SKINNY_ERR_BAD_DTYPE);
    assert_int_equal(skinny_supported(SKINNY_F16, 0, M, K, wave), SKINNY_ERR_BAD_SIZE);
    assert_int_equal(skinny_supported(SKINNY_F16, d.n, -1, K, wave), SKINNY_ERR_BAD_SIZE);
    assert_int_equal(skinny_supported(SKINNY_F16, d.n, M, 0, wave), SKINNY_ERR_BAD_SIZE);
    assert_int_equal(skinny_supported(SKINNY_F16, d.n, M, 20, wave), SKINNY_ERR_K_NOT_MULTIPLE_OF_8);
    /* No launchers in a no-backend build: rows exist, none was built. */
    assert_int_equal(skinny_supported(SKINNY_F16, d.n, M, K, wave), SKINNY_ERR_UNSUPPORTED_WAVE);
}

/* skinny_supported_on needs the device it answers for. */
static void test_supported_on_null_device(void **state)
{
    (void)state;
    assert_int_equal(skinny_supported_on(SKINNY_F16, 1, M, K, NULL), SKINNY_ERR_NULL_POINTER);
}

/* skinny_supported_on checks its arguments as skinny_supported does, with
 * the device's wave size. */
static void test_supported_on_argument_errors(void **state)
{
    (void)state;
    skinny_device_info dev = good_dev();
    const int64_t n = n_with_rows(wave_of_table());
    assert_int_equal(skinny_supported_on((skinny_dtype)0, n, M, K, &dev), SKINNY_ERR_BAD_DTYPE);
    assert_int_equal(skinny_supported_on(SKINNY_F16, n, M, 20, &dev), SKINNY_ERR_K_NOT_MULTIPLE_OF_8);
    assert_int_equal(skinny_supported_on(SKINNY_F16, n, 0, K, &dev), SKINNY_ERR_BAD_SIZE);
    dev.wave_size = 48;
    assert_int_equal(skinny_supported_on(SKINNY_F16, n, M, K, &dev), SKINNY_ERR_UNSUPPORTED_WAVE);
}

/* Device queries without a GPU backend: a status, and the output untouched.
 * (Bad ordinals and streams on a real runtime: tests/gpu/test_gpu_api.c.) */
static void test_device_and_stream_without_backend(void **state)
{
    (void)state;
    skinny_device_info info;
    memset(&info, 0x77, sizeof info);
    const skinny_device_info before = info;
    assert_int_equal(skinny_device_query(&info), SKINNY_ERR_NO_BACKEND);
    assert_int_equal(skinny_device_query_for(0, &info), SKINNY_ERR_NO_BACKEND);
    assert_int_equal(skinny_device_query_for(-1, &info), SKINNY_ERR_NO_BACKEND);
    assert_memory_equal(&info, &before, sizeof info);
}

/* ------------------------------------------------------- status strings */
static void test_status_strings(void **state)
{
    (void)state;
    static const struct { skinny_status s; const char *name; } all[] = {
#define SKINNY_X_ROW(name, value, msg) {name, #name},
        SKINNY_STATUS_LIST(SKINNY_X_ROW)
#undef SKINNY_X_ROW
    };
    const size_t n = sizeof all / sizeof all[0];
    assert_true(n >= 18);
    for (size_t i = 0; i < n; i++) {
        const char *m = skinny_status_string(all[i].s);
        if (!m || !*m) fail_msg("%s has no message", all[i].name);
        assert_int_equal((int)all[i].s, (int)i); /* values dense from 0 */
        for (size_t j = 0; j < i; j++)
            if (strcmp(m, skinny_status_string(all[j].s)) == 0)
                fail_msg("%s and %s share the message '%s'", all[i].name, all[j].name, m);
    }
    const char *unknown = skinny_status_string((skinny_status)9999);
    assert_non_null(unknown);
    assert_true(*unknown);
    assert_non_null(skinny_status_string((skinny_status)-1));
    for (size_t i = 0; i < n; i++) assert_string_not_equal(unknown, skinny_status_string(all[i].s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_descriptor),
        cmocka_unit_test(test_descriptor_errors),
        cmocka_unit_test(test_null_descriptor),
        cmocka_unit_test(test_dtype_mismatch),
        cmocka_unit_test(test_plan_device_errors),
        cmocka_unit_test(test_unsupported_n_and_wave),
        cmocka_unit_test(test_supported_on_null_device),
        cmocka_unit_test(test_supported_on_argument_errors),
        cmocka_unit_test(test_device_and_stream_without_backend),
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_fp8_good_descriptor),
        cmocka_unit_test(test_fp8_plans_only_fp8_rows),
        cmocka_unit_test(test_fp8_supported),
        cmocka_unit_test(test_fnuz_combinations_validate),
        cmocka_unit_test(test_fnuz_refused_without_fnuz_kernels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
