// SPDX-License-Identifier: BSD-3-Clause
// GTestAdapter and GTestOutputParser against a real GoogleTest 1.12 executable
// (gtest_sample.cpp): its listing, its console output and its JSON report. Edge
// cases that a well-behaved binary does not produce come from literal strings.
#include "adapterharness.h"
#include "frameworks/gtest/gtestadapter.h"
#include "frameworks/registry.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ctestd;

namespace {

const QString samplePath = QStringLiteral(GTEST_SAMPLE);
const QString sampleSource = QStringLiteral(GTEST_SAMPLE_SOURCE);

using adaptertest::Ran;

// `hostile`: variables the user may have set, which `environment` (what the
// adapter asked for) overrides.
Ran runProgram(const QString &program, const QStringList &arguments, const QHash<QString, QString> &environment = {},
    const QHash<QString, QString> &hostile = {})
{
    QHash<QString, QString> merged = hostile;
    merged.insert(environment);
    return adaptertest::runProgram(program, arguments, merged);
}

// The 1-based line of gtest_sample.cpp that contains `needle`.
int sampleLine(const QString &needle)
{
    return adaptertest::lineOf(sampleSource, needle);
}

QString describe(const TestCase &c)
{
    return QStringLiteral("%1 | %2 | %3 | %4 | %5 | %6:%7")
        .arg(c.suite, c.name, c.selector, c.displayName,
            c.disabled ? QStringLiteral("disabled") : QStringLiteral("enabled"), c.file)
        .arg(c.line);
}

QStringList describe(const QVector<TestCase> &cases)
{
    QStringList lines;
    for (const TestCase &c : cases)
        lines.append(describe(c));
    return lines;
}

struct Expected {
    const char *suite; // as JUnit shows it: gtest_discover_tests' spelling
    const char *name;
    const char *displayName;
    bool disabled;
    const char *definition; // text of the defining line in gtest_sample.cpp
    const char *selector = nullptr; // gtest's own name, where not suite.name
};

QString describeExpected(const Expected &e)
{
    TestCase c;
    c.suite = QString::fromUtf8(e.suite);
    c.name = QString::fromUtf8(e.name);
    c.selector = e.selector ? QString::fromUtf8(e.selector) : c.suite + QLatin1Char('.') + c.name;
    c.displayName = QString::fromUtf8(e.displayName);
    c.disabled = e.disabled;
    c.file = sampleSource;
    c.line = sampleLine(QString::fromUtf8(e.definition));
    return describe(c);
}

// One stream event, or one structured result, as a line to compare.
QString describe(const QString &selector, const CaseResult &r)
{
    return QStringLiteral("%1 %2 %3:%4 [%5]").arg(selector, statusName(r.status), r.file).arg(r.line).arg(r.message);
}

QString describe(const LineEvent &e)
{
    switch (e.kind) {
    case LineEvent::None:
        return QStringLiteral("none");
    case LineEvent::Started:
        return QStringLiteral("started ") + e.selector;
    case LineEvent::Finished:
        return QStringLiteral("finished ") + describe(e.selector, e.result);
    }
    return QString();
}

// Feeds `out` through the parser line by line; returns the events (not None).
QStringList feed(OutputParser *parser, const QByteArray &out, QHash<QString, double> *seconds = nullptr)
{
    QStringList events;
    QList<QByteArray> lines = out.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    for (const QByteArray &line : qAsConst(lines)) {
        const LineEvent event = parser->parseStdoutLine(line).events.value(0);
        if (event.kind == LineEvent::None)
            continue;
        events.append(describe(event));
        if (seconds && event.kind == LineEvent::Finished)
            seconds->insert(event.selector, event.result.seconds);
    }
    return events;
}

QString failedAt(const char *selector, const char *definition, const char *message)
{
    CaseResult r;
    r.status = Status::Failed;
    r.file = sampleSource;
    r.line = sampleLine(QString::fromUtf8(definition));
    r.message = QString::fromUtf8(message);
    return describe(QString::fromUtf8(selector), r);
}

QString outcome(const char *selector, Status status, const char *message = "", const char *definition = nullptr)
{
    CaseResult r;
    r.status = status;
    if (definition) {
        r.file = sampleSource;
        r.line = sampleLine(QString::fromUtf8(definition));
    }
    r.message = QString::fromUtf8(message);
    return describe(QString::fromUtf8(selector), r);
}

// The subset the run tests select, deliberately not in gtest's order.
const QStringList subset = {
    QStringLiteral("Words/S.NotEmpty/4"),
    QStringLiteral("Math.Add"),
    QStringLiteral("Math.Fails"),
    QStringLiteral("Math.Skip"),
    QStringLiteral("Math.Prints"),
    QStringLiteral("Math.Throws"),
    QStringLiteral("Math.Slow"),
    QStringLiteral("Text.Utf8"),
    QStringLiteral("Fixture.One"),
    QStringLiteral("Fixture.Two"),
    QStringLiteral("Typed/1.Small"),
    QStringLiteral("My/TypedP/0.Works"),
    QStringLiteral("Nums/P.Even/1"),
    QStringLiteral("Words/S.NotEmpty/3"),
};

// What the subset's outcomes must be, in gtest's order, from the stream and
// from the JSON report alike.
QStringList expectedOutcomes()
{
    return {
        outcome("Math.Add", Status::Passed),
        failedAt("Math.Fails", "EXPECT_EQ(3, 1 + 1)",
            "Expected equality of these values:\n  3\n  1 + 1\n    Which is: 2\nfirst\n"
            "Value of: false\n  Actual: false\nExpected: true\nsecond\nspans two lines"),
        outcome("Math.Skip", Status::Skipped, "not today", "GTEST_SKIP() << \"not today\""),
        outcome("Math.Prints", Status::Passed),
        outcome("Math.Throws", Status::Failed, "C++ exception with description \"boom\" thrown in the test body."),
        outcome("Math.Slow", Status::Passed),
        failedAt("Text.Utf8", "FAIL() << \"gr",
            "Failed\ngr\xc3\xbc\xc3\x9f"
            "e \xef\xbf\xbd"),
        outcome("Fixture.One", Status::Passed),
        failedAt("Fixture.Two", "ASSERT_EQ(1, 2)", "Expected equality of these values:\n  1\n  2\nfatal"),
        failedAt("Typed/1.Small", "EXPECT_LT(sizeof(TypeParam)",
            "Expected: (sizeof(TypeParam)) < (8u), actual: 8 vs 8\ntoo big"),
        outcome("My/TypedP/0.Works", Status::Passed),
        failedAt("Nums/P.Even/1", "EXPECT_EQ(0, GetParam() % 2)",
            "Expected equality of these values:\n  0\n  GetParam() % 2\n    Which is: 1\nodd: 3"),
        failedAt("Words/S.NotEmpty/3", "EXPECT_FALSE(GetParam().empty())",
            "Value of: GetParam().empty()\n  Actual: true\nExpected: false"),
        outcome("Words/S.NotEmpty/4", Status::Skipped, "", "GTEST_SKIP();"),
    };
}

QStringList expectedEvents()
{
    QStringList events;
    const QStringList outcomes = expectedOutcomes();
    for (const QString &o : outcomes) {
        events.append(QStringLiteral("started ") + o.section(QLatin1Char(' '), 0, 0));
        events.append(QStringLiteral("finished ") + o);
    }
    return events;
}

QStringList describe(const QHash<QString, CaseResult> &results, const QStringList &order)
{
    QStringList lines;
    for (const QString &selector : order)
        lines.append(results.contains(selector) ? describe(selector, results.value(selector))
                                                : selector + QStringLiteral(" missing"));
    return lines;
}

// Everything in the environment that would change what gtest runs or prints.
const QHash<QString, QString> hostileEnvironment = {
    {QStringLiteral("GTEST_BRIEF"), QStringLiteral("1")},
    {QStringLiteral("GTEST_REPEAT"), QStringLiteral("3")},
    {QStringLiteral("GTEST_SHUFFLE"), QStringLiteral("1")},
    {QStringLiteral("GTEST_TOTAL_SHARDS"), QStringLiteral("3")},
    {QStringLiteral("GTEST_SHARD_INDEX"), QStringLiteral("2")},
    {QStringLiteral("GTEST_FILTER"), QStringLiteral("Nothing.*")},
    {QStringLiteral("TESTBRIDGE_TEST_ONLY"), QStringLiteral("Nothing.*")},
    {QStringLiteral("GTEST_COLOR"), QStringLiteral("yes")},
    {QStringLiteral("TERM"), QStringLiteral("xterm-256color")},
    {QStringLiteral("GTEST_PRINT_TIME"), QStringLiteral("0")},
    {QStringLiteral("GTEST_FAIL_FAST"), QStringLiteral("1")},
    {QStringLiteral("GTEST_ALSO_RUN_DISABLED_TESTS"), QStringLiteral("1")},
    {QStringLiteral("GTEST_THROW_ON_FAILURE"), QStringLiteral("1")},
    {QStringLiteral("GTEST_OUTPUT"), QStringLiteral("xml:/nonexistent/dir/x.xml")},
};

// gtest's lines carry at most one event each.
LineEvent line(OutputParser *parser, const QByteArray &text)
{
    const ParsedLine parsed = parser->parseStdoutLine(text);
    [&] { QVERIFY(parsed.events.size() <= 1 && !parsed.display); }();
    return parsed.events.value(0);
}

} // namespace

