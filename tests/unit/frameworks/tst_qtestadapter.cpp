// SPDX-License-Identifier: BSD-3-Clause
// QTestAdapter and QTestOutputParser against the real Qt Test 5.15 programs of
// tests/qtest and against recorded Qt Test output (literal strings, captured
// from Qt 5.15.8 with -v1 -o -,txt), including what a well-behaved program
// does not print.
#include "adapterharness.h"
#include "frameworks/qtest/qtestadapter.h"
#include "frameworks/registry.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ctestd;

namespace {

const QString programDir = QStringLiteral(CTESTD_QTEST_DIR);

QString program(const QString &name)
{
    return programDir + QLatin1Char('/') + name;
}

using adaptertest::Ran;

// `merged`: as the worker runs it, stderr merged into stdout.
Ran runProgram(const QString &executable, const QStringList &arguments, const QHash<QString, QString> &environment = {},
    bool merged = false)
{
    return adaptertest::runProgram(
        executable, arguments, environment, merged ? QProcess::MergedChannels : QProcess::SeparateChannels);
}

QStringList selectorsOf(const QVector<TestCase> &cases)
{
    QStringList selectors;
    for (const TestCase &testCase : cases)
        selectors.append(testCase.selector);
    return selectors;
}

// "S sel" for Started, "F sel status" for Finished, joined by " | ".
QString describe(const ParsedLine &parsed)
{
    QStringList parts;
    for (const LineEvent &event : parsed.events) {
        if (event.kind == LineEvent::Started)
            parts.append(QStringLiteral("S ") + event.selector);
        else if (event.kind == LineEvent::Finished)
            parts.append(QStringLiteral("F ") + event.selector + QLatin1Char(' ') + statusName(event.result.status));
    }
    return parts.join(QLatin1String(" | "));
}

// Feeds `output` line by line; returns the events of each line that had any
// ("<line number>: <events>") and the results of the Finished events.
struct Fed {
    QStringList events;
    QHash<QString, CaseResult> finished;
    QStringList dropped; // lines the parser asked not to show
};

Fed feed(OutputParser &parser, const QByteArray &output)
{
    Fed fed;
    const QList<QByteArray> lines = adaptertest::splitLines(output);
    for (int i = 0; i < lines.size(); ++i) {
        const ParsedLine parsed = parser.parseStdoutLine(lines.at(i));
        const QString text = describe(parsed);
        if (!text.isEmpty())
            fed.events.append(QStringLiteral("%1: %2").arg(i + 1).arg(text));
        if (parsed.display && parsed.display->isEmpty())
            fed.dropped.append(QString::fromUtf8(lines.at(i)));
        for (const LineEvent &event : parsed.events) {
            if (event.kind == LineEvent::Finished)
                fed.finished.insert(event.selector, event.result);
        }
    }
    return fed;
}

const QByteArray recordedRun = "********* Start testing of TestMath *********\n" // 1
                               "Config: Using QtTest library 5.15.8, Qt 5.15.8 (x86_64-little_endian-lp64 shared "
                               "(dynamic) release build; by GCC 12.2.0), debian 12\n" // 2
                               "INFO   : TestMath::initTestCase() entering\n" // 3
                               "PASS   : TestMath::initTestCase()\n" // 4
                               "INFO   : TestMath::add() entering\n" // 5
                               "PASS   : TestMath::add()\n" // 6
                               "INFO   : TestMath::fail() entering\n" // 7
                               "FAIL!  : TestMath::fail() Compared values are not the same\n" // 8
                               "   Actual   (1+1): 2\n" // 9
                               "   Expected (3)  : 3\n" // 10
                               "   Loc: [/src/tmath.cpp(9)]\n" // 11
                               "INFO   : TestMath::xf() entering\n" // 12
                               "XFAIL  : TestMath::xf() known\n" // 13
                               "   Loc: [/src/tmath.cpp(11)]\n" // 14
                               "PASS   : TestMath::xf()\n" // 15
                               "INFO   : TestMath::xp() entering\n" // 16
                               "XPASS  : TestMath::xp() QCOMPARE(1, 1) returned TRUE unexpectedly.\n" // 17
                               "   Loc: [/src/tmath.cpp(12)]\n" // 18
                               "INFO   : TestMath::data_test() entering\n" // 19
                               "QDEBUG : TestMath::data_test(two words) debug 2\n" // 20
                               "printf 2\n" // 21
                               "FAIL!  : TestMath::data_test(two words) row two fails\n" // 22
                               "   Loc: [/src/tmath.cpp(14)]\n" // 23
                               "INFO   : TestMath::data_test() entering\n" // 24
                               "SKIP   : TestMath::data_test(odd:colon) skip row\n" // 25
                               "   Loc: [/src/tmath.cpp(14)]\n" // 26
                               "INFO   : TestMath::cleanupTestCase() entering\n" // 27
                               "PASS   : TestMath::cleanupTestCase()\n" // 28
                               "Totals: 4 passed, 3 failed, 1 skipped, 0 blacklisted, 5ms\n" // 29
                               "********* Finished testing of TestMath *********\n"; // 30

const QStringList recordedSelectors {QStringLiteral("add"), QStringLiteral("fail"), QStringLiteral("xf"),
    QStringLiteral("xp"), QStringLiteral("data_test:two words"), QStringLiteral("data_test:odd:colon")};

} // namespace

