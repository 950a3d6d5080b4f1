// SPDX-License-Identifier: BSD-3-Clause
// End-to-end: the real ctestd running the real Qt Test programs of
// tests/qtest. Every expectation below is the one written at the top of that
// program's source.
#include "runhelpers.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

class TestQTestRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void basicStatusesAndSummary_data();
    void basicStatusesAndSummary();
    void basicJUnit();
    void fixturesRunOncePerProcess_data();
    void fixturesRunOncePerProcess();
    void failingInitTestCaseFailsEveryCase();
    void failingCleanupTestCaseFailsTheLastCase();
    void crashBlamesTheRowAndRerunsTheRest();
    void exitInATestIsNotANormalEnd();
    void hangTimesOut();
    void skipInInitTestCaseSkipsAll();
    void globalDataRowsAggregate();
    void unselectableTagIsAnError();
    void notQtTestIsAnError();

private:
    QTemporaryDir m_dir;
};

static QString program(const QString &name)
{
    return QStringLiteral(CTESTD_QTEST_DIR "/") + name;
}

static QProcessEnvironment fixtureEnvironment(const QString &log)
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    return environment;
}

// The line of qt_basic.cpp with `text` on it.
static int sourceLine(const QString &text)
{
    QFile file(QStringLiteral(QT_BASIC_SOURCE));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).contains(text.toUtf8()))
            return i + 1;
    }
    return -1;
}

void TestQTestRun::init()
{
    QVERIFY(m_dir.isValid());
}

void TestQTestRun::basicStatusesAndSummary_data()
{
    QTest::addColumn<QStringList>("frameworkArguments");
    QTest::newRow("explicit") << QStringList {QStringLiteral("--framework"), QStringLiteral("qtest")};
    QTest::newRow("detected") << QStringList(); // libQt5Test.so in the binary
}

void TestQTestRun::basicStatusesAndSummary()
{
    QFETCH(QStringList, frameworkArguments);
    const CtestdRun run = runCtestd(
        QStringList {QStringLiteral("-j2")} + frameworkArguments + QStringList {program(QStringLiteral("qt_basic"))});
    QVERIFY2(!run.timedOut && !run.crashed, run.err.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("pass"), QStringLiteral("Passed")},
        {QStringLiteral("compareFails"), QStringLiteral("***Failed")},
        {QStringLiteral("skipped"), QStringLiteral("***Skipped")},
        {QStringLiteral("expectedFail"), QStringLiteral("Passed")},
        {QStringLiteral("unexpectedPass"), QStringLiteral("***Failed")},
        {QStringLiteral("rows:one"), QStringLiteral("Passed")},
        {QStringLiteral("rows:two words"), QStringLiteral("Passed")},
        {QStringLiteral("rows:odd:colon"), QStringLiteral("***Failed")},
        {QStringLiteral("output"), QStringLiteral("Passed")},
        {QStringLiteral("under_score2"), QStringLiteral("Passed")},
        {QStringLiteral("flakyBlacklisted"), QStringLiteral("***Skipped")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 11);
    QCOMPARE(startLineCount(run.out, QStringLiteral("compareFails")), 1);
    QCOMPARE(summaryLine(run.out), QStringLiteral("73% tests passed, 3 tests failed out of 11"));
    QVERIFY(run.out.contains("\t  2 - compareFails (Failed)\n"));
    QVERIFY(run.out.contains("\t  8 - rows:odd:colon (Failed)\n"));
    QVERIFY(run.out.contains("\t 11 - flakyBlacklisted (Skipped)\n"));
}

