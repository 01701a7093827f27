/*
** rc_query.c -- counts and co-occurrence over an analysed corpus.
**
** Every query first maps each mention to a key: its entity (--level
** entity) or the entity that stands for its country (--level country;
** mentions with no country drop out).  The --types filter looks at the
** mention's entity before the mapping, so `--types PERSON --level country`
** rolls people up to their countries.
**
** Counting: dense arrays indexed by key (mentions, documents, and the last
** document seen, so a document counts once).
**
** Co-occurrence, with quanteda fcm's meanings: per context (a sentence, a
** paragraph, a document, or for window:N a document whose pairs must lie
** at most N tokens apart) every pair of occurrences of two different keys
** is an event; each key's context count c(a) is bumped once per context,
** c(ab) once per context holding the pair (for windows: per document),
** and the count column is c(ab) (boolean), the number of events
** (frequency) or, for windows, the sum of 1/distance (weighted: integer
** counts per distance, summed at the end).  Undirected pairs are (a < b);
** directed ones keep text order (source first).  Pair tables are open
** addressing over the packed key (a << 32 | b), at most half full.  N is the
** number of contexts in the corpus, those with no entity included.  The
** measures come from rc_measure.c.  Rows are then oriented so that source
** sorts before target by name, sorted (main count descending, then names)
** and filtered (--min-count, --entity, --top).
**
** With --terms the keys are the corpus's terms (lower-cased words, less
** the stop words) instead of entities; everything else is the same.
**
** Every query goes through the documents with a doc_cursor (rc_corpus.h):
** a full corpus's records in memory, a lean one's read back from its
** document stream; the mentions and terms of each through an occ_reader.
** Nothing a query keeps grows with the documents: --since/--until is
** decided per document as the cursor reaches it (doc_skipped), and
** timeline and grouped counts find the group of a document the same way
** (period_of), keeping only the distinct groups (periods_build).
**
** Threads (the corpus's opts.threads): the passes that count over every
** document (the context counts of occ_number, --source-col's pairs, and
** the gathering of bags, bags_gather) run
** in shares of the documents, a thread each, and their counters are
** summed (run_shares); rows are taken one at a time by the threads, each
** into a sink or a file of runs of its own (rows_count); the batches of
** a mention query's bags after the first go a batch a thread, into the
** thread's file of runs, cut into a multiple of the threads of about
** equal occurrences (count_batches, batch_bounds); the key map's two folds of
** names go a fold a thread (fold_part).  A query's passes run on one
** team of threads (rc_team in rc_thread.c, keymap's team), started at
** its first pass on two threads and kept to its end, so that no pass
** starts or joins a thread.  A sum does not depend on the split and rows
** are sorted in a total order, so the result is the same for any thread
** count.
*/
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rc_corpus.h"
#include "rc_bytes.h"
#include "rc_pairs.h"
#include "rc_terms.h"

#define NO_KEY UINT32_MAX

/* The query's key map: key_of[entity] for every entity of the corpus, and
** the corpus-wide facts behind it: same_as[id] folds a MISC name into the
** entity of the same name that has a type (a PERSON found by a title
** elsewhere) when that one is at least as frequent, and a one-word person
** into the full name that ends with it (fold_surnames); country[id] is the
** gazetteer's country or else the one the text attributes most often (ties:
** the alphabetically first code). */
typedef struct keymap {
    const rc_corpus *names;   /* the corpus whose entities or terms are the
                                 keys (a part's: the whole's, part_keymap) */
    uint32_t *names_id;       /* a part's: per entity or term id, its id in
                                 names (NULL: the same ids) */
    const rc_entities *vocab; /* what keys name: entities, or terms */
    int terms;
    uint32_t *key_of;
    uint32_t *same_as;
    rc_ccode *country;
    unsigned char *wanted; /* per key: named by --entity (NULL: all) */
    int bounded;           /* --since/--until: only documents dated within */
    long since, until;     /* the bounds as date_key's (0, LONG_MAX: none) */
    rc_team *team;         /* the query's threads (run_threads), kept from
                              pass to pass; none started until a pass has
                              work for two */
} keymap;

static void keymap_free(const rc_corpus *c, keymap *km) {
    if (km->team) rc_team_end(km->team);
    rc_free(c->alc, km->team);
    rc_free(c->alc, km->names_id);
    rc_free(c->alc, km->key_of);
    rc_free(c->alc, km->same_as);
    rc_free(c->alc, km->country);
    rc_free(c->alc, km->wanted);
}

/* A date's first day as yyyymmdd (a year is its 1 January). */
static long date_key(const rc_date *d) {
    return (long)d->year * 10000 + (d->month ? d->month : 1) * 100 + (d->day ? d->day : 1);
}

/* --since/--until: documents dated within the bounds; undated ones out.
** Decided per document as a query's cursor reaches it (doc_skipped), so
** nothing grows with the documents. */
static rc_status select_docs(const rc_corpus *c, const rc_query *q, keymap *km) {
    (void)c;
    km->bounded = q->since.precision || q->until.precision;
    km->since = q->since.precision ? date_key(&q->since) : 0;
    km->until = q->until.precision ? date_key(&q->until) : LONG_MAX;
    return RC_OK;
}

/* Whether the query leaves document doc out (--since/--until). */
static inline int doc_skipped(const keymap *km, const cdoc *doc) {
    if (!km->bounded) return 0;
    long k = date_key(&doc->date);
    return !doc->date.precision || k < km->since || k > km->until;
}

/* An entity's mentions across the corpus (its tally). */
static uint64_t mentions_of(const rc_corpus *c, uint32_t id) {
    return id < c->ent_mentions_cap ? c->ent_mentions[id] : 0;
}

/* A set of 64-bit keys (0 stands in for 0), open addressing over a
** power of two of slots at most half full, for a test cheaper than a
** look-up in an entity table.  With no slots (out of memory) it may have
** every key. */
typedef struct key_set {
    uint64_t *slot;
    size_t mask;
} key_set;

static key_set key_set_new(const rc_allocator *alc, size_t n) {
    size_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    key_set ks = {rc_malloc(alc, cap * sizeof *ks.slot), cap - 1};
    if (ks.slot) memset(ks.slot, 0, cap * sizeof *ks.slot);
    return ks;
}

static size_t key_slot(const key_set *ks, uint64_t k) {
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 40) & ks->mask;
}

static void key_set_add(key_set *ks, uint64_t k) {
    if (!ks->slot) return;
    if (!k) k = 1;
    size_t i = key_slot(ks, k);
    while (ks->slot[i] && ks->slot[i] != k) i = (i + 1) & ks->mask;
    ks->slot[i] = k;
}

static int key_set_may_have(const key_set *ks, uint64_t k) {
    if (!ks->slot) return 1;
    if (!k) k = 1;
    for (size_t i = key_slot(ks, k);; i = (i + 1) & ks->mask) {
        if (ks->slot[i] == k) return 1;
        if (!ks->slot[i]) return 0;
    }
}

static const rc_etype misc_folds_into[] = {RC_PERSON, RC_ORG, RC_GPE, RC_LOC};
#define N_MISC_FOLDS (sizeof misc_folds_into / sizeof *misc_folds_into)

/* Whether a MISC name may fold into an entity of this type. */
static int misc_folds_to(unsigned type) {
    int folds = 0;
    for (size_t t = 0; t < N_MISC_FOLDS; t++) folds |= type == (unsigned)misc_folds_into[t];
    return folds;
}

/* The name keys (rc_entity_name_key) of the entities of the types a MISC
** name folds into. */
static key_set typed_name_keys(const rc_corpus *c) {
    size_t n = 0;
    for (size_t id = 0; id < c->ents.n; id++) n += (size_t)misc_folds_to(c->ents.v[id].type);
    key_set ks = key_set_new(c->alc, n);
    for (size_t id = 0; id < c->ents.n; id++)
        if (misc_folds_to(c->ents.v[id].type))
            key_set_add(&ks, rc_entity_name_key(&c->ents, (uint32_t)id));
    return ks;
}

/* A MISC name is folded into the same name with a type when that typed
** entity has at least as many mentions across the corpus: one document's
** title decides for the rest, but one odd document does not.  A MISC
** name whose key no typed entity has has no typed twin: it is not looked
** up. */
static void fold_misc_names(const rc_corpus *c, keymap *km) {
    key_set keys = typed_name_keys(c);
    for (size_t id = 0; id < c->ents.n; id++) {
        km->same_as[id] = (uint32_t)id;
        if (c->ents.v[id].type != RC_MISC ||
            !key_set_may_have(&keys, rc_entity_name_key(&c->ents, (uint32_t)id)))
            continue;
        size_t len;
        const char *name = rc_entity_name(&c->ents, (uint32_t)id, &len);
        uint32_t best = UINT32_MAX, found[N_MISC_FOLDS];
        rc_entities_find_types(&c->ents, name, len, misc_folds_into, N_MISC_FOLDS, found);
        for (size_t t = 0; t < N_MISC_FOLDS; t++) {
            uint32_t other = found[t];
            if (other != UINT32_MAX &&
                (best == UINT32_MAX || mentions_of(c, other) > mentions_of(c, best)))
                best = other;
        }
        if (best != UINT32_MAX && mentions_of(c, best) >= mentions_of(c, id))
            km->same_as[id] = best;
    }
    rc_free(c->alc, keys.slot);
}

typedef struct name_part {
    const char *s;
    size_t len;
} name_part;

/* A person's surname and first name: the last and the first word of a
** name of two to four capitalised words ("Larijani" and "Ali" of "Ali
** Larijani"); false for any other name ("Kensington and Chelsea"). */
static int name_parts(const char *name, size_t len, name_part *first,
                      name_part *last) {
    size_t words = 0, at = 0, first_len = 0;
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && name[i - 1] != ' ') continue;
        if (name[i] == ' ' || (name[i] >= 'a' && name[i] <= 'z')) return 0;
        if (words++ == 1) first_len = i - 1;
        at = i;
    }
    if (words < 2 || words > 4) return 0;
    *first = (name_part){name, first_len};
    *last = (name_part){name + at, len - at};
    return 1;
}

/* A word by its first 8 bytes and length, for a key_set. */
static uint64_t word_sig(const char *s, size_t len) {
    uint64_t v = 0;
    memcpy(&v, s, len < 8 ? len : 8);
    return v ^ (uint64_t)len << 59;
}

/* The one-word PERSON names of c (no space in them), by word_sig. */
static key_set one_word_people(const rc_corpus *c) {
    size_t n = 0;
    for (size_t id = 0; id < c->ents.n; id++) n += c->ents.v[id].type == RC_PERSON;
    key_set ks = key_set_new(c->alc, n);
    for (size_t id = 0; id < c->ents.n; id++) {
        if (c->ents.v[id].type != RC_PERSON) continue;
        size_t len;
        const char *name = rc_entity_name(&c->ents, (uint32_t)id, &len);
        if (!memchr(name, ' ', len)) key_set_add(&ks, word_sig(name, len));
    }
    return ks;
}

/* What the full names say of each one-word person (fold_surnames): per
** one-word person, the full name ending with it that is named most
** (best), the mentions of the other full names ending with it (rest), and
** of the full names starting with it (as_first). */
typedef struct surnames {
    uint32_t *best;
    uint64_t *rest, *as_first;
} surnames;

static void surnames_free(const rc_corpus *c, surnames *sn) {
    rc_free(c->alc, sn->best);
    rc_free(c->alc, sn->rest);
    rc_free(c->alc, sn->as_first);
}

/* Go through the corpus's full names of people into *sn (every field
** NULL before). */
static rc_status surnames_scan(const rc_corpus *c, surnames *sn) {
    size_t n = c->ents.n ? c->ents.n : 1;
    sn->best = rc_malloc(c->alc, n * sizeof *sn->best);
    sn->rest = rc_malloc(c->alc, n * sizeof *sn->rest);
    sn->as_first = rc_malloc(c->alc, n * sizeof *sn->as_first);
    if (!sn->best || !sn->rest || !sn->as_first) return RC_ENOMEM;
    uint32_t *best = sn->best;
    uint64_t *rest = sn->rest, *as_first = sn->as_first;
    memset(rest, 0, n * sizeof *rest);
    memset(as_first, 0, n * sizeof *as_first);
    for (size_t id = 0; id < c->ents.n; id++) best[id] = UINT32_MAX;
    /* most words of full names are no one-word person's: they are not
    ** looked up */
    key_set people = one_word_people(c);
    for (size_t id = 0; id < c->ents.n; id++) {
        if (c->ents.v[id].type != RC_PERSON) continue;
        size_t len;
        name_part first, last;
        const char *name = rc_entity_name(&c->ents, (uint32_t)id, &len);
        if (!name_parts(name, len, &first, &last)) continue;
        uint32_t given = key_set_may_have(&people, word_sig(first.s, first.len))
                             ? rc_entities_find(&c->ents, first.s, first.len, RC_PERSON)
                             : UINT32_MAX;
        if (given != UINT32_MAX) as_first[given] += mentions_of(c, id);
        uint32_t one = key_set_may_have(&people, word_sig(last.s, last.len))
                           ? rc_entities_find(&c->ents, last.s, last.len, RC_PERSON)
                           : UINT32_MAX;
        if (one == UINT32_MAX) continue;
        if (best[one] == UINT32_MAX || mentions_of(c, id) > mentions_of(c, best[one])) {
            if (best[one] != UINT32_MAX) rest[one] += mentions_of(c, best[one]);
            best[one] = (uint32_t)id;
        } else {
            rest[one] += mentions_of(c, id);
        }
    }
    rc_free(c->alc, people.slot);
    return RC_OK;
}

/* A one-word person is the full name ending with that word ("Larijani" is
** Ali Larijani) when one full name of the corpus has it, or when one has
** more than twice the mentions of all the others together ("Bush" stays
** itself beside George Bush and Jeb Bush named alike often), and that full
** name is named at least half as often as the bare word (a rare "Alternative
** Budget" does not take "Budget") and more often than the full names that
** start with the word ("Charles" stays itself beside Charles Kennedy and
** Charles Clarke, though Ray Charles is the only Charles by surname).
** Within a document the recognizer links short forms already; this links
** the documents that name only the surname.  sn is surnames_scan's; the
** MISC names are folded already (fold_misc_names). */
static void fold_surnames(const rc_corpus *c, keymap *km, const surnames *sn) {
    for (size_t id = 0; id < c->ents.n; id++) {
        uint32_t one = km->same_as[id];
        uint32_t full = sn->best[one];
        if (full != UINT32_MAX && mentions_of(c, full) > 2 * sn->rest[one] &&
            2 * mentions_of(c, full) >= mentions_of(c, one) &&
            mentions_of(c, full) > sn->as_first[one])
            km->same_as[id] = full;
    }
}

typedef struct vote {
    uint32_t entity;
    rc_ccode code;
    uint64_t n; /* mentions */
} vote;

static int vote_cmp(const void *x, const void *y) {
    const vote *a = x, *b = y;
    if (a->entity != b->entity) return a->entity < b->entity ? -1 : 1;
    return a->code < b->code ? -1 : a->code > b->code;
}

static rc_status vote_countries(const rc_corpus *c, keymap *km) {
    const pair_table *votes = &c->votes; /* the corpus's tally */
    vote *v = rc_malloc(c->alc, (votes->n ? votes->n : 1) * sizeof *v);
    if (!v) return RC_ENOMEM;
    size_t n = 0;
    for (size_t j = 0; j < votes->cap; j++) {
        if (!votes->keys[j] || !votes->counts[j]) continue;
        uint64_t k = votes->keys[j] - 1;
        v[n++] = (vote){km->same_as[k >> 32], (rc_ccode)(uint32_t)k, votes->counts[j]};
    }
    qsort(v, n, sizeof *v, vote_cmp);
    for (size_t id = 0; id < c->ents.n; id++) km->country[id] = c->ents.v[id].country;
    for (size_t i = 0; i < n;) {
        uint32_t e = v[i].entity;
        rc_ccode best = 0;
        uint64_t best_n = 0;
        while (i < n && v[i].entity == e) {
            size_t j = i;
            uint64_t votes_for = 0;
            while (j < n && v[j].entity == e && v[j].code == v[i].code) votes_for += v[j++].n;
            if (votes_for > best_n) { /* codes ascend: ties keep the first */
                best_n = votes_for;
                best = v[i].code;
            }
            i = j;
        }
        if (!km->country[e]) km->country[e] = best;
    }
    for (size_t id = 0; id < c->ents.n; id++)
        if (!km->country[id]) km->country[id] = km->country[km->same_as[id]];
    rc_free(c->alc, v);
    return RC_OK;
}

static uint32_t map_entity(const rc_corpus *c, const rc_query *q,
                           const keymap *km, uint32_t id) {
    id = km->same_as[id];
    if (q->level == RC_LEVEL_ENTITY) return id;
    rc_ccode cc = km->country[id];
    if (!cc) return NO_KEY;
    uint32_t ce = rc_gazetteer_country_entity(c->g, cc);
    return ce == UINT32_MAX ? NO_KEY : ce; /* gazetteer ids are corpus ids */
}

/* Resolve --entity names: aliases through the gazetteer, else canonical
** names of the corpus's entities. */
static rc_status resolve_wanted(const rc_corpus *c, const rc_query *q,
                                keymap *km, rc_error *err) {
    if (!q->entities || !q->entities[0]) return RC_OK;
    km->wanted = rc_malloc(c->alc, c->ents.n ? c->ents.n : 1);
    if (!km->wanted) return RC_ENOMEM;
    memset(km->wanted, 0, c->ents.n ? c->ents.n : 1);
    for (size_t i = 0; q->entities[i]; i++) {
        const char *name = q->entities[i];
        size_t len = strlen(name);
        uint32_t id = UINT32_MAX;
        if (!rc_gazetteer_lookup(c->g, name, len, &id))
            for (int t = 0; t < RC_ETYPE_COUNT && id == UINT32_MAX; t++)
                id = rc_entities_find(&c->ents, name, len, (rc_etype)t);
        if (id == UINT32_MAX)
            return rc_error_set(err, RC_ENOENT, 0,
                                "unknown entity '%s' (not in the gazetteer "
                                "nor in the corpus)",
                                name);
        uint32_t k = map_entity(c, q, km, id);
        if (k == NO_KEY)
            return rc_error_set(err, RC_ENOENT, 0,
                                "entity '%s' has no country at --level country",
                                name);
        km->wanted[k] = 1;
    }
    return RC_OK;
}

/* --terms: a term is its own key unless it is a stop word; --entity names
** terms (lower-cased). */
static rc_status term_keys(const rc_corpus *c, const rc_query *q, keymap *km,
                           rc_error *err) {
    if (!c->opts.keep_terms)
        return rc_error_set(err, RC_EINVAL, 0,
                            "--terms: this corpus was analysed without its terms "
                            "(in Python: Corpus(..., terms=True))");
    if (q->types || q->level != RC_LEVEL_ENTITY || q->source_col)
        return rc_error_set(err, RC_EINVAL, 0,
                            "--terms counts words: --types, --level country and "
                            "--source-col are for entities");
    rc_stopwords sw;
    rc_status rc = rc_stopwords_load(&sw, q->stopwords, c->alc, err);
    if (rc) return rc;
    size_t n = c->terms.n ? c->terms.n : 1;
    km->key_of = rc_malloc(c->alc, n * sizeof *km->key_of);
    km->wanted = q->entities && q->entities[0] ? rc_malloc(c->alc, n) : NULL;
    if (!km->key_of || (q->entities && q->entities[0] && !km->wanted)) {
        rc_stopwords_free(&sw);
        return RC_ENOMEM;
    }
    for (size_t id = 0; id < c->terms.n; id++) {
        size_t len;
        const char *w = rc_entity_name(&c->terms, (uint32_t)id, &len);
        km->key_of[id] = rc_stopwords_has(&sw, w, len) ? NO_KEY : (uint32_t)id;
    }
    rc_stopwords_free(&sw);
    if (km->wanted) memset(km->wanted, 0, n);
    for (size_t i = 0; km->wanted && q->entities[i]; i++) {
        const char *name = q->entities[i];
        rc_token tok = {0, (uint32_t)strlen(name), RC_TOK_WORD, 0};
        char *buf = NULL;
        size_t cap = 0, len = 0;
        uint32_t id = UINT32_MAX;
        rc = rc_term_text(name, &tok, &buf, &cap, c->alc, &len);
        if (rc == RC_OK) id = rc_entities_find(&c->terms, buf, len, RC_MISC);
        rc_free(c->alc, buf);
        if (rc) return rc;
        if (id == UINT32_MAX || km->key_of[id] == NO_KEY)
            return rc_error_set(err, RC_ENOENT, 0, "unknown term '%s'%s", name,
                                id == UINT32_MAX ? " (not in the corpus)"
                                                 : " (a stop word)");
        km->wanted[id] = 1;
    }
    return RC_OK;
}

/* The work of thread t (0: the calling thread) of a pass run on threads. */
typedef rc_status (*thread_fn)(void *ctx, size_t t);

typedef struct team_pass {
    thread_fn fn;
    void *ctx;
    rc_status *rc; /* per t */
} team_pass;

static void team_pass_main(void *arg, size_t t) {
    team_pass *p = arg;
    p->rc[t] = p->fn(p->ctx, t);
}

/* Run fn for t = 0 .. nt - 1 on the query's team (rc_team_run): t = 0 on
** the calling thread, each other on a worker of the team, or after t = 0
** on the calling thread where the team has none for it.  The first
** failure in t's order is returned. */
static rc_status run_threads(rc_team *team, const rc_allocator *alc, size_t nt, thread_fn fn,
                             void *ctx) {
    if (nt == 1) return fn(ctx, 0);
    team_pass p = {fn, ctx, rc_malloc(alc, nt * sizeof *p.rc)};
    if (!p.rc) return RC_ENOMEM;
    rc_team_run(team, nt, team_pass_main, &p);
    rc_status rc = RC_OK;
    for (size_t t = 0; rc == RC_OK && t < nt; t++) rc = p.rc[t];
    rc_free(alc, p.rc);
    return rc;
}

/* The threads a query of c may run on: as many as c was analysed with. */
static size_t query_threads(const rc_corpus *c) {
    return c->opts.threads ? c->opts.threads : rc_threads_default();
}

/* The two halves of the folds of names (keymap_build): the MISC names
** (t = 0) and the scan of the full names (t = 1), on two threads, or
** both on one (nt 1). */
#define FOLD_SPLIT_ENTS 8192 /* fewer entities are not worth a thread */

typedef struct fold_pass {
    const rc_corpus *c;
    keymap *km;
    surnames *sn;
    size_t nt;
} fold_pass;

static rc_status fold_part(void *ctx, size_t t) {
    fold_pass *f = ctx;
    if (t == 0) fold_misc_names(f->c, f->km);
    return t == 1 || f->nt == 1 ? surnames_scan(f->c, f->sn) : RC_OK;
}

static rc_status keymap_build(const rc_corpus *c, const rc_query *q,
                              keymap *km, rc_error *err) {
    memset(km, 0, sizeof *km);
    km->names = c;
    km->vocab = &c->ents;
    if (!(km->team = rc_malloc(c->alc, sizeof *km->team))) return RC_ENOMEM;
    rc_team_init(km->team, query_threads(c));
    if (q->terms) {
        km->vocab = &c->terms;
        km->terms = 1;
        rc_status rc = term_keys(c, q, km, err);
        if (rc == RC_OK) rc = select_docs(c, q, km);
        if (rc) keymap_free(c, km);
        return rc;
    }
    size_t n = c->ents.n ? c->ents.n : 1;
    km->key_of = rc_malloc(c->alc, n * sizeof *km->key_of);
    km->same_as = rc_malloc(c->alc, n * sizeof *km->same_as);
    km->country = rc_malloc(c->alc, n * sizeof *km->country);
    rc_status rc = RC_ENOMEM;
    surnames sn = {NULL, NULL, NULL};
    if (!km->key_of || !km->same_as || !km->country) goto fail;
    /* (the tests' smaller shares, rc_corpus_query_knobs, split any corpus) */
    size_t split_at = c->share_occ ? 0 : FOLD_SPLIT_ENTS;
    fold_pass f = {c, km, &sn, c->ents.n >= split_at && query_threads(c) > 1 ? 2 : 1};
    if ((rc = run_threads(km->team, c->alc, f.nt, fold_part, &f))) goto fail;
    fold_surnames(c, km, &sn);
    if ((rc = vote_countries(c, km))) goto fail;
    for (size_t id = 0; id < c->ents.n; id++) {
        unsigned type = c->ents.v[km->same_as[id]].type;
        km->key_of[id] = (q->types && !(q->types & (1u << type)))
                             ? NO_KEY
                             : map_entity(c, q, km, (uint32_t)id);
    }
    if ((rc = resolve_wanted(c, q, km, err)) == RC_OK) rc = select_docs(c, q, km);
fail:
    surnames_free(c, &sn);
    if (rc) keymap_free(c, km);
    return rc;
}

/* A query's result: on success the table goes to *out, on failure it is
** freed and the status returned. */
/* A document's contexts of the query's kind (sentences, paragraphs, or 1). */
static uint64_t doc_contexts(const rc_query *q, const cdoc *doc) {
    return q->context == RC_CTX_SENTENCE    ? doc->nsent
           : q->context == RC_CTX_PARAGRAPH ? doc->npara
                                            : 1;
}

/* Ctrl-C, polled every 256 documents. */
static int interrupted(const rc_corpus *c, size_t d) {
    return c->opts.interrupt && *c->opts.interrupt && !(d & 255);
}

static rc_status hand_over(rc_table *t, rc_status rc, rc_table **out) {
    if (rc) {
        rc_table_free(t);
        return rc;
    }
    *out = t;
    return RC_OK;
}

/* MARK: - Key sort ------------------------------------------------------------ */

/* Three unsigned keys compared in turn, and what they order: a cooccur
** row's place in cooc_cmp's order (the sort measure, 0 when sorting by
** count; the count; the ranks), or a name's first 8 bytes (name_ranks).
** Sorting these small records (a radix sort, row_key_radix) moves far
** fewer bytes than sorting rows. */
typedef struct row_key {
    uint64_t k[3];
    size_t row;
} row_key;

static int row_key_cmp(const void *x, const void *y) {
    const row_key *a = x, *b = y;
    for (int i = 0; i < 3; i++)
        if (a->k[i] != b->k[i]) return a->k[i] < b->k[i] ? -1 : 1;
    return 0;
}

/* Sort v[0..n) as row_key_cmp does, with a least-significant-digit radix
** sort: a stable counting pass per byte of k[2], k[1], k[0] in turn,
** skipping the bytes every key shares (the high bytes of the ranks, the
** low bytes of small counts, all of k[0] when sorting by count): a first
** read finds them.  The histograms of the other bytes (hist: RADIX_PASSES
** x 256) are taken in a second read, as a pass only permutes.  The sorted
** keys end in v or tmp: the one returned. */
#define RADIX_PASSES 24
#define RADIX_BYTE(key, p) ((key).k[2 - (p) / 8] >> ((p) % 8 * 8) & 0xff)

static const row_key *row_key_radix(row_key *v, row_key *tmp, size_t n,
                                    size_t (*hist)[256]) {
    uint64_t differ[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        for (int w = 0; w < 3; w++) differ[w] |= v[i].k[w] ^ v[0].k[w];
    int pass[RADIX_PASSES], npass = 0;
    for (int p = 0; p < RADIX_PASSES; p++)
        if (differ[2 - p / 8] >> (p % 8 * 8) & 0xff) pass[npass++] = p;
    memset(hist, 0, RADIX_PASSES * sizeof *hist);
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < npass; j++) hist[j][RADIX_BYTE(v[i], pass[j])]++;
    for (int j = 0; j < npass; j++) {
        size_t *at = hist[j], sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = at[b];
            at[b] = sum;
            sum += c;
        }
        int p = pass[j];
        for (size_t i = 0; i < n; i++) tmp[at[RADIX_BYTE(v[i], p)]++] = v[i];
        row_key *t = v;
        v = tmp;
        tmp = t;
    }
    return v;
}

