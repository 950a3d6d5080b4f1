// SPDX-License-Identifier: BSD-3-Clause
// The typed messages: round trips through CBOR, and fromCbor()'s checks of
// every field, with the exact error texts that end up in logs.

#include "protocol/handshake.h"
#include "protocol/messages.h"

#include <QCborArray>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace ctestd;
using namespace ctestd::protocol;

Q_DECLARE_METATYPE(ctestd::protocol::MessageType)

namespace {

// fromCbor() of the typed struct for `type`; the error is what it reports.
bool validate(MessageType type, const QCborMap &body, QString *error)
{
    switch (type) {
    case MessageType::Challenge:
        return Challenge::fromCbor(body, error).has_value();
    case MessageType::Response:
        return Response::fromCbor(body, error).has_value();
    case MessageType::Welcome:
        return Welcome::fromCbor(body, error).has_value();
    case MessageType::Refused:
        return Refused::fromCbor(body, error).has_value();
    case MessageType::RunUnit:
        return RunUnit::fromCbor(body, error).has_value();
    case MessageType::Shutdown:
    case MessageType::Ping:
    case MessageType::Pong:
    case MessageType::CaseAccepted:
        return true;
    case MessageType::Ready:
        return Ready::fromCbor(body, error).has_value();
    case MessageType::CaseStarted:
        return CaseStarted::fromCbor(body, error).has_value();
    case MessageType::CaseOutput:
        return CaseOutput::fromCbor(body, error).has_value();
    case MessageType::CaseFinished:
        return CaseFinished::fromCbor(body, error).has_value();
    case MessageType::UnitFinished:
        return UnitFinished::fromCbor(body, error).has_value();
    case MessageType::CaseRequest:
        return CaseRequest::fromCbor(body, error).has_value();
    case MessageType::CaseAnswer:
        return CaseAnswer::fromCbor(body, error).has_value();
    case MessageType::WorkerSetup:
        return WorkerSetup::fromCbor(body, error).has_value();
    case MessageType::HookFinished:
        return HookFinished::fromCbor(body, error).has_value();
    }
    return false;
}

CaseRequest sampleCaseRequest()
{
    CaseRequest m;
    m.executable = QStringLiteral("/build/tests/math_test");
    m.framework = QStringLiteral("gtest");
    m.groupBy = QStringLiteral("suite");
    m.group = QStringLiteral("Math");
    m.selector = QStringLiteral("Math.Add");
    m.workingDirectory = QStringLiteral("/build");
    m.extraArguments = QStringList {QStringLiteral("--x")};
    m.timeoutSeconds = 12;
    m.invocationPid = 4321;
    m.invocationStart = 987654;
    m.invocationIsCtest = true;
    m.executableIdentity = QStringLiteral("2049:1234:5678:1700000000.000000042");
    m.launcher
        = QStringList {QStringLiteral("qemu-arm"), QStringLiteral("-L"), QStringLiteral("/usr/arm-linux-gnueabihf")};
    return m;
}

RunUnit sampleRunUnit()
{
    RunUnit m;
    m.unit = 42;
    m.executable = QStringLiteral("/build/tests/math_test");
    m.framework = QStringLiteral("gtest");
    m.selectors
        = QStringList {QStringLiteral("Math.Add"), QStringLiteral("Typed/0.Zero"), QStringLiteral("Ünïcode.名前")};
    m.names = {{QStringLiteral("Typed/0.Zero"), QStringLiteral("Typed.Zero<int>")}};
    m.extraArguments = QStringList {QStringLiteral("--gtest_color=no"), QString()};
    m.workingDirectory = QStringLiteral("/build/tests");
    m.environment = {{QStringLiteral("PATH"), QStringLiteral("/usr/bin")}, {QStringLiteral("EMPTY"), QString()}};
    m.timeoutSeconds = 2.5;
    m.outputCap = 307200;
    m.environmentComplete = true;
    m.launcher = QStringList {QStringLiteral("valgrind"), QStringLiteral("--error-exitcode=99")};
    return m;
}

CaseFinished sampleCaseFinished()
{
    CaseFinished m;
    m.unit = 7;
    m.selector = QStringLiteral("Math.Div");
    m.status = Status::Crashed;
    m.seconds = 0.125;
    m.message = QStringLiteral("Subprocess aborted");
    m.file = QStringLiteral("math_test.cpp");
    m.line = 31;
    m.signal = 6;
    m.exitCode = -3;
    return m;
}

UnitFinished sampleUnitFinished()
{
    UnitFinished m;
    m.unit = 7;
    m.exitCode = -3;
    m.signal = 11;
    m.error = QStringLiteral("worker lost");
    m.unreported = QStringList {QStringLiteral("Math.Mul"), QStringLiteral("Math.Sub")};
    m.stoppedEarly = true;
    m.suspect = QStringLiteral("Math.Sub");
    m.unconfirmed = QStringList {QStringLiteral("Math.Add")};
    return m;
}

WorkerSetup sampleWorkerSetup()
{
    WorkerSetup m;
    m.id = 3;
    m.count = 4;
    m.setup = QStringLiteral("createdb test_$CTESTD_WORKER_ID");
    m.teardown = QStringLiteral("dropdb test_$CTESTD_WORKER_ID");
    m.hookTimeoutSeconds = 30;
    m.keepTmp = true;
    m.isolateWorkdir = true;
    return m;
}

HookFinished sampleHookFinished()
{
    HookFinished m;
    m.hook = QStringLiteral("teardown");
    m.ran = true;
    m.exitCode = 3;
    m.signal = 9;
    m.timedOut = true;
    m.error = QStringLiteral("cannot start");
    m.output = QByteArray("said\xff\n", 6);
    m.tmpDir = QStringLiteral("/tmp/ctestd-worker-3-abc/tmp");
    return m;
}

// A valid body of each type, for the rejection table to break one field of.
QCborMap validBody(MessageType type)
{
    switch (type) {
    case MessageType::Challenge:
        return Challenge {ProtocolVersion, QByteArray(NonceSize, 'n')}.toCbor();
    case MessageType::Response:
        return Response {ProtocolVersion, QByteArray(NonceSize, 'n'), QByteArray(MacSize, 'm')}.toCbor();
    case MessageType::Welcome:
        return Welcome {QByteArray(MacSize, 'm')}.toCbor();
    case MessageType::Refused:
        return Refused {QStringLiteral("no")}.toCbor();
    case MessageType::RunUnit:
        return sampleRunUnit().toCbor();
    case MessageType::Shutdown:
    case MessageType::Ping:
    case MessageType::Pong:
    case MessageType::CaseAccepted:
        return {};
    case MessageType::Ready:
        return Ready {1234, QStringLiteral("host")}.toCbor();
    case MessageType::CaseStarted:
        return CaseStarted {7, QStringLiteral("Math.Add")}.toCbor();
    case MessageType::CaseOutput:
        return CaseOutput {7, QStringLiteral("Math.Add"), 2, QByteArray("out")}.toCbor();
    case MessageType::CaseFinished:
        return sampleCaseFinished().toCbor();
    case MessageType::UnitFinished:
        return sampleUnitFinished().toCbor();
    case MessageType::CaseRequest:
        return sampleCaseRequest().toCbor();
    case MessageType::CaseAnswer:
        return CaseAnswer {QStringLiteral("Math.Add"), Status::Failed, 0.5, QStringLiteral("boom"), QString(), 0,
            QByteArray("out\n"), 1, QStringLiteral("ctestd: Math.Add ***Failed: boom")}
            .toCbor();
    case MessageType::WorkerSetup:
        return sampleWorkerSetup().toCbor();
    case MessageType::HookFinished:
        return sampleHookFinished().toCbor();
    }
    return {};
}

using Edit = std::function<void(QCborMap &)>;

Edit removeKey(const char *key)
{
    return [key](QCborMap &map) { map.remove(QLatin1String(key)); };
}

Edit setKey(const char *key, const QCborValue &value)
{
    return [key, value](QCborMap &map) { map.insert(QLatin1String(key), value); };
}

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestMessages : public QObject {
    Q_OBJECT

private slots:
    void typeNames();
    void serviceMessagesRoundTrip();
    void runUnitRoundTrip();
    void readyRoundTrip();
    void caseStartedRoundTrip();
    void caseOutputRoundTrip();
    void caseFinishedRoundTrip_data();
    void caseFinishedRoundTrip();
    void unitFinishedRoundTrip();
    void workerSetupRoundTrip();
    void hookFinishedRoundTrip();
    void handshakeRoundTrips();
    void optionalFieldsDefault();
    void unknownKeysIgnored();
    void nullErrorPointer();
    void rejects_data();
    void rejects();
};

void TestMessages::typeNames()
{
    QCOMPARE(messageTypeName(MessageType::Challenge), QStringLiteral("Challenge"));
    QCOMPARE(messageTypeName(MessageType::CaseFinished), QStringLiteral("CaseFinished"));
    QCOMPARE(messageTypeName(MessageType::UnitFinished), QStringLiteral("UnitFinished"));
    QCOMPARE(messageTypeName(MessageType::Ping), QStringLiteral("Ping"));
    QCOMPARE(messageTypeName(MessageType::Pong), QStringLiteral("Pong"));
    QCOMPARE(messageTypeName(MessageType::WorkerSetup), QStringLiteral("WorkerSetup"));
    QCOMPARE(messageTypeName(MessageType::HookFinished), QStringLiteral("HookFinished"));
    QCOMPARE(messageTypeName(static_cast<MessageType>(99)), QStringLiteral("message type 99"));
    // 24 was CaseDetail, 31, 32 and 41 the session messages: retired.
    const QList<int> known = {1, 2, 3, 4, 10, 11, 12, 13, 20, 21, 22, 23, 25, 26, 27, 30, 40, 42};
    for (int value = 0; value < 256; ++value)
        QCOMPARE(isKnownMessageType(quint8(value)), known.contains(value));
}

void TestMessages::serviceMessagesRoundTrip()
{
    QString error;
    const auto request = CaseRequest::fromCbor(sampleCaseRequest().toCbor(), &error);
    QVERIFY2(request, qPrintable(error));
    QCOMPARE(request->group, QStringLiteral("Math"));
    QCOMPARE(request->groupBy, QStringLiteral("suite"));
    QCOMPARE(request->extraArguments, QStringList {QStringLiteral("--x")});
    QCOMPARE(request->timeoutSeconds, 12.0);
    QCOMPARE(request->invocationPid, 4321);
    QCOMPARE(request->invocationStart, 987654);
    QCOMPARE(request->invocationIsCtest, true);
    QCOMPARE(request->executableIdentity, QStringLiteral("2049:1234:5678:1700000000.000000042"));
    QCOMPARE(request->launcher, sampleCaseRequest().launcher);
    CaseRequest older = sampleCaseRequest();
    older.executableIdentity.reset(); // a client from before exeid
    QVERIFY2(CaseRequest::fromCbor(older.toCbor(), &error), qPrintable(error));
    QVERIFY(!CaseRequest::fromCbor(older.toCbor(), &error)->executableIdentity);
    CaseRequest single = sampleCaseRequest();
    single.invocationIsCtest = false;
    QCOMPARE(CaseRequest::fromCbor(single.toCbor(), &error)->invocationIsCtest, false);
    CaseRequest noInvocation = sampleCaseRequest();
    noInvocation.invocationPid = 0;
    QVERIFY(!CaseRequest::fromCbor(noInvocation.toCbor(), &error));
    QVERIFY2(error.contains(QLatin1String("invpid")), qPrintable(error));
    const auto answer = CaseAnswer::fromCbor(validBody(MessageType::CaseAnswer), &error);
    QVERIFY2(answer, qPrintable(error));
    QCOMPARE(answer->status, Status::Failed);
    QCOMPARE(answer->output, QByteArray("out\n"));
    QCOMPARE(answer->exitCode, 1);
    QCOMPARE(answer->note, QStringLiteral("ctestd: Math.Add ***Failed: boom"));
    CaseRequest empty = sampleCaseRequest();
    empty.selector.clear();
    QVERIFY(!CaseRequest::fromCbor(empty.toCbor(), &error));
    QCOMPARE(error, QStringLiteral("CaseRequest: fields 'exe' and 'selector' must not be empty"));
    QCOMPARE(messageTypeName(MessageType::CaseRequest), QStringLiteral("CaseRequest"));
    QVERIFY(!isKnownMessageType(41)); // SessionAck, retired
}

void TestMessages::runUnitRoundTrip()
{
    const RunUnit in = sampleRunUnit();
    QString error;
    const auto out = RunUnit::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->unit, in.unit);
    QCOMPARE(out->executable, in.executable);
    QCOMPARE(out->framework, in.framework);
    QCOMPARE(out->selectors, in.selectors);
    QCOMPARE(out->names, in.names);
    QCOMPARE(out->extraArguments, in.extraArguments);
    QCOMPARE(out->workingDirectory, in.workingDirectory);
    QCOMPARE(out->environment, in.environment);
    QCOMPARE(out->timeoutSeconds, in.timeoutSeconds);
    QCOMPARE(out->outputCap, in.outputCap);
    QCOMPARE(out->environmentComplete, true);
    QCOMPARE(out->launcher, in.launcher);
    // The documented keys, nothing else.
    QStringList keys;
    const QCborMap map = in.toCbor();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        keys.append(it.key().toString());
    keys.sort();
    QCOMPARE(keys,
        QStringList({QStringLiteral("args"), QStringLiteral("cwd"), QStringLiteral("env"),
            QStringLiteral("envcomplete"), QStringLiteral("exe"), QStringLiteral("framework"),
            QStringLiteral("launcher"), QStringLiteral("names"), QStringLiteral("outputcap"),
            QStringLiteral("selectors"), QStringLiteral("timeout"), QStringLiteral("unit")}));
}

