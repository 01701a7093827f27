/*
** bench_core.c -- throughput of the C core on a real corpus, output
** excluded: reads every document of PATH... once into memory, then times
**   tokenize   rc_tokenize_noted + rc_split_listed over every document
**              (tokens and sentences, as a corpus of terms makes them)
**   analyse    the whole analysis (layout, tokens, sentences, mentions)
**              into an rc_corpus
**   cooccur    analyse + a co-occurrence query, for each context
**   terms      analyse keeping terms only (as the CLI does for --terms) +
**              `--terms --context window:10`
**   tagger     the learned tagger alone (features + decoding), tokens/s
**   rules      analyse and cooccur (sentence) with --ner rules
**   entities   the CLI's entity pipeline through the library: a lean
**              corpus (positions of sentences only, as `relcore cooccur`
**              keeps) analysed with --ner rules, then `cooccur --context
**              sentence --top 10`, timed as one
**   entities:2 the same on two threads (rc_corpus_add_docs: the
**              documents in memory split into chunks as the CLI's files are)
**   query:N    the entity pipeline's query alone (`cooccur --context
**              sentence --top 10`) on N threads (1 or 2), over a corpus
**              analysed once as `entities` analyses it: the median of
**              QUERY_RUNS queries, MB/s the corpus's MB by the query's time
**   entities:tagger  the same with the learned tagger (`relcore cooccur
**              --context sentence --top 10`, its default)
**   pipeline:N read the files + analyse + cooccur (sentence) on N threads
**              (rc_corpus_add_source, N = 1 and 2; the page cache is warm)
**   read       reading alone: the source hands out every document of
**              PATH... (files opened, read and checked as the pipeline
**              reads them, nothing analysed), and a line `read_cpu_ms`
**              with the user and system CPU time it took: what the CLI
**              pays before the analysis, the system's part for opening
**              and reading the files
** and prints one line per stage: name, MB, seconds, MB/s, and tokens
** (tokenize), documents (analyse) or rows (the others).  `--stage NAME`
** (tokenize, analyse, a context such as window:10, terms, tagger, rules,
** entities, entities:2, query:1, query:2, entities:tagger, pipeline:1, pipeline:2 or
** read) runs only that stage, so that the peak RSS, printed last
** (getrusage), is the stage's own.  `--repeat N` runs the stages N times over (a line each
** time): the later runs find the caches and the allocator warm, and
** their spread shows the host's noise apart from the process's start
** (bench/ab.py --mbps compares two builds that way).  Used by
** bench/bench.py, bench/run.py and bench/ab.py; not part of the product.
** Its heap is set up first as the standalone binary's (rc_heap_tune), so
** that the stages run as they do in `relcore`.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rc_entity.h"
#include "rc_tagger.h"
#include "relcore.h"

typedef struct doc_copy {
    char *text;
    size_t len;
    int is_article;
    char id[24]; /* its index, written before any stage is timed */
} doc_copy;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whether stage `name` runs: all of them without --stage. */
static int wanted(const char *only, const char *name) {
    return only == NULL || strcmp(only, name) == 0;
}

/* Tokenize and split every document into sentences, as the core does
** where it keeps no names (a corpus of terms): the tokenizer lists the
** tokens the splitter must look at (rc_tokenize_noted), and the splitter
** steps from one to the next (rc_split_listed). */
static void bench_tokenize(const doc_copy *docs, size_t n, double mb) {
    rc_tokens toks;
    rc_sentences sents;
    rc_token_side side;
    rc_tokens_init(&toks, NULL);
    rc_sentences_init(&sents, NULL);
    memset(&side, 0, sizeof side);
    size_t ntok = 0;
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        toks.n = sents.n = side.nnotable = 0;
        uint32_t next;
        rc_tokenize_noted(docs[i].text, docs[i].len, 0, &toks, &side);
        rc_split_listed(docs[i].text, toks.v, toks.n, side.notable, side.nnotable, 0, 0,
                        &next, &sents);
        ntok += toks.n;
    }
    double t1 = now();
    printf("tokenize\t%.3f\t%.6f\t%.1f\t%zu\n", mb, t1 - t0, mb / (t1 - t0), ntok);
    rc_tokens_free(&toks);
    rc_sentences_free(&sents);
    rc_token_side_free(NULL, &side);
}

