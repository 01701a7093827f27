/*
** fuzz_article.c -- libFuzzer target for the plain-text article reader
** (rc_doc.c: title, date line, dateline, body, boilerplate).
**
** Invariants: every span is inside the text with start <= end, trimmed
** (no white space at either end of a non-empty span); the parts come in
** order (title, date line, body, boilerplate) and do not overlap; a
** dateline lies at the start of the body region it was cut from; a date
** line found has a date; a dateline found by rc_dateline_find has its
** name inside the bytes it covers.
*/
#include "fuzz.h"

static void check_span(const char *t, size_t n, rc_span s) {
    CHECK(s.start <= s.end && s.end <= n);
    if (s.end > s.start) CHECK(!fuzz_space(t[s.start]) && !fuzz_space(t[s.end - 1]));
}

static int empty(rc_span s) { return s.start == s.end; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char *t = fuzz_text(data, n);
    rc_article a;
    rc_article_parse(t, n, &a);
    check_span(t, n, a.title);
    check_span(t, n, a.body);
    check_span(t, n, a.date_line);
    check_span(t, n, a.dateline);
    check_span(t, n, a.boilerplate);
    if (!empty(a.date_line)) {
        CHECK(a.date_line.start >= a.title.end && a.date.precision != RC_DATE_NONE);
        if (!empty(a.body)) CHECK(a.body.start >= a.date_line.end);
    } else {
        CHECK(a.date.precision == RC_DATE_NONE);
    }
    if (!empty(a.body)) CHECK(a.body.start >= a.title.end);
    if (!empty(a.dateline)) CHECK(a.dateline.start >= a.title.end);
    if (!empty(a.dateline) && !empty(a.body)) CHECK(a.body.start >= a.dateline.end);
    if (!empty(a.boilerplate)) {
        CHECK(a.boilerplate.start >= a.title.end);
        if (!empty(a.body)) CHECK(a.boilerplate.start >= a.body.end);
    }
    rc_span name;
    size_t cut = rc_dateline_find(t, n, &name);
    CHECK(cut <= n);
    if (cut) CHECK(name.start < name.end && name.end <= cut);
    free(t);
    return 0;
}
