// SPDX-License-Identifier: BSD-3-Clause
#include "caseservice.h"

#include "core/logging.h"
#include "protocol/connection.h"
#include "protocol/handshake.h"
#include "protocol/server.h"
#include "runner/grouping.h"
#include "runner/runcontroller.h"

#include <QDir>
#include <QSaveFile>

#include <sys/stat.h>

namespace ctestd {

namespace {
// Idle means no client connected and no group running.
constexpr int IdleExitMs = 120000;
// After a session closed, the next ctest invocation opens a new one quickly
// or not at all.
constexpr int ClosedExitMs = 2000;
// How soon the idle exit is tried again while a client is in its handshake.
constexpr int RetryIdleExitMs = 100;

// A result belongs to a case of one run: the same case registered twice
// with different arguments or directories is two results.
// What tells one build of an executable from another: device, inode, size
// and modification time to the nanosecond. A rebuild (even one that writes
// the same size in the same second, or replaces the file by a rename)
// changes it. Empty when the file cannot be read; the run then reports why.
QString executableIdentity(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return QString();
    return QStringLiteral("%1:%2:%3:%4.%5")
        .arg(quint64(info.st_dev))
        .arg(quint64(info.st_ino))
        .arg(qint64(info.st_size))
        .arg(qint64(info.st_mtim.tv_sec))
        .arg(qint64(info.st_mtim.tv_nsec), 9, 10, QLatin1Char('0'));
}

QString resultKey(const QString &run, const QString &selector)
{
    return run + QLatin1Char('\x1d') + selector;
}
} // namespace

CaseService::CaseService(const ServiceLocation &location, const QString &workerProgram, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_location(location)
    , m_workerProgram(workerProgram)
    , m_err(err)
    , m_discard(QStringLiteral("/dev/null"))
{
    m_discard.open(QIODevice::WriteOnly);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        // A client still in its handshake is about to ask: exiting now
        // would leave it to find the daemon gone after it connected.
        if (m_server && m_server->unauthenticatedConnections() > 0) {
            m_idleTimer.start(RetryIdleExitMs);
            return;
        }
        if (m_clients.isEmpty() && m_running.isEmpty())
            Q_EMIT finished(0);
    });
}

CaseService::~CaseService() = default;

bool CaseService::start(bool *alreadyRunning, QString *error)
{
    *alreadyRunning = false;
    if (!QDir().mkpath(m_location.stateDirectory)
        || !QFile::setPermissions(
            m_location.stateDirectory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
        *error = QStringLiteral("cannot create %1").arg(m_location.stateDirectory);
        return false;
    }
    // Clients check for a daemon by taking this lock for an instant; wait
    // those out. A daemon holds it for good.
    if (!m_lock.acquire(m_location.serveLockPath, 2000, alreadyRunning, error)) {
        if (*alreadyRunning)
            *error = QStringLiteral("another daemon serves %1").arg(m_location.buildDirectory);
        return false;
    }

    // A fresh key for every daemon, written before it listens: a client that
    // can connect can also read the key (and only the owner can read it).
    const QByteArray key = protocol::generateKey();
    QSaveFile keyFile(m_location.keyPath);
    if (!keyFile.open(QIODevice::WriteOnly) || !keyFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || keyFile.write(key.toHex()) < 0 || !keyFile.commit()) {
        *error = QStringLiteral("cannot write the key file %1: %2").arg(m_location.keyPath, keyFile.errorString());
        return false;
    }
    // A socket a dead predecessor named is gone with its private directory;
    // clients wait for this daemon's name, written once it listens.
    QFile::remove(m_location.socketNamePath);
    m_server = new protocol::Server(key, this);
    connect(m_server, &protocol::Server::connectionReady, this, &CaseService::adopt);
    if (!m_server->listenLocal(error))
        return false;
    const QString socketPath = m_server->address().mid(QStringLiteral("local:").size());
    QSaveFile nameFile(m_location.socketNamePath);
    if (!nameFile.open(QIODevice::WriteOnly)
        || !nameFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || nameFile.write(QFile::encodeName(socketPath)) < 0 || !nameFile.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_location.socketNamePath, nameFile.errorString());
        return false;
    }
    qCDebug(lcDaemon).noquote() << "serving" << m_location.buildDirectory << "on" << socketPath;
    scheduleIdleExit();
    return true;
}

void CaseService::adopt(protocol::Connection *client)
{
    m_clients.insert(client);
    m_idleTimer.stop();
    connect(client, &protocol::Connection::messageReceived, this,
        [this, client](const protocol::Message &message) { handleMessage(client, message); });
    connect(client, &protocol::Connection::disconnected, this, [this, client] {
        // A client killed by ctest's TIMEOUT leaves; its group runs on.
        m_clients.remove(client);
        client->deleteLater();
        scheduleIdleExit();
    });
}

void CaseService::handleMessage(protocol::Connection *client, const protocol::Message &message)
{
    QString error;
    switch (message.type) {
    case protocol::MessageType::CaseRequest:
        if (const auto parsed = protocol::CaseRequest::fromCbor(message.body, &error))
            return request(client, *parsed);
        break;
    case protocol::MessageType::SessionOpen:
    case protocol::MessageType::SessionClose:
        // Either way the results so far are done with: a new generation's
        // requests never join a run or take a result of an older one. A run
        // still going finishes for the clients waiting on it; one nobody
        // waits for (the rest of a group whose asked-for case was answered)
        // is stopped, so no work outlives the invocation that asked for it.
        m_results.clear();
        ++m_generation;
        m_sessionClosed = message.type == protocol::MessageType::SessionClose;
        abandonUnwaitedRuns();
        client->send({protocol::MessageType::SessionAck, protocol::SessionAck {m_generation}.toCbor()});
        return;
    default:
        error = QStringLiteral("unexpected %1").arg(protocol::messageTypeName(message.type));
        break;
    }
    qCWarning(lcDaemon).noquote() << "dropping client" << client->peerDescription() << ":" << error;
    client->close();
}

