/*
** relcore_module.c -- relcore._core, the Python binding, written against
** the CPython C API (3.11+).  A thin adapter: it converts arguments, calls
** the core with the GIL released, and returns the core's rc_table results
** as columns that the Python package turns into DataFrames: a str column
** is one list (equal short strings share one object), an INT or REAL
** column one array.array('q' or 'd') filled by a single copy, so no Python
** object is made per number.
**
** Module state (multi-phase init): the exceptions (Error, and OptionError
** and PathError that are also ValueError and FileNotFoundError), the
** Corpus heap type and array.array; the frozen gazetteers of no files
** and the built-in tagger, made once and shared by the one-text
** functions (tokenize, sentences, extract) and by every Corpus of no
** gazetteer files, so that a short text or a small corpus costs
** microseconds rather than a new gazetteer and tagger; and an idle
** analysis for the one-text functions.  A Corpus owns an rc_corpus and
** the frozen gazetteer of its files, or holds the module's.
** Queries only read it and may run from several threads at
** once; adding documents needs it to itself: the busy flag and the count
** of running queries (both changed with the GIL held) refuse an add while
** anything runs, and a query while an add runs.
**
** Ctrl-C: while the GIL is released, a SIGINT handler of this adapter sets
** a flag that the core polls between documents; the call then raises
** KeyboardInterrupt.  The handler is installed only around a call made
** (the first of concurrent calls installs it, the last restores the old).
** A query that the core does not poll inside still raises
** KeyboardInterrupt when it returns, its result dropped.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "relcore.h"

typedef struct module_state {
    PyObject *error;        /* relcore._core.Error */
    PyObject *option_error; /* OptionError(Error, ValueError) */
    PyObject *path_error;   /* PathError(Error, FileNotFoundError) */
    PyTypeObject *corpus;   /* relcore._core.Corpus */
    PyObject *array_type;   /* array.array */
    /* made on first use with the GIL held and then only read, by any
    ** number of threads, and shared by the one-text functions and every
    ** Corpus of no gazetteer files: capsules that own the frozen gazetteer
    ** of no files, without [0] and with [1] the built-in rows, and the
    ** built-in tagger.  A Corpus holds a reference to the capsules it
    ** uses, so what they own lives as long as the last user. */
    PyObject *plain_gazetteer[2];
    PyObject *tagger;
    /* a docres over plain_gazetteer[b] that no call is using, kept for the
    ** next one (its scratch and the tagger's 1.5 MB word cache stay made);
    ** taken and put back with the GIL held, so a call on another thread
    ** meanwhile makes its own */
    rc_docres *idle_docres[2];
} module_state;

static module_state *get_state(PyObject *module) {
    return (module_state *)PyModule_GetState(module);
}

/* MARK: - Interrupts ------------------------------------------------------- */

static volatile int interrupted; /* the adapter's SIGINT flag */

static void on_sigint(int sig) {
    (void)sig;
    interrupted = 1;
}

/* Calls from several threads share one handler: the first to enter
** installs it, the last to leave restores the previous one. */
static pthread_mutex_t sig_lock = PTHREAD_MUTEX_INITIALIZER;
static int sig_users;
static struct sigaction sig_old;

static void sigguard_enter(void) {
    pthread_mutex_lock(&sig_lock);
    if (sig_users++ == 0) {
        interrupted = 0;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &sig_old);
    }
    pthread_mutex_unlock(&sig_lock);
}

static void sigguard_leave(void) {
    pthread_mutex_lock(&sig_lock);
    if (--sig_users == 0) sigaction(SIGINT, &sig_old, NULL);
    pthread_mutex_unlock(&sig_lock);
}

/* MARK: - Errors ------------------------------------------------------------ */

/* Raise the Python exception that fits a core failure; returns NULL. */
static PyObject *raise_status(PyObject *module, rc_status rc,
                              const rc_error *err) {
    const char *msg = err && err->code == rc && err->msg[0] ? err->msg
                                                            : rc_strerror(rc);
    module_state *st = get_state(module);
    switch (rc) {
    case RC_ENOMEM: return PyErr_NoMemory();
    case RC_EINTR:
        PyErr_SetNone(PyExc_KeyboardInterrupt);
        return NULL;
    case RC_ENOENT:
        PyErr_SetString(strstr(msg, "no such file") ? st->path_error
                                                    : st->option_error,
                        msg);
        return NULL;
    case RC_EINVAL:
        PyErr_SetString(st->option_error, msg);
        return NULL;
    default:
        PyErr_SetString(st->error, msg);
        return NULL;
    }
}

/* MARK: - Tables to columns ------------------------------------------------- */

/* Equal short strings of one table become one str object: entity names
** and types repeat on every row.  Direct-mapped by an FNV-1a hash; a
** collision just makes a new object.  Entries borrow the table's bytes. */
#define STR_CACHE_SLOTS 4096 /* a power of two */
#define STR_CACHE_MAX_LEN 64 /* longer strings are not cached */

typedef struct str_slot {
    const char *s;
    size_t len;
    PyObject *obj; /* strong reference */
} str_slot;

static void str_cache_clear(str_slot *cache) {
    for (size_t i = 0; i < STR_CACHE_SLOTS; i++) Py_CLEAR(cache[i].obj);
}

/* A new reference to the str of s[0..len). */
static PyObject *cached_str(str_slot *cache, const char *s, size_t len) {
    if (len > STR_CACHE_MAX_LEN)
        return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "replace");
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    str_slot *slot = &cache[h & (STR_CACHE_SLOTS - 1)];
    if (slot->obj && slot->len == len && memcmp(slot->s, s, len) == 0)
        return Py_NewRef(slot->obj);
    PyObject *v = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "replace");
    if (!v) return NULL;
    Py_XSETREF(slot->obj, Py_NewRef(v));
    slot->s = s;
    slot->len = len;
    return v;
}

static PyObject *str_column(const rc_table *t, size_t col, str_slot *cache) {
    size_t n = rc_table_rows(t);
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (!list) return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *s = rc_table_get_str(t, i, col, &len);
        PyObject *v = cached_str(cache, s, len);
        if (!v) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v); /* steals v */
    }
    return list;
}

/* array.array('q') or ('d') of an INT or REAL column: one copy into a
** bytes object, which the array constructor copies once more. */
static PyObject *number_column(module_state *st, const rc_table *t, size_t col) {
    size_t n = rc_table_rows(t);
    const char *code = rc_table_col_kind(t, col) == RC_COL_INT ? "q" : "d";
    const void *cells = rc_table_numbers(t, col);
    PyObject *bytes = PyBytes_FromStringAndSize(n ? cells : NULL,
                                                (Py_ssize_t)(n * 8));
    if (!bytes) return NULL;
    PyObject *arr = PyObject_CallFunction(st->array_type, "sO", code, bytes);
    Py_DECREF(bytes);
    return arr;
}

/* {column name: list or array} in column order; frees nothing. */
static PyObject *table_to_dict(PyObject *module, const rc_table *t) {
    str_slot *cache = PyMem_Calloc(STR_CACHE_SLOTS, sizeof *cache);
    PyObject *d = cache ? PyDict_New() : NULL;
    if (!d) {
        PyMem_Free(cache);
        return cache ? NULL : PyErr_NoMemory();
    }
    for (size_t j = 0; j < rc_table_cols(t); j++) {
        PyObject *col = rc_table_col_kind(t, j) == RC_COL_STR
                            ? str_column(t, j, cache)
                            : number_column(get_state(module), t, j);
        if (!col || PyDict_SetItemString(d, rc_table_col_name(t, j), col) < 0) {
            Py_XDECREF(col);
            Py_CLEAR(d);
            break;
        }
        Py_DECREF(col);
    }
    str_cache_clear(cache);
    PyMem_Free(cache);
    return d;
}

