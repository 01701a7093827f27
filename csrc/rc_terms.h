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
** interning again.  Open addressing over slots at most half full, placed
** by the word's rc_unit_hash; a word of at most 8 bytes is told apart by
** its length and `key`, the loads that hash reads (which with the length
** determine the bytes), with no memcmp; a longer one by its hash as `key`
** and then its bytes, kept in one arena. */
typedef struct rc_term_slot {
    uint64_t key;   /* up to 8 bytes: the word's loads; longer: its hash */
    uint32_t id;    /* term id + 1; 0 = empty slot */
    uint32_t len;
    uint32_t off;   /* the word's bytes in the arena */
} rc_term_slot;

typedef struct rc_term_cache {
    const rc_allocator *alc;
    rc_term_slot *slots;
    size_t n, cap; /* cap: a power of two, or 0 */
    char *bytes;
    size_t nbytes, bytes_cap;
    char *scratch; /* a term's bytes */
    size_t scratch_cap;
} rc_term_cache;

void rc_term_cache_init(rc_term_cache *tc, const rc_allocator *alc);
void rc_term_cache_free(rc_term_cache *tc);

/* The id in terms (the corpus's term table, type MISC) of the term of the
** word token tok of text, interned when new.  On failure (RC_ENOMEM,
** RC_ELIMIT) terms may hold the new term; the cache is consistent. */
rc_status rc_term_intern(rc_term_cache *tc, rc_entities *terms, const char *text,
                         const rc_token *tok, uint32_t *id);

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
