// SPDX-License-Identifier: BSD-3-Clause
// Fixture groups split over processes when that is faster (README, "Fixture
// groups"): real gtest programs, real workers, real cost records. Fixture
// runs are counted from the programs' fixture log (gtest_support.h).
#include "runhelpers.h"
#include "runner/costrecords.h"

#include <QtTest>

using namespace ctestd;

class TestSplitRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void firstRunKeepsGroupsWhole();
    void explicitGroupingIsNeverSplit();
    void fixtureFailingInOnePartFailsThatPartOnly();
    void recordsAreKept();
    void expensiveFixtureRecordKeepsGroupsWhole();
    void freeFixtureRecordRunsOneProcessPerCase();

private:
    QProcessEnvironment environment(const QString &name, bool records = false) const;
    // Writes records for `executable` into `environment`'s CTESTD_COSTS.
    bool writeRecords(const QProcessEnvironment &environment, const QString &executable, const CostRecords &records);
    // Setup lines per suite, each with a teardown from the same process.
    QMap<QString, int> setupsPerSuite(const QString &log, const QStringList &suites);

    QTemporaryDir m_dir;
};

namespace {
const QStringList FixtureSuites {
    QStringLiteral("FxA"), QStringLiteral("FxB"), QStringLiteral("FxC"), QStringLiteral("FxD")};
}

void TestSplitRun::init()
{
    QVERIFY(m_dir.isValid());
}

QProcessEnvironment TestSplitRun::environment(const QString &name, bool records) const
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), m_dir.filePath(name + QStringLiteral(".log")));
    if (records)
        environment.insert(QStringLiteral("CTESTD_COSTS"), m_dir.filePath(name + QStringLiteral("-costs")));
    return environment;
}

bool TestSplitRun::writeRecords(
    const QProcessEnvironment &environment, const QString &executable, const CostRecords &records)
{
    QString error;
    if (writeCostRecords(costRecordsPath(environment.value(QStringLiteral("CTESTD_COSTS")), executable), executable,
            records, &error))
        return true;
    qWarning().noquote() << error;
    return false;
}

QMap<QString, int> TestSplitRun::setupsPerSuite(const QString &log, const QStringList &suites)
{
    const auto fixtureLog = readFixtureLog(m_dir.filePath(log + QStringLiteral(".log")));
    QMap<QString, int> counts;
    for (const QString &suite : suites) {
        QStringList setups = fixtureLog.value({suite, QStringLiteral("setup")});
        QStringList teardowns = fixtureLog.value({suite, QStringLiteral("teardown")});
        setups.sort();
        teardowns.sort();
        if (setups != teardowns) {
            qWarning() << suite << "set up in" << setups << "but tore down in" << teardowns;
            counts.insert(suite, -1);
            continue;
        }
        counts.insert(suite, int(setups.size()));
    }
    return counts;
}

// No records, more workers than groups: a first run starts by groups, since
// nothing tells a cheap fixture from an expensive one yet.
void TestSplitRun::firstRunKeepsGroupsWhole()
{
    const CtestdRun run = runCtestd({QStringLiteral("-j8"), gtestProgram(QStringLiteral("gt_fixtures"))},
        environment(QStringLiteral("first"), true));
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    QCOMPARE(resultLineCount(run.out), 23);
    QCOMPARE(setupsPerSuite(QStringLiteral("first"), FixtureSuites),
        (QMap<QString, int> {{QStringLiteral("FxA"), 1}, {QStringLiteral("FxB"), 1}, {QStringLiteral("FxC"), 1},
            {QStringLiteral("FxD"), 1}}));
}

