/* test_mma_layout.c - the matrix-instruction fragment layouts of
 * skinny_port.h (SKINNY_NV_MMA_* and SKINNY_AMD_MMA_*), checked on the CPU.
 *
 * No GPU can run the MMA kernel here, so this test plays one 32-element K
 * step of it lane by lane: every lane loads the chunks the layout macros
 * name, hands the words the macros name to an emulated instruction that
 * follows the documented operand layout (written out below, independently
 * of the macros), and the accumulators it gets back must be the dot
 * products of the (weight row, activation row) the macros say they are.
 * A wrong chunk, word, row or output mapping gives wrong sums; every
 * element of the documented operand and result tiles must be covered
 * exactly once.
 *
 * Documented layouts used:
 *  - PTX ISA, "Matrix Fragments for mma.m16n8k16 with floating point type":
 *    g = lane >> 2, t = lane % 4; A (16x16, .row) a0..a7: row g for a0,a1,
 *    a4,a5 and g+8 otherwise, col 2t + (i & 1) (+8 for i >= 4); B (16x8,
 *    .col) b0..b3: row 2t + (i & 1) (+8 for i >= 2), col g; C c0..c3: row g
 *    (+8 for i >= 2), col 2t + (i & 1). Register r holds elements 2r, 2r+1,
 *    the lower index in the low half.
 *  - AMD CDNA v_mfma_f32_16x16x16f16 / bf16_1k (64 lanes): A item q of
 *    lane l is A[l % 16][4 (l / 16) + q]; B item q is B[4 (l / 16) + q][l %
 *    16]; D item j is D[4 (l / 16) + j][l % 16]; register r holds items 2r,
 *    2r+1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "skinny_port.h"

enum { STEP_K = 32, TILE_M = 16, MAX_LANES = 64, MAX_NCOLS = 16 };

/* One instruction's documented layout: where element `item` of a lane's A,
 * B and result fragments sits in the tile. */
typedef struct instr_layout {
    const char *name;
    int lanes, ncols, a_items, b_items, d_items, k; /* k: K per instruction */
    void (*a_pos)(int lane, int item, int *row, int *col);
    void (*b_pos)(int lane, int item, int *row, int *col);
    void (*d_pos)(int lane, int item, int *row, int *col);
} instr_layout;

static void nv_a(int l, int i, int *row, int *col)
{
    const int g = l >> 2, t = l & 3;
    *row = (i < 2 || (i >= 4 && i < 6)) ? g : g + 8;
    *col = 2 * t + (i & 1) + (i >= 4 ? 8 : 0);
}
static void nv_b(int l, int i, int *row, int *col)
{
    *row = 2 * (l & 3) + (i & 1) + (i >= 2 ? 8 : 0);
    *col = l >> 2;
}
static void nv_d(int l, int i, int *row, int *col)
{
    *row = (l >> 2) + (i >= 2 ? 8 : 0);
    *col = 2 * (l & 3) + (i & 1);
}
static void amd_a(int l, int q, int *row, int *col)
{
    *row = l % 16;
    *col = 4 * (l / 16) + q;
}
static void amd_b(int l, int q, int *row, int *col)
{
    *row = 4 * (l / 16) + q;
    *col = l % 16;
}
static void amd_d(int l, int j, int *row, int *col)
{
    *row = 4 * (l / 16) + j;
    *col = l % 16;
}

static const instr_layout nv_m16n8k16 = {"mma.m16n8k16", 32, 8, 8, 4, 4, 16, nv_a, nv_b, nv_d};
static const instr_layout amd_16x16x16 = {"v_mfma_f32_16x16x16", 64, 16, 4, 4, 4, 16, amd_a, amd_b, amd_d};

/* The macros of one backend, as functions. */
typedef struct macro_layout {
    int wrows; /* weight chunks each lane loads per step */
    int (*chunk)(int l);
    int (*wrow)(int l, int i);
    int (*xrow)(int l);
    int (*a_slot)(int r);
    int (*a_word)(int s, int r);
    int (*b_word)(int s, int r);
    int (*out_w)(int l, int j);
    int (*out_x)(int l, int j);
} macro_layout;

