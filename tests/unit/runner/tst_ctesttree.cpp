// SPDX-License-Identifier: BSD-3-Clause
// Reading `ctest --show-only=json-v1`: which registrations become regrouped
// gtest cases, which run alone as plain tests, and what their properties say.
#include "runner/ctesttree.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace ctestd;

class TestCTestTree : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void regroupsDiscoveredCases();
    void fallsBackToPlain_data();
    void fallsBackToPlain();
    void plainTestProperties();
    void readsItsOwnRegistrations();
    void dependsByName();
    void addsTestsNeedingConfiguration();
    void findsNotAvailableThroughSubdirs();
    void missingCommandInEitherSpelling();
    void unsupportedPropertiesAreNamed();
    void dartConfigurationTimeout();
    void dartConfigurationSuiteName();
    void rejectsOtherDocuments_data();
    void rejectsOtherDocuments();
};

static QByteArray document(const QByteArray &tests)
{
    return R"({"kind":"ctestInfo","version":{"major":1,"minor":0},"tests":[)" + tests + "]}";
}

static const QByteArray discovered
    = R"({"name":"Typed.Zero<int>","command":["/b/gt","--gtest_filter=Typed/0.Zero","--gtest_also_run_disabled_tests"],
 "properties":[{"name":"SKIP_REGULAR_EXPRESSION","value":["\\[  SKIPPED \\]"]},{"name":"LABELS","value":["gtest"]},
               {"name":"TIMEOUT","value":20.0},{"name":"WORKING_DIRECTORY","value":"/b"}]})";

void TestCTestTree::regroupsDiscoveredCases()
{
    CTestTree tree;
    QString error;
    QVERIFY2(parseCTestJson(document(discovered), QStringLiteral("/b"), &tree, &error), qPrintable(error));
    QCOMPARE(tree.cases.size(), 1);
    const TestCase &testCase = tree.cases[0];
    QCOMPARE(testCase.index, 1);
    QCOMPARE(testCase.framework, QStringLiteral("gtest"));
    QCOMPARE(testCase.displayName, QStringLiteral("Typed.Zero<int>"));
    QCOMPARE(testCase.selector, QStringLiteral("Typed/0.Zero"));
    QCOMPARE(testCase.suite, QStringLiteral("Typed/0"));
    QCOMPARE(testCase.name, QStringLiteral("Zero"));
    QCOMPARE(testCase.executable, QStringLiteral("/b/gt"));
    QCOMPARE(testCase.workingDirectory, QStringLiteral("/b"));
    QCOMPARE(testCase.timeoutSeconds, 20.0);
    QCOMPARE(testCase.labels, QStringList {QStringLiteral("gtest")});
    QVERIFY(testCase.arguments.isEmpty());
    QVERIFY(testCase.rules.isEmpty()); // gtest's own skip marker replaces the regex
    QVERIFY(tree.notes.isEmpty());
    QVERIFY(tree.warnings.isEmpty());
}

void TestCTestTree::fallsBackToPlain_data()
{
    QTest::addColumn<QByteArray>("test");
    QTest::addColumn<QString>("note");
    QTest::newRow("extra args") << QByteArray(
        R"({"name":"A.b","command":["/b/gt","--gtest_filter=A.b","--gtest_also_run_disabled_tests","--gtest_repeat=2"]})")
                                << QStringLiteral("A.b runs on its own: extra arguments --gtest_repeat=2");
    QTest::newRow("wildcard") << QByteArray(
        R"({"name":"A.*","command":["/b/gt","--gtest_filter=A.*","--gtest_also_run_disabled_tests"]})")
                              << QStringLiteral("A.* runs on its own: the filter 'A.*' is not exactly one case");
    QTest::newRow("will fail") << QByteArray(
        R"({"name":"A.b","command":["/b/gt","--gtest_filter=A.b","--gtest_also_run_disabled_tests"],"properties":[{"name":"WILL_FAIL","value":true}]})")
                               << QStringLiteral("A.b runs on its own: property WILL_FAIL");
    QTest::newRow("other skip regex") << QByteArray(
        R"({"name":"A.b","command":["/b/gt","--gtest_filter=A.b","--gtest_also_run_disabled_tests"],"properties":[{"name":"SKIP_REGULAR_EXPRESSION","value":["skip me"]}]})")
                                      << QStringLiteral("A.b runs on its own: SKIP_REGULAR_EXPRESSION skip me");
}

