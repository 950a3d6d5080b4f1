// SPDX-License-Identifier: BSD-3-Clause
// fault_longline_catch2: Catch2 v2 cases that write 1 MiB to stdout without a
// newline (straight to fd 1, so Catch2's reporter line follows on the same
// line). The case keeps its verdict; its output is capped with a note.
//
// Expected status of every case:
//   long line passes   Passed
//   long line fails    Failed
//   honest             Passed
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "longline.h"

TEST_CASE("long line passes")
{
    REQUIRE(writeLongLine());
}

TEST_CASE("long line fails")
{
    REQUIRE(writeLongLine());
    CHECK(1 == 2);
}

TEST_CASE("honest")
{
    CHECK(1 == 1);
}
