/*
** bench_core.c -- throughput of the C core on a real corpus, output
** excluded: reads every document of PATH... once into memory, then times
**   tokenize   rc_tokenize + rc_split_sentences over every document
**   analyse    the whole analysis (layout, tokens, sentences, mentions)
**              into an rc_corpus
**   cooccur    analyse + a co-occurrence query, for each context
**   terms      analyse keeping terms + `--terms --context window:10`
**   pipeline   read the files + analyse + cooccur (sentence), on 1 and 2
**              threads (rc_corpus_add_source; the page cache is warm)
** and prints one line per stage: name, MB, seconds, MB/s.  Peak RSS is
** printed last (getrusage).  Used by bench/bench.py; not part of the
** product.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "relcore.h"

typedef struct doc_copy {
    char *text;
    size_t len;
    int is_article;
} doc_copy;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_core PATH...\n");
        return 2;
    }
    rc_error err = {0};
    rc_source *src;
    if (rc_source_new((const char *const *)argv + 1, (size_t)argc - 1, NULL,
                      NULL, &src, &err)) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        return 1;
    }
    doc_copy *docs = NULL;
    size_t n = 0, cap = 0, bytes = 0;
    rc_doc d;
    while (rc_source_next(src, &d, &err) == RC_OK) {
        if (n == cap) docs = realloc(docs, (cap = cap * 2 + 1024) * sizeof *docs);
        docs[n].text = malloc(d.len + 1);
        memcpy(docs[n].text, d.text, d.len + 1);
        docs[n].len = d.len;
        docs[n].is_article = d.is_article;
        bytes += d.len;
        n++;
    }
    rc_source_free(src);
    double mb = bytes / 1e6;

    rc_tokens toks;
    rc_sentences sents;
    rc_tokens_init(&toks, NULL);
    rc_sentences_init(&sents, NULL);
    size_t ntok = 0;
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        toks.n = sents.n = 0;
        uint32_t next;
        rc_tokenize(docs[i].text, docs[i].len, 0, &toks);
        rc_split_sentences(docs[i].text, toks.v, toks.n, 0, &next, &sents);
        ntok += toks.n;
    }
    double t1 = now();
    printf("tokenize\t%.3f\t%.4f\t%.1f\t%zu\n", mb, t1 - t0, mb / (t1 - t0), ntok);
    rc_tokens_free(&toks);
    rc_sentences_free(&sents);

    rc_gazetteer *g;
    rc_gazetteer_new(1, NULL, &g, &err);
    rc_gazetteer_freeze(g, &err);
    rc_corpus *c;
    rc_corpus_new(g, NULL, NULL, &c);
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "%zu", i);
        rc_doc doc = {id, id, docs[i].text, docs[i].len, NULL, NULL, NULL, 0,
                      docs[i].is_article};
        rc_corpus_add(c, &doc, &err);
    }
    t1 = now();
    printf("analyse\t%.3f\t%.4f\t%.1f\t%zu\n", mb, t1 - t0, mb / (t1 - t0), n);
    /* each context's query on top of the analysis: MB/s of the whole */
    static const char *const contexts[] = {"sentence", "paragraph", "document",
                                           "window:10"};
    for (size_t k = 0; k < 4; k++) {
        rc_query q;
        memset(&q, 0, sizeof q);
        rc_query_set(&q, "context", contexts[k], &err);
        rc_table *t;
        double q0 = now();
        rc_corpus_cooccur(c, &q, &t, &err);
        double q1 = now();
        double total = (t1 - t0) + (q1 - q0);
        printf("cooccur %s\t%.3f\t%.4f\t%.1f\t%zu\n", contexts[k], mb, total,
               mb / total, rc_table_rows(t));
        rc_table_free(t);
    }
    rc_corpus_free(c);
    /* term co-occurrence: an analysis that keeps the words, then windows */
    rc_analysis_opts ao = {NULL, NULL, NULL, 1, 1};
    rc_corpus_new(g, &ao, NULL, &c);
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "%zu", i);
        rc_doc doc = {id, id, docs[i].text, docs[i].len, NULL, NULL, NULL, 0,
                      docs[i].is_article};
        rc_corpus_add(c, &doc, &err);
    }
    rc_query q;
    memset(&q, 0, sizeof q);
    rc_query_set(&q, "context", "window:10", &err);
    rc_query_set(&q, "terms", "1", &err);
    rc_table *t;
    rc_corpus_cooccur(c, &q, &t, &err);
    t1 = now();
    printf("terms window:10\t%.3f\t%.4f\t%.1f\t%zu\n", mb, t1 - t0, mb / (t1 - t0),
           rc_table_rows(t));
    rc_table_free(t);
    rc_corpus_free(c);
    for (size_t threads = 1; threads <= 2; threads++) {
        rc_analysis_opts po = {NULL, NULL, NULL, 0, threads};
        rc_source *ps;
        rc_corpus_new(g, &po, NULL, &c);
        t0 = now();
        rc_source_new((const char *const *)argv + 1, (size_t)argc - 1, NULL, NULL, &ps, &err);
        rc_corpus_add_source(c, ps, &err);
        rc_query pq;
        memset(&pq, 0, sizeof pq);
        rc_corpus_cooccur(c, &pq, &t, &err);
        t1 = now();
        printf("pipeline %zu thread%s\t%.3f\t%.4f\t%.1f\t%zu\n", threads,
               threads > 1 ? "s" : "", mb, t1 - t0, mb / (t1 - t0), rc_table_rows(t));
        rc_table_free(t);
        rc_source_free(ps);
        rc_corpus_free(c);
    }
    rc_gazetteer_free(g);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb\t%.1f\n", ru.ru_maxrss / 1024.0);
    for (size_t i = 0; i < n; i++) free(docs[i].text);
    free(docs);
    return 0;
}
