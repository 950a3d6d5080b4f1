// SPDX-License-Identifier: BSD-3-Clause
// Shared by the fault_longline_<framework> programs: 1 MiB of 'j' written
// straight to fd 1, with no newline, so that the framework's own result
// line (printed through stdio afterwards) lands on the same line.
#pragma once

#include <string>
#include <unistd.h>

inline bool writeLongLine()
{
    const std::string text(1 << 20, 'j');
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(1, text.data() + written, text.size() - written);
        if (n <= 0)
            return false;
        written += std::size_t(n);
    }
    return true;
}
