// SPDX-License-Identifier: BSD-3-Clause
// Framing: round trips, arbitrary chunking, every way a frame can be wrong,
// and a fuzz loop. The reader must judge a length before it waits for the
// payload, and must never crash on hostile input.

#include "protocol/frame.h"
#include "protocol/handshake.h"

#include <QCborArray>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QtEndian>
#include <QtTest>

using namespace ctestd;
using namespace ctestd::protocol;

namespace {

Message message(MessageType type, const QCborMap &body)
{
    Message m;
    m.type = type;
    m.body = body;
    return m;
}

// One message of every type, with realistic bodies.
QVector<Message> everyMessage()
{
    RunUnit run;
    run.unit = 1;
    run.executable = QStringLiteral("/build/t");
    run.framework = QStringLiteral("gtest");
    run.selectors = QStringList {QStringLiteral("A.B"), QStringLiteral("A.C")};
    run.environment.insert(QStringLiteral("K"), QStringLiteral("V"));
    CaseFinished finished;
    finished.unit = 1;
    finished.selector = QStringLiteral("A.B");
    finished.status = Status::Failed;
    finished.seconds = 0.25;
    finished.message = QStringLiteral("boom");
    UnitFinished unitFinished;
    unitFinished.unit = 1;
    unitFinished.unreported = QStringList {QStringLiteral("A.C")};
    return {
        message(MessageType::Challenge, Challenge {ProtocolVersion, generateNonce()}.toCbor()),
        message(MessageType::Response, Response {ProtocolVersion, generateNonce(), QByteArray(MacSize, 'm')}.toCbor()),
        message(MessageType::Welcome, Welcome {QByteArray(MacSize, 'w')}.toCbor()),
        message(MessageType::Refused, Refused {QStringLiteral("wrong key")}.toCbor()),
        message(MessageType::RunUnit, run.toCbor()),
        message(MessageType::Shutdown, QCborMap()),
        message(MessageType::Ready, Ready {4711, QStringLiteral("host")}.toCbor()),
        message(MessageType::CaseStarted, CaseStarted {1, QStringLiteral("A.B")}.toCbor()),
        message(MessageType::CaseOutput, CaseOutput {1, QStringLiteral("A.B"), 1, QByteArray("x\0y", 3)}.toCbor()),
        message(MessageType::CaseFinished, finished.toCbor()),
        message(MessageType::UnitFinished, unitFinished.toCbor()),
    };
}

QByteArray header(quint32 length)
{
    char bytes[4];
    qToBigEndian(length, bytes);
    return QByteArray(bytes, 4);
}

// A frame around an arbitrary payload.
QByteArray rawFrame(const QByteArray &payload)
{
    return header(quint32(payload.size())) + payload;
}

QByteArray payload(MessageType type, const QByteArray &body)
{
    return QByteArray(1, char(type)) + body;
}

// Feeds `bytes` to a fresh reader and returns the first error (or empty).
QString firstError(const QByteArray &bytes, int *frames = nullptr)
{
    FrameReader reader;
    reader.append(bytes);
    int count = 0;
    for (;;) {
        Message m;
        QString error;
        switch (reader.next(&m, &error)) {
        case FrameReader::Result::Frame:
            ++count;
            continue;
        case FrameReader::Result::NeedMore:
            error.clear();
            break;
        case FrameReader::Result::Error:
            break;
        }
        if (frames)
            *frames = count;
        return error;
    }
}

} // namespace

class TestFrame : public QObject {
    Q_OBJECT

private slots:
    void layout();
    void roundTrip_data();
    void roundTrip();
    void byteByByte();
    void severalFramesInOneChunk();
    void largestFrame();
    void oversizedMessageNotEncoded();
    void zeroLength();
    void oversize_data();
    void oversize();
    void handshakeLimit();
    void unknownType_data();
    void unknownType();
    void malformedBody_data();
    void malformedBody();
    void tooManyItems();
    void errorIsSticky();
    void fuzz();
};

void TestFrame::layout()
{
    const QByteArray frame = encodeFrame(message(MessageType::Ready, Ready {5, QStringLiteral("h")}.toCbor()));
    // length, type byte, then the map {"pid": 5, "host": "h"}.
    QCOMPARE(frame.toHex(),
        QByteArray("0000000e"
                   "14"
                   "a2"
                   "63706964"
                   "05"
                   "64686f7374"
                   "6168"));
}

