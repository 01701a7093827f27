/*
** rc_store.c -- the SQLite store (SPEC §9): a growing corpus kept on disk,
** answering every query as the text files would.
**
** What is stored: per document its id, source path, title, date, dateline,
** metadata, text, content hash (XXH3-128 of the text as read) and sizes,
** and its analysis as rc_corpus keeps it: mentions (offsets, entity, type,
** country, rule, surface text), sentences (offsets; text when they hold a
** mention) and, when the database keeps terms, its term occurrences (a
** packed blob).  Entities and terms are tables of their own.  A query
** loads these records into an rc_corpus (rc_store_load) and runs the same
** query code as a file-based run; nothing is re-analysed.
**
** Invariants:
**   - `PRAGMA application_id` is RC_STORE_APP_ID and `PRAGMA user_version`
**     the schema version; anything else is refused.
**   - Every document's rows are written in one transaction with the
**     document itself, so a killed ingest leaves whole documents only (WAL,
**     synchronous=NORMAL); running it again skips what is there (same
**     hash) and adds the rest.
**   - meta('gazetteer') is the hash of the gazetteer every stored
**     analysis came from, meta('model') the recognizer's ("rules", or the
**     tagger model's hash); a store used with others is refused unless the
**     caller re-derives (rc_store_reprocess).
**   - Content hashes are unique: a text is stored once.
*/
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <xxhash.h>

#include "rc_corpus.h"

#define RC_STORE_APP_ID 0x72636f72 /* "rcor" */
#define RC_STORE_SCHEMA 1
#define BATCH_DOCS 200 /* documents per transaction */

struct rc_store {
    sqlite3 *db;
    char *path;
    const rc_gazetteer *g;
    char gaz_hash[17];
    int keep_terms; /* the database keeps term occurrences */
    int fresh;      /* no schema yet */
};