/* Names sort in byte order; rank[key] is a key's place in that order. */
static int name_cmp(const rc_entities *v, uint32_t a, uint32_t b) {
    size_t la, lb;
    const char *na = rc_entity_name(v, a, &la);
    const char *nb = rc_entity_name(v, b, &lb);
    int r = memcmp(na, nb, la < lb ? la : lb);
    if (r) return r;
    if (la != lb) return la < lb ? -1 : 1;
    return (int)v->v[a].type - (int)v->v[b].type;
}

typedef struct rank_ctx {
    const rc_entities *vocab;
} rank_ctx;

/* A name's first 8 bytes as a big-endian number (short names padded with
** zeros): names with different prefixes sort as their prefixes do. */
static uint64_t prefix_of(const rc_entities *v, uint32_t id) {
    size_t len;
    const unsigned char *s = (const unsigned char *)rc_entity_name(v, id, &len);
    uint64_t p = 0;
    for (size_t i = 0; i < 8; i++) p = p << 8 | (i < len ? s[i] : 0);
    return p;
}

static int prefix_tie_cmp(const void *x, const void *y, void *ctx) {
    return name_cmp(((rank_ctx *)ctx)->vocab, (uint32_t)((const row_key *)x)->row,
                    (uint32_t)((const row_key *)y)->row);
}

/* Each key's rank: a radix sort on the names' prefixes, then a compare
** sort of each run of names sharing a prefix.  With `used` (counts by
** key, one or two arrays, NULL for none), only the keys that count in
** one of them are ranked, among themselves, and the others rank
** UINT32_MAX: a query's rows hold keys that occur, and the vocabulary
** holds every name the gazetteer knows.  NULL when out of memory. */
static uint32_t *name_ranks(const rc_corpus *c, const rc_entities *vocab,
                            const uint64_t *const used[2]) {
    size_t n = vocab->n ? vocab->n : 1;
    row_key *keys = rc_malloc(c->alc, 2 * n * sizeof *keys); /* + the sort's */
    size_t(*hist)[256] = rc_malloc(c->alc, RADIX_PASSES * sizeof *hist);
    uint32_t *rank = rc_malloc(c->alc, n * sizeof *rank);
    if (!keys || !hist || !rank) {
        rc_free(c->alc, keys);
        rc_free(c->alc, hist);
        rc_free(c->alc, rank);
        return NULL;
    }
    size_t m = 0; /* the keys ranked */
    for (size_t i = 0; i < vocab->n; i++) {
        rank[i] = UINT32_MAX;
        if (!used || (used[0] && used[0][i]) || (used[1] && used[1][i]))
            keys[m++] = (row_key){{0, 0, prefix_of(vocab, (uint32_t)i)}, i};
    }
    row_key *v = keys;
    if (m) v = (row_key *)row_key_radix(keys, keys + n, m, hist);
    rank_ctx ctx = {vocab};
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && v[j].k[2] == v[i].k[2]; j++) {}
        if (j - i > 1) qsort_r(v + i, j - i, sizeof *v, prefix_tie_cmp, &ctx);
    }
    for (size_t i = 0; i < m; i++) rank[v[i].row] = (uint32_t)i;
    rc_free(c->alc, keys);
    rc_free(c->alc, hist);
    return rank;
}

/* The type column of a key: the entity's type, or TERM. */
static const char *key_type(const keymap *km, uint32_t key) {
    return km->terms ? "TERM" : rc_etype_name((rc_etype)km->vocab->v[key].type);
}

static rc_status put_entity(rc_table *t, const keymap *km, uint32_t id) {
    size_t nl;
    const char *name = rc_entity_name(km->vocab, id, &nl);
    rc_status rc = rc_table_str(t, name, nl);
    if (rc) return rc;
    const char *tn = key_type(km, id);
    return rc_table_str(t, tn, strlen(tn));
}

/* Occurrence i of a document: a mention's entity (the document read by
** rd), or a term (--terms). */
static inline cterm doc_occ(const occ_reader *rd, const keymap *km, const cdoc *doc,
                            size_t i) {
    if (km->terms) return rc_corpus_term(rd, doc, i);
    cocc m = rc_corpus_occ(rd, doc->m_begin + i);
    cterm o = {m.entity, m.tok, m.sentence, m.paragraph};
    return o;
}

static inline size_t doc_nocc(const keymap *km, const cdoc *doc) {
    return km->terms ? doc->nt : doc->nm;
}

/* A lean corpus keeps one kind of position: contexts of another kind
** (documents need none) cannot be told apart. */
static rc_status lean_refused(const rc_corpus *c, rc_context ctx, rc_error *err) {
    if (!c->opts.lean || ctx == RC_CTX_DOCUMENT || (rc_context)(c->opts.lean - 1) == ctx)
        return RC_OK;
    return rc_error_set(err, RC_EINVAL, 0,
                        "this corpus was analysed lean for another kind of context");
}

/* A corpus keeping only term tallies answers plain term counts: the
** refusal of `what`, which needs the term occurrences. */
static rc_status tallies_refused(const rc_corpus *c, const char *what, rc_error *err) {
    if (!c->opts.term_tallies) return RC_OK;
    return rc_error_set(err, RC_EINVAL, 0,
                        "this corpus keeps only term counts: %s need its term occurrences",
                        what);
}

/* The answer of a query that only knows entities to --terms. */
static rc_status terms_refused(const char *what, rc_error *err) {
    return rc_error_set(err, RC_EINVAL, 0, "--terms is for count, cooccur and matrix, not %s",
                        what);
}

/* MARK: - Options ---------------------------------------------------------- */

static int pick(const char *v, const char *const *names, int n) {
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) return i;
    return -1;
}

static int parse_count(const char *s, uint64_t *out) {
    char *end;
    if (*s < '0' || *s > '9') return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return 0;
    *out = v;
    return 1;
}

static int parse_types(const char *s, unsigned *out) {
    unsigned bits = 0;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        rc_etype t;
        if (rc_etype_parse(s, len, &t) != RC_OK || t == RC_BLOCKED) return 0;
        bits |= 1u << t;
        s += len + (comma != NULL);
    }
    *out = bits;
    return bits != 0;
}

/* A flag's value: 1, 0, or -1 when it is neither. */
static int parse_flag(const char *v) {
    if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "True")) return 1;
    if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "False")) return 0;
    return -1;
}

rc_status rc_query_set(rc_query *q, const char *name, const char *value,
                       rc_error *err) {
    static const char *const contexts[] = {"sentence", "paragraph", "document"};
    static const char *const modes[] = {"boolean", "frequency", "weighted"};
    static const char *const levels[] = {"entity", "country"};
    static const char *const sorts[] = {"count", "pmi", "npmi", "llr", "dice",
                                        "jaccard"};
    const char *expected;
    int k;
    if (!strcmp(name, "context")) {
        expected = "sentence, paragraph, document or window:N with N from 1 to 1000";
        uint64_t n;
        if (!strncmp(value, "window:", 7)) {
            if (!parse_count(value + 7, &n) || n < 1 || n > 1000) goto bad;
            q->context = RC_CTX_WINDOW;
            q->window = (uint32_t)n;
        } else {
            if ((k = pick(value, contexts, 3)) < 0) goto bad;
            q->context = (rc_context)k;
        }
    } else if (!strcmp(name, "terms")) {
        expected = "true or false";
        if ((k = parse_flag(value)) < 0) goto bad;
        q->terms = k;
    } else if (!strcmp(name, "stopwords")) {
        q->stopwords = value;
    } else if (!strcmp(name, "source-col")) {
        q->source_col = value;
    } else if (!strcmp(name, "by-meta")) {
        q->by_meta = value;
        q->grouped = 1;
    } else if (!strcmp(name, "since") || !strcmp(name, "until")) {
        expected = "a date such as 2025-10-29, October 2025 or 2025";
        rc_date dt;
        if (rc_date_parse(value, strlen(value), &dt) != RC_OK) goto bad;
        if (name[0] == 's') q->since = dt;
        else q->until = dt;
    } else if (!strcmp(name, "by")) {
        static const char *const periods[] = {"month", "day", "week", "year"};
        expected = "day, week, month or year";
        if ((k = pick(value, periods, 4)) < 0) goto bad;
        q->by = (rc_period)k;
        q->grouped = 1;
    } else if (!strcmp(name, "count")) {
        expected = "boolean, frequency or weighted";
        if ((k = pick(value, modes, 3)) < 0) goto bad;
        q->count = (rc_count_mode)k;
    } else if (!strcmp(name, "directed")) {
        expected = "true or false";
        if ((k = parse_flag(value)) < 0) goto bad;
        q->directed = k;
    } else if (!strcmp(name, "level")) {
        expected = "entity or country";
        if ((k = pick(value, levels, 2)) < 0) goto bad;
        q->level = (rc_level)k;
    } else if (!strcmp(name, "sort")) {
        expected = "count, pmi, npmi, llr, dice or jaccard";
        if ((k = pick(value, sorts, 6)) < 0) goto bad;
        q->sort = (rc_sort)k;
    } else if (!strcmp(name, "types")) {
        expected = "type names separated by commas: PERSON,ORG,GPE,LOC,NORP,MISC";
        if (!parse_types(value, &q->types)) goto bad;
    } else if (!strcmp(name, "min-count")) {
        expected = "a whole number";
        if (!parse_count(value, &q->min_count)) goto bad;
    } else if (!strcmp(name, "top")) {
        expected = "a whole number";
        if (!parse_count(value, &q->top)) goto bad;
    } else {
        return rc_error_set(err, RC_ENOENT, 0, "unknown query option '%s'", name);
    }
    return RC_OK;
bad:
    return rc_error_set(err, RC_EINVAL, 0, "invalid value '%s' for %s (expected %s)",
                        value, name, expected);
}

/* MARK: - mentions --------------------------------------------------------- */

/* Every mention of c's documents, its entity folded and its type and
** country settled by km's corpus-wide facts (km: entity level, all types). */
static rc_status mention_rows(const rc_corpus *c, const keymap *km, int char_offsets,
                              rc_table **out) {
    const rc_corpus *kc = km->names;
    rc_table *t = NULL;
    rc_status rc = rc_mentions_table_new(c->alc, &t);
    if (rc) return rc;
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    for (size_t d = 0; d < c->ndocs && rc == RC_OK; d++) {
        const cdoc *doc;
        if ((rc = doc_cursor_at(&dk, d, &doc, NULL))) break;
        if (doc_skipped(km, doc)) continue;
        for (size_t i = 0; i < doc->nm && rc == RC_OK; i++) {
            const cmention *cm = &c->m[doc->m_begin + i];
            rc_mention m = cm->m;
            m.entity = km->same_as[km->names_id ? km->names_id[m.entity] : m.entity];
            if (m.type == RC_MISC) m.type = kc->ents.v[m.entity].type;
            if (!m.country) m.country = km->country[m.entity];
            rc = rc_mention_row(t, rc_corpus_doc_id(c, doc), c->strs + cm->text_off,
                                &m, &kc->ents, char_offsets);
        }
    }
    doc_cursor_free(&dk);
    return hand_over(t, rc, out);
}

rc_status rc_corpus_mentions(const rc_corpus *c, int char_offsets,
                             rc_table **out) {
    static const rc_query all; /* entity level, every type */
    *out = NULL;
    if (c->opts.lean) return RC_EINVAL; /* no surface texts kept */
    keymap km;
    rc_status rc = keymap_build(c, &all, &km, NULL);
    if (rc == RC_OK) {
        rc = mention_rows(c, &km, char_offsets, out);
        keymap_free(c, &km);
    }
    return rc;
}

/* MARK: - kwic ------------------------------------------------------------- */

/* The key a --entity name maps to (resolve_wanted's rules). */
static uint32_t named_key(const rc_corpus *c, const rc_query *q, const keymap *km,
                          const char *name) {
    size_t len = strlen(name);
    uint32_t id = UINT32_MAX;
    if (!rc_gazetteer_lookup(c->g, name, len, &id))
        for (int t = 0; t < RC_ETYPE_COUNT && id == UINT32_MAX; t++)
            id = rc_entities_find(&c->ents, name, len, (rc_etype)t);
    return id == UINT32_MAX ? NO_KEY : map_entity(c, q, km, id);
}

/* "s-e;s-e" of the mentions of key in one sentence. */
static rc_status put_spans(rc_table *t, const cmention *m, size_t n, uint32_t sentence,
                           uint32_t key, const keymap *km, int chars) {
    char buf[4096];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (m[i].m.sentence != sentence || km->key_of[m[i].m.entity] != key) continue;
        int w = snprintf(buf + len, sizeof buf - len, "%s%u-%u", len ? ";" : "",
                         chars ? m[i].m.cstart : m[i].m.start,
                         chars ? m[i].m.cend : m[i].m.end);
        if (w < 0 || (size_t)w >= sizeof buf - len) break; /* keep what fits */
        len += (size_t)w;
    }
    return rc_table_str(t, buf, len);
}

/* What kwic refuses: terms, a lean corpus, other than one or two names. */
static rc_status kwic_refused(const rc_corpus *c, const rc_query *q, rc_error *err) {
    size_t ne = 0;
    while (q->entities && q->entities[ne]) ne++;
    if (q->terms) return terms_refused("kwic", err);
    if (c->opts.lean)
        return rc_error_set(err, RC_EINVAL, 0, "kwic: this corpus keeps no sentence text");
    if (ne < 1 || ne > 2)
        return rc_error_set(err, RC_EINVAL, 0,
                            "kwic needs one or two entities (--entity A [--entity B])");
    return RC_OK;
}

/* The kwic rows of c's documents, keys by km (of km->names). */
static rc_status kwic_rows(const rc_corpus *c, const rc_query *q, const keymap *km,
                           int char_offsets, rc_table **out, rc_error *err) {
    static const char *const names[] = {"doc", "sentence", "start", "end", "source",
                                        "target", "text", "source_spans",
                                        "target_spans"};
    static const rc_col_kind kinds[] = {RC_COL_STR, RC_COL_INT, RC_COL_INT, RC_COL_INT,
                                        RC_COL_STR, RC_COL_STR, RC_COL_STR, RC_COL_STR,
                                        RC_COL_STR};
    int ne = q->entities[1] ? 2 : 1;
    const rc_corpus *kc = km->names;
    uint32_t ka = named_key(kc, q, km, q->entities[0]);
    uint32_t kb = ne == 2 ? named_key(kc, q, km, q->entities[1]) : NO_KEY;
    size_t la = 0, lb = 0;
    const char *na = rc_entity_name(&kc->ents, ka, &la);
    const char *nb = kb != NO_KEY ? rc_entity_name(&kc->ents, kb, &lb) : "";
    rc_table *t = NULL;
    rc_status rc = rc_table_new(9, names, kinds, c->alc, &t);
    if (rc) return rc;
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    for (size_t d = 0; d < c->ndocs && rc == RC_OK; d++) {
        const cdoc *doc;
        if ((rc = doc_cursor_at(&dk, d, &doc, err))) break;
        if (doc_skipped(km, doc)) continue;
        const cmention *m = c->m + doc->m_begin;
        for (size_t i = 0; i < doc->nm && rc == RC_OK;) {
            uint32_t s = m[i].m.sentence;
            int has_a = 0, has_b = 0;
            size_t j = i;
            for (; j < doc->nm && m[j].m.sentence == s; j++) {
                uint32_t k = km->key_of[m[j].m.entity];
                has_a |= k == ka;
                has_b |= k == kb;
            }
            if (has_a && (ne == 1 || has_b)) {
                const csent *cs = &c->sents[doc->s_begin + s];
                const char *id = rc_corpus_doc_id(c, doc);
                if ((rc = rc_table_str(t, id, strlen(id))) ||
                    (rc = rc_table_int(t, s)) ||
                    (rc = rc_table_int(t, char_offsets ? cs->cstart : cs->start)) ||
                    (rc = rc_table_int(t, char_offsets ? cs->cend : cs->end)) ||
                    (rc = rc_table_str(t, na, la)) || (rc = rc_table_str(t, nb, lb)) ||
                    (rc = rc_table_str(t, c->strs + cs->text_off, cs->end - cs->start)) ||
                    (rc = put_spans(t, m + i, j - i, s, ka, km, char_offsets)) ||
                    (rc = ne == 2 ? put_spans(t, m + i, j - i, s, kb, km, char_offsets)
                                  : rc_table_str(t, "", 0)) ||
                    (rc = rc_table_end_row(t)))
                    break;
            }
            i = j;
        }
    }
    doc_cursor_free(&dk);
    return hand_over(t, rc, out);
}

rc_status rc_corpus_kwic(const rc_corpus *c, const rc_query *q, int char_offsets,
                         rc_table **out, rc_error *err) {
    *out = NULL;
    keymap km;
    rc_status rc = kwic_refused(c, q, err);
    if (rc == RC_OK && (rc = keymap_build(c, q, &km, err)) == RC_OK) {
        rc = kwic_rows(c, q, &km, char_offsets, out, err);
        keymap_free(c, &km);
    }
    return rc;
}

/* MARK: - count ---------------------------------------------------------- */

typedef struct count_row {
    uint32_t key, rank;
    uint64_t mentions, documents;
} count_row;

/* At most this many rows of a count are sorted by their names, not by
** ranks of the whole vocabulary. */
#define LAZY_RANK_ROWS 256

/* Count rows in order: mentions descending, then names, compared as
** such (by_name: the vocabulary; a few rows, --top's) or through their
** ranks (by_name NULL: all rows, ranked by name_ranks at once). */
static int count_cmp(const count_row *a, const count_row *b, const rc_entities *by_name) {
    if (a->mentions != b->mentions) return a->mentions > b->mentions ? -1 : 1;
    if (by_name) return name_cmp(by_name, a->key, b->key);
    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static int count_row_cmp(const void *x, const void *y, void *by_name) {
    return count_cmp(x, y, by_name);
}

/* Keep the best k of rows[0..n) (k < n) in rows[0..k), unsorted: a heap
** whose root is the worst kept, so that most rows cost one compare. */
static size_t count_best(count_row *rows, size_t n, size_t k, const rc_entities *by_name) {
    for (size_t i = 1; i < k; i++) /* heapify: worst at the root */
        for (size_t j = i; j > 0 && count_cmp(&rows[j], &rows[(j - 1) / 2], by_name) > 0;
             j = (j - 1) / 2) {
            count_row t = rows[j];
            rows[j] = rows[(j - 1) / 2];
            rows[(j - 1) / 2] = t;
        }
    for (size_t i = k; i < n; i++) {
        if (count_cmp(&rows[i], &rows[0], by_name) >= 0) continue;
        rows[0] = rows[i];
        for (size_t j = 0;;) {
            size_t l = 2 * j + 1, r = l + 1, w = j;
            if (l < k && count_cmp(&rows[l], &rows[w], by_name) > 0) w = l;
            if (r < k && count_cmp(&rows[r], &rows[w], by_name) > 0) w = r;
            if (w == j) break;
            count_row t = rows[j];
            rows[j] = rows[w];
            rows[w] = t;
            j = w;
        }
    }
    return k;
}

/* Sort rows[0..n) as count_cmp does by rank (mentions descending, then
** rank; the ranks are distinct): a radix sort of small keys, then the
** rows gathered in their order.  0 when out of memory (rows unchanged). */
static int count_radix(const rc_corpus *c, count_row *rows, size_t n) {
    row_key *keys = rc_malloc(c->alc, 2 * n * sizeof *keys); /* + the sort's */
    size_t(*hist)[256] = rc_malloc(c->alc, RADIX_PASSES * sizeof *hist);
    count_row *sorted = rc_malloc(c->alc, n * sizeof *sorted);
    int ok = keys && hist && sorted;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            keys[i] = (row_key){{0, UINT64_MAX - rows[i].mentions, rows[i].rank}, i};
        const row_key *v = row_key_radix(keys, keys + n, n, hist);
        for (size_t i = 0; i < n; i++) sorted[i] = rows[v[i].row];
        memcpy(rows, sorted, n * sizeof *rows);
    }
    rc_free(c->alc, keys);
    rc_free(c->alc, hist);
    rc_free(c->alc, sorted);
    return ok;
}

/* Order the kept rows: with --top keeping fewer than all, the best top
** of them compared by name (most rows never reach a name compare); a
** few rows by name too (ranking the vocabulary, every name the gazetteer
** knows, would cost more); else all of them by name rank, with a radix
** sort (a count of every term has tens of thousands of rows).  Returns
** how many are kept. */
static size_t count_order(const rc_corpus *c, const rc_query *q, const rc_entities *vocab,
                          count_row *rows, size_t kept, rc_status *rc) {
    const rc_entities *by_name = NULL;
    if (q->top && q->top < kept) {
        by_name = vocab;
        kept = count_best(rows, kept, (size_t)q->top, by_name);
    } else if (kept <= LAZY_RANK_ROWS) {
        by_name = vocab;
    } else {
        uint32_t *rank = name_ranks(c, vocab, NULL);
        if (!rank) {
            *rc = RC_ENOMEM;
            return 0;
        }
        for (size_t i = 0; i < kept; i++) rows[i].rank = rank[rows[i].key];
        rc_free(c->alc, rank);
        if (count_radix(c, rows, kept)) return kept;
    }
    qsort_r(rows, kept, sizeof *rows, count_row_cmp, (void *)by_name);
    return kept;
}

static rc_status count_grouped(const rc_corpus *c, const rc_query *q,
                               rc_table **out, rc_error *err);

/* Count every key's mentions and documents over c's documents into rows
** (km->vocab->n of them, zeroed here), or take the terms' tallies. */
static rc_status count_keys(const rc_corpus *c, const keymap *km, count_row *rows,
                            rc_error *err) {
    size_t nkeys = km->vocab->n, n = nkeys ? nkeys : 1;
    uint32_t *last = rc_malloc(c->alc, n * sizeof *last);
    if (!last) return RC_ENOMEM;
    for (size_t i = 0; i < nkeys; i++) {
        rows[i].key = (uint32_t)i;
        rows[i].rank = 0;
        rows[i].mentions = rows[i].documents = 0;
        last[i] = UINT32_MAX;
    }
    rc_status rc = RC_OK;
    int tallied = km->terms && c->opts.term_tallies; /* no occurrences to read */
    if (tallied) {
        if (km->bounded && (rc = tallies_refused(c, "--since and --until", err))) goto done;
        for (size_t i = 0; i < nkeys && i < c->tallies_cap; i++) {
            if (km->key_of[i] == NO_KEY) continue;
            rows[i].mentions = c->tallies[i].mentions;
            rows[i].documents = c->tallies[i].docs;
        }
    }
    occ_reader rd;
    occ_reader_init(&rd, c, km->terms);
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    for (size_t d = 0; d < c->ndocs && rc == RC_OK && !tallied; d++) {
        const cdoc *doc;
        if ((rc = doc_cursor_at(&dk, d, &doc, err))) break;
        if (doc_skipped(km, doc)) continue;
        if ((rc = occ_reader_doc(&rd, doc, err))) break;
        for (size_t i = 0, no = doc_nocc(km, doc); i < no; i++) {
            uint32_t k = km->key_of[doc_occ(&rd, km, doc, i).term];
            if (k == NO_KEY) continue;
            rows[k].mentions++;
            if (last[k] != d) {
                last[k] = (uint32_t)d;
                rows[k].documents++;
            }
        }
    }
    doc_cursor_free(&dk);
    occ_reader_free(&rd);
done:
    rc_free(c->alc, last);
    return rc;
}

/* The count table of rows (km->vocab->n of them, reordered). */
static rc_status count_table(const rc_corpus *c, const rc_query *q, const keymap *km,
                             count_row *rows, rc_table **out) {
    static const char *const names[] = {"entity", "type", "country",
                                        "mentions", "documents"};
    static const rc_col_kind kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_STR,
                                        RC_COL_INT, RC_COL_INT};
    size_t kept = 0;
    for (size_t i = 0; i < km->vocab->n; i++) {
        const count_row *r = &rows[i];
        if (!r->mentions || r->mentions < q->min_count) continue;
        if (km->wanted && !km->wanted[r->key]) continue;
        rows[kept++] = *r;
    }
    rc_status rc = RC_OK;
    kept = count_order(c, q, km->vocab, rows, kept, &rc);
    rc_table *t = NULL;
    if (rc == RC_OK) rc = rc_table_new(5, names, kinds, c->alc, &t);
    for (size_t i = 0; rc == RC_OK && i < kept; i++) {
        const count_row *r = &rows[i];
        char cc[4] = "";
        if (!km->terms) rc_ccode_unpack(km->country[r->key], cc);
        if ((rc = put_entity(t, km, r->key)) == RC_OK &&
            (rc = rc_table_str(t, cc, strlen(cc))) == RC_OK &&
            (rc = rc_table_int(t, (int64_t)r->mentions)) == RC_OK &&
            (rc = rc_table_int(t, (int64_t)r->documents)) == RC_OK)
            rc = rc_table_end_row(t);
    }
    return hand_over(t, rc, out);
}

rc_status rc_corpus_count(const rc_corpus *c, const rc_query *q,
                          rc_table **out, rc_error *err) {
    if (q->grouped) return count_grouped(c, q, out, err);
    *out = NULL;
    keymap km;
    rc_status rc = keymap_build(c, q, &km, err);
    if (rc) return rc;
    size_t n = km.vocab->n ? km.vocab->n : 1;
    count_row *rows = rc_malloc(c->alc, n * sizeof *rows);
    if (!rows) rc = RC_ENOMEM;
    if (rc == RC_OK) rc = count_keys(c, &km, rows, err);
    if (rc == RC_OK) rc = count_table(c, q, &km, rows, out);
    rc_free(c->alc, rows);
    keymap_free(c, &km);
    return rc;
}

/* MARK: - cooccur ----------------------------------------------------------- */

typedef struct cooc_row {
    uint32_t a, b, ra, rb; /* keys, oriented a before b by name when
                              undirected; their ranks (lazy: set by
                              sink_finish) */
    double count;          /* the count column (weighted: a sum of 1/d) */
    rc_measures m;
} cooc_row;

/* How rows compare: by the sort measure, then count, then names, told by
** the keys' ranks or (by_name: ranks not made yet) by the names. */
typedef struct sort_ctx {
    rc_sort by;
    const rc_entities *by_name;
} sort_ctx;

/* The names of rows a and b in order: -1, 0 (the same keys) or 1. */
static int names_cmp(const cooc_row *a, const cooc_row *b, const sort_ctx *sc) {
    if (sc->by_name) {
        if (a->a != b->a) return name_cmp(sc->by_name, a->a, b->a) < 0 ? -1 : 1;
        if (a->b != b->b) return name_cmp(sc->by_name, a->b, b->b) < 0 ? -1 : 1;
        return 0;
    }
    if (a->ra != b->ra) return a->ra < b->ra ? -1 : 1;
    return a->rb < b->rb ? -1 : a->rb > b->rb;
}

static double sort_value(const cooc_row *r, rc_sort by) {
    switch (by) {
    case RC_SORT_PMI: return r->m.pmi;
    case RC_SORT_NPMI: return r->m.npmi;
    case RC_SORT_LLR: return r->m.llr;
    case RC_SORT_DICE: return r->m.dice;
    case RC_SORT_JACCARD: return r->m.jaccard;
    default: return r->count;
    }
}

static int cooc_cmp(const void *x, const void *y, void *ctx) {
    const cooc_row *a = x, *b = y;
    rc_sort by = ((sort_ctx *)ctx)->by;
    if (by != RC_SORT_COUNT) {
        double va = sort_value(a, by), vb = sort_value(b, by);
        int na = isnan(va), nb = isnan(vb);
        if (na != nb) return na ? 1 : -1;
        if (!na && va != vb) return va > vb ? -1 : 1;
    }
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return names_cmp(a, b, ctx);
}

/* One occurrence of a key in a context: its order and token position. */
typedef struct occ {
    uint32_t key;
    uint32_t tok;
} occ;

/* What a cooccur query accumulates: c(a) per key, c(ab) (the boolean
** table the measures use), the count column (frequency: pairs of
** mentions), and for weighted windows integer counts per distance, summed
** as count/distance only at the end so the result never depends on order. */
typedef struct acc {
    const rc_allocator *alc;
    uint64_t *ctx_count;
    uint64_t *src_count; /* --source-col: documents per source (c(a)) */
    pair_table both;     /* c(ab) */
    pair_table value;    /* frequency counts */
    pair_table *by_dist; /* weighted: [1..window] */
    uint64_t n_ctx;
} acc;

