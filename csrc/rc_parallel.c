/*
** rc_parallel.c -- analysing a source's documents on several threads
** (rc_corpus_add_source with opts.threads other than 1).
**
** A thread that finds no chunk ready to analyse fills one: it puts the
** next documents from the source into a free slot's chunk of about
** CHUNK_BYTES (at most CHUNK_DOCS documents, more when only terms are
** kept); an article file is read straight into its chunk's text arena
** (no copy, no allocation of its own).  Documents given in memory
** (rc_corpus_add_docs) are borrowed instead: a chunk points at a run of
** them, shorter near the end (TAIL_DOCS).  A CSV file comes as segments
** instead (see rc_csv_docs_part): raw bytes of whole rows, which the
** filling thread only cut at a row boundary; the thread that analyses the chunk
** repairs and parses them (libcsv), so the costly parsing is spread over
** the threads.  One thread fills at a time; the source is only ever used
** under that turn.  `threads` threads analyse: threads - 1 workers and
** the calling thread, which appends the analysed chunks to the corpus in
** the order they were read and otherwise analyses or fills as a worker
** does, rather than wait.  So no more threads are runnable than asked
** for.  Chunks are filled as the threads need them, not ahead, and up to
** SLOTS_A_THREAD x threads may be in flight: when the calling thread
** stops (a host that takes its CPU away for milliseconds, as this guest's
** does in its busy hours) the workers go on filling and analysing chunks
** until the slots are full, where with two slots a thread a worker stood
** still within about 3 ms.  Each chunk is analysed into its slot's
** private corpus, which is made once and emptied for the slot's next
** chunk (rc_corpus_reset), so its tables and scratch are not grown afresh
** and the gazetteer's entities not copied again for every chunk; a free
** slot whose corpus is made is taken before one whose corpus is not, so
** a pass makes only as many as it keeps chunks in flight.  The documents
** themselves are analysed by the thread's own analyser (an rc_docres,
** rc_corpus_work_new), lent to the slot's corpus for the chunk (which
** has none of its own, rc_corpus_new_lent): its
** scratch, grown to the documents, and the tagger's model and word cache
** are made once a thread, not once a slot.  Appending in
** reading order makes the corpus exactly the one a single thread would
** have built, whatever the thread count.
**
** Invariants: at most `nslots` chunks are in flight (read - appended), so
** memory is bounded by that many chunks of text plus their analyses; a
** slot goes FREE -> FILLING (a thread fills it) -> READY -> BUSY (a
** thread analyses it) -> DONE (analysed) -> FREE (appended), or FILLING
** -> FREE when nothing was read, and only under the pool's mutex; a
** chunk's seq is its place in reading order.  The first failure in
** reading order among the chunks appended wins (a failure of the feed
** when it comes first); later chunks are dropped.
*/
#include <pthread.h>
#include <stdlib.h>

#include "rc_corpus.h"
#include "rc_io.h"

#define CHUNK_BYTES (1u << 20)
#define SLOTS_A_THREAD 4
#define CHUNK_DOCS 64
/* Documents in memory: a chunk takes at most the documents left over
** twice the threads, down to TAIL_DOCS, so that the last chunks are
** short and the threads end together, not one idle while another
** analyses a whole last chunk (BBC's folder on two threads: up to 1 ms
** a pass of 20; bench/NOTES.md). */
#define TAIL_DOCS 8
/* Terms only (no recognizer), a document is analysed so fast that a
** chunk's fixed costs weigh: its corpus, its cold word cache, the merge
** of its term table.  Larger chunks pay them less often. */
#define CHUNK_DOCS_TERMS 256

typedef enum { SLOT_FREE, SLOT_FILLING, SLOT_READY, SLOT_BUSY, SLOT_DONE } slot_state;

/* An owned copy of a document (rc_source's buffers are reused), or a
** segment of a CSV file's rows (seg.layout set), which the thread that
** analyses the chunk parses.  seg's buffer stays with the item for the
** next chunk in the slot. */
typedef struct doc_copy {
    rc_doc doc;
    int borrowed;    /* doc is the caller's, text and all (rc_corpus_add_docs) */
    size_t text_off; /* else the text's place in the chunk's arena */
    char *id, *path, *title, *date;
    rc_meta *meta;
    rc_csv_segment seg;
} doc_copy;

