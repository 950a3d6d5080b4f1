// SPDX-License-Identifier: BSD-3-Clause
// The handshake and everything around it: the MAC computations, the key
// helpers, the state machine in memory, and then Server, Connection and
// connectToDaemon over real local and TCP sockets, with peers that have the
// wrong key, say nothing, send garbage, or speak another version.

#include "rawpeer.h"

#include "protocol/connection.h"
#include "protocol/handshake.h"
#include "protocol/server.h"

#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QtEndian>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace ctestd;
using namespace ctestd::protocol;
using namespace ctestd::protocol::test;

namespace {

constexpr int FastTimeoutMs = 200;

QByteArray header(quint32 length)
{
    char bytes[4];
    qToBigEndian(length, bytes);
    return QByteArray(bytes, 4);
}

QByteArray rawFrame(quint8 type, const QByteArray &body)
{
    return header(quint32(body.size() + 1)) + char(type) + body;
}

bool listen(Server &server, const QString &transport)
{
    QString error;
    const bool ok = transport == QLatin1String("local") ? server.listenLocal(&error)
                                                        : server.listenTcp(QHostAddress::LocalHost, 0, &error);
    if (!ok)
        qWarning("cannot listen: %s", qPrintable(error));
    return ok;
}

void expectRejectionLog(const QString &reason)
{
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("^refused connection from .+: %1$").arg(QRegularExpression::escape(reason))));
}

void addTransports()
{
    QTest::addColumn<QString>("transport");
    QTest::newRow("local") << QStringLiteral("local");
    QTest::newRow("tcp") << QStringLiteral("tcp");
}

// Restores an environment variable when the test ends.
class EnvironmentGuard {
public:
    explicit EnvironmentGuard(const char *name)
        : m_name(name)
        , m_wasSet(qEnvironmentVariableIsSet(name))
        , m_value(qgetenv(name))
    { }
    ~EnvironmentGuard()
    {
        if (m_wasSet)
            qputenv(m_name, m_value);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_wasSet;
    QByteArray m_value;
};

// An authenticated worker connection and its daemon side.
struct Pair {
    std::unique_ptr<Server> server;
    std::unique_ptr<Connection> worker;
    Connection *daemon = nullptr;
};

bool connectPair(Pair *pair, const QString &transport)
{
    const QByteArray key = generateKey();
    pair->server = std::make_unique<Server>(key);
    if (!listen(*pair->server, transport))
        return false;
    QSignalSpy ready(pair->server.get(), &Server::connectionReady);
    QString error;
    pair->worker.reset(connectToDaemon(pair->server->address(), key, nullptr, &error));
    if (!pair->worker)
        return false;
    if (!QTest::qWaitFor([&] { return ready.count() == 1 && pair->worker->isAuthenticated(); }, 5000))
        return false;
    pair->daemon = ready.at(0).at(0).value<Connection *>();
    return pair->daemon != nullptr;
}

} // namespace

class TestHandshake : public QObject {
    Q_OBJECT

private slots:
    // The computations
    void macTestVectors();
    void macsBindEverything();
    void constantTimeCompare();
    void generatedKeysAndNonces();
    void keyFromHex_data();
    void keyFromHex();
    void keyFromEnvironment();

    // The state machine, in memory
    void handshakeInMemory();
    void wrongKeyInMemory();
    void replayedResponseRefused();
    void impostorWelcomeInMemory();
    void versionMismatchInMemory();
    void unexpectedMessageInMemory();

    // Over sockets
    void authenticatesAndExchangesInOrder_data() { addTransports(); }
    void authenticatesAndExchangesInOrder();
    void largeMessagesArriveWhole_data() { addTransports(); }
    void largeMessagesArriveWhole();
    void limitRisesRightAfterWelcome_data() { addTransports(); }
    void limitRisesRightAfterWelcome();
    void wrongKeyRefused_data() { addTransports(); }
    void wrongKeyRefused();
    void impostorDaemonRefused_data() { addTransports(); }
    void impostorDaemonRefused();
    void daemonVersionMismatch_data() { addTransports(); }
    void daemonVersionMismatch();
    void silentClientDropped_data() { addTransports(); }
    void silentClientDropped();
    void silentDaemonDropped_data() { addTransports(); }
    void silentDaemonDropped();
    void badClientDropped_data();
    void badClientDropped();
    void badWorkerAfterAuthentication_data();
    void badWorkerAfterAuthentication();
    void sealedFramesRefuseTampering_data();
    void sealedFramesRefuseTampering();
    void badDaemonAfterAuthentication_data();
    void badDaemonAfterAuthentication();
    void peerCloseDeliversAndDisconnectsOnce_data() { addTransports(); }
    void peerCloseDeliversAndDisconnectsOnce();
    void sendRequiresAuthentication();
    void unauthenticatedConnectionsCapped_data() { addTransports(); }
    void unauthenticatedConnectionsCapped();
    void connectFailure_data() { addTransports(); }
    void connectFailure();

    // Server and addresses
    void localSocketDirectory();
    void socketPathTooLong();
    void tcpAddresses();
    void listenErrors();
    void parseDaemonAddress_data();
    void parseDaemonAddress();
    void connectToDaemonRejectsBadInput();
};

// The computations

void TestHandshake::macTestVectors()
{
    // Computed independently with Python's hmac module:
    //   hmac.new(key, b"ctestd-worker-v1" + Nd + Nw, sha256)
    QByteArray key;
    for (int i = 1; i <= 32; ++i)
        key.append(char(i));
    const QByteArray daemonNonce(32, char(0xd0));
    const QByteArray workerNonce(32, char(0x77));
    QCOMPARE(workerMac(key, daemonNonce, workerNonce).toHex(),
        QByteArray("ec88b88367d185c53c8b9f0d4d2765b5421637e2d5fc018c2735f8c0786b4991"));
    QCOMPARE(daemonMac(key, workerNonce, daemonNonce).toHex(),
        QByteArray("5195c77cf70812b43e0d2881f5a886381b2dd837cafbae414bda55a5e9de6eca"));
}

void TestHandshake::macsBindEverything()
{
    const QByteArray key = generateKey();
    const QByteArray a = generateNonce();
    const QByteArray b = generateNonce();
    const QByteArray mac = workerMac(key, a, b);
    QCOMPARE(mac.size(), MacSize);
    QCOMPARE(workerMac(key, a, b), mac); // deterministic
    QVERIFY(workerMac(generateKey(), a, b) != mac);
    QVERIFY(workerMac(key, generateNonce(), b) != mac);
    QVERIFY(workerMac(key, a, generateNonce()) != mac);
    QVERIFY(workerMac(key, b, a) != mac);
    // The labels differ, so a worker's proof never passes as the daemon's.
    QVERIFY(daemonMac(key, a, b) != mac);
}

void TestHandshake::constantTimeCompare()
{
    const QByteArray mac = generateNonce();
    QVERIFY(constantTimeEquals(mac, QByteArray(mac.constData(), mac.size())));
    QVERIFY(constantTimeEquals(QByteArray(), QByteArray()));
    QByteArray last = mac;
    last[31] = char(last.at(31) ^ 0x01);
    QVERIFY(!constantTimeEquals(mac, last));
    QByteArray first = mac;
    first[0] = char(first.at(0) ^ 0x80);
    QVERIFY(!constantTimeEquals(mac, first));
    QVERIFY(!constantTimeEquals(mac, mac.left(31)));
    QVERIFY(!constantTimeEquals(mac, QByteArray()));
}