/* The context of occurrence o: its sentence, its paragraph, or 0 (the
** whole document: document and window contexts). */
static uint32_t context_id(const rc_query *q, const cterm *o) {
    switch (q->context) {
    case RC_CTX_SENTENCE: return o->sentence;
    case RC_CTX_PARAGRAPH: return o->paragraph;
    default: return 0;
    }
}

/* MARK: - Counting on threads ------------------------------------------------ */

/* With --threads N, a pass that counts over every document (the context
** counts of occ_number) splits the documents
** into N shares of about equal occurrences; each thread counts its share
** into counters of its own, and the calling thread then sums them.  Every
** count is a sum, so the sums are exactly one thread's counts; rows come
** out of them in a total order (cooc_cmp), never in a table's slot
** order.  A share of fewer than SHARE_OCC occurrences is not worth a
** thread. */
#define SHARE_OCC ((size_t)1 << 13)

/* One share's work: documents [d0, d1) into the counters of share t (0:
** the calling thread's). */
typedef rc_status (*share_fn)(void *ctx, size_t t, size_t d0, size_t d1);

/* A pass in shares: share t takes documents [bound[t], bound[t + 1]). */
typedef struct shares {
    share_fn fn;
    void *ctx;
    size_t *bound;
} shares;

static rc_status share_run(void *ctx, size_t t) {
    shares *sh = ctx;
    return sh->fn(sh->ctx, t, sh->bound[t], sh->bound[t + 1]);
}

/* Where a document's occurrences start in the corpus's stream. */
static rc_status occ_begin(doc_cursor *dk, const keymap *km, size_t d, uint64_t *at) {
    const cdoc *doc;
    rc_status rc = doc_cursor_at(dk, d, &doc, NULL);
    if (rc == RC_OK) *at = km->terms ? doc->t_begin : doc->m_begin;
    return rc;
}

/* The first document whose occurrences start at or after `at`. */
static rc_status doc_at_occ(const rc_corpus *c, const keymap *km, uint64_t at, size_t *d) {
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    size_t lo = 0, hi = c->ndocs;
    rc_status rc = RC_OK;
    while (rc == RC_OK && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t begin = 0;
        rc = occ_begin(&dk, km, mid, &begin);
        if (begin < at) lo = mid + 1;
        else hi = mid;
    }
    doc_cursor_free(&dk);
    *d = lo;
    return rc;
}

/* How many shares (threads) count the corpus's occurrences: as many as
** it was analysed with, each of at least SHARE_OCC occurrences. */
static size_t share_count(const rc_corpus *c, const keymap *km) {
    uint64_t total = km->terms ? c->nt : c->nm;
    size_t want = query_threads(c);
    size_t least = c->share_occ ? c->share_occ : SHARE_OCC;
    uint64_t fit = total / least;
    return fit < 1 ? 1 : fit < want ? (size_t)fit : want;
}

/* Where document d's occurrences start (the corpus's total at the end). */
static rc_status occ_at_doc(const rc_corpus *c, const keymap *km, size_t d, uint64_t *at) {
    if (d >= c->ndocs) {
        *at = km->terms ? c->nt : c->nm;
        return RC_OK;
    }
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    rc_status rc = occ_begin(&dk, km, d, at);
    doc_cursor_free(&dk);
    return rc;
}

/* Run fn over nt shares of documents [d0, d1) of about equal occurrences,
** on nt threads (run_threads). */
static rc_status run_shares_of(const rc_corpus *c, const keymap *km, size_t nt, share_fn fn,
                               void *ctx, size_t d0, size_t d1) {
    shares sh = {fn, ctx, rc_malloc(c->alc, (nt + 1) * sizeof *sh.bound)};
    if (!sh.bound) return RC_ENOMEM;
    uint64_t lo = 0, hi = 0;
    rc_status rc = occ_at_doc(c, km, d0, &lo);
    if (rc == RC_OK) rc = occ_at_doc(c, km, d1, &hi);
    sh.bound[0] = d0;
    sh.bound[nt] = d1;
    for (size_t t = 1; rc == RC_OK && t < nt; t++) {
        rc = doc_at_occ(c, km, lo + (hi - lo) * t / nt, &sh.bound[t]);
        if (sh.bound[t] < d0) sh.bound[t] = d0;
        if (sh.bound[t] > d1) sh.bound[t] = d1;
    }
    if (rc == RC_OK) rc = run_threads(km->team, c->alc, nt, share_run, &sh);
    rc_free(c->alc, sh.bound);
    return rc;
}

/* run_shares_of every document. */
static rc_status run_shares(const rc_corpus *c, const keymap *km, size_t nt, share_fn fn,
                            void *ctx) {
    return run_shares_of(c, km, nt, fn, ctx, 0, c->ndocs);
}

/* The count column of a pair. */
static double pair_value(const acc *A, const rc_query *q, uint32_t a, uint32_t b,
                         uint64_t both) {
    if (q->count == RC_COUNT_BOOLEAN) return (double)both;
    if (q->count == RC_COUNT_FREQUENCY) return (double)pairs_get(&A->value, a, b);
    double w = 0;
    for (uint32_t d = 1; d <= q->window; d++)
        w += (double)pairs_get(&A->by_dist[d], a, b) / d;
    return w;
}

/* MARK: - Rows of a cooccur result ---------------------------------------- */

/* Where counted pairs go: filtered (--min-count, --entity), oriented
** (undirected: source before target by name), given their measures and
** kept, either all of them or with --top only the best q->top in a heap
** whose root rows[0] is the worst kept (cooc_cmp is a total order, so
** the best top rows are the same whichever way they are found).  Keys
** are told apart by name through their ranks (name_ranks), or with a
** --top of at most LAZY_RANK_TOP rows by the names themselves (rank NULL),
** the few rows kept then ranked among themselves at the end: ranking a
** whole vocabulary costs more than the names a top few rows compare. */
#define LAZY_RANK_TOP 4096

typedef struct row_sink {
    const rc_query *q;
    const keymap *km;
    const acc *A;
    uint32_t *rank; /* per key; NULL: lazy */
    sort_ctx sc;
    cooc_row *rows;
    size_t n, cap;
    struct top_counts *shared; /* threads counting one batch: the best
                                  counts of all their sinks (NULL: alone) */
} row_sink;

/* The counts of the best --top rows (by count) that any thread counting
** a batch has kept, a min-heap under mu: once it holds --top of them, its
** least is a floor for every thread's sink, as one thread's own best
** --top rows are for it alone.  Without it each thread's floor comes from
** the rows it counted, half of them on two threads, and stays lower: the
** rows below no thread's floor are counted all the same (BBC's term
** window, --top 10: 689 rows on two threads against one thread's 478). */
typedef struct top_counts {
    pthread_mutex_t mu;
    uint64_t *heap;
    size_t n, top;
    _Atomic uint64_t floor; /* heap[0] once the heap is full, else 0 */
} top_counts;

/* Offer the count of a row a thread's sink kept: kept when among the best
** --top counts offered so far (only those above the floor take the lock). */
static void top_offer(top_counts *t, uint64_t count) {
    if (count <= atomic_load_explicit(&t->floor, memory_order_relaxed)) return;
    pthread_mutex_lock(&t->mu);
    uint64_t *h = t->heap;
    size_t i = t->n;
    if (t->n < t->top) { /* up from the end */
        for (t->n++; i > 0 && h[(i - 1) / 2] > count; i = (i - 1) / 2) h[i] = h[(i - 1) / 2];
        h[i] = count;
    } else if (count > h[0]) { /* down from the root */
        for (i = 0;;) {
            size_t k = 2 * i + 1;
            if (k >= t->n) break;
            if (k + 1 < t->n && h[k + 1] < h[k]) k++;
            if (h[k] >= count) break;
            h[i] = h[k];
            i = k;
        }
        h[i] = count;
    }
    if (t->n == t->top) atomic_store_explicit(&t->floor, h[0], memory_order_relaxed);
    pthread_mutex_unlock(&t->mu);
}

static rc_status sink_init(row_sink *s, const rc_corpus *c, const rc_query *q,
                           const keymap *km, const acc *A) {
    memset(s, 0, sizeof *s);
    s->q = q;
    s->km = km;
    s->A = A;
    s->sc.by = q->sort;
    if (q->top && q->top <= LAZY_RANK_TOP) {
        s->sc.by_name = km->vocab;
        return RC_OK;
    }
    /* a row's two keys occur in its contexts (or as its source) */
    const uint64_t *const used[2] = {A->ctx_count, A->src_count};
    s->rank = name_ranks(c, km->vocab, used);
    return s->rank ? RC_OK : RC_ENOMEM;
}

static void sink_free(row_sink *s) {
    rc_free(s->A->alc, s->rank);
    rc_free(s->A->alc, s->rows);
}

/* Sort order without the measures: whether r sorts before x by count and
** names (decisive when sorting by count). */
static int before_by_count(const cooc_row *r, const cooc_row *x, const sort_ctx *sc) {
    if (r->count != x->count) return r->count > x->count;
    return names_cmp(r, x, sc) < 0;
}

static void heap_down(cooc_row *h, size_t n, sort_ctx *sc) {
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, worst = i;
        if (l < n && cooc_cmp(&h[l], &h[worst], sc) > 0) worst = l;
        if (r < n && cooc_cmp(&h[r], &h[worst], sc) > 0) worst = r;
        if (worst == i) return;
        cooc_row t = h[i];
        h[i] = h[worst];
        h[worst] = t;
        i = worst;
    }
}

static void heap_up(cooc_row *h, size_t i, sort_ctx *sc) {
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (cooc_cmp(&h[i], &h[p], sc) <= 0) return;
        cooc_row t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

/* The least integer count column sink_pair may keep (it drops smaller
** ones by the count alone: below --min-count, or, --top rows by count
** being full, below the worst kept), so that the test of most pairs is one
** integer compare where they are made.  Exact for counts below 2^53 (all
** of them: a count is a number of contexts or of pairs of occurrences),
** which doubles hold exactly. */
static uint64_t sink_floor(const row_sink *s) {
    const rc_query *q = s->q;
    uint64_t floor = q->min_count;
    if (q->top && s->n == q->top && q->sort == RC_SORT_COUNT &&
        s->rows[0].count > (double)floor)
        floor = (uint64_t)s->rows[0].count; /* integral: an earlier count */
    if (s->shared) { /* the best --top of every thread's rows */
        uint64_t all = atomic_load_explicit(&s->shared->floor, memory_order_relaxed);
        if (all > floor) floor = all;
    }
    return floor;
}

/* Whether a pair whose sort measure is v and count column `value` sorts
** after the worst kept row (cooc_cmp, names aside): then it is out. */
static int after_worst(const row_sink *s, double v, double value) {
    const cooc_row *w = &s->rows[0];
    double wv = sort_value(w, s->q->sort);
    int nv = isnan(v), nw = isnan(wv);
    if (nv != nw) return nv;
    if (!nv && v != wv) return v < wv;
    return value < w->count;
}

/* With --top rows full and sorted by a measure: whether the pair (keys a
** and b in the order the row would have) is out by its measure alone, so
** that most pairs cost one measure, not five and the names' order. */
static int out_by_measure(const row_sink *s, uint32_t a, uint32_t b, uint64_t both,
                          double value) {
    uint64_t ca = s->q->source_col ? s->A->src_count[a] : s->A->ctx_count[a];
    double v = rc_measure_value(s->q->sort, s->A->n_ctx, ca, s->A->ctx_count[b], both);
    return after_worst(s, v, value);
}

/* Keep row r (oriented, its measures made) if it is among the best so
** far: the last step of sink_pair, and how a thread's sink is added to
** the query's (sink_take). */
static rc_status sink_keep(row_sink *s, const cooc_row *r) {
    sort_ctx sc = s->sc;
    if (s->q->top && s->n == s->q->top) {
        if (cooc_cmp(r, &s->rows[0], &sc) >= 0) return RC_OK;
        s->rows[0] = *r;
        heap_down(s->rows, s->n, &sc);
    } else {
        if (rc_grow(s->A->alc, (void **)&s->rows, &s->cap, s->n + 1, sizeof *s->rows))
            return RC_ENOMEM;
        s->rows[s->n++] = *r;
        if (s->q->top) heap_up(s->rows, s->n - 1, &sc);
    }
    if (s->shared) top_offer(s->shared, (uint64_t)r->count); /* integral, as the floor */
    return RC_OK;
}

/* One pair: keys a and b (undirected: a < b), c(ab) `both` and the count
** column `value`. */
static rc_status sink_pair(row_sink *s, uint32_t a, uint32_t b, uint64_t both,
                           double value) {
    const rc_query *q = s->q;
    if (value < (double)q->min_count) return RC_OK;
    int full = q->top && s->n == q->top;
    if (full && q->sort == RC_SORT_COUNT && value < s->rows[0].count)
        return RC_OK; /* out, whatever the names */
    if (s->km->wanted && !s->km->wanted[a] && !s->km->wanted[b]) return RC_OK;
    /* pmi, npmi, dice and jaccard are the same bits with a and b swapped
    ** (their ca and cb meet only in a product or a sum), so the test may
    ** come before the row is oriented; llr, whose sum of four terms may
    ** round otherwise when swapped, is out when out both ways */
    int by_measure = full && q->sort != RC_SORT_COUNT;
    if (by_measure && !q->source_col) {
        if (q->sort != RC_SORT_LLR) {
            if (out_by_measure(s, a, b, both, value)) return RC_OK;
        } else {
            double ab, ba;
            const uint64_t *cc = s->A->ctx_count;
            rc_llr_both_ways(s->A->n_ctx, cc[a], cc[b], both, &ab, &ba);
            if (after_worst(s, ab, value) && after_worst(s, ba, value)) return RC_OK;
        }
        by_measure = 0;
    }
    if (!q->directed && !q->source_col &&
        (s->rank ? s->rank[a] > s->rank[b] : name_cmp(s->km->vocab, a, b) > 0)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    cooc_row r;
    r.a = a;
    r.b = b;
    r.ra = s->rank ? s->rank[a] : 0;
    r.rb = s->rank ? s->rank[b] : 0;
    r.count = value;
    sort_ctx sc = s->sc;
    if (full && q->sort == RC_SORT_COUNT && !before_by_count(&r, &s->rows[0], &sc))
        return RC_OK; /* no measures needed to know it is out */
    if (by_measure && out_by_measure(s, a, b, both, value)) return RC_OK;
    uint64_t ca = q->source_col ? s->A->src_count[a] : s->A->ctx_count[a];
    rc_measures_compute(s->A->n_ctx, ca, s->A->ctx_count[b], both, &r.m);
    return sink_keep(s, &r);
}

/* An unsigned key ordering doubles descending, NaN last, -0 as 0. */
static uint64_t desc_key(double v) {
    if (isnan(v)) return UINT64_MAX;
    if (v == 0) v = 0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t ascending = bits >> 63 ? ~bits : bits | 1ull << 63;
    return ~ascending;
}

/* The rows of a cooccur result and their sort order. */
typedef struct cooc_result {
    cooc_row *rows;
    size_t *order; /* rows[order[i]] is the i-th row in sort order */
    size_t n;
} cooc_result;

static void result_free(const rc_allocator *alc, cooc_result *r) {
    rc_free(alc, r->rows);
    rc_free(alc, r->order);
}

/* A key of a kept row: which row, and whether it is its b. */
typedef struct key_ref {
    uint32_t key;
    uint32_t is_b;
    size_t row;
} key_ref;

static int key_ref_cmp(const void *x, const void *y, void *vocab) {
    const key_ref *a = x, *b = y;
    return a->key == b->key ? 0 : name_cmp(vocab, a->key, b->key);
}

/* Lazy ranks: the kept rows' keys ranked among themselves by name, which
** orders them as their ranks in the whole vocabulary would. */
static rc_status rank_kept(row_sink *s) {
    size_t m = 2 * s->n;
    key_ref *v = rc_malloc(s->A->alc, (m ? m : 1) * sizeof *v);
    if (!v) return RC_ENOMEM;
    for (size_t i = 0; i < s->n; i++) {
        v[2 * i] = (key_ref){s->rows[i].a, 0, i};
        v[2 * i + 1] = (key_ref){s->rows[i].b, 1, i};
    }
    qsort_r(v, m, sizeof *v, key_ref_cmp, (void *)s->km->vocab);
    uint32_t rank = 0;
    for (size_t j = 0; j < m; j++) {
        if (j && v[j].key != v[j - 1].key) rank++;
        if (v[j].is_b) s->rows[v[j].row].rb = rank;
        else s->rows[v[j].row].ra = rank;
    }
    rc_free(s->A->alc, v);
    return RC_OK;
}

/* The kept rows and their order, handed to *out; on failure nothing is. */
static rc_status sink_finish(row_sink *s, cooc_result *out) {
    rc_sort by = s->q->sort;
    if (!s->rank && rank_kept(s)) return RC_ENOMEM;
    size_t n = s->n ? s->n : 1;
    if (n > SIZE_MAX / (2 * sizeof(row_key))) return RC_ENOMEM;
    row_key *keys = rc_malloc(s->A->alc, 2 * n * sizeof *keys); /* + sort's */
    size_t *order = rc_malloc(s->A->alc, n * sizeof *order);
    if (!keys || !order) {
        rc_free(s->A->alc, keys);
        rc_free(s->A->alc, order);
        return RC_ENOMEM;
    }
    for (size_t i = 0; i < s->n; i++) {
        const cooc_row *r = &s->rows[i];
        keys[i].k[0] = by == RC_SORT_COUNT ? 0 : desc_key(sort_value(r, by));
        keys[i].k[1] = desc_key(r->count);
        keys[i].k[2] = (uint64_t)r->ra << 32 | r->rb;
        keys[i].row = i;
    }
    /* many rows: a radix sort, in keys or spare; few (or no memory): qsort */
    row_key *spare = s->n > 256 ? rc_malloc(s->A->alc, s->n * sizeof *spare) : NULL;
    size_t(*hist)[256] = spare ? rc_malloc(s->A->alc, RADIX_PASSES * sizeof *hist) : NULL;
    const row_key *sorted = keys;
    if (hist)
        sorted = row_key_radix(keys, spare, s->n, hist);
    else
        qsort(keys, s->n, sizeof *keys, row_key_cmp);
    for (size_t i = 0; i < s->n; i++) order[i] = sorted[i].row;
    rc_free(s->A->alc, hist);
    rc_free(s->A->alc, spare);
    rc_free(s->A->alc, keys);
    out->rows = s->rows;
    out->order = order;
    out->n = s->n;
    s->rows = NULL;
    return RC_OK;
}

/* The rows of the pairs counted in A's tables. */
static rc_status cooc_rows(const rc_corpus *c, const rc_query *q,
                           const keymap *km, const acc *A, cooc_result *out) {
    const pair_table *pairs = &A->both;
    row_sink s;
    rc_status rc = sink_init(&s, c, q, km, A);
    for (size_t i = 0; rc == RC_OK && i < pairs->cap; i++) {
        if (!pairs->keys[i]) continue;
        uint64_t k = pairs->keys[i] - 1;
        uint32_t a = (uint32_t)(k >> 32), b = (uint32_t)k;
        uint64_t both = pairs->counts[i];
        rc = sink_pair(&s, a, b, both, pair_value(A, q, a, b, both));
    }
    if (rc == RC_OK) rc = sink_finish(&s, out);
    sink_free(&s);
    return rc;
}

/* MARK: - Row-wise co-occurrence -------------------------------------------- */

/*
** Co-occurrence of entities or terms (all but --source-col's) goes a row
** at a time, like a sparse matrix product (Gustavson's), with no pair
** table:
**  1. c(a), the contexts holding each key, is counted over the corpus
**     and the keys that occur are numbered by falling c(a) (occ_number),
**     so the counters the frequent pairs hit share a few cache lines;
**  2. the kept occurrences are gathered context by context, a bag context
**     (sentence, paragraph, document) keeping each distinct key once with
**     its multiplicity, or (directed) the ordinals of its first and last
**     occurrences (a last-context stamp per key); windows, and directed
**     frequencies of bags, list every occurrence (listed);
**  3. a counting sort lists the places of each key (occ_index); bags are
**     then rewritten with each context's keys ascending (occ_sort_bags);
**  4. for each key a in turn, the pairs (a, b > a) are summed into dense
**     per-key counters (bags: the keys after a in each of its contexts;
**     listed: the occurrences at most N tokens from each of a's (bags:
**     in its context), c(ab) once per context; directed, both orders of
**     each pair: in bags counted boolean, a before b where a's first
**     occurrence precedes b's last, else by the side each neighbour is
**     on; weighted, a list of counts by distance per pair), handed to
**     the row sink with their query keys,
**     and the counters cleared through the list of keys touched, or by a
**     scan of the counters when the row had more events than keys.
** Boolean counts are bounded: c(ab) <= min(c(a), c(b)), so a pair whose
** key has c below the sink's floor (--min-count; with --top by count, the
** worst row kept) can never be kept.  The keys at or above the floor are
** a prefix of the ids (the numbering), so a row past it is never counted
** and a row counts only the keys inside it, which ascend in each bag: with
** --top the rows of the frequent keys, counted first, raise the floor and
** the rest of the work shrinks to the pairs of a few hundred keys.
** Memory is about 36 bytes an occurrence (bags: a distinct key of a
** context) and the rows kept, less the arrays a query does not read (tok:
** listed only; mult: frequency counts of bags only), plus 8 for lo and
** hi (directed boolean bags only); the work is the number of pair
** events (listed bags: every pair of occurrences of a context).  A
** corpus of more occurrences than a batch holds is gathered and counted
** a batch of documents at a time, the batches' pairs merged from runs on
** disk (pair_runs), so memory stays bounded by a batch, whatever the
** pairs a context makes (one document of megabytes at --context
** document).
*/
/* Occurrences gathered a batch (at most 36 bytes each with the index),
** plus a document's: a corpus with more is counted in batches
** (pair_runs).  Terms: some 110 MB at most on BBC text.  Mentions are
** fewer and their pairs fewer still, so a smaller batch, which keeps an
** entity query near the memory of the analysis that streams it: 4 times
** as many batches cost 1-2% of the time at 100 MB. */
#define TERM_BATCH_OCC ((size_t)1 << 22)
#define MENTION_BATCH_OCC ((size_t)1 << 18)

typedef struct occ_set {
    const rc_allocator *alc;
    uint32_t *key, *tok, *mult; /* per kept occurrence (bags: per distinct key);
                                   tok, mult NULL when the query needs none */
    uint32_t *lo, *hi;          /* directed bags, per distinct key: the first
                                   and last of its occurrences in the context
                                   (ordinals); NULL otherwise */
    int has_tok, has_mult, has_span;
    int listed;                 /* every occurrence kept in order (windows;
                                   directed frequency of bags), else bags of
                                   distinct keys */
    int directed;               /* the query's pairs are ordered */
    uint32_t reach;             /* listed: how far apart a pair may be, in
                                   tokens (bags: unbounded, tok an ordinal) */
    size_t n, cap;
    uint32_t *ctx;              /* per occurrence: its context's ordinal */
    size_t *ctx_end;            /* per context: the end of its occurrences */
    size_t nctx, ctx_cap;
    size_t *first;              /* per key + 1: start of its places */
    uint32_t *place;            /* occurrences of each key, ascending */
    uint32_t *end;              /* bags, per place: its context's end */
    uint32_t *last, *where;     /* per id: last context holding it, and where */
    uint32_t *id_of;            /* per query key: its id here (NO_KEY: absent) */
    uint32_t *key_of;           /* per id: its query key */
    size_t nids;
    uint64_t *count;            /* per key: the contexts holding it, counted
                                   as they are added (NULL: not counted) */
    uint64_t kept;              /* the occurrences of query keys in the
                                   stream (occ_number) */
    uint64_t batch_raw;         /* in shares: the occurrences in the
                                   stream a batch spans (count_batch) */
} occ_set;

/* Free a batch's occurrences, keeping the keys' numbering. */
static void occ_batch_free(occ_set *o) {
    rc_free(o->alc, o->key);
    rc_free(o->alc, o->tok);
    rc_free(o->alc, o->mult);
    rc_free(o->alc, o->lo);
    rc_free(o->alc, o->hi);
    rc_free(o->alc, o->ctx);
    rc_free(o->alc, o->first);
    rc_free(o->alc, o->place);
    rc_free(o->alc, o->end);
    o->key = o->tok = o->mult = o->lo = o->hi = o->ctx = o->place = o->end = NULL;
    o->first = NULL;
    o->n = o->cap = o->nctx = 0;
}

static void occ_set_free(occ_set *o) {
    occ_batch_free(o);
    rc_free(o->alc, o->ctx_end);
    rc_free(o->alc, o->last);
    rc_free(o->alc, o->where);
    rc_free(o->alc, o->id_of);
    rc_free(o->alc, o->key_of);
}

/* A resident document's occurrences as the row-wise count reads them.
** Terms: lean, straight from the stream's words (w: `stride` words an
** entry, the term first, then the one position the corpus keeps), else
** its cterms (t); ctx_in_w, tok_in_w: whether that position is the
** query's context id or the token (else they read 0, as rc_lean_entry
** has them).  Mentions: through the reader (rd), from m_begin. */
typedef struct occ_view {
    const uint32_t *w;
    const cterm *t;
    unsigned stride;
    int ctx_in_w, tok_in_w;
    const occ_reader *rd;
    uint64_t m_begin;
} occ_view;

static occ_view occ_view_of(const occ_reader *rd, const rc_query *q, const keymap *km,
                            const cdoc *doc) {
    const rc_corpus *c = rd->c;
    occ_view v = {NULL, NULL, 1, 0, 0, NULL, 0};
    if (!km->terms) {
        v.rd = rd;
        v.m_begin = doc->m_begin;
        return v;
    }
    if (!c->opts.lean) {
        v.t = c->t + doc->t_begin;
        return v;
    }
    rc_context kept = (rc_context)(c->opts.lean - 1);
    v.stride = c->tspill.stride;
    v.w = doc->nt ? rd->at + (doc->t_begin - rd->lo) * v.stride : NULL;
    v.ctx_in_w = v.stride > 1 && kept == q->context &&
                 (kept == RC_CTX_SENTENCE || kept == RC_CTX_PARAGRAPH);
    v.tok_in_w = v.stride > 1 && kept == RC_CTX_WINDOW;
    return v;
}

/* Occurrence i of a view: its term or entity; its context id (context_id)
** and token in *ctx and *tok. */
static inline uint32_t view_occ(const occ_view *v, const rc_query *q, size_t i,
                                uint32_t *ctx, uint32_t *tok) {
    if (v->t) {
        *ctx = context_id(q, &v->t[i]);
        *tok = v->t[i].tok;
        return v->t[i].term;
    }
    if (v->rd) {
        cocc m = rc_corpus_occ(v->rd, v->m_begin + i);
        cterm o = {m.entity, m.tok, m.sentence, m.paragraph};
        *ctx = context_id(q, &o);
        *tok = m.tok;
        return m.entity;
    }
    const uint32_t *w = v->w + i * v->stride;
    *ctx = v->ctx_in_w ? w[1] : 0;
    *tok = v->tok_in_w ? w[1] : 0;
    return w[0];
}

/* Add to count[k] the contexts of documents [d0, d1) holding key k, and
** to *kept their occurrences of any key; last (n keys) is scratch: the
** ordinal of the last context holding k. */
static rc_status number_range(const rc_corpus *c, const rc_query *q, const keymap *km,
                              uint64_t *count, uint64_t *kept, uint32_t *last, size_t n,
                              size_t d0, size_t d1) {
    memset(last, 0xff, n * sizeof *last);
    uint32_t ord = 0;
    occ_reader rd;
    occ_reader_init(&rd, c, km->terms);
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    rc_status rc = RC_OK;
    uint64_t held = 0;
    for (size_t d = d0; d < d1 && rc == RC_OK; d++) {
        const cdoc *doc;
        if ((rc = doc_cursor_at(&dk, d, &doc, NULL))) break;
        if (doc_skipped(km, doc)) continue;
        if ((rc = occ_reader_doc(&rd, doc, NULL))) break;
        occ_view tv = occ_view_of(&rd, q, km, doc);
        uint32_t ctx = UINT32_MAX;
        size_t no = doc_nocc(km, doc);
        for (size_t i = 0; i < no; i++) {
            uint32_t cx, tok, term = view_occ(&tv, q, i, &cx, &tok);
            if (i == 0 || cx != ctx) {
                ctx = cx;
                if (++ord == UINT32_MAX) { /* wrapped: forget the stamps */
                    memset(last, 0xff, n * sizeof *last);
                    ord = 0;
                }
            }
            uint32_t k = km->key_of[term];
            held += k != NO_KEY;
            if (k != NO_KEY && last[k] != ord) {
                last[k] = ord;
                count[k]++;
            }
        }
    }
    *kept += held;
    doc_cursor_free(&dk);
    occ_reader_free(&rd);
    return rc;
}

/* number_contexts's shares: share t counts into count[t] (share 0 into
** the caller's) and kept[t], with last[t] its scratch. */
typedef struct number_shares {
    const rc_corpus *c;
    const rc_query *q;
    const keymap *km;
    uint64_t **count;
    uint64_t *kept;
    uint32_t **last;
    size_t n;
} number_shares;

static rc_status number_share(void *ctx, size_t t, size_t d0, size_t d1) {
    number_shares *ns = ctx;
    return number_range(ns->c, ns->q, ns->km, ns->count[t], &ns->kept[t], ns->last[t], ns->n,
                        d0, d1);
}

/* count[k] (n keys, zeroed): the contexts holding key k, over the whole
** corpus (on share_count threads), and *kept the occurrences of any key;
** last is scratch of n. */
static rc_status number_contexts(const rc_corpus *c, const rc_query *q, const keymap *km,
                                 uint64_t *count, uint64_t *kept, uint32_t *last, size_t n) {
    size_t nt = share_count(c, km);
    number_shares ns = {c, q, km, rc_malloc(c->alc, nt * sizeof *ns.count),
                        rc_calloc(c->alc, nt, sizeof *ns.kept),
                        rc_malloc(c->alc, nt * sizeof *ns.last), n};
    rc_status rc = ns.count && ns.kept && ns.last ? RC_OK : RC_ENOMEM;
    size_t ready = 0; /* shares with their arrays (past the first) */
    for (; rc == RC_OK && ready < nt; ready++) {
        ns.count[ready] = ready ? rc_malloc(c->alc, n * sizeof **ns.count) : count;
        ns.last[ready] = ready ? rc_malloc(c->alc, n * sizeof **ns.last) : last;
        if (!ns.count[ready] || !ns.last[ready]) rc = RC_ENOMEM;
        else if (ready) memset(ns.count[ready], 0, n * sizeof **ns.count);
    }
    if (rc == RC_OK) rc = run_shares(c, km, nt, number_share, &ns);
    for (size_t t = 1; rc == RC_OK && t < nt; t++)
        for (size_t k = 0; k < n; k++) count[k] += ns.count[t][k];
    for (size_t t = 0; rc == RC_OK && t < nt; t++) *kept += ns.kept[t];
    for (size_t t = 1; t < ready; t++) {
        rc_free(c->alc, ns.count[t]);
        rc_free(c->alc, ns.last[t]);
    }
    rc_free(c->alc, ns.count);
    rc_free(c->alc, ns.kept);
    rc_free(c->alc, ns.last);
    return rc;
}

/* The numbering as a counting sort by c(a) when no key is in more than
** `most` contexts (of nkeys keys, m of which occur): one bucket per
** count, filled from the highest down, each in ascending key order.
** Returns 0, numbering nothing, when the buckets would not pay (counts
** higher than the keys that occur) or cannot be had. */
static int number_by_buckets(occ_set *o, const uint64_t *count, size_t nkeys, size_t m,
                             uint64_t most) {
    if (most > 4 * (uint64_t)m + 1024) return 0;
    uint32_t *at = rc_malloc(o->alc, ((size_t)most + 1) * sizeof *at);
    if (!at) return 0;
    memset(at, 0, ((size_t)most + 1) * sizeof *at);
    for (size_t k = 0; k < nkeys; k++) at[count[k]]++;
    uint32_t next = 0; /* the first id of each count, highest count first */
    for (size_t v = (size_t)most; v > 0; v--) {
        uint32_t here = at[v];
        at[v] = next;
        next += here;
    }
    for (size_t k = 0; k < nkeys; k++) {
        uint64_t v = count[k];
        if (!v) continue;
        uint32_t id = at[v]++;
        o->id_of[k] = id;
        o->key_of[id] = (uint32_t)k;
    }
    rc_free(o->alc, at);
    return 1;
}

/* The same by a radix sort of row keys {0, ~c(a), key}, whatever the
** counts. */
static rc_status number_by_radix(occ_set *o, const uint64_t *count, size_t nkeys, size_t m) {
    size_t n = nkeys ? nkeys : 1;
    if (n > SIZE_MAX / (2 * sizeof(row_key))) return RC_ENOMEM;
    row_key *f = rc_malloc(o->alc, 2 * n * sizeof *f); /* + the sort's */
    size_t(*hist)[256] = rc_malloc(o->alc, RADIX_PASSES * sizeof *hist);
    if (!f || !hist) {
        rc_free(o->alc, f);
        rc_free(o->alc, hist);
        return RC_ENOMEM;
    }
    size_t j = 0;
    for (size_t k = 0; k < nkeys; k++)
        if (count[k]) f[j++] = (row_key){{0, ~count[k], k}, k};
    const row_key *v = m ? row_key_radix(f, f + n, m, hist) : f;
    for (size_t i = 0; i < m; i++) {
        o->id_of[v[i].row] = (uint32_t)i;
        o->key_of[i] = (uint32_t)v[i].row;
    }
    rc_free(o->alc, f);
    rc_free(o->alc, hist);
    return RC_OK;
}

/* o's arrays by key (id_of, key_of, last, where) for nkeys keys; freed
** with o. */
static rc_status numbering_room(occ_set *o, size_t nkeys) {
    size_t n = nkeys ? nkeys : 1;
    o->id_of = rc_malloc(o->alc, n * sizeof *o->id_of);
    o->key_of = rc_malloc(o->alc, n * sizeof *o->key_of);
    o->last = rc_malloc(o->alc, n * sizeof *o->last);
    o->where = rc_malloc(o->alc, n * sizeof *o->where);
    return o->id_of && o->key_of && o->last && o->where ? RC_OK : RC_ENOMEM;
}

/* Number the keys that occur (count[k] contexts hold key k) by falling
** count, ties by key, into o->id_of and o->key_of (allocated), o->nids;
** o->last (allocated, nkeys) is left all ones. */
static rc_status number_keys(occ_set *o, const uint64_t *count, size_t nkeys) {
    size_t n = nkeys ? nkeys : 1;
    rc_status rc = RC_OK;
    size_t m = 0; /* the keys that occur: the vocabulary holds every
                     name the gazetteer knows */
    uint64_t most = 0;
    for (size_t k = 0; k < nkeys; k++) {
        o->id_of[k] = NO_KEY;
        m += count[k] != 0;
        if (count[k] > most) most = count[k];
    }
    o->nids = m;
    if (m && !number_by_buckets(o, count, nkeys, m, most) &&
        (rc = number_by_radix(o, count, nkeys, m)))
        return rc;
    memset(o->last, 0xff, n * sizeof *o->last);
    return RC_OK;
}

/* Count c(a), the contexts holding each key (A->ctx_count, over the
** whole corpus, before any batch), and number the keys that occur by
** falling c(a) (ties: by key), so that the counters the most frequent
** pairs hit are a few cache lines, and so that the keys whose c(a)
** reaches a bound are a prefix of the ids (rows_count: c(ab) <= c(a),
** c(b)).  The pairs' rows carry query keys again, so numbering changes no
** result.  The order is a counting sort by c(a) (number_by_buckets), or
** a radix sort when the counts run far above the keys (number_by_radix). */
static rc_status occ_number(occ_set *o, const rc_corpus *c, const rc_query *q,
                            const keymap *km, acc *A, size_t nkeys) {
    size_t n = nkeys ? nkeys : 1;
    if (numbering_room(o, nkeys)) return RC_ENOMEM;
    rc_status rc = number_contexts(c, q, km, A->ctx_count, &o->kept, o->last, n);
    if (rc == RC_OK) rc = number_keys(o, A->ctx_count, nkeys);
    return rc;
}

/* Room for n occurrences in every per-occurrence array of o, exactly
** (occ_grow doubles from there only if more come). */
static rc_status occ_reserve(occ_set *o, size_t n) {
    if (n <= o->cap) return RC_OK;
    uint32_t **arrays[] = {&o->key, o->has_tok ? &o->tok : NULL,
                           o->has_mult ? &o->mult : NULL, o->has_span ? &o->lo : NULL,
                           o->has_span ? &o->hi : NULL, &o->ctx};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        if (!arrays[i]) continue;
        uint32_t *a = rc_realloc(o->alc, *arrays[i], n * sizeof *a);
        if (!a) return RC_ENOMEM; /* those grown already stay, unused */
        *arrays[i] = a;
    }
    o->cap = n;
    return RC_OK;
}

/* Room for one more context of n occurrences in every array of o (out of
** line: most contexts find the room there, tested in occ_add_context). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static rc_status occ_grow(occ_set *o, size_t n) {
    size_t cap0 = o->cap;
    if (rc_grow(o->alc, (void **)&o->key, &o->cap, o->n + n, sizeof *o->key))
        return RC_ENOMEM;
    size_t cap = cap0; /* every per-occurrence array grows to o->cap */
    if ((o->has_tok && rc_grow(o->alc, (void **)&o->tok, &cap, o->cap, sizeof *o->tok)) ||
        (cap = cap0, o->has_mult &&
                         rc_grow(o->alc, (void **)&o->mult, &cap, o->cap, sizeof *o->mult)) ||
        (cap = cap0, o->has_span &&
                         rc_grow(o->alc, (void **)&o->lo, &cap, o->cap, sizeof *o->lo)) ||
        (cap = cap0, o->has_span &&
                         rc_grow(o->alc, (void **)&o->hi, &cap, o->cap, sizeof *o->hi)) ||
        (cap = cap0, rc_grow(o->alc, (void **)&o->ctx, &cap, o->cap, sizeof *o->ctx)) ||
        rc_grow(o->alc, (void **)&o->ctx_end, &o->ctx_cap, o->nctx + 1, sizeof *o->ctx_end))
        return RC_ENOMEM;
    return RC_OK;
}

