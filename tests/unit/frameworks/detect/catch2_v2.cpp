// SPDX-License-Identifier: BSD-3-Clause
// The smallest Catch2 v2 program: tst_detection must call it "catch2".
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

TEST_CASE("detected")
{
    REQUIRE(true);
}
