/*
** test_filebatch.c -- article files read in batches (rc_filebatch.c) and
** through the source (rc_source.c): each file's bytes and outcome, files
** that go on past a batch's slot (one byte short of it, just at it, one
** byte past it, several slots long), an empty file, a missing path, a
** folder where a file was expected, batches one after another (every slot
** closed again), more paths than a batch holds; and a folder read through
** rc_source gives each file's bytes as its document, whatever its size,
** with the empty ones and one that cannot be read (a link to
** /proc/self/mem, whose first page no read returns) skipped and warned
** about in order.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc_internal.h"
#include "rc_io.h"
#include "relcore.h"
#include "test.h"

#define SLOT_BYTES (16 << 10) /* rc_filebatch.c's SLOT */

/* Bytes of file `seed` of `len` bytes: printable, different per file. */
static char *file_bytes(size_t len, unsigned seed) {
    char *p = malloc(len + 1);
    for (size_t i = 0; i < len; i++) p[i] = (char)('a' + (i * 7 + seed) % 26);
    if (len > 40) memcpy(p, "Iran and Pakistan met in Tehran. ", 33);
    p[len] = '\0';
    return p;
}

static void write_file(const char *path, const char *bytes, size_t len) {
    FILE *fp = fopen(path, "wb");
    if (len) fwrite(bytes, 1, len, fp);
    fclose(fp);
}

