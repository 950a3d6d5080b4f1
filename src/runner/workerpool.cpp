// SPDX-License-Identifier: BSD-3-Clause
#include "workerpool.h"

#include "model/defaults.h"
#include "model/logging.h"
#include "protocol/connection.h"
#include "protocol/handshake.h"
#include "protocol/server.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QHostInfo>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <limits>
#include <memory>

namespace ctestd {

namespace {
// A worker that has not connected and authenticated by then never will.
constexpr int ConnectDeadlineMs = 15000;

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port, QString *error)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (colon <= 0 || !ok || value > 65535) {
        *error = QStringLiteral("--listen expects HOST:PORT, got '%1'").arg(text);
        return false;
    }
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    if (!address->setAddress(host)) {
        *error = QStringLiteral("--listen: '%1' is not an IP address").arg(host);
        return false;
    }
    *port = quint16(value);
    return true;
}
} // namespace

WorkerPool::WorkerPool(const LauncherSettings &launchers, int maxRestarts, QObject *parent)
    : QObject(parent)
    , m_settings(launchers)
    , m_key(protocol::generateKey())
    , m_maxRestarts(maxRestarts)
{
    m_clock.start();
    connect(&m_heartbeat, &QTimer::timeout, this, &WorkerPool::checkHeartbeats);
}

void WorkerPool::setHeartbeatTimeout(double seconds)
{
    m_heartbeatTimeoutMs = int(seconds * 1000);
    if (m_heartbeatTimeoutMs <= 0)
        return m_heartbeat.stop();
    // Four pings per timeout: one lost or late ping is not a lost worker.
    m_heartbeat.start(qMax(100, m_heartbeatTimeoutMs / 4));
    m_lastCheckMs = m_clock.elapsed();
}

void WorkerPool::heard(int worker)
{
    const auto it = m_workers.find(worker);
    if (it != m_workers.end())
        it->lastHeardMs = m_clock.elapsed();
}

void WorkerPool::checkHeartbeats()
{
    if (m_shuttingDown)
        return;
    const qint64 now = m_clock.elapsed();
    // A tick that comes late says this process was busy or stopped, not
    // that the workers were silent: they are judged from the next one.
    const bool late = now - m_lastCheckMs > 2 * m_heartbeat.interval();
    m_lastCheckMs = now;
    QVector<int> silent;
    for (auto it = m_workers.begin(); it != m_workers.end(); ++it) {
        // A local worker's end is its process's, which the pool sees at
        // once; only a worker elsewhere (or started by hand) can go silent.
        if (it->lost || !it->ready || !it->connection || !isRemote(*it))
            continue;
        if (late)
            it->lastHeardMs = qMax(it->lastHeardMs, now - m_heartbeat.interval());
        if (now - it->lastHeardMs > m_heartbeatTimeoutMs)
            silent.append(it.key());
        else
            it->connection->send({protocol::MessageType::Ping, {}});
    }
    for (int worker : qAsConst(silent)) {
        const WorkerLauncher *launcher = launcherOf(m_workers.value(worker));
        const QString where = launcher ? launcher->name() : QStringLiteral("worker %1").arg(worker);
        lose(worker,
            QStringLiteral("%1: no answer to the heartbeat for %2 s (the host or its network is gone)")
                .arg(where)
                .arg(m_heartbeatTimeoutMs / 1000.0),
            true);
    }
}

WorkerPool::~WorkerPool()
{
    m_shuttingDown = true;
    for (Record &record : m_workers) {
        releaseSlot(record);
        if (record.process && record.process->state() != QProcess::NotRunning) {
            record.process->kill();
            record.process->waitForFinished(2000);
            // Killed, it could not remove its directory (a second Ctrl-C).
            removeDirectory(record);
        }
    }
}

void WorkerPool::removeDirectory(const Record &record) const
{
    if (!m_setup.keepTmp && !record.directory.isEmpty() && !isRemote(record))
        QDir(record.directory).removeRecursively();
}

bool WorkerPool::listen(const QString &listen, QString *error)
{
    m_server = new protocol::Server(m_key, this);
    connect(m_server, &protocol::Server::connectionReady, this, &WorkerPool::adopt);
    if (listen.isEmpty())
        return m_server->listenLocal(error);
    QHostAddress address;
    quint16 port = 0;
    if (!parseListenAddress(listen, &address, &port, error))
        return false;
    return m_server->listenTcp(address, port, error);
}

