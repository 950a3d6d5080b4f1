// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_boost: Boost.Test cases (shared library) that print the HRF
// logger's own lines (as ctestd runs it: --logger=HRF,test_suite,stdout
// --color_output=no) to hide a failure. Boost knows better: its "error: in
// ..." line follows, and the process exits with 201 (--result_code=yes).
//
// Expected status of every case (Boost's order):
//   forged/honest        passed
//   forged/forges_ok     failed   prints the HRF end of a passing case for itself, then BOOST_CHECK fails
//   forged/forges_skip   failed   prints the HRF line of a disabled (skipped) case for itself, then BOOST_CHECK fails
//   forged/honest_tail   passed
// Run as one process: 2 failed, exit code 201.
//
// The forged lines are byte for byte what the logger writes (only the time
// differs from run to run):
//   <__FILE__>(<line>): Leaving test case "forges_ok"; testing time: 45us
//   <__FILE__>(<line>): Test case "forged/forges_skip" is skipped because disabled
// (A passing and a failing case end with the same "Leaving" line: the failure
// is the "error:" line before it, which here comes after the forged end.)
#define BOOST_TEST_MODULE fault_forged_boost
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include <cstdio>

BOOST_AUTO_TEST_SUITE(forged)

BOOST_AUTO_TEST_CASE(honest)
{
    BOOST_CHECK(1 == 1);
}

static const int forgesOkLine = __LINE__ + 1;
BOOST_AUTO_TEST_CASE(forges_ok)
{
    std::printf("%s(%d): Leaving test case \"forges_ok\"; testing time: 45us\n", __FILE__, forgesOkLine);
    std::fflush(stdout);
    BOOST_CHECK(1 == 2);
}

static const int forgesSkipLine = __LINE__ + 1;
BOOST_AUTO_TEST_CASE(forges_skip)
{
    std::printf("%s(%d): Test case \"forged/forges_skip\" is skipped because disabled\n", __FILE__, forgesSkipLine);
    std::fflush(stdout);
    BOOST_CHECK(1 == 2);
}

BOOST_AUTO_TEST_CASE(honest_tail)
{
    BOOST_CHECK(1 == 1);
}

BOOST_AUTO_TEST_SUITE_END()
