// SPDX-License-Identifier: BSD-3-Clause
#include "reportcommand.h"

#include "bundle/bundlereader.h"
#include "bundle/merge.h"
#include "reporters/consolereporter.h"
#include "reporters/jsonreport.h"
#include "reporters/junitwriter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <csignal>

namespace ctestd {

namespace {

// CTESTD_ARCHIVE: the build tree's daemon writes a ctest run's bundle once
// ctest has exited, and says so in `<bundle>.pending` meanwhile. A report
// run right after ctest waits for it (as long as that daemon lives, at
// most a minute) instead of reading an older bundle or none.
void waitForPendingBundle(const QString &path)
{
    const QString pending = path + QStringLiteral(".pending");
    QFile marker(pending);
    if (!marker.open(QIODevice::ReadOnly))
        return;
    const qint64 pid = marker.readLine(32).trimmed().toLongLong();
    marker.close();
    QElapsedTimer clock;
    clock.start();
    while (QFile::exists(pending) && pid > 0 && ::kill(pid_t(pid), 0) == 0 && clock.elapsed() < 60000)
        QThread::msleep(20);
}

// A bundle, or a JSON report (--output-json), which holds the same record.
bool readRun(const QString &path, RunRecord *record, QString *error)
{
    waitForPendingBundle(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    const QByteArray head = file.peek(64).trimmed();
    if (head.startsWith('{')) {
        if (file.size() > (qint64(1) << 31)) {
            *error = QStringLiteral("a JSON report of more than 2 GiB");
            return false;
        }
        return parseRunRecord(file.readAll(), record, error);
    }
    file.close();
    Bundle bundle;
    if (!BundleReader::read(path, &bundle, error))
        return false;
    *record = bundle.record;
    return true;
}

} // namespace

int runReport(const ReportOptions &options, const QStringList &commandLine, QIODevice *out, QIODevice *err,
    bool terminal, const QProcessEnvironment &environment)
{
    const auto fail = [err](const QString &message) {
        err->write(QStringLiteral("ctestd report: %1\n").arg(message).toUtf8());
        return 1;
    };
    QVector<RunRecord> records;
    for (const QString &path : options.bundles) {
        RunRecord record;
        QString error;
        if (!readRun(path, &record, &error))
            return fail(QStringLiteral("%1: %2").arg(path, error));
        records.append(record);
    }
    RunRecord run;
    QString error;
    if (!mergeRunRecords(records, options.bundles, &run, &error))
        return fail(error);

    if (!options.artifactsDirectory.isEmpty()) {
        for (const QString &path : options.bundles) {
            // Several bundles: one folder each, named after its file.
            QString destination = options.artifactsDirectory;
            if (options.bundles.size() > 1)
                destination += QLatin1Char('/') + QFileInfo(path).fileName();
            QFile probe(path);
            if (probe.open(QIODevice::ReadOnly) && probe.peek(64).trimmed().startsWith('{'))
                continue; // a JSON report has no artifacts
            if (!BundleReader::extractArtifacts(path, destination, &error))
                return fail(QStringLiteral("%1: %2").arg(path, error));
        }
    }

    ConsoleOptions console = run.console;
    console.outputOnFailure = console.outputOnFailure || options.outputOnFailure;
    console.verbose = console.verbose || options.verbose;
    if (options.durations)
        console.durations = *options.durations;
    console.color = useColor(options.color, terminal, environment);
    console.statusLine = false;
    console.progress = false;
    QIODevice *consoleOut = options.quiet ? nullptr : out;
    QIODevice *consoleErr = options.quiet ? nullptr : err;

    RunListeners listeners;
    listeners.add(std::make_unique<ConsoleReporter>(consoleOut, consoleErr, console));
    if (!options.jsonPath.isEmpty()) {
        auto json = std::make_unique<JsonReporter>(options.jsonPath, commandLine, err, console);
        json->setHost(run.host);
        listeners.add(std::move(json));
    }
    if (!options.junitPath.isEmpty()) {
        // Relative to the current folder, not to the run's build tree.
        auto junit = std::make_unique<JUnitReporter>(
            QFileInfo(options.junitPath).absoluteFilePath(), err, options.junitLocations);
        junit->setHostname(run.host);
        listeners.add(std::move(junit));
    }
    if (!listeners.ready(run.start, &error))
        return fail(error);
    return replayRunRecord(run, listeners, consoleOut, consoleErr);
}

} // namespace ctestd
