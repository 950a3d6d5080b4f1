// SPDX-License-Identifier: BSD-3-Clause
// Boost.Test (header-only variant). Expected status of every case:
//   standalone          passed   (in the master suite: suite "", JUnit classname "boost_basic")
//   math/add            passed   (prints "boost_basic to stdout" / "boost_basic to stderr")
//   math/fail           failed   boost_basic.cpp line 43: check a == b has failed [1 != 2]
//   math/off            disabled (* disabled())
//   math/xfail          passed   (one failure, expected_failures(1))
//   math/dep            skipped  (depends_on math/fail, which failed)
//   math/throws         failed   std::runtime_error: boom
//   math/guarded        skipped  (precondition false: "not on this machine")
//   math/inner/deep     passed   (nested suite)
//   data/_0, data/_1    passed; data/_2 failed (BOOST_DATA_TEST_CASE over 0..2, x < 2)
//   tmpl<int>           passed; tmpl<long> passed (template case)
//   slow                failed   (timeout(1) decorator; sleeps 3 s: SIGALRM)
#define BOOST_TEST_MODULE boost_basic
#include <boost/test/included/unit_test.hpp>

#include <boost/mpl/list.hpp>
#include <boost/test/data/test_case.hpp>

#include <iostream>
#include <stdexcept>
#include <unistd.h>

namespace utf = boost::unit_test;

BOOST_AUTO_TEST_CASE(standalone)
{
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE(math)
BOOST_AUTO_TEST_CASE(add)
{
    std::cout << "boost_basic to stdout" << std::endl;
    std::cerr << "boost_basic to stderr" << std::endl;
    BOOST_TEST(1 + 1 == 2);
}
BOOST_AUTO_TEST_CASE(fail)
{
    const int a = 1;
    const int b = 2;
    BOOST_TEST(a == b);
}
BOOST_AUTO_TEST_CASE(off, *utf::disabled())
{
    BOOST_TEST(false);
}
BOOST_AUTO_TEST_CASE(xfail, *utf::expected_failures(1))
{
    BOOST_TEST(1 == 2);
}
BOOST_AUTO_TEST_CASE(dep, *utf::depends_on("math/fail"))
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_CASE(throws)
{
    throw std::runtime_error("boom");
}
boost::test_tools::assertion_result notHere(utf::test_unit_id)
{
    boost::test_tools::assertion_result result(false);
    result.message() << "not on this machine";
    return result;
}
BOOST_AUTO_TEST_CASE(guarded, *utf::precondition(notHere))
{
    BOOST_TEST(false);
}
BOOST_AUTO_TEST_SUITE(inner)
BOOST_AUTO_TEST_CASE(deep)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()

BOOST_DATA_TEST_CASE(data, boost::unit_test::data::xrange(3), x)
{
    BOOST_TEST(x < 2);
}

typedef boost::mpl::list<int, long> tmpl_types;
BOOST_AUTO_TEST_CASE_TEMPLATE(tmpl, T, tmpl_types)
{
    BOOST_TEST(sizeof(T) > 0u);
}

BOOST_AUTO_TEST_CASE(slow, *utf::timeout(1))
{
    ::sleep(3);
}
