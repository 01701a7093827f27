/*
** rc_token.c -- the tokenizer: bytes to token spans with kinds and flags.
**
** One pass over the text.  Whitespace (ASCII space and controls, Unicode
** Zs, zero-width space, word joiner, BOM, soft hyphen) separates tokens
** and makes none; the line breaks in it set RC_TF_NEWLINE_BEFORE and
** RC_TF_BLANKLINE_BEFORE on the next token.  At a token start the first
** rule that fits wins:
**   url      http:// https:// www.  up to whitespace, minus trailing
**            punctuation
**   email    a run holding local@domain.tld
**   handle   @ followed by letters, digits or _
**   hashtag  # followed by a letter
**   number   digits with inner , or . before a digit (1,200  3.5); a
**            number glued to letters or a hyphenated word (12-day, 1st)
**            is a word
**   word     letters, digits and marks; an inner apostrophe before a
**            letter stays (don't) except a possessive 's/’s, which is its
**            own token; an inner hyphen before a letter or digit stays
**            (high-level, Iran-Pakistan); a hyphen at a line end followed
**            by a word is rejoined (Secretary-\nGeneral: one token,
**            RC_TF_LINE_JOINED); letters with inner full stops (U.S.,
**            a.m.) and known abbreviations (Dr., Jan.) keep their stop
**            (RC_TF_ABBREV), as does a single capital (an initial)
**   punct    -- and ... whole, else one code point (P* categories)
**   symbol   one code point of any other kind ($ % € +)
** No token is longer than RC_MAX_TOKEN_BYTES: a longer run is cut at a
** code point boundary.  Offsets are bytes of the original text; the
** tokenizer never copies or changes it.
*/
#include <strings.h>
#include <utf8proc.h>

#include "rc_internal.h"

/* Character classes of a code point. */
enum { CH_SPACE, CH_LETTER, CH_DIGIT, CH_APOS, CH_HYPHEN, CH_DASH, CH_PUNCT,
       CH_SYMBOL };

/* Classes of the ASCII bytes: the ASCII rules of char_class below as a
** table, for the fast path. */
static const unsigned char ascii_class[128] = {
    CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE,
    CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE,
    CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE,
    CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE, CH_SPACE,
    CH_SPACE, CH_PUNCT, CH_PUNCT, CH_PUNCT, CH_SYMBOL, CH_PUNCT, CH_PUNCT, CH_APOS,
    CH_PUNCT, CH_PUNCT, CH_PUNCT, CH_SYMBOL, CH_PUNCT, CH_HYPHEN, CH_PUNCT, CH_PUNCT,
    CH_DIGIT, CH_DIGIT, CH_DIGIT, CH_DIGIT, CH_DIGIT, CH_DIGIT, CH_DIGIT, CH_DIGIT,
    CH_DIGIT, CH_DIGIT, CH_PUNCT, CH_PUNCT, CH_SYMBOL, CH_SYMBOL, CH_SYMBOL, CH_PUNCT,
    CH_PUNCT, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER,
    CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER,
    CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER,
    CH_LETTER, CH_LETTER, CH_LETTER, CH_PUNCT, CH_PUNCT, CH_PUNCT, CH_SYMBOL, CH_PUNCT,
    CH_SYMBOL, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER,
    CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER,
    CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER, CH_LETTER,
    CH_LETTER, CH_LETTER, CH_LETTER, CH_PUNCT, CH_SYMBOL, CH_PUNCT, CH_SYMBOL, CH_SPACE,
};

static int char_class(int32_t cp) {
    if (cp < 0x80) {
        if (cp <= ' ' || cp == 0x7F) return CH_SPACE;
        if ((cp | 32) >= 'a' && (cp | 32) <= 'z') return CH_LETTER;
        if (cp >= '0' && cp <= '9') return CH_DIGIT;
        if (cp == '\'') return CH_APOS;
        if (cp == '-') return CH_HYPHEN;
        if (cp == '$' || cp == '+' || cp == '<' || cp == '=' || cp == '>' ||
            cp == '^' || cp == '`' || cp == '|' || cp == '~')
            return CH_SYMBOL;
        return CH_PUNCT;
    }
    if (cp == 0x2019 || cp == 0x2018) return CH_APOS;
    if (cp == 0x2010 || cp == 0x2011) return CH_HYPHEN;
    if (cp == 0x2013 || cp == 0x2014 || cp == 0x2015) return CH_DASH;
    if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
        cp == 0xFEFF || cp == 0x00AD || cp == 0x0085)
        return CH_SPACE;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return CH_LETTER;
    case UTF8PROC_CATEGORY_ND: return CH_DIGIT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
        return CH_SPACE;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return CH_PUNCT;
    default: return CH_SYMBOL;
    }
}

