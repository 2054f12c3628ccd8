/* heuristic.c - skinny-heuristic-check: how far the dispatcher's heuristic
 * (what a device without measured rules runs) is from the best row of the
 * table, in every cell of `skinny-bench --tune --measure` files.
 *
 *   skinny-heuristic-check --measure m.csv [--measure m2.csv ...] --table tiles.def
 *       [--cus 132] [--wave 32] [--lds 232448] [--max 1.10] [--list]
 *
 * For each measured cell it asks this library's planner (skinny_plan, the
 * table compiled in, no measured rules: device key "") which row it would
 * run, looks that row's time up in the cell, and divides by the fastest
 * correct time among the cell's rows that --table holds. The library must
 * be built from that table: a row the planner picks that the cell did not
 * measure is an error. Prints the worst cells and a summary; exit 1 when a
 * cell is more than --max times its best (or on bad input), 0 otherwise.
 * fp8-weight cells (dtype fp8w-bf16 / fp8w-fp16, from skinny-bench --dtype
 * fp8 --tune) are graded against --table's MMA_FP8 rows the same way.
 * No GPU needed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"
#include "skinny.h"

typedef struct verdict {
    size_t cell;
    const char *row;
    double ratio, speedup; /* heuristic / best; cuBLAS / heuristic */
} verdict;

static int by_ratio(const void *a, const void *b)
{
    const double x = ((const verdict *)a)->ratio, y = ((const verdict *)b)->ratio;
    return (x < y) - (x > y);
}

static void usage(FILE *f)
{
    fputs("usage: skinny-heuristic-check --measure FILE [--measure FILE ...] --table tiles.def\n"
          "                              [--cus 132] [--wave 32] [--lds 232448] [--max 1.10] [--list]\n"
          "                              [--skip-unmeasured]\n"
          "Compares the heuristic's row (skinny_plan without measured rules) with the best row of\n"
          "--table in every measured cell. The library must be built from --table, for the\n"
          "measured GPU's vendor (a HIP build's heuristic is AMD's). fp8-weight cells (dtype\n"
          "fp8w-bf16 / fp8w-fp16, skinny-bench --dtype fp8 --tune) are graded on --table's MMA_FP8 rows.\n"
          "--skip-unmeasured: a cell whose measurements lack the heuristic's row (a file measured on\n"
          "an earlier table) is counted and listed as not graded, instead of an error.\n"
          "Exit: 0 every cell within --max, 1 a cell beyond it or bad input, 2 usage.\n",
          f);
}

static int as_count(const char *v, long *out)
{
    char *end;
    errno = 0;
    const long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x <= 0) return 0;
    *out = x;
    return 1;
}

