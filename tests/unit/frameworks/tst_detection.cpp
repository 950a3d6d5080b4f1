// SPDX-License-Identifier: BSD-3-Clause
// `--framework auto`: real executables of every framework, built from
// Debian's packages, are told apart by the strings in their files, also once
// stripped; anything else is a plain executable, and nothing is run.
#include "frameworks/detection.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctestd;

class TestDetection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realExecutables_data();
    void realExecutables();
    void strippedExecutables_data();
    void strippedExecutables();
    void onlyStringSectionsAreSearched();
    void notExecutables();
    void precedence();
    void fileContainsAny();

private:
    QTemporaryDir m_dir;
};

void TestDetection::realExecutables_data()
{
    QTest::addColumn<QString>("executable");
    QTest::addColumn<QString>("framework");
    QTest::newRow("gtest") << QStringLiteral(GTEST_SAMPLE) << QStringLiteral("gtest");
    QTest::newRow("qtest") << QStringLiteral(DETECT_QTEST) << QStringLiteral("qtest");
    QTest::newRow("catch2 v2") << QStringLiteral(DETECT_CATCH2) << QStringLiteral("catch2");
    QTest::newRow("doctest") << QStringLiteral(DETECT_DOCTEST) << QStringLiteral("doctest");
    QTest::newRow("boost header-only") << QStringLiteral(DETECT_BOOST_INCLUDED) << QStringLiteral("boost");
    QTest::newRow("boost shared") << QStringLiteral(DETECT_BOOST_SHARED) << QStringLiteral("boost");
    QTest::newRow("plain program") << QStringLiteral(DETECT_PLAIN) << QStringLiteral("plain");
    QTest::newRow("shell") << QStringLiteral("/bin/sh") << QStringLiteral("plain");
}

void TestDetection::realExecutables()
{
    QFETCH(QString, executable);
    QFETCH(QString, framework);
    QCOMPARE(detectFramework(executable), framework);
}

void TestDetection::strippedExecutables_data()
{
    realExecutables_data();
}

// Release builds are often stripped: the markers must not be symbol names.
void TestDetection::strippedExecutables()
{
    QFETCH(QString, executable);
    QFETCH(QString, framework);
    QVERIFY(m_dir.isValid());
    const QString copy
        = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')));
    QFile::remove(copy);
    QProcess strip;
    strip.start(QStringLiteral("strip"), {QStringLiteral("-o"), copy, executable});
    QVERIFY2(strip.waitForFinished(30000), "strip did not finish");
    QCOMPARE(strip.exitCode(), 0);
    QCOMPARE(detectFramework(copy), framework);
}

// A marker in a section of strings or data is one; in debug information (a
// source file's text, say), code or a note it is not. The sections are added
// to a real plain program with objcopy.
void TestDetection::onlyStringSectionsAreSearched()
{
    QVERIFY(m_dir.isValid());
    QFile contents(m_dir.filePath(QStringLiteral("marker.txt")));
    QVERIFY(contents.open(QIODevice::WriteOnly));
    contents.write("printf(\"[doctest] \");");
    contents.close();
    const auto withSection = [&](const QString &section, const QString &flags) {
        const QString copy = m_dir.filePath(QStringLiteral("plain-with") + section);
        QFile::remove(copy);
        QStringList arguments {QStringLiteral("--add-section"), section + QLatin1Char('=') + contents.fileName()};
        if (!flags.isEmpty())
            arguments += {QStringLiteral("--set-section-flags"), section + QLatin1Char('=') + flags};
        QProcess objcopy;
        objcopy.start(QStringLiteral("objcopy"), arguments + QStringList {QStringLiteral(DETECT_PLAIN), copy});
        return objcopy.waitForFinished(30000) && objcopy.exitCode() == 0 ? copy : QString();
    };
    const QString debug = withSection(QStringLiteral(".debug_ctestd"), QString());
    const QString note = withSection(QStringLiteral(".note.ctestd"), QString());
    const QString code = withSection(QStringLiteral(".ctestd_code"), QStringLiteral("alloc,load,readonly,code"));
    const QString strings = withSection(QStringLiteral(".ctestd_strings"), QStringLiteral("alloc,load,readonly,data"));
    QVERIFY(!debug.isEmpty() && !note.isEmpty() && !code.isEmpty() && !strings.isEmpty());
    QCOMPARE(detectFramework(debug), QStringLiteral("plain"));
    QCOMPARE(detectFramework(note), QStringLiteral("plain"));
    QCOMPARE(detectFramework(code), QStringLiteral("plain"));
    QCOMPARE(detectFramework(strings), QStringLiteral("doctest"));
}

void TestDetection::notExecutables()
{
    QVERIFY(m_dir.isValid());
    QCOMPARE(detectFramework(m_dir.filePath(QStringLiteral("missing"))), QStringLiteral("plain"));
    QCOMPARE(detectFramework(m_dir.path()), QStringLiteral("plain")); // a directory
    QFile empty(m_dir.filePath(QStringLiteral("empty")));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    QCOMPARE(detectFramework(empty.fileName()), QStringLiteral("plain"));
    QFile unreadable(m_dir.filePath(QStringLiteral("unreadable")));
    QVERIFY(unreadable.open(QIODevice::WriteOnly));
    unreadable.write("[doctest] ");
    unreadable.close();
    QVERIFY(unreadable.setPermissions(QFileDevice::WriteOwner));
    if (QFile(unreadable.fileName()).open(QIODevice::ReadOnly))
        QCOMPARE(detectFramework(unreadable.fileName()), QStringLiteral("doctest")); // root reads anything
    else
        QCOMPARE(detectFramework(unreadable.fileName()), QStringLiteral("plain"));
}

// A file with markers of several frameworks: the documented order decides
// (a GoogleTest suite that links Qt Test for QSignalSpy is GoogleTest).
void TestDetection::precedence()
{
    const auto detectText = [this](const QByteArray &text) {
        QFile file(m_dir.filePath(QStringLiteral("markers")));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
            return QStringLiteral("cannot write");
        file.close();
        return detectFramework(file.fileName());
    };
    QCOMPARE(detectText(QByteArrayLiteral("libQt5Test.so.5\0--gtest_list_tests")), QStringLiteral("gtest"));
    QCOMPARE(detectText(QByteArrayLiteral("libQt5Test.so.5")), QStringLiteral("qtest"));
    QCOMPARE(detectText(QByteArrayLiteral("x--list-listeners")), QStringLiteral("catch2"));
    QCOMPARE(detectText(QByteArrayLiteral("libboost_unit_test_framework.so.1.74.0 --gtest_list_tests")),
        QStringLiteral("boost"));
    QCOMPARE(detectText(QByteArrayLiteral("[doctest] and --list-test-names-only")), QStringLiteral("doctest"));
    QCOMPARE(detectText(QByteArrayLiteral("[doctest]")), QStringLiteral("plain")); // the marker ends with a space
}

void TestDetection::fileContainsAny()
{
    QCOMPARE(
        ctestd::fileContainsAny(QStringLiteral(DETECT_CATCH2), {QByteArrayLiteral("--list-test-names-only")}), true);
    QCOMPARE(
        ctestd::fileContainsAny(QStringLiteral(DETECT_CATCH2), {QByteArrayLiteral("no such marker in it")}), false);
    QCOMPARE(ctestd::fileContainsAny(QStringLiteral("/nonexistent/file"), {QByteArrayLiteral("x")}), false);
}

QTEST_GUILESS_MAIN(TestDetection)
#include "tst_detection.moc"
