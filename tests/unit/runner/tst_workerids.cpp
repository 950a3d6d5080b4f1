// SPDX-License-Identifier: BSD-3-Clause
// WorkerIds: CTESTD_WORKER_ID and CTESTD_WORKER_COUNT.
#include "runner/workerids.h"

#include <QtTest>

using namespace ctestd;

class TestWorkerIds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lowestFreeFirst();
    void countCoversIdsOut();
};

void TestWorkerIds::lowestFreeFirst()
{
    WorkerIds ids;
    ids.plan(3);
    QCOMPARE(ids.take(), 0);
    QCOMPARE(ids.take(), 1);
    QCOMPARE(ids.take(), 2);
    // Worker 1 is lost: its replacement is worker 1.
    ids.release(1);
    QCOMPARE(ids.take(), 1);
    ids.release(2);
    ids.release(0);
    QCOMPARE(ids.take(), 0);
    QCOMPARE(ids.take(), 2);
    QCOMPARE(ids.count(), 3);
}

void TestWorkerIds::countCoversIdsOut()
{
    WorkerIds ids;
    ids.plan(1);
    QCOMPARE(ids.count(), 1);
    QCOMPARE(ids.take(), 0);
    // A worker started by hand beyond the plan.
    QCOMPARE(ids.take(), 1);
    QCOMPARE(ids.count(), 2);
    ids.plan(2);
    QCOMPARE(ids.count(), 3);
}

QTEST_GUILESS_MAIN(TestWorkerIds)
#include "tst_workerids.moc"
