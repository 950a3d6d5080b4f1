// SPDX-License-Identifier: BSD-3-Clause
#include "gtestadapter.h"

#include "adaptertext.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>

#include <limits>
#include <utility>

namespace ctestd {

namespace {

const QLatin1String typeParamComment("  # TypeParam = ");
const QLatin1String valueParamComment("  # GetParam() = ");
const QLatin1String disabledPrefix("DISABLED_");
const QLatin1String gtestMainGreeting("Running main() from ");

// gtest's console markers (PrettyUnitTestResultPrinter, --gtest_color=no).
const QByteArray runMarker("[ RUN      ] ");
const QByteArray okMarker("[       OK ] ");
const QByteArray failedMarker("[  FAILED  ] ");
const QByteArray skippedMarker("[  SKIPPED ] ");
const QByteArray suiteMarker("[----------] ");

bool isCMakeSpace(QChar c)
{
    // CMake's cmIsSpace(): ASCII isspace() only.
    return c == QLatin1Char(' ') || (c.unicode() >= 0x09 && c.unicode() <= 0x0d);
}

// Whether a name as gtest lists it can be one: not blank at either end and
// without '#', which starts gtest's parameter comment. Inner spaces occur: a
// typed suite's name generator may return any string ("b c").
bool isListableName(const QString &s)
{
    return !s.isEmpty() && !s.at(0).isSpace() && !s.at(s.size() - 1).isSpace() && !s.contains(QLatin1Char('#'));
}

// A suite line as gtest prints it, in column 0: `Math.` or `Typed/0.  # TypeParam = int`.
bool parseSuiteLine(const QString &line, QString *suite)
{
    if (line.isEmpty() || line.at(0).isSpace())
        return false;
    const int comment = line.indexOf(typeParamComment);
    const QString head = comment >= 0 ? line.left(comment) : line;
    if (head.size() < 2 || !head.endsWith(QLatin1Char('.')) || !isListableName(head.left(head.size() - 1)))
        return false;
    *suite = head.left(head.size() - 1);
    return true;
}

// A case line as gtest prints it: `  Add` or `  Even/0  # GetParam() = 2`.
bool parseCaseLine(const QString &line, QString *name)
{
    if (line.size() < 3 || !line.startsWith(QLatin1String("  ")) || line.at(2).isSpace())
        return false;
    const int comment = line.indexOf(valueParamComment, 2);
    const QString head = comment >= 0 ? line.mid(2, comment - 2) : line.mid(2);
    if (!isListableName(head))
        return false;
    *name = head;
    return true;
}

// gtest's own rule (kDisableTestFilter "DISABLED_*:*/DISABLED_*"), applied to
// the suite and to the case name.
bool isDisabledName(const QString &name)
{
    return name.startsWith(disabledPrefix) || name.contains(QLatin1String("/DISABLED_"));
}

// The following reproduce CMake 3.25's GoogleTestAddTests.cmake with default
// options (no prefix/suffix, pretty types and values), quirks included.

// string(STRIP)
QString cmakeStrip(const QString &s)
{
    int begin = 0;
    int end = s.size();
    while (begin < end && isCMakeSpace(s.at(begin)))
        ++begin;
    while (end > begin && isCMakeSpace(s.at(end - 1)))
        --end;
    return s.mid(begin, end - begin);
}

// string(REGEX REPLACE "^DISABLED_" "" ...): CMake matches a ^-anchored pattern
// again after each replacement, so every leading DISABLED_ goes.
QString cmakeWithoutDisabled(QString s)
{
    while (s.startsWith(disabledPrefix))
        s.remove(0, disabledPrefix.size());
    return s;
}

struct PrettySuite {
    QString name;
    QString typeParameter;
    bool typed = false;
};

PrettySuite cmakePrettySuite(const QString &line, const QString &suite)
{
    PrettySuite pretty;
    if (line.contains(QLatin1Char('#'))) {
        // string(REGEX REPLACE "/.*" "" pretty_suite "${line}")
        const int slash = line.indexOf(QLatin1Char('/'));
        pretty.name = slash >= 0 ? line.left(slash) : line;
        // string(REGEX REPLACE ".*/[0-9]+[ .#]+TypeParam = (.*)" "\\1" type_parameter "${line}")
        static const QRegularExpression typeParameter(QStringLiteral(".*/[0-9]+[ .#]+TypeParam = (.*)"));
        pretty.typeParameter = QString(line).replace(typeParameter, QStringLiteral("\\1"));
        pretty.typed = true;
    } else {
        pretty.name = suite;
    }
    pretty.name = cmakeWithoutDisabled(pretty.name);
    return pretty;
}

QString cmakePrettyTest(const QString &line)
{
    QString test = cmakeStrip(line);
    if (test.contains(QLatin1Char('#'))) {
        // string(REGEX REPLACE "/[0-9]+[ #]+GetParam\\(\\) = " "/" pretty_test "${test}")
        static const QRegularExpression valueParameter(QStringLiteral("/[0-9]+[ #]+GetParam\\(\\) = "));
        test.replace(valueParameter, QStringLiteral("/"));
    }
    // Without '#', string(REGEX REPLACE " +#.*" "" ...) changes nothing.
    return cmakeWithoutDisabled(test);
}

// gtest escapes JSON strings byte by byte, and with a signed `char` every byte
// >= 0x80 comes out as "\u00XX" (so UTF-8 "ü" reads back as "Ã¼"). Where that
// is the case, take the code units back as bytes and decode them as UTF-8.
QString gtestJsonString(const QJsonValue &value)
{
    const QString s = value.toString();
    if constexpr (std::numeric_limits<char>::is_signed) {
        bool escapedBytes = false;
        for (const QChar c : s) {
            if (c.unicode() > 0xff)
                return s; // not from "\u00XX" escapes: taken as it is
            escapedBytes = escapedBytes || c.unicode() >= 0x80;
        }
        if (escapedBytes)
            return QString::fromUtf8(s.toLatin1());
    }
    return s;
}

// Calls `visit(suite, case, object)` for every case of a gtest JSON report
// (the listing and the results share the shape).
template<typename Visit> void forEachGTestJsonCase(const QJsonObject &report, Visit visit)
{
    const QJsonArray suites = report.value(QLatin1String("testsuites")).toArray();
    for (const QJsonValue &suiteValue : suites) {
        const QJsonObject suite = suiteValue.toObject();
        const QString suiteName = gtestJsonString(suite.value(QLatin1String("name")));
        const QJsonArray tests = suite.value(QLatin1String("testsuite")).toArray();
        for (const QJsonValue &testValue : tests) {
            const QJsonObject test = testValue.toObject();
            visit(suiteName, gtestJsonString(test.value(QLatin1String("name"))), test);
        }
    }
}

// The longest JSON string kept whole when a report is read; a test's 10 MB
// failure message would otherwise be held several times over (the file, the
// parsed document, UTF-16), and ctestd keeps 64 KiB of a message anyway.
constexpr int MaxJsonStringBytes = 256 * 1024;

// Reads a JSON document from `file` in chunks, cutting every string literal
// longer than MaxJsonStringBytes with a note, so that memory stays bounded
// whatever the test wrote. Cuts only between characters and escapes, so the
// result is valid JSON whenever the input is.
QByteArray readJsonWithShortStrings(QFile *file)
{
    QByteArray result;
    bool inString = false;
    bool escaped = false;
    int hexDigitsLeft = 0; // of a \uXXXX escape
    qint64 length = 0; // bytes of the current string so far
    qint64 dropped = 0; // of the current string, once it is cut
    char chunk[64 * 1024];
    for (qint64 got; (got = file->read(chunk, sizeof chunk)) > 0;) {
        for (qint64 i = 0; i < got; ++i) {
            const char c = chunk[i];
            if (!inString) {
                result.append(c);
                inString = c == '"';
                length = 0;
                dropped = 0;
                continue;
            }
            const bool closes = !escaped && hexDigitsLeft == 0 && c == '"';
            if (dropped > 0 && !closes) {
                ++dropped;
                escaped = !escaped && c == '\\';
                continue;
            }
            const bool boundary = !escaped && hexDigitsLeft == 0 && c != '\\' && (uchar(c) & 0xC0) != 0x80;
            if (!closes && boundary && length >= MaxJsonStringBytes) {
                dropped = 1;
                continue;
            }
            if (closes && dropped > 0)
                result.append(" [ctestd: " + QByteArray::number(dropped) + " more bytes of this text were dropped]");
            result.append(c);
            ++length;
            if (closes) {
                inString = false;
            } else if (escaped) {
                escaped = false;
                hexDigitsLeft = c == 'u' ? 4 : 0;
            } else if (hexDigitsLeft > 0) {
                --hexDigitsLeft;
            } else {
                escaped = c == '\\';
            }
        }
    }
    return result;
}

// Reads a JSON report or listing gtest wrote. Where `char` is unsigned, gtest
// copies bytes >= 0x80 raw, which may not be UTF-8; those are decoded leniently.
bool readGTestJson(const QString &path, QJsonObject *root)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray data = readJsonWithShortStrings(&file);
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error == QJsonParseError::IllegalUTF8String)
        document = QJsonDocument::fromJson(QString::fromUtf8(data).toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return false;
    *root = document.object();
    return root->value(QLatin1String("testsuites")).isArray();
}

// "file:line" (or "file" when gtest had no line, or "unknown file").
void parseLocation(const QString &location, QString *file, int *line)
{
    file->clear();
    *line = 0;
    if (location.isEmpty() || location == QLatin1String("unknown file"))
        return;
    const int colon = location.lastIndexOf(QLatin1Char(':'));
    if (colon > 0) {
        bool ok = false;
        const int number = location.mid(colon + 1).toInt(&ok);
        if (ok && number >= 0) {
            *file = location.left(colon);
            *line = number;
            return;
        }
    }
    *file = location;
}

// The console's failure header: "<file>:<line>: Failure", "unknown file: Skipped", ...
bool parsePartHeader(const QString &text, bool *skip, QString *file, int *line)
{
    static const QLatin1String failure(": Failure");
    static const QLatin1String skipped(": Skipped");
    if (text.endsWith(failure))
        *skip = false;
    else if (text.endsWith(skipped))
        *skip = true;
    else
        return false;
    const QString location = text.left(text.size() - failure.size());
    if (location == QLatin1String("unknown file")) {
        file->clear();
        *line = 0;
        return true;
    }
    return splitFileAndLine(location, file, line);
}

// "(3 ms)" at the end of an end-marker line; 0 when --gtest_print_time was off.
double secondsFromMarker(const QString &rest)
{
    static const QLatin1String msSuffix(" ms)");
    if (!rest.endsWith(msSuffix))
        return 0.0;
    const int open = rest.lastIndexOf(QLatin1String(" ("));
    if (open < 0)
        return 0.0;
    bool ok = false;
    const qlonglong ms = rest.mid(open + 2, rest.size() - msSuffix.size() - open - 2).toLongLong(&ok);
    return ok && ms >= 0 ? double(ms) / 1000.0 : 0.0;
}

// The JSON report's "time": "0.002s", "1.234s", "1e+06s".
double secondsFromDuration(const QString &duration)
{
    QString number = duration;
    if (number.endsWith(QLatin1Char('s')))
        number.chop(1);
    bool ok = false;
    const double seconds = number.toDouble(&ok);
    return ok && seconds >= 0.0 ? seconds : 0.0;
}

} // namespace

