// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>
#include <QString>

class QProcess;

namespace ctestd {

// How a worker process is started: the pool says what the worker must know
// (where the daemon listens, the run's key) and the launcher decides where
// and how. The key goes to the worker's stdin, never its environment or
// command line, so that a launcher that runs the worker elsewhere (ssh,
// srun) can pass it on the same way, and the tests a worker starts never
// inherit it.
class WorkerLauncher {
public:
    virtual ~WorkerLauncher() = default;
    // Starts, in `process` (whose signals the pool watches already), a
    // worker for `address` (a local:/tcp: address, see PROTOCOL.md). The
    // process ends when the worker does; QProcess::errorOccurred() tells a
    // start that failed.
    virtual void start(QProcess *process, const QString &address, const QByteArray &key) = 0;
};

// `ctestd worker --connect ADDRESS --key-stdin` as a child process of this
// one, with stdout discarded and stderr shared (the daemon's log).
class LocalWorkerLauncher : public WorkerLauncher {
public:
    explicit LocalWorkerLauncher(const QString &workerProgram);
    void start(QProcess *process, const QString &address, const QByteArray &key) override;

private:
    QString m_workerProgram;
};

} // namespace ctestd
