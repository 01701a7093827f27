/*
** rc_entity.h -- private interfaces between the gazetteer, the recognizer
** (rc_ner.c) and the corpus (rc_corpus.c): the entity table, the unit
** sequence that names are matched over, and the gazetteer's match index.
** The matcher reads a plain array of unit hashes (a sentence's token
** hashes, or rc_units.hash), and the hash of a token's normal form is
** inline here for the recognizer's one pass over the tokens.
*/
#ifndef RC_ENTITY_H
#define RC_ENTITY_H

#include "rc_internal.h"

/* A country code packed in 24 bits ("IRN" -> 'I'<<16|'R'<<8|'N'); 0 = none. */
typedef uint32_t rc_ccode;
rc_ccode rc_ccode_pack(const char *s, size_t len); /* 0 if not 2-3 letters */
void rc_ccode_unpack(rc_ccode c, char out[4]);

/* An entity: canonical name, type and country.  Names live in the table's
** string arena. */
typedef struct rc_entity {
    uint64_t name_off;
    uint32_t name_len;
    uint8_t type; /* rc_etype */
    rc_ccode country;
    uint32_t tag; /* the high half of the hash of (name, type): see rc_entity.c */
} rc_entity;

/* The entity table: (canonical, type) -> dense id.  Append-only. */
typedef struct rc_entities {
    const rc_allocator *alc;
    rc_entity *v;
    size_t n, cap;
    char *names;
    size_t names_len, names_cap;
    uint64_t *slots; /* open addressing: tag << 32 | (id + 1), 0 = empty */
    size_t nslots;   /* power of two */
} rc_entities;

void rc_entities_init(rc_entities *e, const rc_allocator *alc);
void rc_entities_free(rc_entities *e);
/* Copy src into e (which must be empty); on RC_ENOMEM e stays empty. */
rc_status rc_entities_copy(rc_entities *e, const rc_entities *src);
/* The id of (name, type), adding it with `country` when new. */
rc_status rc_entities_intern(rc_entities *e, const char *name, size_t len,
                             rc_etype type, rc_ccode country, uint32_t *id);
/* rc_entities_intern of entity `from` of another table (its name, type
** and country), with no hashing of its name again. */
rc_status rc_entities_intern_from(rc_entities *e, const rc_entities *src, uint32_t from,
                                  uint32_t *id);
/* A hint that a lookup of `tag` in e comes soon: the slot it probes
** first is fetched into the cache.  e is not changed. */
static inline void rc_entities_prefetch(const rc_entities *e, uint32_t tag) {
#if defined(__GNUC__) || defined(__clang__)
    if (e->nslots) __builtin_prefetch(&e->slots[tag & (e->nslots - 1)]);
#else
    (void)e, (void)tag;
#endif
}
/* Room for n entities with no rehash on the way (slots at most half
** full): a table about to take many, such as a corpus's terms.  A failed
** grow leaves e as it was (RC_ENOMEM). */
rc_status rc_entities_reserve(rc_entities *e, size_t n);
/* Forget the entities of ids n and above (the table is as it was when it
** held n).  Never fails. */
void rc_entities_truncate(rc_entities *e, size_t n);
/* Change the type of entity id (it is found under the new type after).
** On failure nothing changed. */
rc_status rc_entities_retype(rc_entities *e, uint32_t id, rc_etype type);
/* The id of (name, type) or UINT32_MAX. */
uint32_t rc_entities_find(const rc_entities *e, const char *name, size_t len,
                          rc_etype type);
/* rc_entities_find of (name, types[k]) into ids[k] for each of n types,
** the name hashed once. */
void rc_entities_find_types(const rc_entities *e, const char *name, size_t len,
                            const rc_etype *types, size_t n, uint32_t *ids);
/* A 32-bit key of entity id's name alone, its type taken out of its tag:
** two entities of the same name have the same key, whatever their types
** (entities of different names mostly do not).  No name is hashed. */
uint32_t rc_entity_name_key(const rc_entities *e, uint32_t id);
static inline const char *rc_entity_name(const rc_entities *e, uint32_t id,
                                         size_t *len) {
    *len = e->v[id].name_len;
    return e->names + e->v[id].name_off;
}

