// SPDX-License-Identifier: BSD-3-Clause
// End-to-end: the real ctestd, real workers, running the real doctest
// programs of tests/doctest. Every expectation below is the one written at
// the top of that program's source.
#include "runhelpers.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString doctestProgram(const QString &name)
{
    return QStringLiteral(CTESTD_DOCTEST_DIR "/") + name;
}

// The 1-based line of dt_basic.cpp that contains `needle`.
int basicLine(const QString &needle)
{
    QFile file(QStringLiteral(DT_BASIC_SOURCE));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (QString::fromUtf8(lines.at(i)).contains(needle))
            return i + 1;
    }
    return -1;
}

QProcessEnvironment fixtureEnvironment(const QString &log)
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    return environment;
}

// The pids that logged "<name> ran <pid>".
QStringList ran(const QString &log, const QString &name)
{
    return readFixtureLog(log).value({name, QStringLiteral("ran")});
}

} // namespace

class TestDoctestRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void basicStatusesAndSummary();
    void basicJUnit();
    void fixturesOncePerCase_data();
    void fixturesOncePerCase();
    void crashBlamesRunningCaseAndRerunsTheRest();
    void timeoutBlamesRunningCase();
    void exitInACaseIsNotANormalEnd();
    void namesThatCannotBeSelected();
    void notDoctest();
    void listAsJson();
    void serviceRunsSingleCases();

private:
    QTemporaryDir m_dir;
};

void TestDoctestRun::init()
{
    QVERIFY(m_dir.isValid());
}

