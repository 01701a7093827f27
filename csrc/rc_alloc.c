/*
** rc_alloc.c -- the default allocator, status and warning strings, and
** error filling.
**
** The default allocator forwards to the C library (rc_calloc to calloc,
** which hands fresh pages over unwritten).  Status strings and
** warning names are static tables indexed by rc_status and rc_warning;
** every code has one.
*/
#include <stdio.h>
#include <stdlib.h>

#include "rc_internal.h"

static void *default_malloc(void *ctx, size_t n) {
    (void)ctx;
    return malloc(n);
}
static void *default_realloc(void *ctx, void *p, size_t n) {
    (void)ctx;
    return realloc(p, n);
}
static void default_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

static const rc_allocator default_allocator = {default_malloc, default_realloc,
                                               default_free, NULL};

const rc_allocator *rc_allocator_default(void) { return &default_allocator; }

void *rc_calloc(const rc_allocator *a, size_t n, size_t size) {
    a = RC_ALC(a);
    if (!n || !size) n = size = 1;
    if (n > SIZE_MAX / size) return NULL;
    if (a == &default_allocator) return calloc(n, size);
    void *p = a->malloc(a->ctx, n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

static const char *const status_names[RC_STATUS_COUNT] = {
    [RC_OK] = "ok",
    [RC_ENOMEM] = "out of memory",
    [RC_EINVAL] = "invalid argument",
    [RC_ENOENT] = "not found",
    [RC_EUTF8] = "invalid utf-8",
    [RC_EPARSE] = "parse error",
    [RC_ELIMIT] = "size limit exceeded",
    [RC_EIO] = "input/output error",
    [RC_EDB] = "database error",
    [RC_EVERSION] = "unsupported version",
    [RC_EINTR] = "interrupted",
};

const char *rc_strerror(rc_status code) {
    if ((unsigned)code >= RC_STATUS_COUNT) return "unknown error";
    return status_names[code];
}

static const struct {
    const char *name;
    rc_status status; /* what the warning becomes when strict */
} warnings[RC_WARN_COUNT] = {
    [RC_WARN_UTF8] = {"invalid utf-8", RC_EUTF8},
    [RC_WARN_NUL] = {"binary file", RC_EPARSE},
    [RC_WARN_EMPTY] = {"empty file", RC_EPARSE},
    [RC_WARN_UNREADABLE] = {"unreadable", RC_EIO},
    [RC_WARN_TOO_LARGE] = {"too large", RC_ELIMIT},
    [RC_WARN_CSV_ROW] = {"bad csv row", RC_EPARSE},
    [RC_WARN_SAME_ID] = {"same id", RC_EINVAL},
};

const char *rc_warning_name(rc_warning kind) {
    return (unsigned)kind < RC_WARN_COUNT ? warnings[kind].name : "warning";
}

rc_status rc_warning_status(rc_warning kind) {
    return (unsigned)kind < RC_WARN_COUNT ? warnings[kind].status : RC_EPARSE;
}

rc_status rc_error_set(rc_error *err, rc_status code, size_t pos,
                       const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
        err->byte_pos = pos;
    }
    return code;
}

char *rc_strndup(const rc_allocator *a, const char *s, size_t n) {
    if (n == SIZE_MAX) return NULL;
    char *p = rc_malloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
