// SPDX-License-Identifier: BSD-3-Clause
#include "bundlewriter.h"

#include "bundleformat.h"
#include "consolecapture.h"
#include "model/logging.h"
#include "reporters/reportfile.h"
#include "reporters/runrecord.h"

#include <KTar>
#include <KZip>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryFile>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace ctestd {

using namespace bundle;

namespace {

struct LoadedEntry {
    QString name;
    QByteArray data;
};

struct LocalEntry {
    QString name;
    QString path;
    qint64 size = 0;
};

std::unique_ptr<KArchive> archiveFor(Container container, const QString &path)
{
    if (container == Container::Zip)
        return std::make_unique<KZip>(path);
    return std::make_unique<KTar>(path, tarMimeType(container));
}

// What one test process left in its $CTESTD_ARTIFACT_DIR, under `folder`.
// Only regular files: a symbolic link or a device would point the
// bundle's reader outside it, so those are named in `skipped` instead.
void collectArtifacts(
    const QString &directory, const QString &folder, QVector<LocalEntry> *entries, QStringList *skipped)
{
    QDirIterator it(
        directory, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    QVector<LocalEntry> found;
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString relative = QDir(directory).relativeFilePath(info.filePath());
        const QString name = folder + QLatin1Char('/') + relative;
        if (info.isSymLink())
            skipped->append(name + QStringLiteral(": a symbolic link"));
        else if (info.isFile())
            found.append({name, info.filePath(), info.size()});
        else if (!info.isDir())
            skipped->append(name + QStringLiteral(": not a regular file"));
    }
    // The same order on every machine.
    std::sort(found.begin(), found.end(), [](const LocalEntry &a, const LocalEntry &b) { return a.name < b.name; });
    *entries += found;
}

// The folder of a process's artifacts: the case's name for a process of
// one case, else its program and group.
QString artifactFolderName(const RunEnd &end, const ProcessRecord &process)
{
    if (process.cases.size() == 1)
        return folderNameFor(end.cases.value(process.cases.first()).testCase.displayName);
    QString name = QFileInfo(process.executable).fileName();
    if (!process.group.isEmpty())
        name += QLatin1Char('-') + process.group;
    return folderNameFor(name);
}

bool isEmptyDirectory(const QString &path)
{
    return QDir(path).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

// A build tree's files under Testing/ that this run wrote (CTestCostData.txt,
// LastTestsFailed.log, TAG, Test.xml), by their modification time.
QVector<LocalEntry> ctestFiles(const RunStart &start)
{
    QVector<LocalEntry> entries;
    if (!start.buildTree || !start.started.isValid())
        return entries;
    const QString testing = QDir(start.projectDirectory).filePath(QStringLiteral("Testing"));
    QDirIterator it(testing, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    // A file system may keep whole seconds only.
    const QDateTime since = start.started.addMSecs(-start.started.time().msec());
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (info.isSymLink() || !info.isFile() || info.lastModified() < since)
            continue;
        entries.append({CTestFolder + QStringLiteral("/Testing/") + QDir(testing).relativeFilePath(info.filePath()),
            info.filePath(), info.size()});
    }
    std::sort(entries.begin(), entries.end(), [](const LocalEntry &a, const LocalEntry &b) { return a.name < b.name; });
    return entries;
}

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

BundleWriter::BundleWriter(
    const BundleSettings &settings, const RunRecorder *recorder, const ConsoleCapture *capture, QIODevice *err)
    : m_settings(settings)
    , m_recorder(recorder)
    , m_capture(capture)
    , m_err(err)
{ }

bool BundleWriter::ready(const RunStart &, QString *error)
{
    const QFileInfo info(m_settings.path);
    if (info.exists() && !info.isFile()) {
        *error = QStringLiteral("cannot write the bundle %1: not a regular file").arg(m_settings.path);
        return false;
    }
    return checkReportDestination(m_settings.path, QStringLiteral("the bundle"), error);
}

JUnitRunInfo BundleWriter::junitInfo(const RunStart &run) const
{
    JUnitRunInfo info;
    info.ctestNames = run.buildTree;
    if (!run.junitSuiteName.isEmpty())
        info.ctestSuiteName = run.junitSuiteName;
    info.caseLocations = m_settings.junitLocations;
    return info;
}

void BundleWriter::runStarted(const RunStart &run)
{
    m_junitCases.start(junitInfo(run));
}

int BundleWriter::runFinished(const RunEnd &end, int exitCode)
{
    QString error;
    if (write(end, exitCode, &error))
        return exitCode;
    if (m_err)
        m_err->write(QStringLiteral("ctestd: cannot write the bundle %1: %2\n").arg(m_settings.path, error).toUtf8());
    return exitCode == 0 ? 1 : exitCode;
}

bool writeBundle(const BundleSettings &settings, RunRecord record, const QByteArray &stdoutText,
    const QByteArray &stderrText, const QByteArray &junit, QString *error)
{
    const std::optional<Container> container = containerForName(settings.path);
    if (!container) {
        *error = QStringLiteral("unknown format: name it %1").arg(knownExtensions());
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    const RunEnd &end = record.end;

    // Artifacts, one folder per test process that left something.
    QVector<LocalEntry> locals;
    QStringList skipped;
    QSet<QString> folders;
    for (ProcessRecord &process : record.end.processes) {
        const QString directory = process.artifactDirectory;
        const QString outputLog = process.outputLog;
        process.artifactDirectory.clear();
        process.outputLog.clear();
        process.artifacts.clear();
        process.output.clear();
        const bool hasArtifacts = !directory.isEmpty() && !isEmptyDirectory(directory);
        const bool hasOutput = !outputLog.isEmpty() && QFileInfo(outputLog).isFile();
        if (!hasArtifacts && !hasOutput)
            continue;
        const QString base = artifactFolderName(record.end, process);
        QString folder = base;
        for (int n = 2; folders.contains(folder); ++n)
            folder = QStringLiteral("%1 (%2)").arg(base).arg(n);
        folders.insert(folder);
        if (hasArtifacts) {
            process.artifacts = ArtifactsFolder + QLatin1Char('/') + folder;
            collectArtifacts(directory, process.artifacts, &locals, &skipped);
        }
        if (hasOutput) {
            process.output = OutputFolder + QLatin1Char('/') + folder + QStringLiteral(".log");
            locals.append({process.output, outputLog, QFileInfo(outputLog).size()});
        }
    }
    locals += ctestFiles(record.start);

    const qint64 collected = clock.nsecsElapsed();
    const QVector<LoadedEntry> loaded {
        {RunName, runRecordJson(record)},
        {StdoutName, stdoutText},
        {StderrName, stderrText},
        {JUnitName, junit},
    };

    const qint64 serialised = clock.nsecsElapsed();
    QJsonArray files;
    for (const LoadedEntry &entry : loaded) {
        files.append(QJsonObject {{QStringLiteral("name"), entry.name},
            {QStringLiteral("size"), double(entry.data.size())}, {QStringLiteral("crc32"), checksum(entry.data)}});
    }
    QJsonArray others;
    for (const LocalEntry &entry : qAsConst(locals))
        others.append(QJsonObject {{QStringLiteral("name"), entry.name}, {QStringLiteral("size"), double(entry.size)}});
    QJsonObject manifest {
        {QStringLiteral("format"), ManifestFormat},
        {QStringLiteral("version"), ManifestVersion},
        {QStringLiteral("ctestdVersion"), record.ctestdVersion},
        {QStringLiteral("host"), record.host},
        {QStringLiteral("started"), isoUtc(record.start.started)},
        {QStringLiteral("finished"), isoUtc(record.finishedUtc)},
        {QStringLiteral("commandLine"), QJsonArray::fromStringList(settings.commandLine)},
        {QStringLiteral("workingDirectory"), settings.workingDirectory},
        {QStringLiteral("selection"), settings.selection},
        {QStringLiteral("cases"), end.reportedCount()},
        {QStringLiteral("exitCode"), end.interruptSignal != 0 ? 128 + end.interruptSignal : record.exitCode},
        {QStringLiteral("interruptedBy"), end.interruptSignal},
        {QStringLiteral("files"), files},
        {QStringLiteral("otherFiles"), others},
    };
    if (!skipped.isEmpty())
        manifest.insert(QStringLiteral("skipped"), QJsonArray::fromStringList(skipped));
    const QByteArray manifestBytes = QJsonDocument(manifest).toJson(QJsonDocument::Indented);
    const qint64 summed = clock.nsecsElapsed();

    // A temporary file beside the bundle, renamed over it once complete.
    const QFileInfo target(settings.path);
    QTemporaryFile temporary(
        target.absolutePath() + QStringLiteral("/.") + target.fileName() + QStringLiteral(".XXXXXX"));
    if (!temporary.open()) {
        *error = temporary.errorString();
        return false;
    }
    temporary.close();
    const QString temporaryPath = temporary.fileName();
    {
        std::unique_ptr<KArchive> archive = archiveFor(*container, temporaryPath);
        if (!archive->open(QIODevice::WriteOnly)) {
            *error = archive->errorString();
            return false;
        }
        const QDateTime now = QDateTime::currentDateTime();
        const auto writeLoaded = [&](const QString &name, const QByteArray &data) {
            if (archive->writeFile(name, data, 0100644, QString(), QString(), now, now, now))
                return true;
            *error = archive->errorString();
            return false;
        };
        if (!writeLoaded(ManifestName, manifestBytes))
            return false;
        for (const LoadedEntry &entry : loaded) {
            if (!writeLoaded(entry.name, entry.data))
                return false;
        }
        for (const LocalEntry &entry : qAsConst(locals)) {
            if (!archive->addLocalFile(entry.path, entry.name)) {
                *error = QStringLiteral("%1: %2").arg(entry.path, archive->errorString());
                return false;
            }
        }
        if (!archive->close()) {
            *error = archive->errorString();
            return false;
        }
    }
    // The permissions a new file gets (QTemporaryFile makes it private).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(QFile::encodeName(temporaryPath).constData(), 0666 & ~mask);
    if (std::rename(QFile::encodeName(temporaryPath).constData(), QFile::encodeName(settings.path).constData()) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    temporary.setAutoRemove(false);
    qCDebug(lcDaemon).nospace() << "bundle " << settings.path << " written in " << clock.nsecsElapsed() / 1000
                                << " us: collected " << collected / 1000 << ", record "
                                << (serialised - collected) / 1000 << ", checksums " << (summed - serialised) / 1000
                                << ", archive " << (clock.nsecsElapsed() - summed) / 1000 << " (" << locals.size()
                                << " local files)";
    return true;
}

bool BundleWriter::write(const RunEnd &end, int exitCode, QString *error)
{
    const RunRecord record = m_recorder->recordFor(end, exitCode, QDateTime::currentDateTimeUtc());
    JUnitRunInfo junit = junitInfo(record.start);
    junit.timestamp = end.finished;
    junit.hostname = record.host;
    junit.wallSeconds = end.wallSeconds;
    return writeBundle(m_settings, record, m_capture ? m_capture->stdoutText() : QByteArray(),
        m_capture ? m_capture->stderrText() : QByteArray(),
        JUnitWriter::toXml(end.reportedCases(), end.reportedResults(), junit, &m_junitCases.finish()), error);
}

} // namespace ctestd