void TestDoctestRun::basicStatusesAndSummary()
{
    // Auto-detection: the binary contains "[doctest] ".
    const QString log = m_dir.filePath(QStringLiteral("basic.log"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), doctestProgram(QStringLiteral("dt_basic"))}, fixtureEnvironment(log));
    QVERIFY2(!run.timedOut && !run.crashed, run.err.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("pass"), QStringLiteral("Passed")},
        {QStringLiteral("check fails"), QStringLiteral("***Failed")},
        {QStringLiteral("require fails"), QStringLiteral("***Failed")},
        {QStringLiteral("subcases"), QStringLiteral("***Failed")},
        {QStringLiteral("add"), QStringLiteral("Passed")},
        {QStringLiteral("Add"), QStringLiteral("Passed")},
        {QStringLiteral("skipped"), QStringLiteral("***Not Run (Disabled)")},
        {QStringLiteral("may fail"), QStringLiteral("Passed")},
        {QStringLiteral("should fail"), QStringLiteral("Passed")},
        {QStringLiteral("should fail but passes"), QStringLiteral("***Failed")},
        {QStringLiteral("two expected failures"), QStringLiteral("Passed")},
        {QStringLiteral("too slow"), QStringLiteral("***Failed")},
        {QStringLiteral("comma, name"), QStringLiteral("Passed")},
        {QStringLiteral("star*name"), QStringLiteral("Passed")},
        {QStringLiteral("starXname"), QStringLiteral("Passed")},
        {QStringLiteral("what?"), QStringLiteral("Passed")},
        {QStringLiteral("back\\slash"), QStringLiteral("Passed")},
        {QStringLiteral("ünïcode ✓"), QStringLiteral("Passed")},
        {QStringLiteral("prints"), QStringLiteral("Passed")},
        {QStringLiteral("throws"), QStringLiteral("***Failed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 20);
    QCOMPARE(summaryLine(run.out), QStringLiteral("68% tests passed, 6 tests failed out of 19"));
    QVERIFY(run.out.contains("The following tests did not run:\n"));
    QVERIFY(run.err.contains("Errors while running CTest"));

    // Names that differ only in case, or that are wildcard patterns for
    // another name, each ran exactly once in a process. (A pass of a process
    // that exits failed runs again in another: doctest reports only on
    // stdout, so its exit status confirms passes; PROTOCOL.md.)
    for (const QString &name : {QStringLiteral("add"), QStringLiteral("Add"), QStringLiteral("comma"),
             QStringLiteral("star"), QStringLiteral("starX")}) {
        QStringList pids = ran(log, name);
        QVERIFY2(!pids.isEmpty(), qPrintable(name));
        QVERIFY2(pids.removeDuplicates() == 0, qPrintable(name));
    }
}

void TestDoctestRun::basicJUnit()
{
    const QString junit = m_dir.filePath(QStringLiteral("basic.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--framework"), QStringLiteral("doctest"),
        QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
        doctestProgram(QStringLiteral("dt_basic"))});
    QCOMPARE(run.exitCode, 8);
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 20);
    QCOMPARE(report.suites.size(), 1);
    QCOMPARE(report.suites[0].value(QStringLiteral("failures")), QStringLiteral("6"));
    QCOMPARE(report.suites[0].value(QStringLiteral("errors")), QStringLiteral("0"));
    QCOMPARE(report.suites[0].value(QStringLiteral("skipped")), QStringLiteral("1"));

    // The TEST_SUITE is the classname.
    const JUnitCase *add = report.find(QStringLiteral("dt_basic.math"), QStringLiteral("add"));
    QVERIFY(add);
    QCOMPARE(add->outcome, QStringLiteral("passed"));
    QVERIFY2(add->file.endsWith(QLatin1String("/dt_basic.cpp")), qPrintable(add->file));
    QCOMPARE(add->line, basicLine(QStringLiteral("TEST_CASE(\"add\")")));
    const JUnitCase *upperAdd = report.find(QStringLiteral("dt_basic.math"), QStringLiteral("Add"));
    QVERIFY(upperAdd);
    QCOMPARE(upperAdd->outcome, QStringLiteral("passed"));

    const JUnitCase *check = report.find(QStringLiteral("dt_basic"), QStringLiteral("check fails"));
    QVERIFY(check);
    QCOMPARE(check->outcome, QStringLiteral("failure"));
    QCOMPARE(check->line, basicLine(QStringLiteral("TEST_CASE(\"check fails\")")));
    const QString checkText = check->message + QLatin1Char('\n') + check->text;
    const QString checkLocation = QStringLiteral("dt_basic.cpp:%1: ERROR: CHECK( value == 2 ) is NOT correct!")
                                      .arg(basicLine(QStringLiteral("CHECK(value == 2);")));
    QVERIFY2(checkText.contains(checkLocation), qPrintable(checkText));
    QVERIFY2(checkText.contains(QLatin1String("values: CHECK( 1 == 2 )")), qPrintable(checkText));

    const JUnitCase *require = report.find(QStringLiteral("dt_basic"), QStringLiteral("require fails"));
    QVERIFY(require);
    QVERIFY2(require->text.contains(QLatin1String("FATAL ERROR: REQUIRE( false == true ) is NOT correct!")),
        qPrintable(require->text));
    QVERIFY(!require->systemOut.contains(QLatin1String("not reached")));

    const JUnitCase *subcases = report.find(QStringLiteral("dt_basic"), QStringLiteral("subcases"));
    QVERIFY(subcases);
    QCOMPARE(subcases->outcome, QStringLiteral("failure"));
    QVERIFY2(subcases->text.endsWith(QStringLiteral("\n  subcase: second")), qPrintable(subcases->text));
    // The assertion, without the location the element's text starts with.
    QCOMPARE(subcases->message,
        QStringLiteral("ERROR: CHECK( 2 > 3 ) is NOT correct! values: CHECK( 2 > 3 ) subcase: second"));
    QVERIFY2(subcases->text.startsWith(QStringLiteral("%1:%2: ERROR: CHECK( 2 > 3 ) is NOT correct!")
                                           .arg(QStringLiteral(DT_BASIC_SOURCE))
                                           .arg(basicLine(QStringLiteral("CHECK(2 > 3);")))),
        qPrintable(subcases->text));
    QVERIFY2(subcases->text.contains(QStringLiteral("dt_basic.cpp:%1: ERROR: CHECK( 2 > 3 ) is NOT correct!")
                                         .arg(basicLine(QStringLiteral("CHECK(2 > 3);")))),
        qPrintable(subcases->text));
    QVERIFY(!subcases->text.contains(QLatin1String("first")));

    const JUnitCase *skipped = report.find(QStringLiteral("dt_basic"), QStringLiteral("skipped"));
    QVERIFY(skipped);
    QCOMPARE(skipped->outcome, QStringLiteral("skipped"));
    QCOMPARE(skipped->message, QStringLiteral("disabled"));

    const JUnitCase *slow = report.find(QStringLiteral("dt_basic"), QStringLiteral("too slow"));
    QVERIFY(slow);
    QCOMPARE(slow->outcome, QStringLiteral("failure"));
    QVERIFY2((slow->message + slow->text).contains(QLatin1String("Test case exceeded time limit of 0.001000!")),
        qPrintable(slow->text));

    const JUnitCase *shouldFail = report.find(QStringLiteral("dt_basic"), QStringLiteral("should fail but passes"));
    QVERIFY(shouldFail);
    QVERIFY2(shouldFail->text.contains(QLatin1String("Should have failed but didn't!")), qPrintable(shouldFail->text));

    const JUnitCase *throws = report.find(QStringLiteral("dt_basic"), QStringLiteral("throws"));
    QVERIFY(throws);
    QVERIFY2(throws->text.contains(QLatin1String("ERROR: test case THREW exception: boom")), qPrintable(throws->text));

    const JUnitCase *prints = report.find(QStringLiteral("dt_basic"), QStringLiteral("prints"));
    QVERIFY(prints);
    QCOMPARE(prints->outcome, QStringLiteral("passed"));
    QVERIFY2(prints->systemOut.contains(QLatin1String("dt_basic to stdout")), qPrintable(prints->systemOut));
    QVERIFY2(prints->systemOut.contains(QLatin1String("dt_basic to stderr")), qPrintable(prints->systemOut));
    for (const JUnitCase &other : report.cases) {
        // Nothing leaks into the neighbours, and no XML reaches anyone's output.
        if (other.name != QLatin1String("prints"))
            QVERIFY2(!other.systemOut.contains(QLatin1String("dt_basic to std")), qPrintable(other.name));
        QVERIFY2(!other.systemOut.contains(QLatin1String("<TestCase")), qPrintable(other.systemOut));
        QVERIFY2(!other.systemOut.contains(QLatin1String("OverallResults")), qPrintable(other.systemOut));
    }

    const JUnitCase *unicode = report.find(QStringLiteral("dt_basic"), QStringLiteral("ünïcode ✓"));
    QVERIFY(unicode);
    QCOMPARE(unicode->outcome, QStringLiteral("passed"));
    const JUnitCase *comma = report.find(QStringLiteral("dt_basic"), QStringLiteral("comma, name"));
    QVERIFY(comma);
    QCOMPARE(comma->outcome, QStringLiteral("passed"));
}

