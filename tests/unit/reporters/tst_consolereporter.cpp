// SPDX-License-Identifier: BSD-3-Clause
// Tests for ConsoleReporter and its formatting helpers.
//
// The golden files in data/console_*.out/.err started as the real output of
// ctest 3.25.1 (`ctest` and `ctest -j2 --output-on-failure`) on a CMake project
// whose add_test() commands pass, fail, kill themselves with signals, time out,
// skip and are disabled, with the same names, times and interleaving as
// mixedRun() below. Only the project path and the "Total Test time" figure are
// normalised (normalise()). So a golden mismatch means "differs from ctest".
//
// Regenerating: CTESTD_REGENERATE_GOLDEN=1 ctest -R unit.tst_consolereporter
// rewrites the golden files from the current output. Review the diff against a
// real ctest run before committing it.

#include "goldenfile.h"
#include "reporters/consolereporter.h"

#include <QBuffer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace ctestd;

namespace {

const QString kProject = QStringLiteral("/home/user/project/build");

QByteArray normalise(QByteArray text)
{
    text.replace(kProject.toUtf8(), "<build>");
    const QString normalised = QString::fromUtf8(text).replace(
        QRegularExpression(QStringLiteral("Total Test time \\(real\\) = +[0-9]+\\.[0-9]{2} sec")),
        QStringLiteral("Total Test time (real) = <time> sec"));
    return normalised.toUtf8();
}

// Compares with data/<name>, or rewrites it (CTESTD_REGENERATE_GOLDEN=1).
#define COMPARE_GOLDEN(name, actual)                                                                                   \
    do {                                                                                                               \
        const QString goldenProblem = goldenFileProblem(QStringLiteral(CTESTD_TEST_DATA_DIR "/") + name, actual);      \
        QVERIFY2(goldenProblem.isEmpty(), qPrintable(goldenProblem));                                                  \
    } while (false)

TestCase makeCase(int index, const QString &displayName)
{
    TestCase c;
    c.index = index;
    c.executable = QStringLiteral("/home/user/project/build/tst_demo");
    const int dot = displayName.indexOf(QLatin1Char('.'));
    c.suite = dot < 0 ? QString() : displayName.left(dot);
    c.name = displayName.mid(dot + 1);
    c.displayName = displayName;
    return c;
}

CaseResult makeResult(Status status, double seconds = 0.0, const QByteArray &out = {}, const QByteArray &err = {})
{
    CaseResult r;
    r.status = status;
    r.seconds = seconds;
    r.stdOut = out;
    r.stdErr = err;
    return r;
}

CaseResult crash(int signal, const QByteArray &out = {}, const QByteArray &err = {})
{
    CaseResult r = makeResult(Status::Crashed, 0.0, out, err);
    r.signal = signal;
    return r;
}

// The cases of the captured ctest project, one per status and per signal kind.
struct Run {
    QVector<TestCase> cases;
    QVector<CaseResult> results;
};

Run mixedRun()
{
    Run run;
    const auto add = [&run](const QString &name, const CaseResult &result) {
        run.cases.append(makeCase(run.cases.size() + 1, name));
        run.results.append(result);
    };
    CaseResult failed = makeResult(Status::Failed, 0.05, "to-stdout\n", "to-stderr\n");
    failed.message = QStringLiteral("exit code 1");
    CaseResult notRun = makeResult(Status::NotRun);
    notRun.message = QStringLiteral("Unable to find required file: /nonexistent/file");

    add(QStringLiteral("Math.Add"), makeResult(Status::Passed, 0.0, "hello\n"));
    add(QStringLiteral("Math.Fail"), failed);
    add(QStringLiteral("Math.Skip"), makeResult(Status::Skipped, 0.0, "skipping\n"));
    add(QStringLiteral("Math.Off"), makeResult(Status::Disabled));
    add(QStringLiteral("Crash.Segv"), crash(SIGSEGV, "before-segv\n"));
    add(QStringLiteral("Crash.Abort"), crash(SIGABRT, {}, "before-abort\n"));
    add(QStringLiteral("Crash.Ill"), crash(SIGILL));
    add(QStringLiteral("Crash.Fpe"), crash(SIGFPE));
    add(QStringLiteral("Crash.Int"), crash(SIGINT));
    add(QStringLiteral("Crash.Kill"), crash(SIGKILL));
    add(QStringLiteral("Crash.Term"), crash(SIGTERM));
    add(QStringLiteral("Crash.Bus"), crash(SIGBUS));
    add(QStringLiteral("Slow.Sleep"), makeResult(Status::Timeout, 1.0, "sleeping\n"));
    add(QStringLiteral("Plain.NoNewline"), makeResult(Status::Failed, 0.0, "no-newline"));
    add(QStringLiteral("Plain.EmptyFail"), makeResult(Status::Failed));
    add(QStringLiteral("Plain.MissingFile"), notRun);
    add(QStringLiteral("Really.A_rather_long_test_name_that_exceeds_thirty"), makeResult(Status::Passed));
    add(QStringLiteral("Math.Sub"), makeResult(Status::Passed));
    return run;
}

struct Captured {
    QByteArray out;
    QByteArray err;
    int exitCode = -1;
};

// Replays events like "S1 S2 F1 ..." (Start / Finish of #K) through a reporter.
Captured replay(const Run &run, const QString &events, const ConsoleOptions &options, double wallSeconds = 1.02,
    QIODevice *terminal = nullptr)
{
    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    ConsoleReporter reporter(&out, &err, options, terminal);
    RunStart start;
    start.projectDirectory = kProject;
    start.cases = run.cases;
    reporter.runStarted(start);
    const QStringList steps = events.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &step : steps) {
        const int k = step.mid(1).toInt();
        int i = 0;
        while (run.cases.at(i).index != k)
            ++i;
        if (step.startsWith(QLatin1Char('S')))
            reporter.caseStarted(run.cases.at(i));
        else
            reporter.caseFinished(run.cases.at(i), run.results.at(i));
    }
    Captured captured;
    RunEnd end;
    for (int i = 0; i < run.cases.size(); ++i)
        end.cases.append({run.cases[i], run.results.value(i), true, false});
    end.wallSeconds = wallSeconds;
    captured.exitCode = reporter.runFinished(end, ctestExitCode(run.results));
    captured.out = out.data();
    captured.err = err.data();
    return captured;
}

