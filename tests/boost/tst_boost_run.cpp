// SPDX-License-Identifier: BSD-3-Clause
// End-to-end: the real ctestd, real workers, running the real Boost.Test
// programs of tests/boost (auto-detected, or told `--framework boost`). Every
// expectation below is the one written at the top of that program's source.
#include "runhelpers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString boostProgram(const QString &name)
{
    return QStringLiteral(CTESTD_BOOST_DIR "/") + name;
}

// The 1-based line of a tests/boost source that contains `needle`.
int sourceLine(const QString &file, const char *needle)
{
    QFile source(file);
    if (!source.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = source.readAll().split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).contains(needle))
            return i + 1;
    }
    return -1;
}

} // namespace

class TestBoostRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void basicStatusesAndSummary_data();
    void basicStatusesAndSummary();
    void basicJUnit();
    void fixtureGroups_data();
    void fixtureGroups();
    void crashBlamesRunningCaseAndRerunsTheRest();
    void timeoutBlamesHangingCase();
    void notBoostIsAnError();
    void hostileEnvironmentChangesNothing();
    void serviceRunsEachGroupOnce();
    void listNamesEveryGroup();

private:
    QTemporaryDir m_dir;
};

void TestBoostRun::init()
{
    QVERIFY(m_dir.isValid());
}

void TestBoostRun::basicStatusesAndSummary_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("auto") << QStringList();
    QTest::newRow("told") << QStringList({QStringLiteral("--framework"), QStringLiteral("boost")});
    QTest::newRow("by case") << QStringList({QStringLiteral("--group-by"), QStringLiteral("case")});
}

