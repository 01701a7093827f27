/*
** rc_csvio.c -- CSV and TSV through libcsv: the only file that includes
** csv.h.  It holds
**   - the table writer (every CLI output): a field is quoted only when it
**     must be, and then libcsv's csv_fwrite quotes it;
**   - the reader of document files (one document a row);
**   - rc_csv_records, the record reader of gazetteers and word lists.
**
** Reading feeds libcsv one line at a time, so each record knows the line
** it began on.  A quoted field still open at the end of the input is an
** unterminated quote: that row alone is lost (a warning names the line it
** began on) and parsing resumes at the line after the one it began on.
**
** Documents: the whole file's rows are parsed when the reader is made
** (fields copied into one arena); rc_csv_docs_next hands them out one at a
** time.
*/
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "rc_entity.h"
#include "rc_io.h"

/* MARK: - Writing ------------------------------------------------------------ */

struct rc_csv_writer {
    const rc_allocator *alc;
    FILE *fp;
    char delim;
    int first; /* no field yet on this row */
    int failed;
};

rc_status rc_csv_writer_new(FILE *fp, char delim, const rc_allocator *alc,
                            rc_csv_writer **out) {
    rc_csv_writer *w = rc_malloc(alc, sizeof *w);
    if (!w) return RC_ENOMEM;
    w->alc = alc;
    w->fp = fp;
    w->delim = delim;
    w->first = 1;
    w->failed = 0;
    *out = w;
    return RC_OK;
}

/* Quote a field that libcsv would not read back as written: with the
** delimiter, a quote or a line break inside, space or tab at either end
** (trimmed when unquoted), or a byte-order mark first (dropped at the
** start of a file). */
static int needs_quotes(const char *s, size_t len, char delim) {
    if (len && (s[0] == ' ' || s[len - 1] == ' ' || s[0] == '\t' || s[len - 1] == '\t'))
        return 1;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) return 1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == delim || c == '"' || c == '\n' || c == '\r') return 1;
    }
    return 0;
}

static rc_status sep(rc_csv_writer *w) {
    if (!w->first && putc(w->delim, w->fp) == EOF) w->failed = 1;
    w->first = 0;
    return w->failed ? RC_EIO : RC_OK;
}

rc_status rc_csv_field(rc_csv_writer *w, const char *s, size_t len) {
    if (sep(w)) return RC_EIO;
    if (needs_quotes(s, len, w->delim)) {
        if (csv_fwrite(w->fp, s, len) == EOF) w->failed = 1;
    } else if (len && fwrite(s, 1, len, w->fp) != len) {
        w->failed = 1;
    }
    return w->failed ? RC_EIO : RC_OK;
}

rc_status rc_csv_field_int(rc_csv_writer *w, int64_t v) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    return rc_csv_field(w, buf, (size_t)n);
}

rc_status rc_csv_field_double(rc_csv_writer *w, double v) {
    char buf[40];
    int n;
    if (isnan(v)) n = snprintf(buf, sizeof buf, "nan");
    else if (isinf(v)) n = snprintf(buf, sizeof buf, v > 0 ? "inf" : "-inf");
    else n = snprintf(buf, sizeof buf, "%.9g", v);
    return rc_csv_field(w, buf, (size_t)n);
}

rc_status rc_csv_row_end(rc_csv_writer *w) {
    if (putc('\n', w->fp) == EOF) w->failed = 1;
    w->first = 1;
    return w->failed ? RC_EIO : RC_OK;
}

rc_status rc_csv_writer_finish(rc_csv_writer *w) {
    if (fflush(w->fp) != 0 || ferror(w->fp)) w->failed = 1;
    return w->failed ? RC_EIO : RC_OK;
}

void rc_csv_writer_free(rc_csv_writer *w) {
    if (w) rc_free(w->alc, w);
}

/* MARK: - Records ---------------------------------------------------------------- */

/* Fields of the record being read, the line it began on, and the first
** failure.  Fields are copied (NUL-terminated) into `buf`. */
typedef struct records {
    const rc_allocator *alc;
    rc_record_fn fn;
    void *ctx;
    char *buf;
    size_t buf_len, buf_cap;
    size_t *offs, *lens;
    size_t nfields, offs_cap, lens_cap;
    size_t line, start_line;
    rc_status rc;
} records;

static void on_field(void *data, size_t len, void *p) {
    records *r = p;
    if (r->rc) return;
    if (!data) len = 0;
    if (rc_grow(r->alc, (void **)&r->offs, &r->offs_cap, r->nfields + 1,
                sizeof *r->offs) ||
        rc_grow(r->alc, (void **)&r->lens, &r->lens_cap, r->nfields + 1,
                sizeof *r->lens) ||
        rc_grow(r->alc, (void **)&r->buf, &r->buf_cap, r->buf_len + len + 1, 1)) {
        r->rc = RC_ENOMEM;
        return;
    }
    if (len) memcpy(r->buf + r->buf_len, data, len);
    r->buf[r->buf_len + len] = '\0';
    r->offs[r->nfields] = r->buf_len;
    r->lens[r->nfields++] = len;
    r->buf_len += len + 1;
}

