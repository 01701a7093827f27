/*
** rc_gazetteer.c -- the entity dictionary: the built-in table compiled
** into the core (csrc/data/gazetteer.tsv, embedded at build time), user
** files on top, and the longest-match index the recognizer uses.
**
** Life cycle: new (built-in rows) -> load* (user rows) -> freeze.  Rows are
** only collected until freeze, which resolves them into entities and
** aliases in one pass:
**   - a row whose alias equals its canonical defines the entity (canonical,
**     type, country); a later such row (a user's) changes the type or the
**     country of the entity of that name;
**   - a NORP row whose canonical is a non-NORP entity is a demonym: a
**     mention of type NORP of that entity (`Iranians` -> Iran);
**   - any other row adds an alias; an alias already taken keeps its first
**     meaning unless a user row gives it a new one;
**   - type "-" blocks the alias: it never makes a mention.
** The frozen index maps the hash of an alias's unit sequence (see
** rc_entity.c) to its hit, verified against the stored unit hashes; a set
** of first-unit hashes rejects most tokens with one probe, and a set of the
** keys of every proper prefix of an alias stops the longest-match loop as
** soon as no longer alias can start with the units seen (a prefix set
** false positive only costs a probe: hits are verified).  The first-unit
** set, the alias keys, the prefix keys and the word classes each have a
** filter in front, a 65,536-bit bitmap indexed by the top 16 bits of the
** hash (8 KB, stays in L1), so that most tokens are rejected, and most
** longest-match steps end, without touching the larger tables.  The
** scan over a sentence's units runs here (rc_gazetteer_next_match), so
** that the first-unit test is inline for every unit, and the recognizer
** tests the word classes' filter inline (rc_gazetteer_word_filter).
** Before the first-unit set, a start is asked of the alias and prefix
** filters with its next unit (may_start): a frequent word that begins
** aliases (`the`, as in `the Hague`) seldom begins one with the word
** after it, and is turned away with no probe of the tables.
** Matching reads unit hashes only: a sentence without hyphenated words is
** matched over its token hashes directly.
**
** A frozen gazetteer is read-only: threads may share it.
**
** Snapshot: the build saves the built-in gazetteer as parsed and as
** frozen (csrc/tools/snapshot.c, through rc_gazetteer_snapshot) and
** compiles it in beside the text, so a new gazetteer takes its word
** classes and built-in rows from it, and freezing one with no user rows
** takes the frozen index, instead of parsing the text and building the
** index at every start.  Its arrays are borrowed where they lie (each is
** 16-byte aligned in the snapshot, which is in the binary's read-only
** data), not copied: a process touches only the pages it reads, and
** shares them with every other process of the same binary.  The rows
** are copied only when a user's file adds rows to them (own_rows); the
** word classes and the index are never written once made.  Invariant:
** g->borrowed tells which arrays lie in the snapshot, and nothing frees
** or grows those.  A snapshot is used only when its header matches: the
** digest of the built-in text it came from, the sizes of its records and
** the unit hash of a probe string; otherwise the text is parsed as
** before.  Either way the gazetteer is the same, table for table
** (tests/c/test_gazetteer.c compares their snapshots).
*/
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <xxhash.h>

#include "rc_entity.h"

extern const unsigned char rc_builtin_gazetteer[];
extern const size_t rc_builtin_gazetteer_len;
extern const unsigned char rc_builtin_rules[];
extern const size_t rc_builtin_rules_len;
extern const unsigned char rc_builtin_snapshot[];
extern const size_t rc_builtin_snapshot_len;

#define MAX_ALIAS_UNITS 24

/* Filters: bit (h >> 48) of a 65,536-bit map is set for every hash h in a
** set; a clear bit proves h is not in it. */
#define FILTER_WORDS (65536 / 64)

static inline void filter_add(uint64_t *f, uint64_t h) {
    uint32_t k = (uint32_t)(h >> 48);
    f[k >> 6] |= 1ull << (k & 63);
}

static inline int filter_has(const uint64_t *f, uint64_t h) {
    uint32_t k = (uint32_t)(h >> 48);
    return (int)(f[k >> 6] >> (k & 63) & 1);
}

typedef struct grow {
    uint64_t alias_off, canon_off;
    uint32_t alias_len, canon_len;
    uint8_t type; /* rc_etype or RC_BLOCKED */
    uint8_t user;
    rc_ccode country;
} grow;

typedef struct alias_slot {
    uint64_t key;       /* combined hash of the unit sequence; 0 = empty */
    uint32_t units_off; /* into unit_hashes */
    uint32_t row;       /* the row it came from */
    rc_alias_hit hit;
} alias_slot;

struct rc_gazetteer {
    const rc_allocator *alc;
    grow *rows;
    size_t nrows, rows_cap;
    char *strs;
    size_t strs_len, strs_cap;
    int frozen;
    rc_entities ents;
    uint32_t *country_ent; /* per code, sorted pairs (code, entity) */
    size_t ncountry;
    alias_slot *slots;
    size_t nslots;
    uint64_t *unit_hashes;
    size_t nunit_hashes, unit_hashes_cap;
    uint64_t *first; /* open-addressing set of first-unit hashes, 0 empty */
    size_t nfirst;
    uint64_t first_filter[FILTER_WORDS]; /* a bit per first-unit hash */
    uint64_t *prefix; /* set of keys of proper alias prefixes, 0 empty */
    size_t nprefix, prefix_used; /* kept at most half full */
    uint64_t alias_filter[FILTER_WORDS];  /* a bit per alias key */
    uint64_t prefix_filter[FILTER_WORDS]; /* a bit per prefix key */
    unsigned max_units;
    uint64_t *words; /* word classes: open addressing, hash 0 = empty */
    uint8_t *word_bits;
    size_t nwords;
    uint64_t words_filter[FILTER_WORDS]; /* a bit per word-class hash */
    /* the snapshot the word classes and rows came from, for freeze to
    ** take the frozen index of the built-in rows from (at snap_index)
    ** while no other row was added; NULL otherwise */
    const unsigned char *snap;
    size_t snap_len, snap_index;
    int index_copied; /* freeze took the index from a snapshot */
    unsigned borrowed; /* BORROWED_*: the arrays that lie in the snapshot */
};

#define BORROWED_WORDS 1u /* words, word_bits */
#define BORROWED_ROWS 2u  /* rows, strs */
#define BORROWED_INDEX 4u /* ents (v, names, slots), country_ent, slots,
                             unit_hashes, first, prefix */

static void words_clear(rc_gazetteer *g);
static void rows_clear(rc_gazetteer *g);
static void index_clear(rc_gazetteer *g);

static const char *const etype_names[RC_ETYPE_COUNT] = {
    "PERSON", "ORG", "GPE", "LOC", "NORP", "MISC"};

