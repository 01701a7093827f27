/*
** rc_internal.h -- private helpers shared by the core's .c files: branch
** hints, assertions for defensive branches, allocation through the one
** rc_allocator hook, overflow-checked growth of arrays, and the error
** filler.  Never included by adapters (cli.c, pyext/).
*/
#ifndef RC_INTERNAL_H
#define RC_INTERNAL_H

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "relcore.h"

/* ALWAYS_INLINE: a function a hot loop is written with, which must be
** inlined (and may be, with other arguments, into two callers: a loop
** with and without an option); NOINLINE: a rare case kept out of it. */
#if defined(__GNUC__) || defined(__clang__)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define RC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define likely(x) (x)
#define unlikely(x) (x)
#define RC_PRINTF(a, b)
#define ALWAYS_INLINE inline
#define NOINLINE
#endif

/* RC_ALWAYS(X): a condition that always holds; the branch for it not
** holding is defensive.  Debug builds assert it. */
#ifdef NDEBUG
#define RC_ALWAYS(X) (X)
#define RC_NEVER(X) (X)
#else
#define RC_ALWAYS(X) ((X) ? 1 : (assert(0), 0))
#define RC_NEVER(X) ((X) ? (assert(0), 1) : 0)
#endif

#define RC_ALC(a) ((a) ? (a) : rc_allocator_default())

static inline void *rc_malloc(const rc_allocator *a, size_t n) {
    a = RC_ALC(a);
    return a->malloc(a->ctx, n ? n : 1);
}
static inline void *rc_realloc(const rc_allocator *a, void *p, size_t n) {
    a = RC_ALC(a);
    return a->realloc(a->ctx, p, n ? n : 1);
}
/* n zeroed records of `size` bytes (NULL on failure or overflow).  With
** the default allocator this is calloc, which takes fresh pages from the
** system as they are, zero, without writing them: a large table that is
** used sparsely costs only the pages it touches. */
void *rc_calloc(const rc_allocator *a, size_t n, size_t size);
static inline void rc_free(const rc_allocator *a, void *p) {
    if (p) {
        a = RC_ALC(a);
        a->free(a->ctx, p);
    }
}

/* Make room for at least `need` elements of `size` bytes in *pv (capacity
** *pcap), doubling.  On failure *pv and *pcap are unchanged and RC_ENOMEM
** is returned.  Overflow-checked. */
static inline rc_status rc_grow(const rc_allocator *a, void **pv,
                                size_t *pcap, size_t need, size_t size) {
    if (need <= *pcap) return RC_OK;
    size_t cap = *pcap ? *pcap : 16;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) return RC_ENOMEM;
        cap *= 2;
    }
    if (cap > SIZE_MAX / size) return RC_ENOMEM;
    void *p = rc_realloc(a, *pv, cap * size);
    if (!p) return RC_ENOMEM;
    *pv = p;
    *pcap = cap;
    return RC_OK;
}

/* Fill err (may be NULL) and return code. */
rc_status rc_error_set(rc_error *err, rc_status code, size_t pos,
                       const char *fmt, ...) RC_PRINTF(4, 5);

/* The bytes at the end of buf[0..len) that begin a UTF-8 sequence cut
** short by the end (0 to 3): a block read ahead of more bytes holds them
** back, so repairing block by block equals repairing the whole. */
size_t rc_utf8_cut_tail(const char *buf, size_t len);

/* What rc_tokenize_hashed writes beside the tokens, for the recognizer's
** first pass (rc_ner.c's token_scan) and the sentence splitter
** (rc_split_listed); rc_tokenize_noted writes the splitter's list only.
** The lists have room for `cap` entries and `notable` for `ncap`, more
** than the tokens' out->cap (grown through out->alc with it): a token is
** listed as the splitter's before it is stored. */
typedef struct rc_token_side {
    uint64_t *hash; /* per token: rc_norm_hash(tok, lower_first 0), or 0 where
                       the tokenizer left it to be worked out (a token of the
                       general rules, not ASCII or longer than 16 bytes) */
    uint32_t *lower; /* the plain lower-case words (taken the short way, an
                        ASCII lower-case letter first, not hyphenated), in
                        order */
    uint32_t *words; /* the other words (RC_TOK_WORD), in order */
    uint32_t *paren; /* the tokens `(`, in order */
    uint32_t *notable; /* the tokens that may end a sentence or start a
                          paragraph: for rc_split_listed */
    size_t nlower, nwords, nparen, nnotable, cap, ncap;
} rc_token_side;

/* The tokens the sentence splitter looks at: punctuation (given a list,
** only what may end a sentence: rc_split_listed), and the tokens with
** one of these flags; it steps over the others. */
#define RC_SENT_NOTABLE (RC_TF_ABBREV | RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE)

/* rc_split_sentences, given the list of the tokens it must look at:
** notable[0..nnotable) are, in order and less `first`, the tokens of
** toks[0..n) that have an RC_SENT_NOTABLE flag or are punctuation that
** may end a sentence (starting with . ! ? or a byte past ASCII; more may
** be listed, no fewer), as rc_tokenize_hashed and rc_tokenize_noted
** list them (rc_token_side.notable); the same sentences, with no step
** over the tokens between. */
rc_status rc_split_listed(const char *text, const rc_token *toks, size_t n,
                          const uint32_t *notable, size_t nnotable, uint32_t first,
                          uint32_t first_paragraph, uint32_t *next_paragraph,
                          rc_sentences *out);

/* rc_tokenize, and each token appended entered in *side: its hash, and
** its index in the lists it belongs to (appended to, so that the regions
** of one document make one list each).  The caller empties the lists
** when it empties out: none may hold more entries than out has tokens,
** as their room is counted from out's. */
rc_status rc_tokenize_hashed(const char *text, size_t len, uint32_t base, rc_tokens *out,
                             rc_token_side *side);
/* rc_tokenize, and the tokens the sentence splitter looks at appended to
** side->notable (only: the other lists and the hashes are left as they
** are), for rc_split_listed: tokens and sentences with nothing else. */
rc_status rc_tokenize_noted(const char *text, size_t len, uint32_t base, rc_tokens *out,
                            rc_token_side *side);
void rc_token_side_free(const rc_allocator *alc, rc_token_side *side);

/* For tests/c/test_token.c: the token at i of text[0..len) as rc_tokenize
** takes it the short way (plain_word, or one code point with no rule to
** weigh), into *quick, end 0 where it leaves the token to the general
** rules, and as those rules make it (word_token, other_token) into
** *general; both end 0 where whitespace stands at i.  Offsets from text. */
void rc_token_both_ways(const char *text, size_t len, size_t i, rc_token *quick,
                        rc_token *general);

/* Duplicate bytes as a NUL-terminated string (NULL on ENOMEM). */
char *rc_strndup(const rc_allocator *a, const char *s, size_t n);

/* One measure of rc_measures_compute (which: RC_SORT_PMI ... JACCARD),
** the same bits as its field there, without the cost of the others. */
double rc_measure_value(rc_sort which, uint64_t n, uint64_t ca, uint64_t cb,
                        uint64_t cab);
/* llr of (ca, cb) and of (cb, ca) as rc_measures_compute gives them: its
** sum of four terms may round differently with a and b swapped. */
void rc_llr_both_ways(uint64_t n, uint64_t ca, uint64_t cb, uint64_t cab,
                      double *ab, double *ba);

#endif /* RC_INTERNAL_H */