/* A chunk's documents: their texts one after another in `text` (kept
** and reused by the slot's next chunks), their doc.text set once the
** chunk is read (the arena may move as it grows). */
typedef struct chunk {
    slot_state state;
    size_t seq;
    doc_copy *docs;
    size_t ndocs, cap, bytes;
    rc_text_arena text;
    rc_corpus *result;
    rc_status rc;
    rc_error err;
} chunk;

/* Where the documents come from: a source, or n documents in memory of
** which `next` is the first not yet put in a chunk. */
typedef struct feed {
    rc_source *src;
    const rc_doc *docs;
    size_t n, next;
} feed;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t changed; /* a slot changed state, or the feed ended */
    chunk *slots;
    size_t nslots;
    size_t threads;
    feed *f;
    size_t read, appended; /* chunks handed out, and appended, so far */
    int eof;               /* the feed has no more documents */
    int filling;           /* a thread is filling a slot from the feed */
    rc_status fill_rc;     /* the feed failed: no more filling */
    rc_error fill_err;
    int stop; /* workers leave */
    rc_corpus *c; /* the target: its gazetteer and options */
    rc_progress_fn progress;
    void *progress_ctx;
    size_t docs0; /* the corpus's documents before this run */
} pool;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void copy_free(doc_copy *d) {
    free(d->id);
    free(d->path);
    free(d->title);
    free(d->date);
    for (size_t i = 0; d->meta && i < d->doc.n_meta; i++) {
        free((char *)d->meta[i].key);
        free((char *)d->meta[i].value);
    }
    free(d->meta);
    rc_csv_segment_clear(&d->seg);
    d->id = d->path = d->title = d->date = NULL;
    d->meta = NULL;
    d->doc.text = NULL;
}

/* Empty the chunk for the next documents: its corpus stays, emptied, so
** that the next chunk in the slot finds its tables, scratch and copy of
** the gazetteer's entities already made and grown. */
static void chunk_clear(chunk *ch) {
    for (size_t i = 0; i < ch->ndocs; i++) copy_free(&ch->docs[i]);
    ch->ndocs = ch->bytes = ch->text.len = 0;
    if (ch->result) rc_corpus_reset(ch->result);
    ch->rc = RC_OK;
    memset(&ch->err, 0, sizeof ch->err);
}

/* Keep src in d: an article file is already in the chunk's arena
** (rc_source_next_part read it there, at `at`) and its id and path are the
** source's, which keeps them; any other document is copied, its text into
** the arena too. */
static rc_status keep_doc(chunk *ch, doc_copy *d, const rc_doc *src, size_t at) {
    d->doc = *src;
    d->doc.text = NULL; /* set when analysed: the arena may move */
    d->text_off = at;
    if (src->is_article) return RC_OK;
    rc_text_arena *a = &ch->text;
    if (rc_grow(NULL, (void **)&a->v, &a->cap, a->len + src->len + 1, 1)) return RC_ENOMEM;
    memcpy(a->v + a->len, src->text, src->len + 1);
    a->len += src->len + 1;
    d->doc.id = d->id = strdup(src->id);
    d->doc.path = d->path = dup_or_null(src->path);
    d->doc.title = d->title = dup_or_null(src->title);
    d->doc.date = d->date = dup_or_null(src->date);
    d->doc.meta = d->meta = src->n_meta ? calloc(src->n_meta, sizeof *d->meta) : NULL;
    int bad = !d->id || (src->path && !d->path) || (src->title && !d->title) ||
              (src->date && !d->date) || (src->n_meta && !d->meta);
    for (size_t i = 0; !bad && i < src->n_meta; i++) {
        d->meta[i].key = strdup(src->meta[i].key);
        d->meta[i].value = strdup(src->meta[i].value);
        bad = !d->meta[i].key || !d->meta[i].value;
    }
    if (bad) {
        copy_free(d);
        return RC_ENOMEM;
    }
    return RC_OK;
}