void TestHandshake::generatedKeysAndNonces()
{
    QCOMPARE(generateKey().size(), KeySize);
    QCOMPARE(generateNonce().size(), NonceSize);
    QVERIFY(generateKey() != generateKey());
    QVERIFY(generateNonce() != generateNonce());
}

void TestHandshake::keyFromHex_data()
{
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("error");
    const QByteArray key = QByteArray::fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    QTest::newRow("lower") << key.toHex() << key << QString();
    QTest::newRow("upper") << key.toHex().toUpper() << key << QString();
    QTest::newRow("newline") << (" " + key.toHex() + "\n") << key << QString();
    QTest::newRow("16 bytes") << key.left(16).toHex() << key.left(16) << QString();
    QTest::newRow("empty") << QByteArray() << QByteArray() << QStringLiteral("the key is empty");
    QTest::newRow("blank") << QByteArray(" \n") << QByteArray() << QStringLiteral("the key is empty");
    QTest::newRow("not hex") << QByteArray("00112233445566778899aabbccddeefg") << QByteArray()
                             << QStringLiteral("the key is not hex-encoded");
    QTest::newRow("inner space") << QByteArray("0011 2233445566778899aabbccddeeff") << QByteArray()
                                 << QStringLiteral("the key is not hex-encoded");
    QTest::newRow("odd") << QByteArray("00112233445566778899aabbccddeeff0") << QByteArray()
                         << QStringLiteral("the key has an odd number of hex digits");
    QTest::newRow("short") << QByteArray("0011223344556677") << QByteArray()
                           << QStringLiteral("the key is 8 bytes long; at least 16 are needed");
}

void TestHandshake::keyFromHex()
{
    QFETCH(QByteArray, hex);
    QFETCH(QByteArray, key);
    QFETCH(QString, error);
    QString actual;
    QCOMPARE(protocol::keyFromHex(hex, &actual), key);
    QCOMPARE(actual, error);
}

void TestHandshake::keyFromEnvironment()
{
    EnvironmentGuard guard(KeyEnvironmentVariable);
    QString error;

    qunsetenv(KeyEnvironmentVariable);
    QVERIFY(protocol::keyFromEnvironment(&error).isEmpty());
    QCOMPARE(error, QStringLiteral("CTESTD_KEY is not set"));

    qputenv(KeyEnvironmentVariable, "xyz");
    QVERIFY(protocol::keyFromEnvironment(&error).isEmpty());
    QCOMPARE(error, QStringLiteral("CTESTD_KEY: the key is not hex-encoded"));

    qputenv(KeyEnvironmentVariable, "");
    QVERIFY(protocol::keyFromEnvironment(&error).isEmpty());
    QCOMPARE(error, QStringLiteral("CTESTD_KEY: the key is empty"));

    // What insertKey() puts into a worker's environment reads back.
    const QByteArray key = generateKey();
    QProcessEnvironment environment;
    insertKey(&environment, key);
    QCOMPARE(environment.keys(), QStringList {QStringLiteral("CTESTD_KEY")});
    qputenv(KeyEnvironmentVariable, environment.value(QStringLiteral("CTESTD_KEY")).toLatin1());
    error.clear();
    QCOMPARE(protocol::keyFromEnvironment(&error), key);
    QVERIFY(error.isEmpty());
}

// The state machine, in memory

void TestHandshake::handshakeInMemory()
{
    const QByteArray key = generateKey();
    Handshake daemon(Role::Daemon, key);
    Handshake worker(Role::Worker, key);

    const Handshake::Step challenge = daemon.start();
    QVERIFY(challenge.reply);
    QCOMPARE(challenge.reply->type, MessageType::Challenge);
    QCOMPARE(daemon.state(), Handshake::State::AwaitingResponse);
    QVERIFY(!worker.start().reply);
    QCOMPARE(worker.state(), Handshake::State::AwaitingChallenge);

    const Handshake::Step response = worker.handle(*challenge.reply);
    QVERIFY(response.error.isEmpty());
    QVERIFY(!response.done);
    QCOMPARE(response.reply->type, MessageType::Response);
    QCOMPARE(worker.state(), Handshake::State::AwaitingWelcome);
    // The Response carries the MAC of the documented input.
    const auto challengeBody = Challenge::fromCbor(challenge.reply->body, nullptr);
    const auto responseBody = Response::fromCbor(response.reply->body, nullptr);
    QVERIFY(challengeBody && responseBody);
    QCOMPARE(responseBody->version, ProtocolVersion);
    QCOMPARE(responseBody->mac, workerMac(key, challengeBody->nonce, responseBody->nonce));
    QVERIFY(responseBody->nonce != challengeBody->nonce);

    const Handshake::Step welcome = daemon.handle(*response.reply);
    QVERIFY2(welcome.error.isEmpty(), qPrintable(welcome.error));
    QVERIFY(welcome.done);
    QCOMPARE(welcome.reply->type, MessageType::Welcome);
    QCOMPARE(Welcome::fromCbor(welcome.reply->body, nullptr)->mac,
        daemonMac(key, responseBody->nonce, challengeBody->nonce));
    QCOMPARE(daemon.state(), Handshake::State::Done);

    const Handshake::Step done = worker.handle(*welcome.reply);
    QVERIFY2(done.error.isEmpty(), qPrintable(done.error));
    QVERIFY(done.done);
    QVERIFY(!done.reply);
    QCOMPARE(worker.state(), Handshake::State::Done);

    // Nothing more belongs to the handshake.
    const Handshake::Step after = worker.handle(*welcome.reply);
    QCOMPARE(after.error, QStringLiteral("unexpected Welcome after the handshake"));
}

void TestHandshake::wrongKeyInMemory()
{
    Handshake daemon(Role::Daemon, generateKey());
    Handshake worker(Role::Worker, generateKey());
    worker.start();
    const Handshake::Step response = worker.handle(*daemon.start().reply);
    const Handshake::Step refused = daemon.handle(*response.reply);
    QCOMPARE(refused.error, QStringLiteral("wrong key"));
    QVERIFY(!refused.done);
    QCOMPARE(refused.reply->type, MessageType::Refused);
    QCOMPARE(Refused::fromCbor(refused.reply->body, nullptr)->reason, QStringLiteral("wrong key"));
    QCOMPARE(daemon.state(), Handshake::State::Failed);

    const Handshake::Step told = worker.handle(*refused.reply);
    QCOMPARE(told.error, QStringLiteral("the daemon refused the connection: wrong key"));
    QCOMPARE(worker.state(), Handshake::State::Failed);
}

void TestHandshake::replayedResponseRefused()
{
    // A Response recorded from a good handshake is worthless against a new
    // Challenge: the daemon's nonce is fresh.
    const QByteArray key = generateKey();
    Handshake first(Role::Daemon, key);
    Handshake worker(Role::Worker, key);
    worker.start();
    const Message recorded = *worker.handle(*first.start().reply).reply;
    QVERIFY(first.handle(recorded).done);

    Handshake second(Role::Daemon, key);
    second.start();
    const Handshake::Step replayed = second.handle(recorded);
    QCOMPARE(replayed.error, QStringLiteral("wrong key"));
    QVERIFY(!replayed.done);
}

