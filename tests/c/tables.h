/*
** tables.h -- whether two rc_tables hold the same cells, for the C unit
** tests and the fuzz targets that compare a result made two ways.  Reals
** compare by their bits (the same computation gives the same bits, NaN
** included).
*/
#ifndef RC_TEST_TABLES_H
#define RC_TEST_TABLES_H
#include <string.h>

#include "relcore.h"

/* Whether a's rows are the first rows of b. */
static inline int table_prefix(const rc_table *a, const rc_table *b) {
    if (!a || !b || rc_table_rows(a) > rc_table_rows(b) || rc_table_cols(a) != rc_table_cols(b))
        return 0;
    for (size_t r = 0; r < rc_table_rows(a); r++)
        for (size_t col = 0; col < rc_table_cols(a); col++) {
            size_t la, lb;
            if (rc_table_col_kind(a, col) == RC_COL_STR) {
                const char *x = rc_table_get_str(a, r, col, &la);
                const char *y = rc_table_get_str(b, r, col, &lb);
                if (la != lb || memcmp(x, y, la)) return 0;
            } else if (rc_table_col_kind(a, col) == RC_COL_INT) {
                if (rc_table_get_int(a, r, col) != rc_table_get_int(b, r, col)) return 0;
            } else if (memcmp(&(double){rc_table_get_real(a, r, col)},
                              &(double){rc_table_get_real(b, r, col)}, sizeof(double))) {
                return 0;
            }
        }
    return 1;
}

static inline int tables_equal(const rc_table *a, const rc_table *b) {
    return a && b && rc_table_rows(a) == rc_table_rows(b) && table_prefix(a, b);
}
#endif
