// SPDX-License-Identifier: BSD-3-Clause
// Result bundles (--archive) and `ctestd report`, with the real ctestd on
// real GoogleTest programs: the replay is the run byte for byte in every
// format; the system's tar and unzip read what KArchive wrote; artifacts
// are kept per process and links are not; an interrupted run keeps its
// bundle; shards merge into the unsharded run, and shards that cannot
// make a whole are refused; hostile archives built here are refused with
// one line, writing nothing.
#include "runhelpers.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>

class TestBundle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void replayIsTheRun_data();
    void replayIsTheRun();
    void buildTreeBundleKeepsTheCTestFiles();
    void artifactsAreKeptPerProcess_data();
    void artifactsAreKeptPerProcess();
    void interruptedRunKeepsItsBundle();
    void shardsMergeIntoTheWholeRun_data();
    void shardsMergeIntoTheWholeRun();
    void shardsThatCannotMakeAWholeAreRefused();
    void hostileBundlesAreRefused_data();
    void hostileBundlesAreRefused();
    void bundleThatCannotBeWrittenStopsTheRun();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    QString m_goodTar; // an uncompressed bundle of gt_basic, for the hostile rows
    QString m_goodTarGz;
    QString m_goodZip;
};

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// One file out of a bundle, by the system's tar or unzip.
QByteArray systemExtract(const QString &bundle, const QString &name, QString *error)
{
    const bool zip = bundle.endsWith(QLatin1String(".zip"));
    const CtestdRun run = runProgram(zip ? QStringLiteral("unzip") : QStringLiteral("tar"),
        zip ? QStringList {QStringLiteral("-p"), bundle, name} : QStringList {QStringLiteral("-xOf"), bundle, name},
        QProcessEnvironment::systemEnvironment(), QString(), 60000);
    if (!run.started || run.exitCode != 0)
        *error = QStringLiteral("%1 failed on %2: %3")
                     .arg(zip ? QStringLiteral("unzip") : QStringLiteral("tar"), bundle, QString::fromUtf8(run.err));
    return run.out;
}

QStringList systemList(const QString &bundle)
{
    const bool zip = bundle.endsWith(QLatin1String(".zip"));
    const CtestdRun run = runProgram(zip ? QStringLiteral("unzip") : QStringLiteral("tar"),
        zip ? QStringList {QStringLiteral("-Z1"), bundle} : QStringList {QStringLiteral("-tf"), bundle},
        QProcessEnvironment::systemEnvironment(), QString(), 60000);
    QStringList names = QString::fromUtf8(run.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (int i = int(names.size()) - 1; i >= 0; --i) {
        if (names[i].endsWith(QLatin1Char('/')))
            names.removeAt(i); // a folder
    }
    names.sort();
    return names;
}

QJsonObject json(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

// A tar header (ustar), its checksum filled in. `size` < 0: written in
// GNU's base-256 form as -size (a size octal cannot hold).
QByteArray tarHeader(const QByteArray &name, qint64 size, char type, const QByteArray &link = {})
{
    QByteArray header(512, '\0');
    header.replace(0, qMin(100, int(name.size())), name.left(100));
    header.replace(100, 7, "0000644");
    header.replace(108, 7, "0000000");
    header.replace(116, 7, "0000000");
    if (size >= 0) {
        header.replace(124, 11, QByteArray::number(size, 8).rightJustified(11, '0'));
    } else {
        quint64 big = quint64(-size);
        header[124] = char(0x80);
        for (int i = 135; i > 124; --i, big >>= 8)
            header[i] = char(big & 0xff);
    }
    header.replace(136, 11, "00000000000");
    header[156] = type;
    header.replace(157, qMin(100, int(link.size())), link.left(100));
    header.replace(257, 6, QByteArray("ustar\0", 6));
    header.replace(263, 2, "00");
    header.replace(148, 8, "        ");
    int sum = 0;
    for (char c : qAsConst(header))
        sum += static_cast<unsigned char>(c);
    header.replace(148, 7, QByteArray::number(sum, 8).rightJustified(6, '0') + '\0');
    return header;
}

QByteArray tarFile(const QByteArray &name, const QByteArray &data)
{
    QByteArray entry = tarHeader(name, data.size(), '0') + data;
    entry.append(QByteArray((512 - data.size() % 512) % 512, '\0'));
    return entry;
}

// A stored zip with the given entries; `modes` gives an entry's Unix mode
// (symbolic links), 0 for a plain file. The CRCs are left 0: a reader that
// checks names first never gets to them.
QByteArray zipArchive(const QList<QPair<QByteArray, QByteArray>> &entries, const QList<quint32> &modes)
{
    const auto le16 = [](int v) {
        const char bytes[] = {char(v & 0xff), char((v >> 8) & 0xff)};
        return QByteArray(bytes, 2);
    };
    const auto le32 = [](quint32 v) {
        const char bytes[] = {char(v & 0xff), char((v >> 8) & 0xff), char((v >> 16) & 0xff), char((v >> 24) & 0xff)};
        return QByteArray(bytes, 4);
    };
    QByteArray body;
    QByteArray directory;
    for (int i = 0; i < entries.size(); ++i) {
        const QByteArray &name = entries[i].first;
        const QByteArray &data = entries[i].second;
        const quint32 offset = quint32(body.size());
        body += le32(0x04034b50) + le16(10) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(data.size())
            + le32(data.size()) + le16(name.size()) + le16(0) + name + data;
        directory += le32(0x02014b50) + le16(0x031e) + le16(10) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            + le32(data.size()) + le32(data.size()) + le16(name.size()) + le16(0) + le16(0) + le16(0) + le16(0)
            + le32(modes.value(i) << 16) + le32(offset) + name;
    }
    return body + directory + le32(0x06054b50) + le16(0) + le16(0) + le16(entries.size()) + le16(entries.size())
        + le32(directory.size()) + le32(body.size()) + le16(0);
}

QStringList basicArguments()
{
    return {
        QStringLiteral("-j2"), gtestProgram(QStringLiteral("gt_basic")), gtestProgram(QStringLiteral("gt_fixtures"))};
}

} // namespace

void TestBundle::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const char *tool : {"tar", "unzip", "zstd", "xz", "bzip2"}) {
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QFAIL(qPrintable(
                QStringLiteral("%1 is missing: install it (cmake/install-deps.sh does)").arg(QLatin1String(tool))));
    }
    m_goodTar = path(QStringLiteral("good.tar"));
    m_goodTarGz = path(QStringLiteral("good.tar.gz"));
    m_goodZip = path(QStringLiteral("good.zip"));
    for (const QString &bundle : {m_goodTar, m_goodTarGz, m_goodZip}) {
        const CtestdRun run = runCtestd(QStringList {QStringLiteral("--archive"), bundle} + basicArguments());
        QCOMPARE(run.exitCode, 8);
        QVERIFY(QFileInfo(bundle).isFile());
    }
}

