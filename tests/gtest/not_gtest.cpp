// SPDX-License-Identifier: BSD-3-Clause
// not_gtest: a plain program that is not a GoogleTest executable.
//
// Exercises: framework detection and listing failures. It ignores all of its
// arguments (including --gtest_list_tests), prints "hello" and exits 0, so
// "listing" it yields no gtest suites at all.
//
// Expected: with --framework gtest (or gtest auto-detection) ctestd must not
// report a silent pass for it; as a plain executable it is one case that
// Passed.
#include <cstdio>

int main()
{
    std::puts("hello");
    return 0;
}