#define MACRO_FUNCS(P)                                                  \
    static int P##_chunk(int l) { return SKINNY_##P##_MMA_CHUNK(l); }   \
    static int P##_wrow(int l, int i) { (void)i; return SKINNY_##P##_MMA_WROW(l, i); } \
    static int P##_xrow(int l) { return SKINNY_##P##_MMA_XROW(l); }     \
    static int P##_a_slot(int r) { (void)r; return SKINNY_##P##_MMA_A_SLOT(r); } \
    static int P##_a_word(int s, int r) { return SKINNY_##P##_MMA_A_WORD(s, r); } \
    static int P##_b_word(int s, int r) { return SKINNY_##P##_MMA_B_WORD(s, r); } \
    static int P##_out_w(int l, int j) { return SKINNY_##P##_MMA_OUT_W(l, j); } \
    static int P##_out_x(int l, int j) { (void)j; return SKINNY_##P##_MMA_OUT_X(l, j); }
MACRO_FUNCS(NV)
MACRO_FUNCS(AMD)
static const macro_layout nv_macros = {2, NV_chunk, NV_wrow, NV_xrow, NV_a_slot,
                                       NV_a_word, NV_b_word, NV_out_w, NV_out_x};
static const macro_layout amd_macros = {1, AMD_chunk, AMD_wrow, AMD_xrow, AMD_a_slot,
                                        AMD_a_word, AMD_b_word, AMD_out_w, AMD_out_x};

/* Small distinct integers: exact products, and a mixed-up k almost surely
 * changes a sum. */
static uint64_t g_rng = 0x9e3779b97f4a7c15u;
static int64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return (int64_t)(g_rng % 2001) - 1000;
}

/* One K step of the MMA kernel, played lane by lane. Returns how many
 * checks failed (0: the layout is right); out-of-range indices are
 * reported at once. */
#define CHECK(cond) (bad += !(cond))
/* One instruction's operands as the lanes placed them: a (TILE_M x k) and
 * b (k x ncols), with how often each element was placed. */
typedef struct operands {
    int64_t a[TILE_M][32], b[32][MAX_NCOLS];
    int a_seen[TILE_M][32], b_seen[32][MAX_NCOLS];
} operands;

/* Every operand element placed exactly once; then d += a x b. Returns how
 * many checks failed. */
static int multiply(const instr_layout *in, const operands *op, int64_t d[TILE_M][MAX_NCOLS])
{
    int bad = 0;
    for (int m = 0; m < TILE_M; m++)
        for (int k = 0; k < in->k; k++) CHECK(op->a_seen[m][k] == 1);
    for (int k = 0; k < in->k; k++)
        for (int n = 0; n < in->ncols; n++) CHECK(op->b_seen[k][n] == 1);
    for (int m = 0; m < TILE_M; m++)
        for (int n = 0; n < in->ncols; n++)
            for (int k = 0; k < in->k; k++) d[m][n] += op->a[m][k] * op->b[k][n];
    return bad;
}

/* Lane l's accumulator j must be <W row OUT_W, x row OUT_X> over the whole
 * step (step_k elements; w and x rows step_k apart), and the lanes must
 * cover the tile once. */
static int check_outputs(const instr_layout *in, const macro_layout *mc, int64_t d[TILE_M][MAX_NCOLS],
                         const int64_t *w, const int64_t *x, int step_k)
{
    int bad = 0;
    int out_seen[TILE_M][MAX_NCOLS];
    memset(out_seen, 0, sizeof out_seen);
    for (int l = 0; l < in->lanes; l++)
        for (int j = 0; j < in->d_items; j++) {
            int row, col;
            in->d_pos(l, j, &row, &col);
            const int m = mc->out_w(l, j), n = mc->out_x(l, j);
            assert_true(m >= 0 && m < TILE_M && n >= 0 && n < in->ncols);
            int64_t want = 0;
            for (int k = 0; k < step_k; k++) want += w[m * step_k + k] * x[n * step_k + k];
            CHECK(d[row][col] == want);
            out_seen[m][n]++;
        }
    for (int m = 0; m < TILE_M; m++)
        for (int n = 0; n < in->ncols; n++) CHECK(out_seen[m][n] == 1);
    return bad;
}