void TestBundle::replayIsTheRun_data()
{
    QTest::addColumn<QString>("extension");
    QTest::addColumn<QStringList>("options");
    QTest::newRow("tar.gz") << QStringLiteral("tar.gz") << QStringList {};
    QTest::newRow("tar.xz --output-on-failure")
        << QStringLiteral("tar.xz") << QStringList {QStringLiteral("--output-on-failure")};
    QTest::newRow("tar.zst -V") << QStringLiteral("tar.zst") << QStringList {QStringLiteral("-V")};
    QTest::newRow("tar.bz2 --durations 0")
        << QStringLiteral("tar.bz2") << QStringList {QStringLiteral("--durations"), QStringLiteral("0")};
    QTest::newRow("tar --repeat until-pass:2")
        << QStringLiteral("tar") << QStringList {QStringLiteral("--repeat"), QStringLiteral("until-pass:2")};
    QTest::newRow("zip --output-on-failure -V")
        << QStringLiteral("zip") << QStringList {QStringLiteral("--output-on-failure"), QStringLiteral("-V")};
}

void TestBundle::replayIsTheRun()
{
    QFETCH(QString, extension);
    QFETCH(QStringList, options);
    const QString bundle = path(QStringLiteral("replay.") + extension);
    const QString junit = path(QStringLiteral("replay-%1.xml").arg(extension));
    const QString report = path(QStringLiteral("replay-%1.json").arg(extension));
    // gt_output: invalid UTF-8, NUL, CR, a 10 MB failure message, and 3 MB
    // without a newline: more than the 1 MiB a case keeps.
    QProcessEnvironment big;
    big.insert(QStringLiteral("CTESTD_BIG_OUTPUT_BYTES"), QStringLiteral("3000000"));
    const CtestdRun run = runCtestd(QStringList {QStringLiteral("--archive"), bundle, QStringLiteral("--output-junit"),
                                        junit, QStringLiteral("--output-json"), report}
            + options + basicArguments() + QStringList {gtestProgram(QStringLiteral("gt_output"))},
        big);
    QCOMPARE(run.exitCode, 8);
    QVERIFY(run.out.contains("Math.Fail"));

    // The replay with the same switches: the same console, code and files.
    const QString junitAgain = path(QStringLiteral("again-%1.xml").arg(extension));
    const QString reportAgain = path(QStringLiteral("again-%1.json").arg(extension));
    const CtestdRun replay = runCtestd({QStringLiteral("report"), bundle, QStringLiteral("--output-junit"), junitAgain,
        QStringLiteral("--output-json"), reportAgain});
    QCOMPARE(replay.exitCode, run.exitCode);
    QCOMPARE(replay.out, run.out);
    QCOMPARE(replay.err, run.err);
    QCOMPARE(readFile(junitAgain), readFile(junit));
    const QJsonObject original = json(readFile(report));
    const QJsonObject again = json(readFile(reportAgain));
    QVERIFY(!original.value(QLatin1String("cases")).toArray().isEmpty());
    for (const char *field : {"cases", "events", "exitCode", "host", "seconds", "started"})
        QVERIFY2(again.value(QLatin1String(field)) == original.value(QLatin1String(field)), field);
    // The processes too, but for where the bundle keeps their files, which
    // the run's own JSON report cannot know.
    const auto withoutBundlePaths = [](const QJsonArray &processes) {
        QJsonArray stripped;
        for (const QJsonValue &process : processes) {
            QJsonObject object = process.toObject();
            object.remove(QLatin1String("artifacts"));
            object.remove(QLatin1String("output"));
            stripped.append(object);
        }
        return stripped;
    };
    QCOMPARE(withoutBundlePaths(again.value(QLatin1String("processes")).toArray()),
        withoutBundlePaths(original.value(QLatin1String("processes")).toArray()));

    // The system's tools read it: every file, the console and JUnit as written.
    QString error;
    QStringList names = systemList(bundle);
    QStringList logs;
    for (int i = int(names.size()) - 1; i >= 0; --i) {
        if (names[i].startsWith(QLatin1String("output/")))
            logs.append(names.takeAt(i));
    }
    QCOMPARE(names,
        (QStringList {QStringLiteral("console/stderr.txt"), QStringLiteral("console/stdout.txt"),
            QStringLiteral("junit.xml"), QStringLiteral("manifest.json"), QStringLiteral("run.json")}));
    // gt_output's process printed more than its cases kept: its whole
    // output is kept beside them, all 3 MB of Out.Big and the rest.
    QVERIFY2(!logs.isEmpty(), qPrintable(systemList(bundle).join(QLatin1Char(' '))));
    const QByteArray whole = systemExtract(bundle, logs.constFirst(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(whole.size() > 3000000, qPrintable(QString::number(whole.size())));
    QVERIFY(whole.contains("[ RUN      ] Out.Big"));
    QVERIFY(whole.contains("[ RUN      ] Out.HugeMessage"));
    QVERIFY(run.out.size() + readFile(junit).size() < whole.size()); // the reports keep less
    QCOMPARE(systemExtract(bundle, QStringLiteral("console/stdout.txt"), &error), run.out);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(systemExtract(bundle, QStringLiteral("console/stderr.txt"), &error), run.err);
    QCOMPARE(systemExtract(bundle, QStringLiteral("junit.xml"), &error), readFile(junit));
    const QJsonObject manifest = json(systemExtract(bundle, QStringLiteral("manifest.json"), &error));
    QCOMPARE(manifest.value(QLatin1String("format")).toString(), QStringLiteral("ctestd-bundle"));
    QCOMPARE(manifest.value(QLatin1String("version")).toInt(), 1);
    QCOMPARE(manifest.value(QLatin1String("exitCode")).toInt(), 8);
    QCOMPARE(
        manifest.value(QLatin1String("selection")).toObject().value(QLatin1String("executables")).toArray().size(), 3);
    QCOMPARE(manifest.value(QLatin1String("cases")).toInt(), original.value(QLatin1String("cases")).toArray().size());
    const QJsonObject record = json(systemExtract(bundle, QStringLiteral("run.json"), &error));
    QCOMPARE(record.value(QLatin1String("cases")), original.value(QLatin1String("cases")));
    QStringList outputs;
    for (const QJsonValue &process : record.value(QLatin1String("processes")).toArray()) {
        const QString output = process.toObject().value(QLatin1String("output")).toString();
        if (!output.isEmpty())
            outputs.append(output);
    }
    outputs.sort();
    logs.sort();
    QCOMPARE(outputs, logs); // the record says which process printed what

    // Asked for more, the replay prints more: the failures' output.
    if (!options.contains(QLatin1String("--output-on-failure"))) {
        const CtestdRun more = runCtestd({QStringLiteral("report"), bundle, QStringLiteral("--output-on-failure")});
        QCOMPARE(more.exitCode, 8);
        QVERIFY(more.out.size() > run.out.size());
        QVERIFY(more.out.contains("Expected equality of these values"));
    }
}

void TestBundle::buildTreeBundleKeepsTheCTestFiles()
{
    // A build tree of plain tests, read by the real ctest.
    const QString tree = path(QStringLiteral("tree"));
    QVERIFY(QDir().mkpath(tree));
    QVERIFY(writeFile(tree + QStringLiteral("/CTestTestfile.cmake"),
        "add_test(passes \"/bin/sh\" \"-c\" \"echo fine\")\n"
        "add_test(fails \"/bin/sh\" \"-c\" \"echo broken; exit 3\")\n"
        "set_tests_properties(fails PROPERTIES LABELS \"slow\")\n"));
    const QString bundle = path(QStringLiteral("tree.tar.gz"));
    const CtestdRun run = runCtestd({QStringLiteral("--test-dir"), tree, QStringLiteral("-T"), QStringLiteral("Test"),
        QStringLiteral("--archive"), bundle, QStringLiteral("--output-on-failure")});
    QCOMPARE(run.exitCode, 8);
    QVERIFY(run.out.startsWith("Internal ctest changing into directory"));
    const CtestdRun replay = runCtestd({QStringLiteral("report"), bundle});
    QCOMPARE(replay.exitCode, 8);
    QCOMPARE(replay.out, run.out);
    QCOMPARE(replay.err, run.err);
    const QStringList names = systemList(bundle);
    QVERIFY2(names.contains(QStringLiteral("ctest/Testing/Temporary/CTestCostData.txt")),
        qPrintable(names.join(QLatin1Char(' '))));
    QVERIFY(names.contains(QStringLiteral("ctest/Testing/Temporary/LastTestsFailed_")
        + QString::fromUtf8(readFile(tree + QStringLiteral("/Testing/TAG")).split('\n').first())
        + QStringLiteral(".log")));
    QVERIFY(names.contains(QStringLiteral("ctest/Testing/TAG")));
    QString error;
    const QString tag = QString::fromUtf8(readFile(tree + QStringLiteral("/Testing/TAG")).split('\n').first());
    QCOMPARE(systemExtract(bundle, QStringLiteral("ctest/Testing/%1/Test.xml").arg(tag), &error),
        readFile(tree + QStringLiteral("/Testing/%1/Test.xml").arg(tag)));
    QCOMPARE(systemExtract(bundle, QStringLiteral("ctest/Testing/Temporary/CTestCostData.txt"), &error),
        readFile(tree + QStringLiteral("/Testing/Temporary/CTestCostData.txt")));
}

void TestBundle::artifactsAreKeptPerProcess_data()
{
    QTest::addColumn<QString>("bundleName");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("folders"); // of first.txt, logs/second.log, dump.bin
    QTest::newRow("one process per case, zip")
        << QStringLiteral("cases.zip") << QStringList {QStringLiteral("--group-by"), QStringLiteral("case")}
        << QStringList {QStringLiteral("Shots.First"), QStringLiteral("Shots.Second"), QStringLiteral("Lone.Dump")};
    QTest::newRow("a process per suite, tar.xz")
        << QStringLiteral("suites.tar.xz") << QStringList {QStringLiteral("-j1")}
        << QStringList {QStringLiteral("gt_artifacts-Shots"), QStringLiteral("gt_artifacts-Shots"),
               QStringLiteral("Lone.Dump")}; // a process of one case is named after it
}

void TestBundle::artifactsAreKeptPerProcess()
{
    QFETCH(QString, bundleName);
    QFETCH(QStringList, options);
    QFETCH(QStringList, folders);
    const QString bundle = path(bundleName);
    const CtestdRun run = runCtestd(QStringList {QStringLiteral("--archive"), bundle} + options
        + QStringList {gtestProgram(QStringLiteral("gt_artifacts"))});
    QCOMPARE(run.exitCode, 8);
    const QMap<QString, QString> statuses = consoleStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("Shots.First")), QStringLiteral("Passed")); // the variable was there
    QCOMPARE(statuses.value(QStringLiteral("Shots.Second")), QStringLiteral("Passed"));
    QCOMPARE(statuses.value(QStringLiteral("Lone.Dump")), QStringLiteral("***Failed"));

    const QString first = QStringLiteral("artifacts/%1/first.txt").arg(folders[0]);
    const QString second = QStringLiteral("artifacts/%1/logs/second.log").arg(folders[1]);
    const QString dump = QStringLiteral("artifacts/%1/dump.bin").arg(folders[2]);
    const QStringList names = systemList(bundle);
    QVERIFY2(names.contains(first) && names.contains(second) && names.contains(dump),
        qPrintable(names.join(QLatin1Char(' '))));
    QVERIFY2(!names.join(QLatin1Char(' ')).contains(QLatin1String("link")),
        qPrintable(names.join(QLatin1Char(' ')))); // the link is not kept
    QString error;
    QCOMPARE(systemExtract(bundle, first, &error), QByteArray("first shot"));
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    QCOMPARE(systemExtract(bundle, dump, &error), bytes);
    const QJsonObject manifest = json(systemExtract(bundle, QStringLiteral("manifest.json"), &error));
    QCOMPARE(manifest.value(QLatin1String("skipped")).toArray(),
        QJsonArray {QStringLiteral("artifacts/%1/link: a symbolic link").arg(folders[2])});
    // The record says which process left what.
    const QJsonArray processes
        = json(systemExtract(bundle, QStringLiteral("run.json"), &error)).value(QLatin1String("processes")).toArray();
    QStringList kept;
    for (const QJsonValue &process : processes)
        kept.append(process.toObject().value(QLatin1String("artifacts")).toString());
    QVERIFY2(kept.contains(QStringLiteral("artifacts/") + folders[2]), qPrintable(kept.join(QLatin1Char(' '))));

    // `ctestd report --artifacts` copies them out, the link still left out.
    const QString out = path(bundleName + QStringLiteral("-artifacts"));
    const CtestdRun report = runCtestd({QStringLiteral("report"), bundle, QStringLiteral("--artifacts"), out});
    QCOMPARE(report.exitCode, 8);
    QCOMPARE(readFile(out + QLatin1Char('/') + first), QByteArray("first shot"));
    QCOMPARE(readFile(out + QLatin1Char('/') + second), QByteArray("second shot"));
    QCOMPARE(readFile(out + QLatin1Char('/') + dump), bytes);
    QDirIterator it(
        out, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System | QDir::Hidden, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        it.next();
        QVERIFY2(!it.fileInfo().isSymLink(), qPrintable(it.filePath()));
        files += it.fileInfo().isFile() ? 1 : 0;
    }
    QCOMPARE(files, 3);
    // Again into the same folder: nothing is overwritten.
    const CtestdRun twice = runCtestd({QStringLiteral("report"), bundle, QStringLiteral("--artifacts"), out});
    QCOMPARE(twice.exitCode, 1);
    QVERIFY2(twice.err.startsWith("ctestd report: " + bundle.toUtf8() + ": cannot create "), twice.err.constData());
}

