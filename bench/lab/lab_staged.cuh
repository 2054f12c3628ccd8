/* lab_staged.cuh - kernel-lab prototype: the MMA kernel with weights staged
 * through shared memory by cp.async (NVIDIA sm_80+), S stages deep, so that
 * each weight row is read in long contiguous runs (the register kernel's
 * lanes read 64 bytes per row per step) and the bytes in flight sit in
 * shared memory instead of registers. A workgroup owns 16 x MT rows and
 * streams their K in stages of KS elements; its G warps split each stage's
 * 32-element steps, then sum their partial tiles through shared memory. */
#ifndef SKINNY_LAB_STAGED_CUH
#define SKINNY_LAB_STAGED_CUH
#include "skinny_kernel.cuh"

SKINNY_DEVICE void lab_cp_async16(void *smem, const void *gmem, bool valid)
{
    const unsigned dst = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.cg.shared.global.L2::256B [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(gmem),
                 "r"(valid ? 16 : 0));
}

template <typename T, int N, int G, int MT, int KS, int S>
__global__ void __launch_bounds__(32 * G) lab_staged_kernel(skinny_kernel_args a)
{
    constexpr int NT = (N + 7) / 8, ACC = 4, R = 16 * MT;
    constexpr int RS = KS * 2 + 64;          /* row stride in bytes: +64 keeps LDS.128 conflict-free */
    constexpr int CHUNKS = R * KS / 8;       /* 16-byte copies per stage */
    constexpr int STEPS = KS / 32;           /* 32-element MMA steps per stage */
    static_assert(KS % 32 == 0 && CHUNKS % (32 * G) == 0, "stage shape");
    extern __shared__ __align__(16) unsigned char lab_smem[];
    const int lane = threadIdx.x, wave = threadIdx.y, tid = wave * 32 + lane;
    const int64_t M = a.m, K = a.k;
    const int chunk = lane & 3;
    const int64_t base = (int64_t)blockIdx.x * R;

    const skinny_vec16 *xrow[NT];
    bool xlive[NT];
#pragma unroll
    for (int t = 0; t < NT; ++t) {
        const int r = t * 8 + (lane >> 2);
        xlive[t] = r < N;
        xrow[t] = a.x + (int64_t)(xlive[t] ? r : 0) * a.ld_x8;
    }
    /* Copy slots of this thread: fixed rows and chunks for every stage. */
    const unsigned char *src[CHUNKS / (32 * G)];
    int dst[CHUNKS / (32 * G)], kofs[CHUNKS / (32 * G)];
#pragma unroll
    for (int j = 0; j < CHUNKS / (32 * G); ++j) {
        const int i = tid + j * 32 * G, row = i / (KS / 8), c = i % (KS / 8);
        const int64_t grow = base + row < M ? base + row : M - 1;
        src[j] = (const unsigned char *)(a.w + grow * a.ld_w8) + c * 16;
        dst[j] = row * RS + c * 16;
        kofs[j] = c * 8;
    }
    const int64_t stages = (K + KS - 1) / KS;
    auto issue = [&](int64_t st) {
        if (st < stages) {
            unsigned char *buf = lab_smem + (st % S) * R * RS;
#pragma unroll
            for (int j = 0; j < CHUNKS / (32 * G); ++j) {
                const int64_t k = st * KS + kofs[j];
                lab_cp_async16(buf + dst[j], src[j] + st * KS * 2, k < K);
            }
        }
        asm volatile("cp.async.commit_group;\n" ::);
    };
#pragma unroll
    for (int s = 0; s < S - 1; ++s) issue(s);

    float acc[MT][NT][ACC];
#pragma unroll
    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
        for (int t = 0; t < NT; ++t)
#pragma unroll
            for (int j = 0; j < ACC; ++j) acc[mt][t][j] = 0.0f;

    for (int64_t st = 0; st < stages; ++st) {
        asm volatile("cp.async.wait_group %0;\n" ::"n"(S - 2));
        __syncthreads(); /* stage st landed for all; stage st-1's buffer is free */
        issue(st + S - 1);
        const unsigned char *buf = lab_smem + (st % S) * R * RS;
        for (int step = wave; step < STEPS; step += G) {
            const int64_t k = st * KS + step * 32 + 8 * chunk;
            skinny_vec16 xv[NT];
#pragma unroll
            for (int t = 0; t < NT; ++t)
                xv[t] = k < K && xlive[t] ? skinny_load_shared(xrow[t] + k / 8) : skinny_vec16{};
#pragma unroll
            for (int mt = 0; mt < MT; ++mt) {
                skinny_vec16 wv[2];
#pragma unroll
                for (int i = 0; i < 2; ++i)
                    wv[i] = *(const skinny_vec16 *)(buf + (16 * mt + (lane >> 2) + 8 * i) * RS +
                                                    (step * 32 + 8 * chunk) * 2);
#pragma unroll
                for (int t = 0; t < NT; ++t) skinny_mma_step(T{}, acc[mt][t], wv, xv[t]);
            }
        }
    }
    asm volatile("cp.async.wait_all;\n" ::);
    __syncthreads();
    float *red = (float *)lab_smem; /* [G][PER_LANE][32] */
    constexpr int PER_LANE = MT * NT * ACC;
#pragma unroll
    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
        for (int t = 0; t < NT; ++t)
#pragma unroll
            for (int j = 0; j < ACC; ++j)
                red[((wave * MT + mt) * NT * ACC + t * ACC + j) * 32 + lane] = acc[mt][t][j];
    __syncthreads();
    for (int e = tid; e < PER_LANE * 32; e += 32 * G) {
        float sum = 0.0f;
#pragma unroll
        for (int g = 0; g < G; ++g) sum += red[g * PER_LANE * 32 + e];
        const int p = e / 32, l = e % 32, j = p % ACC;
        const int n = (p / ACC) % NT * 8 + skinny_mma_out_x(l, j);
        const int64_t col = base + 16 * (p / (NT * ACC)) + skinny_mma_out_w(l, j);
        if (n >= N || col >= M) continue;
        a.y[n * a.ld_y + col] = skinny_from_f32(T{}, sum);
    }
}

template <int G, int MT, int KS, int S>
constexpr size_t lab_staged_smem()
{
    return (size_t)S * 16 * MT * (KS * 2 + 64);
}
#endif