/* Convert and free the table. */
static PyObject *table_result(PyObject *module, rc_table *t, rc_status rc,
                              const rc_error *err) {
    if (rc) {
        rc_table_free(t);
        return raise_status(module, rc, err);
    }
    PyObject *d = table_to_dict(module, t);
    rc_table_free(t);
    return d;
}

/* MARK: - Gazetteers --------------------------------------------------------- */

/* A frozen gazetteer: built-in (or not) plus the user files named. */
static rc_gazetteer *make_gazetteer(PyObject *module, PyObject *files,
                                    int builtin) {
    rc_error err = {0};
    rc_gazetteer *g = NULL;
    rc_status rc = rc_gazetteer_new(builtin, NULL, &g, &err);
    if (rc) {
        raise_status(module, rc, &err);
        return NULL;
    }
    if (files && files != Py_None) {
        PyObject *seq = PySequence_Fast(files, "gazetteer must be a list of paths");
        if (!seq) goto fail;
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
            PyObject *path = PyOS_FSPath(PySequence_Fast_GET_ITEM(seq, i));
            PyObject *bytes = path ? PyUnicode_EncodeFSDefault(path) : NULL;
            Py_XDECREF(path);
            if (!bytes) {
                Py_DECREF(seq);
                goto fail;
            }
            const char *name = PyBytes_AS_STRING(bytes);
            FILE *fp = fopen(name, "rb");
            if (!fp) {
                PyErr_SetFromErrnoWithFilename(PyExc_OSError, name);
                Py_DECREF(bytes);
                Py_DECREF(seq);
                goto fail;
            }
            char *data = NULL;
            size_t len = 0, cap = 0, got;
            do {
                if (len + 65536 > cap) {
                    char *p = realloc(data, cap = cap * 2 + 65536);
                    if (!p) break;
                    data = p;
                }
                got = fread(data + len, 1, cap - len, fp);
                len += got;
            } while (got);
            fclose(fp);
            rc = data ? rc_gazetteer_load(g, data, len, name, &err) : RC_ENOMEM;
            free(data);
            Py_DECREF(bytes);
            if (rc) {
                Py_DECREF(seq);
                raise_status(module, rc, &err);
                goto fail;
            }
        }
        Py_DECREF(seq);
    }
    if ((rc = rc_gazetteer_freeze(g, &err))) {
        raise_status(module, rc, &err);
        goto fail;
    }
    return g;
fail:
    rc_gazetteer_free(g);
    return NULL;
}

#define GAZETTEER_CAPSULE "relcore._core.gazetteer"
#define TAGGER_CAPSULE "relcore._core.tagger"

static void gazetteer_capsule_free(PyObject *capsule) {
    rc_gazetteer_free(PyCapsule_GetPointer(capsule, GAZETTEER_CAPSULE));
}

static void tagger_capsule_free(PyObject *capsule) {
    rc_tagger_free(PyCapsule_GetPointer(capsule, TAGGER_CAPSULE));
}

/* The capsule of the module's frozen gazetteer of no files, with or
** without the built-in rows (module_state), made on first use (GIL held).
** A borrowed reference; NULL with an exception set. */
static PyObject *plain_gazetteer_capsule(PyObject *module, int builtin) {
    module_state *st = get_state(module);
    PyObject **cap = &st->plain_gazetteer[builtin != 0];
    if (!*cap) {
        rc_gazetteer *g = make_gazetteer(module, Py_None, builtin);
        if (!g) return NULL;
        if (!(*cap = PyCapsule_New(g, GAZETTEER_CAPSULE, gazetteer_capsule_free)))
            rc_gazetteer_free(g);
    }
    return *cap;
}

/* The module's frozen gazetteer of no files (plain_gazetteer_capsule's),
** or NULL with an exception set. */
static rc_gazetteer *plain_gazetteer(PyObject *module, int builtin) {
    PyObject *cap = plain_gazetteer_capsule(module, builtin);
    return cap ? PyCapsule_GetPointer(cap, GAZETTEER_CAPSULE) : NULL;
}

/* The capsule of the module's built-in tagger (module_state), opened on
** first use (GIL held).  A borrowed reference; NULL with an exception
** set. */
static PyObject *builtin_tagger_capsule(PyObject *module) {
    module_state *st = get_state(module);
    if (!st->tagger) {
        rc_error err = {0};
        rc_tagger *m = NULL;
        rc_status rc = rc_tagger_builtin(NULL, &m, &err);
        if (rc) return raise_status(module, rc, &err);
        if (!(st->tagger = PyCapsule_New(m, TAGGER_CAPSULE, tagger_capsule_free)))
            rc_tagger_free(m);
    }
    return st->tagger;
}

/* The module's built-in tagger, or NULL with an exception set. */
static rc_tagger *builtin_tagger(PyObject *module) {
    PyObject *cap = builtin_tagger_capsule(module);
    return cap ? PyCapsule_GetPointer(cap, TAGGER_CAPSULE) : NULL;
}

/* MARK: - One text ------------------------------------------------------------ */

typedef enum text_table { TT_TOKENS, TT_SENTENCES, TT_MENTIONS } text_table;

/* The longest text whose docres is kept for the next call (see
** module_state): a docres's arrays grow with its longest text (about
** 1 MB for a text of 64 KB, besides the tagger's word cache). */
#define KEEP_DOCRES_BYTES ((size_t)1 << 16)

/* Analyse one Python string (not an article: no title or date line) and
** return the chosen table with character offsets. */
static PyObject *analyse_text(PyObject *module, PyObject *args, PyObject *kw,
                              text_table which) {
    static char *kwlist[] = {"text", "gazetteer", "builtin", "ner", NULL};
    PyObject *text, *files = Py_None;
    int builtin = 1;
    const char *ner_name = "model";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "U|Ops", kwlist, &text, &files,
                                     &builtin, &ner_name))
        return NULL;
    rc_ner_mode ner;
    rc_error nerr = {0};
    if (rc_ner_mode_parse(ner_name, &ner, &nerr) != RC_OK) {
        PyErr_SetString(PyExc_ValueError, nerr.msg);
        return NULL;
    }
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &len);
    if (!utf8) return NULL;
    if ((size_t)len > RC_MAX_DOC_BYTES) {
        PyErr_SetString(PyExc_ValueError, "text longer than 4 GB");
        return NULL;
    }
    /* no gazetteer files: the module's, kept (a gazetteer of files is
    ** made for the call, as the files may change between calls) */
    int plain = files == Py_None;
    rc_gazetteer *g = plain ? plain_gazetteer(module, builtin)
                            : make_gazetteer(module, files, builtin);
    if (!g) return NULL;
    rc_tagger *tagger = NULL; /* the rules, tokens and sentences need none */
    char *copy = NULL;
    if ((which == TT_MENTIONS && ner == RC_NER_MODEL && !(tagger = builtin_tagger(module))) ||
        !(copy = malloc((size_t)len + 1))) {
        if (!plain) rc_gazetteer_free(g);
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    }
    memcpy(copy, utf8, (size_t)len + 1);
    rc_doc doc = {"-", "-", copy, (size_t)len, NULL, NULL, NULL, 0, 0};
    module_state *st = get_state(module);
    rc_docres **idle = plain ? &st->idle_docres[builtin != 0] : NULL;
    rc_docres *r = idle ? *idle : NULL;
    if (idle) *idle = NULL;
    rc_table *t = NULL;
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = which == TT_TOKENS      ? rc_tokens_table_new(NULL, &t)
         : which == TT_SENTENCES ? rc_sentences_table_new(NULL, &t)
                                 : rc_mentions_table_new(NULL, &t);
    if (rc == RC_OK && !r) rc = rc_docres_new(g, NULL, &r);
    if (rc == RC_OK) rc = rc_docres_set_ner(r, ner, tagger);
    /* tokens and sentences need no names */
    if (rc == RC_OK)
        rc = which == TT_MENTIONS ? rc_docres_analyse(r, &doc) : rc_docres_layout(r, &doc);
    if (rc == RC_OK)
        rc = which == TT_TOKENS      ? rc_docres_tokens(r, &doc, 1, t)
             : which == TT_SENTENCES ? rc_docres_sentences(r, &doc, 1, t)
                                     : rc_docres_mentions(r, &doc, 1, t);
    Py_END_ALLOW_THREADS
    /* kept for the next call, unless one is kept already or this text
    ** grew its scratch past what short texts need */
    if (idle && !*idle && (size_t)len <= KEEP_DOCRES_BYTES) {
        *idle = r;
        r = NULL;
    }
    rc_docres_free(r);
    free(copy);
    if (!plain) rc_gazetteer_free(g);
    return table_result(module, t, rc, NULL);
}

