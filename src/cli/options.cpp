// SPDX-License-Identifier: BSD-3-Clause
#include "options.h"

#include "bundle/bundleformat.h"
#include "ctest/environment.h"
#include "frameworks/adapter.h"
#include "frameworks/registry.h"
#include "model/defaults.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>

#include <cmath>

namespace ctestd {

namespace {
// ctest 3.25's options that ctestd does not honour (README, "Supported ctest
// options"): each is refused by name, never ignored. Those ctestd spells the
// same for an idea of its own (--group of `ctestd case`, --debug, --help,
// --version) are not here.
const QStringList &refusedCtestOptions()
{
    static const QStringList names {
        QStringLiteral("--preset"),
        QStringLiteral("--list-presets"),
        QStringLiteral("-F"),
        QStringLiteral("-D"),
        QStringLiteral("--dashboard"),
        QStringLiteral("-M"),
        QStringLiteral("--test-model"),
        QStringLiteral("-S"),
        QStringLiteral("--script"),
        QStringLiteral("-SP"),
        QStringLiteral("--script-new-process"),
        QStringLiteral("-A"),
        QStringLiteral("--add-notes"),
        QStringLiteral("--interactive-debug-mode"),
        QStringLiteral("--resource-spec-file"),
        QStringLiteral("--build-and-test"),
        QStringLiteral("--test-command"),
        QStringLiteral("--test-timeout"),
        QStringLiteral("--tomorrow-tag"),
        QStringLiteral("--overwrite"),
        QStringLiteral("--extra-submit"),
        QStringLiteral("--submit-index"),
        QStringLiteral("--stop-time"),
        QStringLiteral("--http1.0"),
    };
    return names;
}

// The ctest option `arg` is, if ctestd refuses it: "-SP" for "-SP", "-C" for
// "-CDebug" (a short option with its value attached), "--build-config" for
// "--build-config=Debug", "--build-and-test" for its --build-* options.
QString refusedCtestOption(const QString &arg)
{
    const QStringList &names = refusedCtestOptions();
    if (names.contains(arg))
        return arg;
    for (const QString &name : names) {
        const bool isLong = name.startsWith(QLatin1String("--"));
        if (isLong ? arg.startsWith(name + QLatin1Char('=')) : name.size() == 2 && arg.startsWith(name))
            return name;
    }
    // ctest's CMake documentation: --help-full, --help-module X, ...
    if (arg.startsWith(QLatin1String("--help-")))
        return arg;
    // --build-config is ctestd's too; ctest ignores "--build-config=Debug".
    if (arg.startsWith(QLatin1String("--build-")) && !arg.startsWith(QLatin1String("--build-config")))
        return QStringLiteral("--build-and-test");
    return QString();
}

// The commands that take `option`, if `command` is not one of them.
QString commandOwning(const QString &option, Command command)
{
    if (option == QLatin1String("--connect") || option == QLatin1String("--key-stdin")
        || option == QLatin1String("--launch-id"))
        return command == Command::Worker ? QString() : QStringLiteral("`ctestd worker`");
    if (option == QLatin1String("--build-dir"))
        return command == Command::Case || command == Command::Serve
            ? QString()
            : QStringLiteral("`ctestd case` and `ctestd serve`");
    return command == Command::Case ? QString() : QStringLiteral("`ctestd case`");
}

// "gtest, qtest, ... or plain", from the registry.
QString frameworkList()
{
    QStringList names = frameworkNames();
    const QString last = names.takeLast();
    return names.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
}
} // namespace

namespace {
bool parseCount(const QString &text, int *out);

// A time limit in seconds: a finite number, 0 or more. NaN and infinity are
// refused: a limit of NaN compares false with everything, and "0: none"
// already says "no limit".
bool parseSeconds(const QString &text, double *out)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return false;
    *out = value;
    return true;
}

// --color or --color=WHEN (auto, always, never); false with `error`.
bool parseColor(const QString &arg, ColorMode *mode, QString *error)
{
    const QString when = arg == QLatin1String("--color") ? QStringLiteral("always") : arg.mid(8);
    if (when == QLatin1String("auto"))
        *mode = ColorMode::Auto;
    else if (when == QLatin1String("always"))
        *mode = ColorMode::Always;
    else if (when == QLatin1String("never"))
        *mode = ColorMode::Never;
    else
        *error = QStringLiteral("--color: expected auto, always or never, got '%1'").arg(when);
    return error->isEmpty();
}

void parseReportArguments(const QStringList &args, CommandLine *line)
{
    ReportOptions &report = line->report;
    bool endOfOptions = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        const auto value = [&](QString *out) {
            if (i + 1 >= args.size()) {
                line->error = QStringLiteral("%1 needs a value").arg(arg);
                return false;
            }
            *out = args.at(++i);
            return true;
        };
        if (endOfOptions || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            report.bundles.append(arg);
            continue;
        }
        QString text;
        if (arg == QLatin1String("--")) {
            endOfOptions = true;
        } else if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            line->command = Command::Help;
            return;
        } else if (arg == QLatin1String("--output-junit")) {
            if (!value(&report.junitPath))
                return;
        } else if (arg == QLatin1String("--output-json")) {
            if (!value(&report.jsonPath))
                return;
        } else if (arg == QLatin1String("--junit-locations")) {
            report.junitLocations = true;
        } else if (arg == QLatin1String("--artifacts")) {
            if (!value(&report.artifactsDirectory))
                return;
        } else if (arg == QLatin1String("--output-on-failure")) {
            report.outputOnFailure = true;
        } else if (arg == QLatin1String("-V") || arg == QLatin1String("--verbose") || arg == QLatin1String("-VV")
            || arg == QLatin1String("--extra-verbose")) {
            report.verbose = true;
        } else if (arg == QLatin1String("-Q") || arg == QLatin1String("--quiet")) {
            report.quiet = true;
        } else if (arg == QLatin1String("--durations")) {
            if (!value(&text))
                return;
            int count = 0;
            if (!parseCount(text, &count) || count < 0) {
                line->error = QStringLiteral("--durations: expected a count (0 for all), got '%1'").arg(text);
                return;
            }
            report.durations = count;
        } else if (arg.startsWith(QLatin1String("--color=")) || arg == QLatin1String("--color")) {
            if (!parseColor(arg, &report.color, &line->error))
                return;
        } else if (arg == QLatin1String("--debug")) {
            line->debugLogging = true;
        } else {
            line->error = QStringLiteral("report: unknown option '%1' (it takes --output-junit, --output-json, "
                                         "--junit-locations, --artifacts, --output-on-failure, -V, -Q, --durations "
                                         "and --color)")
                              .arg(arg);
            return;
        }
    }
    if (report.bundles.isEmpty())
        line->error = QStringLiteral("report: no bundles given");
}
} // namespace

