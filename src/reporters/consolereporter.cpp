// SPDX-License-Identifier: BSD-3-Clause
#include "consolereporter.h"

#include "statusline.h"

#include <QFileInfo>

#include <QFileDevice>
#include <QIODevice>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

namespace ctestd {

namespace {

// std::setw() on a right-aligned field; longer text is never cut.
QByteArray padLeft(const QByteArray &text, int width)
{
    return text.size() >= width ? text : QByteArray(width - text.size(), ' ') + text;
}

// The same, appended to `out` (a result line is built in place, once per case).
void appendPadded(QByteArray &out, const char *text, int size, int width)
{
    if (size < width)
        out.append(width - size, ' ');
    out.append(text, size);
}

void appendPadded(QByteArray &out, int number, int width)
{
    char digits[16];
    const auto result = std::to_chars(digits, digits + sizeof digits, number);
    appendPadded(out, digits, int(result.ptr - digits), width);
}

// ctest formats times with sprintf("%6.2f") in the C locale. QByteArray::number()
// rounds ties away from zero (0.125 -> "0.13") where glibc rounds the exact binary
// value to even ("0.12"), and a bare snprintf() would follow the locale that
// QCoreApplication sets (a decimal comma in de_DE). std::to_chars is glibc's
// conversion without the locale (and without a stream: a run writes two a case).
QByteArray fixed2(double value, int width)
{
    char buffer[400]; // the widest double in fixed notation, with 2 decimals
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2);
    return padLeft(QByteArray(buffer, result.ec == std::errc() ? int(result.ptr - buffer) : 0), width);
}

// cmProcess::Buffer::GetLine(): a line ends at '\n' or '\0', and trailing '\r's
// are dropped; GetLast() returns a final partial line unchanged. ctest stores
// each line followed by '\n', which is what it later prints.
void appendCTestLines(QByteArray *out, const QByteArray &data, const QByteArray &prefix)
{
    int first = 0;
    for (int i = 0; i < data.size(); ++i) {
        if (data.at(i) != '\n' && data.at(i) != '\0')
            continue;
        int length = i - first;
        while (length > 0 && data.at(first + length - 1) == '\r')
            --length;
        *out += prefix;
        out->append(data.constData() + first, length);
        *out += '\n';
        first = i + 1;
    }
    if (first < data.size()) {
        *out += prefix;
        out->append(data.constData() + first, data.size() - first);
        *out += '\n';
    }
}

// Output is printed for the statuses ctest prints it for: Failed, Timeout and
// Exception. Not Run and Skipped never show output.
bool showsOutputOnFailure(Status status)
{
    return status == Status::Failed || status == Status::Timeout || status == Status::Crashed;
}

} // namespace

QString consoleName(const TestCase &testCase)
{
    if (!testCase.displayName.isEmpty())
        return testCase.displayName;
    if (testCase.suite.isEmpty())
        return testCase.name;
    return testCase.suite + QLatin1Char('.') + testCase.name;
}

ConsoleLayout consoleLayout(const QVector<TestCase> &cases, int minNameWidth)
{
    ConsoleLayout layout;
    layout.total = cases.size();
    layout.nameWidth = minNameWidth;
    for (const TestCase &testCase : cases) {
        layout.maxIndex = std::max(layout.maxIndex, testCase.index);
        // ctest measures std::string::size(), so a UTF-8 name counts its bytes.
        layout.nameWidth = std::max(layout.nameWidth, int(consoleName(testCase).toUtf8().size()));
    }
    return layout;
}

QByteArray formatStartLine(const ConsoleLayout &layout, const TestCase &testCase)
{
    QByteArray line = padLeft(QByteArrayLiteral("Start "), 2 * ctestNumberWidth(layout.total) + 8);
    line += padLeft(QByteArray::number(testCase.index), ctestNumberWidth(layout.maxIndex));
    line += ": ";
    line += consoleName(testCase).toUtf8();
    return line;
}

