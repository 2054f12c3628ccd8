/* skinny_port.h - the one place where AMD (HIP) and NVIDIA (CUDA) differ.
 *
 * Generated kernels and the host runtime include only this header for
 * anything backend specific: runtime API names, 16-byte vector type,
 * non-temporal loads, half/bfloat16 conversions, packed dot products and
 * the wave reduction. Backend is chosen by the compiler: nvcc defines
 * __CUDACC__, hipcc (clang -x hip) defines __HIP__. Host C files pick the
 * backend from SKINNY_BACKEND_CUDA / SKINNY_BACKEND_HIP set by the build.
 */
#ifndef SKINNY_PORT_H
#define SKINNY_PORT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define SKINNY_BACKEND_CUDA 1
#elif defined(__HIP__)
#define SKINNY_BACKEND_HIP 1
#endif

/* ---------------------------------------- matrix-instruction fragment layouts
 * Plain macros, so that host code sees them too: tests/cpu/test_mma_layout.c
 * checks them against the fragment layouts the PTX ISA (mma.m16n8k16) and
 * AMD's MFMA tables (v_mfma_f32_16x16x16*) document. l = lane. A step of
 * the MMA kernel covers 32 elements of K with two instructions (s = 0, 1):
 *   CHUNK(l)      the 8-element chunk of the step that lane l loads;
 *   WROW(l, i)    the weight row (in the 16-row tile) of load slot i;
 *   XROW(l)       the activation row (in the x tile) it loads;
 *   A_SLOT(r), A_WORD(s, r)  register r of instruction s's A operand is
 *                 32-bit word A_WORD of the chunk of slot A_SLOT;
 *   B_WORD(s, r)  register r of its B operand is word B_WORD of the x chunk;
 *   OUT_W(l, j), OUT_X(l, j) accumulator j of lane l is that (weight row,
 *                 activation row) of the tile.
 * Why: the order of K inside a step is free (A and B use the same one), so
 * it is picked to make each lane's share of a row one 16-byte load. */
/* NVIDIA mma.sync.m16n8k16, 32 lanes, g = l/4, t = l%4: lane holds A rows
 * g, g+8 and B column g at logical k {2t, 2t+1, 2t+8, 2t+9}: physical
 * 8t + {0..3} (s = 0) and 8t + {4..7} (s = 1). */
#define SKINNY_NV_MMA_CHUNK(l) ((l) & 3)
#define SKINNY_NV_MMA_WROW(l, i) (((l) >> 2) + 8 * (i))
#define SKINNY_NV_MMA_XROW(l) ((l) >> 2)
#define SKINNY_NV_MMA_A_SLOT(r) ((r) & 1)
#define SKINNY_NV_MMA_A_WORD(s, r) (2 * (s) + ((r) >> 1))
#define SKINNY_NV_MMA_B_WORD(s, r) (2 * (s) + (r))
#define SKINNY_NV_MMA_OUT_W(l, j) (((l) >> 2) + 8 * ((j) >> 1))
#define SKINNY_NV_MMA_OUT_X(l, j) (2 * ((l) & 3) + ((j) & 1))
/* AMD v_mfma_f32_16x16x16{f16,bf16_1k}, 64 lanes, r = l%16, q = l/16: lane
 * holds A row r and B column r at logical k 4q..4q+3: physical 8q + {0..3}
 * (s = 0) and 8q + {4..7} (s = 1). */
#define SKINNY_AMD_MMA_CHUNK(l) ((l) >> 4)
#define SKINNY_AMD_MMA_WROW(l, i) ((l) & 15)
#define SKINNY_AMD_MMA_XROW(l) ((l) & 15)
#define SKINNY_AMD_MMA_A_SLOT(r) 0
#define SKINNY_AMD_MMA_A_WORD(s, r) (2 * (s) + (r))
#define SKINNY_AMD_MMA_B_WORD(s, r) (2 * (s) + (r))
#define SKINNY_AMD_MMA_OUT_W(l, j) (4 * ((l) >> 4) + (j))
#define SKINNY_AMD_MMA_OUT_X(l, j) ((l) & 15)

/* fp8 weights (MMA_FP8 rows): a 16-byte load holds 16 e4m3 weights, so a
 * step covers 64 elements of K with four instructions (s = 0..3) on the
 * same fragment layouts. Lane l loads the 16-element chunk FP8_CHUNK(l) of
 * each of its weight rows (WROW as above) and the same 16 elements of its x
 * row (two 16-byte loads of 16-bit x). Instruction s reads 32-bit word s of
 * each weight chunk (4 weights: physical 16c + 4s + {0..3}), widened to two
 * 16-bit pairs (bytes 0-1 and 2-3), and x words 2s, 2s+1 of the lane's 16
 * x elements. Physical k of A register r, element e (e: low or high half):
 *   NVIDIA (A regs 0..3, r & 1 the row slot, r >> 1 the pair):
 *     16 c + 4 s + 2 (r >> 1) + e;   B register r: 16 c + 4 s + 2 r + e;
 *   AMD (A regs 0..1, one row slot, r the pair): 16 c + 4 s + 2 r + e;
 *     B register r: the same.
 * So within instruction s the documented logical k of each register maps
 * to the same physical k for A and B (tests/cpu/test_mma_layout.c). */
#define SKINNY_NV_MMA_FP8_CHUNK(l) ((l) & 3)
#define SKINNY_NV_MMA_FP8_A_K(l, s, r, e) (16 * SKINNY_NV_MMA_FP8_CHUNK(l) + 4 * (s) + 2 * ((r) >> 1) + (e))
#define SKINNY_NV_MMA_FP8_B_K(l, s, r, e) (16 * SKINNY_NV_MMA_FP8_CHUNK(l) + 4 * (s) + 2 * (r) + (e))
#define SKINNY_AMD_MMA_FP8_CHUNK(l) ((l) >> 4)
#define SKINNY_AMD_MMA_FP8_A_K(l, s, r, e) (16 * SKINNY_AMD_MMA_FP8_CHUNK(l) + 4 * (s) + 2 * (r) + (e))
#define SKINNY_AMD_MMA_FP8_B_K(l, s, r, e) (16 * SKINNY_AMD_MMA_FP8_CHUNK(l) + 4 * (s) + 2 * (r) + (e))

/* fp8 activations and weights (MMA_FP8 rows, X8 launchers). NVIDIA sm_89+:
 * mma.m16n8k32 with e4m3 operands, no decode. A dot product does not change
 * when the same permutation of K is applied to both operands, so the lanes
 * keep the FP8 loads above: lane l holds the 16 bytes at physical k 16c ..
 * 16c + 15 (c = FP8_CHUNK(l)) of its weight rows (WROW) and of its x row
 * (XROW, one 16-byte load of e4m3). A 64-element step is two instructions
 * (s = 0, 1): A register r is 32-bit word FP8X_A_WORD(s, r) of row slot
 * FP8X_A_SLOT(r), B register r word FP8X_B_WORD(s, r) of the x chunk; byte e
 * of word v is physical k 16c + 4v + e. The documented m16n8k32 layout (8-bit
 * types: a0 row g k 4t..4t+3, a1 row g+8, a2 row g k 16+4t.., a3 row g+8;
 * b0 k 4t.., b1 k 16+4t.., column g; results as m16n8k16) then gives A and B
 * the same physical k for each logical k (tests/cpu/test_mma_layout.c).
 * Elsewhere (NVIDIA below sm_89, AMD MFMA) both operands are decoded to
 * fp16 in registers, word s of each for instruction s (0..3) of the FP8
 * layout: weights as for 16-bit x, and x word s as the B pairs (lo: r = 0,
 * hi: r = 1), which is FP8_B_K. */
#define SKINNY_NV_MMA_FP8X_A_SLOT(r) ((r) & 1)
#define SKINNY_NV_MMA_FP8X_A_WORD(s, r) (2 * (s) + ((r) >> 1))
#define SKINNY_NV_MMA_FP8X_B_WORD(s, r) (2 * (s) + (r))

