/*
** rc_ner.c -- the rule recognizer: entity mentions from a document's
** tokens and sentences.
**
** Stage 1, the gazetteer: within each sentence, at every unit (see
** rc_entity.c) the longest alias that starts there is a mention, and the
** scan resumes after it.  So `Saudi Arabia` beats `Saudi`, `Guinea-Bissau`
** beats `Guinea`, and `Iran-Pakistan` gives Iran and Pakistan.  A demonym
** (`Iranians`) is a mention of type NORP whose entity is its country.
**
** An alias the user blocked (type "-") matches too, so that no later stage
** takes its words for a name, and is then dropped.
**
** Stage 2, proper names the gazetteer does not know: runs of capitalised
** words not covered by stage 1, with inner connectors (`of`, `al`, `bin`,
** ...).  A run is typed by its words (csrc/data/rules.tsv): an
** organisation word last (or first, before `of`) makes an ORG, a place
** word a LOC; otherwise leading titles (`Interior Minister`, `Dr.`) are
** cut off and mark a PERSON; a run starting with a common given name, or
** two or three plain capitalised words (`Phil Simmons`), is a PERSON;
** anything else is MISC.  A capitalised function word at a sentence start
** is dropped (`The`, `However`), and so is a lone sentence-initial word
** that the document also writes in lower case or never names elsewhere.
** Months and weekdays are never names.  In a headline (a title-case or
** all-caps sentence) a run counts only when the body names it too.
**
** Stage 3, within the document only (so results never depend on input
** order): acronyms defined as `Long Name (ACR)` or `ACR (Long Name)` make
** every ACR a mention of the long name; a short form (`Larijani`, `Mr.
** Naqvi`) resolves to the one full name whose last word it is, and stays
** its own entity when two full names share it; a PERSON found by a title
** types every mention of the same name.
**
** Stage 4, nationality: `Pakistan's Interior Minister X`, `Iranian
** President X`, `X, China's top diplomat`, `Iran's top official, X` and
** `Iran's Supreme National Security Council` attribute a country to the
** person or organisation mention (rc_mention.country).
**
** Passes: the first pass over the tokens (token_scan, in loops over the
** tokenizer's lists of them: every token, the plain lower-case words,
** the other words) hashes each token's normal form once, works out each
** word's shape, collects the set of lower-case words and lists the words
** the classes' filter passes (their classes are looked up after the
** pass) and the tokens the aliases' first-unit filter passes; stage 1
** tries those starts over the token hashes directly, splitting a
** sentence into units only when it holds a hyphenated word.  The
** filters' answers only advance a list's count: running text passes
** them at random, and a branch on each would be mispredicted as often.
** Whether a capitalised word is common (also written in lower case) is
** worked out only when a rule asks (common_word).  The names a document
** found are interned once a group of the same name (emit).
**
** Stage 3 costs in proportion to a document's candidates: the rules that
** hold for a name throughout the document look at each name's group
** once (group_names), and the acronyms find candidates by token
** (index_ends), so a document of megabytes is not quadratic.
**
** Invariant on return: r->m is sorted by start and mentions do not
** overlap (emit merges the sorted runs the stages made, stably).  All
** scratch memory is r's and is reused across documents.
*/
#include "rc_entity.h"
#include "rc_tagger.h"

/* MARK: - Working memory ---------------------------------------------------- */

/* Per token: its word classes and shape (token_scan), the gazetteer
** mention covering it (stage 1), and whether the document also writes it
** in lower case (common_word, asked lazily). */
typedef struct tokinfo {
    uint32_t gaz;   /* 1 + index in r->m of the gazetteer mention, or 0 */
    uint8_t cls;    /* RC_WC_* */
    uint8_t cap;    /* a capitalised word that may be part of a name */
    uint8_t shape;  /* SHAPE_* or 0 */
    uint8_t common; /* 0, 1, or COMMON_UNKNOWN until common_word asks */
} tokinfo;

#define SHAPE_ACRONYM 1        /* all capitals, 2..10 letters */
#define SHAPE_PLURAL_ACRONYM 2 /* MOUs, NGOs: a common noun */
#define COMMON_UNKNOWN 2

/* A candidate name: tokens [b, e) of sentence s (titles cut off). */
typedef struct cand {
    uint32_t b, e, s;
    uint32_t canon_off, canon_len; /* canonical name in the scratch arena */
    uint32_t word_off;             /* where its last word starts (after its
                                      last space; canon_off when none) */
    uint32_t country;
    uint8_t type, rule;
    uint8_t titled;   /* a title stood before it */
    uint8_t headline; /* found in a headline */
    uint8_t dead;
} cand;

/* The set of hashes of the document's lower-case words: open addressing
** (0 = empty) over cap slots, a power of two, at most half full; the n
** slots filled are listed in `used` (cap / 2 + 1 room), so that emptying the
** set clears those only.  A plain value, so that token_scan's loop keeps
** it in registers (lower_add). */
typedef struct lower_set {
    uint64_t *slot;
    uint32_t *used;
    size_t cap, n;
} lower_set;

/* An acronym defined in the document (define_acronyms). */
typedef struct acro {
    uint64_t hash;     /* of the acronym token */
    uint32_t long_c;   /* the long name's candidate, or UINT32_MAX */
    uint32_t long_m;   /* or the long name's gazetteer mention + 1 */
} acro;

/* Working memory of the recognizer, kept in the docres across documents.
** The lower-case set doubles when it becomes more than half full. */
typedef struct ner_work {
    uint64_t *hash; /* per token: rc_norm_hash (r->side.hash, r's: see token_scan) */
    tokinfo *ti;
    size_t ti_cap;
    uint32_t *classed; /* token_scan: words the classes' filter passed */
    size_t classed_cap;
    uint32_t *starts; /* tokens the aliases' first-unit filter passed */
    size_t nstarts, starts_cap;
    uint32_t *capped; /* the words with ti.cap, in order (stage 2's runs) */
    size_t ncapped, capped_cap;
    uint32_t *hyph; /* the hyphenated words (RC_TF_HYPHENATED), in order */
    size_t nhyph, hyph_cap;
    lower_set lower; /* the document's lower-case words */
    cand *c;
    size_t nc, c_cap;
    char *arena;
    size_t arena_len, arena_cap;
    uint32_t pending_country; /* for the next candidate added */
    rc_tagtok *tin;  /* the tagger's inputs, one per token */
    size_t tin_cap;
    uint8_t *tags;   /* the tagger's classes, one per token */
    size_t tags_cap;
    uint8_t *flag;   /* per sentence: headline (model stage); per token:
                        covered by a candidate (short forms) */
    size_t flag_cap;
    uint64_t *last;  /* set of hashes of full names' last words */
    size_t last_cap;
    uint32_t *full; /* stage 3: the candidates a short form may resolve to */
    size_t full_cap;
    uint32_t *end_head; /* stage 3, per token: 1 + the last candidate ending
                           there, chained back through end_next (0 ends) */
    size_t end_head_cap;
    uint32_t *end_next;
    size_t end_next_cap;
    uint32_t *group_slot; /* stage 3: the names' table (group_names) */
    size_t group_slot_cap;
    uint32_t *group_of; /* per candidate: its name's group */
    size_t group_of_cap;
    uint32_t *group_rep; /* per group: a candidate of that name */
    size_t group_rep_cap;
    uint8_t *group_flag; /* per group: a fact the stage works out once */
    size_t group_flag_cap;
    uint32_t *group_ent; /* per group: its entity (emit) */
    size_t group_ent_cap;
    size_t ngroups;
    uint64_t *lw_key; /* stage 3: w->full by last word (index_last_words) */
    uint32_t *lw_head, *lw_next;
    size_t lw_cap, lw_head_cap, lw_next_cap;
    size_t lw_mask; /* the index's slots - 1 (its arrays may be longer) */
    rc_mention *msort; /* emit: the merge sort's buffer */
    size_t msort_cap;
    acro *acros; /* stage 3: the acronyms defined (define_acronyms) */
    size_t acros_cap;
    rc_tagwork tw;
} ner_work;

/* MARK: - Token facts ------------------------------------------------------- */

static int is_word_char_upper(unsigned char ch) { return ch >= 'A' && ch <= 'Z'; }

static void set_add(uint64_t *set, size_t cap, uint64_t h) {
    if (!h) h = 1;
    size_t i = h & (cap - 1);
    while (set[i] && set[i] != h) i = (i + 1) & (cap - 1);
    set[i] = h;
}

static int set_has(const uint64_t *set, size_t cap, uint64_t h) {
    if (!h) h = 1;
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (set[i] == h) return 1;
        if (!set[i]) return 0;
    }
}

/* Empty the lower-case set (the slots listed as used). */
static void lower_clear(lower_set *ls) {
    for (size_t k = 0; k < ls->n; k++) ls->slot[ls->used[k]] = 0;
    ls->n = 0;
}

/* ls with `slots` slots (a power of two, more than twice its keys), keys
** kept, its old arrays freed.  On failure *rc is RC_ENOMEM and ls is
** returned as it was. */
static lower_set lower_resized(const rc_allocator *alc, lower_set ls, size_t slots,
                               rc_status *rc) {
    *rc = RC_ENOMEM;
    if (slots > SIZE_MAX / sizeof(uint64_t)) return ls;
    lower_set to = {rc_malloc(alc, slots * sizeof *to.slot),
                    rc_malloc(alc, (slots / 2 + 1) * sizeof *to.used), slots, 0};
    if (!to.slot || !to.used) {
        rc_free(alc, to.slot);
        rc_free(alc, to.used);
        return ls;
    }
    memset(to.slot, 0, slots * sizeof *to.slot);
    for (size_t k = 0; k < ls.n; k++) {
        uint64_t h = ls.slot[ls.used[k]];
        size_t i = h & (slots - 1);
        while (to.slot[i]) i = (i + 1) & (slots - 1);
        to.slot[i] = h;
        to.used[to.n++] = (uint32_t)i;
    }
    rc_free(alc, ls.slot);
    rc_free(alc, ls.used);
    *rc = RC_OK;
    return to;
}

