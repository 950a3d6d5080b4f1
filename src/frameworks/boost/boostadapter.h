// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "frameworks/adapter.h"
#include "frameworks/adaptertext.h"
#include "model/defaults.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace ctestd {

// Boost.Test, as verified against 1.74 (header-only and shared library).
//
// Listing: `--list_content=DOT` (on stderr): the test tree with every unit's
// file(line), default status (green = enabled), expected failures and the
// `depends_on` edges. A case's selector and display name are its full path
// without the master suite, exactly as `--run_test=` takes it (`math/add`,
// `math/inner/deep`, `data/_1`, `tmpl<int>`); its suite is the path of its
// parent suite (empty for cases of the master suite), so JUnit's classname is
// `<exe>.math/inner`.
//
// Grouping: `suite` by default, keyed by the TOP-LEVEL suite, because Boost
// sets up a suite's fixtures (`* fixture<F>()`) whenever any case beneath it
// runs: `math/inner` apart from `math` would set up `math` twice. Boost runs
// the cases a selected case `depends_on` by itself, so a case and everything
// it depends on (transitively, either direction) always share one group, in
// every mode: their groups are merged. BOOST_TEST_GLOBAL_FIXTURE runs once per
// test process, so an executable that has one (its file holds the type name
// of Boost's global_fixture_impl<F>, which only BOOST_TEST_GLOBAL_FIXTURE
// instantiates) is grouped by `executable` unless asked otherwise.
//
// Running: `--run_test=a:b` (several arguments when long), a human-readable
// log on stdout for the stream (Entering/Leaving markers) and an XML log in
// the scratch directory for structuredResults(). `--catch_system_errors=no`:
// Boost would turn SIGSEGV into a "fatal error" and then ABORT the rest of the
// run (the other cases would never run); without catching, the process dies,
// the worker blames the running case (Crashed, with the signal) and the rest
// runs again in a fresh process. `timeout()` decorators still work (SIGALRM
// is handled apart) and fail the case.
class BoostTestAdapter final : public FrameworkAdapter {
public:
    // Above this many bytes a `--run_test=` argument is split in several
    // (Linux refuses single arguments over 128 KiB).
    static constexpr int maxFilterArgumentBytes = 64 * 1024;

    QString name() const override { return QStringLiteral("boost"); }
    // --run_test=<path> alone: Boost's own console output.
    bool prepareDirectRun(const QString &executable, const QString &selector, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    GroupBy defaultGroupBy() const override { return GroupBy::Suite; }
    // Executable when the file shows a global fixture, see the class comment.
    GroupBy groupByFor(const QString &executable) const override;
    QStringList listArguments(const QString &executable, const QString &scratchDir) const override;
    bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const override;
    // See the class comment. parseListing() leaves the merged dependency
    // groups in TestCase::groupHint, which this reads; without it the keys
    // are plain suite/case keys.
    QString groupKey(const TestCase &testCase, GroupBy groupBy) const override;
    // Also lists the executable once more (a few milliseconds, once per
    // executable build in a worker process) to learn the cases'
    // `expected_failures`, which the streamed log does not say.
    bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const override;
    // 0 passed, 201 failures, 200 setup error (no case matched the filter, a
    // global fixture failed, a bad argument): reported cases stand, the rest
    // become errors.
    bool isNormalExit(int exitCode) const override { return exitCode == 0 || exitCode == 200 || exitCode == 201; }

    // The files the adapter uses inside a scratch directory.
    // A line of output, decoded leniently (invalid UTF-8 becomes U+FFFD),
    // without its carriage return and without terminal escape sequences.
    static QString cleanLine(const QByteArray &raw);
    static QString logXmlPath(const QString &scratchDir); // <scratchDir>/log.xml
    static QString expectedFailuresPath(const QString &scratchDir); // <scratchDir>/expected-failures
};

// Follows Boost's HRF log at level test_suite (`t.cpp(8): Entering test case
// "add"`, `error: in "math/fail": ...`, `Test case "math/dep" is skipped
// because ...`, `Leaving test case "add"; testing time: 79us`) and reads the
// XML log for structuredResults().
class BoostOutputParser final : public OutputParser {
public:
    BoostOutputParser(const QString &scratchDir, const QStringList &selectors);

    ParsedLine parseStdoutLine(const QByteArray &line) override;
    QHash<QString, CaseResult> structuredResults() override;
    bool reportDecides() const override { return true; }

private:
    void appendMessage(const QString &text);
    void resetCase();
    void finishEvent(ParsedLine *parsed, const QString &selector, const CaseResult &result);

    QString m_scratchDir;
    QStringList m_selectors;
    QSet<QString> m_requested;
    QSet<QString> m_reported;
    QHash<QString, int> m_expectedFailures;
    QStringList m_suites; // suites entered, below the master suite
    QString m_running; // full path of the case between Entering and Leaving
    int m_failures = 0; // assertion failures of the running case
    bool m_aborted = false; // exception, signal or timeout in the running case
    bool m_inError = false; // the last line was an error: continuation lines follow
    bool m_beforeModule = true; // no "Entering test module" yet: the banner may come
    QString m_file;
    int m_line = 0;
    QStringList m_messages;
    MessageBudget m_budget; // of the current case's messages
};

} // namespace ctestd