/* LDS of an MMA row's workgroup: the waves' fp32 partial tiles, per lane
 * mtiles x ceil(n / ncols) x 4 sums, where ncols (activation rows per
 * instruction) is 8 on wave 32 (NVIDIA mma.sync m16n8k16) and 16 on wave 64
 * (AMD v_mfma_f32_16x16x16): the two layouts above. The plan reports it,
 * the launcher allocates it, and the kernel checks it against its own
 * fragment shape. */
#define SKINNY_MMA_NCOLS_OF_WAVE(wave) ((wave) == 32 ? 8 : 16)
#define SKINNY_MMA_LDS_BYTES(n, wave, group, mtiles)                                             \
    ((size_t)4 * (size_t)(group) * (size_t)(mtiles) *                                             \
     (size_t)(((n) + SKINNY_MMA_NCOLS_OF_WAVE(wave) - 1) / SKINNY_MMA_NCOLS_OF_WAVE(wave)) * 4 * \
     (size_t)(wave))

/* The wave size whose MMA rows the dispatcher's heuristic may choose with
 * no measured rule: NVIDIA's (mma.sync, measured faster than the TILE rows
 * on Hopper); none in HIP builds (CDNA's MFMA rows have not run on an AMD
 * GPU, RDNA has no matrix instructions). Host-only builds follow NVIDIA. */
/* The wave size whose devices run MMA rows at all (the batch-invariant mode
 * needs them): NVIDIA's 32 (mma.sync, sm_80+); in HIP builds 64 (CDNA's
 * MFMA: RDNA, wave 32, has no matrix instructions and its MMA rows are
 * empty). */
#if defined(SKINNY_BACKEND_HIP)
#define SKINNY_HEURISTIC_MMA_WAVE 0
#define SKINNY_MMA_DEVICE_WAVE 64
#else
#define SKINNY_HEURISTIC_MMA_WAVE 32
#define SKINNY_MMA_DEVICE_WAVE 32
#endif

/* fp8 formats (skinny_dtype): whether this build's kernels read gfx940's
 * e4m3 fnuz (SKINNY_FP8_E4M3_FNUZ). HIP: the MMA_FP8 kernels decode fp8 in
 * software (skinny_fp8x2_to_f16x2_scaled, below), which reads a fnuz byte
 * as exactly twice its value (bias 8 vs 7; 0x80, fnuz's NaN, aside), so a
 * fnuz operand runs with its scale times SKINNY_FP8_FNUZ_READ_SCALE (the
 * launch path's fp8_format_scale, once per fnuz operand). CUDA: the
 * hardware e4m3 conversion and the e4m3 mma read fnuz 0x7f/0xff as NaN, so
 * not there (SKINNY_ERR_FP8_FORMAT_UNSUPPORTED). Host-only builds follow
 * CUDA, as the heuristic does. */
#if defined(SKINNY_BACKEND_HIP)
#define SKINNY_FP8_FNUZ_KERNELS 1
#else
#define SKINNY_FP8_FNUZ_KERNELS 0
#endif
#define SKINNY_FP8_FNUZ_READ_SCALE 0.5f

/* TILE kernel: 1 double-buffers its weight loads in registers (the next
 * step's loads in flight during this step's FMAs). AMD, where the bandwidth
 * model found the compiler issuing only part of a step's loads before its
 * first wait (bf16 y3 rows at 75 % of MI300X, docs/amd-model.md); 0 on
 * NVIDIA, whose TILE rows were measured as they are (and where the
 * heuristic runs MMA rows). */
#if defined(SKINNY_BACKEND_HIP)
#define SKINNY_TILE_PREFETCH 1
#else
#define SKINNY_TILE_PREFETCH 0
#endif

/* ------------------------------------------------------------ fp8 formats
 * e4m3 weights (issue 12), decoded to fp32 bit patterns in software, on the
 * host and in kernels alike: Debian 12's hipcc (clang 15) has no fp8
 * conversion builtins, and one integer path keeps both vendors identical.
 *   OCP E4M3 ("fn": NVIDIA sm_89+, gfx950): exponent bias 7, no infinities,
 *   S.1111.111 is NaN (both signs), largest finite 448, -0 exists.
 *   E4M3 "fnuz" (gfx940/941/942): exponent bias 8, no infinities, 0x80 (the
 *   would-be -0) is the only NaN, S.1111.111 is finite (240).
 * Subnormals (exponent field 0) are m/8 x 2^(1 - bias). Encoders round to
 * nearest even and saturate to the largest finite value (as the OCP
 * "satfinite" conversions do); NaN encodes to NaN. tests/cpu/test_fp8.c
 * checks all 256 patterns of both against an independent decoder. */
#if defined(__CUDACC__) || defined(__HIP__)
#define SKINNY_HD __host__ __device__ inline
#else
#define SKINNY_HD static inline
#endif

enum { SKINNY_FP8_FN = 0, SKINNY_FP8_FNUZ = 1 };

/* fp32 bits of an e4m3 byte (format: SKINNY_FP8_FN or SKINNY_FP8_FNUZ). */
SKINNY_HD uint32_t skinny_fp8_to_f32_bits(uint32_t byte, int format)
{
    const uint32_t b = byte & 0xffu, sign = (b & 0x80u) << 24, e = (b >> 3) & 15u, m = b & 7u;
    const uint32_t bias = format == SKINNY_FP8_FNUZ ? 8u : 7u;
    if (format == SKINNY_FP8_FNUZ ? b == 0x80u : (b & 0x7fu) == 0x7fu) return sign | 0x7fc00000u;
    if (e == 0) {
        if (m == 0) return sign;
        const uint32_t p = m >= 4 ? 2u : m >= 2 ? 1u : 0u; /* m = 2^p x 1.f */
        return sign | ((127u + 1u - bias - 3u + p) << 23) | ((m - (1u << p)) << (23u - p));
    }
    return sign | ((e + 127u - bias) << 23) | (m << 20);
}

/* The kernels' fp8 decode, two bytes at a time (byte 0: bits 0-7, byte 1:
 * bits 8-15 of `two`) into a packed pair of 16-bit floats, low half from
 * byte 0. Integer operations only: every e4m3 value is a 16-bit float
 * (f16 or bf16) times a power of two, because those formats have at least
 * e4m3's 3 mantissa bits and their exponent fields can hold e4m3's
 * exponent field unchanged (subnormals land on subnormals):
 *   f16 bits  S.EEEE.MMM -> S.0EEEE.MMM0000000: decode(b) x 2^-8  (bias 15 vs 7);
 *   bf16 bits S.EEEE.MMM -> S.0000EEEE.MMM0000: decode(b) x 2^-120 (bias 127 vs 7).
 * The f16 factor is undone in fp32 at the end (SKINNY_FP8_F16_SW_SCALE);
 * the bf16 one cannot be (products near 2^-130 would be fp32 subnormals),
 * so the kernel multiplies the pair by 2^120 in bf16 right away (exact).
 * The same bits read as fnuz (bias 8) are these values x 1/2. NaN bytes
 * (fn 0x7f/0xff) decode as +-480 here, not NaN: the API leaves NaN weights
 * unspecified. tests/cpu/test_fp8.c checks all 256 patterns. */
