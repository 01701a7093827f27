/*
** test_token.c -- unit tests of rc_utf8.c and rc_token.c: every tokenizer
** rule of SPEC §4 and rc_token.c's header, offsets checked against the
** original bytes, rc_token_norm, allocation failure, random byte
** strings checked for the output invariants, the tokenizer's short way
** for the common tokens compared with its general rules on random text,
** and the hashes rc_tokenize_hashed gives beside the tokens.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rc_entity.h"
#include "relcore.h"
#include "test.h"

/* MARK: - Helpers -------------------------------------------------------- */

static rc_tokens toks;

static size_t tok(const char *text) {
    toks.n = 0;
    rc_status rc = rc_tokenize(text, strlen(text), 0, &toks);
    TEST_COND("rc_tokenize returns RC_OK", rc == RC_OK);
    return toks.n;
}

/* The tokens of text joined by '|' equal want. */
static int tokens_are(const char *text, const char *want) {
    char got[4096];
    size_t n = 0;
    tok(text);
    for (size_t i = 0; i < toks.n; i++) {
        size_t len = toks.v[i].end - toks.v[i].start;
        if (n + len + 2 >= sizeof got) return 0;
        if (i) got[n++] = '|';
        memcpy(got + n, text + toks.v[i].start, len);
        n += len;
    }
    got[n] = 0;
    if (strcmp(got, want)) printf("  got  %s\n  want %s\n", got, want);
    return !strcmp(got, want);
}

/* The token whose text is w (first one), or NULL. */
static const rc_token *find(const char *text, const char *w) {
    size_t n = strlen(w);
    for (size_t i = 0; i < toks.n; i++)
        if (toks.v[i].end - toks.v[i].start == n &&
            !memcmp(text + toks.v[i].start, w, n))
            return &toks.v[i];
    return NULL;
}

static int kind_of(const char *text, const char *w, rc_token_kind k) {
    tok(text);
    const rc_token *t = find(text, w);
    return t && t->kind == k;
}

static int flags_of(const char *text, const char *w, unsigned set,
                    unsigned clear) {
    tok(text);
    const rc_token *t = find(text, w);
    return t && (t->flags & set) == set && !(t->flags & clear);
}

static int norm_is(const char *text, size_t index, const char *want) {
    tok(text);
    if (index >= toks.n) return 0;
    char buf[256];
    size_t n = rc_token_norm(text, &toks.v[index], buf, sizeof buf);
    return n == strlen(want) && !memcmp(buf, want, n);
}

/* MARK: - UTF-8 ---------------------------------------------------------- */

/* Repair one byte at a time, as the validator defines it (the slow twin of
** rc_utf8_repair's 64- and 8-byte ASCII skips). */
static size_t repair_plain(char *s, size_t len, size_t *first_bad) {
    size_t bad = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = rc_utf8_decode(s + i, len - i, &cp);
        if (n > 1 || (unsigned char)s[i] < 0x80) {
            i += (size_t)n;
            continue;
        }
        if (!bad && first_bad) *first_bad = i;
        bad++;
        s[i++] = '?';
    }
    return bad;
}

/* Mostly ASCII with a rare sequence, valid or not, at a random place: the
** fast paths skip whole blocks and must stop exactly at the odd byte, at
** every alignment and length (a block's edge, the text's end). */
static void test_utf8_sparse(void) {
    static const char *const odd[] = {"\xC3\xA9", "\xE2\x80\x99", "\xF0\x9F\x98\x80",
                                      "\xE2\x80", "\xFF", "\x80", "\xED\xA0\x80",
                                      "\xC0\xAF"};
    static char a[700], b[700];
    unsigned seed = 11;
    int ok_repair = 1, ok_count = 1;
    for (int round = 0; round < 400; round++) {
        size_t len = 0, n;
        seed = seed * 1103515245u + 12345u;
        size_t want_len = (seed >> 16) % 690;
        while (len < want_len) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            if (r % 97 == 0) {
                const char *o = odd[r / 97 % 8];
                n = strlen(o);
                if (len + n > sizeof a) break;
                memcpy(a + len, o, n);
                len += n;
            } else {
                a[len++] = (char)(' ' + r % 95);
            }
        }
        for (size_t off = 0; off < 8 && off <= len; off++) {
            memcpy(b, a, len);
            size_t bad_a = 7777, bad_b = 7777;
            char c[700];
            memcpy(c, a, len);
            size_t ra = repair_plain(c + off, len - off, &bad_a);
            size_t rb = rc_utf8_repair(b + off, len - off, &bad_b);
            ok_repair &= ra == rb && bad_a == bad_b && !memcmp(b, c, len);
            size_t want = 0;
            for (size_t i = off; i < len; i++) want += ((unsigned char)a[i] & 0xC0) != 0x80;
            ok_count &= rc_utf8_count(a + off, len - off) == want;
        }
    }
    TEST_COND("repair of sparse non-ASCII equals the byte loop", ok_repair);
    TEST_COND("count of sparse non-ASCII equals a plain count", ok_count);
}

