// SPDX-License-Identifier: BSD-3-Clause
// BoostTestAdapter and BoostOutputParser against the real Boost.Test 1.74
// programs of tests/boost (boost_basic: header-only, boost_fixtures: shared
// library): their DOT listings, their logs and real runs. Input a
// well-behaved binary does not produce comes from literal strings.
#include "adapterharness.h"
#include "frameworks/boost/boostadapter.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace ctestd;

namespace {

const QString basicPath = QStringLiteral(BOOST_BASIC);
const QString fixturesPath = QStringLiteral(BOOST_FIXTURES);

using adaptertest::Ran;
using adaptertest::runProgram;

// The 1-based line of boost_basic.cpp that contains `needle`.
int basicLine(const char *needle)
{
    return adaptertest::lineOf(QStringLiteral(BOOST_BASIC_SOURCE), QString::fromUtf8(needle));
}

QVector<TestCase> listed(const QString &program)
{
    BoostTestAdapter adapter;
    QTemporaryDir scratch;
    const Ran ran = runProgram(program, adapter.listArguments(program, scratch.path()));
    QVector<TestCase> cases;
    QString error;
    if (!ran.finished || ran.exitCode != 0 || !adapter.parseListing(ran.out, ran.err, scratch.path(), &cases, &error))
        qWarning("listing %s failed: %s", qPrintable(program), qPrintable(error));
    return cases;
}

const TestCase *find(const QVector<TestCase> &cases, const QString &selector)
{
    for (const TestCase &testCase : cases) {
        if (testCase.selector == selector)
            return &testCase;
    }
    return nullptr;
}

// What the parser said about every line, in order: "started:x", "passed:x", ...
struct Seen {
    QStringList events;
    QHash<QString, CaseResult> results;
};

Seen feed(BoostOutputParser &parser, const QByteArray &output)
{
    Seen seen;
    for (const ParsedLine &parsed : adaptertest::feedLines(parser, output)) {
        for (const LineEvent &event : parsed.events) {
            if (event.kind == LineEvent::Started) {
                seen.events.append(QStringLiteral("started:") + event.selector);
            } else if (event.kind == LineEvent::Finished) {
                seen.events.append(statusName(event.result.status) + QLatin1Char(':') + event.selector);
                seen.results.insert(event.selector, event.result);
            }
        }
    }
    return seen;
}

// Runs `selectors` of `program` the way a worker does (merged channels).
Seen runThroughAdapter(const QString &program, const QStringList &selectors, const QString &scratch, int *exitCode,
    QHash<QString, CaseResult> *structured = nullptr)
{
    BoostTestAdapter adapter;
    FrameworkAdapter::RunSpec spec;
    QString error;
    if (!adapter.prepareRun(program, selectors, scratch, &spec, &error)) {
        qWarning("prepareRun: %s", qPrintable(error));
        return {};
    }
    const Ran ran = runProgram(program, spec.arguments, spec.environment, QProcess::MergedChannels);
    *exitCode = ran.exitCode;
    auto parser = adapter.createOutputParser(scratch, selectors);
    Seen seen = feed(static_cast<BoostOutputParser &>(*parser), ran.out);
    if (structured)
        *structured = parser->structuredResults();
    return seen;
}

} // namespace

class TestBoostAdapter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listingNamesSuitesAndLocations();
    void listingGroupsDependenciesTogether();
    void listingRejectsForeignAndBrokenOutput_data();
    void listingRejectsForeignAndBrokenOutput();
    void prepareRunPinsTheStreamAndRejectsFilterCharacters();
    void prepareRunSplitsLongFilters();
    void realRunStatusesAndStructuredResults();
    void realRunSelectorMatchingNothingIsNoSilentPass();
    void parserIgnoresCasesNotRequested();
    void parserSkippedSuiteSkipsItsRequestedCases();
    void parserSurvivesHostileLines();
    void structuredResultsFromTruncatedLog();
};

