// SPDX-License-Identifier: BSD-3-Clause
#include "runcontroller.h"

#include "caseloader.h"
#include "core/defaults.h"
#include "core/logging.h"
#include "ctest/ctestfiles.h"
#include "workerpool.h"

#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <csignal>

namespace ctestd {

namespace {
constexpr qint64 OutputCap = defaults::CaseOutputBytes; // enforced by the worker
// The daemon's own bound, in case a worker does not honour the cap.
constexpr qint64 DaemonOutputCap = OutputCap + 4096;
// How long past the case timeout a silent worker is given before it is killed.
constexpr int WatchdogSlackSeconds = 30;
} // namespace

RunController::RunController(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(out)
    , m_err(err)
{
    if (m_options.jobs <= 0)
        m_options.jobs = qMax(1, QThread::idealThreadCount());
    m_scheduler.setJobs(m_options.jobs);
    m_treeMode = !m_options.testDirectory.isEmpty();
}

RunController::~RunController() = default;

void RunController::start()
{
    m_clock.start();
    auto *loader = new CaseLoader(m_options, m_out, m_err, this);
    connect(loader, &CaseLoader::loaded, this, &RunController::casesLoaded);
    connect(loader, &CaseLoader::stopped, this, &RunController::finished);
    loader->start();
}

void RunController::casesLoaded(const LoadedCases &loaded)
{
    m_projectDirectory = loaded.projectDirectory;
    m_junitSuiteName = loaded.junitSuiteName;
    m_defaultTimeout = loaded.defaultTimeout;
    m_cases = loaded.cases;
    m_nameRegexMessages = loaded.nameRegexMessages;
    if (m_treeMode) {
        auto files = std::make_unique<ctest::CTestFiles>(m_projectDirectory, m_options.jobs > 1, m_err);
        files->load(m_cases);
        m_listeners.addFirst(std::move(files));
    }
    casesReady(loaded.preset, loaded.isPreset);
}

void RunController::interrupt(int signalNumber)
{
    if (m_interruptSignal != 0 || m_cases.isEmpty()) {
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
    const QList<int> busy = m_busy.keys();
    for (int worker : busy) {
        m_pool->send(worker, {protocol::MessageType::Shutdown, {}});
        QTimer::singleShot(defaults::WorkerShutdownGraceMs, this,
            [this, worker] { m_pool->kill(worker, QStringLiteral("interrupted")); });
    }
    maybeFinish();
}

void RunController::abandon()
{
    m_abandoned = true;
    if (m_interruptSignal == 0)
        interrupt(SIGTERM);
}

void RunController::casesReady(const QVector<CaseResult> &preset, const QVector<bool> &isPreset)
{
    m_results.resize(m_cases.size());
    m_done.fill(false, m_cases.size());
    m_started.fill(false, m_cases.size());
    m_startedAtMs.fill(0, m_cases.size());
    m_attempts.fill(0, m_cases.size());
    m_dispatched.fill(false, m_cases.size());
    m_dropped.fill(false, m_cases.size());
    m_remaining = m_cases.size();
    addFixtureOrder();

    RunStart start;
    start.projectDirectory = m_projectDirectory;
    start.buildTree = m_treeMode;
    start.junitSuiteName = m_junitSuiteName;
    start.preamble = m_nameRegexMessages;
    start.cases = m_cases;
    m_listeners.runStarted(start);
    for (int i = 0; i < m_cases.size(); ++i) {
        if (isPreset.value(i)) {
            markStarted(i);
            finishCase(i, preset[i]);
        } else if (m_cases[i].disabled) {
            CaseResult disabled;
            disabled.status = Status::Disabled;
            markStarted(i);
            finishCase(i, disabled);
        }
    }

    std::optional<GroupBy> groupBy;
    if (m_options.groupBySet)
        groupBy = m_options.groupBy;
    QVector<Unit> units = groupIntoUnits(m_cases, m_done, groupBy);
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
                    && (m_options.onlySelectors.isEmpty() || m_options.onlySelectors.contains(m_cases[index].selector)))
                    selected.append(index);
                else
                    dropCase(index);
            }
            unit.cases = selected;
            if (!unit.cases.isEmpty())
                kept.append(unit);
        }
        units = kept;
    } else {
        units = packUnits(units, m_options.jobs);
    }
    if (m_options.scheduleRandom)
        std::shuffle(units.begin(), units.end(), *QRandomGenerator::global());
    else
        sortUnits(units);
    m_scheduler.enqueue(units);
    if (units.isEmpty())
        return maybeFinish();

    const int workers = qMin(m_options.jobs, int(units.size()));
    const int restarts = m_options.maxWorkerRestarts >= 0 ? m_options.maxWorkerRestarts : 4 * workers;
    m_pool = new WorkerPool(m_options.workerProgram, restarts, this);
    m_pool->setReserve(m_options.workerReserve);
    QString error;
    if (!m_pool->listen(m_options.listen, &error)) {
        failRemaining(error);
        return maybeFinish();
    }
    qCDebug(lcDaemon).noquote() << units.size() << "units," << workers << "workers on" << m_pool->address();
    connect(m_pool, &WorkerPool::workerReady, this, &RunController::dispatch);
    connect(m_pool, &WorkerPool::workerMessage, this, &RunController::handleMessage);
    connect(m_pool, &WorkerPool::workerLost, this, &RunController::workerLost);
    m_pool->launch(workers);
}

