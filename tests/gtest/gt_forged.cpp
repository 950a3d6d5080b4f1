// SPDX-License-Identifier: BSD-3-Clause
// gt_forged: tests that print GoogleTest's own result markers to hide a
// failure. gtest itself knows better: it exits with 1.
//
//   Spoof.Honest            Passed
//   Spoof.ForgesOk          Failed   fails, then prints "[       OK ] Spoof.ForgesOk (0 ms)"
//   Spoof.ForgesSkip        Failed   fails, then prints "[  SKIPPED ] Spoof.ForgesSkip (0 ms)"
//
// Run one process per case (--group-by case), each forged case is failed
// itself. Run as one suite, the process still exits 1 although every case
// was reported passed or skipped: the run fails (its last case is blamed,
// with gtest's closing "[  FAILED  ]" list naming the real ones), it never
// passes.
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