class TestGTestAdapter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void identity();
    void listsTheSample();
    void listingIgnoresHostileEnvironment();
    void listingWithoutUsableJson();
    void emptyExecutable();
    void listingEdgeCases_data();
    void listingEdgeCases();
    void notAListing_data();
    void notAListing();
    void runsASubset();
    void runIgnoresHostileEnvironment();
    void crashLeavesNoReport();
    void hugeFilterUsesFlagFile();
    void flagFileRunsForReal();
    void rejectsBadSelectors_data();
    void rejectsBadSelectors();
    void summaryLinesProduceNoEvents();
    void frameworkLinesAreDropped();
    void runWhileRunning();
    void markerVariants();
    void longLines();
    void invalidUtf8();
    void structuredResultsMissingOrBroken();
    void longReportStringsAreCut();
};

void TestGTestAdapter::identity()
{
    const auto adapter = createFrameworkAdapter(QStringLiteral("gtest"));
    QVERIFY(adapter);
    QCOMPARE(adapter->name(), QStringLiteral("gtest"));
    QCOMPARE(adapter->defaultGroupBy(), GroupBy::Suite);

    TestCase typed;
    typed.suite = QStringLiteral("Typed/0");
    typed.name = QStringLiteral("Zero");
    typed.selector = QStringLiteral("Typed/0.Zero");
    QCOMPARE(adapter->groupKey(typed, GroupBy::Suite), QStringLiteral("Typed/0"));
    QCOMPARE(adapter->groupKey(typed, GroupBy::Case), QStringLiteral("Typed/0.Zero"));
    QCOMPARE(adapter->groupKey(typed, GroupBy::Executable), QString());

    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    QCOMPARE(adapter->listArguments(QString(), scratch.path()),
        QStringList({QStringLiteral("--gtest_list_tests"), QStringLiteral("--gtest_filter=*"),
            QStringLiteral("--gtest_output=json:") + scratch.filePath(QStringLiteral("list.json"))}));
}