static void test_utf8(void) {
    char a[] = "plain ascii text, long enough for the fast path";
    size_t bad = 99;
    TEST_COND("repair: valid ascii untouched",
              rc_utf8_repair(a, strlen(a), &bad) == 0 && bad == 99);
    char b[] = "caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80 ok";
    TEST_COND("repair: valid multibyte untouched",
              rc_utf8_repair(b, strlen(b), NULL) == 0 &&
                  !strcmp(b, "caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80 ok"));
    char c[] = "a\xC0\xAF" "b";  /* overlong '/' */
    TEST_COND("repair: overlong C0 AF",
              rc_utf8_repair(c, 4, &bad) == 2 && bad == 1 && !strcmp(c, "a??b"));
    char d[] = "\xE0\x80\xAF";   /* overlong 3-byte */
    TEST_COND("repair: overlong E0 80", rc_utf8_repair(d, 3, NULL) == 3);
    char e[] = "x\xED\xA0\x80y"; /* surrogate U+D800 */
    TEST_COND("repair: surrogate",
              rc_utf8_repair(e, 5, &bad) == 3 && bad == 1 && !strcmp(e, "x???y"));
    char f[] = "\xF4\x90\x80\x80"; /* U+110000 */
    TEST_COND("repair: above U+10FFFF", rc_utf8_repair(f, 4, NULL) == 4);
    char g[] = "\xF5\x80\x80\x80\xFF";
    TEST_COND("repair: F5 and FF", rc_utf8_repair(g, 5, NULL) == 5);
    char h[] = "ab\xE2\x80";     /* truncated at the end */
    TEST_COND("repair: truncated sequence",
              rc_utf8_repair(h, 4, &bad) == 2 && bad == 2 && !strcmp(h, "ab??"));
    char i[] = "\xE2\x80" "abcdefghijk"; /* truncated before ASCII */
    TEST_COND("repair: truncated then ascii",
              rc_utf8_repair(i, strlen(i), NULL) == 2 && i[2] == 'a');
    char j[] = "\x80\xBF";
    TEST_COND("repair: lone continuation bytes", rc_utf8_repair(j, 2, NULL) == 2);

    int32_t cp;
    TEST_COND("decode ascii", rc_utf8_decode("A", 1, &cp) == 1 && cp == 'A');
    TEST_COND("decode 2", rc_utf8_decode("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9);
    TEST_COND("decode 3",
              rc_utf8_decode("\xE2\x80\x99", 3, &cp) == 3 && cp == 0x2019);
    TEST_COND("decode 4",
              rc_utf8_decode("\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
    TEST_COND("decode truncated is one byte",
              rc_utf8_decode("\xE2\x80", 2, &cp) == 1);
    TEST_COND("decode max", rc_utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp) == 4 &&
                                cp == 0x10FFFF);

    TEST_COND("count ascii", rc_utf8_count("hello", 5) == 5);
    const char *m = "caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80 and more ascii";
    TEST_COND("count mixed", rc_utf8_count(m, strlen(m)) == 23);
    TEST_COND("count empty", rc_utf8_count("", 0) == 0);
}

/* MARK: - Tokenizer rules -------------------------------------------------- */

static void test_words(void) {
    TEST_COND("plain words", tokens_are("Iran and Pakistan", "Iran|and|Pakistan"));
    TEST_COND("whitespace only makes no token", tok(" \t\r\n \n") == 0);
    TEST_COND("empty text", tok("") == 0);
    TEST_COND("inner apostrophe stays", tokens_are("don't O'Brien", "don't|O'Brien"));
    TEST_COND("curly possessive splits",
              tokens_are("Pakistan\xE2\x80\x99s envoy", "Pakistan|\xE2\x80\x99s|envoy"));
    TEST_COND("ascii possessive splits",
              tokens_are("Pakistan's envoy", "Pakistan|'s|envoy"));
    TEST_COND("possessive before punctuation",
              tokens_are("Iran's.", "Iran|'s|."));
    TEST_COND("possessive 's is a word",
              kind_of("Iran's", "'s", RC_TOK_WORD));
    TEST_COND("trailing apostrophe is punct",
              tokens_are("the neighbors\xE2\x80\x99 ties",
                         "the|neighbors|\xE2\x80\x99|ties"));
    TEST_COND("trailing apostrophe kind",
              kind_of("neighbors' ties", "'", RC_TOK_PUNCT));
    TEST_COND("possessive after a number", tokens_are("1990's", "1990|'s"));
    TEST_COND("possessive after punctuation", tokens_are("OutRage!'s", "OutRage|!|'s"));
    TEST_COND("apostrophe after a space is punct", tokens_are("the 's x", "the|'|s|x"));
    TEST_COND("opening single quote",
              tokens_are("\xE2\x80\x98" "brotherly\xE2\x80\x99 Pakistan",
                         "\xE2\x80\x98|brotherly|\xE2\x80\x99|Pakistan"));
    TEST_COND("non-ascii letters",
              tokens_are("S\xC3\xA3o Paulo \xD8\xA5\xD9\x8A\xD8\xB1\xD8\xA7\xD9\x86",
                         "S\xC3\xA3o|Paulo|\xD8\xA5\xD9\x8A\xD8\xB1\xD8\xA7\xD9\x86"));
    TEST_COND("ordinal is a word", kind_of("the 1st day", "1st", RC_TOK_WORD));
    TEST_COND("long word over 8 bytes",
              tokens_are("internationalisation, okay", "internationalisation|,|okay"));
}

static void test_abbreviations(void) {
    const char *t = "U.S. Dr. Gen. Jan. U.S.A. e.g. i.e. a.m. p.m. Mr. Mrs. "
                    "Prof. Inc. Ltd. Corp. Co. No. vs. etc. Sept. Mt. Ft. St.";
    TEST_COND("abbreviations keep their stop",
              tokens_are(t, "U.S.|Dr.|Gen.|Jan.|U.S.A.|e.g.|i.e.|a.m.|p.m.|"
                            "Mr.|Mrs.|Prof.|Inc.|Ltd.|Corp.|Co.|No.|vs.|etc.|"
                            "Sept.|Mt.|Ft.|St."));
    tok(t);
    int all = 1;
    for (size_t i = 0; i < toks.n; i++)
        all &= (toks.v[i].flags & RC_TF_ABBREV) && toks.v[i].kind == RC_TOK_WORD;
    TEST_COND("abbreviations flagged RC_TF_ABBREV", all);
    TEST_COND("initial J.", tokens_are("John J. Smith", "John|J.|Smith"));
    TEST_COND("initial flagged", flags_of("John F. Kennedy", "F.", RC_TF_ABBREV, 0));
    TEST_COND("sentence-final abbreviation keeps its stop",
              tokens_are("talks with the U.S. The", "talks|with|the|U.S.|The"));
    TEST_COND("ordinary word does not take the stop",
              tokens_are("It ended. Then", "It|ended|.|Then"));
    TEST_COND("ordinary word not flagged",
              flags_of("It ended.", "ended", 0, RC_TF_ABBREV));
    TEST_COND("lowercase single letter does not take the stop",
              tokens_are("plan b.", "plan|b|."));
    TEST_COND("U.K. and U.N. and E.U.",
              tokens_are("U.K. U.N. E.U.", "U.K.|U.N.|E.U."));
    TEST_COND("U.S. all upper", flags_of("the U.S. said", "U.S.",
                                         RC_TF_ALL_UPPER | RC_TF_UPPER_INITIAL, 0));
    TEST_COND("abbreviation before a comma", tokens_are("Dr., Mr.", "Dr.|,|Mr."));
}

static void test_dashes_and_hyphens(void) {
    TEST_COND("en dash compound splits",
              tokens_are("U.S.\xE2\x80\x93Israeli aggression",
                         "U.S.|\xE2\x80\x93|Israeli|aggression"));
    TEST_COND("em dash splits",
              tokens_are("peace\xE2\x80\x94" "at last", "peace|\xE2\x80\x94|at|last"));
    TEST_COND("double hyphen splits", tokens_are("peace--at last", "peace|--|at|last"));
    TEST_COND("dash is punct", kind_of("a \xE2\x80\x93 b", "\xE2\x80\x93", RC_TOK_PUNCT));
    TEST_COND("double hyphen is punct", kind_of("a -- b", "--", RC_TOK_PUNCT));
    TEST_COND("hyphenated words stay whole",
              tokens_are("12-day high-level Iran-Pakistan Guinea-Bissau",
                         "12-day|high-level|Iran-Pakistan|Guinea-Bissau"));
    TEST_COND("hyphenated flag", flags_of("a high-level visit", "high-level",
                                          RC_TF_HYPHENATED, RC_TF_LINE_JOINED));
    TEST_COND("12-day is a word", kind_of("the 12-day war", "12-day", RC_TOK_WORD));
    TEST_COND("12-day hyphenated", flags_of("the 12-day war", "12-day",
                                            RC_TF_HYPHENATED, 0));
    TEST_COND("dangling hyphen", tokens_are("pre- and post-war", "pre|-|and|post-war"));
    TEST_COND("unicode hyphen joins",
              tokens_are("high\xE2\x80\x90level", "high\xE2\x80\x90level"));
}

static void test_line_join(void) {
    const char *t = "the Secretary-\nGeneral said";
    TEST_COND("line-end hyphen rejoined",
              tokens_are(t, "the|Secretary-\nGeneral|said"));
    tok(t);
    TEST_COND("joined offsets cover both parts",
              toks.n == 3 && toks.v[1].start == 4 && toks.v[1].end == 22);
    TEST_COND("joined flags", flags_of(t, "Secretary-\nGeneral",
                                       RC_TF_LINE_JOINED | RC_TF_HYPHENATED |
                                           RC_TF_UPPER_INITIAL,
                                       RC_TF_NEWLINE_BEFORE));
    TEST_COND("joined with spaces and CR",
              tokens_are("Secretary- \r\n  General", "Secretary- \r\n  General"));
    TEST_COND("norm keeps hyphen before uppercase",
              norm_is("the Secretary-\nGeneral said", 1, "Secretary-General"));
    TEST_COND("norm keeps hyphen with spaces and CR",
              norm_is("Secretary- \r\n  General", 0, "Secretary-General"));
    TEST_COND("norm drops hyphen before lowercase",
              norm_is("an inter-\nnational body", 1, "international"));
    TEST_COND("blank line does not join",
              tokens_are("Secretary-\n\nGeneral", "Secretary|-|General"));
    TEST_COND("hyphen before a number at line end does not join",
              tokens_are("page-\n12", "page|-|12"));
    TEST_COND("soft hyphen at line end joins",
              norm_is("inter\xC2\xAD\nnational", 0, "international"));
}

static void test_numbers(void) {
    TEST_COND("separators and decimals",
              tokens_are("1,200 3.5 2025 1,200.50", "1,200|3.5|2025|1,200.50"));
    TEST_COND("number kind", kind_of("about 1,200.50 people", "1,200.50", RC_TOK_NUMBER));
    TEST_COND("percent is a symbol", tokens_are("3.5%", "3.5|%"));
    TEST_COND("percent kind", kind_of("3.5%", "%", RC_TOK_SYMBOL));
    TEST_COND("currency", tokens_are("$3", "$|3"));
    TEST_COND("currency kind", kind_of("$3", "$", RC_TOK_SYMBOL));
    TEST_COND("currency amount",
              tokens_are("$10 billion, 3.5% and 1,200",
                         "$|10|billion|,|3.5|%|and|1,200"));
    TEST_COND("euro", tokens_are("\xE2\x82\xAC" "5", "\xE2\x82\xAC|5"));
    TEST_COND("euro symbol", kind_of("\xE2\x82\xAC" "5", "\xE2\x82\xAC", RC_TOK_SYMBOL));
    TEST_COND("number then full stop", tokens_are("in 2025.", "in|2025|."));
    TEST_COND("trailing comma", tokens_are("1,200, 3", "1,200|,|3"));
    TEST_COND("symbols", tokens_are("a+b=c", "a|+|b|=|c"));
}

static void test_urls_and_tags(void) {
    TEST_COND("url trailing stop dropped",
              tokens_are("see https://example.org/a?b=1. Then",
                         "see|https://example.org/a?b=1|.|Then"));
    TEST_COND("url kind", kind_of("see https://example.org/a now",
                                  "https://example.org/a", RC_TOK_URL));
    TEST_COND("http and www",
              tokens_are("(http://x.org/p), www.example.org/x,",
                         "(|http://x.org/p|)|,|www.example.org/x|,"));
    TEST_COND("url balanced parenthesis kept",
              tokens_are("https://en.wikipedia.org/wiki/A_(b)",
                         "https://en.wikipedia.org/wiki/A_(b)"));
    TEST_COND("url stops at a curly quote",
              tokens_are("\xE2\x80\x9Chttp://x.org\xE2\x80\x9D",
                         "\xE2\x80\x9C|http://x.org|\xE2\x80\x9D"));
    TEST_COND("www alone is a word", tokens_are("www", "www"));
    TEST_COND("email whole",
              tokens_are("mail press@mfa.example.org now",
                         "mail|press@mfa.example.org|now"));
    TEST_COND("email kind", kind_of("mail j.smith@x.org.", "j.smith@x.org", RC_TOK_EMAIL));
    TEST_COND("email trailing stop", tokens_are("j.smith@x.org.", "j.smith@x.org|."));
    TEST_COND("not an email without a dot", tokens_are("a@b", "a|@b"));
    TEST_COND("handle and hashtag",
              tokens_are("@MFA_Pakistan and #IranPakistan",
                         "@MFA_Pakistan|and|#IranPakistan"));
    TEST_COND("handle kind", kind_of("@MFA_Pakistan", "@MFA_Pakistan", RC_TOK_HANDLE));
    TEST_COND("hashtag kind", kind_of("#IranPakistan", "#IranPakistan", RC_TOK_HASHTAG));
    TEST_COND("hash before a digit is a symbol", tokens_are("#1", "#|1"));
    TEST_COND("lone at", kind_of("a @ b", "@", RC_TOK_SYMBOL));
    /* an @ that ends the text: nothing past it is read (ASan checks the
    ** buffer of exactly three bytes) */
    char *at_end = malloc(3);
    memcpy(at_end, "a @", 3);
    toks.n = 0;
    rc_status rc = rc_tokenize(at_end, 3, 0, &toks);
    TEST_COND("at the end of the text is a symbol",
              rc == RC_OK && toks.n == 2 && toks.v[1].start == 2 &&
                  toks.v[1].kind == RC_TOK_SYMBOL);
    free(at_end);
}

static void test_punct(void) {
    TEST_COND("ellipsis and double hyphen whole",
              tokens_are("wait... what -- no", "wait|...|what|--|no"));
    TEST_COND("unicode ellipsis",
              tokens_are("wait\xE2\x80\xA6 what", "wait|\xE2\x80\xA6|what"));
    TEST_COND("curly quotes",
              tokens_are("\xE2\x80\x9Cquoted\xE2\x80\x9D",
                         "\xE2\x80\x9C|quoted|\xE2\x80\x9D"));
    TEST_COND("brackets and commas", tokens_are("(a, [b])", "(|a|,|[|b|]|)"));
    TEST_COND("quote kind", kind_of("\xE2\x80\x9Cq", "\xE2\x80\x9C", RC_TOK_PUNCT));
    TEST_COND("two dots are two tokens", tokens_are("a..", "a|.|."));
}

static void test_flags(void) {
    const char *t = "Iran NATO iPhone x";
    TEST_COND("upper initial", flags_of(t, "Iran", RC_TF_UPPER_INITIAL, RC_TF_ALL_UPPER));
    TEST_COND("all upper", flags_of(t, "NATO", RC_TF_UPPER_INITIAL | RC_TF_ALL_UPPER, 0));
    TEST_COND("lower initial",
              flags_of(t, "iPhone", 0, RC_TF_UPPER_INITIAL | RC_TF_ALL_UPPER));
    TEST_COND("unicode upper initial",
              flags_of("\xC3\x89mile", "\xC3\x89mile", RC_TF_UPPER_INITIAL, RC_TF_ALL_UPPER));
    TEST_COND("unicode all upper",
              flags_of("\xC3\x89T\xC3\x89", "\xC3\x89T\xC3\x89", RC_TF_ALL_UPPER, 0));
    TEST_COND("numbers have no case", flags_of("2025", "2025", 0,
                                               RC_TF_UPPER_INITIAL | RC_TF_ALL_UPPER));
    TEST_COND("first letter after digits", flags_of("3D", "3D",
                                                    RC_TF_UPPER_INITIAL | RC_TF_ALL_UPPER, 0));
    const char *p = "One two\nthree\n\nfour \n \t\n five";
    TEST_COND("no newline flag on first", flags_of(p, "One", 0,
                                                   RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE));
    TEST_COND("no newline flag after space", flags_of(p, "two", 0, RC_TF_NEWLINE_BEFORE));
    TEST_COND("newline flag", flags_of(p, "three", RC_TF_NEWLINE_BEFORE,
                                       RC_TF_BLANKLINE_BEFORE));
    TEST_COND("blank line flag",
              flags_of(p, "four", RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE, 0));
    TEST_COND("blank line with spaces between",
              flags_of(p, "five", RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE, 0));
    TEST_COND("first token of a call: newline before it",
              flags_of("\nA", "A", RC_TF_NEWLINE_BEFORE, RC_TF_BLANKLINE_BEFORE));
    TEST_COND("first token of a call: blank line before it",
              flags_of("\r\n\r\nA", "A", RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE, 0));
    TEST_COND("crlf counts once",
              flags_of("a\r\nb", "b", RC_TF_NEWLINE_BEFORE, RC_TF_BLANKLINE_BEFORE));
}

static void test_invisible(void) {
    TEST_COND("nbsp, zero-width space, bom make no token",
              tokens_are("Iran\xC2\xA0" "and\xE2\x80\x8BPakistan\xEF\xBB\xBF",
                         "Iran|and|Pakistan"));
    TEST_COND("bom at start", tokens_are("\xEF\xBB\xBFIran", "Iran"));
    TEST_COND("unicode spaces (em space, ideographic space)",
              tokens_are("a\xE2\x80\x83" "b\xE3\x80\x80" "c", "a|b|c"));
    TEST_COND("lone soft hyphen makes no token", tok(" \xC2\xAD ") == 0);
    TEST_COND("soft hyphen inside a word stays",
              tokens_are("inter\xC2\xAD" "national", "inter\xC2\xAD" "national"));
    TEST_COND("norm drops soft hyphen",
              norm_is("inter\xC2\xAD" "national", 0, "international"));
    TEST_COND("repaired bytes are symbols", tokens_are("a?b", "a|?|b"));
}

static void test_long_runs(void) {
    size_t n = 3 * RC_MAX_TOKEN_BYTES + 100;
    char *t = malloc(n + 1);
    memset(t, 'a', n);
    t[n] = 0;
    tok(t);
    int ok = toks.n == 4 && toks.v[0].start == 0;
    for (size_t i = 0; i < toks.n; i++) {
        ok &= toks.v[i].end - toks.v[i].start <= RC_MAX_TOKEN_BYTES;
        if (i) ok &= toks.v[i].start == toks.v[i - 1].end;
    }
    TEST_COND("long run cut into pieces", ok && toks.v[3].end == n);
    /* two-byte letters: the cut must not split one */
    for (size_t i = 0; i + 1 < n; i += 2) memcpy(t + i, "\xC3\xA9", 2);
    t[n - 1 - (n % 2 == 0)] = 0;
    size_t m = strlen(t);
    tok(t);
    ok = toks.n >= 2;
    for (size_t i = 0; i < toks.n; i++) {
        ok &= toks.v[i].end - toks.v[i].start <= RC_MAX_TOKEN_BYTES;
        ok &= ((unsigned char)t[toks.v[i].start] & 0xC0) != 0x80;
        ok &= toks.v[i].end == m || ((unsigned char)t[toks.v[i].end] & 0xC0) != 0x80;
    }
    TEST_COND("long multibyte run cut at code points", ok);
    memset(t, '-', n);
    t[n] = 0;
    tok(t);
    ok = toks.n == 4;
    for (size_t i = 0; i < toks.n; i++)
        ok &= toks.v[i].end - toks.v[i].start <= RC_MAX_TOKEN_BYTES;
    TEST_COND("long hyphen run cut", ok);
    memcpy(t, "http://", 7);
    memset(t + 7, 'x', n - 7);
    tok(t);
    ok = toks.n == 4 && toks.v[0].kind == RC_TOK_URL;
    for (size_t i = 0; i < toks.n; i++)
        ok &= toks.v[i].end - toks.v[i].start <= RC_MAX_TOKEN_BYTES;
    TEST_COND("long url cut", ok);
    free(t);
}

static void test_offsets_and_base(void) {
    const char *t = "  Pakistan\xE2\x80\x99s  $3.5 ";
    toks.n = 0;
    rc_status rc = rc_tokenize(t, strlen(t), 1000, &toks);
    TEST_COND("base: ok", rc == RC_OK && toks.n == 4);
    TEST_COND("base: offsets", toks.v[0].start == 1002 && toks.v[0].end == 1010 &&
                                   toks.v[1].start == 1010 && toks.v[1].end == 1014 &&
                                   toks.v[2].start == 1016 && toks.v[3].end == 1020);
    size_t before = toks.n;
    rc = rc_tokenize("b", 1, 2000, &toks);
    TEST_COND("appends", rc == RC_OK && toks.n == before + 1 && toks.v[before].start == 2000);
    rc = rc_tokenize("b", 1, UINT32_MAX, &toks);
    TEST_COND("offsets past 32 bits refused", rc == RC_ELIMIT && toks.n == before + 1);
    /* a possessive does not glue to a token of an earlier call */
    toks.n = 0;
    rc_tokenize("Iran", 4, 0, &toks);
    rc_tokenize("'s x", 4, 4, &toks);
    TEST_COND("possessive at a call start is punct + word",
              toks.n == 4 && toks.v[1].kind == RC_TOK_PUNCT);
}

/* A curly apostrophe at every place of words of 1-20 letters: the
** normal form folds it wherever it sits (the all-ASCII test that lets a
** token be its own normal form reads 8 and 4 bytes at a time). */
static void test_norm_every_place(void) {
    int ok = 1;
    for (size_t len = 1; len <= 20 && ok; len++)
        for (size_t at = 0; at < len && ok; at++) {
            char text[64], want[32];
            size_t n = 0, k = 0;
            for (size_t i = 0; i < len; i++) {
                if (i == at) {
                    memcpy(text + n, "\xE2\x80\x99", 3);
                    n += 3;
                    want[k++] = '\'';
                } else {
                    text[n++] = 'b';
                    want[k++] = 'b';
                }
            }
            rc_token t = {0, (uint32_t)n, RC_TOK_WORD, 0};
            char buf[64];
            size_t got = rc_token_norm(text, &t, buf, sizeof buf);
            ok = got == k && !memcmp(buf, want, k);
        }
    TEST_COND("norm folds a curly apostrophe at every place", ok);
}

static void test_norm(void) {
    TEST_COND("norm curly apostrophe", norm_is("Pakistan\xE2\x80\x99s", 1, "'s"));
    TEST_COND("norm curly quote", norm_is("\xE2\x80\x9Cq", 0, "\""));
    TEST_COND("norm dash", norm_is("a \xE2\x80\x93 b", 1, "-"));
    TEST_COND("norm unicode hyphen", norm_is("high\xE2\x80\x90level", 0, "high-level"));
    TEST_COND("norm keeps case", norm_is("NATO", 0, "NATO"));
    TEST_COND("norm plain", norm_is("Iran-Pakistan", 0, "Iran-Pakistan"));
    const char *t = "Guinea-Bissau";
    tok(t);
    char buf[4];
    size_t n = rc_token_norm(t, &toks.v[0], buf, sizeof buf);
    TEST_COND("norm truncates and returns the full length",
              n == 13 && !memcmp(buf, "Guin", 4));
    TEST_COND("norm with cap 0", rc_token_norm(t, &toks.v[0], NULL, 0) == 13);
}

static void test_kind_names(void) {
    TEST_COND("kind names", !strcmp(rc_token_kind_name(RC_TOK_WORD), "word") &&
                                !strcmp(rc_token_kind_name(RC_TOK_NUMBER), "number") &&
                                !strcmp(rc_token_kind_name(RC_TOK_PUNCT), "punct") &&
                                !strcmp(rc_token_kind_name(RC_TOK_SYMBOL), "symbol") &&
                                !strcmp(rc_token_kind_name(RC_TOK_URL), "url") &&
                                !strcmp(rc_token_kind_name(RC_TOK_EMAIL), "email") &&
                                !strcmp(rc_token_kind_name(RC_TOK_HANDLE), "handle") &&
                                !strcmp(rc_token_kind_name(RC_TOK_HASHTAG), "hashtag"));
    TEST_COND("unknown kind name", !strcmp(rc_token_kind_name(RC_TOK_KIND_COUNT), "?"));
}

/* MARK: - Allocation failure ------------------------------------------------ */

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
    rc_tokens t;
    rc_tokens_init(&t, &a);
    char text[400];
    for (int i = 0; i < 100; i++) memcpy(text + 4 * i, "abc ", 4);
    fail_after = 1; /* the first array (16) succeeds, growing it fails */
    rc_status rc = rc_tokenize(text, sizeof text, 0, &t);
    TEST_COND("enomem reported", rc == RC_ENOMEM);
    TEST_COND("enomem keeps the tokens so far", t.n == 16 && t.v[15].start == 60);
    rc_tokens_free(&t);
    TEST_COND("free zeroes", t.v == NULL && t.n == 0 && t.cap == 0 && t.alc == &a);
    rc_tokens_free(&t); /* twice is fine */
}

/* MARK: - Random bytes ---------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next_rand(void) { /* xorshift64* */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32);
}

