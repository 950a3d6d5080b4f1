// SPDX-License-Identifier: BSD-3-Clause
// An ordinary Boost.Test program with an expensive suite fixture.
#define BOOST_TEST_MODULE cache_tests
#include <boost/test/unit_test.hpp>

#include <boost/test/data/test_case.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>

namespace utf = boost::unit_test;

// A (pretend) cache that takes 200 ms to warm up.
std::map<std::string, int> *warm = nullptr;

struct WarmCache {
    WarmCache()
    {
        std::cout << "[fixture] warming the cache (200 ms) in process " << ::getpid() << std::endl;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        warm = new std::map<std::string, int> {{"one", 1}, {"two", 2}, {"three", 3}};
    }
    ~WarmCache()
    {
        delete warm;
        warm = nullptr;
    }
};

// fixture<WarmCache>() is set up once when Boost enters the suite, before its
// first case, and torn down after its last: once per process.
BOOST_AUTO_TEST_SUITE(cache, *utf::fixture<WarmCache>())

BOOST_AUTO_TEST_CASE(hit)
{
    BOOST_TEST(warm->at("one") == 1);
}
BOOST_AUTO_TEST_CASE(miss)
{
    BOOST_TEST(warm->count("four") == 0u);
}
BOOST_AUTO_TEST_CASE(size, *utf::depends_on("cache/hit"))
{
    BOOST_TEST(warm->size() == 3u);
}

BOOST_AUTO_TEST_SUITE(eviction) // nested: shares cache's fixture
BOOST_AUTO_TEST_CASE(lru)
{
    BOOST_TEST(!warm->empty());
}
BOOST_AUTO_TEST_CASE(ttl, *utf::disabled())
{
    BOOST_TEST(false);
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_DATA_TEST_CASE(lookup, utf::data::make({"one", "two", "three"}), key)
{
    BOOST_TEST(warm->count(key) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(strings) // no fixture: cheap cases
BOOST_AUTO_TEST_CASE(concat)
{
    BOOST_TEST(std::string("a") + "b" == "ab");
}
BOOST_AUTO_TEST_CASE(length)
{
    BOOST_TEST(std::string("abc").size() == 3u);
}
BOOST_AUTO_TEST_SUITE_END()