QString GTestAdapter::name() const
{
    return QStringLiteral("gtest");
}

GroupBy GTestAdapter::defaultGroupBy() const
{
    // SetUpTestSuite runs once per suite per process: a suite never splits.
    return GroupBy::Suite;
}

QString GTestAdapter::listingJsonPath(const QString &scratchDir)
{
    return QDir(scratchDir).absoluteFilePath(QStringLiteral("list.json"));
}

QString GTestAdapter::resultsJsonPath(const QString &scratchDir)
{
    return QDir(scratchDir).absoluteFilePath(QStringLiteral("results.json"));
}

QString GTestAdapter::filterFlagFilePath(const QString &scratchDir)
{
    return QDir(scratchDir).absoluteFilePath(QStringLiteral("filter.flags"));
}

QStringList GTestAdapter::listArguments(const QString &, const QString &scratchDir) const
{
    // A listing left over from an earlier run must not be mistaken for this one's.
    const QString jsonPath = listingJsonPath(scratchDir);
    QFile::remove(jsonPath);
    // The explicit filter overrides GTEST_FILTER / TESTBRIDGE_TEST_ONLY from
    // the environment: the listing is always complete.
    return {QStringLiteral("--gtest_list_tests"), QStringLiteral("--gtest_filter=*"),
        QStringLiteral("--gtest_output=json:") + jsonPath};
}

