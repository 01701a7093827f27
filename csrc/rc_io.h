/*
** rc_io.h -- CSV and TSV through libcsv (rc_csvio.c): the table writer the
** CLI uses for every output, and the streaming reader of CSV documents the
** source uses; the batch reader of article files (rc_filebatch.c).
** Private to the core and its adapters.
*/
#ifndef RC_IO_H
#define RC_IO_H

#include <stdio.h>

#include "relcore.h"

/* MARK: - Writing ------------------------------------------------------------ */

typedef struct rc_csv_writer rc_csv_writer;

/* A writer of delimited rows to fp (caller-owned, binary mode).  delim is
** ',' or '\t'.  A field is quoted only when it must be (it holds the
** delimiter, a quote, CR or LF, starts or ends with a space or tab, or
** starts with a byte-order mark), as libcsv's csv_fwrite quotes.  Rows
** are buffered by the writer: write nothing else to fp until
** rc_csv_writer_finish, which hands them all to fp and flushes it.  The
** field and row calls return RC_EIO once a write has failed (seen when
** the buffer fills, or at finish), RC_ENOMEM when the first of them
** cannot get the buffer (64 KB). */
rc_status rc_csv_writer_new(FILE *fp, char delim, const rc_allocator *alc,
                            rc_csv_writer **out);
rc_status rc_csv_field(rc_csv_writer *w, const char *s, size_t len);
rc_status rc_csv_field_int(rc_csv_writer *w, int64_t v);
rc_status rc_csv_field_double(rc_csv_writer *w, double v); /* %.9g */
rc_status rc_csv_row_end(rc_csv_writer *w);
/* Write out what the writer holds and flush fp; RC_EIO if any write
** failed (a full disk, a closed pipe).  Call it before freeing the writer:
** rc_csv_writer_free drops what was not written out. */
rc_status rc_csv_writer_finish(rc_csv_writer *w);
void rc_csv_writer_free(rc_csv_writer *w);

/* MARK: - Reading files in batches (rc_filebatch.c) ------------------------------ */

/* Files a batch holds at most. */
#define RC_FILE_BATCH 64

typedef struct rc_file_batch rc_file_batch;

/* A reader of up to RC_FILE_BATCH regular files at a time through
** io_uring.  RC_ENOENT when this system has no io_uring fit for it (read
** file by file then), RC_ENOMEM. */
rc_status rc_file_batch_new(const rc_allocator *alc, rc_file_batch **out);
void rc_file_batch_free(rc_file_batch *b);

/* Open, read and close paths[0..n) (n <= RC_FILE_BATCH, regular files),
** all with one system call; the outcomes stay until the next batch.
** RC_EIO when the ring itself failed (not a file): free the batch and
** read file by file. */
rc_status rc_file_batch_read(rc_file_batch *b, const char *const *paths, size_t n);

/* File k of the last batch: 0 with its first bytes in *bytes[0..*len) and
** *more set when the file may go on past them (read the rest from offset
** *len), or -errno when it could not be opened or read. */
int rc_file_batch_get(const rc_file_batch *b, size_t k, const char **bytes, size_t *len,
                      int *more);

/* MARK: - Graphs and JSON ------------------------------------------------------ */

/* A co-occurrence network from the cooccur table (edges) and the count
** table (node facts; nodes are the edges' endpoints): GraphML, GEXF 1.2 (for
** Gephi), or networkx node-link JSON ("nodes" and "links").  RC_EIO when a
** write failed, RC_ENOMEM. */
rc_status rc_write_graphml(FILE *fp, const rc_table *nodes, const rc_table *edges,
                           int directed);
rc_status rc_write_gexf(FILE *fp, const rc_table *nodes, const rc_table *edges,
                        int directed);
rc_status rc_write_node_link(FILE *fp, const rc_table *nodes, const rc_table *edges,
                             int directed);
/* The cooccur table as a wide matrix: a header `entity,NAME...` and one row
** per entity (names sorted), cells the count column (symmetric unless
** directed: rows are sources).  RC_ELIMIT (err says how to narrow it) past
** max_labels names.  With json set the matrix goes there instead, as
** {"columns": [...], "index": [...], "data": [[...], ...]} (pandas'
** orient="split"). */
rc_status rc_write_matrix(rc_csv_writer *w, FILE *json, const rc_table *edges,
                          int directed, size_t max_labels, rc_error *err);

