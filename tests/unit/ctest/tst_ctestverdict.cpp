// SPDX-License-Identifier: BSD-3-Clause
// ctest's result rules. EVERY ROW BELOW WAS CONFIRMED BY A REAL CTEST 3.25.1
// RUN: a test `sh -c "<command>"` with the row's properties, whose console
// line gave `status` and the text after "***Failed  " (`reason`), whose
// LastTest.log "Test Pass/Fail Reason:" gave `detail`, and whose
// --output-junit file gave the <failure>/<skipped> message (`junit`).
// The row names are the names of those ctest tests; the projects are in
// data/README.md.
#include "ctest/verdict.h"

#include <QtTest>

#include <csignal>

using namespace ctestd;
using namespace ctestd::ctest;

Q_DECLARE_METATYPE(ctestd::ResultRules)
Q_DECLARE_METATYPE(ctestd::ctest::ProcessOutcome)

class TestCTestVerdict : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decide_data();
    void decide();
    void emptyPatternsAreIgnored();
    void invalidRegexNeverMatches();
    void outputNormalisation_data();
    void outputNormalisation();
};

namespace {

struct Rules {
    QStringList pass, fail, skip;
    int skipReturnCode = -1;
    bool willFail = false;
    operator ResultRules() const
    {
        ResultRules r;
        r.passRegex = pass;
        r.failRegex = fail;
        r.skipRegex = skip;
        r.skipReturnCode = skipReturnCode;
        r.willFail = willFail;
        return r;
    }
};

ProcessOutcome exited(int code)
{
    return ProcessOutcome {false, 0, code};
}

ProcessOutcome killedBy(int signal)
{
    return ProcessOutcome {false, signal, 0};
}

ProcessOutcome timedOut()
{
    return ProcessOutcome {true, SIGKILL, 0};
}

Rules withPass(const QStringList &pass)
{
    Rules r;
    r.pass = pass;
    return r;
}

Rules withFail(const QStringList &fail)
{
    Rules r;
    r.fail = fail;
    return r;
}

Rules withPassFail(const QStringList &pass, const QStringList &fail)
{
    Rules r;
    r.pass = pass;
    r.fail = fail;
    return r;
}

Rules withSkip(const QStringList &skip)
{
    Rules r;
    r.skip = skip;
    return r;
}

QStringList list(std::initializer_list<const char *> items)
{
    QStringList l;
    for (const char *item : items)
        l.append(QString::fromLatin1(item));
    return l;
}

const QString notFoundHello = QStringLiteral("Required regular expression not found. Regex=[hello\n]");
const QString foundHello = QStringLiteral("Required regular expression found. Regex=[hello]");
const QString errorFound = QStringLiteral("Error regular expression found in output. Regex=[ERROR]");
const QString skipFound = QStringLiteral("Skip regular expression found in output. Regex=[SKIPME]");

} // namespace

