// SPDX-License-Identifier: BSD-3-Clause
// fault_longline_boost: Boost.Test cases that write 1 MiB to stdout without a
// newline (straight to fd 1, so Boost's "Leaving test case" line follows on
// the same line). The case keeps its verdict; its output is capped with a note.
//
// Expected status of every case:
//   longline/passes   passed
//   longline/fails    failed
//   longline/honest   passed
#define BOOST_TEST_MODULE fault_longline_boost
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>

#include "longline.h"

BOOST_AUTO_TEST_SUITE(longline)

BOOST_AUTO_TEST_CASE(passes)
{
    BOOST_CHECK(writeLongLine());
}

BOOST_AUTO_TEST_CASE(fails)
{
    BOOST_CHECK(writeLongLine());
    BOOST_CHECK(1 == 2);
}

BOOST_AUTO_TEST_CASE(honest)
{
    BOOST_CHECK(1 == 1);
}

BOOST_AUTO_TEST_SUITE_END()
