// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "ctest/selection.h"
#include "model/runlistener.h"
#include "model/testmodel.h"

#include <QElapsedTimer>
#include <QString>
#include <QVector>

#include <functional>

namespace ctestd {

// How far one case of a run got (CMake's cmCTestRunTest keeps the same for
// a test): the case itself is in CaseBook::cases().
struct CaseState {
    CaseResult result; // final once `done`; until then what its current run sent
    bool started = false; // its Start line is out
    bool done = false; // has its final result (or was left out)
    bool dispatched = false; // sent to a worker at least once
    bool leftOut = false; // not part of this run after all: in no report
    bool repeatPending = false; // finished an attempt; runs again when its unit is done
    qint64 startedAtMs = 0; // on the run's clock, for a case whose worker dies
    int attempts = 0; // runs so far, for --repeat

    // --repeat: counts the run that just ended with `status` and says
    // whether the case runs once more. It applies to runs, not to a case
    // that could not start.
    bool runsAgain(const ctest::RepeatMode &repeat, Status status);
};

// Every case of a run with its state, and the one way a case's state
// changes: it starts, an attempt ends (final, or --repeat runs it again),
// it is stopped or left out. Each change reaches the run's listeners.
class CaseBook {
public:
    CaseBook(RunListener &listeners, const ctest::RepeatMode &repeat);

    void setCases(const QVector<TestCase> &cases);
    QVector<TestCase> &cases() { return m_cases; }
    const QVector<TestCase> &cases() const { return m_cases; }
    const TestCase &testCase(int index) const { return m_cases[index]; }
    CaseState &state(int index) { return m_states[index]; }
    const CaseState &state(int index) const { return m_states[index]; }
    // An index out of range (a dependency on no case) counts as done.
    bool isDone(int index) const { return index < 0 || index >= m_states.size() || m_states[index].done; }
    QVector<bool> doneFlags() const;
    int remaining() const { return m_remaining; }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

    void startClock() { m_clock.start(); }
    // --stop-on-failure: `stop` runs at the first final failure.
    void setStopOnFailure(std::function<void()> stop) { m_stop = std::move(stop); }
    // The first case that failed under --stop-on-failure; empty before.
    const QString &stopCause() const { return m_stopCause; }
    bool stopping() const { return !m_stopCause.isEmpty(); }

    void markStarted(int index);
    // An attempt of the case ended with `result`: its final result, unless
    // --repeat runs it again.
    void finish(int index, const CaseResult &result);
    // The case's result so far with `status` and `message` as an attempt's
    // (its output stays; its Start line is the caller's business).
    void finishAs(int index, Status status, const QString &message);
    // --stop-on-failure: never started (or its result unconfirmed).
    void stop(int index, const QString &message = QString());
    // Not part of this run: no event, no report.
    void leaveOut(int index);
    // The cases of `cases` that wait for another --repeat run, no longer waiting.
    QVector<int> takeRepeats(const QVector<int> &cases);

    RunEnd end() const;

private:
    RunListener &m_listeners;
    ctest::RepeatMode m_repeat;
    std::function<void()> m_stop;
    QElapsedTimer m_clock;
    QVector<TestCase> m_cases;
    QVector<CaseState> m_states;
    QString m_stopCause;
    int m_remaining = 0;
};

} // namespace ctestd
