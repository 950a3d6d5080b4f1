// SPDX-License-Identifier: BSD-3-Clause
// Boost.Test for module.frameworks. Expected: suite/passes and suite/also
// Passed, suite/fails Failed; the suite fixture ("Boost setup/teardown" in
// the fixture log) runs once, as the default group is the suite.
#define BOOST_TEST_MODULE fw_boost
#include "gtest_support.h"

#include <boost/test/unit_test.hpp>

namespace {
struct SuiteFixture {
    SuiteFixture() { ctestd_fixture::setup("Boost"); }
    ~SuiteFixture() { ctestd_fixture::teardown("Boost"); }
};
} // namespace

BOOST_AUTO_TEST_SUITE(suite, *boost::unit_test::fixture<SuiteFixture>())

BOOST_AUTO_TEST_CASE(passes)
{
    BOOST_TEST(1 + 1 == 2);
}

BOOST_AUTO_TEST_CASE(also)
{
    BOOST_TEST(2 + 2 == 4);
}

BOOST_AUTO_TEST_CASE(fails)
{
    BOOST_TEST(1 + 1 == 3);
}

BOOST_AUTO_TEST_SUITE_END()