void TestMessages::readyRoundTrip()
{
    const Ready in {std::numeric_limits<qint64>::max(), QStringLiteral("build-07")};
    QString error;
    const auto out = Ready::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->pid, in.pid);
    QCOMPARE(out->host, in.host);
}

void TestMessages::caseStartedRoundTrip()
{
    const CaseStarted in {3, QStringLiteral("Suite/Param.Case/7"), 0.0125};
    QString error;
    const auto out = CaseStarted::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->unit, in.unit);
    QCOMPARE(out->selector, in.selector);
    QCOMPARE(out->at, 0.0125);

    // `at` is optional: without it, the daemon times the case by arrival.
    const CaseStarted bare {3, QStringLiteral("A.B")};
    QVERIFY(!bare.toCbor().contains(QStringLiteral("at")));
    const auto bareOut = CaseStarted::fromCbor(bare.toCbor(), &error);
    QVERIFY2(bareOut, qPrintable(error));
    QCOMPARE(bareOut->at, -1.0);
}

void TestMessages::workerSetupRoundTrip()
{
    const WorkerSetup in = sampleWorkerSetup();
    QString error;
    const auto out = WorkerSetup::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->id, 3);
    QCOMPARE(out->count, 4);
    QCOMPARE(out->setup, in.setup);
    QCOMPARE(out->teardown, in.teardown);
    QCOMPARE(out->hookTimeoutSeconds, 30.0);
    QVERIFY(out->keepTmp);
    QVERIFY(out->isolateWorkdir);

    // Without hooks and options: only the id, the count and the time limit.
    const WorkerSetup bare;
    const QCborMap body = bare.toCbor();
    QCOMPARE(body.size(), 3);
    const auto bareOut = WorkerSetup::fromCbor(body, &error);
    QVERIFY2(bareOut, qPrintable(error));
    QVERIFY(bareOut->setup.isEmpty());
    QVERIFY(!bareOut->keepTmp);
    QVERIFY(!bareOut->isolateWorkdir);
}

