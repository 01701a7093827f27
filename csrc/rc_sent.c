/*
** rc_sent.c -- paragraphs and sentences over token spans.
**
** 2025-11-23.  Input: the tokens of one text region (rc_tokenize) and the
** text they index; output: rc_sentence records appended to an rc_sentences
** array, each a token range [tok_begin, tok_end) of the toks given, the
** byte span from its first token's start to its last token's end, and a
** paragraph number.  One pass, O(n) in the tokens; the only allocation is
** the output array's amortised growth.  On RC_ENOMEM the output is cut
** back to what it held before the call.
**
** Sentences.  A sentence ends after
**   - a `.` token, unless it is glued to a following lowercase word or
**     number (example.com), or glued on both sides to words (One.Tel);
**   - a `!` or `?` token, unless closing quotes follow it and then a
**     lowercase word (“Why?” he asked -- one sentence);
**   - a `...` or `…` token when the next token is uppercase-initial (or
**     there is none): "wait... what" goes on;
**   - a token with RC_TF_ABBREV (its stop kept by the tokenizer) when the
**     next word is uppercase-initial and the abbreviation is not one that
**     stands before names or numbers (Dr. Mr. Gen. St. Mt. vs. e.g. and
**     the other titles below) nor a single initial (John F. Kennedy).
**     Dotted capitals (U.S., U.K., U.N.) very often stand before a name in
**     news (U.S. President, U.N. Security Council), so they end a sentence
**     only before a word that commonly starts one (The, He, But, In ...)
**     or before a line break: "talks with the U.S. The next day" splits,
**     "the U.S. President said" does not.
** Each ending token takes the closing quotes and brackets that follow it
** into its sentence (” ’ » › ) ] }, and " or ' glued to it), and any
** further . ! ? glued to it (?!).  Numbers (3.5) are single tokens, so no
** split happens inside one.
**
** Paragraphs are hard sentence boundaries.  A token with
** RC_TF_BLANKLINE_BEFORE starts a paragraph; a token with
** RC_TF_NEWLINE_BEFORE starts one only when the sentence before it ended
** right there (at final punctuation, possibly with closers, or at an
** abbreviation that ends it); any other line break is a space (hard-
** wrapped text).  A new call always starts a new paragraph: the caller
** passes first_paragraph and gets the next number back.
**
** Only punctuation and tokens with an RC_SENT_NOTABLE flag can end a
** sentence or start a paragraph.  rc_split_sentences steps over the
** others in a loop of its own; rc_split_listed (for rc_docres.c) is given
** the list of them, which the tokenizer made where it knew (see
** rc_tokenize_hashed), and steps over none: the one splitter, inlined
** both ways, so the two give the same sentences (tests/c/test_token.c
** checks it on random text).
*/
#include "rc_internal.h"

/* MARK: - Token shapes ------------------------------------------------------ */

static inline int tok_is(const char *text, const rc_token *t, const char *s,
                         size_t n) {
    return t->end - t->start == n && !memcmp(text + t->start, s, n);
}

enum { FP_NONE = 0, FP_STOP, FP_BANG, FP_ELLIPSIS };

/* Which sentence-final punctuation t is, if any. */
static int final_punct(const char *text, const rc_token *t) {
    if (t->kind != RC_TOK_PUNCT) return FP_NONE;
    size_t n = t->end - t->start;
    unsigned char c = (unsigned char)text[t->start];
    if (n == 1) {
        if (c == '.') return FP_STOP;
        if (c == '!' || c == '?') return FP_BANG;
        return FP_NONE;
    }
    if (c == '.') return FP_ELLIPSIS; /* the tokenizer's "..." run */
    if (tok_is(text, t, "\xE2\x80\xA6", 3)) return FP_ELLIPSIS;
    return FP_NONE;
}

/* A closing quote or bracket.  " and ' only when glued to the token
** before (prev_end), since they open sentences too. */
static int closer(const char *text, const rc_token *t, uint32_t prev_end) {
    if (t->kind != RC_TOK_PUNCT ||
        (t->flags & (RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE)))
        return 0;
    size_t n = t->end - t->start;
    const char *s = text + t->start;
    if (n == 1)
        return *s == ')' || *s == ']' || *s == '}' ||
               ((*s == '"' || *s == '\'') && t->start == prev_end);
    return tok_is(text, t, "\xE2\x80\x9D", 3) || /* ” */
           tok_is(text, t, "\xE2\x80\x99", 3) || /* ’ */
           tok_is(text, t, "\xC2\xBB", 2) ||     /* » */
           tok_is(text, t, "\xE2\x80\xBA", 3);   /* › */
}

static int in_list(const char *s, size_t n, const char *const *list) {
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && !memcmp(list[i], s, n)) return 1;
    return 0;
}

