// SPDX-License-Identifier: BSD-3-Clause
// End-to-end: the real ctestd, real workers, running the real Catch2 v2
// programs of tests/catch2. Every expectation below is the one written at the
// top of that program's source.
#include "runhelpers.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

static QString catch2Program(const QString &name)
{
    return QDir(QStringLiteral(CTESTD_CATCH2_DIR)).absoluteFilePath(name);
}

static QString basicSource()
{
    return QDir(QStringLiteral(CTESTD_CATCH2_SOURCE_DIR)).absoluteFilePath(QStringLiteral("c2_basic.cpp"));
}

class TestCatch2Run : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void basicStatusesAndSummary_data();
    void basicStatusesAndSummary();
    void basicJUnit();
    void fixturesAreBuiltPerCase_data();
    void fixturesAreBuiltPerCase();
    void crashBlamesRunningCaseAndRerunsTheRest();
    void timeoutBlamesRunningCaseAndRerunsTheRest();
    void exitInACaseIsNotANormalEnd();
    void notCatch2IsAListingError();
    void serviceAnswersCases();
    void trimmedTwinsKeepTheirOwnResults_data();
    void trimmedTwinsKeepTheirOwnResults();

private:
    QTemporaryDir m_dir;
    QProcessEnvironment fixtureEnvironment(const QString &log) const;
};

void TestCatch2Run::init()
{
    QVERIFY(m_dir.isValid());
}

QProcessEnvironment TestCatch2Run::fixtureEnvironment(const QString &log) const
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    return environment;
}

void TestCatch2Run::basicStatusesAndSummary_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("explicit") << QStringList {QStringLiteral("--framework"), QStringLiteral("catch2")};
    QTest::newRow("detected") << QStringList();
    QTest::newRow("one process") << QStringList {QStringLiteral("--group-by"), QStringLiteral("executable")};
}

