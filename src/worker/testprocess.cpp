// SPDX-License-Identifier: BSD-3-Clause
#include "testprocess.h"

#include "model/logging.h"

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace ctestd {

static void becomeGroupLeader()
{
    // Runs in the forked child before exec: async-signal-safe calls only.
    // A new session makes the child the leader of a fresh process group whose
    // id is its pid, and detaches it from our controlling terminal.
    ::setsid();
    // If the worker dies without cleaning up, the test goes with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The worker ignores SIGINT (the daemon handles Ctrl-C); the test must not
    // inherit that.
    ::signal(SIGINT, SIG_DFL);
}

TestProcess::TestProcess(QObject *parent)
    : QProcess(parent)
{
    setInputChannelMode(QProcess::ManagedInputChannel);
#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
    setChildProcessModifier(becomeGroupLeader);
#endif
    connect(this, &QProcess::started, this, [this] {
        m_groupId = processId();
        // The test gets EOF on stdin instead of blocking on a terminal.
        closeWriteChannel();
    });
    connect(this, &QProcess::finished, this, [this] {
        // The direct child is gone; whatever it left behind in its group is
        // not part of the next case.
        killGroup();
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
}

#if QT_VERSION < QT_VERSION_CHECK(6, 0, 0)
void TestProcess::setupChildProcess()
{
    becomeGroupLeader();
}
#endif

void TestProcess::killGroup()
{
    if (m_groupId <= 0)
        return;
    if (state() != QProcess::NotRunning)
        ::kill(pid_t(processId()), SIGKILL);
    if (::kill(-pid_t(m_groupId), SIGKILL) == 0)
        qCDebug(lcWorker) << "killed process group" << m_groupId;
}

} // namespace ctestd
