// SPDX-License-Identifier: BSD-3-Clause
// Registered with TIMEOUT 3 (see CMakeLists.txt): each case's own limit.
//   Slow.C1 .. Slow.C5   1 s each, one group: all pass, although the last
//                        answer comes 5 s after the first case started
//   Hang.Forever         prints a line, then sleeps: timed out after 3 s,
//                        with its output
//   Hang.Skipped         skips: reported skipped, never a timeout
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

class Slow : public ::testing::Test {
protected:
    void SetUp() override { std::this_thread::sleep_for(std::chrono::seconds(1)); }
};

TEST_F(Slow, C1) { }
TEST_F(Slow, C2) { }
TEST_F(Slow, C3) { }
TEST_F(Slow, C4) { }
TEST_F(Slow, C5) { }

TEST(Hang, Forever)
{
    std::printf("Hang.Forever is still going\n");
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(100));
}

TEST(Hang, Skipped)
{
    GTEST_SKIP() << "not today";
}
