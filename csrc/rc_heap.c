/*
** rc_heap.c -- the heap of a process that runs relcore and little else:
** the standalone binary (cli_main.c) and bench/bench_core.  The library
** never calls it; a host process's heap (Python's) is its own.
**
** glibc's malloc is tuned for a run that lives seconds to hours:
**   - memory freed stays in the heap (no trimming, and arrays up to 64 MB
**     come from the heap, not from mmap), so that the next chunk's or
**     query's arrays reuse pages already mapped.  A fresh page costs a
**     fault in the kernel (microseconds on a virtual machine), and a
**     folder of small articles on several threads frees and allocates a
**     chunk's arrays many times;
**   - the heap's first 64 MB are reserved at once (M_TOP_PAD) and advised
**     MADV_HUGEPAGE, where the kernel gives transparent huge pages when
**     asked (transparent_hugepage "madvise" or "always"): the run faults
**     once per 2 MB it touches rather than once per 4 KB, and its tables
**     (the entity table, each document's token arrays and sets) sit on a
**     few TLB entries.  Where the kernel gives none the advice changes
**     nothing;
**   - every thread allocates from this one heap (M_ARENA_MAX 1): the
**     threads allocate per chunk, not per token, so they hardly wait on
**     each other, and their memory is on huge pages too.
** Measured on BBC's folder (bench/NOTES.md): 1,612 page faults became
** about 500, `relcore cooccur` 4% shorter on one thread and 6% on two,
** the pipeline through the library 8% faster, for 1-6 MB more resident.
** Peak memory in use is unchanged.
**
** Invariant: nothing is allocated that is not freed at once; what stays
** is the heap's settings and the advice on its pages.
*/
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "relcore.h"

void rc_heap_tune(void) {
#ifdef __GLIBC__
    enum { KEEP_BYTES = 64 << 20, HUGE_PAGE = 2 << 20 };
    mallopt(M_MMAP_THRESHOLD, KEEP_BYTES);
    mallopt(M_TRIM_THRESHOLD, KEEP_BYTES);
    mallopt(M_TOP_PAD, KEEP_BYTES);
    mallopt(M_ARENA_MAX, 1);
    /* the heap's first block: the heap is made (by the pad) around it */
    char *first = malloc(1);
    if (!first) return;
    /* from the first huge page boundary past what malloc has written: a
    ** huge page whose range holds a page already touched is not made */
    uintptr_t lo = ((uintptr_t)first + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t hi = (uintptr_t)sbrk(0) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    free(first);
#endif
}
