/*
** test_sent.c -- unit tests of rc_sent.c: sentence ends at . ! ? and
** ellipses, closing quotes and brackets, abbreviations, initials and
** titles, numbers, paragraphs (blank lines, line breaks after final
** punctuation, hard-wrapped text), paragraph numbering across calls and
** allocation failure.
*/
#include <stdlib.h>
#include <string.h>

#include "relcore.h"
#include "test.h"

static rc_tokens toks;
static rc_sentences sents;
static uint32_t next_para;

static size_t split(const char *text, uint32_t first) {
    toks.n = 0;
    sents.n = 0;
    rc_status rc = rc_tokenize(text, strlen(text), 0, &toks);
    if (rc == RC_OK)
        rc = rc_split_sentences(text, toks.v, toks.n, first, &next_para, &sents);
    TEST_COND("split returns RC_OK", rc == RC_OK);
    return sents.n;
}

/* The sentences of text joined by '|' equal want; each with its
** paragraph number as digits when paras is not NULL. */
static int sentences_are(const char *text, const char *want, const char *paras) {
    char got[2048], pg[64];
    size_t n = 0, m = 0;
    split(text, 0);
    for (size_t i = 0; i < sents.n; i++) {
        const rc_sentence *s = &sents.v[i];
        size_t len = s->end - s->start;
        if (n + len + 2 >= sizeof got || m + 2 >= sizeof pg) return 0;
        if (i) got[n++] = '|';
        memcpy(got + n, text + s->start, len);
        n += len;
        pg[m++] = (char)('0' + s->paragraph % 10);
    }
    got[n] = 0;
    pg[m] = 0;
    int ok = !strcmp(got, want) && (!paras || !strcmp(pg, paras));
    if (!ok) printf("  got  %s [%s]\n  want %s [%s]\n", got, pg, want, paras ? paras : "");
    return ok;
}

static void test_basic(void) {
    TEST_COND("three kinds of end",
              sentences_are("Why? Because! Fine.", "Why?|Because!|Fine.", "000"));
    TEST_COND("no final punctuation",
              sentences_are("no stop at the end", "no stop at the end", "0"));
    TEST_COND("empty input", split("", 0) == 0 && next_para == 0);
    TEST_COND("only punctuation", sentences_are(". . .", ".|.|.", "000"));
    TEST_COND("repeated marks stay together",
              sentences_are("Really?! Yes.", "Really?!|Yes.", "00"));
    TEST_COND("no split inside numbers",
              sentences_are("Growth was 3.5 percent. It fell.",
                            "Growth was 3.5 percent.|It fell.", "00"));
    TEST_COND("no split in a glued domain",
              sentences_are("Visit example.com today. Then go.",
                            "Visit example.com today.|Then go.", "00"));
    TEST_COND("no split in a name glued around a stop",
              sentences_are("Rivals such as One.Tel grew. Then", "Rivals such as One.Tel grew.|Then", "00"));
    TEST_COND("missing space after a stop before a lowercase word goes on",
              sentences_are("It ended.then more", "It ended.then more", "0"));
    TEST_COND("token ranges", split("A b. C d.", 0) == 2 && sents.v[0].tok_begin == 0 &&
                                  sents.v[0].tok_end == 3 && sents.v[1].tok_begin == 3 &&
                                  sents.v[1].tok_end == 6);
    TEST_COND("byte spans", sents.v[0].start == 0 && sents.v[0].end == 4 &&
                                sents.v[1].start == 5 && sents.v[1].end == 9);
}

static void test_ellipsis(void) {
    TEST_COND("ellipsis before lowercase goes on",
              sentences_are("wait... what now.", "wait... what now.", "0"));
    TEST_COND("ellipsis before uppercase ends",
              sentences_are("wait... Then it ended.", "wait...|Then it ended.", "00"));
    TEST_COND("unicode ellipsis before uppercase ends",
              sentences_are("wait\xE2\x80\xA6 Then", "wait\xE2\x80\xA6|Then", "00"));
    TEST_COND("unicode ellipsis before lowercase goes on",
              sentences_are("wait\xE2\x80\xA6 then", "wait\xE2\x80\xA6 then", "0"));
}

