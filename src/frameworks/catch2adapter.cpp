// SPDX-License-Identifier: BSD-3-Clause
#include "catch2adapter.h"

#include "adaptertext.h"

#include "detection.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>

#include <cctype>

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

// Elements of the XML reporter (run and benchmark output) in both versions.
bool isReporterElement(const QByteArray &name)
{
    static const QVector<QByteArray> names {"Catch", "Catch2TestRun", "Group", "TestCase", "Section", "Expression",
        "Original", "Expanded", "Info", "Warning", "Failure", "Skip", "FatalErrorCondition", "Exception",
        "OverallResult", "OverallResults", "OverallResultsCases", "StdOut", "StdErr", "Randomness", "BenchmarkResults",
        "mean", "standardDeviation", "outliers", "failed"};
    return names.contains(name);
}

// Elements whose content is text, written on lines of its own.
bool isTextElement(const QByteArray &name)
{
    static const QVector<QByteArray> names {"Original", "Expanded", "Info", "Warning", "Failure", "Skip",
        "FatalErrorCondition", "Exception", "StdOut", "StdErr"};
    return names.contains(name);
}

QString indented(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines)
        line.prepend(QLatin1String("  "));
    return lines.join(QLatin1Char('\n'));
}

QString location(const QString &file, int line)
{
    if (file.isEmpty())
        return QString();
    return line > 0 ? QStringLiteral("%1:%2: ").arg(file).arg(line) : file + QStringLiteral(": ");
}

// "3.7.1" >= "3.7.1"
bool versionAtLeast(const QString &version, int major, int minor, int patch)
{
    const QStringList parts = version.split(QLatin1Char('.'));
    const int wanted[3] = {major, minor, patch};
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        const int have = i < parts.size() ? parts.at(i).toInt(&ok) : 0;
        if (i < parts.size() && !ok)
            return false;
        if (have != wanted[i])
            return have > wanted[i];
    }
    return true;
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

Catch2OutputParser::Catch2OutputParser(const QStringList &selectors)
    : m_unstarted(selectors)
{
    for (const QString &selector : selectors) {
        const QString name = Catch2Adapter::selectorName(selector);
        m_twinKeys.insert(twinKey(name));
        if (name.startsWith(QLatin1Char('*')) || name.endsWith(QLatin1Char('*')))
            m_wildcards.append(twinKey(name));
    }
}

bool Catch2OutputParser::mayRunUnasked(const QString &name) const
{
    // Catch2 matches names without regard to case and surrounding blanks,
    // and a leading or trailing '*' in a name is a wildcard.
    const QString key = twinKey(name);
    if (m_twinKeys.contains(key))
        return true;
    for (const QString &pattern : m_wildcards) {
        const bool leading = pattern.startsWith(QLatin1Char('*'));
        const bool trailing = pattern.size() > 1 && pattern.endsWith(QLatin1Char('*'));
        const QString core = pattern.mid(leading ? 1 : 0, pattern.size() - (leading ? 1 : 0) - (trailing ? 1 : 0));
        if ((leading && trailing && key.contains(core)) || (leading && !trailing && key.endsWith(core))
            || (!leading && trailing && key.startsWith(core)))
            return true;
    }
    return false;
}

QString Catch2OutputParser::twinKey(const QString &name)
{
    // What Catch2's spec matching ignores: surrounding blanks and case.
    return name.trimmed().toCaseFolded();
}

bool Catch2OutputParser::isNormalExit(int exitCode) const
{
    if (exitCode < 0 || exitCode > 255)
        return false;
    if (!m_v3 || !versionAtLeast(m_version, 3, 7, 1))
        return true;
    return exitCode == 0 || exitCode == 42 || (exitCode >= 2 && exitCode <= 5);
}

bool Catch2OutputParser::exitSaysFailed(int exitCode) const
{
    // A case ctestd did not ask for (a case-insensitive or trimmed twin of
    // one it did) may have run alongside and failed: then the code is its.
    if (m_othersFailed)
        return false;
    if (m_v3 && versionAtLeast(m_version, 3, 7, 1))
        return exitCode == 42;
    return exitCode != 0;
}

QHash<QString, CaseResult> Catch2OutputParser::structuredResults()
{
    return {}; // everything came with the stream
}

