/*
** rc_corpus.c -- a corpus analysed once: per document its id, date,
** dateline, metadata, sentence count and mentions; the corpus-wide entity
** table.  Queries (rc_query.c) read it as often as they like.
**
** Storage: documents are a dense array of cdoc (a lean corpus streams
** them instead: below); all their strings (ids, metadata, mention surface
** texts) live in one arena; mentions of all documents are one array,
** each document owning a contiguous run [m_begin, m_begin + nm).  Entity
** ids are the corpus table's: a document's analysis has its own table
** (the gazetteer's plus names it met), and adding the document maps its
** ids into the corpus's.
**
** With opts.keep_terms the corpus also keeps every word token as a term
** occurrence (its lower-cased text interned in `terms`), in one array with
** a contiguous run per document, like the mentions; a lean corpus keeps
** them, like its mentions, as a stream (tspill) of the term id and the one
** position its contexts need.  A corpus for term counts alone
** (opts.term_tallies) keeps not even that: per term its occurrences and
** documents (term_tally), bumped as each document is added (the last
** document holding a term stamps it, so a document counts once), and
** summed by term when a chunk's corpus is appended (--threads).
**
** The facts queries settle corpus-wide (rc_query.c keymap: which name
** a MISC mention folds into, an entity's country) come from tallies kept
** as documents are added: mentions per entity and country votes per
** (entity, country); they grow with distinct entities, not mentions.
**
** A lean corpus (opts.lean: the CLI's counts) keeps per mention only its
** entity and the one position its queries' contexts need (sentence,
** paragraph or token; none for documents) instead of a cmention and its
** surface text in `m`; of sentences only their number; no document ids
** or datelines; and its document records and their metadata not in
** memory but in streams of their own (below).
** A lean terms-only corpus for document contexts does not even split
** sentences: each region of a document (title, body) counts as one, as
** no query it answers can tell.
**
** The mention stream (lean).  Which key a mention counts under is only
** settled after the last document (MISC and surname folding, country
** votes: rc_query.c keymap), and a co-occurrence context must count a
** pair once even when two of its names fold into one key, so the
** mentions themselves, not just per-entity tallies, must be replayed at
** query time; count needs them too (documents per key after folding,
** --since/--until).  They need not be in memory, though: the stream of
** 4 or 8 bytes a mention is appended to a tail in memory, and whenever
** the tail holds a block (RC_SPILL_BLOCK_BYTES) it is written to an
** unlinked temporary file under $TMPDIR (default /tmp), created on the
** first such write.  Queries replay it a document at a time through an
** occ_reader (rc_corpus.h), reading a block of the file at a time.  The
** term stream works alike, in a file of its own.
**
** The document stream (lean).  A lean corpus's document records go the
** same way: each cdoc, verbatim (RC_DOC_WORDS words: fixed-size, so a
** query may start at any document, as term batches do, without an
** index), appended to the tail of a third stream (dspill) and spilled a
** block at a time; its metadata (the pairs of key and value a CSV row
** brings, read by --source-col and --by-meta) go, a length word then the
** bytes, to a fourth (mspill), meta_off being the entry of the length
** word.  The record keeps no id and no dateline (no lean query prints
** one), so nothing goes to the string arena.  Every loop over documents
** reads them through a doc_cursor (rc_corpus.h), which gives c->docs[d]
** for a full corpus and reads the stream back a block at a time for a
** lean one: one code path either way.  The chunk corpora of --threads
** are lean too; they are small enough to keep their streams in the
** tails, and rc_corpus_append copies their records through a cursor.
**
** So a lean corpus's memory grows with distinct entities and terms
** (tallies, tables) and by nothing a document or a mention but the
** streams' tails (a block each); the disk grows by 4 or 8 bytes a
** mention or term occurrence and 88 bytes a document plus its metadata;
** and a corpus of under a block's never touches the disk.  Failing to
** create or write the file is an error (RC_EIO, with errno and the
** directory in the message), never a silent fallback to memory: a corpus
** big enough to spill is one that would have grown memory without bound,
** and TMPDIR is the fix.
**
** A full corpus keeps every sentence's byte and character offsets (the
** text only of sentences with a mention, for kwic); the characters are
** counted in one pass over the document, sentences being in order.
**
** Failure in rc_corpus_add leaves the corpus as it was: the arrays are
** only truncated back to their previous lengths.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rc_corpus.h"
#include "rc_terms.h"

static void spill_init(rc_corpus *c);
static void stream_free(const rc_allocator *alc, occ_stream *s);

/* Terms a terms-only corpus makes room for at once. */
#define TERMS_RESERVE 16384

/* A corpus, with an analyser of its own unless lent_work (then
** documents go in only with one lent, rc_corpus_swap_work). */
static rc_status corpus_make(const rc_gazetteer *g, const rc_analysis_opts *opts,
                             const rc_allocator *alc, int lent_work, rc_corpus **out) {
    *out = NULL;
    rc_corpus *c = rc_malloc(alc, sizeof *c);
    if (!c) return RC_ENOMEM;
    memset(c, 0, sizeof *c);
    c->alc = alc;
    c->g = g;
    c->chunk = lent_work;
    if (opts) c->opts = *opts;
    c->opts.term_tallies = c->opts.term_tallies && c->opts.keep_terms == RC_TERMS_ONLY;
    spill_init(c);
    c->votes.alc = alc;
    rc_entities_init(&c->ents, alc);
    rc_entities_init(&c->terms, alc);
    rc_term_cache_init(&c->term_cache, alc);
    rc_status rc = RC_ENOMEM;
    if (rc_entities_copy(&c->ents, rc_gazetteer_entities(g)) != RC_OK ||
        (!lent_work && (rc = rc_corpus_work_new(c, &c->work)) != RC_OK)) {
        rc_corpus_free(c);
        return rc;
    }
    /* a corpus of terms takes thousands: no grow on the way there (the
    ** chunks of --threads each start one) */
    if (c->opts.keep_terms == RC_TERMS_ONLY &&
        (rc_entities_reserve(&c->terms, TERMS_RESERVE) ||
         rc_term_cache_reserve(&c->term_cache, TERMS_RESERVE))) {
        rc_corpus_free(c);
        return RC_ENOMEM;
    }
    *out = c;
    return RC_OK;
}

rc_status rc_corpus_new(const rc_gazetteer *g, const rc_analysis_opts *opts,
                        const rc_allocator *alc, rc_corpus **out) {
    return corpus_make(g, opts, alc, 0, out);
}

rc_status rc_corpus_new_lent(const rc_gazetteer *g, const rc_analysis_opts *opts,
                             const rc_allocator *alc, rc_corpus **out) {
    return corpus_make(g, opts, alc, 1, out);
}