void TestFrame::roundTrip_data()
{
    QTest::addColumn<Message>("message");
    for (const Message &m : everyMessage())
        QTest::newRow(qPrintable(messageTypeName(m.type))) << m;
}

void TestFrame::roundTrip()
{
    QFETCH(Message, message);
    const QByteArray frame = encodeFrame(message);
    QVERIFY(!frame.isEmpty());
    QCOMPARE(qFromBigEndian<quint32>(frame.constData()), quint32(frame.size() - 4));
    QCOMPARE(quint8(frame.at(4)), quint8(message.type));

    FrameReader reader;
    reader.append(frame);
    Message out;
    QString error;
    QCOMPARE(reader.next(&out, &error), FrameReader::Result::Frame);
    QCOMPARE(out.type, message.type);
    QCOMPARE(out.body, message.body);
    QCOMPARE(reader.next(&out, &error), FrameReader::Result::NeedMore);
    QCOMPARE(reader.bufferedBytes(), qsizetype(0));
    QVERIFY(error.isEmpty());
}

void TestFrame::byteByByte()
{
    const QVector<Message> messages = everyMessage();
    QByteArray stream;
    for (const Message &m : messages)
        stream += encodeFrame(m);

    FrameReader reader;
    QVector<Message> received;
    for (char byte : stream) {
        reader.append(QByteArray(1, byte));
        Message m;
        QString error;
        FrameReader::Result result;
        while ((result = reader.next(&m, &error)) == FrameReader::Result::Frame)
            received.append(m);
        QCOMPARE(result, FrameReader::Result::NeedMore);
    }
    QCOMPARE(received.size(), messages.size());
    for (int i = 0; i < messages.size(); ++i) {
        QCOMPARE(received.at(i).type, messages.at(i).type);
        QCOMPARE(received.at(i).body, messages.at(i).body);
    }
    QCOMPARE(reader.bufferedBytes(), qsizetype(0));
}

void TestFrame::severalFramesInOneChunk()
{
    const QVector<Message> messages = everyMessage();
    QByteArray stream;
    for (const Message &m : messages)
        stream += encodeFrame(m);
    // All of them and half of the first again, in one chunk.
    const QByteArray first = encodeFrame(messages.first());
    stream += first.left(first.size() / 2);

    FrameReader reader;
    reader.append(stream);
    Message m;
    QString error;
    for (const Message &expected : messages) {
        QCOMPARE(reader.next(&m, &error), FrameReader::Result::Frame);
        QCOMPARE(m.type, expected.type);
        QCOMPARE(m.body, expected.body);
    }
    QCOMPARE(reader.next(&m, &error), FrameReader::Result::NeedMore);
    QCOMPARE(reader.bufferedBytes(), qsizetype(first.size() / 2));
    reader.append(first.mid(first.size() / 2));
    QCOMPARE(reader.next(&m, &error), FrameReader::Result::Frame);
    QCOMPARE(m.body, messages.first().body);
}