SKINNY_HD uint32_t skinny_fp8x2_to_f16x2_scaled(uint32_t two)
{
    const uint32_t p = ((two & 0xffu) << 8) | ((two & 0xff00u) << 16); /* bytes in the high halves */
    return (p & 0x80008000u) | ((p >> 1) & 0x3f803f80u);
}
SKINNY_HD uint32_t skinny_fp8x2_to_bf16x2_scaled(uint32_t two)
{
    const uint32_t p = ((two & 0xffu) << 8) | ((two & 0xff00u) << 16);
    return (p & 0x80008000u) | ((p >> 4) & 0x07f007f0u);
}
/* The same bf16 bits from the pair already spread to bits 0-7 and 16-23
 * (one byte permute on the GPU: __byte_perm(w, 0, 0x4140) / 0x4342), in
 * two multiply-adds: x16 moves each byte to bits 4-11, and its sign bit
 * (now bit 11) x 0x7800 = 2^15 - 2^11 moves to bit 15 (no carry leaves a
 * half). Multiplies run on the FMA pipe; the shifts and masks above on the
 * integer ALU, which bounded the bf16 kernel (ncu on an H200: ALU 68 %
 * busy at 41 % of DRAM bandwidth). tests/cpu/test_fp8.c checks it equals
 * skinny_fp8x2_to_bf16x2_scaled on every pair. */
SKINNY_HD uint32_t skinny_fp8x2_spread_to_bf16x2_scaled(uint32_t spread)
{
    return spread * 16u + (spread & 0x00800080u) * 240u;
}
/* AMD's bf16 pair from the fp32 bits of two values exact in bf16 (e4m3
 * values): their top halves, low half from lo. */
SKINNY_HD uint32_t skinny_f32x2_bits_to_bf16x2_exact(uint32_t lo, uint32_t hi)
{
    return (lo >> 16) | (hi & 0xffff0000u);
}
#define SKINNY_FP8_F16_SW_SCALE 256.0f     /* 2^8: undoes skinny_fp8x2_to_f16x2_scaled */
#define SKINNY_FP8_BF16_SW_SCALE 0x1p120f  /* 2^120: undoes skinny_fp8x2_to_bf16x2_scaled */

/* man >> shift, rounded to nearest, ties to even (shift 1..31; 32+ gives 0). */
SKINNY_HD uint32_t skinny_fp8_round_shift(uint32_t man, uint32_t shift)
{
    if (shift >= 32u) return 0u;
    const uint32_t keep = man >> shift, rest = man & ((1u << shift) - 1u), half = 1u << (shift - 1u);
    return keep + (rest > half || (rest == half && (keep & 1u)));
}

/* The e4m3 byte nearest to fp32 bits f (ties to even), saturating. */
SKINNY_HD uint32_t skinny_f32_bits_to_fp8(uint32_t f, int format)
{
    const uint32_t sign = (f >> 24) & 0x80u, mag = f & 0x7fffffffu;
    const uint32_t bias = format == SKINNY_FP8_FNUZ ? 8u : 7u;
    const uint32_t max = format == SKINNY_FP8_FNUZ ? 0x7fu : 0x7eu; /* 240 / 448 */
    if (mag > 0x7f800000u) return format == SKINNY_FP8_FNUZ ? 0x80u : (sign | 0x7fu);
    const uint32_t exp = mag >> 23; /* fp32 biased exponent; 255: infinity */
    uint32_t code;
    if (exp >= 127u + 16u - bias) {
        code = max; /* 2^(16 - bias) and up, infinity included */
    } else if (exp == 0) {
        code = 0; /* fp32 subnormals are far below the smallest e4m3 one */
    } else {
        const uint32_t man = (mag & 0x7fffffu) | 0x800000u;
        if (exp + bias >= 128u) { /* normal: 3 mantissa bits, drop 20 */
            uint32_t e = exp + bias - 127u, q = skinny_fp8_round_shift(man, 20u);
            if (q == 16u) q = 8u, e++;
            code = (e << 3) | (q - 8u);
        } else { /* subnormal steps of 2^(-2 - bias); 8 steps = smallest normal */
            code = skinny_fp8_round_shift(man, 148u - bias - exp);
        }
        if (code > max) code = max;
    }
    if (format == SKINNY_FP8_FNUZ && code == 0) return 0u; /* no -0 */
    return sign | code;
}

/* ---------------------------------------------------------------- host API */
#if defined(SKINNY_BACKEND_CUDA)
#include <cuda_runtime_api.h>
typedef cudaError_t skinny_rt_error;
typedef cudaStream_t skinny_rt_stream;
#define SKINNY_RT_SUCCESS cudaSuccess
#define skinny_rt_get_device cudaGetDevice
#define skinny_rt_get_device_count cudaGetDeviceCount
#define skinny_rt_get_last_error cudaGetLastError
#define skinny_rt_error_string cudaGetErrorString
#define skinny_rt_device_attr cudaDeviceGetAttribute
#define SKINNY_ATTR_CU_COUNT cudaDevAttrMultiProcessorCount
#define SKINNY_ATTR_WAVE_SIZE cudaDevAttrWarpSize
#define SKINNY_ATTR_LDS_OPTIN cudaDevAttrMaxSharedMemoryPerBlockOptin
#define SKINNY_RT_STREAM_QUERY cudaStreamQuery
#define SKINNY_RT_NOT_READY cudaErrorNotReady
/* Is the stream capturing into a graph? Asked before SKINNY_RT_STREAM_QUERY,
 * which is illegal on a capturing stream (it invalidates the capture). */
typedef enum cudaStreamCaptureStatus skinny_rt_capture_status;
#define SKINNY_RT_STREAM_IS_CAPTURING cudaStreamIsCapturing
#define SKINNY_RT_CAPTURE_NONE cudaStreamCaptureStatusNone
/* Runtime errors that mean "not a valid stream handle". */
#define SKINNY_RT_BAD_HANDLE(e) \
    ((e) == cudaErrorInvalidResourceHandle || (e) == cudaErrorContextIsDestroyed)
/* The device query reads the name (prop.name) of these properties. */
typedef struct cudaDeviceProp skinny_rt_device_prop;
#define skinny_rt_get_device_properties cudaGetDeviceProperties
/* Used by tests and benchmarks, not by the library itself. */
typedef cudaEvent_t skinny_rt_event;
#define skinny_rt_malloc cudaMalloc
#define skinny_rt_free cudaFree
#define skinny_rt_memcpy cudaMemcpy
#define skinny_rt_memset cudaMemset
#define SKINNY_RT_H2D cudaMemcpyHostToDevice
#define SKINNY_RT_D2H cudaMemcpyDeviceToHost
#define SKINNY_RT_D2D cudaMemcpyDeviceToDevice
#define skinny_rt_device_synchronize cudaDeviceSynchronize
#define skinny_rt_runtime_version cudaRuntimeGetVersion
#define skinny_rt_driver_version cudaDriverGetVersion
#define skinny_rt_event_create cudaEventCreate
#define skinny_rt_event_destroy cudaEventDestroy
#define skinny_rt_event_record cudaEventRecord
#define skinny_rt_event_synchronize cudaEventSynchronize
#define skinny_rt_event_elapsed_ms cudaEventElapsedTime
#define skinny_rt_stream_create cudaStreamCreate
#define skinny_rt_stream_destroy cudaStreamDestroy
#define skinny_rt_stream_synchronize cudaStreamSynchronize
/* Graphs (tests): global capture mode, the strictest, so that any call of
 * the launch path that is illegal during capture fails the capture. */
