// SPDX-License-Identifier: BSD-3-Clause
// Catch2OutputParser: the XML reporter's stream, line by line (v2 and v3).
#include "catch2adapter.h"

#include "frameworks/adaptertext.h"

#include <QHash>

namespace ctestd {

namespace {

// Elements of the XML reporter (run and benchmark output) in both versions.
bool isReporterElement(const QByteArray &name)
{
    static const QVector<QByteArray> names {"Catch", "Catch2TestRun", "Group", "TestCase", "Section", "Expression",
        "Original", "Expanded", "Info", "Warning", "Failure", "Skip", "FatalErrorCondition", "Exception",
        "OverallResult", "OverallResults", "OverallResultsCases", "StdOut", "StdErr", "Randomness", "BenchmarkResults",
        "mean", "standardDeviation", "outliers", "failed"};
    return names.contains(name);
}

// Elements whose content is text, written on lines of its own.
bool isTextElement(const QByteArray &name)
{
    static const QVector<QByteArray> names {"Original", "Expanded", "Info", "Warning", "Failure", "Skip",
        "FatalErrorCondition", "Exception", "StdOut", "StdErr"};
    return names.contains(name);
}

QString indented(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines)
        line.prepend(QLatin1String("  "));
    return lines.join(QLatin1Char('\n'));
}

// "3.7.1" >= "3.7.1"
bool versionAtLeast(const QString &version, int major, int minor, int patch)
{
    const QStringList parts = version.split(QLatin1Char('.'));
    const int wanted[3] = {major, minor, patch};
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        const int have = i < parts.size() ? parts.at(i).toInt(&ok) : 0;
        if (i < parts.size() && !ok)
            return false;
        if (have != wanted[i])
            return have > wanted[i];
    }
    return true;
}

} // namespace

Catch2OutputParser::Catch2OutputParser(const QStringList &selectors)
    : m_unstarted(selectors)
{
    for (const QString &selector : selectors) {
        const QString name = Catch2Adapter::selectorName(selector);
        m_twinKeys.insert(twinKey(name));
        if (name.startsWith(QLatin1Char('*')) || name.endsWith(QLatin1Char('*')))
            m_wildcards.append(twinKey(name));
    }
}

bool Catch2OutputParser::mayRunUnasked(const QString &name) const
{
    // Catch2 matches names without regard to case and surrounding blanks,
    // and a leading or trailing '*' in a name is a wildcard.
    const QString key = twinKey(name);
    if (m_twinKeys.contains(key))
        return true;
    for (const QString &pattern : m_wildcards) {
        const bool leading = pattern.startsWith(QLatin1Char('*'));
        const bool trailing = pattern.size() > 1 && pattern.endsWith(QLatin1Char('*'));
        const QString core = pattern.mid(leading ? 1 : 0, pattern.size() - (leading ? 1 : 0) - (trailing ? 1 : 0));
        if ((leading && trailing && key.contains(core)) || (leading && !trailing && key.endsWith(core))
            || (!leading && trailing && key.startsWith(core)))
            return true;
    }
    return false;
}

QString Catch2OutputParser::twinKey(const QString &name)
{
    // What Catch2's spec matching ignores: surrounding blanks and case.
    return name.trimmed().toCaseFolded();
}

bool Catch2OutputParser::isNormalExit(int exitCode) const
{
    if (exitCode < 0 || exitCode > 255)
        return false;
    if (!m_v3 || !versionAtLeast(m_version, 3, 7, 1))
        return true;
    return exitCode == 0 || exitCode == 42 || (exitCode >= 2 && exitCode <= 5);
}

bool Catch2OutputParser::exitSaysFailed(int exitCode) const
{
    // A case ctestd did not ask for (a case-insensitive or trimmed twin of
    // one it did) may have run alongside and failed: then the code is its.
    if (m_othersFailed)
        return false;
    if (m_v3 && versionAtLeast(m_version, 3, 7, 1))
        return exitCode == 42;
    return exitCode != 0;
}

QHash<QString, CaseResult> Catch2OutputParser::structuredResults()
{
    return {}; // everything came with the stream
}

