/*
** rc_terms.h -- private: the terms of `--terms` (lower-cased words) and
** stop-word sets, shared by rc_corpus.c (which keeps term occurrences)
** and rc_query.c (which counts them).
*/
#ifndef RC_TERMS_H
#define RC_TERMS_H

#include "rc_entity.h"

/* Whether a token makes a term: words only (no numbers, punctuation, URLs,
** addresses, handles or hashtags). */
static inline int rc_term_token(const rc_token *tok) { return tok->kind == RC_TOK_WORD; }

/* The term of tok: its normalised text in lower case, written at the
** start of *buf (grown as needed, capacity *cap); its length in *len. */
rc_status rc_term_text(const char *text, const rc_token *tok, char **buf,
                       size_t *cap, const rc_allocator *alc, size_t *len);

/* A corpus's word cache: the bytes of a word token as written -> its term
** id in the corpus's term table, so that a word seen before costs one
** inline hash and one compare, not normalising, lower-casing and
** interning again.  Open addressing over slots at most half full.  A word
** of at most 8 bytes is told apart by its length and `key`, its bytes as
** a little-endian number (which with the length determine them), with no
** memcmp; a longer one by its rc_unit_hash as `key` and then its bytes,
** kept in one arena.  A slot's place comes from its key and length alone
** (rc_term_slot_of: a multiplicative hash), so growing hashes no bytes. */
typedef struct rc_term_slot {
    uint64_t key;   /* up to 8 bytes: the word's value; longer: its hash */
    uint32_t id;    /* term id + 1; 0 = empty slot */
    uint32_t len;
    uint32_t off;   /* the word's bytes in the arena */
} rc_term_slot;

typedef struct rc_term_cache {
    const rc_allocator *alc;
    rc_term_slot *slots;
    size_t n, cap; /* cap: a power of two, or 0 */
    unsigned shift; /* 64 - log2(cap) */
    char *bytes;
    size_t nbytes, bytes_cap;
    char *scratch; /* a term's bytes */
    size_t scratch_cap;
} rc_term_cache;

void rc_term_cache_init(rc_term_cache *tc, const rc_allocator *alc);
/* Room for n words with no grow on the way.  On failure (RC_ENOMEM) the
** cache is unchanged. */
rc_status rc_term_cache_reserve(rc_term_cache *tc, size_t n);
/* Forget every word, keeping the memory. */
void rc_term_cache_clear(rc_term_cache *tc);
void rc_term_cache_free(rc_term_cache *tc);

/* The term id of a word the cache does not hold (cached 1: key is the
** word's, and it is remembered) or cannot (cached 0: joined across a line
** break), interned in terms when new: rc_term_intern's slow path.  On
** failure (RC_ENOMEM, RC_ELIMIT) terms may hold the new term; the cache
** is consistent. */
rc_status rc_term_intern_new(rc_term_cache *tc, rc_entities *terms, const char *text,
                             const rc_token *tok, int cached, uint64_t key, uint32_t *id);

#if defined(__GNUC__)
#define RC_TERM_INLINE static inline __attribute__((always_inline))
#else
#define RC_TERM_INLINE static inline
#endif

/* The cache's key of the word w[0..len) (len > 0): up to 8 bytes, its
** bytes as a little-endian number (rc_short_value); longer, its
** rc_unit_hash. */
RC_TERM_INLINE uint64_t rc_term_word_key(const char *w, size_t len) {
    const unsigned char *s = (const unsigned char *)w;
    if (len > 8) {
        uint64_t seen = 0;
        return rc_unit_hash_seen(s, len, &seen);
    }
    return rc_short_value(s, len);
}

/* rc_term_word_key of word token tok of text: a short word's value in one
** load (rc_token_short_value). */
RC_TERM_INLINE uint64_t rc_term_token_key(const char *text, const rc_token *tok) {
    uint64_t w;
    if (rc_token_short_value(text, tok, &w)) return w;
    return rc_term_word_key(text + tok->start, tok->end - tok->start);
}

/* The first slot to probe for a key and length (shift: the cache's). */
RC_TERM_INLINE size_t rc_term_slot_of(uint64_t key, size_t len, unsigned shift) {
    return (size_t)(((key ^ len) * 0x9E3779B97F4A7C15ull) >> shift);
}

/* Whether the cached word at s is w[0..len) (longer than 8 bytes, its
** key matched): out of line, so the lookup's registers stay its own. */
int rc_term_slot_bytes(const rc_term_cache *tc, const rc_term_slot *s, const char *w,
                       size_t len);

/* The id in terms (the corpus's term table, type MISC) of the term of the
** word token tok of text, interned when new.  The lookup of a word seen
** before is inline, for the loop over a document's tokens.  Failure as
** rc_term_intern_new. */
RC_TERM_INLINE rc_status rc_term_intern(rc_term_cache *tc, rc_entities *terms,
                                        const char *text, const rc_token *tok,
                                        uint32_t *id) {
    if (unlikely(tok->flags & RC_TF_LINE_JOINED))
        return rc_term_intern_new(tc, terms, text, tok, 0, 0, id);
    const char *w = text + tok->start;
    size_t len = tok->end - tok->start;
    uint64_t key = rc_term_token_key(text, tok);
    if (likely(tc->cap)) {
        const rc_term_slot *slots = tc->slots;
        size_t mask = tc->cap - 1, j = rc_term_slot_of(key, len, tc->shift);
        /* an empty slot's len is 0, and no word is empty */
        for (;; j = (j + 1) & mask) {
            const rc_term_slot *s = &slots[j];
            if (s->key == key && s->len == len) {
                if (likely(len <= 8) || rc_term_slot_bytes(tc, s, w, len)) {
                    *id = s->id - 1;
                    return RC_OK;
                }
            } else if (!s->id) {
                break;
            }
        }
    }
    return rc_term_intern_new(tc, terms, text, tok, 1, key, id);
}

typedef struct rc_stopwords {
    const rc_allocator *alc;
    uint64_t *slots; /* hashes of the words; 0 = empty */
    size_t n, cap;   /* cap: a power of two, or 0 */
} rc_stopwords;

/* Fill s from the file at path (one word a line, # comments; an empty file
** is no stop words), or from the built-in English list when path is NULL.
** On failure s holds nothing to free. */
rc_status rc_stopwords_load(rc_stopwords *s, const char *path,
                            const rc_allocator *alc, rc_error *err);
int rc_stopwords_has(const rc_stopwords *s, const char *w, size_t len);
void rc_stopwords_free(rc_stopwords *s);

#endif /* RC_TERMS_H */
