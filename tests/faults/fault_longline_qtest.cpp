// SPDX-License-Identifier: BSD-3-Clause
// fault_longline_qtest: Qt Test functions that write 1 MiB to stdout without a
// newline (straight to fd 1, so Qt's PASS or FAIL line follows on the same
// line). The function keeps its verdict; its output is capped with a note.
//
// Expected status of every function:
//   longLinePasses   Passed
//   longLineFails    Failed
//   honest           Passed
#include <QtTest>

#include "longline.h"

class TestFaultLongLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void longLinePasses() { QVERIFY(writeLongLine()); }
    void longLineFails()
    {
        QVERIFY(writeLongLine());
        QFAIL("this function really fails");
    }
    void honest() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestFaultLongLine)
#include "fault_longline_qtest.moc"
