/*
** rc_train.c -- training the entity tagger (rc_tagger.c) on CoNLL-format
** data: an averaged perceptron with deterministic shuffling.
**
** Data: each CoNLL document becomes one text, as bench/ner.py feeds
** relcore: its sentences' tokens joined by single spaces, sentences
** separated by blank lines.  The text goes through the same layout,
** tokenizer, sentence splitter and gazetteer stage as any document, so the
** tagger learns on exactly the tokens and facts it will see at run time.
** Gold names (IOB1 or IOB2 spans over PER, ORG, LOC, MISC) are mapped to
** our tokens by byte offsets and written as BILOU classes.
**
** Learning: for every training sentence, documents in an order shuffled
** each epoch by our own PRNG (splitmix64) from a fixed seed and sentences
** in their order, the greedy decoder
** (rc_tag_decode) predicts with the current weights; where a token's
** prediction is wrong, the gold class's weights of its features go up by
** one and the predicted class's down by one.  Weights are int32 and the
** averaging sums u (update times sentence number) are int64: the
** arithmetic is exact, so the result does not depend on the compiler or
** the order of summation.  The averaged weight w - u / t is quantised to
** int16 with one scale (max |weight| = 32767); features whose weights all
** round to 0 are dropped.  Each epoch's model is scored on the dev data
** and the best is kept (ties: the earlier epoch).
**
** Memory: a table of the features seen in training (64-bit hash -> row of
** int32 weights and int64 sums), owned by the trainer and freed at the
** end, plus the encoded data (texts, tokens, facts, gold classes).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rc_entity.h"
#include "rc_tagger.h"

/* MARK: - Data -------------------------------------------------------------- */

typedef struct tsent {
    int first;         /* the first sentence of its document */
    size_t text_off;   /* the document's text in the arena */
    size_t tok_begin;  /* tokens (offsets relative to the text) */
    uint32_t ntok;
} tsent;

typedef struct dataset {
    const rc_allocator *alc;
    char *texts;
    size_t texts_len, texts_cap;
    rc_token *toks;
    rc_tagtok *tin;
    uint8_t *gold;
    size_t ntok, toks_cap, tin_cap, gold_cap;
    tsent *s;
    size_t ns, s_cap;
    uint32_t *doc_first; /* first sentence of each document */
    size_t ndocs, docs_cap;
} dataset;

static void dataset_free(dataset *d) {
    rc_free(d->alc, d->texts);
    rc_free(d->alc, d->toks);
    rc_free(d->alc, d->tin);
    rc_free(d->alc, d->gold);
    rc_free(d->alc, d->s);
    rc_free(d->alc, d->doc_first);
}

/* A document being read: its text and gold spans (bytes). */
typedef struct gspan {
    uint32_t start, end;
    int type;
} gspan;

typedef struct reader {
    const rc_allocator *alc;
    char *text;
    size_t len, cap;
    gspan *g;
    size_t ng, gcap;
    int in_sent;      /* the current sentence has tokens */
    int open_type;    /* type of the open gold span, -1 none */
} reader;

static int tag_type(const char *s, size_t n) {
    static const char *const names[RC_TAG_TYPES] = {"PER", "ORG", "LOC", "MISC"};
    for (int t = 0; t < RC_TAG_TYPES; t++)
        if (strlen(names[t]) == n && !memcmp(names[t], s, n)) return t;
    return -1;
}

static rc_status text_add(reader *rd, const char *s, size_t n) {
    if (rc_grow(rd->alc, (void **)&rd->text, &rd->cap, rd->len + n + 1, 1)) return RC_ENOMEM;
    memcpy(rd->text + rd->len, s, n);
    rd->len += n;
    rd->text[rd->len] = 0;
    return RC_OK;
}

static void close_span(reader *rd) {
    if (rd->open_type >= 0) rd->g[rd->ng - 1].end = (uint32_t)rd->len;
    rd->open_type = -1;
}

