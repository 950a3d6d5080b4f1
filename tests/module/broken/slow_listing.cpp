// SPDX-License-Identifier: BSD-3-Clause
// slow_listing: a test program that never finishes listing its cases, for
// the DISCOVERY_TIMEOUT test. It sleeps until the process that started it
// goes away (killed by the timeout), or for at most 60 s, so that it never
// outlives the test as an orphan for long.
#include <chrono>
#include <thread>
#include <unistd.h>

int main()
{
    const pid_t parent = ::getppid();
    for (int i = 0; i < 600 && ::getppid() == parent; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return 0;
}