void TestSplitRun::explicitGroupingIsNeverSplit()
{
    const CtestdRun run = runCtestd({QStringLiteral("-j8"), QStringLiteral("--group-by"), QStringLiteral("suite"),
                                        gtestProgram(QStringLiteral("gt_fixtures"))},
        environment(QStringLiteral("explicit")));
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    QCOMPARE(setupsPerSuite(QStringLiteral("explicit"), FixtureSuites),
        (QMap<QString, int> {{QStringLiteral("FxA"), 1}, {QStringLiteral("FxB"), 1}, {QStringLiteral("FxC"), 1},
            {QStringLiteral("FxD"), 1}}));
}

// gt_claim's fixture works in the first process only: split in two (records
// say its cases take 200 ms each behind a free fixture), the cases of the
// other part fail, with the fixture's reason, and no others.
void TestSplitRun::fixtureFailingInOnePartFailsThatPartOnly()
{
    QProcessEnvironment claimed = environment(QStringLiteral("claim"), true);
    claimed.insert(QStringLiteral("CTESTD_CLAIM"), m_dir.filePath(QStringLiteral("claim")));
    CostRecords records;
    records.fixtures.insert(QStringLiteral("Claim"), 0.001);
    for (int c = 0; c < 6; ++c)
        records.cases.insert(QStringLiteral("Claim.C%1").arg(c), 0.2);
    QVERIFY(writeRecords(claimed, gtestProgram(QStringLiteral("gt_claim")), records));
    const CtestdRun run = runCtestd(
        {QStringLiteral("-j2"), QStringLiteral("--output-on-failure"), gtestProgram(QStringLiteral("gt_claim"))},
        claimed);
    QCOMPARE(run.exitCode, 8);
    QCOMPARE(summaryLine(run.out), QStringLiteral("50% tests passed, 3 tests failed out of 6"));
    QCOMPARE(setupsPerSuite(QStringLiteral("claim"), {QStringLiteral("Claim")}).value(QStringLiteral("Claim")), 2);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    const QString passed = QStringLiteral("Passed");
    const QString failed = QStringLiteral("***Failed");
    const QStringList first {QStringLiteral("Claim.C0"), QStringLiteral("Claim.C1"), QStringLiteral("Claim.C2")};
    const QStringList second {QStringLiteral("Claim.C3"), QStringLiteral("Claim.C4"), QStringLiteral("Claim.C5")};
    // Which part claims first is the race; that one part fails whole is not.
    const bool firstFailed = statuses.value(first.constFirst()) == failed;
    for (const QString &name : first)
        QCOMPARE(statuses.value(name), firstFailed ? failed : passed);
    for (const QString &name : second)
        QCOMPARE(statuses.value(name), firstFailed ? passed : failed);
    QCOMPARE(run.out.count("the fixture could not claim"), 3);

    // One process: the fixture claims once and every case passes.
    QProcessEnvironment whole = environment(QStringLiteral("claim-whole"), true);
    QVERIFY(writeRecords(whole, gtestProgram(QStringLiteral("gt_claim")), records));
    whole.insert(QStringLiteral("CTESTD_CLAIM"), m_dir.filePath(QStringLiteral("claim-whole")));
    const CtestdRun together = runCtestd({QStringLiteral("-j2"), QStringLiteral("--group-by"), QStringLiteral("suite"),
                                             gtestProgram(QStringLiteral("gt_claim"))},
        whole);
    QVERIFY2(together.exitCode == 0, together.out.constData());
    QCOMPARE(summaryLine(together.out), QStringLiteral("100% tests passed, 0 tests failed out of 6"));
}

