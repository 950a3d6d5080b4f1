// SPDX-License-Identifier: BSD-3-Clause
// gt_leak: one case of three leaks memory, which only a launcher sees
// (README, "Launchers"): under `valgrind --leak-check=full --error-exitcode=99`
// the process exits 99 after every case passed, and valgrind's report comes at
// exit, after the last case's markers.
//
// Expected status under ctestd --launcher 'valgrind ... --error-exitcode=99':
//   Leak.Clean1  Passed
//   Leak.Leaks   ***Failed ("exited with code 99 under the launcher valgrind",
//                with valgrind's "definitely lost", or "possibly lost" when a
//                stale pointer into the block stays on the stack, in its output)
//   Leak.Clean2  Passed
// Without the launcher all three pass.
#include <gtest/gtest.h>

#include <cstring>

namespace {
// Kept out of the optimiser's reach, so that the allocation stays.
char *volatile g_sink = nullptr;
} // namespace

TEST(Leak, Clean1)
{
    auto *kept = new char[64];
    std::memset(kept, 1, 64);
    delete[] kept;
}

TEST(Leak, Leaks)
{
    g_sink = new char[4096];
    std::memset(g_sink, 2, 4096);
    g_sink = nullptr; // the only pointer to it is gone: definitely lost
}

TEST(Leak, Clean2)
{
    SUCCEED();
}
