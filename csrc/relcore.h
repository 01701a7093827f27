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

/* What a warning is about: problems that do not stop a run.  The input
** is repaired or skipped and nothing else is lost. */
typedef enum rc_warning {
    RC_WARN_UTF8 = 0,   /* invalid UTF-8, replaced by '?' for analysis */
    RC_WARN_NUL,        /* a file with NUL bytes (binary): skipped */
    RC_WARN_EMPTY,      /* an empty file: no document */
    RC_WARN_UNREADABLE, /* a file or folder that cannot be read: skipped */
    RC_WARN_TOO_LARGE,  /* a file over RC_MAX_DOC_BYTES: skipped */
    RC_WARN_CSV_ROW,    /* a CSV row with an unterminated quote: skipped */
    RC_WARN_SAME_ID,    /* ingest: an id stored with other content: both kept */
    RC_WARN_COUNT
} rc_warning;

/* A static, lowercase name of a warning kind ("invalid utf-8"), for
** summaries; "warning" for a value out of range. */
const char *rc_warning_name(rc_warning kind);

/* The status a warning becomes when the caller asks for strictness
** (rc_source_opts.strict): RC_EUTF8, RC_EPARSE, RC_EIO, RC_ELIMIT. */
rc_status rc_warning_status(rc_warning kind);

/* Warnings go to a callback with their kind and a message: one line,
** lowercase, naming the file (and byte offset or line), no trailing
** newline.  NULL ignores them.  Called from the thread that found the
** problem. */
typedef void (*rc_warn_fn)(void *ctx, rc_warning kind, const char *msg);

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
#define RC_TF_ALL_UPPER 0x02u     /* has an uppercase letter and no lowercase one */
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
** On RC_ENOMEM out holds the tokens appended so far; RC_ELIMIT (nothing
** appended) when base + len does not fit 32-bit offsets. */
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
** A region boundary (a new call) is always a paragraph boundary.
** next_paragraph may be NULL.  On RC_ENOMEM out is cut back to what it held
** before the call; RC_ELIMIT past 2^32 tokens. */
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
** 2025", "26-FEB-1987 15:01:01.79", "Wednesday, 29 October 2025",
** "October 2025" and "2025-10" (month precision), a bare year "2024"
** (1800..2100).  A trailing time is accepted and ignored.
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
    int strict; /* non-zero: what would be a warning fails the read
                   instead (rc_source_next returns rc_warning_status of
                   it, err holds the message) */
    volatile int *interrupt; /* or NULL: polled between files and when a
                                read is cut short by a signal; non-zero
                                stops rc_source_next with RC_EINTR */
    const char *const *ids;  /* or NULL: ids[i] is the id of paths[i] (a
                                folder's: the prefix of its files' ids)
                                instead of SPEC §3's, so that a part of a
                                list of files keeps the whole list's ids
                                (relcore.dask) */
} rc_source_opts;

typedef struct rc_source rc_source;

/* Open the documents under paths[0..n): files, folders (walked recursively
** in sorted byte order, hidden entries skipped), "-" for standard input.
** Articles are files ending .txt or with no extension; .csv and .tsv hold
** one document a row (matching is case-insensitive).  Document ids follow
** SPEC §3.  A missing path fails here with RC_ENOENT naming it in err.
** Folders are walked as their files are wanted (a folder's entries when
** the reading reaches it), so that the first documents are read while
** the rest of a tree is still unlisted; a folder that cannot be opened is
** reported then, as the files' problems are. */
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

/* Walk every folder now: rc_source_files then counts every file.  Fails
** as rc_source_next does on a folder that cannot be opened (strict) or
** out of memory; warns of the others. */
rc_status rc_source_list(rc_source *src, rc_error *err);

/* The files a source has listed, in order (folders walked, globs applied;
** all of them after rc_source_list): file i's path and document id (a CSV
** file's: the prefix of its rows'). */
size_t rc_source_files(const rc_source *src);
void rc_source_file(const rc_source *src, size_t i, const char **path, const char **id);

