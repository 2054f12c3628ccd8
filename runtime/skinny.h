/* skinny.h - public C API of skinnygen's skinny GEMM kernels.
 *
 *   y[n][m] = sum_k x[n][k] * W[m][k]  (+ bias)     n < N (small), m < M, k < K
 *
 * W is M x K, x is N x K, y is N x M, all row-major with a row stride
 * ("leading dimension", in elements) each. fp16 or bf16 in and out, fp32
 * accumulation. Every function validates its arguments and returns a
 * skinny_status; on any error nothing is launched and y is untouched.
 */
#ifndef SKINNY_H
#define SKINNY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define SKINNY_API
#else
#define SKINNY_API __attribute__((visibility("default")))
#endif

/* One row per status: name, value, message. Consumers expand it as they
 * need (the enum below, skinny_status_string, tests). */
#define SKINNY_STATUS_LIST(X)                                                             \
    X(SKINNY_OK, 0, "success")                                                            \
    X(SKINNY_ERR_NULL_POINTER, 1, "a required pointer (desc, w, x or y) is NULL")         \
    X(SKINNY_ERR_BAD_SIZE, 2, "N, M and K must be positive")                              \
    X(SKINNY_ERR_K_NOT_MULTIPLE_OF_8, 3, "K must be a multiple of 8")                     \
    X(SKINNY_ERR_MISALIGNED, 4, "w, x and their row starts must be 16-byte aligned, y and bias 2-byte aligned")    \
    X(SKINNY_ERR_BAD_STRIDE, 5, "a row stride is smaller than its row length")            \
    X(SKINNY_ERR_OVERFLOW, 6, "a tensor extent overflows the 64-bit index range")         \
    X(SKINNY_ERR_BAD_DTYPE, 7, "unknown dtype (use SKINNY_F16 or SKINNY_BF16)")           \
    X(SKINNY_ERR_BAD_BIAS, 8, "bias kind unknown, or bias pointer inconsistent with it")  \
    X(SKINNY_ERR_UNSUPPORTED_N, 9, "no specialization for this N: fall back to BLAS")     \
    X(SKINNY_ERR_UNSUPPORTED_WAVE, 10, "no specialization built for this wave size")      \
    X(SKINNY_ERR_NO_FAST_PATH, 11, "no specialization is known to beat BLAS for this shape (measured slower, or only unmeasured matrix-instruction rows)") \
    X(SKINNY_ERR_INSUFFICIENT_LDS, 12, "the device has too little LDS/shared memory")     \
    X(SKINNY_ERR_DEVICE, 13, "no usable device, or the device query failed")              \
    X(SKINNY_ERR_BAD_STREAM, 14, "the stream is invalid")                                 \
    X(SKINNY_ERR_LAUNCH, 15, "the kernel launch failed")                                  \
    X(SKINNY_ERR_NO_BACKEND, 16, "the library was built without a GPU backend")          \
    X(SKINNY_ERR_DTYPE_MISMATCH, 17, "w, x, y and bias must all have the descriptor's dtype") \
    X(SKINNY_ERR_BAD_FLAGS, 18, "unknown bits in the descriptor's flags")                 \
    X(SKINNY_ERR_NO_INVARIANT_PATH, 19, "batch-invariant mode: no matrix-instruction row with the K split this shape's smaller batches use (add one to the table, or drop the flag)") \
    X(SKINNY_ERR_MISSING_SCALE, 20, "a per-tensor scale is missing: fp8 weights need w_scale, fp8 activations x_scale (each a device pointer to one float)")  \
    X(SKINNY_ERR_DTYPE_COMBINATION, 21, "unsupported combination of weight, activation and output dtypes (supported: y fp16/bf16; W of y's dtype with x of y's dtype; W fp8 (e4m3 or e4m3 fnuz) with x of y's dtype or fp8 (e4m3 or e4m3 fnuz))") \
    X(SKINNY_ERR_MISALIGNED_SCALE, 22, "w_scale, w_row_scale and x_scale must be 4-byte aligned")    \
    X(SKINNY_ERR_UNEXPECTED_SCALE, 23, "a scale was given for 16-bit data (w_scale and w_row_scale apply to fp8 weights only, x_scale to fp8 activations only)") \
    X(SKINNY_ERR_ROW_WEIGHT_DTYPE, 24, "the named kernel takes another weight dtype (MMA_FP8 rows take fp8 weights, TILE and MMA rows 16-bit ones)") \
    X(SKINNY_ERR_NO_FP8_X_KERNEL, 25, "this build has no kernel for fp8 activations in the chosen row (fp8 x runs on the MMA_FP8 rows of CUDA and HIP builds only)") \
    X(SKINNY_ERR_FP8_FORMAT_UNSUPPORTED, 26, "this build's kernels cannot read this fp8 format (SKINNY_FP8_E4M3_FNUZ runs in HIP builds only; CUDA's e4m3 conversion and mma read its bytes as OCP e4m3)")

