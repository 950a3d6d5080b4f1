// SPDX-License-Identifier: BSD-3-Clause
// Qt Test for module.frameworks. Expected: passes Passed, fails Failed,
// rows:one and rows:two Passed, skipped Skipped; initTestCase and
// cleanupTestCase ("Qt setup/teardown" in the fixture log) run once per
// process, and the default group is the executable: once per ctest run.
#include "gtest_support.h"

#include <QtTest>

class FwQt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { ctestd_fixture::setup("Qt"); }
    void cleanupTestCase() { ctestd_fixture::teardown("Qt"); }
    void passes() { QVERIFY(true); }
    void fails() { QCOMPARE(1 + 1, 3); }
    void rows_data()
    {
        QTest::addColumn<int>("value");
        QTest::newRow("one") << 1;
        QTest::newRow("two") << 2;
    }
    void rows()
    {
        QFETCH(int, value);
        QVERIFY(value > 0);
    }
    void skipped() { QSKIP("not here"); }
};

QTEST_GUILESS_MAIN(FwQt)
#include "fw_qtest.moc"
