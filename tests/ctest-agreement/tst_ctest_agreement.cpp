// SPDX-License-Identifier: BSD-3-Clause
// Agreement test: `ctestd --test-dir B ...` must report what `ctest --test-dir
// B ...` reports on the same CTest build tree, for the sample project in
// project/ (plain tests exercising CTest's test properties, two GoogleTest
// programs registered with gtest_discover_tests, odd test names).
//
// initTestCase configures and builds the project (same cmake, generator and
// compiler as this build) into a temporary folder. Then, for each option set,
// ctest runs first and its result is checked against what we know of ctest
// 3.25 (the status table in project/CMakeLists.txt, the expected summary, the
// JUnit dialect, one SetUpTestSuite per case); then ctestd runs on the same
// tree (Testing/ and the tests' state files removed before each run) and must
// agree: same exit code, header lines, status per test, #K per test, n/N
// totals, summary line, Label Time Summary (counts), did-not-run and FAILED
// lists, "Failed test dependencies" / "Could not find executable" /
// "Unable to find" lines, output blocks of --output-on-failure (marker lines),
// LastTestsFailed.log, CTestCostData.txt (tests, run counts, failed section),
// and JUnit through the mapping table below. ctestd must also run each
// regrouped gtest suite's SetUpTestSuite once per fixture group.
//
// Environment switches:
//   CTESTD_AGREEMENT_CTEST_ONLY=1   check the ctest half only (the ctestd half is skipped)
//   CTESTD_AGREEMENT_BUILD_DIR=DIR  build the sample project there and keep it (faster reruns)
#include "agreementhelpers.h"
#include "runhelpers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <algorithm>
#include <cstdio>

namespace {

// ---------------------------------------------------------------------------
// JUnit: the deliberate differences between ctest's and ctestd's files.
// clang-format off
//
// | console status (both)  | ctest 3.25 <testcase>                     | ctestd <testcase>            | class    |
// |------------------------|-------------------------------------------|------------------------------|----------|
// | Passed                 | status="run", no child                    | no child                     | passed   |
// | ***Failed[  reason]    | status="fail", <failure message=reason>   | <failure>                    | failed   |
// | ***Timeout             | status="fail", <failure message="">       | <error type="timeout">       | failed   |
// | [text]***Exception[: X]| status="fail", <failure message="">       | <error type="crash">         | failed   |
// | ***Skipped             | status="notrun", <skipped message=SKIP_…> | <skipped> (not "disabled")   | skipped  |
// | ***Not Run (Disabled)  | status="disabled", no child               | <skipped message="disabled"> | disabled |
// | ***Not Run             | status="notrun", <skipped message=reason> | <error type="notrun">        | notrun   |
// clang-format on
//
// Also deliberate: ctest's root is one <testsuite>, ctestd's is <testsuites>
// with one <testsuite> per executable of regrouped gtest cases (named after
// its file) and one, named as ctest's, for every test ctestd runs as ctest
// does. The `name` and `classname` attributes are ctest's in both: the test
// name.
struct JUnitMapping {
    const char *consoleStatus; // matched as described in mappingFor()
    const char *outcome;
    const char *ctestStatus;
    const char *ctestChild; // "" = none
    const char *ctestdChild; // "" = none
    const char *ctestdType; // "" = any
    const char *ctestdMessage; // "" = any, "disabled" = exactly, "!disabled" = anything else
};
const JUnitMapping junitMappings[] = {
    {"Passed", "passed", "run", "", "", "", ""},
    {"***Failed", "failed", "fail", "failure", "failure", "", ""},
    {"***Timeout", "failed", "fail", "failure", "error", "timeout", ""},
    {"***Exception", "failed", "fail", "failure", "error", "crash", ""},
    {"***Skipped", "skipped", "notrun", "skipped", "skipped", "", "!disabled"},
    {"***Not Run (Disabled)", "disabled", "disabled", "", "skipped", "", "disabled"},
    {"***Not Run", "notrun", "notrun", "skipped", "error", "notrun", ""},
};

const JUnitMapping *mappingFor(const QString &consoleStatus)
{
    for (const JUnitMapping &mapping : junitMappings) {
        const QString key = QLatin1String(mapping.consoleStatus);
        const bool matches = key == QLatin1String("***Failed") ? consoleStatus.startsWith(key)
            : key == QLatin1String("***Exception")             ? consoleStatus.contains(key)
                                                               : consoleStatus == key;
        if (matches)
            return &mapping;
    }
    return nullptr;
}

// The outcome class of a <testcase>, read each tool's way.
QString ctestOutcome(const JUnitEntry &entry)
{
    if (entry.status == QLatin1String("run") && entry.child.isEmpty())
        return QStringLiteral("passed");
    if (entry.status == QLatin1String("fail"))
        return QStringLiteral("failed");
    if (entry.status == QLatin1String("disabled"))
        return QStringLiteral("disabled");
    if (entry.status == QLatin1String("notrun") && entry.child == QLatin1String("skipped"))
        return entry.message.startsWith(QLatin1String("SKIP_")) ? QStringLiteral("skipped") : QStringLiteral("notrun");
    return QStringLiteral("unknown(status=%1 child=%2)").arg(entry.status, entry.child);
}

QString ctestdOutcome(const JUnitEntry &entry)
{
    if (entry.child.isEmpty())
        return QStringLiteral("passed");
    if (entry.child == QLatin1String("failure"))
        return QStringLiteral("failed");
    if (entry.child == QLatin1String("error"))
        return entry.type == QLatin1String("notrun") ? QStringLiteral("notrun") : QStringLiteral("failed");
    if (entry.child == QLatin1String("skipped"))
        return entry.message == QLatin1String("disabled") ? QStringLiteral("disabled") : QStringLiteral("skipped");
    return QStringLiteral("unknown(child=%1)").arg(entry.child);
}

// gtest suites whose SetUpTestSuite/TearDownTestSuite log to CTESTD_FIXTURE_LOG.
const QStringList regroupedFixtureSuites {QStringLiteral("FxAlpha"), QStringLiteral("FxBeta"),
    QStringLiteral("TypedFx/0"), QStringLiteral("TypedFx/1"), QStringLiteral("Nums/ParamFx")};
const QStringList fallbackFixtureSuites {QStringLiteral("FallbackFx")};
const QString regroupedExecutable = QStringLiteral("agree_gt_fixtures");

// The first word of a status: "***Failed" for "***Failed  Required regular...".
QString statusWord(const QString &status)
{
    const int reason = status.indexOf(QLatin1String("  "));
    return reason < 0 ? status : status.left(reason);
}

QMap<QString, QString> statusWords(const QMap<QString, QString> &statuses)
{
    QMap<QString, QString> words;
    for (auto it = statuses.begin(); it != statuses.end(); ++it)
        words.insert(it.key(), statusWord(it.value()));
    return words;
}

bool isFailureClass(const QString &status)
{
    return status.startsWith(QLatin1String("***Failed")) || status == QLatin1String("***Timeout")
        || status.contains(QLatin1String("***Exception"));
}

QString joinedList(const QStringList &lines)
{
    return lines.isEmpty() ? QStringLiteral("(none)")
                           : QLatin1String("\n      ") + lines.join(QLatin1String("\n      "));
}

// QtTest cuts long failure messages: print the whole report on stderr and
// fail with its first lines.
QString reportProblems(const QString &title, const QStringList &problems, const QString &details)
{
    if (problems.isEmpty())
        return QString();
    const QString full = title + QLatin1Char('\n') + problems.join(QLatin1Char('\n'));
    std::fprintf(stderr, "%s%s\n", qPrintable(full), qPrintable(details));
    std::fflush(stderr);
    const QStringList head = problems.mid(0, 6);
    return QStringLiteral("%1 (%2 problem line(s); the full report and the tool's output are on stderr)\n%3")
        .arg(title)
        .arg(problems.size())
        .arg(head.join(QLatin1Char('\n')));
}

// Flags of an option set.
enum OptionFlag {
    CheckFixtures = 0x1, // count SetUpTestSuite runs
    OutputOnFailure = 0x2, // output blocks are expected after failed results
    Repeat = 0x4, // --repeat: several result lines per test
    Renumbered = 0x8, // -E: ctest 3.25 numbers the remaining tests 1..N
    NoJUnit = 0x10,
    // --stop-on-failure: ctestd lists the tests that never started as not run
    // (console list, JUnit <skipped>); ctest leaves them out. Those entries
    // are set aside, and must name only tests ctest did not start either.
    StoppedListed = 0x20,
};

} // namespace

class TestCtestAgreement : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void ctestBehaviour();
    void agreement_data();
    void agreement();
    void showOnly_data();
    void showOnly();
    void rerunFailedAfterCtestd();
    void rerunFailedAfterCtest();
    void badTestDir_data();
    void badTestDir();
    void changingDirectory_data();
    void changingDirectory();
    void multiConfig_data();
    void multiConfig();
    void outputLog_data();
    void outputLog();
    void outputLogThatCannotBeWritten();
    void dashboardTest();
    void verbose_data();
    void verbose();

private:
    enum class Tool { CTest, Ctestd };
    struct Side {
        QString label; // "ctest" or "ctestd"
        ToolRun run;
        ConsoleReport console;
        bool junitRequested = false;
        JUnitDocument junit;
        QMap<QPair<QString, QString>, QStringList> fixtureLog;
        QByteArray lastFailed;
        QByteArray lastDisabled;
        CostData cost;
    };

    QString toolPath(Tool tool) const;
    void resetBuildTree() const;
    Side runSide(Tool tool, const QStringList &options, bool junit, const QString &tag, bool reset = true,
        const QStringList &environment = {}) const;
    QStringList checkCtestSide(const Side &ctest, int flags, const QMap<QString, QString> &overrides) const;
    QStringList compareSides(const Side &ctest, const Side &ctestd, int flags) const;
    QStringList checkJUnitCtest(const Side &ctest) const;
    QStringList checkJUnitCtestd(const Side &ctest, const Side &ctestd) const;
    QStringList checkFixtureCounts(const Side &side, bool regrouped) const;
    QString describe(const Side &side) const;

    // Configures and builds multiconfig/ once (Debug, then Release); the
    // reason it cannot, or empty.
    QString buildMultiConfigTree();

    QTemporaryDir m_tempDir;
    QString m_multiConfigBuild; // multiconfig/'s build tree, once built
    QString m_build; // the sample project's build tree
    QString m_work; // working directory of every run; JUnit files and fixture logs
    bool m_ctestOnly = false;
    QList<CTestTestInfo> m_tests;
    QMap<QString, CTestTestInfo> m_testByName;
    QMap<QString, QString> m_table; // name -> expected ctest status
};

// ---------------------------------------------------------------------------

QString TestCtestAgreement::toolPath(Tool tool) const
{
    return tool == Tool::CTest ? QStringLiteral(CTESTD_CTEST_COMMAND) : QStringLiteral(CTESTD_EXECUTABLE);
}

void TestCtestAgreement::resetBuildTree() const
{
    QDir(m_build + QStringLiteral("/Testing")).removeRecursively();
    QDir(m_build + QStringLiteral("/agree-state")).removeRecursively();
}

