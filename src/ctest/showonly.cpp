// SPDX-License-Identifier: BSD-3-Clause
#include "showonly.h"

#include "model/testmodel.h"

#include <QHash>

#include <set>

namespace ctestd::ctest {

namespace {

QString listText(const QVector<ListedTest> &tests)
{
    int maxNumber = 0;
    for (const ListedTest &test : tests)
        maxNumber = qMax(maxNumber, test.number);
    const int width = 3 + ctestNumberWidth(maxNumber);
    QString text;
    for (const ListedTest &test : tests) {
        text += QStringLiteral("  Test");
        text += QStringLiteral(" #%1:").arg(test.number).rightJustified(width, QLatin1Char(' '));
        text += QLatin1Char(' ');
        text += test.name;
        if (test.disabled)
            text += QStringLiteral(" (Disabled)");
        text += QLatin1Char('\n');
    }
    text += QStringLiteral("\nTotal Tests: %1\n").arg(tests.size());
    return text;
}

QString projectLine(const QString &projectDir)
{
    return QStringLiteral("Test project %1\n").arg(projectDir);
}

} // namespace

QString showOnlyText(const QString &projectDir, const QVector<ListedTest> &tests)
{
    return projectLine(projectDir) + listText(tests);
}

QVector<ListedTest> listedTests(const QVector<TestInfo> &tests, const Selection &selection)
{
    QHash<int, const TestInfo *> byIndex;
    for (const TestInfo &test : tests)
        byIndex.insert(test.index, &test);
    QVector<ListedTest> listed;
    for (int i = 0; i < selection.indices.size(); ++i) {
        const TestInfo *test = byIndex.value(selection.indices.at(i));
        if (!test)
            continue;
        listed.append(ListedTest {selection.numbers.value(i), test->name, test->disabled});
    }
    return listed;
}

QString showOnlyText(const QString &projectDir, const QVector<TestInfo> &tests, const Selection &selection)
{
    return selection.labelRegexMessages + projectLine(projectDir) + selection.nameRegexMessages
        + listText(listedTests(tests, selection));
}

QString printLabelsText(const QString &projectDir, const QVector<TestInfo> &tests, const Selection &selection)
{
    QHash<int, const TestInfo *> byIndex;
    for (const TestInfo &test : tests)
        byIndex.insert(test.index, &test);
    std::set<QByteArray> labels; // ctest keeps them in a std::set<std::string>
    for (int index : selection.indices) {
        if (const TestInfo *test = byIndex.value(index)) {
            for (const QString &label : test->labels)
                labels.insert(label.toUtf8());
        }
    }
    QString text = selection.labelRegexMessages + projectLine(projectDir) + selection.nameRegexMessages;
    if (labels.empty())
        return text + QStringLiteral("No Labels Exist\n");
    text += QStringLiteral("All Labels:\n");
    for (const QByteArray &label : labels)
        text += QStringLiteral("  ") + QString::fromUtf8(label) + QLatin1Char('\n');
    return text;
}

QString changingDirectoryLine(const QString &absoluteDir)
{
    return QStringLiteral("Internal ctest changing into directory: %1\n").arg(absoluteDir);
}

} // namespace ctestd::ctest
