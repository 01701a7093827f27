/*
** fuzz_analyse.c -- libFuzzer target for the recognizer and the
** co-occurrence of its mentions over any text (rc_ner.c, rc_query.c).
**
** The first byte picks the recognizer (rules or the learned tagger), the
** context (sentence, paragraph, document or a window of 1 to 8 tokens),
** directed or not and the count (boolean, frequency, weighted in
** windows); the rest is up to four documents, cut at each 0x1E byte.
**
** Invariants: every mention lies inside its document's text, starts in
** its token and is in a sentence of the analysis, names an entity of the table with a
** valid type, and the mentions come sorted by start without overlapping;
** the co-occurrence table is the same, cell for cell, counted in one
** batch on one thread, in batches of a few mentions merged from runs on
** disk, and on two threads in shares of a few mentions; its counts are
** positive and an undirected pair comes once, never a key with itself.
*/
#include "../tests/c/tables.h"
#include "fuzz.h"
#include "rc_corpus.h"
#include "rc_entity.h"

#define MAX_DOCS 4

/* The mentions of one analysed document hold the invariants above. */
static void check_mentions(const rc_docres *r, size_t len) {
    for (size_t i = 0; i < r->nm; i++) {
        const rc_mention *m = &r->m[i];
        CHECK(m->start < m->end && m->end <= len);
        CHECK(m->tok < r->toks.n && r->toks.v[m->tok].start <= m->start &&
              m->start < r->toks.v[m->tok].end); /* Iran-Pakistan: two in one */
        CHECK(m->sentence < r->sents.n);
        CHECK(m->entity < r->ents.n && m->type < RC_ETYPE_COUNT);
        if (i) CHECK(r->m[i - 1].end <= m->start);
    }
}

/* A row's key at column col (name) and col + 3 (type): entities are
** told apart by both (a MISC Brekker and a PERSON Brekker are two). */
typedef struct key_cells {
    const char *name, *type;
    size_t nl, tl;
} key_cells;

static key_cells key_at(const rc_table *t, size_t r, size_t col) {
    key_cells k;
    k.name = rc_table_get_str(t, r, col, &k.nl);
    k.type = rc_table_get_str(t, r, col + 3, &k.tl);
    return k;
}

static int same_key(key_cells a, key_cells b) {
    return a.nl == b.nl && a.tl == b.tl && !memcmp(a.name, b.name, a.nl) &&
           !memcmp(a.type, b.type, a.tl);
}

/* Rows pair two different keys and count more than zero, and an
** undirected pair comes once (its twin looked for among the next rows,
** which hold the same count when they tie with it). */
static void check_rows(const rc_table *t, int directed) {
    size_t n = rc_table_rows(t);
    for (size_t r = 0; r < n; r++) {
        key_cells a = key_at(t, r, 0), b = key_at(t, r, 1);
        CHECK(!same_key(a, b));
        CHECK(rc_table_col_kind(t, 2) == RC_COL_INT ? rc_table_get_int(t, r, 2) > 0
                                                     : rc_table_get_real(t, r, 2) > 0);
        for (size_t s = r + 1; !directed && s < n && s < r + 64; s++) {
            key_cells c = key_at(t, s, 0), d = key_at(t, s, 1);
            CHECK(!(same_key(c, b) && same_key(d, a)) && !(same_key(c, a) && same_key(d, b)));
        }
    }
}

/* A corpus of the documents, analysed as the options say, its rows
** counted `batch` mentions a batch (0: the default) on `threads` threads
** in shares of at least `share` mentions (0: the default). */
static rc_corpus *corpus_of(const rc_analysis_opts *ao, const rc_doc *docs, size_t nd,
                            size_t batch, size_t threads, size_t share) {
    rc_corpus *c = NULL;
    CHECK(rc_corpus_new(fuzz_gazetteer_builtin(), ao, NULL, &c) == RC_OK);
    for (size_t i = 0; i < nd; i++) {
        rc_error err = {0};
        CHECK(rc_corpus_add(c, &docs[i], &err) == RC_OK);
    }
    rc_corpus_term_knobs(c, 0, batch);
    rc_corpus_query_knobs(c, share);
    c->opts.threads = threads;
    return c;
}

static rc_table *cooccur(const rc_corpus *c, const rc_query *q) {
    rc_table *t = NULL;
    rc_error err = {0};
    CHECK(rc_corpus_cooccur(c, q, &t, &err) == RC_OK && t != NULL);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    if (n < 2) return 0;
    unsigned opt = data[0];
    char *text = fuzz_text(data + 1, n - 1);
    size_t len = n - 1;
    rc_doc docs[MAX_DOCS];
    char ids[MAX_DOCS][8];
    size_t nd = 0, from = 0;
    for (size_t i = 0; i <= len && nd < MAX_DOCS; i++) {
        if (i < len && text[i] != '\x1E') continue;
        if (nd == MAX_DOCS - 1) i = len; /* the last document takes the rest */
        snprintf(ids[nd], sizeof ids[nd], "d%zu", nd);
        text[i] = '\0';
        docs[nd] = (rc_doc){.id = ids[nd], .text = text + from, .len = i - from};
        nd++;
        from = i + 1;
    }
    rc_ner_mode ner = opt & 1 ? RC_NER_MODEL : RC_NER_RULES;
    rc_docres *r = NULL;
    CHECK(rc_docres_new(fuzz_gazetteer_builtin(), NULL, &r) == RC_OK);
    CHECK(rc_docres_set_ner(r, ner, NULL) == RC_OK);
    for (size_t i = 0; i < nd; i++) {
        CHECK(rc_docres_analyse(r, &docs[i]) == RC_OK);
        check_mentions(r, docs[i].len);
    }
    rc_docres_free(r);

    rc_query q;
    memset(&q, 0, sizeof q);
    q.context = (rc_context)(opt >> 1 & 3);
    q.window = 1 + (opt >> 5 & 7);
    q.directed = opt >> 3 & 1;
    unsigned count = opt >> 4 & 1 ? RC_COUNT_FREQUENCY : RC_COUNT_BOOLEAN;
    if (q.context == RC_CTX_WINDOW && (opt >> 5 & 1)) count = RC_COUNT_WEIGHTED;
    q.count = (rc_count_mode)count;
    rc_analysis_opts ao = {.ner = ner, .threads = 1};
    rc_corpus *one = corpus_of(&ao, docs, nd, 0, 1, 0);
    rc_corpus *runs = corpus_of(&ao, docs, nd, 3, 1, 0);
    rc_corpus *two = corpus_of(&ao, docs, nd, 5, 2, 2);
    rc_table *t1 = cooccur(one, &q), *tr = cooccur(runs, &q), *t2 = cooccur(two, &q);
    check_rows(t1, q.directed);
    CHECK(tables_equal(t1, tr));
    CHECK(tables_equal(t1, t2));
    rc_table_free(t1);
    rc_table_free(tr);
    rc_table_free(t2);
    rc_corpus_free(one);
    rc_corpus_free(runs);
    rc_corpus_free(two);
    free(text);
    return 0;
}
