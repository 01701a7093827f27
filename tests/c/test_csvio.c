/*
** test_csvio.c -- the table writer against the C library: every real as
** printf's "%.9g" (nan: "nan"), every integer as "%lld", every quoted
** field as libcsv's csv_fwrite writes it, and rows longer than the
** writer's buffer; a failed write is reported, at the latest by finish;
** the buffer is made at the first write.
*/
#include <csv.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rc_io.h"
#include "test.h"

/* A growing string: what the writer should have written. */
typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void text_add(text *t, const char *s, size_t n) {
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s) abort();
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

/* xorshift64*: the same values on every run. */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717u;
}

static double from_bits(uint64_t b) {
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* Reals: the writer's bytes are snprintf's, one value a row. */
typedef struct reals {
    double *v;
    size_t n, cap;
} reals;

static void add(reals *r, double v) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        if (!r->v) abort();
    }
    r->v[r->n++] = v;
}

/* v and its neighbours, both signs. */
static void add_around(reals *r, double v) {
    double up = v, down = v;
    for (int i = 0; i < 3; i++) {
        up = nextafter(up, INFINITY);
        down = nextafter(down, -INFINITY);
        add(r, up);
        add(r, -up);
        add(r, down);
        add(r, -down);
    }
    add(r, v);
    add(r, -v);
}

static void fill_reals(reals *r) {
    static const double fixed[] = {
        0.0, 0.5, 1.0, 2.5e-5, -0.117443655, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3,
        123456789.0, 999999999.0, 999999999.4, 999999999.5, 999999999.6, 1e9,
        1e9 + 0.5, 1e-14, 9.99999999e-15, 1e-5, 1e-4, 9.99999995e-5, 0.0001,
        99999.9995, 999999.9995, 100000000.5, 12345678.5, 0.000123456789,
        1e15, 1e16, 1e22, 1e23, 1e100, 1e300, DBL_MAX, DBL_MIN, DBL_MIN / 2,
        DBL_TRUE_MIN, 4.9406564584124654e-324, 2.2250738585072009e-308,
        M_PI, M_E, 1.5, 2.5, 3.5, 0.15, 0.25, 0.35, 1.0000000005, 9.9999999950,
        0.6931471805599453, 0.8450980400142568, 5e-324, 1.7976931348623157e308,
        9007199254740993.0, 4503599627370496.5, 1e8, 1e8 - 0.5, 99999999.95,
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) add_around(r, fixed[i]);
    add(r, -0.0);
    add(r, INFINITY);
    add(r, -INFINITY);
    add(r, NAN);
    add(r, -NAN);
    /* powers of ten and of two, and the numbers one digit past them */
    for (int e = -330; e <= 310; e++) {
        double p = pow(10, e);
        add_around(r, p);
        add_around(r, p * 1.5);
        add_around(r, p * 9.99999999);
        add_around(r, p * 9.999999995);
    }
    for (int e = -1074; e <= 1023; e++) add_around(r, ldexp(1, e));
    /* ties of the ninth digit and their neighbours: m.5 * 10^k */
    for (int i = 0; i < 20000; i++) {
        uint64_t m = 100000000u + next_u64() % 900000000u;
        int k = (int)(next_u64() % 26) - 22; /* 1e-14 .. 1e4 times 1e8 */
        double v = ((double)m + 0.5) * pow(10, k);
        add_around(r, v);
        add(r, (double)m * pow(10, k)); /* nine digits exactly, or near it */
    }
    /* every magnitude: random bits (denormals, NaN payloads, huge) */
    for (int i = 0; i < 200000; i++) add(r, from_bits(next_u64()));
    /* the measures' range: mantissas uniform over 10^-16 .. 10^10 */
    for (int i = 0; i < 400000; i++) {
        double mant = (double)(next_u64() >> 11) / 9007199254740992.0; /* [0, 1) */
        int e = (int)(next_u64() % 27) - 16;
        double v = (1 + 9 * mant) * pow(10, e);
        add(r, (next_u64() & 1) ? -v : v);
    }
    /* short decimals, as counts and shares come out */
    for (int i = 0; i < 100000; i++) {
        double v = (double)(next_u64() % 100000) / pow(10, (double)(next_u64() % 12));
        add(r, v);
    }
}

static void expect_real(text *t, double v) {
    char buf[64];
    int n = isnan(v) ? snprintf(buf, sizeof buf, "nan") : snprintf(buf, sizeof buf, "%.9g", v);
    text_add(t, buf, (size_t)n);
}

/* The first line where a and b differ, for the failure message. */
static void show_first_difference(const char *a, const char *b) {
    size_t line = 1, start = 0, i = 0;
    for (; a[i] && a[i] == b[i]; i++)
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
    const char *ea = strchr(a + start, '\n'), *eb = strchr(b + start, '\n');
    printf("line %zu: written '%.*s', expected '%.*s'\n", line,
           (int)(ea ? ea - (a + start) : (long)strlen(a + start)), a + start,
           (int)(eb ? eb - (b + start) : (long)strlen(b + start)), b + start);
}

