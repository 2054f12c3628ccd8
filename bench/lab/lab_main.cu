/* lab_main.cu - the kernel lab: times every compiled variant and
 * configuration of the MMA kernel on the default shapes against cuBLAS and
 * the read ceiling, all in one run (median of batches, weights rotated over
 * copies > 4x L2, random data, outputs checked against cuBLAS). Prints one
 * CSV line per (variant, config, grid mode, shape, N). Development tool for
 * choosing the MMA rows' design; skinny-bench measures the library. */
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "skinny_kernel.cuh"
#include "lab.h"

extern "C" const lab_table lab_table_v0, lab_table_v1;
static const lab_table *tables[] = {&lab_table_v0, &lab_table_v1};

extern "C" {
#include "bench_common.h" /* CK, CKB: checked CUDA and cuBLAS calls */
}

__global__ void fill_random(uint16_t *p, size_t n, uint32_t seed, int bf16)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
        uint32_t h = (uint32_t)i * 2654435761u ^ seed;
        h ^= h >> 15; h *= 2246822519u; h ^= h >> 13; h *= 3266489917u; h ^= h >> 16;
        const float v = ((h & 0xffffu) / 65535.0f - 0.5f) * 0.25f;
        p[i] = bf16 ? skinny_f32_to_bf16(v) : skinny_f32_to_f16(v);
    }
}

__global__ void read_kernel(const skinny_vec16 *p, int64_t n16, unsigned *sink)
{
    unsigned acc = 0;
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    for (; i + 3 * stride < n16; i += 4 * stride) {
        const skinny_vec16 a = __ldcs(p + i), b = __ldcs(p + i + stride), c = __ldcs(p + i + 2 * stride),
                           d = __ldcs(p + i + 3 * stride);
        acc ^= a.x ^ a.y ^ a.z ^ a.w ^ b.x ^ b.y ^ b.z ^ b.w ^ c.x ^ c.y ^ c.z ^ c.w ^ d.x ^ d.y ^ d.z ^ d.w;
    }
    for (; i < n16; i += stride) { const skinny_vec16 a = __ldcs(p + i); acc ^= a.x ^ a.y ^ a.z ^ a.w; }
    if (acc == 0x9e3779b9u) sink[blockIdx.x] = acc;
}

static float host_to_f32(uint16_t b, int bf16)
{
    if (bf16) { uint32_t u = (uint32_t)b << 16; float f; memcpy(&f, &u, 4); return f; }
    const int s = b >> 15, e = (b >> 10) & 31, m = b & 1023;
    float v = e == 0 ? ldexpf((float)m, -24) : ldexpf((float)(m | 1024), e - 25);
    return s ? -v : v;
}

template <typename F>
static float time_median(F &&op, int reps, int batches)
{
    cudaEvent_t a, b;
    CK(cudaEventCreate(&a));
    CK(cudaEventCreate(&b));
    for (int i = 0; i < 3; i++) op(i);
    std::vector<float> t;
    for (int bt = 0; bt < batches; bt++) {
        CK(cudaEventRecord(a));
        for (int r = 0; r < reps; r++) op(bt * reps + r);
        CK(cudaEventRecord(b));
        CK(cudaEventSynchronize(b));
        float ms;
        CK(cudaEventElapsedTime(&ms, a, b));
        t.push_back(ms * 1000.0f / reps);
    }
    CK(cudaGetLastError());
    std::sort(t.begin(), t.end());
    CK(cudaEventDestroy(a));
    CK(cudaEventDestroy(b));
    return t[t.size() / 2];
}

