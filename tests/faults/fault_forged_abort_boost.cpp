// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_abort_boost: a Boost.Test case (shared library) that prints
// the HRF end of a passing case for itself, then calls std::abort(). Under
// ctestd's --catch_system_errors=no the process dies of SIGABRT at once.
// (With Boost's default, --catch_system_errors=yes, Boost reports "fatal
// error: in "forged_abort/forges_ok_then_aborts": signal: SIGABRT" and goes
// on with the next case; the process then exits with 201.)
//
// Expected status of every case (Boost's order):
//   forged_abort/forges_ok_then_aborts   crashed  SIGABRT after printing
//                                        <__FILE__>(<line>): Leaving test case "forges_ok_then_aborts"; testing time:
//                                        45us
//   forged_abort/honest_after_abort      passed   never reached in the first process: must run again in a second
// Run as one process with --catch_system_errors=no: killed by SIGABRT (shell status 134).
#define BOOST_TEST_MODULE fault_forged_abort_boost
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include "gtest_support.h"

#include <cstdio>
#include <cstdlib>

BOOST_AUTO_TEST_SUITE(forged_abort)

static const int forgesOkThenAbortsLine = __LINE__ + 1;
BOOST_AUTO_TEST_CASE(forges_ok_then_aborts)
{
    ctestd_fixture::disableCoreDumps();
    std::printf(
        "%s(%d): Leaving test case \"forges_ok_then_aborts\"; testing time: 45us\n", __FILE__, forgesOkThenAbortsLine);
    std::fflush(stdout);
    std::abort();
}

BOOST_AUTO_TEST_CASE(honest_after_abort)
{
    BOOST_CHECK(1 == 1);
}

BOOST_AUTO_TEST_SUITE_END()