/* Add h to the lower-case set, then double the set if it is more than
** half full.  Branches only where a probe meets another key: whether h
** was there already (half the words of a text are repeats, which no
** predictor guesses) decides no branch, as the slot is written either
** way and listed as used only when it was empty.  On failure the set
** holds h and is more than half full (with empty slots still); the
** caller gives up the document. */
static inline rc_status lower_add(const rc_allocator *alc, lower_set *ls, uint64_t h) {
    if (!h) h = 1;
    size_t mask = ls->cap - 1, i = h & mask;
    uint64_t v = ls->slot[i];
    /* one test for "v is h or empty": the smaller of v ^ h and v is 0 */
    while ((v < (v ^ h) ? v : v ^ h) != 0) {
        i = (i + 1) & mask;
        v = ls->slot[i];
    }
    ls->slot[i] = h;
    ls->used[ls->n] = (uint32_t)i;
    ls->n += v == 0;
    if (unlikely(ls->n * 2 > ls->cap)) {
        rc_status rc;
        *ls = lower_resized(alc, *ls, ls->cap * 2, &rc);
        return rc;
    }
    return RC_OK;
}

static int letters_upper(const char *s, size_t n) {
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 'a' && ch <= 'z') return 0;
        if (ch >= 'A' && ch <= 'Z') letters++;
        else if (!(ch >= '0' && ch <= '9') && ch != '&' && ch != '-') return 0;
    }
    return letters >= 2;
}

/* The shape of a word that does not start with an ASCII lower-case
** letter.  The shapes exclude each other: a plural's last letter is lower
** case.  Whether a plural may be one is asked with no branch on its last
** byte (one capitalised word in six ends in s: States, Reuters) nor on
** its second (which is lower case in those). */
static unsigned word_shape(const char *s, size_t tl, unsigned flags) {
    size_t long3 = tl >= 3; /* and s[long3] the second byte, or the first */
    unsigned plural = long3 & (s[tl - 1] == 's') & ((unsigned char)(s[long3] - 'a') >= 26);
    if (plural && letters_upper(s, tl - 1)) return SHAPE_PLURAL_ACRONYM;
    if ((flags & RC_TF_ALL_UPPER) && tl <= 10 && letters_upper(s, tl)) return SHAPE_ACRONYM;
    return 0;
}

/* al-Assad, bin-Salman: a lowercase particle of at most three bytes, a
** hyphen, a capital. */
static unsigned particle_cap(const char *s, size_t tl) {
    const char *hy = memchr(s, '-', tl);
    return hy && hy + 1 < s + tl && is_word_char_upper((unsigned char)hy[1]) && hy - s <= 3;
}

/* The facts of word token t, which does not start with an ASCII
** lower-case letter (lower_word_facts takes those), but its classes, into
** *ti (zeroed by the caller). */
static void word_facts(const char *text, const rc_token *t, tokinfo *ti) {
    const char *s = text + t->start;
    size_t tl = t->end - t->start;
    unsigned flags = t->flags, cap = (flags & RC_TF_UPPER_INITIAL) != 0;
    ti->shape = (uint8_t)word_shape(s, tl, flags);
    if (!cap && (flags & RC_TF_HYPHENATED)) cap = particle_cap(s, tl);
    ti->cap = (uint8_t)cap;
    ti->common = cap && !(flags & RC_TF_ALL_UPPER) ? COMMON_UNKNOWN : 0;
}

/* The hash of token t's normal form (rc_norm_hash): an ASCII token in
** place, any other through r->scratch (grown here).  RC_ENOMEM leaves
** *out unset. */
static inline rc_status token_hash(rc_docres *r, const char *text, const rc_token *t,
                                   uint64_t *out) {
    if (rc_norm_hash_ascii(text, t, out)) return RC_OK;
    return rc_norm_hash(text, t, 0, &r->scratch, &r->scratch_cap, r->alc, out);
}

/* Room for n entries in each per-token array, and a lower-case set. */
static rc_status token_arrays_grow(rc_docres *r, ner_work *w, size_t n) {
    const rc_allocator *alc = r->alc;
    if (!n) n = 1;
    if (rc_grow(alc, (void **)&w->ti, &w->ti_cap, n, sizeof *w->ti) ||
        rc_grow(alc, (void **)&w->classed, &w->classed_cap, n, sizeof *w->classed) ||
        rc_grow(alc, (void **)&w->starts, &w->starts_cap, n, sizeof *w->starts) ||
        rc_grow(alc, (void **)&w->capped, &w->capped_cap, n, sizeof *w->capped) ||
        rc_grow(alc, (void **)&w->hyph, &w->hyph_cap, n, sizeof *w->hyph))
        return RC_ENOMEM;
    rc_status rc = RC_OK;
    if (!w->lower.slot) w->lower = lower_resized(alc, w->lower, 64, &rc);
    return rc;
}

/* The facts of a word starting with an ASCII lower-case letter (most
** words) but its classes, into *ti (zeroed): a capital only as a
** particle (particle_cap); no shape, no case flags. */
static inline void lower_word_facts(const char *s, const rc_token *t, tokinfo *ti) {
    if ((t->flags & RC_TF_HYPHENATED) && particle_cap(s, t->end - t->start)) {
        ti->cap = 1;
        ti->common = COMMON_UNKNOWN;
    }
}

/* The first pass over the tokens, in loops over the lists the tokenizer
** made (r->side), so that none branches on a token's kind or case, which
** running text mixes at random:
**   - every token: the hash of its normal form (w->hash: r->side.hash,
**     where the tokenizer left 0 for the tokens it did not hash), its
**     facts emptied, and the list of the tokens through the aliases'
**     first-unit filter (w->starts, for stage 1);
**   - the plain lower-case words (seven tokens in ten): the set of
**     lower-case words, and the classes' filter;
**   - the other words: their facts, the classes' filter, the lists of
**     hyphenated words and of the words that may be part of a name
**     (ti.cap: w->capped, for stage 2).
** Then the word classes of the words through the classes' filter
** (w->classed).  Every normal form that is not the token's own bytes is
** made in r->scratch here, which thus has room for any of them: hashing a
** token again later never allocates. */
static rc_status token_scan(rc_docres *r, ner_work *w, const char *text) {
    size_t n = r->toks.n;
    const uint64_t *wf = rc_gazetteer_word_filter(r->g);
    lower_clear(&w->lower);
    w->nhyph = 0;
    if (token_arrays_grow(r, w, n)) return RC_ENOMEM;
    /* the set and the arrays in locals: the set's stores could alias w */
    const rc_token *toks = r->toks.v;
    uint64_t *hash = w->hash = r->side.hash;
    tokinfo *info = w->ti;
    lower_set ls = w->lower;
    uint32_t *classed = w->classed, *starts = w->starts, *capped = w->capped;
    size_t nclassed = 0, nstarts = 0, ncapped = 0;
    const uint64_t *ff = rc_gazetteer_first_filter(r->g);
    rc_status rc = RC_OK;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = hash[i]; /* the tokenizer's, or 0: work it out */
        if (unlikely(!h)) {
            if ((rc = token_hash(r, text, &toks[i], &h))) return rc;
            hash[i] = h;
        }
        info[i] = (tokinfo){0, 0, 0, 0, 0};
        starts[nstarts] = (uint32_t)i;
        nstarts += (size_t)rc_word_filter_has(ff, h);
    }
    w->nstarts = nstarts;
    const uint32_t *lower = r->side.lower, *words = r->side.words;
    for (size_t k = 0, nl = r->side.nlower; k < nl && rc == RC_OK; k++) {
        uint64_t h = hash[lower[k]];
        /* most words have no class: the filter's answer only counts a
        ** word into the list looked up below, as a branch on it would be
        ** mispredicted at every word it passes */
        classed[nclassed] = lower[k];
        nclassed += (size_t)rc_word_filter_has(wf, h);
        rc = lower_add(r->alc, &ls, h);
    }
    for (size_t k = 0, nw = r->side.nwords; k < nw && rc == RC_OK; k++) {
        uint32_t i = words[k];
        const rc_token *t = &toks[i];
        const char *s = text + t->start;
        if (t->flags & RC_TF_HYPHENATED) w->hyph[w->nhyph++] = i;
        classed[nclassed] = i;
        nclassed += (size_t)rc_word_filter_has(wf, hash[i]);
        if ((unsigned char)(s[0] - 'a') < 26) {
            lower_word_facts(s, t, &info[i]);
            rc = lower_add(r->alc, &ls, hash[i]);
        } else {
            word_facts(text, t, &info[i]);
        }
        capped[ncapped] = i;
        ncapped += info[i].cap;
    }
    w->lower = ls;
    w->ncapped = ncapped;
    for (size_t k = 0; k < nclassed; k++)
        info[classed[k]].cls = (uint8_t)rc_gazetteer_word_class(r->g, hash[classed[k]]);
    return rc;
}

/* The hash of word i with its first letter lowered (rc_norm_hash,
** lower_first): in place when ASCII, else from its normal form in
** r->scratch, which has room for it (see token_scan), so it cannot fail. */
static uint64_t lowered_hash(rc_docres *r, const char *text, size_t i) {
    uint64_t h = 0;
    if (rc_norm_hash_ascii_lowered(text, &r->toks.v[i], &h)) return h;
    rc_status rc = rc_norm_hash(text, &r->toks.v[i], 1, &r->scratch, &r->scratch_cap,
                                r->alc, &h);
    return RC_NEVER(rc != RC_OK) ? 0 : h;
}

