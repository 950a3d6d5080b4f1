// SPDX-License-Identifier: BSD-3-Clause
// ctestd's command line: ctest's spellings, and a clear error for anything else.
#include "cli/options.h"

#include <QtTest>

using namespace ctestd;

class TestOptions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jobs_data();
    void jobs();
    void runOptions();
    void ctestSpellings();
    void subcommands();
    void errors_data();
    void errors();
    void color_data();
    void color();
    void environment_data();
    void environment();
};

void TestOptions::jobs_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("jobs");
    QTest::addColumn<QStringList>("executables");
    const QString exe = QStringLiteral("t");
    QTest::newRow("absent") << QStringList {exe} << 0 << QStringList {exe};
    QTest::newRow("-j N") << QStringList {QStringLiteral("-j"), QStringLiteral("3"), exe} << 3 << QStringList {exe};
    QTest::newRow("-jN") << QStringList {QStringLiteral("-j4"), exe} << 4 << QStringList {exe};
    QTest::newRow("--parallel N") << QStringList {QStringLiteral("--parallel"), QStringLiteral("5"), exe} << 5
                                  << QStringList {exe};
    QTest::newRow("--parallel=N") << QStringList {QStringLiteral("--parallel=6"), exe} << 6 << QStringList {exe};
    // The count is optional before another option or at the end: one per CPU.
    QTest::newRow("-j before an option") << QStringList {QStringLiteral("-j"), QStringLiteral("--timeout"),
        QStringLiteral("3"), exe} << 0 << QStringList {exe};
    QTest::newRow("-j last") << QStringList {exe, QStringLiteral("-j")} << 0 << QStringList {exe};
    QTest::newRow("-j 0") << QStringList {QStringLiteral("-j"), QStringLiteral("0"), exe} << 0 << QStringList {exe};
}

void TestOptions::jobs()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, jobs);
    QFETCH(QStringList, executables);
    const CommandLine line = parseCommandLine(arguments, QProcessEnvironment());
    QCOMPARE(line.error, QString());
    QCOMPARE(line.command, Command::Run);
    QCOMPARE(line.run.jobs, jobs);
    QCOMPARE(line.run.executables, executables);
}

void TestOptions::runOptions()
{
    const CommandLine line
        = parseCommandLine({QStringLiteral("run"), QStringLiteral("--timeout"), QStringLiteral("2.5"),
            QStringLiteral("--group-by"), QStringLiteral("executable"), QStringLiteral("--output-on-failure"),
            QStringLiteral("--output-junit"), QStringLiteral("out.xml"), QStringLiteral("-V"),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--max-worker-restarts"),
            QStringLiteral("0"), QStringLiteral("a"), QStringLiteral("--"), QStringLiteral("-b")});
    QCOMPARE(line.error, QString());
    QCOMPARE(line.run.timeoutSeconds, 2.5);
    QVERIFY(line.run.groupBySet);
    QCOMPARE(line.run.groupBy, GroupBy::Executable);
    QVERIFY(line.run.console.outputOnFailure);
    QVERIFY(line.run.console.verbose);
    QCOMPARE(line.run.junitPath, QStringLiteral("out.xml"));
    QCOMPARE(line.run.listen, QStringLiteral("127.0.0.1:0"));
    QCOMPARE(line.run.maxWorkerRestarts, 0);
    QCOMPARE(line.run.executables, (QStringList {QStringLiteral("a"), QStringLiteral("-b")}));
}

