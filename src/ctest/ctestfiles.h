// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "costdata.h"
#include "model/runlistener.h"

#include <QString>
#include <QVector>

class QIODevice;

namespace ctestd::ctest {

// A build tree's Testing/Temporary/CTestCostData.txt and LastTestsFailed.log
// as ctest keeps them: read before the run (costs and last failures order
// the schedule), rewritten after it from every run of every case.
class CTestFiles final : public RunListener {
public:
    // `parallel`: -j > 1, which makes ctest keep the file's costs. `tag`:
    // -T's, which names the failed-tests log.
    CTestFiles(const QString &buildTree, bool parallel, QIODevice *err, const QString &tag = QString());

    // Sets each case's cost and failedLastTime from the tree's cost data. A
    // file that cannot be read is a warning: the run goes on without it.
    void load(QVector<TestCase> &cases);

    void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again) override;
    int runFinished(const RunEnd &end, int exitCode) override;

private:
    QString m_buildTree;
    bool m_parallel;
    QIODevice *m_err;
    QString m_tag;
    CostData m_before; // as read before the run
    QVector<RunRecord> m_runs; // every finished run, in completion order
};

} // namespace ctestd::ctest
