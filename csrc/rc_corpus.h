/*
** rc_corpus.h -- private: the layout of an analysed corpus, shared by
** rc_corpus.c (which builds it) and rc_query.c (which reads it).  A full
** corpus keeps everything in memory; a lean one streams its mentions,
** term occurrences, document records and their metadata to temporary
** files (occ_stream), read back by queries through an occ_reader (the
** occurrences of a document) and a doc_cursor (the documents in order).
*/
#ifndef RC_CORPUS_H
#define RC_CORPUS_H

#include "rc_entity.h"
#include "rc_pairs.h"
#include "rc_terms.h"
#include "rc_thread.h"

typedef struct cmention {
    rc_mention m;      /* entity: an id of the corpus's table */
    uint64_t text_off; /* surface text in the arena */
} cmention;

/* A mention as counts see it (a lean corpus keeps the entity and one of
** the positions, the others read 0). */
typedef struct cocc {
    uint32_t entity, tok, sentence, paragraph;
} cocc;

/* A mention's contribution to the corpus-wide tallies. */
typedef struct tally_item {
    uint32_t entity;
    rc_ccode country;
} tally_item;

/* A sentence: its spans, and its text when it holds a mention (the
** evidence kwic shows); text_off is UINT64_MAX otherwise. */
typedef struct csent {
    uint32_t start, end, cstart, cend;
    uint64_t text_off;
} csent;

/* An occurrence of a term (--terms): a word token, lower-cased. */
typedef struct cterm {
    uint32_t term; /* id in the corpus's term table */
    uint32_t tok, sentence, paragraph;
} cterm;

/* A term's tallies (opts.term_tallies): its occurrences, the documents
** holding it, and the last of them (its ordinal + 1; 0: none yet). */
typedef struct term_tally {
    uint64_t mentions;
    uint32_t docs, last;
} term_tally;

typedef struct cdoc {
    uint64_t id_off;
    uint64_t s_begin; /* its sentences in the corpus's array */
    uint64_t dateline_off;
    uint64_t meta_off; /* nmeta pairs of NUL-terminated key, value */
    uint64_t m_begin;
    uint64_t t_begin; /* its term occurrences (opts.keep_terms) */
    uint32_t nt;
    uint32_t nm, nmeta, dateline_len;
    uint32_t nsent, npara, ntok;
    rc_date date;
} cdoc;

/* A stream of a lean corpus: its mentions (or term occurrences, or
** document records, or their metadata), in order, `stride` uint32 words
** an entry: for mentions and terms the entity (term), then (stride 2)
** the one position kept; for documents a cdoc (RC_DOC_WORDS words); for
** metadata one word an entry, a document's being a run of them (its
** length in bytes, then its bytes: meta_put in rc_corpus.c).  Entries
** [0, nfile) are in an unlinked temporary file (fd), written `block` at a
** time; entries [nfile, n) in `tail`, in memory, where n is the
** corpus's count (c->nm for mentions, c->nt for terms, c->ndocs for
** documents, c->nmeta_words for metadata).  fd is -1 until the tail
** first outgrows a block, so a small corpus never touches the disk.  err
** is the errno of the last failed create or write (0 again after a write
** that works); what names the stream in messages. */
typedef struct occ_stream {
    uint32_t *tail;
    size_t tail_cap; /* in words */
    uint64_t nfile;
    size_t block; /* entries a block */
    unsigned stride;
    int fd, err;
    const char *what;
} occ_stream;

/* The directory temporary files go to: $TMPDIR, or /tmp. */
const char *rc_spill_dir(void);
/* A new temporary file there, already unlinked (so it goes when closed):
** its descriptor, or -1 and errno on failure. */
int rc_spill_create(void);

/* All len bytes at offset off of fd, retrying short and interrupted
** calls: 0, or an errno (ENOSPC when a write makes no progress, -1 for a
** read past the end). */
int rc_write_at(int fd, const void *buf, size_t len, uint64_t off);
int rc_read_at(int fd, void *buf, size_t len, uint64_t off);

/* 1 MB of mention words a block: the tail holds about that much, and
** queries read the file back that much at a time. */
#define RC_SPILL_BLOCK_BYTES (1u << 20)

/* A document record as a lean corpus's document stream holds it. */
#define RC_DOC_WORDS (sizeof(cdoc) / sizeof(uint32_t))
_Static_assert(sizeof(cdoc) % sizeof(uint32_t) == 0, "a cdoc is whole words");