void TestBoostRun::basicStatusesAndSummary()
{
    QFETCH(QStringList, options);
    const CtestdRun run = runCtestd(
        QStringList {QStringLiteral("-j2")} + options + QStringList {boostProgram(QStringLiteral("boost_basic"))});
    QVERIFY2(!run.timedOut && !run.crashed, run.err.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("standalone"), QStringLiteral("Passed")},
        {QStringLiteral("math/add"), QStringLiteral("Passed")},
        {QStringLiteral("math/fail"), QStringLiteral("***Failed")},
        {QStringLiteral("math/off"), QStringLiteral("***Not Run (Disabled)")},
        {QStringLiteral("math/xfail"), QStringLiteral("Passed")},
        {QStringLiteral("math/dep"), QStringLiteral("***Skipped")},
        {QStringLiteral("math/throws"), QStringLiteral("***Failed")},
        {QStringLiteral("math/guarded"), QStringLiteral("***Skipped")},
        {QStringLiteral("math/inner/deep"), QStringLiteral("Passed")},
        {QStringLiteral("data/_0"), QStringLiteral("Passed")},
        {QStringLiteral("data/_1"), QStringLiteral("Passed")},
        {QStringLiteral("data/_2"), QStringLiteral("***Failed")},
        {QStringLiteral("tmpl<int>"), QStringLiteral("Passed")},
        {QStringLiteral("tmpl<long>"), QStringLiteral("Passed")},
        {QStringLiteral("slow"), QStringLiteral("***Failed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 15);
    // math/fail also runs as math/dep's dependency, but only once: same group.
    QCOMPARE(startLineCount(run.out, QStringLiteral("math/fail")), 1);
    QCOMPARE(summaryLine(run.out), QStringLiteral("71% tests passed, 4 tests failed out of 14"));
    QVERIFY(run.out.contains(" - math/dep (Skipped)\n"));
    QVERIFY(run.out.contains(" - slow (Failed)\n"));
    QVERIFY(run.err.contains("Errors while running CTest"));
}

void TestBoostRun::basicJUnit()
{
    const QString junit = m_dir.filePath(QStringLiteral("basic.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"),
        QStringLiteral("--output-junit"), junit, boostProgram(QStringLiteral("boost_basic"))});
    QCOMPARE(run.exitCode, 8);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 15);
    QCOMPARE(report.suites[0].value(QStringLiteral("failures")), QStringLiteral("4"));
    QCOMPARE(report.suites[0].value(QStringLiteral("skipped")), QStringLiteral("3"));
    const QString source = QStringLiteral(CTESTD_BOOST_SOURCE_DIR "/boost_basic.cpp");

    const JUnitCase *fail = report.find(QStringLiteral("boost_basic.math"), QStringLiteral("fail"));
    QVERIFY(fail);
    QCOMPARE(fail->outcome, QStringLiteral("failure"));
    QCOMPARE(fail->file, source);
    QCOMPARE(fail->line, sourceLine(source, "BOOST_AUTO_TEST_CASE(fail)"));
    QCOMPARE(fail->message, QStringLiteral("check a == b has failed [1 != 2]"));
    QVERIFY2(fail->text.contains(QStringLiteral("boost_basic.cpp:%1").arg(sourceLine(source, "BOOST_TEST(a == b)"))),
        qPrintable(fail->text));

    const JUnitCase *throws = report.find(QStringLiteral("boost_basic.math"), QStringLiteral("throws"));
    QVERIFY(throws);
    QCOMPARE(throws->outcome, QStringLiteral("failure"));
    QCOMPARE(throws->message, QStringLiteral("std::runtime_error: boom"));

    const JUnitCase *slow = report.find(QStringLiteral("boost_basic"), QStringLiteral("slow"));
    QVERIFY(slow);
    QCOMPARE(slow->outcome, QStringLiteral("failure"));
    // Boost's own words for its timeout() alarm come from siginfo fields it
    // leaves uninitialised ("signal: SIGALRM (timeout while executing
    // function)", "signal: sent by sigqueue()", "unrecognized signal
    // -311328768", ...): only that there is one, and where ctestd puts it,
    // is pinned. The failure text leads with the case's file:line.
    QVERIFY2(!slow->message.isEmpty(), qPrintable(slow->text));
    QVERIFY2(slow->text.contains(QRegularExpression(
                 QStringLiteral("boost_basic\\.cpp:90: ") + QRegularExpression::escape(slow->message))),
        qPrintable(slow->text));

    const JUnitCase *dep = report.find(QStringLiteral("boost_basic.math"), QStringLiteral("dep"));
    QVERIFY(dep);
    QCOMPARE(dep->outcome, QStringLiteral("skipped"));
    QCOMPARE(dep->message, QStringLiteral("skipped because dependency test case \"math/fail\" has failed"));
    const JUnitCase *off = report.find(QStringLiteral("boost_basic.math"), QStringLiteral("off"));
    QVERIFY(off);
    QCOMPARE(off->outcome, QStringLiteral("skipped"));

    const JUnitCase *deep = report.find(QStringLiteral("boost_basic.math/inner"), QStringLiteral("deep"));
    QVERIFY(deep);
    QCOMPARE(deep->outcome, QStringLiteral("passed"));
    const JUnitCase *row = report.find(QStringLiteral("boost_basic.data"), QStringLiteral("_2"));
    QVERIFY(row);
    QCOMPARE(row->outcome, QStringLiteral("failure"));
    QCOMPARE(row->line, sourceLine(source, "BOOST_DATA_TEST_CASE(data"));
    const JUnitCase *tmpl = report.find(QStringLiteral("boost_basic"), QStringLiteral("tmpl<int>"));
    QVERIFY(tmpl);
    QCOMPARE(tmpl->outcome, QStringLiteral("passed"));
    const JUnitCase *standalone = report.find(QStringLiteral("boost_basic"), QStringLiteral("standalone"));
    QVERIFY(standalone);

    // stdout and stderr of a case land on it, and only on it.
    const JUnitCase *add = report.find(QStringLiteral("boost_basic.math"), QStringLiteral("add"));
    QVERIFY(add);
    QVERIFY2(add->systemOut.contains(QLatin1String("boost_basic to stdout")), qPrintable(add->systemOut));
    QVERIFY2(add->systemOut.contains(QLatin1String("boost_basic to stderr")), qPrintable(add->systemOut));
    for (const JUnitCase &other : report.cases) {
        if (other.name != QLatin1String("add"))
            QVERIFY2(!other.systemOut.contains(QLatin1String("boost_basic to std")), qPrintable(other.name));
        // The filter's "skipped because disabled" lines are dropped.
        QVERIFY2(!other.systemOut.contains(QLatin1String("is skipped because disabled")), qPrintable(other.name));
    }
}