typedef cudaGraph_t skinny_rt_graph;
typedef cudaGraphExec_t skinny_rt_graph_exec;
#define skinny_rt_stream_begin_capture(s) cudaStreamBeginCapture((s), cudaStreamCaptureModeGlobal)
#define skinny_rt_stream_end_capture cudaStreamEndCapture
#define skinny_rt_graph_instantiate(exec, graph) cudaGraphInstantiateWithFlags((exec), (graph), 0)
#define skinny_rt_graph_launch cudaGraphLaunch
#define skinny_rt_graph_exec_destroy cudaGraphExecDestroy
#define skinny_rt_graph_destroy cudaGraphDestroy
#define SKINNY_RT_NAME "CUDA"
#elif defined(SKINNY_BACKEND_HIP)
#ifndef __HIP_PLATFORM_AMD__
#define __HIP_PLATFORM_AMD__ 1
#endif
#include <hip/hip_runtime_api.h>
typedef hipError_t skinny_rt_error;
typedef hipStream_t skinny_rt_stream;
#define SKINNY_RT_SUCCESS hipSuccess
#define skinny_rt_get_device hipGetDevice
#define skinny_rt_get_device_count hipGetDeviceCount
#define skinny_rt_get_last_error hipGetLastError
#define skinny_rt_error_string hipGetErrorString
#define skinny_rt_device_attr hipDeviceGetAttribute
#define SKINNY_ATTR_CU_COUNT hipDeviceAttributeMultiprocessorCount
#define SKINNY_ATTR_WAVE_SIZE hipDeviceAttributeWarpSize
/* HIP reports the per-block LDS limit; there is no larger opt-in size. */
#define SKINNY_ATTR_LDS_OPTIN hipDeviceAttributeMaxSharedMemoryPerBlock
#define SKINNY_RT_STREAM_QUERY hipStreamQuery
#define SKINNY_RT_NOT_READY hipErrorNotReady
typedef hipStreamCaptureStatus skinny_rt_capture_status;
#define SKINNY_RT_STREAM_IS_CAPTURING hipStreamIsCapturing
#define SKINNY_RT_CAPTURE_NONE hipStreamCaptureStatusNone
#define SKINNY_RT_BAD_HANDLE(e) \
    ((e) == hipErrorInvalidHandle /* == hipErrorInvalidResourceHandle */ || \
     (e) == hipErrorContextIsDestroyed)
/* The device query reads the name (prop.name) of these properties. */
typedef hipDeviceProp_t skinny_rt_device_prop;
#define skinny_rt_get_device_properties hipGetDeviceProperties
/* Used by tests and benchmarks, not by the library itself. */
typedef hipEvent_t skinny_rt_event;
#define skinny_rt_malloc hipMalloc
#define skinny_rt_free hipFree
#define skinny_rt_memcpy hipMemcpy
#define skinny_rt_memset hipMemset
#define SKINNY_RT_H2D hipMemcpyHostToDevice
#define SKINNY_RT_D2H hipMemcpyDeviceToHost
#define SKINNY_RT_D2D hipMemcpyDeviceToDevice
#define skinny_rt_device_synchronize hipDeviceSynchronize
#define skinny_rt_runtime_version hipRuntimeGetVersion
#define skinny_rt_driver_version hipDriverGetVersion
#define skinny_rt_event_create hipEventCreate
#define skinny_rt_event_destroy hipEventDestroy
#define skinny_rt_event_record hipEventRecord
#define skinny_rt_event_synchronize hipEventSynchronize
#define skinny_rt_event_elapsed_ms hipEventElapsedTime
#define skinny_rt_stream_create hipStreamCreate
#define skinny_rt_stream_destroy hipStreamDestroy
#define skinny_rt_stream_synchronize hipStreamSynchronize
typedef hipGraph_t skinny_rt_graph;
typedef hipGraphExec_t skinny_rt_graph_exec;
#define skinny_rt_stream_begin_capture(s) hipStreamBeginCapture((s), hipStreamCaptureModeGlobal)
#define skinny_rt_stream_end_capture hipStreamEndCapture
#define skinny_rt_graph_instantiate(exec, graph) hipGraphInstantiateWithFlags((exec), (graph), 0)
#define skinny_rt_graph_launch hipGraphLaunch
#define skinny_rt_graph_exec_destroy hipGraphExecDestroy
#define skinny_rt_graph_destroy hipGraphDestroy
#define SKINNY_RT_NAME "HIP"
#endif

/* ------------------------------------------------------------- device code */
#if defined(__CUDACC__) || defined(__HIP__)

#if defined(SKINNY_BACKEND_CUDA)
#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
/* 16 bytes of weights or activations: 8 halves. */
typedef uint4 skinny_vec16;
#define SKINNY_DEVICE __device__ __forceinline__
#else
#include <hip/hip_runtime.h>
typedef unsigned int skinny_vec16 __attribute__((ext_vector_type(4)));
typedef _Float16 skinny_half2 __attribute__((ext_vector_type(2)));
#define SKINNY_DEVICE __device__ __attribute__((always_inline)) inline
#endif

/* Element type tags. Kernels move raw 16-bit patterns and convert with the
 * helpers below, so no backend half/bfloat16 class leaks into templates. */
struct skinny_f16 { uint16_t bits; };
struct skinny_bf16 { uint16_t bits; };

/* Weights are read exactly once: stream them past the caches that keep x. */
/* NVIDIA weight-load instruction (bench/lab compares them on a GPU):
 * 0 ld.global.cs (evict-first); 1 ld.global.nc with L1::no_allocate and an
 * L2::256B prefetch hint (the default: the fastest on Hopper, 2-5 points of
 * the read ceiling on large weights); 2 ld.global.cs with the 256B hint;
 * 3 as 1, plus an L2 evict_first cache policy. */
