// SPDX-License-Identifier: BSD-3-Clause
#include "frameseal.h"

#include <QtEndian>

namespace ctestd::protocol {

namespace {

constexpr int HeaderSize = 4;

char directionOf(Role sender)
{
    return sender == Role::Daemon ? 'd' : 'w';
}

// Constant time: how much of a tag matched says nothing.
bool sameBytes(const char *a, const char *b, int size)
{
    unsigned char difference = 0;
    for (int i = 0; i < size; ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace

FrameSeal::FrameSeal(const QByteArray &sessionKey, Role self)
    : m_hmac(QCryptographicHash::Sha256, sessionKey)
    , m_self(self)
{ }

QByteArray FrameSeal::tag(char direction, quint64 sequence, const char *data, qsizetype size)
{
    char prefix[1 + 8];
    prefix[0] = direction;
    qToBigEndian<quint64>(sequence, prefix + 1);
    m_hmac.reset();
    m_hmac.addData(prefix, int(sizeof prefix));
    m_hmac.addData(data, int(size));
    return m_hmac.result();
}

QByteArray FrameSeal::seal(const QByteArray &frame)
{
    if (frame.size() < HeaderSize)
        return {};
    QByteArray sealed = frame;
    const quint32 length = qFromBigEndian<quint32>(frame.constData());
    qToBigEndian<quint32>(length + MacSize, sealed.data());
    sealed += tag(directionOf(m_self), m_sent++, frame.constData() + HeaderSize, frame.size() - HeaderSize);
    return sealed;
}

bool FrameSeal::open(QByteArray *payload, QString *error)
{
    const Role peer = m_self == Role::Daemon ? Role::Worker : Role::Daemon;
    if (payload->size() <= MacSize) {
        *error = QStringLiteral("a sealed frame of %1 bytes has no room for its MAC").arg(payload->size());
        return false;
    }
    const qsizetype size = payload->size() - MacSize;
    const QByteArray expected = tag(directionOf(peer), m_received, payload->constData(), size);
    if (!sameBytes(expected.constData(), payload->constData() + size, MacSize)) {
        *error = QStringLiteral(
            "frame %1 from the %2 fails its MAC (changed, replayed, reordered, not from this connection, "
            "or from a ctestd of another version)")
                     .arg(m_received)
                     .arg(peer == Role::Daemon ? QStringLiteral("daemon") : QStringLiteral("worker"));
        return false;
    }
    ++m_received;
    payload->truncate(int(size));
    return true;
}

} // namespace ctestd::protocol
