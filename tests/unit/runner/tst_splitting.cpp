// SPDX-License-Identifier: BSD-3-Clause
// Splitting fixture groups over processes when that is faster
// (splitUnits), and the cost records it plans with.
#include "runner/costrecords.h"
#include "runner/grouping.h"
#include "runner/splitting.h"

#include <QtTest>

using namespace ctestd;

class TestSplitting : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void firstRunKeepsGroups();
    void constraintsAreNeverSplit();
    void batchesPartBetweenGroups();
    void expensiveFixtureStaysWhole();
    void freeFixtureRunsOneProcessPerCase();
    void splitsOnlyWhatShortensTheRun();
    void partsGoLongestFirst();
    void ctestTestsKeepCtestsCost();
    void packsByCost();
    void recordsRoundTrip();
    void badRecordLinesAreIgnored();
    void anotherExecutablesRecordsAreIgnored();
    void ledgerEstimates();
};

namespace {

// `suites` gtest suites of `perSuite` cases each, in one executable, as
// the default grouping forms them.
QVector<TestCase> gtestCases(int suites, int perSuite, const QString &executable = QStringLiteral("/t"))
{
    QVector<TestCase> cases;
    for (int s = 0; s < suites; ++s) {
        for (int c = 0; c < perSuite; ++c) {
            TestCase testCase;
            testCase.executable = executable;
            testCase.framework = QStringLiteral("gtest");
            testCase.suite = QStringLiteral("S%1").arg(s);
            testCase.name = QStringLiteral("C%1").arg(c);
            testCase.selector = testCase.suite + QLatin1Char('.') + testCase.name;
            testCase.displayName = testCase.selector;
            testCase.index = int(cases.size()) + 1;
            cases.append(testCase);
        }
    }
    return cases;
}

QVector<QVector<int>> casesOf(const QVector<Unit> &units)
{
    QVector<QVector<int>> result;
    for (const Unit &unit : units)
        result.append(unit.cases);
    return result;
}

// Every case of `units` exactly once: a split never loses or doubles one.
bool coversOnce(const QVector<Unit> &units, int caseCount)
{
    QVector<int> seen;
    for (const Unit &unit : units)
        seen += unit.cases;
    std::sort(seen.begin(), seen.end());
    QVector<int> all(caseCount);
    std::iota(all.begin(), all.end(), 0);
    return seen == all;
}

QVector<CaseEstimate> estimates(int count, double caseSeconds, double fixtureSeconds)
{
    return QVector<CaseEstimate>(count, CaseEstimate {caseSeconds, fixtureSeconds});
}

} // namespace

// Without records nothing tells a cheap fixture from an expensive one:
// groups stay whole, even with workers to spare.
void TestSplitting::firstRunKeepsGroups()
{
    QVector<TestCase> cases = gtestCases(1, 5);
    const QVector<Unit> units = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(units.size(), 1);
    QVERIFY(units[0].splittable);
    QCOMPARE(casesOf(splitUnits(units, cases, {}, 5)), casesOf(units));
    QCOMPARE(casesOf(splitUnits(units, cases, estimates(5, -1, -1), 5)), casesOf(units));
    cases = gtestCases(4, 5);
    const QVector<Unit> four = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(casesOf(splitUnits(four, cases, {}, 8)), casesOf(four));
    // One known case is enough to plan with: the rest cost what it does.
    QVector<CaseEstimate> one = estimates(20, -1, -1);
    one[0].seconds = 1.0;
    QVERIFY(splitUnits(four, cases, one, 8).size() > 4);
}

