/*
** test_parts.c -- a corpus queried in parts (relcore.dask's core): three
** part corpora, their tallies summed into a corpus of no documents, each
** part's counts made against it, summed, and made into a table, give the
** count and cooccur tables of the one corpus of all the documents, byte
** for byte, in every context, count mode and level, directed, with
** --source-col and --since, of entities and of terms (a part's term pairs
** counted a row at a time, in one batch or in many); so do timelines.  The whole's tallies
** decide what a part alone cannot (a surname named in another part).
** Damaged or foreign bytes, and counts of another query, are refused.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_corpus.h"
#include "relcore.h"
#include "tables.h"
#include "test.h"

#define NDOCS 48

/* Document i: a title, then a few sentences over a handful of countries
** and people; the early ones name Interior Minister Ali Raza, the later
** ones only Mr. Raza. */
static void part_doc(size_t i, char *buf, size_t cap) {
    static const char *const places[] = {"Iran", "Pakistan", "Oman", "Qatar", "Iraq",
                                         "Tehran", "the European Union"};
    size_t n = (size_t)snprintf(buf, cap, "Report %zu\n\n%s hosted %s. ", i, places[i % 7],
                                places[(i * 3 + 1) % 7]);
    if (i < 24)
        n += (size_t)snprintf(buf + n, cap - n,
                              "Pakistan's Interior Minister Ali Raza met Ahmed Saleh.\n\n");
    else
        n += (size_t)snprintf(buf + n, cap - n,
                              "Officials said Mr. Raza and %s spoke of trade with %s.\n\n",
                              i % 2 ? "Ahmed Saleh" : "Karim Haddad", places[(i + 4) % 7]);
    snprintf(buf + n, cap - n, "Talks in %s went on for %zu days.", places[(i * 5) % 7],
             i % 6 + 1);
}

/* Documents [d0, d1) into c (dated over the years, a country column). */
static int add_range(rc_corpus *c, size_t d0, size_t d1) {
    static const char *const codes[] = {"IRN", "PAK", "OMN", "", "Qatar"};
    char text[512], id[16], date[16];
    for (size_t i = d0; i < d1; i++) {
        part_doc(i, text, sizeof text);
        snprintf(id, sizeof id, "d%zu", i);
        snprintf(date, sizeof date, "%04zu-%02zu-01", 2015 + i % 6, 1 + i % 12);
        rc_meta meta[] = {{"country", codes[i % 5]}};
        rc_doc d = {.id = id, .path = id, .text = text, .len = strlen(text),
                    .date = i % 9 == 4 ? NULL : date, .meta = meta, .n_meta = 1};
        rc_error err = {0};
        if (rc_corpus_add(c, &d, &err) != RC_OK) return 0;
    }
    return 1;
}

static rc_corpus *new_corpus(const rc_gazetteer *g) {
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .keep_terms = 1};
    rc_corpus *c = NULL;
    return rc_corpus_new(g, &ao, NULL, &c) == RC_OK ? c : NULL;
}

/* Whether a string column of t holds s. */
static int has_cell(const rc_table *t, size_t col, const char *s) {
    for (size_t r = 0; t && r < rc_table_rows(t); r++) {
        size_t len;
        const char *x = rc_table_get_str(t, r, col, &len);
        if (len == strlen(s) && !memcmp(x, s, len)) return 1;
    }
    return 0;
}

typedef struct parts {
    rc_corpus *whole;   /* every document, analysed as one corpus */
    rc_corpus *part[3]; /* the same documents in three parts */
    rc_corpus *tallies; /* the parts' tallies, summed */
} parts;

static int parts_make(const rc_gazetteer *g, parts *p) {
    static const size_t cut[] = {0, 15, 31, NDOCS};
    memset(p, 0, sizeof *p);
    if (!(p->whole = new_corpus(g)) || !add_range(p->whole, 0, NDOCS) ||
        !(p->tallies = new_corpus(g)))
        return 0;
    for (int i = 0; i < 3; i++) {
        if (!(p->part[i] = new_corpus(g))) return 0;
        if (i == 1) rc_corpus_term_knobs(p->part[i], 0, 25); /* term rows in many batches */
        if (!add_range(p->part[i], cut[i], cut[i + 1])) return 0;
        unsigned char *b = NULL;
        size_t len = 0;
        rc_error err = {0};
        int ok = rc_corpus_pack_tallies(p->part[i], &b, &len) == RC_OK &&
                 rc_corpus_unpack_tallies(p->tallies, b, len, &err) == RC_OK;
        free(b);
        if (!ok) return 0;
    }
    return 1;
}

