// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// One daemon <-> worker connection: framing, the handshake, and message
// dispatch over a QLocalSocket or a QTcpSocket (src/PROTOCOL.md).

#include "protocol/frame.h"
#include "protocol/frameseal.h"
#include "protocol/handshake.h"

#include <QObject>
#include <QTimer>
#include <QVector>

#include <memory>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace ctestd::protocol {

// Runs the handshake as `role`, then exchanges messages. Until the handshake
// is done, frames are limited to HandshakeMaxFrameSize bytes; afterwards to
// MaxFrameSize. Anything wrong from the peer (a malformed frame, a field that
// fails validation, a message of the wrong type or direction, a wrong key, a
// missed deadline, a Refused) ends the connection: failed(reason), then the
// socket is closed and disconnected() follows.
//
// Delete a Connection with deleteLater(), never directly from a slot
// connected to one of its signals.
class Connection : public QObject {
    Q_OBJECT

public:
    // Takes ownership of `socket`, a QLocalSocket or a QTcpSocket that is
    // connected or connecting.
    Connection(QIODevice *socket, Role role, const QByteArray &key, QObject *parent = nullptr);
    ~Connection() override;

    // The time start() allows for the handshake (DefaultHandshakeTimeoutMs);
    // a running deadline restarts with the new value.
    void setHandshakeTimeout(int milliseconds);
    int handshakeTimeout() const { return m_handshakeTimeout; }

    // Starts the handshake: the daemon sends its Challenge, the worker waits
    // for one. Both arm the handshake deadline. Calling it again does nothing.
    void start();
    // For a peer that something else already authenticated (the Server's
    // peer-credential socket): no handshake, authenticated at once. Frames
    // are read from the next turn of the event loop, after the receiver of
    // connectionReady() connected to messageReceived().
    void startTrusted();

    // Sends a message of this side's direction once authenticated. False if
    // the connection is not authenticated, closed, the type is not one this
    // role sends, or the frame cannot be encoded or written.
    bool send(const Message &message);
    // Sends messages in order, handed to the kernel together: a worker's
    // events from one chunk of a test's output cost one system call.
    bool send(const QVector<Message> &messages);

    // Writes what is pending and closes; emits disconnected(). Use it after
    // the last message (Shutdown, UnitFinished).
    void close();

    bool isAuthenticated() const { return m_state == State::Authenticated; }
    // Daemon, during the handshake: ends it with Refused {reason}, as the
    // handshake's deadline does, and emits failed(reason).
    void refuse(const QString &reason);
    Role role() const { return m_handshake.role(); }
    // "tcp:127.0.0.1:4711", "local peer pid 1234", or the daemon's address on
    // the worker side.
    QString peerDescription() const { return m_peer; }
    void setPeerDescription(const QString &description) { m_peer = description; }

signals:
    void authenticated();
    // Only after authentication, only the peer's non-handshake messages, with
    // a body that passed its fromCbor() check; in the order they were sent.
    void messageReceived(const ctestd::protocol::Message &message);
    void failed(const QString &reason);
    // The connection is over, whatever the cause (the peer closed it, failed(),
    // close()). Emitted exactly once.
    void disconnected();

private:
    enum class State { Idle, Handshaking, Authenticated, Closed };

    void readFrames();
    void handleMessage(const Message &message);
    void applyHandshakeStep(const Handshake::Step &step);
    void onSocketDisconnected();
    void onSocketError(const QString &errorString);
    void onHandshakeTimeout();
    bool write(const Message &message, bool flush = true);
    // Ends the connection: sends `farewell` if set and closes gracefully, or
    // aborts; then emits failed() and disconnected().
    void fail(const QString &reason, const std::optional<Message> &farewell = std::nullopt);
    void closeSocket(bool graceful);
    void emitDisconnected();

    QIODevice *m_socket;
    Handshake m_handshake;
    FrameReader m_reader;
    // TCP, once authenticated: every frame after the handshake is sealed.
    std::unique_ptr<FrameSeal> m_seal;
    QTimer m_handshakeTimer;
    int m_handshakeTimeout = DefaultHandshakeTimeoutMs;
    State m_state = State::Idle;
    QString m_peer;
    bool m_disconnectedEmitted = false;
};

// Which side sends messages of `type` (handshake messages included).
Role senderOf(MessageType type);
bool isHandshakeMessage(MessageType type);

} // namespace ctestd::protocol
