/*
** rc_tagger.c -- the learned entity tagger: features, greedy BILOU
** decoding, and model files.
**
** A sentence is tagged left to right.  Each token that may be part of a
** name gets a score per class (O and B/I/L/U of PER, ORG, LOC, MISC): the
** sum, over its features, of the feature's row of weights.  The best class
** the BILOU grammar allows after the previous one wins (ties: the lower
** class).  Tokens that cannot be part of a name are O without scoring: a
** token is scored when it has a capital letter or a gazetteer match, or
** when it is a link (a connector such as `of`, `and`, `&` or a number)
** inside an open name.  B and I are only allowed when the next token could
** continue the name, so every sequence the decoder makes is valid.
**
** Features are 64-bit hashes of a template and values: the word, its lower
** case, shape, prefixes and suffixes, neighbouring words and shapes, the
** two previous classes, capitalisation at the sentence start, the word
** classes of the rule recognizer (titles, organisation and place words,
** given names ...) and gazetteer matches with their type and position.
** Per-token hashes of words and shapes are computed once per sentence
** (rc_tagwork_prepare); decoding only mixes them with template constants.
** Preparing first sets every token's flags (a cheap test of its bytes);
** only then are hashes computed, and only for the tokens a scored token
** reads (itself and two tokens either side): in news text more than half
** of the tokens are neither.  The other tokens' hashes stay unset.
** Preparing also lists the tokens that may be scored (candidates and
** links): decoding visits only those, the others are O.
**
** A tagwork keeps a cache of the summed rows of the features of words in
** their place (the word, its lower case, shape and affixes, with the
** previous class, the previous word's classes, the clause start) in the
** model it last tagged with: names and sentence-initial words repeat, so
** most scored tokens look up only the features of their neighbours.
** Affix hashes are computed from the sentence's bytes only when a word's
** features are looked up.  The neighbour features of the next scored
** tokens do not depend on the decoder's choices: their rows (and, where
** the place is known, word cache entries) are looked up a few tokens
** ahead, so that the random reads of the model's table overlap (struct
** ahead).
**
** A model is a read-only view of its file's bytes (layout in rc_tagger.h):
** an open-addressing table from feature hash to a row of int16 weights.
** Opening checks the header and sizes and borrows the bytes; it also sums,
** once, the rows of the features with few values (previous classes, flags,
** history label, gazetteer matches, word classes: about 2,000 look-ups into
** 50 KB of tables), so tagging looks up only the features of words and
** shapes.  The model compiled into the core (csrc/data/ner_model.bin)
** loads in well under a millisecond, and a model may be shared by
** threads.  No floating point is used in tagging: scores are int32 sums,
** exact in any order.
*/
#include "rc_tagger.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <xxhash.h>

#include "rc_entity.h"

/* MARK: - Per-token hashes ------------------------------------------------ */

#define TT_CAND 0x01u    /* may be (part of) a name: scored */
#define TT_LINK 0x02u    /* may join a name's parts: scored inside a name */
#define TT_INITIAL 0x04u /* first word of the sentence or clause (only set on
                            tokens that may be scored) */
#define TT_NEXT 0x08u    /* the next token may continue a name */
#define TT_CAP 0x10u     /* capitalised */
#define TT_UPPER 0x20u   /* all capitals */
#define TT_HEAD 0x40u    /* in an all-capitals sentence (rc_tagwork.head) */
#define TT_NORM 0x80u    /* a candidate hashed in its normal form (normalise) */

#define NAFFIX 6 /* prefixes of 2..4 bytes, suffixes of 2..4 */
#define MAXNORM 64

struct tagtok_h {
    uint64_t word, lower, shape;
    uint8_t flags, gaz, cls, common;
};

/* Labels earlier in the document: 0 O, 1 + type.  An entry is live when
** its key is not 0 and its gen is the document's (rc_tagwork.hist_gen):
** starting a document only bumps the stamp, so no table is cleared. */
struct taghist {
    uint64_t key; /* lower-case word hash | 1, 0 = never used */
    uint32_t gen;
    uint16_t count[1 + RC_TAG_TYPES];
};

static inline int hist_live(const rc_tagwork *w, const struct taghist *e) {
    return e->key && e->gen == w->hist_gen;
}

void rc_tagwork_free(rc_tagwork *w) {
    rc_free(w->alc, w->words);
    w->words = NULL;
    w->words_model = 0;
    rc_free(w->alc, w->t);
    rc_free(w->alc, w->scorable);
    rc_free(w->alc, w->hist);
    w->t = NULL;
    w->scorable = NULL;
    w->hist = NULL;
    w->n = w->cap = w->nscorable = w->scorable_cap = w->hist_n = w->hist_cap = 0;
}

void rc_tagwork_doc_begin(rc_tagwork *w) {
    if (++w->hist_gen == 0 && w->hist_cap) /* the stamp wrapped: clear once */
        memset(w->hist, 0, w->hist_cap * sizeof *w->hist);
    w->hist_n = 0;
    w->hist_failed = 0;
}

static struct taghist *hist_find(const rc_tagwork *w, uint64_t key) {
    if (!w->hist_cap) return NULL;
    key |= 1;
    for (size_t i = key & (w->hist_cap - 1);; i = (i + 1) & (w->hist_cap - 1)) {
        if (!hist_live(w, &w->hist[i])) return NULL;
        if (w->hist[i].key == key) return &w->hist[i];
    }
}

static int hist_grow(rc_tagwork *w) {
    size_t cap = w->hist_cap ? w->hist_cap * 2 : 256;
    struct taghist *h = rc_malloc(w->alc, cap * sizeof *h);
    if (!h) return 0;
    memset(h, 0, cap * sizeof *h);
    for (size_t j = 0; j < w->hist_cap; j++) {
        if (!hist_live(w, &w->hist[j])) continue;
        size_t i = w->hist[j].key & (cap - 1);
        while (h[i].key) i = (i + 1) & (cap - 1);
        h[i] = w->hist[j];
    }
    rc_free(w->alc, w->hist);
    w->hist = h;
    w->hist_cap = cap;
    return 1;
}

