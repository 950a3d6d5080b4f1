// SPDX-License-Identifier: BSD-3-Clause
// GTestOutputParser: gtest's console stream, line by line, and its JSON
// results report once the process has ended.
#include "gtestadapter.h"

#include "frameworks/adaptertext.h"
#include "gtestformat.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <utility>

namespace ctestd {

using namespace gtest;

namespace {

// gtest's console markers (PrettyUnitTestResultPrinter, --gtest_color=no).
const QByteArray runMarker("[ RUN      ] ");
const QByteArray okMarker("[       OK ] ");
const QByteArray failedMarker("[  FAILED  ] ");
const QByteArray skippedMarker("[  SKIPPED ] ");
const QByteArray suiteMarker("[----------] ");

// "file:line" (or "file" when gtest had no line, or "unknown file").
void parseLocation(const QString &location, QString *file, int *line)
{
    file->clear();
    *line = 0;
    if (location.isEmpty() || location == QLatin1String("unknown file"))
        return;
    const int colon = location.lastIndexOf(QLatin1Char(':'));
    if (colon > 0) {
        bool ok = false;
        const int number = location.mid(colon + 1).toInt(&ok);
        if (ok && number >= 0) {
            *file = location.left(colon);
            *line = number;
            return;
        }
    }
    *file = location;
}

// The console's failure header: "<file>:<line>: Failure", "unknown file: Skipped", ...
bool parsePartHeader(const QString &text, bool *skip, QString *file, int *line)
{
    static const QLatin1String failure(": Failure");
    static const QLatin1String skipped(": Skipped");
    if (text.endsWith(failure))
        *skip = false;
    else if (text.endsWith(skipped))
        *skip = true;
    else
        return false;
    const QString location = text.left(text.size() - failure.size());
    if (location == QLatin1String("unknown file")) {
        file->clear();
        *line = 0;
        return true;
    }
    return splitFileAndLine(location, file, line);
}

// "(3 ms)" at the end of an end-marker line; 0 when --gtest_print_time was off.
double secondsFromMarker(const QString &rest)
{
    static const QLatin1String msSuffix(" ms)");
    if (!rest.endsWith(msSuffix))
        return 0.0;
    const int open = rest.lastIndexOf(QLatin1String(" ("));
    if (open < 0)
        return 0.0;
    bool ok = false;
    const qlonglong ms = rest.mid(open + 2, rest.size() - msSuffix.size() - open - 2).toLongLong(&ok);
    return ok && ms >= 0 ? double(ms) / 1000.0 : 0.0;
}

// The JSON report's "time": "0.002s", "1.234s", "1e+06s".
double secondsFromDuration(const QString &duration)
{
    QString number = duration;
    if (number.endsWith(QLatin1Char('s')))
        number.chop(1);
    bool ok = false;
    const double seconds = number.toDouble(&ok);
    return ok && seconds >= 0.0 ? seconds : 0.0;
}

} // namespace

GTestOutputParser::GTestOutputParser(const QString &scratchDir)
    : m_scratchDir(scratchDir)
{ }

void GTestOutputParser::appendText(const QString &text)
{
    if (m_parts.isEmpty())
        return; // output of the case itself, not part of a failure
    m_budget.append(&m_parts.last().lines, text);
}

LineEvent GTestOutputParser::finish(Status status, const QString &rest)
{
    LineEvent event;
    event.kind = LineEvent::Finished;
    event.selector = m_running;
    event.result.status = status;
    event.result.seconds = secondsFromMarker(rest);
    if (status != Status::Passed) {
        const bool wantSkip = status == Status::Skipped;
        QStringList messages;
        bool first = true;
        for (const Part &part : qAsConst(m_parts)) {
            if (part.skip != wantSkip)
                continue;
            if (first) {
                event.result.file = part.file;
                event.result.line = part.line;
                first = false;
            }
            messages.append(joinedMessage(part.lines));
        }
        event.result.message = messages.join(QLatin1Char('\n'));
    }
    m_streamed.insert(m_running, event.result);
    m_running.clear();
    m_parts.clear();
    m_budget = MessageBudget();
    return event;
}

namespace {

// "[----------] 3 tests from Math", "[----------] 1 test from Typed/0, where
// TypeParam = int"; not the footer, which ends with "ms total)".
bool isSuiteHeader(const QByteArray &line)
{
    static const QRegularExpression header(QStringLiteral("^\\[----------\\] \\d+ tests? from \\S"));
    return line.startsWith(suiteMarker) && !line.endsWith(" ms total)")
        && header.match(QString::fromUtf8(line)).hasMatch();
}

// What gtest (and gtest_main) print about the process before its first case.
bool isBannerLine(const QByteArray &line)
{
    static const QByteArray prefixes[] = {QByteArrayLiteral("Running main() from "),
        QByteArrayLiteral("Note: Google Test filter = "), QByteArrayLiteral("Note: This is test shard "),
        QByteArrayLiteral("Note: Randomizing tests' orders with a seed of "),
        QByteArrayLiteral("[==========] Running "), QByteArrayLiteral("[----------] Global test environment set-up.")};
    for (const QByteArray &prefix : prefixes) {
        if (line.startsWith(prefix))
            return true;
    }
    return false;
}

} // namespace

ParsedLine GTestOutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QByteArray line = withoutCarriageReturn(rawLine);

