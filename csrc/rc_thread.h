/*
** rc_thread.h -- the core's threads (rc_thread.c): how many by default,
** and starting one on a CPU of its own.  Core-internal.
*/
#ifndef RC_THREAD_H
#define RC_THREAD_H

#include <pthread.h>
#include <sched.h>
#include <stddef.h>

/* A thread of the core, owned by its starter until rc_thread_join. */
typedef struct rc_thread {
    pthread_t tid;
    void *(*fn)(void *);
    void *arg;
    int cpu;           /* the CPU it was placed on first, or -1 (not placed) */
    int started_on;    /* the CPU its first instruction ran on, or -1 */
    int held;          /* it started held to `cpu` alone (and stays so) */
} rc_thread;

/* Where a pool's calling thread runs while the pool's threads do: held
** to the CPU it was on (cpu), or not held (cpu -1: it has one CPU only, or
** its CPUs could not be read or set). */
typedef struct rc_thread_home {
    cpu_set_t allowed; /* the calling thread's CPUs before the hold */
    int cpu;           /* the CPU it is held to, or -1 */
} rc_thread_home;

/* Hold the calling thread to the CPU it runs on, as the home its pool's
** threads are placed from; rc_thread_home_release gives its CPUs back. */
void rc_thread_home_hold(rc_thread_home *h);
void rc_thread_home_release(const rc_thread_home *h);

/* The CPUs this process may run on (its affinity mask; the online CPUs
** where that cannot be read): the default thread count. */
size_t rc_threads_default(void);

/* Start fn(arg) on a new thread, held for its life to the k-th CPU after
** the caller's own among those the caller may run on (k >= 1; none when
** that is the caller's own or the caller has one CPU: then it may run on
** any of the caller's).  From a held home (not NULL), the caller's own CPU
** and CPUs are the home's: its CPU and those it had before the hold.  0
** on success, else an errno value (no thread). */
int rc_thread_start(rc_thread *t, const rc_thread_home *home, size_t k,
                    void *(*fn)(void *), void *arg);

/* Wait for a started thread to end. */
void rc_thread_join(rc_thread *t);

#endif /* RC_THREAD_H */