/* One token line: append the token, extend or open a gold span. */
static rc_status read_token(reader *rd, const char *tok, size_t tn,
                            const char *tag, size_t gn, size_t line,
                            rc_error *err) {
    int type = -1, begin = 0;
    if (!(gn == 1 && tag[0] == 'O')) {
        if (gn < 3 || (tag[0] != 'B' && tag[0] != 'I') || tag[1] != '-' ||
            (type = tag_type(tag + 2, gn - 2)) < 0)
            return rc_error_set(err, RC_EPARSE, line, "line %zu: unknown tag '%.*s' "
                                "(expected O, B-X or I-X with X one of PER, ORG, "
                                "LOC, MISC)", line, (int)gn, tag);
        begin = tag[0] == 'B';
    }
    if (rd->in_sent && text_add(rd, " ", 1)) return RC_ENOMEM;
    if (type < 0 || begin || type != rd->open_type) close_span(rd);
    if (type >= 0 && rd->open_type < 0) {
        if (rc_grow(rd->alc, (void **)&rd->g, &rd->gcap, rd->ng + 1, sizeof *rd->g))
            return RC_ENOMEM;
        rd->g[rd->ng++] = (gspan){(uint32_t)rd->len, 0, type};
        rd->open_type = type;
    }
    rd->in_sent = 1;
    return text_add(rd, tok, tn);
}

static void end_sentence(reader *rd) {
    close_span(rd);
    if (rd->in_sent) {
        if (text_add(rd, "\n\n", 2) == RC_OK) rd->in_sent = 0;
    }
}

/* Analyse the read document and append its sentences to d. */
static rc_status add_document(dataset *d, reader *rd, rc_docres *r,
                              rc_tagtok **tin, size_t *tin_cap, uint32_t **lab,
                              size_t *lab_cap) {
    close_span(rd);
    if (!rd->len) return RC_OK;
    rc_doc doc = {"-", "-", rd->text, rd->len, NULL, NULL, NULL, 0, 0};
    rc_status rc = rc_docres_layout(r, &doc);
    if (rc == RC_OK) rc = rc_ner_tag_inputs(r, rd->text, tin, tin_cap);
    if (rc) return rc;
    if (rc_grow(d->alc, (void **)lab, lab_cap, rd->len + 1, sizeof **lab)) return RC_ENOMEM;
    memset(*lab, 0, (rd->len + 1) * sizeof **lab);
    for (size_t k = 0; k < rd->ng; k++)
        for (uint32_t b = rd->g[k].start; b < rd->g[k].end; b++) (*lab)[b] = (uint32_t)k + 1;
    size_t text_off = d->texts_len, n = r->toks.n;
    if (rc_grow(d->alc, (void **)&d->texts, &d->texts_cap, d->texts_len + rd->len + 1, 1) ||
        rc_grow(d->alc, (void **)&d->toks, &d->toks_cap, d->ntok + n, sizeof *d->toks) ||
        rc_grow(d->alc, (void **)&d->tin, &d->tin_cap, d->ntok + n, sizeof *d->tin) ||
        rc_grow(d->alc, (void **)&d->gold, &d->gold_cap, d->ntok + n, 1) ||
        rc_grow(d->alc, (void **)&d->s, &d->s_cap, d->ns + r->sents.n, sizeof *d->s))
        return RC_ENOMEM;
    if (rc_grow(d->alc, (void **)&d->doc_first, &d->docs_cap, d->ndocs + 1,
                sizeof *d->doc_first))
        return RC_ENOMEM;
    if (r->sents.n) d->doc_first[d->ndocs++] = (uint32_t)d->ns;
    memcpy(d->texts + text_off, rd->text, rd->len + 1);
    d->texts_len += rd->len + 1;
    for (size_t si = 0; si < r->sents.n; si++) {
        const rc_sentence *sn = &r->sents.v[si];
        d->s[d->ns++] = (tsent){si == 0, text_off, d->ntok, sn->tok_end - sn->tok_begin};
        for (uint32_t i = sn->tok_begin; i < sn->tok_end; i++) {
            const rc_token *t = &r->toks.v[i];
            uint32_t id = (*lab)[t->start];
            uint32_t prev = i > sn->tok_begin ? (*lab)[r->toks.v[i - 1].start] : 0;
            uint32_t next = i + 1 < sn->tok_end ? (*lab)[r->toks.v[i + 1].start] : 0;
            uint8_t g = 0;
            if (id) {
                int ty = rd->g[id - 1].type;
                int pos = prev != id ? (next != id ? RC_TAG_U : RC_TAG_B)
                                     : (next != id ? RC_TAG_L : RC_TAG_I);
                g = (uint8_t)rc_tag_class(ty, pos);
            }
            d->toks[d->ntok] = *t;
            d->tin[d->ntok] = (*tin)[i];
            d->gold[d->ntok] = g;
            d->ntok++;
        }
    }
    rd->len = 0;
    rd->ng = 0;
    rd->in_sent = 0;
    return RC_OK;
}

