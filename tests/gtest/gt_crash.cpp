// SPDX-License-Identifier: BSD-3-Clause
// gt_crash: a test process that dies in the middle of a fixture group.
//
// Exercises: blaming the case that was running when the process died, and
// re-running the rest of its group in a fresh process (fault table C1).
// Each suite's SetUpTestSuite appends "<Suite> setup <pid>" to
// $CTESTD_FIXTURE_LOG and its TearDownTestSuite "<Suite> teardown <pid>".
// The crashing tests set RLIMIT_CORE to 0 first, so no core files appear.
//
// Expected status per case (gtest name -> ctest status word / console text):
//   Crash.Before   Passed
//   Crash.Segv     SEGFAULT            "***Exception: SegFault" (SIGSEGV from a real null write)
//   Crash.After1   Passed              must run, in a new process
//   Crash.After2   Passed              must run, in a new process
//   Abort.A1       Passed
//   Abort.Boom     Subprocess aborted  "Subprocess aborted***Exception:" (SIGABRT from abort())
//   Abort.A3       Passed              must run, in a new process
//   Exit.E1        Passed
//   Exit.Quit      Failed              std::exit(3) in the middle of the test (exit code 3)
//   Exit.E3        Passed              must run, in a new process
// Totals: 10 cases: 7 passed, 3 failed ("70% tests passed, 3 tests failed out of 10").
// Fixture log with --group-by suite: each of Crash, Abort and Exit logs
// "setup" twice with two different pids (the first process dies, the rest of
// the group runs again in a fresh one) and "teardown" once (second pid).
// Run directly with no filter, the process dies of SIGSEGV in Crash.Segv.
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <cstdlib>

#define CTESTD_LOGGING_SUITE(Suite)                                                                                    \
    class Suite : public ::testing::Test {                                                                             \
    public:                                                                                                            \
        static void SetUpTestSuite() { ctestd_fixture::setup(#Suite); }                                                \
        static void TearDownTestSuite() { ctestd_fixture::teardown(#Suite); }                                          \
    }

CTESTD_LOGGING_SUITE(Crash);
CTESTD_LOGGING_SUITE(Abort);
CTESTD_LOGGING_SUITE(Exit);

TEST_F(Crash, Before)
{
    SUCCEED();
}

TEST_F(Crash, Segv)
{
    ctestd_fixture::segfault();
}

TEST_F(Crash, After1)
{
    SUCCEED();
}

TEST_F(Crash, After2)
{
    SUCCEED();
}

TEST_F(Abort, A1)
{
    SUCCEED();
}

TEST_F(Abort, Boom)
{
    ctestd_fixture::disableCoreDumps();
    std::abort();
}

TEST_F(Abort, A3)
{
    SUCCEED();
}

TEST_F(Exit, E1)
{
    SUCCEED();
}

TEST_F(Exit, Quit)
{
    std::exit(3);
}

TEST_F(Exit, E3)
{
    SUCCEED();
}
