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

#include <string>
#include <unistd.h>

namespace {
bool writeLongLine()
{
    const std::string text(1 << 20, 'j');
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(1, text.data() + written, text.size() - written);
        if (n <= 0)
            return false;
        written += std::size_t(n);
    }
    return true;
}
} // namespace

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