TestCtestAgreement::Side TestCtestAgreement::runSide(Tool tool, const QStringList &options, bool junit,
    const QString &tag, bool reset, const QStringList &environment) const
{
    Side side;
    side.label = tool == Tool::CTest ? QStringLiteral("ctest") : QStringLiteral("ctestd");
    if (reset)
        resetBuildTree();
    QString safeTag = tag;
    safeTag.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    const QString base = QStringLiteral("%1/%2-%3").arg(m_work, safeTag, side.label);
    const QString fixtureLog = base + QStringLiteral("-fixtures.log");
    const QString junitFile = base + QStringLiteral(".xml");
    QFile::remove(fixtureLog);
    QFile::remove(junitFile);
    QStringList arguments {QStringLiteral("--test-dir"), m_build};
    arguments += options;
    if (junit)
        arguments += {QStringLiteral("--output-junit"), junitFile};
    QProcessEnvironment extra;
    extra.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), fixtureLog);
    for (const QString &entry : environment) // "NAME=value": ctest's variables, for both tools
        extra.insert(entry.section(QLatin1Char('='), 0, 0), entry.section(QLatin1Char('='), 1));
    side.run = runTool(toolPath(tool), arguments, cleanEnvironment(extra), m_work);
    side.console = parseConsole(side.run.out);
    side.junitRequested = junit;
    if (junit)
        side.junit = readJUnitDocument(junitFile);
    side.fixtureLog = readFixtureLog(fixtureLog);
    const QString temporary = m_build + QStringLiteral("/Testing/Temporary/");
    side.lastFailed = readFileOrNull(temporary + QStringLiteral("LastTestsFailed.log"));
    side.lastDisabled = readFileOrNull(temporary + QStringLiteral("LastTestsDisabled.log"));
    side.cost = readCostData(temporary + QStringLiteral("CTestCostData.txt"));
    return side;
}

QString TestCtestAgreement::describe(const Side &side) const
{
    return QStringLiteral("\n--- %1 (exit %2%3%4, %5 s)\n--- stdout:\n%6\n--- stderr:\n%7")
        .arg(side.run.commandLine())
        .arg(side.run.exitCode)
        .arg(side.run.timedOut ? QStringLiteral(", TIMED OUT") : QString())
        .arg(side.run.crashed ? QStringLiteral(", CRASHED") : QString())
        .arg(side.run.seconds, 0, 'f', 2)
        .arg(QString::fromUtf8(side.run.out.left(12000)), QString::fromUtf8(side.run.err.left(4000)));
}

// ---------------------------------------------------------------------------

