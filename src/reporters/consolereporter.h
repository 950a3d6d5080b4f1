// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/runlistener.h"
#include "model/testmodel.h"

#include <QByteArray>
#include <QString>
#include <QVector>

#include <memory>
#include <optional>

class QIODevice;

namespace ctestd {

class StatusLine;

// The escape sequences ctest colours a terminal's summary with.
namespace ansi {
inline const QByteArray Green = QByteArrayLiteral("\033[0;32m");
inline const QByteArray Red = QByteArrayLiteral("\033[0;31m");
inline const QByteArray Blue = QByteArrayLiteral("\033[0;34m");
inline const QByteArray Reset = QByteArrayLiteral("\033[0;0m");
} // namespace ansi

// The console switches that change what ctest prints (-Q, -V, --output-on-failure).
struct ConsoleOptions {
    bool outputOnFailure = false;
    bool verbose = false;
    bool quiet = false;
    bool labelSummary = true; // --no-label-summary turns it off
    // -W/--max-width: the narrowest the name column gets (ctest's default
    // 30); a longer name widens it, as under ctest 3.25.
    int nameWidth = 30;
    // A terminal: a live status line (StatusLine) at the bottom, `width`
    // columns wide. With `progress` (ctest's --progress and
    // CTEST_PROGRESS_OUTPUT) the Start lines and the results of passing
    // tests only show there, as under ctest; the rest stays.
    // --durations N: after the result lines, the N slowest tests and the N
    // slowest test processes with their fixture time (0: all; -1: none).
    int durations = -1;
    // ctest -V with -R or -E: "The following tests passed:" before the summary.
    bool listPassed = false;
    bool statusLine = false;
    bool progress = false;
    int terminalWidth = 80;
    // Colours, as ctest gives a terminal: the summary line and the lists in
    // ctest's colours, and the status of each result line (see colorFor()).
    bool color = false;
    // ctest closes a failed run with "Output from these tests are in: <log>" and a
    // "--rerun-failed" hint. Both would point at a file ctestd does not write yet,
    // so they are printed only when a log path is given.
    QString lastTestLogPath;
};

// The column widths ctest fixes from the whole list of tests before it prints the
// first line, so that every line of the run lines up.
struct ConsoleLayout {
    int total = 0; // N in "n/N"
    int maxIndex = 0; // widest "#K"
    int nameWidth = 30; // max(30, longest name in UTF-8 bytes), ctest's default -W
};

// What ctest prints in the Start and result lines for a case: the display name,
// falling back to "suite.name" when the adapter gave none.
QString consoleName(const TestCase &testCase);

// The --durations block for `end`: the `count` slowest reported tests (0:
// all) and the `count` slowest test processes, each with the time beyond
// its tests' own (the fixture's: start, set-up, tear-down).
QByteArray formatDurations(const RunEnd &end, int count);

ConsoleLayout consoleLayout(const QVector<TestCase> &cases, int minNameWidth = 30);

// The pure formatters below return ctest's bytes without the trailing newline
// (except formatCaseOutput/formatVerboseOutput, which return whole lines).

// A result line's status colour: green passed, blue skipped or not run on
// purpose (disabled, stopped), red for the rest.
QByteArray colorFor(Status status);

// "      Start  7: Math.Add"
QByteArray formatStartLine(const ConsoleLayout &layout, const TestCase &testCase);

// " 3/18 Test  #7: Math.Add .........   Passed    0.01 sec"
QByteArray formatResultLine(
    const ConsoleLayout &layout, int completed, const TestCase &testCase, const CaseResult &result);

// ctest's --output-on-failure block: the output re-split into lines the way ctest
// reads a pipe (at '\n' and '\0', a trailing '\r' dropped, the last partial line
// completed), then the blank line ctest ends every block with.
QByteArray formatCaseOutput(const CaseResult &result);

// ctest -V's "K: line" echo of a test's output.
QByteArray formatVerboseOutput(int index, const CaseResult &result);

// "75% tests passed, 1 tests failed out of 4" (float arithmetic, rounding and
// the 99% cap exactly as ctest computes them).
QByteArray formatPercentLine(int passed, int failed, bool color = false);

// "Total Test time (real) =   1.02 sec"
QByteArray formatTotalTimeLine(double wallSeconds);

// "\t 13 - Slow.Sleep (Timeout)"
QByteArray formatListEntry(int index, const QString &name, const QString &status);

// "\nLabel Time Summary:\ngtest    =   2.03 sec*proc (11 tests)\n", or nothing
// when no test has a label.
QByteArray formatLabelSummary(const QVector<TestCase> &cases, const QVector<CaseResult> &results);

// Everything ctest prints after the last result line, split by stream (the
// exit code is the run's: ctestExitCode()).
struct ConsoleSummary {
    QByteArray out;
    QByteArray err;
};
ConsoleSummary formatSummary(const QVector<TestCase> &cases, const QVector<CaseResult> &results, double wallSeconds,
    const ConsoleOptions &options);

// Prints a run the way ctest 3.25 does, line by line as events arrive. Lines are
// written and flushed one at a time so progress shows live and stdout and stderr
// interleave as ctest's do on a terminal.
class ConsoleReporter final : public RunListener {
public:
    // `terminal`: where the status line is drawn (the terminal itself, not
    // a log that copies `out`); needed for ConsoleOptions::statusLine.
    ConsoleReporter(QIODevice *out, QIODevice *err, const ConsoleOptions &options = {}, QIODevice *terminal = nullptr);
    ~ConsoleReporter() override;

    // Prints "Test project <dir>" and the preamble, and fixes the layout from
    // every case of the run.
    void runStarted(const RunStart &run) override;
    void caseStarted(const TestCase &testCase) override;
    // An attempt that --repeat will run again: ctest prints its result line
    // without the "n/N" counter, which only the final attempt advances.
    void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again) override;
    void caseFinished(const TestCase &testCase, const CaseResult &result) override;
    // Prints the summary of the reported cases; the exit code is the run's.
    int runFinished(const RunEnd &end, int exitCode) override;

    const ConsoleLayout &layout() const { return m_layout; }

private:
    void write(QIODevice *device, const QByteArray &bytes);
    // -V: the blank line and "K: Test command: ..." lines after a Start line.
    QByteArray commandBlock(const TestCase &testCase, bool withProgram, bool withTimeout) const;
    void flushPendingStart();
    void finishCase(const TestCase &testCase, const CaseResult &result, bool noticesWritten);
    void writeResultLine(const QByteArray &line, const CaseResult &result);

    QIODevice *m_out;
    QIODevice *m_err;
    ConsoleOptions m_options;
    ConsoleLayout m_layout;
    int m_completed = 0;
    double m_defaultTimeout = 0;
    std::optional<TestCase> m_pendingStart; // -V: started, its command block not written yet
    std::unique_ptr<StatusLine> m_status; // on a terminal
};

} // namespace ctestd