void TestBoostAdapter::listingNamesSuitesAndLocations()
{
    const QVector<TestCase> cases = listed(basicPath);
    QStringList selectors;
    for (const TestCase &testCase : cases)
        selectors.append(testCase.selector);
    QCOMPARE(selectors,
        QStringList({QStringLiteral("standalone"), QStringLiteral("math/add"), QStringLiteral("math/fail"),
            QStringLiteral("math/off"), QStringLiteral("math/xfail"), QStringLiteral("math/dep"),
            QStringLiteral("math/throws"), QStringLiteral("math/guarded"), QStringLiteral("math/inner/deep"),
            QStringLiteral("data/_0"), QStringLiteral("data/_1"), QStringLiteral("data/_2"),
            QStringLiteral("tmpl<int>"), QStringLiteral("tmpl<long>"), QStringLiteral("slow")}));

    const TestCase *fail = find(cases, QStringLiteral("math/fail"));
    QVERIFY(fail);
    QCOMPARE(fail->suite, QStringLiteral("math"));
    QCOMPARE(fail->name, QStringLiteral("fail"));
    QCOMPARE(fail->displayName, QStringLiteral("math/fail"));
    QVERIFY2(fail->file.endsWith(QLatin1String("tests/boost/boost_basic.cpp")), qPrintable(fail->file));
    QCOMPARE(fail->line, basicLine("BOOST_AUTO_TEST_CASE(fail)"));
    QVERIFY(!fail->disabled);

    const TestCase *deep = find(cases, QStringLiteral("math/inner/deep"));
    QVERIFY(deep);
    QCOMPARE(deep->suite, QStringLiteral("math/inner"));
    QCOMPARE(deep->name, QStringLiteral("deep"));
    const TestCase *standalone = find(cases, QStringLiteral("standalone"));
    QVERIFY(standalone);
    QCOMPARE(standalone->suite, QString());
    const TestCase *row = find(cases, QStringLiteral("data/_2"));
    QVERIFY(row);
    QCOMPARE(row->suite, QStringLiteral("data"));
    QCOMPARE(row->line, basicLine("BOOST_DATA_TEST_CASE(data"));
    const TestCase *tmpl = find(cases, QStringLiteral("tmpl<long>"));
    QVERIFY(tmpl);
    QCOMPARE(tmpl->suite, QString());
    QCOMPARE(tmpl->line, basicLine("BOOST_AUTO_TEST_CASE_TEMPLATE(tmpl"));

    for (const TestCase &testCase : cases)
        QCOMPARE(testCase.disabled, testCase.selector == QLatin1String("math/off"));
}

void TestBoostAdapter::listingGroupsDependenciesTogether()
{
    BoostTestAdapter adapter;
    QCOMPARE(adapter.defaultGroupBy(), GroupBy::Suite);
    // boost_fixtures has a BOOST_TEST_GLOBAL_FIXTURE (once per process): its
    // whole executable is the default group; boost_basic has none.
    QCOMPARE(adapter.groupByFor(fixturesPath), GroupBy::Executable);
    QCOMPARE(adapter.groupByFor(basicPath), GroupBy::Suite);
    QCOMPARE(adapter.groupByFor(QStringLiteral("/nonexistent/boost_test")), GroupBy::Suite);

    const QVector<TestCase> basic = listed(basicPath);
    const auto key = [&adapter](const QVector<TestCase> &cases, const char *selector, GroupBy groupBy) {
        const TestCase *testCase = find(cases, QString::fromLatin1(selector));
        return testCase ? adapter.groupKey(*testCase, groupBy) : QStringLiteral("<missing>");
    };
    // Suite mode: the top-level suite, also for nested suites.
    QCOMPARE(key(basic, "math/inner/deep", GroupBy::Suite), QStringLiteral("math"));
    QCOMPARE(key(basic, "math/dep", GroupBy::Suite), QStringLiteral("math"));
    // Cases right in the master suite: a group named after it (the module).
    QCOMPARE(key(basic, "standalone", GroupBy::Suite), QStringLiteral("boost_basic"));
    QCOMPARE(key(basic, "tmpl<int>", GroupBy::Suite), QStringLiteral("boost_basic"));
    QCOMPARE(key(basic, "data/_1", GroupBy::Suite), QStringLiteral("data"));
    // Case mode: a case and what it depends on stay together.
    QCOMPARE(key(basic, "math/dep", GroupBy::Case), QStringLiteral("math/fail+deps"));
    QCOMPARE(key(basic, "math/fail", GroupBy::Case), QStringLiteral("math/fail+deps"));
    QCOMPARE(key(basic, "math/add", GroupBy::Case), QStringLiteral("math/add"));
    QCOMPARE(key(basic, "math/add", GroupBy::Executable), QString());

    // gamma/uses depends on alpha/one: the two top-level suites merge.
    const QVector<TestCase> fixtures = listed(fixturesPath);
    QCOMPARE(fixtures.size(), 9);
    QCOMPARE(key(fixtures, "alpha/inner/three", GroupBy::Suite), QStringLiteral("alpha+gamma"));
    QCOMPARE(key(fixtures, "gamma/plain", GroupBy::Suite), QStringLiteral("alpha+gamma"));
    QCOMPARE(key(fixtures, "beta/b2", GroupBy::Suite), QStringLiteral("beta"));
    QCOMPARE(key(fixtures, "gamma/uses", GroupBy::Case), QStringLiteral("alpha/one+deps"));
    QCOMPARE(key(fixtures, "alpha/one", GroupBy::Case), QStringLiteral("alpha/one+deps"));
    QCOMPARE(key(fixtures, "gamma/plain", GroupBy::Case), QStringLiteral("gamma/plain"));

    // Without the listing's hint (a case from elsewhere): plain keys.
    TestCase bare;
    bare.suite = QStringLiteral("outer/inner");
    bare.selector = QStringLiteral("outer/inner/c");
    QCOMPARE(adapter.groupKey(bare, GroupBy::Suite), QStringLiteral("outer"));
    QCOMPARE(adapter.groupKey(bare, GroupBy::Case), QStringLiteral("outer/inner/c"));
}