/* A matching unit: a token, or a part of a hyphenated word, or the hyphen
** between parts. */
typedef struct rc_unit {
    uint32_t start, end; /* bytes of the text */
    uint32_t tok;        /* token it belongs to */
} rc_unit;

/* Units in two parallel arrays: v[k] and hash[k], the hash of unit k's
** normalised bytes (the matcher reads the hashes only). */
typedef struct rc_units {
    rc_unit *v;
    uint64_t *hash;
    size_t n, cap; /* cap: of both arrays */
    const rc_allocator *alc;
} rc_units;

/* Append the units of toks[begin..end) of text.  hashes, when not NULL,
** holds rc_norm_hash(toks[i]) for every i (a token that is one unit takes
** it); scratch is a buffer for normalised bytes (grown as needed). */
rc_status rc_units_build(const char *text, const rc_token *toks,
                         const uint64_t *hashes, size_t begin, size_t end,
                         rc_units *out, char **scratch, size_t *scratch_cap);
void rc_units_free(rc_units *u);

/* What an alias means when it matches. */
typedef struct rc_alias_hit {
    uint32_t entity; /* id in the gazetteer's entity table */
    uint8_t type;    /* mention type */
    uint8_t rule;    /* rc_rule */
    uint8_t nunits;  /* length of the alias in units */
} rc_alias_hit;

/* The longest alias starting at unit i of a unit sequence given by its
** hashes (not reaching past unit lim).  Returns 1 and fills *hit when
** there is one. */
int rc_gazetteer_match(const rc_gazetteer *g, const uint64_t *hashes,
                       size_t i, size_t lim, rc_alias_hit *hit);
/* The first unit at or after i where an alias starts (not reaching past
** unit lim), its longest alias in *hit; lim when there is none.  The loop
** of a longest-match scan, kept next to the index's filters. */
size_t rc_gazetteer_next_match(const rc_gazetteer *g, const uint64_t *hashes,
                               size_t i, size_t lim, rc_alias_hit *hit);

/* The filter in front of the aliases' first units, 65,536 bits as the
** word classes' (rc_word_filter_has): when bit (hash >> 48) is clear, no
** alias starts with a unit of that hash, and rc_gazetteer_match there is
** 0 (all clear before any alias is indexed). */
const uint64_t *rc_gazetteer_first_filter(const rc_gazetteer *g);

/* Look up a name as written by a user (`--entity Iranian`): the entity of
** the alias, or of a canonical name.  Returns 1 when found. */
int rc_gazetteer_lookup(const rc_gazetteer *g, const char *name, size_t len,
                        uint32_t *entity);

/* rc_gazetteer_new with the snapshot snap[0..snap_len) (borrowed: it
** must outlive the gazetteer, which reads its arrays in place when snap
** is 16-byte aligned and copies them otherwise), or with none (snap
** NULL): the built-in text is parsed.  A snapshot not of this build's
** data is ignored.  See rc_gazetteer.c. */
rc_status rc_gazetteer_new_from(int builtin, const unsigned char *snap, size_t snap_len,
                                const rc_allocator *alc, rc_gazetteer **out,
                                rc_error *err);
/* The snapshot of a frozen gazetteer of built-in rows only, in new memory
** of g's allocator (*out, *len); RC_EINVAL when g is not frozen or holds
** a user's row. */
rc_status rc_gazetteer_snapshot(const rc_gazetteer *g, unsigned char **out, size_t *len);
/* Whether freeze took g's index from a snapshot (no user rows). */
int rc_gazetteer_index_copied(const rc_gazetteer *g);

/* The gazetteer's entity table (ids are stable). */
const rc_entities *rc_gazetteer_entities(const rc_gazetteer *g);

/* The entity that stands for a country code at --level country, or
** UINT32_MAX when the gazetteer has none. */
uint32_t rc_gazetteer_country_entity(const rc_gazetteer *g, rc_ccode code);

