/*
** fuzz.h -- what the fuzz targets share: a checked invariant that stops
** the run with a message (libFuzzer then saves the input as a crash), and
** a NUL-terminated, UTF-8-repaired copy of the input, as rc_source hands
** text to the core, and the built-in gazetteer.  Included by each fuzz/fuzz_*.c, nothing else.
*/
#ifndef RC_FUZZ_H
#define RC_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relcore.h"

/* An invariant of the target: on failure print where and abort. */
#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,       \
                    __LINE__, #cond);                                        \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* A copy of data[0..n) with a NUL after it, invalid UTF-8 repaired in the
** copy (offsets keep).  The caller frees it. */
static inline char *fuzz_text(const uint8_t *data, size_t n) {
    char *t = malloc(n + 1);
    CHECK(t != NULL);
    if (n) memcpy(t, data, n);
    t[n] = '\0';
    rc_utf8_repair(t, n, NULL);
    return t;
}

/* The built-in gazetteer, frozen, made at the first call and kept for the
** process (the targets that analyse or unpack need one). */
static inline rc_gazetteer *fuzz_gazetteer_builtin(void) {
    static rc_gazetteer *g;
    if (!g) {
        rc_error err = {0};
        CHECK(rc_gazetteer_new(1, NULL, &g, &err) == RC_OK);
        CHECK(rc_gazetteer_freeze(g, &err) == RC_OK);
    }
    return g;
}

static inline int fuzz_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

#endif /* RC_FUZZ_H */
