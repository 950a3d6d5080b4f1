// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "protocol/messages.h"
#include "workerids.h"
#include "workerlauncher.h"
#include "workerreserve.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>
#include <vector>

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
    // whole run on each host, i.e. for each --workers source (pytest-xdist's
    // --max-worker-restart); -1: 4 x the workers started from that source.
    // A host that keeps losing workers spends its own budget, not the others'.
    WorkerPool(const LauncherSettings &launchers, int maxRestarts, QObject *parent = nullptr);
    ~WorkerPool() override;

    // Listens on a private local socket, or on TCP when `listen` is HOST:PORT.
    [[nodiscard]] bool listen(const QString &listen, QString *error);
    QString address() const;
    // What workers are told to connect to, when it is not where the pool
    // listens (NAT, a container): HOST:PORT, or HOST with the bound port.
    void setAdvertisedAddress(const QString &hostAndPort) { m_advertise = hostAndPort; }
    // A ready worker that sends nothing for this long, although it answers
    // the pool's Ping at once, is lost with `blameless` set: a link that
    // went down, or a host that froze, is no test's fault. 0: none.
    void setHeartbeatTimeout(double seconds);

    // What every worker is told after its Ready (WorkerSetup): its hooks
    // and how it keeps its directory. Its id and the count are the pool's:
    // ids 0 to count - 1 in launch order, and a replacement takes the id of
    // a worker that was lost. Before launch().
    void setWorkerSetup(const protocol::WorkerSetup &setup) { m_setup = setup; }
    // Ids come from `ids` (`ctestd serve`'s, shared by its runs) instead of
    // the pool's own. Before launch().
    void setWorkerIds(WorkerIds *ids) { m_ids = ids; }
    // How long a worker told to shut down gets before it is killed: a
    // moment, plus its teardown's time limit when it has one.
    int shutdownGraceMs() const;
    // Where each worker's directory is (with --keep-tmp, what is left).
    QMap<int, QString> workerDirectories() const;

    // Workers come from this reserve first (the daemon's), and those left
    // idle and sound go back to it at shutdown() instead of exiting.
    void setReserve(WorkerReserve *reserve) { m_reserve = reserve; }

    // Starts `count` workers, taken from `sources` in order (local ones
    // from the reserve first).
    void launch(const QVector<WorkerSource> &sources, int count);
    // Starts a replacement unless the restart budget is spent.
    [[nodiscard]] bool launchReplacement();
    // Over the hosts not refused.
    int restartsLeft() const;
    int liveWorkers() const;

    // Whether the worker runs on another host (or was started by hand).
    bool isRemote(int worker) const;
    // The worker's host cannot run this run's tests (another build at the
    // path, or none): every worker started there is lost, blamelessly,
    // with `reason`, and no replacement starts there.
    void refuseHost(int worker, const QString &reason);

    void send(int worker, const protocol::Message &message);
    void kill(int worker, const QString &reason);
    // Sends Shutdown to every worker and kills those still running after a
    // grace period; emits allStopped() when none is left.
    void shutdown();

Q_SIGNALS:
    // Connected, and its setup hook (if any) passed: it may be given units.
    void workerReady(int worker);
    // Its setup hook failed: the worker is out of service (not lost: no
    // case of it was running, and no replacement starts). `reason` says how,
    // with the hook's output.
    void workerSetupFailed(int worker, const QString &reason);
    // Its teardown hook failed (`reason`, with its output); the run's exit
    // code says so.
    void teardownFailed(int worker, const QString &reason);
    void workerMessage(int worker, const ctestd::protocol::Message &message);
    // `blameless`: the worker went silent (see setHeartbeatTimeout()); its
    // cases had no part in it.
    void workerLost(int worker, const QString &reason, bool blameless);
    void allStopped();

private:
    struct Record {
        QPointer<QProcess> process;
        QPointer<protocol::Connection> connection;
        qint64 pid = 0;
        bool ready = false;
        bool lost = false;
        bool retiring = false; // told to shut down: never given back
        int launcher = -1; // index in m_launchers; -1: the reserve's or started by hand
        qint64 lastHeardMs = 0; // m_clock's time of its last message
        int slot = -1; // CTESTD_WORKER_ID
        bool slotReleased = false; // lost or given back: another may have its id now
        bool setUp = false; // its HookFinished for the setup came, and passed
        bool outOfService = false; // its setup failed: it only stops, and is not counted
        QString directory; // its WorkerSpace's directory
    };

    int startProcess(int launcher);
    const WorkerLauncher *launcherOf(const Record &record) const; // nullptr: none
    bool isRemote(const Record &record) const;
    QString workerAddress() const;
    void watchProcess(int worker, QProcess *process);
    void adoptReady(const WorkerReserve::Worker &worker);
    void adopt(protocol::Connection *connection);
    // Tells a connected worker who it is; workerReady() once it answers.
    void setUp(int worker);
    void handleHookFinished(int worker, const protocol::HookFinished &finished);
    void releaseSlot(Record &record);
    void removeDirectory(const Record &record) const; // a dead local worker's, unless kept
    bool hasHooks() const { return !m_setup.setup.isEmpty() || !m_setup.teardown.isEmpty(); }
    void lose(int worker, const QString &reason, bool blameless = false);
    void heard(int worker);
    void checkHeartbeats();
    void checkAllStopped();

    LauncherSettings m_settings;
    std::vector<std::unique_ptr<WorkerLauncher>> m_launchers;
    int m_replacementLauncher = 0; // the launcher of the last worker lost
    QSet<int> m_refusedLaunchers; // hosts refuseHost() took out
    QString m_advertise;
    int m_heartbeatTimeoutMs = 0;
    QTimer m_heartbeat;
    QElapsedTimer m_clock;
    qint64 m_lastCheckMs = 0; // m_clock's time of the last heartbeat tick
    QByteArray m_key;
    protocol::Server *m_server = nullptr;
    QHash<int, Record> m_workers;
    QPointer<WorkerReserve> m_reserve;
    int m_nextId = 1;
    protocol::WorkerSetup m_setup;
    WorkerIds m_ownIds;
    WorkerIds *m_ids = &m_ownIds;
    int m_maxRestarts;
    QVector<int> m_restartBudget; // per launcher
    bool m_shuttingDown = false;
    bool m_allStoppedEmitted = false;
};

} // namespace ctestd
