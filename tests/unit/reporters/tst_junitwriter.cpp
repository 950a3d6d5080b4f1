// SPDX-License-Identifier: BSD-3-Clause
// Tests for JUnitWriter and the cmXMLSafe-style escaping.
//
// data/junit_mixed.junit.xml is the expected file for mixedRun() below, with a
// fixed timestamp, hostname and times. Regenerating:
// CTESTD_REGENERATE_GOLDEN=1 ctest -R unit.tst_junitwriter rewrites it from the
// current output; review the diff before committing it.

#include "goldenfile.h"
#include "reporters/junitwriter.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <csignal>

using namespace ctestd;

namespace {

const QString kBuild = QStringLiteral("/home/user/project/build/");

struct Run {
    QVector<TestCase> cases;
    QVector<CaseResult> results;
};

TestCase makeCase(
    int index, const QString &exe, const QString &suite, const QString &name, const QString &file = {}, int line = 0)
{
    TestCase c;
    c.index = index;
    c.executable = kBuild + exe;
    c.suite = suite;
    c.name = name;
    c.displayName = suite.isEmpty() ? name : suite + QLatin1Char('.') + name;
    c.file = file;
    c.line = line;
    return c;
}

CaseResult makeResult(Status status, double seconds, const QString &message = {})
{
    CaseResult r;
    r.status = status;
    r.seconds = seconds;
    r.message = message;
    return r;
}

// Bytes a misbehaving test may print: invalid UTF-8, NUL, an escape sequence,
// CRLF, a CDATA terminator (also one completed by a marker), U+FFFE, an emoji.
const char kNastyRaw[] = "bad \xff\xfe bytes, truncated \xe2\x82, overlong \xc0\xaf, surrogate \xed\xa0\x80\n"
                         "NUL<\0> ESC\x1b[31mred\x1b[0m BEL\x07\n"
                         "CRLF line\r\n"
                         "cdata end ]]> and ]]]]> and \x1b]>\n"
                         "U+FFFE <\xef\xbf\xbe> emoji \xf0\x9f\x98\x80 <>&\"'\n";
const QByteArray kNastyOut(kNastyRaw, sizeof(kNastyRaw) - 1);

Run mixedRun()
{
    Run run;
    const auto add = [&run](const TestCase &c, const CaseResult &r) {
        run.cases.append(c);
        run.results.append(r);
    };
    const QString math = QStringLiteral("tst_math");
    const QString uni = QStringLiteral("tst_Ünïcödé");
    const QString src = QStringLiteral("/home/user/project/src/");

    CaseResult failedUnicode
        = makeResult(Status::Failed, 0.0345, QStringLiteral("Value of: x\n  Actual: 1\nExpected: 2 (Grüße)"));
    failedUnicode.file = src + QStringLiteral("ünï.cpp");
    failedUnicode.line = 7;
    failedUnicode.stdOut = "Ünïcödé output \xe2\x9c\x93\n";
    failedUnicode.stdErr = "warning: something\n";

    CaseResult segv = makeResult(Status::Crashed, 0.002, QStringLiteral("Received signal 11"));
    segv.signal = SIGSEGV;
    segv.stdOut = "[ RUN      ] Crash.Segv\n";
    CaseResult abort = makeResult(Status::Crashed, 0.001);
    abort.signal = SIGABRT;
    abort.stdErr = "tst: assertion failed\n";
    CaseResult lost = makeResult(Status::Crashed, 0.5, QStringLiteral("worker connection closed"));
    lost.signal = 0;

    CaseResult timeout = makeResult(Status::Timeout, 2.0, QStringLiteral("Timed out after 2 s"));
    timeout.stdOut = "sleeping\n";

    CaseResult nasty = makeResult(Status::Failed, 0.000449,
        QStringLiteral("expected <a> & \"b\" 'c'\r\nNUL") + QChar(0) + QStringLiteral(" ESC") + QChar(0x1b)
            + QStringLiteral(" ]]> end"));
    nasty.stdOut = kNastyOut;
    nasty.stdErr = "]]>]]>\n";

    // Deliberately not in #K order: the writer sorts.
    add(makeCase(3, math, QStringLiteral("Math"), QStringLiteral("Fail"), src + QStringLiteral("math.cpp"), 20),
        makeResult(Status::Failed, 0.001));
    add(makeCase(1, math, QStringLiteral("Math"), QStringLiteral("Add"), src + QStringLiteral("math.cpp"), 12),
        makeResult(Status::Passed, 0.0012));
    add(makeCase(2, uni, QStringLiteral("Ünïcödé"), QStringLiteral("Grüße"), src + QStringLiteral("ünï.cpp"), 5),
        failedUnicode);
    add(makeCase(4, math, QStringLiteral("Math"), QStringLiteral("Skip")),
        makeResult(Status::Skipped, 0.0, QStringLiteral("not on this platform\nsecond line")));
    add(makeCase(5, math, QStringLiteral("Math"), QStringLiteral("Off")), makeResult(Status::Disabled, 0.0));
    add(makeCase(6, uni, QStringLiteral("Crash"), QStringLiteral("Segv")), segv);
    add(makeCase(7, uni, QStringLiteral("Crash"), QStringLiteral("Abort")), abort);
    add(makeCase(8, math, QStringLiteral("Slow"), QStringLiteral("Sleep")), timeout);
    add(makeCase(9, QStringLiteral("plain_test"), QString(), QStringLiteral("plain_test")),
        makeResult(Status::NotRun, 0.0, QStringLiteral("Unable to find executable: /nonexistent/prog")));
    add(makeCase(10, math, QStringLiteral("Nasty"), QStringLiteral("Quotes<\"'&>")), nasty);
    add(makeCase(11, uni, QStringLiteral("Crash"), QStringLiteral("Lost")), lost);
    add(makeCase(12, QStringLiteral("plain_test"), QString(), QStringLiteral("second")),
        makeResult(Status::Skipped, 0.0));
    return run;
}

JUnitRunInfo fixedInfo()
{
    JUnitRunInfo info;
    info.timestamp = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9));
    info.hostname = QStringLiteral("build-host");
    info.wallSeconds = 3.25;
    info.caseLocations = true; // --junit-locations: file and line where known
    return info;
}

