/*
** rc_date.c -- the date parser: one line of text to a calendar date.
**
** The line is split into words (letters, or digits, each run a word;
** other characters separate them, and a '-' or '/' between numbers is
** kept as a separator mark).  The parser then accepts these shapes, an
** optional weekday first and an optional time or zone after:
**   MONTH DAY YEAR     October 29, 2025 / Oct. 29 2025
**   DAY MONTH YEAR     29 October 2025 / 26-FEB-1987
**   YEAR MONTH DAY     2025-10-29 / 2025/10/29
**   MONTH YEAR         October 2025 (month precision)
**   YEAR-MONTH         2025-10 (month precision; rc_date_format's form)
**   YEAR               2024 (1800..2100, year precision)
** Anything after the date must look like a time (19:50, 7:50 pm,
** 15:01:01.79), a zone word (GMT, UTC, EST) or a dash before one.
** Dates are checked against the calendar.  Never reads past len.
*/
#include <stdio.h>
#include <strings.h>

#include "rc_internal.h"

static const char *const months[12] = {"january", "february", "march", "april",
                                       "may", "june", "july", "august",
                                       "september", "october", "november",
                                       "december"};
static const char *const weekdays[7] = {"monday", "tuesday", "wednesday",
                                        "thursday", "friday", "saturday",
                                        "sunday"};

typedef struct word {
    const char *s;
    size_t n;
    int digits; /* all digits */
} word;

/* Month 1..12 of a name or its abbreviation (3+ letters, Sept), else 0. */
static int month_of(const word *w) {
    if (w->digits || w->n < 3) return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(months[m]);
        if (w->n <= full && !strncasecmp(w->s, months[m], w->n) &&
            (w->n == full || w->n == 3 || (m == 8 && w->n == 4)))
            return m + 1;
    }
    return 0;
}

static int weekday(const word *w) {
    if (w->digits || w->n < 3) return 0;
    for (int d = 0; d < 7; d++) {
        size_t full = strlen(weekdays[d]);
        if (w->n <= full && !strncasecmp(w->s, weekdays[d], w->n) &&
            (w->n == full || w->n == 3 || w->n == 4))
            return 1;
    }
    return 0;
}

static long number(const word *w) {
    if (!w->digits || w->n > 4) return -1;
    long v = 0;
    for (size_t i = 0; i < w->n; i++) v = v * 10 + (w->s[i] - '0');
    return v;
}

static int days_in(int y, int m) {
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* The words of s; at most cap. */
static size_t split(const char *s, size_t len, word *w, size_t cap) {
    size_t n = 0, i = 0;
    while (i < len && n < cap) {
        unsigned char c = (unsigned char)s[i];
        int digit = c >= '0' && c <= '9';
        int letter = (c | 32) >= 'a' && (c | 32) <= 'z';
        if (!digit && !letter) {
            i++;
            continue;
        }
        size_t b = i;
        while (i < len) {
            unsigned char d = (unsigned char)s[i];
            if (digit ? !(d >= '0' && d <= '9') : !((d | 32) >= 'a' && (d | 32) <= 'z'))
                break;
            i++;
        }
        w[n].s = s + b;
        w[n].n = i - b;
        w[n].digits = digit;
        n++;
    }
    return i < len && n == cap ? cap + 1 : n;
}

/* Is everything from word k on a time or zone? */
static int time_tail(const char *s, size_t len, const word *w, size_t k,
                     size_t n) {
    if (k == n) return 1;
    /* the text after the date words: digits, ':', '.', spaces, dashes,
    ** am/pm and zone words only */
    const char *p = w[k].s;
    size_t rest = len - (size_t)(p - s);
    int colon = memchr(p, ':', rest) != NULL;
    for (size_t i = k; i < n; i++) {
        if (w[i].digits) {
            if (!colon) return 0;
            continue;
        }
        static const char *const ok[] = {"am", "pm", "a", "m", "p", "gmt", "utc",
                                         "est", "edt", "cet", "cest", "bst",
                                         "pst", "pdt", "ist", "irst", "pkt",
                                         "ast", "msk", "jst", NULL};
        int found = 0;
        for (size_t j = 0; ok[j] && !found; j++)
            found = strlen(ok[j]) == w[i].n && !strncasecmp(ok[j], w[i].s, w[i].n);
        if (!found) return 0;
    }
    return 1;
}

static rc_status finish(int y, int m, int d, rc_date *out) {
    if (y < 1000 || y > 2200) return RC_EPARSE;
    if (m && (m < 1 || m > 12)) return RC_EPARSE;
    if (d && (!m || d < 1 || d > days_in(y, m))) return RC_EPARSE;
    out->year = (int16_t)y;
    out->month = (uint8_t)m;
    out->day = (uint8_t)d;
    out->precision = d ? RC_DATE_DAY : m ? RC_DATE_MONTH : RC_DATE_YEAR;
    return RC_OK;
}

/* s[0..len) without the white space around it: its start and length. */
static const char *trim(const char *s, size_t *len) {
    size_t l = *len;
    while (l && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) s++, l--;
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r' ||
                 s[l - 1] == '\n'))
        l--;
    *len = l;
    return s;
}