/* A writer into memory, and what it wrote. */
typedef struct sink {
    char *out;
    size_t len;
    FILE *fp;
    rc_csv_writer *w;
} sink;

static int sink_open(sink *k, char delim) {
    memset(k, 0, sizeof *k);
    k->fp = open_memstream(&k->out, &k->len);
    return k->fp && rc_csv_writer_new(k->fp, delim, NULL, &k->w) == RC_OK;
}

/* Finish the writer (ok: every write so far worked) and tell whether it
** wrote exactly want, showing the first difference if not. */
static int sink_close_matches(sink *k, int ok, const text *want, const char *what) {
    ok = ok && rc_csv_writer_finish(k->w) == RC_OK;
    rc_csv_writer_free(k->w);
    fclose(k->fp);
    TEST_COND(what, ok);
    int same = ok && k->len == want->n && !memcmp(k->out, want->s, k->len);
    if (!same && ok) show_first_difference(k->out, want->s);
    free(k->out);
    return same;
}

static void test_reals_as_printf(void) {
    reals r = {0};
    fill_reals(&r);
    text want = {0};
    sink k;
    int ok = sink_open(&k, ',');
    for (size_t i = 0; ok && i < r.n; i++) {
        ok = rc_csv_field_double(k.w, r.v[i]) == RC_OK && rc_csv_row_end(k.w) == RC_OK;
        expect_real(&want, r.v[i]);
        text_add(&want, "\n", 1);
    }
    int same = sink_close_matches(&k, ok, &want, "reals written");
    printf("%zu reals compared with %%.9g\n", r.n);
    TEST_COND("every real as %.9g", same);
    free(want.s);
    free(r.v);
}

/* Integers and reals in one row, tab-delimited, then a row per integer. */
static void test_integers_as_printf(void) {
    static const int64_t fixed[] = {0, 1, -1, 9, 10, -10, 99, 100, INT32_MAX, INT32_MIN,
                                    (int64_t)INT32_MAX + 1, 999999999999999999,
                                    1000000000000000000, INT64_MAX, INT64_MIN,
                                    INT64_MIN + 1};
    text want = {0};
    sink k;
    int ok = sink_open(&k, '\t');
    char buf[64];
    for (int i = 0; ok && i < 300000; i++) {
        int64_t v = i < (int)(sizeof fixed / sizeof *fixed) ? fixed[i]
                    : i % 3 == 0 ? (int64_t)next_u64()
                    : i % 3 == 1 ? (int64_t)(next_u64() % 100000) - 50000
                                 : (int64_t)(next_u64() >> (next_u64() % 64));
        double d = (double)v / 7;
        ok = rc_csv_field_int(k.w, v) == RC_OK && rc_csv_field_double(k.w, d) == RC_OK &&
             rc_csv_field(k.w, "x y", 3) == RC_OK && rc_csv_row_end(k.w) == RC_OK;
        int n = snprintf(buf, sizeof buf, "%" PRId64 "\t", v);
        text_add(&want, buf, (size_t)n);
        expect_real(&want, d);
        text_add(&want, "\tx y\n", 5);
    }
    TEST_COND("every integer as %lld", sink_close_matches(&k, ok, &want, "integers written"));
    free(want.s);
}

/* What libcsv's csv_fwrite makes of s. */
static void expect_quoted(text *t, const char *s, size_t n) {
    char *q = NULL;
    size_t qn = 0;
    FILE *fp = open_memstream(&q, &qn);
    csv_fwrite(fp, s, n);
    fclose(fp);
    text_add(t, q, qn);
    free(q);
}

/* The rule of rc_io.h: quoted when libcsv would not read it back. */
static int must_quote(const char *s, size_t n, char delim) {
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')) return 1;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) return 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r') return 1;
    return 0;
}