/* Whether the lower-case set holds word i with its first letter lowered:
** the token's own hash unless that is an ASCII capital.  Out of line, so
** that common_word's check of the kept answer is inline. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static int written_lower(rc_docres *r, ner_work *w, const char *text, size_t i) {
    unsigned char c0 = (unsigned char)text[r->toks.v[i].start];
    uint64_t h = is_word_char_upper(c0) ? lowered_hash(r, text, i) : w->hash[i];
    return set_has(w->lower.slot, w->lower.cap, h);
}

/* Whether capitalised word i is common: the document also writes it in
** lower case (`States` / `states`).  Worked out on first use only (the
** rules ask about few words) and kept in ti.common. */
static int common_word(rc_docres *r, ner_work *w, const char *text, size_t i) {
    tokinfo *ti = &w->ti[i];
    if (ti->common == COMMON_UNKNOWN) ti->common = (uint8_t)written_lower(r, w, text, i);
    return ti->common;
}

/* The classes that make a capitalised word a common noun in a name. */
#define COMMON_CLASSES (RC_WC_ORG | RC_WC_PLACE | RC_WC_CONNECTOR | RC_WC_COMMON | RC_WC_TITLE)

/* Whether every word of [b, e) is common or of a common class. */
static int all_common(rc_docres *r, ner_work *w, const char *text, uint32_t b,
                      uint32_t e) {
    for (uint32_t i = b; i < e; i++)
        if (!(w->ti[i].cls & COMMON_CLASSES) && !common_word(r, w, text, i)) return 0;
    return 1;
}

/* MARK: - Stage 1: gazetteer ------------------------------------------------ */

static rc_mention *new_mention(rc_docres *r) {
    if (rc_grow(r->alc, (void **)&r->m, &r->mcap, r->nm + 1, sizeof *r->m))
        return NULL;
    rc_mention *m = &r->m[r->nm++];
    memset(m, 0, sizeof *m);
    return m;
}

/* Add the mention of an alias hit over bytes [start, end) from token tok
** of sentence s; the tokens it covers point at it (ti.gaz). */
static rc_status add_hit(rc_docres *r, ner_work *w, const rc_alias_hit *hit,
                         uint32_t start, uint32_t end, uint32_t tok, uint32_t s) {
    rc_mention *m = new_mention(r);
    if (!m) return RC_ENOMEM;
    m->start = start;
    m->end = end;
    m->tok = tok;
    m->sentence = s;
    m->entity = hit->entity;
    m->type = hit->type;
    m->rule = hit->rule;
    for (size_t i = tok; i < r->toks.n && r->toks.v[i].start < end; i++)
        w->ti[i].gaz = (uint32_t)r->nm;
    return RC_OK;
}

/* Sentence s when no word of it is hyphenated: its units are its tokens,
** whose hashes are w->hash, and an alias may start only at the tokens
** token_scan listed (w->starts from *k, which moves past the sentence's). */
static rc_status match_tokens(rc_docres *r, ner_work *w, uint32_t s, size_t *k) {
    const rc_sentence *sn = &r->sents.v[s];
    rc_alias_hit hit;
    while (*k < w->nstarts && w->starts[*k] < sn->tok_end) {
        uint32_t b = w->starts[(*k)++];
        if (!rc_gazetteer_match(r->g, w->hash, b, sn->tok_end, &hit)) continue;
        uint32_t e = b + hit.nunits;
        rc_status rc = add_hit(r, w, &hit, r->toks.v[b].start, r->toks.v[e - 1].end, b, s);
        if (rc) return rc;
        while (*k < w->nstarts && w->starts[*k] < e) (*k)++; /* the scan resumes after it */
    }
    return RC_OK;
}

/* Sentence s split into units (rc_entity.c). */
static rc_status match_units(rc_docres *r, ner_work *w, const char *text, uint32_t s) {
    const rc_sentence *sn = &r->sents.v[s];
    r->units.n = 0;
    rc_status rc = rc_units_build(text, r->toks.v, w->hash, sn->tok_begin, sn->tok_end,
                                  &r->units, &r->scratch, &r->scratch_cap);
    if (rc) return rc;
    const rc_unit *u = r->units.v;
    size_t n = r->units.n;
    rc_alias_hit hit;
    for (size_t i = 0; (i = rc_gazetteer_next_match(r->g, r->units.hash, i, n, &hit)) < n;
         i += hit.nunits) {
        rc = add_hit(r, w, &hit, u[i].start, u[i + hit.nunits - 1].end, u[i].tok, s);
        if (rc) return rc;
    }
    return RC_OK;
}

static rc_status gazetteer_stage(rc_docres *r, ner_work *w, const char *text) {
    size_t k = 0, at = 0; /* the next hyphenated word; the next start */
    for (uint32_t s = 0; s < r->sents.n; s++) {
        const rc_sentence *sn = &r->sents.v[s];
        while (k < w->nhyph && w->hyph[k] < sn->tok_begin) k++;
        while (at < w->nstarts && w->starts[at] < sn->tok_begin) at++;
        int split = k < w->nhyph && w->hyph[k] < sn->tok_end;
        rc_status rc = split ? match_units(r, w, text, s) : match_tokens(r, w, s, &at);
        if (rc) return rc;
    }
    return RC_OK;
}

/* MARK: - Stage 2: runs of capitalised words ------------------------------- */

static int name_token(const ner_work *w, size_t i) {
    const tokinfo *ti = &w->ti[i];
    return ti->cap && !ti->gaz && !(ti->cls & RC_WC_MONTH) &&
           ti->shape != SHAPE_PLURAL_ACRONYM;
}

static int connector(const ner_work *w, const rc_docres *r, const char *text,
                     size_t i) {
    const tokinfo *ti = &w->ti[i];
    if (!(ti->cls & RC_WC_CONNECTOR) || ti->gaz) return 0;
    unsigned char c0 = (unsigned char)text[r->toks.v[i].start];
    return c0 >= 'a' && c0 <= 'z';
}

/* A headline: an article's title in Title Case (at least 3/4 of at
** least 4 words capitalised), or any all-capitals sentence of 4+ words. */
static int headline(const rc_docres *r, const ner_work *w, uint32_t s) {
    const rc_sentence *sn = &r->sents.v[s];
    int title = s < r->title_sents;
    size_t words = 0, caps = 0, upper = 0;
    for (uint32_t i = sn->tok_begin; i < sn->tok_end; i++) {
        if (r->toks.v[i].kind != RC_TOK_WORD) continue;
        words++;
        int up = (r->toks.v[i].flags & RC_TF_ALL_UPPER) != 0;
        if (!up && !title) return 0; /* outside the title: all capitals only */
        upper += (size_t)up;
        if (w->ti[i].cap || (r->toks.v[i].flags & RC_TF_ALL_UPPER) ||
            (w->ti[i].cls & RC_WC_CONNECTOR))
            caps++;
    }
    if (words < 4) return 0;
    return upper == words || (title && caps * 4 >= words * 3);
}

static rc_status add_cand(rc_docres *r, ner_work *w, uint32_t b, uint32_t e,
                          uint32_t s, rc_etype type, rc_rule rule, int titled,
                          int head) {
    if (rc_grow(r->alc, (void **)&w->c, &w->c_cap, w->nc + 1, sizeof *w->c))
        return RC_ENOMEM;
    cand *c = &w->c[w->nc++];
    memset(c, 0, sizeof *c);
    c->b = b;
    c->e = e;
    c->s = s;
    c->type = (uint8_t)type;
    c->rule = (uint8_t)rule;
    c->titled = (uint8_t)titled;
    c->headline = (uint8_t)head;
    c->country = w->pending_country;
    w->pending_country = 0;
    return RC_OK;
}

/* Two or three capitalised words, none of them all capitals, a connector
** or a listed word: the shape of a personal name (`Phil Simmons`). */
static int person_shape(rc_docres *r, ner_work *w, const char *text, uint32_t b,
                        uint32_t e) {
    if (e - b < 2 || e - b > 3) return 0;
    for (uint32_t i = b; i < e; i++) {
        const rc_token *t = &r->toks.v[i];
        if ((t->flags & RC_TF_ALL_UPPER) || (t->flags & RC_TF_ABBREV) ||
            w->ti[i].cls || t->end - t->start < 2 || common_word(r, w, text, i))
            return 0;
    }
    return 1;
}

/* Type a run [b, e) and add it (titles cut off). */
static rc_status classify_run(rc_docres *r, ner_work *w, const char *text,
                              uint32_t b, uint32_t e, uint32_t s, int head) {
    while (e > b && (w->ti[e - 1].cls & RC_WC_CONNECTOR) && !w->ti[e - 1].cap) e--;
    while (b < e && (w->ti[b].cls & RC_WC_CONNECTOR) && !w->ti[b].cap) b++;
    if (e <= b) return RC_OK;
    if (e - b == 1 && r->toks.v[b].end - r->toks.v[b].start == 1) return RC_OK;
    /* A lone listed word (`the Government`, `the Organization`), or words
    ** that are all common (listed, or also written in lower case by the
    ** document: `Member States`) and not headed by an organisation or
    ** place word, are capitalised nouns, not names. */
    if (e - b == 1 && (w->ti[b].cls & (RC_WC_ORG | RC_WC_PLACE | RC_WC_TITLE)))
        return RC_OK;
    if (!(w->ti[e - 1].cls & (RC_WC_ORG | RC_WC_PLACE)) && all_common(r, w, text, b, e))
        return RC_OK;
    unsigned first = w->ti[b].cls, last = w->ti[e - 1].cls;
    int of = e - b > 2 && (w->ti[b + 1].cls & RC_WC_CONNECTOR); /* Bank of X */
    if ((last & RC_WC_ORG) || ((first & RC_WC_ORG) && of))
        return add_cand(r, w, b, e, s, RC_ORG, RC_RULE_NAME, 0, head);
    if ((last & RC_WC_PLACE) || ((first & RC_WC_PLACE) && of))
        return add_cand(r, w, b, e, s, RC_LOC, RC_RULE_NAME, 0, head);
    /* Leading titles, an organisation word before one included
    ** (`Parliament Speaker`, `Army Chief`); a given name that is also a
    ** title (Sultan) is kept when a name follows. */
    uint32_t nb = b;
    while (nb < e) {
        unsigned k = w->ti[nb].cls;
        int next_title = nb + 1 < e && (w->ti[nb + 1].cls & RC_WC_TITLE);
        if ((k & RC_WC_ORG) && next_title) {
            nb++;
        } else if ((k & RC_WC_TITLE) && !((k & RC_WC_GIVEN) && nb + 1 < e && !next_title)) {
            nb++;
        } else {
            break;
        }
    }
    int titled = nb > b;
    while (nb < e && (w->ti[nb].cls & RC_WC_CONNECTOR)) nb++;
    if (nb == e) return RC_OK; /* only titles: `Interior Minister` */
    if (titled) return add_cand(r, w, nb, e, s, RC_PERSON, RC_RULE_TITLE, 1, head);
    if (w->ti[b].cls & RC_WC_GIVEN && e - b > 1)
        return add_cand(r, w, b, e, s, RC_PERSON, RC_RULE_NAME, 0, head);
    if (person_shape(r, w, text, b, e))
        return add_cand(r, w, b, e, s, RC_PERSON, RC_RULE_NAME, 0, head);
    return add_cand(r, w, b, e, s, RC_MISC, RC_RULE_NAME, 0, head);
}