const char *rc_etype_name(rc_etype t) {
    if (t == RC_BLOCKED) return "-";
    return (unsigned)t < RC_ETYPE_COUNT ? etype_names[t] : "?";
}

rc_status rc_etype_parse(const char *s, size_t len, rc_etype *out) {
    if (len == 1 && s[0] == '-') {
        *out = RC_BLOCKED;
        return RC_OK;
    }
    for (int t = 0; t < RC_ETYPE_COUNT; t++) {
        const char *n = etype_names[t];
        if (strlen(n) != len) continue;
        size_t i = 0;
        while (i < len && (s[i] == n[i] || s[i] == n[i] + 32)) i++;
        if (i == len) {
            *out = (rc_etype)t;
            return RC_OK;
        }
    }
    return RC_EINVAL;
}

static const char *const rule_names[RC_RULE_COUNT] = {
    "gazetteer", "demonym", "user", "title", "name", "acronym", "alias",
    "model"};
const char *rc_rule_name(rc_rule r) {
    return (unsigned)r < RC_RULE_COUNT ? rule_names[r] : "?";
}

static rc_status load_words(rc_gazetteer *g, rc_error *err);

/* MARK: - Loading rows ------------------------------------------------------ */

static rc_status add_str(rc_gazetteer *g, const char *s, size_t len,
                         uint64_t *off) {
    if (rc_grow(g->alc, (void **)&g->strs, &g->strs_cap, g->strs_len + len, 1))
        return RC_ENOMEM;
    memcpy(g->strs + g->strs_len, s, len);
    *off = g->strs_len;
    g->strs_len += len;
    return RC_OK;
}

/* Trim ASCII spaces. */
static void trim(const char **s, size_t *len) {
    while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
                    (*s)[*len - 1] == '\r'))
        (*len)--;
}

typedef struct load_ctx {
    rc_gazetteer *g;
    const char *name;
    rc_error *err;
    int user;
    int have_header;
    size_t col[4]; /* alias, canonical, type, country */
} load_ctx;

static const char *const col_names[4] = {"alias", "canonical", "type",
                                         "country"};

static rc_status read_header(load_ctx *lc, size_t line, size_t nf,
                             const char *const *f, const size_t *len) {
    for (int c = 0; c < 4; c++) {
        lc->col[c] = SIZE_MAX;
        for (size_t i = 0; i < nf; i++) {
            const char *s = f[i];
            size_t n = len[i];
            trim(&s, &n);
            if (n == strlen(col_names[c]) && strncasecmp(s, col_names[c], n) == 0)
                lc->col[c] = i;
        }
        if (lc->col[c] == SIZE_MAX && c != 3)
            return rc_error_set(lc->err, RC_EPARSE, line,
                                "%s: line %zu: missing column %s (the header needs "
                                "alias, canonical, type, country)",
                                lc->name, line, col_names[c]);
    }
    lc->have_header = 1;
    return RC_OK;
}

static rc_status on_record(void *ctx, size_t line, size_t nf,
                           const char *const *f, const size_t *len) {
    load_ctx *lc = ctx;
    rc_gazetteer *g = lc->g;
    if (nf == 0 || (nf == 1 && len[0] == 0)) return RC_OK; /* blank */
    if (len[0] > 0 && f[0][0] == '#') return RC_OK;        /* comment */
    if (!lc->have_header) return read_header(lc, line, nf, f, len);
    const char *v[4] = {"", "", "", ""};
    size_t vl[4] = {0, 0, 0, 0};
    for (int c = 0; c < 4; c++) {
        if (lc->col[c] == SIZE_MAX) continue;
        if (lc->col[c] >= nf)
            return rc_error_set(lc->err, RC_EPARSE, line,
                                "%s: line %zu: row has %zu fields, expected at least %zu",
                                lc->name, line, nf, lc->col[c] + 1);
        v[c] = f[lc->col[c]];
        vl[c] = len[lc->col[c]];
        trim(&v[c], &vl[c]);
    }
    rc_etype type;
    if (vl[0] == 0)
        return rc_error_set(lc->err, RC_EPARSE, line, "%s: line %zu: empty alias",
                            lc->name, line);
    if (rc_etype_parse(v[2], vl[2], &type) != RC_OK)
        return rc_error_set(lc->err, RC_EPARSE, line,
                            "%s: line %zu: unknown type '%.*s' (use PERSON, ORG, "
                            "GPE, LOC, NORP, MISC or -)",
                            lc->name, line, (int)(vl[2] > 40 ? 40 : vl[2]),
                            v[2]);
    if (vl[1] == 0) { /* no canonical: the alias names itself */
        v[1] = v[0];
        vl[1] = vl[0];
    }
    rc_ccode cc = 0;
    if (vl[3] && !(cc = rc_ccode_pack(v[3], vl[3])))
        return rc_error_set(lc->err, RC_EPARSE, line,
                            "%s: line %zu: bad country code '%.*s' (ISO 3166 "
                            "alpha-3, e.g. IRN)",
                            lc->name, line, (int)(vl[3] > 40 ? 40 : vl[3]),
                            v[3]);
    if (vl[0] > 1024 || vl[1] > 1024)
        return rc_error_set(lc->err, RC_EPARSE, line,
                            "%s: line %zu: name longer than 1024 bytes", lc->name,
                            line);
    if (rc_grow(g->alc, (void **)&g->rows, &g->rows_cap, g->nrows + 1,
                sizeof *g->rows))
        return RC_ENOMEM;
    grow *r = &g->rows[g->nrows];
    if (add_str(g, v[0], vl[0], &r->alias_off) ||
        add_str(g, v[1], vl[1], &r->canon_off))
        return RC_ENOMEM;
    r->alias_len = (uint32_t)vl[0];
    r->canon_len = (uint32_t)vl[1];
    r->type = (uint8_t)type;
    r->user = (uint8_t)lc->user;
    r->country = cc;
    g->nrows++;
    return RC_OK;
}

/* The rows and their strings in g's own memory, so that rows can be
** added: copied out of the snapshot when borrowed from it. */
static rc_status own_rows(rc_gazetteer *g) {
    if (!(g->borrowed & BORROWED_ROWS)) return RC_OK;
    grow *rows = rc_malloc(g->alc, g->rows_cap * sizeof *rows);
    char *strs = rc_malloc(g->alc, g->strs_cap);
    if (!rows || !strs) {
        rc_free(g->alc, rows);
        rc_free(g->alc, strs);
        return RC_ENOMEM;
    }
    memcpy(rows, g->rows, g->nrows * sizeof *rows);
    memcpy(strs, g->strs, g->strs_len);
    g->rows = rows;
    g->strs = strs;
    g->borrowed &= ~BORROWED_ROWS;
    return RC_OK;
}