// The JUnit file of one case that failed at /src/a.cpp:7 with `message`.
QByteArray failedAtA7(const QString &message)
{
    CaseResult result = makeResult(Status::Failed, 0.001, message);
    result.file = QStringLiteral("/src/a.cpp");
    result.line = 7;
    return JUnitWriter::toXml(
        {makeCase(1, QStringLiteral("tst"), QStringLiteral("S"), QStringLiteral("c"))}, {result}, fixedInfo());
}

// Every element name and the text of each system-out/system-err, or the error.
struct Parsed {
    QString error;
    QStringList elements;
    QStringList outputs;
};

Parsed parse(const QByteArray &xml)
{
    Parsed parsed;
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        parsed.elements << reader.name().toString();
        if (reader.name() == QLatin1String("system-out") || reader.name() == QLatin1String("system-err"))
            parsed.outputs << reader.readElementText();
    }
    if (reader.hasError())
        parsed.error = QStringLiteral("line %1: %2").arg(reader.lineNumber()).arg(reader.errorString());
    return parsed;
}

// The attributes of every element with the given name, in document order.
using Attributes = QMap<QString, QString>;
QVector<Attributes> attributesOf(const QByteArray &xml, const QString &element)
{
    QVector<Attributes> all;
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement || reader.name() != element)
            continue;
        Attributes attributes;
        const QXmlStreamAttributes xmlAttributes = reader.attributes();
        for (const QXmlStreamAttribute &a : xmlAttributes)
            attributes.insert(a.name().toString(), a.value().toString());
        all.append(attributes);
    }
    return all;
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

} // namespace

class TestJUnitWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void golden();
    void structure();
    void outcomes();
    void failureTextLedByLocationOnce_data();
    void failureTextLedByLocationOnce();
    void messageIsTheAssertion_data();
    void messageIsTheAssertion();
    void sanitise_data();
    void sanitise();
    void nastyTextRoundTrips();
    void longOutput();
    void xmllintAccepts();
    void jenkinsXunitAttributesByDefault();
    void writeReplacesExistingFile();
    void writeIntoMissingDirectoryFails();
    void writeOntoDirectoryFails();
    void writeIntoFifoInPlace();
    void buildTreeIdentity();
};

