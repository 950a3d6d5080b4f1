// SPDX-License-Identifier: BSD-3-Clause
#include "agreementhelpers.h"

#include <QDebug>

#include "runhelpers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QXmlStreamReader>

#include <algorithm>

QString ToolRun::commandLine() const
{
    QStringList parts {program};
    for (const QString &argument : arguments)
        parts.append(argument.contains(QLatin1Char(' ')) || argument.isEmpty()
                ? QLatin1Char('\'') + argument + QLatin1Char('\'')
                : argument);
    return parts.join(QLatin1Char(' '));
}

ToolRun runTool(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    const QString &workingDirectory, int timeoutMs)
{
    const CtestdRun finished = runProgram(program, arguments, environment, workingDirectory, timeoutMs);
    ToolRun run;
    run.program = program;
    run.arguments = arguments;
    run.started = finished.started;
    run.crashed = finished.crashed;
    run.timedOut = finished.timedOut;
    run.exitCode = finished.exitCode;
    run.out = finished.out;
    run.err = finished.err;
    run.seconds = finished.seconds;
    return run;
}

QProcessEnvironment cleanEnvironment(const QProcessEnvironment &extra)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList keys = environment.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("CTEST_")) || key.startsWith(QLatin1String("GTEST_"))
            || key.startsWith(QLatin1String("CTESTD_")) || key == QLatin1String("DASHBOARD_TEST_FROM_CTEST"))
            environment.remove(key);
    }
    environment.insert(extra);
    return environment;
}

// --------------------------------------------------------------------------
// Console

namespace {

const QRegularExpression &resultPattern()
{
    // " 5/58 Test  #5: name .......***Failed    0.00 sec" and, under --repeat,
    // "    Test  #1: name ......   Passed    0.00 sec". The name is followed by
    // a space and at least three dots (padding to max(30, longest name) + 4).
    static const QRegularExpression pattern(QStringLiteral("^ *(?:(\\d+)/(\\d+) +)?Test +#(\\d+): (.*?) \\.{3,}(.*)$"));
    return pattern;
}

const QRegularExpression &timePattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("^(.*?) *(\\d+\\.\\d\\d) sec$"), QRegularExpression::DotMatchesEverythingOption);
    return pattern;
}

const QRegularExpression &startPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^ +Start +(\\d+): (.*)$"));
    return pattern;
}

const QRegularExpression &summaryPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^\\d+% tests passed, \\d+ tests failed out of \\d+$"));
    return pattern;
}

const QRegularExpression &labelPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^(.+?) += +[0-9.]+ sec\\*proc \\((\\d+) tests?\\)$"));
    return pattern;
}

const QRegularExpression &listEntryPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^\\t *\\d+ - (.*) \\([^()]*\\)$"));
    return pattern;
}

bool endsResultBlock(const QString &line)
{
    return startPattern().match(line).hasMatch() || resultPattern().match(line).hasMatch()
        || summaryPattern().match(line).hasMatch() || line == QLatin1String("Label Time Summary:")
        || line.startsWith(QLatin1String("Total Test time (real)"))
        || line.startsWith(QLatin1String("The following tests "));
}

} // namespace