void TestGTestAdapter::listsTheSample()
{
    // Display names as CMake 3.25's gtest_discover_tests registers them for
    // this very source (checked with `ctest -N` on a throwaway project),
    // except `disabled` for Off/P.Even/DISABLED_four: gtest treats
    // "*/DISABLED_*" as disabled, gtest_discover_tests only a leading DISABLED_.
    static const Expected expected[] = {
        {"Math", "Add", "Math.Add", false, "TEST(Math, Add)"},
        {"Math", "Fails", "Math.Fails", false, "TEST(Math, Fails)"},
        {"Math", "Skip", "Math.Skip", false, "TEST(Math, Skip)"},
        {"Math", "Off", "Math.Off", true, "TEST(Math, DISABLED_Off)", "Math.DISABLED_Off"},
        {"Math", "Prints", "Math.Prints", false, "TEST(Math, Prints)"},
        {"Math", "Throws", "Math.Throws", false, "TEST(Math, Throws)"},
        {"Math", "Slow", "Math.Slow", false, "TEST(Math, Slow)"},
        {"Text", "Utf8", "Text.Utf8", false, "TEST(Text, Utf8)"},
        {"Crash", "Aborts", "Crash.Aborts", false, "TEST(Crash, Aborts)"},
        {"Broken", "Anything", "Broken.Anything", true, "TEST(DISABLED_Broken, Anything)", "DISABLED_Broken.Anything"},
        {"Fixture", "One", "Fixture.One", false, "TEST_F(Fixture, One)"},
        {"Fixture", "Two", "Fixture.Two", false, "TEST_F(Fixture, Two)"},
        {"Typed/0", "Zero", "Typed.Zero<int>", false, "TYPED_TEST(Typed, Zero)"},
        {"Typed/0", "Small", "Typed.Small<int>", false, "TYPED_TEST(Typed, Small)"},
        {"Typed/1", "Zero", "Typed.Zero<double>", false, "TYPED_TEST(Typed, Zero)"},
        {"Typed/1", "Small", "Typed.Small<double>", false, "TYPED_TEST(Typed, Small)"},
        {"My/TypedP/0", "Works", "My.Works<char>", false, "TYPED_TEST_P(TypedP, Works)"},
        {"Nums/P", "Even/0", "Nums/P.Even/2", false, "TEST_P(P, Even)"},
        {"Nums/P", "Even/1", "Nums/P.Even/3", false, "TEST_P(P, Even)"},
        {"Off/P", "Even/DISABLED_four", "Off/P.Even/DISABLED_four  # GetParam() = 4", true, "TEST_P(P, Even)"},
        {"Words/S", "NotEmpty/0", "Words/S.NotEmpty/\"a b\"", false, "TEST_P(S, NotEmpty)"},
        {"Words/S", "NotEmpty/1", "Words/S.NotEmpty/\"x;y\"", false, "TEST_P(S, NotEmpty)"},
        {"Words/S", "NotEmpty/2", "Words/S.NotEmpty/\"[z]\"", false, "TEST_P(S, NotEmpty)"},
        {"Words/S", "NotEmpty/3", "Words/S.NotEmpty/\"\"", false, "TEST_P(S, NotEmpty)"},
        {"Words/S", "NotEmpty/4", "Words/S.NotEmpty/\"skip\"", false, "TEST_P(S, NotEmpty)"},
        {"Named/S", "NotEmpty/alpha", "Named/S.NotEmpty/alpha  # GetParam() = \"alpha\"", false, "TEST_P(S, NotEmpty)"},
        {"Named/S", "NotEmpty/beta", "Named/S.NotEmpty/beta  # GetParam() = \"beta\"", false, "TEST_P(S, NotEmpty)"},
    };
    QStringList expectedLines;
    for (const Expected &e : expected)
        expectedLines.append(describeExpected(e));

    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const Ran ran = runProgram(samplePath, adapter.listArguments(QString(), scratch.path()));
    QCOMPARE(ran.exitCode, 0);
    QVERIFY(ran.out.startsWith("Running main() from ")); // the noise the parser skips
    QVERIFY(QFile::exists(scratch.filePath(QStringLiteral("list.json"))));

    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(ran.out, ran.err, scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(describe(cases), expectedLines);
    for (const TestCase &c : qAsConst(cases)) {
        QCOMPARE(c.index, 0); // the caller's
        QVERIFY(c.group.isEmpty());
    }
}

void TestGTestAdapter::listingIgnoresHostileEnvironment()
{
    GTestAdapter adapter;
    QTemporaryDir plain;
    QVERIFY(plain.isValid());
    const Ran a = runProgram(samplePath, adapter.listArguments(QString(), plain.path()));
    QVector<TestCase> expected;
    QString error;
    QVERIFY(adapter.parseListing(a.out, a.err, plain.path(), &expected, &error));

    QHash<QString, QString> unsharded = hostileEnvironment;
    unsharded.remove(QStringLiteral("GTEST_TOTAL_SHARDS"));
    unsharded.remove(QStringLiteral("GTEST_SHARD_INDEX"));
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const Ran b = runProgram(samplePath, adapter.listArguments(QString(), scratch.path()), {}, unsharded);
    QCOMPARE(b.exitCode, 0);
    QVector<TestCase> cases;
    QVERIFY2(adapter.parseListing(b.out, b.err, scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(describe(cases), describe(expected));

    // gtest 1.12 lists every case as text even when the environment asks for
    // sharding, but its JSON listing holds only this shard's cases: the
    // others lose file and line (listArguments() cannot set the environment).
    QTemporaryDir sharded;
    QVERIFY(sharded.isValid());
    const Ran c = runProgram(samplePath, adapter.listArguments(QString(), sharded.path()), {}, hostileEnvironment);
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(adapter.parseListing(c.out, c.err, sharded.path(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), expected.size());
    int located = 0;
    for (int i = 0; i < cases.size(); ++i) {
        QCOMPARE(cases.at(i).selector, expected.at(i).selector);
        QCOMPARE(cases.at(i).displayName, expected.at(i).displayName);
        QCOMPARE(cases.at(i).disabled, expected.at(i).disabled);
        if (!cases.at(i).file.isEmpty()) {
            QCOMPARE(cases.at(i).line, expected.at(i).line);
            ++located;
        }
    }
    QCOMPARE(located, 9); // shard 2 of 3: cases 2, 5, 8, ... of 27
}

void TestGTestAdapter::listingWithoutUsableJson()
{
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const Ran ran = runProgram(samplePath, adapter.listArguments(QString(), scratch.path()));
    const QString jsonPath = scratch.filePath(QStringLiteral("list.json"));

    QVector<TestCase> withJson;
    QString error;
    QVERIFY(adapter.parseListing(ran.out, ran.err, scratch.path(), &withJson, &error));

    // Missing: the same cases, without file and line.
    QVERIFY(QFile::remove(jsonPath));
    QVector<TestCase> cases;
    QVERIFY2(adapter.parseListing(ran.out, ran.err, scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), withJson.size());
    for (int i = 0; i < cases.size(); ++i) {
        QCOMPARE(cases.at(i).selector, withJson.at(i).selector);
        QCOMPARE(cases.at(i).displayName, withJson.at(i).displayName);
        QCOMPARE(cases.at(i).file, QString());
        QCOMPARE(cases.at(i).line, 0);
    }

    // Broken: ignored the same way.
    QFile broken(jsonPath);
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\n  \"tests\": 27,\n  \"testsuites\": [ { \"name\": \"Math\", \"testsu");
    broken.close();
    cases.clear();
    QVERIFY2(adapter.parseListing(ran.out, ran.err, scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), withJson.size());
    QCOMPARE(cases.constFirst().file, QString());

    // A stale listing is removed by listArguments().
    QVERIFY(QFile::exists(jsonPath));
    adapter.listArguments(QString(), scratch.path());
    QVERIFY(!QFile::exists(jsonPath));
}

void TestGTestAdapter::emptyExecutable()
{
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const Ran ran = runProgram(QStringLiteral(GTEST_EMPTY), adapter.listArguments(QString(), scratch.path()));
    QCOMPARE(ran.exitCode, 0);
    QVector<TestCase> cases(1);
    QString error;
    QVERIFY2(adapter.parseListing(ran.out, ran.err, scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), 0);
}

void TestGTestAdapter::listingEdgeCases_data()
{
    QTest::addColumn<QByteArray>("stdOut");
    QTest::addColumn<QStringList>("expected"); // selector | displayName | disabled

    QTest::newRow("noise before the listing")
        << QByteArray("some banner\nLooks.Like.A.Suite.\n\nRunning main() from gtest_main.cc\nMath.\n  Add\n")
        << QStringList {QStringLiteral("Math.Add | Math.Add | 0")};
    QTest::newRow("CRLF") << QByteArray("Math.\r\n  Add\r\nNums/P.\r\n  Even/0  # GetParam() = 2\r\n")
                          << QStringList {QStringLiteral("Math.Add | Math.Add | 0"),
                                 QStringLiteral("Nums/P.Even/0 | Nums/P.Even/2 | 0")};
    QTest::newRow("noise after the listing")
        << QByteArray("Math.\n  Add\nDone.\nbye now\n") << QStringList {QStringLiteral("Math.Add | Math.Add | 0")};
    // Expectations from running CMake 3.25's GoogleTestAddTests.cmake on this
    // very output (a shell script printing it as the "test executable").
    QTest::newRow("gtest_discover_tests quirks")
        << QByteArray("DISABLED_DISABLED_Twice.\n"
                      "  DISABLED_DISABLED_x\n"
                      "Typed/int.  # TypeParam = int\n"
                      "  Zero\n"
                      "Pre/Typed/3.  # TypeParam = std::pair<int, char>\n"
                      "  DISABLED_Zero\n"
                      "Inst/DISABLED_P.\n"
                      "  Even/0  # GetParam() = a # b\n"
                      "  Odd/1  # GetParam() = (1, 2)  \n"
                      "  Tab/2  # GetParam() = x\t\n")
        << QStringList {
               QStringLiteral("DISABLED_DISABLED_Twice.DISABLED_DISABLED_x | Twice.x | 1"),
               QStringLiteral("Typed/int.Zero | Typed.Zero<Typed/int.  # TypeParam = int> | 0"),
               QStringLiteral("Pre/Typed/3.DISABLED_Zero | Pre.Zero<std::pair<int, char>> | 1"),
               QStringLiteral("Inst/DISABLED_P.Even/0 | Inst/DISABLED_P.Even/a # b | 1"),
               QStringLiteral("Inst/DISABLED_P.Odd/1 | Inst/DISABLED_P.Odd/(1, 2) | 1"),
               QStringLiteral("Inst/DISABLED_P.Tab/2 | Inst/DISABLED_P.Tab/x | 1"),
           };
    // A typed suite's name generator may put a space in the name: the case
    // is that suite's, not the previous one's.
    QTest::newRow("typed suite name with a space")
        << QByteArray("Typed/a.  # TypeParam = int\n  Works\nTyped/b c.  # TypeParam = long\n  Works\n")
        << QStringList {QStringLiteral("Typed/a.Works | Typed.Works<Typed/a.  # TypeParam = int> | 0"),
               QStringLiteral("Typed/b c.Works | Typed.Works<Typed/b c.  # TypeParam = long> | 0")};
    QTest::newRow("only gtest_main's greeting")
        << QByteArray("Running main() from ./googletest/src/gtest_main.cc\n") << QStringList();
    QTest::newRow("nothing at all") << QByteArray() << QStringList();
}

void TestGTestAdapter::listingEdgeCases()
{
    QFETCH(QByteArray, stdOut);
    QFETCH(QStringList, expected);
    GTestAdapter adapter;
    QTemporaryDir scratch; // no list.json in it
    QVERIFY(scratch.isValid());
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(stdOut, QByteArray(), scratch.path(), &cases, &error), qPrintable(error));
    QStringList actual;
    for (const TestCase &c : qAsConst(cases)) {
        // suite and name as the console shows them (no leading DISABLED_),
        // so JUnit names a disabled case as the console does.
        QVERIFY2(!c.suite.startsWith(QLatin1String("DISABLED_")) && !c.name.startsWith(QLatin1String("DISABLED_")),
            qPrintable(c.selector));
        QVERIFY2(c.selector.endsWith(c.name), qPrintable(c.selector));
        actual.append(QStringLiteral("%1 | %2 | %3").arg(c.selector, c.displayName).arg(int(c.disabled)));
    }
    QCOMPARE(actual, expected);
}

void TestGTestAdapter::notAListing_data()
{
    QTest::addColumn<QByteArray>("stdOut");
    QTest::addColumn<QByteArray>("stdErr");
    QTest::addColumn<QString>("error");

    QTest::newRow("usage text") << QByteArray("\nUsage: tool [options]\n  --help  show this\n") << QByteArray()
                                << QStringLiteral("not a GoogleTest listing: Usage: tool [options]");
    const QByteArray longLine(500, 'x');
    QTest::newRow("long line") << longLine << QByteArray()
                               << QStringLiteral("not a GoogleTest listing: ") + QString(80, QLatin1Char('x'))
            + QStringLiteral("...");
    QTest::newRow("suite-looking line without cases") << QByteArray("Version 1.2.\nReady.\n") << QByteArray()
                                                      << QStringLiteral("not a GoogleTest listing: Version 1.2.");
    QTest::newRow("silent, complaining on stderr")
        << QByteArray() << QByteArray("error: unknown option --gtest_list_tests\n")
        << QStringLiteral("not a GoogleTest listing: error: unknown option --gtest_list_tests");
}

void TestGTestAdapter::notAListing()
{
    QFETCH(QByteArray, stdOut);
    QFETCH(QByteArray, stdErr);
    QFETCH(QString, error);
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    QVector<TestCase> cases;
    QString actual;
    QVERIFY(!adapter.parseListing(stdOut, stdErr, scratch.path(), &cases, &actual));
    QCOMPARE(actual, error);
    QVERIFY(cases.isEmpty());
}

void TestGTestAdapter::runsASubset()
{
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY2(adapter.prepareRun(QString(), subset, scratch.path(), &spec, &error), qPrintable(error));
    QCOMPARE(spec.arguments,
        QStringList({QStringLiteral("--gtest_filter=") + subset.join(QLatin1Char(':')),
            QStringLiteral("--gtest_output=json:") + scratch.filePath(QStringLiteral("results.json"))}));
    QCOMPARE(spec.environment.value(QStringLiteral("GTEST_BRIEF")), QStringLiteral("0"));
    QCOMPARE(spec.environment.value(QStringLiteral("GTEST_TOTAL_SHARDS")), QStringLiteral("1"));
    QCOMPARE(spec.environment.value(QStringLiteral("GTEST_SHARD_INDEX")), QStringLiteral("0"));
    QVERIFY(!QFile::exists(scratch.filePath(QStringLiteral("filter.flags"))));

    const Ran ran = runProgram(samplePath, spec.arguments, spec.environment);
    QCOMPARE(ran.exitStatus, QProcess::NormalExit);
    QCOMPARE(ran.exitCode, 1);
    QVERIFY(ran.out.contains("no newline[       OK ] Math.Prints (")); // the case's output glued to the marker
    QVERIFY(ran.err.contains("to stderr"));

    const auto parser = adapter.createOutputParser(scratch.path(), {});
    QHash<QString, double> seconds;
    QCOMPARE(feed(parser.get(), ran.out, &seconds), expectedEvents());
    QVERIFY2(seconds.value(QStringLiteral("Math.Slow")) >= 0.03,
        qPrintable(QString::number(seconds.value(QStringLiteral("Math.Slow")))));
    QVERIFY(seconds.value(QStringLiteral("Math.Add")) < 5.0);

    const QHash<QString, CaseResult> results = parser->structuredResults();
    QCOMPARE(results.size(), subset.size());
    QStringList order;
    for (const QString &o : expectedOutcomes())
        order.append(o.section(QLatin1Char(' '), 0, 0));
    QCOMPARE(describe(results, order), expectedOutcomes());
    QVERIFY(results.value(QStringLiteral("Math.Slow")).seconds >= 0.03);
    QVERIFY(results.value(QStringLiteral("Math.Add")).seconds < 5.0);
}

void TestGTestAdapter::runIgnoresHostileEnvironment()
{
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY(adapter.prepareRun(QString(), subset, scratch.path(), &spec, &error));

    const Ran ran = runProgram(samplePath, spec.arguments, spec.environment, hostileEnvironment);
    QCOMPARE(ran.exitStatus, QProcess::NormalExit);
    QCOMPARE(ran.exitCode, 1);
    QVERIFY(!ran.out.contains('\x1b'));
    const auto parser = adapter.createOutputParser(scratch.path(), {});
    QCOMPARE(feed(parser.get(), ran.out), expectedEvents());
    QCOMPARE(parser->structuredResults().size(), subset.size());
}

void TestGTestAdapter::crashLeavesNoReport()
{
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QStringList selectors
        = {QStringLiteral("Math.Add"), QStringLiteral("Crash.Aborts"), QStringLiteral("Fixture.One")};

    // A report from an earlier run in the same directory must not survive.
    FrameworkAdapter::RunSpec first;
    QString error;
    QVERIFY(adapter.prepareRun(QString(), selectors, scratch.path(), &first, &error));
    runProgram(samplePath, first.arguments, first.environment);
    QVERIFY(QFile::exists(scratch.filePath(QStringLiteral("results.json"))));

    FrameworkAdapter::RunSpec spec;
    QVERIFY(adapter.prepareRun(QString(), selectors, scratch.path(), &spec, &error));
    QVERIFY(!QFile::exists(scratch.filePath(QStringLiteral("results.json"))));
    QHash<QString, QString> environment = spec.environment;
    environment.insert(QStringLiteral("GTEST_SAMPLE_CRASH"), QStringLiteral("1"));
    const Ran ran = runProgram(samplePath, spec.arguments, environment);
    QCOMPARE(ran.exitStatus, QProcess::CrashExit);

    const auto parser = adapter.createOutputParser(scratch.path(), {});
    QCOMPARE(feed(parser.get(), ran.out),
        QStringList({QStringLiteral("started Math.Add"), QStringLiteral("finished Math.Add passed :0 []"),
            QStringLiteral("started Crash.Aborts")}));
    QVERIFY(parser->structuredResults().isEmpty());
}

void TestGTestAdapter::hugeFilterUsesFlagFile()
{
    QStringList selectors;
    for (int i = 0; i < 5000; ++i)
        selectors.append(QStringLiteral("Suite%1.Case%1").arg(i));
    const QByteArray filter = "--gtest_filter=" + selectors.join(QLatin1Char(':')).toUtf8();
    QVERIFY(filter.size() > GTestAdapter::maxFilterArgumentBytes);

    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY2(adapter.prepareRun(QString(), selectors, scratch.path(), &spec, &error), qPrintable(error));
    const QString flagFile = scratch.filePath(QStringLiteral("filter.flags"));
    QCOMPARE(spec.arguments,
        QStringList({QStringLiteral("--gtest_flagfile=") + flagFile,
            QStringLiteral("--gtest_output=json:") + scratch.filePath(QStringLiteral("results.json"))}));
    QFile file(flagFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), filter + '\n');

    // Just below the limit the filter stays on the command line.
    QStringList fewer;
    int bytes = int(qstrlen("--gtest_filter="));
    for (const QString &s : qAsConst(selectors)) {
        const int more = s.size() + (fewer.isEmpty() ? 0 : 1);
        if (bytes + more > GTestAdapter::maxFilterArgumentBytes)
            break;
        bytes += more;
        fewer.append(s);
    }
    QVERIFY(bytes <= GTestAdapter::maxFilterArgumentBytes);
    QVERIFY(bytes + 1 + selectors.at(fewer.size()).size() > GTestAdapter::maxFilterArgumentBytes);
    QTemporaryDir other;
    QVERIFY(other.isValid());
    FrameworkAdapter::RunSpec small;
    QVERIFY(adapter.prepareRun(QString(), fewer, other.path(), &small, &error));
    QCOMPARE(small.arguments.constFirst().toUtf8().size(), bytes);
    QVERIFY(small.arguments.constFirst().startsWith(QLatin1String("--gtest_filter=Suite0.Case0:")));
    QVERIFY(!QFile::exists(other.filePath(QStringLiteral("filter.flags"))));
}

void TestGTestAdapter::flagFileRunsForReal()
{
    // gtest 1.12 reads --gtest_flagfile: only the two real cases among 5,000
    // selectors run.
    QStringList selectors = {QStringLiteral("Typed/0.Zero"), QStringLiteral("Math.Add")};
    for (int i = 0; i < 5000; ++i)
        selectors.append(QStringLiteral("Padding.Case%1").arg(i));
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY(adapter.prepareRun(QString(), selectors, scratch.path(), &spec, &error));
    QVERIFY(spec.arguments.constFirst().startsWith(QLatin1String("--gtest_flagfile=")));
    const Ran ran = runProgram(samplePath, spec.arguments, spec.environment);
    QCOMPARE(ran.exitCode, 0);
    const auto parser = adapter.createOutputParser(scratch.path(), {});
    QCOMPARE(feed(parser.get(), ran.out),
        QStringList({QStringLiteral("started Math.Add"), QStringLiteral("finished Math.Add passed :0 []"),
            QStringLiteral("started Typed/0.Zero"), QStringLiteral("finished Typed/0.Zero passed :0 []")}));
    const QHash<QString, CaseResult> results = parser->structuredResults();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.value(QStringLiteral("Typed/0.Zero")).status, Status::Passed);
}

