/*
** rc_ner.c -- the recognizer: entity mentions from a document's tokens
** and sentences.
**
** Stage 1, the gazetteer: within each sentence, at every unit (see
** rc_entity.c) the longest alias that starts there is a mention, and the
** scan resumes after it.  So `Saudi Arabia` beats `Saudi`, `Guinea-Bissau`
** beats `Guinea`, and `Iran-Pakistan` gives Iran and Pakistan.  A demonym
** (`Iranians`) is a mention of type NORP whose entity is its country.
** Matches never cross a sentence, so never a paragraph or a region.
**
** Later stages (proper names, titles, acronyms, in-document aliases) add
** to the same mention list; each mention records the rule that made it.
**
** Invariant on return: r->m is sorted by start and mentions do not
** overlap.
*/
#include "rc_entity.h"

static rc_status add_mention(rc_docres *r, const rc_unit *first,
                             const rc_unit *last, uint32_t sentence,
                             const rc_alias_hit *hit) {
    if (rc_grow(r->alc, (void **)&r->m, &r->mcap, r->nm + 1, sizeof *r->m))
        return RC_ENOMEM;
    rc_mention *m = &r->m[r->nm++];
    memset(m, 0, sizeof *m);
    m->start = first->start;
    m->end = last->end;
    m->tok = first->tok;
    m->sentence = sentence;
    m->entity = hit->entity;
    m->type = hit->type;
    m->rule = hit->rule;
    return RC_OK;
}

static rc_status gazetteer_stage(rc_docres *r, const char *text) {
    for (size_t s = 0; s < r->sents.n; s++) {
        const rc_sentence *sn = &r->sents.v[s];
        r->units.n = 0;
        rc_status rc = rc_units_build(text, r->toks.v, sn->tok_begin,
                                      sn->tok_end, &r->units, &r->scratch,
                                      &r->scratch_cap);
        if (rc) return rc;
        size_t n = r->units.n;
        for (size_t i = 0; i < n;) {
            rc_alias_hit hit;
            if (!rc_gazetteer_match(r->g, r->units.v, i, n, &hit)) {
                i++;
                continue;
            }
            rc = add_mention(r, &r->units.v[i], &r->units.v[i + hit.nunits - 1],
                             (uint32_t)s, &hit);
            if (rc) return rc;
            i += hit.nunits;
        }
    }
    return RC_OK;
}

rc_status rc_ner_run(rc_docres *r, const char *text) {
    return gazetteer_stage(r, text);
}
