/*
** rc_source.c -- where documents come from: files, folders and standard
** input, turned into rc_doc one at a time.
**
** rc_source_new checks that every path exists, so a missing path fails
** before any output, and keeps them as the roots of a walk.  The walk
** lists files as the reading needs them, a batch ahead (list_to): folders
** walked depth first, each one's entries read and sorted by byte order of
** their names when the walk enters it, hidden entries skipped;
** --include/--exclude globs matched against the id and the base name.  So
** a tree of many folders is read from its first folder on while the rest
** is not listed yet (on two threads the listing overlaps the analysis),
** in the order a whole listing would give.  rc_source_next hands out one
** file at a time, read into a buffer the source owns and reuses: an
** article file is one document, its bytes read ahead with the regular
** article files after it, up to RC_FILE_BATCH of them in one system
** call (rc_filebatch.c; file by file where io_uring is missing, and for
** standard input and other special files); a .csv/.tsv file is read once
** in blocks to check its bytes, then streamed by the CSV reader
** (rc_csvio.c), one document a row: memory does not grow with its size.
** For the thread pool (rc_source_next_part) a CSV file's rows come as raw
** segments that the workers parse.
**
** Ids (SPEC §3): the path relative to the root given; with several roots,
** relative to their common parent folder; a single file given directly is
** its base name; standard input is "-".  opts.ids names the roots instead
** (relcore.dask: a partition of a list keeps the whole list's ids).
**
** Invariants: files[0..nfiles) are listed in reading order and stay put
** until the source is freed (documents point at their ids and paths);
** roots[next_root..) and the frames' entries from their `next` on are
** what is not listed yet, the innermost folder last.
**
** Bad files never stop a run: invalid UTF-8 is repaired (one warning with
** the byte offset), a file with NUL bytes, an empty or unreadable file is
** skipped with a warning.  With opts.strict each of these fails the run
** instead (report() below is the one place that decides).
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc_internal.h"
#include "rc_io.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct file_ref {
    char *path;  /* to open; owns the block that holds id too */
    char *id;    /* relative id */
    int regular; /* a regular file (stat says so): its reads are short
                    only at its end, so it may be read in a batch */
} file_ref;

/* A folder entry: its name and what readdir says it is (DT_UNKNOWN and
** DT_LNK ask stat, which follows links). */
typedef struct dir_entry {
    uint64_t key; /* the name's first 8 bytes, big-endian: sorts as it does */
    size_t name;  /* its offset in the folder's names (read_entries) */
    unsigned char type;
} dir_entry;

/* A folder's entries, their names one after another in one buffer. */
typedef struct dir_list {
    dir_entry *v;
    size_t n, cap;
    char *names;
    size_t len, names_cap;
} dir_list;

/* A folder of the walk: its entries, sorted, and the next one to take. */
typedef struct walk_frame {
    char *dir;    /* its path; owns the block that holds prefix too */
    char *prefix; /* the id prefix of its entries */
    dir_list l;
    size_t next;
} walk_frame;

/* A path given to rc_source_new, listed in its turn. */
typedef struct root {
    char *path; /* owns the block that holds id too */
    char *id;   /* its id, or a folder's id prefix */
    int is_dir, regular;
} root;

struct rc_source {
    const rc_allocator *alc;
    rc_source_opts opts;
    file_ref *files;   /* the files listed so far, in reading order */
    size_t nfiles, files_cap, next;
    root *roots;
    size_t nroots, roots_cap, next_root; /* roots[next_root..] not walked yet */
    walk_frame *frames;       /* the folders being walked, outermost first */
    size_t depth, frames_cap;
    char *buf;
    size_t buf_cap;
    uint64_t bytes;
    rc_csv_docs *csv; /* the CSV file being read, or NULL */
    rc_file_batch *batch;         /* article files read ahead, or NULL */
    int batch_tried;              /* whether the batch reader was made */
    size_t batch_first, batch_n;  /* files[batch_first..+batch_n) in it */
};