/* Append one context: occurrences as they come (listed: windows with
** their tokens, bags with their ordinals in v), or its distinct keys with
** their multiplicities or (directed) the ordinals in v of their first and
** last occurrences (bags; occ_sort_bags orders them; last[id]: the last
** context holding id). */
static rc_status occ_add_context(occ_set *o, const rc_query *q, const occ *v,
                                 size_t n) {
    if (o->nctx >= UINT32_MAX - 1 || o->n + n >= UINT32_MAX) return RC_ELIMIT;
    if ((o->n + n > o->cap || o->nctx + 1 > o->ctx_cap) && occ_grow(o, n)) return RC_ENOMEM;
    uint32_t ctx = (uint32_t)o->nctx;
    int bag = !o->listed, ordinal = q->context != RC_CTX_WINDOW;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = v[i].key;
        int first = o->last[k] != ctx;
        if (first) {
            o->last[k] = ctx;
            if (o->count) o->count[k]++;
        } else if (bag) {
            if (o->has_mult) o->mult[o->where[k]]++;
            if (o->has_span) o->hi[o->where[k]] = (uint32_t)i;
            continue;
        }
        o->where[k] = (uint32_t)o->n;
        o->key[o->n] = k;
        if (o->has_tok) o->tok[o->n] = ordinal ? (uint32_t)i : v[i].tok;
        if (o->has_mult) o->mult[o->n] = 1;
        if (o->has_span) o->lo[o->n] = o->hi[o->n] = (uint32_t)i;
        o->ctx[o->n++] = ctx;
    }
    o->ctx_end[o->nctx++] = o->n;
    return RC_OK;
}

/* The places of each key: a counting sort of the occurrences by key (each
** key's places ascend). */
static rc_status occ_index(occ_set *o, size_t nkeys) {
    o->first = rc_malloc(o->alc, (nkeys + 1) * sizeof *o->first);
    o->place = rc_malloc(o->alc, (o->n ? o->n : 1) * sizeof *o->place);
    if (!o->first || !o->place) return RC_ENOMEM;
    memset(o->first, 0, (nkeys + 1) * sizeof *o->first);
    for (size_t i = 0; i < o->n; i++) o->first[o->key[i] + 1]++;
    for (size_t k = 0; k < nkeys; k++) o->first[k + 1] += o->first[k];
    for (size_t i = 0; i < o->n; i++) o->place[o->first[o->key[i]]++] = (uint32_t)i;
    for (size_t k = nkeys; k > 0; k--) o->first[k] = o->first[k - 1];
    o->first[0] = 0;
    return RC_OK;
}

/* Bags: rewrite each context's keys in ascending order (walking the keys
** in order through their places: a second counting sort, no compares),
** point the places at the new positions and give each its context's end,
** so that a row reads only its places and the keys after them. */
static rc_status occ_sort_bags(occ_set *o, size_t nkeys) {
    size_t n = o->n ? o->n : 1;
    uint32_t *key = rc_malloc(o->alc, n * sizeof *key);
    uint32_t *mult = o->has_mult ? rc_malloc(o->alc, n * sizeof *mult) : NULL;
    uint32_t *lo = o->has_span ? rc_malloc(o->alc, n * sizeof *lo) : NULL;
    uint32_t *hi = o->has_span ? rc_malloc(o->alc, n * sizeof *hi) : NULL;
    size_t *next = rc_malloc(o->alc, (o->nctx ? o->nctx : 1) * sizeof *next);
    o->end = rc_malloc(o->alc, n * sizeof *o->end);
    if (!key || (o->has_mult && !mult) || (o->has_span && (!lo || !hi)) || !next || !o->end) {
        rc_free(o->alc, key);
        rc_free(o->alc, mult);
        rc_free(o->alc, lo);
        rc_free(o->alc, hi);
        rc_free(o->alc, next);
        return RC_ENOMEM;
    }
    for (size_t c = 0; c < o->nctx; c++) next[c] = c ? o->ctx_end[c - 1] : 0;
    for (size_t a = 0; a < nkeys; a++)
        for (size_t p = o->first[a]; p < o->first[a + 1]; p++) {
            uint32_t i = o->place[p], c = o->ctx[i];
            size_t at = next[c]++;
            key[at] = (uint32_t)a;
            if (mult) mult[at] = o->mult[i];
            if (lo) {
                lo[at] = o->lo[i];
                hi[at] = o->hi[i];
            }
            o->place[p] = (uint32_t)at;
            o->end[p] = (uint32_t)o->ctx_end[c];
        }
    rc_free(o->alc, next);
    rc_free(o->alc, o->key);
    rc_free(o->alc, o->mult);
    rc_free(o->alc, o->lo);
    rc_free(o->alc, o->hi);
    o->key = key;
    o->mult = mult;
    o->lo = lo;
    o->hi = hi;
    return RC_OK;
}

/* Gather the kept occurrences of the contexts of documents *next on
** (before `end`) and add them to o, by id (o->id_of) or, when o has no
** numbering, by query key; stop after the document that brings the set
** to `limit` occurrences, *next then being the first document left.
** n_ctx counts the documents' contexts. */
static rc_status occ_gather(const rc_corpus *c, const rc_query *q, const keymap *km,
                            uint64_t *n_ctx, occ_set *o, size_t limit, size_t *next,
                            size_t end) {
    occ *buf = NULL;
    size_t cap = 0, d = *next;
    rc_status rc = RC_OK;
    occ_reader rd;
    occ_reader_init(&rd, c, km->terms);
    doc_cursor dk; /* restarts at *next: its block is read again */
    doc_cursor_init(&dk, c);
    for (; d < end && rc == RC_OK && o->n < limit; d++) {
        const cdoc *doc;
        if ((rc = doc_cursor_at(&dk, d, &doc, NULL))) break;
        if (doc_skipped(km, doc)) continue;
        if (interrupted(c, d)) {
            rc = RC_EINTR;
            break;
        }
        *n_ctx += doc_contexts(q, doc);
        if ((rc = occ_reader_doc(&rd, doc, NULL))) break;
        occ_view tv = occ_view_of(&rd, q, km, doc);
        size_t no = doc_nocc(km, doc);
        for (size_t i = 0; i < no && rc == RC_OK;) {
            uint32_t ctx, cx, tok;
            (void)view_occ(&tv, q, i, &ctx, &tok);
            size_t k = 0, j = i;
            for (; j < no; j++) {
                uint32_t term = view_occ(&tv, q, j, &cx, &tok);
                if (cx != ctx) break;
                uint32_t key = km->key_of[term];
                if (key == NO_KEY) continue;
                if (o->id_of) key = o->id_of[key];
                if (unlikely(k == cap) &&
                    rc_grow(c->alc, (void **)&buf, &cap, k + 1, sizeof *buf)) {
                    rc = RC_ENOMEM;
                    break;
                }
                buf[k].key = key;
                buf[k++].tok = tok;
            }
            if (rc == RC_OK && k) rc = occ_add_context(o, q, buf, k);
            i = j;
        }
    }
    *next = d;
    doc_cursor_free(&dk);
    occ_reader_free(&rd);
    rc_free(c->alc, buf);
    return rc;
}

/* MARK: - Batches gathered in shares ---------------------------------------- */

/* Bags (sentences, paragraphs or documents as contexts) are gathered on
** share_count threads: each share gathers its documents' contexts by
** query key, and then writes its keys as ids, each context's in ascending
** order, in its place in the whole set.  The set is the one occ_gather,
** occ_index and occ_sort_bags make of the batch: a bag's keys are
** distinct, so sorting each context's gives occ_sort_bags's layout, and
** the places occ_index then finds are the ones it rewrites.
** A corpus whose occurrences make one batch is numbered in the same pass,
** instead of being read once to number the keys (occ_number) and once
** more to gather them: each share also counts the contexts holding each
** key (what number_contexts counts) and the keys are numbered from the
** summed counts (number_keys).  A corpus of several batches is numbered
** first (occ_number); on several threads each batch is then the
** documents from the first one left up to about batch_occ kept
** occurrences (batch_span: by the documents' starts in the stream,
** scaled by the corpus's share of occurrences a bag keeps: a document
** names a term many times).  The first batch is gathered in shares (its
** rows set the floor the others count against); a mention query's others
** go a batch a thread (count_batches), each gathered by occ_gather and
** ordered by occ_sort_bags's counting sort, which order a batch faster
** than sorting each context (the UN debates' terms by document, 1.67 s
** against 1.77 on one thread): in shares, the bags of a batch of
** mentions cost both threads nearly what one thread's batch costs
** (bench/NOTES.md, eighteenth session).  A term query's batches, 16
** times larger and so few that one a thread would leave a thread idle
** at the end, stay in shares.  A long context is sorted by the bytes of
** its keys (sort_long_context), a short one by insertion.
** A listed set (windows; the directed frequencies of bags) is gathered in
** shares the same way, numbered first (occ_number), each batch about
** batch_occ of its occurrences (a listed set keeps every occurrence of a
** key, o->kept), its contexts' occurrences left in their order and their
** tokens placed with them, each share's arrays made about as large as
** what it keeps (listed_reserve; share 0's for the whole batch, which
** they become); its index has no contexts' ends.  Before, its
** batch was gathered and indexed on the calling thread alone: 10.6 of
** the 24.7 ms a two-thread term window took on BBC (bench/NOTES.md,
** twentieth session). */

/* One share's contexts, by query key, and where they go in the whole. */
typedef struct bag_share {
    occ_set s;             /* share 0's arrays become the whole's (bag_room) */
    int lent;              /* they have: s's point into the whole's */
    uint32_t *seen;        /* per id: its occurrences in the share (bag_place),
                              then the next place of the share's (bag_index) */
    uint64_t n_ctx;        /* the contexts of its documents */
    size_t occ_at, ctx_at; /* its first occurrence and context in the whole */
    size_t n_occ;          /* its occurrences (bags_sum) */
} bag_share;

typedef struct bag_pass {
    const rc_corpus *c;
    const rc_query *q;
    const keymap *km;
    occ_set *o; /* the whole: its kinds of array, then the set */
    bag_share *sh;
    size_t nkeys;
    size_t d0, d1; /* the batch's documents */
} bag_pass;

/* The occurrences a batch of rows gathers (count_batch). */
static size_t batch_occ(const rc_corpus *c, const keymap *km) {
    return c->term_batch ? c->term_batch : km->terms ? TERM_BATCH_OCC : MENTION_BATCH_OCC;
}

/* Whether a query's contexts are bags of one batch: every occurrence of
** the corpus fits (before any is dropped). */
static int bags_in_one_batch(const rc_corpus *c, const keymap *km, const occ_set *o) {
    uint64_t total = km->terms ? c->nt : c->nm;
    return !o->listed && total < batch_occ(c, km);
}

/* Room in a listed set's share for about the occurrences documents [d0,
** d1) keep (the stream's there scaled by the corpus's share of kept ones,
** o->kept), a little more: its arrays are not doubled past what it
** keeps, which at a batch of 4 million occurrences took twice the room
** (the 1 GB CSV's term window on two threads: 126 MiB, then 198 with the
** doubled arrays). */
static rc_status listed_reserve(const bag_pass *p, occ_set *s, size_t d0, size_t d1) {
    uint64_t lo = 0, hi = 0, all = p->km->terms ? p->c->nt : p->c->nm;
    rc_status rc = occ_at_doc(p->c, p->km, d0, &lo);
    if (rc == RC_OK) rc = occ_at_doc(p->c, p->km, d1, &hi);
    if (rc || !all || hi <= lo) return rc;
    double kept = (double)(hi - lo) * ((double)p->o->kept / (double)all);
    return occ_reserve(s, (size_t)(kept * 1.03) + 1024);
}

/* Share t's contexts of documents [d0, d1), gathered and counted. */
static rc_status bag_gather(void *ctx, size_t t, size_t d0, size_t d1) {
    bag_pass *p = ctx;
    bag_share *b = &p->sh[t];
    occ_set *s = &b->s;
    size_t n = p->nkeys ? p->nkeys : 1, next = d0;
    s->last = rc_malloc(s->alc, n * sizeof *s->last);
    s->where = rc_malloc(s->alc, n * sizeof *s->where);
    if (!p->o->id_of) s->count = rc_malloc(s->alc, n * sizeof *s->count);
    if (!s->last || !s->where || (!p->o->id_of && !s->count)) return RC_ENOMEM;
    /* share 0's arrays become the whole batch's (bag_room) */
    rc_status rc = s->listed ? listed_reserve(p, s, t ? d0 : p->d0, t ? d1 : p->d1) : RC_OK;
    if (rc) return rc;
    memset(s->last, 0xff, n * sizeof *s->last);
    if (s->count) memset(s->count, 0, n * sizeof *s->count);
    return occ_gather(p->c, p->q, p->km, &b->n_ctx, s, SIZE_MAX, &next, d1);
}

/* A context of many keys (a document's) sorted through packed (key,
** place) pairs, a byte of the key at a time from the lowest (counting
** sorts; a byte every key has alike is skipped): a bag's keys are
** distinct, so this is the one order.  tmp holds 2 (e - b) words. */
static void sort_long_context(occ_set *s, size_t b, size_t e, uint64_t *tmp) {
    size_t n = e - b;
    uint64_t *from = tmp, *to = tmp + n;
    uint32_t any = 0;
    for (size_t i = 0; i < n; i++) {
        from[i] = (uint64_t)s->key[b + i] << 32 | i;
        any |= s->key[b + i];
    }
    for (unsigned shift = 32; shift < 64 && (any >> (shift - 32)); shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((from[i] >> shift) & 0xff) + 1]++;
        if (count[((from[0] >> shift) & 0xff) + 1] == n) continue; /* one byte for all */
        for (size_t d = 0; d < 256; d++) count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++) to[count[(from[i] >> shift) & 0xff]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    uint32_t *moved = (uint32_t *)to;
    uint32_t *const cols[] = {s->mult, s->lo, s->hi};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
        if (!cols[c]) continue;
        for (size_t i = 0; i < n; i++) moved[i] = cols[c][b + (uint32_t)from[i]];
        memcpy(cols[c] + b, moved, n * sizeof *moved);
    }
    for (size_t i = 0; i < n; i++) s->key[b + i] = (uint32_t)(from[i] >> 32);
}

/* A context's keys in ascending order, with their multiplicities and
** spans: an insertion sort for a few keys, else sort_long_context. */
#define SHORT_CONTEXT 32

static void sort_context(occ_set *s, size_t b, size_t e, uint64_t *tmp) {
    if (e - b > SHORT_CONTEXT) {
        sort_long_context(s, b, e, tmp);
        return;
    }
    uint32_t *key = s->key, *mult = s->mult, *lo = s->lo, *hi = s->hi;
    for (size_t i = b + 1; i < e; i++) {
        uint32_t k = key[i], m = mult ? mult[i] : 0, l = lo ? lo[i] : 0, h = hi ? hi[i] : 0;
        size_t j = i;
        for (; j > b && key[j - 1] > k; j--) {
            key[j] = key[j - 1];
            if (mult) mult[j] = mult[j - 1];
            if (lo) {
                lo[j] = lo[j - 1];
                hi[j] = hi[j - 1];
            }
        }
        key[j] = k;
        if (mult) mult[j] = m;
        if (lo) {
            lo[j] = l;
            hi[j] = h;
        }
    }
}

/* Share t's keys as ids, each context's sorted (bags; a listed set's stay
** in their order), written into the whole at the share's place (share
** 0's arrays are the whole's, bags_room: it sorts in place). */
static rc_status bag_place(void *ctx, size_t t) {
    bag_pass *p = ctx;
    bag_share *b = &p->sh[t];
    occ_set *s = &b->s, *o = p->o;
    size_t longest = 0;
    for (size_t c = 0; !o->listed && c < s->nctx; c++) {
        size_t len = s->ctx_end[c] - (c ? s->ctx_end[c - 1] : 0);
        if (len > longest) longest = len;
    }
    uint64_t *tmp = NULL;
    if (longest > SHORT_CONTEXT && !(tmp = rc_malloc(s->alc, 2 * longest * sizeof *tmp)))
        return RC_ENOMEM;
    uint32_t *seen = b->seen = rc_malloc(s->alc, (o->nids ? o->nids : 1) * sizeof *seen);
    if (!seen) {
        rc_free(s->alc, tmp);
        return RC_ENOMEM;
    }
    memset(seen, 0, (o->nids ? o->nids : 1) * sizeof *seen);
    for (size_t i = 0; i < s->n; i++) seen[s->key[i] = o->id_of[s->key[i]]]++;
    for (size_t c = 0; !o->listed && c < s->nctx; c++)
        sort_context(s, c ? s->ctx_end[c - 1] : 0, s->ctx_end[c], tmp);
    rc_free(s->alc, tmp);
    if (t == 0 || !s->n) return RC_OK; /* in place, at 0; or nothing to place */
    size_t at = b->occ_at, n = s->n;
    memcpy(o->key + at, s->key, n * sizeof *o->key);
    if (o->tok) memcpy(o->tok + at, s->tok, n * sizeof *o->tok);
    if (o->mult) memcpy(o->mult + at, s->mult, n * sizeof *o->mult);
    if (o->lo) {
        memcpy(o->lo + at, s->lo, n * sizeof *o->lo);
        memcpy(o->hi + at, s->hi, n * sizeof *o->hi);
    }
    for (size_t i = 0; i < n; i++) o->ctx[at + i] = s->ctx[i] + (uint32_t)b->ctx_at;
    for (size_t c = 0; c < s->nctx; c++) o->ctx_end[b->ctx_at + c] = s->ctx_end[c] + at;
    return RC_OK;
}