void TestHandshake::impostorWelcomeInMemory()
{
    const QByteArray key = generateKey();
    const QByteArray daemonNonce = generateNonce();
    const auto challenge = makeMessage(MessageType::Challenge, Challenge {ProtocolVersion, daemonNonce}.toCbor());

    // Wrong key, right nonces; right key, stale nonce; the worker's own MAC
    // reflected back.
    for (int variant = 0; variant < 3; ++variant) {
        Handshake worker(Role::Worker, key);
        worker.start();
        const Message response = *worker.handle(challenge).reply;
        const auto body = Response::fromCbor(response.body, nullptr);
        QByteArray mac;
        if (variant == 0)
            mac = daemonMac(generateKey(), body->nonce, daemonNonce);
        else if (variant == 1)
            mac = daemonMac(key, generateNonce(), daemonNonce);
        else
            mac = body->mac;
        const Handshake::Step step = worker.handle(makeMessage(MessageType::Welcome, Welcome {mac}.toCbor()));
        QCOMPARE(step.error, QStringLiteral("the daemon does not know the key (its Welcome has a wrong MAC)"));
        QVERIFY(!step.done);
    }
}

void TestHandshake::versionMismatchInMemory()
{
    Handshake worker(Role::Worker, generateKey());
    worker.start();
    // Only the version: a later version may lay out the rest differently.
    QCborMap future;
    future.insert(QLatin1String("version"), 2);
    const Handshake::Step step = worker.handle(makeMessage(MessageType::Challenge, future));
    QCOMPARE(step.error, QStringLiteral("the daemon speaks protocol version 2, this worker speaks version 1"));
    QVERIFY(!step.reply);

    Handshake daemon(Role::Daemon, generateKey());
    daemon.start();
    const Handshake::Step refused = daemon.handle(makeMessage(MessageType::Response, future));
    QCOMPARE(refused.error, QStringLiteral("the worker speaks protocol version 2, this daemon speaks version 1"));
    QCOMPARE(Refused::fromCbor(refused.reply->body, nullptr)->reason, refused.error);
}

void TestHandshake::unexpectedMessageInMemory()
{
    Handshake daemon(Role::Daemon, generateKey());
    daemon.start();
    const Handshake::Step step = daemon.handle(makeMessage(MessageType::Ready, Ready {1, {}}.toCbor()));
    QCOMPARE(step.error, QStringLiteral("expected Response, got Ready"));
    QCOMPARE(step.reply->type, MessageType::Refused);

    Handshake worker(Role::Worker, generateKey());
    worker.start();
    QCOMPARE(worker.handle(makeMessage(MessageType::Welcome, Welcome {generateNonce()}.toCbor())).error,
        QStringLiteral("expected Challenge, got Welcome"));

    Handshake idle(Role::Daemon, generateKey());
    QCOMPARE(idle.handle(makeMessage(MessageType::Response, {})).error,
        QStringLiteral("Response before the handshake started"));
}

// Over sockets

