// SPDX-License-Identifier: BSD-3-Clause
// GTestAdapter: listing (--gtest_list_tests, as gtest_discover_tests reads
// it, with the JSON listing for locations) and selection (--gtest_filter).
#include "gtestadapter.h"

#include "frameworks/adaptertext.h"
#include "gtestformat.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>

namespace ctestd {

using namespace gtest;

namespace {

const QLatin1String typeParamComment("  # TypeParam = ");
const QLatin1String valueParamComment("  # GetParam() = ");
const QLatin1String disabledPrefix("DISABLED_");
const QLatin1String gtestMainGreeting("Running main() from ");

bool isCMakeSpace(QChar c)
{
    // CMake's cmIsSpace(): ASCII isspace() only.
    return c == QLatin1Char(' ') || (c.unicode() >= 0x09 && c.unicode() <= 0x0d);
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

} // namespace ctestd
