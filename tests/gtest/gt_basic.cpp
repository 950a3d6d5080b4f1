// SPDX-License-Identifier: BSD-3-Clause
// gt_basic: the everyday GoogleTest shapes, one process, no crashes.
//
// Exercises: pass, assertion failure with file/line, GTEST_SKIP with a
// message, disabled tests and a disabled suite, typed tests, value-
// parameterized tests (one instance fails), a passing test that writes to
// both stdout and stderr, and a failure message full of XML metacharacters.
// No suite here has a SetUpTestSuite, so nothing is written to
// CTESTD_FIXTURE_LOG.
//
// Expected status per case, in gtest's registration (= --gtest_list_tests)
// order (gtest name -> ctest status word):
//   Math.Add              Passed
//   Math.Fail             Failed   EXPECT_EQ(1, 2) at gt_basic.cpp:45
//   Math.Skip             Skipped  message "not today"
//   Math.DISABLED_Off     Disabled (ctest: "Not Run (Disabled)", not counted)
//   DISABLED_Whole.Test   Disabled (ctest: "Not Run (Disabled)", not counted)
//   Typed/0.Zero          Passed   (TypeParam = int)
//   Typed/1.Zero          Passed   (TypeParam = double)
//   Io.Prints             Passed   stdout "gt_basic to stdout", stderr "gt_basic to stderr"
//   Xml.Special           Failed   message contains <>&"' and ]]>
//   Nums/P.Even/0         Passed   (GetParam() = 2)
//   Nums/P.Even/1         Passed   (GetParam() = 4)
//   Nums/P.Even/2         Failed   (GetParam() = 3)
// gtest_discover_tests (CMake 3.25) gives some of them other names: Math.Off,
// Whole.Test, Typed.Zero<int>, Typed.Zero<double>, and Nums/P.Even/2,
// Nums/P.Even/4, Nums/P.Even/3 (parameter values, not indices: its
// "Nums/P.Even/2" is gtest's Nums/P.Even/0, and gtest's failing
// Nums/P.Even/2 is its "Nums/P.Even/3"). Checked with ctest: same statuses.
// Totals: 12 cases, 2 disabled; of the 10 that run: 6 passed, 1 skipped,
// 3 failed (ctest summary: "70% tests passed, 3 tests failed out of 10").
// The process exits 1 when run directly.
#include <gtest/gtest.h>

#include <cstdio>
#include <iostream>

TEST(Math, Add)
{
    EXPECT_EQ(2 + 2, 4);
}

TEST(Math, Fail)
{
    EXPECT_EQ(1, 2); // FAIL_LINE: the header comment and the integration tests rely on this line number
}

TEST(Math, Skip)
{
    GTEST_SKIP() << "not today";
}

TEST(Math, DISABLED_Off)
{
    FAIL() << "disabled tests must not run";
}

TEST(DISABLED_Whole, Test)
{
    FAIL() << "tests of a disabled suite must not run";
}

template<typename T> class Typed : public ::testing::Test { };
using TypedTypes = ::testing::Types<int, double>;
TYPED_TEST_SUITE(Typed, TypedTypes);

TYPED_TEST(Typed, Zero)
{
    EXPECT_EQ(TypeParam(0), TypeParam());
}

class P : public ::testing::TestWithParam<int> { };

TEST_P(P, Even)
{
    EXPECT_EQ(GetParam() % 2, 0) << GetParam() << " is odd";
}

INSTANTIATE_TEST_SUITE_P(Nums, P, ::testing::Values(2, 4, 3));

TEST(Io, Prints)
{
    std::cout << "gt_basic to stdout" << std::endl;
    std::cerr << "gt_basic to stderr" << std::endl;
}

TEST(Xml, Special)
{
    ADD_FAILURE() << "special <>&\"' and ]]> end";
}
