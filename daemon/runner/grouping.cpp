// SPDX-License-Identifier: BSD-3-Clause
#include "grouping.h"

#include "frameworks/adapter.h"

#include <QHash>

#include <algorithm>

namespace ctestd {

QVector<Unit> groupIntoUnits(
    QVector<TestCase> &cases, const QVector<bool> &done, const FrameworkAdapter &adapter, GroupBy groupBy)
{
    QVector<Unit> units;
    QHash<QString, int> unitOfGroup;
    for (int i = 0; i < cases.size(); ++i) {
        TestCase &testCase = cases[i];
        if (testCase.disabled || done.value(i))
            continue;
        // The executable is part of the key: suites of different executables
        // never share a process.
        testCase.group = testCase.executable + QLatin1Char('\x1f') + adapter.groupKey(testCase, groupBy);
        auto it = unitOfGroup.constFind(testCase.group);
        if (it == unitOfGroup.constEnd()) {
            it = unitOfGroup.insert(testCase.group, units.size());
            units.append({testCase.executable, testCase.group, {}});
        }
        units[*it].cases.append(i);
    }
    std::stable_sort(
        units.begin(), units.end(), [](const Unit &a, const Unit &b) { return a.cases.size() > b.cases.size(); });
    return units;
}

QString groupByName(GroupBy groupBy)
{
    switch (groupBy) {
    case GroupBy::Case:
        return QStringLiteral("case");
    case GroupBy::Suite:
        return QStringLiteral("suite");
    case GroupBy::Executable:
        return QStringLiteral("executable");
    }
    return QString();
}

bool groupByFromName(const QString &name, GroupBy *out)
{
    for (GroupBy candidate : {GroupBy::Case, GroupBy::Suite, GroupBy::Executable}) {
        if (groupByName(candidate) == name) {
            *out = candidate;
            return true;
        }
    }
    return false;
}

} // namespace ctestd
