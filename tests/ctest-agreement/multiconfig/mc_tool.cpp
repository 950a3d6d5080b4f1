// SPDX-License-Identifier: BSD-3-Clause
// Passes in Release, fails in Debug: which configuration ran shows.
#include <cstdio>

int main()
{
#ifdef NDEBUG
    std::puts("mc_tool: release");
    return 0;
#else
    std::puts("mc_tool: debug");
    return 1;
#endif
}