void TestDoctestRun::fixturesOncePerCase_data()
{
    QTest::addColumn<QString>("groupBy");
    QTest::addColumn<int>("maxProcesses");
    QTest::newRow("default") << QString() << 5;
    QTest::newRow("case") << QStringLiteral("case") << 5;
    QTest::newRow("suite") << QStringLiteral("suite") << 1;
    QTest::newRow("executable") << QStringLiteral("executable") << 1;
}

void TestDoctestRun::fixturesOncePerCase()
{
    QFETCH(QString, groupBy);
    QFETCH(int, maxProcesses);
    const QString log
        = m_dir.filePath(QStringLiteral("fixtures-%1.log").arg(QString::fromLatin1(QTest::currentDataTag())));
    QStringList arguments {QStringLiteral("-j2"), QStringLiteral("--framework"), QStringLiteral("doctest")};
    if (!groupBy.isEmpty())
        arguments << QStringLiteral("--group-by") << groupBy;
    arguments << doctestProgram(QStringLiteral("dt_fixtures"));
    const CtestdRun run = runCtestd(arguments, fixtureEnvironment(log));
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 5"));
    const auto fixtureLog = readFixtureLog(log);
    QStringList setups = fixtureLog.value({QStringLiteral("Db"), QStringLiteral("setup")});
    QStringList teardowns = fixtureLog.value({QStringLiteral("Db"), QStringLiteral("teardown")});
    QCOMPARE(setups.size(), 5);
    setups.sort();
    teardowns.sort();
    QCOMPARE(teardowns, setups);
    const QSet<QString> pids(setups.cbegin(), setups.cend());
    QVERIFY2(pids.size() <= maxProcesses, qPrintable(setups.join(QLatin1Char(' '))));
    if (maxProcesses == 5 && groupBy == QLatin1String("case"))
        QCOMPARE(pids.size(), 5); // an explicit --group-by case isolates every case
}

