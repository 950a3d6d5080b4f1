// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/defaults.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace ctestd {

// Text helpers every framework adapter needs for what test processes print.

// `line` without one trailing '\r' (output written with CRLF line ends).
QByteArray withoutCarriageReturn(const QByteArray &line);

// A process' output as lines without '\r', decoded leniently (invalid UTF-8
// becomes U+FFFD, so a hostile listing cannot break the error that quotes it).
QStringList outputLines(const QByteArray &output);

// "file:line" (GCC's form, as gtest and Catch2 print locations) split at the
// last ':'; false unless the line is a number >= 0.
bool splitFileAndLine(const QString &location, QString *file, int *line);

// Foreign text (a line that is not a listing, a selector) as an error
// message quotes it: at most 80 characters, then "...".
QString quotedForError(const QString &text);

// XML character data or an attribute value as text: the five named entities
// (&lt; &gt; &amp; &quot; &apos;) and numeric references decoded, anything
// else (an unknown entity, a reference to NUL or beyond U+10FFFF, a lone
// '&') kept as written. The Catch2 and doctest XML reporters write it
// (XmlEncode). Their "\xNN" escapes of control characters and invalid UTF-8
// cannot be told from literal text and stay as they are.
QString decodeXmlEntities(const QByteArray &text);

// One tag of an XML reporter that writes a tag per line (Catch2's and
// doctest's XmlWriter), and nothing else: `<Name a="v">`, `<Name a="v"/>` or
// `</Name>`, the whole of the text given. Attribute values are decoded
// (decodeXmlEntities). They never hold a raw `<` or `"`, but may hold a raw
// newline (a case name with one): then the tag is Incomplete, and the next
// line continues it.
struct XmlTag {
    QByteArray name;
    bool closing = false;
    bool selfClosing = false;
    QHash<QByteArray, QString> attributes;
};
enum class XmlTagParse { Complete, Incomplete, Invalid };
XmlTagParse parseXmlTag(const QByteArray &text, XmlTag *tag);

// A failure message's share of text, so that a test printing megabytes into
// one failure costs no more than the cap: lines go in whole while they fit
// (each counts its newline), the line that does not fit goes in cut, with a
// "[... truncated by ctestd]" line after it, and nothing goes in after that.
class MessageBudget {
public:
    explicit MessageBudget(int chars = defaults::FailureMessageChars)
        : m_limit(chars)
    { }
    // Appends `line` to `lines`, or what fits of it; false once the budget
    // is spent.
    bool append(QStringList *lines, const QString &line);

private:
    int m_limit;
    int m_used = 0;
    bool m_spent = false;
};

// A failure message from its lines: joined with '\n', without the blank
// (empty or white-space) lines at its end.
QString joinedMessage(QStringList lines);

} // namespace ctestd
