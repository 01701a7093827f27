/*
** relcore_module.c -- relcore._core, the Python binding, written against
** the CPython C API (3.11+).  A thin adapter: it converts arguments, calls
** the core with the GIL released, and returns the core's rc_table results
** as a dict of column lists that the Python package turns into DataFrames.
**
** Module state (multi-phase init): the Error exception and the Corpus
** heap type.  A Corpus owns a frozen gazetteer and an rc_corpus; it is
** not shared between threads while documents are added (a per-object
** lock-free guard refuses concurrent mutation), and queries only read it.
**
** Ctrl-C: while the GIL is released, a SIGINT handler of this adapter sets
** a flag that the core polls between documents; the call then raises
** KeyboardInterrupt.  The handler is installed only around a call made
** (the first of concurrent calls installs it, the last restores the old).
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "relcore.h"

typedef struct module_state {
    PyObject *error;       /* relcore._core.Error */
    PyTypeObject *corpus;  /* relcore._core.Corpus */
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
    switch (rc) {
    case RC_ENOMEM: return PyErr_NoMemory();
    case RC_EINTR:
        PyErr_SetNone(PyExc_KeyboardInterrupt);
        return NULL;
    case RC_ENOENT:
        if (strstr(msg, "no such file")) {
            PyErr_SetString(PyExc_FileNotFoundError, msg);
            return NULL;
        }
        PyErr_SetString(PyExc_ValueError, msg);
        return NULL;
    case RC_EINVAL:
        PyErr_SetString(PyExc_ValueError, msg);
        return NULL;
    default:
        PyErr_SetString(get_state(module)->error, msg);
        return NULL;
    }
}

/* MARK: - Tables to columns ------------------------------------------------- */

static PyObject *column_list(const rc_table *t, size_t col) {
    size_t n = rc_table_rows(t);
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (!list) return NULL;
    for (size_t i = 0; i < n; i++) {
        PyObject *v;
        size_t len;
        const char *s;
        switch (rc_table_col_kind(t, col)) {
        case RC_COL_STR:
            s = rc_table_get_str(t, i, col, &len);
            v = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "replace");
            break;
        case RC_COL_INT: v = PyLong_FromLongLong(rc_table_get_int(t, i, col)); break;
        default: v = PyFloat_FromDouble(rc_table_get_real(t, i, col)); break;
        }
        if (!v) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v); /* steals v */
    }
    return list;
}

/* {column name: list} in column order; frees nothing. */
static PyObject *table_to_dict(const rc_table *t) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    for (size_t j = 0; j < rc_table_cols(t); j++) {
        PyObject *col = column_list(t, j);
        if (!col || PyDict_SetItemString(d, rc_table_col_name(t, j), col) < 0) {
            Py_XDECREF(col);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(col);
    }
    return d;
}

/* Convert and free the table. */
static PyObject *table_result(PyObject *module, rc_table *t, rc_status rc,
                              const rc_error *err) {
    if (rc) {
        rc_table_free(t);
        return raise_status(module, rc, err);
    }
    PyObject *d = table_to_dict(t);
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

/* MARK: - One text ------------------------------------------------------------ */

typedef enum text_table { TT_TOKENS, TT_SENTENCES, TT_MENTIONS } text_table;

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
    rc_gazetteer *g = make_gazetteer(module, files, builtin);
    if (!g) return NULL;
    char *copy = malloc((size_t)len + 1);
    if (!copy) {
        rc_gazetteer_free(g);
        return PyErr_NoMemory();
    }
    memcpy(copy, utf8, (size_t)len + 1);
    rc_doc doc = {"-", "-", copy, (size_t)len, NULL, NULL, NULL, 0, 0};
    rc_docres *r = NULL;
    rc_table *t = NULL;
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = which == TT_TOKENS      ? rc_tokens_table_new(NULL, &t)
         : which == TT_SENTENCES ? rc_sentences_table_new(NULL, &t)
                                 : rc_mentions_table_new(NULL, &t);
    if (rc == RC_OK) rc = rc_docres_new(g, NULL, &r);
    if (rc == RC_OK) rc = rc_docres_set_ner(r, ner, NULL);
    if (rc == RC_OK) rc = rc_docres_analyse(r, &doc);
    if (rc == RC_OK)
        rc = which == TT_TOKENS      ? rc_docres_tokens(r, &doc, 1, t)
             : which == TT_SENTENCES ? rc_docres_sentences(r, &doc, 1, t)
                                     : rc_docres_mentions(r, &doc, 1, t);
    rc_docres_free(r);
    Py_END_ALLOW_THREADS
    free(copy);
    rc_gazetteer_free(g);
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
    rc_corpus *c;
    PyObject *warnings; /* list of warning strings */
    int busy;           /* documents being added: refuse other calls */
} corpus_obj;

