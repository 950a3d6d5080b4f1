// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "frameworks/adapter.h"
#include "frameworks/adaptertext.h"
#include "model/defaults.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace ctestd {

// GoogleTest, as verified against 1.12.1.
//
// Listing: `--gtest_list_tests` text, with file and line from the JSON listing
// gtest writes next to it. Display names are exactly gtest_discover_tests'
// (CMake 3.25, default options): `Typed.Zero<int>`, `Nums/P.Even/2`,
// `DISABLED_` removed; selectors stay raw (`Typed/0.Zero`).
// Running: `--gtest_filter` (or a flag file when the filter is huge) plus a JSON
// report; the environment pins every GTEST_* setting that changes what runs or
// what the console shows (brief, repeat, shuffle, sharding, colour, ...).
class GTestAdapter final : public FrameworkAdapter {
public:
    // Above this many bytes the `--gtest_filter=` argument goes into a flag file.
    static constexpr int maxFilterArgumentBytes = 64 * 1024;

    // A suite or case name as gtest_discover_tests shows it: without its
    // leading DISABLED_ prefixes ("DISABLED_Off" -> "Off"). TestCase::suite
    // and ::name use it, so JUnit names a disabled case as the console does;
    // the selector keeps gtest's own name.
    static QString withoutDisabledPrefix(const QString &name);

    QString name() const override;
    GroupBy defaultGroupBy() const override;
    bool stopAtFirstFailure(RunSpec *spec) const override;
    // gtest_discover_tests' command: --gtest_filter=<selector> --gtest_also_run_disabled_tests.
    bool prepareDirectRun(const QString &executable, const QString &selector, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    // Removes a stale list.json.
    QStringList listArguments(const QString &executable, const QString &scratchDir) const override;
    bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const override;
    // Appends to spec->arguments (after any the caller put there, so ours win)
    // and inserts into spec->environment. Removes a stale results.json.
    bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const override;

    // The files the adapter uses inside a scratch directory.
    static QString listingJsonPath(const QString &scratchDir); // <scratchDir>/list.json
    static QString resultsJsonPath(const QString &scratchDir); // <scratchDir>/results.json
    static QString filterFlagFilePath(const QString &scratchDir); // <scratchDir>/filter.flags
};

// Follows gtest's default console printer: `[ RUN      ]`, `[       OK ]`,
// `[  FAILED  ]`, `[  SKIPPED ]`, and the `file:line: Failure` / `Skipped`
// blocks in between. Reads `results.json` for structuredResults().
class GTestOutputParser final : public OutputParser {
public:
    explicit GTestOutputParser(const QString &scratchDir);

    ParsedLine parseStdoutLine(const QByteArray &line) override;
    QHash<QString, CaseResult> structuredResults() override;
    bool reportDecides() const override { return true; }

private:
    struct Part {
        bool skip = false; // `Skipped` block (GTEST_SKIP) rather than `Failure`
        QString file;
        int line = 0;
        QStringList lines;
    };

    void appendText(const QString &text);
    LineEvent finish(Status status, const QString &rest);

    QString m_scratchDir;
    QString m_running; // selector of the case between RUN and its end marker
    QVector<Part> m_parts;
    MessageBudget m_budget; // of the current case's failure text
    bool m_afterSuiteFooter = false; // the line before was a suite's footer
    bool m_beforeFirstCase = true; // gtest's banner lines may come
    QHash<QString, CaseResult> m_streamed; // what the stream said, for structuredResults()
};

} // namespace ctestd
