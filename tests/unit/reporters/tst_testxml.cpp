// SPDX-License-Identifier: BSD-3-Clause
// Test.xml (-T Test): what each kind of result becomes, ctest's output cut
// and compression, and cmsys' base64. The agreement test compares whole
// files with ctest 3.25.1's on a real tree; these rows pin the rules.
#include "reporters/testxml.h"

#include <QXmlStreamReader>
#include <QtTest>

using namespace ctestd;

class TestTestXml : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resultsBecomeCtestsElements();
    void outputIsCutAndCompressed();
    void keptOutput();
    void base64EndMark();
};

namespace {
struct Parsed {
    QStringList testList;
    QMap<QString, QString> status; // Name -> Status attribute
    QMap<QString, QMap<QString, QString>> measurements; // Name -> name -> value
    QMap<QString, QString> output; // Name -> <Measurement> value, as written
    QMap<QString, QString> encoding; // Name -> its encoding attribute
    QMap<QString, QString> commandLine;
};

Parsed parse(const QByteArray &document)
{
    Parsed parsed;
    QXmlStreamReader xml(document);
    QString name, measurement;
    bool inList = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("TestList")) {
                inList = true;
            } else if (xml.name() == QLatin1String("Test") && inList) {
                parsed.testList << xml.readElementText();
            } else if (xml.name() == QLatin1String("Test")) {
                name.clear();
                parsed.status.insert(
                    QStringLiteral("pending"), xml.attributes().value(QLatin1String("Status")).toString());
            } else if (xml.name() == QLatin1String("Name")) {
                name = xml.readElementText();
                parsed.status.insert(name, parsed.status.take(QStringLiteral("pending")));
            } else if (xml.name() == QLatin1String("FullCommandLine")) {
                parsed.commandLine.insert(name, xml.readElementText());
            } else if (xml.name() == QLatin1String("NamedMeasurement")) {
                measurement = xml.attributes().value(QLatin1String("name")).toString();
            } else if (xml.name() == QLatin1String("Measurement")) {
                measurement.clear();
            } else if (xml.name() == QLatin1String("Value")) {
                const QString encoding = xml.attributes().value(QLatin1String("encoding")).toString();
                const QString text = xml.readElementText();
                if (!measurement.isEmpty()) {
                    parsed.measurements[name].insert(measurement, text);
                } else {
                    parsed.output.insert(name, text);
                    parsed.encoding.insert(name, encoding);
                }
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("TestList")) {
            inList = false;
        }
    }
    if (xml.hasError())
        qFatal("invalid Test.xml: %s", qPrintable(xml.errorString()));
    return parsed;
}

CaseOutcome plain(int index, const QString &name, Status status)
{
    CaseOutcome outcome;
    outcome.testCase.index = index;
    outcome.testCase.displayName = name;
    outcome.testCase.ctestTest = true;
    outcome.testCase.workingDirectory = QStringLiteral("/b/sub dir");
    outcome.testCase.command = QStringList {QStringLiteral("/bin/my tool"), QStringLiteral("a b"), name};
    outcome.result.status = status;
    outcome.result.seconds = 0.25;
    outcome.dispatched = true;
    return outcome;
}
} // namespace

