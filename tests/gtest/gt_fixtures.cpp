// SPDX-License-Identifier: BSD-3-Clause
// gt_fixtures: suites with an expensive shared fixture, for grouping tests.
//
// Exercises: fixture grouping and fixture run counting. FxA, FxB, FxC and FxD
// each have a SetUpTestSuite that appends "<Suite> setup <pid>" to
// $CTESTD_FIXTURE_LOG and sleeps 20 ms, and a TearDownTestSuite that appends
// "<Suite> teardown <pid>". Plain has no suite fixture (and logs nothing).
// With --group-by suite every FxX must log exactly one setup and one teardown
// line, with the same pid, for a whole run; with --group-by case one pair per
// case (5 per suite); with --group-by executable all four pairs share one pid.
//
// Expected status per case: every case Passed.
//   FxA.C1 .. FxA.C5      Passed  (C2 and C4 sleep 5 ms)
//   FxB.C1 .. FxB.C5      Passed  (C2 and C4 sleep 5 ms)
//   FxC.C1 .. FxC.C5      Passed  (C2 and C4 sleep 5 ms)
//   FxD.C1 .. FxD.C5      Passed  (C2 and C4 sleep 5 ms)
//   Plain.P1 .. Plain.P3  Passed
// Totals: 23 cases, 23 passed ("100% tests passed, 0 tests failed out of 23").
// Each case also checks that its suite's SetUpTestSuite ran in this process.
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace {

void sleepMs(int ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

} // namespace

#define CTESTD_FIXTURE_SUITE(Suite)                                                                                    \
    class Suite : public ::testing::Test {                                                                             \
    public:                                                                                                            \
        static void SetUpTestSuite()                                                                                   \
        {                                                                                                              \
            ctestd_fixture::setup(#Suite);                                                                             \
            sleepMs(20);                                                                                               \
            ready = true;                                                                                              \
        }                                                                                                              \
        static void TearDownTestSuite()                                                                                \
        {                                                                                                              \
            ready = false;                                                                                             \
            ctestd_fixture::teardown(#Suite);                                                                          \
        }                                                                                                              \
        static bool ready;                                                                                             \
    };                                                                                                                 \
    bool Suite::ready = false;                                                                                         \
    TEST_F(Suite, C1)                                                                                                  \
    {                                                                                                                  \
        EXPECT_TRUE(ready);                                                                                            \
    }                                                                                                                  \
    TEST_F(Suite, C2)                                                                                                  \
    {                                                                                                                  \
        sleepMs(5);                                                                                                    \
        EXPECT_TRUE(ready);                                                                                            \
    }                                                                                                                  \
    TEST_F(Suite, C3)                                                                                                  \
    {                                                                                                                  \
        EXPECT_TRUE(ready);                                                                                            \
    }                                                                                                                  \
    TEST_F(Suite, C4)                                                                                                  \
    {                                                                                                                  \
        sleepMs(5);                                                                                                    \
        EXPECT_TRUE(ready);                                                                                            \
    }                                                                                                                  \
    TEST_F(Suite, C5)                                                                                                  \
    {                                                                                                                  \
        EXPECT_TRUE(ready);                                                                                            \
    }

CTESTD_FIXTURE_SUITE(FxA)
CTESTD_FIXTURE_SUITE(FxB)
CTESTD_FIXTURE_SUITE(FxC)
CTESTD_FIXTURE_SUITE(FxD)

TEST(Plain, P1)
{
    EXPECT_EQ(1 + 1, 2);
}

TEST(Plain, P2)
{
    EXPECT_STREQ("a", "a");
}

TEST(Plain, P3)
{
    EXPECT_TRUE(true);
}
