// SPDX-License-Identifier: BSD-3-Clause
// Data rows Qt Test cannot select: one with an empty tag ("rows:" runs
// every row), and a second row with the same tag as the first (Qt runs only
// the first row of a tag; this one fails). Expected: rows: Failed (cannot
// select, empty tag), rows:fine Passed, plain Passed, twice:dup Passed,
// "twice:dup (row 2)" Failed (cannot run, duplicate tag), twice:other Passed.
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
    void twice_data()
    {
        QTest::addColumn<bool>("ok");
        QTest::newRow("dup") << true;
        QTest::newRow("dup") << false;
        QTest::newRow("other") << true;
    }
    void twice()
    {
        QFETCH(bool, ok);
        QVERIFY(ok);
    }
};

QTEST_GUILESS_MAIN(TestBadTags)
#include "qt_badtags.moc"
