// SPDX-License-Identifier: BSD-3-Clause
// db_tests: GoogleTest cases that share an expensive fixture.
//
// DatabaseTest opens a (pretend) database once per test suite in
// SetUpTestSuite, which takes 200 ms, and every case runs inside a
// transaction that is rolled back afterwards. Run one process per case (ctest
// with gtest_discover_tests) and the database is opened for every single case;
// run each suite in one process (ctestd) and it is opened once per suite.
//
// Suites:
//   DatabaseTest          6 passing cases, 1 skipped (GTEST_SKIP)
//   Sizes/DatabaseBatch   TEST_P over batch sizes 1, 10, 100; it inherits
//                         DatabaseTest's fixture, so it opens its own database
//   StringUtils           4 cheap cases without any fixture
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

// ---- the code under test ---------------------------------------------------

// A key-value "database" with a single level of transactions.
class Database {
public:
    void begin() { m_snapshot = m_rows; }
    void rollback()
    {
        m_rows = m_snapshot;
        m_snapshot.clear();
    }
    void put(const std::string &key, const std::string &value) { m_rows[key] = value; }
    bool erase(const std::string &key) { return m_rows.erase(key) > 0; }
    std::optional<std::string> get(const std::string &key) const
    {
        const auto it = m_rows.find(key);
        return it == m_rows.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    size_t count() const { return m_rows.size(); }
    std::vector<std::string> keys() const
    {
        std::vector<std::string> result;
        for (const auto &row : m_rows)
            result.push_back(row.first);
        return result;
    }

private:
    std::map<std::string, std::string> m_rows;
    std::map<std::string, std::string> m_snapshot;
};

namespace strings {

std::string trim(const std::string &s)
{
    const auto first = s.find_first_not_of(" \t\n");
    if (first == std::string::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\n");
    return s.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string &s, char separator)
{
    std::vector<std::string> parts(1);
    for (char c : s) {
        if (c == separator)
            parts.emplace_back();
        else
            parts.back() += c;
    }
    return parts;
}

std::string join(const std::vector<std::string> &parts, const std::string &separator)
{
    std::string result;
    for (size_t i = 0; i < parts.size(); ++i)
        result += (i ? separator : std::string()) + parts[i];
    return result;
}

std::string toUpper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

} // namespace strings

// ---- the expensive shared fixture -----------------------------------------

class DatabaseTest : public ::testing::Test {
public:
    // Runs once per test suite per process: this is what ctestd groups by.
    static void SetUpTestSuite()
    {
        std::printf("[fixture] opening the test database (200 ms) in process %ld\n", static_cast<long>(::getpid()));
        std::fflush(stdout);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        s_db = new Database;
        s_db->put("alice", "admin");
        s_db->put("bob", "user");
    }
    static void TearDownTestSuite()
    {
        delete s_db;
        s_db = nullptr;
    }

protected:
    // Runs around every case: cheap, so it is fine to repeat.
    void SetUp() override { s_db->begin(); }
    void TearDown() override { s_db->rollback(); }

    Database &db() { return *s_db; }

private:
    static Database *s_db;
};

Database *DatabaseTest::s_db = nullptr;

TEST_F(DatabaseTest, FindsSeededRows)
{
    EXPECT_EQ(db().get("alice"), "admin");
    EXPECT_EQ(db().get("bob"), "user");
}

TEST_F(DatabaseTest, InsertsRow)
{
    db().put("carol", "user");
    EXPECT_EQ(db().get("carol"), "user");
    EXPECT_EQ(db().count(), 3u);
}

TEST_F(DatabaseTest, OverwritesRow)
{
    db().put("bob", "admin");
    EXPECT_EQ(db().get("bob"), "admin");
}

TEST_F(DatabaseTest, ErasesRow)
{
    EXPECT_TRUE(db().erase("alice"));
    EXPECT_FALSE(db().get("alice").has_value());
    EXPECT_FALSE(db().erase("alice"));
}

TEST_F(DatabaseTest, MissingKeyIsEmpty)
{
    EXPECT_EQ(db().get("nobody"), std::nullopt);
}

TEST_F(DatabaseTest, KeysAreSorted)
{
    db().put("aaron", "user");
    const std::vector<std::string> expected = {"aaron", "alice", "bob"};
    EXPECT_EQ(db().keys(), expected);
}

TEST_F(DatabaseTest, ReadsFromReplica)
{
    GTEST_SKIP() << "no read replica configured";
}

// Value-parameterized cases that reuse DatabaseTest's fixture. Being their own
// test suite (Sizes/DatabaseBatch), they get their own SetUpTestSuite run.
class DatabaseBatch : public DatabaseTest, public ::testing::WithParamInterface<int> { };

TEST_P(DatabaseBatch, InsertsAllRows)
{
    const size_t before = db().count();
    for (int i = 0; i < GetParam(); ++i)
        db().put("row" + std::to_string(i), std::to_string(i));
    EXPECT_EQ(db().count(), before + static_cast<size_t>(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Sizes, DatabaseBatch, ::testing::Values(1, 10, 100));

// ---- cheap cases, no shared fixture ---------------------------------------

TEST(StringUtils, Trim)
{
    EXPECT_EQ(strings::trim("  hello \n"), "hello");
    EXPECT_EQ(strings::trim("   "), "");
}

TEST(StringUtils, Split)
{
    const std::vector<std::string> expected = {"a", "b", "", "c"};
    EXPECT_EQ(strings::split("a,b,,c", ','), expected);
}

TEST(StringUtils, Join)
{
    EXPECT_EQ(strings::join({"x", "y", "z"}, ", "), "x, y, z");
    EXPECT_EQ(strings::join({}, ", "), "");
}

TEST(StringUtils, ToUpper)
{
    EXPECT_EQ(strings::toUpper("ctestd"), "CTESTD");
}