void TestSplitting::constraintsAreNeverSplit()
{
    const QVector<CaseEstimate> free = estimates(5, 1.0, 0.0);
    // The user's --group-by suite.
    QVector<TestCase> cases = gtestCases(1, 5);
    QVector<Unit> units = groupIntoUnits(cases, {}, GroupBy::Suite);
    QVERIFY(!units[0].splittable);
    QCOMPARE(splitUnits(units, cases, free, 5).size(), 1);
    // The registration's GROUP_BY, and a registered group.
    cases = gtestCases(1, 5);
    for (TestCase &testCase : cases)
        testCase.groupBy = GroupBy::Suite;
    QCOMPARE(splitUnits(groupIntoUnits(cases, {}, std::nullopt), cases, free, 5).size(), 1);
    cases = gtestCases(1, 5);
    for (TestCase &testCase : cases)
        testCase.registeredGroup = QStringLiteral("mine");
    QCOMPARE(splitUnits(groupIntoUnits(cases, {}, std::nullopt), cases, free, 5).size(), 1);
    // A Qt Test class: its functions share its state.
    cases = gtestCases(1, 5);
    for (TestCase &testCase : cases)
        testCase.framework = QStringLiteral("qtest");
    units = groupIntoUnits(cases, {}, std::nullopt);
    QVERIFY(!units[0].splittable);
    QCOMPARE(splitUnits(units, cases, free, 5).size(), 1);
    // A Boost.Test depends_on chain inside the group.
    cases = gtestCases(1, 5);
    cases[3].dependsOn = {1};
    QCOMPARE(splitUnits(groupIntoUnits(cases, {}, std::nullopt), cases, free, 5).size(), 1);
    // RUN_SERIAL and a resource lock: the parts could not run side by side.
    cases = gtestCases(1, 5);
    cases[0].runSerial = true;
    QCOMPARE(splitUnits(groupIntoUnits(cases, {}, std::nullopt), cases, free, 5).size(), 1);
    cases = gtestCases(1, 5);
    cases[2].resourceLocks = QStringList {QStringLiteral("db")};
    QCOMPARE(splitUnits(groupIntoUnits(cases, {}, std::nullopt), cases, free, 5).size(), 1);
}

void TestSplitting::batchesPartBetweenGroups()
{
    // Two groups held together (--group-by suite) packed into one batch:
    // the batch parts between them, never inside one.
    QVector<TestCase> cases = gtestCases(2, 3);
    for (TestCase &testCase : cases)
        testCase.groupBy = GroupBy::Suite;
    const QVector<Unit> units = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(units.size(), 2);
    Unit batch = units[0];
    batch.cases += units[1].cases;
    const QVector<Unit> packed {batch};
    QCOMPARE(
        casesOf(splitUnits(packed, cases, estimates(6, 1.0, 0.0), 4)), (QVector<QVector<int>> {{0, 1, 2}, {3, 4, 5}}));
}

void TestSplitting::expensiveFixtureStaysWhole()
{
    // Five 1 ms cases behind a 1 s fixture, five idle workers: five parts
    // would end 4 ms sooner for 4 s more work. A cut must save at least a
    // quarter of what it adds.
    QVector<TestCase> cases = gtestCases(1, 5);
    const QVector<Unit> units = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(splitUnits(units, cases, estimates(5, 0.001, 1.0), 5).size(), 1);
    // 200 ms cases: two parts end 0.4 s sooner for 1 s more work; five
    // parts would gain 0.8 s for 4 s.
    QCOMPARE(casesOf(splitUnits(units, cases, estimates(5, 0.2, 1.0), 5)), (QVector<QVector<int>> {{0, 1, 2}, {3, 4}}));
    // Other work for the second worker: the fixture is never run twice.
    cases = gtestCases(2, 5);
    const QVector<Unit> two = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(splitUnits(two, cases, estimates(10, 0.1, 1.0), 2).size(), 2);
}

void TestSplitting::freeFixtureRunsOneProcessPerCase()
{
    QVector<TestCase> cases = gtestCases(1, 5);
    const QVector<Unit> units = groupIntoUnits(cases, {}, std::nullopt);
    const QVector<Unit> parts = splitUnits(units, cases, estimates(5, 1.0, 0.002), 5);
    QCOMPARE(casesOf(parts), (QVector<QVector<int>> {{0}, {1}, {2}, {3}, {4}}));
    for (const Unit &part : parts)
        QVERIFY(qAbs(part.cost - (1.0 + CaseOverheadSeconds + 0.002 + ProcessStartSeconds)) < 1e-9);
}

