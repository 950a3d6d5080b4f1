// SPDX-License-Identifier: BSD-3-Clause
// The smallest Qt Test program: tst_detection must call it "qtest".
#include <QtTest>

class Detected : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detected() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(Detected)
#include "qtest_main.moc"