void TestCTestTree::fallsBackToPlain()
{
    QFETCH(QByteArray, test);
    QFETCH(QString, note);
    CTestTree tree;
    QString error;
    QVERIFY2(parseCTestJson(document(test), QStringLiteral("/b"), &tree, &error), qPrintable(error));
    QCOMPARE(tree.cases.size(), 1);
    QCOMPARE(tree.cases[0].framework, QStringLiteral("plain"));
    QCOMPARE(tree.cases[0].executable, QStringLiteral("/b/gt"));
    QCOMPARE(tree.cases[0].arguments.constFirst(), tree.cases[0].arguments.constFirst()); // whole command kept
    QVERIFY(tree.cases[0].arguments.first().startsWith(QLatin1String("--gtest_filter=")));
    QCOMPARE(tree.notes, QStringList {note});
}

void TestCTestTree::plainTestProperties()
{
    const QByteArray test = R"({"name":"odd name [x];y","command":["/usr/bin/sh","-c","echo hi"],"properties":[
        {"name":"COST","value":3.5},{"name":"ENVIRONMENT","value":["A=1","B=2"]},{"name":"PASS_REGULAR_EXPRESSION","value":["hi","ho"]},
        {"name":"FAIL_REGULAR_EXPRESSION","value":["ERROR"]},{"name":"SKIP_RETURN_CODE","value":77},{"name":"WILL_FAIL","value":"ON"},
        {"name":"PROCESSORS","value":2},{"name":"RESOURCE_LOCK","value":["db"]},{"name":"RUN_SERIAL","value":true},
        {"name":"FIXTURES_REQUIRED","value":["fx"]},{"name":"REQUIRED_FILES","value":["/nope"]},{"name":"DISABLED","value":"OFF"}]})";
    CTestTree tree;
    QString error;
    QVERIFY2(parseCTestJson(document(test), QStringLiteral("/b"), &tree, &error), qPrintable(error));
    const TestCase &testCase = tree.cases[0];
    QCOMPARE(testCase.framework, QStringLiteral("plain"));
    QCOMPARE(testCase.displayName, QStringLiteral("odd name [x];y"));
    QCOMPARE(testCase.selector, testCase.displayName);
    QCOMPARE(testCase.arguments, (QStringList {QStringLiteral("-c"), QStringLiteral("echo hi")}));
    QCOMPARE(testCase.cost, 3.5);
    QCOMPARE(testCase.environment, (QStringList {QStringLiteral("A=1"), QStringLiteral("B=2")}));
    QCOMPARE(testCase.rules.passRegex, (QStringList {QStringLiteral("hi"), QStringLiteral("ho")}));
    QCOMPARE(testCase.rules.failRegex, QStringList {QStringLiteral("ERROR")});
    QCOMPARE(testCase.rules.skipReturnCode, 77);
    QVERIFY(testCase.rules.willFail);
    QCOMPARE(testCase.processors, 2);
    QCOMPARE(testCase.resourceLocks, QStringList {QStringLiteral("db")});
    QVERIFY(testCase.runSerial);
    QCOMPARE(testCase.fixturesRequired, QStringList {QStringLiteral("fx")});
    QCOMPARE(testCase.requiredFiles, QStringList {QStringLiteral("/nope")});
    QVERIFY(!testCase.disabled);
    QCOMPARE(testCase.timeoutSeconds, -1.0);
    QVERIFY(tree.notes.isEmpty()); // not a gtest registration: nothing to explain
}

