/*
** test_gazetteer.c -- the built-in gazetteer's snapshot (rc_gazetteer.c):
** a gazetteer made from the compiled-in snapshot is the one parsed and
** frozen from the text, snapshot for snapshot, byte for byte; user rows
** make freeze build the index (and take effect); a snapshot whose header
** does not match, or that is cut short anywhere or runs on, is not used
** and changes nothing; without the built-in rows a snapshot still gives
** the word classes; the compiled-in snapshot is read in place (a
** gazetteer allocates little beside it), one that is not 16-byte aligned
** is copied, and the two are the same gazetteer.  Every built-in alias
** is matched at its first unit, alone, going on and after a word.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_entity.h"
#include "tables.h"
#include "test.h"

extern const unsigned char rc_builtin_snapshot[];
extern const size_t rc_builtin_snapshot_len;

/* A frozen gazetteer from snap (NULL: parsed), with a user file when
** user is not NULL; *copied: whether freeze copied the index. */
static rc_gazetteer *made(int builtin, const unsigned char *snap, size_t len,
                          const char *user, int *copied) {
    rc_gazetteer *g = NULL;
    rc_error err = {0};
    if (rc_gazetteer_new_from(builtin, snap, len, NULL, &g, &err)) return NULL;
    if ((user && rc_gazetteer_load(g, user, strlen(user), "user.tsv", &err)) ||
        rc_gazetteer_freeze(g, &err)) {
        rc_gazetteer_free(g);
        return NULL;
    }
    *copied = rc_gazetteer_index_copied(g);
    return g;
}

/* Whether two frozen gazetteers of built-in rows have the same snapshot. */
static int same_snapshot(const rc_gazetteer *a, const rc_gazetteer *b) {
    unsigned char *sa = NULL, *sb = NULL;
    size_t la = 0, lb = 0;
    int same = rc_gazetteer_snapshot(a, &sa, &la) == RC_OK &&
               rc_gazetteer_snapshot(b, &sb, &lb) == RC_OK && la == lb &&
               memcmp(sa, sb, la) == 0;
    free(sa);
    free(sb);
    return same;
}

/* Whether two frozen gazetteers list the same aliases (rc_gazetteer_table)
** and have the same hash. */
static int same_listing(const rc_gazetteer *a, const rc_gazetteer *b) {
    rc_table *ta = NULL, *tb = NULL;
    char ha[17], hb[17];
    rc_gazetteer_hash(a, ha);
    rc_gazetteer_hash(b, hb);
    int same = rc_gazetteer_table(a, &ta) == RC_OK && rc_gazetteer_table(b, &tb) == RC_OK &&
               rc_table_rows(ta) > 0 && tables_equal(ta, tb) && !strcmp(ha, hb);
    rc_table_free(ta);
    rc_table_free(tb);
    return same;
}

/* The canonical name of the entity an alias names in g, or "". */
static const char *alias_of(const rc_gazetteer *g, const char *alias) {
    uint32_t id;
    size_t len;
    if (!rc_gazetteer_lookup(g, alias, strlen(alias), &id)) return "";
    static char name[64];
    const char *s = rc_entity_name(rc_gazetteer_entities(g), id, &len);
    snprintf(name, sizeof name, "%.*s", (int)len, s);
    return name;
}

static void test_snapshot_is_the_parse(void) {
    int copied = -1, parsed_copied = -1;
    rc_gazetteer *snap = made(1, rc_builtin_snapshot, rc_builtin_snapshot_len, NULL, &copied);
    rc_gazetteer *parsed = made(1, NULL, 0, NULL, &parsed_copied);
    TEST_COND("the build compiled a snapshot in", rc_builtin_snapshot_len > 0);
    TEST_COND("both made", snap && parsed);
    TEST_COND("the index came from the snapshot", copied == 1);
    TEST_COND("no snapshot: the index was built", parsed_copied == 0);
    TEST_COND("the same gazetteer, snapshot for snapshot", same_snapshot(snap, parsed));
    unsigned char *bytes = NULL;
    size_t len = 0;
    TEST_COND("the compiled-in snapshot is the parse's (not stale)",
              parsed && rc_gazetteer_snapshot(parsed, &bytes, &len) == RC_OK &&
                  len == rc_builtin_snapshot_len &&
                  memcmp(bytes, rc_builtin_snapshot, len) == 0);
    free(bytes);
    TEST_COND("the same listing and hash", snap && parsed && same_listing(snap, parsed));
    TEST_COND("Iranians: an alias of Iran", snap && !strcmp(alias_of(snap, "Iranians"), "Iran"));
    rc_gazetteer_free(snap);
    rc_gazetteer_free(parsed);
}