static rc_status load(rc_gazetteer *g, const char *data, size_t len,
                      const char *name, int user, rc_error *err) {
    if (g->frozen)
        return rc_error_set(err, RC_EINVAL, 0, "%s: gazetteer already frozen",
                            name);
    if (own_rows(g)) return rc_error_set(err, RC_ENOMEM, 0, "%s: out of memory", name);
    /* The header line decides the delimiter: a tab makes it TSV. */
    const char *nl = memchr(data, '\n', len);
    size_t hl = nl ? (size_t)(nl - data) : len;
    char delim = memchr(data, '\t', hl) ? '\t' : ',';
    size_t nrows0 = g->nrows, strs0 = g->strs_len;
    load_ctx lc = {g, name, err, user, 0, {0, 0, 0, 0}};
    rc_status rc = rc_csv_records(data, len, delim, name, on_record, &lc, g->alc, err);
    if (rc == RC_OK && !lc.have_header)
        rc = rc_error_set(err, RC_EPARSE, 1,
                          "%s: no header row (alias, canonical, type, country)",
                          name);
    if (rc) { /* keep no row of a bad file */
        g->nrows = nrows0;
        g->strs_len = strs0;
    }
    if (g->nrows > nrows0) g->snap = NULL; /* the index must take them in */
    return rc;
}

static rc_status snap_open(rc_gazetteer *g, int builtin, const unsigned char *snap,
                           size_t len, int *used);

rc_status rc_gazetteer_new_from(int builtin, const unsigned char *snap, size_t snap_len,
                                const rc_allocator *alc, rc_gazetteer **out,
                                rc_error *err) {
    *out = NULL;
    rc_gazetteer *g = rc_malloc(alc, sizeof *g);
    if (!g) return RC_ENOMEM;
    memset(g, 0, sizeof *g);
    g->alc = alc;
    rc_entities_init(&g->ents, alc);
    int used = 0;
    rc_status rc = snap ? snap_open(g, builtin, snap, snap_len, &used) : RC_OK;
    if (rc == RC_OK && !used) rc = load_words(g, err);
    if (rc == RC_OK && !used && builtin)
        rc = load(g, (const char *)rc_builtin_gazetteer, rc_builtin_gazetteer_len,
                  "built-in gazetteer", 0, err);
    if (rc) {
        rc_gazetteer_free(g);
        return rc;
    }
    *out = g;
    return RC_OK;
}

rc_status rc_gazetteer_new(int builtin, const rc_allocator *alc,
                           rc_gazetteer **out, rc_error *err) {
    return rc_gazetteer_new_from(builtin, rc_builtin_snapshot, rc_builtin_snapshot_len, alc,
                                 out, err);
}

/* MARK: - Word classes ------------------------------------------------------ */

static const char *const class_names[] = {"title", "org", "place", "connector",
                                          "stopcap", "month", "given", "common"};

typedef struct words_ctx {
    rc_gazetteer *g;
    rc_error *err;
    int header;
} words_ctx;

static void word_add(rc_gazetteer *g, uint64_t h, unsigned bit) {
    if (!h) h = 1;
    filter_add(g->words_filter, h);
    size_t mask = g->nwords - 1, i = h & mask;
    while (g->words[i] && g->words[i] != h) i = (i + 1) & mask;
    g->words[i] = h;
    g->word_bits[i] |= (uint8_t)bit;
}

static rc_status on_word(void *ctx, size_t line, size_t nf,
                         const char *const *f, const size_t *len) {
    words_ctx *wc = ctx;
    if (nf == 0 || (nf == 1 && len[0] == 0) || (len[0] && f[0][0] == '#'))
        return RC_OK;
    if (!wc->header) {
        wc->header = 1;
        return RC_OK;
    }
    for (size_t c = 0; nf == 2 && c < sizeof class_names / sizeof *class_names;
         c++)
        if (len[1] == strlen(class_names[c]) &&
            !memcmp(f[1], class_names[c], len[1])) {
            word_add(wc->g, rc_unit_hash(f[0], len[0]), 1u << c);
            return RC_OK;
        }
    return rc_error_set(wc->err, RC_EPARSE, line,
                        "rules:%zu: expected word<TAB>class", line);
}

static rc_status load_words(rc_gazetteer *g, rc_error *err) {
    size_t n = 64;
    while (n < rc_builtin_rules_len / 4) n *= 2; /* > 2x the rows */
    g->words = rc_malloc(g->alc, n * sizeof *g->words);
    g->word_bits = rc_malloc(g->alc, n);
    if (!g->words || !g->word_bits) return RC_ENOMEM;
    memset(g->words, 0, n * sizeof *g->words);
    memset(g->word_bits, 0, n);
    g->nwords = n;
    words_ctx wc = {g, err, 0};
    return rc_csv_records((const char *)rc_builtin_rules, rc_builtin_rules_len,
                          '\t', "rules", on_word, &wc, g->alc, err);
}

const uint64_t *rc_gazetteer_word_filter(const rc_gazetteer *g) {
    return g->words_filter;
}

unsigned rc_gazetteer_word_class(const rc_gazetteer *g, uint64_t h) {
    if (!h) h = 1;
    if (!filter_has(g->words_filter, h)) return 0;
    size_t mask = g->nwords - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (g->words[i] == h) return g->word_bits[i];
        if (!g->words[i]) return 0;
    }
}

rc_status rc_gazetteer_load(rc_gazetteer *g, const char *data, size_t len,
                            const char *name, rc_error *err) {
    return load(g, data, len, name, 1, err);
}

void rc_gazetteer_free(rc_gazetteer *g) {
    if (!g) return;
    rows_clear(g);
    index_clear(g);
    words_clear(g);
    rc_free(g->alc, g);
}

/* MARK: - Freezing ----------------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t unit) {
    h = (h ^ unit) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return h ? h : 1; /* 0 marks an empty slot */
}

static int same_str(const rc_gazetteer *g, uint64_t a, uint32_t al, uint64_t b,
                    uint32_t bl) {
    return al == bl && memcmp(g->strs + a, g->strs + b, al) == 0;
}

/* Units of an alias string, through the document tokenizer. */
static rc_status alias_units(const char *s, size_t len, rc_tokens *toks,
                             rc_units *units, char **scratch, size_t *scap) {
    toks->n = 0;
    units->n = 0;
    rc_status rc = rc_tokenize(s, len, 0, toks);
    if (rc) return rc;
    return rc_units_build(s, toks->v, NULL, 0, toks->n, units, scratch, scap);
}

static inline int first_has(const rc_gazetteer *g, uint64_t h) {
    if (!g->nfirst) return 0;
    if (!h) h = 1;
    if (!filter_has(g->first_filter, h)) return 0;
    size_t mask = g->nfirst - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (g->first[i] == h) return 1;
        if (!g->first[i]) return 0;
    }
}