/* Abbreviations that stand before a name or a number. */
static const char *const before_name[] = {
    "Dr.",   "Mr.",   "Mrs.", "Ms.",   "Prof.",  "Gen.",  "Col.",  "Lt.",
    "Sgt.",  "Capt.", "Gov.", "Sen.",  "Rep.",   "St.",   "Mt.",   "Ft.",
    "Adm.",  "Maj.",  "Cmdr.", "Rev.", "Hon.",   "Amb.",  "Brig.", "Pres.",
    "Cpl.",  "Pvt.",  "Supt.", "Insp.", "Messrs.", "Mme.", "Mlle.", "vs.",
    "cf.",   "e.g.",  "i.e.", "Fig.",  "Nos.",   NULL};

/* Capitalised words that commonly start a sentence (after U.S. and the
** like a capital is otherwise more often a name: U.S. President). */
static const char *const starters[] = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His",
    "Her", "Its", "Their", "Our", "This", "That", "These", "Those", "There",
    "But", "And", "Or", "So", "Yet", "In", "On", "At", "As", "After",
    "Before", "When", "While", "If", "Although", "Though", "Since",
    "Because", "However", "Meanwhile", "Also", "Still", "Now", "Then",
    "Earlier", "Later", "Last", "Next", "Some", "Many", "Most", "Both",
    "Each", "Such", "What", "Who", "Why", "How", "Where", "For", "From",
    "With", "By", "To", "During", "According", "Despite", "Until",
    "Instead", "Other", "Another", "One", "No", "Yes", "Not", "Even",
    NULL};

enum { AB_END, AB_NAME, AB_ACRONYM };

/* How an abbreviation token behaves before a capital. */
static int abbrev_class(const char *text, const rc_token *t) {
    const char *s = text + t->start;
    size_t n = t->end - t->start;
    int32_t cp;
    if (n >= 2 && (size_t)rc_utf8_decode(s, n, &cp) == n - 1)
        return AB_NAME; /* an initial: J. */
    if (in_list(s, n, before_name)) return AB_NAME;
    if (memchr(s, '.', n - 1) && (t->flags & RC_TF_ALL_UPPER))
        return AB_ACRONYM; /* U.S. U.K. */
    return AB_END;
}

/* MARK: - Splitting ---------------------------------------------------------- */

/* Index of the last token of the closers (and glued . ! ?) after i. */
static size_t take_closers(const char *text, const rc_token *toks, size_t n,
                           size_t i) {
    while (i + 1 < n) {
        const rc_token *t = &toks[i + 1];
        if (!closer(text, t, toks[i].end) &&
            !(final_punct(text, t) && t->start == toks[i].end))
            break;
        i++;
    }
    return i;
}

static int lower_word(const rc_token *t) {
    return (t->kind == RC_TOK_WORD || t->kind == RC_TOK_NUMBER) &&
           !(t->flags & RC_TF_UPPER_INITIAL);
}

/* Does a sentence end after token i?  Sets *last to the last token it
** takes (i, or the closers after it). */
static ALWAYS_INLINE int sentence_ends(const char *text, const rc_token *toks, size_t n,
                                       size_t i, size_t *last) {
    const rc_token *t = &toks[i];
    *last = i;
    if (t->kind == RC_TOK_PUNCT) {
        int fp = final_punct(text, t);
        if (!fp) return 0;
        size_t l = take_closers(text, toks, n, i);
        const rc_token *next = l + 1 < n ? &toks[l + 1] : NULL;
        switch (fp) {
        case FP_STOP:
            if (next && l == i && next->start == t->end &&
                (lower_word(next) ||
                 (next->kind == RC_TOK_WORD && i > 0 && toks[i - 1].end == t->start)))
                return 0; /* example.com, One.Tel */
            break;
        case FP_BANG:
            if (next && l > i && lower_word(next) &&
                !(next->flags & RC_TF_NEWLINE_BEFORE))
                return 0; /* “Why?” he asked */
            break;
        default: /* FP_ELLIPSIS */
            if (next && !(next->flags & (RC_TF_UPPER_INITIAL |
                                         RC_TF_BLANKLINE_BEFORE)))
                return 0;
            break;
        }
        *last = l;
        return 1;
    }
    if (!(t->flags & RC_TF_ABBREV)) return 0;
    size_t l = take_closers(text, toks, n, i);
    const rc_token *next = l + 1 < n ? &toks[l + 1] : NULL;
    int end;
    if (!next || (next->flags & RC_TF_BLANKLINE_BEFORE)) {
        end = 1;
    } else if (next->kind != RC_TOK_WORD ||
               !(next->flags & RC_TF_UPPER_INITIAL)) {
        end = 0;
    } else {
        switch (abbrev_class(text, t)) {
        case AB_NAME: end = 0; break;
        case AB_ACRONYM:
            end = (next->flags & RC_TF_NEWLINE_BEFORE) ||
                  in_list(text + next->start, next->end - next->start, starters);
            break;
        default: end = 1; break;
        }
    }
    if (end) *last = l;
    return end;
}