void TestBundle::interruptedRunKeepsItsBundle()
{
    const QString bundle = path(QStringLiteral("interrupted.tar.gz"));
    QProcess process;
    process.setProgram(QStringLiteral(CTESTD_EXECUTABLE));
    process.setArguments({QStringLiteral("-j1"), QStringLiteral("--archive"), bundle, QStringLiteral("--timeout"),
        QStringLiteral("60"), gtestProgram(QStringLiteral("gt_hang")), gtestProgram(QStringLiteral("gt_basic"))});
    process.start();
    QVERIFY(process.waitForStarted());
    QByteArray out;
    QElapsedTimer clock;
    clock.start();
    while (!out.contains("Start  2: Hang.Forever") && clock.elapsed() < 30000) {
        process.waitForReadyRead(200);
        out += process.readAllStandardOutput();
    }
    QVERIFY2(out.contains("Start  2: Hang.Forever"), out.constData());
    QTest::qWait(300);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(30000));
    out += process.readAllStandardOutput();
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(process.exitCode(), 130);
    QVERIFY(QFileInfo(bundle).isFile());

    const CtestdRun replay = runCtestd({QStringLiteral("report"), bundle});
    QCOMPARE(replay.exitCode, 130);
    QCOMPARE(replay.out, out);
    QCOMPARE(replay.err, err); // the interrupt notice included, in its place
    QVERIFY(err.contains("interrupted by signal 2"));
    const QMap<QString, QString> statuses = consoleStatuses(replay.out);
    // Hang.Quick passed in the stream of the process the interrupt killed:
    // Passed if its end was confirmed in time, else Not Run, never more.
    const QString quick = statuses.value(QStringLiteral("Hang.Quick"));
    QVERIFY2(quick == QLatin1String("Passed") || quick == QLatin1String("***Not Run"), qPrintable(quick));
    QCOMPARE(statuses.value(QStringLiteral("Hang.Forever")), QStringLiteral("***Exception: Interrupt"));
    QCOMPARE(statuses.value(QStringLiteral("Math.Add")), QStringLiteral("***Not Run")); // never started
}

