/*
** rc_csvio.c -- CSV and TSV through libcsv: the only file that includes
** csv.h.  It holds
**   - the table writer (every CLI output).  Rows gather in the writer's
**     own 64 KB buffer, handed to the FILE in one fwrite when it fills
**     and at rc_csv_writer_finish (on a terminal, at each row's end), so
**     nothing else may write to that FILE between the first field and
**     finish.  A field is quoted only when it must be, and then as
**     libcsv's csv_fwrite would (in quotes, each quote doubled;
**     test_csvio compares the bytes).  Integers are formatted by hand;
**     reals as printf's %.9g, mostly by g9_format's short way (an exact
**     product, no libm call), snprintf for the rest;
**   - the reader of document files (one document a row);
**   - rc_csv_records, the record reader of gazetteers and word lists.
**
** Reading feeds libcsv one line at a time, so each record knows the line
** it began on.  A quoted field still open at the end of the input is an
** unterminated quote: that row alone is lost (a warning names the line it
** began on) and parsing resumes at the line after the one it began on.
**
** Documents are streamed from the file in blocks (see MARK: Documents).
** For the thread pool the reader hands out segments, raw whole rows that
** a worker parses (see MARK: Segments); where a row ends is found by a
** scan that follows libcsv's states without building fields, so the ids,
** warnings and rows are those of the one-thread reader.
*/
#include <csv.h>
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc_entity.h"
#include "rc_io.h"

/* MARK: - Writing ------------------------------------------------------------ */

/* The writer gathers rows in its own buffer and hands it to the FILE in
** one fwrite when it is full and at rc_csv_writer_finish; on a terminal
** at each row's end too, so that the FILE's own buffering decides when a
** row shows, as before the writer had a buffer (the CLI's stdout holds
** 64 KB; the Python module's, on a terminal, a line).  The buffer comes
** with the first field or row end: the CLI makes its writer before the
** analysis, whose allocations a 64 KB block made then would move.  Once a
** write has failed the rest is dropped and every call returns RC_EIO. */
#define WBUF (64u << 10)
#define NUM_ROOM 48 /* a separator and a number, with room to spare */

/* Classes of the bytes that may make a field quoted: anywhere, at either
** end, first (with the two after it). */
enum { Q_INSIDE = 1, Q_EDGE = 2, Q_BOM = 4 };

typedef struct wbuf {
    unsigned char cls[256]; /* Q_INSIDE: delim, '"', CR, LF; Q_EDGE: space,
                            ** tab; Q_BOM: the byte-order mark's first */
    char bytes[WBUF];
} wbuf;

struct rc_csv_writer {
    const rc_allocator *alc;
    FILE *fp;
    wbuf *b;            /* NULL until the first field or row end */
    size_t len;         /* bytes in b->bytes */
    char delim;
    char first;         /* no field yet on this row */
    char failed;        /* a write failed */
    char rows;          /* hand each row to fp at its end */
    char plain_numbers; /* no number holds the delimiter */
};

rc_status rc_csv_writer_new(FILE *fp, char delim, const rc_allocator *alc,
                            rc_csv_writer **out) {
    rc_csv_writer *w = rc_malloc(alc, sizeof *w);
    if (!w) return RC_ENOMEM;
    w->alc = alc;
    w->fp = fp;
    w->b = NULL;
    w->len = 0;
    w->delim = delim;
    w->first = 1;
    w->failed = 0;
    w->rows = 0;
    w->plain_numbers = !strchr("0123456789+-.einfa", delim);
    *out = w;
    return RC_OK;
}

/* The buffer and the byte classes, at the first write; RC_ENOMEM. */
static rc_status wbuf_new(rc_csv_writer *w) {
    wbuf *b = w->b = rc_malloc(w->alc, sizeof *b);
    if (!b) return RC_ENOMEM;
    memset(b->cls, 0, sizeof b->cls);
    b->cls[' '] = b->cls['\t'] = Q_EDGE;
    b->cls[0xEF] = Q_BOM;
    b->cls['"'] = b->cls['\n'] = b->cls['\r'] = Q_INSIDE;
    b->cls[(unsigned char)w->delim] |= Q_INSIDE;
    int fd = fileno(w->fp);
    w->rows = fd >= 0 && isatty(fd);
    return RC_OK;
}

/* Hand the buffer to fp; RC_EIO once a write has failed. */
static rc_status wflush(rc_csv_writer *w) {
    if (w->len && !w->failed && fwrite(w->b->bytes, 1, w->len, w->fp) != w->len)
        w->failed = 1;
    w->len = 0;
    return w->failed ? RC_EIO : RC_OK;
}

/* Ready to write: the buffer exists and no write failed. */
static rc_status ready(rc_csv_writer *w) {
    if (unlikely(w->failed)) return RC_EIO;
    return unlikely(!w->b) ? wbuf_new(w) : RC_OK;
}

