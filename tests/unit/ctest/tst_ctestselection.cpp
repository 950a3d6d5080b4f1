// SPDX-License-Identifier: BSD-3-Clause
// ctest's test selection (-R, -E, -L, -LE, -I, -U, fixtures, --rerun-failed) and
// the --repeat parser. The data-driven cases replay data/showonly/cases.json:
// each was run as `ctest -N <args>` (with the given LastTestsFailed.log) by
// ctest 3.25.1 on data/showonly/project-CMakeLists.txt, and its output is
// data/showonly/<name>.txt; the selection must list the same tests with the
// same numbers. The --repeat rows are ctest 3.25.1's answers too.
#include "ctest/selection.h"
#include "showonlycases.h"

#include <QtTest>

#include <QRegularExpression>

using namespace ctestd::ctest;

Q_DECLARE_METATYPE(ctestd::ctest::RepeatMode)

class TestCTestSelection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void againstCTest_data();
    void againstCTest();
    void fixturesAreRecursive();
    void disabledTestsPullNoFixtures();
    void excludeWithoutIncludeRenumbers();
    void fixtureOrderAndDuplicates();
    void labelsSearchEachLabel();
    void rerunFailedByNumber();
    void compileMessages();
    void testsInformationFromFile();
    void repeat_data();
    void repeat();
};

using namespace showonlycases;

void TestCTestSelection::againstCTest_data()
{
    QTest::addColumn<QJsonObject>("testCase");
    const QJsonArray all = cases();
    QVERIFY(all.size() >= 40);
    for (const QJsonValue &c : all)
        QTest::newRow(qPrintable(c.toObject().value(QLatin1String("name")).toString())) << c.toObject();
}

void TestCTestSelection::againstCTest()
{
    QFETCH(QJsonObject, testCase);
    const QVector<TestInfo> tests = projectTests();
    const Selection selection = select(tests, optionsFromCase(testCase));

    // What ctest listed: "  Test  #K: name[ (Disabled)]".
    const QString golden
        = QString::fromUtf8(readData(testCase.value(QLatin1String("name")).toString() + QStringLiteral(".txt")));
    static const QRegularExpression line(
        QStringLiteral("^  Test +#(\\d+): (.*?)( \\(Disabled\\))?$"), QRegularExpression::MultilineOption);
    QVector<int> expectedNumbers;
    QVector<int> expectedIndices;
    auto it = line.globalMatch(golden);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        expectedNumbers.append(m.captured(1).toInt());
        const QString name = m.captured(2);
        const auto found
            = std::find_if(tests.cbegin(), tests.cend(), [&](const TestInfo &t) { return t.name == name; });
        QVERIFY2(found != tests.cend(), qPrintable(name));
        expectedIndices.append(found->index);
    }
    QCOMPARE(selection.indices, expectedIndices);
    QCOMPARE(selection.numbers, expectedNumbers);

    // Compile messages: label regexes before "Test project", -R/-E after.
    const int header = golden.indexOf(QLatin1String("Test project "));
    const int afterHeader = golden.indexOf(QLatin1Char('\n'), header) + 1;
    const int listStart = golden.indexOf(
        QRegularExpression(QStringLiteral("^(  Test|$)"), QRegularExpression::MultilineOption), afterHeader);
    QCOMPARE(selection.labelRegexMessages, golden.left(header));
    QCOMPARE(selection.nameRegexMessages, golden.mid(afterHeader, listStart - afterHeader));
}

void TestCTestSelection::fixturesAreRecursive()
{
    // -R useB: useB needs B (setupB), setupB needs A (setupA, cleanA).
    SelectionOptions options;
    options.includeRegex = QStringLiteral("useB");
    const Selection s = select(projectTests(), options);
    QCOMPARE(s.indices, (QVector<int> {1, 3, 4, 5}));
    QCOMPARE(s.numbers, (QVector<int> {1, 3, 4, 5}));
}

