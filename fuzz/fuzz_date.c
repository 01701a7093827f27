/*
** fuzz_date.c -- libFuzzer target for the date parser (rc_date.c).
**
** Invariants: a parse either fails with RC_EPARSE and a zeroed date, or
** gives a calendar-valid date (month 1..12, a day that exists in that
** month) at the precision it claims; formatting that date and parsing the
** result gives the same date back.
*/
#include "fuzz.h"

static int days_in(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char *t = fuzz_text(data, n);
    rc_date d;
    rc_status rc = rc_date_parse(t, n, &d);
    if (rc != RC_OK) {
        CHECK(rc == RC_EPARSE);
        CHECK(d.precision == RC_DATE_NONE && d.year == 0 && d.month == 0 && d.day == 0);
    } else {
        CHECK(d.precision >= RC_DATE_YEAR && d.precision <= RC_DATE_DAY);
        CHECK((d.month == 0) == (d.precision == RC_DATE_YEAR));
        CHECK(d.month <= 12);
        CHECK((d.day == 0) == (d.precision != RC_DATE_DAY));
        if (d.day) CHECK(d.day <= days_in(d.year, d.month));
        char buf[16];
        size_t len = rc_date_format(&d, buf);
        CHECK(len > 0 && len < 11 && buf[len] == '\0');
        rc_date back;
        CHECK(rc_date_parse(buf, len, &back) == RC_OK);
        CHECK(back.year == d.year && back.month == d.month && back.day == d.day &&
              back.precision == d.precision);
    }
    free(t);
    return 0;
}
