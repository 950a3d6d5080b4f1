// SPDX-License-Identifier: BSD-3-Clause
#include "protocol/handshake.h"

#include "model/logging.h"
#include "protocol/fieldreader.h"

#include <QMessageAuthenticationCode>
#include <QProcessEnvironment>
#include <QRandomGenerator>

#include <limits>

namespace ctestd::protocol {

using detail::FieldReader;

namespace {

constexpr int MaxInt = std::numeric_limits<int>::max();

namespace Key {
constexpr QLatin1String Version("version");
constexpr QLatin1String Nonce("nonce");
constexpr QLatin1String Mac("mac");
constexpr QLatin1String Reason("reason");
} // namespace Key

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; i += int(sizeof(quint32))) {
        const quint32 word = QRandomGenerator::system()->generate();
        for (int j = 0; j < int(sizeof(quint32)) && i + j < size; ++j)
            bytes[i + j] = char((word >> (8 * j)) & 0xff);
    }
    return bytes;
}

QByteArray hmac(const QByteArray &key, const char *label, const QByteArray &first, const QByteArray &second)
{
    QMessageAuthenticationCode code(QCryptographicHash::Sha256, key);
    code.addData(label, int(qstrlen(label)));
    code.addData(first);
    code.addData(second);
    return code.result();
}

Message makeMessage(MessageType type, const QCborMap &body)
{
    Message message;
    message.type = type;
    message.body = body;
    return message;
}

// The version alone, so that a peer of another version is told about the
// mismatch rather than about a field this version does not know.
std::optional<int> readVersion(const Message &message, QLatin1String messageName, QString *error)
{
    int version = 0;
    FieldReader reader(message.body, messageName, error);
    reader.integer(Key::Version, &version, 1, MaxInt);
    if (!reader.ok())
        return std::nullopt;
    return version;
}

} // namespace

// Messages

QCborMap Challenge::toCbor() const
{
    QCborMap map;
    map.insert(Key::Version, version);
    map.insert(Key::Nonce, nonce);
    return map;
}

std::optional<Challenge> Challenge::fromCbor(const QCborMap &map, QString *error)
{
    Challenge m;
    FieldReader r(map, QLatin1String("Challenge"), error);
    r.integer(Key::Version, &m.version, 1, MaxInt);
    r.bytes(Key::Nonce, &m.nonce, detail::Presence::Required, NonceSize);
    if (!r.ok())
        return std::nullopt;
    return m;
}

QCborMap Response::toCbor() const
{
    QCborMap map;
    map.insert(Key::Version, version);
    map.insert(Key::Nonce, nonce);
    map.insert(Key::Mac, mac);
    return map;
}

std::optional<Response> Response::fromCbor(const QCborMap &map, QString *error)
{
    Response m;
    FieldReader r(map, QLatin1String("Response"), error);
    r.integer(Key::Version, &m.version, 1, MaxInt);
    r.bytes(Key::Nonce, &m.nonce, detail::Presence::Required, NonceSize);
    r.bytes(Key::Mac, &m.mac, detail::Presence::Required, MacSize);
    if (!r.ok())
        return std::nullopt;
    return m;
}

QCborMap Welcome::toCbor() const
{
    QCborMap map;
    map.insert(Key::Mac, mac);
    return map;
}

std::optional<Welcome> Welcome::fromCbor(const QCborMap &map, QString *error)
{
    Welcome m;
    FieldReader r(map, QLatin1String("Welcome"), error);
    r.bytes(Key::Mac, &m.mac, detail::Presence::Required, MacSize);
    if (!r.ok())
        return std::nullopt;
    return m;
}

QCborMap Refused::toCbor() const
{
    QCborMap map;
    map.insert(Key::Reason, reason);
    return map;
}

std::optional<Refused> Refused::fromCbor(const QCborMap &map, QString *error)
{
    Refused m;
    FieldReader r(map, QLatin1String("Refused"), error);
    r.text(Key::Reason, &m.reason);
    if (!r.ok())
        return std::nullopt;
    return m;
}

// Computations

QByteArray generateNonce()
{
    return randomBytes(NonceSize);
}

QByteArray generateKey()
{
    return randomBytes(KeySize);
}

QByteArray workerMac(const QByteArray &key, const QByteArray &daemonNonce, const QByteArray &workerNonce)
{
    return hmac(key, "ctestd-worker-v1", daemonNonce, workerNonce);
}

QByteArray daemonMac(const QByteArray &key, const QByteArray &workerNonce, const QByteArray &daemonNonce)
{
    return hmac(key, "ctestd-daemon-v1", workerNonce, daemonNonce);
}

QByteArray sessionKey(const QByteArray &key, const QByteArray &daemonNonce, const QByteArray &workerNonce)
{
    return hmac(key, "ctestd-session-1", daemonNonce, workerNonce);
}

QByteArray Handshake::sessionKey() const
{
    return protocol::sessionKey(m_key, m_daemonNonce, m_workerNonce);
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (int i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

QByteArray keyFromHex(const QByteArray &hex, QString *error)
{
    const QByteArray digits = hex.trimmed();
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return QByteArray();
    };
    if (digits.isEmpty())
        return fail(QStringLiteral("the key is empty"));
    for (const char c : digits) {
        const bool isHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!isHex)
            return fail(QStringLiteral("the key is not hex-encoded"));
    }
    if (digits.size() % 2 != 0)
        return fail(QStringLiteral("the key has an odd number of hex digits"));
    const QByteArray key = QByteArray::fromHex(digits);
    if (key.size() < MinimumKeySize)
        return fail(
            QStringLiteral("the key is %1 bytes long; at least %2 are needed").arg(key.size()).arg(MinimumKeySize));
    return key;
}

