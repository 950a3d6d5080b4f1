// SPDX-License-Identifier: BSD-3-Clause
// dt_hang: a case that never finishes.
//
// Each case logs "<name> ran <pid>" to $CTESTD_FIXTURE_LOG.
// Expected status per case, with --timeout 2 and --group-by executable:
//   quick     Passed
//   forever   Timeout  "***Timeout"
//   after     Passed   must run, in a new process
// Totals: 3 cases ("67% tests passed, 1 tests failed out of 3").
// Run directly, the process never exits.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "gtest_support.h"

#include <doctest/doctest.h>

#include <unistd.h>

TEST_CASE("quick")
{
    ctestd_fixture::log("quick", "ran");
}

TEST_CASE("forever")
{
    ctestd_fixture::log("forever", "ran");
    for (;;)
        ::pause();
}

TEST_CASE("after")
{
    ctestd_fixture::log("after", "ran");
}
