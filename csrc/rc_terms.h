/*
** rc_terms.h -- private: the terms of `--terms` (lower-cased words) and
** stop-word sets, shared by rc_corpus.c (which keeps term occurrences)
** and rc_query.c (which counts them).
*/
#ifndef RC_TERMS_H
#define RC_TERMS_H

#include "rc_internal.h"

/* Whether a token makes a term: words only (no numbers, punctuation, URLs,
** addresses, handles or hashtags). */
int rc_term_token(const rc_token *tok);

/* The term of tok: its normalised text in lower case, written at the
** start of *buf (grown as needed, capacity *cap); its length in *len. */
rc_status rc_term_text(const char *text, const rc_token *tok, char **buf,
                       size_t *cap, const rc_allocator *alc, size_t *len);

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
