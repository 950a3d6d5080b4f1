// SPDX-License-Identifier: BSD-3-Clause
// A worker's life (README, "Workers"): its id and count, its own TMPDIR and
// working directory, and its setup and teardown hooks, with real gtest
// programs, real workers and real shell commands. gt_ports and gt_killworker
// log what their worker gave them (CTESTD_WORKER_LOG, gtest_support.h).
#include "runhelpers.h"

#include <QtTest>

#include <csignal>

class TestWorkerLife : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void idsAndDirectories();
    void isolatedAndKept();
    void buildTreeAndDaemonToo();
    void samePortFailsWithoutIds();
    void replacementKeepsTheId();
    void hooksRunOncePerWorker();
    void teardownRunsAfterInterrupt();
    void failingSetupTakesOneWorkerOut();
    void failingSetupEverywhereRunsNothing();
    void hungSetupIsStopped();
    void failingTeardownFailsTheRun();

private:
    struct Logged {
        QString name;
        QHash<QString, QString> fields; // id, count, tmp, cwd, worker
    };
    QVector<Logged> readWorkerLog(const QString &path) const;
    // gt_ports with two workers, its own port base and rendezvous.
    CtestdRun runPorts(const QString &name, const QStringList &arguments, QProcessEnvironment environment = {});

    QTemporaryDir m_dir;
};

void TestWorkerLife::init()
{
    QVERIFY(m_dir.isValid());
}

QVector<TestWorkerLife::Logged> TestWorkerLife::readWorkerLog(const QString &path) const
{
    QVector<Logged> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        Logged logged;
        const QList<QByteArray> words = line.split(' ');
        logged.name = QString::fromUtf8(words.value(0));
        for (const QByteArray &word : words.mid(1)) {
            const int equals = word.indexOf('=');
            logged.fields.insert(QString::fromUtf8(word.left(equals)), QString::fromUtf8(word.mid(equals + 1)));
        }
        lines.append(logged);
    }
    return lines;
}

CtestdRun TestWorkerLife::runPorts(const QString &name, const QStringList &arguments, QProcessEnvironment environment)
{
    const QString rendezvous = m_dir.filePath(name + QStringLiteral(".rendezvous"));
    QDir().mkpath(rendezvous);
    environment.insert(QStringLiteral("CTESTD_RENDEZVOUS"), rendezvous);
    environment.insert(QStringLiteral("CTESTD_WORKER_LOG"), m_dir.filePath(name + QStringLiteral(".log")));
    environment.insert(QStringLiteral("CTESTD_PORT_BASE"), QString::number(freeLocalPort()));
    return runCtestd(QStringList {QStringLiteral("-j2"), QStringLiteral("--output-on-failure")} + arguments
            + QStringList {gtestProgram(QStringLiteral("gt_ports"))},
        environment);
}

// Two workers: ids 0 and 1 of 2, each its own empty TMPDIR, removed when the
// worker stops; the tests keep the run's working directory.
void TestWorkerLife::idsAndDirectories()
{
    const CtestdRun run = runPorts(QStringLiteral("ids"), {});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 2"));
    const QVector<Logged> log = readWorkerLog(m_dir.filePath(QStringLiteral("ids.log")));
    QCOMPARE(log.size(), 2);
    QSet<QString> ids;
    QSet<QString> tmps;
    for (const Logged &logged : log) {
        ids.insert(logged.fields.value(QStringLiteral("id")));
        tmps.insert(logged.fields.value(QStringLiteral("tmp")));
        QCOMPARE(logged.fields.value(QStringLiteral("count")), QStringLiteral("2"));
        const QString tmp = logged.fields.value(QStringLiteral("tmp"));
        QVERIFY2(QFileInfo(tmp).fileName() == QLatin1String("tmp"), qPrintable(tmp));
        QVERIFY2(QFileInfo(QFileInfo(tmp).path())
                     .fileName()
                     .startsWith(QStringLiteral("ctestd-worker-%1-").arg(logged.fields.value(QStringLiteral("id")))),
            qPrintable(tmp));
        // The worker removed it when it stopped.
        QVERIFY2(!QFileInfo::exists(QFileInfo(tmp).path()), qPrintable(tmp));
        QCOMPARE(logged.fields.value(QStringLiteral("cwd")), QDir::currentPath());
    }
    QCOMPARE(ids, (QSet<QString> {QStringLiteral("0"), QStringLiteral("1")}));
    QCOMPARE(tmps.size(), 2);
}