/* Grow *a (of `have` words) to n words, or take it, as the whole's. */
static rc_status take_grown(const rc_allocator *alc, uint32_t **a, size_t n, uint32_t **to) {
    uint32_t *p = rc_realloc(alc, *a, (n ? n : 1) * sizeof *p);
    if (!p) return RC_ENOMEM;
    *a = NULL;
    *to = p;
    return RC_OK;
}

/* The whole set's arrays for n occurrences in nctx contexts: share 0's
** grown (its contexts come first, in place), which it no longer owns. */
static rc_status bag_room(occ_set *o, bag_share *b, size_t n, size_t nctx) {
    occ_set *first = &b->s;
    rc_status rc = take_grown(o->alc, &first->key, n, &o->key);
    if (rc == RC_OK) rc = take_grown(o->alc, &first->ctx, n, &o->ctx);
    if (rc == RC_OK && o->has_tok) rc = take_grown(o->alc, &first->tok, n, &o->tok);
    if (rc == RC_OK && o->has_mult) rc = take_grown(o->alc, &first->mult, n, &o->mult);
    if (rc == RC_OK && o->has_span) rc = take_grown(o->alc, &first->lo, n, &o->lo);
    if (rc == RC_OK && o->has_span) rc = take_grown(o->alc, &first->hi, n, &o->hi);
    size_t *ends = rc == RC_OK ? rc_realloc(o->alc, first->ctx_end,
                                            (nctx ? nctx : 1) * sizeof *ends)
                               : NULL;
    if (!ends) return RC_ENOMEM;
    first->ctx_end = NULL;
    o->ctx_end = ends;
    o->n = o->cap = n;
    o->nctx = o->ctx_cap = nctx;
    /* share 0 sorts the whole's arrays: its first s.n are its own */
    first->key = o->key;
    first->tok = o->tok;
    first->ctx = o->ctx;
    first->mult = o->mult;
    first->lo = o->lo;
    first->hi = o->hi;
    first->ctx_end = o->ctx_end;
    b->lent = 1;
    return RC_OK;
}

/* The index of the whole (occ_index's first and place, and for bags each
** place's context end, occ_sort_bags's end), made in shares: every share's counts
** of the ids (bag_place's seen) summed into o->first, and each share's
** counts turned into the place of its first occurrence of each id, after
** those of the shares before it; bag_index then puts the occurrences. */
static rc_status bag_index_room(occ_set *o, bag_pass *p, size_t nt) {
    size_t n = o->n ? o->n : 1;
    o->first = rc_malloc(o->alc, (o->nids + 1) * sizeof *o->first);
    o->place = rc_malloc(o->alc, n * sizeof *o->place);
    o->end = o->listed ? NULL : rc_malloc(o->alc, n * sizeof *o->end);
    if (!o->first || !o->place || (!o->listed && !o->end)) return RC_ENOMEM;
    uint32_t at = 0; /* o->n < UINT32_MAX (bags_sum) */
    for (size_t k = 0; k < o->nids; k++) {
        o->first[k] = at;
        for (size_t t = 0; t < nt; t++) {
            uint32_t here = p->sh[t].seen[k];
            p->sh[t].seen[k] = at;
            at += here;
        }
    }
    o->first[o->nids] = at;
    return RC_OK;
}

/* Share t's occurrences into the index, each at the next place of its id
** (so each id's places ascend), with its context's end (bags). */
static rc_status bag_index(void *ctx, size_t t) {
    bag_pass *p = ctx;
    const bag_share *b = &p->sh[t];
    occ_set *o = p->o;
    uint32_t *next = b->seen;
    size_t i = b->occ_at, e = b->occ_at + b->n_occ;
    if (o->listed) {
        for (; i < e; i++) o->place[next[o->key[i]]++] = (uint32_t)i;
        return RC_OK;
    }
    for (; i < e; i++) {
        uint32_t at = next[o->key[i]]++;
        o->place[at] = (uint32_t)i;
        o->end[at] = (uint32_t)o->ctx_end[o->ctx[i]];
    }
    return RC_OK;
}

/* The counts of the shares summed into A (ctx_count, n_ctx), the keys
** numbered and the whole set made, indexed and its bags' ends found.
** o has its kinds of array (has_mult, has_span) and no numbering. */
static rc_status bags_sum(bag_pass *p, size_t nt, acc *A) {
    occ_set *o = p->o;
    size_t n = 0, nctx = 0;
    for (size_t t = 0; t < nt; t++) {
        bag_share *b = &p->sh[t];
        b->occ_at = n;
        b->ctx_at = nctx;
        b->n_occ = b->s.n;
        n += b->s.n;
        nctx += b->s.nctx;
        A->n_ctx += b->n_ctx;
        for (size_t k = 0; b->s.count && k < p->nkeys; k++) A->ctx_count[k] += b->s.count[k];
    }
    if (nctx >= UINT32_MAX || n >= UINT32_MAX) return RC_ELIMIT;
    rc_status rc = RC_OK;
    if (!o->id_of) { /* one batch: its counts number the keys */
        if (numbering_room(o, p->nkeys)) return RC_ENOMEM;
        rc = number_keys(o, A->ctx_count, p->nkeys);
    }
    rc_free(o->alc, o->ctx_end); /* an earlier batch's */
    o->ctx_end = NULL;
    if (rc == RC_OK) rc = bag_room(o, &p->sh[0], n, nctx);
    return rc;
}

/* The gathering, indexing and sorting of the batch of documents [d0, d1)
** in shares: for the one batch of the corpus (bags_in_one_batch: o not
** numbered yet), occ_number's too, A->n_ctx counted from 0; for one of
** several batches (o numbered by occ_number), count_batch's, A->n_ctx
** counted on. */
static rc_status bags_gather(const rc_corpus *c, const rc_query *q, const keymap *km,
                             acc *A, occ_set *o, size_t nt, size_t d0, size_t d1) {
    bag_pass p = {c, q, km, o, rc_malloc(c->alc, nt * sizeof *p.sh), km->vocab->n, d0, d1};
    if (!p.sh) return RC_ENOMEM;
    for (size_t t = 0; t < nt; t++) {
        memset(&p.sh[t], 0, sizeof p.sh[t]);
        occ_set *s = &p.sh[t].s;
        s->alc = c->alc;
        s->listed = o->listed;
        s->has_tok = o->has_tok;
        s->has_mult = o->has_mult;
        s->has_span = o->has_span;
        s->directed = o->directed;
        s->reach = o->reach;
    }
    if (!o->id_of) A->n_ctx = 0;
    rc_status rc = run_shares_of(c, km, nt, bag_gather, &p, d0, d1);
    if (rc == RC_OK) rc = bags_sum(&p, nt, A);
    if (rc == RC_OK) rc = run_threads(km->team, c->alc, nt, bag_place, &p);
    /* the shares' own arrays, copied into the whole's, go before the
    ** index's are made: the peak is the whole and its index */
    for (size_t t = 0; t < nt; t++) {
        occ_set *s = &p.sh[t].s;
        if (p.sh[t].lent) { /* the whole's arrays (bag_room) */
            s->key = s->tok = s->ctx = s->mult = s->lo = s->hi = NULL;
            s->ctx_end = NULL;
        }
        occ_set_free(s);
        rc_free(c->alc, s->count);
    }
    if (rc == RC_OK) rc = bag_index_room(o, &p, nt);
    if (rc == RC_OK) rc = run_threads(km->team, c->alc, nt, bag_index, &p);
    for (size_t t = 0; t < nt; t++) rc_free(c->alc, p.sh[t].seen);
    rc_free(c->alc, p.sh);
    return rc;
}

/* Weighted windows count each pair per distance (SPEC §6: integer counts
** per distance, summed as count / distance only at the end, so a result
** never depends on order).  A row keeps, per key b it touched, a list of
** (distance, count) nodes ascending by distance, in a pool emptied after
** each row; head[1] holds the lists of the pairs (b, a) when directed. */
#define NO_NODE UINT32_MAX

typedef struct dist_node {
    uint32_t d, next;
    uint64_t n;
} dist_node;

typedef struct dist_lists {
    uint32_t *head[2]; /* per key: the first node of its list, or NO_NODE */
    dist_node *node;
    size_t n, cap;
    int nomem; /* a node could not be added: the row fails */
} dist_lists;

/* Count one pair event at distance d in b's list (ba: of (b, a)). */
static void dist_add(const rc_allocator *alc, dist_lists *L, int ba, uint32_t b, uint32_t d) {
    uint32_t prev = NO_NODE, i = L->head[ba][b];
    for (; i != NO_NODE && L->node[i].d < d; i = L->node[i].next) prev = i;
    if (i != NO_NODE && L->node[i].d == d) {
        L->node[i].n++;
        return;
    }
    if (L->n >= NO_NODE ||
        (L->n == L->cap && rc_grow(alc, (void **)&L->node, &L->cap, L->n + 1, sizeof *L->node))) {
        L->nomem = 1;
        return;
    }
    L->node[L->n] = (dist_node){d, i, 1};
    if (prev == NO_NODE) L->head[ba][b] = (uint32_t)L->n;
    else L->node[prev].next = (uint32_t)L->n;
    L->n++;
}

/* The weighted count of a list: count / distance summed by ascending
** distance, as pair_value sums the tables by distance. */
static double dist_value(const dist_lists *L, uint32_t i) {
    double w = 0;
    for (; i != NO_NODE; i = L->node[i].next) w += (double)L->node[i].n / L->node[i].d;
    return w;
}

/* Dense per-key accumulators of one row, and the keys they touched. */
typedef struct row_acc {
    uint32_t *both, *last_ctx, *touched;
    uint64_t *value;
    size_t ntouched;
    /* directed listed occurrences: both, last_ctx and value of the pairs
    ** (b, a), b before a (those above are then (a, b)); else NULL */
    uint32_t *both_ba, *last_ba;
    uint64_t *value_ba;
    dist_lists dist; /* weighted: counts by distance (head NULL otherwise) */
    const rc_allocator *alc;
} row_acc;

/* The end of the keys below lim in key[i, end) (ascending). */
static inline size_t keys_below(const uint32_t *key, size_t i, size_t end, uint32_t lim) {
    while (i < end) {
        size_t mid = i + (end - i) / 2;
        if (key[mid] < lim) i = mid + 1;
        else end = mid;
    }
    return i;
}

/* The two directions of a directed pair (a, b), a < b, in one counter:
** contexts where a comes before b in the low half, b before a in the
** high half.  Either count is at most a batch's contexts (< 2^32). */
#define DIR_AB(v) ((v) & 0xffffffffu)
#define DIR_BA(v) ((v) >> 32)

/* a before b in a context (directed, boolean): a's first occurrence comes
** before b's last; and b before a, into the high half. */
static inline uint64_t dir_events(const occ_set *o, size_t i, size_t j) {
    return (uint64_t)(o->lo[i] < o->hi[j]) | (uint64_t)(o->lo[j] < o->hi[i]) << 32;
}

/* Bag contexts: the pairs (a, b) with a < b < lim of every context holding
** a; directed (o->lo set, boolean counts), both orders of each in r->value
** (DIR_AB, DIR_BA).  The inner loops are the whole cost of long
** documents, so they do not branch: a key is written to touched each
** time, kept only the first.  A row with more pair events than keys in
** (a, lim) skips touched (dense): its keys are then found by a scan of
** the counters. */
static void row_bags(const occ_set *o, uint32_t a, uint32_t lim, int freq, row_acc *r,
                     int *dense) {
    int dir = o->lo != NULL;
    uint32_t *both = r->both, *touched = r->touched;
    size_t nt = r->ntouched, events = 0;
    int cut = lim < o->nids;
    for (size_t p = o->first[a]; p < o->first[a + 1]; p++) {
        size_t end = cut ? keys_below(o->key, o->place[p] + 1, o->end[p], lim) : o->end[p];
        events += end - o->place[p] - 1;
    }
    *dense = events > lim - a;
    for (size_t p = o->first[a], pe = o->first[a + 1]; p < pe; p++) {
        size_t i = o->place[p];
        size_t end = cut ? keys_below(o->key, i + 1, o->end[p], lim) : o->end[p];
        if (p + 8 < pe) __builtin_prefetch(&o->key[o->place[p + 8] + 1]);
        uint64_t ma = freq ? o->mult[i] : 0;
        if (*dense) {
            for (size_t j = i + 1; j < end; j++) both[o->key[j]]++;
            if (freq)
                for (size_t j = i + 1; j < end; j++) r->value[o->key[j]] += ma * o->mult[j];
            if (dir)
                for (size_t j = i + 1; j < end; j++) r->value[o->key[j]] += dir_events(o, i, j);
        } else if (dir) {
            for (size_t j = i + 1; j < end; j++) {
                uint32_t b = o->key[j];
                touched[nt] = b;
                nt += both[b]++ == 0;
                r->value[b] += dir_events(o, i, j);
            }
        } else if (freq) {
            for (size_t j = i + 1; j < end; j++) {
                uint32_t b = o->key[j];
                touched[nt] = b;
                nt += both[b]++ == 0;
                r->value[b] += ma * o->mult[j];
            }
        } else {
            for (size_t j = i + 1; j < end; j++) {
                uint32_t b = o->key[j];
                touched[nt] = b;
                nt += both[b]++ == 0;
            }
        }
    }
    r->ntouched = nt;
}

/* One neighbour b of a within the window, d tokens away in context ctx:
** into r's counters, or (ba) into those of (b, a). */
static inline void row_window_pair(row_acc *r, uint32_t b, uint32_t d, uint32_t ctx,
                                   int freq, int ba) {
    uint32_t *both = ba ? r->both_ba : r->both, *last = ba ? r->last_ba : r->last_ctx;
    if (last[b] != ctx) {
        if (!r->both[b] && !(r->both_ba && r->both_ba[b])) r->touched[r->ntouched++] = b;
        last[b] = ctx;
        both[b]++;
    }
    if (freq || r->dist.head[0]) (ba ? r->value_ba : r->value)[b]++; /* weighted: a bound */
    if (r->dist.head[0]) dist_add(r->alc, &r->dist, ba, b, d ? d : 1);
}

/* Listed occurrences (windows; directed frequency of bags): every pair of
** an occurrence of a and one of b (a < b < lim) at most o->reach tokens
** apart in a context; c(ab) counts each context once.  Directed (r's _ba
** counters set), a neighbour before a's occurrence makes the pair (b, a).
** RC_ENOMEM when a weighted count could not grow. */
static rc_status row_windows(const occ_set *o, uint32_t a, uint32_t lim, int freq,
                             row_acc *r) {
    uint32_t w = o->reach;
    int back = r->both_ba != NULL;
    for (size_t p = o->first[a], pe = o->first[a + 1]; p < pe; p++) {
        size_t i = o->place[p];
        if (p + 8 < pe) { /* the places are scattered: fetch ahead */
            size_t ahead = o->place[p + 8];
            __builtin_prefetch(&o->key[ahead]);
            __builtin_prefetch(&o->tok[ahead]);
            __builtin_prefetch(&o->ctx[ahead]);
        }
        uint32_t ctx = o->ctx[i], tok = o->tok[i];
        size_t begin = ctx ? o->ctx_end[ctx - 1] : 0, end = o->ctx_end[ctx];
        for (size_t j = i + 1; j < end && o->tok[j] - tok <= w; j++)
            if (o->key[j] > a && o->key[j] < lim)
                row_window_pair(r, o->key[j], o->tok[j] - tok, ctx, freq, 0);
        for (size_t j = i; j > begin && tok - o->tok[j - 1] <= w; j--)
            if (o->key[j - 1] > a && o->key[j - 1] < lim)
                row_window_pair(r, o->key[j - 1], tok - o->tok[j - 1], ctx, freq, back);
    }
    return r->dist.nomem ? RC_ENOMEM : RC_OK;
}

/* The pairs of a corpus counted in several batches (its occurrences
** outgrow a batch).  Batches end at document boundaries, so every
** context, and every window's once-a-document c(ab), lies in one batch.
** Each batch's pairs, ascending by (a, b) ids, are a run appended to an
** unlinked temporary file (rc_spill_create); at the end a k-way merge
** sums each pair over the runs and hands it to the sink.  So memory
** holds a batch, the rows kept and a buffer per run, whatever the number
** of distinct pairs; the disk holds each batch's pairs, 24 bytes each. */
typedef struct pair_rec {
    uint32_t a, b; /* ids of the occ_set (a < b), b | RUN_BA: the pair (b, a) */
    uint64_t both, value;
} pair_rec;

/* Set in a record's b when it is the pair (b, a), b before a: a directed
** row goes to its run in two ascending passes, (a, b) then (b, a), so the
** merge's order needs no change (ids are below 2^31: cooc_by_rows). */
#define RUN_BA ((uint32_t)1 << 31)

#define RUN_RECS 4096 /* records a write, and at most a run's read buffer */
/* The merge's read buffers together, at most (each at least
** MERGE_MIN_RECS): so a corpus of many batches, with a run each, does not
** hold 96 KB a run. */
#define MERGE_BYTES ((size_t)4 << 20)
#define MERGE_MIN_RECS 256

typedef struct pair_runs {
    const rc_allocator *alc;
    int fd;
    pair_rec *buf; /* RUN_RECS records waiting to be written */
    size_t nbuf;
    uint64_t written;  /* records in the file */
    uint64_t *run_end; /* per run: its end in the file, in records */
    size_t nruns, runs_cap;
} pair_runs;

static void runs_free(pair_runs *p) {
    if (p->fd >= 0) close(p->fd);
    rc_free(p->alc, p->buf);
    rc_free(p->alc, p->run_end);
}

static rc_status runs_flush(pair_runs *p) {
    if (!p->nbuf) return RC_OK;
    if (p->fd < 0 && (p->fd = rc_spill_create()) < 0) return RC_EIO;
    rc_status rc = rc_write_at(p->fd, p->buf, p->nbuf * sizeof *p->buf,
                               p->written * sizeof *p->buf)
                       ? RC_EIO
                       : RC_OK;
    if (rc == RC_OK) p->written += p->nbuf;
    p->nbuf = 0;
    return rc;
}

static rc_status runs_add(pair_runs *p, uint32_t a, uint32_t b, uint64_t both,
                          uint64_t value) {
    if (!p->buf && !(p->buf = rc_malloc(p->alc, RUN_RECS * sizeof *p->buf)))
        return RC_ENOMEM;
    p->buf[p->nbuf++] = (pair_rec){a, b, both, value};
    return p->nbuf == RUN_RECS ? runs_flush(p) : RC_OK;
}

/* Close the batch's run. */
static rc_status runs_end(pair_runs *p) {
    rc_status rc = runs_flush(p);
    if (rc == RC_OK &&
        rc_grow(p->alc, (void **)&p->run_end, &p->runs_cap, p->nruns + 1, sizeof *p->run_end))
        rc = RC_ENOMEM;
    if (rc == RC_OK) p->run_end[p->nruns++] = p->written;
    return rc;
}

/* A run being merged: records [at, end) of its file (fd) still to read,
** and buf[i, n) read (cap records at most). */
typedef struct run_cursor {
    int fd;
    uint64_t at, end;
    pair_rec *buf;
    size_t i, n, cap;
} run_cursor;

/* The cursor's next records into its buffer; n = 0 at the run's end. */
static rc_status cursor_fill(run_cursor *r) {
    size_t n = r->end - r->at < r->cap ? (size_t)(r->end - r->at) : r->cap;
    if (rc_read_at(r->fd, r->buf, n * sizeof *r->buf, r->at * sizeof *r->buf)) return RC_EIO;
    r->at += n;
    r->i = 0;
    r->n = n;
    return RC_OK;
}

static inline int rec_before(const pair_rec *x, const pair_rec *y) {
    return x->a != y->a ? x->a < y->a : x->b < y->b;
}

/* Restore the heap of cursors (by their current record) from h[i] down. */
static void cursor_down(run_cursor **h, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && rec_before(&h[l]->buf[h[l]->i], &h[m]->buf[h[m]->i])) m = l;
        if (r < n && rec_before(&h[r]->buf[h[r]->i], &h[m]->buf[h[m]->i])) m = r;
        if (m == i) return;
        run_cursor *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Step the heap's top cursor to its next record (dropping it at its
** end). */
static rc_status cursor_step(run_cursor **h, size_t *n) {
    run_cursor *r = h[0];
    if (++r->i == r->n) {
        rc_status rc = cursor_fill(r);
        if (rc) return rc;
        if (!r->n) h[0] = h[--*n];
    }
    if (*n) cursor_down(h, *n, 0);
    return RC_OK;
}

/* One pair of row a at or above the sink's floor: to the sink, and the
** floor it leaves. */
static rc_status keep_pair(const occ_set *o, uint32_t a, uint32_t b, uint64_t both,
                           double value, row_sink *s, uint64_t *floor) {
    rc_status rc = sink_pair(s, o->key_of[a], o->key_of[b], both, value);
    *floor = sink_floor(s);
    return rc;
}

static int dist_node_cmp(const void *x, const void *y) {
    uint32_t a = ((const dist_node *)x)->d, b = ((const dist_node *)y)->d;
    return (a > b) - (a < b);
}

/* A weighted pair's records (of every run) as one count: the (distance,
** count) nodes in g[0, n) summed by distance, ascending (reorders g). */
static double dist_group_value(dist_node *g, size_t n) {
    qsort(g, n, sizeof *g, dist_node_cmp);
    double w = 0;
    for (size_t i = 0; i < n;) {
        uint64_t sum = 0;
        uint32_t d = g[i].d;
        for (; i < n && g[i].d == d; i++) sum += g[i].n;
        w += (double)sum / d;
    }
    return w;
}

