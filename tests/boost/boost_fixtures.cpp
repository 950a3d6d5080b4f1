// SPDX-License-Identifier: BSD-3-Clause
// Boost.Test (shared library, BOOST_TEST_DYN_LINK). Every case passes.
// Fixture runs are logged to $CTESTD_FIXTURE_LOG (gtest_support.h) as
// "<Name> setup|teardown <pid>":
//   Global   BOOST_TEST_GLOBAL_FIXTURE: once per test process
//   Alpha    `* fixture<AlphaFx>()` on suite alpha (4 cases, two in alpha/inner):
//            once per group (group-by suite/executable), once per case (case)
//   Beta     BOOST_FIXTURE_TEST_SUITE(beta, BetaFx): a fresh BetaFx per case
//            (3 cases), whatever the grouping
//   Gamma    `* fixture<GammaFx>()` on suite gamma (2 cases); gamma/uses
//            depends_on alpha/one, so alpha and gamma are one group in every mode
#define BOOST_TEST_MODULE boost_fixtures
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include "gtest_support.h"

namespace utf = boost::unit_test;

struct GlobalFx {
    GlobalFx() { ctestd_fixture::setup("Global"); }
    ~GlobalFx() { ctestd_fixture::teardown("Global"); }
};
BOOST_TEST_GLOBAL_FIXTURE(GlobalFx);

struct AlphaFx {
    AlphaFx() { ctestd_fixture::setup("Alpha"); }
    ~AlphaFx() { ctestd_fixture::teardown("Alpha"); }
};
struct BetaFx {
    BetaFx() { ctestd_fixture::setup("Beta"); }
    ~BetaFx() { ctestd_fixture::teardown("Beta"); }
    int value = 42;
};
struct GammaFx {
    GammaFx() { ctestd_fixture::setup("Gamma"); }
    ~GammaFx() { ctestd_fixture::teardown("Gamma"); }
};

BOOST_AUTO_TEST_SUITE(alpha, *utf::fixture<AlphaFx>())
BOOST_AUTO_TEST_CASE(one)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_CASE(two)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_SUITE(inner)
BOOST_AUTO_TEST_CASE(three)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_CASE(four)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(beta, BetaFx)
BOOST_AUTO_TEST_CASE(b1)
{
    BOOST_TEST(value == 42);
}
BOOST_AUTO_TEST_CASE(b2)
{
    BOOST_TEST(value == 42);
}
BOOST_AUTO_TEST_CASE(b3)
{
    BOOST_TEST(value == 42);
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(gamma, *utf::fixture<GammaFx>())
BOOST_AUTO_TEST_CASE(plain)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_CASE(uses, *utf::depends_on("alpha/one"))
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_SUITE_END()
