// SPDX-License-Identifier: BSD-3-Clause
// Plain executables through the real ctestd: each is one case, decided by
// CTest's rules at exit (0 passes, 77 skips by the autotools convention, a
// signal is a crash, a timeout kills the process group), whether chosen with
// `--framework plain` or found by `auto` in a program of no framework.
#include "runhelpers.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

class TestPlainRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exitCodesSignalsAndTimeouts();
    void plainOverridesAFramework();

private:
    QString script(const QString &name, const QByteArray &body);
    QTemporaryDir m_dir;
};

void TestPlainRun::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QString TestPlainRun::script(const QString &name, const QByteArray &body)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write("#!/bin/sh\n" + body + '\n') < 0)
        return QString();
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

void TestPlainRun::exitCodesSignalsAndTimeouts()
{
    const QStringList programs {
        script(QStringLiteral("passes"), "echo fine"),
        script(QStringLiteral("fails"), "echo 'broken here' >&2; exit 3"),
        script(QStringLiteral("skips"), "echo 'not on this machine'; exit 77"),
        script(QStringLiteral("segfaults"), "kill -SEGV $$"),
        script(QStringLiteral("hangs"), "exec sleep 1000"),
    };
    QVERIFY(!programs.contains(QString()));
    const QString junit = m_dir.filePath(QStringLiteral("plain.xml"));
    const CtestdRun run = runCtestd(QStringList {QStringLiteral("-j2"), QStringLiteral("--timeout"),
                                        QStringLiteral("1"), QStringLiteral("--output-junit"), junit}
        + programs);
    QVERIFY(!run.timedOut);
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.size(), 5);
    QCOMPARE(statuses.value(QStringLiteral("passes")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("fails")), QStringLiteral("***Failed"));
    QCOMPARE(statuses.value(QStringLiteral("skips")), QStringLiteral("***Skipped"));
    QCOMPARE(statuses.value(QStringLiteral("segfaults")), QStringLiteral("***Exception: SegFault"));
    QCOMPARE(statuses.value(QStringLiteral("hangs")), QStringLiteral("***Timeout"));
    QCOMPARE(summaryLine(run.out), QStringLiteral("40% tests passed, 3 tests failed out of 5"));

    const JUnitReport report = readJUnit(junit);
    QVERIFY2(report.valid, qPrintable(report.error));
    QCOMPARE(report.cases.size(), 5);
    const JUnitCase *fails = report.find(QStringLiteral("fails"), QStringLiteral("fails"));
    QVERIFY(fails);
    QCOMPARE(fails->outcome, QStringLiteral("failure"));
    QVERIFY2(fails->systemOut.contains(QLatin1String("broken here")), qPrintable(fails->systemOut));
    const JUnitCase *skips = report.find(QStringLiteral("skips"), QStringLiteral("skips"));
    QVERIFY(skips);
    QCOMPARE(skips->outcome, QStringLiteral("skipped"));
    QCOMPARE(report.find(QStringLiteral("passes"), QStringLiteral("passes"))->outcome, QStringLiteral("passed"));
}

// `--framework plain` runs a GoogleTest program as one case, without listing
// it: the whole program passes or fails.
void TestPlainRun::plainOverridesAFramework()
{
    const CtestdRun run = runCtestd({QStringLiteral("--framework"), QStringLiteral("plain"),
        gtestProgram(QStringLiteral("gt_fixtures")), gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.size(), 2);
    QCOMPARE(statuses.value(QStringLiteral("gt_fixtures")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("gt_basic")), QStringLiteral("***Failed"));
}

QTEST_GUILESS_MAIN(TestPlainRun)
#include "tst_plain_run.moc"
