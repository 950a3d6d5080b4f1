// SPDX-License-Identifier: BSD-3-Clause
#include "runlistener.h"

#include <algorithm>

namespace ctestd {

QVector<TestCase> RunEnd::reportedCases() const
{
    QVector<TestCase> reported;
    for (const CaseOutcome &outcome : cases) {
        if (!outcome.leftOut)
            reported.append(outcome.testCase);
    }
    return reported;
}

QVector<CaseResult> RunEnd::reportedResults() const
{
    QVector<CaseResult> reported;
    for (const CaseOutcome &outcome : cases) {
        if (!outcome.leftOut)
            reported.append(outcome.result);
    }
    return reported;
}

int RunEnd::reportedCount() const
{
    return int(std::count_if(cases.begin(), cases.end(), [](const CaseOutcome &outcome) { return !outcome.leftOut; }));
}

int ctestExitCode(const QVector<CaseResult> &results)
{
    const bool failed = std::any_of(
        results.cbegin(), results.cend(), [](const CaseResult &result) { return isFailure(result.status); });
    return failed ? 8 : 0;
}

bool RunListeners::ready(const RunStart &run, QString *error)
{
    for (const auto &listener : m_listeners) {
        if (!listener->ready(run, error))
            return false;
    }
    return true;
}

void RunListeners::runStarted(const RunStart &run)
{
    for (const auto &listener : m_listeners)
        listener->runStarted(run);
}

void RunListeners::caseStarted(const TestCase &testCase)
{
    for (const auto &listener : m_listeners)
        listener->caseStarted(testCase);
}

void RunListeners::attemptFinished(const TestCase &testCase, const CaseResult &result, bool again)
{
    for (const auto &listener : m_listeners)
        listener->attemptFinished(testCase, result, again);
}

void RunListeners::caseFinished(const TestCase &testCase, const CaseResult &result)
{
    for (const auto &listener : m_listeners)
        listener->caseFinished(testCase, result);
}

int RunListeners::runFinished(const RunEnd &end, int exitCode)
{
    for (const auto &listener : m_listeners)
        exitCode = listener->runFinished(end, exitCode);
    return exitCode;
}

} // namespace ctestd