static void parts_free(parts *p) {
    rc_corpus_free(p->whole);
    rc_corpus_free(p->tallies);
    for (int i = 0; i < 3; i++) rc_corpus_free(p->part[i]);
}

static int query_of(rc_query *q, const char *const *opts) {
    memset(q, 0, sizeof *q);
    rc_error err = {0};
    for (size_t i = 0; opts[i]; i += 2)
        if (rc_query_set(q, opts[i], opts[i + 1], &err) != RC_OK) return 0;
    return 1;
}

/* The table of the parts' summed counts (summed in a tree when `tree`:
** the first two, then the third), or NULL. */
static rc_table *parts_table(const parts *p, rc_part_query what, const rc_query *q, int tree) {
    unsigned char *c[3] = {NULL, NULL, NULL}, *sum = NULL, *pair = NULL;
    size_t len[3] = {0, 0, 0}, slen = 0, plen = 0;
    rc_error err = {0};
    rc_table *t = NULL;
    int ok = 1;
    for (int i = 0; i < 3 && ok; i++)
        ok = rc_corpus_part_counts(p->part[i], p->tallies, what, q, &c[i], &len[i], &err) ==
             RC_OK;
    if (ok && tree) {
        const unsigned char *first[] = {c[0], c[1]};
        ok = rc_part_counts_sum(first, len, 2, &pair, &plen, &err) == RC_OK;
        const unsigned char *then[] = {pair, c[2]};
        size_t then_len[] = {plen, len[2]};
        ok = ok && rc_part_counts_sum(then, then_len, 2, &sum, &slen, &err) == RC_OK;
    } else if (ok) {
        const unsigned char *all[] = {c[0], c[1], c[2]};
        ok = rc_part_counts_sum(all, len, 3, &sum, &slen, &err) == RC_OK;
    }
    if (ok && rc_corpus_part_table(p->tallies, what, q, sum, slen, &t, &err) != RC_OK) t = NULL;
    for (int i = 0; i < 3; i++) free(c[i]);
    free(sum);
    free(pair);
    return t;
}

/* The parts answer q as the whole does, in a flat sum and in a tree of
** sums. */
static int parts_query_answer(const parts *p, rc_part_query what, const rc_query *q) {
    rc_table *want = NULL;
    rc_error err = {0};
    rc_status rc = what == RC_PART_COUNT     ? rc_corpus_count(p->whole, q, &want, &err)
                   : what == RC_PART_COOCCUR ? rc_corpus_cooccur(p->whole, q, &want, &err)
                                             : rc_corpus_timeline(p->whole, q, &want, &err);
    rc_table *flat = parts_table(p, what, q, 0), *tree = parts_table(p, what, q, 1);
    int same = rc == RC_OK && rc_table_rows(want) > 0 && tables_equal(want, flat) &&
               tables_equal(want, tree);
    rc_table_free(want);
    rc_table_free(flat);
    rc_table_free(tree);
    return same;
}

/* The parts answer opts (count or cooccur) as the whole does. */
static int parts_answer(const parts *p, rc_part_query what, const char *const *opts) {
    rc_query q;
    return query_of(&q, opts) && parts_query_answer(p, what, &q);
}

/* Rows of kwic (q) or of mentions (q NULL) of the parts, one after the
** other, are the whole corpus's. */
static int parts_rows_answer(const parts *p, const rc_query *q, int kwic) {
    rc_table *want = NULL, *got[3] = {NULL, NULL, NULL};
    rc_error err = {0};
    int ok = (kwic ? rc_corpus_kwic(p->whole, q, 0, &want, &err)
                   : rc_corpus_mentions(p->whole, 0, &want)) == RC_OK;
    size_t rows = 0, r = 0;
    for (int i = 0; ok && i < 3; i++) {
        ok = (kwic ? rc_corpus_part_kwic(p->part[i], p->tallies, q, 0, &got[i], &err)
                   : rc_corpus_part_mentions(p->part[i], p->tallies, 0, &got[i], &err)) ==
             RC_OK;
        rows += ok ? rc_table_rows(got[i]) : 0;
    }
    ok = ok && rows == rc_table_rows(want) && rows > 0 && rc_table_rows(got[2]) > 0;
    for (int i = 0; ok && i < 3; i++)
        for (size_t k = 0; ok && k < rc_table_rows(got[i]); k++, r++)
            for (size_t col = 0; ok && col < rc_table_cols(want); col++) {
                size_t la, lb;
                if (rc_table_col_kind(want, col) == RC_COL_STR) {
                    const char *x = rc_table_get_str(want, r, col, &la);
                    const char *y = rc_table_get_str(got[i], k, col, &lb);
                    ok = la == lb && !memcmp(x, y, la);
                } else {
                    ok = rc_table_get_int(want, r, col) == rc_table_get_int(got[i], k, col);
                }
            }
    rc_table_free(want);
    for (int i = 0; i < 3; i++) rc_table_free(got[i]);
    return ok;
}