QString serialEvents(int count)
{
    QStringList events;
    for (int k = 1; k <= count; ++k)
        events << QStringLiteral("S%1 F%1").arg(k);
    return events.join(QLatin1Char(' '));
}

// The order ctest -j2 printed in the capture: the first two Start lines
// together, then each completion followed by the next Start; Math.Fail and
// Slow.Sleep finish late.
const QString kJ2Events = QStringLiteral("S1 S2 F1 S3 F3 S4 F4 S5 F5 S6 F6 S7 F7 S8 F8 S9 F9 S10 F10 S11 F11 S12 F12 "
                                         "S13 F2 S14 F14 S15 F15 S16 F16 S17 F17 S18 F18 F13");

} // namespace

class TestConsoleReporter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mixedRunJ2OutputOnFailure();
    void mixedRunSerialWithLogHints();
    void allPassed();
    void colorsOnATerminal();
    void statusLineStaysOnTheTerminal();
    void durations();
    void startAndResultLines_data();
    void startAndResultLines();
    void layoutCountsUtf8Bytes();
    void percentLine_data();
    void percentLine();
    void totalTimeLine_data();
    void totalTimeLine();
    void listEntry();
    void caseOutput_data();
    void caseOutput();
    void outputOnlyForFailures();
    void exitCodes_data();
    void exitCodes();
    void noTestsFound();
    void quietPrintsNothing();
    void verbose();
    void flushesFileDevices();
};

void TestConsoleReporter::mixedRunJ2OutputOnFailure()
{
    ConsoleOptions options;
    options.outputOnFailure = true;
    // A log path is set on purpose: ctest omits the hints under --output-on-failure.
    options.lastTestLogPath = kProject + QStringLiteral("/Testing/Temporary/LastTest.log");
    const Captured captured = replay(mixedRun(), kJ2Events, options);
    QCOMPARE(captured.exitCode, 8);
    COMPARE_GOLDEN(QStringLiteral("console_j2_output_on_failure.out"), normalise(captured.out));
    COMPARE_GOLDEN(QStringLiteral("console_j2_output_on_failure.err"), normalise(captured.err));
}

void TestConsoleReporter::mixedRunSerialWithLogHints()
{
    ConsoleOptions options;
    options.lastTestLogPath = kProject + QStringLiteral("/Testing/Temporary/LastTest.log");
    const Run run = mixedRun();
    const Captured captured = replay(run, serialEvents(run.cases.size()), options, 1.08);
    QCOMPARE(captured.exitCode, 8);
    COMPARE_GOLDEN(QStringLiteral("console_serial.out"), normalise(captured.out));
    COMPARE_GOLDEN(QStringLiteral("console_serial.err"), normalise(captured.err));

    // Without a log path the hints that would name it are left out.
    const Captured noLog = replay(run, serialEvents(run.cases.size()), ConsoleOptions {}, 1.08);
    QCOMPARE(noLog.out, captured.out);
    QCOMPARE(noLog.err,
        QByteArray("Unable to find required file: /nonexistent/file\n"
                   "Errors while running CTest\n"));
}

