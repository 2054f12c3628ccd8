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

#include <stdint.h>

#if defined(__CUDACC__)
#define SKINNY_BACKEND_CUDA 1
#elif defined(__HIP__)
#define SKINNY_BACKEND_HIP 1
#endif

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
/* Runtime errors that mean "not a valid stream handle". */
#define SKINNY_RT_BAD_HANDLE(e) \
    ((e) == cudaErrorInvalidResourceHandle || (e) == cudaErrorContextIsDestroyed)
/* Used by tests and benchmarks, not by the library itself. */
typedef struct cudaDeviceProp skinny_rt_device_prop;
typedef cudaEvent_t skinny_rt_event;
#define skinny_rt_malloc cudaMalloc
#define skinny_rt_free cudaFree
#define skinny_rt_memcpy cudaMemcpy
#define skinny_rt_memset cudaMemset
#define SKINNY_RT_H2D cudaMemcpyHostToDevice
#define SKINNY_RT_D2H cudaMemcpyDeviceToHost
#define SKINNY_RT_D2D cudaMemcpyDeviceToDevice
#define skinny_rt_device_synchronize cudaDeviceSynchronize
#define skinny_rt_get_device_properties cudaGetDeviceProperties
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
#define SKINNY_RT_BAD_HANDLE(e) \
    ((e) == hipErrorInvalidHandle /* == hipErrorInvalidResourceHandle */ || \
     (e) == hipErrorContextIsDestroyed)
typedef hipDeviceProp_t skinny_rt_device_prop;
typedef hipEvent_t skinny_rt_event;
#define skinny_rt_malloc hipMalloc
#define skinny_rt_free hipFree
#define skinny_rt_memcpy hipMemcpy
#define skinny_rt_memset hipMemset
#define SKINNY_RT_H2D hipMemcpyHostToDevice
#define SKINNY_RT_D2H hipMemcpyDeviceToHost
#define SKINNY_RT_D2D hipMemcpyDeviceToDevice
#define skinny_rt_device_synchronize hipDeviceSynchronize
#define skinny_rt_get_device_properties hipGetDeviceProperties
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
SKINNY_DEVICE skinny_vec16 skinny_load_nt(const skinny_vec16 *p)
{
#if defined(SKINNY_BACKEND_CUDA)
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