QString WorkerPool::address() const
{
    return m_server ? m_server->address() : QString();
}

QString WorkerPool::workerAddress() const
{
    const QString listening = address();
    if (!m_advertise.isEmpty()) {
        const int colon = m_advertise.lastIndexOf(QLatin1Char(':'));
        const bool hasPort
            = colon > 0 && (m_advertise.at(colon - 1) == QLatin1Char(']') || !m_advertise.startsWith(QLatin1Char('[')));
        if (hasPort)
            return QStringLiteral("tcp:") + m_advertise;
        // HOST alone: the port this pool bound.
        return QStringLiteral("tcp:") + m_advertise + listening.mid(listening.lastIndexOf(QLatin1Char(':')));
    }
    // Listening on every interface: other hosts reach this one by its name.
    for (const QString &any : {QStringLiteral("tcp:0.0.0.0:"), QStringLiteral("tcp:[::]:")}) {
        if (listening.startsWith(any))
            return QStringLiteral("tcp:") + QHostInfo::localHostName() + QLatin1Char(':') + listening.mid(any.size());
    }
    return listening;
}

int WorkerPool::shutdownGraceMs() const
{
    if (m_setup.teardown.isEmpty())
        return defaults::WorkerShutdownGraceMs;
    if (m_setup.hookTimeoutSeconds <= 0) // a teardown without a limit is waited for
        return std::numeric_limits<int>::max();
    return defaults::WorkerShutdownGraceMs
        + int(qMin(m_setup.hookTimeoutSeconds * 1000.0, double(std::numeric_limits<int>::max() / 2)));
}

QMap<int, QString> WorkerPool::workerDirectories() const
{
    QMap<int, QString> directories;
    for (const Record &record : m_workers) {
        if (!record.directory.isEmpty())
            directories.insert(record.slot, record.directory);
    }
    return directories;
}

void WorkerPool::releaseSlot(Record &record)
{
    if (record.slot >= 0 && !record.slotReleased)
        m_ids->release(record.slot);
    record.slotReleased = true;
}

void WorkerPool::setUp(int worker)
{
    Record &record = m_workers[worker];
    if (record.slot < 0)
        record.slot = m_ids->take();
    protocol::WorkerSetup setup = m_setup;
    setup.id = record.slot;
    setup.count = m_ids->count();
    send(worker, {protocol::MessageType::WorkerSetup, setup.toCbor()});
}

void WorkerPool::handleHookFinished(int worker, const protocol::HookFinished &finished)
{
    Record &record = m_workers[worker];
    if (!finished.tmpDir.isEmpty())
        record.directory = QFileInfo(finished.tmpDir).path();
    QString reason;
    if (finished.failed()) {
        const QString how = !finished.error.isEmpty() ? finished.error
            : finished.timedOut    ? QStringLiteral("no end within %1 s").arg(m_setup.hookTimeoutSeconds)
            : finished.signal != 0 ? QStringLiteral("killed by signal %1").arg(finished.signal)
                                   : QStringLiteral("exit code %1").arg(finished.exitCode);
        reason = QStringLiteral("worker %1's %2 failed (%3)").arg(record.slot).arg(finished.hook, how);
        const QString output = QString::fromUtf8(finished.output).trimmed();
        if (!output.isEmpty())
            reason += QStringLiteral(":\n") + output;
    }
    if (finished.hook == QLatin1String("teardown")) {
        if (!reason.isEmpty())
            Q_EMIT teardownFailed(worker, reason);
        return;
    }
    if (record.setUp || record.lost) {
        qCWarning(lcDaemon).noquote() << "worker" << worker << "answered a setup twice";
        return;
    }
    if (!reason.isEmpty()) {
        // Out of service: told to stop (its teardown still runs), never
        // given a unit, never replaced, and not lost: nothing of it ran.
        qCDebug(lcDaemon).noquote() << reason;
        record.outOfService = true;
        send(worker, {protocol::MessageType::Shutdown, {}});
        Q_EMIT workerSetupFailed(worker, reason);
        return;
    }
    record.setUp = true;
    if (!m_shuttingDown)
        Q_EMIT workerReady(worker);
}