void TestCTestTree::readsItsOwnRegistrations()
{
    // What ctestd_discover_tests registers: `ctestd case ...` per case, as
    // ctest 3.25's json-v1 shows it.
    const QByteArray tests
        = R"({"name":"opt.Db.Insert","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable",
        "/b/mini","--framework","gtest","--group-by","case","--group","Db.Insert","--selector","Db.Insert",
        "--working-directory","/b/work dir","--timeout","30","--extra-arg","--tag=x y"],
        "properties":[{"name":"SKIP_RETURN_CODE","value":77},
                      {"name":"TIMEOUT","value":30.0},{"name":"LABELS","value":["db"]}]},
        {"name":"locked","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/mini",
        "--group","Db","--selector","Db.Query"],
        "properties":[{"name":"RESOURCE_LOCK","value":["db"]}]},
        {"name":"qt.rows:two","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/tst_qt",
        "--framework","qtest","--group-by","executable","--group","","--selector","rows:two"],
        "properties":[]},
        {"name":"after.user.test","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/mini",
        "--group","Db","--selector","Db.Drop"],
        "properties":[{"name":"DEPENDS","value":["locked"]}]},
        {"name":"user.fixture","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/mini",
        "--group","Db","--selector","Db.Fixed"],
        "properties":[{"name":"FIXTURES_REQUIRED","value":["db"]}]})";
    CTestTree tree;
    QString error;
    QVERIFY2(parseCTestJson(document(tests), QStringLiteral("/b"), &tree, &error), qPrintable(error));
    const TestCase &direct = tree.cases[0];
    QCOMPARE(direct.framework, QStringLiteral("gtest"));
    QCOMPARE(direct.executable, QStringLiteral("/b/mini"));
    QCOMPARE(direct.selector, QStringLiteral("Db.Insert"));
    QCOMPARE(direct.suite, QStringLiteral("Db"));
    QCOMPARE(direct.workingDirectory, QStringLiteral("/b/work dir"));
    QCOMPARE(direct.arguments, QStringList {QStringLiteral("--tag=x y")});
    QVERIFY(direct.groupBy && *direct.groupBy == GroupBy::Case);
    QCOMPARE(direct.timeoutSeconds, 30.0);
    QVERIFY(direct.rules.isEmpty());
    QCOMPARE(direct.registeredGroup, std::optional<QString>(QStringLiteral("Db.Insert")));
    // A property a group cannot honour: it stays the client command.
    QCOMPARE(tree.cases[1].framework, QStringLiteral("plain"));
    QCOMPARE(tree.cases[1].arguments.first(), QStringLiteral("case"));
    // Another framework: the registration's group as it is; no gtest suite
    // read into its selector.
    const TestCase &qt = tree.cases[2];
    QCOMPARE(qt.framework, QStringLiteral("qtest"));
    QCOMPARE(qt.selector, QStringLiteral("rows:two"));
    QCOMPARE(qt.suite, QString());
    QCOMPARE(qt.name, QStringLiteral("qt.rows:two"));
    QCOMPARE(qt.registeredGroup, std::optional<QString>(QString()));
    QVERIFY(qt.groupBy && *qt.groupBy == GroupBy::Executable);
    // A dependency of the user's own: it stays the client command.
    QCOMPARE(tree.cases[3].framework, QStringLiteral("plain"));
    QCOMPARE(tree.cases[3].dependsOn, (QVector<int> {1})); // positions, in DEPENDS order
    // So does a fixture of the user's.
    QCOMPARE(tree.cases[4].framework, QStringLiteral("plain"));
    QCOMPARE(tree.cases[4].fixturesRequired, QStringList {QStringLiteral("db")});
}