void TestJUnitWriter::golden()
{
    const Run run = mixedRun();
    const QByteArray xml = JUnitWriter::toXml(run.cases, run.results, fixedInfo());
    const Parsed parsed = parse(xml);
    QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));

    const QString problem = goldenFileProblem(QStringLiteral(CTESTD_TEST_DATA_DIR "/junit_mixed.junit.xml"), xml);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestJUnitWriter::structure()
{
    const Run run = mixedRun();
    const QByteArray xml = JUnitWriter::toXml(run.cases, run.results, fixedInfo());

    const auto root = attributesOf(xml, QStringLiteral("testsuites"));
    QCOMPARE(root.size(), 1);
    QCOMPARE(root[0].value(QStringLiteral("name")), QStringLiteral("ctestd"));
    QCOMPARE(root[0].value(QStringLiteral("tests")), QStringLiteral("12"));
    QCOMPARE(root[0].value(QStringLiteral("failures")), QStringLiteral("3")); // Fail, Grüße, Quotes
    QCOMPARE(root[0].value(QStringLiteral("errors")), QStringLiteral("5")); // Segv, Abort, Lost, Sleep, plain_test
    QCOMPARE(root[0].value(QStringLiteral("time")), QStringLiteral("3.250"));
    // Jenkins' xunit plugin (junit-10.xsd) refuses these on <testsuites>;
    // every <testsuite> has them.
    QVERIFY(!root[0].contains(QStringLiteral("skipped")));
    QVERIFY(!root[0].contains(QStringLiteral("timestamp")));

    // One suite per executable, ordered by each executable's first case.
    const auto suites = attributesOf(xml, QStringLiteral("testsuite"));
    QCOMPARE(suites.size(), 3);
    QCOMPARE(suites[0].value(QStringLiteral("name")), QStringLiteral("tst_math"));
    QCOMPARE(suites[1].value(QStringLiteral("name")), QStringLiteral("tst_Ünïcödé"));
    QCOMPARE(suites[2].value(QStringLiteral("name")), QStringLiteral("plain_test"));
    QCOMPARE(suites[0].value(QStringLiteral("tests")), QStringLiteral("6"));
    QCOMPARE(suites[0].value(QStringLiteral("failures")), QStringLiteral("2"));
    QCOMPARE(suites[0].value(QStringLiteral("errors")), QStringLiteral("1"));
    QCOMPARE(suites[0].value(QStringLiteral("skipped")), QStringLiteral("2"));
    QCOMPARE(suites[0].value(QStringLiteral("time")), QStringLiteral("2.003")); // 0.0012+0.001+2+0.000449
    QCOMPARE(suites[0].value(QStringLiteral("hostname")), QStringLiteral("build-host"));
    QCOMPARE(suites[0].value(QStringLiteral("timestamp")), QStringLiteral("2024-05-06T07:08:09"));
    QCOMPARE(suites[1].value(QStringLiteral("errors")), QStringLiteral("3"));
    QCOMPARE(suites[2].value(QStringLiteral("errors")), QStringLiteral("1"));
    QCOMPARE(suites[2].value(QStringLiteral("skipped")), QStringLiteral("1"));

    // Cases in #K order within each suite; classname is "<exe>.<suite>" or "<exe>".
    const auto cases = attributesOf(xml, QStringLiteral("testcase"));
    QStringList names;
    for (const auto &c : cases)
        names << c.value(QStringLiteral("classname")) + QLatin1Char('/') + c.value(QStringLiteral("name"));
    QCOMPARE(names,
        QStringList({QStringLiteral("tst_math.Math/Add"), QStringLiteral("tst_math.Math/Fail"),
            QStringLiteral("tst_math.Math/Skip"), QStringLiteral("tst_math.Math/Off"),
            QStringLiteral("tst_math.Slow/Sleep"), QStringLiteral("tst_math.Nasty/Quotes<\"'&>"),
            QStringLiteral("tst_Ünïcödé.Ünïcödé/Grüße"), QStringLiteral("tst_Ünïcödé.Crash/Segv"),
            QStringLiteral("tst_Ünïcödé.Crash/Abort"), QStringLiteral("tst_Ünïcödé.Crash/Lost"),
            QStringLiteral("plain_test/plain_test"), QStringLiteral("plain_test/second")}));

    // file/line only where the framework told us where the case is defined.
    QCOMPARE(cases[0].value(QStringLiteral("file")), QStringLiteral("/home/user/project/src/math.cpp"));
    QCOMPARE(cases[0].value(QStringLiteral("line")), QStringLiteral("12"));
    QCOMPARE(cases[0].value(QStringLiteral("time")), QStringLiteral("0.001"));
    QVERIFY(!cases[2].contains(QStringLiteral("file")));
    QVERIFY(!cases[2].contains(QStringLiteral("line")));
}

