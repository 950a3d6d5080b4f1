// SPDX-License-Identifier: BSD-3-Clause
// gt_setup_crash: a suite fixture that crashes before any of its tests start.
//
// Exercises: a crash in SetUpTestSuite (fault table C1, "suite fixture"), and
// a crash loop bounded by the restart cap (C2). SetupCrash's SetUpTestSuite
// appends "SetupCrash setup <pid>" to $CTESTD_FIXTURE_LOG and then dies of
// SIGSEGV (a real null write; core dumps disabled), after gtest has printed
// "[----------] 2 tests from SetupCrash" but before "[ RUN      ]" of T1.
// Fine is an ordinary suite registered after it.
//
// Expected status per case:
//   SetupCrash.T1   SEGFAULT  "***Exception: SegFault" (blamed: first case of the group)
//   SetupCrash.T2   SEGFAULT  (re-run in a fresh process, the fixture crashes again)
//   Fine.F1         Passed
//   Fine.F2         Passed
// Totals: 4 cases: 2 passed, 2 failed ("50% tests passed, 2 tests failed out of 4").
// Fixture log: "SetupCrash setup" once per process that tried the group
// (2 with --group-by suite), never "SetupCrash teardown".
// Run directly with no filter, the process dies of SIGSEGV before any test.
#include "gtest_support.h"

#include <gtest/gtest.h>

class SetupCrash : public ::testing::Test {
public:
    static void SetUpTestSuite()
    {
        ctestd_fixture::setup("SetupCrash");
        ctestd_fixture::segfault();
    }
    static void TearDownTestSuite() { ctestd_fixture::teardown("SetupCrash"); }
};

TEST_F(SetupCrash, T1)
{
    SUCCEED();
}

TEST_F(SetupCrash, T2)
{
    SUCCEED();
}

TEST(Fine, F1)
{
    EXPECT_EQ(1, 1);
}

TEST(Fine, F2)
{
    EXPECT_NE(1, 2);
}