void TestHandshake::authenticatesAndExchangesInOrder()
{
    QFETCH(QString, transport);
    const QByteArray key = generateKey();
    Server server(key);
    QVERIFY(listen(server, transport));
    QSignalSpy ready(&server, &Server::connectionReady);
    QSignalSpy rejected(&server, &Server::connectionRejected);

    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(server.address(), key, nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QCOMPARE(worker->role(), Role::Worker);
    QCOMPARE(worker->peerDescription(), server.address());
    QSignalSpy workerAuthenticated(worker.get(), &Connection::authenticated);
    QSignalSpy workerFailed(worker.get(), &Connection::failed);

    QTRY_COMPARE(ready.count(), 1);
    QTRY_COMPARE(workerAuthenticated.count(), 1);
    QVERIFY(worker->isAuthenticated());
    auto *daemon = ready.at(0).at(0).value<Connection *>();
    QVERIFY(daemon);
    QVERIFY(daemon->isAuthenticated());
    QCOMPARE(daemon->role(), Role::Daemon);
    QCOMPARE(server.unauthenticatedConnections(), 0);
    if (transport == QLatin1String("local"))
        QCOMPARE(
            daemon->peerDescription(), QStringLiteral("local peer pid %1").arg(QCoreApplication::applicationPid()));
    else
        QVERIFY2(daemon->peerDescription().startsWith(QLatin1String("tcp:127.0.0.1:")),
            qPrintable(daemon->peerDescription()));

    if (transport == QLatin1String("tcp")) {
        QCOMPARE(daemon->findChild<QTcpSocket *>()->socketOption(QAbstractSocket::LowDelayOption).toInt(), 1);
        QCOMPARE(worker->findChild<QTcpSocket *>()->socketOption(QAbstractSocket::LowDelayOption).toInt(), 1);
    }

    QVector<Message> atDaemon;
    QVector<Message> atWorker;
    int queued = 0; // Message is a registered metatype, so queued connections work
    connect(daemon, &Connection::messageReceived, this, [&](const Message &m) { atDaemon.append(m); });
    connect(worker.get(), &Connection::messageReceived, this, [&](const Message &m) { atWorker.append(m); });
    connect(
        daemon, &Connection::messageReceived, this, [&](const Message &) { ++queued; }, Qt::QueuedConnection);

    constexpr int Events = 2000;
    for (int i = 1; i <= Events; ++i) {
        const CaseOutput output {1, QStringLiteral("A.B"), 1 + i % 2, QByteArray::number(i)};
        QVERIFY(worker->send(makeMessage(MessageType::CaseOutput, output.toCbor())));
    }
    constexpr int Units = 300;
    for (int i = 1; i <= Units; ++i) {
        RunUnit run;
        run.unit = i;
        run.executable = QStringLiteral("/t");
        run.framework = QStringLiteral("gtest");
        QVERIFY(daemon->send(makeMessage(MessageType::RunUnit, run.toCbor())));
    }
    QTRY_COMPARE_WITH_TIMEOUT(atDaemon.size(), Events, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(atWorker.size(), Units, 10000);
    for (int i = 0; i < Events; ++i) {
        QCOMPARE(atDaemon.at(i).type, MessageType::CaseOutput);
        QCOMPARE(CaseOutput::fromCbor(atDaemon.at(i).body, nullptr)->data, QByteArray::number(i + 1));
    }
    for (int i = 0; i < Units; ++i)
        QCOMPARE(RunUnit::fromCbor(atWorker.at(i).body, nullptr)->unit, qint64(i + 1));
    QTRY_COMPARE(queued, Events);

    // Each side sends only its own direction.
    QTest::ignoreMessage(QtWarningMsg, "a daemon does not send Ready");
    QVERIFY(!daemon->send(makeMessage(MessageType::Ready, Ready {1, {}}.toCbor())));
    QTest::ignoreMessage(QtWarningMsg, "a worker does not send Shutdown");
    QVERIFY(!worker->send(makeMessage(MessageType::Shutdown, {})));
    QTest::ignoreMessage(QtWarningMsg, "a worker does not send Response");
    QVERIFY(!worker->send(makeMessage(MessageType::Response, {})));

    QCOMPARE(rejected.count(), 0);
    QCOMPARE(workerFailed.count(), 0);
}

void TestHandshake::largeMessagesArriveWhole()
{
    QFETCH(QString, transport);
    Pair pair;
    QVERIFY(connectPair(&pair, transport));
    QVector<Message> atDaemon;
    connect(pair.daemon, &Connection::messageReceived, this, [&](const Message &m) { atDaemon.append(m); });

    // Far above the handshake's 4 KiB limit, and delivered in many reads.
    QByteArray big(8 * 1024 * 1024, Qt::Uninitialized);
    for (int i = 0; i < big.size(); ++i)
        big[i] = char(i * 7);
    QVERIFY(pair.worker->send(
        makeMessage(MessageType::CaseOutput, CaseOutput {5, QStringLiteral("A.B"), 2, big}.toCbor())));
    QVERIFY(pair.worker->send(makeMessage(MessageType::CaseStarted, CaseStarted {5, QStringLiteral("A.C")}.toCbor())));
    QTRY_COMPARE_WITH_TIMEOUT(atDaemon.size(), 2, 10000);
    QCOMPARE(CaseOutput::fromCbor(atDaemon.at(0).body, nullptr)->data, big);
    QCOMPARE(CaseStarted::fromCbor(atDaemon.at(1).body, nullptr)->selector, QStringLiteral("A.C"));
}

void TestHandshake::limitRisesRightAfterWelcome()
{
    // The Welcome and a RunUnit far over the handshake's frame limit arrive in
    // one write: the worker must judge the RunUnit by the post-handshake limit.
    QFETCH(QString, transport);
    const QByteArray key = generateKey();
    FakeDaemon fake;
    QVERIFY(fake.listen(transport));
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(fake.address(), key, nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QStringList events;
    connect(worker.get(), &Connection::authenticated, this, [&] { events.append(QStringLiteral("authenticated")); });
    connect(worker.get(), &Connection::messageReceived, this, [&](const Message &m) {
        events.append(QStringLiteral("%1 %2")
                          .arg(messageTypeName(m.type))
                          .arg(RunUnit::fromCbor(m.body, nullptr)->selectors.size()));
    });
    connect(worker.get(), &Connection::failed, this, [&](const QString &reason) { events.append(reason); });

    RawPeer *daemon = fake.waitForPeer();
    QVERIFY(daemon);
    Handshake handshake(Role::Daemon, key);
    daemon->send(*handshake.start().reply);
    QVERIFY(daemon->waitForMessages(1));
    const Handshake::Step step = handshake.handle(daemon->received.at(0));
    QVERIFY(step.done);
    RunUnit run;
    run.unit = 1;
    run.executable = QStringLiteral("/t");
    run.framework = QStringLiteral("gtest");
    for (int i = 0; i < 5000; ++i)
        run.selectors.append(QStringLiteral("Suite.Case%1").arg(i));
    const QByteArray big = encodeFrame(makeMessage(MessageType::RunUnit, run.toCbor()));
    QVERIFY(big.size() > 10 * int(HandshakeMaxFrameSize));
    // On TCP the frames after the Welcome are sealed (PROTOCOL.md, "Sealed frames").
    FrameSeal seal(handshake.sessionKey(), Role::Daemon);
    daemon->sendRaw(encodeFrame(*step.reply) + (daemon->isTcp() ? seal.seal(big) : big));
    QTRY_COMPARE(events, QStringList({QStringLiteral("authenticated"), QStringLiteral("RunUnit 5000")}));
}

void TestHandshake::wrongKeyRefused()
{
    QFETCH(QString, transport);
    Server server(generateKey());
    QVERIFY(listen(server, transport));
    QSignalSpy ready(&server, &Server::connectionReady);
    QSignalSpy rejected(&server, &Server::connectionRejected);

    expectRejectionLog(QStringLiteral("wrong key"));
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(server.address(), generateKey(), nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QSignalSpy authenticated(worker.get(), &Connection::authenticated);
    QSignalSpy failed(worker.get(), &Connection::failed);
    QSignalSpy disconnected(worker.get(), &Connection::disconnected);

    QTRY_COMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(0).toString(), QStringLiteral("wrong key"));
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("the daemon refused the connection: wrong key"));
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(authenticated.count(), 0);
    QCOMPARE(ready.count(), 0);
    QVERIFY(!worker->isAuthenticated());
    QVERIFY(!worker->send(makeMessage(MessageType::Ready, Ready {1, {}}.toCbor())));
    QCOMPARE(server.unauthenticatedConnections(), 0);
}

void TestHandshake::impostorDaemonRefused()
{
    QFETCH(QString, transport);
    const QByteArray key = generateKey();
    FakeDaemon fake;
    QVERIFY(fake.listen(transport));
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(fake.address(), key, nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QSignalSpy authenticated(worker.get(), &Connection::authenticated);
    QSignalSpy failed(worker.get(), &Connection::failed);

    RawPeer *daemon = fake.waitForPeer();
    QVERIFY(daemon);
    const QByteArray daemonNonce = generateNonce();
    daemon->send(MessageType::Challenge, Challenge {ProtocolVersion, daemonNonce}.toCbor());
    QVERIFY(daemon->waitForMessages(1));
    QCOMPARE(daemon->received.at(0).type, MessageType::Response);
    const auto response = Response::fromCbor(daemon->received.at(0).body, &error);
    QVERIFY2(response, qPrintable(error));
    QCOMPARE(response->mac, workerMac(key, daemonNonce, response->nonce));

    // The impostor cannot compute the daemon's proof without the key.
    daemon->send(MessageType::Welcome, Welcome {daemonMac(generateKey(), response->nonce, daemonNonce)}.toCbor());
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(),
        QStringLiteral("the daemon does not know the key (its Welcome has a wrong MAC)"));
    QCOMPARE(authenticated.count(), 0);
    QVERIFY(daemon->waitForDisconnected());
    QCOMPARE(daemon->received.size(), 1); // nothing after the Response
}

void TestHandshake::daemonVersionMismatch()
{
    QFETCH(QString, transport);
    FakeDaemon fake;
    QVERIFY(fake.listen(transport));
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(fake.address(), generateKey(), nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QSignalSpy failed(worker.get(), &Connection::failed);

    RawPeer *daemon = fake.waitForPeer();
    QVERIFY(daemon);
    daemon->send(MessageType::Challenge, Challenge {2, generateNonce()}.toCbor());
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(),
        QStringLiteral("the daemon speaks protocol version 2, this worker speaks version 1"));
    QVERIFY(daemon->waitForDisconnected());
    QCOMPARE(daemon->received.size(), 0);
}

void TestHandshake::silentClientDropped()
{
    QFETCH(QString, transport);
    Server server(generateKey());
    server.setHandshakeTimeout(FastTimeoutMs);
    QVERIFY(listen(server, transport));
    QSignalSpy rejected(&server, &Server::connectionRejected);

    const QString reason = QStringLiteral("no handshake within %1 ms").arg(FastTimeoutMs);
    expectRejectionLog(reason);
    QElapsedTimer timer;
    timer.start();
    const auto peer = RawPeer::connectTo(server.address());
    QVERIFY(peer);
    QVERIFY(peer->waitForDisconnected());
    QVERIFY2(timer.elapsed() >= FastTimeoutMs - 20, qPrintable(QString::number(timer.elapsed())));
    QTRY_COMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(0).toString(), reason);
    // It was challenged, then told why it is dropped.
    QCOMPARE(peer->received.size(), 2);
    QCOMPARE(peer->received.at(0).type, MessageType::Challenge);
    QCOMPARE(peer->received.at(1).type, MessageType::Refused);
    QCOMPARE(Refused::fromCbor(peer->received.at(1).body, nullptr)->reason, reason);
    QCOMPARE(server.unauthenticatedConnections(), 0);
}

void TestHandshake::silentDaemonDropped()
{
    QFETCH(QString, transport);
    FakeDaemon fake;
    QVERIFY(fake.listen(transport));
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(fake.address(), generateKey(), nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    worker->setHandshakeTimeout(FastTimeoutMs); // restarts the running deadline
    QElapsedTimer timer;
    timer.start();
    QSignalSpy failed(worker.get(), &Connection::failed);
    QSignalSpy disconnected(worker.get(), &Connection::disconnected);
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed()))); // not the default 5 s
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("no handshake within %1 ms").arg(FastTimeoutMs));
    QCOMPARE(disconnected.count(), 1);
    RawPeer *daemon = fake.waitForPeer();
    QVERIFY(daemon);
    QVERIFY(daemon->waitForDisconnected());
    QCOMPARE(daemon->received.size(), 0);
}

