/* report_load.c - read a report back from its JSON (--from-json), so the
 * Markdown, CSV and chart can be re-rendered without compiling anything
 * again (a full report takes tens of minutes). Inverse of report_json.c;
 * anything missing or of the wrong type ends the run with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report.h"
#include "targets.h"
#include "util.h"

static const cJSON *item(const cJSON *o, const char *key, const char *where)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v) die("%s: no '%s'", where, key);
    return v;
}

static char *str(const cJSON *o, const char *key, const char *where)
{
    const cJSON *v = item(o, key, where);
    if (!cJSON_IsString(v)) die("%s: '%s' is not a string", where, key);
    return xstrdup(v->valuestring);
}

static char *opt_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static double num(const cJSON *o, const char *key, const char *where)
{
    const cJSON *v = item(o, key, where);
    if (!cJSON_IsNumber(v)) die("%s: '%s' is not a number", where, key);
    return v->valuedouble;
}

/* null -> -1 ("does not apply"), as in cost_kernel. */
static long num_or_null(const cJSON *o, const char *key, const char *where)
{
    const cJSON *v = item(o, key, where);
    if (cJSON_IsNull(v)) return -1;
    if (!cJSON_IsNumber(v)) die("%s: '%s' is neither a number nor null", where, key);
    return (long)v->valuedouble;
}

void report_load_json(const char *path, cost_report *r)
{
    char *text = read_file(path, NULL);
    if (!text) die("cannot read %s", path);
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root) die("%s is not valid JSON", path);
    memset(r, 0, sizeof *r);
    r->label = opt_str(root, "label");
    r->date = str(root, "date", path);
    const cJSON *m = item(root, "machine", path);
    r->host = str(m, "os", path);
    r->cpu = str(m, "cpu", path);
    r->ncpus = (int)num(m, "cpus", path);
    const cJSON *cv = item(root, "compilers", path);
    r->hipcc_version = opt_str(cv, "hipcc");
    r->nvcc_version = opt_str(cv, "nvcc");
    r->spec = str(root, "spec", path);
    r->whatif = cJSON_IsTrue(item(root, "whatif", path));
    r->runs = (int)num(root, "runs", path);
    const cJSON *cmds = item(root, "commands", path);
    r->hip_cmd = opt_str(cmds, "amd");
    r->nv_cmd = opt_str(cmds, "nvidia");

    const cJSON *tg = item(root, "targets", path), *t;
    r->targets = xmalloc(((size_t)cJSON_GetArraySize(tg) + 1) * sizeof *r->targets);
    cJSON_ArrayForEach(t, tg) {
        char *name = str(t, "name", path), err[256];
        if (target_lookup(name, &r->targets[r->ntargets++], err, sizeof err) != 0) die("%s", err);
        free(name);
    }
    const cJSON *rows = item(root, "rows", path), *row;
    const size_t nrows = (size_t)cJSON_GetArraySize(rows);
    r->rows = xmalloc((nrows + 1) * sizeof *r->rows);
    r->cells = xmalloc((nrows * r->ntargets + 1) * sizeof *r->cells);
    memset(r->cells, 0, (nrows * r->ntargets + 1) * sizeof *r->cells);
    cJSON_ArrayForEach(row, rows) {
        cost_row *cr = &r->rows[r->nrows];
        memset(cr, 0, sizeof *cr);
        char *name = str(row, "name", path);
        snprintf(cr->name, sizeof cr->name, "%s", name);
        free(name);
        cr->n = (int)num(row, "n", cr->name);
        cr->wave = (int)num(row, "wave", cr->name);
        cr->group = (int)num(row, "waves_per_group", cr->name);
        cr->ytile = (int)num(row, "ytile", cr->name);
        cr->unroll = (int)num(row, "unroll", cr->name);
        cr->added = cJSON_IsTrue(item(row, "added", cr->name));
        const cJSON *per = item(row, "targets", cr->name);
        for (size_t ti = 0; ti < r->ntargets; ti++) {
            char where[160];
            snprintf(where, sizeof where, "%s/%s", cr->name, r->targets[ti].name);
            const cJSON *c = item(per, r->targets[ti].name, where);
            cost_cell *cell = report_cell(r, r->nrows, ti);
            char *status = str(c, "status", where);
            cell->built = !strcmp(status, "built");
            free(status);
            if (!cell->built) continue;
            const cJSON *cs = item(c, "compile_s", where), *x;
            cell->median = num(cs, "median", where);
            cJSON_ArrayForEach(x, item(cs, "runs", where)) {
                if (!cJSON_IsNumber(x) || cell->nruns == COST_MAX_RUNS) die("%s: bad runs", where);
                cell->runs[cell->nruns++] = x->valuedouble;
            }
            cell->code_object_bytes = (long)num(c, "code_object_bytes", where);
            cell->text_bytes = (long)num(c, "text_bytes", where);
            const cJSON *k;
            cJSON_ArrayForEach(k, item(c, "kernels", where)) {
                if (cell->nkernels == 2) die("%s: more than two kernels", where);
                cost_kernel *kk = &cell->k[cell->nkernels++];
                char *dt = str(k, "dtype", where);
                snprintf(kk->dtype, sizeof kk->dtype, "%s", dt);
                free(dt);
                kk->registers = num_or_null(k, "registers", where);
                kk->sgpr = num_or_null(k, "sgpr", where);
                kk->agpr = num_or_null(k, "agpr", where);
                kk->scratch_bytes = num_or_null(k, "scratch_bytes", where);
                kk->vgpr_spills = num_or_null(k, "vgpr_spills", where);
                kk->sgpr_spills = num_or_null(k, "sgpr_spills", where);
                kk->spill_store_bytes = num_or_null(k, "spill_store_bytes", where);
                kk->spill_load_bytes = num_or_null(k, "spill_load_bytes", where);
                kk->static_lds_bytes = num_or_null(k, "static_lds_bytes", where);
                kk->max_workgroup = num_or_null(k, "max_workgroup", where);
                kk->occupancy = num_or_null(k, "occupancy", where);
                /* The model's fields: absent in reports older than issue 13. */
                kk->mlp = cJSON_GetObjectItemCaseSensitive(k, "mlp")
                              ? num_or_null(k, "mlp", where) : -1;
                const cJSON *pr, *model = cJSON_GetObjectItemCaseSensitive(k, "model");
                kk->npred = 0;
                cJSON_ArrayForEach(pr, model) {
                    if (kk->npred == COST_MAX_PRED) die("%s: too many model entries", where);
                    char *gpu = str(pr, "gpu", where);
                    snprintf(kk->pred[kk->npred].gpu, sizeof kk->pred[0].gpu, "%s", gpu);
                    free(gpu);
                    kk->pred[kk->npred].kib_in_flight = num(pr, "kib_in_flight_per_unit", where);
                    kk->pred[kk->npred].pct_of_peak = num(pr, "pct_of_peak", where);
                    kk->npred++;
                }
            }
            if (cell->nkernels != 2) die("%s: want 2 kernels", where);
        }
        r->nrows++;
    }
    cJSON_Delete(root);
}
