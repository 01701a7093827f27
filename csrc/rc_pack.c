/*
** rc_pack.c -- an analysed corpus as bytes and back, so that the analysis
** of one part of a corpus can travel between processes (Dask workers) and
** be appended to another corpus exactly as rc_corpus_append would.
**
** Format (version 1), every integer a little-endian uint32 unless said:
**   "RCPK", version, gazetteer hash (16 bytes), keep_terms,
**   entities: n, then per entity type, country, name (length + bytes);
**   terms: n, then per term its text (length + bytes);
**   documents: n, then per document its id, dateline (length + bytes),
**     nmeta and key, value pairs, year (int32), month, day, precision,
**     paragraphs, tokens, then its mentions (n; start, end, cstart, cend,
**     tok, sentence, paragraph, entity, country, type, rule, surface
**     text), sentences (n; start, end, cstart, cend, has_text, text) and
**     term occurrences (n; term, tok, sentence, paragraph).
** Entity and term ids index the packed tables; unpacking maps them into
** the receiving corpus's.  A truncated or foreign buffer is refused, never
** read past its end.
**
** A corpus's tallies alone (relcore.dask: what every part's queries need
** of the whole corpus, rc_query.c's keymap), format "RCTL", version 1:
**   gazetteer hash (16 bytes), keep_terms, the entity and term tables as
**   above, each packed entity's mentions (uint64: low, high word), then
**   votes: n, then per vote entity, country code, count (uint64).
** Unpacking adds them to the receiving corpus's (its tables grow).
*/
#include <stdio.h>
#include <stdlib.h>

#include "rc_bytes.h"
#include "rc_corpus.h"

#define PACK_VERSION 1
#define TALLY_VERSION 1

/* MARK: - Writing -------------------------------------------------------------- */

/* Both formats begin alike: magic, version, the gazetteer's hash and
** keep_terms (28 bytes). */
static void put_header(packer *p, const char *magic, uint32_t version, const rc_corpus *c) {
    char hash[17];
    rc_gazetteer_hash(c->g, hash);
    put_bytes(p, magic, 4);
    put_u32(p, version);
    put_bytes(p, hash, 16);
    put_u32(p, (uint32_t)c->opts.keep_terms);
}

static void pack_table(packer *p, const rc_entities *t, int typed) {
    put_u32(p, (uint32_t)t->n);
    for (size_t id = 0; id < t->n; id++) {
        size_t len;
        const char *name = rc_entity_name(t, (uint32_t)id, &len);
        if (typed) {
            put_u32(p, t->v[id].type);
            put_u32(p, t->v[id].country);
        }
        put_text(p, name, len);
    }
}

static void pack_doc(packer *p, const rc_corpus *c, const cdoc *d) {
    const char *id = c->strs + d->id_off;
    put_text(p, id, strlen(id));
    put_text(p, c->strs + d->dateline_off, d->dateline_len);
    put_u32(p, d->nmeta);
    const char *s = c->strs + d->meta_off;
    for (uint32_t i = 0; i < 2 * d->nmeta; i++) {
        put_text(p, s, strlen(s));
        s += strlen(s) + 1;
    }
    uint32_t date[] = {(uint32_t)(int32_t)d->date.year, d->date.month, d->date.day,
                       d->date.precision, d->npara, d->ntok, d->nm};
    for (size_t k = 0; k < 7; k++) put_u32(p, date[k]);
    for (uint32_t i = 0; i < d->nm; i++) {
        const cmention *cm = &c->m[d->m_begin + i];
        const rc_mention *m = &cm->m;
        uint32_t f[] = {m->start, m->end, m->cstart, m->cend, m->tok, m->sentence,
                        m->paragraph, m->entity, m->country, m->type, m->rule};
        for (size_t k = 0; k < 11; k++) put_u32(p, f[k]);
        put_text(p, c->strs + cm->text_off, m->end - m->start);
    }
    put_u32(p, d->nsent);
    for (uint32_t i = 0; i < d->nsent; i++) {
        const csent *cs = &c->sents[d->s_begin + i];
        uint32_t f[] = {cs->start, cs->end, cs->cstart, cs->cend, cs->text_off != UINT64_MAX};
        for (size_t k = 0; k < 5; k++) put_u32(p, f[k]);
        if (f[4]) put_text(p, c->strs + cs->text_off, cs->end - cs->start);
    }
    put_u32(p, d->nt);
    for (uint32_t i = 0; i < d->nt; i++) {
        const cterm *t = &c->t[d->t_begin + i];
        put_u32(p, t->term);
        put_u32(p, t->tok);
        put_u32(p, t->sentence);
        put_u32(p, t->paragraph);
    }
}

