// SPDX-License-Identifier: BSD-3-Clause
// A function that calls exit(3): Qt Test itself exits with its failure count,
// so 3 looks like a normal end, but no Totals line follows. Expected: first
// Passed, exits Failed ("test process exited with code 3 while running
// exits"), last Passed (run again in a second process).
#include <QtTest>

#include <cstdlib>

class TestExit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void first() { QVERIFY(true); }
    void exits() { std::exit(3); }
    void last() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestExit)
#include "qt_exit.moc"