void TestConsoleReporter::allPassed()
{
    // Captured from ctest -j2 on three passing tests.
    Run run;
    run.cases = {makeCase(1, QStringLiteral("Math.Add")), makeCase(2, QStringLiteral("Math.Sub")),
        makeCase(3, QStringLiteral("Math.Mul"))};
    run.results = {makeResult(Status::Passed), makeResult(Status::Passed), makeResult(Status::Passed)};
    const Captured captured = replay(run, QStringLiteral("S1 S2 F1 S3 F2 F3"), ConsoleOptions {}, 0.0);
    QCOMPARE(captured.exitCode, 0);
    QCOMPARE(captured.err, QByteArray());
    QCOMPARE(captured.out,
        QByteArray("Test project /home/user/project/build\n"
                   "    Start 1: Math.Add\n"
                   "    Start 2: Math.Sub\n"
                   "1/3 Test #1: Math.Add .........................   Passed    0.00 sec\n"
                   "    Start 3: Math.Mul\n"
                   "2/3 Test #2: Math.Sub .........................   Passed    0.00 sec\n"
                   "3/3 Test #3: Math.Mul .........................   Passed    0.00 sec\n"
                   "\n"
                   "100% tests passed, 0 tests failed out of 3\n"
                   "\n"
                   "Total Test time (real) =   0.00 sec\n"));
}

void TestConsoleReporter::colorsOnATerminal()
{
    // The summary in ctest 3.25.1's colours (captured from `script -qc ctest`),
    // and each result line's status in its own.
    Run run;
    run.cases = {makeCase(1, QStringLiteral("ok")), makeCase(2, QStringLiteral("bad")),
        makeCase(3, QStringLiteral("off")), makeCase(4, QStringLiteral("skip"))};
    run.results = {makeResult(Status::Passed), makeResult(Status::Failed), makeResult(Status::Disabled),
        makeResult(Status::Skipped)};
    ConsoleOptions options;
    options.color = true;
    options.labelSummary = false;
    const Captured captured = replay(run, QStringLiteral("S1 F1 S2 F2 S3 F3 S4 F4"), options, 0.0);
    // Line by line, so that a difference names its line.
    QCOMPARE(captured.out.split('\n'),
        QByteArray(
            "Test project /home/user/project/build\n"
            "    Start 1: ok\n"
            "1/4 Test #1: ok ...............................   \033[0;32mPassed\033[0;0m    0.00 sec\n"
            "    Start 2: bad\n"
            "2/4 Test #2: bad ..............................\033[0;31m***Failed\033[0;0m    0.00 sec\n"
            "    Start 3: off\n"
            "3/4 Test #3: off ..............................\033[0;34m***Not Run (Disabled)\033[0;0m   0.00 sec\n"
            "    Start 4: skip\n"
            "4/4 Test #4: skip .............................\033[0;34m***Skipped\033[0;0m   0.00 sec\n"
            "\n"
            "67% tests passed\033[0;0m, \033[0;31m1 tests failed\033[0;0m out of 3\n"
            "\n"
            "Total Test time (real) =   0.00 sec\n"
            "\n"
            "The following tests did not run:\n"
            "\033[0;34m\t  3 - off (Disabled)\n"
            "\t  4 - skip (Skipped)\n"
            "\033[0;0m\n"
            "The following tests FAILED:\n"
            "\t\033[0;31m  2 - bad (Failed)\033[0;0m\n")
            .split('\n'));
    QCOMPARE(formatPercentLine(3, 0, true),
        QByteArray("\033[0;32m100% tests passed\033[0;0m, 0 tests failed\033[0;0m out of 3"));
}