/* Parse CoNLL text into d through the analysis of r. */
static rc_status load_conll(dataset *d, const char *data, size_t len,
                            rc_docres *r, rc_error *err) {
    reader rd = {d->alc, NULL, 0, 0, NULL, 0, 0, 0, -1};
    rc_tagtok *tin = NULL;
    uint32_t *lab = NULL;
    size_t tin_cap = 0, lab_cap = 0, line = 0;
    rc_status rc = RC_OK;
    for (size_t pos = 0; pos < len && rc == RC_OK;) {
        const char *ln = data + pos;
        const char *nl = memchr(ln, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - ln) : len - pos;
        pos += n + 1;
        line++;
        while (n && (ln[n - 1] == '\r' || ln[n - 1] == ' ' || ln[n - 1] == '\t')) n--;
        if (!n) {
            end_sentence(&rd);
            continue;
        }
        if (n >= 10 && !memcmp(ln, "-DOCSTART-", 10)) {
            rc = add_document(d, &rd, r, &tin, &tin_cap, &lab, &lab_cap);
            continue;
        }
        const char *sp = ln;
        while (sp < ln + n && *sp != ' ' && *sp != '\t') sp++;
        const char *tag = ln + n;
        while (tag > sp && tag[-1] != ' ' && tag[-1] != '\t') tag--;
        if (sp == ln + n)
            rc = rc_error_set(err, RC_EPARSE, line, "line %zu: expected a token "
                              "and a tag separated by a space", line);
        else
            rc = read_token(&rd, ln, (size_t)(sp - ln), tag, (size_t)(ln + n - tag),
                            line, err);
    }
    if (rc == RC_OK) rc = add_document(d, &rd, r, &tin, &tin_cap, &lab, &lab_cap);
    rc_free(d->alc, rd.text);
    rc_free(d->alc, rd.g);
    rc_free(d->alc, tin);
    rc_free(d->alc, lab);
    return rc;
}

/* MARK: - Weights ------------------------------------------------------------ */

typedef struct wrow {
    int32_t w[RC_TAG_CLASSES];
    int64_t u[RC_TAG_CLASSES];
} wrow;

typedef struct weights {
    const rc_allocator *alc;
    uint64_t *keys; /* 0 = empty (a feature hash of 0 is stored as 1) */
    uint32_t *idx;
    size_t nslots;
    wrow *rows;
    size_t nrows, rows_cap;
    int64_t t;      /* sentences seen, from 1 */
    int failed;     /* an allocation failed during updates */
} weights;

static uint64_t wkey(uint64_t h) { return h ? h : 1; }

static wrow *weights_find(const weights *W, uint64_t h) {
    if (!W->nslots) return NULL;
    uint64_t k = wkey(h);
    for (size_t i = k & (W->nslots - 1);; i = (i + 1) & (W->nslots - 1)) {
        if (W->keys[i] == k) return &W->rows[W->idx[i]];
        if (!W->keys[i]) return NULL;
    }
}

static rc_status weights_rehash(weights *W, size_t nslots) {
    uint64_t *keys = rc_malloc(W->alc, nslots * sizeof *keys);
    uint32_t *idx = rc_malloc(W->alc, nslots * sizeof *idx);
    if (!keys || !idx) {
        rc_free(W->alc, keys);
        rc_free(W->alc, idx);
        return RC_ENOMEM;
    }
    memset(keys, 0, nslots * sizeof *keys);
    for (size_t j = 0; j < W->nslots; j++) {
        if (!W->keys[j]) continue;
        size_t i = W->keys[j] & (nslots - 1);
        while (keys[i]) i = (i + 1) & (nslots - 1);
        keys[i] = W->keys[j];
        idx[i] = W->idx[j];
    }
    rc_free(W->alc, W->keys);
    rc_free(W->alc, W->idx);
    W->keys = keys;
    W->idx = idx;
    W->nslots = nslots;
    return RC_OK;
}

