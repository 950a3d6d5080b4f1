// SPDX-License-Identifier: BSD-3-Clause
// gt_hang: a test that never finishes and leaves a grandchild behind.
//
// Exercises: per-case timeouts, killing the whole process group (fault table
// C3, C4), and re-running the rest of the group in a fresh process.
// Hang.Forever first starts a child process `sleep 1000` (a grandchild of the
// worker, in the same process group, holding the same stdout/stderr), then
// sleeps forever. Killing only the direct child leaves `sleep` running and
// the output pipe open; the timeout must kill the process group.
//   $CTESTD_FIXTURE_LOG            gets "Hang setup <pid>" / "Hang teardown <pid>"
//   $CTESTD_HANG_CHILD_PID_FILE    if set, Forever writes "<sleep pid>\n" to it
//                                  so a test can check that the grandchild died
//   CTESTD_HANG_IGNORE_SIGTERM=1   Forever also ignores SIGTERM (after starting
//                                  `sleep`), so only SIGKILL ends it
//
// Expected status per case (with a timeout, e.g. --timeout 2):
//   Hang.Quick     Passed
//   Hang.Forever   Timeout   "***Timeout" after the timeout; `sleep` must be gone afterwards
//   Hang.After     Passed    must run, in a new process
// Totals: 3 cases: 2 passed, 1 failed ("67% tests passed, 1 tests failed out of 3").
// Fixture log with --group-by suite: "Hang setup" twice (two pids),
// "Hang teardown" once (second pid). Run directly, the process never exits.
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <spawn.h>
#include <string>
#include <unistd.h>

extern char **environ;

class Hang : public ::testing::Test {
public:
    static void SetUpTestSuite() { ctestd_fixture::setup("Hang"); }
    static void TearDownTestSuite() { ctestd_fixture::teardown("Hang"); }
};

TEST_F(Hang, Quick)
{
    SUCCEED();
}

TEST_F(Hang, Forever)
{
    char sleepName[] = "sleep";
    char sleepArg[] = "1000";
    char *argv[] = {sleepName, sleepArg, nullptr};
    pid_t child = 0;
    const int rc = ::posix_spawnp(&child, "sleep", nullptr, nullptr, argv, environ);
    ASSERT_EQ(rc, 0) << "posix_spawnp(sleep) failed";

    if (const char *pidFile = std::getenv("CTESTD_HANG_CHILD_PID_FILE"); pidFile && *pidFile) {
        if (FILE *f = std::fopen(pidFile, "w")) {
            std::fprintf(f, "%ld\n", static_cast<long>(child));
            std::fclose(f);
        }
    }
    if (const char *ignore = std::getenv("CTESTD_HANG_IGNORE_SIGTERM"); ignore && std::string(ignore) == "1")
        std::signal(SIGTERM, SIG_IGN);

    std::printf(
        "Hang.Forever: started grandchild 'sleep 1000' pid %ld, now sleeping forever\n", static_cast<long>(child));
    std::fflush(stdout);
    for (;;)
        ::sleep(1000);
}

TEST_F(Hang, After)
{
    SUCCEED();
}
