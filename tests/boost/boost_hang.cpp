// SPDX-License-Identifier: BSD-3-Clause
// Boost.Test (header-only). Run with `ctestd --timeout 2`. Expected status:
//   hang/first    passed
//   hang/forever  timeout (sleeps forever)
//   hang/after    passed  (in a second process)
#define BOOST_TEST_MODULE boost_hang
#include <boost/test/included/unit_test.hpp>

#include <unistd.h>

BOOST_AUTO_TEST_SUITE(hang)
BOOST_AUTO_TEST_CASE(first)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_CASE(forever)
{
    for (;;)
        ::pause();
}
BOOST_AUTO_TEST_CASE(after)
{
    BOOST_TEST(true);
}
BOOST_AUTO_TEST_SUITE_END()
