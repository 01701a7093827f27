/*
** test_gazetteer.c -- the built-in gazetteer's snapshot (rc_gazetteer.c):
** a gazetteer made from the compiled-in snapshot is the one parsed and
** frozen from the text, snapshot for snapshot, byte for byte; user rows
** make freeze build the index (and take effect); a snapshot whose header
** does not match, or that is cut short anywhere or runs on, is not used
** and changes nothing; without the built-in rows a snapshot still gives
** the word classes.
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

int main(void) {
    test_snapshot_is_the_parse();
    test_user_rows_build_the_index();
    test_bad_snapshots_are_ignored();
    test_words_without_rows();
    return TEST_REPORT();
}