void TestQTestRun::basicJUnit()
{
    const QString junit = m_dir.filePath(QStringLiteral("basic.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"),
        QStringLiteral("--output-junit"), junit, program(QStringLiteral("qt_basic"))});
    QCOMPARE(run.exitCode, 8);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 11);
    const QString classname = QStringLiteral("qt_basic.TestBasic");

    const JUnitCase *fail = report.find(classname, QStringLiteral("compareFails"));
    QVERIFY(fail);
    QCOMPARE(fail->outcome, QStringLiteral("failure"));
    // Qt Test's listing has no location: the <testcase>'s file and line are
    // where it failed, which also leads the failure's text.
    const int failLine = sourceLine(QStringLiteral("QCOMPARE(two, 3);"));
    QCOMPARE(fail->file, QStringLiteral(QT_BASIC_SOURCE));
    QCOMPARE(fail->line, failLine);
    const QString location = QStringLiteral(QT_BASIC_SOURCE ":%1: ").arg(failLine);
    QVERIFY2(fail->text.startsWith(location), qPrintable(fail->text));
    const QString failText = fail->message + fail->text;
    QVERIFY2(failText.contains(QLatin1String("Compared values are not the same")), qPrintable(failText));
    QVERIFY2(failText.contains(QLatin1String("Actual   (two): 2")), qPrintable(failText));
    // The detail lines Qt prints after FAIL! stay with the failing case.
    QVERIFY2(fail->systemOut.contains(QLatin1String("   Loc: [")), qPrintable(fail->systemOut));

    const JUnitCase *skip = report.find(classname, QStringLiteral("skipped"));
    QVERIFY(skip);
    QCOMPARE(skip->outcome, QStringLiteral("skipped"));
    QCOMPARE(skip->message, QStringLiteral("not on this platform"));

    const JUnitCase *xpass = report.find(classname, QStringLiteral("unexpectedPass"));
    QVERIFY(xpass);
    QCOMPARE(xpass->outcome, QStringLiteral("failure"));
    QVERIFY2(
        (xpass->message + xpass->text).contains(QLatin1String("XPASS: QCOMPARE(1, 1) returned TRUE unexpectedly.")),
        qPrintable(xpass->message + xpass->text));

    const JUnitCase *colon = report.find(classname, QStringLiteral("rows:odd:colon"));
    QVERIFY(colon);
    QCOMPARE(colon->outcome, QStringLiteral("failure"));
    QVERIFY((colon->message + colon->text).contains(QLatin1String("row odd:colon fails")));
    QVERIFY(report.find(classname, QStringLiteral("rows:two words")));

    const JUnitCase *blacklisted = report.find(classname, QStringLiteral("flakyBlacklisted"));
    QVERIFY(blacklisted);
    QCOMPARE(blacklisted->outcome, QStringLiteral("skipped"));
    QVERIFY2(blacklisted->message.startsWith(QLatin1String("blacklisted failure: Compared values are not the same")),
        qPrintable(blacklisted->message));

    const JUnitCase *output = report.find(classname, QStringLiteral("output"));
    QVERIFY(output);
    QVERIFY2(output->systemOut.contains(QLatin1String("QDEBUG : TestBasic::output() qt_basic qDebug")),
        qPrintable(output->systemOut));
    QVERIFY2(output->systemOut.contains(QLatin1String("qt_basic printf")), qPrintable(output->systemOut));
    for (const JUnitCase &other : report.cases) {
        if (other.name != QLatin1String("output"))
            QVERIFY2(!other.systemOut.contains(QLatin1String("qt_basic printf")), qPrintable(other.name));
        // Our -v1 "entering" lines are not part of anybody's output.
        QVERIFY2(!other.systemOut.contains(QLatin1String(" entering")), qPrintable(other.name));
    }
}

void TestQTestRun::fixturesRunOncePerProcess_data()
{
    QTest::addColumn<QStringList>("groupArguments");
    QTest::addColumn<int>("processes");
    QTest::newRow("default") << QStringList() << 1;
    QTest::newRow("suite") << QStringList {QStringLiteral("--group-by"), QStringLiteral("suite")} << 1;
    QTest::newRow("case") << QStringList {QStringLiteral("--group-by"), QStringLiteral("case")} << 7;
}

void TestQTestRun::fixturesRunOncePerProcess()
{
    QFETCH(QStringList, groupArguments);
    QFETCH(int, processes);
    const QString log = m_dir.filePath(QStringLiteral("fixtures-%1.log").arg(QLatin1String(QTest::currentDataTag())));
    const CtestdRun run = runCtestd(
        QStringList {QStringLiteral("-j2")} + groupArguments + QStringList {program(QStringLiteral("qt_fixtures"))},
        fixtureEnvironment(log));
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 7"));
    QCOMPARE(consoleStatuses(run.out).value(QStringLiteral("table:b")), QStringLiteral("Passed"));
    const auto fixtureLog = readFixtureLog(log);
    QStringList setups = fixtureLog.value({QStringLiteral("TestFixtures"), QStringLiteral("setup")});
    QStringList teardowns = fixtureLog.value({QStringLiteral("TestFixtures"), QStringLiteral("teardown")});
    QCOMPARE(setups.size(), processes);
    setups.sort();
    teardowns.sort();
    QCOMPARE(teardowns, setups);
}

void TestQTestRun::failingInitTestCaseFailsEveryCase()
{
    const QString junit = m_dir.filePath(QStringLiteral("initfail.xml"));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_QT_FAIL_INIT"), QStringLiteral("1"));
    const CtestdRun run = runCtestd({QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
                                        program(QStringLiteral("qt_fixtures"))},
        environment);
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.size(), 7);
    for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
        QVERIFY2(it.value() == QLatin1String("***Failed"), qPrintable(it.key() + QLatin1Char(' ') + it.value()));
    QCOMPARE(summaryLine(run.out), QStringLiteral("0% tests passed, 7 tests failed out of 7"));
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *table = report.find(QStringLiteral("qt_fixtures.TestFixtures"), QStringLiteral("table:c"));
    QVERIFY(table);
    QVERIFY2((table->message + table->text).contains(QLatin1String("initTestCase() failed: fixture refused")),
        qPrintable(table->message + table->text));
    QVERIFY2(table->text.contains(QLatin1String("qt_fixtures.cpp:")), qPrintable(table->text));
}

