/*
** cli_main.c -- the standalone binary's entry point: hands argv to the
** one CLI implementation (cli.c) and turns SIGINT into a polled flag so a
** run stops between documents and cleans up.  The flag is the adapter's
** process-wide state; the core only reads the pointer it is given.
**
** It also tunes glibc's malloc for a run that lives a few seconds: memory
** freed stays in the heap (no trimming, and arrays up to 64 MB come from
** the heap, not from mmap), so that the next chunk's or query's arrays
** reuse pages already mapped.  A fresh page costs a fault in the kernel
** (microseconds on a virtual machine), and a folder of small articles on
** several threads frees and allocates a chunk's arrays many times.  Peak
** memory in use is unchanged; the resident size may grow by what a
** thread's heap keeps, given back at exit.
*/
#include <signal.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "relcore.h"

static volatile int interrupted; /* set by the SIGINT handler */

static void on_sigint(int sig) {
    (void)sig;
    interrupted = 1;
}

/* Keep freed memory mapped (see the top of the file). */
static void tune_malloc(void) {
#ifdef __GLIBC__
    enum { KEEP_BYTES = 64 << 20 };
    mallopt(M_MMAP_THRESHOLD, KEEP_BYTES);
    mallopt(M_TRIM_THRESHOLD, KEEP_BYTES);
#endif
}

int main(int argc, char **argv) {
    tune_malloc();
    struct sigaction sa;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    return rc_cli_main(argc, argv, stdout, stderr, &interrupted);
}
