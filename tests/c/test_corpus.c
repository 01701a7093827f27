/*
** test_corpus.c -- the lean corpus's mention stream (rc_corpus.c): spilled
** to its temporary file a few mentions at a time, it answers every count
** exactly as when it stays in memory, appended or not; and a failed
** create or write of the file is an RC_EIO with a message, the corpus
** left as before the document.  The same for the term stream, and for
** term rows counted in batches merged from runs on disk (rc_query.c);
** term rows bounded by the sink's floor (--top, --min-count) keep what
** counting every pair keeps; a corpus of term tallies counts terms as
** one keeping their stream does.  A lean corpus's document records and
** metadata, spilled a few at a time, answer every query reading dates
** or metadata as a full corpus's in memory do.  Adding a document maps its entity ids
** into the corpus's right also for more distinct entities than the
** per-document map holds.  A corpus reset after other documents is a
** new one.  Pairs counted on several threads (each a
** share of the documents, or for term rows each the next row) are those
** one thread counts, and a corpus of one batch of bags, numbered and
** gathered in one pass, answers as one counted in batches.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc_corpus.h"
#include "relcore.h"
#include "tables.h"
#include "test.h"

#define NDOCS 60

static const char *const names[] = {"Pakistan", "Iran", "Saudi Arabia", "Oman",
                                    "President Ali Khan", "Khan", "Iraq",
                                    "the United Nations", "Germany"};
#define NNAMES (sizeof names / sizeof *names)

/* Document i: sentences and paragraphs naming a rotating few of names. */
static void doc_text(size_t i, char *buf, size_t cap) {
    size_t n = 0;
    for (size_t s = 0; s < 3 + i % 4; s++) {
        const char *a = names[(i + s) % NNAMES], *b = names[(i * 7 + s * 3) % NNAMES];
        n += (size_t)snprintf(buf + n, cap - n, "%s met %s in %s.%s", a, b,
                              names[(i + 2 * s) % NNAMES], s % 2 ? "\n\n" : " ");
    }
}

/* Add n documents to c, document i written by text(i) and named
** prefix + i; c itself, or NULL (and c freed). */
static rc_corpus *add_written(rc_corpus *c, size_t n, void (*text_of)(size_t, char *, size_t),
                              const char *prefix) {
    char text[4096], id[32];
    for (size_t i = 0; i < n; i++) {
        text_of(i, text, sizeof text);
        snprintf(id, sizeof id, "%s%zu", prefix, i);
        rc_doc d = {.id = id, .path = id, .text = text, .len = strlen(text)};
        rc_error err = {0};
        if (rc_corpus_add(c, &d, &err) != RC_OK) {
            rc_corpus_free(c);
            return NULL;
        }
    }
    return c;
}

/* Add the NDOCS documents to c; c itself, or NULL (and c freed). */
static rc_corpus *add_docs(rc_corpus *c) { return add_written(c, NDOCS, doc_text, "d"); }

/* A lean corpus (for contexts of kind ctx) of the NDOCS documents, its
** stream spilled every `block` mentions (0: the default). */
static rc_corpus *lean_corpus(const rc_gazetteer *g, rc_context ctx, size_t block) {
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + (int)ctx};
    rc_corpus *c;
    if (rc_corpus_new(g, &ao, NULL, &c) != RC_OK) return NULL;
    rc_corpus_spill_knobs(c, block, -1);
    return add_docs(c);
}

/* A lean corpus of the documents' terms, the term stream spilled every
** `block` occurrences and term rows counted in batches of `batch` (0:
** the defaults). */
static rc_corpus *term_corpus(const rc_gazetteer *g, rc_context ctx, size_t block,
                              size_t batch) {
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + (int)ctx,
                           .keep_terms = RC_TERMS_ONLY};
    rc_corpus *c;
    if (rc_corpus_new(g, &ao, NULL, &c) != RC_OK) return NULL;
    rc_corpus_term_knobs(c, block, batch);
    return add_docs(c);
}

/* count and cooccur (contexts of the corpus's kind; of terms when terms
** is set, counted `count`) of a and b agree. */
static int same_answers_as(const rc_corpus *a, const rc_corpus *b, const char *ctx,
                           int terms, const char *count) {
    rc_query q;
    memset(&q, 0, sizeof q);
    q.terms = terms;
    rc_error err = {0};
    if (rc_query_set(&q, "context", ctx, &err) != RC_OK ||
        rc_query_set(&q, "count", count, &err) != RC_OK)
        return 0;
    rc_table *ta = NULL, *tb = NULL, *ca = NULL, *cb = NULL;
    int same = rc_corpus_count(a, &q, &ta, &err) == RC_OK &&
               rc_corpus_count(b, &q, &tb, &err) == RC_OK && tables_equal(ta, tb) &&
               rc_table_rows(ta) > 3 && rc_corpus_cooccur(a, &q, &ca, &err) == RC_OK &&
               rc_corpus_cooccur(b, &q, &cb, &err) == RC_OK && tables_equal(ca, cb) &&
               rc_table_rows(ca) > 3;
    rc_table_free(ta);
    rc_table_free(tb);
    rc_table_free(ca);
    rc_table_free(cb);
    return same;
}

static int same_answers(const rc_corpus *a, const rc_corpus *b, const char *ctx) {
    return same_answers_as(a, b, ctx, 0, "boolean");
}

/* Spilled every 1 or 3 mentions, or appended from a spilled corpus into
** another, the answers are the in-memory ones. */
static void test_spill_answers_alike(const rc_gazetteer *g) {
    static const char *const ctxs[] = {"sentence", "paragraph", "document", "window:5"};
    for (int k = 0; k < 4; k++) {
        rc_corpus *mem = lean_corpus(g, (rc_context)k, 0);
        rc_corpus *one = lean_corpus(g, (rc_context)k, 1);
        rc_corpus *three = lean_corpus(g, (rc_context)k, 3);
        TEST_COND("corpora built", mem && one && three);
        if (!mem || !one || !three) return;
        TEST_COND("a small corpus stays in memory", mem->spill.fd < 0 && mem->spill.nfile == 0);
        TEST_COND("block 3 spills", three->spill.fd >= 0 && three->spill.nfile > 3 &&
                                        three->spill.nfile <= three->nm);
        TEST_COND("block 1 spills", one->spill.nfile + 40 > one->nm);
        TEST_COND("spilled every mention answers alike", same_answers(mem, one, ctxs[k]));
        TEST_COND("spilled every 3 answers alike", same_answers(mem, three, ctxs[k]));
        rc_analysis_opts ao = three->opts;
        rc_corpus *app = NULL;
        TEST_COND("append target", rc_corpus_new(g, &ao, NULL, &app) == RC_OK);
        if (app) {
            rc_corpus_spill_knobs(app, 2, -1);
            TEST_COND("append a spilled corpus", rc_corpus_append(app, three) == RC_OK);
            TEST_COND("appended answers alike", same_answers(mem, app, ctxs[k]));
        }
        rc_corpus_free(app);
        rc_corpus_free(mem);
        rc_corpus_free(one);
        rc_corpus_free(three);
    }
}

