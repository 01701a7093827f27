/*
** fuzz_packed.c -- libFuzzer target for the packed formats that travel
** between Dask workers (rc_pack.c: a corpus's analysis and its tallies;
** rc_query.c: a query's counts over a part).  The first byte picks the
** reader: 0 a packed corpus, 1 packed tallies, 2, 3 and 5 cooccur, count
** and timeline counts made into a table, 4 two counts (the rest cut in
** half) summed.
** Packed corpora and tallies carry the gazetteer's hash, which the input's
** bytes 8..24 are set to, and counts the number of keys (bytes 52..60:
** the gazetteer's entities, the keys of an empty corpus), so that seeds
** stay valid when the gazetteer changes.
**
** Invariants: a reader either succeeds or fails with RC_EPARSE, RC_EINVAL
** or RC_ELIMIT (never a crash or a read past the end); a failed unpack
** leaves the corpus's documents as they were; a table made of counts has
** the query's columns; summed counts make a table or are refused.
*/
#include "fuzz.h"
#include "rc_entity.h"

static int refused(rc_status rc) {
    return rc == RC_EPARSE || rc == RC_EINVAL || rc == RC_ELIMIT;
}

/* The table of counts c (cooccur, count or timeline, of a query of no
** options) on an empty corpus (the gazetteer's entities). */
static void table_of(rc_corpus *whole, rc_part_query what, const uint8_t *c, size_t n) {
    rc_query q;
    memset(&q, 0, sizeof q);
    rc_table *t = NULL;
    rc_error err = {0};
    rc_status rc = rc_corpus_part_table(whole, what, &q, c, n, &t, &err);
    size_t cols = what == RC_PART_COOCCUR ? 10 : 5;
    CHECK(rc == RC_OK ? t != NULL && rc_table_cols(t) == cols
                      : refused(rc) && t == NULL && err.msg[0]);
    rc_table_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    if (n < 1) return 0;
    unsigned kind = data[0] % 6;
    uint8_t *b = malloc(n);
    CHECK(b != NULL);
    memcpy(b, data + 1, n - 1);
    size_t len = n - 1;
    rc_gazetteer *g = fuzz_gazetteer_builtin();
    if (kind < 2 && len >= 24) {
        char hash[17];
        rc_gazetteer_hash(g, hash);
        memcpy(b + 8, hash, 16);
    }
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1};
    rc_corpus *c = NULL;
    CHECK(rc_corpus_new(g, &ao, NULL, &c) == RC_OK);
    if ((kind == 2 || kind == 3 || kind == 5) && len >= 60) { /* the keys: the gazetteer's entities */
        uint64_t nkeys = rc_gazetteer_entities(g)->n;
        for (int i = 0; i < 8; i++) b[52 + i] = (uint8_t)(nkeys >> (8 * i));
    }
    rc_error err = {0};
    rc_status rc;
    switch (kind) {
    case 0:
        rc = rc_corpus_unpack(c, b, len, &err);
        CHECK(rc == RC_OK || (refused(rc) && rc_corpus_docs(c) == 0));
        break;
    case 1:
        rc = rc_corpus_unpack_tallies(c, b, len, &err);
        CHECK(rc == RC_OK || refused(rc));
        CHECK(rc_corpus_docs(c) == 0);
        break;
    case 2:
    case 3:
    case 5:
        table_of(c, kind == 2 ? RC_PART_COOCCUR : kind == 3 ? RC_PART_COUNT : RC_PART_TIMELINE,
                 b, len);
        break;
    default: {
        const unsigned char *two[] = {b, b + len / 2};
        size_t lens[] = {len / 2, len - len / 2};
        unsigned char *sum = NULL;
        size_t slen = 0;
        rc = rc_part_counts_sum(two, lens, 2, &sum, &slen, &err);
        CHECK(rc == RC_OK ? sum != NULL : refused(rc) && sum == NULL);
        if (sum) table_of(c, RC_PART_COOCCUR, sum, slen);
        free(sum);
    }
    }
    rc_corpus_free(c);
    free(b);
    return 0;
}
