// SPDX-License-Identifier: BSD-3-Clause
// gt_slow: cases that take a while, for a run that breaks mid-way (a
// worker's network cut while it runs a case).
//
// Exercises: losing a worker during a case and running its cases again
// elsewhere. 4 suites Slow0 .. Slow3, each with 4 cases C0 .. C3 that sleep
// 400 ms and pass; each appends "<Suite>.<Case> <pid>\n" to
// $CTESTD_SLOW_LOG (if set) when it ends.
//
// Expected status per case: all 16 Passed
// ("100% tests passed, 0 tests failed out of 16").
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <unistd.h>

namespace {

void slowCase()
{
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    const char *log = std::getenv("CTESTD_SLOW_LOG");
    if (!log)
        return;
    const ::testing::TestInfo *info = ::testing::UnitTest::GetInstance()->current_test_info();
    if (FILE *file = std::fopen(log, "a")) {
        std::fprintf(file, "%s.%s %d\n", info->test_suite_name(), info->name(), int(::getpid()));
        std::fclose(file);
    }
}

} // namespace

#define CTESTD_SLOW_SUITE(Suite)                                                                                       \
    TEST(Suite, C0)                                                                                                    \
    {                                                                                                                  \
        slowCase();                                                                                                    \
    }                                                                                                                  \
    TEST(Suite, C1)                                                                                                    \
    {                                                                                                                  \
        slowCase();                                                                                                    \
    }                                                                                                                  \
    TEST(Suite, C2)                                                                                                    \
    {                                                                                                                  \
        slowCase();                                                                                                    \
    }                                                                                                                  \
    TEST(Suite, C3)                                                                                                    \
    {                                                                                                                  \
        slowCase();                                                                                                    \
    }

CTESTD_SLOW_SUITE(Slow0)
CTESTD_SLOW_SUITE(Slow1)
CTESTD_SLOW_SUITE(Slow2)
CTESTD_SLOW_SUITE(Slow3)
