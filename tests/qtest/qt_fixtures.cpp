// SPDX-License-Identifier: BSD-3-Clause
// initTestCase/cleanupTestCase log "TestFixtures setup|teardown <pid>" to
// $CTESTD_FIXTURE_LOG (gtest_support.h), so fixture runs can be counted.
// Expected (all Passed): one, two, three, four, table:a, table:b, table:c.
// With CTESTD_QT_FAIL_INIT=1 initTestCase fails ("fixture refused"): every
// case Failed with that message. With CTESTD_QT_FAIL_CLEANUP=1 cleanupTestCase
// fails ("teardown refused"): the last case of the process Failed with it.
#include "gtest_support.h"

#include <QtTest>

class TestFixtures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        ctestd_fixture::setup("TestFixtures");
        if (qEnvironmentVariableIsSet("CTESTD_QT_FAIL_INIT"))
            QFAIL("fixture refused");
    }
    void cleanupTestCase()
    {
        ctestd_fixture::teardown("TestFixtures");
        if (qEnvironmentVariableIsSet("CTESTD_QT_FAIL_CLEANUP"))
            QFAIL("teardown refused");
    }
    void one() { QVERIFY(true); }
    void two() { QVERIFY(true); }
    void three() { QVERIFY(true); }
    void four() { QVERIFY(true); }
    void table_data()
    {
        QTest::addColumn<int>("n");
        QTest::newRow("a") << 1;
        QTest::newRow("b") << 2;
        QTest::newRow("c") << 3;
    }
    void table()
    {
        QFETCH(int, n);
        QVERIFY(n > 0);
    }
};

QTEST_GUILESS_MAIN(TestFixtures)
#include "qt_fixtures.moc"
