/*
** rc_bytes.h -- private: little-endian bytes written and read back, for
** the formats that travel between processes (rc_pack.c: a corpus's
** analysis and tallies; rc_query.c: a query's counts over a part).
**
** A packer grows its buffer (malloc'd: the caller frees v) and, once an
** allocation failed, writes nothing more (failed set).  An unpacker never
** reads past its end: a read past it sets bad and gives 0 or "".
*/
#ifndef RC_BYTES_H
#define RC_BYTES_H

#include "rc_internal.h"

typedef struct packer {
    unsigned char *v;
    size_t n, cap;
    int failed;
} packer;

static inline void put_bytes(packer *p, const void *s, size_t len) {
    if (p->failed) return;
    if (rc_grow(NULL, (void **)&p->v, &p->cap, p->n + len, 1)) {
        p->failed = 1;
        return;
    }
    memcpy(p->v + p->n, s, len);
    p->n += len;
}

static inline void put_u32(packer *p, uint32_t x) {
    unsigned char b[4] = {(unsigned char)x, (unsigned char)(x >> 8), (unsigned char)(x >> 16),
                          (unsigned char)(x >> 24)};
    put_bytes(p, b, 4);
}

static inline void put_u64(packer *p, uint64_t x) {
    put_u32(p, (uint32_t)x);
    put_u32(p, (uint32_t)(x >> 32));
}

static inline void put_text(packer *p, const char *s, size_t len) {
    put_u32(p, (uint32_t)len);
    put_bytes(p, s, len);
}

typedef struct unpacker {
    const unsigned char *v;
    size_t n, pos;
    int bad;
} unpacker;

static inline uint32_t get_u32(unpacker *u) {
    if (u->bad || u->n - u->pos < 4) {
        u->bad = 1;
        return 0;
    }
    const unsigned char *b = u->v + u->pos;
    u->pos += 4;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t get_u64(unpacker *u) {
    uint64_t lo = get_u32(u);
    return lo | (uint64_t)get_u32(u) << 32;
}

static inline const char *get_text(unpacker *u, size_t *len) {
    *len = get_u32(u);
    if (u->bad || u->n - u->pos < *len) {
        u->bad = 1;
        *len = 0;
        return "";
    }
    const char *s = (const char *)u->v + u->pos;
    u->pos += *len;
    return s;
}

#endif /* RC_BYTES_H */
