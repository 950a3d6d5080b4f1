// SPDX-License-Identifier: BSD-3-Clause
// RunRecord: a run told to the console, recorded, written as JSON, read
// back and told again prints the same bytes; every field survives; a
// document that is not a run record is refused with the reason.
#include "reporters/runrecord.h"

#include <QBuffer>
#include <QtTest>

using namespace ctestd;

class TestRunRecord : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replayPrintsTheSameConsole_data();
    void replayPrintsTheSameConsole();
    void everyFieldSurvives();
    void refusesWhatIsNotARecord_data();
    void refusesWhatIsNotARecord();
};

namespace {

TestCase makeCase(int index, const char *name)
{
    TestCase t;
    t.index = index;
    t.displayName = QString::fromUtf8(name);
    t.executable = QStringLiteral("/b/tests");
    t.framework = QStringLiteral("gtest");
    t.suite = QStringLiteral("Math");
    t.name = t.displayName.section(QLatin1Char('.'), 1);
    t.selector = t.displayName;
    t.group.name = QStringLiteral("Math");
    return t;
}

struct Captured {
    QByteArray out;
    QByteArray err;
    RunRecord record;
};

// Drives a run with `console` options through a recorder in front of a
// console, with a note before the run and one in the middle, as
// RunController and main() would.
Captured liveRun(const ConsoleOptions &console)
{
    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    ConsoleReporter reporter(&out, &err, console);
    RunRecorder recorder(&reporter);
    recorder.setConsoleOptions(console);
    const auto noteOut = [&](const QByteArray &text) {
        out.write(text);
        recorder.note(false, text);
    };
    const auto noteErr = [&](const QByteArray &text) {
        err.write(text);
        recorder.note(true, text);
    };

    RunStart start;
    start.projectDirectory = QStringLiteral("/b");
    start.cases = {makeCase(1, "Math.Add"), makeCase(2, "Math.Fail"), makeCase(3, "Math.Off")};
    start.cases[2].disabled = true;
    noteOut("Internal ctest changing into directory: /b\n");
    recorder.runStarted(start);
    recorder.caseStarted(start.cases[0]);
    recorder.caseStarted(start.cases[1]);
    CaseResult add;
    add.status = Status::Passed;
    add.seconds = 0.125;
    add.stdOut = "[ RUN      ] Math.Add\n";
    CaseResult firstFail;
    firstFail.status = Status::Failed;
    firstFail.seconds = 0.5;
    firstFail.message = QStringLiteral("Expected equality");
    firstFail.stdOut = QByteArray("bad \xff byte\n\0nul\n", 16);
    CaseResult fail = firstFail;
    fail.seconds = 0.25;
    fail.noticeErr = "a notice\n";
    recorder.attemptFinished(start.cases[0], add, false);
    recorder.caseFinished(start.cases[0], add);
    recorder.attemptFinished(start.cases[1], firstFail, true);
    noteErr("ctestd: interrupted by signal 2\n");
    recorder.caseStarted(start.cases[1]);
    recorder.attemptFinished(start.cases[1], fail, false);
    recorder.caseFinished(start.cases[1], fail);
    CaseResult off;
    off.status = Status::Disabled;
    recorder.caseFinished(start.cases[2], off);

    RunEnd end;
    end.cases = {
        {start.cases[0], add, true, false}, {start.cases[1], fail, true, false}, {start.cases[2], off, false, false}};
    end.processes
        = {ProcessRecord {QStringLiteral("/b/tests"), QStringLiteral("Math"), {0, 1}, 1.5, 0.375, {}, {}, {}, {}}};
    end.wallSeconds = 1.75;
    end.finished = QDateTime(QDate(2026, 12, 6), QTime(21, 0, 1, 250));
    recorder.runFinished(end, 8);
    noteErr("ctestd: cannot write the JUnit file: no\n");
    return {out.data(), err.data(), recorder.record()};
}

} // namespace

void TestRunRecord::replayPrintsTheSameConsole_data()
{
    QTest::addColumn<bool>("outputOnFailure");
    QTest::addColumn<bool>("verbose");
    QTest::addColumn<int>("durations");
    QTest::newRow("plain") << false << false << -1;
    QTest::newRow("--output-on-failure") << true << false << -1;
    QTest::newRow("-V") << false << true << -1;
    QTest::newRow("--durations 0") << false << false << 0;
}