void TestBundle::shardsMergeIntoTheWholeRun_data()
{
    QTest::addColumn<int>("count");
    for (int n : {1, 2, 3, 7})
        QTest::newRow(qPrintable(QStringLiteral("N=%1").arg(n))) << n;
}

void TestBundle::shardsMergeIntoTheWholeRun()
{
    QFETCH(int, count);
    const QStringList programs = {gtestProgram(QStringLiteral("gt_basic")), gtestProgram(QStringLiteral("gt_fixtures")),
        gtestProgram(QStringLiteral("gt_many"))};
    const QString wholeJUnit = path(QStringLiteral("whole.xml"));
    const CtestdRun whole
        = runCtestd(QStringList {QStringLiteral("-j2"), QStringLiteral("--output-junit"), wholeJUnit} + programs);
    QCOMPARE(whole.exitCode, 8);
    const QMap<QString, QString> expected = consoleStatuses(whole.out);
    QVERIFY(expected.size() > 300);

    QStringList bundles;
    QMap<QString, int> seen;
    for (int i = 1; i <= count; ++i) {
        const QString bundle = path(QStringLiteral("shard-%1-of-%2.tar.zst").arg(i).arg(count));
        const CtestdRun shard
            = runCtestd(QStringList {QStringLiteral("-j2"), QStringLiteral("--shard"),
                            QStringLiteral("%1/%2").arg(i).arg(count), QStringLiteral("--archive"), bundle}
                + programs);
        QVERIFY2(shard.exitCode == 0 || shard.exitCode == 8, shard.err.constData());
        const QMap<QString, QString> statuses = consoleStatuses(shard.out);
        for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
            ++seen[it.key()];
        bundles.append(bundle);
    }
    // Every case in exactly one shard.
    QCOMPARE(seen.size(), expected.size());
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        QVERIFY2(it.value() == 1, qPrintable(it.key()));

    const QString merged = path(QStringLiteral("merged-%1.xml").arg(count));
    const CtestdRun report
        = runCtestd(QStringList {QStringLiteral("report"), QStringLiteral("--output-junit"), merged} + bundles);
    QCOMPARE(report.exitCode, 8);
    QCOMPARE(consoleStatuses(report.out), expected);
    QCOMPARE(resultLineCount(report.out), expected.size());
    QCOMPARE(summaryLine(report.out), summaryLine(whole.out));
    const JUnitReport mergedJUnit = readJUnit(merged);
    const JUnitReport wholeJUnitReport = readJUnit(wholeJUnit);
    QVERIFY2(mergedJUnit.valid, qPrintable(mergedJUnit.error));
    QCOMPARE(mergedJUnit.cases.size(), wholeJUnitReport.cases.size());
    for (int i = 0; i < wholeJUnitReport.cases.size(); ++i) {
        const JUnitCase &want = wholeJUnitReport.cases[i];
        const JUnitCase *got = mergedJUnit.find(want.classname, want.name);
        QVERIFY2(got, qPrintable(want.classname + QLatin1Char('.') + want.name));
        QCOMPARE(got->outcome, want.outcome);
    }
    for (const char *attribute : {"tests", "failures", "errors"})
        QCOMPARE(mergedJUnit.rootAttributes.value(QLatin1String(attribute)),
            wholeJUnitReport.rootAttributes.value(QLatin1String(attribute)));
}