/* Any table as JSON Lines: one object a row, keys the column names. */
rc_status rc_write_jsonl(FILE *fp, const rc_table *t);

/* MARK: - Reading documents ---------------------------------------------------- */

/* A CSV/TSV file of documents, one a row, streamed from the file in
** blocks (memory does not grow with the file).  Columns are chosen by
** name; the others become metadata. */
typedef struct rc_csv_docs rc_csv_docs;

/* Read the open, seekable stream fp (the reader owns it from here, and
** closes it, also on failure) and parse its header; `path` (borrowed, it
** must outlive the reader) names it in messages and ids.  Invalid UTF-8
** is repaired as rc_utf8_repair would repair the whole file.  With
** segments set (rc_csv_docs_part follows) it parses only up to the first
** row boundary after the header.  RC_ENOENT, naming the file and column,
** when the text column is missing: then no row was parsed (nor warned of). */
rc_status rc_csv_docs_new(FILE *fp, const char *path,
                          const rc_source_opts *opts, int segments,
                          const rc_allocator *alc, rc_csv_docs **out, rc_error *err);
/* The next row as a document (borrowing from the reader until the next
** call).  RC_ENOENT at the end.  A row with an unterminated quote is
** skipped with a warning (RC_WARN_CSV_ROW) naming the line it began on;
** with opts->strict rc_csv_docs_new fails on it instead (RC_EPARSE). */
rc_status rc_csv_docs_next(rc_csv_docs *r, rc_doc *doc, rc_error *err);
void rc_csv_docs_free(rc_csv_docs *r);

/* MARK: - Reading documents on several threads ---------------------------------- */

/* The columns of a CSV file (shared by its reader and its segments). */
typedef struct rc_csv_layout rc_csv_layout;

/* Whole rows of a CSV file, raw (not yet UTF-8 repaired nor parsed), for
** a worker thread to turn into documents: the reading thread only finds
** where rows end.  `bytes` is owned (reused: clear keeps it). */
typedef struct rc_csv_segment {
    char *bytes;
    size_t len, cap;
    size_t first_index; /* the id index of its first row */
    int drop_open;      /* it ends inside an unterminated quoted field:
                        ** that row is lost (the reader warned) */
    int more;           /* more rows of the file follow (it is as large as
                        ** asked, or as the end of the file allows) */
    rc_csv_layout *layout; /* a reference, NULL when clear */
} rc_csv_segment;

/* The next part of a CSV file: a document (*is_seg 0, as
** rc_csv_docs_next), or, with seg not NULL, a segment of whole rows of
** about max bytes, less near the end of the file (*is_seg 1).  Documents come first, up to the first row
** boundary after the rows the reader had already parsed; then segments
** only.  RC_ENOENT at the end.  The rows' ids and warnings are those
** rc_csv_docs_next would give. */
rc_status rc_csv_docs_part(rc_csv_docs *r, size_t max, rc_doc *doc, rc_csv_segment *seg,
                           int *is_seg, rc_error *err);

/* A document of a segment, borrowed for the call; a failure stops. */
typedef rc_status (*rc_doc_fn)(void *ctx, const rc_doc *doc);

/* Repair and parse seg (its bytes are changed), calling fn with each row
** as a document, in order.  Thread-safe for distinct segments. */
rc_status rc_csv_segment_docs(rc_csv_segment *seg, rc_doc_fn fn, void *ctx);
/* Drop seg's rows and layout reference, keeping its buffer. */
void rc_csv_segment_clear(rc_csv_segment *seg);
void rc_csv_segment_free(rc_csv_segment *seg);

/* Bytes that documents are read into, one after another: v[0..len) in
** use, cap allocated (malloc'd; the owner frees v). */
typedef struct rc_text_arena {
    char *v;
    size_t len, cap;
} rc_text_arena;

/* rc_source_next for the thread pool: a CSV file comes as segments (see
** rc_csv_docs_part); other files as documents.  An article file is read
** straight into `into` (grown as needed), after its bytes in use: the
** document's text is into->v + the old into->len, NUL-terminated, and
** into->len is past it; its id and path are the source's own, kept until
** rc_source_free.  On anything but RC_OK into->len is as it was. */
rc_status rc_source_next_part(rc_source *src, size_t max, rc_text_arena *into, rc_doc *doc,
                              rc_csv_segment *seg, int *is_seg, rc_error *err);

#endif /* RC_IO_H */
