// SPDX-License-Identifier: BSD-3-Clause
// Workers on other hosts (--workers ssh:HOST), with real engines: two network
// namespaces made here, each with a veth link to this one and a real sshd
// (Debian's openssh-server) that accepts a key pair generated here. The
// coordinator listens on every interface and advertises an address added
// to this namespace's loopback, which both namespaces route to: cutting one
// namespace's link leaves the other's way to the coordinator alone.
//
// Needs root (namespaces, sshd) and the ip, sshd, ssh and ssh-keygen
// programs: without them every test is skipped with the reason, which ctest
// reports as Skipped (SKIP_REGULAR_EXPRESSION), never as a pass. Each test
// bounds its time; cleanupTestCase() kills the sshds by PID and deletes the
// namespaces and links, whatever happened before.
#include "model/buildidentity.h"
#include "runhelpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>
#include <unistd.h>

namespace {

struct Namespace {
    QString name; // ip netns name
    QString hostLink; // the veth end in our namespace
    QString hostAddress; // its address
    QString address; // the sshd's address inside the namespace
    std::unique_ptr<QProcess> sshd;
    // Bind-mounted over a path for sshd and its sessions only (the mount
    // namespace `ip netns exec` makes): another build at the same path.
    QString mountSource;
    QString mountTarget;
};

QString shellQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// Runs a command to its end (at most 20 s); false with its output on failure.
bool run(const QString &program, const QStringList &arguments, QString *error)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished(2000);
        *error = QStringLiteral("%1 %2: did not finish").arg(program, arguments.join(QLatin1Char(' ')));
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("%1 %2: %3")
                     .arg(program, arguments.join(QLatin1Char(' ')), QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    return true;
}

} // namespace

class TestRemoteWorkers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sshWorkersMatchALocalRun();
    void localAndSshWorkersMix();
    void refusedHostIsNamedAndTheRunGoesOn();
    void noHostLeftFailsWithItsName();
    void refusedKeyIsNamed();
    void cutLinkRunsItsCasesElsewhere();
    void anotherBuildRefusesTheHost();
    void restartBudgetIsPerHost();
    void onlyARefusedHostRunsNothing();
    void remoteWorkersNeedTcp();

private:
    QStringList sshOptions() const;
    QStringList remoteRun(
        const QString &workers, const QString &program, const QString &logVariable, const QString &log) const;
    QStringList fixturesRun(const QString &workers, const QString &log) const;
    bool startSshd(Namespace *ns, QString *error);

    QString m_skip; // why this host cannot run these tests
    QString m_coordinator; // the address workers connect to, on our loopback
    QTemporaryDir m_dir;
    QVector<Namespace *> m_namespaces;
};