void TestBoostAdapter::listingRejectsForeignAndBrokenOutput_data()
{
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::addColumn<QString>("error");
    const QByteArray head = "digraph G {rankdir=LR;\n"
                            "tu1[shape=ellipse,peripheries=2,fontname=Helvetica,color=green,label=\"M\"];\n{\n"
                            "tu65536[shape=Mrecord,fontname=Helvetica,color=green,label=\"a|t.cpp(3)\"];\n"
                            "tu1 -> tu65536;\n";
    QTest::newRow("not boost") << QByteArray("hello\n") << QByteArray()
                               << QStringLiteral("not a Boost.Test listing: hello");
    QTest::newRow("nothing") << QByteArray() << QByteArray() << QStringLiteral("not a Boost.Test listing: no output");
    QTest::newRow("text listing") << QByteArray() << QByteArray("math*\n    add*\n")
                                  << QStringLiteral("not a Boost.Test listing: math*");
    QTest::newRow("truncated") << QByteArray() << head << QStringLiteral("truncated Boost.Test listing");
    QTest::newRow("foreign line") << QByteArray() << head + "garbage\n}\n}\n"
                                  << QStringLiteral("unexpected line in the Boost.Test listing: garbage");
    QTest::newRow("bad label") << QByteArray()
                               << QByteArray(
                                      "digraph G {rankdir=LR;\n"
                                      "tu1[shape=ellipse,peripheries=2,fontname=Helvetica,color=green,"
                                      "label=\"M\"];\n{\n"
                                      "tu65536[shape=Mrecord,fontname=Helvetica,color=green,label=\"a\"];\n}\n}\n")
                               << QStringLiteral("unexpected label in the Boost.Test listing: ");
    QTest::newRow("orphan") << QByteArray()
                            << QByteArray("digraph G {rankdir=LR;\n"
                                          "tu1[shape=ellipse,peripheries=2,fontname=Helvetica,color=green,"
                                          "label=\"M\"];\n{\n"
                                          "tu65536[shape=Mrecord,fontname=Helvetica,color=green,"
                                          "label=\"a|t.cpp(3)\"];\n}\n}\n")
                            << QStringLiteral("test unit \"a\" has no parent in the Boost.Test listing");
    QTest::newRow("dangling dependency") << QByteArray()
                                         << head + "tu65536 -> tu9[color=red,style=dotted,constraint=false];\n}\n}\n"
                                         << QStringLiteral("\"a\" depends on a test unit missing");
}

void TestBoostAdapter::listingRejectsForeignAndBrokenOutput()
{
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, err);
    QFETCH(QString, error);
    BoostTestAdapter adapter;
    QVector<TestCase> cases;
    QString reason;
    QVERIFY(!adapter.parseListing(out, err, QString(), &cases, &reason));
    QVERIFY2(reason.startsWith(error), qPrintable(reason));
    QVERIFY(cases.isEmpty());
}