/* A problem with one input: a warning that ends by saying what was done
** (returns RC_OK, carry on), or with opts.strict a failure (returns its
** status with err filled). */
static rc_status report(rc_source *s, rc_warning kind, rc_error *err,
                        const char *fmt, ...) RC_PRINTF(4, 5);
static rc_status report(rc_source *s, rc_warning kind, rc_error *err,
                        const char *fmt, ...) {
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->opts.strict)
        return rc_error_set(err, rc_warning_status(kind), 0, "%s", msg);
    size_t n = strlen(msg);
    snprintf(msg + n, sizeof msg - n, " (%s)",
             kind == RC_WARN_UTF8 ? "repaired" : "skipped");
    if (s->opts.warn) s->opts.warn(s->opts.warn_ctx, kind, msg);
    return RC_OK;
}

static int has_ext(const char *name, const char *ext) {
    size_t n = strlen(name), e = strlen(ext);
    return n > e && !strcasecmp(name + n - e, ext);
}

static int is_csv(const char *name) {
    return has_ext(name, ".csv") || has_ext(name, ".tsv");
}

/* Articles: .txt or no extension (a dot only at the start is none). */
static int is_article_name(const char *name) {
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    return !dot || dot == base || has_ext(base, ".txt");
}

static int wanted(const rc_source *s, const char *id) {
    const char *base = strrchr(id, '/');
    base = base ? base + 1 : id;
    if (s->opts.include && s->opts.include[0]) {
        int ok = 0;
        for (size_t i = 0; s->opts.include[i] && !ok; i++)
            ok = !fnmatch(s->opts.include[i], id, 0) ||
                 !fnmatch(s->opts.include[i], base, 0);
        if (!ok) return 0;
    }
    for (size_t i = 0; s->opts.exclude && s->opts.exclude[i]; i++)
        if (!fnmatch(s->opts.exclude[i], id, 0) || !fnmatch(s->opts.exclude[i], base, 0))
            return 0;
    return 1;
}

/* List the file *path, named *id (one block, *path's: see path_and_id),
** unless the globs leave it out.  The list takes the block (*path and
** *id become NULL); one left is the caller's to free. */
static rc_status take_file(rc_source *s, char **path, char **id, int regular) {
    if (!wanted(s, *id)) return RC_OK;
    if (rc_grow(s->alc, (void **)&s->files, &s->files_cap, s->nfiles + 1,
                sizeof *s->files))
        return RC_ENOMEM;
    s->files[s->nfiles++] = (file_ref){*path, *id, regular};
    *path = *id = NULL;
    return RC_OK;
}

/* a, a slash unless a is empty or ends with one, and b, at to. */
static char *put_joined(char *to, const char *a, size_t na, const char *b, size_t nb) {
    memcpy(to, a, na);
    to += na;
    if (na && a[na - 1] != '/') *to++ = '/';
    memcpy(to, b, nb);
    to[nb] = '\0';
    return to + nb + 1;
}

/* One block holding a file's path, dir joined with name, and its id,
** prefix joined with name (name alone when prefix is NULL or empty):
** *path is the block, *id points into it.  RC_ENOMEM sets both NULL. */
static rc_status path_and_id(const rc_allocator *alc, const char *dir, const char *prefix,
                             const char *name, char **path, char **id) {
    size_t nd = strlen(dir), np = prefix ? strlen(prefix) : 0, nn = strlen(name);
    char *p = rc_malloc(alc, nd + np + 2 * nn + 4);
    *path = p;
    *id = NULL;
    if (!p) return RC_ENOMEM;
    *id = put_joined(p, dir, nd, name, nn);
    put_joined(*id, prefix ? prefix : "", np, name, nn);
    return RC_OK;
}