rc_status rc_date_parse(const char *s, size_t len, rc_date *out) {
    memset(out, 0, sizeof *out);
    word w[16];
    size_t n = split(s, len, w, 16);
    if (n == 0 || n > 16) return RC_EPARSE;
    /* Letters glued to digits (29th) or stray words are not dates. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) return RC_EPARSE;
    }
    size_t k = 0;
    if (weekday(&w[0])) k = 1;
    if (k >= n) return RC_EPARSE;
    long a = number(&w[k]), b = k + 1 < n ? number(&w[k + 1]) : -1,
         c = k + 2 < n ? number(&w[k + 2]) : -1;
    int m;
    /* MONTH DAY YEAR, MONTH YEAR */
    if ((m = month_of(&w[k]))) {
        if (b >= 1 && b <= 31 && w[k + 1].n <= 2 && c >= 1000 && w[k + 2].n == 4 &&
            time_tail(s, len, w, k + 3, n))
            return finish((int)c, m, (int)b, out);
        if (b >= 1000 && w[k + 1].n == 4 && time_tail(s, len, w, k + 2, n))
            return finish((int)b, m, 0, out);
        return RC_EPARSE;
    }
    if (a < 0) return RC_EPARSE;
    /* DAY MONTH YEAR */
    if (w[k].n <= 2 && k + 2 < n && (m = month_of(&w[k + 1])) && c >= 1000 &&
        w[k + 2].n == 4 && time_tail(s, len, w, k + 3, n))
        return finish(m ? (int)c : 0, m, (int)a, out);
    /* YEAR MONTH DAY (numeric) */
    if (w[k].n == 4 && b >= 1 && c >= 1 && w[k + 1].n <= 2 && w[k + 2].n <= 2 &&
        time_tail(s, len, w, k + 3, n))
        return finish((int)a, (int)b, (int)c, out);
    size_t l = len;
    const char *p = trim(s, &l);
    /* YEAR-MONTH, exactly */
    if (k == 0 && n == 2 && w[0].n == 4 && b >= 1 && w[1].n <= 2 && l == 5 + w[1].n &&
        p[4] == '-')
        return finish((int)a, (int)b, 0, out);
    /* A bare year */
    if (w[k].n == 4 && k + 1 == n && a >= 1800 && a <= 2100 && l == 4)
        return finish((int)a, 0, 0, out);
    return RC_EPARSE;
}

size_t rc_date_format(const rc_date *d, char *buf) {
    int n = 0;
    switch (d->precision) {
    case RC_DATE_DAY:
        n = snprintf(buf, 11, "%04d-%02d-%02d", d->year, d->month, d->day);
        break;
    case RC_DATE_MONTH: n = snprintf(buf, 11, "%04d-%02d", d->year, d->month); break;
    case RC_DATE_YEAR: n = snprintf(buf, 11, "%04d", d->year); break;
    default: buf[0] = '\0';
    }
    return n > 0 ? (size_t)n : 0;
}
