// SPDX-License-Identifier: BSD-3-Clause
// fault_orphan: GoogleTest cases that leave a `/bin/sleep 300` behind in a
// process group of its own, where a kill of the test's process group does
// not reach it. The runner must not leave these sleeps alive.
//
//   Orphan.SetsidChild    Passed   the child calls setsid(), then execs /bin/sleep 300
//   Orphan.SetpgidChild   Passed   the child calls setpgid(0, 0), then execs /bin/sleep 300
// Run as one process: exit code 0, two sleeps left running.
//
// Each case returns as soon as the exec succeeded (a close-on-exec pipe tells
// it), never waits for the sleep, and checks that the sleep leads its own
// session / process group. The sleep inherits the test's stdout and stderr,
// so they stay open for its 300 s.
// When $CTESTD_ORPHAN_PID_FILE names a file, each case appends the sleep's
// PID to it as one "<pid>\n" line (O_APPEND, one write()).
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

namespace {

enum class Detach { Session, ProcessGroup };

// Forks a child that leaves the test's session (setsid) or process group
// (setpgid) and execs /bin/sleep 300. Returns its PID once the exec succeeded,
// or -1 with *error set to the child's (or fork's) errno.
pid_t startDetachedSleep(Detach how, int *error)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        *error = errno;
        return -1;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        *error = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        ::close(fds[0]);
        const bool detached = how == Detach::Session ? ::setsid() >= 0 : ::setpgid(0, 0) == 0;
        if (detached)
            ::execl("/bin/sleep", "sleep", "300", static_cast<char *>(nullptr));
        const int childErrno = errno;
        const ssize_t written = ::write(fds[1], &childErrno, sizeof childErrno);
        (void)written;
        ::_exit(127);
    }
    ::close(fds[1]);
    int childErrno = 0;
    ssize_t got;
    do
        got = ::read(fds[0], &childErrno, sizeof childErrno);
    while (got < 0 && errno == EINTR);
    ::close(fds[0]);
    if (got != 0) { // the child failed before its exec (or the read did)
        *error = got > 0 ? childErrno : errno;
        return -1;
    }
    return pid;
}

void recordPid(pid_t pid)
{
    const char *path = std::getenv("CTESTD_ORPHAN_PID_FILE");
    if (!path || !*path)
        return;
    char line[32];
    const int len = std::snprintf(line, sizeof line, "%ld\n", static_cast<long>(pid));
    const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    const ssize_t written = ::write(fd, line, static_cast<size_t>(len));
    (void)written;
    ::close(fd);
}

} // namespace

TEST(Orphan, SetsidChild)
{
    int error = 0;
    const pid_t pid = startDetachedSleep(Detach::Session, &error);
    ASSERT_GT(pid, 0) << std::strerror(error);
    recordPid(pid);
    EXPECT_EQ(::getsid(pid), pid);
    EXPECT_EQ(::getpgid(pid), pid);
}

TEST(Orphan, SetpgidChild)
{
    int error = 0;
    const pid_t pid = startDetachedSleep(Detach::ProcessGroup, &error);
    ASSERT_GT(pid, 0) << std::strerror(error);
    recordPid(pid);
    EXPECT_EQ(::getpgid(pid), pid);
    EXPECT_EQ(::getsid(pid), ::getsid(0));
}
