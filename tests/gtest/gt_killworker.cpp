// SPDX-License-Identifier: BSD-3-Clause
// gt_killworker: a test that kills the ctestd worker running it.
//
// Exercises: a worker that dies in the middle of a unit (fault table C1, C2):
// the daemon must not hang, must report the case that was running as lost,
// must run the rest of the group in a replacement worker, and must respect
// the restart limit. Victim.KillWorker sends SIGKILL to its parent process
// (the worker, when run under ctestd) and then waits; the worker's death
// takes it down too (PR_SET_PDEATHSIG). Run directly, it would kill the shell
// that started it, so it fails instead unless its parent is a ctestd worker
// (checked through /proc/<ppid>/cmdline).
//
// Expected status per case under ctestd -j2:
//   Victim.First       Passed
//   Victim.KillWorker  "Worker lost***Exception:" (the worker died, twice:
//                      once in the group, once run alone to settle the blame)
//   Victim.Last        Passed   (runs again in a replacement worker)
//   Bystander.One      Passed
// Each case logs its worker's id (ctestd_fixture::logWorker): a replacement
// worker has the id of the worker it replaced.
// Fixture log: "Victim setup" three times (the group, KillWorker alone, Last);
// with CTESTD_KILL_AT_ONCE up to five (First may be the one run alone first).
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>
#include <unistd.h>

namespace {
bool parentIsCtestdWorker()
{
    std::ifstream cmdline("/proc/" + std::to_string(::getppid()) + "/cmdline");
    const std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    return text.find(std::string("worker\0--connect", 16)) != std::string::npos;
}
} // namespace

class Victim : public ::testing::Test {
protected:
    static void SetUpTestSuite() { ctestd_fixture::setup("Victim"); }
    static void TearDownTestSuite() { ctestd_fixture::teardown("Victim"); }
};

TEST_F(Victim, First)
{
    ctestd_fixture::logWorker("Victim.First");
    SUCCEED();
}

TEST_F(Victim, KillWorker)
{
    ctestd_fixture::logWorker("Victim.KillWorker");
    ASSERT_TRUE(parentIsCtestdWorker()) << "refusing to kill a parent that is not a ctestd worker";
    // Normally the worker gets time to read and forward this case's start
    // marker, so the daemon knows which case was running when the worker
    // died. CTESTD_KILL_AT_ONCE kills it before it can: the daemon's blame
    // must be exact all the same.
    std::cout << "killing the worker" << std::endl;
    if (!std::getenv("CTESTD_KILL_AT_ONCE"))
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(::getppid(), SIGKILL);
    // The worker's death kills this process; never get past this.
    std::this_thread::sleep_for(std::chrono::seconds(30));
    FAIL() << "still alive 30 s after killing the worker";
}

TEST_F(Victim, Last)
{
    ctestd_fixture::logWorker("Victim.Last");
    SUCCEED();
}

TEST(Bystander, One)
{
    ctestd_fixture::logWorker("Bystander.One");
    SUCCEED();
}