void TestSplitting::splitsOnlyWhatShortensTheRun()
{
    // yaml-cpp's shape: one big suite and small ones, no fixtures, two
    // workers. The big suite alone is longer than the rest together, so it
    // is cut; the small ones are not.
    QVector<TestCase> cases = gtestCases(1, 100);
    QVector<TestCase> small = gtestCases(6, 5);
    for (TestCase &testCase : small)
        testCase.suite += QStringLiteral("s");
    for (TestCase &testCase : small) {
        testCase.selector = testCase.suite + QLatin1Char('.') + testCase.name;
        cases.append(testCase);
    }
    const QVector<Unit> units = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(units.size(), 7);
    const QVector<Unit> parts = splitUnits(units, cases, estimates(int(cases.size()), 0.01, 0.0), 2);
    QVERIFY(coversOnce(parts, int(cases.size())));
    int bigParts = 0;
    for (const Unit &part : parts)
        bigParts += part.cases.constFirst() < 100 ? 1 : 0;
    QCOMPARE(bigParts, 2);
    QCOMPARE(parts.size(), 8);
    // Balanced: no worker gets more than half the work plus one part's start.
    double longest = 0;
    for (const Unit &part : parts)
        longest = qMax(longest, part.cost);
    QVERIFY2(longest <= 0.65 + 0.01, qPrintable(QString::number(longest)));
}

void TestSplitting::partsGoLongestFirst()
{
    QVector<TestCase> cases = gtestCases(3, 4);
    QVector<CaseEstimate> known = estimates(12, 0.01, 0.0);
    for (int i = 8; i < 12; ++i)
        known[i].seconds = 0.5; // S2 is the long one
    QVector<Unit> units = splitUnits(groupIntoUnits(cases, {}, std::nullopt), cases, known, 2);
    sortUnits(units);
    QVERIFY(units.constFirst().cases.constFirst() >= 8);
    for (int i = 1; i < units.size(); ++i)
        QVERIFY(units[i - 1].cost >= units[i].cost);
}

void TestSplitting::ctestTestsKeepCtestsCost()
{
    QVector<TestCase> cases = gtestCases(2, 1);
    for (TestCase &testCase : cases) {
        testCase.framework = QStringLiteral("plain");
        testCase.ctestTest = true;
    }
    cases[0].cost = 1;
    cases[1].cost = 2;
    QVector<Unit> units = groupIntoUnits(cases, {}, std::nullopt);
    for (Unit &unit : units) {
        unit.cost = 0;
        for (int index : qAsConst(unit.cases))
            unit.cost += cases[index].cost;
    }
    QVector<CaseEstimate> known = estimates(2, 0.0, 0.0);
    known[0].seconds = 5; // our own record says otherwise; ctest's order wins
    const QVector<Unit> parts = splitUnits(units, cases, known, 2);
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[0].cost, 1.0);
    QCOMPARE(parts[1].cost, 2.0);
}

