// SPDX-License-Identifier: BSD-3-Clause
// End-to-end: the real ctestd, real workers over real sockets, running the
// real GoogleTest programs of tests/gtest. Every expectation below is the
// one written at the top of that program's source.
#include "runhelpers.h"

#include "protocol/server.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>
#include <sys/types.h>
#include <vector>

class TestGTestRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void basicStatusesAndSummary();
    void basicJUnit();
    void junitFolderMadeAtStart();
    void fixtureGroupsRunOncePerSuite();
    void durationsShowFixtureTime();
    void jsonReportMatchesTheConsole();
    void shardsRunEveryCaseOnce_data();
    void shardsRunEveryCaseOnce();
    void fixtureGroupsRunOncePerSuite_data();
    void crashBlamesRunningCaseAndRerunsTheRest();
    void setupCrashBlamesFirstCase();
    void timeoutKillsProcessGroup();
    void lostWorkerIsReplaced();
    void idleFloodLocksNoWorkerOut();
    void commandTemplateStartsWorkers();
    void noWorkerStartedExitsOne();
    void interruptReportsWhatRan_data();
    void interruptReportsWhatRan();
    void lostWorkerBlameIsExact();
    void stopOnFailureReportsWhatNeverRan();
    void restartCapStopsCrashLoop();
    void hugeAndBinaryOutput();
    void listingFailuresBecomeFailedCases();
    void listingCrashHangAndNotExecutable();
    void hostileConnectionsAreRefused();
    void unreadableBuildTrees_data();
    void unreadableBuildTrees();
    void emptyExecutable();
    void listAsJson();
    void tcpWorkers();
    void outputOnFailure();
    void mergedStreamsKeepTheirOrder();
    void manyCasesTwoWorkers();
    void usageErrors();
    void serviceRunsEachGroupOnce();
    void serviceSaysWhyItCannotStart();
    void serviceWholeExecutableGroup();
    void usageErrors_data();
    void sameNamesInSeveralExecutables();
    void forgedMarkersNeverPass();

private:
    QTemporaryDir m_dir;
    QProcessEnvironment fixtureEnvironment(const QString &log) const;
};

void TestGTestRun::init()
{
    QVERIFY(m_dir.isValid());
}

QProcessEnvironment TestGTestRun::fixtureEnvironment(const QString &log) const
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    return environment;
}