/* MARK: - Result tables ---------------------------------------------------- */

/* Every query answers with an rc_table: named, typed columns filled row by
** row.  The CLI writes tables as CSV/TSV; the Python binding turns their
** columns into lists and DataFrames without a Python object per cell in C.
** Strings are copied into the table's arena. */
typedef enum rc_col_kind { RC_COL_STR = 0, RC_COL_INT, RC_COL_REAL } rc_col_kind;

typedef struct rc_table rc_table;

/* A table with the given column names and kinds (copied). */
rc_status rc_table_new(size_t ncols, const char *const *names,
                       const rc_col_kind *kinds, const rc_allocator *alc,
                       rc_table **out);
void rc_table_free(rc_table *t);

/* Append a value to column col of the current row.  Values must be added
** column by column in order; rc_table_end_row closes the row.  On
** RC_ENOMEM the table keeps its complete rows (the partial row is
** dropped). */
rc_status rc_table_str(rc_table *t, const char *s, size_t len);
rc_status rc_table_int(rc_table *t, int64_t v);
rc_status rc_table_real(rc_table *t, double v);
rc_status rc_table_end_row(rc_table *t);

/* Drop all rows, keep columns and memory (for streaming a table out). */
void rc_table_clear(rc_table *t);

size_t rc_table_rows(const rc_table *t);
size_t rc_table_cols(const rc_table *t);
const char *rc_table_col_name(const rc_table *t, size_t col);
rc_col_kind rc_table_col_kind(const rc_table *t, size_t col);
/* Cell accessors; row < rows, col < cols and the kind must match. */
const char *rc_table_get_str(const rc_table *t, size_t row, size_t col,
                             size_t *len);
int64_t rc_table_get_int(const rc_table *t, size_t row, size_t col);
double rc_table_get_real(const rc_table *t, size_t row, size_t col);
/* The cells of an INT or REAL column as one dense array of rc_table_rows
** values (int64_t or double), for copying a whole column at once; NULL for
** a STR column.  Valid until the table changes or is freed. */
const void *rc_table_numbers(const rc_table *t, size_t col);

/* MARK: - Entity types and rules ------------------------------------------- */

typedef enum rc_etype {
    RC_PERSON = 0,
    RC_ORG,
    RC_GPE,
    RC_LOC,
    RC_NORP,
    RC_MISC,
    RC_ETYPE_COUNT,
    RC_BLOCKED = 0xFF /* user gazetteer type "-": never a mention */
} rc_etype;

const char *rc_etype_name(rc_etype t); /* "PERSON", ..., "-" */
/* Parse a type name ("GPE", "gpe", "-"); returns RC_EINVAL if unknown. */
rc_status rc_etype_parse(const char *s, size_t len, rc_etype *out);

/* Which rule produced a mention (the `rule` column). */
typedef enum rc_rule {
    RC_RULE_GAZETTEER = 0, /* an alias of the built-in gazetteer */
    RC_RULE_DEMONYM,       /* a nationality word: a mention of its country */
    RC_RULE_USER,          /* an alias of the user gazetteer */
    RC_RULE_TITLE,         /* a proper name after a title or honorific */
    RC_RULE_NAME,          /* a run of capitalised words (typed by its words) */
    RC_RULE_ACRONYM,       /* an acronym defined in the same document */
    RC_RULE_ALIAS,         /* a short form of a full name in the document */
    RC_RULE_MODEL,         /* a name found by the learned tagger */
    RC_RULE_COUNT
} rc_rule;

const char *rc_rule_name(rc_rule r);

/* MARK: - Gazetteer -------------------------------------------------------- */

/* An entity dictionary: aliases mapped to entities (canonical name, type,
** country), built from the built-in table compiled into the core and from
** user files.  Build it, then rc_gazetteer_freeze; a frozen gazetteer is
** read-only and may be shared by threads. */
typedef struct rc_gazetteer rc_gazetteer;

