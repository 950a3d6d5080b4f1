// SPDX-License-Identifier: BSD-3-Clause
// Boost.Test (shared library). Expected status of every case:
//   crash/before   passed
//   crash/segv     crashed  SIGSEGV (ctestd runs with --catch_system_errors=no)
//   crash/after    passed   (in a second process)
//   crash/aborts   crashed  SIGABRT ("Subprocess aborted")
//   crash/last     passed   (in a third process)
// The suite's fixture logs "Crash setup|teardown <pid>" (gtest_support.h).
#define BOOST_TEST_MODULE boost_crash
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include "gtest_support.h"

#include <cstdlib>

struct CrashFx {
    CrashFx() { ctestd_fixture::setup("Crash"); }
    ~CrashFx() { ctestd_fixture::teardown("Crash"); }
};

BOOST_AUTO_TEST_SUITE(crash, *boost::unit_test::fixture<CrashFx>())
BOOST_AUTO_TEST_CASE(before)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_CASE(segv)
{
    ctestd_fixture::segfault();
}
BOOST_AUTO_TEST_CASE(after)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_CASE(aborts)
{
    ctestd_fixture::disableCoreDumps();
    std::abort();
}
BOOST_AUTO_TEST_CASE(last)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_SUITE_END()
