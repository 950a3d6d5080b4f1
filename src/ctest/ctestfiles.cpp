// SPDX-License-Identifier: BSD-3-Clause
#include "ctestfiles.h"

#include <QHash>
#include <QIODevice>
#include <QSet>

namespace ctestd::ctest {

namespace {
RunRecord recordOf(const TestCase &testCase, Status status, double seconds)
{
    RunRecord record;
    record.index = testCase.index;
    record.name = testCase.displayName;
    record.status = status;
    record.seconds = seconds;
    record.costProperty = float(testCase.cost);
    return record;
}
} // namespace

CTestFiles::CTestFiles(const QString &buildTree, bool parallel, QIODevice *err, const QString &tag)
    : m_buildTree(buildTree)
    , m_parallel(parallel)
    , m_err(err)
    , m_tag(tag)
{ }

void CTestFiles::load(QVector<TestCase> &cases)
{
    QString error;
    if (!readCostData(costDataPath(m_buildTree), &m_before, &error)) {
        m_err->write(QStringLiteral("ctestd: warning: %1\n").arg(error).toUtf8());
        return;
    }
    QHash<QString, float> costs;
    for (const CostEntry &entry : qAsConst(m_before.entries))
        costs.insert(entry.name, entry.cost); // the last line of a name wins, as in ctest
    const QSet<QString> failed(m_before.failed.cbegin(), m_before.failed.cend());
    for (TestCase &testCase : cases) {
        if (costs.contains(testCase.displayName))
            testCase.cost = double(costs.value(testCase.displayName));
        testCase.failedLastTime = failed.contains(testCase.displayName);
    }
}

void CTestFiles::attemptFinished(const TestCase &testCase, const CaseResult &result, bool again)
{
    Q_UNUSED(again) // CTestCostData.txt counts every run, --repeat attempts included
    m_runs.append(recordOf(testCase, result.status, result.seconds));
}

int CTestFiles::runFinished(const RunEnd &end, int exitCode)
{
    QVector<RunRecord> records = m_runs;
    QVector<FailedTest> failed;
    for (const CaseOutcome &outcome : end.cases) {
        if (!outcome.dispatched) {
            // Selected but never run (not started, disabled, stopped early):
            // ctest still lists it, with its runs and cost unchanged.
            records.append(recordOf(outcome.testCase, outcome.leftOut ? Status::Disabled : outcome.result.status, 0.0));
        }
        if (!outcome.leftOut && isFailure(outcome.result.status))
            failed.append({outcome.testCase.index, outcome.testCase.displayName});
    }
    QString error;
    if (!writeCostData(costDataPath(m_buildTree), updated(m_before, records, m_parallel), &error)
        || !updateLastTestsFailed(lastTestsFailedPath(m_buildTree, m_tag), failed, &error))
        m_err->write(QStringLiteral("ctestd: warning: %1\n").arg(error).toUtf8());
    return exitCode;
}

} // namespace ctestd::ctest