void TestCTestTree::dependsByName()
{
    const QByteArray tests = R"({"name":"first","command":["/bin/true"]},
        {"name":"second","command":["/bin/true"],"properties":[{"name":"DEPENDS","value":["first","no such test","third"]}]},
        {"name":"third","command":["/bin/true"]})";
    CTestTree tree;
    QString error;
    QVERIFY(parseCTestJson(document(tests), QStringLiteral("/b"), &tree, &error));
    QCOMPARE(tree.cases[1].dependsOn, (QVector<int> {0, 2}));
    QVERIFY(tree.cases[0].dependsOn.isEmpty());
    QVERIFY(tree.cases[1].group.isEmpty());
}

void TestCTestTree::addsTestsNeedingConfiguration()
{
    // json-v1 without -C leaves out what ctest -N lists; DEPENDS follow.
    const QByteArray tests = R"({"name":"first","command":["/bin/true"]},
        {"name":"off","command":["/bin/true"],"properties":[{"name":"DISABLED","value":true}]},
        {"name":"last","command":["/bin/true"],"properties":[{"name":"DEPENDS","value":["first"]}]})";
    CTestTree tree;
    QString error;
    QVERIFY(parseCTestJson(document(tests), QStringLiteral("/b"), &tree, &error));
    const QByteArray listing = "Test project /b\n  Test #1: first\n  Test #2: per config\n  Test #3: off (Disabled)\n"
                               "Could not find executable x\n  Test #4: last\n  Test #5: tail\n\nTotal Tests: 5\n";
    QVERIFY2(addTestsNeedingConfiguration(listing, &tree, &error), qPrintable(error));
    QStringList names;
    for (const TestCase &testCase : qAsConst(tree.cases)) {
        names << testCase.displayName;
        QCOMPARE(testCase.index, int(names.size()));
    }
    QCOMPARE(names,
        (QStringList {QStringLiteral("first"), QStringLiteral("per config"), QStringLiteral("off"),
            QStringLiteral("last"), QStringLiteral("tail")}));
    QVERIFY(tree.cases[1].needsConfiguration && tree.cases[1].ctestTest);
    QVERIFY(tree.cases[4].needsConfiguration);
    QVERIFY(!tree.cases[0].needsConfiguration && !tree.cases[3].needsConfiguration);
    QCOMPARE(tree.cases[3].dependsOn, QVector<int> {0});

    // A json-v1 test that ctest -N does not list: the two disagree, loudly.
    CTestTree other;
    QVERIFY(parseCTestJson(document(tests), QStringLiteral("/b"), &other, &error));
    QVERIFY(!addTestsNeedingConfiguration("  Test #1: first\n  Test #2: last\n", &other, &error));
    QCOMPARE(error, QStringLiteral("ctest -N does not list off, which ctest --show-only=json-v1 does"));
}

void TestCTestTree::findsNotAvailableThroughSubdirs()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString &path, const QByteArray &text) {
        QVERIFY(QDir().mkpath(QFileInfo(dir.filePath(path)).path()));
        QFile file(dir.filePath(path));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    write(QStringLiteral("CTestTestfile.cmake"), "add_test(a \"/bin/true\")\nsubdirs(\"sub\")\n");
    write(QStringLiteral("sub/CTestTestfile.cmake"), "add_test(b \"/bin/true\")\n");
    // Not reachable through subdirs(): not part of the tree.
    write(QStringLiteral("stray/CTestTestfile.cmake"), "else()\n  add_test(c NOT_AVAILABLE)\nendif()\n");
    QVERIFY(!mayNeedConfiguration(dir.path()));
    write(QStringLiteral("sub/CTestTestfile.cmake"), "else()\n  add_test(b NOT_AVAILABLE)\nendif()\n");
    QVERIFY(mayNeedConfiguration(dir.path()));
}

