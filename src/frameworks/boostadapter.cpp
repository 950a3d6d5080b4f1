// SPDX-License-Identifier: BSD-3-Clause
#include "boostadapter.h"

#include "adaptertext.h"
#include "detection.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QXmlStreamReader>

namespace ctestd {

namespace {

constexpr int listingTimeoutMs = 10000; // of the listing prepareRun() runs

// Separates the case-mode and suite-mode keys in TestCase::groupHint.
const QChar hintMark(0x1d);
// Boost's own settings that change what runs or what the stream looks like.
// They are arguments, which win over BOOST_TEST_* environment variables.
const char *const pinnedArguments[] = {
    "--color_output=no", // no escape sequences around the markers
    "--report_level=no", // no summary report on stderr (our stdout)
    "--show_progress=no", // the progress bar would glue '*' to the markers
    "--catch_system_errors=no", // see the class comment
    "--detect_fp_exceptions=no", // SIGFPE kills the process like other signals
    "--random=0", // Boost's own order
    "--result_code=yes", // 201 when a case failed
    "--build_info=no",
    "--list_labels=no", // BOOST_TEST_LIST_LABELS=yes would list instead of running
    "--auto_start_dbg=no",
    "--use_alt_stack=no",
    "--wait_for_debugger=no",
};
// Boost's settings that have no "off" value to pin as an argument: set to
// anything, BOOST_TEST_LIST_CONTENT lists instead of running.
const char *const unsetVariables[] = {"BOOST_TEST_LIST_CONTENT"};

// A line of output, decoded leniently (invalid UTF-8 becomes U+FFFD), without
// its carriage return and without terminal escape sequences.
QString cleanLine(const QByteArray &raw)
{
    QByteArray line = raw;
    while (line.endsWith('\r') || line.endsWith('\n'))
        line.chop(1);
    if (line.contains('\x1b')) {
        static const QRegularExpression escape(QStringLiteral("\x1b\\[[0-9;]*[A-Za-z]"));
        return QString::fromUtf8(line).remove(escape);
    }
    return QString::fromUtf8(line);
}

QStringList cleanLines(const QByteArray &output)
{
    QStringList lines;
    const QList<QByteArray> raw = output.split('\n');
    lines.reserve(raw.size());
    for (const QByteArray &line : raw)
        lines.append(cleanLine(line));
    return lines;
}

// ---------------------------------------------------------------------------
// The DOT listing.

struct DotUnit {
    QString id;
    QString parent; // id, empty for the master suite
    QString name;
    QString file;
    int line = 0;
    bool enabled = true;
    bool suite = false;
    bool master = false;
    int expectedFailures = 0;
    QStringList dependencies; // ids
    QString path; // below the master suite
};

struct DotTree {
    QVector<DotUnit> units; // in listing (registration) order
    QHash<QString, int> byId;
};

// `name|file(line)[|timeout=N][|expected failures=N][|labels: @a @b]`
bool parseLabel(QString label, DotUnit *unit)
{
    const int labels = label.lastIndexOf(QLatin1String("|labels:"));
    if (labels >= 0)
        label.truncate(labels);
    static const QRegularExpression expected(QStringLiteral("\\|expected failures=(\\d+)$"));
    const QRegularExpressionMatch failures = expected.match(label);
    if (failures.hasMatch()) {
        unit->expectedFailures = failures.captured(1).toInt();
        label.truncate(failures.capturedStart());
    }
    static const QRegularExpression timeout(QStringLiteral("\\|timeout=\\d+$"));
    const QRegularExpressionMatch timed = timeout.match(label);
    if (timed.hasMatch())
        label.truncate(timed.capturedStart());
    static const QRegularExpression location(QStringLiteral("^(.*)\\|(.*)\\((\\d+)\\)$"));
    const QRegularExpressionMatch where = location.match(label);
    if (!where.hasMatch() || where.captured(1).isEmpty())
        return false;
    unit->name = where.captured(1);
    unit->file = where.captured(2);
    unit->line = where.captured(3).toInt();
    return true;
}

// Reads Boost's `--list_content=DOT` output (dot_content_reporter, 1.74).
bool parseDot(const QByteArray &stdOut, const QByteArray &stdErr, DotTree *tree, QString *error)
{
    static const QLatin1String header("digraph G {rankdir=LR;");
    QStringList lines = cleanLines(stdErr);
    int start = lines.indexOf(header);
    if (start < 0) {
        // Not where Boost writes it; accept it on stdout all the same.
        lines = cleanLines(stdOut);
        start = lines.indexOf(header);
    }
    if (start < 0) {
        QString foreign;
        for (const QString &line : cleanLines(stdErr) + cleanLines(stdOut)) {
            if (!line.trimmed().isEmpty()) {
                foreign = line;
                break;
            }
        }
        *error = foreign.isEmpty() ? QStringLiteral("not a Boost.Test listing: no output")
                                   : QStringLiteral("not a Boost.Test listing: %1").arg(quotedForError(foreign));
        return false;
    }

    static const QRegularExpression node(QStringLiteral("^tu(\\d+)\\[shape=(ellipse,peripheries=2|Mrecord),"
                                                        "fontname=Helvetica,color=(green|yellow),label=\"(.*)\"\\];$"));
    static const QRegularExpression edge(
        QStringLiteral("^tu(\\d+) -> tu(\\d+)(\\[color=red,style=dotted,constraint=false\\])?;$"));
    int depth = 1;
    int last = -1; // the unit a following "{" opens
    for (int i = start + 1; i < lines.size() && depth > 0; ++i) {
        const QString &line = lines.at(i);
        if (line.isEmpty())
            continue;
        if (line == QLatin1String("{")) {
            if (last < 0) {
                *error = QStringLiteral("unexpected '{' in the Boost.Test listing");
                return false;
            }
            tree->units[last].suite = true;
            ++depth;
            continue;
        }
        if (line == QLatin1String("}")) {
            --depth;
            continue;
        }
        const QRegularExpressionMatch nodeMatch = node.match(line);
        if (nodeMatch.hasMatch()) {
            DotUnit unit;
            unit.id = nodeMatch.captured(1);
            unit.master = nodeMatch.captured(2) != QLatin1String("Mrecord");
            unit.enabled = nodeMatch.captured(3) == QLatin1String("green");
            if (unit.master) {
                unit.name = nodeMatch.captured(4);
                unit.suite = true;
            } else if (!parseLabel(nodeMatch.captured(4), &unit)) {
                *error = QStringLiteral("unexpected label in the Boost.Test listing: %1").arg(quotedForError(line));
                return false;
            }
            if (tree->byId.contains(unit.id)) {
                *error = QStringLiteral("test unit %1 listed twice in the Boost.Test listing").arg(unit.id);
                return false;
            }
            last = tree->units.size();
            tree->byId.insert(unit.id, last);
            tree->units.append(unit);
            continue;
        }
        const QRegularExpressionMatch edgeMatch = edge.match(line);
        if (edgeMatch.hasMatch()) {
            const int from = tree->byId.value(edgeMatch.captured(1), -1);
            const int to = tree->byId.value(edgeMatch.captured(2), -1);
            const bool dependency = !edgeMatch.captured(3).isEmpty();
            if (dependency) {
                if (from < 0) {
                    *error = QStringLiteral("unexpected edge in the Boost.Test listing: %1").arg(quotedForError(line));
                    return false;
                }
                // The target may come later in the listing; checked below.
                tree->units[from].dependencies.append(edgeMatch.captured(2));
            } else {
                if (from < 0 || to < 0 || !tree->units.at(to).parent.isEmpty()) {
                    *error = QStringLiteral("unexpected edge in the Boost.Test listing: %1").arg(quotedForError(line));
                    return false;
                }
                tree->units[to].parent = edgeMatch.captured(1);
            }
            continue;
        }
        *error = QStringLiteral("unexpected line in the Boost.Test listing: %1").arg(quotedForError(line));
        return false;
    }
    if (depth > 0) {
        *error = QStringLiteral("truncated Boost.Test listing");
        return false;
    }
    if (tree->units.isEmpty() || !tree->units.constFirst().master) {
        *error = QStringLiteral("Boost.Test listing without a master test suite");
        return false;
    }

    // Paths, in listing order: a parent always comes before its children.
    for (DotUnit &unit : tree->units) {
        if (unit.master)
            continue;
        const int parent = tree->byId.value(unit.parent, -1);
        if (parent < 0) {
            *error = QStringLiteral("test unit \"%1\" has no parent in the Boost.Test listing")
                         .arg(quotedForError(unit.name));
            return false;
        }
        const DotUnit &up = tree->units.at(parent);
        unit.path = up.master ? unit.name : up.path + QLatin1Char('/') + unit.name;
        unit.enabled = unit.enabled && up.enabled; // a disabled suite disables what is in it
    }
    for (const DotUnit &unit : qAsConst(tree->units)) {
        for (const QString &dependency : unit.dependencies) {
            if (!tree->byId.contains(dependency)) {
                *error = QStringLiteral("\"%1\" depends on a test unit missing from the Boost.Test listing")
                             .arg(quotedForError(unit.path));
                return false;
            }
        }
    }
    return true;
}

// The cases at or below a unit, as indices into tree.units.
QVector<int> casesBelow(const DotTree &tree, int unit)
{
    QVector<int> found;
    const QString &path = tree.units.at(unit).path;
    const bool master = tree.units.at(unit).master;
    for (int i = 0; i < tree.units.size(); ++i) {
        const DotUnit &candidate = tree.units.at(i);
        if (candidate.suite)
            continue;
        if (master || i == unit || candidate.path.startsWith(path + QLatin1Char('/')))
            found.append(i);
    }
    return found;
}

struct UnionFind {
    QVector<int> parent;
    explicit UnionFind(int size)
    {
        parent.resize(size);
        for (int i = 0; i < size; ++i)
            parent[i] = i;
    }
    int find(int i)
    {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    }
    void unite(int a, int b)
    {
        a = find(a);
        b = find(b);
        if (a != b)
            parent[qMax(a, b)] = qMin(a, b); // the earliest member represents the set
    }
};

QString topLevelSuite(const QString &suite)
{
    return suite.section(QLatin1Char('/'), 0, 0);
}

// ---------------------------------------------------------------------------
// The human-readable log.

// "file(line): rest" -> file, line, rest. "unknown location(0)" has no file.
bool splitLocation(const QString &line, QString *file, int *number, QString *rest)
{
    static const QRegularExpression located(QStringLiteral("^(.+?)\\((\\d+)\\): (.*)$"));
    const QRegularExpressionMatch match = located.match(line);
    if (!match.hasMatch())
        return false;
    *file = match.captured(1);
    *number = match.captured(2).toInt();
    if (*file == QLatin1String("unknown location")) {
        file->clear();
        *number = 0;
    }
    *rest = match.captured(3);
    return true;
}

double secondsFromTestingTime(const QString &value, const QString &unit)
{
    bool ok = false;
    const double amount = value.toDouble(&ok);
    if (!ok || amount < 0)
        return 0.0;
    return unit == QLatin1String("ms") ? amount / 1000.0 : amount / 1e6;
}

} // namespace

QString BoostTestAdapter::logXmlPath(const QString &scratchDir)
{
    return QDir(scratchDir).absoluteFilePath(QStringLiteral("log.xml"));
}

namespace {

// "<n>\t<path>\n" per case with expected_failures(n). Whether a case with
// failures passed depends on it, and only the listing says it (the stream
// does not, and a case registered with ctest carries no listing). Listed once
// per executable build and worker process: a worker runs many units of the
// same executable.
QByteArray expectedFailuresOf(const QString &executable)
{
    static QHash<QString, QByteArray> cache;
    const QFileInfo info(executable);
    const QString key = executable + QLatin1Char('\x1f') + QString::number(info.size()) + QLatin1Char('\x1f')
        + QString::number(info.lastModified().toMSecsSinceEpoch());
    const auto known = cache.constFind(key);
    if (known != cache.constEnd())
        return *known;

    QByteArray content;
    QProcess listing;
    listing.start(executable, {QStringLiteral("--list_content=DOT")});
    if (listing.waitForFinished(listingTimeoutMs) && listing.exitStatus() == QProcess::NormalExit
        && listing.exitCode() == 0) {
        DotTree tree;
        QString ignored;
        if (parseDot(listing.readAllStandardOutput(), listing.readAllStandardError(), &tree, &ignored)) {
            for (const DotUnit &unit : qAsConst(tree.units)) {
                if (!unit.suite && unit.expectedFailures > 0)
                    content += QByteArray::number(unit.expectedFailures) + '\t' + unit.path.toUtf8() + '\n';
            }
        }
    } else {
        listing.kill();
        listing.waitForFinished(1000);
        return content; // not remembered: the next unit tries again
    }
    cache.insert(key, content);
    return content;
}

} // namespace

QString BoostTestAdapter::expectedFailuresPath(const QString &scratchDir)
{
    return QDir(scratchDir).absoluteFilePath(QStringLiteral("expected-failures"));
}

QStringList BoostTestAdapter::listArguments(const QString &, const QString &) const
{
    // The listing ignores --run_test and BOOST_TEST_RUN_FILTERS: it is always
    // complete, with every unit's default status.
    return {QStringLiteral("--list_content=DOT")};
}

bool BoostTestAdapter::parseListing(
    const QByteArray &stdOut, const QByteArray &stdErr, const QString &, QVector<TestCase> *cases, QString *error) const
{
    DotTree tree;
    if (!parseDot(stdOut, stdErr, &tree, error))
        return false;

    QVector<int> caseUnits;
    QHash<int, int> slot; // unit index -> index into caseUnits
    for (int i = 0; i < tree.units.size(); ++i) {
        if (!tree.units.at(i).suite) {
            slot.insert(i, caseUnits.size());
            caseUnits.append(i);
        }
    }

    // Cases joined by a dependency (either way, transitively) share a group.
    UnionFind byCase(caseUnits.size());
    for (int i = 0; i < tree.units.size(); ++i) {
        for (const QString &dependency : tree.units.at(i).dependencies) {
            const QVector<int> from = casesBelow(tree, i);
            const QVector<int> to = casesBelow(tree, tree.byId.value(dependency));
            for (int a : from) {
                for (int b : to)
                    byCase.unite(slot.value(a), slot.value(b));
            }
        }
    }
    // In `suite` mode the top-level suites of such cases merge too. Cases
    // right in the master suite form a group named after it (the module's
    // name, as Boost's "Entering test module" says), not an empty one.
    QString masterName;
    for (const DotUnit &unit : qAsConst(tree.units)) {
        if (unit.master)
            masterName = unit.name;
    }
    if (masterName.isEmpty())
        masterName = QStringLiteral("Master Test Suite");
    QStringList topLevels;
    QVector<int> topOfCase(caseUnits.size());
    for (int c = 0; c < caseUnits.size(); ++c) {
        const DotUnit &unit = tree.units.at(caseUnits.at(c));
        const QString top = unit.path.contains(QLatin1Char('/')) ? topLevelSuite(unit.path) : masterName;
        int index = topLevels.indexOf(top);
        if (index < 0) {
            index = topLevels.size();
            topLevels.append(top);
        }
        topOfCase[c] = index;
    }
    UnionFind bySuite(topLevels.size());
    for (int c = 0; c < caseUnits.size(); ++c)
        bySuite.unite(topOfCase.at(c), topOfCase.at(byCase.find(c)));

    QVector<TestCase> found;
    found.reserve(caseUnits.size());
    for (int c = 0; c < caseUnits.size(); ++c) {
        const DotUnit &unit = tree.units.at(caseUnits.at(c));
        TestCase testCase;
        const int slash = unit.path.lastIndexOf(QLatin1Char('/'));
        testCase.suite = slash >= 0 ? unit.path.left(slash) : QString();
        testCase.name = unit.name;
        testCase.displayName = unit.path;
        testCase.selector = unit.path;
        testCase.file = unit.file;
        testCase.line = unit.line;
        testCase.disabled = !unit.enabled;

        QString caseKey = unit.path;
        const int caseRoot = byCase.find(c);
        for (int other = 0; other < caseUnits.size(); ++other) {
            if (other != c && byCase.find(other) == caseRoot) {
                caseKey = tree.units.at(caseUnits.at(caseRoot)).path + QStringLiteral("+deps");
                break;
            }
        }
        QStringList members;
        const int suiteRoot = bySuite.find(topOfCase.at(c));
        for (int t = 0; t < topLevels.size(); ++t) {
            if (bySuite.find(t) == suiteRoot)
                members.append(topLevels.at(t));
        }
        const QString suiteKey = members.size() == 1 ? topLevels.at(topOfCase.at(c)) : members.join(QLatin1Char('+'));
        testCase.groupHint = caseKey + hintMark + suiteKey;
        found.append(testCase);
    }
    *cases = found;
    return true;
}

GroupBy BoostTestAdapter::groupByFor(const QString &executable) const
{
    // The type name of boost::unit_test::ut_detail::global_fixture_impl<F>
    // (RTTI, kept by strip), present only with BOOST_TEST_GLOBAL_FIXTURE.
    return fileContainsAny(executable, {QByteArrayLiteral("global_fixture_impl")}) ? GroupBy::Executable
                                                                                   : GroupBy::Suite;
}

QString BoostTestAdapter::groupKey(const TestCase &testCase, GroupBy groupBy) const
{
    if (groupBy == GroupBy::Executable)
        return QString();
    const QStringList hint = testCase.groupHint.split(hintMark);
    if (hint.size() == 2)
        return groupBy == GroupBy::Case ? hint.at(0) : hint.at(1);
    return groupBy == GroupBy::Case ? testCase.selector : topLevelSuite(testCase.suite);
}

bool BoostTestAdapter::prepareDirectRun(
    const QString &executable, const QString &selector, const QString &scratchDir, RunSpec *spec, QString *error) const
{
    RunSpec checked; // the same refusals of selectors a filter would misread
    if (!prepareRun(executable, {selector}, scratchDir, &checked, error))
        return false;
    spec->arguments = QStringList {QStringLiteral("--run_test=") + selector};
    return true;
}

bool BoostTestAdapter::prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir,
    RunSpec *spec, QString *error) const
{
    if (selectors.isEmpty()) {
        *error = QStringLiteral("no Boost.Test cases to run");
        return false;
    }
    for (const QString &selector : selectors) {
        // Boost replaces ':' '*' '@' '+' '!' '/' ',' in names with '_', so a
        // listed path never has them except '/' between its parts. Anything
        // else would select other cases than this one.
        const QStringList parts = selector.split(QLatin1Char('/'));
        for (const QString &part : parts) {
            if (part.isEmpty() || part.trimmed() != part) {
                *error = QStringLiteral("Boost.Test selector \"%1\" has an empty or padded part")
                             .arg(quotedForError(selector));
                return false;
            }
            for (const QChar c : part) {
                if (c == QLatin1Char(':') || c == QLatin1Char(',') || c == QLatin1Char('*')) {
                    *error = QStringLiteral("Boost.Test selector \"%1\" contains the filter character '%2'")
                                 .arg(quotedForError(selector), QString(c));
                    return false;
                }
                if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
                    *error = QStringLiteral("Boost.Test selector \"%1\" contains a control character")
                                 .arg(quotedForError(selector));
                    return false;
                }
            }
            if (part.at(0) == QLatin1Char('!') || part.at(0) == QLatin1Char('+') || part.at(0) == QLatin1Char('@')) {
                *error = QStringLiteral("Boost.Test selector \"%1\" starts with the filter character '%2'")
                             .arg(quotedForError(selector), QString(part.at(0)));
                return false;
            }
        }
    }
    // The logger specification splits at ',' and at ':' not followed by a '/'.
    const QString logPath = logXmlPath(scratchDir);
    if (logPath.contains(QLatin1Char(',')) || logPath.contains(QLatin1Char(':'))) {
        *error = QStringLiteral("the scratch directory %1 cannot be named in a Boost.Test logger").arg(scratchDir);
        return false;
    }
    // A log left over from an earlier run would be taken for this one's.
    QFile::remove(logPath);
    QFile::remove(expectedFailuresPath(scratchDir));

    const QByteArray expected = expectedFailuresOf(executable);
    QFile file(expectedFailuresPath(scratchDir));
    if (!expected.isEmpty() && file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(expected);

    // ':' joins paths in one --run_test; several --run_test add up.
    QString filter;
    for (const QString &selector : selectors) {
        if (!filter.isEmpty() && (filter.size() + selector.size()) * 3 > maxFilterArgumentBytes) {
            spec->arguments.append(QStringLiteral("--run_test=") + filter);
            filter.clear();
        }
        if (!filter.isEmpty())
            filter += QLatin1Char(':');
        filter += selector;
    }
    spec->arguments.append(QStringLiteral("--run_test=") + filter);
    spec->arguments.append(QStringLiteral("--logger=HRF,test_suite,stdout:XML,test_suite,") + logPath);
    for (const char *argument : pinnedArguments)
        spec->arguments.append(QString::fromLatin1(argument));
    for (const char *variable : unsetVariables)
        spec->unsetEnvironment.append(QString::fromLatin1(variable));
    return true;
}