/* Add path, named id, to the roots to walk (a folder's id: the prefix
** of its files', trailing slashes dropped). */
static rc_status add_root(rc_source *s, const char *path, const char *id, int is_dir,
                          int regular) {
    size_t np = strlen(path), ni = strlen(id);
    while (is_dir && ni && id[ni - 1] == '/') ni--;
    char *p = rc_malloc(s->alc, np + ni + 2);
    if (!p || rc_grow(s->alc, (void **)&s->roots, &s->roots_cap, s->nroots + 1,
                      sizeof *s->roots)) {
        rc_free(s->alc, p);
        return RC_ENOMEM;
    }
    memcpy(p, path, np + 1);
    char *i = p + np + 1;
    memcpy(i, id, ni);
    i[ni] = '\0';
    s->roots[s->nroots++] = (root){p, i, is_dir, regular};
    return RC_OK;
}

static const char *entry_name(const dir_list *l, size_t i) { return l->names + l->v[i].name; }

static void frame_free(rc_source *s, walk_frame *f) {
    rc_free(s->alc, f->dir);
    rc_free(s->alc, f->l.v);
    rc_free(s->alc, f->l.names);
}

static int entry_cmp(const void *a, const void *b, void *names) {
    const dir_entry *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return strcmp((const char *)names + x->name, (const char *)names + y->name);
}

static uint64_t name_key(const char *name, size_t len) {
    uint64_t k = 0;
    for (size_t i = 0; i < 8; i++) k = k << 8 | (i < len ? (unsigned char)name[i] : 0);
    return k;
}

/* The entries of folder d but hidden ones, sorted by name, in *l. */
static rc_status read_entries(rc_source *s, DIR *d, dir_list *l) {
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue; /* hidden, . and .. */
        size_t len = strlen(e->d_name);
        if (rc_grow(s->alc, (void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) ||
            rc_grow(s->alc, (void **)&l->names, &l->names_cap, l->len + len + 1, 1))
            return RC_ENOMEM;
        memcpy(l->names + l->len, e->d_name, len + 1);
        l->v[l->n++] = (dir_entry){name_key(e->d_name, len), l->len, e->d_type};
        l->len += len + 1;
    }
    if (l->n > 1) qsort_r(l->v, l->n, sizeof *l->v, entry_cmp, l->names);
    return RC_OK;
}

/* Push the folder dir (its files' ids prefixed with `prefix`) on the
** walk, its entries read and sorted; a folder that cannot be opened is
** reported instead. */
static rc_status frame_push(rc_source *s, const char *dir, const char *prefix,
                            rc_error *err) {
    DIR *d = opendir(dir);
    if (!d)
        return report(s, RC_WARN_UNREADABLE, err,
                      "%s: cannot open folder: %s", dir, strerror(errno));
    walk_frame f = {NULL, NULL, {NULL, 0, 0, NULL, 0, 0}, 0};
    size_t nd = strlen(dir), np = strlen(prefix);
    rc_status rc = read_entries(s, d, &f.l);
    closedir(d);
    if (rc == RC_OK && !(f.dir = rc_malloc(s->alc, nd + np + 2))) rc = RC_ENOMEM;
    if (rc == RC_OK && rc_grow(s->alc, (void **)&s->frames, &s->frames_cap, s->depth + 1,
                               sizeof *s->frames))
        rc = RC_ENOMEM;
    if (rc) {
        frame_free(s, &f);
        return rc;
    }
    memcpy(f.dir, dir, nd + 1);
    f.prefix = f.dir + nd + 1;
    memcpy(f.prefix, prefix, np + 1);
    s->frames[s->depth++] = f;
    return RC_OK;
}

/* One entry of a folder, *path named *id (path_and_id's block), of the
** kind readdir says (type): a folder pushed on the walk, an article or CSV
** file listed (take_file takes the block). */
static rc_status walk_entry(rc_source *s, char **path, char **id, const char *name,
                            unsigned char type, rc_error *err) {
    int is_dir = type == DT_DIR, is_reg = type == DT_REG;
    if (!is_dir && !is_reg) {
        struct stat st;
        if (stat(*path, &st) != 0)
            return report(s, RC_WARN_UNREADABLE, err, "%s: cannot read: %s", *path,
                          strerror(errno));
        is_dir = S_ISDIR(st.st_mode);
        is_reg = S_ISREG(st.st_mode);
    }
    if (is_dir) return frame_push(s, *path, *id, err);
    if (is_reg && (is_article_name(name) || is_csv(name)))
        return take_file(s, path, id, 1);
    return RC_OK;
}