/* Append s[0..n), flushing as the buffer fills. */
static void put(rc_csv_writer *w, const char *s, size_t n) {
    while (n) {
        if (w->len == WBUF) wflush(w);
        size_t k = WBUF - w->len < n ? WBUF - w->len : n;
        memcpy(w->b->bytes + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
}

/* A field as libcsv's csv_fwrite writes it: in quotes, each quote doubled. */
static void put_quoted(rc_csv_writer *w, const char *s, size_t n) {
    put(w, "\"", 1);
    while (n) {
        const char *q = memchr(s, '"', n);
        size_t k = q ? (size_t)(q - s) + 1 : n;
        put(w, s, k);
        if (q) put(w, "\"", 1);
        s += k;
        n -= k;
    }
    put(w, "\"", 1);
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

static rc_status field_slow(rc_csv_writer *w, const char *s, size_t len) {
    if (!w->first) put(w, &w->delim, 1);
    w->first = 0;
    if (needs_quotes(s, len, w->delim)) put_quoted(w, s, len);
    else put(w, s, len);
    return w->failed ? RC_EIO : RC_OK;
}

/* The short way: copy the field (after its separator) while looking at
** its bytes' classes; commit it only when no byte asks for quotes. */
rc_status rc_csv_field(rc_csv_writer *w, const char *s, size_t len) {
    rc_status rc = ready(w);
    if (rc) return rc;
    if (unlikely(WBUF - w->len <= len) && wflush(w)) return RC_EIO;
    if (unlikely(WBUF - w->len <= len)) return field_slow(w, s, len);
    const unsigned char *tab = w->b->cls;
    char *d = w->b->bytes + w->len;
    if (!w->first) *d++ = w->delim;
    unsigned cls = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        d[i] = (char)c;
        cls |= tab[c];
    }
    if (len)
        cls = (cls & Q_INSIDE) | tab[(unsigned char)s[0]] | tab[(unsigned char)s[len - 1]];
    if (unlikely(cls) && needs_quotes(s, len, w->delim)) return field_slow(w, s, len);
    w->len = (size_t)(d + len - w->b->bytes);
    w->first = 0;
    return RC_OK;
}

/* A formatted number s[0..n) (n < NUM_ROOM) as a field.  rc_csv_field's
** rules never quote a number unless it holds the delimiter, so with
** plain_numbers it is copied as it is, without looking at its bytes. */
static rc_status number_field(rc_csv_writer *w, const char *s, size_t n) {
    if (unlikely(!w->plain_numbers)) return rc_csv_field(w, s, n);
    rc_status rc = ready(w);
    if (rc) return rc;
    if (unlikely(WBUF - w->len < NUM_ROOM) && wflush(w)) return RC_EIO;
    char *d = w->b->bytes + w->len;
    if (!w->first) *d++ = w->delim;
    memcpy(d, s, n);
    w->len = (size_t)(d + n - w->b->bytes);
    w->first = 0;
    return RC_OK;
}

/* v in decimal ("%lld"); returns the length written to d (room for 20). */
static size_t int_format(int64_t v, char *d) {
    char t[20];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t i = sizeof t, n = 0;
    do {
        t[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) d[n++] = '-';
    memcpy(d + n, t + i, sizeof t - i);
    return n + sizeof t - i;
}

rc_status rc_csv_field_int(rc_csv_writer *w, int64_t v) {
    char buf[24];
    return number_field(w, buf, int_format(v, buf));
}

/* Dekker's exact product: hi + the result is a * b exactly, for hi the
** rounded a * b, as fma(a, b, -hi) gives it, without glibc's software fma
** (no -mfma here).  Veltkamp's split into 26-bit halves makes every
** partial product exact, so a compiler contracting them into fma changes
** nothing; no overflow or underflow for the values g9_format passes. */
static inline void veltkamp(double x, double *h, double *l) {
    double c = 134217729.0 * x; /* 2^27 + 1 */
    *h = c - (c - x);
    *l = x - *h;
}

static inline double product_error(double a, double b, double hi) {
    double ah, al, bh, bl;
    veltkamp(a, &ah, &al);
    veltkamp(b, &bh, &bl);
    return ((ah * bh - hi) + ah * bl + al * bh) + al * bl;
}

/* m (< 10^9) as nine digits, leading zeros included, two at a time. */
static void digits9(uint32_t m, char *d) {
    static const char pairs[201] = "0001020304050607080910111213141516171819"
                                   "2021222324252627282930313233343536373839"
                                   "4041424344454647484950515253545556575859"
                                   "6061626364656667686970717273747576777879"
                                   "8081828384858687888990919293949596979899";
    uint32_t r = m % 100000000u, a = r / 10000u, b = r % 10000u;
    d[0] = (char)('0' + m / 100000000u);
    memcpy(d + 1, pairs + 2 * (a / 100u), 2);
    memcpy(d + 3, pairs + 2 * (a % 100u), 2);
    memcpy(d + 5, pairs + 2 * (b / 100u), 2);
    memcpy(d + 7, pairs + 2 * (b % 100u), 2);
}

/* %.9g without printf's arbitrary-precision path: the nine significant
** digits are m = round(|v| * 10^(8 - e)), and the product by an exact
** power of ten is exact as a sum hi + lo of two doubles (product_error
** gives the rounding error of hi), so m is the correctly rounded digit
** string unless hi + lo lies within 1e-9 of a rounding tie, where the
** sum's own rounding might decide.  Then, and for zero and magnitudes
** outside [1e-14, 1e9), the caller uses snprintf.  Returns the length
** written to buf (room for 24), or 0. */
static size_t g9_format(double v, char *buf) {
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double a = fabs(v);
    if (!(a >= 1e-14 && a < 1e9)) return 0; /* 0, NaN, inf, out of range */
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int b2 = (int)(bits >> 52) - 1022; /* frexp's exponent (a is normal) */
    int e = (int)((b2 - 1) * 0.30102999566398120); /* log10, give or take 1 */
    int k;
    double hi;
    for (int tries = 0;; tries++) {
        k = 8 - e;
        if (k < 0 || k > 22 || tries == 3) return 0;
        hi = a * p10[k];
        if (hi < 1e8) e--;
        else if (hi >= 1e9) e++;
        else break;
    }
    double lo = product_error(a, p10[k], hi);
    double fl = (double)(int64_t)hi, frac = (hi - fl) + lo; /* floor: hi >= 1e8 */
    if (frac < 0) {
        fl -= 1;
        frac += 1;
    } else if (frac >= 1) {
        fl += 1;
        frac -= 1;
    }
    if (fabs(frac - 0.5) < 1e-9) return 0; /* too near a tie to be sure */
    uint64_t m = (uint64_t)fl + (frac > 0.5);
    if (m == 1000000000u) {
        m = 100000000u;
        e++;
    }
    char d[18]; /* the nine digits, then slack for fixed-size copies */
    digits9((uint32_t)m, d);
    memset(d + 9, '0', 9);
    int nd = 9;
    size_t n = 0;
    if (signbit(v)) buf[n++] = '-';
    if (e < -4 || e >= 9) {
        while (nd > 1 && d[nd - 1] == '0') nd--;
        buf[n++] = d[0];
        if (nd > 1) {
            buf[n++] = '.';
            for (int i = 1; i < nd; i++) buf[n++] = d[i];
        }
        buf[n++] = 'e';
        buf[n++] = e < 0 ? '-' : '+';
        int ae = e < 0 ? -e : e;
        if (ae >= 100) buf[n++] = (char)('0' + ae / 100);
        buf[n++] = (char)('0' + ae / 10 % 10);
        buf[n++] = (char)('0' + ae % 10);
        return n;
    }
    /* Fixed-size copies, then the length: at most 20 bytes are touched. */
    int point = e + 1; /* digits before the point (-3..9; <= 0: none) */
    int last = nd;     /* fraction digits end: trailing zeros dropped */
    while (last > point && last > 0 && d[last - 1] == '0') last--;
    if (point <= 0) {
        memcpy(buf + n, "0.000", 5);
        n += (size_t)(2 - point);
        memcpy(buf + n, d, 9);
        return n + (size_t)last;
    }
    memcpy(buf + n, d, 9);
    n += (size_t)point;
    if (last == point) return n;
    buf[n] = '.';
    memcpy(buf + n + 1, d + point, 9);
    return n + 1 + (size_t)(last - point);
}

/* v as the writer prints it: %.9g, but "nan" for any NaN; returns the
** length written to buf (room for 40). */
static size_t real_format(double v, char *buf) {
    size_t n = g9_format(v, buf);
    if (n) return n;
    int k;
    if (isnan(v)) k = snprintf(buf, 40, "nan");
    else if (isinf(v)) k = snprintf(buf, 40, v > 0 ? "inf" : "-inf");
    else k = snprintf(buf, 40, "%.9g", v);
    return (size_t)k;
}

rc_status rc_csv_field_double(rc_csv_writer *w, double v) {
    char buf[40];
    return number_field(w, buf, real_format(v, buf));
}

rc_status rc_csv_row_end(rc_csv_writer *w) {
    w->first = 1;
    rc_status rc = ready(w);
    if (rc) return rc;
    if (unlikely(w->len == WBUF) && wflush(w)) return RC_EIO;
    w->b->bytes[w->len++] = '\n';
    return w->rows ? wflush(w) : RC_OK;
}

rc_status rc_csv_writer_finish(rc_csv_writer *w) {
    wflush(w);
    if (fflush(w->fp) != 0 || ferror(w->fp)) w->failed = 1;
    return w->failed ? RC_EIO : RC_OK;
}

void rc_csv_writer_free(rc_csv_writer *w) {
    if (!w) return;
    rc_free(w->alc, w->b);
    rc_free(w->alc, w);
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

/* Documents stream: the file is read in blocks of STREAM_BLOCK bytes,
** repaired (invalid UTF-8 -> '?', as rc_utf8_repair over the whole file
** would: a sequence cut by the block's end waits for the next block) and
** fed to libcsv a line at a time.  Complete rows queue in `q` until
** rc_csv_docs_next hands them out; the queue is emptied before the next
** block is parsed, so memory is a block plus the rows that end in it
** (and the longest row), whatever the file's size.
**
** States of the reader: before the header (header.n == 0), reading rows,
** at the end (done); for segments (rc_csv_docs_part): stopped at a row
** boundary, then segments.  An unterminated quote at the end of the file loses
** its row: the file is read again from the line after the one the row
** began on (the file is seekable: CSV input is never standard input). */
#define STREAM_BLOCK (1u << 20)

typedef struct row {
    size_t first; /* index of its first field in field_off */
    size_t n;
} row;

/* Rows of fields, NUL-terminated in one arena. */
typedef struct rowset {
    char *arena;
    size_t arena_len, arena_cap;
    size_t *field_off;
    size_t nfields, fields_cap;
    row *rows;
    size_t nrows, rows_cap;
} rowset;

struct rc_csv_docs {
    const rc_allocator *alc;
    const char *path; /* the name in messages and ids */
    FILE *fp;
    char delim;
    char *block;
    size_t block_len, held; /* bytes read; of them, held back (a cut sequence) */
    uint64_t block_off;     /* file offset of block[0] */
    int eof, done, line_start;
    int parsing; /* p is initialised (csv_free owed) */
    struct csv_parser p;
    records r;        /* the row being parsed */
    uint64_t row_pos; /* file offset where it began */
    size_t row_line;
    rowset header, q;
    size_t next;  /* next row of q to hand out */
    size_t index; /* rows read so far, the header included (ids) */
    rc_csv_layout *layout;
    rc_meta *meta;
    char id_buf[1024];
    const rc_source_opts *opts;
    rc_error *err; /* where a strict failure goes */
    /* Segments (rc_csv_docs_part): libcsv stops at the first row boundary
    ** (stop_at_cut, then stopped at block[stop_pos]); from there `pend`
    ** holds the raw bytes read and not yet handed out, from a row
    ** boundary; scan() has read them up to `scan` in state `sstate`,
    ** finding `rows` rows, the last boundary at `cut` (after cut_rows).
** pend has room for a NUL after its bytes. */
    int stop_at_cut, stopped, segments;
    size_t stop_pos;
    char *pend;
    size_t pend_len, pend_cap, pend_line;
    uint64_t pend_off, size; /* file offset of pend[0]; the file's size */
    size_t scan, cut, rows, cut_rows;
    int sstate;
};

/* The columns of a file: a reference count (the reader and each segment
** hold one), then the names of the header's columns. */
struct rc_csv_layout {
    atomic_size_t refs;
    const rc_allocator *alc;
    const char *path;
    char delim;
    size_t ncols;
    size_t text_col, id_col, title_col, date_col; /* SIZE_MAX: absent */
    const char **keys; /* ncols names, in this allocation */
};

static void layout_release(rc_csv_layout *l) {
    if (l && atomic_fetch_sub(&l->refs, 1) == 1) rc_free(l->alc, l);
}

static rc_csv_layout *layout_retain(rc_csv_layout *l) {
    atomic_fetch_add(&l->refs, 1);
    return l;
}

static void rowset_clear(rowset *s) {
    s->arena_len = s->nfields = s->nrows = 0;
}

static void rowset_free(const rc_allocator *alc, rowset *s) {
    rc_free(alc, s->arena);
    rc_free(alc, s->field_off);
    rc_free(alc, s->rows);
}

static rc_status rowset_add(const rc_allocator *alc, rowset *s, size_t nf,
                            const char *const *f, const size_t *lens) {
    if (rc_grow(alc, (void **)&s->rows, &s->rows_cap, s->nrows + 1, sizeof *s->rows) ||
        rc_grow(alc, (void **)&s->field_off, &s->fields_cap, s->nfields + nf,
                sizeof *s->field_off))
        return RC_ENOMEM;
    s->rows[s->nrows].first = s->nfields;
    s->rows[s->nrows].n = nf;
    s->nrows++;
    for (size_t i = 0; i < nf; i++) {
        if (rc_grow(alc, (void **)&s->arena, &s->arena_cap, s->arena_len + lens[i] + 1, 1))
            return RC_ENOMEM;
        memcpy(s->arena + s->arena_len, f[i], lens[i] + 1);
        s->field_off[s->nfields++] = s->arena_len;
        s->arena_len += lens[i] + 1;
    }
    return RC_OK;
}

static const char *field(const rowset *s, const row *r, size_t col) {
    return col < r->n ? s->arena + s->field_off[r->first + col] : "";
}

static rc_status keep_row(void *ctx, size_t line, size_t nf, const char *const *f,
                          const size_t *lens) {
    rc_csv_docs *d = ctx;
    (void)line;
    return rowset_add(d->alc, d->header.nrows ? &d->q : &d->header, nf, f, lens);
}

/* Start (or restart) libcsv. */
static rc_status parser_start(rc_csv_docs *d) {
    if (csv_init(&d->p, CSV_APPEND_NULL) != 0) return RC_ENOMEM;
    d->parsing = 1;
    csv_set_delim(&d->p, (unsigned char)d->delim);
    csv_set_realloc_func(&d->p, realloc);
    csv_set_free_func(&d->p, free);
    d->r.nfields = 0;
    d->r.buf_len = 0;
    d->line_start = 1;
    return RC_OK;
}

/* Read the next block: the held-back bytes first, then the file's. */
static rc_status read_block(rc_csv_docs *d) {
    size_t keep = d->held;
    memmove(d->block, d->block + d->block_len - keep, keep);
    d->block_off += d->block_len - keep;
    size_t got = fread(d->block + keep, 1, STREAM_BLOCK - keep, d->fp);
    if (got < STREAM_BLOCK - keep) {
        if (ferror(d->fp)) return RC_EIO;
        d->eof = 1;
    }
    d->block_len = keep + got;
    d->held = d->eof ? 0 : rc_utf8_cut_tail(d->block, d->block_len);
    rc_utf8_repair(d->block, d->block_len - d->held, NULL);
    return RC_OK;
}

/* Feed the block's bytes from pos (a line at a time) to libcsv. */
static void feed_block(rc_csv_docs *d, size_t pos) {
    size_t len = d->block_len - d->held;
    while (pos < len && !d->r.rc) {
        const char *nl = memchr(d->block + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (d->block + pos)) + 1 : len - pos;
        if (d->line_start && d->r.nfields == 0 && d->p.pstate == 0) { /* ROW_NOT_BEGUN */
            if (d->stop_at_cut && d->header.nrows) {
                d->stopped = 1;
                d->stop_pos = pos;
                return;
            }
            d->row_pos = d->block_off + pos;
            d->row_line = d->r.line;
            d->r.start_line = d->r.line;
        }
        csv_parse(&d->p, d->block + pos, n, on_field, on_row, &d->r);
        pos += n;
        d->line_start = nl != NULL;
        d->r.line += nl != NULL;
    }
}

/* A row lost to an unterminated quote, begun on line `bad`: a warning, or
** with opts.strict a failure. */
static rc_status unterminated(rc_csv_docs *d, size_t bad) {
    if (d->opts && d->opts->strict)
        return rc_error_set(d->err, RC_EPARSE, bad, "%s:%zu: unterminated quoted field",
                            d->path, bad);
    if (d->opts && d->opts->warn) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s:%zu: unterminated quoted field (row skipped)",
                 d->path, bad);
        d->opts->warn(d->opts->warn_ctx, RC_WARN_CSV_ROW, msg);
    }
    return RC_OK;
}

/* The end of the file: flush the last row, or lose an unterminated one
** and go on from the line after the one it began on. */
static rc_status end_of_file(rc_csv_docs *d) {
    /* libcsv's own state (public in csv.h): a quoted field still open at
    ** the end is an unterminated quote (2 is its FIELD_BEGUN state). */
    if (!(d->p.pstate == 2 && d->p.quoted)) {
        csv_fini(&d->p, on_field, on_row, &d->r);
        csv_free(&d->p);
        d->parsing = 0;
        d->done = 1;
        return d->r.rc;
    }
    csv_free(&d->p);
    d->parsing = 0;
    size_t bad = d->row_line;
    rc_status rc = unterminated(d, bad);
    if (rc) return rc;
    /* resume after the row's first line */
    if (fseeko(d->fp, (off_t)d->row_pos, SEEK_SET) != 0) return RC_EIO;
    d->block_off = d->row_pos;
    d->block_len = d->held = 0;
    d->eof = 0;
    if ((rc = read_block(d))) return rc;
    const char *nl = memchr(d->block, '\n', d->block_len - d->held);
    while (!nl && !d->eof) { /* the line goes on past this block */
        d->held = 0;
        if ((rc = read_block(d))) return rc;
        nl = memchr(d->block, '\n', d->block_len - d->held);
    }
    if (!nl) {
        d->done = 1;
        return RC_OK;
    }
    d->r.line = bad + 1;
    if ((rc = parser_start(d))) return rc;
    feed_block(d, (size_t)(nl - d->block) + 1);
    return d->r.rc;
}

/* Read a block and parse it (a byte-order mark at the start dropped). */
static rc_status parse_block(rc_csv_docs *d) {
    rc_status rc = read_block(d);
    if (rc) return rc;
    size_t pos = 0;
    if (d->block_off == 0 && d->block_len >= 3 && !memcmp(d->block, "\xEF\xBB\xBF", 3))
        pos = 3;
    feed_block(d, pos);
    return d->r.rc;
}

/* Parse until a row is queued or the file ends. */
static rc_status fill(rc_csv_docs *d) {
    rowset_clear(&d->q);
    d->next = 0;
    rc_status rc = RC_OK;
    while (rc == RC_OK && !d->done && !d->stopped && d->q.nrows == 0)
        rc = d->eof ? end_of_file(d) : parse_block(d);
    return rc;
}

static size_t find_col(const rc_csv_docs *d, const char *name) {
    const row *h = &d->header.rows[0];
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(field(&d->header, h, i), name)) return i;
    return SIZE_MAX;
}

/* A strict run refuses a file with an unterminated quote before its
** first row: parse it all once, keeping nothing. */
static rc_status ignore_row(void *ctx, size_t line, size_t nf, const char *const *f,
                            const size_t *lens) {
    (void)ctx, (void)line, (void)nf, (void)f, (void)lens;
    return RC_OK;
}

static rc_status check_quotes(rc_csv_docs *d) {
    d->r.fn = ignore_row;
    rc_status rc = parser_start(d);
    while (rc == RC_OK && !d->done) rc = d->eof ? end_of_file(d) : parse_block(d);
    if (rc == RC_OK && fseeko(d->fp, 0, SEEK_SET) != 0) rc = RC_EIO;
    d->r.fn = keep_row;
    d->r.line = 1;
    d->block_off = d->block_len = d->held = 0;
    d->eof = d->done = 0;
    return rc;
}

static rc_status docs_open(rc_csv_docs *d) {
    d->block = rc_malloc(d->alc, STREAM_BLOCK);
    if (!d->block) return RC_ENOMEM;
    d->r.alc = d->alc;
    d->r.fn = keep_row;
    d->r.ctx = d;
    d->r.line = 1;
    rc_status rc = RC_OK;
    if (d->opts && d->opts->strict) rc = check_quotes(d);
    /* stop after the header either way: a file without its text column is
    ** refused before a row of it is parsed (and warned about) */
    d->stop_at_cut = 1;
    if (rc == RC_OK) rc = parser_start(d);
    while (rc == RC_OK && !d->done && !d->header.nrows) rc = fill(d);
    return rc;
}

/* One thread: go on parsing the block from where the header stopped. */
static rc_status docs_resume(rc_csv_docs *d) {
    d->stop_at_cut = 0;
    if (!d->stopped) return RC_OK;
    d->stopped = 0;
    feed_block(d, d->stop_pos);
    return d->r.rc;
}

/* The layout of d's file from its header row; text_col found already. */
static rc_status layout_new(rc_csv_docs *d, size_t text_col) {
    const rc_source_opts *o = d->opts;
    const row *h = &d->header.rows[0];
    size_t names = 0;
    for (size_t i = 0; i < h->n; i++) names += strlen(field(&d->header, h, i)) + 1;
    rc_csv_layout *l = rc_malloc(d->alc, sizeof *l + h->n * sizeof *l->keys + names);
    if (!l) return RC_ENOMEM;
    atomic_init(&l->refs, 1);
    l->alc = d->alc;
    l->path = d->path;
    l->delim = d->delim;
    l->ncols = h->n;
    l->text_col = text_col;
    l->id_col = find_col(d, o && o->id_col ? o->id_col : "id");
    l->title_col = find_col(d, o && o->title_col ? o->title_col : "title");
    l->date_col = find_col(d, o && o->date_col ? o->date_col : "date");
    l->keys = (const char **)(l + 1);
    char *p = (char *)(l->keys + h->n);
    for (size_t i = 0; i < h->n; i++) {
        size_t n = strlen(field(&d->header, h, i)) + 1;
        memcpy(p, field(&d->header, h, i), n);
        l->keys[i] = p;
        p += n;
    }
    d->layout = l;
    return RC_OK;
}

rc_status rc_csv_docs_new(FILE *fp, const char *path, const rc_source_opts *opts,
                          int segments, const rc_allocator *alc, rc_csv_docs **out,
                          rc_error *err) {
    *out = NULL;
    rc_csv_docs *d = rc_malloc(alc, sizeof *d);
    if (!d) {
        fclose(fp);
        return RC_ENOMEM;
    }
    memset(d, 0, sizeof *d);
    d->fp = fp;
    d->alc = alc;
    d->path = path;
    d->opts = opts;
    d->err = err;
    size_t pl = strlen(path);
    d->delim = pl >= 4 && !strcasecmp(path + pl - 4, ".tsv") ? '\t' : ',';
    rc_status rc = docs_open(d);
    if (rc) {
        rc_csv_docs_free(d);
        if (rc == RC_EPARSE) return rc; /* err names the line */
        return rc_error_set(err, rc, 0, "%s: %s", path, rc_strerror(rc));
    }
    const char *text = opts && opts->text_col ? opts->text_col : "text";
    size_t text_col;
    if (d->header.nrows == 0 || (text_col = find_col(d, text)) == SIZE_MAX) {
        rc_csv_docs_free(d);
        return rc_error_set(err, RC_ENOENT, 0,
                            "%s: no column '%s' (name the text column with "
                            "--text-col)",
                            path, text);
    }
    if (layout_new(d, text_col) ||
        !(d->meta = rc_malloc(alc, (d->layout->ncols + 1) * sizeof *d->meta))) {
        rc_csv_docs_free(d);
        return RC_ENOMEM;
    }
    if (!segments && (rc = docs_resume(d))) {
        rc_csv_docs_free(d);
        if (rc == RC_EPARSE) return rc;
        return rc_error_set(err, rc, 0, "%s: %s", path, rc_strerror(rc));
    }
    d->index = 1;
    *out = d;
    return RC_OK;
}

/* Row fields as offsets from base: field col, or "" past the row's end. */
static const char *row_field(const char *base, const size_t *off, size_t n, size_t col) {
    return col < n ? base + off[col] : "";
}

/* The document of row idx, fields base + off[0..n): borrows from them, l,
** id_buf (1024 bytes) and meta (l->ncols entries). */
static void row_doc(const rc_csv_layout *l, const char *base, const size_t *off, size_t n,
                    size_t idx, char *id_buf, rc_meta *meta, rc_doc *doc) {
    memset(doc, 0, sizeof *doc);
    doc->path = l->path;
    doc->text = (char *)row_field(base, off, n, l->text_col);
    doc->len = strlen(doc->text);
    if (l->id_col != SIZE_MAX && *row_field(base, off, n, l->id_col)) {
        doc->id = row_field(base, off, n, l->id_col);
    } else {
        snprintf(id_buf, 1024, "%s:%zu", l->path, idx);
        doc->id = id_buf;
    }
    doc->title = l->title_col != SIZE_MAX ? row_field(base, off, n, l->title_col) : NULL;
    doc->date = l->date_col != SIZE_MAX ? row_field(base, off, n, l->date_col) : NULL;
    size_t m = 0;
    for (size_t c = 0; c < l->ncols; c++) {
        if (c == l->text_col || c == l->id_col || c == l->title_col || c == l->date_col)
            continue;
        meta[m].key = l->keys[c];
        meta[m].value = row_field(base, off, n, c);
        m++;
    }
    doc->meta = meta;
    doc->n_meta = m;
    doc->is_article = 0;
}

rc_status rc_csv_docs_next(rc_csv_docs *d, rc_doc *doc, rc_error *err) {
    if (d->next >= d->q.nrows) {
        if (d->stopped) return RC_ENOENT; /* segments from here */
        d->err = err;
        rc_status rc = fill(d);
        if (rc == RC_EPARSE) return rc;
        if (rc) return rc_error_set(err, rc, 0, "%s: %s", d->path, rc_strerror(rc));
        if (d->q.nrows == 0) return RC_ENOENT;
    }
    const rowset *s = &d->q;
    const row *r = &s->rows[d->next++];
    row_doc(d->layout, s->arena, s->field_off + r->first, r->n, d->index++, d->id_buf,
            d->meta, doc);
    return RC_OK;
}

/* MARK: - Segments ---------------------------------------------------------------- */

/* Where rows end, without parsing them: libcsv's states as it reads
** (csv_parse in libcsv.c, options CSV_APPEND_NULL, not strict), told
** apart only as far as they decide where a row ends.  S_ROW: no field of
** a row yet (ROW_NOT_BEGUN); S_FIELD: between fields (FIELD_NOT_BEGUN);
** S_PLAIN, S_QUOTED: in an unquoted or quoted field (FIELD_BEGUN);
** S_QEND, S_QEND_SP: a quote in a quoted field, then spaces or tabs
** (FIELD_MIGHT_HAVE_ENDED, spaces 0 or not).  CR or LF ends a row outside
** S_QUOTED; a row boundary is the byte after an LF that leaves S_ROW. */
enum { S_ROW, S_FIELD, S_PLAIN, S_QUOTED, S_QEND, S_QEND_SP };

static int is_blank(char c, char delim) { return (c == ' ' || c == '\t') && c != delim; }

/* The state after c in state st (not S_QUOTED); *row_end when c ends a row. */
static int scan_step(int st, char c, char delim, int *row_end) {
    int term = c == '\r' || c == '\n';
    *row_end = 0;
    switch (st) {
    case S_ROW:
    case S_FIELD:
        if (is_blank(c, delim)) return st;
        if (term) {
            *row_end = st == S_FIELD;
            return S_ROW;
        }
        if (c == delim) return S_FIELD;
        return c == '"' ? S_QUOTED : S_PLAIN;
    case S_PLAIN:
        if (c == delim) return S_FIELD;
        if (term) {
            *row_end = 1;
            return S_ROW;
        }
        return S_PLAIN;
    default: /* S_QEND, S_QEND_SP */
        if (c == delim) return S_FIELD;
        if (term) {
            *row_end = 1;
            return S_ROW;
        }
        if (c == ' ' || c == '\t') return S_QEND_SP;
        if (c == '"') return st == S_QEND_SP ? S_QEND : S_QUOTED;
        return S_QUOTED;
    }
}

/* Scan pend from d->scan to its end, or to the first row boundary at or
** past max. */
static void scan(rc_csv_docs *d, size_t max) {
    const char *p = d->pend;
    size_t i = d->scan, n = d->pend_len, rows = d->rows;
    int st = d->sstate, row_end;
    while (i < n) {
        if (st == S_QUOTED) {
            const char *q = memchr(p + i, '"', n - i);
            i = q ? (size_t)(q - p) + 1 : n;
            st = q ? S_QEND : S_QUOTED;
            continue;
        }
        char c = p[i++];
        st = scan_step(st, c, d->delim, &row_end);
        rows += (size_t)row_end;
        if (c == '\n' && st == S_ROW) {
            d->cut = i;
            d->cut_rows = rows;
            if (i >= max) break;
        }
    }
    d->scan = i;
    d->rows = rows;
    d->sstate = st;
}

/* The LF bytes of p[0..n).  SSE2: each compare's -1s are subtracted
** into byte counters (at most 255 rounds), which psadbw sums. */
static size_t count_lines(const char *p, size_t n) {
    size_t lines = 0, i = 0;
#ifdef __SSE2__
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (n - i >= 16) {
        __m128i acc = zero;
        for (int k = 0; k < 255 && n - i >= 16; k++, i += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), lf));
        __m128i sums = _mm_sad_epu8(acc, zero);
        lines += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i < n; i++) lines += p[i] == '\n';
    return lines;
}