void TestRemoteWorkers::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (::geteuid() != 0) {
        m_skip = QStringLiteral("needs root for network namespaces and sshd (CI runs as root)");
        return;
    }
    for (const QString &program : {QStringLiteral("ip"), QStringLiteral("ssh"), QStringLiteral("ssh-keygen")}) {
        if (QStandardPaths::findExecutable(program).isEmpty()) {
            m_skip = QStringLiteral("%1 is not installed").arg(program);
            return;
        }
    }
    if (!QFileInfo(QStringLiteral("/usr/sbin/sshd")).isExecutable()) {
        m_skip = QStringLiteral("/usr/sbin/sshd is not installed (Debian's openssh-server)");
        return;
    }

    QString error;
    const QString dir = m_dir.path();
    QVERIFY2(run(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                     QString(), QStringLiteral("-f"), dir + QStringLiteral("/id")},
                 &error),
        qPrintable(error));
    QVERIFY2(run(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                     QString(), QStringLiteral("-f"), dir + QStringLiteral("/hostkey")},
                 &error),
        qPrintable(error));
    QVERIFY(QFile::copy(dir + QStringLiteral("/id.pub"), dir + QStringLiteral("/authorized_keys")));
    QFile config(dir + QStringLiteral("/ssh_config"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("Host *\n  IdentityFile %1/id\n  IdentitiesOnly yes\n  UserKnownHostsFile /dev/null\n"
                                "  StrictHostKeyChecking no\n  LogLevel ERROR\n  ConnectTimeout 5\n  Port 2222\n")
                     .arg(dir)
                     .toUtf8());
    config.close();
    // sshd refuses to start without its privilege separation directory.
    QDir().mkpath(QStringLiteral("/run/sshd"));

    // Two /30 links in 10.213.x.0/24 (private, and unlikely to be in use).
    const int pid = int(::getpid());
    const int subnet = 1 + pid % 250;
    if (!run(QStringLiteral("ip"),
            {QStringLiteral("addr"), QStringLiteral("add"), QStringLiteral("10.213.%1.250/32").arg(subnet),
                QStringLiteral("dev"), QStringLiteral("lo")},
            &error)) {
        m_skip = QStringLiteral("cannot add an address here: %1").arg(error);
        return;
    }
    m_coordinator = QStringLiteral("10.213.%1.250").arg(subnet);
    // The third namespace's host sees gt_basic where gt_slow is.
    for (int i = 0; i < 3; ++i) {
        auto *ns = new Namespace;
        m_namespaces.append(ns);
        ns->name = QStringLiteral("ctestd-%1-%2").arg(pid).arg(i);
        ns->hostLink = QStringLiteral("ctd%1h%2").arg(pid % 100000).arg(i);
        const QString inside = QStringLiteral("ctd%1n%2").arg(pid % 100000).arg(i);
        ns->hostAddress = QStringLiteral("10.213.%1.%2").arg(subnet).arg(4 * i + 1);
        ns->address = QStringLiteral("10.213.%1.%2").arg(subnet).arg(4 * i + 2);
        const QString ip = QStringLiteral("ip");
        const QStringList inNs {QStringLiteral("netns"), QStringLiteral("exec"), ns->name, ip};
        const QVector<QStringList> steps {
            {QStringLiteral("netns"), QStringLiteral("add"), ns->name},
            {QStringLiteral("link"), QStringLiteral("add"), ns->hostLink, QStringLiteral("type"),
                QStringLiteral("veth"), QStringLiteral("peer"), QStringLiteral("name"), inside, QStringLiteral("netns"),
                ns->name},
            {QStringLiteral("addr"), QStringLiteral("add"), ns->hostAddress + QStringLiteral("/30"),
                QStringLiteral("dev"), ns->hostLink},
            {QStringLiteral("link"), QStringLiteral("set"), ns->hostLink, QStringLiteral("up")},
            inNs
                + QStringList {QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("lo"),
                    QStringLiteral("up")},
            inNs
                + QStringList {QStringLiteral("addr"), QStringLiteral("add"), ns->address + QStringLiteral("/30"),
                    QStringLiteral("dev"), inside},
            inNs + QStringList {QStringLiteral("link"), QStringLiteral("set"), inside, QStringLiteral("up")},
            // Every namespace reaches this side's addresses, the first
            // link's included (the address the coordinator advertises).
            inNs
                + QStringList {QStringLiteral("route"), QStringLiteral("add"), QStringLiteral("default"),
                    QStringLiteral("via"), ns->hostAddress},
        };
        for (const QStringList &step : steps) {
            if (!run(ip, step, &error)) {
                m_skip = QStringLiteral("cannot set up network namespaces here: %1").arg(error);
                return;
            }
        }
        if (i == 2) {
            ns->mountSource = gtestProgram(QStringLiteral("gt_basic"));
            ns->mountTarget = gtestProgram(QStringLiteral("gt_slow"));
        }
        QVERIFY2(startSshd(ns, &error), qPrintable(error));
    }
}

bool TestRemoteWorkers::startSshd(Namespace *ns, QString *error)
{
    const QString dir = m_dir.path();
    ns->sshd = std::make_unique<QProcess>();
    ns->sshd->setProcessChannelMode(QProcess::MergedChannels);
    QStringList sshd {QStringLiteral("/usr/sbin/sshd"), QStringLiteral("-D"), QStringLiteral("-e"),
        QStringLiteral("-f"), QStringLiteral("/dev/null"), QStringLiteral("-o"),
        QStringLiteral("ListenAddress=%1:2222").arg(ns->address), QStringLiteral("-o"),
        QStringLiteral("HostKey=%1/hostkey").arg(dir), QStringLiteral("-o"),
        QStringLiteral("AuthorizedKeysFile=%1/authorized_keys").arg(dir), QStringLiteral("-o"),
        QStringLiteral("PermitRootLogin=prohibit-password"), QStringLiteral("-o"), QStringLiteral("StrictModes=no"),
        QStringLiteral("-o"), QStringLiteral("PidFile=none"), QStringLiteral("-o"), QStringLiteral("UsePAM=no"),
        QStringLiteral("-o"), QStringLiteral("AcceptEnv=CTESTD_*")};
    if (!ns->mountSource.isEmpty()) {
        // sh execs sshd: the PID stays sshd's.
        QStringList words;
        for (const QString &word : qAsConst(sshd))
            words.append(shellQuoted(word));
        sshd = QStringList {QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("mount --bind %1 %2 && exec %3")
                .arg(shellQuoted(ns->mountSource), shellQuoted(ns->mountTarget), words.join(QLatin1Char(' ')))};
    }
    ns->sshd->start(
        QStringLiteral("ip"), QStringList {QStringLiteral("netns"), QStringLiteral("exec"), ns->name} + sshd);
    if (!ns->sshd->waitForStarted(5000)) {
        *error = QStringLiteral("sshd did not start: %1").arg(ns->sshd->errorString());
        return false;
    }
    // Ready once a client gets in.
    QString last;
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (run(QStringLiteral("ssh"), sshOptions() + QStringList {ns->address, QStringLiteral("true")}, &last))
            return true;
        if (ns->sshd->state() == QProcess::NotRunning)
            break;
        QThread::msleep(100);
    }
    *error = QStringLiteral("sshd in %1 did not accept the test's key: %2 %3")
                 .arg(ns->name, last, QString::fromLocal8Bit(ns->sshd->readAll()));
    return false;
}

