// SPDX-License-Identifier: BSD-3-Clause
// `ctest -N` text, byte for byte. The golden files in data/showonly are the
// stdout of ctest 3.25.1: <case>.txt for the command lines of cases.json on
// project-CMakeLists.txt (built in /tmp/cts/build), 105_*.txt for
// project105-CMakeLists.txt (/tmp/ct100/build, 105 tests, #100 disabled),
// testdir_R_useB.txt for `ctest -N --test-dir build -R useB` run in /tmp/cts.
#include "ctest/showonly.h"
#include "showonlycases.h"

#include <QtTest>

using namespace ctestd::ctest;
using namespace showonlycases;

Q_DECLARE_METATYPE(ctestd::ctest::SelectionOptions)

class TestCTestShowOnly : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void goldenFiles_data();
    void goldenFiles();
    void threeDigitNumbers_data();
    void threeDigitNumbers();
    void testDir();
    void handBuiltLists();
    void numberWidth();
    void printLabels();
};

void TestCTestShowOnly::goldenFiles_data()
{
    QTest::addColumn<QJsonObject>("testCase");
    const QJsonArray all = cases();
    QVERIFY(all.size() >= 40);
    for (const QJsonValue &c : all)
        QTest::newRow(qPrintable(c.toObject().value(QLatin1String("name")).toString())) << c.toObject();
}

void TestCTestShowOnly::goldenFiles()
{
    QFETCH(QJsonObject, testCase);
    const QVector<TestInfo> tests = projectTests();
    const Selection selection = select(tests, optionsFromCase(testCase));
    const QString text = showOnlyText(QStringLiteral("/tmp/cts/build"), tests, selection);
    const QByteArray golden = readData(testCase.value(QLatin1String("name")).toString() + QStringLiteral(".txt"));
    QCOMPARE(text, QString::fromUtf8(golden));
    QCOMPARE(text.toUtf8(), golden);
}

void TestCTestShowOnly::threeDigitNumbers_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<SelectionOptions>("options");
    SelectionOptions options;
    QTest::newRow("all") << QStringLiteral("105_all.txt") << options;
    options.includeRegex = QStringLiteral("t00[1-3]|t10[05]");
    QTest::newRow("-R t00[1-3]|t10[05]") << QStringLiteral("105_R_ends.txt") << options;
    options.includeRegex = QStringLiteral("t00");
    QTest::newRow("-R t00") << QStringLiteral("105_R_t00.txt") << options;
    options.includeRegex.reset();
    options.excludeRegex = QStringLiteral("t00");
    QTest::newRow("-E t00") << QStringLiteral("105_E_t00.txt") << options;
}

void TestCTestShowOnly::threeDigitNumbers()
{
    QFETCH(QString, file);
    QFETCH(SelectionOptions, options);
    QVector<TestInfo> tests;
    for (int i = 1; i <= 105; ++i) {
        TestInfo t;
        t.index = i;
        t.name = QStringLiteral("t%1").arg(i, 3, 10, QLatin1Char('0'));
        t.disabled = i == 100;
        tests.append(t);
    }
    const QString text = showOnlyText(QStringLiteral("/tmp/ct100/build"), tests, select(tests, options));
    QCOMPARE(text.toUtf8(), readData(file));
}

void TestCTestShowOnly::testDir()
{
    SelectionOptions options;
    options.includeRegex = QStringLiteral("useB");
    const QVector<TestInfo> tests = projectTests();
    const QString text = changingDirectoryLine(QStringLiteral("/tmp/cts/build"))
        + showOnlyText(QStringLiteral("/tmp/cts/build"), tests, select(tests, options));
    QCOMPARE(text.toUtf8(), readData(QStringLiteral("testdir_R_useB.txt")));
}

void TestCTestShowOnly::handBuiltLists()
{
    QCOMPARE(showOnlyText(QStringLiteral("/p"), QVector<ListedTest> {}),
        QStringLiteral("Test project /p\n\nTotal Tests: 0\n"));
    const QVector<ListedTest> tests {{9, QStringLiteral("offC"), true}, {10, QStringLiteral("Name with space"), false}};
    QCOMPARE(showOnlyText(QStringLiteral("/p"), tests),
        QStringLiteral("Test project /p\n"
                       "  Test  #9: offC (Disabled)\n"
                       "  Test #10: Name with space\n"
                       "\n"
                       "Total Tests: 2\n"));
    // The width follows the largest number listed, not the list's length.
    QCOMPARE(showOnlyText(QStringLiteral("/p"), QVector<ListedTest> {{1234, QStringLiteral("x"), false}}),
        QStringLiteral("Test project /p\n  Test #1234: x\n\nTotal Tests: 1\n"));
    QCOMPARE(changingDirectoryLine(QStringLiteral("/a b")),
        QStringLiteral("Internal ctest changing into directory: /a b\n"));
}

void TestCTestShowOnly::printLabels()
{
    // As ctest 3.25.1 printed them for tests labelled "zeta;alpha" and
    // "alpha;Beta": each once, by bytes, of the selected tests only.
    using ctestd::ctest::TestInfo;
    QVector<TestInfo> tests(3);
    tests[0].index = 1;
    tests[0].name = QStringLiteral("a");
    tests[1].index = 2;
    tests[1].name = QStringLiteral("b");
    tests[1].labels = QStringList {QStringLiteral("zeta"), QStringLiteral("alpha")};
    tests[2].index = 3;
    tests[2].name = QStringLiteral("c");
    tests[2].labels = QStringList {QStringLiteral("alpha"), QStringLiteral("Beta")};
    ctestd::ctest::Selection all;
    all.indices = {1, 2, 3};
    QCOMPARE(ctestd::ctest::printLabelsText(QStringLiteral("/b"), tests, all),
        QStringLiteral("Test project /b\nAll Labels:\n  Beta\n  alpha\n  zeta\n"));
    ctestd::ctest::Selection unlabelled;
    unlabelled.indices = {1};
    QCOMPARE(ctestd::ctest::printLabelsText(QStringLiteral("/b"), tests, unlabelled),
        QStringLiteral("Test project /b\nNo Labels Exist\n"));
}

void TestCTestShowOnly::numberWidth()
{
    QCOMPARE(ctestd::ctestNumberWidth(0), 1);
    QCOMPARE(ctestd::ctestNumberWidth(9), 1);
    QCOMPARE(ctestd::ctestNumberWidth(10), 2);
    QCOMPARE(ctestd::ctestNumberWidth(99), 2);
    QCOMPARE(ctestd::ctestNumberWidth(100), 3);
    QCOMPARE(ctestd::ctestNumberWidth(105), 3);
}

QTEST_GUILESS_MAIN(TestCTestShowOnly)
#include "tst_ctestshowonly.moc"
