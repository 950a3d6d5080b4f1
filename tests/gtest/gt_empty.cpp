// SPDX-License-Identifier: BSD-3-Clause
// gt_empty: a GoogleTest executable (linked with gtest_main) with no tests.
//
// Exercises: an executable that lists no cases. `--gtest_list_tests` prints
// only gtest_main's "Running main() from ..." line; a normal run prints
// "Running 0 tests from 0 test suites" and exits 0.
//
// Expected: zero cases. ctest-style summary "No tests were found!!!" (on
// stderr); exit code 0, or 8 with --no-tests=error.
#include <gtest/gtest.h>
