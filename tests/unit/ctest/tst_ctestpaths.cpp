// SPDX-License-Identifier: BSD-3-Clause
// How ctest names directories and where it looks for a missing executable,
// against ctest 3.25.1's own output (data/paths/, see data/README.md).
#include "ctest/paths.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctestd::ctest;

class TestCTestPaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void couldNotFindAsCtest();
    void workingDirectory();
    void resolveTestDirectory_data();
    void resolveTestDirectory();
};

void TestCTestPaths::couldNotFindAsCtest()
{
    // ctest -R missing on the captured project: an absolute, a bare and a
    // relative command. Each block runs from "Could not find executable" to
    // the test's result line.
    QFile file(QStringLiteral(CTESTD_TEST_DATA_DIR "/paths/missing.console.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    QStringList commands;
    for (int i = 0; i < lines.size(); ++i) {
        if (!lines[i].startsWith(QLatin1String("Could not find executable ")))
            continue;
        const QString command = lines[i].mid(26);
        QString block;
        for (int j = i; j < lines.size() && !lines[j].contains(QLatin1String(" Test #")); ++j)
            block += lines[j] + QLatin1Char('\n');
        QCOMPARE(couldNotFindText(command), block);
        commands << command;
    }
    QCOMPARE(commands,
        QStringList(
            {QStringLiteral("/nonexistent/prog"), QStringLiteral("does_not_exist_prog"), QStringLiteral("sub/prog")}));
    QCOMPARE(executableSearchPlaces(QStringLiteral("/nonexistent/prog")).size(), 28);
}

void TestCTestPaths::workingDirectory()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString real = QDir(temp.path()).canonicalPath() + QStringLiteral("/real");
    const QString link = QDir(temp.path()).canonicalPath() + QStringLiteral("/link");
    QVERIFY(QDir().mkpath(real + QStringLiteral("/sub")));
    QVERIFY(QFile::link(real, link));

    // $PWD naming the same directory wins, and paths below follow it.
    const WorkingDirectory viaLink(real, link);
    QCOMPARE(viaLink.logical(), link);
    QCOMPARE(viaLink.translated(real + QStringLiteral("/sub")), link + QStringLiteral("/sub"));
    QCOMPARE(viaLink.translated(real + QStringLiteral("x/sub")), real + QStringLiteral("x/sub")); // not below
    QCOMPARE(viaLink.collapsed(QStringLiteral("sub/../sub/./")), link + QStringLiteral("/sub"));
    QCOMPARE(viaLink.collapsed(QStringLiteral("..")), QDir(temp.path()).canonicalPath());
    // A stale or relative $PWD is ignored.
    QCOMPARE(WorkingDirectory(real, temp.path()).logical(), real);
    QCOMPARE(WorkingDirectory(real, QStringLiteral("link")).logical(), real);
    QCOMPARE(WorkingDirectory(real, QString()).logical(), real);
}

void TestCTestPaths::resolveTestDirectory_data()
{
    // As ctest 3.25.1 behaved in the same layout (a tree "real", a symlink
    // "link" to it): whether it prints "Internal ctest changing into
    // directory: <announced>", and the directory of "Test project".
    QTest::addColumn<QString>("physical");
    QTest::addColumn<QString>("pwd");
    QTest::addColumn<QString>("given");
    QTest::addColumn<bool>("changes");
    QTest::addColumn<QString>("announced");
    QTest::addColumn<QString>("project");
    static const struct {
        const char *row, *physical, *pwd, *given;
        bool changes;
        const char *announced, *project;
    } rows[] = {
        {"no --test-dir", "real", "real", "", false, "real", "real"},
        {".", "real", "real", ".", false, "real", "real"},
        {"itself, absolute", "real", "real", "<root>/real/", false, "real", "real"},
        {"a subdirectory", "real", "real", "sub", true, "real/sub", "real/sub"},
        {"the symlink", "real", "real", "<root>/link", true, "link", "real"},
        {"in the symlink: the tree", "real", "link", "<root>/real", false, "link", "link"},
        {"in the symlink: sub", "real", "link", "sub", true, "link/sub", "link/sub"},
        {"in the symlink: no --test-dir", "real", "link", "", false, "link", "link"},
    };
    for (const auto &r : rows) {
        QTest::newRow(r.row) << QString::fromUtf8(r.physical) << QString::fromUtf8(r.pwd) << QString::fromUtf8(r.given)
                             << r.changes << QString::fromUtf8(r.announced) << QString::fromUtf8(r.project);
    }
}

void TestCTestPaths::resolveTestDirectory()
{
    QFETCH(QString, physical);
    QFETCH(QString, pwd);
    QFETCH(QString, given);
    QFETCH(bool, changes);
    QFETCH(QString, announced);
    QFETCH(QString, project);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString root = QDir(temp.path()).canonicalPath();
    QVERIFY(QDir().mkpath(root + QStringLiteral("/real/sub")));
    QVERIFY(QFile::link(root + QStringLiteral("/real"), root + QStringLiteral("/link")));
    const auto at = [&root](const QString &relative) { return root + QLatin1Char('/') + relative; };

    const TestDirectory result = ctestd::ctest::resolveTestDirectory(
        QString(given).replace(QLatin1String("<root>"), root), WorkingDirectory(at(physical), at(pwd)));
    QCOMPARE(result.changes, changes);
    QCOMPARE(result.announced, at(announced));
    QCOMPARE(result.project, at(project));
}

QTEST_GUILESS_MAIN(TestCTestPaths)
#include "tst_ctestpaths.moc"
