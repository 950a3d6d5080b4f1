// SPDX-License-Identifier: BSD-3-Clause
// CTestCostData.txt and LastTestsFailed.log, checked against files written by
// real ctest 3.25.1. data/costdata holds a captured sample: the project
// (project-CMakeLists.txt), the cost file before (s0.cost), and for three
// consecutive runs (s1: ctest -j2, s2: ctest -j1, s3: ctest -j2 -R
// 'alpha|costly') ctest's console (completion order), its --output-junit
// file (status and duration of each test) and the files it wrote (sN.cost,
// sN.ltf). The test replays each run through updated() and must produce
// ctest's bytes exactly.
#include "ctest/costdata.h"

#include <QtTest>

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <cstdio>

using namespace ctestd;
using namespace ctestd::ctest;

class TestCTestCostData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseSample();
    void roundTrip_data();
    void roundTrip();
    void replayRuns_data();
    void replayRuns();
    void lastTestsFailedSample_data();
    void lastTestsFailedSample();
    void lineSplitting();
    void atoiAtof();
    void stopsAtShortLine();
    void noCapOnRuns();
    void serialRunsStartFromCostProperty();
    void repeatedRuns();
    void failedListOrder();
    void formatCostLikePrintf_data();
    void formatCostLikePrintf();
    void parseLastTestsFailed();
    void files();
    void lastTestsFailedFileUntouchedWhenNothingFailed();
    void findNewestLastTestsFailed();
};

namespace {

QByteArray sample(const QString &name)
{
    QFile file(QStringLiteral(CTESTD_TEST_DATA_DIR "/costdata/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return file.readAll();
}

// The project's tests: #K and COST property.
int indexOf(const QString &name)
{
    static const QStringList names {QStringLiteral("alpha"), QStringLiteral("beta gamma"), QStringLiteral("flaky"),
        QStringLiteral("skipper"), QStringLiteral("off"), QStringLiteral("missing"), QStringLiteral("costly"),
        QStringLiteral("slowpoke"), QStringLiteral("colon:name")};
    return names.indexOf(name) + 1;
}

float costProperty(const QString &name)
{
    return name == QLatin1String("costly") ? 5.0f : 0.0f;
}

// The run as ctest recorded it: statuses and times from the JUnit file,
// completion order from the console.
QVector<RunRecord> recordsOf(const QString &run)
{
    QHash<QString, RunRecord> byName;
    QXmlStreamReader xml(sample(run + QStringLiteral(".junit.xml")));
    RunRecord *current = nullptr;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto attrs = xml.attributes();
        if (xml.name() == QLatin1String("testcase")) {
            const QString name = attrs.value(QLatin1String("name")).toString();
            RunRecord &r = byName[name];
            r.index = indexOf(name);
            r.name = name;
            r.seconds = attrs.value(QLatin1String("time")).toDouble();
            r.costProperty = costProperty(name);
            const auto status = attrs.value(QLatin1String("status"));
            r.status = status == QLatin1String("run") ? Status::Passed
                : status == QLatin1String("disabled") ? Status::Disabled
                : status == QLatin1String("fail")     ? Status::Failed
                                                      : Status::NotRun;
            current = &r;
        } else if (xml.name() == QLatin1String("skipped") && current) {
            if (attrs.value(QLatin1String("message")).startsWith(QLatin1String("SKIP_")))
                current->status = Status::Skipped;
        }
    }
    QVector<RunRecord> records;
    static const QRegularExpression resultLine(
        QStringLiteral("^ *\\d+/\\d+ Test +#(\\d+): (.*?) \\.+"), QRegularExpression::MultilineOption);
    auto it = resultLine.globalMatch(QString::fromUtf8(sample(run + QStringLiteral(".console.txt"))));
    while (it.hasNext()) {
        const QString name = it.next().captured(2);
        if (!byName.contains(name))
            qFatal("console names a test the JUnit file lacks: %s", qPrintable(name));
        records.append(byName.value(name));
    }
    return records;
}

QVector<FailedTest> failedOf(const QVector<RunRecord> &records)
{
    QVector<FailedTest> failed;
    for (const RunRecord &r : records) {
        if (isFailure(r.status))
            failed.append(FailedTest {r.index, r.name});
    }
    return failed;
}

RunRecord passed(int index, const char *name, double seconds)
{
    return RunRecord {index, QString::fromLatin1(name), Status::Passed, seconds, 0.0f};
}

} // namespace

void TestCTestCostData::parseSample()
{
    // ctest reads up to "lonely" (fewer than three fields) and nothing after.
    const CostData data = parseCostData(sample(QStringLiteral("s0.cost")));
    const QVector<CostEntry> expected {
        {QStringLiteral("alpha"), 3, 0.5f},
        {QStringLiteral("flaky"), 2, 0.25f},
        {QStringLiteral("gone"), 4, 1.5f},
        {QStringLiteral("beta"), 0, 7.0f},
        {QStringLiteral("skipper"), 1, 0.125f},
        {QStringLiteral("costly"), 2, 0.75f},
        {QStringLiteral("slowpoke"), 1, 0.4f},
        {QStringLiteral("off"), 5, 2.0f},
    };
    QCOMPARE(data.entries, expected);
    QCOMPARE(data.failed, QStringList());

    const CostData s1 = parseCostData(sample(QStringLiteral("s1.cost")));
    QCOMPARE(s1.entries.size(), 11);
    QCOMPARE(s1.entries.at(8), (CostEntry {QStringLiteral("beta"), 0, 1.0f}));
    QCOMPARE(s1.entries.at(3), (CostEntry {QStringLiteral("beta"), 0, 7.0f}));
    QCOMPARE(s1.failed,
        (QStringList {QStringLiteral("flaky"), QStringLiteral("missing"), QStringLiteral("colon:name"),
            QStringLiteral("slowpoke")}));
}

void TestCTestCostData::roundTrip_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("expected");
    // A file ctest wrote reads back and serialises to the same bytes...
    QTest::newRow("s3") << QStringLiteral("s3.cost") << sample(QStringLiteral("s3.cost"));
    // ...except lines of names with spaces, which read as another name. ctest
    // itself rewrites "beta gamma 1 0.102479" as "beta 0 1" when the test is
    // not in the run (s1 -> s2 shows it).
    QByteArray s1 = sample(QStringLiteral("s1.cost"));
    s1.replace("beta gamma 1 0.102479\n", "beta 0 1\n");
    QTest::newRow("s1") << QStringLiteral("s1.cost") << s1;
}

