// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QHash>
#include <QStringList>
#include <QVector>

#include <memory>
#include <optional>

namespace ctestd {

// What one line of a test process' stdout meant to the framework adapter.
struct LineEvent {
    enum Kind { None, Started, Finished };
    Kind kind = None;
    QString selector; // the case that started or finished (TestCase::selector)
    CaseResult result; // for Finished: status, seconds, message, file, line
};

// Everything one line told the parser: the cases it started or finished, in
// order, and what of the line belongs in the case's output.
//
// The line itself is attached to a case as follows: before the first Finished
// event if there is one (it is that case's last line), otherwise after the
// Started events (it is the new case's first line). A line can both start and
// finish a case: Qt Test prints one line per data row, at its end.
struct ParsedLine {
    QVector<LineEvent> events;
    // Replaces the line in the case's output when set; an empty value drops
    // it. For frameworks whose streamed report is machine-readable (XML) and
    // would only be noise in the output people read.
    std::optional<QByteArray> display;

    ParsedLine() = default;
    ParsedLine(const LineEvent &event) // implicit: one event, the line kept as is
    {
        if (event.kind != LineEvent::None)
            events.append(event);
    }
};

// Follows one test process' streamed console output, line by line, so the
// worker knows which case is running and can report each case as it ends.
class OutputParser {
public:
    virtual ~OutputParser() = default;
    // `line` is one stdout line without its trailing newline. Called in order.
    virtual ParsedLine parseStdoutLine(const QByteArray &line) = 0;
    // After the process ended: results from the framework's structured report
    // (a file it wrote into the scratch directory), keyed by selector; only
    // cases the report holds completely. Empty when the framework wrote no
    // report (for instance after a kill).
    virtual QHash<QString, CaseResult> structuredResults() = 0;

    // Whether structuredResults() decides each case's status. The report is
    // a file the test's output cannot reach, so a test that prints the
    // framework's result markers cannot pass itself there; the stream then
    // only says which case is running and whose output is whose. False for
    // frameworks that report only on stdout (Catch2 v2, doctest): there the
    // exit status is the only word the output cannot change.
    virtual bool reportDecides() const { return false; }

    // After the process exited with `exitCode` (one isNormalExit() accepts):
    // whether its output reached the framework's own end of run (Qt Test's
    // Totals line, Catch2's closing tag, ...). Where the exit code cannot
    // tell (Qt Test and Catch2 v2 exit with the failure count), this tells a
    // test that called exit() from a normal end. Parsers that cannot tell
    // say true.
    virtual bool reachedNormalEnd(int exitCode) const
    {
        Q_UNUSED(exitCode)
        return true;
    }

    // After a normal end with `exitCode`: whether the framework says with it
    // that something failed (gtest, doctest: 1; Qt Test and Catch2 v2: the
    // number of failures; Boost.Test: 200 or 201). The exit status is the
    // process' own word, which printed lines cannot change: when it says
    // failed while every case was reported passed or skipped, the stream was
    // wrong (a test printed the framework's markers itself) or a failure
    // happened outside any case, and the run must not pass.
    virtual bool exitSaysFailed(int exitCode) const { return exitCode != 0; }
};

// Everything ctestd knows about one test framework: how to list an
// executable's cases, select exactly some of them, and read what it prints.
// Adapters are stateless; per-process state lives in the OutputParser.
class FrameworkAdapter {
public:
    virtual ~FrameworkAdapter() = default;

    virtual QString name() const = 0; // "gtest", "plain", ...
    virtual GroupBy defaultGroupBy() const = 0;
    // The default grouping of one executable's cases: defaultGroupBy(),
    // unless its file shows a reason for another (Boost.Test's global
    // fixture, which runs once per process, makes it the executable).
    virtual GroupBy groupByFor(const QString &executable) const
    {
        Q_UNUSED(executable)
        return defaultGroupBy();
    }

    // Arguments that make `executable` list its cases. It may write files
    // into `scratchDir` (an existing private directory), and may look at the
    // executable's file (not run it) to tell versions of a framework apart.
    virtual QStringList listArguments(const QString &executable, const QString &scratchDir) const = 0;

    // Whether the listing process' exit code means it listed (Catch2 v2 exits
    // with the number of cases it listed).
    virtual bool isListingExit(int exitCode) const { return exitCode == 0; }

    // Turns the listing's output into cases. Fills suite, name, displayName,
    // selector, file, line and disabled; index and group are the caller's.
    // Returns false with a one-line reason if the output is not a listing.
    virtual bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const = 0;

    // The fixture-group key of a case for a grouping mode, unique within one
    // executable (the caller prefixes the executable).
    virtual QString groupKey(const TestCase &testCase, GroupBy groupBy) const;

    struct RunSpec {
        QStringList arguments;
        QHash<QString, QString> environment; // added to the inherited environment
        QStringList unsetEnvironment; // removed from it (before `environment` is added)
    };
    // How to run exactly `selectors` of `executable`, in the framework's own
    // order. May write helper files (a flag file for long filters) into
    // `scratchDir`. Fails with a one-line reason when the framework cannot
    // select exactly these cases; the worker reports them with that reason.
    virtual bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir,
        RunSpec *spec, QString *error) const = 0;

    // How to run exactly the case `selector` for a person at a debugger or a
    // tool (`ctestd case` under gdb, or with CTESTD_DIRECT=1): the command
    // the framework's own CTest discovery would register, output for people.
    // By default what prepareRun() does, whose selection is exact but whose
    // output may be a machine-readable report.
    virtual bool prepareDirectRun(const QString &executable, const QString &selector, const QString &scratchDir,
        RunSpec *spec, QString *error) const
    {
        return prepareRun(executable, QStringList {selector}, scratchDir, spec, error);
    }

    // A parser for one process that runs exactly `selectors` (as given to
    // prepareRun), in that order.
    virtual std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const = 0;

    // Whether an exit code is one the framework uses when it ran to the end
    // (0 = all passed, 1 = some failed for gtest). Any other code means the
    // process stopped early: the running case is blamed and the rest of the
    // unit runs again in a fresh process.
    virtual bool isNormalExit(int exitCode) const { return exitCode == 0 || exitCode == 1; }

    // Makes a run prepared by prepareRun() stop at its first failing case
    // (--stop-on-failure), for frameworks that can; returns whether it did.
    // The cases the process then does not run get no result, or a skip
    // (gtest's fail-fast), which the worker leaves unreported.
    virtual bool stopAtFirstFailure(RunSpec *spec) const
    {
        Q_UNUSED(spec)
        return false;
    }

    // Whether the framework's output says when each case starts and ends.
    // If not (plain executables), the process is the one case: it starts with
    // the process and its status comes from CTest's rules at exit.
    virtual bool reportsCases() const { return true; }
};

} // namespace ctestd