/* A corpus of the documents, analysed with ao (each id its index): one
** after another (rc_corpus_add) on one thread, else as a batch in memory
** on ao->threads threads (rc_corpus_add_docs). */
static rc_corpus *analyse_docs(const rc_gazetteer *g, const rc_analysis_opts *ao,
                               const doc_copy *docs, size_t n) {
    rc_error err = {0};
    rc_corpus *c;
    rc_corpus_new(g, ao, NULL, &c);
    rc_doc *batch = ao->threads != 1 ? malloc((n ? n : 1) * sizeof *batch) : NULL;
    for (size_t i = 0; i < n; i++) {
        rc_doc doc = {docs[i].id, docs[i].id, docs[i].text, docs[i].len, NULL, NULL, NULL, 0,
                      docs[i].is_article};
        if (batch) batch[i] = doc;
        else rc_corpus_add(c, &doc, &err);
    }
    if (batch && rc_corpus_add_docs(c, batch, n, NULL, NULL, &err)) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        exit(1);
    }
    free(batch);
    return c;
}

static const char *const contexts[] = {"sentence", "paragraph", "document",
                                       "window:10"};
#define N_CONTEXTS (sizeof contexts / sizeof *contexts)

/* Analyse every document into a corpus (printed as "analyse" when
** wanted), then time each wanted context's query on top of it. */
static void bench_analyse(const doc_copy *docs, size_t n, double mb,
                          const char *only, rc_ner_mode ner) {
    rc_error err = {0};
    rc_gazetteer *g;
    rc_gazetteer_new(1, NULL, &g, &err);
    rc_gazetteer_freeze(g, &err);
    rc_analysis_opts ao = {NULL, NULL, NULL, 0, 1, ner, NULL, 0, 0};
    const char *label = ner == RC_NER_RULES ? " rules" : "";
    double t0 = now();
    rc_corpus *c = analyse_docs(g, &ao, docs, n);
    double t1 = now();
    int rules = ner == RC_NER_RULES; /* the rules stage: analyse + sentence */
    if (rules || wanted(only, "analyse"))
        printf("analyse%s\t%.3f\t%.6f\t%.1f\t%zu\n", label, mb, t1 - t0, mb / (t1 - t0), n);
    /* each context's query on top of the analysis: MB/s of the whole */
    for (size_t k = 0; k < N_CONTEXTS; k++) {
        if (rules ? k > 0 : !wanted(only, contexts[k])) continue;
        rc_query q;
        memset(&q, 0, sizeof q);
        rc_query_set(&q, "context", contexts[k], &err);
        rc_table *t;
        double q0 = now();
        rc_corpus_cooccur(c, &q, &t, &err);
        double q1 = now();
        double total = (t1 - t0) + (q1 - q0);
        printf("cooccur%s %s\t%.3f\t%.6f\t%.1f\t%zu\n", label, contexts[k], mb, total,
               mb / total, rc_table_rows(t));
        rc_table_free(t);
    }
    rc_corpus_free(c);
    rc_gazetteer_free(g);
}

/* An analysis with options *ao and then one co-occurrence query (its
** settings name, value, ..., NULL), timed as one and printed as `label`. */
static void bench_query(const char *label, const rc_analysis_opts *ao,
                        const char *const *settings, const doc_copy *docs, size_t n,
                        double mb) {
    rc_error err = {0};
    rc_gazetteer *g;
    rc_gazetteer_new(1, NULL, &g, &err);
    rc_gazetteer_freeze(g, &err);
    rc_query q;
    memset(&q, 0, sizeof q);
    for (size_t k = 0; settings[k]; k += 2)
        if (rc_query_set(&q, settings[k], settings[k + 1], &err)) {
            fprintf(stderr, "bench_core: %s\n", err.msg);
            exit(1);
        }
    double t0 = now();
    rc_corpus *c = analyse_docs(g, ao, docs, n);
    rc_table *t = NULL;
    if (rc_corpus_cooccur(c, &q, &t, &err)) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        exit(1);
    }
    double t1 = now();
    printf("%s\t%.3f\t%.6f\t%.1f\t%zu\n", label, mb, t1 - t0, mb / (t1 - t0),
           rc_table_rows(t));
    rc_table_free(t);
    rc_corpus_free(c);
    rc_gazetteer_free(g);
}

