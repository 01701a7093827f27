/*
** rc_thread.c -- the core's threads: how many by default, and starting
** one on a CPU of its own.
**
** A new thread may start on its creator's CPU, and a scheduler that
** packs a guest's work onto few virtual CPUs (as on the 2-vCPU guests
** this is measured on) leaves it there, sharing that CPU in turns with
** its creator, for 10-30 ms while the other CPU idles: a good part of
** what a folder of a few MB takes to analyse.  So rc_thread_start places
** the thread on another CPU from its first instruction (the attribute's
** affinity), and the thread stays held there until it ends.  Freed to
** roam, a worker that slept on its pool's condition was often woken onto
** its waker's CPU and shared it for milliseconds while its own idled:
** most of all when relcore was started by a shell that forks it and
** waits, as a user starts it (BBC's folder on two threads, the median
** run 50.2 ms forked by bash, 44.0 held; bench/NOTES.md).  The
** core's threads live for one pass over the documents (the analysis
** pool, a query's passes), so none stays held past its work.
**
** The pool's calling thread (it reads, appends and analyses too) sleeps
** on the pool's condition whenever the next chunk to append is not done,
** and the worker that wakes it may pull it onto the worker's own CPU,
** where the two share one CPU until the scheduler moves it back (17 ms of
** a 30 ms pass over BBC's folder in one traced run; started by a shell,
** the slowest fifth of such passes took 45-52 ms).  So a pool holds its
** calling thread to the CPU it runs on for the pool's life
** (rc_thread_home_hold) and places its threads from there; the caller's
** own CPUs are given back after (rc_thread_home_release).
**
** Invariants: a placed thread is held to its one CPU for its life, an
** unplaced one has its starter's CPUs (its home's, when started from a
** held home); a home holds its thread only between hold and release, and
** hold gives it no CPU it did not have; rc_thread and rc_thread_home own
** nothing that needs freeing.
*/
#include <unistd.h>

#include "rc_thread.h"

size_t rc_threads_default(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (size_t)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

static void *thread_entry(void *arg) {
    rc_thread *t = arg;
    t->started_on = sched_getcpu();
    if (t->cpu >= 0) {
        cpu_set_t now;
        t->held = pthread_getaffinity_np(pthread_self(), sizeof now, &now) == 0 &&
                  CPU_COUNT(&now) == 1 && CPU_ISSET(t->cpu, &now);
    }
    return t->fn(t->arg);
}

/* The k-th CPU of `allowed` after `cpu` (cyclically), or -1 when allowed
** holds fewer than two CPUs or not cpu itself. */
static int cpu_after(const cpu_set_t *allowed, int cpu, size_t k) {
    int n = CPU_COUNT(allowed);
    if (n < 2 || cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, allowed)) return -1;
    size_t steps = k % (size_t)n;
    for (int c = cpu; steps; ) {
        c = (c + 1) % CPU_SETSIZE;
        if (CPU_ISSET(c, allowed) && --steps == 0) return c;
    }
    return -1; /* k a multiple of n: the caller's own CPU */
}

void rc_thread_home_hold(rc_thread_home *h) {
    h->cpu = -1;
    if (pthread_getaffinity_np(pthread_self(), sizeof h->allowed, &h->allowed) != 0) return;
    int cpu = sched_getcpu();
    if (CPU_COUNT(&h->allowed) < 2 || cpu < 0 || cpu >= CPU_SETSIZE ||
        !CPU_ISSET(cpu, &h->allowed))
        return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0) h->cpu = cpu;
}

void rc_thread_home_release(const rc_thread_home *h) {
    if (h->cpu >= 0) pthread_setaffinity_np(pthread_self(), sizeof h->allowed, &h->allowed);
}

/* Create t's thread with its CPUs set to *mask (NULL: its starter's). */
static int create_on(rc_thread *t, const cpu_set_t *mask) {
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc) return rc;
    if (mask) rc = pthread_attr_setaffinity_np(&attr, sizeof *mask, mask);
    if (rc == 0) rc = pthread_create(&t->tid, &attr, thread_entry, t);
    pthread_attr_destroy(&attr);
    return rc;
}

int rc_thread_start(rc_thread *t, const rc_thread_home *home, size_t k, void *(*fn)(void *),
                    void *arg) {
    t->fn = fn;
    t->arg = arg;
    t->cpu = t->started_on = -1;
    t->held = 0;
    const int held_home = home && home->cpu >= 0;
    /* a held home's thread may go where its home could before the hold */
    const cpu_set_t *unplaced = held_home ? &home->allowed : NULL;
    cpu_set_t allowed;
    int cpu = -1;
    if (held_home)
        cpu = cpu_after(&home->allowed, home->cpu, k);
    else if (pthread_getaffinity_np(pthread_self(), sizeof allowed, &allowed) == 0)
        cpu = cpu_after(&allowed, sched_getcpu(), k);
    if (cpu >= 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        t->cpu = cpu;
        if (create_on(t, &one) == 0) return 0;
        t->cpu = -1; /* the CPU was taken away meanwhile (a cpuset) */
    }
    return create_on(t, unplaced);
}

void rc_thread_join(rc_thread *t) { pthread_join(t->tid, NULL); }