bool GTestAdapter::parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
    QVector<TestCase> *cases, QString *error) const
{
    const QStringList lines = outputLines(stdOut);

    QVector<TestCase> found;
    bool inListing = false;
    QString suite;
    PrettySuite pretty;
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        QString name;
        QString suiteName;
        if (parseSuiteLine(line, &suiteName)) {
            // Before the listing, a line that merely looks like a suite is
            // noise unless a case line follows it.
            if (!inListing && !(i + 1 < lines.size() && parseCaseLine(lines.at(i + 1), &name)))
                continue;
            inListing = true;
            suite = suiteName;
            pretty = cmakePrettySuite(line, suite);
            continue;
        }
        if (!inListing || !parseCaseLine(line, &name))
            continue;
        TestCase testCase;
        testCase.suite = withoutDisabledPrefix(suite);
        testCase.name = withoutDisabledPrefix(name);
        testCase.selector = suite + QLatin1Char('.') + name;
        const QString prettyTest = cmakePrettyTest(line);
        testCase.displayName = pretty.typed
            ? pretty.name + QLatin1Char('.') + prettyTest + QLatin1Char('<') + pretty.typeParameter + QLatin1Char('>')
            : pretty.name + QLatin1Char('.') + prettyTest;
        testCase.disabled = isDisabledName(suite) || isDisabledName(name);
        found.append(testCase);
    }

    QJsonObject listing;
    const bool haveJson = readGTestJson(listingJsonPath(scratchDir), &listing);

    if (!inListing) {
        // A gtest binary without tests prints at most gtest_main's greeting
        // (and still writes its JSON listing). Anything else is not gtest.
        QString foreign;
        for (const QString &line : lines) {
            if (cmakeStrip(line).isEmpty() || line.startsWith(gtestMainGreeting))
                continue;
            foreign = line;
            break;
        }
        const bool emptyListing = haveJson && listing.value(QLatin1String("testsuites")).toArray().isEmpty();
        if (foreign.isEmpty() && cmakeStrip(QString::fromUtf8(stdOut)).isEmpty() && !haveJson) {
            // No output at all: a gtest binary with a custom main() and no
            // tests, unless it complained on stderr.
            const QStringList errLines = outputLines(stdErr);
            for (const QString &line : errLines) {
                if (!cmakeStrip(line).isEmpty()) {
                    foreign = line;
                    break;
                }
            }
        }
        if (!foreign.isEmpty() && !emptyListing) {
            *error = QStringLiteral("not a GoogleTest listing: %1").arg(quotedForError(foreign));
            return false;
        }
    }

    if (haveJson) {
        struct Location {
            QString file;
            int line = 0;
        };
        QHash<QString, Location> locations;
        forEachGTestJsonCase(listing, [&](const QString &suiteName, const QString &caseName, const QJsonObject &test) {
            locations.insert(suiteName + QLatin1Char('.') + caseName,
                {gtestJsonString(test.value(QLatin1String("file"))), test.value(QLatin1String("line")).toInt()});
        });
        for (TestCase &testCase : found) {
            const auto it = locations.constFind(testCase.selector);
            if (it != locations.constEnd()) {
                testCase.file = it->file;
                testCase.line = it->line;
            }
        }
    }

    *cases = found;
    return true;
}

