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

QString decodeXmlEntities(const QByteArray &text)
{
    if (!text.contains('&'))
        return QString::fromUtf8(text);
    QByteArray out;
    out.reserve(text.size());
    for (int i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c != '&') {
            out.append(c);
            continue;
        }
        const int semicolon = text.indexOf(';', i + 1);
        if (semicolon < 0 || semicolon - i > 10) {
            out.append(c);
            continue;
        }
        const QByteArray entity = text.mid(i + 1, semicolon - i - 1);
        if (entity == "lt")
            out.append('<');
        else if (entity == "gt")
            out.append('>');
        else if (entity == "amp")
            out.append('&');
        else if (entity == "quot")
            out.append('"');
        else if (entity == "apos")
            out.append('\'');
        else if (entity.startsWith('#')) {
            bool ok = false;
            const uint code = entity.startsWith("#x") ? entity.mid(2).toUInt(&ok, 16) : entity.mid(1).toUInt(&ok, 10);
            if (!ok || code == 0 || code > 0x10ffff) {
                out.append(c);
                continue;
            }
            const char32_t codePoint = code;
            out.append(QString::fromUcs4(&codePoint, 1).toUtf8());
        } else {
            out.append(c);
            continue;
        }
        i = semicolon;
    }
    return QString::fromUtf8(out);
}

QString joinedMessage(QStringList lines)
{
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    return lines.join(QLatin1Char('\n'));
}

bool MessageBudget::append(QStringList *lines, const QString &line)
{
    if (m_spent)
        return false;
    if (m_used + line.size() > m_limit) {
        lines->append(line.left(qMax(0, m_limit - m_used)));
        lines->append(QStringLiteral("[... truncated by ctestd]"));
        m_spent = true;
        return false;
    }
    m_used += line.size() + 1;
    lines->append(line);
    return true;
}

namespace {
bool isXmlNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
} // namespace

XmlTagParse parseXmlTag(const QByteArray &text, XmlTag *tag)
{
    *tag = XmlTag();
    const int n = int(text.size());
    if (n < 3 || text.at(0) != '<')
        return XmlTagParse::Invalid;
    int i = 1;
    if (text.at(i) == '/') {
        tag->closing = true;
        ++i;
    }
    const int nameStart = i;
    while (i < n && isXmlNameChar(text.at(i)))
        ++i;
    if (i == nameStart)
        return XmlTagParse::Invalid;
    tag->name = text.mid(nameStart, i - nameStart);
    while (i < n) {
        const char c = text.at(i);
        if (c == '>')
            return i == n - 1 ? XmlTagParse::Complete : XmlTagParse::Invalid;
        if (c == '/') {
            if (tag->closing || i != n - 2 || text.at(i + 1) != '>')
                return XmlTagParse::Invalid;
            tag->selfClosing = true;
            return XmlTagParse::Complete;
        }
        if (c != ' ' || tag->closing)
            return XmlTagParse::Invalid;
        ++i;
        const int attributeStart = i;
        while (i < n && isXmlNameChar(text.at(i)))
            ++i;
        if (i == attributeStart || i + 1 >= n || text.at(i) != '=' || text.at(i + 1) != '"')
            return XmlTagParse::Invalid;
        const QByteArray attribute = text.mid(attributeStart, i - attributeStart);
        const int valueStart = i + 2;
        const int quote = int(text.indexOf('"', valueStart));
        if (quote < 0)
            return XmlTagParse::Incomplete;
        tag->attributes.insert(attribute, decodeXmlEntities(text.mid(valueStart, quote - valueStart)));
        i = quote + 1;
    }
    return XmlTagParse::Invalid;
}

} // namespace ctestd