static int opens_clause(const rc_docres *r, const char *text, size_t i) {
    const rc_token *t = &r->toks.v[i];
    if (t->kind != RC_TOK_PUNCT) return 0;
    unsigned char c = (unsigned char)text[t->start];
    if (c == '"' || c == '(' || c == '[' || c == ':' || c == ';' || c == '\'' ||
        c == '-')
        return 1;
    /* “ ‘ – — */
    return c == 0xE2 && t->end - t->start == 3 &&
           ((unsigned char)text[t->start + 1] == 0x80) &&
           ((unsigned char)text[t->start + 2] == 0x9C ||
            (unsigned char)text[t->start + 2] == 0x98 ||
            (unsigned char)text[t->start + 2] == 0x93 ||
            (unsigned char)text[t->start + 2] == 0x94);
}

/* The first token from i on (end if none) that may be part of a name
** (ti.cap, which name_token asks first), from token_scan's list of them:
** *at moves past the words before i (and only forward, as i does). */
static inline uint32_t next_cap(const ner_work *w, size_t *at, uint32_t i, uint32_t end) {
    while (*at < w->ncapped && w->capped[*at] < i) (*at)++;
    return *at < w->ncapped && w->capped[*at] < end ? w->capped[*at] : end;
}

static rc_status find_runs(rc_docres *r, ner_work *w, const char *text) {
    size_t at = 0; /* in w->capped */
    for (uint32_t s = 0; s < r->sents.n; s++) {
        const rc_sentence *sn = &r->sents.v[s];
        int head = headline(r, w, s);
        for (uint32_t i = sn->tok_begin; i < sn->tok_end;) {
            if ((i = next_cap(w, &at, i, sn->tok_end)) == sn->tok_end) break;
            if (!name_token(w, i) || (head && w->ti[i].cls & RC_WC_STOPCAP)) {
                i++;
                continue;
            }
            uint32_t b = i, e = i + 1;
            for (;;) {
                if (e < sn->tok_end && name_token(w, e)) {
                    e++;
                } else if (e + 1 < sn->tok_end && connector(w, r, text, e) &&
                           (name_token(w, e + 1) ||
                            (connector(w, r, text, e + 1) && e + 2 < sn->tok_end &&
                             name_token(w, e + 2)))) {
                    e += connector(w, r, text, e + 1) ? 3 : 2;
                } else {
                    break;
                }
            }
            /* A country, city or nationality right before an organisation
            ** name is part of it, and its country (`Iranian Red Crescent
            ** Society`, `Kuwait Petroleum Corporation`). */
            if (b > sn->tok_begin && (w->ti[e - 1].cls & RC_WC_ORG) && w->ti[b - 1].gaz &&
                w->ti[b - 1].cap && r->toks.v[b - 1].end < r->toks.v[b].start) {
                rc_mention *g = &r->m[w->ti[b - 1].gaz - 1];
                if (g->tok == b - 1 && g->end == r->toks.v[b - 1].end &&
                    g->type != RC_BLOCKED && g->type != RC_ORG && g->type != RC_PERSON) {
                    w->pending_country = r->ents.v[g->entity].country;
                    g->type = RC_BLOCKED;
                    w->ti[b - 1].gaz = 0;
                    b--;
                }
            }
            /* A nationality word right after a titled name or a given name
            ** is a surname (`Energy Minister Saima Baloch`). */
            if (e < sn->tok_end && w->ti[e].gaz && w->ti[e].cap &&
                ((w->ti[b].cls & RC_WC_TITLE) || (w->ti[e - 1].cls & RC_WC_GIVEN))) {
                rc_mention *g = &r->m[w->ti[e].gaz - 1];
                if (g->type == RC_NORP && g->tok == e &&
                    g->end == r->toks.v[e].end) {
                    g->type = RC_BLOCKED; /* dropped with the placeholders */
                    w->ti[e].gaz = 0;
                    e++;
                }
            }
            i = e;
            /* A capitalised function word at the sentence start, or at the
            ** start of a quotation or clause (after “ ( : — and the like). */
            int initial = b == sn->tok_begin || opens_clause(r, text, b - 1);
            if (initial && (w->ti[b].cls & RC_WC_STOPCAP)) {
                b++;
                initial = 0; /* `The Rahimi family`: no longer initial */
            }
            if (b >= e) continue;
            if (initial && b + 1 == e && !(w->ti[b].cls & RC_WC_TITLE)) {
                if (set_has(w->lower.slot, w->lower.cap, lowered_hash(r, text, b))) continue;
                /* kept only if the document names it elsewhere (stage 3) */
                rc_status rc = classify_run(r, w, text, b, e, s, head);
                if (rc) return rc;
                if (w->nc && w->c[w->nc - 1].b == b) w->c[w->nc - 1].headline |= 2;
                continue;
            }
            rc_status rc = classify_run(r, w, text, b, e, s, head);
            if (rc) return rc;
        }
    }
    return RC_OK;
}

/* MARK: - Stage 2 with the learned tagger ------------------------------------ */

/* The tagger's inputs: gazetteer matches with their type and the token's
** BILOU position in them, word classes, lower-case use elsewhere. */
static rc_status tag_inputs(rc_docres *r, ner_work *w, const char *text) {
    size_t n = r->toks.n;
    if (rc_grow(r->alc, (void **)&w->tin, &w->tin_cap, n ? n : 1, sizeof *w->tin))
        return RC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        w->tin[i].gaz = 0;
        w->tin[i].cls = w->ti[i].cls;
        w->tin[i].common = (uint8_t)common_word(r, w, text, i);
    }
    for (size_t k = 0; k < r->nm; k++) {
        const rc_mention *m = &r->m[k];
        size_t last = m->tok;
        while (last + 1 < n && r->toks.v[last + 1].start < m->end) last++;
        unsigned ty = m->type < RC_ETYPE_COUNT ? m->type : RC_ETYPE_COUNT;
        for (size_t i = m->tok; i <= last; i++) {
            int pos = i == m->tok ? (i == last ? RC_TAG_U : RC_TAG_B)
                                  : (i == last ? RC_TAG_L : RC_TAG_I);
            w->tin[i].gaz = (uint8_t)(1 + 4 * ty + pos);
        }
    }
    return RC_OK;
}

static uint32_t country_at(const rc_docres *r, const ner_work *w, size_t i);

static const rc_etype tag_etype[RC_TAG_TYPES] = {RC_PERSON, RC_ORG, RC_GPE, RC_MISC};

/* A span [b, e) the tagger found, against the gazetteer's mentions: a
** span of gazetteer names only (`Iran`, `Iran-Pakistan`, `Pakistan Iran`),
** or one crossing a gazetteer name or holding a blocked alias, keeps the
** gazetteer's; a longer name around gazetteer names (`New York Stock
** Exchange`, `Iranian Red Crescent Society`) replaces them and takes the
** country of a leading country or nationality. */
/* A city the tagger reads as an organisation or a person (`Barcelona
** beat Valencia 2-1`: the clubs) is one: the gazetteer is sure of
** countries and nationalities, not of what a city's name stands for. */
static int club_name(const rc_docres *r, const ner_work *w, uint32_t b,
                     uint32_t e, int type) {
    if (type != 0 && type != 1) return 0; /* PER, ORG */
    uint32_t g = w->ti[b].gaz;
    if (!g || w->ti[e - 1].gaz != g) return 0;
    const rc_mention *m = &r->m[g - 1];
    if (m->type != RC_GPE) return 0;
    rc_ccode cc = r->ents.v[m->entity].country;
    return !cc || rc_gazetteer_country_entity(r->g, cc) != m->entity;
}

static rc_status merge_span(rc_docres *r, ner_work *w, uint32_t b, uint32_t e,
                            uint32_t s, int type, int titled, int head) {
    uint32_t uncovered = 0, bstart = r->toks.v[b].start, eend = r->toks.v[e - 1].end;
    for (uint32_t i = b; i < e; i++) {
        uint32_t g = w->ti[i].gaz;
        if (!g) {
            uncovered++;
            continue;
        }
        const rc_mention *m = &r->m[g - 1];
        if (m->start < bstart || m->end > eend || m->type == RC_BLOCKED) return RC_OK;
    }
    if (!uncovered && !club_name(r, w, b, e, type)) return RC_OK;
    uint32_t country = country_at(r, w, b);
    for (uint32_t i = b; i < e; i++) {
        if (w->ti[i].gaz) {
            r->m[w->ti[i].gaz - 1].type = RC_BLOCKED; /* dropped on emit */
            w->ti[i].gaz = 0;
        }
    }
    /* organisation and place words type a name (SPEC §5) */
    rc_etype et = tag_etype[type];
    unsigned last = w->ti[e - 1].cls;
    if ((last & RC_WC_ORG) && et != RC_PERSON) et = RC_ORG;
    else if ((last & RC_WC_PLACE) && et != RC_PERSON) et = RC_LOC;
    if (titled) et = RC_PERSON; /* a title marks a person */
    w->pending_country = et == RC_PERSON || et == RC_ORG ? country : 0;
    return add_cand(r, w, b, e, s, et, titled ? RC_RULE_TITLE : RC_RULE_MODEL,
                    titled, head);
}

