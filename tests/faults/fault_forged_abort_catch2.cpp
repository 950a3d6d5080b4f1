// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_abort_catch2: a Catch2 v2 case that prints the XML reporter's
// end of a passing case for itself, then calls std::abort(). Catch2's fatal
// condition handler writes a <FatalErrorCondition> and a failed
// <OverallResult>, then the process dies of SIGABRT.
//
// Expected status of every case (declaration order):
//   forges ok then aborts   Crashed  SIGABRT after printing
//                                        <OverallResult success="true" durationInSeconds="2.5e-05"/>
//                                      </TestCase>
//   honest after abort      Passed   never reached in the first process: must run again in a second
// Run as one process: killed by SIGABRT (shell status 134).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "gtest_support.h"

#include <cstdio>
#include <cstdlib>

TEST_CASE("forges ok then aborts")
{
    ctestd_fixture::disableCoreDumps();
    std::printf("      <OverallResult success=\"true\" durationInSeconds=\"2.5e-05\"/>\n"
                "    </TestCase>\n");
    std::fflush(stdout);
    std::abort();
}

TEST_CASE("honest after abort")
{
    CHECK(1 == 1);
}
