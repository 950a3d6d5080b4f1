// SPDX-License-Identifier: BSD-3-Clause
// -T Test's start: Testing/TAG kept or made as ctest 3.25.1 does, and the
// lines ctest prints about it (read off ctest's own runs).
#include "ctest/dashboard.h"

#include <QtTest>

using namespace ctestd::ctest;

class TestDashboard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newTagWithoutDartConfiguration();
    void keepsTodaysTagAndReadsTheDartFields();
    void tagOfAnotherDayIsReplaced();
};

static QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

static void write(const QString &path, const QByteArray &text)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

void TestDashboard::newTagWithoutDartConfiguration()
{
    QTemporaryDir tree;
    QVERIFY(tree.isValid());
    Dashboard dashboard;
    QString error;
    const QDateTime now(QDate(2026, 12, 6), QTime(19, 8, 42), Qt::UTC);
    QVERIFY2(openDashboard(tree.path(), now, &dashboard, &error), qPrintable(error));
    QCOMPARE(dashboard.tag, QStringLiteral("20261206-1908"));
    QVERIFY(dashboard.tagCreated);
    QCOMPARE(readAll(tree.filePath(QStringLiteral("Testing/TAG"))),
        QByteArray("20261206-1908\nExperimental\nExperimental\n"));
    QCOMPARE(dashboard.headerOut(),
        QByteArray("   Site: \n   Build name: (empty)\nCreate new tag: 20261206-1908 - Experimental\n"));
    QCOMPARE(dashboard.headerErr(),
        "Cannot find file: " + tree.filePath(QStringLiteral("DartConfiguration.tcl")).toUtf8() + '\n');
    QCOMPARE(dashboard.testXmlPath(), tree.filePath(QStringLiteral("Testing/20261206-1908/Test.xml")));
}

void TestDashboard::keepsTodaysTagAndReadsTheDartFields()
{
    QTemporaryDir tree;
    QVERIFY(tree.isValid());
    write(tree.filePath(QStringLiteral("DartConfiguration.tcl")),
        "SourceDirectory: /s\nSite: vm\nBuildName: Linux-c++\n");
    write(tree.filePath(QStringLiteral("Testing/TAG")), "20261206-0102\nExperimental\nExperimental\n");
    Dashboard dashboard;
    QString error;
    QVERIFY(openDashboard(tree.path(), QDateTime(QDate(2026, 12, 6), QTime(23, 59), Qt::UTC), &dashboard, &error));
    QCOMPARE(dashboard.tag, QStringLiteral("20261206-0102"));
    QVERIFY(!dashboard.tagCreated);
    QCOMPARE(dashboard.headerOut(), QByteArray("   Site: vm\n   Build name: Linux-c++\n"));
    QCOMPARE(dashboard.headerErr(), QByteArray());
}

void TestDashboard::tagOfAnotherDayIsReplaced()
{
    QTemporaryDir tree;
    QVERIFY(tree.isValid());
    write(tree.filePath(QStringLiteral("Testing/TAG")), "20261205-2359\nExperimental\nExperimental\n");
    Dashboard dashboard;
    QString error;
    QVERIFY(openDashboard(tree.path(), QDateTime(QDate(2026, 12, 6), QTime(0, 1), Qt::UTC), &dashboard, &error));
    QCOMPARE(dashboard.tag, QStringLiteral("20261206-0001"));
    QVERIFY(dashboard.tagCreated);
    // A TAG that cannot be written stops -T before anything runs.
    QVERIFY(
        !openDashboard(QStringLiteral("/proc/ctestd-no-tree"), QDateTime::currentDateTimeUtc(), &dashboard, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot create /proc/ctestd-no-tree/Testing")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestDashboard)
#include "tst_dashboard.moc"