bool Catch2OutputParser::parseTag(const QByteArray &line, XmlTag *tag, QByteArray *before)
{
    // XmlEncode escapes every '<' in text and attributes, and the reporter
    // writes one tag per line: the tag is the line's last '<' onwards. What
    // precedes it is the case's own output that did not end with a newline.
    const int open = int(line.lastIndexOf('<'));
    if (open < 0)
        return false;
    QByteArray text = line.mid(open);
    while (text.endsWith(' ') || text.endsWith('\t'))
        text.chop(1);
    if (parseXmlTag(text, tag) != XmlTagParse::Complete || !isReporterElement(tag->name))
        return false;
    QByteArray prefix = line.left(open);
    while (!prefix.isEmpty() && (prefix.endsWith(' ') || prefix.endsWith('\t')))
        prefix.chop(1);
    *before = prefix;
    return true;
}

QString Catch2OutputParser::takeSelector(const QString &reportedName, const QString &file, int line)
{
    const auto matches = [&](const QString &selector) {
        if (Catch2Adapter::reportedName(Catch2Adapter::selectorName(selector)) != reportedName)
            return false;
        // A twin is the one defined where the report says.
        QString definedIn;
        int definedAt = 0;
        return !Catch2Adapter::selectorLocation(selector, &definedIn, &definedAt)
            || (definedIn == file && definedAt == line);
    };
    for (int i = 0; i < m_unstarted.size(); ++i) {
        if (matches(m_unstarted.at(i))) {
            m_taken.append(m_unstarted.at(i));
            return m_unstarted.takeAt(i);
        }
    }
    // A case that already started starts again only when a test printed one
    // of the two starts: it is reported, for the worker to distrust both.
    for (const QString &selector : qAsConst(m_taken)) {
        if (matches(selector))
            return selector;
    }
    return QString();
}

QString Catch2OutputParser::composePart(const Part &part) const
{
    QStringList lines;
    QString header = location(part.file, part.line);
    switch (part.kind) {
    case Part::Skip:
        header += QStringLiteral("SKIPPED");
        break;
    default:
        header += part.kind == Part::Expression && part.success ? QStringLiteral("PASSED") : QStringLiteral("FAILED");
        break;
    }
    if (!part.sections.isEmpty()) {
        QStringList names;
        for (const QString &section : part.sections)
            names.append(QLatin1Char('"') + section + QLatin1Char('"'));
        header += QStringLiteral(" in section ") + names.join(QStringLiteral(" > "));
    }
    lines.append(header + QLatin1Char(':'));
    switch (part.kind) {
    case Part::Expression:
        lines.append(indented(QStringLiteral("%1( %2 )").arg(part.type, part.original)));
        if (!part.exception.isEmpty()) {
            lines.append(QStringLiteral("due to unexpected exception with message:"));
            lines.append(indented(part.exception));
        } else if (!part.expanded.isEmpty() && part.expanded != part.original) {
            lines.append(QStringLiteral("with expansion:"));
            lines.append(indented(part.expanded));
        }
        break;
    case Part::Exception:
        lines.append(QStringLiteral("due to unexpected exception with message:"));
        lines.append(indented(part.text));
        break;
    case Part::Fatal:
        lines.append(QStringLiteral("due to a fatal error condition:"));
        lines.append(indented(part.text));
        break;
    case Part::Explicit:
        lines.append(QStringLiteral("explicitly with message:"));
        lines.append(indented(part.text));
        break;
    case Part::Skip:
        if (!part.text.isEmpty())
            lines.append(indented(part.text));
        break;
    }
    if (!part.infos.isEmpty()) {
        lines.append(QStringLiteral("with message%1:").arg(part.infos.size() > 1 ? QStringLiteral("s") : QString()));
        for (const QString &info : part.infos)
            lines.append(indented(info));
    }
    return lines.join(QLatin1Char('\n'));
}

// Records a finished assertion in the running case; returns its display.
QByteArray Catch2OutputParser::finishPart(const Part &part)
{
    Part complete = part;
    complete.sections = m_sections;
    complete.infos = m_infos + part.infos;
    m_infos.clear();
    if (m_case) {
        if (complete.kind == Part::Skip)
            m_case->skips.append(complete);
        else if (!(complete.kind == Part::Expression && complete.success))
            m_case->failures.append(complete);
        if (complete.kind == Part::Fatal)
            m_case->fatal = true;
        if (m_case->selector.isEmpty())
            return QByteArray(); // a case nobody asked for
    }
    return composePart(complete).toUtf8();
}