bool GTestAdapter::prepareDirectRun(
    const QString &executable, const QString &selector, const QString &scratchDir, RunSpec *spec, QString *error) const
{
    RunSpec checked; // the same refusals of selectors a filter would misread
    if (!prepareRun(executable, {selector}, scratchDir, &checked, error))
        return false;
    spec->arguments
        = QStringList {QStringLiteral("--gtest_filter=") + selector, QStringLiteral("--gtest_also_run_disabled_tests")};
    return true;
}

bool GTestAdapter::stopAtFirstFailure(RunSpec *spec) const
{
    // The variable, not --gtest_fail_fast: gtest before 1.11 takes an unknown
    // --gtest_ flag for a request for help and runs nothing, but ignores an
    // unknown variable (and then runs on: the daemon still starts nothing new).
    spec->environment.insert(QStringLiteral("GTEST_FAIL_FAST"), QStringLiteral("1"));
    return true;
}

QString GTestAdapter::withoutDisabledPrefix(const QString &name)
{
    return cmakeWithoutDisabled(name);
}

bool GTestAdapter::prepareRun(
    const QString &, const QStringList &selectors, const QString &scratchDir, RunSpec *spec, QString *error) const
{
    if (selectors.isEmpty()) {
        *error = QStringLiteral("no GoogleTest cases to run");
        return false;
    }
    for (const QString &selector : selectors) {
        if (selector.isEmpty()) {
            *error = QStringLiteral("empty GoogleTest selector");
            return false;
        }
        for (const QChar c : selector) {
            // Filter syntax: ':' separates patterns, '-' starts the negative
            // ones, '*' and '?' are wildcards. None occur in gtest names.
            if (c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char(':') || c == QLatin1Char('-')) {
                *error = QStringLiteral("GoogleTest selector \"%1\" contains the filter character '%2'")
                             .arg(quotedForError(selector), QString(c));
                return false;
            }
            if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
                *error = QStringLiteral("GoogleTest selector \"%1\" contains a control character")
                             .arg(quotedForError(selector));
                return false;
            }
        }
    }

    // A report left over from an earlier run would be taken for this one's
    // after a crash.
    const QString resultsPath = resultsJsonPath(scratchDir);
    QFile::remove(resultsPath);

    const QString filter = QStringLiteral("--gtest_filter=") + selectors.join(QLatin1Char(':'));
    const QByteArray filterBytes = filter.toUtf8();
    if (filterBytes.size() > maxFilterArgumentBytes) {
        // gtest's flag file: one flag per line, read when --gtest_flagfile is parsed.
        const QString path = filterFlagFilePath(scratchDir);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            return false;
        }
        const QByteArray content = filterBytes + '\n';
        if (file.write(content) != content.size() || !file.flush()) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            return false;
        }
        file.close();
        spec->arguments.append(QStringLiteral("--gtest_flagfile=") + path);
    } else {
        spec->arguments.append(filter);
    }
    spec->arguments.append(QStringLiteral("--gtest_output=json:") + resultsPath);

    // Settings gtest reads from the environment as flag defaults. The flags
    // themselves are not passed: gtest before 1.11 has no --gtest_brief or
    // --gtest_fail_fast and would print its help instead of running, while
    // unknown variables are ignored.
    static const char *const pinned[][2] = {
        {"GTEST_COLOR", "no"}, // no escape sequences around the markers
        {"GTEST_BRIEF", "0"}, // RUN and OK lines for every case
        {"GTEST_PRINT_TIME", "1"}, // "(3 ms)" on the end markers
        {"GTEST_REPEAT", "1"}, // each case once
        {"GTEST_SHUFFLE", "0"}, // gtest's own order
        {"GTEST_FAIL_FAST", "0"}, // a failure must not skip the rest of the unit
        {"GTEST_ALSO_RUN_DISABLED_TESTS", "0"},
        {"GTEST_BREAK_ON_FAILURE", "0"}, // would turn a failure into SIGTRAP
        {"GTEST_THROW_ON_FAILURE", "0"}, // would turn a failure into std::terminate
        // No sharding. Unsetting is not possible and an empty value makes
        // gtest exit with "Invalid environment variables"; 1 shard is valid.
        {"GTEST_TOTAL_SHARDS", "1"},
        {"GTEST_SHARD_INDEX", "0"},
    };
    for (const auto &entry : pinned)
        spec->environment.insert(QString::fromLatin1(entry[0]), QString::fromLatin1(entry[1]));
    return true;
}

