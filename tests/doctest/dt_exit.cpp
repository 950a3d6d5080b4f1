// SPDX-License-Identifier: BSD-3-Clause
// A case that calls exit(1): doctest itself exits with 1 when a case failed,
// so 1 looks like a normal end, but the XML report is never closed.
// Expected (with --group-by executable): "first" Passed, "exits" Failed
// ("test process exited with code 1 while running exits"), "last" Passed
// (run again in a second process).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdlib>

TEST_CASE("first")
{
    CHECK(true);
}

TEST_CASE("exits")
{
    std::exit(1);
}

TEST_CASE("last")
{
    CHECK(true);
}
