/*
** rc_token.c -- the tokenizer: bytes to token spans with kinds and flags.
**
** 2025-11-23.  One forward pass over caller-owned UTF-8 (already repaired,
** see rc_utf8_repair); the text is never copied or changed and offsets are
** its bytes (+ base).  Tokens are appended to an rc_tokens array that grows
** by doubling, so the only allocations are that array's amortised growth
** (and, for rc_tokenize_hashed, that of the arrays beside it,
** rc_token_side, kept as long).
**
** Classes.  Every byte first goes through byte_kind[256], a table of
** character kinds (K_*): ASCII is classified by the table alone, a byte of
** 0x80 or more is K_HI and the code point is decoded and classified by
** utf8proc's categories (unicode_kind).  The kinds K_UP, K_LO, K_LT, K_DG
** (uppercase, lowercase, other letter or mark, decimal digit) are the word
** characters and come first, so that IS_WORD is one compare.
**
** Whitespace makes no token: ASCII space and controls, Unicode Z* and Cc,
** Cf (zero-width space U+200B, BOM U+FEFF, direction marks), non-breaking
** space U+00A0.  Soft hyphen U+00AD, ZWNJ, ZWJ and word joiner (K_JN) are
** ignorable: inside a word (a word character on both sides) they are part
** of it (rc_token_norm drops them), elsewhere they are whitespace.  A line
** break is '\n' (so CRLF counts once), NEL, U+2028 or U+2029.  The line
** breaks of the whitespace before a token set RC_TF_NEWLINE_BEFORE (one or
** more) and RC_TF_BLANKLINE_BEFORE (two or more); for the first token of a
** call only the whitespace before it in the given text counts.
**
** At a token start the first rule that fits wins:
**   url      http:// https:// www. (any case) followed by a non-space:
**            up to whitespace, a curly quote or " < >, minus trailing
**            . , ; : ! ? ' " ] and a ) that has no ( in the URL
**   email    local@domain.tld: [A-Za-z0-9._%+-]+ @ labels joined by dots,
**            at least two labels; trailing . and - are not part of it
**   handle   @ then letters, digits or _          (@MFA_Pakistan)
**   hashtag  # then a letter, letters, digits, _   (#IranPakistan)
**   word     letters, digits and marks, with inside it:
**              - an apostrophe (' or U+2019) before a letter (don't,
**                O'Brien), except a possessive: 's or ’s not followed by a
**                word character ends the word and is a token of its own
**                (Pakistan’s -> Pakistan ’s); a trailing apostrophe is a
**                punct token (neighbors’ -> neighbors ’);
**              - a hyphen (-, U+2010, U+2011) before a word character:
**                RC_TF_HYPHENATED (12-day, high-level, Guinea-Bissau);
**              - a hyphen at a line end, optionally with spaces, tabs or
**                CR around the single '\n', before a letter: one token over
**                both parts, RC_TF_LINE_JOINED | RC_TF_HYPHENATED
**                (Secretary-\nGeneral); a soft hyphen there joins too
**                (RC_TF_LINE_JOINED only);
**              - , or . between ASCII digits (1,200  3.5  1,200.50).
**            En and em dashes, U+2012 and U+2015 and "--" never join: they
**            split a compound (U.S.–Israeli -> U.S. – Israeli).
**            A full stop after the word belongs to it (RC_TF_ABBREV) for:
**            single letters with stops (U.S., U.S.A., e.g., a.m.), a
**            single capital (an initial, J.), and the built-in list
**            (known_abbrev below: Dr. Mr. Gen. Jan. Inc. No. vs. etc. ...).
**            Whether that stop also ends a sentence is rc_sent.c's call.
**            Kind number when the token is only digits and separators,
**            word otherwise (1st, 12-day, 3D).
**   possessive  's / ’s glued to the token before it (a word, a number,
**            OutRage!'s), a word; at the start of a call it is not one
**   punct    "--" (a run of two or more '-') and "..." (three or more
**            dots) whole; otherwise one code point of category P*
**   symbol   one code point of any other kind: $ % & + < = > ^ ` | ~ @ #
**            and Unicode S* and No (€ £ ½); so $3 -> $ 3, 3.5% -> 3.5 %,
**            $10 billion -> $ 10 billion
** Flags: RC_TF_UPPER_INITIAL when the first letter of the token is
** uppercase or titlecase; RC_TF_ALL_UPPER when it has an uppercase letter
** and no lowercase one (caseless scripts are not "all upper").
**
** Limits.  No token is longer than RC_MAX_TOKEN_BYTES: every scanner stops
** at lim = start + RC_MAX_TOKEN_BYTES and advances by whole code points, so
** a longer run is cut into pieces that never split a UTF-8 sequence; the
** next piece starts where the last ended.  rc_tokenize returns RC_ELIMIT
** (appending nothing) when base + len does not fit the 32-bit offsets.
**
** Speed (2026-11, SPEC section 11).  Most tokens are short ASCII words
** and punctuation between single spaces, so the loop takes them the short
** way and keeps everything else out of line:
**   - plain_word() classifies RUN_W bytes from the token start at once
**     (word_masks: SSE2 on x86-64, SWAR or a byte loop elsewhere) into
**     masks of uppercase, lowercase and digit bytes; the word's end, its
**     case flags and its kind come from the masks with no loop.  It takes
**     a word only where the general rules could not decide otherwise: it
**     ends inside the block at a word_end[] byte (an ASCII byte that
**     continues no rule), or plain_stop() settles the stop: it first
**     joins the runs of a word as scan_word would (a hyphen, an apostrophe
**     not of a possessive, a comma or full stop between digits) while the
**     word stays inside the block, then takes a comma or full stop not
**     inside a number, e-mail address or URL, a possessive or trailing
**     apostrophe, an abbreviation's stop.  Anything else --
**     end 0 -- goes to word_token(), the general path (scan_word and the
**     rules above).  Invariant: wherever plain_word() answers, its token
**     is exactly the one word_token() would give, which
**     tests/c/test_token.c checks at every token start of random text
**     (rc_token_both_ways), as it does for the one-code-point tokens
**     below against other_token().
**     On SSE2 the masks come from a block of 64 bytes computed once
**     (block_plain_word: the same RUN_W bits, so the same answer), so
**     that the next token's start waits on shifts, not on a load and its
**     compares; the words of a stretch of text share one computation.
**     After a token, the plain words that follow, each with a single
**     space after it (spaced_word: most of running text), are stored in
**     a loop of their own from the block's masks alone, with no byte
**     looked up; tests/c/test_token.c checks every word the tokenizer
**     gives against the general rules.
**   - a comma, a lone full stop and other punctuation and symbols are one
**     code point with no rule to weigh; the rarer starts (apostrophe, @,
**     #, -, ...) go to other_token().
**   - the single space after a token is stepped over at once, and the
**     token array is filled through locals (written back on return).
**   - rc_token_norm copies an ASCII token not joined across a line whole:
**     it is its own normal form.
**   - rc_tokenize_hashed (for the recognizer, rc_docres.c) also writes the
**     rc_norm_hash of each token of the short way beside it (plain_hash:
**     the bytes plain_word() just read), 0 for the rest, which the
**     recognizer's token pass hashes itself, and lists the plain
**     lower-case words, the other words, the tokens `(` and the tokens the
**     sentence splitter looks at (rc_token_side), so that the loops after
**     it need not branch on a token's kind or case again, which running
**     text mixes at random (one token in eight is not a word, one word in
**     five is not a plain lower-case one);
**     rc_tokenize_noted makes the splitter's list alone (for a corpus
**     with no names), rc_tokenize no list (the one loop, inlined three
**     ways).
**
** Invariants of the output (checked by tests/c/test_token.c on random
** bytes): tokens ascend, do not overlap, lie within [base, base + len),
** start and end on code point boundaries and hold no whitespace-only token.
** Cost: O(len); each byte is looked at a bounded number of times (a
** rejected URL or e-mail rescans at most its run, a word the short way
** declines is scanned again from its start by the general path, and the
** wide loads read at most RUN_W bytes per token, never past len).
*/
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "rc_entity.h"