void TestCTestVerdict::decide_data()
{
    QTest::addColumn<ResultRules>("rules");
    QTest::addColumn<ProcessOutcome>("outcome");
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QString>("junit");

    auto row = [](const char *name, const Rules &rules, ProcessOutcome outcome, const QByteArray &output, Status status,
                   const QString &reason, const QString &detail, const QString &junit) {
        QTest::newRow(name) << ResultRules(rules) << outcome << output << int(status) << reason << detail << junit;
    };
    const QString none;

    // Plain exit codes.
    row("exit0", {}, exited(0), "", Status::Passed, none, none, none);
    row("exit1", {}, exited(1), "", Status::Failed, none, none, none);
    row("exit2", {}, exited(2), "hi\n", Status::Failed, none, none, none);

    // PASS_REGULAR_EXPRESSION.
    row("pass_match_exit1", withPass(list({"hello"})), exited(1), "hello\n", Status::Passed, none, foundHello, none);
    row("pass_nomatch_exit0", withPass(list({"hello"})), exited(0), "bye\n", Status::Failed, notFoundHello,
        notFoundHello, notFoundHello);
    const QString notFoundBoth = QStringLiteral("Required regular expression not found. Regex=[hello\nworld\n]");
    row("pass_two_nomatch", withPass(list({"hello", "world"})), exited(0), "bye\n", Status::Failed, notFoundBoth,
        notFoundBoth, notFoundBoth);
    row("pass_two_second", withPass(list({"hello", "world"})), exited(0), "world\n", Status::Passed, none,
        QStringLiteral("Required regular expression found. Regex=[world]"), none);
    row("multiline", withPass(list({"a.b"})), exited(0), "a\nb\n", Status::Passed, none,
        QStringLiteral("Required regular expression found. Regex=[a.b]"), none);

    // FAIL_REGULAR_EXPRESSION: the first pattern of the list that matches.
    row("fail_match", withFail(list({"ERROR"})), exited(0), "ERROR\n", Status::Failed, errorFound, errorFound,
        errorFound);
    row("fail_two_both", withFail(list({"ERROR", "BAD"})), exited(0), "ERROR BAD\n", Status::Failed, errorFound,
        errorFound, errorFound);
    row("fail_order", withFail(list({"ERROR", "BAD"})), exited(0), "BAD ERROR\n", Status::Failed, errorFound,
        errorFound, errorFound);
    const QString badFound = QStringLiteral("Error regular expression found in output. Regex=[BAD]");
    row("fail_two_second", withFail(list({"ERROR", "BAD"})), exited(0), "BAD\n", Status::Failed, badFound, badFound,
        badFound);
    row("fail_nomatch_exit1", withFail(list({"ERROR"})), exited(1), "ok\n", Status::Failed, none, none, none);
    row("fail_and_pass", withPassFail(list({"hello"}), list({"ERROR"})), exited(0), "hello ERROR\n", Status::Failed,
        errorFound, errorFound, errorFound);
    row("fail_and_passnomatch", withPassFail(list({"hello"}), list({"ERROR"})), exited(0), "ERROR\n", Status::Failed,
        errorFound, errorFound, errorFound);

    // WILL_FAIL inverts, regex results included.
    Rules willFail;
    willFail.willFail = true;
    row("willfail_exit0", willFail, exited(0), "", Status::Failed, none, none, none);
    row("willfail_exit1", willFail, exited(1), "", Status::Passed, none, none, none);
    Rules wfPass = willFail;
    wfPass.pass = list({"hello"});
    row("willfail_pass_match", wfPass, exited(0), "hello\n", Status::Failed, foundHello, foundHello, foundHello);
    row("willfail_pass_nomatch", wfPass, exited(0), "bye\n", Status::Passed, none, notFoundHello, none);
    Rules wfTwo = willFail;
    wfTwo.pass = list({"hello", "world"});
    const QString foundWorld = QStringLiteral("Required regular expression found. Regex=[world]");
    row("wf_pass_second", wfTwo, exited(0), "world\n", Status::Failed, foundWorld, foundWorld, foundWorld);
    wfTwo.pass = list({"world", "hello"});
    row("wf_pass_both", wfTwo, exited(0), "hello world\n", Status::Failed, foundWorld, foundWorld, foundWorld);
    Rules wfFail = willFail;
    wfFail.fail = list({"ERROR"});
    row("willfail_fail_match", wfFail, exited(0), "ERROR\n", Status::Passed, none, errorFound, none);
    row("willfail_fail_nomatch", wfFail, exited(0), "ok\n", Status::Failed, none, none, none);
    row("willfail_fail_nomatch_exit1", wfFail, exited(1), "ok\n", Status::Passed, none, none, none);

    // SKIP_REGULAR_EXPRESSION and SKIP_RETURN_CODE beat everything but
    // timeouts and signals.
    Rules skip;
    skip.skip = list({"SKIPME"});
    const QString skipRegexMsg = QStringLiteral("SKIP_REGULAR_EXPRESSION_MATCHED");
    row("skip_match", skip, exited(1), "SKIPME\n", Status::Skipped, none, skipFound, skipRegexMsg);
    row("skip_nomatch", skip, exited(1), "x\n", Status::Failed, none, none, none);
    Rules skipFail = skip;
    skipFail.fail = list({"ERROR"});
    row("skip_beats_fail", skipFail, exited(0), "SKIPME ERROR\n", Status::Skipped, none, skipFound, skipRegexMsg);
    Rules skipWf = skip;
    skipWf.willFail = true;
    row("skip_beats_willfail", skipWf, exited(0), "SKIPME\n", Status::Skipped, none, skipFound, skipRegexMsg);
    Rules skipPass = skip;
    skipPass.pass = list({"hello"});
    row("skip_beats_passnomatch", skipPass, exited(0), "SKIPME\n", Status::Skipped, none, skipFound, skipRegexMsg);
    Rules skipTwo;
    skipTwo.skip = list({"A", "B"});
    row("skip_two", skipTwo, exited(0), "B A\n", Status::Skipped, none,
        QStringLiteral("Skip regular expression found in output. Regex=[A]"), skipRegexMsg);
    Rules skipRc;
    skipRc.skipReturnCode = 77;
    const QString skipRcMsg = QStringLiteral("SKIP_RETURN_CODE=77");
    row("skiprc", skipRc, exited(77), "", Status::Skipped, none, none, skipRcMsg);
    row("skiprc_other", skipRc, exited(1), "", Status::Failed, none, none, none);
    Rules skipRcFail = skipRc;
    skipRcFail.fail = list({"ERROR"});
    row("skiprc_fail", skipRcFail, exited(77), "ERROR\n", Status::Skipped, none, errorFound, skipRcMsg);
    Rules skipRcWf = skipRc;
    skipRcWf.willFail = true;
    row("skiprc_willfail", skipRcWf, exited(77), "", Status::Skipped, none, none, skipRcMsg);
    Rules skipRcZero;
    skipRcZero.skipReturnCode = 0;
    row("skiprc_zero", skipRcZero, exited(0), "", Status::Skipped, none, none, QStringLiteral("SKIP_RETURN_CODE=0"));
    Rules skipRcPass = skipRc;
    skipRcPass.pass = list({"hello"});
    row("skiprc_pass", skipRcPass, exited(77), "hello\n", Status::Skipped, none, foundHello, skipRcMsg);
    Rules skipBoth = skip;
    skipBoth.skipReturnCode = 77;
    row("skip_and_rc", skipBoth, exited(77), "SKIPME\n", Status::Skipped, none, skipFound, skipRegexMsg);
    Rules skipAndFail = skip;
    skipAndFail.fail = list({"ERROR"});
    row("skip_and_fail_fail", skipAndFail, exited(0), "SKIPME ERROR\n", Status::Skipped, none, skipFound, skipRegexMsg);

    // A timeout is always Timeout; the detail still records regex matches
    // and becomes the JUnit message.
    row("timeout_plain", {}, timedOut(), "", Status::Timeout, none, none, none);
    row("timeout_willfail", willFail, timedOut(), "", Status::Timeout, none, none, none);
    row("timeout_skip", skip, timedOut(), "SKIPME\n", Status::Timeout, none, skipFound, skipFound);
    row("timeout_pass", withPass(list({"hello"})), timedOut(), "hello\n", Status::Timeout, none, foundHello,
        foundHello);
    row("timeout_fail_rx", withFail(list({"ERROR"})), timedOut(), "ERROR\n", Status::Timeout, none, errorFound,
        errorFound);
    const QString notFoundAB = QStringLiteral("Required regular expression not found. Regex=[a\nb\n]");
    row("timeout_pass_nomatch", withPass(list({"a", "b"})), timedOut(), "", Status::Timeout, none, notFoundAB,
        notFoundAB);

    // A signal is always a crash.
    row("sig_segv", {}, killedBy(SIGSEGV), "", Status::Crashed, none, none, none);
    row("sig_willfail", willFail, killedBy(SIGSEGV), "", Status::Crashed, none, none, none);
    row("sig_skip", skip, killedBy(SIGSEGV), "SKIPME\n", Status::Crashed, none, skipFound, skipFound);
    row("sig_pass", withPass(list({"hello"})), killedBy(SIGSEGV), "hello\n", Status::Crashed, none, foundHello,
        foundHello);
    row("sig_abrt_willfail", willFail, killedBy(SIGABRT), "", Status::Crashed, none, none, none);
    row("sig_fail_rx", withFail(list({"ERROR"})), killedBy(SIGTERM), "ERROR\n", Status::Crashed, none, errorFound,
        errorFound);

    // The output as ctest sees it (see also tst_ctestregex).
    row("stderr_merge", withFail(list({"^ERR.$"})), exited(0), "ERR\n", Status::Failed,
        QStringLiteral("Error regular expression found in output. Regex=[^ERR.$]"),
        QStringLiteral("Error regular expression found in output. Regex=[^ERR.$]"),
        QStringLiteral("Error regular expression found in output. Regex=[^ERR.$]"));
    row("cr_nul", withFail(list({"x.y"})), exited(0), QByteArray("x\r\0y", 4), Status::Failed,
        QStringLiteral("Error regular expression found in output. Regex=[x.y]"),
        QStringLiteral("Error regular expression found in output. Regex=[x.y]"),
        QStringLiteral("Error regular expression found in output. Regex=[x.y]"));
    row("eol_nonl", withFail(list({"a$"})), exited(0), "a", Status::Passed, none, none, none);
    const QString invalid = QStringLiteral("Required regular expression not found. Regex=[(\n]");
    row("pass_invalid", withPass(list({"("})), exited(0), "(", Status::Failed, invalid, invalid, invalid);
    row("skip_invalid", withSkip(list({"("})), exited(0), "(", Status::Passed, none, none, none);
}