/* Terms spilled every 1 or 7 occurrences, counted in batches of 5 or 50
** occurrences (each a run on disk, merged), or appended: the answers
** are the in-memory, one-batch ones, in every context, boolean or
** frequency. */
static void test_terms_alike(const rc_gazetteer *g) {
    static const char *const ctxs[] = {"sentence", "paragraph", "document", "window:5"};
    for (int k = 0; k < 4; k++) {
        rc_corpus *mem = term_corpus(g, (rc_context)k, 0, 0);
        rc_corpus *one = term_corpus(g, (rc_context)k, 1, 5);
        rc_corpus *seven = term_corpus(g, (rc_context)k, 7, 50);
        TEST_COND("term corpora built", mem && one && seven);
        if (!mem || !one || !seven) return;
        TEST_COND("terms of a small corpus stay in memory",
                  mem->tspill.fd < 0 && mem->nt > 1000 && !mem->t);
        TEST_COND("block 7 spills terms", seven->tspill.fd >= 0 && seven->tspill.nfile > 7);
        TEST_COND("block 1 spills terms", one->tspill.nfile + 40 > one->nt);
        for (int freq = 0; freq < 2; freq++) {
            const char *count = freq ? "frequency" : "boolean";
            TEST_COND("terms in batches of 5 answer alike",
                      same_answers_as(mem, one, ctxs[k], 1, count));
            TEST_COND("terms in batches of 50 answer alike",
                      same_answers_as(mem, seven, ctxs[k], 1, count));
        }
        rc_analysis_opts ao = seven->opts;
        rc_corpus *app = NULL;
        TEST_COND("append target", rc_corpus_new(g, &ao, NULL, &app) == RC_OK);
        if (app) {
            rc_corpus_term_knobs(app, 3, 20);
            TEST_COND("append spilled terms", rc_corpus_append(app, seven) == RC_OK);
            TEST_COND("appended terms answer alike",
                      same_answers_as(mem, app, ctxs[k], 1, "boolean"));
        }
        rc_corpus_free(app);
        rc_corpus_free(mem);
        rc_corpus_free(one);
        rc_corpus_free(seven);
    }
}

/* The cooccur table of terms of c with q's options set from opts (name,
** value pairs, NULL-ended; the first `skip` pairs left out), or NULL. */
static rc_table *term_cooccur(const rc_corpus *c, const char *const *opts, size_t skip) {
    rc_query q;
    memset(&q, 0, sizeof q);
    q.terms = 1;
    rc_error err = {0};
    for (size_t i = 2 * skip; opts[i]; i += 2)
        if (rc_query_set(&q, opts[i], opts[i + 1], &err) != RC_OK) return NULL;
    rc_table *t = NULL;
    return rc_corpus_cooccur(c, &q, &t, &err) == RC_OK ? t : NULL;
}

/* cooccur of terms with opts agrees on a and b, and (with the first
** option pair, --top or --min-count, left out) a's is the first rows of
** the rows counting every pair (no floor) gives. */
static int same_cooccur(const rc_corpus *a, const rc_corpus *b, const char *const *opts) {
    rc_table *ta = term_cooccur(a, opts, 0), *tb = term_cooccur(b, opts, 0);
    rc_table *all = term_cooccur(a, opts, 1);
    int same = tables_equal(ta, tb) && rc_table_rows(ta) > 0 && table_prefix(ta, all);
    rc_table_free(ta);
    rc_table_free(tb);
    rc_table_free(all);
    return same;
}

/* Term rows bounded by the sink's floor (--top by count, --min-count)
** keep the rows counting every pair keeps, in one batch or in many;
** directed too, whose rows go to a run in two passes, (a, b) then (b, a). */
static void test_term_rows_bounded(const rc_gazetteer *g) {
    static const char *const ctxs[] = {"sentence", "paragraph", "document", "window:5"};
    static const char *const top[] = {"top", "3", "context", "document", NULL};
    static const char *const top_sent[] = {"top", "7", "context", "sentence", NULL};
    static const char *const floor[] = {"min-count", "20", "context", "document", NULL};
    static const char *const win[] = {"top", "4", "context", "window:5", NULL};
    for (int k = 0; k < 4; k++) {
        rc_corpus *mem = term_corpus(g, (rc_context)k, 0, 0);
        rc_corpus *many = term_corpus(g, (rc_context)k, 7, 50);
        TEST_COND("term corpora built", mem && many);
        if (mem && many) {
            const char *const *o = k == RC_CTX_SENTENCE ? top_sent
                                   : k == RC_CTX_WINDOW ? win
                                   : k == RC_CTX_DOCUMENT ? top
                                                          : NULL;
            if (o) TEST_COND("bounded term rows answer alike", same_cooccur(mem, many, o));
            if (k == RC_CTX_DOCUMENT)
                TEST_COND("--min-count term rows answer alike", same_cooccur(mem, many, floor));
            const char *const dir_all[] = {"min-count", "1", "context", ctxs[k],
                                           "directed", "1", NULL};
            const char *const dir_top[] = {"top", "9", "context", ctxs[k], "directed", "1", NULL};
            const char *const dir_freq[] = {"top", "11", "context", ctxs[k], "directed", "1",
                                            "count", "frequency", NULL};
            TEST_COND("directed term rows answer alike", same_cooccur(mem, many, dir_all));
            TEST_COND("bounded directed term rows answer alike",
                      same_cooccur(mem, many, dir_top));
            TEST_COND("directed frequencies of terms answer alike",
                      same_cooccur(mem, many, dir_freq));
            if (k == RC_CTX_WINDOW) {
                const char *const weighted[] = {"top", "13", "context", ctxs[k], "count",
                                                "weighted", NULL};
                const char *const dir_weighted[] = {"min-count", "1", "context", ctxs[k],
                                                    "count", "weighted", "directed", "1", NULL};
                TEST_COND("weighted terms answer alike", same_cooccur(mem, many, weighted));
                TEST_COND("directed weighted terms answer alike",
                          same_cooccur(mem, many, dir_weighted));
            }
        }
        rc_corpus_free(mem);
        rc_corpus_free(many);
    }
}

