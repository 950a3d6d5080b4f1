// SPDX-License-Identifier: BSD-3-Clause
// DoctestAdapter: selectors, listing (--dt-list-test-cases, XML reporter)
// and selection (doctest's wildcard filters, planned so that they select
// exactly the wanted cases).
#include "doctestadapter.h"

#include "doctestxml.h"
#include "frameworks/adaptertext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace ctestd {

using namespace doctest;

namespace {

// Listing arguments; every option in its --dt- form (see the header).
const char *const listingOptions[] = {
    "--dt-list-test-cases",
    "--dt-reporters=xml",
    "--dt-no-skip=true", // skip() cases too: they become disabled cases
    "--dt-order-by=file", // the order the run uses
    "--dt-no-path-filenames=false", // the run's filenames, for the selectors
    "--dt-no-line-numbers=false",
};

// Everything that changes which cases run, how they report, or the exit code.
const char *const runOptions[] = {
    "--dt-reporters=xml",
    "--dt-duration=true", // duration="..." on each case's results
    "--dt-success=false", // passing assertions would only be noise
    "--dt-case-sensitive=true", // `Add` must not select `add`
    "--dt-order-by=file", // the listing's order, which the worker expects
    "--dt-no-skip=false", // skip() cases are disabled and excluded from the selection maths
    "--dt-no-skipped-summary=true", // no line per filtered-out case
    "--dt-no-exitcode=false", // 1 when a case failed
    "--dt-no-run=false", "--dt-no-throw=false", "--dt-minimal=false", "--dt-quiet=false",
    "--dt-no-path-filenames=false", // filenames as the listing showed them
    "--dt-no-line-numbers=false",
    "--dt-no-breaks=true", // never stop in a debugger that happens to be attached
};

} // namespace

// ---------------------------------------------------------------- selectors