/* The hot loop is written as small functions that must be inlined
** (ALWAYS_INLINE), and keeps the rare tokens' code out of line
** (NOINLINE). */

/* MARK: - Character kinds ---------------------------------------------- */

enum {
    K_UP = 0, /* uppercase or titlecase letter */
    K_LO,     /* lowercase letter */
    K_LT,     /* other letter (caseless), mark, letter number */
    K_DG,     /* decimal digit */
    K_SP,     /* whitespace, invisible */
    K_NL,     /* line break */
    K_AP,     /* apostrophe: ' U+2019 */
    K_HY,     /* joining hyphen: - U+2010 U+2011 */
    K_DOT,    /* . */
    K_COM,    /* , */
    K_PU,     /* other punctuation */
    K_SY,     /* symbol */
    K_AT,     /* @ */
    K_HS,     /* # */
    K_HI,     /* (table only) a byte >= 0x80: decode and ask unicode_kind */
    K_JN,     /* soft hyphen, ZWNJ, ZWJ, word joiner: ignorable in words */
    K_DA      /* dash that splits: U+2012..U+2015 */
};
#define IS_WORD(k) ((unsigned)(k) <= K_DG)
#define IS_LETTER(k) ((unsigned)(k) <= K_LT)

/* Kinds of the bytes (generated; ASCII rules as in unicode_kind). */
static const unsigned char byte_kind[256] = {
    K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  /* 00 01 02 03 04 05 06 07 */
    K_SP,  K_SP,  K_NL,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  /* 08 09 0a 0b 0c 0d 0e 0f */
    K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  /* 10 11 12 13 14 15 16 17 */
    K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  K_SP,  /* 18 19 1a 1b 1c 1d 1e 1f */
    K_SP,  K_PU,  K_PU,  K_HS,  K_SY,  K_SY,  K_SY,  K_AP,  /* 20 ! " # $ % & ' */
    K_PU,  K_PU,  K_PU,  K_SY,  K_COM, K_HY,  K_DOT, K_PU,  /* ( ) * + , - . / */
    K_DG,  K_DG,  K_DG,  K_DG,  K_DG,  K_DG,  K_DG,  K_DG,  /* 0 1 2 3 4 5 6 7 */
    K_DG,  K_DG,  K_PU,  K_PU,  K_SY,  K_SY,  K_SY,  K_PU,  /* 8 9 : ; < = > ? */
    K_AT,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  /* @ A B C D E F G */
    K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  /* H I J K L M N O */
    K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  K_UP,  /* P Q R S T U V W */
    K_UP,  K_UP,  K_UP,  K_PU,  K_PU,  K_PU,  K_SY,  K_PU,  /* X Y Z [ \ ] ^ _ */
    K_SY,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  /* ` a b c d e f g */
    K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  /* h i j k l m n o */
    K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  K_LO,  /* p q r s t u v w */
    K_LO,  K_LO,  K_LO,  K_PU,  K_SY,  K_PU,  K_SY,  K_SP,  /* x y z { | } ~ 7f */
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
};

/* Kind of a non-ASCII code point. */
static int unicode_kind(int32_t cp) {
    switch (cp) {
    case 0x2019: return K_AP;
    case 0x2010: case 0x2011: return K_HY;
    case 0x2012: case 0x2013: case 0x2014: case 0x2015: return K_DA;
    case 0x00AD: case 0x200C: case 0x200D: case 0x2060: return K_JN;
    case 0x0085: case 0x2028: case 0x2029: return K_NL;
    default: break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return K_UP;
    case UTF8PROC_CATEGORY_LL: return K_LO;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_NL:
        return K_LT;
    case UTF8PROC_CATEGORY_ND: return K_DG;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
        return K_SP;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return K_PU;
    default: return K_SY;
    }
}

/* Kind and length (*len, 0 past the end) of the code point at s[i..n). */
static inline int kind_at(const unsigned char *s, size_t n, size_t i,
                          int *len) {
    if (i >= n) {
        *len = 0;
        return K_SP;
    }
    int k = byte_kind[s[i]];
    if (likely(k != K_HI)) {
        *len = 1;
        return k;
    }
    int32_t cp;
    *len = rc_utf8_decode((const char *)s + i, n - i, &cp);
    return unicode_kind(cp);
}

static inline int kind_of(const unsigned char *s, size_t n, size_t i) {
    int len;
    return kind_at(s, n, i, &len);
}

/* MARK: - Abbreviations ---------------------------------------------------- */

/* Words that keep a following full stop, compared without it.  The letter
** patterns (U.S., J.) are recognised by shape and need no entry.  A switch
** on the first byte leaves a handful of fixed-length compares: most words
** before a full stop are lowercase and end at the default. */
static int known_abbrev(const unsigned char *s, size_t n) {
#define IS(w) (n == sizeof(w) - 1 && memcmp(s, w, sizeof(w) - 1) == 0)
    if (n < 2 || n > 6) return 0;
    switch (s[0]) {
    case 'A':
        return IS("Apr") || IS("Aug") || IS("Adm") || IS("Ave") || IS("Amb");
    case 'B':
        return IS("Blvd") || IS("Brig");
    case 'C':
        return IS("Col") || IS("Capt") || IS("Corp") || IS("Co") || IS("Cmdr") ||
               IS("Cpl");
    case 'D':
        return IS("Dr") || IS("Dec") || IS("Dept");
    case 'F':
        return IS("Feb") || IS("Ft") || IS("Fig");
    case 'G':
        return IS("Gen") || IS("Gov");
    case 'H':
        return IS("Hon");
    case 'I':
        return IS("Inc") || IS("Insp");
    case 'J':
        return IS("Jr") || IS("Jan") || IS("Jun") || IS("Jul");
    case 'L':
        return IS("Lt") || IS("Ltd");
    case 'M':
        return IS("Mr") || IS("Mrs") || IS("Ms") || IS("Mar") || IS("Mt") ||
               IS("Maj") || IS("Messrs") || IS("Mme") || IS("Mlle");
    case 'N':
        return IS("No") || IS("Nov") || IS("Nos");
    case 'O':
        return IS("Oct");
    case 'P':
        return IS("Prof") || IS("Pres") || IS("Pvt");
    case 'R':
        return IS("Rep") || IS("Rev");
    case 'S':
        return IS("Sgt") || IS("Sen") || IS("St") || IS("Sr") || IS("Sept") ||
               IS("Sep") || IS("Supt");
    case 'a':
        return IS("approx");
    case 'c':
        return IS("cf");
    case 'e':
        return IS("etc") || IS("est");
    case 'v':
        return IS("vs");
    default:
        return 0;
    }
#undef IS
}