void TestCatch2Run::basicStatusesAndSummary()
{
    QFETCH(QStringList, options);
    const CtestdRun run = runCtestd(
        QStringList {QStringLiteral("-j2")} + options + QStringList {catch2Program(QStringLiteral("c2_basic"))});
    QVERIFY2(!run.timedOut && !run.crashed, run.err.constData());
    QCOMPARE(run.exitCode, 8);

    const QMap<QString, QString> expected {
        {QStringLiteral("Adds"), QStringLiteral("Passed")},
        {QStringLiteral("Require fails"), QStringLiteral("***Failed")},
        {QStringLiteral("Check fails then passes"), QStringLiteral("***Failed")},
        {QStringLiteral("Sections"), QStringLiteral("***Failed")},
        {QStringLiteral("May fail"), QStringLiteral("Passed")},
        {QStringLiteral("Should fail"), QStringLiteral("Passed")},
        {QStringLiteral("Should fail but passes"), QStringLiteral("***Failed")},
        {QStringLiteral("Fails, with comma [x] \\ \"q\""), QStringLiteral("Passed")},
        {QStringLiteral("  padded name  "), QStringLiteral("Passed")},
        {QStringLiteral("*starred*"), QStringLiteral("Passed")},
        {QStringLiteral("an unstarred case"), QStringLiteral("***Failed")},
        {QStringLiteral("#hash ~tilde"), QStringLiteral("Passed")},
        {QStringLiteral("exclude:me"), QStringLiteral("Passed")},
        {QString::fromUtf8("Unicode äöü € ✓"), QStringLiteral("Passed")},
        {QStringLiteral("Output"), QStringLiteral("Passed")},
        {QStringLiteral("Mixed Case"), QStringLiteral("Passed")},
        {QStringLiteral("mixed case"), QStringLiteral("***Failed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 17);
    QCOMPARE(startLineCount(run.out, QStringLiteral("Require fails")), 1);
    QCOMPARE(summaryLine(run.out), QStringLiteral("65% tests passed, 6 tests failed out of 17"));
    QVERIFY(!run.out.contains("Hidden"));
    QVERIFY(run.out.contains("The following tests FAILED:\n"));
    QVERIFY(run.out.contains(" - Sections (Failed)\n"));
}

void TestCatch2Run::basicJUnit()
{
    const QString junit = m_dir.filePath(QStringLiteral("basic.xml"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"),
            junit, QStringLiteral("--output-on-failure"), catch2Program(QStringLiteral("c2_basic"))});
    QCOMPARE(run.exitCode, 8);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 17);
    QCOMPARE(report.suites.size(), 1);
    QCOMPARE(report.suites[0].value(QStringLiteral("failures")), QStringLiteral("6"));
    QCOMPARE(report.suites[0].value(QStringLiteral("errors")), QStringLiteral("0"));
    QCOMPARE(report.suites[0].value(QStringLiteral("skipped")), QStringLiteral("0"));

    // No suite in Catch2 v2: the classname is the executable's file name.
    const QString classname = QStringLiteral("c2_basic");
    const JUnitCase *require = report.find(classname, QStringLiteral("Require fails"));
    QVERIFY(require);
    QCOMPARE(require->outcome, QStringLiteral("failure"));
    QCOMPARE(require->file, basicSource()); // from the listing: the TEST_CASE line
    QCOMPARE(require->line, 35);
    const QString requireText = require->message + QLatin1Char('\n') + require->text;
    QVERIFY2(requireText.contains(basicSource()
                 + QStringLiteral(":38: FAILED:\n  REQUIRE( a == 2 )\n"
                                  "with expansion:\n  1 == 2")),
        qPrintable(requireText));

    const JUnitCase *check = report.find(classname, QStringLiteral("Check fails then passes"));
    QVERIFY(check);
    QCOMPARE(check->outcome, QStringLiteral("failure"));
    const QString checkText = check->message + QLatin1Char('\n') + check->text;
    QVERIFY2(checkText.contains(QStringLiteral(":44: FAILED:\n  CHECK( b == 3 )")), qPrintable(checkText));
    QVERIFY2(!checkText.contains(QStringLiteral("b == 2")), qPrintable(checkText)); // the passing CHECK

    const JUnitCase *sections = report.find(classname, QStringLiteral("Sections"));
    QVERIFY(sections);
    const QString sectionText = sections->message + QLatin1Char('\n') + sections->text;
    QVERIFY2(sectionText.contains(QStringLiteral(":58: FAILED in section \"second\" > \"inner\":\n  REQUIRE( false )")),
        qPrintable(sectionText));
    QVERIFY2(!sectionText.contains(QStringLiteral("\"first\"")), qPrintable(sectionText));

    const JUnitCase *shouldPass = report.find(classname, QStringLiteral("Should fail but passes"));
    QVERIFY(shouldPass);
    QCOMPARE(shouldPass->outcome, QStringLiteral("failure"));
    QVERIFY2((shouldPass->message + shouldPass->text).contains(QStringLiteral("[!shouldfail]")),
        qPrintable(shouldPass->message));

    // Matched by "*starred*" as well; its result is its own.
    const JUnitCase *unstarred = report.find(classname, QStringLiteral("an unstarred case"));
    QVERIFY(unstarred);
    QCOMPARE(unstarred->outcome, QStringLiteral("failure"));
    QVERIFY((unstarred->message + unstarred->text).contains(QStringLiteral(":110: FAILED:")));
    const JUnitCase *mixed = report.find(classname, QStringLiteral("mixed case"));
    QVERIFY(mixed);
    QCOMPARE(mixed->outcome, QStringLiteral("failure"));
    QVERIFY((mixed->message + mixed->text).contains(QStringLiteral(":134: FAILED:")));
    for (const QString &passed : {QStringLiteral("*starred*"), QStringLiteral("Mixed Case"),
             QStringLiteral("  padded name  "), QStringLiteral("May fail"), QStringLiteral("Should fail")}) {
        const JUnitCase *found = report.find(classname, passed);
        QVERIFY2(found, qPrintable(passed));
        QCOMPARE(found->outcome, QStringLiteral("passed"));
    }

    // The case's printf, std::cout and std::cerr, as text rather than XML.
    const JUnitCase *output = report.find(classname, QStringLiteral("Output"));
    QVERIFY(output);
    QCOMPARE(output->outcome, QStringLiteral("passed"));
    QVERIFY2(output->systemOut.contains(QLatin1String("c2_basic printf\n")), qPrintable(output->systemOut));
    QVERIFY2(output->systemOut.contains(QLatin1String("c2_basic cout <&>\n")), qPrintable(output->systemOut));
    QVERIFY2(output->systemOut.contains(QLatin1String("c2_basic cerr\n")), qPrintable(output->systemOut));
    for (const JUnitCase &other : report.cases) {
        QVERIFY2(!other.systemOut.contains(QLatin1String("<OverallResult")), qPrintable(other.systemOut));
        QVERIFY2(!other.systemOut.contains(QLatin1String("<TestCase")), qPrintable(other.systemOut));
        if (other.name != QLatin1String("Output"))
            QVERIFY2(!other.systemOut.contains(QLatin1String("c2_basic c")), qPrintable(other.name));
    }

    // --output-on-failure shows the readable failure, not the XML.
    QVERIFY2(run.out.contains("REQUIRE( a == 2 )\nwith expansion:\n  1 == 2\n"), run.out.constData());
    QVERIFY(!run.out.contains("<Expression"));
}

void TestCatch2Run::fixturesAreBuiltPerCase_data()
{
    QTest::addColumn<QString>("groupBy");
    QTest::addColumn<int>("processes");
    QTest::newRow("default") << QString() << -1;
    QTest::newRow("executable") << QStringLiteral("executable") << 1;
}

void TestCatch2Run::fixturesAreBuiltPerCase()
{
    QFETCH(QString, groupBy);
    QFETCH(int, processes);
    const QString log
        = m_dir.filePath(QStringLiteral("fixtures-%1.log").arg(QString::fromLatin1(QTest::currentDataTag())));
    const QString junit
        = m_dir.filePath(QStringLiteral("fixtures-%1.xml").arg(QString::fromLatin1(QTest::currentDataTag())));
    QStringList arguments {
        QStringLiteral("-j2"), QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit};
    if (!groupBy.isEmpty())
        arguments << QStringLiteral("--group-by") << groupBy;
    arguments << catch2Program(QStringLiteral("c2_fixtures"));
    const CtestdRun run = runCtestd(arguments, fixtureEnvironment(log));
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 5"));

    const auto fixtureLog = readFixtureLog(log);
    QSet<QString> pids;
    const QList<QPair<QString, int>> expected {{QStringLiteral("FxA"), 3}, {QStringLiteral("FxB"), 2}};
    for (const auto &fixture : expected) {
        QStringList setups = fixtureLog.value({fixture.first, QStringLiteral("setup")});
        QStringList teardowns = fixtureLog.value({fixture.first, QStringLiteral("teardown")});
        QCOMPARE(setups.size(), fixture.second);
        setups.sort();
        teardowns.sort();
        QCOMPARE(teardowns, setups);
        for (const QString &pid : qAsConst(setups))
            pids.insert(pid);
    }
    if (processes > 0)
        QCOMPARE(pids.size(), processes);

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *sections = report.find(QStringLiteral("c2_fixtures"), QStringLiteral("B sections"));
    QVERIFY(sections);
    QCOMPARE(sections->outcome, QStringLiteral("passed"));
    QVERIFY(sections->file.endsWith(QLatin1String("c2_fixtures.cpp")));
    QVERIFY(sections->line > 0);
}

void TestCatch2Run::crashBlamesRunningCaseAndRerunsTheRest()
{
    const QString log = m_dir.filePath(QStringLiteral("crash.log"));
    const QString junit = m_dir.filePath(QStringLiteral("crash.xml"));
    // One group, so the crash takes the cases after it down with it.
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--group-by"), QStringLiteral("executable"),
                                        QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
                                        QStringLiteral("-V"), catch2Program(QStringLiteral("c2_crash"))},
        fixtureEnvironment(log));
    QVERIFY2(!run.timedOut, run.out.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("Before"), QStringLiteral("Passed")},
        {QStringLiteral("Segv"), QStringLiteral("***Exception: SegFault")},
        {QStringLiteral("After 1"), QStringLiteral("Passed")},
        {QStringLiteral("After 2"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 4);
    QCOMPARE(summaryLine(run.out), QStringLiteral("75% tests passed, 1 tests failed out of 4"));
    QVERIFY(run.out.contains(" - Segv (SEGFAULT)\n"));

    const auto fixtureLog = readFixtureLog(log);
    const QStringList before = fixtureLog.value({QStringLiteral("Before"), QStringLiteral("setup")});
    const QStringList segv = fixtureLog.value({QStringLiteral("Segv"), QStringLiteral("setup")});
    const QStringList after1 = fixtureLog.value({QStringLiteral("After1"), QStringLiteral("setup")});
    const QStringList after2 = fixtureLog.value({QStringLiteral("After2"), QStringLiteral("setup")});
    // Before passed before the crash, which no report confirms (Catch2
    // reports on stdout only): it runs once more, alone.
    QCOMPARE(before.size(), 2);
    QCOMPARE(segv, QStringList {before[0]}); // ran once, in the first process
    QCOMPARE(after1.size(), 1); // not before the crash: after it, in a new process
    QVERIFY(!before.contains(after1[0]));
    QCOMPARE(after2, after1);

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *crashed = report.find(QStringLiteral("c2_crash"), QStringLiteral("Segv"));
    QVERIFY(crashed);
    QCOMPARE(crashed->outcome, QStringLiteral("error"));
    QCOMPARE(crashed->type, QStringLiteral("crash"));
    QVERIFY2((crashed->message + crashed->text).contains(QLatin1String("signal 11")), qPrintable(crashed->message));
    // What Catch2's fatal condition handler reported is in the case's output.
    QVERIFY2(crashed->systemOut.contains(QLatin1String("c2_crash about to crash")), qPrintable(crashed->systemOut));
    QVERIFY2(crashed->systemOut.contains(QLatin1String("due to a fatal error condition:\n  SIGSEGV")),
        qPrintable(crashed->systemOut));
    const JUnitCase *next = report.find(QStringLiteral("c2_crash"), QStringLiteral("After 1"));
    QVERIFY(next);
    QCOMPARE(next->outcome, QStringLiteral("passed"));
}

void TestCatch2Run::timeoutBlamesRunningCaseAndRerunsTheRest()
{
    const QString log = m_dir.filePath(QStringLiteral("hang.log"));
    const CtestdRun run = runCtestd(
        {QStringLiteral("-j2"), QStringLiteral("--timeout"), QStringLiteral("2"), QStringLiteral("--group-by"),
            QStringLiteral("executable"), catch2Program(QStringLiteral("c2_hang"))},
        fixtureEnvironment(log), 60000);
    QVERIFY2(!run.timedOut, "ctestd hung on a hanging test");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("Quick"), QStringLiteral("Passed")},
        {QStringLiteral("Forever"), QStringLiteral("***Timeout")},
        {QStringLiteral("After"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QVERIFY(run.out.contains(" - Forever (Timeout)\n"));
    QVERIFY2(run.seconds < 20, qPrintable(QString::number(run.seconds)));
    const auto fixtureLog = readFixtureLog(log);
    const QStringList quick = fixtureLog.value({QStringLiteral("Quick"), QStringLiteral("setup")});
    // Quick passed before the timeout and runs once more to be confirmed.
    QCOMPARE(quick.size(), 2);
    QCOMPARE(fixtureLog.value({QStringLiteral("Forever"), QStringLiteral("setup")}), QStringList {quick[0]});
    const QStringList after = fixtureLog.value({QStringLiteral("After"), QStringLiteral("setup")});
    QCOMPARE(after.size(), 1);
    QVERIFY(after != quick);
}

void TestCatch2Run::notCatch2IsAListingError()
{
    // Told it is Catch2, a program that prints "hello" and exits 0 fails its
    // listing; the real Catch2 executable next to it runs normally.
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--framework"), QStringLiteral("catch2"),
        gtestProgram(QStringLiteral("not_gtest")), catch2Program(QStringLiteral("c2_fixtures"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("not_gtest")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("A one")), QStringLiteral("Passed"));
    QCOMPARE(statuses.size(), 6);
    QVERIFY2(run.err.contains("not a Catch2 listing: hello"), run.err.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("83% tests passed, 1 tests failed out of 6"));
}

void TestCatch2Run::serviceAnswersCases()
{
    // What ctestd_discover_tests registers for Catch2 (framework and grouping
    // as `ctestd list --json` gives them): `ctestd case` clients answered by
    // the build tree's daemon.
    const QString buildDir = m_dir.filePath(QStringLiteral("service-tree"));
    QVERIFY(QDir().mkpath(buildDir));
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const auto runCase = [&](const QString &selector) {
        return runProgram(QStringLiteral(CTESTD_EXECUTABLE),
            {QStringLiteral("case"), QStringLiteral("--build-dir"), buildDir, QStringLiteral("--executable"),
                catch2Program(QStringLiteral("c2_basic")), QStringLiteral("--framework"), QStringLiteral("catch2"),
                QStringLiteral("--group-by"), QStringLiteral("case"), QStringLiteral("--group"), selector,
                QStringLiteral("--selector"), selector},
            environment, QString(), 30000);
    };
    const CtestdRun failing = runCase(QStringLiteral("Require fails"));
    QCOMPARE(failing.exitCode, 1);
    QVERIFY2(failing.out.contains("REQUIRE( a == 2 )"), failing.out.constData());
    const CtestdRun passing = runCase(QStringLiteral("Fails, with comma [x] \\ \"q\""));
    QVERIFY2(passing.exitCode == 0, passing.err.constData());
    const CtestdRun output = runCase(QStringLiteral("Output"));
    QCOMPARE(output.exitCode, 0);
    QVERIFY2(output.out.contains("c2_basic cout <&>"), output.out.constData());
    stopTreeDaemon(buildDir);
}

// c2_exit ends its process with 3, a code Catch2 v2 itself uses, but its XML
// report was never closed: the running case is blamed and the rest runs
// again, instead of being reported as not run.
void TestCatch2Run::exitInACaseIsNotANormalEnd()
{
    const QString problem = exitBlameProblem(catch2Program(QStringLiteral("c2_exit")),
        {QStringLiteral("--group-by"), QStringLiteral("executable")}, m_dir.filePath(QStringLiteral("exit.xml")),
        QStringLiteral("c2_exit"), 3);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestCatch2Run::trimmedTwinsKeepTheirOwnResults_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("one process per case") << QStringList {QStringLiteral("-j2")};
    QTest::newRow("one process") << QStringList {QStringLiteral("--group-by"), QStringLiteral("executable")};
    QTest::newRow("one worker") << QStringList {QStringLiteral("-j1")};
}

void TestCatch2Run::trimmedTwinsKeepTheirOwnResults()
{
    // Catch2 reports "  twin  ", "twin", " twin" and "\ttwin" all as "twin",
    // and each one's spec runs all four: every case still gets its own
    // result, on the console and in JUnit, under the name as written.
    QFETCH(QStringList, options);
    const QString junit = m_dir.filePath(QStringLiteral("twins.xml"));
    const CtestdRun run = runCtestd(options
        + QStringList {QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
            catch2Program(QStringLiteral("c2_twins"))});
    QVERIFY2(!run.timedOut && !run.crashed, run.err.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("  twin  "), QStringLiteral("***Failed")},
        {QStringLiteral("twin"), QStringLiteral("Passed")},
        {QStringLiteral(" twin"), QStringLiteral("Passed")},
        {QStringLiteral("\ttwin"), QStringLiteral("***Failed")},
        {QStringLiteral("single"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 5);
    QCOMPARE(summaryLine(run.out), QStringLiteral("60% tests passed, 2 tests failed out of 5"));

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 5);
    const QString classname = QStringLiteral("c2_twins");
    const JUnitCase *padded = report.find(classname, QStringLiteral("  twin  "));
    QVERIFY(padded);
    QCOMPARE(padded->outcome, QStringLiteral("failure"));
    QVERIFY2(padded->text.contains(QLatin1String("c2_twins.cpp:17: FAILED:")), qPrintable(padded->text));
    const JUnitCase *tab = report.find(classname, QStringLiteral("\ttwin"));
    QVERIFY(tab);
    QCOMPARE(tab->outcome, QStringLiteral("failure"));
    QVERIFY2(tab->text.contains(QLatin1String("c2_twins.cpp:32: FAILED:")), qPrintable(tab->text));
    for (const QString &passed : {QStringLiteral("twin"), QStringLiteral(" twin"), QStringLiteral("single")}) {
        const JUnitCase *found = report.find(classname, passed);
        QVERIFY2(found, qPrintable(passed));
        QCOMPARE(found->outcome, QStringLiteral("passed"));
        QVERIFY2(!found->systemOut.contains(QLatin1String("FAILED")), qPrintable(found->systemOut));
    }
}

QTEST_GUILESS_MAIN(TestCatch2Run)
#include "tst_catch2_run.moc"