rc_status rc_corpus_work_new(const rc_corpus *c, rc_docres **out) {
    rc_docres *r;
    if (rc_docres_new(c->g, c->alc, &r) != RC_OK) return RC_ENOMEM;
    if (rc_docres_set_ner(r, c->opts.ner, c->opts.tagger) != RC_OK) {
        rc_docres_free(r);
        return RC_EINVAL;
    }
    /* a lean corpus keeps no mention's offsets: no characters to count */
    r->bytes_only = c->opts.lean != 0;
    /* terms only: no names to find, so no lists for the recognizer */
    r->no_names = c->opts.keep_terms == RC_TERMS_ONLY;
    /* terms counted by document only: no sentences to find */
    r->whole_regions = c->opts.keep_terms == RC_TERMS_ONLY &&
                       c->opts.lean == 1 + (int)RC_CTX_DOCUMENT;
    *out = r;
    return RC_OK;
}

void rc_corpus_swap_work(rc_corpus *c, rc_docres *w) { c->work = w; }

void rc_corpus_free(rc_corpus *c) {
    if (!c) return;
    rc_entities_free(&c->ents);
    rc_entities_free(&c->terms);
    rc_free(c->alc, c->t);
    rc_term_cache_free(&c->term_cache);
    rc_free(c->alc, c->tallies);
    rc_free(c->alc, c->doc_terms);
    rc_docres_free(c->work);
    rc_free(c->alc, c->docs);
    rc_free(c->alc, c->m);
    stream_free(c->alc, &c->spill);
    stream_free(c->alc, &c->tspill);
    stream_free(c->alc, &c->dspill);
    stream_free(c->alc, &c->mspill);
    rc_free(c->alc, c->ent_mentions);
    rc_free(c->alc, c->counted);
    rc_free(c->alc, c->append_ents);
    rc_free(c->alc, c->append_terms);
    rc_free(c->alc, c->ent_map);
    rc_free(c->alc, c->pending);
    pairs_free(&c->votes);
    rc_free(c->alc, c->strs);
    rc_free(c->alc, c->sents);
    rc_free(c->alc, c);
}

size_t rc_corpus_docs(const rc_corpus *c) { return c->ndocs; }

static rc_status put_str(rc_corpus *c, const char *s, size_t len,
                         uint64_t *off) {
    if (rc_grow(c->alc, (void **)&c->strs, &c->strs_cap, c->strs_len + len + 1,
                1))
        return RC_ENOMEM;
    memcpy(c->strs + c->strs_len, s, len);
    c->strs[c->strs_len + len] = '\0';
    *off = c->strs_len;
    c->strs_len += len + 1;
    return RC_OK;
}

/* MARK: - Tallies ------------------------------------------------------------ */

/* A mention of the open document, tallied when the document is added. */
static rc_status pend(rc_corpus *c, uint32_t entity, rc_ccode country) {
    if (rc_grow(c->alc, (void **)&c->pending, &c->pending_cap, c->npending + 1,
                sizeof *c->pending))
        return RC_ENOMEM;
    c->pending[c->npending++] = (tally_item){entity, country};
    return RC_OK;
}

/* Room for `n` entities' mention counts (new ones zero). */
static rc_status tally_room(rc_corpus *c, size_t n) {
    size_t old = c->ent_mentions_cap;
    if (n <= old) return RC_OK;
    if (rc_grow(c->alc, (void **)&c->ent_mentions, &c->ent_mentions_cap, n,
                sizeof *c->ent_mentions))
        return RC_ENOMEM;
    memset(c->ent_mentions + old, 0, (c->ent_mentions_cap - old) * sizeof *c->ent_mentions);
    return RC_OK;
}

rc_status rc_corpus_tally_reserve(rc_corpus *c, size_t votes) {
    return tally_room(c, c->ents.n) || pairs_reserve(&c->votes, votes) ? RC_ENOMEM : RC_OK;
}

/* Add the pending mentions to the tallies: all of them, or on RC_ENOMEM
** none. */
static rc_status tally_pending(rc_corpus *c) {
    size_t nvotes = 0;
    for (size_t i = 0; i < c->npending; i++) nvotes += c->pending[i].country != 0;
    if (tally_room(c, c->ents.n) || pairs_reserve(&c->votes, nvotes) ||
        (c->chunk && rc_grow(c->alc, (void **)&c->counted, &c->counted_cap,
                             c->ncounted + c->npending, sizeof *c->counted)))
        return RC_ENOMEM;
    for (size_t i = 0; i < c->npending; i++) {
        const tally_item *t = &c->pending[i];
        if (c->ent_mentions[t->entity]++ == 0 && c->chunk)
            c->counted[c->ncounted++] = t->entity;
        if (t->country) (void)pairs_add(&c->votes, t->entity, t->country, 1);
    }
    c->npending = 0;
    return RC_OK;
}

/* Add src's tallies to c's, entity ids mapped (rc_corpus_append). */
static rc_status tally_merge(rc_corpus *c, const rc_corpus *src, const uint32_t *ent_map) {
    if (tally_room(c, c->ents.n) || pairs_reserve(&c->votes, src->votes.n))
        return RC_ENOMEM;
    if (src->chunk) {
        for (size_t k = 0; k < src->ncounted; k++) {
            uint32_t id = src->counted[k];
            c->ent_mentions[ent_map[id]] += src->ent_mentions[id];
        }
    } else {
        for (size_t id = 0; id < src->ents.n && id < src->ent_mentions_cap; id++)
            c->ent_mentions[ent_map[id]] += src->ent_mentions[id];
    }
    for (size_t j = 0; j < src->votes.cap; j++) {
        uint64_t k = src->votes.keys[j];
        if (!k) continue;
        k--;
        (void)pairs_add(&c->votes, ent_map[k >> 32], (uint32_t)k, src->votes.counts[j]);
    }
    return RC_OK;
}

/* MARK: - Analysed documents ---------------------------------------------------- */

/* Keep the document's sentences: spans in bytes and characters, and the
** text of those that hold a mention. */
static rc_status keep_sentences(rc_corpus *c, const rc_doc *doc,
                                const rc_docres *r) {
    if (rc_grow(c->alc, (void **)&c->sents, &c->sents_cap,
                c->nsents_kept + r->sents.n, sizeof *c->sents))
        return RC_ENOMEM;
    /* chars: the characters of text[0..pos); sentences are in order and
    ** never overlap, so every byte is counted once */
    size_t pos = 0, chars = 0, k = 0;
    for (size_t i = 0; i < r->sents.n; i++) {
        const rc_sentence *s = &r->sents.v[i];
        csent *cs = &c->sents[c->nsents_kept + i];
        if (RC_NEVER(s->start < pos)) pos = chars = 0;
        chars += rc_utf8_count(doc->text + pos, s->start - pos);
        cs->start = s->start;
        cs->end = s->end;
        cs->cstart = (uint32_t)chars;
        chars += rc_utf8_count(doc->text + s->start, s->end - s->start);
        cs->cend = (uint32_t)chars;
        pos = s->end;
        while (k < r->nm && r->m[k].sentence < i) k++;
        cs->text_off = UINT64_MAX;
        if (k < r->nm && r->m[k].sentence == i) {
            rc_status rc = put_str(c, doc->text + s->start, s->end - s->start,
                                   &cs->text_off);
            if (rc) return rc;
        }
    }
    return RC_OK;
}

