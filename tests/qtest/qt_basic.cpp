// SPDX-License-Identifier: BSD-3-Clause
// Qt Test basics. Expected status of every case (selector = display name):
//   pass                  Passed
//   compareFails          Failed   QCOMPARE, "Compared values are not the same" at the QCOMPARE(two, 3) line
//   skipped               Skipped  "not on this platform"
//   expectedFail          Passed   QEXPECT_FAIL + failing QCOMPARE (XFAIL)
//   unexpectedPass        Failed   QEXPECT_FAIL + passing QCOMPARE (XPASS)
//   rows:one              Passed
//   rows:two words        Passed   (a tag with spaces)
//   rows:odd:colon        Failed   "row odd:colon fails" (a tag with a colon)
//   output                Passed   prints "qt_basic qDebug" (qDebug) and "qt_basic printf" (printf)
//   under_score2          Passed   (an odd name)
//   flakyBlacklisted      Skipped  fails, but the BLACKLIST file next to the program blacklists it (BFAIL)
#include <QtTest>

#include <cstdio>

class TestBasic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pass() { QVERIFY(true); }
    void compareFails()
    {
        const int two = 1 + 1;
        QCOMPARE(two, 3); // the failure location tst_qtest_run expects
    }
    void skipped() { QSKIP("not on this platform"); }
    void expectedFail()
    {
        QEXPECT_FAIL("", "known bug", Continue);
        QCOMPARE(1, 2);
    }
    void unexpectedPass()
    {
        QEXPECT_FAIL("", "fixed meanwhile", Continue);
        QCOMPARE(1, 1);
    }
    void rows_data()
    {
        QTest::addColumn<int>("value");
        QTest::newRow("one") << 1;
        QTest::newRow("two words") << 2;
        QTest::newRow("odd:colon") << 3;
    }
    void rows()
    {
        QFETCH(int, value);
        if (value == 3)
            QFAIL("row odd:colon fails");
    }
    void output()
    {
        qDebug("qt_basic qDebug");
        std::printf("qt_basic printf\n");
        std::fflush(stdout);
    }
    void under_score2() { QVERIFY(true); }
    void flakyBlacklisted() { QCOMPARE(1, 0); }
};

QTEST_GUILESS_MAIN(TestBasic)
#include "qt_basic.moc"
