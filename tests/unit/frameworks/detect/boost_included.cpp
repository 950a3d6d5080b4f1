// SPDX-License-Identifier: BSD-3-Clause
// Boost.Test, header-only variant: tst_detection must call it "boost".
#define BOOST_TEST_MODULE detected
#include <boost/test/included/unit_test.hpp>

BOOST_AUTO_TEST_CASE(detected)
{
    BOOST_TEST(true);
}