void TestBoostAdapter::prepareRunPinsTheStreamAndRejectsFilterCharacters()
{
    BoostTestAdapter adapter;
    QTemporaryDir scratch;
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY(adapter.prepareRun(
        basicPath, {QStringLiteral("math/add"), QStringLiteral("tmpl<int>")}, scratch.path(), &spec, &error));
    QCOMPARE(spec.arguments.value(0), QStringLiteral("--run_test=math/add:tmpl<int>"));
    QCOMPARE(spec.arguments.value(1),
        QStringLiteral("--logger=HRF,test_suite,stdout:XML,test_suite,")
            + BoostTestAdapter::logXmlPath(scratch.path()));
    for (const char *pinned : {"--color_output=no", "--report_level=no", "--show_progress=no",
             "--catch_system_errors=no", "--random=0", "--list_labels=no"})
        QVERIFY2(spec.arguments.contains(QString::fromLatin1(pinned)), pinned);
    // The listing it ran for expected_failures().
    QFile expected(BoostTestAdapter::expectedFailuresPath(scratch.path()));
    QVERIFY(expected.open(QIODevice::ReadOnly));
    QCOMPARE(expected.readAll(), QByteArray("1\tmath/xfail\n"));

    const QStringList bad {QStringLiteral("math:add"), QStringLiteral("math/a,b"), QStringLiteral("math/*"),
        QStringLiteral("!math"), QStringLiteral("@label"), QStringLiteral("math//add"), QStringLiteral(""),
        QStringLiteral("math/ add"), QStringLiteral("math/a\nb")};
    for (const QString &selector : bad) {
        FrameworkAdapter::RunSpec rejected;
        QString reason;
        QVERIFY2(!adapter.prepareRun(basicPath, {selector}, scratch.path(), &rejected, &reason), qPrintable(selector));
        QVERIFY2(reason.contains(QLatin1String("Boost.Test selector")), qPrintable(reason));
    }
    QVERIFY(!adapter.prepareRun(basicPath, {}, scratch.path(), &spec, &error));
}

void TestBoostAdapter::prepareRunSplitsLongFilters()
{
    BoostTestAdapter adapter;
    QTemporaryDir scratch;
    QStringList selectors;
    for (int i = 0; i < 20000; ++i)
        selectors.append(QStringLiteral("suite%1/case_with_a_long_name_%1").arg(i));
    FrameworkAdapter::RunSpec spec;
    QString error;
    QVERIFY2(adapter.prepareRun(basicPath, selectors, scratch.path(), &spec, &error), qPrintable(error));
    QStringList joined;
    int filters = 0;
    for (const QString &argument : qAsConst(spec.arguments)) {
        if (!argument.startsWith(QLatin1String("--run_test=")))
            continue;
        ++filters;
        QVERIFY(argument.toUtf8().size() <= BoostTestAdapter::maxFilterArgumentBytes + 16);
        joined += argument.mid(11).split(QLatin1Char(':'));
    }
    QVERIFY(filters > 1);
    QCOMPARE(joined, selectors);
}