std::unique_ptr<OutputParser> GTestAdapter::createOutputParser(const QString &scratchDir, const QStringList &) const
{
    return std::make_unique<GTestOutputParser>(scratchDir);
}

GTestOutputParser::GTestOutputParser(const QString &scratchDir)
    : m_scratchDir(scratchDir)
{ }

void GTestOutputParser::appendText(const QString &text)
{
    if (m_parts.isEmpty())
        return; // output of the case itself, not part of a failure
    if (m_truncated)
        return;
    if (m_messageChars + text.size() > maxMessageChars) {
        m_parts.last().lines.append(text.left(qMax(0, maxMessageChars - m_messageChars)));
        m_parts.last().lines.append(QStringLiteral("[... truncated by ctestd]"));
        m_truncated = true;
        return;
    }
    m_messageChars += text.size() + 1;
    m_parts.last().lines.append(text);
}

LineEvent GTestOutputParser::finish(Status status, const QString &rest)
{
    LineEvent event;
    event.kind = LineEvent::Finished;
    event.selector = m_running;
    event.result.status = status;
    event.result.seconds = secondsFromMarker(rest);
    if (status != Status::Passed) {
        const bool wantSkip = status == Status::Skipped;
        QStringList messages;
        bool first = true;
        for (const Part &part : qAsConst(m_parts)) {
            if (part.skip != wantSkip)
                continue;
            if (first) {
                event.result.file = part.file;
                event.result.line = part.line;
                first = false;
            }
            messages.append(joinedMessage(part.lines));
        }
        event.result.message = messages.join(QLatin1Char('\n'));
    }
    m_streamed.insert(m_running, event.result);
    m_running.clear();
    m_parts.clear();
    m_messageChars = 0;
    m_truncated = false;
    return event;
}

