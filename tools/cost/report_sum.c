/* report_sum.c - totals per target and the marginal cost of each N, shared
 * by the Markdown and JSON writers so both print the same numbers. */
#include "report.h"

cost_sum report_sum(const cost_report *r, size_t t, int added, int n)
{
    cost_sum s = {0, 0.0, 0, 0};
    for (size_t i = 0; i < r->nrows; i++) {
        const cost_row *row = &r->rows[i];
        const cost_cell *c = report_cell(r, i, t);
        if (!c->built || (added >= 0 && row->added != added) || (n > 0 && row->n != n)) continue;
        s.rows++;
        s.compile_s += c->median;
        s.code_bytes += c->code_object_bytes;
        s.text_bytes += c->text_bytes;
    }
    return s;
}

size_t report_ns(const cost_report *r, int *ns, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        size_t j = 0;
        while (j < k && ns[j] != r->rows[i].n) j++;
        if (j == k && k < max) ns[k++] = r->rows[i].n;
    }
    for (size_t i = 1; i < k; i++) /* insertion sort: at most 64 values */
        for (size_t j = i; j > 0 && ns[j - 1] > ns[j]; j--) {
            int tmp = ns[j];
            ns[j] = ns[j - 1];
            ns[j - 1] = tmp;
        }
    return k;
}