/* A word of ASCII lower-case letters only (`and`, `other`; not
** `al-Baghdadi`, not `iPhone`). */
static int lower_word(const rc_docres *r, const char *text, uint32_t i) {
    const rc_token *t = &r->toks.v[i];
    if (t->kind != RC_TOK_WORD) return 0;
    for (uint32_t k = t->start; k < t->end; k++)
        if (text[k] < 'a' || text[k] > 'z') return 0;
    return 1;
}

static int is_and(const rc_docres *r, const char *text, uint32_t i) {
    const rc_token *t = &r->toks.v[i];
    return t->end - t->start == 3 && !memcmp(text + t->start, "and", 3);
}

/* The rules' word lists applied to a span the tagger found: capitalised
** function words in front (`The`, `We`) and connectors at the end go;
** leading titles go and make the rest a PERSON (`Deputy Energy Minister
** Reza Tavakoli`), unless an organisation or place word ends the name; a
** lone title, organisation, place, month or function word is no name.
** A name never ends in a lower-case word or a punctuation mark (`Blair
** and`, `Charles'`), and holds no lower-case word but a connector
** (`Charles de Gaulle`) or, in other than a person's name, `and` (`Marks
** and Spencer`): `Blair and Mr Brown` ends at `Blair`, `LSE on Friday` at
** `LSE`.
** Returns 0 when nothing is left. */
static int refine_span(rc_docres *r, ner_work *w, const char *text,
                       uint32_t *pb, uint32_t *pe, int *type, int *titled) {
    uint32_t b = *pb, e = *pe;
    while (b < e && (w->ti[b].cls & RC_WC_STOPCAP) && w->ti[b].cap) b++;
    for (uint32_t i = b + 1; i < e; i++)
        if (lower_word(r, text, i) && !(w->ti[i].cls & RC_WC_CONNECTOR) &&
            (*type == 0 || !is_and(r, text, i)))
            e = i;
    while (e > b && (((w->ti[e - 1].cls & RC_WC_CONNECTOR) && !w->ti[e - 1].cap) ||
                     lower_word(r, text, e - 1) || r->toks.v[e - 1].kind == RC_TOK_PUNCT))
        e--;
    if (e <= b) return 0;
    *titled = 0;
    if (!(w->ti[e - 1].cls & (RC_WC_ORG | RC_WC_PLACE))) {
        uint32_t j = e - 1;
        while (j > b && !(w->ti[j - 1].cls & RC_WC_TITLE)) j--;
        if (j > b) {
            b = j;
            *titled = 1;
            *type = 0; /* PER */
            while (b < e && (w->ti[b].cls & RC_WC_CONNECTOR)) b++;
        }
    }
    if (e <= b) return 0;
    if (e - b == 1 && ((w->ti[b].cls & (RC_WC_TITLE | RC_WC_ORG | RC_WC_PLACE |
                                        RC_WC_MONTH | RC_WC_STOPCAP)) ||
                       w->ti[b].shape == SHAPE_PLURAL_ACRONYM ||
                       r->toks.v[b].end - r->toks.v[b].start == 1))
        return 0;
    /* capitalised common nouns (`Member States`) */
    if (!(w->ti[e - 1].cls & (RC_WC_ORG | RC_WC_PLACE)) && all_common(r, w, text, b, e))
        return 0;
    *pb = b;
    *pe = e;
    return 1;
}

static rc_status model_span(rc_docres *r, ner_work *w, const char *text,
                            uint32_t b, uint32_t e, uint32_t s, int type) {
    int titled;
    const rc_sentence *sn = &r->sents.v[s];
    /* an organisation or place word ending the capitalised run the span
    ** starts makes the run an ORG or a LOC (`Iranian Red` + `Lion Society`) */
    uint32_t run = e;
    while (run < sn->tok_end && (name_token(w, run) ||
                                 (run + 1 < sn->tok_end && connector(w, r, text, run) &&
                                  name_token(w, run + 1))))
        run += name_token(w, run) ? 1 : 2;
    if (run > e && (w->ti[run - 1].cls & (RC_WC_ORG | RC_WC_PLACE))) {
        e = run;
        type = (w->ti[run - 1].cls & RC_WC_ORG) ? 1 : 2; /* ORG, LOC */
    }
    if (!refine_span(r, w, text, &b, &e, &type, &titled)) return RC_OK;
    titled |= b > sn->tok_begin && (w->ti[b - 1].cls & RC_WC_TITLE);
    /* a name after a title runs to the end of its capitalised words */
    while (titled && e < sn->tok_end && name_token(w, e) &&
           !(w->ti[e].cls & (RC_WC_TITLE | RC_WC_ORG | RC_WC_STOPCAP | RC_WC_PLACE)))
        e++;
    /* a country or nationality right before an organisation is part of
    ** it (`Iranian Red Lion Society`): merge_span gives its country */
    if (b > sn->tok_begin && (w->ti[e - 1].cls & RC_WC_ORG) && w->ti[b - 1].gaz &&
        w->ti[b - 1].cap && r->toks.v[b - 1].end < r->toks.v[b].start) {
        const rc_mention *g = &r->m[w->ti[b - 1].gaz - 1];
        if (g->tok == b - 1 && g->end == r->toks.v[b - 1].end &&
            (g->type == RC_GPE || g->type == RC_NORP)) {
            b--;
            type = 1; /* ORG */
        }
    }
    int head = s < r->title_sents && w->flag[s]; /* headline(), per sentence */
    return merge_span(r, w, b, e, s, type, titled, head);
}

/* A capitalised word the tagger left out that is the last word of a
** person's full name in the document (`Melnyk` after `Oksana Melnyk`) is
** a short form of it: stage 3 resolves it. */
static rc_status add_short_forms(rc_docres *r, ner_work *w) {
    size_t nfull = w->nc, n = r->toks.n, cap = 16;
    while (cap < 2 * nfull + 2) cap *= 2;
    if (rc_grow(r->alc, (void **)&w->flag, &w->flag_cap, n ? n : 1, 1) ||
        rc_grow(r->alc, (void **)&w->last, &w->last_cap, cap, sizeof *w->last))
        return RC_ENOMEM;
    memset(w->flag, 0, n ? n : 1);
    memset(w->last, 0, cap * sizeof *w->last);
    for (size_t k = 0; k < nfull; k++) { /* linear in tokens and candidates */
        const cand *c = &w->c[k];
        memset(w->flag + c->b, 1, c->e - c->b);
        if (c->type == RC_PERSON && c->e - c->b > 1) set_add(w->last, cap, w->hash[c->e - 1]);
    }
    for (uint32_t s = 0; s < r->sents.n; s++) {
        const rc_sentence *sn = &r->sents.v[s];
        for (uint32_t i = sn->tok_begin; i < sn->tok_end; i++) {
            if (!name_token(w, i) || w->ti[i].cls || w->flag[i] ||
                !set_has(w->last, cap, w->hash[i]))
                continue;
            if ((i > sn->tok_begin && name_token(w, i - 1)) ||
                (i + 1 < sn->tok_end && name_token(w, i + 1)))
                continue;
            rc_status rc = add_cand(r, w, i, i + 1, s, RC_PERSON, RC_RULE_MODEL, 0, 0);
            if (rc) return rc;
        }
    }
    return RC_OK;
}

static rc_status model_stage(rc_docres *r, ner_work *w, const char *text) {
    rc_status rc = tag_inputs(r, w, text);
    if (rc) return rc;
    size_t n = r->toks.n;
    if (rc_grow(r->alc, (void **)&w->tags, &w->tags_cap, n ? n : 1, 1)) return RC_ENOMEM;
    w->tw.alc = r->alc;
    rc_tagwork_doc_begin(&w->tw);
    /* headlines among the title's sentences, once each (model_span) */
    if (rc_grow(r->alc, (void **)&w->flag, &w->flag_cap, r->sents.n ? r->sents.n : 1, 1))
        return RC_ENOMEM;
    for (uint32_t s = 0; s < r->sents.n && s < r->title_sents; s++)
        w->flag[s] = (uint8_t)headline(r, w, s);
    for (uint32_t s = 0; s < r->sents.n; s++) {
        const rc_sentence *sn = &r->sents.v[s];
        uint32_t sb = sn->tok_begin, se = sn->tok_end;
        if ((rc = rc_tagwork_prepare(&w->tw, text, r->toks.v + sb, w->tin + sb, se - sb)))
            return rc;
        rc_tagger_tag(r->tagger, &w->tw, w->tags + sb);
        for (uint32_t i = sb; i < se; i++) {
            int c = w->tags[i];
            if (!c || rc_tag_pos(c) != RC_TAG_B) {
                if (c && rc_tag_pos(c) == RC_TAG_U &&
                    (rc = model_span(r, w, text, i, i + 1, s, rc_tag_type(c))))
                    return rc;
                continue;
            }
            uint32_t e = i + 1;
            while (e < se && rc_tag_pos(w->tags[e]) == RC_TAG_I) e++;
            if ((rc = model_span(r, w, text, i, e + 1, s, rc_tag_type(c)))) return rc;
            i = e;
        }
    }
    return add_short_forms(r, w);
}

/* MARK: - Canonical names --------------------------------------------------- */