void TestRunRecord::replayPrintsTheSameConsole()
{
    QFETCH(bool, outputOnFailure);
    QFETCH(bool, verbose);
    QFETCH(int, durations);
    ConsoleOptions console;
    console.outputOnFailure = outputOnFailure;
    console.verbose = verbose;
    console.durations = durations;
    const Captured live = liveRun(console);
    QVERIFY(live.out.contains("Math.Fail"));

    RunRecord read;
    QString error;
    QVERIFY2(parseRunRecord(runRecordJson(live.record), &read, &error), qPrintable(error));
    QCOMPARE(read.console.outputOnFailure, outputOnFailure);
    QCOMPARE(read.console.verbose, verbose);
    QCOMPARE(read.console.durations, durations);

    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    ConsoleReporter again(&out, &err, read.console);
    QCOMPARE(replayRunRecord(read, again, &out, &err), 8);
    QCOMPARE(out.data(), live.out);
    QCOMPARE(err.data(), live.err);
}

void TestRunRecord::everyFieldSurvives()
{
    Captured live = liveRun({});
    RunRecord &record = live.record;
    // What the recorder wrote while the run went on is what it writes at the end.
    QCOMPARE(record.preparedCases.size(), 3);
    RunRecord fresh = record;
    fresh.preparedCases.clear();
    QCOMPARE(runRecordJson(record), runRecordJson(fresh));
    record.preparedCases.clear(); // the cases change below
    TestCase &t = record.end.cases[0].testCase;
    t.labels = QStringList {QStringLiteral("fast"), QStringLiteral("ünï")};
    t.file = QStringLiteral("/s/math.cpp");
    t.line = 7;
    t.arguments = QStringList {QStringLiteral("--a"), QStringLiteral("b c")};
    t.workingDirectory = QStringLiteral("/w");
    t.environment = QStringList {QStringLiteral("A=1")};
    t.timeoutSeconds = 2.5;
    t.ctestTest = true;
    t.command = QStringList {QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("exit \"1\"\t")};
    t.needsConfiguration = true;
    t.processors = 3;
    t.cost = 0.1;
    t.failedLastTime = true;
    t.rules.passRegex = QStringList {QStringLiteral("ok")};
    t.rules.skipReturnCode = 77;
    t.rules.willFail = true;
    CaseResult &r = record.end.cases[0].result;
    r.reason = QStringLiteral("Required regular expression not found.");
    r.file = QStringLiteral("/s/math.cpp");
    r.line = 9;
    r.signal = 11;
    r.exitCode.emplace(0); // a code of 0 is kept, not dropped as "none"
    r.noticeOut = "Failed test dependencies: x\n";
    r.stdErr = QByteArray("\x01\x1f\"\\ tab\t", 10);
    record.start.shard = ShardStamp {1, 3, QStringLiteral("ab12"), 40};
    record.end.processes[0].artifacts = QStringLiteral("artifacts/Math");

    RunRecord read;
    QString error;
    QVERIFY2(parseRunRecord(runRecordJson(record), &read, &error), qPrintable(error));
    const TestCase &u = read.end.cases[0].testCase;
    QCOMPARE(u.index, 1);
    QCOMPARE(u.displayName, t.displayName);
    QCOMPARE(u.suite, t.suite);
    QCOMPARE(u.name, t.name);
    QCOMPARE(u.selector, t.selector);
    QCOMPARE(u.group.name, t.group.name);
    QCOMPARE(u.labels, t.labels);
    QCOMPARE(u.file, t.file);
    QCOMPARE(u.line, 7);
    QCOMPARE(u.arguments, t.arguments);
    QCOMPARE(u.workingDirectory, t.workingDirectory);
    QCOMPARE(u.environment, t.environment);
    QCOMPARE(u.timeoutSeconds, 2.5);
    QVERIFY(u.ctestTest);
    QCOMPARE(u.command, t.command);
    QVERIFY(u.needsConfiguration);
    QCOMPARE(u.processors, 3);
    QCOMPARE(u.cost, 0.1);
    QVERIFY(u.failedLastTime);
    QCOMPARE(u.rules.passRegex, t.rules.passRegex);
    QCOMPARE(u.rules.skipReturnCode, 77);
    QVERIFY(u.rules.willFail);
    QVERIFY(read.end.cases[2].testCase.disabled);
    QCOMPARE(read.end.cases[2].dispatched, false);
    const CaseResult &s = read.end.cases[0].result;
    QCOMPARE(s.status, Status::Passed);
    QCOMPARE(s.seconds, 0.125);
    QCOMPARE(s.reason, r.reason);
    QCOMPARE(s.file, r.file);
    QCOMPARE(s.line, 9);
    QCOMPARE(s.signal, 11);
    QCOMPARE(s.exitCode, std::optional<int>(0));
    QCOMPARE(s.noticeOut, r.noticeOut);
    QCOMPARE(s.stdErr, r.stdErr);
    QCOMPARE(read.end.cases[1].result.stdOut, QByteArray("bad \xff byte\n\0nul\n", 16));
    QCOMPARE(read.end.cases[1].result.noticeErr, QByteArray("a notice\n"));
    QCOMPARE(read.attempts.value(1).size(), 1);
    QCOMPARE(read.attempts[1][0].seconds, 0.5);
    QCOMPARE(read.attempts[1][0].message, QStringLiteral("Expected equality"));
    QVERIFY(read.start.shard.has_value());
    QCOMPARE(read.start.shard->index, 1);
    QCOMPARE(read.start.shard->count, 3);
    QCOMPARE(read.start.shard->digest, QStringLiteral("ab12"));
    QCOMPARE(read.start.shard->allCases, 40);
    QCOMPARE(read.end.processes.size(), 1);
    QCOMPARE(read.end.processes[0].cases, (QVector<int> {0, 1}));
    QCOMPARE(read.end.processes[0].caseSeconds, 0.375);
    QCOMPARE(read.end.processes[0].artifacts, QStringLiteral("artifacts/Math"));
    QCOMPARE(read.end.wallSeconds, 1.75);
    QCOMPARE(read.end.finished, QDateTime(QDate(2026, 12, 6), QTime(21, 0, 1, 250)));
    QCOMPARE(read.exitCode, 8);
    QCOMPARE(read.events.size(), record.events.size());
    QCOMPARE(read.notes.size(), 3);
    QCOMPARE(read.notes[0].beforeEvent, 0);
    QCOMPARE(read.notes[2].beforeEvent, int(record.events.size()));
    // Written again, the document is the same.
    QCOMPARE(runRecordJson(read), runRecordJson(record));
}