void TestBoostRun::fixtureGroups_data()
{
    QTest::addColumn<QString>("groupBy");
    QTest::addColumn<int>("alpha");
    QTest::addColumn<int>("gamma");
    QTest::addColumn<int>("processes");
    // No --group-by: boost_fixtures has a global fixture, so the executable is
    // its default group (once per process, like Boost.Test run by hand).
    QTest::newRow("default") << QString() << 1 << 1 << 1;
    // suite: alpha+gamma (merged by gamma/uses -> alpha/one) and beta.
    QTest::newRow("suite") << QStringLiteral("suite") << 1 << 1 << 2;
    // case: alpha/one with gamma/uses, and every other case alone.
    QTest::newRow("case") << QStringLiteral("case") << 4 << 2 << 8;
    QTest::newRow("executable") << QStringLiteral("executable") << 1 << 1 << 1;
}

void TestBoostRun::fixtureGroups()
{
    QFETCH(QString, groupBy);
    QFETCH(int, alpha);
    QFETCH(int, gamma);
    QFETCH(int, processes);
    const QString log
        = m_dir.filePath(QStringLiteral("fixtures-%1.log").arg(QString::fromLatin1(QTest::currentDataTag())));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    QStringList arguments {QStringLiteral("-j2"), boostProgram(QStringLiteral("boost_fixtures"))};
    if (!groupBy.isEmpty())
        arguments = QStringList {QStringLiteral("--group-by"), groupBy} + arguments;
    const CtestdRun run = runCtestd(arguments, environment);
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 9"));
    QCOMPARE(resultLineCount(run.out), 9);

    const auto fixtureLog = readFixtureLog(log);
    const auto count = [&fixtureLog](const char *name) {
        const QStringList setups = fixtureLog.value({QString::fromLatin1(name), QStringLiteral("setup")});
        QStringList teardowns = fixtureLog.value({QString::fromLatin1(name), QStringLiteral("teardown")});
        QStringList sorted = setups;
        sorted.sort();
        teardowns.sort();
        return sorted == teardowns ? int(setups.size()) : -1; // each set-up was torn down
    };
    QCOMPARE(count("Alpha"), alpha);
    QCOMPARE(count("Gamma"), gamma);
    QCOMPARE(count("Beta"), 3); // BOOST_FIXTURE_TEST_SUITE: per case, always
    QCOMPARE(count("Global"), processes); // once per process, whatever the mode
    QSet<QString> pids;
    for (const QString &pid : fixtureLog.value({QStringLiteral("Global"), QStringLiteral("setup")}))
        pids.insert(pid);
    QCOMPARE(pids.size(), processes);
    // The dependency ran in the same process as the case that needs it.
    if (groupBy != QLatin1String("case")) {
        QCOMPARE(fixtureLog.value({QStringLiteral("Alpha"), QStringLiteral("setup")}),
            fixtureLog.value({QStringLiteral("Gamma"), QStringLiteral("setup")}));
    }
}

