/*
** test_tagger.c -- the learned tagger: model files (the built-in one, and
** refusals of bad ones), deterministic training in memory, valid BILOU
** sequences from the decoder on generated sentences, a tagwork's word
** cache across a change of model, and training that fails cleanly at
** every allocation.
*/
#include <stdlib.h>
#include <string.h>

#include "rc_entity.h"
#include "rc_tagger.h"
#include "relcore.h"
#include "test.h"

/* Sentences we wrote, CoNLL-style: token and tag. */
static const char tiny[] =
    "-DOCSTART- O\n\n"
    "Marta I-PER\nKowal I-PER\nvisited O\nTallinn I-LOC\n. O\n\n"
    "The O\nBaltic I-ORG\nShipping I-ORG\nBoard I-ORG\nagreed O\n. O\n\n"
    "Kowal I-PER\nsaid O\nEstonian I-MISC\nports O\nwere O\nbusy O\n. O\n\n"
    "-DOCSTART- O\n\n"
    "Jonas I-PER\nPetrauskas I-PER\nof O\nNordline I-ORG\nFerries I-ORG\nagreed O\n. O\n\n"
    "Petrauskas I-PER\nflew O\nto O\nRiga I-LOC\nin O\nJuly O\n. O\n";

static void test_builtin(void) {
    rc_tagger *m = NULL;
    rc_error err = {0};
    TEST_COND("the built-in model opens", rc_tagger_builtin(NULL, &m, &err) == RC_OK && m);
    if (!m) return;
    char h1[17], h2[17];
    rc_tagger_hash(m, h1);
    rc_model_hash(h2);
    TEST_COND("hash is 16 hex digits", strlen(h1) == 16 && strspn(h1, "0123456789abcdef") == 16);
    TEST_COND("rc_model_hash is the built-in model's", !strcmp(h1, h2));
    TEST_COND("the model is under 20 MB", rc_tagger_size(m) <= 20u << 20);
    rc_tagger_free(m);
    rc_tagger_free(NULL);
}

static rc_status open_bytes(const unsigned char *src, size_t len, rc_error *err) {
    /* a malloc'd copy: 4-byte aligned like a file read into memory */
    unsigned char *p = malloc(len ? len : 1);
    memcpy(p, src, len);
    rc_tagger *m = NULL;
    rc_status rc = rc_tagger_open(p, len, NULL, &m, err);
    rc_tagger_free(m);
    free(p);
    return rc;
}

static void test_refusals(const unsigned char *model, size_t len) {
    rc_error err = {0};
    TEST_COND("a good copy opens", open_bytes(model, len, &err) == RC_OK);
    TEST_COND("an empty file is refused", open_bytes(model, 0, &err) == RC_EPARSE);
    unsigned char *bad = malloc(len);
    memcpy(bad, model, len);
    bad[0] = 'X';
    TEST_COND("another magic is refused", open_bytes(bad, len, &err) == RC_EPARSE);
    memcpy(bad, model, len);
    bad[8] = 2;
    memset(&err, 0, sizeof err);
    TEST_COND("another version is refused", open_bytes(bad, len, &err) == RC_EVERSION);
    TEST_COND("the message names both versions",
              strstr(err.msg, "version 2") && strstr(err.msg, "reads version 1"));
    memcpy(bad, model, len);
    bad[12] = 99;
    TEST_COND("another feature set is refused", open_bytes(bad, len, &err) == RC_EVERSION);
    TEST_COND("a truncated file is refused", open_bytes(model, len - 1, &err) == RC_EPARSE);
    memcpy(bad, model, len);
    bad[20] = 31;
    TEST_COND("a slot count past the file is refused", open_bytes(bad, len, &err) == RC_EPARSE);
    free(bad);
}

static int valid_bilou(const uint8_t *tags, size_t n) {
    int prev = 0;
    for (size_t i = 0; i < n; i++) {
        int c = tags[i];
        if (c >= RC_TAG_CLASSES) return 0;
        int open = prev && rc_tag_pos(prev) <= RC_TAG_I;
        int cont = c && (rc_tag_pos(c) == RC_TAG_I || rc_tag_pos(c) == RC_TAG_L);
        if (open != cont) return 0;
        if (cont && rc_tag_type(c) != rc_tag_type(prev)) return 0;
        prev = c;
    }
    return !(prev && rc_tag_pos(prev) <= RC_TAG_I);
}

