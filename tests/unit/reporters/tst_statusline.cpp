// SPDX-License-Identifier: BSD-3-Clause
// The terminal's live status line: what it says and how it fits.
#include "reporters/statusline.h"

#include <QBuffer>
#include <QtTest>

using namespace ctestd;

class TestStatusLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void saysWhatRuns();
    void fitsTheWidth();
    void drawsAndErasesInPlace();
};

void TestStatusLine::saysWhatRuns()
{
    QBuffer terminal;
    QVERIFY(terminal.open(QIODevice::WriteOnly));
    StatusLine line(&terminal, 80);
    line.start(5);
    QCOMPARE(line.text(0), QByteArray("[0/5] 0 s"));
    line.caseStarted(QStringLiteral("A.One"));
    line.caseStarted(QStringLiteral("B.Two"));
    QCOMPARE(line.text(12500), QByteArray("[0/5] 12 s  running 2: A.One, B.Two"));
    line.caseFinished(QStringLiteral("A.One"));
    QCOMPARE(line.text(13000), QByteArray("[1/5] 13 s  running 1: B.Two"));
}

void TestStatusLine::fitsTheWidth()
{
    QBuffer terminal;
    QVERIFY(terminal.open(QIODevice::WriteOnly));
    StatusLine line(&terminal, 45);
    line.start(100);
    for (int i = 0; i < 10; ++i)
        line.caseStarted(QStringLiteral("Suite.Case%1").arg(i));
    const QByteArray text = line.text(1000);
    QVERIFY2(text.size() <= 44, text.constData()); // never the last column: no wrap
    QVERIFY2(text.startsWith("[0/100] 1 s  running 10: Suite.Case0"), text.constData());
    QVERIFY2(text.endsWith(", ..."), text.constData());
    StatusLine narrow(&terminal, 30);
    narrow.start(100);
    narrow.caseStarted(QStringLiteral("Suite.AVeryLongCaseName"));
    narrow.caseStarted(QStringLiteral("Suite.Other"));
    QCOMPARE(narrow.text(0), QByteArray("[0/100] 0 s  running 2: ...")); // no name fits
}

void TestStatusLine::drawsAndErasesInPlace()
{
    QBuffer terminal;
    QVERIFY(terminal.open(QIODevice::WriteOnly));
    StatusLine line(&terminal, 80);
    line.show(); // not started: nothing
    QCOMPARE(terminal.data(), QByteArray());
    line.start(1);
    line.show();
    line.hide();
    line.hide(); // hidden already: nothing more
    line.stop();
    line.show(); // stopped: nothing more
    QCOMPARE(terminal.data(), QByteArray("\r[0/1] 0 s\033[K\r\033[K"));
}

QTEST_GUILESS_MAIN(TestStatusLine)
#include "tst_statusline.moc"