void TestBundle::shardsThatCannotMakeAWholeAreRefused()
{
    const QStringList programs = {gtestProgram(QStringLiteral("gt_basic")), gtestProgram(QStringLiteral("gt_many"))};
    QStringList bundles;
    QVector<CtestdRun> runs;
    for (int i = 1; i <= 3; ++i) {
        bundles.append(path(QStringLiteral("three-%1.tar.gz").arg(i)));
        runs.append(runCtestd(QStringList {QStringLiteral("--shard"), QStringLiteral("%1/3").arg(i),
                                  QStringLiteral("--archive"), bundles.last()}
            + programs));
        QVERIFY(QFileInfo(bundles.last()).isFile());
    }
    const QString junit = path(QStringLiteral("refused.xml"));
    // One shard missing.
    CtestdRun report
        = runCtestd({QStringLiteral("report"), QStringLiteral("--output-junit"), junit, bundles[0], bundles[2]});
    QCOMPARE(report.exitCode, 1);
    QCOMPARE(report.err, QByteArray("ctestd report: shard 2/3 of the run is missing: its tests would go unreported\n"));
    QVERIFY(report.out.isEmpty());
    QVERIFY(!QFileInfo::exists(junit));
    // A shard of another split (other tests: as another CTestCostData.txt would).
    const QString other = path(QStringLiteral("other-2.tar.gz"));
    runCtestd({QStringLiteral("--shard"), QStringLiteral("2/3"), QStringLiteral("--archive"), other,
        gtestProgram(QStringLiteral("gt_basic"))});
    report
        = runCtestd({QStringLiteral("report"), QStringLiteral("--output-junit"), junit, bundles[0], other, bundles[2]});
    QCOMPARE(report.exitCode, 1);
    QVERIFY2(report.err.contains("were not split from the same tests and costs"), report.err.constData());
    QCOMPARE(report.err.count('\n'), 1);
    QVERIFY(!QFileInfo::exists(junit));
    // A whole run among shards.
    report = runCtestd({QStringLiteral("report"), bundles[0], m_goodTarGz});
    QCOMPARE(report.exitCode, 1);
    QVERIFY2(report.err.contains("is a whole run, but"), report.err.constData());
    // The same shard twice with the rest: every case once, the repeated
    // ones with both attempts.
    report = runCtestd(QStringList {QStringLiteral("report")} + bundles + QStringList {bundles[1]});
    QCOMPARE(report.exitCode, 8);
    QCOMPARE(resultLineCount(report.out), 12 + 300);
    // Each case of shard 2 that ran: its first attempt as a line without
    // the "n/N" counter, as --repeat prints one.
    const QMap<QString, QString> second = consoleStatuses(runs[1].out);
    int ran = 0;
    for (auto it = second.cbegin(); it != second.cend(); ++it)
        ran += it.value() == QLatin1String("***Not Run (Disabled)") ? 0 : 1;
    QVERIFY(ran > 0);
    const QRegularExpression attemptLine(QStringLiteral("^ +Test +#\\d+: "), QRegularExpression::MultilineOption);
    QCOMPARE(int(QString::fromUtf8(report.out).count(attemptLine)), ran);
}

