// SPDX-License-Identifier: BSD-3-Clause
// --test-load: ctest 3.25's rule for starting a test under a load limit, the
// load average it reads, and the tree's own limit.
#include "ctest/testload.h"

#include <QtTest>

using namespace ctestd::ctest;

class TestTestLoad : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rule_data();
    void rule();
    void loadAverage();
    void dartConfiguration();
};

void TestTestLoad::rule_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<double>("load");
    QTest::addColumn<bool>("running");
    QTest::addColumn<int>("processors");
    QTest::addColumn<bool>("starts");
    QTest::newRow("no limit") << 0 << 99.0 << true << 1 << true;
    QTest::newRow("nothing runs: always one") << 2 << 99.0 << false << 4 << true;
    QTest::newRow("room") << 4 << 2.9 << true << 1 << true; // 2.9 counts as 2
    QTest::newRow("room for 2") << 4 << 2.0 << true << 2 << true;
    QTest::newRow("no room for 3") << 4 << 2.0 << true << 3 << false;
    QTest::newRow("at the limit") << 2 << 2.0 << true << 1 << false;
    QTest::newRow("above") << 2 << 5.0 << true << 1 << false;
}

void TestTestLoad::rule()
{
    QFETCH(int, limit);
    QFETCH(double, load);
    QFETCH(bool, running);
    QFETCH(int, processors);
    QFETCH(bool, starts);
    QCOMPARE(loadAllowsStart(limit, load, running, processors), starts);
}

void TestTestLoad::loadAverage()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("__CTEST_FAKE_LOAD_AVERAGE_FOR_TESTING"), QStringLiteral("7"));
    QCOMPARE(systemLoadAverage(environment), 7.0);
    // The real one: /proc/loadavg's first field.
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        QSKIP("no /proc/loadavg on this system");
    const double real = systemLoadAverage(QProcessEnvironment());
    QVERIFY(real >= 0.0);
    QCOMPARE(real, file.readLine().split(' ').value(0).toDouble());
}

void TestTestLoad::dartConfiguration()
{
    QCOMPARE(dartTestLoad("Site: vm\nTestLoad: 3\nTimeOut: 1500\n"), 3);
    QCOMPARE(dartTestLoad("TestLoad: \n"), 0); // include(CTest) without CTEST_TEST_LOAD
    QCOMPARE(dartTestLoad("Site: vm\n"), 0);
}

QTEST_GUILESS_MAIN(TestTestLoad)
#include "tst_testload.moc"
