// SPDX-License-Identifier: BSD-3-Clause
#include "adapterharness.h"

#include <QFile>
#include <QProcessEnvironment>

namespace adaptertest {

Ran runProgram(const QString &program, const QStringList &arguments, const QHash<QString, QString> &environment,
    QProcess::ProcessChannelMode mode)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(mode);
    process.start(program, arguments);
    Ran ran;
    ran.finished = process.waitForFinished(60000);
    if (!ran.finished) {
        qWarning("%s did not finish", qPrintable(program));
        process.kill();
        process.waitForFinished();
    }
    ran.out = process.readAllStandardOutput();
    ran.err = process.readAllStandardError();
    ran.exitCode = process.exitCode();
    ran.exitStatus = process.exitStatus();
    return ran;
}

int lineOf(const QString &path, const QString &needle)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (QString::fromUtf8(lines.at(i)).contains(needle))
            return i + 1;
    }
    return -1;
}

QList<QByteArray> splitLines(const QByteArray &output)
{
    QList<QByteArray> lines = output.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

QVector<ctestd::ParsedLine> feedLines(ctestd::OutputParser &parser, const QByteArray &output)
{
    const QList<QByteArray> lines = splitLines(output);
    QVector<ctestd::ParsedLine> parsed;
    parsed.reserve(lines.size());
    for (const QByteArray &line : qAsConst(lines))
        parsed.append(parser.parseStdoutLine(line));
    return parsed;
}

} // namespace adaptertest