void TestCTestTree::missingCommandInEitherSpelling()
{
    // json-v1 leaves out a missing program; the test file still names it,
    // with the name bracketed (CMP0110 NEW, CMake 3.19+) or bare (OLD).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("CTestTestfile.cmake")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("add_test([=[new.style]=] \"/no/such/new\" \"arg\")\n"
               "add_test(old \"/no/such/old\")\n"
               "add_test(old2 \"/no/such \\\"quoted\\\"\")\n");
    file.close();
    QCOMPARE(missingCommand(dir.path(), QStringLiteral("new.style")), QStringLiteral("/no/such/new"));
    QCOMPARE(missingCommand(dir.path(), QStringLiteral("old")), QStringLiteral("/no/such/old"));
    QCOMPARE(missingCommand(dir.path(), QStringLiteral("old2")), QStringLiteral("/no/such \"quoted\""));
    QCOMPARE(missingCommand(dir.path(), QStringLiteral("ol")), QStringLiteral("ol")); // no such test: the name
    QCOMPARE(missingCommandLine(dir.path(), QStringLiteral("new.style")),
        (QStringList {QStringLiteral("/no/such/new"), QStringLiteral("arg")}));
    QCOMPARE(missingCommandLine(dir.path(), QStringLiteral("ol")), QStringList());
}

void TestCTestTree::unsupportedPropertiesAreNamed()
{
    const QByteArray tests
        = R"({"name":"a","command":["/bin/true"],"properties":[{"name":"ATTACHED_FILES","value":["x"]}]},
        {"name":"b","command":["/bin/true"],"properties":[{"name":"ATTACHED_FILES","value":["y"]},{"name":"TIMEOUT_AFTER_MATCH","value":["1","x"]}]})";
    CTestTree tree;
    QString error;
    QVERIFY(parseCTestJson(document(tests), QStringLiteral("/b"), &tree, &error));
    QCOMPARE(tree.warnings,
        (QStringList {QStringLiteral("ctestd does not support the test property ATTACHED_FILES; it is ignored for 2 "
                                     "test(s): a, b"),
            QStringLiteral("ctestd does not support the test property TIMEOUT_AFTER_MATCH; it is ignored "
                           "for 1 test(s): b")}));
}

void TestCTestTree::dartConfigurationTimeout()
{
    QCOMPARE(dartTimeout("SourceDirectory: /s\nTimeOut: 1500\nUseLaunchers: \n"), 1500.0);
    QCOMPARE(dartTimeout("TimeOut: \n"), 0.0);
    QCOMPARE(dartTimeout("Nothing here"), 0.0);
}

void TestCTestTree::dartConfigurationSuiteName()
{
    // ctest 3.25.1's <testsuite name> for these BuildName lines, captured
    // with --output-junit after editing the tree's DartConfiguration.tcl.
    QCOMPARE(dartSuiteName("Site: vm\nBuildName: Linux-unknown\nTimeOut: 1500\n"), QStringLiteral("Linux-unknown"));
    QCOMPARE(dartSuiteName("BuildName:  Lin:ux*x \"q\"  \n"), QStringLiteral("Linuxx q"));
    QCOMPARE(dartSuiteName("BuildName: \n"), QStringLiteral("(empty)"));
    QCOMPARE(dartSuiteName("no such line"), QStringLiteral("(empty)"));
}

void TestCTestTree::rejectsOtherDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("not json") << QByteArray("Usage\n  ctest [options]") << QStringLiteral("printed no JSON document");
    QTest::newRow("other kind") << QByteArray(R"({"kind":"codemodel","version":{"major":1}})")
                                << QStringLiteral("unknown format");
    QTest::newRow("version 2") << QByteArray(R"({"kind":"ctestInfo","version":{"major":2},"tests":[]})")
                               << QStringLiteral("unknown format");
}

void TestCTestTree::rejectsOtherDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    CTestTree tree;
    QString message;
    QVERIFY(!parseCTestJson(json, QStringLiteral("/b"), &tree, &message));
    QVERIFY2(message.contains(error), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestCTestTree)
#include "tst_ctesttree.moc"
