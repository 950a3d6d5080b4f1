// SPDX-License-Identifier: BSD-3-Clause
// A real GoogleTest executable for tst_gtestadapter: every shape of case that
// the adapter must list, select and follow (plain, failing, skipped, disabled,
// fixtures with SetUpTestSuite, typed, type-parameterized, value-parameterized
// with ints, strings and custom names, output on stdout and stderr).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

TEST(Math, Add)
{
    EXPECT_EQ(2, 1 + 1);
}

TEST(Math, Fails)
{
    EXPECT_EQ(3, 1 + 1) << "first";
    EXPECT_TRUE(false) << "second\nspans two lines";
}

TEST(Math, Skip)
{
    GTEST_SKIP() << "not today";
}

TEST(Math, DISABLED_Off) { }

TEST(Math, Prints)
{
    std::printf("to stdout\n");
    std::fprintf(stderr, "to stderr\n");
    std::printf("no newline");
    std::fflush(stdout);
}

TEST(Math, Throws)
{
    throw std::runtime_error("boom");
}

TEST(Math, Slow)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
}

TEST(Text, Utf8)
{
    // UTF-8, then a byte that is not.
    FAIL() << "gr\xc3\xbc\xc3\x9f"
              "e \xff";
}

TEST(Crash, Aborts)
{
    if (std::getenv("GTEST_SAMPLE_CRASH")) {
        std::printf("about to abort\n");
        std::fflush(stdout);
        std::abort();
    }
}

TEST(DISABLED_Broken, Anything)
{
    FAIL() << "never runs";
}

class Fixture : public ::testing::Test {
protected:
    static void SetUpTestSuite() { std::printf("Fixture::SetUpTestSuite\n"); }
    static void TearDownTestSuite() { std::printf("Fixture::TearDownTestSuite\n"); }
};

TEST_F(Fixture, One)
{
    SUCCEED();
}

TEST_F(Fixture, Two)
{
    ASSERT_EQ(1, 2) << "fatal";
    std::printf("not reached\n");
}

template<typename T> class Typed : public ::testing::Test { };
using TypedTypes = ::testing::Types<int, double>;
TYPED_TEST_SUITE(Typed, TypedTypes);

TYPED_TEST(Typed, Zero)
{
    EXPECT_EQ(TypeParam(0), TypeParam());
}

TYPED_TEST(Typed, Small)
{
    EXPECT_LT(sizeof(TypeParam), 8u) << "too big";
}

template<typename T> class TypedP : public ::testing::Test { };
TYPED_TEST_SUITE_P(TypedP);

TYPED_TEST_P(TypedP, Works)
{
    SUCCEED();
}

REGISTER_TYPED_TEST_SUITE_P(TypedP, Works);
INSTANTIATE_TYPED_TEST_SUITE_P(My, TypedP, ::testing::Types<char>);

class P : public ::testing::TestWithParam<int> { };

TEST_P(P, Even)
{
    EXPECT_EQ(0, GetParam() % 2) << "odd: " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Nums, P, ::testing::Values(2, 3));

class S : public ::testing::TestWithParam<std::string> { };

TEST_P(S, NotEmpty)
{
    if (GetParam() == "skip")
        GTEST_SKIP();
    EXPECT_FALSE(GetParam().empty());
}

INSTANTIATE_TEST_SUITE_P(Words, S, ::testing::Values("a b", "x;y", "[z]", "", "skip"));
INSTANTIATE_TEST_SUITE_P(Named, S, ::testing::Values("alpha", "beta"),
    [](const ::testing::TestParamInfo<std::string> &info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(
    Off, P, ::testing::Values(4), [](const ::testing::TestParamInfo<int> &) { return std::string("DISABLED_four"); });
