// SPDX-License-Identifier: BSD-3-Clause
// Fixture grouping (nose2's _flatten for C++): which cases share a process,
// and in what order units are handed out.
#include "frameworks/adapter.h"
#include "runner/grouping.h"

#include <QtTest>

using namespace ctestd;

class TestGrouping : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void suitesNeverSplit();
    void byCase();
    void byExecutable();
    void executablesNeverShare();
    void disabledAndDoneCasesAreLeftOut();
    void biggestFirstThenRegistrationOrder();
    void failuresFirstThenCost();
    void serialOrderIsCtests();
    void plainTestsRunAlone();
    void differentLaunchesNeverShare();
    void constraintsAreTheUnion();
    void packsSmallGroups();
    void packingKeepsIsolationAndConstraints();
    void names();
};

static TestCase gtestCase(const QString &executable, const QString &suite, const QString &name)
{
    TestCase testCase;
    testCase.executable = executable;
    testCase.suite = suite;
    testCase.name = name;
    testCase.selector = suite + QLatin1Char('.') + name;
    testCase.displayName = testCase.selector;
    testCase.framework = QStringLiteral("gtest");
    return testCase;
}

static QVector<QVector<int>> casesOf(const QVector<Unit> &units)
{
    QVector<QVector<int>> result;
    for (const Unit &unit : units)
        result.append(unit.cases);
    return result;
}

void TestGrouping::suitesNeverSplit()
{
    QVector<TestCase> cases {gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("x")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("B"), QStringLiteral("x")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("y")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("Typed/0"), QStringLiteral("z")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("Typed/1"), QStringLiteral("z"))};
    const QVector<Unit> units = groupIntoUnits(cases, {}, GroupBy::Suite);
    QCOMPARE(casesOf(units), (QVector<QVector<int>> {{0, 2}, {1}, {3}, {4}}));
    QCOMPARE(units[0].executable, QStringLiteral("/t"));
    QCOMPARE(cases[0].group, cases[2].group);
    QVERIFY(cases[0].group != cases[1].group);
    // Each typed instantiation is its own gtest suite with its own fixture.
    QVERIFY(cases[3].group != cases[4].group);
}

void TestGrouping::byCase()
{
    QVector<TestCase> cases {gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("x")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("y"))};
    QCOMPARE(casesOf(groupIntoUnits(cases, {}, GroupBy::Case)), (QVector<QVector<int>> {{0}, {1}}));
}

void TestGrouping::byExecutable()
{
    QVector<TestCase> cases {gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("x")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("B"), QStringLiteral("y")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("C"), QStringLiteral("z"))};
    QCOMPARE(casesOf(groupIntoUnits(cases, {}, GroupBy::Executable)), (QVector<QVector<int>> {{0, 1, 2}}));
}

void TestGrouping::executablesNeverShare()
{
    QVector<TestCase> cases {gtestCase(QStringLiteral("/one"), QStringLiteral("A"), QStringLiteral("x")),
        gtestCase(QStringLiteral("/two"), QStringLiteral("A"), QStringLiteral("x"))};
    for (GroupBy groupBy : {GroupBy::Suite, GroupBy::Executable}) {
        const QVector<Unit> units = groupIntoUnits(cases, {}, groupBy);
        QCOMPARE(units.size(), 2);
        QCOMPARE(units[0].executable, QStringLiteral("/one"));
        QCOMPARE(units[1].executable, QStringLiteral("/two"));
    }
}

void TestGrouping::disabledAndDoneCasesAreLeftOut()
{
    QVector<TestCase> cases {gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("x")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("DISABLED_y")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("z")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("B"), QStringLiteral("w"))};
    cases[1].disabled = true;
    const QVector<bool> done {false, false, false, true};
    QCOMPARE(casesOf(groupIntoUnits(cases, done, GroupBy::Suite)), (QVector<QVector<int>> {{0, 2}}));
    QVERIFY(cases[1].group.isEmpty());
}

