// SPDX-License-Identifier: BSD-3-Clause
// A run's case states: what the listeners hear when a case starts, repeats,
// finishes, is stopped or left out, and the fan-out to several listeners.
#include "runner/casebook.h"

#include <QtTest>

using namespace ctestd;

namespace {
// Writes each event as a word: "start:A", "attempt:A:failed:again",
// "finish:A:passed", "end:2" (reported cases).
class Recorder final : public RunListener {
public:
    explicit Recorder(QStringList *events, int exitCode = -1)
        : m_events(events)
        , m_exitCode(exitCode)
    { }
    void caseStarted(const TestCase &testCase) override { m_events->append(QStringLiteral("start:") + testCase.name); }
    void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again) override
    {
        m_events->append(
            QStringLiteral("attempt:%1:%2%3")
                .arg(testCase.name, statusName(result.status), again ? QStringLiteral(":again") : QString()));
    }
    void caseFinished(const TestCase &testCase, const CaseResult &result) override
    {
        m_events->append(QStringLiteral("finish:%1:%2").arg(testCase.name, statusName(result.status)));
    }
    int runFinished(const RunEnd &end, int exitCode) override
    {
        m_events->append(QStringLiteral("end:%1:%2").arg(end.reportedCases().size()).arg(exitCode));
        return m_exitCode >= 0 ? m_exitCode : exitCode;
    }

private:
    QStringList *m_events;
    int m_exitCode;
};

QVector<TestCase> cases(const QStringList &names)
{
    QVector<TestCase> result;
    for (const QString &name : names) {
        TestCase testCase;
        testCase.index = int(result.size()) + 1;
        testCase.name = name;
        testCase.displayName = name;
        result.append(testCase);
    }
    return result;
}

// --repeat until-pass:N
ctest::RepeatMode untilPass(int count)
{
    ctest::RepeatMode repeat;
    repeat.kind = ctest::RepeatMode::UntilPass;
    repeat.count = count;
    return repeat;
}

CaseResult resultOf(Status status)
{
    CaseResult result;
    result.status = status;
    return result;
}
} // namespace

class TestCaseBook : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void repeatRules_data();
    void repeatRules();
    void repeatedAttemptsReachTheListeners();
    void undispatchedCasesHaveNoAttempt();
    void stopOnFailureStopsOnce();
    void leftOutCasesAreNotReported();
    void listenersInOrderWithTheExitCode();
};

void TestCaseBook::repeatRules_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("count");
    QTest::addColumn<QVector<int>>("statuses"); // one attempt each
    QTest::addColumn<int>("runs"); // how many of them run before the result is final

    using R = ctest::RepeatMode;
    const int passed = int(Status::Passed), failed = int(Status::Failed), timeout = int(Status::Timeout),
              skipped = int(Status::Skipped);
    QTest::newRow("none") << int(R::None) << 1 << QVector<int> {failed} << 1;
    QTest::newRow("until-fail: passes until the limit")
        << int(R::UntilFail) << 3 << QVector<int> {passed, passed, passed} << 3;
    QTest::newRow("until-fail: stops at a failure") << int(R::UntilFail) << 3 << QVector<int> {passed, failed} << 2;
    QTest::newRow("until-fail: a skip is no pass") << int(R::UntilFail) << 3 << QVector<int> {skipped} << 1;
    QTest::newRow("until-pass: fails until a pass")
        << int(R::UntilPass) << 3 << QVector<int> {failed, timeout, passed} << 3;
    QTest::newRow("until-pass: stops at the limit") << int(R::UntilPass) << 2 << QVector<int> {failed, failed} << 2;
    QTest::newRow("after-timeout: only timeouts") << int(R::AfterTimeout) << 3 << QVector<int> {timeout, failed} << 2;
}

void TestCaseBook::repeatRules()
{
    QFETCH(int, kind);
    QFETCH(int, count);
    QFETCH(QVector<int>, statuses);
    QFETCH(int, runs);

    ctest::RepeatMode repeat;
    repeat.kind = ctest::RepeatMode::Kind(kind);
    repeat.count = count;
    CaseState state;
    state.dispatched = true;
    int ran = 0;
    for (int status : qAsConst(statuses)) {
        ++ran;
        if (!state.runsAgain(repeat, Status(status)))
            break;
    }
    QCOMPARE(ran, runs);
    // Without --repeat nothing counts attempts.
    QCOMPARE(state.attempts, repeat.kind == ctest::RepeatMode::None ? 0 : runs);
}

