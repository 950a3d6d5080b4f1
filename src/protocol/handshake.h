// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// The mutual HMAC-SHA256 handshake that opens every daemon <-> worker
// connection (src/PROTOCOL.md, "Handshake"):
//
//   daemon -> worker  Challenge {version, nonce: Nd}
//   worker -> daemon  Response  {version, nonce: Nw, mac: HMAC(key, "ctestd-worker-v1" Nd Nw)}
//   daemon -> worker  Welcome   {mac: HMAC(key, "ctestd-daemon-v1" Nw Nd)}
//                  or Refused   {reason}, then the daemon closes
//
// Both sides prove they hold the per-run key without sending it; fresh nonces
// on both sides stop replays. Handshake is the I/O-free state machine that
// Connection drives; the MAC and key helpers are free functions so tests can
// check them directly.

#include "protocol/messages.h"

#include <QByteArray>
#include <QString>

#include <optional>

QT_BEGIN_NAMESPACE
class QProcessEnvironment;
QT_END_NAMESPACE

namespace ctestd::protocol {

constexpr int ProtocolVersion = 1;
// The worker finds the key here, hex-encoded. Never put it on a command line.
constexpr char KeyEnvironmentVariable[] = "CTESTD_KEY";
constexpr int KeySize = 32; // bytes of a key made by generateKey()
constexpr int MinimumKeySize = 16; // shorter keys are refused
constexpr int NonceSize = 32;
constexpr int MacSize = 32; // HMAC-SHA256
// Until the handshake is done, frames are small; a peer without the key
// cannot make the daemon buffer more than this per connection.
constexpr quint32 HandshakeMaxFrameSize = 4096;
constexpr int DefaultHandshakeTimeoutMs = 5000;

enum class Role { Daemon, Worker };

// The handshake messages. Their layout is the same in every protocol version,
// so that any two versions can tell each other about the mismatch.
struct Challenge {
    int version = ProtocolVersion;
    QByteArray nonce;
    QCborMap toCbor() const;
    static std::optional<Challenge> fromCbor(const QCborMap &map, QString *error);
};

struct Response {
    int version = ProtocolVersion;
    QByteArray nonce;
    QByteArray mac;
    QCborMap toCbor() const;
    static std::optional<Response> fromCbor(const QCborMap &map, QString *error);
};

struct Welcome {
    QByteArray mac;
    QCborMap toCbor() const;
    static std::optional<Welcome> fromCbor(const QCborMap &map, QString *error);
};

struct Refused {
    QString reason;
    QCborMap toCbor() const;
    static std::optional<Refused> fromCbor(const QCborMap &map, QString *error);
};

// NonceSize bytes from the system's cryptographic generator.
QByteArray generateNonce();
// A fresh per-run key of KeySize bytes.
QByteArray generateKey();

// The worker's proof: HMAC-SHA256(key, "ctestd-worker-v1" + daemonNonce + workerNonce).
QByteArray workerMac(const QByteArray &key, const QByteArray &daemonNonce, const QByteArray &workerNonce);
// The daemon's proof: HMAC-SHA256(key, "ctestd-daemon-v1" + workerNonce + daemonNonce).
QByteArray daemonMac(const QByteArray &key, const QByteArray &workerNonce, const QByteArray &daemonNonce);
// The key that seals a connection's frames after the handshake (FrameSeal):
// HMAC-SHA256(key, "ctestd-session-1" + daemonNonce + workerNonce).
QByteArray sessionKey(const QByteArray &key, const QByteArray &daemonNonce, const QByteArray &workerNonce);
// Compares in time that depends only on the lengths.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

// The key from its hex form (surrounding whitespace ignored); empty, with
// *error set, if it is not hex or shorter than MinimumKeySize.
QByteArray keyFromHex(const QByteArray &hex, QString *error);
// The key from $CTESTD_KEY; empty, with *error set, if unset or malformed.
QByteArray keyFromEnvironment(QString *error);
// Puts the key into a worker's environment, hex-encoded.
void insertKey(QProcessEnvironment *environment, const QByteArray &key);

class Handshake {
public:
    enum class State { Idle, AwaitingChallenge, AwaitingResponse, AwaitingWelcome, Done, Failed };

    // What the caller must do after start() or handle(): send `reply` if set,
    // then, if `error` is set, close the connection (the handshake failed),
    // else if `done`, the peer is authenticated.
    struct Step {
        std::optional<Message> reply;
        bool done = false;
        QString error;
    };

    Handshake(Role role, const QByteArray &key);

    // The daemon's Challenge, or nothing for a worker, which waits for one.
    Step start();
    // Handles one handshake message from the peer.
    Step handle(const Message &message);

    Role role() const { return m_role; }
    State state() const { return m_state; }
    // Once Done: this connection's sessionKey().
    QByteArray sessionKey() const;

private:
    Step handleChallenge(const Message &message);
    Step handleResponse(const Message &message);
    Step handleWelcome(const Message &message);
    Step fail(const QString &error);
    Step refuse(const QString &reason); // daemon: fail and tell the worker why

    Role m_role;
    QByteArray m_key;
    State m_state = State::Idle;
    QByteArray m_daemonNonce;
    QByteArray m_workerNonce;
};

} // namespace ctestd::protocol