void TestSplitting::packsByCost()
{
    // fixture-heavy: 20 suites of a 50 ms fixture and ten 2 ms cases, two
    // workers: four batches of five suites, the same time each.
    QVector<TestCase> cases = gtestCases(20, 10);
    QVector<Unit> units = groupIntoUnits(cases, {}, std::nullopt);
    QVector<Unit> packed = packByCost(units, estimates(200, 0.002, 0.05), 2);
    QCOMPARE(packed.size(), 4);
    QVERIFY(coversOnce(packed, 200));
    for (const Unit &batch : qAsConst(packed)) {
        QCOMPARE(batch.cases.size(), 50);
        QVERIFY(std::is_sorted(batch.cases.cbegin(), batch.cases.cend()));
        QCOMPARE(batch.group.name.count(QLatin1Char('+')), 4);
        QVERIFY(batch.splittable);
    }
    // The splitting that follows leaves them: the schedule is even.
    QCOMPARE(splitUnits(packed, cases, estimates(200, 0.002, 0.05), 2).size(), 4);

    // 2,000 empty cases in 100 suites: one batch, which splitting then
    // cuts in two for the two workers.
    cases = gtestCases(100, 20);
    units = groupIntoUnits(cases, {}, std::nullopt);
    packed = packByCost(units, estimates(2000, 0.000002, 0.0), 2);
    QCOMPARE(packed.size(), 1);
    const QVector<Unit> parts = splitUnits(packed, cases, estimates(2000, 0.000002, 0.0), 2);
    QCOMPARE(parts.size(), 2);
    QVERIFY(coversOnce(parts, 2000));

    // Units that keep their own process pass through; another way of
    // starting the process (its arguments) never shares a batch.
    cases = gtestCases(4, 2);
    cases[6].arguments = QStringList {QStringLiteral("--other")};
    cases[7].arguments = QStringList {QStringLiteral("--other")};
    cases[0].runSerial = true;
    cases[1].runSerial = true;
    units = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(units.size(), 4);
    packed = packByCost(units, estimates(8, 0.001, 0.0), 2);
    QCOMPARE(casesOf(packed), (QVector<QVector<int>> {{0, 1}, {2, 3, 4, 5}, {6, 7}}));
    // And a group the user asked for as a process of its own is not packed.
    for (TestCase &testCase : cases)
        testCase.groupBy = GroupBy::Case;
    units = groupIntoUnits(cases, {}, std::nullopt);
    QCOMPARE(packByCost(units, estimates(8, 0.001, 0.0), 2).size(), 8);
}

void TestSplitting::recordsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString executable = QStringLiteral("/build/tests/unit tests");
    const QString path = costRecordsPath(dir.path(), executable);
    QVERIFY(path.startsWith(dir.path() + QLatin1Char('/')));
    QVERIFY(path != costRecordsPath(dir.path(), QStringLiteral("/build/tests/other")));
    CostRecords records;
    records.cases.insert(QStringLiteral("A.x"), 0.25);
    records.cases.insert(QStringLiteral("Name with\ttab.and spaces"), 1.5);
    records.cases.insert(QStringLiteral("Broken\nname"), 1.0); // cannot be one line: left out
    records.fixtures.insert(QStringLiteral("A"), 0.125);
    QString error;
    QVERIFY2(writeCostRecords(path, executable, records, &error), qPrintable(error));
    const CostRecords read = readCostRecords(path, executable);
    QCOMPARE(read.cases.size(), 2);
    QCOMPARE(read.cases.value(QStringLiteral("A.x")), 0.25);
    QCOMPARE(read.cases.value(QStringLiteral("Name with\ttab.and spaces")), 1.5);
    QCOMPARE(read.fixtures, (QHash<QString, double> {{QStringLiteral("A"), 0.125}}));
    // A file that cannot be written is an error with the path.
    QVERIFY(!writeCostRecords(QStringLiteral("/proc/no/such/records.txt"), executable, records, &error));
    QVERIFY2(error.contains(QLatin1String("/proc/no/such")), qPrintable(error));
}

