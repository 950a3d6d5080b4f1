// SPDX-License-Identifier: BSD-3-Clause
// --shard I/N: the parts are whole fixture groups and dependency chains,
// every case in exactly one shard, the split the same every time, and the
// work balanced longest first.
#include "runner/sharding.h"

#include <QtTest>

using namespace ctestd;

class TestSharding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void environment();
    void everyCaseOnceGroupsWhole_data();
    void everyCaseOnceGroupsWhole();
    void balancesByCost();
    void digestNamesTheInputs();
};

void TestSharding::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("count");
    QTest::newRow("1/1") << QStringLiteral("1/1") << true << 0 << 1;
    QTest::newRow("3/7") << QStringLiteral("3/7") << true << 2 << 7;
    QTest::newRow("0/2") << QStringLiteral("0/2") << false << 0 << 0;
    QTest::newRow("3/2") << QStringLiteral("3/2") << false << 0 << 0;
    QTest::newRow("1/0") << QStringLiteral("1/0") << false << 0 << 0;
    QTest::newRow("a/b") << QStringLiteral("a/b") << false << 0 << 0;
    QTest::newRow("1 of 2") << QStringLiteral("1 of 2") << false << 0 << 0;
}

void TestSharding::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, index);
    QFETCH(int, count);
    Shard shard;
    QString error;
    QCOMPARE(parseShard(text, &shard, &error), ok);
    if (ok) {
        QCOMPARE(shard.index, index);
        QCOMPARE(shard.count, count);
    } else {
        QCOMPARE(error, QStringLiteral("--shard: expected I/N with 1 <= I <= N, got '%1'").arg(text));
    }
}

void TestSharding::environment()
{
    QProcessEnvironment environment;
    std::optional<Shard> shard;
    QString error;
    QVERIFY(shardFromEnvironment(environment, &shard, &error));
    QVERIFY(!shard);
    environment.insert(QStringLiteral("GTEST_TOTAL_SHARDS"), QStringLiteral("4"));
    environment.insert(QStringLiteral("GTEST_SHARD_INDEX"), QStringLiteral("0")); // gtest counts from 0
    QVERIFY(shardFromEnvironment(environment, &shard, &error));
    QVERIFY(shard && shard->index == 0 && shard->count == 4);
    environment.insert(QStringLiteral("GTEST_SHARD_INDEX"), QStringLiteral("4"));
    QVERIFY(!shardFromEnvironment(environment, &shard, &error));
    QCOMPARE(error,
        QStringLiteral("GTEST_TOTAL_SHARDS='4' and GTEST_SHARD_INDEX='4' do not name a shard (0 <= index "
                       "< total)"));
    environment.remove(QStringLiteral("GTEST_SHARD_INDEX")); // one without the other
    QVERIFY(!shardFromEnvironment(environment, &shard, &error));
}

namespace {
// 40 cases: ten groups of 1 to 5 cases, four cases chained by DEPENDS
// across groups, and a few cases in no group (disabled, settled).
void suite(QVector<TestCase> *cases, QVector<Unit> *units)
{
    int next = 0;
    for (int g = 0; g < 10; ++g) {
        Unit unit;
        for (int c = 0; c <= g % 5; ++c) {
            TestCase testCase;
            testCase.index = next + 1;
            cases->append(testCase);
            unit.cases.append(next++);
        }
        units->append(unit);
    }
    while (next < 40) {
        TestCase testCase;
        testCase.index = next + 1;
        cases->append(testCase);
        Unit alone;
        alone.cases = {next++};
        if (next % 4 != 0) // every fourth one in no unit
            units->append(alone);
    }
    (*cases)[37].dependsOn = {0}; // joins group 0
    (*cases)[38].dependsOn = {37};
    (*cases)[2].dependsOn = {39}; // group 1 needs case 39
}
} // namespace