static void test_parts_answer_as_the_whole(const rc_gazetteer *g) {
    parts p;
    TEST_COND("three parts and the whole", parts_make(g, &p));
    static const char *const cooccur[][13] = {
        {"context", "sentence", NULL},
        {"context", "paragraph", "count", "frequency", NULL},
        {"context", "document", "directed", "1", "sort", "npmi", NULL},
        {"context", "window:4", "count", "weighted", "directed", "1", NULL},
        {"level", "country", "sort", "llr", "top", "5", NULL},
        {"types", "PERSON,GPE", "min-count", "2", NULL},
        {"since", "2016", "until", "2018-06-30", "context", "document", NULL},
        {"source-col", "country", "level", "country", NULL},
        {"source-col", "country", "count", "frequency", NULL},
        {"terms", "1", "context", "sentence", "top", "40", NULL},
        {"terms", "1", "context", "window:3", "directed", "1", "count", "frequency", NULL},
        {"terms", "1", "context", "document", "directed", "1", "min-count", "2", NULL},
        {"terms", "1", "context", "paragraph", "directed", "1", "count", "frequency", NULL},
        {"terms", "1", "context", "window:4", "count", "weighted", "sort", "npmi", NULL},
        {"terms", "1", "context", "window:2", "count", "weighted", "directed", "1", NULL},
        {"terms", "1", "context", "document", "count", "frequency", "top", "25", NULL},
    };
    for (size_t v = 0; v < sizeof cooccur / sizeof *cooccur; v++)
        TEST_COND("cooccur in parts answers as the whole corpus",
                  parts_answer(&p, RC_PART_COOCCUR, cooccur[v]));
    static const char *const timeline[][5] = {
        {"by", "month", NULL},
        {"by", "year", "context", "paragraph", NULL},
    };
    static const char *const raza[] = {"Raza", NULL}, *const raza_iran[] = {"Raza", "Iran", NULL};
    for (size_t v = 0; v < 2; v++)
        for (int ne = 0; ne < 3; ne++) {
            rc_query tq;
            TEST_COND("a timeline query", query_of(&tq, timeline[v]));
            tq.entities = ne == 0 ? NULL : ne == 1 ? raza : raza_iran;
            TEST_COND("timeline in parts answers as the whole corpus",
                      parts_query_answer(&p, RC_PART_TIMELINE, &tq));
        }
    static const char *const count[][7] = {
        {NULL},
        {"level", "country", NULL},
        {"types", "PERSON", "since", "2017", NULL},
        {"terms", "1", "top", "12", NULL},
        {"by", "year", "min-count", "2", NULL},
        {"by-meta", "country", "level", "country", NULL},
    };
    for (size_t v = 0; v < sizeof count / sizeof *count; v++)
        TEST_COND("count in parts answers as the whole corpus",
                  parts_answer(&p, RC_PART_COUNT, count[v]));
    /* a column no document has fails the whole, and the parts' sum */
    rc_query q;
    static const char *const nosuch[] = {"source-col", "nosuch", NULL};
    TEST_COND("a query of a missing column", query_of(&q, nosuch));
    rc_table *none = NULL;
    rc_error err = {0};
    TEST_COND("the whole refuses a missing column",
              rc_corpus_cooccur(p.whole, &q, &none, &err) == RC_ENOENT);
    TEST_COND("the parts' sum refuses it too", parts_table(&p, RC_PART_COOCCUR, &q, 0) == NULL);
    /* the last part names only "Raza": alone it cannot know him */
    memset(&q, 0, sizeof q);
    rc_table *alone = NULL, *whole = NULL;
    TEST_COND("the last part counted alone", rc_corpus_count(p.part[2], &q, &alone, &err) ==
                                                 RC_OK);
    TEST_COND("the whole corpus counted", rc_corpus_count(p.whole, &q, &whole, &err) == RC_OK);
    TEST_COND("alone, the surname is its own entity", has_cell(alone, 0, "Raza"));
    TEST_COND("in the whole, the surname is the full name's",
              has_cell(whole, 0, "Ali Raza") && !has_cell(whole, 0, "Raza"));
    rc_table_free(alone);
    rc_table_free(whole);
    /* kwic and mentions: the parts' rows in order, names as the whole's */
    static const char *const one[] = {"Raza", NULL}, *const two[] = {"Raza", "Pakistan", NULL};
    memset(&q, 0, sizeof q);
    q.entities = one;
    TEST_COND("kwic of a surname in parts is the whole's", parts_rows_answer(&p, &q, 1));
    q.entities = two;
    TEST_COND("kwic of a pair in parts is the whole's", parts_rows_answer(&p, &q, 1));
    TEST_COND("mentions in parts are the whole's", parts_rows_answer(&p, NULL, 0));
    parts_free(&p);
}