void TestOptions::ctestSpellings()
{
    const CommandLine line = parseCommandLine(
        {QStringLiteral("--test-dir"), QStringLiteral("b"), QStringLiteral("--no-label-summary"),
            QStringLiteral("--no-subproject-summary"), QStringLiteral("--force-new-ctest-process"),
            QStringLiteral("--repeat-until-fail"), QStringLiteral("3"), QStringLiteral("-W"), QStringLiteral("12"),
            QStringLiteral("-C"), QStringLiteral("Release"), QStringLiteral("--tests-information"),
            QStringLiteral("0,0,0,4"), QStringLiteral("--union"), QStringLiteral("-O"), QStringLiteral("run.log"),
            QStringLiteral("-T"), QStringLiteral("test"), QStringLiteral("--no-compress-output")},
        QProcessEnvironment());
    QCOMPARE(line.error, QString());
    QCOMPARE(line.run.configuration, QStringLiteral("Release"));
    QCOMPARE(line.run.selection.testsInformation, std::optional<QString>(QStringLiteral("0,0,0,4")));
    QVERIFY(line.run.selection.useUnion);
    QCOMPARE(line.run.outputLogPath, QStringLiteral("run.log"));
    QVERIFY(parseCommandLine(
        {QStringLiteral("-VV"), QStringLiteral("--test-dir"), QStringLiteral("b")}, QProcessEnvironment())
                .run.console.verbose);
    QVERIFY(line.run.dashboardTest);
    QVERIFY(!line.run.compressOutput);
    QVERIFY(!line.run.console.labelSummary);
    QCOMPARE(line.run.repeat.kind, ctest::RepeatMode::UntilFail);
    QCOMPARE(line.run.repeat.count, 3);
    QCOMPARE(line.run.console.nameWidth, 12);
    QVERIFY(parseCommandLine({QStringLiteral("b")}, QProcessEnvironment()).run.console.labelSummary);
}

void TestOptions::subcommands()
{
    CommandLine line
        = parseCommandLine({QStringLiteral("worker"), QStringLiteral("--connect"), QStringLiteral("local:/x")});
    QCOMPARE(line.error, QString());
    QCOMPARE(line.command, Command::Worker);
    QCOMPARE(line.connectAddress, QStringLiteral("local:/x"));

    line = parseCommandLine({QStringLiteral("list"), QStringLiteral("t")});
    QCOMPARE(line.command, Command::List);
    QCOMPARE(line.run.executables, QStringList {QStringLiteral("t")});

    QCOMPARE(parseCommandLine({QStringLiteral("--help")}).command, Command::Help);

    // Like ctest: nothing named means the current directory is the build tree.
    line = parseCommandLine({QStringLiteral("-j2")});
    QCOMPARE(line.error, QString());
    QCOMPARE(line.run.testDirectory, QStringLiteral("."));
    line = parseCommandLine({QStringLiteral("--test-dir"), QStringLiteral("build")});
    QCOMPARE(line.run.testDirectory, QStringLiteral("build"));
    QVERIFY(line.run.executables.isEmpty());
    QCOMPARE(parseCommandLine({QStringLiteral("--version")}).command, Command::Version);

    // report: bundles and what to write from them; the run's options are not its.
    line = parseCommandLine({QStringLiteral("report"), QStringLiteral("a.tar.zst"), QStringLiteral("--output-junit"),
        QStringLiteral("all.xml"), QStringLiteral("-V"), QStringLiteral("--durations"), QStringLiteral("3"),
        QStringLiteral("--color=never"), QStringLiteral("--artifacts"), QStringLiteral("out"),
        QStringLiteral("b.zip")});
    QCOMPARE(line.error, QString());
    QCOMPARE(line.command, Command::Report);
    QCOMPARE(line.report.bundles, (QStringList {QStringLiteral("a.tar.zst"), QStringLiteral("b.zip")}));
    QCOMPARE(line.report.junitPath, QStringLiteral("all.xml"));
    QVERIFY(line.report.verbose);
    QCOMPARE(line.report.durations, std::optional<int>(3));
    QCOMPARE(line.report.color, ColorMode::Never);
    QCOMPARE(line.report.artifactsDirectory, QStringLiteral("out"));
    line = parseCommandLine({QStringLiteral("--archive"), QStringLiteral("run.tar.zst"), QStringLiteral("t")});
    QCOMPARE(line.error, QString());
    QCOMPARE(line.run.archivePath, QStringLiteral("run.tar.zst"));
}