void TestBoostAdapter::realRunStatusesAndStructuredResults()
{
    QTemporaryDir scratch;
    int exitCode = -1;
    QHash<QString, CaseResult> structured;
    const QStringList selectors {QStringLiteral("math/add"), QStringLiteral("math/fail"), QStringLiteral("math/xfail"),
        QStringLiteral("math/dep"), QStringLiteral("math/throws"), QStringLiteral("math/guarded"),
        QStringLiteral("data/_2"), QStringLiteral("tmpl<long>")};
    const Seen seen = runThroughAdapter(basicPath, selectors, scratch.path(), &exitCode, &structured);
    QCOMPARE(exitCode, 201);
    QVERIFY(BoostTestAdapter().isNormalExit(exitCode));
    // Boost's order: within a suite, a case that depends on another runs after
    // the cases that depend on nothing.
    QCOMPARE(seen.events,
        QStringList(
            {QStringLiteral("started:math/add"), QStringLiteral("passed:math/add"), QStringLiteral("started:math/fail"),
                QStringLiteral("failed:math/fail"), QStringLiteral("started:math/xfail"),
                QStringLiteral("passed:math/xfail"), QStringLiteral("started:math/throws"),
                QStringLiteral("failed:math/throws"), QStringLiteral("started:math/guarded"),
                QStringLiteral("skipped:math/guarded"), QStringLiteral("started:math/dep"),
                QStringLiteral("skipped:math/dep"), QStringLiteral("started:data/_2"), QStringLiteral("failed:data/_2"),
                QStringLiteral("started:tmpl<long>"), QStringLiteral("passed:tmpl<long>")}));

    const CaseResult fail = seen.results.value(QStringLiteral("math/fail"));
    QCOMPARE(fail.message, QStringLiteral("check a == b has failed [1 != 2]"));
    QVERIFY(fail.file.endsWith(QLatin1String("boost_basic.cpp")));
    QCOMPARE(fail.line, basicLine("BOOST_TEST(a == b)"));
    const CaseResult throws = seen.results.value(QStringLiteral("math/throws"));
    QVERIFY2(throws.message.startsWith(QLatin1String("std::runtime_error: boom\nlast checkpoint: ")),
        qPrintable(throws.message));
    QCOMPARE(throws.line, basicLine("BOOST_AUTO_TEST_CASE(throws)")); // the checkpoint: the exception has no location
    QCOMPARE(seen.results.value(QStringLiteral("math/dep")).message,
        QStringLiteral("skipped because dependency test case \"math/fail\" has failed"));
    QCOMPARE(seen.results.value(QStringLiteral("math/guarded")).message,
        QStringLiteral("skipped because precondition failed: not on this machine"));

    // The XML log: only requested cases (math/fail ran as a dependency too,
    // but it was requested here), with the same verdicts and locations.
    QCOMPARE(structured.value(QStringLiteral("math/fail")).status, Status::Failed);
    QCOMPARE(structured.value(QStringLiteral("math/fail")).message, QStringLiteral("check a == b has failed [1 != 2]"));
    QCOMPARE(structured.value(QStringLiteral("math/fail")).line, basicLine("BOOST_TEST(a == b)"));
    QCOMPARE(structured.value(QStringLiteral("math/throws")).message, QStringLiteral("std::runtime_error: boom"));
    QCOMPARE(structured.value(QStringLiteral("math/throws")).line, basicLine("BOOST_AUTO_TEST_CASE(throws)"));
    // A data-driven case's failure names its sample, as Boost's console does.
    QCOMPARE(structured.value(QStringLiteral("data/_2")).message,
        QStringLiteral("check x < 2 has failed [2 >= 2]\nFailure occurred in a following context:\n    x = 2;"));
    QCOMPARE(structured.value(QStringLiteral("math/dep")).status, Status::Skipped);
    QCOMPARE(structured.value(QStringLiteral("math/add")).status, Status::Passed);
    QVERIFY(!structured.contains(QStringLiteral("standalone")));
    QCOMPARE(structured.size(), selectors.size());
}

void TestBoostAdapter::realRunSelectorMatchingNothingIsNoSilentPass()
{
    // Stale selectors: Boost says "Test setup error: no test cases matching
    // filter" and exits 200; the cases are errors with Boost's reason.
    QTemporaryDir scratch;
    int exitCode = -1;
    const Seen seen = runThroughAdapter(
        basicPath, {QStringLiteral("math/gone"), QStringLiteral("nowhere/else")}, scratch.path(), &exitCode);
    QCOMPARE(exitCode, 200);
    QVERIFY(BoostTestAdapter().isNormalExit(exitCode));
    QCOMPARE(seen.events,
        QStringList({QStringLiteral("started:math/gone"), QStringLiteral("notrun:math/gone"),
            QStringLiteral("started:nowhere/else"), QStringLiteral("notrun:nowhere/else")}));
    QVERIFY2(seen.results.value(QStringLiteral("math/gone"))
                 .message.startsWith(QLatin1String("Boost.Test setup error: no test cases matching filter")),
        qPrintable(seen.results.value(QStringLiteral("math/gone")).message));

    // One stale selector among good ones: Boost runs the others and says
    // nothing of it; the parser reports nothing for it either (the worker's
    // "requested but no result" rule makes it an error).
    const Seen mixed = runThroughAdapter(
        basicPath, {QStringLiteral("math/add"), QStringLiteral("math/gone")}, scratch.path(), &exitCode);
    QCOMPARE(exitCode, 0);
    QCOMPARE(mixed.events, QStringList({QStringLiteral("started:math/add"), QStringLiteral("passed:math/add")}));
}

