// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "frameworks/adapter.h"
#include "frameworks/adaptertext.h"
#include "model/defaults.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace ctestd {

// doctest, as verified against 2.4.9.
//
// Listing: `--dt-list-test-cases --dt-reporters=xml --dt-no-skip=true`, one
// `<TestCase name= testsuite= filename= line= skipped=/>` per case. Cases
// with the skip() decorator (listed only with --no-skip) become disabled
// cases, like gtest's DISABLED_ tests under ctest; they never run. The
// display name is the bare case name, as doctest_discover_tests registers
// it; the suite is the TEST_SUITE (empty outside one).
//
// Options are always passed in their `--dt-` form, which works with and
// without DOCTEST_CONFIG_NO_UNPREFIXED_OPTIONS. doctest takes the LAST
// occurrence of an option, so arguments a registration adds after ours win.
//
// Selecting exactly: doctest's filters are comma-separated wildcard patterns
// (`*`, `?`, no escape for either; `\,` is a comma and `\\` a backslash),
// ANDed across name, suite and file, with per-category exclusions. ctestd
// pins --dt-case-sensitive=true and selects a case by its name with every `*`
// replaced by `?` (which matches the same length and the same characters
// elsewhere), plus suite and file filters. A name pattern can still match
// other cases (same name in another suite or file; `a*` also matches `ab`),
// so the listing records those "others" in the selector, and prepareRun
// excludes each one by name, suite or file, whichever does not also exclude
// a wanted case. A wanted case whose others cannot all be excluded (names
// differing only in `*` versus `?` at the same place, or identical name,
// suite and file on different lines when only one is wanted) is not run:
// the parser reports it as Not Run with the reason on the process' first
// line. So are cases beyond the command-line cap (maxFilterArgumentBytes;
// doctest cannot read options from a file).
//
// Selector format (opaque; only this adapter reads it): a compact JSON
// object
//   {"file":F,"line":L,"name":N,"suite":S,"others":[[N,S,F,L],...]}
// with "others" left out when empty. N, S and F are exactly as doctest's XML
// shows them (decoded); S is "" outside a TEST_SUITE.
//
// Running: the XML reporter on stdout (--dt-reporters=xml, --dt-duration=true,
// --dt-no-skipped-summary=true so filtered-out cases print nothing), parsed
// line by line; see DoctestOutputParser.
class DoctestAdapter final : public FrameworkAdapter {
public:
    // Linux refuses a single argument above 128 KiB (MAX_ARG_STRLEN); stay
    // well below for each filter argument.
    static constexpr int maxFilterArgumentBytes = 100 * 1024;

    QString name() const override { return QStringLiteral("doctest"); }
    // TEST_SUITE only groups names; doctest has no suite-level set-up, and
    // fixtures (TEST_CASE_FIXTURE) are per case.
    GroupBy defaultGroupBy() const override { return GroupBy::Case; }
    bool stopAtFirstFailure(RunSpec *spec) const override
    {
        spec->arguments.append(QStringLiteral("--dt-abort-after=1"));
        return true;
    }
    QStringList listArguments(const QString &executable, const QString &scratchDir) const override;
    bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const override;
    // Appends to spec->arguments (after any the caller put there; the unit's
    // own extra arguments come after these and win).
    bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const override;

    // What a case's selector says about it.
    struct Identity {
        QString name;
        QString suite;
        QString file;
        int line = 0;
        bool operator==(const Identity &other) const
        {
            return name == other.name && suite == other.suite && file == other.file && line == other.line;
        }
    };
    static QString encodeSelector(const Identity &identity, const QVector<Identity> &others);
    // The identity as one string, to key a hash by.
    static QString identityKey(const Identity &identity);
    static bool decodeSelector(const QString &selector, Identity *identity, QVector<Identity> *others);

    // How one process runs `selectors`: the filter arguments, and the cases
    // that cannot be selected exactly, with the reason. Deterministic, so the
    // parser recomputes the same plan.
    struct Plan {
        QStringList arguments; // the filters only
        QStringList selected; // in the given order
        QVector<QPair<QString, QString>> rejected; // (selector, reason), in the given order
    };
    static Plan plan(const QStringList &selectors);

    // doctest's wildcmp(), case-sensitive, on UTF-8 bytes.
    static bool wildcardMatches(const QByteArray &text, const QByteArray &pattern);
    // `text` as one filter item that matches it: `*` -> `?`, `\` and `,` escaped.
    static QString filterItem(const QString &text);
};

// Follows doctest's XML reporter as it streams: `<TestCase ...>` starts a
// case (matched to a selector by name, suite, file and line), the
// `<Expression>`, `<Message>` and `<Exception>` blocks in between are failures
// (rendered the way doctest's console shows them, with the subcase path), and
// `<OverallResultsAsserts ... test_case_success=.../>` ends it. XML lines are
// replaced by readable text (failures) or dropped; the test's own output is
// kept as it is. A case that doctest reports as crashed (its signal handler
// writes the results, then the process dies) is left running, so the worker
// blames it for the signal.
class DoctestOutputParser final : public OutputParser {
public:
    explicit DoctestOutputParser(const QStringList &selectors);

    ParsedLine parseStdoutLine(const QByteArray &line) override;
    QHash<QString, CaseResult> structuredResults() override { return {}; }
    // `</doctest>`: doctest exits with 0 or 1, so only the closed report
    // tells its own end from a test's exit(1).
    bool reachedNormalEnd(int) const override { return m_reachedEnd; }

    // A tag split over lines (a name with a newline) is given up after this.
    static constexpr int maxPendingTagBytes = 64 * 1024;

private:
    struct Block {
        enum Kind { None, Expression, Message, Exception };
        Kind kind = None;
        QString type;
        QString file;
        int line = 0;
        bool failed = false; // counts for the case's message
        bool crash = false;
        QHash<QString, QString> texts; // Original, Expanded, Exception, Text, ...
        QStringList infos;
        QString subcases;
    };

    ParsedLine handleTag(const QByteArray &tagText, const QByteArray &prefix, int indent);
    void endTextElement();
    QString renderBlock() const;
    LineEvent finishCase(const QHash<QByteArray, QString> &attributes, QStringList *reasons);
    void addPart(const QString &text, const QString &file, int line);

    QHash<QString, QString> m_selectorOf; // identity key -> selector
    QVector<QPair<QString, QString>> m_rejected;
    bool m_firstLine = true;

    QByteArray m_pendingTag; // a tag whose attribute ran over a newline
    QByteArray m_pendingPrefix;
    int m_pendingIndent = 0;

    QString m_suite;
    bool m_inCase = false;
    QString m_running; // selector of the running case; empty for one not requested
    QString m_caseFile;
    int m_caseLine = 0;
    double m_caseTimeout = 0;
    bool m_caseShouldFail = false;
    QStringList m_subcases;
    bool m_crashed = false;
    bool m_reachedEnd = false;

    Block m_block;
    QString m_textElement; // element whose text lines are being read
    int m_textIndent = 0;
    QStringList m_textLines;

    QStringList m_parts;
    QString m_partFile; // location of the first failure
    int m_partLine = 0;
    MessageBudget m_budget; // of the current case's failure text
};

} // namespace ctestd