void WorkerPool::launch(const QVector<WorkerSource> &sources, int count)
{
    if (m_ids == &m_ownIds)
        m_ownIds.plan(qMax(0, count));
    for (const WorkerSource &source : sources) {
        const int launcher = int(m_launchers.size());
        m_launchers.push_back(makeWorkerLauncher(source, m_settings));
        const int started = qMin(source.count, qMax(0, count));
        m_restartBudget.append(m_maxRestarts >= 0 ? m_maxRestarts : 4 * started);
        for (int i = 0; i < source.count && count > 0; ++i, --count) {
            if (m_reserve && !hasHooks() && !source.isRemote()) {
                if (const std::optional<WorkerReserve::Worker> worker = m_reserve->take()) {
                    adoptReady(*worker);
                    continue;
                }
            }
            startProcess(launcher);
        }
    }
}

void WorkerPool::adoptReady(const WorkerReserve::Worker &worker)
{
    const int id = m_nextId++;
    worker.process->setParent(this);
    worker.connection->setParent(this);
    Record record;
    record.process = worker.process;
    record.connection = worker.connection;
    record.pid = worker.pid;
    record.ready = true;
    m_workers.insert(id, record);
    heard(id);
    watchProcess(id, worker.process);
    connect(
        worker.connection, &protocol::Connection::messageReceived, this, [this, id](const protocol::Message &message) {
            heard(id);
            if (const auto *hook = std::get_if<protocol::HookFinished>(&message.fields))
                handleHookFinished(id, *hook);
            else if (message.type != protocol::MessageType::Pong)
                Q_EMIT workerMessage(id, message);
        });
    connect(worker.connection, &protocol::Connection::failed, this,
        [this, id](const QString &reason) { lose(id, QStringLiteral("protocol error: %1").arg(reason)); });
    connect(worker.connection, &protocol::Connection::disconnected, this,
        [this, id] { lose(id, QStringLiteral("worker closed its connection")); });
    // Ready already, and set up in an earlier run: told its id in this one.
    setUp(id);
}

int WorkerPool::restartsLeft() const
{
    if (m_launchers.empty())
        return m_maxRestarts >= 0 ? m_maxRestarts : 4;
    int left = 0;
    for (int i = 0; i < m_restartBudget.size(); ++i)
        left += m_refusedLaunchers.contains(i) ? 0 : m_restartBudget.at(i);
    return left;
}

bool WorkerPool::launchReplacement()
{
    if (m_shuttingDown)
        return false;
    if (m_launchers.empty()) {
        if (restartsLeft() <= 0)
            return false;
        startProcess(-1); // a local launcher, with its own budget
        --m_restartBudget.last();
        return true;
    }
    // Where the lost worker ran: a replacement keeps the run's mix of hosts.
    // Not on a refused host, nor one whose budget is spent: on the first
    // host that has some left.
    const auto usable = [this](int launcher) {
        return launcher >= 0 && launcher < m_restartBudget.size() && !m_refusedLaunchers.contains(launcher)
            && m_restartBudget.at(launcher) > 0;
    };
    int launcher = m_replacementLauncher;
    for (int i = 0; i < m_restartBudget.size() && !usable(launcher); ++i)
        launcher = i;
    if (!usable(launcher))
        return false;
    --m_restartBudget[launcher];
    startProcess(launcher);
    return true;
}

const WorkerLauncher *WorkerPool::launcherOf(const Record &record) const
{
    return record.launcher >= 0 && record.launcher < int(m_launchers.size()) ? m_launchers[record.launcher].get()
                                                                             : nullptr;
}

bool WorkerPool::isRemote(const Record &record) const
{
    // Without a launcher: the reserve's local worker, or one started by
    // hand (no process here), which may be anywhere.
    const WorkerLauncher *launcher = launcherOf(record);
    return launcher ? launcher->isRemote() : !record.process;
}

bool WorkerPool::isRemote(int worker) const
{
    return isRemote(m_workers.value(worker));
}