void TestCtestAgreement::initTestCase()
{
    QVERIFY(m_tempDir.isValid());
    m_ctestOnly = qEnvironmentVariableIsSet("CTESTD_AGREEMENT_CTEST_ONLY");
    const QString keep = qEnvironmentVariable("CTESTD_AGREEMENT_BUILD_DIR");
    m_build = keep.isEmpty() ? m_tempDir.filePath(QStringLiteral("build")) : QDir(keep).absolutePath();
    m_work = m_tempDir.filePath(QStringLiteral("work"));
    QVERIFY(QDir().mkpath(m_work));
    if (!m_ctestOnly)
        QVERIFY2(QFileInfo(QStringLiteral(CTESTD_EXECUTABLE)).isExecutable(), CTESTD_EXECUTABLE);

    QStringList configure {QStringLiteral("-S"), QStringLiteral(CTESTD_AGREEMENT_PROJECT), QStringLiteral("-B"),
        m_build, QStringLiteral("-G"), QStringLiteral(CTESTD_CMAKE_GENERATOR),
        QStringLiteral("-DCMAKE_BUILD_TYPE=Debug"), QStringLiteral("-DCMAKE_CXX_COMPILER=" CTESTD_CXX_COMPILER)};
    if (!QStringLiteral(CTESTD_MAKE_PROGRAM).isEmpty())
        configure.append(QStringLiteral("-DCMAKE_MAKE_PROGRAM=" CTESTD_MAKE_PROGRAM));
    const ToolRun configured
        = runTool(QStringLiteral(CTESTD_CMAKE_COMMAND), configure, cleanEnvironment(), m_work, 300000);
    QVERIFY2(configured.exitCode == 0 && !configured.timedOut,
        qPrintable(configured.commandLine() + QLatin1Char('\n') + QString::fromUtf8(configured.out + configured.err)));
    const ToolRun built = runTool(
        QStringLiteral(CTESTD_CMAKE_COMMAND), {QStringLiteral("--build"), m_build}, cleanEnvironment(), m_work, 400000);
    QVERIFY2(built.exitCode == 0 && !built.timedOut,
        qPrintable(built.commandLine() + QLatin1Char('\n') + QString::fromUtf8(built.out + built.err)));

    const ToolRun listed = runTool(QStringLiteral(CTESTD_CTEST_COMMAND),
        {QStringLiteral("--test-dir"), m_build, QStringLiteral("--show-only=json-v1")}, cleanEnvironment(), m_work);
    QCOMPARE(listed.exitCode, 0);
    QString error;
    m_tests = parseShowOnlyJson(listed.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const CTestTestInfo &test : qAsConst(m_tests))
        m_testByName.insert(test.name, test);
    QCOMPARE(m_testByName.size(), m_tests.size()); // names are unique

    m_table = readStatusTable(QStringLiteral(CTESTD_AGREEMENT_PROJECT "/CMakeLists.txt"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList tableNames = m_table.keys();
    QStringList listedNames = m_testByName.keys();
    QVERIFY2(tableNames == listedNames,
        qPrintable(QStringLiteral("status table and ctest's list differ:\n table: %1\n ctest: %2")
                       .arg(tableNames.join(QLatin1String(" | ")), listedNames.join(QLatin1String(" | ")))));
    QCOMPARE(m_tests.size(), 58);
    if (m_ctestOnly)
        qInfo("CTESTD_AGREEMENT_CTEST_ONLY is set: only the ctest half is checked");
}

// ---------------------------------------------------------------------------
// What we rely on about ctest 3.25 itself (the "ctest half"), checked once in
// detail on a plain serial run.

void TestCtestAgreement::ctestBehaviour()
{
    const Side ctest = runSide(Tool::CTest, {}, true, QStringLiteral("behaviour"));
    QCOMPARE(ctest.run.exitCode, 8);
    const QString build = m_build;

    // The listing: discovered tests first (gtest_discover_tests includes),
    // DISABLED_ prefixes dropped; no command for a missing executable.
    QCOMPARE(m_tests.first().name, QStringLiteral("FxAlpha.One"));
    QCOMPARE(m_testByName.value(QStringLiteral("FxBeta.Off")).gtestFilter(), QStringLiteral("FxBeta.DISABLED_Off"));
    QCOMPARE(
        m_testByName.value(QStringLiteral("Nums/ParamFx.Even/3")).gtestFilter(), QStringLiteral("Nums/ParamFx.Even/1"));
    QCOMPARE(m_testByName.value(QStringLiteral("TypedFx.Zero<double>")).gtestSuite(), QStringLiteral("TypedFx/1"));
    QVERIFY(m_testByName.value(QStringLiteral("missing.executable")).command.isEmpty());
    QVERIFY(m_testByName.contains(QStringLiteral("semi;colon")));
    QVERIFY(
        m_testByName.value(QStringLiteral("FallbackFx.Passes")).command.contains(QStringLiteral("--agree-extra=yes")));

    QCOMPARE(ctest.console.header,
        QStringList({QStringLiteral("Internal ctest changing into directory: ") + build,
            QStringLiteral("Test project ") + build}));
    QCOMPARE(ctest.console.summary, QStringLiteral("67% tests passed, 18 tests failed out of 55"));
    const QStringList problems = checkCtestSide(ctest, CheckFixtures, {});
    QVERIFY2(problems.isEmpty(), qPrintable(reportProblems(QStringLiteral("ctest half:"), problems, describe(ctest))));

    // Texts for tests that never start.
    const QString err = QString::fromUtf8(ctest.run.err);
    const QString out = QString::fromUtf8(ctest.run.out);
    QVERIFY2(err.contains(QStringLiteral("Unable to find executable: %1/agree-no-such-program\n").arg(build)),
        qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("Unable to find required file: %1/agree-no-such-file\n").arg(build)),
        qPrintable(err));
    QVERIFY(err.contains(QLatin1String("Errors while running CTest\n")));
    QVERIFY(out.contains(QStringLiteral("Could not find executable %1/agree-no-such-program\n"
                                        "Looked in the following places:\n")
                             .arg(build)));
    QCOMPARE(ctest.console.dependencyLines,
        QStringList({QStringLiteral("Failed test dependencies: fixture_bad.setup"),
            QStringLiteral("Failed test dependencies: fixture_bad.setup")}));
    QCOMPARE(ctest.console.statuses().value(QStringLiteral("regex.pass_not_matched")),
        QStringLiteral("***Failed  Required regular expression not found. Regex=[good\nfine\n]"));
    QVERIFY(ctest.console.notRunList.contains(QStringLiteral("\t  6 - FxBeta.Skips (Skipped)")));
    QVERIFY(ctest.console.notRunList.contains(QStringLiteral("\t  7 - FxBeta.Off (Disabled)")));
    QVERIFY(ctest.console.failedList.contains(QStringLiteral("\t 24 - plain.segv (SEGFAULT)")));
    QVERIFY(ctest.console.failedList.contains(QStringLiteral("\t 25 - plain.abort (Subprocess aborted)")));
    QVERIFY(ctest.console.failedList.contains(QStringLiteral("\t 35 - missing.executable (Not Run)")));
    QVERIFY(ctest.console.failedList.contains(QStringLiteral("\t 51 - timeout.property (Timeout)")));
    QVERIFY(ctest.console.failedList.contains(QStringLiteral("\t 57 - xml <>&\"' chars (Failed)")));
    QCOMPARE(ctest.console.labelSummary,
        QStringList({QStringLiteral("crash (2 tests)"), QStringLiteral("fallback (4 tests)"),
            QStringLiteral("fixture (7 tests)"), QStringLiteral("gtest (16 tests)"), QStringLiteral("odd (6 tests)"),
            QStringLiteral("plain (6 tests)"), QStringLiteral("regex (7 tests)")}));

    // JUnit messages of the tests that did not run or were skipped.
    const QMap<QString, JUnitEntry> junit = ctest.junit.byName();
    const QMap<QString, QString> expectedMessages {
        {QStringLiteral("missing.executable"), QStringLiteral("Unable to find executable")},
        {QStringLiteral("missing.required_file"), QStringLiteral("Required Files Missing")},
        {QStringLiteral("fixture_bad.user_a"), QStringLiteral("Fixture dependency failed")},
        {QStringLiteral("FxBeta.Skips"), QStringLiteral("SKIP_REGULAR_EXPRESSION_MATCHED")},
        {QStringLiteral("skip.return_code"), QStringLiteral("SKIP_RETURN_CODE=77")},
        {QStringLiteral("regex.fail_matched"),
            QStringLiteral("Error regular expression found in output. Regex=[ERROR]")},
        {QStringLiteral("plain.segv"), QString()},
        {QStringLiteral("timeout.property"), QString()},
    };
    for (auto it = expectedMessages.begin(); it != expectedMessages.end(); ++it)
        QCOMPARE(junit.value(it.key()).message, it.value());
    QCOMPARE(junit.value(QStringLiteral("disabled.test")).status, QStringLiteral("disabled"));

    // Testing/Temporary files.
    QVERIFY(ctest.lastFailed.startsWith("5:FxBeta.Fails\n15:Nums/ParamFx.Even/3\n"));
    QVERIFY(!ctest.lastFailed.contains("\n56:")); // semi;colon passed
    QVERIFY(ctest.lastFailed.endsWith("54:brackets [x]\n57:xml <>&\"' chars\n"));
    QVERIFY(ctest.lastDisabled.startsWith("6:FxBeta.Skips\n7:FxBeta.Off\n13:Whole.Test\n"));
    QVERIFY(ctest.cost.exists);
    QCOMPARE(ctest.cost.runs.size(), 58);
    QCOMPARE(ctest.cost.runs.value(QStringLiteral("name with spaces")), 1);
    QCOMPARE(ctest.cost.runs.value(QStringLiteral("FxBeta.Fails")), 0);
    QCOMPARE(ctest.cost.failed.size(), 18);

    // RESOURCE_LOCK / RUN_SERIAL: the three never overlapped (each checks itself too).
    QFile exclusive(m_build + QStringLiteral("/agree-state/exclusive.log"));
    QVERIFY(exclusive.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(exclusive.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    for (int i = 0; i < lines.size(); i += 2) {
        QVERIFY2(lines[i].endsWith(QLatin1String(" start")), qPrintable(lines.join(QLatin1Char('|'))));
        QCOMPARE(lines[i + 1], lines[i].chopped(6) + QStringLiteral(" end"));
    }
}

// ---------------------------------------------------------------------------

QStringList TestCtestAgreement::checkCtestSide(
    const Side &ctest, int flags, const QMap<QString, QString> &overrides) const
{
    QStringList problems;
    if (!ctest.run.started || ctest.run.timedOut || ctest.run.crashed)
        problems << QStringLiteral("ctest did not run to completion");

    // Statuses against the table (last status per name under --repeat).
    QMap<QString, QString> expected;
    const QMap<QString, QString> actual = ctest.console.statuses();
    for (auto it = actual.begin(); it != actual.end(); ++it)
        expected.insert(it.key(), overrides.value(it.key(), m_table.value(it.key(), QStringLiteral("(not in table)"))));
    const QStringList statusDiff = diffMaps(expected, actual, QStringLiteral("table"), QStringLiteral("ctest"));
    if (!statusDiff.isEmpty())
        problems << QStringLiteral("ctest statuses differ from the table in project/CMakeLists.txt:") << statusDiff;

    // Numbering: #K is the position in ctest's list (-E renumbers in 3.25).
    const QMap<QString, int> numbers = ctest.console.numbers();
    if (flags & Renumbered) {
        QList<int> seen = numbers.values();
        std::sort(seen.begin(), seen.end());
        for (int i = 0; i < seen.size(); ++i) {
            if (seen[i] != i + 1)
                problems << QStringLiteral("ctest -E: expected the tests numbered 1..%1, got %2")
                                .arg(seen.size())
                                .arg(seen[i]);
        }
    } else {
        for (auto it = numbers.begin(); it != numbers.end(); ++it) {
            if (it.value() != m_testByName.value(it.key()).number)
                problems << QStringLiteral("ctest numbered %1 #%2, its list position is %3")
                                .arg(quoted(it.key()))
                                .arg(it.value())
                                .arg(m_testByName.value(it.key()).number);
        }
    }
    for (auto it = ctest.console.startNumbers.begin(); it != ctest.console.startNumbers.end(); ++it) {
        for (int number : it.value()) {
            if (number != numbers.value(it.key()))
                problems << QStringLiteral("ctest Start line of %1 has #%2").arg(quoted(it.key())).arg(number);
        }
    }

    // Output blocks only with --output-on-failure, and then exactly for the
    // failed, timed-out and crashed tests, each showing its marker lines.
    for (const ResultLine &result : ctest.console.results) {
        const bool expectBlock = (flags & OutputOnFailure) && isFailureClass(result.status);
        if (expectBlock && ctest.console.markers(result.name).isEmpty())
            problems << QStringLiteral("ctest --output-on-failure: no marker lines after %1").arg(quoted(result.name));
        if (!expectBlock && !result.output.isEmpty())
            problems << QStringLiteral("ctest printed lines after the result of %1: %2")
                            .arg(quoted(result.name), quoted(result.output.join(QLatin1Char('\n'))));
    }

    // Tests whose fixture setup failed.
    for (auto it = actual.begin(); it != actual.end(); ++it) {
        if (it.key().startsWith(QLatin1String("fixture_bad.user")) && it.value() == QLatin1String("***Not Run")
            && !ctest.console.dependencyLines.contains(QStringLiteral("Failed test dependencies: fixture_bad.setup")))
            problems << QStringLiteral("ctest printed no \"Failed test dependencies: fixture_bad.setup\"");
    }

    if (ctest.junitRequested)
        problems += checkJUnitCtest(ctest);
    if (flags & CheckFixtures)
        problems += checkFixtureCounts(ctest, false);
    return problems;
}

QStringList TestCtestAgreement::checkJUnitCtest(const Side &ctest) const
{
    QStringList problems;
    if (!ctest.junit.valid)
        return {QStringLiteral("ctest JUnit unreadable: %1").arg(ctest.junit.error)};
    if (ctest.junit.root != QLatin1String("testsuite") || ctest.junit.suiteNames.size() != 1)
        problems << QStringLiteral("ctest JUnit: expected a single <testsuite> root, got <%1> with %2 suites")
                        .arg(ctest.junit.root)
                        .arg(ctest.junit.suiteNames.size());
    const QMap<QString, QString> statuses = ctest.console.statuses();
    const QMap<QString, JUnitEntry> cases = ctest.junit.byName();
    if (QSet<QString>(statuses.keyBegin(), statuses.keyEnd()) != QSet<QString>(cases.keyBegin(), cases.keyEnd()))
        problems << QStringLiteral("ctest JUnit names %1 differ from its console names %2")
                        .arg(QStringList(cases.keys()).join(QLatin1String(" | ")),
                            QStringList(statuses.keys()).join(QLatin1String(" | ")));
    for (auto it = cases.begin(); it != cases.end(); ++it) {
        const JUnitEntry &entry = it.value();
        if (entry.classname != entry.name)
            problems << QStringLiteral("ctest JUnit classname %1 != name %2")
                            .arg(quoted(entry.classname), quoted(entry.name));
        const JUnitMapping *mapping = mappingFor(statuses.value(entry.name));
        if (!mapping) {
            problems
                << QStringLiteral("no JUnit mapping for console status %1").arg(quoted(statuses.value(entry.name)));
            continue;
        }
        if (entry.status != QLatin1String(mapping->ctestStatus) || entry.child != QLatin1String(mapping->ctestChild)
            || ctestOutcome(entry) != QLatin1String(mapping->outcome))
            problems << QStringLiteral("ctest JUnit %1 (console %2): status=%3 child=%4 message=%5; the mapping "
                                       "table says status=%6 child=%7 class %8")
                            .arg(quoted(entry.name), quoted(statuses.value(entry.name)), entry.status, entry.child,
                                quoted(entry.message), QLatin1String(mapping->ctestStatus),
                                QLatin1String(mapping->ctestChild), QLatin1String(mapping->outcome));
    }
    return problems;
}

QStringList TestCtestAgreement::checkFixtureCounts(const Side &side, bool isCtestd) const
{
    QStringList problems;
    const QMap<QString, QString> statuses = side.console.statuses();
    // Cases per gtest suite that really ran (and so set their suite up).
    QMap<QString, int> ran;
    for (auto it = statuses.begin(); it != statuses.end(); ++it) {
        if (!it.value().startsWith(QLatin1String("***Not Run")))
            ran[m_testByName.value(it.key()).gtestSuite()] += 1;
    }
    for (const QString &suite : regroupedFixtureSuites + fallbackFixtureSuites) {
        const bool regrouped = regroupedFixtureSuites.contains(suite);
        const int cases = ran.value(suite);
        // ctest: one process per case. ctestd: one per fixture group, except
        // for cases it has to run one by one (EXTRA_ARGS, ENVIRONMENT).
        const int expected = isCtestd && regrouped ? qMin(cases, 1) : cases;
        const int setups = side.fixtureLog.value({suite, QStringLiteral("setup")}).size();
        const int teardowns = side.fixtureLog.value({suite, QStringLiteral("teardown")}).size();
        if (setups != expected || teardowns != expected)
            problems << QStringLiteral("%1: SetUpTestSuite of %2 ran %3 times (TearDownTestSuite %4) for %5 "
                                       "case(s); expected %6 (%7)")
                            .arg(side.label, suite)
                            .arg(setups)
                            .arg(teardowns)
                            .arg(cases)
                            .arg(expected)
                            .arg(isCtestd && regrouped ? QStringLiteral("once per fixture group")
                                                       : QStringLiteral("once per case"));
    }
    return problems;
}

QStringList TestCtestAgreement::checkJUnitCtestd(const Side &ctest, const Side &ctestd) const
{
    QStringList problems;
    if (!ctestd.junit.valid)
        return {QStringLiteral("ctestd JUnit unreadable: %1").arg(ctestd.junit.error)};
    if (ctestd.junit.root != QLatin1String("testsuites"))
        problems << QStringLiteral("ctestd JUnit root is <%1>, expected <testsuites>").arg(ctestd.junit.root);
    const QMap<QString, int> counts = ctestd.junit.nameCounts();
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it.value() != 1)
            problems << QStringLiteral("ctestd JUnit has %1 <testcase> named %2").arg(it.value()).arg(quoted(it.key()));
    }
    const QMap<QString, JUnitEntry> expectedCases = ctest.junit.byName();
    const QMap<QString, JUnitEntry> cases = ctestd.junit.byName();
    const QMap<QString, QString> statuses = ctest.console.statuses();
    QStringList keys = expectedCases.keys() + cases.keys();
    keys.removeDuplicates();
    std::sort(keys.begin(), keys.end());
    for (const QString &name : keys) {
        if (!cases.contains(name)) {
            problems << QStringLiteral("ctestd JUnit lacks %1").arg(quoted(name));
            continue;
        }
        if (!expectedCases.contains(name)) {
            problems << QStringLiteral("ctestd JUnit has %1, ctest's does not").arg(quoted(name));
            continue;
        }
        const JUnitEntry &entry = cases.value(name);
        const QString ctestClass = ctestOutcome(expectedCases.value(name));
        const QString ctestdClass = ctestdOutcome(entry);
        if (ctestClass != ctestdClass)
            problems << QStringLiteral("JUnit outcome of %1: ctest %2, ctestd %3 (<%4 type=%5 message=%6>)")
                            .arg(quoted(name), ctestClass, ctestdClass, entry.child, entry.type, quoted(entry.message));
        const JUnitMapping *mapping = mappingFor(statuses.value(name));
        if (mapping) {
            const QString wantMessage = QLatin1String(mapping->ctestdMessage);
            const bool messageOk = wantMessage.isEmpty()
                || (wantMessage == QLatin1String("disabled") ? entry.message == wantMessage
                                                             : entry.message != QLatin1String("disabled"));
            if (entry.child != QLatin1String(mapping->ctestdChild)
                || (*mapping->ctestdType && entry.type != QLatin1String(mapping->ctestdType)) || !messageOk)
                problems << QStringLiteral("ctestd JUnit %1 (console %2): <%3 type=%4 message=%5>; the mapping table "
                                           "says <%6 type=%7 message=%8>")
                                .arg(quoted(name), quoted(statuses.value(name)), entry.child, entry.type,
                                    quoted(entry.message), QLatin1String(mapping->ctestdChild),
                                    QLatin1String(mapping->ctestdType), QLatin1String(mapping->ctestdMessage));
        }
        // classname: ctest's (the test name), so that CI servers that key a
        // test's history on classname and name keep it across the switch.
        // The <testsuite> it is in: for the gtest cases ctestd regroups, one
        // named after the executable; for every test ctestd runs as ctest
        // does, ctest's own, whatever its program.
        const CTestTestInfo &info = m_testByName.value(name);
        const JUnitEntry &expected = expectedCases.value(name);
        const QString wantClass = expected.classname;
        QString wantSuite = expected.suite;
        if (info.executableName() == regroupedExecutable)
            wantSuite = regroupedExecutable;
        if (entry.classname != wantClass)
            problems << QStringLiteral("ctestd JUnit classname of %1 is %2, expected %3")
                            .arg(quoted(name), quoted(entry.classname), quoted(wantClass));
        if (entry.suite != wantSuite)
            problems << QStringLiteral("ctestd JUnit puts %1 in <testsuite name=%2>, expected %3")
                            .arg(quoted(name), quoted(entry.suite), quoted(wantSuite));
    }
    // Registration order within each <testsuite>.
    QMap<QString, int> lastNumber;
    for (const JUnitEntry &entry : ctestd.junit.cases) {
        const int number = m_testByName.value(entry.name).number;
        if (number < lastNumber.value(entry.suite))
            problems << QStringLiteral("ctestd JUnit: %1 (#%2) comes after a later test in <testsuite name=%3>")
                            .arg(quoted(entry.name))
                            .arg(number)
                            .arg(quoted(entry.suite));
        lastNumber.insert(entry.suite, qMax(number, lastNumber.value(entry.suite)));
    }
    return problems;
}

QStringList TestCtestAgreement::compareSides(const Side &ctest, const Side &ctestd, int flags) const
{
    QStringList problems;
    const ConsoleReport &a = ctest.console;
    const ConsoleReport &b = ctestd.console;
    if (!ctestd.run.started)
        return {QStringLiteral("ctestd did not start: %1").arg(ctestd.run.commandLine())};
    if (ctestd.run.timedOut || ctestd.run.crashed)
        problems << QStringLiteral("ctestd %1")
                        .arg(ctestd.run.timedOut ? QStringLiteral("timed out") : QStringLiteral("crashed"));
    if (b.results.isEmpty() && !a.results.isEmpty()) {
        // Nothing to compare line by line: say so briefly.
        const QStringList err = QString::fromUtf8(ctestd.run.err).trimmed().split(QLatin1Char('\n'));
        return problems
            << QStringLiteral("exit code: ctest %1, ctestd %2").arg(ctest.run.exitCode).arg(ctestd.run.exitCode)
            << QStringLiteral("ctestd printed no result lines (ctest printed %1); its stderr begins: %2")
                   .arg(a.results.size())
                   .arg(joinedList(err.mid(0, 5)));
    }
    if (ctest.run.exitCode != ctestd.run.exitCode)
        problems << QStringLiteral("exit code: ctest %1, ctestd %2").arg(ctest.run.exitCode).arg(ctestd.run.exitCode);
    if (a.header != b.header)
        problems << QStringLiteral("header lines: ctest %1, ctestd %2").arg(joinedList(a.header), joinedList(b.header));

    const QStringList words = diffMaps(
        statusWords(a.statuses()), statusWords(b.statuses()), QStringLiteral("ctest"), QStringLiteral("ctestd"));
    if (!words.isEmpty())
        problems << QStringLiteral("status words (test name: ctest, ctestd):") << words;
    else {
        const QStringList full
            = diffMaps(a.statuses(), b.statuses(), QStringLiteral("ctest"), QStringLiteral("ctestd"));
        if (!full.isEmpty())
            problems << QStringLiteral("status fields (same words, different reasons):") << full;
    }
    const QStringList numbers
        = diffMaps(a.numbers(), b.numbers(), QStringLiteral("ctest #"), QStringLiteral("ctestd #"));
    if (!numbers.isEmpty())
        problems << QStringLiteral("test numbers #K (-1: inconsistent):") << numbers;
    const QStringList counts
        = diffMaps(a.resultCounts(), b.resultCounts(), QStringLiteral("ctest"), QStringLiteral("ctestd"));
    if (!counts.isEmpty())
        problems << QStringLiteral("result lines per test:") << counts;
    QMap<QString, QString> startsA;
    QMap<QString, QString> startsB;
    for (auto it = a.startNumbers.begin(); it != a.startNumbers.end(); ++it) {
        QList<int> sorted = it.value();
        std::sort(sorted.begin(), sorted.end());
        QStringList shown;
        for (int n : sorted)
            shown << QString::number(n);
        startsA.insert(it.key(), shown.join(QLatin1Char(',')));
    }
    for (auto it = b.startNumbers.begin(); it != b.startNumbers.end(); ++it) {
        QList<int> sorted = it.value();
        std::sort(sorted.begin(), sorted.end());
        QStringList shown;
        for (int n : sorted)
            shown << QString::number(n);
        startsB.insert(it.key(), shown.join(QLatin1Char(',')));
    }
    const QStringList starts
        = diffMaps(startsA, startsB, QStringLiteral("ctest Start #"), QStringLiteral("ctestd Start #"));
    if (!starts.isEmpty())
        problems << QStringLiteral("Start lines:") << starts;
    if (a.totals() != b.totals()) {
        QStringList ta;
        QStringList tb;
        for (int t : a.totals())
            ta << QString::number(t);
        for (int t : b.totals())
            tb << QString::number(t);
        problems << QStringLiteral("n/N totals: ctest %1, ctestd %2")
                        .arg(ta.join(QLatin1Char(',')), tb.join(QLatin1Char(',')));
    }
    if (flags & Repeat) {
        QMap<QString, QString> historyA;
        QMap<QString, QString> historyB;
        const auto ha = a.statusHistory();
        const auto hb = b.statusHistory();
        for (auto it = ha.begin(); it != ha.end(); ++it)
            historyA.insert(it.key(), it.value().join(QLatin1String(" / ")));
        for (auto it = hb.begin(); it != hb.end(); ++it)
            historyB.insert(it.key(), it.value().join(QLatin1String(" / ")));
        const QStringList history = diffMaps(historyA, historyB, QStringLiteral("ctest"), QStringLiteral("ctestd"));
        if (!history.isEmpty())
            problems << QStringLiteral("--repeat status sequences:") << history;
    }
    if (a.summary != b.summary)
        problems << QStringLiteral("summary: ctest %1, ctestd %2").arg(quoted(a.summary), quoted(b.summary));
    if (a.notRunList != b.notRunList)
        problems << QStringLiteral("\"did not run\" list: ctest %1\n    ctestd %2")
                        .arg(joinedList(a.notRunList), joinedList(b.notRunList));
    if (a.failedList != b.failedList)
        problems << QStringLiteral("FAILED list: ctest %1\n    ctestd %2")
                        .arg(joinedList(a.failedList), joinedList(b.failedList));
    if (a.labelSummary != b.labelSummary)
        problems << QStringLiteral("Label Time Summary (label, test count): ctest %1\n    ctestd %2")
                        .arg(joinedList(a.labelSummary), joinedList(b.labelSummary));
    if (a.dependencyLines != b.dependencyLines)
        problems << QStringLiteral("\"Failed test dependencies\" lines: ctest %1\n    ctestd %2")
                        .arg(joinedList(a.dependencyLines), joinedList(b.dependencyLines));
    if (a.notFoundLines != b.notFoundLines)
        problems << QStringLiteral("\"Could not find executable\" lines: ctest %1\n    ctestd %2")
                        .arg(joinedList(a.notFoundLines), joinedList(b.notFoundLines));
    if (unableToFindLines(ctest.run.err) != unableToFindLines(ctestd.run.err))
        problems << QStringLiteral("\"Unable to find\" lines on stderr: ctest %1\n    ctestd %2")
                        .arg(joinedList(unableToFindLines(ctest.run.err)),
                            joinedList(unableToFindLines(ctestd.run.err)));
    if (ctest.run.err.contains("Errors while running CTest") != ctestd.run.err.contains("Errors while running CTest"))
        problems << QStringLiteral("\"Errors while running CTest\" on stderr: ctest %1, ctestd %2")
                        .arg(ctest.run.err.contains("Errors while running CTest"))
                        .arg(ctestd.run.err.contains("Errors while running CTest"));

    // Output blocks: after the same tests, with the same marker lines.
    QMap<QString, QString> markersA;
    QMap<QString, QString> markersB;
    for (const ResultLine &result : a.results) {
        if (!result.output.isEmpty())
            markersA.insert(result.name, a.markers(result.name).join(QLatin1String(" | ")));
    }
    for (const ResultLine &result : b.results) {
        if (!result.output.isEmpty())
            markersB.insert(result.name, b.markers(result.name).join(QLatin1String(" | ")));
    }
    const QStringList blocks = diffMaps(markersA, markersB, QStringLiteral("ctest"), QStringLiteral("ctestd"));
    if (!blocks.isEmpty())
        problems << QStringLiteral("output after result lines (agree-marker lines; absent = no output):") << blocks;

    // Testing/Temporary.
    if (ctest.lastFailed != ctestd.lastFailed)
        problems << QStringLiteral("Testing/Temporary/LastTestsFailed.log: ctest %1\n    ctestd %2")
                        .arg(ctest.lastFailed.isNull() ? QStringLiteral("(none)")
                                                       : quoted(QString::fromUtf8(ctest.lastFailed)),
                            ctestd.lastFailed.isNull() ? QStringLiteral("(none)")
                                                       : quoted(QString::fromUtf8(ctestd.lastFailed)));
    if (ctest.cost.exists != ctestd.cost.exists)
        problems << QStringLiteral("Testing/Temporary/CTestCostData.txt written by ctest: %1, by ctestd: %2")
                        .arg(ctest.cost.exists)
                        .arg(ctestd.cost.exists);
    else if (ctest.cost.exists) {
        const QStringList runs
            = diffMaps(ctest.cost.runs, ctestd.cost.runs, QStringLiteral("ctest"), QStringLiteral("ctestd"));
        if (!runs.isEmpty())
            problems << QStringLiteral("CTestCostData.txt run counts:") << runs;
        if (ctest.cost.failed != ctestd.cost.failed)
            problems << QStringLiteral("CTestCostData.txt failed section: ctest %1\n    ctestd %2")
                            .arg(joinedList(ctest.cost.failed), joinedList(ctestd.cost.failed));
    }
    if (ctest.lastDisabled != ctestd.lastDisabled) // not in the contract: reported, not failed
        qWarning("LastTestsDisabled.log differs (informational): ctest %s, ctestd %s",
            qPrintable(quoted(QString::fromUtf8(ctest.lastDisabled))),
            qPrintable(quoted(QString::fromUtf8(ctestd.lastDisabled))));

    if (ctestd.junitRequested)
        problems += checkJUnitCtestd(ctest, ctestd);
    if (flags & CheckFixtures)
        problems += checkFixtureCounts(ctestd, true);
    return problems;
}

// ---------------------------------------------------------------------------

void TestCtestAgreement::agreement_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("flags");
    QTest::addColumn<QString>("summary"); // ctest's, known
    QTest::addColumn<int>("results"); // ctest's result lines, known
    QTest::addColumn<QStringList>("overrides"); // "name=status" that differ from the table
    QTest::addColumn<QStringList>("environment"); // "NAME=value" set for both tools

    const QString full = QStringLiteral("67% tests passed, 18 tests failed out of 55");
    QTest::newRow("plain") << QStringList {} << int(CheckFixtures) << full << 58 << QStringList {} << QStringList {};
    QTest::newRow("-j2") << QStringList {QStringLiteral("-j2")} << int(CheckFixtures) << full << 58 << QStringList {}
                         << QStringList {};
    // -R pulls in the setup and cleanup of the fixtures the selected tests require.
    QTest::newRow("-R") << QStringList {QStringLiteral("-j2"), QStringLiteral("-R"),
        QStringLiteral("FxAlpha|TypedFx|Nums/|FallbackFx|fixture_ok.user|fixture_bad.user_a|colon|spaces|ünïcødé")}
                        << int(CheckFixtures) << QStringLiteral("86% tests passed, 3 tests failed out of 22") << 22
                        << QStringList {} << QStringList {};
    QTest::newRow("-L") << QStringList {QStringLiteral("-j2"), QStringLiteral("-L"), QStringLiteral("fixture|crash")}
                        << int(CheckFixtures) << QStringLiteral("44% tests passed, 5 tests failed out of 9") << 9
                        << QStringList {} << QStringList {};
    QTest::newRow("-LE") << QStringList {QStringLiteral("-j2"), QStringLiteral("-LE"),
        QStringLiteral("gtest|regex|odd")}
                         << int(CheckFixtures) << QStringLiteral("61% tests passed, 11 tests failed out of 28") << 29
                         << QStringList {} << QStringList {};
    // ctest 3.25 numbers the tests left by -E 1..N.
    QTest::newRow("-E") << QStringList {QStringLiteral("-j2"), QStringLiteral("-E"),
        QStringLiteral("Fx|plain|regex|timeout")}
                        << int(CheckFixtures | Renumbered)
                        << QStringLiteral("67% tests passed, 9 tests failed out of 27") << 29 << QStringList {}
                        << QStringList {};
    // Qt Creator runs its selection as one "ctest -I 0,0,0,N1,N2,...";
    // order.second fails without order.first, which leaves its marker.
    QTest::newRow("-I") << QStringList {QStringLiteral("-j2"), QStringLiteral("-I"),
        QStringLiteral("0,0,0,2,5,9,12,22,40,45")}
                        << int(CheckFixtures) << QStringLiteral("57% tests passed, 3 tests failed out of 7") << 7
                        << QStringList {QStringLiteral("order.second=***Failed")} << QStringList {};
    QTest::newRow("-I -U") << QStringList {QStringLiteral("-j2"), QStringLiteral("-R"), QStringLiteral("plain|Fx"),
        QStringLiteral("-I"), QStringLiteral("3,30,4"), QStringLiteral("-U")}
                           << int(CheckFixtures) << QStringLiteral("74% tests passed, 6 tests failed out of 23") << 24
                           << QStringList {} << QStringList {};
    QTest::newRow("--output-on-failure") << QStringList {QStringLiteral("-j2"), QStringLiteral("--output-on-failure")}
                                         << int(CheckFixtures | OutputOnFailure) << full << 58 << QStringList {}
                                         << QStringList {};
    QTest::newRow("--no-label-summary") << QStringList {QStringLiteral("-j2"), QStringLiteral("--no-label-summary")}
                                        << int(CheckFixtures) << full << 58 << QStringList {} << QStringList {};
    QTest::newRow("--timeout") << QStringList {QStringLiteral("-j2"), QStringLiteral("-R"),
        QStringLiteral("timeout|FxAlpha.One|order"), QStringLiteral("--timeout"), QStringLiteral("1")}
                               << int(CheckFixtures) << QStringLiteral("60% tests passed, 2 tests failed out of 5") << 5
                               << QStringList {QStringLiteral("timeout.default=***Timeout")} << QStringList {};
    // One worker so that "the tests before the first failure" is the same set.
    QTest::newRow("--stop-on-failure") << QStringList {QStringLiteral("-j1"), QStringLiteral("-R"),
        QStringLiteral("plain.pass|plain.fail|plain.exit3|plain.sh_pass"), QStringLiteral("--stop-on-failure")}
                                       << int(StoppedListed)
                                       << QStringLiteral("50% tests passed, 1 tests failed out of 2") << 2
                                       << QStringList {} << QStringList {};
    QTest::newRow("--repeat") << QStringList {QStringLiteral("-R"),
        QStringLiteral("plain.pass|plain.fail|FxAlpha.One|skip"), QStringLiteral("--repeat"),
        QStringLiteral("until-fail:2")}
                              << int(Repeat) << QStringLiteral("80% tests passed, 1 tests failed out of 5") << 7
                              << QStringList {} << QStringList {};
    // ctest's variables where the command line says nothing: ctestd reads
    // them as ctest does.
    QTest::newRow("CTEST_PARALLEL_LEVEL=2") << QStringList {} << int(CheckFixtures) << full << 58 << QStringList {}
                                            << QStringList {QStringLiteral("CTEST_PARALLEL_LEVEL=2")};
    QTest::newRow("CTEST_OUTPUT_ON_FAILURE=1")
        << QStringList {QStringLiteral("-j2")} << int(CheckFixtures | OutputOnFailure) << full << 58 << QStringList {}
        << QStringList {QStringLiteral("CTEST_OUTPUT_ON_FAILURE=1")};
    // --test-load above the (faked) load: one test at a time, even with -j3.
    QTest::newRow("--test-load") << QStringList {QStringLiteral("-j3"), QStringLiteral("--test-load"),
        QStringLiteral("2"), QStringLiteral("-R"), QStringLiteral("plain|regex")}
                                 << int(CheckFixtures) << QStringLiteral("40% tests passed, 6 tests failed out of 10")
                                 << 10 << QStringList {}
                                 << QStringList {QStringLiteral("__CTEST_FAKE_LOAD_AVERAGE_FOR_TESTING=5")};
    QTest::newRow("CTEST_PROGRESS_OUTPUT=1, no terminal")
        << QStringList {} << int(CheckFixtures) << full << 58 << QStringList {}
        << QStringList {QStringLiteral("CTEST_PROGRESS_OUTPUT=1")};
}

