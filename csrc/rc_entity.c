/*
** rc_entity.c -- the entity table and the unit sequence names are matched
** over.
**
** Entity table: entities are appended to a dense array and only the
** newest can be removed (rc_entities_truncate), so an id stays valid until
** its owner cuts the table below it.  A (name, type) pair is found through
** an open-addressing hash of slots holding id + 1 (0 = empty) beside the
** entity's tag (the high half of the hash of its name and type, kept in
** its record too), linear probing from the tag, kept at most half full.
** Names are copied into one arena.
** The slots always hold what inserting ids 0, 1, 2, ... in order would
** (a rehash re-inserts in id order), so removing the newest ids last-first
** leaves exactly the table of the older ones; when most go, the slots are
** emptied and the rest re-inserted in order instead, to the same end.
**
** Units: the recognizer matches aliases over units, not tokens, so that a
** hyphenated word is seen as its parts (`Iran-Pakistan` is `Iran`, `-`,
** `Pakistan`; `Guinea-Bissau` still matches as three units).  A unit's
** hash is rc_unit_hash of its normalised bytes (rc_token_norm: curly quotes
** and dashes folded, case kept), so the gazetteer builds alias keys with
** the very same function and two spellings that normalise alike match.
** rc_norm_hash computes it: an ASCII token without a joined line break is
** its own normal form and is hashed in place, with no copy; the recognizer
** hashes each token once and hands the hashes to rc_units_build.
**
** Two hashes: rc_unit_hash keys units, word classes and the entity slots,
** which live only in memory; rc_hash_bytes (FNV-1a) is kept for the values
** that leave the process (the recognizer's id in a database, graph node
** ids), so those stay what they were.  rc_unit_hash takes a string of up
** to 8 bytes as one little-endian number (rc_short_value: two overlapping
** loads, or the first, middle and last bytes, never past its end) and a
** longer one as 8-byte words, the last one overlapping, and mixes each
** in (rc_mix64: one 64 x 64 -> 128-bit multiply, its halves XORed; a
** chain of two multiplies where the compiler has no 128-bit integer,
** which was 1-3% slower on the rule pipeline); the same values tell
** whether a token is ASCII.
** That path is inline in rc_entity.h (rc_norm_hash_ascii) for the
** recognizer's loop over every token, where a token of up to 8 bytes is
** one load ending with it, shifted (no branch on its length, which no
** predictor guesses in running text); lowering an ASCII first letter is
** an XOR into the low byte, with no copy.
*/
#include "rc_entity.h"

uint64_t rc_hash_bytes(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t rc_unit_hash(const char *s, size_t len) {
    uint64_t seen = 0;
    return rc_unit_hash_seen((const unsigned char *)s, len, &seen);
}

static inline unsigned char lower_ascii(unsigned char c) {
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* rc_norm_hash of a token that is not its own normal form as it stands:
** not ASCII, or joined across a line break (out of line: the common path
** then needs no registers saved). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static rc_status norm_hash_other(const char *text, const rc_token *tok, int lower_first,
                                 char **scratch, size_t *scap, const rc_allocator *alc,
                                 uint64_t *out) {
    size_t need = rc_token_norm(text, tok, *scratch, *scap);
    if (need > *scap) {
        if (rc_grow(alc, (void **)scratch, scap, need, 1)) return RC_ENOMEM;
        rc_token_norm(text, tok, *scratch, *scap);
    }
    char *b = *scratch;
    if (lower_first && need) b[0] = (char)lower_ascii((unsigned char)b[0]);
    *out = rc_unit_hash(b, need);
    return RC_OK;
}

rc_status rc_norm_hash(const char *text, const rc_token *tok, int lower_first,
                       char **scratch, size_t *scap, const rc_allocator *alc,
                       uint64_t *out) {
    if (likely(lower_first ? rc_norm_hash_ascii_lowered(text, tok, out)
                           : rc_norm_hash_ascii(text, tok, out)))
        return RC_OK;
    return norm_hash_other(text, tok, lower_first, scratch, scap, alc, out);
}

rc_ccode rc_ccode_pack(const char *s, size_t len) {
    if (len < 2 || len > 3) return 0;
    rc_ccode c = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 'a' && ch <= 'z') ch = (unsigned char)(ch - 32);
        if (ch < 'A' || ch > 'Z') return 0;
        c = c << 8 | ch;
    }
    return c;
}

