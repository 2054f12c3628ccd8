/* report_json.c - the report as JSON, built with cJSON:
 *
 * { "tool", "date", "machine": {...}, "compilers": {...}, "runs",
 *   "timed": "...", "commands": {"amd": ..., "nvidia": ...},
 *   "targets": [{"name","kind","wave","occupancy_unit"}],
 *   "rows": [{"name","n","wave","waves_per_group","ytile","unroll","added",
 *             "targets": {"gfx90a": {"status": "built" | "not_built",
 *                 "compile_s": {"median", "runs": [...]},
 *                 "code_object_bytes", "text_bytes",
 *                 "kernels": [{"dtype", "registers", ...}]}}}],
 *   "totals": {"gfx90a": {"table": {...}, "added": {...}}},
 *   "per_n": [{"n", "targets": {"gfx90a": {"rows","compile_s","code_object_bytes"}}}] }
 *
 * Figures that do not apply to a target kind are null, never omitted, so a
 * reader can tell "not applicable" from "missing". */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "report.h"

static void num_or_null(cJSON *o, const char *key, long v)
{
    if (v >= 0) cJSON_AddNumberToObject(o, key, (double)v);
    else cJSON_AddNullToObject(o, key);
}

static cJSON *sum_json(cost_sum s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "rows", s.rows);
    cJSON_AddNumberToObject(o, "compile_s", s.compile_s);
    cJSON_AddNumberToObject(o, "code_object_bytes", (double)s.code_bytes);
    cJSON_AddNumberToObject(o, "text_bytes", (double)s.text_bytes);
    return o;
}

static cJSON *kernel_json(const cost_kernel *k)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "dtype", k->dtype);
    num_or_null(o, "registers", k->registers);
    num_or_null(o, "sgpr", k->sgpr);
    num_or_null(o, "agpr", k->agpr);
    num_or_null(o, "scratch_bytes", k->scratch_bytes);
    num_or_null(o, "vgpr_spills", k->vgpr_spills);
    num_or_null(o, "sgpr_spills", k->sgpr_spills);
    num_or_null(o, "spill_store_bytes", k->spill_store_bytes);
    num_or_null(o, "spill_load_bytes", k->spill_load_bytes);
    num_or_null(o, "static_lds_bytes", k->static_lds_bytes);
    num_or_null(o, "max_workgroup", k->max_workgroup);
    num_or_null(o, "occupancy", k->occupancy);
    num_or_null(o, "mlp", k->mlp);
    cJSON *m = cJSON_AddArrayToObject(o, "model");
    for (int p = 0; p < k->npred; p++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "gpu", k->pred[p].gpu);
        cJSON_AddNumberToObject(e, "kib_in_flight_per_unit", k->pred[p].kib_in_flight);
        cJSON_AddNumberToObject(e, "pct_of_peak", k->pred[p].pct_of_peak);
        cJSON_AddItemToArray(m, e);
    }
    return o;
}