/* Generated sentences from a pool of words: every decoded sequence is a
** valid BILOU sequence. */
static void test_decoder_sequences(const rc_tagger *m) {
    static const char *const pool[] = {
        "Marta", "Kowal", "of", "the", "Bank", "said", "and", "Tallinn", "1996",
        "UN", "talks", ",", ".", "New", "York", "&", "Co", "in", "de", "IRAN"};
    rc_tagwork tw;
    memset(&tw, 0, sizeof tw);
    uint64_t state = 12345;
    int all_valid = 1, any_name = 0;
    for (int s = 0; s < 2000; s++) {
        char text[1024];
        rc_token toks[24];
        rc_tagtok in[24];
        uint8_t tags[24];
        size_t n = 1 + (size_t)(s % 23), pos = 0;
        rc_tagwork_doc_begin(&tw);
        for (size_t i = 0; i < n; i++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            const char *w = pool[(state >> 33) % (sizeof pool / sizeof *pool)];
            size_t len = strlen(w);
            memcpy(text + pos, w, len);
            unsigned char c0 = (unsigned char)w[0];
            toks[i] = (rc_token){(uint32_t)pos, (uint32_t)(pos + len),
                                 c0 >= '0' && c0 <= '9' ? RC_TOK_NUMBER
                                 : (c0 == ',' || c0 == '.' || c0 == '&') ? RC_TOK_PUNCT
                                                                         : RC_TOK_WORD,
                                 (uint8_t)(c0 >= 'A' && c0 <= 'Z' ? RC_TF_UPPER_INITIAL : 0)};
            in[i] = (rc_tagtok){(uint8_t)((state >> 20) % 7 == 0 ? 1 + 4 * RC_GPE + RC_TAG_U : 0),
                                (uint8_t)((state >> 40) & 0x8), 0};
            pos += len;
            text[pos++] = ' ';
        }
        text[pos] = 0;
        if (rc_tagwork_prepare(&tw, text, toks, in, n) != RC_OK) continue;
        rc_tagger_tag(m, &tw, tags);
        all_valid &= valid_bilou(tags, n);
        for (size_t i = 0; i < n; i++) any_name |= tags[i] != 0;
    }
    TEST_COND("every decoded sequence is valid BILOU", all_valid);
    TEST_COND("some names are found", any_name);
    rc_tagwork_free(&tw);
}

/* Tag "Jonas Petrauskas of Nordline Ferries agreed ." with m in w: into
** tags[7]; whether any token is part of a name. */
static int tag_sentence(const rc_tagger *m, rc_tagwork *w, uint8_t *tags) {
    static const char text[] = "Jonas Petrauskas of Nordline Ferries agreed .";
    rc_token toks[7];
    rc_tagtok in[7];
    size_t n = 0, pos = 0;
    while (n < 7) {
        size_t end = pos;
        while (text[end] && text[end] != ' ') end++;
        int cap = text[pos] >= 'A' && text[pos] <= 'Z';
        toks[n] = (rc_token){(uint32_t)pos, (uint32_t)end,
                             text[pos] == '.' ? RC_TOK_PUNCT : RC_TOK_WORD,
                             (uint8_t)(cap ? RC_TF_UPPER_INITIAL : 0)};
        in[n++] = (rc_tagtok){0, 0, 0};
        pos = end + 1;
    }
    rc_tagwork_doc_begin(w);
    if (rc_tagwork_prepare(w, text, toks, in, n) != RC_OK) return -1;
    rc_tagger_tag(m, w, tags);
    int any = 0;
    for (size_t i = 0; i < n; i++) any |= tags[i] != 0;
    return any;
}