void TestTestXml::resultsBecomeCtestsElements()
{
    RunEnd end;
    CaseOutcome passed = plain(1, QStringLiteral("ok"), Status::Passed);
    passed.result.exitCode = 0;
    passed.result.stdOut = "fine\n";
    passed.testCase.environment = QStringList {QStringLiteral("B=2"), QStringLiteral("A=1")};
    passed.testCase.labels = QStringList {QStringLiteral("l1")};
    CaseOutcome willFail = plain(2, QStringLiteral("inverted"), Status::Passed);
    willFail.result.exitCode = 1;
    CaseOutcome failed = plain(3, QStringLiteral("bad"), Status::Failed);
    failed.result.exitCode = 3;
    failed.result.reason = QStringLiteral("Required regular expression not found. Regex=[x\n]");
    CaseOutcome aborted = plain(4, QStringLiteral("abort"), Status::Crashed);
    aborted.result.signal = 6;
    CaseOutcome skipped = plain(5, QStringLiteral("skip"), Status::Skipped);
    skipped.testCase.rules.skipReturnCode = 77;
    skipped.result.exitCode = 77;
    CaseOutcome missing = plain(6, QStringLiteral("missing"), Status::NotRun);
    missing.result.message = QStringLiteral("Unable to find executable: /no/x");
    missing.dispatched = false;
    CaseOutcome fixture = plain(7, QStringLiteral("user"), Status::NotRun);
    fixture.result.message = QStringLiteral("Fixture dependency failed");
    fixture.result.noticeOut = "Failed test dependencies: setup\n";
    CaseOutcome off = plain(8, QStringLiteral("off"), Status::Disabled);
    CaseOutcome grouped = plain(9, QStringLiteral("Suite.Case"), Status::Failed);
    grouped.testCase.ctestTest = false; // a regrouped gtest case: no exit code of its own
    CaseOutcome notHere = plain(10, QStringLiteral("elsewhere"), Status::Passed);
    notHere.leftOut = true;
    // Out of order on purpose: the file is in #K order.
    end.cases = {failed, passed, willFail, aborted, skipped, missing, fixture, off, grouped, notHere};

    TestXmlSite site;
    site.buildTree = QStringLiteral("/b");
    site.buildStamp = QStringLiteral("20261206-1908-Experimental");
    TestXmlReporter reporter(site, true, nullptr);
    const QDateTime start = QDateTime::fromSecsSinceEpoch(1796584082, Qt::UTC);
    const QByteArray document = reporter.document(end, start, start.addSecs(130));
    QVERIFY(document.contains("<StartDateTime>Dec 06 19:08 UTC</StartDateTime>"));
    QVERIFY(document.contains("<StartTestTime>1796584082</StartTestTime>"));
    QVERIFY(document.contains("<ElapsedMinutes>2</ElapsedMinutes>"));
    QVERIFY(document.contains("BuildStamp=\"20261206-1908-Experimental\""));
    const Parsed p = parse(document);

    // Path and FullName as ctest's GetShortPathToFile: spaces become '_'.
    QCOMPARE(p.testList.first(), QStringLiteral("./sub_dir/ok"));
    QCOMPARE(p.testList.size(), 9);
    QCOMPARE(p.status,
        (QMap<QString, QString> {{QStringLiteral("ok"), QStringLiteral("passed")},
            {QStringLiteral("inverted"), QStringLiteral("passed")}, {QStringLiteral("bad"), QStringLiteral("failed")},
            {QStringLiteral("abort"), QStringLiteral("failed")}, {QStringLiteral("skip"), QStringLiteral("notrun")},
            {QStringLiteral("missing"), QStringLiteral("notrun")}, {QStringLiteral("user"), QStringLiteral("notrun")},
            {QStringLiteral("off"), QStringLiteral("notrun")},
            {QStringLiteral("Suite.Case"), QStringLiteral("failed")}}));
    QCOMPARE(p.commandLine.value(QStringLiteral("ok")), QStringLiteral("/bin/my\\ tool \"a b\" \"ok\""));
    QCOMPARE(p.commandLine.value(QStringLiteral("missing")), QString()); // never ran

    const auto m = [&](const char *test, const char *name) {
        return p.measurements.value(QString::fromUtf8(test)).value(QString::fromUtf8(name), QStringLiteral("<none>"));
    };
    QCOMPARE(m("ok", "Exit Code"), QStringLiteral("<none>"));
    QCOMPARE(m("ok", "Execution Time"), QStringLiteral("0.25"));
    QCOMPARE(m("ok", "Completion Status"), QStringLiteral("Completed"));
    QCOMPARE(m("ok", "Environment"), QStringLiteral("A=1\nB=2\n#CTEST_RESOURCE_GROUP_COUNT="));
    QCOMPARE(m("inverted", "Exit Code"), QStringLiteral("Completed"));
    QCOMPARE(m("inverted", "Exit Value"), QStringLiteral("1"));
    QCOMPARE(m("bad", "Exit Code"), QStringLiteral("Failed"));
    QCOMPARE(m("bad", "Exit Value"), QStringLiteral("3"));
    QCOMPARE(m("bad", "Fail Reason"), QStringLiteral("Required regular expression not found. Regex=[x\n]"));
    QCOMPARE(m("abort", "Exit Code"), QStringLiteral("Subprocess aborted"));
    QCOMPARE(m("abort", "Exit Value"), QStringLiteral("0"));
    QCOMPARE(m("skip", "Completion Status"), QStringLiteral("SKIP_RETURN_CODE=77"));
    QCOMPARE(m("skip", "Execution Time"), QStringLiteral("<none>"));
    QCOMPARE(m("missing", "Completion Status"), QStringLiteral("Unable to find executable"));
    QCOMPARE(m("missing", "Environment"), QString());
    QCOMPARE(p.output.value(QStringLiteral("missing")), QStringLiteral("Unable to find executable: /no/x"));
    QCOMPARE(m("user", "Completion Status"), QStringLiteral("Fixture dependency failed"));
    QCOMPARE(p.output.value(QStringLiteral("user")), QStringLiteral("Failed test dependencies: setup"));
    QCOMPARE(m("off", "Completion Status"), QStringLiteral("Disabled"));
    QCOMPARE(p.output.value(QStringLiteral("off")), QStringLiteral("Disabled"));
    QCOMPARE(m("Suite.Case", "Exit Code"), QStringLiteral("Failed"));
    QCOMPARE(m("Suite.Case", "Exit Value"), QStringLiteral("<none>"));
    QCOMPARE(p.output.value(QStringLiteral("ok")), QStringLiteral("fine\n")); // too small to gain from zlib
    QVERIFY(!p.status.contains(QStringLiteral("elsewhere")));
}

