// read_ceiling.hip - the read-bandwidth ceiling the GEMMs are measured
// against: every thread streams 16-byte non-temporal loads over a buffer
// several times larger than L2, exactly the access the kernels make to W.
#include "skinny_port.h"

__global__ void __launch_bounds__(512) skinny_read_kernel(const skinny_vec16 *p, int64_t n16,
                                                          unsigned *sink)
{
    unsigned acc = 0;
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    /* Four loads in flight per thread, like the kernels' unroll. */
    for (; i + 3 * stride < n16; i += 4 * stride) {
        const skinny_vec16 a = skinny_load_nt(p + i), b = skinny_load_nt(p + i + stride),
                           c = skinny_load_nt(p + i + 2 * stride), d = skinny_load_nt(p + i + 3 * stride);
        acc ^= a.x ^ a.y ^ a.z ^ a.w ^ b.x ^ b.y ^ b.z ^ b.w ^ c.x ^ c.y ^ c.z ^ c.w ^ d.x ^ d.y ^ d.z ^ d.w;
    }
    for (; i < n16; i += stride) {
        const skinny_vec16 a = skinny_load_nt(p + i);
        acc ^= a.x ^ a.y ^ a.z ^ a.w;
    }
    /* Data-dependent store so the loads cannot be dropped. */
    if (acc == 0x9e3779b9u) sink[blockIdx.x] = acc;
}

extern "C" int skinny_bench_read(const void *buf, size_t bytes, unsigned *sink, int blocks, void *stream)
{
    skinny_read_kernel<<<blocks, 512, 0, static_cast<skinny_rt_stream>(stream)>>>(
        static_cast<const skinny_vec16 *>(buf), (int64_t)(bytes / 16), sink);
    return skinny_rt_get_last_error() == SKINNY_RT_SUCCESS ? 0 : -1;
}
