// SPDX-License-Identifier: BSD-3-Clause
// CTest fixtures as ordering, and which failed setups keep a case from
// starting (ctest's "Failed test dependencies: ...").
#include "ctest/fixtures.h"

#include <QtTest>

using namespace ctestd;

namespace {
TestCase fixtureCase(
    const QString &name, const QStringList &setup, const QStringList &required, const QStringList &cleanup)
{
    TestCase testCase;
    testCase.displayName = name;
    testCase.fixturesSetup = setup;
    testCase.fixturesRequired = required;
    testCase.fixturesCleanup = cleanup;
    return testCase;
}
} // namespace

class TestFixtures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void order();
    void failedSetups();
};

void TestFixtures::order()
{
    const QStringList db {QStringLiteral("db")};
    QVector<TestCase> cases {
        fixtureCase(QStringLiteral("user"), {}, db, {}), // 0
        fixtureCase(QStringLiteral("setup"), db, db, {}), // 1: requires what it sets up
        fixtureCase(QStringLiteral("cleanup"), {}, db, db), // 2
        fixtureCase(QStringLiteral("other"), {}, {}, {}), // 3
    };
    cases[0].dependsOn = {3};
    const ctest::FixtureSetups setups = ctest::addFixtureOrder(cases);
    QCOMPARE(setups.value(QStringLiteral("db")), QVector<int> {1});
    QCOMPARE(cases[0].dependsOn, QVector<int>({3, 1})); // kept, then its setup
    QCOMPARE(cases[1].dependsOn, QVector<int> {}); // never on itself
    QCOMPARE(cases[2].dependsOn, QVector<int>({1, 0})); // the setup, then every user, each once
    QCOMPARE(cases[3].dependsOn, QVector<int> {});
}

void TestFixtures::failedSetups()
{
    const QStringList db {QStringLiteral("db")};
    const QStringList net {QStringLiteral("net")};
    QVector<TestCase> cases {
        fixtureCase(QStringLiteral("db-up"), db, {}, {}), // 0
        fixtureCase(QStringLiteral("db-seed"), db, {}, {}), // 1
        fixtureCase(QStringLiteral("net-up"), net, {}, {}), // 2
        fixtureCase(QStringLiteral("user"), {}, db + net, {}), // 3
        fixtureCase(QStringLiteral("seed-again"), db, db, {}), // 4: sets up db itself
    };
    const ctest::FixtureSetups setups = ctest::addFixtureOrder(cases);
    const auto failedAre = [](QVector<int> failed) { return [failed](int i) { return failed.contains(i); }; };
    QCOMPARE(ctest::failedFixtureSetups(cases, setups, 3, failedAre({})), QStringList {});
    QCOMPARE(ctest::failedFixtureSetups(cases, setups, 3, failedAre({2, 1})),
        QStringList({QStringLiteral("db-seed"), QStringLiteral("net-up")}));
    QCOMPARE(ctest::failedFixtureSetups(cases, setups, 4, failedAre({0})), QStringList {});
}

QTEST_GUILESS_MAIN(TestFixtures)
#include "tst_fixtures.moc"