void TestCtestAgreement::agreement()
{
    QFETCH(QStringList, options);
    QFETCH(int, flags);
    QFETCH(QString, summary);
    QFETCH(int, results);
    QFETCH(QStringList, overrides);
    QFETCH(QStringList, environment);
    QMap<QString, QString> overrideMap;
    for (const QString &override : overrides) {
        const int equals = override.indexOf(QLatin1Char('='));
        overrideMap.insert(override.left(equals), override.mid(equals + 1));
    }
    const bool junit = !(flags & NoJUnit);
    const QString tag = QString::fromUtf8(QTest::currentDataTag());

    // The ctest half: what we know of ctest 3.25.
    const Side ctest = runSide(Tool::CTest, options, junit, tag, true, environment);
    QStringList problems = checkCtestSide(ctest, flags, overrideMap);
    if (ctest.run.exitCode != 8)
        problems << QStringLiteral("ctest exit code %1, expected 8").arg(ctest.run.exitCode);
    if (ctest.console.summary != summary)
        problems << QStringLiteral("ctest summary %1, expected %2").arg(quoted(ctest.console.summary), quoted(summary));
    if (ctest.console.results.size() != results)
        problems << QStringLiteral("ctest printed %1 result lines, expected %2")
                        .arg(ctest.console.results.size())
                        .arg(results);
    QVERIFY2(problems.isEmpty(), qPrintable(reportProblems(QStringLiteral("ctest half:"), problems, describe(ctest))));
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");

    // The ctestd half: the same on the same tree.
    Side ctestd = runSide(Tool::Ctestd, options, junit, tag, true, environment);
    if (flags & StoppedListed) {
        // Set aside what ctestd adds for the tests that never started; each
        // must be one ctest did not start either, and there must be some.
        const QMap<QString, QString> started = ctest.console.statuses();
        QStringList stopped;
        for (const QString &line : QStringList(ctestd.console.notRunList)) {
            if (!line.endsWith(QLatin1String(" (Not Run)")))
                continue;
            const QString name = line.section(QLatin1String(" - "), 1).chopped(int(strlen(" (Not Run)")));
            QVERIFY2(!started.contains(name), qPrintable(QStringLiteral("ctestd lists %1 as not run").arg(name)));
            stopped << name;
            ctestd.console.notRunList.removeAll(line);
        }
        QVERIFY2(!stopped.isEmpty(), "ctestd lists no test as not run after --stop-on-failure");
        for (int i = int(ctestd.junit.cases.size()) - 1; i >= 0; --i) {
            const JUnitEntry &entry = ctestd.junit.cases.at(i);
            if (!stopped.contains(entry.name))
                continue;
            QCOMPARE(entry.child, QStringLiteral("skipped"));
            QVERIFY2(entry.message.contains(QLatin1String("--stop-on-failure")), qPrintable(entry.message));
            ctestd.junit.cases.removeAt(i);
        }
    }
    problems = compareSides(ctest, ctestd, flags);
    // Held back by the load, ctestd starts a test only when none runs: each
    // Start line is followed by its result before the next starts.
    if (options.contains(QStringLiteral("--test-load"))) {
        int running = 0;
        for (const QByteArray &line : ctestd.run.out.split('\n')) {
            if (line.trimmed().startsWith("Start "))
                ++running;
            else if (line.contains(" Test ") && line.contains('#'))
                --running;
            if (running > 1)
                problems << QStringLiteral("--test-load: two tests ran at once, at %1").arg(QString::fromUtf8(line));
        }
    }
    // A serial run (ctest's default) reports in ctest's order: #K order,
    // dependencies first, costs and last failures ignored.
    if (!options.contains(QStringLiteral("-j2")) && !environment.contains(QStringLiteral("CTEST_PARALLEL_LEVEL=2"))) {
        QStringList ctestOrder;
        QStringList ctestdOrder;
        for (const ResultLine &result : ctest.console.results)
            ctestOrder << result.name;
        for (const ResultLine &result : ctestd.console.results)
            ctestdOrder << result.name;
        if (ctestOrder != ctestdOrder)
            problems << QStringLiteral("serial order differs: ctest %1, ctestd %2")
                            .arg(ctestOrder.join(QLatin1Char(',')), ctestdOrder.join(QLatin1Char(',')));
    }
    QVERIFY2(problems.isEmpty(),
        qPrintable(reportProblems(QStringLiteral("ctestd disagrees with ctest (%1):").arg(tag), problems,
            describe(ctest) + describe(ctestd))));
}