void TestRunRecord::refusesWhatIsNotARecord_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"format\": ") << QStringLiteral("not JSON (");
    QTest::newRow("foreign") << QByteArray("{\"format\":\"junit\"}")
                             << QStringLiteral("not a ctestd run record (no \"format\": \"ctestd-run\")");
    QTest::newRow("newer") << QByteArray("{\"format\":\"ctestd-run\",\"version\":2}")
                           << QStringLiteral("run record version 2, but this ctestd reads version 1");
    QTest::newRow("wrong type") << QByteArray("{\"format\":\"ctestd-run\",\"version\":1,\"seconds\":\"x\"}")
                                << QStringLiteral("the field \"seconds\" is not a number");
    QTest::newRow("bad status") << QByteArray(
        "{\"format\":\"ctestd-run\",\"version\":1,\"cases\":[{\"number\":1,\"status\":\"fine\"}]}")
                                << QStringLiteral("unknown status \"fine\"");
    QTest::newRow("twice") << QByteArray("{\"format\":\"ctestd-run\",\"version\":1,\"cases\":[{\"number\":1,"
                                         "\"status\":\"passed\"},{\"number\":1,\"status\":\"passed\"}]}")
                           << QStringLiteral("test #1 is listed twice");
    QTest::newRow("unknown event") << QByteArray("{\"format\":\"ctestd-run\",\"version\":1,\"events\":[\"r\",\"s9\"]}")
                                   << QStringLiteral("an event names test #9, which the record does not have");
    QTest::newRow("bad base64") << QByteArray("{\"format\":\"ctestd-run\",\"version\":1,\"cases\":[{\"number\":1,"
                                              "\"status\":\"passed\",\"stdoutBase64\":\"!!\"}]}")
                                << QStringLiteral("the field \"stdout\" is not base64 text");
}

void TestRunRecord::refusesWhatIsNotARecord()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    RunRecord record;
    QString why;
    QVERIFY(!parseRunRecord(json, &record, &why));
    QVERIFY2(why.startsWith(error), qPrintable(why));
}

QTEST_GUILESS_MAIN(TestRunRecord)
#include "tst_runrecord.moc"