static void first_add(rc_gazetteer *g, uint64_t h) {
    if (!h) h = 1;
    filter_add(g->first_filter, h);
    size_t mask = g->nfirst - 1;
    size_t i = h & mask;
    while (g->first[i] && g->first[i] != h) i = (i + 1) & mask;
    g->first[i] = h;
}

/* Keys are never 0 (mix), so 0 marks an empty slot of the prefix set. */
static int prefix_has(const rc_gazetteer *g, uint64_t key) {
    if (!g->nprefix) return 0;
    size_t mask = g->nprefix - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
        if (g->prefix[i] == key) return 1;
        if (!g->prefix[i]) return 0;
    }
}

static void prefix_put(uint64_t *set, size_t n, uint64_t key) {
    size_t mask = n - 1, i = key & mask;
    while (set[i] && set[i] != key) i = (i + 1) & mask;
    set[i] = key;
}

/* Add a prefix key, doubling the set first when it would be more than half
** full.  On failure the set is unchanged. */
static rc_status prefix_add(rc_gazetteer *g, uint64_t key) {
    if (prefix_has(g, key)) return RC_OK;
    if ((g->prefix_used + 1) * 2 > g->nprefix) {
        size_t n = g->nprefix ? g->nprefix * 2 : 256;
        if (n > SIZE_MAX / sizeof(uint64_t)) return RC_ENOMEM;
        uint64_t *set = rc_malloc(g->alc, n * sizeof *set);
        if (!set) return RC_ENOMEM;
        memset(set, 0, n * sizeof *set);
        for (size_t i = 0; i < g->nprefix; i++)
            if (g->prefix[i]) prefix_put(set, n, g->prefix[i]);
        rc_free(g->alc, g->prefix);
        g->prefix = set;
        g->nprefix = n;
    }
    prefix_put(g->prefix, g->nprefix, key);
    filter_add(g->prefix_filter, key);
    g->prefix_used++;
    return RC_OK;
}

static alias_slot *slot_find(const rc_gazetteer *g, uint64_t key,
                             const uint64_t *hashes, size_t n) {
    size_t mask = g->nslots - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
        alias_slot *s = &g->slots[i];
        if (!s->key) return s;
        if (s->key != key || s->hit.nunits != n) continue;
        size_t k = 0;
        while (k < n && g->unit_hashes[s->units_off + k] == hashes[k]) k++;
        if (k == n) return s;
    }
}

/* The entity a row refers to: its canonical's definition. */
static rc_status row_entity(rc_gazetteer *g, const grow *r, uint32_t *id,
                            uint8_t *mtype, uint8_t *rule) {
    const char *canon = g->strs + r->canon_off;
    /* The defined entity of this canonical name, of any non-NORP type
    ** first (a demonym points at its country). */
    uint32_t found = UINT32_MAX;
    for (int t = 0; t < RC_ETYPE_COUNT && found == UINT32_MAX; t++)
        if (t != RC_NORP)
            found = rc_entities_find(&g->ents, canon, r->canon_len, (rc_etype)t);
    if (r->type == RC_NORP && found != UINT32_MAX) {
        *id = found;
        *mtype = RC_NORP;
        *rule = RC_RULE_DEMONYM;
        return RC_OK;
    }
    if (found == UINT32_MAX)
        found = rc_entities_find(&g->ents, canon, r->canon_len, RC_NORP);
    if (found == UINT32_MAX) {
        rc_status rc = rc_entities_intern(&g->ents, canon, r->canon_len,
                                          (rc_etype)r->type, r->country, &found);
        if (rc) return rc;
    }
    *id = found;
    *mtype = g->ents.v[found].type;
    *rule = r->user ? RC_RULE_USER : RC_RULE_GAZETTEER;
    return RC_OK;
}

/* Pass 1: entity definitions (alias == canonical), later rows changing the
** type or country of an entity of the same name. */
static rc_status define_entities(rc_gazetteer *g) {
    for (size_t i = 0; i < g->nrows; i++) {
        grow *r = &g->rows[i];
        if (r->type == RC_BLOCKED ||
            !same_str(g, r->alias_off, r->alias_len, r->canon_off, r->canon_len))
            continue;
        const char *canon = g->strs + r->canon_off;
        uint32_t id = UINT32_MAX;
        for (int t = 0; t < RC_ETYPE_COUNT && id == UINT32_MAX; t++)
            id = rc_entities_find(&g->ents, canon, r->canon_len, (rc_etype)t);
        if (id == UINT32_MAX) {
            rc_status rc = rc_entities_intern(&g->ents, canon, r->canon_len,
                                              (rc_etype)r->type, r->country,
                                              &id);
            if (rc) return rc;
        } else if (r->user && r->type != RC_NORP) {
            /* A user row re-types an entity: re-key it under the new type. */
            rc_entity *e = &g->ents.v[id];
            if (r->country) e->country = r->country;
            if (e->type != r->type) {
                rc_status rc = rc_entities_retype(&g->ents, id, (rc_etype)r->type);
                if (rc) return rc;
            }
        }
    }
    return RC_OK;
}

static int is_blocked(const rc_gazetteer *g, const grow *r) {
    for (size_t j = 0; j < g->nrows; j++) {
        const grow *b = &g->rows[j];
        if (b->type == RC_BLOCKED &&
            same_str(g, b->alias_off, b->alias_len, r->alias_off, r->alias_len))
            return 1;
    }
    return 0;
}

static rc_status index_alloc(rc_gazetteer *g) {
    size_t n = 64;
    while (n < g->nrows * 2 + 2) n *= 2;
    g->slots = rc_malloc(g->alc, n * sizeof *g->slots);
    g->first = rc_malloc(g->alc, n * sizeof *g->first);
    if (!g->slots || !g->first) return RC_ENOMEM;
    memset(g->slots, 0, n * sizeof *g->slots);
    memset(g->first, 0, n * sizeof *g->first);
    g->nslots = g->nfirst = n;
    return RC_OK;
}