// ---------------------------------------------------------------------------

void TestCtestAgreement::showOnly_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("lastLine"); // ctest's, known
    QTest::newRow("-N") << QStringList {QStringLiteral("-N")} << QStringLiteral("Total Tests: 58");
    QTest::newRow("-N -E") << QStringList {QStringLiteral("-N"), QStringLiteral("-E"), QStringLiteral("Fx")}
                           << QStringLiteral("Total Tests: 41");
    QTest::newRow("-N -L") << QStringList {QStringLiteral("--show-only"), QStringLiteral("-L"), QStringLiteral("gtest")}
                           << QStringLiteral("Total Tests: 16");
    // -I counts the tests -R leaves: the 2nd, 5th and 8th of them.
    QTest::newRow("-N -R -I") << QStringList {QStringLiteral("-N"), QStringLiteral("-R"), QStringLiteral("Fx"),
        QStringLiteral("-I"), QStringLiteral("2,9,3")}
                              << QStringLiteral("Total Tests: 3");
    QTest::newRow("-N -I") << QStringList {QStringLiteral("-N"), QStringLiteral("-I"), QStringLiteral("0,0,0,7,35,58")}
                           << QStringLiteral("Total Tests: 3");
    // -FA/-FS/-FC keep a fixture's setup or cleanup tests out of what -R adds.
    QTest::newRow("-N -R -FS") << QStringList {QStringLiteral("-N"), QStringLiteral("-R"),
        QStringLiteral("fixture_bad.user|fixture_ok.user"), QStringLiteral("-FS"), QStringLiteral("bad")}
                               << QStringLiteral("Total Tests: 6");
    QTest::newRow("-N -R -FC") << QStringList {QStringLiteral("-N"), QStringLiteral("-R"),
        QStringLiteral("fixture_ok.user"), QStringLiteral("--fixture-exclude-cleanup"), QStringLiteral("ok")}
                               << QStringLiteral("Total Tests: 2");
    // IDEs list a tree with json-v1; ctestd's answer is ctest's, selection included.
    QTest::newRow("--show-only=json-v1") << QStringList {QStringLiteral("--show-only=json-v1")} << QStringLiteral("}");
    QTest::newRow("--show-only=json-v1 -R -I") << QStringList {QStringLiteral("--show-only=json-v1"),
        QStringLiteral("-R"), QStringLiteral("Fx"), QStringLiteral("-I"), QStringLiteral("1,6")}
                                               << QStringLiteral("}");
    // --print-labels is as deterministic: the selected tests' labels, sorted.
    QTest::newRow("--print-labels") << QStringList {QStringLiteral("--print-labels")} << QStringLiteral("  regex");
    QTest::newRow("--print-labels -L") << QStringList {QStringLiteral("--print-labels"), QStringLiteral("-L"),
        QStringLiteral("fixture|crash")}
                                       << QStringLiteral("  plain");
}

