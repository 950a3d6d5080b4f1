// SPDX-License-Identifier: BSD-3-Clause
// WorkerSpace: a worker's own directory and what its tests see of it.
#include "worker/workerspace.h"

#include <QtTest>

using namespace ctestd;

class TestWorkerSpace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void preparesEmptyFolders();
    void environmentOverridesInherited();
    void laterSetupChangesOnlyTheId();
    void keptFolderOutlivesIt();
    void unpreparedAddsNothing();

private:
    QTemporaryDir m_temp;
    QByteArray m_savedTmp;
};

void TestWorkerSpace::init()
{
    QVERIFY(m_temp.isValid());
    // Where QDir::tempPath() looks, so the spaces land in this test's folder.
    m_savedTmp = qgetenv("TMPDIR");
    qputenv("TMPDIR", QFile::encodeName(m_temp.path()));
}

void TestWorkerSpace::cleanup()
{
    qputenv("TMPDIR", m_savedTmp);
}

void TestWorkerSpace::preparesEmptyFolders()
{
    QString root;
    {
        WorkerSpace space;
        QVERIFY(!space.isPrepared());
        QString error;
        QVERIFY2(space.prepare(3, 4, false, &error), qPrintable(error));
        QVERIFY(space.isPrepared());
        QCOMPARE(space.id(), 3);
        root = QFileInfo(space.tmpDir()).path();
        QVERIFY2(QFileInfo(root).fileName().startsWith(QStringLiteral("ctestd-worker-3-")), qPrintable(root));
        QCOMPARE(QFileInfo(root).path(), m_temp.path());
        QCOMPARE(space.tmpDir(), root + QStringLiteral("/tmp"));
        QCOMPARE(space.workDir(), root + QStringLiteral("/work"));
        QVERIFY(QDir(space.tmpDir()).isEmpty());
        QVERIFY(QDir(space.workDir()).isEmpty());
        // What a test leaves there goes with the space.
        QFile left(space.tmpDir() + QStringLiteral("/left"));
        QVERIFY(left.open(QIODevice::WriteOnly));
    }
    QVERIFY2(!QFileInfo::exists(root), qPrintable(root));
}

void TestWorkerSpace::environmentOverridesInherited()
{
    WorkerSpace space;
    QString error;
    QVERIFY2(space.prepare(1, 2, false, &error), qPrintable(error));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("TMPDIR"), QStringLiteral("/somewhere/shared"));
    environment.insert(QStringLiteral("TMP"), QStringLiteral("/somewhere/shared"));
    environment.insert(QStringLiteral("KEEP"), QStringLiteral("kept"));
    space.addTo(&environment);
    QCOMPARE(environment.value(QStringLiteral("CTESTD_WORKER_ID")), QStringLiteral("1"));
    QCOMPARE(environment.value(QStringLiteral("CTESTD_WORKER_COUNT")), QStringLiteral("2"));
    for (const char *name : {"TMPDIR", "TEMP", "TMP"})
        QCOMPARE(environment.value(QLatin1String(name)), space.tmpDir());
    QCOMPARE(environment.value(QStringLiteral("KEEP")), QStringLiteral("kept"));
}

// `ctestd serve` tells a reserve worker who it is in each run: its id may
// change, its folder does not.
void TestWorkerSpace::laterSetupChangesOnlyTheId()
{
    WorkerSpace space;
    QString error;
    QVERIFY2(space.prepare(0, 2, false, &error), qPrintable(error));
    const QString tmp = space.tmpDir();
    QVERIFY2(space.prepare(5, 8, false, &error), qPrintable(error));
    QCOMPARE(space.tmpDir(), tmp);
    QProcessEnvironment environment;
    space.addTo(&environment);
    QCOMPARE(environment.value(QStringLiteral("CTESTD_WORKER_ID")), QStringLiteral("5"));
    QCOMPARE(environment.value(QStringLiteral("CTESTD_WORKER_COUNT")), QStringLiteral("8"));
}

void TestWorkerSpace::keptFolderOutlivesIt()
{
    QString root;
    {
        WorkerSpace space;
        QString error;
        QVERIFY2(space.prepare(0, 1, true, &error), qPrintable(error));
        root = QFileInfo(space.tmpDir()).path();
        space.remove();
        QVERIFY(QFileInfo::exists(root));
    }
    QVERIFY(QFileInfo::exists(root + QStringLiteral("/tmp")));
    QVERIFY(QDir(root).removeRecursively());
}

void TestWorkerSpace::unpreparedAddsNothing()
{
    const WorkerSpace space;
    QProcessEnvironment environment;
    space.addTo(&environment);
    QVERIFY(environment.isEmpty());
}

QTEST_GUILESS_MAIN(TestWorkerSpace)
#include "tst_workerspace.moc"
