// SPDX-License-Identifier: BSD-3-Clause
// Catch2Adapter: listing, test specs and the XML stream parser, on the real
// Catch2 v2 programs of tests/catch2 and on recorded Catch2 v3 output
// (data/catch2/, written from Catch2 3.7.1's XmlReporter source).
#include "adapterharness.h"
#include "frameworks/catch2/catch2adapter.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctestd;

namespace {

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(CTESTD_TEST_DATA_DIR "/catch2/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.readAll();
}

struct Fed {
    QVector<LineEvent> events;
    QByteArray shown; // the output as the worker would keep it
};

// Feeds `output` to `parser` line by line, as UnitRunner does.
Fed feed(OutputParser &parser, const QByteArray &output)
{
    Fed fed;
    for (const QByteArray &line : adaptertest::splitLines(output)) {
        const ParsedLine parsed = parser.parseStdoutLine(line);
        fed.events += parsed.events;
        QByteArray shown = parsed.display ? *parsed.display : line;
        if (!shown.isEmpty() && !shown.endsWith('\n'))
            shown.append('\n');
        fed.shown += shown;
    }
    return fed;
}

QStringList kinds(const QVector<LineEvent> &events)
{
    QStringList out;
    for (const LineEvent &event : events)
        out.append(
            (event.kind == LineEvent::Started ? QStringLiteral("start ") : QStringLiteral("finish ")) + event.selector);
    return out;
}

const LineEvent *finished(const QVector<LineEvent> &events, const QString &selector)
{
    for (const LineEvent &event : events) {
        if (event.kind == LineEvent::Finished && event.selector == selector)
            return &event;
    }
    return nullptr;
}

// As the worker runs it: stderr merged into stdout.
adaptertest::Ran runProcess(const QString &program, const QStringList &arguments)
{
    return adaptertest::runProgram(program, arguments, {}, QProcess::MergedChannels);
}

const QString basic = QStringLiteral(C2_BASIC);

} // namespace

class TestCatch2Adapter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void specLine_data();
    void specLine();
    void reportedName();
    void trimmedTwins();
    void exitCodeSaysFailed();
    void versionFromExecutable();
    void v2ListingOfRealProgram();
    void v2ListingOddities();
    void v3Listing();
    void notAListing_data();
    void notAListing();
    void prepareRunWritesSpecFile();
    void realRunSelectsExactly_data();
    void realRunSelectsExactly();
    void realRunWholeProgram();
    void noMatchReportsNothing();
    void v3RunSample();
    void truncatedStream();
    void crashStream();
    void interleavedAndHostileOutput();
    void exitCodes();
};

void TestCatch2Adapter::specLine_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("exact");
    QTest::newRow("plain") << QStringLiteral("Adds") << QStringLiteral("\"Adds\"") << true;
    QTest::newRow("metacharacters") << QStringLiteral("a, b [x] \\ \"q\"")
                                    << QStringLiteral("\"a\\, b \\[x\\] \\\\ \\\"q\\\"\"") << true;
    QTest::newRow("trimmed") << QStringLiteral("  padded \t") << QStringLiteral("\"padded\"") << true;
    QTest::newRow("hash and tilde") << QStringLiteral("#h ~t") << QStringLiteral("\"#h ~t\"") << true;
    QTest::newRow("leading star") << QStringLiteral("*x") << QStringLiteral("\"*x\"") << false;
    QTest::newRow("trailing star") << QStringLiteral("x*") << QStringLiteral("\"x*\"") << false;
    QTest::newRow("inner star") << QStringLiteral("a*b") << QStringLiteral("\"a*b\"") << true;
    QTest::newRow("exclude") << QStringLiteral("exclude:me") << QStringLiteral("\"*xclude:me\"") << false;
    QTest::newRow("blank") << QStringLiteral("   ") << QString() << true;
    QTest::newRow("line break") << QStringLiteral("a\nb") << QString() << true;
    QTest::newRow("unicode") << QString::fromUtf8("ü €") << QString::fromUtf8("\"ü €\"") << true;
}

void TestCatch2Adapter::specLine()
{
    QFETCH(QString, name);
    QFETCH(QString, line);
    QFETCH(bool, exact);
    bool isExact = true;
    QCOMPARE(Catch2Adapter::specLine(name, &isExact), line);
    QCOMPARE(isExact, exact);
}