void TestCtestAgreement::showOnly()
{
    QFETCH(QStringList, options);
    QFETCH(QString, lastLine);
    const Side ctest = runSide(Tool::CTest, options, false, QString::fromUtf8(QTest::currentDataTag()));
    QCOMPARE(ctest.run.exitCode, 0);
    QVERIFY2(ctest.run.out.trimmed().endsWith(lastLine.toUtf8()), ctest.run.out.constData());
    QVERIFY(ctest.run.out.contains("  Test  #7: FxBeta.Off (Disabled)\n") || !options.contains(QStringLiteral("-L"))
        || options.contains(QStringLiteral("--print-labels")));
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");
    const Side ctestd = runSide(Tool::Ctestd, options, false, QString::fromUtf8(QTest::currentDataTag()));
    // -N output is deterministic: it must be identical, down to the list of
    // places ctest looked in for a missing executable.
    QStringList problems;
    if (ctestd.run.exitCode != ctest.run.exitCode)
        problems << QStringLiteral("exit code: ctest %1, ctestd %2").arg(ctest.run.exitCode).arg(ctestd.run.exitCode);
    const QStringList a = QString::fromUtf8(ctest.run.out).split(QLatin1Char('\n'));
    const QStringList b = QString::fromUtf8(ctestd.run.out).split(QLatin1Char('\n'));
    if (a != b) {
        for (int i = 0; i < qMax(a.size(), b.size()); ++i) {
            if (a.value(i) != b.value(i)) {
                problems << QStringLiteral("stdout differs from line %1: ctest %2, ctestd %3")
                                .arg(i + 1)
                                .arg(quoted(a.value(i)), quoted(b.value(i)));
                break;
            }
        }
    }
    QVERIFY2(problems.isEmpty(),
        qPrintable(reportProblems(QStringLiteral("ctestd %1 disagrees with ctest:").arg(options.join(QLatin1Char(' '))),
            problems, describe(ctest) + describe(ctestd))));
}

// ---------------------------------------------------------------------------
// --rerun-failed in both directions. What ctest reruns after a ctest run is the
// reference: the failed tests plus the cleanup of the fixture they require.

void TestCtestAgreement::rerunFailedAfterCtest()
{
    const QStringList parallel {QStringLiteral("-j2")};
    const Side first = runSide(Tool::CTest, parallel, false, QStringLiteral("rerun-first"));
    QCOMPARE(first.run.exitCode, 8);
    const QStringList failed = first.console.failedNames();
    QCOMPARE(failed.size(), 18);
    // Keep ctest's Testing/ to give the same starting point to both reruns.
    const QString saved = m_work + QStringLiteral("/saved-Testing");
    QDir(saved).removeRecursively();
    QVERIFY(QDir().rename(m_build + QStringLiteral("/Testing"), saved));

    const auto restore = [&]() {
        resetBuildTree();
        const QString target = m_build + QStringLiteral("/Testing/Temporary");
        QDir().mkpath(target);
        const QStringList files = QDir(saved + QStringLiteral("/Temporary")).entryList(QDir::Files);
        for (const QString &file : files)
            QFile::copy(saved + QStringLiteral("/Temporary/") + file, target + QLatin1Char('/') + file);
    };

    restore();
    const QStringList rerun {QStringLiteral("-j2"), QStringLiteral("--rerun-failed")};
    const Side ctest = runSide(Tool::CTest, rerun, true, QStringLiteral("rerun-ctest"), false);
    QStringList expected = failed;
    expected << QStringLiteral("fixture_bad.cleanup");
    expected.sort();
    QStringList ran = ctest.console.statuses().keys();
    ran.sort();
    QCOMPARE(ran, expected);
    QCOMPARE(ctest.console.summary, QStringLiteral("5% tests passed, 18 tests failed out of 19"));
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");

    restore();
    const Side ctestd = runSide(Tool::Ctestd, rerun, true, QStringLiteral("rerun-ctestd"), false);
    const QStringList problems = compareSides(ctest, ctestd, 0);
    QVERIFY2(problems.isEmpty(),
        qPrintable(reportProblems(
            QStringLiteral("ctestd --rerun-failed after a ctest run:"), problems, describe(ctest) + describe(ctestd))));
}

void TestCtestAgreement::rerunFailedAfterCtestd()
{
    const QStringList parallel {QStringLiteral("-j2")};
    // Reference: ctest's own LastTestsFailed.log and rerun.
    const Side reference = runSide(Tool::CTest, parallel, false, QStringLiteral("rerun2-ctest"));
    QCOMPARE(reference.run.exitCode, 8);
    QVERIFY(!reference.lastFailed.isEmpty());
    const Side referenceRerun = runSide(Tool::CTest, {QStringLiteral("-j2"), QStringLiteral("--rerun-failed")}, false,
        QStringLiteral("rerun2-ctest-rerun"), false);
    QCOMPARE(referenceRerun.console.results.size(), 19);
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");

    const Side ctestd = runSide(Tool::Ctestd, parallel, false, QStringLiteral("rerun2-ctestd"));
    QVERIFY2(ctestd.lastFailed == reference.lastFailed,
        qPrintable(
            QStringLiteral("LastTestsFailed.log after ctestd: %1\nafter ctest: %2")
                .arg(quoted(QString::fromUtf8(ctestd.lastFailed)), quoted(QString::fromUtf8(reference.lastFailed)))
            + describe(ctestd)));
    // ctest reads what ctestd wrote.
    const Side rerun = runSide(Tool::CTest, {QStringLiteral("-j2"), QStringLiteral("--rerun-failed")}, false,
        QStringLiteral("rerun2-ctestd-rerun"), false);
    QStringList ran = rerun.console.statuses().keys();
    QStringList expected = referenceRerun.console.statuses().keys();
    ran.sort();
    expected.sort();
    QVERIFY2(ran == expected,
        qPrintable(QStringLiteral("ctest --rerun-failed after ctestd ran %1\nafter ctest it runs %2")
                       .arg(ran.join(QLatin1String(" | ")), expected.join(QLatin1String(" | ")))));
    QCOMPARE(rerun.console.numbers(), referenceRerun.console.numbers());
}

// ---------------------------------------------------------------------------
// Bad --test-dir: same exit code as ctest, and one clear line on stderr.

void TestCtestAgreement::badTestDir_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("ctestExit");
    QTest::addColumn<QString>("ctestError"); // ctest's stderr, %1 = the directory
    QTest::addColumn<bool>("oneLine"); // ctestd must say it in one line

    QTest::newRow("nonexistent") << QStringLiteral("nonexistent") << QStringList {} << 1
                                 << QStringLiteral(
                                        "Failed to change working directory to \"%1\" : No such file or directory\n")
                                 << true;
    QTest::newRow("a file") << QStringLiteral("file") << QStringList {} << 1
                            << QStringLiteral("Failed to change working directory to \"%1\" : Not a directory\n")
                            << true;
    QTest::newRow("not a build tree") << QStringLiteral("empty") << QStringList {} << 0
                                      << QStringLiteral("No tests were found!!!\n") << true;
    QTest::newRow("not a build tree, --no-tests=error")
        << QStringLiteral("empty") << QStringList {QStringLiteral("--no-tests=error")} << 8
        << QStringLiteral("No tests were found!!!\nErrors while running CTest\n") << false;
}

void TestCtestAgreement::badTestDir()
{
    QFETCH(QString, kind);
    QFETCH(QStringList, options);
    QFETCH(int, ctestExit);
    QFETCH(QString, ctestError);
    QFETCH(bool, oneLine);

    // A fresh directory per tool: ctest creates Testing/ in a folder that is not a build tree.
    const auto makeDirectory = [&](const QString &tool) {
        const QString base = m_tempDir.filePath(
            QStringLiteral("bad-%1-%2")
                .arg(tool, QString::fromUtf8(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))));
        QDir(base).removeRecursively();
        QDir().mkpath(base);
        if (kind == QLatin1String("nonexistent"))
            return base + QStringLiteral("/does-not-exist");
        if (kind == QLatin1String("file")) {
            QFile file(base + QStringLiteral("/a-file"));
            if (file.open(QIODevice::WriteOnly))
                file.write("not a directory\n");
            return file.fileName();
        }
        QFile readme(base + QStringLiteral("/README"));
        if (readme.open(QIODevice::WriteOnly))
            readme.write("not a build tree\n");
        return base;
    };

    const QString ctestDir = makeDirectory(QStringLiteral("ctest"));
    const ToolRun ctest = runTool(toolPath(Tool::CTest), QStringList {QStringLiteral("--test-dir"), ctestDir} + options,
        cleanEnvironment(), m_work);
    QCOMPARE(ctest.exitCode, ctestExit);
    const QString expectedError = ctestError.contains(QLatin1String("%1")) ? ctestError.arg(ctestDir) : ctestError;
    QVERIFY2(QString::fromUtf8(ctest.err).startsWith(expectedError), ctest.err.constData());
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");

    const QString ctestdDir = makeDirectory(QStringLiteral("ctestd"));
    const ToolRun ctestd = runTool(toolPath(Tool::Ctestd),
        QStringList {QStringLiteral("--test-dir"), ctestdDir} + options, cleanEnvironment(), m_work, 60000);
    const QString message = QStringLiteral("ctestd %1: exit %2\n--- stdout:\n%3\n--- stderr:\n%4")
                                .arg(ctestd.commandLine())
                                .arg(ctestd.exitCode)
                                .arg(QString::fromUtf8(ctestd.out), QString::fromUtf8(ctestd.err));
    QVERIFY2(ctestd.started && !ctestd.timedOut && !ctestd.crashed, qPrintable(message));
    QVERIFY2(ctestd.exitCode == ctest.exitCode,
        qPrintable(QStringLiteral("expected ctest's exit code %1; ").arg(ctest.exitCode) + message));
    const QString err = QString::fromUtf8(ctestd.err).trimmed();
    QVERIFY2(!err.isEmpty(), qPrintable(QStringLiteral("no message on stderr; ") + message));
    if (oneLine)
        QVERIFY2(
            !err.contains(QLatin1Char('\n')), qPrintable(QStringLiteral("expected one line on stderr; ") + message));
    if (kind != QLatin1String("empty"))
        QVERIFY2(
            err.contains(ctestdDir), qPrintable(QStringLiteral("the message should name the directory; ") + message));
    if (kind == QLatin1String("nonexistent"))
        QVERIFY2(!QFileInfo::exists(ctestdDir), "ctestd created the missing --test-dir");
    if (ctestError.contains(QLatin1String("%1"))) {
        // ctest's words exactly, on both streams.
        QCOMPARE(QString::fromUtf8(ctestd.err), ctestError.arg(ctestdDir));
        QCOMPARE(QString::fromUtf8(ctestd.out), QString::fromUtf8(ctest.out).replace(ctestDir, ctestdDir));
    }
}

void TestCtestAgreement::changingDirectory_data()
{
    // Where each tool runs (its working directory and $PWD, as a shell sets
    // it) and the --test-dir it is given; "<build>" is the sample tree,
    // "<link>" a symlink to it, "<work>" another directory.
    QTest::addColumn<QString>("cwd");
    QTest::addColumn<QString>("pwd");
    QTest::addColumn<QString>("testDir"); // empty: no --test-dir
    static const char *const rows[][4] = {
        {"--test-dir . in the tree", "<build>", "<build>", "."},
        {"--test-dir <tree> in the tree", "<build>", "<build>", "<build>"},
        {"--test-dir <tree>/ in the tree", "<build>", "<build>", "<build>/"},
        {"--test-dir elsewhere", "<work>", "<work>", "<build>"},
        {"--test-dir relative", "<work>", "<work>", "<relative build>"},
        {"--test-dir a symlink to the tree", "<build>", "<build>", "<link>"},
        {"in the symlink, --test-dir the tree", "<build>", "<link>", "<build>"},
        {"in the symlink, no --test-dir", "<build>", "<link>", ""},
        {"stale $PWD, no --test-dir", "<build>", "<work>", ""},
    };
    for (const auto &row : rows)
        QTest::newRow(row[0]) << QString::fromUtf8(row[1]) << QString::fromUtf8(row[2]) << QString::fromUtf8(row[3]);
}