static const size_t sizes[] = {3, 0, SLOT_BYTES - 1, SLOT_BYTES, SLOT_BYTES + 1,
                               3 * SLOT_BYTES + 5, 2000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static void test_batch(const char *dir) {
    rc_file_batch *b;
    rc_status rc = rc_file_batch_new(NULL, &b);
    if (rc == RC_ENOENT) {
        printf("test_filebatch: no io_uring on this system: batch tests skipped\n");
        return;
    }
    TEST_COND("a batch reader is made", rc == RC_OK && b);
    char paths[NSIZES + 2][256];
    const char *pv[NSIZES + 2];
    char *want[NSIZES];
    for (size_t k = 0; k < NSIZES; k++) {
        snprintf(paths[k], sizeof paths[k], "%s/f%zu.txt", dir, k);
        want[k] = file_bytes(sizes[k], (unsigned)k);
        write_file(paths[k], want[k], sizes[k]);
        pv[k] = paths[k];
    }
    snprintf(paths[NSIZES], sizeof paths[0], "%s/missing.txt", dir);
    snprintf(paths[NSIZES + 1], sizeof paths[0], "%s", dir); /* a folder */
    pv[NSIZES] = paths[NSIZES];
    pv[NSIZES + 1] = paths[NSIZES + 1];
    for (int round = 0; round < 3; round++) { /* the slots are reused */
        TEST_COND("the batch is read", rc_file_batch_read(b, pv, NSIZES + 2) == RC_OK);
        for (size_t k = 0; k < NSIZES; k++) {
            const char *bytes;
            size_t len;
            int more;
            int got = rc_file_batch_get(b, k, &bytes, &len, &more);
            size_t first = sizes[k] < SLOT_BYTES ? sizes[k] : SLOT_BYTES;
            TEST_COND("a file is read", got == 0);
            TEST_COND("its first bytes, up to a slot", len == first &&
                                                           !memcmp(bytes, want[k], first));
            TEST_COND("it may go on only when it filled its slot",
                      more == (sizes[k] >= SLOT_BYTES));
        }
        const char *bytes;
        size_t len;
        int more;
        TEST_COND("a missing file: ENOENT",
                  rc_file_batch_get(b, NSIZES, &bytes, &len, &more) == -ENOENT);
        TEST_COND("a folder: EISDIR",
                  rc_file_batch_get(b, NSIZES + 1, &bytes, &len, &more) == -EISDIR);
        TEST_COND("no file past the batch",
                  rc_file_batch_get(b, NSIZES + 2, &bytes, &len, &more) == -EINVAL);
    }
    /* more paths than a batch holds: the first RC_FILE_BATCH are read */
    const char *many[RC_FILE_BATCH + 3];
    for (size_t k = 0; k < RC_FILE_BATCH + 3; k++) many[k] = pv[k % NSIZES];
    TEST_COND("a long list is read", rc_file_batch_read(b, many, RC_FILE_BATCH + 3) == RC_OK);
    const char *bytes;
    size_t len;
    int more, all = 1;
    for (size_t k = 0; k < RC_FILE_BATCH; k++)
        all &= rc_file_batch_get(b, k, &bytes, &len, &more) == 0 &&
               len == (sizes[k % NSIZES] < SLOT_BYTES ? sizes[k % NSIZES] : SLOT_BYTES);
    TEST_COND("every file of a full batch is read", all);
    TEST_COND("the batch holds RC_FILE_BATCH files at most",
              rc_file_batch_get(b, RC_FILE_BATCH, &bytes, &len, &more) == -EINVAL);
    rc_file_batch_free(b);
    for (size_t k = 0; k < NSIZES; k++) {
        unlink(paths[k]);
        free(want[k]);
    }
}

typedef struct warnings {
    char text[4][512];
    int n;
} warnings;

static void on_warn(void *ctx, rc_warning kind, const char *msg) {
    warnings *w = ctx;
    (void)kind;
    if (w->n < 4) snprintf(w->text[w->n], sizeof w->text[0], "%s", msg);
    w->n++;
}

/* Files of every size through the source, twice as many as a batch holds
** so that a file sits at each batch's edge, and a subfolder's after them
** (the last batch spans both folders). */
static void test_source(const char *dir) {
    enum { NFILES = 2 * RC_FILE_BATCH + 3 };
    char *want[NFILES];
    size_t len[NFILES];
    char path[256];
    for (size_t i = 0; i < NFILES; i++) {
        len[i] = sizes[i % NSIZES];
        want[i] = file_bytes(len[i], (unsigned)i);
        snprintf(path, sizeof path, "%s/d%03zu.txt", dir, i);
        write_file(path, want[i], len[i]);
    }
    char sub[128], subfile[3][256];
    snprintf(sub, sizeof sub, "%.100s/e", dir);
    mkdir(sub, 0700);
    for (int k = 0; k < 3; k++) {
        snprintf(subfile[k], sizeof subfile[k], "%s/x%d.txt", sub, k);
        write_file(subfile[k], "Oman spoke.", 11);
    }
    char bad[256];
    snprintf(bad, sizeof bad, "%s/d000z.txt", dir); /* between d000 and d001 */
    TEST_COND("a link to /proc/self/mem", symlink("/proc/self/mem", bad) == 0);
    warnings w = {.n = 0};
    rc_source_opts opts = {0};
    opts.warn = on_warn;
    opts.warn_ctx = &w;
    const char *roots[] = {dir};
    rc_source *src;
    rc_error err = {0};
    TEST_COND("the folder opens", rc_source_new(roots, 1, &opts, NULL, &src, &err) == RC_OK);
    size_t i = 0, docs = 0, same = 0;
    rc_doc doc;
    int in_sub = 0;
    while (rc_source_next(src, &doc, &err) == RC_OK) {
        while (i < NFILES && len[i] == 0) i++; /* empty: skipped */
        if (i == NFILES) { /* the subfolder's */
            char id[32];
            snprintf(id, sizeof id, "e/x%d.txt", in_sub++);
            same += !strcmp(doc.id, id) && doc.len == 11 && !memcmp(doc.text, "Oman spoke.", 12);
            docs++;
            continue;
        }
        char id[32];
        snprintf(id, sizeof id, "d%03zu.txt", i);
        same += i < NFILES && !strcmp(doc.id, id) && doc.len == len[i] &&
                !memcmp(doc.text, want[i], len[i]) && doc.text[len[i]] == '\0';
        docs++;
        i++;
    }
    size_t empty = 0;
    for (size_t k = 0; k < NFILES; k++) empty += len[k] == 0;
    TEST_COND("every file but the empty ones is a document", docs == NFILES - empty + 3);
    TEST_COND("the subfolder's files come last", in_sub == 3);
    TEST_COND("each document is its file's bytes, in order", same == docs);
    TEST_COND("each empty file and the unreadable one are warned about",
              w.n == (int)empty + 1);
    TEST_COND("first the unreadable file",
              w.n > 0 && strstr(w.text[0], "d000z.txt: cannot read: ") != NULL);
    TEST_COND("then the first empty file",
              w.n > 1 && strstr(w.text[1], "d001.txt: empty file") != NULL);
    uint64_t bytes = 0;
    for (size_t k = 0; k < NFILES; k++) bytes += len[k];
    bytes += 3 * 11;
    TEST_COND("the source counts every byte read", rc_source_bytes(src) == bytes);
    rc_source_free(src);
    unlink(bad);
    for (int k = 0; k < 3; k++) unlink(subfile[k]);
    rmdir(sub);
    for (size_t k = 0; k < NFILES; k++) {
        snprintf(path, sizeof path, "%s/d%03zu.txt", dir, k);
        unlink(path);
        free(want[k]);
    }
}

int main(void) {
    char dir[] = "/tmp/relcore-filebatch-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_batch(dir);
    test_source(dir);
    rmdir(dir);
    return TEST_REPORT();
}
