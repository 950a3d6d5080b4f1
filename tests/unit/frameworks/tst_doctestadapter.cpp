// SPDX-License-Identifier: BSD-3-Clause
// DoctestAdapter and DoctestOutputParser: the selection maths against literal
// listings, the parser against literal XML streams (including broken ones),
// and both against the real doctest 2.4.9 program tests/doctest/dt_basic.
#include "adapterharness.h"
#include "frameworks/doctest/doctestadapter.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace ctestd;

namespace {

const QString basicPath = QStringLiteral(DT_BASIC);

// As the worker runs it: stderr merged into stdout.
adaptertest::Ran runMerged(
    const QString &program, const QStringList &arguments, const QHash<QString, QString> &environment = {})
{
    return adaptertest::runProgram(program, arguments, environment, QProcess::MergedChannels);
}

QVector<ParsedLine> feed(OutputParser &parser, const QByteArray &output)
{
    return adaptertest::feedLines(parser, output);
}

QVector<LineEvent> eventsOf(const QVector<ParsedLine> &lines)
{
    QVector<LineEvent> events;
    for (const ParsedLine &line : lines)
        events += line.events;
    return events;
}

QString sel(const QString &name, const QString &suite = QString(), const QString &file = QStringLiteral("t.cpp"),
    int line = 1, const QVector<DoctestAdapter::Identity> &others = {})
{
    return DoctestAdapter::encodeSelector({name, suite, file, line}, others);
}

QByteArray listingXml(const QByteArray &body, int count)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doctest binary=\"t\" version=\"2.4.9\">\n"
           "  <Options order_by=\"file\"/>\n"
        + body + "  <OverallResultsTestCases unskipped=\"" + QByteArray::number(count) + "\"/>\n</doctest>\n";
}

} // namespace

class TestDoctestAdapter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wildcards_data();
    void wildcards();
    void filterItems();
    void realListing();
    void listingOfDuplicatesAndWildcards();
    void badListings_data();
    void badListings();
    void planSelectsExactly();
    void planRejectsWhatItCannotSelect();
    void planCapsTheCommandLine();
    void prepareRunPinsOptions();
    void parserStatusesAndMessages();
    void parserCrashLeavesCaseRunning();
    void parserOddInput();
    void parserReportsRejectedCasesFirst();
    void realRunsSelectExactlyOneCase();
    void realRunOfMissingCaseReportsNothing();
};

void TestDoctestAdapter::wildcards_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<bool>("matches");
    QTest::newRow("equal") << QByteArray("add") << QByteArray("add") << true;
    QTest::newRow("case matters") << QByteArray("Add") << QByteArray("add") << false;
    QTest::newRow("question") << QByteArray("a*") << QByteArray("a?") << true;
    QTest::newRow("question length") << QByteArray("a**") << QByteArray("a?") << false;
    QTest::newRow("star") << QByteArray("abc") << QByteArray("a*") << true;
    QTest::newRow("star empty") << QByteArray("") << QByteArray("*") << true;
    QTest::newRow("star middle") << QByteArray("starXname") << QByteArray("star*name") << true;
    QTest::newRow("star backtrack") << QByteArray("abcbd") << QByteArray("a*bd") << true;
    QTest::newRow("shorter") << QByteArray("ab") << QByteArray("abc") << false;
    QTest::newRow("longer") << QByteArray("abc") << QByteArray("ab") << false;
}

void TestDoctestAdapter::wildcards()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, pattern);
    QFETCH(bool, matches);
    QCOMPARE(DoctestAdapter::wildcardMatches(text, pattern), matches);
}

void TestDoctestAdapter::filterItems()
{
    QCOMPARE(DoctestAdapter::filterItem(QStringLiteral("a, b")), QStringLiteral("a\\, b"));
    QCOMPARE(DoctestAdapter::filterItem(QStringLiteral("back\\slash")), QStringLiteral("back\\\\slash"));
    QCOMPARE(DoctestAdapter::filterItem(QStringLiteral("star*name?")), QStringLiteral("star?name?"));
}

