// SPDX-License-Identifier: BSD-3-Clause
#include "worker.h"

#include "hookrunner.h"
#include "model/buildidentity.h"
#include "model/logging.h"
#include "orphanreaper.h"
#include "protocol/connection.h"
#include "protocol/server.h"
#include "unitrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostInfo>
#include <QRandomGenerator>

namespace ctestd {

Worker::Worker(const QString &address, const QByteArray &key, qint64 launchId, QObject *parent)
    : QObject(parent)
    , m_address(address)
    , m_key(key)
    , m_launchId(launchId)
{ }

Worker::~Worker()
{
    delete m_runner; // kills its test's process group
}

bool Worker::start(QString *error)
{
    // Children a test moved out of its process group come to us, not init,
    // when their parent exits, so that they die with the test.
    QString reaperError;
    if (!OrphanReaper::adopt(&reaperError))
        qCWarning(lcWorker).noquote() << reaperError;
    if (m_silenceLimitMs > 0) {
        m_silence.setSingleShot(true);
        m_silence.setInterval(m_silenceLimitMs);
        connect(&m_silence, &QTimer::timeout, this,
            [this] { stop(3, QStringLiteral("no word from the daemon for %1 s").arg(m_silenceLimitMs / 1000.0)); });
        m_silence.start();
    }
    return connectToDaemon(error);
}

namespace {

// A failure that another attempt may not meet: the daemon was busy with
// other peers' handshakes (it refuses the oldest when all its slots are
// taken), or the network hiccuped. A wrong key or version is final.
bool isTransient(const QString &reason)
{
    return reason.contains(QLatin1String("closed the connection during the handshake"))
        || reason.startsWith(QLatin1String("cannot connect to"))
        || reason.startsWith(QLatin1String("no handshake within"))
        || reason.contains(QLatin1String("too many unauthenticated connections"));
}

constexpr int MaxConnectAttempts = 8;

} // namespace

bool Worker::connectToDaemon(QString *error)
{
    ++m_connectAttempts;
    m_connection = protocol::connectToDaemon(m_address, m_key, this, error);
    if (!m_connection)
        return false;
    connect(m_connection, &protocol::Connection::authenticated, this, [this] {
        protocol::Ready ready;
        ready.pid = QCoreApplication::applicationPid();
        ready.host = QHostInfo::localHostName();
        ready.launch = m_launchId;
        m_connection->send({protocol::MessageType::Ready, ready.toCbor()});
    });
    connect(m_connection, &protocol::Connection::messageReceived, this, &Worker::handleMessage);
    protocol::Connection *connection = m_connection;
    connect(m_connection, &protocol::Connection::failed, this, [this, connection](const QString &reason) {
        if (!connection->isAuthenticated() && isTransient(reason) && m_connectAttempts < MaxConnectAttempts) {
            // Again, after a growing pause with some jitter, so that the
            // workers a flood locked out do not come back all at once.
            disconnect(connection, nullptr, this, nullptr);
            connection->deleteLater();
            m_connection = nullptr;
            const int pause
                = qMin(2000, 100 << (m_connectAttempts - 1)) + int(QRandomGenerator::global()->bounded(100));
            qCDebug(lcWorker).noquote() << "connection failed:" << reason << "- trying again in" << pause << "ms";
            QTimer::singleShot(pause, this, [this] {
                QString failure;
                if (!m_stopped && !connectToDaemon(&failure))
                    stop(2, failure);
            });
            return;
        }
        stop(2, QStringLiteral("connection failed: %1").arg(reason));
    });
    connect(m_connection, &protocol::Connection::disconnected, this,
        [this] { stop(m_runner ? 3 : 0, QStringLiteral("the daemon closed the connection")); });
    return true;
}

void Worker::handleMessage(const protocol::Message &message)
{
    if (m_silence.isActive())
        m_silence.start();
    switch (message.type) {
    case protocol::MessageType::Ping:
        m_connection->send({protocol::MessageType::Pong, {}});
        return;
    case protocol::MessageType::WorkerSetup: {
        const auto *setup = std::get_if<protocol::WorkerSetup>(&message.fields);
        if (!setup)
            return stop(2, QStringLiteral("protocol error: WorkerSetup without its fields"));
        if (m_runner || m_hook)
            return stop(2, QStringLiteral("protocol error: WorkerSetup while the worker is busy"));
        return handleSetup(*setup);
    }
    case protocol::MessageType::RunUnit: {
        const auto *unit = std::get_if<protocol::RunUnit>(&message.fields);
        if (!unit)
            return stop(2, QStringLiteral("protocol error: RunUnit without its fields"));
        if (m_runner || m_hook)
            return stop(2, QStringLiteral("protocol error: RunUnit %1 while the worker is busy").arg(unit->unit));
        return runUnit(*unit);
    }
    case protocol::MessageType::Shutdown:
        return stop(0, QString());
    default:
        return stop(
            2, QStringLiteral("protocol error: unexpected %1 message").arg(protocol::messageTypeName(message.type)));
    }
}

void Worker::runUnit(const protocol::RunUnit &unit)
{
    if (!unit.build.isEmpty()) {
        // On another host the path may hold another build, or nothing
        // (a file system not mounted): its results would not be the
        // listed build's. Nothing runs; the daemon goes elsewhere.
        QString error;
        const QString here = cachedBuildIdentity(unit.executable, &error);
        QString refused;
        if (here.isEmpty())
            refused = QStringLiteral("cannot read %1 here: %2 (is the build tree at the same path on this host?)")
                          .arg(unit.executable, error);
        else if (here != unit.build)
            refused = QStringLiteral("%1 is another build here (%2, the coordinator listed %3)")
                          .arg(unit.executable, here, unit.build);
        if (!refused.isEmpty()) {
            protocol::UnitFinished finished;
            finished.unit = unit.unit;
            finished.exitCode = -1;
            finished.refused = refused;
            m_connection->send({protocol::MessageType::UnitFinished, finished.toCbor()});
            return;
        }
    }
    m_runner = new UnitRunner(unit, this);
    m_runner->setWorkerSpace(&m_space, m_setup.isolateWorkdir);
    connect(m_runner, &UnitRunner::messages, this, [this](const QVector<protocol::Message> &events) {
        if (m_connection)
            m_connection->send(events);
    });
    connect(m_runner, &UnitRunner::finished, this, [this] {
        if (m_runner)
            m_runner->deleteLater();
        m_runner = nullptr;
    });
    m_runner->start();
}

void Worker::handleSetup(const protocol::WorkerSetup &setup)
{
    m_setup = setup;
    m_toldWhoItIs = true;
    protocol::HookFinished result;
    result.hook = QStringLiteral("setup");
    if (!m_space.prepare(setup.id, setup.count, setup.keepTmp, &result.error))
        return sendHookResult(result);
    result.tmpDir = m_space.tmpDir();
    // Once in the worker's life: a worker a later run takes from the
    // daemon's reserve is set up already.
    if (setup.setup.isEmpty() || m_setupRan)
        return sendHookResult(result);
    m_setupRan = true;
    m_hook = new HookRunner(this);
    connect(m_hook, &HookRunner::finished, this, [this](protocol::HookFinished finished) {
        m_hook->deleteLater();
        m_hook = nullptr;
        // What the setup left running (a server for the tests) is not a
        // test's leftover: the reaper leaves it to the teardown.
        OrphanReaper::spareChildren();
        finished.tmpDir = m_space.tmpDir();
        sendHookResult(finished);
    });
    m_hook->start(result.hook, setup.setup, hookEnvironment(), m_space.workDir(), setup.hookTimeoutSeconds);
}

QProcessEnvironment Worker::hookEnvironment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The worker's key must not leak into what the user's commands run.
    environment.remove(QStringLiteral("CTESTD_KEY"));
    m_space.addTo(&environment);
    return environment;
}

