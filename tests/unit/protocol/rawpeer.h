// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// Test helpers that speak the protocol by hand, without Connection, so that
// a test can play a worker or a daemon that misbehaves on purpose. They are
// deliberately simple: one socket, frames collected as they arrive.

#include "protocol/frame.h"
#include "protocol/frameseal.h"
#include "protocol/handshake.h"
#include "protocol/server.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <memory>
#include <vector>

namespace ctestd::protocol::test {

inline Message makeMessage(MessageType type, const QCborMap &body)
{
    Message m;
    m.type = type;
    m.body = body;
    return m;
}

class RawPeer {
public:
    explicit RawPeer(QIODevice *socket)
        : m_socket(socket)
    {
        QObject::connect(m_socket.get(), &QIODevice::readyRead, m_socket.get(), [this] { read(); });
        const auto onDisconnected = [this] {
            read();
            disconnected = true;
        };
        if (auto *local = qobject_cast<QLocalSocket *>(m_socket.get()))
            QObject::connect(local, &QLocalSocket::disconnected, m_socket.get(), onDisconnected);
        else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket.get()))
            QObject::connect(tcp, &QAbstractSocket::disconnected, m_socket.get(), onDisconnected);
    }

    ~RawPeer() { m_socket->disconnect(); } // no slots into a half-destroyed peer
    RawPeer(const RawPeer &) = delete;
    RawPeer &operator=(const RawPeer &) = delete;

    // Connects (blocking, fine for loopback) to "local:..." or "tcp:...".
    static std::unique_ptr<RawPeer> connectTo(const QString &address)
    {
        const auto parsed = parseDaemonAddress(address, nullptr);
        if (!parsed)
            return nullptr;
        if (parsed->kind == DaemonAddress::Kind::Local) {
            auto *socket = new QLocalSocket;
            socket->connectToServer(parsed->path);
            if (!socket->waitForConnected(5000)) {
                delete socket;
                return nullptr;
            }
            return std::make_unique<RawPeer>(socket);
        }
        auto *socket = new QTcpSocket;
        socket->connectToHost(parsed->host, parsed->port);
        if (!socket->waitForConnected(5000)) {
            delete socket;
            return nullptr;
        }
        return std::make_unique<RawPeer>(socket);
    }

    void sendRaw(const QByteArray &bytes) { m_socket->write(bytes); }
    // As a real peer sends it: sealed on TCP once authenticated.
    void send(const Message &message) { sendSealed(encodeFrame(message)); }
    // Seals each whole frame in `bytes` when the connection is sealed (a
    // trailing partial frame, or a header alone, goes as it is): a test's
    // bad frame then reaches the receiver's decoding, not its MAC check.
    void sendSealed(const QByteArray &bytes)
    {
        if (!m_seal)
            return sendRaw(bytes);
        QByteArray out;
        qsizetype at = 0;
        while (bytes.size() - at >= 4) {
            const quint32 length = qFromBigEndian<quint32>(bytes.constData() + at);
            if (length == 0 || bytes.size() - at - 4 < qsizetype(length))
                break;
            out += m_seal->seal(bytes.mid(at, 4 + qsizetype(length)));
            at += 4 + qsizetype(length);
        }
        m_lastSent = out + bytes.mid(at);
        sendRaw(m_lastSent);
    }
    bool isSealed() const { return m_seal != nullptr; }
    // `frame` sealed with this connection's next sequence number, not sent.
    QByteArray sealNext(const QByteArray &frame) { return m_seal->seal(frame); }
    // `frame` sealed as `sender`'s first frame on this connection.
    QByteArray sealAs(Role sender, const QByteArray &frame) { return FrameSeal(m_sessionKey, sender).seal(frame); }
    // The bytes of the last send() or sendSealed().
    QByteArray lastSent() const { return m_lastSent; }
    bool isTcp() const { return qobject_cast<QAbstractSocket *>(m_socket.get()) != nullptr; }
    void send(MessageType type, const QCborMap &body) { send(makeMessage(type, body)); }

    // Waits until `count` messages have arrived in total.
    bool waitForMessages(int count, int timeout = 5000)
    {
        return QTest::qWaitFor([&] { return received.size() >= count || disconnected; }, timeout)
            && received.size() >= count;
    }
    bool waitForDisconnected(int timeout = 5000)
    {
        return QTest::qWaitFor([&] { return disconnected; }, timeout);
    }

    // Runs the worker's side of the handshake with `key`.
    bool authenticateAsWorker(const QByteArray &key)
    {
        Handshake handshake(Role::Worker, key);
        handshake.start();
        const int seen = received.size();
        if (!waitForMessages(seen + 1))
            return false;
        Handshake::Step step = handshake.handle(received.at(seen));
        if (!step.error.isEmpty() || !step.reply)
            return false;
        send(*step.reply);
        // Both nonces are known: frames after the Welcome are sealed on TCP.
        if (qobject_cast<QAbstractSocket *>(m_socket.get())) {
            m_sessionKey = handshake.sessionKey();
            m_seal = std::make_unique<FrameSeal>(m_sessionKey, Role::Worker);
            m_sealReaderAfter = seen + 2;
            m_pendingSeal = m_seal.get();
        }
        if (!waitForMessages(seen + 2))
            return false;
        step = handshake.handle(received.at(seen + 1));
        return step.error.isEmpty() && step.done;
    }

    // Runs the daemon's side of the handshake with `key`.
    bool authenticateAsDaemon(const QByteArray &key)
    {
        Handshake handshake(Role::Daemon, key);
        Handshake::Step step = handshake.start();
        send(*step.reply);
        const int seen = received.size();
        if (!waitForMessages(seen + 1))
            return false;
        step = handshake.handle(received.at(seen));
        if (step.reply)
            send(*step.reply);
        if (step.done && qobject_cast<QAbstractSocket *>(m_socket.get())) {
            m_sessionKey = handshake.sessionKey();
            m_seal = std::make_unique<FrameSeal>(m_sessionKey, Role::Daemon);
            m_reader.setSeal(m_seal.get());
        }
        return step.error.isEmpty() && step.done;
    }

    void abort()
    {
        if (auto *local = qobject_cast<QLocalSocket *>(m_socket.get()))
            local->abort();
        else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket.get()))
            tcp->abort();
    }

    QVector<Message> received;
    QString frameError;
    bool disconnected = false;