void TestHandshake::badClientDropped_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("toldWhy"); // a Refused follows the Challenge

    const QByteArray nonce = generateNonce();
    const QByteArray mac = generateNonce();
    QCborMap future;
    future.insert(QLatin1String("version"), 2);

    for (const QString &transport : {QStringLiteral("local"), QStringLiteral("tcp")}) {
        const auto row = [&](const char *name) {
            return &QTest::newRow(qPrintable(transport + QLatin1Char('/') + QLatin1String(name)));
        };
        // clang-format off
        *row("http") << transport << QByteArray("GET / HTTP/1.1\r\nHost: daemon\r\n\r\n")
            << QStringLiteral("malformed frame: frame of 1195725856 bytes exceeds the 4096-byte limit") << false;
        *row("zero length") << transport << header(0)
            << QStringLiteral("malformed frame: empty frame (length 0)") << false;
        *row("over handshake limit") << transport << header(HandshakeMaxFrameSize + 1) + QByteArray(100, 'x')
            << QStringLiteral("malformed frame: frame of 4097 bytes exceeds the 4096-byte limit") << false;
        *row("4 GiB") << transport << header(0xFFFFFFFF)
            << QStringLiteral("malformed frame: frame of 4294967295 bytes exceeds the 4096-byte limit") << false;
        *row("unknown type") << transport << rawFrame(99, QCborValue(QCborMap()).toCbor())
            << QStringLiteral("malformed frame: unknown message type 99") << false;
        *row("garbage body") << transport << rawFrame(quint8(MessageType::Response), QByteArray("\xff\x01", 2))
            << QStringLiteral("malformed frame: Response body is not valid CBOR: Invalid CBOR stream: unexpected "
                              "'break' byte at byte 0") << false;
        *row("wrong message") << transport << encodeFrame(makeMessage(MessageType::Ready, Ready{1, {}}.toCbor()))
            << QStringLiteral("expected Response, got Ready") << true;
        *row("bad field") << transport
            << encodeFrame(makeMessage(MessageType::Response, Response{1, nonce.left(5), mac}.toCbor()))
            << QStringLiteral("Response: field 'nonce' must be 32 bytes long, not 5") << true;
        *row("version") << transport << encodeFrame(makeMessage(MessageType::Response, future))
            << QStringLiteral("the worker speaks protocol version 2, this daemon speaks version 1") << true;
        *row("forged mac") << transport
            << encodeFrame(makeMessage(MessageType::Response, Response{1, nonce, mac}.toCbor()))
            << QStringLiteral("wrong key") << true;
        *row("closes") << transport << QByteArray()
            << QStringLiteral("the peer closed the connection during the handshake") << false;
        // clang-format on
    }
}

void TestHandshake::badClientDropped()
{
    QFETCH(QString, transport);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    QFETCH(bool, toldWhy);

    Server server(generateKey());
    QVERIFY(listen(server, transport));
    QSignalSpy ready(&server, &Server::connectionReady);
    QSignalSpy rejected(&server, &Server::connectionRejected);
    expectRejectionLog(reason);

    const auto peer = RawPeer::connectTo(server.address());
    QVERIFY(peer);
    QVERIFY(peer->waitForMessages(1)); // the Challenge
    QTRY_COMPARE(server.unauthenticatedConnections(), 1);
    if (bytes.isEmpty())
        peer->abort();
    else
        peer->sendRaw(bytes);

    QTRY_COMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(0).toString(), reason);
    QCOMPARE(ready.count(), 0);
    QTRY_COMPARE(server.unauthenticatedConnections(), 0);
    if (bytes.isEmpty())
        return;
    QVERIFY(peer->waitForDisconnected());
    QCOMPARE(peer->received.size(), toldWhy ? 2 : 1);
    QCOMPARE(peer->received.at(0).type, MessageType::Challenge);
    if (toldWhy) {
        QCOMPARE(peer->received.at(1).type, MessageType::Refused);
        QCOMPARE(Refused::fromCbor(peer->received.at(1).body, nullptr)->reason, reason);
    }
}

void TestHandshake::badWorkerAfterAuthentication_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");

    CaseFinished bogus;
    bogus.unit = 1;
    bogus.selector = QStringLiteral("A.B");
    QCborMap bogusBody = bogus.toCbor();
    bogusBody.insert(QLatin1String("status"), QStringLiteral("bogus"));
    RunUnit run;
    run.unit = 1;
    run.executable = QStringLiteral("/t");

    for (const QString &transport : {QStringLiteral("local"), QStringLiteral("tcp")}) {
        const auto row = [&](const char *name) {
            return &QTest::newRow(qPrintable(transport + QLatin1Char('/') + QLatin1String(name)));
        };
        // clang-format off
        // A sealed (TCP) frame has room for its MAC beyond the limit.
        const quint32 limit = MaxFrameSize + (transport == QLatin1String("tcp") ? MacSize : 0);
        *row("4 GiB") << transport << header(0xFFFFFFFF)
            << QStringLiteral("malformed frame: frame of 4294967295 bytes exceeds the %1-byte limit").arg(limit);
        *row("limit + 1") << transport << header(limit + 1)
            << QStringLiteral("malformed frame: frame of %1 bytes exceeds the %2-byte limit").arg(limit + 1).arg(limit);
        *row("truncated cbor") << transport << rawFrame(quint8(MessageType::Ready), QByteArray::fromHex("a26370"))
            << QStringLiteral("malformed frame: Ready body is not valid CBOR: Unexpected end of input data (more "
                              "bytes needed) at byte 1");
        *row("bad field") << transport << encodeFrame(makeMessage(MessageType::CaseFinished, bogusBody))
            << QStringLiteral("CaseFinished: field 'status' has unknown value 'bogus'");
        *row("daemon's message") << transport << encodeFrame(makeMessage(MessageType::RunUnit, run.toCbor()))
            << QStringLiteral("unexpected RunUnit from the worker");
        *row("handshake again") << transport
            << encodeFrame(makeMessage(MessageType::Response, Response{1, generateNonce(), generateNonce()}.toCbor()))
            << QStringLiteral("unexpected Response from the worker");
        // clang-format on
    }
}