static rc_status index_row(rc_gazetteer *g, size_t i, const rc_units *u) {
    const grow *r = &g->rows[i];
    if (u->n == 0 || u->n > MAX_ALIAS_UNITS) return RC_OK;
    uint64_t key = 0;
    for (size_t k = 0; k < u->n; k++) key = mix(key, u->hash[k]);
    alias_slot *s = slot_find(g, key, u->hash, u->n);
    if (s->key && !(r->user && !g->rows[s->row].user)) return RC_OK;
    rc_alias_hit hit = {0, RC_BLOCKED, RC_RULE_USER, 0};
    if (r->type != RC_BLOCKED) { /* a blocked alias matches to cover text */
        rc_status rc = row_entity(g, r, &hit.entity, &hit.type, &hit.rule);
        if (rc) return rc;
    }
    hit.nunits = (uint8_t)u->n;
    if (!s->key) {
        if (rc_grow(g->alc, (void **)&g->unit_hashes, &g->unit_hashes_cap,
                    g->nunit_hashes + u->n, sizeof(uint64_t)))
            return RC_ENOMEM;
        s->units_off = (uint32_t)g->nunit_hashes;
        for (size_t k = 0; k < u->n; k++)
            g->unit_hashes[g->nunit_hashes++] = u->hash[k];
        s->key = key;
        filter_add(g->alias_filter, key);
    }
    s->row = (uint32_t)i;
    s->hit = hit;
    first_add(g, u->hash[0]);
    if (u->n > g->max_units) g->max_units = (unsigned)u->n;
    uint64_t pk = 0;
    for (size_t k = 0; k + 1 < u->n; k++) {
        pk = mix(pk, u->hash[k]);
        rc_status rc = prefix_add(g, pk);
        if (rc) return rc;
    }
    return RC_OK;
}

static rc_status build_index(rc_gazetteer *g) {
    rc_tokens toks;
    rc_units units = {NULL, NULL, 0, 0, g->alc};
    char *scratch = NULL;
    size_t scap = 0;
    rc_tokens_init(&toks, g->alc);
    rc_status rc = index_alloc(g);
    size_t nblocked = 0;
    for (size_t i = 0; i < g->nrows; i++) nblocked += g->rows[i].type == RC_BLOCKED;
    for (size_t i = 0; rc == RC_OK && i < g->nrows; i++) {
        const grow *r = &g->rows[i];
        if (nblocked && r->type != RC_BLOCKED && is_blocked(g, r)) continue;
        rc = alias_units(g->strs + r->alias_off, r->alias_len, &toks, &units,
                         &scratch, &scap);
        if (rc == RC_OK) rc = index_row(g, i, &units);
    }
    rc_tokens_free(&toks);
    rc_units_free(&units);
    rc_free(g->alc, scratch);
    return rc;
}

/* The entity that stands for each country code: a GPE entity of that
** country, preferring the one with the most demonyms, then the most
** aliases, then the first defined. */
static rc_status pick_countries(rc_gazetteer *g) {
    size_t n = g->ents.n;
    uint32_t *score = rc_malloc(g->alc, (n ? n : 1) * sizeof *score);
    if (!score) return RC_ENOMEM;
    memset(score, 0, (n ? n : 1) * sizeof *score);
    for (size_t i = 0; i < g->nslots; i++) {
        const alias_slot *s = &g->slots[i];
        if (!s->key || s->hit.type == RC_BLOCKED) continue;
        score[s->hit.entity] += s->hit.rule == RC_RULE_DEMONYM ? 1000 : 1;
    }
    g->country_ent = rc_malloc(g->alc, (n ? n : 1) * 2 * sizeof(uint32_t));
    if (!g->country_ent) {
        rc_free(g->alc, score);
        return RC_ENOMEM;
    }
    g->ncountry = 0;
    for (size_t id = 0; id < n; id++) {
        const rc_entity *e = &g->ents.v[id];
        if (e->type != RC_GPE || !e->country) continue;
        size_t k = 0;
        while (k < g->ncountry && g->country_ent[2 * k] != e->country) k++;
        if (k == g->ncountry) {
            g->country_ent[2 * k] = e->country;
            g->country_ent[2 * k + 1] = (uint32_t)id;
            g->ncountry++;
        } else if (score[id] > score[g->country_ent[2 * k + 1]]) {
            g->country_ent[2 * k + 1] = (uint32_t)id;
        }
    }
    rc_free(g->alc, score);
    return RC_OK;
}

static rc_status index_from_snapshot(rc_gazetteer *g);

rc_status rc_gazetteer_freeze(rc_gazetteer *g, rc_error *err) {
    if (g->frozen) return RC_OK;
    rc_status rc = g->snap ? index_from_snapshot(g) : RC_EPARSE;
    g->index_copied = rc == RC_OK;
    if (rc == RC_EPARSE) { /* no snapshot of this index: build it */
        index_clear(g);
        rc = define_entities(g);
        if (rc == RC_OK) rc = build_index(g);
        if (rc == RC_OK) rc = pick_countries(g);
    }
    if (rc) return rc_error_set(err, rc, 0, "gazetteer: %s", rc_strerror(rc));
    g->frozen = 1;
    return RC_OK;
}

/* MARK: - Snapshot ----------------------------------------------------------- */

/* A snapshot: a header (SNAP_HEAD words: snap_head), then the word
** classes, the built-in rows and the frozen index, each array as its
** count (8 bytes), zero bytes up to the next multiple of SNAP_ALIGN from
** the snapshot's start, and its records as they lie in memory; records
** with padding are written from zeroed copies, so a snapshot's bytes
** depend on the gazetteer alone.  A snapshot whose first byte is
** SNAP_ALIGN-aligned in memory thus holds every array aligned, ready to
** be read in place (snap_in.borrow). */
#define SNAP_HEAD 4
#define SNAP_ALIGN 16
#define SNAP_MAGIC 0x32305a4743520aull /* "\nRCGZ02": format 2 */

static void snap_head(uint64_t head[SNAP_HEAD]) {
    static const char probe[] = "Guinea-Bissau, C\xC3\xB4te d\xE2\x80\x99Ivoire and the U.S.";
    head[0] = SNAP_MAGIC;
    head[1] = XXH3_64bits_withSeed(rc_builtin_gazetteer, rc_builtin_gazetteer_len,
                                   XXH3_64bits(rc_builtin_rules, rc_builtin_rules_len));
    head[2] = (uint64_t)sizeof(grow) | (uint64_t)sizeof(alias_slot) << 8 |
              (uint64_t)sizeof(rc_entity) << 16 | (uint64_t)MAX_ALIAS_UNITS << 24 |
              (uint64_t)FILTER_WORDS << 32 |
              (uint64_t)sizeof *((rc_entities *)0)->slots << 48;
    head[3] = mix(rc_unit_hash(probe, sizeof probe - 1), rc_unit_hash(probe, 3));
}

typedef struct snap_out {
    const rc_allocator *alc;
    unsigned char *p;
    size_t n, cap;
    rc_status rc;
} snap_out;

static void put(snap_out *o, const void *src, size_t len) {
    if (o->rc || !len) return;
    if (rc_grow(o->alc, (void **)&o->p, &o->cap, o->n + len, 1)) {
        o->rc = RC_ENOMEM;
        return;
    }
    memcpy(o->p + o->n, src, len);
    o->n += len;
}

static void put_u64(snap_out *o, uint64_t x) { put(o, &x, sizeof x); }