void TestCatch2Adapter::reportedName()
{
    QCOMPARE(Catch2Adapter::reportedName(QStringLiteral("  a b\t")), QStringLiteral("a b"));
    QCOMPARE(Catch2Adapter::reportedName(QStringLiteral("esc\x1b!\x7f")), QStringLiteral("esc\\x1B!\\x7F"));
}

void TestCatch2Adapter::trimmedTwins()
{
    // Names Catch2 reports alike once trimmed get selectors that also say
    // where they are defined; other names stay their own selector.
    Catch2Adapter adapter;
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(
                 "  twin  \t@t.cpp:3\ntwin\t@t.cpp:4\nsingle\t@t.cpp:5\n", QByteArray(), QString(), &cases, &error),
        qPrintable(error));
    QCOMPARE(cases.size(), 3);
    QCOMPARE(cases[0].selector, Catch2Adapter::twinSelector(QStringLiteral("  twin  "), QStringLiteral("t.cpp"), 3));
    QCOMPARE(cases[1].selector, Catch2Adapter::twinSelector(QStringLiteral("twin"), QStringLiteral("t.cpp"), 4));
    QCOMPARE(cases[2].selector, QStringLiteral("single"));
    QCOMPARE(cases[0].displayName, QStringLiteral("  twin  "));
    QCOMPARE(Catch2Adapter::selectorName(cases[0].selector), QStringLiteral("  twin  "));
    QString file;
    int line = 0;
    QVERIFY(Catch2Adapter::selectorLocation(cases[1].selector, &file, &line));
    QCOMPARE(file, QStringLiteral("t.cpp"));
    QCOMPARE(line, 4);
    QVERIFY(!Catch2Adapter::selectorLocation(QStringLiteral("single"), &file, &line));
    QCOMPARE(Catch2Adapter::selectorName(QStringLiteral("{not json")), QStringLiteral("{not json"));

    // Asked for the second twin only, Catch2 runs both and names both "twin":
    // the first report is not ours, the second is the one defined at line 4.
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const auto parser = adapter.createOutputParser(scratch.path(), {cases[1].selector});
    const Fed fed = feed(*parser,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Catch name=\"t\">\n  <Group name=\"t\">\n"
        "    <TestCase name=\"twin\" filename=\"t.cpp\" line=\"3\">\n"
        "      <Expression success=\"false\" type=\"CHECK\" filename=\"t.cpp\" line=\"3\">\n"
        "        <Original>\n          1 == 2\n        </Original>\n"
        "        <Expanded>\n          1 == 2\n        </Expanded>\n      </Expression>\n"
        "      <OverallResult success=\"false\"/>\n    </TestCase>\n"
        "    <TestCase name=\"twin\" filename=\"t.cpp\" line=\"4\">\n"
        "      <OverallResult success=\"true\"/>\n    </TestCase>\n"
        "    <OverallResults successes=\"1\" failures=\"1\" expectedFailures=\"0\"/>\n  </Group>\n</Catch>\n");
    QCOMPARE(kinds(fed.events),
        QStringList({QStringLiteral("start ") + cases[1].selector, QStringLiteral("finish ") + cases[1].selector}));
    const LineEvent *result = finished(fed.events, cases[1].selector);
    QVERIFY(result);
    QCOMPARE(result->result.status, Status::Passed);

    // Twins whose definition the listing does not give cannot be run apart.
    const QString unplaced = Catch2Adapter::twinSelector(QStringLiteral("twin"), QString(), 0);
    FrameworkAdapter::RunSpec spec;
    QVERIFY(!adapter.prepareRun(QStringLiteral("/nonexistent"), {unplaced}, scratch.path(), &spec, &error));
    QVERIFY2(error.contains(QLatin1String("same name once trimmed")), qPrintable(error));
}

