/*
** rc_doctable.c -- the documents of an analysed corpus as tables: one row
** a document (id, date, dateline and the sizes of its analysis), and its
** metadata in long form (one row a key and value), for the Python
** module's Corpus.documents() and iteration over a corpus.
**
** Both read the corpus (rc_corpus.h) and copy what they show into a new
** rc_table; the corpus is not changed.  Linear in documents plus metadata.
*/
#include "rc_corpus.h"

rc_status rc_corpus_documents(const rc_corpus *c, rc_table **out) {
    static const char *const names[] = {"doc", "date", "dateline", "sentences",
                                        "paragraphs", "tokens", "mentions"};
    static const rc_col_kind kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_STR,
                                        RC_COL_INT, RC_COL_INT, RC_COL_INT,
                                        RC_COL_INT};
    *out = NULL;
    rc_table *t;
    rc_status rc = rc_table_new(7, names, kinds, c->alc, &t);
    doc_cursor k;
    doc_cursor_init(&k, c);
    for (size_t i = 0; i < c->ndocs && rc == RC_OK; i++) {
        const cdoc *d;
        if ((rc = doc_cursor_at(&k, i, &d, NULL))) break;
        const char *id = rc_corpus_doc_id(c, d);
        char date[24];
        size_t dlen = rc_date_format(&d->date, date);
        if ((rc = rc_table_str(t, id, strlen(id))) ||
            (rc = rc_table_str(t, date, dlen)) ||
            (rc = rc_table_str(t, rc_corpus_doc_dateline(c, d), d->dateline_len)) ||
            (rc = rc_table_int(t, d->nsent)) || (rc = rc_table_int(t, d->npara)) ||
            (rc = rc_table_int(t, d->ntok)) || (rc = rc_table_int(t, d->nm)))
            break;
        rc = rc_table_end_row(t);
    }
    doc_cursor_free(&k);
    if (rc) {
        rc_table_free(t);
        return rc;
    }
    *out = t;
    return RC_OK;
}

rc_status rc_corpus_metadata(const rc_corpus *c, rc_table **out) {
    static const char *const names[] = {"doc", "key", "value"};
    static const rc_col_kind kinds[] = {RC_COL_INT, RC_COL_STR, RC_COL_STR};
    *out = NULL;
    rc_table *t;
    rc_status rc = rc_table_new(3, names, kinds, c->alc, &t);
    doc_cursor dk;
    doc_cursor_init(&dk, c);
    for (size_t i = 0; i < c->ndocs && rc == RC_OK; i++) {
        const cdoc *d;
        const char *p;
        if ((rc = doc_cursor_at(&dk, i, &d, NULL)) || (rc = doc_cursor_meta(&dk, d, &p, NULL)))
            break;
        for (uint32_t k = 0; k < d->nmeta && rc == RC_OK; k++) {
            size_t klen = strlen(p);
            const char *value = p + klen + 1;
            size_t vlen = strlen(value);
            if ((rc = rc_table_int(t, (int64_t)i)) || (rc = rc_table_str(t, p, klen)) ||
                (rc = rc_table_str(t, value, vlen)))
                break;
            rc = rc_table_end_row(t);
            p = value + vlen + 1;
        }
    }
    doc_cursor_free(&dk);
    if (rc) {
        rc_table_free(t);
        return rc;
    }
    *out = t;
    return RC_OK;
}