void TestConsoleReporter::statusLineStaysOnTheTerminal()
{
    // The live line goes to the terminal device only: the console stream
    // (which -O copies into its log) keeps ctest's lines exactly.
    Run run;
    run.cases = {makeCase(1, QStringLiteral("Math.Add")), makeCase(2, QStringLiteral("Math.Fail"))};
    run.results = {makeResult(Status::Passed), makeResult(Status::Failed)};
    ConsoleOptions options;
    options.statusLine = true;
    QBuffer terminal;
    QVERIFY(terminal.open(QIODevice::WriteOnly));
    const Captured plain = replay(run, QStringLiteral("S1 F1 S2 F2"), ConsoleOptions {}, 0.0);
    const Captured live = replay(run, QStringLiteral("S1 F1 S2 F2"), options, 0.0, &terminal);
    QCOMPARE(live.out, plain.out);
    QVERIFY2(terminal.data().contains("\r[0/2] 0 s  running 1: Math.Add\033[K"), terminal.data().constData());
    QVERIFY(terminal.data().contains("\r[1/2] 0 s  running 1: Math.Fail\033[K"));
    QVERIFY(terminal.data().endsWith("\r\033[K")); // gone before the summary

    // --progress: a passing test's Start and result lines only in the live
    // line, as ctest --progress does on a terminal; failures stay.
    options.progress = true;
    QBuffer progressTerminal;
    QVERIFY(progressTerminal.open(QIODevice::WriteOnly));
    const Captured progress = replay(run, QStringLiteral("S1 F1 S2 F2"), options, 0.0, &progressTerminal);
    QVERIFY(!progress.out.contains("Start"));
    QVERIFY(!progress.out.contains("Math.Add ..."));
    QVERIFY(progress.out.contains("2/2 Test #2: Math.Fail ........................***Failed    0.00 sec\n"));
    // Without a terminal (a pipe, a file) there is no live line to collapse into.
    options.statusLine = false;
    QCOMPARE(replay(run, QStringLiteral("S1 F1 S2 F2"), options, 0.0).out, plain.out);
}

void TestConsoleReporter::durations()
{
    RunEnd end;
    const auto add = [&end](int index, const char *name, double seconds, bool dispatched = true) {
        CaseResult result = makeResult(Status::Passed);
        result.seconds = seconds;
        end.cases.append({makeCase(index, QString::fromUtf8(name)), result, dispatched, false});
    };
    add(1, "Db.Open", 1.0);
    add(2, "Db.Query", 0.25);
    add(3, "plain", 2.0);
    add(4, "Off", 0.0, false); // never ran: not among the slowest
    ProcessRecord db {QStringLiteral("/b/db_tests"), QStringLiteral("Db"), {0, 1}, 4.75, 1.25, {}, {}, {}, {}};
    ProcessRecord plain {
        QStringLiteral("/bin/sh"), QStringLiteral("3"), {2}, 2.0, 2.5, {}, {}, {}, {}}; // never below zero
    end.processes = {plain, db};
    QCOMPARE(formatDurations(end, 0),
        QByteArray("\nSlowest 3 tests:\n"
                   "    2.00 sec  plain\n"
                   "    1.00 sec  Db.Open\n"
                   "    0.25 sec  Db.Query\n"
                   "\nSlowest 2 test processes (fixture: the process's time beyond its tests' own):\n"
                   "    4.75 sec  fixture   3.50 sec  db_tests Db (2 tests)\n"
                   "    2.00 sec  fixture   0.00 sec  plain (1 test)\n"));
    QVERIFY(formatDurations(end, 1).startsWith("\nSlowest 1 tests:\n    2.00 sec  plain\n\nSlowest 1 test processes"));
}

