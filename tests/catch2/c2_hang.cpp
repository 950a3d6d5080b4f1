// SPDX-License-Identifier: BSD-3-Clause
// c2_hang: a case that sleeps forever (run with --timeout 2).
//
// Expected: Quick Passed, Forever ***Timeout, After Passed (run again in a
// fresh process). Every case logs "<Name> setup <pid>" through
// $CTESTD_FIXTURE_LOG.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "gtest_support.h"

#include <unistd.h>

TEST_CASE("Quick")
{
    ctestd_fixture::setup("Quick");
    REQUIRE(true);
}

TEST_CASE("Forever")
{
    ctestd_fixture::setup("Forever");
    for (;;)
        ::pause();
}

TEST_CASE("After")
{
    ctestd_fixture::setup("After");
    REQUIRE(true);
}