/* Random fields over the bytes that matter, some longer than the
** writer's buffer, in rows of several fields; both delimiters. */
static void test_fields_as_libcsv(char delim) {
    static const char alphabet[] = {'a', 'b', ' ', '\t', '"', ',', '\n', '\r', '\xEF',
                                    '\xBB', '\xBF', 'z', '\0', '\xC3', '\xA9'};
    text want = {0};
    sink k;
    int ok = sink_open(&k, delim);
    size_t cap = 200000;
    char *f = malloc(cap);
    for (int row = 0; ok && row < 3000; row++) {
        int nf = 1 + (int)(next_u64() % 5);
        for (int j = 0; ok && j < nf; j++) {
            uint64_t kind = next_u64() % 100;
            size_t n = kind < 2 ? (size_t)(next_u64() % cap) : (size_t)(next_u64() % 12);
            int plain = next_u64() % 2;
            for (size_t i = 0; i < n; i++)
                f[i] = plain && n > 100 ? (char)('a' + i % 26)
                                        : alphabet[next_u64() % sizeof alphabet];
            if (j) text_add(&want, &delim, 1);
            if (must_quote(f, n, delim)) expect_quoted(&want, f, n);
            else text_add(&want, f, n);
            ok = rc_csv_field(k.w, f, n) == RC_OK;
        }
        ok = ok && rc_csv_row_end(k.w) == RC_OK;
        text_add(&want, "\n", 1);
    }
    ok = ok && rc_csv_field(k.w, NULL, 0) == RC_OK && rc_csv_row_end(k.w) == RC_OK;
    text_add(&want, "\n", 1);
    TEST_COND("fields quoted as libcsv quotes them",
              sink_close_matches(&k, ok, &want, "fields written"));
    free(f);
    free(want.s);
}

/* /dev/full: some call or finish says RC_EIO, and keeps saying it. */
static void test_failed_write_is_reported(void) {
    FILE *fp = fopen("/dev/full", "wb");
    if (!fp) return;
    rc_csv_writer *w = NULL;
    rc_csv_writer_new(fp, ',', NULL, &w);
    rc_status rc = RC_OK;
    for (int i = 0; i < 100000 && rc == RC_OK; i++) {
        rc = rc_csv_field(w, "Iran", 4);
        if (rc == RC_OK) rc = rc_csv_field_double(w, 0.25);
        if (rc == RC_OK) rc = rc_csv_row_end(w);
    }
    TEST_COND("a failed write is reported by the writes", rc == RC_EIO);
    TEST_COND("and then by each call", rc_csv_field_int(w, 1) == RC_EIO);
    TEST_COND("and by finish", rc_csv_writer_finish(w) == RC_EIO);
    rc_csv_writer_free(w);
    fclose(fp);

    fp = fopen("/dev/full", "wb");
    rc_csv_writer_new(fp, ',', NULL, &w);
    TEST_COND("a short table fits the buffer",
              rc_csv_field(w, "Iran", 4) == RC_OK && rc_csv_row_end(w) == RC_OK);
    TEST_COND("its failure shows at finish", rc_csv_writer_finish(w) == RC_EIO);
    rc_csv_writer_free(w);
    fclose(fp);
}

/* An allocator that fails from the Nth allocation on. */
typedef struct failing {
    int left;
} failing;

static void *f_malloc(void *ctx, size_t n) {
    failing *f = ctx;
    return f->left-- > 0 ? malloc(n) : NULL;
}
static void *f_realloc(void *ctx, void *p, size_t n) {
    failing *f = ctx;
    return f->left-- > 0 ? realloc(p, n) : NULL;
}
static void f_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* The buffer comes with the first field or row end: a writer given
** nothing writes nothing, and one that cannot get its buffer says
** RC_ENOMEM (then finish has nothing to write). */
static void test_buffer_at_first_write(void) {
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    rc_csv_writer *w = NULL;
    TEST_COND("new", rc_csv_writer_new(fp, ',', NULL, &w) == RC_OK);
    TEST_COND("finish with nothing written", rc_csv_writer_finish(w) == RC_OK && len == 0);
    TEST_COND("an empty row", rc_csv_row_end(w) == RC_OK && rc_csv_row_end(w) == RC_OK);
    TEST_COND("is a line", rc_csv_writer_finish(w) == RC_OK && len == 2 && !memcmp(out, "\n\n", 2));
    rc_csv_writer_free(w);
    fclose(fp);
    free(out);

    failing f = {1};
    rc_allocator alc = {f_malloc, f_realloc, f_free, &f};
    out = NULL;
    fp = open_memstream(&out, &len);
    TEST_COND("new, one allocation", rc_csv_writer_new(fp, ',', &alc, &w) == RC_OK);
    TEST_COND("no buffer: the field fails", rc_csv_field(w, "a", 1) == RC_ENOMEM);
    TEST_COND("and so do numbers", rc_csv_field_int(w, 1) == RC_ENOMEM &&
                                       rc_csv_field_double(w, 0.5) == RC_ENOMEM &&
                                       rc_csv_row_end(w) == RC_ENOMEM);
    TEST_COND("finish has nothing to write", rc_csv_writer_finish(w) == RC_OK && len == 0);
    rc_csv_writer_free(w);
    fclose(fp);
    free(out);
}

int main(void) {
    test_reals_as_printf();
    test_integers_as_printf();
    test_fields_as_libcsv(',');
    test_fields_as_libcsv('\t');
    test_failed_write_is_reported();
    test_buffer_at_first_write();
    return TEST_REPORT();
}
