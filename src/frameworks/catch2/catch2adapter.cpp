// SPDX-License-Identifier: BSD-3-Clause
// Catch2Adapter: listing (v2's names, v3's XML) and selection (a test spec
// file), for Catch2 v2 and v3.
#include "catch2adapter.h"

#include "frameworks/adaptertext.h"
#include "frameworks/detection.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>

namespace ctestd {

namespace {

// Only v2's help text has this option; v3 removed it.
const QByteArray v2Marker("--list-test-names-only");
// v2's `-v high` listing: "name\t@file:line".
const QByteArray locationMarker("\t@");

// Catch::trim(): "\n\r\t " only.
bool isCatchSpace(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r');
}

QString catchTrim(const QString &s)
{
    int begin = 0;
    int end = s.size();
    while (begin < end && isCatchSpace(s.at(begin)))
        ++begin;
    while (end > begin && isCatchSpace(s.at(end - 1)))
        --end;
    return s.mid(begin, end - begin);
}

// v3's `--list-tests --reporter xml`.
bool parseXmlListing(const QByteArray &stdOut, QVector<TestCase> *cases, QString *error)
{
    const int start = stdOut.indexOf("<MatchingTests");
    QXmlStreamReader xml(stdOut.mid(start));
    QVector<TestCase> found;
    std::optional<TestCase> current;
    QString element;
    bool sawRoot = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QStringRef name = xml.name();
            if (name == QLatin1String("MatchingTests")) {
                sawRoot = true;
            } else if (name == QLatin1String("TestCase")) {
                current = TestCase();
            } else if (current
                && (name == QLatin1String("Name") || name == QLatin1String("ClassName") || name == QLatin1String("File")
                    || name == QLatin1String("Line"))) {
                const QString text = xml.readElementText();
                if (name == QLatin1String("Name"))
                    current->name = text;
                else if (name == QLatin1String("ClassName"))
                    current->suite = text;
                else if (name == QLatin1String("File"))
                    current->file = text;
                else
                    current->line = qMax(0, text.toInt());
            }
        } else if (token == QXmlStreamReader::EndElement && xml.name() == QLatin1String("TestCase") && current) {
            if (current->name.isEmpty()) {
                *error = QStringLiteral("not a Catch2 listing: a <TestCase> without a <Name>");
                return false;
            }
            current->displayName = current->name;
            current->selector = current->name;
            found.append(*current);
            current.reset();
        }
    }
    if (xml.hasError() || !sawRoot) {
        *error = QStringLiteral("not a Catch2 listing: unreadable XML (%1)").arg(xml.errorString());
        return false;
    }
    *cases = found;
    return true;
}

// v2's `--list-test-names-only -v high`. A name with a line break spans lines
// of the listing; only the last one ends with "\t@file:line".
bool parseNameListing(const QByteArray &stdOut, QVector<TestCase> *cases, QString *error)
{
    QVector<TestCase> found;
    QList<QByteArray> lines = stdOut.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    QByteArray pending; // lines of a name not yet ended by its location
    for (const QByteArray &rawLine : qAsConst(lines)) {
        const QByteArray line = withoutCarriageReturn(rawLine);
        const int marker = line.lastIndexOf(locationMarker);
        QString file;
        int number = 0;
        if (marker < 0
            || !splitFileAndLine(QString::fromUtf8(line.mid(marker + locationMarker.size())), &file, &number)) {
            if (pending.size() > 64 * 1024)
                break;
            pending += line + '\n';
            continue;
        }
        QString name = QString::fromUtf8(pending + line.left(marker));
        pending.clear();
        // listTestsNamesOnly() puts names starting with '#' in quotes.
        if (name.size() >= 3 && name.startsWith(QLatin1String("\"#")) && name.endsWith(QLatin1Char('"')))
            name = name.mid(1, name.size() - 2);
        TestCase testCase;
        testCase.name = name;
        testCase.displayName = name;
        testCase.selector = name;
        testCase.file = file;
        testCase.line = number;
        found.append(testCase);
    }
    if (!pending.isEmpty()) {
        const QString first = QString::fromUtf8(pending.left(pending.indexOf('\n')));
        *error = QStringLiteral("not a Catch2 listing: %1").arg(quotedForError(first));
        return false;
    }
    *cases = found;
    return true;
}

} // namespace

