/*
** test_regress.c -- inputs the fuzz targets (fuzz/) found failing, kept
** as unit tests once fixed.  The same inputs are seeds under fuzz/seeds/.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_entity.h"
#include "rc_io.h"
#include "relcore.h"
#include "test.h"

/* fuzz_date: "October 2025" formats as "2025-10", which must parse back. */
static void test_month_date_round_trip(void) {
    rc_date d, back;
    char buf[16];
    TEST_COND("October 2025 parses", rc_date_parse("October 2025", 12, &d) == RC_OK);
    size_t n = rc_date_format(&d, buf);
    TEST_COND("formats as 2025-10", n == 7 && !strcmp(buf, "2025-10"));
    TEST_COND("2025-10 parses back", rc_date_parse(buf, n, &back) == RC_OK &&
                                         back.year == 2025 && back.month == 10 &&
                                         back.day == 0 &&
                                         back.precision == RC_DATE_MONTH);
    TEST_COND("2025-10x is not a date", rc_date_parse("2025-10x", 8, &back) == RC_EPARSE);
    TEST_COND("2025-13 is not a date", rc_date_parse("2025-13", 7, &back) == RC_EPARSE);
}

/* fuzz_article: a title line starting with a space, a non-breaking space
** and a space had its span start on the space. */
static void test_title_trimmed_after_nbsp(void) {
    const char *t = "\n \xc2\xa0 Title here\nBody.\n";
    rc_article a;
    rc_article_parse(t, strlen(t), &a);
    TEST_COND("title starts at its first letter",
              a.title.end > a.title.start && t[a.title.start] == 'T' &&
                  a.title.end - a.title.start == 10);
}

typedef struct got {
    char fields[4][32];
    size_t n;
} got;

static rc_status keep_first_row(void *ctx, size_t line, size_t nf,
                                const char *const *f, const size_t *lens) {
    got *g = ctx;
    (void)line;
    for (size_t i = 0; i < nf && i < 4 && g->n == 0; i++)
        snprintf(g->fields[i], sizeof g->fields[i], "%.*s", (int)lens[i], f[i]);
    if (g->n == 0) g->n = nf;
    return RC_OK;
}

/* fuzz_csv: a field with a tab at an end, or a byte-order mark first, was
** written unquoted and read back without it. */
static void test_csv_writer_quotes_what_reading_would_drop(void) {
    const char *fields[] = {"\xEF\xBB\xBF" "first", "\tIran", "Oman\t", " x "};
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    rc_csv_writer *w = NULL;
    rc_csv_writer_new(fp, ',', NULL, &w);
    for (int i = 0; i < 4; i++) rc_csv_field(w, fields[i], strlen(fields[i]));
    rc_csv_row_end(w);
    rc_csv_writer_finish(w);
    rc_csv_writer_free(w);
    fclose(fp);
    got g = {0};
    rc_error err = {0};
    TEST_COND("reads back", rc_csv_records(out, len, ',', "t", keep_first_row, &g, NULL,
                                           &err) == RC_OK && g.n == 4);
    for (int i = 0; i < 4; i++)
        TEST_COND("field read back as written", !strcmp(g.fields[i], fields[i]));
    free(out);
}

int main(void) {
    test_month_date_round_trip();
    test_title_trimmed_after_nbsp();
    test_csv_writer_quotes_what_reading_would_drop();
    return TEST_REPORT();
}
