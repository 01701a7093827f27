/*
** rc_terms.c -- the words of `--terms`: a word token's term (its
** normalised text, rc_token_norm, in lower case), and stop-word sets.
**
** Lower case is Unicode's simple mapping (utf8proc_tolower), one code point
** to one code point, so a term is at most 3/2 the bytes of its token.  An
** ASCII token with no joined line break is its own normal form, so its
** term is its bytes lowered in one pass.
**
** A stop-word set is an open-addressing table of the 64-bit hashes of its
** lower-cased words (rc_hash_bytes; 0 marks an empty slot, so a word whose
** hash is 0 is stored as 1).  It is filled from the built-in English list
** (csrc/data/stopwords.tsv, compiled in) or from a user's file: one word a
** line, surrounding blanks ignored, `#` starting a comment line.  An empty
** file is a set with no words.
**
** A word cache (rc_term_cache) sits in front of a corpus's term table:
** keyed by a token's bytes as written (rc_term_word_key, inline), it gives
** the term id at once for a word seen before; a word of at most 8 bytes is
** compared by its key, with no memcmp.  A token joined across a line break (RC_TF_LINE_JOINED) goes the
** long way, as its term is not its bytes.
*/
#include <errno.h>
#include <stdio.h>
#include <utf8proc.h>

#include "rc_entity.h"
#include "rc_terms.h"

extern const unsigned char rc_builtin_stopwords[];
extern const size_t rc_builtin_stopwords_len;

/* Lower-case s[0..len) into out (room for len * 3 / 2 + 4 bytes). */
static size_t lower_into(const char *s, size_t len, char *out) {
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            out[n++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        int32_t cp;
        int k = rc_utf8_decode(s + i, len - i, &cp);
        n += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
                                          (utf8proc_uint8_t *)out + n);
        i += (size_t)k;
    }
    return n;
}

/* An ASCII token with no joined line break is its own normal form: lower
** it straight into out (room for len bytes), eight bytes at a time (a
** capital, 0x41..0x5a, gains 0x20).  0 when it is not ASCII (out is then
** garbage). */
static int lower_ascii_into(const char *s, size_t len, char *out) {
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
    uint64_t seen = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        seen |= w;
        uint64_t low7 = w & ~high;
        uint64_t upper = (low7 + ones * (0x80 - 'A')) & ~(low7 + ones * (0x80 - 'Z' - 1)) &
                         ~w & high;
        w |= upper >> 2;
        memcpy(out + i, &w, 8);
    }
    for (; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        seen |= b;
        out[i] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
    }
    return !(seen & high);
}

rc_status rc_term_text(const char *text, const rc_token *tok, char **buf,
                       size_t *cap, const rc_allocator *alc, size_t *len) {
    /* [0, out) takes the term, [out, out + raw + 8) the normalised token
    ** (normalising never lengthens a token) */
    size_t raw = tok->end - tok->start, out = raw * 3 / 2 + 8;
    if (rc_grow(alc, (void **)buf, cap, out + raw + 8, 1)) return RC_ENOMEM;
    if (!(tok->flags & RC_TF_LINE_JOINED) && lower_ascii_into(text + tok->start, raw, *buf)) {
        *len = raw;
        return RC_OK;
    }
    char *norm = *buf + out;
    size_t nlen = rc_token_norm(text, tok, norm, raw + 8);
    if (!RC_ALWAYS(nlen <= raw + 8)) nlen = raw + 8;
    *len = lower_into(norm, nlen, *buf);
    return RC_OK;
}

/* MARK: - Word cache -------------------------------------------------------- */

void rc_term_cache_init(rc_term_cache *tc, const rc_allocator *alc) {
    memset(tc, 0, sizeof *tc);
    tc->alc = alc;
}

void rc_term_cache_free(rc_term_cache *tc) {
    if (!tc) return;
    rc_free(tc->alc, tc->slots);
    rc_free(tc->alc, tc->bytes);
    rc_free(tc->alc, tc->scratch);
    rc_term_cache_init(tc, tc->alc);
}

