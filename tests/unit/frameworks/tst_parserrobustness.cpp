// SPDX-License-Identifier: BSD-3-Clause
// Every framework adapter against damaged output: the real output of a real
// program of each framework (listed, selected and run as a worker runs it),
// then hundreds of seeded mutations of it (cut short, lines dropped, doubled
// or swapped, bytes flipped, garbage, huge lines, another framework's lines
// mixed in) fed to a fresh parser, and its structured report damaged the same
// way. The parser must never crash (the ASan build runs this too), and the
// adapters that promise it must report only cases they were asked for.
#include "frameworks/adapter.h"
#include "frameworks/registry.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctestd;

namespace {

constexpr int mutationsPerProgram = 150;
constexpr int processTimeoutMs = 60000;

struct Recording {
    QString framework;
    QStringList selectors;
    QByteArray output; // stdout and stderr merged, as the worker reads them
    QHash<QString, QByteArray> files; // what the run left in its scratch directory
    QString error;
};

QByteArray run(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    QProcess::ProcessChannelMode mode, QByteArray *stdErr, QString *error)
{
    QProcess process;
    process.setProcessChannelMode(mode);
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    process.closeWriteChannel();
    if (!process.waitForFinished(processTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        *error = QStringLiteral("%1 did not finish").arg(program);
    }
    if (stdErr)
        *stdErr = process.readAllStandardError();
    return process.readAllStandardOutput();
}

// Lists `program`, runs all its cases in one process and keeps what it wrote.
Recording record(const QString &framework, const QString &program)
{
    Recording recording;
    recording.framework = framework;
    const std::unique_ptr<FrameworkAdapter> adapter = createFrameworkAdapter(framework);
    QTemporaryDir scratch;
    if (!adapter || !scratch.isValid()) {
        recording.error = QStringLiteral("no adapter or scratch directory");
        return recording;
    }
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    QByteArray listingErr;
    const QByteArray listingOut = run(program, adapter->listArguments(program, scratch.path()), system,
        QProcess::SeparateChannels, &listingErr, &recording.error);
    QVector<TestCase> cases;
    if (!adapter->parseListing(listingOut, listingErr, scratch.path(), &cases, &recording.error))
        return recording;
    for (const TestCase &testCase : qAsConst(cases)) {
        if (!testCase.disabled)
            recording.selectors.append(testCase.selector);
    }

    FrameworkAdapter::RunSpec spec;
    if (!adapter->prepareRun(program, recording.selectors, scratch.path(), &spec, &recording.error))
        return recording;
    QProcessEnvironment environment = system;
    for (const QString &name : qAsConst(spec.unsetEnvironment))
        environment.remove(name);
    for (auto it = spec.environment.cbegin(); it != spec.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    recording.output = run(program, spec.arguments, environment, QProcess::MergedChannels, nullptr, &recording.error);
    const QFileInfoList files = QDir(scratch.path()).entryInfoList(QDir::Files);
    for (const QFileInfo &file : files) {
        QFile in(file.absoluteFilePath());
        if (in.open(QIODevice::ReadOnly))
            recording.files.insert(file.fileName(), in.readAll());
    }
    return recording;
}

QByteArray randomBytes(QRandomGenerator *random, int size)
{
    // Bytes that matter to the parsers more often than others.
    static const QByteArray special("<>&\"'/[]:;,()*?\\\r\t =\x1b\x00\xff\xc3", 25);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &c : bytes) {
        c = random->bounded(3) == 0 ? special.at(random->bounded(special.size())) : char(random->bounded(32, 127));
    }
    return bytes;
}

QByteArray mutate(QByteArray data, const QByteArray &foreign, QRandomGenerator *random)
{
    QList<QByteArray> lines = data.split('\n');
    switch (random->bounded(8)) {
    case 0: // cut short anywhere, even inside a line or a UTF-8 sequence
        return data.left(data.isEmpty() ? 0 : random->bounded(data.size()));
    case 1: // lines lost
        for (int n = random->bounded(1, 6); n > 0 && !lines.isEmpty(); --n)
            lines.removeAt(random->bounded(lines.size()));
        break;
    case 2: // lines said twice
        for (int n = random->bounded(1, 6); n > 0 && !lines.isEmpty(); --n) {
            const int at = random->bounded(lines.size());
            lines.insert(at, lines.at(at));
        }
        break;
    case 3: // lines out of order
        for (int n = random->bounded(1, 6); n > 0 && lines.size() > 1; --n)
            lines.swapItemsAt(random->bounded(lines.size()), random->bounded(lines.size()));
        break;
    case 4: // bytes flipped
        for (int n = random->bounded(1, 20); n > 0 && !data.isEmpty(); --n)
            data[random->bounded(data.size())] = char(random->bounded(256));
        return data;
    case 5: // garbage lines
        for (int n = random->bounded(1, 6); n > 0; --n)
            lines.insert(random->bounded(lines.size() + 1), randomBytes(random, random->bounded(1, 200)));
        break;
    case 6: // a huge line, as a test printing without a newline makes
        lines.insert(random->bounded(lines.size() + 1), QByteArray(random->bounded(64 * 1024), 'x') + "<TestCase");
        break;
    default: { // another framework's lines mixed in
        const QList<QByteArray> other = foreign.split('\n');
        for (int n = random->bounded(1, 10); n > 0 && !other.isEmpty(); --n)
            lines.insert(random->bounded(lines.size() + 1), other.at(random->bounded(other.size())));
        break;
    }
    }
    return lines.join('\n');
}

} // namespace

class TestParserRobustness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void damagedOutput_data();
    void damagedOutput();
};

