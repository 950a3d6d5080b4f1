// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "frameworks/adapter.h"
#include "frameworks/adaptertext.h"
#include "model/defaults.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace ctestd {

// Qt Test, as verified against Qt 5.15.8.
//
// Listing: `-datatags` prints one line per case: `TestMath add` for a function
// without data, `TestMath data_test two words` per data row (tags may contain
// spaces), `TestG rows r1 __global__ G1` per row of global data.
// A case is a test function without data (selector `add`) or one data row
// (`data_test:two words`). Qt 5.15 cannot select one row of the global data
// (initTestCase_data): `rows:r1` runs r1 once per global row. So with global
// data a case is a function or a local row, and its result aggregates all
// global rows (failed if any failed, the message naming the global row).
// selector = displayName = name = the command-line argument Qt Test takes
// (it splits at the FIRST ':'); suite = the test class. The listing has no
// file or line: those come from failures.
// Running: the selectors as arguments (Qt runs them in argument order, with
// initTestCase/cleanupTestCase once per process), `-v1` for an "entering"
// line per function, the txt log on stdout for the stream and the xml log in
// the scratch directory for the details.
class QTestAdapter final : public FrameworkAdapter {
public:
    QString name() const override { return QStringLiteral("qtest"); }
    // The function (and data tag) as Qt Test's own argument, plain txt output.
    bool prepareDirectRun(const QString &executable, const QString &selector, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    // initTestCase/cleanupTestCase run once per process: the executable is
    // the fixture group. groupKey()'s default (suite = the class) is the same
    // group, since a Qt Test executable has one class.
    GroupBy defaultGroupBy() const override { return GroupBy::Executable; }
    QStringList listArguments(const QString &executable, const QString &scratchDir) const override;
    bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const override;
    // Appends to spec->arguments and inserts into spec->environment. Cases
    // Qt Test cannot select exactly are left out of the arguments (the parser
    // reports them failed with the reason); fails only when none is left.
    bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const override;
    // Qt exits with the number of failures, capped at 127; a crash aborts
    // (134 when not reported as a signal).
    bool isNormalExit(int exitCode) const override { return exitCode >= 0 && exitCode <= 127; }

    // Why Qt Test cannot run exactly this case, or empty if it can: an empty
    // tag (`f:` runs every row of f), a function name that is not one, bytes
    // that were not UTF-8 in the listing, control characters.
    static QString unselectableReason(const QString &selector);

    static QString resultsXmlPath(const QString &scratchDir); // <scratchDir>/results.xml
};

// Follows Qt Test's txt log (-v1): `INFO   : C::f() entering` starts the next
// requested case; its result lines (`PASS   : C::f(tag)`, `FAIL!  : ...` with
// the `   Loc: [file(line)]` lines after it) are collected, and the case
// finishes at the next function's "entering" line or at `Totals:`, so that
// the detail lines Qt prints after a result stay with their case. A crash
// (`QFATAL`) leaves the case running for the worker to blame. Reads the xml
// log for structuredResults().
class QTestOutputParser final : public OutputParser {
public:
    QTestOutputParser(const QString &scratchDir, const QStringList &selectors);

    ParsedLine parseStdoutLine(const QByteArray &line) override;
    QHash<QString, CaseResult> structuredResults() override;
    bool reportDecides() const override { return true; }
    // The Totals line, or Qt's own stop after an unknown function or data tag:
    // without it, an exit code of 0..127 came from a test calling exit().
    bool reachedNormalEnd(int) const override { return m_reachedEnd; }

    // One result of a row (or of initTestCase/cleanupTestCase).
    struct Incident {
        Status status = Status::Passed;
        QString globalTag; // the global data row, when the case aggregates them
        QStringList lines; // message
        QString file;
        int line = 0;
    };
    // The case's result from its rows' incidents, or false if it has none.
    static bool aggregate(const QVector<Incident> &incidents, CaseResult *result);

private:
    struct Request {
        QString function;
        QString tag;
        bool hasTag = false;
        QString unselectable; // reason, when Qt Test cannot select it
        bool started = false;
    };
    enum class Collect { None, Case, Init, Cleanup };

    int nextRequest(const QString &function) const;
    void start(int index, ParsedLine *parsed);
    void finishRunning(ParsedLine *parsed);
    Incident *collectingIncident();
    void appendLine(Incident *incident, const QString &text);
    void flushInitOutcome(ParsedLine *parsed);

    QString m_scratchDir;
    QStringList m_selectors;
    QVector<Request> m_requests;
    bool m_seenOutput = false;
    QString m_class;
    int m_running = -1; // index into m_selectors of the case started last
    QVector<Incident> m_incidents; // of the running case
    Collect m_collect = Collect::None;
    bool m_collectPlainLines = false; // after "Unknown testdata": Qt's list of the tags
    MessageBudget m_budget; // of the current case's failure text
    bool m_crashed = false; // QFATAL seen: nothing more is reported
    bool m_reachedEnd = false;
    bool m_initPending = false;
    Incident m_init; // initTestCase's skip or failure
    bool m_cleanupFailed = false;
    Incident m_cleanup;
};

} // namespace ctestd