static PyObject *py_tokenize(PyObject *m, PyObject *a, PyObject *k) {
    return analyse_text(m, a, k, TT_TOKENS);
}
static PyObject *py_sentences(PyObject *m, PyObject *a, PyObject *k) {
    return analyse_text(m, a, k, TT_SENTENCES);
}
static PyObject *py_extract(PyObject *m, PyObject *a, PyObject *k) {
    return analyse_text(m, a, k, TT_MENTIONS);
}

/* MARK: - The CLI --------------------------------------------------------------- */

static PyObject *py_cli_main(PyObject *module, PyObject *arg) {
    (void)module;
    PyObject *seq = PySequence_Fast(arg, "argv must be a list of strings");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    char **argv = calloc((size_t)n + 1, sizeof *argv);
    PyObject **keep = calloc((size_t)n + 1, sizeof *keep);
    int status = -1;
    if (!argv || !keep) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        keep[i] = PyUnicode_EncodeFSDefault(PySequence_Fast_GET_ITEM(seq, i));
        if (!keep[i]) goto done;
        argv[i] = PyBytes_AS_STRING(keep[i]);
    }
    fflush(stdout);
    fflush(stderr);
    sigguard_enter();
    Py_BEGIN_ALLOW_THREADS
    status = rc_cli_main((int)n, argv, stdout, stderr, &interrupted);
    fflush(stdout);
    Py_END_ALLOW_THREADS
    sigguard_leave();
done:
    for (Py_ssize_t i = 0; keep && i < n; i++) Py_XDECREF(keep[i]);
    free(keep);
    free(argv);
    Py_DECREF(seq);
    if (status < 0) return NULL;
    return PyLong_FromLong(status);
}

/* MARK: - Corpus ----------------------------------------------------------------- */

typedef struct corpus_obj {
    PyObject_HEAD
    rc_gazetteer *g;
    PyObject *shared;   /* the capsules that own g and the tagger when they
                           are the module's (a tuple), or NULL: g is own */
    rc_corpus *c;
    PyObject *warnings; /* list of warning strings */
    int busy;           /* documents being added: refuse other calls */
    Py_ssize_t readers; /* queries running (GIL released) */
} corpus_obj;

static void collect_warning(void *ctx, rc_warning kind, const char *msg) {
    /* Called with the GIL released: take the GIL to keep the message. */
    corpus_obj *self = ctx;
    (void)kind; /* the message names the problem */
    PyGILState_STATE st = PyGILState_Ensure();
    PyObject *s = PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "replace");
    if (s) {
        PyList_Append(self->warnings, s);
        Py_DECREF(s);
    } else {
        PyErr_Clear();
    }
    PyGILState_Release(st);
}

static int corpus_traverse(corpus_obj *self, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->warnings);
    return 0;
}

static int corpus_clear(corpus_obj *self) {
    Py_CLEAR(self->warnings);
    return 0;
}

static void corpus_dealloc(corpus_obj *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    corpus_clear(self);
    rc_corpus_free(self->c);
    if (self->shared) Py_DECREF(self->shared); /* after the corpus that uses them */
    else rc_gazetteer_free(self->g);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *corpus_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"gazetteer", "builtin", "terms", "threads", "ner", NULL};
    PyObject *files = Py_None;
    int builtin = 1, terms = 0;
    Py_ssize_t threads = 0;
    const char *ner_name = "model";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|Oppns", kwlist, &files, &builtin, &terms,
                                     &threads, &ner_name))
        return NULL;
    rc_ner_mode ner;
    rc_error nerr = {0};
    if (rc_ner_mode_parse(ner_name, &ner, &nerr) != RC_OK) {
        PyErr_SetString(PyExc_ValueError, nerr.msg);
        return NULL;
    }
    if (threads < 0 || threads > 256) {
        PyErr_SetString(PyExc_ValueError, "threads must be from 1 to 256 (0: one per core)");
        return NULL;
    }
    corpus_obj *self = (corpus_obj *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->warnings = PyList_New(0);
    if (!self->warnings) goto fail;
    PyObject *mod = PyType_GetModule(type);
    if (!mod) goto fail;
    const rc_tagger *tagger = NULL; /* NULL: each analysis opens the built-in */
    if (files == Py_None) { /* the module's gazetteer and tagger, shared */
        PyObject *gcap = plain_gazetteer_capsule(mod, builtin);
        PyObject *tcap = gcap ? builtin_tagger_capsule(mod) : NULL;
        if (!tcap || !(self->shared = PyTuple_Pack(2, gcap, tcap))) goto fail;
        self->g = PyCapsule_GetPointer(gcap, GAZETTEER_CAPSULE);
        tagger = PyCapsule_GetPointer(tcap, TAGGER_CAPSULE);
    } else if (!(self->g = make_gazetteer(mod, files, builtin))) {
        goto fail;
    }
    rc_analysis_opts ao = {collect_warning, self, &interrupted, terms, (size_t)threads, ner,
                           tagger, 0, 0};
    if (rc_corpus_new(self->g, &ao, NULL, &self->c) != RC_OK) {
        PyErr_NoMemory();
        goto fail;
    }
    return (PyObject *)self;
fail:
    Py_DECREF(self);
    return NULL;
}

/* May a query run?  Not while documents are being added. */
static int check_idle(corpus_obj *self) {
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError,
                        "Corpus is being filled by another thread");
        return 0;
    }
    return 1;
}

/* May documents be added?  Not while anything else runs on the corpus. */
static int check_unused(corpus_obj *self) {
    if (!check_idle(self)) return 0;
    if (self->readers) {
        PyErr_SetString(PyExc_RuntimeError,
                        "Corpus is being queried by another thread");
        return 0;
    }
    return 1;
}

/* Seconds on the monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define PROGRESS_FIRST 0.5 /* seconds before the first progress call */
#define PROGRESS_EVERY 0.2 /* seconds between progress calls */

/* What the core's progress callback needs (it runs without the GIL). */
typedef struct progress_ctx {
    PyObject *progress; /* a callable, or Py_None */
    rc_source *src;     /* for the bytes read so far (NULL: texts, 0 bytes) */
    double next;
    int py_failed; /* the callable raised: its exception stands */
} progress_ctx;

/* Called by the core on the adding thread: call progress(documents,
** bytes) with the GIL, first after PROGRESS_FIRST seconds and then every
** PROGRESS_EVERY; Ctrl-C or an exception in the callable stops the run. */
static int on_progress(void *ctx, size_t documents) {
    progress_ctx *pc = ctx;
    if (interrupted) return 1;
    if (pc->progress == Py_None || now() < pc->next) return 0;
    PyGILState_STATE st = PyGILState_Ensure();
    PyObject *r = PyObject_CallFunction(pc->progress, "nK", (Py_ssize_t)documents,
                                        (unsigned long long)(pc->src ? rc_source_bytes(pc->src)
                                                                     : 0));
    if (r) Py_DECREF(r);
    else pc->py_failed = 1;
    PyGILState_Release(st);
    pc->next = now() + PROGRESS_EVERY;
    return pc->py_failed;
}

