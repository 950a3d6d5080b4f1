// SPDX-License-Identifier: BSD-3-Clause
#include "doctestadapter.h"

#include "adaptertext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace ctestd {

namespace {

// The tag at the end of a line: doctest's lines are indentation plus one tag,
// and output the test printed without a newline may come first. A tag holds
// no raw `<`, so it starts at the last one.
struct LineTag {
    QByteArray text; // from the `<` to the end of the line
    QByteArray prefix; // the test's own output before the indentation
    int indent = 0;
};

bool splitLineTag(const QByteArray &line, LineTag *out)
{
    const int at = line.lastIndexOf('<');
    if (at < 0)
        return false;
    out->text = line.mid(at);
    int indent = 0;
    while (indent < at && line.at(at - 1 - indent) == ' ')
        ++indent;
    out->indent = indent;
    out->prefix = line.left(at - indent);
    return true;
}

QString keyOf(const DoctestAdapter::Identity &identity)
{
    return QStringList {identity.name, identity.suite, identity.file, QString::number(identity.line)}.join(
        QLatin1Char('\x1f'));
}

bool isSimpleTagName(const QByteArray &name)
{
    // Tags whose attributes carry user text and so may span lines.
    return name == "TestCase" || name == "SubCase" || name == "TestSuite" || name == "Expression" || name == "Message";
}

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
        wantedKeys.insert(keyOf(w.identity));
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
            if (wantedKeys.contains(keyOf(other)))
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

// ------------------------------------------------------------------- parser

DoctestOutputParser::DoctestOutputParser(const QStringList &selectors)
{
    const DoctestAdapter::Plan planned = DoctestAdapter::plan(selectors);
    m_rejected = planned.rejected;
    for (const QString &selector : planned.selected) {
        DoctestAdapter::Identity identity;
        QVector<DoctestAdapter::Identity> others;
        if (DoctestAdapter::decodeSelector(selector, &identity, &others))
            m_selectorOf.insert(keyOf(identity), selector);
    }
}

void DoctestOutputParser::addPart(const QString &text, const QString &file, int line)
{
    if (m_parts.isEmpty() && m_partFile.isEmpty()) {
        m_partFile = file;
        m_partLine = line;
    }
    if (m_truncated)
        return;
    if (m_messageChars + text.size() > maxMessageChars) {
        m_parts.append(text.left(qMax(0, maxMessageChars - m_messageChars)));
        m_parts.append(QStringLiteral("[... truncated by ctestd]"));
        m_truncated = true;
        return;
    }
    m_messageChars += text.size() + 1;
    m_parts.append(text);
}

QString DoctestOutputParser::renderBlock() const
{
    const Block &b = m_block;
    QStringList lines;
    const QString location = b.file.isEmpty() ? QString() : QStringLiteral("%1:%2: ").arg(b.file).arg(b.line);
    switch (b.kind) {
    case Block::Expression: {
        const QString severity = b.type.startsWith(QLatin1String("WARN")) ? QStringLiteral("WARNING")
            : b.type.startsWith(QLatin1String("REQUIRE"))                 ? QStringLiteral("FATAL ERROR")
                                                                          : QStringLiteral("ERROR");
        const QString head = QStringLiteral("%1%2: %3( %4 ) ")
                                 .arg(location, severity, b.type, b.texts.value(QStringLiteral("Original")));
        const auto expanded = b.texts.constFind(QStringLiteral("Expanded"));
        const auto exception = b.texts.constFind(QStringLiteral("Exception"));
        const bool expectsException = b.texts.contains(QStringLiteral("ExpectedException"))
            || b.texts.contains(QStringLiteral("ExpectedExceptionString"));
        if (expanded != b.texts.constEnd()) {
            lines.append(head + QStringLiteral("is NOT correct!"));
            lines.append(QStringLiteral("  values: %1( %2 )").arg(b.type, *expanded));
        } else if (exception != b.texts.constEnd()) {
            lines.append(head
                + (expectsException ? QStringLiteral("threw a DIFFERENT exception: ")
                                    : QStringLiteral("THREW exception: "))
                + *exception);
        } else if (b.type.contains(QLatin1String("THROWS"))) {
            lines.append(head + QStringLiteral("did NOT throw at all!"));
        } else {
            lines.append(head + QStringLiteral("failed"));
        }
        if (b.texts.contains(QStringLiteral("ExpectedException")))
            lines.append(
                QStringLiteral("  expected exception: %1").arg(b.texts.value(QStringLiteral("ExpectedException"))));
        if (b.texts.contains(QStringLiteral("ExpectedExceptionString")))
            lines.append(
                QStringLiteral("  expected message: %1").arg(b.texts.value(QStringLiteral("ExpectedExceptionString"))));
        break;
    }
    case Block::Message:
        lines.append(QStringLiteral("%1%2: %3").arg(location, b.type, b.texts.value(QStringLiteral("Text"))));
        break;
    case Block::Exception:
        lines.append(QStringLiteral("%1ERROR: test case %2: %3")
                         .arg(location, b.crash ? QStringLiteral("CRASHED") : QStringLiteral("THREW exception"),
                             b.texts.value(QStringLiteral("Exception"))));
        break;
    case Block::None:
        break;
    }
    // The subcase after the failure line, so that the failure is the first
    // line (JUnit's message attribute, a one-line summary).
    if (!b.subcases.isEmpty())
        lines.append(QStringLiteral("  subcase: %1").arg(b.subcases));
    for (const QString &info : b.infos)
        lines.append(QStringLiteral("  logged: %1").arg(info));
    return lines.join(QLatin1Char('\n'));
}

void DoctestOutputParser::endTextElement()
{
    const QString text = m_textLines.join(QLatin1Char('\n'));
    if (m_textElement == QLatin1String("Info"))
        m_block.infos.append(text);
    else
        m_block.texts.insert(m_textElement, text);
    m_textElement.clear();
    m_textLines.clear();
}

LineEvent DoctestOutputParser::finishCase(const QHash<QByteArray, QString> &attributes, QStringList *reasons)
{
    const bool success = attributes.value("test_case_success") == QLatin1String("true");
    const int failures = attributes.value("failures").toInt();
    const double seconds = attributes.value("duration").toDouble();
    const int expectedFailures = attributes.value("expected_failures").toInt();

    // doctest's console wording for what the XML only implies.
    if (m_caseTimeout > 0 && seconds > m_caseTimeout)
        reasons->append(QStringLiteral("Test case exceeded time limit of %1!").arg(m_caseTimeout, 0, 'f', 6));
    if (!success) {
        if (m_caseShouldFail && m_parts.isEmpty() && reasons->isEmpty())
            reasons->append(QStringLiteral("Should have failed but didn't! Marking it as failed!"));
        else if (!m_caseShouldFail && expectedFailures > 0 && failures != expectedFailures)
            reasons->append(
                QStringLiteral("Didn't fail exactly %1 times so marking it as failed!").arg(expectedFailures));
    }
    LineEvent event;
    event.kind = LineEvent::Finished;
    event.selector = m_running;
    event.result.status = success ? Status::Passed : Status::Failed;
    event.result.seconds = seconds > 0 ? seconds : 0.0;
    if (!success) {
        for (const QString &reason : qAsConst(*reasons))
            addPart(reason, m_caseFile, m_caseLine);
        if (m_parts.isEmpty())
            addPart(QStringLiteral("doctest reported the test case as failed"), m_caseFile, m_caseLine);
        event.result.message = m_parts.join(QLatin1Char('\n'));
        event.result.file = m_partFile;
        event.result.line = m_partLine;
    }
    return event;
}

ParsedLine DoctestOutputParser::handleTag(const QByteArray &tagText, const QByteArray &prefix, int indent)
{
    // Returns a ParsedLine whose display is set when the tag was doctest's;
    // a default one (line kept as it is) when it was not.
    XmlTag tag;
    if (parseXmlTag(tagText, &tag) != XmlTagParse::Complete)
        return {};
    ParsedLine parsed;
    QByteArray shown; // readable text replacing the XML
    const QString name = QString::fromLatin1(tag.name);
    const auto done = [&]() {
        QByteArray display = prefix;
        if (!display.isEmpty() && !shown.isEmpty())
            display.append('\n');
        display.append(shown);
        parsed.display = display;
        return parsed;
    };

    if (m_block.kind != Block::None) {
        // Inside an assertion, message or exception block.
        static const QStringList textElements = {QStringLiteral("Original"), QStringLiteral("Expanded"),
            QStringLiteral("Exception"), QStringLiteral("ExpectedException"), QStringLiteral("ExpectedExceptionString"),
            QStringLiteral("Text"), QStringLiteral("Info")};
        if (!tag.closing && textElements.contains(name)) {
            m_textElement = name;
            m_textIndent = indent + 2;
            m_textLines.clear();
            if (tag.selfClosing)
                endTextElement();
            return done();
        }
        const bool ends = tag.closing
            && ((m_block.kind == Block::Expression && name == QLatin1String("Expression"))
                || (m_block.kind == Block::Message && name == QLatin1String("Message")));
        if (!ends)
            return {};
        const QString text = renderBlock();
        if (m_block.failed)
            addPart(text, m_block.file, m_block.line);
        shown = text.toUtf8();
        m_block = Block();
        return done();
    }

    if (!m_inCase) {
        if (name == QLatin1String("doctest") && tag.closing)
            m_reachedEnd = true;
        if (name == QLatin1String("doctest") || name == QLatin1String("Options")
            || name == QLatin1String("OverallResultsAsserts") || name == QLatin1String("OverallResultsTestCases"))
            return done();
        if (name == QLatin1String("TestSuite")) {
            m_suite = tag.closing ? QString() : tag.attributes.value("name");
            return done();
        }
        if (name != QLatin1String("TestCase") || tag.closing)
            return {};
        if (tag.selfClosing)
            return done(); // filtered out (only without --dt-no-skipped-summary); never ours to report
        DoctestAdapter::Identity identity;
        identity.name = tag.attributes.value("name");
        identity.suite = m_suite;
        identity.file = tag.attributes.value("filename");
        identity.line = tag.attributes.value("line").toInt();
        m_inCase = true;
        m_running = m_selectorOf.value(keyOf(identity));
        m_caseFile = identity.file;
        m_caseLine = identity.line;
        m_caseTimeout = tag.attributes.value("timeout").toDouble();
        m_caseShouldFail = tag.attributes.value("should_fail") == QLatin1String("true");
        m_subcases.clear();
        m_crashed = false;
        m_parts.clear();
        m_partFile.clear();
        m_partLine = 0;
        m_messageChars = 0;
        m_truncated = false;
        if (!m_running.isEmpty()) {
            LineEvent event;
            event.kind = LineEvent::Started;
            event.selector = m_running;
            parsed.events.append(event);
        }
        return done();
    }

    // Inside a case.
    if (name == QLatin1String("SubCase") && !tag.selfClosing) {
        if (tag.closing) {
            if (!m_subcases.isEmpty())
                m_subcases.removeLast();
        } else {
            m_subcases.append(tag.attributes.value("name"));
        }
        return done();
    }
    if (!tag.closing && (name == QLatin1String("Expression") || name == QLatin1String("Message"))) {
        if (tag.selfClosing)
            return {};
        m_block.kind = name == QLatin1String("Expression") ? Block::Expression : Block::Message;
        m_block.type = tag.attributes.value("type");
        m_block.file = tag.attributes.value("filename");
        m_block.line = tag.attributes.value("line").toInt();
        m_block.subcases = m_subcases.join(QStringLiteral(" / "));
        if (m_block.kind == Block::Expression)
            m_block.failed = tag.attributes.value("success") == QLatin1String("false")
                && !m_block.type.startsWith(QLatin1String("WARN"));
        else
            m_block.failed = m_block.type == QLatin1String("ERROR") || m_block.type == QLatin1String("FATAL ERROR");
        return done();
    }
    if (!tag.closing && name == QLatin1String("Exception")) {
        // Thrown out of the test case, or doctest's signal handler.
        m_block.kind = Block::Exception;
        m_block.file = m_caseFile;
        m_block.line = m_caseLine;
        m_block.crash = tag.attributes.value("crash") == QLatin1String("true");
        m_block.failed = true;
        m_block.subcases = m_subcases.join(QStringLiteral(" / "));
        m_crashed = m_crashed || m_block.crash;
        m_textElement = name;
        m_textIndent = indent + 2;
        m_textLines.clear();
        if (tag.selfClosing) {
            endTextElement();
            const QString text = renderBlock();
            addPart(text, m_block.file, m_block.line);
            shown = text.toUtf8();
            m_block = Block();
        }
        return done();
    }
    if (name == QLatin1String("OverallResultsAsserts") && tag.selfClosing
        && tag.attributes.contains("test_case_success")) {
        QStringList reasons;
        const LineEvent event = finishCase(tag.attributes, &reasons);
        shown = reasons.join(QLatin1Char('\n')).toUtf8();
        // After a crash the process dies right after these lines: the case
        // stays running so that the worker blames the signal on it.
        if (!m_running.isEmpty() && !m_crashed)
            parsed.events.append(event);
        return done();
    }
    if (name == QLatin1String("TestCase") && tag.closing) {
        m_inCase = false;
        m_running.clear();
        m_subcases.clear();
        m_block = Block();
        return done();
    }
    return {};
}

ParsedLine DoctestOutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QByteArray line = withoutCarriageReturn(rawLine);
    ParsedLine parsed;

