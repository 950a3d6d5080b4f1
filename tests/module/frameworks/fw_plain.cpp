// SPDX-License-Identifier: BSD-3-Clause
// A program of no framework for module.frameworks: one test, Passed.
#include <cstdio>

int main()
{
    std::puts("plain and simple");
    return 0;
}