ConsoleReport parseConsole(const QByteArray &out)
{
    ConsoleReport report;
    const QStringList lines = QString::fromUtf8(out).split(QLatin1Char('\n'));
    bool inHeader = true;
    int current = -1; // index of the result whose output block we are reading
    enum { None, NotRunList, FailedList, Labels } section = None;
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        const QRegularExpressionMatch start = startPattern().match(line);
        const QRegularExpressionMatch result = resultPattern().match(line);
        if (inHeader && !start.hasMatch() && !result.hasMatch() && !summaryPattern().match(line).hasMatch()) {
            if (!line.isEmpty())
                report.header.append(line);
            continue;
        }
        inHeader = false;
        if (start.hasMatch()) {
            current = -1;
            report.startNumbers[start.captured(2)].append(start.captured(1).toInt());
            continue;
        }
        if (result.hasMatch()) {
            ResultLine entry;
            entry.completed = result.captured(1).toInt();
            entry.total = result.captured(2).toInt();
            entry.number = result.captured(3).toInt();
            entry.name = result.captured(4);
            QString status = result.captured(5);
            QRegularExpressionMatch timed = timePattern().match(status);
            // A status with line breaks (a PASS_REGULAR_EXPRESSION list) ends
            // on a later line, with the time.
            int j = i;
            while (!timed.hasMatch() && j + 1 < lines.size() && j - i < 50) {
                ++j;
                status += QLatin1Char('\n') + lines[j];
                timed = timePattern().match(status);
            }
            if (timed.hasMatch()) {
                entry.status = timed.captured(1).trimmed();
                i = j;
            } else {
                entry.status = result.captured(5).trimmed();
            }
            report.results.append(entry);
            current = int(report.results.size()) - 1;
            section = None;
            continue;
        }
        if (summaryPattern().match(line).hasMatch()) {
            report.summary = line;
            current = -1;
            continue;
        }
        if (line == QLatin1String("Label Time Summary:")) {
            section = Labels;
            current = -1;
            continue;
        }
        if (line == QLatin1String("The following tests did not run:")) {
            section = NotRunList;
            current = -1;
            continue;
        }
        if (line == QLatin1String("The following tests FAILED:")) {
            section = FailedList;
            current = -1;
            continue;
        }
        if (line.startsWith(QLatin1String("Total Test time (real)"))) {
            section = None;
            current = -1;
            continue;
        }
        if (line.startsWith(QLatin1String("Failed test dependencies:")))
            report.dependencyLines.append(line);
        if (line.startsWith(QLatin1String("Could not find executable"))) {
            // With the list of places ctest looked in, which it prints in one
            // go: its header, then one path per line, each ending in the
            // program's file name.
            QString block = line;
            const QString file = line.section(QLatin1Char('/'), -1).section(QLatin1Char(' '), -1);
            if (i + 1 < lines.size() && lines[i + 1] == QLatin1String("Looked in the following places:")) {
                block += QLatin1Char('\n') + lines[++i];
                while (i + 1 < lines.size() && (lines[i + 1] == file || lines[i + 1].endsWith(QLatin1Char('/') + file)))
                    block += QLatin1Char('\n') + lines[++i];
            }
            report.notFoundLines.append(block);
            continue;
        }
        if (current >= 0) {
            if (endsResultBlock(line))
                current = -1;
            else
                report.results[current].output.append(line);
            continue;
        }
        if (section == Labels) {
            const QRegularExpressionMatch label = labelPattern().match(line);
            if (label.hasMatch())
                report.labelSummary.append(
                    QStringLiteral("%1 (%2 tests)").arg(label.captured(1).trimmed(), label.captured(2)));
            else if (line.isEmpty())
                section = None;
        } else if (section == NotRunList || section == FailedList) {
            if (line.startsWith(QLatin1Char('\t')))
                (section == NotRunList ? report.notRunList : report.failedList).append(line);
            else
                section = None;
        }
    }
    for (ResultLine &entry : report.results) {
        while (!entry.output.isEmpty() && entry.output.last().trimmed().isEmpty())
            entry.output.removeLast();
    }
    report.dependencyLines.sort();
    report.notFoundLines.sort();
    return report;
}

QMap<QString, QString> ConsoleReport::statuses() const
{
    QMap<QString, QString> map;
    for (const ResultLine &entry : results)
        map.insert(entry.name, entry.status);
    return map;
}

QMap<QString, QStringList> ConsoleReport::statusHistory() const
{
    QMap<QString, QStringList> map;
    for (const ResultLine &entry : results)
        map[entry.name].append(entry.status);
    return map;
}

QMap<QString, int> ConsoleReport::numbers() const
{
    QMap<QString, int> map;
    for (const ResultLine &entry : results) {
        if (map.contains(entry.name) && map.value(entry.name) != entry.number)
            map.insert(entry.name, -1);
        else
            map.insert(entry.name, entry.number);
    }
    return map;
}

QMap<QString, int> ConsoleReport::resultCounts() const
{
    QMap<QString, int> map;
    for (const ResultLine &entry : results)
        map[entry.name] += 1;
    return map;
}

QList<int> ConsoleReport::totals() const
{
    QList<int> distinct;
    for (const ResultLine &entry : results) {
        if (entry.total > 0 && !distinct.contains(entry.total))
            distinct.append(entry.total);
    }
    std::sort(distinct.begin(), distinct.end());
    return distinct;
}

QStringList ConsoleReport::failedNames() const
{
    QStringList names;
    for (const QString &line : failedList) {
        const QRegularExpressionMatch match = listEntryPattern().match(line);
        if (match.hasMatch())
            names.append(match.captured(1));
    }
    return names;
}

QStringList ConsoleReport::markers(const QString &name) const
{
    QStringList found;
    for (const ResultLine &entry : results) {
        if (entry.name != name)
            continue;
        for (const QString &line : entry.output) {
            if (line.contains(QLatin1String("agree-marker")))
                found.append(line.trimmed());
        }
    }
    found.sort();
    return found;
}

QStringList unableToFindLines(const QByteArray &err)
{
    QStringList found;
    const QStringList lines = QString::fromUtf8(err).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("Unable to find")))
            found.append(line);
    }
    found.sort();
    return found;
}