// --isolate-workdir: each worker's tests run in its own "work" folder;
// --keep-tmp: both folders outlive the worker, and the run says where.
void TestWorkerLife::isolatedAndKept()
{
    const CtestdRun run
        = runPorts(QStringLiteral("kept"), {QStringLiteral("--isolate-workdir"), QStringLiteral("--keep-tmp")});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    const QVector<Logged> log = readWorkerLog(m_dir.filePath(QStringLiteral("kept.log")));
    QCOMPARE(log.size(), 2);
    for (const Logged &logged : log) {
        const QString root = QFileInfo(logged.fields.value(QStringLiteral("tmp"))).path();
        QCOMPARE(logged.fields.value(QStringLiteral("cwd")), root + QStringLiteral("/work"));
        QVERIFY2(QFileInfo::exists(root + QStringLiteral("/tmp/") + logged.name + QStringLiteral(".scratch")),
            qPrintable(root));
        QVERIFY2(run.err.contains(QStringLiteral("ctestd: --keep-tmp: worker %1 left %2\n")
                                      .arg(logged.fields.value(QStringLiteral("id")), root)
                                      .toUtf8()),
            run.err.constData());
        QVERIFY(QDir(root).removeRecursively());
    }
}

// The same variables in the other modes: a build tree's test that ctestd
// runs as ctest would, and cases that ctest runs through the tree's daemon
// (ctestd case), where two groups running at once never share an id.
void TestWorkerLife::buildTreeAndDaemonToo()
{
    const QString program = gtestProgram(QStringLiteral("gt_ports"));
    const QString treeLog = m_dir.filePath(QStringLiteral("tree.log"));
    const QString tree = m_dir.filePath(QStringLiteral("tree"));
    QVERIFY(QDir().mkpath(tree));
    {
        QFile file(tree + QStringLiteral("/CTestTestfile.cmake"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("add_test(ports [==[%1]==] --gtest_filter=PortsA.*)\n"
                                  "set_tests_properties(ports PROPERTIES ENVIRONMENT "
                                  "[==[CTESTD_WORKER_LOG=%2;CTESTD_PORT_BASE=%3]==])\n")
                       .arg(program, treeLog)
                       .arg(freeLocalPort())
                       .toUtf8());
    }
    const CtestdRun run = runCtestd({QStringLiteral("--test-dir"), tree});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QVector<Logged> log = readWorkerLog(treeLog);
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.constFirst().fields.value(QStringLiteral("id")), QStringLiteral("0"));
    QCOMPARE(log.constFirst().fields.value(QStringLiteral("count")), QStringLiteral("1"));
    QVERIFY2(log.constFirst().fields.value(QStringLiteral("tmp")).contains(QStringLiteral("/ctestd-worker-0-")),
        qPrintable(log.constFirst().fields.value(QStringLiteral("tmp"))));

    const QString daemonTree = m_dir.filePath(QStringLiteral("daemon"));
    const QString daemonLog = m_dir.filePath(QStringLiteral("daemon.log"));
    const QString rendezvous = m_dir.filePath(QStringLiteral("daemon.rendezvous"));
    QVERIFY(QDir().mkpath(rendezvous));
    QString error;
    QVERIFY2(writeCaseTree(daemonTree,
                 {{QStringLiteral("PortsA.Bind"),
                      caseArguments(program, QStringLiteral("PortsA"), QStringLiteral("PortsA.Bind"))},
                     {QStringLiteral("PortsB.Bind"),
                         caseArguments(program, QStringLiteral("PortsB"), QStringLiteral("PortsB.Bind"))}},
                 &error),
        qPrintable(error));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The daemon takes its hooks from the environment of the ctest that
    // started it (or the tree's ctestd.ini).
    const QString daemonHooks = m_dir.filePath(QStringLiteral("daemon-hooks.log"));
    environment.insert(QStringLiteral("CTESTD_WORKER_SETUP"),
        QStringLiteral("echo \"setup $CTESTD_WORKER_ID $TMPDIR\" >> '%1'").arg(daemonHooks));
    environment.insert(QStringLiteral("CTESTD_WORKER_LOG"), daemonLog);
    environment.insert(QStringLiteral("CTESTD_PORT_BASE"), QString::number(freeLocalPort()));
    environment.insert(QStringLiteral("CTESTD_RENDEZVOUS"), rendezvous);
    const CtestdRun cases
        = runCtest(daemonTree, {QStringLiteral("-j2"), QStringLiteral("--output-on-failure")}, environment);
    stopTreeDaemon(daemonTree);
    QVERIFY2(cases.exitCode == 0, cases.out.constData());
    log = readWorkerLog(daemonLog);
    QCOMPARE(log.size(), 2);
    QSet<QString> ids;
    QFile hooks(daemonHooks);
    QVERIFY(hooks.open(QIODevice::ReadOnly));
    const QStringList setups = QString::fromUtf8(hooks.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const Logged &logged : log) {
        ids.insert(logged.fields.value(QStringLiteral("id")));
        QVERIFY2(logged.fields.value(QStringLiteral("tmp")).contains(QStringLiteral("/ctestd-worker-")),
            qPrintable(logged.fields.value(QStringLiteral("tmp"))));
        // Each group's worker ran the setup, with the TMPDIR its test saw.
        QVERIFY2(setups.contains(
                     QStringLiteral("setup %1 %2")
                         .arg(logged.fields.value(QStringLiteral("id")), logged.fields.value(QStringLiteral("tmp")))),
            qPrintable(setups.join(QLatin1Char('\n'))));
    }
    QCOMPARE(ids.size(), 2);
}

