/*
** test.h -- a tiny harness for the C unit tests (after Redis's testhelp.h).
**
**   TEST_COND("what it checks", expression);
**   return TEST_REPORT();
**
** Each failing condition prints its name, file and line; the report prints
** "N passed, M failed" and the process exits non-zero on any failure.
*/
#ifndef RC_TEST_H
#define RC_TEST_H
#include <stdio.h>

static int test_passed, test_failed;

#define TEST_COND(descr, cond)                                              \
    do {                                                                    \
        if (cond) {                                                         \
            test_passed++;                                                  \
        } else {                                                            \
            test_failed++;                                                  \
            printf("FAIL %s (%s:%d)\n", descr, __FILE__, __LINE__);         \
        }                                                                   \
    } while (0)

#define TEST_REPORT()                                                       \
    (printf("%s: %d passed, %d failed\n", __FILE__, test_passed,            \
            test_failed),                                                   \
     test_failed ? 1 : 0)
#endif
