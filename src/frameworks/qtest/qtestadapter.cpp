// SPDX-License-Identifier: BSD-3-Clause
// QTestAdapter: listing (-functions, -datatags) and selection (function and
// data row arguments).
#include "qtestadapter.h"

#include "frameworks/adaptertext.h"
#include "qtestformat.h"

#include <QDir>
#include <QFile>

namespace ctestd {

using namespace qtest;

namespace {

const QLatin1String globalMarker("__global__");
// Separates a duplicate data row's number from its selector ("f:tag\x1f2").
const QChar duplicateRowMark(0x1f);

// A class name as QMetaObject::className() gives it: `TestMath`, `ns::TestMath`.
bool isClassName(const QString &s)
{
    const QStringList parts = s.split(QLatin1String("::"));
    for (const QString &part : parts) {
        if (!isIdentifier(part))
            return false;
    }
    return true;
}

} // namespace

QString QTestAdapter::resultsXmlPath(const QString &scratchDir)
{
    return QDir(scratchDir).absoluteFilePath(QStringLiteral("results.xml"));
}

QString QTestAdapter::unselectableReason(const QString &selector)
{
    if (selector.contains(duplicateRowMark)) {
        const QString tagged = selector.section(duplicateRowMark, 0, 0);
        return QStringLiteral("Qt Test cannot run row %1 of \"%2\": another data row has the same tag, and Qt runs "
                              "only the first row of a tag (give the rows distinct tags in QTest::newRow)")
            .arg(selector.section(duplicateRowMark, 1), quotedForError(tagged));
    }
    QString function;
    QString tag;
    bool hasTag = false;
    splitSelector(selector, &function, &tag, &hasTag);
    if (!isIdentifier(function))
        return QStringLiteral("\"%1\" does not name a Qt Test function").arg(quotedForError(selector));
    if (hasTag && tag.isEmpty()) {
        return QStringLiteral("Qt Test cannot select the data row of %1() with an empty tag (\"%2\" runs every row)")
            .arg(function, selector);
    }
    for (const QChar c : tag) {
        if (c == QChar::ReplacementCharacter)
            return QStringLiteral("the data tag of \"%1\" is not valid UTF-8").arg(quotedForError(selector));
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return QStringLiteral("the data tag of \"%1\" contains a control character").arg(quotedForError(selector));
    }
    return QString();
}

QStringList QTestAdapter::listArguments(const QString &, const QString &) const
{
    // -datatags lists every case, functions without data included; -functions
    // has no tags, and Qt Test takes only the last of the two.
    return {QStringLiteral("-datatags")};
}

bool QTestAdapter::parseListing(
    const QByteArray &stdOut, const QByteArray &stdErr, const QString &, QVector<TestCase> *cases, QString *error) const
{
    const QStringList lines = outputLines(stdOut);

    // Lines "<Class> <function>[ ...]". What the _data functions print to
    // stdout comes in between; the class is the one most lines name.
    QHash<QString, int> classCount;
    QString className;
    for (const QString &line : lines) {
        const int space = line.indexOf(QLatin1Char(' '));
        if (space <= 0)
            continue;
        const QString candidate = line.left(space);
        const int next = line.indexOf(QLatin1Char(' '), space + 1);
        const QString function = line.mid(space + 1, next < 0 ? -1 : next - space - 1);
        if (!isClassName(candidate) || !isIdentifier(function))
            continue;
        const int count = ++classCount[candidate];
        if (className.isEmpty() || count > classCount.value(className))
            className = candidate;
    }

    if (className.isEmpty()) {
        // A Qt Test class without test functions prints nothing at all.
        QString foreign;
        for (const QString &line : lines) {
            if (!line.trimmed().isEmpty()) {
                foreign = line;
                break;
            }
        }
        if (foreign.isEmpty()) {
            const QStringList errLines = outputLines(stdErr);
            for (const QString &line : errLines) {
                if (!line.trimmed().isEmpty()) {
                    foreign = line;
                    break;
                }
            }
        }
        if (!foreign.isEmpty()) {
            *error = QStringLiteral("not a Qt Test listing: %1").arg(quotedForError(foreign));
            return false;
        }
        cases->clear();
        return true;
    }

    const QString classPrefix = className + QLatin1Char(' ');
    struct Entry {
        QString function;
        QString rest; // after "<Class> <function>", or null without a tag
    };
    QVector<Entry> entries;
    bool global = true; // every line names a global row
    for (const QString &line : lines) {
        if (!line.startsWith(classPrefix))
            continue;
        const QString afterClass = line.mid(classPrefix.size());
        const int space = afterClass.indexOf(QLatin1Char(' '));
        Entry entry;
        entry.function = space < 0 ? afterClass : afterClass.left(space);
        if (!isIdentifier(entry.function))
            continue;
        if (space >= 0)
            entry.rest = afterClass.mid(space + 1);
        else
            global = false;
        if (!entry.rest.startsWith(globalMarker + QLatin1Char(' '))
            && !entry.rest.contains(QLatin1Char(' ') + globalMarker + QLatin1Char(' ')))
            global = false;
        entries.append(entry);
    }

    QVector<TestCase> found;
    QHash<QString, int> rowsOf; // selector -> rows listed with it
    for (const Entry &entry : qAsConst(entries)) {
        QString selector = entry.function;
        if (!entry.rest.isNull()) {
            QString tag = entry.rest;
            bool hasTag = true;
            if (global) {
                // "<tag> __global__ <G>", or "__global__ <G>" for a function
                // without local data: the case runs every global row.
                if (tag.startsWith(globalMarker + QLatin1Char(' '))) {
                    hasTag = false;
                } else {
                    tag = tag.left(tag.indexOf(QLatin1Char(' ') + globalMarker + QLatin1Char(' ')));
                }
            }
            if (hasTag)
                selector += QLatin1Char(':') + tag;
        }
        if (rowsOf.contains(selector) && !global && !entry.rest.isNull()) {
            // A second row with the same tag: Qt runs only the first row of a
            // tag, so this one cannot run. It is its own case, refused with
            // the reason, so that its result is never silently missing.
            const int row = ++rowsOf[selector];
            TestCase duplicate;
            duplicate.suite = className;
            duplicate.name = QStringLiteral("%1 (row %2)").arg(selector).arg(row);
            duplicate.displayName = duplicate.name;
            duplicate.selector = selector + duplicateRowMark + QString::number(row);
            found.append(duplicate);
            continue;
        }
        if (rowsOf.contains(selector))
            continue; // another global row of the same case
        rowsOf.insert(selector, 1);
        TestCase testCase;
        testCase.suite = className;
        testCase.name = selector;
        testCase.displayName = selector;
        testCase.selector = selector;
        found.append(testCase);
    }
    *cases = found;
    return true;
}

bool QTestAdapter::prepareDirectRun(
    const QString &, const QString &selector, const QString &, RunSpec *spec, QString *error) const
{
    const QString reason = unselectableReason(selector);
    if (!reason.isEmpty()) {
        *error = reason;
        return false;
    }
    spec->arguments = QStringList {selector};
    return true;
}

bool QTestAdapter::prepareRun(
    const QString &, const QStringList &selectors, const QString &scratchDir, RunSpec *spec, QString *error) const
{
    QStringList runnable;
    QString firstReason;
    for (const QString &selector : selectors) {
        const QString reason = unselectableReason(selector);
        if (reason.isEmpty())
            runnable.append(selector);
        else if (firstReason.isEmpty())
            firstReason = reason;
    }
    if (runnable.isEmpty()) {
        // Without arguments Qt Test would run every function.
        *error = firstReason.isEmpty() ? QStringLiteral("no Qt Test cases to run") : firstReason;
        return false;
    }

    spec->arguments.append(QStringLiteral("-v1")); // "INFO   : C::f() entering" before each function
    // A report left over from an earlier run would be taken for this one's.
    const QString xmlPath = resultsXmlPath(scratchDir);
    QFile::remove(xmlPath);
    // Qt splits "-o name,format" at the first ',': a path with one cannot be
    // given, and the run goes without the details the report adds.
    if (!xmlPath.contains(QLatin1Char(','))) {
        spec->arguments.append(QStringLiteral("-o"));
        spec->arguments.append(xmlPath + QStringLiteral(",xml"));
    }
    spec->arguments.append(QStringLiteral("-o"));
    spec->arguments.append(QStringLiteral("-,txt"));
    spec->arguments.append(runnable);

    // Qt's crash handler stays: its "QFATAL : C::f(tag) Received signal 11"
    // names the row. Its gdb/lldb stack dump takes seconds, and a core file
    // per crash is slow too.
    spec->environment.insert(QStringLiteral("QTEST_DISABLE_STACK_DUMP"), QStringLiteral("1"));
    spec->environment.insert(QStringLiteral("QTEST_DISABLE_CORE_DUMP"), QStringLiteral("1"));
    // Set to anything, it makes a crashed test wait for a key press.
    spec->unsetEnvironment.append(QStringLiteral("QTEST_PAUSE_ON_CRASH"));
    return true;
}

std::unique_ptr<OutputParser> QTestAdapter::createOutputParser(
    const QString &scratchDir, const QStringList &selectors) const
{
    return std::make_unique<QTestOutputParser>(scratchDir, selectors);
}

} // namespace ctestd
