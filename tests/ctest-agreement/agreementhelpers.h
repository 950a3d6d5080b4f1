// SPDX-License-Identifier: BSD-3-Clause
// Helpers for the ctest agreement test: run a tool (ctest or ctestd) on a
// build tree, take ctest's console format apart (including the multi-line
// status of a PASS_REGULAR_EXPRESSION failure, repeated runs and the output
// blocks of --output-on-failure), read both JUnit dialects, Testing/Temporary
// files and the `ctest --show-only=json-v1` listing.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QVariant>

struct ToolRun {
    QString program;
    QStringList arguments;
    bool started = false;
    bool crashed = false;
    bool timedOut = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    double seconds = 0;
    QString commandLine() const; // for messages
};

// Runs `program arguments...` in `workingDirectory` with exactly `environment`.
ToolRun runTool(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    const QString &workingDirectory, int timeoutMs = 180000);

// The environment both tools run with: the system environment without the
// variables that would change what ctest or the tests do behind the options'
// back (CTEST_*, GTEST_*, CTESTD_*), plus `extra`.
QProcessEnvironment cleanEnvironment(const QProcessEnvironment &extra = {});

// One result line of ctest's console format. Under --repeat the intermediate
// lines have no "n/N" counter: completed == total == 0.
struct ResultLine {
    int completed = 0;
    int total = 0;
    int number = 0; // #K
    QString name;
    QString status; // trimmed status field; a multi-line status keeps its '\n'
    QStringList output; // lines printed after it (--output-on-failure), trailing blank lines dropped
};

struct ConsoleReport {
    QStringList header; // the lines before the first Start or result line
    QList<ResultLine> results; // in console order
    QMap<QString, QList<int>> startNumbers; // name -> the K of each of its Start lines
    QString summary; // "N% tests passed, F tests failed out of T", or empty
    QStringList labelSummary; // "label (N tests)" per Label Time Summary line, times dropped
    QStringList notRunList; // the lines under "The following tests did not run:", verbatim
    QStringList failedList; // the lines under "The following tests FAILED:", verbatim
    QStringList dependencyLines; // "Failed test dependencies: ..." lines, sorted
    // "Could not find executable ..." with the list of places after it (one
    // string per missing executable), sorted
    QStringList notFoundLines;

    QMap<QString, QString> statuses() const; // name -> last status
    QMap<QString, QStringList> statusHistory() const; // name -> every status, in order
    QMap<QString, int> numbers() const; // name -> #K of its result lines (-1 if they disagree)
    QMap<QString, int> resultCounts() const; // name -> number of result lines
    QList<int> totals() const; // the distinct N of "n/N"
    QStringList failedNames() const; // names in failedList
    QStringList markers(const QString &name) const; // "agree-marker" lines in its output, sorted
};
ConsoleReport parseConsole(const QByteArray &out);

// Selected lines of stderr: "Unable to find ..." messages, sorted.
QStringList unableToFindLines(const QByteArray &err);

struct JUnitEntry {
    QString suite; // name of the enclosing <testsuite>
    QString name;
    QString classname;
    QString status; // ctest's status attribute, if any
    QString child; // "", "failure", "error" or "skipped"
    QString type; // of the child
    QString message; // of the child
};
struct JUnitDocument {
    bool valid = false;
    QString error;
    QString root; // "testsuite" (ctest) or "testsuites" (ctestd)
    QStringList suiteNames;
    QList<JUnitEntry> cases; // in document order
    QMap<QString, JUnitEntry> byName() const; // name -> the first entry with that name
    QMap<QString, int> nameCounts() const;
};
JUnitDocument readJUnitDocument(const QString &path);

// One test of `ctest --show-only=json-v1`.
struct CTestTestInfo {
    int number = 0; // position + 1
    QString name;
    QStringList command; // empty when ctest could not resolve the executable
    QMap<QString, QVariant> properties;
    QString executableName() const; // file name of command[0], or empty
    QString gtestFilter() const; // value of --gtest_filter=, or empty
    QString gtestSuite() const; // the filter up to its first '.', or empty
};
QList<CTestTestInfo> parseShowOnlyJson(const QByteArray &json, QString *error);

// Reads the "#|" table between "ctest-status-table-begin" and
// "ctest-status-table-end" in a CMakeLists.txt: name -> status ("\n" in the
// table stands for a line break). The header row is skipped.
QMap<QString, QString> readStatusTable(const QString &cmakeListsPath, QString *error);

// CTestCostData.txt: name -> number of runs, and the names after "---".
struct CostData {
    bool exists = false;
    QMap<QString, int> runs;
    QStringList failed; // sorted
};
CostData readCostData(const QString &path);

// A file's content, or a null QByteArray when it does not exist.
QByteArray readFileOrNull(const QString &path);

// "key: a != b" lines for the entries where two maps differ.
QStringList diffMaps(const QMap<QString, QString> &expected, const QMap<QString, QString> &actual,
    const QString &expectedLabel, const QString &actualLabel);
QStringList diffMaps(const QMap<QString, int> &expected, const QMap<QString, int> &actual, const QString &expectedLabel,
    const QString &actualLabel);
QString quoted(const QString &text); // for messages: newlines shown as \n

// The first line where ctest's and ctestd's texts differ ("<what> line N:
// ctest "a", ctestd "b""), or empty when they agree. On a difference both
// texts go to the test's log whole (QTest cuts long failure messages).
QString firstDifference(const QString &what, const QStringList &ctest, const QStringList &ctestd);

// Both tools' stdout and stderr, for a failure message.
QString bothOutputs(const ToolRun &ctest, const ToolRun &ctestd);