QString usageText()
{
    return QStringLiteral(
        "Usage:\n"
        "  ctestd [run] [options] EXECUTABLE...   run the cases of test executables\n"
        "  ctestd [run] [options] [--test-dir DIR] run a CTest build tree (default: the current directory)\n"
        "  ctestd list [--json] [options] EXECUTABLE...  show the cases and fixture groups it would run\n"
        "  ctestd worker --connect ADDRESS [--key-stdin] [--launch-id N] [--heartbeat-timeout S]\n"
        "                          a worker (started by ctestd itself or a --workers launcher)\n"
        "  ctestd case --build-dir B --executable E --group G --selector S [--framework F]\n"
        "              [--group-by M] [--working-directory D] [--timeout S] [--extra-arg A]...\n"
        "                                         one case, answered by the build tree's daemon\n"
        "                                         (what ctestd_discover_tests registers)\n"
        "  ctestd serve --build-dir B             the build tree's daemon (started on demand)\n"
        "  ctestd report [options] BUNDLE...      print the runs that --archive kept, and merge them:\n"
        "                                         --output-junit F, --output-json F, --artifacts DIR,\n"
        "                                         --output-on-failure, -V, -Q, --durations N, --color\n"
        "\n"
        "Options (ctest's spelling where ctest has the same idea):\n"
        "  --test-dir DIR           the CTest build tree to run\n"
        "  -R, --tests-regex RE     (build tree) run tests whose name matches RE\n"
        "  -E, --exclude-regex RE   (build tree) skip tests whose name matches RE\n"
        "  -L, --label-regex RE     (build tree) run tests with a label matching RE (repeatable: all must match)\n"
        "  -LE, --label-exclude RE  (build tree) skip tests with a label matching RE\n"
        "  -I, --tests-information Start,End,Stride,N,...\n"
        "                           (build tree) run tests by number; a file's first line\n"
        "  -U, --union              (build tree) -I adds to -R/-E/-L/-LE instead of narrowing\n"
        "  -C, --build-config CFG   (build tree) the configuration of a multi-config tree\n"
        "  -FA, -FS, -FC RE         (build tree) do not add the setup and cleanup, the setup, or\n"
        "                           the cleanup tests of fixtures matching RE\n"
        "  -N, --show-only[=human]  (build tree) list the tests without running them\n"
        "  --show-only=json-v1      (build tree) the list as ctest's JSON, for IDEs\n"
        "  --rerun-failed           (build tree) run only the tests that failed last time\n"
        "  --print-labels           (build tree) list the selected tests' labels\n"
        "  --repeat MODE:N          until-fail:N | until-pass:N | after-timeout:N\n"
        "  --stop-on-failure        start no new test after the first failure\n"
        "  --no-tests=error|ignore  whether finding no tests is an error (default ignore)\n"
        "  --schedule-random        run the tests in a random order\n"
        "  -j, --parallel [N]       N workers; 0 or N absent: one per CPU; no -j: for a build\n"
        "                           tree CTEST_PARALLEL_LEVEL or 1, as ctest; else one per CPU\n"
        "  --test-load N            start no test while the load average is N or more\n"
        "                           (ctest's rule; without it a tree's CTEST_TEST_LOAD)\n"
        "  --timeout SECONDS        per-case time limit (default 1500 for executables, the tree's\n"
        "                           own default for a build tree; 0: none; TIMEOUT properties win)\n"
        "  --discovery-timeout S    time limit for listing an executable's cases (default 60)\n"
        "  --output-on-failure      print the output of failed cases\n"
        "  --output-junit FILE      write JUnit XML to FILE\n"
        "  --output-json FILE       write the run as one JSON document (README, \"JSON report\")\n"
        "  --archive FILE           write a result bundle (.tar.gz, .tar.xz, .tar.zst, .tar.bz2, .tar,\n"
        "                           .zip) for `ctestd report`; tests get $CTESTD_ARTIFACT_DIR\n"
        "  --junit-locations        JUnit cases get file and line (GitLab, GitHub annotations;\n"
        "                           Jenkins' xunit plugin rejects them)\n"
        "  -O, --output-log FILE    also write the console to FILE, as ctest does\n"
        "  -T, --test-action Test   (build tree) also write Testing/<tag>/Test.xml (CDash, IDEs)\n"
        "  --no-compress-output     Test.xml keeps test output uncompressed\n"
        "  --test-output-size-passed N, --test-output-size-failed N\n"
        "                           Test.xml keeps N bytes of output (default 1024, 307200)\n"
        "  --test-output-truncation tail|middle|head  what Test.xml cuts (default tail)\n"
        "  -V, --verbose            print the output of every case (-VV: the same, as in ctest)\n"
        "  -Q, --quiet              print nothing on the console\n"
        "  -W, --max-width N        minimum width of the test name column (default 30)\n"
        "  --durations N            list the N slowest tests and test processes with their\n"
        "                           fixture time (0: all)\n"
        "  --shard I/N              run the I-th of N parts (whole fixture groups); without it\n"
        "                           gtest's GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX (0-based)\n"
        "  --progress               on a terminal, passing tests show only in the live status line\n"
        "  --color[=WHEN]           auto (default: a terminal, unless NO_COLOR), always, never\n"
        "  --no-label-summary       leave out the Label Time Summary\n"
        "  --group-by MODE          case | suite | executable (default: the framework's)\n"
        "  --framework NAME         auto (default: told from the executable's file),\n"
        "                           %1\n"
        "  --listen HOST:PORT       workers connect over TCP instead of a local socket\n"
        "  --workers LIST           where workers run instead of -j: ENGINE[:HOST][*N],...\n"
        "                           (local*2,ssh:build7*4,srun*8,cmd*2); remote ones need --listen\n"
        "  --advertise HOST:PORT    the address workers connect to, when not --listen's\n"
        "  --ssh-command CMD        ssh for ssh:HOST workers (default: ssh)\n"
        "  --worker-command CMD     cmd workers' launcher, {args} = the worker's command\n"
        "  --heartbeat-timeout S    a worker silent for S seconds is lost and its cases\n"
        "                           run elsewhere (default 10; 0: none)\n"
        "  --max-worker-restarts N  replacement workers allowed per host (default 4 x its workers)\n"
        "  --worker-setup CMD       a shell command each worker runs before its first test, with\n"
        "                           CTESTD_WORKER_ID and its TMPDIR (README, \"Workers\")\n"
        "  --worker-teardown CMD    the same, after its last test (end, Ctrl-C, timeouts alike)\n"
        "  --hook-timeout SECONDS   time limit of each hook (default 600; 0: none)\n"
        "  --keep-tmp               leave each worker's TMPDIR behind, and say where\n"
        "  --isolate-workdir        tests run in their worker's own empty directory\n"
        "  --launcher 'CMD ARGS'    run every test process (and listing) as CMD ARGS <command>:\n"
        "                           valgrind, rr record, taskset, qemu-<arch>\n"
        "  --show-config            print the settings, and where each came from (ctestd.ini)\n"
        "  --debug                  log ctestd's own diagnostics to stderr\n"
        "  -h, --help               show this help\n"
        "  --version                show the version\n"
        "\n"
        "Exit code: 0 when every case passed or was skipped, 8 when any failed or did not run.\n")
        .arg(frameworkList());
}

