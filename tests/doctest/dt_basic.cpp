// SPDX-License-Identifier: BSD-3-Clause
// dt_basic: the everyday doctest shapes, one process, no crashes.
//
// Expected status per case, in doctest's --order-by=file order (name ->
// ctest status word); the suite is empty unless given:
//   pass                    Passed
//   check fails             Failed   CHECK(value == 2) at dt_basic.cpp:48 ("values: CHECK( 1 == 2 )")
//   require fails           Failed   REQUIRE(false == true) at dt_basic.cpp:53; "not reached" never printed
//   subcases                Failed   subcase "second" fails: dt_basic.cpp:65, then "  subcase: second"
//   add          (math)     Passed   logs "add ran <pid>"
//   Add          (math)     Passed   logs "Add ran <pid>" (must not also run `add`, nor `add` it)
//   skipped                 Disabled (skip() decorator: "Not Run (Disabled)", not counted)
//   may fail                Passed   (may_fail(); its CHECK fails)
//   should fail             Passed   (should_fail(); its CHECK fails)
//   should fail but passes  Failed   "Should have failed but didn't!"
//   two expected failures   Passed   (expected_failures(2), fails twice)
//   too slow                Failed   timeout(0.001) overrun: "Test case exceeded time limit"
//   comma, name             Passed   logs "comma ran <pid>"
//   star*name               Passed   logs "star ran <pid>"; its pattern also matches starXname
//   starXname               Passed   logs "starX ran <pid>"
//   what?                   Passed
//   back\slash              Passed
//   ünïcode ✓               Passed
//   prints                  Passed   stdout "dt_basic to stdout", stderr "dt_basic to stderr"
//   throws                  Failed   "THREW exception: boom"
// Totals: 20 cases, 1 disabled; of the 19 that run: 13 passed, 6 failed
// (ctest summary: "68% tests passed, 6 tests failed out of 19").
// The "<name> ran <pid>" lines go to $CTESTD_FIXTURE_LOG (gtest_support.h).
// The process exits 1 when run directly.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "gtest_support.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

TEST_CASE("pass")
{
    CHECK(1 + 1 == 2);
}

TEST_CASE("check fails")
{
    const int value = 1;
    CHECK(value == 2);
}

TEST_CASE("require fails")
{
    REQUIRE(false == true);
    std::printf("not reached\n");
}

TEST_CASE("subcases")
{
    SUBCASE("first")
    {
        CHECK(true);
    }
    SUBCASE("second")
    {
        CHECK(2 > 3);
    }
}

TEST_SUITE("math")
{
    TEST_CASE("add")
    {
        ctestd_fixture::log("add", "ran");
        CHECK(2 + 2 == 4);
    }
    TEST_CASE("Add")
    {
        ctestd_fixture::log("Add", "ran");
    }
}

TEST_CASE("skipped" * doctest::skip())
{
    CHECK(false);
}

TEST_CASE("may fail" * doctest::may_fail())
{
    CHECK(false);
}

TEST_CASE("should fail" * doctest::should_fail())
{
    CHECK(false);
}

TEST_CASE("should fail but passes" * doctest::should_fail())
{
    CHECK(true);
}

TEST_CASE("two expected failures" * doctest::expected_failures(2))
{
    CHECK(false);
    CHECK(false);
}

TEST_CASE("too slow" * doctest::timeout(0.001))
{
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

TEST_CASE("comma, name")
{
    ctestd_fixture::log("comma", "ran");
}

TEST_CASE("star*name")
{
    ctestd_fixture::log("star", "ran");
}

TEST_CASE("starXname")
{
    ctestd_fixture::log("starX", "ran");
}

TEST_CASE("what?") { }

TEST_CASE("back\\slash") { }

TEST_CASE("ünïcode ✓") { }

TEST_CASE("prints")
{
    std::printf("dt_basic to stdout\n");
    std::fflush(stdout);
    std::fprintf(stderr, "dt_basic to stderr\n");
}

TEST_CASE("throws")
{
    throw std::runtime_error("boom");
}