int report_write_json(const cost_report *r, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "tool", "skinny-cost");
    cJSON_AddStringToObject(root, "date", r->date);
    if (r->label) cJSON_AddStringToObject(root, "label", r->label);
    cJSON *m = cJSON_AddObjectToObject(root, "machine");
    cJSON_AddStringToObject(m, "os", r->host);
    cJSON_AddStringToObject(m, "cpu", r->cpu);
    cJSON_AddNumberToObject(m, "cpus", r->ncpus);
    cJSON *cv = cJSON_AddObjectToObject(root, "compilers");
    if (r->hipcc_version) cJSON_AddStringToObject(cv, "hipcc", r->hipcc_version);
    if (r->nvcc_version) cJSON_AddStringToObject(cv, "nvcc", r->nvcc_version);
    cJSON_AddStringToObject(root, "spec", r->spec);
    cJSON_AddBoolToObject(root, "whatif", r->whatif);
    cJSON_AddNumberToObject(root, "runs", r->runs);
    cJSON_AddStringToObject(root, "timed",
                            "wall time of one whole hipcc/nvcc invocation compiling one row's "
                            "TU for one target (the build's kernel_cmd with one offload arch), "
                            "median of the runs, run one at a time");
    cJSON *cmds = cJSON_AddObjectToObject(root, "commands");
    if (r->hip_cmd) cJSON_AddStringToObject(cmds, "amd", r->hip_cmd);
    if (r->nv_cmd) cJSON_AddStringToObject(cmds, "nvidia", r->nv_cmd);

    cJSON *tg = cJSON_AddArrayToObject(root, "targets");
    for (size_t t = 0; t < r->ntargets; t++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", r->targets[t].name);
        cJSON_AddStringToObject(o, "kind", r->targets[t].kind == KIND_AMD ? "amd" : "nvidia");
        cJSON_AddNumberToObject(o, "wave", r->targets[t].wave);
        cJSON_AddStringToObject(o, "occupancy_unit",
                                r->targets[t].kind == KIND_AMD ? "waves_per_simd" : "warps_per_sm");
        cJSON_AddItemToArray(tg, o);
    }

    cJSON *rows = cJSON_AddArrayToObject(root, "rows");
    for (size_t i = 0; i < r->nrows; i++) {
        const cost_row *row = &r->rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", row->name);
        cJSON_AddNumberToObject(o, "n", row->n);
        cJSON_AddNumberToObject(o, "wave", row->wave);
        cJSON_AddNumberToObject(o, "waves_per_group", row->group);
        cJSON_AddNumberToObject(o, "ytile", row->ytile);
        cJSON_AddNumberToObject(o, "unroll", row->unroll);
        cJSON_AddBoolToObject(o, "added", row->added);
        cJSON *per = cJSON_AddObjectToObject(o, "targets");
        for (size_t t = 0; t < r->ntargets; t++) {
            const cost_cell *c = report_cell(r, i, t);
            cJSON *ct = cJSON_AddObjectToObject(per, r->targets[t].name);
            if (!c->built) {
                cJSON_AddStringToObject(ct, "status", "not_built");
                cJSON_AddStringToObject(ct, "reason", "wave size differs from the target's");
                continue;
            }
            cJSON_AddStringToObject(ct, "status", "built");
            cJSON *cs = cJSON_AddObjectToObject(ct, "compile_s");
            cJSON_AddNumberToObject(cs, "median", c->median);
            cJSON_AddItemToObject(cs, "runs", cJSON_CreateDoubleArray(c->runs, c->nruns));
            cJSON_AddNumberToObject(ct, "code_object_bytes", (double)c->code_object_bytes);
            cJSON_AddNumberToObject(ct, "text_bytes", (double)c->text_bytes);
            cJSON *ks = cJSON_AddArrayToObject(ct, "kernels");
            for (int k = 0; k < c->nkernels; k++) cJSON_AddItemToArray(ks, kernel_json(&c->k[k]));
        }
        cJSON_AddItemToArray(rows, o);
    }

    cJSON *tot = cJSON_AddObjectToObject(root, "totals");
    for (size_t t = 0; t < r->ntargets; t++) {
        cJSON *o = cJSON_AddObjectToObject(tot, r->targets[t].name);
        cJSON_AddItemToObject(o, "table", sum_json(report_sum(r, t, 0, 0)));
        cJSON_AddItemToObject(o, "added", sum_json(report_sum(r, t, 1, 0)));
        cJSON_AddItemToObject(o, "all", sum_json(report_sum(r, t, -1, 0)));
    }
    int ns[128];
    size_t nn = report_ns(r, ns, 128);
    cJSON *pn = cJSON_AddArrayToObject(root, "per_n");
    for (size_t j = 0; j < nn; j++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "n", ns[j]);
        cJSON *per = cJSON_AddObjectToObject(o, "targets");
        for (size_t t = 0; t < r->ntargets; t++)
            cJSON_AddItemToObject(per, r->targets[t].name, sum_json(report_sum(r, t, -1, ns[j])));
        cJSON_AddItemToArray(pn, o);
    }

    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) return -1;
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = 0;
    cJSON_free(text);
    return ok ? 0 : -1;
}
