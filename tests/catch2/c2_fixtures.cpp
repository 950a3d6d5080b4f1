// SPDX-License-Identifier: BSD-3-Clause
// c2_fixtures: TEST_CASE_METHOD fixtures whose constructor and destructor log
// "<Fixture> setup|teardown <pid>" through $CTESTD_FIXTURE_LOG.
//
// Expected: every case Passed (5 cases). Catch2 builds the fixture once per
// run of the case body, i.e. per leaf section: FxA 3 setups (3 cases), FxB 2
// setups (one case with two sections), whatever the grouping.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "gtest_support.h"

struct FxA {
    FxA() { ctestd_fixture::setup("FxA"); }
    ~FxA() { ctestd_fixture::teardown("FxA"); }
    int value = 1;
};

struct FxB {
    FxB() { ctestd_fixture::setup("FxB"); }
    ~FxB() { ctestd_fixture::teardown("FxB"); }
    int value = 2;
};

TEST_CASE_METHOD(FxA, "A one", "[fx]")
{
    REQUIRE(value == 1);
}
TEST_CASE_METHOD(FxA, "A two", "[fx]")
{
    REQUIRE(value == 1);
}
TEST_CASE_METHOD(FxA, "A three", "[fx]")
{
    REQUIRE(value == 1);
}

TEST_CASE_METHOD(FxB, "B sections", "[fx]")
{
    SECTION("left")
    {
        REQUIRE(value == 2);
    }
    SECTION("right")
    {
        REQUIRE(value == 2);
    }
}

TEST_CASE("Free")
{
    REQUIRE(true);
}