/* The entity pipeline as `relcore cooccur --context sentence --top 10
** --ner NER --threads 1` runs it (a lean corpus keeping sentence
** positions), but on documents already in memory: SPEC section 11's
** per-core figures measured through the library. */
static void bench_entities(const doc_copy *docs, size_t n, double mb, rc_ner_mode ner,
                           size_t threads) {
    rc_analysis_opts ao = {NULL, NULL, NULL, 0, threads, ner, NULL,
                           1 + (int)RC_CTX_SENTENCE, 0};
    static const char *const settings[] = {"context", "sentence", "top", "10", NULL};
    char label[32];
    snprintf(label, sizeof label, "entities %s%s", ner == RC_NER_RULES ? "rules" : "tagger",
             threads == 2 ? ":2" : "");
    bench_query(label, &ao, settings, docs, n, mb);
}

static int double_cmp(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The entity pipeline's query alone on `threads` threads: the corpus
** analysed once as bench_entities analyses it, then QUERY_RUNS queries,
** their median printed (the query is a tenth of the pipeline's time,
** too little to tell apart from the analysis's noise in `entities`). */
#define QUERY_RUNS 15
static void bench_query_alone(const doc_copy *docs, size_t n, double mb, size_t threads) {
    rc_error err = {0};
    rc_gazetteer *g;
    rc_gazetteer_new(1, NULL, &g, &err);
    rc_gazetteer_freeze(g, &err);
    rc_analysis_opts ao = {NULL, NULL, NULL, 0, threads, RC_NER_RULES, NULL,
                           1 + (int)RC_CTX_SENTENCE, 0};
    rc_corpus *c = analyse_docs(g, &ao, docs, n);
    rc_query q;
    memset(&q, 0, sizeof q);
    rc_query_set(&q, "context", "sentence", &err);
    rc_query_set(&q, "top", "10", &err);
    double took[QUERY_RUNS];
    size_t rows = 0;
    for (size_t r = 0; r < QUERY_RUNS; r++) {
        rc_table *t = NULL;
        double t0 = now();
        if (rc_corpus_cooccur(c, &q, &t, &err)) {
            fprintf(stderr, "bench_core: %s\n", err.msg);
            exit(1);
        }
        took[r] = now() - t0;
        rows = rc_table_rows(t);
        rc_table_free(t);
    }
    qsort(took, QUERY_RUNS, sizeof *took, double_cmp);
    double mid = took[QUERY_RUNS / 2];
    printf("query:%zu\t%.3f\t%.6f\t%.1f\t%zu\n", threads, mb, mid, mb / mid, rows);
    rc_corpus_free(c);
    rc_gazetteer_free(g);
}

/* Term co-occurrence: an analysis that keeps the words, then windows. */
static void bench_terms(const doc_copy *docs, size_t n, double mb) {
    rc_analysis_opts ao = {NULL, NULL, NULL, RC_TERMS_ONLY, 1, RC_NER_MODEL, NULL, 0, 0};
    static const char *const settings[] = {"context", "window:10", "terms", "1", NULL};
    bench_query("terms window:10", &ao, settings, docs, n, mb);
}

/* The whole pipeline from the files, on `threads` threads. */
static void bench_pipeline(const char *const *paths, size_t npaths, double mb,
                           size_t threads) {
    rc_error err = {0};
    rc_gazetteer *g;
    rc_gazetteer_new(1, NULL, &g, &err);
    rc_gazetteer_freeze(g, &err);
    rc_analysis_opts ao = {NULL, NULL, NULL, 0, threads, RC_NER_MODEL, NULL, 0, 0};
    rc_corpus *c;
    rc_source *src;
    rc_corpus_new(g, &ao, NULL, &c);
    double t0 = now();
    rc_source_new(paths, npaths, NULL, NULL, &src, &err);
    rc_corpus_add_source(c, src, &err);
    rc_query q;
    memset(&q, 0, sizeof q);
    rc_table *t;
    rc_corpus_cooccur(c, &q, &t, &err);
    double t1 = now();
    printf("pipeline:%zu\t%.3f\t%.6f\t%.1f\t%zu\n", threads, mb, t1 - t0, mb / (t1 - t0),
           rc_table_rows(t));
    rc_table_free(t);
    rc_source_free(src);
    rc_corpus_free(c);
    rc_gazetteer_free(g);
}

static double cpu_ms(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }

/* Reading alone: every document of the paths from a source, nothing
** analysed, with the CPU time of the process meanwhile. */
static void bench_read(const char *const *paths, size_t npaths, double mb) {
    rc_error err = {0};
    struct rusage u0, u1;
    getrusage(RUSAGE_SELF, &u0);
    double t0 = now();
    rc_source *src;
    if (rc_source_new(paths, npaths, NULL, NULL, &src, &err)) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        exit(1);
    }
    rc_doc d;
    size_t ndocs = 0;
    rc_status rc;
    while ((rc = rc_source_next(src, &d, &err)) == RC_OK) ndocs++;
    rc_source_free(src);
    double t1 = now();
    if (rc != RC_ENOENT) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        exit(1);
    }
    getrusage(RUSAGE_SELF, &u1);
    printf("read\t%.3f\t%.6f\t%.1f\t%zu\n", mb, t1 - t0, mb / (t1 - t0), ndocs);
    printf("read_cpu_ms\t%.2f\t%.2f\n", cpu_ms(u1.ru_utime) - cpu_ms(u0.ru_utime),
           cpu_ms(u1.ru_stime) - cpu_ms(u0.ru_stime));
}

