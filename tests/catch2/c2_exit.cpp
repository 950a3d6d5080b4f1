// SPDX-License-Identifier: BSD-3-Clause
// A case that ends the process with _Exit(3): Catch2 v2 itself exits with
// its failed-assertion count, so 3 looks like a normal end, but the XML report
// is never closed. (std::exit() would run Catch2's static destructors under
// the running test and die of SIGSEGV instead.)
// Expected (with --group-by executable): "first" Passed, "exits" Failed
// ("test process exited with code 3 while running exits"), "last" Passed
// (run again in a second process).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>

TEST_CASE("first")
{
    REQUIRE(true);
}

TEST_CASE("exits")
{
    std::_Exit(3);
}

TEST_CASE("last")
{
    REQUIRE(true);
}