void TestCTestSelection::disabledTestsPullNoFixtures()
{
    SelectionOptions options;
    options.includeRegex = QStringLiteral("offC");
    QCOMPARE(select(projectTests(), options).indices, QVector<int> {9});
    // A disabled setup test is still added for an enabled user.
    QVector<TestInfo> tests = projectTests();
    tests[0].disabled = true; // setupA
    options.includeRegex = QStringLiteral("^useA$");
    QCOMPARE(select(tests, options).indices, (QVector<int> {1, 2, 3}));
}

void TestCTestSelection::excludeWithoutIncludeRenumbers()
{
    SelectionOptions options;
    options.excludeRegex = QStringLiteral("setup");
    const Selection s = select(projectTests(), options);
    QCOMPARE(s.indices, (QVector<int> {2, 3, 5, 6, 7, 9, 10}));
    QCOMPARE(s.numbers, (QVector<int> {1, 2, 3, 4, 5, 6, 7}));
    // With -R the -E'd setup test is numbered as usual and comes back.
    options.includeRegex = QStringLiteral("useA");
    const Selection r = select(projectTests(), options);
    QCOMPARE(r.indices, (QVector<int> {1, 2, 3}));
    QCOMPARE(r.numbers, (QVector<int> {1, 2, 3}));
}

void TestCTestSelection::fixtureOrderAndDuplicates()
{
    // Several setup tests for one fixture, a test that is both setup and
    // cleanup, a fixture nobody provides, an empty fixture name.
    QVector<TestInfo> tests;
    TestInfo t = test(1, "user");
    t.fixturesRequired = strings({"F", "G", "", "Nobody"});
    tests.append(t);
    t = test(2, "s1");
    t.fixturesSetup = strings({"F"});
    tests.append(t);
    t = test(3, "both");
    t.fixturesSetup = strings({"G"});
    t.fixturesCleanup = strings({"F", "G"});
    tests.append(t);
    t = test(4, "s2");
    t.fixturesSetup = strings({"F", "F"});
    tests.append(t);
    tests.append(test(5, "other"));
    SelectionOptions options;
    options.includeRegex = QStringLiteral("^user$");
    const Selection s = select(tests, options);
    QCOMPARE(s.indices, (QVector<int> {1, 2, 3, 4}));
}

void TestCTestSelection::labelsSearchEachLabel()
{
    QVector<TestInfo> tests {test(1, "a"), test(2, "b"), test(3, "c")};
    tests[0].labels = strings({"unit", "fast"});
    tests[1].labels = strings({"integration"});
    SelectionOptions options;
    options.includeLabels = strings({"^fast$"});
    QCOMPARE(select(tests, options).indices, QVector<int> {1});
    options.includeLabels = strings({"t"}); // "unit"/"fast" and "integration"
    QCOMPARE(select(tests, options).indices, (QVector<int> {1, 2}));
    options.includeLabels.clear();
    options.excludeLabels = strings({"t"});
    QCOMPARE(select(tests, options).indices, QVector<int> {3}); // no labels: never excluded
}

void TestCTestSelection::rerunFailedByNumber()
{
    // LastTestsFailed.log says "6:plain1", but -E plain (without -R) removed
    // plain1 and plain2 first: #6 is now setupC, and ctest runs that.
    SelectionOptions options;
    options.rerunFailed = true;
    options.rerunNumbers = {6};
    options.excludeRegex = QStringLiteral("plain");
    const Selection s = select(projectTests(), options);
    QCOMPARE(s.indices, QVector<int> {8});
    QCOMPARE(s.numbers, QVector<int> {6});
    // -R and -L do not narrow it.
    options.excludeRegex.reset();
    options.includeRegex = QStringLiteral("use");
    options.includeLabels = strings({"z"});
    QCOMPARE(select(projectTests(), options).indices, QVector<int> {6});
    // Numbers that name no test select nothing; no number selects all.
    options.rerunNumbers = {0, 99};
    QVERIFY(select(projectTests(), options).indices.isEmpty());
    options.rerunNumbers.clear();
    QCOMPARE(select(projectTests(), options).indices.size(), 10);
}