/* A corpus keeping term tallies only counts terms as one keeping the
** term stream does, appended or not; it refuses what needs occurrences. */
static void test_term_tallies(const rc_gazetteer *g) {
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + RC_CTX_DOCUMENT,
                           .keep_terms = RC_TERMS_ONLY, .term_tallies = 1};
    rc_corpus *tal = NULL, *app = NULL, *stream = term_corpus(g, RC_CTX_DOCUMENT, 0, 0);
    TEST_COND("tally corpus", rc_corpus_new(g, &ao, NULL, &tal) == RC_OK);
    TEST_COND("tally append target", rc_corpus_new(g, &ao, NULL, &app) == RC_OK);
    if (tal) tal = add_docs(tal);
    TEST_COND("tally corpus filled", tal && stream && app);
    if (tal && stream && app) {
        TEST_COND("tallies keep no occurrence", tal->nt == 0 && tal->tspill.fd < 0);
        TEST_COND("appended tallies", rc_corpus_append(app, tal) == RC_OK);
        rc_query q;
        memset(&q, 0, sizeof q);
        q.terms = 1;
        rc_error err = {0};
        rc_table *ts = NULL, *tt = NULL, *ta = NULL, *tc = NULL;
        TEST_COND("term counts", rc_corpus_count(stream, &q, &ts, &err) == RC_OK &&
                                     rc_corpus_count(tal, &q, &tt, &err) == RC_OK &&
                                     rc_corpus_count(app, &q, &ta, &err) == RC_OK);
        TEST_COND("tallies count alike", tables_equal(ts, tt) && rc_table_rows(ts) > 10);
        TEST_COND("appended tallies count alike", tables_equal(ts, ta));
        TEST_COND("tallies refuse cooccur",
                  rc_corpus_cooccur(tal, &q, &tc, &err) == RC_EINVAL && !tc);
        TEST_COND("tallies refuse --since",
                  rc_query_set(&q, "since", "2020", &err) == RC_OK &&
                      rc_corpus_count(tal, &q, &tc, &err) == RC_EINVAL && !tc);
        rc_table_free(ts);
        rc_table_free(tt);
        rc_table_free(ta);
    }
    rc_corpus_free(tal);
    rc_corpus_free(app);
    rc_corpus_free(stream);
}

/* Documents of other names (and dates, metadata, countries) than
** add_docs's, so that a corpus that saw them first has other entities,
** terms, votes and tallies to forget. */
static int add_other_docs(rc_corpus *c) {
    static const char *const other[] = {
        "Kofi Mensah of Ghana met Pakistan's Interior Minister Omar Zaidi in Accra.",
        "The Nordic Fishing Council (NFC) warned Norway.\n\nZaidi flew home on Monday.",
        "Chancellor Greta Lindqvist, Sweden's top diplomat, praised the NFC."};
    rc_meta meta = {"desk", "north"};
    for (size_t i = 0; i < 9; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%zu", i);
        const char *text = other[i % 3];
        rc_doc d = {.id = id, .path = id, .text = (char *)text, .len = strlen(text),
                    .date = "2021-03-04", .meta = &meta, .n_meta = 1};
        rc_error err = {0};
        if (rc_corpus_add(c, &d, &err) != RC_OK) return 0;
    }
    return 1;
}

/* Whether the entity tables a and b hold the same names, types and
** countries under the same ids. */
static int same_entities(const rc_entities *a, const rc_entities *b) {
    if (a->n != b->n) return 0;
    for (uint32_t id = 0; id < a->n; id++) {
        size_t la, lb;
        const char *x = rc_entity_name(a, id, &la), *y = rc_entity_name(b, id, &lb);
        if (la != lb || memcmp(x, y, la) || a->v[id].type != b->v[id].type ||
            a->v[id].country != b->v[id].country)
            return 0;
    }
    return 1;
}

/* Whether a and b hold the same records and tallies (every one an
** append reads). */
static int same_state(const rc_corpus *a, const rc_corpus *b) {
    if (!same_entities(&a->ents, &b->ents) || !same_entities(&a->terms, &b->terms) ||
        a->ndocs != b->ndocs || a->nm != b->nm || a->nt != b->nt ||
        a->nsents_kept != b->nsents_kept || a->nsentences != b->nsentences ||
        a->nparagraphs != b->nparagraphs || a->nmeta_words != b->nmeta_words ||
        a->strs_len != b->strs_len || a->votes.n != b->votes.n)
        return 0;
    for (size_t id = 0; id < a->ents.n; id++) {
        uint64_t x = id < a->ent_mentions_cap ? a->ent_mentions[id] : 0;
        uint64_t y = id < b->ent_mentions_cap ? b->ent_mentions[id] : 0;
        if (x != y) return 0;
    }
    for (size_t j = 0; j < a->votes.cap; j++) {
        uint64_t k = a->votes.keys[j];
        if (k && pairs_get(&b->votes, (uint32_t)((k - 1) >> 32), (uint32_t)(k - 1)) !=
                     a->votes.counts[j])
            return 0;
    }
    for (size_t id = 0; a->opts.term_tallies && id < a->terms.n; id++)
        if (memcmp(&a->tallies[id], &b->tallies[id], sizeof *a->tallies)) return 0;
    return 1;
}

