// SPDX-License-Identifier: BSD-3-Clause
// DoctestOutputParser: the XML reporter's stream, line by line.
#include "doctestadapter.h"

#include "doctestxml.h"
#include "frameworks/adaptertext.h"

namespace ctestd {

using namespace doctest;

namespace {

bool isSimpleTagName(const QByteArray &name)
{
    // Tags whose attributes carry user text and so may span lines.
    return name == "TestCase" || name == "SubCase" || name == "TestSuite" || name == "Expression" || name == "Message";
}

} // namespace

// ------------------------------------------------------------------- parser

DoctestOutputParser::DoctestOutputParser(const QStringList &selectors)
{
    const DoctestAdapter::Plan planned = DoctestAdapter::plan(selectors);
    m_rejected = planned.rejected;
    for (const QString &selector : planned.selected) {
        DoctestAdapter::Identity identity;
        QVector<DoctestAdapter::Identity> others;
        if (DoctestAdapter::decodeSelector(selector, &identity, &others))
            m_selectorOf.insert(DoctestAdapter::identityKey(identity), selector);
    }
}

void DoctestOutputParser::addPart(const QString &text, const QString &file, int line)
{
    if (m_parts.isEmpty() && m_partFile.isEmpty()) {
        m_partFile = file;
        m_partLine = line;
    }
    m_budget.append(&m_parts, text);
}

QString DoctestOutputParser::renderBlock() const
{
    const Block &b = m_block;
    QStringList lines;
    const QString location = b.file.isEmpty() ? QString() : QStringLiteral("%1:%2: ").arg(b.file).arg(b.line);
    switch (b.kind) {
    case Block::Expression: {
        const QString severity = b.type.startsWith(QLatin1String("WARN")) ? QStringLiteral("WARNING")
            : b.type.startsWith(QLatin1String("REQUIRE"))                 ? QStringLiteral("FATAL ERROR")
                                                                          : QStringLiteral("ERROR");
        const QString head = QStringLiteral("%1%2: %3( %4 ) ")
                                 .arg(location, severity, b.type, b.texts.value(QStringLiteral("Original")));
        const auto expanded = b.texts.constFind(QStringLiteral("Expanded"));
        const auto exception = b.texts.constFind(QStringLiteral("Exception"));
        const bool expectsException = b.texts.contains(QStringLiteral("ExpectedException"))
            || b.texts.contains(QStringLiteral("ExpectedExceptionString"));
        if (expanded != b.texts.constEnd()) {
            lines.append(head + QStringLiteral("is NOT correct!"));
            lines.append(QStringLiteral("  values: %1( %2 )").arg(b.type, *expanded));
        } else if (exception != b.texts.constEnd()) {
            lines.append(head
                + (expectsException ? QStringLiteral("threw a DIFFERENT exception: ")
                                    : QStringLiteral("THREW exception: "))
                + *exception);
        } else if (b.type.contains(QLatin1String("THROWS"))) {
            lines.append(head + QStringLiteral("did NOT throw at all!"));
        } else {
            lines.append(head + QStringLiteral("failed"));
        }
        if (b.texts.contains(QStringLiteral("ExpectedException")))
            lines.append(
                QStringLiteral("  expected exception: %1").arg(b.texts.value(QStringLiteral("ExpectedException"))));
        if (b.texts.contains(QStringLiteral("ExpectedExceptionString")))
            lines.append(
                QStringLiteral("  expected message: %1").arg(b.texts.value(QStringLiteral("ExpectedExceptionString"))));
        break;
    }
    case Block::Message:
        lines.append(QStringLiteral("%1%2: %3").arg(location, b.type, b.texts.value(QStringLiteral("Text"))));
        break;
    case Block::Exception:
        lines.append(QStringLiteral("%1ERROR: test case %2: %3")
                         .arg(location, b.crash ? QStringLiteral("CRASHED") : QStringLiteral("THREW exception"),
                             b.texts.value(QStringLiteral("Exception"))));
        break;
    case Block::None:
        break;
    }
    // The subcase after the failure line, so that the failure is the first
    // line (JUnit's message attribute, a one-line summary).
    if (!b.subcases.isEmpty())
        lines.append(QStringLiteral("  subcase: %1").arg(b.subcases));
    for (const QString &info : b.infos)
        lines.append(QStringLiteral("  logged: %1").arg(info));
    return lines.join(QLatin1Char('\n'));
}

void DoctestOutputParser::endTextElement()
{
    const QString text = m_textLines.join(QLatin1Char('\n'));
    if (m_textElement == QLatin1String("Info"))
        m_block.infos.append(text);
    else
        m_block.texts.insert(m_textElement, text);
    m_textElement.clear();
    m_textLines.clear();
}

LineEvent DoctestOutputParser::finishCase(const QHash<QByteArray, QString> &attributes, QStringList *reasons)
{
    const bool success = attributes.value("test_case_success") == QLatin1String("true");
    const int failures = attributes.value("failures").toInt();
    const double seconds = attributes.value("duration").toDouble();
    const int expectedFailures = attributes.value("expected_failures").toInt();

    // doctest's console wording for what the XML only implies.
    if (m_caseTimeout > 0 && seconds > m_caseTimeout)
        reasons->append(QStringLiteral("Test case exceeded time limit of %1!").arg(m_caseTimeout, 0, 'f', 6));
    if (!success) {
        if (m_caseShouldFail && m_parts.isEmpty() && reasons->isEmpty())
            reasons->append(QStringLiteral("Should have failed but didn't! Marking it as failed!"));
        else if (!m_caseShouldFail && expectedFailures > 0 && failures != expectedFailures)
            reasons->append(
                QStringLiteral("Didn't fail exactly %1 times so marking it as failed!").arg(expectedFailures));
    }
    LineEvent event;
    event.kind = LineEvent::Finished;
    event.selector = m_running;
    event.result.status = success ? Status::Passed : Status::Failed;
    event.result.seconds = seconds > 0 ? seconds : 0.0;
    if (!success) {
        for (const QString &reason : qAsConst(*reasons))
            addPart(reason, m_caseFile, m_caseLine);
        if (m_parts.isEmpty())
            addPart(QStringLiteral("doctest reported the test case as failed"), m_caseFile, m_caseLine);
        event.result.message = m_parts.join(QLatin1Char('\n'));
        event.result.file = m_partFile;
        event.result.line = m_partLine;
    }
    return event;
}

ParsedLine DoctestOutputParser::handleTag(const QByteArray &tagText, const QByteArray &prefix, int indent)
{
    // Returns a ParsedLine whose display is set when the tag was doctest's;
    // a default one (line kept as it is) when it was not.
    XmlTag tag;
    if (parseXmlTag(tagText, &tag) != XmlTagParse::Complete)
        return {};
    ParsedLine parsed;
    QByteArray shown; // readable text replacing the XML
    const QString name = QString::fromLatin1(tag.name);
    const auto done = [&]() {
        QByteArray display = prefix;
        if (!display.isEmpty() && !shown.isEmpty())
            display.append('\n');
        display.append(shown);
        parsed.display = display;
        return parsed;
    };

    if (m_block.kind != Block::None) {
        // Inside an assertion, message or exception block.
        static const QStringList textElements = {QStringLiteral("Original"), QStringLiteral("Expanded"),
            QStringLiteral("Exception"), QStringLiteral("ExpectedException"), QStringLiteral("ExpectedExceptionString"),
            QStringLiteral("Text"), QStringLiteral("Info")};
        if (!tag.closing && textElements.contains(name)) {
            m_textElement = name;
            m_textIndent = indent + 2;
            m_textLines.clear();
            if (tag.selfClosing)
                endTextElement();
            return done();
        }
        const bool ends = tag.closing
            && ((m_block.kind == Block::Expression && name == QLatin1String("Expression"))
                || (m_block.kind == Block::Message && name == QLatin1String("Message")));
        if (!ends)
            return {};
        const QString text = renderBlock();
        if (m_block.failed)
            addPart(text, m_block.file, m_block.line);
        shown = text.toUtf8();
        m_block = Block();
        return done();
    }

    if (!m_inCase) {
        if (name == QLatin1String("doctest") && tag.closing)
            m_reachedEnd = true;
        if (name == QLatin1String("doctest") || name == QLatin1String("Options")
            || name == QLatin1String("OverallResultsAsserts") || name == QLatin1String("OverallResultsTestCases"))
            return done();
        if (name == QLatin1String("TestSuite")) {
            m_suite = tag.closing ? QString() : tag.attributes.value("name");
            return done();
        }
        if (name != QLatin1String("TestCase") || tag.closing)
            return {};
        if (tag.selfClosing)
            return done(); // filtered out (only without --dt-no-skipped-summary); never ours to report
        DoctestAdapter::Identity identity;
        identity.name = tag.attributes.value("name");
        identity.suite = m_suite;
        identity.file = tag.attributes.value("filename");
        identity.line = tag.attributes.value("line").toInt();
        m_inCase = true;
        m_running = m_selectorOf.value(DoctestAdapter::identityKey(identity));
        m_caseFile = identity.file;
        m_caseLine = identity.line;
        m_caseTimeout = tag.attributes.value("timeout").toDouble();
        m_caseShouldFail = tag.attributes.value("should_fail") == QLatin1String("true");
        m_subcases.clear();
        m_crashed = false;
        m_parts.clear();
        m_partFile.clear();
        m_partLine = 0;
        m_budget = MessageBudget();
        if (!m_running.isEmpty()) {
            LineEvent event;
            event.kind = LineEvent::Started;
            event.selector = m_running;
            parsed.events.append(event);
        }
        return done();
    }

    // Inside a case.
    if (name == QLatin1String("SubCase") && !tag.selfClosing) {
        if (tag.closing) {
            if (!m_subcases.isEmpty())
                m_subcases.removeLast();
        } else {
            m_subcases.append(tag.attributes.value("name"));
        }
        return done();
    }
    if (!tag.closing && (name == QLatin1String("Expression") || name == QLatin1String("Message"))) {
        if (tag.selfClosing)
            return {};
        m_block.kind = name == QLatin1String("Expression") ? Block::Expression : Block::Message;
        m_block.type = tag.attributes.value("type");
        m_block.file = tag.attributes.value("filename");
        m_block.line = tag.attributes.value("line").toInt();
        m_block.subcases = m_subcases.join(QStringLiteral(" / "));
        if (m_block.kind == Block::Expression)
            m_block.failed = tag.attributes.value("success") == QLatin1String("false")
                && !m_block.type.startsWith(QLatin1String("WARN"));
        else
            m_block.failed = m_block.type == QLatin1String("ERROR") || m_block.type == QLatin1String("FATAL ERROR");
        return done();
    }
    if (!tag.closing && name == QLatin1String("Exception")) {
        // Thrown out of the test case, or doctest's signal handler.
        m_block.kind = Block::Exception;
        m_block.file = m_caseFile;
        m_block.line = m_caseLine;
        m_block.crash = tag.attributes.value("crash") == QLatin1String("true");
        m_block.failed = true;
        m_block.subcases = m_subcases.join(QStringLiteral(" / "));
        m_crashed = m_crashed || m_block.crash;
        m_textElement = name;
        m_textIndent = indent + 2;
        m_textLines.clear();
        if (tag.selfClosing) {
            endTextElement();
            const QString text = renderBlock();
            addPart(text, m_block.file, m_block.line);
            shown = text.toUtf8();
            m_block = Block();
        }
        return done();
    }
    if (name == QLatin1String("OverallResultsAsserts") && tag.selfClosing
        && tag.attributes.contains("test_case_success")) {
        QStringList reasons;
        const LineEvent event = finishCase(tag.attributes, &reasons);
        shown = reasons.join(QLatin1Char('\n')).toUtf8();
        // After a crash the process dies right after these lines: the case
        // stays running so that the worker blames the signal on it.
        if (!m_running.isEmpty() && !m_crashed)
            parsed.events.append(event);
        return done();
    }
    if (name == QLatin1String("TestCase") && tag.closing) {
        m_inCase = false;
        m_running.clear();
        m_subcases.clear();
        m_block = Block();
        return done();
    }
    return {};
}

ParsedLine DoctestOutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QByteArray line = withoutCarriageReturn(rawLine);
    ParsedLine parsed;