/* Count label (0 O, 1 + type) for the word, whose entry is e (hist_find,
** NULL when it has none); a failed grow only stops the history from
** learning (hist_failed), which is deterministic for a given allocator. */
static void hist_add(rc_tagwork *w, struct taghist *e, uint64_t key, int label) {
    if (!e) {
        if (w->hist_failed) return;
        if ((w->hist_n + 1) * 2 > w->hist_cap && !hist_grow(w)) {
            w->hist_failed = 1;
            return;
        }
        key |= 1;
        size_t i = key & (w->hist_cap - 1);
        while (hist_live(w, &w->hist[i])) i = (i + 1) & (w->hist_cap - 1);
        e = &w->hist[i];
        memset(e, 0, sizeof *e);
        e->key = key;
        e->gen = w->hist_gen;
        w->hist_n++;
    }
    if (e->count[label] < UINT16_MAX) e->count[label]++;
}

/* The label most often given to the word of entry e before (ties: the
** lower), or 1 + RC_TAG_TYPES when it was not seen (e NULL). */
static int hist_label(const struct taghist *e) {
    if (!e) return 1 + RC_TAG_TYPES;
    int best = 0;
    for (int l = 1; l <= RC_TAG_TYPES; l++)
        if (e->count[l] > e->count[best]) best = l;
    return best;
}

static inline uint64_t mix(uint64_t a, uint64_t b) {
    uint64_t h = a ^ (b * 0x9E3779B97F4A7C15ull);
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 29;
    return h;
}


static int is_link_word(const char *s, size_t n, unsigned cls) {
    if (cls & RC_WC_CONNECTOR) return 1;
    switch (n) {
    case 1: return s[0] == '&' || s[0] == '.' || s[0] == '\'' || s[0] == 'y';
    case 2: return (s[0] == 'o' && s[1] == 'n') || (s[0] == 'a' && s[1] == 't');
    case 3: return !memcmp(s, "and", 3);
    default: return 0;
    }
}

static int opens_clause(const char *s, size_t n) {
    return n == 1 && (s[0] == '"' || s[0] == '(' || s[0] == ':' || s[0] == '-' ||
                      s[0] == '\'' || s[0] == '[');
}

static inline char lower_byte(char c) {
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static uint64_t fnv_lower(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)lower_byte(s[i])) * 0x100000001b3ull;
    return h;
}

/* The short shape of a byte: X capitals, x small letters, d digits, u the
** lead byte of a non-ASCII character, 0 (no shape) its continuation bytes,
** any other byte itself (generated from those rules). */
static const unsigned char shape_byte[256] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
    32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
    'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 58, 59, 60, 61, 62, 63,
    64, 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X',
    'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X', 91, 92, 93, 94, 95,
    96, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 123, 124, 125, 126, 127,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
};

/* The high bit of each byte of x that is an ASCII capital (shape 'X'),
** eight bytes at once (SWAR): a byte's range tests land in its high bit
** with no carries, since the bytes are masked to 7 bits first. */
static inline uint64_t capital_bytes(uint64_t x) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, high = 0x8080808080808080ull;
    uint64_t b = x & low7;
    uint64_t from_a = b + 0x3F3F3F3F3F3F3F3Full;  /* high bit: b >= 'A' */
    uint64_t past_z = b + 0x2525252525252525ull;  /* high bit: b > 'Z' */
    return from_a & ~past_z & ~x & high;
}

/* Whether s[0..n) has an ASCII capital; *high: whether it has a byte
** >= 0x80.  The loads overlap (as in rc_unit_hash_seen) and never leave
** s[0..n): both tests only ask whether some byte matches. */
static inline int has_capital(const char *p, size_t n, int *high) {
    const unsigned char *s = (const unsigned char *)p;
    uint64_t caps = 0, seen = 0, x;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            x = rc_load64(s + i);
            seen |= x;
            caps |= capital_bytes(x);
        }
        x = rc_load64(s + n - 8);
    } else if (n >= 4) {
        x = rc_load32(s) << 32 | rc_load32(s + n - 4);
    } else {
        x = n ? (uint64_t)s[0] | (uint64_t)s[n / 2] << 8 | (uint64_t)s[n - 1] << 16 : 0;
    }
    seen |= x;
    caps |= capital_bytes(x);
    *high = (seen & 0x8080808080808080ull) != 0;
    return caps != 0;
}

/* has_capital of a token read in place (plain_token): a short token's
** bytes in one load (rc_token_short_value), no byte outside the text. */
static inline int plain_has_capital(const char *text, const rc_token *t, int *high) {
    uint64_t x;
    if (rc_token_short_value(text, t, &x)) {
        *high = (x & 0x8080808080808080ull) != 0;
        return capital_bytes(x) != 0;
    }
    return has_capital(text + t->start, t->end - t->start, high);
}

/* One pass over the normalised bytes s[0..n): the word's hash, its lower
** case's, its short shape's (shape_byte, runs collapsed). */
static inline void word_hashes(struct tagtok_h *h, const char *s, size_t n) {
    uint64_t hw = 0xcbf29ce484222325ull, hl = hw, hs = hw;
    unsigned last = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i], sh = shape_byte[c], up = sh == 'X';
        hw = (hw ^ c) * 0x100000001b3ull;
        hl = (hl ^ (c | up << 5)) * 0x100000001b3ull; /* A-Z -> a-z */
        int run = sh && sh != last; /* a new run of the shape */
        hs = run ? (hs ^ sh) * 0x100000001b3ull : hs;
        last = run ? sh : last;
    }
    h->word = hw;
    h->lower = hl;
    h->shape = hs;
}

/* The lower-case hashes of the prefixes of 2, 3 and 4 bytes (at most n):
** fnv_lower(s, min(n, k)) for k = 2..4, in one pass. */
static void prefix_hashes(const char *s, size_t n, uint64_t out[3]) {
    uint64_t h = 0xcbf29ce484222325ull;
    size_t m = n < 4 ? n : 4;
    for (size_t i = 0; i < m; i++) {
        h = (h ^ (unsigned char)lower_byte(s[i])) * 0x100000001b3ull;
        if (i >= 1) out[i - 1] = h;
    }
    for (size_t k = m < 2 ? 0 : m - 1; k < 3; k++) out[k] = h;
}

/* ASCII without a joined line break is its own normal form, read in
** place; other tokens (and ASCII-looking ones that turn out to hold a byte
** >= 0x80) are normalised into buf, at most MAXNORM bytes. */
static inline int plain_token(const rc_token *t) {
    return t->end - t->start <= MAXNORM && !(t->flags & RC_TF_LINE_JOINED);
}