/* A corpus emptied by rc_corpus_reset after other documents (as a
** chunk's corpus of --threads is for the next chunk) holds and answers
** what a new one does, and appends alike: lean or not, of mentions or of
** terms (spilled to its files, or term tallies). */
static void test_reset_like_new(const rc_gazetteer *g) {
    const rc_analysis_opts kinds[] = {
        {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + RC_CTX_SENTENCE},
        {.ner = RC_NER_RULES, .threads = 1},
        {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + RC_CTX_SENTENCE,
         .keep_terms = RC_TERMS_ONLY},
        {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + RC_CTX_DOCUMENT,
         .keep_terms = RC_TERMS_ONLY, .term_tallies = 1}};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        rc_corpus *fresh = NULL, *used = NULL, *to_fresh = NULL, *to_used = NULL;
        int made = rc_corpus_new(g, &kinds[k], NULL, &fresh) == RC_OK &&
                   rc_corpus_new(g, &kinds[k], NULL, &used) == RC_OK &&
                   rc_corpus_new(g, &kinds[k], NULL, &to_fresh) == RC_OK &&
                   rc_corpus_new(g, &kinds[k], NULL, &to_used) == RC_OK;
        if (made && kinds[k].lean) { /* the streams go to their files */
            rc_corpus_spill_knobs(fresh, 3, -1);
            rc_corpus_spill_knobs(used, 3, -1);
            rc_corpus_doc_knobs(fresh, 2);
            rc_corpus_doc_knobs(used, 2);
            if (kinds[k].keep_terms) {
                rc_corpus_term_knobs(fresh, 7, 0);
                rc_corpus_term_knobs(used, 7, 0);
            }
        }
        made = made && add_other_docs(used) && used->ndocs == 9;
        if (made) rc_corpus_reset(used);
        made = made && (fresh = add_docs(fresh)) && (used = add_docs(used)) &&
               add_other_docs(fresh) && add_other_docs(used) &&
               add_other_docs(to_fresh) && add_other_docs(to_used);
        TEST_COND("corpora to reset", made);
        if (made) {
            TEST_COND("a reset corpus holds what a new one does", same_state(fresh, used));
            TEST_COND("appended alike", rc_corpus_append(to_fresh, fresh) == RC_OK &&
                                            rc_corpus_append(to_used, used) == RC_OK &&
                                            same_state(to_fresh, to_used));
            if (!kinds[k].term_tallies)
                TEST_COND("a reset corpus answers as a new one",
                          same_answers_as(fresh, used, kinds[k].lean ? "sentence" : "document",
                                          kinds[k].keep_terms != 0, "boolean"));
        }
        rc_corpus_free(fresh);
        rc_corpus_free(used);
        rc_corpus_free(to_fresh);
        rc_corpus_free(to_used);
    }
}

/* The NDOCS documents of add_docs as an array, their texts in bufs. */
static void docs_array(char (*bufs)[1024], char (*ids)[32], rc_doc *docs) {
    for (size_t i = 0; i < NDOCS; i++) {
        doc_text(i, bufs[i], sizeof bufs[i]);
        snprintf(ids[i], sizeof ids[i], "d%zu", i);
        docs[i] = (rc_doc){.id = ids[i], .path = ids[i], .text = bufs[i],
                           .len = strlen(bufs[i])};
    }
}

/* rc_corpus_trim between loads changes nothing that a corpus holds or
** answers (the next document makes the working memory again), with the
** tagger or the rules; and rc_corpus_add_docs on two threads gives the
** corpus that rc_corpus_add gives document by document, and leaves the
** calling thread the CPUs it had (the pool holds it to one meanwhile). */
/* The documents added at each call of a progress function. */
typedef struct steps {
    size_t last, n, step[NDOCS];
} steps;

static int note_step(void *ctx, size_t documents) {
    steps *s = ctx;
    if (s->n < NDOCS) s->step[s->n++] = documents - s->last;
    s->last = documents;
    return 0;
}

/* Chunks shrink towards the end: never longer than the one before, the
** last of at most 8 documents (rc_parallel.c's TAIL_DOCS), all of them
** counted. */
static int shrinking_tail(const steps *s) {
    int ok = s->n >= 2 && s->last == NDOCS && s->step[s->n - 1] <= 8;
    for (size_t i = 1; ok && i + 1 < s->n; i++) ok = s->step[i] <= s->step[i - 1];
    return ok;
}

static void test_trim_and_add_docs(const rc_gazetteer *g) {
    static char bufs[NDOCS][1024], ids[NDOCS][32];
    static rc_doc docs[NDOCS];
    docs_array(bufs, ids, docs);
    for (int ner = RC_NER_MODEL; ner <= RC_NER_RULES; ner++) {
        rc_analysis_opts one = {.ner = (rc_ner_mode)ner, .threads = 1},
                         two = {.ner = (rc_ner_mode)ner, .threads = 2};
        rc_corpus *plain = NULL, *trimmed = NULL, *threaded = NULL;
        rc_error err = {0};
        int made = rc_corpus_new(g, &one, NULL, &plain) == RC_OK &&
                   rc_corpus_new(g, &one, NULL, &trimmed) == RC_OK &&
                   rc_corpus_new(g, &two, NULL, &threaded) == RC_OK;
        made = made && add_other_docs(plain) && (plain = add_docs(plain)) &&
               add_other_docs(plain);
        made = made && add_other_docs(trimmed);
        if (made) rc_corpus_trim(trimmed);
        made = made && (trimmed = add_docs(trimmed));
        if (made) rc_corpus_trim(trimmed);
        made = made && add_other_docs(trimmed);
        cpu_set_t before, after;
        pthread_getaffinity_np(pthread_self(), sizeof before, &before);
        steps st = {0, 0, {0}};
        made = made && add_other_docs(threaded) &&
               rc_corpus_add_docs(threaded, docs, NDOCS, note_step, &st, &err) == RC_OK &&
               add_other_docs(threaded);
        TEST_COND("documents in memory in chunks shorter towards the end", shrinking_tail(&st));
        pthread_getaffinity_np(pthread_self(), sizeof after, &after);
        TEST_COND("corpora to trim and to fill on threads", made);
        TEST_COND("the caller's CPUs as before the threads", CPU_EQUAL(&before, &after));
        if (made) {
            TEST_COND("a trimmed corpus holds what an untrimmed one does",
                      same_state(plain, trimmed));
            TEST_COND("a trimmed corpus answers as an untrimmed one",
                      same_answers_as(plain, trimmed, "sentence", 0, "frequency"));
            TEST_COND("documents in memory on two threads: the same corpus",
                      same_state(plain, threaded) &&
                          same_answers_as(plain, threaded, "sentence", 0, "boolean"));
        }
        rc_corpus_free(plain);
        rc_corpus_free(trimmed);
        rc_corpus_free(threaded);
    }
}