void TestGTestAdapter::rejectsBadSelectors_data()
{
    QTest::addColumn<QStringList>("selectors");
    QTest::addColumn<QString>("error");
    QTest::newRow("none") << QStringList() << QStringLiteral("no GoogleTest cases to run");
    QTest::newRow("empty") << QStringList({QStringLiteral("A.b"), QString()})
                           << QStringLiteral("empty GoogleTest selector");
    QTest::newRow("star") << QStringList({QStringLiteral("A.*")})
                          << QStringLiteral("GoogleTest selector \"A.*\" contains the filter character '*'");
    QTest::newRow("question") << QStringList({QStringLiteral("A.b?")})
                              << QStringLiteral("GoogleTest selector \"A.b?\" contains the filter character '?'");
    QTest::newRow("colon") << QStringList({QStringLiteral("A.b:C.d")})
                           << QStringLiteral("GoogleTest selector \"A.b:C.d\" contains the filter character ':'");
    QTest::newRow("minus") << QStringList({QStringLiteral("A.b-c")})
                           << QStringLiteral("GoogleTest selector \"A.b-c\" contains the filter character '-'");
    QTest::newRow("newline") << QStringList({QStringLiteral("A.b\nc")})
                             << QStringLiteral("GoogleTest selector \"A.b\nc\" contains a control character");
}