QByteArray formatResultLine(
    const ConsoleLayout &layout, int completed, const TestCase &testCase, const CaseResult &result)
{
    const int countWidth = ctestNumberWidth(layout.total);
    const QByteArray name = consoleName(testCase).toUtf8();
    const QByteArray field = ctestWords(result).resultField.toUtf8();
    QByteArray line;
    line.reserve(2 * countWidth + ctestNumberWidth(layout.maxIndex) + qMax(int(name.size()), layout.nameWidth)
        + int(field.size()) + 32);
    appendPadded(line, completed, countWidth);
    line += '/';
    appendPadded(line, layout.total, countWidth);
    line += " Test";
    char number[24] = {' ', '#'};
    const auto end = std::to_chars(number + 2, number + sizeof number - 1, testCase.index).ptr;
    *end = ':';
    appendPadded(line, number, int(end + 1 - number), 3 + ctestNumberWidth(layout.maxIndex));
    line += ' ';
    // ctest resizes "name " to width+4 with dots. It would also cut a longer name,
    // which only happens with -W; a name missing from the layout is kept whole.
    line += name;
    line += ' ';
    if (name.size() + 1 < layout.nameWidth + 4)
        line.append(layout.nameWidth + 4 - int(name.size()) - 1, '.');
    line += field;
    line += fixed2(result.seconds, 6);
    line += " sec";
    return line;
}

QByteArray formatCaseOutput(const CaseResult &result)
{
    // ctest reads stdout and stderr through one pipe, so they arrive interleaved.
    // The worker keeps them apart; stdout then stderr is the order a test that
    // writes and exits usually produces. Each stream is split on its own so a
    // partial last stdout line is not glued to the first stderr line.
    QByteArray block;
    appendCTestLines(&block, result.stdOut, QByteArray());
    appendCTestLines(&block, result.stdErr, QByteArray());
    block += '\n';
    return block;
}

QByteArray formatVerboseOutput(int index, const CaseResult &result)
{
    const QByteArray prefix = QByteArray::number(index) + ": ";
    QByteArray block;
    appendCTestLines(&block, result.stdOut, prefix);
    appendCTestLines(&block, result.stdErr, prefix);
    return block;
}

QByteArray formatPercentLine(int passed, int failed, bool color)
{
    // cmCTestTestHandler computes this in float and caps it so that a single
    // failure among hundreds never reads as "100% tests passed".
    const int total = passed + failed;
    float percent = total > 0 ? float(passed) * 100.0f / float(total) : 0.0f;
    if (failed > 0 && percent > 99.0f)
        percent = 99.0f;
    const QByteArray percentText = QByteArray::number(qint64(std::lround(percent))) + "% tests passed";
    const QByteArray failedText = QByteArray::number(failed) + " tests failed";
    const QByteArray outOf = " out of " + QByteArray::number(total);
    if (!color)
        return percentText + ", " + failedText + outOf;
    // ctest's colours on a terminal, byte for byte.
    return (failed == 0 ? ansi::Green : QByteArray()) + percentText + ansi::Reset + ", "
        + (failed > 0 ? ansi::Red : QByteArray()) + failedText + ansi::Reset + outOf;
}

QByteArray formatTotalTimeLine(double wallSeconds)
{
    return "Total Test time (real) = " + fixed2(wallSeconds, 6) + " sec";
}

QByteArray formatListEntry(int index, const QString &name, const QString &status)
{
    return '\t' + padLeft(QByteArray::number(index), 3) + " - " + name.toUtf8() + " (" + status.toUtf8() + ')';
}

QByteArray formatLabelSummary(const QVector<TestCase> &cases, const QVector<CaseResult> &results)
{
    // Per label, in name order: the tests carrying it and their time
    // multiplied by their PROCESSORS; ctest prints it only if a test has labels.
    std::map<QString, std::pair<double, int>> labels;
    for (int i = 0; i < cases.size(); ++i) {
        if (i < results.size() && results[i].status == Status::Stopped)
            continue; // never started: not part of the run's time
        const double seconds = i < results.size() ? results[i].seconds : 0.0;
        for (const QString &label : cases[i].labels) {
            auto &entry = labels[label];
            entry.first += seconds * cases[i].processors;
            entry.second += 1;
        }
    }
    if (labels.empty())
        return QByteArray();
    int width = 0;
    for (const auto &entry : labels)
        width = qMax(width, int(entry.first.toUtf8().size()));
    QByteArray text = "\nLabel Time Summary:\n";
    for (const auto &[label, entry] : labels) {
        QByteArray name = label.toUtf8();
        name.append(QByteArray(width + 3 - name.size(), ' '));
        text += name + " = " + fixed2(entry.first, 6) + " sec*proc (" + QByteArray::number(entry.second)
            + (entry.second == 1 ? " test)\n" : " tests)\n");
    }
    return text;
}