void TestGrouping::biggestFirstThenRegistrationOrder()
{
    QVector<TestCase> cases;
    const QStringList suites {QStringLiteral("S1"), QStringLiteral("Big"), QStringLiteral("S2"), QStringLiteral("Big"),
        QStringLiteral("S3"), QStringLiteral("Big")};
    for (int i = 0; i < suites.size(); ++i)
        cases.append(gtestCase(QStringLiteral("/t"), suites[i], QStringLiteral("c%1").arg(i)));
    QVector<Unit> units = groupIntoUnits(cases, {}, GroupBy::Suite);
    QCOMPARE(casesOf(units), (QVector<QVector<int>> {{0}, {1, 3, 5}, {2}, {4}})); // registration order
    sortUnits(units);
    QCOMPARE(casesOf(units), (QVector<QVector<int>> {{1, 3, 5}, {0}, {2}, {4}}));
}

void TestGrouping::failuresFirstThenCost()
{
    QVector<Unit> units(4);
    for (int i = 0; i < units.size(); ++i)
        units[i].cases = {i};
    units[1].cost = 5;
    units[2].cost = 9;
    units[3].failedLastTime = true;
    sortUnits(units);
    QCOMPARE(casesOf(units), (QVector<QVector<int>> {{3}, {2}, {1}, {0}}));
}

void TestGrouping::serialOrderIsCtests()
{
    // ctest -j1 ignores costs and last failures: #K order, each unit after
    // the not yet placed units it depends on (transitively), in #K order.
    QVector<Unit> units(6);
    for (int i = 0; i < units.size(); ++i)
        units[i].cases = {i};
    units[0].cases = {0, 6}; // a group: its first case places it
    std::reverse(units.begin(), units.end());
    units[4].cost = 100; // case 1: costly, failed last time, still in its place
    units[4].failedLastTime = true;
    units[3].dependsOn = {5}; // case 2 needs case 5, which needs case 4
    units[0].dependsOn = {4};
    sortUnitsSerially(units);
    QCOMPARE(casesOf(units), (QVector<QVector<int>> {{0, 6}, {1}, {4}, {5}, {2}, {3}}));
}

void TestGrouping::plainTestsRunAlone()
{
    QVector<TestCase> cases {gtestCase(QStringLiteral("/sh"), QString(), QStringLiteral("a")),
        gtestCase(QStringLiteral("/sh"), QString(), QStringLiteral("b"))};
    for (TestCase &testCase : cases)
        testCase.framework = QStringLiteral("plain");
    QCOMPARE(casesOf(groupIntoUnits(cases, {}, GroupBy::Executable)), (QVector<QVector<int>> {{0}, {1}}));
}

void TestGrouping::differentLaunchesNeverShare()
{
    // Same suite, but something about starting the process differs.
    QVector<TestCase> cases;
    for (int i = 0; i < 5; ++i)
        cases.append(gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("c%1").arg(i)));
    cases[1].workingDirectory = QStringLiteral("/elsewhere");
    cases[2].environment = QStringList {QStringLiteral("X=1")};
    cases[3].timeoutSeconds = 3;
    cases[4].arguments = QStringList {QStringLiteral("--verbose")};
    QCOMPARE(groupIntoUnits(cases, {}, GroupBy::Suite).size(), 5);
}

void TestGrouping::constraintsAreTheUnion()
{
    QVector<TestCase> cases {gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("x")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("A"), QStringLiteral("y")),
        gtestCase(QStringLiteral("/t"), QStringLiteral("B"), QStringLiteral("z"))};
    cases[0].resourceLocks = QStringList {QStringLiteral("db")};
    cases[1].resourceLocks = QStringList {QStringLiteral("db"), QStringLiteral("net")};
    cases[1].runSerial = true;
    cases[1].processors = 3;
    cases[0].cost = 1.5;
    cases[1].cost = 2;
    cases[0].dependsOn = {1, 2}; // 1 is in the same unit: the framework's order covers it
    const QVector<Unit> units = groupIntoUnits(cases, {}, GroupBy::Suite);
    QCOMPARE(units.size(), 2);
    QCOMPARE(units[0].resourceLocks, (QStringList {QStringLiteral("db"), QStringLiteral("net")}));
    QVERIFY(units[0].runSerial);
    QCOMPARE(units[0].processors, 3);
    QCOMPARE(units[0].cost, 3.5);
    QCOMPARE(units[0].dependsOn, QVector<int> {2});
    QVERIFY(!units[1].runSerial);
}