void TestDoctestAdapter::realListing()
{
    DoctestAdapter adapter;
    QTemporaryDir scratch;
    const adaptertest::Ran ran = runMerged(basicPath, adapter.listArguments(basicPath, scratch.path()));
    QVERIFY(ran.finished);
    QVERIFY(adapter.isListingExit(ran.exitCode));
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(ran.out, QByteArray(), scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), 20);
    QHash<QString, TestCase> byName;
    for (const TestCase &c : qAsConst(cases))
        byName.insert(c.name, c);
    QCOMPARE(cases.first().name, QStringLiteral("pass"));
    QCOMPARE(cases.last().name, QStringLiteral("throws"));

    const TestCase add = byName.value(QStringLiteral("add"));
    QCOMPARE(add.suite, QStringLiteral("math"));
    QCOMPARE(add.displayName, QStringLiteral("add"));
    QVERIFY2(add.file.endsWith(QLatin1String("/tests/doctest/dt_basic.cpp")), qPrintable(add.file));
    QVERIFY(add.line > 0);
    QVERIFY(!add.disabled);
    DoctestAdapter::Identity identity;
    QVector<DoctestAdapter::Identity> others;
    QVERIFY(DoctestAdapter::decodeSelector(add.selector, &identity, &others));
    QCOMPARE(identity.name, QStringLiteral("add"));
    QCOMPARE(identity.suite, QStringLiteral("math"));
    QCOMPARE(identity.line, add.line);
    QVERIFY(others.isEmpty()); // case-sensitive: `Add` is not an other

    QVERIFY(byName.value(QStringLiteral("skipped")).disabled);
    QCOMPARE(byName.value(QStringLiteral("ünïcode ✓")).suite, QString());
    QVERIFY(byName.contains(QStringLiteral("back\\slash")));
    QVERIFY(byName.contains(QStringLiteral("comma, name")));

    QVERIFY(DoctestAdapter::decodeSelector(byName.value(QStringLiteral("star*name")).selector, &identity, &others));
    QCOMPARE(others.size(), 1);
    QCOMPARE(others.first().name, QStringLiteral("starXname"));
    QVERIFY(DoctestAdapter::decodeSelector(byName.value(QStringLiteral("starXname")).selector, &identity, &others));
    QVERIFY(others.isEmpty());
}

void TestDoctestAdapter::listingOfDuplicatesAndWildcards()
{
    // Names with a newline span lines; the same name in other suites; a
    // skip() case is disabled and never an "other" (it does not run).
    const QByteArray xml = listingXml("  <TestCase name=\"dup\" testsuite=\"s1\" filename=\"a.cpp\" line=\"3\" "
                                      "skipped=\"false\"/>\n"
                                      "  <TestCase name=\"dup\" filename=\"a.cpp\" line=\"4\" skipped=\"false\"/>\n"
                                      "  <TestCase name=\"du?\" filename=\"a.cpp\" line=\"5\" skipped=\"true\"/>\n"
                                      "  <TestCase name=\"new\nline &amp; &lt;tag>\" filename=\"a.cpp\" "
                                      "line=\"6\" skipped=\"false\"/>\n",
        4);
    DoctestAdapter adapter;
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(
        adapter.parseListing("static init output\n" + xml, QByteArray(), QString(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), 4);
    QCOMPARE(cases.at(3).name, QStringLiteral("new\nline & <tag>"));
    QVERIFY(cases.at(2).disabled);
    DoctestAdapter::Identity identity;
    QVector<DoctestAdapter::Identity> others;
    QVERIFY(DoctestAdapter::decodeSelector(cases.at(0).selector, &identity, &others));
    QCOMPARE(others.size(), 1);
    QCOMPARE(others.first().suite, QString());
    QCOMPARE(others.first().line, 4);
    QVERIFY(DoctestAdapter::decodeSelector(cases.at(2).selector, &identity, &others));
    QVERIFY(others.isEmpty());
}

void TestDoctestAdapter::badListings_data()
{
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::addColumn<QString>("error");
    QTest::newRow("not doctest") << QByteArray("hello\n") << QByteArray()
                                 << QStringLiteral("not a doctest listing: hello");
    QTest::newRow("silent") << QByteArray() << QByteArray() << QStringLiteral("the program printed nothing");
    QTest::newRow("stderr only") << QByteArray() << QByteArray("error: bad option\n")
                                 << QStringLiteral("not a doctest listing: error: bad option");
    QTest::newRow("truncated") << QByteArray("<?xml version=\"1.0\"?>\n<doctest binary=\"t\">\n  <TestCase name=\"a\" "
                                             "filename=\"a.cpp\" line=\"1\" skipped=\"false\"/>\n  <TestCa")
                               << QByteArray() << QStringLiteral("the doctest listing ended early, after 1 cases");
    QTest::newRow("count") << listingXml("  <TestCase name=\"a\" filename=\"a.cpp\" line=\"1\" skipped=\"false\"/>\n",
        2) << QByteArray() << QStringLiteral("the doctest listing shows 1 cases but counts 2");
}

void TestDoctestAdapter::badListings()
{
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, err);
    QFETCH(QString, error);
    DoctestAdapter adapter;
    QVector<TestCase> cases;
    QString message;
    QVERIFY(!adapter.parseListing(out, err, QString(), &cases, &message));
    QVERIFY2(message.contains(error), qPrintable(message));
}