void RunController::addFixtureOrder()
{
    // CTest fixtures as ordering: a test that requires a fixture waits for its
    // setup tests, and a cleanup test waits for every test that requires it.
    QHash<QString, QVector<int>> users;
    for (int i = 0; i < m_cases.size(); ++i) {
        for (const QString &fixture : qAsConst(m_cases[i].fixturesSetup))
            m_fixtureSetups[fixture].append(i);
        for (const QString &fixture : qAsConst(m_cases[i].fixturesRequired))
            users[fixture].append(i);
    }
    const auto addDependency = [this](int from, int to) {
        if (from != to && !m_cases[from].dependsOn.contains(to))
            m_cases[from].dependsOn.append(to);
    };
    for (int i = 0; i < m_cases.size(); ++i) {
        for (const QString &fixture : qAsConst(m_cases[i].fixturesRequired)) {
            for (int setup : m_fixtureSetups.value(fixture))
                addDependency(i, setup);
        }
        for (const QString &fixture : qAsConst(m_cases[i].fixturesCleanup)) {
            for (int user : users.value(fixture))
                addDependency(i, user);
            for (int setup : m_fixtureSetups.value(fixture))
                addDependency(i, setup);
        }
    }
}

bool RunController::checkFixtures(int index)
{
    // ctest does not start a test whose fixture setup failed.
    QStringList failed;
    for (const QString &fixture : qAsConst(m_cases[index].fixturesRequired)) {
        if (m_cases[index].fixturesSetup.contains(fixture))
            continue;
        for (int setup : m_fixtureSetups.value(fixture)) {
            if (m_done[setup] && isFailure(m_results[setup].status) && !failed.contains(m_cases[setup].displayName))
                failed.append(m_cases[setup].displayName);
        }
    }
    if (failed.isEmpty())
        return true;
    markStarted(index);
    CaseResult result;
    result.status = Status::NotRun;
    result.message = QStringLiteral("Fixture dependency failed");
    result.noticeOut = QStringLiteral("Failed test dependencies: %1\n").arg(failed.join(QLatin1Char(' '))).toUtf8();
    finishCase(index, result);
    return false;
}

double RunController::timeoutFor(const TestCase &testCase) const
{
    // ctest: the TIMEOUT property wins over --timeout.
    return testCase.timeoutSeconds >= 0 ? testCase.timeoutSeconds : m_defaultTimeout;
}