void TestConsoleReporter::startAndResultLines_data()
{
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("maxIndex");
    QTest::addColumn<int>("nameWidth");
    QTest::addColumn<int>("completed");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("signal");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QByteArray>("startLine");
    QTest::addColumn<QByteArray>("resultLine");

    // Every expected line below was printed by ctest 3.25.1.
    QTest::newRow("1 digit") << 5 << 5 << 30 << 1 << 1 << QStringLiteral("a") << int(Status::Passed) << 0 << 0.0
                             << QByteArray("    Start 1: a")
                             << QByteArray("1/5 Test #1: a ................................   Passed    0.00 sec");
    QTest::newRow("2 digits, long names")
        << 22 << 22 << 40 << 5 << 5 << QStringLiteral("timeout1") << int(Status::Timeout) << 0 << 1.0
        << QByteArray("      Start  5: timeout1")
        << QByteArray(" 5/22 Test  #5: timeout1 ...................................***Timeout   1.00 sec");
    QTest::newRow("max index wider than total")
        << 3 << 12 << 30 << 3 << 12 << QStringLiteral("termd") << int(Status::Crashed) << int(SIGTERM) << 0.0
        << QByteArray("    Start 12: termd")
        << QByteArray("3/3 Test #12: termd ............................Subprocess terminated***Exception:   0.00 sec");
    QTest::newRow("narrow index under wide max")
        << 3 << 12 << 30 << 2 << 8 << QStringLiteral("ill") << int(Status::Crashed) << int(SIGILL) << 0.0
        << QByteArray("    Start  8: ill")
        << QByteArray("2/3 Test  #8: ill ..............................***Exception: Illegal  0.00 sec");
    QTest::newRow("3 digits") << 200 << 200 << 30 << 1 << 200 << QStringLiteral("f1") << int(Status::Failed) << 0
                              << 0.01 << QByteArray("        Start 200: f1")
                              << QByteArray(
                                     "  1/200 Test #200: f1 ...............................***Failed    0.01 sec");
    QTest::newRow("3 digits, small index")
        << 200 << 200 << 30 << 94 << 94 << QStringLiteral("p94") << int(Status::Passed) << 0 << 0.01
        << QByteArray("        Start  94: p94")
        << QByteArray(" 94/200 Test  #94: p94 ..............................   Passed    0.01 sec");
    QTest::newRow("disabled") << 18 << 18 << 50 << 3 << 4 << QStringLiteral("Math.Off") << int(Status::Disabled) << 0
                              << 0.0 << QByteArray("      Start  4: Math.Off")
                              << QByteArray(" 3/18 Test  #4: Math.Off ............................................."
                                            "***Not Run (Disabled)   0.00 sec");
    QTest::newRow("not run")
        << 22 << 22 << 40 << 20 << 20 << QStringLiteral("notfound") << int(Status::NotRun) << 0 << 0.0
        << QByteArray("      Start 20: notfound")
        << QByteArray("20/22 Test #20: notfound ...................................***Not Run   0.00 sec");
    QTest::newRow("skipped")
        << 22 << 22 << 40 << 7 << 7 << QStringLiteral("skip1") << int(Status::Skipped) << 0 << 0.0
        << QByteArray("      Start  7: skip1")
        << QByteArray(" 7/22 Test  #7: skip1 ......................................***Skipped   0.00 sec");
    QTest::newRow("longest name gets 3 dots")
        << 22 << 22 << 40 << 21 << 21 << QStringLiteral("a_rather_long_test_name_exceeding_thirty")
        << int(Status::Passed) << 0 << 0.0 << QByteArray("      Start 21: a_rather_long_test_name_exceeding_thirty")
        << QByteArray("21/22 Test #21: a_rather_long_test_name_exceeding_thirty ...   Passed    0.00 sec");
}

void TestConsoleReporter::startAndResultLines()
{
    QFETCH(int, total);
    QFETCH(int, maxIndex);
    QFETCH(int, nameWidth);
    QFETCH(int, completed);
    QFETCH(int, index);
    QFETCH(QString, name);
    QFETCH(int, status);
    QFETCH(int, signal);
    QFETCH(double, seconds);
    QFETCH(QByteArray, startLine);
    QFETCH(QByteArray, resultLine);

    ConsoleLayout layout;
    layout.total = total;
    layout.maxIndex = maxIndex;
    layout.nameWidth = nameWidth;
    TestCase testCase = makeCase(index, name);
    CaseResult result = makeResult(static_cast<Status>(status), seconds);
    result.signal = signal;
    QCOMPARE(formatStartLine(layout, testCase), startLine);
    QCOMPARE(formatResultLine(layout, completed, testCase, result), resultLine);
}

void TestConsoleReporter::layoutCountsUtf8Bytes()
{
    // ctest pads by std::string::size(): this 31-character name is 50 bytes.
    const QString unicode = QStringLiteral("Ünïcödé_ÄÖÜ_äöü_ßßß_ëëë_ïïï_ooo");
    QCOMPARE(unicode.size(), 31);
    const QVector<TestCase> cases = {makeCase(1, unicode), makeCase(2, QStringLiteral("b"))};
    const ConsoleLayout layout = consoleLayout(cases);
    QCOMPARE(layout.total, 2);
    QCOMPARE(layout.maxIndex, 2);
    QCOMPARE(layout.nameWidth, 50);
    QCOMPARE(formatResultLine(layout, 2, cases[1], makeResult(Status::Passed)),
        QByteArray("2/2 Test #2: b ....................................................   Passed    0.00 sec"));
    QCOMPARE(formatResultLine(layout, 1, cases[0], makeResult(Status::Passed)),
        "1/2 Test #1: " + unicode.toUtf8() + " ...   Passed    0.00 sec");

    // Short names keep ctest's minimum width of 30; the widest index sets #K's field.
    const ConsoleLayout small = consoleLayout({makeCase(3, QStringLiteral("x")), makeCase(120, QStringLiteral("y"))});
    QCOMPARE(small.nameWidth, 30);
    QCOMPARE(small.maxIndex, 120);
    QCOMPARE(small.total, 2);
    // -W 5: ctest 3.25.1 prints "slow1 ..." for a 5-character name, and
    // "failing ..." for a 7-character one (the longest name still wins).
    const QVector<TestCase> named {makeCase(1, QStringLiteral("slow1")), makeCase(2, QStringLiteral("failing"))};
    QCOMPARE(formatResultLine(consoleLayout({named[0]}, 5), 1, named[0], makeResult(Status::Passed)),
        QByteArray("1/1 Test #1: slow1 ...   Passed    0.00 sec"));
    QCOMPARE(formatResultLine(consoleLayout(named, 5), 2, named[1], makeResult(Status::Passed)),
        QByteArray("2/2 Test #2: failing ...   Passed    0.00 sec"));

    // Without a display name the console shows suite.name.
    TestCase bare;
    bare.suite = QStringLiteral("Suite");
    bare.name = QStringLiteral("Case");
    QCOMPARE(consoleName(bare), QStringLiteral("Suite.Case"));
    bare.suite.clear();
    QCOMPARE(consoleName(bare), QStringLiteral("Case"));
}

