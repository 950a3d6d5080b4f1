// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>
#include <QHashFunctions>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace ctestd {

// How cases are packed into one process run (README, "Fixture groups").
enum class GroupBy { Case, Suite, Executable };

// The final status of one case. The names follow ctest's vocabulary; the
// reporters translate them into ctest's console words and JUnit elements.
enum class Status {
    Passed,
    Failed, // assertion failed, non-zero exit, or the framework said so
    Skipped, // the test skipped itself (GTEST_SKIP, QSKIP, ...)
    Disabled, // registered but disabled (DISABLED_ prefix); never run
    Timeout, // killed after exceeding its time limit
    Crashed, // the test process died from a signal, or its worker was lost
    NotRun, // could not be started or listed; counts as failed, like ctest
    Stopped, // never started: --stop-on-failure stopped the run first; not a failure
};

// CTest's rules for turning a test process' exit into a status (PASS_/FAIL_/
// SKIP_REGULAR_EXPRESSION, SKIP_RETURN_CODE, WILL_FAIL). Applied to plain
// tests; framework adapters report their cases' statuses themselves.
struct ResultRules {
    QStringList passRegex;
    QStringList failRegex;
    QStringList skipRegex;
    int skipReturnCode = -1; // -1: none
    bool willFail = false;
    bool isEmpty() const
    {
        return passRegex.isEmpty() && failRegex.isEmpty() && skipRegex.isEmpty() && skipReturnCode < 0 && !willFail;
    }
};

// One test case as the run knows it. Cases are numbered in registration order
// across all executables; that number is ctest's "#K".
// Which cases share one process: those started alike (the launch: the
// executable, framework, directory, arguments, environment and timeout) that
// their framework's grouping puts together (the name: a gtest suite, a Qt
// Test function's rows; empty for a whole-executable group). Computed by
// groupIntoUnits(); empty for a case that is not run.
struct GroupKey {
    QString launch;
    QString name; // as `ctestd list --json` prints it; "A+B" for a batch of groups

    bool isEmpty() const { return launch.isEmpty() && name.isEmpty(); }
    bool operator==(const GroupKey &other) const { return launch == other.launch && name == other.name; }
    bool operator!=(const GroupKey &other) const { return !(*this == other); }
};

inline uint qHash(const GroupKey &key, uint seed = 0)
{
    QtPrivate::QHashCombine combine;
    return combine(combine(seed, key.launch), key.name);
}

struct TestCase {
    int index = 0; // 1-based position in the run's full case list
    QString executable; // absolute path of the test executable
    QString suite; // framework-level suite ("Math", "Typed/0"); empty for plain tests
    QString name; // case name inside the suite ("Add", "Even/0")
    QString displayName; // the name ctest would show ("Math.Add", "Typed.Zero<int>")
    QString selector; // what selects exactly this case in the framework ("Typed/0.Zero")
    QString file; // where the case is defined, when the framework says
    int line = 0;
    bool disabled = false;
    GroupKey group; // cases with the same key share one process
    // What the listing told the adapter about groups one case alone cannot
    // show (Boost.Test's depends_on), for its groupKey(); private to it.
    QString groupHint;
    // The group key a registration names (ctestd_discover_tests' `--group`,
    // computed by `ctestd list` under the registration's GROUP_BY): used as
    // it is unless the command line asks for another grouping.
    std::optional<QString> registeredGroup;
    std::optional<GroupBy> groupBy; // as registered (ctestd_discover_tests GROUP_BY); else the framework's

    // How to run it. Cases of one unit share all of these.
    QString framework; // adapter name: "gtest", "plain"
    QStringList arguments; // extra arguments; for plain tests the whole command after the executable
    QString workingDirectory; // empty: ctestd's own
    QStringList environment; // "NAME=value" entries added to the environment
    double timeoutSeconds = -1; // < 0: the run's --timeout
    // What the process runs under (a registration's TEST_LAUNCHER and
    // CROSSCOMPILING_EMULATOR, `ctestd case --launcher`), after the run's --launcher.
    QStringList launcher;

    // CTest properties, for tests read from a CTest build tree.
    // A tree's test that runs as ctest runs it (its command, ctest's result
    // rules), not as a case of a framework: it keeps ctest's identity in
    // reports (JUnit classname = test name, ctest's <testsuite>).
    bool ctestTest = false;
    QStringList command; // a build tree's test: its command as ctest gives it (json-v1)
    // A test of a multi-config tree that has no command without -C (CMake
    // wrote add_test(name NOT_AVAILABLE)): ctest says it is not available.
    bool needsConfiguration = false;
    ResultRules rules; // how a plain test's exit becomes a status
    QStringList labels;
    QStringList requiredFiles;
    QVector<int> dependsOn; // indices (not #K) of cases that must finish first
    QStringList fixturesSetup, fixturesCleanup, fixturesRequired;
    QStringList resourceLocks;
    bool runSerial = false;
    int processors = 1;
    double cost = 0; // COST property; CTestCostData.txt may override it
    bool failedLastTime = false; // listed as failed in CTestCostData.txt: runs first
};

// What happened to one case. Filled from the worker's streamed events.
struct CaseResult {
    Status status = Status::NotRun;
    double seconds = 0.0; // wall time of the case as the framework or worker measured it
    QString message; // failure text, or the reason for Crashed/Timeout/NotRun
    QString reason; // what ctest prints after "***Failed  " (a regex verdict), usually empty
    // What ctest prints about the test just before its result line, on stdout
    // ("Failed test dependencies: setup") and on stderr ("Unable to find
    // executable: x"). When both are empty, a Not Run test's message goes to stderr.
    QByteArray noticeOut;
    QByteArray noticeErr;
    QString file; // location of the first failure, when known
    int line = 0;
    int signal = 0; // for Crashed: the signal number, 0 when unknown (e.g. worker lost)
    std::optional<int> exitCode; // a plain test's, when its process exited
    QByteArray stdOut; // the case's share of the process' stdout (capped)
    QByteArray stdErr; // the case's share of the process' stderr (capped)
};

// ctest's wording for a result, as printed on the result line after the dots
// ("   Passed  ", "***Failed  ", "Subprocess aborted***Exception: ") and in the
// "The following tests FAILED:" list ("Failed", "SEGFAULT", "Subprocess aborted").
struct CTestWords {
    QString resultField; // text between the dots and the "%6.2f sec" field
    QString listStatus; // text in parentheses in the summary lists
};
CTestWords ctestWords(const CaseResult &result);

// ctest's word for a crash: "SegFault", "Illegal", "Interrupt", "Numerical"
// (after "***Exception: "), or ctestSignalText() for any other signal.
QString ctestCrashText(int signal);

// ctest's name for a signal that it does not treat specially
// ("Subprocess aborted" for SIGABRT, "Bus error" for SIGBUS, ...).
QString ctestSignalText(int signal);

// ctest's getNumWidth(): the number of decimal digits of n, at least one
// (its console and -N columns are this wide).
int ctestNumberWidth(int n);

// True if the status counts as a failure for the exit code and the summary.
constexpr bool isFailure(Status s)
{
    return s == Status::Failed || s == Status::Timeout || s == Status::Crashed || s == Status::NotRun;
}

QString statusName(Status s); // "passed", "failed", ... (protocol and logs)
bool statusFromName(const QString &name, Status *out);

} // namespace ctestd
