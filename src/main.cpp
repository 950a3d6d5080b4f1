// SPDX-License-Identifier: BSD-3-Clause
// ctestd: runs C++ test cases in fixture-grouped worker processes and reports
// them the way ctest does. See README.md for the commands.
#include "bundle/bundleformat.h"
#include "bundle/bundlewriter.h"
#include "bundle/consolecapture.h"
#include "cli/listcommand.h"
#include "cli/options.h"
#include "cli/reportcommand.h"
#include "model/logging.h"
#include "model/signalwatcher.h"
#include "protocol/handshake.h"
#include "reporters/consolereporter.h"
#include "reporters/consolesink.h"
#include "reporters/jsonreport.h"
#include "reporters/junitwriter.h"
#include "reporters/outputlog.h"
#include "reporters/runrecord.h"
#include "runner/runcontroller.h"
#include "service/caseclient.h"
#include "service/caseservice.h"
#include "service/invocation.h"
#include "worker/worker.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace ctestd;

int main(int argc, char *argv[])
{
    // An inherited SIG_IGN for SIGCHLD makes the kernel reap children itself
    // and every exit status reads as a crash: waitpid() finds no child.
    std::signal(SIGCHLD, SIG_DFL);

    // The build tree's daemon outlives the client that started it, so it
    // must not keep what that client inherited from ctest: its LastTest.log,
    // a pipe someone reads to the end (`(ctest 3>&1 ...) | cat` would wait
    // for the daemon). Before Qt opens anything of its own.
    if (argc > 1 && std::strcmp(argv[1], "serve") == 0)
        ::close_range(3, ~0U, 0);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ctestd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CTESTD_VERSION));

    QFile out;
    QFile err;
    if (!out.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered)
        || !err.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered))
        return 1;

    const CommandLine line = parseCommandLine(QCoreApplication::arguments().mid(1));
    if (line.command == Command::Help) {
        out.write(usageText().toUtf8());
        return 0;
    }
    if (line.command == Command::Version) {
        out.write("ctestd " CTESTD_VERSION "\n");
        return 0;
    }
    if (!line.error.isEmpty()) {
        err.write(QStringLiteral("ctestd: %1\nTry 'ctestd --help'.\n").arg(line.error).toUtf8());
        return 1;
    }
    if (line.debugLogging)
        QLoggingCategory::setFilterRules(QStringLiteral("ctestd.*.debug=true"));

    if (line.command == Command::Worker) {
        // Ctrl-C in a terminal reaches the whole process group; the daemon
        // decides what happens to the workers (its tests get SIGINT back).
        std::signal(SIGINT, SIG_IGN);
        QString error;
        // The daemon's launcher writes the key to stdin; a worker started
        // by hand may be given it in CTESTD_KEY instead.
        QByteArray key;
        if (line.keyFromStdin) {
            QFile in;
            if (!in.open(stdin, QIODevice::ReadOnly))
                error = QStringLiteral("cannot read the key from stdin");
            else
                key = protocol::keyFromHex(in.readLine(1024).trimmed(), &error);
            if (!error.isEmpty())
                error = QStringLiteral("--key-stdin: %1").arg(error);
        } else {
            key = protocol::keyFromEnvironment(&error);
        }
        if (key.isEmpty()) {
            err.write(QStringLiteral("ctestd worker: %1\n").arg(error).toUtf8());
            return 2;
        }
        Worker worker(line.connectAddress, key, line.launchId);
        worker.setSilenceLimit(line.workerSilenceLimitMs);
        QObject::connect(&worker, &Worker::done, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        if (!worker.start(&error)) {
            err.write(QStringLiteral("ctestd worker: %1\n").arg(error).toUtf8());
            return 2;
        }
        return app.exec();
    }

    if (line.command == Command::Report) {
        return runReport(line.report, QCoreApplication::arguments(), &out, &err, ::isatty(STDOUT_FILENO) == 1,
            QProcessEnvironment::systemEnvironment());
    }

    if (line.showConfig) {
        out.write(QStringLiteral("# ctestd's settings; file: %1\n").arg(line.configFile).toUtf8());
        out.write(settingsTable(line.settings).toUtf8());
        return 0;
    }

    const QString self = QCoreApplication::applicationFilePath();
    if (line.command == Command::Serve) {
        CaseService service(serviceLocation(line.buildDirectory), self, &err);
        service.setWorkerOptions(line.run);
        QObject::connect(&service, &CaseService::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        bool alreadyRunning = false;
        QString error;
        if (!service.start(&alreadyRunning, &error)) {
            if (alreadyRunning)
                return 0; // the tree has its daemon
            err.write(QStringLiteral("ctestd serve: %1\n").arg(error).toUtf8());
            return 1;
        }
        return app.exec();
    }
    if (line.command == Command::Case) {
        // CTESTD_ARCHIVE asks the daemon for a bundle of the whole ctest
        // run; a name it cannot write fails every case loudly, not the
        // bundle silently at the end.
        const QString archive = qEnvironmentVariable("CTESTD_ARCHIVE");
        if (!archive.isEmpty() && !bundle::containerForName(archive)) {
            err.write(QStringLiteral("ctestd case: CTESTD_ARCHIVE: cannot tell the bundle's format from '%1': name "
                                     "it %2\n")
                          .arg(archive, bundle::knownExtensions())
                          .toUtf8());
            return 1;
        }
        protocol::CaseRequest request = line.caseRequest;
        // The test's environment (ctest's ENVIRONMENT property) and working
        // directory are this process's; the daemon's own are whatever its
        // first client had, possibly in an earlier ctest invocation.
        const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QStringList names = environment.keys();
        for (const QString &name : names)
            request.environment.insert(name, environment.value(name));
        if (request.workingDirectory.isEmpty())
            request.workingDirectory = QDir::currentPath();
        const InvocationId invocation = currentInvocation();
        request.invocationPid = invocation.pid;
        request.invocationStart = invocation.startTicks;
        request.invocationIsCtest = invocation.ctest;
        request.executableIdentity = executableIdentity(request.executable);
        CaseClient client(serviceLocation(line.buildDirectory), request, self, &out, &err);
        QObject::connect(&client, &CaseClient::done, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        QTimer::singleShot(0, &client, &CaseClient::start);
        return app.exec();
    }

    RunOptions options = line.run;
    options.workerProgram = self;
    // gtest's shard variables choose ctestd's shard (see parseCommandLine);
    // left set, every gtest process would also run only its own share of
    // the cases ctestd gives it.
    qunsetenv("GTEST_TOTAL_SHARDS");
    qunsetenv("GTEST_SHARD_INDEX");
    if (line.command == Command::List) {
        ListCommand list(options, &out, &err);
        QObject::connect(&list, &ListCommand::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        QTimer::singleShot(0, &list, &ListCommand::start);
        return app.exec();
    }
    // -O logs what the run prints; -Q silences its stdout (the log still
    // gets it, as ctest's does). ctestd's own errors stay on stderr.
    OutputLog outputLog;
    OutputLog *log = nullptr;
    if (!options.outputLogPath.isEmpty()) {
        QString error;
        if (!outputLog.open(options.outputLogPath, &error)) {
            err.write(QStringLiteral("ctestd: %1\n").arg(error).toUtf8());
            return 1;
        }
        log = &outputLog;
    }
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const bool terminal = ::isatty(STDOUT_FILENO) == 1;
    options.console.color = useColor(options.color, terminal, environment);
    // A live status line where a person watches: a terminal that can
    // redraw a line.
    options.console.statusLine = terminal && environment.value(QStringLiteral("TERM")) != QLatin1String("dumb");
    struct winsize size { };
    if (options.console.statusLine && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        options.console.terminalWidth = size.ws_col;
    const bool quiet = options.console.quiet;
    options.console.quiet = false; // the streams below are silent instead
    // Not a terminal: stdout is written once per turn of the event loop.
    CoalescedOutput coalescedOut(&out);
    OrderedError orderedErr(&err, &coalescedOut);
    QIODevice *stdOut = terminal ? static_cast<QIODevice *>(&out) : &coalescedOut;
    QIODevice *stdErr = terminal ? static_cast<QIODevice *>(&err) : &orderedErr;
    LoggedStream runOut(quiet ? nullptr : stdOut, log, false);
    LoggedStream runErr(stdErr, log, true);
    LoggedStream consoleErr(quiet ? nullptr : stdErr, log, true);
    QIODevice *otherOut = &runOut;
    QIODevice *otherErr = &runErr;
    // --archive: the console is recorded as it prints, and every test
    // process gets its own empty $CTESTD_ARTIFACT_DIR under a private
    // folder that lives as long as the run.
    std::unique_ptr<RunRecorder> recorder;
    std::unique_ptr<ConsoleCapture> capture;
    std::unique_ptr<QTemporaryDir> artifacts;
    if (!options.archivePath.isEmpty()) {
        artifacts = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/ctestd-artifacts-XXXXXX"));
        if (!artifacts->isValid()) {
            err.write(QStringLiteral("ctestd: cannot create a folder for the tests' artifacts: %1\n")
                          .arg(artifacts->errorString())
                          .toUtf8());
            return 1;
        }
        options.artifactRoot = artifacts->path();
        recorder = std::make_unique<RunRecorder>();
        recorder->setCommandLine(QCoreApplication::arguments());
        recorder->setConsoleOptions(options.console);
        capture = std::make_unique<ConsoleCapture>(&runOut, &consoleErr, &runErr, recorder.get());
        recorder->setInner(
            std::make_unique<ConsoleReporter>(capture->consoleOut(), capture->consoleErr(), options.console, &out));
        otherOut = capture->otherOut();
        otherErr = capture->otherErr();
    }
    RunController run(options, otherOut, otherErr);
    const RunRecorder *record = recorder.get();
    if (recorder)
        run.addListener(std::move(recorder));
    else
        run.addListener(std::make_unique<ConsoleReporter>(&runOut, &consoleErr, options.console, &out));
    if (!options.jsonPath.isEmpty())
        run.addListener(
            std::make_unique<JsonReporter>(options.jsonPath, QCoreApplication::arguments(), otherErr, options.console));
    if (!options.junitPath.isEmpty())
        run.addListener(std::make_unique<JUnitReporter>(options.junitPath, otherErr, options.junitLocations));
    if (record) {
        BundleSettings settings;
        settings.path = options.archivePath;
        settings.commandLine = QCoreApplication::arguments();
        settings.workingDirectory = QDir::currentPath();
        settings.selection = selectionSummary(options);
        settings.junitLocations = options.junitLocations;
        run.addLastListener(std::make_unique<BundleWriter>(settings, record, capture.get(), otherErr));
    }
    QObject::connect(&run, &RunController::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    SignalWatcher signalWatcher({SIGINT, SIGTERM});
    QObject::connect(&signalWatcher, &SignalWatcher::received, &run, &RunController::interrupt);
    QTimer::singleShot(0, &run, &RunController::start);
    const int status = app.exec();
    coalescedOut.flushPending();
    struct rusage usage { };
    ::getrusage(RUSAGE_SELF, &usage);
    qCDebug(lcDaemon) << "daemon" << QCoreApplication::applicationPid() << "peak RSS" << peakResidentKiB() << "KiB, CPU"
                      << (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
                      << "ms";
    return status;
}