void TestFrame::largestFrame()
{
    // A CaseOutput whose payload is exactly MaxFrameSize bytes.
    CaseOutput output {1, QStringLiteral("A.B"), 1, QByteArray()};
    const int overhead = encodeFrame(message(MessageType::CaseOutput, output.toCbor())).size() - 4;
    // The byte string's length prefix grows from 1 to 5 bytes for big data.
    output.data = QByteArray(int(MaxFrameSize) - overhead - 4, 'o');
    const QByteArray frame = encodeFrame(message(MessageType::CaseOutput, output.toCbor()));
    QCOMPARE(frame.size() - 4, int(MaxFrameSize));

    FrameReader reader;
    reader.append(frame);
    Message m;
    QString error;
    QCOMPARE(reader.next(&m, &error), FrameReader::Result::Frame);
    const auto decoded = CaseOutput::fromCbor(m.body, &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(decoded->data.size(), output.data.size());
}

void TestFrame::oversizedMessageNotEncoded()
{
    const CaseOutput output {1, QStringLiteral("A.B"), 1, QByteArray(int(MaxFrameSize), 'o')};
    QTest::ignoreMessage(QtWarningMsg, "cannot send CaseOutput: 16777255 bytes exceed the 16777216-byte frame limit");
    QVERIFY(encodeFrame(message(MessageType::CaseOutput, output.toCbor())).isEmpty());
}

void TestFrame::zeroLength()
{
    FrameReader reader;
    reader.append(header(0));
    Message m;
    QString error;
    QCOMPARE(reader.next(&m, &error), FrameReader::Result::Error);
    QCOMPARE(error, QStringLiteral("empty frame (length 0)"));
    QVERIFY(reader.hasError());
}

void TestFrame::oversize_data()
{
    QTest::addColumn<quint32>("length");
    QTest::addColumn<QString>("error");
    QTest::newRow("0xFFFFFFFF") << quint32(0xFFFFFFFF)
                                << QStringLiteral("frame of 4294967295 bytes exceeds the 16777216-byte limit");
    QTest::newRow("2^31") << quint32(0x80000000)
                          << QStringLiteral("frame of 2147483648 bytes exceeds the 16777216-byte limit");
    QTest::newRow("16 MiB + 1") << (MaxFrameSize + 1)
                                << QStringLiteral("frame of 16777217 bytes exceeds the 16777216-byte limit");
}

void TestFrame::oversize()
{
    QFETCH(quint32, length);
    QFETCH(QString, error);
    // Only the header: the reader must refuse at once, not wait for (or make
    // room for) the payload.
    FrameReader reader;
    reader.append(header(length));
    QVERIFY(reader.hasError()); // judged on arrival of the header
    QCOMPARE(reader.bufferedBytes(), qsizetype(0));
    Message m;
    QString actual;
    QCOMPARE(reader.next(&m, &actual), FrameReader::Result::Error);
    QCOMPARE(actual, error);
    QCOMPARE(reader.errorString(), error);

    // Same when the header arrives split and behind a good frame.
    FrameReader split;
    const QByteArray good = encodeFrame(everyMessage().at(6));
    split.append(good + header(length).left(2));
    QCOMPARE(split.next(&m, &actual), FrameReader::Result::Frame);
    QCOMPARE(split.next(&m, &actual), FrameReader::Result::NeedMore);
    split.append(header(length).mid(2));
    QCOMPARE(split.next(&m, &actual), FrameReader::Result::Error);
    QCOMPARE(actual, error);
}

void TestFrame::handshakeLimit()
{
    FrameReader reader;
    reader.setMaxFrameSize(HandshakeMaxFrameSize);
    QCOMPARE(reader.maxFrameSize(), quint32(4096));
    reader.append(header(4097));
    Message m;
    QString error;
    QCOMPARE(reader.next(&m, &error), FrameReader::Result::Error);
    QCOMPARE(error, QStringLiteral("frame of 4097 bytes exceeds the 4096-byte limit"));

    FrameReader capped;
    capped.setMaxFrameSize(0xFFFFFFFF); // never above MaxFrameSize and a sealed frame's MAC
    QCOMPARE(capped.maxFrameSize(), MaxFrameSize + quint32(MacSize));
}

void TestFrame::unknownType_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("0") << 0;
    QTest::newRow("5") << 5;
    QTest::newRow("14") << 14;
    QTest::newRow("28") << 28;
    QTest::newRow("255") << 255;
}

void TestFrame::unknownType()
{
    QFETCH(int, type);
    const QByteArray body = QCborValue(QCborMap()).toCbor();
    QCOMPARE(
        firstError(rawFrame(QByteArray(1, char(type)) + body)), QStringLiteral("unknown message type %1").arg(type));
}