void TestConsoleReporter::percentLine_data()
{
    QTest::addColumn<int>("passed");
    QTest::addColumn<int>("failed");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("all passed") << 3 << 0 << QByteArray("100% tests passed, 0 tests failed out of 3");
    QTest::newRow("none passed") << 0 << 3 << QByteArray("0% tests passed, 3 tests failed out of 3");
    // Captured: 199 passing tests and one failure would round to 100%.
    QTest::newRow("99% cap") << 199 << 1 << QByteArray("99% tests passed, 1 tests failed out of 200");
    QTest::newRow("99.4% capped") << 994 << 6 << QByteArray("99% tests passed, 6 tests failed out of 1000");
    QTest::newRow("98.5% rounds up") << 197 << 3 << QByteArray("99% tests passed, 3 tests failed out of 200");
    // Captured: halves round away from zero.
    QTest::newRow("12.5%") << 1 << 7 << QByteArray("13% tests passed, 7 tests failed out of 8");
    QTest::newRow("37.5%") << 3 << 5 << QByteArray("38% tests passed, 5 tests failed out of 8");
    QTest::newRow("capture 4") << 3 << 1 << QByteArray("75% tests passed, 1 tests failed out of 4");
    QTest::newRow("capture 21") << 4 << 17 << QByteArray("19% tests passed, 17 tests failed out of 21");
    QTest::newRow("2/3") << 2 << 1 << QByteArray("67% tests passed, 1 tests failed out of 3");
}

void TestConsoleReporter::percentLine()
{
    QFETCH(int, passed);
    QFETCH(int, failed);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatPercentLine(passed, failed), expected);
}

void TestConsoleReporter::totalTimeLine_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("captured") << 1.02 << QByteArray("Total Test time (real) =   1.02 sec");
    QTest::newRow("zero") << 0.0 << QByteArray("Total Test time (real) =   0.00 sec");
    // printf rounds the exact binary value half to even: 0.125 is exact.
    QTest::newRow("tie") << 0.125 << QByteArray("Total Test time (real) =   0.12 sec");
    QTest::newRow("wide") << 1234.567 << QByteArray("Total Test time (real) = 1234.57 sec");
}

void TestConsoleReporter::totalTimeLine()
{
    QFETCH(double, seconds);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatTotalTimeLine(seconds), expected);
}

void TestConsoleReporter::listEntry()
{
    QCOMPARE(formatListEntry(5, QStringLiteral("Crash.Segv"), QStringLiteral("SEGFAULT")),
        QByteArray("\t  5 - Crash.Segv (SEGFAULT)"));
    QCOMPARE(formatListEntry(200, QStringLiteral("f1"), QStringLiteral("Failed")), QByteArray("\t200 - f1 (Failed)"));
    QCOMPARE(formatListEntry(1234, QStringLiteral("x"), QStringLiteral("Timeout")), QByteArray("\t1234 - x (Timeout)"));
}

