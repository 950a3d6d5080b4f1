// SPDX-License-Identifier: BSD-3-Clause
// --launcher (README, "Launchers"): the listing and every test process run
// under a wrapper. Real valgrind finds a real leak and it is blamed on the
// case that leaked, not on a neighbour; wrappers written here log how they
// were run, and one that does not exec its test still has its test's
// timeout enforced.
#include "runhelpers.h"

#include <QtTest>

class TestLauncher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void valgrindBlamesTheLeakingCase();
    void listingAndCasesRunUnderIt();
    void buildTreeTestsRunUnderIt();
    void runLauncherGoesBeforeTheRegistrations();
    void timeoutStillApplies();

private:
    // A launcher script: logs "$*" to `log`, then runs the rest, by exec or
    // as a child whose exit code it passes on.
    QString writeWrapper(const QString &name, const QString &log, bool exec);
    QStringList loggedLines(const QString &log) const;

    QTemporaryDir m_dir;
};

void TestLauncher::init()
{
    QVERIFY(m_dir.isValid());
}

QString TestLauncher::writeWrapper(const QString &name, const QString &log, bool exec)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    // Its own option, --tag, it takes off before it runs the rest.
    file.write(QStringLiteral("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '%1'\n[ \"$1\" = --tag ] && shift\n%2\n")
                   .arg(log, exec ? QStringLiteral("exec \"$@\"") : QStringLiteral("\"$@\"\nexit $?"))
                   .toUtf8());
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

QStringList TestLauncher::loggedLines(const QString &log) const
{
    QFile file(log);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// gt_leak's Leaks leaks 4 KiB; valgrind says so at exit, after every case
// passed, with --error-exitcode=99. The process's passes are withheld and
// run again until each case has had a process of its own: Leaks alone fails,
// with valgrind's report, and its neighbours pass.
void TestLauncher::valgrindBlamesTheLeakingCase()
{
    const QString valgrind = QStandardPaths::findExecutable(QStringLiteral("valgrind"));
    if (valgrind.isEmpty())
        QSKIP("valgrind is not installed (Debian: apt-get install valgrind); cmake/install-deps.sh installs it");
    const QString program = gtestProgram(QStringLiteral("gt_leak"));
    const QString junit = m_dir.filePath(QStringLiteral("leak.xml"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), QStringLiteral("--output-on-failure"), QStringLiteral("--output-junit"),
                        junit, QStringLiteral("--launcher"),
                        valgrind + QStringLiteral(" -q --leak-check=full --error-exitcode=99"), program},
            {}, 300000);
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {{QStringLiteral("Leak.Clean1"), QStringLiteral("Passed")},
        {QStringLiteral("Leak.Leaks"), QStringLiteral("***Failed")},
        {QStringLiteral("Leak.Clean2"), QStringLiteral("Passed")}};
    QCOMPARE(consoleStatuses(run.out), expected);
    // "definitely lost", or "possibly lost" when a stale pointer into the
    // block is left on the stack: valgrind fails the process either way.
    QVERIFY2(run.out.contains("4,096 bytes in 1 blocks are definitely lost")
            || run.out.contains("4,096 bytes in 1 blocks are possibly lost"),
        run.out.constData());
    QVERIFY2(run.out.contains("Leak_Leaks_Test::TestBody()"), run.out.constData());
    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    const JUnitCase *leaks = report.find(QStringLiteral("gt_leak.Leak"), QStringLiteral("Leaks"));
    QVERIFY(leaks);
    QVERIFY2(leaks->message.contains(QStringLiteral("test process exited with code 99 under the launcher ") + valgrind),
        qPrintable(leaks->message));

    // The control: without valgrind nothing fails.
    const CtestdRun plain = runCtestd({QStringLiteral("-j2"), program});
    QCOMPARE(plain.exitCode, 0);
}

void TestLauncher::listingAndCasesRunUnderIt()
{
    const QString log = m_dir.filePath(QStringLiteral("wrapped.log"));
    const QString wrapper = writeWrapper(QStringLiteral("wrap.sh"), log, true);
    QVERIFY(!wrapper.isEmpty());
    const QString program = gtestProgram(QStringLiteral("gt_fixtures"));
    const CtestdRun run
        = runCtestd({QStringLiteral("-j2"), QStringLiteral("--launcher"), wrapper + QStringLiteral(" --tag"), program});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(summaryLine(run.out), QStringLiteral("100% tests passed, 0 tests failed out of 23"));
    const QStringList lines = loggedLines(log);
    // The launcher's own words come first, then the program and its arguments.
    for (const QString &line : lines)
        QVERIFY2(line.startsWith(QStringLiteral("--tag ") + program + QLatin1Char(' ')), qPrintable(line));
    QCOMPARE(lines.filter(QStringLiteral("--gtest_list_tests")).size(), 1);
    QVERIFY2(lines.filter(QStringLiteral("--gtest_filter=Fx")).size() >= 4, qPrintable(lines.join(QLatin1Char('\n'))));
}