void TestJUnitWriter::outcomes()
{
    const Run run = mixedRun();
    const QByteArray xml = JUnitWriter::toXml(run.cases, run.results, fixedInfo());

    const auto failures = attributesOf(xml, QStringLiteral("failure"));
    QCOMPARE(failures.size(), 3);
    QCOMPARE(failures[0].value(QStringLiteral("message")), QStringLiteral("Failed")); // no message given
    QCOMPARE(failures[0].value(QStringLiteral("type")), QStringLiteral("failure"));
    // The first paragraph on one line: the assertion, not only its first line.
    QCOMPARE(failures[2].value(QStringLiteral("message")),
        QString::fromUtf8("Value of: x Actual: 1 Expected: 2 (Gr\u00FC\u00DFe)"));

    const auto errors = attributesOf(xml, QStringLiteral("error"));
    QStringList kinds;
    for (const auto &e : errors)
        kinds << e.value(QStringLiteral("type")) + QLatin1Char(':') + e.value(QStringLiteral("message"));
    QCOMPARE(kinds,
        QStringList({QStringLiteral("timeout:Timed out after 2 s"), QStringLiteral("crash:SegFault"),
            QStringLiteral("crash:Subprocess aborted"), QStringLiteral("crash:Worker lost"),
            QStringLiteral("notrun:Unable to find executable: /nonexistent/prog")}));

    const auto skipped = attributesOf(xml, QStringLiteral("skipped"));
    QCOMPARE(skipped.size(), 3);
    QCOMPARE(skipped[0].value(QStringLiteral("message")), QStringLiteral("not on this platform second line"));
    QCOMPARE(skipped[1].value(QStringLiteral("message")), QStringLiteral("disabled"));
    QVERIFY(!skipped[2].contains(QStringLiteral("message")));

    // The failure body carries the full message behind the failure location.
    QVERIFY(xml.contains("<failure message=\"Value of: x Actual: 1 Expected: 2 (Gr\xc3\xbc\xc3\x9f"
                         "e)\" type=\"failure\">/home/user/project/src/"
                         "\xc3\xbc"
                         "n\xc3\xaf.cpp:7: Value of: x\n  Actual: 1\nExpected: 2 (Gr\xc3\xbc\xc3\x9f"
                         "e)</failure>"));
    // A passed case without output is an empty element.
    QVERIFY(xml.contains("<testcase name=\"Add\" classname=\"tst_math.Math\" time=\"0.001\" "
                         "file=\"/home/user/project/src/math.cpp\" line=\"12\"/>\n"));
}

void TestJUnitWriter::failureTextLedByLocationOnce_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("text"); // of <failure>
    // gtest and Qt Test: the message has no location; it is put first.
    QTest::newRow("without") << QStringLiteral("Value of: x") << QStringLiteral("/src/a.cpp:7: Value of: x");
    // Catch2 and doctest: the message starts with it; it is not said twice.
    QTest::newRow("leading") << QStringLiteral("/src/a.cpp:7: FAILED:\n  CHECK( x )")
                             << QStringLiteral("/src/a.cpp:7: FAILED:\n  CHECK( x )");
    // Named later in the message (a second failure on the same line): still put first.
    QTest::newRow("later") << QStringLiteral("first\n/src/a.cpp:7: again")
                           << QStringLiteral("/src/a.cpp:7: first\n/src/a.cpp:7: again");
    // Another line of the same file is not the location.
    QTest::newRow("other line") << QStringLiteral("/src/a.cpp:70: FAILED:")
                                << QStringLiteral("/src/a.cpp:7: /src/a.cpp:70: FAILED:");
}