/* Zero bytes up to the next multiple of SNAP_ALIGN. */
static void put_align(snap_out *o) {
    static const unsigned char zeros[SNAP_ALIGN];
    put(o, zeros, (SNAP_ALIGN - o->n % SNAP_ALIGN) % SNAP_ALIGN);
}

/* count records of `size` bytes with no padding in them */
static void put_array(snap_out *o, const void *v, size_t count, size_t size) {
    put_u64(o, count);
    put_align(o);
    put(o, v, count * size);
}

/* Records with padding: each copied field by field into a zeroed one. */
typedef void (*fields_fn)(void *to, const void *from);

static void put_records(snap_out *o, const void *v, size_t n, size_t size, fields_fn fields) {
    unsigned char rec[64];
    assert(size <= sizeof rec);
    put_u64(o, n);
    put_align(o);
    for (size_t i = 0; i < n; i++) {
        memset(rec, 0, size);
        fields(rec, (const unsigned char *)v + i * size);
        put(o, rec, size);
    }
}

static void row_fields(void *to, const void *from) {
    grow *t = to;
    const grow *f = from;
    t->alias_off = f->alias_off;
    t->canon_off = f->canon_off;
    t->alias_len = f->alias_len;
    t->canon_len = f->canon_len;
    t->type = f->type;
    t->user = f->user;
    t->country = f->country;
}

static void slot_fields(void *to, const void *from) {
    alias_slot *t = to;
    const alias_slot *f = from;
    t->key = f->key;
    t->units_off = f->units_off;
    t->row = f->row;
    t->hit.entity = f->hit.entity;
    t->hit.type = f->hit.type;
    t->hit.rule = f->hit.rule;
    t->hit.nunits = f->hit.nunits;
}

static void entity_fields(void *to, const void *from) {
    rc_entity *t = to;
    const rc_entity *f = from;
    t->name_off = f->name_off;
    t->name_len = f->name_len;
    t->type = f->type;
    t->country = f->country;
    t->tag = f->tag;
}

rc_status rc_gazetteer_snapshot(const rc_gazetteer *g, unsigned char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    if (!g->frozen) return RC_EINVAL;
    for (size_t i = 0; i < g->nrows; i++)
        if (g->rows[i].user) return RC_EINVAL; /* the built-in rows only */
    snap_out o = {g->alc, NULL, 0, 0, RC_OK};
    uint64_t head[SNAP_HEAD];
    snap_head(head);
    put(&o, head, sizeof head);
    put_array(&o, g->words, g->nwords, sizeof *g->words);
    put_array(&o, g->word_bits, g->nwords, 1);
    put(&o, g->words_filter, sizeof g->words_filter);
    put_records(&o, g->rows, g->nrows, sizeof *g->rows, row_fields);
    put_array(&o, g->strs, g->strs_len, 1);
    put_records(&o, g->ents.v, g->ents.n, sizeof *g->ents.v, entity_fields);
    put_array(&o, g->ents.names, g->ents.names_len, 1);
    put_array(&o, g->ents.slots, g->ents.nslots, sizeof *g->ents.slots);
    put_array(&o, g->country_ent, 2 * g->ncountry, sizeof *g->country_ent);
    put_records(&o, g->slots, g->nslots, sizeof *g->slots, slot_fields);
    put_array(&o, g->unit_hashes, g->nunit_hashes, sizeof *g->unit_hashes);
    put_array(&o, g->first, g->nfirst, sizeof *g->first);
    put(&o, g->first_filter, sizeof g->first_filter);
    put_array(&o, g->prefix, g->nprefix, sizeof *g->prefix);
    put_u64(&o, g->prefix_used);
    put(&o, g->alias_filter, sizeof g->alias_filter);
    put(&o, g->prefix_filter, sizeof g->prefix_filter);
    put_u64(&o, g->max_units);
    if (o.rc) {
        rc_free(g->alc, o.p);
        return o.rc;
    }
    *out = o.p;
    *len = o.n;
    return RC_OK;
}

/* Reading a snapshot: rc turns RC_EPARSE when the bytes run out or a
** count cannot be (not a snapshot of this build), RC_ENOMEM when a copy
** cannot be made; every later read is then a no-op.  With borrow (the
** snapshot SNAP_ALIGN-aligned in memory; it outlives the gazetteer, as
** rc_gazetteer_new_from asks) arrays are read in place. */
typedef struct snap_in {
    const rc_allocator *alc;
    const unsigned char *p;
    size_t n, at;
    rc_status rc;
    int borrow;
} snap_in;

/* Room for one record of any array (an empty borrowed array points
** here, as an empty copied one has room for one). */
static const uint64_t no_records[8];

static void get(snap_in *in, void *dst, size_t len) {
    if (in->rc) return;
    if (in->n - in->at < len) {
        in->rc = RC_EPARSE;
        return;
    }
    memcpy(dst, in->p + in->at, len);
    in->at += len;
}

static uint64_t get_u64(snap_in *in) {
    uint64_t x = 0;
    get(in, &x, sizeof x);
    return x;
}

/* An array of `size`-byte records at *v (room for one at least; *v
** untouched on failure): in place with in->borrow, else in new memory;
** returns its count. */
static size_t get_array(snap_in *in, void **v, size_t size) {
    uint64_t count = get_u64(in);
    size_t pad = (SNAP_ALIGN - in->at % SNAP_ALIGN) % SNAP_ALIGN;
    if (in->rc) return 0;
    if (pad > in->n - in->at || count > (in->n - in->at - pad) / size) {
        in->rc = RC_EPARSE;
        return 0;
    }
    in->at += pad;
    if (in->borrow) {
        assert(size <= sizeof no_records);
        /* read-only memory behind a pointer the gazetteer never writes
        ** through (g->borrowed) */
        *v = (void *)(uintptr_t)(count ? in->p + in->at : (const unsigned char *)no_records);
        in->at += (size_t)count * size;
        return (size_t)count;
    }
    void *m = rc_malloc(in->alc, count ? (size_t)count * size : size);
    if (!m) {
        in->rc = RC_ENOMEM;
        return 0;
    }
    get(in, m, (size_t)count * size);
    *v = m;
    return (size_t)count;
}

/* A count read where an earlier one fixed it: a mismatch is RC_EPARSE. */
static void expect(snap_in *in, size_t got, size_t want) {
    if (!in->rc && got != want) in->rc = RC_EPARSE;
}

/* The size of an open-addressing table: 0 or a power of two. */
static void expect_table(snap_in *in, size_t n) { expect(in, n & (n - 1), 0); }

