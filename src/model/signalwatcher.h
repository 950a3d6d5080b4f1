// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QObject>

#include <initializer_list>

class QSocketNotifier;

namespace ctestd {

// Turns POSIX signals (SIGINT, SIGTERM) into a Qt signal delivered by the
// event loop: the handler only writes the signal number into a pipe (the one
// thing a handler may safely do), and the loop reads it. One per process.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(std::initializer_list<int> signalNumbers, QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void received(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace ctestd