/* Hand pend[0..len) to seg as `rows` rows; keep pend[keep..) to scan
** again from a row boundary.  seg takes pend's buffer (no copy of the
** rows) and pend takes seg's, for the bytes kept. */
static rc_status emit(rc_csv_docs *d, size_t len, size_t keep, size_t rows, int drop,
                      rc_csv_segment *seg) {
    size_t rest = d->pend_len - keep;
    d->pend_line += count_lines(d->pend, keep);
    d->pend_off += keep;
    if (rows) {
        if (rc_grow(NULL, (void **)&seg->bytes, &seg->cap, rest + STREAM_BLOCK, 1))
            return RC_ENOMEM;
        char *b = seg->bytes;
        size_t cap = seg->cap;
        memcpy(b, d->pend + keep, rest);
        seg->bytes = d->pend;
        seg->cap = d->pend_cap;
        d->pend = b;
        d->pend_cap = cap;
        seg->bytes[len] = '\0'; /* the kept bytes are copied already */
        seg->len = len;
        seg->first_index = d->index;
        seg->drop_open = drop;
        seg->more = 0;
        seg->layout = layout_retain(d->layout);
        d->index += rows;
    } else {
        memmove(d->pend, d->pend + keep, rest);
    }
    d->pend_len = rest;
    d->scan = d->cut = d->rows = d->cut_rows = 0;
    d->sstate = S_ROW;
    return RC_OK;
}