/* Add every document of src, with the GIL released (the caller holds it
** on entry and gets it back), on the corpus's threads.  Stops at Ctrl-C
** (RC_EINTR) or a hard error; the documents added so far stay.  When
** progress is not None it is called as progress(documents, bytes) (see
** on_progress); if it raises, *py_failed is set and the run stops. */
static rc_status add_source(corpus_obj *self, rc_source *src,
                            PyObject *progress, rc_error *err,
                            int *py_failed) {
    progress_ctx pc = {progress, src, now() + PROGRESS_FIRST, 0};
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_corpus_add_source_progress(self->c, src, on_progress, &pc, err);
    Py_END_ALLOW_THREADS
    *py_failed = pc.py_failed;
    return rc;
}

/* What adding documents returns: None, or NULL with the exception of the
** failed run set (the progress callback's own when it raised).  Either
** way the corpus gives back the working memory of its analysis: a Corpus
** is kept long after it is loaded, often many of them. */
static PyObject *add_result(corpus_obj *self, rc_status rc, const rc_error *err,
                            int py_failed) {
    rc_corpus_trim(self->c);
    if (py_failed) return NULL; /* the progress callback's exception stands */
    if (rc) return raise_status(PyType_GetModule(Py_TYPE(self)), rc, err);
    Py_RETURN_NONE;
}

/* A NULL-terminated array of the UTF-8 (file system) encodings of a
** sequence of paths or strings (one str or path is a sequence of one);
** keep holds the bytes objects.  NULL with an exception set on failure.
** None gives an empty array. */
static const char **c_strings(PyObject *seq_obj, PyObject **keep_out) {
    *keep_out = NULL;
    PyObject *seq =
        seq_obj == Py_None ? PyTuple_New(0)
        : PyUnicode_Check(seq_obj) || PyBytes_Check(seq_obj) ||
                PyObject_HasAttrString(seq_obj, "__fspath__")
            ? PyTuple_Pack(1, seq_obj)
            : PySequence_Fast(seq_obj, "expected a list of paths");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *keep = PyList_New(n);
    const char **v = keep ? calloc((size_t)n + 1, sizeof *v) : NULL;
    if (!v) {
        Py_XDECREF(keep);
        Py_DECREF(seq);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *p = PyOS_FSPath(PySequence_Fast_GET_ITEM(seq, i));
        PyObject *b = p ? PyUnicode_EncodeFSDefault(p) : NULL;
        Py_XDECREF(p);
        if (!b) {
            free(v);
            Py_DECREF(keep);
            Py_DECREF(seq);
            return NULL;
        }
        PyList_SET_ITEM(keep, i, b); /* steals b */
        v[i] = PyBytes_AS_STRING(b);
    }
    Py_DECREF(seq);
    *keep_out = keep;
    return v;
}

/* Corpus.add_paths(paths, text_col=, id_col=, title_col=, date_col=,
** include=, exclude=, progress=) */
static PyObject *corpus_add_paths(corpus_obj *self, PyObject *args,
                                  PyObject *kw) {
    static char *kwlist[] = {"paths", "text_col", "id_col", "title_col",
                             "date_col", "include", "exclude", "progress",
                             "strict", "ids", NULL};
    PyObject *paths, *include = Py_None, *exclude = Py_None,
                     *progress = Py_None, *ids = Py_None;
    rc_source_opts so;
    memset(&so, 0, sizeof so);
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|zzzzOOOpO", kwlist, &paths,
                                     &so.text_col, &so.id_col, &so.title_col,
                                     &so.date_col, &include, &exclude,
                                     &progress, &so.strict, &ids))
        return NULL;
    if (progress != Py_None && !PyCallable_Check(progress)) {
        PyErr_SetString(PyExc_TypeError, "progress must be callable or None");
        return NULL;
    }
    if (!check_unused(self)) return NULL;
    PyObject *keep[4] = {NULL, NULL, NULL, NULL}, *result = NULL;
    const char **cpaths = c_strings(paths, &keep[0]);
    const char **inc = cpaths ? c_strings(include, &keep[1]) : NULL;
    const char **exc = inc ? c_strings(exclude, &keep[2]) : NULL;
    const char **cids = exc ? c_strings(ids, &keep[3]) : NULL;
    if (!cids) goto done;
    if (ids != Py_None && PyList_GET_SIZE(keep[3]) != PyList_GET_SIZE(keep[0])) {
        PyErr_SetString(PyExc_ValueError, "ids must name every path");
        goto done;
    }
    so.include = include == Py_None ? NULL : inc;
    so.exclude = exclude == Py_None ? NULL : exc;
    so.ids = ids == Py_None ? NULL : cids;
    so.warn = collect_warning;
    so.warn_ctx = self;
    so.interrupt = &interrupted;
    rc_error err = {0};
    rc_source *src = NULL;
    rc_status rc;
    int py_failed = 0;
    size_t n = (size_t)PyList_GET_SIZE(keep[0]);
    sigguard_enter();
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_source_new(cpaths, n, &so, NULL, &src, &err);
    Py_END_ALLOW_THREADS
    if (rc == RC_OK) rc = add_source(self, src, progress, &err, &py_failed);
    Py_BEGIN_ALLOW_THREADS
    rc_source_free(src);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    sigguard_leave();
    result = add_result(self, rc, &err, py_failed);
done:
    free(cpaths);
    free(inc);
    free(exc);
    free(cids);
    for (int i = 0; i < 4; i++) Py_XDECREF(keep[i]);
    return result;
}

/* The rc_meta of a dict of str (NULL for None, *n 0); the pairs point
** into the str objects, which the list appended to `keep` holds.  NULL
** with an exception set on failure (a dict with no pairs gives a
** one-entry array, *n 0). */
static rc_meta *meta_of(PyObject *meta, PyObject *keep, size_t *n) {
    *n = 0;
    if (meta == Py_None) return NULL;
    if (!PyDict_Check(meta)) {
        PyErr_SetString(PyExc_TypeError, "meta must be a dict of str");
        return NULL;
    }
    PyObject *items = PyDict_Items(meta);
    if (!items) return NULL;
    int kept = PyList_Append(keep, items);
    Py_DECREF(items);
    if (kept < 0) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(items);
    rc_meta *mv = calloc((size_t)count + 1, sizeof *mv);
    if (!mv) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *kv = PyList_GET_ITEM(items, i);
        mv[i].key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kv, 0));
        mv[i].value = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kv, 1));
        if (!mv[i].key || !mv[i].value) {
            free(mv);
            return NULL;
        }
    }
    *n = (size_t)count;
    return mv;
}

