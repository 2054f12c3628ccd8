/* lab_xjit.cuh - kernel-lab prototype: the MMA kernel with x loaded just in
 * time. The library's kernel keeps both batches' x chunks in registers
 * across the pipeline (NT x UNROLL chunks each), which is what limits N > 8
 * rows to MT = 2, U = 2 under the 128-register cap. Here a batch holds only
 * weights; a step's x chunks are loaded when the batch is consumed (L1/L2
 * hits, other warps cover the latency), so N = 9..16 can run one 16-row
 * tile with four steps per batch, the weight bytes in flight of the N <= 8
 * rows. Same K order, grid and reduction as skinny_mma_kernel. */
#ifndef SKINNY_LAB_XJIT_CUH
#define SKINNY_LAB_XJIT_CUH
#include "skinny_kernel.cuh"

template <int MT, int UNROLL>
struct lab_xjit_batch {
    skinny_vec16 w[UNROLL][MT][SKINNY_MMA_WROWS];
    int64_t i; /* the wave's chunk index of the batch's first step */
};

template <typename T, int N, int GROUP, int MT, int UNROLL>
__global__ void __launch_bounds__(32 * GROUP, SKINNY_MMA_MIN_GROUPS(GROUP)) lab_xjit_kernel(skinny_kernel_args a)
{
    using shape = skinny_mma_shape<N, 32, GROUP, MT>;
    constexpr int NT = shape::NT;
    constexpr int WR = SKINNY_MMA_WROWS, ACC = SKINNY_MMA_ACC;
    const int lane = threadIdx.x, wave = threadIdx.y;
    const int64_t M = a.m, K = a.k;
    const int chunk = skinny_mma_chunk(lane);
    const skinny_vec16 *const xbase = a.x;
    int32_t xoff[NT];
    bool xlive[NT];
    skinny_mma_x_rows<N>(lane, a.ld_x8, xoff, xlive);

    for (int64_t base = (int64_t)blockIdx.x * 16 * MT; base < M; base += a.stride) {
        float acc[MT][NT][ACC];
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
            for (int t = 0; t < NT; ++t)
#pragma unroll
                for (int j = 0; j < ACC; ++j) acc[mt][t][j] = 0.0f;
        const skinny_vec16 *const wbase = a.w + base * a.ld_w8;
        int32_t woff[MT][WR];
        skinny_mma_w_rows<MT>(lane, base, M, a.ld_w8, woff);

        lab_xjit_batch<MT, UNROLL> b0, b1;
        skinny_mma_pipeline<GROUP, 32, UNROLL>(
            wave, K, b0, b1,
            [&](lab_xjit_batch<MT, UNROLL> &b, int64_t i) {
                b.i = i;
#pragma unroll
                for (int u = 0; u < UNROLL; ++u) {
                    const int64_t k = skinny_mma_chunk_k<GROUP>(wave, i + u) + 8 * chunk;
                    const bool in = k < K;
#pragma unroll
                    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
                        for (int r = 0; r < WR; ++r)
                            b.w[u][mt][r] = in ? skinny_load_nt(wbase + woff[mt][r] + k / 8) : skinny_vec16{};
                }
            },
            [&](const lab_xjit_batch<MT, UNROLL> &b) {
                skinny_vec16 xv[UNROLL][NT];
#pragma unroll
                for (int u = 0; u < UNROLL; ++u) {
                    const int64_t k = skinny_mma_chunk_k<GROUP>(wave, b.i + u) + 8 * chunk;
#pragma unroll
                    for (int t = 0; t < NT; ++t)
                        xv[u][t] = k < K && xlive[t] ? skinny_load_shared(xbase + xoff[t] + k / 8) : skinny_vec16{};
                }
#pragma unroll
                for (int u = 0; u < UNROLL; ++u)
#pragma unroll
                    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
                        for (int t = 0; t < NT; ++t) skinny_mma_step(T{}, acc[mt][t], b.w[u][mt], xv[u][t]);
            });

        skinny_mma_reduce_store<T, N, 32, GROUP, MT>(a, acc, base, lane, wave, [](int64_t, float sum) { return sum; });
    }
}
#endif
