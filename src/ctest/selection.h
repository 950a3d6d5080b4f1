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
    // -I: "Start,End,Stride,test#,test#,..." (a file's first line already
    // read, see testsInformationText()); -U: -I's numbers are added to what
    // -R/-E/-L/-LE select instead of narrowing it.
    std::optional<QString> testsInformation;
    bool useUnion = false;
    // -FA, -FS, -FC: fixtures whose setup and cleanup tests (-FA), setup
    // tests (-FS) or cleanup tests (-FC) are not added to the selection.
    std::optional<QString> fixtureExcludeAny;
    std::optional<QString> fixtureExcludeSetup;
    std::optional<QString> fixtureExcludeCleanup;
    bool rerunFailed = false; // --rerun-failed
    QVector<int> rerunNumbers; // the numbers of LastTestsFailed.log (parseLastTestsFailed)
};

struct Selection {
    QVector<int> indices; // TestInfo::index of the selected tests, ascending
    QVector<int> numbers; // ctest's #K of each (see select())
    int addedForFixtures = 0; // of those, how many the fixtures added (-V: "Added N tests ...")
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
// - -I Start,End,Stride,N,M...: the tests numbered Start, Start+Stride, ...
//   up to End, plus N, M... (expandTestsInformation). Without -U the numbers
//   count only the tests -R/-E/-L/-LE leave (the 2nd of those, not #2), and
//   a test must be both; with -U they are #K and either is enough. Numbers
//   that select nothing (stride 0, no extra number: Qt Creator's "0,0,0")
//   leave the selection as the regexes make it.
// - Fixtures: for every selected test that is not disabled, the tests with
//   FIXTURES_SETUP or FIXTURES_CLEANUP for one of its FIXTURES_REQUIRED are
//   added (recursively: an added setup test's own requirements count too).
//   A disabled selected test pulls in nothing. A fixture matched by -FA
//   adds neither, by -FS no setup, by -FC no cleanup tests (the regexes
//   search the fixture's name).
// - --rerun-failed: -R, -L, -LE and -I are ignored (-E without -R still removes
//   tests); the tests whose #K is one of rerunNumbers are selected (by
//   number, not by name: if the list changed since, other tests run), plus
//   their fixtures. An empty rerunNumbers (the log is missing, empty or has
//   no "K:" line) selects every test.
// The result is in #K order.
Selection select(const QVector<TestInfo> &tests, const SelectionOptions &options);

// ctest's reading of -I's value: "Start,End,Stride,N,M,..." read with atoi
// (Stride with atof); an empty Start is 1, an empty End is `count`, an empty
// Stride is 1; no range without a Stride above 0; the extra numbers only
// when Stride is followed by a comma. Sorted, without duplicates. An empty
// result selects every test.
QVector<int> expandTestsInformation(const QString &text, int count);

// The -I text as ctest takes it: when `value` names an existing file
// (relative to `directory`, the build tree ctest has changed into), its
// first line; otherwise `value` itself.
QString testsInformationText(const QString &value, const QString &directory);

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