void TestBoostRun::crashBlamesRunningCaseAndRerunsTheRest()
{
    const QString log = m_dir.filePath(QStringLiteral("crash.log"));
    const QString junit = m_dir.filePath(QStringLiteral("crash.xml"));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"),
                        junit, boostProgram(QStringLiteral("boost_crash"))},
            environment);
    QVERIFY2(!run.timedOut, run.out.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("crash/before"), QStringLiteral("Passed")},
        {QStringLiteral("crash/segv"), QStringLiteral("***Exception: SegFault")},
        {QStringLiteral("crash/after"), QStringLiteral("Passed")},
        {QStringLiteral("crash/aborts"), QStringLiteral("Subprocess aborted***Exception:")},
        {QStringLiteral("crash/last"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 5);
    QCOMPARE(summaryLine(run.out), QStringLiteral("60% tests passed, 2 tests failed out of 5"));
    QVERIFY(run.out.contains("\t  2 - crash/segv (SEGFAULT)\n"));
    QVERIFY(run.out.contains("\t  4 - crash/aborts (Subprocess aborted)\n"));

    // Five processes: each crash ends one and the rest runs in the next
    // (three), and the passes before each crash, which no report confirmed
    // (Boost's log is lost with the process), run once more (two). Only the
    // two crashing ones miss their suite's teardown.
    const auto fixtureLog = readFixtureLog(log);
    const QStringList setups = fixtureLog.value({QStringLiteral("Crash"), QStringLiteral("setup")});
    QCOMPARE(setups.size(), 5);
    QCOMPARE(QSet<QString>(setups.cbegin(), setups.cend()).size(), 5);
    QCOMPARE(fixtureLog.value({QStringLiteral("Crash"), QStringLiteral("teardown")}).size(), 3);

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *segv = report.find(QStringLiteral("boost_crash.crash"), QStringLiteral("segv"));
    QVERIFY(segv);
    QCOMPARE(segv->outcome, QStringLiteral("error"));
    QCOMPARE(segv->type, QStringLiteral("crash"));
    QVERIFY2(segv->text.contains(QLatin1String("signal 11")), qPrintable(segv->text));
    QVERIFY2(segv->text.contains(QLatin1String("while running crash/segv")), qPrintable(segv->text));
    QCOMPARE(segv->line, sourceLine(QStringLiteral(CTESTD_BOOST_SOURCE_DIR "/boost_crash.cpp"), "CASE(segv)"));
    const JUnitCase *aborts = report.find(QStringLiteral("boost_crash.crash"), QStringLiteral("aborts"));
    QVERIFY(aborts);
    QVERIFY2(aborts->text.contains(QLatin1String("signal 6")), qPrintable(aborts->text));
}

void TestBoostRun::timeoutBlamesHangingCase()
{
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--timeout"), QStringLiteral("2"),
                                        boostProgram(QStringLiteral("boost_hang"))},
        {}, 60000);
    QVERIFY2(!run.timedOut, "ctestd hung on a hanging test");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("hang/first"), QStringLiteral("Passed")},
        {QStringLiteral("hang/forever"), QStringLiteral("***Timeout")},
        {QStringLiteral("hang/after"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QVERIFY(run.out.contains(" - hang/forever (Timeout)\n"));
    QCOMPARE(summaryLine(run.out), QStringLiteral("67% tests passed, 1 tests failed out of 3"));
    QVERIFY2(run.seconds < 20, qPrintable(QString::number(run.seconds)));
}

void TestBoostRun::notBoostIsAnError()
{
    // Told it is Boost.Test, a program that prints "hello" fails its listing;
    // the real Boost program next to it still runs.
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--framework"), QStringLiteral("boost"),
        QStringLiteral(CTESTD_NOT_BOOST), boostProgram(QStringLiteral("boost_crash"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QFileInfo(QStringLiteral(CTESTD_NOT_BOOST)).fileName()), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("crash/last")), QStringLiteral("Passed"));
    QCOMPARE(statuses.size(), 6);
    QVERIFY2(run.err.contains("not a Boost.Test listing: hello"), run.err.constData());
}

void TestBoostRun::hostileEnvironmentChangesNothing()
{
    // BOOST_TEST_* variables that would change what runs or how it is logged.
    QProcessEnvironment environment;
    const char *const hostile[][2] = {
        {"BOOST_TEST_RUN_FILTERS", "!math"}, {"BOOST_TEST_LOGGER", "XML,all,stdout"},
        {"BOOST_TEST_LOG_LEVEL", "nothing"}, {"BOOST_TEST_LOG_FORMAT", "XML"}, {"BOOST_TEST_REPORT_LEVEL", "detailed"},
        {"BOOST_TEST_COLOR_OUTPUT", "yes"}, {"BOOST_TEST_SHOW_PROGRESS", "yes"}, {"BOOST_TEST_RANDOM", "7"},
        {"BOOST_TEST_CATCH_SYSTEM_ERRORS", "yes"}, {"BOOST_TEST_LIST_LABELS", "yes"}, {"BOOST_TEST_RESULT_CODE", "no"},
        {"BOOST_TEST_LIST_CONTENT", "HRF"}, // no "off" value: ctestd unsets it for runs
    };
    for (const auto &entry : hostile)
        environment.insert(QString::fromLatin1(entry[0]), QString::fromLatin1(entry[1]));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), boostProgram(QStringLiteral("boost_crash"))}, environment);
    QCOMPARE(run.exitCode, 8);
    QCOMPARE(consoleStatuses(run.out).value(QStringLiteral("crash/segv")), QStringLiteral("***Exception: SegFault"));
    QCOMPARE(summaryLine(run.out), QStringLiteral("60% tests passed, 2 tests failed out of 5"));
}

