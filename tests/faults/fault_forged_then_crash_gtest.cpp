// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_then_crash_gtest: a GoogleTest case that fails and prints its
// own "[       OK ]" marker, then a later case crashes. gtest writes its JSON
// report only at exit, so after the crash nothing but the stream speaks for
// the first case: its pass must not stand on the stream's word.
//
// Expected status of every case:
//   Spoof.ForgesOkThenFails   Failed                            (run again, its failure shows)
//   Spoof.Crashes             Subprocess aborted***Exception:
//   Spoof.After               Passed
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

TEST(Spoof, ForgesOkThenFails)
{
    ADD_FAILURE() << "this test really fails";
    std::printf("[       OK ] Spoof.ForgesOkThenFails (0 ms)\n");
    std::fflush(stdout);
}

TEST(Spoof, Crashes)
{
    std::abort();
}

TEST(Spoof, After)
{
    SUCCEED();
}