static int is_cont(const char *s, size_t i) {
    return ((unsigned char)s[i] & 0xC0) == 0x80;
}

static void test_random(void) {
    static const char *const pieces[] = {
        "a", "Z", "7", " ", "\n", "\r\n", ".", ",", "'", "-", "--", "...", "@",
        "#", "$", "%", "http://", "www.", "U.S.", "Dr.", "\xE2\x80\x99",
        "\xE2\x80\x93", "\xC2\xA0", "\xE2\x80\x8B", "\xC2\xAD", "\xEF\xBB\xBF",
        "\xC3\xA9", "\xF0\x9F\x98\x80", "\xE2\x80\x9C", "\xE2\x80\x9D", "?", "!",
        ")", "x.org", "s", "-\n", "\t", "\xCC\x81"};
    const size_t np = sizeof pieces / sizeof *pieces;
    char buf[600];
    int ok_utf8 = 1, ok_sorted = 1, ok_bounds = 1, ok_cp = 1, ok_space = 1, ok_sent = 1;
    rc_sentences sents;
    rc_sentences_init(&sents, NULL);
    for (int round = 0; round < 4000; round++) {
        size_t len = 0, want = next_rand() % 500;
        while (len < want) {
            if (next_rand() % 3 == 0) { /* random bytes */
                buf[len++] = (char)(next_rand() & 0xFF);
            } else {
                const char *p = pieces[next_rand() % np];
                size_t pl = strlen(p);
                if (len + pl > sizeof buf) break;
                memcpy(buf + len, p, pl);
                len += pl;
            }
        }
        rc_utf8_repair(buf, len, NULL);
        size_t cps = 0;
        for (size_t i = 0; i < len; cps++) {
            int32_t cp;
            int l = rc_utf8_decode(buf + i, len - i, &cp);
            if (cp == 0xFFFD && buf[i] != '\xEF') ok_utf8 = 0;
            i += (size_t)l;
        }
        if (rc_utf8_repair(buf, len, NULL) != 0 || rc_utf8_count(buf, len) != cps)
            ok_utf8 = 0;
        toks.n = 0;
        uint32_t base = round % 2 ? 0 : 77;
        if (rc_tokenize(buf, len, base, &toks) != RC_OK) {
            ok_bounds = 0;
            continue;
        }
        for (size_t i = 0; i < toks.n; i++) {
            const rc_token *t = &toks.v[i];
            size_t b = t->start - base, e = t->end - base;
            if (t->start < base || e > len || b >= e) {
                ok_bounds = 0;
                break;
            }
            if (i && t->start < toks.v[i - 1].end) ok_sorted = 0;
            if (is_cont(buf, b) || (e < len && is_cont(buf, e))) ok_cp = 0;
            if (t->kind >= RC_TOK_KIND_COUNT) ok_bounds = 0;
            int blank = 1;
            for (size_t k = b; k < e; k++)
                if (buf[k] != ' ' && buf[k] != '\n' && buf[k] != '\t' && buf[k] != '\r')
                    blank = 0;
            if (blank) ok_space = 0;
        }
        /* sentences over the same tokens (text indexed from base) */
        sents.n = 0;
        uint32_t next = 0;
        if (rc_split_sentences(buf - base, toks.v, toks.n, 3, &next, &sents) != RC_OK) {
            ok_sent = 0;
            continue;
        }
        size_t at = 0;
        for (size_t i = 0; i < sents.n; i++) {
            const rc_sentence *s = &sents.v[i];
            if (s->tok_begin != at || s->tok_end <= s->tok_begin ||
                s->start != toks.v[s->tok_begin].start ||
                s->end != toks.v[s->tok_end - 1].end || s->paragraph < 3 ||
                (i && s->paragraph < sents.v[i - 1].paragraph))
                ok_sent = 0;
            at = s->tok_end;
        }
        if (at != toks.n) ok_sent = 0;
        if (toks.n ? next != sents.v[sents.n - 1].paragraph + 1 : next != 3) ok_sent = 0;
    }
    TEST_COND("random: repaired text is valid, count agrees with decode", ok_utf8);
    TEST_COND("random: tokens within [0, len)", ok_bounds);
    TEST_COND("random: tokens sorted, not overlapping", ok_sorted);
    TEST_COND("random: no token starts or ends inside a code point", ok_cp);
    TEST_COND("random: no whitespace-only token", ok_space);
    TEST_COND("random: sentences cover the tokens in order", ok_sent);
    rc_sentences_free(&sents);
}

