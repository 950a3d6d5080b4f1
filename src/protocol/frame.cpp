// SPDX-License-Identifier: BSD-3-Clause
#include "protocol/frame.h"

#include "model/logging.h"
#include "protocol/frameseal.h"

#include <QCborStreamReader>
#include <QCborValue>
#include <QSet>
#include <QtEndian>

namespace ctestd::protocol {

namespace {

constexpr int HeaderSize = 4;
// Version 1 bodies nest two levels (a map holding arrays or maps); leave room
// for later versions without letting a peer recurse deeply.
constexpr int MaxNestingDepth = 32;

// Walks the body without building it: exactly one map, well-formed, within the
// item and depth limits, and nothing after it. Decoding it afterwards cannot
// fail and costs bounded memory.
bool checkBody(const QByteArray &body, const QString &typeName, QString *error)
{
    QCborStreamReader reader(body);
    const auto invalid = [&] {
        *error = QStringLiteral("%1 body is not valid CBOR: %2 at byte %3")
                     .arg(typeName, reader.lastError().toString())
                     .arg(reader.currentOffset());
        return false;
    };
    if (reader.lastError() != QCborError::NoError)
        return invalid();
    if (!reader.isMap()) {
        *error = QStringLiteral("%1 body is not a CBOR map").arg(typeName);
        return false;
    }
    qint64 items = 0;
    int depth = 0;
    do {
        if (++items > MaxItemsPerFrame) {
            *error = QStringLiteral("%1 body has more than %2 CBOR items").arg(typeName).arg(MaxItemsPerFrame);
            return false;
        }
        if (reader.isContainer()) {
            if (++depth > MaxNestingDepth) {
                *error = QStringLiteral("%1 body nests deeper than %2 levels").arg(typeName).arg(MaxNestingDepth);
                return false;
            }
            if (!reader.enterContainer())
                return invalid();
        } else if (!reader.next()) {
            return invalid();
        }
        while (depth > 0 && !reader.hasNext()) {
            if (reader.lastError() != QCborError::NoError || !reader.leaveContainer())
                return invalid();
            --depth;
        }
    } while (depth > 0);
    if (reader.lastError() != QCborError::NoError)
        return invalid();
    const qint64 trailing = body.size() - reader.currentOffset();
    if (trailing > 0) {
        *error = QStringLiteral("%1 body has %2 trailing bytes after the CBOR map").arg(typeName).arg(trailing);
        return false;
    }
    return true;
}

} // namespace

QByteArray encodeFrame(const Message &message)
{
    const QByteArray body = QCborValue(message.body).toCbor();
    const qint64 payloadSize = 1 + qint64(body.size());
    if (payloadSize > qint64(MaxFrameSize)) {
        qCWarning(lcProtocol).noquote() << QStringLiteral("cannot send %1: %2 bytes exceed the %3-byte frame limit")
                                               .arg(messageTypeName(message.type))
                                               .arg(payloadSize)
                                               .arg(MaxFrameSize);
        return {};
    }
    QByteArray frame;
    frame.reserve(int(HeaderSize + payloadSize));
    char header[HeaderSize];
    qToBigEndian<quint32>(quint32(payloadSize), header);
    frame.append(header, HeaderSize);
    frame.append(char(message.type));
    frame.append(body);
    return frame;
}

bool decodePayload(const QByteArray &payload, Message *out, QString *error)
{
    QString problem;
    if (!error)
        error = &problem;
    if (payload.isEmpty()) {
        *error = QStringLiteral("empty frame (length 0)");
        return false;
    }
    const auto typeByte = quint8(payload.at(0));
    if (!isKnownMessageType(typeByte)) {
        *error = QStringLiteral("unknown message type %1").arg(typeByte);
        return false;
    }
    const auto type = static_cast<MessageType>(typeByte);
    const QString typeName = messageTypeName(type);
    if (payload.size() == 1) {
        *error = QStringLiteral("%1 frame has no body").arg(typeName);
        return false;
    }
    const QByteArray body = QByteArray::fromRawData(payload.constData() + 1, payload.size() - 1);
    if (!checkBody(body, typeName, error))
        return false;
    QCborParserError parserError;
    const QCborValue value = QCborValue::fromCbor(body, &parserError);
    if (parserError.error != QCborError::NoError || !value.isMap()) { // checkBody() let it through
        *error = QStringLiteral("%1 body is not valid CBOR: %2").arg(typeName, parserError.errorString());
        return false;
    }
    const QCborMap map = value.toMap();
    QSet<QString> keys;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (!it.key().isString())
            continue;
        const QString key = it.key().toString();
        if (keys.contains(key)) {
            *error = QStringLiteral("%1 body has the key '%2' twice").arg(typeName, key);
            return false;
        }
        keys.insert(key);
    }
    out->type = type;
    out->body = map;
    return true;
}

void FrameReader::setMaxFrameSize(quint32 limit)
{
    m_maxFrameSize = qMin(limit, MaxFrameSize + quint32(MacSize));
}

void FrameReader::append(const QByteArray &data)
{
    if (m_failed || data.isEmpty())
        return;
    if (m_offset > 0) {
        m_buffer.remove(0, int(m_offset));
        m_offset = 0;
    }
    m_buffer.append(data);
    checkHeader();
}

bool FrameReader::checkHeader()
{
    if (m_failed)
        return false;
    if (bufferedBytes() < HeaderSize)
        return true;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
    if (length == 0) {
        fail(QStringLiteral("empty frame (length 0)"), nullptr);
        return false;
    }
    if (length > m_maxFrameSize) {
        fail(QStringLiteral("frame of %1 bytes exceeds the %2-byte limit").arg(length).arg(m_maxFrameSize), nullptr);
        return false;
    }
    return true;
}

FrameReader::Result FrameReader::fail(const QString &error, QString *out)
{
    if (!m_failed) {
        m_failed = true;
        m_error = error;
        m_buffer.clear();
        m_offset = 0;
        qCDebug(lcProtocol).noquote() << "frame error:" << error;
    }
    if (out)
        *out = m_error;
    return Result::Error;
}

FrameReader::Result FrameReader::next(Message *out, QString *error)
{
    if (!checkHeader())
        return fail(m_error, error);
    if (bufferedBytes() < HeaderSize)
        return Result::NeedMore;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
    if (bufferedBytes() - HeaderSize < qsizetype(length))
        return Result::NeedMore;

    Message message;
    QString problem;
    {
        QByteArray payload = QByteArray::fromRawData(m_buffer.constData() + m_offset + HeaderSize, int(length));
        if (m_seal && !m_seal->open(&payload, &problem))
            return fail(problem, error);
        if (!decodePayload(payload, &message, &problem))
            return fail(problem, error);
    }
    m_offset += HeaderSize + qsizetype(length);
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    }
    *out = message;
    return Result::Frame;
}

} // namespace ctestd::protocol
