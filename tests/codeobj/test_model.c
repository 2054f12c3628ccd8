/* test_model.c - the bandwidth model (tools/model): the GPU file's reader
 * and its errors, Little's law on known figures, the planner's launch, and
 * the calibration's CSV reader and error statistics.
 * Usage: test_model GPUS_DEF (the committed tools/model/gpus.def) */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calib.h"
#include "gpus.h"
#include "launch.h"
#include "littles.h"

static const char *gpus_def;

/* Writes text to a temporary file; returns its path (static buffer). */
static const char *temp_text(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/test_model.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* stderr of a call, captured through a temporary file. */
static char captured[4096];
static int saved_err = -1;
static void capture_start(void)
{
    fflush(stderr);
    saved_err = dup(2);
    FILE *f = freopen("/tmp/test_model.err", "w", stderr);
    assert_non_null(f);
}
static void capture_end(void)
{
    fflush(stderr);
    dup2(saved_err, 2);
    close(saved_err);
    FILE *f = fopen("/tmp/test_model.err", "r");
    size_t n = fread(captured, 1, sizeof captured - 1, f);
    captured[n] = '\0';
    fclose(f);
    unlink("/tmp/test_model.err");
}

static void committed_gpu_file(void **state)
{
    (void)state;
    model_gpu g[MODEL_MAX_GPUS];
    int n = gpus_load(gpus_def, g, MODEL_MAX_GPUS);
    assert_int_equal(n, 6);
    model_gpu *m = gpus_find(g, n, "MI300X");
    assert_non_null(m);
    assert_string_equal(m->arch->name, "gfx942");
    assert_string_equal(m->code->name, "gfx940");
    assert_int_equal(m->units, 304);
    assert_true(m->peak_gbs == 5300);
    assert_true(m->clock_ghz == 0); /* AMD: no loop terms */
    model_gpu *h = gpus_find(g, n, "H200");
    assert_true(h->clock_ghz == 1.98 && h->issue_per_clk == 4);
    for (int i = 0; i < n; i++) assert_true(strlen(g[i].source) > 20); /* every figure sourced */
    assert_null(gpus_find(g, n, "B200"));
}

static void gpu_file_errors(void **state)
{
    (void)state;
    model_gpu g[4];
    const char *p = temp_text(
        "# comment\n"
        "name=A arch=gfx90a code=gfx90a units=10 peak_gbs=100 latency_ns=500 measured=no source=\"x\"\n"
        "name=B arch=gfx999 code=gfx90a units=10 peak_gbs=100 latency_ns=500 measured=no source=x\n"
        "name=C arch=gfx90a code=gfx1030 units=10 peak_gbs=100 latency_ns=500 measured=no source=x\n"
        "name=D arch=gfx90a code=gfx90a units=10 peak_gbs=-1 latency_ns=500 measured=no source=x\n"
        "name=E arch=gfx90a code=gfx90a units=10\n"
        "name=A arch=gfx90a code=gfx90a units=10 peak_gbs=1 latency_ns=5 measured=yes source=x\n"
        "oops\n");
    capture_start();
    int n = gpus_load(p, g, 4);
    capture_end();
    unlink(p);
    assert_int_equal(n, -1);
    static const char *const want[] = {
        ":3: error: arch=gfx999 is not a known architecture", ":4: error: code=gfx1030 runs wave32",
        ":5: error: bad value for peak_gbs", ":6: error: a GPU needs",
        ":7: error: GPU A given twice", ":8:1: error: expected key=value"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char line[256];
        snprintf(line, sizeof line, "%s%s", p, want[i]);
        if (!strstr(captured, line)) fail_msg("no '%s' in:\n%s", line, captured);
    }
}

static void littles_law(void **state)
{
    (void)state;
    model_gpu g[MODEL_MAX_GPUS];
    int n = gpus_load(gpus_def, g, MODEL_MAX_GPUS);
    model_gpu *m = gpus_find(g, n, "MI300X");
    m->latency_ns = 1000;
    /* 304 workgroups of 8 waves, 1 per CU (40 KiB LDS), MLP 2:
     * 8 x 2 x 16 x 64 = 16 KiB per CU, x 304 / 1000 ns = 4981 GB/s. */
    model_kernel k = {.wave = 64, .vgprs = 64, .sgprs = 32, .mlp = 2, .load_bytes = 16,
                      .grid = 304, .waves_per_group = 8, .active_waves = 8, .lds_bytes = 40960};
    model_prediction p;
    model_predict(m, &k, &p);
    assert_int_equal(p.groups_per_unit, 1);
    assert_int_equal(p.resident_groups, 304);
    assert_true(p.bif_per_unit == 16384);
    assert_true(p.latency_bound);
    assert_true(p.gbs > 4980 && p.gbs < 4982);
    assert_true(p.pct > 93.9 && p.pct < 94.1);
    /* Twice the loads: capped by the peak. */
    k.mlp = 4;
    model_predict(m, &k, &p);
    assert_false(p.latency_bound);
    assert_true(p.pct == 100);
    /* A grid smaller than the GPU: only its workgroups count. */
    k.mlp = 2, k.grid = 152;
    model_predict(m, &k, &p);
    assert_true(p.gbs > 2490 && p.gbs < 2491);
    /* NVIDIA: 128 regs, 4 warps: 4 blocks per SM by registers. */
    model_gpu *h = gpus_find(g, n, "H200");
    model_kernel nk = {.wave = 32, .vgprs = 128, .mlp = 8, .load_bytes = 16, .grid = 100000,
                       .waves_per_group = 4, .active_waves = 4, .lds_bytes = 2048};
    model_predict(h, &nk, &p);
    assert_int_equal(p.groups_per_unit, 4);
    assert_true(p.waves_per_unit == 16);
    assert_true(p.bif_per_unit == 16 * 8 * 16 * 32);
}

/* The H200 with round figures for the loop terms: 100 SMs, 1000 GB/s,
 * 500 ns, 1 GHz, 4 warp instructions per clock. */
static model_gpu loop_gpu(void)
{
    model_gpu g[MODEL_MAX_GPUS];
    int n = gpus_load(gpus_def, g, MODEL_MAX_GPUS);
    model_gpu h = *gpus_find(g, n, "H200");
    h.units = 100, h.peak_gbs = 1000, h.latency_ns = 500, h.clock_ghz = 1, h.issue_per_clk = 4;
    return h;
}

/* A TILE-like kernel: 100 workgroups of 8 waves, one per SM, 4 columns a
 * wave, K = 4096 (8 KiB a column); an iteration loads 4 x 512 B. */
static model_kernel loop_kernel(void)
{
    model_kernel k = {.wave = 32, .vgprs = 64, .mlp = 4, .load_bytes = 16, .grid = 100,
                      .waves_per_group = 8, .active_waves = 8, .lds_bytes = 1024,
                      .iter_insns = 200, .iter_loads = 4, .m = 3200, .k = 4096,
                      .round_cols = 32, .weight_bytes = 2};
    return k;
}

static void loop_terms_latency_and_issue(void **state)
{
    (void)state;
    model_gpu h = loop_gpu();
    model_kernel k = loop_kernel();
    model_prediction p;
    model_predict(&h, &k, &p);
    /* 8 waves on 4 schedulers take turns: 200 / 1 GHz x 8 / 4 = 400 ns of
     * issue after the 500 ns latency. */
    assert_true(p.loop_terms);
    assert_true(p.iter_ns == 900);
    /* One round (3200 columns = 100 x 32); a wave's 4 columns are 32 KiB =
     * 16 iterations = 14400 ns; 25.6 MB at 1000 GB/s would take 26214 ns. */
    assert_int_equal(p.rounds, 1);
    assert_false(p.latency_bound);
    assert_true(p.pct > 99.9);
    /* Four times the instructions: 16 x (500 + 1600) = 33600 ns. */
    k.iter_insns = 800;
    model_predict(&h, &k, &p);
    assert_true(p.latency_bound);
    assert_true(p.pct > 78.0 && p.pct < 78.1); /* 26214 / 33600 */
}

static void loop_terms_last_round(void **state)
{
    (void)state;
    model_gpu h = loop_gpu();
    model_kernel k = loop_kernel();
    k.iter_insns = 800;
    model_prediction p;
    /* 3232 columns: a second round of one workgroup, as slow per wave as
     * the first (33600 ns each) for 1 % of the bytes. */
    k.m = 3232;
    model_predict(&h, &k, &p);
    assert_int_equal(p.rounds, 2);
    double bytes = 3232.0 * 8192;
    assert_true(fabs(p.gbs - bytes / 67200) < 0.01);
}

static void loop_terms_round_barrier(void **state)
{
    (void)state;
    model_gpu h = loop_gpu();
    model_kernel k = loop_kernel();
    model_prediction p;
    /* Two peak-bound rounds: 6400 columns. */
    k.m = 6400;
    model_predict(&h, &k, &p);
    double plain = p.gbs;
    assert_int_equal(p.rounds, 2);
    /* A barrier between rounds, the workgroup alone on its SM: the next
     * round's loads start one latency late. */
    k.round_barrier = 1;
    model_predict(&h, &k, &p);
    double bytes = 6400.0 * 8192;
    assert_true(fabs(bytes / p.gbs - (bytes / plain + 500)) < 0.01);
}

static void loop_terms_need_their_inputs(void **state)
{
    (void)state;
    model_gpu h = loop_gpu();
    model_kernel k = loop_kernel();
    model_prediction p;
    /* No loop figures (the cost report's kernels), or a GPU without a
     * clock (the AMD lines): the plain Little's-law bound. */
    k.iter_loads = 0;
    model_predict(&h, &k, &p);
    assert_false(p.loop_terms);
    k = loop_kernel();
    h.clock_ghz = 0;
    model_predict(&h, &k, &p);
    assert_false(p.loop_terms);
    /* 800 waves x 4 x 512 B in flight / 500 ns = 3277 GB/s: the peak. */
    assert_true(p.pct == 100);
}

static void planner_launch(void **state)
{
    (void)state;
    model_gpu g[MODEL_MAX_GPUS];
    int n = gpus_load(gpus_def, g, MODEL_MAX_GPUS);
    model_kernel k;
    char err[256];
    /* A TILE row of the table this build has: persistent, at most one
     * workgroup per CU. */
    assert_int_equal(launch_plan(gpus_find(g, n, "MI300X"), "n1_w64_g16_y2_u2", 1, 8192, 8192,
                                 &k, err, sizeof err), 0);
    assert_true(k.grid >= 1 && k.grid <= 304);
    assert_int_equal(k.waves_per_group, 16);
    assert_true(k.active_waves >= 1 && k.active_waves <= 16);
    /* The work split of the loop terms. */
    assert_true(k.m == 8192 && k.k == 8192);
    assert_int_equal(k.round_cols, k.active_waves * 2);
    assert_int_equal(k.weight_bytes, 2);
    assert_false(k.round_barrier);
    assert_int_equal(launch_plan(gpus_find(g, n, "MI300X"), "n1_w64_g99_y2_u2", 1, 8192, 8192,
                                 &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "planner"));
}

static void calibration(void **state)
{
    (void)state;
    const char *p = temp_text(
        "dtype,m,k,n,kernel,skinny_us,pct_read_at_size\n"
        "bf16,8192,8192,1,n1_w32_g4_m1_u4,40.1,90.0\n"
        "bf16,8192,8192,9,n9_w32_g8_m2_u2,41.1,80.0\n"
        "bf16,2048,2048,1,n1_w32_g16_y2_u2,5.0,50.0\n");
    calib_cell *c;
    int n = calib_read(p, &c);
    unlink(p);
    assert_int_equal(n, 3);
    assert_int_equal(c[1].n, 9);
    assert_true(c[1].measured_pct == 80.0);
    c[0].predicted_pct = 99.0; /* 10 % off */
    c[1].predicted_pct = 84.0; /* 5 % off */
    c[2].predicted_pct = 100.0; /* 100 % off, but 8 MiB: not bandwidth-bound */
    FILE *f = tmpfile();
    double med = calib_report(f, c, n, 64);
    assert_true(med > 7.49 && med < 7.51);
    rewind(f);
    char text[8192];
    size_t len = fread(text, 1, sizeof text - 1, f);
    text[len] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "| TILE | 1 | 100.0 % | 100.0 % | n1_w32_g16_y2_u2 bf16"));
    assert_non_null(strstr(text, "| MMA | 2 | 7.5 % | 10.0 % |"));
    free(c);

    p = temp_text("dtype,m,k,n,kernel\nbf16,1,1,1,x\n");
    capture_start();
    n = calib_read(p, &c);
    capture_end();
    char want[256];
    snprintf(want, sizeof want, "%s:1: error: no column 'pct_read_at_size'", p);
    unlink(p);
    assert_int_equal(n, -1);
    assert_non_null(strstr(captured, want));
    p = temp_text("dtype,m,k,n,kernel,pct_read_at_size\nbf16,1,x,1,k,5\n");
    capture_start();
    n = calib_read(p, &c);
    capture_end();
    snprintf(want, sizeof want, "%s:2: error: expected dtype", p);
    unlink(p);
    assert_int_equal(n, -1);
    assert_non_null(strstr(captured, want));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_model GPUS_DEF\n");
        return 2;
    }
    gpus_def = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(committed_gpu_file), cmocka_unit_test(gpu_file_errors),
        cmocka_unit_test(littles_law),        cmocka_unit_test(planner_launch),
        cmocka_unit_test(calibration),        cmocka_unit_test(loop_terms_latency_and_issue),
        cmocka_unit_test(loop_terms_last_round), cmocka_unit_test(loop_terms_round_barrier),
        cmocka_unit_test(loop_terms_need_their_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