void TestJUnitWriter::failureTextLedByLocationOnce()
{
    QFETCH(QString, message);
    QFETCH(QString, text);
    const QByteArray xml = failedAtA7(message);
    QXmlStreamReader reader(xml);
    QString body;
    while (!reader.atEnd() && body.isEmpty()) {
        if (reader.readNext() == QXmlStreamReader::StartElement && reader.name() == QLatin1String("failure"))
            body = reader.readElementText();
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    QCOMPARE(body, text);
}

void TestJUnitWriter::messageIsTheAssertion_data()
{
    QTest::addColumn<QString>("message"); // the framework's, as parsed
    QTest::addColumn<QString>("attribute"); // <failure message=...>
    // Messages as gt_basic, c2_basic, dt_basic and qt_basic give them.
    QTest::newRow("gtest") << QStringLiteral(
        "Expected equality of these values:\n  GetParam() % 2\n    Which is: 1\n  0")
                           << QStringLiteral("Expected equality of these values: GetParam() % 2 Which is: 1 0");
    QTest::newRow("Catch2: not a bare location")
        << QStringLiteral("/src/a.cpp:7: FAILED:\n  REQUIRE( a == 2 )\nwith expansion:\n  1 == 2")
        << QStringLiteral("FAILED: REQUIRE( a == 2 ) with expansion: 1 == 2");
    QTest::newRow("doctest") << QStringLiteral(
        "/src/a.cpp:7: ERROR: CHECK( v == 2 ) is NOT correct!\n  values: CHECK( 1 == 2 )")
                             << QStringLiteral("ERROR: CHECK( v == 2 ) is NOT correct! values: CHECK( 1 == 2 )");
    QTest::newRow("Qt Test") << QStringLiteral(
        "Compared values are not the same\n   Actual   (two): 2\n   Expected (3)  : 3")
                             << QStringLiteral("Compared values are not the same Actual (two): 2 Expected (3) : 3");
    QTest::newRow("the first of several failures")
        << QStringLiteral("\n\nValue of: x\n  Actual: false\n\n/src/a.cpp:9: Failure\nValue of: y")
        << QStringLiteral("Value of: x Actual: false");
    QTest::newRow("another file's location stays")
        << QStringLiteral("/src/b.cpp:7: FAILED:") << QStringLiteral("/src/b.cpp:7: FAILED:");
    QTest::newRow("nothing but the location stays")
        << QStringLiteral("/src/a.cpp:7: ") << QStringLiteral("/src/a.cpp:7:");
    QTest::newRow("capped") << QString(400, QLatin1Char('x')) << QString(297, QLatin1Char('x')) + QStringLiteral("...");
}

void TestJUnitWriter::messageIsTheAssertion()
{
    QFETCH(QString, message);
    QFETCH(QString, attribute);
    const QByteArray xml = failedAtA7(message);
    const QVector<Attributes> failures = attributesOf(xml, QStringLiteral("failure"));
    QCOMPARE(failures.size(), 1);
    QCOMPARE(failures.first().value(QStringLiteral("message")), attribute);
}

void TestJUnitWriter::sanitise_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("attribute");
    QTest::addColumn<QByteArray>("cdata");

    QTest::newRow("plain") << QByteArray("plain") << QByteArray("plain") << QByteArray("plain")
                           << QByteArray("<![CDATA[plain]]>");
    QTest::newRow("invalid byte") << QByteArray("a\xff") << QByteArray("a[NON-UTF-8-BYTE-0xFF]")
                                  << QByteArray("a[NON-UTF-8-BYTE-0xFF]")
                                  << QByteArray("<![CDATA[a[NON-UTF-8-BYTE-0xFF]]]>");
    QTest::newRow("nul") << QByteArray("\0", 1) << QByteArray("[NON-XML-CHAR-0x0]") << QByteArray("[NON-XML-CHAR-0x0]")
                         << QByteArray("<![CDATA[[NON-XML-CHAR-0x0]]]>");
    QTest::newRow("esc") << QByteArray("\x1b[0m") << QByteArray("[NON-XML-CHAR-0x1B][0m")
                         << QByteArray("[NON-XML-CHAR-0x1B][0m") << QByteArray("<![CDATA[[NON-XML-CHAR-0x1B][0m]]>");
    QTest::newRow("cr dropped") << QByteArray("a\r\nb\r") << QByteArray("a\nb") << QByteArray("a&#10;b")
                                << QByteArray("<![CDATA[a\nb]]>");
    QTest::newRow("tab") << QByteArray("a\tb") << QByteArray("a\tb") << QByteArray("a&#9;b")
                         << QByteArray("<![CDATA[a\tb]]>");
    QTest::newRow("U+FFFE") << QByteArray("\xef\xbf\xbe") << QByteArray("[NON-XML-CHAR-0xFFFE]")
                            << QByteArray("[NON-XML-CHAR-0xFFFE]") << QByteArray("<![CDATA[[NON-XML-CHAR-0xFFFE]]]>");
    QTest::newRow("U+FFFF") << QByteArray("\xef\xbf\xbf") << QByteArray("[NON-XML-CHAR-0xFFFF]")
                            << QByteArray("[NON-XML-CHAR-0xFFFF]") << QByteArray("<![CDATA[[NON-XML-CHAR-0xFFFF]]]>");
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << QByteArray("[NON-UTF-8-BYTE-0xC0][NON-UTF-8-BYTE-0xAF]")
                              << QByteArray("[NON-UTF-8-BYTE-0xC0][NON-UTF-8-BYTE-0xAF]")
                              << QByteArray("<![CDATA[[NON-UTF-8-BYTE-0xC0][NON-UTF-8-BYTE-0xAF]]]>");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80")
                               << QByteArray("[NON-UTF-8-BYTE-0xED][NON-UTF-8-BYTE-0xA0][NON-UTF-8-BYTE-0x80]")
                               << QByteArray("[NON-UTF-8-BYTE-0xED][NON-UTF-8-BYTE-0xA0][NON-UTF-8-BYTE-0x80]")
                               << QByteArray(
                                      "<![CDATA[[NON-UTF-8-BYTE-0xED][NON-UTF-8-BYTE-0xA0][NON-UTF-8-BYTE-0x80]]]>");
    QTest::newRow("truncated") << QByteArray("\xe2\x82x") << QByteArray("[NON-UTF-8-BYTE-0xE2][NON-UTF-8-BYTE-0x82]x")
                               << QByteArray("[NON-UTF-8-BYTE-0xE2][NON-UTF-8-BYTE-0x82]x")
                               << QByteArray("<![CDATA[[NON-UTF-8-BYTE-0xE2][NON-UTF-8-BYTE-0x82]x]]>");
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80")
                                    << QByteArray("[NON-UTF-8-BYTE-0xF4][NON-UTF-8-BYTE-0x90][NON-UTF-8-BYTE-0x80]"
                                                  "[NON-UTF-8-BYTE-0x80]")
                                    << QByteArray("[NON-UTF-8-BYTE-0xF4][NON-UTF-8-BYTE-0x90][NON-UTF-8-BYTE-0x80]"
                                                  "[NON-UTF-8-BYTE-0x80]")
                                    << QByteArray("<![CDATA[[NON-UTF-8-BYTE-0xF4][NON-UTF-8-BYTE-0x90][NON-UTF-8-BYTE-"
                                                  "0x80][NON-UTF-8-BYTE-0x80]]]>");
    QTest::newRow("valid multibyte") << QByteArray("\xc3\x9cn\xc3\xaf \xe2\x9c\x93 \xf0\x9f\x98\x80")
                                     << QByteArray("\xc3\x9cn\xc3\xaf \xe2\x9c\x93 \xf0\x9f\x98\x80")
                                     << QByteArray("\xc3\x9cn\xc3\xaf \xe2\x9c\x93 \xf0\x9f\x98\x80")
                                     << QByteArray("<![CDATA[\xc3\x9cn\xc3\xaf \xe2\x9c\x93 \xf0\x9f\x98\x80]]>");
    QTest::newRow("markup") << QByteArray("<a> & \"b\" 'c'") << QByteArray("&lt;a&gt; &amp; \"b\" 'c'")
                            << QByteArray("&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;")
                            << QByteArray("<![CDATA[<a> & \"b\" 'c']]>");
    QTest::newRow("cdata end") << QByteArray("x]]>y") << QByteArray("x]]&gt;y") << QByteArray("x]]&gt;y")
                               << QByteArray("<![CDATA[x]]]]><![CDATA[>y]]>");
    QTest::newRow("cdata ends twice") << QByteArray("]]>]]>") << QByteArray("]]&gt;]]&gt;")
                                      << QByteArray("]]&gt;]]&gt;")
                                      << QByteArray("<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>");
    // The marker's closing bracket completes a "]]>" that was not in the input.
    QTest::newRow("marker completes cdata end")
        << QByteArray("\x1b]>") << QByteArray("[NON-XML-CHAR-0x1B]]&gt;") << QByteArray("[NON-XML-CHAR-0x1B]]&gt;")
        << QByteArray("<![CDATA[[NON-XML-CHAR-0x1B]]]]><![CDATA[>]]>");
}