static size_t normalise(const char *text, const rc_token *t, char buf[MAXNORM]) {
    size_t n = rc_token_norm(text, t, buf, MAXNORM);
    return n > MAXNORM ? MAXNORM : n;
}

/* The word and shape hashes of s[0..n), which has no ASCII capital; its
** lower case is itself.  Returns whether it has a byte >= 0x80. */
static inline int lower_word_hashes(struct tagtok_h *h, const char *s, size_t n) {
    uint64_t hw = 0xcbf29ce484222325ull, hs = hw;
    unsigned seen = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i], sh = shape_byte[c];
        seen |= c;
        hw = (hw ^ c) * 0x100000001b3ull;
        int run = sh && sh != last;
        hs = run ? (hs ^ sh) * 0x100000001b3ull : hs;
        last = run ? sh : last;
    }
    h->word = h->lower = hw;
    h->shape = hs;
    return (seen & 0x80) != 0;
}

/* The hashes of a token that is no candidate, so has no ASCII capital in
** its normal form (token_flags). */
static void other_hashes(struct tagtok_h *h, const char *text, const rc_token *t) {
    char buf[MAXNORM];
    if (plain_token(t) && !lower_word_hashes(h, text + t->start, t->end - t->start))
        return;
    lower_word_hashes(h, buf, normalise(text, t, buf));
}

/* The affix hashes of token i of the prepared sentence when it is scored:
** a candidate's prefixes and suffixes of 2..4 bytes of its (normalised)
** word, a link's 0.  Worked out only when needed (a word cache misses). */
static void affix_hashes(const rc_tagwork *w, size_t i, uint64_t affix[NAFFIX]) {
    const struct tagtok_h *h = &w->t[i];
    if (!(h->flags & TT_CAND)) {
        memset(affix, 0, NAFFIX * sizeof *affix);
        return;
    }
    char buf[MAXNORM];
    const rc_token *t = &w->toks[i];
    const char *s = w->text + t->start;
    size_t n = t->end - t->start;
    if (h->flags & TT_NORM) {
        n = normalise(w->text, t, buf);
        s = buf;
    }
    uint64_t prefix[3] = {0, 0, 0}; /* all set by prefix_hashes */
    prefix_hashes(s, n, prefix);
    for (size_t k = 2; k <= 4; k++) {
        size_t m = n < k ? n : k;
        affix[k - 2] = prefix[k - 2] + k;
        affix[k + 1] = fnv_lower(s + n - m, m) + 16 * k;
    }
}

/* The token's own flags (TT_CAND, TT_LINK, TT_CAP, TT_UPPER, TT_NORM) and
** facts; a candidate's word hashes too, since it is always scored.  Other
** tokens get their hashes later, and only when a scored token may read
** them. */
static void token_flags(struct tagtok_h *h, const char *text, const rc_token *t,
                        const rc_tagtok *in) {
    char buf[MAXNORM];
    const char *w = text + t->start;
    size_t n = t->end - t->start;
    int high = 0, caps = 0, plain = plain_token(t);
    if (plain) caps = plain_has_capital(text, t, &high);
    if (!plain || high) {
        n = normalise(text, t, buf);
        w = buf;
        caps = has_capital(w, n, &high);
    }
    h->flags = 0;
    h->gaz = in->gaz;
    h->cls = in->cls;
    h->common = in->common;
    /* a capitalised word (TT_CAP) has RC_TF_UPPER_INITIAL or a capital */
    if ((t->flags & (RC_TF_UPPER_INITIAL | RC_TF_ALL_UPPER)) || caps || in->gaz) {
        int cap = (t->flags & RC_TF_UPPER_INITIAL) || (n && w[0] >= 'A' && w[0] <= 'Z');
        h->flags = TT_CAND | (cap ? TT_CAP : 0) | (t->flags & RC_TF_ALL_UPPER ? TT_UPPER : 0) |
                   (w == buf ? TT_NORM : 0);
        word_hashes(h, w, n);
    } else if (t->kind == RC_TOK_NUMBER || is_link_word(w, n, in->cls)) {
        h->flags |= TT_LINK;
    }
}

/* Hash the tokens that are no candidates but lie within two tokens of one
** that may be scored (features() reads tokens i-2 .. i+2).  A candidate is
** scored; a link only inside an open name, so only right after a token
** that may be scored.  Hashes of other tokens are left unset: nothing
** reads them. */
static void hash_near_scored(rc_tagwork *w, const char *text, const rc_token *toks) {
    size_t n = w->n, done = 0; /* tokens before done are hashed or skipped */
    size_t last = SIZE_MAX;    /* the last token that may be scored */
    for (size_t k = 0; k < w->nscorable; k++) {
        size_t i = w->scorable[k];
        unsigned f = w->t[i].flags;
        if (!(f & TT_CAND) && (last == SIZE_MAX || last + 1 != i)) continue;
        last = i;
        size_t j = i >= 2 && i - 2 > done ? i - 2 : done;
        size_t end = i + 3 < n ? i + 3 : n;
        for (; j < end; j++)
            if (!(w->t[j].flags & TT_CAND)) other_hashes(&w->t[j], text, &toks[j]);
        done = end;
    }
}

/* Whether every word of toks[0..n) is in capitals (RC_TF_ALL_UPPER). */
static int all_words_upper(const rc_token *toks, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (toks[i].kind == RC_TOK_WORD && !(toks[i].flags & RC_TF_ALL_UPPER)) return 0;
    return 1;
}

rc_status rc_tagwork_prepare(rc_tagwork *w, const char *text,
                             const rc_token *toks, const rc_tagtok *in,
                             size_t n) {
    if (rc_grow(w->alc, (void **)&w->t, &w->cap, n ? n : 1, sizeof *w->t) ||
        rc_grow(w->alc, (void **)&w->scorable, &w->scorable_cap, n ? n : 1,
                sizeof *w->scorable))
        return RC_ENOMEM;
    w->n = n;
    w->text = text;
    w->toks = toks;
    size_t upper = 0, ns = 0; /* upper: words in capitals (candidates all) */
    for (size_t i = 0; i < n; i++) {
        struct tagtok_h *h = &w->t[i];
        token_flags(h, text, &toks[i], &in[i]);
        int may = (h->flags & (TT_CAND | TT_LINK)) != 0;
        w->scorable[ns] = (uint32_t)i;
        ns += may;
        if (!may) continue;
        if (i == 0 || opens_clause(text + toks[i - 1].start, toks[i - 1].end - toks[i - 1].start))
            h->flags |= TT_INITIAL;
        if (i > 0) w->t[i - 1].flags |= TT_NEXT;
        upper += (h->flags & TT_UPPER) && toks[i].kind == RC_TOK_WORD;
    }
    w->nscorable = ns;
    w->head = upper >= 2 && all_words_upper(toks, n);
    hash_near_scored(w, text, toks);
    return RC_OK;
}