void TestRemoteWorkers::cleanupTestCase()
{
    QString ignored;
    for (Namespace *ns : qAsConst(m_namespaces)) {
        // What the namespace still runs besides sshd (a worker whose link
        // was cut, an ssh session), by PID.
        QProcess pids;
        pids.start(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("pids"), ns->name});
        pids.waitForFinished(5000);
        for (const QByteArray &line : pids.readAllStandardOutput().split('\n')) {
            const qint64 pid = line.trimmed().toLongLong();
            if (pid > 1 && (!ns->sshd || pid != ns->sshd->processId()))
                ::kill(pid_t(pid), SIGKILL);
        }
        if (ns->sshd && ns->sshd->state() != QProcess::NotRunning) {
            // `ip netns exec` execs sshd: the PID is sshd's.
            ::kill(pid_t(ns->sshd->processId()), SIGTERM);
            if (!ns->sshd->waitForFinished(5000)) {
                ns->sshd->kill();
                ns->sshd->waitForFinished(5000);
            }
        }
        run(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("del"), ns->hostLink}, &ignored);
        run(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("del"), ns->name}, &ignored);
        delete ns;
    }
    m_namespaces.clear();
    if (!m_coordinator.isEmpty())
        run(QStringLiteral("ip"),
            {QStringLiteral("addr"), QStringLiteral("del"), m_coordinator + QStringLiteral("/32"),
                QStringLiteral("dev"), QStringLiteral("lo")},
            &ignored);
}

QStringList TestRemoteWorkers::sshOptions() const
{
    return {QStringLiteral("-F"), m_dir.filePath(QStringLiteral("ssh_config"))};
}

// ctestd's arguments for a run of the gtest program `program` with
// `workers`. A remote worker's tests see the remote login's environment, not
// ctestd's: `logVariable`=`log` goes through ssh's SetEnv, as a user would
// pass a variable.
QStringList TestRemoteWorkers::remoteRun(
    const QString &workers, const QString &program, const QString &logVariable, const QString &log) const
{
    return {QStringLiteral("--workers"), workers, QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"),
        QStringLiteral("--advertise"), m_coordinator, QStringLiteral("--ssh-command"),
        QStringLiteral("ssh %1 -o SetEnv=%2=%3").arg(sshOptions().join(QLatin1Char(' ')), logVariable, log),
        gtestProgram(program)};
}

QStringList TestRemoteWorkers::fixturesRun(const QString &workers, const QString &log) const
{
    return remoteRun(workers, QStringLiteral("gt_fixtures"), QStringLiteral("CTESTD_FIXTURE_LOG"), log);
}

namespace {

QProcessEnvironment fixtureLogEnvironment(const QString &log)
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    return environment;
}

} // namespace