/* One step of the walk: the next entry of the innermost folder, the end
** of that folder, or the next root. */
static rc_status walk_step(rc_source *s, rc_error *err) {
    if (!s->depth) {
        root *r = &s->roots[s->next_root++];
        if (r->is_dir) return frame_push(s, r->path, r->id, err);
        return take_file(s, &r->path, &r->id, r->regular);
    }
    walk_frame *f = &s->frames[s->depth - 1];
    if (f->next == f->l.n) {
        frame_free(s, f);
        s->depth--;
        return RC_OK;
    }
    size_t i = f->next++;
    char *path, *id;
    const char *name = entry_name(&f->l, i);
    rc_status rc = path_and_id(s->alc, f->dir, f->prefix, name, &path, &id);
    /* f may move: walk_entry may push a frame */
    if (rc == RC_OK) rc = walk_entry(s, &path, &id, name, f->l.v[i].type, err);
    rc_free(s->alc, path);
    return rc;
}

/* Walk on until file i is listed or every root is walked. */
static rc_status list_to(rc_source *s, size_t i, rc_error *err) {
    rc_status rc = RC_OK;
    while (rc == RC_OK && s->nfiles <= i && (s->depth || s->next_root < s->nroots))
        rc = walk_step(s, err);
    return rc;
}

/* Length of the common parent folder of the roots (with its slash). */
static size_t common_parent(const char *const *paths, size_t n) {
    size_t len = strlen(paths[0]);
    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < len && paths[i][k] && paths[i][k] == paths[0][k]) k++;
        len = k;
    }
    while (len && paths[0][len - 1] != '/') len--;
    return len;
}

static const char *base_name(const char *p) {
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') n--;
    const char *slash = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '/') slash = p + i;
    return slash ? slash + 1 : p;
}

rc_status rc_source_new(const char *const *paths, size_t n,
                        const rc_source_opts *opts, const rc_allocator *alc,
                        rc_source **out, rc_error *err) {
    *out = NULL;
    rc_source *s = rc_malloc(alc, sizeof *s);
    if (!s) return RC_ENOMEM;
    memset(s, 0, sizeof *s);
    s->alc = alc;
    if (opts) s->opts = *opts;
    size_t parent = n > 1 ? common_parent(paths, n) : 0;
    rc_status rc = RC_OK;
    for (size_t i = 0; i < n && rc == RC_OK; i++) {
        const char *p = paths[i];
        if (!strcmp(p, "-")) {
            rc = add_root(s, "-", "-", 0, 0);
            continue;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            rc = rc_error_set(err, errno == ENOENT ? RC_ENOENT : RC_EIO, 0,
                              "%s: %s", p,
                              errno == ENOENT ? "no such file or directory"
                                              : strerror(errno));
            break;
        }
        const char *id = s->opts.ids   ? s->opts.ids[i]
                         : n > 1       ? p + parent
                         : S_ISDIR(st.st_mode) ? ""
                                               : base_name(p);
        rc = add_root(s, p, id, S_ISDIR(st.st_mode), S_ISREG(st.st_mode));
    }
    if (rc) {
        rc_source_free(s);
        return rc;
    }
    *out = s;
    return RC_OK;
}

rc_status rc_source_list(rc_source *src, rc_error *err) { return list_to(src, SIZE_MAX, err); }

size_t rc_source_files(const rc_source *src) { return src->nfiles; }

void rc_source_file(const rc_source *src, size_t i, const char **path, const char **id) {
    *path = src->files[i].path;
    *id = src->files[i].id;
}

/* Where an article file's bytes go: a buffer, the bytes in use before
** them (at), and the allocator it grows with. */
typedef struct read_target {
    char **buf;
    size_t *cap;
    size_t at;
    const rc_allocator *alc;
} read_target;