void TestCatch2Adapter::exitCodeSaysFailed()
{
    // Whether an exit code says a case failed, by the version the stream shows.
    Catch2OutputParser v2({QStringLiteral("a")});
    v2.parseStdoutLine("<Catch name=\"t\">");
    QVERIFY(!v2.exitSaysFailed(0));
    QVERIFY(v2.exitSaysFailed(1));
    QVERIFY(v2.exitSaysFailed(3)); // three failed assertions
    Catch2OutputParser v3({QStringLiteral("a")});
    v3.parseStdoutLine("<Catch2TestRun name=\"t\" rng-seed=\"1\" xml-format-version=\"3\" catch2-version=\"3.7.1\">");
    QVERIFY(!v3.exitSaysFailed(0));
    QVERIFY(!v3.exitSaysFailed(4)); // all skipped
    QVERIFY(v3.exitSaysFailed(42));
    // A case not asked for (matched by the same spec) failed: the code is its.
    Catch2OutputParser twins({QStringLiteral("Mixed")});
    feed(twins,
        "<Catch name=\"t\">\n  <Group name=\"t\">\n    <TestCase name=\"mixed\" filename=\"t.cpp\" line=\"3\">\n"
        "      <OverallResult success=\"false\"/>\n    </TestCase>\n"
        "    <TestCase name=\"Mixed\" filename=\"t.cpp\" line=\"4\">\n      <OverallResult success=\"true\"/>\n"
        "    </TestCase>\n  </Group>\n</Catch>\n");
    QVERIFY(!twins.exitSaysFailed(1));
}

void TestCatch2Adapter::versionFromExecutable()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString &name, const QByteArray &content) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return QString();
        file.write(content);
        return file.fileName();
    };
    const QString v2 = write(QStringLiteral("v2"),
        "\x7f"
        "ELF...--list-test-names-only...");
    const QString v3 = write(QStringLiteral("v3"),
        "\x7f"
        "ELF...--list-listeners...");
    Catch2Adapter adapter;
    QCOMPARE(Catch2Adapter::versionOf(basic), Catch2Adapter::Version::V2);
    QCOMPARE(Catch2Adapter::versionOf(v2), Catch2Adapter::Version::V2);
    QCOMPARE(Catch2Adapter::versionOf(v3), Catch2Adapter::Version::V3);
    QCOMPARE(adapter.listArguments(v2, dir.path()),
        (QStringList {QStringLiteral("--list-test-names-only"), QStringLiteral("-v"), QStringLiteral("high")}));
    QCOMPARE(adapter.listArguments(v3, dir.path()),
        (QStringList {QStringLiteral("--list-tests"), QStringLiteral("--reporter"), QStringLiteral("xml")}));

    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY(adapter.prepareRun(v3, {QStringLiteral("Adds")}, dir.path(), &spec, &error));
    QCOMPARE(spec.arguments,
        (QStringList {QStringLiteral("-f"), Catch2Adapter::specFilePath(dir.path()), QStringLiteral("--reporter"),
            QStringLiteral("xml"), QStringLiteral("-d"), QStringLiteral("yes"), QStringLiteral("--order"),
            QStringLiteral("decl")}));
    spec = {};
    QVERIFY(adapter.prepareRun(v2, {QStringLiteral("Adds")}, dir.path(), &spec, &error));
    QCOMPARE(spec.arguments.mid(2, 2), (QStringList {QStringLiteral("-r"), QStringLiteral("xml")}));
}

void TestCatch2Adapter::v2ListingOfRealProgram()
{
    Catch2Adapter adapter;
    QTemporaryDir dir;
    const adaptertest::Ran ran = runProcess(basic, adapter.listArguments(basic, dir.path()));
    QVERIFY(ran.exitedNormally());
    QCOMPARE(ran.exitCode, 17); // the number listed
    QVERIFY(adapter.isListingExit(ran.exitCode));
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(ran.out, QByteArray(), dir.path(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), 17);
    QStringList names;
    for (const TestCase &testCase : qAsConst(cases)) {
        names.append(testCase.name);
        QCOMPARE(testCase.displayName, testCase.name);
        QCOMPARE(testCase.selector, testCase.name);
        QCOMPARE(testCase.suite, QString());
        QCOMPARE(testCase.file, QStringLiteral(C2_BASIC_SOURCE));
        QVERIFY(testCase.line > 0);
    }
    QCOMPARE(names.at(1), QStringLiteral("Require fails"));
    QCOMPARE(cases.at(1).line, 35);
    QVERIFY(!names.contains(QStringLiteral("Hidden")));
    QVERIFY(names.contains(QStringLiteral("Fails, with comma [x] \\ \"q\"")));
    QVERIFY(names.contains(QStringLiteral("  padded name  ")));
    QVERIFY(names.contains(QStringLiteral("#hash ~tilde"))); // listed as "\"#hash ~tilde\""
    QVERIFY(names.contains(QString::fromUtf8("Unicode äöü € ✓")));
    QCOMPARE(adapter.defaultGroupBy(), GroupBy::Case);
}

