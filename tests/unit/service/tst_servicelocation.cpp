// SPDX-License-Identifier: BSD-3-Clause
// Where a build tree's daemon lives: one per tree, whatever the path looks like.
#include "service/servicelocation.h"

#include <QtTest>

using namespace ctestd;

class TestServiceLocation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameTreeSameDaemon();
    void stateLivesInTheTree();
};

void TestServiceLocation::sameTreeSameDaemon()
{
    // The tree's state (and through it the daemon's socket name) is found
    // from the tree's path, however it is written.
    const ServiceLocation a = serviceLocation(QStringLiteral("/work/build"));
    QCOMPARE(serviceLocation(QStringLiteral("/work/build/")).socketNamePath, a.socketNamePath);
    QCOMPARE(serviceLocation(QStringLiteral("/work/./x/../build")).socketNamePath, a.socketNamePath);
    QVERIFY(serviceLocation(QStringLiteral("/work/build2")).socketNamePath != a.socketNamePath);
}

void TestServiceLocation::stateLivesInTheTree()
{
    const ServiceLocation location = serviceLocation(QStringLiteral("/b"));
    QCOMPARE(location.buildDirectory, QStringLiteral("/b"));
    QCOMPARE(location.keyPath, QStringLiteral("/b/.ctestd/key"));
    QCOMPARE(location.serveLockPath, QStringLiteral("/b/.ctestd/serve.lock"));
    QCOMPARE(location.startLockPath, QStringLiteral("/b/.ctestd/start.lock"));
    // The socket itself is wherever mkdtemp() put it; the tree names it.
    QCOMPARE(location.socketNamePath, QStringLiteral("/b/.ctestd/socket"));
}

QTEST_GUILESS_MAIN(TestServiceLocation)
#include "tst_servicelocation.moc"
