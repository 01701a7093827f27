/*
** test_thread.c -- the core's threads (rc_thread.c): the default thread
** count is the CPUs this process may run on (one when it is held to one
** CPU); a started thread runs its function, starts on the CPU it was
** placed on, which is not its starter's, and stays held to it while its
** function runs; a k-th thread is placed k CPUs on, and one placed
** nowhere (k a multiple of the CPUs) has every CPU of its starter; a
** starter held to one CPU places nothing.  A home holds its thread to
** the CPU it runs on until released, then gives back the CPUs it had;
** threads started from it are placed from that CPU among those CPUs, and
** one placed nowhere has those CPUs, not the home's one.  A team runs
** each t of a pass exactly once, t = 0 on the caller and each other t on
** a worker of its own that stays the same thread from pass to pass (also
** after a pause long enough for the workers to sleep), the t beyond its
** threads on the caller; a team of one thread starts none; ended, its
** caller has its CPUs back.
*/
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rc_thread.h"
#include "test.h"

typedef struct seen {
    cpu_set_t mask; /* the thread's affinity as its function starts */
    int ran;
} seen;

/* Hold the calling thread to the CPUs of set. */
static int hold(const cpu_set_t *set) {
    return pthread_setaffinity_np(pthread_self(), sizeof *set, set) == 0;
}

static void *record(void *arg) {
    seen *s = arg;
    pthread_getaffinity_np(pthread_self(), sizeof s->mask, &s->mask);
    s->ran = 1;
    return NULL;
}

/* The CPU `steps` places after cpu in set, cyclically. */
static int cpu_steps(const cpu_set_t *set, int cpu, int steps) {
    while (steps > 0) {
        cpu = (cpu + 1) % CPU_SETSIZE;
        if (CPU_ISSET(cpu, set)) steps--;
    }
    return cpu;
}

static void test_default_count(void) {
    cpu_set_t all, one;
    sched_getaffinity(0, sizeof all, &all);
    TEST_COND("the default count is the CPUs this thread may use",
              rc_threads_default() == (size_t)CPU_COUNT(&all));
    CPU_ZERO(&one);
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &all)) {
            CPU_SET(c, &one);
            break;
        }
    TEST_COND("held to one CPU", sched_setaffinity(0, sizeof one, &one) == 0);
    TEST_COND("the default count is then 1", rc_threads_default() == 1);
    sched_setaffinity(0, sizeof all, &all);
}

static void test_start(void) {
    cpu_set_t all;
    pthread_getaffinity_np(pthread_self(), sizeof all, &all);
    int n = CPU_COUNT(&all);
    for (size_t k = 1; k <= 3; k++) {
        seen s;
        memset(&s, 0, sizeof s);
        rc_thread t;
        TEST_COND("a thread starts", rc_thread_start(&t, NULL, k, record, &s) == 0);
        rc_thread_join(&t);
        TEST_COND("it ran its function", s.ran == 1);
        if (n < 2 || k % (size_t)n == 0) {
            TEST_COND(n < 2 ? "one CPU: nothing placed" : "k a multiple of the CPUs: nothing placed",
                      t.cpu == -1);
            TEST_COND("its function has every CPU of its starter", CPU_EQUAL(&s.mask, &all));
            continue;
        }
        TEST_COND("it is placed on a CPU it may use", t.cpu >= 0 && CPU_ISSET(t.cpu, &all));
        TEST_COND("it started held to that CPU alone", t.held == 1);
        TEST_COND("its first instruction ran there", t.started_on == t.cpu);
        TEST_COND("its function runs held to that CPU",
                  CPU_COUNT(&s.mask) == 1 && CPU_ISSET(t.cpu, &s.mask));
    }
    if (n < 2) {
        printf("test_thread: one CPU here: placement not checked\n");
        return;
    }
    /* The starter held to two CPUs and moved onto the first: where it
    ** runs is known, so its thread's place is too. */
    int home = cpu_steps(&all, CPU_SETSIZE - 1, 1); /* the first CPU of the mask */
    cpu_set_t pin;
    CPU_ZERO(&pin);
    CPU_SET(home, &pin);
    cpu_set_t two = pin;
    CPU_SET(cpu_steps(&all, home, 1), &two);
    TEST_COND("the starter moves onto the first of two CPUs", hold(&pin) && hold(&two));
    int at = sched_getcpu();
    seen s;
    memset(&s, 0, sizeof s);
    rc_thread t;
    TEST_COND("a thread starts beside it", rc_thread_start(&t, NULL, 1, record, &s) == 0);
    rc_thread_join(&t);
    int other = CPU_ISSET(at, &two) ? cpu_steps(&two, at, 1) : -1;
    TEST_COND("it is placed on the starter's other CPU", other >= 0 && t.cpu == other);
    TEST_COND("and started there, held to it", t.started_on == other && t.held == 1);
    TEST_COND("its function runs held there", CPU_COUNT(&s.mask) == 1 && CPU_ISSET(other, &s.mask));
    TEST_COND("the starter held to one CPU", hold(&pin));
    memset(&s, 0, sizeof s);
    TEST_COND("a thread starts", rc_thread_start(&t, NULL, 1, record, &s) == 0);
    rc_thread_join(&t);
    TEST_COND("a starter held to one CPU places nothing", t.cpu == -1 && s.ran == 1);
    TEST_COND("and the thread has that one CPU", CPU_EQUAL(&s.mask, &pin));
    hold(&all);
}

