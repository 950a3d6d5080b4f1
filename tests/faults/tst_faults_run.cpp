// SPDX-License-Identifier: BSD-3-Clause
// The adversarial suite: the real ctestd on the programs of tests/faults/,
// which try to pass a failing case by printing their framework's own result
// markers, or to hide a crash behind them, write a megabyte without a newline
// before the framework's result line, name a suite with a space, or leave
// processes behind outside their process group. Each program runs as one process
// per fixture group (the default) and as one process per case; every status,
// the summary, the exit code and the JUnit file (checked with xmllint) must be
// exactly what the program's header comment says.
#include "runhelpers.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/types.h>

namespace {
QString faultProgram(const QString &name)
{
    return QDir(QStringLiteral(CTESTD_FAULT_DIR)).absoluteFilePath(name);
}

const QString passed = QStringLiteral("Passed");
const QString failed = QStringLiteral("***Failed");
const QString aborted = QStringLiteral("Subprocess aborted***Exception:");
} // namespace

class TestFaultsRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void hostilePrograms_data();
    void hostilePrograms();
    void noProcessOutlivesTheRun_data();
    void noProcessOutlivesTheRun();

private:
    QTemporaryDir m_dir;
};

using Statuses = QMap<QString, QString>;
Q_DECLARE_METATYPE(Statuses)

void TestFaultsRun::hostilePrograms_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<Statuses>("expected");

    QTest::newRow("gtest forged ok then abort")
        << QStringLiteral("fault_forged_abort_gtest")
        << Statuses {{QStringLiteral("Spoof.OkThenAborts"), aborted}, {QStringLiteral("Spoof.After"), passed}};
    QTest::newRow("gtest forged ok, then a later crash")
        << QStringLiteral("fault_forged_then_crash_gtest")
        << Statuses {{QStringLiteral("Spoof.ForgesOkThenFails"), failed}, {QStringLiteral("Spoof.Crashes"), aborted},
               {QStringLiteral("Spoof.After"), passed}};
    QTest::newRow("catch2 forged") << QStringLiteral("fault_forged_catch2")
                                   << Statuses {{QStringLiteral("honest"), passed},
                                          {QStringLiteral("forges ok before failing"), failed},
                                          {QStringLiteral("forges ok after failing"), failed},
                                          {QStringLiteral("forges next start"), failed},
                                          {QStringLiteral("honest tail"), passed}};
    QTest::newRow("catch2 forged ok then abort") << QStringLiteral("fault_forged_abort_catch2")
                                                 << Statuses {{QStringLiteral("forges ok then aborts"), aborted},
                                                        {QStringLiteral("honest after abort"), passed}};
    QTest::newRow("doctest forged") << QStringLiteral("fault_forged_doctest")
                                    << Statuses {{QStringLiteral("honest"), passed},
                                           {QStringLiteral("forges ok"), failed},
                                           {QStringLiteral("forges ok after failing"), failed},
                                           {QStringLiteral("forges skip"), failed},
                                           {QStringLiteral("honest tail"), passed}};
    QTest::newRow("doctest forged ok then abort") << QStringLiteral("fault_forged_abort_doctest")
                                                  << Statuses {{QStringLiteral("forges ok then aborts"), aborted},
                                                         {QStringLiteral("honest after abort"), passed}};
    QTest::newRow("qtest forged") << QStringLiteral("fault_forged_qtest")
                                  << Statuses {{QStringLiteral("honest"), passed},
                                         {QStringLiteral("forgesPass"), failed},
                                         {QStringLiteral("forgesPassAfterFailing"), failed},
                                         {QStringLiteral("forgesSkip"), failed},
                                         {QStringLiteral("honestTail"), passed}};
    QTest::newRow("qtest forged pass then abort")
        << QStringLiteral("fault_forged_abort_qtest")
        << Statuses {{QStringLiteral("forgesPassThenAborts"), aborted}, {QStringLiteral("honestAfterAbort"), passed}};
    QTest::newRow("gtest suite name with a space")
        << QStringLiteral("fault_names_gtest")
        << Statuses {{QStringLiteral("Typed.Works<Typed/a.  # TypeParam = int>"), passed},
               {QStringLiteral("Typed.Works<Typed/b c.  # TypeParam = long>"), failed},
               {QStringLiteral("Plain.Ok"), passed}};
    // 1 MiB without a newline, then the framework's result line on the same
    // line: the verdict stands (gtest's is tests/gtest/gt_output).
    QTest::newRow("catch2 long line") << QStringLiteral("fault_longline_catch2")
                                      << Statuses {{QStringLiteral("long line passes"), passed},
                                             {QStringLiteral("long line fails"), failed},
                                             {QStringLiteral("honest"), passed}};
    QTest::newRow("doctest long line") << QStringLiteral("fault_longline_doctest")
                                       << Statuses {{QStringLiteral("long line passes"), passed},
                                              {QStringLiteral("long line fails"), failed},
                                              {QStringLiteral("honest"), passed}};
    QTest::newRow("qtest long line") << QStringLiteral("fault_longline_qtest")
                                     << Statuses {{QStringLiteral("longLinePasses"), passed},
                                            {QStringLiteral("longLineFails"), failed},
                                            {QStringLiteral("honest"), passed}};
    QTest::newRow("boost long line") << QStringLiteral("fault_longline_boost")
                                     << Statuses {{QStringLiteral("longline/passes"), passed},
                                            {QStringLiteral("longline/fails"), failed},
                                            {QStringLiteral("longline/honest"), passed}};
    QTest::newRow("boost forged") << QStringLiteral("fault_forged_boost")
                                  << Statuses {{QStringLiteral("forged/honest"), passed},
                                         {QStringLiteral("forged/forges_ok"), failed},
                                         {QStringLiteral("forged/forges_skip"), failed},
                                         {QStringLiteral("forged/honest_tail"), passed}};
    QTest::newRow("boost forged ok then abort")
        << QStringLiteral("fault_forged_abort_boost")
        << Statuses {{QStringLiteral("forged_abort/forges_ok_then_aborts"), aborted},
               {QStringLiteral("forged_abort/honest_after_abort"), passed}};
}