void TestCatch2Adapter::v2ListingOddities()
{
    Catch2Adapter adapter;
    QVector<TestCase> cases;
    QString error;
    // A name with a line break spans two lines; only the last has the location.
    QVERIFY(adapter.parseListing(
        "one\t@/s/t.cpp:3\ntwo\nlines\t@/s/t.cpp:7\n\"#q\"\t@C:/s/t.cpp:9\r\n", {}, {}, &cases, &error));
    QCOMPARE(cases.size(), 3);
    QCOMPARE(cases.at(1).name, QStringLiteral("two\nlines"));
    QCOMPARE(cases.at(1).line, 7);
    QCOMPARE(cases.at(2).name, QStringLiteral("#q"));
    QCOMPARE(cases.at(2).file, QStringLiteral("C:/s/t.cpp"));
    // An executable without cases lists nothing and exits 0.
    QVERIFY(adapter.parseListing(QByteArray(), {}, {}, &cases, &error));
    QVERIFY(cases.isEmpty());
    QVERIFY(adapter.isListingExit(0));
}

void TestCatch2Adapter::v3Listing()
{
    Catch2Adapter adapter;
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(
        adapter.parseListing(readData(QStringLiteral("v3_listing.xml")), {}, {}, &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), 5);
    QCOMPARE(cases.at(0).name, QStringLiteral("Adds"));
    QCOMPARE(cases.at(0).suite, QString());
    QCOMPARE(cases.at(0).file, QStringLiteral("/src/c3.cpp"));
    QCOMPARE(cases.at(0).line, 5);
    QCOMPARE(cases.at(3).suite, QStringLiteral("Fx"));
    QCOMPARE(cases.at(3).displayName, QStringLiteral("Fixture test"));
    QCOMPARE(cases.at(4).selector, QString::fromUtf8("  xml <&> \"q\" [x] \\ ü  "));
    QCOMPARE(cases.at(4).line, 30);
}

void TestCatch2Adapter::notAListing_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("error");
    QTest::newRow("hello") << QByteArray("hello\n") << QStringLiteral("not a Catch2 listing: hello");
    QTest::newRow("half a v2 listing") << QByteArray("a\t@/s/t.cpp:1\nb\n")
                                       << QStringLiteral("not a Catch2 listing: b");
    QTest::newRow("no line number") << QByteArray("a\t@/s/t.cpp:x\n")
                                    << QStringLiteral("not a Catch2 listing: a\t@/s/t.cpp:x");
    QTest::newRow("truncated v3") << readData(QStringLiteral("v3_listing.xml")).left(300)
                                  << QStringLiteral("not a Catch2 listing: unreadable XML");
    QTest::newRow("garbled v3") << QByteArray("<MatchingTests><TestCase><Name>a</Nam></TestCase></MatchingTests>")
                                << QStringLiteral("not a Catch2 listing: unreadable XML");
}