    if (!m_pendingTag.isEmpty()) {
        // The rest of a tag whose attribute held a newline.
        const QByteArray tagText = m_pendingTag + '\n' + line;
        XmlTag tag;
        const XmlTagParse state = parseXmlTag(tagText, &tag);
        if (state == XmlTagParse::Incomplete && tagText.size() < maxPendingTagBytes) {
            m_pendingTag = tagText;
            parsed.display = QByteArray();
        } else if (state == XmlTagParse::Complete) {
            parsed = handleTag(tagText, m_pendingPrefix, m_pendingIndent);
            if (!parsed.display)
                parsed.display = m_pendingPrefix + QByteArray(m_pendingIndent, ' ') + tagText; // not doctest's
            m_pendingTag.clear();
        } else {
            parsed.display = m_pendingPrefix + QByteArray(m_pendingIndent, ' ') + tagText; // given up: output
            m_pendingTag.clear();
        }
    } else if (!m_textElement.isEmpty()) {
        LineTag lineTag;
        XmlTag tag;
        if (splitLineTag(line, &lineTag) && lineTag.prefix.isEmpty()
            && parseXmlTag(lineTag.text, &tag) == XmlTagParse::Complete && tag.closing
            && QString::fromLatin1(tag.name) == m_textElement) {
            const bool topLevelException = m_block.kind == Block::Exception;
            endTextElement();
            QByteArray shown;
            if (topLevelException) {
                const QString text = renderBlock();
                addPart(text, m_block.file, m_block.line);
                shown = text.toUtf8();
                m_block = Block();
            }
            parsed.display = shown;
        } else {
            // A line of the element's text; the first carries the indentation.
            QByteArray text = line;
            if (m_textLines.isEmpty()) {
                int strip = 0;
                while (strip < m_textIndent && strip < text.size() && text.at(strip) == ' ')
                    ++strip;
                text = text.mid(strip);
            }
            m_textLines.append(decodeXmlEntities(text));
            parsed.display = QByteArray();
        }
    } else {
        LineTag lineTag;
        if (line.contains("<?xml ") && line.endsWith("?>")) {
            const int at = line.indexOf("<?xml ");
            parsed.display = line.left(at);
        } else if (splitLineTag(line, &lineTag)) {
            XmlTag tag;
            const XmlTagParse state = parseXmlTag(lineTag.text, &tag);
            if (state == XmlTagParse::Incomplete && isSimpleTagName(tag.name)) {
                m_pendingTag = lineTag.text;
                m_pendingPrefix = lineTag.prefix;
                m_pendingIndent = lineTag.indent;
                parsed.display = QByteArray();
            } else if (state == XmlTagParse::Complete) {
                parsed = handleTag(lineTag.text, lineTag.prefix, lineTag.indent);
            }
        }
    }

    if (m_firstLine) {
        // Cases the filters could not select exactly: reported at once, so
        // that they never wait for (or get blamed for) anything in this process.
        m_firstLine = false;
        QVector<LineEvent> events;
        for (const auto &rejected : qAsConst(m_rejected)) {
            LineEvent started;
            started.kind = LineEvent::Started;
            started.selector = rejected.first;
            LineEvent finished;
            finished.kind = LineEvent::Finished;
            finished.selector = rejected.first;
            finished.result.status = Status::NotRun;
            finished.result.message = rejected.second;
            events << started << finished;
        }
        parsed.events = events + parsed.events;
    }
    return parsed;
}

} // namespace ctestd
