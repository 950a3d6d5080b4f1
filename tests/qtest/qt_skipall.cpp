// SPDX-License-Identifier: BSD-3-Clause
// QSKIP in initTestCase skips every function.
// Expected: first, second, table:x, table:y all Skipped ("no backend here").
#include <QtTest>

class TestSkipAll : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QSKIP("no backend here"); }
    void first() { QVERIFY(true); }
    void second() { QVERIFY(true); }
    void table_data()
    {
        QTest::addColumn<int>("n");
        QTest::newRow("x") << 1;
        QTest::newRow("y") << 2;
    }
    void table() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestSkipAll)
#include "qt_skipall.moc"