/* MARK: - Mapping a document's entity ids ------------------------------------ */

/* A document's entity id -> the corpus's.  Both tables begin with the
** gazetteer's entities, in its order (r is c->work, of c's gazetteer), so
** those ids are the same.  The document's own entities (r->ents past the
** gazetteer's: the names its text added) are interned into c->ents at
** their first mention, once each, so ids come in the order a mention at a
** time would give; c->ent_map keeps them for the later mentions.
** ent_map_open first prefetches the slot each own name will probe: the
** corpus's table outgrows the caches, and a document's names then wait on
** memory together rather than one after another.  Returns the number of
** the gazetteer's entities in *gazetteer. */
static rc_status ent_map_open(rc_corpus *c, const rc_docres *r, size_t *gazetteer) {
    assert(r == c->work);
    size_t gaz = rc_gazetteer_entities(c->g)->n, own = r->ents.n - gaz;
    if (rc_grow(c->alc, (void **)&c->ent_map, &c->ent_map_cap, own, sizeof *c->ent_map))
        return RC_ENOMEM;
    for (size_t k = 0; k < own; k++) {
        c->ent_map[k] = UINT32_MAX;
        rc_entities_prefetch(&c->ents, r->ents.v[gaz + k].tag);
    }
    *gazetteer = gaz;
    return RC_OK;
}

/* The corpus id of the document's entity `id` (r->ents) into *out. */
static rc_status corpus_entity_id(rc_corpus *c, const rc_docres *r, size_t gazetteer,
                                  uint32_t id, uint32_t *out) {
    if (id < gazetteer) {
        *out = id;
        return RC_OK;
    }
    uint32_t *known = &c->ent_map[id - gazetteer];
    if (*known == UINT32_MAX) {
        rc_status rc = rc_entities_intern_from(&c->ents, &r->ents, id, known);
        if (rc) return rc;
    }
    *out = *known;
    return RC_OK;
}

/* The document's mentions in full, ids mapped into c->ents, surface
** texts into the arena (at c->m[c->nm..]; nm is the caller's to bump). */
static rc_status keep_mentions(rc_corpus *c, const rc_doc *doc, const rc_docres *r) {
    rc_status rc;
    if (rc_grow(c->alc, (void **)&c->m, &c->mcap, c->nm + r->nm, sizeof *c->m))
        return RC_ENOMEM;
    size_t gazetteer;
    if ((rc = ent_map_open(c, r, &gazetteer))) return rc;
    for (size_t i = 0; i < r->nm; i++) {
        cmention *cm = &c->m[c->nm + i];
        cm->m = r->m[i];
        if ((rc = corpus_entity_id(c, r, gazetteer, r->m[i].entity, &cm->m.entity)) ||
            (rc = put_str(c, doc->text + r->m[i].start,
                          r->m[i].end - r->m[i].start, &cm->text_off)) ||
            (rc = pend(c, cm->m.entity, cm->m.country)))
            return rc;
    }
    return RC_OK;
}

/* MARK: - The mention stream (lean) ----------------------------------------- */

static void stream_init(occ_stream *s, unsigned stride, const char *what) {
    s->fd = -1;
    s->stride = stride;
    s->block = RC_SPILL_BLOCK_BYTES / (s->stride * sizeof *s->tail);
    s->what = what;
}

static void spill_init(rc_corpus *c) {
    unsigned stride = rc_corpus_lean_has_pos(c) ? 2 : 1;
    stream_init(&c->spill, stride, "mention");
    stream_init(&c->tspill, stride, "term");
    stream_init(&c->dspill, (unsigned)RC_DOC_WORDS, "document");
    stream_init(&c->mspill, 1, "metadata");
}

static void stream_free(const rc_allocator *alc, occ_stream *s) {
    rc_free(alc, s->tail);
    if (s->fd >= 0) close(s->fd);
}

void rc_corpus_spill_knobs(rc_corpus *c, size_t block, int fd) {
    assert(c->nm == 0 && c->spill.fd < 0);
    if (block) c->spill.block = block;
    if (fd >= 0) c->spill.fd = fd;
}

void rc_corpus_doc_knobs(rc_corpus *c, size_t block) {
    assert(c->ndocs == 0 && c->nmeta_words == 0);
    if (block) c->dspill.block = c->mspill.block = block;
}

void rc_corpus_term_knobs(rc_corpus *c, size_t block, size_t batch) {
    assert(c->nt == 0);
    if (block) c->tspill.block = block;
    c->term_batch = batch;
}

void rc_corpus_query_knobs(rc_corpus *c, size_t occ) { c->share_occ = occ; }

