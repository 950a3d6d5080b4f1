// SPDX-License-Identifier: BSD-3-Clause
#include "options.h"

#include "frameworks/adapter.h"

namespace ctestd {

QString usageText()
{
    return QStringLiteral("Usage:\n"
                          "  ctestd [run] [options] EXECUTABLE...   run the cases of test executables\n"
                          "  ctestd list [options] EXECUTABLE...    show the cases and fixture groups it would run\n"
                          "  ctestd worker --connect ADDRESS        a worker (started by ctestd itself)\n"
                          "\n"
                          "Options (ctest's spelling where ctest has the same idea):\n"
                          "  -j, --parallel [N]       N workers; absent or 0: one per CPU\n"
                          "  --timeout SECONDS        per-case time limit (default 1500; 0: none)\n"
        "  --discovery-timeout S    time limit for listing an executable's cases (default 60)\n"
                          "  --output-on-failure      print the output of failed cases\n"
                          "  --output-junit FILE      write JUnit XML to FILE\n"
                          "  -V, --verbose            print the output of every case\n"
                          "  -Q, --quiet              print nothing on the console\n"
                          "  --group-by MODE          case | suite | executable (default: the framework's)\n"
                          "  --framework NAME         gtest (default)\n"
                          "  --listen HOST:PORT       workers connect over TCP instead of a local socket\n"
                          "  --max-worker-restarts N  replacement workers allowed (default 4 x workers)\n"
                          "  --debug                  log ctestd's own diagnostics to stderr\n"
                          "  -h, --help               show this help\n"
                          "  --version                show the version\n"
                          "\n"
                          "Exit code: 0 when every case passed or was skipped, 8 when any failed or did not run.\n");
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

CommandLine parseCommandLine(const QStringList &arguments)
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
        }
    }

    RunOptions &run = line.run;
    bool endOfOptions = false;
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
            // ctest's -j takes an optional count: "-j" alone means all CPUs.
            int count = 0;
            if (i + 1 < args.size() && parseCount(args.at(i + 1), &count)) {
                ++i;
                if (count < 0) {
                    line.error = QStringLiteral("%1: the number of workers must not be negative, got '%2'")
                                     .arg(arg, args.at(i));
                    return line;
                }
                run.jobs = count;
            } else {
                run.jobs = 0;
            }
        } else if (arg.startsWith(QLatin1String("-j")) || arg.startsWith(QLatin1String("--parallel="))) {
            const QString count = arg.mid(arg.startsWith(QLatin1String("-j")) ? 2 : 11);
            if (!parseCount(count, &run.jobs) || run.jobs < 0) {
                line.error = QStringLiteral("-j: expected a number of workers (0 or more), got '%1'").arg(count);
                return line;
            }
        } else if (arg == QLatin1String("--timeout")) {
            if (!value(&text))
                return line;
            bool ok = false;
            run.timeoutSeconds = text.toDouble(&ok);
            if (!ok || run.timeoutSeconds < 0) {
                line.error = QStringLiteral("--timeout: expected seconds (0 or more), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--discovery-timeout")) {
            if (!value(&text))
                return line;
            bool ok = false;
            run.discoveryTimeoutSeconds = text.toDouble(&ok);
            if (!ok || run.discoveryTimeoutSeconds <= 0) {
                line.error = QStringLiteral("--discovery-timeout: expected seconds (more than 0), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--group-by")) {
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
            if (!createFrameworkAdapter(text)) {
                line.error = QStringLiteral("--framework: unknown framework '%1' (known: gtest)").arg(text);
                return line;
            }
            run.framework = text;
        } else if (arg == QLatin1String("--output-on-failure")) {
            run.console.outputOnFailure = true;
        } else if (arg == QLatin1String("--output-junit")) {
            if (!value(&run.junitPath))
                return line;
        } else if (arg == QLatin1String("-V") || arg == QLatin1String("--verbose")) {
            run.console.verbose = true;
        } else if (arg == QLatin1String("-Q") || arg == QLatin1String("--quiet")) {
            run.console.quiet = true;
        } else if (arg == QLatin1String("--listen")) {
            if (!value(&run.listen))
                return line;
        } else if (arg == QLatin1String("--connect")) {
            if (!value(&line.connectAddress))
                return line;
        } else if (arg == QLatin1String("--max-worker-restarts")) {
            if (!value(&text))
                return line;
            if (!parseCount(text, &run.maxWorkerRestarts) || run.maxWorkerRestarts < 0) {
                line.error = QStringLiteral("--max-worker-restarts: expected a count (0 or more), got '%1'").arg(text);
                return line;
            }
        } else if (arg == QLatin1String("--debug")) {
            line.debugLogging = true;
        } else {
            line.error = QStringLiteral("unknown option '%1'").arg(arg);
            return line;
        }
    }

    if (line.command == Command::Worker) {
        if (line.connectAddress.isEmpty())
            line.error = QStringLiteral("worker: --connect ADDRESS is required");
        else if (!run.executables.isEmpty())
            line.error = QStringLiteral("worker: unexpected argument '%1'").arg(run.executables.first());
    } else if (run.executables.isEmpty()) {
        line.error = QStringLiteral("no test executables given");
    }
    return line;
}

} // namespace ctestd
