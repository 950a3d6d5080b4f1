// SPDX-License-Identifier: BSD-3-Clause
#include "caseclient.h"

#include "frameworks/adapter.h"
#include "frameworks/detection.h"
#include "frameworks/registry.h"
#include "protocol/connection.h"
#include "protocol/handshake.h"
#include "protocol/server.h"
#include "servelock.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QLockFile>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>
#include <vector>

namespace ctestd {

namespace {
constexpr int StartTimeoutMs = 15000;
constexpr int RetryMs = 50;

// Whether a daemon holds the tree's serve lock, without connecting to it (a
// connection that gives up in the handshake is logged as refused).
bool daemonAlive(const ServiceLocation &location)
{
    return ServeLock::isHeld(location.serveLockPath);
}
} // namespace

CaseClient::CaseClient(const ServiceLocation &location, const protocol::CaseRequest &request,
    const QString &selfProgram, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_location(location)
    , m_request(request)
    , m_selfProgram(selfProgram)
    , m_out(out)
    , m_err(err)
{ }

bool CaseClient::ensureDaemon(QString *error)
{
    const QString logPath = m_location.stateDirectory + QStringLiteral("/serve.log");
    qint64 logStart = -1; // where this client's daemon starts writing its log
    // A daemon that cannot start says why in its log and exits: pass that on
    // instead of waiting for nothing.
    const auto startFailure = [&]() -> QString {
        QFile log(logPath);
        if (logStart < 0 || !log.open(QIODevice::ReadOnly) || !log.seek(logStart))
            return QString();
        const QByteArray added = log.readAll();
        const int at = added.indexOf("ctestd serve: ");
        return at < 0 ? QString() : QString::fromUtf8(added.mid(at + 14).split('\n').value(0));
    };
    const auto waitFor = [&](const auto &ready) {
        while (m_clock.elapsed() < StartTimeoutMs && !ready()) {
            if (const QString failure = startFailure(); !failure.isEmpty()) {
                *error = failure;
                return false;
            }
            QThread::msleep(RetryMs);
        }
        return ready();
    };

    if (!daemonAlive(m_location)) {
        // Two clients may find no daemon at the same moment: the one holding
        // the lock starts it, the other finds it alive once it gets the lock.
        if (!QDir().mkpath(m_location.stateDirectory)) {
            *error = QStringLiteral("cannot create %1").arg(m_location.stateDirectory);
            return false;
        }
        QLockFile lock(m_location.startLockPath);
        lock.setStaleLockTime(0);
        if (!lock.tryLock(StartTimeoutMs)) {
            *error = QStringLiteral("cannot lock %1 to start the daemon").arg(m_location.startLockPath);
            return false;
        }
        if (!daemonAlive(m_location)) {
            // The daemon must not hold this client's stdout or stderr: ctest
            // reads a test's output until every writer has closed it, so the
            // first case would last as long as the daemon. It logs to a file.
            logStart = QFileInfo(logPath).size();
            QProcess daemon;
            daemon.setProgram(m_selfProgram);
            daemon.setArguments({QStringLiteral("serve"), QStringLiteral("--build-dir"), m_location.buildDirectory});
            daemon.setStandardInputFile(QProcess::nullDevice());
            daemon.setStandardOutputFile(QProcess::nullDevice());
            daemon.setStandardErrorFile(logPath, QIODevice::Append);
            daemon.setWorkingDirectory(m_location.buildDirectory);
            if (!daemon.startDetached()) {
                *error = QStringLiteral("cannot start %1 serve: %2").arg(m_selfProgram, daemon.errorString());
                return false;
            }
        }
        if (!waitFor([this] { return daemonAlive(m_location); }) && !error->isEmpty())
            return false;
    }
    // Alive; it names its socket once it listens.
    if (waitFor([this] { return QFileInfo::exists(m_location.socketNamePath); }))
        return true;
    if (error->isEmpty()) {
        *error = QStringLiteral("the daemon for %1 did not start listening within %2 s (see %3)")
                     .arg(m_location.buildDirectory)
                     .arg(StartTimeoutMs / 1000)
                     .arg(logPath);
    }
    return false;
}

bool CaseClient::runsDirectly()
{
    if (qEnvironmentVariable("CTESTD_DIRECT") == QLatin1String("1"))
        return true;
    // Under gdb, strace or an IDE's debugger: the case must run in this very
    // process for breakpoints to hit.
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("TracerPid:"))
            return line.mid(10).trimmed().toLongLong() != 0;
    }
    return false;
}