rc_status rc_corpus_pack(const rc_corpus *c, unsigned char **out, size_t *len) {
    if (c->opts.lean) return RC_EINVAL; /* no texts to pack */
    packer p = {0};
    put_header(&p, "RCPK", PACK_VERSION, c);
    pack_table(&p, &c->ents, 1);
    pack_table(&p, &c->terms, 0);
    put_u32(&p, (uint32_t)c->ndocs);
    for (size_t d = 0; d < c->ndocs; d++) pack_doc(&p, c, &c->docs[d]);
    if (p.failed) {
        free(p.v);
        return RC_ENOMEM;
    }
    *out = p.v;
    *len = p.n;
    return RC_OK;
}

/* MARK: - Reading -------------------------------------------------------------- */

/* Check a header against c (what: "corpus" or "tallies", for messages);
** RC_OK with u past it. */
static rc_status check_header(unpacker *u, const char *magic, uint32_t version,
                              const char *what, const rc_corpus *c, rc_error *err) {
    char hash[17];
    rc_gazetteer_hash(c->g, hash);
    if (u->n < 28 || memcmp(u->v, magic, 4))
        return rc_error_set(err, RC_EPARSE, 0, "not packed relcore %s", what);
    u->pos = 4;
    uint32_t v = get_u32(u);
    if (v != version)
        return rc_error_set(err, RC_EPARSE, 0,
                            "packed %s of version %u; this relcore reads version %u", what, v,
                            version);
    if (memcmp(u->v + 8, hash, 16))
        return rc_error_set(err, RC_EINVAL, 0, "the packed %s comes from another gazetteer",
                            what);
    u->pos = 24;
    if (get_u32(u) != (uint32_t)c->opts.keep_terms)
        return rc_error_set(err, RC_EINVAL, 0, "the packed %s %s terms and this corpus %s",
                            what, c->opts.keep_terms ? "keeps no" : "keeps",
                            c->opts.keep_terms ? "does" : "does not");
    return RC_OK;
}

/* Read a packed name table, interning each name into t; map[i] is the
** receiving id of packed id i. */
static rc_status unpack_table(unpacker *u, rc_entities *t, int typed, uint32_t **map,
                              uint32_t *n) {
    *n = get_u32(u);
    if (u->bad || *n > u->n / 4) return RC_EPARSE;
    *map = malloc((*n ? *n : 1) * sizeof **map);
    if (!*map) return RC_ENOMEM;
    for (uint32_t i = 0; i < *n; i++) {
        uint32_t type = typed ? get_u32(u) : RC_MISC, country = typed ? get_u32(u) : 0;
        size_t len;
        const char *name = get_text(u, &len);
        if (u->bad || type >= RC_ETYPE_COUNT) return RC_EPARSE;
        rc_status rc = rc_entities_intern(t, name, len, (rc_etype)type, country, &(*map)[i]);
        if (rc) return rc;
    }
    return RC_OK;
}