/* Random small integers for a rows x cols operand (row-major). */
static void fill(int64_t *v, int rows, int cols)
{
    for (int i = 0; i < rows * cols; i++) v[i] = rnd();
}

/* Lane loads of one step (w and x rows step_k apart): lane l holds `per`
 * consecutive elements, chunk(l) of the step, of each of its weight row
 * slots (WROW(l, i)) and of its x row; 32-bit word v of a chunk holds the
 * elements of v (2 per word for 16-bit data, 4 for fp8). */
static void load_lanes(const instr_layout *in, const macro_layout *mc, int (*chunk)(int), int per, int step_k,
                       const int64_t *w, const int64_t *x, int64_t wl[MAX_LANES][2][16], int64_t xl[MAX_LANES][16])
{
    for (int l = 0; l < in->lanes; l++) {
        const int c = chunk(l);
        assert_true(c >= 0 && c < step_k / per);
        for (int i = 0; i < mc->wrows; i++) {
            const int row = mc->wrow(l, i);
            assert_true(row >= 0 && row < TILE_M);
            for (int e = 0; e < per; e++) wl[l][i][e] = w[row * step_k + per * c + e];
        }
        const int xr = mc->xrow(l);
        assert_true(xr >= 0 && xr < in->ncols);
        for (int e = 0; e < per; e++) xl[l][e] = x[xr * step_k + per * c + e];
    }
}

static int play_step(const instr_layout *in, const macro_layout *mc)
{
    int bad = 0;
    int64_t w[TILE_M][STEP_K], x[MAX_NCOLS][STEP_K];
    fill(&w[0][0], TILE_M, STEP_K);
    fill(&x[0][0], in->ncols, STEP_K);
    /* Lane loads: slot i holds elements 8c..8c+7 of weight row WROW(l, i). */
    int64_t wl[MAX_LANES][2][16], xl[MAX_LANES][16];
    load_lanes(in, mc, mc->chunk, 8, STEP_K, &w[0][0], &x[0][0], wl, xl);

    int64_t d[TILE_M][MAX_NCOLS];
    memset(d, 0, sizeof d);
    for (int s = 0; s < 2; s++) { /* the two instructions of a step */
        operands op;
        memset(&op, 0, sizeof op);
        for (int l = 0; l < in->lanes; l++) {
            for (int item = 0; item < in->a_items; item++) {
                const int r = item / 2, half = item % 2;
                int row, col;
                in->a_pos(l, item, &row, &col);
                const int word = mc->a_word(s, r);
                assert_true(word >= 0 && word < 4);
                op.a[row][col] = wl[l][mc->a_slot(r)][2 * word + half];
                op.a_seen[row][col]++;
            }
            for (int item = 0; item < in->b_items; item++) {
                const int r = item / 2, half = item % 2;
                int row, col;
                in->b_pos(l, item, &row, &col);
                const int word = mc->b_word(s, r);
                assert_true(word >= 0 && word < 4);
                op.b[row][col] = xl[l][2 * word + half];
                op.b_seen[row][col]++;
            }
        }
        bad += multiply(in, &op, d);
    }

    bad += check_outputs(in, mc, d, &w[0][0], &x[0][0], STEP_K);
    return bad;
}

static void nvidia_mma_m16n8k16(void **state)
{
    (void)state;
    for (int rep = 0; rep < 20; rep++) assert_int_equal(play_step(&nv_m16n8k16, &nv_macros), 0);
}

static void amd_mfma_16x16x16(void **state)
{
    (void)state;
    for (int rep = 0; rep < 20; rep++) assert_int_equal(play_step(&amd_16x16x16, &amd_macros), 0);
}

/* The check itself must be able to fail: plausible slips in a layout
 * (rows g and g+8 swapped, the two instructions' A words swapped, the two
 * halves of B swapped, AMD's output rows and columns transposed) are caught. */
