// SPDX-License-Identifier: BSD-3-Clause
#include "unitrun.h"

#include "model/defaults.h"

#include <QDir>

#include <algorithm>

namespace ctestd {

namespace {
// The daemon's own bound on a case's output, in case a worker does not
// honour the cap it was given.
constexpr qint64 DaemonOutputCap = defaults::CaseOutputBytes + 4096;
} // namespace

UnitRun::UnitRun(qint64 id, const Unit &unit, CaseBook &cases)
    : m_id(id)
    , m_unit(unit)
    , m_cases(cases)
{
    for (int index : qAsConst(m_unit.cases))
        m_caseOfSelector.insert(m_cases.testCase(index).selector, index);
}

protocol::RunUnit UnitRun::request(const RunOptions &options, double timeoutSeconds)
{
    const TestCase &first = m_cases.testCase(m_unit.cases.constFirst());
    protocol::RunUnit run;
    run.unit = m_id;
    run.executable = m_unit.executable;
    run.framework = m_unit.framework;
    run.timeoutSeconds = timeoutSeconds;
    run.outputCap = defaults::CaseOutputBytes;
    run.extraArguments = first.arguments;
    run.workingDirectory = first.workingDirectory;
    for (const QString &variable : first.environment) {
        const int equals = variable.indexOf(QLatin1Char('='));
        if (equals > 0)
            run.environment.insert(variable.left(equals), variable.mid(equals + 1));
    }
    if (!options.artifactRoot.isEmpty()) {
        // Each process its own folder, made here, where the bundle is
        // written, so that what a test leaves there is its own.
        m_artifactDirectory = options.artifactRoot + QLatin1Char('/') + QString::number(m_id);
        if (QDir().mkpath(m_artifactDirectory))
            run.environment.insert(QStringLiteral("CTESTD_ARTIFACT_DIR"), m_artifactDirectory);
        else
            m_artifactDirectory.clear();
        // Beside it, not in it: the process's whole output, uncapped.
        m_outputLog = options.artifactRoot + QLatin1Char('/') + QString::number(m_id) + QStringLiteral(".log");
        run.outputLog = m_outputLog;
    }
    m_clock.start();
    run.rules = first.rules;
    run.stopOnFailure = options.stopOnFailure;
    // --launcher in front of the registration's own (its emulator), as in
    // front of a build tree's command.
    run.launcher = options.launcher + first.launcher;
    run.environmentComplete = options.environmentComplete;
    for (int index : qAsConst(m_unit.cases)) {
        const TestCase &testCase = m_cases.testCase(index);
        run.selectors.append(testCase.selector);
        if (testCase.selector != testCase.displayName && !testCase.displayName.isEmpty())
            run.names.insert(testCase.selector, testCase.displayName);
        CaseState &state = m_cases.state(index);
        state.result.stdOut.clear();
        state.result.stdErr.clear();
        state.dispatched = true;
    }
    return run;
}

UnitRun::Handled UnitRun::handle(const protocol::Message &message, QString *error)
{
    // The Connection decoded the fields: one handler per type.
    bool ok = false;
    if (const auto *started = std::get_if<protocol::CaseStarted>(&message.fields))
        ok = handleCaseStarted(*started, error);
    else if (const auto *output = std::get_if<protocol::CaseOutput>(&message.fields))
        ok = handleCaseOutput(*output, error);
    else if (const auto *finished = std::get_if<protocol::CaseFinished>(&message.fields))
        ok = handleCaseFinished(*finished, error);
    else if (const auto *unitFinished = std::get_if<protocol::UnitFinished>(&message.fields))
        return handleUnitFinished(*unitFinished, error) ? Handled::UnitDone : Handled::Violation;
    else
        *error = QStringLiteral("unexpected %1 message").arg(protocol::messageTypeName(message.type));
    return ok ? Handled::Ongoing : Handled::Violation;
}

int UnitRun::openCase(protocol::MessageType type, qint64 unit, const QString &selector, QString *error) const
{
    // Every case message names this unit and one of its cases that has no
    // final result yet.
    if (unit != m_id) {
        *error = QStringLiteral("%1 for unit %2, but the worker runs unit %3")
                     .arg(protocol::messageTypeName(type))
                     .arg(unit)
                     .arg(m_id);
        return -1;
    }
    const int index = m_caseOfSelector.value(selector, -1);
    if (index < 0) {
        *error = QStringLiteral("%1 for case '%2', which is not in unit %3")
                     .arg(protocol::messageTypeName(type), selector)
                     .arg(unit);
        return -1;
    }
    if (m_cases.isDone(index)) {
        *error = QStringLiteral("%1 for case '%2', which already has a result")
                     .arg(protocol::messageTypeName(type), selector);
        return -1;
    }
    return index;
}

bool UnitRun::handleCaseStarted(const protocol::CaseStarted &started, QString *error)
{
    const int index = openCase(protocol::MessageType::CaseStarted, started.unit, started.selector, error);
    if (index < 0)
        return false;
    m_running = started.selector;
    m_cases.markStarted(index);
    // The worker batches its events: where it says when the case started,
    // that is closer than when the event arrived, and never later.
    const double arrived = m_clock.nsecsElapsed() / 1e9;
    m_startedAt.insert(index, started.at >= 0 ? qMin(started.at, arrived) : arrived);
    return true;
}

bool UnitRun::handleCaseOutput(const protocol::CaseOutput &output, QString *error)
{
    const int index = openCase(protocol::MessageType::CaseOutput, output.unit, output.selector, error);
    if (index < 0)
        return false;
    CaseResult &result = m_cases.state(index).result;
    QByteArray &sink = output.stream == 1 ? result.stdOut : result.stdErr;
    sink.append(output.data.left(int(qMax<qint64>(0, DaemonOutputCap - sink.size()))));
    return true;
}

bool UnitRun::handleCaseFinished(const protocol::CaseFinished &finished, QString *error)
{
    const int index = openCase(protocol::MessageType::CaseFinished, finished.unit, finished.selector, error);
    if (index < 0)
        return false;
    m_cases.markStarted(index);
    CaseResult result = m_cases.state(index).result; // keeps the output received so far
    result.status = finished.status;
    result.seconds = finished.seconds;
    result.message = finished.message;
    result.file = finished.file;
    result.line = finished.line;
    result.signal = finished.signal;
    result.reason = finished.reason;
    result.exitCode = finished.exitCode;
    if (result.status == Status::Timeout || result.status == Status::Crashed)
        m_abnormal = true;
    m_running.clear();
    m_reported.append(index);
    m_reportedSeconds += result.seconds;
    m_cases.finish(index, result);
    return true;
}

QVector<int> UnitRun::indicesOf(const QStringList &selectors, const QVector<int> &except) const
{
    QVector<int> indices;
    for (const QString &selector : selectors) {
        const int index = m_caseOfSelector.value(selector, -1);
        if (index >= 0 && !m_cases.isDone(index) && !except.contains(index) && !indices.contains(index))
            indices.append(index);
    }
    return indices;
}

bool UnitRun::handleUnitFinished(const protocol::UnitFinished &finished, QString *error)
{
    if (finished.unit != m_id) {
        *error = QStringLiteral("UnitFinished for unit %1, but the worker runs unit %2").arg(finished.unit).arg(m_id);
        return false;
    }
    m_endedAt = m_clock.nsecsElapsed() / 1e9;
    m_clean = finished.error.isEmpty() && !finished.stoppedEarly && !m_abnormal && finished.unreported.isEmpty()
        && finished.unconfirmed.isEmpty() && m_reported.size() == m_unit.cases.size();
    const QVector<int> again = m_cases.takeRepeats(m_unit.cases); // --repeat: finished, to run once more
    const QVector<int> unconfirmed = indicesOf(finished.unconfirmed, again);
    QVector<int> unreported = indicesOf(finished.unreported, again + unconfirmed);
    // A case the worker did not list as unreported but that has no result is
    // unreported all the same: nothing may be lost.
    for (int index : qAsConst(m_unit.cases)) {
        if (!m_cases.isDone(index) && !unreported.contains(index) && !again.contains(index)
            && !unconfirmed.contains(index))
            unreported.append(index);
    }
    std::sort(unreported.begin(), unreported.end());

    // The worker says whether the process stopped early (a signal, a
    // timeout, an exit code or output its framework does not end with).
    if (!finished.error.isEmpty()) {
        for (int index : qAsConst(unreported))
            m_cases.finishAs(index, Status::NotRun, finished.error);
    } else if (m_abnormal || finished.stoppedEarly) {
        // The process stopped early and a case was blamed for it; the others
        // deserve a run in a fresh process. A suspect (the worker could not
        // tell whether the death was its) runs alone, first.
        const int suspect = m_caseOfSelector.value(finished.suspect, -1);
        if (suspect >= 0 && unreported.contains(suspect)) {
            unreported.removeAll(suspect);
            retry(unreported);
            retry({suspect});
        } else {
            retry(unreported);
        }
    } else if (m_cases.stopping()) {
        // The process stopped at its first failure (--gtest_fail_fast, ...)
        // or another process failed first: these never ran.
        for (int index : qAsConst(unreported))
            m_cases.stop(index);
    } else {
        // The process ran to its normal end without reporting these cases:
        // a filter that matched nothing exits 0, and that must not pass.
        for (int index : qAsConst(unreported))
            m_cases.finishAs(index, Status::NotRun,
                QStringLiteral("ctestd: the case was requested but the test process reported no result for it (exit "
                               "code %1)")
                    .arg(finished.exitCode));
    }
    // Passes the exit status contradicted: first all again in one process,
    // whose clean exit confirms them at the cost of one run; if that exit
    // contradicts the stream again, each alone, judged by its own exit.
    if (!unconfirmed.isEmpty() && finished.error.isEmpty()) {
        if (m_cases.stopping()) {
            for (int index : unconfirmed)
                m_cases.stop(index,
                    QStringLiteral("ctestd: ran, but the run stopped (--stop-on-failure) before its result could be "
                                   "confirmed: its process exited failed, and %1 reports only on stdout")
                        .arg(m_unit.framework));
        } else if (m_unit.confirming || unconfirmed.size() == 1) {
            for (int index : unconfirmed)
                retry({index});
        } else {
            retry(unconfirmed, true);
        }
    }
    retry(again);
    return true;
}

void UnitRun::workerLost(const QString &reason, int interruptSignal, bool canRunAgain, bool blameless)
{
    if (blameless && interruptSignal == 0) {
        // A network is not a test: whatever ran there runs again, and with
        // no worker left the run reports it Not Run with `reason`.
        QVector<int> rest;
        for (int index : qAsConst(m_unit.cases)) {
            if (!m_cases.isDone(index))
                rest.append(index);
        }
        for (int index : m_cases.takeRepeats(m_unit.cases)) {
            if (!rest.contains(index))
                rest.append(index);
        }
        std::sort(rest.begin(), rest.end());
        return retry(rest);
    }
    int blamed = m_caseOfSelector.value(m_running, -1);
    if (blamed >= 0 && m_cases.isDone(blamed))
        blamed = -1;
    QVector<int> rest;
    for (int index : qAsConst(m_unit.cases)) {
        if (m_cases.isDone(index) || index == blamed)
            continue;
        if (blamed < 0 && !m_cases.state(index).repeatPending)
            blamed = index;
        else
            rest.append(index);
    }
    if (blamed >= 0 && !rest.isEmpty() && interruptSignal == 0 && canRunAgain) {
        // The worker's last word may not be the last thing that happened:
        // a case that kills the worker right after the next case's start
        // marker can die before the worker forwarded that marker. So a
        // lost worker blames no case that shared its process: the case it
        // last said was running runs again alone (first), where a loss is
        // its own, and the rest after it. A case with a result keeps it.
        // (With no worker left to run it, the last word is all there is.)
        retry({blamed});
        blamed = -1;
    }
    if (blamed >= 0) {
        m_cases.markStarted(blamed);
        CaseResult result = m_cases.state(blamed).result;
        result.status = Status::Crashed;
        result.seconds = (m_cases.elapsedMs() - m_cases.state(blamed).startedAtMs) / 1000.0;
        result.signal = interruptSignal; // 0: the worker died on its own
        result.message = interruptSignal != 0
            ? QStringLiteral("interrupted by signal %1 while running").arg(interruptSignal)
            : QStringLiteral("worker lost while running %1: %2").arg(m_cases.testCase(blamed).displayName, reason);
        m_cases.finish(blamed, result);
    }
    // Cases waiting for another --repeat run go again too (the blamed one
    // may have just become one of them).
    for (int index : m_cases.takeRepeats(m_unit.cases)) {
        if (!rest.contains(index))
            rest.append(index);
    }
    std::sort(rest.begin(), rest.end());
    retry(rest);
}

void UnitRun::retry(const QVector<int> &cases, bool confirming)
{
    if (!cases.isEmpty())
        m_retries.append({cases, confirming});
}

QVector<Retry> UnitRun::takeRetries()
{
    return std::exchange(m_retries, {});
}

QHash<QString, double> UnitRun::fixtureSeconds() const
{
    QHash<QString, double> fixtures;
    if (!m_clean || m_startedAt.size() != m_unit.cases.size())
        return fixtures;
    double previousEnd = 0; // the request
    const GroupKey *previousGroup = nullptr;
    for (int index : m_unit.cases) {
        const TestCase &testCase = m_cases.testCase(index);
        const double started = m_startedAt.value(index);
        if (!previousGroup || *previousGroup != testCase.group)
            fixtures[testCase.group.name] += qMax(0.0, started - previousEnd);
        previousGroup = &testCase.group;
        previousEnd = started + qMax(0.0, m_cases.state(index).result.seconds);
    }
    if (previousGroup)
        fixtures[previousGroup->name] += qMax(0.0, m_endedAt - previousEnd);
    return fixtures;
}

} // namespace ctestd