/* Corpus.add_texts(texts, ids, dates, metas, progress=None): every text a
** document, analysed on the corpus's threads (rc_corpus_add_docs); the
** lists are equally long, dates str or None, metas dict of str or None.
** The texts are borrowed, not copied: CPython's UTF-8 of a str is valid
** UTF-8, so there is nothing to repair. */
static PyObject *corpus_add_texts(corpus_obj *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"texts", "ids", "dates", "metas", "progress", NULL};
    PyObject *texts, *ids, *dates, *metas, *progress = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O!O!O!O!|O", kwlist, &PyList_Type, &texts,
                                     &PyList_Type, &ids, &PyList_Type, &dates,
                                     &PyList_Type, &metas, &progress))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(ids) != n || PyList_GET_SIZE(dates) != n ||
        PyList_GET_SIZE(metas) != n) {
        PyErr_SetString(PyExc_ValueError, "texts, ids, dates and metas must be as long");
        return NULL;
    }
    if (progress != Py_None && !PyCallable_Check(progress)) {
        PyErr_SetString(PyExc_TypeError, "progress must be callable or None");
        return NULL;
    }
    if (!check_unused(self)) return NULL;
    /* another thread may change the lists while the core reads: copies
    ** of them hold the str objects whose UTF-8 the documents borrow */
    texts = PyList_GetSlice(texts, 0, n);
    ids = PyList_GetSlice(ids, 0, n);
    dates = PyList_GetSlice(dates, 0, n);
    PyObject *keep = PyList_New(0); /* the metadata's item lists */
    rc_doc *docs = n ? calloc((size_t)n, sizeof *docs) : NULL;
    PyObject *result = NULL;
    Py_ssize_t made = 0; /* docs whose meta array is allocated */
    if (!texts || !ids || !dates || !keep || (n && !docs)) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    for (; made < n; made++) {
        PyObject *text = PyList_GET_ITEM(texts, made), *id = PyList_GET_ITEM(ids, made),
                 *date = PyList_GET_ITEM(dates, made);
        rc_doc *d = &docs[made];
        Py_ssize_t len;
        if (!PyUnicode_Check(text) || !PyUnicode_Check(id) ||
            (date != Py_None && !PyUnicode_Check(date))) {
            PyErr_SetString(PyExc_TypeError, "texts and ids must be str, dates str or None");
            goto done;
        }
        d->text = (char *)PyUnicode_AsUTF8AndSize(text, &len); /* only read */
        d->id = d->path = PyUnicode_AsUTF8(id);
        d->date = date == Py_None ? NULL : PyUnicode_AsUTF8(date);
        if (!d->text || !d->id || (date != Py_None && !d->date)) goto done;
        d->len = (size_t)len;
        d->meta = meta_of(PyList_GET_ITEM(metas, made), keep, &d->n_meta);
        if (!d->meta && PyErr_Occurred()) goto done;
    }
    progress_ctx pc = {progress, NULL, now() + PROGRESS_FIRST, 0};
    rc_error err = {0};
    rc_status rc;
    sigguard_enter();
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_corpus_add_docs(self->c, docs, (size_t)n, on_progress, &pc, &err);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    sigguard_leave();
    result = add_result(self, rc, &err, pc.py_failed);
done:
    for (Py_ssize_t i = 0; i < made && docs; i++) free((void *)docs[i].meta);
    free(docs);
    Py_XDECREF(keep);
    Py_XDECREF(texts);
    Py_XDECREF(ids);
    Py_XDECREF(dates);
    return result;
}

/* The str a keyword value stands for: True/False as "true"/"false", a
** path as its file system path, anything else as str(value).  A new
** reference. */
static PyObject *option_text(PyObject *value) {
    if (PyBool_Check(value))
        return PyUnicode_FromString(value == Py_True ? "true" : "false");
    if (!PyUnicode_Check(value) && PyObject_HasAttrString(value, "__fspath__"))
        return PyOS_FSPath(value);
    return PyObject_Str(value);
}

/* The --entity values (a str or a sequence of str) as a NULL-terminated
** array borrowed from objects appended to keep. */
static const char **entity_names(PyObject *value, PyObject *keep) {
    PyObject *seq = PyUnicode_Check(value) ? PyTuple_Pack(1, value)
                                           : PySequence_Tuple(value);
    if (!seq) return NULL;
    int kept = PyList_Append(keep, seq);
    Py_DECREF(seq);
    if (kept < 0) return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(seq);
    const char **v = calloc((size_t)n + 1, sizeof *v);
    if (!v) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (!(v[i] = PyUnicode_AsUTF8(PyTuple_GET_ITEM(seq, i)))) {
            free(v);
            return NULL;
        }
    return v;
}

/* Fill a query from keyword arguments named as on the command line, with
** underscores for dashes (min_count for --min-count); every option the
** core's rc_query_set knows is accepted, so a new core option needs no
** change here.  None leaves an option at its default.  The strings the
** query borrows are kept alive by *keep (a list); *entities is the array
** to free.  0 with an exception set on failure: TypeError for an unknown
** name, OptionError for a bad value. */
static int query_from_kwargs(module_state *st, PyObject *kw, rc_query *q,
                             PyObject **keep, const char ***entities) {
    memset(q, 0, sizeof *q);
    *entities = NULL;
    *keep = PyList_New(0);
    if (!*keep) return 0;
    if (!kw) return 1;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kw, &pos, &key, &value)) {
        const char *name = PyUnicode_AsUTF8(key);
        if (!name) return 0;
        if (value == Py_None) continue;
        if (!strcmp(name, "entity")) {
            free(*entities);
            if (!(*entities = entity_names(value, *keep))) return 0;
            q->entities = *entities;
            continue;
        }
        char opt[64];
        size_t i = 0;
        for (; name[i] && i + 1 < sizeof opt; i++)
            opt[i] = name[i] == '_' ? '-' : name[i];
        opt[i] = '\0';
        PyObject *str = option_text(value);
        if (!str) return 0;
        int kept = PyList_Append(*keep, str);
        Py_DECREF(str);
        const char *sv = kept < 0 ? NULL : PyUnicode_AsUTF8(str);
        if (!sv) return 0;
        rc_error err = {0};
        rc_status rc = name[i] ? RC_ENOENT : rc_query_set(q, opt, sv, &err);
        if (rc == RC_ENOENT) {
            PyErr_Format(PyExc_TypeError, "unexpected keyword argument '%s'", name);
            return 0;
        }
        if (rc) {
            PyErr_SetString(st->option_error, err.msg[0] ? err.msg : rc_strerror(rc));
            return 0;
        }
    }
    return 1;
}

typedef rc_status (*query_fn)(const rc_corpus *, const rc_query *, rc_table **,
                              rc_error *);

static PyObject *corpus_query(corpus_obj *self, PyObject *args, PyObject *kw,
                              query_fn fn) {
    if (PyTuple_GET_SIZE(args)) {
        PyErr_SetString(PyExc_TypeError, "query options are keyword arguments");
        return NULL;
    }
    if (!check_idle(self)) return NULL;
    rc_query q;
    PyObject *keep;
    const char **entities;
    if (!query_from_kwargs(get_state(PyType_GetModule(Py_TYPE(self))), kw, &q,
                           &keep, &entities)) {
        free(entities);
        Py_XDECREF(keep);
        return NULL;
    }
    rc_table *t = NULL;
    rc_error err = {0};
    rc_status rc;
    self->readers++;
    sigguard_enter();
    Py_BEGIN_ALLOW_THREADS
    rc = fn(self->c, &q, &t, &err);
    Py_END_ALLOW_THREADS
    if (interrupted && rc == RC_OK) rc = RC_EINTR;
    sigguard_leave();
    self->readers--;
    free(entities);
    Py_XDECREF(keep);
    return table_result(PyType_GetModule(Py_TYPE(self)), t, rc, &err);
}

static PyObject *corpus_count(corpus_obj *self, PyObject *a, PyObject *k) {
    return corpus_query(self, a, k, rc_corpus_count);
}

static PyObject *corpus_cooccur(corpus_obj *self, PyObject *a, PyObject *k) {
    return corpus_query(self, a, k, rc_corpus_cooccur);
}

static rc_status kwic_chars(const rc_corpus *c, const rc_query *q, rc_table **out,
                            rc_error *err) {
    return rc_corpus_kwic(c, q, 1, out, err);
}

static PyObject *corpus_kwic(corpus_obj *self, PyObject *a, PyObject *k) {
    return corpus_query(self, a, k, kwic_chars);
}

static PyObject *corpus_timeline(corpus_obj *self, PyObject *a, PyObject *k) {
    return corpus_query(self, a, k, rc_corpus_timeline);
}

typedef rc_status (*table_fn)(const rc_corpus *, rc_table **);

/* A table of the whole corpus that takes no options. */
static PyObject *corpus_table(corpus_obj *self, table_fn fn) {
    if (!check_idle(self)) return NULL;
    rc_table *t = NULL;
    rc_status rc;
    self->readers++;
    sigguard_enter();
    Py_BEGIN_ALLOW_THREADS
    rc = fn(self->c, &t);
    Py_END_ALLOW_THREADS
    if (interrupted && rc == RC_OK) rc = RC_EINTR;
    sigguard_leave();
    self->readers--;
    return table_result(PyType_GetModule(Py_TYPE(self)), t, rc, NULL);
}