class TestQTestAdapter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identity();
    void listsRealPrograms_data();
    void listsRealPrograms();
    void listingEdgeCases_data();
    void listingEdgeCases();
    void notAListing_data();
    void notAListing();
    void prepareRunArgumentsAndEnvironment();
    void unselectableSelectors_data();
    void unselectableSelectors();
    void streamEventsPerLine();
    void streamResults();
    void crashLeavesTheRowRunning();
    void initTestCaseSkipOrFailEndsEveryCase_data();
    void initTestCaseSkipOrFailEndsEveryCase();
    void cleanupTestCaseFailureFailsTheLastCase();
    void globalRowsAggregate();
    void blacklistedResults();
    void unknownTagAndFunction();
    void withoutEnteringLines();
    void unselectableReportedAtFirstLine();
    void foreignStreamReportsNothing();
    void xmlReport();
    void xmlReportTruncatedOrGarbled_data();
    void xmlReportTruncatedOrGarbled();
    void realRunSubsetInOrder();
    void realCrash();
    void realUnknownTagAndFunction();
};

void TestQTestAdapter::identity()
{
    const std::unique_ptr<FrameworkAdapter> adapter = createFrameworkAdapter(QStringLiteral("qtest"));
    QVERIFY(adapter);
    QCOMPARE(adapter->name(), QStringLiteral("qtest"));
    QCOMPARE(adapter->defaultGroupBy(), GroupBy::Executable);
    QCOMPARE(adapter->listArguments(QStringLiteral("/x"), QStringLiteral("/tmp")),
        QStringList {QStringLiteral("-datatags")});
    QVERIFY(adapter->reportsCases());
    QVERIFY(adapter->isNormalExit(0));
    QVERIFY(adapter->isNormalExit(3));
    QVERIFY(adapter->isNormalExit(127));
    QVERIFY(!adapter->isNormalExit(134));
    QVERIFY(!adapter->isNormalExit(-1));
    TestCase testCase;
    testCase.suite = QStringLiteral("TestMath");
    testCase.selector = QStringLiteral("rows:a");
    QCOMPARE(adapter->groupKey(testCase, GroupBy::Suite), QStringLiteral("TestMath"));
    QCOMPARE(adapter->groupKey(testCase, GroupBy::Case), QStringLiteral("rows:a"));
    QCOMPARE(adapter->groupKey(testCase, GroupBy::Executable), QString());
}

void TestQTestAdapter::listsRealPrograms_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("className");
    QTest::addColumn<QStringList>("selectors");
    QTest::newRow("basic") << QStringLiteral("qt_basic") << QStringLiteral("TestBasic")
                           << QStringList {QStringLiteral("pass"), QStringLiteral("compareFails"),
                                  QStringLiteral("skipped"), QStringLiteral("expectedFail"),
                                  QStringLiteral("unexpectedPass"), QStringLiteral("rows:one"),
                                  QStringLiteral("rows:two words"), QStringLiteral("rows:odd:colon"),
                                  QStringLiteral("output"), QStringLiteral("under_score2"),
                                  QStringLiteral("flakyBlacklisted")};
    QTest::newRow("global") << QStringLiteral("qt_globaldata") << QStringLiteral("TestGlobal")
                            << QStringList {QStringLiteral("plain"), QStringLiteral("rows:r1"),
                                   QStringLiteral("rows:r2"), QStringLiteral("always")};
    // A second row with an existing tag is a case of its own (which Qt
    // cannot run: refused by unselectableReason), never dropped.
    QTest::newRow("empty tag") << QStringLiteral("qt_badtags") << QStringLiteral("TestBadTags")
                               << QStringList {QStringLiteral("rows:"), QStringLiteral("rows:fine"),
                                      QStringLiteral("plain"), QStringLiteral("twice:dup"),
                                      QStringLiteral("twice:dup\x1f"
                                                     "2"),
                                      QStringLiteral("twice:other")};
}

void TestQTestAdapter::listsRealPrograms()
{
    QFETCH(QString, name);
    QFETCH(QString, className);
    QFETCH(QStringList, selectors);
    QTemporaryDir scratch;
    QTestAdapter adapter;
    const Ran ran = runProgram(program(name), adapter.listArguments(program(name), scratch.path()));
    QCOMPARE(ran.exitStatus, QProcess::NormalExit);
    QVERIFY(adapter.isListingExit(ran.exitCode));
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(ran.out, ran.err, scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(selectorsOf(cases), selectors);
    for (const TestCase &testCase : qAsConst(cases)) {
        QCOMPARE(testCase.suite, className);
        // The name is the selector, but for a duplicate row: "f:tag (row 2)".
        const QString expectedName = testCase.selector.contains(QChar(0x1f))
            ? QStringLiteral("%1 (row %2)")
                  .arg(testCase.selector.section(QChar(0x1f), 0, 0), testCase.selector.section(QChar(0x1f), 1))
            : testCase.selector;
        QCOMPARE(testCase.name, expectedName);
        QCOMPARE(testCase.displayName, expectedName);
        QCOMPARE(testCase.file, QString());
        QCOMPARE(testCase.line, 0);
        QVERIFY(!testCase.disabled);
    }
}

void TestQTestAdapter::listingEdgeCases_data()
{
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QStringList>("selectors");
    QTest::newRow("nothing") << QByteArray() << QStringList();
    QTest::newRow("noise from _data") << QByteArray(
        "TestMath add\nprintf noise\nTestMath rows one\nTestMath rows two\n")
                                      << QStringList {QStringLiteral("add"), QStringLiteral("rows:one"),
                                             QStringLiteral("rows:two")};
    QTest::newRow("namespace and CRLF") << QByteArray("ns::TestX f\r\nns::TestX g a b\r\n")
                                        << QStringList {QStringLiteral("f"), QStringLiteral("g:a b")};
    QTest::newRow("duplicate tag") << QByteArray("T f dup\nT f dup\nT f dup\nT f other\n")
                                   << QStringList {QStringLiteral("f:dup"),
                                          QStringLiteral("f:dup\x1f"
                                                         "2"),
                                          QStringLiteral("f:dup\x1f"
                                                         "3"),
                                          QStringLiteral("f:other")};
    QTest::newRow("empty tag") << QByteArray("T f \nT f x\n")
                               << QStringList {QStringLiteral("f:"), QStringLiteral("f:x")};
    QTest::newRow("global") << QByteArray("T plain __global__ G1\nT plain __global__ G2\nT rows r 1 __global__ G1\n"
                                          "T rows r 1 __global__ G2\nT rows  __global__ G1\n")
                            << QStringList {
                                   QStringLiteral("plain"), QStringLiteral("rows:r 1"), QStringLiteral("rows:")};
    // Without global data a tag may say __global__ itself.
    QTest::newRow("local tag like a marker") << QByteArray("T f a __global__ b\nT g\n")
                                             << QStringList {QStringLiteral("f:a __global__ b"), QStringLiteral("g")};
    QTest::newRow("colon in tag") << QByteArray("T f a:b:c\n") << QStringList {QStringLiteral("f:a:b:c")};
}

void TestQTestAdapter::listingEdgeCases()
{
    QFETCH(QByteArray, out);
    QFETCH(QStringList, selectors);
    QTestAdapter adapter;
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(out, QByteArray(), QString(), &cases, &error), qPrintable(error));
    QCOMPARE(selectorsOf(cases), selectors);
}