static rc_status call_row(records *r) {
    const char *stack[64] = {0};
    const char **f = r->nfields <= 64 ? stack
                                      : rc_malloc(r->alc, r->nfields * sizeof *f);
    if (!f) return RC_ENOMEM;
    for (size_t i = 0; i < r->nfields; i++) f[i] = r->buf + r->offs[i];
    rc_status rc = r->fn(r->ctx, r->start_line, r->nfields, f, r->lens);
    if (f != stack) rc_free(r->alc, f);
    return rc;
}

static void on_row(int c, void *p) {
    records *r = p;
    (void)c;
    if (!r->rc && r->nfields) r->rc = call_row(r);
    r->nfields = 0;
    r->buf_len = 0;
}

static void records_free(records *r) {
    rc_free(r->alc, r->buf);
    rc_free(r->alc, r->offs);
    rc_free(r->alc, r->lens);
}

/* Parse data[pos..len) from line `line`.  Returns RC_OK at the end, with
** *bad_line set (non-zero) when a quote is left open at the end; other
** statuses come from the record callback. */
static rc_status parse_from(records *r, const char *data, size_t len,
                            size_t pos, char delim, size_t *bad_line,
                            size_t *resume) {
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) return RC_ENOMEM;
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_realloc_func(&p, realloc);
    csv_set_free_func(&p, free);
    size_t row_pos = pos;
    r->nfields = 0;
    r->buf_len = 0;
    while (pos < len && !r->rc) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        if (r->nfields == 0 && p.pstate == 0) { /* ROW_NOT_BEGUN */
            row_pos = pos;
            r->start_line = r->line;
        }
        csv_parse(&p, data + pos, n, on_field, on_row, r);
        pos += n;
        r->line++;
    }
    rc_status rc = r->rc;
    /* libcsv's own state (public in csv.h): a quoted field still open at
    ** the end is an unterminated quote (2 is its FIELD_BEGUN state). */
    if (!rc && p.pstate == 2 && p.quoted) {
        /* an unterminated quote: the open row began at row_pos */
        *bad_line = r->start_line ? r->start_line : r->line;
        const char *nl = memchr(data + row_pos, '\n', len - row_pos);
        *resume = nl ? (size_t)(nl - data) + 1 : len;
    } else if (!rc) {
        csv_fini(&p, on_field, on_row, r);
        rc = r->rc;
    }
    csv_free(&p);
    return rc;
}

/* Parse all of data, skipping rows with an unterminated quote (warned),
** or, when strict, failing at the first of them with RC_EPARSE. */
static rc_status parse_all(records *r, const char *data, size_t len, char delim,
                           const char *name, rc_warn_fn warn, void *warn_ctx,
                           int strict, rc_error *err) {
    size_t pos = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) pos = 3;
    r->line = 1;
    for (;;) {
        size_t bad = 0, resume = len;
        size_t start_line = r->line;
        rc_status rc = parse_from(r, data, len, pos, delim, &bad, &resume);
        if (rc || !bad) return rc;
        if (strict)
            return rc_error_set(err, RC_EPARSE, bad,
                                "%s:%zu: unterminated quoted field", name, bad);
        char msg[512];
        snprintf(msg, sizeof msg,
                 "%s:%zu: unterminated quoted field (row skipped)", name, bad);
        if (warn) warn(warn_ctx, RC_WARN_CSV_ROW, msg);
        /* count the lines up to the resume point */
        r->line = start_line;
        for (size_t i = pos; i < resume; i++) r->line += data[i] == '\n';
        pos = resume;
        r->rc = RC_OK;
        if (pos >= len) return RC_OK;
    }
}

rc_status rc_csv_records(const char *data, size_t len, char delim,
                         const char *name, rc_record_fn fn, void *ctx, const rc_allocator *alc,
                         rc_error *err) {
    records r;
    memset(&r, 0, sizeof r);
    r.alc = alc;
    r.fn = fn;
    r.ctx = ctx;
    rc_status rc = parse_all(&r, data, len, delim, name, NULL, NULL, 1, err);
    records_free(&r);
    return rc;
}

/* MARK: - Documents --------------------------------------------------------------- */

typedef struct row {
    size_t first; /* index of its first field in fields */
    size_t n;
    size_t line;
} row;

struct rc_csv_docs {
    const rc_allocator *alc;
    const char *path;
    char *arena; /* every field, NUL-terminated */
    size_t arena_len, arena_cap;
    size_t *field_off;
    size_t nfields, fields_cap;
    row *rows;
    size_t nrows, rows_cap, next;
    size_t ncols;
    size_t text_col, id_col, title_col, date_col; /* SIZE_MAX: absent */
    int have_header;
    rc_meta *meta;
    char id_buf[1024];
    const rc_source_opts *opts;
};