/* FNV-1a: for hashes that are stored or shown (see rc_entity.c). */
uint64_t rc_hash_bytes(const char *s, size_t len);
/* The in-memory hash of units, word classes and entity names. */
uint64_t rc_unit_hash(const char *s, size_t len);

static inline uint64_t rc_load64(const unsigned char *s) {
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return w;
}

static inline uint64_t rc_load32(const unsigned char *s) {
    uint32_t w;
    memcpy(&w, s, sizeof w);
    return w;
}

/* The mix of rc_unit_hash (see rc_entity.c): every bit of x moves the
** high and the low bits alike, which the filters (hash >> 48) and the
** tables (hash & mask) read. */
static inline uint64_t rc_mix64(uint64_t x) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    u128 p = (u128)(x ^ 0xA0761D6478BD642Full) * 0xE7037ED1A0B428DBull;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
#else
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ull;
    return x ^ x >> 32;
#endif
}

/* The bytes s[0..n), 1 <= n <= 8, as a little-endian number (s[0] its
** low byte); the loads overlap and never leave s[0..n). */
static inline uint64_t rc_short_value(const unsigned char *s, size_t n) {
    if (n >= 4) return rc_load32(s) | rc_load32(s + n - 4) << (8 * (n - 4));
    return (uint64_t)s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) |
           (uint64_t)s[n - 1] << (8 * (n - 1));
}

/* The bytes of token tok of text as one number (rc_short_value) when it
** is 1 to 8 bytes long and ends 8 or more bytes into text (its offsets are
** into text, so text[0..end) is there): one load of the 8 bytes ending
** with it, shifted right past the bytes before it, with no branch on its
** length, which no predictor guesses in running text.  1 and *w; else 0
** (and always on a big-endian machine), *w unset. */
static inline int rc_token_short_value(const char *text, const rc_token *tok, uint64_t *w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    size_t n = tok->end - tok->start;
    if (likely(n - 1 < 8 && tok->end >= 8)) {
        *w = rc_load64((const unsigned char *)text + tok->end - 8) >> (64 - 8 * n);
        return 1;
    }
#else
    (void)text, (void)tok, (void)w;
#endif
    return 0;
}

/* rc_unit_hash of a string of n bytes whose value (rc_short_value, or
** every 8-byte word but the last already mixed into h) is w. */
static inline uint64_t rc_unit_hash_last(uint64_t h, uint64_t w) {
    return rc_mix64(h ^ w);
}
#define RC_UNIT_HASH_SEED(n) ((uint64_t)(n) * 0x9E3779B97F4A7C15ull)

/* rc_unit_hash of s[0..n) with x XORed into its first byte (0x20 lowers
** an ASCII capital; 0 leaves it), and the OR of every byte read into
** *seen (its high bits: whether some byte is not ASCII).  A string of at
** most 8 bytes is one value (rc_short_value), its first byte the low
** one, so x is XORed into it once; a longer one is its 8-byte words, the
** last one overlapping, each mixed in turn.  See rc_entity.c. */
static inline uint64_t rc_unit_hash_first(const unsigned char *s, size_t n, uint64_t x,
                                          uint64_t *seen) {
    uint64_t h = RC_UNIT_HASH_SEED(n), w;
    if (n > 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            w = rc_load64(s + i) ^ x;
            x = 0;
            *seen |= w;
            h = rc_mix64(h ^ w);
        }
        w = rc_load64(s + n - 8);
    } else {
        w = n ? rc_short_value(s, n) ^ x : 0;
    }
    *seen |= w;
    return rc_unit_hash_last(h, w);
}

/* rc_unit_hash of s[0..n), and the OR of every byte read into *seen. */
static inline uint64_t rc_unit_hash_seen(const unsigned char *s, size_t n, uint64_t *seen) {
    return rc_unit_hash_first(s, n, 0, seen);
}