/* A merged pair into A's tables, by query keys (runs_merge with no sink):
** c(ab), the frequency, or the counts of g by distance.  An undirected
** pair goes in with its keys ascending, whatever the ids' numbering (a
** part's own). */
static rc_status acc_put(acc *A, uint32_t a, uint32_t b, int directed, uint64_t both,
                         uint64_t value, int freq, const dist_node *g, size_t ng) {
    if (!directed && a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    if (pairs_add(&A->both, a, b, both) || (freq && pairs_add(&A->value, a, b, value)))
        return RC_ENOMEM;
    for (size_t i = 0; A->by_dist && i < ng; i++)
        if (pairs_add(&A->by_dist[g[i].d], a, b, g[i].n)) return RC_ENOMEM;
    return RC_OK;
}

/* Merge the runs of np files (a file a counting thread, rows_count):
** every pair, summed over them, to the sink, or with no sink into A's
** tables.  Weighted runs hold a record per pair and distance
** (row_to_run), grouped here in g. */
static rc_status runs_merge(pair_runs *p, size_t np, const occ_set *o, int freq,
                            int weighted, row_sink *s, acc *A) {
    const rc_allocator *alc = p->alc;
    size_t k = 0;
    for (size_t f = 0; f < np; f++) k += p[f].nruns;
    run_cursor *cur = rc_malloc(alc, (k ? k : 1) * sizeof *cur);
    run_cursor **h = rc_malloc(alc, (k ? k : 1) * sizeof *h);
    size_t per = MERGE_BYTES / ((k ? k : 1) * sizeof(pair_rec));
    per = per > RUN_RECS ? RUN_RECS : per < MERGE_MIN_RECS ? MERGE_MIN_RECS : per;
    pair_rec *bufs = rc_malloc(alc, (k ? k : 1) * per * sizeof *bufs);
    rc_status rc = cur && h && bufs ? RC_OK : RC_ENOMEM;
    size_t n = 0, r = 0;
    for (size_t f = 0; f < np; f++)
        for (size_t i = 0; rc == RC_OK && i < p[f].nruns; i++, r++) {
            cur[r] = (run_cursor){p[f].fd, i ? p[f].run_end[i - 1] : 0, p[f].run_end[i],
                                  bufs + r * per, 0, 0, per};
            rc = cursor_fill(&cur[r]);
            if (rc == RC_OK && cur[r].n) h[n++] = &cur[r];
        }
    for (size_t i = n; i-- > 0;) cursor_down(h, n, i);
    dist_node *g = NULL;
    size_t ng = 0, g_cap = 0;
    while (rc == RC_OK && n) {
        pair_rec sum = h[0]->buf[h[0]->i], rec = sum;
        if (weighted) sum.both = 0;
        for (;;) {
            if (weighted) { /* both: c(ab) (first record) | distance << 32 */
                if ((rc = rc_grow(alc, (void **)&g, &g_cap, ng + 1, sizeof *g))) break;
                g[ng++] = (dist_node){(uint32_t)(rec.both >> 32), 0, rec.value};
                sum.both += rec.both & 0xffffffffu;
            }
            if ((rc = cursor_step(h, &n)) || !n) break;
            rec = h[0]->buf[h[0]->i];
            if (rec.a != sum.a || rec.b != sum.b) break;
            if (!weighted) {
                sum.both += rec.both;
                sum.value += rec.value;
            }
        }
        uint32_t a = sum.a, b = sum.b & ~RUN_BA;
        if (sum.b & RUN_BA) {
            a = b;
            b = sum.a;
        }
        uint64_t count = freq ? sum.value : sum.both;
        if (!s) {
            if (rc == RC_OK)
                rc = acc_put(A, o->key_of[a], o->key_of[b], o->directed,
                             sum.both, sum.value, freq, g, ng);
            ng = 0;
            continue;
        }
        double v = weighted ? dist_group_value(g, ng) : (double)count;
        ng = 0;
        if (rc == RC_OK && (weighted ? v >= (double)sink_floor(s) : count >= sink_floor(s)))
            rc = sink_pair(s, o->key_of[a], o->key_of[b], sum.both, v);
    }
    rc_free(alc, g);
    rc_free(alc, cur);
    rc_free(alc, h);
    rc_free(alc, bufs);
    return rc;
}

static int u32_cmp(const void *x, const void *y) {
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* A dense row's keys (below lim): found by a scan of the counters. */
static void row_dense_keys(uint32_t a, uint32_t lim, row_acc *r) {
    for (size_t b = a + 1; b < lim; b++)
        if (r->both[b]) r->touched[r->ntouched++] = (uint32_t)b;
}

/* The counts of pair (a, b) of row a, or (ba) of (b, a): c(ab) in *both,
** the count column returned.  Bags counted boolean and directed (o->lo
** set) keep both orders in one counter (DIR_AB, DIR_BA); listed
** occurrences, directed, in r's counters and their _ba twins; weighted
** counts in r's lists by distance. */
static inline double pair_counts(const occ_set *o, const row_acc *r, uint32_t b, int freq,
                                 int ba, uint64_t *both) {
    if (o->lo) return (double)(*both = ba ? DIR_BA(r->value[b]) : DIR_AB(r->value[b]));
    *both = ba ? r->both_ba[b] : r->both[b];
    if (r->dist.head[0]) return dist_value(&r->dist, r->dist.head[ba][b]);
    return (double)(freq ? (ba ? r->value_ba[b] : r->value[b]) : *both);
}

static inline int row_directed(const occ_set *o, const row_acc *r) {
    return o->lo || r->both_ba;
}

/* Clear every counter of b in row r (the lists' pool: row_lists_clear). */
static inline void row_clear(row_acc *r, uint32_t b) {
    r->both[b] = 0;
    r->value[b] = 0;
    r->last_ctx[b] = UINT32_MAX;
    if (r->both_ba) {
        r->both_ba[b] = 0;
        r->value_ba[b] = 0;
        r->last_ba[b] = UINT32_MAX;
    }
    if (r->dist.head[0]) {
        r->dist.head[0][b] = NO_NODE;
        if (r->dist.head[1]) r->dist.head[1][b] = NO_NODE;
    }
}

/* Pair b's records of a weighted row a (ba: of (b, a)) to its run: one a
** distance, c(ab) in the first one's both, the distance in its top half. */
static rc_status dist_to_run(const row_acc *r, uint32_t a, uint32_t b, int ba,
                             uint64_t both, pair_runs *runs) {
    rc_status rc = RC_OK;
    for (uint32_t i = r->dist.head[ba][b]; rc == RC_OK && i != NO_NODE;
         i = r->dist.node[i].next, both = 0)
        rc = runs_add(runs, a, ba ? b | RUN_BA : b, (uint64_t)r->dist.node[i].d << 32 | both,
                      r->dist.node[i].n);
    return rc;
}

/* A batch's row a to its run, ascending (directed: (a, b) pairs, then
** (b, a)), and its counters cleared (as they are written when only one
** pass is made). */
static rc_status row_to_run(const occ_set *o, uint32_t a, int dense, int freq, row_acc *r,
                            pair_runs *runs) {
    if (!dense) qsort(r->touched, r->ntouched, sizeof *r->touched, u32_cmp);
    int dir = row_directed(o, r);
    rc_status rc = RC_OK;
    for (int ba = 0; ba <= dir; ba++)
        for (size_t t = 0; rc == RC_OK && t < r->ntouched; t++) {
            uint32_t b = r->touched[t];
            uint64_t both = r->both[b], v = r->value[b];
            if (r->dist.head[0]) {
                rc = dist_to_run(r, a, b, ba, ba ? r->both_ba[b] : both, runs);
            } else {
                if (dir) v = (uint64_t)pair_counts(o, r, b, freq, ba, &both);
                if (both) rc = runs_add(runs, a, ba ? b | RUN_BA : b, both, v);
            }
            if (ba == dir) row_clear(r, b); /* the last pass */
        }
    r->ntouched = 0;
    r->dist.n = 0;
    return rc;
}

/* Hand the pairs (a, b) of row a counted in r to the sink and clear
** their counters: both, and value (freq) or last_ctx (win) when used;
** directed or weighted, both orders and every counter.  Most pairs fall
** below the sink's floor: one integer compare each, in a loop per count
** column.  On failure the counters are left as they are. */
static rc_status row_flush(const occ_set *o, uint32_t a, int freq, int win, row_acc *r,
                           row_sink *s) {
    uint32_t *both = r->both, *touched = r->touched;
    uint64_t *value = r->value;
    size_t nt = r->ntouched;
    r->ntouched = 0;
    rc_status rc;
    uint64_t floor = sink_floor(s);
    int dir = row_directed(o, r), each = dir || r->dist.head[0];
    for (size_t t = 0; each && t < nt; t++) {
        uint32_t b = touched[t];
        for (int ba = 0; ba <= dir; ba++) {
            /* a weighted count is at most its events, counted in value */
            if (r->dist.head[0] && (ba ? r->value_ba : r->value)[b] < floor) continue;
            uint64_t c;
            double v = pair_counts(o, r, b, freq, ba, &c);
            if (c && v >= (double)floor &&
                (rc = keep_pair(o, ba ? b : a, ba ? a : b, c, v, s, &floor)))
                return rc;
        }
        row_clear(r, b);
    }
    r->dist.n = 0;
    for (size_t t = 0; !freq && !each && t < nt; t++) {
        uint32_t b = touched[t];
        if (unlikely(both[b] >= floor) &&
            (rc = keep_pair(o, a, b, both[b], (double)both[b], s, &floor)))
            return rc;
        both[b] = 0;
    }
    for (size_t t = 0; freq && !each && t < nt; t++) {
        uint32_t b = touched[t];
        if (unlikely(value[b] >= floor) &&
            (rc = keep_pair(o, a, b, both[b], (double)value[b], s, &floor)))
            return rc;
        both[b] = 0;
        value[b] = 0;
    }
    for (size_t t = 0; win && !each && t < nt; t++) r->last_ctx[touched[t]] = UINT32_MAX;
    return RC_OK;
}

/* The ids whose c reaches floor (a prefix: ids number falling c). */
static uint32_t ids_reaching(const occ_set *o, const acc *A, uint64_t floor) {
    size_t lo = 0, hi = o->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (A->ctx_count[o->key_of[mid]] >= floor) lo = mid + 1;
        else hi = mid;
    }
    return (uint32_t)lo;
}

/* The rows of a batch, taken one at a time by each counting thread
** (next: the first row not taken yet).  A thread's rows ascend, so the
** pairs it hands to its run ascend too. */
typedef struct rows_job {
    const occ_set *o;
    const rc_query *q;
    const acc *A;
    size_t nkeys;
    uint64_t floor0;
    atomic_size_t next;
} rows_job;

/* Count rows of j (the next ones not taken, until none is left below the
** bound) and hand their pairs to the sink, or (a corpus counted in
** several batches) to the batch's run, ascending.  Boolean counts count
** only the pairs of ids below the bound (ids_reaching the sink's floor,
** or floor0 when that is higher): no other pair can be kept, whichever
** thread's sink it would go to, as each sink's floor is at most the
** query's. */
static rc_status rows_take(rows_job *j, row_sink *s, pair_runs *runs) {
    const occ_set *o = j->o;
    const rc_query *q = j->q;
    const rc_allocator *alc = o->alc;
    size_t n = j->nkeys ? j->nkeys : 1;
    int freq = q->count == RC_COUNT_FREQUENCY, win = o->listed;
    int twins = o->listed && q->directed; /* the _ba counters */
    int weighted = q->count == RC_COUNT_WEIGHTED, bounded = q->count == RC_COUNT_BOOLEAN;
    row_acc r;
    memset(&r, 0, sizeof r);
    r.alc = alc;
    r.both = rc_malloc(alc, n * sizeof *r.both);
    r.last_ctx = rc_malloc(alc, n * sizeof *r.last_ctx);
    r.touched = rc_malloc(alc, n * sizeof *r.touched);
    r.value = rc_malloc(alc, n * sizeof *r.value);
    if (twins) {
        r.both_ba = rc_malloc(alc, n * sizeof *r.both_ba);
        r.last_ba = rc_malloc(alc, n * sizeof *r.last_ba);
        r.value_ba = rc_malloc(alc, n * sizeof *r.value_ba);
    }
    for (int ba = 0; weighted && ba <= twins; ba++) {
        r.dist.head[ba] = rc_malloc(alc, n * sizeof *r.dist.head[ba]);
        if (r.dist.head[ba]) memset(r.dist.head[ba], 0xff, n * sizeof *r.dist.head[ba]);
    }
    rc_status rc = RC_OK;
    if (!r.both || !r.last_ctx || !r.touched || !r.value ||
        (twins && (!r.both_ba || !r.last_ba || !r.value_ba)) ||
        (weighted && (!r.dist.head[0] || (twins && !r.dist.head[1]))))
        rc = RC_ENOMEM;
    if (rc == RC_OK) {
        memset(r.both, 0, n * sizeof *r.both);
        memset(r.last_ctx, 0xff, n * sizeof *r.last_ctx);
        memset(r.value, 0, n * sizeof *r.value);
    }
    if (rc == RC_OK && twins) {
        memset(r.both_ba, 0, n * sizeof *r.both_ba);
        memset(r.last_ba, 0xff, n * sizeof *r.last_ba);
        memset(r.value_ba, 0, n * sizeof *r.value_ba);
    }
    uint64_t floor = bounded ? j->floor0 : 0;
    uint32_t lim = floor ? ids_reaching(o, j->A, floor) : (uint32_t)o->nids;
    while (rc == RC_OK) {
        size_t a = atomic_fetch_add(&j->next, 1);
        if (bounded && s && sink_floor(s) > floor)
            lim = ids_reaching(o, j->A, floor = sink_floor(s));
        if (a >= lim) break;
        if (o->first[a] == o->first[a + 1]) continue;
        int dense = 0;
        if (win && (rc = row_windows(o, (uint32_t)a, lim, freq, &r))) break;
        if (!win) row_bags(o, (uint32_t)a, lim, freq, &r, &dense);
        if (dense) row_dense_keys((uint32_t)a, lim, &r);
        rc = runs ? row_to_run(o, (uint32_t)a, dense, freq, &r, runs)
                  : row_flush(o, (uint32_t)a, freq, win, &r, s);
    }
    rc_free(alc, r.both);
    rc_free(alc, r.last_ctx);
    rc_free(alc, r.touched);
    rc_free(alc, r.value);
    rc_free(alc, r.both_ba);
    rc_free(alc, r.last_ba);
    rc_free(alc, r.value_ba);
    rc_free(alc, r.dist.head[0]);
    rc_free(alc, r.dist.head[1]);
    rc_free(alc, r.dist.node);
    return rc;
}

/* rows_count's threads: thread t counts into sink[t] (sink[0]: the
** query's) or runs[t]. */
typedef struct rows_threads {
    rows_job *job;
    row_sink *sink;
    pair_runs *runs;
} rows_threads;

static rc_status rows_thread(void *ctx, size_t t) {
    rows_threads *rt = ctx;
    return rows_take(rt->job, rt->sink ? &rt->sink[t] : NULL, rt->runs ? &rt->runs[t] : NULL);
}

/* A sink for a thread's rows: s's query and ranks (borrowed: free it with
** sink_rows_free), no rows yet. */
static row_sink sink_share(const row_sink *s) {
    row_sink t = *s;
    t.rows = NULL;
    t.n = t.cap = 0;
    return t;
}

static void sink_rows_free(row_sink *s) { rc_free(s->A->alc, s->rows); }

/* Keep the best of from's rows in s (every one, without --top). */
static rc_status sink_take(row_sink *s, const row_sink *from) {
    rc_status rc = RC_OK;
    for (size_t i = 0; rc == RC_OK && i < from->n; i++) rc = sink_keep(s, &from->rows[i]);
    return rc;
}

/* Count every row of a batch on nt threads and hand its pairs to the
** sink (each thread keeps its own best rows; the sink then keeps the best
** of them), or to the batch's run in runs[t] for thread t (runs NULL: the
** whole corpus is this one batch). */
static rc_status rows_count(const occ_set *o, const rc_query *q, const acc *A, size_t nkeys,
                            uint64_t floor0, size_t nt, rc_team *team, row_sink *s,
                            pair_runs *runs) {
    rows_job j = {o, q, A, nkeys, floor0, 0};
    if (nt == 1) return rows_take(&j, s, runs);
    if (!s) { /* every pair to the runs (runs_merge into tables) */
        rows_threads rt = {&j, NULL, runs};
        return run_threads(team, o->alc, nt, rows_thread, &rt);
    }
    rows_threads rt = {&j, rc_malloc(o->alc, nt * sizeof *rt.sink), runs};
    if (!rt.sink) return RC_ENOMEM;
    /* a floor for all the threads' sinks: --top rows by count, of a few */
    top_counts best = {.top = q->top};
    int shared = q->top && q->top <= LAZY_RANK_TOP && q->sort == RC_SORT_COUNT &&
                 (best.heap = rc_malloc(o->alc, q->top * sizeof *best.heap));
    if (shared) pthread_mutex_init(&best.mu, NULL);
    rt.sink[0] = *s;
    for (size_t t = 1; t < nt; t++) rt.sink[t] = sink_share(s);
    for (size_t t = 0; shared && t < nt; t++) rt.sink[t].shared = &best;
    rc_status rc = run_threads(team, o->alc, nt, rows_thread, &rt);
    if (shared) {
        pthread_mutex_destroy(&best.mu);
        rc_free(o->alc, best.heap);
    }
    *s = rt.sink[0];
    s->shared = NULL;
    for (size_t t = 1; t < nt; t++) {
        if (rc == RC_OK) rc = sink_take(s, &rt.sink[t]);
        sink_rows_free(&rt.sink[t]);
    }
    rc_free(o->alc, rt.sink);
    return rc;
}

/* A floor for the pairs of a corpus counted in batches, from its first
** batch (o): the worst of the best q->top pairs by their counts in that
** batch alone (a probe sink).  Every pair counts at least as much in the
** whole corpus, so the top rows of the whole count at least this much;
** 0 when that cannot bound anything (counts not boolean, no --top by count). */
static rc_status batch_floor(const rc_corpus *c, const rc_query *q, const keymap *km,
                             const acc *A, const occ_set *o, size_t nt, uint64_t *floor) {
    *floor = 0;
    if (!q->top || q->sort != RC_SORT_COUNT || q->count != RC_COUNT_BOOLEAN) return RC_OK;
    row_sink probe;
    rc_status rc = sink_init(&probe, c, q, km, A);
    if (rc == RC_OK) rc = rows_count(o, q, A, o->nids, 0, nt, km->team, &probe, NULL);
    if (rc == RC_OK) *floor = sink_floor(&probe);
    sink_free(&probe);
    return rc;
}

/* The occurrences in the stream that hold about batch_occ kept ones:
** batch_occ scaled by the corpus's occurrences against those the set
** keeps (a bag keeps a key once a context: the contexts' keys,
** A->ctx_count; a listed set every occurrence of a key, o->kept; both
** occ_number's), so that a batch gathered in shares (by the documents'
** starts in the stream) keeps about as many as occ_gather's batch would. */
static uint64_t batch_span(const rc_corpus *c, const keymap *km, const acc *A,
                           const occ_set *o) {
    uint64_t kept = 0, all = km->terms ? c->nt : c->nm, most = batch_occ(c, km);
    if (o->listed) kept = o->kept;
    else
        for (size_t k = 0; k < km->vocab->n; k++) kept += A->ctx_count[k];
    if (!kept || all <= kept) return most;
    double span = (double)most * ((double)all / (double)kept);
    return span >= (double)UINT64_MAX / 2 ? UINT64_MAX / 2 : (uint64_t)span;
}

/* The end of the batch of bags that starts at document first: about
** o->batch_raw occurrences of the stream on (at least one document). */
static rc_status batch_end(const rc_corpus *c, const keymap *km, const occ_set *o,
                           size_t first, size_t *end) {
    uint64_t at = 0;
    rc_status rc = occ_at_doc(c, km, first, &at);
    if (rc == RC_OK) rc = doc_at_occ(c, km, at + o->batch_raw, end);
    if (*end <= first) *end = first + 1;
    return rc;
}

/* Count the rows of the batch of documents *next on into the sink, or
** into a run when the corpus takes more than one batch (pairs below
** *floor left out; the first batch sets it, batch_floor). */
static rc_status count_batch(const rc_corpus *c, const rc_query *q, const keymap *km,
                             acc *A, occ_set *o, size_t *next, uint64_t *floor, size_t nt,
                             row_sink *s, pair_runs *runs, int gathered) {
    size_t first = *next;
    rc_status rc = RC_OK;
    if (gathered) { /* bags_gather made the whole corpus's batch */
        *next = c->ndocs;
    } else if (nt > 1) { /* about a batch's occurrences, in shares */
        size_t end = c->ndocs;
        rc = batch_end(c, km, o, first, &end);
        if (rc == RC_OK) rc = bags_gather(c, q, km, A, o, nt, first, end);
        *next = end;
    } else {
        rc = occ_gather(c, q, km, &A->n_ctx, o, batch_occ(c, km), next, c->ndocs);
        if (rc == RC_OK) rc = occ_index(o, o->nids);
        if (rc == RC_OK && !o->listed) rc = occ_sort_bags(o, o->nids);
    }
    int whole = s && first == 0 && *next >= c->ndocs; /* no sink: always runs */
    if (rc == RC_OK && s && !whole && first == 0) rc = batch_floor(c, q, km, A, o, nt, floor);
    if (rc == RC_OK)
        rc = rows_count(o, q, A, o->nids, *floor, nt, km->team, s, whole ? NULL : runs);
    for (size_t t = 0; rc == RC_OK && !whole && t < nt; t++) rc = runs_end(&runs[t]);
    occ_batch_free(o); /* and no key is in a context of the next batch yet */
    memset(o->last, 0xff, (o->nids ? o->nids : 1) * sizeof *o->last);
    return rc;
}

/* The batches after the first of a corpus of bags counted on nt threads
** (cooc_by_rows): each thread takes whole batches, the next one left, and
** gathers, indexes, sorts and counts it as one thread would (occ_gather,
** occ_index, occ_sort_bags, rows_count) into its own file of runs; a
** batch gathered in shares by both threads cost nearly what one thread's
** batch does (bench/NOTES.md, eighteenth session).  The batches are the
** documents [bound[i], bound[i + 1]); the numbering (o's id_of, key_of,
** nids) is shared and read only. */
typedef struct batch_pool {
    const rc_corpus *c;
    const rc_query *q;
    const keymap *km;
    const acc *A;
    const occ_set *o;
    uint64_t floor;
    const size_t *bound;
    size_t nbatches;
    atomic_size_t next;
    pair_runs *runs;   /* per thread */
    uint64_t *n_ctx;   /* per thread: the contexts of its batches */
} batch_pool;

static rc_status batch_thread(void *ctx, size_t t) {
    batch_pool *b = ctx;
    const occ_set *o = b->o;
    occ_set s;
    memset(&s, 0, sizeof s);
    s.alc = o->alc;
    s.has_tok = o->has_tok;
    s.has_mult = o->has_mult;
    s.has_span = o->has_span;
    s.directed = o->directed;
    s.reach = o->reach;
    s.nids = o->nids;
    s.id_of = o->id_of; /* borrowed: not freed here */
    s.key_of = o->key_of;
    size_t n = s.nids ? s.nids : 1;
    s.last = rc_malloc(s.alc, n * sizeof *s.last);
    s.where = rc_malloc(s.alc, n * sizeof *s.where);
    rc_status rc = s.last && s.where ? RC_OK : RC_ENOMEM;
    while (rc == RC_OK) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->nbatches) break;
        size_t d = b->bound[i];
        memset(s.last, 0xff, n * sizeof *s.last);
        rc = occ_gather(b->c, b->q, b->km, &b->n_ctx[t], &s, SIZE_MAX, &d, b->bound[i + 1]);
        if (rc == RC_OK) rc = occ_index(&s, s.nids);
        if (rc == RC_OK) rc = occ_sort_bags(&s, s.nids);
        if (rc == RC_OK)
            rc = rows_count(&s, b->q, b->A, s.nids, b->floor, 1, NULL, NULL, &b->runs[t]);
        if (rc == RC_OK) rc = runs_end(&b->runs[t]);
        occ_batch_free(&s);
    }
    rc_free(s.alc, s.ctx_end);
    rc_free(s.alc, s.last);
    rc_free(s.alc, s.where);
    return rc;
}

/* The documents from first on cut into batches of about equal
** occurrences of the stream, none over about o->batch_raw (batch_end's
** size), as many as a multiple of nt, so that the threads taking them a
** batch each end together: cut by batch_end, the UN debates' rest after
** the first batch, 1.2 batches' worth, went as one batch of 10 ms and
** one of 2 (bench/NOTES.md).  Batch i is the documents [(*bound)[i],
** (*bound)[i + 1]), none empty; *nb of them. */
static rc_status batch_bounds(const rc_corpus *c, const keymap *km, const occ_set *o,
                              size_t first, size_t nt, size_t **bound, size_t *nb) {
    uint64_t lo = 0, hi = 0, span = o->batch_raw ? o->batch_raw : 1;
    rc_status rc = occ_at_doc(c, km, first, &lo);
    if (rc == RC_OK) rc = occ_at_doc(c, km, c->ndocs, &hi);
    if (rc) return rc;
    uint64_t k = (hi - lo) / span + ((hi - lo) % span != 0);
    k = (k ? k + nt - 1 : nt) / nt * nt;
    if (k > c->ndocs - first) k = c->ndocs - first; /* a document at least each */
    if (!(*bound = rc_malloc(c->alc, (k + 1) * sizeof **bound))) return RC_ENOMEM;
    size_t n = 0;
    (*bound)[0] = first;
    for (uint64_t i = 1; rc == RC_OK && i <= k; i++) {
        size_t end = c->ndocs;
        if (i < k) rc = doc_at_occ(c, km, lo + (hi - lo) / k * i + (hi - lo) % k * i / k, &end);
        if (end > (*bound)[n]) (*bound)[++n] = end;
    }
    *nb = n;
    return rc;
}

/* The documents from *next on in batches (batch_bounds), counted on nt
** threads a batch each (batch_thread); *next becomes c->ndocs. */
static rc_status count_batches(const rc_corpus *c, const rc_query *q, const keymap *km,
                               acc *A, const occ_set *o, size_t *next, uint64_t floor,
                               size_t nt, pair_runs *runs) {
    size_t *bound = NULL, nb = 0;
    rc_status rc = batch_bounds(c, km, o, *next, nt, &bound, &nb);
    uint64_t *n_ctx = rc_malloc(c->alc, nt * sizeof *n_ctx);
    if (rc == RC_OK && !n_ctx) rc = RC_ENOMEM;
    if (rc == RC_OK && nb) {
        memset(n_ctx, 0, nt * sizeof *n_ctx);
        batch_pool b = {c, q, km, A, o, floor, bound, nb, 0, runs, n_ctx};
        rc = run_threads(km->team, c->alc, nt, batch_thread, &b);
        for (size_t t = 0; rc == RC_OK && t < nt; t++) A->n_ctx += n_ctx[t];
    }
    if (rc == RC_OK) *next = c->ndocs;
    rc_free(c->alc, n_ctx);
    rc_free(c->alc, bound);
    return rc;
}

/* Rows of entities or terms: numbered, gathered a batch at a time,
** counted on share_count threads (rows_count; a mention query's bags past
** the first batch a batch a thread, count_batches), each with its own file
** of runs when the corpus takes several batches.  With no out, every pair
** goes into A's tables instead (a part's counts: always through runs, no
** floor). */
static rc_status cooc_by_rows(const rc_corpus *c, const rc_query *q, const keymap *km,
                              acc *A, cooc_result *out) {
    occ_set o;
    memset(&o, 0, sizeof o);
    o.alc = c->alc;
    int freq = q->count == RC_COUNT_FREQUENCY;
    o.listed = q->context == RC_CTX_WINDOW || (q->directed && freq);
    o.reach = q->context == RC_CTX_WINDOW ? q->window : UINT32_MAX;
    o.has_tok = o.listed;
    o.has_mult = !o.listed && freq;
    o.has_span = !o.listed && q->directed;
    o.directed = q->directed;
    size_t nt = share_count(c, km);
    pair_runs *runs = rc_malloc(c->alc, nt * sizeof *runs);
    if (!runs) return RC_ENOMEM;
    for (size_t t = 0; t < nt; t++) runs[t] = (pair_runs){c->alc, -1, NULL, 0, 0, NULL, 0, 0};
    row_sink s, *sink = out ? &s : NULL;
    int one_pass = bags_in_one_batch(c, km, &o);
    rc_status rc = one_pass ? bags_gather(c, q, km, A, &o, nt, 0, c->ndocs)
                            : occ_number(&o, c, q, km, A, km->vocab->n);
    if (rc == RC_OK && o.nids >= RUN_BA) rc = RC_ELIMIT; /* (b, a) records */
    if (rc == RC_OK && !one_pass) o.batch_raw = batch_span(c, km, A, &o);
    if (rc == RC_OK && sink) rc = sink_init(&s, c, q, km, A);
    if (rc == RC_OK) {
        if (!one_pass) A->n_ctx = 0;
        size_t next = 0;
        uint64_t floor = 0;
        /* the first batch in shares (it sets the floor), then on several
        ** threads the rest of a mention query's bags a batch a thread; a
        ** term query's batches are 16 times larger and few, and windows
        ** and ordered frequencies gather and count each batch in shares */
        int by_batch = !o.listed && nt > 1 && !km->terms;
        do {
            rc = count_batch(c, q, km, A, &o, &next, &floor, nt, sink, runs, one_pass);
            one_pass = 0;
        } while (rc == RC_OK && next < c->ndocs && !by_batch);
        if (rc == RC_OK && next < c->ndocs)
            rc = count_batches(c, q, km, A, &o, &next, floor, nt, runs);
        if (rc == RC_OK && runs[0].nruns)
            rc = runs_merge(runs, nt, &o, q->count == RC_COUNT_FREQUENCY,
                            q->count == RC_COUNT_WEIGHTED, sink, A);
        if (rc == RC_OK && sink) rc = sink_finish(&s, out);
        if (sink) sink_free(&s);
    }
    for (size_t t = 0; t < nt; t++) runs_free(&runs[t]);
    rc_free(c->alc, runs);
    occ_set_free(&o);
    return rc;
}

static rc_status cooc_table(const rc_corpus *c, const rc_query *q, const keymap *km,
                            const cooc_result *res, rc_table **out) {
    static const char *const names[] = {"source", "target", "count",
                                        "source_type", "target_type", "pmi",
                                        "npmi", "llr", "dice", "jaccard"};
    rc_col_kind kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_INT, RC_COL_STR,
                           RC_COL_STR, RC_COL_REAL, RC_COL_REAL, RC_COL_REAL,
                           RC_COL_REAL, RC_COL_REAL};
    int weighted = q->count == RC_COUNT_WEIGHTED;
    if (weighted) kinds[2] = RC_COL_REAL;
    rc_table *t;
    rc_status rc = rc_table_new(10, names, kinds, c->alc, &t);
    if (rc) return rc;
    for (size_t i = 0; i < res->n && !(q->top && i >= q->top); i++) {
        const cooc_row *r = &res->rows[res->order[i]];
        size_t la, lb;
        const char *na = rc_entity_name(km->vocab, r->a, &la);
        const char *nb = rc_entity_name(km->vocab, r->b, &lb);
        const char *ta = key_type(km, r->a), *tb = key_type(km, r->b);
        if ((rc = rc_table_str(t, na, la)) || (rc = rc_table_str(t, nb, lb)) ||
            (rc = weighted ? rc_table_real(t, r->count)
                           : rc_table_int(t, (int64_t)r->count)) ||
            (rc = rc_table_str(t, ta, strlen(ta))) ||
            (rc = rc_table_str(t, tb, strlen(tb))) ||
            (rc = rc_table_real(t, r->m.pmi)) ||
            (rc = rc_table_real(t, r->m.npmi)) ||
            (rc = rc_table_real(t, r->m.llr)) ||
            (rc = rc_table_real(t, r->m.dice)) ||
            (rc = rc_table_real(t, r->m.jaccard)) || (rc = rc_table_end_row(t)))
            break;
    }
    return hand_over(t, rc, out);
}

static void acc_free(acc *A, const rc_query *q) {
    rc_free(A->alc, A->ctx_count);
    rc_free(A->alc, A->src_count);
    pairs_free(&A->both);
    pairs_free(&A->value);
    if (A->by_dist)
        for (uint32_t d = 0; d <= q->window; d++) pairs_free(&A->by_dist[d]);
    rc_free(A->alc, A->by_dist);
}

static rc_status acc_init(acc *A, const rc_allocator *alc, const rc_query *q, size_t nkeys) {
    memset(A, 0, sizeof *A);
    A->alc = alc;
    A->both.alc = A->value.alc = alc;
    size_t n = nkeys ? nkeys : 1;
    A->ctx_count = rc_malloc(alc, n * sizeof *A->ctx_count);
    if (!A->ctx_count) return RC_ENOMEM;
    memset(A->ctx_count, 0, n * sizeof *A->ctx_count);
    if (q->source_col) {
        A->src_count = rc_malloc(alc, n * sizeof *A->src_count);
        if (!A->src_count) return RC_ENOMEM;
        memset(A->src_count, 0, n * sizeof *A->src_count);
    }
    if (q->count == RC_COUNT_WEIGHTED) {
        A->by_dist = rc_malloc(alc, (q->window + 1) * sizeof *A->by_dist);
        if (!A->by_dist) return RC_ENOMEM;
        memset(A->by_dist, 0, (q->window + 1) * sizeof *A->by_dist);
        for (uint32_t d = 0; d <= q->window; d++) A->by_dist[d].alc = alc;
    }
    return RC_OK;
}

/* MARK: - --source-col ------------------------------------------------------- */

/* A document's value of metadata column col, or NULL (the cursor dk gave
** doc; *rc the status of reading its metadata back). */
static const char *meta_value(doc_cursor *dk, const cdoc *doc, const char *col,
                              rc_status *rc, rc_error *err) {
    const char *p;
    if ((*rc = doc_cursor_meta(dk, doc, &p, err))) return NULL;
    for (uint32_t i = 0; i < doc->nmeta; i++) {
        const char *key = p;
        const char *value = key + strlen(key) + 1;
        if (!strcmp(key, col)) return value;
        p = value + strlen(value) + 1;
    }
    return NULL;
}

/* The key a metadata value stands for: a country code's country, or an
** alias or name the gazetteer or corpus knows; NO_KEY otherwise. */
static uint32_t value_key(const rc_corpus *c, const rc_query *q, const keymap *km,
                          const char *v) {
    size_t len = strlen(v);
    rc_ccode cc = len == 3 ? rc_ccode_pack(v, len) : 0;
    uint32_t id = cc ? rc_gazetteer_country_entity(c->g, cc) : UINT32_MAX;
    if (id != UINT32_MAX) return map_entity(c, q, km, id);
    return named_key(c, q, km, v);
}