static int swapped_wrow(int l, int i) { return SKINNY_NV_MMA_WROW(l, 1 - i); }
static int swapped_step_word(int s, int r) { return SKINNY_NV_MMA_A_WORD(1 - s, r); }
static int b_words_swapped(int s, int r) { return SKINNY_NV_MMA_B_WORD(s, 1 - r); }
static int amd_out_transposed_w(int l, int j) { (void)j; return l & 15; }
static int amd_out_transposed_x(int l, int j) { return 4 * (l >> 4) + j; }
static void wrong_layouts_detected(void **state)
{
    (void)state;
    macro_layout bad = nv_macros;
    bad.wrow = swapped_wrow;
    assert_true(play_step(&nv_m16n8k16, &bad) > 0);
    bad = nv_macros;
    bad.a_word = swapped_step_word;
    assert_true(play_step(&nv_m16n8k16, &bad) > 0);
    bad = nv_macros;
    bad.b_word = b_words_swapped;
    assert_true(play_step(&nv_m16n8k16, &bad) > 0);
    bad = amd_macros;
    bad.out_w = amd_out_transposed_w;
    bad.out_x = amd_out_transposed_x;
    assert_true(play_step(&amd_16x16x16, &bad) > 0);
}

/* ---- fp8 weights (MMA_FP8 rows): a 64-element step, four instructions.
 * Lane l loads 16 weights (physical k 16c..16c+15, c = FP8_CHUNK(l)) of
 * rows WROW(l, slot) and the same 16 elements of x row XROW(l); register r
 * (element e) of instruction s's A operand is the weight at FP8_A_K(l, s,
 * r, e) of row slot A_SLOT(r), of its B operand the x at FP8_B_K. */
typedef struct fp8_macros {
    int (*chunk)(int l);
    int (*a_k)(int l, int s, int r, int e);
    int (*b_k)(int l, int s, int r, int e);
} fp8_macros;
static int NV8_chunk(int l) { return SKINNY_NV_MMA_FP8_CHUNK(l); }
static int NV8_a_k(int l, int s, int r, int e) { return SKINNY_NV_MMA_FP8_A_K(l, s, r, e); }
static int NV8_b_k(int l, int s, int r, int e) { return SKINNY_NV_MMA_FP8_B_K(l, s, r, e); }
static int AMD8_chunk(int l) { return SKINNY_AMD_MMA_FP8_CHUNK(l); }
static int AMD8_a_k(int l, int s, int r, int e) { return SKINNY_AMD_MMA_FP8_A_K(l, s, r, e); }
static int AMD8_b_k(int l, int s, int r, int e) { return SKINNY_AMD_MMA_FP8_B_K(l, s, r, e); }
static const fp8_macros nv8 = {NV8_chunk, NV8_a_k, NV8_b_k};
static const fp8_macros amd8 = {AMD8_chunk, AMD8_a_k, AMD8_b_k};

enum { STEP_K8 = 64 };
static int play_fp8_step(const instr_layout *in, const macro_layout *mc, const fp8_macros *f8)
{
    int bad = 0;
    int64_t w[TILE_M][STEP_K8], x[MAX_NCOLS][STEP_K8];
    fill(&w[0][0], TILE_M, STEP_K8);
    fill(&x[0][0], in->ncols, STEP_K8);
    int64_t d[TILE_M][MAX_NCOLS];
    memset(d, 0, sizeof d);
    for (int s = 0; s < 4; s++) {
        operands op;
        memset(&op, 0, sizeof op);
        for (int l = 0; l < in->lanes; l++) {
            const int c = f8->chunk(l);
            assert_true(c >= 0 && c < STEP_K8 / 16);
            for (int item = 0; item < in->a_items; item++) {
                const int r = item / 2, e = item % 2, k = f8->a_k(l, s, r, e);
                int row, col;
                in->a_pos(l, item, &row, &col);
                /* Only the lane's own 16-element chunk is in its registers. */
                assert_true(k >= 16 * c && k < 16 * c + 16);
                op.a[row][col] = w[mc->wrow(l, mc->a_slot(r))][k];
                op.a_seen[row][col]++;
            }
            for (int item = 0; item < in->b_items; item++) {
                const int r = item / 2, e = item % 2, k = f8->b_k(l, s, r, e);
                int row, col;
                in->b_pos(l, item, &row, &col);
                assert_true(k >= 16 * c && k < 16 * c + 16);
                op.b[row][col] = x[mc->xrow(l)][k];
                op.b_seen[row][col]++;
            }
        }
        bad += multiply(in, &op, d);
    }
    bad += check_outputs(in, mc, d, &w[0][0], &x[0][0], STEP_K8);
    return bad;
}