/* rc_norm_hash of an ASCII token with no joined line break (its own
** normal form), x XORed into its first byte, into *out: 1; any other
** token: 0, *out unset (ask rc_norm_hash). */
static inline int rc_norm_hash_ascii_x(const char *text, const rc_token *tok, uint64_t x,
                                       uint64_t *out) {
    if (tok->flags & RC_TF_LINE_JOINED) return 0;
    uint64_t seen = 0;
    uint64_t h = rc_unit_hash_first((const unsigned char *)text + tok->start,
                                    tok->end - tok->start, x, &seen);
    if (seen & 0x8080808080808080ull) return 0;
    *out = h;
    return 1;
}

/* rc_unit_hash of a string of n bytes, 1 <= n <= 16, from its first word
** (its first 8 bytes, or all of a shorter one as rc_short_value gives
** them) and its last (the 8 bytes ending with it, overlapping): a longer
** string's last word is mixed in and kept by a select, as
** rc_unit_hash_first does. */
static inline uint64_t rc_unit_hash_16(size_t n, uint64_t first, uint64_t last) {
    uint64_t h = rc_mix64(RC_UNIT_HASH_SEED(n) ^ first);
    uint64_t h2 = rc_mix64(h ^ last);
    return n > 8 ? h2 : h;
}

/* rc_norm_hash(tok, lower_first 0) of an ASCII token with no joined line
** break: 1 and *out; else 0.  Inline for loops over every token.  A token
** of 1 to 16 bytes ending 8 or more bytes into text takes no branch on
** its length, which no predictor guesses in running text: its first word
** is one load (the 8 bytes ending with it, shifted right past the bytes
** before it, when it is at most 8 bytes long: rc_token_short_value; else
** its first 8 bytes), and a longer token's last word (the 8 bytes ending
** with it, overlapping) is mixed in and kept or not by a select
** (rc_unit_hash_16). */
static inline int rc_norm_hash_ascii(const char *text, const rc_token *tok, uint64_t *out) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    size_t n = tok->end - tok->start;
    if (likely(n - 1 < 16 && tok->end >= 8 && !(tok->flags & RC_TF_LINE_JOINED))) {
        const unsigned char *s = (const unsigned char *)text;
        int longer = n > 8;
        uint64_t last = rc_load64(s + tok->end - 8);
        uint64_t first = longer ? rc_load64(s + tok->start) : last >> (64 - 8 * n);
        uint64_t seen = first | (longer ? last : 0);
        if (seen & 0x8080808080808080ull) return 0;
        *out = rc_unit_hash_16(n, first, last);
        return 1;
    }
#endif
    return rc_norm_hash_ascii_x(text, tok, 0, out);
}

/* The same with lower_first 1: its first byte lowered if an ASCII capital. */
static inline int rc_norm_hash_ascii_lowered(const char *text, const rc_token *tok,
                                             uint64_t *out) {
    unsigned char c0 = tok->end > tok->start ? (unsigned char)text[tok->start] : 0;
    return rc_norm_hash_ascii_x(text, tok, c0 >= 'A' && c0 <= 'Z' ? 0x20 : 0, out);
}

/* rc_unit_hash of the token's normal form (rc_token_norm), its first byte
** lowered when lower_first and it is an ASCII capital, in *out.  scratch
** (grown through alc) holds the normal form when it is not the token's own
** bytes.  RC_ENOMEM leaves *out unset. */
rc_status rc_norm_hash(const char *text, const rc_token *tok, int lower_first,
                       char **scratch, size_t *scap, const rc_allocator *alc,
                       uint64_t *out);

