// SPDX-License-Identifier: BSD-3-Clause
// How the daemon tells ctest invocations apart and learns what one selected
// (service/invocation.h): the ctest arguments it repeats, the cases it reads
// from ctest's json-v1, and the end of a real process.
#include "service/invocation.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <unistd.h>

using namespace ctestd;

class TestInvocation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void selectionArguments_data();
    void selectionArguments();
    void testDirectoryOfARunningCtest();
    void selectedCases();
    void parallelLevel_data();
    void parallelLevel();
    void currentInvocationWithoutCtest();
    void endOfAProcess();
    void endOfAGoneProcess();
};

void TestInvocation::selectionArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("selection");
    QTest::addColumn<QString>("unsupported");
    const auto list
        = [](const char *words) { return QString::fromLatin1(words).split(QLatin1Char(' '), Qt::SkipEmptyParts); };
    QTest::newRow("nothing") << list("ctest") << QStringList() << QString();
    QTest::newRow("selecting") << list("ctest -R ^a$ -E b -L fast -LE slow -I 1,3 -U --rerun-failed -C Debug")
                               << list("-R ^a$ -E b -L fast -LE slow -I 1,3 -U --rerun-failed -C Debug") << QString();
    QTest::newRow("how, not which") << list(
        "ctest -j8 -j 4 -j --parallel 2 -V --output-on-failure --timeout 60 --repeat until-fail:3 "
        "--output-junit j.xml --stop-on-failure --no-tests=error --schedule-random -R x")
                                    << list("-R x") << QString();
    QTest::newRow("joined values") << list("ctest --tests-regex=a --test-dir=../other --output-junit=j.xml")
                                   << list("--tests-regex a") << QString();
    QTest::newRow("test dir") << list("ctest --test-dir /elsewhere -R x") << list("-R x") << QString();
    QTest::newRow("absolute file") << list("ctest --tests-from-file /b/list.txt")
                                   << list("--tests-from-file /b/list.txt") << QString();
    QTest::newRow("relative file") << list("ctest --tests-from-file list.txt") << QStringList()
                                   << QStringLiteral("--tests-from-file");
    QTest::newRow("dashboard") << list("ctest -D Experimental -R x") << QStringList() << QStringLiteral("-D");
    QTest::newRow("script") << list("ctest -S run.cmake") << QStringList() << QStringLiteral("-S");
    QTest::newRow("preset") << list("ctest --preset dev") << QStringList() << QStringLiteral("--preset");
    QTest::newRow("unknown") << list("ctest --frobnicate") << QStringList() << QStringLiteral("--frobnicate");
    QTest::newRow("missing value") << list("ctest -R") << QStringList() << QStringLiteral("-R");
}

void TestInvocation::selectionArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, selection);
    QFETCH(QString, unsupported);
    QString actualUnsupported;
    const QStringList actual = ctestSelectionArguments(arguments, &actualUnsupported);
    QCOMPARE(actualUnsupported, unsupported);
    if (unsupported.isEmpty())
        QCOMPARE(actual, selection);
}

void TestInvocation::testDirectoryOfARunningCtest()
{
    // What ctest keeps open while it runs: its tree's LastTest.log.tmp, and
    // maybe that of a ctest above it (inherited), whose tree holds this one.
    QTemporaryDir outer;
    const QString outerPath = QFileInfo(outer.path()).canonicalFilePath();
    const QString inner = outerPath + QStringLiteral("/tests/inner");
    QVERIFY(QDir().mkpath(outerPath + QStringLiteral("/Testing/Temporary")));
    QVERIFY(QDir().mkpath(inner + QStringLiteral("/sub/Testing/Temporary")));
    QFile outerLog(outerPath + QStringLiteral("/Testing/Temporary/LastTest.log.tmp"));
    QVERIFY(outerLog.open(QIODevice::WriteOnly));
    QCOMPARE(ctestTestDirectory(::getpid(), inner), QString()); // only the outer tree's
    QFile innerLog(inner + QStringLiteral("/sub/Testing/Temporary/LastTest.log.tmp"));
    QVERIFY(innerLog.open(QIODevice::WriteOnly));
    QCOMPARE(ctestTestDirectory(::getpid(), inner), inner + QStringLiteral("/sub"));
    QCOMPARE(ctestTestDirectory(::getpid(), outerPath), inner + QStringLiteral("/sub")); // the deepest
    innerLog.close();
    QCOMPARE(ctestTestDirectory(::getpid(), outerPath), outerPath);
}