/* A new gazetteer, holding the built-in table when builtin is non-zero. */
rc_status rc_gazetteer_new(int builtin, const rc_allocator *alc,
                           rc_gazetteer **out, rc_error *err);
void rc_gazetteer_free(rc_gazetteer *g);

/* Add rows from a user gazetteer: CSV or TSV (by the header line's
** delimiter) with columns alias, canonical, type, country (any order;
** extra columns ignored; lines starting with '#' are comments).  A row
** adds an entity, an alias of an existing one, changes the type of an
** entity, or (type "-") blocks the alias.  name labels messages.
** RC_EPARSE with the line number in err->byte_pos and err->msg on a
** malformed row; then no row of this file is kept. */
rc_status rc_gazetteer_load(rc_gazetteer *g, const char *data, size_t len,
                            const char *name, rc_error *err);

/* Build the match index.  After this, no more loads. */
rc_status rc_gazetteer_freeze(rc_gazetteer *g, rc_error *err);

/* The effective table, one row per alias: alias, canonical, type, country,
** sorted by canonical then alias. */
rc_status rc_gazetteer_table(const rc_gazetteer *g, rc_table **out);

/* A hash (hex, 16 chars + NUL) of the effective table and the rule word
** lists, for the store. */
void rc_gazetteer_hash(const rc_gazetteer *g, char out[17]);

/* MARK: - Analysis of documents -------------------------------------------- */

/* A mention of an entity in a document. */
typedef struct rc_mention {
    uint32_t start, end;   /* bytes of the document text */
    uint32_t cstart, cend; /* the same in characters (code points) */
    uint32_t tok;          /* index of its first token */
    uint32_t sentence;     /* sentence index in the document */
    uint32_t paragraph;    /* paragraph index in the document */
    uint32_t entity;       /* id in the corpus's entity table */
    uint32_t country;      /* country the text attributes to this mention
                              (packed ISO code, 0 = none said) */
    uint8_t type;          /* rc_etype of this mention (NORP for demonyms) */
    uint8_t rule;          /* rc_rule */
} rc_mention;

/* MARK: - Learned entity tagger ---------------------------------------------- */

/* A statistical sequence tagger (averaged perceptron over hashed sparse
** features, greedy BILOU decoding; rc_tagger.c) that proposes names and
** their types to the recognizer.  A model is a read-only view of a model
** file's bytes (format: rc_tagger.h and README), shareable by threads.
** One model is compiled into the core and is the default. */
typedef struct rc_tagger rc_tagger;

/* Open a model over data[0..len), which is borrowed and must outlive it
** (4-byte aligned, as malloc and the built-in model are).  RC_EVERSION with
** a message naming both versions for a file of another format version;
** RC_EPARSE for a file that is not a model or is truncated.  The bytes are
** checked, not copied; opening sums the rows of the features with few
** values into 50 KB of tables (about 2,000 look-ups) and hashes the bytes
** of a model other than the built-in one (about 1 ms for 5 MB). */
rc_status rc_tagger_open(const void *data, size_t len, const rc_allocator *alc,
                         rc_tagger **out, rc_error *err);
/* The model compiled into the core. */
rc_status rc_tagger_builtin(const rc_allocator *alc, rc_tagger **out,
                            rc_error *err);
void rc_tagger_free(rc_tagger *m);
/* Size of the model's bytes. */
size_t rc_tagger_size(const rc_tagger *m);
/* A hash (hex, 16 chars + NUL) of the model's bytes, for the store. */
void rc_tagger_hash(const rc_tagger *m, char out[17]);
/* The same for the built-in model (the active one unless a caller opened
** another), without opening it. */
void rc_model_hash(char out[17]);

/* Which recognizer finds names the gazetteer does not know. */
typedef enum rc_ner_mode {
    RC_NER_MODEL = 0, /* the learned tagger, then the rules' stages 3-4 */
    RC_NER_RULES      /* the rule recognizer only */
} rc_ner_mode;