/* MARK: - Scanners ----------------------------------------------------------- */

/* A line break inside a word: from i (just after a hyphen), [ \t\r]* '\n'
** [ \t\r]* and then a letter before lim.  Returns the letter's offset, or
** 0.  Shared with rc_token_norm. */
static size_t line_break_join(const unsigned char *s, size_t lim, size_t i) {
    while (i < lim && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
    if (i >= lim || s[i] != '\n') return 0;
    i++;
    while (i < lim && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
    return i < lim && IS_LETTER(kind_of(s, lim, i)) ? i : 0;
}

/* A possessive at i: an apostrophe, s or S, then no word character.
** Returns its length or 0. */
static size_t possessive_at(const unsigned char *s, size_t n, size_t i) {
    int len;
    if (kind_at(s, n, i, &len) != K_AP) return 0;
    size_t j = i + (size_t)len;
    if (j >= n || (s[j] | 32) != 's') return 0;
    return IS_WORD(kind_of(s, n, j + 1)) ? 0 : (size_t)len + 1;
}

/* The ASCII uppercase letters, lowercase letters and digits among RUN_W
** bytes, as masks (bit j for byte j).  SSE2 (which every x86-64 has) does
** sixteen bytes: each byte is biased so that one signed compare tests a
** range.  Elsewhere eight bytes in a uint64_t (SWAR): each byte's range
** tests land in its high bit, with no carries since the bytes are masked
** to 7 bits first, and a multiply gathers the eight high bits; or, without
** GCC or Clang on a little-endian machine, the byte_kind table byte by
** byte. */
typedef struct masks {
    unsigned up, lo, dg;
} masks;

#if defined(__SSE2__)
#define RUN_W 16
static ALWAYS_INLINE unsigned range_mask(__m128i v, int lo, int count) {
    __m128i x = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - lo)));
    return (unsigned)_mm_movemask_epi8(
        _mm_cmplt_epi8(x, _mm_set1_epi8((char)(0x80 + count))));
}

static ALWAYS_INLINE masks word_masks(const unsigned char *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    return (masks){range_mask(v, 'A', 26), range_mask(v, 'a', 26),
                   range_mask(v, '0', 10)};
}
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
#define RUN_W 8
#define REP(c) (0x0101010101010101ull * (uint64_t)(c))
/* The high bits of x (bytes 0..7) as bits 0..7. */
static ALWAYS_INLINE unsigned gather_high(uint64_t x) {
    return (unsigned)(((x >> 7) * 0x0102040810204080ull) >> 56);
}

static ALWAYS_INLINE masks word_masks(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t y = w & REP(0x7F), x = y | REP(0x20), ascii = ~w & REP(0x80);
    uint64_t letter = (x + REP(0x80 - 'a')) & ~(x + REP(0x80 - 'z' - 1)) & ascii;
    uint64_t digit = (y + REP(0x80 - '0')) & ~(y + REP(0x80 - '9' - 1)) & ascii;
    return (masks){gather_high(letter & ~(w << 2)), gather_high(letter & (w << 2)),
                   gather_high(digit)};
}
#undef REP
#else
#define RUN_W 8
static inline masks word_masks(const unsigned char *p) {
    masks m = {0, 0, 0};
    for (unsigned j = 0; j < RUN_W; j++) {
        int k = byte_kind[p[j]];
        m.up |= (unsigned)(k == K_UP) << j;
        m.lo |= (unsigned)(k == K_LO) << j;
        m.dg |= (unsigned)(k == K_DG) << j;
    }
    return m;
}
#endif
#define RUN_FULL ((1u << RUN_W) - 1)

/* The index of the lowest set bit of x, which is not 0. */
static ALWAYS_INLINE unsigned low_bit(unsigned x) {
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(x);
#else
    unsigned i = 0;
    for (; !(x & 1); x >>= 1) i++;
    return i;
#endif
}

/* The end of the run of ASCII letters and digits from i (before lim; n
** is the end of the text, the limit of every read), adding their kinds to
** *bits.  RUN_W bytes at a time (the wide loads may read past lim but
** never past n), so that a word costs no mispredicted loop exit per
** letter; the last bytes of the text one at a time. */
static ALWAYS_INLINE size_t ascii_run(const unsigned char *s, size_t n,
                                      size_t i, size_t lim, unsigned *bits) {
    while (i + RUN_W <= n) {
        masks m = word_masks(s + i);
        unsigned stop = ~(m.up | m.lo | m.dg) & RUN_FULL;
        if (lim - i < RUN_W) stop |= RUN_FULL << (lim - i);
        unsigned before = stop ? (stop & (0u - stop)) - 1 : RUN_FULL;
        *bits |= (unsigned)((m.up & before) != 0) << K_UP |
                 (unsigned)((m.lo & before) != 0) << K_LO |
                 (unsigned)((m.dg & before) != 0) << K_DG;
        if (stop) return i + low_bit(stop);
        i += RUN_W;
    }
    int k;
    while (i < lim && IS_WORD(k = byte_kind[s[i]])) {
        *bits |= 1u << k;
        i++;
    }
    return i;
}