int main(int argc, char **argv)
{
    struct { long m, k; } shapes[] = {{2048, 2048}, {1024, 4096}, {4096, 4096}, {6144, 4096}, {24576, 4096},
                                      {4096, 12288}, {8192, 8192}, {10240, 8192}, {8192, 28672}, {151936, 4096},
                                      /* model shapes: many blocks per SM, K = 3584..14336 */
                                      {28672, 4096}, {4096, 14336}, {37888, 3584}, {152064, 3584}};
    const int nshapes = sizeof shapes / sizeof shapes[0];
    /* Optional shape indices (argv[1..]): only those shapes. */
    auto wanted = [&](int s) {
        if (argc < 2) return true;
        for (int i = 1; i < argc; i++)
            if (atoi(argv[i]) == s) return true;
        return false;
    };
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    const size_t l2 = prop.l2CacheSize;
    printf("# device %s, %d SMs, L2 %zu MB\n", prop.name, prop.multiProcessorCount, l2 >> 20);

    /* Read ceiling. */
    {
        const size_t bytes = (size_t)2 << 30;
        void *buf;
        unsigned *sink;
        CK(cudaMalloc(&buf, bytes));
        CK(cudaMalloc((void **)&sink, 4096 * 4));
        fill_random<<<1024, 256>>>((uint16_t *)buf, bytes / 2, 7, 1);
        const int blocks = prop.multiProcessorCount * 4;
        float us = time_median([&](int) { read_kernel<<<blocks, 512>>>((const skinny_vec16 *)buf, bytes / 16, sink); }, 5, 7);
        printf("# read ceiling %.0f GB/s\n", bytes / us / 1e3);
        printf("ceiling,%.1f\n", bytes / us / 1e3);
        CK(cudaFree(buf));
        CK(cudaFree(sink));
    }
    cublasHandle_t blas;
    CKB(cublasCreate(&blas));
    printf("variant,n,group,mt,unroll,grid_mode,grid,m,k,us,GBps,cublas_us,speedup,relerr\n");
    const int bf16 = 1;
    for (int s = 0; s < nshapes; s++) {
        if (!wanted(s)) continue;
        const long M = shapes[s].m, K = shapes[s].k;
        const size_t wbytes = (size_t)M * K * 2;
        int copies = (int)((4 * l2 + wbytes - 1) / wbytes);
        if (copies < 2) copies = 2;
        char *w;
        uint16_t *x, *y, *yref;
        CK(cudaMalloc((void **)&w, wbytes * copies));
        CK(cudaMalloc((void **)&x, 16 * K * 2));
        CK(cudaMalloc((void **)&y, 16 * M * 2));
        CK(cudaMalloc((void **)&yref, 16 * M * 2));
        fill_random<<<2048, 256>>>((uint16_t *)w, wbytes / 2 * copies, 1234u + s, bf16);
        fill_random<<<256, 256>>>(x, 16 * K, 99u + s, bf16);
        CK(cudaDeviceSynchronize());
        const int reps = copies < 8 ? 8 : copies;
        {
            /* The read ceiling at this size: a pure 16-byte streaming read of
             * one weight copy (rotated like the GEMMs), so launch and tail
             * costs of a kernel this short are in it too. */
            unsigned *sink;
            CK(cudaMalloc((void **)&sink, 4096 * 4));
            const int blocks = prop.multiProcessorCount * 4;
            const float us = time_median([&](int i) {
                read_kernel<<<blocks, 512>>>((const skinny_vec16 *)(w + (size_t)(i % copies) * wbytes), wbytes / 16, sink);
            }, reps, 7);
            printf("readsize,%ld,%ld,%.2f,%.0f\n", M, K, us, wbytes / us / 1e3);
            CK(cudaFree(sink));
        }
        std::vector<uint16_t> hy(16 * M), hr(16 * M);
        for (int n : {1, 8, 12, 16}) {
            const float alpha = 1, beta = 0;
            auto blas_op = [&](int i) {
                CKB(cublasGemmEx(blas, CUBLAS_OP_T, CUBLAS_OP_N, (int)M, n, (int)K, &alpha,
                                 w + (size_t)(i % copies) * wbytes, CUDA_R_16BF, (int)K, x, CUDA_R_16BF,
                                 (int)K, &beta, yref, CUDA_R_16BF, (int)M, CUBLAS_COMPUTE_32F,
                                 CUBLAS_GEMM_DEFAULT));
            };
            const float blas_us = time_median(blas_op, reps, 7);
            blas_op(0);
            CK(cudaMemcpy(hr.data(), yref, (size_t)n * M * 2, cudaMemcpyDeviceToHost));
            for (const lab_table *t : tables)
                for (int e = 0; e < t->count; e++) {
                    const lab_entry &en = t->entries[e];
                    if (en.n != n) continue;
                    const int staged = en.kind == 1, tma = en.kind == 2;
                    const int wy = en.group + (tma ? 1 : 0); /* TMA: one producer warp more */
                    const void *kern = en.kernel_bf16; /* the lab times bf16 */
                    if (en.lds > 48 * 1024)
                        CK(cudaFuncSetAttribute(kern, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)en.lds));
                    int occ = 0;
                    CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&occ, kern, 32 * wy, en.lds));
                    const long tiles = (M + 16 * en.mt - 1) / (16 * en.mt);
                    if ((staged || tma) && tiles < prop.multiProcessorCount) continue; /* no split-K: not for small M */
                    if (occ == 0) { printf("# %s n %d g %d mt %d u %d: does not fit\n", t->variant, n, en.group, en.mt, en.unroll); continue; }
                    /* Grids: one workgroup per block of rows; as many as fit
                     * at once (persistent); as few rounds as that, split evenly. */
                    const long slots = (long)occ * prop.multiProcessorCount;
                    const long rounds = (tiles + slots - 1) / slots;
                    for (int mode = 0; mode < 3; mode++) {
                        long grid = mode == 0 ? tiles : mode == 1 ? std::min<long>(tiles, slots) : (tiles + rounds - 1) / rounds;
                        if (tma) { /* persistent: the fewest rounds of resident workgroups, blocks split evenly */
                            if (mode != 2) continue;
                        } else if (mode > 0 && (grid == tiles || staged)) continue;
                        if (!tma && mode == 2 && grid == std::min<long>(tiles, slots)) continue;
                        skinny_kernel_args a;
                        memset(&a, 0, sizeof a);
                        a.x = (const skinny_vec16 *)x;
                        a.y = y;
                        a.m = M; a.k = K; a.ld_w8 = K / 8; a.ld_x8 = K / 8; a.ld_y = M;
                        a.bias_kind = SKINNY_BIAS_NONE;
                        a.band_k = K;
                        a.active_waves = en.group;
                        a.stride = grid * 16 * en.mt;
                        auto op = [&](int i) {
                            a.w = (const skinny_vec16 *)(w + (size_t)(i % copies) * wbytes);
                            void *args[] = {&a};
                            CK(cudaLaunchKernel(kern, dim3((unsigned)grid), dim3(32, wy), args, en.lds, 0));
                        };
                        CK(cudaMemset(y, 0xff, 16 * M * 2)); /* poison: NaN */
                        op(0);
                        CK(cudaDeviceSynchronize());
                        CK(cudaMemcpy(hy.data(), y, (size_t)n * M * 2, cudaMemcpyDeviceToHost));
                        double num = 0, den = 0;
                        for (long i = 0; i < (long)n * M; i++) {
                            /* cuBLAS's y^T is M x n column-major = our n x M row-major */
                            const double d = host_to_f32(hy[i], bf16) - host_to_f32(hr[i], bf16);
                            num += d * d;
                            den += (double)host_to_f32(hr[i], bf16) * host_to_f32(hr[i], bf16);
                        }
                        const double rel = std::isfinite(num) ? sqrt(num / (den > 0 ? den : 1)) : 1e9;
                        const float us = time_median(op, reps, 7);
                        printf("%s,%d,%d,%d,%d,%s,%ld,%ld,%ld,%.2f,%.0f,%.2f,%.3f,%.2e\n", t->variant, n, en.group,
                               en.mt, en.unroll, staged ? "staged" : tma ? (mode == 2 ? "tma-even" : "tma-tiles") : mode == 2 ? "even" : mode ? "occ" : "tiles", grid, M, K, us,
                               (wbytes + 2.0 * n * (K + M)) / us / 1e3, blas_us, blas_us / us, rel);
                    }
                }
            fflush(stdout);
        }
        CK(cudaFree(w));
        CK(cudaFree(x));
        CK(cudaFree(y));
        CK(cudaFree(yref));
    }
    cublasDestroy(blas);
    return 0;
}
