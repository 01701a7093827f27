/*
** rc_thread.h -- the core's threads (rc_thread.c): how many by default,
** starting one on a CPU of its own, and a team of threads that stays for
** a series of passes.  Core-internal.
*/
#ifndef RC_THREAD_H
#define RC_THREAD_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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

/* A team: the calling thread and up to cap - 1 workers that stay from
** their first pass to rc_team_end, so that a series of short passes (a
** query's) does not start and join threads for each.  A pass runs
** fn(ctx, t) for t = 0 .. n - 1: t = 0 on the calling thread, t >= 1 on
** worker t (started at the first pass that needs it, from the caller's
** held home) or, where that worker could not start, on the calling thread
** after its own.  Between passes a worker waits for the next one, first
** spinning for a short while, then asleep.  Used by one calling thread
** at a time; a pass's fn must not run another pass of the same team. */
typedef void (*rc_team_fn)(void *ctx, size_t t);

typedef struct rc_team rc_team;

typedef struct rc_team_member {
    rc_team *team;
    size_t t;           /* its t in every pass */
    unsigned long seen; /* the last pass it took */
    rc_thread thread;
} rc_team_member;

struct rc_team {
    size_t cap;             /* threads in all: the caller and cap - 1 workers */
    size_t started;         /* workers running: members[1 .. started] */
    rc_team_member *members; /* cap of them once a pass needs workers */
    rc_thread_home home;    /* the caller, held while workers run */
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    atomic_ulong pass;      /* passes handed out so far */
    atomic_size_t busy;     /* workers not done with the current pass */
    atomic_int stop;        /* the workers leave */
    rc_team_fn fn;          /* the current pass: fn(ctx, t), t < n */
    void *ctx;
    size_t n;
};

/* An empty team of at most cap threads (the caller included); nothing
** started, nothing allocated. */
void rc_team_init(rc_team *team, size_t cap);

/* One pass: fn(ctx, t) for t = 0 .. n - 1, returning when every t is done. */
void rc_team_run(rc_team *team, size_t n, rc_team_fn fn, void *ctx);

/* The workers leave and are joined; the caller gets its CPUs back. */
void rc_team_end(rc_team *team);

#endif /* RC_THREAD_H */