static void collect_warning(void *ctx, const char *msg) {
    /* Called with the GIL released: keep the message in a C buffer list. */
    corpus_obj *self = ctx;
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
    rc_gazetteer_free(self->g);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *corpus_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
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
    corpus_obj *self = (corpus_obj *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->warnings = PyList_New(0);
    if (!self->warnings) goto fail;
    PyObject *mod = PyType_GetModule(type);
    if (!mod) goto fail;
    self->g = make_gazetteer(mod, files, builtin);
    if (!self->g) goto fail;
    rc_analysis_opts ao = {collect_warning, self, &interrupted, ner, NULL};
    if (rc_corpus_new(self->g, &ao, NULL, &self->c) != RC_OK) {
        PyErr_NoMemory();
        goto fail;
    }
    return (PyObject *)self;
fail:
    Py_DECREF(self);
    return NULL;
}

static int check_idle(corpus_obj *self) {
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError,
                        "Corpus is being filled by another thread");
        return 0;
    }
    return 1;
}

/* Corpus.add_paths(paths, text_col=, id_col=, title_col=, date_col=,
** include=, exclude=) */
static PyObject *corpus_add_paths(corpus_obj *self, PyObject *args,
                                  PyObject *kw) {
    static char *kwlist[] = {"paths", "text_col", "id_col", "title_col",
                             "date_col", NULL};
    PyObject *paths;
    rc_source_opts so;
    memset(&so, 0, sizeof so);
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|zzzz", kwlist, &paths,
                                     &so.text_col, &so.id_col, &so.title_col,
                                     &so.date_col))
        return NULL;
    if (!check_idle(self)) return NULL;
    PyObject *seq = PySequence_Fast(paths, "paths must be a list");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    const char **cpaths = calloc((size_t)n + 1, sizeof *cpaths);
    PyObject **keep = calloc((size_t)n + 1, sizeof *keep);
    PyObject *result = NULL;
    if (!cpaths || !keep) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *p = PyOS_FSPath(PySequence_Fast_GET_ITEM(seq, i));
        keep[i] = p ? PyUnicode_EncodeFSDefault(p) : NULL;
        Py_XDECREF(p);
        if (!keep[i]) goto done;
        cpaths[i] = PyBytes_AS_STRING(keep[i]);
    }
    so.warn = collect_warning;
    so.warn_ctx = self;
    rc_error err = {0};
    rc_source *src = NULL;
    rc_status rc;
    sigguard_enter();
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_source_new(cpaths, (size_t)n, &so, NULL, &src, &err);
    if (rc == RC_OK) rc = rc_corpus_add_source(self->c, src, &err);
    rc_source_free(src);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    sigguard_leave();
    if (rc)
        raise_status(PyType_GetModule(Py_TYPE(self)), rc, &err);
    else
        result = Py_NewRef(Py_None);
done:
    for (Py_ssize_t i = 0; keep && i < n; i++) Py_XDECREF(keep[i]);
    free(keep);
    free(cpaths);
    Py_DECREF(seq);
    return result;
}

/* Corpus.add_text(text, id, title=None, date=None, meta=None, article=False) */
static PyObject *corpus_add_text(corpus_obj *self, PyObject *args,
                                 PyObject *kw) {
    static char *kwlist[] = {"text", "id", "date", "meta", "article", NULL};
    PyObject *text, *meta = Py_None;
    const char *id, *date = NULL;
    int article = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "Us|zOp", kwlist, &text, &id,
                                     &date, &meta, &article))
        return NULL;
    if (!check_idle(self)) return NULL;
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &len);
    if (!utf8) return NULL;
    rc_meta *mv = NULL;
    Py_ssize_t nmeta = 0;
    PyObject *items = NULL;
    if (meta != Py_None) {
        if (!PyDict_Check(meta)) {
            PyErr_SetString(PyExc_TypeError, "meta must be a dict of str");
            return NULL;
        }
        items = PyDict_Items(meta);
        if (!items) return NULL;
        nmeta = PyList_GET_SIZE(items);
        mv = calloc((size_t)nmeta + 1, sizeof *mv);
        if (!mv) {
            Py_DECREF(items);
            return PyErr_NoMemory();
        }
        for (Py_ssize_t i = 0; i < nmeta; i++) {
            PyObject *kv = PyList_GET_ITEM(items, i);
            mv[i].key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kv, 0));
            mv[i].value = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kv, 1));
            if (!mv[i].key || !mv[i].value) {
                free(mv);
                Py_DECREF(items);
                return NULL;
            }
        }
    }
    char *copy = malloc((size_t)len + 1);
    if (!copy) {
        free(mv);
        Py_XDECREF(items);
        return PyErr_NoMemory();
    }
    memcpy(copy, utf8, (size_t)len + 1);
    size_t bad_at;
    rc_utf8_repair(copy, (size_t)len, &bad_at);
    rc_doc doc = {id, id, copy, (size_t)len, NULL, date, mv, (size_t)nmeta,
                  article};
    rc_error err = {0};
    rc_status rc;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_corpus_add(self->c, &doc, &err);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    free(copy);
    free(mv);
    Py_XDECREF(items);
    if (rc) return raise_status(PyType_GetModule(Py_TYPE(self)), rc, &err);
    Py_RETURN_NONE;
}