void TestJUnitWriter::sanitise()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, attribute);
    QFETCH(QByteArray, cdata);
    QCOMPARE(xmlSafeText(input), text);
    QCOMPARE(xmlSafeAttribute(input), attribute);
    QCOMPARE(xmlSafeCData(input), cdata);

    // Whatever went in, a parser reads the escaped forms back without error.
    const QByteArray doc = "<r a=\"" + attribute + "\">" + text + cdata + "</r>";
    QXmlStreamReader reader(doc);
    while (!reader.atEnd())
        reader.readNext();
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
}

void TestJUnitWriter::nastyTextRoundTrips()
{
    const Run run = mixedRun();
    const QByteArray xml = JUnitWriter::toXml(run.cases, run.results, fixedInfo());
    const Parsed parsed = parse(xml);
    QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));

    // The reader sees the test's text with only the unrepresentable parts replaced.
    const QString expectedOut = QString::fromUtf8(
        "bad [NON-UTF-8-BYTE-0xFF][NON-UTF-8-BYTE-0xFE] bytes, truncated [NON-UTF-8-BYTE-0xE2][NON-UTF-8-BYTE-0x82], "
        "overlong [NON-UTF-8-BYTE-0xC0][NON-UTF-8-BYTE-0xAF], surrogate "
        "[NON-UTF-8-BYTE-0xED][NON-UTF-8-BYTE-0xA0][NON-UTF-8-BYTE-0x80]\n"
        "NUL<[NON-XML-CHAR-0x0]> ESC[NON-XML-CHAR-0x1B][31mred[NON-XML-CHAR-0x1B][0m BEL[NON-XML-CHAR-0x7]\n"
        "CRLF line\n"
        "cdata end ]]> and ]]]]> and [NON-XML-CHAR-0x1B]]>\n"
        "U+FFFE <[NON-XML-CHAR-0xFFFE]> emoji \xf0\x9f\x98\x80 <>&\"'\n");
    QVERIFY(parsed.outputs.contains(expectedOut));
    QVERIFY(parsed.outputs.contains(QStringLiteral("]]>]]>\n")));
    QVERIFY(parsed.outputs.contains(QStringLiteral("Ünïcödé output ✓\n")));

    const auto failures = attributesOf(xml, QStringLiteral("failure"));
    QCOMPARE(failures[1].value(QStringLiteral("message")),
        QStringLiteral("expected <a> & \"b\" 'c' NUL[NON-XML-CHAR-0x0] ESC[NON-XML-CHAR-0x1B] ]]> end"));
    const auto cases = attributesOf(xml, QStringLiteral("testcase"));
    QCOMPARE(cases[5].value(QStringLiteral("name")), QStringLiteral("Quotes<\"'&>"));
}