/* Read the next block of raw bytes onto pend. */
static rc_status read_pend(rc_csv_docs *d) {
    if (rc_grow(NULL, (void **)&d->pend, &d->pend_cap, d->pend_len + STREAM_BLOCK + 1, 1))
        return RC_ENOMEM;
    size_t got = fread(d->pend + d->pend_len, 1, STREAM_BLOCK, d->fp);
    if (got < STREAM_BLOCK) {
        if (ferror(d->fp)) return RC_EIO;
        d->eof = 1;
    }
    d->pend_len += got;
    return RC_OK;
}

/* Start segments where libcsv stopped: the rest of its block. */
static rc_status start_segments(rc_csv_docs *d) {
    size_t n = d->block_len - d->stop_pos;
    if (rc_grow(NULL, (void **)&d->pend, &d->pend_cap, n + STREAM_BLOCK + 1, 1))
        return RC_ENOMEM;
    memcpy(d->pend, d->block + d->stop_pos, n);
    d->pend_len = n;
    d->pend_line = d->r.line;
    d->pend_off = d->block_off + d->stop_pos;
    struct stat st;
    d->size = fstat(fileno(d->fp), &st) == 0 ? (uint64_t)st.st_size : 0;
    d->sstate = S_ROW;
    if (d->parsing) csv_free(&d->p);
    d->parsing = 0;
    d->segments = 1;
    return RC_OK;
}