bool Catch2OutputParser::parseTag(const QByteArray &line, XmlTag *tag, QByteArray *before)
{
    // XmlEncode escapes every '<' in text and attributes, and the reporter
    // writes one tag per line: the tag is the line's last '<' onwards. What
    // precedes it is the case's own output that did not end with a newline.
    const int open = int(line.lastIndexOf('<'));
    if (open < 0)
        return false;
    QByteArray text = line.mid(open);
    while (text.endsWith(' ') || text.endsWith('\t'))
        text.chop(1);
    if (parseXmlTag(text, tag) != XmlTagParse::Complete || !isReporterElement(tag->name))
        return false;
    QByteArray prefix = line.left(open);
    while (!prefix.isEmpty() && (prefix.endsWith(' ') || prefix.endsWith('\t')))
        prefix.chop(1);
    *before = prefix;
    return true;
}

QString Catch2OutputParser::takeSelector(const QString &reportedName, const QString &file, int line)
{
    const auto matches = [&](const QString &selector) {
        if (Catch2Adapter::reportedName(Catch2Adapter::selectorName(selector)) != reportedName)
            return false;
        // A twin is the one defined where the report says.
        QString definedIn;
        int definedAt = 0;
        return !Catch2Adapter::selectorLocation(selector, &definedIn, &definedAt)
            || (definedIn == file && definedAt == line);
    };
    for (int i = 0; i < m_unstarted.size(); ++i) {
        if (matches(m_unstarted.at(i))) {
            m_taken.append(m_unstarted.at(i));
            return m_unstarted.takeAt(i);
        }
    }
    // A case that already started starts again only when a test printed one
    // of the two starts: it is reported, for the worker to distrust both.
    for (const QString &selector : qAsConst(m_taken)) {
        if (matches(selector))
            return selector;
    }
    return QString();
}

QString Catch2OutputParser::composePart(const Part &part) const
{
    QStringList lines;
    QString header = Catch2Adapter::location(part.file, part.line);
    switch (part.kind) {
    case Part::Skip:
        header += QStringLiteral("SKIPPED");
        break;
    default:
        header += part.kind == Part::Expression && part.success ? QStringLiteral("PASSED") : QStringLiteral("FAILED");
        break;
    }
    if (!part.sections.isEmpty()) {
        QStringList names;
        for (const QString &section : part.sections)
            names.append(QLatin1Char('"') + section + QLatin1Char('"'));
        header += QStringLiteral(" in section ") + names.join(QStringLiteral(" > "));
    }
    lines.append(header + QLatin1Char(':'));
    switch (part.kind) {
    case Part::Expression:
        lines.append(indented(QStringLiteral("%1( %2 )").arg(part.type, part.original)));
        if (!part.exception.isEmpty()) {
            lines.append(QStringLiteral("due to unexpected exception with message:"));
            lines.append(indented(part.exception));
        } else if (!part.expanded.isEmpty() && part.expanded != part.original) {
            lines.append(QStringLiteral("with expansion:"));
            lines.append(indented(part.expanded));
        }
        break;
    case Part::Exception:
        lines.append(QStringLiteral("due to unexpected exception with message:"));
        lines.append(indented(part.text));
        break;
    case Part::Fatal:
        lines.append(QStringLiteral("due to a fatal error condition:"));
        lines.append(indented(part.text));
        break;
    case Part::Explicit:
        lines.append(QStringLiteral("explicitly with message:"));
        lines.append(indented(part.text));
        break;
    case Part::Skip:
        if (!part.text.isEmpty())
            lines.append(indented(part.text));
        break;
    }
    if (!part.infos.isEmpty()) {
        lines.append(QStringLiteral("with message%1:").arg(part.infos.size() > 1 ? QStringLiteral("s") : QString()));
        for (const QString &info : part.infos)
            lines.append(indented(info));
    }
    return lines.join(QLatin1Char('\n'));
}

// Records a finished assertion in the running case; returns its display.
QByteArray Catch2OutputParser::finishPart(const Part &part)
{
    Part complete = part;
    complete.sections = m_sections;
    complete.infos = m_infos + part.infos;
    m_infos.clear();
    if (m_case) {
        if (complete.kind == Part::Skip)
            m_case->skips.append(complete);
        else if (!(complete.kind == Part::Expression && complete.success))
            m_case->failures.append(complete);
        if (complete.kind == Part::Fatal)
            m_case->fatal = true;
        if (m_case->selector.isEmpty())
            return QByteArray(); // a case nobody asked for
    }
    return composePart(complete).toUtf8();
}

