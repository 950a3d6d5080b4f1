// SPDX-License-Identifier: BSD-3-Clause
#include "grouping.h"

#include "frameworks/adapter.h"

#include <QHash>

#include <algorithm>
#include <memory>

namespace ctestd {

namespace {
// Everything about how a case's process is started; cases that differ in any
// of it cannot share a process.
QString launchKey(const TestCase &testCase)
{
    return QStringList {testCase.framework, testCase.executable, testCase.workingDirectory,
        testCase.arguments.join(QLatin1Char('\x1e')), testCase.environment.join(QLatin1Char('\x1e')),
        QString::number(testCase.timeoutSeconds)}
        .join(QLatin1Char('\x1f'));
}
} // namespace

QVector<Unit> groupIntoUnits(QVector<TestCase> &cases, const QVector<bool> &done, std::optional<GroupBy> groupBy)
{
    QHash<QString, std::shared_ptr<FrameworkAdapter>> adapters;
    QVector<Unit> units;
    QHash<QString, int> unitOfGroup;
    for (int i = 0; i < cases.size(); ++i) {
        TestCase &testCase = cases[i];
        if (testCase.disabled || done.value(i))
            continue;
        auto &adapter = adapters[testCase.framework];
        if (!adapter)
            adapter = createFrameworkAdapter(testCase.framework);
        QString key;
        if (!adapter || !adapter->reportsCases()) {
            key = QString::number(i); // one process per case
        } else {
            key = adapter->groupKey(testCase, groupBy.value_or(adapter->defaultGroupBy()));
        }
        testCase.group = launchKey(testCase) + QLatin1Char('\x1f') + key;
        auto it = unitOfGroup.constFind(testCase.group);
        if (it == unitOfGroup.constEnd()) {
            it = unitOfGroup.insert(testCase.group, units.size());
            Unit unit;
            unit.executable = testCase.executable;
            unit.framework = testCase.framework;
            unit.group = testCase.group;
            units.append(unit);
        }
        Unit &unit = units[*it];
        unit.cases.append(i);
        unit.runSerial = unit.runSerial || testCase.runSerial;
        unit.processors = qMax(unit.processors, testCase.processors);
        unit.cost += testCase.cost;
        unit.failedLastTime = unit.failedLastTime || testCase.failedLastTime;
        for (const QString &lock : testCase.resourceLocks) {
            if (!unit.resourceLocks.contains(lock))
                unit.resourceLocks.append(lock);
        }
    }
    // Dependencies on cases of the same unit are met by the framework's own
    // order; only the others matter to the scheduler.
    for (Unit &unit : units) {
        for (int index : qAsConst(unit.cases)) {
            for (int dependency : qAsConst(cases[index].dependsOn)) {
                if (!unit.cases.contains(dependency) && !unit.dependsOn.contains(dependency))
                    unit.dependsOn.append(dependency);
            }
        }
    }
    return units;
}

void sortUnits(QVector<Unit> &units)
{
    std::stable_sort(units.begin(), units.end(), [](const Unit &a, const Unit &b) {
        if (a.failedLastTime != b.failedLastTime)
            return a.failedLastTime;
        if (a.cost != b.cost)
            return a.cost > b.cost;
        return a.cases.size() > b.cases.size();
    });
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