// The control: a port that ignores the id is one port for both workers,
// and the suite that binds second fails.
void TestWorkerLife::samePortFailsWithoutIds()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_SAME_PORT"), QStringLiteral("1"));
    const CtestdRun run = runPorts(QStringLiteral("same"), {}, environment);
    QCOMPARE(run.exitCode, 8);
    QCOMPARE(summaryLine(run.out), QStringLiteral("50% tests passed, 1 tests failed out of 2"));
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(QSet<QString>(statuses.cbegin(), statuses.cend()),
        (QSet<QString> {QStringLiteral("Passed"), QStringLiteral("***Failed")}));
    QCOMPARE(run.out.count(" in use: Address already in use"), 1);
}

// gt_killworker's KillWorker kills its worker twice; each replacement is
// worker 0 again, in a new process, and no worker's directory is left.
void TestWorkerLife::replacementKeepsTheId()
{
    QProcessEnvironment environment;
    const QString logPath = m_dir.filePath(QStringLiteral("killed.log"));
    environment.insert(QStringLiteral("CTESTD_WORKER_LOG"), logPath);
    const CtestdRun run
        = runCtestd({QStringLiteral("-j1"), gtestProgram(QStringLiteral("gt_killworker"))}, environment);
    QCOMPARE(run.exitCode, 8);
    QCOMPARE(consoleStatuses(run.out).value(QStringLiteral("Victim.KillWorker")),
        QStringLiteral("Worker lost***Exception:"));
    const QVector<Logged> log = readWorkerLog(logPath);
    QSet<QString> workers;
    for (const Logged &logged : log) {
        QCOMPARE(logged.fields.value(QStringLiteral("id")), QStringLiteral("0"));
        QCOMPARE(logged.fields.value(QStringLiteral("count")), QStringLiteral("1"));
        workers.insert(logged.fields.value(QStringLiteral("worker")));
        // A killed worker cannot remove its directory; the daemon did.
        const QString root = QFileInfo(logged.fields.value(QStringLiteral("tmp"))).path();
        QVERIFY2(!QFileInfo::exists(root), qPrintable(root));
    }
    // The group's worker, KillWorker's alone, and the one after it.
    QVERIFY2(workers.size() >= 3, qPrintable(QStringList(workers.cbegin(), workers.cend()).join(QLatin1Char(' '))));
}

void TestWorkerLife::hooksRunOncePerWorker()
{
    const QString hooks = m_dir.filePath(QStringLiteral("hooks.log"));
    const CtestdRun run = runPorts(QStringLiteral("hooked"),
        {QStringLiteral("--worker-setup"),
            QStringLiteral("echo \"setup $CTESTD_WORKER_ID $CTESTD_WORKER_COUNT $TMPDIR\" >> '%1'").arg(hooks),
            QStringLiteral("--worker-teardown"),
            QStringLiteral("echo \"teardown $CTESTD_WORKER_ID $CTESTD_WORKER_COUNT $TMPDIR\" >> '%1'").arg(hooks)});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QFile file(hooks);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    // Each worker: its setup before its teardown, with the TMPDIR its test had.
    for (const Logged &logged : readWorkerLog(m_dir.filePath(QStringLiteral("hooked.log")))) {
        const QString id = logged.fields.value(QStringLiteral("id"));
        const QString tail = QStringLiteral(" %1 2 %2").arg(id, logged.fields.value(QStringLiteral("tmp")));
        const int setup = int(lines.indexOf(QStringLiteral("setup") + tail));
        const int teardown = int(lines.indexOf(QStringLiteral("teardown") + tail));
        QVERIFY2(setup >= 0 && teardown > setup, qPrintable(lines.join(QLatin1Char('\n'))));
    }
}

