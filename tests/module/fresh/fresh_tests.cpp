// SPDX-License-Identifier: BSD-3-Clause
// One suite of five cases (one fixture group). Every case appends
// "<Suite.Case> <pid> <$FRESH_MARK> <working directory>" to $FRESH_LOG as it
// starts, so a test can tell exactly which cases ran, in which processes,
// with which environment and where. S.C5 takes 3 s and then appends
// "C5 done": when ctest asked for S.C1 alone, S.C5 must never run at all.
// S.C3 fails when built with FRESH_C3_FAILS=1. Suite T is a second group.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace {
class StartLog : public ::testing::EmptyTestEventListener {
    void OnTestStart(const ::testing::TestInfo &info) override
    {
        const char *log = std::getenv("FRESH_LOG");
        if (!log)
            return;
        const char *mark = std::getenv("FRESH_MARK");
        char directory[4096] = "?";
        if (!getcwd(directory, sizeof directory))
            directory[0] = '?';
        std::ofstream(log, std::ios::app) << info.test_suite_name() << '.' << info.name() << ' ' << getpid() << ' '
                                          << (mark ? mark : "-") << ' ' << directory << '\n';
        // The process that started this one: which worker ran it.
        if (const char *parents = std::getenv("FRESH_PARENT_LOG"))
            std::ofstream(parents, std::ios::app)
                << info.test_suite_name() << '.' << info.name() << ' ' << getppid() << '\n';
    }
};

// Registered before gtest_main's RUN_ALL_TESTS().
const bool registered = [] {
    ::testing::UnitTest::GetInstance()->listeners().Append(new StartLog);
    return true;
}();
} // namespace

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

// A second group, listed after S: run ahead of its clients while S.C5 keeps
// ctest's slots waiting (module.fresh_results, step 12).
TEST(T, C1)
{
    SUCCEED();
}

TEST(T, C2)
{
    SUCCEED();
}