void TestQTestAdapter::notAListing_data()
{
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::addColumn<QString>("error");
    QTest::newRow("hello") << QByteArray("hello\n") << QByteArray() << QStringLiteral("not a Qt Test listing: hello");
    QTest::newRow("usage") << QByteArray("Usage: prog [options]\n  -h  help\n") << QByteArray()
                           << QStringLiteral("not a Qt Test listing: Usage: prog [options]");
    QTest::newRow("stderr only") << QByteArray() << QByteArray("\nunknown option -datatags\n")
                                 << QStringLiteral("not a Qt Test listing: unknown option -datatags");
    QTest::newRow("long line") << QByteArray(200, '#') << QByteArray()
                               << QStringLiteral("not a Qt Test listing: ") + QString(80, QLatin1Char('#'))
            + QStringLiteral("...");
}

void TestQTestAdapter::notAListing()
{
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, err);
    QFETCH(QString, error);
    QTestAdapter adapter;
    QVector<TestCase> cases;
    QString actual;
    QVERIFY(!adapter.parseListing(out, err, QString(), &cases, &actual));
    QCOMPARE(actual, error);
}

void TestQTestAdapter::prepareRunArgumentsAndEnvironment()
{
    QTemporaryDir scratch;
    QTestAdapter adapter;
    const QString xml = QTestAdapter::resultsXmlPath(scratch.path());
    QFile stale(xml);
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write("<old/>");
    stale.close();
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY2(adapter.prepareRun(QStringLiteral("/x"),
                 {QStringLiteral("add"), QStringLiteral("data_test:two words"), QStringLiteral("f:odd:colon")},
                 scratch.path(), &spec, &error),
        qPrintable(error));
    QCOMPARE(spec.arguments,
        (QStringList {QStringLiteral("-v1"), QStringLiteral("-o"), xml + QStringLiteral(",xml"), QStringLiteral("-o"),
            QStringLiteral("-,txt"), QStringLiteral("add"), QStringLiteral("data_test:two words"),
            QStringLiteral("f:odd:colon")}));
    QVERIFY(!QFile::exists(xml));
    QCOMPARE(spec.environment.value(QStringLiteral("QTEST_DISABLE_STACK_DUMP")), QStringLiteral("1"));

    // A scratch path with a comma cannot be given to -o: no report, still a run.
    FrameworkAdapter::RunSpec comma;
    QVERIFY(
        adapter.prepareRun(QStringLiteral("/x"), {QStringLiteral("add")}, QStringLiteral("/tmp/a,b"), &comma, &error));
    QCOMPARE(comma.arguments,
        (QStringList {QStringLiteral("-v1"), QStringLiteral("-o"), QStringLiteral("-,txt"), QStringLiteral("add")}));
}

void TestQTestAdapter::unselectableSelectors_data()
{
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QString>("reason");
    QTest::newRow("fine") << QStringLiteral("rows:a b") << QString();
    QTest::newRow("colon") << QStringLiteral("rows:a:b") << QString();
    QTest::newRow("empty tag") << QStringLiteral("rows:")
                               << QStringLiteral("Qt Test cannot select the data row of rows() with an empty tag "
                                                 "(\"rows:\" runs every row)");
    QTest::newRow("duplicate row") << QStringLiteral("f:dup\x1f"
                                                     "2")
                                   << QStringLiteral("Qt Test cannot run row 2 of \"f:dup\": another data row has the "
                                                     "same tag, and Qt runs only the first row of a tag (give the rows "
                                                     "distinct tags in QTest::newRow)");
    QTest::newRow("empty") << QString() << QStringLiteral("\"\" does not name a Qt Test function");
    QTest::newRow("option") << QStringLiteral("-functions")
                            << QStringLiteral("\"-functions\" does not name a Qt Test function");
    QTest::newRow("not utf-8") << QStringLiteral("rows:a") + QChar(QChar::ReplacementCharacter)
                               << QStringLiteral("the data tag of \"rows:a\uFFFD\" is not valid UTF-8");
    QTest::newRow("control") << QStringLiteral("rows:a\tb")
                             << QStringLiteral("the data tag of \"rows:a\tb\" contains a control character");
}