void TestJUnitWriter::longOutput()
{
    // 4 MiB of output with a CDATA terminator on every line survives intact.
    QByteArray out;
    for (int i = 0; out.size() < 4 * 1024 * 1024; ++i)
        out += "line " + QByteArray::number(i) + " of a chatty test ]]> \xc3\xbc <tag attr=\"x\"> & more\n";
    Run run;
    TestCase c;
    c.index = 1;
    c.executable = kBuild + QStringLiteral("tst_long");
    c.name = QStringLiteral("Chatty");
    CaseResult r = makeResult(Status::Passed, 1.5);
    r.stdOut = out;
    r.stdErr = out.left(1000) + '\xff';
    run.cases = {c};
    run.results = {r};

    const QByteArray xml = JUnitWriter::toXml(run.cases, run.results, fixedInfo());
    const Parsed parsed = parse(xml);
    QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
    QCOMPARE(parsed.outputs.size(), 2);
    QCOMPARE(parsed.outputs[0].toUtf8(), out);
    QCOMPARE(parsed.outputs[1].toUtf8(), out.left(1000) + "[NON-UTF-8-BYTE-0xFF]");
}

void TestJUnitWriter::xmllintAccepts()
{
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (xmllint.isEmpty())
        QFAIL("xmllint is not installed (Debian package libxml2-utils; ./test.sh installs it)");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Run run = mixedRun();
    const QString path = dir.filePath(QStringLiteral("junit.xml"));
    QString error;
    QVERIFY2(JUnitWriter::write(path, run.cases, run.results, fixedInfo(), &error), qPrintable(error));

    QProcess process;
    process.start(xmllint, {QStringLiteral("--noout"), path});
    QVERIFY(process.waitForFinished(30000));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
        process.readAllStandardError().constData());
}

void TestJUnitWriter::jenkinsXunitAttributesByDefault()
{
    // The attributes jenkinsci/xunit-plugin's junit-10.xsd declares for each
    // element (it validates every file and skips one that fails). Without
    // --junit-locations the file must stay inside them; with it, testcase
    // gets file and line, which GitLab and the GitHub annotators read.
    const QHash<QString, QSet<QString>> allowed {
        {QStringLiteral("testsuites"),
            {QStringLiteral("name"), QStringLiteral("time"), QStringLiteral("tests"), QStringLiteral("failures"),
                QStringLiteral("errors")}},
        {QStringLiteral("testsuite"),
            {QStringLiteral("name"), QStringLiteral("tests"), QStringLiteral("failures"), QStringLiteral("errors"),
                QStringLiteral("group"), QStringLiteral("time"), QStringLiteral("skipped"), QStringLiteral("timestamp"),
                QStringLiteral("hostname"), QStringLiteral("id"), QStringLiteral("package"), QStringLiteral("file"),
                QStringLiteral("log"), QStringLiteral("url")}},
        {QStringLiteral("testcase"),
            {QStringLiteral("name"), QStringLiteral("time"), QStringLiteral("classname"), QStringLiteral("group")}},
        {QStringLiteral("failure"), {QStringLiteral("type"), QStringLiteral("message")}},
        {QStringLiteral("error"), {QStringLiteral("type"), QStringLiteral("message")}},
        {QStringLiteral("skipped"), {QStringLiteral("type"), QStringLiteral("message")}},
    };
    const Run run = mixedRun();
    JUnitRunInfo info = fixedInfo();
    info.caseLocations = false;
    const QByteArray xml = JUnitWriter::toXml(run.cases, run.results, info);
    QStringList problems;
    for (auto it = allowed.cbegin(); it != allowed.cend(); ++it) {
        for (const Attributes &attributes : attributesOf(xml, it.key())) {
            for (auto a = attributes.cbegin(); a != attributes.cend(); ++a) {
                if (!it.value().contains(a.key()))
                    problems << QStringLiteral("%1@%2").arg(it.key(), a.key());
            }
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char(' '))));
    QVERIFY(!xml.contains(" file=\"/home/user/project/src/math.cpp\""));
    // --junit-locations adds them, where known.
    QVERIFY(JUnitWriter::toXml(run.cases, run.results, fixedInfo())
                .contains(" file=\"/home/user/project/src/math.cpp\" line=\"12\""));
}

void TestJUnitWriter::writeReplacesExistingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("results.xml"));
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old contents that are longer than nothing\n");
    }
    const Run run = mixedRun();
    QString error;
    QVERIFY2(JUnitWriter::write(path, run.cases, run.results, fixedInfo(), &error), qPrintable(error));
    QVERIFY(error.isEmpty());

    QFile written(path);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.readAll(), JUnitWriter::toXml(run.cases, run.results, fixedInfo()));
    // No temporary file is left next to it.
    QCOMPARE(entries(dir.path()), QStringList {QStringLiteral("results.xml")});
}

