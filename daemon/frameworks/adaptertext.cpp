// SPDX-License-Identifier: BSD-3-Clause
#include "adaptertext.h"

#include <QList>

namespace ctestd {

namespace {
constexpr int maxQuotedChars = 80;
} // namespace

QByteArray withoutCarriageReturn(const QByteArray &line)
{
    return line.endsWith('\r') ? line.left(line.size() - 1) : line;
}

QStringList outputLines(const QByteArray &output)
{
    QStringList lines;
    const QList<QByteArray> raw = output.split('\n');
    lines.reserve(raw.size());
    for (const QByteArray &line : raw)
        lines.append(QString::fromUtf8(withoutCarriageReturn(line)));
    return lines;
}

bool splitFileAndLine(const QString &location, QString *file, int *line)
{
    const int colon = location.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    bool ok = false;
    const int number = location.mid(colon + 1).toInt(&ok);
    if (!ok || number < 0)
        return false;
    *file = location.left(colon);
    *line = number;
    return true;
}

QString quotedForError(const QString &text)
{
    return text.size() > maxQuotedChars ? text.left(maxQuotedChars) + QStringLiteral("...") : text;
}

} // namespace ctestd
