// SPDX-License-Identifier: BSD-3-Clause
// gt_claim: one suite whose fixture works in one process only, for a fixture
// group split over processes.
//
// Exercises: a fixture that fails in one part of a split group is reported
// for that part's cases only. Claim's SetUpTestSuite logs its run (see
// gtest_support.h) and, when $CTESTD_CLAIM names a file, creates it with
// O_EXCL: the first process to do so holds the resource; in any later one
// the file exists, the fixture fails, and every case of that process fails
// with "the fixture could not claim <file>". The file is never removed, so
// which process claims it does not depend on timing, only on order.
//
// Expected status per case, in one process (or without $CTESTD_CLAIM):
//   Claim.C0 .. Claim.C5   Passed
// Totals: 6 cases, 6 passed ("100% tests passed, 0 tests failed out of 6").
// Split into parts: the cases of the part that claimed pass, the others fail.
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace {

class Claim : public ::testing::Test {
public:
    static void SetUpTestSuite()
    {
        ctestd_fixture::setup("Claim");
        const char *path = std::getenv("CTESTD_CLAIM");
        if (!path || !*path)
            return;
        const int fd = ::open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
            problem() = std::string("the fixture could not claim ") + path + ": " + std::strerror(errno);
            return;
        }
        ::close(fd);
    }
    static void TearDownTestSuite() { ctestd_fixture::teardown("Claim"); }

protected:
    void SetUp() override { ASSERT_TRUE(problem().empty()) << problem(); }

private:
    static std::string &problem()
    {
        static std::string text;
        return text;
    }
};

} // namespace

TEST_F(Claim, C0) { }
TEST_F(Claim, C1) { }
TEST_F(Claim, C2) { }
TEST_F(Claim, C3) { }
TEST_F(Claim, C4) { }
TEST_F(Claim, C5) { }
