// SPDX-License-Identifier: BSD-3-Clause
// ctestd: runs C++ test cases in fixture-grouped worker processes and reports
// them the way ctest does. See README.md for the commands.
#include "core/signalwatcher.h"
#include "protocol/handshake.h"
#include "runner/listcommand.h"
#include "runner/options.h"
#include "runner/runcontroller.h"
#include "worker/worker.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace ctestd;

int main(int argc, char *argv[])
{
    // An inherited SIG_IGN for SIGCHLD makes the kernel reap children itself
    // and every exit status reads as a crash (faults-and-costs A6).
    std::signal(SIGCHLD, SIG_DFL);

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
        const QByteArray key = protocol::keyFromEnvironment(&error);
        if (key.isEmpty()) {
            err.write(QStringLiteral("ctestd worker: %1\n").arg(error).toUtf8());
            return 2;
        }
        Worker worker(line.connectAddress, key);
        QObject::connect(&worker, &Worker::done, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        if (!worker.start(&error)) {
            err.write(QStringLiteral("ctestd worker: %1\n").arg(error).toUtf8());
            return 2;
        }
        return app.exec();
    }

    RunOptions options = line.run;
    options.workerProgram = QCoreApplication::applicationFilePath();
    if (line.command == Command::List) {
        ListCommand list(options, &out, &err);
        QObject::connect(&list, &ListCommand::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        QTimer::singleShot(0, &list, &ListCommand::start);
        return app.exec();
    }
    RunController run(options, &out, &err);
    QObject::connect(&run, &RunController::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    SignalWatcher signalWatcher({SIGINT, SIGTERM});
    QObject::connect(&signalWatcher, &SignalWatcher::received, &run, &RunController::interrupt);
    QTimer::singleShot(0, &run, &RunController::start);
    return app.exec();
}