void TestCtestAgreement::changingDirectory()
{
    QFETCH(QString, cwd);
    QFETCH(QString, pwd);
    QFETCH(QString, testDir);
    const QString link = m_tempDir.filePath(QStringLiteral("build-link"));
    QFile::remove(link);
    QVERIFY(QFile::link(m_build, link));
    const auto resolved = [&](QString path) {
        return path.replace(QLatin1String("<relative build>"), QDir(m_work).relativeFilePath(m_build))
            .replace(QLatin1String("<build>"), m_build)
            .replace(QLatin1String("<link>"), link)
            .replace(QLatin1String("<work>"), m_work);
    };
    QStringList arguments {QStringLiteral("-N"), QStringLiteral("-R"), QStringLiteral("^FxAlpha")};
    if (!testDir.isEmpty())
        arguments += {QStringLiteral("--test-dir"), resolved(testDir)};
    QProcessEnvironment extra;
    extra.insert(QStringLiteral("PWD"), resolved(pwd));
    const ToolRun ctest = runTool(toolPath(Tool::CTest), arguments, cleanEnvironment(extra), resolved(cwd));
    QCOMPARE(ctest.exitCode, 0);
    QVERIFY2(ctest.out.contains("Test project "), ctest.out.constData());
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");
    const ToolRun ctestd = runTool(toolPath(Tool::Ctestd), arguments, cleanEnvironment(extra), resolved(cwd), 60000);
    QCOMPARE(ctestd.exitCode, ctest.exitCode);
    QCOMPARE(QString::fromUtf8(ctestd.out), QString::fromUtf8(ctest.out));
    QCOMPARE(QString::fromUtf8(ctestd.err), QString::fromUtf8(ctest.err));
}

// ---------------------------------------------------------------------------
// A Ninja Multi-Config tree (multiconfig/): -C picks each test's command, and
// without -C the per-configuration tests are "not available", which ctest
// reports as ***Not Run and json-v1 does not list at all.

QString TestCtestAgreement::buildMultiConfigTree()
{
    if (!m_multiConfigBuild.isEmpty())
        return QString();
    const QString build = m_tempDir.filePath(QStringLiteral("multiconfig"));
    QString ninja = QStringLiteral(CTESTD_MAKE_PROGRAM);
    if (!QFileInfo(ninja).fileName().startsWith(QLatin1String("ninja")))
        ninja = QStandardPaths::findExecutable(QStringLiteral("ninja"));
    if (ninja.isEmpty())
        return QStringLiteral("no ninja for the Ninja Multi-Config generator (apt-get install ninja-build)");
    const ToolRun configured = runTool(QStringLiteral(CTESTD_CMAKE_COMMAND),
        {QStringLiteral("-S"), QStringLiteral(CTESTD_AGREEMENT_MULTICONFIG_PROJECT), QStringLiteral("-B"), build,
            QStringLiteral("-G"), QStringLiteral("Ninja Multi-Config"), QStringLiteral("-DCMAKE_MAKE_PROGRAM=") + ninja,
            QStringLiteral("-DCMAKE_CXX_COMPILER=" CTESTD_CXX_COMPILER)},
        cleanEnvironment(), m_work, 300000);
    if (configured.exitCode != 0)
        qFatal("configuring multiconfig/ failed: %s", (configured.out + configured.err).constData());
    for (const char *configuration : {"Debug", "Release"}) {
        const ToolRun built = runTool(QStringLiteral(CTESTD_CMAKE_COMMAND),
            {QStringLiteral("--build"), build, QStringLiteral("--config"), QString::fromLatin1(configuration)},
            cleanEnvironment(), m_work, 400000);
        if (built.exitCode != 0)
            qFatal("building multiconfig/ failed: %s", (built.out + built.err).constData());
    }
    m_multiConfigBuild = build;
    return QString();
}

void TestCtestAgreement::multiConfig_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("exitCode"); // ctest's, known
    QTest::addColumn<QString>("summary"); // ctest's, known
    QTest::addColumn<QStringList>("statuses"); // ctest's, "name=status", known
    const QString notRun = QStringLiteral("***Not Run");
    QTest::newRow("no -C") << QStringList {} << 8 << QStringLiteral("25% tests passed, 3 tests failed out of 4")
                           << QStringList {QStringLiteral("McSuite.Passes=Passed"),
                                  QStringLiteral("McSuite.Fails=***Failed"), QStringLiteral("mc.tool=") + notRun,
                                  QStringLiteral("mc.sh=") + notRun};
    QTest::newRow("-C Debug") << QStringList {QStringLiteral("-C"), QStringLiteral("Debug"), QStringLiteral("-j2")} << 8
                              << QStringLiteral("50% tests passed, 2 tests failed out of 4")
                              << QStringList {QStringLiteral("McSuite.Passes=Passed"),
                                     QStringLiteral("McSuite.Fails=***Failed"), QStringLiteral("mc.tool=***Failed"),
                                     QStringLiteral("mc.sh=Passed")};
    QTest::newRow("--build-config Release")
        << QStringList {QStringLiteral("--build-config"), QStringLiteral("Release")} << 8
        << QStringLiteral("80% tests passed, 1 tests failed out of 5")
        << QStringList {QStringLiteral("McSuite.Passes=Passed"), QStringLiteral("McSuite.Fails=***Failed"),
               QStringLiteral("mc.tool=Passed"), QStringLiteral("mc.release_only=Passed"),
               QStringLiteral("mc.sh=Passed")};
    QTest::newRow("-C Release -N") << QStringList {QStringLiteral("-C"), QStringLiteral("Release"),
        QStringLiteral("-N")} << 0 << QString()
                                   << QStringList {};
    QTest::newRow("-N without -C") << QStringList {QStringLiteral("-N")} << 0 << QString() << QStringList {};
}

void TestCtestAgreement::multiConfig()
{
    QFETCH(QStringList, options);
    QFETCH(int, exitCode);
    QFETCH(QString, summary);
    QFETCH(QStringList, statuses);
    if (const QString why = buildMultiConfigTree(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QMap<QString, QString> expected;
    for (const QString &entry : statuses)
        expected.insert(entry.section(QLatin1Char('='), 0, 0), entry.section(QLatin1Char('='), 1));
    const bool listing = options.contains(QStringLiteral("-N"));

    const auto run = [&](Tool tool) {
        QDir(m_multiConfigBuild + QStringLiteral("/Testing")).removeRecursively();
        QStringList arguments {QStringLiteral("--test-dir"), m_multiConfigBuild};
        arguments += options;
        if (!listing)
            arguments += {QStringLiteral("--output-junit"), m_work + QStringLiteral("/multiconfig.xml")};
        return runTool(toolPath(tool), arguments, cleanEnvironment(), m_work);
    };
    const ToolRun ctest = run(Tool::CTest);
    const ConsoleReport ctestConsole = parseConsole(ctest.out);
    QCOMPARE(ctest.exitCode, exitCode);
    QCOMPARE(ctestConsole.summary, summary);
    QCOMPARE(ctestConsole.statuses(), expected);
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");
    const ToolRun ctestd = run(Tool::Ctestd);
    const QString details = bothOutputs(ctest, ctestd);
    QVERIFY2(ctestd.exitCode == ctest.exitCode, qPrintable(details));
    if (listing) {
        // -N is deterministic: every byte agrees.
        QVERIFY2(ctestd.out == ctest.out, qPrintable(details));
        return;
    }
    const JUnitDocument junit = readJUnitDocument(m_work + QStringLiteral("/multiconfig.xml"));
    QVERIFY2(junit.valid, qPrintable(junit.error));
    const ConsoleReport ctestdConsole = parseConsole(ctestd.out);
    QStringList problems;
    problems += diffMaps(
        ctestConsole.statuses(), ctestdConsole.statuses(), QStringLiteral("ctest"), QStringLiteral("ctestd"));
    problems
        += diffMaps(ctestConsole.numbers(), ctestdConsole.numbers(), QStringLiteral("ctest"), QStringLiteral("ctestd"));
    if (ctestdConsole.summary != ctestConsole.summary)
        problems << QStringLiteral("summary %1 != %2").arg(quoted(ctestConsole.summary), quoted(ctestdConsole.summary));
    if (ctestdConsole.failedList != ctestConsole.failedList)
        problems << QStringLiteral("FAILED list %1 != %2")
                        .arg(quoted(ctestConsole.failedList.join(QLatin1Char('\n'))),
                            quoted(ctestdConsole.failedList.join(QLatin1Char('\n'))));
    const QByteArray notAvailable = "Test not available without configuration.  (Missing \"-C <config>\"?)\n";
    if (ctestd.err.count(notAvailable) != ctest.err.count(notAvailable))
        problems << QStringLiteral("'not available' lines on stderr: ctest %1, ctestd %2")
                        .arg(ctest.err.count(notAvailable))
                        .arg(ctestd.err.count(notAvailable));
    // JUnit: one entry per test; a test that is not available is an error
    // that says why (ctest: <skipped message="Missing Configuration">).
    const QMap<QString, JUnitEntry> entries = junit.byName();
    if (QStringList(entries.keys()) != QStringList(expected.keys()))
        problems << QStringLiteral("JUnit names %1").arg(entries.keys().join(QLatin1Char(' ')));
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const JUnitEntry entry = entries.value(it.key());
        const bool unavailable = it.value() == QLatin1String("***Not Run");
        if (unavailable
            && (entry.child != QLatin1String("error")
                || !entry.message.contains(QLatin1String("without configuration"))))
            problems << QStringLiteral("JUnit %1: %2 %3").arg(it.key(), entry.child, quoted(entry.message));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n')) + details));
}

// ---------------------------------------------------------------------------
// -O/--output-log: ctest's log file, type tags included, line for line. The
// selection has no regrouped gtest cases: their Start lines are printed
// together when their process starts, not one by one as ctest does.

void TestCtestAgreement::outputLog_data()
{
    QTest::addColumn<QStringList>("options");
    const QString plain = QStringLiteral("plain|regex|skip|willfail|missing|disabled");
    QTest::newRow("serial") << QStringList {QStringLiteral("-R"), plain};
    QTest::newRow("-Q") << QStringList {QStringLiteral("-R"), plain, QStringLiteral("-Q")};
    QTest::newRow("--output-on-failure") << QStringList {
        QStringLiteral("-R"), plain, QStringLiteral("--output-on-failure")};
}

void TestCtestAgreement::outputLog()
{
    QFETCH(QStringList, options);
    const auto logOf = [&](Tool tool) {
        resetBuildTree();
        const QString log = QStringLiteral("%1/logs/%2.log")
                                .arg(m_work, tool == Tool::CTest ? QStringLiteral("ctest") : QStringLiteral("ctestd"));
        QFile::remove(log);
        QStringList arguments {QStringLiteral("--test-dir"), m_build, QStringLiteral("-O"), log};
        arguments += options;
        const ToolRun run = runTool(toolPath(tool), arguments, cleanEnvironment(), m_work);
        // Times vary; ctestd writes no LastTest.log, so it does not point at one.
        static const QRegularExpression seconds(QStringLiteral("[0-9.]+ sec"));
        QStringList lines;
        for (QString line : QString::fromUtf8(readFileOrNull(log)).split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("Output from these tests are in: "))
                || line.startsWith(QLatin1String("Use \"--rerun-failed --output-on-failure\"")))
                continue;
            lines << line.replace(seconds, QStringLiteral("<T> sec"));
        }
        return qMakePair(run, lines);
    };
    const auto ctest = logOf(Tool::CTest);
    QCOMPARE(ctest.first.exitCode, 8);
    QVERIFY2(ctest.second.size() > 20, qPrintable(ctest.second.join(QLatin1Char('\n'))));
    QVERIFY(ctest.second.contains(QStringLiteral("[HANDLER_OUTPUT] ")));
    QVERIFY(ctest.second.contains(QStringLiteral("[ERROR_MESSAGE] ")));
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");
    const auto ctestd = logOf(Tool::Ctestd);
    QCOMPARE(ctestd.first.exitCode, ctest.first.exitCode);
    if (options.contains(QStringLiteral("-Q")))
        QCOMPARE(ctestd.first.out, QByteArray()); // quiet: only the log has it
    const QString difference = firstDifference(QStringLiteral("log"), ctest.second, ctestd.second);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCtestAgreement::outputLogThatCannotBeWritten()
{
    // ctest runs everything, then fails to write the log; ctestd stops
    // before anything runs, with one line that names the file.
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");
    resetBuildTree();
    const ToolRun run = runTool(toolPath(Tool::Ctestd),
        {QStringLiteral("--test-dir"), m_build, QStringLiteral("-O"), QStringLiteral("/proc/ctestd/x.log")},
        cleanEnvironment(), m_work);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QByteArray());
    QCOMPARE(run.err, QByteArray("ctestd: cannot create the folder of the output log /proc/ctestd/x.log\n"));
    QVERIFY(!QFileInfo::exists(m_build + QStringLiteral("/Testing/Temporary/CTestCostData.txt")));
}

