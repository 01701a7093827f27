/*
** relcore.h -- the one public header of the relcore C core.
**
** relcore turns news articles into the relations they describe: tokens,
** sentences, entity mentions, counts and co-occurrence tables.  Everything
** that processes text lives behind this header; the command-line tool
** (cli.c) and the Python extension (pyext/) are thin adapters over it.
**
** Conventions, for every function below unless its comment says otherwise:
**   - Fallible calls return rc_status (RC_OK == 0).  Parse errors also fill
**     an rc_error when the caller passes one (NULL is allowed).
**   - On failure an object is left as it was before the call, or the
**     comment says exactly what changed.
**   - rc_x_new / rc_x_free pairs own memory; rc_x_free(NULL) is a no-op.
**   - Spans (start, end) are byte offsets into the caller's buffer, end
**     exclusive, and borrow from it: they live as long as the buffer does.
**   - Text is UTF-8.  Documents are limited to RC_MAX_DOC_BYTES so that
**     offsets fit in 32 bits.
**   - No function keeps hidden global state; distinct objects may be used
**     from distinct threads at once.  A read-only object (a built gazetteer)
**     may be shared by threads.
**   - Library code never prints, exits or aborts.
*/
#ifndef RELCORE_H
#define RELCORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RC_VERSION "0.1.0"
#define RC_MAX_DOC_BYTES ((size_t)0xFFFFFFF0u)
#define RC_MAX_TOKEN_BYTES 4096 /* a longer run of non-space bytes is cut */

/* MARK: - Status, errors, allocation ------------------------------------- */

typedef enum rc_status {
    RC_OK = 0,
    RC_ENOMEM,   /* out of memory */
    RC_EINVAL,   /* invalid argument or option */
    RC_ENOENT,   /* no such file, column or entity */
    RC_EUTF8,    /* invalid UTF-8 (a warning: the text was repaired) */
    RC_EPARSE,   /* malformed input (CSV, TSV, date) */
    RC_ELIMIT,   /* a size limit was exceeded */
    RC_EIO,      /* read or write failed */
    RC_EDB,      /* database error */
    RC_EVERSION, /* unsupported format or schema version */
    RC_EINTR,    /* interrupted by the caller */
    RC_STATUS_COUNT
} rc_status;

/* A static, lowercase description of a status ("out of memory"). */
const char *rc_strerror(rc_status code);

/* Details of a failure: a constant-size message and the byte position in
** the input (or line number where the message says so). */
typedef struct rc_error {
    rc_status code;
    size_t byte_pos;
    char msg[512];
} rc_error;

/* The one allocation hook for relcore's own allocations.  Pass NULL to any
** constructor for malloc/realloc/free.  realloc(ctx, NULL, n) allocates;
** free(ctx, NULL) does nothing.  Tests use it to fail the Nth allocation. */
typedef struct rc_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
} rc_allocator;

/* The default allocator (the C library's).  Never NULL. */
const rc_allocator *rc_allocator_default(void);

/* Warnings that do not stop a run (repaired UTF-8, a skipped CSV row) go
** to a callback: one line, lowercase, no trailing newline.  NULL ignores
** them.  Called from the thread that found the problem. */
typedef void (*rc_warn_fn)(void *ctx, const char *msg);

/* A span of bytes. */
typedef struct rc_span {
    uint32_t start, end;
} rc_span;

/* MARK: - UTF-8 ----------------------------------------------------------- */

/* Replace every byte that is not part of valid UTF-8 in buf[0..len) by '?',
** in place, so that offsets never move.  Returns the number of bytes
** replaced and, when that is not 0, the offset of the first in *first_bad. */
size_t rc_utf8_repair(char *buf, size_t len, size_t *first_bad);

/* Length of the UTF-8 sequence starting at s (1..4), assuming valid UTF-8,
** and the code point it encodes in *cp.  s[0..n) must hold at least one
** byte; a truncated sequence decodes as one byte. */
int rc_utf8_decode(const char *s, size_t n, int32_t *cp);

/* Number of code points in s[0..len) (for byte-to-character offsets). */
size_t rc_utf8_count(const char *s, size_t len);

/* MARK: - Tokens ---------------------------------------------------------- */

typedef enum rc_token_kind {
    RC_TOK_WORD = 0,
    RC_TOK_NUMBER,
    RC_TOK_PUNCT,
    RC_TOK_SYMBOL,
    RC_TOK_URL,
    RC_TOK_EMAIL,
    RC_TOK_HANDLE,
    RC_TOK_HASHTAG,
    RC_TOK_KIND_COUNT
} rc_token_kind;

