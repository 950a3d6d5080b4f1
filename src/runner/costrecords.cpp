// SPDX-License-Identifier: BSD-3-Clause
#include "costrecords.h"

#include "model/logging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace ctestd {

namespace {
const QByteArray Magic("ctestd-costs 1");
// A day: a case or fixture time beyond it is a broken clock, not a record.
constexpr double MaxSeconds = 86400;
// Records of executables that have not run for this long (deleted build
// trees, test programs in temporary folders) are removed.
constexpr int StaleDays = 30;

bool plausible(double seconds)
{
    return std::isfinite(seconds) && seconds >= 0 && seconds <= MaxSeconds;
}
} // namespace

QString costRecordsDirectory()
{
    const QString set = QProcessEnvironment::systemEnvironment().value(QStringLiteral("CTESTD_COSTS"));
    if (set == QLatin1String("off"))
        return QString();
    if (!set.isEmpty())
        return QDir(set).absolutePath();
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    return cache.isEmpty() ? QString() : cache + QStringLiteral("/ctestd/costs");
}

QString costRecordsPath(const QString &directory, const QString &executable)
{
    const QByteArray hash = QCryptographicHash::hash(executable.toUtf8(), QCryptographicHash::Sha1).toHex();
    return directory + QLatin1Char('/') + QString::fromLatin1(hash.left(20)) + QStringLiteral(".txt");
}

CostRecords readCostRecords(const QString &path, const QString &executable)
{
    CostRecords records;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return records;
    const QByteArray header = file.readLine().trimmed();
    if (header != Magic + '\t' + executable.toUtf8()) {
        qCDebug(lcDaemon).noquote() << "ignoring the cost records" << path
                                    << ": not this executable's, or another format";
        return records;
    }
    int number = 1;
    while (!file.atEnd()) {
        ++number;
        QByteArray line = file.readLine();
        if (line.endsWith('\n'))
            line.chop(1);
        const int first = line.indexOf('\t');
        const int second = first < 0 ? -1 : line.indexOf('\t', first + 1);
        bool ok = false;
        const double seconds = second < 0 ? 0 : line.mid(first + 1, second - first - 1).toDouble(&ok);
        const QByteArray kind = line.left(first);
        const QString name = second < 0 ? QString() : QString::fromUtf8(line.mid(second + 1));
        if (!ok || !plausible(seconds) || name.isEmpty() || (kind != "case" && kind != "fixture")) {
            qCDebug(lcDaemon).noquote() << "ignoring line" << number << "of the cost records" << path << ":"
                                        << QString::fromUtf8(line.left(200));
            continue;
        }
        (kind == "case" ? records.cases : records.fixtures).insert(name, seconds);
    }
    return records;
}

bool writeCostRecords(const QString &path, const QString &executable, const CostRecords &records, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = QStringLiteral("cannot create the folder of %1").arg(path);
        return false;
    }
    QByteArray text = Magic + '\t' + executable.toUtf8() + '\n';
    const auto add = [&text](const char *kind, const QHash<QString, double> &entries) {
        for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
            // A name with a line break would read back as two lines.
            if (it.key().contains(QLatin1Char('\n')) || it.key().contains(QLatin1Char('\r')) || !plausible(it.value()))
                continue;
            text += kind + QByteArray("\t") + QByteArray::number(it.value(), 'g', 6) + '\t' + it.key().toUtf8() + '\n';
        }
    };
    add("case", records.cases);
    add("fixture", records.fixtures);
    // Written aside and renamed, so that a reader never sees half a file;
    // not synced to disk (QSaveFile would): a record lost to a power cut
    // costs one run's planning, and the sync cost every run milliseconds.
    QTemporaryFile file(path + QStringLiteral(".XXXXXX"));
    if (!file.open() || file.write(text) != text.size() || !file.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    if (::rename(QFile::encodeName(file.fileName()).constData(), QFile::encodeName(path).constData()) != 0) {
        *error = QStringLiteral("cannot replace %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    file.setAutoRemove(false);
    return true;
}

CostRecords &CostLedger::recordsOf(const QString &executable)
{
    auto found = m_records.find(executable);
    if (found == m_records.end()) {
        CostRecords records;
        if (!m_directory.isEmpty())
            records = readCostRecords(costRecordsPath(m_directory, executable), executable);
        found = m_records.insert(executable, records);
    }
    return *found;
}

QVector<CaseEstimate> CostLedger::estimates(const QVector<TestCase> &cases)
{
    QVector<CaseEstimate> estimates(cases.size());
    // Cases of one executable come together: looked up once per run of them.
    const QString *executable = nullptr;
    const CostRecords *records = nullptr;
    for (int i = 0; i < cases.size(); ++i) {
        const TestCase &testCase = cases[i];
        if (!executable || *executable != testCase.executable) {
            executable = &testCase.executable;
            records = &recordsOf(testCase.executable);
        }
        CaseEstimate &estimate = estimates[i];
        estimate.seconds = records->cases.value(testCase.selector, testCase.cost > 0 ? testCase.cost : -1.0);
        estimate.fixtureSeconds = records->fixtures.value(testCase.group.name, -1.0);
    }
    return estimates;
}

void CostLedger::learn(
    const QString &executable, const QHash<QString, double> &caseSeconds, const QHash<QString, double> &fixtureSeconds)
{
    if (m_directory.isEmpty() || (caseSeconds.isEmpty() && fixtureSeconds.isEmpty()))
        return;
    CostRecords &records = recordsOf(executable);
    const auto take = [](QHash<QString, double> &into, const QHash<QString, double> &from) {
        for (auto it = from.cbegin(); it != from.cend(); ++it) {
            if (plausible(it.value()))
                into.insert(it.key(), it.value());
        }
    };
    take(records.cases, caseSeconds);
    take(records.fixtures, fixtureSeconds);
    m_changed.insert(executable);
}

void CostLedger::save()
{
    for (const QString &executable : qAsConst(m_changed)) {
        QString error;
        if (!writeCostRecords(
                costRecordsPath(m_directory, executable), executable, m_records.value(executable), &error))
            qCDebug(lcDaemon).noquote() << "cost records not kept:" << error;
    }
    if (!m_changed.isEmpty()) {
        const QDateTime stale = QDateTime::currentDateTimeUtc().addDays(-StaleDays);
        // Records, and what a run that died while writing one left aside.
        const QFileInfoList files
            = QDir(m_directory).entryInfoList({QStringLiteral("*.txt"), QStringLiteral("*.txt.??????")}, QDir::Files);
        for (const QFileInfo &file : files) {
            if (file.lastModified() < stale)
                QFile::remove(file.filePath());
        }
    }
    m_changed.clear();
}

} // namespace ctestd
