/*
** rc_sent.c -- paragraphs and sentences over token spans.
**
** A sentence ends after a token `.`, `!`, `?` (or `...`/`…` before a
** capital), taking closing quotes and brackets that follow into it.  A
** token that keeps its full stop (RC_TF_ABBREV: U.S., Dr., J.) ends a
** sentence only when a new paragraph follows, or when the next token is
** capitalised and the abbreviation is not one that stands before names
** (Dr., Gen., an initial).  The tokenizer keeps numbers (3.5) whole, so
** no split happens inside one.
**
** Paragraphs are hard boundaries: a token after a blank line starts one,
** and so does a token after a line break when the previous sentence ended
** at that break; any other line break is a space (hard-wrapped text).
**
** Output: sentences with token ranges [tok_begin, tok_end) relative to the
** toks array given, byte spans from the first token's start to the last
** token's end, and paragraph numbers.
*/
#include "rc_internal.h"

static int tok_is(const char *text, const rc_token *t, const char *s) {
    size_t n = strlen(s);
    return t->end - t->start == n && !memcmp(text + t->start, s, n);
}

static int final_punct(const char *text, const rc_token *t) {
    return t->kind == RC_TOK_PUNCT &&
           (tok_is(text, t, ".") || tok_is(text, t, "!") || tok_is(text, t, "?") ||
            tok_is(text, t, "...") || tok_is(text, t, "\xE2\x80\xA6") ||
            tok_is(text, t, "?!") || tok_is(text, t, "!?"));
}

static int ellipsis(const char *text, const rc_token *t) {
    return tok_is(text, t, "...") || tok_is(text, t, "\xE2\x80\xA6");
}

static int closing(const char *text, const rc_token *t) {
    return t->kind == RC_TOK_PUNCT &&
           (tok_is(text, t, "\"") || tok_is(text, t, "'") || tok_is(text, t, ")") ||
            tok_is(text, t, "]") || tok_is(text, t, "\xE2\x80\x9D") ||
            tok_is(text, t, "\xE2\x80\x99") || tok_is(text, t, "\xC2\xBB"));
}

/* Abbreviations that stand before a name, so a capital after them does
** not start a sentence. */
static int before_name(const char *text, const rc_token *t) {
    static const char *const list[] = {"Dr.", "Mr.", "Mrs.", "Ms.", "Prof.",
                                       "Gen.", "Col.", "Lt.", "Sgt.", "Capt.",
                                       "Gov.", "Sen.", "Rep.", "St.", "Mt.",
                                       "Adm.", "Maj.", "Rev.", "Hon.", "Amb.",
                                       "Brig.", "Cmdr.", "Pres.", NULL};
    for (size_t i = 0; list[i]; i++)
        if (tok_is(text, t, list[i])) return 1;
    return t->end - t->start == 2; /* an initial: J. */
}

static rc_status push(rc_sentences *out, const rc_token *toks, size_t b,
                      size_t e, uint32_t para) {
    if (rc_grow(out->alc, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return RC_ENOMEM;
    rc_sentence *s = &out->v[out->n++];
    s->tok_begin = (uint32_t)b;
    s->tok_end = (uint32_t)e;
    s->start = toks[b].start;
    s->end = toks[e - 1].end;
    s->paragraph = para;
    return RC_OK;
}

rc_status rc_split_sentences(const char *text, const rc_token *toks, size_t n,
                             uint32_t first_paragraph, uint32_t *next_paragraph,
                             rc_sentences *out) {
    uint32_t para = first_paragraph;
    size_t begin = 0;
    int ended = 0; /* the previous token ended a sentence */
    for (size_t i = 0; i < n; i++) {
        const rc_token *t = &toks[i];
        int new_para = i > 0 && ((t->flags & RC_TF_BLANKLINE_BEFORE) ||
                                 ((t->flags & RC_TF_NEWLINE_BEFORE) && ended));
        if (i > begin && (new_para || ended)) {
            rc_status rc = push(out, toks, begin, i, para);
            if (rc) return rc;
            begin = i;
        }
        if (new_para) para++;
        ended = 0;
        /* Does t end a sentence (with the closers that follow it)? */
        const rc_token *next = i + 1 < n ? &toks[i + 1] : NULL;
        if (final_punct(text, t)) {
            ended = !ellipsis(text, t) || !next ||
                    (next->flags & (RC_TF_UPPER_INITIAL | RC_TF_NEWLINE_BEFORE));
        } else if ((t->flags & RC_TF_ABBREV) && next) {
            int next_para = (next->flags & RC_TF_BLANKLINE_BEFORE) ||
                            (next->flags & RC_TF_NEWLINE_BEFORE);
            ended = next_para || ((next->flags & RC_TF_UPPER_INITIAL) &&
                                  !before_name(text, t) &&
                                  !(next->flags & RC_TF_ABBREV) &&
                                  next->kind == RC_TOK_WORD &&
                                  !((t->flags & RC_TF_ALL_UPPER) &&
                                    (next->flags & RC_TF_ALL_UPPER)));
        }
        if (ended) {
            while (i + 1 < n && closing(text, &toks[i + 1]) &&
                   !(toks[i + 1].flags & (RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE)))
                i++;
        }
    }
    if (begin < n) {
        rc_status rc = push(out, toks, begin, n, para);
        if (rc) return rc;
    }
    *next_paragraph = n ? para + 1 : first_paragraph;
    return RC_OK;
}

void rc_sentences_init(rc_sentences *s, const rc_allocator *alc) {
    s->v = NULL;
    s->n = s->cap = 0;
    s->alc = alc;
}

void rc_sentences_free(rc_sentences *s) {
    rc_free(s->alc, s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