static void test_closers(void) {
    TEST_COND("closing quotes and brackets join the sentence",
              sentences_are("He said \xE2\x80\x9Cit is over.\xE2\x80\x9D Then he left "
                            "(quietly.) Done!",
                            "He said \xE2\x80\x9Cit is over.\xE2\x80\x9D|Then he left "
                            "(quietly.)|Done!",
                            "000"));
    TEST_COND("ascii quote glued to the stop closes",
              sentences_are("He said \"no.\" \"Yes,\" she said.",
                            "He said \"no.\"|\"Yes,\" she said.", "00"));
    TEST_COND("curly single quote and bracket",
              sentences_are("It was \xE2\x80\x98over.\xE2\x80\x99] Next.",
                            "It was \xE2\x80\x98over.\xE2\x80\x99]|Next.", "00"));
    TEST_COND("question in quotes before a lowercase word goes on",
              sentences_are("\xE2\x80\x9CWhy?\xE2\x80\x9D he asked. Fine.",
                            "\xE2\x80\x9CWhy?\xE2\x80\x9D he asked.|Fine.", "00"));
    TEST_COND("question before a lowercase word without quotes ends",
              sentences_are("Why? he asked.", "Why?|he asked.", "00"));
}

static void test_abbreviations(void) {
    TEST_COND("sentence-final stop after an abbreviation is not lost",
              sentences_are("Talks resumed with the U.S. The next day ended.",
                            "Talks resumed with the U.S.|The next day ended.", "00"));
    TEST_COND("talks with the U.S. The next day",
              sentences_are("talks with the U.S. The next day",
                            "talks with the U.S.|The next day", "00"));
    TEST_COND("no split after titles or initials",
              sentences_are("Dr. Ali met John F. Kennedy. Growth was 3.5 percent.",
                            "Dr. Ali met John F. Kennedy.|Growth was 3.5 percent.", "00"));
    const char *titles[] = {"Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Gen.", "Col.", "Lt.",
                            "Sgt.", "Capt.", "Gov.", "Sen.", "Rep.", "St.", "Mt.", NULL};
    int ok = 1;
    for (size_t i = 0; titles[i]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "We met %s Smith today.", titles[i]);
        split(buf, 0);
        ok &= sents.n == 1;
    }
    TEST_COND("no split after any title before a name", ok);
    TEST_COND("dotted capitals before a name do not split",
              sentences_are("the U.S. President said so.", "the U.S. President said so.", "0"));
    TEST_COND("other abbreviations before a capital split",
              sentences_are("He works at Acme Inc. The firm grew.",
                            "He works at Acme Inc.|The firm grew.", "00"));
    TEST_COND("p.m. before a capital splits",
              sentences_are("It began at 5 p.m. Officials left.",
                            "It began at 5 p.m.|Officials left.", "00"));
    TEST_COND("abbreviation before a lowercase word goes on",
              sentences_are("the U.S. said no.", "the U.S. said no.", "0"));
    TEST_COND("abbreviation before a number goes on",
              sentences_are("on Jan. 5 it rained.", "on Jan. 5 it rained.", "0"));
    TEST_COND("e.g. before a capital goes on",
              sentences_are("states, e.g. Iran and Iraq.", "states, e.g. Iran and Iraq.", "0"));
    TEST_COND("abbreviation at the end",
              sentences_are("ties with the U.S.", "ties with the U.S.", "0"));
    TEST_COND("abbreviation then closing quote then capital",
              sentences_are("\xE2\x80\x9CIt is Acme Inc.\xE2\x80\x9D The end.",
                            "\xE2\x80\x9CIt is Acme Inc.\xE2\x80\x9D|The end.", "00"));
}