static wrow *weights_add(weights *W, uint64_t h) {
    wrow *r = weights_find(W, h);
    if (r) return r;
    if ((W->nrows + 1) * 2 > W->nslots &&
        weights_rehash(W, W->nslots ? W->nslots * 2 : 1024))
        return NULL;
    if (W->nrows >= UINT32_MAX ||
        rc_grow(W->alc, (void **)&W->rows, &W->rows_cap, W->nrows + 1, sizeof *W->rows))
        return NULL;
    uint64_t k = wkey(h);
    size_t i = k & (W->nslots - 1);
    while (W->keys[i]) i = (i + 1) & (W->nslots - 1);
    W->keys[i] = k;
    W->idx[i] = (uint32_t)W->nrows;
    r = &W->rows[W->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

static void weights_score(const void *model, const uint64_t *f, size_t nf,
                          int32_t *s) {
    for (size_t j = 0; j < nf; j++) {
        const wrow *r = weights_find(model, f[j]);
        if (r)
            for (int c = 0; c < RC_TAG_CLASSES; c++) s[c] += r->w[c];
    }
}

static void weights_update(void *model, const uint64_t *f, size_t nf, int gold,
                           int pred) {
    weights *W = model;
    for (size_t j = 0; j < nf; j++) {
        wrow *r = weights_add(W, f[j]);
        if (!r) {
            W->failed = 1;
            return;
        }
        r->w[gold]++;
        r->u[gold] += W->t;
        r->w[pred]--;
        r->u[pred] -= W->t;
    }
}

/* MARK: - Model bytes ---------------------------------------------------------- */

static void put_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_key(const unsigned char *slots, size_t i) {
    const unsigned char *p = slots + 8 * i;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

typedef struct kept {
    uint64_t key;
    uint32_t row;
} kept;

static int kept_cmp(const void *x, const void *y) {
    const kept *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key;
}

static double avg_weight(const weights *W, const wrow *r, int c) {
    return (double)r->w[c] - (double)r->u[c] / (double)W->t;
}

/* The averaged, quantised model as file bytes. */
static rc_status build_model(const weights *W, unsigned char **out,
                             size_t *out_len) {
    double maxabs = 0;
    for (size_t j = 0; j < W->nrows; j++)
        for (int c = 0; c < RC_TAG_CLASSES; c++) {
            double a = fabs(avg_weight(W, &W->rows[j], c));
            if (a > maxabs) maxabs = a;
        }
    double scale = maxabs > 0 ? maxabs / 32767.0 : 1.0;
    kept *k = rc_malloc(W->alc, (W->nrows ? W->nrows : 1) * sizeof *k);
    int16_t *q = rc_malloc(W->alc, (W->nrows ? W->nrows : 1) * RC_TAG_CLASSES * sizeof *q);
    if (!k || !q) {
        rc_free(W->alc, k);
        rc_free(W->alc, q);
        return RC_ENOMEM;
    }
    size_t nk = 0;
    for (size_t s = 0; s < W->nslots; s++) {
        if (!W->keys[s]) continue;
        const wrow *r = &W->rows[W->idx[s]];
        int16_t *row = q + nk * RC_TAG_CLASSES;
        int any = 0;
        for (int c = 0; c < RC_TAG_CLASSES; c++) {
            row[c] = (int16_t)lrint(avg_weight(W, r, c) / scale);
            any |= row[c] != 0;
        }
        if (any) {
            k[nk] = (kept){W->keys[s], (uint32_t)nk};
            nk++;
        }
    }
    qsort(k, nk, sizeof *k, kept_cmp);
    uint32_t lg = 0;
    while (((size_t)1 << lg) < nk * 2 || lg < 1) lg++;
    size_t nslots = (size_t)1 << lg;
    size_t len = RC_MODEL_HEADER + nslots * 8 + nk * RC_TAG_CLASSES * 2;
    unsigned char *m = rc_malloc(W->alc, len);
    if (!m) {
        rc_free(W->alc, k);
        rc_free(W->alc, q);
        return RC_ENOMEM;
    }
    memset(m, 0, len);
    memcpy(m, RC_MODEL_MAGIC, 8);
    put_u32(m + 8, RC_MODEL_VERSION);
    put_u32(m + 12, RC_MODEL_FEATURES);
    put_u32(m + 16, RC_TAG_CLASSES);
    put_u32(m + 20, lg);
    float fs = (float)scale;
    uint32_t fbits;
    memcpy(&fbits, &fs, 4);
    put_u32(m + 28, fbits);
    unsigned char *slots = m + RC_MODEL_HEADER, *rows = slots + nslots * 8;
    uint32_t nrows = 0;
    for (size_t j = 0; j < nk; j++) {
        uint32_t key = rc_model_key(k[j].key);
        size_t i = k[j].key & (nslots - 1);
        int dup = 0;
        for (; get_key(slots, i); i = (i + 1) & (nslots - 1)) dup |= get_key(slots, i) == key;
        if (dup) continue; /* the same 32-bit key in one chain: keep the first */
        put_u32(slots + 8 * i, key);
        put_u32(slots + 8 * i + 4, nrows);
        const int16_t *row = q + (size_t)k[j].row * RC_TAG_CLASSES;
        for (int c = 0; c < RC_TAG_CLASSES; c++) {
            uint16_t v = (uint16_t)row[c];
            rows[2 * ((size_t)nrows * RC_TAG_CLASSES + c)] = (unsigned char)v;
            rows[2 * ((size_t)nrows * RC_TAG_CLASSES + c) + 1] = (unsigned char)(v >> 8);
        }
        nrows++;
    }
    put_u32(m + 24, nrows);
    *out_len = RC_MODEL_HEADER + nslots * 8 + (size_t)nrows * RC_TAG_CLASSES * 2;
    *out = m;
    rc_free(W->alc, k);
    rc_free(W->alc, q);
    return RC_OK;
}

/* MARK: - Evaluation and the training loop ---------------------------------- */

/* Exact-match span counts of tags against gold over one sentence. */
static void count_spans(const uint8_t *tags, const uint8_t *gold, size_t n,
                        size_t *tp, size_t *np, size_t *ng) {
    for (size_t i = 0; i < n; i++) {
        int p = tags[i], g = gold[i];
        int ps = p && (rc_tag_pos(p) == RC_TAG_B || rc_tag_pos(p) == RC_TAG_U);
        int gs = g && (rc_tag_pos(g) == RC_TAG_B || rc_tag_pos(g) == RC_TAG_U);
        *np += ps;
        *ng += gs;
        if (!ps || !gs || p != g) continue;
        size_t j = i;
        while (j < n && tags[j] == gold[j] && rc_tag_pos(tags[j]) != RC_TAG_L &&
               rc_tag_pos(tags[j]) != RC_TAG_U)
            j++;
        *tp += j < n && tags[j] == gold[j];
    }
}

static rc_status prepare(rc_tagwork *tw, const dataset *d, const tsent *s) {
    if (s->first) rc_tagwork_doc_begin(tw);
    return rc_tagwork_prepare(tw, d->texts + s->text_off, d->toks + s->tok_begin,
                              d->tin + s->tok_begin, s->ntok);
}

/* F1 (x 1e6, an integer) of a model's bytes on d. */
static rc_status evaluate(const unsigned char *m, size_t len, const dataset *d,
                          rc_tagwork *tw, uint8_t *tags, double *f1, double *p,
                          double *r) {
    rc_tagger *tg = NULL;
    rc_status rc = rc_tagger_open(m, len, d->alc, &tg, NULL);
    if (rc) return rc;
    size_t tp = 0, np = 0, ng = 0;
    for (size_t k = 0; k < d->ns && rc == RC_OK; k++) {
        const tsent *s = &d->s[k];
        if ((rc = prepare(tw, d, s))) break;
        rc_tagger_tag(tg, tw, tags);
        count_spans(tags, d->gold + s->tok_begin, s->ntok, &tp, &np, &ng);
    }
    rc_tagger_free(tg);
    *p = np ? (double)tp / (double)np : 0;
    *r = ng ? (double)tp / (double)ng : 0;
    *f1 = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
    return rc;
}

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void shuffle(uint32_t *order, size_t n, uint64_t *state) {
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(splitmix64(state) % i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
}

static void progress(const rc_train_opts *o, const char *fmt, ...) RC_PRINTF(2, 3);
static void progress(const rc_train_opts *o, const char *fmt, ...) {
    if (!o->progress) return;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    o->progress(o->progress_ctx, buf);
}

typedef struct trainer {
    const rc_allocator *alc;
    rc_gazetteer *g;
    rc_docres *r;
    dataset train, dev;
    weights W;
    rc_tagwork tw;
    uint8_t *tags;
    uint32_t *order;
    unsigned char *best;
    size_t best_len;
} trainer;

static void trainer_free(trainer *t) {
    dataset_free(&t->train);
    dataset_free(&t->dev);
    rc_free(t->alc, t->W.keys);
    rc_free(t->alc, t->W.idx);
    rc_free(t->alc, t->W.rows);
    rc_tagwork_free(&t->tw);
    rc_free(t->alc, t->tags);
    rc_free(t->alc, t->order);
    rc_free(t->alc, t->best);
    rc_docres_free(t->r);
    rc_gazetteer_free(t->g);
}

/* One pass over the training documents in a shuffled order (sentences in
** their order: the history features need it). */
static rc_status epoch(trainer *t, uint64_t *state) {
    const dataset *d = &t->train;
    shuffle(t->order, d->ndocs, state);
    for (size_t k = 0; k < d->ndocs; k++) {
        size_t first = d->doc_first[t->order[k]];
        size_t end = t->order[k] + 1 < d->ndocs ? d->doc_first[t->order[k] + 1] : d->ns;
        for (size_t j = first; j < end; j++) {
            const tsent *s = &d->s[j];
            rc_status rc = prepare(&t->tw, d, s);
            if (rc) return rc;
            t->W.t++;
            rc_tag_decode(&t->tw, weights_score, &t->W, t->tags,
                          d->gold + s->tok_begin, weights_update, &t->W);
            if (t->W.failed) return RC_ENOMEM;
        }
    }
    return RC_OK;
}

static rc_status train_loop(trainer *t, const rc_train_opts *o, int has_dev) {
    unsigned epochs = o->epochs ? o->epochs : 12;
    uint64_t state = o->seed ? o->seed : 0x52454c434f5245ull;
    double best_f1 = -1;
    for (unsigned e = 1; e <= epochs; e++) {
        rc_status rc = epoch(t, &state);
        unsigned char *m = NULL;
        size_t len = 0;
        if (rc == RC_OK) rc = build_model(&t->W, &m, &len);
        if (rc) return rc;
        double f1 = 0, p = 0, r = 0;
        if (has_dev && (rc = evaluate(m, len, &t->dev, &t->tw, t->tags, &f1, &p, &r))) {
            rc_free(t->alc, m);
            return rc;
        }
        int better = !has_dev || f1 > best_f1;
        if (has_dev)
            progress(o, "epoch %u: dev precision %.4f recall %.4f f1 %.4f, "
                     "%u features%s", e, p, r, f1, get_key(m + 24, 0),
                     better ? " (best)" : "");
        else
            progress(o, "epoch %u: %zu bytes", e, len);
        if (better) {
            rc_free(t->alc, t->best);
            t->best = m;
            t->best_len = len;
            best_f1 = f1;
        } else {
            rc_free(t->alc, m);
        }
    }
    return RC_OK;
}

rc_status rc_tagger_train(const char *train, size_t len, const char *dev,
                          size_t dev_len, const rc_train_opts *opts,
                          const rc_allocator *alc, unsigned char **model,
                          size_t *model_len, rc_error *err) {
    rc_train_opts o = {0, 0, NULL, NULL};
    if (opts) o = *opts;
    trainer t;
    memset(&t, 0, sizeof t);
    t.alc = alc;
    t.train.alc = t.dev.alc = t.W.alc = t.tw.alc = alc;
    *model = NULL;
    *model_len = 0;
    rc_status rc = rc_gazetteer_new(1, alc, &t.g, err);
    if (rc == RC_OK) rc = rc_gazetteer_freeze(t.g, err);
    if (rc == RC_OK) rc = rc_docres_new(t.g, alc, &t.r);
    if (rc == RC_OK) rc = rc_docres_set_ner(t.r, RC_NER_RULES, NULL);
    if (rc == RC_OK) rc = load_conll(&t.train, train, len, t.r, err);
    if (rc == RC_OK && dev) rc = load_conll(&t.dev, dev, dev_len, t.r, err);
    if (rc == RC_OK && !t.train.ns)
        rc = rc_error_set(err, RC_EINVAL, 0, "no training sentences");
    size_t maxn = 1;
    for (size_t k = 0; rc == RC_OK && k < t.train.ns; k++)
        if (t.train.s[k].ntok > maxn) maxn = t.train.s[k].ntok;
    for (size_t k = 0; rc == RC_OK && k < t.dev.ns; k++)
        if (t.dev.s[k].ntok > maxn) maxn = t.dev.s[k].ntok;
    if (rc == RC_OK) {
        t.tags = rc_malloc(alc, maxn);
        t.order = rc_malloc(alc, (t.train.ndocs + 1) * sizeof *t.order);
        if (!t.tags || !t.order) rc = RC_ENOMEM;
    }
    if (rc == RC_OK) {
        for (size_t k = 0; k < t.train.ndocs; k++) t.order[k] = (uint32_t)k;
        progress(&o, "train: %zu sentences, %zu tokens; dev: %zu sentences, %zu tokens",
                 t.train.ns, t.train.ntok, t.dev.ns, t.dev.ntok);
        rc = train_loop(&t, &o, dev != NULL);
    }
    if (rc == RC_OK) {
        *model = t.best;
        *model_len = t.best_len;
        t.best = NULL;
    }
    trainer_free(&t);
    return rc;
}
