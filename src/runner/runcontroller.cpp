// SPDX-License-Identifier: BSD-3-Clause
#include "runcontroller.h"

#include "caseloader.h"
#include "ctest/ctestfiles.h"
#include "ctest/testload.h"
#include "model/buildidentity.h"
#include "model/logging.h"
#include "reporters/testxml.h"
#include "splitting.h"
#include "unitrun.h"
#include "workerpool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <csignal>

namespace ctestd {

namespace {
// How long past the case timeout a silent worker is given before it is killed.
constexpr int WatchdogSlackSeconds = 30;
} // namespace

RunController::RunController(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(out)
    , m_err(err)
    , m_cases(m_listeners, options.repeat)
{
    if (m_options.jobs <= 0)
        m_options.jobs = qMax(1, QThread::idealThreadCount());
    m_scheduler.setJobs(m_options.jobs);
    m_treeMode = !m_options.testDirectory.isEmpty();
    if (m_options.stopOnFailure)
        m_cases.setStopOnFailure([this] { stopDispatching(); });
    m_loadRetry.setSingleShot(true);
    m_loadRetry.setInterval(1000);
    connect(&m_loadRetry, &QTimer::timeout, this, &RunController::dispatchIdleWorkers);
}

RunController::~RunController() = default;

void RunController::start()
{
    m_startedUtc = QDateTime::currentDateTimeUtc();
    m_cases.startClock();
    auto *loader = new CaseLoader(m_options, m_out, m_err, this);
    connect(loader, &CaseLoader::loaded, this, &RunController::casesLoaded);
    connect(loader, &CaseLoader::stopped, this, &RunController::finished);
    loader->start();
}

void RunController::interrupt(int signalNumber)
{
    if (m_interruptSignal != 0 || m_cases.cases().isEmpty()) {
        // A second signal, or nothing to report yet: quit now; the worker
        // pool kills its workers as it goes.
        m_interruptSignal = signalNumber;
        return Q_EMIT finished(128 + signalNumber);
    }
    m_interruptSignal = signalNumber;
    if (!m_abandoned) {
        m_err->write(QStringLiteral("ctestd: interrupted by signal %1; stopping the running tests (once more to "
                                    "quit at once)\n")
                         .arg(signalNumber)
                         .toUtf8());
    }
    failRemaining(QStringLiteral("ctestd: interrupted before the case ran"));
    // Shutdown makes a worker kill its test's whole process group, which a
    // killed worker cannot do; one that does not stop in time is killed.
    for (const auto &busy : m_busy) {
        const int worker = busy.first;
        m_pool->send(worker, {protocol::MessageType::Shutdown, {}});
        QTimer::singleShot(
            m_pool->shutdownGraceMs(), this, [this, worker] { m_pool->kill(worker, QStringLiteral("interrupted")); });
    }
    maybeFinish();
}

void RunController::abandon()
{
    m_abandoned = true;
    if (m_interruptSignal == 0)
        interrupt(SIGTERM);
}

namespace {
// The run keeps only `keep`'s cases: another shard runs the rest. DEPENDS
// never cross shards (casesInShard()), so the indices map one to one.
LoadedCases keepOnly(const LoadedCases &loaded, const QVector<bool> &keep)
{
    LoadedCases kept = loaded;
    kept.cases.clear();
    kept.preset.clear();
    kept.isPreset.clear();
    QVector<int> newIndex(loaded.cases.size(), -1);
    for (int i = 0; i < loaded.cases.size(); ++i) {
        if (!keep.value(i))
            continue;
        newIndex[i] = int(kept.cases.size());
        kept.cases.append(loaded.cases[i]);
        kept.preset.append(loaded.preset.value(i));
        kept.isPreset.append(loaded.isPreset.value(i));
    }
    for (TestCase &testCase : kept.cases) {
        QVector<int> dependsOn;
        for (int old : qAsConst(testCase.dependsOn)) {
            if (newIndex.value(old, -1) >= 0)
                dependsOn.append(newIndex[old]);
        }
        testCase.dependsOn = dependsOn;
    }
    return kept;
}
} // namespace

void RunController::casesLoaded(const LoadedCases &allLoaded)
{
    LoadedCases loaded = allLoaded;
    if (m_options.shard && !m_options.shard->isWhole()) {
        // Whole fixture groups, as this run would form them before packing.
        std::optional<GroupBy> groupBy;
        if (m_options.groupBySet)
            groupBy = m_options.groupBy;
        QVector<bool> settled(loaded.cases.size(), false);
        for (int i = 0; i < loaded.cases.size(); ++i)
            settled[i] = loaded.isPreset.value(i) || loaded.cases[i].disabled;
        const QVector<Unit> units = groupIntoUnits(loaded.cases, settled, groupBy);
        m_shardStamp = ShardStamp {
            m_options.shard->index, m_options.shard->count, shardDigest(loaded.cases, units), int(loaded.cases.size())};
        loaded = keepOnly(loaded, casesInShard(loaded.cases, units, *m_options.shard));
    }
    m_defaultTimeout = loaded.defaultTimeout;
    if (m_options.testLoad < 0)
        m_options.testLoad = loaded.testLoad;
    QVector<TestCase> cases = loaded.cases;
    if (m_treeMode) {
        const QString tag = loaded.dashboard ? loaded.dashboard->tag : QString();
        auto files = std::make_unique<ctest::CTestFiles>(loaded.projectDirectory, m_options.jobs > 1, m_err, tag);
        files->load(cases);
        m_listeners.addFirst(std::move(files));
        if (loaded.dashboard) {
            const ctest::Dashboard &dashboard = *loaded.dashboard;
            TestXmlSite site;
            site.buildTree = dashboard.buildTree;
            site.path = dashboard.testXmlPath();
            site.name = dashboard.site.isEmpty() ? QStringLiteral("(empty)") : dashboard.site;
            site.buildName = dashboard.buildName;
            site.buildStamp = dashboard.tag + QLatin1Char('-') + dashboard.model;
            site.limits = m_options.outputLimits;
            m_listeners.add(std::make_unique<TestXmlReporter>(site, m_options.compressOutput, m_err));
        }
    }
    m_fixtureSetups = ctest::addFixtureOrder(cases);
    m_cases.setCases(cases);

    RunStart start;
    start.projectDirectory = loaded.projectDirectory;
    start.buildTree = m_treeMode;
    start.junitSuiteName = loaded.junitSuiteName;
    start.preamble = loaded.nameRegexMessages;
    start.defaultTimeout = m_defaultTimeout;
    start.shard = m_shardStamp;
    start.started = m_startedUtc;
    start.cases = cases;
    QString error;
    if (!m_listeners.ready(start, &error)) {
        m_err->write(QStringLiteral("ctestd: %1\n").arg(error).toUtf8());
        return Q_EMIT finished(1);
    }
    m_listeners.runStarted(start);
    for (int i = 0; i < cases.size(); ++i) {
        if (loaded.isPreset.value(i)) {
            m_known.insert(i, loaded.preset[i]);
        } else if (cases[i].disabled) {
            CaseResult disabled;
            disabled.status = Status::Disabled;
            m_known.insert(i, disabled);
        }
    }
    if (!ctestSerialOrder())
        settleKnownResults();
    const QVector<Unit> units = unitsToRun();
    m_scheduler.enqueue(units);
    if (units.isEmpty()) {
        settleKnownResults();
        return maybeFinish();
    }
    startWorkers(units);
}

QVector<Unit> RunController::unitsToRun()
{
    std::optional<GroupBy> groupBy;
    if (m_options.groupBySet)
        groupBy = m_options.groupBy;
    // What is settled, or known and settled at its turn, runs nowhere.
    QVector<bool> settled = m_cases.doneFlags();
    for (auto it = m_known.cbegin(); it != m_known.cend(); ++it)
        settled[it.key()] = true;
    QVector<Unit> units = groupIntoUnits(m_cases.cases(), settled, groupBy);
    if (!m_options.onlyGroup.isEmpty() || !m_options.onlySelectors.isEmpty()) {
        // One fixture group (the whole executable when its key is empty),
        // and of it what the ctest invocation selected: the rest is not part
        // of this run at all.
        QVector<Unit> kept;
        for (Unit unit : qAsConst(units)) {
            const bool inGroup = m_options.onlyGroup.isEmpty() || unit.group.name == m_options.onlyGroup;
            QVector<int> selected;
            for (int index : qAsConst(unit.cases)) {
                if (inGroup
                    && (m_options.onlySelectors.isEmpty()
                        || m_options.onlySelectors.contains(m_cases.testCase(index).selector)))
                    selected.append(index);
                else
                    m_cases.leaveOut(index);
            }
            unit.cases = selected;
            if (!unit.cases.isEmpty())
                kept.append(unit);
        }
        units = kept;
    } else {
        // Planned from earlier runs' times where there are any: batches of
        // about equal time, groups split where that is faster. -j1 and a
        // random order have no use for either.
        const bool plan = m_options.jobs > 1 && !m_options.scheduleRandom && !ctestSerialOrder();
        const QVector<CaseEstimate> estimates = plan ? m_costs.estimates(m_cases.cases()) : QVector<CaseEstimate>();
        if (plan && hasEstimates(units, estimates))
            units = packByCost(units, estimates, m_options.jobs);
        else
            units = packUnits(units, m_options.jobs);
        if (plan)
            units = splitUnits(units, m_cases.cases(), estimates, m_options.jobs);
    }
    if (m_options.scheduleRandom)
        std::shuffle(units.begin(), units.end(), *QRandomGenerator::global());
    else if (ctestSerialOrder())
        sortUnitsSerially(units); // #K order, whatever the costs
    else
        sortUnits(units);
    return units;
}

void RunController::startWorkers(const QVector<Unit> &units)
{
    const int workers = qMin(m_options.jobs, int(units.size()));
    const int restarts = m_options.maxWorkerRestarts; // per host; -1: 4 x its workers
    LauncherSettings launchers;
    launchers.workerProgram = m_options.workerProgram;
    launchers.sshCommand = m_options.sshCommand;
    launchers.workerCommand = m_options.workerCommand;
    m_pool = new WorkerPool(launchers, restarts, this);
    m_pool->setReserve(m_options.workerReserve);
    if (m_options.workerIds)
        m_pool->setWorkerIds(m_options.workerIds);
    m_pool->setWorkerSetup(m_options.worker);
    m_pool->setAdvertisedAddress(m_options.advertise);
    m_pool->setHeartbeatTimeout(m_options.heartbeatTimeoutSeconds);
    QString error;
    if (!m_pool->listen(m_options.listen, &error)) {
        failRemaining(error);
        return maybeFinish();
    }
    qCDebug(lcDaemon).noquote() << units.size() << "units," << workers << "workers on" << m_pool->address();
    connect(m_pool, &WorkerPool::workerReady, this, &RunController::dispatch);
    connect(m_pool, &WorkerPool::workerMessage, this, &RunController::handleMessage);
    connect(m_pool, &WorkerPool::workerLost, this, &RunController::workerLost);
    connect(m_pool, &WorkerPool::workerSetupFailed, this, &RunController::workerSetupFailed);
    connect(m_pool, &WorkerPool::teardownFailed, this, [this](int, const QString &reason) {
        m_err->write(QStringLiteral("ctestd: warning: %1\n").arg(reason).toUtf8());
        m_teardownFailed = true;
    });
    WorkerSource local;
    local.count = workers;
    m_pool->launch(
        m_options.workerSources.isEmpty() ? QVector<WorkerSource> {local} : m_options.workerSources, workers);
}

bool RunController::checkFixtures(int index)
{
    // ctest does not start a test whose fixture setup failed.
    const QStringList failed = ctest::failedFixtureSetups(m_cases.cases(), m_fixtureSetups, index,
        [this](int setup) { return m_cases.isDone(setup) && isFailure(m_cases.state(setup).result.status); });
    if (failed.isEmpty())
        return true;
    m_cases.markStarted(index);
    CaseResult result;
    result.status = Status::NotRun;
    result.message = QStringLiteral("Fixture dependency failed");
    result.noticeOut = QStringLiteral("Failed test dependencies: %1\n").arg(failed.join(QLatin1Char(' '))).toUtf8();
    m_cases.finish(index, result);
    return false;
}

double RunController::timeoutFor(const TestCase &testCase) const
{
    // ctest: the TIMEOUT property wins over --timeout.
    return testCase.timeoutSeconds >= 0 ? testCase.timeoutSeconds : m_defaultTimeout;
}

void RunController::dispatch(int worker)
{
    if (m_finishing || m_busy.count(worker))
        return;
    if (!loadPermitsStart(worker))
        return;
    std::optional<Unit> unit;
    while (!unit && !m_cases.stopping() && m_interruptSignal == 0) {
        unit = m_scheduler.takeReady([this](int index) { return m_cases.isDone(index); });
        if (!unit) {
            if (m_known.isEmpty())
                break;
            // Nothing may start before the next known result is settled
            // (it may be what the queue waits for): settle it, look again.
            settleKnownResults(m_known.firstKey() + 1);
            continue;
        }
        settleKnownResults(unit->cases.constFirst());
        // Cases whose fixture setup failed are settled without running.
        QVector<int> runnable;
        for (int index : qAsConst(unit->cases)) {
            if (!m_cases.isDone(index) && checkFixtures(index))
                runnable.append(index);
        }
        unit->cases = runnable;
        if (unit->cases.isEmpty())
            unit.reset();
    }
    if (!unit) {
        if (!m_idle.contains(worker))
            m_idle.append(worker);
        if (m_scheduler.hasQueued() && m_busy.empty() && m_scheduler.runningCount() == 0)
            failRemaining(QStringLiteral("ctestd: the test's dependencies can never be met"));
        return maybeFinish();
    }
    m_idle.removeAll(worker);

    Busy busy;
    busy.run = std::make_unique<UnitRun>(m_nextDispatch++, *unit, m_cases);
    protocol::RunUnit run = busy.run->request(m_options, timeoutFor(m_cases.testCase(unit->cases.constFirst())));
    if (m_pool->isRemote(worker)) {
        // The build it must find there (once per executable per run).
        auto known = m_builds.find(run.executable);
        if (known == m_builds.end()) {
            QString ignored; // unreadable here: nothing to compare with
            known = m_builds.insert(run.executable, buildIdentity(run.executable, &ignored));
        }
        run.build = *known;
    }
    if (run.timeoutSeconds > 0) {
        busy.watchdog = std::make_unique<QTimer>();
        busy.watchdog->setSingleShot(true);
        busy.watchdog->setInterval(int(qMin(run.timeoutSeconds + WatchdogSlackSeconds, 2.0e6) * 1000));
        connect(busy.watchdog.get(), &QTimer::timeout, this, [this, worker] {
            m_pool->kill(worker, QStringLiteral("worker sent nothing for longer than the case timeout"));
        });
        busy.watchdog->start();
    }
    m_scheduler.started(run.unit, *unit);
    busy.clock.start();
    m_busy.emplace(worker, std::move(busy));
    m_pool->send(worker, {protocol::MessageType::RunUnit, run.toCbor()});
}

bool RunController::loadPermitsStart(int worker)
{
    if (m_options.testLoad <= 0 || m_busy.empty() || !m_scheduler.hasQueued())
        return true;
    const double load = ctest::systemLoadAverage();
    if (ctest::loadAllowsStart(m_options.testLoad, load, true, 1))
        return true;
    // Held back, as ctest holds it (silently, as ctest 3.25 does while a
    // test runs): look again in a second, or when a unit ends.
    if (!m_idle.contains(worker))
        m_idle.append(worker);
    if (!m_loadRetry.isActive())
        m_loadRetry.start();
    return false;
}

void RunController::dispatchIdleWorkers()
{
    const QVector<int> idle = m_idle;
    for (int worker : idle)
        dispatch(worker);
}

void RunController::handleMessage(int worker, const protocol::Message &message)
{
    const auto found = m_busy.find(worker);
    if (found == m_busy.end()) {
        m_pool->kill(worker,
            QStringLiteral("protocol error: %1 while no unit was dispatched")
                .arg(protocol::messageTypeName(message.type)));
        return;
    }
    if (found->second.watchdog)
        found->second.watchdog->start();
    if (const auto *finished = std::get_if<protocol::UnitFinished>(&message.fields);
        finished && !finished->refused.isEmpty() && finished->unit == found->second.run->id()) {
        // Another build, or none, on that host: none of its workers runs
        // anything more, and the unit runs elsewhere.
        return m_pool->refuseHost(worker, finished->refused);
    }
    m_workerRanSomething = true;
    QString error;
    switch (found->second.run->handle(message, &error)) {
    case UnitRun::Handled::Ongoing:
        return;
    case UnitRun::Handled::UnitDone:
        return unitEnded(worker);
    case UnitRun::Handled::Violation:
        // Any malformed or unexpected message: the worker is treated as crashed.
        m_pool->kill(worker, QStringLiteral("protocol error: %1").arg(error));
        return;
    }
}

void RunController::unitEnded(int worker)
{
    const Busy ended = std::move(m_busy.at(worker));
    m_busy.erase(worker);
    m_scheduler.finished(ended.run->id());
    recordProcess(ended);
    learnCosts(*ended.run);
    for (const Retry &retry : ended.run->takeRetries())
        requeue(ended.run->unit(), retry.cases, retry.confirming);
    dispatchIdleWorkers();
    dispatch(worker);
}

void RunController::workerLost(int worker, const QString &reason, bool blameless)
{
    // A crash shows in its case's result; a host that went silent shows
    // nowhere else.
    if (blameless)
        m_err->write(QStringLiteral("ctestd: %1 - its cases run again elsewhere\n").arg(reason).toUtf8());
    else if (m_busy.count(worker))
        m_workerRanSomething = true; // it died running a unit: it had started
    m_lastLoss = reason;
    m_idle.removeAll(worker);
    const auto found = m_busy.find(worker);
    if (found != m_busy.end()) {
        const Busy ended = std::move(found->second);
        m_busy.erase(found);
        m_scheduler.finished(ended.run->id());
        ended.run->workerLost(
            reason, m_interruptSignal, m_pool->liveWorkers() > 0 || m_pool->restartsLeft() > 0, blameless);
        recordProcess(ended);
        for (const Retry &retry : ended.run->takeRetries())
            requeue(ended.run->unit(), retry.cases, retry.confirming);
    }
    if (m_finishing || m_interruptSignal != 0)
        return maybeFinish();
    dispatchIdleWorkers();

    const int needed = qMin(m_options.jobs, m_scheduler.queuedCount() + int(m_busy.size()));
    if (m_pool->liveWorkers() < needed && !m_pool->launchReplacement() && m_pool->liveWorkers() == 0)
        failRemaining(QStringLiteral("ctestd: no worker left to run the case (restart limit reached; last "
                                     "worker lost: %1)")
                          .arg(reason));
    maybeFinish();
}

void RunController::workerSetupFailed(int worker, const QString &reason)
{
    m_err->write(QStringLiteral("ctestd: %1\n").arg(reason).toUtf8());
    m_idle.removeAll(worker);
    m_lastLoss = reason;
    // Its cases go to the other workers; with none left, nothing can run them.
    if (m_pool->liveWorkers() == 0 && !m_finishing) {
        failRemaining(QStringLiteral("ctestd: no worker could run the case: %1").arg(reason));
        maybeFinish();
    }
}

void RunController::recordProcess(const Busy &ended)
{
    const Unit &unit = ended.run->unit();
    // A folder the process left empty goes now (rmdir removes only an empty
    // one: one call, where a walk of the whole tree at the end costs more).
    QString artifacts = ended.run->artifactDirectory();
    if (!artifacts.isEmpty() && QDir().rmdir(artifacts))
        artifacts.clear();
    // The process's whole output matters only where the cases' share of it
    // was capped, which takes more than the cap: otherwise it goes now.
    QString outputLog = ended.run->outputLog();
    if (!outputLog.isEmpty() && QFileInfo(outputLog).size() <= defaults::CaseOutputBytes) {
        QFile::remove(outputLog);
        outputLog.clear();
    }
    // A process that reported nothing is kept only for what it left behind
    // (a core dump, a log): it has no cases for --durations.
    if (ended.run->reported().isEmpty() && artifacts.isEmpty() && outputLog.isEmpty())
        return;
    ProcessRecord record;
    record.executable = m_cases.testCase(unit.cases.constFirst()).executable;
    record.group = unit.group.name;
    record.cases = ended.run->reported();
    record.seconds = ended.clock.elapsed() / 1000.0;
    record.caseSeconds = ended.run->reportedSeconds();
    record.artifactDirectory = artifacts;
    record.outputLog = outputLog;
    m_processes.append(record);
}

void RunController::learnCosts(const UnitRun &run)
{
    QHash<QString, double> caseSeconds;
    caseSeconds.reserve(run.reported().size());
    for (int index : run.reported()) {
        const CaseResult &result = m_cases.state(index).result;
        // A crash's or a timeout's time says nothing of the next run's.
        if (result.status == Status::Passed || result.status == Status::Failed || result.status == Status::Skipped)
            caseSeconds.insert(m_cases.testCase(index).selector, result.seconds);
    }
    m_costs.learn(run.unit().executable, caseSeconds, run.fixtureSeconds());
}

void RunController::requeue(const Unit &unit, const QVector<int> &cases, bool confirming)
{
    if (cases.isEmpty())
        return;
    if (m_cases.stopping()) {
        for (int index : cases)
            m_cases.stop(index);
        return;
    }
    if (m_interruptSignal != 0) {
        for (int index : cases) {
            m_cases.markStarted(index);
            m_cases.finishAs(index, Status::NotRun, QStringLiteral("ctestd: interrupted before the case ran"));
        }
        return;
    }
    Unit rest = unit;
    rest.cases = cases;
    rest.confirming = confirming;
    m_scheduler.requeueFront(rest);
    qCDebug(lcDaemon) << "requeued" << cases.size() << "cases of" << unit.group.name;
}

void RunController::stopDispatching()
{
    // --stop-on-failure: no new test starts; running ones finish (their
    // processes stop at their own first failure where the framework can).
    // Unlike ctest, which leaves them out, the tests that never started are
    // reported as not run, so a report of a stopped run says what it lacks.
    const QVector<Unit> queue = m_scheduler.takeAll();
    for (const Unit &unit : queue) {
        for (int index : unit.cases)
            m_cases.stop(index);
    }
    // A serial run's known results not reached yet: ctest would not have
    // got to them either.
    const QList<int> known = m_known.keys();
    m_known.clear();
    for (int index : known)
        m_cases.stop(index);
}

bool RunController::ctestSerialOrder() const
{
    // ctest -j1 runs and reports in #K order; a build tree run in one slot
    // keeps that order, so that its console reads as ctest's. Executables
    // keep the cost order, which tells more when a run stops early.
    return m_treeMode && m_options.jobs == 1 && !m_options.scheduleRandom;
}

void RunController::settleKnownResults(int before)
{
    while (!m_known.isEmpty() && m_known.firstKey() < before) {
        const int index = m_known.firstKey();
        const CaseResult result = m_known.take(index);
        m_cases.markStarted(index);
        m_cases.finish(index, result);
    }
}

void RunController::failRemaining(const QString &reason)
{
    settleKnownResults(); // what is known stays what it is
    const QVector<Unit> queue = m_scheduler.takeAll();
    for (const Unit &unit : queue) {
        for (int index : unit.cases) {
            if (m_cases.isDone(index))
                continue;
            m_cases.markStarted(index);
            m_cases.finishAs(index, Status::NotRun, reason);
        }
    }
}

void RunController::maybeFinish()
{
    if (m_finishing || m_cases.remaining() > 0 || !m_busy.empty())
        return;
    m_finishing = true;
    // Report from the event loop, never from inside a worker's signal.
    QTimer::singleShot(0, this, &RunController::finishRun);
}

void RunController::finishRun()
{
    RunEnd end = m_cases.end();
    end.processes = m_processes;
    end.interruptSignal = m_interruptSignal;
    const QVector<CaseResult> reported = end.reportedResults();
    // The outputs see the code the results give (--no-tests=error included).
    const bool noTestsError = reported.isEmpty() && m_options.noTestsIsError;
    int exitCode = noTestsError ? 8 : ctestExitCode(reported);
    if (m_pool && !m_workerRanSomething && exitCode == 8 && m_interruptSignal == 0 && !m_lastLoss.isEmpty()) {
        // Nothing ran because no worker could ever start (a host that is
        // not there, srun missing): a broken set-up, not failing tests.
        m_err->write(QStringLiteral("ctestd: no worker could be started: %1\n").arg(m_lastLoss).toUtf8());
        exitCode = 1;
    }
    exitCode = m_listeners.runFinished(end, exitCode);
    m_costs.save();
    if (m_interruptSignal != 0 && !noTestsError)
        exitCode = 128 + m_interruptSignal;
    if (!m_pool)
        return Q_EMIT finished(exitCode);
    connect(m_pool, &WorkerPool::allStopped, this, [this, exitCode] {
        if (m_options.worker.keepTmp) {
            const QMap<int, QString> kept = m_pool->workerDirectories();
            for (auto it = kept.cbegin(); it != kept.cend(); ++it)
                m_err->write(QStringLiteral("ctestd: --keep-tmp: worker %1 left %2\n").arg(it.key()).arg(*it).toUtf8());
        }
        // Like a failed cleanup fixture under ctest: the tests' results
        // stand, and the run says something went wrong.
        Q_EMIT finished(m_teardownFailed && exitCode == 0 ? 8 : exitCode);
    });
    m_pool->shutdown();
}

} // namespace ctestd