/* The cooccur table of c (of its terms when terms is set) with q's
** options set from opts (name, value pairs, NULL-ended), or NULL. */
static rc_table *cooccur_with(const rc_corpus *c, int terms, const char *const *opts) {
    rc_query q;
    memset(&q, 0, sizeof q);
    q.terms = terms;
    rc_error err = {0};
    for (size_t i = 0; opts[i]; i += 2)
        if (rc_query_set(&q, opts[i], opts[i + 1], &err) != RC_OK) return NULL;
    rc_table *t = NULL;
    return rc_corpus_cooccur(c, &q, &t, &err) == RC_OK ? t : NULL;
}

/* The cooccur tables of c with opts on 1, 2 and 3 threads (shares as
** small as one occurrence) are the same, and not trivially so. */
static int same_on_threads(rc_corpus *c, int terms, const char *const *opts) {
    c->opts.threads = 1;
    rc_corpus_query_knobs(c, 0);
    rc_table *one = cooccur_with(c, terms, opts);
    rc_corpus_query_knobs(c, 1);
    c->opts.threads = 2;
    rc_table *two = cooccur_with(c, terms, opts);
    c->opts.threads = 3;
    rc_table *three = cooccur_with(c, terms, opts);
    int same = tables_equal(one, two) && tables_equal(one, three) && rc_table_rows(one) >= 5;
    rc_table_free(one);
    rc_table_free(two);
    rc_table_free(three);
    return same;
}

/* The fold texts: a surname named alone where its full name is named
** elsewhere, a MISC name a title makes a PERSON elsewhere. */
static const char *const fold_texts[] = {
    "Foreign Minister Dariush Kamrani arrived in Oman on Monday.",
    "Officials in Muscat met Mr Kamrani.",
    "Oman said Mr Kamrani left for Iran.",
    "Interior Minister Rahimi spoke in Oman.",
    "Interior Minister Rahimi left Oman for Iraq.",
    "Officials in Muscat met Rahimi on Monday.",
};
#define NFOLD (sizeof fold_texts / sizeof *fold_texts)

static void fold_text(size_t i, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", fold_texts[i % NFOLD]);
}

/* Whether a cooccur table names `name` as a source or a target. */
static int names_entity(const rc_table *t, const char *name) {
    for (size_t r = 0; t && r < rc_table_rows(t); r++)
        for (size_t col = 0; col < 2; col++) {
            size_t len;
            const char *v = rc_table_get_str(t, r, col, &len);
            if (len == strlen(name) && !memcmp(v, name, len)) return 1;
        }
    return 0;
}

/* A query folds names (a bare surname into its full name, a MISC name
** into its PERSON) alike on one thread and on two or three, where the two
** halves of the folds run on two threads. */
static void test_folds_on_threads(const rc_gazetteer *g) {
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1};
    rc_corpus *c;
    c = rc_corpus_new(g, &ao, NULL, &c) == RC_OK ? add_written(c, NFOLD, fold_text, "f") : NULL;
    TEST_COND("corpus of folds", c != NULL);
    if (!c) return;
    static const char *const opts[] = {"context", "document", NULL};
    rc_table *one = cooccur_with(c, 0, opts);
    TEST_COND("the surname is folded into the full name",
              names_entity(one, "Dariush Kamrani") && !names_entity(one, "Kamrani"));
    TEST_COND("the MISC name into the PERSON", names_entity(one, "Rahimi"));
    rc_table_free(one);
    TEST_COND("folded alike on threads", same_on_threads(c, 0, opts));
    rc_corpus_free(c);
}

/* Pairs counted on 2 or 3 threads, each a share of the documents (a
** share as small as one mention), answer as one thread does: every
** context, count and level, directed or not, lean (spilled) or full, in
** one batch or in many; and terms counted a row at a time, whose context
** counts are made on the threads, in one batch or in many. */
static void test_threads_count(const rc_gazetteer *g) {
    static const char *const ctxs[] = {"sentence", "paragraph", "document", "window:5"};
    for (int k = 0; k < 4; k++) {
        for (int lean = 0; lean < 2; lean++) {
            rc_corpus *c = lean ? lean_corpus(g, (rc_context)k, 3) : NULL;
            if (!lean) {
                rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1};
                c = rc_corpus_new(g, &ao, NULL, &c) == RC_OK ? add_docs(c) : NULL;
            }
            TEST_COND("corpus to count on threads", c != NULL);
            if (!c) continue;
            const char *const variants[][9] = {
                {"context", ctxs[k], NULL},
                {"context", ctxs[k], "count", "frequency", NULL},
                {"context", ctxs[k], "directed", "1", NULL},
                {"context", ctxs[k], "level", "country", "count", "frequency", NULL},
                {"context", ctxs[k], "count", k == RC_CTX_WINDOW ? "weighted" : "boolean",
                 "top", "5", NULL},
            };
            /* in one batch, then in batches of about 40 mentions (the
            ** first in shares, the rest a batch a thread) */
            for (size_t batch = 0; batch <= 40; batch += 40) {
                rc_corpus_term_knobs(c, 0, batch);
                for (size_t v = 0; v < sizeof variants / sizeof *variants; v++)
                    TEST_COND("pairs counted on threads answer as one thread",
                              same_on_threads(c, 0, variants[v]));
            }
            rc_corpus_free(c);
        }
        for (size_t batch = 0; batch <= 50; batch += 50) {
            rc_corpus *t = term_corpus(g, (rc_context)k, 7, batch);
            TEST_COND("term corpus to count on threads", t != NULL);
            if (!t) continue;
            const char *const variants[][9] = {
                {"context", ctxs[k], NULL},
                {"context", ctxs[k], "count", "frequency", NULL},
                {"context", ctxs[k], "top", "6", NULL},
                {"context", ctxs[k], "directed", "1", "top", "40", NULL},
                {"context", ctxs[k], "directed", "1", "count",
                 k == RC_CTX_WINDOW ? "weighted" : "frequency", NULL},
            };
            for (size_t v = 0; v < sizeof variants / sizeof *variants; v++)
                TEST_COND("terms counted on threads answer as one thread",
                          same_on_threads(t, 1, variants[v]));
            rc_corpus_free(t);
        }
    }
}

/* MARK: bags in one pass */

#define NWIDE 24

