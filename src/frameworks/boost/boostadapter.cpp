// SPDX-License-Identifier: BSD-3-Clause
// BoostTestAdapter: listing (the DOT content listing) and selection
// (--run_test, split when long), with the run's arguments pinned.
#include "boostadapter.h"

#include "frameworks/adaptertext.h"
#include "frameworks/detection.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>

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

QStringList cleanLines(const QByteArray &output)
{
    QStringList lines;
    const QList<QByteArray> raw = output.split('\n');
    lines.reserve(raw.size());
    for (const QByteArray &line : raw)
        lines.append(BoostTestAdapter::cleanLine(line));
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

} // namespace

QString BoostTestAdapter::cleanLine(const QByteArray &raw)
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

} // namespace ctestd