/* Add a document to the chunk's corpus, unless Ctrl-C said stop. */
static rc_status add_doc(void *ctx, const rc_doc *doc) {
    chunk *ch = ctx;
    const volatile int *stop = ch->result->opts.interrupt;
    if (stop && *stop) return rc_error_set(&ch->err, RC_EINTR, 0, "interrupted");
    return rc_corpus_add(ch->result, doc, &ch->err);
}

/* Analyse a chunk into its slot's private corpus (made on first use)
** with the thread's analyser *work (made on the thread's first chunk). */
static void analyse_chunk(pool *p, chunk *ch, rc_docres **work) {
    rc_analysis_opts opts = p->c->opts;
    opts.threads = 1;
    if (!ch->result) ch->rc = rc_corpus_new_lent(p->c->g, &opts, p->c->alc, &ch->result);
    if (ch->rc == RC_OK && !*work) ch->rc = rc_corpus_work_new(ch->result, work);
    int lent = ch->rc == RC_OK;
    if (lent) rc_corpus_swap_work(ch->result, *work);
    for (size_t i = 0; ch->rc == RC_OK && i < ch->ndocs; i++) {
        doc_copy *d = &ch->docs[i];
        if (d->seg.layout) {
            ch->rc = rc_csv_segment_docs(&d->seg, add_doc, ch);
        } else {
            if (!d->borrowed) d->doc.text = ch->text.v + d->text_off;
            ch->rc = add_doc(ch, &d->doc);
        }
    }
    if (lent) rc_corpus_swap_work(ch->result, NULL); /* the thread's again */
}

static chunk *next_ready(pool *p) {
    chunk *best = NULL;
    for (size_t i = 0; i < p->nslots; i++)
        if (p->slots[i].state == SLOT_READY && (!best || p->slots[i].seq < best->seq))
            best = &p->slots[i];
    return best;
}

/* The chunk to append next (p->appended), if it is analysed. */
static chunk *next_done(pool *p) {
    for (size_t i = 0; i < p->nslots; i++)
        if (p->slots[i].state == SLOT_DONE && p->slots[i].seq == p->appended)
            return &p->slots[i];
    return NULL;
}

/* A free slot, one whose corpus is made already if any: a pass makes
** only as many slots' corpora as it keeps chunks in flight. */
static chunk *free_slot(pool *p) {
    chunk *cold = NULL;
    for (size_t i = 0; i < p->nslots; i++) {
        chunk *ch = &p->slots[i];
        if (ch->state != SLOT_FREE) continue;
        if (ch->result) return ch;
        if (!cold) cold = ch;
    }
    return cold;
}

/* Whether a thread may fill a slot now: the feed neither ended nor
** failed, no other thread filling, fewer than nslots chunks in flight. */
static int may_fill(const pool *p) {
    return !p->eof && !p->filling && p->fill_rc == RC_OK &&
           p->read - p->appended < p->nslots;
}

/* Analyse chunk ch (READY) on this thread, with its analyser *work;
** p->mu held, released meanwhile. */
static void take_chunk(pool *p, chunk *ch, rc_docres **work) {
    ch->state = SLOT_BUSY;
    pthread_mutex_unlock(&p->mu);
    analyse_chunk(p, ch, work);
    pthread_mutex_lock(&p->mu);
    ch->state = SLOT_DONE;
    pthread_cond_broadcast(&p->changed);
}

/* Room in ch for one more document: its entry (zeroed when new). */
static doc_copy *next_entry(chunk *ch) {
    size_t old = ch->cap;
    if (rc_grow(NULL, (void **)&ch->docs, &ch->cap, ch->ndocs + 1, sizeof *ch->docs))
        return NULL;
    memset(ch->docs + old, 0, (ch->cap - old) * sizeof *ch->docs);
    return &ch->docs[ch->ndocs];
}