void TestQTestRun::failingCleanupTestCaseFailsTheLastCase()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_QT_FAIL_CLEANUP"), QStringLiteral("1"));
    const CtestdRun run
        = runCtestd({QStringLiteral("--output-on-failure"), program(QStringLiteral("qt_fixtures"))}, environment);
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("one")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("table:b")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("table:c")), QStringLiteral("***Failed"));
    QCOMPARE(summaryLine(run.out), QStringLiteral("86% tests passed, 1 tests failed out of 7"));
    QVERIFY2(run.out.contains("FAIL!  : TestFixtures::cleanupTestCase() teardown refused"), run.out.constData());
}

void TestQTestRun::crashBlamesTheRowAndRerunsTheRest()
{
    const QString log = m_dir.filePath(QStringLiteral("crash.log"));
    const QString junit = m_dir.filePath(QStringLiteral("crash.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"),
                                        QStringLiteral("--output-junit"), junit, program(QStringLiteral("qt_crash"))},
        fixtureEnvironment(log));
    QVERIFY2(!run.timedOut, run.out.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("before"), QStringLiteral("Passed")},
        {QStringLiteral("rows:r1"), QStringLiteral("Passed")},
        {QStringLiteral("rows:r2"), QStringLiteral("Subprocess aborted***Exception:")},
        {QStringLiteral("rows:r3"), QStringLiteral("Passed")},
        {QStringLiteral("after"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 5);
    QCOMPARE(summaryLine(run.out), QStringLiteral("80% tests passed, 1 tests failed out of 5"));
    QVERIFY(run.out.contains("\t  3 - rows:r2 (Subprocess aborted)\n"));

    // The rest ran again in a second process.
    const auto fixtureLog = readFixtureLog(log);
    const QStringList setups = fixtureLog.value({QStringLiteral("TestCrash"), QStringLiteral("setup")});
    QCOMPARE(setups.size(), 2);
    QVERIFY(setups[0] != setups[1]);
    QCOMPARE(fixtureLog.value({QStringLiteral("TestCrash"), QStringLiteral("teardown")}), QStringList {setups[1]});

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *crashed = report.find(QStringLiteral("qt_crash.TestCrash"), QStringLiteral("rows:r2"));
    QVERIFY(crashed);
    QCOMPARE(crashed->outcome, QStringLiteral("error"));
    QCOMPARE(crashed->type, QStringLiteral("crash"));
    const QString text = crashed->message + crashed->text;
    QVERIFY2(text.contains(QLatin1String("while running rows:r2")), qPrintable(text));
    QVERIFY2(crashed->systemOut.contains(QLatin1String("QFATAL : TestCrash::rows(r2) Received signal 11")),
        qPrintable(crashed->systemOut));
}