void TestOptions::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");
    QTest::newRow("negative -j") << QStringList {QStringLiteral("-j"), QStringLiteral("-1"), QStringLiteral("t")}
                                 << QStringLiteral("-j: expected a number of workers (0 or more), got '-1'");
    QTest::newRow("--archive without a format")
        << QStringList {QStringLiteral("--archive"), QStringLiteral("run.rar"), QStringLiteral("t")}
        << QStringLiteral("--archive: cannot tell the bundle's format from 'run.rar': name it .tar.gz, .tar.xz, "
                          ".tar.zst, .tar.bz2, .tar or .zip");
    QTest::newRow("report without bundles")
        << QStringList {QStringLiteral("report"), QStringLiteral("-V")} << QStringLiteral("report: no bundles given");
    QTest::newRow("report with a run's option")
        << QStringList {QStringLiteral("report"), QStringLiteral("-j2"), QStringLiteral("a.tar")}
        << QStringLiteral("report: unknown option '-j2' (it takes --output-junit, --output-json, --junit-locations, "
                          "--artifacts, --output-on-failure, -V, -Q, --durations and --color)");
    QTest::newRow("report --durations word") << QStringList {QStringLiteral("report"), QStringLiteral("--durations"),
        QStringLiteral("x"), QStringLiteral("a.tar")}
                                             << QStringLiteral("--durations: expected a count (0 for all), got 'x'");
    QTest::newRow("report --color word") << QStringList {QStringLiteral("report"), QStringLiteral("--color=sometimes"),
        QStringLiteral("a.tar")} << QStringLiteral("--color: expected auto, always or never, got 'sometimes'");
    // Not an executable called "abc": ctest's -j takes the next argument.
    QTest::newRow("-j word") << QStringList {QStringLiteral("-j"), QStringLiteral("abc")}
                             << QStringLiteral("-j: expected a number of workers (0 or more), got 'abc'");
    QTest::newRow("--parallel word") << QStringList {QStringLiteral("--parallel"), QStringLiteral("two"),
        QStringLiteral("t")} << QStringLiteral("--parallel: expected a number of workers (0 or more), got 'two'");
    // ctest's options that ctestd does not honour are refused by name.
    const QString refused = QStringLiteral("ctest's option %1 is not supported by ctestd (README, \"Supported ctest "
                                           "options\")");
    // ctest silently ignores the joined spellings (and runs without a
    // configuration); ctestd says so instead.
    QTest::newRow("-CDebug") << QStringList {QStringLiteral("-CDebug")} << QStringLiteral("unknown option '-CDebug'");
    QTest::newRow("--build-config=") << QStringList {QStringLiteral("--build-config=Debug")}
                                     << QStringLiteral("unknown option '--build-config=Debug'");
    QTest::newRow("-C with executables")
        << QStringList {QStringLiteral("-C"), QStringLiteral("Debug"), QStringLiteral("t")}
        << QStringLiteral("-R, -E, -L, -LE, -I, -U, -C, -N, -T, --print-labels and --rerun-failed "
                          "are options of a build tree (--test-dir), not of executables");
    QTest::newRow("-T Build") << QStringList {QStringLiteral("-T"), QStringLiteral("Build")}
                              << QStringLiteral(
                                     "ctest's dashboard step -T Build is not supported by ctestd (only -T Test)");
    // ctest ignores "-I2,4" and runs everything; ctestd says so instead.
    QTest::newRow("-I with its value attached")
        << QStringList {QStringLiteral("-I2,4")} << QStringLiteral("unknown option '-I2,4'");
    QTest::newRow("-I with executables")
        << QStringList {QStringLiteral("-I"), QStringLiteral("1,2"), QStringLiteral("t")}
        << QStringLiteral("-R, -E, -L, -LE, -I, -U, -C, -N, -T, --print-labels and --rerun-failed "
                          "are options of a build tree (--test-dir), not of executables");
    QTest::newRow("-SP, not -S") << QStringList {QStringLiteral("-SP"), QStringLiteral("s.cmake")}
                                 << refused.arg(QStringLiteral("-SP"));
    QTest::newRow("--preset") << QStringList {QStringLiteral("--preset"), QStringLiteral("ci")}
                              << refused.arg(QStringLiteral("--preset"));
    QTest::newRow("--help-module") << QStringList {QStringLiteral("--help-module"), QStringLiteral("CTest")}
                                   << refused.arg(QStringLiteral("--help-module"));
    QTest::newRow("--durations -1") << QStringList {QStringLiteral("--durations"), QStringLiteral("-1"),
        QStringLiteral("t")} << QStringLiteral("--durations: expected a count (0 for all), got '-1'");
    QTest::newRow("--test-output-truncation")
        << QStringList {QStringLiteral("--test-output-truncation"), QStringLiteral("foo"), QStringLiteral("t")}
        << QStringLiteral("--test-output-truncation: expected tail, middle or "
                          "head, got 'foo'");
    QTest::newRow("--test-output-size-failed")
        << QStringList {QStringLiteral("--test-output-size-failed"), QStringLiteral("abc"), QStringLiteral("t")}
        << QStringLiteral("--test-output-size-failed: expected a size in "
                          "bytes, got 'abc'");
    QTest::newRow("--shard 0/2") << QStringList {QStringLiteral("--shard"), QStringLiteral("0/2"), QStringLiteral("t")}
                                 << QStringLiteral("--shard: expected I/N with 1 <= I <= N, got '0/2'");
    QTest::newRow("--color=sometimes") << QStringList {QStringLiteral("--color=sometimes"), QStringLiteral("t")}
                                       << QStringLiteral("--color: expected auto, always or never, got 'sometimes'");
    QTest::newRow("--show-only=xml") << QStringList {QStringLiteral("--show-only=xml")}
                                     << QStringLiteral("unknown option '--show-only=xml'");
    QTest::newRow("--build-and-test family") << QStringList {QStringLiteral("--build-generator"),
        QStringLiteral("Ninja")} << refused.arg(QStringLiteral("--build-and-test"));
    // Another command's option is refused, not ignored.
    QTest::newRow("--group in a run") << QStringList {QStringLiteral("--test-dir"), QStringLiteral("b"),
        QStringLiteral("--group"), QStringLiteral("Math")}
                                      << QStringLiteral("--group is an option of `ctestd case`, not of this command");
    QTest::newRow("--build-dir in a run")
        << QStringList {QStringLiteral("--build-dir"), QStringLiteral("b")}
        << QStringLiteral("--build-dir is an option of `ctestd case` and `ctestd serve`, not of "
                          "this command");
    QTest::newRow("--connect in a list") << QStringList {QStringLiteral("list"), QStringLiteral("--connect"),
        QStringLiteral("local:/x"), QStringLiteral("t")}
                                         << QStringLiteral("--connect is an option of `ctestd worker`, not of this "
                                                           "command");
    QTest::newRow("--selector in serve") << QStringList {QStringLiteral("serve"), QStringLiteral("--build-dir"),
        QStringLiteral("b"), QStringLiteral("--selector"), QStringLiteral("A.B")}
                                         << QStringLiteral("--selector is an option of `ctestd case`, not of this "
                                                           "command");
    QTest::newRow("bad repeat") << QStringList {QStringLiteral("--repeat"), QStringLiteral("foo:2")}
                                << QStringLiteral("'--repeat' given invalid value 'foo:2'");
    QTest::newRow("negative timeout") << QStringList {QStringLiteral("--timeout"), QStringLiteral("-1")}
                                      << QStringLiteral("--timeout: expected seconds (0 or more), got '-1'");
    QTest::newRow("nan timeout") << QStringList {QStringLiteral("--timeout"), QStringLiteral("nan")}
                                 << QStringLiteral("--timeout: expected seconds (0 or more), got 'nan'");
    QTest::newRow("infinite timeout") << QStringList {QStringLiteral("--timeout"), QStringLiteral("inf")}
                                      << QStringLiteral("--timeout: expected seconds (0 or more), got 'inf'");
    QTest::newRow("nan discovery timeout") << QStringList {QStringLiteral("--discovery-timeout"),
        QStringLiteral("nan")} << QStringLiteral("--discovery-timeout: expected seconds (more than 0), got 'nan'");
    QTest::newRow("negative hook timeout") << QStringList {QStringLiteral("--hook-timeout"), QStringLiteral("-2")}
                                           << QStringLiteral("--hook-timeout: expected seconds (0: none), got '-2'");
    QTest::newRow("empty launcher") << QStringList {QStringLiteral("--launcher"), QStringLiteral("  ")}
                                    << QStringLiteral("--launcher: expected a command, got '  '");
    QTest::newRow("bad -jN") << QStringList {QStringLiteral("-jx"), QStringLiteral("t")}
                             << QStringLiteral("-j: expected a number of workers (0 or more), got 'x'");
    QTest::newRow("bad timeout") << QStringList {QStringLiteral("--timeout"), QStringLiteral("soon"),
        QStringLiteral("t")} << QStringLiteral("--timeout: expected seconds (0 or more), got 'soon'");
    QTest::newRow("missing value") << QStringList {QStringLiteral("t"), QStringLiteral("--output-junit")}
                                   << QStringLiteral("--output-junit needs a value");
    QTest::newRow("unknown framework")
        << QStringList {QStringLiteral("--framework"), QStringLiteral("nunit"), QStringLiteral("t")}
        << QStringLiteral(
               "--framework: unknown framework 'nunit' (known: auto, gtest, qtest, catch2, doctest, boost, plain)");
    QTest::newRow("worker without address")
        << QStringList {QStringLiteral("worker")} << QStringLiteral("worker: --connect ADDRESS is required");
    QTest::newRow("tree and executables") << QStringList {QStringLiteral("--test-dir"), QStringLiteral("b"),
        QStringLiteral("t")} << QStringLiteral("give either --test-dir or executables, not both");
    QTest::newRow("unknown option") << QStringList {QStringLiteral("-X"), QStringLiteral("t")}
                                    << QStringLiteral("unknown option '-X'");
}