void TestInvocation::selectedCases()
{
    // Two cases of group S of this tree, one of another tree, a disabled
    // case, a test that is not ctestd's, one registered twice with other
    // arguments (a group of its own, in another directory), a group D with a
    // case that depends on another test, a group U whose RUN_SERIAL is off
    // and a group W whose cases ctest starts with different environments.
    const QByteArray json = R"({"kind":"ctestInfo","version":{"major":1,"minor":0},"tests":[
        {"name":"S.C1","command":["/usr/bin/ctestd","case","--build-dir","/b/","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","S","--selector","S.C1"],
            "properties":[{"name":"WORKING_DIRECTORY","value":"/b"}]},
        {"name":"S.C2","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","S","--selector","S.C2"],
            "properties":[{"name":"LABELS","value":["l"]},{"name":"WORKING_DIRECTORY","value":"/b"}]},
        {"name":"x.S.C1","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","S","--selector","S.C1","--extra-arg","x"],
            "properties":[{"name":"WORKING_DIRECTORY","value":"/b/x"}]},
        {"name":"other.S.C3","command":["/usr/bin/ctestd","case","--build-dir","/other","--executable","/b/t",
            "--framework","gtest","--group-by","suite","--group","S","--selector","S.C3"]},
        {"name":"S.Off","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--selector","DISABLED_S.Off"],
            "properties":[{"name":"DISABLED","value":true}]},
        {"name":"mine","command":["/bin/true","case"]},
        {"name":"D.C1","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","D","--selector","D.C1"]},
        {"name":"D.C2","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","D","--selector","D.C2"],
            "properties":[{"name":"DEPENDS","value":["mine"]}]},
        {"name":"U.C1","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","U","--selector","U.C1"],
            "properties":[{"name":"RUN_SERIAL","value":false},{"name":"PROCESSORS","value":1},
                {"name":"WORKING_DIRECTORY","value":"/b"}]},
        {"name":"W.C1","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","W","--selector","W.C1"],
            "properties":[{"name":"ENVIRONMENT","value":["A=1"]}]},
        {"name":"W.C2","command":["/usr/bin/ctestd","case","--build-dir","/b","--executable","/b/t","--framework",
            "gtest","--group-by","suite","--group","W","--selector","W.C2"],
            "properties":[{"name":"ENVIRONMENT","value":["A=2"]}]},
        {"name":"no command"}]})";
    CtestSelection selection;
    QString error;
    QVERIFY2(parseSelectedCases(json, QStringLiteral("/b"), &selection, &error), qPrintable(error));
    const QHash<QString, QSet<QString>> &selected = selection.groups;
    protocol::CaseRequest request;
    request.executable = QStringLiteral("/b/t");
    request.framework = QStringLiteral("gtest");
    request.groupBy = QStringLiteral("suite");
    request.group = QStringLiteral("S");
    request.timeoutSeconds = 1500; // what `ctestd case` gets without --timeout
    QCOMPARE(selected.size(), 5);
    QCOMPARE(selected.value(caseGroupKey(request)), (QSet<QString> {QStringLiteral("S.C1"), QStringLiteral("S.C2")}));
    request.extraArguments = QStringList {QStringLiteral("x")};
    QCOMPARE(selected.value(caseGroupKey(request)), QSet<QString> {QStringLiteral("S.C1")});
    request.extraArguments.clear();
    request.group = QStringLiteral("D");
    QCOMPARE(selected.value(caseGroupKey(request)), (QSet<QString> {QStringLiteral("D.C1"), QStringLiteral("D.C2")}));

    // Run ahead: each group by its first case, in the listing's order, but
    // not D, which ctest orders after another test, nor W, whose cases do
    // not share one environment.
    QStringList ahead;
    for (const protocol::CaseRequest &first : qAsConst(selection.ahead))
        ahead.append(first.selector + QLatin1Char('/') + first.extraArguments.join(QLatin1Char(' ')));
    QCOMPARE(ahead, (QStringList {QStringLiteral("S.C1/"), QStringLiteral("S.C1/x"), QStringLiteral("U.C1/")}));
    QCOMPARE(selection.parallel, 1); // not parseSelectedCases()'s to say
    // S and U are started alike (the same directory, labels aside), x.S not.
    QCOMPARE(selection.launches.size(), 3);
    request.group = QStringLiteral("S");
    const QString launchOfS = selection.launches.value(caseGroupKey(request));
    request.group = QStringLiteral("U");
    QCOMPARE(selection.launches.value(caseGroupKey(request)), launchOfS);
    request.group = QStringLiteral("S");
    QVERIFY(!launchOfS.isEmpty());
    request.extraArguments = QStringList {QStringLiteral("x")};
    QVERIFY(selection.launches.value(caseGroupKey(request)) != launchOfS);

    QVERIFY(!parseSelectedCases("not json", QStringLiteral("/b"), &selection, &error));
    QVERIFY2(error.startsWith(QLatin1String("ctest --show-only=json-v1 printed no JSON document")), qPrintable(error));
}

