// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QProcess>
#include <QTimer>

class QSocketNotifier;

namespace ctestd {

// A QProcess that runs the test executable in its own process group with
// stdin closed, so that a timeout or a crash can take down everything the test
// started (QProcess::kill() only reaches the direct child and leaves
// grandchildren holding the pipes; see faults-and-costs A6).
//
// With captureStderr(), the child's stderr goes to a pipe of our own instead
// of QProcess's, so it can be drained synchronously: when stdout says a case
// ended, everything the case wrote to stderr before that is already in the
// pipe, and drainStderr() attributes it to the right case. (QProcess only
// reads a pipe when the event loop gets to it, so stderr would otherwise race
// with stdout.)
class TestProcess : public QProcess {
    Q_OBJECT
public:
    explicit TestProcess(QObject *parent = nullptr);
    ~TestProcess() override;

    // Call before start(). Returns false (and leaves stderr to QProcess) if
    // no pipe can be made.
    bool captureStderr();
    // Whatever the child has written to stderr so far, without waiting.
    QByteArray drainStderr();

    // SIGTERM to the whole group, then SIGKILL after `graceMs` if anything of
    // it is still alive. Safe to call more than once.
    void terminateGroup(int graceMs);
    // SIGKILL to the whole group, including stragglers left after the direct
    // child exited.
    void killGroup();

    qint64 groupId() const { return m_groupId; }

Q_SIGNALS:
    // Output from the captured stderr pipe, as it arrives.
    void stderrData(const QByteArray &data);

#if QT_VERSION < QT_VERSION_CHECK(6, 0, 0)
protected:
    void setupChildProcess() override;
#endif

private:
    void closeStderrPipe();

    qint64 m_groupId = 0;
    QTimer m_graceTimer;
    int m_stderrRead = -1;
    int m_stderrWrite = -1;
    QSocketNotifier *m_stderrNotifier = nullptr;
};

} // namespace ctestd