/* MARK: - Features ---------------------------------------------------------- */

/* Template numbers: part of the model's feature set (RC_MODEL_FEATURES). */
enum {
    F_BIAS = 1, F_WORD, F_LOWER, F_SHAPE, F_AFFIX, F_PREV_LOWER, F_NEXT_LOWER,
    F_PREV2_LOWER, F_NEXT2_LOWER, F_PREV_SHAPE, F_NEXT_SHAPE, F_SHAPES3,
    F_BIGRAM_L, F_BIGRAM_R, F_TAG1, F_TAG2, F_TAG1_LOWER, F_GAZ, F_PREV_GAZ,
    F_NEXT_GAZ, F_CLS, F_PREV_CLS, F_NEXT_CLS, F_INITIAL, F_HEAD_SHAPE,
    F_COMMON, F_TAG1_SHAPE, F_PREV_WORD_CLS, F_HIST, F_HIST_INITIAL
};

#define MAXFEATS 40
#define NWORDF (3 + NAFFIX) /* hashed features of the word alone */
#define NOWNF 5             /* of the word in its place, at most */
#define NNEARF 9             /* of the neighbours */
#define NBYTEF 6   /* byte features: gazetteer matches and word classes */
#define NHIST (RC_TAG_TYPES + 2) /* history labels: O, a type, unseen */
#define NSTATE (NHIST * 32)      /* state_index values */

static const struct tagtok_h edge_tok = {1, 1, 1, 0, 0, 0, 0};

/* A scored token's features are of two kinds.  Hashed features have a
** word or a shape among their values; their rows are looked up in the
** model's table when the token is scored.  Small features have few values
** (the previous classes, flags, the history label, gazetteer matches and
** word classes): an open model holds their rows, summed where several
** share their inputs (rc_tagger.cls_rows, state_rows, byte_rows), so
** tagging looks none of them up.  Training sees both kinds as hashes
** (features()).  The order of a token's features matters to neither:
** sums and updates commute. */

/* Token i of the prepared sentence and its neighbours. */
struct around {
    const struct tagtok_h *t, *a, *a2, *b, *b2; /* i, i-1, i-2, i+1, i+2 */
    unsigned head;                               /* TT_HEAD or 0 */
};

static inline struct around around(const rc_tagwork *w, size_t i) {
    struct around x;
    x.t = &w->t[i];
    x.a = i > 0 ? &w->t[i - 1] : &edge_tok;
    x.a2 = i > 1 ? &w->t[i - 2] : &edge_tok;
    x.b = i + 1 < w->n ? &w->t[i + 1] : &edge_tok;
    x.b2 = i + 2 < w->n ? &w->t[i + 2] : &edge_tok;
    x.head = w->head ? TT_HEAD : 0;
    return x;
}

/* The hashed features of the word of token i alone. */
static inline void word_features(const rc_tagwork *w, size_t i, uint64_t f[NWORDF]) {
    const struct tagtok_h *t = &w->t[i];
    uint64_t affix[NAFFIX];
    affix_hashes(w, i, affix);
    f[0] = mix(F_WORD, t->word);
    f[1] = mix(F_LOWER, t->lower);
    f[2] = mix(F_SHAPE, t->shape);
    for (int j = 0; j < NAFFIX; j++) f[3 + j] = mix(F_AFFIX, affix[j]);
}

/* The hashed features of x's word in its place: after class p1, in the
** sentence's head or not, after the previous token's word classes, at the
** start of a clause or not. */
static inline size_t own_features(const struct around *x, int p1, uint64_t *f) {
    const struct tagtok_h *t = x->t;
    size_t k = 0;
    f[k++] = mix(mix(F_TAG1_LOWER, (uint64_t)p1), t->lower);
    f[k++] = mix(mix(F_TAG1_SHAPE, (uint64_t)p1), t->shape);
    f[k++] = mix(mix(F_PREV_WORD_CLS, x->a->cls), t->shape);
    f[k++] = mix(mix(F_HEAD_SHAPE, (uint64_t)x->head), t->shape);
    if (t->flags & TT_INITIAL) f[k++] = mix(F_COMMON, t->lower);
    assert(k <= NOWNF);
    return k;
}

/* The hashed features of x's neighbours' words and shapes. */
static inline void near_features(const struct around *x, uint64_t f[NNEARF]) {
    const struct tagtok_h *t = x->t, *a = x->a, *a2 = x->a2, *b = x->b, *b2 = x->b2;
    f[0] = mix(F_PREV_LOWER, a->lower);
    f[1] = mix(F_NEXT_LOWER, b->lower);
    f[2] = mix(F_PREV2_LOWER, a2->lower);
    f[3] = mix(F_NEXT2_LOWER, b2->lower);
    f[4] = mix(F_PREV_SHAPE, a->shape);
    f[5] = mix(F_NEXT_SHAPE, b->shape);
    f[6] = mix(mix(F_SHAPES3, a->shape), mix(t->shape, b->shape));
    f[7] = mix(mix(F_BIGRAM_L, a->lower), t->lower);
    f[8] = mix(mix(F_BIGRAM_R, t->lower), b->lower);
}

/* The small features of the previous classes p1, p2 (with the bias). */
static void class_features(int p1, int p2, uint64_t f[3]) {
    f[0] = mix(F_BIAS, 0);
    f[1] = mix(F_TAG1, (uint64_t)p1);
    f[2] = mix(F_TAG2, (uint64_t)(p1 * 32 + p2));
}

/* The small features of a token's flags (TT_INITIAL, TT_CAP, TT_UPPER),
** its common (0 or 1), the sentence's head and the history label hl. */
static void state_features(unsigned flags, unsigned common, unsigned head, int hl,
                           uint64_t f[3]) {
    f[0] = mix(F_INITIAL, (uint64_t)(flags & (TT_INITIAL | TT_CAP | TT_UPPER)) +
                              256u * common);
    f[1] = mix(F_HIST, (uint64_t)hl);
    f[2] = mix(mix(F_HIST_INITIAL, (uint64_t)hl), (flags & TT_INITIAL) | head);
}