void TestCTestCostData::roundTrip()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, expected);
    QCOMPARE(serializeCostData(parseCostData(sample(file))), expected);
}

void TestCTestCostData::replayRuns_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("run");
    QTest::addColumn<bool>("parallel");
    QTest::newRow("s1: -j2 from the hand-made file") << QStringLiteral("s0.cost") << QStringLiteral("s1") << true;
    QTest::newRow("s2: -j1 (stored costs ignored)") << QStringLiteral("s1.cost") << QStringLiteral("s2") << false;
    QTest::newRow("s3: -j2 -R alpha|costly") << QStringLiteral("s2.cost") << QStringLiteral("s3") << true;
}

void TestCTestCostData::replayRuns()
{
    QFETCH(QString, before);
    QFETCH(QString, run);
    QFETCH(bool, parallel);
    const CostData previous = parseCostData(sample(before));
    const QVector<RunRecord> records = recordsOf(run);
    QVERIFY(!records.isEmpty());
    const CostData next = updated(previous, records, parallel);
    QCOMPARE(QString::fromUtf8(serializeCostData(next)), QString::fromUtf8(sample(run + QStringLiteral(".cost"))));
}

void TestCTestCostData::lastTestsFailedSample_data()
{
    QTest::addColumn<QString>("run");
    QTest::newRow("s1") << QStringLiteral("s1");
    QTest::newRow("s2") << QStringLiteral("s2");
}

void TestCTestCostData::lastTestsFailedSample()
{
    QFETCH(QString, run);
    const QVector<FailedTest> failed = failedOf(recordsOf(run));
    QCOMPARE(serializeLastTestsFailed(failed), sample(run + QStringLiteral(".ltf")));
    QCOMPARE(ctest::parseLastTestsFailed(sample(run + QStringLiteral(".ltf"))).size(), 4);
    // s3 had no failure: ctest left the file of s2 in place.
    QCOMPARE(sample(QStringLiteral("s3.ltf")), sample(QStringLiteral("s2.ltf")));
    QVERIFY(failedOf(recordsOf(QStringLiteral("s3"))).isEmpty());
}