void TestDoctestAdapter::planSelectsExactly()
{
    using Id = DoctestAdapter::Identity;
    // Same name in two suites: the suite include keeps the other out.
    const Id s1 {QStringLiteral("dup"), QStringLiteral("s1"), QStringLiteral("a.cpp"), 3};
    const Id s2 {QStringLiteral("dup"), QStringLiteral("s2"), QStringLiteral("a.cpp"), 4};
    const Id none {QStringLiteral("dup"), QString(), QStringLiteral("a.cpp"), 5};
    const QString selS1 = DoctestAdapter::encodeSelector(s1, {s2, none});
    const QString selNone = DoctestAdapter::encodeSelector(none, {s1, s2});
    DoctestAdapter::Plan plan = DoctestAdapter::plan({selS1});
    QCOMPARE(plan.rejected.size(), 0);
    QCOMPARE(plan.arguments,
        QStringList({QStringLiteral("--dt-test-case=dup"), QStringLiteral("--dt-test-suite=s1"),
            QStringLiteral("--dt-source-file=a.cpp")}));
    // No suite: the others' suites are excluded.
    plan = DoctestAdapter::plan({selNone});
    QCOMPARE(plan.arguments,
        QStringList({QStringLiteral("--dt-test-case=dup"), QStringLiteral("--dt-test-suite-exclude=s1,s2"),
            QStringLiteral("--dt-source-file=a.cpp")}));
    // The same name in another file: the file include.
    const Id inB {QStringLiteral("init"), QString(), QStringLiteral("b.cpp"), 9};
    const Id inA {QStringLiteral("init"), QString(), QStringLiteral("a.cpp"), 9};
    plan = DoctestAdapter::plan({DoctestAdapter::encodeSelector(inA, {inB})});
    QCOMPARE(
        plan.arguments, QStringList({QStringLiteral("--dt-test-case=init"), QStringLiteral("--dt-source-file=a.cpp")}));
    // A wildcard name: the other is excluded by name; escapes throughout.
    const Id star {QStringLiteral("a*, b\\"), QString(), QStringLiteral("a.cpp"), 1};
    const Id other {QStringLiteral("ab, b\\"), QString(), QStringLiteral("a.cpp"), 2};
    plan = DoctestAdapter::plan({DoctestAdapter::encodeSelector(star, {other}), sel(QStringLiteral("x"))});
    QCOMPARE(plan.rejected.size(), 0);
    QCOMPARE(plan.arguments,
        QStringList({QStringLiteral("--dt-test-case=a?\\, b\\\\,x"),
            QStringLiteral("--dt-test-case-exclude=ab\\, b\\\\"), QStringLiteral("--dt-source-file=a.cpp,t.cpp")}));
    // When the other is wanted too, nothing is excluded.
    plan = DoctestAdapter::plan(
        {DoctestAdapter::encodeSelector(star, {other}), DoctestAdapter::encodeSelector(other, {})});
    QCOMPARE(plan.selected.size(), 2);
    QCOMPARE(plan.arguments,
        QStringList(
            {QStringLiteral("--dt-test-case=a?\\, b\\\\,ab\\, b\\\\"), QStringLiteral("--dt-source-file=a.cpp")}));
}

