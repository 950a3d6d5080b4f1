// SPDX-License-Identifier: BSD-3-Clause
// Boost.Test, shared library: tst_detection must call it "boost".
#define BOOST_TEST_MODULE detected
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_CASE(detected)
{
    BOOST_TEST(true);
}