ConsoleSummary formatSummary(const QVector<TestCase> &cases, const QVector<CaseResult> &results, double wallSeconds,
    const ConsoleOptions &options)
{
    // The lists are in #K order whatever order the tests finished in.
    QVector<int> order(cases.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&cases](int a, int b) { return cases[a].index < cases[b].index; });

    // A case without a result never ran; ctest counts that as a failure.
    const auto resultAt = [&results](int i) { return i < results.size() ? results[i] : CaseResult {}; };

    int passed = 0;
    int failed = 0;
    QByteArray notRunList;
    QByteArray failedList;
    QByteArray passedList;
    for (int i : order) {
        const CaseResult result = resultAt(i);
        const QByteArray entry = formatListEntry(cases[i].index, consoleName(cases[i]), ctestWords(result).listStatus);
        if (result.status == Status::Skipped || result.status == Status::Disabled || result.status == Status::Stopped)
            notRunList += entry + '\n';
        if (isFailure(result.status)) {
            ++failed;
            // ctest colours each entry after its tab.
            failedList += options.color ? '\t' + ansi::Red + entry.mid(1) + ansi::Reset + '\n' : entry + '\n';
        } else if (result.status != Status::Disabled && result.status != Status::Stopped) {
            ++passed; // Skipped counts as passed, as in ctest
            passedList += '\t' + consoleName(cases[i]).toUtf8() + '\n';
        }
    }

    ConsoleSummary summary;
    if (passed + failed == 0) {
        // Also when every test was disabled: ctest prints no summary at all then.
        summary.err = "No tests were found!!!\n";
        return summary;
    }
    if (options.listPassed && !passedList.isEmpty())
        summary.out += "\nThe following tests passed:\n" + passedList;
    summary.out += '\n' + formatPercentLine(passed, failed, options.color) + '\n';
    if (options.labelSummary)
        summary.out += formatLabelSummary(cases, results);
    summary.out += '\n' + formatTotalTimeLine(wallSeconds) + '\n';
    if (!notRunList.isEmpty()) {
        summary.out += "\nThe following tests did not run:\n"
            + (options.color ? ansi::Blue + notRunList + ansi::Reset : notRunList);
    }
    if (failed > 0) {
        summary.out += "\nThe following tests FAILED:\n" + failedList;
        summary.err += "Errors while running CTest\n";
        // ctest drops both hints under --output-on-failure: the output was shown.
        if (!options.outputOnFailure && !options.lastTestLogPath.isEmpty()) {
            summary.err += "Output from these tests are in: " + options.lastTestLogPath.toUtf8() + '\n';
            summary.err += "Use \"--rerun-failed --output-on-failure\" to re-run the failed cases verbosely.\n";
        }
    }
    return summary;
}

QByteArray colorFor(Status status)
{
    switch (status) {
    case Status::Passed:
        return ansi::Green;
    case Status::Skipped:
    case Status::Disabled:
    case Status::Stopped:
        return ansi::Blue;
    default:
        return ansi::Red;
    }
}

ConsoleReporter::ConsoleReporter(QIODevice *out, QIODevice *err, const ConsoleOptions &options, QIODevice *terminal)
    : m_out(out)
    , m_err(err)
    , m_options(options)
{
    if (m_options.statusLine && terminal && !m_options.quiet)
        m_status = std::make_unique<StatusLine>(terminal, m_options.terminalWidth);
}

ConsoleReporter::~ConsoleReporter() = default;

void ConsoleReporter::write(QIODevice *device, const QByteArray &bytes)
{
    if (m_options.quiet || !device || bytes.isEmpty())
        return;
    if (m_status)
        m_status->hide();
    device->write(bytes);
    // QFile buffers; without a flush a slow test would hide the lines before it
    // and stdout/stderr would interleave differently from ctest's.
    if (auto *file = qobject_cast<QFileDevice *>(device))
        file->flush();
}

void ConsoleReporter::runStarted(const RunStart &run)
{
    m_layout = consoleLayout(run.cases, m_options.nameWidth);
    m_completed = 0;
    m_defaultTimeout = run.defaultTimeout;
    write(m_out, "Test project " + run.projectDirectory.toUtf8() + '\n');
    write(m_out, run.preamble);
    if (m_status) {
        m_status->start(m_layout.total);
        m_status->show();
    }
}