/* The row of state_rows that sums state_features. */
static inline size_t state_index(unsigned flags, unsigned common, unsigned head, int hl) {
    return (size_t)hl * 32 + (head ? 16 : 0) + 8 * common +
           ((flags >> 2) & 1) + ((flags >> 3) & 6); /* INITIAL 1, CAP 2, UPPER 4 */
}

/* The byte features: templates and values (the gazetteer match and the
** word classes of the token, then of the previous and the next token). */
#define NOWNB 2 /* the first NOWNB are the token's own */
static const uint8_t byte_template[NBYTEF] = {F_GAZ, F_CLS, F_PREV_GAZ,
                                              F_NEXT_GAZ, F_PREV_CLS, F_NEXT_CLS};

static inline void byte_values(const struct around *x, uint8_t v[NBYTEF]) {
    v[0] = x->t->gaz;
    v[1] = x->t->cls;
    v[2] = x->a->gaz;
    v[3] = x->b->gaz;
    v[4] = x->a->cls;
    v[5] = x->b->cls;
}

/* All the features of token i after classes p1, p2, with hl its word's
** history label (hist_label), as hashes (training). */
static size_t features(const rc_tagwork *w, size_t i, int p1, int p2, int hl,
                       uint64_t *f) {
    struct around x = around(w, i);
    uint8_t v[NBYTEF];
    word_features(w, i, f);
    near_features(&x, f + NWORDF);
    size_t k = NWORDF + NNEARF + own_features(&x, p1, f + NWORDF + NNEARF);
    class_features(p1, p2, f + k);
    state_features(x.t->flags, x.t->common, x.head, hl, f + k + 3);
    k += 6;
    byte_values(&x, v);
    for (int j = 0; j < NBYTEF; j++) f[k++] = mix(byte_template[j], v[j]);
    assert(k <= MAXFEATS);
    return k;
}

/* MARK: - Decoding ---------------------------------------------------------- */

/* The best class (ties: the lower) by scores s that the BILOU grammar
** allows after class p1; next: the next token may continue a name. */
static inline int best_class(const int32_t *s, int p1, int next) {
    int best = 0;
    if (p1 && rc_tag_pos(p1) <= RC_TAG_I) { /* an open name */
        int ty = rc_tag_type(p1);
        best = rc_tag_class(ty, RC_TAG_L);
        int in = rc_tag_class(ty, RC_TAG_I);
        if (next && s[in] > s[best]) best = in;
        return best;
    }
    for (int ty = 0; ty < RC_TAG_TYPES; ty++) { /* classes in order */
        int b = rc_tag_class(ty, RC_TAG_B), u = rc_tag_class(ty, RC_TAG_U);
        if (next && s[b] > s[best]) best = b;
        if (s[u] > s[best]) best = u;
    }
    return best;
}

/* Decoding with a model reads the model's table ahead of the tokens'
** turns, so that the reads of several tokens overlap: before scoring the
** k-th scored token, the rows of the neighbour and byte features of the
** next one are found (their slots were prefetched AHEAD - 1 tokens
** earlier) and prefetched, and the neighbour features of the token AHEAD
** places on are hashed and their slots prefetched.  These features do
** not depend on the classes the decoder picks.  Only candidates are
** looked up ahead: a link is scored only inside a name.  A token scored
** without its rows found ahead (the first of a sentence, links) finds
** them when scored.  The word cache entry of a token is prefetched AHEAD
** tokens early when its previous class is known then (the token before
** it is not scored: O), else when its turn comes. */
#define AHEAD 3

struct nearrows {
    size_t i; /* the token whose rows these are; SIZE_MAX none */
    size_t n;
    const int16_t *rows[NNEARF + NBYTEF - NOWNB];
};

struct ahead {
    size_t hashed[AHEAD + 1]; /* the token of f, SIZE_MAX none: at k % (AHEAD + 1) */
    uint64_t f[AHEAD + 1][NNEARF]; /* hashes, slots prefetched */
    struct nearrows r[2];          /* scorable[k]'s at k & 1 */
};

static void ahead_begin(const rc_tagger *m, rc_tagwork *w, struct ahead *ah);
static void ahead_step(const rc_tagger *m, rc_tagwork *w, struct ahead *ah, size_t k,
                       int p1);
static void model_score(const rc_tagger *m, rc_tagwork *w, size_t i, int p1,
                        int p2, int hl, struct nearrows *r, int32_t *s);

/* The decoder of rc_tag_decode (m NULL: scores by score(model, ...)) and
** of rc_tagger_tag (m: scores by model_score).  Only the tokens of
** w->scorable may be scored; the others are O. */
static inline void decode(rc_tagwork *w, const rc_tagger *m, rc_tag_scorer score,
                          const void *model, uint8_t *tags, const uint8_t *gold,
                          rc_tag_update update, void *umodel) {
    uint64_t f[MAXFEATS];
    struct ahead ah;
    if (m) ahead_begin(m, w, &ah);
    if (w->n) memset(tags, 0, w->n);
    for (size_t k = 0; k < w->nscorable; k++) {
        size_t i = w->scorable[k];
        const struct tagtok_h *t = &w->t[i];
        int p1 = i > 0 ? tags[i - 1] : 0, p2 = i > 1 ? tags[i - 2] : 0;
        if (m) ahead_step(m, w, &ah, k, p1);
        if (!(t->flags & TT_CAND) && !(p1 && rc_tag_pos(p1) <= RC_TAG_I))
            continue; /* a link outside a name */
        struct taghist *e = hist_find(w, t->lower);
        int32_t s[RC_TAG_CLASSES];
        size_t nf = 0;
        if (m) {
            model_score(m, w, i, p1, p2, hist_label(e), &ah.r[k & 1], s);
        } else {
            memset(s, 0, sizeof s);
            nf = features(w, i, p1, p2, hist_label(e), f);
            score(model, f, nf, s);
        }
        int best = best_class(s, p1, (t->flags & TT_NEXT) != 0);
        if (gold && gold[i] != best) update(umodel, f, nf, gold[i], best);
        if (t->flags & TT_CAND) hist_add(w, e, t->lower, best ? 1 + rc_tag_type(best) : 0);
        tags[i] = (uint8_t)best;
    }
}

