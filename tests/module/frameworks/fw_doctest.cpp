// SPDX-License-Identifier: BSD-3-Clause
// doctest for module.frameworks. Expected: "passes" Passed, "fails" Failed,
// "Passes" (differs only in case) Passed; each case logs "doctest setup" once.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "gtest_support.h"

#include <doctest/doctest.h>

TEST_SUITE("math")
{
    TEST_CASE("passes")
    {
        ctestd_fixture::setup("doctest");
        CHECK(1 + 1 == 2);
    }
    TEST_CASE("Passes")
    {
        ctestd_fixture::setup("doctest");
        CHECK(2 + 2 == 4);
    }
    TEST_CASE("fails")
    {
        ctestd_fixture::setup("doctest");
        CHECK(1 + 1 == 3);
    }
}