void TestGTestAdapter::rejectsBadSelectors()
{
    QFETCH(QStringList, selectors);
    QFETCH(QString, error);
    GTestAdapter adapter;
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    FrameworkAdapter::RunSpec spec;
    QString actual;
    QVERIFY(!adapter.prepareRun(QString(), selectors, scratch.path(), &spec, &actual));
    QCOMPARE(actual, error);
}

void TestGTestAdapter::summaryLinesProduceNoEvents()
{
    GTestOutputParser parser(QStringLiteral("/nonexistent"));
    // The summary gtest prints after the last case, verbatim from the sample.
    const QByteArray summary = "[----------] Global test environment tear-down\n"
                               "[==========] 21 tests from 8 test suites ran. (0 ms total)\n"
                               "[  PASSED  ] 13 tests.\n"
                               "[  SKIPPED ] 2 tests, listed below:\n"
                               "[  SKIPPED ] Math.Skip\n"
                               "[  FAILED  ] 6 tests, listed below:\n"
                               "[  FAILED  ] Math.Fails\n"
                               "[  FAILED  ] Typed/1.Small, where TypeParam = double\n"
                               "[  FAILED  ] Nums/P.Even/1, where GetParam() = 3\n"
                               "\n"
                               " 6 FAILED TESTS\n"
                               "  YOU HAVE 3 DISABLED TESTS\n";
    QCOMPARE(feed(&parser, summary), QStringList());

    // Also right after the case it names has finished.
    QCOMPARE(feed(&parser,
                 "[ RUN      ] Math.Fails\n"
                 "[  FAILED  ] Math.Fails (0 ms)\n"
                 "[  FAILED  ] Math.Fails\n"
                 "[ DISABLED ] Math.DISABLED_Off\n"),
        QStringList({QStringLiteral("started Math.Fails"), QStringLiteral("finished Math.Fails failed :0 []")}));
}