QString Catch2Adapter::location(const QString &file, int line)
{
    if (file.isEmpty())
        return QString();
    return line > 0 ? QStringLiteral("%1:%2: ").arg(file).arg(line) : file + QStringLiteral(": ");
}

Catch2Adapter::Version Catch2Adapter::versionOf(const QString &executable)
{
    return fileContainsAny(executable, {v2Marker}) ? Version::V2 : Version::V3;
}

QString Catch2Adapter::name() const
{
    return QStringLiteral("catch2");
}

GroupBy Catch2Adapter::defaultGroupBy() const
{
    return GroupBy::Case;
}

QString Catch2Adapter::specFilePath(const QString &scratchDir)
{
    return QDir(scratchDir).absoluteFilePath(QStringLiteral("catch2-spec.txt"));
}

QStringList Catch2Adapter::listArguments(const QString &executable, const QString &) const
{
    if (versionOf(executable) == Version::V2) {
        // `-v high` adds "\t@file:line" to every name.
        return {QStringLiteral("--list-test-names-only"), QStringLiteral("-v"), QStringLiteral("high")};
    }
    return {QStringLiteral("--list-tests"), QStringLiteral("--reporter"), QStringLiteral("xml")};
}

bool Catch2Adapter::isListingExit(int exitCode) const
{
    return exitCode >= 0 && exitCode <= 255;
}

bool Catch2Adapter::parseListing(
    const QByteArray &stdOut, const QByteArray &, const QString &, QVector<TestCase> *cases, QString *error) const
{
    // The format is told from the output (both listings are unmistakable)
    // rather than from the executable, which parseListing() is not given.
    if (!(stdOut.contains("<MatchingTests") ? parseXmlListing(stdOut, cases, error)
                                            : parseNameListing(stdOut, cases, error)))
        return false;
    QHash<QString, int> reported;
    for (const TestCase &testCase : qAsConst(*cases))
        ++reported[reportedName(testCase.name)];
    for (TestCase &testCase : *cases) {
        // Twins without a location cannot be told apart: such a selector
        // selects nothing, and the case is Not Run with that reason.
        if (reported.value(reportedName(testCase.name)) > 1)
            testCase.selector = twinSelector(testCase.name, testCase.file, testCase.line);
    }
    return true;
}

