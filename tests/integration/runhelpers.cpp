// SPDX-License-Identifier: BSD-3-Clause
#include "runhelpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QXmlStreamReader>

#include <csignal>
#include <sys/types.h>

CtestdRun runProgram(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    const QString &workingDirectory, int timeoutMs)
{
    CtestdRun run;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(workingDirectory);
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    if (!process.waitForStarted(10000))
        return run;
    run.started = true;
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        run.timedOut = true;
        process.kill();
        process.waitForFinished(5000);
    }
    run.seconds = clock.elapsed() / 1000.0;
    run.crashed = process.exitStatus() == QProcess::CrashExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

CtestdRun runCtestd(const QStringList &arguments, const QProcessEnvironment &extraEnvironment, int timeoutMs)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Without cost records, unless a test keeps its own: what earlier runs
    // of the same program took must not change how a test's groups run.
    environment.insert(QStringLiteral("CTESTD_COSTS"), QStringLiteral("off"));
    environment.insert(extraEnvironment);
    return runProgram(QStringLiteral(CTESTD_EXECUTABLE), arguments, environment, QString(), timeoutMs);
}

QStringList caseArguments(
    const QString &executable, const QString &group, const QString &selector, const QStringList &more)
{
    return QStringList {QStringLiteral("--executable"), executable, QStringLiteral("--group"), group,
               QStringLiteral("--selector"), selector}
    + more;
}

static QString bracket(const QString &text)
{
    QString equals = QStringLiteral("=");
    while (text.contains(QLatin1Char(']') + equals + QLatin1Char(']')))
        equals += QLatin1Char('=');
    return QLatin1Char('[') + equals + QLatin1Char('[') + text + QLatin1Char(']') + equals + QLatin1Char(']');
}

bool writeCaseTree(const QString &directory, const QVector<CaseTest> &tests, QString *error)
{
    if (!QDir().mkpath(directory)) {
        *error = QStringLiteral("cannot create ") + directory;
        return false;
    }
    QString text;
    for (const CaseTest &test : tests) {
        QStringList words {bracket(test.name), bracket(QStringLiteral(CTESTD_EXECUTABLE)), QStringLiteral("case"),
            QStringLiteral("--build-dir"), bracket(directory)};
        for (const QString &argument : test.caseArguments)
            words.append(bracket(argument));
        text += QStringLiteral("add_test(%1)\nset_tests_properties(%2 PROPERTIES SKIP_RETURN_CODE 77)\n")
                    .arg(words.join(QLatin1Char(' ')), bracket(test.name));
    }
    QFile file(directory + QStringLiteral("/CTestTestfile.cmake"));
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

CtestdRun runCtest(
    const QString &directory, const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs)
{
    return runProgram(QStringLiteral(CTESTD_CTEST_COMMAND), arguments, environment, directory, timeoutMs);
}

void stopTreeDaemon(const QString &buildDirectory)
{
    QFile lock(buildDirectory + QStringLiteral("/.ctestd/serve.lock"));
    if (!lock.open(QIODevice::ReadOnly))
        return;
    const qint64 pid = lock.readLine().trimmed().toLongLong();
    if (pid > 1 && processAlive(pid))
        ::kill(pid_t(pid), SIGTERM);
}

static const QRegularExpression &resultLinePattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("^ *\\d+/\\d+ Test +#\\d+: (.*?) \\.{3,}(.*?) +\\d+\\.\\d\\d sec$"),
        QRegularExpression::MultilineOption);
    return pattern;
}

QMap<QString, QString> consoleStatuses(const QByteArray &out)
{
    QMap<QString, QString> statuses;
    auto it = resultLinePattern().globalMatch(QString::fromUtf8(out));
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        statuses.insert(match.captured(1), match.captured(2).trimmed());
    }
    return statuses;
}

