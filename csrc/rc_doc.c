/*
** rc_doc.c -- the layout of a plain-text article: title, date line,
** dateline, body and trailing boilerplate.
**
**   title        the first non-empty line
**   date line    one of the next three non-empty lines that rc_date_parse
**                takes whole; it is not text, and the body starts after it
**   dateline     at the start of the body: an all-capitals place (1-4
**                words: TEHRAN, NEW YORK, WASHINGTON, D.C.), optionally
**                `(Reuters)` or another bracketed agency, then a dash
**                (- -- – —) and space; metadata, not text
**   boilerplate  the last non-empty line when it is short page furniture
**                (`Leave a Comment`, `Share this article`, ...); not text
** All spans are byte offsets into the text, trimmed of white space.  The
** function never fails and never reads outside text[0..len).
*/
#include <strings.h>

#include "rc_internal.h"

typedef struct line {
    size_t b, e; /* trimmed */
} line;

static int space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The next non-empty line at or after pos; returns 0 at the end. */
static int next_line(const char *t, size_t len, size_t *pos, line *out) {
    while (*pos < len) {
        size_t b = *pos;
        const char *nl = memchr(t + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - t) : len;
        *pos = nl ? e + 1 : len;
        size_t tb = b, te = e;
        /* leading white space, non-breaking spaces among it: a line of
        ** only these is empty too */
        for (;;) {
            while (tb < te && space(t[tb])) tb++;
            if (!(tb + 1 < te && (unsigned char)t[tb] == 0xC2 &&
                  (unsigned char)t[tb + 1] == 0xA0))
                break;
            tb += 2;
        }
        while (te > tb && space(t[te - 1])) te--;
        if (te > tb) {
            out->b = tb;
            out->e = te;
            return 1;
        }
    }
    return 0;
}

static int is_boilerplate(const char *s, size_t n) {
    static const char *const phrases[] = {
        "leave a comment", "leave a reply", "share this article", "share this",
        "share", "comments", "comment", "related", "related articles",
        "read more", "advertisement", "subscribe", "follow us", "print",
        "print this article", "email this", "tags", "top of page",
        "back to top", "more news", NULL};
    if (n > 40) return 0;
    while (n && (s[n - 1] == ':' || space(s[n - 1]))) n--;
    for (size_t i = 0; phrases[i]; i++)
        if (strlen(phrases[i]) == n && !strncasecmp(s, phrases[i], n)) return 1;
    return 0;
}

/* Dash at s[0..n): its length (- -- – —), else 0. */
static size_t dash_len(const char *s, size_t n) {
    if (n >= 2 && s[0] == '-' && s[1] == '-') return 2;
    if (n >= 1 && s[0] == '-') return 1;
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))
        return 3;
    return 0;
}

size_t rc_dateline_find(const char *text, size_t len, rc_span *name) {
    size_t i = 0, words = 0, letters = 0;
    name->start = name->end = 0;
    while (i < len && space(text[i])) i++;
    size_t b = i, name_end = i;
    /* ALL-CAPS words, spaces, commas and full stops */
    while (i < len && i - b < 60) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') {
            if (i == b || text[i - 1] == ' ') words++;
            letters++;
            i++;
            name_end = i;
        } else if (c == '.' || c == ',' || c == '\'') {
            i++;
            if (c == '.') name_end = i;
        } else if (c == ' ') {
            i++;
        } else {
            break;
        }
    }
    if (letters < 2 || words < 1 || words > 4) return 0;
    size_t j = name_end;
    while (j < len && text[j] == ' ') j++;
    /* (Reuters), (AP) ... */
    if (j < len && text[j] == '(') {
        const char *close = memchr(text + j, ')', len - j < 40 ? len - j : 40);
        if (!close) return 0;
        j = (size_t)(close - text) + 1;
        name_end = j;
        while (j < len && text[j] == ' ') j++;
    }
    size_t d = dash_len(text + j, len - j);
    if (!d) return 0;
    j += d;
    if (j < len && !space(text[j])) return 0;
    while (j < len && space(text[j])) j++;
    /* the name must not end in a comma or space */
    while (name_end > b && (text[name_end - 1] == ',' || text[name_end - 1] == ' '))
        name_end--;
    name->start = (uint32_t)b;
    name->end = (uint32_t)name_end;
    return j;
}

void rc_article_parse(const char *text, size_t len, rc_article *out) {
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    line title;
    if (!next_line(text, len, &pos, &title)) return;
    out->title.start = (uint32_t)title.b;
    out->title.end = (uint32_t)title.e;
    size_t body = pos;
    /* a date line among the next three non-empty lines */
    size_t p = pos;
    line l;
    for (int k = 0; k < 3 && next_line(text, len, &p, &l); k++) {
        if (l.e - l.b <= 60 && rc_date_parse(text + l.b, l.e - l.b, &out->date) == RC_OK) {
            out->date_line.start = (uint32_t)l.b;
            out->date_line.end = (uint32_t)l.e;
            body = p;
            break;
        }
    }
    while (body < len && space(text[body])) body++;
    rc_span dl;
    size_t skip = rc_dateline_find(text + body, len - body, &dl);
    if (skip) {
        out->dateline.start = (uint32_t)(body + dl.start);
        out->dateline.end = (uint32_t)(body + dl.end);
        body += skip;
    }
    /* trailing boilerplate: the last non-empty line */
    size_t end = len;
    while (end > body && space(text[end - 1])) end--;
    const char *nl = end > body ? memrchr(text + body, '\n', end - body) : NULL;
    size_t ls = nl ? (size_t)(nl - text) + 1 : body;
    if (ls > body && is_boilerplate(text + ls, end - ls)) {
        out->boilerplate.start = (uint32_t)ls;
        out->boilerplate.end = (uint32_t)end;
        end = ls;
        while (end > body && space(text[end - 1])) end--;
    }
    if (end > body) {
        out->body.start = (uint32_t)body;
        out->body.end = (uint32_t)end;
    }
}