void TestFrame::malformedBody_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");

    const QByteArray ready = QCborValue(Ready {5, QStringLiteral("h")}.toCbor()).toCbor();
    QTest::newRow("no body") << payload(MessageType::Ready, {}) << QStringLiteral("Ready frame has no body");
    QTest::newRow("garbage") << payload(MessageType::Ready, QByteArray::fromHex("ffffffff"))
                             << QStringLiteral("Ready body is not valid CBOR: Invalid CBOR stream: unexpected 'break' "
                                               "byte at byte 0");
    QTest::newRow("truncated") << payload(MessageType::Ready, ready.left(ready.size() - 1))
                               << QStringLiteral("Ready body is not valid CBOR: Unexpected end of input data (more "
                                                 "bytes needed) at byte 11");
    QTest::newRow("truncated header") << payload(MessageType::Ready, ready.left(1))
                                      << QStringLiteral("Ready body is not valid CBOR: Unexpected end of input data "
                                                        "(more bytes needed) at byte 1");
    QTest::newRow("trailing bytes") << payload(MessageType::Ready, ready + "xyz")
                                    << QStringLiteral("Ready body has 3 trailing bytes after the CBOR map");
    QTest::newRow("two maps") << payload(MessageType::Ready, ready + ready)
                              << QStringLiteral("Ready body has 13 trailing bytes after the CBOR map");
    QTest::newRow("array") << payload(MessageType::Ready, QCborValue(QCborArray {1, 2}).toCbor())
                           << QStringLiteral("Ready body is not a CBOR map");
    QTest::newRow("integer") << payload(MessageType::Shutdown, QCborValue(7).toCbor())
                             << QStringLiteral("Shutdown body is not a CBOR map");
    // {"pid": 5, "pid": 6}: which one would count?
    QTest::newRow("duplicate key") << payload(MessageType::Ready,
        QByteArray::fromHex("a2"
                            "63706964"
                            "05"
                            "63706964"
                            "06")) << QStringLiteral("Ready body has the key 'pid' twice");
    // {"host": "\xff\xfe"}: a text string that is not UTF-8, in a small
    // body (decoded at once) and in a large one (walked first).
    QTest::newRow("invalid UTF-8")
        << payload(MessageType::Ready,
               QByteArray::fromHex("a1"
                                   "64686f7374"
                                   "62fffe"))
        << QStringLiteral("Ready body is not valid CBOR: Invalid CBOR stream: invalid UTF-8 text string at byte 9");
    QTest::newRow("invalid UTF-8, large")
        << payload(MessageType::Ready,
               QByteArray::fromHex("a2"
                                   "64686f7374"
                                   "62fffe"
                                   "6470616464"
                                   "59ffff")
                   + QByteArray(0xffff, 'x'))
        << QStringLiteral("Ready body is not valid CBOR: Invalid CBOR stream: invalid UTF-8 text string at byte 9");
    // A byte string that claims 4 GiB inside a tiny frame.
    QTest::newRow("huge byte string") << payload(MessageType::CaseOutput,
        QByteArray::fromHex("a1"
                            "6464617461"
                            "5affffffff"
                            "00"))
                                      << QStringLiteral("CaseOutput body is not valid CBOR: Internal limitation: "
                                                        "data set too large at byte 6");
    // An array that claims 2^64 elements.
    QTest::newRow("huge array") << payload(MessageType::RunUnit,
        QByteArray::fromHex("a1"
                            "6461726773"
                            "9bffffffffffffffff"))
                                << QStringLiteral("RunUnit body is not valid CBOR: Internal limitation: data set too "
                                                  "large at byte 15");
    QByteArray deep = QByteArray::fromHex("a1"
                                          "6161")
        + QByteArray(40, char(0x81)) + QByteArray(1, 0);
    QTest::newRow("deep nesting") << payload(MessageType::Ready, deep)
                                  << QStringLiteral("Ready body nests deeper than 32 levels");
    QByteArray veryDeep = QByteArray::fromHex("a1"
                                              "6161")
        + QByteArray(100000, char(0x81));
    QTest::newRow("very deep nesting") << payload(MessageType::Ready, veryDeep)
                                       << QStringLiteral("Ready body nests deeper than 32 levels");
}

void TestFrame::malformedBody()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    QCOMPARE(firstError(rawFrame(payload)), error);

    // decodePayload() says the same.
    Message m;
    QString direct;
    QVERIFY(!decodePayload(payload, &m, &direct));
    QCOMPARE(direct, error);
}

void TestFrame::tooManyItems()
{
    // {"a": [0, 0, ... ]} with MaxItemsPerFrame zeros: under the size limit,
    // but it would decode into ~30 bytes per item.
    QByteArray body = QByteArray::fromHex("a1"
                                          "6161"
                                          "9a")
        + QByteArray(4, 0);
    qToBigEndian<quint32>(quint32(MaxItemsPerFrame), body.data() + 4);
    body += QByteArray(int(MaxItemsPerFrame), 0);
    QCOMPARE(firstError(rawFrame(payload(MessageType::Ready, body))),
        QStringLiteral("Ready body has more than 1048576 CBOR items"));

    // One fewer (the map and the array count too) is fine.
    QByteArray fits = QByteArray::fromHex("a1"
                                          "6161"
                                          "9a")
        + QByteArray(4, 0);
    qToBigEndian<quint32>(quint32(MaxItemsPerFrame - 3), fits.data() + 4);
    fits += QByteArray(int(MaxItemsPerFrame - 3), 0);
    int frames = 0;
    QCOMPARE(firstError(rawFrame(payload(MessageType::Ready, fits)), &frames), QString());
    QCOMPARE(frames, 1);
}