static void test_bad_bytes_refused(const rc_gazetteer *g) {
    parts p;
    TEST_COND("three parts and the whole", parts_make(g, &p));
    rc_query q, other;
    static const char *const ctx[] = {"context", "document", NULL};
    TEST_COND("queries", query_of(&q, ctx) && query_of(&other, (const char *const[]){NULL}));
    unsigned char *c = NULL, *t = NULL, *sum = NULL;
    size_t len = 0, tlen = 0, slen = 0;
    rc_error err = {0};
    rc_table *table = NULL;
    TEST_COND("a part's counts",
              rc_corpus_part_counts(p.part[0], p.tallies, RC_PART_COOCCUR, &q, &c, &len, &err) ==
                  RC_OK);
    TEST_COND("truncated counts refused",
              rc_corpus_part_table(p.tallies, RC_PART_COOCCUR, &q, c, len - 3, &table, &err) ==
                      RC_EPARSE &&
                  !table && strstr(err.msg, "damaged"));
    TEST_COND("counts of another query refused",
              rc_corpus_part_table(p.tallies, RC_PART_COOCCUR, &other, c, len, &table, &err) ==
                      RC_EINVAL &&
                  !table);
    TEST_COND("counts of another kind refused",
              rc_corpus_part_table(p.tallies, RC_PART_COUNT, &q, c, len, &table, &err) ==
                  RC_EINVAL);
    unsigned char *c2 = NULL;
    size_t len2 = 0;
    TEST_COND("counts of another query",
              rc_corpus_part_counts(p.part[1], p.tallies, RC_PART_COOCCUR, &other, &c2, &len2,
                                    &err) == RC_OK);
    const unsigned char *two[] = {c, c2};
    size_t lens[] = {len, len2};
    TEST_COND("counts of two queries are not summed",
              rc_part_counts_sum(two, lens, 2, &sum, &slen, &err) == RC_EINVAL && !sum);
    q.grouped = 1;
    q.terms = 1;
    TEST_COND("grouped counts of terms are refused",
              rc_corpus_part_counts(p.part[0], p.tallies, RC_PART_COUNT, &q, &sum, &slen,
                                    &err) == RC_EINVAL);
    TEST_COND("tallies packed", rc_corpus_pack_tallies(p.part[0], &t, &tlen) == RC_OK);
    size_t n0 = rc_corpus_docs(p.tallies);
    TEST_COND("truncated tallies refused",
              rc_corpus_unpack_tallies(p.tallies, t, tlen - 5, &err) == RC_EPARSE);
    TEST_COND("counts are not tallies",
              rc_corpus_unpack_tallies(p.tallies, c, len, &err) == RC_EPARSE);
    TEST_COND("tallies hold no documents", rc_corpus_docs(p.tallies) == n0 && n0 == 0);
    free(c);
    free(c2);
    free(t);
    parts_free(&p);
}

int main(void) {
    rc_gazetteer *g = NULL;
    rc_error err = {0};
    TEST_COND("gazetteer", rc_gazetteer_new(1, NULL, &g, &err) == RC_OK &&
                               rc_gazetteer_freeze(g, &err) == RC_OK);
    if (g) {
        test_parts_answer_as_the_whole(g);
        test_bad_bytes_refused(g);
    }
    rc_gazetteer_free(g);
    return TEST_REPORT();
}