struct rc_corpus {
    const rc_allocator *alc;
    const rc_gazetteer *g;
    rc_analysis_opts opts;
    rc_entities ents;
    rc_docres *work;
    cdoc *docs;        /* not lean: the document records; lean: NULL */
    size_t ndocs, docs_cap;
    occ_stream dspill; /* lean: the document records */
    occ_stream mspill; /* lean: their metadata */
    uint64_t nmeta_words; /* lean: the metadata stream's length */
    cmention *m;      /* the mentions in full (not lean) */
    occ_stream spill; /* lean: the mentions as counts see them */
    size_t nm, mcap;
    /* Corpus-wide tallies behind the queries' facts (rc_query.c keymap),
    ** over every mention: mentions per entity id, and per (entity,
    ** country) the mentions the text attributes to that country.
    ** `pending` holds the open document's until it is added. */
    uint64_t *ent_mentions;
    size_t ent_mentions_cap;
    /* A chunk's corpus (rc_corpus_new_lent: appended to another, then
    ** emptied): the entities whose count rose from 0, in that order, so
    ** that the append and the emptying visit these few hundred rather
    ** than every entity of the gazetteer.  Else none (chunk 0). */
    int chunk;
    uint32_t *counted;
    size_t ncounted, counted_cap;
    /* rc_corpus_append's maps of another corpus's entity and term ids to
    ** this one's, kept from one append to the next; the first map_same
    ** entries of append_ents are the identity (the gazetteer's ids). */
    uint32_t *append_ents, *append_terms;
    size_t append_ents_cap, append_terms_cap, map_same;
    /* The document being added: its own entities' corpus ids (by id less
    ** the gazetteer's entities), UINT32_MAX until first used (ent_map_open) */
    uint32_t *ent_map;
    size_t ent_map_cap;
    pair_table votes;
    tally_item *pending;
    size_t npending, pending_cap;
    char *strs;
    size_t strs_len, strs_cap;
    rc_entities terms; /* term -> id (type MISC), with opts.keep_terms */
    cterm *t;         /* the term occurrences in full (not lean) */
    occ_stream tspill; /* lean: the term occurrences as counts see them */
    size_t nt, tcap;
    rc_term_cache term_cache; /* a word's bytes -> its term id */
    term_tally *tallies; /* opts.term_tallies: per term id (tallies_cap) */
    size_t tallies_cap;
    uint32_t *doc_terms; /* opts.term_tallies: the open document's term ids */
    size_t ndoc_terms, doc_terms_cap;
    csent *sents; /* nsents_kept of them, not lean; lean: NULL */
    size_t nsents_kept, sents_cap;
    uint64_t nsentences, nparagraphs;
    size_t term_batch; /* tests: occurrences a batch of rows (0: default) */
    size_t share_occ;  /* tests: occurrences a counting thread's share at least
                          (rc_query.c; 0: default) */
};

/* Reading the mentions (terms: the term occurrences) back, one document
** at a time: occ_reader_doc makes a document's entries resident (from the
** corpus's arrays, the stream's tail, or for spilled ones a block read
** from the file into buf), then rc_corpus_occ (rc_corpus_term) reads
** them.  A reader belongs to one query, so queries may run concurrently
** on one corpus (reads use pread). */
typedef struct occ_reader {
    const rc_corpus *c;
    const occ_stream *s; /* c->spill or c->tspill */
    int terms;
    const uint32_t *at; /* the words of entry lo (lean) */
    uint64_t lo, hi;    /* the resident entries */
    uint32_t *buf;
    size_t buf_cap; /* in entries */
} occ_reader;

void occ_reader_init(occ_reader *r, const rc_corpus *c, int terms);
/* RC_EIO (message in err, which may be NULL) if the file cannot be read,
** RC_ENOMEM. */
rc_status occ_reader_doc(occ_reader *r, const cdoc *d, rc_error *err);
void occ_reader_free(occ_reader *r);

/* The documents in order, for every loop over a corpus's documents: a
** non-lean corpus's records are c->docs; a lean corpus's come back from
** its document stream (and their metadata from the metadata stream), a
** block at a time, so a pass in order reads each block once.  Records
** are fixed-size, so any document may follow any other (a batch that
** restarts at document d reads d's block again).  A cursor belongs to
** one query, like an occ_reader. */
typedef struct doc_cursor {
    const rc_corpus *c;
    occ_reader rec;  /* lean: the document stream */
    occ_reader meta; /* lean: the metadata stream */
    cdoc cur;        /* lean: the record doc_cursor_at gave */
} doc_cursor;

void doc_cursor_init(doc_cursor *k, const rc_corpus *c);
void doc_cursor_free(doc_cursor *k);
rc_status doc_cursor_read(doc_cursor *k, size_t d, const cdoc **out, rc_error *err);

