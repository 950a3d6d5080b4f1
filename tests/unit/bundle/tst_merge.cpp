// SPDX-License-Identifier: BSD-3-Clause
// mergeRunRecords: runs of other suites are numbered anew; a case in two
// runs keeps both attempts and a failure is never hidden by a later pass;
// shards keep #K and are refused when they cannot make the whole run.
#include "bundle/merge.h"

#include <QtTest>

using namespace ctestd;

class TestMerge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void otherRunsAreNumberedAnew();
    void aFailureIsNeverHiddenByAPass();
    void shardsKeepTheirNumbers();
    void shardsThatCannotMakeTheWholeAreRefused();
};

namespace {

RunRecord run(const QString &executable, const QList<QPair<QString, Status>> &cases, double seconds = 1.0)
{
    RunRecord record;
    record.host = QStringLiteral("host-") + executable;
    record.end.wallSeconds = seconds;
    int number = 0;
    for (const auto &c : cases) {
        CaseOutcome outcome;
        outcome.testCase.index = ++number;
        outcome.testCase.executable = QStringLiteral("/b/") + executable;
        outcome.testCase.displayName = c.first;
        outcome.result.status = c.second;
        outcome.dispatched = true;
        record.end.cases.append(outcome);
        record.start.cases.append(outcome.testCase);
    }
    record.attempts.resize(record.end.cases.size());
    return record;
}

RunRecord shard(int index, int count, const QString &digest, int all, const QList<QPair<int, Status>> &cases)
{
    RunRecord record;
    record.start.shard = ShardStamp {index, count, digest, all};
    for (const auto &c : cases) {
        CaseOutcome outcome;
        outcome.testCase.index = c.first;
        outcome.testCase.displayName = QStringLiteral("T%1").arg(c.first);
        outcome.result.status = c.second;
        outcome.dispatched = true;
        record.end.cases.append(outcome);
    }
    record.attempts.resize(record.end.cases.size());
    return record;
}

QStringList names(const RunRecord &record)
{
    QStringList list;
    for (const CaseOutcome &outcome : record.end.cases)
        list.append(QStringLiteral("%1:%2:%3")
                        .arg(outcome.testCase.index)
                        .arg(outcome.testCase.displayName, statusName(outcome.result.status)));
    return list;
}

} // namespace

void TestMerge::otherRunsAreNumberedAnew()
{
    RunRecord merged;
    QString error;
    QVERIFY(mergeRunRecords({run(QStringLiteral("a"), {{QStringLiteral("A.One"), Status::Passed}}, 2.0),
                                run(QStringLiteral("b"), {{QStringLiteral("A.One"), Status::Failed}}, 3.0)},
        {QStringLiteral("a.tar"), QStringLiteral("b.tar")}, &merged, &error));
    // Same name, other program: two cases.
    QCOMPARE(names(merged), (QStringList {QStringLiteral("1:A.One:passed"), QStringLiteral("2:A.One:failed")}));
    QCOMPARE(merged.exitCode, 8);
    QCOMPARE(merged.end.wallSeconds, 3.0);
    QCOMPARE(merged.host, QStringLiteral("host-a, host-b"));
    QVERIFY(!merged.hasEvents);
}

void TestMerge::aFailureIsNeverHiddenByAPass()
{
    RunRecord merged;
    QString error;
    const RunRecord failed = run(QStringLiteral("a"), {{QStringLiteral("Flaky"), Status::Failed}});
    const RunRecord passed = run(QStringLiteral("a"), {{QStringLiteral("Flaky"), Status::Passed}});
    for (const QVector<RunRecord> &order : {QVector<RunRecord> {failed, passed}, QVector<RunRecord> {passed, failed}}) {
        QVERIFY(mergeRunRecords(order, {QStringLiteral("1"), QStringLiteral("2")}, &merged, &error));
        QCOMPARE(names(merged), QStringList {QStringLiteral("1:Flaky:failed")});
        QCOMPARE(merged.attempts.value(0).size(), 1); // the other attempt is kept
        QCOMPARE(merged.attempts[0][0].status, Status::Passed);
        QCOMPARE(merged.exitCode, 8);
    }
    // Two passes: passed, both attempts shown.
    QVERIFY(mergeRunRecords({passed, passed}, {QStringLiteral("1"), QStringLiteral("2")}, &merged, &error));
    QCOMPARE(names(merged), QStringList {QStringLiteral("1:Flaky:passed")});
    QCOMPARE(merged.attempts.value(0).size(), 1);
    QCOMPARE(merged.exitCode, 0);
}

