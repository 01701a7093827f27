/*
** rc_measure.c -- association measures of a pair from a 2x2 contingency
** table of contexts (SPEC §6).
**
**   n    contexts in the corpus      ca, cb   contexts holding a, b
**   cab  contexts holding both
**
**   pmi     = log2(cab * n / (ca * cb))
**   npmi    = pmi / -log2(cab / n), and 1 when cab == n
**   llr     = Dunning's G2 = 2 * sum O * ln(O / E) over the four cells,
**             E = row total * column total / n; a cell with O == 0 adds 0
**   dice    = 2 * cab / (ca + cb)
**   jaccard = cab / (ca + cb - cab)
**
** Invariant expected of the caller: cab <= min(ca, cb), ca + cb - cab <= n.
** With cab == 0, pmi and npmi are -inf and -1 (the limits); with n == 0
** every measure is NaN.  Pure functions; thread-safe.
*/
#include <math.h>

#include "rc_internal.h"

/* O * ln(O / E), 0 when O is 0. */
static double g2_term(double o, double e) {
    return o > 0 ? o * log(o / e) : 0.0;
}

/* Each measure has one expression, used by rc_measures_compute and
** rc_measure_value alike, so that both give the same bits.  N, A, B and
** AB are n, ca, cb and cab as doubles; n, ca and cb are not 0. */
static double pmi_of(double N, double A, double B, double AB, uint64_t cab) {
    return cab == 0 ? -INFINITY : log2(AB * N / (A * B));
}

static double npmi_of(double pmi, double N, double AB, uint64_t n, uint64_t cab) {
    if (cab == 0) return -1.0;
    return cab == n ? 1.0 : pmi / -log2(AB / N);
}

/* The G2 terms of the four cells: both, a only, b only, neither.  With
** a and b swapped the terms are the same bits, the middle two swapped. */
static void llr_terms(double N, double A, double B, double AB, double t[4]) {
    double o11 = AB, o12 = A - AB, o21 = B - AB, o22 = N - A - B + AB;
    double r1 = A, r2 = N - A, c1 = B, c2 = N - B;
    t[0] = g2_term(o11, r1 * c1 / N);
    t[1] = g2_term(o12, r1 * c2 / N);
    t[2] = g2_term(o21, r2 * c1 / N);
    t[3] = g2_term(o22, r2 * c2 / N);
}

static double llr_sum(double t0, double t1, double t2, double t3) {
    double llr = 2.0 * (t0 + t1 + t2 + t3);
    return llr < 0 && llr > -1e-9 ? 0.0 : llr; /* rounding */
}

static double llr_of(double N, double A, double B, double AB) {
    double t[4];
    llr_terms(N, A, B, AB, t);
    return llr_sum(t[0], t[1], t[2], t[3]);
}

static double dice_of(uint64_t ca, uint64_t cb, uint64_t cab) {
    return (ca + cb) ? 2.0 * (double)cab / (double)(ca + cb) : NAN;
}

static double jaccard_of(uint64_t ca, uint64_t cb, uint64_t cab) {
    return (ca + cb - cab) ? (double)cab / (double)(ca + cb - cab) : NAN;
}

void rc_measures_compute(uint64_t n, uint64_t ca, uint64_t cb, uint64_t cab,
                         rc_measures *out) {
    out->dice = dice_of(ca, cb, cab);
    out->jaccard = jaccard_of(ca, cb, cab);
    if (n == 0 || ca == 0 || cb == 0) {
        out->pmi = out->npmi = out->llr = NAN;
        return;
    }
    double N = (double)n, A = (double)ca, B = (double)cb, AB = (double)cab;
    out->pmi = pmi_of(N, A, B, AB, cab);
    out->npmi = npmi_of(out->pmi, N, AB, n, cab);
    out->llr = llr_of(N, A, B, AB);
}

double rc_measure_value(rc_sort which, uint64_t n, uint64_t ca, uint64_t cb,
                        uint64_t cab) {
    if (which == RC_SORT_DICE) return dice_of(ca, cb, cab);
    if (which == RC_SORT_JACCARD) return jaccard_of(ca, cb, cab);
    if (n == 0 || ca == 0 || cb == 0) return NAN;
    double N = (double)n, A = (double)ca, B = (double)cb, AB = (double)cab;
    switch (which) {
    case RC_SORT_PMI: return pmi_of(N, A, B, AB, cab);
    case RC_SORT_NPMI: return npmi_of(pmi_of(N, A, B, AB, cab), N, AB, n, cab);
    case RC_SORT_LLR: return llr_of(N, A, B, AB);
    default: return NAN;
    }
}

void rc_llr_both_ways(uint64_t n, uint64_t ca, uint64_t cb, uint64_t cab,
                      double *ab, double *ba) {
    if (n == 0 || ca == 0 || cb == 0) {
        *ab = *ba = NAN;
        return;
    }
    double t[4];
    llr_terms((double)n, (double)ca, (double)cb, (double)cab, t);
    *ab = llr_sum(t[0], t[1], t[2], t[3]);
    *ba = llr_sum(t[0], t[2], t[1], t[3]);
}