int resultLineCount(const QByteArray &out)
{
    int count = 0;
    auto it = resultLinePattern().globalMatch(QString::fromUtf8(out));
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

int startLineCount(const QByteArray &out, const QString &name)
{
    const QRegularExpression pattern(QStringLiteral("^ +Start +\\d+: %1$").arg(QRegularExpression::escape(name)),
        QRegularExpression::MultilineOption);
    int count = 0;
    auto it = pattern.globalMatch(QString::fromUtf8(out));
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

QString summaryLine(const QByteArray &out)
{
    const QRegularExpression pattern(
        QStringLiteral("^\\d+% tests passed, \\d+ tests failed out of \\d+$"), QRegularExpression::MultilineOption);
    return pattern.match(QString::fromUtf8(out)).captured(0);
}

const JUnitCase *JUnitReport::find(const QString &classname, const QString &name) const
{
    for (const JUnitCase &testCase : cases) {
        if (testCase.classname == classname && testCase.name == name)
            return &testCase;
    }
    return nullptr;
}

static QMap<QString, QString> attributesOf(const QXmlStreamReader &reader)
{
    QMap<QString, QString> attributes;
    for (const QXmlStreamAttribute &attribute : reader.attributes())
        attributes.insert(attribute.name().toString(), attribute.value().toString());
    return attributes;
}

JUnitReport readJUnit(const QString &path)
{
    JUnitReport report;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        report.error = file.errorString();
        return report;
    }
    QXmlStreamReader reader(&file);
    JUnitCase *current = nullptr;
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        const QString element = reader.name().toString();
        if (element == QLatin1String("testsuites")) {
            report.rootAttributes = attributesOf(reader);
        } else if (element == QLatin1String("testsuite")) {
            report.suites.append(attributesOf(reader));
        } else if (element == QLatin1String("testcase")) {
            const QMap<QString, QString> attributes = attributesOf(reader);
            report.cases.append(JUnitCase());
            current = &report.cases.last();
            current->classname = attributes.value(QStringLiteral("classname"));
            current->name = attributes.value(QStringLiteral("name"));
            current->file = attributes.value(QStringLiteral("file"));
            current->line = attributes.value(QStringLiteral("line")).toInt();
            current->outcome = QStringLiteral("passed");
        } else if (current
            && (element == QLatin1String("failure") || element == QLatin1String("error")
                || element == QLatin1String("skipped"))) {
            const QMap<QString, QString> attributes = attributesOf(reader);
            current->outcome = element;
            current->type = attributes.value(QStringLiteral("type"));
            current->message = attributes.value(QStringLiteral("message"));
            current->text = reader.readElementText(QXmlStreamReader::IncludeChildElements);
        } else if (current && element == QLatin1String("system-out")) {
            current->systemOut = reader.readElementText();
        } else if (current && element == QLatin1String("system-err")) {
            current->systemErr = reader.readElementText();
        }
    }
    if (reader.hasError()) {
        report.error = QStringLiteral("line %1: %2").arg(reader.lineNumber()).arg(reader.errorString());
        return report;
    }
    report.valid = true;
    return report;
}

QMap<QPair<QString, QString>, QStringList> readFixtureLog(const QString &path)
{
    QMap<QPair<QString, QString>, QStringList> log;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return log;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() == 3)
            log[{QString::fromUtf8(fields[0]), QString::fromUtf8(fields[1])}].append(QString::fromUtf8(fields[2]));
    }
    return log;
}

QString gtestProgram(const QString &name)
{
    return QStringLiteral(CTESTD_GTEST_DIR "/") + name;
}

quint16 freeLocalPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

QMap<QString, QString> hangAndKillWorkerStatuses()
{
    return {
        {QStringLiteral("Hang.Quick"), QStringLiteral("Passed")},
        {QStringLiteral("Hang.Forever"), QStringLiteral("***Timeout")},
        {QStringLiteral("Hang.After"), QStringLiteral("Passed")},
        {QStringLiteral("Victim.First"), QStringLiteral("Passed")},
        {QStringLiteral("Victim.KillWorker"), QStringLiteral("Worker lost***Exception:")},
        {QStringLiteral("Victim.Last"), QStringLiteral("Passed")},
        {QStringLiteral("Bystander.One"), QStringLiteral("Passed")},
    };
}

QString exitBlameProblem(const QString &program, const QStringList &arguments, const QString &junitPath,
    const QString &classname, int exitCode)
{
    const CtestdRun run = runCtestd(arguments + QStringList {QStringLiteral("--output-junit"), junitPath, program});
    if (run.timedOut || run.exitCode != 8)
        return QStringLiteral("ctestd exited with %1 (timed out: %2):\n%3")
            .arg(run.exitCode)
            .arg(run.timedOut)
            .arg(QString::fromUtf8(run.out + run.err));
    const QMap<QString, QString> expected {
        {QStringLiteral("first"), QStringLiteral("Passed")},
        {QStringLiteral("exits"), QStringLiteral("***Failed")},
        {QStringLiteral("last"), QStringLiteral("Passed")},
    };
    if (consoleStatuses(run.out) != expected)
        return QStringLiteral("unexpected statuses:\n") + QString::fromUtf8(run.out);
    if (summaryLine(run.out) != QLatin1String("67% tests passed, 1 tests failed out of 3"))
        return QStringLiteral("unexpected summary: ") + summaryLine(run.out);
    const JUnitReport report = readJUnit(junitPath);
    if (!report.valid)
        return report.error;
    const JUnitCase *exits = report.find(classname, QStringLiteral("exits"));
    if (!exits)
        return QStringLiteral("no <testcase> %1 / exits in %2").arg(classname, junitPath);
    const QString message = QStringLiteral("test process exited with code %1 while running exits").arg(exitCode);
    if (exits->outcome != QLatin1String("failure") || !exits->message.contains(message))
        return QStringLiteral("exits: %1 \"%2\", expected a failure with \"%3\"")
            .arg(exits->outcome, exits->message, message);
    return QString();
}

bool processAlive(qint64 pid)
{
    // A zombie is dead for our purposes, so look at its state.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const int close = text.lastIndexOf(')');
    return close > 0 && text.size() > close + 2 && text.at(close + 2) != 'Z';
}