/* The source's own buffer, or the caller's arena (rc_source_next_part). */
static read_target target_of(rc_source *s, rc_text_arena *into) {
    return into ? (read_target){&into->v, &into->cap, into->len, NULL}
                : (read_target){&s->buf, &s->buf_cap, 0, s->alc};
}

/* Read a whole file (or stdin) into *t->buf from t->at, where its first
** `have` bytes are already (a batch read them; the file is read on from
** there); returns its length via *len and, on RC_EIO, the system's error
** number in *os_err.  Plain read(2) calls into the buffer (no stdio: an
** article is a read or two), until one returns 0.  A read cut short by a
** signal goes on, unless opts.interrupt says stop (RC_EINTR). */
static rc_status read_all(rc_source *s, const char *path, const read_target *t,
                          size_t have, size_t *len, int *os_err) {
    *len = 0;
    *os_err = 0;
    int is_stdin = !strcmp(path, "-");
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || (have && lseek(fd, (off_t)have, SEEK_SET) < 0)) {
        *os_err = errno;
        if (fd >= 0 && !is_stdin) close(fd);
        return RC_EIO;
    }
    size_t n = have;
    rc_status rc = RC_OK;
    for (;;) {
        size_t need = t->at + n + 65537;
        if (need > *t->cap && rc_grow(t->alc, (void **)t->buf, t->cap, need, 1)) {
            rc = RC_ENOMEM;
            break;
        }
        char *at = *t->buf + t->at;
        ssize_t got = read(fd, at + n, *t->cap - t->at - n - 1);
        if (got < 0 && errno == EINTR) { /* a signal arrived */
            if (s->opts.interrupt && *s->opts.interrupt) {
                rc = RC_EINTR;
                break;
            }
            continue; /* not a stop: read on */
        }
        if (got < 0) {
            *os_err = errno;
            rc = RC_EIO;
            break;
        }
        n += (size_t)got;
        if (n > RC_MAX_DOC_BYTES) {
            rc = RC_ELIMIT;
            break;
        }
        if (got == 0) break;
    }
    if (!is_stdin) close(fd);
    if (rc == RC_OK) {
        (*t->buf)[t->at + n] = '\0';
        s->bytes += n;
    }
    *len = n;
    return rc;
}

/* The first byte at or after i of p[0..len) that is not ASCII, or len.
** SSE2: sixty-four bytes a test (the OR of four loads), then sixteen. */
static size_t skip_ascii(const char *p, size_t i, size_t len) {
#ifdef __SSE2__
    for (; len - i >= 64; i += 64) {
        const __m128i *v = (const __m128i *)(const void *)(p + i);
        __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                                   _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
        if (_mm_movemask_epi8(any)) break;
    }
    for (; len - i >= 16; i += 16) {
        int m = _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(p + i)));
        if (m) return i + (size_t)__builtin_ctz((unsigned)m);
    }
#endif
    while (i < len && !(p[i] & 0x80)) i++;
    return i;
}

/* rc_utf8_repair(buf, len, first_bad), but quick over ASCII: only runs of
** other bytes go to it.  An ASCII byte is never part of a sequence, so a
** run repairs as it would in the whole buffer. */
static size_t repair(char *buf, size_t len, size_t *first_bad) {
    size_t bad = 0;
    for (size_t i = skip_ascii(buf, 0, len); i < len; i = skip_ascii(buf, i, len)) {
        size_t end = i, at = 0;
        while (end < len && (buf[end] & 0x80)) end++;
        size_t n = rc_utf8_repair(buf + i, end - i, &at);
        if (n && !bad && first_bad) *first_bad = i + at;
        bad += n;
        i = end;
    }
    return bad;
}

/* What a file's bytes say: its size, the first NUL byte and the first
** invalid UTF-8 byte (SIZE_MAX: none). */
typedef struct file_check {
    uint64_t size;
    uint64_t nul_at, bad_at;
} file_check;

