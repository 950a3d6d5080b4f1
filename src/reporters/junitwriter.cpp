// SPDX-License-Identifier: BSD-3-Clause
#include "junitwriter.h"

#include "reportfile.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSysInfo>

#include <algorithm>
#include <charconv>
#include <csignal>

namespace ctestd {

namespace {

enum class Escape { Text, Attribute, None };

// One character of strict UTF-8 (RFC 3629), as CMake's cm_utf8_decode_character
// reads it: no overlong forms, no surrogates, nothing above U+10FFFF. Returns the
// sequence length, or 0 when the byte at p does not start a valid sequence.
int decodeUtf8(const uchar *p, const uchar *end, uint *codePoint)
{
    const uchar lead = *p;
    if (lead < 0x80) {
        *codePoint = lead;
        return 1;
    }
    int length = 0;
    uint value = 0;
    uint minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        value = lead & 0x1F;
        minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        value = lead & 0x0F;
        minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        value = lead & 0x07;
        minimum = 0x10000;
    } else {
        return 0; // a continuation byte, or a pre-RFC 5/6-byte lead
    }
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        value = (value << 6) | (p[i] & 0x3F);
    }
    if (value < minimum || (value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF)
        return 0;
    *codePoint = value;
    return length;
}

// https://www.w3.org/TR/xml/#NT-Char
bool isXmlChar(uint c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
}

// cmXMLSafe prints the value with "%X": upper case, no leading zeros.
QByteArray hex(uint value)
{
    return QByteArray::number(value, 16).toUpper();
}

// Whether `c`, a byte below 0x80, is kept as it is in `mode`.
bool isPlainAscii(uchar c, Escape mode)
{
    if (c < 0x20)
        return (c == '\n' || c == '\t') && mode != Escape::Attribute;
    if (mode == Escape::None)
        return true;
    if (c == '&' || c == '<' || c == '>')
        return false;
    return mode != Escape::Attribute || (c != '"' && c != '\'');
}

QByteArray sanitize(const QByteArray &in, Escape mode)
{
    // Most text (names, paths, a passing test's lines) is plain ASCII that
    // needs nothing: it is returned as it is, shared, without a copy.
    const auto *p = reinterpret_cast<const uchar *>(in.constData());
    const uchar *const end = p + in.size();
    while (p < end && *p < 0x80 && isPlainAscii(*p, mode))
        ++p;
    if (p == end)
        return in;
    QByteArray out;
    out.reserve(in.size() + in.size() / 8);
    out.append(in.constData(), int(p - reinterpret_cast<const uchar *>(in.constData())));
    while (p < end) {
        uint c = 0;
        const int length = decodeUtf8(p, end, &c);
        if (length == 0) {
            // Only the offending byte is replaced; decoding resumes at the next one.
            out += "[NON-UTF-8-BYTE-0x" + hex(*p) + ']';
            ++p;
            continue;
        }
        if (!isXmlChar(c)) {
            out += "[NON-XML-CHAR-0x" + hex(c) + ']';
        } else if (c == '\r') {
            // Dropped like cmXMLSafe does: parsers would turn it into '\n' anyway,
            // which doubles the line breaks of CRLF output.
        } else if (mode == Escape::None) {
            out.append(reinterpret_cast<const char *>(p), length);
        } else if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (mode == Escape::Attribute && c == '"') {
            out += "&quot;";
        } else if (mode == Escape::Attribute && c == '\'') {
            out += "&apos;";
        } else if (mode == Escape::Attribute && c == '\n') {
            // A literal newline in an attribute is normalised to a space by every
            // parser; a character reference survives.
            out += "&#10;";
        } else if (mode == Escape::Attribute && c == '\t') {
            out += "&#9;";
        } else {
            out.append(reinterpret_cast<const char *>(p), length);
        }
        p += length;
    }
    return out;
}

// `utf8` as one CDATA section, appended to `out`.
void appendCData(QByteArray *out, const QByteArray &utf8)
{
    // Split after sanitising: a marker's closing ']' can complete a "]]>".
    QByteArray text = sanitize(utf8, Escape::None);
    if (text.contains("]]>"))
        text.replace("]]>", "]]]]><![CDATA[>");
    *out += "<![CDATA[";
    *out += text;
    *out += "]]>";
}

QByteArray seconds(double value)
{
    // std::to_chars ignores the locale, so the separator is always '.'; it
    // rounds exactly as printf("%.3f") does, without QByteArray::number's
    // allocations (a run writes one per case).
    char buffer[64];
    const auto result
        = std::to_chars(buffer, buffer + sizeof buffer, std::max(0.0, value), std::chars_format::fixed, 3);
    if (result.ec != std::errc())
        return QByteArray::number(std::max(0.0, value), 'f', 3);
    return QByteArray(buffer, int(result.ptr - buffer));
}

QByteArray isoTimestamp(const QDateTime &timestamp)
{
    // The JUnit schema's timestamp has no zone; ctest writes local time the same way.
    const QDateTime when = timestamp.isValid() ? timestamp : QDateTime::currentDateTime();
    return when.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss")).toUtf8();
}

void addAttribute(QByteArray *out, const char *name, const QByteArray &value)
{
    *out += ' ';
    *out += name;
    *out += "=\"";
    *out += xmlSafeAttribute(value);
    *out += '"';
}

void addAttribute(QByteArray *out, const char *name, const QString &value)
{
    // Names and paths are mostly plain ASCII that needs no escape: written
    // straight into the buffer, without a UTF-8 copy first.
    const ushort *utf16 = value.utf16();
    const int size = int(value.size());
    for (int i = 0; i < size; ++i) {
        const ushort c = utf16[i];
        if (c >= 0x80 || !isPlainAscii(uchar(c), Escape::Attribute))
            return addAttribute(out, name, value.toUtf8());
    }
    *out += ' ';
    *out += name;
    *out += "=\"";
    const int at = int(out->size());
    out->resize(at + size + 1);
    char *p = out->data() + at;
    for (int i = 0; i < size; ++i)
        *p++ = char(utf16[i]);
    *p = '"';
}

void addAttribute(QByteArray *out, const char *name, int value)
{
    addAttribute(out, name, QByteArray::number(value));
}

// The longest `message` attribute: what annotations and summaries show of a
// failure, not the failure (the element's text has all of it).
constexpr int SummaryChars = 300;

// A failure as a person would quote it, for the `message` attribute: its
// first paragraph (up to an empty line: the first of several assertions)
// on one line, white space collapsed, without the location the message may
// start with (Catch2's "file:line: FAILED:", doctest's "file:line: ERROR:"),
// capped. gtest's "Expected equality of these values:" alone says nothing;
// "Expected equality of these values: a Which is: 1 b Which is: 2" does.
QString messageSummary(const CaseResult &result)
{
    QStringList lines;
    for (const QString &line : result.message.split(QLatin1Char('\n'))) {
        const QString trimmed = line.simplified();
        if (trimmed.isEmpty()) {
            if (lines.isEmpty())
                continue;
            break;
        }
        lines.append(trimmed);
    }
    QString summary = lines.join(QLatin1Char(' '));
    if (!result.file.isEmpty() && summary.startsWith(result.file + QLatin1Char(':'))) {
        static const QRegularExpression location(QStringLiteral("^:(\\d+:)? "));
        const QRegularExpressionMatch match = location.match(summary.mid(result.file.size()));
        if (match.hasMatch() && summary.size() > result.file.size() + match.capturedLength())
            summary = summary.mid(result.file.size() + match.capturedLength());
    }
    if (summary.size() > SummaryChars)
        summary = summary.left(SummaryChars - 3) + QStringLiteral("...");
    return summary;
}

// The body of <failure>/<error>: the framework's full message, led by the
// location of the first failure so reporters that scan text for "file:line" find it.
// Catch2's and doctest's messages already start with it: it is not said twice.
QString messageBody(const CaseResult &result)
{
    if (result.file.isEmpty())
        return result.message;
    QString location = result.file;
    if (result.line > 0)
        location += QLatin1Char(':') + QString::number(result.line);
    if (result.message.startsWith(location + QLatin1Char(':')))
        return result.message;
    return location + QStringLiteral(": ") + result.message;
}

// <failure>, <error> or <skipped>, or nothing for a pass.
void addOutcome(QByteArray *out, const CaseResult &result)
{
    const char *element = nullptr;
    QByteArray type;
    QString message;
    QString body;
    switch (result.status) {
    case Status::Passed:
        return;
    case Status::Failed:
        element = "failure";
        type = "failure";
        message = result.message.isEmpty() ? QStringLiteral("Failed") : messageSummary(result);
        body = messageBody(result);
        break;
    case Status::Timeout:
        element = "error";
        type = "timeout";
        message = result.message.isEmpty() ? QStringLiteral("Timeout") : messageSummary(result);
        body = messageBody(result);
        break;
    case Status::Crashed:
        element = "error";
        type = "crash";
        message = ctestCrashText(result.signal);
        body = messageBody(result);
        break;
    case Status::NotRun:
        element = "error";
        type = "notrun";
        message = result.message.isEmpty() ? QStringLiteral("Not Run") : messageSummary(result);
        body = messageBody(result);
        break;
    case Status::Skipped:
        *out += "      <skipped";
        if (!result.message.isEmpty())
            addAttribute(out, "message", messageSummary(result));
        *out += "/>\n";
        return;
    case Status::Disabled:
        *out += "      <skipped message=\"disabled\"/>\n";
        return;
    case Status::Stopped:
        *out += "      <skipped";
        addAttribute(out, "message", result.message.isEmpty() ? QStringLiteral("not run") : messageSummary(result));
        *out += "/>\n";
        return;
    }
    *out += "      <";
    *out += element;
    addAttribute(out, "message", message);
    addAttribute(out, "type", type);
    if (body.isEmpty()) {
        *out += "/>\n";
        return;
    }
    *out += '>';
    *out += xmlSafeText(body.toUtf8());
    *out += "</";
    *out += element;
    *out += ">\n";
}

struct Counts {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    double time = 0;