void RunController::dispatch(int worker)
{
    if (m_finishing || m_busy.contains(worker))
        return;
    std::optional<Unit> unit;
    while (!unit && !m_stopping && m_interruptSignal == 0) {
        unit = m_scheduler.takeReady(m_done);
        if (!unit)
            break;
        // Cases whose fixture setup failed are settled without running.
        QVector<int> runnable;
        for (int index : qAsConst(unit->cases)) {
            if (!m_done[index] && checkFixtures(index))
                runnable.append(index);
        }
        unit->cases = runnable;
        if (unit->cases.isEmpty())
            unit.reset();
    }
    if (!unit) {
        if (!m_idle.contains(worker))
            m_idle.append(worker);
        if (m_scheduler.hasQueued() && m_busy.isEmpty() && m_scheduler.runningCount() == 0)
            failRemaining(QStringLiteral("ctestd: the test's dependencies can never be met"));
        return maybeFinish();
    }
    m_idle.removeAll(worker);

    Dispatch job;
    job.id = m_nextDispatch++;
    job.unit = *unit;
    // A case runs again after a lost worker or a suspect death: the output of
    // the run that gives its result is the one reported.
    for (int index : qAsConst(job.unit.cases)) {
        m_results[index].stdOut.clear();
        m_results[index].stdErr.clear();
    }
    const TestCase &first = m_cases[job.unit.cases.constFirst()];

    protocol::RunUnit run;
    run.unit = job.id;
    run.executable = job.unit.executable;
    run.framework = job.unit.framework;
    run.timeoutSeconds = timeoutFor(first);
    run.outputCap = OutputCap;
    run.extraArguments = first.arguments;
    run.workingDirectory = first.workingDirectory;
    for (const QString &variable : first.environment) {
        const int equals = variable.indexOf(QLatin1Char('='));
        if (equals > 0)
            run.environment.insert(variable.left(equals), variable.mid(equals + 1));
    }
    run.rules = first.rules;
    run.stopOnFailure = m_options.stopOnFailure;
    run.environmentComplete = m_options.environmentComplete;
    for (int index : qAsConst(job.unit.cases)) {
        run.selectors.append(m_cases[index].selector);
        if (m_cases[index].selector != m_cases[index].displayName && !m_cases[index].displayName.isEmpty())
            run.names.insert(m_cases[index].selector, m_cases[index].displayName);
        job.caseOfSelector.insert(m_cases[index].selector, index);
        m_dispatched[index] = true;
    }

    if (run.timeoutSeconds > 0) {
        // The worker enforces the case timeout itself; this catches a worker
        // that stopped talking altogether.
        job.watchdog = new QTimer(this);
        job.watchdog->setSingleShot(true);
        job.watchdog->setInterval(int(qMin(run.timeoutSeconds + WatchdogSlackSeconds, 2.0e6) * 1000));
        connect(job.watchdog, &QTimer::timeout, this, [this, worker] {
            m_pool->kill(worker, QStringLiteral("worker sent nothing for longer than the case timeout"));
        });
        job.watchdog->start();
    }
    m_scheduler.started(job.id, job.unit);
    m_busy.insert(worker, job);
    m_pool->send(worker, {protocol::MessageType::RunUnit, run.toCbor()});
}

void RunController::dispatchIdleWorkers()
{
    const QVector<int> idle = m_idle;
    for (int worker : idle)
        dispatch(worker);
}

void RunController::handleMessage(int worker, const protocol::Message &message)
{
    auto it = m_busy.find(worker);
    if (it == m_busy.end()) {
        m_pool->kill(worker,
            QStringLiteral("protocol error: %1 while no unit was dispatched")
                .arg(protocol::messageTypeName(message.type)));
        return;
    }
    if (it->watchdog)
        it->watchdog->start();

    QString error;
    if (message.type == protocol::MessageType::UnitFinished) {
        const std::optional<protocol::UnitFinished> finished = protocol::UnitFinished::fromCbor(message.body, &error);
        if (finished && finished->unit != it->id)
            error = QStringLiteral("UnitFinished for unit %1, but the worker runs unit %2")
                        .arg(finished->unit)
                        .arg(it->id);
        if (error.isEmpty())
            return unitFinished(worker, *finished);
    } else if (handleCaseMessage(*it, message, &error)) {
        return;
    }
    // Any malformed or unexpected message: the worker is treated as crashed.
    m_pool->kill(worker, QStringLiteral("protocol error: %1").arg(error));
}