void TestConsoleReporter::caseOutput_data()
{
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::addColumn<QByteArray>("expected");
    // Captured: ctest ends every block with a blank line, completes a partial last
    // line, splits at NUL and drops the CR of CRLF.
    QTest::newRow("lines") << QByteArray("to-stdout\n") << QByteArray("to-stderr\n")
                           << QByteArray("to-stdout\nto-stderr\n\n");
    QTest::newRow("empty") << QByteArray() << QByteArray() << QByteArray("\n");
    QTest::newRow("no newline") << QByteArray("no-newline") << QByteArray() << QByteArray("no-newline\n\n");
    QTest::newRow("cr and nul") << QByteArray("x\r\ny\0z", 7) << QByteArray() << QByteArray("x\ny\nz\n\n");
    QTest::newRow("several crs") << QByteArray("a\r\r\n") << QByteArray() << QByteArray("a\n\n");
    QTest::newRow("blank lines kept") << QByteArray("\n\nb\n") << QByteArray() << QByteArray("\n\nb\n\n");
    QTest::newRow("streams not glued") << QByteArray("partial") << QByteArray("err\n")
                                       << QByteArray("partial\nerr\n\n");
    QTest::newRow("bytes kept") << QByteArray("\xff\x1b[31mred\x1b[0m\n") << QByteArray()
                                << QByteArray("\xff\x1b[31mred\x1b[0m\n\n");
}

void TestConsoleReporter::caseOutput()
{
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, err);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatCaseOutput(makeResult(Status::Failed, 0.0, out, err)), expected);
}

void TestConsoleReporter::outputOnlyForFailures()
{
    // Failed, Timeout and Exception show their output; Passed, Skipped, Disabled
    // and Not Run do not, even when they have some.
    Run run;
    const QVector<Status> statuses = {Status::Passed, Status::Skipped, Status::Disabled, Status::NotRun, Status::Failed,
        Status::Timeout, Status::Crashed};
    for (int i = 0; i < statuses.size(); ++i) {
        run.cases.append(makeCase(i + 1, QStringLiteral("T.%1").arg(statusName(statuses[i]))));
        CaseResult r = makeResult(statuses[i], 0.0, "out-" + statusName(statuses[i]).toUtf8() + '\n');
        r.signal = SIGSEGV;
        run.results.append(r);
    }
    ConsoleOptions options;
    options.outputOnFailure = true;
    const Captured captured = replay(run, serialEvents(run.cases.size()), options);
    QVERIFY(!captured.out.contains("out-passed"));
    QVERIFY(!captured.out.contains("out-skipped"));
    QVERIFY(!captured.out.contains("out-disabled"));
    QVERIFY(!captured.out.contains("out-notrun"));
    QVERIFY(captured.out.contains("***Failed    0.00 sec\nout-failed\n\n    Start 6"));
    QVERIFY(captured.out.contains("***Timeout   0.00 sec\nout-timeout\n\n    Start 7"));
    QVERIFY(captured.out.contains("***Exception: SegFault  0.00 sec\nout-crashed\n\n\n33% tests"));

    // Without the option nothing is shown.
    const Captured plain = replay(run, serialEvents(run.cases.size()), ConsoleOptions {});
    QVERIFY(!plain.out.contains("out-"));
}

void TestConsoleReporter::exitCodes_data()
{
    QTest::addColumn<QVector<int>>("statuses");
    QTest::addColumn<int>("exitCode");
    const auto list = [](std::initializer_list<Status> s) {
        QVector<int> v;
        for (Status x : s)
            v.append(int(x));
        return v;
    };
    QTest::newRow("passed") << list({Status::Passed}) << 0;
    QTest::newRow("skipped and disabled") << list({Status::Passed, Status::Skipped, Status::Disabled}) << 0;
    QTest::newRow("only skipped") << list({Status::Skipped}) << 0;
    QTest::newRow("failed") << list({Status::Passed, Status::Failed}) << 8;
    QTest::newRow("timeout") << list({Status::Timeout}) << 8;
    QTest::newRow("crashed") << list({Status::Crashed}) << 8;
    QTest::newRow("not run") << list({Status::Passed, Status::NotRun}) << 8;
}

void TestConsoleReporter::exitCodes()
{
    QFETCH(QVector<int>, statuses);
    QFETCH(int, exitCode);
    Run run;
    for (int i = 0; i < statuses.size(); ++i) {
        run.cases.append(makeCase(i + 1, QStringLiteral("T.%1").arg(i)));
        run.results.append(makeResult(static_cast<Status>(statuses[i])));
    }
    const Captured captured = replay(run, serialEvents(run.cases.size()), ConsoleOptions {});
    QCOMPARE(captured.exitCode, exitCode);
    QCOMPARE(captured.err.contains("Errors while running CTest\n"), exitCode != 0);
    QCOMPARE(captured.out.contains("The following tests FAILED:"), exitCode != 0);

    // A result missing from the list counts as not run: a failure.
    const ConsoleSummary summary = formatSummary(run.cases, {}, 0.0, ConsoleOptions {});
    QVERIFY(summary.err.contains("Errors while running CTest\n"));
    QVERIFY(summary.out.contains("The following tests FAILED:"));
}