    void add(const CaseResult &result)
    {
        ++tests;
        time += result.seconds;
        switch (result.status) {
        case Status::Failed:
            ++failures;
            break;
        case Status::Timeout:
        case Status::Crashed:
        case Status::NotRun:
            ++errors;
            break;
        case Status::Skipped:
        case Status::Disabled:
        case Status::Stopped:
            ++skipped;
            break;
        case Status::Passed:
            break;
        }
    }
};

// `skipped`: a <testsuite> has it; Jenkins' xunit plugin (junit-10.xsd)
// rejects it on <testsuites>.
void addCounts(QByteArray *out, const Counts &counts, double time, bool skipped = true)
{
    addAttribute(out, "tests", counts.tests);
    addAttribute(out, "failures", counts.failures);
    addAttribute(out, "errors", counts.errors);
    if (skipped)
        addAttribute(out, "skipped", counts.skipped);
    addAttribute(out, "time", seconds(time));
}

QByteArray caseElement(
    const TestCase &testCase, const CaseResult &result, const JUnitRunInfo &info, const QString &exeName)
{
    const bool ctestTest = info.ctestNames && testCase.ctestTest;
    QByteArray xml;
    // One allocation for the element: growing it piece by piece costs more
    // than writing it.
    xml.reserve(512 + result.stdOut.size() + result.stdErr.size() + 2 * result.message.size());
    xml += "    <testcase";
    // A plain executable is one case that may carry no framework name.
    const QString preferred = info.ctestNames ? testCase.displayName : testCase.name;
    const QString caseName = !preferred.isEmpty() ? preferred
        : !testCase.displayName.isEmpty()         ? testCase.displayName
                                                  : exeName;
    addAttribute(&xml, "name", caseName);
    // A build tree's cases carry ctest's identity (classname = name =
    // the test name): CI servers key a test's history on the two, so
    // switching from ctest keeps it.
    const QString className = info.ctestNames || ctestTest ? caseName
        : testCase.suite.isEmpty()                         ? exeName
                                                           : exeName + QLatin1Char('.') + testCase.suite;
    addAttribute(&xml, "classname", className);
    addAttribute(&xml, "time", seconds(result.seconds));
    // Where the case is defined; for frameworks whose listing does not
    // say (Qt Test), where it failed. Only when asked: GitLab and the
    // GitHub annotators read them, Jenkins' xunit plugin rejects them.
    if (!info.caseLocations) {
    } else if (!testCase.file.isEmpty()) {
        addAttribute(&xml, "file", testCase.file);
        if (testCase.line > 0)
            addAttribute(&xml, "line", testCase.line);
    } else if (!result.file.isEmpty()) {
        addAttribute(&xml, "file", result.file);
        if (result.line > 0)
            addAttribute(&xml, "line", result.line);
    }

    const int open = int(xml.size());
    xml += ">\n";
    const int children = int(xml.size());
    addOutcome(&xml, result);
    if (!result.stdOut.isEmpty()) {
        xml += "      <system-out>";
        appendCData(&xml, result.stdOut);
        xml += "</system-out>\n";
    }
    if (!result.stdErr.isEmpty()) {
        xml += "      <system-err>";
        appendCData(&xml, result.stdErr);
        xml += "</system-err>\n";
    }
    if (xml.size() == children) {
        xml.truncate(open);
        xml += "/>\n";
    } else {
        xml += "    </testcase>\n";
    }
    return xml;
}

} // namespace