void TestLauncher::buildTreeTestsRunUnderIt()
{
    const QString log = m_dir.filePath(QStringLiteral("tree.log"));
    const QString wrapper = writeWrapper(QStringLiteral("tree-wrap.sh"), log, true);
    const QString tree = m_dir.filePath(QStringLiteral("tree"));
    QVERIFY(QDir().mkpath(tree));
    QFile file(tree + QStringLiteral("/CTestTestfile.cmake"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        QStringLiteral("add_test(hello [==[%1]==] one two)\n").arg(gtestProgram(QStringLiteral("not_gtest"))).toUtf8());
    file.close();
    const CtestdRun run = runCtestd({QStringLiteral("--test-dir"), tree, QStringLiteral("--launcher"), wrapper});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(consoleStatuses(run.out).value(QStringLiteral("hello")), QStringLiteral("Passed"));
    QCOMPARE(loggedLines(log), QStringList {gtestProgram(QStringLiteral("not_gtest")) + QStringLiteral(" one two")});
}

// A registered case's own launcher (ctestd_discover_tests passes the
// target's emulator as `ctestd case --launcher`) runs under the run's
// --launcher, as a build tree's command with its emulator does.
void TestLauncher::runLauncherGoesBeforeTheRegistrations()
{
    const QString outerLog = m_dir.filePath(QStringLiteral("outer.log"));
    const QString innerLog = m_dir.filePath(QStringLiteral("inner.log"));
    const QString outer = writeWrapper(QStringLiteral("outer.sh"), outerLog, true);
    const QString inner = writeWrapper(QStringLiteral("inner.sh"), innerLog, true);
    const QString program = gtestProgram(QStringLiteral("gt_fixtures"));
    const QString tree = m_dir.filePath(QStringLiteral("registered"));
    QString error;
    QVERIFY2(writeCaseTree(tree,
                 {{QStringLiteral("FxA.C1"),
                     caseArguments(program, QStringLiteral("FxA"), QStringLiteral("FxA.C1"),
                         {QStringLiteral("--launcher"), inner + QStringLiteral(" --tag")})}},
                 &error),
        qPrintable(error));
    const CtestdRun run = runCtestd({QStringLiteral("--test-dir"), tree, QStringLiteral("--launcher"), outer});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(consoleStatuses(run.out).value(QStringLiteral("FxA.C1")), QStringLiteral("Passed"));
    const QStringList outerLines = loggedLines(outerLog);
    QCOMPARE(outerLines.size(), 1);
    QVERIFY2(outerLines.constFirst().startsWith(inner + QStringLiteral(" --tag ") + program + QLatin1Char(' ')),
        qPrintable(outerLines.constFirst()));
    const QStringList innerLines = loggedLines(innerLog);
    QCOMPARE(innerLines.size(), 1);
    QVERIFY2(innerLines.constFirst().startsWith(QStringLiteral("--tag ") + program + QLatin1Char(' ')),
        qPrintable(innerLines.constFirst()));
}

// A wrapper that runs the test as its child: the case's timeout still kills
// the test (the whole process group), and blames the case that hung.
void TestLauncher::timeoutStillApplies()
{
    const QString log = m_dir.filePath(QStringLiteral("hang.log"));
    const QString wrapper = writeWrapper(QStringLiteral("child-wrap.sh"), log, false);
    const CtestdRun run = runCtestd({QStringLiteral("-j1"), QStringLiteral("--timeout"), QStringLiteral("2"),
        QStringLiteral("--launcher"), wrapper, gtestProgram(QStringLiteral("gt_hang"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> expected {{QStringLiteral("Hang.Quick"), QStringLiteral("Passed")},
        {QStringLiteral("Hang.Forever"), QStringLiteral("***Timeout")},
        {QStringLiteral("Hang.After"), QStringLiteral("Passed")}};
    QCOMPARE(consoleStatuses(run.out), expected);
    QVERIFY2(run.seconds < 30, qPrintable(QString::number(run.seconds)));
}

QTEST_GUILESS_MAIN(TestLauncher)
#include "tst_launcher.moc"
