// SPDX-License-Identifier: BSD-3-Clause
// A SIGSEGV in the second of three rows. Qt's crash handler prints
// "QFATAL : TestCrash::rows(r2) Received signal 11" and aborts (SIGABRT).
// Expected: before Passed, rows:r1 Passed, rows:r2 crashed ("Subprocess
// aborted"), rows:r3 Passed, after Passed: the cases after the crash run again
// in a second process. Fixtures log "TestCrash setup|teardown <pid>".
#include "gtest_support.h"

#include <QtTest>

class TestCrash : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { ctestd_fixture::setup("TestCrash"); }
    void cleanupTestCase() { ctestd_fixture::teardown("TestCrash"); }
    void before() { QVERIFY(true); }
    void rows_data()
    {
        QTest::addColumn<int>("n");
        QTest::newRow("r1") << 1;
        QTest::newRow("r2") << 2;
        QTest::newRow("r3") << 3;
    }
    void rows()
    {
        QFETCH(int, n);
        if (n == 2)
            ctestd_fixture::segfault();
    }
    void after() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "qt_crash.moc"