std::unique_ptr<OutputParser> BoostTestAdapter::createOutputParser(
    const QString &scratchDir, const QStringList &selectors) const
{
    return std::make_unique<BoostOutputParser>(scratchDir, selectors);
}

// ---------------------------------------------------------------------------

BoostOutputParser::BoostOutputParser(const QString &scratchDir, const QStringList &selectors)
    : m_scratchDir(scratchDir)
    , m_selectors(selectors)
{
    for (const QString &selector : selectors)
        m_requested.insert(selector);
    QFile file(BoostTestAdapter::expectedFailuresPath(scratchDir));
    if (file.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const int tab = line.indexOf('\t');
            if (tab > 0)
                m_expectedFailures.insert(QString::fromUtf8(line.mid(tab + 1)), line.left(tab).toInt());
        }
    }
}

void BoostOutputParser::resetCase()
{
    m_running.clear();
    m_failures = 0;
    m_aborted = false;
    m_inError = false;
    m_file.clear();
    m_line = 0;
    m_messages.clear();
    m_messageChars = 0;
    m_truncated = false;
}

void BoostOutputParser::appendMessage(const QString &text)
{
    if (m_truncated)
        return;
    if (m_messageChars + text.size() > maxMessageChars) {
        m_messages.append(text.left(qMax(0, maxMessageChars - m_messageChars)));
        m_messages.append(QStringLiteral("[... truncated by ctestd]"));
        m_truncated = true;
        return;
    }
    m_messageChars += text.size() + 1;
    m_messages.append(text);
}

