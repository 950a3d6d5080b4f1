// SPDX-License-Identifier: BSD-3-Clause
// Defaults from a file (README, "Defaults from a file"): a build tree's
// ctestd.ini, under the environment and the command line, as the real
// ctestd reads them, printed by --show-config and applied to real runs.
#include "runhelpers.h"

#include <QtTest>

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void commandLineOverEnvironmentOverFile();
    void fileSettingsApplyToTheRun();
    void buildTreeFile();
    void badFilesAreRefused_data();
    void badFilesAreRefused();

private:
    // A folder holding ctestd.ini with `text`.
    QString folderWithFile(const QString &name, const QByteArray &text);
    CtestdRun runIn(const QString &folder, const QStringList &arguments, const QProcessEnvironment &extra = {});
    // --show-config's line for `setting`: "value  (source)".
    static QString shown(const QByteArray &out, const QString &setting);

    QTemporaryDir m_dir;
};

void TestSettings::init()
{
    QVERIFY(m_dir.isValid());
}

QString TestSettings::folderWithFile(const QString &name, const QByteArray &text)
{
    const QString folder = m_dir.filePath(name);
    QDir().mkpath(folder);
    QFile file(folder + QStringLiteral("/ctestd.ini"));
    if (file.open(QIODevice::WriteOnly))
        file.write(text);
    return folder;
}

CtestdRun TestSettings::runIn(const QString &folder, const QStringList &arguments, const QProcessEnvironment &extra)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CTESTD_COSTS"), QStringLiteral("off"));
    // Only what the test sets: none of the settings' variables leak in.
    for (const char *name : {"CTEST_PARALLEL_LEVEL", "CTESTD_TIMEOUT", "CTESTD_GROUP_BY", "CTESTD_LISTEN",
             "CTESTD_WORKER_SETUP", "CTESTD_WORKER_TEARDOWN", "CTESTD_HOOK_TIMEOUT", "CTESTD_LAUNCHER",
             "CTESTD_KEEP_TMP", "CTESTD_ISOLATE_WORKDIR"})
        environment.remove(QLatin1String(name));
    environment.insert(extra);
    return runProgram(QStringLiteral(CTESTD_EXECUTABLE), arguments, environment, folder, 120000);
}

QString TestSettings::shown(const QByteArray &out, const QString &setting)
{
    for (const QByteArray &line : out.split('\n')) {
        if (line.startsWith(setting.toUtf8() + ' '))
            return QString::fromUtf8(line.mid(setting.size())).simplified();
    }
    return QString();
}