/* Fill ch with the next run of the documents in memory, for a pool of
** `threads` threads; *eof when none is left. */
static rc_status take_docs(feed *f, chunk *ch, size_t max_docs, size_t threads, int *eof) {
    /* the tail's shorter chunks (TAIL_DOCS) */
    size_t tail = (f->n - f->next) / (2 * threads);
    if (tail < max_docs) max_docs = tail > TAIL_DOCS ? tail : TAIL_DOCS;
    while (ch->bytes < CHUNK_BYTES && ch->ndocs < max_docs && f->next < f->n) {
        doc_copy *d = next_entry(ch);
        if (!d) return RC_ENOMEM;
        d->doc = f->docs[f->next++];
        d->borrowed = 1;
        ch->ndocs++;
        ch->bytes += d->doc.len + 1;
    }
    *eof = f->next == f->n;
    return RC_OK;
}

/* Fill ch with the next documents and CSV segments of src; *eof when
** the source ended. */
static rc_status read_chunk(rc_source *src, chunk *ch, size_t max_docs, int *eof,
                            rc_error *err) {
    rc_doc doc;
    rc_status rc;
    int is_seg;
    while (ch->bytes < CHUNK_BYTES && ch->ndocs < max_docs) {
        doc_copy *d = next_entry(ch);
        if (!d) return RC_ENOMEM;
        d->borrowed = 0;
        size_t at = ch->text.len;
        rc = rc_source_next_part(src, CHUNK_BYTES - ch->bytes, &ch->text, &doc, &d->seg,
                                 &is_seg, err);
        if (rc != RC_OK) {
            if (rc == RC_ENOENT && !err->msg[0]) {
                *eof = 1;
                return RC_OK;
            }
            return rc;
        }
        if (!is_seg && (rc = keep_doc(ch, d, &doc, at))) return rc;
        ch->ndocs++;
        ch->bytes += is_seg ? d->seg.len : doc.len + 1;
        if (is_seg && d->seg.more) break; /* as large as it may be */
    }
    return RC_OK;
}

/* Fill a free slot with the feed's next documents and hand it out
** (READY), on whichever thread found no chunk ready (may_fill); p->mu
** held, released while the documents are read.  The feed's end or failure
** is kept in the pool. */
static void fill_chunk(pool *p) {
    chunk *ch = free_slot(p);
    ch->state = SLOT_FILLING;
    p->filling = 1;
    pthread_mutex_unlock(&p->mu);
    feed *f = p->f;
    size_t max_docs = p->c->opts.keep_terms == RC_TERMS_ONLY ? CHUNK_DOCS_TERMS : CHUNK_DOCS;
    int eof = 0;
    rc_error err = {0};
    rc_status rc = f->src ? read_chunk(f->src, ch, max_docs, &eof, &err)
                          : take_docs(f, ch, max_docs, p->threads, &eof);
    if (rc != RC_OK || !ch->ndocs) chunk_clear(ch);
    pthread_mutex_lock(&p->mu);
    p->filling = 0;
    p->eof |= eof;
    if (rc != RC_OK) {
        p->fill_rc = rc;
        p->fill_err = err;
        ch->state = SLOT_FREE;
    } else if (ch->ndocs) {
        ch->seq = p->read++;
        ch->state = SLOT_READY;
    } else {
        ch->state = SLOT_FREE;
    }
    pthread_cond_broadcast(&p->changed);
}

/* Whether no chunk is ready to analyse and none will be: the feed ended
** (or failed) and no thread is filling one.  A worker then leaves at
** once, its analyser freed while the calling thread appends the last
** chunks, so that joining it does not wait for it to wake (BBC's folder
** on two threads: the join 80-120 microseconds before, 8-70 after). */
static int drained(const pool *p) {
    return (p->eof || p->fill_rc != RC_OK) && !p->filling;
}

