// SPDX-License-Identifier: BSD-3-Clause
#include <gtest/gtest.h>

TEST(McSuite, Passes)
{
    EXPECT_EQ(2, 1 + 1);
}

TEST(McSuite, Fails)
{
    EXPECT_EQ(3, 1 + 1) << "on purpose";
}
