// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QProcess>

namespace ctestd {

// A QProcess that runs the test executable in its own process group with
// stdin closed, so that a timeout or a crash can take down everything the test
// started (QProcess::kill() only reaches the direct child and leaves
// grandchildren holding the pipes, so that reading its output never ends).
class TestProcess : public QProcess {
    Q_OBJECT
public:
    explicit TestProcess(QObject *parent = nullptr);
    ~TestProcess() override;

    // SIGKILL to the whole group, including stragglers left after the direct
    // child exited.
    void killGroup();

    qint64 groupId() const { return m_groupId; }

#if QT_VERSION < QT_VERSION_CHECK(6, 0, 0)
protected:
    void setupChildProcess() override;
#endif

private:
    qint64 m_groupId = 0;
};

} // namespace ctestd
