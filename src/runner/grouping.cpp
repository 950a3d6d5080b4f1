// SPDX-License-Identifier: BSD-3-Clause
#include "grouping.h"

#include "frameworks/adapter.h"
#include "frameworks/registry.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <climits>
#include <memory>

namespace ctestd {

namespace {
// Everything about how a case's process is started; cases that differ in any
// of it cannot share a process.
bool sameLaunch(const TestCase &a, const TestCase &b)
{
    return a.framework == b.framework && a.executable == b.executable && a.workingDirectory == b.workingDirectory
        && a.arguments == b.arguments && a.environment == b.environment && a.timeoutSeconds == b.timeoutSeconds
        && a.launcher == b.launcher;
}

QString launchKey(const TestCase &testCase)
{
    return QStringList {testCase.framework, testCase.executable, testCase.workingDirectory,
        testCase.arguments.join(QLatin1Char('\x1e')), testCase.environment.join(QLatin1Char('\x1e')),
        QString::number(testCase.timeoutSeconds), testCase.launcher.join(QLatin1Char('\x1e'))}
        .join(QLatin1Char('\x1f'));
}
} // namespace

QVector<Unit> groupIntoUnits(QVector<TestCase> &cases, const QVector<bool> &done, std::optional<GroupBy> groupBy)
{
    QHash<QString, std::shared_ptr<FrameworkAdapter>> adapters;
    QVector<Unit> units;
    QHash<GroupKey, int> unitOfGroup;
    // Neighbours nearly always start alike: their key is worked out once.
    int previous = -1;
    QString previousLaunch;
    for (int i = 0; i < cases.size(); ++i) {
        TestCase &testCase = cases[i];
        if (testCase.disabled || done.value(i))
            continue;
        auto &adapter = adapters[testCase.framework];
        if (!adapter)
            adapter = createFrameworkAdapter(testCase.framework);
        QString key;
        const bool reportsCases = adapter && adapter->reportsCases();
        // The command line wins, then the registration, then the framework.
        const GroupBy mode
            = reportsCases ? groupBy.value_or(testCase.groupBy.value_or(adapter->defaultGroupBy())) : GroupBy::Case;
        if (!reportsCases) {
            key = QString::number(i); // one process per case
        } else if (testCase.registeredGroup && !groupBy) {
            key = *testCase.registeredGroup;
        } else {
            key = adapter->groupKey(testCase, mode);
        }
        if (previous < 0 || !sameLaunch(cases[previous], testCase))
            previousLaunch = launchKey(testCase);
        previous = i;
        testCase.group = GroupKey {previousLaunch, key};
        auto it = unitOfGroup.constFind(testCase.group);
        if (it == unitOfGroup.constEnd()) {
            it = unitOfGroup.insert(testCase.group, units.size());
            Unit unit;
            unit.executable = testCase.executable;
            unit.framework = testCase.framework;
            unit.group = testCase.group;
            // An explicit "case" (command line or registration) asks for
            // isolation; a framework's own per-case default (Catch2,
            // doctest) does not, so those small groups are packed.
            const std::optional<GroupBy> asked = groupBy ? groupBy : testCase.groupBy;
            unit.packable = reportsCases && !(asked && *asked == GroupBy::Case);
            unit.splittable = reportsCases && !asked && !testCase.registeredGroup && mode == GroupBy::Suite;
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

bool keepsOwnProcess(const Unit &unit)
{
    return !unit.packable || !unit.dependsOn.isEmpty() || !unit.resourceLocks.isEmpty() || unit.runSerial
        || unit.processors > 1;
}

void addToBatch(Unit &batch, const Unit &unit)
{
    batch.cases += unit.cases;
    batch.cost += unit.cost;
    batch.failedLastTime = batch.failedLastTime || unit.failedLastTime;
    batch.splittable = batch.splittable && unit.splittable;
    batch.group.name += QLatin1Char('+') + unit.group.name;
}

QVector<Unit> packUnits(const QVector<Unit> &units, int jobs)
{
    int packableCases = 0;
    for (const Unit &unit : units)
        packableCases += keepsOwnProcess(unit) ? 0 : int(unit.cases.size());
    const int target = qMax(1, (packableCases + 8 * jobs - 1) / (8 * qMax(1, jobs)));

    QVector<Unit> packed;
    QHash<QString, int> openBatch; // launch key -> index in packed of the batch still filling up
    for (const Unit &unit : units) {
        if (keepsOwnProcess(unit) || unit.cases.size() >= target) {
            packed.append(unit);
            continue;
        }
        auto it = openBatch.find(unit.group.launch);
        if (it == openBatch.end()) {
            it = openBatch.insert(unit.group.launch, int(packed.size()));
            packed.append(unit);
        } else {
            addToBatch(packed[*it], unit);
        }
        if (packed[*it].cases.size() >= target)
            openBatch.erase(it);
    }
    // The framework runs cases in registration order; the worker expects them so.
    for (Unit &unit : packed)
        std::sort(unit.cases.begin(), unit.cases.end());
    return packed;
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

void sortUnitsSerially(QVector<Unit> &units)
{
    const auto first = [](const Unit &unit) { return unit.cases.isEmpty() ? INT_MAX : unit.cases.first(); };
    std::stable_sort(units.begin(), units.end(), [&](const Unit &a, const Unit &b) { return first(a) < first(b); });
    QHash<int, int> unitOfCase; // case index -> position in `units`
    for (int i = 0; i < units.size(); ++i) {
        for (int index : qAsConst(units[i].cases))
            unitOfCase.insert(index, i);
    }
    QVector<Unit> sorted;
    QVector<bool> placed(units.size(), false);
    for (int i = 0; i < units.size(); ++i) {
        if (placed[i])
            continue;
        // Every unit this one depends on, transitively (ctest's
        // GetAllTestDependencies), in #K order.
        QSet<int> dependencies;
        QVector<int> pending {i};
        while (!pending.isEmpty()) {
            const int current = pending.takeLast();
            for (int index : qAsConst(units[current].dependsOn)) {
                const int unit = unitOfCase.value(index, -1);
                if (unit >= 0 && unit != i && !dependencies.contains(unit)) {
                    dependencies.insert(unit);
                    pending.append(unit);
                }
            }
        }
        QVector<int> ordered(dependencies.cbegin(), dependencies.cend());
        std::sort(ordered.begin(), ordered.end()); // positions are in #K order already
        ordered.append(i);
        for (int unit : qAsConst(ordered)) {
            if (!placed[unit]) {
                placed[unit] = true;
                sorted.append(units[unit]);
            }
        }
    }
    units = sorted;
}

} // namespace ctestd
