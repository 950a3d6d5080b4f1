// SPDX-License-Identifier: BSD-3-Clause
// The bundle's names: formats by extension and by content, safe entry
// paths, folder names for odd test names.
#include "bundle/bundleformat.h"

#include <QtTest>

using namespace ctestd;
using namespace ctestd::bundle;

class TestBundleFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void containers();
    void safePaths_data();
    void safePaths();
    void folderNames();
};

void TestBundleFormat::containers()
{
    QCOMPARE(containerForName(QStringLiteral("a/run.tar.gz")), std::optional<Container>(Container::TarGz));
    QCOMPARE(containerForName(QStringLiteral("run.TGZ")), std::optional<Container>(Container::TarGz));
    QCOMPARE(containerForName(QStringLiteral("run.tar.zst")), std::optional<Container>(Container::TarZst));
    QCOMPARE(containerForName(QStringLiteral("run.tar.xz")), std::optional<Container>(Container::TarXz));
    QCOMPARE(containerForName(QStringLiteral("run.tar.bz2")), std::optional<Container>(Container::TarBz2));
    QCOMPARE(containerForName(QStringLiteral("run.tar")), std::optional<Container>(Container::Tar));
    QCOMPARE(containerForName(QStringLiteral("run.zip")), std::optional<Container>(Container::Zip));
    QVERIFY(!containerForName(QStringLiteral("run.rar")));
    QVERIFY(!containerForName(QStringLiteral("run.gz")));
    QCOMPARE(containerForContent("\x1f\x8b\x08"), std::optional<Container>(Container::TarGz));
    QCOMPARE(containerForContent("PK\x03\x04"), std::optional<Container>(Container::Zip));
    QCOMPARE(containerForContent("\x28\xb5\x2f\xfd"), std::optional<Container>(Container::TarZst));
    QByteArray tar(512, '\0');
    tar.replace(257, 5, "ustar");
    QCOMPARE(containerForContent(tar), std::optional<Container>(Container::Tar));
    QVERIFY(!containerForContent("hello"));
    QVERIFY(!containerForContent(QByteArray()));
}

void TestBundleFormat::safePaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("safe");
    QTest::newRow("plain") << QStringLiteral("artifacts/Math.Add/shot.png") << true;
    QTest::newRow("folder") << QStringLiteral("artifacts/") << true;
    QTest::newRow("unicode") << QStringLiteral("artifacts/Größe/ü.txt") << true;
    QTest::newRow("dot-dot") << QStringLiteral("../x") << false;
    QTest::newRow("inner dot-dot") << QStringLiteral("a/../../x") << false;
    QTest::newRow("trailing dot-dot") << QStringLiteral("a/..") << false;
    QTest::newRow("dot") << QStringLiteral("a/./b") << false;
    QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << false;
    QTest::newRow("empty part") << QStringLiteral("a//b") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("backslash") << QStringLiteral("..\\x") << false;
    QTest::newRow("newline") << QStringLiteral("a\nb") << false;
}

void TestBundleFormat::safePaths()
{
    QFETCH(QString, path);
    QFETCH(bool, safe);
    QString why;
    QCOMPARE(isSafeEntryPath(path, &why), safe);
    QCOMPARE(why.isEmpty(), safe);
}

void TestBundleFormat::folderNames()
{
    QCOMPARE(folderNameFor(QStringLiteral("Math.Add")), QStringLiteral("Math.Add"));
    QCOMPARE(folderNameFor(QStringLiteral("Typed/0.Zero<int>")), QStringLiteral("Typed_0.Zero_int_"));
    QCOMPARE(folderNameFor(QStringLiteral("../../etc")), QStringLiteral("_._.._etc"));
    QCOMPARE(folderNameFor(QStringLiteral(".hidden")), QStringLiteral("_hidden"));
    QCOMPARE(folderNameFor(QString()), QStringLiteral("_"));
    QCOMPARE(folderNameFor(QString(300, QLatin1Char('x'))).size(), 200);
}

QTEST_GUILESS_MAIN(TestBundleFormat)
#include "tst_bundleformat.moc"