// Ctrl-C while the tests run: every worker's teardown still runs.
void TestWorkerLife::teardownRunsAfterInterrupt()
{
    const QString hooks = m_dir.filePath(QStringLiteral("interrupted.log"));
    QProcess ctestd;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_COSTS"), QStringLiteral("off"));
    ctestd.setProcessEnvironment(environment);
    ctestd.start(QStringLiteral(CTESTD_EXECUTABLE),
        {QStringLiteral("-j2"), QStringLiteral("--worker-setup"),
            QStringLiteral("echo \"setup $CTESTD_WORKER_ID\" >> '%1'").arg(hooks), QStringLiteral("--worker-teardown"),
            QStringLiteral("echo \"teardown $CTESTD_WORKER_ID\" >> '%1'").arg(hooks),
            gtestProgram(QStringLiteral("gt_slow"))});
    QVERIFY(ctestd.waitForStarted(5000));
    const auto lines = [&hooks] {
        QFile file(hooks);
        return file.open(QIODevice::ReadOnly)
            ? QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)
            : QStringList();
    };
    // Both workers set up; their first 0.4 s cases are running.
    QTRY_COMPARE_WITH_TIMEOUT(lines().size(), 2, 20000);
    QTest::qWait(200);
    ::kill(pid_t(ctestd.processId()), SIGINT);
    QVERIFY2(ctestd.waitForFinished(20000), "ctestd did not stop after SIGINT");
    QCOMPARE(ctestd.exitCode(), 128 + SIGINT);
    QStringList seen = lines();
    seen.sort();
    QCOMPARE(seen,
        (QStringList {QStringLiteral("setup 0"), QStringLiteral("setup 1"), QStringLiteral("teardown 0"),
            QStringLiteral("teardown 1")}));
}

// Worker 1's setup fails: it is out of service, with the setup's output
// shown, and worker 0 runs every case.
void TestWorkerLife::failingSetupTakesOneWorkerOut()
{
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--worker-setup"),
        QStringLiteral("if [ \"$CTESTD_WORKER_ID\" = 1 ]; then echo 'no database for worker 1'; exit 3; fi"),
        gtestProgram(QStringLiteral("gt_fixtures"))});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    QVERIFY2(run.err.contains("ctestd: worker 1's setup failed (exit code 3):\nno database for worker 1\n"),
        run.err.constData());
}

// No worker passes its setup: every case is Not Run, with the setup's
// failure as the reason, and the run says no worker could start.
void TestWorkerLife::failingSetupEverywhereRunsNothing()
{
    const QString junit = m_dir.filePath(QStringLiteral("nosetup.xml"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), QStringLiteral("--output-junit"), junit, QStringLiteral("--worker-setup"),
            QStringLiteral("echo 'the database is down'; exit 5"), gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(summaryLine(run.out), QStringLiteral("0% tests passed, 23 tests failed out of 23"));
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.size(), 23);
    for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
        QCOMPARE(it.value(), QStringLiteral("***Not Run"));
    QVERIFY2(run.err.contains("setup failed (exit code 5):\nthe database is down\n"), run.err.constData());
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 23);
    for (const JUnitCase &testCase : report.cases) {
        QVERIFY2(testCase.message.contains(QStringLiteral("setup failed (exit code 5)")),
            qPrintable(testCase.name + QStringLiteral(": ") + testCase.message));
    }
}

// A setup that does not end within --hook-timeout is killed, with what it
// started, and counts as failed.
void TestWorkerLife::hungSetupIsStopped()
{
    const CtestdRun run = runCtestd(
        {QStringLiteral("-j1"), QStringLiteral("--hook-timeout"), QStringLiteral("1"), QStringLiteral("--worker-setup"),
            QStringLiteral("echo waiting for the database; sleep 60"), gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(summaryLine(run.out), QStringLiteral("0% tests passed, 23 tests failed out of 23"));
    QVERIFY2(run.err.contains("ctestd: worker 0's setup failed (no end within 1 s):\nwaiting for the database\n"),
        run.err.constData());
    QVERIFY2(run.seconds < 20, qPrintable(QString::number(run.seconds)));
}

// A teardown that fails is no test's failure: every case passes, the run
// warns, and its exit code says something went wrong, as a failed cleanup
// fixture does under ctest.
void TestWorkerLife::failingTeardownFailsTheRun()
{
    const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--worker-teardown"),
        QStringLiteral("echo 'cannot drop the database'; exit 4"), gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(run.exitCode, 8);
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    for (const char *worker : {"0", "1"}) {
        QVERIFY2(run.err.contains(QStringLiteral("ctestd: warning: worker %1's teardown failed (exit code 4):\n"
                                                 "cannot drop the database\n")
                                      .arg(QLatin1String(worker))
                                      .toUtf8()),
            run.err.constData());
    }
}

QTEST_GUILESS_MAIN(TestWorkerLife)
#include "tst_worker_life.moc"
