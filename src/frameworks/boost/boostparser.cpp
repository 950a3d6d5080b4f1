// SPDX-License-Identifier: BSD-3-Clause
// BoostOutputParser: Boost.Test's human-readable log, line by line, and its
// XML log once the process has ended.
#include "boostadapter.h"

#include "frameworks/adaptertext.h"

#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QXmlStreamReader>

namespace ctestd {

namespace {

// "file(line): rest" -> file, line, rest. "unknown location(0)" has no file.
bool splitLocation(const QString &line, QString *file, int *number, QString *rest)
{
    static const QRegularExpression located(QStringLiteral("^(.+?)\\((\\d+)\\): (.*)$"));
    const QRegularExpressionMatch match = located.match(line);
    if (!match.hasMatch())
        return false;
    *file = match.captured(1);
    *number = match.captured(2).toInt();
    if (*file == QLatin1String("unknown location")) {
        file->clear();
        *number = 0;
    }
    *rest = match.captured(3);
    return true;
}

double secondsFromTestingTime(const QString &value, const QString &unit)
{
    bool ok = false;
    const double amount = value.toDouble(&ok);
    if (!ok || amount < 0)
        return 0.0;
    return unit == QLatin1String("ms") ? amount / 1000.0 : amount / 1e6;
}

} // namespace

BoostOutputParser::BoostOutputParser(const QString &scratchDir, const QStringList &selectors)
    : m_scratchDir(scratchDir)
    , m_selectors(selectors)
{
    for (const QString &selector : selectors)
        m_requested.insert(selector);
    QFile file(BoostTestAdapter::expectedFailuresPath(scratchDir));
    if (file.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const int tab = line.indexOf('\t');
            if (tab > 0)
                m_expectedFailures.insert(QString::fromUtf8(line.mid(tab + 1)), line.left(tab).toInt());
        }
    }
}

void BoostOutputParser::resetCase()
{
    m_running.clear();
    m_failures = 0;
    m_aborted = false;
    m_inError = false;
    m_file.clear();
    m_line = 0;
    m_messages.clear();
    m_budget = MessageBudget();
}

void BoostOutputParser::appendMessage(const QString &text)
{
    m_budget.append(&m_messages, text);
}

void BoostOutputParser::finishEvent(ParsedLine *parsed, const QString &selector, const CaseResult &result)
{
    LineEvent event;
    event.kind = LineEvent::Finished;
    event.selector = selector;
    event.result = result;
    parsed->events.append(event);
    m_reported.insert(selector);
}