void TestCTestCostData::lineSplitting()
{
    // Captured: this file, then `ctest -j2 -R nomatch` (no test in the run).
    const QByteArray input = " lead 1 0.5\ntrail 2 0.25 \nmany   3   0.125  x\ntab\t4 0.5 1\ncrlf 5 0.5\r\n"
                             "---\r\nafter 1 1\n---\nfailedname\n";
    const QByteArray ctestWrote = " 0 1\ntrail 2 0.25\nmany 0 3\ntab\t4 0 1\ncrlf 5 0.5\n---\n";
    QCOMPARE(serializeCostData(updated(parseCostData(input), {}, true)), ctestWrote);

    const CostData data = parseCostData(input);
    QCOMPARE(data.entries.size(), 5);
    QCOMPARE(data.entries.at(0), (CostEntry {QString(), 0, 1.0f})); // fields "", "lead", "1", "0.5"
    QCOMPARE(data.entries.at(2), (CostEntry {QStringLiteral("many"), 0, 3.0f})); // "many", " ", "3", ...
    QCOMPARE(data.entries.at(3), (CostEntry {QStringLiteral("tab\t4"), 0, 1.0f}));
    QCOMPARE(data.failed, QStringList()); // "---\r" is not "---": a one-field line ends the reading

    // Names with a space: ctest never finds their line again.
    const CostData spaced = parseCostData("two words 1 0.10267\n---\n");
    QCOMPARE(spaced.entries, (QVector<CostEntry> {{QStringLiteral("two"), 0, 1.0f}}));
    const CostData next = updated(spaced, {passed(2, "two words", 0.10373)}, false);
    // Captured from ctest 3.25.1 (serial run of "two words" after this file).
    QCOMPARE(serializeCostData(next), QByteArray("two 0 1\ntwo words 1 0.10373\n---\n"));
}

void TestCTestCostData::atoiAtof()
{
    // Captured: "fast  7 0.5\nflaky 3abc 1e-7x\n---\n", no test in the run.
    QCOMPARE(serializeCostData(updated(parseCostData("fast  7 0.5\nflaky 3abc 1e-7x\n---\n"), {}, true)),
        QByteArray("fast 7 0.5\nflaky 3 1e-07\n---\n"));
    // Garbage reads as 0; signs and exponents as C does.
    const CostData data = parseCostData("a x y\nb -3 -2.5e1\nc +4 .5\nd 99999999999 1e400x\n---\n");
    QCOMPARE(data.entries.at(0), (CostEntry {QStringLiteral("a"), 0, 0.0f}));
    QCOMPARE(data.entries.at(1), (CostEntry {QStringLiteral("b"), -3, -25.0f}));
    QCOMPARE(data.entries.at(2), (CostEntry {QStringLiteral("c"), 4, 0.5f}));
    QCOMPARE(data.entries.at(3).runs, int(99999999999LL & 0xffffffff)); // (int)strtol
    QVERIFY(qIsInf(data.entries.at(3).cost));
}

void TestCTestCostData::stopsAtShortLine()
{
    // Captured: with this file, ctest -j2 -R fast (fast passed) wrote
    // "fast 1000001 0.5\n---\n": the lines after "bad line" are gone.
    const QByteArray input = "fast 1000000 0.5\nbad line\nflaky 3 0.25\n---\nzzz\n";
    QCOMPARE(serializeCostData(updated(parseCostData(input), {passed(1, "fast", 0.3)}, true)),
        QByteArray("fast 1000001 0.5\n---\n"));
    // An empty line does the same, and flaky's runs were never read:
    // ctest -j2 -R flaky wrote "fast 1000000 0.5\nflaky 1 0.0543986\n---\n".
    const QByteArray empty = "fast 1000000 0.5\n\nflaky 3 0.25\n---\nzzz\n";
    QCOMPARE(serializeCostData(updated(parseCostData(empty), {passed(3, "flaky", 0.0543986)}, true)),
        QByteArray("fast 1000000 0.5\nflaky 1 0.0543986\n---\n"));
}

void TestCTestCostData::noCapOnRuns()
{
    const CostData data = parseCostData("t 2147483646 0.5\n---\n");
    const CostData next = updated(data, {passed(1, "t", 0.5)}, true);
    QCOMPARE(next.entries.at(0).runs, 2147483647);
}

