// SPDX-License-Identifier: BSD-3-Clause
#include "protocol/connection.h"

#include "model/logging.h"

#include <QHostAddress>
#include <QLocalSocket>
#include <QPointer>
#include <QTcpSocket>

#ifdef Q_OS_LINUX
#include <sys/socket.h>
#endif

namespace ctestd::protocol {

namespace {

// Read at most this much per step, so a flood from the peer is checked frame
// by frame instead of being buffered whole.
constexpr qint64 ReadChunkSize = 64 * 1024;

QString roleName(Role role)
{
    return role == Role::Daemon ? QStringLiteral("daemon") : QStringLiteral("worker");
}

QString describeTcpPeer(const QAbstractSocket *socket)
{
    const QHostAddress address = socket->peerAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(address.toString())
        : address.toString();
    return QStringLiteral("tcp:%1:%2").arg(host).arg(socket->peerPort());
}

QString describeLocalPeer(const QLocalSocket *socket)
{
#ifdef Q_OS_LINUX
    struct ucred credentials = {};
    socklen_t size = sizeof(credentials);
    const int fd = int(socket->socketDescriptor());
    if (fd >= 0 && ::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0 && credentials.pid > 0)
        return QStringLiteral("local peer pid %1").arg(credentials.pid);
#else
    Q_UNUSED(socket)
#endif
    return QStringLiteral("local peer");
}

} // namespace

Role senderOf(MessageType type)
{
    switch (type) {
    case MessageType::Challenge:
    case MessageType::Welcome:
    case MessageType::Refused:
    case MessageType::RunUnit:
    case MessageType::Shutdown:
    case MessageType::Ping:
    case MessageType::WorkerSetup:
    case MessageType::CaseAnswer:
    case MessageType::CaseAccepted:
        return Role::Daemon;
    case MessageType::Response:
    case MessageType::Ready:
    case MessageType::Pong:
    case MessageType::CaseStarted:
    case MessageType::CaseOutput:
    case MessageType::CaseFinished:
    case MessageType::UnitFinished:
    case MessageType::HookFinished:
    case MessageType::CaseRequest: // a client connects like a worker does
        break;
    }
    return Role::Worker;
}

bool isHandshakeMessage(MessageType type)
{
    return type == MessageType::Challenge || type == MessageType::Response || type == MessageType::Welcome
        || type == MessageType::Refused;
}

Connection::Connection(QIODevice *socket, Role role, const QByteArray &key, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handshake(role, key)
{
    qRegisterMetaType<ctestd::protocol::Message>();
    m_socket->setParent(this);
    m_reader.setMaxFrameSize(HandshakeMaxFrameSize);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &Connection::onHandshakeTimeout);
    connect(m_socket, &QIODevice::readyRead, this, &Connection::readFrames);

    if (auto *local = qobject_cast<QLocalSocket *>(m_socket)) {
        if (local->state() == QLocalSocket::ConnectedState)
            m_peer = describeLocalPeer(local);
        connect(local, &QLocalSocket::disconnected, this, &Connection::onSocketDisconnected);
        connect(local, &QLocalSocket::errorOccurred, this, [this, local](QLocalSocket::LocalSocketError error) {
            if (error != QLocalSocket::PeerClosedError) // disconnected() follows
                onSocketError(local->errorString());
        });
    } else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket)) {
        const auto setUp = [this, tcp] {
            tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            if (m_peer.isEmpty())
                m_peer = describeTcpPeer(tcp);
        };
        if (tcp->state() == QAbstractSocket::ConnectedState)
            setUp();
        connect(tcp, &QAbstractSocket::connected, this, setUp);
        connect(tcp, &QAbstractSocket::disconnected, this, &Connection::onSocketDisconnected);
        connect(tcp, &QAbstractSocket::errorOccurred, this, [this, tcp](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError) // disconnected() follows
                onSocketError(tcp->errorString());
        });
    } else {
        qCWarning(lcProtocol) << "Connection needs a QLocalSocket or a QAbstractSocket, got"
                              << m_socket->metaObject()->className();
    }
}