void TestTestXml::outputIsCutAndCompressed()
{
    RunEnd end;
    CaseOutcome passed = plain(1, QStringLiteral("chatty"), Status::Passed);
    passed.result.stdOut = QByteArray(3000, 'a');
    CaseOutcome crashed = plain(2, QStringLiteral("crash"), Status::Crashed);
    crashed.result.signal = 11;
    crashed.result.stdOut = QByteArray(3000, 'b');
    end.cases = {passed, crashed};
    TestXmlSite site;
    site.buildTree = QStringLiteral("/b");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const Parsed p = parse(TestXmlReporter(site, true, nullptr).document(end, now, now));
    QCOMPARE(p.encoding.value(QStringLiteral("chatty")), QStringLiteral("base64"));
    QByteArray zlib = QByteArray::fromBase64(p.output.value(QStringLiteral("chatty")).toLatin1());
    zlib.prepend(QByteArray("\x00\x01\x00\x00", 4)); // qUncompress' expected-size header
    QCOMPARE(qUncompress(zlib), ctestKeptOutput(QByteArray(3000, 'a'), 1024));
    // ctest compresses only what a process that exited wrote.
    QCOMPARE(p.encoding.value(QStringLiteral("crash")), QString());
    QCOMPARE(p.output.value(QStringLiteral("crash")).toUtf8(), QByteArray(3000, 'b'));
    // --no-compress-output
    const Parsed plainText = parse(TestXmlReporter(site, false, nullptr).document(end, now, now));
    QCOMPARE(plainText.encoding.value(QStringLiteral("chatty")), QString());
    QCOMPARE(plainText.output.value(QStringLiteral("chatty")).toUtf8(), ctestKeptOutput(QByteArray(3000, 'a'), 1024));
}

void TestTestXml::keptOutput()
{
    QCOMPARE(ctestKeptOutput("abc", 3), QByteArray("abc"));
    QCOMPARE(ctestKeptOutput("abcd", 3),
        QByteArray("abc...\n[This part of the test output was removed since it exceeds the threshold of 3 bytes.]\n"));
    // Never inside a UTF-8 sequence; CTEST_FULL_OUTPUT keeps everything.
    QCOMPARE(ctestKeptOutput("a\xc3\xa9z", 2).left(4), QByteArray("a..."));
    QCOMPARE(ctestKeptOutput("CTEST_FULL_OUTPUT and more", 3), QByteArray("CTEST_FULL_OUTPUT and more"));
    // --test-output-truncation middle|head, as ctest 3.25.1 wrote them.
    const QByteArray message
        = "\n[This part of the test output was removed since it exceeds the threshold of 4 bytes.]\n";
    QCOMPARE(ctestKeptOutput("abcdefgh", 4, OutputLimits::Cut::Middle), "ab..." + message + "...gh");
    QCOMPARE(ctestKeptOutput("abcdefgh", 4, OutputLimits::Cut::Head), message + "...efgh");
}

void TestTestXml::base64EndMark()
{
    // cmsysBase64_Encode(..., mark_end=1): "====" after a length that is a
    // multiple of 3 (ctest's files end that way).
    QCOMPARE(cmsysBase64("abc"), QByteArray("YWJj===="));
    QCOMPARE(cmsysBase64("ab"), QByteArray("YWI="));
    QCOMPARE(cmsysBase64("abcd"), QByteArray("YWJjZA=="));
}

QTEST_GUILESS_MAIN(TestTestXml)
#include "tst_testxml.moc"