void rc_term_cache_clear(rc_term_cache *tc) {
    if (tc->cap) memset(tc->slots, 0, tc->cap * sizeof *tc->slots);
    tc->n = tc->nbytes = 0;
}

/* Grow the slots to cap (a power of two, more than now).  On failure the
** cache is unchanged. */
static rc_status cache_resize(rc_term_cache *tc, size_t cap) {
    if (cap > SIZE_MAX / sizeof(rc_term_slot)) return RC_ENOMEM;
    rc_term_slot *v = rc_malloc(tc->alc, cap * sizeof *v);
    if (!v) return RC_ENOMEM;
    memset(v, 0, cap * sizeof *v);
    unsigned shift = 64;
    for (size_t c = cap; c > 1; c >>= 1) shift--;
    for (size_t i = 0; i < tc->cap; i++) {
        const rc_term_slot *s = &tc->slots[i];
        if (!s->id) continue;
        size_t j = rc_term_slot_of(s->key, s->len, shift);
        while (v[j].id) j = (j + 1) & (cap - 1);
        v[j] = *s;
    }
    rc_free(tc->alc, tc->slots);
    tc->slots = v;
    tc->cap = cap;
    tc->shift = shift;
    return RC_OK;
}

/* Double the slots.  On failure the cache is unchanged. */
static rc_status cache_grow(rc_term_cache *tc) {
    return cache_resize(tc, tc->cap ? tc->cap * 2 : 4096);
}

rc_status rc_term_cache_reserve(rc_term_cache *tc, size_t n) {
    if (n > SIZE_MAX / 4) return RC_ENOMEM;
    size_t cap = tc->cap ? tc->cap : 4096;
    while (cap < 2 * n) cap *= 2;
    return cap > tc->cap ? cache_resize(tc, cap) : RC_OK;
}

int rc_term_slot_bytes(const rc_term_cache *tc, const rc_term_slot *s, const char *w,
                       size_t len) {
    return !memcmp(tc->bytes + s->off, w, len);
}

/* Remember that the word w[0..len) (key key) is term id. */
static rc_status cache_put(rc_term_cache *tc, const char *w, size_t len, uint64_t key,
                           uint32_t id) {
    if (len > UINT32_MAX || tc->nbytes + len > UINT32_MAX || id == UINT32_MAX)
        return RC_ELIMIT;
    if (rc_grow(tc->alc, (void **)&tc->bytes, &tc->bytes_cap, tc->nbytes + len + 1, 1) ||
        ((tc->n + 1) * 2 > tc->cap && cache_grow(tc)))
        return RC_ENOMEM;
    memcpy(tc->bytes + tc->nbytes, w, len);
    size_t j = rc_term_slot_of(key, len, tc->shift);
    while (tc->slots[j].id) j = (j + 1) & (tc->cap - 1);
    rc_term_slot *s = &tc->slots[j];
    s->key = key;
    s->id = id + 1;
    s->off = (uint32_t)tc->nbytes;
    s->len = (uint32_t)len;
    tc->nbytes += len;
    tc->n++;
    return RC_OK;
}

rc_status rc_term_intern_new(rc_term_cache *tc, rc_entities *terms, const char *text,
                             const rc_token *tok, int cached, uint64_t key, uint32_t *id) {
    size_t tlen;
    rc_status rc = rc_term_text(text, tok, &tc->scratch, &tc->scratch_cap, tc->alc, &tlen);
    if (rc == RC_OK) rc = rc_entities_intern(terms, tc->scratch, tlen, RC_MISC, 0, id);
    if (rc == RC_OK && cached)
        rc = cache_put(tc, text + tok->start, tok->end - tok->start, key, *id);
    return rc;
}

/* MARK: - Stop words -------------------------------------------------------- */