typedef enum skinny_status {
#define SKINNY_X_ENUM(name, value, msg) name = value,
    SKINNY_STATUS_LIST(SKINNY_X_ENUM)
#undef SKINNY_X_ENUM
} skinny_status;

/* SKINNY_FP8_E4M3: the OCP e4m3 ("fn") format (bias 7, largest 448, no
 * infinities), as a weight dtype (skinny_gemm_desc.w_dtype) and, with fp8
 * weights, as an activation dtype (x_dtype); the output and bias stay fp16
 * or bf16.
 * SKINNY_FP8_E4M3_FNUZ: AMD gfx940/941/942's e4m3 "fnuz" (bias 8, largest
 * 240, no infinities, no -0, 0x80 the only NaN), wherever SKINNY_FP8_E4M3
 * may stand (w_dtype; x_dtype with fp8 weights of either format), same
 * layout, scales and rules. HIP builds only: their kernels decode fp8 in
 * software with an integer decode that reads fnuz bytes as exactly twice
 * their value, and the launcher halves the scale once per fnuz operand.
 * CUDA (and GPU-less) builds refuse it with
 * SKINNY_ERR_FP8_FORMAT_UNSUPPORTED (skinny_plan, skinny_gemm*,
 * skinny_supported), launching nothing: NVIDIA's hardware conversion and
 * e4m3 mma read those bytes as OCP e4m3. The byte 0x80 (NaN) gives an
 * unspecified result. Compiled and statically checked for gfx940; not yet
 * run on an AMD GPU. */
typedef enum skinny_dtype {
    SKINNY_F16 = 1,
    SKINNY_BF16 = 2,
    SKINNY_FP8_E4M3 = 3,
    SKINNY_FP8_E4M3_FNUZ = 4
} skinny_dtype;

/* skinny_gemm_desc.flags: 0 or SKINNY_FLAG_BATCH_INVARIANT.
 *
 * SKINNY_FLAG_BATCH_INVARIANT: batch-invariant results, for speculative
 * decoding (verify N = k + 1 rows and get what N = 1 decoding gets). For a
 * fixed device, library build, dtype, M, K, strides and bias kind:
 *   - row n of y is bit-identical for every N in 1..16 whose batch holds
 *     that x row, at any position n of the batch, whatever the other rows
 *     hold (NaN and Inf included);
 *   - repeated calls give bit-identical results, on any stream, alone or
 *     concurrently with other calls.
 * Another build, table (specs/tiles.def) or device may change the bits.
 * How: the call runs a matrix-instruction (MMA) row whose K split (waves
 * per workgroup, hence each output's summation order) is the one the
 * heuristic picks for the largest N of the table, never a TILE row and
 * never a measured rule; the waves' partial sums are added in a fixed
 * order. Cost against the default dispatch (skinny-bench --invariant):
 * on an H100 with the default table, none on average, at most 1.9 %
 * (bench/results/h100-0644-graph.*); on an H200 with an earlier table,
 * 0.4-0.7 % on average, at most 7.5 % (bench/results/h200-invariant-choice.md).
 * Where the table offers no
 * such row, or the device has no matrix instructions for its wave size
 * (RDNA), the call returns SKINNY_ERR_NO_INVARIANT_PATH and launches
 * nothing. Without the flag the dispatcher may pick rows, and so orders,
 * per N (measured rules do). */
#define SKINNY_FLAG_BATCH_INVARIANT 1u

typedef enum skinny_bias_kind {
    SKINNY_BIAS_NONE = 0, /* no bias; bias must be NULL */
    SKINNY_BIAS_M = 1,    /* bias[m], one value per output column */
    SKINNY_BIAS_NM = 2    /* bias[n * ld_bias + m], a full N x M matrix */
} skinny_bias_kind;

/* One GEMM. Strides are in elements; 0 means "packed" (the row length).
 * w and x and each of their rows start on a 16-byte boundary (ld_w and ld_x
 * multiples of 8; fp8 W: ld_w a multiple of 16; fp8 x: ld_x a multiple of
 * 16); y and bias need only
 * element (2-byte) alignment. Fields are added at the end only: positional
 * initializers that stop early keep their meaning (the rest is zero;
 * -Wextra warns about them, designated initializers do not). */