void TestBundle::hostileBundlesAreRefused_data()
{
    QTest::addColumn<QByteArray>("bytes"); // the bundle, or empty with `from` set
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("error"); // what the one line says after "ctestd report: <path>: "

    const QByteArray goodTar = readFile(m_goodTar);
    const QByteArray goodTarGz = readFile(m_goodTarGz);
    const QByteArray goodZip = readFile(m_goodZip);
    QVERIFY(goodTar.size() > 4096 && goodTarGz.size() > 1024 && goodZip.size() > 1024);
    const QByteArray manifest = tarFile("manifest.json", "{\"format\":\"ctestd-bundle\",\"version\":1}");

    QTest::newRow("not an archive") << QByteArray("hello, I am a text file\n") << QStringLiteral("text.tar.gz")
                                    << QStringLiteral("not a ctestd bundle (neither a tar nor a zip archive)");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("empty.tar")
                                << QStringLiteral("not a ctestd bundle (neither a tar nor a zip archive)");
    QTest::newRow("truncated tar.gz") << goodTarGz.left(goodTarGz.size() / 2) << QStringLiteral("cut.tar.gz")
                                      << QStringLiteral("it is c"); // corrupt or cut short, by where the cut fell
    QTest::newRow("truncated tar") << goodTar.left(goodTar.size() * 3 / 5) << QStringLiteral("cut.tar")
                                   << QStringLiteral("it is cut short");
    QTest::newRow("truncated zip") << goodZip.left(goodZip.size() - 40) << QStringLiteral("cut.zip")
                                   << QStringLiteral("it is cut short: the zip archive has no central directory");
    QByteArray flippedGz = goodTarGz;
    flippedGz[flippedGz.size() / 2] = char(flippedGz[flippedGz.size() / 2] ^ 0x10);
    QTest::newRow("bit-flipped tar.gz") << flippedGz << QStringLiteral("flipped.tar.gz")
                                        << QStringLiteral("it is corrupt");
    // A byte of run.json's data (the second entry, after the manifest).
    QByteArray flippedTar = goodTar;
    const int runData = goodTar.indexOf("{\"format\":\"ctestd-run\"");
    QVERIFY(runData > 0);
    flippedTar[runData + 40] = char(flippedTar[runData + 40] ^ 0x01);
    QTest::newRow("bit-flipped tar data")
        << flippedTar << QStringLiteral("flipped.tar")
        << QStringLiteral("it is corrupt or cut short: \"run.json\" does not match its checksum");
    QByteArray flippedHeader = goodTar;
    flippedHeader[3] = char(flippedHeader[3] ^ 0x20); // the manifest's name
    QTest::newRow("bit-flipped tar header") << flippedHeader << QStringLiteral("header.tar")
                                            << QStringLiteral("a tar header at byte 0 is corrupt (wrong checksum)");
    QByteArray flippedZip = goodZip;
    const int zipRun = goodZip.indexOf("run.json");
    flippedZip[zipRun + 60] = char(flippedZip[zipRun + 60] ^ 0x01);
    QTest::newRow("bit-flipped zip") << flippedZip << QStringLiteral("flipped.zip")
                                     << QStringLiteral(
                                            "it is corrupt or cut short: \"run.json\" does not match its checksum");
    QTest::newRow("zip-slip tar") << manifest + tarFile("../evil", "x") << QStringLiteral("slip.tar")
                                  << QStringLiteral("the entry \"../evil\" climbs out of the bundle");
    QTest::newRow("zip-slip deep tar") << manifest + tarFile("artifacts/a/../../../evil", "x")
                                       << QStringLiteral("slipdeep.tar")
                                       << QStringLiteral(
                                              "the entry \"artifacts/a/../../../evil\" climbs out of the bundle");
    QTest::newRow("absolute tar") << manifest + tarFile("/tmp/ctestd-evil", "x") << QStringLiteral("absolute.tar")
                                  << QStringLiteral("the entry \"/tmp/ctestd-evil\" has an absolute path");
    QTest::newRow("symlink tar") << manifest + tarHeader("artifacts/a/link", 0, '2', "/etc/passwd")
                                 << QStringLiteral("symlink.tar")
                                 << QStringLiteral("the entry \"artifacts/a/link\" is a link");
    QTest::newRow("hard link tar") << manifest + tarHeader("artifacts/a/hard", 0, '1', "/etc/passwd")
                                   << QStringLiteral("hardlink.tar")
                                   << QStringLiteral("the entry \"artifacts/a/hard\" is a link");
    QTest::newRow("device tar") << manifest + tarHeader("artifacts/a/null", 0, '3') << QStringLiteral("device.tar")
                                << QStringLiteral("the entry \"artifacts/a/null\" is not a regular file");
    QTest::newRow("10 GB declared")
        << manifest + tarHeader("run.json", -(qint64(10) << 30), '0') + QByteArray(4096, 'x')
        << QStringLiteral("huge.tar")
        << QStringLiteral("it is cut short: an entry declares 10737418240 bytes, more than the archive holds");
    QTest::newRow("zip-slip zip") << zipArchive({{"manifest.json", "{}"}, {"../evil", "x"}}, {0, 0})
                                  << QStringLiteral("slip.zip")
                                  << QStringLiteral("the entry \"../evil\" climbs out of the bundle");
    QTest::newRow("absolute zip") << zipArchive({{"/tmp/ctestd-evil", "x"}}, {0}) << QStringLiteral("absolute.zip")
                                  << QStringLiteral("the entry \"/tmp/ctestd-evil\" has an absolute path");
    QTest::newRow("symlink zip") << zipArchive({{"manifest.json", "{}"}, {"artifacts/a/link", "/etc/passwd"}},
        {0, S_IFLNK | 0777}) << QStringLiteral("symlink.zip")
                                 << QStringLiteral("the entry \"artifacts/a/link\" is a link");
    QTest::newRow("foreign tar") << tarFile("README", "not ours") << QStringLiteral("foreign.tar")
                                 << QStringLiteral("not a ctestd bundle (no manifest.json)");
    QTest::newRow("newer version") << tarFile("manifest.json", "{\"format\":\"ctestd-bundle\",\"version\":2}")
                                   << QStringLiteral("newer.tar")
                                   << QStringLiteral("bundle format version 2, but this ctestd reads version 1");
    QTest::newRow("unlisted entry") << goodTar + tarFile("artifacts/x/extra", "smuggled") << QStringLiteral("extra.tar")
                                    << QStringLiteral("the entry \"artifacts/x/extra\" is not in its manifest");
    QTest::newRow("missing files") << manifest << QStringLiteral("bare.tar")
                                   << QStringLiteral("it is cut short: \"run.json\" is missing");
}