namespace {
bool parseCount(const QString &text, int *out)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (ok)
        *out = value;
    return ok;
}
} // namespace

bool useColor(ColorMode mode, bool stdoutIsTerminal, const QProcessEnvironment &environment)
{
    if (mode != ColorMode::Auto)
        return mode == ColorMode::Always;
    const QString force = environment.value(QStringLiteral("CLICOLOR_FORCE"));
    if (!force.isEmpty() && force != QLatin1String("0"))
        return true;
    if (!environment.value(QStringLiteral("NO_COLOR")).isEmpty())
        return false;
    return stdoutIsTerminal && environment.value(QStringLiteral("TERM")) != QLatin1String("dumb");
}

namespace {
CommandLine parseArguments(const QStringList &arguments, const QProcessEnvironment &environment)
{
    CommandLine line;
    QStringList args = arguments;
    if (!args.isEmpty()) {
        const QString first = args.first();
        if (first == QLatin1String("run")) {
            args.removeFirst();
        } else if (first == QLatin1String("worker")) {
            line.command = Command::Worker;
            args.removeFirst();
        } else if (first == QLatin1String("list")) {
            line.command = Command::List;
            args.removeFirst();
        } else if (first == QLatin1String("serve")) {
            line.command = Command::Serve;
            args.removeFirst();
        } else if (first == QLatin1String("case")) {
            line.command = Command::Case;
            args.removeFirst();
        } else if (first == QLatin1String("report")) {
            line.command = Command::Report;
            parseReportArguments(args.mid(1), &line);
            return line;
        }
    }

    RunOptions &run = line.run;
    bool endOfOptions = false;
    bool jobsGiven = false;
    bool workersGiven = false;
    bool noTestsGiven = false;
    QStringList commandOptions; // options of one command only, checked below
    for (int i = 0; i < args.size(); ++i) {
        const QString arg = args.at(i);
        const auto value = [&](QString *out) {
            if (i + 1 >= args.size()) {
                line.error = QStringLiteral("%1 needs a value").arg(arg);
                return false;
            }
            *out = args.at(++i);
            return true;
        };
        if (endOfOptions || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            run.executables.append(arg);
            continue;
        }
        QString text;
        if (arg == QLatin1String("--")) {
            endOfOptions = true;
        } else if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            line.command = Command::Help;
            return line;
        } else if (arg == QLatin1String("--version")) {
            line.command = Command::Version;
            return line;
        } else if (arg == QLatin1String("-j") || arg == QLatin1String("--parallel")) {
            // The count is optional: "-j" last or before another option
            // means one worker per CPU. Anything else after it must be a
            // count: "-j abc" is an error, not an executable named abc.
            jobsGiven = true;
            line.given.insert(QStringLiteral("parallel"));
            run.jobs = 0;
            const QString next = i + 1 < args.size() ? args.at(i + 1) : QString();
            int count = 0;
            const bool isCount = parseCount(next, &count);
            if (isCount || (!next.isEmpty() && !next.startsWith(QLatin1Char('-')))) {
                ++i;
                if (!isCount || count < 0) {
                    line.error
                        = QStringLiteral("%1: expected a number of workers (0 or more), got '%2'").arg(arg, next);
                    return line;
                }
                run.jobs = count;
            }
        } else if (arg.startsWith(QLatin1String("-j")) || arg.startsWith(QLatin1String("--parallel="))) {
            jobsGiven = true;
            line.given.insert(QStringLiteral("parallel"));
            const QString count = arg.mid(arg.startsWith(QLatin1String("-j")) ? 2 : 11);
            if (!parseCount(count, &run.jobs) || run.jobs < 0) {
                line.error = QStringLiteral("-j: expected a number of workers (0 or more), got '%1'").arg(count);
                return line;
            }
        } else if (arg == QLatin1String("--timeout")) {
            line.given.insert(QStringLiteral("timeout"));
            if (!value(&text))
                return line;
            if (!parseSeconds(text, &run.timeoutSeconds)) {
                line.error = QStringLiteral("--timeout: expected seconds (0 or more), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--discovery-timeout")) {
            if (!value(&text))
                return line;
            if (!parseSeconds(text, &run.discoveryTimeoutSeconds) || run.discoveryTimeoutSeconds <= 0) {
                line.error = QStringLiteral("--discovery-timeout: expected seconds (more than 0), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--test-dir")) {
            if (!value(&run.testDirectory))
                return line;
            run.testDirectoryGiven = true;
        } else if (arg == QLatin1String("-R") || arg == QLatin1String("--tests-regex")) {
            if (!value(&text))
                return line;
            run.selection.includeRegex = text; // ctest keeps the last one
        } else if (arg == QLatin1String("-E") || arg == QLatin1String("--exclude-regex")) {
            if (!value(&text))
                return line;
            run.selection.excludeRegex = text;
        } else if (arg == QLatin1String("-L") || arg == QLatin1String("--label-regex")) {
            if (!value(&text))
                return line;
            run.selection.includeLabels.append(text);
        } else if (arg == QLatin1String("-LE") || arg == QLatin1String("--label-exclude")) {
            if (!value(&text))
                return line;
            run.selection.excludeLabels.append(text);
        } else if (arg == QLatin1String("-I") || arg == QLatin1String("--tests-information")) {
            if (!value(&text))
                return line;
            run.selection.testsInformation = text; // a file's name is read once the tree is known
        } else if (arg == QLatin1String("-FA") || arg == QLatin1String("--fixture-exclude-any")) {
            if (!value(&text))
                return line;
            run.selection.fixtureExcludeAny = text;
        } else if (arg == QLatin1String("-FS") || arg == QLatin1String("--fixture-exclude-setup")) {
            if (!value(&text))
                return line;
            run.selection.fixtureExcludeSetup = text;
        } else if (arg == QLatin1String("-FC") || arg == QLatin1String("--fixture-exclude-cleanup")) {
            if (!value(&text))
                return line;
            run.selection.fixtureExcludeCleanup = text;
        } else if (arg == QLatin1String("-C") || arg == QLatin1String("--build-config")) {
            if (!value(&run.configuration))
                return line;
        } else if (arg == QLatin1String("-U") || arg == QLatin1String("--union")) {
            run.selection.useUnion = true;
        } else if (arg == QLatin1String("-N") || arg == QLatin1String("--show-only")
            || arg == QLatin1String("--show-only=human")) {
            run.showOnly = true;
        } else if (arg == QLatin1String("--show-only=json-v1")) {
            run.showOnlyJson = true;
        } else if (arg == QLatin1String("--print-labels")) {
            run.printLabels = true;
        } else if (arg == QLatin1String("--rerun-failed")) {
            run.selection.rerunFailed = true;
        } else if (arg == QLatin1String("--repeat") || arg.startsWith(QLatin1String("--repeat="))) {
            if (arg != QLatin1String("--repeat"))
                text = arg.mid(9);
            else if (!value(&text))
                return line;
            QString error;
            if (!ctest::parseRepeat(text, &run.repeat, &error)) {
                line.error = error;
                return line;
            }
        } else if (arg == QLatin1String("--stop-on-failure")) {
            run.stopOnFailure = true;
        } else if (arg.startsWith(QLatin1String("--no-tests="))) {
            const QString mode = arg.mid(11);
            if (mode != QLatin1String("error") && mode != QLatin1String("ignore")) {
                line.error = QStringLiteral("--no-tests: expected error or ignore, got '%1'").arg(mode);
                return line;
            }
            run.noTestsIsError = mode == QLatin1String("error");
            noTestsGiven = true;
        } else if (arg == QLatin1String("--schedule-random")) {
            run.scheduleRandom = true;
        } else if (arg == QLatin1String("--group-by")) {
            line.given.insert(QStringLiteral("group-by"));
            if (!value(&text))
                return line;
            if (!groupByFromName(text, &run.groupBy)) {
                line.error = QStringLiteral("--group-by: expected case, suite or executable, got '%1'").arg(text);
                return line;
            }
            run.groupBySet = true;
        } else if (arg == QLatin1String("--framework")) {
            if (!value(&text))
                return line;
            if (text != QLatin1String("auto") && !createFrameworkAdapter(text)) {
                line.error = QStringLiteral("--framework: unknown framework '%1' (known: auto, %2)")
                                 .arg(text, frameworkNames().join(QStringLiteral(", ")));
                return line;
            }
            run.framework = text;
        } else if (arg == QLatin1String("--output-on-failure")) {
            run.console.outputOnFailure = true;
        } else if (arg == QLatin1String("--output-junit")) {
            if (!value(&run.junitPath))
                return line;
        } else if (arg == QLatin1String("-T") || arg == QLatin1String("--test-action")) {
            if (!value(&text))
                return line;
            // Of ctest's dashboard steps only Test has a meaning here.
            if (text.compare(QLatin1String("test"), Qt::CaseInsensitive) != 0) {
                line.error = QStringLiteral("ctest's dashboard step %1 %2 is not supported by ctestd (only -T Test)")
                                 .arg(arg, text);
                return line;
            }
            run.dashboardTest = true;
        } else if (arg.startsWith(QLatin1String("--color=")) || arg == QLatin1String("--color")) {
            if (!parseColor(arg, &run.color, &line.error))
                return line;
        } else if (arg == QLatin1String("--durations")) {
            if (!value(&text))
                return line;
            if (!parseCount(text, &run.console.durations) || run.console.durations < 0) {
                line.error = QStringLiteral("--durations: expected a count (0 for all), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--test-load")) {
            if (!value(&text))
                return line;
            if (!parseCount(text, &run.testLoad) || run.testLoad < 0) {
                line.error = QStringLiteral("--test-load: expected a load (0 or more), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--shard")) {
            if (!value(&text))
                return line;
            Shard shard;
            QString error;
            if (!parseShard(text, &shard, &error)) {
                line.error = error;
                return line;
            }
            run.shard = shard;
        } else if (arg == QLatin1String("--progress")) {
            run.console.progress = true;
        } else if (arg == QLatin1String("--test-output-size-passed")
            || arg == QLatin1String("--test-output-size-failed")) {
            if (!value(&text))
                return line;
            int size = 0;
            if (!parseCount(text, &size) || size < 0) {
                line.error = QStringLiteral("%1: expected a size in bytes, got '%2'").arg(arg, text);
                return line;
            }
            (arg.endsWith(QLatin1String("passed")) ? run.outputLimits.passed : run.outputLimits.failed) = size;
        } else if (arg == QLatin1String("--test-output-truncation")) {
            if (!value(&text))
                return line;
            if (text == QLatin1String("tail"))
                run.outputLimits.cut = OutputLimits::Cut::Tail;
            else if (text == QLatin1String("middle"))
                run.outputLimits.cut = OutputLimits::Cut::Middle;
            else if (text == QLatin1String("head"))
                run.outputLimits.cut = OutputLimits::Cut::Head;
            else {
                line.error
                    = QStringLiteral("--test-output-truncation: expected tail, middle or head, got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--no-compress-output")) {
            run.compressOutput = false;
        } else if (arg == QLatin1String("-O") || arg == QLatin1String("--output-log")) {
            if (!value(&run.outputLogPath))
                return line;
        } else if (arg == QLatin1String("--output-json")) {
            if (!value(&run.jsonPath))
                return line;
        } else if (arg == QLatin1String("--archive")) {
            if (!value(&run.archivePath))
                return line;
            if (!bundle::containerForName(run.archivePath)) {
                line.error = QStringLiteral("--archive: cannot tell the bundle's format from '%1': name it %2")
                                 .arg(run.archivePath, bundle::knownExtensions());
                return line;
            }
        } else if (arg == QLatin1String("--junit-locations")) {
            run.junitLocations = true;
        } else if (arg == QLatin1String("-V") || arg == QLatin1String("--verbose") || arg == QLatin1String("-VV")
            || arg == QLatin1String("--extra-verbose")) {
            // -VV adds ctest's dashboard chatter, which a test run does not
            // have: ctest 3.25 prints the same for both.
            run.console.verbose = true;
        } else if (arg == QLatin1String("-Q") || arg == QLatin1String("--quiet")) {
            run.console.quiet = true;
        } else if (arg == QLatin1String("--listen")) {
            line.given.insert(QStringLiteral("listen"));
            if (!value(&run.listen))
                return line;
        } else if (arg == QLatin1String("--worker-setup") || arg == QLatin1String("--worker-teardown")) {
            const bool setup = arg == QLatin1String("--worker-setup");
            line.given.insert(arg.mid(2));
            if (!value(setup ? &run.worker.setup : &run.worker.teardown))
                return line;
        } else if (arg == QLatin1String("--launcher")) {
            line.given.insert(QStringLiteral("launcher"));
            if (!value(&text))
                return line;
            run.launcher = QProcess::splitCommand(text);
            if (run.launcher.isEmpty()) {
                line.error = QStringLiteral("--launcher: expected a command, got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--hook-timeout")) {
            line.given.insert(QStringLiteral("hook-timeout"));
            if (!value(&text))
                return line;
            if (!parseSeconds(text, &run.worker.hookTimeoutSeconds)) {
                line.error = QStringLiteral("--hook-timeout: expected seconds (0: none), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--keep-tmp")) {
            line.given.insert(QStringLiteral("keep-tmp"));
            run.worker.keepTmp = true;
        } else if (arg == QLatin1String("--isolate-workdir")) {
            line.given.insert(QStringLiteral("isolate-workdir"));
            run.worker.isolateWorkdir = true;
        } else if (arg == QLatin1String("--show-config")) {
            line.showConfig = true;
        } else if (arg == QLatin1String("--workers")) {
            line.given.insert(QStringLiteral("parallel"));
            if (!value(&text))
                return line;
            const std::optional<QVector<WorkerSource>> sources = parseWorkerSources(text, &line.error);
            if (!sources)
                return line;
            run.workerSources = *sources;
            workersGiven = true;
        } else if (arg == QLatin1String("--advertise")) {
            if (!value(&run.advertise))
                return line;
            // HOST alone: the port is the one --listen bound (--listen ...:0 picks one).
            const int colon = run.advertise.lastIndexOf(QLatin1Char(':'));
            const bool bracketed = run.advertise.startsWith(QLatin1Char('['));
            const bool hasPort = colon > 0 && (!bracketed || run.advertise.at(colon - 1) == QLatin1Char(']'));
            bool ok = !run.advertise.isEmpty() && !run.advertise.startsWith(QLatin1Char(':'));
            if (ok && hasPort && !bracketed && run.advertise.count(QLatin1Char(':')) > 1)
                ok = false; // an IPv6 address needs brackets: [::1]:4711
            if (ok && hasPort) {
                const uint port = run.advertise.mid(colon + 1).toUInt(&ok);
                ok = ok && port > 0 && port <= 65535;
            }
            if (!ok) {
                line.error = QStringLiteral("--advertise expects HOST or HOST:PORT, got '%1'").arg(run.advertise);
                return line;
            }
        } else if (arg == QLatin1String("--ssh-command") || arg == QLatin1String("--worker-command")) {
            if (!value(&text))
                return line;
            const QStringList command = QProcess::splitCommand(text);
            if (command.isEmpty()) {
                line.error = QStringLiteral("%1: expected a command, got '%2'").arg(arg, text);
                return line;
            }
            (arg == QLatin1String("--ssh-command") ? run.sshCommand : run.workerCommand) = command;
        } else if (arg == QLatin1String("--heartbeat-timeout")) {
            if (!value(&text))
                return line;
            bool ok = false;
            run.heartbeatTimeoutSeconds = text.toDouble(&ok);
            if (!ok || !(run.heartbeatTimeoutSeconds == 0 || run.heartbeatTimeoutSeconds >= 0.5)
                || run.heartbeatTimeoutSeconds > 86400) {
                line.error
                    = QStringLiteral("--heartbeat-timeout: expected seconds (0: none, else 0.5 to 86400), got '%1'")
                          .arg(text);
                return line;
            }
            line.workerSilenceLimitMs = int(run.heartbeatTimeoutSeconds * 1000);
        } else if (arg == QLatin1String("--launch-id")) {
            commandOptions.append(arg);
            if (!value(&text))
                return line;
            bool ok = false;
            line.launchId = text.toLongLong(&ok);
            if (!ok || line.launchId < 1) {
                line.error = QStringLiteral("--launch-id: expected a number (1 or more), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--connect")) {
            commandOptions.append(arg);
            if (!value(&line.connectAddress))
                return line;
        } else if (arg == QLatin1String("--key-stdin")) {
            commandOptions.append(arg);
            line.keyFromStdin = true;
        } else if (arg == QLatin1String("--max-worker-restarts")) {
            if (!value(&text))
                return line;
            if (!parseCount(text, &run.maxWorkerRestarts) || run.maxWorkerRestarts < 0) {
                line.error = QStringLiteral("--max-worker-restarts: expected a count (0 or more), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--json") && line.command == Command::List) {
            run.listJson = true;
        } else if (arg == QLatin1String("--build-dir")) {
            commandOptions.append(arg);
            if (!value(&line.buildDirectory))
                return line;
        } else if (arg == QLatin1String("--executable")) {
            commandOptions.append(arg);
            if (!value(&line.caseRequest.executable))
                return line;
        } else if (arg == QLatin1String("--group")) {
            commandOptions.append(arg);
            if (!value(&line.caseRequest.group))
                return line;
        } else if (arg == QLatin1String("--selector")) {
            commandOptions.append(arg);
            if (!value(&line.caseRequest.selector))
                return line;
        } else if (arg == QLatin1String("--working-directory")) {
            commandOptions.append(arg);
            if (!value(&line.caseRequest.workingDirectory))
                return line;
        } else if (arg == QLatin1String("--extra-arg")) {
            commandOptions.append(arg);
            if (!value(&text))
                return line;
            line.caseRequest.extraArguments.append(text);
        } else if (arg == QLatin1String("--debug")) {
            line.debugLogging = true;
        } else if (arg == QLatin1String("-W") || arg == QLatin1String("--max-width")) {
            if (!value(&text))
                return line;
            if (!parseCount(text, &run.console.nameWidth) || run.console.nameWidth < 0) {
                line.error = QStringLiteral("%1: expected a width (0 or more), got '%2'").arg(arg, text);
                return line;
            }
        } else if (arg == QLatin1String("--no-label-summary")) {
            run.console.labelSummary = false;
        } else if (arg == QLatin1String("--no-subproject-summary")
            || arg == QLatin1String("--force-new-ctest-process")) {
            // Nothing to do: ctestd prints no subproject summary and starts
            // no ctest of its own, so the output is ctest's either way.
        } else if (arg == QLatin1String("--repeat-until-fail")) {
            // ctest's older spelling of --repeat until-fail:N.
            if (!value(&text))
                return line;
            QString error;
            if (!ctest::parseRepeat(QStringLiteral("until-fail:") + text, &run.repeat, &error)) {
                line.error = QStringLiteral("--repeat-until-fail: expected a count, got '%1'").arg(text);
                return line;
            }
        } else if (const QString refused = refusedCtestOption(arg); !refused.isEmpty()) {
            line.error = QStringLiteral("ctest's option %1 is not supported by ctestd (README, \"Supported ctest "
                                        "options\")")
                             .arg(refused);
            return line;
        } else {
            line.error = QStringLiteral("unknown option '%1'").arg(arg);
            return line;
        }
    }

    // An option of another command is an error, never ignored.
    for (const QString &option : qAsConst(commandOptions)) {
        const QString owner = commandOwning(option, line.command);
        if (!owner.isEmpty()) {
            line.error = QStringLiteral("%1 is an option of %2, not of this command").arg(option, owner);
            return line;
        }
    }

    const bool service = line.command == Command::Serve || line.command == Command::Case;
    if (service) {
        if (line.buildDirectory.isEmpty())
            line.error = QStringLiteral("--build-dir DIR is required");
        else if (!run.executables.isEmpty())
            line.error = QStringLiteral("unexpected argument '%1'").arg(run.executables.first());
        else if (line.command == Command::Case
            && (line.caseRequest.executable.isEmpty() || line.caseRequest.selector.isEmpty()))
            // --group may be empty: with --group-by executable the whole
            // executable is one group and its key is "".
            line.error = QStringLiteral("case: --executable and --selector are required");
        protocol::CaseRequest &request = line.caseRequest;
        request.framework = run.framework;
        // Empty: the framework's default, as `ctestd list` used.
        request.groupBy = run.groupBySet ? groupByName(run.groupBy) : QString();
        request.timeoutSeconds = run.timeoutSeconds >= 0 ? run.timeoutSeconds : defaults::CaseTimeoutSeconds;
        request.launcher = run.launcher;
        return line;
    }
    if (line.command == Command::List && run.executables.isEmpty()) {
        line.error = QStringLiteral("list: no test executables given");
        return line;
    }
    if (line.command == Command::Worker) {
        if (line.connectAddress.isEmpty())
            line.error = QStringLiteral("worker: --connect ADDRESS is required");
        else if (!run.executables.isEmpty())
            line.error = QStringLiteral("worker: unexpected argument '%1'").arg(run.executables.first());
    } else if (!run.executables.isEmpty()
        && (run.selection.includeRegex || run.selection.excludeRegex || !run.selection.includeLabels.isEmpty()
            || !run.selection.excludeLabels.isEmpty() || run.selection.testsInformation || run.selection.useUnion
            || run.selection.fixtureExcludeAny || run.selection.fixtureExcludeSetup
            || run.selection.fixtureExcludeCleanup || run.selection.rerunFailed || run.showOnly || run.showOnlyJson
            || run.printLabels || !run.configuration.isEmpty() || run.dashboardTest)) {
        line.error = QStringLiteral("-R, -E, -L, -LE, -I, -U, -C, -N, -T, --print-labels and --rerun-failed are "
                                    "options of a build tree (--test-dir), not of executables");
    } else if (!run.testDirectory.isEmpty() && !run.executables.isEmpty()) {
        line.error = QStringLiteral("give either --test-dir or executables, not both");
    } else if (run.executables.isEmpty() && run.testDirectory.isEmpty()) {
        // Like ctest: with nothing named, the current directory is the build tree.
        run.testDirectory = QStringLiteral(".");
    }
    if (line.command == Command::Run && line.error.isEmpty()) {
        const ctest::EnvironmentDefaults fromEnvironment = ctest::environmentDefaults(environment);
        // A build tree runs one test at a time unless asked otherwise, as
        // under ctest: a suite that is not safe in parallel must not break
        // because only the command's name changed.
        if (workersGiven) {
            // The list says how many: -j would say it twice.
            if (jobsGiven) {
                line.error = QStringLiteral("give -j or --workers, not both (local*N in --workers adds local workers)");
                return line;
            }
            run.jobs = workerCount(run.workerSources);
            for (const WorkerSource &source : qAsConst(run.workerSources)) {
                if (source.isRemote() && run.listen.isEmpty()) {
                    line.error
                        = QStringLiteral("--workers %1: workers on other hosts connect over TCP; give "
                                         "--listen HOST:PORT (and --advertise when they reach it by another name)")
                              .arg(source.name());
                    return line;
                }
                if (source.engine == WorkerSource::Engine::Command && run.workerCommand.isEmpty()) {
                    line.error = QStringLiteral("--workers cmd needs --worker-command 'COMMAND {args}'");
                    return line;
                }
            }
        } else if (!jobsGiven && !run.testDirectory.isEmpty()) {
            run.jobs = fromEnvironment.parallelLevel.value_or(1);
        }
        run.console.outputOnFailure = run.console.outputOnFailure || fromEnvironment.outputOnFailure;
        run.console.progress = run.console.progress || fromEnvironment.progress;
        if (!run.shard) {
            QString error;
            if (!shardFromEnvironment(environment, &run.shard, &error)) {
                line.error = error;
                return line;
            }
        }
        run.console.listPassed
            = run.console.verbose && (run.selection.includeRegex.has_value() || run.selection.excludeRegex.has_value());
        if (!noTestsGiven && fromEnvironment.noTestsIsError)
            run.noTestsIsError = *fromEnvironment.noTestsIsError;
    }
    return line;
}

// A setting's effective value, for --show-config.
QString effectiveValue(const QString &name, const RunOptions &run)
{
    if (name == QLatin1String("parallel"))
        return run.jobs == 0 ? QStringLiteral("0 (one worker per CPU)") : QString::number(run.jobs);
    if (name == QLatin1String("timeout"))
        return QString::number(run.timeoutSeconds);
    if (name == QLatin1String("group-by"))
        return groupByName(run.groupBy);
    if (name == QLatin1String("listen"))
        return run.listen;
    if (name == QLatin1String("worker-setup"))
        return run.worker.setup;
    if (name == QLatin1String("worker-teardown"))
        return run.worker.teardown;
    if (name == QLatin1String("hook-timeout"))
        return QString::number(run.worker.hookTimeoutSeconds);
    if (name == QLatin1String("launcher"))
        return run.launcher.join(QLatin1Char(' '));
    if (name == QLatin1String("keep-tmp"))
        return run.worker.keepTmp ? QStringLiteral("true") : QStringLiteral("false");
    if (name == QLatin1String("isolate-workdir"))
        return run.worker.isolateWorkdir ? QStringLiteral("true") : QStringLiteral("false");
    return QString();
}
} // namespace

CommandLine parseCommandLine(const QStringList &arguments, const QProcessEnvironment &environment)
{
    CommandLine line = parseArguments(arguments, environment);
    const bool takesDefaults
        = line.command == Command::Run || line.command == Command::List || line.command == Command::Serve;
    if (!line.error.isEmpty() || !takesDefaults)
        return line;
    // The build tree's file: the daemon's build tree, the tree a run runs,
    // or, running executables, the directory it runs in.
    const bool buildTree = line.command == Command::Run && line.run.executables.isEmpty();
    const QString directory = line.command == Command::Serve ? line.buildDirectory
        : buildTree                                          ? line.run.testDirectory
                                                             : QDir::currentPath();
    line.configFile = QFileInfo(QDir(directory).filePath(ConfigFileName)).absoluteFilePath();
    QString error;
    const std::optional<QVector<SettingOrigin>> settings
        = resolveSettings(line.configFile, line.given, environment, buildTree, &error);
    if (!settings) {
        line.error = error;
        return line;
    }
    QStringList defaults;
    for (const SettingOrigin &setting : *settings) {
        if (setting.arguments.isEmpty())
            continue;
        // Alone first, so that a bad value is blamed on where it came from.
        const CommandLine alone = parseArguments(QStringList {QStringLiteral("run")} + setting.arguments, {});
        if (!alone.error.isEmpty()) {
            line.error = QStringLiteral("%1 (%2): %3").arg(setting.name, setting.source, alone.error);
            return line;
        }
        defaults += setting.arguments;
    }
    if (!defaults.isEmpty()) {
        // Before the command line's own options, as if given first.
        QStringList all = arguments;
        const bool named = !all.isEmpty()
            && (all.first() == QLatin1String("run") || all.first() == QLatin1String("list")
                || all.first() == QLatin1String("serve"));
        for (int i = 0; i < defaults.size(); ++i)
            all.insert((named ? 1 : 0) + i, defaults.at(i));
        const QString configFile = line.configFile;
        const QSet<QString> given = line.given;
        line = parseArguments(all, environment);
        line.configFile = configFile;
        line.given = given;
    }
    line.settings = *settings;
    for (SettingOrigin &setting : line.settings) {
        if (setting.source != QLatin1String("default"))
            setting.value = effectiveValue(setting.name, line.run);
    }
    return line;
}

QJsonObject selectionSummary(const RunOptions &options)
{
    QJsonObject selection;
    if (!options.testDirectory.isEmpty())
        selection.insert(QStringLiteral("testDirectory"), QFileInfo(options.testDirectory).absoluteFilePath());
    else
        selection.insert(QStringLiteral("executables"), QJsonArray::fromStringList(options.executables));
    const ctest::SelectionOptions &s = options.selection;
    const auto optional = [&selection](const char *name, const std::optional<QString> &value) {
        if (value)
            selection.insert(QLatin1String(name), *value);
    };
    if (!options.configuration.isEmpty())
        selection.insert(QStringLiteral("configuration"), options.configuration);
    optional("testsRegex", s.includeRegex);
    optional("excludeRegex", s.excludeRegex);
    if (!s.includeLabels.isEmpty())
        selection.insert(QStringLiteral("labelRegex"), QJsonArray::fromStringList(s.includeLabels));
    if (!s.excludeLabels.isEmpty())
        selection.insert(QStringLiteral("labelExclude"), QJsonArray::fromStringList(s.excludeLabels));
    optional("testsInformation", s.testsInformation);
    if (s.useUnion)
        selection.insert(QStringLiteral("union"), true);
    optional("fixtureExcludeAny", s.fixtureExcludeAny);
    optional("fixtureExcludeSetup", s.fixtureExcludeSetup);
    optional("fixtureExcludeCleanup", s.fixtureExcludeCleanup);
    if (s.rerunFailed)
        selection.insert(QStringLiteral("rerunFailed"), true);
    if (options.shard)
        selection.insert(
            QStringLiteral("shard"), QStringLiteral("%1/%2").arg(options.shard->index + 1).arg(options.shard->count));
    if (options.groupBySet)
        selection.insert(QStringLiteral("groupBy"), groupByName(options.groupBy));
    return selection;
}

} // namespace ctestd