void rc_tag_decode(rc_tagwork *w, rc_tag_scorer score, const void *model,
                   uint8_t *tags, const uint8_t *gold, rc_tag_update update,
                   void *umodel) {
    decode(w, NULL, score, model, tags, gold, update, umodel);
}

/* MARK: - Model files -------------------------------------------------------- */

/* A model: the borrowed bytes, and the rows of the small features summed
** when it opens (small_rows; no row is a row of zeros). */
struct rc_tagger {
    const rc_allocator *alc;
    const unsigned char *data;
    size_t len;
    const uint32_t *slots; /* key, row pairs */
    const int16_t *rows;
    uint32_t nslots, nrows, ncls;
    uint64_t id; /* tells word caches apart (model_id) */
    int32_t cls_rows[RC_TAG_CLASSES * RC_TAG_CLASSES][RC_TAG_CLASSES]; /* p1 * 17 + p2 */
    int32_t state_rows[NSTATE][RC_TAG_CLASSES];                         /* state_index */
    const int16_t *byte_rows[NBYTEF][256];                              /* template, value */
};

static const int16_t zero_row[RC_TAG_CLASSES];
static const int32_t zero_sum[RC_TAG_CLASSES];

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int little_endian(void) {
    uint16_t x = 1;
    unsigned char c;
    memcpy(&c, &x, 1);
    return c == 1;
}

/* The row of feature hash h, or NULL.  A slot is read as one 64-bit
** word: key in the low half, row in the high (little-endian, checked when
** the model opens). */
static inline const int16_t *model_row(const rc_tagger *m, uint64_t h) {
    uint32_t key = rc_model_key(h), mask = m->nslots - 1;
    const unsigned char *slots = (const unsigned char *)m->slots;
    for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
        uint64_t slot = rc_load64(slots + 8 * (size_t)i);
        if ((uint32_t)slot == key) return m->rows + (slot >> 32) * RC_TAG_CLASSES;
        if (!(uint32_t)slot) return NULL;
    }
}

/* out = the sum of the rows of the features f[0..n). */
static void sum_rows(const rc_tagger *m, const uint64_t *f, size_t n, int32_t *out) {
    memset(out, 0, RC_TAG_CLASSES * sizeof *out);
    for (size_t j = 0; j < n; j++) {
        const int16_t *r = model_row(m, f[j]);
        if (r)
            for (int c = 0; c < RC_TAG_CLASSES; c++) out[c] += r[c];
    }
}

/* Fill the rows of the small features: every value of each (2,000 table
** look-ups). */
static void small_rows(rc_tagger *m) {
    uint64_t f[3];
    for (int p1 = 0; p1 < RC_TAG_CLASSES; p1++)
        for (int p2 = 0; p2 < RC_TAG_CLASSES; p2++) {
            class_features(p1, p2, f);
            sum_rows(m, f, 3, m->cls_rows[p1 * RC_TAG_CLASSES + p2]);
        }
    for (int hl = 0; hl < NHIST; hl++)
        for (unsigned bits = 0; bits < 32; bits++) {
            unsigned flags = (bits & 1 ? TT_INITIAL : 0) | (bits & 2 ? TT_CAP : 0) |
                             (bits & 4 ? TT_UPPER : 0);
            unsigned common = (bits >> 3) & 1, head = bits & 16 ? TT_HEAD : 0;
            assert(state_index(flags, common, head, hl) == (size_t)hl * 32 + bits);
            state_features(flags, common, head, hl, f);
            sum_rows(m, f, 3, m->state_rows[hl * 32 + bits]);
        }
    for (int j = 0; j < NBYTEF; j++)
        for (unsigned v = 0; v < 256; v++) {
            const int16_t *r = model_row(m, mix(byte_template[j], v));
            m->byte_rows[j][v] = r ? r : zero_row;
        }
}

extern const unsigned char rc_builtin_model[];
extern const size_t rc_builtin_model_len;

/* An id of a model's bytes, for word caches (rc_tagger_tag): 1 for the
** built-in model, whose bytes never change; an even hash of the bytes of
** any other (about a millisecond for 5 MB). */
static uint64_t model_id(const unsigned char *p, size_t len) {
    if (p == rc_builtin_model && len == rc_builtin_model_len) return 1;
    return XXH3_64bits(p, len) << 1;
}

rc_status rc_tagger_open(const void *data, size_t len, const rc_allocator *alc,
                         rc_tagger **out, rc_error *err) {
    const unsigned char *p = data;
    *out = NULL;
    if (len < RC_MODEL_HEADER || memcmp(p, RC_MODEL_MAGIC, 8))
        return rc_error_set(err, RC_EPARSE, 0, "not a relcore tagger model "
                            "(no RCTAGGER header)");
    uint32_t version = get_u32(p + 8), feats = get_u32(p + 12);
    if (version != RC_MODEL_VERSION || feats != RC_MODEL_FEATURES)
        return rc_error_set(err, RC_EVERSION, 8,
                            "tagger model has format version %u, feature set %u; "
                            "this relcore reads version %u, feature set %u "
                            "(retrain it with relcore train-ner)",
                            version, feats, RC_MODEL_VERSION, RC_MODEL_FEATURES);
    uint32_t ncls = get_u32(p + 16), lg = get_u32(p + 20), nrows = get_u32(p + 24);
    if (ncls != RC_TAG_CLASSES || lg > 30)
        return rc_error_set(err, RC_EPARSE, 16, "tagger model header is corrupt");
    uint64_t nslots = (uint64_t)1 << lg;
    uint64_t need = RC_MODEL_HEADER + nslots * 8 + (uint64_t)nrows * ncls * 2;
    if (need != len || nrows > nslots)
        return rc_error_set(err, RC_EPARSE, 24, "tagger model is truncated or "
                            "corrupt (%zu bytes, header says %llu)",
                            len, (unsigned long long)need);
    if (!little_endian() || ((uintptr_t)p & 3))
        return rc_error_set(err, RC_EINVAL, 0, "tagger model needs a "
                            "little-endian machine and 4-byte aligned bytes");
    rc_tagger *m = rc_malloc(alc, sizeof *m);
    if (!m) return RC_ENOMEM;
    m->alc = alc;
    m->data = p;
    m->len = len;
    m->slots = (const uint32_t *)(const void *)(p + RC_MODEL_HEADER);
    m->rows = (const int16_t *)(const void *)(p + RC_MODEL_HEADER + nslots * 8);
    m->nslots = (uint32_t)nslots;
    m->nrows = nrows;
    m->ncls = ncls;
    m->id = model_id(p, len);
    small_rows(m);
    *out = m;
    return RC_OK;
}