void TestRemoteWorkers::sshWorkersMatchALocalRun()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    const QString localLog = m_dir.filePath(QStringLiteral("local.log"));
    const CtestdRun local = runCtestd(
        {QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_fixtures"))}, fixtureLogEnvironment(localLog), 60000);
    QVERIFY2(local.exitCode == 0, local.out.constData());

    // Each sshd logs "Accepted publickey" per session (-e): what it said
    // before this run is set aside, so the sessions counted are this run's.
    for (Namespace *ns : qAsConst(m_namespaces))
        ns->sshd->readAll();
    const QString log = m_dir.filePath(QStringLiteral("ssh.log"));
    const QString workers = QStringLiteral("ssh:%1,ssh:%2").arg(m_namespaces[0]->address, m_namespaces[1]->address);
    const CtestdRun remote = runCtestd(fixturesRun(workers, log), fixtureLogEnvironment(log), 60000);
    QVERIFY2(!remote.timedOut, remote.err.constData());
    QVERIFY2(remote.exitCode == 0, (remote.out + remote.err).constData());
    QCOMPARE(consoleStatuses(remote.out), consoleStatuses(local.out));
    QCOMPARE(resultLineCount(remote.out), 23);
    QCOMPARE(summaryLine(remote.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));

    // Fixtures once per group, as locally.
    const auto entries = readFixtureLog(log);
    for (const QString &suite :
        {QStringLiteral("FxA"), QStringLiteral("FxB"), QStringLiteral("FxC"), QStringLiteral("FxD")}) {
        QCOMPARE(entries.value({suite, QStringLiteral("setup")}).size(), 1);
        QCOMPARE(entries.value({suite, QStringLiteral("teardown")}), entries.value({suite, QStringLiteral("setup")}));
    }
    for (int i = 0; i < m_namespaces.size(); ++i) {
        QProcess *sshd = m_namespaces[i]->sshd.get();
        sshd->waitForReadyRead(500);
        const int sessions = QString::fromLocal8Bit(sshd->readAll()).count(QStringLiteral("Accepted publickey"));
        QVERIFY2(sessions >= 1, qPrintable(QStringLiteral("no worker session in %1").arg(m_namespaces[i]->name)));
    }
}

void TestRemoteWorkers::localAndSshWorkersMix()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    const QString log = m_dir.filePath(QStringLiteral("mix.log"));
    const CtestdRun run = runCtestd(fixturesRun(QStringLiteral("local,ssh:%1").arg(m_namespaces[1]->address), log),
        fixtureLogEnvironment(log), 60000);
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(resultLineCount(run.out), 23);
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    m_namespaces[1]->sshd->waitForReadyRead(500);
    QVERIFY(QString::fromLocal8Bit(m_namespaces[1]->sshd->readAll()).contains(QStringLiteral("Accepted publickey")));
}

void TestRemoteWorkers::refusedHostIsNamedAndTheRunGoesOn()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    // Nothing listens on the first link's address on this side: ssh is refused.
    const QString refused = m_namespaces[0]->hostAddress;
    const QString log = m_dir.filePath(QStringLiteral("refused.log"));
    const CtestdRun run = runCtestd(QStringList {QStringLiteral("--max-worker-restarts"), QStringLiteral("0")}
            + fixturesRun(QStringLiteral("ssh:%1,local").arg(refused), log),
        fixtureLogEnvironment(log), 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    QVERIFY2(run.err.contains(QStringLiteral("ssh:%1: ").arg(refused).toUtf8()), run.err.constData());
}

void TestRemoteWorkers::noHostLeftFailsWithItsName()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    const QString refused = m_namespaces[0]->hostAddress;
    const QString log = m_dir.filePath(QStringLiteral("none.log"));
    const CtestdRun run = runCtestd(QStringList {QStringLiteral("--max-worker-restarts"), QStringLiteral("1")}
            + fixturesRun(QStringLiteral("ssh:%1").arg(refused), log),
        fixtureLogEnvironment(log), 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    // Nothing could start anywhere: a set-up error, said once, exit code 1.
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("ctestd: no worker could be started: ssh:%1: worker exited with code 255 "
                                             "before it connected")
                                  .arg(refused)
                                  .toUtf8()),
        run.err.constData());
    // Every case is reported, none passed, and the reason names the host.
    QCOMPARE(resultLineCount(run.out), 23);
    QCOMPARE(summaryLine(run.out), QStringLiteral("0% tests passed, 23 tests failed out of 23"));
    QVERIFY2(run.out.contains(
                 QStringLiteral("ssh:%1: worker exited with code 255 before it connected").arg(refused).toUtf8())
            || run.err.contains(
                QStringLiteral("ssh:%1: worker exited with code 255 before it connected").arg(refused).toUtf8()),
        (run.out + run.err).constData());
}

