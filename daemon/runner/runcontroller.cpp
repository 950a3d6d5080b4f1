// SPDX-License-Identifier: BSD-3-Clause
#include "runcontroller.h"

#include "core/logging.h"
#include "discovery.h"
#include "frameworks/adapter.h"
#include "reporters/junitwriter.h"
#include "workerpool.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHostInfo>
#include <QThread>
#include <QTimer>

namespace ctestd {

namespace {
constexpr qint64 OutputCap = 1024 * 1024; // per case and stream, enforced by the worker
// The daemon's own bound, in case a worker does not honour the cap.
constexpr qint64 DaemonOutputCap = OutputCap + 4096;
// How long past the case timeout a silent worker is given before it is killed.
constexpr int WatchdogSlackSeconds = 30;
} // namespace

RunController::RunController(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_err(err)
    , m_adapter(createFrameworkAdapter(options.framework))
    , m_console(out, err, options.console)
{
    if (m_options.jobs <= 0)
        m_options.jobs = qMax(1, QThread::idealThreadCount());
    if (!m_options.groupBySet && m_adapter)
        m_options.groupBy = m_adapter->defaultGroupBy();
}

RunController::~RunController() = default;

void RunController::start()
{
    m_clock.start();
    m_discovery = new Discovery(m_options.executables, *m_adapter, m_options.jobs, m_options.discoveryTimeoutSeconds,
                                this);
    connect(m_discovery, &Discovery::finished, this, &RunController::discovered);
    m_discovery->start();
}

void RunController::discovered(const QVector<DiscoveredExecutable> &results)
{
    QVector<CaseResult> listingErrors;
    for (const DiscoveredExecutable &executable : results) {
        if (!executable.error.isEmpty()) {
            // The executable becomes one failed case named after it, so the
            // failure shows in every report instead of vanishing.
            TestCase testCase;
            testCase.executable = executable.executable;
            testCase.name = QFileInfo(executable.executable).fileName();
            testCase.displayName = testCase.name;
            m_cases.append(testCase);
            CaseResult result;
            result.status = Status::NotRun;
            result.message = executable.error;
            listingErrors.append(result);
            continue;
        }
        for (const TestCase &testCase : executable.cases) {
            m_cases.append(testCase);
            listingErrors.append(CaseResult {});
        }
    }
    for (int i = 0; i < m_cases.size(); ++i)
        m_cases[i].index = i + 1;
    m_results.resize(m_cases.size());
    m_done.fill(false, m_cases.size());
    m_started.fill(false, m_cases.size());
    m_startedAtMs.fill(0, m_cases.size());
    m_remaining = m_cases.size();

    m_console.runStarted(QDir::currentPath(), m_cases);
    for (int i = 0; i < m_cases.size(); ++i) {
        if (!listingErrors[i].message.isEmpty()) {
            // The console reporter prints the reason on stderr, as ctest
            // prints "Unable to find executable".
            markStarted(i);
            finishCase(i, listingErrors[i]);
        } else if (m_cases[i].disabled) {
            CaseResult disabled;
            disabled.status = Status::Disabled;
            markStarted(i);
            finishCase(i, disabled);
        }
    }

    m_queue = groupIntoUnits(m_cases, m_done, *m_adapter, m_options.groupBy);
    if (m_queue.isEmpty())
        return maybeFinish();

    const int workers = qMin(m_options.jobs, int(m_queue.size()));
    const int restarts = m_options.maxWorkerRestarts >= 0 ? m_options.maxWorkerRestarts : 4 * workers;
    m_pool = new WorkerPool(m_options.workerProgram, restarts, this);
    QString error;
    if (!m_pool->listen(m_options.listen, &error)) {
        failRemaining(error);
        return maybeFinish();
    }
    qCDebug(lcDaemon).noquote() << m_queue.size() << "units," << workers << "workers on" << m_pool->address();
    connect(m_pool, &WorkerPool::workerReady, this, &RunController::dispatch);
    connect(m_pool, &WorkerPool::workerMessage, this, &RunController::handleMessage);
    connect(m_pool, &WorkerPool::workerLost, this, &RunController::workerLost);
    m_pool->launch(workers);
}

void RunController::dispatch(int worker)
{
    if (m_finishing || m_busy.contains(worker))
        return;
    if (m_queue.isEmpty()) {
        if (!m_idle.contains(worker))
            m_idle.append(worker);
        return maybeFinish();
    }
    m_idle.removeAll(worker);

    Dispatch job;
    job.id = m_nextDispatch++;
    job.unit = m_queue.takeFirst();

    protocol::RunUnit run;
    run.unit = job.id;
    run.executable = job.unit.executable;
    run.framework = m_adapter->name();
    run.timeoutSeconds = m_options.timeoutSeconds;
    run.outputCap = OutputCap;
    for (int index : qAsConst(job.unit.cases)) {
        run.selectors.append(m_cases[index].selector);
        job.caseOfSelector.insert(m_cases[index].selector, index);
    }

    if (m_options.timeoutSeconds > 0) {
        // The worker enforces the case timeout itself; this catches a worker
        // that stopped talking altogether.
        job.watchdog = new QTimer(this);
        job.watchdog->setSingleShot(true);
        job.watchdog->setInterval(int(qMin(m_options.timeoutSeconds + WatchdogSlackSeconds, 2.0e6) * 1000));
        connect(job.watchdog, &QTimer::timeout, this, [this, worker] {
            m_pool->kill(worker, QStringLiteral("worker sent nothing for longer than the case timeout"));
        });
        job.watchdog->start();
    }
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
        if (result.status == Status::Timeout || result.status == Status::Crashed)
            job.abnormal = true;
        job.running.clear();
        finishCase(index, result);
        return true;
    }
    case protocol::MessageType::CaseDetail: {
        const auto detail = protocol::CaseDetail::fromCbor(message.body, error);
        const int index = detail ? caseIndex(detail->unit, detail->selector, false) : -1;
        if (index < 0)
            return false;
        if (!m_done[index]) {
            *error = QStringLiteral("CaseDetail for case '%1' before its CaseFinished").arg(detail->selector);
            return false;
        }
        CaseResult &result = m_results[index];
        if (!detail->message.isEmpty())
            result.message = detail->message;
        if (!detail->file.isEmpty()) {
            result.file = detail->file;
            result.line = detail->line;
        }
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

    QVector<int> unreported;
    for (const QString &selector : finished.unreported) {
        const int index = ended.caseOfSelector.value(selector, -1);
        if (index >= 0 && !m_done[index])
            unreported.append(index);
    }
    // A case the worker did not list as unreported but that has no result is
    // unreported all the same: nothing may be lost.
    for (int index : qAsConst(ended.unit.cases)) {
        if (!m_done[index] && !unreported.contains(index))
            unreported.append(index);
    }
    std::sort(unreported.begin(), unreported.end());

    const bool abnormal = ended.abnormal || finished.signal != 0 || !m_adapter->isNormalExit(finished.exitCode);
    if (!finished.error.isEmpty()) {
        for (int index : qAsConst(unreported)) {
            CaseResult result = m_results[index];
            result.status = Status::NotRun;
            result.message = finished.error;
            finishCase(index, result);
        }
    } else if (abnormal) {
        // The process stopped early and a case was blamed for it; the others
        // deserve a run in a fresh process.
        requeue(ended.unit, unreported);
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
    dispatchIdleWorkers();
    dispatch(worker);
}

void RunController::workerLost(int worker, const QString &reason)
{
    m_idle.removeAll(worker);
    if (m_busy.contains(worker)) {
        Dispatch ended = m_busy.take(worker);
        delete ended.watchdog;
        int blamed = ended.caseOfSelector.value(ended.running, -1);
        QVector<int> rest;
        for (int index : qAsConst(ended.unit.cases)) {
            if (m_done[index] || index == blamed)
                continue;
            if (blamed < 0)
                blamed = index;
            else
                rest.append(index);
        }
        if (blamed >= 0) {
            markStarted(blamed);
            CaseResult result = m_results[blamed];
            result.status = Status::Crashed;
            result.seconds = (m_clock.elapsed() - m_startedAtMs[blamed]) / 1000.0;
            result.signal = 0;
            result.message
                = QStringLiteral("worker lost while running %1: %2").arg(m_cases[blamed].displayName, reason);
            finishCase(blamed, result);
        }
        requeue(ended.unit, rest);
    }
    if (m_finishing)
        return;
    dispatchIdleWorkers();

    const int needed = qMin(m_options.jobs, int(m_queue.size() + m_busy.size()));
    if (m_pool->liveWorkers() < needed && !m_pool->launchReplacement() && m_pool->liveWorkers() == 0)
        failRemaining(QStringLiteral("ctestd: no worker left to run the case (restart limit reached; last "
                                     "worker lost: %1)")
                          .arg(reason));
    maybeFinish();
}

void RunController::requeue(const Unit &unit, const QVector<int> &cases)
{
    if (cases.isEmpty())
        return;
    Unit rest = unit;
    rest.cases = cases;
    m_queue.prepend(rest);
    qCDebug(lcDaemon) << "requeued" << cases.size() << "cases of" << unit.group;
}

void RunController::markStarted(int index)
{
    if (m_started[index])
        return;
    m_started[index] = true;
    m_startedAtMs[index] = m_clock.elapsed();
    m_console.caseStarted(m_cases[index]);
}

void RunController::finishCase(int index, const CaseResult &result)
{
    m_results[index] = result;
    if (!m_done[index]) {
        m_done[index] = true;
        --m_remaining;
    }
    m_console.caseFinished(m_cases[index], result);
}

void RunController::failRemaining(const QString &reason)
{
    const QVector<Unit> queue = std::exchange(m_queue, {});
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
    const double wall = m_clock.elapsed() / 1000.0;
    int exitCode = m_console.runFinished(m_cases, m_results, wall);
    if (!m_options.junitPath.isEmpty()) {
        JUnitRunInfo info;
        info.timestamp = QDateTime::currentDateTime();
        info.hostname = QHostInfo::localHostName();
        info.wallSeconds = wall;
        QString error;
        if (!JUnitWriter::write(m_options.junitPath, m_cases, m_results, info, &error)) {
            m_err->write(QStringLiteral("ctestd: cannot write the JUnit file: %1\n").arg(error).toUtf8());
            exitCode = exitCode ? exitCode : 1;
        }
    }
    if (!m_pool)
        return Q_EMIT finished(exitCode);
    connect(m_pool, &WorkerPool::allStopped, this, [this, exitCode] { Q_EMIT finished(exitCode); });
    m_pool->shutdown();
}

} // namespace ctestd