static rc_status mentions_chars(const rc_corpus *c, rc_table **out) {
    return rc_corpus_mentions(c, 1, out);
}

static PyObject *corpus_mentions(corpus_obj *self, PyObject *unused) {
    (void)unused;
    return corpus_table(self, mentions_chars);
}

static PyObject *corpus_documents(corpus_obj *self, PyObject *unused) {
    (void)unused;
    return corpus_table(self, rc_corpus_documents);
}

static PyObject *corpus_metadata(corpus_obj *self, PyObject *unused) {
    (void)unused;
    return corpus_table(self, rc_corpus_metadata);
}

static PyObject *corpus_take_warnings(corpus_obj *self, PyObject *unused) {
    (void)unused;
    PyObject *w = self->warnings;
    PyObject *fresh = PyList_New(0);
    if (!fresh) return NULL;
    self->warnings = fresh;
    return w;
}

static Py_ssize_t corpus_len(corpus_obj *self) {
    return (Py_ssize_t)rc_corpus_docs(self->c);
}

/* Bytes made by the core (malloc'd) as a bytes object, or the status raised. */
static PyObject *core_bytes(corpus_obj *self, rc_status rc, unsigned char *data, size_t len,
                            rc_error *err) {
    if (rc) {
        free(data);
        return raise_status(PyType_GetModule(Py_TYPE(self)), rc, err);
    }
    PyObject *out = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)len);
    free(data);
    return out;
}

typedef rc_status (*pack_fn)(const rc_corpus *, unsigned char **, size_t *);
typedef rc_status (*unpack_fn)(rc_corpus *, const unsigned char *, size_t, rc_error *);

/* The corpus (fn: its analysis, or its tallies) as bytes. */
static PyObject *corpus_packed(corpus_obj *self, pack_fn fn) {
    if (!check_idle(self)) return NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = fn(self->c, &data, &len);
    Py_END_ALLOW_THREADS
    return core_bytes(self, rc, data, len, NULL);
}

/* Add packed bytes (fn: documents, or tallies) to the corpus. */
static PyObject *corpus_unpacked(corpus_obj *self, PyObject *args, unpack_fn fn) {
    Py_buffer buf;
    if (!PyArg_ParseTuple(args, "y*", &buf)) return NULL;
    if (!check_idle(self)) {
        PyBuffer_Release(&buf);
        return NULL;
    }
    rc_error err = {0};
    rc_status rc;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = fn(self->c, buf.buf, (size_t)buf.len, &err);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    PyBuffer_Release(&buf);
    if (rc) return raise_status(PyType_GetModule(Py_TYPE(self)), rc, &err);
    Py_RETURN_NONE;
}

/* The analysis as bytes (rc_corpus_pack), for pickling and Dask. */
static PyObject *corpus_pack(corpus_obj *self, PyObject *unused) {
    (void)unused;
    return corpus_packed(self, rc_corpus_pack);
}

/* Append packed documents (rc_corpus_unpack). */
static PyObject *corpus_unpack(corpus_obj *self, PyObject *args) {
    return corpus_unpacked(self, args, rc_corpus_unpack);
}

/* MARK: - A corpus in parts (relcore.dask) ------------------------------------ */

/* The corpus-wide tallies as bytes (rc_corpus_pack_tallies). */
static PyObject *corpus_pack_tallies(corpus_obj *self, PyObject *unused) {
    (void)unused;
    return corpus_packed(self, rc_corpus_pack_tallies);
}

/* Add packed tallies (rc_corpus_unpack_tallies). */
static PyObject *corpus_unpack_tallies(corpus_obj *self, PyObject *args) {
    return corpus_unpacked(self, args, rc_corpus_unpack_tallies);
}

static int part_query_of(PyObject *what, rc_part_query *out) {
    const char *w = PyUnicode_Check(what) ? PyUnicode_AsUTF8(what) : NULL;
    if (w && !strcmp(w, "count")) *out = RC_PART_COUNT;
    else if (w && !strcmp(w, "cooccur")) *out = RC_PART_COOCCUR;
    else if (w && !strcmp(w, "timeline")) *out = RC_PART_TIMELINE;
    else {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError,
                            "what must be 'count', 'cooccur' or 'timeline'");
        return 0;
    }
    return 1;
}

/* part_counts(whole, what, **options): this part's counts of a query
** against whole's tallies, as bytes (rc_corpus_part_counts). */
static PyObject *corpus_part_counts(corpus_obj *self, PyObject *args, PyObject *kw) {
    module_state *st = get_state(PyType_GetModule(Py_TYPE(self)));
    PyObject *whole_obj, *what;
    if (!PyArg_ParseTuple(args, "O!O", st->corpus, &whole_obj, &what)) return NULL;
    corpus_obj *whole = (corpus_obj *)whole_obj;
    rc_part_query pq;
    if (!part_query_of(what, &pq) || !check_idle(self) || !check_idle(whole)) return NULL;
    rc_query q;
    PyObject *keep;
    const char **entities;
    if (!query_from_kwargs(st, kw, &q, &keep, &entities)) {
        free(entities);
        Py_XDECREF(keep);
        return NULL;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    rc_error err = {0};
    rc_status rc;
    self->readers++;
    whole->readers++;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_corpus_part_counts(self->c, whole->c, pq, &q, &data, &len, &err);
    Py_END_ALLOW_THREADS
    self->readers--;
    whole->readers--;
    free(entities);
    Py_XDECREF(keep);
    return core_bytes(self, rc, data, len, &err);
}

/* part_kwic(whole, **options), part_mentions(whole): this part's kwic or
** mention rows, names resolved and folded as in whole (character
** offsets). */
static PyObject *part_rows(corpus_obj *self, PyObject *args, PyObject *kw, int mentions) {
    module_state *st = get_state(PyType_GetModule(Py_TYPE(self)));
    PyObject *whole_obj;
    if (!PyArg_ParseTuple(args, "O!", st->corpus, &whole_obj)) return NULL;
    corpus_obj *whole = (corpus_obj *)whole_obj;
    if (!check_idle(self) || !check_idle(whole)) return NULL;
    rc_query q;
    PyObject *keep;
    const char **entities;
    if (!query_from_kwargs(st, kw, &q, &keep, &entities)) {
        free(entities);
        Py_XDECREF(keep);
        return NULL;
    }
    rc_table *t = NULL;
    rc_error err = {0};
    rc_status rc;
    self->readers++;
    whole->readers++;
    Py_BEGIN_ALLOW_THREADS
    rc = mentions ? rc_corpus_part_mentions(self->c, whole->c, 1, &t, &err)
                  : rc_corpus_part_kwic(self->c, whole->c, &q, 1, &t, &err);
    Py_END_ALLOW_THREADS
    self->readers--;
    whole->readers--;
    free(entities);
    Py_XDECREF(keep);
    return table_result(PyType_GetModule(Py_TYPE(self)), t, rc, &err);
}

static PyObject *corpus_part_kwic(corpus_obj *self, PyObject *args, PyObject *kw) {
    return part_rows(self, args, kw, 0);
}

static PyObject *corpus_part_mentions(corpus_obj *self, PyObject *args) {
    return part_rows(self, args, NULL, 1);
}

/* part_table(what, counts, **options): the table of summed part counts,
** made on this corpus (the whole's tallies), as columns. */
static PyObject *corpus_part_table(corpus_obj *self, PyObject *args, PyObject *kw) {
    module_state *st = get_state(PyType_GetModule(Py_TYPE(self)));
    PyObject *what;
    Py_buffer buf;
    if (!PyArg_ParseTuple(args, "Oy*", &what, &buf)) return NULL;
    rc_part_query pq;
    rc_query q;
    PyObject *keep = NULL;
    const char **entities = NULL;
    if (!part_query_of(what, &pq) || !check_idle(self) ||
        !query_from_kwargs(st, kw, &q, &keep, &entities)) {
        free(entities);
        Py_XDECREF(keep);
        PyBuffer_Release(&buf);
        return NULL;
    }
    rc_table *t = NULL;
    rc_error err = {0};
    rc_status rc;
    self->readers++;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_corpus_part_table(self->c, pq, &q, buf.buf, (size_t)buf.len, &t, &err);
    Py_END_ALLOW_THREADS
    self->readers--;
    free(entities);
    Py_XDECREF(keep);
    PyBuffer_Release(&buf);
    return table_result(PyType_GetModule(Py_TYPE(self)), t, rc, &err);
}

/* list_files(paths, include=None, exclude=None): the files a Corpus of
** paths reads, in order, and their document ids, as two lists of str. */
static PyObject *py_list_files(PyObject *module, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"paths", "include", "exclude", NULL};
    PyObject *paths, *include = Py_None, *exclude = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OO", kwlist, &paths, &include, &exclude))
        return NULL;
    PyObject *keep[3] = {NULL, NULL, NULL}, *result = NULL;
    const char **cpaths = c_strings(paths, &keep[0]);
    const char **inc = cpaths ? c_strings(include, &keep[1]) : NULL;
    const char **exc = inc ? c_strings(exclude, &keep[2]) : NULL;
    rc_source *src = NULL;
    if (!exc) goto done;
    rc_source_opts so;
    memset(&so, 0, sizeof so);
    so.include = include == Py_None ? NULL : inc;
    so.exclude = exclude == Py_None ? NULL : exc;
    rc_error err = {0};
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_source_new(cpaths, (size_t)PyList_GET_SIZE(keep[0]), &so, NULL, &src, &err);
    if (rc == RC_OK) rc = rc_source_list(src, &err);
    Py_END_ALLOW_THREADS
    if (rc) {
        raise_status(module, rc, &err);
        goto done;
    }
    size_t n = rc_source_files(src);
    PyObject *files = PyList_New((Py_ssize_t)n), *ids = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; files && ids && i < n; i++) {
        const char *path, *id;
        rc_source_file(src, i, &path, &id);
        PyObject *p = PyUnicode_DecodeFSDefault(path), *d = PyUnicode_DecodeFSDefault(id);
        if (!p || !d) {
            Py_XDECREF(p);
            Py_XDECREF(d);
            Py_CLEAR(files);
            break;
        }
        PyList_SET_ITEM(files, (Py_ssize_t)i, p);
        PyList_SET_ITEM(ids, (Py_ssize_t)i, d);
    }
    if (files && ids) result = PyTuple_Pack(2, files, ids);
    Py_XDECREF(files);
    Py_XDECREF(ids);
