// SPDX-License-Identifier: BSD-3-Clause
// A Qt Test class whose initTestCase is expensive: it "warms a cache" for
// 200 ms. Under ctestd it runs once for all cases of the executable.
#include <QCoreApplication>
#include <QHash>
#include <QThread>
#include <QtTest>

class TestCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qInfo("[fixture] warming the cache (200 ms) in process %lld", QCoreApplication::applicationPid());
        QThread::msleep(200);
        for (int i = 0; i < 100; ++i)
            m_cache.insert(QStringLiteral("key%1").arg(i), i * i);
    }
    void cleanupTestCase() { m_cache.clear(); }

    void size() { QCOMPARE(m_cache.size(), 100); }
    void lookup_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("value");
        QTest::newRow("first") << QStringLiteral("key0") << 0;
        QTest::newRow("cold cache") << QStringLiteral("key7") << 49;
        QTest::newRow("last") << QStringLiteral("key99") << 9801;
    }
    void lookup()
    {
        QFETCH(QString, key);
        QFETCH(int, value);
        QCOMPARE(m_cache.value(key, -1), value);
    }
    void missing() { QVERIFY(!m_cache.contains(QStringLiteral("nope"))); }
    void eviction() { QSKIP("eviction is not implemented yet"); }

private:
    QHash<QString, int> m_cache;
};

QTEST_GUILESS_MAIN(TestCache)
#include "tst_cache.moc"
