// SPDX-License-Identifier: BSD-3-Clause
// Shared by the gt_* test executables.
//
// ctestd_fixture::setup/teardown record suite fixture runs so that ctestd's
// integration and fault tests can count how many times (and in how many
// processes) each SetUpTestSuite / TearDownTestSuite ran.
//
// When the environment variable CTESTD_FIXTURE_LOG names a file, each call
// appends exactly one line
//     "<SuiteName> setup <pid>\n"   or   "<SuiteName> teardown <pid>\n"
// opened with O_APPEND and written with a single write() call, so lines from
// concurrent worker processes never interleave. Without the variable it does
// nothing.
#pragma once

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace ctestd_fixture {

// Appends `len` bytes of `line` to the file named by the environment
// variable `variable`, if it names one.
inline void appendLine(const char *variable, const char *line, int len)
{
    const char *path = std::getenv(variable);
    if (!path || !*path || len <= 0)
        return;
    const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    // One write() of a short line on an O_APPEND file is atomic with respect
    // to other appenders.
    const ssize_t written = ::write(fd, line, static_cast<size_t>(len));
    (void)written;
    ::close(fd);
}

inline void log(const char *suite, const char *event)
{
    char line[256];
    const int len = std::snprintf(line, sizeof line, "%s %s %ld\n", suite, event, static_cast<long>(::getpid()));
    if (len < static_cast<int>(sizeof line))
        appendLine("CTESTD_FIXTURE_LOG", line, len);
}

// When CTESTD_WORKER_LOG names a file, appends one line of what the worker
// gave this process (README, "Workers"):
//     "<name> id=<CTESTD_WORKER_ID> count=<CTESTD_WORKER_COUNT> tmp=<TMPDIR> cwd=<cwd> worker=<parent pid>\n"
inline void logWorker(const char *name)
{
    const auto value = [](const char *variable) {
        const char *text = std::getenv(variable);
        return text ? text : "";
    };
    char cwd[1024] = {};
    if (!::getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    char line[4096];
    const int len = std::snprintf(line, sizeof line, "%s id=%s count=%s tmp=%s cwd=%s worker=%ld\n", name,
        value("CTESTD_WORKER_ID"), value("CTESTD_WORKER_COUNT"), value("TMPDIR"), cwd, static_cast<long>(::getppid()));
    if (len < static_cast<int>(sizeof line))
        appendLine("CTESTD_WORKER_LOG", line, len);
}

inline void setup(const char *suite)
{
    log(suite, "setup");
}
inline void teardown(const char *suite)
{
    log(suite, "teardown");
}

// Crashing tests call this first so that a host with `ulimit -c unlimited`
// does not collect a core file per crash (slow, and litters the build tree).
inline void disableCoreDumps()
{
    struct rlimit none = {0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
}

// Dies of a real SIGSEGV (an invalid memory access), without a core file.
// Both the pointer and the pointee are volatile: otherwise GCC may delete the
// store as dead, or, if it can prove the pointer null, replace it with a trap
// instruction (SIGILL).
[[noreturn]] inline void segfault()
{
    disableCoreDumps();
    volatile int *volatile p = nullptr;
    *p = 42;
    std::raise(SIGSEGV); // not reached
    std::abort();
}

} // namespace ctestd_fixture
