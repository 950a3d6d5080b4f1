// SPDX-License-Identifier: BSD-3-Clause
// A data row with an empty tag, which Qt Test cannot select ("rows:" runs
// every row). Expected: rows: Failed (cannot select, empty tag),
// rows:fine Passed, plain Passed.
#include <QtTest>

class TestBadTags : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rows_data()
    {
        QTest::addColumn<int>("n");
        QTest::newRow("") << 0;
        QTest::newRow("fine") << 1;
    }
    void rows() { QVERIFY(true); }
    void plain() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestBadTags)
#include "qt_badtags.moc"
