// SPDX-License-Identifier: BSD-3-Clause
// --output-json: the document's fields for each kind of result, output that
// is not UTF-8, --repeat's earlier attempts, processes, and the write.
#include "reporters/jsonreport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctestd;

class TestJsonReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void document();
    void writesAtomicallyAndFailsLoudly();
};

namespace {
CaseOutcome outcome(int index, const char *name, Status status, double seconds)
{
    CaseOutcome o;
    o.testCase.index = index;
    o.testCase.displayName = QString::fromUtf8(name);
    o.testCase.executable = QStringLiteral("/b/tests");
    o.testCase.framework = QStringLiteral("gtest");
    o.result.status = status;
    o.result.seconds = seconds;
    o.dispatched = true;
    return o;
}
} // namespace

void TestJsonReport::document()
{
    JsonReporter reporter(QStringLiteral("unused.json"), {QStringLiteral("ctestd"), QStringLiteral("-j2")}, nullptr);
    RunStart start;
    start.projectDirectory = QStringLiteral("/b");
    reporter.runStarted(start);

    RunEnd end;
    CaseOutcome passed = outcome(1, "Math.Add", Status::Passed, 0.5);
    passed.testCase.labels = QStringList {QStringLiteral("fast")};
    passed.result.stdOut = "fine\n";
    CaseOutcome failed = outcome(2, "Math.Fail", Status::Failed, 0.25);
    failed.result.message = QStringLiteral("Expected equality");
    failed.result.file = QStringLiteral("/s/math.cpp");
    failed.result.line = 12;
    failed.result.stdErr = QByteArray("bad \xff byte\n");
    CaseOutcome crashed = outcome(3, "plain", Status::Crashed, 0.0);
    crashed.result.signal = 11;
    crashed.result.exitCode = std::nullopt;
    CaseOutcome off = outcome(4, "Math.Off", Status::Disabled, 0.0);
    off.dispatched = false;
    CaseOutcome gone = outcome(5, "Elsewhere", Status::Passed, 0.0);
    gone.leftOut = true;
    end.cases = {passed, failed, crashed, off, gone};
    end.wallSeconds = 1.5;
    end.processes
        = {ProcessRecord {QStringLiteral("/b/tests"), QStringLiteral("Math"), {0, 1}, 4.0, 0.75, {}, {}, {}, {}}};
    // --repeat ran Math.Fail once before its final attempt.
    CaseResult first = failed.result;
    first.seconds = 0.125;
    reporter.attemptFinished(failed.testCase, first, true);
    reporter.attemptFinished(failed.testCase, failed.result, false);

    QJsonParseError error;
    const QJsonDocument parsed = QJsonDocument::fromJson(
        reporter.document(end, 8, QDateTime(QDate(2026, 12, 6), QTime(19, 8), Qt::UTC)), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject root = parsed.object();
    QCOMPARE(root.value(QLatin1String("format")).toString(), QStringLiteral("ctestd-run"));
    QCOMPARE(root.value(QLatin1String("version")).toInt(), 1);
    QCOMPARE(root.value(QLatin1String("exitCode")).toInt(), 8);
    QCOMPARE(root.value(QLatin1String("interruptedBy")).toInt(), 0);
    QCOMPARE(root.value(QLatin1String("finished")).toString(), QStringLiteral("2026-12-06T19:08:00.000Z"));
    QCOMPARE(root.value(QLatin1String("project")).toString(), QStringLiteral("/b"));
    QCOMPARE(root.value(QLatin1String("commandLine")).toArray().size(), 2);
    QCOMPARE(root.value(QLatin1String("seconds")).toDouble(), 1.5);

    const QJsonArray cases = root.value(QLatin1String("cases")).toArray();
    QCOMPARE(cases.size(), 4); // not the left-out one
    const QJsonObject add = cases.at(0).toObject();
    QCOMPARE(add.value(QLatin1String("number")).toInt(), 1);
    QCOMPARE(add.value(QLatin1String("status")).toString(), QStringLiteral("passed"));
    QCOMPARE(add.value(QLatin1String("stdout")).toString(), QStringLiteral("fine\n"));
    QCOMPARE(add.value(QLatin1String("labels")).toArray().first().toString(), QStringLiteral("fast"));
    const QJsonObject fail = cases.at(1).toObject();
    QCOMPARE(fail.value(QLatin1String("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(fail.value(QLatin1String("message")).toString(), QStringLiteral("Expected equality"));
    QCOMPARE(fail.value(QLatin1String("failureLine")).toInt(), 12);
    // Not UTF-8: base64, every byte kept.
    QVERIFY(!fail.contains(QLatin1String("stderr")));
    QCOMPARE(QByteArray::fromBase64(fail.value(QLatin1String("stderrBase64")).toString().toLatin1()),
        QByteArray("bad \xff byte\n"));
    const QJsonArray earlier = fail.value(QLatin1String("earlierAttempts")).toArray();
    QCOMPARE(earlier.size(), 1);
    QCOMPARE(earlier.first().toObject().value(QLatin1String("seconds")).toDouble(), 0.125);
    QCOMPARE(cases.at(2).toObject().value(QLatin1String("signal")).toInt(), 11);
    QCOMPARE(cases.at(3).toObject().value(QLatin1String("ran")).toBool(), false);
    QCOMPARE(cases.at(3).toObject().value(QLatin1String("status")).toString(), QStringLiteral("disabled"));

    const QJsonObject process = root.value(QLatin1String("processes")).toArray().first().toObject();
    QCOMPARE(process.value(QLatin1String("cases")).toArray(), (QJsonArray {1, 2}));
    QCOMPARE(process.value(QLatin1String("fixtureSeconds")).toDouble(), 3.25);

    // An interrupted run says so, with the code it exits with.
    end.interruptSignal = 2;
    const QJsonObject interrupted
        = QJsonDocument::fromJson(reporter.document(end, 8, QDateTime::currentDateTimeUtc())).object();
    QCOMPARE(interrupted.value(QLatin1String("exitCode")).toInt(), 130);
    QCOMPARE(interrupted.value(QLatin1String("interruptedBy")).toInt(), 2);
}

void TestJsonReport::writesAtomicallyAndFailsLoudly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sub/run.json"));
    JsonReporter reporter(path, {}, nullptr);
    QString error;
    QVERIFY2(reporter.ready(RunStart {}, &error), qPrintable(error)); // makes the folder
    reporter.runStarted(RunStart {});
    QCOMPARE(reporter.runFinished(RunEnd {}, 0), 0);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("format")).toString(),
        QStringLiteral("ctestd-run"));
    // Nowhere to write: refused before the run, and a passing run fails.
    JsonReporter nowhere(QStringLiteral("/proc/ctestd-no/run.json"), {}, nullptr);
    QVERIFY(!nowhere.ready(RunStart {}, &error));
    QCOMPARE(error,
        QStringLiteral("cannot write the JSON report /proc/ctestd-no/run.json: cannot create the folder "
                       "/proc/ctestd-no"));
    QCOMPARE(nowhere.runFinished(RunEnd {}, 0), 1);
}

QTEST_GUILESS_MAIN(TestJsonReport)
#include "tst_jsonreport.moc"