void BoostOutputParser::finishEvent(ParsedLine *parsed, const QString &selector, const CaseResult &result)
{
    LineEvent event;
    event.kind = LineEvent::Finished;
    event.selector = selector;
    event.result = result;
    parsed->events.append(event);
    m_reported.insert(selector);
}

ParsedLine BoostOutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QString line = cleanLine(rawLine);
    ParsedLine parsed;

    QString file;
    int number = 0;
    QString rest;
    const bool located = splitLocation(line, &file, &number, &rest);
    if (!located)
        rest = line;

    static const QRegularExpression entering(QStringLiteral("^Entering test (case|suite|module) \"(.*)\"$"));
    static const QRegularExpression leaving(
        QStringLiteral("^Leaving test (case|suite|module) \"(.*)\"(?:; testing time: (\\d+)(us|ms))?$"));
    static const QRegularExpression skipped(QStringLiteral("^Test (case|suite) \"(.*)\" is skipped because (.*)$"));
    static const QRegularExpression setupError(QStringLiteral("^Test setup error: (.*)$"));

    static const QRegularExpression running(QStringLiteral("^Running \\d+ test cases?\\.\\.\\.$"));
    if (!located && m_beforeModule && running.match(line).hasMatch()) {
        parsed.display = QByteArray(); // the process' banner: how many cases it runs
        return parsed;
    }

    const QRegularExpressionMatch enter = entering.match(rest);
    if (enter.hasMatch()) {
        m_inError = false;
        const QString kind = enter.captured(1);
        if (kind == QLatin1String("module")) {
            // Boost's line about the process, not about a case, like the
            // "Running N test cases..." before it (dropped above).
            parsed.display = QByteArray();
            m_beforeModule = false;
            m_suites.clear();
        } else if (kind == QLatin1String("suite")) {
            parsed.display = QByteArray(); // as its "Leaving test suite"
            m_suites.append(enter.captured(2));
        } else {
            // A case still running did not finish: nothing is reported for it
            // here; the worker accounts for it.
            resetCase();
            m_running = (m_suites + QStringList {enter.captured(2)}).join(QLatin1Char('/'));
            if (m_requested.contains(m_running) && !m_reported.contains(m_running)) {
                LineEvent event;
                event.kind = LineEvent::Started;
                event.selector = m_running;
                parsed.events.append(event);
            }
        }
        return parsed;
    }

    const QRegularExpressionMatch leave = leaving.match(rest);
    if (leave.hasMatch()) {
        m_inError = false;
        const QString kind = leave.captured(1);
        if (kind != QLatin1String("case")) {
            // Output between cases goes with the next case; a suite's or the
            // module's closing line is about what came before, and would
            // read as part of the next case: it is not shown.
            parsed.display = QByteArray();
            if (kind == QLatin1String("module"))
                m_suites.clear();
            else if (!m_suites.isEmpty() && m_suites.constLast() == leave.captured(2))
                m_suites.removeLast();
            return parsed;
        }
        const QString path = (m_suites + QStringList {leave.captured(2)}).join(QLatin1Char('/'));
        if (path != m_running || m_running.isEmpty())
            return parsed;
        if (m_requested.contains(m_running) && !m_reported.contains(m_running)) {
            CaseResult result;
            const bool failed = m_aborted || m_failures > m_expectedFailures.value(m_running);
            result.status = failed ? Status::Failed : Status::Passed;
            result.seconds = secondsFromTestingTime(leave.captured(3), leave.captured(4));
            if (failed) {
                result.message = m_messages.join(QLatin1Char('\n'));
                result.file = m_file;
                result.line = m_line;
            }
            finishEvent(&parsed, m_running, result);
        }
        resetCase();
        return parsed;
    }

    const QRegularExpressionMatch skip = skipped.match(rest);
    if (skip.hasMatch()) {
        m_inError = false;
        const QString path = skip.captured(2);
        const bool suite = skip.captured(1) == QLatin1String("suite");
        CaseResult result;
        result.status = Status::Skipped;
        result.message = QStringLiteral("skipped because ") + skip.captured(3);
        result.file = file;
        result.line = number;
        // A skipped suite skips every requested case in it, which Boost does
        // not name one by one.
        bool any = false;
        for (const QString &selector : qAsConst(m_selectors)) {
            const bool hit = suite ? selector.startsWith(path + QLatin1Char('/')) : selector == path;
            if (!hit || m_reported.contains(selector))
                continue;
            LineEvent start;
            start.kind = LineEvent::Started;
            start.selector = selector;
            parsed.events.append(start);
            finishEvent(&parsed, selector, result);
            any = true;
        }
        // What the filter left out is "skipped because disabled": noise in
        // the neighbouring case's output.
        if (!any && skip.captured(3) == QLatin1String("disabled"))
            parsed.display = QByteArray();
        return parsed;
    }

    const QRegularExpressionMatch setup = setupError.match(line);
    if (setup.hasMatch() && m_running.isEmpty()) {
        // Nothing runs after it ("no test cases matching filter", a bad
        // argument): every requested case not reported yet gets the reason.
        CaseResult result;
        result.status = Status::NotRun;
        result.message = QStringLiteral("Boost.Test setup error: ") + setup.captured(1);
        for (const QString &selector : qAsConst(m_selectors)) {
            if (m_reported.contains(selector))
                continue;
            LineEvent start;
            start.kind = LineEvent::Started;
            start.selector = selector;
            parsed.events.append(start);
            finishEvent(&parsed, selector, result);
        }
        return parsed;
    }

    if (m_running.isEmpty())
        return parsed;

    // Failures of the running case: `error: in "math/fail": check ...`.
    if (located) {
        static const QRegularExpression failure(QStringLiteral("^(fatal error|error): in \"(.*?)\": (.*)$"));
        const QRegularExpressionMatch match = failure.match(rest);
        if (match.hasMatch()) {
            const bool fatal = match.captured(1) == QLatin1String("fatal error");
            const QString text = match.captured(3);
            // An exception, a signal or a timeout: Boost counts the case as
            // failed whatever its expected failures. `critical check ...`
            // (BOOST_REQUIRE) and BOOST_FAIL are assertion failures.
            if (fatal && file.isEmpty())
                m_aborted = true;
            else
                ++m_failures;
            if (m_messages.isEmpty() || m_file.isEmpty()) {
                m_file = file;
                m_line = number;
            }
            appendMessage(text);
            m_inError = true;
            return parsed;
        }
        static const QRegularExpression checkpoint(QStringLiteral("^last checkpoint(?:: (.*))?$"));
        const QRegularExpressionMatch last = checkpoint.match(rest);
        if (last.hasMatch() && m_inError) {
            // Where an exception or signal came from: the last checkpoint.
            if (m_file.isEmpty()) {
                m_file = file;
                m_line = number;
            }
            appendMessage(QStringLiteral("last checkpoint: %1(%2)%3")
                              .arg(file)
                              .arg(number)
                              .arg(last.captured(1).isEmpty() ? QString() : QStringLiteral(": ") + last.captured(1)));
            return parsed;
        }
        m_inError = false;
        return parsed;
    }
    if (m_inError && line != QLatin1String("Test is aborted"))
        appendMessage(line); // a multi-line assertion message
    return parsed;
}