#ifndef SKINNY_NV_WEIGHT_LOAD
#define SKINNY_NV_WEIGHT_LOAD 1
#endif
SKINNY_DEVICE skinny_vec16 skinny_load_nt(const skinny_vec16 *p)
{
#if defined(SKINNY_BACKEND_CUDA) && SKINNY_NV_WEIGHT_LOAD == 1
    skinny_vec16 v;
    asm("ld.global.nc.L1::no_allocate.L2::256B.v4.u32 {%0,%1,%2,%3}, [%4];"
        : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
    return v;
#elif defined(SKINNY_BACKEND_CUDA) && SKINNY_NV_WEIGHT_LOAD == 2
    skinny_vec16 v;
    asm("ld.global.cs.L2::256B.v4.u32 {%0,%1,%2,%3}, [%4];"
        : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
    return v;
#elif defined(SKINNY_BACKEND_CUDA) && SKINNY_NV_WEIGHT_LOAD == 3
    skinny_vec16 v;
    asm("{\n\t.reg .b64 pol;\n\t"
        "createpolicy.fractional.L2::evict_first.b64 pol, 1.0;\n\t"
        "ld.global.nc.L1::no_allocate.L2::cache_hint.L2::256B.v4.u32 {%0,%1,%2,%3}, [%4], pol;\n\t}"
        : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
    return v;
#elif defined(SKINNY_BACKEND_CUDA)
    return __ldcs(p);
#else
    return __builtin_nontemporal_load(p);
#endif
}

SKINNY_DEVICE float skinny_bf16_to_f32(uint32_t bits16)
{
#if defined(SKINNY_BACKEND_CUDA)
    return __uint_as_float(bits16 << 16);
#else
    return __builtin_bit_cast(float, bits16 << 16);
#endif
}

SKINNY_DEVICE float skinny_f16_to_f32(uint32_t bits16)
{
#if defined(SKINNY_BACKEND_CUDA)
    return __half2float(__ushort_as_half((unsigned short)bits16));
#else
    return (float)__builtin_bit_cast(_Float16, (uint16_t)bits16);
#endif
}

/* Round to nearest even; NaN stays NaN (quiet bit forced). */
SKINNY_DEVICE uint16_t skinny_f32_to_bf16(float f)
{
#if defined(SKINNY_BACKEND_CUDA)
    uint32_t u = __float_as_uint(f);
#else
    uint32_t u = __builtin_bit_cast(uint32_t, f);
#endif
    if ((u & 0x7fffffffu) > 0x7f800000u)
        return (uint16_t)((u >> 16) | 0x40u);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

SKINNY_DEVICE uint16_t skinny_f32_to_f16(float f)
{
#if defined(SKINNY_BACKEND_CUDA)
    return __half_as_ushort(__float2half_rn(f));
#else
    return __builtin_bit_cast(uint16_t, (_Float16)f);
#endif
}

/* acc += dot(w[0..1], x[0..1]) for one 32-bit word holding two elements. */
SKINNY_DEVICE float skinny_dot2(skinny_f16, uint32_t w, uint32_t x, float acc)
{
#if defined(SKINNY_BACKEND_HIP) && (defined(__gfx908__) || defined(__gfx90a__) || \
    defined(__gfx940__) || defined(__gfx941__) || defined(__gfx942__) || \
    defined(__gfx1030__) || defined(__gfx1100__))
    /* v_dot2_f32_f16: two products and the fp32 add in one instruction. */
    return __builtin_amdgcn_fdot2(__builtin_bit_cast(skinny_half2, w),
                                  __builtin_bit_cast(skinny_half2, x), acc, false);
#elif defined(SKINNY_BACKEND_CUDA)
    float2 wf = __half22float2(*reinterpret_cast<const __half2 *>(&w));
    float2 xf = __half22float2(*reinterpret_cast<const __half2 *>(&x));
    return fmaf(wf.y, xf.y, fmaf(wf.x, xf.x, acc));
#else
    acc = fmaf(skinny_f16_to_f32(w & 0xffffu), skinny_f16_to_f32(x & 0xffffu), acc);
    return fmaf(skinny_f16_to_f32(w >> 16), skinny_f16_to_f32(x >> 16), acc);
#endif
}

SKINNY_DEVICE float skinny_dot2(skinny_bf16, uint32_t w, uint32_t x, float acc)
{
    /* bf16 widens to fp32 by a shift; no packed bf16 dot on every target. */
    acc = fmaf(skinny_bf16_to_f32(w & 0xffffu), skinny_bf16_to_f32(x & 0xffffu), acc);
    return fmaf(skinny_bf16_to_f32(w >> 16), skinny_bf16_to_f32(x >> 16), acc);
}

SKINNY_DEVICE float skinny_to_f32(skinny_f16, uint32_t bits16) { return skinny_f16_to_f32(bits16); }
SKINNY_DEVICE float skinny_to_f32(skinny_bf16, uint32_t bits16) { return skinny_bf16_to_f32(bits16); }
SKINNY_DEVICE uint16_t skinny_from_f32(skinny_f16, float f) { return skinny_f32_to_f16(f); }
SKINNY_DEVICE uint16_t skinny_from_f32(skinny_bf16, float f) { return skinny_f32_to_bf16(f); }

/* v from the lane whose index is this lane's XOR `mask`, within WAVE lanes.
 * NVIDIA: warp shuffle; AMD: __shfl_xor (ds_swizzle/DPP/bpermute chosen by
 * the compiler), valid for wave64 (CDNA) and wave32 (RDNA). */
template <int WAVE>
SKINNY_DEVICE float skinny_shfl_xor(float v, int mask)
{
#if defined(SKINNY_BACKEND_CUDA)
    return __shfl_xor_sync(0xffffffffu, v, mask, WAVE);
#else
    return __shfl_xor(v, mask, WAVE);
#endif
}

/* mask ? a : b, as bit operations (v_bfi_b32 on AMD, LOP3 on NVIDIA). A
 * plain ?: between two elements of one array lets LLVM turn it into an
 * indexed load, which keeps the array in scratch memory on AMD. */
SKINNY_DEVICE float skinny_blend(uint32_t mask, float a, float b)
{
#if defined(SKINNY_BACKEND_CUDA)
    return __uint_as_float((__float_as_uint(a) & mask) | (__float_as_uint(b) & ~mask));
#else
    return __builtin_bit_cast(float, (__builtin_bit_cast(uint32_t, a) & mask) |
                                         (__builtin_bit_cast(uint32_t, b) & ~mask));
#endif
}

/* ---- Matrix instructions (MMA rows of tiles.def): the device side of the
 * layouts above. One wave multiplies a 16-row tile of W by up to
 * SKINNY_MMA_NCOLS rows of x; each lane loads SKINNY_MMA_WROWS weight chunks
 * and one x chunk per step, and skinny_mma_step() issues the two
 * instructions; SKINNY_MMA_ACC fp32 results per lane. SKINNY_ARCH_MMA_WAVE
 * is the wave size of this pass's matrix path (0: none; the MMA kernel then
 * has an empty body and the build leaves its rows out). */
#if defined(SKINNY_BACKEND_CUDA)
/* Word i of a 16-byte chunk (i is a constant after inlining). */
SKINNY_DEVICE uint32_t skinny_word(const skinny_vec16 &v, int i)
{
    return i == 0 ? v.x : i == 1 ? v.y : i == 2 ? v.z : v.w;
}
#else
SKINNY_DEVICE uint32_t skinny_word(const skinny_vec16 &v, int i) { return v[i]; }
#endif

#if defined(SKINNY_BACKEND_CUDA) && (!defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800)
#define SKINNY_ARCH_MMA_WAVE 32
#define SKINNY_MMA_NCOLS 8
#define SKINNY_MMA_WROWS 2
#define SKINNY_MMA_ACC 4
#define SKINNY_MMA_LAYOUT(what) SKINNY_NV_MMA_##what

#define SKINNY_MMA_16816(TY, acc, w, x, s)                                                       \
    asm("mma.sync.aligned.m16n8k16.row.col.f32." TY "." TY ".f32 {%0,%1,%2,%3}, "                \
        "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"                                                  \
        : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])                                  \
        : "r"(skinny_word(w[SKINNY_NV_MMA_A_SLOT(0)], SKINNY_NV_MMA_A_WORD(s, 0))),               \
          "r"(skinny_word(w[SKINNY_NV_MMA_A_SLOT(1)], SKINNY_NV_MMA_A_WORD(s, 1))),               \
          "r"(skinny_word(w[SKINNY_NV_MMA_A_SLOT(2)], SKINNY_NV_MMA_A_WORD(s, 2))),               \
          "r"(skinny_word(w[SKINNY_NV_MMA_A_SLOT(3)], SKINNY_NV_MMA_A_WORD(s, 3))),               \
          "r"(skinny_word(x, SKINNY_NV_MMA_B_WORD(s, 0))), "r"(skinny_word(x, SKINNY_NV_MMA_B_WORD(s, 1))))
SKINNY_DEVICE void skinny_mma_step(skinny_f16, float *acc, const skinny_vec16 *w, skinny_vec16 x)
{
    SKINNY_MMA_16816("f16", acc, w, x, 0);
    SKINNY_MMA_16816("f16", acc, w, x, 1);
}
SKINNY_DEVICE void skinny_mma_step(skinny_bf16, float *acc, const skinny_vec16 *w, skinny_vec16 x)
{
    SKINNY_MMA_16816("bf16", acc, w, x, 0);
    SKINNY_MMA_16816("bf16", acc, w, x, 1);
}
#undef SKINNY_MMA_16816

/* ---- fp8 weights (MMA_FP8 rows) on mma.sync: see the FP8 layout above.
 * How e4m3 weights are widened for fp16 activations: 1 the hardware
 * conversion cvt.rn.f16x2.e4m3x2 (sm_89+, one instruction per pair, exact,
 * NaN kept), 0 the integer decode skinny_fp8x2_to_f16x2_scaled (sm_80+,
 * about four integer instructions per pair, scaled by 2^-8, undone in
 * fp32 at the end). Which is faster on Hopper is not measured yet (the
 * conversion pipe vs the integer pipe); bench/lab can build both. bf16
 * activations: there is no hardware e4m3 -> bf16 conversion; sm_89+ goes
 * e4m3 -> f16 -> f32 -> bf16 in hardware (measured faster than the integer
 * decode, below), older GPUs take the integer decode (x 2^-120, undone per
 * pair). */
#ifndef SKINNY_NV_FP8_CVT
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 890
#define SKINNY_NV_FP8_CVT 0
#else
#define SKINNY_NV_FP8_CVT 1
#endif
#endif
#define SKINNY_MMA8_AREGS 4

/* Four e4m3 weights (one 32-bit word) as two 16-bit pairs: lo from bytes
 * 0-1, hi from bytes 2-3, each value times skinny_fp8_prescale(T). */
SKINNY_DEVICE void skinny_fp8_word(skinny_f16, uint32_t w, uint32_t &lo, uint32_t &hi)
{
#if SKINNY_NV_FP8_CVT
    asm("{\n\t.reg .b16 l, h;\n\tmov.b32 {l, h}, %2;\n\t"
        "cvt.rn.f16x2.e4m3x2 %0, l;\n\tcvt.rn.f16x2.e4m3x2 %1, h;\n\t}"
        : "=r"(lo), "=r"(hi) : "r"(w));
#else
    lo = skinny_fp8x2_to_f16x2_scaled(w & 0xffffu);
    hi = skinny_fp8x2_to_f16x2_scaled(w >> 16);
#endif
}
/* bf16 below sm_89: the integer decode (x 2^-120), then x 2^120 in bf16: exact (the
 * products are e4m3 values, normal bf16 numbers), including the e4m3
 * subnormals, which are bf16 subnormals before the multiply (half-precision
 * arithmetic keeps subnormals; the GPU test covers every byte). fma with
 * -0 rather than mul.bf16x2, which needs sm_90. */
SKINNY_DEVICE uint32_t skinny_bf16x2_times_2p120(uint32_t v)
{
    uint32_t d;
    asm("fma.rn.bf16x2 %0, %1, %2, %3;" : "=r"(d) : "r"(v), "r"(0x7b807b80u), "r"(0x80008000u));
    return d;
}
SKINNY_DEVICE void skinny_fp8_word(skinny_bf16, uint32_t w, uint32_t &lo, uint32_t &hi)
{
#if SKINNY_NV_FP8_CVT
    /* The hardware e4m3 -> f16 pair conversion, each f16 widened to f32 and
     * the pair packed to bf16 (exact for every e4m3 value, NaN kept, no
     * scale to undo): bf16 x ran 0.7-4.1 % faster per cell (best row)
     * than with the integer decode on an H100 (2026-12-06, 12 rows; fp16 x,
     * unchanged, moved 0.2-0.4 %; bench/results/analyze.py fp8-kernel). */
    asm("{\n\t.reg .b16 l, h, a, b, c, d;\n\t.reg .b32 pl, ph;\n\t.reg .f32 f0, f1, f2, f3;\n\t"
        "mov.b32 {l, h}, %2;\n\tcvt.rn.f16x2.e4m3x2 pl, l;\n\tcvt.rn.f16x2.e4m3x2 ph, h;\n\t"
        "mov.b32 {a, b}, pl;\n\tmov.b32 {c, d}, ph;\n\t"
        "cvt.f32.f16 f0, a;\n\tcvt.f32.f16 f1, b;\n\tcvt.f32.f16 f2, c;\n\tcvt.f32.f16 f3, d;\n\t"
        "cvt.rn.bf16x2.f32 %0, f1, f0;\n\tcvt.rn.bf16x2.f32 %1, f3, f2;\n\t}"
        : "=r"(lo), "=r"(hi) : "r"(w));
#else
    lo = skinny_bf16x2_times_2p120(skinny_fp8x2_spread_to_bf16x2_scaled(__byte_perm(w, 0u, 0x4140u)));
    hi = skinny_bf16x2_times_2p120(skinny_fp8x2_spread_to_bf16x2_scaled(__byte_perm(w, 0u, 0x4342u)));
#endif
}
/* What the kernel multiplies its fp32 sums by to undo skinny_fp8_word's
 * scaling. */
SKINNY_DEVICE constexpr float skinny_fp8_prescale_undo(skinny_f16)
{
    return SKINNY_NV_FP8_CVT ? 1.0f : SKINNY_FP8_F16_SW_SCALE;
}
SKINNY_DEVICE constexpr float skinny_fp8_prescale_undo(skinny_bf16) { return 1.0f; }

/* A operand of instruction s (0..3) from the WROWS = 2 weight chunks (rows
 * g and g+8): register r holds row slot r & 1, pair r >> 1. */
template <typename T>
SKINNY_DEVICE void skinny_mma8_a(T, const skinny_vec16 *w, int s, uint32_t (&a)[SKINNY_MMA8_AREGS])
{
    skinny_fp8_word(T{}, skinny_word(w[0], s), a[0], a[2]);
    skinny_fp8_word(T{}, skinny_word(w[1], s), a[1], a[3]);
}
/* Instruction s: B registers r = x words 2s + r of the lane's 16 x
 * elements (x[0]: words 0-3, x[1]: words 4-7). */
#define SKINNY_MMA8_16816(TY, acc, a, x, s)                                                      \
    asm("mma.sync.aligned.m16n8k16.row.col.f32." TY "." TY ".f32 {%0,%1,%2,%3}, "                \
        "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"                                                  \
        : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])                                  \
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(skinny_word(x[(s) >> 1], 2 * ((s) & 1))), \
          "r"(skinny_word(x[(s) >> 1], 2 * ((s) & 1) + 1)))