void CaseService::abandonUnwaitedRuns()
{
    QSet<QString> waitedFor;
    for (const QVector<Waiter> &waiters : qAsConst(m_waiters)) {
        for (const Waiter &waiter : waiters) {
            if (waiter.client)
                waitedFor.insert(waiter.group);
        }
    }
    const QList<QString> runs = m_running.keys();
    for (const QString &run : runs) {
        if (waitedFor.contains(run))
            continue;
        qCDebug(lcDaemon) << "stopping a group run nobody waits for";
        if (RunController *controller = m_running.value(run))
            controller->abandon();
    }
}

void CaseService::request(protocol::Connection *client, const protocol::CaseRequest &request)
{
    // Everything that decides how the group's process is started is part of
    // the run's identity: the same group asked for differently runs apart.
    // So is the executable file as it is on disk now (a rebuild makes a new
    // one) and the session: a case is answered only by a run of the build
    // its client sees, started in its own ctest invocation.
    const QString run = QStringList {request.executable, executableIdentity(request.executable), request.framework,
        request.groupBy, request.group, request.workingDirectory, request.extraArguments.join(QLatin1Char('\x1e')),
        QString::number(request.timeoutSeconds), QString::number(m_generation)}
                            .join(QLatin1Char('\x1f'));
    const QString key = resultKey(run, request.selector);
    const auto known = m_results.constFind(key);
    if (known != m_results.constEnd())
        return answer(client, request.selector, *known);
    m_waiters[key].append({client, request.selector, run});
    if (m_running.contains(run))
        return;

    RunOptions options;
    options.executables = QStringList {request.executable};
    options.framework = request.framework;
    options.groupBySet = groupByFromName(request.groupBy, &options.groupBy);
    options.onlyGroup = request.group;
    options.workingDirectory = request.workingDirectory;
    options.extraArguments = request.extraArguments;
    for (auto it = request.environment.constBegin(); it != request.environment.constEnd(); ++it)
        options.environment.append(it.key() + QLatin1Char('=') + it.value());
    options.timeoutSeconds = request.timeoutSeconds;
    options.jobs = 1;
    options.console.quiet = true;
    options.workerProgram = m_workerProgram;
    auto *controller = new RunController(options, &m_discard, m_err, this);
    m_running.insert(run, controller);
    connect(controller, &RunController::caseCompleted, this,
        [this, run](const TestCase &testCase, const CaseResult &result) { caseCompleted(run, testCase, result); });
    connect(controller, &RunController::finished, this, [this, run] { groupFinished(run); });
    qCDebug(lcDaemon).noquote() << "running group" << request.group << "of" << request.executable;
    controller->start();
}

void CaseService::caseCompleted(const QString &run, const TestCase &testCase, const CaseResult &result)
{
    if (testCase.selector.isEmpty()) {
        // The executable could not be listed (missing, not a test program):
        // that is the answer for every case waiting on this run.
        m_runErrors.insert(run, result);
        return;
    }
    const QString key = resultKey(run, testCase.selector);
    m_results.insert(key, result);
    const QVector<Waiter> waiters = m_waiters.take(key);
    for (const Waiter &waiter : waiters) {
        if (waiter.client)
            answer(waiter.client, testCase.selector, result);
    }
}

void CaseService::groupFinished(const QString &run)
{
    if (RunController *controller = m_running.take(run))
        controller->deleteLater();
    qCDebug(lcDaemon) << "group run finished;" << m_running.size() << "running," << m_clients.size() << "clients";
    // Whoever still waits on this run asked for a case the group does not
    // have (a stale registration): say so instead of leaving it hanging.
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        QVector<Waiter> remaining;
        for (const Waiter &waiter : qAsConst(it.value())) {
            if (waiter.group != run) {
                remaining.append(waiter);
                continue;
            }
            CaseResult missing = m_runErrors.value(run);
            missing.status = Status::NotRun;
            if (missing.message.isEmpty()) {
                missing.message = QStringLiteral("ctestd: the executable has no case '%1' in this fixture group; "
                                                 "rebuild so the test list is discovered again")
                                      .arg(waiter.selector);
            }
            if (waiter.client)
                answer(waiter.client, waiter.selector, missing);
        }
        if (remaining.isEmpty()) {
            it = m_waiters.erase(it);
        } else {
            it.value() = remaining;
            ++it;
        }
    }
    m_runErrors.remove(run);
    scheduleIdleExit();
}

void CaseService::answer(protocol::Connection *client, const QString &selector, const CaseResult &result)
{
    protocol::CaseAnswer answer;
    answer.selector = selector;
    answer.status = result.status;
    answer.seconds = result.seconds;
    answer.message = result.message;
    answer.reason = result.reason;
    answer.signal = result.signal;
    answer.output = result.stdOut + result.stdErr;
    client->send({protocol::MessageType::CaseAnswer, answer.toCbor()});
}

void CaseService::scheduleIdleExit()
{
    qCDebug(lcDaemon) << "idle check:" << m_running.size() << "running," << m_clients.size() << "clients, session"
                      << (m_sessionClosed ? "closed" : "open");
    if (m_clients.isEmpty() && m_running.isEmpty())
        m_idleTimer.start(m_sessionClosed ? ClosedExitMs : IdleExitMs);
}

} // namespace ctestd