static void check_bytes(file_check *fc, char *p, size_t len, uint64_t off) {
    const char *nul;
    size_t bad = 0;
    if (fc->nul_at == UINT64_MAX && (nul = memchr(p, '\0', len)))
        fc->nul_at = off + (uint64_t)(nul - p);
    if (fc->bad_at == UINT64_MAX && repair(p, len, &bad)) fc->bad_at = off + bad;
}

/* Read a CSV file once, block by block through s->buf, to check its bytes
** (the rows are read later, streaming: a file skipped for a NUL byte must
** yield no row at all).  On RC_EIO, the system's error number in *os_err. */
static rc_status scan_file(rc_source *s, const char *path, file_check *fc, int *os_err) {
    /* A block that stays in the core's cache: where the heap is on 4 KB
    ** pages (a host process's, not rc_heap_tune's), the kernel copies a
    ** file's cached pages into 64 KB several times faster than into 1 MB
    ** (bench/NOTES.md: the UN debates' 92 MB checked in 27 ms, not 75) */
    enum { BLOCK = 64 << 10 };
    memset(fc, 0, sizeof *fc);
    fc->nul_at = fc->bad_at = UINT64_MAX;
    *os_err = 0;
    if (s->buf_cap < BLOCK + 4 && rc_grow(s->alc, (void **)&s->buf, &s->buf_cap, BLOCK + 4, 1))
        return RC_ENOMEM;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *os_err = errno;
        return RC_EIO;
    }
    size_t held = 0;
    rc_status rc = RC_OK;
    for (;;) {
        size_t got = fread(s->buf + held, 1, BLOCK, fp);
        if (ferror(fp) && errno == EINTR && !(s->opts.interrupt && *s->opts.interrupt)) {
            clearerr(fp); /* a signal, not a stop: read on */
            continue;
        }
        if (ferror(fp)) {
            *os_err = errno;
            rc = s->opts.interrupt && *s->opts.interrupt ? RC_EINTR : RC_EIO;
            break;
        }
        size_t n = held + got;
        size_t cut = got ? rc_utf8_cut_tail(s->buf, n) : 0;
        check_bytes(fc, s->buf, n - cut, fc->size - held);
        fc->size += got;
        memmove(s->buf, s->buf + n - cut, cut);
        held = cut;
        if (got == 0) break;
    }
    fclose(fp);
    return rc;
}

/* Check a CSV file and open the reader of its rows (s->csv).  RC_OK with
** s->csv set, RC_ENOENT when the file is skipped with a warning, or a
** failure. */
static rc_status open_csv(rc_source *s, const file_ref *f, int segments, rc_error *err) {
    int os_err;
    file_check fc;
    rc_status rc = scan_file(s, f->path, &fc, &os_err);
    if (rc == RC_ENOMEM || rc == RC_EINTR) return rc;
    if (rc)
        rc = report(s, RC_WARN_UNREADABLE, err, "%s: cannot read: %s", f->path,
                    os_err ? strerror(os_err) : "input/output error");
    else if (fc.size == 0)
        rc = report(s, RC_WARN_EMPTY, err, "%s: empty file", f->path);
    else if (fc.nul_at != UINT64_MAX)
        rc = report(s, RC_WARN_NUL, err, "%s: binary file: NUL bytes, the first at byte %llu",
                    f->path, (unsigned long long)fc.nul_at);
    else if (fc.bad_at != UINT64_MAX &&
             (rc = report(s, RC_WARN_UTF8, err, "%s: invalid utf-8 at byte %llu", f->path,
                          (unsigned long long)fc.bad_at)))
        return rc;
    else {
        s->bytes += fc.size;
        FILE *fp = fopen(f->path, "rb");
        if (!fp) {
            rc = report(s, RC_WARN_UNREADABLE, err, "%s: cannot read: %s", f->path,
                        strerror(errno));
            return rc ? rc : RC_ENOENT;
        }
        rc = rc_csv_docs_new(fp, f->id, &s->opts, segments, s->alc, &s->csv, err);
        /* RC_ENOENT from next means the end: a missing column is a
        ** malformed file here. */
        if (rc == RC_ENOENT) {
            rc = RC_EPARSE;
            if (err) err->code = RC_EPARSE;
        }
        return rc;
    }
    return rc ? rc : RC_ENOENT;
}