void TestCTestCostData::serialRunsStartFromCostProperty()
{
    // Captured sequence (ctest -j1 twice, then -j2): fast took ~0.30 s each
    // time; "fast 1 0.303486" became "fast 2 0.152198" in the serial run.
    const CostData one = parseCostData("fast 1 0.303486\n---\n");
    QCOMPARE(
        serializeCostData(updated(one, {passed(1, "fast", 0.304396)}, false)), QByteArray("fast 2 0.152198\n---\n"));
    // In a parallel run the stored average counts.
    QCOMPARE(
        serializeCostData(updated(one, {passed(1, "fast", 0.304396)}, true)), QByteArray("fast 2 0.303941\n---\n"));
    // A failing test in a serial run loses its stored cost ("flaky 4 0").
    const CostData flaky = parseCostData("flaky 4 0.040404\n---\n");
    RunRecord failed {3, QStringLiteral("flaky"), Status::Failed, 0.05, 0.0f};
    QCOMPARE(serializeCostData(updated(flaky, {failed}, false)), QByteArray("flaky 4 0\n---\nflaky\n"));
    QCOMPARE(serializeCostData(updated(flaky, {failed}, true)), QByteArray("flaky 4 0.040404\n---\nflaky\n"));
    // The COST property is the starting cost. Captured: "costly 1 0.00137112"
    // became "costly 2 2.50081" in a serial run (COST 5, ~0.0016 s), then
    // "costly 3 3.33412" in a -j2 run: the property wins over the stored
    // cost in parallel runs too.
    RunRecord costly {7, QStringLiteral("costly"), Status::Passed, 0.00162, 5.0f};
    QCOMPARE(serializeCostData(updated(parseCostData("costly 1 0.00137112\n---\n"), {costly}, false)),
        QByteArray("costly 2 2.50081\n---\n"));
    costly.seconds = 0.00236;
    QCOMPARE(serializeCostData(updated(parseCostData("costly 2 2.50081\n---\n"), {costly}, true)),
        QByteArray("costly 3 3.33412\n---\n"));
}

void TestCTestCostData::repeatedRuns()
{
    // --repeat until-fail:3 runs a passing test three times: three updates.
    const QVector<RunRecord> runs {passed(1, "t", 1.0), passed(1, "t", 2.0), passed(1, "t", 3.0)};
    const CostData next = updated({}, runs, true);
    QCOMPARE(next.entries, (QVector<CostEntry> {{QStringLiteral("t"), 3, 2.0f}}));
    // Only the last run decides whether it failed.
    QVector<RunRecord> untilPass {passed(1, "t", 1.0)};
    untilPass.prepend(RunRecord {1, QStringLiteral("t"), Status::Failed, 1.0, 0.0f});
    QCOMPARE(updated({}, untilPass, true).failed, QStringList());
}

void TestCTestCostData::failedListOrder()
{
    // Completion order, not #K order; skipped and disabled tests are not failed.
    const QVector<RunRecord> records {
        RunRecord {5, QStringLiteral("off"), Status::Disabled, 0, 0},
        RunRecord {9, QStringLiteral("z"), Status::Timeout, 1, 0},
        RunRecord {4, QStringLiteral("skip"), Status::Skipped, 0, 0},
        RunRecord {2, QStringLiteral("b"), Status::Crashed, 0, 0},
        RunRecord {6, QStringLiteral("nr"), Status::NotRun, 0, 0},
        RunRecord {1, QStringLiteral("a"), Status::Failed, 0, 0},
    };
    const CostData next = updated({}, records, true);
    QCOMPARE(next.failed,
        (QStringList {QStringLiteral("z"), QStringLiteral("b"), QStringLiteral("nr"), QStringLiteral("a")}));
    // New tests are appended in #K order with runs 0, cost 0.
    QCOMPARE(serializeCostData(next), QByteArray("a 0 0\nb 0 0\nskip 0 0\noff 0 0\nnr 0 0\nz 0 0\n---\nz\nb\nnr\na\n"));
}

void TestCTestCostData::formatCostLikePrintf_data()
{
    QTest::addColumn<float>("cost");
    for (float f : {0.0f, 1.0f, 0.5f, 0.303486f, 1e-07f, 1.5e-05f, 0.0001f, 0.00012345678f, 2.50081f, 123456.0f,
             1234567.0f, 999999.5f, 3.38425f, 100.0f, 1e+20f, -0.25f}) {
        QTest::newRow(qPrintable(QString::number(double(f), 'g', 9))) << f;
    }
}

void TestCTestCostData::formatCostLikePrintf()
{
    QFETCH(float, cost);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%g", double(cost));
    QCOMPARE(formatCost(cost), QByteArray(buffer));
}

