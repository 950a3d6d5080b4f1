// SPDX-License-Identifier: BSD-3-Clause
// The framework registry is the one list of frameworks: each adapter's
// name, the detection order and the CMake module's lists must agree with it.
#include "frameworks/adapter.h"
#include "frameworks/registry.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace ctestd;

class TestRegistry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void adaptersAreNamedAsTheirRows();
    void oneFallbackAndADistinctDetectionOrder();
    void cmakeModuleListsTheSameNames();
};

void TestRegistry::adaptersAreNamedAsTheirRows()
{
    QSet<QString> seen;
    for (const FrameworkEntry &entry : frameworkRegistry()) {
        QVERIFY2(!seen.contains(entry.name), qPrintable(entry.name));
        seen.insert(entry.name);
        const std::unique_ptr<FrameworkAdapter> adapter = createFrameworkAdapter(entry.name);
        QVERIFY(adapter);
        QCOMPARE(adapter->name(), entry.name);
    }
    QCOMPARE(frameworkNames().size(), frameworkRegistry().size());
    QVERIFY(!createFrameworkAdapter(QStringLiteral("auto")));
    QVERIFY(!createFrameworkAdapter(QStringLiteral("nunit")));
}

void TestRegistry::oneFallbackAndADistinctDetectionOrder()
{
    int fallbacks = 0;
    QSet<int> orders;
    for (const FrameworkEntry &entry : frameworkRegistry()) {
        if (entry.markers.isEmpty()) {
            ++fallbacks;
            continue;
        }
        QVERIFY2(!orders.contains(entry.detectionOrder), qPrintable(entry.name));
        orders.insert(entry.detectionOrder);
    }
    QCOMPARE(fallbacks, 1);
}

void TestRegistry::cmakeModuleListsTheSameNames()
{
    QFile module(QStringLiteral(CTESTD_MODULE_FILE));
    QVERIFY2(module.open(QIODevice::ReadOnly), qPrintable(module.fileName()));
    const QString text = QString::fromUtf8(module.readAll());
    QStringList names = frameworkNames();

    // The signature, the FRAMEWORK keyword's doc and its check.
    const QString choices = QStringLiteral("auto|") + names.join(QLatin1Char('|'));
    QRegularExpressionMatchIterator lists = QRegularExpression(QStringLiteral("auto\\|[a-z0-9|]+")).globalMatch(text);
    int found = 0;
    while (lists.hasNext()) {
        QCOMPARE(lists.next().captured(0), choices);
        ++found;
    }
    QCOMPARE(found, 3);
    const QString last = names.takeLast();
    const QString expected = QStringLiteral("(expected auto, %1 or %2)").arg(names.join(QStringLiteral(", ")), last);
    QVERIFY2(text.contains(expected), qPrintable(expected));
}

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