done:
    rc_source_free(src);
    free(cpaths);
    free(inc);
    free(exc);
    for (int i = 0; i < 3; i++) Py_XDECREF(keep[i]);
    return result;
}

/* part_counts_sum(counts): the sum of part counts (a sequence of bytes). */
static PyObject *py_part_counts_sum(PyObject *module, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "counts must be a sequence of bytes");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    const unsigned char **v = calloc((size_t)n + 1, sizeof *v);
    size_t *lens = calloc((size_t)n + 1, sizeof *lens);
    PyObject *out = NULL;
    if (!v || !lens) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyBytes_Check(b)) {
            PyErr_SetString(PyExc_TypeError, "counts must be a sequence of bytes");
            goto done;
        }
        v[i] = (const unsigned char *)PyBytes_AS_STRING(b);
        lens[i] = (size_t)PyBytes_GET_SIZE(b);
    }
    unsigned char *data = NULL;
    size_t len = 0;
    rc_error err = {0};
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_part_counts_sum(v, lens, (size_t)n, &data, &len, &err);
    Py_END_ALLOW_THREADS
    if (rc) {
        free(data);
        raise_status(module, rc, &err);
        goto done;
    }
    out = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)len);
    free(data);
done:
    free(v);
    free(lens);
    Py_DECREF(seq);
    return out;
}