void CaseClient::execDirectly()
{
    QString framework = m_request.framework;
    if (framework == QLatin1String("auto"))
        framework = detectFramework(m_request.executable);
    const std::unique_ptr<FrameworkAdapter> adapter = createFrameworkAdapter(framework);
    if (!adapter)
        return fail(QStringLiteral("unknown framework '%1'").arg(framework));

    // Helper files a framework's selection may need (a test-spec file) live
    // in a folder named after this process, which the exec keeps; folders
    // of processes that have ended are removed first.
    const QString base = m_location.stateDirectory + QStringLiteral("/direct");
    const QDir directs(base);
    for (const QString &entry : directs.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (!QFileInfo::exists(QStringLiteral("/proc/") + entry))
            QDir(directs.filePath(entry)).removeRecursively();
    }
    const QString scratch = base + QLatin1Char('/') + QString::number(QCoreApplication::applicationPid());
    if (!QDir().mkpath(scratch))
        return fail(QStringLiteral("cannot create %1").arg(scratch));

    FrameworkAdapter::RunSpec spec;
    QString error;
    if (!adapter->prepareDirectRun(m_request.executable, m_request.selector, scratch, &spec, &error))
        return fail(error);
    for (const QString &name : qAsConst(spec.unsetEnvironment))
        qunsetenv(name.toLocal8Bit().constData());
    for (auto it = spec.environment.cbegin(); it != spec.environment.cend(); ++it)
        qputenv(it.key().toLocal8Bit().constData(), it.value().toLocal8Bit());
    if (!m_request.workingDirectory.isEmpty() && !QDir::setCurrent(m_request.workingDirectory))
        return fail(QStringLiteral("cannot change into %1").arg(m_request.workingDirectory));

    const QStringList arguments = spec.arguments + m_request.extraArguments;
    std::vector<QByteArray> storage;
    // Under its launcher, as ctest runs a test under its emulator: a cross
    // build's executable does not run here on its own.
    for (const QString &word : qAsConst(m_request.launcher))
        storage.push_back(word.toLocal8Bit());
    storage.push_back(QFile::encodeName(m_request.executable));
    for (const QString &argument : arguments)
        storage.push_back(argument.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &argument : storage)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    m_out->write(QStringLiteral("ctestd case: running %1 directly\n").arg(m_request.executable).toUtf8());
    // stdout is a FILE underneath: what it buffers would not survive the exec.
    std::fflush(stdout);
    std::fflush(stderr);
    ::execvp(argv[0], argv.data());
    fail(QStringLiteral("cannot run %1: %2").arg(m_request.executable, QString::fromLocal8Bit(::strerror(errno))));
}

void CaseClient::start()
{
    m_clock.start();
    if (runsDirectly())
        return execDirectly();
    QString error;
    if (!ensureDaemon(&error))
        return fail(error);
    connectToDaemon();
}