void TestSplitting::badRecordLinesAreIgnored()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString executable = QStringLiteral("/t");
    const QString path = costRecordsPath(dir.path(), executable);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("ctestd-costs 1\t/t\n"
               "case\t0.5\tA.good\n"
               "case\t-1\tA.negative\n"
               "case\tnan\tA.nan\n"
               "case\tinf\tA.infinite\n"
               "case\t1e12\tA.absurd\n"
               "case\tfast\tA.word\n"
               "case\t0.5\t\n"
               "case\t0.5\n"
               "weird\t0.5\tA.kind\n"
               "\n"
               "fixture\t0.75\tA\n"
               "case\t0.125\tA.last");
    file.close();
    // Each of the nine lines that do not fit gets its --debug note.
    QLoggingCategory::setFilterRules(QStringLiteral("ctestd.daemon.debug=true"));
    for (int i = 0; i < 9; ++i)
        QTest::ignoreMessage(QtDebugMsg, QRegularExpression(QStringLiteral("^ignoring line \\d+ of the cost records")));
    const CostRecords read = readCostRecords(path, executable);
    QCOMPARE(read.cases, (QHash<QString, double> {{QStringLiteral("A.good"), 0.5}, {QStringLiteral("A.last"), 0.125}}));
    QCOMPARE(read.fixtures, (QHash<QString, double> {{QStringLiteral("A"), 0.75}}));
    QLoggingCategory::setFilterRules(QString());
}

void TestSplitting::anotherExecutablesRecordsAreIgnored()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    CostRecords records;
    records.cases.insert(QStringLiteral("A.x"), 0.5);
    const QString path = dir.filePath(QStringLiteral("records.txt"));
    QString error;
    QVERIFY(writeCostRecords(path, QStringLiteral("/one"), records, &error));
    QVERIFY(readCostRecords(path, QStringLiteral("/two")).isEmpty());
    QVERIFY(readCostRecords(dir.filePath(QStringLiteral("missing.txt")), QStringLiteral("/one")).isEmpty());
    QFile other(dir.filePath(QStringLiteral("other.txt")));
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.write("ctestd-costs 2\t/one\ncase\t0.5\tA.x\n");
    other.close();
    QVERIFY(readCostRecords(other.fileName(), QStringLiteral("/one")).isEmpty());
}

void TestSplitting::ledgerEstimates()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVector<TestCase> cases = gtestCases(2, 2);
    groupIntoUnits(cases, {}, std::nullopt); // sets each case's group
    cases[3].cost = 4; // CTestCostData.txt's figure, where no record is
    // Another executable's records, untouched for 31 days and for 29.
    const auto aged = [&dir](const QString &name, int days) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write("ctestd-costs 1\t/gone\n") <= 0)
            return false;
        file.close(); // after the write, which would set the time again
        return file.open(QIODevice::ReadOnly)
            && file.setFileTime(QDateTime::currentDateTimeUtc().addDays(-days), QFileDevice::FileModificationTime);
    };
    QVERIFY(aged(QStringLiteral("stale.txt"), 31));
    QVERIFY(aged(QStringLiteral("recent.txt"), 29));
    {
        CostLedger ledger(dir.path());
        const QVector<CaseEstimate> none = ledger.estimates(cases);
        QCOMPARE(none[0].seconds, -1.0);
        QCOMPARE(none[0].fixtureSeconds, -1.0);
        QCOMPARE(none[3].seconds, 4.0);
        // -3 is not a time: not learned.
        ledger.learn(
            QStringLiteral("/t"), {{cases[0].selector, 0.5}, {cases[1].selector, -3}}, {{cases[0].group.name, 0.25}});
        ledger.save();
    }
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("stale.txt"))));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("recent.txt"))));
    CostLedger next(dir.path());
    const QVector<CaseEstimate> known = next.estimates(cases);
    QCOMPARE(known[0].seconds, 0.5);
    QCOMPARE(known[0].fixtureSeconds, 0.25);
    QCOMPARE(known[1].seconds, -1.0);
    QCOMPARE(known[1].fixtureSeconds, 0.25); // the same group
    QCOMPARE(known[2].fixtureSeconds, -1.0);
    // Off: nothing is read or written.
    CostLedger off {QString()};
    QCOMPARE(off.estimates(cases)[0].seconds, -1.0);
}

QTEST_GUILESS_MAIN(TestSplitting)
#include "tst_splitting.moc"
