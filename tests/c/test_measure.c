/*
** test_measure.c -- the association measures against values worked out
** by hand, one measure alone and llr both ways bit for bit as the five
** compute them, and the result table's cells.
*/
#include <math.h>
#include <string.h>

#include "rc_internal.h"
#include "relcore.h"
#include "test.h"

static int close_to(double a, double b) {
    return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1);
}

static void test_measures(void) {
    rc_measures m;
    /* N=10, c(a)=4, c(b)=5, c(ab)=2: independence, pmi 0 */
    rc_measures_compute(10, 4, 5, 2, &m);
    TEST_COND("pmi at independence is 0", close_to(m.pmi, 0.0));
    TEST_COND("npmi at independence is 0", close_to(m.npmi, 0.0));
    TEST_COND("llr at independence is 0", close_to(m.llr, 0.0));
    TEST_COND("dice", close_to(m.dice, 4.0 / 9.0));
    TEST_COND("jaccard", close_to(m.jaccard, 2.0 / 7.0));
    /* N=8, c(a)=2, c(b)=2, c(ab)=2: pmi = log2(2*8/4) = 2, npmi = 2/2 = 1 */
    rc_measures_compute(8, 2, 2, 2, &m);
    TEST_COND("pmi of perfect association", close_to(m.pmi, 2.0));
    TEST_COND("npmi of perfect association", close_to(m.npmi, 1.0));
    /* G2 by hand: cells 2,0,0,6; E = 0.5,1.5,1.5,4.5 */
    double g2 = 2 * (2 * log(2 / 0.5) + 6 * log(6 / 4.5));
    TEST_COND("llr by hand", close_to(m.llr, g2));
    rc_measures_compute(5, 5, 5, 5, &m);
    TEST_COND("npmi is 1 when c(ab) = N", close_to(m.npmi, 1.0));
    rc_measures_compute(10, 3, 3, 0, &m);
    TEST_COND("pmi of a never-seen pair is -inf", isinf(m.pmi) && m.pmi < 0);
    TEST_COND("npmi of a never-seen pair is -1", close_to(m.npmi, -1.0));
}

static int same_bits(double a, double b) {
    return !memcmp(&a, &b, sizeof a);
}

/* rc_measure_value and rc_llr_both_ways drop pairs of a --top before the
** five measures are computed: they must give the very bits of
** rc_measures_compute, on tables of every shape (a fixed LCG). */
static void test_one_measure_is_the_same_bits(void) {
    uint64_t x = 12345;
    int same = 1, llr_same = 1, swapped_differs = 0;
    for (int i = 0; i < 200000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t n = 1 + (x >> 33) % (i % 2 ? 50 : 5000000);
        uint64_t ca = (x >> 13) % (n + 1), cb = (x >> 23) % (n + 1);
        uint64_t lo = ca + cb > n ? ca + cb - n : 0, hi = ca < cb ? ca : cb;
        uint64_t cab = lo + (hi > lo ? (x >> 3) % (hi - lo + 1) : 0);
        rc_measures m, w;
        rc_measures_compute(n, ca, cb, cab, &m);
        rc_measures_compute(n, cb, ca, cab, &w);
        same &= same_bits(rc_measure_value(RC_SORT_PMI, n, ca, cb, cab), m.pmi) &&
                same_bits(rc_measure_value(RC_SORT_NPMI, n, ca, cb, cab), m.npmi) &&
                same_bits(rc_measure_value(RC_SORT_LLR, n, ca, cb, cab), m.llr) &&
                same_bits(rc_measure_value(RC_SORT_DICE, n, ca, cb, cab), m.dice) &&
                same_bits(rc_measure_value(RC_SORT_JACCARD, n, ca, cb, cab), m.jaccard) &&
                same_bits(m.pmi, w.pmi) && same_bits(m.npmi, w.npmi) &&
                same_bits(m.dice, w.dice) && same_bits(m.jaccard, w.jaccard);
        double ab, ba;
        rc_llr_both_ways(n, ca, cb, cab, &ab, &ba);
        llr_same &= same_bits(ab, m.llr) && same_bits(ba, w.llr);
        swapped_differs |= !same_bits(m.llr, w.llr);
    }
    TEST_COND("one measure alone is the bits of the five", same);
    TEST_COND("pmi, npmi, dice and jaccard are the same bits swapped", same);
    TEST_COND("llr both ways is the bits of the five, each way", llr_same);
    TEST_COND("llr swapped does round otherwise sometimes (so both ways are needed)",
              swapped_differs);
}

static void test_table(void) {
    static const char *const names[] = {"name", "n", "x"};
    static const rc_col_kind kinds[] = {RC_COL_STR, RC_COL_INT, RC_COL_REAL};
    rc_table *t;
    TEST_COND("table created", rc_table_new(3, names, kinds, NULL, &t) == RC_OK);
    for (int i = 0; i < 1000; i++) {
        rc_table_str(t, "Iran", 4);
        rc_table_int(t, i);
        rc_table_real(t, i / 2.0);
        rc_table_end_row(t);
    }
    size_t len;
    const char *s = rc_table_get_str(t, 999, 0, &len);
    TEST_COND("rows", rc_table_rows(t) == 1000);
    TEST_COND("string cell", len == 4 && !memcmp(s, "Iran", 4));
    TEST_COND("int cell", rc_table_get_int(t, 999, 1) == 999);
    TEST_COND("real cell", rc_table_get_real(t, 999, 2) == 499.5);
    TEST_COND("column names", !strcmp(rc_table_col_name(t, 2), "x"));
    const int64_t *ints = rc_table_numbers(t, 1);
    const double *reals = rc_table_numbers(t, 2);
    TEST_COND("an int column is one dense array", ints && ints[0] == 0 && ints[999] == 999);
    TEST_COND("a real column is one dense array", reals && reals[1] == 0.5);
    TEST_COND("a str column has no number array", rc_table_numbers(t, 0) == NULL);
    rc_table_clear(t);
    TEST_COND("clear", rc_table_rows(t) == 0);
    rc_table_free(t);
    rc_table_free(NULL);
}

int main(void) {
    test_measures();
    test_one_measure_is_the_same_bits();
    test_table();
    return TEST_REPORT();
}
