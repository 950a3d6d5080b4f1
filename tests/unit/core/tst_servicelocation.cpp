// SPDX-License-Identifier: BSD-3-Clause
// Where a build tree's daemon lives: one per tree, whatever the path looks like.
#include "service/servicelocation.h"

#include <QtTest>

using namespace ctestd;

class TestServiceLocation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameTreeSameDaemon();
    void deepTreesStillFitASocketPath();
    void stateLivesInTheTree();
};

void TestServiceLocation::sameTreeSameDaemon()
{
    const ServiceLocation a = serviceLocation(QStringLiteral("/work/build"));
    QCOMPARE(serviceLocation(QStringLiteral("/work/build/")).socketPath, a.socketPath);
    QCOMPARE(serviceLocation(QStringLiteral("/work/./x/../build")).socketPath, a.socketPath);
    QVERIFY(serviceLocation(QStringLiteral("/work/build2")).socketPath != a.socketPath);
}

void TestServiceLocation::deepTreesStillFitASocketPath()
{
    qputenv("XDG_RUNTIME_DIR", "/run/user/1000");
    const QString deep = QStringLiteral("/home/someone/") + QString(300, QLatin1Char('d')) + QStringLiteral("/build");
    const ServiceLocation location = serviceLocation(deep);
    QVERIFY(location.socketPath.startsWith(QLatin1String("/run/user/1000/ctestd-")));
    QVERIFY2(QFile::encodeName(location.socketPath).size() <= 107, qPrintable(location.socketPath));
    qunsetenv("XDG_RUNTIME_DIR");
}

void TestServiceLocation::stateLivesInTheTree()
{
    const ServiceLocation location = serviceLocation(QStringLiteral("/b"));
    QCOMPARE(location.buildDirectory, QStringLiteral("/b"));
    QCOMPARE(location.keyPath, QStringLiteral("/b/.ctestd/key"));
    QCOMPARE(location.serveLockPath, QStringLiteral("/b/.ctestd/serve.lock"));
    QCOMPARE(location.startLockPath, QStringLiteral("/b/.ctestd/start.lock"));
}

QTEST_GUILESS_MAIN(TestServiceLocation)
#include "tst_servicelocation.moc"
