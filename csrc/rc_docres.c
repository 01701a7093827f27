/*
** rc_docres.c -- the analysis of one document: layout (title, date line,
** dateline, body, boilerplate), tokens, sentences and paragraphs,
** mentions; and the per-document tables (tokens, sentences, mentions).
**
** Regions: an article is analysed as two regions, its title and its body;
** the date line, the dateline and trailing boilerplate lie outside both, so
** they make no token.  A CSV row is one region (its text), less a leading
** dateline.  Every region boundary is a paragraph boundary.  With
** whole_regions (set by a corpus whose queries see only documents) a region
** is one sentence and one paragraph: tokens, no sentence splitting.
**
** An rc_docres is reused across documents: its arrays keep their memory,
** so a long run allocates only while documents grow.  Offsets are bytes of
** doc->text; character offsets are computed for mentions as they are made
** (one pass over the text, mentions being in order; none when the text is
** ASCII up to the last mention, where they are the byte offsets), unless
** bytes_only (set by a lean corpus, which keeps no offsets) says none are
** wanted.
*/
#include "rc_entity.h"
#include "rc_tagger.h"

rc_status rc_docres_new(const rc_gazetteer *g, const rc_allocator *alc,
                        rc_docres **out) {
    *out = NULL;
    rc_docres *r = rc_malloc(alc, sizeof *r);
    if (!r) return RC_ENOMEM;
    memset(r, 0, sizeof *r);
    r->alc = alc;
    r->g = g;
    rc_entities_init(&r->ents, alc);
    rc_tokens_init(&r->toks, alc);
    rc_sentences_init(&r->sents, alc);
    r->units.alc = alc;
    if (rc_entities_copy(&r->ents, rc_gazetteer_entities(g)) != RC_OK) {
        rc_docres_free(r);
        return RC_ENOMEM;
    }
    *out = r;
    return RC_OK;
}

void rc_docres_trim(rc_docres *r) {
    rc_ner_free(r);
    rc_entities_truncate(&r->ents, rc_gazetteer_entities(r->g)->n);
    rc_tokens_free(&r->toks);
    rc_token_side_free(r->alc, &r->side);
    rc_sentences_free(&r->sents);
    rc_units_free(&r->units);
    rc_free(r->alc, r->scratch);
    rc_free(r->alc, r->m);
    r->scratch = NULL;
    r->m = NULL;
    r->scratch_cap = r->nm = r->mcap = 0;
}

void rc_docres_free(rc_docres *r) {
    if (!r) return;
    rc_ner_free(r);
    rc_tagger_free(r->own_tagger);
    rc_entities_free(&r->ents);
    rc_tokens_free(&r->toks);
    rc_token_side_free(r->alc, &r->side);
    rc_sentences_free(&r->sents);
    rc_units_free(&r->units);
    rc_free(r->alc, r->scratch);
    rc_free(r->alc, r->m);
    rc_free(r->alc, r);
}