void TestQTestAdapter::unselectableSelectors()
{
    QFETCH(QString, selector);
    QFETCH(QString, reason);
    QCOMPARE(QTestAdapter::unselectableReason(selector), reason);
    QTestAdapter adapter;
    FrameworkAdapter::RunSpec spec;
    QString error;
    const bool ok = adapter.prepareRun(QStringLiteral("/x"), {selector}, QStringLiteral("/tmp"), &spec, &error);
    QCOMPARE(ok, reason.isEmpty());
    QCOMPARE(error, reason);
    if (!ok) {
        // Next to a selectable case it is left out; the parser reports it.
        FrameworkAdapter::RunSpec mixed;
        QVERIFY(adapter.prepareRun(
            QStringLiteral("/x"), {selector, QStringLiteral("add")}, QStringLiteral("/tmp"), &mixed, &error));
        QCOMPARE(mixed.arguments.constLast(), QStringLiteral("add"));
        QVERIFY(!mixed.arguments.contains(selector));
    }
}

void TestQTestAdapter::streamEventsPerLine()
{
    QTestOutputParser parser(QStringLiteral("/nonexistent"), recordedSelectors);
    const Fed fed = feed(parser, recordedRun);
    // A case ends at the next function's "entering" line (so the detail
    // lines after a result stay with it), the last one at Totals.
    QCOMPARE(fed.events,
        (QStringList {QStringLiteral("5: S add"), QStringLiteral("7: F add passed | S fail"),
            QStringLiteral("12: F fail failed | S xf"), QStringLiteral("16: F xf passed | S xp"),
            QStringLiteral("19: F xp failed | S data_test:two words"),
            QStringLiteral("24: F data_test:two words failed | S data_test:odd:colon"),
            QStringLiteral("29: F data_test:odd:colon skipped")}));
    // Hidden: the "entering" lines our -v1 adds, and Qt Test's lines about
    // the process (banners, Config, Totals), which are no case's output.
    const QStringList processLines {QString::fromUtf8(recordedRun.split('\n').at(0)),
        QString::fromUtf8(recordedRun.split('\n').at(1)), QString::fromUtf8(recordedRun.split('\n').at(28)),
        QString::fromUtf8(recordedRun.split('\n').at(29))};
    QCOMPARE(fed.dropped.size(), 8 + processLines.size());
    for (const QString &line : fed.dropped)
        QVERIFY2(processLines.contains(line)
                || (line.startsWith(QLatin1String("INFO   : ")) && line.endsWith(QLatin1String(" entering"))),
            qPrintable(line));
}

void TestQTestAdapter::streamResults()
{
    QTestOutputParser parser(QStringLiteral("/nonexistent"), recordedSelectors);
    const Fed fed = feed(parser, recordedRun);
    const CaseResult fail = fed.finished.value(QStringLiteral("fail"));
    QCOMPARE(
        fail.message, QStringLiteral("Compared values are not the same\n   Actual   (1+1): 2\n   Expected (3)  : 3"));
    QCOMPARE(fail.file, QStringLiteral("/src/tmath.cpp"));
    QCOMPARE(fail.line, 9);
    const CaseResult xpass = fed.finished.value(QStringLiteral("xp"));
    QCOMPARE(xpass.message, QStringLiteral("XPASS: QCOMPARE(1, 1) returned TRUE unexpectedly."));
    QCOMPARE(xpass.line, 12);
    const CaseResult row = fed.finished.value(QStringLiteral("data_test:two words"));
    QCOMPARE(row.message, QStringLiteral("row two fails")); // qDebug and printf are output, not message
    QCOMPARE(row.line, 14);
    const CaseResult skip = fed.finished.value(QStringLiteral("data_test:odd:colon"));
    QCOMPARE(skip.message, QStringLiteral("skip row"));
    QCOMPARE(fed.finished.value(QStringLiteral("xf")).message, QString());
    QVERIFY(parser.structuredResults().isEmpty()); // no report written
}

void TestQTestAdapter::crashLeavesTheRowRunning()
{
    const QByteArray crash = "********* Start testing of TestMath *********\n"
                             "INFO   : TestMath::initTestCase() entering\n"
                             "PASS   : TestMath::initTestCase()\n"
                             "INFO   : TestMath::data_test() entering\n" // 4
                             "PASS   : TestMath::data_test(one)\n"
                             "INFO   : TestMath::data_test() entering\n" // 6
                             "QFATAL : TestMath::data_test(odd:colon) Received signal 11\n"
                             "         Function time: 0ms Total time: 0ms\n"
                             "FAIL!  : TestMath::data_test(odd:colon) Received a fatal error.\n"
                             "   Loc: [Unknown file(0)]\n"
                             "Totals: 3 passed, 1 failed, 0 skipped, 0 blacklisted, 0ms\n"
                             "********* Finished testing of TestMath *********\n";
    QTestOutputParser parser(
        QString(), {QStringLiteral("data_test:one"), QStringLiteral("data_test:odd:colon"), QStringLiteral("add")});
    const Fed fed = feed(parser, crash);
    // The crashed row started and never finished: the worker blames it.
    QCOMPARE(fed.events,
        (QStringList {QStringLiteral("4: S data_test:one"),
            QStringLiteral("6: F data_test:one passed | S data_test:odd:colon")}));
}

void TestQTestAdapter::initTestCaseSkipOrFailEndsEveryCase_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("skip") << QByteArray("SKIP   ") << QStringLiteral("skipped") << QStringLiteral("no backend");
    QTest::newRow("fail") << QByteArray("FAIL!  ") << QStringLiteral("failed")
                          << QStringLiteral("initTestCase() failed: no backend");
}

