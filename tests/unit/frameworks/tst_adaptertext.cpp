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
    void parseXmlTag_data();
    void parseXmlTag();
    void messageBudget();
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

void TestAdapterText::parseXmlTag_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("parse"); // XmlTagParse
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QString>("shape"); // "open", "close" or "empty"
    QTest::addColumn<QStringList>("attributes"); // "name=value", sorted

    const int complete = int(ctestd::XmlTagParse::Complete), incomplete = int(ctestd::XmlTagParse::Incomplete),
              invalid = int(ctestd::XmlTagParse::Invalid);
    QTest::newRow("open") << QByteArray(R"(<TestCase name="a &lt;b&gt;" line="7">)") << complete
                          << QByteArray("TestCase") << QStringLiteral("open")
                          << QStringList {QStringLiteral("line=7"), QStringLiteral("name=a <b>")};
    QTest::newRow("empty element") << QByteArray(R"(<Section name="s"/>)") << complete << QByteArray("Section")
                                   << QStringLiteral("empty") << QStringList {QStringLiteral("name=s")};
    QTest::newRow("close") << QByteArray("</TestCase>") << complete << QByteArray("TestCase") << QStringLiteral("close")
                           << QStringList {};
    QTest::newRow("dash in an attribute name")
        << QByteArray(R"(<Catch2TestRun catch2-version="3.4.0">)") << complete << QByteArray("Catch2TestRun")
        << QStringLiteral("open") << QStringList {QStringLiteral("catch2-version=3.4.0")};
    QTest::newRow("a value runs over the line") << QByteArray(R"(<TestCase name="first line)") << incomplete
                                                << QByteArray("TestCase") << QStringLiteral("open") << QStringList {};
    QTest::newRow("text after the tag") << QByteArray("<A>x") << invalid << QByteArray("A") << QStringLiteral("open")
                                        << QStringList {};
    QTest::newRow("closing tag with an attribute")
        << QByteArray(R"(</A b="c">)") << invalid << QByteArray("A") << QStringLiteral("close") << QStringList {};
    QTest::newRow("unquoted value") << QByteArray("<A b=c>") << invalid << QByteArray("A") << QStringLiteral("open")
                                    << QStringList {};
    QTest::newRow("no name") << QByteArray(R"(< b="c">)") << invalid << QByteArray() << QStringLiteral("open")
                             << QStringList {};
    QTest::newRow("not a tag") << QByteArray("text") << invalid << QByteArray() << QStringLiteral("open")
                               << QStringList {};
}

void TestAdapterText::parseXmlTag()
{
    QFETCH(QByteArray, text);
    QFETCH(int, parse);
    QFETCH(QByteArray, name);
    QFETCH(QString, shape);
    QFETCH(QStringList, attributes);

    ctestd::XmlTag tag;
    QCOMPARE(int(ctestd::parseXmlTag(text, &tag)), parse);
    QCOMPARE(tag.name, name);
    if (parse == int(ctestd::XmlTagParse::Invalid))
        return;
    QCOMPARE(tag.closing, shape == QLatin1String("close"));
    QCOMPARE(tag.selfClosing, shape == QLatin1String("empty"));
    QStringList found;
    for (auto it = tag.attributes.cbegin(); it != tag.attributes.cend(); ++it)
        found.append(QString::fromLatin1(it.key()) + QLatin1Char('=') + it.value());
    found.sort();
    QCOMPARE(found, attributes);
}

void TestAdapterText::messageBudget()
{
    // 10 characters: "abc" costs 4 with its newline, "defg" 5; "hij" does
    // not fit whole, so one character of it goes in, then the marker.
    ctestd::MessageBudget budget(10);
    QStringList lines;
    QVERIFY(budget.append(&lines, QStringLiteral("abc")));
    QVERIFY(budget.append(&lines, QStringLiteral("defg")));
    QVERIFY(!budget.append(&lines, QStringLiteral("hij")));
    QVERIFY(!budget.append(&lines, QStringLiteral("k")));
    QCOMPARE(lines,
        QStringList({QStringLiteral("abc"), QStringLiteral("defg"), QStringLiteral("h"),
            QStringLiteral("[... truncated by ctestd]")}));

    // The default is the cap every framework's failure text shares.
    ctestd::MessageBudget cap;
    QStringList big;
    QVERIFY(!cap.append(&big, QString(ctestd::defaults::FailureMessageChars + 1, QLatin1Char('x'))));
    QCOMPARE(big.size(), 2);
    QCOMPARE(big.at(0).size(), ctestd::defaults::FailureMessageChars);
}

QTEST_GUILESS_MAIN(TestAdapterText)
#include "tst_adaptertext.moc"