void TestFrame::errorIsSticky()
{
    FrameReader reader;
    reader.append(rawFrame(payload(MessageType::Ready, "\xff")));
    Message m;
    QString error;
    QCOMPARE(reader.next(&m, &error), FrameReader::Result::Error);
    const QString first = error;
    QVERIFY(!first.isEmpty());
    // Good frames after the error are not read: the stream has lost its framing.
    reader.append(encodeFrame(everyMessage().at(6)));
    QCOMPARE(reader.bufferedBytes(), qsizetype(0));
    error.clear();
    QCOMPARE(reader.next(&m, &error), FrameReader::Result::Error);
    QCOMPARE(error, first);
    QCOMPARE(reader.next(&m, nullptr), FrameReader::Result::Error);
}

void TestFrame::fuzz()
{
    // Valid frames, mutated: bit flips, overwritten bytes, cuts, insertions,
    // spliced streams and pure noise, fed in random chunks. No crash, no
    // frame that fails to re-encode, no buffer beyond the limit.
    // A fixed seed keeps the test reproducible; CTESTD_FUZZ_SEED explores.
    bool seeded = false;
    quint32 seed = qEnvironmentVariable("CTESTD_FUZZ_SEED").toUInt(&seeded);
    if (!seeded)
        seed = 20240601;
    qInfo("fuzz seed %u", seed);
    QRandomGenerator random(seed);
    const QVector<Message> messages = everyMessage();
    QVector<QByteArray> frames;
    for (const Message &m : messages)
        frames.append(encodeFrame(m));

    QElapsedTimer timer;
    timer.start();
    int decoded = 0;
    int errors = 0;
    for (int round = 0; round < 4000; ++round) {
        QByteArray input;
        const int pieces = 1 + random.bounded(4);
        for (int i = 0; i < pieces; ++i)
            input += frames.at(random.bounded(frames.size()));
        const int mutations = random.bounded(6);
        for (int i = 0; i < mutations && !input.isEmpty(); ++i) {
            const int at = random.bounded(input.size());
            switch (random.bounded(6)) {
            case 0:
                input[at] = char(input.at(at) ^ char(1 << random.bounded(8)));
                break;
            case 1:
                input[at] = char(random.bounded(256));
                break;
            case 2:
                input.truncate(at);
                break;
            case 3:
                input.insert(at, char(random.bounded(256)));
                break;
            case 4:
                input.remove(at, 1 + random.bounded(8));
                break;
            case 5: {
                QByteArray noise(1 + random.bounded(64), Qt::Uninitialized);
                for (char &c : noise)
                    c = char(random.bounded(256));
                input.insert(at, noise);
                break;
            }
            }
        }

        FrameReader reader;
        if (random.bounded(4) == 0)
            reader.setMaxFrameSize(HandshakeMaxFrameSize);
        int offset = 0;
        bool failed = false;
        while (offset < input.size() && !failed) {
            const int chunk = 1 + random.bounded(input.size() - offset);
            reader.append(input.mid(offset, chunk));
            offset += chunk;
            QVERIFY(reader.bufferedBytes() <= qsizetype(input.size()));
            for (;;) {
                Message m;
                QString error;
                const FrameReader::Result result = reader.next(&m, &error);
                if (result == FrameReader::Result::NeedMore)
                    break;
                if (result == FrameReader::Result::Error) {
                    QVERIFY(!error.isEmpty());
                    QVERIFY(reader.hasError());
                    failed = true;
                    ++errors;
                    break;
                }
                ++decoded;
                QVERIFY(isKnownMessageType(quint8(m.type)));
                // Whatever decodes must also re-encode and survive validation.
                QVERIFY(!encodeFrame(m).isEmpty());
                QString ignored;
                RunUnit::fromCbor(m.body, &ignored);
                CaseFinished::fromCbor(m.body, &ignored);
                UnitFinished::fromCbor(m.body, &ignored);
                Response::fromCbor(m.body, &ignored);
            }
        }
    }
    QVERIFY(decoded > 1000); // the mutations left plenty of frames intact
    QVERIFY(errors > 1000); // and broke plenty
    // A guard against a decoder that hangs or goes quadratic, not a speed
    // test: it takes about 1 s under ASan alone, and over 6 s next to the
    // rest of the suite on two cores, so the bound is far from both.
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestFrame)
#include "tst_frame.moc"
