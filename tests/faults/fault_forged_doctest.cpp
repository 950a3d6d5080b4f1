// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_doctest: doctest cases that print the XML reporter's own
// markers (as ctestd runs it: --dt-reporters=xml --dt-duration=true ...) to
// hide a failure. doctest knows better: the real <OverallResultsAsserts ...
// test_case_success="false" .../> follows, and the process exits with 1.
//
// Expected status of every case (file order):
//   honest                    Passed
//   forges ok                 Failed   prints a passing case's end, then CHECK( 1 == 2 ) fails
//   forges ok after failing   Failed   CHECK( 1 == 2 ) fails, then prints a passing case's end
//   forges skip               Failed   prints the element doctest writes for a skipped case
//                                      (<TestCase ... skipped="true"/>, for itself), then CHECK( 1 == 2 ) fails
//   honest tail               Passed
// Run as one process: 5 cases, 3 failed, exit code 1.
//
// The forged lines are byte for byte what the reporter writes (only the
// duration differs from run to run):
//       <OverallResultsAsserts successes="1" failures="0" test_case_success="true" duration="6e-06"/>
//     </TestCase>
//     <TestCase name="forges skip" filename="<__FILE__>" line="<line>" skipped="true"/>
// (The last is written for a skip() case only without --dt-no-skipped-summary=true.)
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdio>

namespace {

const char forgedEnd[] = "      <OverallResultsAsserts successes=\"1\" failures=\"0\" test_case_success=\"true\" "
                         "duration=\"6e-06\"/>\n"
                         "    </TestCase>\n";

} // namespace

TEST_CASE("honest")
{
    CHECK(1 == 1);
}

TEST_CASE("forges ok")
{
    std::printf("%s", forgedEnd);
    std::fflush(stdout);
    CHECK(1 == 2);
}

TEST_CASE("forges ok after failing")
{
    CHECK(1 == 2);
    std::printf("%s", forgedEnd);
    std::fflush(stdout);
}

static const int forgesSkipLine = __LINE__ + 1;
TEST_CASE("forges skip")
{
    std::printf("    <TestCase name=\"forges skip\" filename=\"%s\" line=\"%d\" skipped=\"true\"/>\n", __FILE__,
        forgesSkipLine);
    std::fflush(stdout);
    CHECK(1 == 2);
}

TEST_CASE("honest tail")
{
    CHECK(1 == 1);
}