/* Parse "model" or "rules"; RC_EINVAL with a message otherwise. */
rc_status rc_ner_mode_parse(const char *s, rc_ner_mode *out, rc_error *err);

/* Training options; zero-initialise for the defaults. */
typedef struct rc_train_opts {
    unsigned epochs;  /* passes over the training data (0: 12) */
    uint64_t seed;    /* shuffling seed (0: a fixed default) */
    void (*progress)(void *ctx, const char *line); /* one line per epoch (dev
                                                     scores), or NULL */
    void *progress_ctx;
} rc_train_opts;

/* Train a model on CoNLL-format text train[0..len) (token ... tag per line,
** IOB1 or IOB2 tags over PER, ORG, LOC, MISC; blank lines between sentences,
** -DOCSTART- between documents), with the built-in gazetteer's matches as
** features.  With dev (may be NULL), each epoch is scored on it and the
** model of the best epoch is kept; without, the last.  Deterministic: the
** same data, options and seed give the same bytes.  *model (malloc'd
** through alc; the caller frees it with the same allocator) gets the model
** file's bytes.  RC_EPARSE with the line in err on malformed input. */
rc_status rc_tagger_train(const char *train, size_t len, const char *dev,
                          size_t dev_len, const rc_train_opts *opts,
                          const rc_allocator *alc, unsigned char **model,
                          size_t *model_len, rc_error *err);

/* opts.keep_terms of a corpus only term queries will read. */
#define RC_TERMS_ONLY 2

/* Options of an analysis (NULL for defaults). */
typedef struct rc_analysis_opts {
    rc_warn_fn warn;
    void *warn_ctx;
    volatile int *interrupt; /* polled between documents; non-zero stops
                                the run with RC_EINTR */
    int keep_terms;          /* keep every word as a term, for queries with
                                `terms` (a corpus's choice: made before its
                                first document); RC_TERMS_ONLY: keep them
                                and skip the recognizer, a corpus for term
                                queries only (it has no mentions) */
    size_t threads;          /* rc_corpus_add_source: analysing threads (0:
                                one per core); the corpus is the same for
                                any number.  With more than one, the
                                allocator must be thread-safe. */
    rc_ner_mode ner;         /* default RC_NER_MODEL */
    const rc_tagger *tagger; /* the model (borrowed), NULL: the built-in */
    int lean;                /* 0: keep everything.  Else keep only what
                                counts need (count, cooccur, matrix,
                                timeline) with contexts of kind
                                lean - 1 (an rc_context): per mention its
                                entity and the one position that kind
                                needs (sentence, paragraph, token; none
                                for documents): 4 or 8 bytes, written in
                                1 MB blocks to an unlinked temporary file
                                under $TMPDIR (default /tmp), so memory
                                holds one block; RC_EIO (err says why)
                                when it cannot be made or written; the
                                document records (dates, sizes, metadata)
                                likewise.  No text, no spans, no document
                                ids.  Evidence
                                (kwic, mentions), packing, unpacking and
                                queries with another kind of context
                                refuse a lean corpus (RC_EINVAL). */
    int term_tallies;        /* with keep_terms RC_TERMS_ONLY: keep of the
                                terms only their tallies (occurrences and
                                documents per term), no occurrence at all:
                                a corpus for term counts with no date
                                bounds (rc_corpus_count); other term
                                queries refuse it (RC_EINVAL) */
} rc_analysis_opts;

/* A corpus analysed once: per document its id, date, metadata, sentences
** and mentions, and the corpus-wide entity table.  The text itself is not
** kept, only the sentences that hold a mention (and with opts.lean not
** even those).  Queries (counts, co-occurrence) run over it any number of times.
** Not thread-safe while documents are added; read-only queries may run
** concurrently. */
typedef struct rc_corpus rc_corpus;

/* A new, empty corpus over a frozen gazetteer (borrowed: it must outlive
** the corpus). */
rc_status rc_corpus_new(const rc_gazetteer *g, const rc_analysis_opts *opts,
                        const rc_allocator *alc, rc_corpus **out);
void rc_corpus_free(rc_corpus *c);