ParsedLine BoostOutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QString line = BoostTestAdapter::cleanLine(rawLine);
    ParsedLine parsed;

    QString file;
    int number = 0;
    QString rest;
    const bool located = splitLocation(line, &file, &number, &rest);
    if (!located)
        rest = line;

    static const QRegularExpression entering(QStringLiteral("^Entering test (case|suite|module) \"(.*)\"$"));
    static const QRegularExpression leaving(
        QStringLiteral("^Leaving test (case|suite|module) \"(.*)\"(?:; testing time: (\\d+)(us|ms))?$"));
    static const QRegularExpression skipped(QStringLiteral("^Test (case|suite) \"(.*)\" is skipped because (.*)$"));
    static const QRegularExpression setupError(QStringLiteral("^Test setup error: (.*)$"));

    static const QRegularExpression running(QStringLiteral("^Running \\d+ test cases?\\.\\.\\.$"));
    if (!located && m_beforeModule && running.match(line).hasMatch()) {
        parsed.display = QByteArray(); // the process' banner: how many cases it runs
        return parsed;
    }

    const QRegularExpressionMatch enter = entering.match(rest);
    if (enter.hasMatch()) {
        m_inError = false;
        const QString kind = enter.captured(1);
        if (kind == QLatin1String("module")) {
            // Boost's line about the process, not about a case, like the
            // "Running N test cases..." before it (dropped above).
            parsed.display = QByteArray();
            m_beforeModule = false;
            m_suites.clear();
        } else if (kind == QLatin1String("suite")) {
            parsed.display = QByteArray(); // as its "Leaving test suite"
            m_suites.append(enter.captured(2));
        } else {
            // A case still running did not finish: nothing is reported for it
            // here; the worker accounts for it.
            resetCase();
            m_running = (m_suites + QStringList {enter.captured(2)}).join(QLatin1Char('/'));
            if (m_requested.contains(m_running) && !m_reported.contains(m_running)) {
                LineEvent event;
                event.kind = LineEvent::Started;
                event.selector = m_running;
                parsed.events.append(event);
            }
        }
        return parsed;
    }

    const QRegularExpressionMatch leave = leaving.match(rest);
    if (leave.hasMatch()) {
        m_inError = false;
        const QString kind = leave.captured(1);
        if (kind != QLatin1String("case")) {
            // Output between cases goes with the next case; a suite's or the
            // module's closing line is about what came before, and would
            // read as part of the next case: it is not shown.
            parsed.display = QByteArray();
            if (kind == QLatin1String("module"))
                m_suites.clear();
            else if (!m_suites.isEmpty() && m_suites.constLast() == leave.captured(2))
                m_suites.removeLast();
            return parsed;
        }
        const QString path = (m_suites + QStringList {leave.captured(2)}).join(QLatin1Char('/'));
        if (path != m_running || m_running.isEmpty())
            return parsed;
        if (m_requested.contains(m_running) && !m_reported.contains(m_running)) {
            CaseResult result;
            const bool failed = m_aborted || m_failures > m_expectedFailures.value(m_running);
            result.status = failed ? Status::Failed : Status::Passed;
            result.seconds = secondsFromTestingTime(leave.captured(3), leave.captured(4));
            if (failed) {
                result.message = m_messages.join(QLatin1Char('\n'));
                result.file = m_file;
                result.line = m_line;
            }
            finishEvent(&parsed, m_running, result);
        }
        resetCase();
        return parsed;
    }

    const QRegularExpressionMatch skip = skipped.match(rest);
    if (skip.hasMatch()) {
        m_inError = false;
        const QString path = skip.captured(2);
        const bool suite = skip.captured(1) == QLatin1String("suite");
        CaseResult result;
        result.status = Status::Skipped;
        result.message = QStringLiteral("skipped because ") + skip.captured(3);
        result.file = file;
        result.line = number;
        // A skipped suite skips every requested case in it, which Boost does
        // not name one by one.
        bool any = false;
        for (const QString &selector : qAsConst(m_selectors)) {
            const bool hit = suite ? selector.startsWith(path + QLatin1Char('/')) : selector == path;
            if (!hit || m_reported.contains(selector))
                continue;
            LineEvent start;
            start.kind = LineEvent::Started;
            start.selector = selector;
            parsed.events.append(start);
            finishEvent(&parsed, selector, result);
            any = true;
        }
        // What the filter left out is "skipped because disabled": noise in
        // the neighbouring case's output.
        if (!any && skip.captured(3) == QLatin1String("disabled"))
            parsed.display = QByteArray();
        return parsed;
    }

    const QRegularExpressionMatch setup = setupError.match(line);
    if (setup.hasMatch() && m_running.isEmpty()) {
        // Nothing runs after it ("no test cases matching filter", a bad
        // argument): every requested case not reported yet gets the reason.
        CaseResult result;
        result.status = Status::NotRun;
        result.message = QStringLiteral("Boost.Test setup error: ") + setup.captured(1);
        for (const QString &selector : qAsConst(m_selectors)) {
            if (m_reported.contains(selector))
                continue;
            LineEvent start;
            start.kind = LineEvent::Started;
            start.selector = selector;
            parsed.events.append(start);
            finishEvent(&parsed, selector, result);
        }
        return parsed;
    }

    if (m_running.isEmpty())
        return parsed;

    // Failures of the running case: `error: in "math/fail": check ...`.
    if (located) {
        static const QRegularExpression failure(QStringLiteral("^(fatal error|error): in \"(.*?)\": (.*)$"));
        const QRegularExpressionMatch match = failure.match(rest);
        if (match.hasMatch()) {
            const bool fatal = match.captured(1) == QLatin1String("fatal error");
            const QString text = match.captured(3);
            // An exception, a signal or a timeout: Boost counts the case as
            // failed whatever its expected failures. `critical check ...`
            // (BOOST_REQUIRE) and BOOST_FAIL are assertion failures.
            if (fatal && file.isEmpty())
                m_aborted = true;
            else
                ++m_failures;
            if (m_messages.isEmpty() || m_file.isEmpty()) {
                m_file = file;
                m_line = number;
            }
            appendMessage(text);
            m_inError = true;
            return parsed;
        }
        static const QRegularExpression checkpoint(QStringLiteral("^last checkpoint(?:: (.*))?$"));
        const QRegularExpressionMatch last = checkpoint.match(rest);
        if (last.hasMatch() && m_inError) {
            // Where an exception or signal came from: the last checkpoint.
            if (m_file.isEmpty()) {
                m_file = file;
                m_line = number;
            }
            appendMessage(QStringLiteral("last checkpoint: %1(%2)%3")
                              .arg(file)
                              .arg(number)
                              .arg(last.captured(1).isEmpty() ? QString() : QStringLiteral(": ") + last.captured(1)));
            return parsed;
        }
        m_inError = false;
        return parsed;
    }
    if (m_inError && line != QLatin1String("Test is aborted"))
        appendMessage(line); // a multi-line assertion message
    return parsed;
}

