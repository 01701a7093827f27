/*
** fuzz_csv.c -- libFuzzer target for the CSV side (rc_csvio.c, through
** libcsv): the document reader over any bytes, and the writer read back.
**
** Reader invariants: the header either names a text column or the reader
** fails with a message; every document's text is NUL-terminated at its
** length, its id is a non-empty string, a metadata pair per other column;
** unterminated quotes cost a row (a warning), never a crash.
** Round trip: the input cut into fields (at 0x1F) and rows (at 0x1E) is
** written by the CSV writer and read back by rc_csv_records equal, field
** for field (a row of one empty field is a blank line and reads as none).
*/
#include "fuzz.h"
#include "rc_entity.h"
#include "rc_io.h"

static void count_warning(void *ctx, rc_warning kind, const char *msg) {
    CHECK(kind == RC_WARN_CSV_ROW && msg[0]);
    ++*(size_t *)ctx;
}

static void read_documents(const char *t, size_t n, const char *name) {
    size_t warnings = 0;
    rc_source_opts opts = {0};
    opts.warn = count_warning;
    opts.warn_ctx = &warnings;
    rc_csv_docs *docs = NULL;
    rc_error err = {0};
    if (n == 0) return; /* fmemopen wants a buffer; rc_source skips empty files */
    FILE *fp = fmemopen((void *)t, n, "rb");
    CHECK(fp != NULL);
    rc_status rc = rc_csv_docs_new(fp, name, &opts, 0, NULL, &docs, &err);
    if (rc != RC_OK) {
        CHECK(docs == NULL && err.code == rc && err.msg[0]);
        return;
    }
    rc_doc d;
    while ((rc = rc_csv_docs_next(docs, &d, &err)) == RC_OK) {
        CHECK(d.text != NULL && strlen(d.text) == d.len);
        CHECK(d.id != NULL && d.id[0]);
        for (size_t i = 0; i < d.n_meta; i++) CHECK(d.meta[i].key && d.meta[i].value);
    }
    CHECK(rc == RC_ENOENT);
    rc_csv_docs_free(docs);
}

/* The expected rows: fields cut at 0x1F, rows at 0x1E. */
typedef struct expect {
    const char *t;
    size_t n, pos;
    size_t rows;
} expect;

/* The next non-blank expected row as fields; returns 0 at the end. */
static size_t next_row(expect *e, const char **f, size_t *lens, size_t cap) {
    while (e->pos <= e->n) {
        size_t nf = 0, b = e->pos, i = b;
        for (; i < e->n && e->t[i] != 0x1E; i++)
            if (e->t[i] == 0x1F && nf + 1 < cap) {
                f[nf] = e->t + b;
                lens[nf++] = i - b;
                b = i + 1;
            }
        f[nf] = e->t + b;
        lens[nf++] = i - b;
        e->pos = i + 1;
        if (!(nf == 1 && lens[0] == 0)) return nf;
    }
    return 0;
}

static rc_status compare_record(void *ctx, size_t line, size_t nf,
                                const char *const *fields, const size_t *lens) {
    (void)line;
    expect *e = ctx;
    const char *f[64];
    size_t l[64];
    size_t want = next_row(e, f, l, 64);
    CHECK(want == nf);
    for (size_t i = 0; i < nf; i++)
        CHECK(lens[i] == l[i] && !memcmp(fields[i], f[i], l[i]));
    e->rows++;
    return RC_OK;
}

static void round_trip(const char *t, size_t n, char delim) {
    char *out = NULL;
    size_t out_len = 0;
    FILE *fp = open_memstream(&out, &out_len);
    CHECK(fp != NULL);
    rc_csv_writer *w;
    CHECK(rc_csv_writer_new(fp, delim, NULL, &w) == RC_OK);
    expect e = {t, n, 0, 0};
    const char *f[64];
    size_t l[64], rows = 0, nf;
    while ((nf = next_row(&e, f, l, 64))) {
        for (size_t i = 0; i < nf; i++) CHECK(rc_csv_field(w, f[i], l[i]) == RC_OK);
        CHECK(rc_csv_row_end(w) == RC_OK);
        rows++;
    }
    CHECK(rc_csv_writer_finish(w) == RC_OK);
    rc_csv_writer_free(w);
    fclose(fp);
    expect check = {t, n, 0, 0};
    rc_error err = {0};
    CHECK(rc_csv_records(out, out_len, delim, "written", compare_record, &check, NULL,
                         &err) == RC_OK);
    CHECK(check.rows == rows);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char *t = fuzz_text(data, n);
    read_documents(t, n, "fuzz.csv");
    read_documents(t, n, "fuzz.tsv");
    if (!memchr(t, '\0', n)) { /* fields are NUL-terminated strings */
        round_trip(t, n, ',');
        round_trip(t, n, '\t');
    }
    free(t);
    return 0;
}