/* Analyse one document and add it.  The doc's buffers are only borrowed
** during the call.  On failure the corpus is unchanged. */
rc_status rc_corpus_add(rc_corpus *c, const rc_doc *doc, rc_error *err);

/* Analyse every document of a source (on opts.threads threads).  Stops at
** the first hard error or interrupt (documents added so far stay). */
rc_status rc_corpus_add_source(rc_corpus *c, rc_source *src, rc_error *err);

/* Progress of rc_corpus_add_source_progress: called on the calling thread
** with the documents added so far; a non-zero return stops the run
** (RC_EINTR, the documents added so far stay). */
typedef int (*rc_progress_fn)(void *ctx, size_t documents);

/* rc_corpus_add_source, calling fn (when not NULL) as documents are added:
** after each one on one thread, after each chunk on several. */
rc_status rc_corpus_add_source_progress(rc_corpus *c, rc_source *src, rc_progress_fn fn,
                                        void *ctx, rc_error *err);

/* Analyse n documents held in memory and add them, on opts.threads threads,
** as rc_corpus_add would one after another: the corpus is the same for any
** thread count.  The documents (texts valid UTF-8, as rc_corpus_add
** expects) are borrowed for the call.  fn as for
** rc_corpus_add_source_progress; stops at the first hard error or
** interrupt (the documents added so far stay). */
rc_status rc_corpus_add_docs(rc_corpus *c, const rc_doc *docs, size_t n, rc_progress_fn fn,
                             void *ctx, rc_error *err);

/* Free the working memory of c's analysis, which its longest document
** and the learned tagger's word cache (1.5 MB) grew; adding documents
** later makes it again.  For a corpus kept after it is loaded. */
void rc_corpus_trim(rc_corpus *c);

size_t rc_corpus_docs(const rc_corpus *c);

/* A corpus's analysis as bytes (malloc'd; the caller frees), and back:
** unpacking appends the packed documents to c exactly as if c had analysed
** them after its own (for Dask: partitions analyse apart, the parts are
** joined in order).  Both corpora need the same gazetteer and keep_terms;
** a foreign, damaged or truncated buffer is refused and c left as it was
** (its entity table may have grown). */
rc_status rc_corpus_pack(const rc_corpus *c, unsigned char **out, size_t *len);
rc_status rc_corpus_unpack(rc_corpus *c, const unsigned char *data, size_t len,
                           rc_error *err);

/* The analysis of a single text (no article layout): tokens, sentences and
** mentions, for the tokens/sentences/entities tables of one document.
** Reused across documents to keep allocations down. */
typedef struct rc_docres rc_docres;

rc_status rc_docres_new(const rc_gazetteer *g, const rc_allocator *alc,
                        rc_docres **out);
void rc_docres_free(rc_docres *r);

/* Choose the recognizer of later analyses (default: the built-in model).
** tagger is borrowed (NULL: the built-in).  RC_ENOMEM leaves r as it was. */
rc_status rc_docres_set_ner(rc_docres *r, rc_ner_mode mode,
                            const rc_tagger *tagger);

/* Analyse doc into r (replacing what r held).  doc->text must stay valid
** while r's tables are built from it. */
rc_status rc_docres_analyse(rc_docres *r, const rc_doc *doc);
/* The same up to the recognizer: layout, tokens and sentences, no
** mentions (enough for rc_docres_tokens and rc_docres_sentences). */
rc_status rc_docres_layout(rc_docres *r, const rc_doc *doc);

/* Append this document's rows to a table made by rc_*_table_new below. */
rc_status rc_docres_tokens(const rc_docres *r, const rc_doc *doc,
                           int char_offsets, rc_table *t);
rc_status rc_docres_sentences(const rc_docres *r, const rc_doc *doc,
                              int char_offsets, rc_table *t);
rc_status rc_docres_mentions(const rc_docres *r, const rc_doc *doc,
                             int char_offsets, rc_table *t);
