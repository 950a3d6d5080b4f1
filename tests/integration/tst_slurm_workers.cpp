// SPDX-License-Identifier: BSD-3-Clause
// Workers started through Slurm (--workers srun*N), with a real single-node
// Slurm that this test starts: munged with a key it makes, slurmctld and
// slurmd with a configuration it writes (free ports, its own state and spool
// directories, no cgroups), all found through SLURM_CONF. It needs root
// (slurmd runs jobs as any user) and Debian's slurm-wlm and munge: without
// them every test is skipped with the reason, which ctest reports as Skipped.
// cleanupTestCase() stops the three daemons by PID.
#include "runhelpers.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>
#include <unistd.h>

class TestSlurmWorkers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void srunWorkersMatchALocalRun();
    void srunMissingIsNamed();

private:
    std::unique_ptr<QProcess> startDaemon(const QString &program, const QStringList &arguments);
    QProcessEnvironment slurmEnvironment() const;

    QString m_skip;
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_daemons; // munged, slurmctld, slurmd
};

QProcessEnvironment TestSlurmWorkers::slurmEnvironment() const
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("SLURM_CONF"), m_dir.filePath(QStringLiteral("slurm.conf")));
    return environment;
}

std::unique_ptr<QProcess> TestSlurmWorkers::startDaemon(const QString &program, const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(slurmEnvironment());
    process->setProcessEnvironment(environment);
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setStandardOutputFile(m_dir.filePath(QFileInfo(program).fileName() + QStringLiteral(".out")));
    process->start(program, arguments);
    return process->waitForStarted(5000) ? std::move(process) : nullptr;
}

