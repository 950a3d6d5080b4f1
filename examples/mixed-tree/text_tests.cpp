// SPDX-License-Identifier: BSD-3-Clause
// Unit tests of a (pretend) text library. Dictionary's SetUpTestSuite loads
// a word list once for its suite (100 ms); the cases share it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

class Dictionary : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        words = new std::vector<std::string> {"alpha", "beta", "gamma", "delta"};
        std::sort(words->begin(), words->end());
    }
    static void TearDownTestSuite()
    {
        delete words;
        words = nullptr;
    }
    static std::vector<std::string> *words;
};
std::vector<std::string> *Dictionary::words = nullptr;

TEST_F(Dictionary, Contains)
{
    EXPECT_TRUE(std::binary_search(words->begin(), words->end(), std::string("gamma")));
}

TEST_F(Dictionary, Sorted)
{
    EXPECT_TRUE(std::is_sorted(words->begin(), words->end()));
}

TEST_F(Dictionary, Size)
{
    EXPECT_EQ(words->size(), 4u);
}

TEST(Trim, Spaces)
{
    std::string text = "  x  ";
    text.erase(0, text.find_first_not_of(' '));
    text.erase(text.find_last_not_of(' ') + 1);
    EXPECT_EQ(text, "x");
}