/* Document d's record (d < c->ndocs) in *out, valid until the cursor's
** next call; RC_EIO (message in err, which may be NULL) if the stream
** cannot be read back, RC_ENOMEM. */
static inline rc_status doc_cursor_at(doc_cursor *k, size_t d, const cdoc **out,
                                      rc_error *err) {
    if (likely(!k->c->opts.lean)) {
        *out = &k->c->docs[d];
        return RC_OK;
    }
    return doc_cursor_read(k, d, out, err);
}

/* The metadata of a document the cursor gave: doc->nmeta pairs of
** NUL-terminated key and value from *out on, valid until the cursor's
** next doc_cursor_meta; errors as doc_cursor_at's. */
rc_status doc_cursor_meta(doc_cursor *k, const cdoc *doc, const char **out, rc_error *err);

/* A document's id and dateline ("" in a lean corpus, which keeps
** neither). */
static inline const char *rc_corpus_doc_id(const rc_corpus *c, const cdoc *d) {
    return c->opts.lean ? "" : c->strs + d->id_off;
}
static inline const char *rc_corpus_doc_dateline(const rc_corpus *c, const cdoc *d) {
    return c->opts.lean ? "" : c->strs + d->dateline_off;
}

/* A lean stream's entry at w as a cterm: its id, and the one position the
** corpus keeps (the others read 0). */
static inline cterm rc_lean_entry(const rc_corpus *c, const uint32_t *w) {
    cterm o = {w[0], 0, 0, 0};
    switch (c->opts.lean - 1) {
    case RC_CTX_SENTENCE: o.sentence = w[1]; break;
    case RC_CTX_PARAGRAPH: o.paragraph = w[1]; break;
    case RC_CTX_WINDOW: o.tok = w[1]; break;
    default: break;
    }
    return o;
}

/* Mention i of the corpus as counts see it (lean or not), i resident. */
static inline cocc rc_corpus_occ(const occ_reader *r, uint64_t i) {
    const rc_corpus *c = r->c;
    if (!c->opts.lean) {
        const rc_mention *m = &c->m[i].m;
        cocc o = {m->entity, m->tok, m->sentence, m->paragraph};
        return o;
    }
    assert(!r->terms && i >= r->lo && i < r->hi);
    cterm e = rc_lean_entry(c, r->at + (i - r->lo) * c->spill.stride);
    cocc o = {e.term, e.tok, e.sentence, e.paragraph};
    return o;
}

/* Term occurrence i of document d (i < d->nt; lean: d resident). */
static inline cterm rc_corpus_term(const occ_reader *r, const cdoc *d, size_t i) {
    const rc_corpus *c = r->c;
    if (!c->opts.lean) return c->t[d->t_begin + i];
    uint64_t at = d->t_begin + i;
    assert(r->terms && at >= r->lo && at < r->hi);
    return rc_lean_entry(c, r->at + (at - r->lo) * c->tspill.stride);
}

/* The position a lean corpus keeps of a mention or term (0 for none). */
static inline uint32_t rc_corpus_lean_pos_of(const rc_corpus *c, uint32_t tok,
                                              uint32_t sentence, uint32_t paragraph) {
    switch (c->opts.lean - 1) {
    case RC_CTX_SENTENCE: return sentence;
    case RC_CTX_PARAGRAPH: return paragraph;
    case RC_CTX_WINDOW: return tok;
    default: return 0;
    }
}

static inline uint32_t rc_corpus_lean_pos(const rc_corpus *c, const rc_mention *m) {
    return rc_corpus_lean_pos_of(c, m->tok, m->sentence, m->paragraph);
}

/* Whether a lean corpus keeps positions at all. */
static inline int rc_corpus_lean_has_pos(const rc_corpus *c) {
    return c->opts.lean && c->opts.lean - 1 != RC_CTX_DOCUMENT;
}

/* Building a corpus from stored records (rc_store.c) instead of text:
** rc_corpus_doc_begin opens a document, the puts append its parts in
** order, rc_corpus_doc_end adds it.  Entity and term ids are the corpus's
** (intern them in c->ents and c->terms first).  On failure the corpus is
** left as before the begin. */
typedef struct cdoc_build {
    cdoc d;
    size_t strs0, nm0, nt0, ns0;
    uint64_t meta0;
} cdoc_build;

rc_status rc_corpus_doc_begin(rc_corpus *c, cdoc_build *b, const char *id,
                              const char *dateline, size_t dateline_len,
                              const rc_meta *meta, size_t nmeta, rc_date date,
                              uint32_t npara, uint32_t ntok);