SKINNY_DEVICE void skinny_mma8_op(skinny_f16, float *acc, const uint32_t (&a)[SKINNY_MMA8_AREGS],
                                  const skinny_vec16 *x, int s)
{
    SKINNY_MMA8_16816("f16", acc, a, x, s);
}
SKINNY_DEVICE void skinny_mma8_op(skinny_bf16, float *acc, const uint32_t (&a)[SKINNY_MMA8_AREGS],
                                  const skinny_vec16 *x, int s)
{
    SKINNY_MMA8_16816("bf16", acc, a, x, s);
}
#undef SKINNY_MMA8_16816

/* ---- fp8 activations and weights (X8 launchers of MMA_FP8 rows): see the
 * FP8X layout above. sm_89+: two mma.m16n8k32 e4m3 per 64-element step on
 * the loaded words, nothing decoded; the sums need no rescaling. Below
 * sm_89 (no e4m3 mma): both operands widened to fp16 by the weights'
 * decode (each x 2^-8 unless SKINNY_NV_FP8_CVT), four m16n8k16 per step,
 * the factors undone in fp32 at the end (SKINNY_FP8X_PRESCALE_UNDO). */
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 890
#define SKINNY_MMA8X_OPS 2
#define SKINNY_FP8X_PRESCALE_UNDO 1.0f
SKINNY_DEVICE void skinny_mma8x_op(float *acc, const skinny_vec16 *w, const skinny_vec16 &x, int s)
{
    asm("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32 {%0,%1,%2,%3}, "
        "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
        : "r"(skinny_word(w[SKINNY_NV_MMA_FP8X_A_SLOT(0)], SKINNY_NV_MMA_FP8X_A_WORD(s, 0))),
          "r"(skinny_word(w[SKINNY_NV_MMA_FP8X_A_SLOT(1)], SKINNY_NV_MMA_FP8X_A_WORD(s, 1))),
          "r"(skinny_word(w[SKINNY_NV_MMA_FP8X_A_SLOT(2)], SKINNY_NV_MMA_FP8X_A_WORD(s, 2))),
          "r"(skinny_word(w[SKINNY_NV_MMA_FP8X_A_SLOT(3)], SKINNY_NV_MMA_FP8X_A_WORD(s, 3))),
          "r"(skinny_word(x, SKINNY_NV_MMA_FP8X_B_WORD(s, 0))), "r"(skinny_word(x, SKINNY_NV_MMA_FP8X_B_WORD(s, 1))));
}
#else
#define SKINNY_MMA8X_OPS 4
#define SKINNY_FP8X_PRESCALE_UNDO (skinny_fp8_prescale_undo(skinny_f16{}) * skinny_fp8_prescale_undo(skinny_f16{}))
SKINNY_DEVICE void skinny_mma8x_op(float *acc, const skinny_vec16 *w, const skinny_vec16 &x, int s)
{
    uint32_t a[SKINNY_MMA8_AREGS], b0, b1;
    skinny_mma8_a(skinny_f16{}, w, s, a);
    skinny_fp8_word(skinny_f16{}, skinny_word(x, s), b0, b1);
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, "
        "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
#endif

#elif defined(SKINNY_BACKEND_HIP) && (defined(__gfx908__) || defined(__gfx90a__) || \
    defined(__gfx940__) || defined(__gfx941__) || defined(__gfx942__) || defined(__gfx950__))
