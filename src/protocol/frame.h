// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// Framing of the daemon <-> worker protocol (src/PROTOCOL.md, "Framing"):
//
//   frame   = length payload
//   length  = 4 bytes, big-endian, the payload size in bytes (1 .. MaxFrameSize)
//   payload = 1 byte MessageType, then the body: exactly one CBOR map
//
// FrameReader takes bytes as they arrive and hands out whole messages. It checks
// the length before it waits for (or buffers) the payload, so a peer cannot
// make it allocate more than the limit, and it never recovers from an error:
// the stream has lost its framing and the connection must be closed.

#include "protocol/handshake.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QString>

namespace ctestd::protocol {

// Largest payload accepted after the handshake.
constexpr quint32 MaxFrameSize = 16 * 1024 * 1024;

// Most CBOR items (map keys and values, array elements, tags, at any depth) in
// one body. Decoding costs about 30 bytes per item; this bounds a 16 MiB frame
// of one-byte items, which would otherwise take half a gigabyte.
constexpr qint64 MaxItemsPerFrame = 1024 * 1024;

// The frame of `message`, ready to write. Empty if the payload would exceed
// MaxFrameSize (the caller must split large data, e.g. output, into chunks).
QByteArray encodeFrame(const Message &message);

class FrameSeal;

class FrameReader {
public:
    // From now on, each payload ends with a tag that `seal` checks and
    // strips before the payload is decoded (a sealed TCP connection).
    void setSeal(FrameSeal *seal) { m_seal = seal; }

    enum class Result { NeedMore, Frame, Error };

    // Frames longer than `limit` (at most MaxFrameSize, plus MacSize for a sealed
    // connection) are errors. The limit
    // applies to frames whose header has not been checked yet.
    void setMaxFrameSize(quint32 limit);
    quint32 maxFrameSize() const { return m_maxFrameSize; }

    // Appends received bytes. Ignored once the reader is in error.
    void append(const QByteArray &data);

    // The next complete message. NeedMore: wait for more bytes. Error: *error
    // says what was wrong; every later call returns the same error.
    Result next(Message *out, QString *error);

    bool hasError() const { return m_failed; }
    QString errorString() const { return m_error; }
    // Bytes received but not yet returned as messages.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }

private:
    // Checks the length of the frame at m_offset, once its header is buffered.
    // Returns false (and fails) if it is zero or over the limit.
    bool checkHeader();
    Result fail(const QString &error, QString *out);

    QByteArray m_buffer;
    qsizetype m_offset = 0; // start of the first unread frame in m_buffer
    quint32 m_maxFrameSize = MaxFrameSize;
    bool m_failed = false;
    QString m_error;
    FrameSeal *m_seal = nullptr;
};

// Decodes one payload (type byte + CBOR body), as FrameReader does for every
// frame. Exposed for tests and tools.
bool decodePayload(const QByteArray &payload, Message *out, QString *error);

} // namespace ctestd::protocol