/* The canonical text of tokens [b, e): normalised tokens joined by single
** spaces (hard-wrapped names become one line). */
static rc_status make_canon(rc_docres *r, ner_work *w, const char *text,
                            cand *c) {
    c->canon_off = c->word_off = (uint32_t)w->arena_len;
    for (uint32_t i = c->b; i < c->e; i++) {
        const rc_token *t = &r->toks.v[i];
        size_t room = t->end - t->start; /* normalising never lengthens */
        size_t sep = i > c->b && !(t->start == r->toks.v[i - 1].end);
        if (rc_grow(r->alc, (void **)&w->arena, &w->arena_cap,
                    w->arena_len + room + sep, 1))
            return RC_ENOMEM;
        if (sep) {
            w->arena[w->arena_len++] = ' ';
            c->word_off = (uint32_t)w->arena_len;
        }
        size_t need = rc_token_norm(text, t, w->arena + w->arena_len, room);
        w->arena_len += need < room ? need : room;
    }
    c->canon_len = (uint32_t)(w->arena_len - c->canon_off);
    return RC_OK;
}

/* dst takes src's canonical name. */
static void canon_copy(cand *dst, const cand *src) {
    dst->canon_off = src->canon_off;
    dst->canon_len = src->canon_len;
    dst->word_off = src->word_off;
}

static int canon_eq(const ner_work *w, const cand *a, const cand *b) {
    return a->canon_len == b->canon_len &&
           !memcmp(w->arena + a->canon_off, w->arena + b->canon_off, a->canon_len);
}

/* Does the canonical of `full` end with the word(s) of `shrt`? */
static int ends_with_name(const ner_work *w, const cand *full, const cand *shrt) {
    if (full->canon_len <= shrt->canon_len) return 0;
    const char *f = w->arena + full->canon_off, *s = w->arena + shrt->canon_off;
    size_t off = full->canon_len - shrt->canon_len;
    return f[off - 1] == ' ' && !memcmp(f + off, s, shrt->canon_len);
}

/* MARK: - Stage 3: acronyms, aliases, types ---------------------------------- */

/* Is the acronym acr (upper case) a fit for the long name: its first
** letter is the name's, and its letters appear in order in the name's
** capitalised words. */
static int acronym_fits(const char *acr, size_t an, const char *name, size_t nn) {
    if (!an || !nn || acr[0] != name[0]) return 0;
    size_t k = 0;
    for (size_t i = 0; i < nn && k < an; i++) {
        int word_start = i == 0 || name[i - 1] == ' ' || name[i - 1] == '-';
        char ch = name[i];
        if (word_start && ch >= 'A' && ch <= 'Z' && ch == acr[k]) k++;
    }
    return k == an;
}

/* The candidates by the token they end before (w->end_head, w->end_next),
** the latest first, for the acronyms' lookups by token. */
static rc_status index_ends(rc_docres *r, ner_work *w) {
    size_t nt = r->toks.n + 1, nc = w->nc ? w->nc : 1;
    if (rc_grow(r->alc, (void **)&w->end_head, &w->end_head_cap, nt, sizeof *w->end_head) ||
        rc_grow(r->alc, (void **)&w->end_next, &w->end_next_cap, nc, sizeof *w->end_next))
        return RC_ENOMEM;
    memset(w->end_head, 0, nt * sizeof *w->end_head);
    for (size_t k = 0; k < w->nc; k++) {
        uint32_t e = w->c[k].e;
        w->end_next[k] = w->end_head[e];
        w->end_head[e] = (uint32_t)k + 1;
    }
    return RC_OK;
}

/* The last live candidate ending before token i, or UINT32_MAX. */
static uint32_t live_cand_ending(const ner_work *w, size_t i) {
    for (uint32_t k = w->end_head[i]; k; k = w->end_next[k - 1])
        if (!w->c[k - 1].dead) return k - 1;
    return UINT32_MAX;
}

/* `Long Name (ACR)` and `ACR (Long Name)`; the long name is a candidate
** or a gazetteer mention.  The definitions go into w->acros (kept from
** document to document), *nout of them. */
static rc_status define_acronyms(rc_docres *r, ner_work *w, const char *text,
                                 size_t *nout) {
    size_t n = 0;
    size_t nt = r->toks.n;
    for (size_t p = 0; p < r->side.nparen; p++) {
        const rc_token *t = r->toks.v;
        size_t i = r->side.paren[p]; /* a `(` */
        if (i < 1 || i + 2 >= nt || text[t[i + 2].start] != ')') continue;
        size_t a = i + 1;
        if (w->ti[a].shape != SHAPE_ACRONYM || w->ti[a].gaz) continue;
        /* the long name ends right before '(' */
        uint32_t lc = live_cand_ending(w, i), lm = 0;
        if (lc == UINT32_MAX && w->ti[i - 1].gaz) lm = w->ti[i - 1].gaz;
        const char *nm;
        size_t nn;
        if (lc != UINT32_MAX) {
            nm = w->arena + w->c[lc].canon_off;
            nn = w->c[lc].canon_len;
        } else if (lm) {
            const rc_mention *m = &r->m[lm - 1];
            nm = text + m->start;
            nn = m->end - m->start;
        } else {
            continue;
        }
        if (!acronym_fits(text + t[a].start, t[a].end - t[a].start, nm, nn)) continue;
        if (rc_grow(r->alc, (void **)&w->acros, &w->acros_cap, n + 1, sizeof *w->acros))
            return RC_ENOMEM;
        w->acros[n++] = (acro){w->hash[a], lc, lm};
    }
    /* ACR (Long Name) */
    for (size_t k = 0; k < w->nc; k++) {
        cand *c = &w->c[k];
        if (c->b < 2 || c->e >= nt) continue;
        const rc_token *t = r->toks.v;
        size_t a = c->b - 2;
        if (!(text[t[c->b - 1].start] == '(' && text[t[c->e].start] == ')' &&
              w->ti[a].shape == SHAPE_ACRONYM))
            continue;
        if (!acronym_fits(text + t[a].start, t[a].end - t[a].start,
                          w->arena + c->canon_off, c->canon_len))
            continue;
        if (rc_grow(r->alc, (void **)&w->acros, &w->acros_cap, n + 1, sizeof *w->acros))
            return RC_ENOMEM;
        w->acros[n++] = (acro){w->hash[a], (uint32_t)k, 0};
    }
    *nout = n;
    return RC_OK;
}

/* Every token equal to a defined acronym becomes a mention of its long
** name: a candidate copying the long name's canonical and type, or a
** gazetteer mention of the same entity. */
static rc_status apply_acronyms(rc_docres *r, ner_work *w, const acro *v,
                                size_t n) {
    if (!n) return RC_OK;
    for (uint32_t s = 0; s < r->sents.n; s++) {
        for (uint32_t i = r->sents.v[s].tok_begin; i < r->sents.v[s].tok_end; i++) {
            if (w->ti[i].shape != SHAPE_ACRONYM || w->ti[i].gaz) continue;
            const acro *a = NULL;
            for (size_t k = 0; k < n && !a; k++)
                if (v[k].hash == w->hash[i]) a = &v[k];
            if (!a) continue;
            /* drop a stage-2 candidate on this token (the bare acronym) */
            for (uint32_t k = w->end_head[i + 1]; k; k = w->end_next[k - 1])
                if (w->c[k - 1].b == i) w->c[k - 1].dead = 1;
            if (a->long_c != UINT32_MAX) {
                const cand lc = w->c[a->long_c];
                rc_status rc = add_cand(r, w, i, i + 1, s, (rc_etype)lc.type,
                                        RC_RULE_ACRONYM, 0, 0);
                if (rc) return rc;
                cand *c = &w->c[w->nc - 1];
                canon_copy(c, &lc);
                c->country = lc.country;
            } else {
                const rc_mention lm = r->m[a->long_m - 1];
                rc_mention *m = new_mention(r);
                if (!m) return RC_ENOMEM;
                m->start = r->toks.v[i].start;
                m->end = r->toks.v[i].end;
                m->tok = i;
                m->sentence = s;
                m->entity = lm.entity;
                m->type = lm.type;
                m->rule = RC_RULE_ACRONYM;
                w->ti[i].gaz = (uint32_t)r->nm;
            }
        }
    }
    return RC_OK;
}

/* The candidates grouped by canonical name, for the rules that hold for
** a name throughout the document (headlines, lone words, one type per
** name): w->group_of[k] numbers candidate k's name, through a table of
** the names (open addressing over their hashes, slots hold a group + 1,
** w->group_rep a candidate of each group).  Each rule then works out a
** fact per group in one pass and applies it in another, so a long
** document costs in proportion to its candidates, not to their square. */
static rc_status group_names(rc_docres *r, ner_work *w) {
    size_t n = w->nc ? w->nc : 1, cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (rc_grow(r->alc, (void **)&w->group_slot, &w->group_slot_cap, cap,
                sizeof *w->group_slot) ||
        rc_grow(r->alc, (void **)&w->group_of, &w->group_of_cap, n, sizeof *w->group_of) ||
        rc_grow(r->alc, (void **)&w->group_rep, &w->group_rep_cap, n, sizeof *w->group_rep) ||
        rc_grow(r->alc, (void **)&w->group_flag, &w->group_flag_cap, n,
                sizeof *w->group_flag) ||
        rc_grow(r->alc, (void **)&w->group_ent, &w->group_ent_cap, n, sizeof *w->group_ent))
        return RC_ENOMEM;
    memset(w->group_slot, 0, cap * sizeof *w->group_slot);
    uint32_t ngroups = 0;
    for (size_t k = 0; k < w->nc; k++) {
        const cand *c = &w->c[k];
        size_t i = rc_unit_hash(w->arena + c->canon_off, c->canon_len) & (cap - 1);
        while (w->group_slot[i] && !canon_eq(w, &w->c[w->group_rep[w->group_slot[i] - 1]], c))
            i = (i + 1) & (cap - 1);
        if (!w->group_slot[i]) {
            w->group_rep[ngroups] = (uint32_t)k;
            w->group_slot[i] = ++ngroups;
        }
        w->group_of[k] = w->group_slot[i] - 1;
    }
    w->ngroups = ngroups;
    return RC_OK;
}

