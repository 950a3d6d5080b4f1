// SPDX-License-Identifier: BSD-3-Clause
// gt_output: hostile test output.
//
// Exercises: bounded memory and truncation for huge output (fault table C5),
// and XML escaping of bytes that are not valid XML or not valid UTF-8 (C6).
//   Out.Big        writes $CTESTD_BIG_OUTPUT_BYTES bytes (default 104857600 =
//                  100 MiB) of printable ASCII to stdout with no newline at
//                  all, straight to fd 1, then fails ("wrote N bytes").
//   Out.Binary     writes to stdout: invalid UTF-8 (\xff\xfe, \xc3\x28, a
//                  truncated \xe2\x82), a NUL byte, ESC sequences, \x01, \x07,
//                  a lone \r, and "]]>", then fails with a message that also
//                  holds an ESC byte, an invalid \xff byte and "]]>".
//   Out.NoNewline  prints "no trailing newline" with no final newline, passes.
//   Out.LongLine   writes 70 KiB without a newline, passes: gtest's OK marker
//                  then ends that same line.
//   Out.BigPass    writes $CTESTD_BIG_PASS_BYTES bytes (default 2 MiB) without
//                  a newline, passes (its output is capped, with a note).
//   Out.HugeMessage fails with a 10 MB failure message (gtest's JSON report
//                  holds all of it; the message must be capped, with a note).
//
// Expected status per case:
//   Out.Big        Failed
//   Out.Binary     Failed
//   Out.NoNewline  Passed
//   Out.LongLine   Passed
//   Out.BigPass    Passed
//   Out.HugeMessage Failed
// Totals: 6 cases: 3 passed, 3 failed ("50% tests passed, 3 tests failed out of 6").
// Consumers: ctest-style output caps (1 KiB passed / 300 KiB failed), the
// daemon's RSS must stay far below 100 MiB, and the JUnit file must pass
// xmllint.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

// Writes all of buf to fd, retrying on short writes and EINTR.
bool writeAll(int fd, const char *buf, size_t len);

// Writes `total` printable bytes to stdout, no newline among them.
bool writeLetters(unsigned long long total)
{
    std::fflush(stdout);
    char chunk[65536];
    for (size_t i = 0; i < sizeof chunk; ++i)
        chunk[i] = static_cast<char>('a' + i % 26);
    for (unsigned long long left = total; left > 0;) {
        const size_t n = left < sizeof chunk ? static_cast<size_t>(left) : sizeof chunk;
        if (!writeAll(STDOUT_FILENO, chunk, n))
            return false;
        left -= n;
    }
    return true;
}

bool writeAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        const ssize_t n = ::write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        buf += n;
        len -= static_cast<size_t>(n);
    }
    return true;
}

} // namespace

TEST(Out, Big)
{
    unsigned long long total = 100ULL * 1024 * 1024;
    if (const char *env = std::getenv("CTESTD_BIG_OUTPUT_BYTES"); env && *env)
        total = std::strtoull(env, nullptr, 10);

    ASSERT_TRUE(writeLetters(total)) << "write to stdout failed: " << std::strerror(errno);
    FAIL() << "wrote " << total << " bytes";
}

TEST(Out, Binary)
{
    static const char bytes[] = "binary:"
                                " invalid-utf8[\xff\xfe]"
                                " bad-continuation[\xc3\x28]"
                                " nul[\0]"
                                " esc[\x1b[31mred\x1b[0m]"
                                " ctl[\x01\x07]"
                                " cr[\r]"
                                " cdata-end[]]>]"
                                " truncated[\xe2\x82";
    std::fflush(stdout);
    ASSERT_TRUE(writeAll(STDOUT_FILENO, bytes, sizeof bytes - 1)); // includes the embedded NUL
    ASSERT_TRUE(writeAll(STDOUT_FILENO, "]\n", 2));
    ADD_FAILURE() << "binary output: esc[\x1b] invalid[\xff] ]]> end";
}

TEST(Out, NoNewline)
{
    std::printf("no trailing newline");
    std::fflush(stdout);
}

TEST(Out, LongLine)
{
    ASSERT_TRUE(writeLetters(70 * 1024)) << "write to stdout failed: " << std::strerror(errno);
}

TEST(Out, BigPass)
{
    unsigned long long total = 2ULL * 1024 * 1024;
    if (const char *env = std::getenv("CTESTD_BIG_PASS_BYTES"); env && *env)
        total = std::strtoull(env, nullptr, 10);
    ASSERT_TRUE(writeLetters(total)) << "write to stdout failed: " << std::strerror(errno);
}

TEST(Out, HugeMessage)
{
    ADD_FAILURE() << std::string(10 * 1000 * 1000, 'm');
}
