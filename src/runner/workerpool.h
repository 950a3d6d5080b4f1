// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "protocol/messages.h"
#include "workerlauncher.h"
#include "workerreserve.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <memory>

class QProcess;
class QTimer;

namespace ctestd {

namespace protocol {
class Connection;
class Server;
} // namespace protocol

// Starts `ctestd worker` processes, accepts their authenticated connections
// and keeps one record per worker. It knows nothing about units: it reports
// workers that are ready, the messages they send and workers that are lost,
// and the run controller decides what that means. A worker is lost exactly
// once, whether its process died, its connection broke or it was killed.
class WorkerPool : public QObject {
    Q_OBJECT
public:
    // `maxRestarts`: how many replacement workers may be started over the
    // whole run (pytest-xdist's --max-worker-restart; default 4 x workers).
    WorkerPool(const QString &workerProgram, int maxRestarts, QObject *parent = nullptr);
    ~WorkerPool() override;

    // Listens on a private local socket, or on TCP when `listen` is HOST:PORT.
    [[nodiscard]] bool listen(const QString &listen, QString *error);
    QString address() const;

    // Workers come from this reserve first (the daemon's), and those left
    // idle and sound go back to it at shutdown() instead of exiting.
    void setReserve(WorkerReserve *reserve) { m_reserve = reserve; }

    void launch(int count);
    // Starts a replacement unless the restart budget is spent.
    [[nodiscard]] bool launchReplacement();
    int restartsLeft() const { return m_restartsLeft; }
    int liveWorkers() const;

    void send(int worker, const protocol::Message &message);
    void kill(int worker, const QString &reason);
    // Sends Shutdown to every worker and kills those still running after a
    // grace period; emits allStopped() when none is left.
    void shutdown();

Q_SIGNALS:
    void workerReady(int worker);
    void workerMessage(int worker, const ctestd::protocol::Message &message);
    void workerLost(int worker, const QString &reason);
    void allStopped();

private:
    struct Record {
        QPointer<QProcess> process;
        QPointer<protocol::Connection> connection;
        qint64 pid = 0;
        bool ready = false;
        bool lost = false;
        bool retiring = false; // told to shut down: never given back
    };

    int startProcess();
    void watchProcess(int worker, QProcess *process);
    void adoptReady(const WorkerReserve::Worker &worker);
    void adopt(protocol::Connection *connection);
    void lose(int worker, const QString &reason);
    void checkAllStopped();

    QString m_workerProgram;
    std::unique_ptr<WorkerLauncher> m_launcher;
    QByteArray m_key;
    protocol::Server *m_server = nullptr;
    QHash<int, Record> m_workers;
    QPointer<WorkerReserve> m_reserve;
    int m_nextId = 1;
    int m_restartsLeft;
    bool m_shuttingDown = false;
    bool m_allStoppedEmitted = false;
};

} // namespace ctestd
