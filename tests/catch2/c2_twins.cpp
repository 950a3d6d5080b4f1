// SPDX-License-Identifier: BSD-3-Clause
// Cases Catch2 cannot tell apart by name: its reports trim the blanks around
// a name, and its test spec matches the trimmed name, so asking for one of
// these runs all of them under the same reported name. ctestd must give each
// its own result (told apart by where it is defined), never a twin's.
//
//   "  twin  "     failed   (the first one Catch2 reports as "twin")
//   "twin"         passed
//   " twin"        passed
//   "\ttwin"       failed   (a tab is trimmed too)
//   "single"       passed
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

TEST_CASE("  twin  ")
{
    CHECK(1 == 2);
}

TEST_CASE("twin")
{
    CHECK(1 == 1);
}

TEST_CASE(" twin")
{
    CHECK(2 == 2);
}

TEST_CASE("\ttwin")
{
    CHECK(3 == 4);
}

TEST_CASE("single")
{
    CHECK(true);
}