void TestSplitRun::recordsAreKept()
{
    const QString executable = gtestProgram(QStringLiteral("gt_fixtures"));
    const QProcessEnvironment env = environment(QStringLiteral("kept"), true);
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), executable}, env);
    QVERIFY2(run.exitCode == 0, run.out.constData());
    const QString directory = env.value(QStringLiteral("CTESTD_COSTS"));
    QCOMPARE(QDir(directory).entryList(QDir::Files).size(), 1);
    const QString path = costRecordsPath(directory, executable);
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.constFirst(), "ctestd-costs 1\t" + executable.toUtf8());
    const CostRecords records = readCostRecords(path, executable);
    QCOMPARE(records.cases.size(), 23);
    // gtest prints whole milliseconds: a faster case still gets the time
    // the worker saw, not 0, or planning has nothing to balance on.
    for (auto it = records.cases.cbegin(); it != records.cases.cend(); ++it)
        QVERIFY2(it.value() > 0 && it.value() < 5, qPrintable(it.key()));
    QVERIFY2(records.cases.value(QStringLiteral("FxA.C2")) >= 0.005, "FxA.C2 sleeps 5 ms");
    for (const QString &suite : FixtureSuites) {
        // Each fixture sleeps 20 ms in its SetUpTestSuite.
        QVERIFY2(records.fixtures.value(suite, -1) >= 0.02, qPrintable(suite));
        QVERIFY2(records.fixtures.value(suite) < 5, qPrintable(suite));
    }
    QVERIFY(records.fixtures.contains(QStringLiteral("Plain")));
}

// Records say each fixture takes 10 s and its cases a millisecond: even
// with workers to spare, no fixture runs twice. Lines that do not fit are
// passed over, each with a --debug note.
void TestSplitRun::expensiveFixtureRecordKeepsGroupsWhole()
{
    const QString executable = gtestProgram(QStringLiteral("gt_fixtures"));
    const QProcessEnvironment env = environment(QStringLiteral("expensive"), true);
    CostRecords records;
    for (const QString &suite : FixtureSuites) {
        records.fixtures.insert(suite, 10.0);
        for (int c = 1; c <= 5; ++c)
            records.cases.insert(QStringLiteral("%1.C%2").arg(suite).arg(c), 0.001);
    }
    QVERIFY(writeRecords(env, executable, records));
    QFile file(costRecordsPath(env.value(QStringLiteral("CTESTD_COSTS")), executable));
    QVERIFY(file.open(QIODevice::Append));
    file.write("case\t-4\tFxA.C1\ncase\tnan\tFxB.C1\nfixture\t1e300\tFxC\ncase\t1\tGone.Case\nnonsense\n");
    file.close();

    const CtestdRun run = runCtestd({QStringLiteral("-j8"), QStringLiteral("--debug"), executable}, env);
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    QCOMPARE(setupsPerSuite(QStringLiteral("expensive"), FixtureSuites),
        (QMap<QString, int> {{QStringLiteral("FxA"), 1}, {QStringLiteral("FxB"), 1}, {QStringLiteral("FxC"), 1},
            {QStringLiteral("FxD"), 1}}));
    QCOMPARE(run.err.count("ignoring line"), 4); // the unknown case is no error: it is just not asked for
}

// Records say gt_claim's six cases take a second each behind a free
// fixture: with three workers, three processes of two cases.
void TestSplitRun::freeFixtureRecordRunsOneProcessPerCase()
{
    const QString executable = gtestProgram(QStringLiteral("gt_claim"));
    const QProcessEnvironment env = environment(QStringLiteral("free"), true);
    CostRecords records;
    records.fixtures.insert(QStringLiteral("Claim"), 0.001);
    for (int c = 0; c < 6; ++c)
        records.cases.insert(QStringLiteral("Claim.C%1").arg(c), 1.0);
    QVERIFY(writeRecords(env, executable, records));
    const CtestdRun run = runCtestd({QStringLiteral("-j3"), executable}, env);
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 6"));
    QCOMPARE(setupsPerSuite(QStringLiteral("free"), {QStringLiteral("Claim")}).value(QStringLiteral("Claim")), 3);
    // The run replaced the records with what it measured.
    const CostRecords after
        = readCostRecords(costRecordsPath(env.value(QStringLiteral("CTESTD_COSTS")), executable), executable);
    QVERIFY(after.cases.value(QStringLiteral("Claim.C0"), 1.0) < 0.5);
}

QTEST_GUILESS_MAIN(TestSplitRun)
#include "tst_split_run.moc"