/* Document i of many distinct words: 70 to 110 of them, some twice,
** in one long sentence and then in short ones (letters only, so that
** each is a term). */
static void wide_text(size_t i, char *buf, size_t cap) {
    size_t n = 0, words = 70 + i * 7 % 41;
    for (size_t w = 0; w < words; w++) {
        size_t v = (w * 37 + i * 11) % 300;
        char word[4] = {(char)('a' + v / 26 % 26), (char)('a' + v % 26), 'x', 0};
        const char *sep = w + 1 == words ? "." : w > words / 2 && w % 5 == 4 ? ". " : " ";
        n += (size_t)snprintf(buf + n, cap - n, "%s%s%s", word, sep, w % 9 == 3 ? "Iran " : "");
    }
}

/* A lean corpus of the terms (contexts of kind ctx) of the NWIDE wide
** documents, its rows counted in batches of `batch` occurrences (0: the
** default, one batch). */
static rc_corpus *wide_corpus(const rc_gazetteer *g, rc_context ctx, size_t batch) {
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + (int)ctx,
                           .keep_terms = RC_TERMS_ONLY};
    rc_corpus *c;
    if (rc_corpus_new(g, &ao, NULL, &c) != RC_OK) return NULL;
    rc_corpus_term_knobs(c, 0, batch);
    return add_written(c, NWIDE, wide_text, "w");
}

/* A corpus of one batch of bags is numbered and gathered in one pass
** (bags_one_pass in rc_query.c), on 1 to 3 threads; in batches of 50
** occurrences the passes are those of a corpus too large for one.  Both
** answer alike for every bag context, count and direction, contexts of
** more keys than an insertion sort takes included (documents of 70 and
** more distinct terms). */
static void test_one_pass_alike(const rc_gazetteer *g) {
    static const char *const ctxs[] = {"sentence", "paragraph", "document"};
    for (int k = 0; k < 3; k++) {
        for (int terms = 0; terms < 2; terms++) {
            rc_corpus *one = terms ? wide_corpus(g, (rc_context)k, 0)
                                   : lean_corpus(g, (rc_context)k, 0);
            rc_corpus *many = terms ? wide_corpus(g, (rc_context)k, 50)
                                    : lean_corpus(g, (rc_context)k, 0);
            TEST_COND("corpora to count in one pass and in batches", one && many);
            if (!one || !many) {
                rc_corpus_free(one);
                rc_corpus_free(many);
                continue;
            }
            if (!terms) rc_corpus_term_knobs(many, 0, 50);
            const char *const variants[][9] = {
                {"context", ctxs[k], NULL},
                {"context", ctxs[k], "count", "frequency", NULL},
                {"context", ctxs[k], "directed", "1", NULL},
                {"context", ctxs[k], "directed", "1", "count", "frequency", NULL},
                {"context", ctxs[k], "top", "7", NULL},
            };
            for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
                for (size_t threads = 1; threads <= 3; threads++) {
                    one->opts.threads = many->opts.threads = threads;
                    rc_corpus_query_knobs(one, threads > 1 ? 1 : 0);
                    rc_table *a = cooccur_with(one, terms, variants[v]);
                    rc_table *b = cooccur_with(many, terms, variants[v]);
                    TEST_COND("one pass answers as batches do",
                              a && b && tables_equal(a, b) && rc_table_rows(a) >= 5);
                    rc_table_free(a);
                    rc_table_free(b);
                }
            }
            rc_corpus_free(one);
            rc_corpus_free(many);
        }
    }
}

/* MARK: the document stream */

#define NDATED 150

/* Add NDATED documents, dated over a few years, most with metadata (a
** country code of rotating length and a session), some with none, to c;
** c itself, or NULL (and c freed). */
static rc_corpus *add_dated_docs(rc_corpus *c) {
    static const char *const codes[] = {"IRN", "PAK", "SAU", "European Union", "", "X"};
    char text[1024], id[32], date[16], session[64];
    for (size_t i = 0; i < NDATED; i++) {
        doc_text(i, text, sizeof text);
        snprintf(id, sizeof id, "d%zu", i);
        snprintf(date, sizeof date, "%04zu-%02zu-%02zu", 2018 + i % 5, 1 + i % 12, 1 + i % 28);
        snprintf(session, sizeof session, "session %.*s", (int)(i % 9), "abcdefghi");
        rc_meta meta[] = {{"country", codes[i % 6]}, {"session", session}};
        rc_doc d = {.id = id, .path = id, .text = text, .len = strlen(text),
                    .date = i % 7 == 3 ? NULL : date, .meta = meta,
                    .n_meta = i % 5 == 4 ? 0 : 2};
        rc_error err = {0};
        if (rc_corpus_add(c, &d, &err) != RC_OK) {
            rc_corpus_free(c);
            return NULL;
        }
    }
    return c;
}

/* A corpus of the dated documents: full (lean 0), or lean for contexts
** of kind ctx with document records and metadata spilled every `block`
** (0: the default). */
static rc_corpus *dated_corpus(const rc_gazetteer *g, int lean, rc_context ctx, size_t block) {
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = lean ? 1 + (int)ctx : 0};
    rc_corpus *c;
    if (rc_corpus_new(g, &ao, NULL, &c) != RC_OK) return NULL;
    rc_corpus_doc_knobs(c, block);
    return add_dated_docs(c);
}

/* A query of (name, value) pairs, NULL-ended; 0 if one is refused. */
static int query_of(rc_query *q, const char *const *opts) {
    memset(q, 0, sizeof *q);
    rc_error err = {0};
    for (size_t i = 0; opts[i]; i += 2)
        if (rc_query_set(q, opts[i], opts[i + 1], &err) != RC_OK) return 0;
    return 1;
}

/* The table kind `what` (count, cooccur, timeline) of c for q, or NULL. */
static rc_table *answer(const rc_corpus *c, const char *what, const rc_query *q) {
    rc_table *t = NULL;
    rc_error err = {0};
    rc_status rc = !strcmp(what, "count")     ? rc_corpus_count(c, q, &t, &err)
                   : !strcmp(what, "cooccur") ? rc_corpus_cooccur(c, q, &t, &err)
                                              : rc_corpus_timeline(c, q, &t, &err);
    return rc == RC_OK ? t : NULL;
}

/* Whether `what` with opts (and the entities ents, or NULL) gives a and
** b the same table, of at least min_rows rows. */
static int same_table(const rc_corpus *a, const rc_corpus *b, const char *what,
                      const char *const *opts, const char *const *ents, size_t min_rows) {
    rc_query q;
    if (!query_of(&q, opts)) return 0;
    q.entities = ents;
    rc_table *ta = answer(a, what, &q), *tb = answer(b, what, &q);
    int same = tables_equal(ta, tb) && rc_table_rows(ta) >= min_rows;
    rc_table_free(ta);
    rc_table_free(tb);
    return same;
}

