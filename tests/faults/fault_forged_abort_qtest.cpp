// SPDX-License-Identifier: BSD-3-Clause
// fault_forged_abort_qtest: a Qt Test function that prints the txt logger's
// PASS line for itself, then calls std::abort(). Qt 5.15's crash handler
// does not report SIGABRT: the forged PASS line is the function's last line,
// and the process dies of SIGABRT.
//
// Expected status of every function (slot order):
//   initTestCase             Passed   (Qt's own)
//   forgesPassThenAborts     Crashed  SIGABRT after printing "PASS   : TestFaultForgedAbort::forgesPassThenAborts()"
//   honestAfterAbort         Passed   never reached in the first process: must run again in a second
//   cleanupTestCase          Passed   (Qt's own; not reached in the first process)
// Run as one process: killed by SIGABRT (shell status 134), with or without
// QTEST_DISABLE_STACK_DUMP=1.
#include "gtest_support.h"

#include <QtTest>

#include <cstdio>
#include <cstdlib>

class TestFaultForgedAbort : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forgesPassThenAborts()
    {
        ctestd_fixture::disableCoreDumps();
        std::printf("PASS   : TestFaultForgedAbort::forgesPassThenAborts()\n");
        std::fflush(stdout);
        std::abort();
    }
    void honestAfterAbort() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestFaultForgedAbort)
#include "fault_forged_abort_qtest.moc"
