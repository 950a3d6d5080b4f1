// SPDX-License-Identifier: BSD-3-Clause
// suite_tests: the package tests' consumer program, a small GoogleTest
// executable whose suite shares a fixture set up once per process
// (SetUpTestSuite), run through ctestd::ctestd. Every case passes.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

class InventoryTest : public ::testing::Test {
protected:
    // The shared, "expensive" part: built once for all cases of the suite.
    static void SetUpTestSuite() { s_items = std::make_unique<std::vector<int>>(std::vector<int> {3, 1, 2}); }
    static void TearDownTestSuite() { s_items.reset(); }

    static std::unique_ptr<std::vector<int>> s_items;
};

std::unique_ptr<std::vector<int>> InventoryTest::s_items;

TEST_F(InventoryTest, HasItems)
{
    ASSERT_TRUE(s_items);
    EXPECT_EQ(s_items->size(), 3u);
}

TEST_F(InventoryTest, KeepsOrder)
{
    ASSERT_TRUE(s_items);
    EXPECT_EQ(s_items->front(), 3);
}

TEST(Arithmetic, Adds)
{
    EXPECT_EQ(2 + 2, 4);
}