void WorkerPool::refuseHost(int worker, const QString &reason)
{
    const Record record = m_workers.value(worker);
    const WorkerLauncher *launcher = launcherOf(record);
    const QString where = launcher ? launcher->name() : QStringLiteral("worker %1").arg(worker);
    const QString message = QStringLiteral("%1: refused: %2").arg(where, reason);
    if (record.launcher < 0)
        return lose(worker, message, true);
    m_refusedLaunchers.insert(record.launcher);
    QVector<int> there;
    for (auto it = m_workers.cbegin(); it != m_workers.cend(); ++it) {
        if (!it->lost && it->launcher == record.launcher)
            there.append(it.key());
    }
    for (int id : qAsConst(there))
        lose(id, message, true);
}

int WorkerPool::liveWorkers() const
{
    int live = 0;
    for (const Record &record : m_workers)
        live += record.lost || record.outOfService ? 0 : 1;
    return live;
}

int WorkerPool::startProcess(int launcher)
{
    if (launcher < 0 || launcher >= int(m_launchers.size())) {
        launcher = int(m_launchers.size());
        m_launchers.push_back(makeWorkerLauncher(WorkerSource {}, m_settings));
        m_restartBudget.append(m_maxRestarts >= 0 ? m_maxRestarts : 4);
    }
    const int id = m_nextId++;
    auto *process = new QProcess(this);
    Record started;
    started.process = process;
    started.launcher = launcher;
    started.slot = m_ids->take();
    m_workers.insert(id, started);

    watchProcess(id, process);
    QTimer::singleShot(ConnectDeadlineMs, this, [this, id] {
        const Record record = m_workers.value(id);
        if (!record.lost && !record.ready)
            lose(id, QStringLiteral("worker did not connect within %1 s").arg(ConnectDeadlineMs / 1000));
    });
    m_launchers[launcher]->start(process, WorkerLaunch {workerAddress(), m_key, id, m_heartbeatTimeoutMs / 1000.0});
    qCDebug(lcDaemon).noquote() << "started worker" << id << "through" << m_launchers[launcher]->name();
    return id;
}

void WorkerPool::watchProcess(int id, QProcess *process)
{
    connect(process, &QProcess::errorOccurred, this, [this, id, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            lose(id, QStringLiteral("cannot start worker %1: %2").arg(process->program(), process->errorString()));
    });
    connect(process, &QProcess::finished, this, [this, id, process](int exitCode, QProcess::ExitStatus status) {
        const Record record = m_workers.value(id);
        QString reason = status == QProcess::CrashExit ? QStringLiteral("worker crashed with signal %1").arg(exitCode)
                                                       : QStringLiteral("worker exited with code %1").arg(exitCode);
        if (const WorkerLauncher *launcher = launcherOf(record); launcher && launcher->isRemote()) {
            // ssh's or srun's own failure: say where, and what it said.
            reason = launcher->name() + QStringLiteral(": ") + reason;
            if (!record.ready)
                reason += QStringLiteral(" before it connected");
            const QString said = WorkerLauncher::lastErrorLine(process);
            if (!said.isEmpty())
                reason += QStringLiteral(" (") + said + QLatin1Char(')');
        }
        lose(id, reason);
        // A worker that was killed (or crashed) could not remove its own
        // directory; on this host the pool does it for it.
        removeDirectory(record);
        // A worker already counted as lost was killed and has now been
        // reaped: that may be the last one a shutdown waits for.
        checkAllStopped();
    });
}