void TestJUnitWriter::writeIntoMissingDirectoryFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("missing/results.xml"));
    const Run run = mixedRun();
    QString error;
    QVERIFY(!JUnitWriter::write(path, run.cases, run.results, fixedInfo(), &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.startsWith(QStringLiteral("Cannot write JUnit file ")), qPrintable(error));
    QVERIFY2(error.size() > QStringLiteral("Cannot write JUnit file : ").size() + path.size(), qPrintable(error));
    QVERIFY(entries(dir.path()).isEmpty());

    // A null error pointer is allowed.
    QVERIFY(!JUnitWriter::write(path, run.cases, run.results, fixedInfo(), nullptr));
}

void TestJUnitWriter::writeOntoDirectoryFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("taken")));
    const QString path = dir.filePath(QStringLiteral("taken"));
    QString error;
    QVERIFY(!JUnitWriter::write(path, {}, {}, fixedInfo(), &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QCOMPARE(entries(dir.path()), QStringList {QStringLiteral("taken")});
    QVERIFY(entries(path).isEmpty());
}

void TestJUnitWriter::writeIntoFifoInPlace()
{
    // A FIFO (like a device or /dev/stdout) is written into, never replaced
    // by a regular file through the rename.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fifo = dir.filePath(QStringLiteral("results.fifo"));
    QCOMPARE(QProcess::execute(QStringLiteral("mkfifo"), {fifo}), 0);
    QProcess reader;
    reader.start(QStringLiteral("cat"), {fifo});
    QVERIFY(reader.waitForStarted());
    const Run run = mixedRun();
    QString error;
    QVERIFY2(JUnitWriter::write(fifo, run.cases, run.results, fixedInfo(), &error), qPrintable(error));
    QVERIFY(reader.waitForFinished(10000));
    QCOMPARE(reader.readAllStandardOutput(), JUnitWriter::toXml(run.cases, run.results, fixedInfo()));
    QFileInfo node(fifo);
    QVERIFY(node.exists() && !node.isFile());
    QCOMPARE(entries(dir.path()), QStringList {QStringLiteral("results.fifo")});
}

void TestJUnitWriter::buildTreeIdentity()
{
    // A build tree's tests keep ctest's identity. ctest 3.25.1 writes a
    // `cmake -P` test as <testsuite name="<BuildName>|(empty)"> <testcase
    // name="script" classname="script"> (tests/unit/ctest/data/paths/
    // plain.junit.xml), and a gtest_discover_tests case "Math.Add" as
    // classname="Math.Add" name="Math.Add". Regrouped gtest cases take
    // ctest's identity too, in a <testsuite> named after their executable.
    TestCase script;
    script.index = 1;
    script.executable = QStringLiteral("/usr/bin/cmake");
    script.framework = QStringLiteral("plain");
    script.ctestTest = true;
    script.name = script.displayName = script.selector = QStringLiteral("script");
    TestCase python = script;
    python.index = 3;
    python.executable = QStringLiteral("/usr/bin/python3");
    python.name = python.displayName = python.selector = QStringLiteral("tools.check");
    TestCase gtest = makeCase(2, QStringLiteral("gt"), QStringLiteral("Math"), QStringLiteral("Add"));
    gtest.framework = QStringLiteral("gtest");
    // A plain program registered with ctestd_discover_tests is a case of
    // its executable, as when run directly.
    TestCase module = makeCase(4, QStringLiteral("tool"), QString(), QStringLiteral("tool"));
    module.framework = QStringLiteral("plain");
    JUnitRunInfo info = fixedInfo();
    info.ctestNames = true;
    info.ctestSuiteName = QStringLiteral("Linux-unknown");
    const QVector<CaseResult> results(4, makeResult(Status::Passed, 0.5));
    const QString xml = QString::fromUtf8(JUnitWriter::toXml({script, gtest, python, module}, results, info));
    QXmlStreamReader reader(xml);
    QStringList identities;
    QString suite;
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (reader.name() == QLatin1String("testsuite"))
            suite = reader.attributes().value(QLatin1String("name")).toString();
        if (reader.name() == QLatin1String("testcase"))
            identities << QStringLiteral("%1 | %2 | %3")
                              .arg(suite, reader.attributes().value(QLatin1String("classname")).toString(),
                                  reader.attributes().value(QLatin1String("name")).toString());
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    QCOMPARE(identities,
        QStringList({QStringLiteral("Linux-unknown | script | script"),
            QStringLiteral("Linux-unknown | tools.check | tools.check"), QStringLiteral("gt | Math.Add | Math.Add"),
            QStringLiteral("tool | tool | tool")}));
    // Without a tree (executables run directly), the program names the suite.
    const QString direct = QString::fromUtf8(JUnitWriter::toXml({script}, {results.first()}, fixedInfo()));
    QVERIFY2(direct.contains(QLatin1String("<testsuite name=\"cmake\"")), qPrintable(direct));
}

QTEST_GUILESS_MAIN(TestJUnitWriter)
#include "tst_junitwriter.moc"