rc_status rc_tokens_table_new(const rc_allocator *alc, rc_table **out);
rc_status rc_sentences_table_new(const rc_allocator *alc, rc_table **out);
rc_status rc_mentions_table_new(const rc_allocator *alc, rc_table **out);

/* MARK: - Queries ----------------------------------------------------------- */

typedef enum rc_context {
    RC_CTX_SENTENCE = 0, RC_CTX_PARAGRAPH, RC_CTX_DOCUMENT, RC_CTX_WINDOW
} rc_context;
typedef enum rc_count_mode {
    RC_COUNT_BOOLEAN = 0, /* contexts holding both (windows: documents) */
    RC_COUNT_FREQUENCY,   /* pairs of mentions */
    RC_COUNT_WEIGHTED     /* windows: each pair adds 1 / distance */
} rc_count_mode;
typedef enum rc_level { RC_LEVEL_ENTITY = 0, RC_LEVEL_COUNTRY } rc_level;
typedef enum rc_sort {
    RC_SORT_COUNT = 0, RC_SORT_PMI, RC_SORT_NPMI, RC_SORT_LLR, RC_SORT_DICE,
    RC_SORT_JACCARD
} rc_sort;

typedef enum rc_period {
    RC_BY_MONTH = 0, RC_BY_DAY, RC_BY_WEEK, RC_BY_YEAR
} rc_period;

/* Options shared by the queries; zero-initialise for the defaults. */
typedef struct rc_query {
    rc_context context;
    uint32_t window;       /* N of window:N (tokens) */
    rc_count_mode count;
    int directed;          /* ordered pairs: source before target */
    rc_period by;          /* timeline periods */
    rc_date since, until;  /* only documents dated in [since, until]
                              (RC_DATE_NONE: no bound) */
    int grouped;           /* count: one table per group (set by "by" or
                              "by-meta") */
    const char *by_meta;   /* count: group by this metadata column */
    const char *source_col; /* cooccur: edges from this metadata column's
                               value to each entity a document mentions */
    rc_level level;
    rc_sort sort;
    unsigned types;        /* bit (1 << rc_etype) per kept type; 0 = all */
    uint64_t min_count;    /* rows with a smaller main count are dropped */
    uint64_t top;          /* 0 = all rows */
    const char *const *entities; /* NULL-terminated names (--entity), or NULL */
    int terms;             /* count lower-cased words, not entities (the
                              corpus must keep terms) */
    const char *stopwords; /* with terms: a file of stop words (one a line;
                              empty: none); NULL: the built-in English list */
} rc_query;

/* Set one query option from its command-line name and value, as both the
** CLI and the Python binding spell them: "context" (sentence|paragraph|
** document|window:N), "count" (boolean|frequency|weighted; weighted only
** with a window), "directed" (a flag: "1"/"true"), "by" (day|week|month|
** year),
** "level" (entity|country), "sort" (count|pmi|npmi|llr|dice|jaccard),
** "types" (comma-separated type names), "min-count", "top" (whole
** numbers).  RC_EINVAL with a message naming the option and the values it
** takes; RC_ENOENT for an unknown name.  q is unchanged on failure. */
rc_status rc_query_set(rc_query *q, const char *name, const char *value,
                       rc_error *err);

/* Counts per entity: entity,type,country,mentions,documents; grouped
** (q->grouped) by period or by q->by_meta, with the group first (its
** column named "period", or after the metadata column).  Unknown
** names in q->entities fail with RC_ENOENT (err names them). */
rc_status rc_corpus_count(const rc_corpus *c, const rc_query *q,
                          rc_table **out, rc_error *err);

/* Co-occurrence pairs with measures:
** source,target,count,source_type,target_type,pmi,npmi,llr,dice,jaccard. */
rc_status rc_corpus_cooccur(const rc_corpus *c, const rc_query *q,
                            rc_table **out, rc_error *err);

