/*
** test_entity.c -- unit tests of the fast paths in rc_entity.c and
** rc_utf8.c: rc_norm_hash against rc_unit_hash of rc_token_norm's bytes
** (ASCII in place, a short word in one load after other bytes, non-ASCII
** and joined tokens normalised, the first letter lowered),
** rc_entities_truncate (the table after it is the table before the
** removed ids, across a rehash), rc_entities_reserve (room made at once,
** the same ids and lookups), and rc_utf8_count against a plain count at
** every length and alignment.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_entity.h"
#include "rc_terms.h"
#include "test.h"

/* rc_norm_hash of every token of text equals rc_unit_hash of its
** rc_token_norm (first byte lowered when lower_first and A-Z). */
static int norm_hashes_agree(const char *text, int lower_first) {
    rc_tokens toks;
    rc_tokens_init(&toks, NULL);
    char *scratch = NULL, buf[256];
    size_t scap = 0;
    int ok = rc_tokenize(text, strlen(text), 0, &toks) == RC_OK && toks.n > 0;
    for (size_t i = 0; ok && i < toks.n; i++) {
        size_t n = rc_token_norm(text, &toks.v[i], buf, sizeof buf);
        if (lower_first && n && buf[0] >= 'A' && buf[0] <= 'Z') buf[0] += 32;
        uint64_t h = 0;
        ok = n <= sizeof buf &&
             rc_norm_hash(text, &toks.v[i], lower_first, &scratch, &scap, NULL, &h) == RC_OK &&
             h == rc_unit_hash(buf, n);
    }
    free(scratch);
    rc_tokens_free(&toks);
    return ok;
}

static void test_norm_hash(void) {
    const char *texts[] = {
        "Iran and Pakistan signed it in Tehran.",
        "Pakistan\xE2\x80\x99s \xE2\x80\x9CIran\xE2\x80\x9D U.S.\xE2\x80\x93Israeli talks",
        "the Secretary-\nGeneral and high-\n level co\xC2\xAD" "operation",
        "Caf\xC3\xA9 M\xC3\xBCller O'Brien don\xE2\x80\x99t $3.5 #Tag @user",
    };
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        TEST_COND("norm hash as written", norm_hashes_agree(texts[k], 0));
        TEST_COND("norm hash first lowered", norm_hashes_agree(texts[k], 1));
    }
    /* the first letter is lowered in the loads that hold it: one word of
    ** every length from 1 to 40 (Q, Qu, Qua, ...) */
    char word[41];
    int ok = 1;
    for (size_t n = 1; n < sizeof word && ok; n++) {
        for (size_t i = 0; i < n; i++) word[i] = i ? (char)('a' + (i * 7) % 26) : 'Q';
        word[n] = '\0';
        ok = norm_hashes_agree(word, 1) && norm_hashes_agree(word, 0);
    }
    TEST_COND("norm hash first lowered at every length", ok);
    /* a word of every length from 1 to 16 after 8 or more bytes, some of
    ** them not ASCII: rc_norm_hash_ascii's one load ending with the word
    ** reads them and must shift them out */
    char text[64];
    ok = 1;
    for (size_t n = 1; n <= 16 && ok; n++)
        for (size_t pre = 0; pre < 3 && ok; pre++) {
            static const char *const before[] = {"Iran and ", "Caf\xC3\xA9 ", "\xE2\x80\x9C"};
            size_t at = (size_t)snprintf(text, sizeof text, "%s", before[pre]);
            for (size_t i = 0; i < n; i++) text[at + i] = i ? (char)('a' + (i * 5) % 26) : 'K';
            text[at + n] = '\0';
            ok = norm_hashes_agree(text, 0) && norm_hashes_agree(text, 1);
        }
    TEST_COND("norm hash after other bytes at every length", ok);
}

/* The word cache's key of a token (rc_term_intern): one load ending with
** a short word past the text's first 8 bytes, two loads before.  Words of
** every length from 1 to 12, and the same with one byte changed, each
** written three times (first from the start of the text, so that its key
** is read both ways): the same word gets the same term and different
** words different ones, in a cache that holds them (the second and third
** sightings) and in a fresh one. */
static void test_term_keys(void) {
    enum { NWORDS = 90 }; /* 2 + 3 + ... + 13 */
    char text[4096];
    size_t at = 0;
    uint32_t want[NWORDS][3];
    int ok = 1;
    rc_tokens toks;
    rc_tokens_init(&toks, NULL);
    for (size_t n = 1; n <= 12; n++)
        for (size_t d = 0; d <= n; d++) { /* the byte that differs (n: none) */
            for (size_t i = 0; i < n; i++) text[at++] = i == d ? '7' : (char)('a' + (n + i) % 26);
            text[at++] = ' ';
        }
    size_t words = at; /* every word once, then twice more */
    memcpy(text + at, text, words);
    memcpy(text + 2 * at, text, words);
    at *= 3;
    text[at] = '\0';
    ok = rc_tokenize(text, at, 0, &toks) == RC_OK && toks.n == 3 * NWORDS;
    for (int pass = 0; ok && pass < 2; pass++) {
        rc_term_cache tc;
        rc_entities terms;
        rc_term_cache_init(&tc, NULL);
        rc_entities_init(&terms, NULL);
        for (size_t k = 0; ok && k < toks.n; k++) {
            uint32_t id;
            ok = rc_term_intern(&tc, &terms, text, &toks.v[k], &id) == RC_OK;
            if (pass == 0) want[k % NWORDS][k / NWORDS] = id;
            else ok = ok && id == want[k % NWORDS][k / NWORDS];
        }
        for (size_t w = 0; ok && w < NWORDS; w++)
            ok = want[w][0] == w && want[w][1] == w && want[w][2] == w;
        rc_term_cache_free(&tc);
        rc_entities_free(&terms);
    }
    rc_tokens_free(&toks);
    TEST_COND("term keys: one term a word, whichever way its key is read", ok);
}