void TestOptions::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    QCOMPARE(parseCommandLine(arguments).error, error);
}

void TestOptions::color_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("terminal");
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<bool>("color");
    const QStringList none;
    const QStringList term {QStringLiteral("TERM=xterm")};
    QTest::newRow("terminal") << none << true << term << true;
    QTest::newRow("pipe") << none << false << term << false;
    QTest::newRow("TERM=dumb") << none << true << QStringList {QStringLiteral("TERM=dumb")} << false;
    QTest::newRow("NO_COLOR") << none << true
                              << QStringList {QStringLiteral("TERM=xterm"), QStringLiteral("NO_COLOR=1")} << false;
    QTest::newRow("NO_COLOR empty") << none << true
                                    << QStringList {QStringLiteral("TERM=xterm"), QStringLiteral("NO_COLOR=")} << true;
    QTest::newRow("CLICOLOR_FORCE on a pipe")
        << none << false << QStringList {QStringLiteral("CLICOLOR_FORCE=1")} << true;
    QTest::newRow("CLICOLOR_FORCE=0") << none << false << QStringList {QStringLiteral("CLICOLOR_FORCE=0")} << false;
    QTest::newRow("CLICOLOR_FORCE beats NO_COLOR")
        << none << false << QStringList {QStringLiteral("CLICOLOR_FORCE=1"), QStringLiteral("NO_COLOR=1")} << true;
    QTest::newRow("--color=never") << QStringList {QStringLiteral("--color=never")} << true
                                   << QStringList {QStringLiteral("TERM=xterm"), QStringLiteral("CLICOLOR_FORCE=1")}
                                   << false;
    QTest::newRow("--color=always") << QStringList {QStringLiteral("--color=always")} << false
                                    << QStringList {QStringLiteral("NO_COLOR=1")} << true;
    QTest::newRow("--color") << QStringList {QStringLiteral("--color")} << false << none << true;
    QTest::newRow("--color=auto") << QStringList {QStringLiteral("--color=always"), QStringLiteral("--color=auto")}
                                  << false << none << false;
}