static void *worker(void *arg) {
    pool *p = arg;
    rc_docres *work = NULL; /* this thread's analyser, for every slot */
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        chunk *ch = next_ready(p);
        if (ch) take_chunk(p, ch, &work);
        else if (may_fill(p)) fill_chunk(p);
        else if (drained(p)) break; /* the calling thread appends the rest */
        else pthread_cond_wait(&p->changed, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    rc_docres_free(work);
    return NULL;
}

/* The calling thread's part: append the chunks in the order they were
** read, as each is analysed; otherwise analyse or fill one as a worker
** does, or wait.  Until the feed ends and every chunk is appended, or a
** failure (the first in reading order among the chunks appended; the
** feed's when it fails first). */
static rc_status drive(pool *p, rc_error *err) {
    rc_status rc = RC_OK;
    rc_docres *work = NULL; /* this thread's analyser, for every slot */
    pthread_mutex_lock(&p->mu);
    for (;;) {
        chunk *ch;
        if (p->fill_rc != RC_OK) {
            rc = p->fill_rc;
            *err = p->fill_err;
            break;
        }
        if ((ch = next_done(p))) {
            pthread_mutex_unlock(&p->mu);
            rc = ch->rc;
            if (rc) *err = ch->err;
            else rc = rc_corpus_add_error(p->c, rc_corpus_append(p->c, ch->result), err);
            if (rc == RC_OK && p->progress && p->progress(p->progress_ctx, p->c->ndocs - p->docs0))
                rc = rc_error_set(err, RC_EINTR, 0, "stopped");
            chunk_clear(ch);
            pthread_mutex_lock(&p->mu);
            ch->state = SLOT_FREE;
            p->appended++;
            pthread_cond_broadcast(&p->changed);
            if (rc) break;
        } else if (p->eof && !p->filling && p->appended == p->read) {
            break;
        } else if ((ch = next_ready(p))) {
            take_chunk(p, ch, &work);
        } else if (may_fill(p)) {
            fill_chunk(p);
        } else {
            pthread_cond_wait(&p->changed, &p->mu);
        }
    }
    p->stop = 1;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->mu);
    rc_docres_free(work);
    return rc;
}

/* Analyse the documents of f on `threads` threads into c. */
static rc_status add_parallel(rc_corpus *c, feed *f, size_t threads, rc_progress_fn fn,
                              void *ctx, rc_error *err) {
    pool p;
    memset(&p, 0, sizeof p);
    p.c = c;
    p.progress = fn;
    p.progress_ctx = ctx;
    p.docs0 = c->ndocs;
    p.threads = threads;
    p.f = f;
    p.nslots = threads * SLOTS_A_THREAD;
    p.slots = calloc(p.nslots, sizeof *p.slots);
    rc_thread *tids = calloc(threads, sizeof *tids);
    if (!p.slots || !tids) {
        free(p.slots);
        free(tids);
        return RC_ENOMEM;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.changed, NULL);
    /* the calling thread is the last analyser: should no worker start,
    ** it does all the work.  It is held to its CPU while it reads,
    ** appends and analyses, the workers placed from there (rc_thread.c). */
    rc_thread_home home;
    rc_thread_home_hold(&home);
    size_t started = 0;
    while (started + 1 < threads &&
           rc_thread_start(&tids[started], &home, started + 1, worker, &p) == 0)
        started++;
    rc_status rc = drive(&p, err);
    for (size_t i = 0; i < started; i++) rc_thread_join(&tids[i]);
    rc_thread_home_release(&home);
    for (size_t i = 0; i < p.nslots; i++) {
        chunk_clear(&p.slots[i]);
        rc_corpus_free(p.slots[i].result);
        for (size_t k = 0; k < p.slots[i].cap; k++) rc_csv_segment_free(&p.slots[i].docs[k].seg);
        free(p.slots[i].docs);
        free(p.slots[i].text.v);
    }
    pthread_cond_destroy(&p.changed);
    pthread_mutex_destroy(&p.mu);
    free(p.slots);
    free(tids);
    return rc;
}

rc_status rc_corpus_add_parallel(rc_corpus *c, rc_source *src, size_t threads,
                                 rc_progress_fn fn, void *ctx, rc_error *err) {
    feed f = {src, NULL, 0, 0};
    return add_parallel(c, &f, threads, fn, ctx, err);
}

rc_status rc_corpus_add_docs_parallel(rc_corpus *c, const rc_doc *docs, size_t n,
                                      size_t threads, rc_progress_fn fn, void *ctx,
                                      rc_error *err) {
    feed f = {NULL, docs, n, 0};
    return add_parallel(c, &f, threads, fn, ctx, err);
}