/* MARK: - The short way against the general rules ------------------------- */

/* Random text of about `want` bytes (at most cap) made of pieces chosen at
** random into buf; its length. */
static size_t pieces_text(char *buf, size_t cap, const char *const *pieces, size_t np,
                          size_t want) {
    size_t len = 0;
    while (len < want) {
        const char *p = pieces[next_rand() % np];
        size_t pl = strlen(p);
        if (len + pl > cap) break;
        memcpy(buf + len, p, pl);
        len += pl;
    }
    return len;
}

#define LINE_FLAGS (RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE)

static int is_word_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* rc_tokenize takes the common tokens the short way (plain_word, one
** code point with no rule to weigh); at every token start of random text
** made of pieces at the short way's edges, wherever it answers, its token
** must be the general rules' (rc_token_both_ways), flags included: words
** of 1 to 20 bytes (plain_word takes fewer than 16, with 16 bytes of text
** ahead), what may follow a word (, . : ' % + @ _ - and bytes past
** ASCII), numbers with separators, abbreviations, URL and e-mail
** prefixes, line breaks. */
static void test_short_way(void) {
    static const char *const pieces[] = {
        "a", "I", "Mr", "Dr", "No", "no", "etc", "vs", "Gen", "St", "U", "S",
        "e", "g", "x", "s", "word", "Word", "WORD", "wOrd", "3D", "1st", "12",
        "1999", "0", "5", "Pakistan", "international", "Internationalisation",
        "ABCDEFGHIJKLMNOPQ", "abcdefghijklmnop", "abcdefghijklmno", "www", "http",
        "https", "com", "org", " ", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n",
        ".", ".", ",", ",", ":", ";", "'", "'s", "%", "+", "@", "_", "-", "--",
        "...", "(", ")", "\"", "!", "?", "/", "#", "$", "\x7F",
        "\xE2\x80\x99", "\xE2\x80\x99s", "\xC3\xA9", "\xE2\x80\x93",
        "\xE2\x80\x9C", "\xC2\xA0", "\xC2\xAD", "-\n", "\xE2\x80\xA8"};
    const size_t np = sizeof pieces / sizeof *pieces;
    char buf[400];
    int same = 1, answered = 0, tokenized_same = 1;
    for (int round = 0; round < 20000 && same; round++) {
        size_t len = pieces_text(buf, sizeof buf, pieces, np, next_rand() % 300);
        toks.n = 0;
        if (rc_tokenize(buf, len, 0, &toks) != RC_OK) same = 0;
        for (size_t t = 0; t < toks.n && same; t++) {
            rc_token quick, general, *got = &toks.v[t];
            rc_token_both_ways(buf, len, got->start, &quick, &general);
            /* a token from an ASCII letter or digit or a comma, however
            ** the loop took it (plain_word, from the block's masks, or in
            ** a run of words each followed by a space or a comma), is the
            ** general rules' */
            if (is_word_start(buf[got->start]) || buf[got->start] == ',')
                tokenized_same &= got->end == general.end && got->kind == general.kind &&
                                  (got->flags & ~LINE_FLAGS) == general.flags;
            if (!quick.end) continue;
            answered++;
            same = quick.end == general.end && quick.kind == general.kind &&
                   quick.flags == general.flags;
            if (!same) printf("short way differs at %u of: %.*s\n", quick.start, (int)len, buf);
        }
    }
    TEST_COND("short way: the general rules' token wherever it answers", same);
    TEST_COND("short way: answers for most tokens", answered > 100000);
    TEST_COND("short way: the tokenizer's words and commas are the general rules'", tokenized_same);
}

