// SPDX-License-Identifier: BSD-3-Clause
// dt_fixtures: TEST_CASE_FIXTURE, whose fixture is built once per case.
//
// doctest has no suite-level set-up: TEST_SUITE only groups. The fixture's
// constructor and destructor log "Db setup <pid>" / "Db teardown <pid>" to
// $CTESTD_FIXTURE_LOG, once per case whatever the grouping; the grouping only
// decides how many processes (pids) there are.
// Expected status per case (all in suite "db"):
//   connect, query, insert, remove, close   Passed
// Totals: 5 cases ("100% tests passed, 0 tests failed out of 5").
// Fixture log: 5 "Db setup" and 5 "Db teardown" lines; with --group-by suite
// or executable they all carry one pid.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "gtest_support.h"

#include <doctest/doctest.h>

struct Db {
    Db() { ctestd_fixture::setup("Db"); }
    ~Db() { ctestd_fixture::teardown("Db"); }
    int rows = 3;
};

TEST_SUITE("db")
{
    TEST_CASE_FIXTURE(Db, "connect")
    {
        CHECK(rows == 3);
    }
    TEST_CASE_FIXTURE(Db, "query")
    {
        CHECK(rows > 0);
    }
    TEST_CASE_FIXTURE(Db, "insert")
    {
        ++rows;
        CHECK(rows == 4);
    }
    TEST_CASE_FIXTURE(Db, "remove")
    {
        --rows;
        CHECK(rows == 2);
    }
    TEST_CASE_FIXTURE(Db, "close")
    {
        CHECK(rows == 3);
    }
}