void TestDoctestRun::crashBlamesRunningCaseAndRerunsTheRest()
{
    const QString log = m_dir.filePath(QStringLiteral("crash.log"));
    const QString junit = m_dir.filePath(QStringLiteral("crash.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--group-by"), QStringLiteral("executable"),
                                        QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
                                        doctestProgram(QStringLiteral("dt_crash"))},
        fixtureEnvironment(log));
    QVERIFY2(!run.timedOut, run.out.constData());
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("before"), QStringLiteral("Passed")},
        {QStringLiteral("segv"), QStringLiteral("***Exception: SegFault")},
        {QStringLiteral("after1"), QStringLiteral("Passed")},
        {QStringLiteral("after2"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(resultLineCount(run.out), 4);
    QCOMPARE(summaryLine(run.out), QStringLiteral("75% tests passed, 1 tests failed out of 4"));
    QVERIFY(run.out.contains("\t  2 - segv (SEGFAULT)\n"));

    // The ones after the crash ran in a second process; "before", whose
    // pass no report confirms (doctest reports on stdout only), once more.
    const QStringList before = ran(log, QStringLiteral("before"));
    const QStringList segv = ran(log, QStringLiteral("segv"));
    const QStringList after1 = ran(log, QStringLiteral("after1"));
    const QStringList after2 = ran(log, QStringLiteral("after2"));
    QCOMPARE(before.size(), 2);
    QCOMPARE(segv, QStringList {before[0]});
    QCOMPARE(after1.size(), 1);
    QVERIFY(!before.contains(after1[0]));
    QCOMPARE(after2, after1);

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *crashed = report.find(QStringLiteral("dt_crash"), QStringLiteral("segv"));
    QVERIFY(crashed);
    QCOMPARE(crashed->outcome, QStringLiteral("error"));
    QCOMPARE(crashed->type, QStringLiteral("crash"));
    QVERIFY2((crashed->message + crashed->text).contains(QLatin1String("signal 11")), qPrintable(crashed->text));
    // What doctest's signal handler said is in the crashed case's output.
    QVERIFY2(crashed->systemOut.contains(QLatin1String("test case CRASHED: SIGSEGV")), qPrintable(crashed->systemOut));
}

void TestDoctestRun::timeoutBlamesRunningCase()
{
    const QString log = m_dir.filePath(QStringLiteral("hang.log"));
    const CtestdRun run = runCtestd(
        {QStringLiteral("-j2"), QStringLiteral("--timeout"), QStringLiteral("2"), QStringLiteral("--group-by"),
            QStringLiteral("executable"), doctestProgram(QStringLiteral("dt_hang"))},
        fixtureEnvironment(log), 60000);
    QVERIFY2(!run.timedOut, "ctestd hung on a hanging test");
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("quick"), QStringLiteral("Passed")},
        {QStringLiteral("forever"), QStringLiteral("***Timeout")},
        {QStringLiteral("after"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QVERIFY(run.out.contains(" - forever (Timeout)\n"));
    QVERIFY2(run.seconds < 20, qPrintable(QString::number(run.seconds)));
    const QStringList quick = ran(log, QStringLiteral("quick"));
    const QStringList after = ran(log, QStringLiteral("after"));
    QCOMPARE(quick.size(), 2); // once more, to confirm its pass
    QCOMPARE(ran(log, QStringLiteral("forever")), QStringList {quick[0]});
    QCOMPARE(after.size(), 1);
    QVERIFY(after != quick);
}

void TestDoctestRun::namesThatCannotBeSelected()
{
    const QString log = m_dir.filePath(QStringLiteral("names.log"));
    const QString junit = m_dir.filePath(QStringLiteral("names.xml"));
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--group-by"), QStringLiteral("case"),
                                        QStringLiteral("--junit-locations"), QStringLiteral("--output-junit"), junit,
                                        doctestProgram(QStringLiteral("dt_names"))},
        fixtureEnvironment(log));
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {
        {QStringLiteral("pick*"), QStringLiteral("***Not Run")},
        {QStringLiteral("pick?"), QStringLiteral("***Not Run")},
        {QStringLiteral("picks"), QStringLiteral("Passed")},
    };
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(summaryLine(run.out), QStringLiteral("33% tests passed, 2 tests failed out of 3"));
    // Neither ran (not even as the other's extra), and picks ran once.
    QCOMPARE(ran(log, QStringLiteral("pick-star")), QStringList());
    QCOMPARE(ran(log, QStringLiteral("pick-question")), QStringList());
    QCOMPARE(ran(log, QStringLiteral("picks")).size(), 1);

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *star = report.find(QStringLiteral("dt_names"), QStringLiteral("pick*"));
    QVERIFY(star);
    QVERIFY2((star->message + star->text).contains(QLatin1String("doctest cannot run \"pick*\"")),
        qPrintable(star->message + star->text));
    QVERIFY2((star->message + star->text).contains(QLatin1String("without also running \"pick?\"")),
        qPrintable(star->message + star->text));
}

