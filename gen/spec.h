/* spec.h - rows of specs/tiles.def, and the diagnostics found reading them.
 * Data flows one way: text -> spec_parse -> spec_validate -> plan -> emit. */
#ifndef SKINNYGEN_SPEC_H
#define SKINNYGEN_SPEC_H

#include <stddef.h>
#include <stdio.h>

/* The columns of a TILE(...) row, in order. X(field, min, max) */
#define SPEC_FIELDS(X)            \
    X(n, 1, 64)                   \
    X(wave, 32, 64)               \
    X(waves_per_group, 1, 16)     \
    X(ytile, 1, 16)               \
    X(unroll, 1, 8)

enum spec_field {
#define SPEC_X_ENUM(f, lo, hi) SPEC_FIELD_##f,
    SPEC_FIELDS(SPEC_X_ENUM)
#undef SPEC_X_ENUM
    SPEC_FIELD_COUNT
};

/* Row kinds: TILE(...) rows run the FMA kernel (each wave owns ytile
 * columns, its lanes split K); MMA(...) rows run the matrix-instruction
 * kernel (mma.sync / MFMA; a workgroup owns 16 x mtiles columns, its waves
 * split K); MMA_FP8(...) rows run its fp8-weight variant (e4m3 weights, 16
 * per 16-byte load, converted in registers). MMA and MMA_FP8 rows keep
 * mtiles in the ytile slot. The order is the dispatcher's order within a
 * slice. */
enum spec_kind { SPEC_KIND_TILE, SPEC_KIND_MMA, SPEC_KIND_MMA_FP8 };

typedef struct spec_row {
    int kind;                     /* enum spec_kind */
    int v[SPEC_FIELD_COUNT];      /* values, indexed by enum spec_field */
    int line;                     /* 1-based line of the row; -N: the Nth --add row */
    int col[SPEC_FIELD_COUNT];    /* 1-based column of each field */
    int row_col;                  /* column where the row starts */
    char text[SPEC_FIELD_COUNT][32]; /* fields as written (for duplicate detection) */
    char name[64];                /* kernel name, e.g. n5_w64_g16_y2_u1 */
} spec_row;

typedef struct spec_diag {
    int line, col;
    char msg[200];
} spec_diag;

typedef struct spec {
    const char *path;   /* as given; used in messages */
    spec_row *rows;
    size_t nrows, cap_rows;
    spec_diag *diags;
    size_t ndiags, cap_diags;
} spec;

void spec_init(spec *s, const char *path);
void spec_free(spec *s);

/* Parse text (NUL-terminated) as tiles.def rows, appending rows and syntax
 * diagnostics to s. first_line numbers the first line of text (1 for a file;
 * the what-if row of skinnygen --add gets its own numbering). */
void spec_parse(spec *s, const char *text, int first_line);

/* Record a diagnostic (used by the parser and the validator). */
void spec_error(spec *s, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Range and cross-row checks; appends diagnostics, fills row names. */
void spec_validate(spec *s);

/* Read a whole file into a NUL-terminated heap buffer; NULL on error. */
char *spec_read_file(const char *path);

/* Print diagnostics as "path:line:col: error: msg", sorted by position;
 * those of --add rows (negative line -N) as "--add:N:col: error: msg",
 * after the file's. */
void spec_print_diags(const spec *s, FILE *out);

const char *spec_field_name(int field);
/* The field's name in a row of that kind (MMA and MMA_FP8 rows say mtiles,
 * not ytile). */
const char *spec_row_field_name(int kind, int field);
/* "TILE", "MMA" or "MMA_FP8". */
const char *spec_kind_keyword(int kind);

/* A decimal field of a row (digits only, clamped at INT_MAX so range checks
 * report it); 0 if it is not one. */
int spec_parse_int(const char *p, int len, int *out);

#endif
