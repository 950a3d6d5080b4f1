// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_abort_gtest: a GoogleTest case that prints its own "[       OK ]"
// marker and then aborts. gtest writes its JSON report only at exit, so
// nothing but the stream speaks for the case: the death must still be its.
//
// Expected status of every case:
//   Spoof.OkThenAborts   Subprocess aborted***Exception:   (run again alone, where it aborts again)
//   Spoof.After          Passed                            (never blamed for the abort)
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

TEST(Spoof, OkThenAborts)
{
    std::printf("[       OK ] Spoof.OkThenAborts (0 ms)\n");
    std::fflush(stdout);
    std::abort();
}

TEST(Spoof, After)
{
    SUCCEED();
}