void TestSharding::everyCaseOnceGroupsWhole_data()
{
    QTest::addColumn<int>("count");
    for (int n : {1, 2, 3, 7})
        QTest::newRow(qPrintable(QStringLiteral("N=%1").arg(n))) << n;
}

void TestSharding::everyCaseOnceGroupsWhole()
{
    QFETCH(int, count);
    QVector<TestCase> cases;
    QVector<Unit> units;
    suite(&cases, &units);
    QVector<int> shardOf(cases.size(), -1);
    for (int s = 0; s < count; ++s) {
        const QVector<bool> mine = casesInShard(cases, units, Shard {s, count});
        QCOMPARE(mine, casesInShard(cases, units, Shard {s, count})); // the same every time
        for (int i = 0; i < cases.size(); ++i) {
            if (!mine[i])
                continue;
            QVERIFY2(shardOf[i] < 0,
                qPrintable(QStringLiteral("case %1 in shards %2 and %3").arg(i).arg(shardOf[i]).arg(s)));
            shardOf[i] = s;
        }
    }
    QVERIFY(!shardOf.contains(-1)); // and every case somewhere
    for (const Unit &unit : qAsConst(units)) {
        for (int i : unit.cases)
            QCOMPARE(shardOf[i], shardOf[unit.cases.first()]);
    }
    QCOMPARE(shardOf[37], shardOf[0]);
    QCOMPARE(shardOf[38], shardOf[0]);
    QCOMPARE(shardOf[39], shardOf[2]);
}

void TestSharding::balancesByCost()
{
    // Costs 7, 5, 4, 3, 1, longest first, each to the lighter shard:
    // 7 -> A; 5 -> B; 4 -> B (5 < 7, now 9); 3 -> A (7 < 9, now 10);
    // 1 -> B (9 < 10). A = {7, 3}, B = {5, 4, 1}.
    QVector<TestCase> cases(5);
    const double costs[] = {4, 7, 1, 5, 3};
    QVector<Unit> units;
    for (int i = 0; i < 5; ++i) {
        cases[i].index = i + 1;
        cases[i].cost = costs[i];
        Unit unit;
        unit.cases = {i};
        units.append(unit);
    }
    const QVector<bool> first = casesInShard(cases, units, Shard {0, 2});
    QCOMPARE(first, (QVector<bool> {false, true, false, false, true})); // 7 + 3
    const QVector<bool> second = casesInShard(cases, units, Shard {1, 2});
    QCOMPARE(second, (QVector<bool> {true, false, true, true, false})); // 5 + 4 + 1
}

void TestSharding::digestNamesTheInputs()
{
    QVector<TestCase> cases;
    QVector<Unit> units;
    suite(&cases, &units);
    for (TestCase &testCase : cases)
        testCase.executable = QStringLiteral("/builds/a/tests");
    const QString digest = shardDigest(cases, units);
    QCOMPARE(digest.size(), 64);
    // The same inputs in another checkout folder: the same digest.
    QVector<TestCase> moved = cases;
    for (TestCase &testCase : moved)
        testCase.executable = QStringLiteral("/builds/b/tests");
    QCOMPARE(shardDigest(moved, units), digest);
    // Another cost file, another test, other groups or dependencies: another digest.
    QVector<TestCase> costed = cases;
    costed[5].cost = 0.5;
    QVERIFY(shardDigest(costed, units) != digest);
    QVector<TestCase> more = cases;
    more.append(TestCase {});
    QVERIFY(shardDigest(more, units) != digest);
    QVector<Unit> regrouped = units;
    regrouped[1].cases.append(regrouped[2].cases.takeFirst());
    QVERIFY(shardDigest(cases, regrouped) != digest);
    QVector<TestCase> rewired = cases;
    rewired[38].dependsOn = {36};
    QVERIFY(shardDigest(rewired, units) != digest);
}

QTEST_GUILESS_MAIN(TestSharding)
#include "tst_sharding.moc"
