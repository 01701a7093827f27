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
** one placed nowhere has those CPUs, not the home's one.
*/
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

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

int main(void) {
    test_default_count();
    test_start();
    test_home();
    return TEST_REPORT();
}
