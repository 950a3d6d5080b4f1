// SPDX-License-Identifier: BSD-3-Clause
// c2_basic: the statuses, messages and awkward names of Catch2 v2 cases.
//
// Expected status of every case (as ctestd's console prints it):
//   Adds                                   Passed
//   Require fails                          ***Failed   REQUIRE( a == 2 ) at line 38, "with expansion: 1 == 2"
//   Check fails then passes                ***Failed   CHECK( b == 3 ) at line 44; the case goes on
//   Sections                               ***Failed   in section "second" > "inner", line 58
//   Hidden                                 (not listed: tagged [.])
//   May fail                               Passed      [!mayfail]: the failure is allowed
//   Should fail                            Passed      [!shouldfail] and it fails
//   Should fail but passes                 ***Failed   [!shouldfail] and no assertion failed
//   Fails, with comma [x] \ "q"            Passed      spec metacharacters in the name
//   "  padded name  "                      Passed      leading and trailing spaces
//   *starred*                              Passed      selected with a wildcard
//   an unstarred case                      ***Failed   also matched by "*starred*"; line 110
//   #hash ~tilde                           Passed
//   exclude:me                             Passed      "exclude:" would negate the spec
//   Unicode äöü € ✓                        Passed
//   Output                                 Passed      printf, std::cout and std::cerr output
//   Mixed Case                             Passed      Catch2 matches names case-insensitively:
//   mixed case                             ***Failed   each must still get its own result; line 134
// 17 listed cases, 6 failed.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdio>
#include <iostream>

TEST_CASE("Adds")
{
    REQUIRE(1 + 1 == 2);
}

TEST_CASE("Require fails")
{
    int a = 1;
    REQUIRE(a == 2);
}

TEST_CASE("Check fails then passes")
{
    int b = 2;
    CHECK(b == 3);
    CHECK(b == 2);
}

TEST_CASE("Sections")
{
    SECTION("first")
    {
        CHECK(true);
    }
    SECTION("second")
    {
        SECTION("inner")
        {
            REQUIRE(false);
        }
    }
}

TEST_CASE("Hidden", "[.]")
{
    FAIL("hidden cases are not listed");
}

TEST_CASE("May fail", "[!mayfail]")
{
    REQUIRE(false);
}

TEST_CASE("Should fail", "[!shouldfail]")
{
    REQUIRE(false);
}

TEST_CASE("Should fail but passes", "[!shouldfail]")
{
    REQUIRE(true);
}

TEST_CASE("Fails, with comma [x] \\ \"q\"")
{
    REQUIRE(true);
}

TEST_CASE("  padded name  ")
{
    REQUIRE(true);
}

TEST_CASE("*starred*")
{
    REQUIRE(true);
}

TEST_CASE("#hash ~tilde")
{
    REQUIRE(true);
}

TEST_CASE("exclude:me")
{
    REQUIRE(true);
}

TEST_CASE("an unstarred case")
{
    CHECK(false);
}

TEST_CASE("Unicode äöü € ✓")
{
    REQUIRE(true);
}

TEST_CASE("Output")
{
    std::printf("c2_basic printf\n");
    std::fflush(stdout);
    std::cout << "c2_basic cout <&>" << std::endl;
    std::cerr << "c2_basic cerr" << std::endl;
    REQUIRE(true);
}

TEST_CASE("Mixed Case")
{
    REQUIRE(true);
}

TEST_CASE("mixed case")
{
    CHECK(false);
}
