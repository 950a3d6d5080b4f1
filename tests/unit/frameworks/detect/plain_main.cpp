// SPDX-License-Identifier: BSD-3-Clause
// A program of no framework: tst_detection must call it "plain".
#include <cstdio>

int main()
{
    std::puts("no framework here");
    return 0;
}