void TestCaseBook::repeatedAttemptsReachTheListeners()
{
    QStringList events;
    Recorder recorder(&events);
    CaseBook book(recorder, untilPass(3));
    book.setCases(cases({QStringLiteral("A")}));
    book.state(0).dispatched = true;

    book.markStarted(0);
    book.finish(0, resultOf(Status::Failed));
    QVERIFY(!book.isDone(0));
    QVERIFY(book.state(0).repeatPending);
    QCOMPARE(book.takeRepeats({0}), QVector<int> {0});
    QVERIFY(!book.state(0).repeatPending);
    book.markStarted(0);
    book.finish(0, resultOf(Status::Passed));
    QVERIFY(book.isDone(0));
    QCOMPARE(book.remaining(), 0);
    QCOMPARE(events,
        QStringList({QStringLiteral("start:A"), QStringLiteral("attempt:A:failed:again"), QStringLiteral("start:A"),
            QStringLiteral("attempt:A:passed"), QStringLiteral("finish:A:passed")}));
    // A final result is final: a late report changes nothing.
    book.finish(0, resultOf(Status::Failed));
    QCOMPARE(book.state(0).result.status, Status::Passed);
    QCOMPARE(events.size(), 5);
}

void TestCaseBook::undispatchedCasesHaveNoAttempt()
{
    // A case that never ran (disabled, its fixture failed) is not repeated
    // and has no run for CTestCostData.txt.
    QStringList events;
    Recorder recorder(&events);
    CaseBook book(recorder, untilPass(3));
    book.setCases(cases({QStringLiteral("A")}));
    book.markStarted(0);
    book.finishAs(0, Status::NotRun, QStringLiteral("Fixture dependency failed"));
    QVERIFY(book.isDone(0));
    QCOMPARE(book.state(0).result.message, QStringLiteral("Fixture dependency failed"));
    QCOMPARE(events, QStringList({QStringLiteral("start:A"), QStringLiteral("finish:A:notrun")}));
}

void TestCaseBook::stopOnFailureStopsOnce()
{
    QStringList events;
    Recorder recorder(&events);
    CaseBook book(recorder, {});
    book.setCases(cases({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")}));
    int stops = 0;
    book.setStopOnFailure([&stops] { ++stops; });

    book.finish(0, resultOf(Status::Passed));
    QVERIFY(!book.stopping());
    book.finish(1, resultOf(Status::Crashed));
    book.finish(2, resultOf(Status::Failed));
    QCOMPARE(stops, 1);
    QCOMPARE(book.stopCause(), QStringLiteral("B"));

    CaseBook other(recorder, {});
    other.setCases(cases({QStringLiteral("A"), QStringLiteral("B")}));
    other.setStopOnFailure([&other] { other.stop(1); });
    other.finish(0, resultOf(Status::Timeout));
    QCOMPARE(other.state(1).result.status, Status::Stopped);
    QCOMPARE(other.state(1).result.message,
        QStringLiteral("ctestd: not run: the run stopped after A failed (--stop-on-failure)"));
}

void TestCaseBook::leftOutCasesAreNotReported()
{
    QStringList events;
    Recorder recorder(&events);
    CaseBook book(recorder, {});
    book.setCases(cases({QStringLiteral("A"), QStringLiteral("B")}));
    book.leaveOut(0);
    QVERIFY(book.isDone(0));
    QCOMPARE(book.remaining(), 1);
    book.state(1).dispatched = true;
    book.finish(1, resultOf(Status::Passed));
    QCOMPARE(events, QStringList({QStringLiteral("attempt:B:passed"), QStringLiteral("finish:B:passed")}));

    const RunEnd end = book.end();
    QCOMPARE(end.cases.size(), 2);
    QVERIFY(end.cases[0].leftOut);
    QVERIFY(!end.cases[0].dispatched);
    QVERIFY(end.cases[1].dispatched);
    QCOMPARE(end.reportedCases().size(), 1);
    QCOMPARE(end.reportedCases().constFirst().name, QStringLiteral("B"));
    QCOMPARE(end.reportedResults().constFirst().status, Status::Passed);
}

void TestCaseBook::listenersInOrderWithTheExitCode()
{
    QStringList events;
    RunListeners listeners;
    listeners.add(std::make_unique<Recorder>(&events));
    listeners.add(std::make_unique<Recorder>(&events));
    // First, and failing a passing run (a file it could not write): the
    // others see its exit code.
    listeners.addFirst(std::make_unique<Recorder>(&events, 1));
    RunEnd end;
    end.cases.append({cases({QStringLiteral("A")}).constFirst(), resultOf(Status::Passed), true, false});
    QCOMPARE(listeners.runFinished(end, 0), 1);
    QCOMPARE(events, QStringList({QStringLiteral("end:1:0"), QStringLiteral("end:1:1"), QStringLiteral("end:1:1")}));

    QCOMPARE(ctestExitCode({resultOf(Status::Passed), resultOf(Status::Skipped), resultOf(Status::Disabled)}), 0);
    QCOMPARE(ctestExitCode({resultOf(Status::Passed), resultOf(Status::NotRun)}), 8);
    QCOMPARE(ctestExitCode({}), 0);
}

QTEST_GUILESS_MAIN(TestCaseBook)
#include "tst_casebook.moc"
