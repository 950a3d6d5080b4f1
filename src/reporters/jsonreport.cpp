// SPDX-License-Identifier: BSD-3-Clause
#include "jsonreport.h"

#include "reportfile.h"

#include <QIODevice>

namespace ctestd {

JsonReporter::JsonReporter(
    const QString &path, const QStringList &commandLine, QIODevice *err, const ConsoleOptions &console)
    : m_path(path)
    , m_err(err)
{
    m_recorder.setCommandLine(commandLine);
    m_recorder.setConsoleOptions(console);
}

bool JsonReporter::ready(const RunStart &, QString *error)
{
    return checkReportDestination(m_path, QStringLiteral("the JSON report"), error);
}

int JsonReporter::runFinished(const RunEnd &end, int exitCode)
{
    m_recorder.runFinished(end, exitCode);
    QString reason;
    if (!writeReportFile(m_path, runRecordJson(m_recorder.record()), &reason)) {
        if (m_err)
            m_err->write(QStringLiteral("ctestd: cannot write the JSON report %1: %2\n").arg(m_path, reason).toUtf8());
        return exitCode == 0 ? 1 : exitCode;
    }
    return exitCode;
}

QByteArray JsonReporter::document(const RunEnd &end, int exitCode, const QDateTime &finished) const
{
    return runRecordJson(m_recorder.recordFor(end, exitCode, finished));
}

} // namespace ctestd