static void words_clear(rc_gazetteer *g) {
    if (!(g->borrowed & BORROWED_WORDS)) {
        rc_free(g->alc, g->words);
        rc_free(g->alc, g->word_bits);
    }
    g->borrowed &= ~BORROWED_WORDS;
    g->words = NULL;
    g->word_bits = NULL;
    g->nwords = 0;
    memset(g->words_filter, 0, sizeof g->words_filter);
}

static void rows_clear(rc_gazetteer *g) {
    if (!(g->borrowed & BORROWED_ROWS)) {
        rc_free(g->alc, g->rows);
        rc_free(g->alc, g->strs);
    }
    g->borrowed &= ~BORROWED_ROWS;
    g->rows = NULL;
    g->strs = NULL;
    g->nrows = g->rows_cap = g->strs_len = g->strs_cap = 0;
}

/* A new gazetteer's word classes and (builtin) built-in rows from the
** snapshot snap[0..len), and where its frozen index lies: *used 1.  A
** snapshot not of this build's data (its header, a short read) is left
** alone: *used 0 and g as it was.  RC_ENOMEM: no copy could be made. */
static rc_status snap_open(rc_gazetteer *g, int builtin, const unsigned char *snap,
                           size_t len, int *used) {
    *used = 0;
    snap_in in = {g->alc, snap, len, 0, RC_OK, (uintptr_t)snap % SNAP_ALIGN == 0};
    uint64_t want[SNAP_HEAD], head[SNAP_HEAD];
    snap_head(want);
    get(&in, head, sizeof head);
    if (in.rc || memcmp(head, want, sizeof head)) return RC_OK;
    if (in.borrow) g->borrowed |= BORROWED_WORDS | (builtin ? BORROWED_ROWS : 0);
    size_t n = get_array(&in, (void **)&g->words, sizeof *g->words);
    g->nwords = n;
    expect_table(&in, n);
    expect(&in, n == 0, 0);
    expect(&in, get_array(&in, (void **)&g->word_bits, 1), n);
    get(&in, g->words_filter, sizeof g->words_filter);
    if (builtin) {
        g->nrows = get_array(&in, (void **)&g->rows, sizeof *g->rows);
        g->rows_cap = g->nrows ? g->nrows : 1;
        g->strs_len = get_array(&in, (void **)&g->strs, 1);
        g->strs_cap = g->strs_len ? g->strs_len : 1;
        if (!in.rc) {
            g->snap = snap;
            g->snap_len = len;
            g->snap_index = in.at;
        }
    }
    if (in.rc) {
        words_clear(g);
        rows_clear(g);
        g->snap = NULL;
        return in.rc == RC_ENOMEM ? RC_ENOMEM : RC_OK;
    }
    *used = 1;
    return RC_OK;
}

/* Back to no index: what freeze builds. */
static void index_clear(rc_gazetteer *g) {
    if (!(g->borrowed & BORROWED_INDEX)) {
        rc_entities_free(&g->ents);
        rc_free(g->alc, g->country_ent);
        rc_free(g->alc, g->slots);
        rc_free(g->alc, g->unit_hashes);
        rc_free(g->alc, g->first);
        rc_free(g->alc, g->prefix);
    }
    g->borrowed &= ~BORROWED_INDEX;
    rc_entities_init(&g->ents, g->alc);
    g->country_ent = NULL;
    g->slots = NULL;
    g->unit_hashes = NULL;
    g->first = g->prefix = NULL;
    g->ncountry = g->nslots = g->nunit_hashes = g->unit_hashes_cap = 0;
    g->nfirst = g->nprefix = g->prefix_used = 0;
    g->max_units = 0;
    memset(g->first_filter, 0, sizeof g->first_filter);
    memset(g->alias_filter, 0, sizeof g->alias_filter);
    memset(g->prefix_filter, 0, sizeof g->prefix_filter);
}

/* The frozen index from the snapshot (g->snap from g->snap_index), in
** place when the word classes were: RC_OK, RC_ENOMEM, or RC_EPARSE when
** it does not read whole (then freeze builds it). */
static rc_status index_from_snapshot(rc_gazetteer *g) {
    snap_in in = {g->alc, g->snap, g->snap_len, g->snap_index, RC_OK,
                  (g->borrowed & BORROWED_WORDS) != 0};
    if (in.borrow) g->borrowed |= BORROWED_INDEX;
    rc_entities *e = &g->ents;
    e->n = get_array(&in, (void **)&e->v, sizeof *e->v);
    e->cap = e->n ? e->n : 1;
    e->names_len = get_array(&in, (void **)&e->names, 1);
    e->names_cap = e->names_len ? e->names_len : 1;
    e->nslots = get_array(&in, (void **)&e->slots, sizeof *e->slots);
    size_t pairs = get_array(&in, (void **)&g->country_ent, sizeof *g->country_ent);
    g->ncountry = pairs / 2;
    expect(&in, pairs % 2, 0);
    g->nslots = get_array(&in, (void **)&g->slots, sizeof *g->slots);
    g->nunit_hashes = get_array(&in, (void **)&g->unit_hashes, sizeof *g->unit_hashes);
    g->unit_hashes_cap = g->nunit_hashes ? g->nunit_hashes : 1;
    g->nfirst = get_array(&in, (void **)&g->first, sizeof *g->first);
    get(&in, g->first_filter, sizeof g->first_filter);
    g->nprefix = get_array(&in, (void **)&g->prefix, sizeof *g->prefix);
    g->prefix_used = (size_t)get_u64(&in);
    get(&in, g->alias_filter, sizeof g->alias_filter);
    get(&in, g->prefix_filter, sizeof g->prefix_filter);
    g->max_units = (unsigned)get_u64(&in);
    expect_table(&in, e->nslots);
    expect_table(&in, g->nslots);
    expect_table(&in, g->nfirst);
    expect_table(&in, g->nprefix);
    expect(&in, g->max_units > MAX_ALIAS_UNITS, 0);
    expect(&in, in.at, in.n); /* all of it */
    if (in.rc) index_clear(g);
    return in.rc;
}

int rc_gazetteer_index_copied(const rc_gazetteer *g) { return g->index_copied; }

/* MARK: - Queries ------------------------------------------------------------ */

/* rc_gazetteer_match past the first-unit test (out of line, so that the
** common early exit pays for none of its register saves). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static int longest_match(const rc_gazetteer *g, const uint64_t *hashes, size_t i,
                         size_t lim, rc_alias_hit *hit) {
    int found = 0;
    uint64_t key = 0;
    size_t maxn = lim - i < g->max_units ? lim - i : g->max_units;
    for (size_t n = 1; n <= maxn; n++) {
        key = mix(key, hashes[i + n - 1]);
        if (filter_has(g->alias_filter, key)) {
            const alias_slot *s = slot_find(g, key, hashes + i, n);
            if (s->key) {
                *hit = s->hit;
                found = 1;
            }
        }
        if (n < maxn && !(filter_has(g->prefix_filter, key) && prefix_has(g, key)))
            break; /* no longer alias */
    }
    return found;
}

