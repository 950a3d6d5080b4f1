// SPDX-License-Identifier: BSD-3-Clause
// GoogleTest program registered with a plain gtest_discover_tests() (only a
// LABELS property): ctestd --test-dir must regroup its cases into fixture
// groups, one process per gtest suite. Every suite fixture appends
// "<gtest suite name> setup|teardown <pid>" to $CTESTD_FIXTURE_LOG (when set),
// so the agreement test can count how often each SetUpTestSuite ran: once per
// case under ctest, once per suite under ctestd.
//
// CTest name (gtest_discover_tests)   expected ctest status
// FxAlpha.One / .Two / .Three         Passed
// FxBeta.Passes                       Passed
// FxBeta.Fails                        ***Failed
// FxBeta.Skips                        ***Skipped (GTEST_SKIP)
// FxBeta.DISABLED_Off                 ***Not Run (Disabled)
// NoFixture.Works                     Passed
// TypedFx.Zero<int> / <double>        Passed   (gtest suites TypedFx/0, TypedFx/1)
// TypedFx.Sized<int> / <double>       Passed
// Nums/ParamFx.Even/2, /4             Passed
// Nums/ParamFx.Even/3                 ***Failed
// DISABLED_Whole.Test                 ***Not Run (Disabled)
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <iostream>

namespace {

// The gtest suite being set up ("FxAlpha", "TypedFx/0", "Nums/ParamFx").
const char *currentSuite()
{
    const ::testing::TestSuite *suite = ::testing::UnitTest::GetInstance()->current_test_suite();
    return suite ? suite->name() : "unknown";
}

void printMarkers(const char *what)
{
    std::cout << "agree-marker-out: " << what << std::endl;
    std::cerr << "agree-marker-err: " << what << std::endl;
}

class Logged : public ::testing::Test {
public:
    static void SetUpTestSuite() { ctestd_fixture::setup(currentSuite()); }
    static void TearDownTestSuite() { ctestd_fixture::teardown(currentSuite()); }
};

} // namespace

class FxAlpha : public Logged { };
TEST_F(FxAlpha, One)
{
    SUCCEED();
}
TEST_F(FxAlpha, Two)
{
    EXPECT_EQ(2, 1 + 1);
}
TEST_F(FxAlpha, Three)
{
    EXPECT_TRUE(true);
}

class FxBeta : public Logged { };
TEST_F(FxBeta, Passes)
{
    SUCCEED();
}
TEST_F(FxBeta, Fails)
{
    printMarkers("FxBeta.Fails");
    EXPECT_EQ(1, 2) << "agree-marker-failure: FxBeta.Fails";
}
TEST_F(FxBeta, Skips)
{
    GTEST_SKIP() << "not today";
}
TEST_F(FxBeta, DISABLED_Off)
{
    FAIL() << "disabled tests must not run";
}

TEST(NoFixture, Works)
{
    EXPECT_EQ(4, 2 * 2);
}

template<typename T> class TypedFx : public ::testing::Test {
public:
    static void SetUpTestSuite() { ctestd_fixture::setup(currentSuite()); }
    static void TearDownTestSuite() { ctestd_fixture::teardown(currentSuite()); }
};
using TypedFxTypes = ::testing::Types<int, double>;
TYPED_TEST_SUITE(TypedFx, TypedFxTypes);
TYPED_TEST(TypedFx, Zero)
{
    EXPECT_EQ(TypeParam(), TypeParam(0));
}
TYPED_TEST(TypedFx, Sized)
{
    EXPECT_GE(sizeof(TypeParam), 4u);
}

class ParamFx : public ::testing::TestWithParam<int> {
public:
    static void SetUpTestSuite() { ctestd_fixture::setup(currentSuite()); }
    static void TearDownTestSuite() { ctestd_fixture::teardown(currentSuite()); }
};
TEST_P(ParamFx, Even)
{
    if (GetParam() % 2 != 0)
        printMarkers("Nums/ParamFx.Even/3");
    EXPECT_EQ(GetParam() % 2, 0);
}
INSTANTIATE_TEST_SUITE_P(Nums, ParamFx, ::testing::Values(2, 3, 4));

TEST(DISABLED_Whole, Test)
{
    FAIL() << "disabled tests must not run";
}