/* The next segment of about max bytes in seg; RC_ENOENT at the end.
** Near the end of the file segments shrink (a quarter of what is left,
** down to SEGMENT_MIN), so the threads finish together. */
#define SEGMENT_MIN (64u << 10)

static rc_status next_segment(rc_csv_docs *d, size_t max, rc_csv_segment *seg) {
    rc_status rc;
    uint64_t left = d->size > d->pend_off ? d->size - d->pend_off : 0;
    if (max > left / 4) max = left / 4 > SEGMENT_MIN ? (size_t)(left / 4) : SEGMENT_MIN;
    for (;;) {
        scan(d, max);
        if (d->cut && d->cut >= max) {
            if ((rc = emit(d, d->cut, d->cut, d->cut_rows, 0, seg))) return rc;
            seg->more = 1;
        } else if (!d->eof) {
            if ((rc = read_pend(d))) return rc;
        } else if (d->pend_len == 0) {
            return RC_ENOENT;
        } else if (d->sstate != S_QUOTED) { /* the end: csv_fini ends an open row */
            size_t rows = d->rows + (d->sstate != S_ROW);
            if ((rc = emit(d, d->pend_len, d->pend_len, rows, 0, seg))) return rc;
        } else if (d->cut) { /* the rows before the unterminated one's */
            if ((rc = emit(d, d->cut, d->cut, d->cut_rows, 0, seg))) return rc;
        } else { /* lose it and go on from the line after its first */
            if ((rc = unterminated(d, d->pend_line))) return rc;
            const char *nl = memchr(d->pend, '\n', d->pend_len);
            size_t keep = nl ? (size_t)(nl - d->pend) + 1 : d->pend_len;
            if ((rc = emit(d, d->pend_len, keep, d->rows, 1, seg))) return rc;
        }
        if (seg->layout) return RC_OK;
    }
}

