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
    for (size_t i = 0; i < c->ndocs && rc == RC_OK; i++) {
        const cdoc *d = &c->docs[i];
        const char *id = c->strs + d->id_off;
        char date[24];
        size_t dlen = rc_date_format(&d->date, date);
        if ((rc = rc_table_str(t, id, strlen(id))) ||
            (rc = rc_table_str(t, date, dlen)) ||
            (rc = rc_table_str(t, c->strs + d->dateline_off, d->dateline_len)) ||
            (rc = rc_table_int(t, d->nsent)) || (rc = rc_table_int(t, d->npara)) ||
            (rc = rc_table_int(t, d->ntok)) || (rc = rc_table_int(t, d->nm)))
            break;
        rc = rc_table_end_row(t);
    }
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
    for (size_t i = 0; i < c->ndocs && rc == RC_OK; i++) {
        const cdoc *d = &c->docs[i];
        const char *p = c->strs + d->meta_off;
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
    if (rc) {
        rc_table_free(t);
        return rc;
    }
    *out = t;
    return RC_OK;
}
