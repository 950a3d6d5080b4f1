// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QObject>
#include <QPointer>
#include <QVector>

#include <optional>

class QProcess;

namespace ctestd {

namespace protocol {
class Connection;
} // namespace protocol

// Workers kept between runs, by the daemon of a build tree (`ctestd serve`),
// whose runs are one fixture group each: a run's WorkerPool takes workers
// from here before it starts any, and gives back those it leaves idle and
// sound when it shuts down. Starting a worker (a process that loads Qt and
// does the key's handshake) is most of what a group's run costs beyond the
// test itself.
//
// Only workers that finished their last unit come back: one told to shut
// down, lost or still busy never does. A worker that dies or talks while it
// waits here is dropped. At most `capacity` wait; more are shut down.
class WorkerReserve : public QObject {
    Q_OBJECT
public:
    struct Worker {
        QPointer<QProcess> process;
        QPointer<protocol::Connection> connection;
        qint64 pid = 0;
    };

    explicit WorkerReserve(int capacity, QObject *parent = nullptr);
    ~WorkerReserve() override; // kills the workers still waiting

    // A ready worker, no longer this reserve's (reparent it), or nothing.
    std::optional<Worker> take();
    // Takes `worker` (its process and connection become this reserve's
    // children, with no other receivers left connected).
    void giveBack(const Worker &worker);

private:
    int m_capacity;
    QVector<Worker> m_waiting;
};

} // namespace ctestd