void TestHandshake::badWorkerAfterAuthentication()
{
    QFETCH(QString, transport);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);

    const QByteArray key = generateKey();
    Server server(key);
    QVERIFY(listen(server, transport));
    QSignalSpy ready(&server, &Server::connectionReady);
    QSignalSpy rejected(&server, &Server::connectionRejected);
    const auto peer = RawPeer::connectTo(server.address());
    QVERIFY(peer);
    QVERIFY(peer->authenticateAsWorker(key));
    QTRY_COMPARE(ready.count(), 1);
    auto *daemon = ready.at(0).at(0).value<Connection *>();
    QSignalSpy received(daemon, &Connection::messageReceived);
    QSignalSpy failed(daemon, &Connection::failed);
    QSignalSpy disconnected(daemon, &Connection::disconnected);

    // A good message first, then the bad bytes in the same write.
    peer->sendSealed(
        encodeFrame(makeMessage(MessageType::CaseStarted, CaseStarted {1, QStringLiteral("A.B")}.toCbor())) + bytes);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), reason);
    QCOMPARE(received.count(), 1);
    // Handed out with its fields decoded, so no receiver decodes again.
    const auto good = received.at(0).at(0).value<Message>();
    const auto *started = std::get_if<CaseStarted>(&good.fields);
    QVERIFY(started);
    QCOMPARE(started->selector, QStringLiteral("A.B"));
    QCOMPARE(started->unit, 1);
    QCOMPARE(disconnected.count(), 1);
    QVERIFY(!daemon->isAuthenticated());
    QVERIFY(peer->waitForDisconnected());
    QCOMPARE(rejected.count(), 0); // it was handed out; its owner hears about it
}

void TestHandshake::sealedFramesRefuseTampering_data()
{
    QTest::addColumn<QString>("attack");
    QTest::newRow("flipped byte") << QStringLiteral("flip");
    QTest::newRow("replayed frame") << QStringLiteral("replay");
    QTest::newRow("dropped frame") << QStringLiteral("drop");
    QTest::newRow("unsealed frame") << QStringLiteral("plain");
    QTest::newRow("reflected frame") << QStringLiteral("reflect");
    QTest::newRow("other connection's frame") << QStringLiteral("foreign");
}

void TestHandshake::sealedFramesRefuseTampering()
{
    // A worker that holds the key, on TCP, after the handshake: each frame
    // it sends must carry its MAC over this connection's next sequence
    // number. Whatever a network in between changes is refused.
    QFETCH(QString, attack);
    const QByteArray key = generateKey();
    Server server(key);
    QVERIFY(listen(server, QStringLiteral("tcp")));
    QSignalSpy ready(&server, &Server::connectionReady);
    const auto peer = RawPeer::connectTo(server.address());
    QVERIFY(peer);
    QVERIFY(peer->authenticateAsWorker(key));
    QVERIFY(peer->isSealed());
    QTRY_COMPARE(ready.count(), 1);
    auto *daemon = ready.at(0).at(0).value<Connection *>();
    QSignalSpy received(daemon, &Connection::messageReceived);
    QSignalSpy failed(daemon, &Connection::failed);

    const QByteArray first = encodeFrame(makeMessage(MessageType::Ready, Ready {7, QStringLiteral("h")}.toCbor()));
    const QByteArray second
        = encodeFrame(makeMessage(MessageType::CaseStarted, CaseStarted {1, QStringLiteral("A.B")}.toCbor()));
    // The honest first frame arrives; the attack is on what follows.
    peer->send(makeMessage(MessageType::Ready, Ready {7, QStringLiteral("h")}.toCbor()));
    QTRY_COMPARE(received.count(), 1);
    QByteArray bytes;
    if (attack == QLatin1String("flip")) {
        // Sealed as the peer would, then one byte of the body changed.
        bytes = peer->sealNext(second);
        bytes[6] = char(bytes.at(6) ^ 0x01);
    } else if (attack == QLatin1String("replay")) {
        bytes = peer->lastSent();
    } else if (attack == QLatin1String("drop")) {
        peer->sealNext(second); // sealed, never sent: the next one is one too far
        bytes = peer->sealNext(second);
    } else if (attack == QLatin1String("plain")) {
        bytes = second;
    } else if (attack == QLatin1String("reflect")) {
        // The daemon's direction, as a frame of the daemon's bounced back.
        bytes = peer->sealAs(Role::Daemon, second);
    } else {
        FrameSeal other(sessionKey(key, generateNonce(), generateNonce()), Role::Worker);
        other.seal(first);
        bytes = other.seal(second);
    }
    peer->sendRaw(bytes);
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(failed.at(0).at(0).toString().startsWith(QStringLiteral("malformed frame: ")),
        qPrintable(failed.at(0).at(0).toString()));
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("MAC")), qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(received.count(), 1);
    QVERIFY(peer->waitForDisconnected());
}

void TestHandshake::badDaemonAfterAuthentication_data()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    RunUnit noExecutable;
    noExecutable.unit = 3;
    QCborMap body = noExecutable.toCbor();
    body.remove(QLatin1String("exe"));

    for (const QString &transport : {QStringLiteral("local"), QStringLiteral("tcp")}) {
        const auto row = [&](const char *name) {
            return &QTest::newRow(qPrintable(transport + QLatin1Char('/') + QLatin1String(name)));
        };
        // clang-format off
        *row("worker's message") << transport << encodeFrame(makeMessage(MessageType::Ready, Ready{1, {}}.toCbor()))
            << QStringLiteral("unexpected Ready from the daemon");
        *row("bad field") << transport << encodeFrame(makeMessage(MessageType::RunUnit, body))
            << QStringLiteral("RunUnit: field 'exe' is missing");
        *row("zero length") << transport << header(0) << QStringLiteral("malformed frame: empty frame (length 0)");
        // clang-format on
    }
}

void TestHandshake::badDaemonAfterAuthentication()
{
    QFETCH(QString, transport);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);

    const QByteArray key = generateKey();
    FakeDaemon fake;
    QVERIFY(fake.listen(transport));
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(fake.address(), key, nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QSignalSpy authenticated(worker.get(), &Connection::authenticated);
    QSignalSpy failed(worker.get(), &Connection::failed);
    QSignalSpy disconnected(worker.get(), &Connection::disconnected);
    RawPeer *daemon = fake.waitForPeer();
    QVERIFY(daemon);
    QVERIFY(daemon->authenticateAsDaemon(key));
    QTRY_COMPARE(authenticated.count(), 1);

    daemon->sendSealed(bytes);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), reason);
    QCOMPARE(disconnected.count(), 1);
    QVERIFY(daemon->waitForDisconnected());
}