void TestBundle::hostileBundlesAreRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, name);
    QFETCH(QString, error);
    const QString folder = path(QStringLiteral("hostile-")
        + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
    QVERIFY(QDir().mkpath(folder + QStringLiteral("/inside")));
    const QString bundle = folder + QLatin1Char('/') + name;
    QVERIFY(writeFile(bundle, bytes));
    const QString junit = folder + QStringLiteral("/inside/junit.xml");
    const QString artifacts = folder + QStringLiteral("/inside/artifacts");
    const CtestdRun report = runCtestd({QStringLiteral("report"), bundle, QStringLiteral("--output-junit"), junit,
                                           QStringLiteral("--artifacts"), artifacts},
        {}, 60000);
    QVERIFY2(!report.timedOut && !report.crashed, report.err.constData());
    QCOMPARE(report.exitCode, 1);
    const QByteArray prefix = "ctestd report: " + bundle.toUtf8() + ": ";
    QVERIFY2(report.err.startsWith(prefix) && report.err.endsWith('\n') && report.err.count('\n') == 1,
        report.err.constData());
    const QString said = QString::fromUtf8(report.err.mid(prefix.size()).chopped(1));
    QVERIFY2(said.startsWith(error), qPrintable(said));
    QVERIFY(report.out.isEmpty());
    // Nothing written: not the reports, not a file outside, not the artifacts.
    QVERIFY(!QFileInfo::exists(junit));
    QVERIFY(!QFileInfo::exists(artifacts));
    QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/evil")));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("evil"))));
    QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/ctestd-evil")));
}

void TestBundle::bundleThatCannotBeWrittenStopsTheRun()
{
    CtestdRun run = runCtestd({QStringLiteral("--archive"), QStringLiteral("/proc/ctestd-no/run.tar.gz"),
        gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err,
        QByteArray(
            "ctestd: cannot write the bundle /proc/ctestd-no/run.tar.gz: cannot create the folder /proc/ctestd-no\n"));
    QVERIFY(!run.out.contains("Start")); // nothing ran
    run = runCtestd(
        {QStringLiteral("--archive"), path(QStringLiteral("run.rar")), gtestProgram(QStringLiteral("gt_basic"))});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith("ctestd: --archive: cannot tell the bundle's format from '"), run.err.constData());
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("run.rar"))));
}

QTEST_GUILESS_MAIN(TestBundle)
#include "tst_bundle.moc"