void TestSlurmWorkers::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (::geteuid() != 0) {
        m_skip = QStringLiteral("needs root for slurmd (CI runs as root)");
        return;
    }
    for (const QString &program : {QStringLiteral("srun"), QStringLiteral("sinfo")}) {
        if (QStandardPaths::findExecutable(program).isEmpty()) {
            m_skip = QStringLiteral("%1 is not installed (Debian's slurm-wlm)").arg(program);
            return;
        }
    }
    for (const QString &program : {QStringLiteral("/usr/sbin/munged"), QStringLiteral("/usr/sbin/slurmctld"),
             QStringLiteral("/usr/sbin/slurmd")}) {
        if (!QFileInfo(program).isExecutable()) {
            m_skip = QStringLiteral("%1 is not installed (Debian's slurm-wlm and munge)").arg(program);
            return;
        }
    }

    const QString dir = m_dir.path();
    QVERIFY(QDir(dir).mkpath(QStringLiteral("state")));
    QVERIFY(QDir(dir).mkpath(QStringLiteral("spool")));
    // munged wants a private key of at least 32 bytes.
    QFile key(dir + QStringLiteral("/munge.key"));
    QVERIFY(key.open(QIODevice::WriteOnly));
    QFile random(QStringLiteral("/dev/urandom"));
    QVERIFY(random.open(QIODevice::ReadOnly));
    key.write(random.read(1024));
    key.close();
    QVERIFY(key.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));

    const QString host = QHostInfo::localHostName().section(QLatin1Char('.'), 0, 0);
    const quint16 controllerPort = freeLocalPort();
    const quint16 daemonPort = freeLocalPort();
    QVERIFY(controllerPort != 0 && daemonPort != 0 && controllerPort != daemonPort);
    QFile config(dir + QStringLiteral("/slurm.conf"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("ClusterName=ctestd\n"
                                "SlurmctldHost=%1(127.0.0.1)\n"
                                "SlurmUser=root\nSlurmdUser=root\n"
                                "SlurmctldPort=%2\nSlurmdPort=%3\n"
                                "AuthType=auth/munge\nAuthInfo=socket=%4/munge.sock\nCredType=cred/munge\n"
                                "StateSaveLocation=%4/state\nSlurmdSpoolDir=%4/spool\n"
                                "SlurmctldPidFile=%4/slurmctld.pid\nSlurmdPidFile=%4/slurmd.pid\n"
                                "SlurmctldLogFile=%4/slurmctld.log\nSlurmdLogFile=%4/slurmd.log\n"
                                "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
                                "ReturnToService=2\nSchedulerType=sched/builtin\n"
                                "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\nMpiDefault=none\n"
                                "JobAcctGatherType=jobacct_gather/none\nAccountingStorageType=accounting_storage/none\n"
                                "NodeName=%1 NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN\n"
                                "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP "
                                "OverSubscribe=FORCE:4\n")
                     .arg(host)
                     .arg(controllerPort)
                     .arg(daemonPort)
                     .arg(dir)
                     .toUtf8());
    config.close();

    const QString conf = dir + QStringLiteral("/slurm.conf");
    auto munged = startDaemon(QStringLiteral("/usr/sbin/munged"),
        {QStringLiteral("--force"), QStringLiteral("-F"), QStringLiteral("--key-file=%1/munge.key").arg(dir),
            QStringLiteral("--socket=%1/munge.sock").arg(dir), QStringLiteral("--pid-file=%1/munged.pid").arg(dir),
            QStringLiteral("--log-file=%1/munged.log").arg(dir), QStringLiteral("--seed-file=%1/munge.seed").arg(dir)});
    QVERIFY2(munged, "munged did not start");
    m_daemons.push_back(std::move(munged));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir + QStringLiteral("/munge.sock")), 10000);
    auto controller
        = startDaemon(QStringLiteral("/usr/sbin/slurmctld"), {QStringLiteral("-D"), QStringLiteral("-f"), conf});
    QVERIFY2(controller, "slurmctld did not start");
    m_daemons.push_back(std::move(controller));
    auto daemon = startDaemon(QStringLiteral("/usr/sbin/slurmd"), {QStringLiteral("-D"), QStringLiteral("-f"), conf});
    QVERIFY2(daemon, "slurmd did not start");
    m_daemons.push_back(std::move(daemon));

    // Ready once the node is idle.
    QString state;
    for (int attempt = 0; attempt < 100 && state != QLatin1String("idle"); ++attempt) {
        QProcess sinfo;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(slurmEnvironment());
        sinfo.setProcessEnvironment(environment);
        sinfo.start(QStringLiteral("sinfo"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%t")});
        sinfo.waitForFinished(5000);
        state = QString::fromUtf8(sinfo.readAllStandardOutput()).trimmed();
        if (state != QLatin1String("idle"))
            QThread::msleep(200);
    }
    QVERIFY2(state == QLatin1String("idle"),
        qPrintable(QStringLiteral("the Slurm node is '%1', not idle; see %2").arg(state, dir)));
}

void TestSlurmWorkers::cleanupTestCase()
{
    // slurmd, slurmctld, then munged: by PID, TERM first.
    for (auto it = m_daemons.rbegin(); it != m_daemons.rend(); ++it) {
        QProcess *daemon = it->get();
        if (daemon->state() == QProcess::NotRunning)
            continue;
        ::kill(pid_t(daemon->processId()), SIGTERM);
        if (!daemon->waitForFinished(10000)) {
            daemon->kill();
            daemon->waitForFinished(5000);
        }
    }
    m_daemons.clear();
}

void TestSlurmWorkers::srunWorkersMatchALocalRun()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    const QString localLog = m_dir.filePath(QStringLiteral("local.log"));
    QProcessEnvironment localEnvironment;
    localEnvironment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), localLog);
    const CtestdRun local
        = runCtestd({QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_fixtures"))}, localEnvironment, 60000);
    QVERIFY2(local.exitCode == 0, local.out.constData());

    // srun passes its environment on: the fixture log reaches the tests.
    const QString log = m_dir.filePath(QStringLiteral("srun.log"));
    QProcessEnvironment environment = slurmEnvironment();
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    const CtestdRun run = runCtestd({QStringLiteral("--workers"), QStringLiteral("srun*2"), QStringLiteral("--listen"),
                                        QStringLiteral("127.0.0.1:0"), gtestProgram(QStringLiteral("gt_fixtures"))},
        environment, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(consoleStatuses(run.out), consoleStatuses(local.out));
    QCOMPARE(resultLineCount(run.out), 23);
    const auto entries = readFixtureLog(log);
    for (const QString &suite :
        {QStringLiteral("FxA"), QStringLiteral("FxB"), QStringLiteral("FxC"), QStringLiteral("FxD")}) {
        QCOMPARE(entries.value({suite, QStringLiteral("setup")}).size(), 1);
        QCOMPARE(entries.value({suite, QStringLiteral("teardown")}), entries.value({suite, QStringLiteral("setup")}));
    }
    // Two job steps ran: the workers were Slurm's.
    QFile controllerLog(m_dir.filePath(QStringLiteral("slurmctld.log")));
    QVERIFY(controllerLog.open(QIODevice::ReadOnly));
    QVERIFY2(controllerLog.readAll().count("sched: _slurm_rpc_allocate_resources") >= 2,
        "slurmctld allocated fewer than two jobs");
}

void TestSlurmWorkers::srunMissingIsNamed()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    // No srun on the PATH: the engine is named, and nothing runs.
    QProcessEnvironment environment = slurmEnvironment();
    environment.insert(QStringLiteral("PATH"), m_dir.path());
    const CtestdRun run = runCtestd(
        {QStringLiteral("--workers"), QStringLiteral("srun"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--max-worker-restarts"), QStringLiteral("0"), gtestProgram(QStringLiteral("gt_fixtures"))},
        environment, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out.count("***Not Run"), 23);
    QVERIFY2(run.err.contains("ctestd: no worker could be started: cannot start worker srun:"), run.err.constData());
}

QTEST_GUILESS_MAIN(TestSlurmWorkers)
#include "tst_slurm_workers.moc"
