// SPDX-License-Identifier: BSD-3-Clause
#include "goldenfile.h"

#include <QFile>
#include <QList>

#include <algorithm>

QString goldenFileProblem(const QString &path, const QByteArray &actual)
{
    if (qEnvironmentVariableIntValue("CTESTD_REGENERATE_GOLDEN") == 1) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(actual) != actual.size())
            return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return QString();
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1: %2 (CTESTD_REGENERATE_GOLDEN=1 writes it)")
            .arg(path, file.errorString());
    const QByteArray expected = file.readAll();
    if (expected == actual)
        return QString();
    const QList<QByteArray> want = expected.split('\n');
    const QList<QByteArray> got = actual.split('\n');
    int line = 0;
    while (line < std::min(want.size(), got.size()) && want.at(line) == got.at(line))
        ++line;
    return QStringLiteral("%1 differs at line %2:\n  expected: \"%3\"\n  actual:   \"%4\"\nwhole actual text:\n%5")
        .arg(path)
        .arg(line + 1)
        .arg(QString::fromUtf8(want.value(line, "<end of file>")), QString::fromUtf8(got.value(line, "<end of file>")),
            QString::fromUtf8(actual));
}