// ---------------------------------------------------------------------------
// -T Test (VS Code's CMake Tools runs it and reads Test.xml): the console's
// header, Testing/TAG, Testing/<tag>/Test.xml and the tagged failed-tests
// log, against ctest's. A test's output is compared where it ran alone
// (plain tests); a regrouped gtest case's output is its share of the
// group's process, where ctest's is the whole process' output.

namespace {
struct XmlTest {
    QString status, path, fullName, commandLine;
    QMap<QString, QString> measurements; // NamedMeasurement name -> value
    QByteArray output; // <Measurement><Value>, decoded
    QStringList labels;
};
struct TestXmlDocument {
    QString error;
    QStringList testList;
    QMap<QString, XmlTest> tests; // by Name
    QStringList order; // Names in document order
};

TestXmlDocument readTestXml(const QString &path)
{
    TestXmlDocument document;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        document.error = QStringLiteral("cannot read %1").arg(path);
        return document;
    }
    QXmlStreamReader xml(&file);
    XmlTest current;
    QString name, measurement;
    bool inList = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QStringRef element = xml.name();
            if (element == QLatin1String("TestList")) {
                inList = true;
            } else if (element == QLatin1String("Test") && inList) {
                document.testList << xml.readElementText();
            } else if (element == QLatin1String("Test")) {
                current = XmlTest();
                current.status = xml.attributes().value(QLatin1String("Status")).toString();
            } else if (element == QLatin1String("Name")) {
                name = xml.readElementText();
            } else if (element == QLatin1String("Path")) {
                current.path = xml.readElementText();
            } else if (element == QLatin1String("FullName")) {
                current.fullName = xml.readElementText();
            } else if (element == QLatin1String("FullCommandLine")) {
                current.commandLine = xml.readElementText();
            } else if (element == QLatin1String("NamedMeasurement")) {
                measurement = xml.attributes().value(QLatin1String("name")).toString();
            } else if (element == QLatin1String("Measurement")) {
                measurement.clear();
            } else if (element == QLatin1String("Value")) {
                const bool compressed = xml.attributes().value(QLatin1String("compression")) == QLatin1String("gzip");
                const QString text = xml.readElementText();
                if (!measurement.isEmpty()) {
                    current.measurements.insert(measurement, text);
                } else if (compressed) {
                    // cmsys base64 (an end mark "====" after whole groups), then zlib.
                    QByteArray zlib = QByteArray::fromBase64(text.toLatin1().replace("====", ""));
                    const quint32 size = 64 * 1024 * 1024;
                    zlib.prepend(char(size >> 24))
                        .insert(1, char(size >> 16))
                        .insert(2, char(size >> 8))
                        .insert(3, char(size));
                    current.output = qUncompress(zlib);
                } else {
                    current.output = text.toUtf8();
                }
            } else if (element == QLatin1String("Label")) {
                current.labels << xml.readElementText();
            }
        } else if (xml.isEndElement()) {
            if (xml.name() == QLatin1String("TestList")) {
                inList = false;
            } else if (xml.name() == QLatin1String("Test") && !inList && !name.isEmpty()) {
                document.tests.insert(name, current);
                document.order << name;
                name.clear();
            }
        }
    }
    if (xml.hasError())
        document.error = QStringLiteral("%1: %2").arg(path, xml.errorString());
    return document;
}
} // namespace

void TestCtestAgreement::dashboardTest()
{
    const auto run = [&](Tool tool) {
        resetBuildTree();
        QDir(m_build + QStringLiteral("/Testing")).removeRecursively();
        return runTool(toolPath(tool),
            {QStringLiteral("--test-dir"), m_build, QStringLiteral("-T"), QStringLiteral("test")}, cleanEnvironment(),
            m_work);
    };
    const auto tagOf = [this] {
        QFile file(m_build + QStringLiteral("/Testing/TAG"));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'))
                                              : QStringList();
    };
    // What is not the run's: the tag (a time), times, and ctest's LastTest.log hint.
    const auto header = [](const QByteArray &out, const QString &tag) {
        QStringList lines;
        for (const QString &line : QString::fromUtf8(out).split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("Test project")))
                break;
            lines << QString(line).replace(tag, QStringLiteral("<tag>"));
        }
        return lines;
    };

    const ToolRun ctest = run(Tool::CTest);
    QCOMPARE(ctest.exitCode, 8);
    const QStringList ctestTag = tagOf();
    QCOMPARE(ctestTag.size(), 4); // three lines
    QCOMPARE(
        ctestTag.mid(1), (QStringList {QStringLiteral("Experimental"), QStringLiteral("Experimental"), QString()}));
    const TestXmlDocument ctestXml
        = readTestXml(QStringLiteral("%1/Testing/%2/Test.xml").arg(m_build, ctestTag.first()));
    QVERIFY2(ctestXml.error.isEmpty(), qPrintable(ctestXml.error));
    QCOMPARE(ctestXml.tests.size(), 58);
    const QByteArray ctestFailed
        = readFileOrNull(QStringLiteral("%1/Testing/Temporary/LastTestsFailed_%2.log").arg(m_build, ctestTag.first()));
    QVERIFY(!ctestFailed.isEmpty());
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");

    const ToolRun ctestd = run(Tool::Ctestd);
    const QString details = bothOutputs(ctest, ctestd);
    QVERIFY2(ctestd.exitCode == ctest.exitCode, qPrintable(details));
    const QStringList ctestdTag = tagOf();
    QCOMPARE(ctestdTag.mid(1), ctestTag.mid(1));
    QCOMPARE(header(ctestd.out, ctestdTag.first()), header(ctest.out, ctestTag.first()));
    QCOMPARE(QString::fromUtf8(ctestd.err).count(QStringLiteral("Cannot find file:")),
        QString::fromUtf8(ctest.err).count(QStringLiteral("Cannot find file:")));
    const TestXmlDocument ctestdXml
        = readTestXml(QStringLiteral("%1/Testing/%2/Test.xml").arg(m_build, ctestdTag.first()));
    QVERIFY2(ctestdXml.error.isEmpty(), qPrintable(ctestdXml.error));
    QCOMPARE(ctestdXml.testList, ctestXml.testList);
    QCOMPARE(ctestdXml.order, ctestXml.order);
    QCOMPARE(
        readFileOrNull(QStringLiteral("%1/Testing/Temporary/LastTestsFailed_%2.log").arg(m_build, ctestdTag.first())),
        ctestFailed);

    QStringList problems;
    for (const QString &name : qAsConst(ctestXml.order)) {
        const XmlTest &a = ctestXml.tests[name];
        const XmlTest &b = ctestdXml.tests[name];
        const auto differ = [&](const QString &what, const QString &x, const QString &y) {
            if (x != y)
                problems << QStringLiteral("%1 %2: ctest %3, ctestd %4").arg(name, what, quoted(x), quoted(y));
        };
        differ(QStringLiteral("Status"), a.status, b.status);
        differ(QStringLiteral("Path"), a.path, b.path);
        differ(QStringLiteral("FullName"), a.fullName, b.fullName);
        differ(QStringLiteral("FullCommandLine"), a.commandLine, b.commandLine);
        differ(QStringLiteral("Labels"), a.labels.join(QLatin1Char(',')), b.labels.join(QLatin1Char(',')));
        for (const char *measurement :
            {"Exit Code", "Completion Status", "Fail Reason", "Command Line", "Environment", "Processors"})
            differ(QString::fromLatin1(measurement), a.measurements.value(QLatin1String(measurement)),
                b.measurements.value(QLatin1String(measurement)));
        // Exit Value is a plain test's own; a regrouped case has none.
        if (b.measurements.contains(QStringLiteral("Exit Value")) || m_testByName[name].gtestFilter().isEmpty())
            differ(QStringLiteral("Exit Value"), a.measurements.value(QStringLiteral("Exit Value")),
                b.measurements.value(QStringLiteral("Exit Value")));
        differ(QStringLiteral("has Execution Time"),
            a.measurements.contains(QStringLiteral("Execution Time")) ? QStringLiteral("yes") : QStringLiteral("no"),
            b.measurements.contains(QStringLiteral("Execution Time")) ? QStringLiteral("yes") : QStringLiteral("no"));
        if (m_testByName[name].gtestFilter().isEmpty())
            differ(QStringLiteral("output"), QString::fromUtf8(a.output), QString::fromUtf8(b.output));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n')) + details));
}

// ---------------------------------------------------------------------------
// -V (and -VV, the same in a test run) on tests that run as ctest runs them:
// every line of stdout, times aside. A regrouped gtest case's -V differs
// (its process is the group's), so the selection has none.

void TestCtestAgreement::verbose_data()
{
    QTest::addColumn<QStringList>("options");
    const QString plain = QStringLiteral("plain|regex|skip|willfail|missing|disabled|fixture_");
    QTest::newRow("-V -R") << QStringList {QStringLiteral("-V"), QStringLiteral("-R"), plain};
    QTest::newRow("-VV -R") << QStringList {QStringLiteral("-VV"), QStringLiteral("-R"), plain};
    QTest::newRow("-V -E") << QStringList {QStringLiteral("--verbose"), QStringLiteral("-E"),
        QStringLiteral("Fx|Typed|Whole|Nums|Fallback|NoFixture|timeout|lock|serial|order|env|workdir")};
}

void TestCtestAgreement::verbose()
{
    QFETCH(QStringList, options);
    const auto run = [&](Tool tool) {
        resetBuildTree();
        const ToolRun result = runTool(
            toolPath(tool), QStringList {QStringLiteral("--test-dir"), m_build} + options, cleanEnvironment(), m_work);
        static const QRegularExpression seconds(QStringLiteral("[0-9.]+ sec"));
        QStringList lines;
        for (QString line : QString::fromUtf8(result.out).split(QLatin1Char('\n')))
            lines << line.replace(seconds, QStringLiteral("<T> sec"));
        return qMakePair(result, lines);
    };
    const auto ctest = run(Tool::CTest);
    QCOMPARE(ctest.first.exitCode, 8);
    QVERIFY(ctest.second.contains(QStringLiteral("Checking test dependency graph end")));
    if (m_ctestOnly)
        QSKIP("CTESTD_AGREEMENT_CTEST_ONLY: ctestd half not run");
    const auto ctestd = run(Tool::Ctestd);
    QCOMPARE(ctestd.first.exitCode, ctest.first.exitCode);
    const QString difference = firstDifference(QStringLiteral("stdout"), ctest.second, ctestd.second);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

QTEST_GUILESS_MAIN(TestCtestAgreement)
#include "tst_ctest_agreement.moc"