void TestSettings::commandLineOverEnvironmentOverFile()
{
    const QString folder = folderWithFile(QStringLiteral("precedence"),
        "[ctestd]\ntimeout = 30\ngroup-by = case\nworker-setup = echo file, with a comma\nparallel = 3\n"
        "keep-tmp = yes\n");
    const QString file = folder + QStringLiteral("/ctestd.ini");
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CTESTD_TIMEOUT"), QStringLiteral("20"));
    environment.insert(QStringLiteral("CTESTD_WORKER_SETUP"), QStringLiteral("echo environment"));
    const CtestdRun run = runIn(folder,
        {QStringLiteral("--show-config"), QStringLiteral("--timeout"), QStringLiteral("10"),
            gtestProgram(QStringLiteral("gt_basic"))},
        environment);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(shown(run.out, QStringLiteral("timeout")), QStringLiteral("10 (command line)"));
    QCOMPARE(shown(run.out, QStringLiteral("worker-setup")),
        QStringLiteral("echo environment (environment CTESTD_WORKER_SETUP)"));
    QCOMPARE(shown(run.out, QStringLiteral("group-by")), QStringLiteral("case (%1)").arg(file));
    QCOMPARE(shown(run.out, QStringLiteral("parallel")), QStringLiteral("3 (%1)").arg(file));
    QCOMPARE(shown(run.out, QStringLiteral("keep-tmp")), QStringLiteral("true (%1)").arg(file));
    QCOMPARE(shown(run.out, QStringLiteral("listen")), QStringLiteral("a private local socket (default)"));
    QCOMPARE(shown(run.out, QStringLiteral("isolate-workdir")), QStringLiteral("false (default)"));

    // Without the command line and the environment, the file's own.
    const CtestdRun fromFile
        = runIn(folder, {QStringLiteral("--show-config"), gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(shown(fromFile.out, QStringLiteral("timeout")), QStringLiteral("30 (%1)").arg(file));
    QCOMPARE(
        shown(fromFile.out, QStringLiteral("worker-setup")), QStringLiteral("echo file, with a comma (%1)").arg(file));
}

// The file's timeout stops gt_hang's hanging case, and its setup hook runs
// in each of the file's two workers (gt_fixtures has groups for both).
void TestSettings::fileSettingsApplyToTheRun()
{
    const QString hooks = m_dir.filePath(QStringLiteral("file-hooks.log"));
    const QString folder = folderWithFile(QStringLiteral("applied"),
        QStringLiteral("[ctestd]\ntimeout = 2\nparallel = 2\nworker-setup = \"echo $CTESTD_WORKER_ID >> '%1'\"\n")
            .arg(hooks)
            .toUtf8());
    const CtestdRun run = runIn(folder, {gtestProgram(QStringLiteral("gt_hang"))});
    QCOMPARE(run.exitCode, 8);
    QCOMPARE(consoleStatuses(run.out).value(QStringLiteral("Hang.Forever")), QStringLiteral("***Timeout"));
    QVERIFY2(run.seconds < 30, qPrintable(QString::number(run.seconds)));
    QFile::remove(hooks);
    const CtestdRun fixtures = runIn(folder, {gtestProgram(QStringLiteral("gt_fixtures"))});
    QVERIFY2(fixtures.exitCode == 0, fixtures.out.constData());
    QFile file(hooks);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QStringList ids = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ids.sort();
    QCOMPARE(ids, (QStringList {QStringLiteral("0"), QStringLiteral("1")}));
}

// A build tree's file is the one in the tree, wherever ctestd runs from.
void TestSettings::buildTreeFile()
{
    const QString tree = folderWithFile(QStringLiteral("tree"), "[ctestd]\nisolate-workdir = true\n");
    const CtestdRun run = runIn(m_dir.path(), {QStringLiteral("--show-config"), QStringLiteral("--test-dir"), tree});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(shown(run.out, QStringLiteral("isolate-workdir")),
        QStringLiteral("true (%1)").arg(tree + QStringLiteral("/ctestd.ini")));
    QCOMPARE(shown(run.out, QStringLiteral("parallel")),
        QStringLiteral("one worker per CPU (a build tree: 1, as ctest) (default)"));
}

void TestSettings::badFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown key") << QByteArray("[ctestd]\nworkers = 4\n")
                                 << QStringLiteral(
                                        "ctestd.ini: unknown setting 'workers' in [ctestd] (known: parallel, "
                                        "timeout, group-by, listen, worker-setup, worker-teardown, "
                                        "hook-timeout, launcher, keep-tmp, isolate-workdir)");
    QTest::newRow("bad number") << QByteArray("[ctestd]\ntimeout = soon\n")
                                << QStringLiteral("ctestd.ini): --timeout: expected seconds (0 or more), got 'soon'");
    QTest::newRow("bad flag") << QByteArray("[ctestd]\nkeep-tmp = maybe\n")
                              << QStringLiteral("ctestd.ini): expected true or false, got 'maybe'");
    QTest::newRow("bad group") << QByteArray("[ctestd]\ngroup-by = test\n")
                               << QStringLiteral("--group-by: expected case, suite or executable, got 'test'");
}

void TestSettings::badFilesAreRefused()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const QString folder = folderWithFile(QStringLiteral("bad-%1").arg(QLatin1String(QTest::currentDataTag())), text);
    const CtestdRun run = runIn(folder, {gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(error.toUtf8()), run.err.constData());
    QCOMPARE(resultLineCount(run.out), 0);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
