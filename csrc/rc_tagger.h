/*
** rc_tagger.h -- private interface of the learned entity tagger between the
** tagger (rc_tagger.c: features, decoding, model files), its trainer
** (rc_train.c) and the recognizer (rc_ner.c), which feeds it per-token
** facts it already knows (gazetteer matches, word classes) and turns its
** spans into mentions.
**
** Sentences of a document are tagged in order with one rc_tagwork, after
** rc_tagwork_doc_begin: the labels given to a word earlier in the document
** are features of its later occurrences.
**
** Tags are BILOU over four CoNLL types: class 0 is O, class 1 + 4*type +
** pos is pos (B, I, L, U) of type (PER, ORG, LOC, MISC).
*/
#ifndef RC_TAGGER_H
#define RC_TAGGER_H

#include "rc_internal.h"

#define RC_TAG_TYPES 4   /* PER, ORG, LOC, MISC */
#define RC_TAG_CLASSES 17 /* O + 4 types x BILOU */
enum { RC_TAG_B = 0, RC_TAG_I, RC_TAG_L, RC_TAG_U };
static inline int rc_tag_type(int cls) { return (cls - 1) >> 2; }
static inline int rc_tag_pos(int cls) { return (cls - 1) & 3; }
static inline int rc_tag_class(int type, int pos) { return 1 + 4 * type + pos; }

/* What the recognizer knows about one token before tagging. */
typedef struct rc_tagtok {
    uint8_t gaz;    /* 0, or 1 + 4 * mention type (rc_etype) + BILOU position
                       of the token in a gazetteer mention */
    uint8_t cls;    /* RC_WC_* word classes */
    uint8_t common; /* capitalised here, but written in lower case elsewhere
                       in the document */
} rc_tagtok;

/* Scratch memory of one tagging thread: per-token hashes of a sentence,
** the document's history (per word, how often each label was given to it
** earlier in the document), and a cache of the summed rows of words'
** features in the model last used (rc_tagger_tag).  Zero-initialise;
** rc_tagwork_free releases it. */
typedef struct rc_tagwork {
    const rc_allocator *alc;
    struct tagtok_h *t;
    size_t n, cap;
    const char *text;     /* the prepared sentence's, borrowed until it */
    const rc_token *toks; /* is decoded */
    uint32_t *scorable;   /* the tokens that may be scored, in order */
    size_t nscorable, scorable_cap;
    int head;             /* the prepared sentence is all capitals */
    struct taghist *hist; /* open addressing by word hash */
    size_t hist_n, hist_cap;
    uint32_t hist_gen;    /* the document's stamp: other entries are empty */
    int hist_failed;      /* the history could not grow: it stops learning */
    struct tagword *words; /* rc_tagger_tag's cache of words' summed rows */
    uint64_t words_model;  /* the id of the model they are sums of */
} rc_tagwork;

void rc_tagwork_free(rc_tagwork *w);
/* Start a new document: forget the history. */
void rc_tagwork_doc_begin(rc_tagwork *w);

/* Scores of the classes for a token's features: adds each feature's row
** of weights to scores[RC_TAG_CLASSES].  model is the scorer's own. */
typedef void (*rc_tag_scorer)(const void *model, const uint64_t *feats,
                              size_t nfeats, int32_t *scores);

/* Compute the hashes of the sentence toks[0..n) of text, with the facts
** in[0..n); text and toks must live until the sentence is decoded.
** RC_ENOMEM leaves w usable. */
rc_status rc_tagwork_prepare(rc_tagwork *w, const char *text,
                             const rc_token *toks, const rc_tagtok *in,
                             size_t n);

/* Greedy left-to-right decoding of the prepared sentence: tags[0..n) get
** a valid BILOU sequence.  When gold is not NULL (training), update is
** called at every token whose predicted class differs from gold[i], with
** the features, the gold and the predicted class; decoding continues with
** the predicted class. */
typedef void (*rc_tag_update)(void *model, const uint64_t *feats,
                              size_t nfeats, int gold, int pred);
void rc_tag_decode(rc_tagwork *w, rc_tag_scorer score,
                   const void *model, uint8_t *tags, const uint8_t *gold,
                   rc_tag_update update, void *umodel);

/* Tag the prepared sentence with a loaded model, as rc_tag_decode does
** with the model's weights.  w's word cache (rc_tagger.c) keeps sums of
** m's rows; tagging with another model (another id) empties it. */
void rc_tagger_tag(const rc_tagger *m, rc_tagwork *w, uint8_t *tags);

/* Layout of a model file (version 1), all little-endian:
**   0  "RCTAGGER"          magic, 8 bytes
**   8  u32 format version  (RC_MODEL_VERSION)
**  12  u32 feature set     (RC_MODEL_FEATURES: how features are hashed)
**  16  u32 classes         (RC_TAG_CLASSES)
**  20  u32 log2 slots
**  24  u32 rows
**  28  f32 scale           (a weight is its int16 times scale)
**  32  slots: u32 key, u32 row, one pair a slot (key 0 = empty)
**      rows: classes x int16 each
** A feature's 64-bit hash h sits at slot h mod slots or after it (linear
** probing) with key (h >> 32) | 1. */
#define RC_MODEL_MAGIC "RCTAGGER"
#define RC_MODEL_VERSION 1u
#define RC_MODEL_FEATURES 2u
#define RC_MODEL_HEADER 32u

static inline uint32_t rc_model_key(uint64_t h) { return (uint32_t)(h >> 32) | 1u; }

/* Training (rc_train.c) needs the analysis up to the recognizer
** (rc_docres_layout, relcore.h) and the per-token facts: */
/* The gazetteer stage and the token facts of r's document: one rc_tagtok
** per token into *out (grown as needed; the caller frees it). */
rc_status rc_ner_tag_inputs(rc_docres *r, const char *text, rc_tagtok **out,
                            size_t *cap);

#endif /* RC_TAGGER_H */