/* Fill a query from keyword arguments named as on the command line (with
** underscores): context, level, sort, types, min_count, top, entity. */
static int query_from_kwargs(PyObject *kw, rc_query *q, PyObject **keep,
                             const char ***entities) {
    memset(q, 0, sizeof *q);
    *entities = NULL;
    *keep = NULL;
    if (!kw) return 1;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kw, &pos, &key, &value)) {
        const char *name = PyUnicode_AsUTF8(key);
        if (!name) return 0;
        if (value == Py_None) continue;
        if (!strcmp(name, "entity")) {
            PyObject *seq = PyUnicode_Check(value)
                                ? PyTuple_Pack(1, value)
                                : PySequence_Tuple(value);
            if (!seq) return 0;
            Py_ssize_t n = PyTuple_GET_SIZE(seq);
            const char **v = calloc((size_t)n + 1, sizeof *v);
            if (!v) {
                Py_DECREF(seq);
                PyErr_NoMemory();
                return 0;
            }
            for (Py_ssize_t i = 0; i < n; i++)
                if (!(v[i] = PyUnicode_AsUTF8(PyTuple_GET_ITEM(seq, i)))) {
                    free(v);
                    Py_DECREF(seq);
                    return 0;
                }
            *keep = seq;
            *entities = v;
            q->entities = v;
            continue;
        }
        char opt[32];
        size_t i = 0;
        for (; name[i] && i + 1 < sizeof opt; i++)
            opt[i] = name[i] == '_' ? '-' : name[i];
        opt[i] = '\0';
        PyObject *str = PyObject_Str(value);
        if (!str) return 0;
        const char *sv = PyUnicode_AsUTF8(str);
        rc_error err = {0};
        rc_status rc = sv ? rc_query_set(q, opt, sv, &err) : RC_EINVAL;
        Py_DECREF(str);
        if (rc == RC_ENOENT) {
            PyErr_Format(PyExc_TypeError, "unexpected keyword argument '%s'", name);
            return 0;
        }
        if (rc) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, err.msg);
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
    if (!query_from_kwargs(kw, &q, &keep, &entities)) {
        free(entities);
        Py_XDECREF(keep);
        return NULL;
    }
    rc_table *t = NULL;
    rc_error err = {0};
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = fn(self->c, &q, &t, &err);
    Py_END_ALLOW_THREADS
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

static PyObject *corpus_mentions(corpus_obj *self, PyObject *unused) {
    (void)unused;
    if (!check_idle(self)) return NULL;
    rc_table *t = NULL;
    rc_status rc;
    Py_BEGIN_ALLOW_THREADS
    rc = rc_corpus_mentions(self->c, 1, &t);
    Py_END_ALLOW_THREADS
    return table_result(PyType_GetModule(Py_TYPE(self)), t, rc, NULL);
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

static PyMethodDef corpus_methods[] = {
    {"add_paths", (PyCFunction)(void (*)(void))corpus_add_paths,
     METH_VARARGS | METH_KEYWORDS,
     "add_paths(paths, text_col=None, id_col=None, title_col=None, "
     "date_col=None)\n--\n\nAnalyse the documents under paths and add them."},
    {"add_text", (PyCFunction)(void (*)(void))corpus_add_text,
     METH_VARARGS | METH_KEYWORDS,
     "add_text(text, id, date=None, meta=None, article=False)\n--\n\n"
     "Analyse one text and add it as a document."},
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
    Py_VISIT(st->corpus);
    return 0;
}

static int module_clear(PyObject *module) {
    module_state *st = get_state(module);
    Py_CLEAR(st->error);
    Py_CLEAR(st->corpus);
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