QHash<QString, CaseResult> BoostOutputParser::structuredResults()
{
    QHash<QString, CaseResult> results;
    QFile file(BoostTestAdapter::logXmlPath(m_scratchDir));
    if (!file.open(QIODevice::ReadOnly))
        return results; // not written (crash, kill) or unreadable
    // Decoded leniently first: a case's invalid UTF-8 must not end the log.
    QXmlStreamReader xml(QString::fromUtf8(file.readAll()));

    QStringList suites; // below the master suite
    int depth = 0; // of TestSuite elements
    QString current; // path of the open TestCase
    CaseResult result;
    QStringList messages;
    MessageBudget budget;
    int failures = 0; // assertion failures of the open case
    bool aborted = false; // an exception, signal or timeout in it
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QStringRef name = xml.name();
            const QXmlStreamAttributes attributes = xml.attributes();
            if (name == QLatin1String("TestSuite")) {
                if (depth > 0)
                    suites.append(attributes.value(QLatin1String("name")).toString());
                ++depth;
            } else if (name == QLatin1String("TestCase") && current.isEmpty()) {
                current = (suites + QStringList {attributes.value(QLatin1String("name")).toString()})
                              .join(QLatin1Char('/'));
                result = CaseResult();
                result.status = Status::Passed;
                messages.clear();
                budget = MessageBudget();
                failures = 0;
                aborted = false;
                if (attributes.value(QLatin1String("skipped")) == QLatin1String("yes")) {
                    result.status = Status::Skipped;
                    result.message
                        = QStringLiteral("skipped because ") + attributes.value(QLatin1String("reason")).toString();
                }
            } else if (!current.isEmpty()
                && (name == QLatin1String("Error") || name == QLatin1String("FatalError")
                    || name == QLatin1String("Exception"))) {
                QString where = attributes.value(QLatin1String("file")).toString();
                int line = attributes.value(QLatin1String("line")).toInt();
                const bool located = !where.isEmpty() && where != QLatin1String("unknown location");
                QString text;
                QStringList context;
                // The text, then (for exceptions) <LastCheckpoint file line>,
                // and (for BOOST_TEST_CONTEXT and data-driven cases)
                // <Context><Frame>x = 2; </Frame></Context>.
                int nested = 0;
                while (!xml.atEnd()) {
                    const QXmlStreamReader::TokenType inner = xml.readNext();
                    if (inner == QXmlStreamReader::Characters && nested == 0) {
                        text += xml.text();
                    } else if (inner == QXmlStreamReader::StartElement
                        && xml.name() == QLatin1String("LastCheckpoint")) {
                        if (where.isEmpty() || where == QLatin1String("unknown location")) {
                            where = xml.attributes().value(QLatin1String("file")).toString();
                            line = xml.attributes().value(QLatin1String("line")).toInt();
                        }
                        xml.skipCurrentElement();
                    } else if (inner == QXmlStreamReader::StartElement && xml.name() == QLatin1String("Frame")) {
                        context.append(xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed());
                    } else if (inner == QXmlStreamReader::StartElement) {
                        ++nested;
                    } else if (inner == QXmlStreamReader::EndElement) {
                        if (nested == 0)
                            break;
                        --nested;
                    }
                }
                // Worded as Boost's console output words it.
                if (!context.isEmpty())
                    text += QStringLiteral("\nFailure occurred in a following context:\n    ")
                        + context.join(QStringLiteral("\n    "));
                if (where == QLatin1String("unknown location")) {
                    where.clear();
                    line = 0;
                }
                // As in the stream: an exception, a signal or a timeout
                // fails the case whatever its expected failures; assertion
                // failures count against them.
                if (name == QLatin1String("Exception") || (name == QLatin1String("FatalError") && !located))
                    aborted = true;
                else
                    ++failures;
                if (messages.isEmpty() || result.file.isEmpty()) {
                    result.file = where;
                    result.line = line;
                }
                budget.append(&messages, text);
            } else if (!current.isEmpty() && name == QLatin1String("TestingTime")) {
                bool ok = false;
                const double micros = xml.readElementText().toDouble(&ok);
                if (ok && micros >= 0)
                    result.seconds = micros / 1e6;
            }
        } else if (token == QXmlStreamReader::EndElement) {
            const QStringRef name = xml.name();
            if (name == QLatin1String("TestCase") && !current.isEmpty()) {
                if (aborted || failures > m_expectedFailures.value(current)) {
                    result.status = Status::Failed;
                    result.message = messages.join(QLatin1Char('\n'));
                } else if (result.status != Status::Skipped) {
                    result.file.clear();
                    result.line = 0;
                }
                // Only complete cases count: a truncated log stops before.
                if (m_requested.contains(current))
                    results.insert(current, result);
                current.clear();
            } else if (name == QLatin1String("TestSuite")) {
                --depth;
                if (!suites.isEmpty() && depth > 0)
                    suites.removeLast();
            }
        }
    }
    return results;
}

} // namespace ctestd
