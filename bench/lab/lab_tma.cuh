/* lab_tma.cuh - kernel-lab prototype (NVIDIA sm_90): the MMA kernel fed by
 * TMA bulk copies. One producer warp streams each block's weight rows, KS
 * elements per row per stage, into an S-deep ring of shared-memory stages
 * (cp.async.bulk, completion counted in bytes on an mbarrier); G consumer
 * warps multiply each stage out of shared memory and hand it back. The
 * bytes in flight sit in shared memory (up to S stages per workgroup), not
 * in registers, and the producer runs ahead across block ends, so the
 * stream never pauses for a block's reduction. Each workgroup walks the
 * blocks blockIdx.x, + grid, ... (a persistent grid). Summation order: warp
 * w owns steps w, w + G, ... of every stage; the warps' tiles are summed in
 * warp order: it depends on K, KS and G, not on N. */
#ifndef SKINNY_LAB_TMA_CUH
#define SKINNY_LAB_TMA_CUH
#include "skinny_kernel.cuh"

SKINNY_DEVICE uint32_t lab_sa(const void *p) { return (uint32_t)__cvta_generic_to_shared(p); }
SKINNY_DEVICE void lab_mbar_init(uint64_t *b, unsigned count)
{
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(lab_sa(b)), "r"(count) : "memory");
}
SKINNY_DEVICE void lab_mbar_expect_tx(uint64_t *b, unsigned bytes)
{
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(lab_sa(b)), "r"(bytes) : "memory");
}
SKINNY_DEVICE void lab_mbar_arrive(uint64_t *b)
{
    asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(lab_sa(b)) : "memory");
}
SKINNY_DEVICE void lab_mbar_wait(uint64_t *b, unsigned parity)
{
    asm volatile("{\n\t.reg .pred p;\n"
                 "LAB_WAIT:\n\t"
                 "mbarrier.try_wait.parity.shared::cta.b64 p, [%0], %1;\n\t"
                 "@p bra LAB_DONE;\n\t"
                 "bra LAB_WAIT;\n"
                 "LAB_DONE:\n\t}" ::"r"(lab_sa(b)),
                 "r"(parity)
                 : "memory");
}
SKINNY_DEVICE void lab_bulk_copy(void *dst, const void *src, unsigned bytes, uint64_t *bar, uint64_t policy)
{
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes.L2::cache_hint"
                 " [%0], [%1], %2, [%3], %4;" ::"r"(lab_sa(dst)),
                 "l"(src), "r"(bytes), "r"(lab_sa(bar)), "l"(policy)
                 : "memory");
}

template <int G, int MT, int KS, int S, int N>
constexpr size_t lab_tma_smem()
{
    return 128 + (size_t)S * 16 * MT * (KS * 2 + 64) + sizeof(float) * G * MT * ((N + 7) / 8) * 4 * 32;
}

template <typename T, int N, int G, int MT, int KS, int S>
__global__ void __launch_bounds__(32 * (G + 1)) lab_tma_kernel(skinny_kernel_args a)
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    constexpr int NT = (N + 7) / 8, ACC = 4, R = 16 * MT, PER_LANE = MT * NT * ACC;
    constexpr int RS = KS * 2 + 64; /* row stride: == 64 mod 128 keeps LDS.128 conflict-free */
    constexpr int STEPS = KS / 32, MINE = STEPS / G;
    static_assert(KS % 64 == 0 && STEPS % G == 0 && R <= 32, "stage shape");
    extern __shared__ __align__(128) unsigned char lab_smem[];
    uint64_t *full = (uint64_t *)lab_smem, *empty = full + S;
    unsigned char *stages = lab_smem + 128;
    float *red = (float *)(stages + (size_t)S * R * RS); /* [G][PER_LANE][32] */
    const int lane = threadIdx.x, wave = threadIdx.y;
    const int64_t M = a.m, K = a.k, kst = (K + KS - 1) / KS;
    if (wave == 0 && lane == 0) {
        for (int s = 0; s < S; ++s) {
            lab_mbar_init(&full[s], 1);
            lab_mbar_init(&empty[s], G);
        }
        asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
    }
    __syncthreads();

    if (wave == G) { /* producer */
        uint64_t policy;
        asm volatile("createpolicy.fractional.L2::evict_first.b64 %0, 1.0;" : "=l"(policy));
        int64_t it = 0;
        for (int64_t base = (int64_t)blockIdx.x * R; base < M; base += a.stride) {
            const int64_t row = base + lane < M ? base + lane : M - 1;
            const unsigned char *src = (const unsigned char *)(a.w + row * a.ld_w8);
            for (int64_t st = 0; st < kst; ++st, ++it) {
                const int s = (int)(it % S);
                if (it >= S) lab_mbar_wait(&empty[s], (unsigned)((it / S - 1) & 1));
                const int64_t k0 = st * KS;
                const unsigned bytes = (unsigned)((K - k0 < KS ? K - k0 : KS) * 2);
                if (lane == 0) lab_mbar_expect_tx(&full[s], bytes * R);
                __syncwarp();
                if (lane < R) lab_bulk_copy(stages + ((size_t)s * R + lane) * RS, src + k0 * 2, bytes, &full[s], policy);
            }
        }
        return;
    }

    const int chunk = lane & 3;
    int32_t xoff[NT];
    bool xlive[NT];
