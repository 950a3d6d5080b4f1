// SPDX-License-Identifier: BSD-3-Clause
// Catch2 v2 for module.frameworks. Expected: "passes" Passed, "fails"
// Failed, "with, comma [and] brackets" Passed; each TEST_CASE_METHOD
// constructs its fixture ("Catch2 setup" in the fixture log) once per case.
#define CATCH_CONFIG_MAIN
#include "gtest_support.h"

#include <catch2/catch.hpp>

namespace {
struct Fixture {
    Fixture() { ctestd_fixture::setup("Catch2"); }
    ~Fixture() { ctestd_fixture::teardown("Catch2"); }
};
} // namespace

TEST_CASE_METHOD(Fixture, "passes")
{
    REQUIRE(1 + 1 == 2);
}

TEST_CASE_METHOD(Fixture, "fails")
{
    REQUIRE(1 + 1 == 3);
}

TEST_CASE("with, comma [and] brackets")
{
    CHECK(true);
}