/* MARK: - Hashes beside the tokens ---------------------------------------- */

/* Whether side's lists over the tokens are right: `lower` and `words`
** ascend, hold only words, no word twice and every word once between
** them, `lower` only words starting with an ASCII lower-case letter and
** not hyphenated (token_scan lists those from `words`);
** `paren` is every token `(`, and `notable` every token of punctuation
** that may end a sentence (first byte . ! ? or past ASCII) or with an
** RC_SENT_NOTABLE flag, in order. */
static int side_lists_right(const char *text, const rc_tokens *toks, const rc_token_side *side) {
    size_t l = 0, w = 0, p = 0, o = 0;
    for (size_t t = 0; t < toks->n; t++) {
        const rc_token *k = &toks->v[t];
        int in_lower = l < side->nlower && side->lower[l] == t;
        int in_words = w < side->nwords && side->words[w] == t;
        l += (size_t)in_lower;
        w += (size_t)in_words;
        if (k->kind == RC_TOK_WORD ? in_lower == in_words : in_lower || in_words) return 0;
        if (in_lower && ((unsigned char)(text[k->start] - 'a') >= 26 ||
                         (k->flags & RC_TF_HYPHENATED)))
            return 0;
        int paren = k->end - k->start == 1 && text[k->start] == '(';
        if (paren != (p < side->nparen && side->paren[p] == t)) return 0;
        p += (size_t)paren;
        unsigned char c0 = (unsigned char)text[k->start];
        int notable = (k->kind == RC_TOK_PUNCT &&
                       (c0 == '.' || c0 == '!' || c0 == '?' || c0 >= 0x80)) ||
                      (k->flags & RC_SENT_NOTABLE);
        if (notable != (o < side->nnotable && side->notable[o] == t)) return 0;
        o += (size_t)notable;
    }
    return l == side->nlower && w == side->nwords && p == side->nparen &&
           o == side->nnotable;
}