// --------------------------------------------------------------------------
// JUnit

QMap<QString, JUnitEntry> JUnitDocument::byName() const
{
    QMap<QString, JUnitEntry> map;
    for (const JUnitEntry &entry : cases) {
        if (!map.contains(entry.name))
            map.insert(entry.name, entry);
    }
    return map;
}

QMap<QString, int> JUnitDocument::nameCounts() const
{
    QMap<QString, int> map;
    for (const JUnitEntry &entry : cases)
        map[entry.name] += 1;
    return map;
}

JUnitDocument readJUnitDocument(const QString &path)
{
    JUnitDocument document;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        document.error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return document;
    }
    QXmlStreamReader reader(&file);
    QStringList suiteStack;
    int current = -1; // index into document.cases
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isEndElement()) {
            const QString element = reader.name().toString();
            if (element == QLatin1String("testsuite") && !suiteStack.isEmpty())
                suiteStack.removeLast();
            else if (element == QLatin1String("testcase"))
                current = -1;
            continue;
        }
        if (!reader.isStartElement())
            continue;
        const QString element = reader.name().toString();
        const QXmlStreamAttributes attributes = reader.attributes();
        if (document.root.isEmpty())
            document.root = element;
        if (element == QLatin1String("testsuite")) {
            const QString name = attributes.value(QLatin1String("name")).toString();
            suiteStack.append(name);
            document.suiteNames.append(name);
        } else if (element == QLatin1String("testcase")) {
            JUnitEntry entry;
            entry.suite = suiteStack.isEmpty() ? QString() : suiteStack.last();
            entry.name = attributes.value(QLatin1String("name")).toString();
            entry.classname = attributes.value(QLatin1String("classname")).toString();
            entry.status = attributes.value(QLatin1String("status")).toString();
            document.cases.append(entry);
            current = int(document.cases.size()) - 1;
        } else if (current >= 0
            && (element == QLatin1String("failure") || element == QLatin1String("error")
                || element == QLatin1String("skipped"))) {
            JUnitEntry &entry = document.cases[current];
            if (entry.child.isEmpty()) {
                entry.child = element;
                entry.type = attributes.value(QLatin1String("type")).toString();
                entry.message = attributes.value(QLatin1String("message")).toString();
            } else {
                entry.child += QLatin1Char('+') + element; // more than one: reported as a problem
            }
        }
    }
    if (reader.hasError()) {
        document.error = QStringLiteral("%1 line %2: %3").arg(path).arg(reader.lineNumber()).arg(reader.errorString());
        return document;
    }
    document.valid = true;
    return document;
}

// --------------------------------------------------------------------------
// ctest --show-only=json-v1

QString CTestTestInfo::executableName() const
{
    return command.isEmpty() ? QString() : QFileInfo(command.first()).fileName();
}

QString CTestTestInfo::gtestFilter() const
{
    for (const QString &argument : command) {
        if (argument.startsWith(QLatin1String("--gtest_filter=")))
            return argument.mid(int(qstrlen("--gtest_filter=")));
    }
    return QString();
}

QString CTestTestInfo::gtestSuite() const
{
    const QString filter = gtestFilter();
    const int dot = filter.indexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : filter.left(dot);
}

QList<CTestTestInfo> parseShowOnlyJson(const QByteArray &json, QString *error)
{
    QList<CTestTestInfo> tests;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull()) {
        *error = parseError.errorString();
        return tests;
    }
    const QJsonArray array = document.object().value(QLatin1String("tests")).toArray();
    for (int i = 0; i < array.size(); ++i) {
        const QJsonObject object = array.at(i).toObject();
        CTestTestInfo info;
        info.number = i + 1;
        info.name = object.value(QLatin1String("name")).toString();
        const QJsonArray command = object.value(QLatin1String("command")).toArray();
        for (const QJsonValue &part : command)
            info.command.append(part.toString());
        const QJsonArray properties = object.value(QLatin1String("properties")).toArray();
        for (const QJsonValue &property : properties) {
            const QJsonObject p = property.toObject();
            info.properties.insert(
                p.value(QLatin1String("name")).toString(), p.value(QLatin1String("value")).toVariant());
        }
        tests.append(info);
    }
    return tests;
}

// --------------------------------------------------------------------------
// Files

