// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "core/defaults.h"
#include "core/runlistener.h"
#include "core/testmodel.h"
#include "ctest/selection.h"
#include "grouping.h"
#include "protocol/messages.h"
#include "runoptions.h"
#include "scheduler.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>

class QIODevice;
class QTimer;

namespace ctestd {

class WorkerPool;
struct LoadedCases;

// One `ctestd run`: takes the cases a CaseLoader found (listed or read from a
// build tree), groups them into units, hands units to workers as they become
// free, turns the workers' events into case results,
// and replays them into its listeners (the outputs). It owns the policy
// for everything that goes wrong: a crashed or timed-out case is blamed and
// the rest of its unit runs again in a fresh process; a lost worker is
// replaced while the restart budget lasts; a case that never reported is an
// error, never a pass.
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
    // A unit handed to a worker, and what has come back for it.
    struct Dispatch {
        qint64 id = 0;
        Unit unit;
        QHash<QString, int> caseOfSelector;
        QString running; // selector between CaseStarted and CaseFinished
        bool abnormal = false; // a case was blamed for a crash, timeout or bad exit
        QTimer *watchdog = nullptr;
    };

    void casesLoaded(const ctestd::LoadedCases &loaded);
    void casesReady(const QVector<CaseResult> &preset, const QVector<bool> &isPreset);
    void addFixtureOrder();
    bool repeatCase(int index, const CaseResult &result);
    void stopDispatching();
    void dropCase(int index);
    // --stop-on-failure: never started (or unconfirmed), reported as such.
    void stopCase(int index, const QString &message = QString());
    QVector<int> takeRepeats(const Unit &unit);
    bool checkFixtures(int index);
    void dispatch(int worker);
    void dispatchIdleWorkers();
    void handleMessage(int worker, const protocol::Message &message);
    bool handleCaseMessage(Dispatch &dispatch, const protocol::Message &message, QString *error);
    void unitFinished(int worker, const protocol::UnitFinished &finished);
    void workerLost(int worker, const QString &reason);
    void requeue(const Unit &unit, const QVector<int> &cases, bool confirming = false);
    double timeoutFor(const TestCase &testCase) const;
    void finishCase(int index, const CaseResult &result);
    void markStarted(int index);
    void failRemaining(const QString &reason);
    void maybeFinish();
    void finishRun();

    RunOptions m_options;
    QIODevice *m_out;
    QIODevice *m_err;
    RunListeners m_listeners;
    QByteArray m_nameRegexMessages; // ctest's words for a bad -R/-E, after "Test project"

    WorkerPool *m_pool = nullptr;
    QElapsedTimer m_clock;
    QString m_projectDirectory; // "Test project <dir>"; the build tree in tree mode
    QString m_junitSuiteName; // tree mode: ctest's <testsuite> name for plain tests
    bool m_treeMode = false;
    double m_defaultTimeout = defaults::CaseTimeoutSeconds;

    QVector<TestCase> m_cases;
    QVector<CaseResult> m_results;
    QVector<bool> m_done;
    QVector<bool> m_started;
    QVector<qint64> m_startedAtMs; // on m_clock, for cases whose worker dies
    QVector<int> m_attempts; // runs so far, for --repeat
    QVector<bool> m_dispatched; // sent to a worker at least once
    QSet<int> m_repeatPending; // finished an attempt; runs again when its unit is done
    QVector<bool> m_dropped; // never started because of --stop-on-failure: not reported, as in ctest
    bool m_stopping = false;
    bool m_abandoned = false; // see abandon()
    QString m_stopCause; // the first failed case under --stop-on-failure
    int m_interruptSignal = 0;
    int m_remaining = 0;

    QHash<QString, QVector<int>> m_fixtureSetups; // fixture -> its setup cases in this run
    Scheduler m_scheduler;
    QHash<int, Dispatch> m_busy; // by worker
    QVector<int> m_idle;
    qint64 m_nextDispatch = 1;
    bool m_finishing = false;
};

} // namespace ctestd