void TestHandshake::peerCloseDeliversAndDisconnectsOnce()
{
    QFETCH(QString, transport);
    Pair pair;
    QVERIFY(connectPair(&pair, transport));
    QStringList events;
    connect(pair.daemon, &Connection::messageReceived, this,
        [&](const Message &m) { events.append(messageTypeName(m.type)); });
    connect(pair.daemon, &Connection::failed, this, [&](const QString &reason) { events.append(reason); });
    connect(pair.daemon, &Connection::disconnected, this, [&] { events.append(QStringLiteral("disconnected")); });
    QSignalSpy workerDisconnected(pair.worker.get(), &Connection::disconnected);
    QSignalSpy workerFailed(pair.worker.get(), &Connection::failed);

    // The last words arrive before the disconnect.
    UnitFinished finished;
    finished.unit = 1;
    QVERIFY(pair.worker->send(makeMessage(MessageType::UnitFinished, finished.toCbor())));
    pair.worker->close();
    QCOMPARE(workerDisconnected.count(), 1);
    QVERIFY(!pair.worker->isAuthenticated());
    QVERIFY(!pair.worker->send(makeMessage(MessageType::UnitFinished, finished.toCbor())));
    pair.worker->close(); // again: nothing more

    QTRY_COMPARE(events, QStringList({QStringLiteral("UnitFinished"), QStringLiteral("disconnected")}));
    QTest::qWait(50);
    QCOMPARE(events.size(), 2);
    QCOMPARE(workerDisconnected.count(), 1);
    QCOMPARE(workerFailed.count(), 0);
    QVERIFY(!pair.daemon->send(makeMessage(MessageType::Shutdown, {})));
}