void TestGTestAdapter::frameworkLinesAreDropped()
{
    // Output between cases goes with the next case, except gtest's lines
    // about the process and its suites: the banner before the first case,
    // the previous suite's footer and the blank line after it, the next
    // suite's header. Verbatim from the sample.
    GTestOutputParser parser(QStringLiteral("/nonexistent"));
    const QList<QPair<QByteArray, bool>> lines {
        // line, kept in the output
        {"Running main() from ./googletest/src/gtest_main.cc", false},
        {"Note: Google Test filter = Io.Prints:Xml.Special", false},
        {"Note: This is test shard 1 of 2.", false},
        {"Note: Randomizing tests' orders with a seed of 42 .", false},
        {"[==========] Running 2 tests from 2 test suites.", false},
        {"[----------] Global test environment set-up.", false},
        {"environment set-up output", true},
        {"[----------] 1 test from Io", false},
        {"[ RUN      ] Io.Prints", true},
        {"[       OK ] Io.Prints (0 ms)", true},
        {"[----------] 1 test from Io (0 ms total)", false},
        {"", false},
        {"[----------] 1 test from Xml", false},
        {"Note: Google Test filter = printed by the suite's set-up", true}, // after the first case: the test's
        {"[----------] 3 tests from Typed/0, where TypeParam = int", false},
        {"set-up output", true},
        {"", true}, // a blank line that is not after a footer
        {"[ RUN      ] Xml.Special", true},
        {"[----------] 1 test from Xml (0 ms total)", true}, // printed by the case itself
        {"[       OK ] Xml.Special (0 ms)", true},
        {"[----------] 2 tests from Nums/P (12 ms total)", false},
        {"not blank", true},
    };
    for (const auto &[text, kept] : lines) {
        const ParsedLine parsed = parser.parseStdoutLine(text);
        QVERIFY2(parsed.display.has_value() != kept, text.constData());
        if (parsed.display)
            QVERIFY(parsed.display->isEmpty());
    }
}