/* A lean corpus whose document records and metadata are spilled every
** 1 or 3 (or appended from such a corpus into another) answers every
** query reading per-document values (dates: --since/--until, timeline,
** count --by; metadata: --source-col, --by-meta) as the full corpus,
** which keeps its records in memory; the lean one keeps none there. */
static void test_doc_stream(const rc_gazetteer *g) {
    static const char *const plain[] = {NULL};
    static const char *const since[] = {"since", "2019-03", "until", "2021", NULL};
    static const char *const by_month[] = {"by", "month", NULL};
    static const char *const by_meta[] = {"by-meta", "session", NULL};
    static const char *const by_meta_since[] = {"by-meta", "country", "since", "2020", NULL};
    static const char *const sources[] = {"source-col", "country", NULL};
    static const char *const sources_freq[] = {"source-col", "country", "count", "frequency",
                                               "since", "2019", NULL};
    static const char *const tl_year[] = {"by", "year", NULL};
    static const char *const tl_week[] = {"by", "week", "until", "2021-06", NULL};
    static const char *const pair[] = {"Iran", "Pakistan", NULL};
    rc_corpus *full = dated_corpus(g, 0, RC_CTX_SENTENCE, 0);
    rc_corpus *mem = dated_corpus(g, 1, RC_CTX_SENTENCE, 0);
    rc_corpus *one = dated_corpus(g, 1, RC_CTX_SENTENCE, 1);
    rc_corpus *three = dated_corpus(g, 1, RC_CTX_SENTENCE, 3);
    rc_corpus *app = NULL;
    TEST_COND("dated corpora built", full && mem && one && three);
    if (three) {
        rc_analysis_opts ao = three->opts;
        if (rc_corpus_new(g, &ao, NULL, &app) == RC_OK) {
            rc_corpus_doc_knobs(app, 2);
            if (rc_corpus_append(app, three) != RC_OK) {
                rc_corpus_free(app);
                app = NULL;
            }
        }
        TEST_COND("append a corpus of spilled records", app != NULL);
    }
    if (full && mem && one && three && app) {
        TEST_COND("records of a small lean corpus stay in memory",
                  mem->dspill.fd < 0 && mem->mspill.fd < 0 && mem->ndocs == NDATED);
        TEST_COND("a lean corpus keeps no record or string in memory but its tail",
                  !three->docs && !three->strs_len && !app->docs && !app->strs_len);
        TEST_COND("block 3 spills records and metadata",
                  three->dspill.fd >= 0 && three->dspill.nfile + 3 >= NDATED &&
                      three->mspill.fd >= 0 && three->mspill.nfile + 16 >= three->nmeta_words);
        TEST_COND("block 1 spills every record", one->dspill.nfile + 1 >= NDATED);
        const rc_corpus *lean[] = {mem, one, three, app};
        for (size_t i = 0; i < sizeof lean / sizeof *lean; i++) {
            const rc_corpus *x = lean[i];
            TEST_COND("count alike", same_table(full, x, "count", plain, NULL, 5));
            TEST_COND("count --since --until alike", same_table(full, x, "count", since, NULL, 5));
            TEST_COND("count --by month alike", same_table(full, x, "count", by_month, NULL, 20));
            TEST_COND("count --by-meta alike", same_table(full, x, "count", by_meta, NULL, 20));
            TEST_COND("count --by-meta --since alike",
                      same_table(full, x, "count", by_meta_since, NULL, 10));
            TEST_COND("cooccur alike", same_table(full, x, "cooccur", plain, NULL, 5));
            TEST_COND("cooccur --since alike", same_table(full, x, "cooccur", since, NULL, 5));
            TEST_COND("cooccur --source-col alike",
                      same_table(full, x, "cooccur", sources, NULL, 5));
            TEST_COND("cooccur --source-col --since alike",
                      same_table(full, x, "cooccur", sources_freq, NULL, 5));
            TEST_COND("timeline by year alike", same_table(full, x, "timeline", tl_year, NULL, 20));
            TEST_COND("timeline by week alike", same_table(full, x, "timeline", tl_week, NULL, 20));
            TEST_COND("timeline of a pair alike",
                      same_table(full, x, "timeline", tl_year, pair, 5));
        }
    }
    rc_corpus_free(full);
    rc_corpus_free(mem);
    rc_corpus_free(one);
    rc_corpus_free(three);
    rc_corpus_free(app);
}

/* Document d's record (lean or not), or zeros if it cannot be read. */
static cdoc doc_at(const rc_corpus *c, size_t d) {
    cdoc out;
    memset(&out, 0, sizeof out);
    doc_cursor k;
    doc_cursor_init(&k, c);
    const cdoc *p;
    if (doc_cursor_at(&k, d, &p, NULL) == RC_OK) out = *p;
    doc_cursor_free(&k);
    return out;
}

/* Adds documents until one fails; RC_OK if none did. */
static rc_status add_until_failure(rc_corpus *c, rc_error *err, size_t *added) {
    char text[1024];
    for (*added = 0; *added < NDOCS; (*added)++) {
        doc_text(*added, text, sizeof text);
        rc_doc d = {.id = "x", .path = "x", .text = text, .len = strlen(text)};
        rc_status rc = rc_corpus_add(c, &d, err);
        if (rc) return rc;
    }
    return RC_OK;
}

/* A file that takes no writes (opened read-only) fails the first spill:
** RC_EIO with a message, the corpus as before that document. */
static void test_write_error(const rc_gazetteer *g) {
    char path[] = "/tmp/relcore-test-XXXXXX";
    int fd = mkstemp(path);
    TEST_COND("temporary file", fd >= 0);
    if (fd < 0) return;
    close(fd);
    fd = open(path, O_RDONLY);
    unlink(path);
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + RC_CTX_SENTENCE};
    rc_corpus *c = NULL;
    TEST_COND("corpus", rc_corpus_new(g, &ao, NULL, &c) == RC_OK);
    if (!c) return;
    rc_corpus_spill_knobs(c, 4, fd);
    rc_error err = {0};
    size_t added;
    rc_status rc = add_until_failure(c, &err, &added);
    TEST_COND("a failed write is RC_EIO", rc == RC_EIO);
    TEST_COND("after the first block", added > 0);
    TEST_COND("the message says what failed",
              strstr(err.msg, "cannot write the mention stream") != NULL);
    TEST_COND("the failed document is not added", rc_corpus_docs(c) == added);
    TEST_COND("its mentions neither",
              added && c->nm == doc_at(c, added - 1).m_begin + doc_at(c, added - 1).nm);
    rc_corpus_free(c);
}