void TestBoostAdapter::parserIgnoresCasesNotRequested()
{
    QTemporaryDir scratch;
    BoostOutputParser parser(scratch.path(), {QStringLiteral("math/dep")});
    const Seen seen = feed(parser,
        "Running 2 test cases...\n"
        "Entering test module \"M\"\n"
        "t.cpp(3): Test case \"top\" is skipped because disabled\n"
        "t.cpp(5): Entering test suite \"math\"\n"
        "t.cpp(6): Entering test case \"fail\"\n"
        "t.cpp(7): error: in \"math/fail\": check a == b has failed\n"
        "t.cpp(6): Leaving test case \"fail\"; testing time: 75us\n"
        "t.cpp(9): Test case \"math/dep\" is skipped because dependency test case \"math/fail\" has failed\n"
        "t.cpp(5): Leaving test suite \"math\"; testing time: 400us\n"
        "Leaving test module \"M\"; testing time: 9us\n");
    QCOMPARE(seen.events, QStringList({QStringLiteral("started:math/dep"), QStringLiteral("skipped:math/dep")}));
    QCOMPARE(seen.results.value(QStringLiteral("math/dep")).line, 9);

    // The filter's own skips are dropped from the output; real lines are kept.
    // Boost's banner and the module's and suites' opening and closing lines
    // are about the process, not a case: they would show in the next case's
    // output.
    BoostOutputParser quiet(scratch.path(), {QStringLiteral("a")});
    const auto dropped = std::optional<QByteArray>(QByteArray());
    QVERIFY(quiet.parseStdoutLine("Running 3 test cases...").display == dropped);
    QVERIFY(quiet.parseStdoutLine("Entering test module \"M\"").display == dropped);
    QVERIFY(quiet.parseStdoutLine("t.cpp(5): Entering test suite \"math\"").display == dropped);
    QVERIFY(!quiet.parseStdoutLine("fixture set-up output").display);
    QVERIFY(quiet.parseStdoutLine("t.cpp(3): Test case \"top\" is skipped because disabled").display
        == std::optional<QByteArray>(QByteArray()));
    QVERIFY(!quiet.parseStdoutLine("t.cpp(3): Entering test case \"a\"").display);
    QVERIFY(quiet.parseStdoutLine("t.cpp(5): Leaving test suite \"math\"; testing time: 400us").display == dropped);
    QVERIFY(quiet.parseStdoutLine("Leaving test module \"M\"; testing time: 9us").display == dropped);
    // After the module started, a test's own "Running 1 test cases..." is its output.
    QVERIFY(!quiet.parseStdoutLine("Running 1 test cases...").display);
}

void TestBoostAdapter::parserSkippedSuiteSkipsItsRequestedCases()
{
    QTemporaryDir scratch;
    BoostOutputParser parser(scratch.path(),
        {QStringLiteral("outer/inner/a"), QStringLiteral("outer/inner/b"), QStringLiteral("outer/c"),
            QStringLiteral("outer/innerx/d")});
    const Seen seen = feed(parser,
        "Entering test module \"M\"\n"
        "t.cpp(2): Entering test suite \"outer\"\n"
        "t.cpp(3): Test suite \"outer/inner\" is skipped because precondition failed: no network\n"
        "t.cpp(8): Entering test case \"c\"\n"
        "t.cpp(8): Leaving test case \"c\"; testing time: 2ms\n");
    QCOMPARE(seen.events,
        QStringList({QStringLiteral("started:outer/inner/a"), QStringLiteral("skipped:outer/inner/a"),
            QStringLiteral("started:outer/inner/b"), QStringLiteral("skipped:outer/inner/b"),
            QStringLiteral("started:outer/c"), QStringLiteral("passed:outer/c")}));
    QCOMPARE(seen.results.value(QStringLiteral("outer/inner/b")).message,
        QStringLiteral("skipped because precondition failed: no network"));
    QCOMPARE(seen.results.value(QStringLiteral("outer/c")).seconds, 0.002);
}