static uint64_t word_hash(const char *w, size_t len) {
    uint64_t h = rc_hash_bytes(w, len);
    return h ? h : 1;
}

static rc_status set_add(rc_stopwords *s, uint64_t h) {
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 512;
        uint64_t *v = rc_malloc(s->alc, cap * sizeof *v);
        if (!v) return RC_ENOMEM;
        memset(v, 0, cap * sizeof *v);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i]) continue;
            size_t j = s->slots[i] & (cap - 1);
            while (v[j]) j = (j + 1) & (cap - 1);
            v[j] = s->slots[i];
        }
        rc_free(s->alc, s->slots);
        s->slots = v;
        s->cap = cap;
    }
    size_t j = h & (s->cap - 1);
    while (s->slots[j] && s->slots[j] != h) j = (j + 1) & (s->cap - 1);
    if (!s->slots[j]) {
        s->slots[j] = h;
        s->n++;
    }
    return RC_OK;
}

int rc_stopwords_has(const rc_stopwords *s, const char *w, size_t len) {
    if (!s->cap) return 0;
    uint64_t h = word_hash(w, len);
    for (size_t j = h & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
        if (s->slots[j] == h) return 1;
        if (!s->slots[j]) return 0;
    }
}

static int blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

/* Add every word line of data[0..len). */
static rc_status add_lines(rc_stopwords *s, const char *data, size_t len) {
    char buf[256];
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        size_t a = i, b = e;
        i = e + 1;
        while (a < b && blank(data[a])) a++;
        while (b > a && blank(data[b - 1])) b--;
        if (a == b || data[a] == '#') continue;
        size_t n = b - a;
        if (n > sizeof buf * 2 / 3 - 4) continue; /* no stop word is that long */
        size_t ln = lower_into(data + a, n, buf);
        rc_status rc = set_add(s, word_hash(buf, ln));
        if (rc) return rc;
    }
    return RC_OK;
}

/* The whole of a file, NUL-terminated, in *out (the caller frees). */
static rc_status read_whole(const char *path, const rc_allocator *alc,
                            char **out, size_t *len, rc_error *err) {
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return rc_error_set(err, errno == ENOENT ? RC_ENOENT : RC_EIO, 0,
                            "--stopwords %s: %s", path, strerror(errno));
    char *data = NULL;
    size_t n = 0, cap = 0;
    rc_status rc = RC_OK;
    for (;;) {
        if (rc_grow(alc, (void **)&data, &cap, n + 65536, 1)) {
            rc = RC_ENOMEM;
            break;
        }
        size_t got = fread(data + n, 1, cap - n, fp);
        n += got;
        if (got == 0) break;
    }
    if (rc == RC_OK && ferror(fp))
        rc = rc_error_set(err, RC_EIO, 0, "--stopwords %s: %s", path,
                          strerror(errno ? errno : EIO));
    fclose(fp);
    if (rc) {
        rc_free(alc, data);
        return rc;
    }
    *out = data;
    *len = n;
    return RC_OK;
}

rc_status rc_stopwords_load(rc_stopwords *s, const char *path,
                            const rc_allocator *alc, rc_error *err) {
    memset(s, 0, sizeof *s);
    s->alc = alc;
    rc_status rc;
    if (!path) {
        rc = add_lines(s, (const char *)rc_builtin_stopwords, rc_builtin_stopwords_len);
    } else {
        char *data = NULL;
        size_t len = 0;
        rc = read_whole(path, alc, &data, &len, err);
        if (rc == RC_OK) rc = add_lines(s, data, len);
        rc_free(alc, data);
    }
    if (rc == RC_ENOMEM) rc_error_set(err, rc, 0, "--stopwords: %s", rc_strerror(rc));
    if (rc) rc_stopwords_free(s);
    return rc;
}

void rc_stopwords_free(rc_stopwords *s) {
    rc_free(s->alc, s->slots);
    memset(s, 0, sizeof *s);
}