typedef struct cursor {
    const char *s;
    size_t n;
} cursor;

/* Class and length of the code point at i (class CH_SPACE past the end). */
static int cls_at(const cursor *c, size_t i, int *len) {
    if (i >= c->n) {
        *len = 0;
        return CH_SPACE;
    }
    unsigned char b = (unsigned char)c->s[i];
    if (b < 0x80) {
        *len = 1;
        return ascii_class[b];
    }
    int32_t cp;
    *len = rc_utf8_decode(c->s + i, c->n - i, &cp);
    return char_class(cp);
}

static int cls(const cursor *c, size_t i) {
    int len;
    return cls_at(c, i, &len);
}

static int is_upper_at(const cursor *c, size_t i) {
    unsigned char b = (unsigned char)c->s[i];
    if (b < 0x80) return b >= 'A' && b <= 'Z';
    int32_t cp;
    rc_utf8_decode(c->s + i, c->n - i, &cp);
    int cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

static int is_lower_at(const cursor *c, size_t i) {
    unsigned char b = (unsigned char)c->s[i];
    if (b < 0x80) return b >= 'a' && b <= 'z';
    int32_t cp;
    rc_utf8_decode(c->s + i, c->n - i, &cp);
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Known abbreviations that keep their full stop (compared without it). */
static const char *const abbreviations[] = {
    "Dr", "Mr", "Mrs", "Ms", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov",
    "Sen", "Rep", "St", "Jr", "Sr", "Inc", "Ltd", "Corp", "Co", "No", "vs",
    "etc", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct",
    "Nov", "Dec", "Mt", "Ft", "Adm", "Maj", "Cmdr", "Rev", "Hon", "Dept",
    "Univ", "Ave", "Blvd", "approx", "est", "Messrs", "Mme", "Mlle", "Pres",
    "Gov't", "Sec", "Amb", "Brig", "Cpl", "Pvt", "Supt", "Insp", NULL};

static int known_abbreviation(const char *s, size_t n) {
    for (size_t i = 0; abbreviations[i]; i++)
        if (strlen(abbreviations[i]) == n && !memcmp(abbreviations[i], s, n))
            return 1;
    return 0;
}

/* Whitespace from i: returns its end; counts line breaks in *nl and
** whether a blank line (two breaks) is in it. */
static size_t skip_space(const cursor *c, size_t i, int *nl, int *blank) {
    int lines = 0;
    while (i < c->n) {
        unsigned char b = (unsigned char)c->s[i];
        if (b == '\n') {
            if (++lines >= 2) *blank = 1;
            i++;
            continue;
        }
        int len;
        if (cls_at(c, i, &len) != CH_SPACE) break;
        i += (size_t)len;
    }
    *nl = lines > 0;
    return i;
}

/* A hyphen at i ending a line and followed by a word: the end of the
** break (start of the continuation), or 0. */
static size_t line_join(const cursor *c, size_t i) {
    size_t j = i + 1;
    while (j < c->n && (c->s[j] == ' ' || c->s[j] == '\t' || c->s[j] == '\r')) j++;
    if (j >= c->n || c->s[j] != '\n') return 0;
    j++;
    while (j < c->n && (c->s[j] == ' ' || c->s[j] == '\t' || c->s[j] == '\r')) j++;
    return j < c->n && cls(c, j) == CH_LETTER ? j : 0;
}

static int isalnum_ascii(unsigned char b) {
    return (b >= '0' && b <= '9') || ((b | 32) >= 'a' && (b | 32) <= 'z');
}

static int trailing_punct(char ch) {
    return ch == '.' || ch == ',' || ch == ';' || ch == ':' || ch == '!' ||
           ch == '?' || ch == ')' || ch == ']' || ch == '"' || ch == '\'';
}

/* End of a non-space run from i (URLs and e-mail addresses). */
static size_t run_end(const cursor *c, size_t i) {
    while (i < c->n && cls(c, i) != CH_SPACE) {
        unsigned char b = (unsigned char)c->s[i];
        if (b >= 0x80) { /* curly quotes end a URL */
            int32_t cp;
            rc_utf8_decode(c->s + i, c->n - i, &cp);
            if (cp == 0x201C || cp == 0x201D || cp == 0x2019 || cp == 0x2018) break;
        }
        i++;
    }
    return i;
}

static size_t strip_trailing(const cursor *c, size_t b, size_t e) {
    while (e > b + 1 && trailing_punct(c->s[e - 1])) e--;
    return e;
}

static size_t try_url(const cursor *c, size_t i) {
    static const char *const prefixes[] = {"https://", "http://", "www.", NULL};
    for (size_t k = 0; prefixes[k]; k++) {
        size_t n = strlen(prefixes[k]);
        if (i + n < c->n && !strncasecmp(c->s + i, prefixes[k], n) &&
            cls(c, i + n) != CH_SPACE)
            return strip_trailing(c, i, run_end(c, i));
    }
    return 0;
}

static size_t try_email(const cursor *c, size_t i) {
    size_t j = i; /* cheap test first: the local part, then '@' */
    while (j < c->n && (isalnum_ascii((unsigned char)c->s[j]) || c->s[j] == '.' ||
                        c->s[j] == '_' || c->s[j] == '-' || c->s[j] == '+'))
        j++;
    if (j >= c->n || c->s[j] != '@') return 0;
    size_t e = strip_trailing(c, i, run_end(c, i));
    const char *at = memchr(c->s + i, '@', e - i);
    if (!at || at == c->s + i) return 0;
    size_t a = (size_t)(at - c->s);
    const char *dot = memchr(c->s + a + 1, '.', e - a - 1);
    if (!dot || dot == c->s + a + 1 || (size_t)(dot - c->s) + 1 >= e) return 0;
    for (size_t k = i; k < e; k++) {
        unsigned char b = (unsigned char)c->s[k];
        if (!(isalnum_ascii(b) || b == '.' || b == '_' || b == '-' || b == '+' ||
              b == '@'))
            return 0;
    }
    return e;
}

/* @handle or #hashtag. */
static size_t try_tag(const cursor *c, size_t i) {
    size_t j = i + 1;
    while (j < c->n) {
        int k = cls(c, j);
        if (k == CH_LETTER || k == CH_DIGIT || c->s[j] == '_') {
            int len;
            cls_at(c, j, &len);
            j += (size_t)len;
        } else {
            break;
        }
    }
    if (j == i + 1) return 0;
    if (c->s[i] == '#' && cls(c, i + 1) != CH_LETTER) return 0;
    return j;
}

/* A number: digits with inner , or . before a digit. */
static size_t scan_number(const cursor *c, size_t i) {
    while (i < c->n) {
        if (c->s[i] >= '0' && c->s[i] <= '9') {
            i++;
        } else if ((c->s[i] == ',' || c->s[i] == '.') && i + 1 < c->n &&
                   c->s[i + 1] >= '0' && c->s[i + 1] <= '9') {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* A possessive at i: 's or ’s not followed by a letter. */
static size_t possessive_len(const cursor *c, size_t i) {
    int len;
    if (cls_at(c, i, &len) != CH_APOS) return 0;
    if (i + (size_t)len < c->n && (c->s[i + len] == 's' || c->s[i + len] == 'S') &&
        cls(c, i + (size_t)len + 1) != CH_LETTER && cls(c, i + (size_t)len + 1) != CH_DIGIT)
        return (size_t)len + 1;
    return 0;
}

/* A word from i; sets flags.  Letters, digits, inner apostrophes and
** hyphens, a rejoined line-end hyphen, inner full stops of U.S.-style
** abbreviations. */
static size_t scan_word(const cursor *c, size_t i, uint8_t *flags) {
    size_t b = i;
    int dotted = 0; /* U.S.: single letters with stops */
    for (;;) {
        int len, k = cls_at(c, i, &len);
        if (k == CH_LETTER || k == CH_DIGIT) {
            i += (size_t)len;
            continue;
        }
        if (k == CH_APOS && !possessive_len(c, i) && i > b) {
            int l2, k2 = cls_at(c, i + (size_t)len, &l2);
            if (k2 == CH_LETTER) {
                i += (size_t)len;
                continue;
            }
        }
        if (k == CH_HYPHEN && i > b) {
            int k2 = cls(c, i + (size_t)len);
            if (k2 == CH_LETTER || k2 == CH_DIGIT) {
                *flags |= RC_TF_HYPHENATED;
                i += (size_t)len;
                continue;
            }
            size_t j = len == 1 ? line_join(c, i) : 0;
            if (j) {
                *flags |= RC_TF_HYPHENATED | RC_TF_LINE_JOINED;
                i = j;
                continue;
            }
        }
        if (c->s[i] == '.' && i > b && cls(c, i - 1) == CH_LETTER &&
            (i - 1 == b || c->s[i - 2] == '.')) {
            /* X.Y. pattern: a letter, a stop, a letter, a stop... */
            size_t j = i + 1;
            int lj;
            if (j < c->n && cls_at(c, j, &lj) == CH_LETTER &&
                (j + (size_t)lj >= c->n || c->s[j + lj] == '.')) {
                dotted = 1;
                i = j + (size_t)lj;
                continue;
            }
            if (dotted) {
                *flags |= RC_TF_ABBREV;
                return i + 1;
            }
        }
        break;
    }
    if (i < c->n && c->s[i] == '.' && i > b && !(*flags & RC_TF_HYPHENATED)) {
        size_t n = i - b;
        if (dotted || known_abbreviation(c->s + b, n) ||
            (n == 1 && is_upper_at(c, b)) ||
            (n <= 3 && is_upper_at(c, b) && i + 1 < c->n && c->s[i + 1] != ' ' &&
             cls(c, i + 1) == CH_LETTER)) {
            *flags |= RC_TF_ABBREV;
            return i + 1;
        }
    }
    return i;
}

static void case_flags(const cursor *c, size_t b, size_t e, uint8_t *flags) {
    if (is_upper_at(c, b)) *flags |= RC_TF_UPPER_INITIAL;
    int letters = 0, lower = 0;
    for (size_t i = b; i < e;) {
        int len, k = cls_at(c, i, &len);
        if (k == CH_LETTER) {
            letters++;
            if (is_lower_at(c, i)) {
                lower = 1;
                break;
            }
        }
        i += (size_t)(len ? len : 1);
    }
    if (letters && !lower) *flags |= RC_TF_ALL_UPPER;
}

static rc_status push(const cursor *c, rc_tokens *out, uint32_t base,
                      size_t b, size_t e, int kind, uint8_t flags) {
    while (e - b > RC_MAX_TOKEN_BYTES) { /* cut an overlong run */
        size_t cut = b + RC_MAX_TOKEN_BYTES;
        while (cut > b + 1 && ((unsigned char)c->s[cut] & 0xC0) == 0x80) cut--;
        rc_status rc = push(c, out, base, b, cut, kind, flags);
        if (rc) return rc;
        b = cut;
        flags &= (uint8_t) ~(RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE);
    }
    if (rc_grow(out->alc, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return RC_ENOMEM;
    rc_token *t = &out->v[out->n++];
    t->start = base + (uint32_t)b;
    t->end = base + (uint32_t)e;
    t->kind = (uint8_t)kind;
    t->flags = flags;
    return RC_OK;
}

rc_status rc_tokenize(const char *text, size_t len, uint32_t base,
                      rc_tokens *out) {
    cursor c = {text, len};
    size_t i = 0;
    while (i < len) {
        int nl = 0, blank = 0;
        i = skip_space(&c, i, &nl, &blank);
        if (i >= len) break;
        uint8_t flags = (uint8_t)((nl ? RC_TF_NEWLINE_BEFORE : 0) |
                                  (blank ? RC_TF_BLANKLINE_BEFORE : 0));
        size_t b = i, e;
        int kind, clen, k = cls_at(&c, i, &clen);
        unsigned char ch = (unsigned char)text[i];
        if ((ch | 32) == 'h' || (ch | 32) == 'w' ? (e = try_url(&c, i)) != 0 : 0) {
            kind = RC_TOK_URL;
        } else if ((ch == '@' || ch == '#') && (e = try_tag(&c, i))) {
            kind = ch == '@' ? RC_TOK_HANDLE : RC_TOK_HASHTAG;
        } else if ((k == CH_LETTER || k == CH_DIGIT) && (e = try_email(&c, i))) {
            kind = RC_TOK_EMAIL;
        } else if (k == CH_DIGIT) {
            e = scan_number(&c, i);
            kind = RC_TOK_NUMBER;
            int k2 = cls(&c, e);
            if (k2 == CH_LETTER || (k2 == CH_HYPHEN && e + 1 < len &&
                                    (cls(&c, e + 1) == CH_LETTER ||
                                     cls(&c, e + 1) == CH_DIGIT))) {
                e = scan_word(&c, i, &flags);
                kind = RC_TOK_WORD;
            }
        } else if (k == CH_LETTER) {
            e = scan_word(&c, i, &flags);
            kind = RC_TOK_WORD;
        } else if (k == CH_APOS && out->n && (e = possessive_len(&c, i)) &&
                   out->v[out->n - 1].end == base + i && !nl) {
            e += i;
            kind = RC_TOK_WORD;
        } else if (ch == '-' && i + 1 < len && text[i + 1] == '-') {
            e = i + 2;
            while (e < len && text[e] == '-') e++;
            kind = RC_TOK_PUNCT;
        } else if (ch == '.' && i + 2 < len && text[i + 1] == '.' && text[i + 2] == '.') {
            e = i + 3;
            kind = RC_TOK_PUNCT;
        } else {
            e = i + (size_t)clen;
            kind = (k == CH_SYMBOL) ? RC_TOK_SYMBOL : RC_TOK_PUNCT;
        }
        case_flags(&c, b, e, &flags);
        rc_status rc = push(&c, out, base, b, e, kind, flags);
        if (rc) return rc;
        i = e;
    }
    return RC_OK;
}

void rc_tokens_init(rc_tokens *t, const rc_allocator *alc) {
    t->v = NULL;
    t->n = t->cap = 0;
    t->alc = alc;
}

void rc_tokens_free(rc_tokens *t) {
    rc_free(t->alc, t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static const char *const kind_names[RC_TOK_KIND_COUNT] = {
    "word", "number", "punct", "symbol", "url", "email", "handle", "hashtag"};

const char *rc_token_kind_name(rc_token_kind kind) {
    return (unsigned)kind < RC_TOK_KIND_COUNT ? kind_names[kind] : "?";
}

static void put(char *buf, size_t cap, size_t *n, const char *s, size_t len) {
    for (size_t k = 0; k < len; k++) {
        if (*n < cap) buf[*n] = s[k];
        (*n)++;
    }
}

size_t rc_token_norm(const char *text, const rc_token *tok, char *buf,
                     size_t cap) {
    cursor c = {text, tok->end};
    size_t n = 0;
    for (size_t i = tok->start; i < tok->end;) {
        unsigned char b = (unsigned char)text[i];
        if (b == '-' && (tok->flags & RC_TF_LINE_JOINED)) {
            size_t j = line_join(&c, i);
            if (j) {
                if (is_upper_at(&c, j)) put(buf, cap, &n, "-", 1);
                i = j;
                continue;
            }
        }
        if (b < 0x80) {
            put(buf, cap, &n, text + i, 1);
            i++;
            continue;
        }
        int32_t cp;
        int len = rc_utf8_decode(text + i, tok->end - i, &cp);
        if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) put(buf, cap, &n, "'", 1);
        else if (cp == 0x201C || cp == 0x201D) put(buf, cap, &n, "\"", 1);
        else if (cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0x2014)
            put(buf, cap, &n, "-", 1);
        else if (cp == 0x00AD || cp == 0x200B || cp == 0xFEFF) {
        } else put(buf, cap, &n, text + i, (size_t)len);
        i += (size_t)len;
    }
    return n;
}