void TestQTestAdapter::initTestCaseSkipOrFailEndsEveryCase()
{
    QFETCH(QByteArray, kind);
    QFETCH(QString, status);
    QFETCH(QString, message);
    const QByteArray output = "********* Start testing of T *********\n"
                              "INFO   : T::initTestCase() entering\n"
        + kind
        + ": T::initTestCase() no backend\n" // 3
          "   Loc: [/src/t.cpp(6)]\n"
          "INFO   : T::cleanupTestCase() entering\n" // 5
          "PASS   : T::cleanupTestCase()\n"
          "Totals: 1 passed, 0 failed, 1 skipped, 0 blacklisted, 0ms\n";
    QTestOutputParser parser(QString(), {QStringLiteral("a"), QStringLiteral("rows:x")});
    const Fed fed = feed(parser, output);
    QCOMPARE(fed.events, QStringList {QStringLiteral("5: S a | F a %1 | S rows:x | F rows:x %1").arg(status)});
    for (const QString &selector : {QStringLiteral("a"), QStringLiteral("rows:x")}) {
        QCOMPARE(fed.finished.value(selector).message, message);
        QCOMPARE(fed.finished.value(selector).file, QStringLiteral("/src/t.cpp"));
        QCOMPARE(fed.finished.value(selector).line, 6);
    }
}

void TestQTestAdapter::cleanupTestCaseFailureFailsTheLastCase()
{
    const QByteArray output = "INFO   : T::a() entering\n"
                              "PASS   : T::a()\n"
                              "INFO   : T::b() entering\n" // 3
                              "PASS   : T::b()\n"
                              "INFO   : T::cleanupTestCase() entering\n" // 5
                              "FAIL!  : T::cleanupTestCase() cleanup failed\n"
                              "   Loc: [/src/t.cpp(7)]\n"
                              "Totals: 2 passed, 1 failed, 0 skipped, 0 blacklisted, 0ms\n"; // 8
    QTestOutputParser parser(QString(), {QStringLiteral("a"), QStringLiteral("b")});
    const Fed fed = feed(parser, output);
    QCOMPARE(fed.events,
        (QStringList {
            QStringLiteral("1: S a"), QStringLiteral("3: F a passed | S b"), QStringLiteral("8: F b failed")}));
    const CaseResult b = fed.finished.value(QStringLiteral("b"));
    QCOMPARE(b.message, QStringLiteral("cleanupTestCase() failed: cleanup failed"));
    QCOMPARE(b.file, QStringLiteral("/src/t.cpp"));
    QCOMPARE(b.line, 7);
}

void TestQTestAdapter::globalRowsAggregate()
{
    const QByteArray output = "********* Start testing of TestG *********\n"
                              "INFO   : TestG::rows() entering\n" // 2
                              "PASS   : TestG::rows(G1:r2)\n"
                              "FAIL!  : TestG::rows(G2:r2) 'r != 2' returned FALSE. ()\n"
                              "   Loc: [/src/tg.cpp(7)]\n"
                              "INFO   : TestG::plain() entering\n" // 6
                              "PASS   : TestG::plain(G1)\n"
                              "PASS   : TestG::plain(G2)\n"
                              "INFO   : TestG::skippy() entering\n" // 9
                              "SKIP   : TestG::skippy(G1) one\n"
                              "SKIP   : TestG::skippy(G2) two\n"
                              "Totals: 5 passed, 1 failed, 0 skipped, 0 blacklisted, 0ms\n"; // 12
    QTestOutputParser parser(QString(), {QStringLiteral("rows:r2"), QStringLiteral("plain"), QStringLiteral("skippy")});
    const Fed fed = feed(parser, output);
    QCOMPARE(fed.events,
        (QStringList {QStringLiteral("2: S rows:r2"), QStringLiteral("6: F rows:r2 failed | S plain"),
            QStringLiteral("9: F plain passed | S skippy"), QStringLiteral("12: F skippy skipped")}));
    QCOMPARE(fed.finished.value(QStringLiteral("rows:r2")).message,
        QStringLiteral("global data row \"G2\": 'r != 2' returned FALSE. ()"));
    QCOMPARE(fed.finished.value(QStringLiteral("rows:r2")).line, 7);
    QCOMPARE(fed.finished.value(QStringLiteral("skippy")).message, QStringLiteral("global data row \"G1\": one"));

    // Some rows skipped, one passed: the case passed.
    QVector<QTestOutputParser::Incident> incidents(2);
    incidents[0].status = Status::Skipped;
    incidents[1].status = Status::Passed;
    CaseResult result;
    QVERIFY(QTestOutputParser::aggregate(incidents, &result));
    QCOMPARE(result.status, Status::Passed);
    QVERIFY(!QTestOutputParser::aggregate({}, &result));
}

