// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "core/testmodel.h"
#include "grouping.h"
#include "protocol/messages.h"
#include "reporters/consolereporter.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <memory>

class QIODevice;
class QTimer;

namespace ctestd {

class Discovery;
class FrameworkAdapter;
class WorkerPool;
struct DiscoveredExecutable;

struct RunOptions {
    QStringList executables;
    QString framework = QStringLiteral("gtest");
    int jobs = 0; // 0: one worker per CPU
    double timeoutSeconds = 1500; // per case, ctest's default with include(CTest)
    double discoveryTimeoutSeconds = 60; // per executable, for listing its cases
    bool groupBySet = false;
    GroupBy groupBy = GroupBy::Suite;
    QString listen; // HOST:PORT for TCP workers; empty: private local socket
    int maxWorkerRestarts = -1; // -1: 4 x workers
    QString junitPath;
    ConsoleOptions console;
    QString workerProgram; // the ctestd executable that runs `worker`
};

// One `ctestd run`: lists the cases, groups them into units, hands units to
// workers as they become free, turns the workers' events into case results,
// and replays them into the console and JUnit reporters. It owns the policy
// for everything that goes wrong: a crashed or timed-out case is blamed and
// the rest of its unit runs again in a fresh process; a lost worker is
// replaced while the restart budget lasts; a case that never reported is an
// error, never a pass.
class RunController : public QObject {
    Q_OBJECT
public:
    RunController(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent = nullptr);
    ~RunController() override;

    void start();

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

    void discovered(const QVector<DiscoveredExecutable> &results);
    void dispatch(int worker);
    void dispatchIdleWorkers();
    void handleMessage(int worker, const protocol::Message &message);
    bool handleCaseMessage(Dispatch &dispatch, const protocol::Message &message, QString *error);
    void unitFinished(int worker, const protocol::UnitFinished &finished);
    void workerLost(int worker, const QString &reason);
    void requeue(const Unit &unit, const QVector<int> &cases);
    void finishCase(int index, const CaseResult &result);
    void markStarted(int index);
    void failRemaining(const QString &reason);
    void maybeFinish();
    void finishRun();

    RunOptions m_options;
    QIODevice *m_err;
    std::unique_ptr<FrameworkAdapter> m_adapter;
    ConsoleReporter m_console;
    Discovery *m_discovery = nullptr;
    WorkerPool *m_pool = nullptr;
    QElapsedTimer m_clock;

    QVector<TestCase> m_cases;
    QVector<CaseResult> m_results;
    QVector<bool> m_done;
    QVector<bool> m_started;
    QVector<qint64> m_startedAtMs; // on m_clock, for cases whose worker dies
    int m_remaining = 0;

    QVector<Unit> m_queue; // front is next
    QHash<int, Dispatch> m_busy; // by worker
    QVector<int> m_idle;
    qint64 m_nextDispatch = 1;
    bool m_finishing = false;
};

} // namespace ctestd