namespace {

// "[----------] 3 tests from Math", "[----------] 1 test from Typed/0, where
// TypeParam = int"; not the footer, which ends with "ms total)".
bool isSuiteHeader(const QByteArray &line)
{
    static const QRegularExpression header(QStringLiteral("^\\[----------\\] \\d+ tests? from \\S"));
    return line.startsWith(suiteMarker) && !line.endsWith(" ms total)")
        && header.match(QString::fromUtf8(line)).hasMatch();
}

// What gtest (and gtest_main) print about the process before its first case.
bool isBannerLine(const QByteArray &line)
{
    static const QByteArray prefixes[] = {QByteArrayLiteral("Running main() from "),
        QByteArrayLiteral("Note: Google Test filter = "), QByteArrayLiteral("Note: This is test shard "),
        QByteArrayLiteral("Note: Randomizing tests' orders with a seed of "),
        QByteArrayLiteral("[==========] Running "), QByteArrayLiteral("[----------] Global test environment set-up.")};
    for (const QByteArray &prefix : prefixes) {
        if (line.startsWith(prefix))
            return true;
    }
    return false;
}

} // namespace

ParsedLine GTestOutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QByteArray line = withoutCarriageReturn(rawLine);

    // A RUN marker may follow output the previous code left without a newline.
    const int run = line.lastIndexOf(runMarker);
    if (run >= 0) {
        const QString selector = QString::fromUtf8(line.mid(run + runMarker.size()));
        // The rest of the line is the name, inner spaces included (a typed
        // suite named "b c"); a name the unit did not ask for is ignored.
        if (!selector.isEmpty() && selector.contains(QLatin1Char('.')) && isListableName(selector)) {
            // A case still running did not finish: nothing is reported for it
            // here; the worker accounts for it.
            m_running = selector;
            m_beforeFirstCase = false;
            m_parts.clear();
            m_messageChars = 0;
            m_truncated = false;
            LineEvent event;
            event.kind = LineEvent::Started;
            event.selector = selector;
            return event;
        }
    }
    if (m_running.isEmpty()) {
        // Between cases, output leads up to the next case (its suite's
        // set-up, say) and goes with it. gtest's own lines about the process
        // and its suites are the exception: they would show in the next
        // case's output as if they were about that case, so they are dropped.
        // Before the first case: gtest_main's greeting, the filter note (20 KB
        // for a big group), the shard and seed notes, "[==========] Running
        // N tests ..." and the environment set-up line. Between suites: the
        // footer "[----------] 1 test from Io (0 ms total)", the blank line
        // after it and the next suite's header "[----------] 2 tests from S".
        ParsedLine between;
        if (std::exchange(m_afterSuiteFooter, false) && line.isEmpty())
            between.display = QByteArray();
        else if (line.startsWith(suiteMarker) && line.endsWith(" ms total)")) {
            between.display = QByteArray();
            m_afterSuiteFooter = true;
        } else if (isSuiteHeader(line) || (m_beforeFirstCase && isBannerLine(line))) {
            between.display = QByteArray();
        }
        return between;
    }

    static const struct {
        const QByteArray &marker;
        Status status;
    } ends[] = {{okMarker, Status::Passed}, {failedMarker, Status::Failed}, {skippedMarker, Status::Skipped}};
    for (const auto &end : ends) {
        const int at = line.lastIndexOf(end.marker);
        if (at < 0)
            continue;
        // "Suite.Name", "Suite.Name (3 ms)", "Suite.Name, where GetParam() = 3 (0 ms)"
        const QString rest = QString::fromUtf8(line.mid(at + end.marker.size()));
        if (!rest.startsWith(m_running))
            continue;
        if (rest.size() > m_running.size() && rest.at(m_running.size()) != QLatin1Char(' ')
            && rest.at(m_running.size()) != QLatin1Char(','))
            continue;
        if (at > 0)
            appendText(QString::fromUtf8(line.left(at))); // the case's output without a newline
        return finish(end.status, rest);
    }

    const QString text = QString::fromUtf8(line);
    Part part;
    if (parsePartHeader(text, &part.skip, &part.file, &part.line))
        m_parts.append(part);
    else
        appendText(text);
    return {};
}