/* The evidence: every sentence holding the first entity of q->entities
** (and the second, when there is one), as doc,sentence,start,end,source,
** target,text,source_spans,target_spans.  The spans list each mention's
** offsets as "start-end" joined by ";".  Offsets are bytes, or characters
** when char_offsets is set.  RC_EINVAL unless q names one or two entities. */
rc_status rc_corpus_kwic(const rc_corpus *c, const rc_query *q,
                         int char_offsets, rc_table **out, rc_error *err);

/* Counts over time, by q->by periods of the documents' dates (ISO weeks
** `2025-W44`; a document without a date, or with a date coarser than the
** period, is in the period `undated`).  With no or one q->entities:
** period,entity,mentions,documents,share (share: of the period's
** documents).  With two: period,source,target,count (contexts holding
** both, q->context).  Periods ascend, `undated` last. */
rc_status rc_corpus_timeline(const rc_corpus *c, const rc_query *q,
                             rc_table **out, rc_error *err);

/* One row a mention of every document (as rc_docres_mentions). */
rc_status rc_corpus_mentions(const rc_corpus *c, int char_offsets,
                             rc_table **out);

/* MARK: - A corpus in parts (relcore.dask) ------------------------------------ */

/* A corpus analysed in parts on several machines, queried without
** bringing the parts together: the parts' corpus-wide tallies (entities,
** mentions, country votes, terms) are summed into one corpus of no
** documents, `whole`; each part counts a query against whole, so that
** every part has the same keys (rc_corpus_part_counts); the parts' counts
** are summed (rc_part_counts_sum) and the table made once from the sum
** (rc_corpus_part_table).  The table is exactly the one of the corpus of
** every part's documents in order.  Counts and tallies travel as bytes
** (malloc'd; the caller frees); a foreign or damaged buffer is refused. */
rc_status rc_corpus_pack_tallies(const rc_corpus *c, unsigned char **out, size_t *len);
/* Add packed tallies to c's (c's entity and term tables grow). */
rc_status rc_corpus_unpack_tallies(rc_corpus *c, const unsigned char *data, size_t len,
                                   rc_error *err);

typedef enum {
    RC_PART_COUNT,   /* rc_corpus_count's table, grouped or not */
    RC_PART_COOCCUR, /* rc_corpus_cooccur's */
    RC_PART_TIMELINE /* rc_corpus_timeline's */
} rc_part_query;

rc_status rc_corpus_part_counts(const rc_corpus *part, const rc_corpus *whole,
                                rc_part_query what, const rc_query *q, unsigned char **out,
                                size_t *len, rc_error *err);
rc_status rc_part_counts_sum(const unsigned char *const *counts, const size_t *lens, size_t n,
                             unsigned char **out, size_t *len, rc_error *err);
rc_status rc_corpus_part_table(const rc_corpus *whole, rc_part_query what, const rc_query *q,
                               const unsigned char *counts, size_t len, rc_table **out,
                               rc_error *err);
/* The kwic rows of part's documents, names resolved and folded as in
** whole (rc_corpus_kwic's table; the parts' tables in order are the whole
** corpus's). */
rc_status rc_corpus_part_kwic(const rc_corpus *part, const rc_corpus *whole, const rc_query *q,
                              int char_offsets, rc_table **out, rc_error *err);
/* The mentions of part's documents, entities folded and typed as in whole
** (rc_corpus_mentions's table). */
rc_status rc_corpus_part_mentions(const rc_corpus *part, const rc_corpus *whole,
                                  int char_offsets, rc_table **out, rc_error *err);

/* MARK: - Store ------------------------------------------------------------- */

/* A relcore database (SQLite): documents and their analysis, kept for
** later queries (SPEC §9; the schema is in rc_store.c and the README). */
typedef struct rc_store rc_store;

typedef struct rc_store_opts {
    int replace;      /* same id, other content: supersede the stored one */
    int terms;        /* a new database keeps term occurrences (--terms) */
    rc_warn_fn warn;  /* one message a warning (may be NULL) */
    void *warn_ctx;
    volatile int *interrupt; /* polled between documents */
    int strict;       /* a warning fails the ingest instead */
    rc_ner_mode ner;  /* the recognizer of the analyses (default the model) */
    const rc_tagger *tagger; /* its model (borrowed), NULL: the built-in */
} rc_store_opts;