void TestCatch2Adapter::notAListing()
{
    QFETCH(QByteArray, output);
    QFETCH(QString, error);
    Catch2Adapter adapter;
    QVector<TestCase> cases;
    QString message;
    QVERIFY(!adapter.parseListing(output, {}, {}, &cases, &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
}

void TestCatch2Adapter::prepareRunWritesSpecFile()
{
    Catch2Adapter adapter;
    QTemporaryDir dir;
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY(adapter.prepareRun(basic,
        {QStringLiteral("a, b"), QStringLiteral("   "), QStringLiteral("#c"), QStringLiteral("exclude:d")}, dir.path(),
        &spec, &error));
    QCOMPARE(spec.arguments,
        (QStringList {QStringLiteral("-f"), Catch2Adapter::specFilePath(dir.path()), QStringLiteral("-r"),
            QStringLiteral("xml"), QStringLiteral("-d"), QStringLiteral("yes"), QStringLiteral("--order"),
            QStringLiteral("decl")}));
    QFile file(Catch2Adapter::specFilePath(dir.path()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    // The blank name gets no line (it becomes a "Not Run" error).
    QCOMPARE(file.readAll(), QByteArray("\"a\\, b\"\n\"#c\"\n\"*xclude:d\"\n"));

    // Nothing selectable: an empty spec would run everything.
    spec = {};
    QVERIFY(!adapter.prepareRun(basic, {QStringLiteral(" ")}, dir.path(), &spec, &error));
    QVERIFY2(error.contains(QLatin1String("blank")), qPrintable(error));
    QVERIFY(!adapter.prepareRun(basic, {}, dir.path(), &spec, &error));
}

void TestCatch2Adapter::realRunSelectsExactly_data()
{
    QTest::addColumn<QStringList>("selectors");
    QTest::addColumn<QStringList>("statuses"); // per selector: pass/fail
    // In declaration order, which is the order Catch2 runs them in.
    QTest::newRow("metacharacters") << QStringList {QStringLiteral("Fails, with comma [x] \\ \"q\""),
        QStringLiteral("  padded name  "), QStringLiteral("#hash ~tilde")}
                                    << QStringList {
                                           QStringLiteral("pass"), QStringLiteral("pass"), QStringLiteral("pass")};
    // "*starred*" also runs "an unstarred case" (which fails): not reported.
    QTest::newRow("wildcard") << QStringList {QStringLiteral("*starred*")} << QStringList {QStringLiteral("pass")};
    // "exclude:me" runs as "*xclude:me".
    QTest::newRow("exclude") << QStringList {QStringLiteral("exclude:me")} << QStringList {QStringLiteral("pass")};
    // Case-insensitive matching runs both; each keeps its own result.
    QTest::newRow("case") << QStringList {QStringLiteral("mixed case")} << QStringList {QStringLiteral("fail")};
    QTest::newRow("Case") << QStringList {QStringLiteral("Mixed Case")} << QStringList {QStringLiteral("pass")};
    QTest::newRow("hidden") << QStringList {QStringLiteral("Hidden")} << QStringList {QStringLiteral("fail")};
    QTest::newRow("unicode") << QStringList {QString::fromUtf8("Unicode äöü € ✓")}
                             << QStringList {QStringLiteral("pass")};
}

void TestCatch2Adapter::realRunSelectsExactly()
{
    QFETCH(QStringList, selectors);
    QFETCH(QStringList, statuses);
    Catch2Adapter adapter;
    QTemporaryDir dir;
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY2(adapter.prepareRun(basic, selectors, dir.path(), &spec, &error), qPrintable(error));
    const adaptertest::Ran ran = runProcess(basic, spec.arguments);
    QVERIFY(ran.exitedNormally());
    QVERIFY(adapter.isNormalExit(ran.exitCode));
    auto parser = adapter.createOutputParser(dir.path(), selectors);
    const Fed fed = feed(*parser, ran.out);
    QStringList expected;
    for (const QString &selector : selectors)
        expected << QStringLiteral("start ") + selector << QStringLiteral("finish ") + selector;
    QCOMPARE(kinds(fed.events), expected);
    for (int i = 0; i < selectors.size(); ++i) {
        const LineEvent *event = finished(fed.events, selectors.at(i));
        QVERIFY(event);
        QCOMPARE(event->result.status, statuses.at(i) == QLatin1String("pass") ? Status::Passed : Status::Failed);
    }
    QVERIFY(!fed.shown.contains("<TestCase"));
}

void TestCatch2Adapter::realRunWholeProgram()
{
    Catch2Adapter adapter;
    QTemporaryDir dir;
    QVector<TestCase> cases;
    QString error;
    QVERIFY(adapter.parseListing(
        runProcess(basic, adapter.listArguments(basic, dir.path())).out, {}, dir.path(), &cases, &error));
    QStringList selectors;
    for (const TestCase &testCase : qAsConst(cases))
        selectors.append(testCase.selector);
    FrameworkAdapter::RunSpec spec;
    QVERIFY(adapter.prepareRun(basic, selectors, dir.path(), &spec, &error));
    const adaptertest::Ran ran = runProcess(basic, spec.arguments);
    QVERIFY(ran.exitedNormally());
    QCOMPARE(ran.exitCode, 6); // failed assertions
    auto parser = adapter.createOutputParser(dir.path(), selectors);
    const Fed fed = feed(*parser, ran.out);
    QCOMPARE(fed.events.size(), 34); // every case started and finished once

    const LineEvent *require = finished(fed.events, QStringLiteral("Require fails"));
    QVERIFY(require);
    QCOMPARE(require->result.status, Status::Failed);
    QCOMPARE(require->result.file, QStringLiteral(C2_BASIC_SOURCE));
    QCOMPARE(require->result.line, 38);
    QCOMPARE(require->result.message,
        QStringLiteral(C2_BASIC_SOURCE ":38: FAILED:\n  REQUIRE( a == 2 )\nwith expansion:\n  1 == 2"));
    QVERIFY(require->result.seconds >= 0);

    const LineEvent *sections = finished(fed.events, QStringLiteral("Sections"));
    QVERIFY(sections);
    QCOMPARE(sections->result.message,
        QStringLiteral(C2_BASIC_SOURCE ":58: FAILED in section \"second\" > \"inner\":\n  REQUIRE( false )"));
    const LineEvent *shouldFail = finished(fed.events, QStringLiteral("Should fail but passes"));
    QVERIFY(shouldFail);
    QCOMPARE(shouldFail->result.status, Status::Failed);
    QCOMPARE(shouldFail->result.message, QStringLiteral("the case is tagged [!shouldfail] but no assertion failed"));
    QCOMPARE(finished(fed.events, QStringLiteral("May fail"))->result.status, Status::Passed);
    QCOMPARE(finished(fed.events, QStringLiteral("Should fail"))->result.status, Status::Passed);

    // Readable output instead of XML; std::cout captured by Catch2 unescaped.
    QVERIFY(fed.shown.contains("c2_basic printf\nc2_basic cout <&>\nc2_basic cerr\n"));
    QVERIFY(!fed.shown.contains("<TestCase"));
    QVERIFY(!fed.shown.contains("<Expression"));
    QVERIFY(!fed.shown.contains("<OverallResult"));
    // A failure Catch2 printed nothing for is explained where its text would be.
    QCOMPARE(fed.shown.count("the case is tagged [!shouldfail] but no assertion failed\n"), 1);
    QVERIFY(!fed.shown.contains("<StdOut"));
    auto *catchParser = static_cast<Catch2OutputParser *>(parser.get());
    QVERIFY(catchParser->streamComplete());
    QVERIFY(catchParser->structuredResults().isEmpty());
}

void TestCatch2Adapter::noMatchReportsNothing()
{
    // v2 exits 0 when the spec matches nothing: the parser must not report
    // the case, so the run controller turns it into a "Not Run" error.
    Catch2Adapter adapter;
    QTemporaryDir dir;
    const QStringList selectors {QStringLiteral("No such case")};
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY(adapter.prepareRun(basic, selectors, dir.path(), &spec, &error));
    const adaptertest::Ran ran = runProcess(basic, spec.arguments);
    QVERIFY(ran.exitedNormally());
    QCOMPARE(ran.exitCode, 0);
    QVERIFY(adapter.isNormalExit(ran.exitCode));
    auto parser = adapter.createOutputParser(dir.path(), selectors);
    const Fed fed = feed(*parser, ran.out);
    QVERIFY(fed.events.isEmpty());
    QVERIFY(static_cast<Catch2OutputParser *>(parser.get())->streamComplete());

    // Told to run a program that is not Catch2 at all: no events either.
    const adaptertest::Ran hello = runProcess(QStringLiteral(NOT_CATCH2), spec.arguments);
    QCOMPARE(hello.out, QByteArray("hello\n"));
    auto other = adapter.createOutputParser(dir.path(), selectors);
    const Fed fedHello = feed(*other, hello.out);
    QVERIFY(fedHello.events.isEmpty());
    QCOMPARE(fedHello.shown, QByteArray("hello\n"));
}

void TestCatch2Adapter::v3RunSample()
{
    const QStringList selectors {QStringLiteral("Adds"), QStringLiteral("Fails, with comma"), QStringLiteral("Skips"),
        QStringLiteral("Fixture test"), QString::fromUtf8("  xml <&> \"q\" [x] \\ ü  ")};
    Catch2OutputParser parser(selectors);
    const Fed fed = feed(parser, readData(QStringLiteral("v3_run.xml")));
    QCOMPARE(fed.events.size(), 10);
    QCOMPARE(finished(fed.events, selectors.at(0))->result.status, Status::Passed);
    QCOMPARE(finished(fed.events, selectors.at(0))->result.seconds, 1.2e-05);

    const LineEvent *fail = finished(fed.events, selectors.at(1));
    QCOMPARE(fail->result.status, Status::Failed);
    QCOMPARE(fail->result.file, QStringLiteral("/src/c3.cpp"));
    QCOMPARE(fail->result.line, 12);
    QCOMPARE(fail->result.message,
        QStringLiteral("/src/c3.cpp:12: FAILED:\n  REQUIRE( x == 2 )\nwith expansion:\n  1 == 2\n"
                       "with message:\n  x := 1"));

    const LineEvent *skip = finished(fed.events, selectors.at(2));
    QCOMPARE(skip->result.status, Status::Skipped);
    QCOMPARE(skip->result.message, QStringLiteral("/src/c3.cpp:17: SKIPPED:\n  not on this platform"));
    QCOMPARE(skip->result.line, 17);

    QCOMPARE(finished(fed.events, selectors.at(3))->result.status, Status::Passed);
    QVERIFY(fed.shown.contains("/src/c3.cpp:23: warning:\n  careful\n"));
    QVERIFY(fed.shown.contains("fixture says hi\n"));

    const LineEvent *odd = finished(fed.events, selectors.at(4));
    QCOMPARE(odd->result.status, Status::Failed);
    QCOMPARE(odd->result.message, QStringLiteral("/src/c3.cpp:33: FAILED in section \"a, b\":\n  CHECK_THROWS( f() )"));
    QVERIFY(parser.streamComplete());
    QVERIFY(!fed.shown.contains("<"));
}

void TestCatch2Adapter::truncatedStream()
{
    const QByteArray full = readData(QStringLiteral("v3_run.xml"));
    const QStringList selectors {QStringLiteral("Adds"), QStringLiteral("Fails, with comma")};
    // Killed in the middle of the second case's <Expression> element.
    const int cut = full.indexOf("<Expanded>");
    QVERIFY(cut > 0);
    for (int extra : {0, 4, 15}) {
        Catch2OutputParser parser(selectors);
        const Fed fed = feed(parser, full.left(cut + extra));
        QCOMPARE(kinds(fed.events),
            (QStringList {QStringLiteral("start Adds"), QStringLiteral("finish Adds"),
                QStringLiteral("start Fails, with comma")}));
        QVERIFY(!parser.streamComplete());
    }
    // A case whose </TestCase> arrives without <OverallResult> (garbled) is
    // not reported: no result is invented.
    Catch2OutputParser garbled(selectors);
    const Fed fed = feed(garbled,
        "<Catch name=\"x\">\n  <TestCase name=\"Adds\" filename=\"f\" line=\"1\">\n  </TestCase>\n"
        "  <TestCase name=\"Fails, with comma\" filename=\"f\" line=\"2\">\n"
        "    <OverallResult success=\"maybe\"/>\n  </TestCase>\n</Catch>\n");
    QCOMPARE(
        kinds(fed.events), (QStringList {QStringLiteral("start Adds"), QStringLiteral("start Fails, with comma")}));
}

void TestCatch2Adapter::crashStream()
{
    // Catch2's fatal condition handler reports the case and closes the
    // document, then the process dies: the case stays the running one.
    const QByteArray stream = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Catch name=\"c2_crash\">\n"
                              "  <Group name=\"c2_crash\">\n"
                              "    <TestCase name=\"Segv\" filename=\"/s/c.cpp\" line=\"20\">\n"
                              "about to crash\n"
                              "      <FatalErrorCondition filename=\"/s/c.cpp\" line=\"20\">\n"
                              "        SIGSEGV - Segmentation violation signal\n"
                              "      </FatalErrorCondition>\n"
                              "      <OverallResult success=\"false\" durationInSeconds=\"1e-05\"/>\n"
                              "    </TestCase>\n"
                              "    <OverallResults successes=\"0\" failures=\"1\" expectedFailures=\"0\"/>\n"
                              "  </Group>\n</Catch>\n";
    Catch2OutputParser parser({QStringLiteral("Segv"), QStringLiteral("After")});
    Fed fed = feed(parser, stream);
    QCOMPARE(kinds(fed.events), QStringList {QStringLiteral("start Segv")});
    QVERIFY(fed.shown.contains("about to crash\n/s/c.cpp:20: FAILED:\ndue to a fatal error condition:\n"
                               "  SIGSEGV - Segmentation violation signal\n"));

    // Should the process go on after all, the case is a plain failure.
    Catch2OutputParser goesOn({QStringLiteral("Segv"), QStringLiteral("After")});
    const int end = stream.indexOf("    <OverallResults");
    fed = feed(goesOn,
        stream.left(end)
            + "    <TestCase name=\"After\" filename=\"/s/c.cpp\" line=\"30\">\n"
              "      <OverallResult success=\"true\"/>\n    </TestCase>\n");
    QCOMPARE(kinds(fed.events),
        (QStringList {QStringLiteral("start Segv"), QStringLiteral("finish Segv"), QStringLiteral("start After"),
            QStringLiteral("finish After")}));
    QCOMPARE(finished(fed.events, QStringLiteral("Segv"))->result.status, Status::Failed);
    QCOMPARE(finished(fed.events, QStringLiteral("Segv"))->result.line, 20);
}

void TestCatch2Adapter::interleavedAndHostileOutput()
{
    Catch2OutputParser parser({QStringLiteral("A"), QStringLiteral("B")});
    // Output without a newline before the reporter's lines; the case's own
    // "<tags>" are output, not XML; invalid UTF-8 passes through; a huge line
    // without markup is output.
    const QByteArray huge(1 << 20, 'x');
    QVector<LineEvent> events;
    QByteArray shown;
    const QList<QByteArray> lines {"<Catch name=\"t\">", "  <TestCase name=\"A\" filename=\"f\" line=\"1\">",
        "no newline      <Expression success=\"false\" type=\"CHECK\" filename=\"f\" line=\"2\">", "        <Original>",
        "          a &lt; b", "        </Original>", "        <Expanded>", "          2 &lt; 1", "        </Expanded>",
        "      </Expression>", "<b>bold</b> \xff\xfe", huge, "      <TestCase name=\"fake\" oops",
        "partial<OverallResult success=\"false\" durationInSeconds=\"0.5\"/>", "  </TestCase>",
        "  <TestCase name=\"B\" filename=\"f\" line=\"9\">", "    <OverallResult success=\"true\">", "      <StdOut>",
        "bad \xc3 byte &amp; more", "", "      </StdOut>", "    </OverallResult>", "  </TestCase>"};
    for (const QByteArray &line : lines) {
        const ParsedLine parsed = parser.parseStdoutLine(line);
        events += parsed.events;
        const QByteArray text = parsed.display ? *parsed.display : line + '\n';
        if (!text.isEmpty())
            shown += text.endsWith('\n') ? text : text + '\n';
    }
    QCOMPARE(kinds(events),
        (QStringList {QStringLiteral("start A"), QStringLiteral("finish A"), QStringLiteral("start B"),
            QStringLiteral("finish B")}));
    const LineEvent *a = finished(events, QStringLiteral("A"));
    QCOMPARE(a->result.message, QStringLiteral("f:2: FAILED:\n  CHECK( a < b )\nwith expansion:\n  2 < 1"));
    QCOMPARE(a->result.seconds, 0.5);
    QVERIFY(shown.contains("no newline\nf:2: FAILED:\n  CHECK( a < b )\n"));
    QVERIFY(shown.contains("<b>bold</b> \xff\xfe\n"));
    QVERIFY(shown.contains(huge));
    QVERIFY(shown.contains("      <TestCase name=\"fake\" oops\n"));
    QVERIFY(shown.contains("partial\n"));
    QVERIFY(shown.contains("bad \xef\xbf\xbd byte & more\n\n"));
    QVERIFY(!parser.streamComplete());
}

void TestCatch2Adapter::exitCodes()
{
    Catch2Adapter adapter;
    // The adapter is not told the version: every code a v2 run can end with.
    for (int code : {0, 1, 2, 42, 200, 255})
        QVERIFY(adapter.isNormalExit(code));
    QVERIFY(!adapter.isNormalExit(-1));

    Catch2OutputParser v2({});
    feed(v2, "<Catch name=\"t\">\n");
    QVERIFY(v2.isNormalExit(1) && v2.isNormalExit(255));
    Catch2OutputParser v3({});
    feed(v3, "<Catch2TestRun name=\"t\" rng-seed=\"1\" xml-format-version=\"3\" catch2-version=\"3.7.1\">\n");
    for (int code : {0, 2, 3, 4, 5, 42})
        QVERIFY(v3.isNormalExit(code));
    for (int code : {1, 6, 41, 255})
        QVERIFY(!v3.isNormalExit(code));
    Catch2OutputParser v36({});
    feed(v36, "<Catch2TestRun name=\"t\" rng-seed=\"1\" xml-format-version=\"3\" catch2-version=\"3.6.0\">\n");
    QVERIFY(v36.isNormalExit(1)); // before 3.7.1: the failed-assertion count
}

QTEST_GUILESS_MAIN(TestCatch2Adapter)
#include "tst_catch2adapter.moc"