typedef struct skinny_gemm_desc {
    skinny_dtype dtype;
    int64_t n, m, k;
    const void *w; int64_t ld_w; /* M rows of K, ld_w >= K */
    const void *x; int64_t ld_x; /* N rows of K, ld_x >= K */
    void *y;       int64_t ld_y; /* N rows of M, ld_y >= M */
    skinny_bias_kind bias_kind;
    const void *bias; int64_t ld_bias; /* ld_bias used by SKINNY_BIAS_NM only */
    uint32_t flags; /* SKINNY_FLAG_*; 0 (also what initializers that stop at
                       ld_bias give) is the default dispatch */
    /* Weight and activation dtypes (issue 12). 0 (what initializers that
     * stop earlier give) means d->dtype, as before. d->dtype is the type of
     * y and bias (fp16 or bf16) and, with x_dtype 0, of x.
     *   w_dtype SKINNY_FP8_E4M3: W holds one byte per element (ld_w in
     *   elements = bytes, a multiple of 16; W 16-byte aligned), and
     *     y[n][m] = (sum_k x[n][k] * w8[m][k]) * w_scale[0] * w_row_scale[m] (+ bias)
     *   with fp32 accumulation and scaling; w_scale is required, w_row_scale
     *   optional (NULL: 1). Both are device pointers (read by the kernel, so
     *   a captured graph reads the values current at replay), 4-byte
     *   aligned. Weight bytes that encode NaN (0x7f, 0xff) give an
     *   unspecified result. fp8 weights run only MMA_FP8 rows of tiles.def.
     *   x_dtype: 0 or d->dtype; or SKINNY_FP8_E4M3 with fp8 weights (see
     *   x_scale below). Any other combination: SKINNY_ERR_DTYPE_COMBINATION.
     *   SKINNY_FP8_E4M3_FNUZ may stand for SKINNY_FP8_E4M3 in w_dtype and
     *   x_dtype, in any mix (HIP builds only; see skinny_dtype). */
    skinny_dtype w_dtype;
    skinny_dtype x_dtype;
    const float *w_scale;     /* fp8 weights: 1 float; NULL otherwise */
    const float *w_row_scale; /* fp8 weights: NULL or M floats, one per output column m */
    /* fp8 activations (x_dtype SKINNY_FP8_E4M3, fp8 weights only): x holds
     * one byte per element (ld_x in elements = bytes, a multiple of 16; x
     * 16-byte aligned), and
     *   y[n][m] = (sum_k x8[n][k] * w8[m][k]) * x_scale[0] * w_scale[0]
     *             * w_row_scale[m] (+ bias)
     * with fp32 accumulation and scaling. x_scale is required then (a device
     * pointer to 1 float, 4-byte aligned, read by the kernel) and must be
     * NULL otherwise (SKINNY_ERR_UNEXPECTED_SCALE). x bytes that encode NaN
     * give an unspecified result. */
    const float *x_scale;
} skinny_gemm_desc;

/* What the dispatcher would run; filled by skinny_plan. */
typedef struct skinny_choice {
    const char *kernel;   /* e.g. "n5_w32_g16_y2_u2" */
    int n, wave, waves_per_group, ytile, unroll;
    int grid;             /* workgroups launched (persistent) */
    int active_waves;     /* waves per workgroup owning columns (<= waves_per_group) */
    int64_t band_k;       /* K elements of x staged in LDS per pass */
    int k_bands;          /* 1: x stays resident in LDS; >1: K is walked */
    size_t lds_bytes;
    int mma;              /* 1: matrix-instruction kernel (an MMA row of tiles.def):
                             a workgroup owns 16 x ytile columns, its waves split K */
} skinny_choice;

/* Size of a device key with its terminating NUL (at most 63 characters). */
#define SKINNY_DEVICE_KEY_SIZE 64

/* Properties the dispatcher needs of a device. Fields may be added at the
 * end only, so positional initializers such as {132, 32, 232448} keep their
 * meaning (the fields they leave out are zero: device_key ""; -Wextra warns
 * about them, designated initializers do not). */
typedef struct skinny_device_info {
    int cu_count;         /* CUs / SMs */
    int wave_size;        /* 64 (CDNA), 32 (RDNA, NVIDIA) */
    size_t lds_bytes;     /* largest LDS / shared memory one workgroup may use */
    /* skinny_device_key() of the device's name, e.g. "nvidia_h200": selects
     * the measured dispatch rules (specs/dispatch.def) of that device.
     * "": unknown device, no measured rules apply (heuristic only). */
    char device_key[SKINNY_DEVICE_KEY_SIZE];
} skinny_device_info;

/* Message for any status (never NULL; unknown values get a generic text). */
SKINNY_API const char *skinny_status_string(skinny_status s);

/* Checks the descriptor alone (pointers, sizes, strides, alignment). */
SKINNY_API skinny_status skinny_validate(const skinny_gemm_desc *d);