static const char SCHEMA[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE documents(\n"
    "  doc INTEGER PRIMARY KEY, id TEXT NOT NULL, path TEXT NOT NULL,\n"
    "  title TEXT, date TEXT, date_precision INTEGER NOT NULL,\n"
    "  dateline TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,\n"
    "  bytes INTEGER NOT NULL, tokens INTEGER NOT NULL,\n"
    "  sentences INTEGER NOT NULL, paragraphs INTEGER NOT NULL,\n"
    "  is_article INTEGER NOT NULL, given_title TEXT, given_date TEXT,\n"
    "  text TEXT NOT NULL);\n"
    "CREATE INDEX documents_id ON documents(id);\n"
    "CREATE TABLE doc_meta(doc INTEGER NOT NULL, ord INTEGER NOT NULL,\n"
    "  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(doc, ord)) WITHOUT ROWID;\n"
    "CREATE TABLE entities(entity INTEGER PRIMARY KEY, name TEXT NOT NULL,\n"
    "  type TEXT NOT NULL, country TEXT NOT NULL, UNIQUE(name, type));\n"
    "CREATE TABLE mentions(doc INTEGER NOT NULL, ord INTEGER NOT NULL,\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, cstart INTEGER NOT NULL,\n"
    "  cend INTEGER NOT NULL, tok INTEGER NOT NULL, sentence INTEGER NOT NULL,\n"
    "  paragraph INTEGER NOT NULL, entity INTEGER NOT NULL, type TEXT NOT NULL,\n"
    "  country TEXT NOT NULL, rule TEXT NOT NULL, text TEXT NOT NULL,\n"
    "  PRIMARY KEY(doc, ord)) WITHOUT ROWID;\n"
    "CREATE INDEX mentions_entity ON mentions(entity);\n"
    "CREATE TABLE sentences(doc INTEGER NOT NULL, sentence INTEGER NOT NULL,\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, cstart INTEGER NOT NULL,\n"
    "  cend INTEGER NOT NULL, text TEXT, PRIMARY KEY(doc, sentence)) WITHOUT ROWID;\n"
    "CREATE TABLE terms(term INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE doc_terms(doc INTEGER PRIMARY KEY, occurrences BLOB NOT NULL);\n"
    "CREATE VIEW aliases AS SELECT DISTINCT m.text AS alias, e.name AS canonical,\n"
    "  e.type AS type, e.country AS country FROM mentions m JOIN entities e USING(entity);\n";

/* What meta('model') says of a recognizer: "rules" or the model's hash. */
static void model_id(rc_ner_mode ner, const rc_tagger *tagger, char out[17]) {
    if (ner == RC_NER_RULES) snprintf(out, 17, "rules");
    else if (tagger) rc_tagger_hash(tagger, out);
    else rc_model_hash(out);
}

/* MARK: - Statements ---------------------------------------------------------- */

static rc_status db_error(rc_store *s, rc_error *err, const char *what) {
    int code = sqlite3_errcode(s->db);
    rc_status rc = code == SQLITE_NOMEM ? RC_ENOMEM : code == SQLITE_NOTADB ? RC_EPARSE : RC_EIO;
    if (code == SQLITE_NOTADB)
        return rc_error_set(err, rc, 0, "%s: not a relcore database (not an SQLite file)",
                            s->path);
    return rc_error_set(err, rc, 0, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static rc_status exec(rc_store *s, const char *sql, rc_error *err) {
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) return db_error(s, err, sql);
    return RC_OK;
}

static rc_status prepare(rc_store *s, const char *sql, sqlite3_stmt **st, rc_error *err) {
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return db_error(s, err, "prepare");
    }
    return RC_OK;
}

/* Step a statement that returns no row (or whose rows are not wanted). */
static rc_status run(rc_store *s, sqlite3_stmt *st, rc_error *err) {
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE || r == SQLITE_ROW ? RC_OK : db_error(s, err, "write");
}

static const char *col_text(sqlite3_stmt *st, int i, size_t *len) {
    const char *p = (const char *)sqlite3_column_text(st, i);
    *len = (size_t)sqlite3_column_bytes(st, i);
    return p ? p : "";
}

/* The value of meta(key) into buf ("" when absent). */
static rc_status meta_get(rc_store *s, const char *key, char *buf, size_t cap,
                          rc_error *err) {
    sqlite3_stmt *st;
    rc_status rc = prepare(s, "SELECT value FROM meta WHERE key = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    buf[0] = '\0';
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        size_t len;
        const char *v = col_text(st, 0, &len);
        snprintf(buf, cap, "%.*s", (int)len, v);
    } else if (r != SQLITE_DONE) {
        rc = db_error(s, err, "read meta");
    }
    sqlite3_finalize(st);
    return rc;
}

static rc_status meta_set(rc_store *s, const char *key, const char *value, rc_error *err) {
    sqlite3_stmt *st;
    rc_status rc = prepare(s, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    rc = run(s, st, err);
    sqlite3_finalize(st);
    return rc;
}

static rc_status pragma_int(rc_store *s, const char *sql, int *out, rc_error *err) {
    sqlite3_stmt *st;
    rc_status rc = prepare(s, sql, &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) *out = sqlite3_column_int(st, 0);
    else rc = db_error(s, err, sql);
    sqlite3_finalize(st);
    return rc;
}

/* MARK: - Opening ------------------------------------------------------------- */

/* Is this file a relcore database of our schema?  An empty database is
** fresh (the schema is made on first write). */
static rc_status check_identity(rc_store *s, rc_error *err) {
    int app = 0, version = 0, tables = 0;
    rc_status rc;
    if ((rc = pragma_int(s, "PRAGMA application_id", &app, err)) ||
        (rc = pragma_int(s, "PRAGMA user_version", &version, err)) ||
        (rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables, err)))
        return rc;
    if (app == 0 && version == 0 && tables == 0) {
        s->fresh = 1;
        return RC_OK;
    }
    if (app != RC_STORE_APP_ID)
        return rc_error_set(err, RC_EPARSE, 0,
                            "%s: not a relcore database (an SQLite file of another "
                            "application)",
                            s->path);
    if (version != RC_STORE_SCHEMA)
        return rc_error_set(err, RC_EPARSE, 0,
                            "%s: a relcore database of schema version %d; this relcore "
                            "(%s) reads version %d only: use the relcore that made it, or "
                            "ingest the documents again",
                            s->path, version, RC_VERSION, RC_STORE_SCHEMA);
    char v[32];
    if ((rc = meta_get(s, "terms", v, sizeof v, err))) return rc;
    s->keep_terms = v[0] == '1';
    return RC_OK;
}

static rc_status create_schema(rc_store *s, const rc_store_opts *o, rc_error *err) {
    int keep_terms = o && o->terms;
    char sql[64], model[17];
    model_id(o ? o->ner : RC_NER_MODEL, o ? o->tagger : NULL, model);
    rc_status rc;
    if ((rc = exec(s, "BEGIN IMMEDIATE", err))) return rc;
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", RC_STORE_APP_ID);
    if ((rc = exec(s, sql, err)) || (rc = exec(s, SCHEMA, err))) goto fail;
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", RC_STORE_SCHEMA);
    if ((rc = exec(s, sql, err)) || (rc = meta_set(s, "gazetteer", s->gaz_hash, err)) ||
        (rc = meta_set(s, "model", model, err)) ||
        (rc = meta_set(s, "relcore", RC_VERSION, err)) ||
        (rc = meta_set(s, "terms", keep_terms ? "1" : "0", err)) ||
        (rc = exec(s, "COMMIT", err)))
        goto fail;
    s->fresh = 0;
    s->keep_terms = keep_terms;
    return RC_OK;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

void rc_store_close(rc_store *s) {
    if (!s) return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

rc_status rc_store_open(const char *path, int writable, const rc_gazetteer *g,
                        rc_store **out, rc_error *err) {
    *out = NULL;
    rc_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return RC_ENOMEM;
    }
    s->g = g;
    rc_gazetteer_hash(g, s->gaz_hash);
    rc_status rc = RC_OK;
    int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (rc == RC_OK && sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        FILE *fp = writable ? NULL : fopen(path, "rb");
        if (fp) fclose(fp);
        rc = rc_error_set(err, fp || writable ? RC_EIO : RC_ENOENT, 0, "%s: %s", path,
                          fp || writable ? sqlite3_errmsg(s->db)
                                      : "no such file (make a database with relcore ingest)");
    }
    if (rc == RC_OK) {
        sqlite3_busy_timeout(s->db, 10000);
        rc = check_identity(s, err);
    }
    if (rc == RC_OK && writable)
        rc = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", err);
    if (rc) {
        rc_store_close(s);
        return rc;
    }
    *out = s;
    return RC_OK;
}

int rc_store_keeps_terms(const rc_store *s) { return s->keep_terms; }

rc_status rc_store_check_gazetteer(rc_store *s, rc_ner_mode ner, const rc_tagger *tagger,
                                   rc_error *err) {
    if (s->fresh) return RC_OK;
    char stored[32], model[17];
    rc_status rc = meta_get(s, "gazetteer", stored, sizeof stored, err);
    if (rc) return rc;
    if (strcmp(stored, s->gaz_hash))
        return rc_error_set(err, RC_EINVAL, 0,
                            "%s: its entities come from another gazetteer (%s; this run's "
                            "is %s): query with the gazetteer options it was built with, or "
                            "re-derive them with 'relcore ingest --reprocess --db %s'",
                            s->path, stored, s->gaz_hash, s->path);
    model_id(ner, tagger, model);
    if ((rc = meta_get(s, "model", stored, sizeof stored, err))) return rc;
    if (strcmp(stored, model))
        return rc_error_set(err, RC_EINVAL, 0,
                            "%s: its entities come from another recognizer (%s; this run's "
                            "is %s): query with the --ner and --model it was built with, "
                            "or re-derive them with 'relcore ingest --reprocess --db %s'",
                            s->path, stored, model, s->path);
    return RC_OK;
}

/* The check for a writer: the options' recognizer. */
static rc_status check_writer(rc_store *s, const rc_store_opts *o, rc_error *err) {
    return rc_store_check_gazetteer(s, o ? o->ner : RC_NER_MODEL, o ? o->tagger : NULL, err);
}

/* MARK: - Writing a document -------------------------------------------------- */

/* The prepared statements of an ingest. */
typedef struct writer {
    rc_store *s;
    sqlite3_stmt *find_hash, *find_id, *ins_doc, *ins_meta, *ins_mention,
        *ins_sentence, *ins_entity, *find_entity, *ins_term, *find_term, *ins_terms;
    uint32_t *ent_db; /* corpus entity id -> database id (0: not yet) */
    size_t ent_cap;
    uint32_t *term_db;
    size_t term_cap;
    unsigned char *blob;
    size_t blob_cap;
    int in_tx, batch;
} writer;

static void writer_free(writer *w) {
    sqlite3_stmt **all[] = {&w->find_hash, &w->find_id, &w->ins_doc, &w->ins_meta,
                            &w->ins_mention, &w->ins_sentence, &w->ins_entity,
                            &w->find_entity, &w->ins_term, &w->find_term, &w->ins_terms};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) sqlite3_finalize(*all[i]);
    free(w->ent_db);
    free(w->term_db);
    free(w->blob);
}

static rc_status writer_init(writer *w, rc_store *s, rc_error *err) {
    memset(w, 0, sizeof *w);
    w->s = s;
    rc_status rc;
    if ((rc = prepare(s, "SELECT doc, id FROM documents WHERE hash = ?", &w->find_hash, err)) ||
        (rc = prepare(s, "SELECT doc FROM documents WHERE id = ?", &w->find_id, err)) ||
        (rc = prepare(s,
                      "INSERT INTO documents(id, path, title, date, date_precision, "
                      "dateline, hash, bytes, tokens, sentences, paragraphs, is_article, "
                      "given_title, given_date, text) "
                      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      &w->ins_doc, err)) ||
        (rc = prepare(s, "INSERT INTO doc_meta VALUES(?,?,?,?)", &w->ins_meta, err)) ||
        (rc = prepare(s, "INSERT INTO mentions VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      &w->ins_mention, err)) ||
        (rc = prepare(s, "INSERT INTO sentences VALUES(?,?,?,?,?,?,?)", &w->ins_sentence,
                      err)) ||
        (rc = prepare(s, "INSERT OR IGNORE INTO entities(name, type, country) VALUES(?,?,?)",
                      &w->ins_entity, err)) ||
        (rc = prepare(s, "SELECT entity FROM entities WHERE name = ? AND type = ?",
                      &w->find_entity, err)) ||
        (rc = prepare(s, "INSERT OR IGNORE INTO terms(text) VALUES(?)", &w->ins_term, err)) ||
        (rc = prepare(s, "SELECT term FROM terms WHERE text = ?", &w->find_term, err)) ||
        (rc = prepare(s, "INSERT INTO doc_terms VALUES(?, ?)", &w->ins_terms, err)))
        writer_free(w);
    return rc;
}

static rc_status tx_begin(writer *w, rc_error *err) {
    if (w->in_tx) return RC_OK;
    rc_status rc = exec(w->s, "BEGIN IMMEDIATE", err);
    if (rc == RC_OK) w->in_tx = 1;
    return rc;
}

static rc_status tx_commit(writer *w, rc_error *err) {
    if (!w->in_tx) return RC_OK;
    w->in_tx = 0;
    w->batch = 0;
    return exec(w->s, "COMMIT", err);
}

static void tx_rollback(writer *w) {
    if (w->in_tx) sqlite3_exec(w->s->db, "ROLLBACK", NULL, NULL, NULL);
    w->in_tx = 0;
}

/* The database id of a name in (name, type): insert it when new. */
static rc_status db_id(writer *w, sqlite3_stmt *ins, sqlite3_stmt *find, const char *name,
                       size_t len, const char *type, const char *country, uint32_t *out,
                       rc_error *err) {
    *out = 0;
    sqlite3_bind_text(ins, 1, name, (int)len, SQLITE_STATIC);
    if (type) {
        sqlite3_bind_text(ins, 2, type, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, country, -1, SQLITE_STATIC);
    }
    rc_status rc = run(w->s, ins, err);
    if (rc) return rc;
    sqlite3_bind_text(find, 1, name, (int)len, SQLITE_STATIC);
    if (type) sqlite3_bind_text(find, 2, type, -1, SQLITE_STATIC);
    int r = sqlite3_step(find);
    if (r == SQLITE_ROW) *out = (uint32_t)sqlite3_column_int64(find, 0);
    else rc = db_error(w->s, err, "find");
    sqlite3_reset(find);
    return rc;
}

/* Grow a cache of database ids to n entries, new ones 0 (not known). */
static rc_status cache_grow(uint32_t **v, size_t *cap, size_t n) {
    size_t old = *cap;
    if (rc_grow(NULL, (void **)v, cap, n, sizeof **v)) return RC_ENOMEM;
    if (*cap > old) memset(*v + old, 0, (*cap - old) * sizeof **v);
    return RC_OK;
}

/* The caches hold ids of one analysis corpus: forget them with it. */
static void writer_forget(writer *w) {
    if (w->ent_db) memset(w->ent_db, 0, w->ent_cap * sizeof *w->ent_db);
    if (w->term_db) memset(w->term_db, 0, w->term_cap * sizeof *w->term_db);
}

static rc_status entity_id(writer *w, const rc_corpus *c, uint32_t id, uint32_t *out,
                           rc_error *err) {
    if (cache_grow(&w->ent_db, &w->ent_cap, c->ents.n)) return RC_ENOMEM;
    if (id < w->ent_cap && w->ent_db[id]) {
        *out = w->ent_db[id];
        return RC_OK;
    }
    size_t len;
    const char *name = rc_entity_name(&c->ents, id, &len);
    char cc[4];
    rc_ccode_unpack(c->ents.v[id].country, cc);
    rc_status rc = db_id(w, w->ins_entity, w->find_entity, name, len,
                         rc_etype_name((rc_etype)c->ents.v[id].type), cc, out, err);
    if (rc == RC_OK) w->ent_db[id] = *out;
    return rc;
}

static rc_status term_id(writer *w, const rc_corpus *c, uint32_t id, uint32_t *out,
                         rc_error *err) {
    if (cache_grow(&w->term_db, &w->term_cap, c->terms.n)) return RC_ENOMEM;
    if (id < w->term_cap && w->term_db[id]) {
        *out = w->term_db[id];
        return RC_OK;
    }
    size_t len;
    const char *name = rc_entity_name(&c->terms, id, &len);
    rc_status rc = db_id(w, w->ins_term, w->find_term, name, len, NULL, NULL, out, err);
    if (rc == RC_OK) w->term_db[id] = *out;
    return rc;
}

static void date_text(const rc_date *d, char out[16]) {
    out[0] = '\0';
    if (d->precision >= RC_DATE_DAY) snprintf(out, 16, "%04d-%02u-%02u", d->year, d->month, d->day);
    else if (d->precision == RC_DATE_MONTH) snprintf(out, 16, "%04d-%02u", d->year, d->month);
    else if (d->precision == RC_DATE_YEAR) snprintf(out, 16, "%04d", d->year);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s, size_t len) {
    if (s) sqlite3_bind_text(st, i, s, (int)len, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* The document row of corpus document k (its title: as given, or the
** article's title lines). */
static rc_status write_doc_row(writer *w, const rc_corpus *c, size_t k, const rc_doc *doc,
                               const char *hash, int64_t *rowid, rc_error *err) {
    const cdoc *d = &c->docs[k];
    const rc_docres *r = c->work;
    sqlite3_stmt *st = w->ins_doc;
    char date[16];
    date_text(&d->date, date);
    const char *title = doc->title;
    size_t title_len = title ? strlen(title) : 0;
    if (!title && r->title_sents) {
        title = doc->text + r->sents.v[0].start;
        title_len = r->sents.v[r->title_sents - 1].end - r->sents.v[0].start;
    }
    sqlite3_bind_text(st, 1, doc->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, doc->path ? doc->path : "", -1, SQLITE_STATIC);
    bind_text_or_null(st, 3, title, title_len);
    bind_text_or_null(st, 4, date[0] ? date : NULL, strlen(date));
    sqlite3_bind_int(st, 5, d->date.precision);
    sqlite3_bind_text(st, 6, c->strs + d->dateline_off, (int)d->dateline_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (int64_t)doc->len);
    sqlite3_bind_int64(st, 9, d->ntok);
    sqlite3_bind_int64(st, 10, d->nsent);
    sqlite3_bind_int64(st, 11, d->npara);
    sqlite3_bind_int(st, 12, doc->is_article);
    bind_text_or_null(st, 13, doc->title, doc->title ? strlen(doc->title) : 0);
    bind_text_or_null(st, 14, doc->date, doc->date ? strlen(doc->date) : 0);
    sqlite3_bind_text(st, 15, doc->text, (int)doc->len, SQLITE_STATIC);
    rc_status rc = run(w->s, st, err);
    *rowid = sqlite3_last_insert_rowid(w->s->db);
    return rc;
}

static rc_status write_meta(writer *w, const rc_corpus *c, const cdoc *d, int64_t row,
                            rc_error *err) {
    const char *p = c->strs + d->meta_off;
    for (uint32_t i = 0; i < d->nmeta; i++) {
        const char *key = p, *value = key + strlen(key) + 1;
        p = value + strlen(value) + 1;
        sqlite3_bind_int64(w->ins_meta, 1, row);
        sqlite3_bind_int(w->ins_meta, 2, (int)i);
        sqlite3_bind_text(w->ins_meta, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(w->ins_meta, 4, value, -1, SQLITE_STATIC);
        rc_status rc = run(w->s, w->ins_meta, err);
        if (rc) return rc;
    }
    return RC_OK;
}

static rc_status write_mentions(writer *w, const rc_corpus *c, const cdoc *d, int64_t row,
                                rc_error *err) {
    sqlite3_stmt *st = w->ins_mention;
    for (uint32_t i = 0; i < d->nm; i++) {
        const cmention *cm = &c->m[d->m_begin + i];
        const rc_mention *m = &cm->m;
        uint32_t ent = 0;
        rc_status rc = entity_id(w, c, m->entity, &ent, err);
        if (rc) return rc;
        char cc[4];
        rc_ccode_unpack(m->country, cc);
        int64_t v[] = {row, i, m->start, m->end, m->cstart, m->cend, m->tok, m->sentence,
                       m->paragraph, ent};
        for (int k = 0; k < 10; k++) sqlite3_bind_int64(st, k + 1, v[k]);
        sqlite3_bind_text(st, 11, rc_etype_name((rc_etype)m->type), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, cc, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 13, rc_rule_name((rc_rule)m->rule), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 14, c->strs + cm->text_off, (int)(m->end - m->start),
                          SQLITE_STATIC);
        if ((rc = run(w->s, st, err))) return rc;
    }
    return RC_OK;
}

static rc_status write_sentences(writer *w, const rc_corpus *c, const cdoc *d, int64_t row,
                                 rc_error *err) {
    sqlite3_stmt *st = w->ins_sentence;
    for (uint32_t i = 0; i < d->nsent; i++) {
        const csent *cs = &c->sents[d->s_begin + i];
        int64_t v[] = {row, i, cs->start, cs->end, cs->cstart, cs->cend};
        for (int k = 0; k < 6; k++) sqlite3_bind_int64(st, k + 1, v[k]);
        if (cs->text_off == UINT64_MAX) sqlite3_bind_null(st, 7);
        else
            sqlite3_bind_text(st, 7, c->strs + cs->text_off, (int)(cs->end - cs->start),
                              SQLITE_STATIC);
        rc_status rc = run(w->s, st, err);
        if (rc) return rc;
    }
    return RC_OK;
}

static void put_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Term occurrences as one blob: little-endian uint32 quadruples (term,
** token, sentence, paragraph). */
static rc_status write_terms(writer *w, const rc_corpus *c, const cdoc *d, int64_t row,
                             rc_error *err) {
    if (rc_grow(NULL, (void **)&w->blob, &w->blob_cap, (size_t)d->nt * 16 + 1, 1))
        return RC_ENOMEM;
    for (uint32_t i = 0; i < d->nt; i++) {
        const cterm *t = &c->t[d->t_begin + i];
        uint32_t id = 0;
        rc_status rc = term_id(w, c, t->term, &id, err);
        if (rc) return rc;
        uint32_t v[] = {id, t->tok, t->sentence, t->paragraph};
        for (int k = 0; k < 4; k++) put_u32(w->blob + (size_t)i * 16 + k * 4, v[k]);
    }
    sqlite3_bind_int64(w->ins_terms, 1, row);
    sqlite3_bind_blob(w->ins_terms, 2, w->blob, (int)d->nt * 16, SQLITE_STATIC);
    return run(w->s, w->ins_terms, err);
}

static rc_status write_doc(writer *w, const rc_corpus *c, const rc_doc *doc,
                           const char *hash, rc_error *err) {
    size_t k = c->ndocs - 1;
    const cdoc *d = &c->docs[k];
    int64_t row;
    rc_status rc;
    if ((rc = write_doc_row(w, c, k, doc, hash, &row, err)) ||
        (rc = write_meta(w, c, d, row, err)) || (rc = write_mentions(w, c, d, row, err)) ||
        (rc = write_sentences(w, c, d, row, err)))
        return rc;
    return w->s->keep_terms ? write_terms(w, c, d, row, err) : RC_OK;
}

/* MARK: - Ingest -------------------------------------------------------------- */

static void content_hash(const rc_doc *doc, char out[33]) {
    XXH128_hash_t h = XXH3_128bits(doc->text, doc->len);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}

static rc_status delete_doc(writer *w, int64_t row, rc_error *err) {
    static const char *const tables[] = {"documents", "doc_meta", "mentions", "sentences",
                                         "doc_terms"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE doc = ?", tables[i]);
        sqlite3_stmt *st;
        rc_status rc = prepare(w->s, sql, &st, err);
        if (rc) return rc;
        sqlite3_bind_int64(st, 1, row);
        rc = run(w->s, st, err);
        sqlite3_finalize(st);
        if (rc) return rc;
    }
    return RC_OK;
}

/* Delete every stored document with this id; *n says how many. */
static rc_status delete_id(writer *w, const char *id, size_t *n, rc_error *err) {
    *n = 0;
    for (;;) {
        sqlite3_bind_text(w->find_id, 1, id, -1, SQLITE_STATIC);
        int r = sqlite3_step(w->find_id);
        int64_t row = r == SQLITE_ROW ? sqlite3_column_int64(w->find_id, 0) : -1;
        sqlite3_reset(w->find_id);
        if (r != SQLITE_ROW && r != SQLITE_DONE) return db_error(w->s, err, "find id");
        if (row < 0) return RC_OK;
        rc_status rc = delete_doc(w, row, err);
        if (rc) return rc;
        ++*n;
    }
}

static int id_exists(writer *w, const char *id) {
    sqlite3_bind_text(w->find_id, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(w->find_id);
    sqlite3_reset(w->find_id);
    return r == SQLITE_ROW;
}

static int hash_exists(writer *w, const char *hash) {
    sqlite3_bind_text(w->find_hash, 1, hash, -1, SQLITE_STATIC);
    int r = sqlite3_step(w->find_hash);
    sqlite3_reset(w->find_hash);
    return r == SQLITE_ROW;
}

static rc_status report_row(rc_table *t, const rc_doc *doc, const char *status) {
    if (!t) return RC_OK;
    rc_status rc;
    if ((rc = rc_table_str(t, doc->id, strlen(doc->id))) ||
        (rc = rc_table_str(t, doc->path ? doc->path : "", doc->path ? strlen(doc->path) : 0)) ||
        (rc = rc_table_str(t, status, strlen(status))))
        return rc;
    return rc_table_end_row(t);
}

/* The one warning of an ingest: an id stored with other content. */
static void warnf(const rc_store_opts *o, const char *fmt, const char *a, const char *b) {
    if (!o || !o->warn) return;
    char msg[1024];
    snprintf(msg, sizeof msg, fmt, a, b);
    o->warn(o->warn_ctx, RC_WARN_SAME_ID, msg);
}

/* A fresh analysis corpus for a batch of documents. */
static rc_status batch_corpus(writer *w, const rc_store_opts *o, rc_corpus **c) {
    rc_store *s = w->s;
    rc_corpus_free(*c);
    *c = NULL;
    writer_forget(w);
    rc_analysis_opts ao = {o ? o->warn : NULL, o ? o->warn_ctx : NULL,
                           o ? o->interrupt : NULL, s->keep_terms, 1,
                           o ? o->ner : RC_NER_MODEL, o ? o->tagger : NULL, 0, 0};
    return rc_corpus_new(s->g, &ao, NULL, c);
}

/* Add one document: skipped when its text is there, else analysed and
** written (superseding its id with replace). */
static rc_status ingest_doc(writer *w, rc_corpus **c, const rc_doc *doc,
                            const rc_store_opts *o, rc_table *report, rc_error *err) {
    char hash[33];
    content_hash(doc, hash);
    if (hash_exists(w, hash)) return report_row(report, doc, "skipped");
    const char *status = "added";
    rc_status rc;
    if (id_exists(w, doc->id)) {
        if (o && o->replace) {
            size_t n;
            if ((rc = delete_id(w, doc->id, &n, err))) return rc;
            status = "replaced";
        } else if (o && o->strict) {
            return rc_error_set(err, RC_EINVAL, 0,
                                "%s: document id '%s' is already in the database with "
                                "other content (--replace supersedes it)",
                                doc->path ? doc->path : doc->id, doc->id);
        } else {
            warnf(o, "%s: document id '%s' is already in the database with other "
                     "content; both are kept (--replace supersedes it)",
                  doc->path ? doc->path : doc->id, doc->id);
            status = "added (same id)";
        }
    }
    if ((*c)->ndocs >= BATCH_DOCS && (rc = batch_corpus(w, o, c))) return rc;
    if ((rc = rc_corpus_add(*c, doc, err)) || (rc = write_doc(w, *c, doc, hash, err)))
        return rc;
    return report_row(report, doc, status);
}

static rc_status report_new(rc_table **t) {
    static const char *const names[] = {"doc", "path", "status"};
    static const rc_col_kind kinds[] = {RC_COL_STR, RC_COL_STR, RC_COL_STR};
    return rc_table_new(3, names, kinds, NULL, t);
}

static rc_status ensure_schema(rc_store *s, const rc_store_opts *o, rc_error *err) {
    if (s->fresh) return create_schema(s, o, err);
    if (o && o->terms && !s->keep_terms)
        return rc_error_set(err, RC_EINVAL, 0,
                            "%s: this database was made without --terms; its documents "
                            "keep no terms",
                            s->path);
    return RC_OK;
}

rc_status rc_store_ingest(rc_store *s, rc_source *src, const rc_store_opts *o,
                          rc_table **report, rc_error *err) {
    *report = NULL;
    rc_status rc = ensure_schema(s, o, err);
    if (rc == RC_OK) rc = check_writer(s, o, err);
    if (rc == RC_OK) rc = report_new(report);
    if (rc) return rc;
    writer w;
    rc_corpus *c = NULL;
    if ((rc = writer_init(&w, s, err))) return rc;
    rc = batch_corpus(&w, o, &c);
    rc_doc doc;
    while (rc == RC_OK && (rc = rc_source_next(src, &doc, err)) == RC_OK) {
        if (o && o->interrupt && *o->interrupt) {
            rc = rc_error_set(err, RC_EINTR, 0, "interrupted");
            break;
        }
        if ((rc = tx_begin(&w, err)) || (rc = ingest_doc(&w, &c, &doc, o, *report, err)))
            break;
        if (++w.batch >= BATCH_DOCS) rc = tx_commit(&w, err);
    }
    if (rc == RC_ENOENT && !err->msg[0]) rc = RC_OK;
    if (rc == RC_OK) rc = tx_commit(&w, err);
    else tx_rollback(&w);
    writer_free(&w);
    rc_corpus_free(c);
    return rc;
}

/* MARK: - Loading ------------------------------------------------------------- */

/* A cursor over one table ordered by doc. */
typedef struct cursor {
    sqlite3_stmt *st;
    int has; /* a row is current */
} cursor;

static rc_status cursor_open(rc_store *s, cursor *cu, const char *sql, rc_error *err) {
    rc_status rc = prepare(s, sql, &cu->st, err);
    if (rc) return rc;
    int r = sqlite3_step(cu->st);
    cu->has = r == SQLITE_ROW;
    return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : db_error(s, err, sql);
}

static rc_status cursor_next(rc_store *s, cursor *cu, rc_error *err) {
    int r = sqlite3_step(cu->st);
    cu->has = r == SQLITE_ROW;
    return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : db_error(s, err, "read");
}

static int cursor_at(const cursor *cu, int64_t doc) {
    return cu->has && sqlite3_column_int64(cu->st, 0) == doc;
}

typedef struct loader {
    rc_store *s;
    rc_corpus *c;
    uint32_t *ent_map; /* database entity id -> corpus id */
    size_t ent_n;
    uint32_t *term_map;
    size_t term_n;
    cursor docs, meta, mentions, sentences, terms;
    rc_meta *metas;
    size_t metas_cap;
} loader;

/* Intern every row of a (id, name[, type, country]) table into tab. */
static rc_status load_names(loader *L, const char *sql, rc_entities *tab, int typed,
                            uint32_t **map, size_t *n, rc_error *err) {
    sqlite3_stmt *st;
    rc_status rc = prepare(L->s, sql, &st, err);
    int r;
    while (rc == RC_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        size_t len, tl = 0, cl = 0;
        const char *name = col_text(st, 1, &len);
        rc_etype type = RC_MISC;
        rc_ccode cc = 0;
        if (typed) {
            const char *t = col_text(st, 2, &tl), *country = col_text(st, 3, &cl);
            if (rc_etype_parse(t, tl, &type) != RC_OK) type = RC_MISC;
            cc = rc_ccode_pack(country, cl);
        }
        size_t cap = *n;
        if (rc_grow(NULL, (void **)map, &cap, (size_t)id + 1, sizeof **map)) {
            rc = RC_ENOMEM;
            break;
        }
        if (cap > *n) memset(*map + *n, 0xff, (cap - *n) * sizeof **map);
        *n = cap;
        rc = rc_entities_intern(tab, name, len, type, cc, &(*map)[id]);
    }
    if (rc == RC_OK && r != SQLITE_DONE) rc = db_error(L->s, err, "read names");
    sqlite3_finalize(st);
    return rc;
}

static rc_status load_doc_meta(loader *L, int64_t doc, size_t *n, rc_error *err) {
    *n = 0;
    rc_status rc = RC_OK;
    for (; rc == RC_OK && cursor_at(&L->meta, doc); rc = cursor_next(L->s, &L->meta, err)) {
        if (rc_grow(NULL, (void **)&L->metas, &L->metas_cap, *n + 1, sizeof *L->metas))
            return RC_ENOMEM;
        /* the column texts stay valid until the cursor steps: copy them */
        size_t kl, vl;
        const char *k = col_text(L->meta.st, 2, &kl), *v = col_text(L->meta.st, 3, &vl);
        char *kv = malloc(kl + vl + 2);
        if (!kv) return RC_ENOMEM;
        memcpy(kv, k, kl + 1);
        memcpy(kv + kl + 1, v, vl + 1);
        L->metas[*n].key = kv;
        L->metas[(*n)++].value = kv + kl + 1;
    }
    return rc;
}

static rc_status load_mentions(loader *L, int64_t doc, rc_error *err) {
    rc_status rc = RC_OK;
    sqlite3_stmt *st = L->mentions.st;
    for (; rc == RC_OK && cursor_at(&L->mentions, doc);
         rc = cursor_next(L->s, &L->mentions, err)) {
        rc_mention m;
        memset(&m, 0, sizeof m);
        m.start = (uint32_t)sqlite3_column_int64(st, 2);
        m.end = (uint32_t)sqlite3_column_int64(st, 3);
        m.cstart = (uint32_t)sqlite3_column_int64(st, 4);
        m.cend = (uint32_t)sqlite3_column_int64(st, 5);
        m.tok = (uint32_t)sqlite3_column_int64(st, 6);
        m.sentence = (uint32_t)sqlite3_column_int64(st, 7);
        m.paragraph = (uint32_t)sqlite3_column_int64(st, 8);
        int64_t ent = sqlite3_column_int64(st, 9);
        if (ent < 0 || (size_t)ent >= L->ent_n || L->ent_map[ent] == UINT32_MAX)
            return rc_error_set(err, RC_EPARSE, 0, "%s: a mention of an unknown entity",
                                L->s->path);
        m.entity = L->ent_map[ent];
        size_t tl, cl, rl, xl;
        const char *type = col_text(st, 10, &tl), *cc = col_text(st, 11, &cl);
        const char *rule = col_text(st, 12, &rl), *text = col_text(st, 13, &xl);
        rc_etype et = RC_MISC;
        rc_etype_parse(type, tl, &et);
        m.type = (uint8_t)et;
        m.country = rc_ccode_pack(cc, cl);
        for (int r = 0; r < RC_RULE_COUNT; r++)
            if (strlen(rc_rule_name((rc_rule)r)) == rl && !memcmp(rule, rc_rule_name((rc_rule)r), rl))
                m.rule = (uint8_t)r;
        if ((rc = rc_corpus_put_mention(L->c, &m, text, xl))) return rc;
    }
    return rc;
}

static rc_status load_sentences(loader *L, int64_t doc, rc_error *err) {
    rc_status rc = RC_OK;
    sqlite3_stmt *st = L->sentences.st;
    for (; rc == RC_OK && cursor_at(&L->sentences, doc);
         rc = cursor_next(L->s, &L->sentences, err)) {
        csent cs = {(uint32_t)sqlite3_column_int64(st, 2), (uint32_t)sqlite3_column_int64(st, 3),
                    (uint32_t)sqlite3_column_int64(st, 4), (uint32_t)sqlite3_column_int64(st, 5),
                    UINT64_MAX};
        size_t len;
        int null = sqlite3_column_type(st, 6) == SQLITE_NULL;
        const char *text = col_text(st, 6, &len);
        if ((rc = rc_corpus_put_sentence(L->c, &cs, null ? NULL : text, len))) return rc;
    }
    return rc;
}

static rc_status load_terms(loader *L, int64_t doc, rc_error *err) {
    if (!cursor_at(&L->terms, doc)) return RC_OK;
    const unsigned char *p = sqlite3_column_blob(L->terms.st, 1);
    size_t n = (size_t)sqlite3_column_bytes(L->terms.st, 1) / 16;
    for (size_t i = 0; i < n; i++, p += 16) {
        uint32_t id = get_u32(p);
        if (id >= L->term_n || L->term_map[id] == UINT32_MAX)
            return rc_error_set(err, RC_EPARSE, 0, "%s: an unknown term", L->s->path);
        cterm t = {L->term_map[id], get_u32(p + 4), get_u32(p + 8), get_u32(p + 12)};
        rc_status rc = rc_corpus_put_term(L->c, &t);
        if (rc) return rc;
    }
    return cursor_next(L->s, &L->terms, err);
}

static void free_metas(loader *L, size_t n) {
    for (size_t i = 0; i < n; i++) free((char *)L->metas[i].key);
}

static rc_status load_doc(loader *L, rc_error *err) {
    sqlite3_stmt *st = L->docs.st;
    int64_t doc = sqlite3_column_int64(st, 0);
    size_t idl, dll;
    const char *id = col_text(st, 1, &idl), *dateline = col_text(st, 2, &dll);
    rc_date date = {0, 0, 0, (uint8_t)sqlite3_column_int(st, 3)};
    size_t datel;
    const char *dt = col_text(st, 4, &datel);
    int y = 0;
    unsigned mo = 0, d = 0;
    if (date.precision && sscanf(dt, "%d-%u-%u", &y, &mo, &d) >= 1) {
        date.year = (int16_t)y;
        date.month = (uint8_t)mo;
        date.day = (uint8_t)d;
    }
    size_t nmeta = 0;
    cdoc_build b;
    rc_status rc = load_doc_meta(L, doc, &nmeta, err);
    if (rc == RC_OK)
        rc = rc_corpus_doc_begin(L->c, &b, id, dateline, dll, L->metas, nmeta, date,
                                 (uint32_t)sqlite3_column_int64(st, 5),
                                 (uint32_t)sqlite3_column_int64(st, 6));
    free_metas(L, nmeta);
    if (rc) return rc;
    if ((rc = load_mentions(L, doc, err)) || (rc = load_sentences(L, doc, err)) ||
        (L->c->opts.keep_terms && (rc = load_terms(L, doc, err))) ||
        (rc = rc_corpus_doc_end(L->c, &b))) {
        rc_corpus_doc_abandon(L->c, &b);
        return rc;
    }
    return RC_OK;
}

static void loader_free(loader *L) {
    cursor *all[] = {&L->docs, &L->meta, &L->mentions, &L->sentences, &L->terms};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) sqlite3_finalize(all[i]->st);
    free(L->ent_map);
    free(L->term_map);
    free(L->metas);
}

rc_status rc_store_load(rc_store *s, rc_corpus *c, rc_error *err) {
    if (s->fresh) return RC_OK; /* an empty database: no documents */
    rc_status rc = rc_store_check_gazetteer(s, c->opts.ner, c->opts.tagger, err);
    if (rc) return rc;
    if (c->opts.keep_terms && !s->keep_terms)
        return rc_error_set(err, RC_EINVAL, 0,
                            "--terms: %s keeps no terms (ingest with --terms into a new "
                            "database)",
                            s->path);
    loader L;
    memset(&L, 0, sizeof L);
    L.s = s;
    L.c = c;
    if ((rc = exec(s, "BEGIN", err))) return rc; /* one snapshot for every cursor */
    if ((rc = load_names(&L, "SELECT entity, name, type, country FROM entities", &c->ents, 1,
                         &L.ent_map, &L.ent_n, err)) ||
        (c->opts.keep_terms &&
         (rc = load_names(&L, "SELECT term, text FROM terms", &c->terms, 0, &L.term_map,
                          &L.term_n, err))) ||
        (rc = cursor_open(s, &L.docs,
                          "SELECT doc, id, dateline, date_precision, date, paragraphs, "
                          "tokens FROM documents ORDER BY doc",
                          err)) ||
        (rc = cursor_open(s, &L.meta, "SELECT * FROM doc_meta ORDER BY doc, ord", err)) ||
        (rc = cursor_open(s, &L.mentions, "SELECT * FROM mentions ORDER BY doc, ord", err)) ||
        (rc = cursor_open(s, &L.sentences, "SELECT * FROM sentences ORDER BY doc, sentence",
                          err)) ||
        (c->opts.keep_terms &&
         (rc = cursor_open(s, &L.terms, "SELECT doc, occurrences FROM doc_terms ORDER BY doc",
                           err))))
        goto done;
    while (rc == RC_OK && L.docs.has) {
        if (c->opts.interrupt && *c->opts.interrupt) {
            rc = rc_error_set(err, RC_EINTR, 0, "interrupted");
            break;
        }
        if ((rc = load_doc(&L, err)) == RC_OK) rc = cursor_next(s, &L.docs, err);
    }
done:
    loader_free(&L);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

/* MARK: - Stored documents as input ------------------------------------------- */

/* A stored document as rc_source would have given it: its id, path, text,
** given title and date, metadata and kind.  Owns copies of everything. */
typedef struct stored_doc {
    rc_doc doc;
    char *id, *path, *text, *title, *date;
    rc_meta *meta;
    size_t nmeta;
} stored_doc;

static void stored_free(stored_doc *sd) {
    free(sd->id);
    free(sd->path);
    free(sd->text);
    free(sd->title);
    free(sd->date);
    for (size_t i = 0; i < sd->nmeta; i++) free((char *)sd->meta[i].key);
    free(sd->meta);
    memset(sd, 0, sizeof *sd);
}

static char *column_dup(sqlite3_stmt *st, int i, int *failed) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return NULL;
    size_t len;
    const char *p = col_text(st, i, &len);
    char *d = malloc(len + 1);
    if (!d) {
        *failed = 1;
        return NULL;
    }
    memcpy(d, p, len);
    d[len] = '\0';
    return d;
}

#define STORED_DOC_COLUMNS "doc, id, path, text, given_title, given_date, is_article"

/* Read the current row of st (STORED_DOC_COLUMNS) and its metadata. */
static rc_status stored_read(rc_store *s, sqlite3_stmt *st, sqlite3_stmt *meta_q,
                             stored_doc *sd, rc_error *err) {
    memset(sd, 0, sizeof *sd);
    int failed = 0;
    sd->id = column_dup(st, 1, &failed);
    sd->path = column_dup(st, 2, &failed);
    sd->text = column_dup(st, 3, &failed);
    sd->title = column_dup(st, 4, &failed);
    sd->date = column_dup(st, 5, &failed);
    if (failed || !sd->id || !sd->path || !sd->text) {
        stored_free(sd);
        return RC_ENOMEM;
    }
    sqlite3_bind_int64(meta_q, 1, sqlite3_column_int64(st, 0));
    int r;
    size_t cap = 0;
    rc_status rc = RC_OK;
    while (rc == RC_OK && (r = sqlite3_step(meta_q)) == SQLITE_ROW) {
        size_t kl, vl;
        const char *k = col_text(meta_q, 0, &kl), *v = col_text(meta_q, 1, &vl);
        char *kv = malloc(kl + vl + 2);
        if (!kv || rc_grow(NULL, (void **)&sd->meta, &cap, sd->nmeta + 1, sizeof *sd->meta)) {
            free(kv);
            rc = RC_ENOMEM;
            break;
        }
        memcpy(kv, k, kl + 1);
        memcpy(kv + kl + 1, v, vl + 1);
        sd->meta[sd->nmeta].key = kv;
        sd->meta[sd->nmeta++].value = kv + kl + 1;
    }
    if (rc == RC_OK && r != SQLITE_DONE) rc = db_error(s, err, "read metadata");
    sqlite3_reset(meta_q);
    if (rc) {
        stored_free(sd);
        return rc;
    }
    sd->doc = (rc_doc){sd->id, sd->path, sd->text, strlen(sd->text), sd->title, sd->date,
                       sd->meta, sd->nmeta, sqlite3_column_int(st, 6)};
    return RC_OK;
}

/* Call fn for every stored document of s (in stored order) with doc <= last. */
typedef rc_status (*stored_fn)(void *ctx, const stored_doc *sd, int64_t row, rc_error *err);

static rc_status each_stored(rc_store *s, int64_t last, stored_fn fn, void *ctx,
                             volatile int *interrupt, rc_error *err) {
    sqlite3_stmt *st = NULL, *meta_q = NULL;
    rc_status rc;
    if ((rc = prepare(s, "SELECT " STORED_DOC_COLUMNS " FROM documents WHERE doc <= ? "
                         "ORDER BY doc", &st, err)) ||
        (rc = prepare(s, "SELECT key, value FROM doc_meta WHERE doc = ? ORDER BY ord",
                      &meta_q, err)))
        goto done;
    sqlite3_bind_int64(st, 1, last);
    int r;
    while (rc == RC_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (interrupt && *interrupt) {
            rc = rc_error_set(err, RC_EINTR, 0, "interrupted");
            break;
        }
        stored_doc sd;
        if ((rc = stored_read(s, st, meta_q, &sd, err))) break;
        rc = fn(ctx, &sd, sqlite3_column_int64(st, 0), err);
        stored_free(&sd);
    }
    if (rc == RC_OK && r != SQLITE_DONE) rc = db_error(s, err, "read documents");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(meta_q);
    return rc;
}

/* MARK: - Reprocess ----------------------------------------------------------- */

typedef struct redo_ctx {
    writer *w;
    rc_corpus **c;
    const rc_store_opts *o;
} redo_ctx;

/* Drop a stored document and store it again, newly analysed (it moves to
** the end, after every document not yet redone, so the order holds). */
static rc_status redo_doc(void *ctx, const stored_doc *sd, int64_t row, rc_error *err) {
    redo_ctx *x = ctx;
    char hash[33];
    content_hash(&sd->doc, hash);
    rc_status rc = delete_doc(x->w, row, err);
    if (rc == RC_OK && (*x->c)->ndocs >= BATCH_DOCS) rc = batch_corpus(x->w, x->o, x->c);
    if (rc == RC_OK) rc = rc_corpus_add(*x->c, &sd->doc, err);
    if (rc == RC_OK) rc = write_doc(x->w, *x->c, &sd->doc, hash, err);
    return rc;
}

static rc_status max_doc(rc_store *s, int64_t *last, rc_error *err) {
    sqlite3_stmt *st;
    rc_status rc = prepare(s, "SELECT coalesce(max(doc), 0) FROM documents", &st, err);
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) *last = sqlite3_column_int64(st, 0);
    else rc = db_error(s, err, "read documents");
    sqlite3_finalize(st);
    return rc;
}

rc_status rc_store_reprocess(rc_store *s, const rc_store_opts *o, rc_error *err) {
    if (s->fresh) return RC_OK;
    writer w;
    rc_corpus *c = NULL;
    int64_t last = 0;
    rc_status rc = writer_init(&w, s, err);
    if (rc) return rc;
    if ((rc = tx_begin(&w, err)) || (rc = max_doc(s, &last, err)) ||
        (rc = exec(s, "DELETE FROM entities; DELETE FROM terms", err)) ||
        (rc = batch_corpus(&w, o, &c)))
        goto done;
    redo_ctx x = {&w, &c, o};
    if ((rc = each_stored(s, last, redo_doc, &x, o ? o->interrupt : NULL, err)) == RC_OK &&
        (rc = meta_set(s, "gazetteer", s->gaz_hash, err)) == RC_OK) {
        char model[17];
        model_id(o ? o->ner : RC_NER_MODEL, o ? o->tagger : NULL, model);
        if ((rc = meta_set(s, "model", model, err)) == RC_OK) rc = tx_commit(&w, err);
    }
done:
    if (rc) tx_rollback(&w);
    writer_free(&w);
    rc_corpus_free(c);
    return rc;
}

/* MARK: - Merge --------------------------------------------------------------- */

typedef struct merge_ctx {
    writer *w;
    rc_corpus **c;
    const rc_store_opts *o;
    rc_table *report;
} merge_ctx;

/* A shard's document enters as it would from its file: the same checks,
** the same analysis (the shard's gazetteer is ours, so the same result). */
static rc_status merge_doc(void *ctx, const stored_doc *sd, int64_t row, rc_error *err) {
    merge_ctx *x = ctx;
    (void)row;
    rc_status rc = tx_begin(x->w, err);
    if (rc == RC_OK) rc = ingest_doc(x->w, x->c, &sd->doc, x->o, x->report, err);
    if (rc == RC_OK && ++x->w->batch >= BATCH_DOCS) rc = tx_commit(x->w, err);
    return rc;
}

rc_status rc_store_merge(rc_store *s, const char *path, const rc_store_opts *o,
                         rc_table **report, rc_error *err) {
    *report = NULL;
    rc_store *shard = NULL;
    rc_status rc = rc_store_open(path, 0, s->g, &shard, err);
    if (rc) return rc;
    if (!shard->fresh && s->fresh && shard->keep_terms && !(o && o->terms)) {
        rc_store_opts with_terms = o ? *o : (rc_store_opts){0};
        with_terms.terms = 1; /* the merged database keeps what the shards keep */
        rc = ensure_schema(s, &with_terms, err);
    }
    if (rc == RC_OK) rc = ensure_schema(s, o, err);
    if (rc == RC_OK) rc = check_writer(shard, o, err);
    if (rc == RC_OK) rc = check_writer(s, o, err);
    if (rc == RC_OK) rc = report_new(report);
    writer w;
    rc_corpus *c = NULL;
    if (rc == RC_OK && (rc = writer_init(&w, s, err)) == RC_OK) {
        if ((rc = batch_corpus(&w, o, &c)) == RC_OK) {
            merge_ctx x = {&w, &c, o, *report};
            rc = each_stored(shard, INT64_MAX, merge_doc, &x, o ? o->interrupt : NULL, err);
        }
        if (rc == RC_OK) rc = tx_commit(&w, err);
        else tx_rollback(&w);
        writer_free(&w);
    }
    rc_corpus_free(c);
    rc_store_close(shard);
    return rc;
}
