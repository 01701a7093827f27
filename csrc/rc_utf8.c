/*
** rc_utf8.c -- UTF-8 decoding, counting and repair.
**
** 2025-11-23.  Valid UTF-8 here is RFC 3629's: no overlong forms (C0, C1,
** E0 80..9F, F0 80..8F), no surrogates (ED A0..BF), nothing above U+10FFFF
** (F4 90.., F5..FF).  valid_len() is the one validator; decode and repair
** are built on it, so they agree on what is valid.
**
** Repair replaces each byte that is not part of a valid sequence by '?',
** in place: offsets never move, the repaired text is valid UTF-8, and a
** truncated sequence loses only its own bytes (the next valid sequence
** starts where it would have).  No state, no allocation.
**
** ASCII runs take a fast path: 64 bytes at a time (ascii64: four SSE2
** loads ORed, one movemask; every x86-64 has SSE2), then eight at a time
** through an unaligned load (memcpy) tested against the high bits.
** Counting code points skips all-ASCII 64-byte blocks the same way and
** counts the continuation bytes of the others with SSE2, sixteen bytes a
** compare; elsewhere and for the rest eight at a time in byte lanes,
** summed by a multiply.  O(len).
*/
#include "rc_internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Length of the valid sequence at s[0..n), or 0 when it is not valid. */
static int valid_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
        return 4;
    }
    return 0;
}

static int ascii8(const unsigned char *s) {
    uint64_t w;
    memcpy(&w, s, 8);
    return (w & 0x8080808080808080ull) == 0;
}

#if defined(__SSE2__)
static inline __m128i load16(const unsigned char *s) {
    return _mm_loadu_si128((const __m128i *)(const void *)s);
}
#endif

/* Whether the 64 bytes at s are all ASCII. */
static inline int ascii64(const unsigned char *s) {
#if defined(__SSE2__)
    __m128i any = _mm_or_si128(_mm_or_si128(load16(s), load16(s + 16)),
                               _mm_or_si128(load16(s + 32), load16(s + 48)));
    return _mm_movemask_epi8(any) == 0;
#else
    uint64_t any = 0, w;
    for (int k = 0; k < 64; k += 8) {
        memcpy(&w, s + k, 8);
        any |= w;
    }
    return (any & 0x8080808080808080ull) == 0;
#endif
}

size_t rc_utf8_repair(char *buf, size_t len, size_t *first_bad) {
    unsigned char *s = (unsigned char *)buf;
    size_t i = 0, bad = 0;
    while (i < len) {
        if (i + 64 <= len && ascii64(s + i)) {
            i += 64;
            continue;
        }
        if (i + 8 <= len && ascii8(s + i)) {
            i += 8;
            continue;
        }
        int n = valid_len(s + i, len - i);
        if (n) {
            i += (size_t)n;
            continue;
        }
        if (!bad && first_bad) *first_bad = i;
        bad++;
        s[i++] = '?';
    }
    return bad;
}

size_t rc_utf8_cut_tail(const char *buf, size_t len) {
    const unsigned char *s = (const unsigned char *)buf;
    for (size_t back = 1; back <= 3 && back <= len; back++) {
        unsigned char c = s[len - back];
        if (c < 0x80) return 0;
        if (c >= 0xC0) {
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            return need > back ? back : 0;
        }
    }
    return 0;
}

int rc_utf8_decode(const char *p, size_t n, int32_t *cp) {
    const unsigned char *s = (const unsigned char *)p;
    int len = valid_len(s, n);
    switch (len) {
    case 1: *cp = s[0]; return 1;
    case 2: *cp = (s[0] & 0x1F) << 6 | (s[1] & 0x3F); return 2;
    case 3: *cp = (s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F); return 3;
    case 4:
        *cp = (s[0] & 0x07) << 18 | (s[1] & 0x3F) << 12 | (s[2] & 0x3F) << 6 |
              (s[3] & 0x3F);
        return 4;
    default: *cp = 0xFFFD; return 1;
    }
}

/* The continuation bytes (0x80..0xBF) of the first len / 16 * 16 bytes of
** s, in *cont; returns how many bytes that is.  SSE2: such a byte is a
** signed byte below -64; each compare's -1s are subtracted into byte
** lanes, a 64-byte block (four compares) at a time for up to 63 blocks
** (at most 252 a lane), an all-ASCII block skipped; then sixteen bytes at
** a time for up to 255 rounds; the lanes are summed by psadbw. */
#if defined(__SSE2__)
static size_t lanes_sum(__m128i lanes) {
    __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    return (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
}
#endif

static size_t count_cont16(const unsigned char *s, size_t len, size_t *cont) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i below = _mm_set1_epi8(-64);
    while (i + 64 <= len) {
        __m128i lanes = _mm_setzero_si128();
        for (size_t k = 0; k < 63 && i + 64 <= len; k++, i += 64) {
            if (ascii64(s + i)) continue;
            for (int q = 0; q < 64; q += 16)
                lanes = _mm_sub_epi8(lanes, _mm_cmplt_epi8(load16(s + i + q), below));
        }
        *cont += lanes_sum(lanes);
    }
    while (i + 16 <= len) {
        __m128i lanes = _mm_setzero_si128();
        for (size_t k = 0; k < 255 && i + 16 <= len; k++, i += 16)
            lanes = _mm_sub_epi8(lanes, _mm_cmplt_epi8(load16(s + i), below));
        *cont += lanes_sum(lanes);
    }
#else
    (void)s;
    (void)len;
    (void)cont;
#endif
    return i;
}

size_t rc_utf8_count(const char *p, size_t len) {
    const unsigned char *s = (const unsigned char *)p;
    size_t cont = 0, i = count_cont16(s, len, &cont);
    while (i + 8 <= len) {
        /* per byte lane, how many of up to 255 words had a continuation
        ** byte there (bit 7 set and bit 6 clear, moved to bit 0) */
        uint64_t lanes = 0;
        for (size_t k = 0; k < 255 && i + 8 <= len; k++, i += 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            lanes += (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
        }
        /* sum the eight lanes: pairs into 16 bits, then a multiply (a
        ** portable popcount: no -mpopcnt, no libcall) */
        uint64_t pairs = (lanes & 0x00FF00FF00FF00FFull) + (lanes >> 8 & 0x00FF00FF00FF00FFull);
        cont += (size_t)((pairs * 0x0001000100010001ull) >> 48);
    }
    for (; i < len; i++) cont += (s[i] & 0xC0) == 0x80;
    return len - cont;
}