rc_status rc_csv_docs_part(rc_csv_docs *d, size_t max, rc_doc *doc, rc_csv_segment *seg,
                           int *is_seg, rc_error *err) {
    *is_seg = 0;
    if (!d->segments) {
        rc_status rc = rc_csv_docs_next(d, doc, err);
        if (rc != RC_ENOENT || !d->stopped) return rc;
        if ((rc = start_segments(d))) return rc_error_set(err, rc, 0, "%s: %s", d->path,
                                                          rc_strerror(rc));
    }
    d->err = err;
    rc_status rc = next_segment(d, max, seg);
    if (rc == RC_OK) *is_seg = 1;
    else if (rc != RC_ENOENT && rc != RC_EPARSE)
        rc = rc_error_set(err, rc, 0, "%s: %s", d->path, rc_strerror(rc));
    return rc;
}

/* The rows of a segment as they are parsed. */
typedef struct seg_rows {
    const records *r;
    const rc_csv_layout *l;
    size_t index;
    rc_meta *meta;
    rc_doc_fn fn;
    void *ctx;
} seg_rows;

static rc_status seg_row(void *ctx, size_t line, size_t nf, const char *const *f,
                         const size_t *lens) {
    seg_rows *s = ctx;
    char id_buf[1024];
    rc_doc doc;
    (void)line, (void)f, (void)lens;
    row_doc(s->l, s->r->buf, s->r->offs, nf, s->index++, id_buf, s->meta, &doc);
    return s->fn(s->ctx, &doc);
}