void TestGTestAdapter::runWhileRunning()
{
    GTestOutputParser parser(QStringLiteral("/nonexistent"));
    QCOMPARE(describe(line(&parser, "[ RUN      ] A.a")), QStringLiteral("started A.a"));
    QCOMPARE(line(&parser, "a.cpp:1: Failure").kind, LineEvent::None);
    QCOMPARE(line(&parser, "lost").kind, LineEvent::None);
    // A.a never finished: nothing is reported for it, and its failure text
    // does not leak into A.b.
    QCOMPARE(describe(line(&parser, "[ RUN      ] A.b")), QStringLiteral("started A.b"));
    QCOMPARE(line(&parser, "[  FAILED  ] A.a (1 ms)").kind, LineEvent::None);
    QCOMPARE(describe(line(&parser, "[       OK ] A.b (0 ms)")), QStringLiteral("finished A.b passed :0 []"));
    // A RUN marker after output without a newline.
    QCOMPARE(describe(line(&parser, "partial[ RUN      ] A.c")), QStringLiteral("started A.c"));
    QCOMPARE(describe(line(&parser, "[  SKIPPED ] A.c (0 ms)")), QStringLiteral("finished A.c skipped :0 []"));
}

void TestGTestAdapter::markerVariants()
{
    GTestOutputParser parser(QStringLiteral("/nonexistent"));
    // Both parameters; time; an end marker for a longer name does not end the case.
    line(&parser, "[ RUN      ] T/0.b/1");
    QCOMPARE(line(&parser, "[       OK ] T/0.b/10 (0 ms)").kind, LineEvent::None);
    LineEvent e = line(&parser, "[  FAILED  ] T/0.b/1, where TypeParam = int and GetParam() = 2 (1234 ms)");
    QCOMPARE(describe(e), QStringLiteral("finished T/0.b/1 failed :0 []"));
    QCOMPARE(e.result.seconds, 1.234);
    // --gtest_print_time=0: no time.
    line(&parser, "[ RUN      ] A.b");
    e = line(&parser, "[       OK ] A.b");
    QCOMPARE(describe(e), QStringLiteral("finished A.b passed :0 []"));
    QCOMPARE(e.result.seconds, 0.0);
    // CRLF, several failures, an unknown location first, output in between.
    QCOMPARE(feed(&parser,
                 "[ RUN      ] A.c\r\n"
                 "output before any failure\r\n"
                 "unknown file: Failure\r\n"
                 "C++ exception\r\n"
                 "/src/a b.cpp:12: Failure\r\n"
                 "Expected: 1\r\n"
                 "\r\n"
                 "Note: Failure\r\n"
                 "[  FAILED  ] A.c (3 ms)\r\n"),
        QStringList({QStringLiteral("started A.c"),
            QStringLiteral("finished A.c failed :0 [C++ exception\nExpected: 1\n\nNote: Failure]")}));
    // Skip after output, skip message only.
    QCOMPARE(feed(&parser,
                 "[ RUN      ] A.d\n"
                 "/src/a.cpp:7: Skipped\n"
                 "not now\n"
                 "[  SKIPPED ] A.d (0 ms)\n"),
        QStringList({QStringLiteral("started A.d"), QStringLiteral("finished A.d skipped /src/a.cpp:7 [not now]")}));
}

void TestGTestAdapter::longLines()
{
    GTestOutputParser parser(QStringLiteral("/nonexistent"));
    line(&parser, "[ RUN      ] A.b");
    QCOMPARE(line(&parser, QByteArray(4 * 1024 * 1024, 'o')).kind, LineEvent::None);
    line(&parser, "/src/a.cpp:3: Failure");
    line(&parser, "short");
    line(&parser, QByteArray(1024 * 1024, 'm'));
    line(&parser, "after the cap");
    // A marker glued to the end of a very long line still ends the case.
    const LineEvent e = line(&parser, QByteArray(2 * 1024 * 1024, 'g') + "[  FAILED  ] A.b (7 ms)");
    QCOMPARE(e.kind, LineEvent::Finished);
    QCOMPARE(e.result.status, Status::Failed);
    QCOMPARE(e.result.file, QStringLiteral("/src/a.cpp"));
    QCOMPARE(e.result.line, 3);
    QCOMPARE(e.result.seconds, 0.007);
    QVERIFY(e.result.message.startsWith(QLatin1String("short\nmmmm")));
    QVERIFY(e.result.message.endsWith(QLatin1String("mmmm\n[... truncated by ctestd]")));
    QVERIFY(e.result.message.size() <= defaults::FailureMessageChars + 64);
    // A RUN line with a huge name is still a RUN line.
    const QByteArray hugeName = "A." + QByteArray(1024 * 1024, 'n');
    QCOMPARE(line(&parser, "[ RUN      ] " + hugeName).kind, LineEvent::Started);
    QCOMPARE(line(&parser, "[       OK ] " + hugeName + " (0 ms)").kind, LineEvent::Finished);
}