QByteArray xmlSafeText(const QByteArray &utf8)
{
    return sanitize(utf8, Escape::Text);
}

QByteArray xmlSafeAttribute(const QByteArray &utf8)
{
    return sanitize(utf8, Escape::Attribute);
}

QByteArray xmlSafeCData(const QByteArray &utf8)
{
    QByteArray out;
    appendCData(&out, utf8);
    return out;
}

QString JUnitWriter::suiteName(const TestCase &testCase, const JUnitRunInfo &info)
{
    return info.ctestNames && testCase.ctestTest ? info.ctestSuiteName : QFileInfo(testCase.executable).fileName();
}

QByteArray JUnitWriter::caseXml(
    const TestCase &testCase, const CaseResult &result, const JUnitRunInfo &info, const QString &suite)
{
    return caseElement(testCase, result, info, suite);
}

QByteArray JUnitWriter::toXml(const QVector<TestCase> &cases, const QVector<CaseResult> &results,
    const JUnitRunInfo &info, const QHash<int, QByteArray> *prepared)
{
    // Registration order, whatever finished first: cases by #K, and each executable's
    // suite where its first case is.
    QVector<int> order(cases.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&cases](int a, int b) { return cases[a].index < cases[b].index; });

    // A build tree's plain tests are ctest's, named as ctest names them; the
    // empty key cannot be an executable's path.
    const auto isCtestTest = [&info](const TestCase &testCase) { return info.ctestNames && testCase.ctestTest; };
    QVector<QString> executables;
    QHash<QString, QVector<int>> casesByExecutable;
    for (int i : order) {
        const QString key = isCtestTest(cases[i]) ? QString() : cases[i].executable;
        auto it = casesByExecutable.find(key);
        if (it == casesByExecutable.end()) {
            executables.append(key);
            it = casesByExecutable.insert(key, {});
        }
        it->append(i);
    }

    const auto resultAt = [&results](int i) { return i < results.size() ? results[i] : CaseResult {}; };
    const QByteArray timestamp = isoTimestamp(info.timestamp);
    const QString hostname = info.hostname.isEmpty() ? QSysInfo::machineHostName() : info.hostname;

    Counts total;
    for (int i : order)
        total.add(resultAt(i));

    QByteArray xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
    // Only what junit-10.xsd allows on <testsuites>: no skipped, no timestamp
    // (each <testsuite> has both).
    addAttribute(&xml, "name", QByteArrayLiteral("ctestd"));
    addCounts(&xml, total, info.wallSeconds, false);
    xml += ">\n";

    for (const QString &executable : qAsConst(executables)) {
        const QVector<int> &members = casesByExecutable[executable];
        const QString exeName = executable.isEmpty() ? info.ctestSuiteName : QFileInfo(executable).fileName();
        Counts counts;
        for (int i : members)
            counts.add(resultAt(i));

        xml += "  <testsuite";
        addAttribute(&xml, "name", exeName);
        addCounts(&xml, counts, counts.time);
        addAttribute(&xml, "timestamp", timestamp);
        addAttribute(&xml, "hostname", hostname);
        xml += ">\n";

        for (int i : members) {
            const auto found
                = prepared ? prepared->constFind(cases[i].index) : QHash<int, QByteArray>::const_iterator();
            if (prepared && found != prepared->cend())
                xml += *found;
            else
                xml += caseElement(cases[i], resultAt(i), info, exeName);
        }
        xml += "  </testsuite>\n";
    }
    xml += "</testsuites>\n";
    return xml;
}

