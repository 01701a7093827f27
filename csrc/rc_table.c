/*
** rc_table.c -- result tables: named, typed columns filled row by row.
**
** Layout: each column is one dense array of cells.  An INT cell is an
** int64_t, a REAL cell a double, a STR cell a (offset, length) pair into
** the table's one string arena.  So a table of a million rows is a few
** large allocations, and the Python binding can walk a column without
** touching the others.
**
** Invariants: every column holds `rows` complete cells, plus at most one
** cell of the row being built (the columns before `cur_col`).  Values of a
** row must come in column order; a partial row is dropped by clear or by a
** failed append.  The arena only grows; rc_table_clear resets it to 0.
*/
#include <stdlib.h>

#include "rc_internal.h"

typedef struct str_cell {
    uint64_t off;
    uint64_t len;
} str_cell;

typedef struct column {
    char *name;
    rc_col_kind kind;
    size_t size; /* bytes a cell: cell_size(kind) */
    void *cells; /* int64_t[], double[] or str_cell[] */
    size_t cap;  /* cells allocated */
} column;

struct rc_table {
    const rc_allocator *alc;
    column *cols;
    size_t ncols;
    size_t rows;
    size_t cur_col; /* next column of the row being built */
    char *arena;
    size_t arena_len, arena_cap;
};

static size_t cell_size(rc_col_kind k) {
    return k == RC_COL_STR ? sizeof(str_cell)
           : k == RC_COL_INT ? sizeof(int64_t)
                             : sizeof(double);
}

rc_status rc_table_new(size_t ncols, const char *const *names,
                       const rc_col_kind *kinds, const rc_allocator *alc,
                       rc_table **out) {
    *out = NULL;
    rc_table *t = rc_malloc(alc, sizeof *t);
    if (!t) return RC_ENOMEM;
    memset(t, 0, sizeof *t);
    t->alc = alc;
    t->cols = rc_malloc(alc, ncols * sizeof *t->cols);
    if (!t->cols) {
        rc_free(alc, t);
        return RC_ENOMEM;
    }
    memset(t->cols, 0, ncols * sizeof *t->cols);
    t->ncols = ncols;
    for (size_t i = 0; i < ncols; i++) {
        t->cols[i].kind = kinds[i];
        t->cols[i].size = cell_size(kinds[i]);
        t->cols[i].name = rc_strndup(alc, names[i], strlen(names[i]));
        if (!t->cols[i].name) {
            rc_table_free(t);
            return RC_ENOMEM;
        }
    }
    *out = t;
    return RC_OK;
}

void rc_table_free(rc_table *t) {
    if (!t) return;
    for (size_t i = 0; i < t->ncols; i++) {
        rc_free(t->alc, t->cols[i].name);
        rc_free(t->alc, t->cols[i].cells);
    }
    rc_free(t->alc, t->cols);
    rc_free(t->alc, t->arena);
    rc_free(t->alc, t);
}

/* Room for one more cell in the current column; on failure the partial
** row is dropped. */
static inline void *next_cell(rc_table *t, rc_col_kind kind) {
    assert(t->cur_col < t->ncols);
    column *c = &t->cols[t->cur_col];
    assert(c->kind == kind);
    (void)kind;
    if (unlikely(t->rows >= c->cap) &&
        rc_grow(t->alc, &c->cells, &c->cap, t->rows + 1, c->size) != RC_OK) {
        t->cur_col = 0;
        return NULL;
    }
    t->cur_col++;
    return (char *)c->cells + t->rows * c->size;
}

rc_status rc_table_str(rc_table *t, const char *s, size_t len) {
    if (t->arena_len > SIZE_MAX - len ||
        rc_grow(t->alc, (void **)&t->arena, &t->arena_cap, t->arena_len + len,
                1) != RC_OK) {
        t->cur_col = 0;
        return RC_ENOMEM;
    }
    str_cell *cell = next_cell(t, RC_COL_STR);
    if (!cell) return RC_ENOMEM;
    if (len) memcpy(t->arena + t->arena_len, s, len);
    cell->off = t->arena_len;
    cell->len = len;
    t->arena_len += len;
    return RC_OK;
}

rc_status rc_table_int(rc_table *t, int64_t v) {
    int64_t *cell = next_cell(t, RC_COL_INT);
    if (!cell) return RC_ENOMEM;
    *cell = v;
    return RC_OK;
}

rc_status rc_table_real(rc_table *t, double v) {
    double *cell = next_cell(t, RC_COL_REAL);
    if (!cell) return RC_ENOMEM;
    *cell = v;
    return RC_OK;
}

rc_status rc_table_end_row(rc_table *t) {
    if (RC_NEVER(t->cur_col != t->ncols)) {
        t->cur_col = 0;
        return RC_EINVAL;
    }
    t->cur_col = 0;
    t->rows++;
    return RC_OK;
}

void rc_table_clear(rc_table *t) {
    t->rows = 0;
    t->cur_col = 0;
    t->arena_len = 0;
}

size_t rc_table_rows(const rc_table *t) { return t->rows; }
size_t rc_table_cols(const rc_table *t) { return t->ncols; }
const char *rc_table_col_name(const rc_table *t, size_t col) {
    return t->cols[col].name;
}
rc_col_kind rc_table_col_kind(const rc_table *t, size_t col) {
    return t->cols[col].kind;
}

const char *rc_table_get_str(const rc_table *t, size_t row, size_t col,
                             size_t *len) {
    assert(row < t->rows && t->cols[col].kind == RC_COL_STR);
    const str_cell *c = (const str_cell *)t->cols[col].cells + row;
    *len = c->len;
    return c->len ? t->arena + c->off : "";
}

int64_t rc_table_get_int(const rc_table *t, size_t row, size_t col) {
    assert(row < t->rows && t->cols[col].kind == RC_COL_INT);
    return ((const int64_t *)t->cols[col].cells)[row];
}

double rc_table_get_real(const rc_table *t, size_t row, size_t col) {
    assert(row < t->rows && t->cols[col].kind == RC_COL_REAL);
    return ((const double *)t->cols[col].cells)[row];
}

const void *rc_table_numbers(const rc_table *t, size_t col) {
    assert(col < t->ncols);
    return t->cols[col].kind == RC_COL_STR ? NULL : t->cols[col].cells;
}
