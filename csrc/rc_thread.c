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
** A team (rc_team_run) keeps its workers from one pass to the next: a
** query makes several passes of a fraction of a millisecond each, with
** work of the caller alone between them, and starting and joining a
** placed thread costs about 80 microseconds on those guests.  A worker
** done with a pass spins on the team's pass counter for up to TEAM_SPIN_NS
** (the gaps between a query's passes are shorter), then sleeps on the
** team's condition; the caller, done with its own part, waits for the
** workers the same way.
**
** Invariants: a placed thread is held to its one CPU for its life, an
** unplaced one has its starter's CPUs (its home's, when started from a
** held home); a home holds its thread only between hold and release, and
** hold gives it no CPU it did not have; rc_thread and rc_thread_home own
** nothing that needs freeing.  A team's pass counter only grows and is
** bumped only by its caller, after the pass's fn, ctx and n are set and
** with busy set to the workers started; a worker takes each pass once
** (seen) and decrements busy once for it; members and the held home
** exist from the first started worker to rc_team_end.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* MARK: - Teams -------------------------------------------------------------- */

/* How long a waiting thread spins before it sleeps. */
#define TEAM_SPIN_NS 200000L

static void spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static long elapsed_ns(const struct timespec *since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000000000L + (now.tv_nsec - since->tv_nsec);
}

/* Spin until done(team, arg) or TEAM_SPIN_NS have passed; whether done. */
static int spin_until(rc_team *team, int (*done)(rc_team *, unsigned long), unsigned long arg) {
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned i = 1;; i++) {
        if (done(team, arg)) return 1;
        spin_pause();
        if (i % 64 == 0 && elapsed_ns(&t0) > TEAM_SPIN_NS) return done(team, arg);
    }
}

static int pass_moved(rc_team *team, unsigned long seen) {
    return atomic_load(&team->pass) != seen || atomic_load(&team->stop);
}

static int all_done(rc_team *team, unsigned long unused) {
    (void)unused;
    return atomic_load(&team->busy) == 0;
}

static void *member_main(void *arg) {
    rc_team_member *m = arg;
    rc_team *team = m->team;
    for (;;) {
        if (!spin_until(team, pass_moved, m->seen)) {
            pthread_mutex_lock(&team->mu);
            while (!pass_moved(team, m->seen)) pthread_cond_wait(&team->go, &team->mu);
            pthread_mutex_unlock(&team->mu);
        }
        if (atomic_load(&team->stop)) break;
        m->seen = atomic_load(&team->pass);
        if (m->t < team->n) team->fn(team->ctx, m->t);
        if (atomic_fetch_sub(&team->busy, 1) == 1) {
            pthread_mutex_lock(&team->mu);
            pthread_cond_signal(&team->done);
            pthread_mutex_unlock(&team->mu);
        }
    }
    return NULL;
}

void rc_team_init(rc_team *team, size_t cap) {
    memset(team, 0, sizeof *team);
    team->cap = cap ? cap : 1;
    atomic_init(&team->pass, 0);
    atomic_init(&team->busy, 0);
    atomic_init(&team->stop, 0);
}

/* Workers 1 .. want - 1 started, as far as they can be. */
static void team_grow(rc_team *team, size_t want) {
    if (!team->members) {
        team->members = calloc(team->cap, sizeof *team->members);
        if (!team->members) return;
        pthread_mutex_init(&team->mu, NULL);
        pthread_cond_init(&team->go, NULL);
        pthread_cond_init(&team->done, NULL);
        rc_thread_home_hold(&team->home);
    }
    while (team->started + 1 < want) {
        rc_team_member *m = &team->members[team->started + 1];
        m->team = team;
        m->t = team->started + 1;
        m->seen = atomic_load(&team->pass);
        if (rc_thread_start(&m->thread, &team->home, m->t, member_main, m) != 0) break;
        team->started++;
    }
}

void rc_team_run(rc_team *team, size_t n, rc_team_fn fn, void *ctx) {
    size_t want = n < team->cap ? n : team->cap;
    if (want > team->started + 1) team_grow(team, want);
    size_t workers = team->started;
    if (workers) {
        team->fn = fn;
        team->ctx = ctx;
        team->n = n;
        atomic_store(&team->busy, workers);
        atomic_fetch_add(&team->pass, 1);
        pthread_mutex_lock(&team->mu);
        pthread_cond_broadcast(&team->go);
        pthread_mutex_unlock(&team->mu);
    }
    fn(ctx, 0);
    for (size_t t = workers + 1; t < n; t++) fn(ctx, t); /* no worker for t */
    if (workers && !spin_until(team, all_done, 0)) {
        pthread_mutex_lock(&team->mu);
        while (!all_done(team, 0)) pthread_cond_wait(&team->done, &team->mu);
        pthread_mutex_unlock(&team->mu);
    }
}

void rc_team_end(rc_team *team) {
    if (!team->members) return;
    if (team->started) {
        pthread_mutex_lock(&team->mu);
        atomic_store(&team->stop, 1);
        pthread_cond_broadcast(&team->go);
        pthread_mutex_unlock(&team->mu);
        for (size_t t = 1; t <= team->started; t++) rc_thread_join(&team->members[t].thread);
    }
    rc_thread_home_release(&team->home);
    pthread_cond_destroy(&team->go);
    pthread_cond_destroy(&team->done);
    pthread_mutex_destroy(&team->mu);
    free(team->members);
    team->members = NULL;
    team->started = 0;
}