/* Static name of a kind: "word", "number", ... */
const char *rc_token_kind_name(rc_token_kind kind);

/* Token flags, set by the tokenizer. */
#define RC_TF_UPPER_INITIAL 0x01u /* first letter is uppercase (Unicode) */
#define RC_TF_ALL_UPPER 0x02u     /* has a letter and no lowercase letter */
#define RC_TF_HYPHENATED 0x04u    /* a word with an inner hyphen */
#define RC_TF_ABBREV 0x08u        /* ends in a full stop that belongs to it */
#define RC_TF_LINE_JOINED 0x10u   /* hyphen + line break inside the token */
#define RC_TF_NEWLINE_BEFORE 0x20u /* a line break between it and the previous token */
#define RC_TF_BLANKLINE_BEFORE 0x40u /* a blank line between it and the previous token */

typedef struct rc_token {
    uint32_t start, end; /* bytes of the original text */
    uint8_t kind;        /* rc_token_kind */
    uint8_t flags;       /* RC_TF_* */
} rc_token;

/* A growable array of tokens.  Zero-initialise, or rc_tokens_init. */
typedef struct rc_tokens {
    rc_token *v;
    size_t n, cap;
    const rc_allocator *alc;
} rc_tokens;

void rc_tokens_init(rc_tokens *t, const rc_allocator *alc);
void rc_tokens_free(rc_tokens *t); /* frees v, keeps alc, zeroes n/cap */

/* Tokenize text[0..len) and APPEND its tokens to out (offsets relative to
** text + base, i.e. token.start = base + offset in text).  Whitespace makes
** no token.  The rules (abbreviations, possessives, dash compounds,
** hyphenated words, numbers and currency, URLs, e-mail, handles, hashtags,
** hyphen + line break rejoining) are described in rc_token.c.
** On RC_ENOMEM out holds the tokens appended so far. */
rc_status rc_tokenize(const char *text, size_t len, uint32_t base,
                      rc_tokens *out);

/* Normalized form of a token for matching: curly quotes -> ASCII, dashes ->
** '-', soft hyphen/zero-width dropped, the hyphen + line break of a joined
** token dropped.  Writes at most cap bytes to buf, returns the full length
** (like snprintf, without the NUL).  Case is kept. */
size_t rc_token_norm(const char *text, const rc_token *tok, char *buf,
                     size_t cap);

/* MARK: - Sentences and paragraphs --------------------------------------- */

typedef struct rc_sentence {
    uint32_t tok_begin, tok_end; /* token index range [begin, end) */
    uint32_t start, end;         /* bytes: first token start, last token end */
    uint32_t paragraph;          /* paragraph number, from 0 */
} rc_sentence;

typedef struct rc_sentences {
    rc_sentence *v;
    size_t n, cap;
    const rc_allocator *alc;
} rc_sentences;

void rc_sentences_init(rc_sentences *s, const rc_allocator *alc);
void rc_sentences_free(rc_sentences *s);

/* Split toks[0..n) of text into sentences and paragraphs and APPEND them
** to out.  Paragraphs end at a blank line, or at a line break that follows
** sentence-final punctuation (tokens carry RC_TF_NEWLINE_BEFORE and
** RC_TF_BLANKLINE_BEFORE).  Sentences end at . ! ? (with closing quotes
** and brackets), not after abbreviations, initials or inside numbers.
** first_paragraph numbers the first paragraph; the function returns, in
** *next_paragraph, the number to give the next region's first paragraph.
** A region boundary (a new call) is always a paragraph boundary. */
rc_status rc_split_sentences(const char *text, const rc_token *toks,
                             size_t n, uint32_t first_paragraph,
                             uint32_t *next_paragraph, rc_sentences *out);

/* MARK: - Dates ----------------------------------------------------------- */

typedef enum rc_date_precision {
    RC_DATE_NONE = 0,
    RC_DATE_YEAR,
    RC_DATE_MONTH,
    RC_DATE_DAY
} rc_date_precision;

typedef struct rc_date {
    int16_t year;
    uint8_t month; /* 1..12, 0 when unknown */
    uint8_t day;   /* 1..31, 0 when unknown */
    uint8_t precision; /* rc_date_precision */
} rc_date;

