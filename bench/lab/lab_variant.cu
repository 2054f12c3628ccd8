/* lab_variant.cu - one compile-time variant of the MMA kernel, instantiated
 * for the lab's configurations. Compiled once per variant with
 * -DLAB_V=<id> -DSKINNY_MMA_MIN_WARPS=<n> -DSKINNY_NV_WEIGHT_LOAD=<0..3>;
 * the kernel name carries the variant id, so variants link side by side. */
#define LAB_CAT2(a, b) a##b
#define LAB_CAT(a, b) LAB_CAT2(a, b)
#define LAB_STR2(a) #a
#define LAB_STR(a) LAB_STR2(a)
#define skinny_mma_kernel LAB_CAT(skinny_mma_kernel_v, LAB_V)
#include "skinny_kernel.cuh"
#include "lab.h"
#include "lab_staged.cuh"
#include "lab_tma.cuh"
#include "lab_xjit.cuh"

/* bf16 only: fp16 differs in the mma type alone. */
#define ENT(N, G, MT, U)                                                                    \
    {N, G, MT, U, (const void *)skinny_mma_kernel<skinny_bf16, N, 32, G, MT, U>, NULL,      \
     SKINNY_MMA_LDS_BYTES(N, 32, G, MT), 0},
#define ALLN(G, MT, U) ENT(8, G, MT, U) ENT(12, G, MT, U) ENT(16, G, MT, U)
#define SMALLN(G, MT, U) ENT(1, G, MT, U) ENT(8, G, MT, U)
#define BIGN(G, MT, U) ENT(12, G, MT, U) ENT(16, G, MT, U)

/* Staged (cp.async) prototype: unroll holds KS x 100 + S. */
#define SENT(N, G, MT, KS, S)                                                                \
    {N, G, MT, KS * 100 + S, (const void *)lab_staged_kernel<skinny_bf16, N, G, MT, KS, S>, NULL, \
     lab_staged_smem<G, MT, KS, S>(), 1},
#define SALLN(G, MT, KS, S) SENT(8, G, MT, KS, S) SENT(16, G, MT, KS, S)
/* TMA prototype (lab_tma.cuh): unroll holds KS x 100 + S. */
#define TENT(N, G, MT, KS, S)                                                               \
    {N, G, MT, KS * 100 + S, (const void *)lab_tma_kernel<skinny_bf16, N, G, MT, KS, S>, NULL, \
     lab_tma_smem<G, MT, KS, S, N>(), 2},
#define TALLN(G, MT, KS, S) TENT(1, G, MT, KS, S) TENT(8, G, MT, KS, S) TENT(12, G, MT, KS, S) TENT(16, G, MT, KS, S)

static const lab_entry entries[] = {
#if LAB_REGISTER
    /* The default table's rows (specs/tiles.def). */
    SMALLN(4, 1, 4) SMALLN(8, 1, 4) SMALLN(16, 1, 4) SMALLN(4, 2, 2) SMALLN(8, 2, 2) SMALLN(16, 2, 2)
    BIGN(4, 2, 2) BIGN(8, 2, 2) BIGN(16, 2, 2) BIGN(4, 1, 2) BIGN(8, 1, 2) BIGN(16, 1, 2)
#elif LAB_PROTO_XJIT
    /* x loaded just in time (lab_xjit.cuh): the default rows, and one-tile
     * four-step rows for N = 12 and 16. */
#define XENT(N, G, MT, U)                                                                   \
    {N, G, MT, U, (const void *)lab_xjit_kernel<skinny_bf16, N, G, MT, U>, NULL,            \
     SKINNY_MMA_LDS_BYTES(N, 32, G, MT), 0},
#define XSMALLN(G, MT, U) XENT(1, G, MT, U) XENT(8, G, MT, U)
#define XBIGN(G, MT, U) XENT(12, G, MT, U) XENT(16, G, MT, U)
    XSMALLN(4, 1, 4) XSMALLN(8, 1, 4) XSMALLN(16, 1, 4)
    XBIGN(4, 2, 2) XBIGN(8, 2, 2) XBIGN(16, 2, 2) XBIGN(4, 1, 4) XBIGN(8, 1, 4) XBIGN(16, 1, 4)
#elif LAB_PROTO_TMA
    TALLN(8, 1, 512, 6) TALLN(4, 1, 256, 8) TALLN(4, 1, 512, 4) TALLN(8, 2, 256, 5) TALLN(8, 1, 512, 12)
#else
    SALLN(8, 2, 256, 4)
#endif
};

extern "C" const lab_table LAB_CAT(lab_table_v, LAB_V) = {
    LAB_STR(LAB_TAG) "-w" LAB_STR(SKINNY_MMA_MIN_WARPS) "-ld" LAB_STR(SKINNY_NV_WEIGHT_LOAD), entries,
    (int)(sizeof entries / sizeof entries[0])};