static int u64_cmp(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* rc_unit_hash reads short strings in a few overlapping loads: every
** string of up to 12 bytes over a small alphabet, each length, hashes
** differently (the loads and the length determine the bytes). */
static void test_unit_hash_distinct(void) {
    enum { ALPHA = 3, MAXLEN = 12 };
    size_t total = 0;
    for (size_t n = 0, k = 1; n <= MAXLEN; n++, k *= ALPHA) total += k;
    uint64_t *h = malloc(total * sizeof *h);
    size_t m = 0;
    for (size_t n = 0, k = 1; h && n <= MAXLEN; n++, k *= ALPHA)
        for (size_t code = 0; code < k; code++) {
            char s[MAXLEN];
            size_t c = code;
            for (size_t i = 0; i < n; i++, c /= ALPHA) s[i] = "aA-"[c % ALPHA];
            h[m++] = rc_unit_hash(s, n);
        }
    int ok = h && m == total;
    if (ok) qsort(h, m, sizeof *h, u64_cmp);
    for (size_t i = 1; ok && i < m; i++) ok = h[i - 1] != h[i];
    TEST_COND("unit hash: short strings hash apart", ok);
    free(h);
}

static void test_truncate(void) {
    rc_entities e;
    rc_entities_init(&e, NULL);
    char name[32];
    uint32_t id;
    int ok = 1;
    for (int i = 0; i < 40 && ok; i++) { /* the base: 40 names */
        snprintf(name, sizeof name, "Base %d", i);
        ok = rc_entities_intern(&e, name, strlen(name), RC_GPE, 0, &id) == RC_OK;
    }
    size_t base = e.n, base_names = e.names_len;
    for (int round = 0; round < 4 && ok; round++) {
        /* enough new names to rehash the first time (most of the table
        ** goes: its slots are rebuilt), then fewer than the base (each
        ** new one is taken out of its slot) */
        int added = round % 2 ? 10 : 200;
        for (int i = 0; i < added && ok; i++) {
            snprintf(name, sizeof name, "Doc%d name %d", round, i);
            ok = rc_entities_intern(&e, name, strlen(name), RC_PERSON, 0, &id) == RC_OK &&
                 id == base + (size_t)i;
        }
        rc_entities_truncate(&e, base);
        ok = ok && e.n == base && e.names_len == base_names;
        snprintf(name, sizeof name, "Doc%d name 7", round);
        ok = ok && rc_entities_find(&e, name, strlen(name), RC_PERSON) == UINT32_MAX;
        for (int i = 0; i < 40 && ok; i++) {
            snprintf(name, sizeof name, "Base %d", i);
            ok = rc_entities_find(&e, name, strlen(name), RC_GPE) == (uint32_t)i;
        }
    }
    TEST_COND("truncate leaves the older entities, and only them", ok);
    rc_entities_truncate(&e, e.n + 5); /* above n: nothing */
    TEST_COND("truncate above n changes nothing", e.n == base);
    rc_entities_free(&e);
}

/* rc_entities_reserve: room for n at most half full, no slot moves after
** it while n are interned, and the ids and lookups as without it. */
static void test_reserve(void) {
    rc_entities e;
    rc_entities_init(&e, NULL);
    char name[32];
    uint32_t id;
    int ok = 1;
    for (int i = 0; i < 10 && ok; i++) { /* some before: reserve rehashes them */
        snprintf(name, sizeof name, "early %d", i);
        ok = rc_entities_intern(&e, name, strlen(name), RC_MISC, 0, &id) == RC_OK;
    }
    ok = ok && rc_entities_reserve(&e, 1000) == RC_OK && e.nslots >= 2000;
    const uint64_t *slots = e.slots;
    size_t nslots = e.nslots;
    for (int i = 0; i < 990 && ok; i++) {
        snprintf(name, sizeof name, "term %d", i);
        ok = rc_entities_intern(&e, name, strlen(name), RC_MISC, 0, &id) == RC_OK &&
             id == 10 + (uint32_t)i;
    }
    TEST_COND("reserve makes room: no rehash up to n", ok && e.slots == slots &&
                                                       e.nslots == nslots);
    for (int i = 0; i < 990 && ok; i++) {
        snprintf(name, sizeof name, "term %d", i);
        ok = rc_entities_find(&e, name, strlen(name), RC_MISC) == 10 + (uint32_t)i;
    }
    snprintf(name, sizeof name, "early 3");
    ok = ok && rc_entities_find(&e, name, strlen(name), RC_MISC) == 3;
    TEST_COND("reserved table finds every entity", ok);
    TEST_COND("reserve below the size changes nothing",
              rc_entities_reserve(&e, 5) == RC_OK && e.nslots == nslots);
    rc_entities_free(&e);
}

/* rc_entities_intern_from: an entity of one table interned into another
** by its kept tag is found as interning its name would find it (a name
** there already, a new one, the same name under another type); and a
** retyped entity is found under its new type only. */
static void test_intern_from(void) {
    rc_entities a, b;
    rc_entities_init(&a, NULL);
    rc_entities_init(&b, NULL);
    char name[32];
    uint32_t id, got;
    int ok = 1;
    for (int i = 0; i < 300 && ok; i++) { /* b: every third name of a, first */
        snprintf(name, sizeof name, "Name %d", i * 3);
        ok = rc_entities_intern(&b, name, strlen(name), RC_ORG, 0, &id) == RC_OK;
    }
    for (int i = 0; i < 900 && ok; i++) {
        snprintf(name, sizeof name, "Name %d", i);
        ok = rc_entities_intern(&a, name, strlen(name), i % 7 ? RC_ORG : RC_PERSON,
                                (rc_ccode)i, &id) == RC_OK;
    }
    size_t before = b.n;
    for (uint32_t i = 0; i < 900 && ok; i++) {
        ok = rc_entities_intern_from(&b, &a, i, &got) == RC_OK;
        snprintf(name, sizeof name, "Name %u", i);
        rc_etype type = i % 7 ? RC_ORG : RC_PERSON;
        ok = ok && rc_entities_find(&b, name, strlen(name), type) == got &&
             (i % 3 || type != RC_ORG || got == i / 3);
    }
    TEST_COND("intern_from finds the names there and adds the others",
              ok && b.n == before + 900 - 300 + 300 / 7 + 1);
    snprintf(name, sizeof name, "Name 3");
    id = rc_entities_find(&b, name, strlen(name), RC_ORG);
    ok = id == 1 && rc_entities_retype(&b, id, RC_GPE) == RC_OK &&
         rc_entities_find(&b, name, strlen(name), RC_GPE) == id &&
         rc_entities_find(&b, name, strlen(name), RC_ORG) == UINT32_MAX;
    rc_entities_truncate(&b, 200);
    ok = ok && rc_entities_find(&b, name, strlen(name), RC_GPE) == id;
    TEST_COND("a retyped entity is found under its new type only", ok);
    static const rc_etype types[] = {RC_PERSON, RC_GPE, RC_ORG, RC_MISC};
    uint32_t ids[4];
    ok = 1;
    for (int i = 0; i < 900 && ok; i += 7) {
        snprintf(name, sizeof name, "Name %d", i);
        rc_entities_find_types(&a, name, strlen(name), types, 4, ids);
        for (int t = 0; t < 4 && ok; t++)
            ok = ids[t] == rc_entities_find(&a, name, strlen(name), types[t]);
        ok = ok && ids[0] == (uint32_t)i && ids[1] == UINT32_MAX;
    }
    TEST_COND("find_types finds what find finds, type by type", ok);
    rc_entities_free(&a);
    rc_entities_free(&b);
}

static void test_utf8_count(void) {
    static char buf[10000]; /* past 255 rounds of 16 bytes */
    unsigned seed = 7;
    for (size_t i = 0; i < sizeof buf; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 16;
        buf[i] = (char)(r % 3 == 0 ? 0x80 + r % 128 : r % 128);
    }
    int ok = 1;
    for (size_t off = 0; off < 8 && ok; off++)
        for (size_t n = 0; off + n <= sizeof buf && ok; n += n < 80 ? 1 : 997) {
            size_t want = 0;
            for (size_t i = off; i < off + n; i++)
                want += ((unsigned char)buf[i] & 0xC0) != 0x80;
            ok = rc_utf8_count(buf + off, n) == want;
        }
    TEST_COND("utf8 count equals a plain count", ok);
}

int main(void) {
    test_norm_hash();
    test_term_keys();
    test_unit_hash_distinct();
    test_truncate();
    test_reserve();
    test_intern_from();
    test_utf8_count();
    return TEST_REPORT();
}
