// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// Per-frame integrity on TCP, after the handshake (src/PROTOCOL.md, "Sealed
// frames"). Every frame either side sends carries, after its payload,
//
//   tag = HMAC-SHA256(session key, direction ‖ sequence ‖ payload)
//
// with the session key derived from the run's key and both handshake
// nonces, the direction one byte ('d' daemon to worker, 'w' worker to
// daemon) and the sequence the frame's number in its direction (u64,
// big-endian, from 0). Nothing of the tag's inputs but the payload is sent:
// a changed, dropped, reordered, replayed or reflected frame, or one from
// another connection, fails the check, and the connection closes.
//
// Local sockets are not sealed: only this user can reach them (a 0700
// directory, SO_PEERCRED), and nothing stands between the two ends.

#include "protocol/handshake.h"

#include <QByteArray>
#include <QMessageAuthenticationCode>
#include <QString>

namespace ctestd::protocol {

class FrameSeal {
public:
    FrameSeal(const QByteArray &sessionKey, Role self);

    // `frame` (length + payload) with its tag appended and its length
    // grown by MacSize.
    QByteArray seal(const QByteArray &frame);
    // Checks the tag that ends `payload` (as received: payload + tag) and
    // strips it. False, with `error` set, when it does not match.
    bool open(QByteArray *payload, QString *error);

private:
    QByteArray tag(char direction, quint64 sequence, const char *data, qsizetype size);

    QMessageAuthenticationCode m_hmac;
    Role m_self;
    quint64 m_sent = 0;
    quint64 m_received = 0;
};

} // namespace ctestd::protocol