const uint64_t *rc_gazetteer_first_filter(const rc_gazetteer *g) {
    return g->first_filter;
}

/* Whether an alias may start at unit i (before lim), by the filters
** alone: the unit is an alias by itself, or its first two units begin
** one (an alias of two, or the prefix of a longer one).  A clear answer
** is sure; most first units that the text uses often (`the`, `The`,
** `I`) begin no alias with the unit after them. */
static inline int may_start(const rc_gazetteer *g, const uint64_t *hashes, size_t i,
                            size_t lim) {
    uint64_t key = mix(0, hashes[i]);
    if (filter_has(g->alias_filter, key)) return 1;
    if (i + 1 >= lim) return 0;
    key = mix(key, hashes[i + 1]);
    return filter_has(g->alias_filter, key) | filter_has(g->prefix_filter, key);
}

int rc_gazetteer_match(const rc_gazetteer *g, const uint64_t *hashes, size_t i,
                       size_t lim, rc_alias_hit *hit) {
    /* most units fail here: keep this path free of the loop's setup */
    return may_start(g, hashes, i, lim) && first_has(g, hashes[i]) &&
           longest_match(g, hashes, i, lim, hit);
}

size_t rc_gazetteer_next_match(const rc_gazetteer *g, const uint64_t *hashes, size_t i,
                               size_t lim, rc_alias_hit *hit) {
    if (!g->nfirst) return lim;
    /* the filter alone rejects most units (a hash of 0, taken as 1 by the
    ** set, has the same top bits) */
    for (; i < lim; i++)
        if (filter_has(g->first_filter, hashes[i]) && may_start(g, hashes, i, lim) &&
            first_has(g, hashes[i]) && longest_match(g, hashes, i, lim, hit))
            return i;
    return lim;
}

int rc_gazetteer_lookup(const rc_gazetteer *g, const char *name, size_t len,
                        uint32_t *entity) {
    rc_tokens toks;
    rc_units units = {NULL, NULL, 0, 0, g->alc};
    char *scratch = NULL;
    size_t scap = 0;
    rc_tokens_init(&toks, g->alc);
    int found = 0;
    if (alias_units(name, len, &toks, &units, &scratch, &scap) == RC_OK &&
        units.n) {
        rc_alias_hit hit;
        if (rc_gazetteer_match(g, units.hash, 0, units.n, &hit) &&
            hit.nunits == units.n && hit.type != RC_BLOCKED) {
            *entity = hit.entity;
            found = 1;
        }
    }
    for (int t = 0; !found && t < RC_ETYPE_COUNT; t++) {
        uint32_t id = rc_entities_find(&g->ents, name, len, (rc_etype)t);
        if (id != UINT32_MAX) {
            *entity = id;
            found = 1;
        }
    }
    rc_tokens_free(&toks);
    rc_units_free(&units);
    rc_free(g->alc, scratch);
    return found;
}

const rc_entities *rc_gazetteer_entities(const rc_gazetteer *g) {
    return &g->ents;
}

uint32_t rc_gazetteer_country_entity(const rc_gazetteer *g, rc_ccode code) {
    for (size_t k = 0; k < g->ncountry; k++)
        if (g->country_ent[2 * k] == code) return g->country_ent[2 * k + 1];
    return UINT32_MAX;
}

/* MARK: - Listing ------------------------------------------------------------- */

typedef struct listed {
    const char *alias, *canon;
    uint32_t alias_len, canon_len;
    uint8_t type;
    rc_ccode country;
} listed;

static int listed_cmp(const void *a, const void *b) {
    const listed *x = a, *y = b;
    size_t n = x->canon_len < y->canon_len ? x->canon_len : y->canon_len;
    int c = memcmp(x->canon, y->canon, n);
    if (c) return c;
    if (x->canon_len != y->canon_len) return x->canon_len < y->canon_len ? -1 : 1;
    n = x->alias_len < y->alias_len ? x->alias_len : y->alias_len;
    c = memcmp(x->alias, y->alias, n);
    if (c) return c;
    if (x->alias_len != y->alias_len) return x->alias_len < y->alias_len ? -1 : 1;
    return (int)x->type - (int)y->type;
}

rc_status rc_gazetteer_table(const rc_gazetteer *g, rc_table **out) {
    static const char *const names[] = {"alias", "canonical", "type",
                                        "country"};
    static const rc_col_kind kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_STR,
                                        RC_COL_STR};
    *out = NULL;
    if (!g->frozen) return RC_EINVAL;
    listed *v = rc_malloc(g->alc, (g->nslots ? g->nslots : 1) * sizeof *v);
    if (!v) return RC_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < g->nslots; i++) {
        const alias_slot *s = &g->slots[i];
        if (!s->key || s->hit.type == RC_BLOCKED) continue;
        const grow *r = &g->rows[s->row];
        const rc_entity *e = &g->ents.v[s->hit.entity];
        v[n].alias = g->strs + r->alias_off;
        v[n].alias_len = r->alias_len;
        v[n].canon = g->ents.names + e->name_off;
        v[n].canon_len = e->name_len;
        v[n].type = s->hit.type;
        v[n].country = e->country;
        n++;
    }
    qsort(v, n, sizeof *v, listed_cmp);
    rc_table *t;
    rc_status rc = rc_table_new(4, names, kinds, g->alc, &t);
    for (size_t i = 0; rc == RC_OK && i < n; i++) {
        char cc[4];
        rc_ccode_unpack(v[i].country, cc);
        const char *tn = rc_etype_name((rc_etype)v[i].type);
        if ((rc = rc_table_str(t, v[i].alias, v[i].alias_len)) ||
            (rc = rc_table_str(t, v[i].canon, v[i].canon_len)) ||
            (rc = rc_table_str(t, tn, strlen(tn))) ||
            (rc = rc_table_str(t, cc, strlen(cc))) || (rc = rc_table_end_row(t)))
            break;
    }
    rc_free(g->alc, v);
    if (rc) {
        rc_table_free(t);
        return rc;
    }
    *out = t;
    return RC_OK;
}

void rc_gazetteer_hash(const rc_gazetteer *g, char out[17]) {
    uint64_t h = rc_hash_bytes((const char *)rc_builtin_rules, rc_builtin_rules_len);
    for (size_t i = 0; i < g->nrows; i++) {
        const grow *r = &g->rows[i];
        h = mix(h, rc_hash_bytes(g->strs + r->alias_off, r->alias_len));
        h = mix(h, rc_hash_bytes(g->strs + r->canon_off, r->canon_len));
        h = mix(h, (uint64_t)r->type << 32 | r->country);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
