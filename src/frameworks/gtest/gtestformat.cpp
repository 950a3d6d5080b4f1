// SPDX-License-Identifier: BSD-3-Clause
#include "gtestformat.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include <limits>

namespace ctestd::gtest {

namespace {

// The longest JSON string kept whole when a report is read; a test's 10 MB
// failure message would otherwise be held several times over (the file, the
// parsed document, UTF-16), and ctestd keeps 64 KiB of a message anyway.
constexpr int MaxJsonStringBytes = 256 * 1024;

// Reads a JSON document from `file` in chunks, cutting every string literal
// longer than MaxJsonStringBytes with a note, so that memory stays bounded
// whatever the test wrote. Cuts only between characters and escapes, so the
// result is valid JSON whenever the input is.
QByteArray readJsonWithShortStrings(QFile *file)
{
    QByteArray result;
    result.reserve(int(qMin<qint64>(file->size(), 4 * 1024 * 1024)));
    bool inString = false;
    bool escaped = false;
    int hexDigitsLeft = 0; // of a \uXXXX escape
    qint64 length = 0; // bytes of the current string so far
    qint64 dropped = 0; // of the current string, once it is cut
    char chunk[64 * 1024];
    for (qint64 got; (got = file->read(chunk, sizeof chunk)) > 0;) {
        // What is kept is copied in runs, not byte by byte: `kept` is where
        // the current run of kept bytes began.
        qint64 kept = 0;
        const auto keepUpTo = [&](qint64 end) {
            result.append(chunk + kept, int(end - kept));
            kept = end;
        };
        for (qint64 i = 0; i < got; ++i) {
            const char c = chunk[i];
            if (!inString) {
                inString = c == '"';
                length = 0;
                dropped = 0;
                continue;
            }
            const bool closes = !escaped && hexDigitsLeft == 0 && c == '"';
            if (dropped > 0 && !closes) {
                keepUpTo(i);
                kept = i + 1;
                ++dropped;
                escaped = !escaped && c == '\\';
                continue;
            }
            const bool boundary = !escaped && hexDigitsLeft == 0 && c != '\\' && (uchar(c) & 0xC0) != 0x80;
            if (!closes && boundary && length >= MaxJsonStringBytes) {
                keepUpTo(i);
                kept = i + 1;
                dropped = 1;
                continue;
            }
            if (closes && dropped > 0) {
                keepUpTo(i);
                result.append(" [ctestd: " + QByteArray::number(dropped) + " more bytes of this text were dropped]");
            }
            ++length;
            if (closes) {
                inString = false;
            } else if (escaped) {
                escaped = false;
                hexDigitsLeft = c == 'u' ? 4 : 0;
            } else if (hexDigitsLeft > 0) {
                --hexDigitsLeft;
            } else {
                escaped = c == '\\';
            }
        }
        keepUpTo(got);
    }
    return result;
}

} // namespace

bool isListableName(const QString &s)
{
    return !s.isEmpty() && !s.at(0).isSpace() && !s.at(s.size() - 1).isSpace() && !s.contains(QLatin1Char('#'));
}

QString gtestJsonString(const QJsonValue &value)
{
    const QString s = value.toString();
    if constexpr (std::numeric_limits<char>::is_signed) {
        bool escapedBytes = false;
        for (const QChar c : s) {
            if (c.unicode() > 0xff)
                return s; // not from "\u00XX" escapes: taken as it is
            escapedBytes = escapedBytes || c.unicode() >= 0x80;
        }
        if (escapedBytes)
            return QString::fromUtf8(s.toLatin1());
    }
    return s;
}

bool readGTestJson(const QString &path, QJsonObject *root)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray data = readJsonWithShortStrings(&file);
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error == QJsonParseError::IllegalUTF8String)
        document = QJsonDocument::fromJson(QString::fromUtf8(data).toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return false;
    *root = document.object();
    return root->value(QLatin1String("testsuites")).isArray();
}

} // namespace ctestd::gtest