static rc_status keep_row(void *ctx, size_t line, size_t nf,
                          const char *const *f, const size_t *lens) {
    rc_csv_docs *d = ctx;
    if (rc_grow(d->alc, (void **)&d->rows, &d->rows_cap, d->nrows + 1, sizeof *d->rows) ||
        rc_grow(d->alc, (void **)&d->field_off, &d->fields_cap, d->nfields + nf,
                sizeof *d->field_off))
        return RC_ENOMEM;
    d->rows[d->nrows].first = d->nfields;
    d->rows[d->nrows].n = nf;
    d->rows[d->nrows].line = line;
    d->nrows++;
    for (size_t i = 0; i < nf; i++) {
        if (rc_grow(d->alc, (void **)&d->arena, &d->arena_cap,
                    d->arena_len + lens[i] + 1, 1))
            return RC_ENOMEM;
        memcpy(d->arena + d->arena_len, f[i], lens[i] + 1);
        d->field_off[d->nfields++] = d->arena_len;
        d->arena_len += lens[i] + 1;
    }
    return RC_OK;
}

static const char *field(const rc_csv_docs *d, const row *r, size_t col) {
    return col < r->n ? d->arena + d->field_off[r->first + col] : "";
}

static size_t find_col(const rc_csv_docs *d, const char *name) {
    const row *h = &d->rows[0];
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(field(d, h, i), name)) return i;
    return SIZE_MAX;
}

rc_status rc_csv_docs_new(const char *data, size_t len, const char *path,
                          const rc_source_opts *opts, const rc_allocator *alc,
                          rc_csv_docs **out, rc_error *err) {
    *out = NULL;
    rc_csv_docs *d = rc_malloc(alc, sizeof *d);
    if (!d) return RC_ENOMEM;
    memset(d, 0, sizeof *d);
    d->alc = alc;
    d->path = path;
    d->opts = opts;
    size_t pl = strlen(path);
    char delim = pl >= 4 && !strcasecmp(path + pl - 4, ".tsv") ? '\t' : ',';
    records r;
    memset(&r, 0, sizeof r);
    r.alc = alc;
    r.fn = keep_row;
    r.ctx = d;
    rc_status rc = parse_all(&r, data, len, delim, path, opts ? opts->warn : NULL,
                             opts ? opts->warn_ctx : NULL, opts && opts->strict, err);
    records_free(&r);
    if (rc) {
        rc_csv_docs_free(d);
        if (rc == RC_EPARSE) return rc; /* err names the line */
        return rc_error_set(err, rc, 0, "%s: %s", path, rc_strerror(rc));
    }
    const char *text = opts && opts->text_col ? opts->text_col : "text";
    if (d->nrows == 0 || (d->text_col = find_col(d, text)) == SIZE_MAX) {
        rc_csv_docs_free(d);
        return rc_error_set(err, RC_ENOENT, 0,
                            "%s: no column '%s' (name the text column with "
                            "--text-col)",
                            path, text);
    }
    d->id_col = find_col(d, opts && opts->id_col ? opts->id_col : "id");
    d->title_col = find_col(d, opts && opts->title_col ? opts->title_col : "title");
    d->date_col = find_col(d, opts && opts->date_col ? opts->date_col : "date");
    d->ncols = d->rows[0].n;
    d->meta = rc_malloc(alc, (d->ncols + 1) * sizeof *d->meta);
    if (!d->meta) {
        rc_csv_docs_free(d);
        return RC_ENOMEM;
    }
    d->next = 1;
    *out = d;
    return RC_OK;
}

rc_status rc_csv_docs_next(rc_csv_docs *d, rc_doc *doc, rc_error *err) {
    (void)err;
    if (d->next >= d->nrows) return RC_ENOENT;
    size_t idx = d->next++;
    const row *r = &d->rows[idx];
    const row *h = &d->rows[0];
    memset(doc, 0, sizeof *doc);
    doc->path = d->path;
    doc->text = d->arena + (d->text_col < r->n ? d->field_off[r->first + d->text_col]
                                               : 0);
    if (d->text_col >= r->n) doc->text = (char *)"";
    doc->len = strlen(doc->text);
    if (d->id_col != SIZE_MAX && *field(d, r, d->id_col)) {
        doc->id = field(d, r, d->id_col);
    } else {
        snprintf(d->id_buf, sizeof d->id_buf, "%s:%zu", d->path, idx);
        doc->id = d->id_buf;
    }
    doc->title = d->title_col != SIZE_MAX ? field(d, r, d->title_col) : NULL;
    doc->date = d->date_col != SIZE_MAX ? field(d, r, d->date_col) : NULL;
    size_t m = 0;
    for (size_t c = 0; c < d->ncols; c++) {
        if (c == d->text_col || c == d->id_col || c == d->title_col || c == d->date_col)
            continue;
        d->meta[m].key = field(d, h, c);
        d->meta[m].value = field(d, r, c);
        m++;
    }
    doc->meta = d->meta;
    doc->n_meta = m;
    doc->is_article = 0;
    return RC_OK;
}

void rc_csv_docs_free(rc_csv_docs *d) {
    if (!d) return;
    rc_free(d->alc, d->arena);
    rc_free(d->alc, d->field_off);
    rc_free(d->alc, d->rows);
    rc_free(d->alc, d->meta);
    rc_free(d->alc, d);
}
