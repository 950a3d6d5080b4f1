// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "writeonlydevice.h"

#include <QByteArray>
#include <QTimer>

namespace ctestd {

// stdout when it is not a terminal (a pipe to CI or an IDE, a file): what a
// turn of the event loop writes leaves in one write at its end, instead of
// one system call per line. 2,000 trivial cases print 6,000 lines; written
// one by one into a pipe they cost the run 14 ms of its 100, each waking the
// reader. Nothing waits longer than the turn that wrote it, so a slow test
// never hides the lines before it.
class CoalescedOutput : public WriteOnlyDevice {
    Q_OBJECT
public:
    explicit CoalescedOutput(QIODevice *target, QObject *parent = nullptr);
    ~CoalescedOutput() override;

    // Writes what is pending now.
    void flushPending();

protected:
    qint64 writeData(const char *data, qint64 size) override;

private:
    QIODevice *m_target;
    QByteArray m_pending;
    QTimer m_turnEnd;
};

// stderr next to a CoalescedOutput: each write goes out at once, after what
// stdout has pending, so that the two keep the order they were written in
// (as they must when both go to one pipe, `2>&1`). Nothing is held on
// stderr, which Qt's own messages also write to.
class OrderedError : public WriteOnlyDevice {
    Q_OBJECT
public:
    OrderedError(QIODevice *target, CoalescedOutput *output, QObject *parent = nullptr);

protected:
    qint64 writeData(const char *data, qint64 size) override;

private:
    QIODevice *m_target;
    CoalescedOutput *m_output;
};

} // namespace ctestd