void TestCTestVerdict::decide()
{
    QFETCH(ResultRules, rules);
    QFETCH(ProcessOutcome, outcome);
    QFETCH(QByteArray, output);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(QString, detail);
    QFETCH(QString, junit);

    const Verdict verdict = ctest::decide(rules, outcome, output);
    QCOMPARE(int(verdict.status), status);
    QCOMPARE(verdict.reason, reason);
    QCOMPARE(verdict.detail, detail);
    QCOMPARE(verdict.junitMessage, junit);
}

void TestCTestVerdict::emptyPatternsAreIgnored()
{
    // ctest drops empty list items ("zzz;" is one regex; "" is none): ctest
    // 3.25.1 printed "Regex=[zzz\n]" and failed exit 1 with PASS "" plainly.
    ResultRules rules;
    rules.passRegex = QStringList {QStringLiteral("zzz"), QString()};
    const Verdict v = ctest::decide(rules, exited(1), "");
    QCOMPARE(v.status, Status::Failed);
    QCOMPARE(v.reason, QStringLiteral("Required regular expression not found. Regex=[zzz\n]"));

    rules.passRegex = QStringList {QString()};
    const Verdict plain = ctest::decide(rules, exited(1), "");
    QCOMPARE(plain.status, Status::Failed);
    QCOMPARE(plain.reason, QString());
}

