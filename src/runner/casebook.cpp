// SPDX-License-Identifier: BSD-3-Clause
#include "casebook.h"

#include <QDateTime>

namespace ctestd {

bool CaseState::runsAgain(const ctest::RepeatMode &repeat, Status status)
{
    if (repeat.kind == ctest::RepeatMode::None || !dispatched)
        return false;
    if (++attempts >= repeat.count)
        return false;
    switch (repeat.kind) {
    case ctest::RepeatMode::UntilFail:
        return status == Status::Passed; // a skip is no pass to repeat
    case ctest::RepeatMode::UntilPass:
        return isFailure(status);
    case ctest::RepeatMode::AfterTimeout:
        return status == Status::Timeout;
    case ctest::RepeatMode::None:
        break;
    }
    return false;
}

CaseBook::CaseBook(RunListener &listeners, const ctest::RepeatMode &repeat)
    : m_listeners(listeners)
    , m_repeat(repeat)
{ }

void CaseBook::setCases(const QVector<TestCase> &cases)
{
    m_cases = cases;
    m_states.fill(CaseState(), cases.size());
    m_remaining = int(cases.size());
}

QVector<bool> CaseBook::doneFlags() const
{
    QVector<bool> done(m_states.size());
    for (int i = 0; i < m_states.size(); ++i)
        done[i] = m_states[i].done;
    return done;
}

void CaseBook::markStarted(int index)
{
    CaseState &state = m_states[index];
    if (state.started)
        return;
    state.started = true;
    state.startedAtMs = m_clock.elapsed();
    m_listeners.caseStarted(m_cases[index]);
}

void CaseBook::finish(int index, const CaseResult &result)
{
    CaseState &state = m_states[index];
    if (state.done)
        return;
    const bool again = state.runsAgain(m_repeat, result.status);
    if (state.dispatched)
        m_listeners.attemptFinished(m_cases[index], result, again);
    if (again) {
        state.result = CaseResult();
        state.started = false;
        state.repeatPending = true;
        return;
    }
    state.result = result;
    state.done = true;
    --m_remaining;
    m_listeners.caseFinished(m_cases[index], result);
    if (m_stop && isFailure(result.status) && m_stopCause.isEmpty()) {
        m_stopCause = m_cases[index].displayName;
        m_stop();
    }
}

void CaseBook::finishAs(int index, Status status, const QString &message)
{
    CaseResult result = m_states[index].result;
    result.status = status;
    result.message = message;
    finish(index, result);
}

void CaseBook::stop(int index, const QString &message)
{
    if (m_states[index].done)
        return;
    m_states[index].repeatPending = false;
    CaseResult result;
    result.status = Status::Stopped;
    result.message = !message.isEmpty()
        ? message
        : QStringLiteral("ctestd: not run: the run stopped after %1 failed (--stop-on-failure)")
              .arg(m_stopCause.isEmpty() ? QStringLiteral("a test") : m_stopCause);
    finish(index, result);
}

void CaseBook::leaveOut(int index)
{
    CaseState &state = m_states[index];
    if (state.done)
        return;
    state.leftOut = true;
    state.done = true;
    state.repeatPending = false;
    --m_remaining;
}

QVector<int> CaseBook::takeRepeats(const QVector<int> &cases)
{
    QVector<int> again;
    for (int index : cases) {
        if (m_states[index].repeatPending) {
            m_states[index].repeatPending = false;
            again.append(index);
        }
    }
    return again;
}

RunEnd CaseBook::end() const
{
    RunEnd end;
    end.wallSeconds = m_clock.elapsed() / 1000.0;
    end.finished = QDateTime::currentDateTime();
    for (int i = 0; i < m_cases.size(); ++i)
        end.cases.append({m_cases[i], m_states[i].result, m_states[i].dispatched, m_states[i].leftOut});
    return end;
}

} // namespace ctestd