void TestDoctestAdapter::planRejectsWhatItCannotSelect()
{
    using Id = DoctestAdapter::Identity;
    const Id star {QStringLiteral("a*"), QString(), QStringLiteral("a.cpp"), 1};
    const Id question {QStringLiteral("a?"), QString(), QStringLiteral("a.cpp"), 2};
    const QString selStar = DoctestAdapter::encodeSelector(star, {question});
    DoctestAdapter::Plan plan = DoctestAdapter::plan({selStar, sel(QStringLiteral("x"))});
    QCOMPARE(plan.selected, QStringList {sel(QStringLiteral("x"))});
    QCOMPARE(plan.rejected.size(), 1);
    QCOMPARE(plan.rejected.first().first, selStar);
    QCOMPARE(plan.rejected.first().second,
        QStringLiteral("ctestd: doctest cannot run \"a*\" (a.cpp:1) without also running \"a?\" (a.cpp:2): its "
                       "filters cannot tell them apart"));
    QVERIFY(!plan.arguments.join(QLatin1Char(' ')).contains(QLatin1String("a?")));

    // Selectable alone, but not next to a case without a suite.
    const Id s1 {QStringLiteral("dup"), QStringLiteral("s1"), QStringLiteral("a.cpp"), 3};
    const Id none {QStringLiteral("dup"), QString(), QStringLiteral("a.cpp"), 5};
    const QString selS1 = DoctestAdapter::encodeSelector(s1, {none});
    plan = DoctestAdapter::plan({selS1, sel(QStringLiteral("other"), QString(), QStringLiteral("a.cpp"))});
    QCOMPARE(plan.rejected.size(), 1);
    QVERIFY2(plan.rejected.first().second.endsWith(QLatin1String("run it alone (--group-by case)")),
        qPrintable(plan.rejected.first().second));

    // Not a selector, no name.
    plan = DoctestAdapter::plan({QStringLiteral("add"), sel(QString())});
    QCOMPARE(plan.selected, QStringList());
    QCOMPARE(plan.rejected.at(0).second, QStringLiteral("ctestd: \"add\" is not a doctest selector"));
    QCOMPARE(plan.rejected.at(1).second, QStringLiteral("ctestd: doctest cannot select a test case without a name"));
    DoctestAdapter adapter;
    DoctestAdapter::RunSpec spec;
    QString error;
    QVERIFY(!adapter.prepareRun(basicPath, {QStringLiteral("add"), sel(QString())}, QString(), &spec, &error));
    QCOMPARE(
        error, QStringLiteral("ctestd: \"add\" is not a doctest selector (and 1 more cases could not be selected)"));
}

void TestDoctestAdapter::planCapsTheCommandLine()
{
    QStringList selectors;
    const QString longName(1000, QLatin1Char('n'));
    for (int i = 0; i < 150; ++i)
        selectors.append(sel(longName + QString::number(i)));
    const DoctestAdapter::Plan plan = DoctestAdapter::plan(selectors);
    QVERIFY(plan.selected.size() > 90 && plan.selected.size() < 110);
    QCOMPARE(plan.selected.size() + plan.rejected.size(), 150);
    QCOMPARE(plan.selected.constLast(), selectors.at(plan.selected.size() - 1)); // the first ones run
    QVERIFY(plan.rejected.first().second.contains(QLatin1String("run fewer cases per process")));
    for (const QString &argument : plan.arguments)
        QVERIFY(argument.toUtf8().size() <= DoctestAdapter::maxFilterArgumentBytes);
}

void TestDoctestAdapter::prepareRunPinsOptions()
{
    DoctestAdapter adapter;
    DoctestAdapter::RunSpec spec;
    spec.arguments = QStringList {QStringLiteral("--caller")};
    QString error;
    QVERIFY2(adapter.prepareRun(basicPath, {sel(QStringLiteral("pass"))}, QString(), &spec, &error), qPrintable(error));
    QCOMPARE(spec.arguments.first(), QStringLiteral("--caller"));
    for (const char *option : {"--dt-reporters=xml", "--dt-case-sensitive=true", "--dt-no-exitcode=false",
             "--dt-order-by=file", "--dt-no-skip=false", "--dt-duration=true", "--dt-test-case=pass"})
        QVERIFY2(spec.arguments.contains(QString::fromLatin1(option)), option);
    for (const QString &argument : qAsConst(spec.arguments))
        QVERIFY2(
            argument == QLatin1String("--caller") || argument.startsWith(QLatin1String("--dt-")), qPrintable(argument));
    QVERIFY(!adapter.prepareRun(basicPath, {}, QString(), &spec, &error));
    QCOMPARE(adapter.defaultGroupBy(), GroupBy::Case);
    QVERIFY(adapter.isNormalExit(0) && adapter.isNormalExit(1) && !adapter.isNormalExit(2));
}

