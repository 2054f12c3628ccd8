// read_ceiling.hip - the read-bandwidth ceiling the GEMMs are measured
// against: every thread streams 16-byte loads over a buffer several times
// larger than L2. Two load flavours: the kernels' own weight load
// (skinny_load_nt) and a plain evict-first load; the bench takes the faster,
// so a load hint that helps the GEMMs cannot lower the ceiling they are
// held to.
#include "skinny_port.h"

template <int FLAVOUR>
SKINNY_DEVICE skinny_vec16 skinny_read16(const skinny_vec16 *p)
{
    return FLAVOUR == 1 ? skinny_load_evict_first(p) : skinny_load_nt(p);
}

template <int FLAVOUR>
__global__ void __launch_bounds__(512) skinny_read_kernel(const skinny_vec16 *p, int64_t n16,
                                                          unsigned *sink)
{
    unsigned acc = 0;
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    /* Four loads in flight per thread, like the kernels' unroll. */
    for (; i + 3 * stride < n16; i += 4 * stride) {
        const skinny_vec16 a = skinny_read16<FLAVOUR>(p + i), b = skinny_read16<FLAVOUR>(p + i + stride),
                           c = skinny_read16<FLAVOUR>(p + i + 2 * stride),
                           d = skinny_read16<FLAVOUR>(p + i + 3 * stride);
        acc ^= a.x ^ a.y ^ a.z ^ a.w ^ b.x ^ b.y ^ b.z ^ b.w ^ c.x ^ c.y ^ c.z ^ c.w ^ d.x ^ d.y ^ d.z ^ d.w;
    }
    for (; i < n16; i += stride) {
        const skinny_vec16 a = skinny_read16<FLAVOUR>(p + i);
        acc ^= a.x ^ a.y ^ a.z ^ a.w;
    }
    /* Data-dependent store so the loads cannot be dropped. */
    if (acc == 0x9e3779b9u) sink[blockIdx.x] = acc;
}

/* flavour 0: the kernels' weight load; 1: evict-first (__ldcs). */
extern "C" int skinny_bench_read(const void *buf, size_t bytes, unsigned *sink, int blocks, int flavour,
                                 void *stream)
{
    auto kernel = flavour ? skinny_read_kernel<1> : skinny_read_kernel<0>;
    kernel<<<blocks, 512, 0, static_cast<skinny_rt_stream>(stream)>>>(
        static_cast<const skinny_vec16 *>(buf), (int64_t)(bytes / 16), sink);
    return skinny_rt_get_last_error() == SKINNY_RT_SUCCESS ? 0 : -1;
}
