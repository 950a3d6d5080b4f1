// SPDX-License-Identifier: BSD-3-Clause
// A function that sleeps forever. Run with `--timeout 2`.
// Expected: quick Passed, sleepsForever Timeout, after Passed (in a second process).
#include "gtest_support.h"

#include <QtTest>

#include <unistd.h>

class TestHang : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { ctestd_fixture::setup("TestHang"); }
    void cleanupTestCase() { ctestd_fixture::teardown("TestHang"); }
    void quick() { QVERIFY(true); }
    void sleepsForever()
    {
        for (;;)
            ::pause();
    }
    void after() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestHang)
#include "qt_hang.moc"