static void test_user_rows_build_the_index(void) {
    const char *user = "alias\tcanonical\ttype\tcountry\n"
                       "Zorbistan\tZorbistan\tGPE\tZZB\n"
                       "Zorbis\tZorbistan\tNORP\t\n"
                       "Iran\tIran\tLOC\tIRN\n";
    int copied = -1, parsed_copied = -1;
    rc_gazetteer *snap = made(1, rc_builtin_snapshot, rc_builtin_snapshot_len, user, &copied);
    rc_gazetteer *parsed = made(1, NULL, 0, user, &parsed_copied);
    TEST_COND("user rows: both made", snap && parsed);
    TEST_COND("user rows: the index was built", copied == 0 && parsed_copied == 0);
    TEST_COND("user rows: Zorbis names the user's entity",
              snap && !strcmp(alias_of(snap, "Zorbis"), "Zorbistan"));
    TEST_COND("user rows: Iran re-typed LOC",
              snap && rc_entities_find(rc_gazetteer_entities(snap), "Iran", 4, RC_LOC) !=
                          UINT32_MAX);
    TEST_COND("user rows: the same listing and hash as parsed",
              snap && parsed && same_listing(snap, parsed));
    unsigned char *bytes = NULL;
    size_t len = 0;
    TEST_COND("user rows: no snapshot of them",
              snap && rc_gazetteer_snapshot(snap, &bytes, &len) == RC_EINVAL && !bytes);
    rc_gazetteer_free(snap);
    rc_gazetteer_free(parsed);
}

/* A snapshot that does not match (a header byte changed) or is cut short
** at n bytes: not used, and the gazetteer is the parsed one. */
static int refused(const unsigned char *bytes, size_t n, const rc_gazetteer *parsed) {
    int copied = -1;
    rc_gazetteer *g = made(1, bytes, n, NULL, &copied);
    int ok = g && copied == 0 && same_snapshot(g, parsed);
    rc_gazetteer_free(g);
    return ok;
}

static void test_bad_snapshots_are_ignored(void) {
    int copied;
    rc_gazetteer *parsed = made(1, NULL, 0, NULL, &copied);
    size_t len = rc_builtin_snapshot_len;
    unsigned char *bytes = malloc(len ? len : 1);
    if (len) memcpy(bytes, rc_builtin_snapshot, len);
    int all = parsed && bytes && len > 64;
    for (size_t at = 0; all && at < 32; at++) { /* the header: 4 words */
        bytes[at] ^= 0x20;
        all = refused(bytes, len, parsed);
        bytes[at] ^= 0x20;
    }
    TEST_COND("a changed header: not used", all);
    all = parsed && bytes && len > 64;
    for (size_t n = 0; all && n < len; n += n < 64 ? 1 : 7919) all = refused(bytes, n, parsed);
    TEST_COND("a snapshot cut short anywhere: not used", all);
    TEST_COND("one byte short: not used", parsed && len && refused(bytes, len - 1, parsed));
    unsigned char *longer = malloc(len + 1);
    if (longer) {
        memcpy(longer, rc_builtin_snapshot, len);
        longer[len] = 0;
    }
    TEST_COND("one byte more: not used", parsed && longer && refused(longer, len + 1, parsed));
    free(longer);
    free(bytes);
    rc_gazetteer_free(parsed);
}

/* An allocator that counts the bytes asked of it (the C library's). */
static void *count_malloc(void *ctx, size_t n) {
    *(size_t *)ctx += n;
    return malloc(n);
}
static void *count_realloc(void *ctx, void *p, size_t n) {
    *(size_t *)ctx += n;
    return realloc(p, n);
}
static void count_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* The bytes a frozen gazetteer of the built-in rows from snap[0..len)
** allocated, or 0 when it could not be made; *g is it (free it). */
static size_t made_bytes(const unsigned char *snap, size_t len, size_t *asked,
                         rc_gazetteer **g) {
    static rc_allocator alc = {count_malloc, count_realloc, count_free, NULL};
    alc.ctx = asked;
    *asked = 0;
    rc_error err = {0};
    *g = NULL;
    if (rc_gazetteer_new_from(1, snap, len, &alc, g, &err) || rc_gazetteer_freeze(*g, &err))
        return 0;
    return *asked;
}

static void test_snapshot_read_in_place(void) {
    size_t len = rc_builtin_snapshot_len, asked = 0, shifted_asked = 0;
    rc_gazetteer *in_place = NULL, *copied = NULL;
    size_t bytes = made_bytes(rc_builtin_snapshot, len, &asked, &in_place);
    /* the same bytes one past a 16-byte boundary: copied, not borrowed */
    unsigned char *buf = malloc(len + 16);
    if (buf) memcpy(buf + 1, rc_builtin_snapshot, len);
    size_t shifted = buf ? made_bytes(buf + 1, len, &shifted_asked, &copied) : 0;
    int copied_index = 0;
    rc_gazetteer *parsed = made(1, NULL, 0, NULL, &copied_index);
    TEST_COND("in place: made, from the snapshot",
              bytes && in_place && rc_gazetteer_index_copied(in_place));
    TEST_COND("in place: less allocated than a quarter of the snapshot", bytes < len / 4);
    TEST_COND("not aligned: made, from the snapshot, copied",
              shifted && copied && rc_gazetteer_index_copied(copied) && shifted > len);
    TEST_COND("in place and copied: the parsed gazetteer",
              parsed && in_place && copied && same_snapshot(in_place, parsed) &&
                  same_snapshot(copied, parsed) && same_listing(in_place, copied));
    rc_gazetteer_free(in_place);
    rc_gazetteer_free(copied);
    rc_gazetteer_free(parsed);
    free(buf);
}