void TestParserRobustness::damagedOutput_data()
{
    QTest::addColumn<QString>("framework");
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("foreignProgram"); // whose output is mixed in
    QTest::addColumn<bool>("onlyRequested"); // the parser reports only requested cases
    QTest::newRow("gtest") << QStringLiteral("gtest") << QStringLiteral(GT_BASIC) << QStringLiteral(C2_BASIC) << false;
    QTest::newRow("qtest") << QStringLiteral("qtest") << QStringLiteral(QT_BASIC) << QStringLiteral(GT_BASIC) << true;
    QTest::newRow("qtest crash") << QStringLiteral("qtest") << QStringLiteral(QT_CRASH) << QStringLiteral(DT_BASIC)
                                 << true;
    QTest::newRow("catch2") << QStringLiteral("catch2") << QStringLiteral(C2_BASIC) << QStringLiteral(DT_BASIC) << true;
    QTest::newRow("catch2 crash") << QStringLiteral("catch2") << QStringLiteral(C2_CRASH) << QStringLiteral(QT_BASIC)
                                  << true;
    QTest::newRow("doctest") << QStringLiteral("doctest") << QStringLiteral(DT_BASIC) << QStringLiteral(C2_BASIC)
                             << true;
    QTest::newRow("doctest crash") << QStringLiteral("doctest") << QStringLiteral(DT_CRASH)
                                   << QStringLiteral(BOOST_BASIC) << true;
    QTest::newRow("boost") << QStringLiteral("boost") << QStringLiteral(BOOST_BASIC) << QStringLiteral(QT_BASIC)
                           << true;
    QTest::newRow("boost crash") << QStringLiteral("boost") << QStringLiteral(BOOST_CRASH) << QStringLiteral(GT_BASIC)
                                 << true;
}

void TestParserRobustness::damagedOutput()
{
    QFETCH(QString, framework);
    QFETCH(QString, program);
    QFETCH(QString, foreignProgram);
    QFETCH(bool, onlyRequested);

    const Recording recording = record(framework, program);
    QVERIFY2(recording.error.isEmpty(), qPrintable(recording.error));
    QVERIFY(!recording.selectors.isEmpty());
    QVERIFY(!recording.output.isEmpty());
    // Some framework's output to mix in: the foreign program's own run.
    QString foreignError;
    const QByteArray foreign = run(
        foreignProgram, {}, QProcessEnvironment::systemEnvironment(), QProcess::MergedChannels, nullptr, &foreignError);
    const std::unique_ptr<FrameworkAdapter> adapter = createFrameworkAdapter(framework);
    const QSet<QString> requested(recording.selectors.cbegin(), recording.selectors.cend());

    // The seed differs per row but not per run: a failure can be replayed.
    QRandomGenerator random(qHash(QString::fromLatin1(QTest::currentDataTag())));
    int finishedInUndamaged = 0;
    for (int round = 0; round <= mutationsPerProgram; ++round) {
        // Round 0 is the undamaged recording.
        const QByteArray output = round == 0 ? recording.output : mutate(recording.output, foreign, &random);
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        for (auto it = recording.files.cbegin(); it != recording.files.cend(); ++it) {
            QFile file(scratch.filePath(it.key()));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(round == 0 ? it.value() : mutate(it.value(), foreign, &random));
        }

        const std::unique_ptr<OutputParser> parser = adapter->createOutputParser(scratch.path(), recording.selectors);
        const QList<QByteArray> lines = output.split('\n');
        for (const QByteArray &line : lines) {
            const ParsedLine parsed = parser->parseStdoutLine(line);
            for (const LineEvent &event : parsed.events) {
                QVERIFY(event.kind == LineEvent::Started || event.kind == LineEvent::Finished);
                if (onlyRequested)
                    QVERIFY2(requested.contains(event.selector),
                        qPrintable(QStringLiteral("round %1 reported '%2', which was not requested")
                                       .arg(round)
                                       .arg(event.selector)));
                if (round == 0 && event.kind == LineEvent::Finished)
                    ++finishedInUndamaged;
            }
        }
        const QHash<QString, CaseResult> structured = parser->structuredResults();
        if (onlyRequested) {
            for (auto it = structured.cbegin(); it != structured.cend(); ++it)
                QVERIFY2(requested.contains(it.key()), qPrintable(it.key()));
        }
        parser->reachedNormalEnd(0);
    }
    // The undamaged run is a real one: its cases finished.
    QVERIFY2(finishedInUndamaged > 0, recording.output.left(2000).constData());
}

QTEST_GUILESS_MAIN(TestParserRobustness)
#include "tst_parserrobustness.moc"