/* Whether a byte, right after a run of ASCII letters and digits, ends the
** word with no rule to weigh: an ASCII byte other than a letter, a digit
** and ' , - . : % + @ _ (which may continue a word, a number, an e-mail
** address, an abbreviation or a URL).  Bytes 0x80 and up are 0. */
static const unsigned char word_end[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 00-0f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10-1f */
    1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, /* 20 ! " # $ % & ' ( ) * + , - . / */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, /* 0-9 : ; < = > ? */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* @ A-O */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, /* P-Z [ \ ] ^ _ */
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* ` a-o */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, /* p-z { | } ~ 7f */
};

/* What a scan found: its end and the kinds it saw (bit 1 << K_*, and
** B_JOINED for a rejoined line break). */
typedef struct scan {
    size_t end;
    unsigned bits;
} scan;
#define B_JOINED (1u << 20)
#define B_LETTERS ((1u << K_UP) | (1u << K_LO) | (1u << K_LT))

/* A word from b (a word character) to at most lim. */
static scan scan_word(const unsigned char *s, size_t n, size_t b, size_t lim) {
    size_t i = b;
    unsigned bits = 0;
    for (;;) {
        i = ascii_run(s, n, i, lim, &bits);
        if (i >= lim) break;
        int len, k = byte_kind[s[i]];
        if (likely(k == K_SP || k == K_NL)) break;
        k = kind_at(s, n, i, &len);
        if (IS_WORD(k)) { /* non-ASCII letter, mark or digit */
            if (i + (size_t)len > lim) break;
            bits |= 1u << k;
            i += (size_t)len;
            continue;
        }
        size_t j = i + (size_t)len;
        if (k == K_AP) { /* don't, O'Brien; not a possessive */
            if (possessive_at(s, n, i) || !IS_LETTER(kind_of(s, lim, j))) break;
            bits |= 1u << K_AP;
            i = j;
            continue;
        }
        if (k == K_HY || k == K_JN) {
            if (IS_WORD(kind_of(s, lim, j))) {
                bits |= 1u << k;
                i = j;
                continue;
            }
            size_t c = line_break_join(s, lim, j);
            if (!c) break;
            bits |= (1u << k) | B_JOINED;
            i = c;
            continue;
        }
        if ((k == K_COM || k == K_DOT) && i > b && byte_kind[s[i - 1]] == K_DG &&
            j < lim && byte_kind[s[j]] == K_DG) { /* 1,200  3.5 */
            i = j;
            continue;
        }
        break;
    }
    return (scan){i, bits};
}

/* The full stop at w.end after the word [b, w.end): the abbreviation
** including its stop(s), or end 0. */
static scan scan_abbrev(const unsigned char *s, size_t n, size_t b, scan w,
                        size_t lim) {
    size_t i = w.end;
    scan r = {0, w.bits};
    if (i >= lim || s[i] != '.' || (w.bits & ~B_LETTERS)) return r;
    int len0;
    int k0 = kind_at(s, n, b, &len0);
    if ((size_t)len0 == i - b) { /* one letter: U.S. e.g. J. */
        size_t j = i + 1, letters = 1;
        for (;;) {
            int len, k = kind_at(s, lim, j, &len);
            size_t d = j + (size_t)len;
            if (!IS_LETTER(k) || d >= lim || s[d] != '.') break;
            r.bits |= 1u << k;
            j = d + 1;
            letters++;
        }
        if (letters >= 2) r.end = j;
        else if (k0 == K_UP) r.end = i + 1;
        return r;
    }
    if (known_abbrev(s + b, i - b)) r.end = i + 1;
    return r;
}

static int url_char_ends(const unsigned char *s, size_t n, size_t i,
                         int *len) {
    unsigned char c = s[i];
    *len = 1;
    if (c < 0x80) {
        int k = byte_kind[c];
        return k == K_SP || k == K_NL || c == '"' || c == '<' || c == '>';
    }
    int32_t cp;
    *len = rc_utf8_decode((const char *)s + i, n - i, &cp);
    int k = unicode_kind(cp);
    return k == K_SP || k == K_NL || k == K_JN || cp == 0x201C ||
           cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0x00AB ||
           cp == 0x00BB;
}

static int ci_prefix(const unsigned char *s, size_t n, const char *p,
                     size_t pn) {
    if (n < pn) return 0;
    for (size_t i = 0; i < pn; i++) {
        unsigned char c = s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i];
        if (c != (unsigned char)p[i]) return 0;
    }
    return 1;
}

/* Whether a URL may start at i: its first two bytes are those of http,
** https or www in any case (scan_url decides). */
static inline int url_start(const unsigned char *s, size_t n, size_t i) {
    unsigned pair = i + 1 < n ? (unsigned)(s[i] << 8 | s[i + 1]) | 0x2020u : 0;
    return (pair == ('h' << 8 | 't')) | (pair == ('w' << 8 | 'w'));
}

/* A URL at i: its end, or 0. */
static size_t scan_url(const unsigned char *s, size_t n, size_t i,
                       size_t lim) {
    size_t p;
    if (ci_prefix(s + i, n - i, "https://", 8)) p = 8;
    else if (ci_prefix(s + i, n - i, "http://", 7)) p = 7;
    else if (ci_prefix(s + i, n - i, "www.", 4)) p = 4;
    else return 0;
    size_t j = i + p;
    int len;
    if (j >= lim || url_char_ends(s, n, j, &len)) return 0;
    while (j < lim && !url_char_ends(s, n, j, &len)) {
        if (j + (size_t)len > lim) break;
        j += (size_t)len;
    }
    size_t open = 0, close = 0;
    for (size_t k = i; k < j; k++) {
        open += s[k] == '(';
        close += s[k] == ')';
    }
    while (j > i + p) {
        unsigned char c = s[j - 1];
        if (c == ')' && close > open) {
            close--;
        } else if (!(c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
                     c == '?' || c == '\'' || c == '"' || c == ']')) {
            break;
        }
        j--;
    }
    return j > i + p ? j : 0;
}

static int ascii_alnum(unsigned char c) {
    return IS_WORD(byte_kind[c]);
}

/* An e-mail address at b (a word character): its end, or 0. */
static size_t scan_email(const unsigned char *s, size_t b, size_t lim) {
    size_t j = b;
    while (j < lim && (ascii_alnum(s[j]) || s[j] == '.' || s[j] == '_' ||
                       s[j] == '%' || s[j] == '+' || s[j] == '-'))
        j++;
    if (j == b || j >= lim || s[j] != '@') return 0;
    size_t d = ++j;
    while (j < lim && (ascii_alnum(s[j]) || s[j] == '-' || s[j] == '.')) j++;
    while (j > d && (s[j - 1] == '.' || s[j - 1] == '-')) j--;
    /* at least two labels, no empty label */
    if (j == d || !ascii_alnum(s[d])) return 0;
    int dots = 0;
    for (size_t k = d; k < j; k++) {
        if (s[k] != '.') continue;
        if (s[k - 1] == '.' || s[k - 1] == '-') return 0;
        dots++;
    }
    return dots ? j : 0;
}

/* A handle or hashtag at i (the @ or #): its end, or 0. */
static size_t scan_tag(const unsigned char *s, size_t n, size_t i,
                       size_t lim) {
    size_t j = i + 1;
    int len, k = kind_at(s, lim, j, &len);
    if (s[i] == '#' ? !IS_LETTER(k) : !(IS_WORD(k) || (j < n && s[j] == '_')))
        return 0;
    while (j < lim) {
        k = kind_at(s, n, j, &len);
        if (!(IS_WORD(k) || s[j] == '_') || j + (size_t)len > lim) break;
        j += (size_t)len;
    }
    return j;
}

/* The letter kinds of [b, e), plus B_FIRST_UP when its first letter is
** uppercase (for the tokens not made by scan_word alone). */
#define B_FIRST_UP (1u << 21)
static unsigned case_bits(const unsigned char *s, size_t b, size_t e) {
    unsigned bits = 0;
    for (size_t i = b; i < e;) {
        int len, k = kind_at(s, e, i, &len);
        if (IS_LETTER(k)) {
            if (!(bits & B_LETTERS) && k == K_UP) bits |= B_FIRST_UP;
            bits |= 1u << k;
        }
        i += (size_t)len;
    }
    return bits;
}

/* A token: its end (0 for none), kind (RC_TOK_*) and flags (RC_TF_*). */
typedef struct found {
    size_t end;
    int kind;
    unsigned flags;
} found;

/* The joins inside a word (run_join, below). */
#define B_HYPHEN 1u
#define B_APOS 2u
#define B_SEP 4u

/* The word b..b + len of a block whose masks are m, and whose runs were
** joined by joins (B_*; 0 for one run): its end, its kind (a
** number when it is digits and separators only) and its case flags (the
** first letter's, and all upper), with RC_TF_HYPHENATED for a hyphen. */
static ALWAYS_INLINE found block_word(masks m, size_t b, unsigned len, unsigned joins) {
    unsigned before = (1u << len) - 1, up = m.up & before, lo = m.lo & before,
             letters = up | lo;
    unsigned f = ((letters & (0u - letters) & up) ? RC_TF_UPPER_INITIAL : 0) |
                 ((up && !lo) ? RC_TF_ALL_UPPER : 0) |
                 ((joins & B_HYPHEN) ? RC_TF_HYPHENATED : 0);
    return (found){b + len, letters || (joins & (B_HYPHEN | B_APOS)) ? RC_TOK_WORD : RC_TOK_NUMBER,
                   f};
}

/* Whether the byte at e joins the run of letters and digits before it to
** the run after it, as scan_word would join them: a hyphen before an
** ASCII letter or digit (B_HYPHEN: high-level, 2004-05), an apostrophe
** before an ASCII letter that does not make a possessive (B_APOS: don't,
** O'Brien), a comma or full stop between digits (B_SEP: 1,200 3.5). */
static ALWAYS_INLINE unsigned run_join(const unsigned char *s, size_t n, size_t e) {
    if (e + 1 >= n) return 0;
    int next = byte_kind[s[e + 1]];
    switch (s[e]) {
    case '-': return IS_WORD(next) ? B_HYPHEN : 0;
    case '\'': return IS_LETTER(next) && !possessive_at(s, n, e) ? B_APOS : 0;
    case ',':
    case '.': return next == K_DG && byte_kind[s[e - 1]] == K_DG ? B_SEP : 0;
    default: return 0;
    }
}

/* The stop byte c = s[w.end] after the plain word w from b, when it is
** not a word_end[] one: w (with an abbreviation's full stop taken in) or
** end 0 for the general scanner.  First the joins inside a word
** (run_join) while the next stop is still in the block (b + RUN_W <= n:
** the block's masks again); then the stop: a comma or a colon ends the
** word (a colon not after a URL's prefix: http: https: www. end their
** first run at a colon or a full stop), a full stop too when a word_end[]
** byte follows, kept as an abbreviation's by a plain word of one run, a
** possessive or trailing apostrophe.  Out of line, so that the hot loop
** keeps its registers. */
static NOINLINE found plain_stop(const unsigned char *s, size_t n, size_t b,
                                 found w, int digits) {
    const found none = {0, 0, 0};
    size_t e = w.end;
    unsigned joins = 0, join;
    while ((join = run_join(s, n, e))) {
        masks m = word_masks(s + b);
        unsigned from = (unsigned)(e + 1 - b); /* <= RUN_W: e is in the block */
        unsigned rest = ~(m.up | m.lo | m.dg) & (RUN_FULL << from) & RUN_FULL;
        if (!rest) return none; /* the run goes past the block */
        joins |= join;
        w = block_word(m, b, low_bit(rest), joins);
        e = w.end;
        if (word_end[s[e]]) return w;
    }
    /* the block ends before lim (lim >= b + RUN_W), so e + 1 < lim unless
    ** the text ends at e + 1 */
    int next_ends = e + 1 >= n || word_end[s[e + 1]];
    switch (s[e]) {
    case ',': /* not 1,200 (run_join) */
        return w;
    case ':': /* not http: https: */
        return url_start(s, n, b) ? none : w;
    case '.': /* not 3.5, an e-mail address, U.S. or www. */
        if (!next_ends || e - b == 1 || url_start(s, n, b)) return none;
        if (!digits && !joins && known_abbrev(s + b, e - b)) {
            w.end++;
            w.flags |= RC_TF_ABBREV;
        }
        return w;
    case '\'': /* a possessive or a trailing apostrophe, not don't */
        return next_ends || possessive_at(s, n, e) ? w : none;
    default: return none;
    }
}

/* The length of the plain word whose RUN_W bytes' stop mask (the bytes
** that are not ASCII letters or digits) is stop: 1 to RUN_W - 1, or 0
** when there is none (not ASCII, or a word too long for the bytes). */
static ALWAYS_INLINE unsigned plain_len(unsigned stop) {
    unsigned len = low_bit(stop | (1u << RUN_W));
    return len - 1 < RUN_W - 1 ? len : 0;
}

/* The common word, decided from the masks m of the RUN_W bytes from b
** (plain_word: word_masks() of them) without scan_word: ASCII letters and
** digits from b, inside those bytes, ended by
** a word_end[] byte or as plain_stop() allows (its runs joined by
** hyphens, apostrophes or digit separators; a possessive or trailing
** apostrophe, a comma not inside a number, a colon or full stop not after
** a URL's prefix, a full stop after more than one character that ends the
** text or is followed by a word_end[] byte, so no number or e-mail
** address, kept with a listed abbreviation).  Returns the token with its
** case, RC_TF_HYPHENATED and RC_TF_ABBREV flags, or end 0 when the
** general scanner must decide. */
static ALWAYS_INLINE found plain_masked(const unsigned char *s, size_t n,
                                        size_t b, masks m) {
    found none = {0, 0, 0};
    unsigned len = plain_len(~(m.up | m.lo | m.dg) & RUN_FULL);
    if (!len) return none;
    found w = block_word(m, b, len, 0);
    unsigned char c = s[w.end];
    if (likely(word_end[c])) return w;
    /* a comma after a letter (plain_stop's answer, at no call): only a
    ** digit before it may join a number (1,200) */
    if (c == ',' && !((m.dg >> (len - 1)) & 1)) return w;
    return plain_stop(s, n, b, w, (m.dg & ((1u << len) - 1)) != 0);
}

static ALWAYS_INLINE found plain_word(const unsigned char *s, size_t n,
                                      size_t b) {
    found none = {0, 0, 0};
    if (b + RUN_W > n) return none;
    return plain_masked(s, n, b, word_masks(s + b));
}

#if defined(__SSE2__)
/* The masks of BLOCK_W bytes from `at` (bit j for byte at + j), so that
** the words of a stretch of text take their masks from one computation
** rather than each from a 16-byte load of its own: the next token's start
** then waits on shifts of these masks, not on a load and its compares.
** The loop's speed is bound by that chain, from one token's start to the
** next's. */
#define BLOCK_W 64
typedef struct block {
    size_t at; /* where the masks start; more than any offset until filled */
    uint64_t up, lo, dg;
    uint64_t sp; /* the ASCII spaces */
} block;

/* Fill b with the masks of the BLOCK_W bytes at s + at (at + BLOCK_W <= n). */
static ALWAYS_INLINE void block_fill(const unsigned char *s, size_t at, block *b) {
    uint64_t up = 0, lo = 0, dg = 0, sp = 0;
    for (unsigned j = 0; j < BLOCK_W; j += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + at + j));
        up |= (uint64_t)range_mask(v, 'A', 26) << j;
        lo |= (uint64_t)range_mask(v, 'a', 26) << j;
        dg |= (uint64_t)range_mask(v, '0', 10) << j;
        sp |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))
              << j;
    }
    *b = (block){at, up, lo, dg, sp};
}

/* The masks of the RUN_W bytes at offset off of the block (off <=
** BLOCK_W - RUN_W): those word_masks() would give. */
static ALWAYS_INLINE masks block_masks(const block *bk, unsigned off) {
    return (masks){(unsigned)(bk->up >> off) & RUN_FULL, (unsigned)(bk->lo >> off) & RUN_FULL,
                   (unsigned)(bk->dg >> off) & RUN_FULL};
}

/* The plain word at offset off of the block (off <= BLOCK_W - RUN_W)
** when a single space follows it: its length (1 to RUN_W - 1), else 0.
** Such a word is block_plain_word()'s at once (a space is a word_end[]
** byte), and the token after it starts past the space. */
static ALWAYS_INLINE unsigned spaced_word(const block *bk, unsigned off) {
    uint64_t rest = ~(bk->up | bk->lo | bk->dg) >> off;
    unsigned len = plain_len((unsigned)rest & RUN_FULL);
    unsigned spaced = (unsigned)((bk->sp >> off) >> len) & 1; /* off + len <= BLOCK_W */
    return len && spaced ? len : 0;
}

/* plain_word() at b with its RUN_W bytes' masks taken from the block
** (refilled from b when they are not all in it): the same masks, so the
** same answer. */
static ALWAYS_INLINE found block_plain_word(const unsigned char *s, size_t n, size_t b,
                                            block *bk) {
    if (b - bk->at > BLOCK_W - RUN_W) {
        if (b + BLOCK_W > n) return plain_word(s, n, b);
        block_fill(s, b, bk);
    }
    return plain_masked(s, n, b, block_masks(bk, (unsigned)(b - bk->at)));
}
#endif

/* MARK: - Tokenizer -------------------------------------------------------- */

static uint8_t case_flags(unsigned bits) {
    uint8_t f = 0;
    if (bits & B_FIRST_UP) f |= RC_TF_UPPER_INITIAL;
    if ((bits & (1u << K_UP)) && !(bits & (1u << K_LO))) f |= RC_TF_ALL_UPPER;
    return f;
}

/* The end of the longest token that may start at i. */
static inline size_t token_lim(size_t n, size_t i) {
    return n - i > RC_MAX_TOKEN_BYTES ? i + RC_MAX_TOKEN_BYTES : n;
}

/* The line flags after `breaks` more line breaks: one makes
** RC_TF_NEWLINE_BEFORE, two or more RC_TF_BLANKLINE_BEFORE too. */
static inline uint8_t more_lines(uint8_t lines, int breaks) {
    return lines || breaks > 1 ? RC_TF_NEWLINE_BEFORE | RC_TF_BLANKLINE_BEFORE
                               : RC_TF_NEWLINE_BEFORE;
}

/* A word-like token at b (a word character) that plain_word() left to
** the general rules: a URL, an e-mail address or scan_word()'s word, with
** an abbreviation's full stop.  Kept out of line, away from the hot
** loop. */
static NOINLINE found word_token(const unsigned char *s, size_t n, size_t b,
                                 size_t lim, int k) {
    size_t e;
    if (url_start(s, n, b) && (e = scan_url(s, n, b, lim)))
        return (found){e, RC_TOK_URL, case_flags(case_bits(s, b, e))};
    scan w = scan_word(s, n, b, lim);
    e = w.end;
    unsigned f = 0, stop = e < lim ? s[e] : 0;
    /* % + - . @ _ may continue an e-mail address, . an abbreviation */
    const uint64_t lo = (1ull << '%') | (1ull << '+') | (1ull << '-') |
                        (1ull << '.'),
                   hi = (1ull << ('@' - 64)) | (1ull << ('_' - 64));
    if (stop < 128 && (((stop < 64 ? lo >> stop : hi >> (stop - 64)) & 1))) {
        size_t m = scan_email(s, b, lim);
        if (m) return (found){m, RC_TOK_EMAIL, case_flags(case_bits(s, b, m))};
        if (stop == '.') {
            scan a = scan_abbrev(s, n, b, w, lim);
            if (a.end) {
                e = a.end;
                w.bits = a.bits;
                f = RC_TF_ABBREV;
            }
        }
    }
    if (k == K_UP) w.bits |= B_FIRST_UP;
    else if (k == K_DG) w.bits |= case_bits(s, b, e);
    f |= case_flags(w.bits);
    if (w.bits & (1u << K_HY)) f |= RC_TF_HYPHENATED;
    if (w.bits & B_JOINED) f |= RC_TF_LINE_JOINED;
    return (found){e, (w.bits & ~(1u << K_DG)) || f ? RC_TOK_WORD : RC_TOK_NUMBER,
                   f};
}

/* The token at i, of kind k and clen bytes, that is not a word: a
** possessive (when glued to the token before it, on its line), a handle
** or hashtag, "--" or "...", else one code point. */
static NOINLINE found other_token(const unsigned char *s, size_t n, size_t i,
                                  size_t lim, int k, int clen, int glued) {
    size_t e;
    switch (k) {
    case K_AP: /* a possessive glued to the token before it (OutRage!'s) */
        if (glued && (e = possessive_at(s, n, i)))
            return (found){i + e, RC_TOK_WORD, case_flags(case_bits(s, i, i + e))};
        break;
    case K_AT:
    case K_HS:
        if ((e = scan_tag(s, n, i, lim)))
            return (found){e, k == K_AT ? RC_TOK_HANDLE : RC_TOK_HASHTAG,
                           case_flags(case_bits(s, i, e))};
        break;
    case K_HY:
        if (s[i] == '-' && i + 1 < lim && s[i + 1] == '-') {
            for (e = i + 2; e < lim && s[e] == '-';) e++;
            return (found){e, RC_TOK_PUNCT, 0};
        }
        break;
    case K_DOT:
        if (i + 2 < lim && s[i + 1] == '.' && s[i + 2] == '.') {
            for (e = i + 3; e < lim && s[e] == '.';) e++;
            return (found){e, RC_TOK_PUNCT, 0};
        }
        break;
    default: break;
    }
    return (found){i + (size_t)clen,
                   k == K_SY || k == K_AT || k == K_HS ? RC_TOK_SYMBOL
                                                       : RC_TOK_PUNCT,
                   0};
}

/* The kinds of the tokens of one code point, with no rule to weigh (a
** full stop only when no other follows). */
#define ONE_POINT ((1u << K_COM) | (1u << K_PU) | (1u << K_SY) | (1u << K_DOT))

/* Whether the code point at i, of kind k, is a token by itself with no
** rule to weigh: a comma, a full stop not followed by another, other
** punctuation or a symbol. */
static ALWAYS_INLINE int one_point(const unsigned char *s, size_t len, size_t i, int k) {
    /* one branch on the answer, not one on each part of it */
    size_t next = i + (i + 1 < len); /* i + 1, or i at the end (a dot: s[i]) */
    unsigned dots = (k == K_DOT) & (i + 1 < len) & (s[next] == '.');
    return (((1u << k) & ONE_POINT) != 0) & !dots;
}

/* That token: the code point at i, of clen bytes and kind k. */
static ALWAYS_INLINE found point_token(size_t i, int clen, int k) {
    return (found){i + (size_t)clen, k == K_SY ? RC_TOK_SYMBOL : RC_TOK_PUNCT, 0};
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HASH_IN_PLACE 1 /* plain_hash's loads are the little-endian values */
#else
#define HASH_IN_PLACE 0
#endif

/* rc_unit_hash of the n bytes at p, 1 <= n <= 16, that plain_word() took
** (so p[0..16) lies within the text): its first word is the first 8
** bytes, masked to n when n < 8, its last the 8 bytes ending with it
** (rc_unit_hash_16). */
static ALWAYS_INLINE uint64_t plain_hash(const unsigned char *p, size_t n) {
    size_t head = n < 8 ? n : 8;
    uint64_t first = rc_load64(p) & (~0ull >> (64 - 8 * head));
    return rc_unit_hash_16(n, first, rc_load64(p + (n > 8 ? n - 8 : 0)));
}

/* Room in side's arrays for cap entries (they grow with the token
** array): the notable list only, or with lists all of them. */
static rc_status side_room(const rc_allocator *alc, rc_token_side *side, size_t cap,
                           int lists) {
    if (side->ncap < cap &&
        rc_grow(alc, (void **)&side->notable, &side->ncap, cap, sizeof *side->notable))
        return RC_ENOMEM;
    if (!lists || side->cap >= cap) return RC_OK;
    size_t c[4] = {side->cap, side->cap, side->cap, side->cap};
    if (rc_grow(alc, (void **)&side->hash, &c[0], cap, sizeof *side->hash) ||
        rc_grow(alc, (void **)&side->lower, &c[1], cap, sizeof *side->lower) ||
        rc_grow(alc, (void **)&side->words, &c[2], cap, sizeof *side->words) ||
        rc_grow(alc, (void **)&side->paren, &c[3], cap, sizeof *side->paren))
        return RC_ENOMEM;
    side->cap = c[0];
    for (int k = 1; k < 4; k++)
        if (c[k] < side->cap) side->cap = c[k];
    return RC_OK;
}

/* List token nt as one the sentence splitter looks at (rc_split_listed),
** where the way the loop took tells, before the token is stored: so the
** list has room for one more than the tokens (side_room). */
static ALWAYS_INLINE void note(rc_token_side *side, size_t nt) {
    side->notable[side->nnotable++] = (uint32_t)nt;
}

/* Whether punctuation starting with byte c may end a sentence (rc_sent.c's
** final_punct: . ! ? and the tokenizer's "..." run, or U+2026), any
** punctuation past ASCII included: a comma, a colon, a bracket or an
** ASCII quote never does, and the splitter need not look at them. */
static ALWAYS_INLINE unsigned may_end(unsigned char c) {
    const uint64_t finals = (1ull << '.') | (1ull << '!') | (1ull << '?');
    return c < 64 ? (unsigned)(finals >> c) & 1 : c >> 7;
}

/* The loop: whitespace is skipped (counting line breaks), then a token
** starts.  The common tokens take the short way, kept small so that the
** loop's state stays in registers: a plain_word(), a comma, a full stop
** not followed by another or other punctuation or symbol (one code point,
** no rule applies); the rest go to
** word_token() and other_token().  After a token its single following
** space is skipped at once.  With side and lists (rc_tokenize_hashed)
** each token of the short way also gets its rc_norm_hash, which the bytes
** just read give at little cost (the others 0), and each token goes into
** its lists, where the loop already knows which: a plain lower-case word
** (its first byte's kind), another word, a `(`; with side alone
** (rc_tokenize_noted) only the tokens for the sentence splitter are
** listed (note: a line break before, an abbreviation, punctuation that
** may end a sentence).  Without, the compiler drops that work, as the
** function is inlined three ways. */
static ALWAYS_INLINE rc_status tokenize(const char *text, size_t len, uint32_t base,
                                        rc_tokens *out, rc_token_side *side, int lists) {
    if (len > RC_MAX_DOC_BYTES || (uint64_t)base + len > UINT32_MAX)
        return RC_ELIMIT;
    const unsigned char *s = (const unsigned char *)text;
    if (side && side_room(out->alc, side, out->cap + 1, lists)) return RC_ENOMEM;
    /* the lists' work only with lists (rc_tokenize_hashed), the notes
    ** with any side (rc_tokenize_noted too) */
    rc_token_side *ls = lists ? side : NULL;
    /* out's array in locals (the token stores could alias it otherwise),
    ** written back on return */
    rc_token *v = out->v;
    uint64_t *hv = ls ? ls->hash : NULL;
    /* the lists' ends, as cursors (two registers, not four) */
    uint32_t *lower_at = ls ? ls->lower + ls->nlower : NULL;
    uint32_t *words_at = ls ? ls->words + ls->nwords : NULL;
    size_t nt = out->n, cap = out->cap;
    const size_t n0 = nt; /* tokens before this call */
    uint8_t lines = 0;    /* RC_TF_*_BEFORE of the line breaks since the last token */
    size_t i = 0;
/* Store token t from i with line flags ln, in the lists too: as a
** plain lower-case word when low is 1, else a word when it is one. */
#define PUT(i, t, ln, low)                                                          \
    do {                                                                            \
        if (ls) {                                                                   \
            *lower_at = *words_at = (uint32_t)nt;                                   \
            lower_at += (low);                                                      \
            words_at += ((t).kind == RC_TOK_WORD) - (low);                          \
        }                                                                           \
        v[nt++] = (rc_token){base + (uint32_t)(i), base + (uint32_t)(t).end,         \
                             (uint8_t)(t).kind, (uint8_t)((ln) | (t).flags)};       \
    } while (0)
#if defined(__SSE2__)
    block bk = {SIZE_MAX / 2, 0, 0, 0, 0}; /* b - at wraps: no block yet */
#define PLAIN_WORD(s, n, b) block_plain_word(s, n, b, &bk)
#else
#define PLAIN_WORD(s, n, b) plain_word(s, n, b)
#endif
    while (i < len) {
        int k = byte_kind[s[i]], clen = 1;
        found t;
        uint64_t th = 0;    /* the token's hash, when side */
        unsigned lower = 0; /* a plain lower-case word */
        unsigned paren = 0; /* a `(` */
        if (likely(IS_WORD(k))) { /* an ASCII letter or digit */
            t = PLAIN_WORD(s, len, i);
            if (unlikely(!t.end)) t = word_token(s, len, i, token_lim(len, i), k);
            else if (ls && HASH_IN_PLACE) {
                th = plain_hash(s + i, t.end - i);
                lower = (k == K_LO) & !(t.flags & RC_TF_HYPHENATED); /* no branch */
            }
            if (side && unlikely(lines | (t.flags & RC_TF_ABBREV))) /* Mr. U.S. */
                note(side, nt);
        } else {
            if (k == K_SP) {
                i++;
                continue;
            }
            if (k == K_NL) {
                lines = more_lines(lines, 1);
                i++;
                continue;
            }
            if (k == K_HI) {
                int32_t cp;
                clen = rc_utf8_decode(text + i, len - i, &cp);
                k = unicode_kind(cp);
                if (k == K_SP || k == K_JN || k == K_NL) {
                    if (k == K_NL) lines = more_lines(lines, 1 + (cp == 0x2029));
                    i += (size_t)clen;
                    continue;
                }
            }
            if (IS_WORD(k)) { /* non-ASCII: never plain_word()'s */
                t = word_token(s, len, i, token_lim(len, i), k);
                if (side && (lines | (t.flags & RC_TF_ABBREV))) note(side, nt);
            } else if (one_point(s, len, i, k)) {
                t = point_token(i, clen, k);
                if (ls && clen == 1) th = rc_mix64(RC_UNIT_HASH_SEED(1) ^ s[i]);
                paren = s[i] == '(';
                if (side) { /* listed or not with no branch: commas and stops mix */
                    side->notable[side->nnotable] = (uint32_t)nt;
                    side->nnotable += (may_end(s[i]) & (k != K_SY)) | (lines != 0);
                }
            } else {
                int glued = !lines && nt > n0 && v[nt - 1].end == base + i;
                t = other_token(s, len, i, token_lim(len, i), k, clen, glued);
                if (side && ((t.kind == RC_TOK_PUNCT && may_end(s[i])) || lines))
                    note(side, nt);
            }
        }
        assert(t.end - i - 1 < RC_MAX_TOKEN_BYTES); /* i < t.end <= lim */
        if (unlikely(nt == cap)) {
            out->n = nt;
            if (ls) { /* the cursors as counts while the lists move */
                ls->nlower = (size_t)(lower_at - ls->lower);
                ls->nwords = (size_t)(words_at - ls->words);
            }
            if (rc_grow(out->alc, (void **)&out->v, &out->cap, nt + 1, sizeof *v) ||
                (side && side_room(out->alc, side, out->cap + 1, lists)))
                return RC_ENOMEM;
            v = out->v;
            if (ls) {
                hv = ls->hash;
                lower_at = ls->lower + ls->nlower;
                words_at = ls->words + ls->nwords;
            }
            cap = out->cap;
        }
        if (ls) {
            hv[nt] = th;
            if (unlikely(paren)) ls->paren[ls->nparen++] = (uint32_t)nt;
        }
        PUT(i, t, lines, lower);
        lines = 0;
        i = t.end;
        if (i < len) i += s[i] == ' '; /* the usual single space */
#if defined(__SSE2__)
        /* then the plain words that follow, each with one space after it,
        ** straight from the block's masks (as the loop would take them,
        ** with no line break and no note), while the token array has room
        ** for as many as the block may hold */
        for (size_t off, wl; (off = i - bk.at) <= BLOCK_W - RUN_W &&
                             cap - nt > BLOCK_W / 2 && (wl = spaced_word(&bk, (unsigned)off));) {
            masks m = block_masks(&bk, (unsigned)off);
            t = block_word(m, i, (unsigned)wl, 0);
            if (ls) hv[nt] = plain_hash(s + i, wl);
            PUT(i, t, 0, m.lo & 1);
            i += wl + 1;
        }
#endif
    }
#undef PUT
#undef PLAIN_WORD
    out->n = nt;
    if (ls) {
        ls->nlower = (size_t)(lower_at - ls->lower);
        ls->nwords = (size_t)(words_at - ls->words);
    }
    return RC_OK;
}

rc_status rc_tokenize(const char *text, size_t len, uint32_t base, rc_tokens *out) {
    return tokenize(text, len, base, out, NULL, 0);
}

rc_status rc_tokenize_hashed(const char *text, size_t len, uint32_t base, rc_tokens *out,
                             rc_token_side *side) {
    if (!side) return RC_EINVAL; /* and tokenize(), inlined, knows it is not NULL */
    return tokenize(text, len, base, out, side, 1);
}

rc_status rc_tokenize_noted(const char *text, size_t len, uint32_t base, rc_tokens *out,
                            rc_token_side *side) {
    if (!side) return RC_EINVAL;
    return tokenize(text, len, base, out, side, 0);
}

void rc_token_side_free(const rc_allocator *alc, rc_token_side *side) {
    rc_free(alc, side->hash);
    rc_free(alc, side->lower);
    rc_free(alc, side->words);
    rc_free(alc, side->paren);
    rc_free(alc, side->notable);
    memset(side, 0, sizeof *side);
}

/* The token at i both ways, for tests/c/test_token.c (see rc_internal.h). */
void rc_token_both_ways(const char *text, size_t len, size_t i, rc_token *quick,
                        rc_token *general) {
    const unsigned char *s = (const unsigned char *)text;
    int k = byte_kind[s[i]], clen = 1;
    found q = {0, 0, 0}, g = {0, 0, 0};
    if (IS_WORD(k)) {
        q = plain_word(s, len, i);
        g = word_token(s, len, i, token_lim(len, i), k);
    } else {
        if (k == K_HI) {
            int32_t cp;
            clen = rc_utf8_decode(text + i, len - i, &cp);
            k = unicode_kind(cp);
        }
        if (!IS_WORD(k) && k != K_SP && k != K_NL && k != K_JN) {
            if (one_point(s, len, i, k)) q = point_token(i, clen, k);
            g = other_token(s, len, i, token_lim(len, i), k, clen, 0);
        }
    }
    *quick = (rc_token){(uint32_t)i, (uint32_t)q.end, (uint8_t)q.kind, (uint8_t)q.flags};
    *general = (rc_token){(uint32_t)i, (uint32_t)g.end, (uint8_t)g.kind, (uint8_t)g.flags};
}

/* MARK: - Arrays, names, normal form --------------------------------------- */

void rc_tokens_init(rc_tokens *t, const rc_allocator *alc) {
    t->v = NULL;
    t->n = t->cap = 0;
    t->alc = alc;
}

void rc_tokens_free(rc_tokens *t) {
    if (!t) return;
    rc_free(t->alc, t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static const char *const kind_names[RC_TOK_KIND_COUNT] = {
    "word", "number", "punct", "symbol", "url", "email", "handle", "hashtag"};

const char *rc_token_kind_name(rc_token_kind kind) {
    return (unsigned)kind < RC_TOK_KIND_COUNT ? kind_names[kind] : "?";
}

static inline void put(char *buf, size_t cap, size_t *n, const char *s,
                       size_t len) {
    for (size_t k = 0; k < len; k++, (*n)++)
        if (*n < cap) buf[*n] = s[k];
}

/* Whether s[0..n) is all ASCII: eight bytes a load, the last 4-7 bytes in
** two overlapping loads. */
static int all_ascii(const unsigned char *s, size_t n) {
    uint64_t any = 0, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        any |= w;
    }
    if (n - i >= 4) {
        uint32_t a, b;
        memcpy(&a, s + i, 4);
        memcpy(&b, s + n - 4, 4);
        any |= a | b;
    } else {
        for (; i < n; i++) any |= s[i];
    }
    return (any & 0x8080808080808080ull) == 0;
}

size_t rc_token_norm(const char *text, const rc_token *tok, char *buf,
                     size_t cap) {
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0, end = tok->end, len = tok->end - tok->start;
    /* an ASCII token not joined across a line is its own normal form */
    if (!(tok->flags & RC_TF_LINE_JOINED) && all_ascii(s + tok->start, len)) {
        if (cap) memcpy(buf, text + tok->start, len < cap ? len : cap);
        return len;
    }
    for (size_t i = tok->start; i < end;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            size_t j;
            if (c == '-' && (tok->flags & RC_TF_LINE_JOINED) &&
                (j = line_break_join(s, end, i + 1))) {
                if (byte_kind[s[j]] == K_UP || kind_of(s, end, j) == K_UP)
                    put(buf, cap, &n, "-", 1);
                i = j;
                continue;
            }
            put(buf, cap, &n, text + i, 1);
            i++;
            continue;
        }
        int32_t cp;
        int len = rc_utf8_decode(text + i, end - i, &cp);
        size_t j;
        switch (cp) {
        case 0x2018: case 0x2019: case 0x02BC: put(buf, cap, &n, "'", 1); break;
        case 0x201C: case 0x201D: case 0x201E: put(buf, cap, &n, "\"", 1); break;
        case 0x2010: case 0x2011:
            if ((tok->flags & RC_TF_LINE_JOINED) &&
                (j = line_break_join(s, end, i + (size_t)len))) {
                if (kind_of(s, end, j) == K_UP) put(buf, cap, &n, "-", 1);
                i = j;
                continue;
            }
            put(buf, cap, &n, "-", 1);
            break;
        case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
            put(buf, cap, &n, "-", 1);
            break;
        case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060:
        case 0xFEFF:
            if ((tok->flags & RC_TF_LINE_JOINED) &&
                (j = line_break_join(s, end, i + (size_t)len))) {
                i = j;
                continue;
            }
            break;
        default: put(buf, cap, &n, text + i, (size_t)len); break;
        }
        i += (size_t)len;
    }
    return n;
}