void Catch2OutputParser::finishCase(ParsedLine *parsed)
{
    LineEvent event;
    const Case finished = *std::exchange(m_case, std::nullopt);
    // A failing case that ran unasked (a twin of a requested name, or one a
    // wildcard matched) explains a failing exit code. Any other case nobody
    // asked for can only be a start the test printed itself: it explains
    // nothing, or a test could hide its failure behind a forged start.
    if (finished.selector.isEmpty() && finished.result && finished.result->status == Status::Failed
        && mayRunUnasked(finished.name))
        m_othersFailed = true;
    if (finished.selector.isEmpty() || !finished.result)
        return; // not ours, or no <OverallResult>: nothing is invented
    event.kind = LineEvent::Finished;
    event.selector = finished.selector;
    event.result = *finished.result;

    const QVector<Part> &parts = event.result.status == Status::Skipped ? finished.skips : finished.failures;
    if (event.result.status == Status::Failed || event.result.status == Status::Skipped) {
        QStringList messages;
        int chars = 0;
        for (const Part &part : parts) {
            if (messages.isEmpty()) {
                event.result.file = part.file;
                event.result.line = part.line;
            }
            const QString text = composePart(part);
            if (chars + text.size() > maxMessageChars) {
                messages.append(text.left(qMax(0, maxMessageChars - chars)));
                messages.append(QStringLiteral("[... truncated by ctestd]"));
                break;
            }
            chars += text.size() + 1;
            messages.append(text);
        }
        if (messages.isEmpty() && event.result.status == Status::Failed) {
            messages.append(finished.tags.contains(QLatin1String("[!shouldfail]"))
                    ? QStringLiteral("the case is tagged [!shouldfail] but no assertion failed")
                    : QStringLiteral("Catch2 reported the case as failed"));
            // Catch2 printed nothing (a [!shouldfail] case that passed): the
            // output would be an empty block under "***Failed", so the reason
            // is shown where the failure text would have been.
            parsed->display = messages.constFirst().toUtf8();
        }
        event.result.message = messages.join(QLatin1Char('\n'));
    }
    parsed->events.append(event);
}

std::optional<QByteArray> Catch2OutputParser::endText(const Text &text)
{
    const QString content = text.lines.join(QLatin1Char('\n'));
    QString file = text.attributes.value("filename");
    const int line = text.attributes.value("line").toInt();
    if (text.tag == "Original" || text.tag == "Expanded") {
        if (m_part)
            (text.tag == "Original" ? m_part->original : m_part->expanded) = content;
        return QByteArray();
    }
    if (text.tag == "Info") {
        if (m_part)
            m_part->infos.append(content);
        else
            m_infos.append(content);
        return QByteArray();
    }
    if (text.tag == "Warning") {
        if (m_case && m_case->selector.isEmpty())
            return QByteArray();
        return (location(file, line) + QStringLiteral("warning:\n") + indented(content)).toUtf8();
    }
    if (text.tag == "StdOut" || text.tag == "StdErr")
        return QByteArray(); // shown line by line
    if (m_part && text.tag == "Exception") {
        m_part->exception = content;
        return QByteArray();
    }
    Part part;
    part.kind = text.tag == "Exception"     ? Part::Exception
        : text.tag == "FatalErrorCondition" ? Part::Fatal
        : text.tag == "Skip"                ? Part::Skip
                                            : Part::Explicit;
    part.file = file;
    part.line = line;
    part.text = content;
    if (m_part) {
        // Inside an expression (not written by 2.13/3.7, but harmless).
        part.type = m_part->type;
        part.sections = m_sections;
    }
    return finishPart(part);
}

