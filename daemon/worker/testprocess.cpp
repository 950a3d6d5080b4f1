// SPDX-License-Identifier: BSD-3-Clause
#include "testprocess.h"

#include "core/logging.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace ctestd {

static void prepareChild(int stderrFd)
{
    // Runs in the forked child before exec: async-signal-safe calls only.
    // A new session makes the child the leader of a fresh process group whose
    // id is its pid, and detaches it from our controlling terminal.
    ::setsid();
    // If the worker dies without cleaning up, the test goes with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (stderrFd >= 0)
        ::dup2(stderrFd, STDERR_FILENO); // the copy on fd 2 is not close-on-exec
}

TestProcess::TestProcess(QObject *parent)
    : QProcess(parent)
{
    setInputChannelMode(QProcess::ManagedInputChannel);
#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
    setChildProcessModifier([this] { prepareChild(m_stderrWrite); });
#endif
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, &TestProcess::killGroup);
    connect(this, &QProcess::started, this, [this] {
        m_groupId = processId();
        // The test gets EOF on stdin instead of blocking on a terminal.
        closeWriteChannel();
        // Only the child writes to the stderr pipe; our copy would keep it
        // from ever reaching end-of-file.
        if (m_stderrWrite >= 0) {
            ::close(m_stderrWrite);
            m_stderrWrite = -1;
        }
    });
    connect(this, &QProcess::finished, this, [this] {
        // The direct child is gone; whatever it left behind in its group is
        // not part of the next case.
        killGroup();
        m_graceTimer.stop();
        // The group id is the reaped child's pid, which the system may reuse.
        m_groupId = 0;
    });
}

TestProcess::~TestProcess()
{
    if (state() != QProcess::NotRunning) {
        killGroup();
        // The child was just sent SIGKILL; reaping it takes milliseconds.
        waitForFinished(5000);
    }
    closeStderrPipe();
}

bool TestProcess::captureStderr()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return false;
    m_stderrRead = fds[0];
    m_stderrWrite = fds[1];
    ::fcntl(m_stderrRead, F_SETFL, ::fcntl(m_stderrRead, F_GETFL) | O_NONBLOCK);
    setStandardErrorFile(QProcess::nullDevice()); // replaced by the pipe in the child
    m_stderrNotifier = new QSocketNotifier(m_stderrRead, QSocketNotifier::Read, this);
    connect(m_stderrNotifier, &QSocketNotifier::activated, this, [this] {
        const QByteArray data = drainStderr();
        if (!data.isEmpty())
            Q_EMIT stderrData(data);
    });
    return true;
}

QByteArray TestProcess::drainStderr()
{
    QByteArray data;
    if (m_stderrRead < 0)
        return data;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(m_stderrRead, buffer, sizeof buffer);
        if (n > 0) {
            data.append(buffer, int(n));
            if (data.size() >= 1024 * 1024)
                break; // let the event loop breathe; the notifier fires again
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 && m_stderrNotifier)
            m_stderrNotifier->setEnabled(false); // end of file: every writer is gone
        break;
    }
    return data;
}

void TestProcess::closeStderrPipe()
{
    delete m_stderrNotifier;
    m_stderrNotifier = nullptr;
    for (int *fd : {&m_stderrRead, &m_stderrWrite}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

#if QT_VERSION < QT_VERSION_CHECK(6, 0, 0)
void TestProcess::setupChildProcess()
{
    prepareChild(m_stderrWrite);
}
#endif

void TestProcess::terminateGroup(int graceMs)
{
    if (m_groupId <= 0)
        return;
    if (::kill(-pid_t(m_groupId), SIGTERM) != 0) {
        killGroup();
        return;
    }
    if (!m_graceTimer.isActive())
        m_graceTimer.start(graceMs);
}

void TestProcess::killGroup()
{
    if (m_groupId <= 0)
        return;
    if (::kill(-pid_t(m_groupId), SIGKILL) == 0)
        qCDebug(lcWorker) << "killed process group" << m_groupId;
}

} // namespace ctestd