QHash<QString, CaseResult> BoostOutputParser::structuredResults()
{
    QHash<QString, CaseResult> results;
    QFile file(BoostTestAdapter::logXmlPath(m_scratchDir));
    if (!file.open(QIODevice::ReadOnly))
        return results; // not written (crash, kill) or unreadable
    // Decoded leniently first: a case's invalid UTF-8 must not end the log.
    QXmlStreamReader xml(QString::fromUtf8(file.readAll()));

    QStringList suites; // below the master suite
    int depth = 0; // of TestSuite elements
    QString current; // path of the open TestCase
    CaseResult result;
    QStringList messages;
    int messageChars = 0;
    int failures = 0; // assertion failures of the open case
    bool aborted = false; // an exception, signal or timeout in it
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QStringRef name = xml.name();
            const QXmlStreamAttributes attributes = xml.attributes();
            if (name == QLatin1String("TestSuite")) {
                if (depth > 0)
                    suites.append(attributes.value(QLatin1String("name")).toString());
                ++depth;
            } else if (name == QLatin1String("TestCase") && current.isEmpty()) {
                current = (suites + QStringList {attributes.value(QLatin1String("name")).toString()})
                              .join(QLatin1Char('/'));
                result = CaseResult();
                result.status = Status::Passed;
                messages.clear();
                messageChars = 0;
                failures = 0;
                aborted = false;
                if (attributes.value(QLatin1String("skipped")) == QLatin1String("yes")) {
                    result.status = Status::Skipped;
                    result.message
                        = QStringLiteral("skipped because ") + attributes.value(QLatin1String("reason")).toString();
                }
            } else if (!current.isEmpty()
                && (name == QLatin1String("Error") || name == QLatin1String("FatalError")
                    || name == QLatin1String("Exception"))) {
                QString where = attributes.value(QLatin1String("file")).toString();
                int line = attributes.value(QLatin1String("line")).toInt();
                const bool located = !where.isEmpty() && where != QLatin1String("unknown location");
                QString text;
                QStringList context;
                // The text, then (for exceptions) <LastCheckpoint file line>,
                // and (for BOOST_TEST_CONTEXT and data-driven cases)
                // <Context><Frame>x = 2; </Frame></Context>.
                int nested = 0;
                while (!xml.atEnd()) {
                    const QXmlStreamReader::TokenType inner = xml.readNext();
                    if (inner == QXmlStreamReader::Characters && nested == 0) {
                        text += xml.text();
                    } else if (inner == QXmlStreamReader::StartElement
                        && xml.name() == QLatin1String("LastCheckpoint")) {
                        if (where.isEmpty() || where == QLatin1String("unknown location")) {
                            where = xml.attributes().value(QLatin1String("file")).toString();
                            line = xml.attributes().value(QLatin1String("line")).toInt();
                        }
                        xml.skipCurrentElement();
                    } else if (inner == QXmlStreamReader::StartElement && xml.name() == QLatin1String("Frame")) {
                        context.append(xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed());
                    } else if (inner == QXmlStreamReader::StartElement) {
                        ++nested;
                    } else if (inner == QXmlStreamReader::EndElement) {
                        if (nested == 0)
                            break;
                        --nested;
                    }
                }
                // Worded as Boost's console output words it.
                if (!context.isEmpty())
                    text += QStringLiteral("\nFailure occurred in a following context:\n    ")
                        + context.join(QStringLiteral("\n    "));
                if (where == QLatin1String("unknown location")) {
                    where.clear();
                    line = 0;
                }
                // As in the stream: an exception, a signal or a timeout
                // fails the case whatever its expected failures; assertion
                // failures count against them.
                if (name == QLatin1String("Exception") || (name == QLatin1String("FatalError") && !located))
                    aborted = true;
                else
                    ++failures;
                if (messages.isEmpty() || result.file.isEmpty()) {
                    result.file = where;
                    result.line = line;
                }
                if (messageChars < maxMessageChars) {
                    messages.append(text.left(maxMessageChars - messageChars));
                    messageChars += text.size() + 1;
                }
            } else if (!current.isEmpty() && name == QLatin1String("TestingTime")) {
                bool ok = false;
                const double micros = xml.readElementText().toDouble(&ok);
                if (ok && micros >= 0)
                    result.seconds = micros / 1e6;
            }
        } else if (token == QXmlStreamReader::EndElement) {
            const QStringRef name = xml.name();
            if (name == QLatin1String("TestCase") && !current.isEmpty()) {
                if (aborted || failures > m_expectedFailures.value(current)) {
                    result.status = Status::Failed;
                    result.message = messages.join(QLatin1Char('\n'));
                } else if (result.status != Status::Skipped) {
                    result.file.clear();
                    result.line = 0;
                }
                // Only complete cases count: a truncated log stops before.
                if (m_requested.contains(current))
                    results.insert(current, result);
                current.clear();
            } else if (name == QLatin1String("TestSuite")) {
                --depth;
                if (!suites.isEmpty() && depth > 0)
                    suites.removeLast();
            }
        }
    }
    return results;
}

} // namespace ctestd