void TestMessages::hookFinishedRoundTrip()
{
    const HookFinished in = sampleHookFinished();
    QString error;
    const auto out = HookFinished::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->hook, in.hook);
    QVERIFY(out->ran);
    QCOMPARE(out->exitCode, 3);
    QCOMPARE(out->signal, 9);
    QVERIFY(out->timedOut);
    QCOMPARE(out->error, in.error);
    QCOMPARE(out->output, in.output);
    QCOMPARE(out->tmpDir, in.tmpDir);
    QVERIFY(out->failed());

    HookFinished clean;
    clean.hook = QStringLiteral("setup");
    QVERIFY(!clean.failed());
    const auto cleanOut = HookFinished::fromCbor(clean.toCbor(), &error);
    QVERIFY2(cleanOut, qPrintable(error));
    QVERIFY(!cleanOut->ran);
    QVERIFY(!cleanOut->failed());
}

void TestMessages::caseOutputRoundTrip()
{
    static const char raw[] = "line\0with nul\xff\xfe not utf-8\n";
    const QByteArray data(raw, sizeof(raw) - 1);
    const CaseOutput in {3, QStringLiteral("A.B"), 2, data};
    QString error;
    const auto out = CaseOutput::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->unit, in.unit);
    QCOMPARE(out->selector, in.selector);
    QCOMPARE(out->stream, 2);
    QCOMPARE(out->data, data);
    QCOMPARE(out->data.size(), 26);
}

