// SPDX-License-Identifier: BSD-3-Clause
// ctest's words for each result (CMake 3.25 cmCTestRunTest / cmProcess).
#include "model/testmodel.h"

#include <QtTest>

#include <csignal>

using namespace ctestd;

class TestTestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void words_data();
    void words();
    void failureStatuses();
    void statusNames();
};

void TestTestModel::words_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("list");
    QTest::newRow("passed") << int(Status::Passed) << 0 << QStringLiteral("   Passed  ") << QStringLiteral("Passed");
    QTest::newRow("failed") << int(Status::Failed) << 0 << QStringLiteral("***Failed  ") << QStringLiteral("Failed");
    QTest::newRow("skipped") << int(Status::Skipped) << 0 << QStringLiteral("***Skipped ") << QStringLiteral("Skipped");
    QTest::newRow("disabled") << int(Status::Disabled) << 0 << QStringLiteral("***Not Run (Disabled) ")
                              << QStringLiteral("Disabled");
    QTest::newRow("timeout") << int(Status::Timeout) << 0 << QStringLiteral("***Timeout ") << QStringLiteral("Timeout");
    QTest::newRow("not run") << int(Status::NotRun) << 0 << QStringLiteral("***Not Run ") << QStringLiteral("Not Run");
    QTest::newRow("segv") << int(Status::Crashed) << SIGSEGV << QStringLiteral("***Exception: SegFault")
                          << QStringLiteral("SEGFAULT");
    QTest::newRow("ill") << int(Status::Crashed) << SIGILL << QStringLiteral("***Exception: Illegal")
                         << QStringLiteral("ILLEGAL");
    QTest::newRow("fpe") << int(Status::Crashed) << SIGFPE << QStringLiteral("***Exception: Numerical")
                         << QStringLiteral("NUMERICAL");
    QTest::newRow("int") << int(Status::Crashed) << SIGINT << QStringLiteral("***Exception: Interrupt")
                         << QStringLiteral("INTERRUPT");
    QTest::newRow("abrt") << int(Status::Crashed) << SIGABRT << QStringLiteral("Subprocess aborted***Exception: ")
                          << QStringLiteral("Subprocess aborted");
    QTest::newRow("kill") << int(Status::Crashed) << SIGKILL << QStringLiteral("Subprocess killed***Exception: ")
                          << QStringLiteral("Subprocess killed");
    QTest::newRow("term") << int(Status::Crashed) << SIGTERM << QStringLiteral("Subprocess terminated***Exception: ")
                          << QStringLiteral("Subprocess terminated");
    QTest::newRow("bus") << int(Status::Crashed) << SIGBUS << QStringLiteral("Bus error***Exception: ")
                         << QStringLiteral("Bus error");
    QTest::newRow("pipe") << int(Status::Crashed) << SIGPIPE << QStringLiteral("SIGPIPE***Exception: ")
                          << QStringLiteral("SIGPIPE");
    QTest::newRow("usr1") << int(Status::Crashed) << SIGUSR1 << QStringLiteral("SIGUSR1***Exception: ")
                          << QStringLiteral("SIGUSR1");
    QTest::newRow("realtime") << int(Status::Crashed) << 40 << QStringLiteral("Signal 40***Exception: ")
                              << QStringLiteral("Signal 40");
    QTest::newRow("worker lost") << int(Status::Crashed) << 0 << QStringLiteral("Worker lost***Exception: ")
                                 << QStringLiteral("Worker lost");
}

void TestTestModel::words()
{
    QFETCH(int, status);
    QFETCH(int, signal);
    QFETCH(QString, field);
    QFETCH(QString, list);
    CaseResult result;
    result.status = Status(status);
    result.signal = signal;
    const CTestWords words = ctestWords(result);
    QCOMPARE(words.resultField, field);
    QCOMPARE(words.listStatus, list);
}

void TestTestModel::failureStatuses()
{
    QVERIFY(!isFailure(Status::Passed));
    QVERIFY(!isFailure(Status::Skipped));
    QVERIFY(!isFailure(Status::Disabled));
    QVERIFY(isFailure(Status::Failed));
    QVERIFY(isFailure(Status::Timeout));
    QVERIFY(isFailure(Status::Crashed));
    QVERIFY(isFailure(Status::NotRun));
}

void TestTestModel::statusNames()
{
    for (int i = int(Status::Passed); i <= int(Status::NotRun); ++i) {
        Status parsed = Status::Passed;
        QVERIFY(statusFromName(statusName(Status(i)), &parsed));
        QCOMPARE(int(parsed), i);
    }
    Status untouched = Status::Failed;
    QVERIFY(!statusFromName(QStringLiteral("PASSED"), &untouched));
    QCOMPARE(untouched, Status::Failed);
}

QTEST_GUILESS_MAIN(TestTestModel)
#include "tst_testmodel.moc"