bool JUnitWriter::write(const QString &path, const QVector<TestCase> &cases, const QVector<CaseResult> &results,
    const JUnitRunInfo &info, QString *error, const QHash<int, QByteArray> *prepared)
{
    QString reason;
    if (writeReportFile(path, toXml(cases, results, info, prepared), &reason))
        return true;
    if (error)
        *error = QStringLiteral("Cannot write JUnit file %1: %2").arg(path, reason);
    return false;
}

void PreparedJUnitCases::add(const TestCase &testCase, const CaseResult &result)
{
    m_finished.append({testCase, result});
    m_idle.schedule();
}

bool PreparedJUnitCases::prepareSome()
{
    // A slice small enough not to delay a worker's next unit noticeably.
    const int end = qMin(int(m_finished.size()), m_prepared + 64);
    for (; m_prepared < end; ++m_prepared) {
        const auto &finished = m_finished[m_prepared];
        // The suite's name, once per program (QFileInfo is not cheap).
        const QString key = finished.first.ctestTest ? QString() : finished.first.executable;
        auto suite = m_suiteNames.find(key);
        if (suite == m_suiteNames.end())
            suite = m_suiteNames.insert(key, JUnitWriter::suiteName(finished.first, m_info));
        m_elements.insert(finished.first.index, JUnitWriter::caseXml(finished.first, finished.second, m_info, *suite));
    }
    return m_prepared < m_finished.size();
}

