/*
** rc_filebatch.c -- article files read many at a time through io_uring
** (liburing), for the source (rc_source.c).
**
** Each file of a batch is one chain of three requests on a registered
** ("direct") descriptor: openat into slot k, read into the batch's buffer,
** close slot k.  The whole batch goes to the kernel in one system call, so
** a folder of small files costs one call per RC_FILE_BATCH files instead of
** four a file (open, a read, the read that says the end, close).
**
** Invariants:
**   - File k of the batch gets slot k of the buffer, SLOT bytes at
**     buf + k * SLOT.  A file the read filled may go on past the slot
**     (rc_file_batch_get says so); the caller reads the rest itself.  A
**     shorter read is the whole file: batches hold regular files only,
**     whose reads are short only at their end.
**   - After rc_file_batch_read returns, every request of the batch has
**     completed (one completion each: none is skipped, and the ring is
**     made with IORING_SETUP_SUBMIT_ALL, so that a request refused as it
**     is submitted does not leave the rest unsubmitted), so every slot is
**     closed again and the next batch may reuse them.
**   - The buffer is mapped memory, not the allocator's: its pages are
**     touched only where a file's bytes land, and tools that track
**     initialised memory (valgrind) see it as defined, as the kernel's
**     writes to it are invisible to them.
** Where io_uring is missing or too old (Linux before 5.19, a seccomp
** filter, kernel.io_uring_disabled) rc_file_batch_new says RC_ENOENT and
** the source reads file by file.
*/
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <sys/mman.h>

#include "rc_internal.h"
#include "rc_io.h"

enum { SLOT = 16 << 10 };

/* What a completion is the answer to: the request in the low bits, the
** file above them. */
enum { OP_OPEN = 0, OP_READ = 1, OP_CLOSE = 2, OP_BITS = 2 };

struct rc_file_batch {
    const rc_allocator *alc;
    struct io_uring ring;
    char *buf;                   /* RC_FILE_BATCH slots of SLOT bytes */
    size_t n;                    /* files in the last batch */
    int res[RC_FILE_BATCH];      /* bytes read, or -errno */
};

rc_status rc_file_batch_new(const rc_allocator *alc, rc_file_batch **out) {
    *out = NULL;
    rc_file_batch *b = rc_malloc(alc, sizeof *b);
    if (!b) return RC_ENOMEM;
    memset(b, 0, sizeof *b);
    b->alc = alc;
    /* SUBMIT_ALL (Linux 5.18): a request that fails as it is submitted
    ** does not hold back the rest, so every request of a batch completes */
    if (io_uring_queue_init(4 * RC_FILE_BATCH, &b->ring, IORING_SETUP_SUBMIT_ALL) != 0) {
        rc_free(alc, b);
        return RC_ENOENT;
    }
    void *buf = mmap(NULL, (size_t)RC_FILE_BATCH * SLOT, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    /* sparse registered descriptors: Linux 5.19 on (direct opens and
    ** closes: 5.15) */
    if (buf == MAP_FAILED || io_uring_register_files_sparse(&b->ring, RC_FILE_BATCH) != 0) {
        if (buf != MAP_FAILED) munmap(buf, (size_t)RC_FILE_BATCH * SLOT);
        io_uring_queue_exit(&b->ring);
        rc_free(alc, b);
        return buf == MAP_FAILED ? RC_ENOMEM : RC_ENOENT;
    }
    b->buf = buf;
    *out = b;
    return RC_OK;
}

void rc_file_batch_free(rc_file_batch *b) {
    if (!b) return;
    io_uring_queue_exit(&b->ring); /* first: no request may still write */
    munmap(b->buf, (size_t)RC_FILE_BATCH * SLOT);
    rc_free(b->alc, b);
}

/* Queue file k's chain: open into slot k, read slot k (a failed open
** cancels it), close slot k (after the read, whatever it gave). */
static void queue_file(rc_file_batch *b, size_t k, const char *path) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
    io_uring_prep_openat_direct(sqe, AT_FDCWD, path, O_RDONLY, 0, (unsigned)k);
    sqe->flags |= IOSQE_IO_LINK;
    io_uring_sqe_set_data64(sqe, k << OP_BITS | OP_OPEN);
    sqe = io_uring_get_sqe(&b->ring);
    io_uring_prep_read(sqe, (int)k, b->buf + k * SLOT, SLOT, 0);
    sqe->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
    io_uring_sqe_set_data64(sqe, k << OP_BITS | OP_READ);
    sqe = io_uring_get_sqe(&b->ring);
    io_uring_prep_close_direct(sqe, (unsigned)k);
    io_uring_sqe_set_data64(sqe, k << OP_BITS | OP_CLOSE);
}

/* File k's outcome from one completion: a failed open's error wins over
** the read it cancelled. */
static void take_completion(rc_file_batch *b, const struct io_uring_cqe *cqe) {
    size_t k = (size_t)(cqe->user_data >> OP_BITS);
    unsigned op = (unsigned)(cqe->user_data & ((1u << OP_BITS) - 1));
    if (k >= b->n) return;
    if (op == OP_OPEN && cqe->res < 0) b->res[k] = cqe->res;
    if (op == OP_READ && b->res[k] >= 0) b->res[k] = cqe->res;
}

rc_status rc_file_batch_read(rc_file_batch *b, const char *const *paths, size_t n) {
    if (n > RC_FILE_BATCH) n = RC_FILE_BATCH;
    b->n = n;
    for (size_t k = 0; k < n; k++) {
        b->res[k] = 0;
        queue_file(b, k, paths[k]);
    }
    unsigned want = 3 * (unsigned)n, seen = 0;
    int rc = io_uring_submit_and_wait(&b->ring, want);
    if (rc == -EINTR) rc = io_uring_submit(&b->ring); /* what a signal left */
    while (rc >= 0 && seen < want) {
        struct io_uring_cqe *cqe;
        rc = io_uring_wait_cqe(&b->ring, &cqe);
        if (rc == -EINTR) { /* a signal: the requests go on, wait again */
            rc = 0;
            continue;
        }
        if (rc < 0) break;
        take_completion(b, cqe);
        io_uring_cqe_seen(&b->ring, cqe);
        seen++;
    }
    return rc < 0 ? RC_EIO : RC_OK;
}

int rc_file_batch_get(const rc_file_batch *b, size_t k, const char **bytes, size_t *len,
                      int *more) {
    *bytes = NULL;
    *len = 0;
    *more = 0;
    if (k >= b->n) return -EINVAL;
    if (b->res[k] < 0) return b->res[k];
    *bytes = b->buf + k * SLOT;
    *len = (size_t)b->res[k];
    *more = *len == SLOT;
    return 0;
}
