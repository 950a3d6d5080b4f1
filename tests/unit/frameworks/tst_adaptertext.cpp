// SPDX-License-Identifier: BSD-3-Clause
// The text helpers the framework adapters share (adaptertext.h).
#include "frameworks/adaptertext.h"

#include <QTest>

using namespace ctestd;

class TestAdapterText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodeXmlEntities_data();
    void decodeXmlEntities();
    void joinedMessage();
};

void TestAdapterText::decodeXmlEntities_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QByteArray("a < b") << QStringLiteral("a < b");
    QTest::newRow("named") << QByteArray("&lt;&gt;&amp;&quot;&apos;") << QStringLiteral("<>&\"'");
    QTest::newRow("decimal") << QByteArray("&#233;t&#233;") << QStringLiteral("\u00e9t\u00e9");
    QTest::newRow("hex") << QByteArray("&#x263A;") << QStringLiteral("\u263a");
    QTest::newRow("beyond the BMP") << QByteArray("&#x1F600;") << QString::fromUtf8("\xf0\x9f\x98\x80");
    QTest::newRow("unknown entity") << QByteArray("&nbsp;x") << QStringLiteral("&nbsp;x");
    QTest::newRow("NUL reference") << QByteArray("&#0;") << QStringLiteral("&#0;");
    QTest::newRow("beyond Unicode") << QByteArray("&#x110000;") << QStringLiteral("&#x110000;");
    QTest::newRow("lone ampersand") << QByteArray("a & b") << QStringLiteral("a & b");
    QTest::newRow("no semicolon") << QByteArray("&lt") << QStringLiteral("&lt");
    QTest::newRow("doctest's \\x escape stays") << QByteArray("\\x01&amp;") << QStringLiteral("\\x01&");
    QTest::newRow("double-encoded once") << QByteArray("&amp;lt;") << QStringLiteral("&lt;");
}

void TestAdapterText::decodeXmlEntities()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, text);
    QCOMPARE(ctestd::decodeXmlEntities(xml), text);
}

void TestAdapterText::joinedMessage()
{
    QCOMPARE(ctestd::joinedMessage({}), QString());
    QCOMPARE(ctestd::joinedMessage({QStringLiteral("a"), QStringLiteral("  b"), QString(), QStringLiteral(" \t")}),
        QStringLiteral("a\n  b"));
    QCOMPARE(ctestd::joinedMessage({QString(), QStringLiteral("a")}), QStringLiteral("\na"));
}

QTEST_GUILESS_MAIN(TestAdapterText)
#include "tst_adaptertext.moc"
