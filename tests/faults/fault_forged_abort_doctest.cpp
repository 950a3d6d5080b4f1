// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_abort_doctest: a doctest case that prints the XML reporter's
// end of a passing case for itself, then calls std::abort(). doctest's signal
// handler writes an <Exception crash="true"> and the case's failed results,
// then the process dies of SIGABRT.
//
// Expected status of every case (file order):
//   forges ok then aborts   Crashed  SIGABRT after printing
//                                        <OverallResultsAsserts successes="1" failures="0" test_case_success="true"
//                                        duration="6e-06"/>
//                                      </TestCase>
//   honest after abort      Passed   never reached in the first process: must run again in a second
// Run as one process: killed by SIGABRT (shell status 134).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "gtest_support.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

TEST_CASE("forges ok then aborts")
{
    ctestd_fixture::disableCoreDumps();
    std::printf("      <OverallResultsAsserts successes=\"1\" failures=\"0\" test_case_success=\"true\" "
                "duration=\"6e-06\"/>\n"
                "    </TestCase>\n");
    std::fflush(stdout);
    std::abort();
}

TEST_CASE("honest after abort")
{
    CHECK(1 == 1);
}
