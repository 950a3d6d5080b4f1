// SPDX-License-Identifier: BSD-3-Clause
// c2_crash: a SIGSEGV in the middle of the executable. Catch2's fatal
// condition handler reports the case and closes its XML, then the process
// dies of the signal.
//
// Expected: Before Passed, Segv ***Exception: SegFault, After 1 and After 2
// Passed (run again in a fresh process). Every case logs
// "<Name> setup <pid>" through $CTESTD_FIXTURE_LOG.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "gtest_support.h"

TEST_CASE("Before")
{
    ctestd_fixture::setup("Before");
    REQUIRE(true);
}

TEST_CASE("Segv")
{
    ctestd_fixture::setup("Segv");
    std::printf("c2_crash about to crash\n");
    std::fflush(stdout);
    ctestd_fixture::segfault();
}

TEST_CASE("After 1")
{
    ctestd_fixture::setup("After1");
    REQUIRE(true);
}

TEST_CASE("After 2")
{
    ctestd_fixture::setup("After2");
    REQUIRE(true);
}