void TestDoctestRun::notDoctest()
{
    // Told it is doctest, a program that prints "hello" and exits 0 cannot
    // be listed; the other executable still runs.
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--framework"), QStringLiteral("doctest"),
        QStringLiteral(CTESTD_NOT_DOCTEST), doctestProgram(QStringLiteral("dt_fixtures"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("not_gtest")), QStringLiteral("***Not Run"));
    QCOMPARE(statuses.value(QStringLiteral("connect")), QStringLiteral("Passed"));
    QCOMPARE(statuses.size(), 6);
    QVERIFY2(run.err.contains("not a doctest listing: hello"), run.err.constData());
}

void TestDoctestRun::listAsJson()
{
    const CtestdRun run
        = runCtestd({QStringLiteral("list"), QStringLiteral("--json"), doctestProgram(QStringLiteral("dt_basic"))});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject document = QJsonDocument::fromJson(run.out).object();
    const QJsonObject basic = document.value(QStringLiteral("executables")).toArray().at(0).toObject();
    QCOMPARE(basic.value(QStringLiteral("framework")).toString(), QStringLiteral("doctest"));
    QCOMPARE(basic.value(QStringLiteral("groupBy")).toString(), QStringLiteral("case"));
    const QJsonArray cases = basic.value(QStringLiteral("cases")).toArray();
    QCOMPARE(cases.size(), 20);
    QMap<QString, QJsonObject> byName;
    for (const QJsonValue &value : cases)
        byName.insert(value.toObject().value(QStringLiteral("name")).toString(), value.toObject());
    QCOMPARE(byName.value(QStringLiteral("add")).value(QStringLiteral("suite")).toString(), QStringLiteral("math"));
    QVERIFY(byName.value(QStringLiteral("skipped")).value(QStringLiteral("disabled")).toBool());
    // The case's selector knows which other case its name pattern also matches.
    const QString star = byName.value(QStringLiteral("star*name")).value(QStringLiteral("selector")).toString();
    QVERIFY2(star.contains(QLatin1String("\"others\":[[\"starXname\"")), qPrintable(star));
}

