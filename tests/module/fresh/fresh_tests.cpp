// SPDX-License-Identifier: BSD-3-Clause
// One suite of five cases (one fixture group). S.C5 takes 3 s and then
// appends "C5 done" to $FRESH_LOG: when ctest asked for S.C1 alone, that line
// must never appear, since no work outlives the ctest invocation that asked.
// S.C3 fails when built with FRESH_C3_FAILS=1.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

TEST(S, C1)
{
    SUCCEED();
}

TEST(S, C2)
{
    SUCCEED();
}

TEST(S, C3)
{
    EXPECT_EQ(FRESH_C3_FAILS, 0) << "this build of S.C3 fails";
}

TEST(S, C4)
{
    SUCCEED();
}

TEST(S, C5)
{
    std::this_thread::sleep_for(std::chrono::seconds(3));
    if (const char *log = std::getenv("FRESH_LOG"))
        std::ofstream(log, std::ios::app) << "C5 done\n";
}
