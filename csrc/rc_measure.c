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

void rc_measures_compute(uint64_t n, uint64_t ca, uint64_t cb, uint64_t cab,
                         rc_measures *out) {
    if (n == 0 || ca == 0 || cb == 0) {
        out->pmi = out->npmi = out->llr = NAN;
        out->dice = (ca + cb) ? 2.0 * (double)cab / (double)(ca + cb) : NAN;
        out->jaccard = (ca + cb - cab) ? (double)cab / (double)(ca + cb - cab)
                                       : NAN;
        return;
    }
    double N = (double)n, A = (double)ca, B = (double)cb, AB = (double)cab;
    if (cab == 0) {
        out->pmi = -INFINITY;
        out->npmi = -1.0;
    } else {
        out->pmi = log2(AB * N / (A * B));
        out->npmi = cab == n ? 1.0 : out->pmi / -log2(AB / N);
    }
    /* The four cells: both, a only, b only, neither. */
    double o11 = AB, o12 = A - AB, o21 = B - AB, o22 = N - A - B + AB;
    double r1 = A, r2 = N - A, c1 = B, c2 = N - B;
    double g = g2_term(o11, r1 * c1 / N) + g2_term(o12, r1 * c2 / N) +
               g2_term(o21, r2 * c1 / N) + g2_term(o22, r2 * c2 / N);
    out->llr = 2.0 * g;
    if (out->llr < 0 && out->llr > -1e-9) out->llr = 0.0; /* rounding */
    out->dice = 2.0 * AB / (A + B);
    out->jaccard = AB / (A + B - AB);
}
