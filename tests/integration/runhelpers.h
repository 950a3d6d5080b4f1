// SPDX-License-Identifier: BSD-3-Clause
// Helpers for the integration tests: run the real ctestd executable on real
// test executables and take its console output and JUnit file apart.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QProcessEnvironment>
#include <QStringList>

struct CtestdRun {
    bool started = false;
    int exitCode = -1;
    bool crashed = false;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;
    double seconds = 0;
};

// Runs `program arguments...` in `workingDirectory` (empty: ours) with exactly
// `environment` and stdin closed, waiting at most `timeoutMs`; a run that
// takes longer is killed and reported as timedOut.
CtestdRun runProgram(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    const QString &workingDirectory, int timeoutMs);

// Runs `ctestd args...` with `extraEnvironment` added, waiting at most
// `timeoutMs`; a run that takes longer is killed and reported as timedOut.
// Cost records are off (CTESTD_COSTS=off) unless `extraEnvironment` says.
CtestdRun runCtestd(
    const QStringList &arguments, const QProcessEnvironment &extraEnvironment = {}, int timeoutMs = 120000);

// One test of a CTest tree as ctestd_discover_tests() registers it: the
// command `ctestd case --build-dir <tree> <caseArguments...>`.
struct CaseTest {
    QString name;
    QStringList caseArguments;
};
// caseArguments for a case of `executable`'s fixture group `group`.
QStringList caseArguments(
    const QString &executable, const QString &group, const QString &selector, const QStringList &more = {});

// Writes <directory>/CTestTestfile.cmake registering `tests` (with
// SKIP_RETURN_CODE 77, as the module does), so that a real ctest runs them
// through the tree's daemon. False (with a message to QFAIL) on failure.
bool writeCaseTree(const QString &directory, const QVector<CaseTest> &tests, QString *error);

// Runs the real ctest (the one that came with CMake) in `directory`.
CtestdRun runCtest(const QString &directory, const QStringList &arguments, const QProcessEnvironment &environment,
    int timeoutMs = 120000);

// Stops the daemon of a build tree (`ctestd serve`, which idles a while
// after its last ctest invocation), by the PID in its lock file.
void stopTreeDaemon(const QString &buildDirectory);

// Result lines of ctest's console format: display name -> the status field,
// trimmed ("Passed", "***Failed", "***Exception: SegFault", ...).
QMap<QString, QString> consoleStatuses(const QByteArray &out);
// How many result lines there are (to catch a case reported twice).
int resultLineCount(const QByteArray &out);
// How many "Start" lines name this case.
int startLineCount(const QByteArray &out, const QString &name);
// The "N% tests passed, F tests failed out of T" line, or empty.
QString summaryLine(const QByteArray &out);

struct JUnitCase {
    QString classname;
    QString name;
    QString file;
    int line = 0;
    QString outcome; // "passed", "failure", "error", "skipped"
    QString type; // of <failure>/<error>
    QString message;
    QString text; // body of <failure>/<error>
    QString systemOut;
    QString systemErr;
};
struct JUnitReport {
    bool valid = false;
    QString error;
    QMap<QString, QString> rootAttributes;
    QList<QMap<QString, QString>> suites; // attributes per <testsuite>
    QList<JUnitCase> cases; // in document order
    const JUnitCase *find(const QString &classname, const QString &name) const;
};
JUnitReport readJUnit(const QString &path);

// Lines "<Suite> <event> <pid>" of a CTESTD_FIXTURE_LOG file: (suite, event) -> pids.
QMap<QPair<QString, QString>, QStringList> readFixtureLog(const QString &path);

QString gtestProgram(const QString &name); // absolute path of a tests/gtest program

// A TCP port on 127.0.0.1 that was free a moment ago (for --listen), or 0.
quint16 freeLocalPort();

// The statuses of a run of gt_hang (--timeout 2) and gt_killworker in which
// every lost worker could be replaced.
QMap<QString, QString> hangAndKillWorkerStatuses();

// Whether a process lives (a zombie counts as dead).
bool processAlive(qint64 pid);

// For a program whose cases "first", "exits" and "last" run in one process
// and whose "exits" ends that process with `exitCode`, a code its framework
// uses for a normal end: runs ctestd on it (with `arguments` before the
// program) and checks that "exits" alone failed, with the worker's "test
// process exited with code N while running exits", in the console and in
// JUnit (classname `classname`), and that the others passed. Returns what
// differed, or an empty string.
QString exitBlameProblem(const QString &program, const QStringList &arguments, const QString &junitPath,
    const QString &classname, int exitCode);