#pragma unroll
    for (int t = 0; t < NT; ++t) {
        const int r = t * 8 + (lane >> 2);
        xlive[t] = r < N;
        xoff[t] = (int32_t)((xlive[t] ? r : 0) * a.ld_x8);
    }
    int64_t it = 0;
    for (int64_t base = (int64_t)blockIdx.x * R; base < M; base += a.stride) {
        float acc[MT][NT][ACC];
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
            for (int t = 0; t < NT; ++t)
#pragma unroll
                for (int j = 0; j < ACC; ++j) acc[mt][t][j] = 0.0f;
        for (int64_t st = 0; st < kst; ++st, ++it) {
            const int s = (int)(it % S);
            skinny_vec16 xv[MINE][NT];
            bool in[MINE];
#pragma unroll
            for (int j = 0; j < MINE; ++j) {
                const int64_t k = st * KS + (wave + j * G) * 32 + 8 * chunk;
                in[j] = k < K;
#pragma unroll
                for (int t = 0; t < NT; ++t)
                    xv[j][t] = in[j] && xlive[t] ? skinny_load_shared(a.x + xoff[t] + k / 8) : skinny_vec16{};
            }
            lab_mbar_wait(&full[s], (unsigned)((it / S) & 1));
            const unsigned char *buf = stages + (size_t)s * R * RS;
            skinny_vec16 wv[MINE][MT][2];
#pragma unroll
            for (int j = 0; j < MINE; ++j)
#pragma unroll
                for (int mt = 0; mt < MT; ++mt)
#pragma unroll
                    for (int i = 0; i < 2; ++i)
                        wv[j][mt][i] = in[j] ? *(const skinny_vec16 *)(buf + (16 * mt + (lane >> 2) + 8 * i) * RS +
                                                                        ((wave + j * G) * 32 + 8 * chunk) * 2)
                                             : skinny_vec16{};
            /* The stage's next fill is an async-proxy write: order this
             * warp's generic-proxy reads before it (cross-proxy WAR). Added
             * after lab8's wrong results in one configuration as the likely
             * cause; not yet rerun on a GPU. */
            asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
            __syncwarp();
            if (lane == 0) lab_mbar_arrive(&empty[s]);
#pragma unroll
            for (int j = 0; j < MINE; ++j)
#pragma unroll
                for (int mt = 0; mt < MT; ++mt)
#pragma unroll
                    for (int t = 0; t < NT; ++t) skinny_mma_step(T{}, acc[mt][t], wv[j][mt], xv[j][t]);
        }
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
            for (int t = 0; t < NT; ++t)
#pragma unroll
                for (int j = 0; j < ACC; ++j)
                    red[((wave * MT + mt) * NT * ACC + t * ACC + j) * 32 + lane] = acc[mt][t][j];
        asm volatile("bar.sync 1, %0;" ::"r"(32 * G) : "memory");
        for (int e = wave * 32 + lane; e < PER_LANE * 32; e += 32 * G) {
            float sum = 0.0f;
#pragma unroll
            for (int g = 0; g < G; ++g) sum += red[g * PER_LANE * 32 + e];
            const int p = e / 32, l = e % 32, j = p % ACC;
            const int n = (p / ACC) % NT * 8 + skinny_mma_out_x(l, j);
            const int64_t col = base + 16 * (p / (NT * ACC)) + skinny_mma_out_w(l, j);
            if (n >= N || col >= M) continue;
            a.y[n * a.ld_y + col] = skinny_from_f32(T{}, sum);
        }
        asm volatile("bar.sync 1, %0;" ::"r"(32 * G) : "memory");
    }
#else
    (void)a;
#endif
}
#endif