/* Parse a whole line (surrounding whitespace allowed) as a date:
** "October 29, 2025 - 19:50", "Oct. 29, 2025", "2025-10-29", "29 October
** 2025", "26-FEB-1987 15:01:01.79", "Wednesday, 29 October 2025", a bare
** year "2024" (1800..2100).  A trailing time is accepted and ignored.
** Returns RC_OK and fills *out, or RC_EPARSE when the line is not a date
** (then *out is {0}).  Calendar-checked (no 31 February). */
rc_status rc_date_parse(const char *s, size_t len, rc_date *out);

/* Format a date as "2025-10-29", "2025-10" or "2025" into buf (at least 11
** bytes).  Returns the length; "" for RC_DATE_NONE. */
size_t rc_date_format(const rc_date *d, char *buf);

/* MARK: - Articles --------------------------------------------------------- */

/* The layout of one plain-text article, found by rc_article_parse.  Text
** regions are the parts that are analysed: the title and the body.  The
** date line, the dateline and trailing boilerplate are not text. */
typedef struct rc_article {
    rc_span title;       /* first non-empty line; {0,0} when none */
    rc_span body;        /* the rest, after the date and dateline, before
                            trailing boilerplate; may be empty */
    rc_span date_line;   /* {0,0} when no date line was found */
    rc_span dateline;    /* e.g. "TEHRAN" or "RIYADH (Reuters)", without
                            the dash; {0,0} when none */
    rc_span boilerplate; /* trailing page furniture; {0,0} when none */
    rc_date date;        /* parsed from date_line */
} rc_article;

/* Find title, date line, dateline, body and trailing boilerplate in
** text[0..len) (see rc_doc.c for the rules).  Never fails: text with no
** structure is all title + body. */
void rc_article_parse(const char *text, size_t len, rc_article *out);

/* Find a dateline ("TEHRAN -", "RIYADH (Reuters) -", "WASHINGTON, Oct 3
** (AP) --") at the start of text[0..len).  Returns the number of bytes it
** covers including the dash and following spaces (0 when there is none)
** and its name span (relative to text) in *name. */
size_t rc_dateline_find(const char *text, size_t len, rc_span *name);

/* MARK: - Documents and sources ------------------------------------------- */

/* One key/value of document metadata (CSV columns other than the chosen). */
typedef struct rc_meta {
    const char *key;
    const char *value;
} rc_meta;

/* A document as read.  All pointers borrow from the rc_source that
** produced it and stay valid until the next rc_source_next or the free. */
typedef struct rc_doc {
    const char *id;    /* NUL-terminated */
    const char *path;  /* the file it came from, NUL-terminated */
    char *text;        /* the document bytes (UTF-8 repaired), NUL-terminated */
    size_t len;
    const char *title; /* CSV title column, or NULL (articles: see parse) */
    const char *date;  /* CSV date column as written, or NULL */
    const rc_meta *meta;
    size_t n_meta;
    int is_article;    /* 1: plain-text article, parse its layout */
} rc_doc;

typedef struct rc_source_opts {
    const char *text_col;  /* default "text" */
    const char *id_col;    /* default "id" */
    const char *title_col; /* default "title" */
    const char *date_col;  /* default "date" */
    const char *const *include; /* NULL-terminated glob lists, or NULL */
    const char *const *exclude;
    rc_warn_fn warn;
    void *warn_ctx;
} rc_source_opts;

typedef struct rc_source rc_source;

/* Open the documents under paths[0..n): files, folders (walked recursively
** in sorted byte order, hidden entries skipped), "-" for standard input.
** Articles are files ending .txt or with no extension; .csv and .tsv hold
** one document a row (matching is case-insensitive).  Document ids follow
** SPEC §3.  A missing path fails here with RC_ENOENT naming it in err. */
rc_status rc_source_new(const char *const *paths, size_t n,
                        const rc_source_opts *opts, const rc_allocator *alc,
                        rc_source **out, rc_error *err);

/* Read the next document into *doc.  Returns RC_OK with a document,
** RC_ENOENT at the end, or an error for a failure that stops the run
** (err says which file).  Bad rows and files that can be skipped are
** skipped with a warning instead. */
rc_status rc_source_next(rc_source *src, rc_doc *doc, rc_error *err);

/* Number of input bytes read so far (for progress and benchmarks). */
uint64_t rc_source_bytes(const rc_source *src);

void rc_source_free(rc_source *src);

#ifdef __cplusplus
}
#endif
#endif /* RELCORE_H */