void TestGrouping::names()
{
    for (GroupBy groupBy : {GroupBy::Case, GroupBy::Suite, GroupBy::Executable}) {
        GroupBy parsed = GroupBy::Case;
        QVERIFY(groupByFromName(groupByName(groupBy), &parsed));
        QCOMPARE(parsed, groupBy);
    }
    GroupBy untouched = GroupBy::Suite;
    QVERIFY(!groupByFromName(QStringLiteral("Suite"), &untouched));
    QCOMPARE(untouched, GroupBy::Suite);
}

void TestGrouping::packsSmallGroups()
{
    // 12 suites of 2 cases, 1 job: batches of ceil(24 / 8) = 3 cases, so
    // whole suites are packed two by two (4 cases), never split.
    QVector<TestCase> cases;
    for (int suite = 0; suite < 12; ++suite) {
        for (int c = 0; c < 2; ++c)
            cases.append(
                gtestCase(QStringLiteral("/t"), QStringLiteral("S%1").arg(suite), QStringLiteral("c%1").arg(c)));
    }
    cases.append(gtestCase(QStringLiteral("/other"), QStringLiteral("X"), QStringLiteral("y"))); // another executable
    const QVector<Unit> units = packUnits(groupIntoUnits(cases, {}, std::nullopt), 1);
    QCOMPARE(units.size(), 7);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(units[i].cases, (QVector<int> {4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3}));
    QCOMPARE(units[6].cases, QVector<int> {24});
    QCOMPARE(units[6].executable, QStringLiteral("/other"));

    // Big groups stay alone.
    QVector<TestCase> big;
    for (int c = 0; c < 10; ++c)
        big.append(gtestCase(QStringLiteral("/t"), QStringLiteral("Big"), QStringLiteral("c%1").arg(c)));
    big.append(gtestCase(QStringLiteral("/t"), QStringLiteral("Small"), QStringLiteral("c")));
    QCOMPARE(casesOf(packUnits(groupIntoUnits(big, {}, std::nullopt), 1)),
        (QVector<QVector<int>> {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {10}}));
}

void TestGrouping::packingKeepsIsolationAndConstraints()
{
    QVector<TestCase> cases;
    for (int c = 0; c < 6; ++c)
        cases.append(gtestCase(QStringLiteral("/t"), QStringLiteral("S%1").arg(c), QStringLiteral("c")));
    // --group-by case asks for one process per case.
    QCOMPARE(packUnits(groupIntoUnits(cases, {}, GroupBy::Case), 1).size(), 6);
    // Plain tests never share.
    QVector<TestCase> plain = cases;
    for (TestCase &testCase : plain)
        testCase.framework = QStringLiteral("plain");
    QCOMPARE(packUnits(groupIntoUnits(plain, {}, std::nullopt), 1).size(), 6);
    // Units with a lock, a dependency, RUN_SERIAL or PROCESSORS stay alone;
    // the ten others fill batches of ceil(10 / 8) = 2.
    for (int c = 6; c < 14; ++c)
        cases.append(gtestCase(QStringLiteral("/t"), QStringLiteral("S%1").arg(c), QStringLiteral("c")));
    cases[0].resourceLocks = QStringList {QStringLiteral("db")};
    cases[1].dependsOn = {5};
    cases[2].runSerial = true;
    cases[3].processors = 2;
    QCOMPARE(casesOf(packUnits(groupIntoUnits(cases, {}, std::nullopt), 1)),
        (QVector<QVector<int>> {{0}, {1}, {2}, {3}, {4, 5}, {6, 7}, {8, 9}, {10, 11}, {12, 13}}));
}

QTEST_GUILESS_MAIN(TestGrouping)
#include "tst_grouping.moc"
