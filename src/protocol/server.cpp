// SPDX-License-Identifier: BSD-3-Clause
#include "protocol/server.h"

#include "model/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

namespace ctestd::protocol {

namespace {

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool checkKey(const QByteArray &key, QString *error)
{
    if (key.size() >= MinimumKeySize)
        return true;
    return setError(
        error, QStringLiteral("the key is %1 bytes long; at least %2 are needed").arg(key.size()).arg(MinimumKeySize));
}

} // namespace

Server::Server(const QByteArray &key, QObject *parent)
    : QObject(parent)
    , m_key(key)
{ }

Server::~Server()
{
    close(); // removes the socket files before the directory goes
}

void Server::close()
{
    for (QLocalServer *server : {m_localServer, m_peerServer}) {
        if (server)
            server->close();
    }
    if (m_tcpServer)
        m_tcpServer->close();
}

bool Server::checkCanListen(QString *error) const
{
    if (isListening())
        return setError(error, QStringLiteral("already listening on %1").arg(address()));
    return checkKey(m_key, error);
}

bool Server::listenLocal(QString *error)
{
    if (!checkCanListen(error))
        return false;
    QString base = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (base.isEmpty())
        base = QDir::tempPath();
    auto directory = std::make_unique<QTemporaryDir>(base + QStringLiteral("/ctestd-XXXXXX"));
    if (!directory->isValid())
        return setError(error,
            QStringLiteral("cannot create a socket directory in %1: %2")
                .arg(QDir::toNativeSeparators(base), directory->errorString()));
    // mkdtemp() makes it 0700 already; say so explicitly rather than rely on it.
    if (!QFile::setPermissions(
            directory->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
        return setError(error, QStringLiteral("cannot make %1 private").arg(directory->path()));

    const QString path = directory->path() + QStringLiteral("/daemon.sock");
    if (!listenOn(path, error))
        return false;
    m_directory = std::move(directory);
    return true;
}

bool Server::listenOn(const QString &path, QString *error)
{
    const int length = QFile::encodeName(path).size();
    if (length > MaxLocalSocketPathLength)
        return setError(error,
            QStringLiteral("the socket path %1 is %2 bytes long, but a local socket path can "
                           "have at most %3; point XDG_RUNTIME_DIR or TMPDIR to a shorter "
                           "directory")
                .arg(path)
                .arg(length)
                .arg(MaxLocalSocketPathLength));

    m_localServer = listenAt(path, &Server::acceptLocal, error);
    if (!m_localServer)
        return false;
    qCDebug(lcProtocol).noquote() << "listening on" << address();
    return true;
}

QLocalServer *Server::listenAt(const QString &path, void (Server::*accept)(), QString *error)
{
    auto *server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!server->listen(path)) {
        setError(error, QStringLiteral("cannot listen on %1: %2").arg(path, server->errorString()));
        delete server;
        return nullptr;
    }
    connect(server, &QLocalServer::newConnection, this, accept);
    return server;
}

bool Server::listenLocalForPeers(QString *error)
{
    if (!m_directory || m_peerServer)
        return setError(error, QStringLiteral("listenLocalForPeers() needs the local socket's directory"));
    m_peerServer = listenAt(m_directory->path() + QStringLiteral("/case.sock"), &Server::acceptPeers, error);
    return m_peerServer != nullptr;
}

QString Server::peerSocketPath() const
{
    return m_peerServer ? m_peerServer->fullServerName() : QString();
}

void Server::acceptPeers()
{
    while (QLocalSocket *socket = m_peerServer->nextPendingConnection()) {
        struct ucred peer = {};
        socklen_t size = sizeof peer;
        if (::getsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0
            || peer.uid != ::geteuid()) {
            socket->abort();
            socket->deleteLater();
            reject(
                QStringLiteral("a local peer (uid %1)").arg(peer.uid), QStringLiteral("its user is not this daemon's"));
            continue;
        }
        auto *connection = new Connection(socket, Role::Daemon, m_key, this);
        connection->setPeerDescription(QStringLiteral("a local client (pid %1)").arg(peer.pid));
        connection->startTrusted();
        emit connectionReady(connection);
    }
}

bool Server::listenTcp(const QHostAddress &hostAddress, quint16 port, QString *error)
{
    if (!checkCanListen(error))
        return false;
    auto *server = new QTcpServer(this);
    if (!server->listen(hostAddress, port)) {
        const QString message = QStringLiteral("cannot listen on %1: %2")
                                    .arg(formatTcpAddress(hostAddress.toString(), port), server->errorString());
        delete server;
        return setError(error, message);
    }
    connect(server, &QTcpServer::newConnection, this, &Server::acceptTcp);
    m_tcpServer = server;
    qCDebug(lcProtocol).noquote() << "listening on" << address();
    return true;
}

bool Server::isListening() const
{
    return (m_localServer && m_localServer->isListening()) || (m_tcpServer && m_tcpServer->isListening());
}

QString Server::address() const
{
    if (m_localServer && m_localServer->isListening())
        return QStringLiteral("local:") + m_localServer->fullServerName();
    if (m_tcpServer && m_tcpServer->isListening())
        return formatTcpAddress(m_tcpServer->serverAddress().toString(), m_tcpServer->serverPort());
    return {};
}

QString Server::socketDirectory() const
{
    return m_directory ? m_directory->path() : QString();
}

void Server::acceptLocal()
{
    while (QLocalSocket *socket = m_localServer->nextPendingConnection())
        adopt(socket, QStringLiteral("a local peer"));
}

void Server::acceptTcp()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        const QHostAddress peer = socket->peerAddress();
        adopt(socket, formatTcpAddress(peer.toString(), socket->peerPort()));
    }
}