/* The tagger alone: inputs per document first, then the timed tagging of
** every sentence. */
static void bench_tagger(const rc_gazetteer *g, const doc_copy *docs, size_t n,
                         double mb) {
    rc_docres *r;
    rc_docres_new(g, NULL, &r);
    rc_tagger *m;
    rc_error err = {0};
    double l0 = now();
    if (rc_tagger_builtin(NULL, &m, &err)) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        exit(1);
    }
    double l1 = now();
    rc_tokens toks;
    rc_tokens_init(&toks, NULL);
    rc_tagtok *in = NULL, *all = NULL;
    size_t in_cap = 0, all_n = 0, all_cap = 0;
    size_t *sent_end = NULL, ns = 0, ns_cap = 0;
    const char **sent_text = NULL;
    for (size_t i = 0; i < n; i++) {
        rc_doc doc = {"-", "-", docs[i].text, docs[i].len, NULL, NULL, NULL, 0,
                      docs[i].is_article};
        rc_docres_layout(r, &doc);
        rc_ner_tag_inputs(r, docs[i].text, &in, &in_cap);
        size_t base = toks.n;
        for (size_t k = 0; k < r->toks.n; k++) {
            if (toks.n == toks.cap) {
                toks.cap = toks.cap * 2 + 4096;
                toks.v = realloc(toks.v, toks.cap * sizeof *toks.v);
            }
            toks.v[toks.n++] = r->toks.v[k];
        }
        if (all_n + r->toks.n > all_cap) {
            all_cap = (all_n + r->toks.n) * 2;
            all = realloc(all, all_cap * sizeof *all);
        }
        memcpy(all + all_n, in, r->toks.n * sizeof *in);
        all_n += r->toks.n;
        for (size_t s = 0; s < r->sents.n; s++) {
            if (ns == ns_cap) {
                ns_cap = ns_cap * 2 + 1024;
                sent_end = realloc(sent_end, ns_cap * sizeof *sent_end);
                sent_text = realloc(sent_text, ns_cap * sizeof *sent_text);
            }
            sent_end[ns] = base + r->sents.v[s].tok_end;
            sent_text[ns++] = docs[i].text;
        }
    }
    rc_tagwork tw;
    memset(&tw, 0, sizeof tw);
    uint8_t *tags = malloc(toks.n + 1);
    size_t named = 0;
    double t0 = now();
    for (size_t s = 0, b = 0; s < ns; b = sent_end[s++]) {
        if (!s || sent_text[s] != sent_text[s - 1]) rc_tagwork_doc_begin(&tw);
        rc_tagwork_prepare(&tw, sent_text[s], toks.v + b, all + b, sent_end[s] - b);
        rc_tagger_tag(m, &tw, tags + b);
    }
    double t1 = now();
    for (size_t k = 0; k < toks.n; k++) named += tags[k] != 0;
    printf("tagger\t%.3f\t%.6f\t%.1f\t%.0f\n", mb, t1 - t0, mb / (t1 - t0),
           toks.n / (t1 - t0));
    printf("model_load_ms\t%.3f\n", (l1 - l0) * 1e3);
    fprintf(stderr, "tagger: %zu tokens, %zu in names, model %zu bytes\n", toks.n,
            named, rc_tagger_size(m));
    rc_tagwork_free(&tw);
    free(tags);
    free(all);
    free(in);
    free(sent_end);
    free(sent_text);
    rc_tokens_free(&toks);
    rc_tagger_free(m);
    rc_docres_free(r);
}