QString DoctestAdapter::encodeSelector(const Identity &identity, const QVector<Identity> &others)
{
    QJsonObject object;
    object.insert(QStringLiteral("name"), identity.name);
    object.insert(QStringLiteral("suite"), identity.suite);
    object.insert(QStringLiteral("file"), identity.file);
    object.insert(QStringLiteral("line"), identity.line);
    if (!others.isEmpty()) {
        QJsonArray list;
        for (const Identity &other : others)
            list.append(QJsonArray {other.name, other.suite, other.file, other.line});
        object.insert(QStringLiteral("others"), list);
    }
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

bool DoctestAdapter::decodeSelector(const QString &selector, Identity *identity, QVector<Identity> *others)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(selector.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return false;
    const QJsonObject object = document.object();
    const QJsonValue name = object.value(QLatin1String("name"));
    const QJsonValue suite = object.value(QLatin1String("suite"));
    const QJsonValue file = object.value(QLatin1String("file"));
    const QJsonValue line = object.value(QLatin1String("line"));
    if (!name.isString() || !suite.isString() || !file.isString() || !line.isDouble())
        return false;
    identity->name = name.toString();
    identity->suite = suite.toString();
    identity->file = file.toString();
    identity->line = line.toInt();
    others->clear();
    const QJsonValue list = object.value(QLatin1String("others"));
    if (list.isUndefined())
        return true;
    if (!list.isArray())
        return false;
    const QJsonArray array = list.toArray();
    for (const QJsonValue &value : array) {
        const QJsonArray entry = value.toArray();
        if (entry.size() != 4 || !entry.at(0).isString() || !entry.at(1).isString() || !entry.at(2).isString()
            || !entry.at(3).isDouble())
            return false;
        others->append({entry.at(0).toString(), entry.at(1).toString(), entry.at(2).toString(), entry.at(3).toInt()});
    }
    return true;
}

bool DoctestAdapter::wildcardMatches(const QByteArray &text, const QByteArray &pattern)
{
    // doctest's wildcmp() (from codeproject's "Wildcard string compare"),
    // with case_sensitive, on the same bytes doctest compares.
    const char *str = text.constData();
    const char *wild = pattern.constData();
    const char *cp = str;
    const char *mp = wild;
    while (*str && *wild != '*') {
        if (*wild != *str && *wild != '?')
            return false;
        ++wild;
        ++str;
    }
    while (*str) {
        if (*wild == '*') {
            if (!*++wild)
                return true;
            mp = wild;
            cp = str + 1;
        } else if (*wild == *str || *wild == '?') {
            ++wild;
            ++str;
        } else {
            wild = mp;
            str = cp++;
        }
    }
    while (*wild == '*')
        ++wild;
    return !*wild;
}

namespace {
// The pattern a filter item turns into once doctest has split and unescaped it.
QByteArray patternOf(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    bytes.replace('*', '?');
    return bytes;
}
} // namespace

QString DoctestAdapter::filterItem(const QString &text)
{
    QString item;
    item.reserve(text.size() + 4);
    for (const QChar c : text) {
        if (c == QLatin1Char('*'))
            item.append(QLatin1Char('?'));
        else if (c == QLatin1Char('\\'))
            item.append(QLatin1String("\\\\"));
        else if (c == QLatin1Char(','))
            item.append(QLatin1String("\\,"));
        else
            item.append(c);
    }
    return item;
}

namespace {

struct Wanted {
    QString selector;
    DoctestAdapter::Identity identity;
    QVector<DoctestAdapter::Identity> others;
};

// Whether a pattern made of `texts` matches `value` (an include filter).
bool anyPatternMatches(const QVector<QByteArray> &patterns, const QString &value)
{
    const QByteArray bytes = value.toUtf8();
    for (const QByteArray &pattern : patterns) {
        if (DoctestAdapter::wildcardMatches(bytes, pattern))
            return true;
    }
    return false;
}

QString describe(const DoctestAdapter::Identity &identity)
{
    QString where
        = identity.file.isEmpty() ? QString() : QStringLiteral(" (%1:%2)").arg(identity.file).arg(identity.line);
    if (!identity.suite.isEmpty())
        return QStringLiteral("\"%1\" in suite \"%2\"%3")
            .arg(quotedForError(identity.name), quotedForError(identity.suite), where);
    return QStringLiteral("\"%1\"%2").arg(quotedForError(identity.name), where);
}

struct Filters {
    QStringList names, suites, files;
    QStringList excludedNames, excludedSuites, excludedFiles;
    QVector<int> conflicts; // indices into the wanted list
    QHash<int, QString> conflictWith; // index -> the case it cannot be told from
};

void appendOnce(QStringList *list, const QString &value)
{
    if (!list->contains(value))
        list->append(value);
}

// The filters that run exactly `wanted`, or the wanted cases that cannot be
// told from some other case they would bring along.
Filters filtersFor(const QVector<Wanted> &wanted)
{
    Filters filters;
    QSet<QString> wantedKeys;
    QVector<QByteArray> namePatterns, suitePatterns, filePatterns;
    bool suitesUsable = true;
    for (const Wanted &w : wanted) {
        wantedKeys.insert(DoctestAdapter::identityKey(w.identity));
        appendOnce(&filters.names, w.identity.name);
        appendOnce(&filters.files, w.identity.file);
        suitesUsable = suitesUsable && !w.identity.suite.isEmpty();
        if (!w.identity.suite.isEmpty())
            appendOnce(&filters.suites, w.identity.suite);
    }
    for (const QString &name : qAsConst(filters.names))
        namePatterns.append(patternOf(name));
    for (const QString &suite : qAsConst(filters.suites))
        suitePatterns.append(patternOf(suite));
    for (const QString &file : qAsConst(filters.files))
        filePatterns.append(patternOf(file));
    if (!suitesUsable)
        filters.suites.clear(); // an empty suite cannot be matched by a pattern of its own
    // Whether an exclusion pattern made from `value` would also drop a wanted case.
    const auto hitsWanted = [](const QVector<QByteArray> &wantedValues, const QString &value) {
        const QByteArray pattern = patternOf(value);
        for (const QByteArray &w : wantedValues) {
            if (DoctestAdapter::wildcardMatches(w, pattern))
                return true;
        }
        return false;
    };
    QVector<QByteArray> wantedNames, wantedSuites, wantedFiles;
    for (const Wanted &w : wanted) {
        wantedNames.append(w.identity.name.toUtf8());
        wantedSuites.append(w.identity.suite.toUtf8());
        wantedFiles.append(w.identity.file.toUtf8());
    }

    for (int i = 0; i < wanted.size(); ++i) {
        for (const DoctestAdapter::Identity &other : wanted.at(i).others) {
            if (wantedKeys.contains(DoctestAdapter::identityKey(other)))
                continue;
            if (suitesUsable && !anyPatternMatches(suitePatterns, other.suite))
                continue;
            if (!anyPatternMatches(filePatterns, other.file))
                continue;
            if (!other.name.isEmpty() && !hitsWanted(wantedNames, other.name)) {
                appendOnce(&filters.excludedNames, other.name);
                continue;
            }
            if (!other.suite.isEmpty() && !hitsWanted(wantedSuites, other.suite)) {
                appendOnce(&filters.excludedSuites, other.suite);
                continue;
            }
            if (!other.file.isEmpty() && !hitsWanted(wantedFiles, other.file)) {
                appendOnce(&filters.excludedFiles, other.file);
                continue;
            }
            if (!filters.conflicts.contains(i)) {
                filters.conflicts.append(i);
                filters.conflictWith.insert(i, describe(other));
            }
        }
    }
    return filters;
}

QString filterArgument(const char *option, const QStringList &values)
{
    QStringList items;
    items.reserve(values.size());
    for (const QString &value : values)
        items.append(DoctestAdapter::filterItem(value));
    return QString::fromLatin1(option) + items.join(QLatin1Char(','));
}

} // namespace

DoctestAdapter::Plan DoctestAdapter::plan(const QStringList &selectors)
{
    Plan result;
    QVector<Wanted> wanted;
    QHash<QString, QString> rejected;
    qsizetype nameBytes = 0;
    const QString capReason = QStringLiteral(
        "ctestd: doctest cannot read its filters from a file, and the --dt-test-case argument for this process "
        "would exceed %1 bytes; run fewer cases per process (--group-by case or suite)")
                                  .arg(maxFilterArgumentBytes);
    for (const QString &selector : selectors) {
        Wanted w;
        w.selector = selector;
        if (!decodeSelector(selector, &w.identity, &w.others)) {
            rejected.insert(
                selector, QStringLiteral("ctestd: \"%1\" is not a doctest selector").arg(quotedForError(selector)));
            continue;
        }
        if (w.identity.name.isEmpty()) {
            rejected.insert(selector, QStringLiteral("ctestd: doctest cannot select a test case without a name"));
            continue;
        }
        nameBytes += filterItem(w.identity.name).toUtf8().size() + 1;
        if (nameBytes > maxFilterArgumentBytes) {
            rejected.insert(selector, capReason);
            continue;
        }
        wanted.append(w);
    }

    // Drop the cases that bring along a case no filter can keep out, until
    // the rest can be selected exactly. Dropping only ever makes the other
    // exclusions safer, so this ends.
    Filters filters;
    for (;;) {
        filters = filtersFor(wanted);
        QStringList arguments;
        if (filters.conflicts.isEmpty() && !wanted.isEmpty()) {
            const QStringList candidate = {filterArgument("--dt-test-case=", filters.names),
                filterArgument("--dt-test-case-exclude=", filters.excludedNames),
                filterArgument("--dt-test-suite=", filters.suites),
                filterArgument("--dt-test-suite-exclude=", filters.excludedSuites),
                filterArgument("--dt-source-file=", filters.files),
                filterArgument("--dt-source-file-exclude=", filters.excludedFiles)};
            bool fits = true;
            for (const QString &argument : candidate)
                fits = fits && argument.toUtf8().size() <= maxFilterArgumentBytes;
            if (fits)
                break;
            // Rare: the exclusions or files alone are too long. Give up the last case.
            rejected.insert(wanted.constLast().selector, capReason);
            wanted.removeLast();
            continue;
        }
        if (wanted.isEmpty())
            break;
        for (int k = filters.conflicts.size() - 1; k >= 0; --k) {
            const int i = filters.conflicts.at(k);
            const Wanted &w = wanted.at(i);
            QString reason = QStringLiteral("ctestd: doctest cannot run %1 without also running %2: its filters "
                                            "cannot tell them apart")
                                 .arg(describe(w.identity), filters.conflictWith.value(i));
            if (wanted.size() > 1 && filtersFor({w}).conflicts.isEmpty())
                reason += QStringLiteral(" in one process with the other cases of this group; run it alone "
                                         "(--group-by case)");
            rejected.insert(w.selector, reason);
            wanted.remove(i);
        }
    }

    for (const QString &selector : selectors) {
        const auto it = rejected.constFind(selector);
        if (it != rejected.constEnd())
            result.rejected.append({selector, *it});
        else
            result.selected.append(selector);
    }
    if (wanted.isEmpty())
        return result;
    const auto add = [&result](const char *option, const QStringList &values) {
        if (!values.isEmpty())
            result.arguments.append(filterArgument(option, values));
    };
    add("--dt-test-case=", filters.names);
    add("--dt-test-case-exclude=", filters.excludedNames);
    add("--dt-test-suite=", filters.suites);
    add("--dt-test-suite-exclude=", filters.excludedSuites);
    add("--dt-source-file=", filters.files);
    add("--dt-source-file-exclude=", filters.excludedFiles);
    return result;
}

// ------------------------------------------------------------------ listing

QStringList DoctestAdapter::listArguments(const QString &, const QString &) const
{
    QStringList arguments;
    for (const char *option : listingOptions)
        arguments.append(QString::fromLatin1(option));
    return arguments;
}

bool DoctestAdapter::parseListing(
    const QByteArray &stdOut, const QByteArray &stdErr, const QString &, QVector<TestCase> *cases, QString *error) const
{
    const QList<QByteArray> lines = stdOut.split('\n');
    struct Listed {
        Identity identity;
        bool skipped = false;
    };
    QVector<Listed> listed;
    bool inDoctest = false;
    bool complete = false;
    int announced = -1;
    QByteArray pending;
    for (const QByteArray &raw : lines) {
        const QByteArray line = withoutCarriageReturn(raw);
        QByteArray tagText;
        if (!pending.isEmpty()) {
            tagText = pending + '\n' + line;
        } else {
            LineTag lineTag;
            if (!splitLineTag(line, &lineTag))
                continue;
            tagText = lineTag.text;
        }
        XmlTag tag;
        const XmlTagParse parsed = parseXmlTag(tagText, &tag);
        if (parsed == XmlTagParse::Incomplete && tagText.size() < DoctestOutputParser::maxPendingTagBytes
            && tag.name == "TestCase") {
            pending = tagText;
            continue;
        }
        pending.clear();
        if (parsed != XmlTagParse::Complete)
            continue;
        if (!inDoctest) {
            inDoctest = tag.name == "doctest" && !tag.closing && !tag.selfClosing;
            continue;
        }
        if (tag.name == "TestCase" && tag.selfClosing) {
            Listed entry;
            entry.identity.name = tag.attributes.value("name");
            entry.identity.suite = tag.attributes.value("testsuite");
            entry.identity.file = tag.attributes.value("filename");
            entry.identity.line = tag.attributes.value("line").toInt();
            entry.skipped = tag.attributes.value("skipped") == QLatin1String("true");
            listed.append(entry);
        } else if (tag.name == "OverallResultsTestCases" && tag.selfClosing) {
            bool ok = false;
            announced = tag.attributes.value("unskipped").toInt(&ok);
            if (!ok)
                announced = -1;
        } else if (tag.name == "doctest" && tag.closing) {
            complete = true;
            break;
        }
    }

    if (!inDoctest) {
        QString foreign;
        for (const QByteArray &output : {stdOut, stdErr}) {
            const QList<QByteArray> outputLines = output.split('\n');
            for (const QByteArray &line : outputLines) {
                const QString text = QString::fromUtf8(withoutCarriageReturn(line)).trimmed();
                if (!text.isEmpty()) {
                    foreign = text;
                    break;
                }
            }
            if (!foreign.isEmpty())
                break;
        }
        *error = foreign.isEmpty() ? QStringLiteral("not a doctest listing: the program printed nothing")
                                   : QStringLiteral("not a doctest listing: %1").arg(quotedForError(foreign));
        return false;
    }
    if (!complete || announced < 0) {
        *error = QStringLiteral("the doctest listing ended early, after %1 cases").arg(listed.size());
        return false;
    }
    if (announced != listed.size()) {
        *error = QStringLiteral("the doctest listing shows %1 cases but counts %2").arg(listed.size()).arg(announced);
        return false;
    }

    // Which other cases each case's name pattern also matches (the pattern
    // keeps the name's length, so only names of that byte length can match).
    QHash<int, QVector<int>> byLength;
    QVector<QByteArray> names;
    names.reserve(listed.size());
    for (int i = 0; i < listed.size(); ++i) {
        names.append(listed.at(i).identity.name.toUtf8());
        if (!listed.at(i).skipped)
            byLength[names.last().size()].append(i);
    }
    QVector<TestCase> found;
    found.reserve(listed.size());
    for (int i = 0; i < listed.size(); ++i) {
        const Listed &entry = listed.at(i);
        QVector<Identity> others;
        if (!entry.skipped && !entry.identity.name.isEmpty()) {
            const QByteArray pattern = patternOf(entry.identity.name);
            for (int j : byLength.value(names.at(i).size())) {
                if (j != i && wildcardMatches(names.at(j), pattern))
                    others.append(listed.at(j).identity);
            }
        }
        TestCase testCase;
        testCase.suite = entry.identity.suite;
        testCase.name = entry.identity.name;
        testCase.displayName = entry.identity.name;
        testCase.file = entry.identity.file;
        testCase.line = entry.identity.line;
        testCase.disabled = entry.skipped;
        testCase.selector = encodeSelector(entry.identity, others);
        found.append(testCase);
    }
    *cases = found;
    return true;
}

// ------------------------------------------------------------------ running

bool DoctestAdapter::prepareRun(
    const QString &, const QStringList &selectors, const QString &, RunSpec *spec, QString *error) const
{
    if (selectors.isEmpty()) {
        *error = QStringLiteral("no doctest cases to run");
        return false;
    }
    const Plan planned = plan(selectors);
    if (planned.selected.isEmpty()) {
        // Nothing to run: every case of the unit gets the (first) reason.
        *error = planned.rejected.constFirst().second;
        if (planned.rejected.size() > 1)
            *error += QStringLiteral(" (and %1 more cases could not be selected)").arg(planned.rejected.size() - 1);
        return false;
    }
    for (const char *option : runOptions)
        spec->arguments.append(QString::fromLatin1(option));
    spec->arguments += planned.arguments;
    return true;
}

std::unique_ptr<OutputParser> DoctestAdapter::createOutputParser(const QString &, const QStringList &selectors) const
{
    return std::make_unique<DoctestOutputParser>(selectors);
}

QString DoctestAdapter::identityKey(const Identity &identity)
{
    return QStringList {identity.name, identity.suite, identity.file, QString::number(identity.line)}.join(
        QLatin1Char('\x1f'));
}

} // namespace ctestd