void Server::adopt(QIODevice *socket, const QString &peer)
{
    if (m_pending.size() >= MaxUnauthenticatedConnections) {
        Connection *oldest = m_pending.takeFirst();
        disconnect(oldest, nullptr, this, nullptr);
        const QString reason = QStringLiteral("too many unauthenticated connections (%1): the oldest makes room")
                                   .arg(MaxUnauthenticatedConnections);
        oldest->refuse(reason);
        oldest->deleteLater();
        reject(oldest->peerDescription(), reason);
    }
    auto *connection = new Connection(socket, Role::Daemon, m_key, this);
    if (connection->peerDescription().isEmpty())
        connection->setPeerDescription(peer);
    connection->setHandshakeTimeout(m_handshakeTimeout);
    m_pending.append(connection);
    connect(connection, &Connection::authenticated, this, [this, connection] {
        m_pending.removeOne(connection);
        disconnect(connection, nullptr, this, nullptr);
        emit connectionReady(connection);
    });
    connect(connection, &Connection::failed, this, [this, connection](const QString &reason) {
        m_pending.removeOne(connection);
        disconnect(connection, nullptr, this, nullptr);
        connection->deleteLater();
        reject(connection->peerDescription(), reason);
    });
    connection->start();
}

void Server::reject(const QString &peer, const QString &reason)
{
    qCWarning(lcProtocol).noquote() << QStringLiteral("refused connection from %1: %2").arg(peer, reason);
    emit connectionRejected(reason);
}

QString formatTcpAddress(const QString &host, quint16 port)
{
    const bool bracket = host.contains(QLatin1Char(':'));
    return QStringLiteral("tcp:%1%2%3:%4")
        .arg(bracket ? QStringLiteral("[") : QString(), host, bracket ? QStringLiteral("]") : QString())
        .arg(port);
}

std::optional<DaemonAddress> parseDaemonAddress(const QString &address, QString *error)
{
    const auto invalid = [&](const QString &why) {
        setError(error, QStringLiteral("invalid daemon address '%1': %2").arg(address, why));
        return std::nullopt;
    };
    DaemonAddress result;
    if (address.startsWith(QLatin1String("local:"))) {
        result.kind = DaemonAddress::Kind::Local;
        result.path = address.mid(6);
        if (result.path.isEmpty())
            return invalid(QStringLiteral("the socket path is empty"));
        return result;
    }
    if (!address.startsWith(QLatin1String("tcp:")))
        return invalid(QStringLiteral("expected local:PATH or tcp:HOST:PORT"));

    const QString rest = address.mid(4);
    QString portText;
    if (rest.startsWith(QLatin1Char('['))) {
        const int close = rest.indexOf(QLatin1Char(']'));
        if (close < 0 || rest.mid(close + 1, 1) != QLatin1String(":"))
            return invalid(QStringLiteral("expected tcp:[IPV6-ADDRESS]:PORT"));
        result.host = rest.mid(1, close - 1);
        portText = rest.mid(close + 2);
    } else {
        const int colon = rest.lastIndexOf(QLatin1Char(':'));
        if (colon < 0)
            return invalid(QStringLiteral("the port is missing"));
        result.host = rest.left(colon);
        portText = rest.mid(colon + 1);
        if (result.host.contains(QLatin1Char(':')))
            return invalid(QStringLiteral("an IPv6 address must be in brackets"));
    }
    if (result.host.isEmpty())
        return invalid(QStringLiteral("the host is empty"));
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return invalid(QStringLiteral("the port must be a number from 1 to 65535"));
    result.kind = DaemonAddress::Kind::Tcp;
    result.port = quint16(port);
    return result;
}

Connection *connectToDaemon(const QString &address, const QByteArray &key, QObject *parent, QString *error)
{
    const auto parsed = parseDaemonAddress(address, error);
    if (!parsed || !checkKey(key, error))
        return nullptr;
    Connection *connection = nullptr;
    if (parsed->kind == DaemonAddress::Kind::Local) {
        auto *socket = new QLocalSocket;
        connection = new Connection(socket, Role::Worker, key, parent);
        QTimer::singleShot(0, socket, [socket, path = parsed->path] { socket->connectToServer(path); });
    } else {
        auto *socket = new QTcpSocket;
        connection = new Connection(socket, Role::Worker, key, parent);
        QTimer::singleShot(
            0, socket, [socket, host = parsed->host, port = parsed->port] { socket->connectToHost(host, port); });
    }
    connection->setPeerDescription(address);
    connection->start();
    return connection;
}

} // namespace ctestd::protocol