void TestCTestCostData::parseLastTestsFailed()
{
    const QVector<FailedTest> failed
        = ctest::parseLastTestsFailed("3:flaky\n9:colon:name\nnocolon\n:x\n 2abc:y\n4:crlf\r\n12:last");
    const QVector<FailedTest> expected {
        {3, QStringLiteral("flaky")},
        {9, QStringLiteral("colon:name")},
        {0, QStringLiteral("x")},
        {2, QStringLiteral("y")},
        {4, QStringLiteral("crlf")},
        {12, QStringLiteral("last")},
    };
    QCOMPARE(failed, expected);
    QCOMPARE(serializeLastTestsFailed({{9, QStringLiteral("b")}, {3, QStringLiteral("a")}}), QByteArray("3:a\n9:b\n"));
}

void TestCTestCostData::files()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString build = dir.path();
    const QString costs = costDataPath(build);
    QCOMPARE(costs, build + QStringLiteral("/Testing/Temporary/CTestCostData.txt"));
    QCOMPARE(lastTestsFailedPath(build), build + QStringLiteral("/Testing/Temporary/LastTestsFailed.log"));

    // Missing files are empty data, not errors.
    CostData data;
    data.entries.append(CostEntry {QStringLiteral("stale"), 1, 1});
    QString error;
    QVERIFY(readCostData(costs, &data, &error));
    QCOMPARE(data, CostData());
    QVector<FailedTest> failed {{1, QStringLiteral("stale")}};
    QVERIFY(readLastTestsFailed(lastTestsFailedPath(build), &failed, &error));
    QVERIFY(failed.isEmpty());

    // Writing creates Testing/Temporary and leaves no temporary file behind.
    const CostData s1 = parseCostData(sample(QStringLiteral("s3.cost")));
    QVERIFY2(writeCostData(costs, s1, &error), qPrintable(error));
    QFile written(costs);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.readAll(), sample(QStringLiteral("s3.cost")));
    QCOMPARE(QDir(build + QStringLiteral("/Testing/Temporary")).entryList(QDir::Files),
        QStringList {QStringLiteral("CTestCostData.txt")});
    CostData back;
    QVERIFY(readCostData(costs, &back, &error));
    QCOMPARE(back, s1);

    QVERIFY(updateLastTestsFailed(
        lastTestsFailedPath(build), {{9, QStringLiteral("colon:name")}, {3, QStringLiteral("flaky")}}, &error));
    QVERIFY(readLastTestsFailed(lastTestsFailedPath(build), &failed, &error));
    QCOMPARE(failed, (QVector<FailedTest> {{3, QStringLiteral("flaky")}, {9, QStringLiteral("colon:name")}}));

    // A directory where the file should be is an error with a message.
    const QString blocked = build + QStringLiteral("/blocked");
    QVERIFY(QDir().mkpath(blocked + QStringLiteral("/Testing/Temporary/CTestCostData.txt")));
    error.clear();
    QVERIFY(!writeCostData(costDataPath(blocked), s1, &error));
    QVERIFY(error.contains(costDataPath(blocked)));
}

void TestCTestCostData::lastTestsFailedFileUntouchedWhenNothingFailed()
{
    QTemporaryDir dir;
    const QString path = lastTestsFailedPath(dir.path());
    QString error;
    QVERIFY(updateLastTestsFailed(path, {}, &error));
    QVERIFY(!QFile::exists(path)); // nothing failed, nothing written
    QVERIFY(updateLastTestsFailed(path, {{2, QStringLiteral("b")}}, &error));
    QVERIFY(updateLastTestsFailed(path, {}, &error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("2:b\n"));
}

void TestCTestCostData::findNewestLastTestsFailed()
{
    QTemporaryDir dir;
    QCOMPARE(findLastTestsFailedLog(dir.path()), QString());
    const QString tmp = dir.path() + QStringLiteral("/Testing/Temporary/");
    QVERIFY(QDir().mkpath(tmp));
    auto touch = [&](const QString &name, const QDateTime &when) {
        QFile f(tmp + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("1:a\n");
        QVERIFY(f.flush());
        QVERIFY(f.setFileTime(when, QFileDevice::FileModificationTime));
    };
    const QDateTime now = QDateTime::currentDateTime();
    touch(QStringLiteral("LastTestsFailed.log"), now.addSecs(-60));
    touch(QStringLiteral("LastTestsFailed_20261126-0530.log"), now);
    touch(QStringLiteral("LastTest.log"), now.addSecs(60));
    QCOMPARE(findLastTestsFailedLog(dir.path()), tmp + QStringLiteral("LastTestsFailed_20261126-0530.log"));
}

QTEST_GUILESS_MAIN(TestCTestCostData)
#include "tst_ctestcostdata.moc"