void Worker::sendHookResult(const protocol::HookFinished &result)
{
    if (!result.failed())
        qCDebug(lcWorker).noquote() << "worker" << m_space.id() << result.hook
                                    << (result.ran ? "ran" : "had nothing to run");
    if (m_connection)
        m_connection->send({protocol::MessageType::HookFinished, result.toCbor()});
}

void Worker::stop(int exitCode, const QString &reason)
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_silence.stop();
    if (!reason.isEmpty())
        qCWarning(lcWorker).noquote() << "worker" << QCoreApplication::applicationPid() << "stops:" << reason;
    if (m_runner && exitCode == 0)
        m_runner->abandon(); // told to stop: what ran so far still counts
    delete m_runner;
    delete m_hook; // a setup still running: killed, and its teardown runs
    // The teardown runs however the worker stops (the run's end, Ctrl-C, a
    // lost daemon), once it was told who it is: it may undo a setup that
    // failed halfway, as ctest runs cleanup fixtures after a failed setup.
    if (!m_toldWhoItIs || m_setup.teardown.isEmpty())
        return finishStop(exitCode);
    m_hook = new HookRunner(this);
    connect(m_hook, &HookRunner::finished, this, [this, exitCode](const protocol::HookFinished &finished) {
        sendHookResult(finished);
        if (finished.failed())
            qCWarning(lcWorker).noquote() << "worker" << m_space.id() << "teardown failed";
        finishStop(exitCode);
    });
    m_hook->start(
        QStringLiteral("teardown"), m_setup.teardown, hookEnvironment(), m_space.workDir(), m_setup.hookTimeoutSeconds);
}

void Worker::finishStop(int exitCode)
{
    // Before the connection closes: the daemon may kill a worker that hung up.
    qCDebug(lcWorker) << "worker" << QCoreApplication::applicationPid() << "peak RSS" << peakResidentKiB() << "KiB";
    m_space.remove();
    if (m_connection)
        m_connection->close();
    Q_EMIT done(exitCode);
}

} // namespace ctestd
