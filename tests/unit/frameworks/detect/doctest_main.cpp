// SPDX-License-Identifier: BSD-3-Clause
// The smallest doctest program: tst_detection must call it "doctest".
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

TEST_CASE("detected")
{
    CHECK(true);
}