const char *rc_spill_dir(void) {
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

int rc_spill_create(void) {
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/relcore-spill-XXXXXX", rc_spill_dir());
    if (n < 0 || (size_t)n >= sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    (void)unlink(path);
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

int rc_write_at(int fd, const void *buf, size_t len, uint64_t off) {
    const char *p = buf;
    while (len) {
        ssize_t w = pwrite(fd, p, len, (off_t)off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? errno : ENOSPC;
        p += w;
        len -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

int rc_read_at(int fd, void *buf, size_t len, uint64_t off) {
    char *p = buf;
    while (len) {
        ssize_t got = pread(fd, p, len, (off_t)off);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return got < 0 ? errno : -1;
        p += got;
        len -= (size_t)got;
        off += (uint64_t)got;
    }
    return 0;
}

/* Move the tail (the entries [nfile, n)) to the file, creating it the
** first time.  On failure s->err is set and nothing else changes (what
** was written lies past nfile, to be written over). */
static rc_status spill_flush(occ_stream *s, uint64_t n) {
    if (s->fd < 0 && (s->fd = rc_spill_create()) < 0) {
        s->err = errno;
        return RC_EIO;
    }
    size_t word = s->stride * sizeof *s->tail;
    int e = rc_write_at(s->fd, s->tail, (size_t)(n - s->nfile) * word, s->nfile * word);
    if (e) {
        s->err = e;
        return RC_EIO;
    }
    s->nfile = n;
    s->err = 0; /* a later failure of another stream is not taken for this one's */
    return RC_OK;
}

/* Room in the tail for entries up to `need`, of which `have` are the
** stream's: the tail goes to the file first when it holds a block. */
static rc_status stream_room(const rc_allocator *alc, occ_stream *s, uint64_t have,
                             uint64_t need) {
    if (have - s->nfile >= s->block) {
        rc_status rc = spill_flush(s, have);
        if (rc) return rc;
    }
    if (rc_grow(alc, (void **)&s->tail, &s->tail_cap, (size_t)(need - s->nfile) * s->stride,
                sizeof *s->tail))
        return RC_ENOMEM;
    return RC_OK;
}

static rc_status occ_room(rc_corpus *c, size_t n) {
    return stream_room(c->alc, &c->spill, c->nm, n);
}

/* Entry i (with room for it) is id at position pos. */
static void stream_put(occ_stream *s, uint64_t i, uint32_t id, uint32_t pos) {
    uint32_t *w = s->tail + (i - s->nfile) * s->stride;
    w[0] = id;
    if (s->stride > 1) w[1] = pos;
}

static void occ_put(rc_corpus *c, size_t i, uint32_t entity, uint32_t pos) {
    stream_put(&c->spill, i, entity, pos);
}

/* Drop the mentions from nm, the terms from nt and the metadata words
** from nmeta on (a failed addition). */
static void occ_truncate(rc_corpus *c, size_t nm, size_t nt, uint64_t nmeta) {
    c->nm = nm;
    if (c->spill.nfile > nm) c->spill.nfile = nm;
    c->nt = nt;
    if (c->tspill.nfile > nt) c->tspill.nfile = nt;
    c->nmeta_words = nmeta;
    if (c->mspill.nfile > nmeta) c->mspill.nfile = nmeta;
}

/* The stream whose write failed (RC_EIO), or NULL. */
static const occ_stream *failed_stream(const rc_corpus *c) {
    const occ_stream *all[] = {&c->spill, &c->tspill, &c->dspill, &c->mspill};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (all[i]->err) return all[i];
    return NULL;
}

/* The message of an RC_EIO of a stream. */
static rc_status spill_error(const rc_corpus *c, rc_error *err) {
    const occ_stream *s = failed_stream(c);
    return rc_error_set(err, RC_EIO, 0,
                        "cannot write the %s stream to a temporary file in %s: %s "
                        "(set TMPDIR to a directory with room)",
                        s->what, rc_spill_dir(), strerror(s->err));
}

rc_status rc_corpus_add_error(const rc_corpus *c, rc_status rc, rc_error *err) {
    return rc == RC_EIO && failed_stream(c) ? spill_error(c, err) : rc;
}

void occ_reader_init(occ_reader *r, const rc_corpus *c, int terms) {
    memset(r, 0, sizeof *r);
    r->c = c;
    r->terms = terms;
    r->s = terms ? &c->tspill : &c->spill;
}

void occ_reader_free(occ_reader *r) {
    rc_free(r->c->alc, r->buf);
    r->buf = NULL;
}

/* Read entries [from, from + n) of the file into buf. */
static rc_status read_file(occ_reader *r, uint64_t from, size_t n, rc_error *err) {
    const occ_stream *s = r->s;
    size_t word = s->stride * sizeof *s->tail;
    int e = rc_read_at(s->fd, r->buf, n * word, from * word);
    if (e)
        return rc_error_set(err, RC_EIO, 0,
                            "cannot read the %s stream back from its temporary file: %s",
                            s->what,
                            e > 0 ? strerror(e) : "file too short");
    return RC_OK;
}

/* Make the entries [begin, begin + count) of a lean corpus's stream
** resident, of `total` entries in all. */
static rc_status reader_range(occ_reader *r, uint64_t begin, uint64_t count, uint64_t total,
                              rc_error *err) {
    const rc_corpus *c = r->c;
    const occ_stream *s = r->s;
    if (!count || (begin >= r->lo && begin + count <= r->hi)) return RC_OK;
    if (begin >= s->nfile) { /* in the tail: read in place */
        r->at = s->tail + (begin - s->nfile) * s->stride;
        r->lo = begin;
        r->hi = total;
        return RC_OK;
    }
    /* a block from the file (or the whole document), the tail's share copied */
    uint64_t n = count > s->block ? count : s->block;
    if (n > total - begin) n = total - begin;
    uint64_t from_file = s->nfile - begin < n ? s->nfile - begin : n;
    if (rc_grow(c->alc, (void **)&r->buf, &r->buf_cap, (size_t)n * s->stride,
                sizeof *r->buf))
        return RC_ENOMEM;
    r->lo = r->hi = 0;
    rc_status rc = read_file(r, begin, (size_t)from_file, err);
    if (rc) return rc;
    if (n > from_file)
        memcpy(r->buf + from_file * s->stride, s->tail,
               (size_t)(n - from_file) * s->stride * sizeof *s->tail);
    r->at = r->buf;
    r->lo = begin;
    r->hi = begin + n;
    return RC_OK;
}

rc_status occ_reader_doc(occ_reader *r, const cdoc *d, rc_error *err) {
    const rc_corpus *c = r->c;
    if (!c->opts.lean) return RC_OK;
    return r->terms ? reader_range(r, d->t_begin, d->nt, c->nt, err)
                    : reader_range(r, d->m_begin, d->nm, c->nm, err);
}

/* MARK: - The document stream (lean) ----------------------------------------- */

void doc_cursor_init(doc_cursor *k, const rc_corpus *c) {
    memset(k, 0, sizeof *k);
    k->c = c;
    occ_reader_init(&k->rec, c, 0);
    k->rec.s = &c->dspill;
    occ_reader_init(&k->meta, c, 0);
    k->meta.s = &c->mspill;
}

void doc_cursor_free(doc_cursor *k) {
    occ_reader_free(&k->rec);
    occ_reader_free(&k->meta);
}

rc_status doc_cursor_read(doc_cursor *k, size_t d, const cdoc **out, rc_error *err) {
    const rc_corpus *c = k->c;
    assert(c->opts.lean && d < c->ndocs);
    rc_status rc = reader_range(&k->rec, d, 1, c->ndocs, err);
    if (rc) return rc;
    memcpy(&k->cur, k->rec.at + (d - k->rec.lo) * RC_DOC_WORDS, sizeof k->cur);
    *out = &k->cur;
    return RC_OK;
}

rc_status doc_cursor_meta(doc_cursor *k, const cdoc *doc, const char **out, rc_error *err) {
    const rc_corpus *c = k->c;
    if (!c->opts.lean) {
        *out = c->strs + doc->meta_off;
        return RC_OK;
    }
    *out = "";
    if (!doc->nmeta) return RC_OK;
    occ_reader *r = &k->meta;
    uint64_t at = doc->meta_off;
    rc_status rc = reader_range(r, at, 1, c->nmeta_words, err);
    if (rc) return rc;
    uint32_t bytes = r->at[at - r->lo];
    rc = reader_range(r, at, 1 + (bytes + 3) / 4, c->nmeta_words, err);
    if (rc) return rc;
    *out = (const char *)(r->at + (at - r->lo) + 1);
    return RC_OK;
}

/* Lean: a document's nmeta pairs of key and value, NUL-terminated, onto
** the metadata stream (its length in bytes, then the bytes, padded to
** words with NULs); *off the first word's entry.  c->nmeta_words moves
** past them only when all are in. */
static rc_status meta_put(rc_corpus *c, const rc_meta *meta, size_t nmeta, uint64_t *off) {
    *off = c->nmeta_words;
    if (!nmeta) return RC_OK;
    size_t bytes = 0;
    for (size_t i = 0; i < nmeta; i++)
        bytes += strlen(meta[i].key) + 1 + strlen(meta[i].value) + 1;
    if (bytes > UINT32_MAX - 3) return RC_ELIMIT;
    size_t words = 1 + (bytes + 3) / 4;
    occ_stream *s = &c->mspill;
    rc_status rc = stream_room(c->alc, s, c->nmeta_words, c->nmeta_words + words);
    if (rc) return rc;
    uint32_t *w = s->tail + (c->nmeta_words - s->nfile);
    w[0] = (uint32_t)bytes;
    w[words - 1] = 0; /* the padding */
    char *p = (char *)(w + 1);
    for (size_t i = 0; i < nmeta; i++) {
        size_t kl = strlen(meta[i].key) + 1, vl = strlen(meta[i].value) + 1;
        memcpy(p, meta[i].key, kl);
        memcpy(p + kl, meta[i].value, vl);
        p += kl + vl;
    }
    c->nmeta_words += words;
    return RC_OK;
}

/* Room for one more document record (lean: in the stream, which may
** first write its tail to the file: RC_EIO). */
static rc_status doc_room(rc_corpus *c) {
    if (c->opts.lean) return stream_room(c->alc, &c->dspill, c->ndocs, c->ndocs + 1);
    if (rc_grow(c->alc, (void **)&c->docs, &c->docs_cap, c->ndocs + 1, sizeof *c->docs))
        return RC_ENOMEM;
    return RC_OK;
}

/* Append document record d (with room for it). */
static void doc_put(rc_corpus *c, const cdoc *d) {
    if (c->opts.lean) {
        occ_stream *s = &c->dspill;
        memcpy(s->tail + (c->ndocs - s->nfile) * s->stride, d, sizeof *d);
    } else {
        c->docs[c->ndocs] = *d;
    }
    c->ndocs++;
}

/* Append term occurrence t (lean: to the term stream, which must have
** room for it). */
static void term_put(rc_corpus *c, const cterm *t) {
    if (!c->opts.lean) {
        c->t[c->nt++] = *t;
        return;
    }
    stream_put(&c->tspill, c->nt++, t->term,
               rc_corpus_lean_pos_of(c, t->tok, t->sentence, t->paragraph));
}

/* Room for term occurrences up to n: in c->t, or lean in the stream. */
static rc_status term_room(rc_corpus *c, size_t n) {
    if (c->opts.lean) return stream_room(c->alc, &c->tspill, c->nt, n);
    if (rc_grow(c->alc, (void **)&c->t, &c->tcap, n, sizeof *c->t)) return RC_ENOMEM;
    return RC_OK;
}

/* Room for the tallies of terms up to n (new ones zero). */
static rc_status tallies_room(rc_corpus *c, size_t n) {
    size_t old = c->tallies_cap;
    if (n <= old) return RC_OK;
    if (rc_grow(c->alc, (void **)&c->tallies, &c->tallies_cap, n, sizeof *c->tallies))
        return RC_ENOMEM;
    memset(c->tallies + old, 0, (c->tallies_cap - old) * sizeof *c->tallies);
    return RC_OK;
}

/* Tallies only: the document's word tokens' term ids into doc_terms, with
** room in the tallies for each; tally_terms counts them once the
** document is added. */
static rc_status collect_terms(rc_corpus *c, const rc_doc *doc, const rc_docres *r) {
    c->ndoc_terms = 0;
    if (c->ndocs >= UINT32_MAX - 1) return RC_ELIMIT; /* the stamps are 32-bit */
    if (rc_grow(c->alc, (void **)&c->doc_terms, &c->doc_terms_cap, r->toks.n ? r->toks.n : 1,
                sizeof *c->doc_terms))
        return RC_ENOMEM;
    size_t n = 0;
    for (size_t si = 0; si < r->sents.n; si++) {
        const rc_sentence *s = &r->sents.v[si];
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            const rc_token *tok = &r->toks.v[i];
            if (!rc_term_token(tok)) continue;
            rc_status rc = rc_term_intern(&c->term_cache, &c->terms, doc->text, tok,
                                          &c->doc_terms[n++]);
            if (rc) return rc;
        }
    }
    c->ndoc_terms = n;
    return tallies_room(c, c->terms.n);
}

/* Tallies only: count the terms collect_terms found in the document just
** added (ordinal c->ndocs - 1). */
static void tally_terms(rc_corpus *c) {
    uint32_t stamp = (uint32_t)c->ndocs;
    term_tally *t = c->tallies;
    for (size_t i = 0; i < c->ndoc_terms; i++) {
        term_tally *x = &t[c->doc_terms[i]];
        x->mentions++;
        x->docs += x->last != stamp;
        x->last = stamp;
    }
    c->ndoc_terms = 0;
}

/* Add src's term tallies to c's, term ids mapped (rc_corpus_append). */
static rc_status tallies_merge(rc_corpus *c, const rc_corpus *src, const uint32_t *term_map) {
    if (!c->opts.term_tallies) return RC_OK;
    if (tallies_room(c, c->terms.n)) return RC_ENOMEM;
    for (size_t id = 0; id < src->terms.n && id < src->tallies_cap; id++) {
        term_tally *x = &c->tallies[term_map[id]];
        x->mentions += src->tallies[id].mentions;
        x->docs += src->tallies[id].docs;
    }
    return RC_OK;
}

/* Lean: the document's word tokens straight into the term stream's tail
** (with room for them all), its term and the one position kept; c->nt
** moves past them only when all are in. */
static rc_status stream_terms(rc_corpus *c, const rc_doc *doc, const rc_docres *r) {
    occ_stream *ts = &c->tspill;
    unsigned stride = ts->stride;
    uint32_t *w = ts->tail + (c->nt - ts->nfile) * stride;
    rc_context kept = (rc_context)(c->opts.lean - 1);
    size_t n = 0;
    for (size_t si = 0; si < r->sents.n; si++) {
        const rc_sentence *s = &r->sents.v[si];
        /* the position: rc_corpus_lean_pos_of's */
        uint32_t pos = kept == RC_CTX_SENTENCE ? (uint32_t)si
                       : kept == RC_CTX_PARAGRAPH ? s->paragraph
                                                  : 0;
        int tok_pos = kept == RC_CTX_WINDOW;
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            const rc_token *tok = &r->toks.v[i];
            if (!rc_term_token(tok)) continue;
            rc_status rc = rc_term_intern(&c->term_cache, &c->terms, doc->text, tok, w);
            if (rc) return rc;
            if (stride > 1) w[1] = tok_pos ? i : pos;
            w += stride;
            n++;
        }
    }
    c->nt += n;
    return RC_OK;
}

/* Keep the document's word tokens as term occurrences (tallies only:
** collect them). */
static rc_status keep_terms(rc_corpus *c, const rc_doc *doc, const rc_docres *r,
                            cdoc *d) {
    d->t_begin = c->nt;
    if (c->opts.term_tallies) return collect_terms(c, doc, r);
    /* room for every token: no growing inside the loop */
    rc_status rc = term_room(c, c->nt + r->toks.n);
    if (rc) return rc;
    if (c->opts.lean) {
        rc = stream_terms(c, doc, r);
        d->nt = (uint32_t)(c->nt - d->t_begin);
        return rc;
    }
    for (size_t si = 0; si < r->sents.n; si++) {
        const rc_sentence *s = &r->sents.v[si];
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            const rc_token *tok = &r->toks.v[i];
            if (!rc_term_token(tok)) continue;
            cterm ct = {0, i, (uint32_t)si, s->paragraph};
            rc = rc_term_intern(&c->term_cache, &c->terms, doc->text, tok, &ct.term);
            if (rc) return rc;
            term_put(c, &ct);
        }
    }
    d->nt = (uint32_t)(c->nt - d->t_begin);
    return RC_OK;
}

/* The document's mentions as counts see them (lean), ids mapped. */
static rc_status keep_occurrences(rc_corpus *c, const rc_docres *r) {
    rc_status rc = occ_room(c, c->nm + r->nm);
    size_t gazetteer;
    if (rc || (rc = ent_map_open(c, r, &gazetteer))) return rc;
    for (size_t i = 0; i < r->nm; i++) {
        const rc_mention *m = &r->m[i];
        uint32_t ent;
        rc = corpus_entity_id(c, r, gazetteer, m->entity, &ent);
        if (rc == RC_OK) rc = pend(c, ent, m->country);
        if (rc) return rc;
        occ_put(c, c->nm + i, ent, rc_corpus_lean_pos(c, m));
    }
    return RC_OK;
}

/* MARK: - Adding a document --------------------------------------------------- */

/* A document's id, dateline and metadata into record d: a full corpus's
** to its string arena, a lean one's metadata to its stream (no id, no
** dateline: no lean query prints one). */
static rc_status doc_strings(rc_corpus *c, cdoc *d, const char *id, const char *dateline,
                             size_t dateline_len, const rc_meta *meta, size_t nmeta) {
    d->nmeta = (uint32_t)nmeta;
    if (c->opts.lean) return meta_put(c, meta, nmeta, &d->meta_off);
    rc_status rc;
    if ((rc = put_str(c, id, strlen(id), &d->id_off)) ||
        (rc = put_str(c, dateline, dateline_len, &d->dateline_off)))
        return rc;
    d->dateline_len = (uint32_t)dateline_len;
    d->meta_off = c->strs_len;
    for (size_t i = 0; i < nmeta; i++) {
        uint64_t o;
        if ((rc = put_str(c, meta[i].key, strlen(meta[i].key), &o)) ||
            (rc = put_str(c, meta[i].value, strlen(meta[i].value), &o)))
            return rc;
    }
    return RC_OK;
}

/* Copy the document's record and mentions; ids mapped into c->ents. */
static rc_status keep(rc_corpus *c, const rc_doc *doc, const rc_docres *r) {
    cdoc d;
    memset(&d, 0, sizeof d);
    rc_status rc;
    c->npending = 0;
    d.date = r->date;
    d.nsent = (uint32_t)r->sents.n;
    d.npara = r->nparagraphs;
    d.ntok = (uint32_t)r->toks.n;
    if ((rc = doc_strings(c, &d, doc->id, doc->text + r->dateline.start,
                          r->dateline.end - r->dateline.start, doc->meta, doc->n_meta)))
        return rc;
    d.m_begin = c->nm;
    if (c->opts.lean) {
        if ((rc = keep_occurrences(c, r))) return rc;
    } else if ((rc = keep_mentions(c, doc, r))) {
        return rc;
    }
    d.nm = (uint32_t)r->nm;
    d.s_begin = c->nsents_kept;
    if (!c->opts.lean && (rc = keep_sentences(c, doc, r))) return rc;
    if (c->opts.keep_terms && (rc = keep_terms(c, doc, r, &d))) return rc;
    if ((rc = doc_room(c))) return rc;
    if (tally_pending(c)) return RC_ENOMEM;
    c->nsents_kept += r->sents.n;
    c->nm += r->nm;
    doc_put(c, &d);
    c->nsentences += d.nsent;
    c->nparagraphs += d.npara;
    if (c->opts.term_tallies) tally_terms(c);
    return RC_OK;
}

rc_status rc_corpus_add(rc_corpus *c, const rc_doc *doc, rc_error *err) {
    size_t strs0 = c->strs_len, nm0 = c->nm, nt0 = c->nt;
    uint64_t meta0 = c->nmeta_words;
    rc_status rc = c->opts.keep_terms == RC_TERMS_ONLY
                       ? rc_docres_layout(c->work, doc) /* no names needed */
                       : rc_docres_analyse(c->work, doc);
    if (rc == RC_OK) rc = keep(c, doc, c->work);
    if (rc) {
        c->strs_len = strs0;
        occ_truncate(c, nm0, nt0, meta0);
        if (rc == RC_EIO && failed_stream(c)) return spill_error(c, err);
        return rc_error_set(err, rc, 0, "%s: %s", doc->path ? doc->path : doc->id,
                            rc_strerror(rc));
    }
    return RC_OK;
}

/* Add doc, the added-th of a run on one thread, unless Ctrl-C said stop;
** then tell fn, whose non-zero answer stops the run. */
static rc_status add_in_run(rc_corpus *c, const rc_doc *doc, size_t added,
                            rc_progress_fn fn, void *ctx, rc_error *err) {
    if (c->opts.interrupt && *c->opts.interrupt)
        return rc_error_set(err, RC_EINTR, 0, "interrupted");
    rc_status rc = rc_corpus_add(c, doc, err);
    if (rc) return rc;
    if (fn && fn(ctx, added)) return rc_error_set(err, RC_EINTR, 0, "stopped");
    return RC_OK;
}

rc_status rc_corpus_add_source_progress(rc_corpus *c, rc_source *src, rc_progress_fn fn,
                                        void *ctx, rc_error *err) {
    size_t threads = c->opts.threads ? c->opts.threads : rc_threads_default();
    if (threads > 1) return rc_corpus_add_parallel(c, src, threads, fn, ctx, err);
    rc_doc doc;
    rc_status rc;
    size_t added = 0;
    while ((rc = rc_source_next(src, &doc, err)) == RC_OK)
        if ((rc = add_in_run(c, &doc, ++added, fn, ctx, err))) return rc;
    return rc == RC_ENOENT ? RC_OK : rc;
}

rc_status rc_corpus_add_docs(rc_corpus *c, const rc_doc *docs, size_t n, rc_progress_fn fn,
                             void *ctx, rc_error *err) {
    size_t threads = c->opts.threads ? c->opts.threads : rc_threads_default();
    if (threads > 1 && n > 1)
        return rc_corpus_add_docs_parallel(c, docs, n, threads, fn, ctx, err);
    rc_status rc = RC_OK;
    for (size_t i = 0; i < n && rc == RC_OK; i++) rc = add_in_run(c, &docs[i], i + 1, fn, ctx, err);
    return rc;
}

void rc_corpus_trim(rc_corpus *c) {
    if (c->work) rc_docres_trim(c->work); /* (a lent-work corpus has none) */
}

rc_status rc_corpus_add_source(rc_corpus *c, rc_source *src, rc_error *err) {
    return rc_corpus_add_source_progress(c, src, NULL, NULL, err);
}

/* MARK: - Stored records ------------------------------------------------------ */

rc_status rc_corpus_doc_begin(rc_corpus *c, cdoc_build *b, const char *id,
                              const char *dateline, size_t dateline_len,
                              const rc_meta *meta, size_t nmeta, rc_date date,
                              uint32_t npara, uint32_t ntok) {
    memset(b, 0, sizeof *b);
    c->npending = 0;
    b->strs0 = c->strs_len;
    b->nm0 = c->nm;
    b->nt0 = c->nt;
    b->ns0 = c->nsents_kept;
    b->meta0 = c->nmeta_words;
    cdoc *d = &b->d;
    rc_status rc;
    if ((rc = doc_strings(c, d, id, dateline, dateline_len, meta, nmeta))) return rc;
    d->date = date;
    d->npara = npara;
    d->ntok = ntok;
    d->m_begin = c->nm;
    d->s_begin = c->nsents_kept;
    d->t_begin = c->nt;
    return RC_OK;
}

rc_status rc_corpus_put_mention(rc_corpus *c, const rc_mention *m, const char *text,
                                size_t len) {
    if (pend(c, m->entity, m->country)) return RC_ENOMEM;
    if (c->opts.lean) {
        rc_status rc = occ_room(c, c->nm + 1);
        if (rc) return rc;
        occ_put(c, c->nm, m->entity, rc_corpus_lean_pos(c, m));
        c->nm++;
        return RC_OK;
    }
    if (rc_grow(c->alc, (void **)&c->m, &c->mcap, c->nm + 1, sizeof *c->m))
        return RC_ENOMEM;
    cmention *cm = &c->m[c->nm];
    cm->m = *m;
    rc_status rc = put_str(c, text, len, &cm->text_off);
    if (rc == RC_OK) c->nm++;
    return rc;
}

rc_status rc_corpus_put_sentence(rc_corpus *c, const csent *s, const char *text,
                                 size_t len) {
    if (c->opts.lean) {
        c->nsents_kept++;
        return RC_OK;
    }
    if (rc_grow(c->alc, (void **)&c->sents, &c->sents_cap, c->nsents_kept + 1,
                sizeof *c->sents))
        return RC_ENOMEM;
    csent *cs = &c->sents[c->nsents_kept];
    *cs = *s;
    cs->text_off = UINT64_MAX;
    rc_status rc = text ? put_str(c, text, len, &cs->text_off) : RC_OK;
    if (rc == RC_OK) c->nsents_kept++;
    return rc;
}

rc_status rc_corpus_put_term(rc_corpus *c, const cterm *t) {
    assert(!c->opts.term_tallies);
    rc_status rc = term_room(c, c->nt + 1);
    if (rc == RC_OK) term_put(c, t);
    return rc;
}

rc_status rc_corpus_doc_end(rc_corpus *c, cdoc_build *b) {
    cdoc *d = &b->d;
    d->nm = (uint32_t)(c->nm - d->m_begin);
    d->nt = (uint32_t)(c->nt - d->t_begin);
    d->nsent = (uint32_t)(c->nsents_kept - d->s_begin);
    rc_status rc = doc_room(c);
    if (rc) return rc;
    if (tally_pending(c)) return RC_ENOMEM;
    doc_put(c, d);
    c->nsentences += d->nsent;
    c->nparagraphs += d->npara;
    return RC_OK;
}

void rc_corpus_doc_abandon(rc_corpus *c, cdoc_build *b) {
    c->npending = 0;
    c->strs_len = b->strs0;
    occ_truncate(c, b->nm0, b->nt0, b->meta0);
    c->nsents_kept = b->ns0;
}

void rc_corpus_mark(const rc_corpus *c, corpus_mark *m) {
    *m = (corpus_mark){c->ndocs, c->strs_len, c->nm, c->nt, c->nsents_kept,
                       c->nsentences, c->nparagraphs};
}

void rc_corpus_rollback(rc_corpus *c, const corpus_mark *m) {
    assert(!c->opts.lean); /* lean mentions keep no country to take back */
    assert(!c->chunk);     /* its counted list only grows */
    for (size_t i = m->nm; i < c->nm; i++) {
        const rc_mention *x = &c->m[i].m;
        c->ent_mentions[x->entity]--;
        if (x->country) pairs_take(&c->votes, x->entity, x->country, 1);
    }
    c->ndocs = m->ndocs;
    c->strs_len = m->strs;
    c->nm = m->nm;
    c->nt = m->nt;
    c->nsents_kept = m->nsents;
    c->nsentences = m->nsentences;
    c->nparagraphs = m->nparagraphs;
}

static void stream_rewind(occ_stream *s) {
    s->nfile = 0; /* a file, if any, is written over */
    s->err = 0;
}

void rc_corpus_reset(rc_corpus *c) {
    rc_entities_truncate(&c->ents, rc_gazetteer_entities(c->g)->n);
    rc_entities_truncate(&c->terms, 0);
    rc_term_cache_clear(&c->term_cache);
    if (c->chunk) {
        for (size_t k = 0; k < c->ncounted; k++) c->ent_mentions[c->counted[k]] = 0;
        c->ncounted = 0;
    } else if (c->ent_mentions_cap) {
        memset(c->ent_mentions, 0, c->ent_mentions_cap * sizeof *c->ent_mentions);
    }
    pairs_clear(&c->votes);
    if (c->tallies_cap) memset(c->tallies, 0, c->tallies_cap * sizeof *c->tallies);
    c->ndocs = c->nm = c->nt = c->nsents_kept = 0;
    c->strs_len = c->npending = c->ndoc_terms = 0;
    c->nmeta_words = c->nsentences = c->nparagraphs = 0;
    stream_rewind(&c->spill);
    stream_rewind(&c->tspill);
    stream_rewind(&c->dspill);
    stream_rewind(&c->mspill);
}

/* MARK: - Appending a corpus -------------------------------------------------- */

/* The id in dst's table of every entry of src's (interned in src's order)
** into *map (of *cap entries, grown to src->n and kept for the next
** append).  Each look-up's first slot is fetched MAP_AHEAD entries
** before: dst's slots are a table larger than the cache, probed at
** random.  The first `same` entries are the same in both (the
** gazetteer's, which every corpus's table begins with): they map to
** themselves, and the first *ident entries of *map already do. */
#define MAP_AHEAD 8
static rc_status map_table(const rc_allocator *alc, rc_entities *dst,
                           const rc_entities *src, size_t same, uint32_t **map,
                           size_t *cap, size_t *ident) {
    if (rc_grow(alc, (void **)map, cap, src->n ? src->n : 1, sizeof **map)) return RC_ENOMEM;
    assert(same <= src->n && same <= dst->n);
    for (size_t id = *ident; id < same; id++) (*map)[id] = (uint32_t)id;
    *ident = same;
    /* no rehash on the way, so that the slots fetched ahead stay put */
    if (rc_entities_reserve(dst, dst->n + (src->n - same))) return RC_ENOMEM;
    for (size_t id = same; id < src->n; id++) {
        if (id + MAP_AHEAD < src->n) rc_entities_prefetch(dst, src->v[id + MAP_AHEAD].tag);
        rc_status rc = rc_entities_intern_from(dst, src, (uint32_t)id, &(*map)[id]);
        if (rc) return rc;
    }
    return RC_OK;
}

/* Copy the mentions of src's document d into c (src as lean as c; rd
** reads src). */
static rc_status append_mentions(rc_corpus *c, occ_reader *rd, const cdoc *d,
                                 const uint32_t *ent_map) {
    const rc_corpus *src = rd->c;
    assert(c->opts.lean == src->opts.lean);
    if (c->opts.lean) {
        rc_status rc = occ_reader_doc(rd, d, NULL);
        if (rc == RC_OK) rc = occ_room(c, c->nm + d->nm);
        if (rc) return rc;
        unsigned stride = src->spill.stride;
        for (uint32_t i = 0; i < d->nm; i++) {
            const uint32_t *w = rd->at + (d->m_begin + i - rd->lo) * stride;
            occ_put(c, c->nm + i, ent_map[w[0]], stride > 1 ? w[1] : 0);
        }
        c->nm += d->nm;
        return RC_OK;
    }
    for (uint32_t i = 0; i < d->nm; i++) {
        const cmention *cm = &src->m[d->m_begin + i];
        rc_mention m = cm->m;
        m.entity = ent_map[m.entity];
        rc_status rc = rc_corpus_put_mention(c, &m, src->strs + cm->text_off, m.end - m.start);
        if (rc) return rc;
    }
    return RC_OK;
}

/* Copy the term occurrences of src's document d into c (trd reads src's
** terms). */
static rc_status append_terms(rc_corpus *c, occ_reader *trd, const cdoc *d,
                              const uint32_t *term_map) {
    rc_status rc = occ_reader_doc(trd, d, NULL);
    if (rc == RC_OK && d->nt) rc = term_room(c, c->nt + d->nt);
    for (uint32_t i = 0; rc == RC_OK && i < d->nt; i++) {
        cterm t = rc_corpus_term(trd, d, i);
        t.term = term_map[t.term];
        term_put(c, &t);
    }
    return rc;
}

/* Copy src's document d (its strings, mentions, sentences and terms) into
** c, with entity and term ids mapped. */
static rc_status append_doc(rc_corpus *c, doc_cursor *k, occ_reader *rd, occ_reader *trd,
                            const cdoc *d, const uint32_t *ent_map,
                            const uint32_t *term_map) {
    const rc_corpus *src = rd->c;
    rc_meta meta[64], *metas = meta;
    const char *p;
    rc_status rc = doc_cursor_meta(k, d, &p, NULL);
    if (rc) return rc;
    if (d->nmeta > 64 && !(metas = rc_malloc(c->alc, d->nmeta * sizeof *metas)))
        return RC_ENOMEM;
    for (uint32_t i = 0; i < d->nmeta; i++) {
        metas[i].key = p;
        metas[i].value = p + strlen(p) + 1;
        p = metas[i].value + strlen(metas[i].value) + 1;
    }
    cdoc_build b;
    rc = rc_corpus_doc_begin(c, &b, rc_corpus_doc_id(src, d), rc_corpus_doc_dateline(src, d),
                             d->dateline_len, metas, d->nmeta, d->date, d->npara, d->ntok);
    if (metas != meta) rc_free(c->alc, metas);
    if (rc == RC_OK) rc = append_mentions(c, rd, d, ent_map);
    if (rc == RC_OK && c->opts.lean) c->nsents_kept += d->nsent; /* counted only */
    for (uint32_t i = 0; rc == RC_OK && !c->opts.lean && i < d->nsent; i++) {
        const csent *s = &src->sents[d->s_begin + i];
        int has = s->text_off != UINT64_MAX;
        rc = rc_corpus_put_sentence(c, s, has ? src->strs + s->text_off : NULL,
                                    s->end - s->start);
    }
    if (rc == RC_OK) rc = append_terms(c, trd, d, term_map);
    c->npending = 0; /* the tallies come whole from src (rc_corpus_append) */
    if (rc == RC_OK) rc = rc_corpus_doc_end(c, &b);
    if (rc) rc_corpus_doc_abandon(c, &b);
    return rc;
}

rc_status rc_corpus_append(rc_corpus *c, const rc_corpus *src) {
    assert(c->g == src->g);
    size_t gaz = rc_gazetteer_entities(c->g)->n, no_ident = 0;
    rc_status rc = map_table(c->alc, &c->ents, &src->ents, gaz, &c->append_ents,
                             &c->append_ents_cap, &c->map_same);
    if (rc == RC_OK)
        rc = map_table(c->alc, &c->terms, &src->terms, 0, &c->append_terms,
                       &c->append_terms_cap, &no_ident);
    const uint32_t *ent_map = c->append_ents, *term_map = c->append_terms;
    assert(c->opts.lean == src->opts.lean);
    occ_reader rd, trd;
    occ_reader_init(&rd, src, 0);
    occ_reader_init(&trd, src, 1);
    doc_cursor k;
    doc_cursor_init(&k, src);
    for (size_t d = 0; rc == RC_OK && d < src->ndocs; d++) {
        const cdoc *doc;
        rc = doc_cursor_at(&k, d, &doc, NULL);
        if (rc == RC_OK) rc = append_doc(c, &k, &rd, &trd, doc, ent_map, term_map);
    }
    if (rc == RC_OK) rc = tally_merge(c, src, ent_map);
    if (rc == RC_OK) rc = tallies_merge(c, src, term_map);
    doc_cursor_free(&k);
    occ_reader_free(&rd);
    occ_reader_free(&trd);
    return rc;
}