static rc_status push(rc_sentences *out, const rc_token *toks, size_t b,
                      size_t e, uint32_t para) {
    if (unlikely(out->n == out->cap) &&
        rc_grow(out->alc, (void **)&out->v, &out->cap, out->n + 1,
                sizeof *out->v))
        return RC_ENOMEM;
    rc_sentence *s = &out->v[out->n++];
    s->tok_begin = (uint32_t)b;
    s->tok_end = (uint32_t)e;
    s->start = toks[b].start;
    s->end = toks[e - 1].end;
    s->paragraph = para;
    return RC_OK;
}

/* The first token from i on (n if none) that is punctuation or has an
** RC_SENT_NOTABLE flag: most tokens are neither.  With a list of them
** (rc_split_listed), from the list: *at moves past the tokens before i
** (and only forward, as i does); without, a loop of its own steps over
** the others. */
static ALWAYS_INLINE size_t next_notable(const rc_token *toks, size_t i, size_t n,
                                         const uint32_t *list, size_t nlist, uint32_t first,
                                         size_t *at) {
    if (list) {
        while (*at < nlist && list[*at] - first < i) (*at)++;
        return *at < nlist ? list[*at] - first : n;
    }
    const rc_token *p = toks + i, *end = toks + n;
    while (p < end && p->kind != RC_TOK_PUNCT && !(p->flags & RC_SENT_NOTABLE)) p++;
    return (size_t)(p - toks);
}

/* The splitter, inlined twice: with the list of notable tokens
** (rc_split_listed) and without (rc_split_sentences). */
static ALWAYS_INLINE rc_status split(const char *text, const rc_token *toks, size_t n,
                                     const uint32_t *list, size_t nlist, uint32_t first,
                                     uint32_t first_paragraph, uint32_t *next_paragraph,
                                     rc_sentences *out) {
    if (n > UINT32_MAX) return RC_ELIMIT;
    const size_t n0 = out->n;
    uint32_t para = first_paragraph;
    size_t begin = 0, at = 0;
    int ended = 0; /* a sentence ended right before token i */
    for (size_t i = 0; i < n; i++) {
        size_t j = next_notable(toks, i, n, list, nlist, first, &at);
        if (j != i) {
            ended = 0; /* a token with no line break before, no stop */
            if ((i = j) == n) break;
        }
        uint8_t f = toks[i].flags;
        if (i > 0 && ((f & RC_TF_BLANKLINE_BEFORE) ||
                      ((f & RC_TF_NEWLINE_BEFORE) && ended))) {
            if (i > begin && push(out, toks, begin, i, para)) goto nomem;
            begin = i;
            para++;
        }
        size_t last;
        ended = 0;
        if ((toks[i].kind == RC_TOK_PUNCT || (f & RC_TF_ABBREV)) &&
            sentence_ends(text, toks, n, i, &last)) {
            if (push(out, toks, begin, last + 1, para)) goto nomem;
            begin = last + 1;
            i = last;
            ended = 1;
        }
    }
    if (begin < n && push(out, toks, begin, n, para)) goto nomem;
    if (next_paragraph) *next_paragraph = n ? para + 1 : first_paragraph;
    return RC_OK;
nomem:
    out->n = n0;
    return RC_ENOMEM;
}

rc_status rc_split_sentences(const char *text, const rc_token *toks, size_t n,
                             uint32_t first_paragraph, uint32_t *next_paragraph,
                             rc_sentences *out) {
    return split(text, toks, n, NULL, 0, 0, first_paragraph, next_paragraph, out);
}

rc_status rc_split_listed(const char *text, const rc_token *toks, size_t n,
                          const uint32_t *notable, size_t nnotable, uint32_t first,
                          uint32_t first_paragraph, uint32_t *next_paragraph,
                          rc_sentences *out) {
    if (!notable) return RC_EINVAL; /* and split(), inlined, knows it is not NULL */
    return split(text, toks, n, notable, nnotable, first, first_paragraph, next_paragraph,
                 out);
}

void rc_sentences_init(rc_sentences *s, const rc_allocator *alc) {
    s->v = NULL;
    s->n = s->cap = 0;
    s->alc = alc;
}

void rc_sentences_free(rc_sentences *s) {
    if (!s) return;
    rc_free(s->alc, s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