static void nvidia_fp8_step(void **state)
{
    (void)state;
    for (int rep = 0; rep < 20; rep++) assert_int_equal(play_fp8_step(&nv_m16n8k16, &nv_macros, &nv8), 0);
}

static void amd_fp8_step(void **state)
{
    (void)state;
    for (int rep = 0; rep < 20; rep++) assert_int_equal(play_fp8_step(&amd_16x16x16, &amd_macros, &amd8), 0);
}

/* A slip in the fp8 mapping (B's pairs in the other order than A's) is caught. */
static int nv8_b_k_swapped(int l, int s, int r, int e) { return SKINNY_NV_MMA_FP8_B_K(l, s, 1 - r, e); }
static void wrong_fp8_layout_detected(void **state)
{
    (void)state;
    fp8_macros bad = nv8;
    bad.b_k = nv8_b_k_swapped;
    assert_true(play_fp8_step(&nv_m16n8k16, &nv_macros, &bad) > 0);
}

/* ---- fp8 activations and weights on NVIDIA sm_89+ (X8 launchers of
 * MMA_FP8 rows): mma.m16n8k32 with e4m3 operands, no decode. Documented
 * layout (PTX ISA, "Matrix Fragments for mma.m16n8k32" with 8-bit types
 * .s8/.u8/.e4m3/.e5m2), g = lane >> 2, t = lane % 4: A (16x32, .row)
 * a0..a15: row g for a0..a3 and a8..a11, g+8 otherwise, col 4t + (i & 3)
 * (+16 for i >= 8); B (32x8, .col) b0..b7: row 4t + (i & 3) (+16 for
 * i >= 4), col g; C as m16n8k16. Register r holds elements 4r..4r+3, the
 * lowest index in the low byte. The kernel keeps the FP8 loads (lane l:
 * physical k 16c..16c+15, c = FP8_CHUNK(l), of its rows WROW and x row
 * XROW, byte e of word v at 16c + 4v + e) and feeds instruction s (0, 1) of
 * a 64-element step A register r = word FP8X_A_WORD(s, r) of slot
 * FP8X_A_SLOT(r), B register r = word FP8X_B_WORD(s, r). (Below sm_89 and
 * on AMD both operands are decoded to fp16 with the FP8 layout above: x
 * word s gives B registers 0 and 1 at FP8_B_K, which nvidia_fp8_step and
 * amd_fp8_step check.) */
static void nv8_a(int l, int i, int *row, int *col)
{
    const int g = l >> 2, t = l & 3;
    *row = (i < 4 || (i >= 8 && i < 12)) ? g : g + 8;
    *col = 4 * t + (i & 3) + (i >= 8 ? 16 : 0);
}
static void nv8_b(int l, int i, int *row, int *col)
{
    *row = 4 * (l & 3) + (i & 3) + (i >= 4 ? 16 : 0);
    *col = l >> 2;
}
static const instr_layout nv_m16n8k32_e4m3 = {"mma.m16n8k32.e4m3", 32, 8, 16, 8, 4, 32, nv8_a, nv8_b, nv_d};

typedef struct fp8x_macros {
    int (*a_slot)(int r);
    int (*a_word)(int s, int r);
    int (*b_word)(int s, int r);
} fp8x_macros;
static int NV8X_a_slot(int r) { return SKINNY_NV_MMA_FP8X_A_SLOT(r); }
static int NV8X_a_word(int s, int r) { return SKINNY_NV_MMA_FP8X_A_WORD(s, r); }
static int NV8X_b_word(int s, int r) { return SKINNY_NV_MMA_FP8X_B_WORD(s, r); }
static const fp8x_macros nv8x = {NV8X_a_slot, NV8X_a_word, NV8X_b_word};