QByteArray keyFromEnvironment(QString *error)
{
    if (!qEnvironmentVariableIsSet(KeyEnvironmentVariable)) {
        if (error)
            *error = QStringLiteral("%1 is not set").arg(QLatin1String(KeyEnvironmentVariable));
        return {};
    }
    QString problem;
    const QByteArray key = keyFromHex(qgetenv(KeyEnvironmentVariable), &problem);
    if (key.isEmpty() && error)
        *error = QStringLiteral("%1: %2").arg(QLatin1String(KeyEnvironmentVariable), problem);
    return key;
}

void insertKey(QProcessEnvironment *environment, const QByteArray &key)
{
    environment->insert(QLatin1String(KeyEnvironmentVariable), QString::fromLatin1(key.toHex()));
}

// Handshake

Handshake::Handshake(Role role, const QByteArray &key)
    : m_role(role)
    , m_key(key)
{ }

Handshake::Step Handshake::fail(const QString &error)
{
    m_state = State::Failed;
    Step step;
    step.error = error;
    return step;
}

Handshake::Step Handshake::refuse(const QString &reason)
{
    Step step = fail(reason);
    step.reply = makeMessage(MessageType::Refused, Refused {reason}.toCbor());
    return step;
}

Handshake::Step Handshake::start()
{
    if (m_state != State::Idle)
        return {};
    if (m_role == Role::Worker) {
        m_state = State::AwaitingChallenge;
        return {};
    }
    m_daemonNonce = generateNonce();
    m_state = State::AwaitingResponse;
    Challenge challenge;
    challenge.nonce = m_daemonNonce;
    Step step;
    step.reply = makeMessage(MessageType::Challenge, challenge.toCbor());
    return step;
}

Handshake::Step Handshake::handle(const Message &message)
{
    switch (m_state) {
    case State::AwaitingChallenge:
        return handleChallenge(message);
    case State::AwaitingResponse:
        return handleResponse(message);
    case State::AwaitingWelcome:
        return handleWelcome(message);
    case State::Idle:
        return fail(QStringLiteral("%1 before the handshake started").arg(messageTypeName(message.type)));
    case State::Done:
    case State::Failed:
        break;
    }
    return fail(QStringLiteral("unexpected %1 after the handshake").arg(messageTypeName(message.type)));
}

Handshake::Step Handshake::handleChallenge(const Message &message)
{
    QString error;
    if (message.type == MessageType::Refused) {
        const auto refused = Refused::fromCbor(message.body, &error);
        return fail(refused ? QStringLiteral("the daemon refused the connection: %1").arg(refused->reason) : error);
    }
    if (message.type != MessageType::Challenge)
        return fail(QStringLiteral("expected Challenge, got %1").arg(messageTypeName(message.type)));
    const auto version = readVersion(message, QLatin1String("Challenge"), &error);
    if (!version)
        return fail(error);
    if (*version != ProtocolVersion)
        return fail(QStringLiteral("the daemon speaks protocol version %1, this worker speaks version %2")
                        .arg(*version)
                        .arg(ProtocolVersion));
    const auto challenge = Challenge::fromCbor(message.body, &error);
    if (!challenge)
        return fail(error);

    m_daemonNonce = challenge->nonce;
    m_workerNonce = generateNonce();
    m_state = State::AwaitingWelcome;
    Response response;
    response.nonce = m_workerNonce;
    response.mac = workerMac(m_key, m_daemonNonce, m_workerNonce);
    Step step;
    step.reply = makeMessage(MessageType::Response, response.toCbor());
    return step;
}

Handshake::Step Handshake::handleResponse(const Message &message)
{
    if (message.type != MessageType::Response)
        return refuse(QStringLiteral("expected Response, got %1").arg(messageTypeName(message.type)));
    QString error;
    const auto version = readVersion(message, QLatin1String("Response"), &error);
    if (!version)
        return refuse(error);
    if (*version != ProtocolVersion)
        return refuse(QStringLiteral("the worker speaks protocol version %1, this daemon speaks version %2")
                          .arg(*version)
                          .arg(ProtocolVersion));
    const auto response = Response::fromCbor(message.body, &error);
    if (!response)
        return refuse(error);
    if (!constantTimeEquals(response->mac, workerMac(m_key, m_daemonNonce, response->nonce)))
        return refuse(QStringLiteral("wrong key"));

    m_workerNonce = response->nonce;
    m_state = State::Done;
    Welcome welcome;
    welcome.mac = daemonMac(m_key, m_workerNonce, m_daemonNonce);
    Step step;
    step.reply = makeMessage(MessageType::Welcome, welcome.toCbor());
    step.done = true;
    return step;
}

Handshake::Step Handshake::handleWelcome(const Message &message)
{
    QString error;
    if (message.type == MessageType::Refused) {
        const auto refused = Refused::fromCbor(message.body, &error);
        return fail(refused ? QStringLiteral("the daemon refused the connection: %1").arg(refused->reason) : error);
    }
    if (message.type != MessageType::Welcome)
        return fail(QStringLiteral("expected Welcome, got %1").arg(messageTypeName(message.type)));
    const auto welcome = Welcome::fromCbor(message.body, &error);
    if (!welcome)
        return fail(error);
    if (!constantTimeEquals(welcome->mac, daemonMac(m_key, m_workerNonce, m_daemonNonce)))
        return fail(QStringLiteral("the daemon does not know the key (its Welcome has a wrong MAC)"));
    m_state = State::Done;
    Step step;
    step.done = true;
    return step;
}

} // namespace ctestd::protocol