/* A mention (a lean corpus keeps no text: text may be NULL). */
rc_status rc_corpus_put_mention(rc_corpus *c, const rc_mention *m, const char *text,
                                size_t len);
/* A sentence: text NULL for one that holds no mention.  A lean corpus
** only counts it. */
rc_status rc_corpus_put_sentence(rc_corpus *c, const csent *s, const char *text,
                                 size_t len);
rc_status rc_corpus_put_term(rc_corpus *c, const cterm *t);
rc_status rc_corpus_doc_end(rc_corpus *c, cdoc_build *b);
void rc_corpus_doc_abandon(rc_corpus *c, cdoc_build *b);

/* Tests: spill a lean corpus's mentions every `block` of them (rather
** than every RC_SPILL_BLOCK_BYTES), and into `fd` (owned by the corpus
** from then on) instead of a new temporary file; -1 keeps the default.
** Before the first document. */
void rc_corpus_spill_knobs(rc_corpus *c, size_t block, int fd);

/* Tests: spill the term stream every `block` occurrences, and count term
** rows (rc_query.c) in batches of about `batch` occurrences; 0 keeps the
** default. */
void rc_corpus_term_knobs(rc_corpus *c, size_t block, size_t batch);

/* Tests: give a query's counting threads shares of at least `occ`
** occurrences (rather than SHARE_OCC in rc_query.c), and fold its names
** on two threads whatever the entities (not from FOLD_SPLIT_ENTS), so
** that small corpora are counted on several threads too; 0 keeps the
** defaults. */
void rc_corpus_query_knobs(rc_corpus *c, size_t occ);

/* Tests: spill a lean corpus's document records every `block` documents
** and its metadata every `block` words; 0 keeps the default.  Before the
** first document. */
void rc_corpus_doc_knobs(rc_corpus *c, size_t block);

/* A corpus's lengths, to roll a failed multi-document addition back. */
typedef struct corpus_mark {
    size_t ndocs, strs, nm, nt, nsents;
    uint64_t nsentences, nparagraphs;
} corpus_mark;

void rc_corpus_mark(const rc_corpus *c, corpus_mark *m);
void rc_corpus_rollback(rc_corpus *c, const corpus_mark *m);

/* Empty c, as rc_corpus_new made it, keeping its memory (a chunk's
** corpus of rc_parallel.c, used again for the next chunk). */
void rc_corpus_reset(rc_corpus *c);

/* A document analyser set up as c's own (its recognizer, what c keeps),
** owned by the caller: a thread of rc_parallel.c analyses every chunk it
** takes with one, whichever slot's corpus the chunk goes into, so that
** its scratch, grown to the documents, and its tagger are made once a
** thread rather than once a slot.  rc_corpus_swap_work puts w (or
** NULL) in the analyser's place of a corpus of rc_corpus_new_lent for
** its next documents; the caller keeps owning w. */
rc_status rc_corpus_work_new(const rc_corpus *c, rc_docres **out);
void rc_corpus_swap_work(rc_corpus *c, rc_docres *w);
/* rc_corpus_new without an analyser of its own: documents go in only
** while one is lent (rc_corpus_swap_work), as a slot's corpus of
** rc_parallel.c takes its thread's. */
rc_status rc_corpus_new_lent(const rc_gazetteer *g, const rc_analysis_opts *opts,
                             const rc_allocator *alc, rc_corpus **out);

/* Room in c's tallies for every entity of its table and `votes` more
** (entity, country) votes: adding them then cannot fail (rc_pack.c). */
rc_status rc_corpus_tally_reserve(rc_corpus *c, size_t votes);

/* Append every document of src (analysed with the same gazetteer and
** options) to c, as if c had analysed them itself after its own. */
rc_status rc_corpus_append(rc_corpus *c, const rc_corpus *src);

/* rc, with the message of a failed write of the mention stream in err
** when that is what it was (rc_corpus_append leaves err alone). */
rc_status rc_corpus_add_error(const rc_corpus *c, rc_status rc, rc_error *err);

/* rc_corpus_add_source and rc_corpus_add_docs on `threads` threads
** (rc_parallel.c; the default count: rc_threads_default, rc_thread.h). */
rc_status rc_corpus_add_parallel(rc_corpus *c, rc_source *src, size_t threads,
                                 rc_progress_fn fn, void *ctx, rc_error *err);
rc_status rc_corpus_add_docs_parallel(rc_corpus *c, const rc_doc *docs, size_t n,
                                      size_t threads, rc_progress_fn fn, void *ctx,
                                      rc_error *err);

#endif /* RC_CORPUS_H */