const QHash<int, QByteArray> &PreparedJUnitCases::finish()
{
    m_idle.finish();
    return m_elements;
}

JUnitReporter::JUnitReporter(const QString &path, QIODevice *err, bool caseLocations)
    : m_path(path)
    , m_err(err)
{
    m_info.caseLocations = caseLocations;
}

bool JUnitReporter::ready(const RunStart &run, QString *error)
{
    // Like ctest, a relative path is relative to the build tree.
    if (run.buildTree)
        m_path = QDir(run.projectDirectory).absoluteFilePath(m_path);
    return checkReportDestination(m_path, QStringLiteral("the JUnit file"), error);
}

void JUnitReporter::runStarted(const RunStart &run)
{
    m_info.ctestNames = run.buildTree;
    if (!run.junitSuiteName.isEmpty())
        m_info.ctestSuiteName = run.junitSuiteName;
    m_prepared.start(m_info);
}

int JUnitReporter::runFinished(const RunEnd &end, int exitCode)
{
    m_info.timestamp = end.finished.isValid() ? end.finished : QDateTime::currentDateTime();
    m_info.wallSeconds = end.wallSeconds;
    QString error;
    if (JUnitWriter::write(m_path, end.reportedCases(), end.reportedResults(), m_info, &error, &m_prepared.finish()))
        return exitCode;
    m_err->write(QStringLiteral("ctestd: cannot write the JUnit file: %1\n").arg(error).toUtf8());
    return exitCode ? exitCode : 1;
}

} // namespace ctestd