/* A document's name-terminated strings need NUL-terminated copies. */
static char *dup_text(const char *s, size_t len) {
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

typedef struct maps {
    const uint32_t *ent, *term;
    uint32_t nent, nterm;
} maps;

static rc_status unpack_parts(unpacker *u, rc_corpus *c, const maps *mp, uint32_t nm) {
    rc_status rc = RC_OK;
    for (uint32_t i = 0; rc == RC_OK && i < nm; i++) {
        uint32_t f[11];
        for (size_t k = 0; k < 11; k++) f[k] = get_u32(u);
        size_t len;
        const char *text = get_text(u, &len);
        if (u->bad || f[7] >= mp->nent || f[9] >= RC_ETYPE_COUNT || f[10] >= RC_RULE_COUNT)
            return RC_EPARSE;
        rc_mention m = {f[0], f[1], f[2], f[3], f[4], f[5], f[6], mp->ent[f[7]], f[8],
                        (uint8_t)f[9], (uint8_t)f[10]};
        rc = rc_corpus_put_mention(c, &m, text, len);
    }
    uint32_t ns = get_u32(u);
    for (uint32_t i = 0; rc == RC_OK && i < ns && !u->bad; i++) {
        uint32_t f[5];
        for (size_t k = 0; k < 5; k++) f[k] = get_u32(u);
        size_t len = 0;
        const char *text = f[4] ? get_text(u, &len) : NULL;
        csent cs = {f[0], f[1], f[2], f[3], UINT64_MAX};
        if (!u->bad) rc = rc_corpus_put_sentence(c, &cs, text, len);
    }
    uint32_t nt = get_u32(u);
    for (uint32_t i = 0; rc == RC_OK && i < nt && !u->bad; i++) {
        cterm t = {get_u32(u), get_u32(u), get_u32(u), get_u32(u)};
        if (t.term >= mp->nterm) return RC_EPARSE;
        t.term = mp->term[t.term];
        rc = rc_corpus_put_term(c, &t);
    }
    return u->bad ? RC_EPARSE : rc;
}

static rc_status unpack_doc(unpacker *u, rc_corpus *c, const maps *mp) {
    size_t idl, dll;
    const char *id = get_text(u, &idl), *dl = get_text(u, &dll);
    uint32_t nmeta = get_u32(u);
    if (u->bad || nmeta > u->n / 8) return RC_EPARSE;
    char *idz = dup_text(id, idl);
    rc_meta *meta = calloc(nmeta ? nmeta : 1, sizeof *meta);
    rc_status rc = idz && meta ? RC_OK : RC_ENOMEM;
    for (uint32_t i = 0; rc == RC_OK && i < nmeta; i++) {
        size_t kl, vl;
        const char *k = get_text(u, &kl), *v = get_text(u, &vl);
        meta[i].key = dup_text(k, kl);
        meta[i].value = dup_text(v, vl);
        if (!meta[i].key || !meta[i].value) rc = RC_ENOMEM;
    }
    uint32_t f[7];
    for (size_t k = 0; k < 7; k++) f[k] = get_u32(u);
    if (rc == RC_OK && u->bad) rc = RC_EPARSE;
    cdoc_build b;
    int begun = 0;
    if (rc == RC_OK) {
        rc_date date = {(int16_t)(int32_t)f[0], (uint8_t)f[1], (uint8_t)f[2], (uint8_t)f[3]};
        rc = rc_corpus_doc_begin(c, &b, idz, dl, dll, meta, nmeta, date, f[4], f[5]);
        begun = 1;
    }
    if (rc == RC_OK) rc = unpack_parts(u, c, mp, f[6]);
    if (rc == RC_OK) rc = rc_corpus_doc_end(c, &b);
    if (rc && begun) rc_corpus_doc_abandon(c, &b);
    for (uint32_t i = 0; meta && i < nmeta; i++) {
        free((char *)meta[i].key);
        free((char *)meta[i].value);
    }
    free(meta);
    free(idz);
    return rc;
}

rc_status rc_corpus_unpack(rc_corpus *c, const unsigned char *data, size_t len,
                           rc_error *err) {
    if (c->opts.lean)
        return rc_error_set(err, RC_EINVAL, 0, "cannot unpack into a lean corpus");
    unpacker u = {data, len, 0, 0};
    rc_status hr = check_header(&u, "RCPK", PACK_VERSION, "corpus", c, err);
    if (hr) return hr;
    uint32_t *ent = NULL, *term = NULL;
    maps mp = {0};
    corpus_mark mark;
    rc_corpus_mark(c, &mark);
    rc_status rc = unpack_table(&u, &c->ents, 1, &ent, &mp.nent);
    if (rc == RC_OK) rc = unpack_table(&u, &c->terms, 0, &term, &mp.nterm);
    mp.ent = ent;
    mp.term = term;
    uint32_t n = rc == RC_OK ? get_u32(&u) : 0;
    for (uint32_t d = 0; rc == RC_OK && d < n; d++) rc = unpack_doc(&u, c, &mp);
    if (rc == RC_OK && u.pos != u.n) rc = RC_EPARSE;
    free(ent);
    free(term);
    if (rc) {
        rc_corpus_rollback(c, &mark); /* documents added before the failure leave */
        return rc == RC_EPARSE ? rc_error_set(err, rc, 0, "a truncated or damaged packed corpus")
                               : rc;
    }
    return RC_OK;
}

/* MARK: - Tallies -------------------------------------------------------------- */


rc_status rc_corpus_pack_tallies(const rc_corpus *c, unsigned char **out, size_t *len) {
    packer p = {0};
    put_header(&p, "RCTL", TALLY_VERSION, c);
    pack_table(&p, &c->ents, 1);
    pack_table(&p, &c->terms, 0);
    for (size_t id = 0; id < c->ents.n; id++)
        put_u64(&p, id < c->ent_mentions_cap ? c->ent_mentions[id] : 0);
    put_u32(&p, (uint32_t)c->votes.n);
    for (size_t j = 0; j < c->votes.cap; j++) {
        if (!c->votes.keys[j]) continue;
        uint64_t k = c->votes.keys[j] - 1;
        put_u32(&p, (uint32_t)(k >> 32));
        put_u32(&p, (uint32_t)k);
        put_u64(&p, c->votes.counts[j]);
    }
    if (p.failed) {
        free(p.v);
        return RC_ENOMEM;
    }
    *out = p.v;
    *len = p.n;
    return RC_OK;
}

/* The packed votes, read whole before any is added. */
typedef struct vote_rec {
    uint32_t entity, code;
    uint64_t n;
} vote_rec;

rc_status rc_corpus_unpack_tallies(rc_corpus *c, const unsigned char *data, size_t len,
                                   rc_error *err) {
    unpacker u = {data, len, 0, 0};
    rc_status hr = check_header(&u, "RCTL", TALLY_VERSION, "tallies", c, err);
    if (hr) return hr;
    uint32_t *ent = NULL, *term = NULL, nent = 0, nterm = 0;
    uint64_t *mentions = NULL;
    vote_rec *votes = NULL;
    rc_status rc = unpack_table(&u, &c->ents, 1, &ent, &nent);
    if (rc == RC_OK) rc = unpack_table(&u, &c->terms, 0, &term, &nterm);
    if (rc == RC_OK && !(mentions = malloc((nent ? nent : 1) * sizeof *mentions))) rc = RC_ENOMEM;
    for (uint32_t i = 0; rc == RC_OK && i < nent; i++) mentions[i] = get_u64(&u);
    uint32_t nv = rc == RC_OK ? get_u32(&u) : 0;
    if (rc == RC_OK && (u.bad || nv > u.n / 16)) rc = RC_EPARSE;
    if (rc == RC_OK && !(votes = malloc((nv ? nv : 1) * sizeof *votes))) rc = RC_ENOMEM;
    for (uint32_t i = 0; rc == RC_OK && i < nv; i++) {
        votes[i].entity = get_u32(&u);
        votes[i].code = get_u32(&u);
        votes[i].n = get_u64(&u);
        if (votes[i].entity >= nent) rc = RC_EPARSE;
    }
    if (rc == RC_OK && (u.bad || u.pos != u.n)) rc = RC_EPARSE;
    if (rc == RC_OK) rc = rc_corpus_tally_reserve(c, nv);
    if (rc == RC_OK) { /* nothing below can fail */
        for (uint32_t i = 0; i < nent; i++) c->ent_mentions[ent[i]] += mentions[i];
        for (uint32_t i = 0; i < nv; i++)
            (void)pairs_add(&c->votes, ent[votes[i].entity], votes[i].code, votes[i].n);
    }
    free(ent);
    free(term);
    free(mentions);
    free(votes);
    if (rc == RC_EPARSE) return rc_error_set(err, rc, 0, "truncated or damaged packed tallies");
    return rc;
}
