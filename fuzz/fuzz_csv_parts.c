/*
** fuzz_csv_parts.c -- libFuzzer target: a CSV file read in parts, as the
** thread pool reads it, gives what the one-thread reader gives.
**
** The one-thread reader (rc_csv_docs_next) parses every row itself.  With
** segments, the reader only finds where rows end (a scan that follows
** libcsv's states) and hands out raw segments of whole rows that a worker
** repairs and parses (rc_csv_docs_part, rc_csv_segment_docs).  Over any
** bytes, including invalid UTF-8 and unterminated quotes, both must give
** the same documents in the same order (id, text, title, date, metadata)
** and the same warnings (compared as a sorted list: a worker's come when
** its segment is parsed).  The first input byte picks the segment size,
** so that segments also end on every kind of row boundary.
*/
#include "fuzz.h"
#include "rc_entity.h"
#include "rc_io.h"

/* Everything read, serialised: one record a document or warning. */
typedef struct transcript {
    char *docs;
    size_t len, cap;
    char **warnings;
    size_t nwarn, warn_cap;
} transcript;

static void put(transcript *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1) cap *= 2;
        t->docs = realloc(t->docs, cap);
        CHECK(t->docs != NULL);
        t->cap = cap;
    }
    memcpy(t->docs + t->len, s, n);
    t->len += n;
    t->docs[t->len++] = '\x1E'; /* a separator no field of a string holds */
}

static void put_str(transcript *t, const char *s) {
    if (s) put(t, s, strlen(s));
    else put(t, "(null)", 6);
}

static rc_status put_doc(void *ctx, const rc_doc *d) {
    transcript *t = ctx;
    CHECK(d->text != NULL && strlen(d->text) == d->len);
    put_str(t, d->id);
    put(t, d->text, d->len);
    put_str(t, d->title);
    put_str(t, d->date);
    for (size_t i = 0; i < d->n_meta; i++) {
        put_str(t, d->meta[i].key);
        put_str(t, d->meta[i].value);
    }
    put(t, "\x1D", 1); /* end of document */
    return RC_OK;
}

static void keep_warning(void *ctx, rc_warning kind, const char *msg) {
    transcript *t = ctx;
    (void)kind;
    if (t->nwarn == t->warn_cap) {
        t->warn_cap = t->warn_cap ? 2 * t->warn_cap : 8;
        t->warnings = realloc(t->warnings, t->warn_cap * sizeof *t->warnings);
        CHECK(t->warnings != NULL);
    }
    t->warnings[t->nwarn] = strdup(msg);
    CHECK(t->warnings[t->nwarn] != NULL);
    t->nwarn++;
}

static int str_cmp(const void *x, const void *y) {
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void transcript_free(transcript *t) {
    for (size_t i = 0; i < t->nwarn; i++) free(t->warnings[i]);
    free(t->warnings);
    free(t->docs);
}

/* Read data[0..n) as the CSV or TSV `name`; segment 0: one thread, else
** in parts of about segment bytes.  Returns the status of the open. */
static rc_status read_all(const uint8_t *data, size_t n, const char *name, size_t segment,
                          transcript *t) {
    rc_source_opts opts = {0};
    opts.warn = keep_warning;
    opts.warn_ctx = t;
    FILE *fp = fmemopen((void *)data, n, "rb");
    CHECK(fp != NULL);
    rc_csv_docs *r = NULL;
    rc_error err = {0};
    rc_status rc = rc_csv_docs_new(fp, name, &opts, segment != 0, NULL, &r, &err);
    if (rc != RC_OK) return rc;
    rc_doc d;
    if (!segment) {
        while ((rc = rc_csv_docs_next(r, &d, &err)) == RC_OK) put_doc(t, &d);
    } else {
        rc_csv_segment seg;
        memset(&seg, 0, sizeof seg);
        int is_seg;
        while ((rc = rc_csv_docs_part(r, segment, &d, &seg, &is_seg, &err)) == RC_OK) {
            if (!is_seg) {
                put_doc(t, &d);
                continue;
            }
            CHECK(seg.layout != NULL);
            CHECK(rc_csv_segment_docs(&seg, put_doc, t) == RC_OK);
            rc_csv_segment_clear(&seg);
        }
        rc_csv_segment_free(&seg);
    }
    CHECK(rc == RC_ENOENT);
    rc_csv_docs_free(r);
    return RC_OK;
}

static void compare(const uint8_t *data, size_t n, const char *name, size_t segment) {
    transcript one, parts;
    memset(&one, 0, sizeof one);
    memset(&parts, 0, sizeof parts);
    rc_status a = read_all(data, n, name, 0, &one);
    rc_status b = read_all(data, n, name, segment, &parts);
    CHECK(a == b);
    CHECK(one.len == parts.len);
    CHECK(one.len == 0 || !memcmp(one.docs, parts.docs, one.len));
    CHECK(one.nwarn == parts.nwarn);
    if (one.nwarn) {
        qsort(one.warnings, one.nwarn, sizeof *one.warnings, str_cmp);
        qsort(parts.warnings, parts.nwarn, sizeof *parts.warnings, str_cmp);
    }
    for (size_t i = 0; i < one.nwarn; i++)
        CHECK(!strcmp(one.warnings[i], parts.warnings[i]));
    transcript_free(&one);
    transcript_free(&parts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    if (n < 2) return 0; /* fmemopen wants a buffer; rc_source skips empty files */
    size_t segment = 1 + data[0] % 64;
    compare(data + 1, n - 1, "fuzz.csv", segment);
    compare(data + 1, n - 1, "fuzz.tsv", segment);
    return 0;
}