void TestFaultsRun::hostilePrograms()
{
    QFETCH(QString, program);
    QFETCH(Statuses, expected);
    int failures = 0;
    for (const QString &status : qAsConst(expected))
        failures += status == passed ? 0 : 1;
    const int total = int(expected.size());

    for (const QString &groupBy : {QStringLiteral("suite"), QStringLiteral("case")}) {
        const QString junit = m_dir.filePath(QStringLiteral("%1-%2.xml").arg(program, groupBy));
        const CtestdRun run = runCtestd({QStringLiteral("-j2"), QStringLiteral("--group-by"), groupBy,
            QStringLiteral("--output-junit"), junit, faultProgram(program)});
        const QByteArray context = "--group-by " + groupBy.toUtf8() + ":\n" + run.out + run.err;
        QVERIFY2(!run.timedOut && !run.crashed, context.constData());
        QVERIFY2(run.exitCode == 8, context.constData());
        QVERIFY2(consoleStatuses(run.out) == expected, context.constData());
        QVERIFY2(resultLineCount(run.out) == total, context.constData());
        QCOMPARE(summaryLine(run.out),
            QStringLiteral("%1% tests passed, %2 tests failed out of %3")
                .arg(qRound(100.0 * (total - failures) / total)) // as ctest rounds it
                .arg(failures)
                .arg(total));

        const JUnitReport report = readJUnit(junit);
        QVERIFY2(report.valid, qPrintable(report.error));
        QCOMPARE(int(report.cases.size()), total);
        int junitFailures = 0;
        for (const JUnitCase &junitCase : report.cases)
            junitFailures += junitCase.outcome == QLatin1String("passed") ? 0 : 1;
        QCOMPARE(junitFailures, failures);

        QProcess xmllint;
        xmllint.start(QStringLiteral("xmllint"), {QStringLiteral("--noout"), junit});
        if (!xmllint.waitForStarted(5000))
            QFAIL("xmllint is not installed (Debian package libxml2-utils; ./test.sh installs it)");
        QVERIFY(xmllint.waitForFinished(30000));
        QCOMPARE(xmllint.exitCode(), 0);
    }
}

void TestFaultsRun::noProcessOutlivesTheRun_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("one process") << QStringList {QStringLiteral("-j1")};
    QTest::newRow("one per case") << QStringList {
        QStringLiteral("-j2"), QStringLiteral("--group-by"), QStringLiteral("case")};
}

void TestFaultsRun::noProcessOutlivesTheRun()
{
    // Each case leaves a `sleep 300` behind that left the test's process
    // group (setsid(), setpgid(0, 0)), so killing the group misses it. The
    // worker, a child subreaper, inherits and kills it when the test ends.
    QFETCH(QStringList, options);
    const QString pidFile = m_dir.filePath(QStringLiteral("orphans-%1.pid").arg(options.join(QString())));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_ORPHAN_PID_FILE"), pidFile);
    const CtestdRun run = runCtestd(options + QStringList {faultProgram(QStringLiteral("fault_orphan"))}, environment);

    QFile file(pidFile);
    QList<qint64> orphans;
    if (file.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.trimmed().toLongLong() > 0)
                orphans.append(line.trimmed().toLongLong());
        }
    }
    // Whatever the outcome, nothing of this test may stay behind.
    const auto tearDown = qScopeGuard([&orphans] {
        for (const qint64 pid : qAsConst(orphans)) {
            if (processAlive(pid))
                ::kill(pid_t(pid), SIGKILL);
        }
    });

    QVERIFY2(!run.timedOut && !run.crashed, run.err.constData());
    QCOMPARE(run.exitCode, 0);
    const Statuses expected {
        {QStringLiteral("Orphan.SetsidChild"), passed}, {QStringLiteral("Orphan.SetpgidChild"), passed}};
    QCOMPARE(consoleStatuses(run.out), expected);
    QCOMPARE(orphans.size(), 2);
    for (const qint64 pid : qAsConst(orphans))
        QTRY_VERIFY2_WITH_TIMEOUT(
            !processAlive(pid), qPrintable(QStringLiteral("pid %1 outlived the run").arg(pid)), 5000);
}

QTEST_GUILESS_MAIN(TestFaultsRun)
#include "tst_faults_run.moc"
