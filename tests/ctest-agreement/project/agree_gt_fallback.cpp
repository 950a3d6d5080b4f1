// SPDX-License-Identifier: BSD-3-Clause
// GoogleTest program registered with gtest_discover_tests(... EXTRA_ARGS
// --agree-extra=yes PROPERTIES ENVIRONMENT AGREE_GT_ENV=from-properties): its
// tests only pass with that argument and that variable, so a runner that
// regroups the cases into one process without them gets them wrong. ctestd
// must fall back to running such cases exactly as CTest's command line says
// (one by one); its SetUpTestSuite therefore runs once per case under both.
//
// CTest name                    expected ctest status
// FallbackFx.SeesExtraArg       Passed
// FallbackFx.SeesEnvironment    Passed
// FallbackFx.Passes             Passed
// FallbackOther.Fails           ***Failed
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {
std::vector<std::string> g_arguments; // what InitGoogleTest left over
}

class FallbackFx : public ::testing::Test {
public:
    static void SetUpTestSuite() { ctestd_fixture::setup("FallbackFx"); }
    static void TearDownTestSuite() { ctestd_fixture::teardown("FallbackFx"); }
};

TEST_F(FallbackFx, SeesExtraArg)
{
    EXPECT_NE(std::find(g_arguments.begin(), g_arguments.end(), "--agree-extra=yes"), g_arguments.end());
}
TEST_F(FallbackFx, SeesEnvironment)
{
    const char *value = std::getenv("AGREE_GT_ENV");
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(std::string(value), "from-properties");
}
TEST_F(FallbackFx, Passes)
{
    SUCCEED();
}

TEST(FallbackOther, Fails)
{
    std::cout << "agree-marker-out: FallbackOther.Fails" << std::endl;
    std::cerr << "agree-marker-err: FallbackOther.Fails" << std::endl;
    FAIL() << "agree-marker-failure: FallbackOther.Fails";
}

int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    g_arguments.assign(argv + 1, argv + argc);
    return RUN_ALL_TESTS();
}
