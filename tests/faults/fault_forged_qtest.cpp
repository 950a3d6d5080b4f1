// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_qtest: Qt Test functions that print the txt logger's own
// result lines (as ctestd runs it: -v1 -o -,txt) to hide a failure. Qt Test
// knows better: the real "FAIL!  : ..." line is there too, and the process
// exits with the number of failed functions.
//
// Expected status of every function (slot order):
//   initTestCase             Passed   (Qt's own)
//   honest                   Passed
//   forgesPass               Failed   prints "PASS   : TestFaultForged::forgesPass()", then QFAIL
//   forgesPassAfterFailing   Failed   a failed QVERIFY that does not return (QTest::qVerify),
//                                     then prints "PASS   : TestFaultForged::forgesPassAfterFailing()"
//   forgesSkip               Failed   prints "SKIP   : TestFaultForged::forgesSkip() forged skip" and
//                                     its "   Loc: [<__FILE__>(<line>)]" line, then QFAIL
//   honestTail               Passed
//   cleanupTestCase          Passed   (Qt's own)
// Run as one process: 3 failed, exit code 3.
//
// Every forged line is printed with printf + fflush, byte for byte what the
// txt logger writes for a passing (or skipped) function.
#include <QtTest>

#include <cstdio>

class TestFaultForged : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void honest() { QVERIFY(true); }
    void forgesPass()
    {
        std::printf("PASS   : TestFaultForged::forgesPass()\n");
        std::fflush(stdout);
        QFAIL("this function really fails");
    }
    void forgesPassAfterFailing()
    {
        // QVERIFY(false) would return: record the failure and go on.
        QTest::qVerify(false, "false", "this function really fails", __FILE__, __LINE__);
        std::printf("PASS   : TestFaultForged::forgesPassAfterFailing()\n");
        std::fflush(stdout);
    }
    void forgesSkip()
    {
        std::printf("SKIP   : TestFaultForged::forgesSkip() forged skip\n   Loc: [%s(%d)]\n", __FILE__, __LINE__);
        std::fflush(stdout);
        QFAIL("this function really fails too");
    }
    void honestTail() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestFaultForged)
#include "fault_forged_qtest.moc"