void WorkerPool::adopt(protocol::Connection *connection)
{
    // The connection is authenticated; it becomes a worker with its Ready
    // message, which names the process so it can be matched to its record.
    auto id = std::make_shared<int>(0);
    connect(connection, &protocol::Connection::messageReceived, this,
        [this, id, connection](const protocol::Message &message) {
            if (*id != 0) {
                heard(*id);
                if (const auto *hook = std::get_if<protocol::HookFinished>(&message.fields))
                    handleHookFinished(*id, *hook);
                else if (message.type != protocol::MessageType::Pong)
                    Q_EMIT workerMessage(*id, message);
                return;
            }
            const auto *ready = std::get_if<protocol::Ready>(&message.fields);
            if (!ready) {
                qCWarning(lcDaemon).noquote() << "dropping worker connection from" << connection->peerDescription()
                                              << ": expected Ready, got" << protocol::messageTypeName(message.type);
                connection->close();
                return;
            }
            // A worker this pool launched says its launch id (its pid is the
            // remote host's, not that of the ssh or srun process here).
            for (auto it = m_workers.begin(); it != m_workers.end(); ++it) {
                if (it->lost || it->connection || !it->process)
                    continue;
                if (ready->launch != 0 ? ready->launch == it.key() : it->process->processId() == ready->pid) {
                    *id = it.key();
                    break;
                }
            }
            if (*id == 0) {
                // Started by hand or by a launcher on another machine.
                *id = m_nextId++;
                m_workers.insert(*id, Record {});
            }
            Record &record = m_workers[*id];
            record.connection = connection;
            record.pid = ready->pid;
            record.ready = true;
            record.lastHeardMs = m_clock.elapsed();
            qCDebug(lcDaemon) << "worker" << *id << "ready, pid" << ready->pid << "on" << ready->host;
            if (m_shuttingDown)
                return send(*id, {protocol::MessageType::Shutdown, {}});
            setUp(*id);
        });
    connect(connection, &protocol::Connection::failed, this, [this, id](const QString &reason) {
        if (*id != 0)
            lose(*id, QStringLiteral("protocol error: %1").arg(reason));
    });
    connect(connection, &protocol::Connection::disconnected, this, [this, id] {
        if (*id != 0)
            lose(*id, QStringLiteral("worker closed its connection"));
    });
}

void WorkerPool::send(int worker, const protocol::Message &message)
{
    Record &record = m_workers[worker];
    if (record.lost)
        return;
    if (message.type == protocol::MessageType::Shutdown)
        record.retiring = true;
    if (!record.connection || !record.connection->send(message))
        lose(worker, QStringLiteral("cannot send to worker"));
}

void WorkerPool::kill(int worker, const QString &reason)
{
    lose(worker, reason);
}

void WorkerPool::lose(int worker, const QString &reason, bool blameless)
{
    auto it = m_workers.find(worker);
    if (it == m_workers.end() || it->lost)
        return;
    it->lost = true;
    if (it->launcher >= 0)
        m_replacementLauncher = it->launcher;
    releaseSlot(*it);
    const QPointer<QProcess> process = it->process;
    const QPointer<protocol::Connection> connection = it->connection;
    if (process && process->state() != QProcess::NotRunning)
        process->kill(); // its test process follows through PR_SET_PDEATHSIG
    if (connection) {
        connection->close();
        connection->deleteLater();
    }
    if (!m_shuttingDown && !it->outOfService) {
        qCDebug(lcDaemon).noquote() << "worker" << worker << "lost:" << reason;
        Q_EMIT workerLost(worker, reason, blameless);
    }
    checkAllStopped();
}

void WorkerPool::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    // At the end of a run every worker not told to stop is idle: sound ones
    // wait in the reserve for the next run.
    // Hooks run once per worker and its teardown on its way out: a worker
    // with hooks is never kept for another run.
    for (auto it = m_workers.begin(); m_reserve && !hasHooks() && it != m_workers.end();) {
        if (it->lost || !it->ready || it->retiring || !it->process || !it->connection
            || it->process->state() != QProcess::Running) {
            ++it;
            continue;
        }
        it->process->disconnect(this);
        it->connection->disconnect(this);
        releaseSlot(*it);
        m_reserve->giveBack({it->process, it->connection, it->pid});
        it = m_workers.erase(it);
    }
    for (auto it = m_workers.begin(); it != m_workers.end(); ++it) {
        if (it->lost)
            continue;
        if (it->connection)
            it->connection->send({protocol::MessageType::Shutdown, {}});
        if (!it->process)
            lose(it.key(), QString()); // a worker we did not start: just hang up
    }
    QTimer::singleShot(shutdownGraceMs(), this, [this] {
        for (auto it = m_workers.begin(); it != m_workers.end(); ++it)
            lose(it.key(), QString());
        checkAllStopped();
    });
    checkAllStopped();
}

void WorkerPool::checkAllStopped()
{
    if (!m_shuttingDown || m_allStoppedEmitted)
        return;
    for (const Record &record : m_workers) {
        if (record.process && record.process->state() != QProcess::NotRunning)
            return;
    }
    m_allStoppedEmitted = true;
    Q_EMIT allStopped();
}

} // namespace ctestd