/* Is there a fast path for this dtype/N/M/K on a device with this wave
 * size? dtype SKINNY_FP8_E4M3 asks about fp8 weights (MMA_FP8 rows, which
 * serve fp16, bf16 and fp8 activations alike; a build without fp8-x
 * launchers refuses fp8 x at launch, SKINNY_ERR_NO_FP8_X_KERNEL);
 * SKINNY_FP8_E4M3_FNUZ about fnuz weights: the same rows in HIP builds,
 * SKINNY_ERR_FP8_FORMAT_UNSUPPORTED elsewhere. SKINNY_OK if so, otherwise the reason; needs no GPU. Measured rules
 * are per device and this names none, so it answers for the heuristic alone:
 * on a device whose rules send the shape to BLAS, skinny_gemm may still say
 * SKINNY_ERR_NO_FAST_PATH. Use skinny_supported_on to include them. */
SKINNY_API skinny_status skinny_supported(skinny_dtype dtype, int64_t n, int64_t m, int64_t k,
                                          int wave_size);

/* skinny_supported for the device `dev` describes (its wave_size), with the
 * measured rules of its device_key applied, as skinny_gemm applies them
 * there (SKINNY_ERR_NO_FAST_PATH where they say BLAS is faster). NULL dev:
 * SKINNY_ERR_NULL_POINTER. Needs no GPU. */
SKINNY_API skinny_status skinny_supported_on(skinny_dtype dtype, int64_t n, int64_t m, int64_t k,
                                             const skinny_device_info *dev);

/* Choose specialization, grid and LDS band for a device; needs no GPU. */
SKINNY_API skinny_status skinny_plan(const skinny_gemm_desc *d, const skinny_device_info *dev,
                                     skinny_choice *out);

/* For callers whose tensors each carry a dtype: SKINNY_ERR_BAD_DTYPE if one
 * is not a known dtype, SKINNY_ERR_DTYPE_MISMATCH if w differs from the
 * descriptor's weight dtype (w_dtype, or dtype if 0), x from its activation
 * dtype (x_dtype, or dtype if 0), or y or bias (0: no bias) from d->dtype,
 * else skinny_validate(d). */
SKINNY_API skinny_status skinny_validate_dtypes(const skinny_gemm_desc *d, skinny_dtype w,
                                                skinny_dtype x, skinny_dtype y, skinny_dtype bias);

/* The device key of a device name, written to out (always NUL-terminated):
 * the name lowercased, every run of characters other than ASCII letters and
 * digits replaced by one '_', leading and trailing '_' dropped, cut to 63
 * characters ("NVIDIA H100 80GB HBM3" -> "nvidia_h100_80gb_hbm3"). NULL or
 * a name without letters or digits gives "". skinny-bench writes it into
 * the rules it measures; skinny_device_query fills device_key with it. */
SKINNY_API void skinny_device_key(const char *name, char out[SKINNY_DEVICE_KEY_SIZE]);

/* Properties of the current device, queried once per device and cached
 * (thread-safe; each device is queried at most once successfully). */
SKINNY_API skinny_status skinny_device_query(skinny_device_info *out);

/* The same for device ordinal `device`: SKINNY_ERR_DEVICE if there is no
 * such device (negative, or not below the device count). */
SKINNY_API skinny_status skinny_device_query_for(int device, skinny_device_info *out);

/* Launch y = x W^T (+ bias) on `stream` (a cudaStream_t / hipStream_t, or
 * NULL for the default stream) of the current device. Asynchronous.
 * A non-NULL stream is checked before anything is launched: a handle the
 * runtime rejects (destroyed stream, cudaErrorInvalidResourceHandle /
 * hipErrorInvalidHandle) gives SKINNY_ERR_BAD_STREAM. A pointer that was
 * never a stream is undefined behaviour, as in the CUDA/HIP runtimes.
 * Safe under stream capture (CUDA / HIP graphs): on a capturing stream the
 * launch is recorded into the graph, and replays read w, x, bias and write
 * y through the pointers of the captured call (refill x in place). */
SKINNY_API skinny_status skinny_gemm(const skinny_gemm_desc *d, void *stream);

/* Like skinny_gemm, and reports the choice made (choice may be NULL). */
SKINNY_API skinny_status skinny_gemm_ex(const skinny_gemm_desc *d, void *stream,
                                        skinny_choice *choice);

/* Like skinny_gemm_ex, but runs the named specialization (as listed by
 * `skinnygen --list` / manifest.json) instead of the dispatcher's choice of
 * tile; grid and LDS band are still planned for the device. For tests,
 * benchmarks and tuning. Unknown name or a name serving another N or wave
 * size: SKINNY_ERR_UNSUPPORTED_N / SKINNY_ERR_UNSUPPORTED_WAVE. */
SKINNY_API skinny_status skinny_gemm_named(const skinny_gemm_desc *d, const char *kernel,
                                           void *stream, skinny_choice *choice);

#ifdef __cplusplus
}
#endif
#endif /* SKINNY_H */