void TestInvocation::parallelLevel_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("environment"); // CTEST_PARALLEL_LEVEL
    QTest::addColumn<int>("level");
    const int cpus = QThread::idealThreadCount();
    QTest::newRow("none") << QStringList {QStringLiteral("ctest")} << QString() << 1;
    QTest::newRow("-j 3") << QStringList {QStringLiteral("ctest"), QStringLiteral("-j"), QStringLiteral("3")}
                          << QString() << 3;
    QTest::newRow("-j4") << QStringList {QStringLiteral("ctest"), QStringLiteral("-j4")} << QString() << 4;
    QTest::newRow("--parallel=5") << QStringList {QStringLiteral("ctest"), QStringLiteral("--parallel=5")} << QString()
                                  << 5;
    QTest::newRow("--parallel 6") << QStringList {QStringLiteral("ctest"), QStringLiteral("--parallel"),
        QStringLiteral("6")} << QString()
                                  << 6;
    QTest::newRow("-j alone") << QStringList {QStringLiteral("ctest"), QStringLiteral("-j"), QStringLiteral("-R"),
        QStringLiteral("x")} << QString()
                              << cpus;
    QTest::newRow("-j0") << QStringList {QStringLiteral("ctest"), QStringLiteral("-j0")} << QString() << 1;
    QTest::newRow("environment") << QStringList {QStringLiteral("ctest")} << QStringLiteral("7") << 7;
    QTest::newRow("-j wins") << QStringList {QStringLiteral("ctest"), QStringLiteral("-j2")} << QStringLiteral("7")
                             << 2;
    QTest::newRow("bad environment") << QStringList {QStringLiteral("ctest")} << QStringLiteral("many") << 1;
}

void TestInvocation::parallelLevel()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, environment);
    QFETCH(int, level);
    QCOMPARE(ctestParallelLevel(arguments, environment), level);
}

void TestInvocation::currentInvocationWithoutCtest()
{
    // Run by ctest, this test's own ctest is found; by hand, there is none
    // and the invocation is this process.
    const InvocationId id = currentInvocation();
    QVERIFY(id.pid > 1);
    QCOMPARE(processStartTicks(id.pid), id.startTicks);
    if (!id.ctest)
        QCOMPARE(id.pid, qint64(::getpid()));
    QVERIFY(id.key().contains(QString::number(id.pid)));
    QCOMPARE(processStartTicks(0x3fffffff), -1);
}

void TestInvocation::endOfAProcess()
{
    QProcess sleeper;
    sleeper.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    QVERIFY(sleeper.waitForStarted());
    const qint64 pid = sleeper.processId();
    ProcessEndWatcher watcher(pid, processStartTicks(pid));
    QSignalSpy ended(&watcher, &ProcessEndWatcher::ended);
    QTest::qWait(200);
    QCOMPARE(ended.count(), 0);
    // Ended is ended while still a zombie, before QProcess reaps it.
    ::kill(pid_t(pid), SIGKILL);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 5000);
    sleeper.waitForFinished();
    QTest::qWait(100);
    QCOMPARE(ended.count(), 1);
}

void TestInvocation::endOfAGoneProcess()
{
    // A start time that does not match: the PID names another process now.
    ProcessEndWatcher reused(::getpid(), processStartTicks(::getpid()) + 1);
    QSignalSpy ended(&reused, &ProcessEndWatcher::ended);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 5000);
}

QTEST_GUILESS_MAIN(TestInvocation)
#include "tst_invocation.moc"