void TestGTestRun::basicStatusesAndSummary()
{
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_basic"))});
    QVERIFY2(!run.timedOut && !run.crashed, run.err.constData());
    QCOMPARE(run.exitCode, 8);

    const QMap<QString, QString> expected {
        {QStringLiteral("Math.Add"), QStringLiteral("Passed")},
        {QStringLiteral("Math.Fail"), QStringLiteral("***Failed")},
        {QStringLiteral("Math.Skip"), QStringLiteral("***Skipped")},
        {QStringLiteral("Math.Off"), QStringLiteral("***Not Run (Disabled)")},
        {QStringLiteral("Whole.Test"), QStringLiteral("***Not Run (Disabled)")},
        {QStringLiteral("Typed.Zero<int>"), QStringLiteral("Passed")},
        {QStringLiteral("Typed.Zero<double>"), QStringLiteral("Passed")},
        {QStringLiteral("Io.Prints"), QStringLiteral("Passed")},
        {QStringLiteral("Xml.Special"), QStringLiteral("***Failed")},
        {QStringLiteral("Nums/P.Even/2"), QStringLiteral("Passed")},
        {QStringLiteral("Nums/P.Even/4"), QStringLiteral("Passed")},
        {QStringLiteral("Nums/P.Even/3"), QStringLiteral("***Failed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 12);
    QCOMPARE(startLineCount(run.out, QStringLiteral("Math.Fail")), 1);
    QCOMPARE(summaryLine(run.out), QStringLiteral("70% tests passed, 3 tests failed out of 10"));
    QVERIFY(run.out.startsWith("Test project "));
    QVERIFY(run.out.contains("\nTotal Test time (real) = "));
    QVERIFY(run.out.contains("The following tests did not run:\n"));
    QVERIFY(run.out.contains("The following tests FAILED:\n"));
    QVERIFY(run.err.contains("Errors while running CTest"));
}

void TestGTestRun::junitFolderMadeAtStart()
{
    // As ctest does, the file's folder is created; and a file that cannot
    // be written stops the run before anything runs, not after all of it.
    const QString nested = m_dir.filePath(QStringLiteral("new/folders/out.xml"));
    const CtestdRun made
        = runCtestd({QStringLiteral("--output-junit"), nested, gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(made.exitCode, 8);
    QVERIFY2(readJUnit(nested).valid, qPrintable(readJUnit(nested).error));

    // A device is no folder to make: it is checked for writing and written in place.
    const CtestdRun device = runCtestd(
        {QStringLiteral("--output-junit"), QStringLiteral("/dev/stdout"), gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(device.exitCode, 8);
    QVERIFY2(device.out.contains("<testsuites"), device.out.constData());

    const QString impossible = QStringLiteral("/proc/ctestd-no-such-folder/out.xml");
    const CtestdRun refused
        = runCtestd({QStringLiteral("--output-junit"), impossible, gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(refused.exitCode, 1);
    QCOMPARE(QString::fromUtf8(refused.err),
        QStringLiteral("ctestd: cannot write the JUnit file %1: cannot create the folder /proc/ctestd-no-such-folder\n")
            .arg(impossible));
    QVERIFY2(!refused.out.contains("Start"), refused.out.constData());
}

void TestGTestRun::basicJUnit()
{
    const QString junit = m_dir.filePath(QStringLiteral("basic.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"),
        QStringLiteral("--output-junit"), junit, gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(run.exitCode, 8);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 12);
    QCOMPARE(report.suites.size(), 1);
    QCOMPARE(report.suites[0].value(QStringLiteral("name")), QStringLiteral("gt_basic"));
    QCOMPARE(report.suites[0].value(QStringLiteral("tests")), QStringLiteral("12"));
    QCOMPARE(report.suites[0].value(QStringLiteral("failures")), QStringLiteral("3"));
    QCOMPARE(report.suites[0].value(QStringLiteral("errors")), QStringLiteral("0"));
    QCOMPARE(report.suites[0].value(QStringLiteral("skipped")), QStringLiteral("3"));

    const JUnitCase *fail = report.find(QStringLiteral("gt_basic.Math"), QStringLiteral("Fail"));
    QVERIFY(fail);
    QCOMPARE(fail->outcome, QStringLiteral("failure"));
    QVERIFY2(fail->file.endsWith(QLatin1String("gt_basic.cpp")), qPrintable(fail->file));
    QVERIFY(fail->line > 0);
    QVERIFY2(fail->text.contains(QLatin1String("gt_basic.cpp:45")), qPrintable(fail->text));
    QVERIFY2(fail->text.contains(QLatin1String("Expected equality")), qPrintable(fail->text));

    const JUnitCase *skip = report.find(QStringLiteral("gt_basic.Math"), QStringLiteral("Skip"));
    QVERIFY(skip);
    QCOMPARE(skip->outcome, QStringLiteral("skipped"));
    QVERIFY2(skip->message.contains(QLatin1String("not today")), qPrintable(skip->message));

    // Disabled cases are named as on the console (Math.Off, Whole.Test),
    // without gtest's DISABLED_ prefix, in the name and in the classname.
    const JUnitCase *off = report.find(QStringLiteral("gt_basic.Math"), QStringLiteral("Off"));
    QVERIFY(off);
    QCOMPARE(off->outcome, QStringLiteral("skipped"));
    QCOMPARE(off->message, QStringLiteral("disabled"));
    const JUnitCase *whole = report.find(QStringLiteral("gt_basic.Whole"), QStringLiteral("Test"));
    QVERIFY(whole);
    QCOMPARE(whole->outcome, QStringLiteral("skipped"));
    QVERIFY(run.out.contains(" Test  #4: Math.Off ") && run.out.contains(" Test  #5: Whole.Test "));
    for (const JUnitCase &junitCase : report.cases)
        QVERIFY2(!junitCase.name.contains(QLatin1String("DISABLED_"))
                && !junitCase.classname.contains(QLatin1String("DISABLED_")),
            qPrintable(junitCase.classname + QLatin1Char(' ') + junitCase.name));

    // Nothing of gtest's own banner (gtest_main's greeting, the filter note,
    // "[==========] Running ...", suite headers and footers) is a case's output.
    for (const JUnitCase &junitCase : report.cases) {
        for (const char *banner : {"Running main() from", "Note: Google Test filter", "[==========]", "[----------]"})
            QVERIFY2(!junitCase.systemOut.contains(QLatin1String(banner)), qPrintable(junitCase.systemOut));
    }

    const JUnitCase *prints = report.find(QStringLiteral("gt_basic.Io"), QStringLiteral("Prints"));
    QVERIFY(prints);
    QCOMPARE(prints->outcome, QStringLiteral("passed"));
    // stdout and stderr come through one pipe, in the order the case wrote them.
    QVERIFY2(prints->systemOut.contains(QLatin1String("gt_basic to stdout")), qPrintable(prints->systemOut));
    QVERIFY2(prints->systemOut.contains(QLatin1String("gt_basic to stderr")), qPrintable(prints->systemOut));
    QCOMPARE(prints->systemErr, QString());
    // ... and nothing of it leaks into the neighbouring cases.
    for (const JUnitCase &other : report.cases) {
        if (other.name != QLatin1String("Prints"))
            QVERIFY2(!other.systemOut.contains(QLatin1String("gt_basic to std")), qPrintable(other.name));
    }

    const JUnitCase *xml = report.find(QStringLiteral("gt_basic.Xml"), QStringLiteral("Special"));
    QVERIFY(xml);
    QCOMPARE(xml->outcome, QStringLiteral("failure"));
    QVERIFY2(xml->text.contains(QLatin1String("<>&\"'")), qPrintable(xml->text));
    QVERIFY2(xml->text.contains(QLatin1String("]]>")), qPrintable(xml->text));

    const JUnitCase *typed = report.find(QStringLiteral("gt_basic.Typed/1"), QStringLiteral("Zero"));
    QVERIFY(typed);
    QCOMPARE(typed->outcome, QStringLiteral("passed"));
}

void TestGTestRun::fixtureGroupsRunOncePerSuite_data()
{
    QTest::addColumn<QString>("groupBy");
    QTest::addColumn<int>("setupsPerSuite");
    QTest::addColumn<int>("processes");
    QTest::newRow("suite") << QStringLiteral("suite") << 1 << 4;
    QTest::newRow("case") << QStringLiteral("case") << 5 << 20;
    QTest::newRow("executable") << QStringLiteral("executable") << 1 << 1;
}

void TestGTestRun::shardsRunEveryCaseOnce_data()
{
    QTest::addColumn<int>("count");
    for (int n : {1, 2, 3, 7})
        QTest::newRow(qPrintable(QStringLiteral("N=%1").arg(n))) << n;
}

void TestGTestRun::shardsRunEveryCaseOnce()
{
    // N jobs, each one shard: together they report every case of the
    // unsharded run exactly once, with its status (a fixture group is never
    // split: tst_sharding).
    QFETCH(int, count);
    const QStringList programs {gtestProgram(QStringLiteral("gt_fixtures")), gtestProgram(QStringLiteral("gt_basic"))};
    const auto statusesOf = [this](const QStringList &arguments, QMap<QString, int> *seen) {
        const QString json = m_dir.filePath(QStringLiteral("shard.json"));
        QFile::remove(json);
        const CtestdRun run
            = runCtestd(QStringList {QStringLiteral("-j2"), QStringLiteral("--output-json"), json} + arguments);
        QFile file(json);
        QMap<QString, QString> statuses;
        if (!file.open(QIODevice::ReadOnly))
            return statuses;
        const QJsonArray cases
            = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("cases")).toArray();
        for (const QJsonValue &value : cases) {
            const QString name = value.toObject().value(QLatin1String("name")).toString();
            statuses.insert(name, value.toObject().value(QLatin1String("status")).toString());
            if (seen)
                ++(*seen)[name];
        }
        Q_UNUSED(run)
        return statuses;
    };
    const QMap<QString, QString> whole = statusesOf(programs, nullptr);
    QVERIFY(whole.size() > 20);
    QMap<QString, int> seen;
    QMap<QString, QString> merged;
    for (int i = 1; i <= count; ++i) {
        const QMap<QString, QString> part = statusesOf(
            QStringList {QStringLiteral("--shard"), QStringLiteral("%1/%2").arg(i).arg(count)} + programs, &seen);
        for (auto it = part.cbegin(); it != part.cend(); ++it)
            merged.insert(it.key(), it.value());
    }
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 ran in %2 shards").arg(it.key()).arg(it.value())));
    QCOMPARE(merged, whole);

    // gtest's own variables pick the shard, and no gtest process sees them:
    // it would run only its share of what ctestd gives it.
    if (count != 2)
        return;
    QMap<QString, QString> fromEnvironment;
    for (int index = 0; index < 2; ++index) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("GTEST_TOTAL_SHARDS"), QStringLiteral("2"));
        environment.insert(QStringLiteral("GTEST_SHARD_INDEX"), QString::number(index));
        const QString json = m_dir.filePath(QStringLiteral("env.json"));
        runCtestd(QStringList {QStringLiteral("-j2"), QStringLiteral("--output-json"), json} + programs, environment);
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray cases
            = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("cases")).toArray();
        for (const QJsonValue &value : cases)
            fromEnvironment.insert(value.toObject().value(QLatin1String("name")).toString(),
                value.toObject().value(QLatin1String("status")).toString());
    }
    QCOMPARE(fromEnvironment, whole);
}

void TestGTestRun::jsonReportMatchesTheConsole()
{
    // Every case the console reports is in the JSON report with the same
    // status, and the document says how the run ended.
    const QString json = m_dir.filePath(QStringLiteral("run.json"));
    const CtestdRun run = runCtestd(
        {QStringLiteral("-j2"), QStringLiteral("--output-json"), json, gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(run.exitCode, 8);
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(root.value(QLatin1String("format")).toString(), QStringLiteral("ctestd-run"));
    QCOMPARE(root.value(QLatin1String("exitCode")).toInt(), 8);
    static const QMap<QString, QString> words {{QStringLiteral("passed"), QStringLiteral("Passed")},
        {QStringLiteral("failed"), QStringLiteral("***Failed")},
        {QStringLiteral("skipped"), QStringLiteral("***Skipped")},
        {QStringLiteral("disabled"), QStringLiteral("***Not Run (Disabled)")}};
    QMap<QString, QString> statuses;
    const QJsonArray cases = root.value(QLatin1String("cases")).toArray();
    for (const QJsonValue &value : cases) {
        const QJsonObject entry = value.toObject();
        statuses.insert(entry.value(QLatin1String("name")).toString(),
            words.value(
                entry.value(QLatin1String("status")).toString(), entry.value(QLatin1String("status")).toString()));
    }
    QCOMPARE(statuses, consoleStatuses(run.out));
    QVERIFY(!root.value(QLatin1String("processes")).toArray().isEmpty());
}

void TestGTestRun::durationsShowFixtureTime()
{
    // gt_fixtures: four suites of five cases, each SetUpTestSuite sleeps
    // 20 ms. A case's own time leaves that out; --durations shows it as the
    // process's fixture time.
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--durations"), QStringLiteral("0"),
        gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(run.exitCode, 0);
    const QString out = QString::fromUtf8(run.out);
    const int tests = out.indexOf(QLatin1String("\nSlowest "));
    const int processes
        = out.indexOf(QLatin1String("test processes (fixture: the process's time beyond its tests' own):\n"));
    QVERIFY2(tests >= 0 && processes > tests, run.out.constData());
    const int resultLines = int(consoleStatuses(run.out).size());
    QVERIFY2(out.mid(tests).startsWith(QStringLiteral("\nSlowest %1 tests:\n").arg(resultLines)), run.out.constData());
    static const QRegularExpression process(
        QStringLiteral("^ +([0-9.]+) sec  fixture +([0-9.]+) sec  gt_fixtures (Fx[ABCD]) \\(5 tests\\)$"),
        QRegularExpression::MultilineOption);
    QSet<QString> suites;
    auto it = process.globalMatch(out.mid(processes));
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        QVERIFY2(match.captured(2).toDouble() >= 0.02, qPrintable(match.captured(0)));
        QVERIFY2(match.captured(1).toDouble() >= match.captured(2).toDouble(), qPrintable(match.captured(0)));
        suites.insert(match.captured(3));
    }
    QCOMPARE(suites,
        (QSet<QString> {QStringLiteral("FxA"), QStringLiteral("FxB"), QStringLiteral("FxC"), QStringLiteral("FxD")}));
    // Without --durations, nothing of it: the console stays ctest's.
    QVERIFY(!runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_fixtures"))}).out.contains("Slowest"));
}

void TestGTestRun::fixtureGroupsRunOncePerSuite()
{
    QFETCH(QString, groupBy);
    QFETCH(int, setupsPerSuite);
    QFETCH(int, processes);
    const QString log = m_dir.filePath(QStringLiteral("fixtures-%1.log").arg(groupBy));
    const CtestdRun run = runCtestd({QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--group-by"), groupBy,
                                        gtestProgram(QStringLiteral("gt_fixtures"))},
        fixtureEnvironment(log));
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));

    const auto fixtureLog = readFixtureLog(log);
    QSet<QString> pids;
    for (const QString &suite :
        {QStringLiteral("FxA"), QStringLiteral("FxB"), QStringLiteral("FxC"), QStringLiteral("FxD")}) {
        QStringList setups = fixtureLog.value({suite, QStringLiteral("setup")});
        QStringList teardowns = fixtureLog.value({suite, QStringLiteral("teardown")});
        QCOMPARE(setups.size(), setupsPerSuite);
        setups.sort();
        teardowns.sort();
        QCOMPARE(teardowns, setups); // each process that set up also tore down
        for (const QString &pid : setups)
            pids.insert(pid);
    }
    QCOMPARE(pids.size(), processes);
}

void TestGTestRun::crashBlamesRunningCaseAndRerunsTheRest()
{
    const QString log = m_dir.filePath(QStringLiteral("crash.log"));
    const QString junit = m_dir.filePath(QStringLiteral("crash.xml"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"),
                        junit, gtestProgram(QStringLiteral("gt_crash"))},
            fixtureEnvironment(log));
    QVERIFY2(!run.timedOut, run.out.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("Crash.Before"), QStringLiteral("Passed")},
        {QStringLiteral("Crash.Segv"), QStringLiteral("***Exception: SegFault")},
        {QStringLiteral("Crash.After1"), QStringLiteral("Passed")},
        {QStringLiteral("Crash.After2"), QStringLiteral("Passed")},
        {QStringLiteral("Abort.A1"), QStringLiteral("Passed")},
        {QStringLiteral("Abort.Boom"), QStringLiteral("Subprocess aborted***Exception:")},
        {QStringLiteral("Abort.A3"), QStringLiteral("Passed")},
        {QStringLiteral("Exit.E1"), QStringLiteral("Passed")},
        {QStringLiteral("Exit.Quit"), QStringLiteral("***Failed")},
        {QStringLiteral("Exit.E3"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 10);
    QCOMPARE(summaryLine(run.out), QStringLiteral("70% tests passed, 3 tests failed out of 10"));
    QVERIFY(run.out.contains("\t  2 - Crash.Segv (SEGFAULT)\n"));
    QVERIFY(run.out.contains(" - Abort.Boom (Subprocess aborted)\n"));

    // Three processes per group: the one that died (no teardown), the rest
    // of the group in a second, and the case that passed before the death
    // once more in a third, since no report confirmed its pass.
    const auto fixtureLog = readFixtureLog(log);
    for (const QString &suite : {QStringLiteral("Crash"), QStringLiteral("Abort"), QStringLiteral("Exit")}) {
        const QStringList setups = fixtureLog.value({suite, QStringLiteral("setup")});
        QCOMPARE(setups.size(), 3);
        QCOMPARE(QSet<QString>(setups.cbegin(), setups.cend()).size(), 3);
        // The two later processes may run at once (-j2), so their
        // teardowns need not come in the order of their setups.
        QStringList teardowns = fixtureLog.value({suite, QStringLiteral("teardown")});
        QCOMPARE(teardowns.size(), 2);
        QStringList laterSetups = setups.mid(1);
        teardowns.sort();
        laterSetups.sort();
        QCOMPARE(teardowns, laterSetups);
    }

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *segv = report.find(QStringLiteral("gt_crash.Crash"), QStringLiteral("Segv"));
    QVERIFY(segv);
    QCOMPARE(segv->outcome, QStringLiteral("error"));
    QCOMPARE(segv->type, QStringLiteral("crash"));
    QVERIFY2(segv->text.contains(QLatin1String("signal 11")) || segv->message.contains(QLatin1String("signal 11")),
        qPrintable(segv->message + segv->text));
    const JUnitCase *quit = report.find(QStringLiteral("gt_crash.Exit"), QStringLiteral("Quit"));
    QVERIFY(quit);
    QCOMPARE(quit->outcome, QStringLiteral("failure"));
    QVERIFY2((quit->message + quit->text).contains(QLatin1String("exited with code 3")), qPrintable(quit->text));
}

void TestGTestRun::setupCrashBlamesFirstCase()
{
    const QString log = m_dir.filePath(QStringLiteral("setupcrash.log"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_setup_crash"))}, fixtureEnvironment(log));
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("SetupCrash.T1"), QStringLiteral("***Exception: SegFault")},
        {QStringLiteral("SetupCrash.T2"), QStringLiteral("***Exception: SegFault")},
        {QStringLiteral("Fine.F1"), QStringLiteral("Passed")},
        {QStringLiteral("Fine.F2"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(summaryLine(run.out), QStringLiteral("50% tests passed, 2 tests failed out of 4"));
    QCOMPARE(readFixtureLog(log).value({QStringLiteral("SetupCrash"), QStringLiteral("setup")}).size(), 2);
}

void TestGTestRun::timeoutKillsProcessGroup()
{
    const QString log = m_dir.filePath(QStringLiteral("hang.log"));
    const QString pidFile = m_dir.filePath(QStringLiteral("hang.pid"));
    QProcessEnvironment environment = fixtureEnvironment(log);
    environment.insert(QStringLiteral("CTESTD_HANG_CHILD_PID_FILE"), pidFile);
    environment.insert(QStringLiteral("CTESTD_HANG_IGNORE_SIGTERM"), QStringLiteral("1"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--timeout"), QStringLiteral("2"),
                                        gtestProgram(QStringLiteral("gt_hang"))},
        environment, 60000);
    QVERIFY2(!run.timedOut, "ctestd hung on a hanging test");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("Hang.Quick"), QStringLiteral("Passed")},
        {QStringLiteral("Hang.Forever"), QStringLiteral("***Timeout")},
        {QStringLiteral("Hang.After"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QVERIFY(run.out.contains(" - Hang.Forever (Timeout)\n"));
    // 2 s of timeout, and then SIGKILL, which it cannot ignore; well under
    // a minute.
    QVERIFY2(run.seconds < 20, qPrintable(QString::number(run.seconds)));

    QFile file(pidFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const qint64 grandchild = file.readAll().trimmed().toLongLong();
    QVERIFY(grandchild > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(grandchild), 5000);
    // The hanging process, the rest after it, and Hang.Quick once more to
    // confirm the pass no report vouched for.
    QCOMPARE(readFixtureLog(log).value({QStringLiteral("Hang"), QStringLiteral("setup")}).size(), 3);
}

void TestGTestRun::interruptReportsWhatRan_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("runningStatus");
    QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("***Exception: Interrupt");
    QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("Subprocess terminated***Exception:");
}

void TestGTestRun::interruptReportsWhatRan()
{
    // Ctrl-C (or a CI runner's SIGTERM) while a case hangs: the run stops,
    // kills the test's whole process group, and still reports and writes
    // JUnit for everything, with the case that was running marked.
    QFETCH(int, signalNumber);
    QFETCH(QString, runningStatus);
    const QString junit = m_dir.filePath(QStringLiteral("interrupt-%1.xml").arg(signalNumber));
    const QString pidFile = m_dir.filePath(QStringLiteral("interrupt-%1.pid").arg(signalNumber));
    QProcess ctestd;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_HANG_CHILD_PID_FILE"), pidFile);
    ctestd.setProcessEnvironment(environment);
    ctestd.start(QStringLiteral(CTESTD_EXECUTABLE),
        {QStringLiteral("-j1"), QStringLiteral("--timeout"), QStringLiteral("60"), QStringLiteral("--junit-locations"),
            QStringLiteral("--output-junit"), junit, gtestProgram(QStringLiteral("gt_hang"))});
    QVERIFY(ctestd.waitForStarted(5000));
    // Once the hanging case has started its grandchild, it is running.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 20000);
    ::kill(pid_t(ctestd.processId()), signalNumber);
    QVERIFY2(ctestd.waitForFinished(15000), "ctestd did not stop after the signal");
    const QByteArray out = ctestd.readAllStandardOutput();
    QCOMPARE(ctestd.exitStatus(), QProcess::NormalExit);
    QCOMPARE(ctestd.exitCode(), 128 + signalNumber);
    const QMap<QString, QString> expected {
        {QStringLiteral("Hang.Quick"), QStringLiteral("Passed")},
        {QStringLiteral("Hang.Forever"), runningStatus},
        {QStringLiteral("Hang.After"), QStringLiteral("***Not Run")},
    };
    QCOMPARE(consoleStatuses(out), expected);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 3);

    QFile file(pidFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const qint64 grandchild = file.readAll().trimmed().toLongLong();
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(grandchild), 5000);
}

void TestGTestRun::lostWorkerIsReplaced()
{
    const QString log = m_dir.filePath(QStringLiteral("killworker.log"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_killworker"))}, fixtureEnvironment(log));
    QVERIFY2(!run.timedOut, "ctestd hung when a worker died");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("Victim.First")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("Victim.KillWorker")), QStringLiteral("Worker lost***Exception:"));
    QCOMPARE(statuses.value(QStringLiteral("Victim.Last")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("Bystander.One")), QStringLiteral("Passed"));
    QCOMPARE(statuses.size(), 4);
    QCOMPARE(summaryLine(run.out), QStringLiteral("75% tests passed, 1 tests failed out of 4"));
    QVERIFY(run.out.contains(" - Victim.KillWorker (Worker lost)\n"));
    // The group's process, KillWorker alone (where the loss is its own), and
    // Last in a fresh process.
    QCOMPARE(readFixtureLog(log).value({QStringLiteral("Victim"), QStringLiteral("setup")}).size(), 3);
}

void TestGTestRun::lostWorkerBlameIsExact()
{
    // KillWorker kills its worker at once, before the worker can forward its
    // start marker: whatever the worker said last, the blame lands on
    // KillWorker and First keeps its pass, every time.
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_KILL_AT_ONCE"), QStringLiteral("1"));
    const QMap<QString, QString> expected {
        {QStringLiteral("Victim.First"), QStringLiteral("Passed")},
        {QStringLiteral("Victim.KillWorker"), QStringLiteral("Worker lost***Exception:")},
        {QStringLiteral("Victim.Last"), QStringLiteral("Passed")},
        {QStringLiteral("Bystander.One"), QStringLiteral("Passed")},
    };
    for (int attempt = 1; attempt <= 50; ++attempt) {
        const CtestdRun run
            = runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_killworker"))}, environment);
        QVERIFY2(!run.timedOut, qPrintable(QStringLiteral("attempt %1: ctestd hung").arg(attempt)));
        QCOMPARE(run.exitCode, 8);
        const QMap<QString, QString> statuses = consoleStatuses(run.out);
        if (statuses != expected)
            QFAIL(qPrintable(QStringLiteral("attempt %1:\n%2").arg(attempt).arg(QString::fromUtf8(run.out))));
        QCOMPARE(resultLineCount(run.out), 4);
    }
}

void TestGTestRun::stopOnFailureReportsWhatNeverRan()
{
    // One worker: the disabled cases settle first, then the Math group runs
    // in one process. Math.Fail fails; gtest, told --gtest_fail_fast, skips
    // Math.Skip after it without running it, and nothing else starts. Every
    // case that never ran is listed as not run, in the console and in JUnit.
    const QString junit = m_dir.filePath(QStringLiteral("stop.xml"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j1"), QStringLiteral("--stop-on-failure"), QStringLiteral("--junit-locations"),
            QStringLiteral("--output-junit"), junit, gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("Math.Off"), QStringLiteral("***Not Run (Disabled)")},
        {QStringLiteral("Whole.Test"), QStringLiteral("***Not Run (Disabled)")},
        {QStringLiteral("Math.Add"), QStringLiteral("Passed")},
        {QStringLiteral("Math.Fail"), QStringLiteral("***Failed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(summaryLine(run.out), QStringLiteral("50% tests passed, 1 tests failed out of 2"));
    const QStringList neverRan {QStringLiteral("Math.Skip"), QStringLiteral("Typed.Zero<int>"),
        QStringLiteral("Typed.Zero<double>"), QStringLiteral("Io.Prints"), QStringLiteral("Xml.Special"),
        QStringLiteral("Nums/P.Even/2"), QStringLiteral("Nums/P.Even/4"), QStringLiteral("Nums/P.Even/3")};
    const QByteArray notRun = run.out.mid(run.out.indexOf("The following tests did not run:\n"));
    for (const QString &name : neverRan)
        QVERIFY2(notRun.contains(" - " + name.toUtf8() + " (Not Run)\n"), run.out.constData());

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 12);
    int stopped = 0;
    for (const JUnitCase &junitCase : report.cases) {
        if (junitCase.outcome == QLatin1String("skipped")
            && junitCase.message.contains(QLatin1String("the run stopped after Math.Fail failed (--stop-on-failure)")))
            ++stopped;
    }
    QCOMPARE(stopped, int(neverRan.size()));
}

void TestGTestRun::restartCapStopsCrashLoop()
{
    // No replacement allowed: when the only worker dies, what is left cannot
    // run and must be reported as not run, not silently dropped.
    const CtestdRun run
        = runCtestd({QStringLiteral("-j1"), QStringLiteral("--max-worker-restarts"), QStringLiteral("0"),
            QStringLiteral("--group-by"), QStringLiteral("executable"), gtestProgram(QStringLiteral("gt_killworker"))});
    QVERIFY2(!run.timedOut, "ctestd hung after the restart limit");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.size(), 4);
    QCOMPARE(statuses.value(QStringLiteral("Victim.KillWorker")), QStringLiteral("Worker lost***Exception:"));
    QCOMPARE(statuses.value(QStringLiteral("Victim.Last")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("Bystander.One")), QStringLiteral("***Not Run"));
}

void TestGTestRun::hugeAndBinaryOutput()
{
    const QString junit = m_dir.filePath(QStringLiteral("output.xml"));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_BIG_OUTPUT_BYTES"), QStringLiteral("104857600"));
    // The daemon and each worker log their peak RSS when they stop.
    environment.insert(
        QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ctestd.daemon.debug=true;ctestd.worker.debug=true"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"),
                        junit, gtestProgram(QStringLiteral("gt_output"))},
            environment);
    QVERIFY(!run.timedOut);
    QCOMPARE(run.exitCode, 8);

    // 100 MB of output and a 10 MB failure message: neither the daemon nor a
    // worker grows past 64 MiB (the sanitizers' shadow memory aside).
    static const QRegularExpression peak(QStringLiteral("(daemon|worker) \\d+ peak RSS (\\d+) KiB"));
    int processes = 0;
    for (auto match = peak.globalMatch(QString::fromUtf8(run.err)); match.hasNext();) {
        const QRegularExpressionMatch m = match.next();
        ++processes;
        if (!CTESTD_SANITIZED)
            QVERIFY2(m.captured(2).toLongLong() < 64 * 1024, qPrintable(m.captured(0)));
    }
    QVERIFY2(processes >= 2, run.err.constData()); // the daemon and at least one worker
    const QMap<QString, QString> expected {
        {QStringLiteral("Out.Big"), QStringLiteral("***Failed")},
        {QStringLiteral("Out.Binary"), QStringLiteral("***Failed")},
        {QStringLiteral("Out.NoNewline"), QStringLiteral("Passed")},
        // Output without a newline, then gtest's OK marker on the same line.
        {QStringLiteral("Out.LongLine"), QStringLiteral("Passed")},
        {QStringLiteral("Out.BigPass"), QStringLiteral("Passed")},
        {QStringLiteral("Out.HugeMessage"), QStringLiteral("***Failed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);

    const JUnitReport report = readJUnit(junit);
    const JUnitCase *bigPass = report.find(QStringLiteral("gt_output.Out"), QStringLiteral("BigPass"));
    QVERIFY(bigPass);
    QCOMPARE(bigPass->outcome, QStringLiteral("passed"));
    QVERIFY(bigPass->systemOut.size() > 1000 * 1000 && bigPass->systemOut.size() < 2 * 1024 * 1024);
    QVERIFY(bigPass->systemOut.contains(QLatin1String("more bytes of output were dropped")));
    // A 10 MB failure message (all of it in gtest's JSON report) is capped
    // with a note, so the JUnit file stays readable without xmllint --huge.
    const JUnitCase *hugeMessage = report.find(QStringLiteral("gt_output.Out"), QStringLiteral("HugeMessage"));
    QVERIFY(hugeMessage);
    QCOMPARE(hugeMessage->outcome, QStringLiteral("failure"));
    QVERIFY2(hugeMessage->text.size() < 200 * 1024, qPrintable(QString::number(hugeMessage->text.size())));
    QVERIFY(hugeMessage->text.contains(QLatin1String("characters of the message were dropped]")));
    QVERIFY(QFileInfo(junit).size() < 8 * 1024 * 1024);
    const JUnitCase *longLine = report.find(QStringLiteral("gt_output.Out"), QStringLiteral("LongLine"));
    QVERIFY(longLine);
    // All 70 KiB are kept, and gtest's marker after them.
    QVERIFY2(longLine->systemOut.size() > 70 * 1024, qPrintable(QString::number(longLine->systemOut.size())));
    QVERIFY(longLine->systemOut.contains(QLatin1String("fgh[       OK ] Out.LongLine")));
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *big = report.find(QStringLiteral("gt_output.Out"), QStringLiteral("Big"));
    QVERIFY(big);
    // Capped at 1 MiB per stream by the worker, with a note of what was cut.
    QVERIFY2(big->systemOut.size() < 2 * 1024 * 1024, qPrintable(QString::number(big->systemOut.size())));
    QVERIFY(big->systemOut.size() > 1000 * 1000);
    QVERIFY(big->systemOut.contains(QLatin1String("more bytes of output were dropped")));
    const JUnitCase *binary = report.find(QStringLiteral("gt_output.Out"), QStringLiteral("Binary"));
    QVERIFY(binary);
    QVERIFY2(binary->systemOut.contains(QLatin1String("[NON-UTF-8-BYTE-0xFF]")), qPrintable(binary->systemOut));
    QVERIFY(binary->systemOut.contains(QLatin1String("[NON-XML-CHAR-0x1B]")));
    QVERIFY(binary->systemOut.contains(QLatin1String("]]>")));

    QProcess xmllint;
    xmllint.start(QStringLiteral("xmllint"), {QStringLiteral("--noout"), junit});
    if (!xmllint.waitForStarted(5000))
        QFAIL("xmllint is not installed (Debian package libxml2-utils; ./test.sh installs it)");
    QVERIFY(xmllint.waitForFinished(30000));
    QCOMPARE(xmllint.exitCode(), 0);
}

void TestGTestRun::listingFailuresBecomeFailedCases()
{
    const QString missing = m_dir.filePath(QStringLiteral("no_such_test"));
    // Told it is GoogleTest, a program that is not fails its listing (`auto`
    // would run it as a plain test).
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--framework"), QStringLiteral("gtest"),
        missing, gtestProgram(QStringLiteral("not_gtest")), gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("no_such_test")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("not_gtest")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("FxA.C1")), QStringLiteral("Passed"));
    QCOMPARE(statuses.size(), 25);
    QCOMPARE(run.err.count("Unable to find executable: " + missing.toUtf8()), 1);
    QVERIFY2(run.err.contains("not a GoogleTest listing"), run.err.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("92% tests passed, 2 tests failed out of 25"));
}

static QString writeScript(const QString &path, const QByteArray &text, QFile::Permissions permissions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return QString();
    file.close();
    file.setPermissions(permissions);
    return path;
}

void TestGTestRun::listingCrashHangAndNotExecutable()
{
    const QFile::Permissions executable = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    const QString crash
        = writeScript(m_dir.filePath(QStringLiteral("crash_on_list")), "#!/bin/sh\nkill -SEGV $$\n", executable);
    const QString hang
        = writeScript(m_dir.filePath(QStringLiteral("hang_on_list")), "#!/bin/sh\nexec sleep 1000\n", executable);
    const QString plain = writeScript(
        m_dir.filePath(QStringLiteral("not_executable")), "#!/bin/sh\nexit 0\n", QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY(!crash.isEmpty() && !hang.isEmpty() && !plain.isEmpty());
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--framework"), QStringLiteral("gtest"),
                                        QStringLiteral("--discovery-timeout"), QStringLiteral("1"), crash, hang, plain,
                                        gtestProgram(QStringLiteral("gt_killworker"))},
        {}, 30000);
    QVERIFY2(!run.timedOut, "a hanging listing hung the run");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("crash_on_list")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("hang_on_list")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("not_executable")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("Victim.First")), QStringLiteral("Passed"));
    QCOMPARE(statuses.size(), 7);
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(
        err.contains(QStringLiteral("listing the cases of %1 crashed with signal 11").arg(crash)), run.err.constData());
    QVERIFY2(
        err.contains(QStringLiteral("listing the cases of %1 timed out after 1 s").arg(hang)), run.err.constData());
    QVERIFY2(err.contains(QStringLiteral("Not an executable file: %1").arg(plain)), run.err.constData());
}

void TestGTestRun::commandTemplateStartsWorkers()
{
    // `cmd` workers through --worker-command's template, here the real
    // env(1) with a variable of its own, as `docker exec -i box {args}`
    // would run them: {args} is the worker's whole command, the key still
    // goes through stdin, and the tests see what the launcher set.
    const QString log = m_dir.filePath(QStringLiteral("cmd-fixtures.log"));
    const CtestdRun run = runCtestd(
        {QStringLiteral("--workers"), QStringLiteral("cmd*2"), QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:0"), QStringLiteral("--worker-command"),
            QStringLiteral("env CTESTD_FIXTURE_LOG=%1 {args}").arg(log), gtestProgram(QStringLiteral("gt_fixtures"))},
        {}, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(resultLineCount(run.out), 23);
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    // The variable reached the tests only through the launcher: each
    // fixture ran once, in a process the template started.
    const auto fixtureLog = readFixtureLog(log);
    for (const QString &suite :
        {QStringLiteral("FxA"), QStringLiteral("FxB"), QStringLiteral("FxC"), QStringLiteral("FxD")})
        QCOMPARE(fixtureLog.value({suite, QStringLiteral("setup")}).size(), 1);
}

void TestGTestRun::noWorkerStartedExitsOne()
{
    // A launcher that cannot start a worker (false(1) exits at once): every
    // case is Not Run with the reason, ctestd says once that no worker
    // could be started, naming the engine, and exits 1, not 8.
    const CtestdRun run = runCtestd(
        {QStringLiteral("--workers"), QStringLiteral("cmd"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--max-worker-restarts"), QStringLiteral("1"), QStringLiteral("--worker-command"),
            QStringLiteral("false"), gtestProgram(QStringLiteral("gt_fixtures"))},
        {}, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out.count("***Not Run"), 23);
    QVERIFY2(run.err.contains("ctestd: no worker could be started: cmd: worker exited with code 1 before it connected"),
        run.err.constData());
    QCOMPARE(run.err.count("ctestd: no worker could be started"), 1);
}

void TestGTestRun::idleFloodLocksNoWorkerOut()
{
    // 300 idle TCP connections fill the daemon's 64 handshake slots while
    // gt_hang's 2 s timeout runs; then gt_killworker kills its worker twice.
    // Each replacement must still get in: the daemon refuses the oldest
    // unauthenticated connection to make room, and a worker tries again
    // after a refusal. Units run in that order (-j1, stable order by size).
    const quint16 port = freeLocalPort();
    QVERIFY(port != 0);

    QProcess ctestd;
    ctestd.start(QStringLiteral(CTESTD_EXECUTABLE),
        {QStringLiteral("-j1"), QStringLiteral("--timeout"), QStringLiteral("2"), QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:%1").arg(port), gtestProgram(QStringLiteral("gt_hang")),
            gtestProgram(QStringLiteral("gt_killworker"))});
    QVERIFY(ctestd.waitForStarted(5000));

    std::vector<std::unique_ptr<QTcpSocket>> flood;
    QElapsedTimer clock;
    clock.start();
    while (flood.size() < 300 && clock.elapsed() < 10000) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, port);
        if (socket->waitForConnected(200))
            flood.push_back(std::move(socket));
        else
            QTest::qWait(20); // until the daemon listens
    }
    QCOMPARE(int(flood.size()), 300);

    QVERIFY2(ctestd.waitForFinished(60000), "ctestd did not finish");
    const QByteArray out = ctestd.readAllStandardOutput();
    const QByteArray err = ctestd.readAllStandardError();
    QCOMPARE(consoleStatuses(out), hangAndKillWorkerStatuses());
    QCOMPARE(ctestd.exitCode(), 8);
    // The flood was there when the workers came: the oldest made room.
    QVERIFY2(err.contains("too many unauthenticated connections (64): the oldest makes room"), err.constData());
}

void TestGTestRun::hostileConnectionsAreRefused()
{
    // A run on a known TCP port, long enough (a 2 s timeout) for strangers to
    // knock: garbage, an absurd frame length, and a peer with the wrong key.
    const quint16 port = freeLocalPort();
    QVERIFY(port != 0);

    QProcess ctestd;
    ctestd.start(QStringLiteral(CTESTD_EXECUTABLE),
        {QStringLiteral("-j1"), QStringLiteral("--timeout"), QStringLiteral("2"), QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:%1").arg(port), gtestProgram(QStringLiteral("gt_hang"))});
    QVERIFY(ctestd.waitForStarted(5000));

    QTcpSocket garbage;
    QElapsedTimer clock;
    clock.start();
    do { // until the daemon listens
        garbage.abort();
        garbage.connectToHost(QHostAddress::LocalHost, port);
    } while (!garbage.waitForConnected(200) && clock.elapsed() < 5000 && (QTest::qWait(50), true));
    QCOMPARE(garbage.state(), QAbstractSocket::ConnectedState);
    garbage.write("GET / HTTP/1.0\r\n\r\n");
    QTcpSocket huge;
    huge.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(huge.waitForConnected(2000));
    huge.write(QByteArray("\xff\xff\xff\xff", 4));

    QString error;
    QByteArray wrongKey(32, 'x');
    auto *impostor
        = ctestd::protocol::connectToDaemon(QStringLiteral("tcp:127.0.0.1:%1").arg(port), wrongKey, this, &error);
    QVERIFY2(impostor, qPrintable(error));
    QSignalSpy refused(impostor, &ctestd::protocol::Connection::failed);
    QSignalSpy accepted(impostor, &ctestd::protocol::Connection::authenticated);
    QVERIFY(refused.wait(5000));
    QCOMPARE(accepted.count(), 0);
    QVERIFY(garbage.state() == QAbstractSocket::UnconnectedState || garbage.waitForDisconnected(5000));
    QVERIFY(huge.state() == QAbstractSocket::UnconnectedState || huge.waitForDisconnected(5000));

    QVERIFY2(ctestd.waitForFinished(30000), "ctestd did not finish");
    const QByteArray out = ctestd.readAllStandardOutput();
    const QByteArray err = ctestd.readAllStandardError();
    QCOMPARE(ctestd.exitCode(), 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("Hang.Quick"), QStringLiteral("Passed")},
        {QStringLiteral("Hang.Forever"), QStringLiteral("***Timeout")},
        {QStringLiteral("Hang.After"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(out), expected);
    QCOMPARE(err.count("refused connection from"), 3);
}

void TestGTestRun::unreadableBuildTrees_data()
{
    QTest::addColumn<QByteArray>("fakeCtest"); // empty: no ctest on PATH at all
    QTest::addColumn<QString>("error");
    QTest::newRow("no ctest") << QByteArray() << QStringLiteral("cannot run ctest to read the build tree");
    // ctest before 3.14 does not know --show-only=json-v1 and prints its usage.
    QTest::newRow("old ctest") << QByteArray("#!/bin/sh\necho 'Usage'\necho '  ctest [options]'\n")
                               << QStringLiteral("printed no JSON document");
    QTest::newRow("failing ctest") << QByteArray("#!/bin/sh\necho 'CMake Error: broken tree' >&2\nexit 1\n")
                                   << QStringLiteral("CMake Error: broken tree");
    QTest::newRow("foreign json") << QByteArray("#!/bin/sh\necho '{\"kind\":\"codemodel\"}'\n")
                                  << QStringLiteral("unknown format");
}

void TestGTestRun::unreadableBuildTrees()
{
    QFETCH(QByteArray, fakeCtest);
    QFETCH(QString, error);
    const QString tree = m_dir.filePath(QStringLiteral("tree-%1").arg(QString::fromLatin1(QTest::currentDataTag())));
    const QString bin = tree + QStringLiteral("/bin");
    QVERIFY(QDir().mkpath(bin));
    QFile testfile(tree + QStringLiteral("/CTestTestfile.cmake"));
    QVERIFY(testfile.open(QIODevice::WriteOnly));
    testfile.close();
    if (!fakeCtest.isEmpty()) {
        QVERIFY(!writeScript(
            bin + QStringLiteral("/ctest"), fakeCtest, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)
                     .isEmpty());
    }
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("PATH"), bin);
    const CtestdRun run = runCtestd({QStringLiteral("--test-dir"), tree}, environment, 30000);
    QCOMPARE(run.exitCode, 1);
    const QList<QByteArray> lines = run.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1); // one line, no trace
    QVERIFY2(QString::fromUtf8(run.err).contains(error), run.err.constData());
    QVERIFY(!QFileInfo::exists(tree + QStringLiteral("/Testing"))); // nothing written
}

void TestGTestRun::listAsJson()
{
    const CtestdRun run = runCtestd({QStringLiteral("list"), QStringLiteral("--json"),
        gtestProgram(QStringLiteral("gt_basic")), m_dir.filePath(QStringLiteral("nothing"))});
    QCOMPARE(run.exitCode, 8); // one executable could not be listed
    QJsonParseError error;
    const QJsonObject document = QJsonDocument::fromJson(run.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(document.value(QStringLiteral("kind")).toString(), QStringLiteral("ctestdList"));
    const QJsonArray executables = document.value(QStringLiteral("executables")).toArray();
    QCOMPARE(executables.size(), 2);
    QVERIFY(executables[1]
                .toObject()
                .value(QStringLiteral("error"))
                .toString()
                .startsWith(QLatin1String("Unable to find executable")));

    const QJsonObject basic = executables[0].toObject();
    QCOMPARE(basic.value(QStringLiteral("groupBy")).toString(), QStringLiteral("suite"));
    const QJsonArray cases = basic.value(QStringLiteral("cases")).toArray();
    QCOMPARE(cases.size(), 12);
    QMap<QString, QJsonObject> byName;
    for (const QJsonValue &value : cases)
        byName.insert(value.toObject().value(QStringLiteral("name")).toString(), value.toObject());
    const QJsonObject typed = byName.value(QStringLiteral("Typed.Zero<int>"));
    QCOMPARE(typed.value(QStringLiteral("selector")).toString(), QStringLiteral("Typed/0.Zero"));
    QCOMPARE(typed.value(QStringLiteral("group")).toString(), QStringLiteral("Typed/0"));
    QVERIFY(typed.value(QStringLiteral("file")).toString().endsWith(QLatin1String("gt_basic.cpp")));
    QCOMPARE(
        byName.value(QStringLiteral("Math.Fail")).value(QStringLiteral("group")).toString(), QStringLiteral("Math"));
    QVERIFY(byName.value(QStringLiteral("Math.Off")).value(QStringLiteral("disabled")).toBool());
    QVERIFY(!byName.value(QStringLiteral("Math.Off")).contains(QStringLiteral("group")));
}

void TestGTestRun::emptyExecutable()
{
    const CtestdRun run = runCtestd({gtestProgram(QStringLiteral("gt_empty"))});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(resultLineCount(run.out), 0);
}

void TestGTestRun::tcpWorkers()
{
    const QString log = m_dir.filePath(QStringLiteral("tcp.log"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                        gtestProgram(QStringLiteral("gt_fixtures"))},
        fixtureEnvironment(log));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    QCOMPARE(readFixtureLog(log).value({QStringLiteral("FxB"), QStringLiteral("setup")}).size(), 1);
}

void TestGTestRun::outputOnFailure()
{
    const CtestdRun quiet = runCtestd({QStringLiteral("-j1"), gtestProgram(QStringLiteral("gt_basic"))});
    QVERIFY(!quiet.out.contains("Expected equality"));
    const CtestdRun loud = runCtestd(
        {QStringLiteral("-j1"), QStringLiteral("--output-on-failure"), gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(loud.exitCode, 8);
    QVERIFY(loud.out.contains("Expected equality"));
    QVERIFY(loud.out.contains("[ RUN      ] Math.Fail"));
    // Passing cases stay quiet.
    QVERIFY(!loud.out.contains("gt_basic to stdout"));
}

// stdout into a pipe is written once per turn of the event loop; stderr
// into the same pipe (2>&1) still lands where it was written: ctest's
// notice right before its test's result line, its last word last.
void TestGTestRun::mergedStreamsKeepTheirOrder()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_COSTS"), QStringLiteral("off"));
    const CtestdRun run = runProgram(QStringLiteral("/bin/sh"),
        {QStringLiteral("-c"), QStringLiteral("exec \"$0\" -j1 \"$1\" /nonexistent/prog \"$2\" 2>&1"),
            QStringLiteral(CTESTD_EXECUTABLE), gtestProgram(QStringLiteral("not_gtest")),
            gtestProgram(QStringLiteral("gt_basic"))},
        environment, QString(), 120000);
    QCOMPARE(run.exitCode, 8);
    const QList<QByteArray> lines = run.out.split('\n');
    const int notice = int(lines.indexOf("Unable to find executable: /nonexistent/prog"));
    QVERIFY2(notice > 0, run.out.constData());
    QVERIFY2(lines.at(notice - 1).trimmed() == "Start  2: prog", run.out.constData());
    QVERIFY2(lines.at(notice + 1).startsWith(" 1/14 Test  #2: prog ....") && lines.at(notice + 1).contains("Not Run"),
        run.out.constData());
    QCOMPARE(run.out.count("Unable to find executable"), 1);
    QVERIFY2(run.out.endsWith("\t 14 - Nums/P.Even/3 (Failed)\nErrors while running CTest\n"), run.out.constData());
    QCOMPARE(resultLineCount(run.out), 14);
}

void TestGTestRun::manyCasesTwoWorkers()
{
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_many"))});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(resultLineCount(run.out), 300);
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 300"));
}

void TestGTestRun::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("negative -j") << QStringList {QStringLiteral("-j"), QStringLiteral("-3"), QStringLiteral("x")}
                                 << QStringLiteral("-j: expected a number of workers (0 or more), got '-3'");
    QTest::newRow("-j word") << QStringList {QStringLiteral("-j"), QStringLiteral("abc")}
                             << QStringLiteral("-j: expected a number of workers (0 or more), got 'abc'");
    QTest::newRow("bad group") << QStringList {QStringLiteral("--group-by"), QStringLiteral("file"),
        QStringLiteral("x")} << QStringLiteral("--group-by: expected case, suite or executable, got 'file'");
    QTest::newRow("unknown option") << QStringList {QStringLiteral("--frobnicate")}
                                    << QStringLiteral("unknown option '--frobnicate'");
    QTest::newRow("tree and executables") << QStringList {QStringLiteral("--test-dir"), QStringLiteral("."),
        QStringLiteral("x")} << QStringLiteral("give either --test-dir or executables, not both");
    QTest::newRow("bad listen") << QStringList {QStringLiteral("--listen"), QStringLiteral("nowhere"),
        gtestProgram(QStringLiteral("gt_fixtures"))}
                                << QStringLiteral("--listen expects HOST:PORT, got 'nowhere'");
}

void TestGTestRun::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const CtestdRun run = runCtestd(arguments);
    QVERIFY2(run.exitCode != 0, run.out.constData());
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

void TestGTestRun::serviceRunsEachGroupOnce()
{
    // What ctestd_discover_tests registers, run by a real ctest: `ctestd
    // case` clients answered by the build tree's daemon, which runs the
    // selected cases of each fixture group once per ctest invocation.
    const QString buildDir = m_dir.filePath(QStringLiteral("service-tree"));
    const QString log = m_dir.filePath(QStringLiteral("service.log"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log); // reaches the tests through the client
    const QString fixtures = gtestProgram(QStringLiteral("gt_fixtures"));
    const QString basic = gtestProgram(QStringLiteral("gt_basic"));
    QVector<CaseTest> tests;
    for (int c = 1; c <= 5; ++c) {
        const QString name = QStringLiteral("FxA.C%1").arg(c);
        tests.append({name, caseArguments(fixtures, QStringLiteral("FxA"), name)});
    }
    for (const QString &name : {QStringLiteral("Math.Fail"), QStringLiteral("Math.Skip"), QStringLiteral("Math.Gone")})
        tests.append({name, caseArguments(basic, QStringLiteral("Math"), name)});
    tests.append({QStringLiteral("Missing.Add"),
        caseArguments(
            m_dir.filePath(QStringLiteral("no_such_program")), QStringLiteral("Math"), QStringLiteral("Math.Add"))});
    QString error;
    QVERIFY2(writeCaseTree(buildDir, tests, &error), qPrintable(error));
    const auto setups = [&] { return readFixtureLog(log).value({QStringLiteral("FxA"), QStringLiteral("setup")}); };

    for (int round = 1; round <= 2; ++round) {
        const CtestdRun run
            = runCtest(buildDir, {QStringLiteral("-j5"), QStringLiteral("--output-on-failure")}, environment);
        QVERIFY2(run.exitCode == 8, run.out.constData());
        const QMap<QString, QString> expected {{QStringLiteral("FxA.C1"), QStringLiteral("Passed")},
            {QStringLiteral("FxA.C2"), QStringLiteral("Passed")}, {QStringLiteral("FxA.C3"), QStringLiteral("Passed")},
            {QStringLiteral("FxA.C4"), QStringLiteral("Passed")}, {QStringLiteral("FxA.C5"), QStringLiteral("Passed")},
            {QStringLiteral("Math.Fail"), QStringLiteral("***Failed")},
            {QStringLiteral("Math.Skip"), QStringLiteral("***Skipped")},
            {QStringLiteral("Math.Gone"), QStringLiteral("***Failed")},
            {QStringLiteral("Missing.Add"), QStringLiteral("***Failed")}};
        QCOMPARE(consoleStatuses(run.out), expected);
        QVERIFY2(run.out.contains("Expected equality"), run.out.constData());
        QVERIFY2(run.out.contains("has no case 'Math.Gone'"), run.out.constData());
        QVERIFY2(run.out.contains("Unable to find executable"), run.out.constData());
        // One run of the group per invocation: results are never reused.
        QCOMPARE(setups().size(), round);
    }

    // `ctest -R` runs its selection and nothing more: the group's fixture
    // once, for the one case; asked three times (--repeat), three runs.
    const CtestdRun one = runCtest(buildDir,
        {QStringLiteral("-R"), QStringLiteral("^FxA\\.C3$"), QStringLiteral("--repeat"), QStringLiteral("until-fail:3"),
            QStringLiteral("-V")},
        environment);
    QVERIFY2(one.exitCode == 0, one.out.constData());
    QCOMPARE(one.out.count("[ RUN      ] FxA.C3"), 3);
    QVERIFY2(!one.out.contains("FxA.C2"), one.out.constData());
    QCOMPARE(setups().size(), 5);
    stopTreeDaemon(buildDir);
}

void TestGTestRun::serviceSaysWhyItCannotStart()
{
    // A runtime directory so deep that no socket path fits: the daemon
    // cannot listen, and the client says so at once, naming the fix.
    const QString deep = m_dir.filePath(QString(120, QLatin1Char('r')));
    QVERIFY(QDir().mkpath(deep));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), deep);
    const CtestdRun run = runProgram(QStringLiteral(CTESTD_EXECUTABLE),
        QStringList {QStringLiteral("case"), QStringLiteral("--build-dir"), m_dir.filePath(QStringLiteral("deep-tree"))}
            + caseArguments(
                gtestProgram(QStringLiteral("gt_basic")), QStringLiteral("Math"), QStringLiteral("Math.Add")),
        environment, QString(), 30000);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("bytes long, but a local socket path can have at most 107; point XDG_RUNTIME_DIR"),
        run.err.constData());
    QVERIFY2(run.seconds < 10, qPrintable(QString::number(run.seconds)));
}

void TestGTestRun::serviceWholeExecutableGroup()
{
    // GROUP_BY executable: the group key is empty and the selected cases of
    // the whole executable run once, in one process, for the first case
    // asked; suites with no selected case do not run at all.
    const QString buildDir = m_dir.filePath(QStringLiteral("service-executable"));
    const QString log = m_dir.filePath(QStringLiteral("service-executable.log"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    QVector<CaseTest> tests;
    for (const QString &selector : {QStringLiteral("FxA.C1"), QStringLiteral("FxD.C5"), QStringLiteral("Plain.P2")}) {
        tests.append({selector,
            caseArguments(gtestProgram(QStringLiteral("gt_fixtures")), QString(), selector,
                {QStringLiteral("--group-by"), QStringLiteral("executable")})});
    }
    QString error;
    QVERIFY2(writeCaseTree(buildDir, tests, &error), qPrintable(error));
    const CtestdRun run = runCtest(buildDir, {QStringLiteral("--output-on-failure")}, environment);
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(consoleStatuses(run.out).size(), 3);
    stopTreeDaemon(buildDir);
    const auto fixtureLog = readFixtureLog(log);
    QSet<QString> pids;
    for (const QString &suite : {QStringLiteral("FxA"), QStringLiteral("FxD")}) {
        const QStringList setups = fixtureLog.value({suite, QStringLiteral("setup")});
        QCOMPARE(setups.size(), 1);
        pids.insert(setups.first());
    }
    for (const QString &suite : {QStringLiteral("FxB"), QStringLiteral("FxC")})
        QCOMPARE(fixtureLog.value({suite, QStringLiteral("setup")}).size(), 0);
    QCOMPARE(pids.size(), 1);
}

void TestGTestRun::sameNamesInSeveralExecutables()
{
    // gt_basic and a copy of it under another name, and one in another
    // directory under the same name: every case name occurs in several
    // executables. The console qualifies them with the executable's file
    // name (as TEST_PREFIX would), or with the path as given where file
    // names clash too; names found in one executable only stay as they are.
    const QString copyDir = m_dir.filePath(QStringLiteral("copies"));
    QVERIFY(QDir().mkpath(copyDir + QStringLiteral("/other")));
    const QString renamed = copyDir + QStringLiteral("/gt_copy");
    QVERIFY(QFile::copy(gtestProgram(QStringLiteral("gt_basic")), renamed));
    const QString previous = QDir::currentPath();
    const auto restore = qScopeGuard([&previous] { QDir::setCurrent(previous); });
    QVERIFY(QDir::setCurrent(copyDir)); // ctestd runs here: "gt_copy" is relative to it
    const CtestdRun twoNames = runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_basic")),
        QStringLiteral("gt_copy"), gtestProgram(QStringLiteral("gt_crash"))});
    QCOMPARE(twoNames.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(twoNames.out);
    QCOMPARE(resultLineCount(twoNames.out), 12 + 12 + 10); // gt_crash has 10 cases
    QCOMPARE(statuses.size(), resultLineCount(twoNames.out)); // every name once
    QCOMPARE(statuses.value(QStringLiteral("gt_basic.Math.Fail")), QStringLiteral("***Failed"));
    QCOMPARE(statuses.value(QStringLiteral("gt_copy.Math.Fail")), QStringLiteral("***Failed"));
    QCOMPARE(statuses.value(QStringLiteral("gt_basic.Typed.Zero<int>")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("gt_copy.Math.Off")), QStringLiteral("***Not Run (Disabled)"));
    QCOMPARE(statuses.value(QStringLiteral("Crash.Segv")), QStringLiteral("***Exception: SegFault"));
    QVERIFY(!statuses.contains(QStringLiteral("Math.Fail")));

    const QString sameFile = copyDir + QStringLiteral("/other/gt_basic");
    QVERIFY(QFile::copy(gtestProgram(QStringLiteral("gt_basic")), sameFile));
    const CtestdRun sameNames = runCtestd(
        {QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_basic")), QStringLiteral("other/gt_basic")});
    QCOMPARE(sameNames.exitCode, 8);
    const QMap<QString, QString> both = consoleStatuses(sameNames.out);
    QCOMPARE(both.size(), 24);
    QCOMPARE(both.value(gtestProgram(QStringLiteral("gt_basic")) + QStringLiteral(".Math.Fail")),
        QStringLiteral("***Failed"));
    QCOMPARE(both.value(QStringLiteral("other/gt_basic.Math.Add")), QStringLiteral("Passed"));

    // One executable alone keeps gtest_discover_tests' names.
    const CtestdRun alone = runCtestd({QStringLiteral("-j2"), QStringLiteral("gt_copy")});
    QVERIFY(consoleStatuses(alone.out).contains(QStringLiteral("Math.Fail")));
}

void TestGTestRun::forgedMarkersNeverPass()
{
    // One process per case: the exit status (1) contradicts the forged
    // marker, so each forging case is failed itself.
    const QString junit = m_dir.filePath(QStringLiteral("forged.xml"));
    const CtestdRun alone = runCtestd({QStringLiteral("-j2"), QStringLiteral("--group-by"), QStringLiteral("case"),
        QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
        gtestProgram(QStringLiteral("gt_forged"))});
    QCOMPARE(alone.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("Spoof.Honest"), QStringLiteral("Passed")},
        {QStringLiteral("Spoof.ForgesOk"), QStringLiteral("***Failed")},
        {QStringLiteral("Spoof.ForgesSkip"), QStringLiteral("***Failed")},
    };
    QCOMPARE(consoleStatuses(alone.out), expected);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *forged = report.find(QStringLiteral("gt_forged.Spoof"), QStringLiteral("ForgesOk"));
    QVERIFY(forged);
    QCOMPARE(forged->outcome, QStringLiteral("failure"));
    // gtest's JSON report (a file the test does not write to) gives the
    // failure's own text.
    QVERIFY2(forged->text.contains(QLatin1String("this test really fails")), qPrintable(forged->text));

    // One process for the suite: the stream says every case passed or was
    // skipped, but gtest's JSON report (a file the tests' output cannot
    // reach) decides, so each forging case is failed with its own failure
    // and the honest one keeps its pass.
    const QString together = m_dir.filePath(QStringLiteral("forged-together.xml"));
    const CtestdRun suite = runCtestd({QStringLiteral("-j1"), QStringLiteral("--output-on-failure"),
        QStringLiteral("--output-junit"), together, gtestProgram(QStringLiteral("gt_forged"))});
    QCOMPARE(suite.exitCode, 8);
    QCOMPARE(consoleStatuses(suite.out), expected);
    QCOMPARE(summaryLine(suite.out), QStringLiteral("33% tests passed, 2 tests failed out of 3"));
    const JUnitReport suiteReport = readJUnit(together);
    QVERIFY2(suiteReport.valid, qPrintable(suiteReport.error));
    QCOMPARE(suiteReport.cases.size(), 3);
    for (const QString &name : {QStringLiteral("ForgesOk"), QStringLiteral("ForgesSkip")}) {
        const JUnitCase *failed = suiteReport.find(QStringLiteral("gt_forged.Spoof"), name);
        QVERIFY(failed);
        QCOMPARE(failed->outcome, QStringLiteral("failure"));
        QVERIFY2(failed->text.contains(QLatin1String("this test really fails")), qPrintable(failed->text));
        QVERIFY2(failed->text.contains(QLatin1String("[ctestd: the test's output showed this case ")),
            qPrintable(failed->text));
    }
    const JUnitCase *honest = suiteReport.find(QStringLiteral("gt_forged.Spoof"), QStringLiteral("Honest"));
    QVERIFY(honest);
    QCOMPARE(honest->outcome, QStringLiteral("passed"));
}

QTEST_GUILESS_MAIN(TestGTestRun)
#include "tst_gtest_run.moc"