QString Catch2Adapter::twinSelector(const QString &name, const QString &file, int line)
{
    const QJsonObject object {
        {QStringLiteral("name"), name}, {QStringLiteral("file"), file}, {QStringLiteral("line"), line}};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

namespace {

std::optional<QJsonObject> twinObject(const QString &selector)
{
    if (!selector.startsWith(QLatin1Char('{')))
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(selector.toUtf8());
    const QJsonObject object = document.object();
    if (!object.value(QLatin1String("name")).isString() || !object.value(QLatin1String("file")).isString()
        || !object.value(QLatin1String("line")).isDouble() || object.size() != 3)
        return std::nullopt;
    return object;
}

} // namespace

QString Catch2Adapter::selectorName(const QString &selector)
{
    const std::optional<QJsonObject> twin = twinObject(selector);
    return twin ? twin->value(QLatin1String("name")).toString() : selector;
}

bool Catch2Adapter::selectorLocation(const QString &selector, QString *file, int *line)
{
    const std::optional<QJsonObject> twin = twinObject(selector);
    if (!twin)
        return false;
    *file = twin->value(QLatin1String("file")).toString();
    *line = twin->value(QLatin1String("line")).toInt();
    return true;
}

QString Catch2Adapter::reportedName(const QString &name)
{
    // XmlEncode: bytes < 0x09, 0x0E..0x1F and 0x7F become "\xNN".
    const QString trimmed = catchTrim(name);
    QString out;
    out.reserve(trimmed.size());
    for (const QChar c : trimmed) {
        const ushort u = c.unicode();
        if (u < 0x09 || (u > 0x0d && u < 0x20) || u == 0x7f)
            out += QStringLiteral("\\x") + QString::number(u, 16).toUpper().rightJustified(2, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString Catch2Adapter::specLine(const QString &name, bool *exact)
{
    *exact = true;
    // Catch2 trims the line it reads and the names it compares.
    QString pattern = catchTrim(name);
    if (pattern.isEmpty() || pattern.contains(QLatin1Char('\n')) || pattern.contains(QLatin1Char('\r')))
        return QString(); // the spec file is read line by line
    if (pattern.startsWith(QLatin1String("exclude:"))) {
        // TestSpecParser turns a leading "exclude:" into a negation, escaped or
        // not. A wildcard in its place selects the case (and any other whose
        // name ends the same way).
        pattern = QLatin1Char('*') + pattern.mid(1);
    }
    if (pattern.startsWith(QLatin1Char('*')) || pattern.endsWith(QLatin1Char('*')))
        *exact = false; // WildcardPattern sees the '*' after escapes are gone
    // Inside a quoted name, ',' would end the spec, '"' the quotes and '\'
    // escapes; '[' and ']' are escaped as catch_discover_tests does. A quoted
    // line is also not read as a comment when the name starts with '#'.
    QString escaped;
    escaped.reserve(pattern.size() + 8);
    for (const QChar c : qAsConst(pattern)) {
        if (c == QLatin1Char('\\') || c == QLatin1Char(',') || c == QLatin1Char('[') || c == QLatin1Char(']')
            || c == QLatin1Char('"'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    // Matching is case-insensitive: another case whose name differs only in
    // case (or in surrounding white space) runs too. Not exact either, but
    // that depends on the other names, which the caller knows.
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

bool Catch2Adapter::prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir,
    RunSpec *spec, QString *error) const
{
    if (selectors.isEmpty()) {
        *error = QStringLiteral("no Catch2 cases to run");
        return false;
    }
    const QString path = specFilePath(scratchDir);
    QFile::remove(path);

    QByteArray content;
    for (const QString &selector : selectors) {
        bool exact = true;
        QString file;
        int definedAt = 0;
        // A twin runs with its twin (one spec selects both); the parser
        // tells them apart. One whose definition is unknown cannot be.
        const bool unplaceable = selectorLocation(selector, &file, &definedAt) && (file.isEmpty() || definedAt <= 0);
        const QString line = unplaceable ? QString() : specLine(selectorName(selector), &exact);
        // A case no line can select gets no line: it then has no result and
        // becomes a "Not Run" error (RunController), never a silent pass.
        if (!line.isEmpty())
            content += line.toUtf8() + '\n';
    }
    if (content.isEmpty()) {
        // An empty spec would run every case.
        QString file;
        int definedAt = 0;
        *error = selectorLocation(selectors.constFirst(), &file, &definedAt)
            ? QStringLiteral("Catch2 cannot select the case \"%1\": another case has the same name once trimmed, "
                             "and the listing does not say where either is defined")
                  .arg(quotedForError(selectorName(selectors.constFirst())))
            : QStringLiteral("Catch2 cannot select the case \"%1\": its name is blank or has a line break")
                  .arg(quotedForError(selectors.constFirst()));
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size()
        || !file.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.close();

    // XML on stdout in both versions: it is streamed line by line, so the
    // worker learns when each case starts and ends. (v3 could also write XML
    // to a file and the console reporter to stdout, but the file is read only
    // after exit and the console text has no reliable case boundaries.)
    spec->arguments << QStringLiteral("-f") << path;
    if (versionOf(executable) == Version::V2)
        spec->arguments << QStringLiteral("-r") << QStringLiteral("xml");
    else
        spec->arguments << QStringLiteral("--reporter") << QStringLiteral("xml");
    // Durations per case; declaration order (v3's default is random).
    spec->arguments << QStringLiteral("-d") << QStringLiteral("yes") << QStringLiteral("--order")
                    << QStringLiteral("decl");
    return true;
}

std::unique_ptr<OutputParser> Catch2Adapter::createOutputParser(const QString &, const QStringList &selectors) const
{
    return std::make_unique<Catch2OutputParser>(selectors);
}

bool Catch2Adapter::isNormalExit(int exitCode) const
{
    return exitCode >= 0 && exitCode <= 255;
}

} // namespace ctestd