void TestDoctestAdapter::parserStatusesAndMessages()
{
    const QString pass = sel(QStringLiteral("pass"), QString(), QStringLiteral("t.cpp"), 7);
    const QString fail = sel(QStringLiteral("fail \"q\""), QStringLiteral("math"), QStringLiteral("t.cpp"), 8);
    const QString slow = sel(QStringLiteral("slow"), QString(), QStringLiteral("t.cpp"), 25);
    DoctestOutputParser parser({pass, fail, slow});
    const QByteArray stream = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<doctest binary=\"t\" version=\"2.4.9\">\n"
                              "  <Options order_by=\"file\"/>\n"
                              "  <TestSuite>\n"
                              "    <TestCase name=\"pass\" filename=\"t.cpp\" line=\"7\">\n"
                              "hello from the test\n"
                              "      <OverallResultsAsserts successes=\"1\" failures=\"0\" test_case_success=\"true\" "
                              "duration=\"0.25\"/>\n"
                              "    </TestCase>\n"
                              "  </TestSuite>\n"
                              "  <TestSuite name=\"math\">\n"
                              "    <TestCase name=\"fail &quot;q&quot;\" filename=\"t.cpp\" line=\"8\">\n"
                              "      <SubCase name=\"outer\" filename=\"t.cpp\" line=\"9\">\n"
                              "        <SubCase name=\"inner\" filename=\"t.cpp\" line=\"10\">\n"
                              "          <Expression success=\"false\" type=\"CHECK\" filename=\"t.cpp\" line=\"11\">\n"
                              "            <Original>\n"
                              "              a &lt; b\n"
                              "            </Original>\n"
                              "            <Expanded>\n"
                              "              2 &lt; 1\n"
                              "            </Expanded>\n"
                              "            <Info>\n"
                              "              context\n"
                              "two lines\n"
                              "            </Info>\n"
                              "          </Expression>\n"
                              "        </SubCase>\n"
                              "      </SubCase>\n"
                              "      <Expression success=\"false\" type=\"WARN\" filename=\"t.cpp\" line=\"12\">\n"
                              "        <Original>\n"
                              "          false\n"
                              "        </Original>\n"
                              "        <Expanded>\n"
                              "          false\n"
                              "        </Expanded>\n"
                              "      </Expression>\n"
                              "      <Message type=\"ERROR\" filename=\"t.cpp\" line=\"13\">\n"
                              "        <Text>\n"
                              "          failed by hand\n"
                              "        </Text>\n"
                              "      </Message>\n"
                              "no newline      <OverallResultsAsserts successes=\"0\" failures=\"2\" "
                              "test_case_success=\"false\" duration=\"0.5\"/>\n"
                              "    </TestCase>\n"
                              "  </TestSuite>\n"
                              "  <TestSuite>\n"
                              "    <TestCase name=\"slow\" filename=\"t.cpp\" line=\"25\" timeout=\"0.01\">\n"
                              "      <OverallResultsAsserts successes=\"0\" failures=\"0\" test_case_success=\"false\" "
                              "duration=\"0.05\"/>\n"
                              "    </TestCase>\n"
                              "  </TestSuite>\n"
                              "  <OverallResultsAsserts successes=\"1\" failures=\"2\"/>\n"
                              "</doctest>\n";
    const QVector<ParsedLine> lines = feed(parser, stream);
    const QVector<LineEvent> events = eventsOf(lines);
    QCOMPARE(events.size(), 6);
    QCOMPARE(events.at(0).kind, LineEvent::Started);
    QCOMPARE(events.at(0).selector, pass);
    QCOMPARE(events.at(1).kind, LineEvent::Finished);
    QCOMPARE(events.at(1).result.status, Status::Passed);
    QCOMPARE(events.at(1).result.seconds, 0.25);
    QCOMPARE(events.at(1).result.message, QString());
    QCOMPARE(events.at(2).selector, fail);
    const CaseResult failed = events.at(3).result;
    QCOMPARE(failed.status, Status::Failed);
    QCOMPARE(failed.file, QStringLiteral("t.cpp"));
    QCOMPARE(failed.line, 11);
    QCOMPARE(failed.message,
        QStringLiteral("t.cpp:11: ERROR: CHECK( a < b ) is NOT correct!\n"
                       "  values: CHECK( 2 < 1 )\n"
                       "  subcase: outer / inner\n"
                       "  logged: context\ntwo lines\n"
                       "t.cpp:13: ERROR: failed by hand"));
    const CaseResult slowResult = events.at(5).result;
    QCOMPARE(slowResult.status, Status::Failed);
    QCOMPARE(slowResult.message, QStringLiteral("Test case exceeded time limit of 0.010000!"));
    QCOMPARE(slowResult.line, 25);

    // What people read: the test's output as it was, failures as text, no XML.
    QByteArray shown;
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray original = stream.split('\n').at(i);
        const QByteArray text = lines.at(i).display ? *lines.at(i).display : original;
        if (!text.isEmpty())
            shown += text + '\n';
    }
    QCOMPARE(shown,
        QByteArray("hello from the test\n"
                   "t.cpp:11: ERROR: CHECK( a < b ) is NOT correct!\n"
                   "  values: CHECK( 2 < 1 )\n"
                   "  subcase: outer / inner\n"
                   "  logged: context\ntwo lines\n"
                   "t.cpp:12: WARNING: WARN( false ) is NOT correct!\n"
                   "  values: WARN( false )\n"
                   "t.cpp:13: ERROR: failed by hand\n"
                   "no newline\n"
                   "Test case exceeded time limit of 0.010000!\n"));
}

