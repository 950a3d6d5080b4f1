// SPDX-License-Identifier: BSD-3-Clause
// -O/--output-log: ctest's log format (a "[TYPE] " line and an empty line
// where the message type changes), the console streams that feed it, and
// the start-up check of its destination. The format was read off ctest
// 3.25.1's logs; the agreement test compares whole logs with ctest's.
#include "reporters/outputlog.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctestd;

class TestOutputLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tagsWhereTheTypeChanges();
    void streamsWriteTheConsoleAndTheLog();
    void createsItsFolder();
    void unwritableDestination();
};

static QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

void TestOutputLog::tagsWhereTheTypeChanges()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("log.txt"));
    OutputLog log;
    QString error;
    QVERIFY2(log.open(path, &error), qPrintable(error));
    log.write(false, "Internal ctest changing into directory: /b\n");
    log.write(false, "Test project /b\n    Start 1: a\n");
    log.write(true, "Unable to find executable: /b/x\n");
    // A result line comes as two writes, as ctest's two messages.
    log.write(false, "1/1 Test #1: a ....");
    log.write(false, "***Not Run   0.00 sec\n");
    log.write(true, "Errors while running CTest\nOutput from these tests are in: /b/L.log\n");
    QCOMPARE(readAll(path),
        QByteArray("[OUTPUT] \n"
                   "Internal ctest changing into directory: /b\n\n"
                   "[HANDLER_OUTPUT] \n"
                   "Test project /b\n\n"
                   "    Start 1: a\n"
                   "[ERROR_MESSAGE] \n"
                   "Unable to find executable: /b/x\n\n"
                   "[HANDLER_OUTPUT] \n"
                   "1/1 Test #1: a ....\n"
                   "***Not Run   0.00 sec\n"
                   "[ERROR_MESSAGE] \n"
                   "Errors while running CTest\n\n"
                   "Output from these tests are in: /b/L.log\n"));
}

void TestOutputLog::streamsWriteTheConsoleAndTheLog()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("log.txt"));
    OutputLog log;
    QString error;
    QVERIFY(log.open(path, &error));
    QBuffer console;
    QVERIFY(console.open(QIODevice::WriteOnly));
    LoggedStream out(&console, &log, false);
    LoggedStream quietErr(nullptr, &log, true); // -Q: only the log has it
    LoggedStream unlogged(&console, nullptr, false); // no -O
    QCOMPARE(out.write("a\n"), qint64(2));
    QCOMPARE(quietErr.write("b\n"), qint64(2));
    QCOMPARE(unlogged.write("c\n"), qint64(2));
    QCOMPARE(console.data(), QByteArray("a\nc\n"));
    QCOMPARE(readAll(path), QByteArray("[HANDLER_OUTPUT] \na\n\n[ERROR_MESSAGE] \nb\n\n"));
}

void TestOutputLog::createsItsFolder()
{
    // As ctest: the folders are made; ctestd makes them before the run.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("a/b/log.txt"));
    OutputLog log;
    QString error;
    QVERIFY2(log.open(path, &error), qPrintable(error));
    log.write(false, "x\n");
    QCOMPARE(readAll(path), QByteArray("[HANDLER_OUTPUT] \nx\n\n"));
}

void TestOutputLog::unwritableDestination()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    OutputLog log;
    QString error;
    QVERIFY(!log.open(QStringLiteral("/proc/ctestd-no/log.txt"), &error));
    QCOMPARE(error, QStringLiteral("cannot create the folder of the output log /proc/ctestd-no/log.txt"));
    // A folder where the file should be: named, with the reason.
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("taken")));
    const QString taken = dir.filePath(QStringLiteral("taken"));
    QVERIFY(!log.open(taken, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write the output log %1: ").arg(taken)), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestOutputLog)
#include "tst_outputlog.moc"