/* Open (writable: create when missing) the database at path for analyses
** with gazetteer g (borrowed).  Refused with a message: a file that is not
** a relcore database, or one of another schema version. */
rc_status rc_store_open(const char *path, int writable, const rc_gazetteer *g,
                        rc_store **out, rc_error *err);
void rc_store_close(rc_store *s);
/* Whether the database keeps terms. */
int rc_store_keeps_terms(const rc_store *s);
/* RC_EINVAL (with what to do) when the stored entities came from another
** gazetteer than the store's g, or from another recognizer or model than
** ner and tagger (NULL: the built-in model). */
rc_status rc_store_check_gazetteer(rc_store *s, rc_ner_mode ner, const rc_tagger *tagger,
                                   rc_error *err);

/* Add every document of src: one whose text is stored already is
** skipped; an id stored with other content is kept twice (a warning) or,
** with opts->replace, superseded.  *report: doc,path,status (added,
** skipped, replaced, "added (same id)").  Documents are committed in
** batches; an interrupted or killed ingest keeps whole documents only. */
rc_status rc_store_ingest(rc_store *s, rc_source *src, const rc_store_opts *opts,
                          rc_table **report, rc_error *err);
/* Re-derive the entities of every stored document with the store's
** gazetteer (from the stored text), and record that gazetteer. */
rc_status rc_store_reprocess(rc_store *s, const rc_store_opts *opts, rc_error *err);
/* Add the documents of the database at path (made with the same
** gazetteer) as an ingest of them would; *report as for ingest. */
rc_status rc_store_merge(rc_store *s, const char *path, const rc_store_opts *opts,
                         rc_table **report, rc_error *err);
/* Fill an empty corpus (made with s's gazetteer) with the stored
** analysis; with the corpus's keep_terms, the stored terms too.  Refused
** when the corpus's recognizer or model is not the one the store used. */
rc_status rc_store_load(rc_store *s, rc_corpus *c, rc_error *err);

/* One row a document, in the order added: doc,date,dateline,sentences,
** paragraphs,tokens,mentions (date as "2025-10-29", "2025-10", "2025" or
** ""). */
rc_status rc_corpus_documents(const rc_corpus *c, rc_table **out);

/* The documents' metadata, one row a value: doc,key,value (the document's
** place in rc_corpus_documents, then the metadata in its order). */
rc_status rc_corpus_metadata(const rc_corpus *c, rc_table **out);

/* MARK: - Measures ------------------------------------------------------------ */

/* Association measures from the 2x2 table of contexts (SPEC §6):
** n contexts, ca and cb holding a and b, cab holding both. */
typedef struct rc_measures {
    double pmi, npmi, llr, dice, jaccard;
} rc_measures;

void rc_measures_compute(uint64_t n, uint64_t ca, uint64_t cb, uint64_t cab,
                         rc_measures *out);

/* MARK: - Command line -------------------------------------------------------- */

/* The relcore command-line tool: argv as main receives it (argv[0] is the
** program name).  Writes tables to out, messages to err.  Returns the exit
** status (0 ok, 1 run-time failure, 2 usage).  Used by the standalone
** binary and by the Python console script alike.  interrupt, if not NULL,
** is polled to stop with status 130. */
int rc_cli_main(int argc, char **argv, void *out_file, void *err_file,
                volatile int *interrupt);

/* Set up the heap of a process that runs relcore and little else (the
** standalone binary, bench/bench_core): freed memory kept, the heap on
** transparent huge pages, one malloc arena (rc_heap.c).  Call it first
** in main.  The library never calls it, and a program that hosts relcore
** among other work (the Python module's) should not.  glibc only;
** elsewhere it does nothing. */
void rc_heap_tune(void);

#ifdef __cplusplus
}
#endif
#endif /* RELCORE_H */
