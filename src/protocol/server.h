// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// The daemon's listening end, and the worker's way to connect back
// (src/PROTOCOL.md, "Startup"). Addresses are written
//
//   local:<absolute path of the socket>
//   tcp:<host>:<port>          (IPv6 hosts in brackets: tcp:[::1]:4711)

#include "protocol/connection.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>

#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QLocalServer;
class QTcpServer;
class QTemporaryDir;
QT_END_NAMESPACE

namespace ctestd::protocol {

// Longest socket path a Unix socket takes (sun_path holds 108 bytes with the NUL).
constexpr int MaxLocalSocketPathLength = 107;
// Connections still in the handshake. When a new one comes and all are
// taken, the oldest is refused to make room: a worker answers the
// Challenge within milliseconds, so the oldest is the likeliest to be a
// peer that never will (a flood of idle connections must not lock the
// run's own workers out).
constexpr int MaxUnauthenticatedConnections = 64;

// Accepts workers. Every accepted socket becomes a Connection in the Daemon
// role; those that authenticate are handed out with connectionReady(), the
// others are logged, reported with connectionRejected() and deleted.
class Server : public QObject {
    Q_OBJECT

public:
    explicit Server(const QByteArray &key, QObject *parent = nullptr);
    ~Server() override; // stops listening and removes the socket directory

    // Listens on "daemon.sock" in a new private (0700) directory under
    // $XDG_RUNTIME_DIR, or the temporary directory if that is not set.
    [[nodiscard]] bool listenLocal(QString *error);
    // Also listens on "case.sock" next to "daemon.sock" (after
    // listenLocal()), for `ctestd case` clients: a peer whose user is this
    // process's (SO_PEERCRED) is authenticated by that and the private
    // directory, without the key's handshake, so that a client needs no
    // cryptography (src/PROTOCOL.md, "Clients of ctestd serve"); any
    // other peer is refused.
    [[nodiscard]] bool listenLocalForPeers(QString *error);
    // The path of "case.sock"; empty when not listening there.
    QString peerSocketPath() const;

    // Listens on a TCP port; port 0 picks a free one.
    [[nodiscard]] bool listenTcp(const QHostAddress &address, quint16 port, QString *error);

    bool isListening() const;
    // Stops listening everywhere and removes the socket files; connections
    // not accepted yet are reset. Accepted connections stay.
    void close();
    // What workers pass to --connect; empty when not listening.
    QString address() const;
    // The private directory of the local socket; empty for TCP.
    QString socketDirectory() const;

    // The deadline of every new connection's handshake (DefaultHandshakeTimeoutMs).
    void setHandshakeTimeout(int milliseconds) { m_handshakeTimeout = milliseconds; }
    int unauthenticatedConnections() const { return int(m_pending.size()); }

signals:
    // An authenticated connection. It is a child of the server until the
    // receiver reparents it; it has already emitted authenticated().
    void connectionReady(ctestd::protocol::Connection *connection);
    void connectionRejected(const QString &reason);

private:
    bool checkCanListen(QString *error) const;
    bool listenOn(const QString &path, QString *error);
    // A user-only QLocalServer on path whose connections go to accept.
    QLocalServer *listenAt(const QString &path, void (Server::*accept)(), QString *error);
    void acceptLocal();
    void acceptPeers();
    void acceptTcp();
    void adopt(QIODevice *socket, const QString &peer);
    void reject(const QString &peer, const QString &reason);

    QByteArray m_key;
    std::unique_ptr<QTemporaryDir> m_directory;
    QLocalServer *m_localServer = nullptr;
    QLocalServer *m_peerServer = nullptr; // case.sock
    QTcpServer *m_tcpServer = nullptr;
    int m_handshakeTimeout = DefaultHandshakeTimeoutMs;
    QList<Connection *> m_pending; // in the order they arrived
};

struct DaemonAddress {
    enum class Kind { Local, Tcp };
    Kind kind = Kind::Local;
    QString path; // Local
    QString host; // Tcp, without brackets
    quint16 port = 0; // Tcp
};

std::optional<DaemonAddress> parseDaemonAddress(const QString &address, QString *error);
// "tcp:127.0.0.1:4711", "tcp:[::1]:4711"
QString formatTcpAddress(const QString &host, quint16 port);

// The worker's end: a Connection in the Worker role to the daemon at
// `address`. It connects and runs the handshake once control returns to the
// event loop, so connect to its signals first; start() need not be called.
// Nothing (and *error) if the address or the key is not usable.
Connection *connectToDaemon(const QString &address, const QByteArray &key, QObject *parent, QString *error);

} // namespace ctestd::protocol