void rc_ccode_unpack(rc_ccode c, char out[4]) {
    size_t n = 0;
    char tmp[3];
    while (c && n < 3) {
        tmp[n++] = (char)(c & 0xFF);
        c >>= 8;
    }
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

void rc_entities_init(rc_entities *e, const rc_allocator *alc) {
    memset(e, 0, sizeof *e);
    e->alc = alc;
}

void rc_entities_free(rc_entities *e) {
    rc_free(e->alc, e->v);
    rc_free(e->alc, e->names);
    rc_free(e->alc, e->slots);
    const rc_allocator *alc = e->alc;
    memset(e, 0, sizeof *e);
    e->alc = alc;
}

/* tag_of's share of the type, which an XOR puts in and takes out. */
static uint32_t type_bits(rc_etype type) {
    return (uint32_t)(((uint64_t)type * 0x9E3779B97F4A7C15ull) >> 32);
}

/* The tag of (name, type): the high half of a 64-bit hash of both.  A
** slot holds it beside the id, so that a probe passes other entities
** without reading their records, and a rehash or truncation places an
** entity by the tag kept in its record, hashing no name again.  (Probes
** start within the first 2^32 slots: only a table of over 2^31 entities
** would crowd there, and it would still find every one.) */
static uint32_t tag_of(uint64_t name_hash, rc_etype type) {
    return (uint32_t)(name_hash >> 32) ^ type_bits(type);
}

uint32_t rc_entity_name_key(const rc_entities *e, uint32_t id) {
    return e->v[id].tag ^ type_bits((rc_etype)e->v[id].type);
}

static uint32_t entity_tag(const char *name, size_t len, rc_etype type) {
    return tag_of(rc_unit_hash(name, len), type);
}

static uint64_t slot_of(uint32_t tag, uint32_t id) { return (uint64_t)tag << 32 | (id + 1u); }

static int entity_equal(const rc_entities *e, uint32_t id, const char *name,
                        size_t len, rc_etype type) {
    const rc_entity *x = &e->v[id];
    return x->type == type && x->name_len == len &&
           (len == 0 || memcmp(e->names + x->name_off, name, len) == 0);
}

/* The id of (name, type), whose tag is `tag`, or UINT32_MAX. */
static uint32_t find_tagged(const rc_entities *e, uint32_t tag, const char *name,
                            size_t len, rc_etype type) {
    if (!e->nslots) return UINT32_MAX;
    size_t mask = e->nslots - 1;
    for (size_t i = tag & mask;; i = (i + 1) & mask) {
        uint64_t s = e->slots[i];
        if (!s) return UINT32_MAX;
        uint32_t id = (uint32_t)s - 1u;
        if ((uint32_t)(s >> 32) == tag && entity_equal(e, id, name, len, type)) return id;
    }
}

uint32_t rc_entities_find(const rc_entities *e, const char *name, size_t len,
                          rc_etype type) {
    return find_tagged(e, entity_tag(name, len, type), name, len, type);
}

void rc_entities_find_types(const rc_entities *e, const char *name, size_t len,
                            const rc_etype *types, size_t n, uint32_t *ids) {
    uint64_t h = rc_unit_hash(name, len);
    for (size_t k = 0; k < n; k++)
        ids[k] = find_tagged(e, tag_of(h, types[k]), name, len, types[k]);
}

static void slot_insert(uint64_t *slots, size_t nslots, uint32_t tag, uint32_t id) {
    size_t mask = nslots - 1;
    size_t i = tag & mask;
    while (slots[i]) i = (i + 1) & mask;
    slots[i] = slot_of(tag, id);
}

/* Re-insert every entity into n slots.  On failure the table is
** unchanged. */
static rc_status rehash(rc_entities *e, size_t n) {
    if (n > SIZE_MAX / sizeof(uint64_t)) return RC_ENOMEM;
    uint64_t *slots = rc_malloc(e->alc, n * sizeof *slots);
    if (!slots) return RC_ENOMEM;
    memset(slots, 0, n * sizeof *slots);
    for (size_t id = 0; id < e->n; id++) slot_insert(slots, n, e->v[id].tag, (uint32_t)id);
    rc_free(e->alc, e->slots);
    e->slots = slots;
    e->nslots = n;
    return RC_OK;
}

/* rc_entities_intern with the tag of (name, type) known. */
static rc_status intern_tagged(rc_entities *e, uint32_t tag, const char *name, size_t len,
                               rc_etype type, rc_ccode country, uint32_t *id) {
    uint32_t found = find_tagged(e, tag, name, len, type);
    if (found != UINT32_MAX) {
        *id = found;
        return RC_OK;
    }
    if (e->n >= UINT32_MAX - 1 || len > UINT32_MAX) return RC_ELIMIT;
    if ((e->n + 1) * 2 > e->nslots &&
        rehash(e, e->nslots ? e->nslots * 2 : 64) != RC_OK)
        return RC_ENOMEM;
    if (rc_grow(e->alc, (void **)&e->v, &e->cap, e->n + 1, sizeof *e->v) ||
        rc_grow(e->alc, (void **)&e->names, &e->names_cap, e->names_len + len,
                1))
        return RC_ENOMEM;
    if (len) memcpy(e->names + e->names_len, name, len);
    rc_entity *x = &e->v[e->n];
    x->name_off = e->names_len;
    x->name_len = (uint32_t)len;
    x->type = (uint8_t)type;
    x->country = country;
    x->tag = tag;
    e->names_len += len;
    slot_insert(e->slots, e->nslots, tag, (uint32_t)e->n);
    *id = (uint32_t)e->n++;
    return RC_OK;
}

rc_status rc_entities_intern(rc_entities *e, const char *name, size_t len,
                             rc_etype type, rc_ccode country, uint32_t *id) {
    return intern_tagged(e, entity_tag(name, len, type), name, len, type, country, id);
}

rc_status rc_entities_intern_from(rc_entities *e, const rc_entities *src, uint32_t from,
                                  uint32_t *id) {
    const rc_entity *x = &src->v[from];
    return intern_tagged(e, x->tag, src->names + x->name_off, x->name_len,
                         (rc_etype)x->type, x->country, id);
}

rc_status rc_entities_reserve(rc_entities *e, size_t n) {
    if (n > SIZE_MAX / 4) return RC_ENOMEM;
    size_t want = e->nslots ? e->nslots : 64;
    while (want < 2 * n) want *= 2;
    return want > e->nslots ? rehash(e, want) : RC_OK;
}

void rc_entities_truncate(rc_entities *e, size_t n) {
    if (n >= e->n) return;
    if (e->n - n > n) { /* most go: empty the slots, put the few back */
        memset(e->slots, 0, e->nslots * sizeof *e->slots);
        for (size_t id = 0; id < n; id++)
            slot_insert(e->slots, e->nslots, e->v[id].tag, (uint32_t)id);
        e->names_len = e->v[n].name_off;
        e->n = n;
        return;
    }
    size_t mask = e->nslots - 1;
    for (size_t id = e->n; id-- > n;) {
        uint64_t s = slot_of(e->v[id].tag, (uint32_t)id);
        size_t i = e->v[id].tag & mask;
        while (e->slots[i] != s) i = (i + 1) & mask;
        e->slots[i] = 0; /* no later entry probes past it: all are gone */
    }
    e->names_len = e->v[n].name_off;
    e->n = n;
}

rc_status rc_entities_retype(rc_entities *e, uint32_t id, rc_etype type) {
    rc_entity *x = &e->v[id];
    uint8_t old = x->type;
    uint32_t old_tag = x->tag;
    x->type = (uint8_t)type;
    x->tag = entity_tag(e->names + x->name_off, x->name_len, type);
    rc_status rc = rehash(e, e->nslots);
    if (rc) {
        x->type = old;
        x->tag = old_tag;
    }
    return rc;
}

/* The arrays as they are: src's slots already hold what inserting its ids
** in order would, so the copy is the table interning them would build. */
rc_status rc_entities_copy(rc_entities *e, const rc_entities *src) {
    assert(e->n == 0);
    if (!src->n) return RC_OK;
    rc_entity *v = rc_malloc(e->alc, src->n * sizeof *v);
    char *names = rc_malloc(e->alc, src->names_len ? src->names_len : 1);
    uint64_t *slots = rc_malloc(e->alc, src->nslots * sizeof *slots);
    if (!v || !names || !slots) {
        rc_free(e->alc, v);
        rc_free(e->alc, names);
        rc_free(e->alc, slots);
        return RC_ENOMEM;
    }
    memcpy(v, src->v, src->n * sizeof *v);
    memcpy(names, src->names, src->names_len);
    memcpy(slots, src->slots, src->nslots * sizeof *slots);
    rc_entities_free(e);
    e->v = v;
    e->n = e->cap = src->n;
    e->names = names;
    e->names_len = src->names_len;
    e->names_cap = src->names_len ? src->names_len : 1;
    e->slots = slots;
    e->nslots = src->nslots;
    return RC_OK;
}

/* MARK: - Units -------------------------------------------------------------- */

static int is_hyphen_at(const char *s, size_t i, size_t end, size_t *len) {
    if (s[i] == '-') {
        *len = 1;
        return 1;
    }
    /* U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN: E2 80 90 / E2 80 91 */
    if ((unsigned char)s[i] == 0xE2 && i + 2 < end &&
        (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x90 || (unsigned char)s[i + 2] == 0x91)) {
        *len = 3;
        return 1;
    }
    return 0;
}

/* Room for one more unit in both arrays.  On failure out is unchanged
** (an array that grew keeps its contents; cap stays the smaller). */
static rc_status units_grow(rc_units *out) {
    size_t vcap = out->cap, hcap = out->cap;
    if (rc_grow(out->alc, (void **)&out->v, &vcap, out->n + 1, sizeof *out->v) ||
        rc_grow(out->alc, (void **)&out->hash, &hcap, out->n + 1, sizeof *out->hash))
        return RC_ENOMEM;
    out->cap = vcap < hcap ? vcap : hcap;
    return RC_OK;
}

/* Append a unit of hash h. */
static inline rc_status add_unit(rc_units *out, uint32_t start, uint32_t end,
                                 uint32_t tok, uint64_t h) {
    if (unlikely(out->n == out->cap) && units_grow(out)) return RC_ENOMEM;
    rc_unit *u = &out->v[out->n];
    u->start = start;
    u->end = end;
    u->tok = tok;
    out->hash[out->n++] = h;
    return RC_OK;
}

static rc_status push_unit(rc_units *out, const char *text, rc_token part,
                           uint32_t tok, char **scratch, size_t *scap) {
    uint64_t h;
    rc_status rc = rc_norm_hash(text, &part, 0, scratch, scap, out->alc, &h);
    return rc ? rc : add_unit(out, part.start, part.end, tok, h);
}

rc_status rc_units_build(const char *text, const rc_token *toks,
                         const uint64_t *hashes, size_t begin, size_t end,
                         rc_units *out, char **scratch, size_t *scratch_cap) {
    for (size_t t = begin; t < end; t++) {
        rc_token tk = toks[t];
        rc_status rc;
        if (!(tk.flags & RC_TF_HYPHENATED) || tk.kind != RC_TOK_WORD) {
            if ((rc = hashes ? add_unit(out, tk.start, tk.end, (uint32_t)t, hashes[t])
                             : push_unit(out, text, tk, (uint32_t)t, scratch,
                                         scratch_cap)))
                return rc;
            continue;
        }
        /* Split a hyphenated word into parts and hyphens. */
        size_t part = tk.start, hl;
        for (size_t i = tk.start; i < tk.end; i++) {
            if (!is_hyphen_at(text, i, tk.end, &hl)) continue;
            if (i > part) {
                rc_token p = {(uint32_t)part, (uint32_t)i, RC_TOK_WORD, 0};
                if ((rc = push_unit(out, text, p, (uint32_t)t, scratch,
                                    scratch_cap)))
                    return rc;
            }
            rc_token h = {(uint32_t)i, (uint32_t)(i + hl), RC_TOK_PUNCT, 0};
            if ((rc = push_unit(out, text, h, (uint32_t)t, scratch,
                                scratch_cap)))
                return rc;
            i += hl;
            while (i < tk.end && (text[i] == '\n' || text[i] == '\r' ||
                                  text[i] == ' ' || text[i] == '\t'))
                i++;
            part = i;
            i--;
        }
        if (part < tk.end) {
            rc_token p = {(uint32_t)part, tk.end, RC_TOK_WORD, 0};
            if ((rc = push_unit(out, text, p, (uint32_t)t, scratch,
                                scratch_cap)))
                return rc;
        }
    }
    return RC_OK;
}

void rc_units_free(rc_units *u) {
    rc_free(u->alc, u->v);
    rc_free(u->alc, u->hash);
    u->v = NULL;
    u->hash = NULL;
    u->n = u->cap = 0;
}