void TestMessages::caseFinishedRoundTrip_data()
{
    QTest::addColumn<int>("status");
    for (Status s : {Status::Passed, Status::Failed, Status::Skipped, Status::Disabled, Status::Timeout,
             Status::Crashed, Status::NotRun})
        QTest::newRow(qPrintable(statusName(s))) << int(s);
}

void TestMessages::caseFinishedRoundTrip()
{
    QFETCH(int, status);
    CaseFinished in = sampleCaseFinished();
    in.status = Status(status);
    QString error;
    const auto out = CaseFinished::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(int(out->status), status);
    QCOMPARE(in.toCbor().value(QLatin1String("status")).toString(), statusName(Status(status)));
    QCOMPARE(out->unit, in.unit);
    QCOMPARE(out->selector, in.selector);
    QCOMPARE(out->seconds, in.seconds);
    QCOMPARE(out->message, in.message);
    QCOMPARE(out->file, in.file);
    QCOMPARE(out->line, in.line);
    QCOMPARE(out->signal, in.signal);
    QCOMPARE(out->exitCode, in.exitCode);
}

void TestMessages::unitFinishedRoundTrip()
{
    const UnitFinished in = sampleUnitFinished();
    QString error;
    const auto out = UnitFinished::fromCbor(in.toCbor(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->unit, in.unit);
    QCOMPARE(out->exitCode, in.exitCode);
    QCOMPARE(out->signal, in.signal);
    QCOMPARE(out->error, in.error);
    QCOMPARE(out->unreported, in.unreported);
    QCOMPARE(out->stoppedEarly, true);
    QCOMPARE(out->suspect, in.suspect);
    QCOMPARE(out->unconfirmed, in.unconfirmed);
}

void TestMessages::handshakeRoundTrips()
{
    const QByteArray nonce = generateNonce();
    const QByteArray mac(MacSize, '\x01');
    QString error;
    const auto challenge = Challenge::fromCbor(Challenge {ProtocolVersion, nonce}.toCbor(), &error);
    QVERIFY2(challenge, qPrintable(error));
    QCOMPARE(challenge->version, ProtocolVersion);
    QCOMPARE(challenge->nonce, nonce);
    const auto response = Response::fromCbor(Response {ProtocolVersion, nonce, mac}.toCbor(), &error);
    QVERIFY2(response, qPrintable(error));
    QCOMPARE(response->nonce, nonce);
    QCOMPARE(response->mac, mac);
    const auto welcome = Welcome::fromCbor(Welcome {mac}.toCbor(), &error);
    QVERIFY2(welcome, qPrintable(error));
    QCOMPARE(welcome->mac, mac);
    const auto refused = Refused::fromCbor(Refused {QStringLiteral("wrong key")}.toCbor(), &error);
    QVERIFY2(refused, qPrintable(error));
    QCOMPARE(refused->reason, QStringLiteral("wrong key"));
}

void TestMessages::optionalFieldsDefault()
{
    QCborMap run;
    run.insert(QLatin1String("unit"), 1);
    run.insert(QLatin1String("exe"), QStringLiteral("/t"));
    run.insert(QLatin1String("framework"), QStringLiteral("plain"));
    run.insert(QLatin1String("selectors"), QCborArray());
    run.insert(QLatin1String("timeout"), 0); // an integer is a number too
    run.insert(QLatin1String("outputcap"), 0);
    QString error;
    const auto unit = RunUnit::fromCbor(run, &error);
    QVERIFY2(unit, qPrintable(error));
    QVERIFY(unit->extraArguments.isEmpty());
    QVERIFY(unit->workingDirectory.isEmpty());
    QVERIFY(unit->environment.isEmpty());
    QCOMPARE(unit->timeoutSeconds, 0.0);

    QCborMap finished;
    finished.insert(QLatin1String("unit"), 1);
    finished.insert(QLatin1String("selector"), QStringLiteral("A.B"));
    finished.insert(QLatin1String("status"), QStringLiteral("passed"));
    finished.insert(QLatin1String("seconds"), 0.5);
    const auto f = CaseFinished::fromCbor(finished, &error);
    QVERIFY2(f, qPrintable(error));
    QVERIFY(f->message.isEmpty());
    QVERIFY(f->file.isEmpty());
    QCOMPARE(f->line, 0);
    QCOMPARE(f->signal, 0);
    QCOMPARE(f->exitCode, std::optional<int>()); // none unless a plain test exited

    QCborMap unitFinished;
    unitFinished.insert(QLatin1String("unit"), 1);
    unitFinished.insert(QLatin1String("exitcode"), 0);
    const auto u = UnitFinished::fromCbor(unitFinished, &error);
    QVERIFY2(u, qPrintable(error));
    QCOMPARE(u->signal, 0);
    QVERIFY(u->error.isEmpty());
    QVERIFY(u->unreported.isEmpty());
    QCOMPARE(u->stoppedEarly, false);
    QVERIFY(u->suspect.isEmpty());
    QVERIFY(u->unconfirmed.isEmpty());
}

void TestMessages::unknownKeysIgnored()
{
    QCborMap body = sampleCaseFinished().toCbor();
    body.insert(QLatin1String("future"), QCborArray {1, 2, 3});
    body.insert(QLatin1String("status2"), QStringLiteral("bogus"));
    body.insert(17, QStringLiteral("a non-text key"));
    QString error;
    const auto out = CaseFinished::fromCbor(body, &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->status, Status::Crashed);
}

void TestMessages::nullErrorPointer()
{
    QVERIFY(!Ready::fromCbor(QCborMap(), nullptr));
    QVERIFY(!RunUnit::fromCbor(QCborMap(), nullptr));
}

void TestMessages::rejects_data()
{
    QTest::addColumn<MessageType>("type");
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("error");

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();

    // clang-format off
    QTest::newRow("RunUnit unit missing") << MessageType::RunUnit << removeKey("unit")
        << "RunUnit: field 'unit' is missing";
    QTest::newRow("RunUnit unit text") << MessageType::RunUnit << setKey("unit", QStringLiteral("42"))
        << "RunUnit: field 'unit' must be an integer, not a text string";
    QTest::newRow("RunUnit unit double") << MessageType::RunUnit << setKey("unit", 1.0)
        << "RunUnit: field 'unit' must be an integer, not a floating-point number";
    QTest::newRow("RunUnit unit zero") << MessageType::RunUnit << setKey("unit", 0)
        << "RunUnit: field 'unit' must be at least 1, not 0";
    QTest::newRow("RunUnit unit negative") << MessageType::RunUnit << setKey("unit", -5)
        << "RunUnit: field 'unit' must be at least 1, not -5";
    QTest::newRow("RunUnit exe missing") << MessageType::RunUnit << removeKey("exe")
        << "RunUnit: field 'exe' is missing";
    QTest::newRow("RunUnit exe empty") << MessageType::RunUnit << setKey("exe", QString())
        << "RunUnit: field 'exe' is empty";
    QTest::newRow("RunUnit exe bytes") << MessageType::RunUnit << setKey("exe", QByteArray("/t"))
        << "RunUnit: field 'exe' must be a text string, not a byte string";
    QTest::newRow("RunUnit framework missing") << MessageType::RunUnit << removeKey("framework")
        << "RunUnit: field 'framework' is missing";
    QTest::newRow("RunUnit selectors missing") << MessageType::RunUnit << removeKey("selectors")
        << "RunUnit: field 'selectors' is missing";
    QTest::newRow("RunUnit selectors text") << MessageType::RunUnit << setKey("selectors", QStringLiteral("A.B"))
        << "RunUnit: field 'selectors' must be an array of text strings, not a text string";
    QTest::newRow("RunUnit selectors item") << MessageType::RunUnit
        << setKey("selectors", QCborArray{QStringLiteral("A.B"), 5})
        << "RunUnit: field 'selectors' item 1 must be a text string, not an integer";
    QTest::newRow("RunUnit args item") << MessageType::RunUnit << setKey("args", QCborArray{QByteArray("x")})
        << "RunUnit: field 'args' item 0 must be a text string, not a byte string";
    QTest::newRow("RunUnit cwd null") << MessageType::RunUnit << setKey("cwd", QCborValue(nullptr))
        << "RunUnit: field 'cwd' must be a text string, not null";
    QTest::newRow("RunUnit env array") << MessageType::RunUnit << setKey("env", QCborArray())
        << "RunUnit: field 'env' must be a map of text strings, not an array";
    QTest::newRow("RunUnit env value") << MessageType::RunUnit
        << setKey("env", QCborMap{{QStringLiteral("PATH"), 1}})
        << "RunUnit: field 'env' entry 'PATH' must be a text string, not an integer";
    QTest::newRow("RunUnit env key") << MessageType::RunUnit << setKey("env", QCborMap{{1, QStringLiteral("x")}})
        << "RunUnit: field 'env' has a key that is an integer, not a text string";
    QTest::newRow("RunUnit timeout missing") << MessageType::RunUnit << removeKey("timeout")
        << "RunUnit: field 'timeout' is missing";
    QTest::newRow("RunUnit timeout negative") << MessageType::RunUnit << setKey("timeout", -1.0)
        << "RunUnit: field 'timeout' must be at least 0, not -1";
    QTest::newRow("RunUnit timeout nan") << MessageType::RunUnit << setKey("timeout", nan)
        << "RunUnit: field 'timeout' must be a finite number";
    QTest::newRow("RunUnit timeout inf") << MessageType::RunUnit << setKey("timeout", inf)
        << "RunUnit: field 'timeout' must be a finite number";
    QTest::newRow("RunUnit timeout text") << MessageType::RunUnit << setKey("timeout", QStringLiteral("1"))
        << "RunUnit: field 'timeout' must be a number, not a text string";
    QTest::newRow("RunUnit outputcap negative") << MessageType::RunUnit << setKey("outputcap", -1)
        << "RunUnit: field 'outputcap' must be at least 0, not -1";
    QTest::newRow("RunUnit outputcap bool") << MessageType::RunUnit << setKey("outputcap", true)
        << "RunUnit: field 'outputcap' must be an integer, not a boolean";

    QTest::newRow("Ready pid missing") << MessageType::Ready << removeKey("pid")
        << "Ready: field 'pid' is missing";
    QTest::newRow("Ready pid zero") << MessageType::Ready << setKey("pid", 0)
        << "Ready: field 'pid' must be at least 1, not 0";
    QTest::newRow("Ready host missing") << MessageType::Ready << removeKey("host")
        << "Ready: field 'host' is missing";
    QTest::newRow("Ready host map") << MessageType::Ready << setKey("host", QCborMap())
        << "Ready: field 'host' must be a text string, not a map";

    QTest::newRow("CaseStarted unit null") << MessageType::CaseStarted << setKey("unit", QCborValue(nullptr))
        << "CaseStarted: field 'unit' must be an integer, not null";
    QTest::newRow("CaseStarted selector missing") << MessageType::CaseStarted << removeKey("selector")
        << "CaseStarted: field 'selector' is missing";
    QTest::newRow("WorkerSetup id negative") << MessageType::WorkerSetup << setKey("id", -1)
        << "WorkerSetup: field 'id' must be at least 0, not -1";
    QTest::newRow("WorkerSetup count zero") << MessageType::WorkerSetup << setKey("count", 0)
        << "WorkerSetup: field 'count' must be at least 1, not 0";
    QTest::newRow("WorkerSetup setup bytes") << MessageType::WorkerSetup << setKey("setup", QByteArray("x"))
        << "WorkerSetup: field 'setup' must be a text string, not a byte string";
    QTest::newRow("WorkerSetup hooktimeout missing") << MessageType::WorkerSetup << removeKey("hooktimeout")
        << "WorkerSetup: field 'hooktimeout' is missing";
    QTest::newRow("HookFinished hook bogus") << MessageType::HookFinished << setKey("hook", QStringLiteral("later"))
        << "HookFinished: field 'hook' has unknown value 'later'";
    QTest::newRow("HookFinished ran missing") << MessageType::HookFinished << removeKey("ran")
        << "HookFinished: field 'ran' is missing";
    QTest::newRow("HookFinished output text") << MessageType::HookFinished << setKey("output", QStringLiteral("o"))
        << "HookFinished: field 'output' must be a byte string, not a text string";
    QTest::newRow("CaseStarted at negative") << MessageType::CaseStarted << setKey("at", -0.5)
        << "CaseStarted: field 'at' must be at least 0, not -0.5";
    QTest::newRow("CaseStarted at text") << MessageType::CaseStarted << setKey("at", QStringLiteral("soon"))
        << "CaseStarted: field 'at' must be a number, not a text string";
    QTest::newRow("CaseStarted at infinite") << MessageType::CaseStarted
        << setKey("at", std::numeric_limits<double>::infinity()) << "CaseStarted: field 'at' must be a finite number";

    QTest::newRow("CaseOutput stream zero") << MessageType::CaseOutput << setKey("stream", 0)
        << "CaseOutput: field 'stream' must be at least 1, not 0";
    QTest::newRow("CaseOutput stream three") << MessageType::CaseOutput << setKey("stream", 3)
        << "CaseOutput: field 'stream' must be at most 2, not 3";
    QTest::newRow("CaseOutput stream missing") << MessageType::CaseOutput << removeKey("stream")
        << "CaseOutput: field 'stream' is missing";
    QTest::newRow("CaseOutput data text") << MessageType::CaseOutput << setKey("data", QStringLiteral("out"))
        << "CaseOutput: field 'data' must be a byte string, not a text string";
    QTest::newRow("CaseOutput data missing") << MessageType::CaseOutput << removeKey("data")
        << "CaseOutput: field 'data' is missing";

    QTest::newRow("CaseFinished status bogus") << MessageType::CaseFinished << setKey("status", QStringLiteral("bogus"))
        << "CaseFinished: field 'status' has unknown value 'bogus'";
    QTest::newRow("CaseFinished status case") << MessageType::CaseFinished << setKey("status", QStringLiteral("Passed"))
        << "CaseFinished: field 'status' has unknown value 'Passed'";
    QTest::newRow("CaseFinished status integer") << MessageType::CaseFinished << setKey("status", 0)
        << "CaseFinished: field 'status' must be a text string, not an integer";
    QTest::newRow("CaseFinished status missing") << MessageType::CaseFinished << removeKey("status")
        << "CaseFinished: field 'status' is missing";
    QTest::newRow("CaseFinished seconds missing") << MessageType::CaseFinished << removeKey("seconds")
        << "CaseFinished: field 'seconds' is missing";
    QTest::newRow("CaseFinished seconds negative") << MessageType::CaseFinished << setKey("seconds", -0.5)
        << "CaseFinished: field 'seconds' must be at least 0, not -0.5";
    QTest::newRow("CaseFinished line negative") << MessageType::CaseFinished << setKey("line", -1)
        << "CaseFinished: field 'line' must be at least 0, not -1";
    QTest::newRow("CaseFinished line huge") << MessageType::CaseFinished << setKey("line", qint64(1) << 40)
        << "CaseFinished: field 'line' must be at most 2147483647, not 1099511627776";
    QTest::newRow("CaseFinished signal negative") << MessageType::CaseFinished << setKey("signal", -11)
        << "CaseFinished: field 'signal' must be at least 0, not -11";
    QTest::newRow("CaseFinished message integer") << MessageType::CaseFinished << setKey("message", 1)
        << "CaseFinished: field 'message' must be a text string, not an integer";
    QTest::newRow("CaseFinished file array") << MessageType::CaseFinished << setKey("file", QCborArray())
        << "CaseFinished: field 'file' must be a text string, not an array";


    QTest::newRow("UnitFinished exitcode missing") << MessageType::UnitFinished << removeKey("exitcode")
        << "UnitFinished: field 'exitcode' is missing";
    QTest::newRow("UnitFinished exitcode huge") << MessageType::UnitFinished << setKey("exitcode", qint64(1) << 33)
        << "UnitFinished: field 'exitcode' must be at most 2147483647, not 8589934592";
    QTest::newRow("UnitFinished exitcode tiny") << MessageType::UnitFinished << setKey("exitcode", -(qint64(1) << 33))
        << "UnitFinished: field 'exitcode' must be at least -2147483648, not -8589934592";
    QTest::newRow("UnitFinished signal negative") << MessageType::UnitFinished << setKey("signal", -1)
        << "UnitFinished: field 'signal' must be at least 0, not -1";
    QTest::newRow("UnitFinished error integer") << MessageType::UnitFinished << setKey("error", 2)
        << "UnitFinished: field 'error' must be a text string, not an integer";
    QTest::newRow("UnitFinished unreported item") << MessageType::UnitFinished
        << setKey("unreported", QCborArray{QStringLiteral("A.B"), QStringLiteral("C.D"), QCborValue(nullptr)})
        << "UnitFinished: field 'unreported' item 2 must be a text string, not null";
    QTest::newRow("UnitFinished stoppedearly integer") << MessageType::UnitFinished << setKey("stoppedearly", 1)
        << "UnitFinished: field 'stoppedearly' must be a boolean, not an integer";

    QTest::newRow("Challenge version zero") << MessageType::Challenge << setKey("version", 0)
        << "Challenge: field 'version' must be at least 1, not 0";
    QTest::newRow("Challenge nonce short") << MessageType::Challenge << setKey("nonce", QByteArray(5, 'n'))
        << "Challenge: field 'nonce' must be 32 bytes long, not 5";
    QTest::newRow("Challenge nonce missing") << MessageType::Challenge << removeKey("nonce")
        << "Challenge: field 'nonce' is missing";
    QTest::newRow("Response mac missing") << MessageType::Response << removeKey("mac")
        << "Response: field 'mac' is missing";
    QTest::newRow("Response mac long") << MessageType::Response << setKey("mac", QByteArray(33, 'm'))
        << "Response: field 'mac' must be 32 bytes long, not 33";
    QTest::newRow("Response nonce text") << MessageType::Response << setKey("nonce", QString(32, QLatin1Char('n')))
        << "Response: field 'nonce' must be a byte string, not a text string";
    QTest::newRow("Welcome mac empty") << MessageType::Welcome << setKey("mac", QByteArray())
        << "Welcome: field 'mac' must be 32 bytes long, not 0";
    QTest::newRow("Refused reason missing") << MessageType::Refused << removeKey("reason")
        << "Refused: field 'reason' is missing";
    // clang-format on
}

void TestMessages::rejects()
{
    QFETCH(MessageType, type);
    QFETCH(Edit, edit);
    QFETCH(QString, error);

    QCborMap body = validBody(type);
    QString actual;
    QVERIFY2(validate(type, body, &actual), qPrintable(actual)); // the unbroken body passes
    edit(body);
    QVERIFY(!validate(type, body, &actual));
    QCOMPARE(actual, error);
}

QTEST_GUILESS_MAIN(TestMessages)
#include "tst_messages.moc"