QHash<QString, CaseResult> GTestOutputParser::structuredResults()
{
    QHash<QString, CaseResult> results;
    QJsonObject root;
    if (!readGTestJson(GTestAdapter::resultsJsonPath(m_scratchDir), &root))
        return results; // not written (crash, kill) or unreadable
    forEachGTestJsonCase(root, [&](const QString &suiteName, const QString &caseName, const QJsonObject &test) {
        if (suiteName.isEmpty() || caseName.isEmpty())
            return; // "NonTestSuiteFailure": failures outside any case
        const QJsonArray failures = test.value(QLatin1String("failures")).toArray();
        const QString outcome = test.value(QLatin1String("result")).toString();
        CaseResult result;
        if (!failures.isEmpty())
            result.status = Status::Failed;
        else if (outcome == QLatin1String("COMPLETED"))
            result.status = Status::Passed;
        else if (outcome == QLatin1String("SKIPPED"))
            result.status = Status::Skipped;
        else if (outcome == QLatin1String("SUPPRESSED"))
            result.status = Status::Disabled;
        else
            return;
        result.seconds = secondsFromDuration(test.value(QLatin1String("time")).toString());

        // Each failure is "file:line\nmessage".
        QStringList messages;
        for (int i = 0; i < failures.size(); ++i) {
            const QString text = gtestJsonString(failures.at(i).toObject().value(QLatin1String("failure")));
            const int newline = text.indexOf(QLatin1Char('\n'));
            QString file;
            int line = 0;
            if (newline >= 0)
                parseLocation(text.left(newline), &file, &line);
            if (i == 0) {
                result.file = file;
                result.line = line;
            }
            messages.append(newline >= 0 ? text.mid(newline + 1) : text);
        }
        result.message = messages.join(QLatin1Char('\n'));

        // The JSON report has no skip message or location; the stream had them.
        const QString selector = suiteName + QLatin1Char('.') + caseName;
        const auto streamed = m_streamed.constFind(selector);
        if (result.message.isEmpty() && streamed != m_streamed.constEnd() && streamed->status == result.status) {
            result.message = streamed->message;
            result.file = streamed->file;
            result.line = streamed->line;
        }
        results.insert(selector, result);
    });
    return results;
}

} // namespace ctestd