void TestDoctestRun::serviceRunsSingleCases()
{
    // What ctestd_discover_tests registers: `ctestd case` per case, answered
    // by the build tree's daemon, with the selectors of `ctestd list`.
    const CtestdRun listing
        = runCtestd({QStringLiteral("list"), QStringLiteral("--json"), doctestProgram(QStringLiteral("dt_basic"))});
    QCOMPARE(listing.exitCode, 0);
    QMap<QString, QString> selectors;
    const QJsonArray cases = QJsonDocument::fromJson(listing.out)
                                 .object()
                                 .value(QStringLiteral("executables"))
                                 .toArray()
                                 .at(0)
                                 .toObject()
                                 .value(QStringLiteral("cases"))
                                 .toArray();
    for (const QJsonValue &value : cases) {
        selectors.insert(value.toObject().value(QStringLiteral("name")).toString(),
            value.toObject().value(QStringLiteral("selector")).toString());
    }

    const QString buildDir = m_dir.filePath(QStringLiteral("service-tree"));
    QVERIFY(QDir().mkpath(buildDir));
    const QString log = m_dir.filePath(QStringLiteral("service.log"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    const auto runCase = [&](const QString &name) {
        const QString selector = selectors.value(name);
        return runProgram(QStringLiteral(CTESTD_EXECUTABLE),
            {QStringLiteral("case"), QStringLiteral("--build-dir"), buildDir, QStringLiteral("--executable"),
                doctestProgram(QStringLiteral("dt_basic")), QStringLiteral("--framework"), QStringLiteral("doctest"),
                QStringLiteral("--group-by"), QStringLiteral("case"), QStringLiteral("--group"), selector,
                QStringLiteral("--selector"), selector},
            environment, QString(), 30000);
    };
    const CtestdRun upper = runCase(QStringLiteral("Add"));
    QVERIFY2(upper.exitCode == 0, upper.err.constData());
    const CtestdRun star = runCase(QStringLiteral("star*name"));
    QVERIFY2(star.exitCode == 0, star.err.constData());
    const CtestdRun failing = runCase(QStringLiteral("check fails"));
    QCOMPARE(failing.exitCode, 1);
    QVERIFY2(failing.out.contains("CHECK( value == 2 ) is NOT correct!"), failing.out.constData());
    QVERIFY(!failing.out.contains("<Expression"));
    stopTreeDaemon(buildDir);

    QCOMPARE(ran(log, QStringLiteral("Add")).size(), 1);
    QCOMPARE(ran(log, QStringLiteral("add")).size(), 0);
    QCOMPARE(ran(log, QStringLiteral("star")).size(), 1);
    QCOMPARE(ran(log, QStringLiteral("starX")).size(), 0);
}

// dt_exit ends its process with 1, a code doctest itself uses, but its XML
// report was never closed: the running case is blamed and the rest runs
// again, instead of being reported as not run.
void TestDoctestRun::exitInACaseIsNotANormalEnd()
{
    const QString problem = exitBlameProblem(doctestProgram(QStringLiteral("dt_exit")),
        {QStringLiteral("--group-by"), QStringLiteral("executable")}, m_dir.filePath(QStringLiteral("exit.xml")),
        QStringLiteral("dt_exit"), 1);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

QTEST_GUILESS_MAIN(TestDoctestRun)
#include "tst_doctest_run.moc"