/* The tokens from first_tok on as one sentence, its own paragraph. */
static rc_status whole_region(rc_docres *r, size_t first_tok) {
    rc_sentences *out = &r->sents;
    if (rc_grow(out->alc, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return RC_ENOMEM;
    rc_sentence *s = &out->v[out->n++];
    s->tok_begin = (uint32_t)first_tok;
    s->tok_end = (uint32_t)r->toks.n;
    s->start = r->toks.v[first_tok].start;
    s->end = r->toks.v[r->toks.n - 1].end;
    s->paragraph = r->nparagraphs++;
    return RC_OK;
}

/* Tokenize and split one region [start, end) of text (whole_regions: a
** region is one sentence), with the lists the recognizer reads
** (rc_tokenize_hashed), or with no_names the splitter's list alone
** (rc_tokenize_noted); the splitter then steps over its list. */
static rc_status analyse_region(rc_docres *r, const char *text, uint32_t start,
                                uint32_t end) {
    if (end <= start) return RC_OK;
    size_t first_tok = r->toks.n, first_sent = r->sents.n, first_notable = r->side.nnotable;
    rc_status rc = r->no_names
                       ? rc_tokenize_noted(text + start, end - start, start, &r->toks, &r->side)
                       : rc_tokenize_hashed(text + start, end - start, start, &r->toks, &r->side);
    if (rc) return rc;
    if (r->toks.n == first_tok) return RC_OK;
    if (r->whole_regions) return whole_region(r, first_tok);
    uint32_t next;
    const rc_token *toks = r->toks.v + first_tok;
    size_t n = r->toks.n - first_tok;
    rc = rc_split_listed(text, toks, n, r->side.notable + first_notable,
                         r->side.nnotable - first_notable, (uint32_t)first_tok,
                         r->nparagraphs, &next, &r->sents);
    if (rc) return rc;
    for (size_t s = first_sent; s < r->sents.n; s++) {
        r->sents.v[s].tok_begin += (uint32_t)first_tok;
        r->sents.v[s].tok_end += (uint32_t)first_tok;
    }
    r->nparagraphs = next;
    return RC_OK;
}

/* Character offsets of the mentions.  When the text up to the furthest
** mention end is ASCII (one count over it tells), they are the byte
** offsets; else one pass counts from the end of one mention to the end of
** the next (they are sorted by start and never overlap), every byte once. */
static void char_offsets(rc_docres *r, const char *text) {
    uint32_t last = 0;
    for (size_t i = 0; i < r->nm; i++)
        if (r->m[i].end > last) last = r->m[i].end;
    if (rc_utf8_count(text, last) == last) {
        for (size_t i = 0; i < r->nm; i++) {
            r->m[i].cstart = r->m[i].start;
            r->m[i].cend = r->m[i].end;
        }
        return;
    }
    size_t pos = 0, chars = 0; /* chars: the characters of text[0..pos) */
    for (size_t i = 0; i < r->nm; i++) {
        rc_mention *m = &r->m[i];
        if (RC_NEVER(m->start < pos)) pos = chars = 0;
        chars += rc_utf8_count(text + pos, m->start - pos);
        m->cstart = (uint32_t)chars;
        chars += rc_utf8_count(text + m->start, m->end - m->start);
        m->cend = (uint32_t)chars;
        pos = m->end;
    }
}

rc_status rc_docres_set_ner(rc_docres *r, rc_ner_mode mode,
                            const rc_tagger *tagger) {
    if (mode != RC_NER_MODEL && mode != RC_NER_RULES) return RC_EINVAL;
    r->ner_mode = (uint8_t)mode;
    r->tagger = tagger; /* NULL: the built-in, opened on first use */
    return RC_OK;
}

rc_status rc_ner_mode_parse(const char *s, rc_ner_mode *out, rc_error *err) {
    if (!strcmp(s, "model")) *out = RC_NER_MODEL;
    else if (!strcmp(s, "rules")) *out = RC_NER_RULES;
    else
        return rc_error_set(err, RC_EINVAL, 0, "invalid value '%s' for ner "
                            "(expected model or rules)", s);
    return RC_OK;
}

rc_status rc_docres_layout(rc_docres *r, const rc_doc *doc) {
    /* the last document's names go: ents stays the gazetteer's size plus
    ** one document's (small enough to stay in cache) */
    rc_entities_truncate(&r->ents, rc_gazetteer_entities(r->g)->n);
    r->toks.n = 0;
    r->side.nlower = r->side.nwords = r->side.nparen = r->side.nnotable = 0;
    r->sents.n = 0;
    r->nm = 0;
    r->nparagraphs = 0;
    r->title_sents = 0;
    memset(&r->date, 0, sizeof r->date);
    memset(&r->dateline, 0, sizeof r->dateline);
    if (doc->len > RC_MAX_DOC_BYTES) return RC_ELIMIT;
    const char *text = doc->text;
    uint32_t len = (uint32_t)doc->len;
    rc_status rc;
    if (doc->is_article) {
        rc_article a;
        rc_article_parse(text, len, &a);
        r->date = a.date;
        r->dateline = a.dateline;
        if ((rc = analyse_region(r, text, a.title.start, a.title.end))) return rc;
        r->title_sents = (uint32_t)r->sents.n;
        if ((rc = analyse_region(r, text, a.body.start, a.body.end))) return rc;
    } else {
        rc_span name = {0, 0};
        uint32_t skip = (uint32_t)rc_dateline_find(text, len, &name);
        r->dateline = name;
        if (doc->date) rc_date_parse(doc->date, strlen(doc->date), &r->date);
        if ((rc = analyse_region(r, text, skip, len))) return rc;
    }
    return RC_OK;
}

rc_status rc_docres_analyse(rc_docres *r, const rc_doc *doc) {
    if (RC_NEVER(r->no_names)) return RC_EINVAL;
    const char *text = doc->text;
    rc_status rc = rc_docres_layout(r, doc);
    if (rc) return rc;
    if ((rc = rc_ner_run(r, text))) return rc;
    if (!r->bytes_only) char_offsets(r, text);
    return RC_OK;
}

/* MARK: - Per-document tables ---------------------------------------------- */

static rc_status make_table(const rc_allocator *alc, size_t n,
                            const char *const *names, const rc_col_kind *kinds,
                            rc_table **out) {
    return rc_table_new(n, names, kinds, alc, out);
}

rc_status rc_tokens_table_new(const rc_allocator *alc, rc_table **out) {
    static const char *const n[] = {"doc", "index", "start", "end", "kind",
                                    "text", "sentence"};
    static const rc_col_kind k[] = {RC_COL_STR, RC_COL_INT, RC_COL_INT,
                                    RC_COL_INT, RC_COL_STR, RC_COL_STR,
                                    RC_COL_INT};
    return make_table(alc, 7, n, k, out);
}

rc_status rc_sentences_table_new(const rc_allocator *alc, rc_table **out) {
    static const char *const n[] = {"doc", "sentence", "start", "end", "text",
                                    "paragraph"};
    static const rc_col_kind k[] = {RC_COL_STR, RC_COL_INT, RC_COL_INT,
                                    RC_COL_INT, RC_COL_STR, RC_COL_INT};
    return make_table(alc, 6, n, k, out);
}

rc_status rc_mentions_table_new(const rc_allocator *alc, rc_table **out) {
    static const char *const n[] = {"doc", "sentence", "start", "end", "text",
                                    "entity", "type", "country", "rule"};
    static const rc_col_kind k[] = {RC_COL_STR, RC_COL_INT, RC_COL_INT,
                                    RC_COL_INT, RC_COL_STR, RC_COL_STR,
                                    RC_COL_STR, RC_COL_STR, RC_COL_STR};
    return make_table(alc, 9, n, k, out);
}

/* A running byte -> character offset converter over one text. */
typedef struct char_cursor {
    const char *text;
    size_t byte, chars;
} char_cursor;

static int64_t to_chars(char_cursor *c, size_t byte) {
    if (byte < c->byte) {
        c->byte = 0;
        c->chars = 0;
    }
    c->chars += rc_utf8_count(c->text + c->byte, byte - c->byte);
    c->byte = byte;
    return (int64_t)c->chars;
}

static int64_t offset(char_cursor *c, int chars, size_t byte) {
    return chars ? to_chars(c, byte) : (int64_t)byte;
}

rc_status rc_docres_tokens(const rc_docres *r, const rc_doc *doc,
                           int char_offsets_, rc_table *t) {
    char_cursor cc = {doc->text, 0, 0};
    size_t s = 0;
    for (size_t i = 0; i < r->toks.n; i++) {
        const rc_token *tk = &r->toks.v[i];
        while (s + 1 < r->sents.n && r->sents.v[s].tok_end <= i) s++;
        const char *kind = rc_token_kind_name((rc_token_kind)tk->kind);
        rc_status rc;
        if ((rc = rc_table_str(t, doc->id, strlen(doc->id))) ||
            (rc = rc_table_int(t, (int64_t)i)) ||
            (rc = rc_table_int(t, offset(&cc, char_offsets_, tk->start))) ||
            (rc = rc_table_int(t, offset(&cc, char_offsets_, tk->end))) ||
            (rc = rc_table_str(t, kind, strlen(kind))) ||
            (rc = rc_table_str(t, doc->text + tk->start, tk->end - tk->start)) ||
            (rc = rc_table_int(t, (int64_t)s)) || (rc = rc_table_end_row(t)))
            return rc;
    }
    return RC_OK;
}

rc_status rc_docres_sentences(const rc_docres *r, const rc_doc *doc,
                              int char_offsets_, rc_table *t) {
    char_cursor cc = {doc->text, 0, 0};
    for (size_t i = 0; i < r->sents.n; i++) {
        const rc_sentence *s = &r->sents.v[i];
        rc_status rc;
        if ((rc = rc_table_str(t, doc->id, strlen(doc->id))) ||
            (rc = rc_table_int(t, (int64_t)i)) ||
            (rc = rc_table_int(t, offset(&cc, char_offsets_, s->start))) ||
            (rc = rc_table_int(t, offset(&cc, char_offsets_, s->end))) ||
            (rc = rc_table_str(t, doc->text + s->start, s->end - s->start)) ||
            (rc = rc_table_int(t, s->paragraph)) || (rc = rc_table_end_row(t)))
            return rc;
    }
    return RC_OK;
}

rc_status rc_mention_row(rc_table *t, const char *doc_id, const char *text,
                         const rc_mention *m, const rc_entities *ents,
                         int char_offsets_) {
    size_t nl;
    const char *name = rc_entity_name(ents, m->entity, &nl);
    char cc[4];
    rc_ccode_unpack(m->country ? m->country : ents->v[m->entity].country, cc);
    const char *type = rc_etype_name((rc_etype)m->type);
    const char *rule = rc_rule_name((rc_rule)m->rule);
    rc_status rc;
    if ((rc = rc_table_str(t, doc_id, strlen(doc_id))) ||
        (rc = rc_table_int(t, m->sentence)) ||
        (rc = rc_table_int(t, char_offsets_ ? m->cstart : m->start)) ||
        (rc = rc_table_int(t, char_offsets_ ? m->cend : m->end)))
        return rc;
    if ((rc = rc_table_str(t, text, m->end - m->start)) || (rc = rc_table_str(t, name, nl)) ||
        (rc = rc_table_str(t, type, strlen(type))) ||
        (rc = rc_table_str(t, cc, strlen(cc))) ||
        (rc = rc_table_str(t, rule, strlen(rule))) || (rc = rc_table_end_row(t)))
        return rc;
    return RC_OK;
}

rc_status rc_docres_mentions(const rc_docres *r, const rc_doc *doc,
                             int char_offsets_, rc_table *t) {
    for (size_t i = 0; i < r->nm; i++) {
        const rc_mention *m = &r->m[i];
        rc_status rc = rc_mention_row(t, doc->id, doc->text + m->start, m,
                                      &r->ents,
                                      char_offsets_);
        if (rc) return rc;
    }
    return RC_OK;
}