void TestOptions::color()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, terminal);
    QFETCH(QStringList, environment);
    QFETCH(bool, color);
    QProcessEnvironment env;
    for (const QString &entry : environment)
        env.insert(entry.section(QLatin1Char('='), 0, 0), entry.section(QLatin1Char('='), 1));
    const CommandLine line = parseCommandLine(arguments + QStringList {QStringLiteral("t")}, env);
    QCOMPARE(line.error, QString());
    QCOMPARE(useColor(line.run.color, terminal, env), color);
}

void TestOptions::environment_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("variables"); // NAME=value
    QTest::addColumn<int>("jobs");
    QTest::addColumn<bool>("outputOnFailure");
    QTest::addColumn<bool>("noTestsIsError");
    const QString tree = QStringLiteral("--test-dir");
    const QString build = QStringLiteral("b");
    // What ctest 3.25.1 does with each, checked by hand (README, "Supported
    // ctest options").
    QTest::newRow("tree: ctest's default of 1") << QStringList {tree, build} << QStringList {} << 1 << false << false;
    QTest::newRow("tree: CTEST_PARALLEL_LEVEL")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_PARALLEL_LEVEL=3")} << 3 << false << false;
    QTest::newRow("tree: -j wins over CTEST_PARALLEL_LEVEL")
        << QStringList {tree, build, QStringLiteral("-j2")} << QStringList {QStringLiteral("CTEST_PARALLEL_LEVEL=3")}
        << 2 << false << false;
    QTest::newRow("tree: CTEST_PARALLEL_LEVEL read as atoi()")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_PARALLEL_LEVEL= 4x")} << 4 << false << false;
    QTest::newRow("tree: CTEST_PARALLEL_LEVEL garbage is 1")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_PARALLEL_LEVEL=abc")} << 1 << false << false;
    QTest::newRow("tree: CTEST_PARALLEL_LEVEL=0 is 1")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_PARALLEL_LEVEL=0")} << 1 << false << false;
    QTest::newRow("executables: one per CPU whatever CTEST_PARALLEL_LEVEL says")
        << QStringList {QStringLiteral("t")} << QStringList {QStringLiteral("CTEST_PARALLEL_LEVEL=3")} << 0 << false
        << false;
    QTest::newRow("CTEST_OUTPUT_ON_FAILURE=1")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_OUTPUT_ON_FAILURE=1")} << 1 << true << false;
    QTest::newRow("CTEST_OUTPUT_ON_FAILURE=yes, executables")
        << QStringList {QStringLiteral("t")} << QStringList {QStringLiteral("CTEST_OUTPUT_ON_FAILURE=yes")} << 0 << true
        << false;
    QTest::newRow("CTEST_OUTPUT_ON_FAILURE=off")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_OUTPUT_ON_FAILURE=off")} << 1 << false
        << false;
    QTest::newRow("CTEST_OUTPUT_ON_FAILURE empty")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_OUTPUT_ON_FAILURE=")} << 1 << false << false;
    QTest::newRow("CTEST_OUTPUT_ON_FAILURE=0 takes nothing away")
        << QStringList {tree, build, QStringLiteral("--output-on-failure")}
        << QStringList {QStringLiteral("CTEST_OUTPUT_ON_FAILURE=0")} << 1 << true << false;
    QTest::newRow("CTEST_NO_TESTS_ACTION=error")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_NO_TESTS_ACTION=error")} << 1 << false
        << true;
    QTest::newRow("--no-tests wins over CTEST_NO_TESTS_ACTION")
        << QStringList {tree, build, QStringLiteral("--no-tests=ignore")}
        << QStringList {QStringLiteral("CTEST_NO_TESTS_ACTION=error")} << 1 << false << false;
    QTest::newRow("CTEST_NO_TESTS_ACTION=other")
        << QStringList {tree, build} << QStringList {QStringLiteral("CTEST_NO_TESTS_ACTION=Error")} << 1 << false
        << false;
}

void TestOptions::environment()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, variables);
    QFETCH(int, jobs);
    QFETCH(bool, outputOnFailure);
    QFETCH(bool, noTestsIsError);
    QProcessEnvironment environment;
    for (const QString &variable : qAsConst(variables))
        environment.insert(variable.section(QLatin1Char('='), 0, 0), variable.section(QLatin1Char('='), 1));
    const CommandLine line = parseCommandLine(arguments, environment);
    QCOMPARE(line.error, QString());
    QCOMPARE(line.run.jobs, jobs);
    QCOMPARE(line.run.console.outputOnFailure, outputOnFailure);
    QCOMPARE(line.run.noTestsIsError, noTestsIsError);
}

QTEST_GUILESS_MAIN(TestOptions)
#include "tst_options.moc"