/* Directed edges from each document's source value to the keys it
** mentions, counted per document: c(a) = documents with source a, c(b) =
** documents mentioning b, N = documents with a source value.  A value that
** is neither a country code nor a name the gazetteer or corpus knows (or,
** at --level country, one without a country, like EU) leaves its document
** out. */
static rc_status count_sources(const rc_corpus *c, const rc_query *q, const keymap *km,
                               acc *A, uint64_t *valued, rc_error *err) {
    size_t n = km->vocab->n ? km->vocab->n : 1;
    uint32_t *seen = rc_malloc(c->alc, n * sizeof *seen);
    if (!seen) return RC_ENOMEM;
    memset(seen, 0, n * sizeof *seen);
    rc_status rc = RC_OK;
    uint64_t with_value = 0;
    occ_reader rd;
    occ_reader_init(&rd, c, 0);
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    for (size_t d = 0; d < c->ndocs && rc == RC_OK; d++) {
        const cdoc *doc;
        if ((rc = doc_cursor_at(&dk, d, &doc, err))) break;
        if (doc_skipped(km, doc)) continue;
        const char *v = meta_value(&dk, doc, q->source_col, &rc, err);
        if (rc) break;
        if (!v || !*v) continue;
        with_value++;
        if ((rc = occ_reader_doc(&rd, doc, err))) break;
        uint32_t src = value_key(km->names, q, km, v);
        if (src == NO_KEY) continue; /* not a code or a name (at this level) */
        A->n_ctx++;
        A->src_count[src]++; /* documents with this source */
        uint32_t stamp = (uint32_t)d + 1;
        seen[src] = stamp;
        for (size_t i = 0; i < doc->nm && rc == RC_OK; i++) {
            uint32_t k = km->key_of[rc_corpus_occ(&rd, doc->m_begin + i).entity];
            if (k == NO_KEY || k == src) continue;
            if (q->count == RC_COUNT_FREQUENCY && pairs_add(&A->value, src, k, 1))
                rc = RC_ENOMEM;
            if (seen[k] == stamp) continue;
            seen[k] = stamp;
            if (pairs_add(&A->both, src, k, 1)) rc = RC_ENOMEM;
        }
    }
    /* c(b): documents mentioning b, among those with a source value */
    for (size_t d = 0; d < c->ndocs && rc == RC_OK; d++) {
        const cdoc *doc;
        if ((rc = doc_cursor_at(&dk, d, &doc, err))) break;
        if (doc_skipped(km, doc)) continue;
        const char *v = meta_value(&dk, doc, q->source_col, &rc, err);
        if (rc) break;
        if (!v || !*v) continue;
        uint32_t src = value_key(km->names, q, km, v), stamp = (uint32_t)(c->ndocs + d + 1);
        if (src == NO_KEY) continue;
        if ((rc = occ_reader_doc(&rd, doc, err))) break;
        for (size_t i = 0; i < doc->nm; i++) {
            uint32_t k = km->key_of[rc_corpus_occ(&rd, doc->m_begin + i).entity];
            if (k == NO_KEY || k == src || seen[k] == stamp) continue;
            seen[k] = stamp;
            A->ctx_count[k]++;
        }
    }
    doc_cursor_free(&dk);
    occ_reader_free(&rd);
    rc_free(c->alc, seen);
    *valued = with_value;
    return rc;
}

/* --source-col naming a column no document has (of ndocs, valued with a
** value in it). */
static rc_status sources_refused(const rc_query *q, uint64_t ndocs, uint64_t valued,
                                 rc_error *err) {
    if (valued || !ndocs) return RC_OK;
    return rc_error_set(err, RC_ENOENT, 0, "--source-col %s: no document has this column",
                        q->source_col);
}

rc_status rc_corpus_cooccur(const rc_corpus *c, const rc_query *q,
                            rc_table **out, rc_error *err) {
    *out = NULL;
    if (q->count == RC_COUNT_WEIGHTED && q->context != RC_CTX_WINDOW)
        return rc_error_set(err, RC_EINVAL, 0,
                            "weighted counts need a window context (--context "
                            "window:N)");
    rc_status rc;
    if (!q->terms && !q->source_col && (rc = lean_refused(c, q->context, err))) return rc;
    if ((rc = tallies_refused(c, "co-occurrences", err))) return rc;
    keymap km;
    if ((rc = keymap_build(c, q, &km, err))) return rc;
    acc A;
    cooc_result res = {NULL, NULL, 0};
    if ((rc = acc_init(&A, c->alc, q, km.vocab->n))) goto done;
    if (!q->source_col) {
        rc = cooc_by_rows(c, q, &km, &A, &res);
        if (rc == RC_EIO)
            rc = rc_error_set(err, RC_EIO, 0,
                              "cannot write or read the pairs' temporary file in %s "
                              "(set TMPDIR to a directory with room)",
                              rc_spill_dir());
    } else {
        uint64_t valued = 0;
        rc = count_sources(c, q, &km, &A, &valued, err);
        if (rc == RC_OK) rc = sources_refused(q, c->ndocs, valued, err);
        if (rc == RC_OK) rc = cooc_rows(c, q, &km, &A, &res);
    }
    if (rc) goto done;
    rc = cooc_table(c, q, &km, &res, out);
done:
    result_free(c->alc, &res);
    acc_free(&A, q);
    keymap_free(c, &km);
    return rc;
}

/* MARK: - timeline ---------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The ISO week (and its year) of a date. */
static void iso_week(const rc_date *dt, int *year, int *week) {
    int64_t days = days_from_civil(dt->year, dt->month, dt->day);
    int wday = (int)(((days % 7) + 7 + 3) % 7); /* Monday = 0 */
    int64_t thursday = days - wday + 3;          /* the week's Thursday */
    int y = dt->year;
    if (thursday < days_from_civil(y, 1, 1)) y--;
    else if (thursday >= days_from_civil(y + 1, 1, 1)) y++;
    *year = y;
    *week = (int)((thursday - days_from_civil(y, 1, 1)) / 7) + 1;
}

/* The period label of a document ("undated" when its date is too coarse). */
static void period_label(const rc_date *dt, rc_period by, char out[24]) {
    int need = by == RC_BY_YEAR ? RC_DATE_YEAR : by == RC_BY_MONTH ? RC_DATE_MONTH
                                                                   : RC_DATE_DAY;
    if (dt->precision < need) {
        snprintf(out, 24, "undated");
        return;
    }
    int y, w;
    switch (by) {
    case RC_BY_YEAR: snprintf(out, 24, "%04d", dt->year); break;
    case RC_BY_MONTH: snprintf(out, 24, "%04d-%02d", dt->year, dt->month); break;
    case RC_BY_DAY:
        snprintf(out, 24, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
        break;
    default:
        iso_week(dt, &y, &w);
        snprintf(out, 24, "%04d-W%02d", y, w);
    }
}

/* The groups of a timeline or a grouped count: the distinct labels of
** the documents (a date's period, or a value of a metadata column), in
** order ("undated" last), and the documents in each.  A document's group
** is found again (period_of) when a query's cursor reaches it: nothing
** here grows with the documents, only with the groups. */
typedef struct period_set {
    rc_period by;
    const char *meta_col; /* group by this metadata column (NULL: by period) */
    rc_entities names;    /* the distinct labels, their NUL included (ids in order met) */
    uint32_t *group_of;   /* per label id: its group */
    const char **labels;  /* per group: its label; sorted */
    size_t n;
    uint64_t *docs;       /* documents per group */
} period_set;

static int label_cmp(const void *x, const void *y) {
    const char *a = *(const char *const *)x, *b = *(const char *const *)y;
    int ua = !strcmp(a, "undated"), ub = !strcmp(b, "undated");
    if (ua != ub) return ua ? 1 : -1;
    return strcmp(a, b);
}

static void periods_free(const rc_corpus *c, period_set *p) {
    rc_entities_free(&p->names);
    rc_free(c->alc, p->group_of);
    rc_free(c->alc, p->labels);
    rc_free(c->alc, p->docs);
}

static const char *meta_value(doc_cursor *dk, const cdoc *doc, const char *col,
                              rc_status *rc, rc_error *err);

/* The label of a document the cursor dk gave (in buf when it is a
** period's). */
static rc_status label_of(const period_set *p, doc_cursor *dk, const cdoc *doc,
                          char buf[24], const char **label) {
    if (!p->meta_col) {
        period_label(&doc->date, p->by, buf);
        *label = buf;
        return RC_OK;
    }
    rc_status rc;
    const char *v = meta_value(dk, doc, p->meta_col, &rc, NULL);
    *label = v && *v ? v : "undated";
    return rc;
}

/* The group of a document the cursor dk gave, one periods_build counted. */
static rc_status period_of(const period_set *p, doc_cursor *dk, const cdoc *doc,
                           uint32_t *group) {
    char buf[24];
    const char *label;
    rc_status rc = label_of(p, dk, doc, buf, &label);
    if (rc) return rc;
    uint32_t id = rc_entities_find(&p->names, label, strlen(label) + 1, RC_MISC);
    if (RC_NEVER(id == UINT32_MAX)) return RC_EINVAL;
    *group = p->group_of[id];
    return RC_OK;
}

/* Groups by `by` periods, or by the metadata column meta_col when set
** (documents without it are in "undated"). */
static rc_status periods_finish(const rc_allocator *alc, period_set *p, const uint64_t *count);

static rc_status periods_build(const rc_corpus *c, const keymap *km, rc_period by,
                               const char *meta_col, period_set *p) {
    memset(p, 0, sizeof *p);
    p->by = by;
    p->meta_col = meta_col;
    rc_entities_init(&p->names, c->alc);
    uint64_t *count = NULL; /* per label id: its documents */
    size_t count_cap = 0;
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    rc_status rc = RC_OK;
    for (size_t d = 0; d < c->ndocs && rc == RC_OK; d++) {
        const cdoc *doc;
        const char *label;
        char buf[24];
        uint32_t id;
        if ((rc = doc_cursor_at(&dk, d, &doc, NULL))) break;
        if (doc_skipped(km, doc)) continue;
        if ((rc = label_of(p, &dk, doc, buf, &label)) ||
            (rc = rc_entities_intern(&p->names, label, strlen(label) + 1, RC_MISC, 0, &id)))
            break;
        size_t old = count_cap;
        if (id >= count_cap) {
            if (rc_grow(c->alc, (void **)&count, &count_cap, (size_t)id + 1, sizeof *count)) {
                rc = RC_ENOMEM;
                break;
            }
            memset(count + old, 0, (count_cap - old) * sizeof *count);
        }
        count[id]++;
    }
    doc_cursor_free(&dk);
    if (rc == RC_OK) rc = periods_finish(c->alc, p, count);
    rc_free(c->alc, count);
    return rc;
}

/* The groups of p's labels (p->names, filled), sorted (label_cmp), with
** count[id] documents for label id. */
static rc_status periods_finish(const rc_allocator *alc, period_set *p, const uint64_t *count) {
    size_t n = p->names.n ? p->names.n : 1;
    p->group_of = rc_malloc(alc, n * sizeof *p->group_of);
    p->labels = rc_malloc(alc, n * sizeof *p->labels);
    p->docs = rc_malloc(alc, n * sizeof *p->docs);
    if (!p->group_of || !p->labels || !p->docs) return RC_ENOMEM;
    p->n = p->names.n;
    for (size_t id = 0; id < p->n; id++) {
        size_t len;
        p->labels[id] = rc_entity_name(&p->names, (uint32_t)id, &len); /* NUL-terminated */
    }
    if (p->n > 1) qsort(p->labels, p->n, sizeof *p->labels, label_cmp);
    for (size_t g = 0; g < p->n; g++) {
        uint32_t id = rc_entities_find(&p->names, p->labels[g], strlen(p->labels[g]) + 1,
                                       RC_MISC);
        p->group_of[id] = (uint32_t)g;
        p->docs[g] = count[id];
    }
    return RC_OK;
}

typedef struct tl_row {
    uint32_t period, key, rank;
    uint64_t mentions, documents;
} tl_row;

static int tl_cmp(const void *x, const void *y) {
    const tl_row *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    if (a->mentions != b->mentions) return a->mentions > b->mentions ? -1 : 1;
    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* The documents a grouped query counts (timeline, grouped counts): those
** --since/--until keep that mention something, in order, each with its
** group and its mentions ready to read through rd. */
typedef struct group_walk {
    const rc_corpus *c;
    const keymap *km;
    const period_set *p;
    occ_reader rd;
    doc_cursor dk;
    size_t next; /* the document to look at next */
} group_walk;

static void group_walk_init(group_walk *w, const rc_corpus *c, const keymap *km,
                            const period_set *p) {
    w->c = c;
    w->km = km;
    w->p = p;
    w->next = 0;
    occ_reader_init(&w->rd, c, 0);
    doc_cursor_init(&w->dk, c);
}

static void group_walk_free(group_walk *w) {
    doc_cursor_free(&w->dk);
    occ_reader_free(&w->rd);
}

/* The next document of the walk: 1, with its index in *d, the document
** in *doc and its group in *g; 0 at the end or on an error (*rc). */
static int group_walk_next(group_walk *w, size_t *d, const cdoc **doc, uint32_t *g,
                           rc_status *rc) {
    while (w->next < w->c->ndocs) {
        *d = w->next++;
        if ((*rc = doc_cursor_at(&w->dk, *d, doc, NULL))) return 0;
        if (doc_skipped(w->km, *doc) || !(*doc)->nm) continue;
        if ((*rc = period_of(w->p, &w->dk, *doc, g)) ||
            (*rc = occ_reader_doc(&w->rd, *doc, NULL)))
            return 0;
        return 1;
    }
    return 0;
}

/* Per group and entity: timeline's period,entity,mentions,documents,share,
** or a grouped count's GROUP,entity,type,country,mentions,documents. */
/* The mentions and documents of each (group, key) of c's documents, into
** ment and docs (keyed group << 32 | key). */
static rc_status group_count(const rc_corpus *c, const keymap *km, const period_set *p,
                             pair_table *ment, pair_table *docs) {
    /* per key: 1 + the last document that counted it (a document counts
    ** once, at its first mention of the key) */
    size_t nkeys = km->vocab->n ? km->vocab->n : 1;
    uint32_t *counted = rc_malloc(c->alc, nkeys * sizeof *counted);
    if (!counted) return RC_ENOMEM;
    memset(counted, 0, nkeys * sizeof *counted);
    rc_status rc = RC_OK;
    group_walk w;
    group_walk_init(&w, c, km, p);
    size_t d;
    const cdoc *doc;
    uint32_t g;
    while (rc == RC_OK && group_walk_next(&w, &d, &doc, &g, &rc)) {
        for (size_t i = 0; i < doc->nm && rc == RC_OK; i++) {
            uint32_t k = km->key_of[rc_corpus_occ(&w.rd, doc->m_begin + i).entity];
            if (k == NO_KEY || (km->wanted && !km->wanted[k])) continue;
            if (pairs_add(ment, g, k, 1)) rc = RC_ENOMEM;
            if (counted[k] != (uint32_t)d + 1 && rc == RC_OK) {
                counted[k] = (uint32_t)d + 1;
                if (pairs_add(docs, g, k, 1)) rc = RC_ENOMEM;
            }
        }
    }
    group_walk_free(&w);
    rc_free(c->alc, counted);
    return rc;
}

/* The table of group counts (group_count's), a row a group and key. */
static rc_status group_table(const rc_corpus *c, const rc_query *q, const keymap *km,
                             const period_set *p, const pair_table *ment,
                             const pair_table *docs, const char *group_col, int timeline,
                             rc_table **out) {
    const char *tl_names[] = {group_col, "entity", "mentions", "documents", "share"};
    static const rc_col_kind tl_kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_INT, RC_COL_INT,
                                           RC_COL_REAL};
    const char *ct_names[] = {group_col, "entity", "type", "country", "mentions",
                              "documents"};
    static const rc_col_kind ct_kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_STR,
                                           RC_COL_STR, RC_COL_INT, RC_COL_INT};
    tl_row *rows = rc_malloc(c->alc, (ment->n ? ment->n : 1) * sizeof *rows);
    size_t nv = km->vocab->n ? km->vocab->n : 1;
    uint64_t *in_rows = rc_calloc(c->alc, nv, sizeof *in_rows); /* by key */
    uint32_t *rank = NULL;
    rc_table *t = NULL;
    size_t n = 0;
    rc_status rc = rows && in_rows ? RC_OK : RC_ENOMEM;
    for (size_t i = 0; rc == RC_OK && i < ment->cap; i++) {
        if (!ment->keys[i]) continue;
        uint64_t key = ment->keys[i] - 1;
        tl_row *r = &rows[n++];
        r->period = (uint32_t)(key >> 32);
        r->key = (uint32_t)key;
        r->mentions = ment->counts[i];
        r->documents = pairs_get(docs, r->period, r->key);
        in_rows[r->key] = 1;
    }
    if (rc == RC_OK) { /* the rows' names ranked, not every name the gazetteer knows */
        const uint64_t *const used[2] = {in_rows, NULL};
        if (!(rank = name_ranks(c, km->vocab, used))) rc = RC_ENOMEM;
        for (size_t i = 0; rc == RC_OK && i < n; i++) rows[i].rank = rank[rows[i].key];
    }
    if (rc == RC_OK) {
        qsort(rows, n, sizeof *rows, tl_cmp);
        rc = timeline ? rc_table_new(5, tl_names, tl_kinds, c->alc, &t)
                      : rc_table_new(6, ct_names, ct_kinds, c->alc, &t);
    }
    for (size_t i = 0; rc == RC_OK && i < n; i++) {
        const tl_row *r = &rows[i];
        if (!timeline && r->mentions < q->min_count) continue;
        size_t len;
        const char *name = rc_entity_name(&c->ents, r->key, &len);
        const char *label = p->labels[r->period];
        if ((rc = rc_table_str(t, label, strlen(label))) ||
            (rc = rc_table_str(t, name, len)))
            break;
        if (!timeline) {
            char cc[4];
            rc_ccode_unpack(km->country[r->key], cc);
            const char *tn = rc_etype_name((rc_etype)c->ents.v[r->key].type);
            if ((rc = rc_table_str(t, tn, strlen(tn))) ||
                (rc = rc_table_str(t, cc, strlen(cc))))
                break;
        }
        if ((rc = rc_table_int(t, (int64_t)r->mentions)) ||
            (rc = rc_table_int(t, (int64_t)r->documents)) ||
            (timeline &&
             (rc = rc_table_real(t, (double)r->documents / (double)p->docs[r->period]))) ||
            (rc = rc_table_end_row(t)))
            break;
    }
    rc_free(c->alc, rank);
    rc_free(c->alc, in_rows);
    rc_free(c->alc, rows);
    return hand_over(t, rc, out);
}

static rc_status group_entities(const rc_corpus *c, const rc_query *q, const keymap *km,
                                const period_set *p, const char *group_col,
                                int timeline, rc_table **out) {
    pair_table ment = {c->alc, NULL, NULL, 0, 0}, docs = {c->alc, NULL, NULL, 0, 0};
    rc_status rc = group_count(c, km, p, &ment, &docs);
    if (rc == RC_OK) rc = group_table(c, q, km, p, &ment, &docs, group_col, timeline, out);
    pairs_free(&ment);
    pairs_free(&docs);
    return rc;
}

/* period,source,target,count: contexts holding both, per period. */

/* The contexts (q->context; windows: documents) of each group of c's
** documents holding both ka and kb, into count (p->n, zeroed). */
static rc_status pair_contexts(const rc_corpus *c, const rc_query *q, const keymap *km,
                               const period_set *p, uint32_t ka, uint32_t kb,
                               uint64_t *count) {
    rc_query sq = *q;
    if (sq.context == RC_CTX_WINDOW) sq.context = RC_CTX_DOCUMENT;
    rc_status rc = lean_refused(c, sq.context, NULL);
    if (rc) return rc;
    group_walk w;
    group_walk_init(&w, c, km, p);
    size_t d;
    const cdoc *doc;
    uint32_t g;
    while (group_walk_next(&w, &d, &doc, &g, &rc)) {
        for (size_t i = 0; i < doc->nm;) {
            cterm first = doc_occ(&w.rd, km, doc, i);
            uint32_t ctx = context_id(&sq, &first);
            int has_a = 0, has_b = 0;
            size_t j = i;
            for (; j < doc->nm; j++) {
                cterm o = doc_occ(&w.rd, km, doc, j);
                if (context_id(&sq, &o) != ctx) break;
                has_a |= km->key_of[o.term] == ka;
                has_b |= km->key_of[o.term] == kb;
            }
            count[g] += has_a && has_b;
            i = j;
        }
    }
    group_walk_free(&w);
    return rc;
}

/* The pair timeline: period,source,target,count (names of c). */
static rc_status pair_periods(const rc_corpus *c, const period_set *p, uint32_t ka,
                              uint32_t kb, const uint64_t *count, rc_table **out) {
    static const char *const names[] = {"period", "source", "target", "count"};
    static const rc_col_kind kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_STR, RC_COL_INT};
    if (ka != kb && name_cmp(&c->ents, ka, kb) > 0) { /* source before target by name */
        uint32_t t = ka;
        ka = kb;
        kb = t;
    }
    size_t la, lb;
    const char *na = rc_entity_name(&c->ents, ka, &la);
    const char *nb = rc_entity_name(&c->ents, kb, &lb);
    rc_table *t;
    rc_status rc = rc_table_new(4, names, kinds, c->alc, &t);
    for (size_t i = 0; rc == RC_OK && i < p->n; i++) {
        if ((rc = rc_table_str(t, p->labels[i], strlen(p->labels[i]))) ||
            (rc = rc_table_str(t, na, la)) || (rc = rc_table_str(t, nb, lb)) ||
            (rc = rc_table_int(t, (int64_t)count[i])) || (rc = rc_table_end_row(t)))
            break;
    }
    return hand_over(t, rc, out);
}

static rc_status timeline_pair(const rc_corpus *c, const rc_query *q, const keymap *km,
                               const period_set *p, rc_table **out) {
    uint32_t ka = named_key(c, q, km, q->entities[0]);
    uint32_t kb = named_key(c, q, km, q->entities[1]);
    uint64_t *count = rc_malloc(c->alc, (p->n ? p->n : 1) * sizeof *count);
    if (!count) return RC_ENOMEM;
    memset(count, 0, (p->n ? p->n : 1) * sizeof *count);
    rc_status rc = pair_contexts(c, q, km, p, ka, kb, count);
    if (rc == RC_OK) rc = pair_periods(c, p, ka, kb, count, out);
    rc_free(c->alc, count);
    return rc;
}

rc_status rc_corpus_timeline(const rc_corpus *c, const rc_query *q,
                             rc_table **out, rc_error *err) {
    *out = NULL;
    size_t ne = 0;
    while (q->entities && q->entities[ne]) ne++;
    if (q->terms) return terms_refused("timeline", err);
    if (ne > 2)
        return rc_error_set(err, RC_EINVAL, 0,
                            "timeline takes at most two entities (a pair)");
    keymap km;
    period_set p;
    rc_status rc = keymap_build(c, q, &km, err);
    if (rc) return rc;
    if ((rc = periods_build(c, &km, q->by, NULL, &p)) == RC_OK)
        rc = ne == 2 ? timeline_pair(c, q, &km, &p, out)
                     : group_entities(c, q, &km, &p, "period", 1, out);
    periods_free(c, &p);
    keymap_free(c, &km);
    return rc;
}

/* The group column of count --by (period) or --by-meta COL (COL, or
** by_COL when COL is one of the table's own columns). */
static void group_column(const rc_query *q, char *col, size_t cap) {
    const char *m = q->by_meta;
    int clash = m && (!strcmp(m, "entity") || !strcmp(m, "type") || !strcmp(m, "country") ||
                      !strcmp(m, "mentions") || !strcmp(m, "documents"));
    snprintf(col, cap, "%s%s", clash ? "by_" : "", m ? m : "period");
}

/* count --by PERIOD / --by-meta COL: the counts of each group. */
static rc_status count_grouped(const rc_corpus *c, const rc_query *q,
                               rc_table **out, rc_error *err) {
    *out = NULL;
    if (q->terms) return terms_refused("count --by or --by-meta", err);
    keymap km;
    period_set p;
    rc_status rc = keymap_build(c, q, &km, err);
    if (rc) return rc;
    char col[128];
    group_column(q, col, sizeof col);
    if ((rc = periods_build(c, &km, q->by, q->by_meta, &p)) == RC_OK)
        rc = group_entities(c, q, &km, &p, col, 0, out);
    periods_free(c, &p);
    keymap_free(c, &km);
    return rc;
}

/* MARK: - A corpus in parts (relcore.dask) ------------------------------------ */

/* A part counts a query with the keys of the whole corpus (part_keymap):
** the keymap built on `whole`, a corpus holding the tallies of every part
** (so the corpus-wide facts, the folds and the countries, are the whole
** corpus's), its key_of then indexed by the part's own entity or term ids
** (matched by name and type).  The counts are what the query sums over
** documents: per key (count), or c(a), N and the pair tables (cooccur).
** Summing the parts' counts gives the whole corpus's, and the table is
** made from them as from the whole's (count_table, cooc_rows).
**
** A timeline's counts, and a grouped count's, are by group: a period or
** a metadata value, its label (`2025-03`, `undated`, `IRN`) interned in
** the counts' own table: per label its documents, and the contexts
** holding the pair (a timeline of two entities) or per label and key the
** mentions and documents.
**
** Packed counts, format "RCPC", version 1, every integer a little-endian
** uint32 unless said: the query's shape (part_shape), the number of keys,
** of documents and (--source-col) of documents with a value (uint64), then
** for count the keys counted (n; key, mentions, documents as uint64); for
** cooccur N (uint64), c(a) (n; key, count as uint64), --source-col's
** documents per source likewise, and the tables c(ab), frequency and
** (weighted) one per distance 0..window (n; a, b, count as uint64); by
** group the labels (n; length, bytes), per label its documents and pair
** contexts (n; label, count as uint64, twice), and the tables of mentions
** and documents (n; label, key, count as uint64). */
#define PART_VERSION 1
/* No count of a real corpus comes near: a larger one is damage (and a
** sum of two stays below 2^63, an int64 of the table). */
#define PART_COUNT_MAX ((uint64_t)1 << 61)

/* What the counts depend on beside the keys: counts made for one query
** only sum and finish with counts of the same. */
typedef struct part_shape {
    uint32_t what, context, window, count, directed, level, types, terms, source_col, by,
        entities, grouped;
} part_shape;

static uint32_t entities_named(const rc_query *q) {
    uint32_t n = 0;
    while (q->entities && q->entities[n]) n++;
    return n;
}

static part_shape shape_of(rc_part_query what, const rc_query *q) {
    return (part_shape){(uint32_t)what, (uint32_t)q->context, q->window, (uint32_t)q->count,
                        (uint32_t)!!q->directed, (uint32_t)q->level, q->types,
                        (uint32_t)!!q->terms, (uint32_t)!!q->source_col, (uint32_t)q->by,
                        entities_named(q), (uint32_t)(what == RC_PART_COUNT && q->grouped)};
}

/* A part's counts in memory, sparse: per key (count: mentions and
** documents; cooccur: c(a) and --source-col's documents) in `keyed` under
** (key, 0) and (key, 1), and cooccur's pair tables; by group, as said
** above, keyed by label.  Memory grows with the keys and pairs counted,
** not with the keys there are (nkeys, the whole's: checked against it
** when the table is made). */
typedef struct part_counts {
    const rc_allocator *alc;
    part_shape shape;
    uint64_t nkeys, docs, valued, n_ctx; /* valued: --source-col's documents
                                            with a value */
    pair_table keyed, both, value;
    pair_table *by_dist; /* weighted: one a distance, 0..window */
    rc_entities labels;  /* by group: the groups' labels, NUL included */
} part_counts;