void ConsoleReporter::caseStarted(const TestCase &testCase)
{
    if (m_status) {
        m_status->caseStarted(consoleName(testCase));
        // ctest --progress shows what starts only in its live line.
        if (m_options.progress && !m_options.verbose)
            return m_status->show();
    }
    if (m_options.verbose) {
        flushPendingStart();
        write(m_out, "test " + QByteArray::number(testCase.index) + '\n');
        write(m_out, formatStartLine(m_layout, testCase) + '\n');
        // What follows depends on whether the test gets to run: a result
        // settled at once (disabled, missing program) comes next if not.
        m_pendingStart = testCase;
    } else {
        write(m_out, formatStartLine(m_layout, testCase) + '\n');
    }
    if (m_status)
        m_status->show();
}

QByteArray ConsoleReporter::commandBlock(const TestCase &testCase, bool withProgram, bool withTimeout) const
{
    // ctest -V: a blank line, then how the test is started. Only a test that
    // runs as ctest runs it has ctest's command; a case in a fixture group
    // is started by its worker, so only the blank line stays.
    if (!testCase.ctestTest || testCase.command.isEmpty())
        return "\n";
    const QByteArray k = QByteArray::number(testCase.index) + ": ";
    QByteArray command = withProgram ? testCase.command.first().toUtf8() : QByteArray();
    for (int i = 1; i < testCase.command.size(); ++i)
        command += " \"" + testCase.command.at(i).toUtf8() + '"';
    QByteArray block = '\n' + k + "Test command: " + command + '\n' + k
        + "Working Directory: " + testCase.workingDirectory.toUtf8() + '\n';
    if (withTimeout) {
        const double timeout = testCase.timeoutSeconds >= 0 ? testCase.timeoutSeconds : m_defaultTimeout;
        block += k + "Test timeout computed to be: " + QByteArray::number(qulonglong(timeout > 0 ? timeout : 1.0e7))
            + '\n';
    }
    return block;
}

void ConsoleReporter::flushPendingStart()
{
    if (!m_pendingStart)
        return;
    const TestCase testCase = *m_pendingStart;
    m_pendingStart.reset();
    write(m_out, commandBlock(testCase, true, true));
}

void ConsoleReporter::caseFinished(const TestCase &testCase, const CaseResult &result)
{
    if (m_pendingStart && m_pendingStart->index == testCase.index && m_pendingStart->executable == testCase.executable
        && m_pendingStart->displayName == testCase.displayName) {
        // Settled before it ran: ctest -V says as much as it got to.
        m_pendingStart.reset();
        if (result.status == Status::NotRun && result.message.startsWith(QLatin1String("Unable to find executable"))) {
            write(m_out, result.noticeOut);
            write(m_err, result.noticeErr);
            CaseResult rest = result;
            rest.noticeOut.clear();
            rest.noticeErr.clear();
            write(m_out, commandBlock(testCase, false, false));
            return finishCase(testCase, rest, true);
        }
        if (result.status == Status::NotRun && result.message.startsWith(QLatin1String("Unable to find required file")))
            write(m_out, commandBlock(testCase, true, false));
        else if (result.status != Status::NotRun && result.status != Status::Disabled)
            write(m_out, commandBlock(testCase, true, true));
    } else {
        flushPendingStart();
    }
    finishCase(testCase, result, false);
}

void ConsoleReporter::finishCase(const TestCase &testCase, const CaseResult &result, bool noticesWritten)
{
    // A case that never started (--stop-on-failure) gets no result line, as
    // under ctest; the summary lists it among the tests that did not run.
    if (result.status == Status::Stopped)
        return;
    ++m_completed;
    if (m_status)
        m_status->caseFinished(consoleName(testCase));
    // ctest explains a test it could not start ("Unable to find executable: ...")
    // on stderr just before the result line.
    if (!noticesWritten) {
        write(m_out, result.noticeOut);
        write(m_err, result.noticeErr);
        if (result.status == Status::NotRun && !result.message.isEmpty() && result.noticeOut.isEmpty()
            && result.noticeErr.isEmpty())
            write(m_err, result.message.toUtf8() + '\n');
    }
    if (m_options.verbose)
        write(m_out, formatVerboseOutput(testCase.index, result));
    // ctest --progress keeps a passing test's result in its live line only.
    const bool collapsed = m_status && m_options.progress && !m_options.verbose && result.status == Status::Passed;
    if (!collapsed)
        writeResultLine(formatResultLine(m_layout, m_completed, testCase, result), result);
    if (m_options.outputOnFailure && showsOutputOnFailure(result.status))
        write(m_out, formatCaseOutput(result));
    if (m_status)
        m_status->show();
}

