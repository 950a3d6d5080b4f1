// SPDX-License-Identifier: BSD-3-Clause
#include "invocationbundle.h"

#include "bundle/bundlewriter.h"
#include "model/logging.h"
#include "reporters/junitwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSysInfo>

#include <algorithm>

namespace ctestd {

namespace {
QString pendingPath(const QString &bundle)
{
    return bundle + QStringLiteral(".pending");
}
} // namespace

InvocationBundle::InvocationBundle(const QString &path, const QString &buildDirectory, qint64 ctestPid)
    : m_path(QDir(buildDirectory).absoluteFilePath(path))
    , m_buildDirectory(buildDirectory)
    , m_started(QDateTime::currentDateTimeUtc())
    , m_artifacts(QDir::tempPath() + QStringLiteral("/ctestd-artifacts-XXXXXX"))
{
    // ctest's command line and directory, while it runs: the manifest's.
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(ctestPid));
    if (cmdline.open(QIODevice::ReadOnly)) {
        for (const QByteArray &word : cmdline.readAll().split('\0')) {
            if (!word.isEmpty())
                m_commandLine.append(QString::fromLocal8Bit(word));
        }
    }
    m_workingDirectory = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(ctestPid)).symLinkTarget();
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    // An older run's bundle must not stand in for this one if writing it
    // fails: nobody but the daemon's log would hear of that failure.
    QFile::remove(m_path);
    QFile pending(pendingPath(m_path));
    if (pending.open(QIODevice::WriteOnly | QIODevice::Truncate))
        pending.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n');
}

InvocationBundle::~InvocationBundle()
{
    QFile::remove(pendingPath(m_path));
}

QString InvocationBundle::artifactRoot()
{
    if (!m_artifacts.isValid())
        return QString();
    const QString root = m_artifacts.filePath(QString::number(++m_runs));
    return QDir().mkpath(root) ? root : QString();
}

void InvocationBundle::addCase(
    const QString &run, const TestCase &testCase, const CaseResult &result, const QString &ctestName, int ctestPosition)
{
    // ctest --repeat asks for a test again: one case, several attempts.
    const QString key = !ctestName.isEmpty() ? ctestName : run + QLatin1Char('\x1f') + testCase.selector;
    int index = m_entryOf.value(key, -1);
    if (index < 0) {
        index = int(m_entries.size());
        Entry entry;
        entry.testCase = testCase;
        if (!ctestName.isEmpty())
            entry.testCase.displayName = ctestName;
        entry.testCase.dependsOn.clear();
        entry.position = ctestPosition;
        entry.order = index;
        m_entries.append(entry);
        m_entryOf.insert(key, index);
    }
    m_entries[index].results.append(result);
    m_completed.insert(run + QLatin1Char('\x1f') + testCase.selector, index);
}

void InvocationBundle::addDisabled(const QString &ctestName, const QString &executable, int ctestPosition)
{
    if (m_entryOf.contains(ctestName))
        return;
    Entry entry;
    entry.testCase.displayName = ctestName;
    entry.testCase.executable = executable;
    entry.testCase.disabled = true;
    CaseResult result;
    result.status = Status::Disabled;
    entry.results.append(result);
    entry.position = ctestPosition;
    entry.order = int(m_entries.size());
    m_entryOf.insert(ctestName, int(m_entries.size()));
    m_entries.append(entry);
}

void InvocationBundle::addProcesses(const QString &run, const RunEnd &end)
{
    for (ProcessRecord process : end.processes) {
        QVector<int> cases;
        for (int position : qAsConst(process.cases)) {
            const int entry
                = m_completed.value(run + QLatin1Char('\x1f') + end.cases.value(position).testCase.selector, -1);
            if (entry >= 0)
                cases.append(entry);
        }
        process.cases = cases;
        m_processes.append(process);
    }
}

bool InvocationBundle::write(QString *error)
{
    // ctest's listing order; cases it did not list (it ran a test ctestd
    // could not match) after them, as they completed.
    QVector<int> order(m_entries.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
        const Entry &x = m_entries[a];
        const Entry &y = m_entries[b];
        const int px = x.position > 0 ? x.position : std::numeric_limits<int>::max();
        const int py = y.position > 0 ? y.position : std::numeric_limits<int>::max();
        return px != py ? px < py : x.order < y.order;
    });
    QVector<int> positionOf(m_entries.size());
    for (int i = 0; i < order.size(); ++i)
        positionOf[order[i]] = i;

    RunRecord record;
    record.ctestdVersion = QCoreApplication::applicationVersion();
    record.host = QSysInfo::machineHostName();
    record.commandLine = m_commandLine;
    record.start.projectDirectory = m_buildDirectory;
    record.start.buildTree = true;
    record.start.started = m_started;
    record.finishedUtc = QDateTime::currentDateTimeUtc();
    record.end.finished = QDateTime::currentDateTime();
    record.end.wallSeconds = m_started.msecsTo(record.finishedUtc) / 1000.0;
    record.attempts.resize(order.size());
    for (int i = 0; i < order.size(); ++i) {
        Entry &entry = m_entries[order[i]];
        CaseOutcome outcome;
        outcome.testCase = entry.testCase;
        outcome.testCase.index = i + 1;
        outcome.result = entry.results.takeLast();
        outcome.dispatched = outcome.result.status != Status::Disabled;
        record.attempts[i] = entry.results;
        record.start.cases.append(outcome.testCase);
        record.end.cases.append(outcome);
    }
    for (ProcessRecord process : qAsConst(m_processes)) {
        for (int &position : process.cases)
            position = positionOf.value(position);
        record.end.processes.append(process);
    }
    record.exitCode = ctestExitCode(record.end.reportedResults());

    JUnitRunInfo junit;
    junit.timestamp = record.end.finished;
    junit.hostname = record.host;
    junit.wallSeconds = record.end.wallSeconds;
    junit.ctestNames = true;
    BundleSettings settings;
    settings.path = m_path;
    settings.commandLine = m_commandLine;
    settings.workingDirectory = m_workingDirectory;
    settings.selection.insert(QStringLiteral("testDirectory"), m_buildDirectory);
    settings.selection.insert(QStringLiteral("ctest"), QJsonArray::fromStringList(m_commandLine.mid(1)));
    const bool written = writeBundle(settings, record, QByteArray(), QByteArray(),
        JUnitWriter::toXml(record.end.reportedCases(), record.end.reportedResults(), junit), error);
    QFile::remove(pendingPath(m_path));
    return written;
}

} // namespace ctestd