Connection::~Connection()
{
    m_socket->disconnect(this);
    closeSocket(false);
}

void Connection::setHandshakeTimeout(int milliseconds)
{
    m_handshakeTimeout = milliseconds;
    if (m_handshakeTimer.isActive())
        m_handshakeTimer.start(m_handshakeTimeout);
}

void Connection::start()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Handshaking;
    m_handshakeTimer.start(m_handshakeTimeout);
    const Handshake::Step step = m_handshake.start();
    if (step.reply) {
        applyHandshakeStep(step);
        return;
    }
    // Bytes that arrived before start() were left for now.
    QMetaObject::invokeMethod(this, &Connection::readFrames, Qt::QueuedConnection);
}

void Connection::startTrusted()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Authenticated;
    m_reader.setMaxFrameSize(MaxFrameSize);
    QMetaObject::invokeMethod(this, &Connection::readFrames, Qt::QueuedConnection);
}

bool Connection::send(const Message &message)
{
    return send(QVector<Message> {message});
}

bool Connection::send(const QVector<Message> &messages)
{
    for (int i = 0; i < messages.size(); ++i) {
        const Message &message = messages.at(i);
        if (m_state != State::Authenticated) {
            qCDebug(lcProtocol).noquote() << "cannot send" << messageTypeName(message.type) << "to" << m_peer
                                          << "on a connection that is not authenticated";
            return false;
        }
        if (isHandshakeMessage(message.type) || senderOf(message.type) != role()) {
            qCWarning(lcProtocol).noquote()
                << "a" << roleName(role()) << "does not send" << messageTypeName(message.type);
            return false;
        }
        if (!write(message, i == messages.size() - 1))
            return false;
    }
    return true;
}

void Connection::close()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_handshakeTimer.stop();
    closeSocket(true);
    emitDisconnected();
}

bool Connection::write(const Message &message, bool flush)
{
    QByteArray frame = encodeFrame(message);
    if (frame.isEmpty())
        return false;
    if (m_seal)
        frame = m_seal->seal(frame);
    if (m_socket->write(frame) != frame.size()) {
        qCWarning(lcProtocol).noquote() << "cannot write" << messageTypeName(message.type) << "to" << m_peer << ":"
                                        << m_socket->errorString();
        return false;
    }
    // A worker's events must leave before the test it runs can take the
    // worker down with it (a test that kills its parent, the OOM killer):
    // hand them to the kernel now instead of at the next event loop turn.
    if (flush && role() == Role::Worker) {
        if (auto *local = qobject_cast<QLocalSocket *>(m_socket))
            local->flush();
        else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket))
            tcp->flush();
    }
    return true;
}

void Connection::readFrames()
{
    if (m_state != State::Handshaking && m_state != State::Authenticated)
        return;
    const QPointer<Connection> self(this);
    while (m_socket->bytesAvailable() > 0) {
        const QByteArray chunk = m_socket->read(qMin(m_socket->bytesAvailable(), ReadChunkSize));
        if (chunk.isEmpty())
            break;
        m_reader.append(chunk);
        for (;;) {
            Message message;
            QString error;
            const FrameReader::Result result = m_reader.next(&message, &error);
            if (result == FrameReader::Result::NeedMore)
                break;
            if (result == FrameReader::Result::Error) {
                fail(QStringLiteral("malformed frame: %1").arg(error));
                return;
            }
            handleMessage(message);
            if (!self || m_state == State::Closed)
                return;
        }
    }
}

void Connection::handleMessage(const Message &message)
{
    if (m_state == State::Handshaking) {
        applyHandshakeStep(m_handshake.handle(message));
        return;
    }
    const Role peer = role() == Role::Daemon ? Role::Worker : Role::Daemon;
    if (isHandshakeMessage(message.type) || senderOf(message.type) != peer) {
        fail(QStringLiteral("unexpected %1 from the %2").arg(messageTypeName(message.type), roleName(peer)));
        return;
    }
    QString error;
    std::optional<Fields> fields = decodeFields(message.type, message.body, &error);
    if (!fields) {
        fail(error);
        return;
    }
    Message received = message;
    received.fields = std::move(*fields);
    emit messageReceived(received);
}

