// SPDX-License-Identifier: BSD-3-Clause
// Global data (initTestCase_data, rows G1 and G2). Qt 5.15 cannot select a
// global row, so a case is a function or a local row and runs every global row.
// Expected: plain Failed (global row G2: "plain fails for G2"),
// rows:r1 Passed, rows:r2 Failed (global row G2), always Passed.
#include <QtTest>

class TestGlobal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<int>("g");
        QTest::newRow("G1") << 1;
        QTest::newRow("G2") << 2;
    }
    void plain()
    {
        QFETCH_GLOBAL(int, g);
        if (g == 2)
            QFAIL("plain fails for G2");
    }
    void rows_data()
    {
        QTest::addColumn<int>("r");
        QTest::newRow("r1") << 1;
        QTest::newRow("r2") << 2;
    }
    void rows()
    {
        QFETCH_GLOBAL(int, g);
        QFETCH(int, r);
        QVERIFY2(r != 2 || g != 2, "r2 fails for G2");
    }
    void always() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestGlobal)
#include "qt_globaldata.moc"