/* Short forms: a one-word candidate that is the last word of exactly one
** longer name of the document takes that name; shared by two, it stays.
** A lone sentence-initial word no other name explains is dropped. */
/* The candidates a short form may resolve to, in order, into w->full. */
static size_t list_full_names(ner_work *w) {
    size_t nfull = 0;
    for (size_t j = 0; j < w->nc; j++) {
        const cand *f = &w->c[j];
        if (f->dead || f->e - f->b < 2 || f->rule == RC_RULE_ACRONYM) continue;
        if (f->type == RC_ORG || f->type == RC_LOC) continue;
        w->full[nfull++] = (uint32_t)j;
    }
    return nfull;
}

/* An index of w->full[0..nfull) by last word, for the short forms: open
** addressing over the hash of a name's last word (lw_key, 0 = empty, at
** most half full), each slot the head of a chain through positions of
** w->full in ascending order (lw_next, UINT32_MAX ends it).  A name with
** no space ends with no one-word name (ends_with_name wants a space
** before it) and is left out.  Equal words hash alike, so a short form
** finds every name that may end with it in its chain, in w->full's
** order; the chain may hold others (a hash collision), which
** ends_with_name rejects. */
#define NO_FULL UINT32_MAX
static rc_status index_last_words(rc_docres *r, ner_work *w, size_t nfull) {
    size_t cap = 16;
    while (cap < 2 * nfull) cap *= 2;
    if (rc_grow(r->alc, (void **)&w->lw_key, &w->lw_cap, cap, sizeof *w->lw_key) ||
        rc_grow(r->alc, (void **)&w->lw_head, &w->lw_head_cap, cap, sizeof *w->lw_head) ||
        rc_grow(r->alc, (void **)&w->lw_next, &w->lw_next_cap, nfull ? nfull : 1,
                sizeof *w->lw_next))
        return RC_ENOMEM;
    memset(w->lw_key, 0, cap * sizeof *w->lw_key);
    size_t mask = w->lw_mask = cap - 1;
    for (size_t fi = nfull; fi-- > 0;) {
        const cand *f = &w->c[w->full[fi]];
        w->lw_next[fi] = NO_FULL;
        if (f->word_off == f->canon_off) continue;
        uint64_t h = rc_unit_hash(w->arena + f->word_off,
                                  f->canon_off + f->canon_len - f->word_off);
        if (!h) h = 1;
        size_t i = h & mask;
        while (w->lw_key[i] && w->lw_key[i] != h) i = (i + 1) & mask;
        if (!w->lw_key[i]) {
            w->lw_key[i] = h;
            w->lw_head[i] = NO_FULL;
        }
        w->lw_next[fi] = w->lw_head[i];
        w->lw_head[i] = (uint32_t)fi;
    }
    return RC_OK;
}

/* The first position of w->full whose name may end with the one-word
** name c (its chain in the index), or NO_FULL. */
static uint32_t last_word_chain(const ner_work *w, const cand *c) {
    uint64_t h = rc_unit_hash(w->arena + c->canon_off, c->canon_len);
    if (!h) h = 1;
    size_t mask = w->lw_mask;
    for (size_t i = h & mask; w->lw_key[i]; i = (i + 1) & mask)
        if (w->lw_key[i] == h) return w->lw_head[i];
    return NO_FULL;
}

/* The full names one-word candidate c is the last word of: the first in
** *found (SIZE_MAX when none), and how many there are counting names
** equal to the first once (a count above 1 means two different names). */
static size_t full_names_of(const ner_work *w, const cand *c, size_t *found) {
    size_t count = 0;
    *found = SIZE_MAX;
    for (uint32_t fi = last_word_chain(w, c); fi != NO_FULL; fi = w->lw_next[fi]) {
        size_t j = w->full[fi];
        const cand *f = &w->c[j];
        if (!ends_with_name(w, f, c)) continue;
        if (*found != SIZE_MAX && canon_eq(w, &w->c[*found], f)) continue;
        if (*found == SIZE_MAX) *found = j;
        count++;
    }
    return count;
}

static rc_status resolve_aliases(rc_docres *r, ner_work *w) {
    /* the full names are listed and indexed once: resolving changes
    ** one-word candidates only, but for retyping to PERSON, which lists
    ** them again when it retyped an ORG or LOC */
    if (rc_grow(r->alc, (void **)&w->full, &w->full_cap, w->nc ? w->nc : 1, sizeof *w->full))
        return RC_ENOMEM;
    size_t nfull = list_full_names(w);
    rc_status rc = index_last_words(r, w, nfull);
    if (rc) return rc;
    /* per name: whether a live candidate names it other than as a lone
    ** sentence-initial word.  The loop below leaves that true: it kills
    ** only such words, and once it resolves a word to a full name, every
    ** later word of that name finds the full name too (full names are only
    ** ever added), so none of them asks this any more */
    memset(w->group_flag, 0, w->ngroups);
    for (size_t k = 0; k < w->nc; k++)
        if (!w->c[k].dead && !(w->c[k].headline & 2)) w->group_flag[w->group_of[k]] = 1;
    for (size_t k = 0; k < w->nc; k++) {
        cand *c = &w->c[k];
        if (c->dead || c->rule == RC_RULE_ACRONYM || c->e - c->b != 1) continue;
        /* one token: its canonical is one word (a normal form has no space) */
        assert(c->word_off == c->canon_off);
        size_t found, count = full_names_of(w, c, &found);
        if (count == 1) {
            const cand *f = &w->c[found];
            if (c->titled && f->type == RC_MISC) {
                /* a titled short form makes the full name a PERSON */
                int relist = 0;
                for (size_t j = 0; j < w->nc; j++)
                    if (w->group_of[j] == w->group_of[found]) {
                        relist |= w->c[j].type == RC_ORG || w->c[j].type == RC_LOC;
                        w->c[j].type = RC_PERSON;
                    }
                if (relist) {
                    nfull = list_full_names(w);
                    if ((rc = index_last_words(r, w, nfull))) return rc;
                }
            }
            canon_copy(c, f);
            w->group_of[k] = w->group_of[found]; /* c's name is f's now */
            c->type = w->c[found].type;
            c->rule = RC_RULE_ALIAS;
            c->headline &= 1;
        } else if ((c->headline & 2) && count == 0) {
            /* a lone sentence-initial word: keep only if named elsewhere */
            if (!w->group_flag[w->group_of[k]] && !c->titled) c->dead = 1;
        }
    }
    return RC_OK;
}

/* Headline candidates count only when the body names the same thing. */
static void check_headlines(ner_work *w) {
    uint8_t *in_body = w->group_flag;
    memset(in_body, 0, w->ngroups);
    for (size_t k = 0; k < w->nc; k++)
        if (!w->c[k].dead && !(w->c[k].headline & 1)) in_body[w->group_of[k]] = 1;
    for (size_t k = 0; k < w->nc; k++)
        if ((w->c[k].headline & 1) && !in_body[w->group_of[k]]) w->c[k].dead = 1;
}

/* One type per name in the document: a PERSON by title wins over MISC.
** Every MISC candidate named as a live PERSON becomes one. */
static void unify_types(ner_work *w) {
    uint8_t *person = w->group_flag;
    memset(person, 0, w->ngroups);
    for (size_t k = 0; k < w->nc; k++)
        if (!w->c[k].dead && w->c[k].type == RC_PERSON) person[w->group_of[k]] = 1;
    for (size_t k = 0; k < w->nc; k++)
        if (w->c[k].type == RC_MISC && person[w->group_of[k]]) w->c[k].type = RC_PERSON;
}

/* MARK: - Stage 4: nationality ----------------------------------------------- */

/* The country of the gazetteer mention on token i when it names a country
** or a nationality (GPE or NORP with a country), else 0. */
static uint32_t country_at(const rc_docres *r, const ner_work *w, size_t i) {
    uint32_t g = w->ti[i].gaz;
    if (!g) return 0;
    const rc_mention *m = &r->m[g - 1];
    if (m->type != RC_GPE && m->type != RC_NORP) return 0;
    return r->ents.v[m->entity].country;
}

static int is_possessive(const rc_docres *r, const char *text, size_t i) {
    const rc_token *t = &r->toks.v[i];
    size_t n = t->end - t->start;
    const char *s = text + t->start;
    return (n == 2 && s[0] == '\'' && s[1] == 's') ||
           (n == 4 && !memcmp(s, "\xE2\x80\x99s", 4)) || (n == 1 && s[0] == '\'') ||
           (n == 3 && !memcmp(s, "\xE2\x80\x99", 3));
}

static int is_char(const rc_docres *r, const char *text, size_t i, char ch) {
    const rc_token *t = &r->toks.v[i];
    return t->end - t->start == 1 && text[t->start] == ch;
}

/* Before the name (and its cut-off titles): `Iranian`, `Pakistan's`,
** `Iran's top security official,`. */
static uint32_t country_before(const rc_docres *r, const ner_work *w,
                               const char *text, const cand *c, uint32_t sb) {
    size_t i = c->b;
    while (i > sb && (w->ti[i - 1].cls & (RC_WC_TITLE | RC_WC_CONNECTOR | RC_WC_ORG)) &&
           !w->ti[i - 1].gaz)
        i--;
    if (i > sb && country_at(r, w, i - 1)) return country_at(r, w, i - 1);
    if (i > sb + 1 && is_possessive(r, text, i - 1) && country_at(r, w, i - 2))
        return country_at(r, w, i - 2);
    /* `Iran's top security official, Ali Larijani` */
    if (i > sb && is_char(r, text, i - 1, ',')) {
        for (size_t k = i - 1; k > sb + 1 && k + 9 > i; k--)
            if (is_possessive(r, text, k - 1) && country_at(r, w, k - 2))
                return country_at(r, w, k - 2);
    }
    return 0;
}