static int known_stage(const char *name) {
    int known = !strcmp(name, "tokenize") || !strcmp(name, "analyse") ||
                !strcmp(name, "terms") || !strcmp(name, "pipeline:1") ||
                !strcmp(name, "pipeline:2") || !strcmp(name, "tagger") ||
                !strcmp(name, "rules") || !strcmp(name, "entities") ||
                !strcmp(name, "entities:2") || !strcmp(name, "entities:tagger") ||
                !strcmp(name, "query:1") || !strcmp(name, "query:2") ||
                !strcmp(name, "read");
    for (size_t k = 0; k < N_CONTEXTS; k++) known |= !strcmp(name, contexts[k]);
    return known;
}

/* Every wanted stage once (all of them without --stage), on the documents
** read from the paths argv[1..argc). */
static void run_stages(const char *only, int argc, char **argv, const doc_copy *docs,
                       size_t n, double mb) {
    rc_error err = {0};
    if (wanted(only, "tokenize")) bench_tokenize(docs, n, mb);
    if (!only || (strcmp(only, "tokenize") != 0 && strcmp(only, "terms") != 0 &&
                  strcmp(only, "tagger") != 0 && strcmp(only, "rules") != 0 &&
                  strncmp(only, "entities", 8) != 0 && strcmp(only, "read") != 0 &&
                  strncmp(only, "pipeline:", 9) != 0 && strncmp(only, "query:", 6) != 0))
        bench_analyse(docs, n, mb, only, RC_NER_MODEL);
    if (wanted(only, "rules")) bench_analyse(docs, n, mb, only, RC_NER_RULES);
    if (wanted(only, "entities")) bench_entities(docs, n, mb, RC_NER_RULES, 1);
    if (wanted(only, "entities:2")) bench_entities(docs, n, mb, RC_NER_RULES, 2);
    if (wanted(only, "entities:tagger")) bench_entities(docs, n, mb, RC_NER_MODEL, 1);
    if (wanted(only, "query:1")) bench_query_alone(docs, n, mb, 1);
    if (wanted(only, "query:2")) bench_query_alone(docs, n, mb, 2);
    if (wanted(only, "tagger")) {
        rc_gazetteer *g;
        rc_gazetteer_new(1, NULL, &g, &err);
        rc_gazetteer_freeze(g, &err);
        bench_tagger(g, docs, n, mb);
        rc_gazetteer_free(g);
    }
    if (wanted(only, "terms")) bench_terms(docs, n, mb);
    for (size_t threads = 1; threads <= 2; threads++) {
        char stage[16];
        snprintf(stage, sizeof stage, "pipeline:%zu", threads);
        if (wanted(only, stage))
            bench_pipeline((const char *const *)argv + 1, (size_t)argc - 1, mb, threads);
    }
    if (wanted(only, "read")) bench_read((const char *const *)argv + 1, (size_t)argc - 1, mb);
}

int main(int argc, char **argv) {
    rc_heap_tune(); /* the process set up as the standalone binary's */
    const char *only = NULL;
    long repeat = 1;
    for (; argc > 2 && (!strcmp(argv[1], "--stage") || !strcmp(argv[1], "--repeat"));
         argc -= 2, argv += 2) {
        if (!strcmp(argv[1], "--stage")) {
            only = argv[2];
        } else {
            char *end;
            repeat = strtol(argv[2], &end, 10);
            if (*end || repeat < 1) repeat = 0; /* refused below */
        }
    }
    if (argc < 2 || (only && !known_stage(only)) || repeat < 1) {
        fprintf(stderr, "usage: bench_core [--stage tokenize|analyse|"
                        "sentence|paragraph|document|window:10|terms|tagger|rules|entities|"
                        "entities:2|entities:tagger|query:1|query:2|"
                        "pipeline:1|pipeline:2|read] [--repeat N] PATH...\n");
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
        snprintf(docs[n].id, sizeof docs[n].id, "%zu", n);
        bytes += d.len;
        n++;
    }
    rc_source_free(src);
    double mb = bytes / 1e6;
    for (long r = 0; r < repeat; r++) run_stages(only, argc, argv, docs, n, mb);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb\t%.1f\n", ru.ru_maxrss / 1024.0);
    for (size_t i = 0; i < n; i++) free(docs[i].text);
    free(docs);
    return 0;
}
