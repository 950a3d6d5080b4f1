// SPDX-License-Identifier: BSD-3-Clause
// cache_tests: doctest cases that share an expensive, lazily built resource.
//
// doctest has no suite-level set-up: TEST_SUITE only groups names, and a
// TEST_CASE_FIXTURE is built for every case. What projects do instead is a
// function-local static that the fixture reaches for: it is built once per
// process. Run one process per case (doctest_discover_tests, or ctestd's
// default for doctest) and it is built once per case; run a suite in one
// process (ctestd_discover_tests(... GROUP_BY suite)) and it is built once
// per suite.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

struct Cache {
    Cache()
    {
        std::printf("[fixture] building the word cache (200 ms) in process %ld\n", static_cast<long>(::getpid()));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        words = {{"one", 1}, {"two", 2}, {"three", 3}};
    }
    std::map<std::string, int> words;
};

Cache &sharedCache()
{
    static Cache cache; // built on first use, once per process
    return cache;
}

// Each case gets a fresh fixture that points at the shared cache.
struct WithCache {
    Cache &cache = sharedCache();
    std::map<std::string, int> local = cache.words; // per-case copy to modify
};

} // namespace

TEST_SUITE("cache")
{
    TEST_CASE_FIXTURE(WithCache, "lookup")
    {
        CHECK(local.at("two") == 2);
    }
    TEST_CASE_FIXTURE(WithCache, "size")
    {
        CHECK(local.size() == 3);
    }
    TEST_CASE_FIXTURE(WithCache, "insert")
    {
        local["four"] = 4;
        CHECK(local.size() == 4);
        CHECK(cache.words.size() == 3); // the shared cache is untouched
    }
    TEST_CASE_FIXTURE(WithCache, "missing")
    {
        CHECK(local.count("zero") == 0);
    }
    TEST_CASE_FIXTURE(WithCache, "subcases")
    {
        SUBCASE("erase")
        {
            CHECK(local.erase("one") == 1);
        }
        SUBCASE("clear")
        {
            local.clear();
            CHECK(local.empty());
        }
    }
}

TEST_SUITE("strings")
{
    TEST_CASE("upper")
    {
        CHECK(std::string("ab").size() == 2);
    }
    TEST_CASE("empty")
    {
        CHECK(std::string().empty());
    }
    TEST_CASE("not yet" * doctest::skip())
    {
        CHECK(false);
    }
}