void ConsoleReporter::writeResultLine(const QByteArray &line, const CaseResult &result)
{
    // ctest prints a result line as two messages, the name with its dots and
    // then the status and time; its -O log shows the seam, so ctestd's does.
    const int fieldLength = int(ctestWords(result).resultField.toUtf8().size());
    const int statusLength = fieldLength + int(fixed2(result.seconds, 6).size()) + 4; // " sec"
    write(m_out, line.left(line.size() - statusLength));
    QByteArray status = line.right(statusLength);
    if (m_options.color) {
        // The words only, not the padding around them.
        int begin = 0;
        int end = fieldLength;
        while (begin < end && status.at(begin) == ' ')
            ++begin;
        while (end > begin && status.at(end - 1) == ' ')
            --end;
        status = status.left(begin) + colorFor(result.status) + status.mid(begin, end - begin) + ansi::Reset
            + status.mid(end);
    }
    write(m_out, status + '\n');
}

void ConsoleReporter::attemptFinished(const TestCase &testCase, const CaseResult &result, bool again)
{
    flushPendingStart();
    if (!again)
        return; // caseFinished() prints the final attempt
    if (m_options.verbose)
        write(m_out, formatVerboseOutput(testCase.index, result));
    QByteArray line = formatResultLine(m_layout, qMax(1, m_completed), testCase, result);
    const int counterWidth = 2 * int(QByteArray::number(m_layout.total).size()) + 1;
    line.replace(0, counterWidth, QByteArray(counterWidth, ' '));
    writeResultLine(line, result);
    if (m_options.outputOnFailure && showsOutputOnFailure(result.status))
        write(m_out, formatCaseOutput(result));
    if (m_status)
        m_status->show();
}

QByteArray formatDurations(const RunEnd &end, int count)
{
    QVector<int> tests;
    for (int i = 0; i < end.cases.size(); ++i) {
        const CaseOutcome &outcome = end.cases[i];
        if (outcome.dispatched && !outcome.leftOut)
            tests.append(i);
    }
    std::stable_sort(tests.begin(), tests.end(),
        [&end](int a, int b) { return end.cases[a].result.seconds > end.cases[b].result.seconds; });
    if (count > 0 && tests.size() > count)
        tests.resize(count);
    QByteArray out = "\nSlowest " + QByteArray::number(tests.size()) + " tests:\n";
    for (int i : qAsConst(tests))
        out += fixed2(end.cases[i].result.seconds, 8) + " sec  " + consoleName(end.cases[i].testCase).toUtf8() + '\n';

    QVector<ProcessRecord> processes = end.processes;
    std::stable_sort(processes.begin(), processes.end(),
        [](const ProcessRecord &a, const ProcessRecord &b) { return a.seconds > b.seconds; });
    if (count > 0 && processes.size() > count)
        processes.resize(count);
    out += "\nSlowest " + QByteArray::number(processes.size())
        + " test processes (fixture: the process's time beyond its tests' own):\n";
    for (const ProcessRecord &process : qAsConst(processes)) {
        out += fixed2(process.seconds, 8) + " sec  fixture " + fixed2(process.fixtureSeconds(), 6) + " sec  ";
        // A process of one test is named by it; a group by its program and name.
        if (process.cases.size() == 1)
            out += consoleName(end.cases.value(process.cases.first()).testCase).toUtf8();
        else
            out += (QFileInfo(process.executable).fileName() + QLatin1Char(' ') + process.group).trimmed().toUtf8();
        out += " (" + QByteArray::number(process.cases.size()) + (process.cases.size() == 1 ? " test)\n" : " tests)\n");
    }
    return out;
}

int ConsoleReporter::runFinished(const RunEnd &end, int exitCode)
{
    flushPendingStart();
    if (m_status)
        m_status->stop();
    if (m_options.durations >= 0)
        write(m_out, formatDurations(end, m_options.durations));
    const ConsoleSummary summary
        = formatSummary(end.reportedCases(), end.reportedResults(), end.wallSeconds, m_options);
    write(m_out, summary.out);
    write(m_err, summary.err);
    return exitCode;
}

} // namespace ctestd