void TestMerge::shardsKeepTheirNumbers()
{
    RunRecord merged;
    QString error;
    QVERIFY2(mergeRunRecords({shard(1, 2, QStringLiteral("d"), 4, {{2, Status::Passed}, {4, Status::Passed}}),
                                 shard(0, 2, QStringLiteral("d"), 4, {{1, Status::Passed}, {3, Status::Timeout}})},
                 {QStringLiteral("s2"), QStringLiteral("s1")}, &merged, &error),
        qPrintable(error));
    QCOMPARE(names(merged),
        (QStringList {QStringLiteral("1:T1:passed"), QStringLiteral("2:T2:passed"), QStringLiteral("3:T3:timeout"),
            QStringLiteral("4:T4:passed")}));
    QVERIFY(!merged.start.shard); // the whole run now
    QCOMPARE(merged.exitCode, 8);
    // One shard alone is shown as it is.
    QVERIFY(mergeRunRecords(
        {shard(1, 2, QStringLiteral("d"), 4, {{2, Status::Passed}})}, {QStringLiteral("s2")}, &merged, &error));
    QCOMPARE(merged.start.shard->index, 1);
}

void TestMerge::shardsThatCannotMakeTheWholeAreRefused()
{
    RunRecord merged;
    QString error;
    const RunRecord first = shard(0, 3, QStringLiteral("d"), 3, {{1, Status::Passed}});
    const RunRecord second = shard(1, 3, QStringLiteral("d"), 3, {{2, Status::Passed}});
    const RunRecord third = shard(2, 3, QStringLiteral("d"), 3, {{3, Status::Passed}});
    QVERIFY(!mergeRunRecords({first, third}, {QStringLiteral("a"), QStringLiteral("c")}, &merged, &error));
    QCOMPARE(error, QStringLiteral("shard 2/3 of the run is missing: its tests would go unreported"));
    QVERIFY(mergeRunRecords({first}, {QStringLiteral("a")}, &merged, &error)); // alone: shown as it is
    QVERIFY(!mergeRunRecords({second, first}, {QStringLiteral("b"), QStringLiteral("a")}, &merged, &error));
    QCOMPARE(error, QStringLiteral("shard 3/3 of the run is missing: its tests would go unreported"));
    const RunRecord otherCosts = shard(1, 3, QStringLiteral("e"), 3, {{2, Status::Passed}});
    QVERIFY(!mergeRunRecords(
        {first, otherCosts, third}, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, &merged, &error));
    QVERIFY2(error.startsWith(QStringLiteral("a (shard 1/3) and b (shard 2/3) were not split from the same tests")),
        qPrintable(error));
    // A case dropped from every shard: the digests agree, the count does not.
    const RunRecord lost = shard(2, 3, QStringLiteral("d"), 3, {});
    QVERIFY(!mergeRunRecords(
        {first, second, lost}, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, &merged, &error));
    QCOMPARE(error, QStringLiteral("the shards hold 2 of the run's 3 tests: the run cannot be reported whole"));
    QVERIFY(!mergeRunRecords(
        {first, run(QStringLiteral("x"), {})}, {QStringLiteral("a"), QStringLiteral("x")}, &merged, &error));
    QCOMPARE(error, QStringLiteral("x is a whole run, but a is shard 1/3 of one: merge the shards of one run only"));
    QVERIFY(mergeRunRecords(
        {first, second, third}, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, &merged, &error));
}

QTEST_GUILESS_MAIN(TestMerge)
#include "tst_merge.moc"