static void part_counts_free(part_counts *p) {
    rc_entities_free(&p->labels);
    pairs_free(&p->keyed);
    pairs_free(&p->both);
    pairs_free(&p->value);
    for (uint32_t d = 0; p->by_dist && d <= p->shape.window; d++) pairs_free(&p->by_dist[d]);
    rc_free(p->alc, p->by_dist);
    memset(p, 0, sizeof *p);
}

/* No counts yet, for queries of shape sh over nkeys keys. */
static rc_status part_counts_init(part_counts *p, const rc_allocator *alc, const part_shape *sh,
                                  uint64_t nkeys) {
    memset(p, 0, sizeof *p);
    p->alc = p->keyed.alc = p->both.alc = p->value.alc = alc;
    rc_entities_init(&p->labels, alc);
    p->shape = *sh;
    p->nkeys = nkeys;
    if (sh->what != RC_PART_COOCCUR || sh->count != RC_COUNT_WEIGHTED) return RC_OK;
    size_t n = (size_t)sh->window + 1;
    if (!(p->by_dist = rc_malloc(alc, n * sizeof *p->by_dist))) return RC_ENOMEM;
    for (size_t d = 0; d < n; d++) p->by_dist[d] = (pair_table){alc, NULL, NULL, 0, 0};
    return RC_OK;
}

/* A counted query's dense counts (rows: count; A: cooccur) into p, made
** by part_counts_init; A's tables move to p. */
static rc_status part_counts_take(part_counts *p, const count_row *rows, acc *A) {
    rc_status rc = RC_OK;
    for (uint64_t k = 0; rows && rc == RC_OK && k < p->nkeys; k++)
        if (rows[k].mentions &&
            (pairs_add(&p->keyed, (uint32_t)k, 0, rows[k].mentions) ||
             pairs_add(&p->keyed, (uint32_t)k, 1, rows[k].documents)))
            rc = RC_ENOMEM;
    if (!A) return rc;
    p->n_ctx = A->n_ctx;
    for (uint64_t k = 0; rc == RC_OK && k < p->nkeys; k++)
        if ((A->ctx_count[k] && pairs_add(&p->keyed, (uint32_t)k, 0, A->ctx_count[k])) ||
            (A->src_count && A->src_count[k] &&
             pairs_add(&p->keyed, (uint32_t)k, 1, A->src_count[k])))
            rc = RC_ENOMEM;
    pair_table none = {A->alc, NULL, NULL, 0, 0};
    p->both = A->both;
    p->value = A->value;
    A->both = A->value = none;
    if (A->by_dist) {
        rc_free(p->alc, p->by_dist);
        p->by_dist = A->by_dist;
        A->by_dist = NULL;
    }
    return rc;
}

/* Add table from to t, its labels' ids mapped (map NULL: the same). */
static rc_status pairs_add_mapped(pair_table *t, const pair_table *from, const uint32_t *map) {
    if (!map) return pairs_add_all(t, from);
    for (size_t i = 0; i < from->cap; i++) {
        if (!from->keys[i]) continue;
        uint64_t k = from->keys[i] - 1;
        if (pairs_add(t, map[k >> 32], (uint32_t)k, from->counts[i])) return RC_ENOMEM;
    }
    return RC_OK;
}

/* Add from's counts to into's (the same shape and keys, else RC_EINVAL). */
static rc_status part_add(part_counts *into, const part_counts *from) {
    if (memcmp(&into->shape, &from->shape, sizeof into->shape) || into->nkeys != from->nkeys)
        return RC_EINVAL;
    into->docs += from->docs;
    into->valued += from->valued;
    into->n_ctx += from->n_ctx;
    uint32_t *map = NULL; /* timeline: from's label ids in into */
    rc_status rc = RC_OK;
    if (from->labels.n && !(map = rc_malloc(into->alc, from->labels.n * sizeof *map)))
        return RC_ENOMEM;
    for (size_t id = 0; rc == RC_OK && id < from->labels.n; id++) {
        size_t len;
        const char *label = rc_entity_name(&from->labels, (uint32_t)id, &len);
        rc = rc_entities_intern(&into->labels, label, len, RC_MISC, 0, &map[id]);
    }
    if (rc == RC_OK) rc = pairs_add_mapped(&into->keyed, &from->keyed, map);
    if (rc == RC_OK) rc = pairs_add_mapped(&into->both, &from->both, map);
    if (rc == RC_OK) rc = pairs_add_mapped(&into->value, &from->value, map);
    rc_free(into->alc, map);
    for (uint32_t d = 0; rc == RC_OK && into->by_dist && d <= into->shape.window; d++)
        rc = pairs_add_all(&into->by_dist[d], &from->by_dist[d]);
    return rc;
}

/* The keymap of `whole` for q, key_of indexed by part's ids. */
static rc_status part_keymap(const rc_corpus *part, const rc_corpus *whole, const rc_query *q,
                             keymap *km, rc_error *err) {
    rc_status rc = keymap_build(whole, q, km, err);
    if (rc) return rc;
    const rc_entities *own = q->terms ? &part->terms : &part->ents;
    size_t n = own->n ? own->n : 1;
    uint32_t *key_of = rc_malloc(whole->alc, n * sizeof *key_of);
    km->names_id = rc_malloc(whole->alc, n * sizeof *km->names_id);
    if (!key_of || !km->names_id) {
        rc_free(whole->alc, key_of);
        keymap_free(whole, km);
        return RC_ENOMEM;
    }
    for (size_t id = 0; id < own->n; id++) {
        size_t len;
        const char *name = rc_entity_name(own, (uint32_t)id, &len);
        uint32_t w = rc_entities_find(km->vocab, name, len, (rc_etype)own->v[id].type);
        km->names_id[id] = w; /* every part's entity is in whole's tallies */
        key_of[id] = w == UINT32_MAX ? NO_KEY : km->key_of[w];
    }
    rc_free(whole->alc, km->key_of);
    km->key_of = key_of;
    return RC_OK;
}

static rc_status part_refused(const char *what, rc_error *err) {
    return rc_error_set(err, RC_EINVAL, 0, "%s: not counted in parts", what);
}

/* Whether counts of shape sh go by group (period, or metadata value). */
static int by_groups(const part_shape *sh) {
    return sh->what == RC_PART_TIMELINE || sh->grouped;
}

/* A timeline's or a grouped count's counts of part's documents into p
** (see above): the labels of part's groups interned in p's. */
static rc_status part_groups(const rc_corpus *part, const rc_query *q, const keymap *km,
                             part_counts *p) {
    period_set per;
    rc_status rc = periods_build(part, km, q->by, p->shape.grouped ? q->by_meta : NULL, &per);
    uint32_t *label = NULL; /* per group: its label's id in p */
    uint64_t *count = NULL;
    pair_table ment = {part->alc, NULL, NULL, 0, 0}, docs = ment;
    if (rc == RC_OK && !(label = rc_malloc(part->alc, (per.n ? per.n : 1) * sizeof *label)))
        rc = RC_ENOMEM;
    for (size_t g = 0; rc == RC_OK && g < per.n; g++)
        if ((rc = rc_entities_intern(&p->labels, per.labels[g], strlen(per.labels[g]) + 1,
                                     RC_MISC, 0, &label[g])) == RC_OK &&
            pairs_add(&p->keyed, label[g], 0, per.docs[g]))
            rc = RC_ENOMEM;
    if (rc == RC_OK && p->shape.what == RC_PART_TIMELINE && p->shape.entities == 2) {
        uint32_t ka = named_key(km->names, q, km, q->entities[0]);
        uint32_t kb = named_key(km->names, q, km, q->entities[1]);
        if (!(count = rc_malloc(part->alc, (per.n ? per.n : 1) * sizeof *count))) rc = RC_ENOMEM;
        if (rc == RC_OK) memset(count, 0, (per.n ? per.n : 1) * sizeof *count);
        if (rc == RC_OK) rc = pair_contexts(part, q, km, &per, ka, kb, count);
        for (size_t g = 0; rc == RC_OK && g < per.n; g++)
            if (count[g] && pairs_add(&p->keyed, label[g], 1, count[g])) rc = RC_ENOMEM;
    } else if (rc == RC_OK && (rc = group_count(part, km, &per, &ment, &docs)) == RC_OK) {
        for (size_t i = 0; rc == RC_OK && i < ment.cap; i++) {
            if (!ment.keys[i]) continue;
            uint64_t k = ment.keys[i] - 1;
            uint32_t g = (uint32_t)(k >> 32), key = (uint32_t)k;
            if (pairs_add(&p->both, label[g], key, ment.counts[i]) ||
                pairs_add(&p->value, label[g], key, pairs_get(&docs, g, key)))
                rc = RC_ENOMEM;
        }
    }
    pairs_free(&ment);
    pairs_free(&docs);
    rc_free(part->alc, count);
    rc_free(part->alc, label);
    periods_free(part, &per);
    return rc;
}

/* A part's pairs, every one of them (the query's --top and
** --min-count are the whole's to apply), a row at a time into A's tables. */
static rc_status part_rows_count(const rc_corpus *part, const rc_query *q, const keymap *km,
                                 acc *A) {
    rc_query all = *q;
    all.top = all.min_count = 0;
    all.sort = RC_SORT_COUNT;
    return cooc_by_rows(part, &all, km, A, NULL);
}

/* Count q over the documents of part into p (keys of whole). */
static rc_status part_count(const rc_corpus *part, const rc_corpus *whole, rc_part_query what,
                            const rc_query *q, part_counts *p, rc_error *err) {
    char gp[17], gw[17];
    rc_gazetteer_hash(part->g, gp);
    rc_gazetteer_hash(whole->g, gw);
    if (memcmp(gp, gw, 16) || part->opts.keep_terms != whole->opts.keep_terms)
        return rc_error_set(err, RC_EINVAL, 0,
                            "a part and the whole corpus need the same gazetteer and terms");
    if (part->opts.lean || part->opts.term_tallies) return part_refused("a lean corpus", err);
    if (what == RC_PART_COUNT && q->grouped && q->terms)
        return terms_refused("count --by or --by-meta", err);
    if (what == RC_PART_TIMELINE && (q->terms || entities_named(q) > 2))
        return rc_error_set(err, RC_EINVAL, 0,
                            q->terms ? "--terms counts words: timeline is for entities"
                                     : "timeline takes at most two entities (a pair)");
    if (what == RC_PART_COOCCUR && q->count == RC_COUNT_WEIGHTED &&
        q->context != RC_CTX_WINDOW)
        return rc_error_set(err, RC_EINVAL, 0,
                            "weighted counts need a window context (--context window:N)");
    keymap km;
    rc_status rc = part_keymap(part, whole, q, &km, err);
    if (rc) return rc;
    part_shape sh = shape_of(what, q);
    size_t nkeys = km.vocab->n, n = nkeys ? nkeys : 1;
    count_row *rows = NULL;
    acc A;
    memset(&A, 0, sizeof A); /* freed whatever happens */
    rc = part_counts_init(p, part->alc, &sh, nkeys);
    if (rc == RC_OK && by_groups(&sh)) {
        rc = part_groups(part, q, &km, p);
    } else if (rc == RC_OK && what == RC_PART_COUNT) {
        rows = rc_malloc(part->alc, n * sizeof *rows);
        rc = rows ? count_keys(part, &km, rows, err) : RC_ENOMEM;
        if (rc == RC_OK) rc = part_counts_take(p, rows, NULL);
    } else if (rc == RC_OK && (rc = acc_init(&A, part->alc, q, nkeys)) == RC_OK) {
        rc = q->source_col ? count_sources(part, q, &km, &A, &p->valued, err)
                           : part_rows_count(part, q, &km, &A);
        if (rc == RC_OK) rc = part_counts_take(p, NULL, &A);
    }
    acc_free(&A, q);
    rc_free(part->alc, rows);
    p->docs = part->ndocs;
    keymap_free(whole, &km);
    if (rc) part_counts_free(p);
    return rc;
}

/* MARK: Packed counts */

static void pack_pairs(packer *pk, const pair_table *t) {
    put_u32(pk, (uint32_t)t->n);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i]) continue;
        uint64_t k = t->keys[i] - 1;
        put_u32(pk, (uint32_t)(k >> 32));
        put_u32(pk, (uint32_t)k);
        put_u64(pk, t->counts[i]);
    }
}

/* The keys of column col (0 or 1) of a keyed table, with their counts;
** count rows (what: RC_PART_COUNT) carry their documents too. */
static void pack_keyed(packer *pk, const pair_table *t, uint32_t col, int with_docs) {
    uint32_t n = 0;
    for (size_t i = 0; i < t->cap; i++) n += t->keys[i] && (uint32_t)(t->keys[i] - 1) == col;
    put_u32(pk, n);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i] || (uint32_t)(t->keys[i] - 1) != col) continue;
        uint32_t k = (uint32_t)((t->keys[i] - 1) >> 32);
        put_u32(pk, k);
        put_u64(pk, t->counts[i]);
        if (with_docs) put_u64(pk, pairs_get(t, k, 1));
    }
}

static rc_status part_pack(const part_counts *p, unsigned char **out, size_t *len) {
    packer pk = {0};
    put_bytes(&pk, "RCPC", 4);
    put_u32(&pk, PART_VERSION);
    const uint32_t *sh = &p->shape.what;
    for (size_t i = 0; i < sizeof p->shape / sizeof *sh; i++) put_u32(&pk, sh[i]);
    put_u64(&pk, p->nkeys);
    put_u64(&pk, p->docs);
    put_u64(&pk, p->valued);
    if (by_groups(&p->shape)) {
        put_u32(&pk, (uint32_t)p->labels.n);
        for (size_t id = 0; id < p->labels.n; id++) {
            size_t len;
            const char *label = rc_entity_name(&p->labels, (uint32_t)id, &len);
            put_text(&pk, label, len);
        }
        pack_keyed(&pk, &p->keyed, 0, 0);
        pack_keyed(&pk, &p->keyed, 1, 0);
        pack_pairs(&pk, &p->both);
        pack_pairs(&pk, &p->value);
    } else if (p->shape.what == RC_PART_COUNT) {
        pack_keyed(&pk, &p->keyed, 0, 1);
    } else {
        put_u64(&pk, p->n_ctx);
        pack_keyed(&pk, &p->keyed, 0, 0);
        pack_keyed(&pk, &p->keyed, 1, 0);
        pack_pairs(&pk, &p->both);
        pack_pairs(&pk, &p->value);
        for (uint32_t d = 0; p->by_dist && d <= p->shape.window; d++)
            pack_pairs(&pk, &p->by_dist[d]);
    }
    if (pk.failed) {
        free(pk.v);
        return RC_ENOMEM;
    }
    *out = pk.v;
    *len = pk.n;
    return RC_OK;
}

/* A count read, or damage (RC_EPARSE). */
static int count_ok(const unpacker *u, uint64_t count) {
    return !u->bad && count <= PART_COUNT_MAX;
}

/* Pairs (a < na, b < nb) into t. */
static rc_status unpack_pairs(unpacker *u, pair_table *t, uint64_t na, uint64_t nb) {
    uint32_t n = get_u32(u);
    if (u->bad || n > u->n / 16) return RC_EPARSE;
    if (pairs_reserve(t, n)) return RC_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = get_u32(u), b = get_u32(u);
        uint64_t count = get_u64(u);
        if (!count_ok(u, count) || a >= na || b >= nb) return RC_EPARSE;
        (void)pairs_add(t, a, b, count);
    }
    return RC_OK;
}

/* Keys of column col into a keyed table (count rows: with documents). */
static rc_status unpack_keyed(unpacker *u, pair_table *t, uint64_t nkeys, uint32_t col,
                              int with_docs) {
    uint32_t n = get_u32(u);
    if (u->bad || n > u->n / 12) return RC_EPARSE;
    if (pairs_reserve(t, (size_t)n * (with_docs ? 2 : 1))) return RC_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = get_u32(u);
        uint64_t count = get_u64(u), docs = with_docs ? get_u64(u) : 0;
        if (!count_ok(u, count) || !count_ok(u, docs) || k >= nkeys) return RC_EPARSE;
        (void)pairs_add(t, k, col, count);
        if (with_docs) (void)pairs_add(t, k, 1, docs);
    }
    return RC_OK;
}

/* Packed counts into p (set up here; free it whatever the outcome);
** RC_EPARSE for a foreign or damaged buffer. */
static rc_status part_unpack(const rc_allocator *alc, const unsigned char *data, size_t len,
                             part_counts *p) {
    memset(p, 0, sizeof *p);
    unpacker u = {data, len, 0, 0};
    if (len < 8 || memcmp(data, "RCPC", 4)) return RC_EPARSE;
    u.pos = 4;
    if (get_u32(&u) != PART_VERSION) return RC_EPARSE;
    part_shape sh;
    uint32_t *f = &sh.what;
    for (size_t i = 0; i < sizeof sh / sizeof *f; i++) f[i] = get_u32(&u);
    uint64_t nkeys = get_u64(&u), docs = get_u64(&u), valued = get_u64(&u);
    if (u.bad || sh.what > RC_PART_TIMELINE || sh.count > RC_COUNT_WEIGHTED ||
        (sh.count == RC_COUNT_WEIGHTED && (sh.window == 0 || sh.window > u.n)) ||
        nkeys > UINT32_MAX || docs > PART_COUNT_MAX || valued > PART_COUNT_MAX)
        return RC_EPARSE;
    rc_status rc = part_counts_init(p, alc, &sh, nkeys);
    if (rc) return rc;
    p->docs = docs;
    p->valued = valued;
    if (by_groups(&sh)) {
        uint32_t nl = get_u32(&u);
        if (u.bad || nl > u.n / 4) return RC_EPARSE;
        for (uint32_t i = 0; rc == RC_OK && i < nl; i++) {
            size_t len;
            const char *label = get_text(&u, &len);
            uint32_t id;
            if (u.bad || !len || label[len - 1] || memchr(label, 0, len - 1)) return RC_EPARSE;
            rc = rc_entities_intern(&p->labels, label, len, RC_MISC, 0, &id);
            if (rc == RC_OK && id != i) return RC_EPARSE; /* a label twice */
        }
        if (rc == RC_OK && !(rc = unpack_keyed(&u, &p->keyed, nl, 0, 0)) &&
            !(rc = unpack_keyed(&u, &p->keyed, nl, 1, 0)) &&
            !(rc = unpack_pairs(&u, &p->both, nl, nkeys)))
            rc = unpack_pairs(&u, &p->value, nl, nkeys);
    } else if (sh.what == RC_PART_COUNT) {
        rc = unpack_keyed(&u, &p->keyed, nkeys, 0, 1);
    } else {
        p->n_ctx = get_u64(&u);
        if (!count_ok(&u, p->n_ctx)) return RC_EPARSE;
        if ((rc = unpack_keyed(&u, &p->keyed, nkeys, 0, 0)) ||
            (rc = unpack_keyed(&u, &p->keyed, nkeys, 1, 0)) ||
            (rc = unpack_pairs(&u, &p->both, nkeys, nkeys)) ||
            (rc = unpack_pairs(&u, &p->value, nkeys, nkeys)))
            return rc;
        for (uint32_t d = 0; p->by_dist && d <= sh.window; d++)
            if ((rc = unpack_pairs(&u, &p->by_dist[d], nkeys, nkeys))) return rc;
    }
    if (rc) return rc;
    return u.bad || u.pos != u.n ? RC_EPARSE : RC_OK;
}

/* MARK: Public */

static rc_status counts_refused(rc_error *err) {
    return rc_error_set(err, RC_EPARSE, 0, "truncated, damaged or foreign part counts");
}

rc_status rc_corpus_part_counts(const rc_corpus *part, const rc_corpus *whole,
                                rc_part_query what, const rc_query *q, unsigned char **out,
                                size_t *len, rc_error *err) {
    part_counts p;
    rc_status rc = part_count(part, whole, what, q, &p, err);
    if (rc) return rc;
    rc = part_pack(&p, out, len);
    part_counts_free(&p);
    return rc;
}

rc_status rc_part_counts_sum(const unsigned char *const *counts, const size_t *lens, size_t n,
                             unsigned char **out, size_t *len, rc_error *err) {
    if (!n) return rc_error_set(err, RC_EINVAL, 0, "no part counts to sum");
    part_counts sum, one;
    rc_status rc = part_unpack(NULL, counts[0], lens[0], &sum);
    for (size_t i = 1; rc == RC_OK && i < n; i++) {
        rc = part_unpack(NULL, counts[i], lens[i], &one);
        if (rc == RC_OK) rc = part_add(&sum, &one);
        part_counts_free(&one);
    }
    if (rc == RC_OK) rc = part_pack(&sum, out, len);
    part_counts_free(&sum);
    if (rc == RC_EPARSE) return counts_refused(err);
    if (rc == RC_EINVAL)
        return rc_error_set(err, rc, 0, "part counts of different queries or corpora");
    return rc;
}

/* The dense count rows of p (nkeys of them). */
static count_row *part_rows(const part_counts *p) {
    size_t n = p->nkeys ? (size_t)p->nkeys : 1;
    count_row *rows = rc_malloc(p->alc, n * sizeof *rows);
    if (!rows) return NULL;
    for (size_t k = 0; k < p->nkeys; k++) rows[k] = (count_row){(uint32_t)k, 0, 0, 0};
    for (size_t i = 0; i < p->keyed.cap; i++) {
        if (!p->keyed.keys[i]) continue;
        uint64_t key = p->keyed.keys[i] - 1;
        count_row *r = &rows[key >> 32];
        if ((uint32_t)key) r->documents = p->keyed.counts[i];
        else r->mentions = p->keyed.counts[i];
    }
    return rows;
}

/* p's counts as a dense acc for q (made here: acc_free it); p's tables
** move to it. */
static rc_status part_acc(part_counts *p, const rc_query *q, acc *A) {
    rc_status rc = acc_init(A, p->alc, q, (size_t)p->nkeys);
    if (rc) return rc;
    A->n_ctx = p->n_ctx;
    for (size_t i = 0; i < p->keyed.cap; i++) {
        if (!p->keyed.keys[i]) continue;
        uint64_t key = p->keyed.keys[i] - 1;
        uint64_t *to = (uint32_t)key ? A->src_count : A->ctx_count;
        if (to) to[key >> 32] = p->keyed.counts[i];
    }
    pairs_free(&A->both);
    pairs_free(&A->value);
    A->both = p->both;
    A->value = p->value;
    p->both = p->value = (pair_table){p->alc, NULL, NULL, 0, 0};
    for (uint32_t d = 0; A->by_dist && p->by_dist && d <= q->window; d++) {
        pairs_free(&A->by_dist[d]);
        A->by_dist[d] = p->by_dist[d];
        p->by_dist[d] = (pair_table){p->alc, NULL, NULL, 0, 0};
    }
    return RC_OK;
}

/* A timeline's or a grouped count's table of p's counts, on whole (km
** its keymap). */
static rc_status groups_table(const rc_corpus *whole, const rc_query *q, const keymap *km,
                              const part_counts *p, rc_table **out) {
    const rc_allocator *alc = whole->alc;
    size_t nl = p->labels.n, n = nl ? nl : 1;
    period_set per;
    memset(&per, 0, sizeof per);
    per.by = q->by;
    rc_entities_init(&per.names, alc);
    uint64_t *docs = rc_malloc(alc, n * sizeof *docs), *count = rc_malloc(alc, n * sizeof *count);
    rc_status rc = docs && count ? RC_OK : RC_ENOMEM;
    for (size_t id = 0; rc == RC_OK && id < nl; id++) {
        size_t len;
        const char *label = rc_entity_name(&p->labels, (uint32_t)id, &len);
        uint32_t same;
        rc = rc_entities_intern(&per.names, label, len, RC_MISC, 0, &same);
        docs[id] = pairs_get(&p->keyed, (uint32_t)id, 0);
    }
    if (rc == RC_OK) rc = periods_finish(alc, &per, docs);
    pair_table ment = {alc, NULL, NULL, 0, 0}, mdocs = ment;
    if (rc == RC_OK && p->shape.what == RC_PART_TIMELINE && p->shape.entities == 2) {
        for (size_t id = 0; id < nl; id++)
            count[per.group_of[id]] = pairs_get(&p->keyed, (uint32_t)id, 1);
        rc = pair_periods(whole, &per, named_key(whole, q, km, q->entities[0]),
                          named_key(whole, q, km, q->entities[1]), count, out);
    } else if (rc == RC_OK) {
        for (size_t i = 0; rc == RC_OK && i < p->both.cap; i++) {
            if (!p->both.keys[i]) continue;
            uint64_t k = p->both.keys[i] - 1;
            uint32_t g = per.group_of[k >> 32], key = (uint32_t)k;
            if (pairs_add(&ment, g, key, p->both.counts[i]) ||
                pairs_add(&mdocs, g, key, pairs_get(&p->value, (uint32_t)(k >> 32), key)))
                rc = RC_ENOMEM;
        }
        char col[128];
        group_column(q, col, sizeof col);
        int timeline = p->shape.what == RC_PART_TIMELINE;
        if (rc == RC_OK)
            rc = group_table(whole, q, km, &per, &ment, &mdocs, timeline ? "period" : col,
                             timeline, out);
    }
    pairs_free(&ment);
    pairs_free(&mdocs);
    rc_free(alc, docs);
    rc_free(alc, count);
    periods_free(whole, &per);
    return rc;
}

rc_status rc_corpus_part_table(const rc_corpus *whole, rc_part_query what, const rc_query *q,
                               const unsigned char *counts, size_t len, rc_table **out,
                               rc_error *err) {
    *out = NULL;
    part_counts p;
    rc_status rc = part_unpack(whole->alc, counts, len, &p);
    if (rc) {
        part_counts_free(&p);
        return rc == RC_EPARSE ? counts_refused(err) : rc;
    }
    part_shape sh = shape_of(what, q);
    keymap km;
    if ((rc = keymap_build(whole, q, &km, err))) {
        part_counts_free(&p);
        return rc;
    }
    if (memcmp(&sh, &p.shape, sizeof sh) || p.nkeys != km.vocab->n) {
        rc = rc_error_set(err, RC_EINVAL, 0,
                          "the part counts were made for another query or corpus");
    } else if (by_groups(&sh)) {
        rc = groups_table(whole, q, &km, &p, out);
    } else if (what == RC_PART_COUNT) {
        count_row *rows = part_rows(&p);
        rc = rows ? count_table(whole, q, &km, rows, out) : RC_ENOMEM;
        rc_free(whole->alc, rows);
    } else if (!q->source_col || !(rc = sources_refused(q, p.docs, p.valued, err))) {
        acc A;
        if ((rc = part_acc(&p, q, &A)) == RC_OK) {
            cooc_result res = {NULL, NULL, 0};
            rc = cooc_rows(whole, q, &km, &A, &res);
            if (rc == RC_OK) rc = cooc_table(whole, q, &km, &res, out);
            result_free(whole->alc, &res);
        }
        acc_free(&A, q);
    }
    keymap_free(whole, &km);
    part_counts_free(&p);
    return rc;
}

rc_status rc_corpus_part_kwic(const rc_corpus *part, const rc_corpus *whole, const rc_query *q,
                              int char_offsets, rc_table **out, rc_error *err) {
    *out = NULL;
    keymap km;
    rc_status rc = kwic_refused(part, q, err);
    if (rc == RC_OK && (rc = part_keymap(part, whole, q, &km, err)) == RC_OK) {
        rc = kwic_rows(part, q, &km, char_offsets, out, err);
        keymap_free(whole, &km);
    }
    return rc;
}

rc_status rc_corpus_part_mentions(const rc_corpus *part, const rc_corpus *whole,
                                  int char_offsets, rc_table **out, rc_error *err) {
    static const rc_query all; /* entity level, every type */
    *out = NULL;
    if (part->opts.lean) return part_refused("a lean corpus", err);
    keymap km;
    rc_status rc = part_keymap(part, whole, &all, &km, err);
    if (rc) return rc;
    for (size_t id = 0; rc == RC_OK && id < part->ents.n; id++)
        if (km.names_id[id] == UINT32_MAX)
            rc = rc_error_set(err, RC_EINVAL, 0,
                              "the whole corpus's tallies miss an entity of this part");
    if (rc == RC_OK) rc = mention_rows(part, &km, char_offsets, out);
    keymap_free(whole, &km);
    return rc;
}
