// SPDX-License-Identifier: BSD-3-Clause
#include "hookrunner.h"

#include <csignal>
#include <unistd.h>

namespace ctestd {

namespace {
// A hook in a session of its own, so that its time limit takes down what it
// started. Unlike a test's group it is not killed when the hook exits: a
// setup hook may leave a server running for the worker's tests.
void leaveSession()
{
    // In the forked child before exec: async-signal-safe calls only.
    ::setsid();
    ::signal(SIGINT, SIG_DFL); // the worker ignores it; the hook must not inherit that
}

class HookProcess : public QProcess {
public:
    explicit HookProcess(QObject *parent)
        : QProcess(parent)
    {
#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
        setChildProcessModifier(leaveSession);
#endif
    }

    void killGroup()
    {
        if (processId() > 0 && state() != QProcess::NotRunning)
            ::kill(-pid_t(processId()), SIGKILL);
    }

#if QT_VERSION < QT_VERSION_CHECK(6, 0, 0)
protected:
    void setupChildProcess() override
    {
        leaveSession();
    }
#endif
};
} // namespace

HookRunner::HookRunner(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
}

HookRunner::~HookRunner()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        static_cast<HookProcess *>(m_process)->killGroup();
        m_process->waitForFinished(2000);
    }
}

void HookRunner::start(const QString &hook, const QString &command, const QProcessEnvironment &environment,
    const QString &workingDirectory, double timeoutSeconds)
{
    m_result = protocol::HookFinished();
    m_result.hook = hook;
    m_result.ran = true;
    auto *process = new HookProcess(this);
    m_process = process;
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setProcessEnvironment(environment);
    process->setWorkingDirectory(workingDirectory);
    connect(process, &QProcess::readyReadStandardOutput, this, [this] {
        const QByteArray data = m_process->readAllStandardOutput();
        const int room = qMax(0, OutputCap - int(m_result.output.size()));
        m_result.output.append(data.left(room));
        m_dropped += qMax(0, int(data.size()) - room);
    });
    connect(process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        m_result.output.append(
            m_process->readAllStandardOutput().left(qMax(0, OutputCap - int(m_result.output.size()))));
        if (status == QProcess::CrashExit && !m_result.timedOut)
            m_result.signal = exitCode; // QProcess's signal number on Unix
        else if (!m_result.timedOut)
            m_result.exitCode = exitCode;
        finish();
    });
    connect(process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_result.error = QStringLiteral("cannot start /bin/sh: %1").arg(m_process->errorString());
        finish();
    });
    connect(&m_timer, &QTimer::timeout, this, [this, process] {
        m_result.timedOut = true;
        process->killGroup();
    });
    if (timeoutSeconds > 0)
        m_timer.start(int(qMin(timeoutSeconds * 1000.0, double(std::numeric_limits<int>::max()))));
    process->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
    process->closeWriteChannel(); // EOF on stdin, not a wait on a terminal
}

void HookRunner::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    if (m_dropped > 0)
        m_result.output += QStringLiteral("\n[ctestd: %1 more bytes of the %2's output were dropped]\n")
                               .arg(m_dropped)
                               .arg(m_result.hook)
                               .toUtf8();
    Q_EMIT finished(m_result);
}

} // namespace ctestd