void TestGTestAdapter::invalidUtf8()
{
    GTestOutputParser parser(QStringLiteral("/nonexistent"));
    QCOMPARE(feed(&parser,
                 "[ RUN      ] A.b\n"
                 "\xff\xfe garbage \xc3\n"
                 "/src/\xe9.cpp:4: Failure\n"
                 "bad \xff bytes \xc3\xa9\n"
                 "\xff[  FAILED  ] A.b (2 ms)\n"),
        QStringList({QStringLiteral("started A.b"),
            QStringLiteral("finished A.b failed /src/\uFFFD.cpp:4 [bad \uFFFD bytes \u00E9\n\uFFFD]")}));
    // A RUN line whose name is not UTF-8 is reported leniently decoded and
    // its end marker still matches.
    QCOMPARE(feed(&parser, "[ RUN      ] A.\xff\n[       OK ] A.\xff (0 ms)\n"),
        QStringList({QStringLiteral("started A.\uFFFD"), QStringLiteral("finished A.\uFFFD passed :0 []")}));
}

void TestGTestAdapter::structuredResultsMissingOrBroken()
{
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    GTestOutputParser missing(scratch.path());
    QVERIFY(missing.structuredResults().isEmpty());

    const QString path = scratch.filePath(QStringLiteral("results.json"));
    auto write = [&path](const QByteArray &content) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        return file.write(content) == content.size();
    };
    QVERIFY(write("{\n  \"tests\": 3,\n  \"testsuites\": [\n    {\n      \"name\": \"Ma"));
    GTestOutputParser truncated(scratch.path());
    QVERIFY(truncated.structuredResults().isEmpty());

    QVERIFY(write("[1, 2]"));
    GTestOutputParser notAnObject(scratch.path());
    QVERIFY(notAnObject.structuredResults().isEmpty());

    // Where char is unsigned gtest copies bytes >= 0x80 raw (here not UTF-8);
    // a failure outside any case ("NonTestSuiteFailure") is no case; a
    // location without a line; an unknown result.
    QVERIFY(write("{\"testsuites\": [\n"
                  " {\"name\": \"A\", \"testsuite\": [\n"
                  "  {\"name\": \"b\", \"status\": \"RUN\", \"result\": \"COMPLETED\", \"time\": \"1e+03s\",\n"
                  "   \"failures\": [{\"failure\": \"\\/src\\/a.cpp\\nraw \xff byte\", \"type\": \"\"},\n"
                  "                {\"failure\": \"\\/src\\/a.cpp:9\\nsecond\", \"type\": \"\"}]},\n"
                  "  {\"name\": \"c\", \"status\": \"NOTRUN\", \"result\": \"SUPPRESSED\", \"time\": \"0s\"},\n"
                  "  {\"name\": \"d\", \"status\": \"RUN\", \"result\": \"SOMETHING\", \"time\": \"0s\"}]},\n"
                  " {\"name\": \"NonTestSuiteFailure\", \"testsuite\": [\n"
                  "  {\"name\": \"\", \"status\": \"RUN\", \"result\": \"COMPLETED\", \"time\": \"0s\",\n"
                  "   \"failures\": [{\"failure\": \"x.cpp:1\\nglobal\", \"type\": \"\"}]}]}]}\n"));
    GTestOutputParser parser(scratch.path());
    const QHash<QString, CaseResult> results = parser.structuredResults();
    QCOMPARE(results.size(), 2);
    QCOMPARE(describe(results, {QStringLiteral("A.b"), QStringLiteral("A.c")}),
        QStringList({QStringLiteral("A.b failed /src/a.cpp:0 [raw \uFFFD byte\nsecond]"),
            QStringLiteral("A.c disabled :0 []")}));
    QCOMPARE(results.value(QStringLiteral("A.b")).seconds, 1000.0);
}

// A failure message of 600,000 characters in gtest's report, with escapes
// and multi-byte UTF-8 that straddle the reader's 64 KiB chunks: it is cut
// to 256 KiB between characters with a note, and the other cases' results
// around it are read whole.
void TestGTestAdapter::longReportStringsAreCut()
{
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    QByteArray message;
    while (message.size() < 600000)
        message += "\\\"\\u0041\xe2\x82\xacx"; // JSON for "A€x: escapes and UTF-8
    QFile file(scratch.filePath(QStringLiteral("results.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"testsuites\": [{\"name\": \"A\", \"testsuite\": [\n"
               " {\"name\": \"a\", \"status\": \"RUN\", \"result\": \"COMPLETED\", \"time\": \"0s\"},\n"
               " {\"name\": \"b\", \"status\": \"RUN\", \"result\": \"COMPLETED\", \"time\": \"0s\",\n"
               "  \"failures\": [{\"failure\": \"x.cpp:3\\n"
        + message
        + "\", \"type\": \"\"}]},\n"
          " {\"name\": \"c\", \"status\": \"RUN\", \"result\": \"SKIPPED\", \"time\": \"0.5s\"}]}]}\n");
    file.close();
    GTestOutputParser parser(scratch.path());
    const QHash<QString, CaseResult> results = parser.structuredResults();
    QCOMPARE(results.size(), 3);
    QCOMPARE(results.value(QStringLiteral("A.a")).status, Status::Passed);
    QCOMPARE(results.value(QStringLiteral("A.c")).status, Status::Skipped);
    QCOMPARE(results.value(QStringLiteral("A.c")).seconds, 0.5);
    const CaseResult failed = results.value(QStringLiteral("A.b"));
    QCOMPARE(failed.status, Status::Failed);
    QCOMPARE(failed.line, 3);
    QVERIFY(failed.message.startsWith(QStringLiteral("\"A\u20acx\"A\u20acx")));
    QVERIFY2(failed.message.contains(
                 QRegularExpression(QStringLiteral(" \\[ctestd: \\d+ more bytes of this text were dropped\\]$"))),
        qPrintable(failed.message.right(100)));
    // Whole characters only: what is kept is the pattern, repeated.
    const QString kept = failed.message.left(failed.message.indexOf(QStringLiteral(" [ctestd:")));
    // 256 KiB of JSON text, 12 bytes for every 4 characters.
    QVERIFY2(kept.size() > 87000 && kept.size() <= 262144 / 3, qPrintable(QString::number(kept.size())));
    QVERIFY(!kept.contains(QChar::ReplacementCharacter));
    QVERIFY(QString(kept).remove(QStringLiteral("\"A\u20acx")).size() < 4);
}

QTEST_GUILESS_MAIN(TestGTestAdapter)
#include "tst_gtestadapter.moc"
