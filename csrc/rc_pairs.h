/*
** rc_pairs.h -- private: a counter over pairs of uint32 ids (a, b), by
** rc_query.c (co-occurrence tables) and rc_corpus.c (country votes).
**
** Open addressing over the packed key (a << 32 | b) + 1 (0 marks an
** empty slot), linear probing, at most half full; capacity a power of
** two.  A zeroed pair_table with its allocator set is empty and valid.
** A failed grow leaves the table as it was (RC_ENOMEM).
*/
#ifndef RC_PAIRS_H
#define RC_PAIRS_H

#include "rc_internal.h"

typedef struct pair_table {
    const rc_allocator *alc;
    uint64_t *keys; /* (a << 32 | b) + 1; 0 = empty */
    uint64_t *counts;
    size_t n, cap; /* cap: power of two */
} pair_table;

static inline uint64_t pair_hash(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
}

static inline rc_status pairs_grow(pair_table *p) {
    size_t cap = p->cap ? p->cap * 2 : 1024;
    uint64_t *keys = rc_malloc(p->alc, cap * sizeof *keys);
    uint64_t *counts = rc_malloc(p->alc, cap * sizeof *counts);
    if (!keys || !counts) {
        rc_free(p->alc, keys);
        rc_free(p->alc, counts);
        return RC_ENOMEM;
    }
    memset(keys, 0, cap * sizeof *keys);
    for (size_t i = 0; i < p->cap; i++) {
        if (!p->keys[i]) continue;
        size_t j = pair_hash(p->keys[i]) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = p->keys[i];
        counts[j] = p->counts[i];
    }
    rc_free(p->alc, p->keys);
    rc_free(p->alc, p->counts);
    p->keys = keys;
    p->counts = counts;
    p->cap = cap;
    return RC_OK;
}

/* Room for `more` new pairs: adding them then cannot fail. */
static inline rc_status pairs_reserve(pair_table *p, size_t more) {
    while ((p->n + more) * 2 > p->cap)
        if (pairs_grow(p)) return RC_ENOMEM;
    return RC_OK;
}

static inline rc_status pairs_add(pair_table *p, uint32_t a, uint32_t b, uint64_t by) {
    if ((p->n + 1) * 2 > p->cap && pairs_grow(p)) return RC_ENOMEM;
    uint64_t k = ((uint64_t)a << 32 | b) + 1;
    size_t j = pair_hash(k) & (p->cap - 1);
    while (p->keys[j] && p->keys[j] != k) j = (j + 1) & (p->cap - 1);
    if (!p->keys[j]) {
        p->keys[j] = k;
        p->counts[j] = 0;
        p->n++;
    }
    p->counts[j] += by;
    return RC_OK;
}

/* Add every pair of `from` to p, with its count. */
static inline rc_status pairs_add_all(pair_table *p, const pair_table *from) {
    for (size_t i = 0; i < from->cap; i++) {
        if (!from->keys[i]) continue;
        uint64_t k = from->keys[i] - 1;
        if (pairs_add(p, (uint32_t)(k >> 32), (uint32_t)k, from->counts[i])) return RC_ENOMEM;
    }
    return RC_OK;
}

/* Take `by` back from a pair that holds at least that much (never fails). */
static inline void pairs_take(pair_table *p, uint32_t a, uint32_t b, uint64_t by) {
    uint64_t k = ((uint64_t)a << 32 | b) + 1;
    size_t j = pair_hash(k) & (p->cap - 1);
    while (p->keys[j] != k) j = (j + 1) & (p->cap - 1);
    assert(p->counts[j] >= by);
    p->counts[j] -= by;
}

static inline uint64_t pairs_get(const pair_table *p, uint32_t a, uint32_t b) {
    if (!p->cap) return 0;
    uint64_t k = ((uint64_t)a << 32 | b) + 1;
    for (size_t j = pair_hash(k) & (p->cap - 1);; j = (j + 1) & (p->cap - 1)) {
        if (p->keys[j] == k) return p->counts[j];
        if (!p->keys[j]) return 0;
    }
}

/* Empty the table, keeping its capacity. */
static inline void pairs_clear(pair_table *p) {
    if (p->cap) memset(p->keys, 0, p->cap * sizeof *p->keys);
    p->n = 0;
}

static inline void pairs_free(pair_table *p) {
    rc_free(p->alc, p->keys);
    rc_free(p->alc, p->counts);
}

#endif /* RC_PAIRS_H */