    if (!m_pendingTag.isEmpty()) {
        // The rest of a tag whose attribute held a newline.
        const QByteArray tagText = m_pendingTag + '\n' + line;
        XmlTag tag;
        const XmlTagParse state = parseXmlTag(tagText, &tag);
        if (state == XmlTagParse::Incomplete && tagText.size() < maxPendingTagBytes) {
            m_pendingTag = tagText;
            parsed.display = QByteArray();
        } else if (state == XmlTagParse::Complete) {
            parsed = handleTag(tagText, m_pendingPrefix, m_pendingIndent);
            if (!parsed.display)
                parsed.display = m_pendingPrefix + QByteArray(m_pendingIndent, ' ') + tagText; // not doctest's
            m_pendingTag.clear();
        } else {
            parsed.display = m_pendingPrefix + QByteArray(m_pendingIndent, ' ') + tagText; // given up: output
            m_pendingTag.clear();
        }
    } else if (!m_textElement.isEmpty()) {
        LineTag lineTag;
        XmlTag tag;
        if (splitLineTag(line, &lineTag) && lineTag.prefix.isEmpty()
            && parseXmlTag(lineTag.text, &tag) == XmlTagParse::Complete && tag.closing
            && QString::fromLatin1(tag.name) == m_textElement) {
            const bool topLevelException = m_block.kind == Block::Exception;
            endTextElement();
            QByteArray shown;
            if (topLevelException) {
                const QString text = renderBlock();
                addPart(text, m_block.file, m_block.line);
                shown = text.toUtf8();
                m_block = Block();
            }
            parsed.display = shown;
        } else {
            // A line of the element's text; the first carries the indentation.
            QByteArray text = line;
            if (m_textLines.isEmpty()) {
                int strip = 0;
                while (strip < m_textIndent && strip < text.size() && text.at(strip) == ' ')
                    ++strip;
                text = text.mid(strip);
            }
            m_textLines.append(decodeXmlEntities(text));
            parsed.display = QByteArray();
        }
    } else {
        LineTag lineTag;
        if (line.contains("<?xml ") && line.endsWith("?>")) {
            const int at = line.indexOf("<?xml ");
            parsed.display = line.left(at);
        } else if (splitLineTag(line, &lineTag)) {
            XmlTag tag;
            const XmlTagParse state = parseXmlTag(lineTag.text, &tag);
            if (state == XmlTagParse::Incomplete && isSimpleTagName(tag.name)) {
                m_pendingTag = lineTag.text;
                m_pendingPrefix = lineTag.prefix;
                m_pendingIndent = lineTag.indent;
                parsed.display = QByteArray();
            } else if (state == XmlTagParse::Complete) {
                parsed = handleTag(lineTag.text, lineTag.prefix, lineTag.indent);
            }
        }
    }

    if (m_firstLine) {
        // Cases the filters could not select exactly: reported at once, so
        // that they never wait for (or get blamed for) anything in this process.
        m_firstLine = false;
        QVector<LineEvent> events;
        for (const auto &rejected : qAsConst(m_rejected)) {
            LineEvent started;
            started.kind = LineEvent::Started;
            started.selector = rejected.first;
            LineEvent finished;
            finished.kind = LineEvent::Finished;
            finished.selector = rejected.first;
            finished.result.status = Status::NotRun;
            finished.result.message = rejected.second;
            events << started << finished;
        }
        parsed.events = events + parsed.events;
    }
    return parsed;
}

} // namespace ctestd