    // A RUN marker may follow output the previous code left without a newline.
    const int run = line.lastIndexOf(runMarker);
    if (run >= 0) {
        const QString selector = QString::fromUtf8(line.mid(run + runMarker.size()));
        // The rest of the line is the name, inner spaces included (a typed
        // suite named "b c"); a name the unit did not ask for is ignored.
        if (!selector.isEmpty() && selector.contains(QLatin1Char('.')) && isListableName(selector)) {
            // A case still running did not finish: nothing is reported for it
            // here; the worker accounts for it.
            m_running = selector;
            m_beforeFirstCase = false;
            m_parts.clear();
            m_budget = MessageBudget();
            LineEvent event;
            event.kind = LineEvent::Started;
            event.selector = selector;
            return event;
        }
    }
    if (m_running.isEmpty()) {
        // Between cases, output leads up to the next case (its suite's
        // set-up, say) and goes with it. gtest's own lines about the process
        // and its suites are the exception: they would show in the next
        // case's output as if they were about that case, so they are dropped.
        // Before the first case: gtest_main's greeting, the filter note (20 KB
        // for a big group), the shard and seed notes, "[==========] Running
        // N tests ..." and the environment set-up line. Between suites: the
        // footer "[----------] 1 test from Io (0 ms total)", the blank line
        // after it and the next suite's header "[----------] 2 tests from S".
        ParsedLine between;
        if (std::exchange(m_afterSuiteFooter, false) && line.isEmpty())
            between.display = QByteArray();
        else if (line.startsWith(suiteMarker) && line.endsWith(" ms total)")) {
            between.display = QByteArray();
            m_afterSuiteFooter = true;
        } else if (isSuiteHeader(line) || (m_beforeFirstCase && isBannerLine(line))) {
            between.display = QByteArray();
        }
        return between;
    }

    static const struct {
        const QByteArray &marker;
        Status status;
    } ends[] = {{okMarker, Status::Passed}, {failedMarker, Status::Failed}, {skippedMarker, Status::Skipped}};
    for (const auto &end : ends) {
        const int at = line.lastIndexOf(end.marker);
        if (at < 0)
            continue;
        // "Suite.Name", "Suite.Name (3 ms)", "Suite.Name, where GetParam() = 3 (0 ms)"
        const QString rest = QString::fromUtf8(line.mid(at + end.marker.size()));
        if (!rest.startsWith(m_running))
            continue;
        if (rest.size() > m_running.size() && rest.at(m_running.size()) != QLatin1Char(' ')
            && rest.at(m_running.size()) != QLatin1Char(','))
            continue;
        if (at > 0)
            appendText(QString::fromUtf8(line.left(at))); // the case's output without a newline
        return finish(end.status, rest);
    }

    const QString text = QString::fromUtf8(line);
    Part part;
    if (parsePartHeader(text, &part.skip, &part.file, &part.line))
        m_parts.append(part);
    else
        appendText(text);
    return {};
}

QHash<QString, CaseResult> GTestOutputParser::structuredResults()
{
    QHash<QString, CaseResult> results;
    QJsonObject root;
    if (!readGTestJson(GTestAdapter::resultsJsonPath(m_scratchDir), &root))
        return results; // not written (crash, kill) or unreadable
    forEachGTestJsonCase(root, [&](const QString &suiteName, const QString &caseName, const QJsonObject &test) {
        if (suiteName.isEmpty() || caseName.isEmpty())
            return; // "NonTestSuiteFailure": failures outside any case
        const QJsonArray failures = test.value(QLatin1String("failures")).toArray();
        const QString outcome = test.value(QLatin1String("result")).toString();
        CaseResult result;
        if (!failures.isEmpty())
            result.status = Status::Failed;
        else if (outcome == QLatin1String("COMPLETED"))
            result.status = Status::Passed;
        else if (outcome == QLatin1String("SKIPPED"))
            result.status = Status::Skipped;
        else if (outcome == QLatin1String("SUPPRESSED"))
            result.status = Status::Disabled;
        else
            return;
        result.seconds = secondsFromDuration(test.value(QLatin1String("time")).toString());

        // Each failure is "file:line\nmessage".
        QStringList messages;
        for (int i = 0; i < failures.size(); ++i) {
            const QString text = gtestJsonString(failures.at(i).toObject().value(QLatin1String("failure")));
            const int newline = text.indexOf(QLatin1Char('\n'));
            QString file;
            int line = 0;
            if (newline >= 0)
                parseLocation(text.left(newline), &file, &line);
            if (i == 0) {
                result.file = file;
                result.line = line;
            }
            messages.append(newline >= 0 ? text.mid(newline + 1) : text);
        }
        result.message = messages.join(QLatin1Char('\n'));

        // The JSON report has no skip message or location; the stream had them.
        const QString selector = suiteName + QLatin1Char('.') + caseName;
        const auto streamed = m_streamed.constFind(selector);
        if (result.message.isEmpty() && streamed != m_streamed.constEnd() && streamed->status == result.status) {
            result.message = streamed->message;
            result.file = streamed->file;
            result.line = streamed->line;
        }
        results.insert(selector, result);
    });
    return results;
}

} // namespace ctestd