/* After the name: `Wang Yi, China's top diplomat`. */
static uint32_t country_after(const rc_docres *r, const ner_work *w,
                              const char *text, const cand *c, uint32_t se) {
    size_t i = c->e;
    if (i + 2 < se && is_char(r, text, i, ',') && country_at(r, w, i + 1) &&
        is_possessive(r, text, i + 2))
        return country_at(r, w, i + 1);
    return 0;
}

static void attribute_countries(const rc_docres *r, ner_work *w,
                                const char *text) {
    for (size_t k = 0; k < w->nc; k++) {
        cand *c = &w->c[k];
        if (c->dead || (c->type != RC_PERSON && c->type != RC_ORG)) continue;
        const rc_sentence *s = &r->sents.v[c->s];
        uint32_t cc = country_before(r, w, text, c, s->tok_begin);
        if (!cc) cc = country_after(r, w, text, c, s->tok_end);
        if (cc) c->country = cc;
    }
}

/* MARK: - Mentions ------------------------------------------------------------ */

/* Whether a goes before b: by start, and at one start the longer first. */
static int mention_before(const rc_mention *a, const rc_mention *b) {
    return a->start != b->start ? a->start < b->start : a->end > b->end;
}

/* The end of the sorted run of m[0..n) that starts at lo. */
static size_t run_end(const rc_mention *m, size_t lo, size_t n) {
    size_t i = lo + 1;
    while (i < n && !mention_before(&m[i], &m[i - 1])) i++;
    return i;
}

/* Merge the sorted runs m[0..a) and m[a..n) in place, the first's first
** at equal keys; tmp has room for a mentions. */
static void merge_runs(rc_mention *m, size_t a, size_t n, rc_mention *tmp) {
    memcpy(tmp, m, a * sizeof *m);
    size_t i = 0, j = a, k = 0;
    while (i < a && j < n) m[k++] = mention_before(&m[j], &tmp[i]) ? m[j++] : tmp[i++];
    memcpy(m + k, tmp + i, (a - i) * sizeof *m);
}

/* Sort r->m stably (as made at equal keys).  The mentions come as a few
** sorted runs (stage 1, the candidates, the acronyms, ...): each pass
** merges neighbouring runs, so the sort is O(n log runs). */
static rc_status sort_mentions(rc_docres *r, ner_work *w) {
    size_t n = r->nm;
    if (n < 2 || run_end(r->m, 0, n) == n) return RC_OK;
    if (rc_grow(r->alc, (void **)&w->msort, &w->msort_cap, n, sizeof *w->msort))
        return RC_ENOMEM;
    for (int merged = 1; merged;) {
        merged = 0;
        for (size_t lo = 0, mid; lo < n && (mid = run_end(r->m, lo, n)) < n;) {
            size_t hi = run_end(r->m, mid, n);
            merge_runs(r->m + lo, mid - lo, hi - lo, w->msort);
            merged = 1;
            lo = hi;
        }
    }
    return RC_OK;
}

/* A name the rules or the gazetteer are sure of: an alias, a demonym, an
** acronym defined in the document. */
static int sure_rule(int rule) {
    return rule == RC_RULE_GAZETTEER || rule == RC_RULE_DEMONYM ||
           rule == RC_RULE_USER || rule == RC_RULE_ACRONYM;
}

/* Of two mentions that overlap one stays (r->m sorted by sort_mentions): a
** run of capitalised words yields to the sure name inside it (`Shares of
** IPC` to the acronym IPC), else the one that starts first, and at one
** start the longer (`German Federal Labour Agency`, not also `Labour
** Agency`). */
static void drop_overlaps(rc_docres *r) {
    size_t k = 0;
    for (size_t i = 0; i < r->nm; i++) {
        const rc_mention *m = &r->m[i];
        if (k && m->start < r->m[k - 1].end) {
            const rc_mention *kept = &r->m[k - 1];
            if (kept->rule == RC_RULE_NAME && sure_rule(m->rule)) r->m[k - 1] = *m;
            continue;
        }
        r->m[k++] = *m;
    }
    r->nm = k;
}

/* Drop the placeholders of blocked aliases (they only covered text). */
static void drop_blocked(rc_docres *r) {
    size_t k = 0;
    for (size_t i = 0; i < r->nm; i++)
        if (r->m[i].type != RC_BLOCKED) r->m[k++] = r->m[i];
    r->nm = k;
}

/* The live candidates as mentions, their names interned.  The
** candidates of one group share its name (group_names, resolve_aliases),
** so a group's entity is interned once, for the type it was interned
** with (group_flag, or 0xFF for none yet; a group whose candidates kept
** different types interns again at each change). */
static rc_status emit(rc_docres *r, ner_work *w) {
    uint8_t *type_of = w->group_flag;
    memset(type_of, 0xFF, w->ngroups);
    for (size_t k = 0; k < w->nc; k++) {
        const cand *c = &w->c[k];
        if (c->dead) continue;
        uint32_t g = w->group_of[k], id = w->group_ent[g];
        assert(c->type < RC_ETYPE_COUNT); /* never 0xFF: RC_BLOCKED marks hits only */
        if (type_of[g] != c->type) {
            rc_status rc = rc_entities_intern(&r->ents, w->arena + c->canon_off,
                                              c->canon_len, (rc_etype)c->type, 0, &id);
            if (rc) return rc;
            type_of[g] = c->type;
            w->group_ent[g] = id;
        }
        rc_mention *m = new_mention(r);
        if (!m) return RC_ENOMEM;
        m->start = r->toks.v[c->b].start;
        m->end = r->toks.v[c->e - 1].end;
        m->tok = c->b;
        m->sentence = c->s;
        m->entity = id;
        m->type = c->type;
        m->rule = c->rule;
        m->country = c->country;
    }
    drop_blocked(r);
    rc_status rc = sort_mentions(r, w);
    if (rc) return rc;
    drop_overlaps(r);
    for (size_t i = 0; i < r->nm; i++)
        r->m[i].paragraph = r->sents.v[r->m[i].sentence].paragraph;
    return RC_OK;
}

static rc_status names_stage(rc_docres *r, ner_work *w, const char *text) {
    w->nc = 0;
    w->arena_len = 0;
    rc_status rc = r->ner_mode == RC_NER_MODEL ? model_stage(r, w, text)
                                               : find_runs(r, w, text);
    for (size_t k = 0; rc == RC_OK && k < w->nc; k++)
        rc = make_canon(r, w, text, &w->c[k]);
    if (rc) return rc;
    /* both forms of a definition hold a `(`, a token of its own (r->side.paren) */
    if (r->side.nparen) {
        size_t nacros = 0;
        if ((rc = index_ends(r, w))) return rc;
        if ((rc = define_acronyms(r, w, text, &nacros)) == RC_OK)
            rc = apply_acronyms(r, w, w->acros, nacros);
        if (rc) return rc;
    }
    if ((rc = group_names(r, w))) return rc;
    check_headlines(w);
    if ((rc = resolve_aliases(r, w))) return rc;
    unify_types(w);
    attribute_countries(r, w, text);
    return emit(r, w);
}

static rc_status ner_setup(rc_docres *r) {
    if (r->ner_mode == RC_NER_MODEL && !r->tagger) {
        if (!r->own_tagger) {
            rc_status rc = rc_tagger_builtin(r->alc, &r->own_tagger, NULL);
            if (rc) return rc;
        }
        r->tagger = r->own_tagger;
    }
    if (!r->ner) {
        ner_work *w = rc_malloc(r->alc, sizeof(ner_work));
        if (!w) return RC_ENOMEM;
        memset(w, 0, sizeof *w);
        r->ner = w;
    }
    return RC_OK;
}

rc_status rc_ner_run(rc_docres *r, const char *text) {
    rc_status rc = ner_setup(r);
    if (rc == RC_OK) rc = token_scan(r, r->ner, text);
    if (rc == RC_OK) rc = gazetteer_stage(r, r->ner, text);
    if (rc) return rc;
    return names_stage(r, r->ner, text);
}

rc_status rc_ner_tag_inputs(rc_docres *r, const char *text, rc_tagtok **out,
                            size_t *cap) {
    rc_status rc = ner_setup(r);
    if (rc == RC_OK) rc = token_scan(r, r->ner, text);
    if (rc == RC_OK) rc = gazetteer_stage(r, r->ner, text);
    ner_work *w = r->ner;
    if (rc == RC_OK) rc = tag_inputs(r, w, text);
    if (rc) return rc;
    size_t n = r->toks.n;
    if (rc_grow(r->alc, (void **)out, cap, n ? n : 1, sizeof **out)) return RC_ENOMEM;
    memcpy(*out, w->tin, n * sizeof **out);
    return RC_OK;
}

void rc_ner_free(rc_docres *r) {
    ner_work *w = r->ner;
    if (!w) return;
    rc_free(r->alc, w->ti);
    rc_free(r->alc, w->classed);
    rc_free(r->alc, w->starts);
    rc_free(r->alc, w->capped);
    rc_free(r->alc, w->hyph);
    rc_free(r->alc, w->lower.slot);
    rc_free(r->alc, w->lower.used);
    rc_free(r->alc, w->c);
    rc_free(r->alc, w->arena);
    rc_free(r->alc, w->tin);
    rc_free(r->alc, w->tags);
    rc_free(r->alc, w->flag);
    rc_free(r->alc, w->last);
    rc_free(r->alc, w->full);
    rc_free(r->alc, w->group_slot);
    rc_free(r->alc, w->end_head);
    rc_free(r->alc, w->end_next);
    rc_free(r->alc, w->group_rep);
    rc_free(r->alc, w->group_of);
    rc_free(r->alc, w->group_flag);
    rc_free(r->alc, w->group_ent);
    rc_free(r->alc, w->lw_key);
    rc_free(r->alc, w->lw_head);
    rc_free(r->alc, w->lw_next);
    rc_free(r->alc, w->msort);
    rc_free(r->alc, w->acros);
    rc_tagwork_free(&w->tw);
    rc_free(r->alc, w);
    r->ner = NULL;
}
