// SPDX-License-Identifier: BSD-3-Clause
// gt_forged: tests that print GoogleTest's own result markers to hide a
// failure. gtest itself knows better: it exits with 1.
//
//   Spoof.Honest            Passed
//   Spoof.ForgesOk          Failed   fails, then prints "[       OK ] Spoof.ForgesOk (0 ms)"
//   Spoof.ForgesSkip        Failed   fails, then prints "[  SKIPPED ] Spoof.ForgesSkip (0 ms)"
//
// Whether each case runs in its own process (--group-by case) or all in one,
// each forging case is failed with its real failure: gtest's JSON report, a
// file the tests' output cannot reach, decides.
#include <gtest/gtest.h>

#include <cstdio>

TEST(Spoof, Honest)
{
    EXPECT_EQ(1, 1);
}

TEST(Spoof, ForgesOk)
{
    ADD_FAILURE() << "this test really fails";
    std::printf("[       OK ] Spoof.ForgesOk (0 ms)\n");
    std::fflush(stdout);
}

TEST(Spoof, ForgesSkip)
{
    ADD_FAILURE() << "this test really fails too";
    std::printf("[  SKIPPED ] Spoof.ForgesSkip (0 ms)\n");
    std::fflush(stdout);
}