void TestDoctestAdapter::parserCrashLeavesCaseRunning()
{
    const QString segv = sel(QStringLiteral("segv"));
    const QString after = sel(QStringLiteral("after"));
    DoctestOutputParser parser({segv, after});
    const QVector<LineEvent> events = eventsOf(feed(parser,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doctest binary=\"t\">\n  <TestSuite>\n"
        "    <TestCase name=\"segv\" filename=\"t.cpp\" line=\"1\">\n"
        "      <Exception crash=\"true\">\n"
        "        SIGSEGV - Segmentation violation signal\n"
        "      </Exception>\n"
        "      <OverallResultsAsserts successes=\"0\" failures=\"0\" test_case_success=\"false\"/>\n"
        "    </TestCase>\n  </TestSuite>\n</doctest>\n"));
    // Started, and no Finished: the worker blames the signal on it.
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().kind, LineEvent::Started);
    QCOMPARE(events.first().selector, segv);
}

void TestDoctestAdapter::parserOddInput()
{
    const QString name = sel(QStringLiteral("new\nline"));
    const QString other = sel(QStringLiteral("other"));
    DoctestOutputParser parser({name, other});
    const QVector<ParsedLine> lines = feed(parser,
        "<doctest binary=\"t\">\n"
        "  <TestSuite>\n"
        "    <TestCase name=\"new\n"
        "line\" filename=\"t.cpp\" line=\"1\">\n"
        "<TestCase name=\"other\" filename=\"t.cpp\" line=\"1\">\n" // user output while a case runs
        "\xff\xfe invalid UTF-8 <b>bold</b> and <unclosed\n"
        "      <Expression success=\"false\" type=\"CHECK\" filename=\"t.cpp\" line=\"2\">\n"
        "        <Original>\n"
        "          x\n"); // truncated: the process stopped here
    const QVector<LineEvent> events = eventsOf(lines);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().kind, LineEvent::Started);
    QCOMPARE(events.first().selector, name);
    QVERIFY(!lines.at(4).display); // kept as the test's output
    QVERIFY(!lines.at(5).display);

    // A case that was not asked for is never reported, and foreign lines
    // between cases are output.
    DoctestOutputParser strict({other});
    QCOMPARE(eventsOf(feed(strict,
                          "<doctest binary=\"t\">\n  <TestSuite>\n"
                          "    <TestCase name=\"Other\" filename=\"t.cpp\" line=\"1\">\n"
                          "      <OverallResultsAsserts successes=\"0\" failures=\"0\" test_case_success=\"true\"/>\n"
                          "    </TestCase>\n"
                          "    <TestCase name=\"other\" filename=\"t.cpp\" line=\"1\" skipped=\"true\"/>\n"
                          "hello\n"))
                 .size(),
        0);
}