/* Point TMPDIR where no file can be made; returns the old value (or NULL)
** for tmpdir_restore. */
static char *tmpdir_break(void) {
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent-relcore-dir", 1);
    return saved;
}

static void tmpdir_restore(const char *saved) {
    if (saved) setenv("TMPDIR", saved, 1);
    else unsetenv("TMPDIR");
}

/* A TMPDIR where no file can be made fails the first spill, naming it. */
static void test_create_error(const rc_gazetteer *g) {
    char *saved = tmpdir_break();
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + RC_CTX_DOCUMENT};
    rc_corpus *c = NULL;
    TEST_COND("corpus", rc_corpus_new(g, &ao, NULL, &c) == RC_OK);
    if (c) {
        rc_corpus_spill_knobs(c, 4, -1);
        rc_error err = {0};
        size_t added;
        TEST_COND("no file: RC_EIO", add_until_failure(c, &err, &added) == RC_EIO);
        TEST_COND("the message names the directory",
                  strstr(err.msg, "/nonexistent-relcore-dir") && strstr(err.msg, "TMPDIR"));
    }
    rc_corpus_free(c);
    tmpdir_restore(saved);
    free(saved);
}

/* A TMPDIR where no file can be made fails the first spill of the
** document stream: RC_EIO naming that stream, the failed document not
** added (nor its mentions); with a TMPDIR that works again, adding goes
** on and the records read back right. */
static void test_doc_stream_error(const rc_gazetteer *g) {
    char *saved = tmpdir_break();
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1, .lean = 1 + RC_CTX_SENTENCE};
    rc_corpus *c = NULL;
    TEST_COND("doc error: corpus", rc_corpus_new(g, &ao, NULL, &c) == RC_OK);
    if (c) {
        rc_corpus_doc_knobs(c, 2);
        rc_error err = {0};
        size_t added;
        TEST_COND("doc stream: no file is RC_EIO", add_until_failure(c, &err, &added) == RC_EIO);
        TEST_COND("doc stream: after the first block", added == 2 && rc_corpus_docs(c) == 2);
        TEST_COND("doc stream: the message names the stream",
                  strstr(err.msg, "cannot write the document stream") &&
                      strstr(err.msg, "/nonexistent-relcore-dir"));
        TEST_COND("doc stream: the failed document's mentions are not kept",
                  c->nm == doc_at(c, 1).m_begin + doc_at(c, 1).nm);
        tmpdir_restore(saved);
        TEST_COND("doc stream: adding goes on",
                  add_until_failure(c, &err, &added) == RC_OK && rc_corpus_docs(c) == 2 + NDOCS &&
                      c->dspill.fd >= 0);
        uint64_t nm = 0;
        for (size_t d = 0; d < rc_corpus_docs(c); d++) {
            cdoc x = doc_at(c, d);
            if (x.m_begin != nm) break;
            nm += x.nm;
        }
        TEST_COND("doc stream: the records read back in order", nm == c->nm);
    }
    rc_corpus_free(c);
    tmpdir_restore(saved);
    free(saved);
}

/* Document `round` of two: `n` distinct person names, the second round
** in another order, so ids met in the first document differ in the
** second's table. */
static void many_names_text(size_t round, size_t n, char *buf, size_t cap) {
    size_t len = 0;
    for (size_t k = 0; k < n; k++) {
        size_t j = round ? n - 1 - k : k;
        len += (size_t)snprintf(buf + len, cap - len,
                                "President Ali %c%c%cman spoke. ",
                                'B' + (int)(j / 100), 'a' + (int)(j / 10 % 10),
                                'a' + (int)(j % 10));
    }
}

/* Every mention of the last document added keeps the name and type of
** its entity in the document's analysis (c->work). */
static int mentions_mapped(const rc_corpus *c, size_t first) {
    const rc_docres *r = c->work;
    if (c->nm - first != r->nm) return 0;
    for (size_t i = 0; i < r->nm; i++) {
        size_t ln, lc;
        const char *dn = rc_entity_name(&r->ents, r->m[i].entity, &ln);
        const char *cn = rc_entity_name(&c->ents, c->m[first + i].m.entity, &lc);
        if (ln != lc || memcmp(dn, cn, ln) ||
            r->ents.v[r->m[i].entity].type != c->ents.v[c->m[first + i].m.entity].type)
            return 0;
    }
    return 1;
}

static void test_many_entities(const rc_gazetteer *g) {
    enum { N = 300 };
    static char text[N * 40];
    rc_analysis_opts ao = {.ner = RC_NER_RULES, .threads = 1};
    rc_corpus *c = NULL;
    TEST_COND("many: corpus", rc_corpus_new(g, &ao, NULL, &c) == RC_OK);
    if (!c) return;
    for (size_t round = 0; round < 2; round++) {
        many_names_text(round, N, text, sizeof text);
        rc_doc d = {.id = "many", .path = "many", .text = text, .len = strlen(text)};
        rc_error err = {0};
        size_t first = c->nm;
        TEST_COND("many: added", rc_corpus_add(c, &d, &err) == RC_OK);
        TEST_COND("many: mentions", c->nm - first >= N);
        TEST_COND("many: ids mapped", mentions_mapped(c, first));
    }
    rc_corpus_free(c);
}

int main(void) {
    rc_gazetteer *g = NULL;
    rc_error err = {0};
    TEST_COND("gazetteer", rc_gazetteer_new(1, NULL, &g, &err) == RC_OK &&
                               rc_gazetteer_freeze(g, &err) == RC_OK);
    if (g) {
        test_spill_answers_alike(g);
        test_terms_alike(g);
        test_term_rows_bounded(g);
        test_term_tallies(g);
        test_reset_like_new(g);
        test_trim_and_add_docs(g);
        test_threads_count(g);
        test_folds_on_threads(g);
        test_one_pass_alike(g);
        test_doc_stream(g);
        test_write_error(g);
        test_create_error(g);
        test_doc_stream_error(g);
        test_many_entities(g);
    }
    rc_gazetteer_free(g);
    return TEST_REPORT();
}
