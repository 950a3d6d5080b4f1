// SPDX-License-Identifier: BSD-3-Clause
// dt_names: names doctest's filters cannot tell apart.
//
// doctest filters are wildcard patterns with no escape for `*` and `?`, so
// "pick*" and "pick?" match each other whatever ctestd does; neither can run
// without the other. "picks" is matched by both patterns but can be excluded.
// Expected status per case, run with --group-by case (each case alone):
//   pick*   Not Run  "doctest cannot run "pick*" ... without also running "pick?""
//   pick?   Not Run  "doctest cannot run "pick?" ... without also running "pick*""
//   picks   Passed
// Totals: 3 cases ("33% tests passed, 2 tests failed out of 3").
// Each case logs "<name> ran <pid>" to $CTESTD_FIXTURE_LOG (name without
// the wildcard: pick-star, pick-question, picks); only "picks" may appear.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "gtest_support.h"

#include <doctest/doctest.h>

TEST_CASE("pick*")
{
    ctestd_fixture::log("pick-star", "ran");
}

TEST_CASE("pick?")
{
    ctestd_fixture::log("pick-question", "ran");
}

TEST_CASE("picks")
{
    ctestd_fixture::log("picks", "ran");
}