static void test_paragraphs(void) {
    TEST_COND("blank line is a hard boundary",
              sentences_are("First line without stop\n\nSecond paragraph.",
                            "First line without stop|Second paragraph.", "01"));
    TEST_COND("line break after final punctuation ends a paragraph",
              sentences_are("One.\nTwo.\nthree", "One.|Two.|three", "012"));
    TEST_COND("other line breaks are spaces",
              sentences_are("A hard-wrapped\nsentence goes on\nhere.",
                            "A hard-wrapped\nsentence goes on\nhere.", "0"));
    TEST_COND("line break after a closing quote ends a paragraph",
              sentences_are("He said \xE2\x80\x9Cno.\xE2\x80\x9D\nNext one.",
                            "He said \xE2\x80\x9Cno.\xE2\x80\x9D|Next one.", "01"));
    TEST_COND("two sentences in a paragraph",
              sentences_are("A b. C d.\n\nE f.", "A b.|C d.|E f.", "001"));
    TEST_COND("title before a name across a line break does not split",
              sentences_are("met Dr.\nSmith today.", "met Dr.\nSmith today.", "0"));
    TEST_COND("dotted capitals at a line end before a capital end a paragraph",
              sentences_are("ties with the U.S.\nPakistan said no.",
                            "ties with the U.S.|Pakistan said no.", "01"));
    TEST_COND("abbreviation at a line end before lowercase goes on",
              sentences_are("with the U.S.\nofficials today.",
                            "with the U.S.\nofficials today.", "0"));
    TEST_COND("blank line after an abbreviation ends",
              sentences_are("met Dr.\n\nSmith left.", "met Dr.|Smith left.", "01"));
    TEST_COND("ellipsis at a line end before lowercase goes on",
              sentences_are("wait...\nthen more", "wait...\nthen more", "0"));
}

static void test_regions(void) {
    split("One. Two.", 5);
    TEST_COND("first paragraph number used",
              sents.n == 2 && sents.v[0].paragraph == 5 && sents.v[1].paragraph == 5);
    TEST_COND("next paragraph returned", next_para == 6);
    split("", 7);
    TEST_COND("empty region keeps the number", next_para == 7);
    /* two regions appended to one output */
    const char *a = "Title line", *b = "Body. More.";
    toks.n = 0;
    sents.n = 0;
    rc_tokenize(a, strlen(a), 0, &toks);
    size_t n1 = toks.n;
    uint32_t p1, p2;
    rc_split_sentences(a, toks.v, n1, 0, &p1, &sents);
    rc_tokenize(b, strlen(b), 0, &toks);
    rc_split_sentences(b, toks.v + n1, toks.n - n1, p1, &p2, &sents);
    TEST_COND("regions append", sents.n == 3 && sents.v[0].paragraph == 0 &&
                                    sents.v[1].paragraph == 1 && sents.v[2].paragraph == 1 &&
                                    p2 == 2);
    TEST_COND("token ranges are relative to the toks given",
              sents.v[1].tok_begin == 0 && sents.v[2].tok_end == 4);
    TEST_COND("NULL next_paragraph allowed",
              rc_split_sentences(b, toks.v + n1, toks.n - n1, 0, NULL, &sents) == RC_OK);
}

static int fail_after;
static void *f_malloc(void *ctx, size_t n) {
    (void)ctx;
    return fail_after-- > 0 ? malloc(n) : NULL;
}
static void *f_realloc(void *ctx, void *p, size_t n) {
    (void)ctx;
    return fail_after-- > 0 ? realloc(p, n) : NULL;
}
static void f_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

static void test_enomem(void) {
    rc_allocator a = {f_malloc, f_realloc, f_free, NULL};
    char text[501];
    for (int i = 0; i < 100; i++) memcpy(text + 5 * i, "A b. ", 5);
    text[500] = 0;
    toks.n = 0;
    rc_tokenize(text, strlen(text), 0, &toks);
    rc_sentences s;
    rc_sentences_init(&s, &a);
    fail_after = 1;
    uint32_t np = 42;
    rc_status rc = rc_split_sentences(text, toks.v, toks.n, 0, &np, &s);
    TEST_COND("enomem reported", rc == RC_ENOMEM);
    TEST_COND("enomem leaves the output as it was", s.n == 0 && np == 42);
    fail_after = 1000;
    rc = rc_split_sentences(text, toks.v, toks.n, 0, &np, &s);
    TEST_COND("retry succeeds", rc == RC_OK && s.n == 100);
    rc_sentences_free(&s);
    TEST_COND("free zeroes", s.v == NULL && s.n == 0 && s.cap == 0 && s.alc == &a);
    rc_sentences_free(&s);
}

int main(void) {
    rc_tokens_init(&toks, NULL);
    rc_sentences_init(&sents, NULL);
    test_basic();
    test_ellipsis();
    test_closers();
    test_abbreviations();
    test_paragraphs();
    test_regions();
    test_enomem();
    rc_tokens_free(&toks);
    rc_sentences_free(&sents);
    return TEST_REPORT();
}