#define SKINNY_ARCH_MMA_WAVE 64
#define SKINNY_MMA_NCOLS 16
#define SKINNY_MMA_WROWS 1
#define SKINNY_MMA_ACC 4
#define SKINNY_MMA_LAYOUT(what) SKINNY_AMD_MMA_##what
typedef float skinny_f32x4 __attribute__((ext_vector_type(4)));
typedef _Float16 skinny_half4 __attribute__((ext_vector_type(4)));
typedef short skinny_short4 __attribute__((ext_vector_type(4)));
typedef short skinny_short2 __attribute__((ext_vector_type(2)));
typedef unsigned int skinny_u32x2 __attribute__((ext_vector_type(2)));

SKINNY_DEVICE skinny_f32x4 skinny_mfma(skinny_f16, skinny_u32x2 a, skinny_u32x2 b, skinny_f32x4 c)
{
    return __builtin_amdgcn_mfma_f32_16x16x16f16(__builtin_bit_cast(skinny_half4, a),
                                                 __builtin_bit_cast(skinny_half4, b), c, 0, 0, 0);
}
SKINNY_DEVICE skinny_f32x4 skinny_mfma(skinny_bf16, skinny_u32x2 a, skinny_u32x2 b, skinny_f32x4 c)
{
#if defined(__gfx908__)
    /* gfx908 has only the 2-element bf16 form: two of them per 4 elements. */
    c = __builtin_amdgcn_mfma_f32_16x16x8bf16(__builtin_bit_cast(skinny_short2, a.x),
                                              __builtin_bit_cast(skinny_short2, b.x), c, 0, 0, 0);
    return __builtin_amdgcn_mfma_f32_16x16x8bf16(__builtin_bit_cast(skinny_short2, a.y),
                                                 __builtin_bit_cast(skinny_short2, b.y), c, 0, 0, 0);
#else
    return __builtin_amdgcn_mfma_f32_16x16x16bf16_1k(__builtin_bit_cast(skinny_short4, a),
                                                     __builtin_bit_cast(skinny_short4, b), c, 0, 0, 0);
#endif
}
template <typename T>
SKINNY_DEVICE void skinny_mma_step(T, float *acc, const skinny_vec16 *w, skinny_vec16 x)
{
    skinny_f32x4 c = {acc[0], acc[1], acc[2], acc[3]};
#pragma unroll
    for (int s = 0; s < 2; ++s)
        c = skinny_mfma(T{},
                        skinny_u32x2{skinny_word(w[SKINNY_AMD_MMA_A_SLOT(0)], SKINNY_AMD_MMA_A_WORD(s, 0)),
                                     skinny_word(w[SKINNY_AMD_MMA_A_SLOT(1)], SKINNY_AMD_MMA_A_WORD(s, 1))},
                        skinny_u32x2{skinny_word(x, SKINNY_AMD_MMA_B_WORD(s, 0)),
                                     skinny_word(x, SKINNY_AMD_MMA_B_WORD(s, 1))},
                        c);
    acc[0] = c.x;
    acc[1] = c.y;
    acc[2] = c.z;
    acc[3] = c.w;
}

/* ---- fp8 weights (MMA_FP8 rows) on MFMA: see the FP8 layout above. The
 * decode is software (Debian 12's clang 15 has no fp8 builtins, and only
 * gfx940+ has fp8 conversions): skinny_fp8x2_to_f16x2_scaled, x 2^-8; for
 * bf16 through fp32 (v_cvt_f32_f16 keeps f16 subnormals; the product by
 * 2^8 is an e4m3 value, exact in bf16, so its top 16 bits are the bf16).
 * OCP fn bits; gfx940's fnuz bits read this way are the fnuz values x 2
 * (bias 8 vs 7; NaN bytes aside): SKINNY_FP8_E4M3_FNUZ operands run with
 * the launch path's factor (SKINNY_FP8_FORMAT_SCALE, 1/2 per fnuz operand)
 * in the kernels' tensor scale. */
#define SKINNY_MMA8_AREGS 2
SKINNY_DEVICE void skinny_fp8_word(skinny_f16, uint32_t w, uint32_t &lo, uint32_t &hi)
{
    lo = skinny_fp8x2_to_f16x2_scaled(w & 0xffffu);
    hi = skinny_fp8x2_to_f16x2_scaled(w >> 16);
}
SKINNY_DEVICE uint32_t skinny_f16x2_scaled_to_bf16x2(uint32_t h)
{
    const uint32_t a = __builtin_bit_cast(uint32_t, skinny_f16_to_f32(h & 0xffffu) * 256.0f);
    const uint32_t b = __builtin_bit_cast(uint32_t, skinny_f16_to_f32(h >> 16) * 256.0f);
    return skinny_f32x2_bits_to_bf16x2_exact(a, b);
}
SKINNY_DEVICE void skinny_fp8_word(skinny_bf16, uint32_t w, uint32_t &lo, uint32_t &hi)
{
    lo = skinny_f16x2_scaled_to_bf16x2(skinny_fp8x2_to_f16x2_scaled(w & 0xffffu));
    hi = skinny_f16x2_scaled_to_bf16x2(skinny_fp8x2_to_f16x2_scaled(w >> 16));
}
SKINNY_DEVICE constexpr float skinny_fp8_prescale_undo(skinny_f16) { return SKINNY_FP8_F16_SW_SCALE; }
SKINNY_DEVICE constexpr float skinny_fp8_prescale_undo(skinny_bf16) { return 1.0f; }
/* A operand of instruction s: one row slot, registers = its two pairs. */
template <typename T>
SKINNY_DEVICE void skinny_mma8_a(T, const skinny_vec16 *w, int s, uint32_t (&a)[SKINNY_MMA8_AREGS])
{
    skinny_fp8_word(T{}, skinny_word(w[0], s), a[0], a[1]);
}
template <typename T>
SKINNY_DEVICE void skinny_mma8_op(T, float *acc, const uint32_t (&a)[SKINNY_MMA8_AREGS],
                                  const skinny_vec16 *x, int s)
{
    skinny_f32x4 c = {acc[0], acc[1], acc[2], acc[3]};
    c = skinny_mfma(T{}, skinny_u32x2{a[0], a[1]},
                    skinny_u32x2{skinny_word(x[s >> 1], 2 * (s & 1)), skinny_word(x[s >> 1], 2 * (s & 1) + 1)},
                    c);
    acc[0] = c.x;
    acc[1] = c.y;
    acc[2] = c.z;
    acc[3] = c.w;
}
/* fp8 activations and weights: Debian 12's clang 15 has no fp8 MFMA
 * builtins, so both operands take the weights' software decode to fp16
 * (x 2^-8 each, undone in fp32 at the end) and the fp16 MFMA, instruction
 * s (0..3) on word s of each (FP8 layout; x word s is the B pairs). */