/* Whether rc_split_listed, given side's list, splits the n tokens from
** first (one region) as rc_split_sentences does. */
static int split_alike(const char *text, const rc_tokens *toks, const rc_token_side *side,
                       size_t first, size_t n) {
    size_t a = 0; /* the list's entries from the region's first token */
    while (a < side->nnotable && side->notable[a] < first) a++;
    size_t b = a;
    while (b < side->nnotable && side->notable[b] < first + n) b++;
    rc_sentences scan, listed;
    rc_sentences_init(&scan, NULL);
    rc_sentences_init(&listed, NULL);
    uint32_t next_scan = 0, next_listed = 0;
    int same = rc_split_sentences(text, toks->v + first, n, 3, &next_scan, &scan) == RC_OK &&
               rc_split_listed(text, toks->v + first, n, side->notable + a, b - a,
                               (uint32_t)first, 3, &next_listed, &listed) == RC_OK &&
               scan.n == listed.n && next_scan == next_listed;
    for (size_t k = 0; same && k < scan.n; k++)
        same = !memcmp(&scan.v[k], &listed.v[k], sizeof scan.v[k]);
    rc_sentences_free(&scan);
    rc_sentences_free(&listed);
    return same;
}

/* rc_tokenize_hashed on random text made of test_short_way's pieces and
** more (words of 1 to 20 bytes, non-ASCII letters and punctuation), two
** regions appended to the same arrays as rc_docres does: the tokens are
** rc_tokenize's, every hash it gives is rc_norm_hash's (lower_first 0)
** of that token, 0 standing only for a token it left to be worked out,
** and most tokens get one; its lists are right (side_lists_right), and
** with its list each region splits into the sentences it would without
** (split_alike); rc_tokenize_noted gives the same tokens and notable
** list and writes no other list. */
static void test_hashed(void) {
    static const char *const pieces[] = {
        "a", "I", "Mr", "Dr", "No", "etc", "U", "S", "e", "g", "s", "word", "Word",
        "WORD", "3D", "1st", "1999", "Pakistan", "international", "Internationalisation",
        "ABCDEFGHIJKLMNOPQ", "abcdefghijklmnop", "abcdefghijklmno", "abcdefgh",
        "abcdefghi", "www", "http", " ", " ", " ", "  ", "\n", "\t", ".", ",", ":",
        "'", "'s", "%", "@", "-", "--", "...", "(", ")", "\"", "$", "\xE2\x80\x99",
        "\xE2\x80\x99s", "\xC3\xA9", "\xE2\x80\x93", "\xE2\x80\x9C", "-\n", "!",
        "?", "\xE2\x80\xA6", "\xE2\x80\x9D", "\xE2\x82\xAC", ";"};
    const size_t np = sizeof pieces / sizeof *pieces;
    char buf[700];
    rc_tokens plain, hashed;
    rc_tokens_init(&plain, NULL);
    rc_tokens_init(&hashed, NULL);
    rc_token_side side, notes;
    memset(&side, 0, sizeof side);
    memset(&notes, 0, sizeof notes);
    rc_tokens noted;
    rc_tokens_init(&noted, NULL);
    size_t given = 0, total = 0, lower_words = 0, notable = 0;
    int same = 1, right = 1, lists = 1, split = 1, noted_alike = 1;
    char *scratch = NULL;
    size_t scap = 0;
    for (int round = 0; round < 5000 && same && right; round++) {
        size_t len = pieces_text(buf, sizeof buf, pieces, np, next_rand() % 600);
        size_t cut = len ? next_rand() % len : 0; /* two regions: [0, cut) [cut, len) */
        while (cut < len && is_cont(buf, cut)) cut++;
        plain.n = hashed.n = 0;
        side.nlower = side.nwords = side.nparen = side.nnotable = 0;
        if (rc_tokenize(buf, cut, 0, &plain) || rc_tokenize(buf + cut, len - cut, (uint32_t)cut, &plain) ||
            rc_tokenize_hashed(buf, cut, 0, &hashed, &side) ||
            rc_tokenize_hashed(buf + cut, len - cut, (uint32_t)cut, &hashed, &side) ||
            plain.n != hashed.n || side.cap < hashed.n) {
            same = 0;
            break;
        }
        for (size_t t = 0; t < plain.n; t++) {
            const rc_token *a = &plain.v[t], *b = &hashed.v[t];
            if (a->start != b->start || a->end != b->end || a->kind != b->kind ||
                a->flags != b->flags)
                same = 0;
            uint64_t h = 0;
            if (rc_norm_hash(buf, b, 0, &scratch, &scap, NULL, &h)) right = 0;
            if (side.hash[t] && side.hash[t] != h) {
                right = 0;
                printf("hash of token %zu (%.*s) differs\n", t, (int)(b->end - b->start),
                       buf + b->start);
            }
            given += side.hash[t] != 0;
            total++;
        }
        lists = lists && side_lists_right(buf, &hashed, &side);
        /* the splitter's list alone, and nothing else of the side */
        noted.n = 0;
        notes.nnotable = 0;
        notes.nlower = notes.nwords = notes.nparen = 7;
        if (rc_tokenize_noted(buf, cut, 0, &noted, &notes) ||
            rc_tokenize_noted(buf + cut, len - cut, (uint32_t)cut, &noted, &notes) ||
            noted.n != hashed.n || notes.nnotable != side.nnotable || notes.hash ||
            notes.lower || notes.words || notes.paren || notes.nlower != 7 ||
            notes.nwords != 7 || notes.nparen != 7 ||
            memcmp(notes.notable, side.notable, side.nnotable * sizeof *side.notable))
            noted_alike = 0;
        for (size_t t = 0; t < noted.n && noted_alike; t++) {
            const rc_token *a = &noted.v[t], *b = &hashed.v[t];
            noted_alike = a->start == b->start && a->end == b->end && a->kind == b->kind &&
                          a->flags == b->flags;
        }
        lower_words += side.nlower;
        notable += side.nnotable;
        size_t n1 = 0; /* the tokens of the first region */
        while (n1 < hashed.n && hashed.v[n1].start < cut) n1++;
        split = split && split_alike(buf, &hashed, &side, 0, n1) &&
                split_alike(buf, &hashed, &side, n1, hashed.n - n1);
    }
    TEST_COND("hashed: the tokens of rc_tokenize", same);
    TEST_COND("hashed: every hash given is the token's rc_norm_hash", right);
    TEST_COND("hashed: many tokens of random text get theirs",
              total > 100000 && given * 10 > total * 3);
    TEST_COND("hashed: the lists of words, of ( and of notable tokens are right",
              lists && lower_words > 10000 && notable > 10000);
    TEST_COND("hashed: with the list of notable tokens, the same sentences", split);
    TEST_COND("noted: the same tokens and notable list, no other list", noted_alike);
    rc_tokens_free(&noted);
    rc_token_side_free(NULL, &notes);
    /* plain prose: every word of ASCII letters and digits, and every
    ** one-byte token, that starts 16 bytes or more before the end (the
    ** short way's reach) gets its hash; U.S., p.m. and 's are the general
    ** rules' */
    const char *prose = "The Foreign Minister of Pakistan, Ishaq Dar, met his Iranian "
                        "counterpart (Abbas Araghchi) in Tehran on Monday; talks ended at 5 p.m. "
                        "and the U.S. envoy's visit was postponed to next week.";
    size_t plen = strlen(prose), plain_words = 0, plain_lower = 0, listed = 0;
    hashed.n = 0;
    side.nlower = side.nwords = side.nparen = side.nnotable = 0;
    int all = rc_tokenize_hashed(prose, plen, 0, &hashed, &side) == RC_OK;
    for (size_t t = 0; all && t < hashed.n && hashed.v[t].start + 16 <= plen; t++) {
        const rc_token *b = &hashed.v[t];
        int plain = b->end - b->start == 1;
        for (size_t k = b->start; k < b->end && !plain; k++)
            if (!isalnum((unsigned char)prose[k])) break;
            else if (k + 1 == b->end) plain = 1;
        plain_words += (size_t)plain;
        if (plain) all = side.hash[t] != 0;
        if (plain && islower((unsigned char)prose[b->start])) {
            plain_lower++;
            for (size_t k = 0; k < side.nlower; k++) listed += side.lower[k] == t;
        }
    }
    TEST_COND("hashed: every token of plain prose gets its hash", all && plain_words > 30);
    TEST_COND("hashed: every plain lower-case word of prose is listed as one",
              side_lists_right(prose, &hashed, &side) && plain_lower > 10 &&
                  listed == plain_lower);
    free(scratch);
    rc_token_side_free(NULL, &side);
    rc_tokens_free(&plain);
    rc_tokens_free(&hashed);
}

int main(void) {
    rc_tokens_init(&toks, NULL);
    test_utf8();
    test_utf8_sparse();
    test_words();
    test_abbreviations();
    test_dashes_and_hyphens();
    test_line_join();
    test_numbers();
    test_urls_and_tags();
    test_punct();
    test_flags();
    test_invisible();
    test_long_runs();
    test_offsets_and_base();
    test_norm();
    test_norm_every_place();
    test_kind_names();
    test_enomem();
    test_random();
    test_short_way();
    test_hashed();
    rc_tokens_free(&toks);
    return TEST_REPORT();
}
