// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "casebook.h"
#include "costrecords.h"
#include "ctest/fixtures.h"
#include "grouping.h"
#include "model/defaults.h"
#include "model/runlistener.h"
#include "protocol/messages.h"
#include "runoptions.h"
#include "scheduler.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QTimer>

#include <limits>
#include <map>
#include <memory>

class QIODevice;
class QTimer;

namespace ctestd {

class UnitRun;
class WorkerPool;
struct LoadedCases;

// One `ctestd run` (and each of `ctestd serve`'s group runs): takes the cases
// a CaseLoader found, groups them into units and hands the units to workers
// as they become free, as CMake's cmCTestMultiProcessHandler does. What a
// worker says about its unit is UnitRun's business, a case's state is
// CaseBook's, and the outputs are the run's listeners. It owns the policy for
// what goes wrong around the workers: a unit whose process stopped early
// runs its other cases again in a fresh process; a lost worker is replaced
// while the restart budget lasts; a case that never reported is an error,
// never a pass.
class RunController : public QObject {
    Q_OBJECT
public:
    // `out` takes what a build tree's loading prints (the change of directory,
    // -N); it may be null for executables. `err` takes warnings.
    RunController(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent = nullptr);
    ~RunController() override;

    // An output of the run: the console, a JUnit file, ... For a build tree
    // the run adds the tree's CTest files itself.
    void addListener(std::unique_ptr<RunListener> listener) { m_listeners.add(std::move(listener)); }
    // An output that comes after every other, the tree's files included.
    void addLastListener(std::unique_ptr<RunListener> listener) { m_listeners.addLast(std::move(listener)); }
    void start();
    // SIGINT/SIGTERM: start nothing new, stop the running cases, report what
    // ran and what did not (JUnit too), exit 128 + the signal. A second
    // signal exits at once.
    void interrupt(int signalNumber);
    // The same without a word on stderr: the daemon drops a group run that
    // nobody waits for any more (its ctest invocation ended).
    void abandon();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void casesLoaded(const ctestd::LoadedCases &loaded);
    QVector<Unit> unitsToRun();
    void startWorkers(const QVector<Unit> &units);
    void stopDispatching();
    bool checkFixtures(int index);
    void dispatch(int worker);
    void dispatchIdleWorkers();
    // --test-load: whether a new unit may start now (see ctest::loadAllowsStart).
    bool loadPermitsStart(int worker);
    void handleMessage(int worker, const protocol::Message &message);
    void unitEnded(int worker);
    void workerLost(int worker, const QString &reason, bool blameless);
    void workerSetupFailed(int worker, const QString &reason);
    void requeue(const Unit &unit, const QVector<int> &cases, bool confirming = false);
    double timeoutFor(const TestCase &testCase) const;
    void failRemaining(const QString &reason);
    bool ctestSerialOrder() const;
    // Settles the results known before the run (a missing executable, a
    // disabled test) of the cases before position `before`, all by default.
    void settleKnownResults(int before = std::numeric_limits<int>::max());
    void maybeFinish();
    void finishRun();

    RunOptions m_options;
    QIODevice *m_out;
    QIODevice *m_err;
    RunListeners m_listeners;
    CaseBook m_cases;

    WorkerPool *m_pool = nullptr;
    // Some worker ran (part of) a unit: it sent anything but a refusal,
    // or died while it ran one.
    bool m_workerRanSomething = false;
    QString m_lastLoss; // why the last worker was lost
    bool m_teardownFailed = false; // a worker's --worker-teardown failed: the exit code says so
    QHash<QString, QString> m_builds; // executable -> buildIdentity(), for remote workers
    bool m_treeMode = false;
    double m_defaultTimeout = defaults::CaseTimeoutSeconds;
    bool m_abandoned = false; // see abandon()
    int m_interruptSignal = 0;
    QDateTime m_startedUtc;
    std::optional<ShardStamp> m_shardStamp; // --shard: this shard's place in the whole

    ctest::FixtureSetups m_fixtureSetups;
    // Results known before the run, by case position. A build tree's serial
    // run reports each at its turn, where ctest -j1 does; others at once.
    QMap<int, CaseResult> m_known;
    QVector<ProcessRecord> m_processes; // every unit that ran, for --durations
    QTimer m_loadRetry; // --test-load: when to look at the load again
    Scheduler m_scheduler;
    CostLedger m_costs {costRecordsDirectory()};
    struct Busy {
        std::unique_ptr<UnitRun> run;
        // The worker enforces the case timeout itself; this catches a
        // worker that stopped talking altogether.
        std::unique_ptr<QTimer> watchdog;
        QElapsedTimer clock; // since dispatch: the process's time for --durations
    };
    void recordProcess(const Busy &ended);
    void learnCosts(const UnitRun &run);
    std::map<int, Busy> m_busy; // by worker
    QVector<int> m_idle;
    qint64 m_nextDispatch = 1;
    bool m_finishing = false;
};

} // namespace ctestd
