// SPDX-License-Identifier: BSD-3-Clause
#include "fixtures.h"

namespace ctestd::ctest {

FixtureSetups addFixtureOrder(QVector<TestCase> &cases)
{
    FixtureSetups setups;
    QHash<QString, QVector<int>> users;
    for (int i = 0; i < cases.size(); ++i) {
        for (const QString &fixture : qAsConst(cases[i].fixturesSetup))
            setups[fixture].append(i);
        for (const QString &fixture : qAsConst(cases[i].fixturesRequired))
            users[fixture].append(i);
    }
    const auto addDependency = [&cases](int from, int to) {
        if (from != to && !cases[from].dependsOn.contains(to))
            cases[from].dependsOn.append(to);
    };
    for (int i = 0; i < cases.size(); ++i) {
        for (const QString &fixture : qAsConst(cases[i].fixturesRequired)) {
            for (int setup : setups.value(fixture))
                addDependency(i, setup);
        }
        for (const QString &fixture : qAsConst(cases[i].fixturesCleanup)) {
            for (int user : users.value(fixture))
                addDependency(i, user);
            for (int setup : setups.value(fixture))
                addDependency(i, setup);
        }
    }
    return setups;
}

QStringList failedFixtureSetups(
    const QVector<TestCase> &cases, const FixtureSetups &setups, int index, const std::function<bool(int)> &failed)
{
    QStringList names;
    for (const QString &fixture : cases[index].fixturesRequired) {
        if (cases[index].fixturesSetup.contains(fixture))
            continue;
        for (int setup : setups.value(fixture)) {
            if (failed(setup) && !names.contains(cases[setup].displayName))
                names.append(cases[setup].displayName);
        }
    }
    return names;
}

} // namespace ctestd::ctest