rc_status rc_csv_segment_docs(rc_csv_segment *seg, rc_doc_fn fn, void *ctx) {
    const rc_csv_layout *l = seg->layout;
    records r;
    memset(&r, 0, sizeof r);
    r.alc = l->alc;
    r.line = 1;
    seg_rows s = {&r, l, seg->first_index, NULL, fn, ctx};
    s.meta = rc_malloc(l->alc, (l->ncols + 1) * sizeof *s.meta);
    if (!s.meta) return RC_ENOMEM;
    r.fn = seg_row;
    r.ctx = &s;
    rc_utf8_repair(seg->bytes, seg->len, NULL);
    size_t bad = 0, resume = 0;
    rc_status rc = parse_from(&r, seg->bytes, seg->len, 0, l->delim, &bad, &resume);
    assert(rc || !bad == !seg->drop_open);
    records_free(&r);
    rc_free(l->alc, s.meta);
    return rc;
}

void rc_csv_segment_clear(rc_csv_segment *seg) {
    layout_release(seg->layout);
    seg->layout = NULL;
    seg->len = 0;
}

void rc_csv_segment_free(rc_csv_segment *seg) {
    rc_csv_segment_clear(seg);
    free(seg->bytes);
    seg->bytes = NULL;
    seg->cap = 0;
}

void rc_csv_docs_free(rc_csv_docs *d) {
    if (!d) return;
    if (d->fp) fclose(d->fp);
    if (d->parsing) csv_free(&d->p);
    rc_free(d->alc, d->block);
    free(d->pend); /* malloc's, as segments' (they swap buffers) */
    records_free(&d->r);
    rowset_free(d->alc, &d->header);
    rowset_free(d->alc, &d->q);
    rc_free(d->alc, d->meta);
    layout_release(d->layout);
    rc_free(d->alc, d);
}