void TestBoostAdapter::parserSurvivesHostileLines()
{
    QTemporaryDir scratch;
    QFile expected(BoostTestAdapter::expectedFailuresPath(scratch.path()));
    QVERIFY(expected.open(QIODevice::WriteOnly));
    expected.write("2\ts/x\n");
    expected.close();
    BoostOutputParser parser(scratch.path(), {QStringLiteral("s/x"), QStringLiteral("s/y"), QStringLiteral("s/z")});
    QByteArray stream = "\x1b[1;34;49mt.cpp(1): Entering test suite \"s\"\n\x1b[0;39;49m"
                        "t.cpp(2): Entering test case \"x\"\n"
                        "t.cpp(3): error: in \"s/x\": first\n"
                        "t.cpp(4): error: in \"s/x\": second\n"
                        "t.cpp(2): Leaving test case \"x\"; testing time: 5us\n"
                        "t.cpp(5): Entering test case \"y\"\n"
                        "bad \xff\xfe utf-8 bytes\n"
                        "t.cpp(6): error: in \"s/y\": multi\n"
                        "line \xff message\n"
                        "Entering test case \"\n"
                        "t.cpp(5): Leaving test case \"y\"\n"
                        "t.cpp(7): Entering test case \"z\"\n"
                        "unknown location(0): fatal error: in \"s/z\": signal: SIGALRM (timeout while executing "
                        "function)\n"
                        "t.cpp(7): last checkpoint: \"z\" test entry\n"
                        "t.cpp(7): Leaving test case \"z\"; testing time: 1000221us\n";
    stream += QByteArray(200000, 'x') + '\n';
    const Seen seen = feed(parser, stream);
    QCOMPARE(seen.events,
        QStringList({QStringLiteral("started:s/x"), QStringLiteral("passed:s/x"), QStringLiteral("started:s/y"),
            QStringLiteral("failed:s/y"), QStringLiteral("started:s/z"), QStringLiteral("failed:s/z")}));
    QCOMPARE(seen.results.value(QStringLiteral("s/y")).message,
        QStringLiteral("multi\nline \uFFFD message\nEntering test case \""));
    const CaseResult z = seen.results.value(QStringLiteral("s/z"));
    QCOMPARE(z.message,
        QStringLiteral(
            "signal: SIGALRM (timeout while executing function)\nlast checkpoint: t.cpp(7): \"z\" test entry"));
    QCOMPARE(z.file, QStringLiteral("t.cpp"));
    QCOMPARE(z.line, 7);
    QCOMPARE(z.seconds, 1.000221);

    // Huge failure text is capped.
    BoostOutputParser capped(scratch.path(), {QStringLiteral("c")});
    QByteArray huge = "t.cpp(1): Entering test case \"c\"\n";
    for (int i = 0; i < 200; ++i)
        huge += "t.cpp(2): error: in \"c\": " + QByteArray(1000, 'e') + '\n';
    huge += "t.cpp(1): Leaving test case \"c\"\n";
    const Seen big = feed(capped, huge);
    const QString message = big.results.value(QStringLiteral("c")).message;
    QVERIFY(message.size() <= defaults::FailureMessageChars + 100);
    QVERIFY(message.endsWith(QLatin1String("[... truncated by ctestd]")));
}

void TestBoostAdapter::structuredResultsFromTruncatedLog()
{
    QTemporaryDir scratch;
    QFile log(BoostTestAdapter::logXmlPath(scratch.path()));
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("<TestLog><TestSuite name=\"M\"><TestSuite name=\"s\" file=\"t.cpp\" line=\"1\">"
              "<TestCase name=\"a\" file=\"t.cpp\" line=\"2\"><Error file=\"t.cpp\" line=\"3\">"
              "<![CDATA[bad \xff value]]></Error><TestingTime>7</TestingTime></TestCase>"
              "<TestCase name=\"b\" skipped=\"yes\" reason=\"disabled\"/>"
              "<TestCase name=\"c\" file=\"t.cpp\" line=\"9\"><Error file=\"t.cpp\" line=\"10\"><![CDATA[cut");
    log.close();
    BoostOutputParser parser(scratch.path(), {QStringLiteral("s/a"), QStringLiteral("s/b"), QStringLiteral("s/c")});
    const QHash<QString, CaseResult> results = parser.structuredResults();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.value(QStringLiteral("s/a")).status, Status::Failed);
    QCOMPARE(results.value(QStringLiteral("s/a")).message, QStringLiteral("bad \uFFFD value"));
    QCOMPARE(results.value(QStringLiteral("s/a")).line, 3);
    QCOMPARE(results.value(QStringLiteral("s/b")).status, Status::Skipped);
    QVERIFY(!results.contains(QStringLiteral("s/c")));

    BoostOutputParser none(QDir::tempPath() + QStringLiteral("/no-such-ctestd-dir"), {QStringLiteral("x")});
    QVERIFY(none.structuredResults().isEmpty());
}

QTEST_GUILESS_MAIN(TestBoostAdapter)
#include "tst_boostadapter.moc"
