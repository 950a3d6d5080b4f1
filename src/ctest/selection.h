// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace ctestd::ctest {

// One test of a build tree, in ctest's order (`ctest --show-only=json-v1`).
struct TestInfo {
    int index = 0; // 1-based position in the full list
    QString name;
    QStringList labels;
    QStringList fixturesSetup, fixturesCleanup, fixturesRequired;
    bool disabled = false;
};

// ctest 3.25's selection options. Regexes are in ctest's dialect (regex.h);
// an invalid one never matches.
struct SelectionOptions {
    std::optional<QString> includeRegex; // -R: only the last one counts
    std::optional<QString> excludeRegex; // -E: only the last one counts
    QStringList includeLabels; // -L, repeatable: every regex must match some label
    QStringList excludeLabels; // -LE, repeatable: excluded if every regex matches some label
    bool rerunFailed = false; // --rerun-failed
    QVector<int> rerunNumbers; // the numbers of LastTestsFailed.log (parseLastTestsFailed)
};

struct Selection {
    QVector<int> indices; // TestInfo::index of the selected tests, ascending
    QVector<int> numbers; // ctest's #K of each (see select())
    // What ctest prints on stdout for regexes it cannot compile: the label
    // regexes' messages come before the "Test project" line, the -R/-E ones
    // after it.
    QString labelRegexMessages;
    QString nameRegexMessages;
};

// Which tests ctest 3.25 runs (or lists with -N), checked against ctest:
// - Regexes search (not full match) the name; -L/-LE regexes search each label.
// - -E without -R removes the matching tests from the list before anything
//   else: the tests after them are renumbered (#K changes) and fixtures can
//   not bring them back. With -R, a test is selected iff -R matches and -E
//   does not; numbering stays and fixtures can add -E'd tests back.
// - -L: a test without labels is out; otherwise every -L regex must match at
//   least one of its labels (several -L are ANDed). -LE: a test is out if
//   it has labels and every -LE regex matches one of them (so "-LE a -LE b"
//   only drops tests matching both).
// - Fixtures: for every selected test that is not disabled, the tests with
//   FIXTURES_SETUP or FIXTURES_CLEANUP for one of its FIXTURES_REQUIRED are
//   added (recursively: an added setup test's own requirements count too).
//   A disabled selected test pulls in nothing. (ctest's -FA/-FS/-FC, which
//   suppress these additions, are not modelled.)
// - --rerun-failed: -R, -L and -LE are ignored (-E without -R still removes
//   tests); the tests whose #K is one of rerunNumbers are selected (by
//   number, not by name: if the list changed since, other tests run), plus
//   their fixtures. An empty rerunNumbers (the log is missing, empty or has
//   no "K:" line) selects every test.
// The result is in #K order.
Selection select(const QVector<TestInfo> &tests, const SelectionOptions &options);

// --repeat until-fail:N|until-pass:N|after-timeout:N
struct RepeatMode {
    enum Kind { None, UntilFail, UntilPass, AfterTimeout };
    Kind kind = None;
    int count = 1;
    bool operator==(const RepeatMode &o) const { return kind == o.kind && count == o.count; }
};

// Parses the value of --repeat as ctest 3.25 does: the whole value must be
// "<mode>:<digits>" (lower case, no sign, no spaces). N is read as an
// unsigned long and then truncated to int (ctest's cast); a mode with N <= 1
// after that repeats nothing (kind None). On bad input returns false with
// *error = "'--repeat' given invalid value 'VALUE'", which ctest prints as
// "CMake Error: <error>" on stderr before exiting with 1. (ctest's other
// --repeat errors: "'--repeat' requires an argument" and, when a previous
// --repeat set a mode, "At most one '--repeat' option may be used.")
[[nodiscard]] bool parseRepeat(const QString &value, RepeatMode *mode, QString *error);

} // namespace ctestd::ctest