void TestRemoteWorkers::cutLinkRunsItsCasesElsewhere()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    Namespace *cut = m_namespaces[0];
    const QString log = m_dir.filePath(QStringLiteral("slow.log"));
    QProcess ctestd;
    ctestd.setProgram(QStringLiteral(CTESTD_EXECUTABLE));
    ctestd.setArguments(QStringList {QStringLiteral("--heartbeat-timeout"), QStringLiteral("2")}
        + remoteRun(QStringLiteral("ssh:%1,ssh:%2").arg(cut->address, m_namespaces[1]->address),
            QStringLiteral("gt_slow"), QStringLiteral("CTESTD_SLOW_LOG"), log));
    ctestd.start();
    QVERIFY(ctestd.waitForStarted(5000));

    // Cut the first namespace's link once a case has ended there: its worker
    // is then in the middle of its unit.
    QString error;
    QElapsedTimer clock;
    clock.start();
    bool cutDone = false;
    while (!cutDone && clock.elapsed() < 20000 && ctestd.state() == QProcess::Running) {
        QFile file(log);
        if (file.open(QIODevice::ReadOnly) && file.readAll().count('\n') >= 2) {
            QVERIFY2(
                run(QStringLiteral("ip"),
                    {QStringLiteral("link"), QStringLiteral("set"), cut->hostLink, QStringLiteral("down")}, &error),
                qPrintable(error));
            cutDone = true;
        }
        ctestd.waitForFinished(50);
    }
    QVERIFY2(cutDone, "no case ended before the run did");
    const bool finished = ctestd.waitForFinished(60000);
    // The link comes back for the other tests, whatever happened.
    run(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("set"), cut->hostLink, QStringLiteral("up")},
        &error);
    if (!finished)
        ctestd.kill();
    QVERIFY2(finished, "the run hung after the link was cut");
    const QByteArray out = ctestd.readAllStandardOutput();
    const QByteArray err = ctestd.readAllStandardError();
    // Every case reported once, all passed: the cut worker's cases ran again
    // on the other host, none blamed for the network.
    QVERIFY2(ctestd.exitCode() == 0, (out + err).constData());
    QCOMPARE(resultLineCount(out), 16);
    QCOMPARE(summaryLine(out), QStringLiteral("100% tests passed, 0 tests failed out of 16"));
    QVERIFY2(err.contains(QStringLiteral("ssh:%1: no answer to the heartbeat for 2 s").arg(cut->address).toUtf8()),
        err.constData());
}

void TestRemoteWorkers::anotherBuildRefusesTheHost()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    // gt_slow takes 6.4 s on one worker: the ssh workers connect and are
    // given units long before the local one is done.
    const QString other = m_namespaces[2]->address;
    const QString log = m_dir.filePath(QStringLiteral("other-build.log"));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_SLOW_LOG"), log);
    const CtestdRun run = runCtestd(remoteRun(QStringLiteral("ssh:%1*2,local").arg(other), QStringLiteral("gt_slow"),
                                        QStringLiteral("CTESTD_SLOW_LOG"), log),
        environment, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    // Nothing ran on the host with the other build: every case passed on
    // the local worker, once.
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    QCOMPARE(resultLineCount(run.out), 16);
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 16"));
    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 16);
    QString error;
    const QString buildHere = ctestd::buildIdentity(gtestProgram(QStringLiteral("gt_slow")), &error);
    const QString buildThere = ctestd::buildIdentity(gtestProgram(QStringLiteral("gt_basic")), &error);
    QVERIFY(buildHere.startsWith(QStringLiteral("gnu-build-id:")));
    QVERIFY(buildHere != buildThere);
    const QString refusal = QStringLiteral("ssh:%1: refused: %2 is another build here (%3, the coordinator listed %4)")
                                .arg(other, gtestProgram(QStringLiteral("gt_slow")), buildThere, buildHere);
    QVERIFY2(run.err.contains(refusal.toUtf8()), run.err.constData());
}