static void test_words_without_rows(void) {
    int copied = -1, parsed_copied = -1;
    rc_gazetteer *snap = made(0, rc_builtin_snapshot, rc_builtin_snapshot_len, NULL, &copied);
    rc_gazetteer *parsed = made(0, NULL, 0, NULL, &parsed_copied);
    const char *words[] = {"President", "of", "Council", "January", "The", "Ahmed"};
    int same = snap && parsed;
    for (size_t i = 0; same && i < sizeof words / sizeof *words; i++) {
        uint64_t h = rc_unit_hash(words[i], strlen(words[i]));
        same = rc_gazetteer_word_class(snap, h) == rc_gazetteer_word_class(parsed, h) &&
               rc_gazetteer_word_class(snap, h) != 0;
    }
    TEST_COND("no built-in rows: the snapshot's word classes", same);
    TEST_COND("no built-in rows: no index to copy", copied == 0);
    TEST_COND("no built-in rows: no entity",
              snap && rc_gazetteer_entities(snap)->n == 0);
    rc_gazetteer_free(snap);
    rc_gazetteer_free(parsed);
}

/* The units of text (tokens, hyphenated words split) appended to *u. */
static int units_of(const char *text, rc_units *u) {
    rc_tokens toks;
    rc_tokens_init(&toks, NULL);
    char *scratch = NULL;
    size_t scap = 0;
    int ok = rc_tokenize(text, strlen(text), 0, &toks) == RC_OK &&
             rc_units_build(text, toks.v, NULL, 0, toks.n, u, &scratch, &scap) == RC_OK;
    free(scratch);
    rc_tokens_free(&toks);
    return ok;
}

/* Every alias of the built-in gazetteer is found at its first unit with
** the match ending where it ends, whether the text ends there, goes on or
** starts before it (rc_gazetteer_match, and rc_gazetteer_next_match over
** the units): the filters that turn starts away before the index
** (may_start) never turn away one that begins an alias.  And a frequent
** word that begins aliases, before a word that follows it in none, is
** turned away. */
static void test_every_alias_matches(void) {
    int copied;
    rc_gazetteer *g = made(1, rc_builtin_snapshot, rc_builtin_snapshot_len, NULL, &copied);
    rc_table *t = NULL;
    int ok = g && rc_gazetteer_table(g, &t) == RC_OK;
    size_t aliases = t ? rc_table_rows(t) : 0, found = 0, longer = 0;
    rc_units u = {NULL, NULL, 0, 0, NULL};
    char text[512];
    for (size_t row = 0; ok && row < aliases; row++) {
        size_t len;
        const char *alias = rc_table_get_str(t, row, 0, &len);
        if (len + 16 > sizeof text) continue;
        snprintf(text, sizeof text, "%.*s", (int)len, alias);
        u.n = 0;
        if (!units_of(text, &u) || !u.n) continue;
        size_t n = u.n;
        rc_alias_hit alone, ahead, after;
        int a = rc_gazetteer_match(g, u.hash, 0, n, &alone) && alone.nunits == n;
        snprintf(text, sizeof text, "%.*s qqzx", (int)len, alias); /* goes on */
        u.n = 0;
        int b = units_of(text, &u) && rc_gazetteer_match(g, u.hash, 0, u.n, &ahead) &&
                ahead.nunits >= n;
        snprintf(text, sizeof text, "qqzx %.*s", (int)len, alias); /* starts after one */
        u.n = 0;
        int c = units_of(text, &u) &&
                rc_gazetteer_next_match(g, u.hash, 0, u.n, &after) == 1 && after.nunits == n;
        found += (size_t)(a && b && c);
        longer += n >= 3;
    }
    TEST_COND("every alias: found at its first unit, alone, going on and after a word",
              ok && aliases > 1000 && found == aliases && longer > 100);
    u.n = 0;
    rc_alias_hit hit;
    int the_is_first = units_of("the", &u) && rc_gazetteer_first_filter(g) &&
                       (rc_gazetteer_first_filter(g)[u.hash[0] >> 54] >> (u.hash[0] >> 48 & 63) & 1);
    u.n = 0;
    TEST_COND("a frequent first unit before a word no alias goes on with: no match",
              the_is_first && units_of("the qqzx", &u) && !rc_gazetteer_match(g, u.hash, 0, u.n, &hit));
    rc_units_free(&u);
    rc_table_free(t);
    rc_gazetteer_free(g);
}

int main(void) {
    test_snapshot_is_the_parse();
    test_every_alias_matches();
    test_user_rows_build_the_index();
    test_bad_snapshots_are_ignored();
    test_words_without_rows();
    test_snapshot_read_in_place();
    return TEST_REPORT();
}