bool RunController::handleCaseMessage(Dispatch &job, const protocol::Message &message, QString *error)
{
    // Every case message names the unit and one of its cases that has no
    // final result yet; anything else is a protocol violation.
    const auto caseIndex = [&](qint64 unit, const QString &selector, bool mustBeOpen) -> int {
        if (unit != job.id) {
            *error = QStringLiteral("%1 for unit %2, but the worker runs unit %3")
                         .arg(protocol::messageTypeName(message.type))
                         .arg(unit)
                         .arg(job.id);
            return -1;
        }
        const int index = job.caseOfSelector.value(selector, -1);
        if (index < 0) {
            *error = QStringLiteral("%1 for case '%2', which is not in unit %3")
                         .arg(protocol::messageTypeName(message.type), selector)
                         .arg(unit);
            return -1;
        }
        if (mustBeOpen && m_done[index]) {
            *error = QStringLiteral("%1 for case '%2', which already has a result")
                         .arg(protocol::messageTypeName(message.type), selector);
            return -1;
        }
        return index;
    };

    switch (message.type) {
    case protocol::MessageType::CaseStarted: {
        const auto started = protocol::CaseStarted::fromCbor(message.body, error);
        const int index = started ? caseIndex(started->unit, started->selector, true) : -1;
        if (index < 0)
            return false;
        job.running = started->selector;
        markStarted(index);
        return true;
    }
    case protocol::MessageType::CaseOutput: {
        const auto output = protocol::CaseOutput::fromCbor(message.body, error);
        const int index = output ? caseIndex(output->unit, output->selector, true) : -1;
        if (index < 0)
            return false;
        QByteArray &sink = output->stream == 1 ? m_results[index].stdOut : m_results[index].stdErr;
        sink.append(output->data.left(int(qMax<qint64>(0, DaemonOutputCap - sink.size()))));
        return true;
    }
    case protocol::MessageType::CaseFinished: {
        const auto finished = protocol::CaseFinished::fromCbor(message.body, error);
        const int index = finished ? caseIndex(finished->unit, finished->selector, true) : -1;
        if (index < 0)
            return false;
        markStarted(index);
        CaseResult result = m_results[index]; // keeps the output received so far
        result.status = finished->status;
        result.seconds = finished->seconds;
        result.message = finished->message;
        result.file = finished->file;
        result.line = finished->line;
        result.signal = finished->signal;
        result.reason = finished->reason;
        if (result.status == Status::Timeout || result.status == Status::Crashed)
            job.abnormal = true;
        job.running.clear();
        finishCase(index, result);
        return true;
    }
    default:
        *error = QStringLiteral("unexpected %1 message").arg(protocol::messageTypeName(message.type));
        return false;
    }
}

void RunController::unitFinished(int worker, const protocol::UnitFinished &finished)
{
    Dispatch ended = m_busy.take(worker);
    delete ended.watchdog;
    m_scheduler.finished(ended.id);
    const QVector<int> again = takeRepeats(ended.unit); // --repeat: finished, to run once more

    QVector<int> unconfirmed;
    for (const QString &selector : finished.unconfirmed) {
        const int index = ended.caseOfSelector.value(selector, -1);
        if (index >= 0 && !m_done[index] && !again.contains(index) && !unconfirmed.contains(index))
            unconfirmed.append(index);
    }
    QVector<int> unreported;
    for (const QString &selector : finished.unreported) {
        const int index = ended.caseOfSelector.value(selector, -1);
        if (index >= 0 && !m_done[index] && !again.contains(index) && !unconfirmed.contains(index))
            unreported.append(index);
    }
    // A case the worker did not list as unreported but that has no result is
    // unreported all the same: nothing may be lost.
    for (int index : qAsConst(ended.unit.cases)) {
        if (!m_done[index] && !unreported.contains(index) && !again.contains(index) && !unconfirmed.contains(index))
            unreported.append(index);
    }
    std::sort(unreported.begin(), unreported.end());

    // The worker says whether the process stopped early (a signal, a
    // timeout, an exit code or output its framework does not end with).
    const bool abnormal = ended.abnormal || finished.stoppedEarly;
    if (!finished.error.isEmpty()) {
        for (int index : qAsConst(unreported)) {
            CaseResult result = m_results[index];
            result.status = Status::NotRun;
            result.message = finished.error;
            finishCase(index, result);
        }
    } else if (abnormal) {
        // The process stopped early and a case was blamed for it; the others
        // deserve a run in a fresh process. A suspect (the worker could not
        // tell whether the death was its) runs alone, first.
        const int suspect = ended.caseOfSelector.value(finished.suspect, -1);
        if (suspect >= 0 && unreported.contains(suspect)) {
            unreported.removeAll(suspect);
            requeue(ended.unit, unreported);
            requeue(ended.unit, {suspect});
        } else {
            requeue(ended.unit, unreported);
        }
    } else if (m_stopping) {
        // The process stopped at its first failure (--gtest_fail_fast, ...)
        // or another process failed first: these never ran.
        for (int index : qAsConst(unreported))
            stopCase(index);
    } else {
        // The process ran to its normal end without reporting these cases:
        // a filter that matched nothing exits 0, and that must not pass.
        for (int index : qAsConst(unreported)) {
            CaseResult result = m_results[index];
            result.status = Status::NotRun;
            result.message = QStringLiteral("ctestd: the case was requested but the test process reported no "
                                            "result for it (exit code %1)")
                                 .arg(finished.exitCode);
            finishCase(index, result);
        }
    }
    // Passes the exit status contradicted: first all again in one process,
    // whose clean exit confirms them at the cost of one run; if that exit
    // contradicts the stream again, each alone, judged by its own exit.
    if (!unconfirmed.isEmpty() && finished.error.isEmpty()) {
        if (m_stopping) {
            for (int index : qAsConst(unconfirmed))
                stopCase(index,
                    QStringLiteral("ctestd: ran, but the run stopped (--stop-on-failure) before its result could be "
                                   "confirmed: its process exited failed, and %1 reports only on stdout")
                        .arg(ended.unit.framework));
        } else if (ended.unit.confirming || unconfirmed.size() == 1) {
            for (int index : qAsConst(unconfirmed))
                requeue(ended.unit, {index});
        } else {
            requeue(ended.unit, unconfirmed, true);
        }
    }
    requeue(ended.unit, again);
    dispatchIdleWorkers();
    dispatch(worker);
}