private:
    void read()
    {
        if (m_socket->bytesAvailable() <= 0)
            return;
        m_reader.append(m_socket->readAll());
        for (;;) {
            Message message;
            const FrameReader::Result result = m_reader.next(&message, &frameError);
            if (result != FrameReader::Result::Frame)
                return;
            received.append(message);
            if (m_pendingSeal && received.size() == m_sealReaderAfter) {
                m_reader.setSeal(m_pendingSeal);
                m_pendingSeal = nullptr;
            }
        }
    }

    std::unique_ptr<QIODevice> m_socket;
    FrameReader m_reader;
    std::unique_ptr<FrameSeal> m_seal; // TCP, once authenticated
    QByteArray m_sessionKey;
    QByteArray m_lastSent;
    FrameSeal *m_pendingSeal = nullptr; // the reader's, from frame m_sealReaderAfter on
    int m_sealReaderAfter = 0;
};

// A listening end that is not the ctestd daemon: it hands out RawPeers, so
// the test decides what the "daemon" says.
class FakeDaemon {
public:
    bool listen(const QString &transport)
    {
        if (transport == QLatin1String("local")) {
            m_local = std::make_unique<QLocalServer>();
            if (!m_local->listen(m_directory.path() + QStringLiteral("/fake.sock")))
                return false;
            QObject::connect(m_local.get(), &QLocalServer::newConnection, m_local.get(), [this] {
                while (QLocalSocket *socket = m_local->nextPendingConnection()) {
                    socket->setParent(nullptr);
                    peers.push_back(std::make_unique<RawPeer>(socket));
                }
            });
            return true;
        }
        m_tcp = std::make_unique<QTcpServer>();
        if (!m_tcp->listen(QHostAddress::LocalHost, 0))
            return false;
        QObject::connect(m_tcp.get(), &QTcpServer::newConnection, m_tcp.get(), [this] {
            while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
                socket->setParent(nullptr);
                peers.push_back(std::make_unique<RawPeer>(socket));
            }
        });
        return true;
    }

    QString address() const
    {
        if (m_local)
            return QStringLiteral("local:") + m_local->fullServerName();
        return formatTcpAddress(QStringLiteral("127.0.0.1"), m_tcp->serverPort());
    }

    RawPeer *waitForPeer()
    {
        if (!QTest::qWaitFor([this] { return !peers.empty(); }, 5000))
            return nullptr;
        return peers.front().get();
    }

    std::vector<std::unique_ptr<RawPeer>> peers;

private:
    QTemporaryDir m_directory;
    std::unique_ptr<QLocalServer> m_local;
    std::unique_ptr<QTcpServer> m_tcp;
};

} // namespace ctestd::protocol::test
