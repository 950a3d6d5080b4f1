// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "testmodel.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QVector>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace ctestd {

// A sharded run's place in the whole (--shard I/N). Every shard of one
// suite must have split the same cases with the same costs; `digest`
// fingerprints what the split was made from (the full case list, its
// groups, costs and dependencies), so that merging the shards' reports can
// refuse shards that disagree instead of silently losing a test.
struct ShardStamp {
    int index = 0; // 0-based
    int count = 1;
    QString digest; // hex SHA-256
    int allCases = 0; // cases of the whole run, across all shards
};

// What a run knows when it starts reporting: every case it will report on.
struct RunStart {
    QString projectDirectory; // "Test project <dir>"; the build tree for a build tree
    bool buildTree = false; // cases read from a CTest build tree, not listed from executables
    QString junitSuiteName; // a build tree's <testsuite> name for its plain tests; empty: none
    QByteArray preamble; // ctest's words right after "Test project" (a bad -R or -E)
    double defaultTimeout = 0; // a case's limit when it names none; 0: none (ctest -V prints it)
    std::optional<ShardStamp> shard;
    QDateTime started; // UTC
    QVector<TestCase> cases;
};

// One case at the end of a run.
struct CaseOutcome {
    TestCase testCase;
    CaseResult result;
    bool dispatched = false; // ran in a test process at least once
    // Not part of the run after all (`ctestd serve` runs part of a group):
    // in no report.
    bool leftOut = false;
};

// One test process of the run (a unit on a worker): how long it took, as
// the daemon saw it from dispatch to its end, and the cases it reported.
// Its time beyond the cases' own is the fixture's: the process start,
// set-up before the first case, tear-down after the last.
struct ProcessRecord {
    QString executable;
    QString group; // the fixture group's name; empty for a whole executable
    QVector<int> cases; // positions in RunEnd::cases of the cases it reported
    double seconds = 0;
    double caseSeconds = 0; // the sum of those cases' own times
    // --archive: the process's $CTESTD_ARTIFACT_DIR, and the file with its
    // whole output when that is more than its cases kept, while the run lasts.
    QString artifactDirectory;
    QString outputLog;
    // In a bundle's record: the folder in the bundle that keeps what the
    // process left there (empty: it left nothing), and the file that keeps
    // its whole output (empty: its cases' output is all of it).
    QString artifacts;
    QString output;
    double fixtureSeconds() const { return seconds > caseSeconds ? seconds - caseSeconds : 0.0; }
};

struct RunEnd {
    QVector<CaseOutcome> cases; // in the order of RunStart::cases
    QVector<ProcessRecord> processes; // in the order they ended
    int interruptSignal = 0; // SIGINT/SIGTERM stopped the run (it exits 128 + this)
    double wallSeconds = 0;
    // When the reports were written, as this machine's local time: JUnit's
    // timestamp. A replayed run carries the original's.
    QDateTime finished;

    // The cases the reports show (all but the left-out ones), and their results.
    QVector<TestCase> reportedCases() const;
    QVector<CaseResult> reportedResults() const;
    int reportedCount() const;
};

// ctest's exit code for a run's results: 8 when a case failed or did not
// run, else 0.
int ctestExitCode(const QVector<CaseResult> &results);

// What a run tells its outputs (the console, JUnit, a build tree's CTest
// files, the daemon's answers to its clients), in this order: runStarted,
// then per case caseStarted, attemptFinished for each run in a test process
// and caseFinished once, then runFinished. Every event has an empty default,
// so an output implements only what it writes (Catch2's
// StreamingReporterBase does the same).
class RunListener {
public:
    virtual ~RunListener() = default;

    // Before anything runs: an output that cannot be written (a JUnit file in
    // a folder that cannot be made) says why, and the run stops there
    // instead of running everything for a report that cannot be kept.
    virtual bool ready(const RunStart &run, QString *error)
    {
        Q_UNUSED(run)
        Q_UNUSED(error)
        return true;
    }
    virtual void runStarted(const RunStart &run) { Q_UNUSED(run) }
    virtual void caseStarted(const TestCase &testCase) { Q_UNUSED(testCase) }
    // A run of the case in a test process ended. `again`: --repeat runs it
    // once more, so this is not its result yet.
    virtual void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again)
    {
        Q_UNUSED(testCase)
        Q_UNUSED(result)
        Q_UNUSED(again)
    }
    // The case's final result, whether it ran or not (disabled, fixture
    // setup failed, stopped).
    virtual void caseFinished(const TestCase &testCase, const CaseResult &result)
    {
        Q_UNUSED(testCase)
        Q_UNUSED(result)
    }
    // Returns the run's exit code, given the one the run has so far: an
    // output that could not be written turns a success into 1.
    virtual int runFinished(const RunEnd &end, int exitCode)
    {
        Q_UNUSED(end)
        return exitCode;
    }
};

// Hands every event to each of its listeners in the order they were added
// (Catch2's MultiReporter), so a new output is one class and one add().
class RunListeners final : public RunListener {
public:
    void add(std::unique_ptr<RunListener> listener)
    {
        m_listeners.insert(m_listeners.end() - m_lastCount, std::move(listener));
    }
    // After every other, even those added later: the result bundle holds
    // the files the other outputs write.
    void addLast(std::unique_ptr<RunListener> listener)
    {
        m_listeners.push_back(std::move(listener));
        ++m_lastCount;
    }
    // Before every other: ctest writes a build tree's files before its summary.
    void addFirst(std::unique_ptr<RunListener> listener)
    {
        m_listeners.insert(m_listeners.begin(), std::move(listener));
    }

    bool ready(const RunStart &run, QString *error) override; // the first that is not
    void runStarted(const RunStart &run) override;
    void caseStarted(const TestCase &testCase) override;
    void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again) override;
    void caseFinished(const TestCase &testCase, const CaseResult &result) override;
    int runFinished(const RunEnd &end, int exitCode) override;

private:
    std::vector<std::unique_ptr<RunListener>> m_listeners;
    std::ptrdiff_t m_lastCount = 0; // the addLast() ones, at the end
};

} // namespace ctestd