void TestBoostRun::serviceRunsEachGroupOnce()
{
    // What ctestd_discover_tests registers, run by a real ctest: `ctestd
    // case` clients; the daemon runs the fixture group once and answers
    // each case.
    const QString buildDir = m_dir.filePath(QStringLiteral("service-tree"));
    const QString log = m_dir.filePath(QStringLiteral("service.log"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    // boost_fixtures' default group is the whole executable (its global
    // fixture), whose key is "".
    const QString fixtures = boostProgram(QStringLiteral("boost_fixtures"));
    const QString basic = boostProgram(QStringLiteral("boost_basic"));
    QVector<CaseTest> tests;
    for (const char *selector : {"alpha/one", "alpha/two", "alpha/inner/three", "gamma/uses"})
        tests.append(
            {QString::fromLatin1(selector), caseArguments(fixtures, QString(), QString::fromLatin1(selector))});
    for (const char *selector : {"math/fail", "math/dep", "math/gone"})
        tests.append({QString::fromLatin1(selector),
            caseArguments(basic, QStringLiteral("math"), QString::fromLatin1(selector))});
    QString error;
    QVERIFY2(writeCaseTree(buildDir, tests, &error), qPrintable(error));
    const CtestdRun run
        = runCtest(buildDir, {QStringLiteral("-j4"), QStringLiteral("--output-on-failure")}, environment);
    stopTreeDaemon(buildDir);
    QVERIFY2(run.exitCode == 8, run.out.constData());
    const QMap<QString, QString> expected {{QStringLiteral("alpha/one"), QStringLiteral("Passed")},
        {QStringLiteral("alpha/two"), QStringLiteral("Passed")},
        {QStringLiteral("alpha/inner/three"), QStringLiteral("Passed")},
        {QStringLiteral("gamma/uses"), QStringLiteral("Passed")},
        {QStringLiteral("math/fail"), QStringLiteral("***Failed")},
        {QStringLiteral("math/dep"), QStringLiteral("***Skipped")},
        // a stale registration never passes
        {QStringLiteral("math/gone"), QStringLiteral("***Failed")}};
    QCOMPARE(consoleStatuses(run.out), expected);
    QVERIFY2(run.out.contains("check a == b has failed [1 != 2]"), run.out.constData());
    QVERIFY2(run.out.contains("has no case 'math/gone'"), run.out.constData());
    QCOMPARE(readFixtureLog(log).value({QStringLiteral("Alpha"), QStringLiteral("setup")}).size(), 1);
    QCOMPARE(readFixtureLog(log).value({QStringLiteral("Global"), QStringLiteral("setup")}).size(), 1);
}

void TestBoostRun::listNamesEveryGroup()
{
    // Cases right in the master suite are a group named after the module
    // (BOOST_TEST_MODULE), and a global fixture's whole-executable group is
    // named after the executable: no group line is empty.
    const CtestdRun basic = runCtestd({QStringLiteral("list"), boostProgram(QStringLiteral("boost_basic"))});
    QCOMPARE(basic.exitCode, 0);
    QStringList groups;
    for (const QByteArray &line : basic.out.split('\n')) {
        if (line.startsWith("  group"))
            groups << QString::fromUtf8(line);
    }
    QCOMPARE(groups,
        QStringList(
            {QStringLiteral("  group boost_basic"), QStringLiteral("  group math"), QStringLiteral("  group data")}));
    const CtestdRun fixtures = runCtestd({QStringLiteral("list"), boostProgram(QStringLiteral("boost_fixtures"))});
    QCOMPARE(fixtures.exitCode, 0);
    QVERIFY2(fixtures.out.contains("\n  group boost_fixtures (the whole executable)\n"), fixtures.out.constData());
}

QTEST_GUILESS_MAIN(TestBoostRun)
#include "tst_boost_run.moc"
