// SPDX-License-Identifier: BSD-3-Clause
#include "protocol/frame.h"

#include "model/logging.h"
#include "protocol/frameseal.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamReader>
#include <QCborValue>
#include <QVarLengthArray>
#include <QtEndian>

#include <algorithm>
#include <optional>

namespace ctestd::protocol {

namespace {

constexpr int HeaderSize = 4;
// Version 1 bodies nest two levels (a map holding arrays or maps); leave room
// for later versions without letting a peer recurse deeply.
constexpr int MaxNestingDepth = 32;
// A body up to this size is decoded at once and its nesting checked after:
// it cannot hold more items than bytes, nor nest deeper than that, so
// building it costs bounded memory and stack. A larger one is walked first
// (checkBody). The walk reads every string twice over and took half the
// daemon's decoding time on small frames, which are nearly all of them.
constexpr int DirectDecodeBytes = 4096;
static_assert(DirectDecodeBytes <= MaxItemsPerFrame, "a direct decode must stay within the item limit");

int nestingDepth(const QCborValue &value)
{
    int deepest = 0;
    if (value.isMap()) {
        const QCborMap map = value.toMap();
        for (auto it = map.constBegin(); it != map.constEnd(); ++it)
            deepest = qMax(deepest, nestingDepth(it.value()));
    } else if (value.isArray()) {
        const QCborArray array = value.toArray();
        for (const QCborValue &item : array)
            deepest = qMax(deepest, nestingDepth(item));
    } else {
        return 0;
    }
    return deepest + 1;
}

// A small well-formed body in one pass, or nothing: the caller then takes
// the checked way, which also words the error.
std::optional<QCborMap> decodeDirectly(const QByteArray &body)
{
    if (body.size() > DirectDecodeBytes)
        return std::nullopt;
    QCborStreamReader reader(body);
    if (!reader.isMap())
        return std::nullopt;
    const QCborValue value = QCborValue::fromCbor(reader);
    if (reader.lastError() != QCborError::NoError || reader.currentOffset() != body.size() || !value.isMap()
        || nestingDepth(value) > MaxNestingDepth)
        return std::nullopt;
    return value.toMap();
}

// Whether a map has a string key twice (which one would count?). Bodies
// have a handful of keys: compared pairwise, without hashing.
bool duplicateKey(const QCborMap &map, QString *key)
{
    QVarLengthArray<QString, 16> keys;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (!it.key().isString())
            continue;
        const QString current = it.key().toString();
        if (std::find(keys.cbegin(), keys.cend(), current) != keys.cend()) {
            *key = current;
            return true;
        }
        keys.append(current);
    }
    return false;
}

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
    std::optional<QCborMap> map = decodeDirectly(body);
    if (!map) {
        if (!checkBody(body, typeName, error))
            return false;
        QCborParserError parserError;
        const QCborValue value = QCborValue::fromCbor(body, &parserError);
        if (parserError.error != QCborError::NoError || !value.isMap()) { // checkBody() let it through
            *error = QStringLiteral("%1 body is not valid CBOR: %2").arg(typeName, parserError.errorString());
            return false;
        }
        map = value.toMap();
    }
    QString key;
    if (duplicateKey(*map, &key)) {
        *error = QStringLiteral("%1 body has the key '%2' twice").arg(typeName, key);
        return false;
    }
    out->type = type;
    out->body = *map;
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