static void test_home(void) {
    cpu_set_t all;
    pthread_getaffinity_np(pthread_self(), sizeof all, &all);
    int n = CPU_COUNT(&all);
    rc_thread_home home;
    rc_thread_home_hold(&home);
    cpu_set_t now;
    pthread_getaffinity_np(pthread_self(), sizeof now, &now);
    if (n < 2) {
        TEST_COND("one CPU: the home is not held", home.cpu == -1 && CPU_EQUAL(&now, &all));
        rc_thread_home_release(&home);
        return;
    }
    TEST_COND("the home is held to a CPU it had", home.cpu >= 0 && CPU_ISSET(home.cpu, &all));
    TEST_COND("and to that CPU alone", CPU_COUNT(&now) == 1 && CPU_ISSET(home.cpu, &now));
    TEST_COND("it runs there", sched_getcpu() == home.cpu);
    TEST_COND("it keeps the CPUs it had", CPU_EQUAL(&home.allowed, &all));
    for (size_t k = 1; k <= (size_t)n; k++) {
        seen s;
        memset(&s, 0, sizeof s);
        rc_thread t;
        TEST_COND("a thread starts from the home", rc_thread_start(&t, &home, k, record, &s) == 0);
        rc_thread_join(&t);
        TEST_COND("it ran its function", s.ran == 1);
        if (k % (size_t)n == 0) {
            TEST_COND("placed nowhere: it has the home's CPUs from before the hold",
                      t.cpu == -1 && CPU_EQUAL(&s.mask, &all));
            continue;
        }
        int want = cpu_steps(&all, home.cpu, (int)k);
        TEST_COND("it is placed k CPUs after the home's", t.cpu == want);
        TEST_COND("and runs held there", t.held == 1 && CPU_COUNT(&s.mask) == 1 &&
                                             CPU_ISSET(want, &s.mask));
    }
    rc_thread_home_release(&home);
    pthread_getaffinity_np(pthread_self(), sizeof now, &now);
    TEST_COND("released, the home has its CPUs back", CPU_EQUAL(&now, &all));
    /* a home that could hold nothing: its threads start as without one */
    cpu_set_t pin;
    CPU_ZERO(&pin);
    CPU_SET(cpu_steps(&all, CPU_SETSIZE - 1, 1), &pin);
    TEST_COND("the starter held to one CPU", hold(&pin));
    rc_thread_home_hold(&home);
    TEST_COND("a home on one CPU is not held", home.cpu == -1);
    seen s;
    memset(&s, 0, sizeof s);
    rc_thread t;
    TEST_COND("a thread starts from it", rc_thread_start(&t, &home, 1, record, &s) == 0);
    rc_thread_join(&t);
    TEST_COND("placed nowhere, with the starter's one CPU",
              t.cpu == -1 && CPU_EQUAL(&s.mask, &pin));
    rc_thread_home_release(&home);
    pthread_getaffinity_np(pthread_self(), sizeof now, &now);
    TEST_COND("released, it keeps that one CPU", CPU_EQUAL(&now, &pin));
    hold(&all);
}

/* What each t of a team's passes saw: how often it ran in the current
** pass, and the thread it ran on in every pass. */
#define TEAM_T 5
#define TEAM_PASSES 40

typedef struct team_log {
    atomic_int runs[TEAM_T];
    pthread_t on[TEAM_PASSES][TEAM_T];
    size_t pass;
} team_log;

static void team_note(void *ctx, size_t t) {
    team_log *log = ctx;
    atomic_fetch_add(&log->runs[t], 1);
    log->on[log->pass][t] = pthread_self();
}

static void pause_ms(long ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Passes of n on a team of cap threads; whether every pass ran each t
** once, t = 0 on the caller, the rest as the team's threads allow. */
static void team_passes(size_t cap, size_t n) {
    rc_team team;
    rc_team_init(&team, cap);
    static team_log log;
    memset(&log, 0, sizeof log);
    int once = 1, caller0 = 1, same = 1, own = 1;
    for (log.pass = 0; log.pass < TEAM_PASSES; log.pass++) {
        for (size_t t = 0; t < TEAM_T; t++) atomic_store(&log.runs[t], 0);
        if (log.pass % 10 == 9) pause_ms(5); /* the workers fall asleep */
        rc_team_run(&team, n, team_note, &log);
        for (size_t t = 0; t < TEAM_T; t++) once &= atomic_load(&log.runs[t]) == (t < n);
        caller0 &= pthread_equal(log.on[log.pass][0], pthread_self()) != 0;
        for (size_t t = 1; t < n; t++) {
            int worker = t < cap;
            same &= pthread_equal(log.on[log.pass][t], log.on[0][t]) != 0;
            own &= worker ? !pthread_equal(log.on[log.pass][t], pthread_self())
                          : pthread_equal(log.on[log.pass][t], pthread_self()) != 0;
        }
    }
    TEST_COND("every t of every pass ran once", once);
    TEST_COND("t 0 ran on the caller", caller0);
    TEST_COND("each t ran on the same thread in every pass", same);
    TEST_COND("a worker's t on a thread not the caller's, the rest on the caller", own);
    TEST_COND("the team started a worker for each t below its threads",
              team.started == (cap < n ? cap : n) - 1);
    rc_team_end(&team);
}

static void test_team(void) {
    cpu_set_t all, now;
    pthread_getaffinity_np(pthread_self(), sizeof all, &all);
    team_passes(3, 3);
    team_passes(2, 4); /* more t than threads: t 2 and 3 on the caller */
    team_passes(4, 2); /* fewer: two of the workers never start */
    team_passes(1, 3); /* one thread: everything on the caller */
    pthread_getaffinity_np(pthread_self(), sizeof now, &now);
    TEST_COND("ended, the caller has its CPUs back", CPU_EQUAL(&now, &all));
    rc_team team;
    rc_team_init(&team, 4);
    rc_team_end(&team);
    TEST_COND("a team that made no pass ends with nothing started", team.started == 0);
}

int main(void) {
    test_default_count();
    test_start();
    test_home();
    test_team();
    return TEST_REPORT();
}
