/*
** cli_main.c -- the standalone binary's entry point: hands argv to the
** one CLI implementation (cli.c) and turns SIGINT into a polled flag so a
** run stops between documents and cleans up.  The flag is the adapter's
** process-wide state; the core only reads the pointer it is given.
**
** Its heap is set up for the run first (rc_heap_tune).
*/
#include <signal.h>
#include <stdio.h>

#include "relcore.h"

static volatile int interrupted; /* set by the SIGINT handler */

static void on_sigint(int sig) {
    (void)sig;
    interrupted = 1;
}

int main(int argc, char **argv) {
    rc_heap_tune();
    struct sigaction sa;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    return rc_cli_main(argc, argv, stdout, stderr, &interrupted);
}