void TestCTestVerdict::invalidRegexNeverMatches()
{
    ResultRules rules;
    rules.failRegex = QStringList {QStringLiteral("(")};
    QCOMPARE(ctest::decide(rules, exited(0), "(\n").status, Status::Passed);
}

void TestCTestVerdict::outputNormalisation_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("newline added") << QByteArray("a") << QByteArray("a\n");
    QTest::newRow("lines kept") << QByteArray("a\nb\n") << QByteArray("a\nb\n");
    QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QByteArray("a\nb\n");
    QTest::newRow("many crs") << QByteArray("a\r\r\n") << QByteArray("a\n");
    QTest::newRow("last line keeps cr") << QByteArray("a\r") << QByteArray("a\r\n");
    QTest::newRow("inner cr") << QByteArray("a\rb\n") << QByteArray("a\rb\n");
    QTest::newRow("nul") << QByteArray("x\0y", 3) << QByteArray("x\ny\n");
    QTest::newRow("cr nul") << QByteArray("x\r\0y", 4) << QByteArray("x\ny\n");
    QTest::newRow("empty lines") << QByteArray("\n\n") << QByteArray("\n\n");
    QTest::newRow("cr only line") << QByteArray("\r\nz") << QByteArray("\nz\n");
}

void TestCTestVerdict::outputNormalisation()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, expected);
    QCOMPARE(ctestOutput(raw), expected);
}

QTEST_GUILESS_MAIN(TestCTestVerdict)
#include "tst_ctestverdict.moc"