static int play_fp8x_step(const instr_layout *in, const macro_layout *mc, const fp8_macros *f8,
                          const fp8x_macros *fx)
{
    int bad = 0;
    int64_t w[TILE_M][STEP_K8], x[MAX_NCOLS][STEP_K8];
    fill(&w[0][0], TILE_M, STEP_K8);
    fill(&x[0][0], in->ncols, STEP_K8);
    /* Lane loads: 16 bytes of each weight row slot and of the x row. */
    int64_t wl[MAX_LANES][2][16], xl[MAX_LANES][16];
    load_lanes(in, mc, f8->chunk, 16, STEP_K8, &w[0][0], &x[0][0], wl, xl);
    int64_t d[TILE_M][MAX_NCOLS];
    memset(d, 0, sizeof d);
    for (int s = 0; s < STEP_K8 / in->k; s++) {
        operands op;
        memset(&op, 0, sizeof op);
        for (int l = 0; l < in->lanes; l++) {
            for (int item = 0; item < in->a_items; item++) {
                const int r = item / 4, e = item % 4, slot = fx->a_slot(r), word = fx->a_word(s, r);
                int row, col;
                in->a_pos(l, item, &row, &col);
                assert_true(slot >= 0 && slot < mc->wrows && word >= 0 && word < 4);
                op.a[row][col] = wl[l][slot][4 * word + e];
                op.a_seen[row][col]++;
            }
            for (int item = 0; item < in->b_items; item++) {
                const int r = item / 4, e = item % 4, word = fx->b_word(s, r);
                int row, col;
                in->b_pos(l, item, &row, &col);
                assert_true(word >= 0 && word < 4);
                op.b[row][col] = xl[l][4 * word + e];
                op.b_seen[row][col]++;
            }
        }
        bad += multiply(in, &op, d);
    }
    bad += check_outputs(in, mc, d, &w[0][0], &x[0][0], STEP_K8);
    return bad;
}

static void nvidia_fp8x_k32_step(void **state)
{
    (void)state;
    for (int rep = 0; rep < 20; rep++)
        assert_int_equal(play_fp8x_step(&nv_m16n8k32_e4m3, &nv_macros, &nv8, &nv8x), 0);
}

/* Plausible slips are caught: B's two words swapped, A's row slots swapped,
 * A's k halves swapped, the two instructions' A words swapped. */
static int nv8x_b_swapped(int s, int r) { return SKINNY_NV_MMA_FP8X_B_WORD(s, 1 - r); }
static int nv8x_slot_swapped(int r) { return 1 - SKINNY_NV_MMA_FP8X_A_SLOT(r); }
static int nv8x_a_halves_swapped(int s, int r) { return SKINNY_NV_MMA_FP8X_A_WORD(s, r ^ 2); }
static int nv8x_a_steps_swapped(int s, int r) { return SKINNY_NV_MMA_FP8X_A_WORD(1 - s, r); }
/* The 16-bit layout's reading (word = register) would be wrong here. */
static int nv8x_a_word_as_16bit(int s, int r) { return 2 * s + (r & 1); }
static void wrong_fp8x_layout_detected(void **state)
{
    (void)state;
    fp8x_macros bad = nv8x;
    bad.b_word = nv8x_b_swapped;
    assert_true(play_fp8x_step(&nv_m16n8k32_e4m3, &nv_macros, &nv8, &bad) > 0);
    bad = nv8x;
    bad.a_slot = nv8x_slot_swapped;
    assert_true(play_fp8x_step(&nv_m16n8k32_e4m3, &nv_macros, &nv8, &bad) > 0);
    bad = nv8x;
    bad.a_word = nv8x_a_halves_swapped;
    assert_true(play_fp8x_step(&nv_m16n8k32_e4m3, &nv_macros, &nv8, &bad) > 0);
    bad = nv8x;
    bad.a_word = nv8x_a_steps_swapped;
    assert_true(play_fp8x_step(&nv_m16n8k32_e4m3, &nv_macros, &nv8, &bad) > 0);
    bad = nv8x;
    bad.a_word = nv8x_a_word_as_16bit;
    assert_true(play_fp8x_step(&nv_m16n8k32_e4m3, &nv_macros, &nv8, &bad) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nvidia_mma_m16n8k16),
        cmocka_unit_test(amd_mfma_16x16x16),
        cmocka_unit_test(wrong_layouts_detected),
        cmocka_unit_test(nvidia_fp8_step),
        cmocka_unit_test(amd_fp8_step),
        cmocka_unit_test(wrong_fp8_layout_detected),
        cmocka_unit_test(nvidia_fp8x_k32_step),
        cmocka_unit_test(wrong_fp8x_layout_detected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