int main(int argc, char **argv)
{
    const char *measure[64], *table = NULL;
    size_t nmeasure = 0;
    long cus = 132, wave = 32, lds = 232448;
    double max = 1.10;
    int list = 0, skip_unmeasured = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        if (!strcmp(a, "--list")) { list = 1; continue; }
        if (!strcmp(a, "--skip-unmeasured")) { skip_unmeasured = 1; continue; }
        if (i + 1 >= argc) { fprintf(stderr, "skinny-heuristic-check: %s needs a value\n", a); return 2; }
        const char *v = argv[++i];
        if (!strcmp(a, "--measure")) {
            if (nmeasure == 64) { fputs("skinny-heuristic-check: at most 64 --measure files\n", stderr); return 2; }
            measure[nmeasure++] = v;
        } else if (!strcmp(a, "--table")) table = v;
        else if (!strcmp(a, "--cus") || !strcmp(a, "--wave") || !strcmp(a, "--lds")) {
            long *dst = a[2] == 'c' ? &cus : a[2] == 'w' ? &wave : &lds;
            if (!as_count(v, dst)) {
                fprintf(stderr, "skinny-heuristic-check: %s must be a positive integer, got '%s'\n", a, v);
                return 2;
            }
        } else if (!strcmp(a, "--max")) {
            char *end;
            max = strtod(v, &end);
            if (end == v || *end || !(max >= 1)) {
                fprintf(stderr, "skinny-heuristic-check: --max is a ratio >= 1, e.g. 1.10, got '%s'\n", v);
                return 2;
            }
        } else {
            fprintf(stderr, "skinny-heuristic-check: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!nmeasure || !table) {
        fputs("skinny-heuristic-check: --measure and --table are required\n", stderr);
        usage(stderr);
        return 2;
    }

    ch_input in, tab;
    memset(&in, 0, sizeof in);
    memset(&tab, 0, sizeof tab);
    in.take_fp8 = tab.take_fp8 = 1;
    ch_read_candidates(&tab, table);
    for (size_t i = 0; i < nmeasure; i++) ch_read_measure(&in, measure[i], 0);
    if (in.errors || tab.errors) {
        fprintf(stderr, "%d error%s\n", in.errors + tab.errors, in.errors + tab.errors == 1 ? "" : "s");
        return 1;
    }
    ch_cells_finish(&in);

    skinny_device_info dev;
    memset(&dev, 0, sizeof dev); /* device_key "": the heuristic */
    dev.cu_count = (int)cus;
    dev.wave_size = (int)wave;
    dev.lds_bytes = (size_t)lds;
    static uint16_t buf[8] __attribute__((aligned(16))); /* the planner reads no data */
    verdict *v = ch_xmalloc((in.ncells ? in.ncells : 1) * sizeof *v);
    size_t nv = 0, no_path = 0, other_wave = 0, errors = 0, unmeasured = 0;
    double log_sum = 0;
    for (size_t i = 0; i < in.ncells; i++) {
        const ch_cell *c = &in.cells[i];
        if (c->wave != wave) { other_wave++; continue; }
        double best = 0;
        for (size_t j = 0; j < c->ncand; j++) {
            const ch_cand *k = &c->cand[j];
            if (k->ok && ch_find_row(&tab, in.rows[k->row].name) >= 0 && (best == 0 || k->us < best)) best = k->us;
        }
        if (best == 0) continue; /* no row of the table measured correct here */
        skinny_gemm_desc d = {c->bf16 ? SKINNY_BF16 : SKINNY_F16, c->n, c->m, c->k, buf, 0, buf, 0, buf, 0,
                              SKINNY_BIAS_NONE, NULL, 0, 0, 0, 0, NULL, NULL, NULL};
        if (c->w_fp8) { /* e4m3 weights: the planner checks the scale pointer, reads no data */
            d.w_dtype = SKINNY_FP8_E4M3;
            d.w_scale = (const float *)(const void *)buf;
        }
        skinny_choice ch;
        const skinny_status st = skinny_plan(&d, &dev, &ch);
        if (st != SKINNY_OK) { no_path++; continue; }
        const ch_cand *pick = NULL;
        for (size_t j = 0; j < c->ncand && !pick; j++)
            if (!strcmp(in.rows[c->cand[j].row].name, ch.kernel)) pick = &c->cand[j];
        if (!pick && skip_unmeasured) {
            printf("not graded: %s %s n=%d %lldx%lld: the heuristic's %s was not measured there\n", c->device,
                   ch_cell_dtype(c), c->n, c->m, c->k, ch.kernel);
            unmeasured++;
            continue;
        }
        if (!pick || !pick->ok) {
            fprintf(stderr, "%s:%d: error: the heuristic runs %s in %s %s n=%d %lldx%lld, which this cell %s\n",
                    c->file, c->line, ch.kernel, c->device, ch_cell_dtype(c), c->n, c->m, c->k,
                    pick ? "measured wrong" : "did not measure (build the library from --table)");
            errors++;
            continue;
        }
        v[nv++] = (verdict){i, ch.kernel, pick->us / best, c->cublas_us / pick->us};
        log_sum += log(c->cublas_us / pick->us);
    }
    if (errors) {
        fprintf(stderr, "%zu error%s\n", errors, errors == 1 ? "" : "s");
        return 1;
    }
    qsort(v, nv, sizeof *v, by_ratio);
    size_t over5 = 0, over_max = 0;
    for (size_t i = 0; i < nv; i++) over5 += v[i].ratio > 1.05, over_max += v[i].ratio > max;
    printf("heuristic vs the best row of %s: %zu cells (%ld CUs, wave %ld); worst %.3f, %zu above 1.05, "
           "%zu above %.2f; geometric-mean speedup of the heuristic's rows over cuBLAS %.4f\n",
           table, nv, cus, wave, nv ? v[0].ratio : 1.0, over5, over_max, max, nv ? exp(log_sum / (double)nv) : 1.0);
    if (no_path || other_wave)
        printf("not compared: %zu cells where the heuristic has no fast path, %zu of another wave size\n", no_path,
               other_wave);
    if (unmeasured) printf("not graded: %zu cells whose measurements lack the heuristic's row\n", unmeasured);
    for (size_t i = 0; i < nv && (list || v[i].ratio > 1.05); i++) {
        const ch_cell *c = &in.cells[v[i].cell];
        printf("  %.3f  %s %s n=%d %lldx%lld: %s (%.2fx cuBLAS)\n", v[i].ratio, c->device, ch_cell_dtype(c), c->n,
               c->m, c->k, v[i].row, v[i].speedup);
    }
    free(v);
    ch_input_free(&in);
    ch_input_free(&tab);
    return over_max ? 1 : 0;
}