rc_status rc_tagger_builtin(const rc_allocator *alc, rc_tagger **out,
                            rc_error *err) {
    return rc_tagger_open(rc_builtin_model, rc_builtin_model_len, alc, out, err);
}

void rc_tagger_free(rc_tagger *m) {
    if (m) rc_free(m->alc, m);
}

size_t rc_tagger_size(const rc_tagger *m) { return m->len; }

/* FNV-style over 8-byte words (then the tail) of p[0..len), as 16 hex
** digits. */
static void bytes_hash(const unsigned char *p, size_t len, char out[17]) {
    uint64_t h = 0xcbf29ce484222325ull ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t v = (uint64_t)get_u32(p + i) | (uint64_t)get_u32(p + i + 4) << 32;
        h = (h ^ v) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    for (; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    static const char hex[] = "0123456789abcdef";
    for (int k = 0; k < 16; k++) out[k] = hex[(h >> (60 - 4 * k)) & 15];
    out[16] = 0;
}

void rc_tagger_hash(const rc_tagger *m, char out[17]) {
    bytes_hash(m->data, m->len, out);
}

void rc_model_hash(char out[17]) {
    bytes_hash(rc_builtin_model, rc_builtin_model_len, out);
}

/* MARK: - Scoring with a model ------------------------------------------------ */

/* s = the int32 rows u, v, x plus the int16 rows r[0..n): 16 classes at
** once, then the last.  With SSE2 (every x86-64) in four registers of four
** int32 sums, two int16 rows at a time (interleave their words, multiply-
** add the pairs by 1; the last row of an odd count pairs with the row of
** zeros); elsewhere a loop. */
static inline void add_rows(const int32_t *u, const int32_t *v, const int32_t *x,
                            const int16_t *const *r, size_t n, int32_t *s) {
    int32_t last = u[16] + v[16] + x[16];
#if defined(__SSE2__)
#define LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define LOAD3(k) _mm_add_epi32(_mm_add_epi32(LOAD(u + k), LOAD(v + k)), LOAD(x + k))
    const __m128i one = _mm_set1_epi16(1);
    __m128i a0 = LOAD3(0), a1 = LOAD3(4), a2 = LOAD3(8), a3 = LOAD3(12);
    for (size_t j = 0; j < n; j += 2) {
        const int16_t *p = r[j], *q = j + 1 < n ? r[j + 1] : zero_row;
        __m128i pl = LOAD(p), ph = LOAD(p + 8), ql = LOAD(q), qh = LOAD(q + 8);
        a0 = _mm_add_epi32(a0, _mm_madd_epi16(_mm_unpacklo_epi16(pl, ql), one));
        a1 = _mm_add_epi32(a1, _mm_madd_epi16(_mm_unpackhi_epi16(pl, ql), one));
        a2 = _mm_add_epi32(a2, _mm_madd_epi16(_mm_unpacklo_epi16(ph, qh), one));
        a3 = _mm_add_epi32(a3, _mm_madd_epi16(_mm_unpackhi_epi16(ph, qh), one));
        last += p[16] + q[16];
    }
#undef LOAD3
#undef LOAD
    _mm_storeu_si128((__m128i *)(void *)s, a0);
    _mm_storeu_si128((__m128i *)(void *)(s + 4), a1);
    _mm_storeu_si128((__m128i *)(void *)(s + 8), a2);
    _mm_storeu_si128((__m128i *)(void *)(s + 12), a3);
#else
    for (int c = 0; c < 16; c++) s[c] = u[c] + v[c] + x[c];
    for (size_t j = 0; j < n; j++) {
        for (int c = 0; c < 16; c++) s[c] += r[j][c];
        last += r[j][16];
    }
#endif
    s[16] = last;
}

/* Prefetch the cache line of p.  GCC 12 deletes a loop of only
** __builtin_prefetch once it is inlined with a constant count, so on
** x86-64 the instruction is written out. */
static inline void prefetch(const void *p) {
#if defined(__GNUC__) && defined(__x86_64__)
    __asm__ volatile("prefetcht0 %0" : : "m"(*(const char *)p));
#else
    __builtin_prefetch(p);
#endif
}

/* Prefetch the model's slots of the hashed features f[0..nf). */
static inline void prefetch_slots(const rc_tagger *m, const uint64_t *f, size_t nf) {
    for (size_t j = 0; j < nf; j++) prefetch(m->slots + 2 * ((uint32_t)f[j] & (m->nslots - 1)));
}

/* Look up the rows of features f[0..nf) into rows[n..) (their slots
** prefetched by the caller), each row found prefetched; returns the new
** n. */
static inline size_t find_rows(const rc_tagger *m, const uint64_t *f, size_t nf,
                               const int16_t **rows, size_t n) {
    for (size_t j = 0; j < nf; j++) {
        const int16_t *r = model_row(m, f[j]);
        if (r) {
            __builtin_prefetch(r);
            __builtin_prefetch(r + 16);
            rows[n++] = r;
        }
    }
    return n;
}

/* The word cache of a tagwork: direct-mapped, WORDS slots.  An entry
** holds the sum of the rows of a word's features in its place
** (word_features, own_features, its own byte features) in the model whose
** id is rc_tagwork.words_model; its key is the word's hashes and the
** place's inputs (place_key; a candidate's too: a link's affixes are 0).
** The names of news repeat: most scored tokens find their word here. */
#define WORDS_LG 14 /* 16384 slots of 96 bytes */
#define WORDS ((size_t)1 << WORDS_LG)

struct tagword {
    uint64_t word, lower;
    uint64_t place; /* 0 empty, else place_key */
    int32_t sum[RC_TAG_CLASSES];
};

/* What own_features and the own byte features read besides the word, as
** a key: not 0. */
static inline uint64_t place_key(const struct around *x, int p1) {
    const struct tagtok_h *t = x->t;
    unsigned f = t->flags;
    return 1u | (f & TT_CAND) << 1 | (uint64_t)p1 << 2 | (x->head ? 1u << 7 : 0) |
           (f & TT_INITIAL) << 6 | (uint64_t)x->a->cls << 9 | (uint64_t)t->cls << 17 |
           (uint64_t)t->gaz << 25;
}

/* The entry of w's word cache for a word and a place (place_key). */
static inline struct tagword *word_entry(const rc_tagwork *w, uint64_t word,
                                         uint64_t place) {
    uint64_t h = (word ^ place * 0xD6E8FEB86659FD93ull) * 0x9E3779B97F4A7C15ull;
    return &w->words[h >> (64 - WORDS_LG)];
}

/* The sum of the rows of the features of token i's word in its place
** after class p1: from w's word cache, or looked up into it (into own
** when w has no cache). */
static const int32_t *word_sum(const rc_tagger *m, rc_tagwork *w, size_t i,
                               const struct around *x, int p1, int32_t *own) {
    const struct tagtok_h *t = x->t;
    uint64_t place = place_key(x, p1);
    struct tagword *e = NULL;
    if (w->words) {
        e = word_entry(w, t->word, place);
        if (e->place == place && e->word == t->word && e->lower == t->lower) return e->sum;
        e->place = place;
        e->word = t->word;
        e->lower = t->lower;
        own = e->sum;
    }
    uint64_t f[NWORDF + NOWNF];
    const int16_t *rows[NOWNB + NWORDF + NOWNF];
    word_features(w, i, f);
    size_t nf = NWORDF + own_features(x, p1, f + NWORDF);
    prefetch_slots(m, f, nf);
    rows[0] = m->byte_rows[0][t->gaz];
    rows[1] = m->byte_rows[1][t->cls];
    add_rows(zero_sum, zero_sum, zero_sum, rows, find_rows(m, f, nf, rows, NOWNB), own);
    return own;
}

/* r = the rows of token i's neighbour features f (hashed by
** near_features, slots prefetched) and of its neighbours' byte features. */
static inline void near_rows(const rc_tagger *m, const rc_tagwork *w, size_t i,
                      const uint64_t f[NNEARF], struct nearrows *r) {
    struct around x = around(w, i);
    uint8_t v[NBYTEF];
    byte_values(&x, v);
    for (int j = NOWNB; j < NBYTEF; j++) r->rows[j - NOWNB] = m->byte_rows[j][v[j]];
    r->n = find_rows(m, f, NNEARF, r->rows, NBYTEF - NOWNB);
    r->i = i;
}

/* Prefetch the entry of w's word cache for token i after class p1. */
static inline void prefetch_word(const rc_tagwork *w, size_t i, int p1) {
    if (!w->words) return;
    struct around x = around(w, i);
    const struct tagword *e = word_entry(w, w->t[i].word, place_key(&x, p1));
    prefetch(e);
    prefetch((const char *)(e + 1) - 1); /* 96 bytes: maybe 2 lines */
}

/* Hash the neighbour features of scorable[k] if it is a candidate and
** prefetch their slots and, if its previous class is known (0: the token
** before it is not scorable[k - 1]), its word cache entry. */
static void hash_ahead(const rc_tagger *m, rc_tagwork *w, struct ahead *ah, size_t k) {
    size_t i = w->scorable[k], at = k % (AHEAD + 1);
    ah->hashed[at] = SIZE_MAX;
    if (!(w->t[i].flags & TT_CAND)) return;
    struct around x = around(w, i);
    near_features(&x, ah->f[at]);
    prefetch_slots(m, ah->f[at], NNEARF);
    ah->hashed[at] = i;
    if (k == 0 || w->scorable[k - 1] + 1 != i) prefetch_word(w, i, 0);
}

/* Start decoding a sentence (see struct ahead): hash the features of
** the scored tokens after the first up to scorable[AHEAD - 1]. */
static void ahead_begin(const rc_tagger *m, rc_tagwork *w, struct ahead *ah) {
    ah->r[0].i = ah->r[1].i = SIZE_MAX;
    for (size_t k = 0; k <= AHEAD; k++) ah->hashed[k] = SIZE_MAX;
    for (size_t k = 1; k < AHEAD && k < w->nscorable; k++) hash_ahead(m, w, ah, k);
}

/* Before scorable[k]'s turn (see struct ahead), p1 its previous class:
** prefetch its word cache entry unless done earlier; find the rows of
** scorable[k + 1] if its features are hashed; hash the features of
** scorable[k + AHEAD] and prefetch their slots and, if its previous class
** is known (0: the token before it is not scorable[k + AHEAD - 1]), its
** word cache entry. */
static void ahead_step(const rc_tagger *m, rc_tagwork *w, struct ahead *ah, size_t k,
                       int p1) {
    size_t i = w->scorable[k], *hashed = ah->hashed;
    if (k > 0 && w->scorable[k - 1] + 1 == i) prefetch_word(w, i, p1);
    size_t next = (k + 1) % (AHEAD + 1);
    if (k + 1 < w->nscorable && hashed[next] == w->scorable[k + 1])
        near_rows(m, w, hashed[next], ah->f[next], &ah->r[(k + 1) & 1]);
    if (k + AHEAD < w->nscorable) hash_ahead(m, w, ah, k + AHEAD);
}

/* s = the scores of token i after classes p1, p2, with hl its word's
** history label: the rows of its word's features in its place (summed,
** word_sum), of its neighbours' features and byte features (r, found now
** unless found ahead), and the two summed rows of its other small
** features. */
static void model_score(const rc_tagger *m, rc_tagwork *w, size_t i, int p1,
                        int p2, int hl, struct nearrows *r, int32_t *s) {
    struct around x = around(w, i);
    int32_t own[RC_TAG_CLASSES];
    if (r->i != i) {
        uint64_t f[NNEARF];
        near_features(&x, f);
        prefetch_slots(m, f, NNEARF);
        near_rows(m, w, i, f, r);
    }
    const int32_t *ws = word_sum(m, w, i, &x, p1, own);
    assert(x.t->common <= 1);
    add_rows(m->cls_rows[p1 * RC_TAG_CLASSES + p2],
             m->state_rows[state_index(x.t->flags, x.t->common, x.head, hl)], ws,
             r->rows, r->n, s);
}

void rc_tagger_tag(const rc_tagger *m, rc_tagwork *w, uint8_t *tags) {
    if (w->words_model != m->id) { /* another model: empty the cache */
        if (w->words) memset(w->words, 0, WORDS * sizeof *w->words);
        else w->words = rc_calloc(w->alc, WORDS, sizeof *w->words); /* only the
                           pages a text's words reach are ever touched */
        w->words_model = m->id; /* no cache (NULL): only slower */
    }
    decode(w, m, NULL, NULL, tags, NULL, NULL, NULL);
}