/* Check the bytes of article file f, read into text[0..len): RC_OK (its
** invalid UTF-8 repaired), RC_ENOENT when it is skipped with a warning, or
** a failure (strict mode). */
static rc_status check_text(rc_source *s, const file_ref *f, char *text, size_t len,
                            rc_error *err) {
    const char *nul = memchr(text, '\0', len);
    size_t bad_at = 0;
    if (nul) {
        rc_status rc = report(s, RC_WARN_NUL, err,
                              "%s: binary file: NUL bytes, the first at byte %zu", f->path,
                              (size_t)(nul - text));
        return rc ? rc : RC_ENOENT;
    }
    if (repair(text, len, &bad_at))
        return report(s, RC_WARN_UTF8, err, "%s: invalid utf-8 at byte %zu", f->path,
                      bad_at);
    return RC_OK;
}

/* Whether file i may be read in a batch: a regular article file. */
static int batchable(const rc_source *s, size_t i) {
    return s->files[i].regular && !is_csv(s->files[i].path);
}

static int in_batch(const rc_source *s, size_t i) {
    return s->batch && i >= s->batch_first && i - s->batch_first < s->batch_n;
}

/* Read files[i..] in one batch (as many batchable files in a row as a
** batch holds) unless file i is in the batch already.  The batch reader
** is made for the first run of two files or more; where it cannot be
** made, or fails, files are read one by one. */
static void read_ahead(rc_source *s, size_t i) {
    if (in_batch(s, i)) return;
    s->batch_n = 0;
    const char *paths[RC_FILE_BATCH];
    size_t n = 0;
    for (; n < RC_FILE_BATCH && i + n < s->nfiles && batchable(s, i + n); n++)
        paths[n] = s->files[i + n].path;
    if (n < 2) return;
    if (!s->batch_tried) {
        s->batch_tried = 1;
        if (rc_file_batch_new(s->alc, &s->batch) != RC_OK) s->batch = NULL;
    }
    if (!s->batch) return;
    if (rc_file_batch_read(s->batch, paths, n) != RC_OK) {
        rc_file_batch_free(s->batch);
        s->batch = NULL;
        return;
    }
    s->batch_first = i;
    s->batch_n = n;
}

/* read_all of file i, its bytes taken from a batch where one read them:
** the file is read on from where the batch stopped when it may go on, and
** read again by itself when the batch could not read it (so that a
** failure is the system's own answer to open and read). */
static rc_status read_file(rc_source *s, size_t i, const read_target *t, size_t *len,
                           int *os_err) {
    const char *bytes;
    size_t have = 0;
    int more = 1;
    if (batchable(s, i)) read_ahead(s, i);
    if (in_batch(s, i) &&
        rc_file_batch_get(s->batch, i - s->batch_first, &bytes, &have, &more) == 0) {
        size_t need = t->at + have + 1;
        if (need > *t->cap && rc_grow(t->alc, (void **)t->buf, t->cap, need, 1))
            return RC_ENOMEM;
        memcpy(*t->buf + t->at, bytes, have);
    } else {
        have = 0;
        more = 1; /* not read: read it all here */
    }
    if (more) return read_all(s, s->files[i].path, t, have, len, os_err);
    (*t->buf)[t->at + have] = '\0';
    s->bytes += have;
    *len = have;
    *os_err = 0;
    return RC_OK;
}