void TestCTestSelection::testsInformationFromFile()
{
    // ctest reads -I's value from the file it names (relative to the build
    // tree it changed into), first line only; anything else is the value.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("numbers")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("2,3\n5\n");
    file.close();
    QCOMPARE(testsInformationText(QStringLiteral("numbers"), dir.path()), QStringLiteral("2,3"));
    QCOMPARE(testsInformationText(file.fileName(), QStringLiteral("/")), QStringLiteral("2,3"));
    QCOMPARE(testsInformationText(QStringLiteral("2,3"), dir.path()), QStringLiteral("2,3"));
    QCOMPARE(testsInformationText(QStringLiteral("."), dir.path()), QStringLiteral("."));
    QCOMPARE(expandTestsInformation(QStringLiteral("2,3"), 10), (QVector<int> {2, 3}));
}

void TestCTestSelection::compileMessages()
{
    SelectionOptions options;
    options.includeLabels = strings({"*"});
    options.excludeLabels = strings({"a**"});
    options.includeRegex = QStringLiteral("(");
    options.excludeRegex = QStringLiteral("[");
    const Selection s = select(projectTests(), options);
    QCOMPARE(s.labelRegexMessages,
        QStringLiteral("RegularExpression::compile(): ?+* follows nothing.\n"
                       "RegularExpression::compile(): Error in compile.\n"
                       "RegularExpression::compile(): Nested *?+.\n"
                       "RegularExpression::compile(): Error in compile.\n"));
    QCOMPARE(s.nameRegexMessages,
        QStringLiteral("RegularExpression::compile(): Unmatched parentheses.\n"
                       "RegularExpression::compile(): Error in compile.\n"
                       "RegularExpression::compile(): Unmatched [].\n"
                       "RegularExpression::compile(): Error in compile.\n"));
    QVERIFY(s.indices.isEmpty());
}

void TestCTestSelection::repeat_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<RepeatMode>("mode");
    auto accept = [](const char *value, RepeatMode mode) {
        QTest::newRow(value) << QString::fromLatin1(value) << true << mode;
    };
    auto reject = [](const char *value) {
        QTest::newRow(*value ? value : "(empty)") << QString::fromLatin1(value) << false << RepeatMode {};
    };
    accept("until-fail:2", {RepeatMode::UntilFail, 2});
    accept("until-pass:3", {RepeatMode::UntilPass, 3});
    accept("after-timeout:2", {RepeatMode::AfterTimeout, 2});
    accept("until-fail:02", {RepeatMode::UntilFail, 2});
    accept("until-fail:2147483647", {RepeatMode::UntilFail, 2147483647});
    // N is an unsigned long cast to int: 4294967298 runs twice, 4294967297
    // and 1 and 0 once, an unsigned long overflow once (ctest keeps 1) --
    // all observed; 2147483648 (INT_MIN after the cast) follows the source.
    accept("until-fail:4294967298", {RepeatMode::UntilFail, 2});
    accept("until-fail:99999999999", {RepeatMode::UntilFail, 1215752191});
    accept("until-fail:4294967297", {});
    accept("until-fail:99999999999999999999999", {});
    accept("until-fail:2147483648", {});
    accept("until-fail:1", {});
    accept("until-fail:0", {});
    reject("foo");
    reject("until-fail:-1");
    reject("until-fail:abc");
    reject("until-fail:");
    reject("until-fail:1x");
    reject("until-fail:1.5");
    reject("until-fail: 2");
    reject("until-fail:+2");
    reject("UNTIL-FAIL:2");
    reject(":2");
    reject("until-fail");
    reject("");
}

void TestCTestSelection::repeat()
{
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QFETCH(RepeatMode, mode);
    RepeatMode parsed {RepeatMode::UntilPass, 99};
    QString error;
    QCOMPARE(parseRepeat(value, &parsed, &error), ok);
    if (ok) {
        QCOMPARE(int(parsed.kind), int(mode.kind));
        QCOMPARE(parsed.count, mode.count);
        QVERIFY(error.isEmpty());
    } else {
        QCOMPARE(error, QStringLiteral("'--repeat' given invalid value '%1'").arg(value));
        QCOMPARE(parsed, (RepeatMode {RepeatMode::UntilPass, 99})); // untouched
    }
}

QTEST_GUILESS_MAIN(TestCTestSelection)
#include "tst_ctestselection.moc"