/* Load a database's stored analysis (relcore.open). */
static PyObject *corpus_load_db(corpus_obj *self, PyObject *args) {
    PyObject *path;
    if (!PyArg_ParseTuple(args, "O&", PyUnicode_FSConverter, &path)) return NULL;
    if (!check_idle(self)) {
        Py_DECREF(path);
        return NULL;
    }
    rc_error err = {0};
    rc_store *st = NULL;
    rc_status rc;
    sigguard_enter();
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_store_open(PyBytes_AS_STRING(path), 0, self->g, &st, &err);
    if (rc == RC_OK) rc = rc_store_load(st, self->c, &err);
    rc_store_close(st);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    sigguard_leave();
    Py_DECREF(path);
    if (rc) {
        raise_status(PyType_GetModule(Py_TYPE(self)), rc, &err);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef corpus_methods[] = {
    {"pack", (PyCFunction)corpus_pack, METH_NOARGS,
     "pack()\n--\n\nThe analysis of every document as bytes."},
    {"unpack", (PyCFunction)corpus_unpack, METH_VARARGS,
     "unpack(data)\n--\n\nAppend the documents of pack()'s bytes."},
    {"pack_tallies", (PyCFunction)corpus_pack_tallies, METH_NOARGS,
     "pack_tallies()\n--\n\nThe corpus-wide tallies (entities, their mentions and "
     "countries, terms) as bytes."},
    {"unpack_tallies", (PyCFunction)corpus_unpack_tallies, METH_VARARGS,
     "unpack_tallies(data)\n--\n\nAdd pack_tallies()'s tallies to this corpus's."},
    {"part_counts", (PyCFunction)(void (*)(void))corpus_part_counts,
     METH_VARARGS | METH_KEYWORDS,
     "part_counts(whole, what, **options)\n--\n\nThis part's counts of a 'count', "
     "'cooccur' or 'timeline' query, keyed by whole (the parts' tallies), as bytes."},
    {"part_kwic", (PyCFunction)(void (*)(void))corpus_part_kwic,
     METH_VARARGS | METH_KEYWORDS,
     "part_kwic(whole, **options)\n--\n\nThis part's kwic rows, names resolved as in "
     "whole (the parts' tallies), as columns (character offsets)."},
    {"part_mentions", (PyCFunction)corpus_part_mentions, METH_VARARGS,
     "part_mentions(whole)\n--\n\nThis part's mentions, entities folded and typed as in "
     "whole (the parts' tallies), as columns (character offsets)."},
    {"part_table", (PyCFunction)(void (*)(void))corpus_part_table,
     METH_VARARGS | METH_KEYWORDS,
     "part_table(what, counts, **options)\n--\n\nThe table of the parts' summed "
     "counts, made on this corpus of their tallies, as columns."},
    {"load_db", (PyCFunction)corpus_load_db, METH_VARARGS,
     "load_db(path)\n--\n\nAdd the documents and analysis stored in a relcore "
     "database."},
    {"add_paths", (PyCFunction)(void (*)(void))corpus_add_paths,
     METH_VARARGS | METH_KEYWORDS,
     "add_paths(paths, text_col=None, id_col=None, title_col=None, "
     "date_col=None, include=None, exclude=None, progress=None, strict=False, "
     "ids=None)\n--\n\n"
     "Analyse the documents under paths and add them; progress(documents, "
     "bytes) is called now and then during a long run; ids name the paths "
     "instead of their place among them (a part of a list keeps the list's "
     "ids)."},
    {"add_texts", (PyCFunction)(void (*)(void))corpus_add_texts,
     METH_VARARGS | METH_KEYWORDS,
     "add_texts(texts, ids, dates, metas, progress=None)\n--\n\n"
     "Analyse every text as a document (lists as long; dates str or None, "
     "metas dict or None), on the corpus's threads."},
    {"count", (PyCFunction)(void (*)(void))corpus_count,
     METH_VARARGS | METH_KEYWORDS,
     "count(**options)\n--\n\nCounts per entity, as columns."},
    {"cooccur", (PyCFunction)(void (*)(void))corpus_cooccur,
     METH_VARARGS | METH_KEYWORDS,
     "cooccur(**options)\n--\n\nCo-occurrence pairs with measures, as "
     "columns."},
    {"kwic", (PyCFunction)(void (*)(void))corpus_kwic, METH_VARARGS | METH_KEYWORDS,
     "kwic(entity=[A, B], level='entity')\n--\n\nThe sentences naming A (and "
     "B), as columns (character offsets)."},
    {"timeline", (PyCFunction)(void (*)(void))corpus_timeline,
     METH_VARARGS | METH_KEYWORDS,
     "timeline(by='month', entity=None, ...)\n--\n\nCounts by period, as columns."},
    {"mentions", (PyCFunction)corpus_mentions, METH_NOARGS,
     "mentions()\n--\n\nOne row a mention, as columns."},
    {"documents", (PyCFunction)corpus_documents, METH_NOARGS,
     "documents()\n--\n\nOne row a document, as columns."},
    {"metadata", (PyCFunction)corpus_metadata, METH_NOARGS,
     "metadata()\n--\n\nThe documents' metadata (doc, key, value), as "
     "columns."},
    {"take_warnings", (PyCFunction)corpus_take_warnings, METH_NOARGS,
     "take_warnings()\n--\n\nThe warnings collected since the last call."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot corpus_slots[] = {
    {Py_tp_new, corpus_new},
    {Py_tp_dealloc, corpus_dealloc},
    {Py_tp_traverse, corpus_traverse},
    {Py_tp_clear, corpus_clear},
    {Py_tp_methods, corpus_methods},
    {Py_mp_length, corpus_len},
    {Py_tp_doc, "Corpus(gazetteer=None, builtin=True)\n--\n\n"
                "An analysed corpus (the C core's rc_corpus)."},
    {0, NULL},
};

static PyType_Spec corpus_spec = {
    "relcore._core.Corpus", sizeof(corpus_obj), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
    corpus_slots,
};

/* MARK: - Module ------------------------------------------------------------------ */

static PyObject *py_gazetteer(PyObject *module, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"gazetteer", "builtin", "ner", NULL};
    PyObject *files = Py_None;
    int builtin = 1;
    const char *ner_name = "model";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|Ops", kwlist, &files, &builtin,
                                     &ner_name))
        return NULL;
    rc_ner_mode ner;
    rc_error nerr = {0};
    if (rc_ner_mode_parse(ner_name, &ner, &nerr) != RC_OK) {
        PyErr_SetString(PyExc_ValueError, nerr.msg);
        return NULL;
    }
    rc_gazetteer *g = make_gazetteer(module, files, builtin);
    if (!g) return NULL;
    rc_table *t = NULL;
    rc_status rc = rc_gazetteer_table(g, &t);
    rc_gazetteer_free(g);
    return table_result(module, t, rc, NULL);
}

static PyMethodDef module_methods[] = {
    {"tokenize", (PyCFunction)(void (*)(void))py_tokenize,
     METH_VARARGS | METH_KEYWORDS,
     "tokenize(text, gazetteer=None, builtin=True)\n--\n\nTokens of text as "
     "columns (character offsets)."},
    {"sentences", (PyCFunction)(void (*)(void))py_sentences,
     METH_VARARGS | METH_KEYWORDS,
     "sentences(text, gazetteer=None, builtin=True)\n--\n\nSentences of text "
     "as columns (character offsets)."},
    {"extract", (PyCFunction)(void (*)(void))py_extract,
     METH_VARARGS | METH_KEYWORDS,
     "extract(text, gazetteer=None, builtin=True)\n--\n\nEntity mentions of "
     "text as columns (character offsets)."},
    {"gazetteer", (PyCFunction)(void (*)(void))py_gazetteer,
     METH_VARARGS | METH_KEYWORDS,
     "gazetteer(gazetteer=None, builtin=True)\n--\n\nThe effective gazetteer "
     "as columns."},
    {"list_files", (PyCFunction)(void (*)(void))py_list_files, METH_VARARGS | METH_KEYWORDS,
     "list_files(paths, include=None, exclude=None)\n--\n\nThe files a Corpus of paths "
     "reads, in order, and their document ids: (paths, ids)."},
    {"part_counts_sum", py_part_counts_sum, METH_O,
     "part_counts_sum(counts)\n--\n\nThe sum of parts' counts (bytes of "
     "Corpus.part_counts), as bytes."},
    {"cli_main", py_cli_main, METH_O,
     "cli_main(argv)\n--\n\nRun the relcore command line; returns the exit "
     "status."},
    {NULL, NULL, 0, NULL},
};

static int module_exec(PyObject *module) {
    module_state *st = get_state(module);
    st->error = PyErr_NewExceptionWithDoc(
        "relcore._core.Error", "Base class of relcore's errors.",
        PyExc_Exception, NULL);
    if (!st->error || PyModule_AddObjectRef(module, "Error", st->error) < 0)
        return -1;
    PyObject *bases = PyTuple_Pack(2, st->error, PyExc_ValueError);
    st->option_error =
        bases ? PyErr_NewExceptionWithDoc(
                    "relcore._core.OptionError",
                    "An invalid option or value, or an unknown entity or "
                    "column.",
                    bases, NULL)
              : NULL;
    Py_XDECREF(bases);
    if (!st->option_error ||
        PyModule_AddObjectRef(module, "OptionError", st->option_error) < 0)
        return -1;
    bases = PyTuple_Pack(2, st->error, PyExc_FileNotFoundError);
    st->path_error = bases ? PyErr_NewExceptionWithDoc(
                                 "relcore._core.PathError",
                                 "An input path that does not exist.", bases,
                                 NULL)
                           : NULL;
    Py_XDECREF(bases);
    if (!st->path_error ||
        PyModule_AddObjectRef(module, "PathError", st->path_error) < 0)
        return -1;
    PyObject *array_mod = PyImport_ImportModule("array");
    st->array_type = array_mod ? PyObject_GetAttrString(array_mod, "array") : NULL;
    Py_XDECREF(array_mod);
    if (!st->array_type) return -1;
    st->corpus =
        (PyTypeObject *)PyType_FromModuleAndSpec(module, &corpus_spec, NULL);
    if (!st->corpus ||
        PyModule_AddObjectRef(module, "Corpus", (PyObject *)st->corpus) < 0)
        return -1;
    if (PyModule_AddStringConstant(module, "__version__", RC_VERSION) < 0)
        return -1;
    return 0;
}

static int module_traverse(PyObject *module, visitproc visit, void *arg) {
    module_state *st = get_state(module);
    Py_VISIT(st->error);
    Py_VISIT(st->option_error);
    Py_VISIT(st->path_error);
    Py_VISIT(st->corpus);
    Py_VISIT(st->array_type);
    return 0;
}

static int module_clear(PyObject *module) {
    module_state *st = get_state(module);
    Py_CLEAR(st->error);
    Py_CLEAR(st->option_error);
    Py_CLEAR(st->path_error);
    Py_CLEAR(st->corpus);
    Py_CLEAR(st->array_type);
    for (int b = 0; b < 2; b++) { /* a docres borrows its gazetteer and tagger */
        rc_docres_free(st->idle_docres[b]);
        st->idle_docres[b] = NULL;
        Py_CLEAR(st->plain_gazetteer[b]);
    }
    Py_CLEAR(st->tagger);
    return 0;
}

static void module_free(void *module) { module_clear((PyObject *)module); }

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, module_exec},
#if PY_VERSION_HEX >= 0x030C0000
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "relcore._core",
    "The relcore C core: tokenizer, recognizer, counts and co-occurrence.",
    sizeof(module_state),
    module_methods,
    module_slots,
    module_traverse,
    module_clear,
    module_free,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&module_def); }