void CaseClient::connectToDaemon()
{
    QString error;
    QFile keyFile(m_location.keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return fail(
            QStringLiteral("cannot read the daemon's key %1: %2").arg(m_location.keyPath, keyFile.errorString()));
    const QByteArray key = protocol::keyFromHex(keyFile.readAll().trimmed(), &error);
    if (key.isEmpty())
        return fail(error);
    // Read again on every try: a daemon that just started replaces it (it
    // removes its dead predecessor's first, so it may be missing a moment).
    QFile nameFile(m_location.socketNamePath);
    if (!nameFile.open(QIODevice::ReadOnly)) {
        if (m_clock.elapsed() < StartTimeoutMs) {
            QTimer::singleShot(RetryMs, this, &CaseClient::connectToDaemon);
            return;
        }
        return fail(QStringLiteral("cannot read the daemon's socket name %1: %2")
                        .arg(m_location.socketNamePath, nameFile.errorString()));
    }
    const QString socketPath = QFile::decodeName(nameFile.readLine().trimmed());
    m_connection = protocol::connectToDaemon(QStringLiteral("local:") + socketPath, key, this, &error);
    if (!m_connection)
        return fail(error);
    connect(m_connection, &protocol::Connection::authenticated, this, &CaseClient::connected);
    connect(m_connection, &protocol::Connection::messageReceived, this, &CaseClient::handleMessage);
    // A connection given up on may still report its end: only the current
    // one counts.
    protocol::Connection *connection = m_connection;
    connect(m_connection, &protocol::Connection::failed, this, [this, connection](const QString &reason) {
        if (connection != m_connection)
            return;
        // A daemon that is just starting (or a socket file its dead
        // predecessor left) refuses at first: try again while there is time.
        // Once connected, a failure is final: the daemon is gone.
        if (retryBeforeAsking())
            return;
        fail(m_wasConnected ? daemonLostMessage(reason) : reason);
    });
    connect(m_connection, &protocol::Connection::disconnected, this, [this, connection] {
        // The connection is closed by now, so isAuthenticated() no longer
        // tells; a daemon killed while this client waits lands here.
        if (m_done || connection != m_connection)
            return;
        // Closed in the handshake (a daemon that just replaced a dead one
        // refused the key this client read a moment before it wrote its
        // own), or before the daemon accepted the request (it was leaving
        // as this client connected): nothing was served, so ask again.
        if (retryBeforeAsking())
            return;
        // An accepted request is not repeated: its daemon died while the
        // case ran, and that is the answer.
        fail(daemonLostMessage(QStringLiteral("it closed the connection")));
    });
}

bool CaseClient::retryBeforeAsking()
{
    if (m_accepted || m_clock.elapsed() >= StartTimeoutMs)
        return false;
    m_connection->deleteLater();
    m_connection = nullptr;
    m_wasConnected = false;
    // The daemon may have been leaving (idle): if it has gone, start the
    // next one.
    QTimer::singleShot(RetryMs, this, [this] {
        QString error;
        if (!ensureDaemon(&error))
            return fail(error);
        connectToDaemon();
    });
    return true;
}

QString CaseClient::daemonLostMessage(const QString &reason) const
{
    return QStringLiteral("the daemon for %1 went away before answering (%2); see %3")
        .arg(m_location.buildDirectory, reason, m_location.stateDirectory + QStringLiteral("/serve.log"));
}

void CaseClient::connected()
{
    m_wasConnected = true;
    m_connection->send({protocol::MessageType::CaseRequest, m_request.toCbor()});
}

void CaseClient::handleMessage(const protocol::Message &message)
{
    if (message.type == protocol::MessageType::CaseAccepted && !m_accepted) {
        m_accepted = true;
        return;
    }
    const auto *answer = std::get_if<protocol::CaseAnswer>(&message.fields);
    if (!answer)
        return fail(QStringLiteral("unexpected %1").arg(protocol::messageTypeName(message.type)));
    m_done = true;
    m_out->write(answer->output);
    if (!answer->output.isEmpty() && !answer->output.endsWith('\n'))
        m_out->write("\n");
    if (!answer->note.isEmpty())
        m_err->write(answer->note.toUtf8() + '\n');
    Q_EMIT done(answer->exitCode);
}

void CaseClient::fail(const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    m_err->write(QStringLiteral("ctestd case: %1\n").arg(message).toUtf8());
    Q_EMIT done(1);
}

} // namespace ctestd
