/*
** rc_corpus.c -- a corpus analysed once: per document its id, date,
** dateline, metadata, sentence count and mentions; the corpus-wide entity
** table.  Queries (rc_query.c) read it as often as they like.
**
** Storage: documents are a dense array of cdoc; all their strings (ids,
** metadata, mention surface texts) live in one arena; mentions of all
** documents are one array, each document owning a contiguous run
** [m_begin, m_begin + nm).  Entity ids are the corpus table's: a
** document's analysis has its own table (the gazetteer's plus names it
** met), and adding the document maps its ids into the corpus's.
**
** Failure in rc_corpus_add leaves the corpus as it was: the arrays are
** only truncated back to their previous lengths.
*/
#include "rc_corpus.h"

rc_status rc_corpus_new(const rc_gazetteer *g, const rc_analysis_opts *opts,
                        const rc_allocator *alc, rc_corpus **out) {
    *out = NULL;
    rc_corpus *c = rc_malloc(alc, sizeof *c);
    if (!c) return RC_ENOMEM;
    memset(c, 0, sizeof *c);
    c->alc = alc;
    c->g = g;
    if (opts) c->opts = *opts;
    rc_entities_init(&c->ents, alc);
    if (rc_entities_copy(&c->ents, rc_gazetteer_entities(g)) != RC_OK ||
        rc_docres_new(g, alc, &c->work) != RC_OK) {
        rc_corpus_free(c);
        return RC_ENOMEM;
    }
    if (rc_docres_set_ner(c->work, c->opts.ner, c->opts.tagger) != RC_OK) {
        rc_corpus_free(c);
        return RC_EINVAL;
    }
    *out = c;
    return RC_OK;
}

void rc_corpus_free(rc_corpus *c) {
    if (!c) return;
    rc_entities_free(&c->ents);
    rc_docres_free(c->work);
    rc_free(c->alc, c->docs);
    rc_free(c->alc, c->m);
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

/* Keep the document's sentences: spans in bytes and characters, and the
** text of those that hold a mention. */
static rc_status keep_sentences(rc_corpus *c, const rc_doc *doc,
                                const rc_docres *r) {
    if (rc_grow(c->alc, (void **)&c->sents, &c->sents_cap,
                c->nsents_kept + r->sents.n, sizeof *c->sents))
        return RC_ENOMEM;
    size_t pos = 0, chars = 0, k = 0;
    for (size_t i = 0; i < r->sents.n; i++) {
        const rc_sentence *s = &r->sents.v[i];
        csent *cs = &c->sents[c->nsents_kept + i];
        chars += rc_utf8_count(doc->text + pos, s->start - pos);
        cs->start = s->start;
        cs->end = s->end;
        cs->cstart = (uint32_t)chars;
        cs->cend = (uint32_t)(chars + rc_utf8_count(doc->text + s->start,
                                                    s->end - s->start));
        pos = s->start;
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

/* Copy the document's record and mentions; ids mapped into c->ents. */
static rc_status keep(rc_corpus *c, const rc_doc *doc, const rc_docres *r) {
    cdoc d;
    memset(&d, 0, sizeof d);
    rc_status rc;
    if ((rc = put_str(c, doc->id, strlen(doc->id), &d.id_off))) return rc;
    d.date = r->date;
    d.nsent = (uint32_t)r->sents.n;
    d.npara = r->nparagraphs;
    d.ntok = (uint32_t)r->toks.n;
    d.dateline_len = r->dateline.end - r->dateline.start;
    if ((rc = put_str(c, doc->text + r->dateline.start, d.dateline_len,
                      &d.dateline_off)))
        return rc;
    d.meta_off = c->strs_len;
    d.nmeta = (uint32_t)doc->n_meta;
    for (size_t i = 0; i < doc->n_meta; i++) {
        uint64_t o;
        if ((rc = put_str(c, doc->meta[i].key, strlen(doc->meta[i].key), &o)) ||
            (rc = put_str(c, doc->meta[i].value, strlen(doc->meta[i].value),
                          &o)))
            return rc;
    }
    if (rc_grow(c->alc, (void **)&c->m, &c->mcap, c->nm + r->nm, sizeof *c->m))
        return RC_ENOMEM;
    d.m_begin = c->nm;
    for (size_t i = 0; i < r->nm; i++) {
        cmention *cm = &c->m[c->nm + i];
        cm->m = r->m[i];
        size_t nl;
        const char *name = rc_entity_name(&r->ents, r->m[i].entity, &nl);
        const rc_entity *e = &r->ents.v[r->m[i].entity];
        if ((rc = rc_entities_intern(&c->ents, name, nl, (rc_etype)e->type,
                                     e->country, &cm->m.entity)) ||
            (rc = put_str(c, doc->text + r->m[i].start,
                          r->m[i].end - r->m[i].start, &cm->text_off)))
            return rc;
    }
    d.nm = (uint32_t)r->nm;
    d.s_begin = c->nsents_kept;
    if ((rc = keep_sentences(c, doc, r))) return rc;
    if (rc_grow(c->alc, (void **)&c->docs, &c->docs_cap, c->ndocs + 1,
                sizeof *c->docs))
        return RC_ENOMEM;
    c->nsents_kept += r->sents.n;
    c->nm += r->nm;
    c->docs[c->ndocs++] = d;
    c->nsentences += d.nsent;
    c->nparagraphs += d.npara;
    return RC_OK;
}

rc_status rc_corpus_add(rc_corpus *c, const rc_doc *doc, rc_error *err) {
    size_t strs0 = c->strs_len, nm0 = c->nm;
    rc_status rc = rc_docres_analyse(c->work, doc);
    if (rc == RC_OK) rc = keep(c, doc, c->work);
    if (rc) {
        c->strs_len = strs0;
        c->nm = nm0;
        return rc_error_set(err, rc, 0, "%s: %s", doc->path ? doc->path : doc->id,
                            rc_strerror(rc));
    }
    return RC_OK;
}

rc_status rc_corpus_add_source(rc_corpus *c, rc_source *src, rc_error *err) {
    rc_doc doc;
    rc_status rc;
    while ((rc = rc_source_next(src, &doc, err)) == RC_OK) {
        if (c->opts.interrupt && *c->opts.interrupt)
            return rc_error_set(err, RC_EINTR, 0, "interrupted");
        if ((rc = rc_corpus_add(c, &doc, err))) return rc;
    }
    return rc == RC_ENOENT ? RC_OK : rc;
}