ParsedLine Catch2OutputParser::handleTag(const XmlTag &tag)
{
    ParsedLine parsed;
    parsed.display = QByteArray(); // reporter lines are not shown as XML
    const QByteArray &name = tag.name;

    if (name == "Catch" || name == "Catch2TestRun") {
        if (tag.closing) {
            m_complete = true;
        } else {
            m_v3 = name == "Catch2TestRun";
            m_version = tag.attributes.value("catch2-version");
        }
        return parsed;
    }
    if (name == "TestCase") {
        if (tag.closing) {
            if (!m_case)
                return parsed;
            if (m_case->fatal) {
                // Catch2's signal handler reported the case and closes the
                // document; then the process dies of the signal. Reporting
                // the case now would let the worker blame the next one.
                m_fatalCase = std::exchange(m_case, std::nullopt);
                return parsed;
            }
            finishCase(&parsed);
            return parsed;
        }
        if (m_fatalCase) {
            // The process went on after a fatal condition: a plain failure.
            m_case = std::exchange(m_fatalCase, std::nullopt);
            finishCase(&parsed);
        }
        // A case still open here never ended (a garbled stream): it gets no
        // result from us.
        m_case = Case();
        m_case->name = tag.attributes.value("name");
        m_case->tags = tag.attributes.value("tags");
        m_case->selector
            = takeSelector(m_case->name, tag.attributes.value("filename"), tag.attributes.value("line").toInt());
        m_part.reset();
        m_sections.clear();
        m_infos.clear();
        if (!m_case->selector.isEmpty()) {
            LineEvent event;
            event.kind = LineEvent::Started;
            event.selector = m_case->selector;
            parsed.events.append(event);
        }
        return parsed;
    }
    if (name == "Section") {
        if (tag.closing) {
            if (!m_sections.isEmpty())
                m_sections.removeLast();
        } else if (!tag.selfClosing) {
            m_sections.append(tag.attributes.value("name"));
        }
        return parsed;
    }
    if (name == "Expression") {
        if (tag.closing) {
            if (m_part)
                parsed.display = finishPart(*std::exchange(m_part, std::nullopt));
        } else {
            Part part;
            part.kind = Part::Expression;
            part.success = tag.attributes.value("success") == QLatin1String("true");
            part.type = tag.attributes.value("type");
            part.file = tag.attributes.value("filename");
            part.line = tag.attributes.value("line").toInt();
            m_part = part;
        }
        return parsed;
    }
    if (name == "OverallResult" && !tag.closing) {
        if (!m_case)
            return parsed;
        const QString success = tag.attributes.value("success");
        if (success != QLatin1String("true") && success != QLatin1String("false"))
            return parsed; // unreadable: no result rather than a guess
        CaseResult result;
        // [!mayfail] and [!shouldfail] are already folded into `success`.
        if (success == QLatin1String("false"))
            result.status = Status::Failed;
        else if (tag.attributes.value("skips").toInt() > 0)
            result.status = Status::Skipped; // v3 SKIP()
        else
            result.status = Status::Passed;
        bool ok = false;
        const double seconds = tag.attributes.value("durationInSeconds").toDouble(&ok);
        result.seconds = ok && seconds > 0 ? seconds : 0.0;
        m_case->result = result;
        return parsed;
    }
    if (isTextElement(name) && !tag.closing) {
        Text text;
        text.tag = name;
        text.attributes = tag.attributes;
        if (tag.selfClosing) {
            if (const auto shown = endText(text))
                parsed.display = *shown;
        } else {
            m_text = text;
        }
        return parsed;
    }
    return parsed; // totals, groups, benchmarks
}

ParsedLine Catch2OutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QByteArray line = withoutCarriageReturn(rawLine);

    if (m_text) {
        QByteArray trimmed = line.trimmed();
        if (trimmed == "</" + m_text->tag + '>') {
            ParsedLine parsed;
            parsed.display = endText(*std::exchange(m_text, std::nullopt));
            return parsed;
        }
        // XmlEncode escapes '<': a tag here means the element was cut off
        // (a garbled stream); it is given up and the line read as usual.
        XmlTag tag;
        QByteArray before;
        if (!parseTag(line, &tag, &before)) {
            const bool captured = m_text->tag == "StdOut" || m_text->tag == "StdErr";
            // The first line of most text elements carries the indentation.
            QString text = decodeXmlEntities(line);
            if (!captured && m_text->lines.isEmpty()) {
                int indent = 0;
                while (indent < text.size() && text.at(indent) == QLatin1Char(' '))
                    ++indent;
                text = text.mid(indent);
            }
            if (m_text->lines.size() < 10000)
                m_text->lines.append(text);
            ParsedLine parsed;
            // What the case wrote to std::cout/std::cerr is shown as text
            // (an empty line as one); other element text is shown once the
            // element is complete.
            parsed.display = QByteArray();
            if (captured && !(m_case && m_case->selector.isEmpty()))
                parsed.display = text.isEmpty() ? QByteArray("\n") : text.toUtf8();
            return parsed;
        }
        m_text.reset();
    }

    XmlTag tag;
    QByteArray before;
    if (line.contains("<?xml ") && line.trimmed().endsWith("?>") && line.trimmed().startsWith("<?xml")) {
        ParsedLine parsed;
        parsed.display = QByteArray();
        return parsed;
    }
    if (!parseTag(line, &tag, &before))
        return {}; // the case's own output, kept as it is
    ParsedLine parsed = handleTag(tag);
    if (!before.isEmpty()) {
        // Output without a newline before the reporter's line.
        const QByteArray shown = parsed.display.value_or(QByteArray());
        parsed.display = shown.isEmpty() ? before : before + '\n' + shown;
    }
    return parsed;
}

} // namespace ctestd