#define SKINNY_MMA8X_OPS 4
#define SKINNY_FP8X_PRESCALE_UNDO (SKINNY_FP8_F16_SW_SCALE * SKINNY_FP8_F16_SW_SCALE)
SKINNY_DEVICE void skinny_mma8x_op(float *acc, const skinny_vec16 *w, const skinny_vec16 &x, int s)
{
    uint32_t a[SKINNY_MMA8_AREGS], b0, b1;
    skinny_mma8_a(skinny_f16{}, w, s, a);
    skinny_fp8_word(skinny_f16{}, skinny_word(x, s), b0, b1);
    skinny_f32x4 c = {acc[0], acc[1], acc[2], acc[3]};
    c = skinny_mfma(skinny_f16{}, skinny_u32x2{a[0], a[1]}, skinny_u32x2{b0, b1}, c);
    acc[0] = c.x;
    acc[1] = c.y;
    acc[2] = c.z;
    acc[3] = c.w;
}
#else /* no matrix path in this pass (host, RDNA): shapes only, no step */
#define SKINNY_ARCH_MMA_WAVE 0
#define SKINNY_MMA_NCOLS 16
#define SKINNY_MMA_WROWS 1
#define SKINNY_MMA_ACC 4
#define SKINNY_MMA8_AREGS 2
#define SKINNY_MMA8X_OPS 4
#define SKINNY_FP8X_PRESCALE_UNDO 1.0f
#define SKINNY_MMA_LAYOUT(what) SKINNY_AMD_MMA_##what
#endif

/* Workgroups of GROUP waves the MMA kernel asks to fit on one SM at once
 * (the second __launch_bounds__ argument): enough for SKINNY_MMA_MIN_WARPS
 * (skinny_row.h) warps, which caps registers so that occupancy and with it
 * the weight bytes in flight do not halve when N > 8 doubles the x operands
 * (bench/lab). HIP reads that argument as waves per EU: no hint there. */
#if defined(SKINNY_BACKEND_CUDA)
#define SKINNY_MMA_MIN_GROUPS(group) \
    ((SKINNY_MMA_MIN_WARPS + (group) - 1) / (group) > 1 ? (SKINNY_MMA_MIN_WARPS + (group) - 1) / (group) : 1)
#else
#define SKINNY_MMA_MIN_GROUPS(group) 1
#endif

SKINNY_DEVICE int skinny_mma_chunk(int lane) { return SKINNY_MMA_LAYOUT(CHUNK)(lane); }
/* The 16-element chunk of a 64-element fp8 step that lane loads. */
SKINNY_DEVICE int skinny_mma8_chunk(int lane) { return SKINNY_MMA_LAYOUT(FP8_CHUNK)(lane); }
/* (void): AMD's layout ignores the slot / accumulator index. */
SKINNY_DEVICE int skinny_mma_wrow(int lane, int i) { (void)i; return SKINNY_MMA_LAYOUT(WROW)(lane, i); }
SKINNY_DEVICE int skinny_mma_xrow(int lane) { return SKINNY_MMA_LAYOUT(XROW)(lane); }
SKINNY_DEVICE int skinny_mma_out_w(int lane, int j) { return SKINNY_MMA_LAYOUT(OUT_W)(lane, j); }
SKINNY_DEVICE int skinny_mma_out_x(int lane, int j) { (void)j; return SKINNY_MMA_LAYOUT(OUT_X)(lane, j); }

/* The low 8 bytes of a 16-byte weight chunk, the rest zero: the last fp8
 * chunk of a row whose K is 8 past a multiple of 16 (its other 8 bytes may
 * lie past the allocation). Same cache hints as skinny_load_nt. */
SKINNY_DEVICE skinny_vec16 skinny_load_nt_lo8(const skinny_vec16 *p)
{
#if defined(SKINNY_BACKEND_CUDA)
    skinny_vec16 v;
    asm("ld.global.nc.L1::no_allocate.v2.u32 {%0,%1}, [%2];" : "=r"(v.x), "=r"(v.y) : "l"(p));
    v.z = 0;
    v.w = 0;
    return v;
#else
    typedef unsigned int skinny_u32x2_lo8 __attribute__((ext_vector_type(2)));
    const skinny_u32x2_lo8 h = __builtin_nontemporal_load(reinterpret_cast<const skinny_u32x2_lo8 *>(p));
    return skinny_vec16{h.x, h.y, 0u, 0u};
#endif
}

/* The low 8 bytes of a 16-byte chunk of x, the rest zero (skinny_load_shared's
 * caching): the last chunk of an fp8 x row whose K is 8 past a multiple of 16. */
SKINNY_DEVICE skinny_vec16 skinny_load_shared_lo8(const skinny_vec16 *p)
{
#if defined(SKINNY_BACKEND_CUDA)
    const uint2 h = __ldg(reinterpret_cast<const uint2 *>(p));
    skinny_vec16 v;
    v.x = h.x;
    v.y = h.y;
    v.z = 0;
    v.w = 0;
    return v;
#else
    typedef unsigned int skinny_u32x2_x8 __attribute__((ext_vector_type(2)));
    const skinny_u32x2_x8 h = *reinterpret_cast<const skinny_u32x2_x8 *>(p);
    return skinny_vec16{h.x, h.y, 0u, 0u};
#endif
}

/* A plain evict-first 16-byte load (the bench's second read-ceiling
 * flavour, beside skinny_load_nt's). */
SKINNY_DEVICE skinny_vec16 skinny_load_evict_first(const skinny_vec16 *p)
{
#if defined(SKINNY_BACKEND_CUDA)
    return __ldcs(p);
#else
    return __builtin_nontemporal_load(p);
#endif
}

/* Read-mostly data every wave of the grid shares (x): keep it in L1. */
SKINNY_DEVICE skinny_vec16 skinny_load_shared(const skinny_vec16 *p)
{
#if defined(SKINNY_BACKEND_CUDA)
    return __ldg(p);
#else
    return *p;
#endif
}

/* Chunk p of x where live, else zeros; safe: any readable chunk of x. HIP:
 * clang 15 kept the zero vector of `live ? *p : 0` in scratch (48 bytes per
 * lane in the fp8 kernel, which loads x when it consumes a step; the AMD
 * code-object check refuses scratch), so there the load always reads, from
 * safe where not live, and the value is masked after. CUDA: the form the
 * kernel was measured with. */
SKINNY_DEVICE skinny_vec16 skinny_load_shared_if(bool live, const skinny_vec16 *p, const skinny_vec16 *safe)
{
#if defined(SKINNY_BACKEND_CUDA)
    (void)safe;
    return live ? skinny_load_shared(p) : skinny_vec16{};
#else
    const skinny_vec16 v = skinny_load_shared(live ? p : safe);
    return live ? v : skinny_vec16{};
#endif
}

/* The MMA_FP8 kernels' factor for fnuz operands (kernel args `a`,
 * skinny_kernel_args.fp8_format_scale: 1/2 per SKINNY_FP8_E4M3_FNUZ
 * operand, else 1). HIP reads it; CUDA builds never launch fnuz
 * (SKINNY_FP8_FNUZ_KERNELS), so there it is the constant 1 and the NVIDIA
 * kernels compile as they were measured. */
#if defined(SKINNY_BACKEND_CUDA)
#define SKINNY_FP8_FORMAT_SCALE(a) 1.0f
#else
#define SKINNY_FP8_FORMAT_SCALE(a) ((a).fp8_format_scale)
#endif

/* Does this device compilation pass produce code for a WAVE-lane row?
 * AMD compiles each TU for every offload arch; rows whose wave size the arch
 * does not run get an empty body there (the dispatcher never picks them). */
#if defined(SKINNY_BACKEND_CUDA)
#define SKINNY_ARCH_WAVE 32
#elif defined(__AMDGCN_WAVEFRONT_SIZE)
#define SKINNY_ARCH_WAVE __AMDGCN_WAVEFRONT_SIZE
#else
#define SKINNY_ARCH_WAVE 0 /* host pass */
#endif

/* Set the dynamic LDS limit of a kernel above the 48 KB default (CUDA only;
 * AMD gives every block the whole LDS without asking). */
#if defined(SKINNY_BACKEND_CUDA)
#define SKINNY_RAISE_LDS_LIMIT(kernel, bytes) \
    cudaFuncSetAttribute((const void *)(kernel), cudaFuncAttributeMaxDynamicSharedMemorySize, (int)(bytes))
#else
#define SKINNY_RAISE_LDS_LIMIT(kernel, bytes) hipSuccess
#endif

#endif /* device code */
#endif /* SKINNY_PORT_H */