void TestRemoteWorkers::refusedKeyIsNamed()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    // ssh offers a key the server does not know: the host is named with
    // ssh's own words, nothing runs, and ctestd exits 1.
    const QString dir = m_dir.path();
    QString error;
    QVERIFY2(run(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                     QString(), QStringLiteral("-f"), dir + QStringLiteral("/stranger")},
                 &error),
        qPrintable(error));
    QFile config(dir + QStringLiteral("/ssh_config_stranger"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("Host *\n  IdentityFile %1/stranger\n  IdentitiesOnly yes\n"
                                "  UserKnownHostsFile /dev/null\n  StrictHostKeyChecking no\n  LogLevel ERROR\n"
                                "  ConnectTimeout 5\n  Port 2222\n")
                     .arg(dir)
                     .toUtf8());
    config.close();
    const QString host = m_namespaces[1]->address;
    const CtestdRun run = runCtestd(
        {QStringLiteral("--workers"), QStringLiteral("ssh:%1").arg(host), QStringLiteral("--max-worker-restarts"),
            QStringLiteral("0"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"), QStringLiteral("--advertise"),
            m_coordinator, QStringLiteral("--ssh-command"), QStringLiteral("ssh -F %1").arg(config.fileName()),
            gtestProgram(QStringLiteral("gt_fixtures"))},
        {}, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out.count("***Not Run"), 23);
    QVERIFY2(run.err.contains(QStringLiteral("ctestd: no worker could be started: ssh:%1: worker exited with code 255 "
                                             "before it connected (root@%1: Permission denied (publickey")
                                  .arg(host)
                                  .toUtf8()),
        run.err.constData());
}

void TestRemoteWorkers::restartBudgetIsPerHost()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    // An unreachable host spends its 2 restarts while the local worker runs
    // gt_hang (2 s); then gt_killworker kills the local worker twice, and
    // the local worker's own 2 restarts replace it. One budget for the run
    // would have been spent by the unreachable host.
    const QString refused = m_namespaces[0]->hostAddress;
    const QString log = m_dir.filePath(QStringLiteral("budget.log"));
    QStringList arguments {QStringLiteral("-j1"), QStringLiteral("--max-worker-restarts"), QStringLiteral("2"),
        QStringLiteral("--timeout"), QStringLiteral("2")};
    arguments += remoteRun(QStringLiteral("ssh:%1,local").arg(refused), QStringLiteral("gt_hang"),
        QStringLiteral("CTESTD_FIXTURE_LOG"), log);
    arguments.removeAll(QStringLiteral("-j1")); // --workers gives the count
    arguments.append(gtestProgram(QStringLiteral("gt_killworker")));
    const CtestdRun run = runCtestd(arguments, {}, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QCOMPARE(consoleStatuses(run.out), hangAndKillWorkerStatuses());
    QCOMPARE(run.exitCode, 8);
    // The unreachable host was tried three times: once, then its 2 restarts.
    QCOMPARE(run.err.count(QStringLiteral("ssh:%1: ssh: connect to host").arg(refused).toUtf8()), 3);
}

void TestRemoteWorkers::onlyARefusedHostRunsNothing()
{
    if (!m_skip.isEmpty())
        QSKIP(qPrintable(m_skip));
    const QString other = m_namespaces[2]->address;
    const QString log = m_dir.filePath(QStringLiteral("only-other-build.log"));
    const CtestdRun run = runCtestd(remoteRun(QStringLiteral("ssh:%1").arg(other), QStringLiteral("gt_slow"),
                                        QStringLiteral("CTESTD_SLOW_LOG"), log),
        {}, 60000);
    QVERIFY2(!run.timedOut, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(resultLineCount(run.out), 16);
    QCOMPARE(summaryLine(run.out), QStringLiteral("0% tests passed, 16 tests failed out of 16"));
    QCOMPARE(run.out.count("***Not Run"), 16);
    QVERIFY2(run.err.contains(QStringLiteral("ssh:%1: refused: ").arg(other).toUtf8()), run.err.constData());
    QVERIFY2(
        run.err.contains(QStringLiteral("ctestd: no worker could be started: ssh:%1: refused: ").arg(other).toUtf8()),
        run.err.constData());
    // Nothing ran there.
    QVERIFY(!QFile::exists(log));
}

void TestRemoteWorkers::remoteWorkersNeedTcp()
{
    // No engine needed: the options are refused before anything starts.
    const CtestdRun run = runCtestd(
        {QStringLiteral("--workers"), QStringLiteral("ssh:build7*2"), gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("--workers ssh:build7: workers on other hosts connect over TCP; give --listen HOST:PORT"),
        run.err.constData());
    const CtestdRun both = runCtestd({QStringLiteral("-j2"), QStringLiteral("--workers"), QStringLiteral("local*2"),
        gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(both.exitCode, 1);
    QVERIFY2(both.err.contains("give -j or --workers, not both"), both.err.constData());
    const CtestdRun bad = runCtestd(
        {QStringLiteral("--workers"), QStringLiteral("ftp:x"), gtestProgram(QStringLiteral("gt_fixtures"))});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("--workers: 'ftp:x' is not ENGINE[:HOST][*N] (engines: local, ssh, srun, cmd)"),
        bad.err.constData());
}

QTEST_GUILESS_MAIN(TestRemoteWorkers)
#include "tst_remote_workers.moc"