void Catch2OutputParser::finishCase(ParsedLine *parsed)
{
    LineEvent event;
    const Case finished = *std::exchange(m_case, std::nullopt);
    // A failing case that ran unasked (a twin of a requested name, or one a
    // wildcard matched) explains a failing exit code. Any other case nobody
    // asked for can only be a start the test printed itself: it explains
    // nothing, or a test could hide its failure behind a forged start.
    if (finished.selector.isEmpty() && finished.result && finished.result->status == Status::Failed
        && mayRunUnasked(finished.name))
        m_othersFailed = true;
    if (finished.selector.isEmpty() || !finished.result)
        return; // not ours, or no <OverallResult>: nothing is invented
    event.kind = LineEvent::Finished;
    event.selector = finished.selector;
    event.result = *finished.result;

    const QVector<Part> &parts = event.result.status == Status::Skipped ? finished.skips : finished.failures;
    if (event.result.status == Status::Failed || event.result.status == Status::Skipped) {
        QStringList messages;
        MessageBudget budget;
        for (const Part &part : parts) {
            if (messages.isEmpty()) {
                event.result.file = part.file;
                event.result.line = part.line;
            }
            if (!budget.append(&messages, composePart(part)))
                break;
        }
        if (messages.isEmpty() && event.result.status == Status::Failed) {
            messages.append(finished.tags.contains(QLatin1String("[!shouldfail]"))
                    ? QStringLiteral("the case is tagged [!shouldfail] but no assertion failed")
                    : QStringLiteral("Catch2 reported the case as failed"));
            // Catch2 printed nothing (a [!shouldfail] case that passed): the
            // output would be an empty block under "***Failed", so the reason
            // is shown where the failure text would have been.
            parsed->display = messages.constFirst().toUtf8();
        }
        event.result.message = messages.join(QLatin1Char('\n'));
    }
    parsed->events.append(event);
}

std::optional<QByteArray> Catch2OutputParser::endText(const Text &text)
{
    const QString content = text.lines.join(QLatin1Char('\n'));
    QString file = text.attributes.value("filename");
    const int line = text.attributes.value("line").toInt();
    if (text.tag == "Original" || text.tag == "Expanded") {
        if (m_part)
            (text.tag == "Original" ? m_part->original : m_part->expanded) = content;
        return QByteArray();
    }
    if (text.tag == "Info") {
        if (m_part)
            m_part->infos.append(content);
        else
            m_infos.append(content);
        return QByteArray();
    }
    if (text.tag == "Warning") {
        if (m_case && m_case->selector.isEmpty())
            return QByteArray();
        return (Catch2Adapter::location(file, line) + QStringLiteral("warning:\n") + indented(content)).toUtf8();
    }
    if (text.tag == "StdOut" || text.tag == "StdErr")
        return QByteArray(); // shown line by line
    if (m_part && text.tag == "Exception") {
        m_part->exception = content;
        return QByteArray();
    }
    Part part;
    part.kind = text.tag == "Exception"     ? Part::Exception
        : text.tag == "FatalErrorCondition" ? Part::Fatal
        : text.tag == "Skip"                ? Part::Skip
                                            : Part::Explicit;
    part.file = file;
    part.line = line;
    part.text = content;
    if (m_part) {
        // Inside an expression (not written by 2.13/3.7, but harmless).
        part.type = m_part->type;
        part.sections = m_sections;
    }
    return finishPart(part);
}