void TestConsoleReporter::noTestsFound()
{
    // Captured: when only disabled tests were selected (or none), ctest prints no
    // summary, says so on stderr and exits 0.
    Run run;
    run.cases = {makeCase(4, QStringLiteral("d"))};
    run.results = {makeResult(Status::Disabled)};
    const Captured disabled = replay(run, QStringLiteral("S4 F4"), ConsoleOptions {});
    QCOMPARE(disabled.exitCode, 0);
    QCOMPARE(disabled.out,
        QByteArray("Test project /home/user/project/build\n"
                   "    Start 4: d\n"
                   "1/1 Test #4: d ................................***Not Run (Disabled)   0.00 sec\n"));
    QCOMPARE(disabled.err, QByteArray("No tests were found!!!\n"));

    const Captured none = replay(Run {}, QString(), ConsoleOptions {});
    QCOMPARE(none.exitCode, 0);
    QCOMPARE(none.out, QByteArray("Test project /home/user/project/build\n"));
    QCOMPARE(none.err, QByteArray("No tests were found!!!\n"));
}

void TestConsoleReporter::quietPrintsNothing()
{
    // ctest -Q prints nothing at all, not even "Errors while running CTest".
    ConsoleOptions options;
    options.quiet = true;
    options.outputOnFailure = true;
    options.verbose = true;
    const Captured captured = replay(mixedRun(), kJ2Events, options);
    QCOMPARE(captured.exitCode, 8);
    QCOMPARE(captured.out, QByteArray());
    QCOMPARE(captured.err, QByteArray());
}

void TestConsoleReporter::verbose()
{
    // ctest -V frames each test with "test K", the Start line and a blank line
    // (followed there by the command lines), echoes its output as "K: line", and
    // with --output-on-failure also prints the block after a failure.
    Run run;
    run.cases = {makeCase(1, QStringLiteral("a")), makeCase(2, QStringLiteral("b"))};
    run.results = {makeResult(Status::Passed, 0.0, "out-a\n", "err-a\n"),
        makeResult(Status::Failed, 0.0, QByteArray("x\r\ny\0z", 7))};
    ConsoleOptions options;
    options.verbose = true;
    options.outputOnFailure = true;
    const Captured captured = replay(run, QStringLiteral("S1 F1 S2 F2"), options, 0.0);
    QCOMPARE(captured.out,
        QByteArray("Test project /home/user/project/build\n"
                   "test 1\n"
                   "    Start 1: a\n"
                   "\n"
                   "1: out-a\n"
                   "1: err-a\n"
                   "1/2 Test #1: a ................................   Passed    0.00 sec\n"
                   "test 2\n"
                   "    Start 2: b\n"
                   "\n"
                   "2: x\n"
                   "2: y\n"
                   "2: z\n"
                   "2/2 Test #2: b ................................***Failed    0.00 sec\n"
                   "x\n"
                   "y\n"
                   "z\n"
                   "\n"
                   "\n"
                   "50% tests passed, 1 tests failed out of 2\n"
                   "\n"
                   "Total Test time (real) =   0.00 sec\n"
                   "\n"
                   "The following tests FAILED:\n"
                   "\t  2 - b (Failed)\n"));
}

void TestConsoleReporter::flushesFileDevices()
{
    // Live progress: each line must reach the file before the next event, not
    // when the QFile is closed.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile out(dir.filePath(QStringLiteral("out.txt")));
    QFile err(dir.filePath(QStringLiteral("err.txt")));
    QVERIFY(out.open(QIODevice::WriteOnly));
    QVERIFY(err.open(QIODevice::WriteOnly));
    ConsoleReporter reporter(&out, &err);
    const Run run = mixedRun();
    RunStart start;
    start.projectDirectory = kProject;
    start.cases = run.cases;
    reporter.runStarted(start);
    reporter.caseStarted(run.cases[15]);
    reporter.caseFinished(run.cases[15], run.results[15]);

    const auto contents = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
    };
    QCOMPARE(contents(out.fileName()),
        QByteArray("Test project /home/user/project/build\n"
                   "      Start 16: Plain.MissingFile\n"
                   " 1/18 Test #16: Plain.MissingFile ....................................***Not Run   0.00 sec\n"));
    QCOMPARE(contents(err.fileName()), QByteArray("Unable to find required file: /nonexistent/file\n"));
}

QTEST_GUILESS_MAIN(TestConsoleReporter)
#include "tst_consolereporter.moc"