QMap<QString, QString> readStatusTable(const QString &cmakeListsPath, QString *error)
{
    QMap<QString, QString> table;
    QFile file(cmakeListsPath);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(cmakeListsPath, file.errorString());
        return table;
    }
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    bool inside = false;
    bool headerSeen = false;
    for (const QString &line : lines) {
        if (line.contains(QLatin1String("ctest-status-table-begin"))) {
            inside = true;
            continue;
        }
        if (line.contains(QLatin1String("ctest-status-table-end")))
            break;
        if (!inside || !line.startsWith(QLatin1String("#|")))
            continue;
        const QString row = line.mid(2);
        const int bar = row.indexOf(QLatin1String(" | "));
        if (bar < 0) {
            *error = QStringLiteral("malformed status table row: %1").arg(line);
            return {};
        }
        if (!headerSeen) {
            headerSeen = true; // "test name | ctest status"
            continue;
        }
        const QString name = row.left(bar).trimmed();
        QString status = row.mid(bar + 3).trimmed();
        status.replace(QLatin1String("\\n"), QLatin1String("\n"));
        if (table.contains(name)) {
            *error = QStringLiteral("status table names %1 twice").arg(name);
            return {};
        }
        table.insert(name, status);
    }
    if (table.isEmpty())
        *error = QStringLiteral("no status table in %1").arg(cmakeListsPath);
    return table;
}

CostData readCostData(const QString &path)
{
    CostData data;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return data;
    data.exists = true;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    bool failedSection = false;
    for (const QString &line : lines) {
        if (line.isEmpty())
            continue;
        if (line == QLatin1String("---")) {
            failedSection = true;
            continue;
        }
        if (failedSection) {
            data.failed.append(line);
            continue;
        }
        // "name runs cost"; the name may contain spaces.
        const int costSpace = line.lastIndexOf(QLatin1Char(' '));
        const int runsSpace = costSpace > 0 ? line.lastIndexOf(QLatin1Char(' '), costSpace - 1) : -1;
        if (runsSpace <= 0)
            continue;
        data.runs.insert(line.left(runsSpace), line.mid(runsSpace + 1, costSpace - runsSpace - 1).toInt());
    }
    data.failed.sort();
    return data;
}

QByteArray readFileOrNull(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    QByteArray content = file.readAll();
    if (content.isNull())
        content = QByteArray(""); // exists but empty: not null
    return content;
}

QString quoted(const QString &text)
{
    QString shown = text;
    shown.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

QStringList diffMaps(const QMap<QString, QString> &expected, const QMap<QString, QString> &actual,
    const QString &expectedLabel, const QString &actualLabel)
{
    QStringList problems;
    QStringList keys = expected.keys() + actual.keys();
    keys.removeDuplicates();
    std::sort(keys.begin(), keys.end());
    for (const QString &key : keys) {
        const bool inExpected = expected.contains(key);
        const bool inActual = actual.contains(key);
        if (inExpected && inActual && expected.value(key) == actual.value(key))
            continue;
        problems.append(
            QStringLiteral("  %1: %2 %3, %4 %5")
                .arg(quoted(key), expectedLabel, inExpected ? quoted(expected.value(key)) : QStringLiteral("(absent)"),
                    actualLabel, inActual ? quoted(actual.value(key)) : QStringLiteral("(absent)")));
    }
    return problems;
}

QStringList diffMaps(const QMap<QString, int> &expected, const QMap<QString, int> &actual, const QString &expectedLabel,
    const QString &actualLabel)
{
    QMap<QString, QString> a;
    QMap<QString, QString> b;
    for (auto it = expected.begin(); it != expected.end(); ++it)
        a.insert(it.key(), QString::number(it.value()));
    for (auto it = actual.begin(); it != actual.end(); ++it)
        b.insert(it.key(), QString::number(it.value()));
    return diffMaps(a, b, expectedLabel, actualLabel);
}

QString firstDifference(const QString &what, const QStringList &ctest, const QStringList &ctestd)
{
    for (int i = 0; i < qMax(ctest.size(), ctestd.size()); ++i) {
        if (ctest.value(i) == ctestd.value(i))
            continue;
        qInfo().noquote() << QStringLiteral("--- ctest:\n%1\n--- ctestd:\n%2")
                                 .arg(ctest.join(QLatin1Char('\n')), ctestd.join(QLatin1Char('\n')));
        return QStringLiteral("%1 line %2: ctest %3, ctestd %4")
            .arg(what)
            .arg(i + 1)
            .arg(quoted(ctest.value(i)), quoted(ctestd.value(i)));
    }
    return QString();
}

QString bothOutputs(const ToolRun &ctest, const ToolRun &ctestd)
{
    return QStringLiteral("\n--- ctest:\n%1%2\n--- ctestd:\n%3%4")
        .arg(QString::fromUtf8(ctest.out), QString::fromUtf8(ctest.err), QString::fromUtf8(ctestd.out),
            QString::fromUtf8(ctestd.err));
}