void RunController::workerLost(int worker, const QString &reason)
{
    m_idle.removeAll(worker);
    if (m_busy.contains(worker)) {
        Dispatch ended = m_busy.take(worker);
        delete ended.watchdog;
        m_scheduler.finished(ended.id);
        int blamed = ended.caseOfSelector.value(ended.running, -1);
        if (blamed >= 0 && m_done[blamed])
            blamed = -1;
        QVector<int> rest;
        for (int index : qAsConst(ended.unit.cases)) {
            if (m_done[index] || index == blamed)
                continue;
            if (blamed < 0 && !m_repeatPending.contains(index))
                blamed = index;
            else
                rest.append(index);
        }
        const bool canSettle = m_pool->liveWorkers() > 0 || m_pool->restartsLeft() > 0;
        if (blamed >= 0 && !rest.isEmpty() && m_interruptSignal == 0 && canSettle) {
            // The worker's last word may not be the last thing that happened:
            // a case that kills the worker right after the next case's start
            // marker can die before the worker forwarded that marker. So a
            // lost worker blames no case that shared its process: the case it
            // last said was running runs again alone (first), where a loss is
            // its own, and the rest after it. A case with a result keeps it.
            // (With no worker left to run it, the last word is all there is.)
            requeue(ended.unit, {blamed});
            blamed = -1;
        }
        if (blamed >= 0) {
            markStarted(blamed);
            CaseResult result = m_results[blamed];
            result.status = Status::Crashed;
            result.seconds = (m_clock.elapsed() - m_startedAtMs[blamed]) / 1000.0;
            result.signal = m_interruptSignal; // 0: the worker died on its own
            result.message = m_interruptSignal != 0
                ? QStringLiteral("interrupted by signal %1 while running").arg(m_interruptSignal)
                : QStringLiteral("worker lost while running %1: %2").arg(m_cases[blamed].displayName, reason);
            finishCase(blamed, result);
        }
        // Cases waiting for another --repeat run go again too (the blamed one
        // may have just become one of them).
        for (int index : takeRepeats(ended.unit)) {
            if (!rest.contains(index))
                rest.append(index);
        }
        std::sort(rest.begin(), rest.end());
        requeue(ended.unit, rest);
    }
    if (m_finishing || m_interruptSignal != 0) {
        maybeFinish();
        return;
    }
    dispatchIdleWorkers();

    const int needed = qMin(m_options.jobs, m_scheduler.queuedCount() + int(m_busy.size()));
    if (m_pool->liveWorkers() < needed && !m_pool->launchReplacement() && m_pool->liveWorkers() == 0)
        failRemaining(QStringLiteral("ctestd: no worker left to run the case (restart limit reached; last "
                                     "worker lost: %1)")
                          .arg(reason));
    maybeFinish();
}

void RunController::requeue(const Unit &unit, const QVector<int> &cases, bool confirming)
{
    if (cases.isEmpty())
        return;
    if (m_stopping) {
        for (int index : cases)
            stopCase(index);
        return;
    }
    if (m_interruptSignal != 0) {
        for (int index : cases) {
            markStarted(index);
            CaseResult result = m_results[index];
            result.status = Status::NotRun;
            result.message = QStringLiteral("ctestd: interrupted before the case ran");
            finishCase(index, result);
        }
        return;
    }
    Unit rest = unit;
    rest.cases = cases;
    rest.confirming = confirming;
    m_scheduler.requeueFront(rest);
    qCDebug(lcDaemon) << "requeued" << cases.size() << "cases of" << unit.group.name;
}

void RunController::markStarted(int index)
{
    if (m_started[index])
        return;
    m_started[index] = true;
    m_startedAtMs[index] = m_clock.elapsed();
    m_listeners.caseStarted(m_cases[index]);
}

