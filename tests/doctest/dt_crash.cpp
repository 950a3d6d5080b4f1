// SPDX-License-Identifier: BSD-3-Clause
// dt_crash: SIGSEGV in the middle of a run.
//
// doctest's signal handler writes the crashed case's results (an
// <Exception crash="true"> block) and then the process dies of the signal.
// Each case logs "<name> ran <pid>" to $CTESTD_FIXTURE_LOG.
// Expected status per case (order = doctest's), with --group-by executable:
//   before   Passed    (first process)
//   segv     Crashed   "***Exception: SegFault"
//   after1   Passed    must run again, in a second process
//   after2   Passed    likewise
// Totals: 4 cases ("75% tests passed, 1 tests failed out of 4").
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "gtest_support.h"

#include <doctest/doctest.h>

TEST_CASE("before")
{
    ctestd_fixture::log("before", "ran");
}

TEST_CASE("segv")
{
    ctestd_fixture::log("segv", "ran");
    ctestd_fixture::segfault();
}

TEST_CASE("after1")
{
    ctestd_fixture::log("after1", "ran");
}

TEST_CASE("after2")
{
    ctestd_fixture::log("after2", "ran");
}