/* One tagwork used with a model, another model (its rows all zero: every
** token O), then the first again: the word cache (rc_tagger_tag) keeps no
** sums of a model across a change of model. */
static void test_word_cache(const unsigned char *model, size_t len) {
    unsigned char *a = malloc(len), *z = malloc(len);
    memcpy(a, model, len);
    memcpy(z, model, len);
    uint32_t lg = (uint32_t)z[20] | (uint32_t)z[21] << 8 | (uint32_t)z[22] << 16;
    size_t rows = RC_MODEL_HEADER + ((size_t)8 << lg);
    memset(z + rows, 0, len - rows);
    rc_tagger *ma = NULL, *mz = NULL;
    rc_tagwork w;
    memset(&w, 0, sizeof w);
    uint8_t t1[7], t2[7], t3[7];
    if (rc_tagger_open(a, len, NULL, &ma, NULL) == RC_OK &&
        rc_tagger_open(z, len, NULL, &mz, NULL) == RC_OK) {
        TEST_COND("the model finds a name", tag_sentence(ma, &w, t1) == 1);
        TEST_COND("a model of zeros finds none after it", tag_sentence(mz, &w, t2) == 0);
        TEST_COND("the first model again tags alike",
                  tag_sentence(ma, &w, t3) == 1 && !memcmp(t1, t3, sizeof t1));
    } else {
        TEST_COND("both models open", 0);
    }
    rc_tagwork_free(&w);
    rc_tagger_free(ma);
    rc_tagger_free(mz);
    free(a);
    free(z);
}

static void test_training(void) {
    rc_train_opts o = {5, 0, NULL, NULL};
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    rc_error err = {0};
    TEST_COND("training works",
              rc_tagger_train(tiny, sizeof tiny - 1, tiny, sizeof tiny - 1, &o, NULL, &a,
                              &na, &err) == RC_OK);
    TEST_COND("training again works",
              rc_tagger_train(tiny, sizeof tiny - 1, tiny, sizeof tiny - 1, &o, NULL, &b,
                              &nb, &err) == RC_OK);
    TEST_COND("the same data give the same bytes", na == nb && a && b && !memcmp(a, b, na));
    if (a) test_refusals(a, na);
    rc_tagger *m = NULL;
    if (a && rc_tagger_open(a, na, NULL, &m, &err) == RC_OK) {
        test_decoder_sequences(m);
        rc_tagger_free(m);
        test_word_cache(a, na);
    }
    free(a);
    free(b);
    memset(&err, 0, sizeof err);
    static const char bad[] = "Tallinn I-LOC\nport I-PLACE\n";
    TEST_COND("an unknown tag is a parse error on its line",
              rc_tagger_train(bad, sizeof bad - 1, NULL, 0, &o, NULL, &a, &na, &err) ==
                      RC_EPARSE &&
                  err.byte_pos == 2 && !a);
}

/* An allocator that fails the Nth allocation. */
typedef struct faults {
    long left;
} faults;

static void *f_malloc(void *ctx, size_t n) {
    faults *f = ctx;
    return f->left-- == 0 ? NULL : malloc(n);
}
static void *f_realloc(void *ctx, void *p, size_t n) {
    faults *f = ctx;
    return f->left-- == 0 ? NULL : realloc(p, n);
}
static void f_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

static void test_training_faults(void) {
    rc_train_opts o = {2, 0, NULL, NULL};
    int clean = 1, succeeded = 0;
    for (long nth = 0; nth < 100000 && !succeeded; nth++) {
        faults f = {nth};
        rc_allocator alc = {f_malloc, f_realloc, f_free, &f};
        unsigned char *m = NULL;
        size_t n = 0;
        rc_status rc = rc_tagger_train(tiny, sizeof tiny - 1, tiny, sizeof tiny - 1, &o,
                                       &alc, &m, &n, NULL);
        if (rc == RC_OK) {
            succeeded = 1;
            f_free(NULL, m);
        } else {
            clean &= rc == RC_ENOMEM && m == NULL;
        }
    }
    TEST_COND("a failed allocation fails training with RC_ENOMEM", clean);
    TEST_COND("training succeeds once allocations do", succeeded);
}

int main(void) {
    test_builtin();
    test_training();
    test_training_faults();
    return TEST_REPORT();
}