/* Read article file i into t and check its bytes.  Returns RC_OK with
** the (UTF-8 repaired) text in (*t->buf)[t->at..t->at + *len), or
** RC_ENOENT when the file is skipped with a warning, or a failure (strict
** mode, out of memory). */
static rc_status load_file(rc_source *s, size_t i, const read_target *t, size_t *len,
                           rc_error *err) {
    const file_ref *f = &s->files[i];
    int os_err;
    rc_status rc = read_file(s, i, t, len, &os_err);
    if (rc == RC_ENOMEM || rc == RC_EINTR) return rc;
    if (rc == RC_ELIMIT)
        rc = report(s, RC_WARN_TOO_LARGE, err, "%s: larger than 4 GB",
                    f->path);
    else if (rc)
        rc = report(s, RC_WARN_UNREADABLE, err, "%s: cannot read: %s",
                    f->path, os_err ? strerror(os_err) : "input/output error");
    else if (*len == 0)
        rc = report(s, RC_WARN_EMPTY, err, "%s: empty file", f->path);
    else
        return check_text(s, f, *t->buf + t->at, *len, err);
    return rc ? rc : RC_ENOENT;
}

/* Open the next file; 1 when a document source is ready, 0 when the file
** was skipped, <0 (negated status) on a hard error. */
static int open_next(rc_source *s, rc_text_arena *into, rc_doc *doc, int segments,
                     rc_error *err) {
    size_t i = s->next++;
    const file_ref *f = &s->files[i];
    size_t len;
    if (is_csv(f->path)) {
        rc_status rc = open_csv(s, f, segments, err);
        return rc == RC_OK || rc == RC_ENOENT ? 0 : -(int)rc;
    }
    read_target t = target_of(s, into);
    rc_status rc = load_file(s, i, &t, &len, err);
    if (rc == RC_ENOENT) return 0;
    if (rc) return -(int)rc;
    memset(doc, 0, sizeof *doc);
    doc->id = f->id;
    doc->path = f->path;
    doc->text = *t.buf + t.at;
    doc->len = len;
    doc->is_article = 1;
    if (into) into->len += len + 1;
    return 1;
}

/* Article files are read into `into` when given, else into the source's
** buffer. */
rc_status rc_source_next_part(rc_source *s, size_t max, rc_text_arena *into, rc_doc *doc,
                              rc_csv_segment *seg, int *is_seg, rc_error *err) {
    *is_seg = 0;
    for (;;) {
        if (s->csv) {
            rc_status rc = seg ? rc_csv_docs_part(s->csv, max, doc, seg, is_seg, err)
                               : rc_csv_docs_next(s->csv, doc, err);
            if (rc != RC_ENOENT) return rc;
            rc_csv_docs_free(s->csv);
            s->csv = NULL;
        }
        /* a signal may have reached another thread, leaving the read to
        ** finish: look at the flag before each file and at the end */
        if (s->opts.interrupt && *s->opts.interrupt)
            return rc_error_set(err, RC_EINTR, 0, "interrupted");
        /* listed a batch ahead, so that read_ahead finds a batch's files */
        rc_status rc = list_to(s, s->next + RC_FILE_BATCH - 1, err);
        if (rc) return rc;
        if (s->next >= s->nfiles) return RC_ENOENT;
        int got = open_next(s, into, doc, seg != NULL, err);
        if (got < 0) return (rc_status)-got;
        if (got > 0) return RC_OK;
    }
}

rc_status rc_source_next(rc_source *s, rc_doc *doc, rc_error *err) {
    int is_seg;
    return rc_source_next_part(s, 0, NULL, doc, NULL, &is_seg, err);
}

uint64_t rc_source_bytes(const rc_source *s) { return s->bytes; }

void rc_source_free(rc_source *s) {
    if (!s) return;
    for (size_t i = 0; i < s->nfiles; i++) rc_free(s->alc, s->files[i].path);
    rc_free(s->alc, s->files);
    for (size_t i = 0; i < s->nroots; i++) rc_free(s->alc, s->roots[i].path);
    rc_free(s->alc, s->roots);
    for (size_t i = 0; i < s->depth; i++) frame_free(s, &s->frames[i]);
    rc_free(s->alc, s->frames);
    rc_free(s->alc, s->buf);
    rc_csv_docs_free(s->csv);
    rc_file_batch_free(s->batch);
    rc_free(s->alc, s);
}
