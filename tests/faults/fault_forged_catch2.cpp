// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_catch2: Catch2 v2 cases that print the XML reporter's own
// markers (as ctestd runs it: -r xml -d yes --order decl) to hide a failure.
// Catch2 knows better: the real <OverallResult success="false" .../> follows,
// and the process exits with the number of failed cases.
//
// Expected status of every case (declaration order):
//   honest                     Passed
//   forges ok before failing   Failed   prints a passing case's end, then CHECK( 1 == 2 ) fails
//   forges ok after failing    Failed   CHECK( 1 == 2 ) fails, then prints a passing case's end
//   forges next start          Failed   prints a passing case's end and the start of "honest tail"
//                                       (the case that really runs next), then CHECK( 1 == 2 ) fails
//   honest tail                Passed   its real start comes after the forged one
// Run as one process: 5 cases, 3 failed, exit code 3.
//
// The forged lines are byte for byte what the reporter writes for a passing
// case (only the duration differs from run to run):
//       <OverallResult success="true" durationInSeconds="2.5e-05"/>
//     </TestCase>
//     <TestCase name="honest tail" filename="<__FILE__>" line="<line>">
// After a failed CHECK the reporter has not ended its </Expression> line yet
// (it writes the newline lazily), so "forges ok after failing" starts with
// "\n" to put its lines on lines of their own.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdio>

namespace {

const char forgedEnd[] = "      <OverallResult success=\"true\" durationInSeconds=\"2.5e-05\"/>\n"
                         "    </TestCase>\n";

} // namespace

// The line of "honest tail"'s TEST_CASE, defined next to it below.
extern const int honestTailLine;

TEST_CASE("honest")
{
    CHECK(1 == 1);
}

TEST_CASE("forges ok before failing")
{
    std::printf("%s", forgedEnd);
    std::fflush(stdout);
    CHECK(1 == 2);
}

TEST_CASE("forges ok after failing")
{
    CHECK(1 == 2);
    std::printf("\n%s", forgedEnd);
    std::fflush(stdout);
}

TEST_CASE("forges next start")
{
    std::printf(
        "%s    <TestCase name=\"honest tail\" filename=\"%s\" line=\"%d\">\n", forgedEnd, __FILE__, honestTailLine);
    std::fflush(stdout);
    CHECK(1 == 2);
}

const int honestTailLine = __LINE__ + 1;
TEST_CASE("honest tail")
{
    CHECK(1 == 1);
}