void TestDoctestAdapter::parserReportsRejectedCasesFirst()
{
    const DoctestAdapter::Identity star {QStringLiteral("a*"), QString(), QStringLiteral("t.cpp"), 1};
    const DoctestAdapter::Identity question {QStringLiteral("a?"), QString(), QStringLiteral("t.cpp"), 2};
    const QString selStar = DoctestAdapter::encodeSelector(star, {question});
    const QString plain = sel(QStringLiteral("plain"));
    DoctestOutputParser parser({plain, selStar});
    const ParsedLine first = parser.parseStdoutLine("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    QCOMPARE(first.events.size(), 2);
    QCOMPARE(first.events.at(0).kind, LineEvent::Started);
    QCOMPARE(first.events.at(1).kind, LineEvent::Finished);
    QCOMPARE(first.events.at(1).selector, selStar);
    QCOMPARE(first.events.at(1).result.status, Status::NotRun);
    QVERIFY(first.events.at(1).result.message.contains(QLatin1String("without also running \"a?\"")));
    QCOMPARE(parser.parseStdoutLine("<doctest binary=\"t\">").events.size(), 0); // only once
}

void TestDoctestAdapter::realRunsSelectExactlyOneCase()
{
    DoctestAdapter adapter;
    QTemporaryDir scratch;
    const adaptertest::Ran listing = runMerged(basicPath, adapter.listArguments(basicPath, scratch.path()));
    QVector<TestCase> cases;
    QString error;
    QVERIFY2(adapter.parseListing(listing.out, QByteArray(), scratch.path(), &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), 20);
    int ran = 0;
    for (const TestCase &testCase : qAsConst(cases)) {
        if (testCase.disabled)
            continue;
        DoctestAdapter::RunSpec spec;
        QVERIFY2(adapter.prepareRun(basicPath, {testCase.selector}, scratch.path(), &spec, &error), qPrintable(error));
        const adaptertest::Ran run = runMerged(basicPath, spec.arguments);
        QVERIFY(run.finished);
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(testCase.name));
        // doctest itself started exactly one case...
        QCOMPARE(run.out.count("<TestCase "), 1);
        // ...and the parser reports it, once.
        auto parser = adapter.createOutputParser(scratch.path(), {testCase.selector});
        const QVector<LineEvent> events = eventsOf(feed(*parser, run.out));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).selector, testCase.selector);
        QCOMPARE(events.at(1).kind, LineEvent::Finished);
        QCOMPARE(events.at(1).result.status == Status::Passed, run.exitCode == 0);
        ++ran;
    }
    QCOMPARE(ran, 19);

    // All of them in one process, in the listing's order.
    QStringList selectors;
    for (const TestCase &testCase : qAsConst(cases)) {
        if (!testCase.disabled)
            selectors.append(testCase.selector);
    }
    DoctestAdapter::RunSpec spec;
    QVERIFY(adapter.prepareRun(basicPath, selectors, scratch.path(), &spec, &error));
    const adaptertest::Ran run = runMerged(basicPath, spec.arguments);
    QCOMPARE(run.exitCode, 1);
    auto parser = adapter.createOutputParser(scratch.path(), selectors);
    QStringList finished;
    for (const LineEvent &event : eventsOf(feed(*parser, run.out))) {
        if (event.kind == LineEvent::Finished)
            finished.append(event.selector);
    }
    QCOMPARE(finished, selectors);
}

void TestDoctestAdapter::realRunOfMissingCaseReportsNothing()
{
    // A selector that matches nothing: doctest exits 0 having run nothing,
    // and the parser reports nothing, so the run controller makes it an
    // error ("requested but ... reported no result") instead of a pass.
    DoctestAdapter adapter;
    const QString missing = sel(QStringLiteral("no such case"), QString(), QStringLiteral("nowhere.cpp"), 3);
    DoctestAdapter::RunSpec spec;
    QString error;
    QVERIFY(adapter.prepareRun(basicPath, {missing}, QString(), &spec, &error));
    const adaptertest::Ran run = runMerged(basicPath, spec.arguments);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("<doctest "));
    auto parser = adapter.createOutputParser(QString(), {missing});
    QCOMPARE(eventsOf(feed(*parser, run.out)).size(), 0);
}

QTEST_GUILESS_MAIN(TestDoctestAdapter)
#include "tst_doctestadapter.moc"