void Connection::applyHandshakeStep(const Handshake::Step &step)
{
    if (!step.error.isEmpty()) {
        fail(step.error, step.reply);
        return;
    }
    if (step.reply && !write(*step.reply)) {
        fail(QStringLiteral("cannot write the %1: %2").arg(messageTypeName(step.reply->type), m_socket->errorString()));
        return;
    }
    if (step.done) {
        m_state = State::Authenticated;
        m_handshakeTimer.stop();
        m_reader.setMaxFrameSize(MaxFrameSize);
        if (qobject_cast<QAbstractSocket *>(m_socket)) {
            // A network can change, drop, replay or inject frames; the
            // handshake alone proved only who opened the connection.
            m_seal = std::make_unique<FrameSeal>(m_handshake.sessionKey(), role());
            m_reader.setSeal(m_seal.get());
            m_reader.setMaxFrameSize(MaxFrameSize + MacSize);
        }
        qCDebug(lcProtocol).noquote() << "authenticated" << m_peer;
        emit authenticated();
    }
}

void Connection::onSocketDisconnected()
{
    if (m_state == State::Closed)
        return;
    // Frames the peer wrote just before it closed still count.
    const QPointer<Connection> self(this);
    readFrames();
    if (!self || m_state == State::Closed)
        return;
    if (m_state != State::Authenticated) {
        fail(QStringLiteral("the peer closed the connection during the handshake"));
        return;
    }
    qCDebug(lcProtocol).noquote() << m_peer << "closed the connection";
    m_state = State::Closed;
    emitDisconnected();
}

void Connection::onSocketError(const QString &errorString)
{
    if (m_state == State::Closed)
        return;
    fail(m_state == State::Authenticated ? QStringLiteral("socket error: %1").arg(errorString)
                                         : QStringLiteral("cannot connect to %1: %2").arg(m_peer, errorString));
}

void Connection::onHandshakeTimeout()
{
    if (m_state != State::Handshaking)
        return;
    refuse(QStringLiteral("no handshake within %1 ms").arg(m_handshakeTimeout));
}

void Connection::refuse(const QString &reason)
{
    if (m_state != State::Handshaking && m_state != State::Idle)
        return;
    std::optional<Message> farewell;
    if (role() == Role::Daemon) {
        farewell = Message();
        farewell->type = MessageType::Refused;
        farewell->body = Refused {reason}.toCbor();
    }
    fail(reason, farewell);
}

void Connection::fail(const QString &reason, const std::optional<Message> &farewell)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_handshakeTimer.stop();
    qCDebug(lcProtocol).noquote() << "connection with" << m_peer << "failed:" << reason;
    if (farewell)
        write(*farewell);
    closeSocket(farewell.has_value());
    const QPointer<Connection> self(this);
    emit failed(reason);
    if (self)
        emitDisconnected();
}

void Connection::closeSocket(bool graceful)
{
    if (auto *local = qobject_cast<QLocalSocket *>(m_socket)) {
        if (local->state() == QLocalSocket::UnconnectedState)
            return;
        if (graceful) {
            local->flush();
            local->disconnectFromServer();
        } else {
            local->abort();
        }
    } else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket)) {
        if (tcp->state() == QAbstractSocket::UnconnectedState)
            return;
        if (graceful) {
            tcp->flush();
            tcp->disconnectFromHost();
        } else {
            tcp->abort();
        }
    } else {
        m_socket->close();
    }
}

void Connection::emitDisconnected()
{
    if (m_disconnectedEmitted)
        return;
    m_disconnectedEmitted = true;
    emit disconnected();
}

} // namespace ctestd::protocol