void RunController::finishCase(int index, const CaseResult &result)
{
    if (m_done[index])
        return;
    const bool again = repeatCase(index, result);
    if (m_dispatched[index])
        m_listeners.attemptFinished(m_cases[index], result, again);
    if (again) {
        m_results[index] = CaseResult();
        m_started[index] = false;
        m_repeatPending.insert(index);
        return;
    }
    m_results[index] = result;
    m_done[index] = true;
    --m_remaining;
    m_listeners.caseFinished(m_cases[index], result);
    if (m_options.stopOnFailure && isFailure(result.status)) {
        if (m_stopCause.isEmpty())
            m_stopCause = m_cases[index].displayName;
        stopDispatching();
    }
}

bool RunController::repeatCase(int index, const CaseResult &result)
{
    // --repeat applies to runs, not to tests that could not start.
    if (m_options.repeat.kind == ctest::RepeatMode::None || !m_dispatched[index])
        return false;
    if (++m_attempts[index] >= m_options.repeat.count)
        return false;
    switch (m_options.repeat.kind) {
    case ctest::RepeatMode::UntilFail:
        return result.status == Status::Passed; // a skip is no pass to repeat
    case ctest::RepeatMode::UntilPass:
        return isFailure(result.status);
    case ctest::RepeatMode::AfterTimeout:
        return result.status == Status::Timeout;
    case ctest::RepeatMode::None:
        break;
    }
    return false;
}

void RunController::stopDispatching()
{
    // --stop-on-failure: no new test starts; running ones finish (their
    // processes stop at their own first failure where the framework can).
    // Unlike ctest, which leaves them out, the tests that never started are
    // reported as not run, so a report of a stopped run says what it lacks.
    if (m_stopping)
        return;
    m_stopping = true;
    const QVector<Unit> queue = m_scheduler.takeAll();
    for (const Unit &unit : queue) {
        for (int index : unit.cases)
            stopCase(index);
    }
}

void RunController::stopCase(int index, const QString &message)
{
    if (m_done[index])
        return;
    m_repeatPending.remove(index);
    CaseResult result;
    result.status = Status::Stopped;
    result.message = !message.isEmpty()
        ? message
        : QStringLiteral("ctestd: not run: the run stopped after %1 failed (--stop-on-failure)")
              .arg(m_stopCause.isEmpty() ? QStringLiteral("a test") : m_stopCause);
    finishCase(index, result);
}

void RunController::dropCase(int index)
{
    if (m_done[index])
        return;
    m_dropped[index] = true;
    m_done[index] = true;
    m_repeatPending.remove(index);
    --m_remaining;
}

QVector<int> RunController::takeRepeats(const Unit &unit)
{
    QVector<int> again;
    for (int index : unit.cases) {
        if (m_repeatPending.remove(index))
            again.append(index);
    }
    return again;
}

void RunController::failRemaining(const QString &reason)
{
    const QVector<Unit> queue = m_scheduler.takeAll();
    for (const Unit &unit : queue) {
        for (int index : unit.cases) {
            if (m_done[index])
                continue;
            markStarted(index);
            CaseResult result = m_results[index];
            result.status = Status::NotRun;
            result.message = reason;
            finishCase(index, result);
        }
    }
}

void RunController::maybeFinish()
{
    if (m_finishing || m_remaining > 0 || !m_busy.isEmpty())
        return;
    m_finishing = true;
    // Report from the event loop, never from inside a worker's signal.
    QTimer::singleShot(0, this, &RunController::finishRun);
}

void RunController::finishRun()
{
    RunEnd end;
    end.wallSeconds = m_clock.elapsed() / 1000.0;
    for (int i = 0; i < m_cases.size(); ++i)
        end.cases.append({m_cases[i], m_results[i], m_dispatched[i], m_dropped[i]});
    const QVector<CaseResult> reported = end.reportedResults();
    int exitCode = m_listeners.runFinished(end, ctestExitCode(reported));
    if (m_interruptSignal != 0)
        exitCode = 128 + m_interruptSignal;
    if (reported.isEmpty() && m_options.noTestsIsError)
        exitCode = 8;
    if (!m_pool)
        return Q_EMIT finished(exitCode);
    connect(m_pool, &WorkerPool::allStopped, this, [this, exitCode] { Q_EMIT finished(exitCode); });
    m_pool->shutdown();
}

} // namespace ctestd