ParsedLine Catch2OutputParser::handleTag(const XmlTag &tag)
{
    ParsedLine parsed;
    parsed.display = QByteArray(); // reporter lines are not shown as XML
    const QByteArray &name = tag.name;

    if (name == "Catch" || name == "Catch2TestRun") {
        if (tag.closing) {
            m_complete = true;
        } else {
            m_v3 = name == "Catch2TestRun";
            m_version = tag.attributes.value("catch2-version");
        }
        return parsed;
    }
    if (name == "TestCase") {
        if (tag.closing) {
            if (!m_case)
                return parsed;
            if (m_case->fatal) {
                // Catch2's signal handler reported the case and closes the
                // document; then the process dies of the signal. Reporting
                // the case now would let the worker blame the next one.
                m_fatalCase = std::exchange(m_case, std::nullopt);
                return parsed;
            }
            finishCase(&parsed);
            return parsed;
        }
        if (m_fatalCase) {
            // The process went on after a fatal condition: a plain failure.
            m_case = std::exchange(m_fatalCase, std::nullopt);
            finishCase(&parsed);
        }
        // A case still open here never ended (a garbled stream): it gets no
        // result from us.
        m_case = Case();
        m_case->name = tag.attributes.value("name");
        m_case->tags = tag.attributes.value("tags");
        m_case->selector
            = takeSelector(m_case->name, tag.attributes.value("filename"), tag.attributes.value("line").toInt());
        m_part.reset();
        m_sections.clear();
        m_infos.clear();
        if (!m_case->selector.isEmpty()) {
            LineEvent event;
            event.kind = LineEvent::Started;
            event.selector = m_case->selector;
            parsed.events.append(event);
        }
        return parsed;
    }
    if (name == "Section") {
        if (tag.closing) {
            if (!m_sections.isEmpty())
                m_sections.removeLast();
        } else if (!tag.selfClosing) {
            m_sections.append(tag.attributes.value("name"));
        }
        return parsed;
    }
    if (name == "Expression") {
        if (tag.closing) {
            if (m_part)
                parsed.display = finishPart(*std::exchange(m_part, std::nullopt));
        } else {
            Part part;
            part.kind = Part::Expression;
            part.success = tag.attributes.value("success") == QLatin1String("true");
            part.type = tag.attributes.value("type");
            part.file = tag.attributes.value("filename");
            part.line = tag.attributes.value("line").toInt();
            m_part = part;
        }
        return parsed;
    }
    if (name == "OverallResult" && !tag.closing) {
        if (!m_case)
            return parsed;
        const QString success = tag.attributes.value("success");
        if (success != QLatin1String("true") && success != QLatin1String("false"))
            return parsed; // unreadable: no result rather than a guess
        CaseResult result;
        // [!mayfail] and [!shouldfail] are already folded into `success`.
        if (success == QLatin1String("false"))
            result.status = Status::Failed;
        else if (tag.attributes.value("skips").toInt() > 0)
            result.status = Status::Skipped; // v3 SKIP()
        else
            result.status = Status::Passed;
        bool ok = false;
        const double seconds = tag.attributes.value("durationInSeconds").toDouble(&ok);
        result.seconds = ok && seconds > 0 ? seconds : 0.0;
        m_case->result = result;
        return parsed;
    }
    if (isTextElement(name) && !tag.closing) {
        Text text;
        text.tag = name;
        text.attributes = tag.attributes;
        if (tag.selfClosing) {
            if (const auto shown = endText(text))
                parsed.display = *shown;
        } else {
            m_text = text;
        }
        return parsed;
    }
    return parsed; // totals, groups, benchmarks
}

ParsedLine Catch2OutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QByteArray line = withoutCarriageReturn(rawLine);

    if (m_text) {
        QByteArray trimmed = line.trimmed();
        if (trimmed == "</" + m_text->tag + '>') {
            ParsedLine parsed;
            parsed.display = endText(*std::exchange(m_text, std::nullopt));
            return parsed;
        }
        // XmlEncode escapes '<': a tag here means the element was cut off
        // (a garbled stream); it is given up and the line read as usual.
        XmlTag tag;
        QByteArray before;
        if (!parseTag(line, &tag, &before)) {
            const bool captured = m_text->tag == "StdOut" || m_text->tag == "StdErr";
            // The first line of most text elements carries the indentation.
            QString text = decodeXmlEntities(line);
            if (!captured && m_text->lines.isEmpty()) {
                int indent = 0;
                while (indent < text.size() && text.at(indent) == QLatin1Char(' '))
                    ++indent;
                text = text.mid(indent);
            }
            if (m_text->lines.size() < 10000)
                m_text->lines.append(text);
            ParsedLine parsed;
            // What the case wrote to std::cout/std::cerr is shown as text
            // (an empty line as one); other element text is shown once the
            // element is complete.
            parsed.display = QByteArray();
            if (captured && !(m_case && m_case->selector.isEmpty()))
                parsed.display = text.isEmpty() ? QByteArray("\n") : text.toUtf8();
            return parsed;
        }
        m_text.reset();
    }

    XmlTag tag;
    QByteArray before;
    if (line.contains("<?xml ") && line.trimmed().endsWith("?>") && line.trimmed().startsWith("<?xml")) {
        ParsedLine parsed;
        parsed.display = QByteArray();
        return parsed;
    }
    if (!parseTag(line, &tag, &before))
        return {}; // the case's own output, kept as it is
    ParsedLine parsed = handleTag(tag);
    if (!before.isEmpty()) {
        // Output without a newline before the reporter's line.
        const QByteArray shown = parsed.display.value_or(QByteArray());
        parsed.display = shown.isEmpty() ? before : before + '\n' + shown;
    }
    return parsed;
}

} // namespace ctestd
