// SPDX-License-Identifier: BSD-3-Clause
// When a unit may start: dependencies, resource locks, RUN_SERIAL, PROCESSORS.
#include "runner/caseloader.h"
#include "runner/scheduler.h"

#include <QtTest>

using namespace ctestd;

class TestScheduler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void queueOrder();
    void waitsForDependencies();
    void resourceLocksExclude();
    void runSerialRunsAlone();
    void processorsFitIntoJobs();
    void requeueGoesFirst();
    void dependencyCycles();
};

// Case i is done when done[i] says so (an unknown case counts as done).
static Scheduler::CaseDone doneIn(const QVector<bool> &done)
{
    return [&done](int index) { return done.value(index, true); };
}

static Unit unit(int firstCase)
{
    Unit u;
    u.cases = {firstCase};
    return u;
}

void TestScheduler::queueOrder()
{
    Scheduler scheduler(4);
    scheduler.enqueue({unit(0), unit(1), unit(2)});
    const QVector<bool> done(3, false);
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {0});
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {1});
    QCOMPARE(scheduler.queuedCount(), 1);
}

void TestScheduler::waitsForDependencies()
{
    Scheduler scheduler(4);
    Unit dependent = unit(1);
    dependent.dependsOn = {0};
    scheduler.enqueue({dependent, unit(0)});
    QVector<bool> done(2, false);
    // The dependent one is first in line but must let the other overtake.
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {0});
    QVERIFY(!scheduler.takeReady(doneIn(done)));
    done[0] = true;
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {1});
}

void TestScheduler::resourceLocksExclude()
{
    Scheduler scheduler(4);
    Unit a = unit(0), b = unit(1), c = unit(2);
    a.resourceLocks = QStringList {QStringLiteral("db")};
    b.resourceLocks = QStringList {QStringLiteral("db")};
    scheduler.enqueue({a, b, c});
    const QVector<bool> done(3, false);
    const std::optional<Unit> first = scheduler.takeReady(doneIn(done));
    scheduler.started(1, *first);
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {2}); // b waits for the lock
    QVERIFY(!scheduler.takeReady(doneIn(done)));
    scheduler.finished(1);
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {1});
}

void TestScheduler::runSerialRunsAlone()
{
    Scheduler scheduler(4);
    Unit serial = unit(1);
    serial.runSerial = true;
    scheduler.enqueue({unit(0), serial, unit(2)});
    const QVector<bool> done(3, false);
    scheduler.started(1, *scheduler.takeReady(doneIn(done)));
    // The serial unit waits for unit 0, and nothing behind it overtakes it.
    QVERIFY(!scheduler.takeReady(doneIn(done)));
    scheduler.finished(1);
    const std::optional<Unit> next = scheduler.takeReady(doneIn(done));
    QCOMPARE(next->cases, QVector<int> {1});
    scheduler.started(2, *next);
    QVERIFY(!scheduler.takeReady(doneIn(done))); // and nothing runs beside it
    scheduler.finished(2);
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {2});
}

void TestScheduler::processorsFitIntoJobs()
{
    Scheduler scheduler(2);
    Unit wide = unit(0);
    wide.processors = 3; // more than -j: runs, but alone
    Unit two = unit(1);
    two.processors = 2;
    scheduler.enqueue({wide, two, unit(2)});
    const QVector<bool> done(3, false);
    scheduler.started(1, *scheduler.takeReady(doneIn(done)));
    QVERIFY(!scheduler.takeReady(doneIn(done)));
    scheduler.finished(1);
    scheduler.started(2, *scheduler.takeReady(doneIn(done)));
    QVERIFY(!scheduler.takeReady(doneIn(done))); // 2 of 2 slots busy
    scheduler.finished(2);
    QCOMPARE(scheduler.takeReady(doneIn(done))->cases, QVector<int> {2});
}

void TestScheduler::requeueGoesFirst()
{
    Scheduler scheduler(1);
    scheduler.enqueue({unit(0), unit(1)});
    scheduler.requeueFront(unit(7));
    QCOMPARE(scheduler.takeReady([](int) { return false; })->cases, QVector<int> {7});
    QCOMPARE(scheduler.takeAll().size(), 2);
    QVERIFY(!scheduler.hasQueued());
}

void TestScheduler::dependencyCycles()
{
    QVector<TestCase> cases(4);
    QCOMPARE(firstInCycle(cases), -1);
    cases[3].dependsOn = {0};
    cases[0].dependsOn = {1};
    QCOMPARE(firstInCycle(cases), -1); // a chain is no cycle
    cases[2].dependsOn = {1};
    cases[1].dependsOn = {2};
    QCOMPARE(firstInCycle(cases), 1); // 0 leads into the loop but is not on it
    cases[1].dependsOn = {1};
    cases[2].dependsOn.clear();
    QCOMPARE(firstInCycle(cases), 1); // depending on oneself
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
