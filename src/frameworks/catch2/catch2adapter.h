// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "frameworks/adapter.h"
#include "frameworks/adaptertext.h"
#include "model/defaults.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace ctestd {

// Catch2 v2 (verified against 2.13.10) and v3 (from the 3.7.1 sources and
// documentation; recorded samples in the unit test).
//
// The version is told from the executable's file: v2's help text has
// `--list-test-names-only`, which v3 dropped.
// Listing: v2 `--list-test-names-only -v high` ("name\t@file:line" per line,
// exit code = number listed); v3 `--list-tests --reporter xml` (name, class
// name, file, line). Hidden `[.]` cases are not listed, as with
// catch_discover_tests. Display name and selector are the case name as
// listed; the suite is v3's class name (TEST_CASE_METHOD), else empty.
// Running: the names go into a `-f` spec file, one escaped, quoted name per
// line, and the XML reporter streams to stdout (both versions).
class Catch2Adapter final : public FrameworkAdapter {
public:
    enum class Version { V2, V3 };
    static Version versionOf(const QString &executable);

    QString name() const override;
    // There is no suite-level fixture in Catch2 (TEST_CASE_METHOD's fixture is
    // built per case and per section pass), so nothing is gained by grouping.
    GroupBy defaultGroupBy() const override;
    bool stopAtFirstFailure(RunSpec *spec) const override
    {
        spec->arguments.append(QStringLiteral("--abort"));
        return true;
    }
    QStringList listArguments(const QString &executable, const QString &scratchDir) const override;
    // v2 exits with the number of cases it listed (modulo 256), v3 with 0.
    bool isListingExit(int exitCode) const override;
    bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const override;
    // Writes the spec file, removing a stale one first.
    bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const override;
    // v2 exits with min(255, failed assertions): every code is a normal end.
    // v3 >= 3.7.1 uses only 0, 2, 3, 4, 5 and 42, but this function is not told
    // the version, so it accepts every code for both. A test that calls exit()
    // is told apart by the stream instead (Catch2OutputParser::reachedNormalEnd).
    bool isNormalExit(int exitCode) const override;

    static QString specFilePath(const QString &scratchDir); // <scratchDir>/catch2-spec.txt
    // "file:line: " as the reporter's messages name a place ("file: " without
    // a line); empty without a file.
    static QString location(const QString &file, int line);

    // The `-f` line that selects the case `name`, or empty if no line can
    // select it (a blank name, a name with a line break). `*exact` is false
    // when the line may select other cases too: Catch2 compares names
    // case-insensitively after trimming, treats a leading or trailing `*` as a
    // wildcard even when escaped, and turns a leading "exclude:" into a
    // negation. The output parser reports only the cases it was asked for.
    static QString specLine(const QString &name, bool *exact);
    // The name as the XML reporter writes it in <TestCase name="...">:
    // trimmed, control characters as "\xNN".
    static QString reportedName(const QString &name);

    // A case's selector is its name, except for cases Catch2 reports under
    // the same name (it trims "  a  " and "a" to "a" in its report, and its
    // spec matches both): then the selector also names where the case is
    // defined, {"name":..,"file":..,"line":..}, so that the output parser
    // tells the twins apart by the report's filename and line instead of
    // giving one the other's result.
    static QString twinSelector(const QString &name, const QString &file, int line);
    // The case name a selector selects, and where the case is defined if the
    // selector says (a twin's).
    static QString selectorName(const QString &selector);
    static bool selectorLocation(const QString &selector, QString *file, int *line);
};

// Follows Catch2's XML reporter (v2 <Catch>, v3 <Catch2TestRun>) streamed on
// stdout, interleaved with the cases' own printf output (std::cout and
// std::cerr are captured by Catch2 into <StdOut>/<StdErr>). The XML lines are
// replaced in the output by readable text ("file:line: FAILED: ...").
class Catch2OutputParser final : public OutputParser {
public:
    explicit Catch2OutputParser(const QStringList &selectors);

    ParsedLine parseStdoutLine(const QByteArray &line) override;
    QHash<QString, CaseResult> structuredResults() override;

    // Whether the stream's closing root tag was seen.
    bool streamComplete() const { return m_complete; }
    // The closing root tag, and an exit code the version the stream showed
    // uses: anything else is a test's exit() or a stream cut short.
    bool reachedNormalEnd(int exitCode) const override { return m_complete && isNormalExit(exitCode); }
    // The exact normal-exit rule, which needs the version the stream showed:
    // v2 and v3 before 3.7.1 exit with the failed-assertion count; 3.7.1+ with
    // 0, 2 (no tests ran), 3 (unmatched spec), 4 (all skipped), 5 (invalid
    // spec) or 42 (failure).
    bool isNormalExit(int exitCode) const;
    // 3.7.1+ says "failed" with 42 only (4: all skipped, 2/3/5: nothing or
    // not everything asked for ran, which leaves cases without a result);
    // older versions with any non-zero count. Not when a case ctestd did not
    // ask for (a twin matched by the same spec) ran and failed.
    bool exitSaysFailed(int exitCode) const override;

private:
    struct Part {
        enum Kind { Expression, Exception, Fatal, Explicit, Skip } kind = Expression;
        bool success = false;
        QString type; // REQUIRE, CHECK, ...
        QString file;
        int line = 0;
        QString original;
        QString expanded;
        QString exception; // an exception thrown inside an expression
        QString text; // Exception/FatalErrorCondition/Failure/Skip message
        QStringList infos;
        QStringList sections;
    };
    struct Case {
        QString name;
        QString selector; // empty: a case ctestd did not ask for (wildcard, case-insensitive match)
        QString tags;
        bool fatal = false;
        std::optional<CaseResult> result;
        QVector<Part> failures;
        QVector<Part> skips;
    };
    struct Text {
        QByteArray tag;
        QHash<QByteArray, QString> attributes;
        QStringList lines;
    };

    static bool parseTag(const QByteArray &line, XmlTag *tag, QByteArray *before);
    ParsedLine handleTag(const XmlTag &tag);
    std::optional<QByteArray> endText(const Text &text);
    QByteArray finishPart(const Part &part);
    QString composePart(const Part &part) const;
    // Ends the open case: its Finished event (if it is ours and complete)
    // goes into `parsed`, and ctestd's reason becomes the shown line when
    // Catch2 printed nothing for a failure.
    void finishCase(ParsedLine *parsed);
    // The requested case a <TestCase> report is about, or empty.
    QString takeSelector(const QString &reportedName, const QString &file, int line);

    QStringList m_unstarted; // selectors in order, not yet seen starting
    std::optional<Case> m_case;
    std::optional<Case> m_fatalCase; // died of a fatal condition but the stream went on
    std::optional<Part> m_part; // inside <Expression>
    std::optional<Text> m_text; // inside a text element
    QStringList m_sections;
    QStringList m_infos; // <Info> seen before the assertion they belong to
    bool m_v3 = false;
    QString m_version; // v3's catch2-version attribute
    bool m_complete = false;
    bool m_othersFailed = false; // a twin of a requested case (not asked for itself) ran and failed
    QSet<QString> m_twinKeys; // twinKey() of every requested case's name
    QStringList m_wildcards; // twinKey() of requested names that start or end with '*'
    bool mayRunUnasked(const QString &name) const;
    QStringList m_taken; // requested cases whose start has been seen
    static QString twinKey(const QString &name);
};

} // namespace ctestd