/* Word classes of the rule recognizer (csrc/data/rules.tsv), by the hash
** of a token's normalised text. */
#define RC_WC_TITLE 0x01u     /* President, Minister, Dr., Ayatollah */
#define RC_WC_ORG 0x02u       /* Council, Ministry, Organization */
#define RC_WC_PLACE 0x04u     /* River, Gulf, Strait */
#define RC_WC_CONNECTOR 0x08u /* of, al, bin, de, van */
#define RC_WC_STOPCAP 0x10u   /* The, He, However: capitalised function words */
#define RC_WC_MONTH 0x20u     /* months and weekdays */
#define RC_WC_GIVEN 0x40u     /* common given names */
#define RC_WC_COMMON 0x80u    /* Member, States, Charter: capitalised nouns */
unsigned rc_gazetteer_word_class(const rc_gazetteer *g, uint64_t hash);
/* The filter in front of the word classes, 65,536 bits: when bit (hash >>
** 48) is clear, rc_gazetteer_word_class(hash) is 0 (rc_word_filter_has). */
const uint64_t *rc_gazetteer_word_filter(const rc_gazetteer *g);
static inline int rc_word_filter_has(const uint64_t *filter, uint64_t hash) {
    uint32_t k = (uint32_t)(hash >> 48);
    return (int)(filter[k >> 6] >> (k & 63) & 1);
}


/* Delimited records (CSV/TSV through libcsv, in rc_csvio.c): fn is called
** for every record with its fields and the line it began on (1-based).
** A non-zero return from fn stops the parse and is returned; so does an
** unterminated quote (RC_EPARSE, err names the line).  name labels
** messages ("name:LINE: unterminated quoted field"). */
typedef rc_status (*rc_record_fn)(void *ctx, size_t line, size_t nfields,
                                  const char *const *fields,
                                  const size_t *lens);
rc_status rc_csv_records(const char *data, size_t len, char delim,
                         const char *name, rc_record_fn fn, void *ctx,
                         const rc_allocator *alc, rc_error *err);


/* The analysis of one document (rc_ner.c fills it; rc_corpus.c keeps what
** it needs).  Entity ids index `ents`: a copy of the gazetteer's table
** plus the names of the current document the gazetteer does not know (cut
** back to the gazetteer's at each document). */
struct rc_docres {
    const rc_allocator *alc;
    const rc_gazetteer *g;
    rc_entities ents;
    rc_tokens toks;
    rc_token_side side; /* beside toks: rc_tokenize_hashed's (with
                           no_names rc_tokenize_noted's: the splitter's
                           list only); its hashes are every token's once
                           rc_ner.c's token_scan ran */
    rc_sentences sents;
    rc_units units;
    char *scratch;
    size_t scratch_cap;
    rc_mention *m;
    size_t nm, mcap;
    uint32_t nparagraphs;
    uint32_t title_sents; /* sentences of the title region (articles) */
    uint8_t whole_regions; /* a region is one sentence, not split: for a
                              corpus whose queries see only documents */
    uint8_t bytes_only;    /* mentions get no character offsets (cstart,
                              cend 0): for a corpus that keeps no offsets */
    uint8_t no_names;      /* tokens and sentences only, none of side's
                              lists but the splitter's (rc_docres_analyse
                              refuses): for a corpus that keeps terms only */
    rc_date date;
    rc_span dateline;
    void *ner; /* the recognizer's working memory (rc_ner.c) */
    uint8_t ner_mode;         /* rc_ner_mode */
    const rc_tagger *tagger;  /* the model of RC_NER_MODEL (borrowed or own) */
    rc_tagger *own_tagger;    /* the built-in model, opened on first use */
};

/* Find the mentions of r's sentences (tokens and sentences already built)
** in text: gazetteer aliases by longest match, then the later recognizer
** stages.  Appends to r->m in text order. */
rc_status rc_ner_run(rc_docres *r, const char *text);
void rc_ner_free(rc_docres *r); /* its working memory */
/* Free what r's analyses grew (tokens, sentences, mentions, the
** recognizer's and the tagger's working memory); the next analysis makes
** it again.  r stays usable, with its settings. */
void rc_docres_trim(rc_docres *r);
/* Append one row of the mentions table (doc, sentence, start, end, text,
** entity, type, country, rule); text points at the mention's bytes. */
rc_status rc_mention_row(rc_table *t, const char *doc_id, const char *text,
                         const rc_mention *m, const rc_entities *ents,
                         int char_offsets);
#endif /* RC_ENTITY_H */
