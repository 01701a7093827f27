/*
** fuzz_gazetteer.c -- libFuzzer target for the user gazetteer loader
** (rc_gazetteer.c, rows read through rc_csvio.c) and the matcher it feeds.
**
** Invariants: a load either succeeds or fails with RC_EPARSE (or
** RC_ELIMIT) and a message naming the file, and a failed load keeps no
** row (the table is as before); the gazetteer then freezes, lists its
** table, and recognises entities in the same bytes read as an article
** with every mention inside the text and in order.
*/
#include "fuzz.h"

static size_t table_rows(const rc_gazetteer *g) {
    rc_table *t = NULL;
    CHECK(rc_gazetteer_table(g, &t) == RC_OK);
    size_t rows = rc_table_rows(t);
    rc_table_free(t);
    return rows;
}

static void recognise(const rc_gazetteer *g, char *t, size_t n) {
    rc_docres *r = NULL;
    CHECK(rc_docres_new(g, NULL, &r) == RC_OK);
    rc_doc doc = {0};
    doc.id = doc.path = "fuzz";
    doc.text = t;
    doc.len = n;
    doc.is_article = 1;
    CHECK(rc_docres_analyse(r, &doc) == RC_OK);
    rc_table *m = NULL;
    CHECK(rc_mentions_table_new(NULL, &m) == RC_OK);
    CHECK(rc_docres_mentions(r, &doc, 0, m) == RC_OK);
    int64_t last = 0;
    for (size_t i = 0; i < rc_table_rows(m); i++) {
        int64_t start = rc_table_get_int(m, i, 2), end = rc_table_get_int(m, i, 3);
        CHECK(start >= last && start < end && end <= (int64_t)n);
        last = start;
    }
    rc_table_free(m);
    rc_docres_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char *t = fuzz_text(data, n);
    rc_gazetteer *g = NULL;
    rc_error err = {0};
    CHECK(rc_gazetteer_new(0, NULL, &g, &err) == RC_OK);
    rc_status rc = rc_gazetteer_load(g, t, n, "fuzz.csv", &err);
    if (rc != RC_OK) {
        CHECK(rc == RC_EPARSE || rc == RC_ELIMIT);
        CHECK(err.code == rc && strstr(err.msg, "fuzz.csv") != NULL);
        CHECK(rc_gazetteer_freeze(g, &err) == RC_OK);
        CHECK(table_rows(g) == 0);
    } else {
        CHECK(rc_gazetteer_freeze(g, &err) == RC_OK);
        table_rows(g);
    }
    if (!memchr(t, '\0', n)) recognise(g, t, n); /* documents hold no NUL */
    rc_gazetteer_free(g);
    free(t);
    return 0;
}