void TestQTestAdapter::blacklistedResults()
{
    const QByteArray output = "INFO   : T::a() entering\n"
                              "BPASS  : T::a()\n"
                              "INFO   : T::b() entering\n"
                              "BFAIL  : T::b() Compared values are not the same\n"
                              "   Loc: [/src/t.cpp(9)]\n"
                              "INFO   : T::c() entering\n"
                              "BXPASS : T::c() QCOMPARE(1, 1) returned TRUE unexpectedly.\n"
                              "INFO   : T::d() entering\n"
                              "BXFAIL : T::d() known\n"
                              "PASS   : T::d()\n"
                              "Totals: 2 passed, 0 failed, 0 skipped, 3 blacklisted, 0ms\n";
    QTestOutputParser parser(
        QString(), {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
    const Fed fed = feed(parser, output);
    QCOMPARE(fed.finished.value(QStringLiteral("a")).status, Status::Passed);
    QCOMPARE(fed.finished.value(QStringLiteral("b")).status, Status::Skipped);
    QCOMPARE(fed.finished.value(QStringLiteral("b")).message,
        QStringLiteral("blacklisted failure: Compared values are not the same"));
    QCOMPARE(fed.finished.value(QStringLiteral("b")).line, 9);
    QCOMPARE(fed.finished.value(QStringLiteral("c")).status, Status::Skipped);
    QCOMPARE(fed.finished.value(QStringLiteral("d")).status, Status::Passed);
}

void TestQTestAdapter::unknownTagAndFunction()
{
    // Recorded with stderr merged into stdout, as the worker reads it.
    const QByteArray unknownTag = "********* Start testing of TestMath *********\n"
                                  "INFO   : TestMath::initTestCase() entering\n"
                                  "PASS   : TestMath::initTestCase()\n"
                                  "INFO   : TestMath::add() entering\n" // 4
                                  "PASS   : TestMath::add()\n"
                                  "INFO   : TestMath::data_test() entering\n" // 6
                                  "Unknown testdata for function data_test: 'nope()'\n"
                                  "Available testdata:\n"
                                  "one\n"
                                  "two words\n"
                                  "\n"
                                  "INFO   : TestMath::cleanupTestCase() entering\n"
                                  "PASS   : TestMath::cleanupTestCase()\n"
                                  "Totals: 3 passed, 0 failed, 0 skipped, 0 blacklisted, 0ms\n" // 14
                                  "********* Finished testing of TestMath *********\n";
    QTestOutputParser parser(
        QString(), {QStringLiteral("add"), QStringLiteral("data_test:nope"), QStringLiteral("fail")});
    const Fed fed = feed(parser, unknownTag);
    // Qt runs nothing after an unknown tag: "fail" is not reported at all.
    QCOMPARE(fed.events,
        (QStringList {QStringLiteral("4: S add"), QStringLiteral("6: F add passed | S data_test:nope"),
            QStringLiteral("14: F data_test:nope failed")}));
    QCOMPARE(fed.finished.value(QStringLiteral("data_test:nope")).message,
        QStringLiteral("Unknown testdata for function data_test: 'nope()'\nAvailable testdata:\none\ntwo words"));

    const QByteArray unknownFunction = "********* Start testing of TestMath *********\n"
                                       "Config: Using QtTest library 5.15.8\n"
                                       "Unknown test function: 'nosuch'. Possible matches:\n" // 3
                                       "\n"
                                       "./tmath -functions\n"
                                       "lists all available test functions.\n";
    QTestOutputParser functionParser(QString(), {QStringLiteral("add"), QStringLiteral("nosuch:x")});
    const Fed functionFed = feed(functionParser, unknownFunction);
    QCOMPARE(functionFed.events, QStringList {QStringLiteral("3: S nosuch:x | F nosuch:x failed")});
    QCOMPARE(functionFed.finished.value(QStringLiteral("nosuch:x")).message,
        QStringLiteral("Unknown test function: 'nosuch'. Possible matches:"));
}

void TestQTestAdapter::withoutEnteringLines()
{
    // Without -v1's "entering" lines a result line starts its case.
    const QByteArray output = "PASS   : T::initTestCase()\n"
                              "PASS   : T::a()\n" // 2
                              "FAIL!  : T::b() boom\n" // 3
                              "   Loc: [/src/t.cpp(3)]\n"
                              "PASS   : T::cleanupTestCase()\n"
                              "Totals: 2 passed, 1 failed, 0 skipped, 0 blacklisted, 0ms\n"; // 6
    QTestOutputParser parser(QString(), {QStringLiteral("a"), QStringLiteral("b")});
    const Fed fed = feed(parser, output);
    QCOMPARE(fed.events,
        (QStringList {
            QStringLiteral("2: S a"), QStringLiteral("3: F a passed | S b"), QStringLiteral("6: F b failed")}));
    QCOMPARE(fed.finished.value(QStringLiteral("b")).line, 3);
}

void TestQTestAdapter::unselectableReportedAtFirstLine()
{
    QTestOutputParser parser(QString(), {QStringLiteral("rows:"), QStringLiteral("rows:fine")});
    const Fed fed = feed(parser,
        "********* Start testing of T *********\n"
        "INFO   : T::rows() entering\n"
        "PASS   : T::rows(fine)\n"
        "Totals: 3 passed, 0 failed, 0 skipped, 0 blacklisted, 0ms\n");
    QCOMPARE(fed.events,
        (QStringList {QStringLiteral("1: S rows: | F rows: failed"), QStringLiteral("2: S rows:fine"),
            QStringLiteral("4: F rows:fine passed")}));
    QCOMPARE(fed.finished.value(QStringLiteral("rows:")).message,
        QStringLiteral("Qt Test cannot select the data row of rows() with an empty tag (\"rows:\" runs every row)"));
}

void TestQTestAdapter::foreignStreamReportsNothing()
{
    // A program that is not Qt Test, or that prints lines that look almost
    // like Qt's: no case is reported (the run then says "not run").
    QTestOutputParser parser(QString(), {QStringLiteral("add"), QStringLiteral("rows:a")});
    QByteArray hostile = "hello\n"
                         "PASS   : add\n"
                         "PASS   : T::add\n"
                         "PASS   : T::not an identifier()\n"
                         "PASS  : T::add()\n"
                         "INFO   : T::add() entering soon\n"
                         "Totals: 1 passed\n"
                         "Unknown test function: 'other'.\n"
                         "Unknown testdata for function other: 'x()'\n"
        + QByteArray(100000, 'x') + "\n" + QByteArray("\xff\xfe PASS   : T::add()\n");
    const Fed fed = feed(parser, hostile);
    QCOMPARE(fed.events, QStringList());
}

static void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

static const QByteArray recordedXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<TestCase name="TestMath">
<Environment>
    <QtVersion>5.15.8</QtVersion>
</Environment>
<TestFunction name="initTestCase">
<Incident type="pass" file="" line="0" />
    <Duration msecs="0.149203"/>
</TestFunction>
<TestFunction name="fail">
<Incident type="fail" file="/src/tmath.cpp" line="9">
    <Description><![CDATA[Compared values are not the same
   Actual   (1+1): 2
   Expected (3)  : 3]]></Description>
</Incident>
    <Duration msecs="1.5"/>
</TestFunction>
<TestFunction name="skipped">
<Message type="skip" file="/src/tmath.cpp" line="10">
    <Description><![CDATA[not on this platform]]></Description>
</Message>
</TestFunction>
<TestFunction name="rows">
<Incident type="pass" file="" line="0">
    <DataTag><![CDATA[G1:r2]]></DataTag>
</Incident>
<Incident type="fail" file="/src/tg.cpp" line="7">
    <DataTag><![CDATA[G2:r2]]></DataTag>
    <Description><![CDATA[<>&"' ]]]]><![CDATA[> fails]]></Description>
</Incident>
</TestFunction>
<TestFunction name="data_test">
<Message type="qfatal" file="" line="0">
    <DataTag><![CDATA[odd:colon]]></DataTag>
    <Description><![CDATA[Received signal 11]]></Description>
</Message>
<Incident type="fail" file="Unknown file" line="0">
    <DataTag><![CDATA[odd:colon]]></DataTag>
    <Description><![CDATA[Received a fatal error.]]></Description>
</Incident>
</TestFunction>
<TestFunction name="cleanupTestCase">
<Incident type="fail" file="/src/tmath.cpp" line="7">
    <Description><![CDATA[cleanup failed]]></Description>
</Incident>
</TestFunction>
</TestCase>
)";

void TestQTestAdapter::xmlReport()
{
    QTemporaryDir scratch;
    writeFile(QTestAdapter::resultsXmlPath(scratch.path()), recordedXml);
    QTestOutputParser parser(scratch.path(),
        {QStringLiteral("fail"), QStringLiteral("skipped"), QStringLiteral("rows:r2"),
            QStringLiteral("data_test:odd:colon")});
    const QHash<QString, CaseResult> results = parser.structuredResults();
    QCOMPARE(results.size(), 3); // the crashed row keeps the worker's verdict
    const CaseResult fail = results.value(QStringLiteral("fail"));
    QCOMPARE(fail.status, Status::Failed);
    QCOMPARE(
        fail.message, QStringLiteral("Compared values are not the same\n   Actual   (1+1): 2\n   Expected (3)  : 3"));
    QCOMPARE(fail.file, QStringLiteral("/src/tmath.cpp"));
    QCOMPARE(fail.line, 9);
    QCOMPARE(fail.seconds, 0.0015);
    const CaseResult skipped = results.value(QStringLiteral("skipped"));
    QCOMPARE(skipped.status, Status::Skipped);
    QCOMPARE(skipped.message, QStringLiteral("not on this platform"));
    QCOMPARE(skipped.line, 10);
    // The last case that ran carries cleanupTestCase's failure.
    const CaseResult rows = results.value(QStringLiteral("rows:r2"));
    QCOMPARE(rows.status, Status::Failed);
    QCOMPARE(rows.message,
        QStringLiteral("global data row \"G2\": <>&\"' ]]> fails\ncleanupTestCase() failed: cleanup failed"));
    QCOMPARE(rows.file, QStringLiteral("/src/tg.cpp"));
}

void TestQTestAdapter::xmlReportTruncatedOrGarbled_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QStringList>("readable");
    const int cut = recordedXml.indexOf("<TestFunction name=\"rows\">") + 60;
    QTest::newRow("truncated") << recordedXml.left(cut)
                               << QStringList {QStringLiteral("fail"), QStringLiteral("skipped")};
    QByteArray garbled = recordedXml;
    garbled.replace("<TestFunction name=\"skipped\">", "<TestFunction name=\"skipped\"><<<\x01");
    QTest::newRow("garbled") << garbled << QStringList {QStringLiteral("fail")};
    QTest::newRow("empty") << QByteArray() << QStringList();
    QTest::newRow("binary") << QByteArray(4096, '\xff') << QStringList();
    // After an unknown tag Qt leaves its <TestFunction> open.
    QByteArray unclosed = recordedXml;
    unclosed.replace("<Message type=\"skip\" file=\"/src/tmath.cpp\" line=\"10\">\n    <Description><![CDATA[not on "
                     "this platform]]></Description>\n</Message>\n</TestFunction>\n",
        "");
    QTest::newRow("unclosed function") << unclosed << QStringList {QStringLiteral("fail"), QStringLiteral("rows:r2")};
}

void TestQTestAdapter::xmlReportTruncatedOrGarbled()
{
    QFETCH(QByteArray, xml);
    QFETCH(QStringList, readable);
    QTemporaryDir scratch;
    writeFile(QTestAdapter::resultsXmlPath(scratch.path()), xml);
    QTestOutputParser parser(
        scratch.path(), {QStringLiteral("fail"), QStringLiteral("skipped"), QStringLiteral("rows:r2")});
    QStringList keys = parser.structuredResults().keys();
    keys.sort();
    QCOMPARE(keys, readable);
}

// Runs `selectors` of a real program the way the worker does.
static Fed runForReal(
    const QString &name, const QStringList &selectors, Ran *ran, QHash<QString, CaseResult> *structured)
{
    QTemporaryDir scratch;
    QTestAdapter adapter;
    FrameworkAdapter::RunSpec spec;
    QString error;
    if (!adapter.prepareRun(program(name), selectors, scratch.path(), &spec, &error)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    *ran = runProgram(program(name), spec.arguments, spec.environment, true);
    const std::unique_ptr<OutputParser> parser = adapter.createOutputParser(scratch.path(), selectors);
    const Fed fed = feed(*parser, ran->out);
    *structured = parser->structuredResults();
    return fed;
}

void TestQTestAdapter::realRunSubsetInOrder()
{
    Ran ran;
    QHash<QString, CaseResult> structured;
    const QStringList selectors {QStringLiteral("rows:odd:colon"), QStringLiteral("pass"),
        QStringLiteral("compareFails"), QStringLiteral("rows:two words"), QStringLiteral("skipped")};
    const Fed fed = runForReal(QStringLiteral("qt_basic"), selectors, &ran, &structured);
    QCOMPARE(ran.exitStatus, QProcess::NormalExit);
    QCOMPARE(ran.exitCode, 2);
    QCOMPARE(fed.finished.size(), 5);
    QCOMPARE(fed.finished.value(QStringLiteral("rows:odd:colon")).status, Status::Failed);
    QCOMPARE(fed.finished.value(QStringLiteral("rows:odd:colon")).message, QStringLiteral("row odd:colon fails"));
    QCOMPARE(fed.finished.value(QStringLiteral("pass")).status, Status::Passed);
    QCOMPARE(fed.finished.value(QStringLiteral("compareFails")).status, Status::Failed);
    QCOMPARE(fed.finished.value(QStringLiteral("rows:two words")).status, Status::Passed);
    QCOMPARE(fed.finished.value(QStringLiteral("skipped")).status, Status::Skipped);
    // Argument order is run order.
    QVERIFY2(
        fed.events.first().endsWith(QLatin1String("S rows:odd:colon")), qPrintable(fed.events.join(QLatin1Char('\n'))));
    // The report agrees with the stream, and has the same message and location.
    QCOMPARE(structured.size(), 5);
    const CaseResult fromXml = structured.value(QStringLiteral("compareFails"));
    const CaseResult fromStream = fed.finished.value(QStringLiteral("compareFails"));
    QCOMPARE(fromXml.status, Status::Failed);
    QCOMPARE(fromXml.message, fromStream.message);
    QCOMPARE(fromXml.file, fromStream.file);
    QCOMPARE(fromXml.line, fromStream.line);
    QVERIFY(fromXml.file.endsWith(QLatin1String("qt_basic.cpp")));
    QCOMPARE(structured.value(QStringLiteral("skipped")).message, QStringLiteral("not on this platform"));
}

void TestQTestAdapter::realCrash()
{
    Ran ran;
    QHash<QString, CaseResult> structured;
    const Fed fed = runForReal(QStringLiteral("qt_crash"),
        {QStringLiteral("before"), QStringLiteral("rows:r1"), QStringLiteral("rows:r2"), QStringLiteral("rows:r3")},
        &ran, &structured);
    QCOMPARE(ran.exitStatus, QProcess::CrashExit);
    QCOMPARE(ran.exitCode, int(SIGABRT)); // Qt's handler aborts after its report
    QVERIFY(ran.out.contains("QFATAL : TestCrash::rows(r2) Received signal 11"));
    QVERIFY(!ran.out.contains("Stack")); // no slow debugger dump
    QCOMPARE(fed.finished.keys().size(), 2);
    QCOMPARE(fed.finished.value(QStringLiteral("rows:r1")).status, Status::Passed);
    QVERIFY2(fed.events.last().endsWith(QLatin1String("S rows:r2")), qPrintable(fed.events.join(QLatin1Char('\n'))));
    QVERIFY(!structured.contains(QStringLiteral("rows:r2")));
}

void TestQTestAdapter::realUnknownTagAndFunction()
{
    Ran ran;
    QHash<QString, CaseResult> structured;
    const Fed tag = runForReal(QStringLiteral("qt_basic"),
        {QStringLiteral("pass"), QStringLiteral("rows:nope"), QStringLiteral("compareFails")}, &ran, &structured);
    QCOMPARE(ran.exitStatus, QProcess::NormalExit);
    QCOMPARE(ran.exitCode, 0); // Qt's own verdict: nothing failed
    QCOMPARE(tag.finished.value(QStringLiteral("pass")).status, Status::Passed);
    QCOMPARE(tag.finished.value(QStringLiteral("rows:nope")).status, Status::Failed);
    QVERIFY2(tag.finished.value(QStringLiteral("rows:nope"))
                 .message.startsWith(QLatin1String("Unknown testdata for function rows: 'nope()'")),
        qPrintable(tag.finished.value(QStringLiteral("rows:nope")).message));
    QVERIFY(!tag.finished.contains(QStringLiteral("compareFails"))); // never ran: not reported
    QVERIFY(!structured.contains(QStringLiteral("compareFails")));

    const Fed function
        = runForReal(QStringLiteral("qt_basic"), {QStringLiteral("pass"), QStringLiteral("nosuch")}, &ran, &structured);
    QCOMPARE(ran.exitStatus, QProcess::NormalExit);
    QCOMPARE(ran.exitCode, 1);
    QCOMPARE(function.finished.size(), 1);
    QCOMPARE(function.finished.value(QStringLiteral("nosuch")).status, Status::Failed);
    QVERIFY(function.finished.value(QStringLiteral("nosuch"))
                .message.startsWith(QLatin1String("Unknown test function: 'nosuch'")));
}

QTEST_GUILESS_MAIN(TestQTestAdapter)
#include "tst_qtestadapter.moc"