void TestHandshake::sendRequiresAuthentication()
{
    const QByteArray key = generateKey();
    Server server(key);
    QVERIFY(listen(server, QStringLiteral("local")));
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(server.address(), key, nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QVERIFY(!worker->isAuthenticated());
    QVERIFY(!worker->send(makeMessage(MessageType::Ready, Ready {1, {}}.toCbor())));
    QSignalSpy authenticated(worker.get(), &Connection::authenticated);
    QVERIFY(authenticated.wait(5000));
    QVERIFY(worker->send(makeMessage(MessageType::Ready, Ready {1, {}}.toCbor())));
}

void TestHandshake::unauthenticatedConnectionsCapped()
{
    QFETCH(QString, transport);
    const QByteArray key = generateKey();
    Server server(key);
    QVERIFY(listen(server, transport));
    QSignalSpy ready(&server, &Server::connectionReady);
    QSignalSpy rejected(&server, &Server::connectionRejected);

    std::vector<std::unique_ptr<RawPeer>> silent;
    for (int i = 1; i <= MaxUnauthenticatedConnections; ++i) {
        silent.push_back(RawPeer::connectTo(server.address()));
        QVERIFY(silent.back());
        QTRY_COMPARE(server.unauthenticatedConnections(), i); // accepted before the listen backlog fills
    }

    // One more: the oldest makes room, told why, and the newcomer is
    // challenged (a worker answers at once; a silent flood must not lock it out).
    const QString reason = QStringLiteral("too many unauthenticated connections (64): the oldest makes room");
    expectRejectionLog(reason);
    const auto extra = RawPeer::connectTo(server.address());
    QVERIFY(extra);
    QVERIFY(extra->waitForMessages(1));
    QCOMPARE(extra->received.at(0).type, MessageType::Challenge);
    RawPeer *oldest = silent.front().get();
    QVERIFY(oldest->waitForDisconnected());
    QCOMPARE(oldest->received.size(), 2);
    QCOMPARE(oldest->received.at(0).type, MessageType::Challenge);
    QCOMPARE(oldest->received.at(1).type, MessageType::Refused);
    QCOMPARE(Refused::fromCbor(oldest->received.at(1).body, nullptr)->reason, reason);
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(0).toString(), reason);
    QCOMPARE(server.unauthenticatedConnections(), MaxUnauthenticatedConnections);
    QVERIFY(!silent.at(1)->disconnected);

    // A real worker gets in the same way, while every slot is still taken.
    expectRejectionLog(reason);
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(server.address(), key, nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QTRY_COMPARE(ready.count(), 1);
    QTRY_VERIFY(worker->isAuthenticated());
    QCOMPARE(rejected.count(), 2);
    QVERIFY(silent.at(1)->waitForDisconnected());
}

void TestHandshake::connectFailure()
{
    QFETCH(QString, transport);
    QString address;
    QTemporaryDir directory;
    if (transport == QLatin1String("local")) {
        address = QStringLiteral("local:") + directory.path() + QStringLiteral("/missing.sock");
    } else {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        address = formatTcpAddress(QStringLiteral("127.0.0.1"), closed.serverPort());
    } // the port is free again
    QString error;
    std::unique_ptr<Connection> worker(connectToDaemon(address, generateKey(), nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QSignalSpy failed(worker.get(), &Connection::failed);
    QSignalSpy disconnected(worker.get(), &Connection::disconnected);
    QTRY_COMPARE(failed.count(), 1);
    const QString reason = failed.at(0).at(0).toString();
    QVERIFY2(reason.startsWith(QStringLiteral("cannot connect to %1: ").arg(address)), qPrintable(reason));
    QVERIFY(reason.size() > address.size() + 20); // Qt's reason follows
    QCOMPARE(disconnected.count(), 1);
}

// Server and addresses

void TestHandshake::localSocketDirectory()
{
    EnvironmentGuard guard("XDG_RUNTIME_DIR");
    QTemporaryDir runtime;
    QVERIFY(runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime.path()));

    auto server = std::make_unique<Server>(generateKey());
    QString error;
    QVERIFY2(server->listenLocal(&error), qPrintable(error));
    const QString directory = server->socketDirectory();
    QVERIFY2(directory.startsWith(runtime.path() + QStringLiteral("/ctestd-")), qPrintable(directory));
    const QString socket = directory + QStringLiteral("/daemon.sock");
    QCOMPARE(server->address(), QStringLiteral("local:") + socket);

    struct stat info = {};
    QCOMPARE(::stat(QFile::encodeName(directory).constData(), &info), 0);
    QVERIFY(S_ISDIR(info.st_mode));
    QCOMPARE(info.st_mode & 07777, mode_t(0700));
    QCOMPARE(info.st_uid, ::getuid());
    QCOMPARE(::stat(QFile::encodeName(socket).constData(), &info), 0);
    QVERIFY(S_ISSOCK(info.st_mode));
    QCOMPARE(info.st_mode & 077, mode_t(0)); // UserAccessOption

    server.reset();
    QVERIFY(!QFileInfo::exists(socket));
    QVERIFY(!QFileInfo::exists(directory));

    // Without XDG_RUNTIME_DIR: the temporary directory.
    qunsetenv("XDG_RUNTIME_DIR");
    Server other(generateKey());
    QVERIFY2(other.listenLocal(&error), qPrintable(error));
    QVERIFY2(other.socketDirectory().startsWith(QDir::tempPath() + QStringLiteral("/ctestd-")),
        qPrintable(other.socketDirectory()));
}

void TestHandshake::socketPathTooLong()
{
    EnvironmentGuard guard("XDG_RUNTIME_DIR");
    QTemporaryDir runtime;
    QVERIFY(runtime.isValid());
    const QString deep = runtime.path() + QLatin1Char('/') + QString(100, QLatin1Char('d'));
    QVERIFY(QDir().mkpath(deep));
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(deep));

    Server server(generateKey());
    QString error;
    QVERIFY(!server.listenLocal(&error));
    const QString path = deep + QStringLiteral("/ctestd-XXXXXX/daemon.sock");
    const QString expected = QStringLiteral("the socket path %1 is %2 bytes long, but a local socket path can have at "
                                            "most 107; point XDG_RUNTIME_DIR or TMPDIR to a shorter directory")
                                 .arg(path)
                                 .arg(path.size());
    // The random part of the directory name differs.
    QCOMPARE(error.size(), expected.size());
    QCOMPARE(error.left(deep.size() + 24), expected.left(deep.size() + 24));
    QCOMPARE(error.mid(deep.size() + 30), expected.mid(deep.size() + 30));
    QVERIFY(!server.isListening());
    QVERIFY(server.address().isEmpty());
    QVERIFY(QDir(deep).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty()); // cleaned up
}

void TestHandshake::tcpAddresses()
{
    const QByteArray key = generateKey();
    Server server(key);
    QString error;
    QVERIFY2(server.listenTcp(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    const auto parsed = protocol::parseDaemonAddress(server.address(), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->kind, DaemonAddress::Kind::Tcp);
    QCOMPARE(parsed->host, QStringLiteral("127.0.0.1"));
    QVERIFY(parsed->port != 0);
    QCOMPARE(server.address(), QStringLiteral("tcp:127.0.0.1:%1").arg(parsed->port));
    QVERIFY(server.socketDirectory().isEmpty());

    Server server6(key);
    if (!server6.listenTcp(QHostAddress::LocalHostIPv6, 0, &error))
        QSKIP("no IPv6 loopback here");
    QVERIFY2(server6.address().startsWith(QLatin1String("tcp:[::1]:")), qPrintable(server6.address()));
    QSignalSpy ready(&server6, &Server::connectionReady);
    std::unique_ptr<Connection> worker(connectToDaemon(server6.address(), key, nullptr, &error));
    QVERIFY2(worker, qPrintable(error));
    QTRY_COMPARE(ready.count(), 1);
    QVERIFY2(ready.at(0).at(0).value<Connection *>()->peerDescription().startsWith(QLatin1String("tcp:[::1]:")),
        qPrintable(ready.at(0).at(0).value<Connection *>()->peerDescription()));
}

void TestHandshake::listenErrors()
{
    QString error;
    Server shortKey(QByteArray("short"));
    QVERIFY(!shortKey.listenLocal(&error));
    QCOMPARE(error, QStringLiteral("the key is 5 bytes long; at least 16 are needed"));

    Server server(generateKey());
    QVERIFY2(server.listenLocal(&error), qPrintable(error));
    QVERIFY(!server.listenTcp(QHostAddress::LocalHost, 0, &error));
    QCOMPARE(error, QStringLiteral("already listening on %1").arg(server.address()));
    QVERIFY(!server.listenLocal(&error));

    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    Server tcp(generateKey());
    QVERIFY(!tcp.listenTcp(QHostAddress::LocalHost, occupant.serverPort(), &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot listen on tcp:127.0.0.1:%1: ").arg(occupant.serverPort())),
        qPrintable(error));
}

void TestHandshake::parseDaemonAddress_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    // clang-format off
    QTest::newRow("local") << "local:/run/user/1000/ctestd-x/daemon.sock" << QString()
                           << "/run/user/1000/ctestd-x/daemon.sock" << QString() << 0;
    QTest::newRow("ipv4") << "tcp:127.0.0.1:4711" << QString() << QString() << "127.0.0.1" << 4711;
    QTest::newRow("ipv6") << "tcp:[::1]:4711" << QString() << QString() << "::1" << 4711;
    QTest::newRow("name") << "tcp:build-host.example:65535" << QString() << QString() << "build-host.example" << 65535;

    const auto bad = [](const char *name, const QString &address, const QString &why) {
        QTest::newRow(name) << address << QStringLiteral("invalid daemon address '%1': %2").arg(address, why)
                            << QString() << QString() << 0;
    };
    const QString expected = QStringLiteral("expected local:PATH or tcp:HOST:PORT");
    const QString badPort = QStringLiteral("the port must be a number from 1 to 65535");
    bad("empty", QString(), expected);
    bad("bare path", QStringLiteral("/tmp/daemon.sock"), expected);
    bad("unknown scheme", QStringLiteral("udp:127.0.0.1:1"), expected);
    bad("no path", QStringLiteral("local:"), QStringLiteral("the socket path is empty"));
    bad("no port", QStringLiteral("tcp:host"), QStringLiteral("the port is missing"));
    bad("no host", QStringLiteral("tcp::4711"), QStringLiteral("the host is empty"));
    bad("port 0", QStringLiteral("tcp:host:0"), badPort);
    bad("port too big", QStringLiteral("tcp:host:65536"), badPort);
    bad("port name", QStringLiteral("tcp:host:http"), badPort);
    bad("port empty", QStringLiteral("tcp:host:"), badPort);
    bad("bare ipv6", QStringLiteral("tcp:::1:4711"), QStringLiteral("an IPv6 address must be in brackets"));
    bad("ipv6 no colon", QStringLiteral("tcp:[::1]4711"), QStringLiteral("expected tcp:[IPV6-ADDRESS]:PORT"));
    bad("ipv6 unclosed", QStringLiteral("tcp:[::1:4711"), QStringLiteral("expected tcp:[IPV6-ADDRESS]:PORT"));
    bad("ipv6 empty", QStringLiteral("tcp:[]:4711"), QStringLiteral("the host is empty"));
    // clang-format on
}

void TestHandshake::parseDaemonAddress()
{
    QFETCH(QString, address);
    QFETCH(QString, error);
    QFETCH(QString, path);
    QFETCH(QString, host);
    QFETCH(int, port);

    QString actual;
    const auto parsed = protocol::parseDaemonAddress(address, &actual);
    QCOMPARE(actual, error);
    QCOMPARE(parsed.has_value(), error.isEmpty());
    if (!parsed)
        return;
    QCOMPARE(parsed->kind, path.isEmpty() ? DaemonAddress::Kind::Tcp : DaemonAddress::Kind::Local);
    QCOMPARE(parsed->path, path);
    QCOMPARE(parsed->host, host);
    QCOMPARE(int(parsed->port), port);
    if (!host.isEmpty())
        QCOMPARE(formatTcpAddress(host, quint16(port)), address);
}

void TestHandshake::connectToDaemonRejectsBadInput()
{
    QString error;
    QVERIFY(!connectToDaemon(QStringLiteral("tcp:host"), generateKey(), this, &error));
    QCOMPARE(error, QStringLiteral("invalid daemon address 'tcp:host': the port is missing"));
    QVERIFY(!connectToDaemon(QStringLiteral("local:/tmp/x.sock"), QByteArray(8, 'k'), this, &error));
    QCOMPARE(error, QStringLiteral("the key is 8 bytes long; at least 16 are needed"));
    QVERIFY(findChildren<Connection *>().isEmpty());
}

QTEST_GUILESS_MAIN(TestHandshake)
#include "tst_handshake.moc"