// exit(3) is a code Qt Test itself uses (3 failures), but the txt log never
// reached its Totals line: the running function is blamed and the rest runs
// again, instead of being reported as not run.
void TestQTestRun::exitInATestIsNotANormalEnd()
{
    const QString problem = exitBlameProblem(program(QStringLiteral("qt_exit")), {},
        m_dir.filePath(QStringLiteral("exit.xml")), QStringLiteral("qt_exit.TestExit"), 3);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestQTestRun::hangTimesOut()
{
    const QString log = m_dir.filePath(QStringLiteral("hang.log"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--timeout"), QStringLiteral("2"),
                                        QStringLiteral("--output-on-failure"), program(QStringLiteral("qt_hang"))},
        fixtureEnvironment(log), 60000);
    QVERIFY2(!run.timedOut, "ctestd hung on a hanging test");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("quick"), QStringLiteral("Passed")},
        {QStringLiteral("sleepsForever"), QStringLiteral("***Timeout")},
        {QStringLiteral("after"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QVERIFY(run.out.contains(" - sleepsForever (Timeout)\n"));
    QVERIFY2(run.seconds < 20, qPrintable(QString::number(run.seconds)));
    // Killed at its limit, as ctest kills: Qt Test's SIGTERM handler (which
    // says "Received signal 15" and may start gdb for a stack dump) never
    // runs, so the case's output is the test's own.
    QVERIFY2(!run.out.contains("Received signal"), run.out.constData());
    QVERIFY2(!run.out.contains("gdb"), run.out.constData());
    QCOMPARE(readFixtureLog(log).value({QStringLiteral("TestHang"), QStringLiteral("setup")}).size(), 2);
}

void TestQTestRun::skipInInitTestCaseSkipsAll()
{
    const QString junit = m_dir.filePath(QStringLiteral("skipall.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
        program(QStringLiteral("qt_skipall"))});
    QCOMPARE(run.exitCode, 0);
    const QMap<QString, QString> expected {
        {QStringLiteral("first"), QStringLiteral("***Skipped")},
        {QStringLiteral("second"), QStringLiteral("***Skipped")},
        {QStringLiteral("table:x"), QStringLiteral("***Skipped")},
        {QStringLiteral("table:y"), QStringLiteral("***Skipped")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 4"));
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 4);
    for (const JUnitCase &skipped : report.cases) {
        QCOMPARE(skipped.outcome, QStringLiteral("skipped"));
        QCOMPARE(skipped.message, QStringLiteral("no backend here"));
    }
}

void TestQTestRun::globalDataRowsAggregate()
{
    const QString junit = m_dir.filePath(QStringLiteral("global.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
        program(QStringLiteral("qt_globaldata"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("plain"), QStringLiteral("***Failed")},
        {QStringLiteral("rows:r1"), QStringLiteral("Passed")},
        {QStringLiteral("rows:r2"), QStringLiteral("***Failed")},
        {QStringLiteral("always"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *plain = report.find(QStringLiteral("qt_globaldata.TestGlobal"), QStringLiteral("plain"));
    QVERIFY(plain);
    QVERIFY2((plain->message + plain->text).contains(QLatin1String("global data row \"G2\": plain fails for G2")),
        qPrintable(plain->message + plain->text));
    QVERIFY2(plain->text.contains(QLatin1String("qt_globaldata.cpp:")), qPrintable(plain->text));
    const JUnitCase *rows = report.find(QStringLiteral("qt_globaldata.TestGlobal"), QStringLiteral("rows:r2"));
    QVERIFY(rows);
    QVERIFY2((rows->message + rows->text).contains(QLatin1String("global data row \"G2\"")),
        qPrintable(rows->message + rows->text));
}

void TestQTestRun::unselectableTagIsAnError()
{
    const QString junit = m_dir.filePath(QStringLiteral("badtags.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
        program(QStringLiteral("qt_badtags"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("rows:"), QStringLiteral("***Failed")},
        {QStringLiteral("rows:fine"), QStringLiteral("Passed")},
        {QStringLiteral("plain"), QStringLiteral("Passed")},
        // A second row tagged "dup" never runs (Qt runs the first row of a
        // tag only): refused, never silently missing.
        {QStringLiteral("twice:dup"), QStringLiteral("Passed")},
        {QStringLiteral("twice:dup (row 2)"), QStringLiteral("***Failed")},
        {QStringLiteral("twice:other"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *empty = report.find(QStringLiteral("qt_badtags.TestBadTags"), QStringLiteral("rows:"));
    QVERIFY(empty);
    QVERIFY2((empty->message + empty->text)
                 .contains(QLatin1String("cannot select the data row of rows() with an empty tag")),
        qPrintable(empty->message + empty->text));
    const JUnitCase *duplicate
        = report.find(QStringLiteral("qt_badtags.TestBadTags"), QStringLiteral("twice:dup (row 2)"));
    QVERIFY(duplicate);
    QVERIFY2((duplicate->message + duplicate->text).contains(QLatin1String("another data row has the same tag")),
        qPrintable(duplicate->message + duplicate->text));

    // Alone in its group (--group-by case) there is nothing to run at all.
    const CtestdRun alone
        = runCtestd({QStringLiteral("--group-by"), QStringLiteral("case"), program(QStringLiteral("qt_badtags"))});
    QCOMPARE(alone.exitCode, 8);
    QMap<QString, QString> aloneExpected = expected;
    aloneExpected[QStringLiteral("rows:")] = QStringLiteral("***Not Run");
    aloneExpected[QStringLiteral("twice:dup (row 2)")] = QStringLiteral("***Not Run");
    QCOMPARE(consoleStatuses(alone.out), aloneExpected);
    QVERIFY2(alone.out.contains("cannot select the data row of rows() with an empty tag")
            || alone.err.contains("cannot select the data row of rows() with an empty tag"),
        alone.out.constData());
}

void TestQTestRun::notQtTestIsAnError()
{
    // Told it is Qt Test, a program that is not fails its listing; the other
    // executable still runs.
    const CtestdRun run = runCtestd({QStringLiteral("--framework"), QStringLiteral("qtest"),
        gtestProgram(QStringLiteral("not_gtest")), program(QStringLiteral("qt_skipall"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("not_gtest")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("first")), QStringLiteral("***Skipped"));
    QCOMPARE(statuses.size(), 5);
    QVERIFY2(run.err.contains("not a Qt Test listing: hello"), run.err.constData());
}

QTEST_GUILESS_MAIN(TestQTestRun)
#include "tst_qtest_run.moc"
