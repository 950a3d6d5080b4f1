// SPDX-License-Identifier: BSD-3-Clause
// mini_tests: the GoogleTest program of the module tests' mini-project,
// registered with ctestd_discover_tests() (see CMakeLists.txt next to it).
//
// Expected status per case, in gtest's order (CTest name, gtest's own name
// where it differs, status):
//   Db.Insert                            Passed
//   Db.Query                             Passed
//   Db.Broken                            Failed   EXPECT_EQ(1, 2)
//   Db.Later                             Skipped  GTEST_SKIP
//   Db.Off            Db.DISABLED_Off    Disabled
//   Net.Connect                          Passed
//   Net.Send                             Passed
//   Typed.Zero<int>   Typed/0.Zero       Passed
//   Typed.Zero<char>  Typed/1.Zero       Passed
//   Where.Arguments                      Passed   (checks the --mini-expect-* arguments, see main())
//   Whole.Test        DISABLED_Whole.Test Disabled
//
// Db and Net have a SetUpTestSuite and a TearDownTestSuite that append
// "<tag>:<Suite> setup <pid>" / "<tag>:<Suite> teardown <pid>" to the file
// named by $CTESTD_FIXTURE_LOG (gtest_support.h), where <tag> comes from the
// argument --mini-tag=<tag> ("default" without it), so that the end-to-end
// test can tell its two registrations apart and count fixture runs.
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>

namespace {

std::string g_tag = "default";
std::string g_expectedCwd;
std::string g_words;
bool g_wordsGiven = false;

void logFixture(const char *suite, bool setup)
{
    const std::string name = g_tag + ":" + suite;
    if (setup)
        ctestd_fixture::setup(name.c_str());
    else
        ctestd_fixture::teardown(name.c_str());
}

} // namespace

class Db : public ::testing::Test {
public:
    static void SetUpTestSuite()
    {
        logFixture("Db", true);
        ready = true;
    }
    static void TearDownTestSuite()
    {
        ready = false;
        logFixture("Db", false);
    }
    static bool ready;
};
bool Db::ready = false;

TEST_F(Db, Insert)
{
    EXPECT_TRUE(ready);
}

TEST_F(Db, Query)
{
    EXPECT_TRUE(ready);
}

TEST_F(Db, Broken)
{
    EXPECT_EQ(1, 2);
}

TEST_F(Db, Later)
{
    GTEST_SKIP() << "not yet";
}

TEST_F(Db, DISABLED_Off)
{
    FAIL() << "disabled tests must not run";
}

class Net : public ::testing::Test {
public:
    static void SetUpTestSuite() { logFixture("Net", true); }
    static void TearDownTestSuite() { logFixture("Net", false); }
};

TEST_F(Net, Connect)
{
    SUCCEED();
}

TEST_F(Net, Send)
{
    SUCCEED();
}

template<typename T> class Typed : public ::testing::Test { };
using TypedTypes = ::testing::Types<int, char>;
TYPED_TEST_SUITE(Typed, TypedTypes);

TYPED_TEST(Typed, Zero)
{
    EXPECT_EQ(TypeParam(0), TypeParam());
}

// EXTRA_ARGS and WORKING_DIRECTORY reach the test executable unchanged.
TEST(Where, Arguments)
{
    if (!g_expectedCwd.empty()) {
        EXPECT_TRUE(std::filesystem::equivalent(std::filesystem::current_path(), g_expectedCwd))
            << "running in " << std::filesystem::current_path() << ", expected " << g_expectedCwd;
    }
    if (g_wordsGiven) {
        EXPECT_EQ(g_words, "two words;one semicolon");
    }
}

TEST(DISABLED_Whole, Test)
{
    FAIL() << "tests of a disabled suite must not run";
}

// Not gtest_main: the --mini-* arguments are read after gtest took its own.
//   --mini-tag=TAG           the tag of the fixture log lines
//   --mini-expect-cwd=DIR    Where.Arguments fails unless it runs in DIR
//   --mini-words=TEXT        Where.Arguments fails unless TEXT is "two words;one semicolon"
int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&arg](const char *option) { return arg.substr(std::strlen(option)); };
        if (arg.rfind("--mini-tag=", 0) == 0) {
            g_tag = value("--mini-tag=");
        } else if (arg.rfind("--mini-expect-cwd=", 0) == 0) {
            g_expectedCwd = value("--mini-expect-cwd=");
        } else if (arg.rfind("--mini-words=", 0) == 0) {
            g_words = value("--mini-words=");
            g_wordsGiven = true;
        }
    }
    return RUN_ALL_TESTS();
}
