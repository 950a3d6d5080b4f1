// SPDX-License-Identifier: BSD-3-Clause
// gt_many: many trivial cases, for scheduling and batching tests.
//
// Exercises: packing many cheap cases into few processes, -j distribution,
// counting. 30 suites Many00 .. Many29, each with 10 cases T0 .. T9, no
// fixtures, nothing printed, nothing slept.
//
// Expected status per case: all 300 Passed
// ("100% tests passed, 0 tests failed out of 300").
#include <gtest/gtest.h>

#define CTESTD_TEN_TESTS(Suite)                                                                                        \
    TEST(Suite, T0)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T1)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T2)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T3)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T4)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T5)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T6)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T7)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T8)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }                                                                                                                  \
    TEST(Suite, T9)                                                                                                    \
    {                                                                                                                  \
        SUCCEED();                                                                                                     \
    }

CTESTD_TEN_TESTS(Many00)
CTESTD_TEN_TESTS(Many01)
CTESTD_TEN_TESTS(Many02)
CTESTD_TEN_TESTS(Many03)
CTESTD_TEN_TESTS(Many04)
CTESTD_TEN_TESTS(Many05)
CTESTD_TEN_TESTS(Many06)
CTESTD_TEN_TESTS(Many07)
CTESTD_TEN_TESTS(Many08)
CTESTD_TEN_TESTS(Many09)
CTESTD_TEN_TESTS(Many10)
CTESTD_TEN_TESTS(Many11)
CTESTD_TEN_TESTS(Many12)
CTESTD_TEN_TESTS(Many13)
CTESTD_TEN_TESTS(Many14)
CTESTD_TEN_TESTS(Many15)
CTESTD_TEN_TESTS(Many16)
CTESTD_TEN_TESTS(Many17)
CTESTD_TEN_TESTS(Many18)
CTESTD_TEN_TESTS(Many19)
CTESTD_TEN_TESTS(Many20)
CTESTD_TEN_TESTS(Many21)
CTESTD_TEN_TESTS(Many22)
CTESTD_TEN_TESTS(Many23)
CTESTD_TEN_TESTS(Many24)
CTESTD_TEN_TESTS(Many25)
CTESTD_TEN_TESTS(Many26)
CTESTD_TEN_TESTS(Many27)
CTESTD_TEN_TESTS(Many28)
CTESTD_TEN_TESTS(Many29)
