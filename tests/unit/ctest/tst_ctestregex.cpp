// SPDX-License-Identifier: BSD-3-Clause
// ctest's regex dialect (cmsys::RegularExpression). Every row was confirmed
// with ctest 3.25.1: a test printing `output` (via printf) with
// FAIL_REGULAR_EXPRESSION `pattern` and exit 0 fails iff the pattern matches
// (so the output went through ctest's line handling, see ctestOutput()).
// The compile messages and the size limit are ctest's stdout for -R PATTERN.
#include "ctest/regex.h"
#include "ctest/verdict.h"

#include <QtTest>

using namespace ctestd::ctest;

class TestCTestRegex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matching_data();
    void matching();
    void compileErrors_data();
    void compileErrors();
    void sizeLimit_data();
    void sizeLimit();
    void names();
    void longAlternation();
    void backtrackingOnLongSubjects();
    void subjectEndsAtNul();
    void defaultMatchesEverything();
};

void TestCTestRegex::matching_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("matches");
    auto row = [](const char *name, const QByteArray &pattern, const QByteArray &output, bool matches) {
        QTest::newRow(name) << pattern << output << matches;
    };
    // Anchors: the whole output, never a line; ctest ends the output with '\n'.
    row("bol second line", "^b", "a\nb\n", false);
    row("bol first line", "^a", "a\nb\n", true);
    row("eol before final newline", "a$", "a\n", false);
    row("eol, newline added by ctest", "a$", "a", false);
    row("explicit newline then eol", "a\n$", "a", true);
    row("bol in the middle", "a^b", "a^b", false);
    row("dollar in the middle", "a$b", "a$b", false);
    row("alternative with bol", "x|^a", "a", true);
    row("group bol", "(^a)", "ba", false);
    row("group eol optional", "a(b|$)", "a", false);
    row("empty output", "^$", "", true);
    row("one empty line", "^$", "\n", false);
    row("optional bol", "^?x", "x", true);
    // Dot and classes.
    row("dot matches newline", "a.b", "a\nb", true);
    row("posix class is literal, no", "[[:alpha:]]", "x", false);
    row("posix class is literal, yes", "[[:alpha:]]", "a]", true);
    row("backslash in class is literal", "[\\d]", "\\", true);
    row("class [\\d] has d", "[\\d]", "d", true);
    row("class [\\d] has no digit", "[\\d]", "5", false);
    row("negated class matches newline", "a[^a]", "a", true);
    row("close bracket literal outside class", "a]", "a]", true);
    row("chained range", "[a-c-e]", "d", true);
    row("dash last is literal", "[a-]", "-", true);
    row("close bracket first is literal", "[]a]", "]", true);
    row("class of only ]", "[]]", "]", true);
    row("negated with ] first, other", "^[^]a]", "b", true);
    row("negated with ] first, ]", "^[^]a]", "]", false);
    row("range starting at ]", "^[]-a]\n$", "_", true);
    row("dash first", "^[-a]\n$", "-", true);
    row("range starting at dash", "^[--/]\n$", ".", true);
    row("range starting at backslash", "^[\\-z]\n$", "q", true);
    // Escapes: a backslash makes the next byte literal, nothing more.
    row("\\n is n", "a\\n", "an", true);
    row("\\n is not newline", "a\\n", "a\n", false);
    row("\\d is d", "\\d", "d", true);
    row("\\d is not a digit", "\\d", "5", false);
    row("escaped dot, other", "a\\.b", "axb", false);
    row("escaped dot", "a\\.b", "a.b", true);
    row("escaped parens", "\\(x\\)", "(x)", true);
    row("escaped backslash", "a\\\\b", "a\\b", true);
    row("escaped plus", "a\\+", "a+", true);
    // Repetition and groups.
    row("braces are literal", "a{2}", "a{2}", true);
    row("braces do not repeat", "a{2}", "aa", false);
    row("group plus", "(a|b)+c", "abac", true);
    row("backtracking alternatives", "^(a|ab)(c|bcd)(d*)\n$", "abcd", true);
    row("complex plus", "^(ab)+\n$", "ababab", true);
    row("complex plus, no", "^(ab)+x", "abab", false);
    row("three alternatives", "^(x|y|z)\n$", "y", true);
    row("simple star", "^ab*c\n$", "abbbc", true);
    row("star zero times", "^ab*c\n$", "ac", true);
    row("? applies to the last byte", "^abc?\n$", "ab", true);
    row("? applies to the last byte, no", "^abc?\n$", "a", false);
    row("star matches empty", "x*", "", true);
    row("empty alternative", "zzz|", "q", true);
    row("optional group", "(ab)?c", "c", true);
    row("empty group", "()", "x", true);
    row("optional empty group", "a()?b", "ab", true);
    row("optional group with empty branch", "(a|)?b", "b", true);
    row("nine groups", "(((((((((a)))))))))", "a", true);
    row("case sensitive", "ERROR", "error", false);
    row("tab", "a\tb", "a\tb", true);
    // Bytes, not characters.
    row("e-acute is two bytes", "^..\n$", "\xc3\xa9", true);
    row("e-acute is not three bytes", "^...\n$", "\xc3\xa9", false);
    row("class of e-acute bytes", "[\xc3\xa9]", "\xa9", true);
    // ctest's line handling: NUL ends a line, trailing CRs go.
    row("NUL becomes a newline", "x.ERROR", QByteArray("x\0ERROR", 7), true);
    row("text after NUL is seen", "ERROR", QByteArray("x\0ERROR", 7), true);
    row("CR before NUL stripped", "x.y", QByteArray("x\r\0y", 4), true);
    row("CRLF becomes LF", "b.$", "ab\r\n", true);
    row("last line keeps its CR", "b.$", "ab\r", false);
    row("all trailing CRs go", "a.$", "a\r\r\n", true);
    row("all trailing CRs go, not two left", "a..$", "a\r\r\n", false);
    row("CR inside a line stays", "a.b", "a\rb\n", true);
    row("CR-only line becomes empty", "^.z", "\r\nz", true);
    // Patterns ctest cannot compile never match.
    row("invalid: (", "(", "(", false);
    row("invalid: a**", "a**", "aaa", false);
    row("invalid: (a*)*", "(a*)*", "aaa", false);
    row("invalid: 10 groups", "((((((((((a))))))))))", "a", false);
    row("invalid: [z-a]", "[z-a]", "m", false);
    row("invalid: ?a", "?a", "?a", false);
    row("invalid: trailing backslash", "a\\", "a", false);
    row("invalid: .**", ".**", "x", false);
    row("invalid: ^*", "^*", "x", false);
    row("invalid: a)", "a)", "a)", false);
    row("invalid: [a", "[a", "[a", false);
    row("invalid: ($)*", "($)*", "x", false);
    row("invalid: (a|)+", "(a|)+", "a", false);
}

void TestCTestRegex::matching()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, output);
    QFETCH(bool, matches);
    const Regex regex(QString::fromUtf8(pattern));
    QCOMPARE(regex.find(ctestOutput(output)), matches);
    // The fallback engine must agree row for row.
    QCOMPARE(regex.findBacktracking(ctestOutput(output)), matches);
}

void TestCTestRegex::compileErrors_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("message");
    auto row = [](const char *pattern, const char *message) {
        QTest::newRow(pattern) << QString::fromLatin1(pattern) << QString::fromLatin1(message);
    };
    row("(", "RegularExpression::compile(): Unmatched parentheses.");
    row("a)", "RegularExpression::compile(): Unmatched parentheses.");
    row("a**", "RegularExpression::compile(): Nested *?+.");
    row(".**", "RegularExpression::compile(): Nested *?+.");
    row("[z-a]", "RegularExpression::compile(): Invalid range in [].");
    row("?a", "RegularExpression::compile(): ?+* follows nothing.");
    row("*", "RegularExpression::compile(): ?+* follows nothing.");
    row("a\\", "RegularExpression::compile(): Trailing backslash.");
    row("((((((((((a))))))))))", "RegularExpression::compile(): Too many parentheses.");
    row("[a", "RegularExpression::compile(): Unmatched [].");
    row("[", "RegularExpression::compile(): Unmatched [].");
    row("[]", "RegularExpression::compile(): Unmatched [].");
    // This one has a space before the colon in cmsys.
    row("(a*)*", "RegularExpression::compile() : *+ operand could be empty.");
    row("^*", "RegularExpression::compile() : *+ operand could be empty.");
    row("($)*", "RegularExpression::compile() : *+ operand could be empty.");
    row("(a|)+", "RegularExpression::compile() : *+ operand could be empty.");
}

void TestCTestRegex::compileErrors()
{
    QFETCH(QString, pattern);
    QFETCH(QString, message);
    const Regex regex(pattern);
    QVERIFY(!regex.isValid());
    QCOMPARE(regex.compileMessages(), message + QStringLiteral("\nRegularExpression::compile(): Error in compile.\n"));
    QVERIFY(!regex.find(pattern.toUtf8()));
}

void TestCTestRegex::sizeLimit_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("valid");
    // The program of n literal bytes is n + 11 bytes; ctest refuses >= 65535.
    QTest::newRow("65523 bytes") << QString(65523, QLatin1Char('a')) << true;
    QTest::newRow("65524 bytes") << QString(65524, QLatin1Char('a')) << false;
    QTest::newRow("65500 + x?") << QString(65500, QLatin1Char('a')) + QStringLiteral("x?") << true;
    QTest::newRow("65500 + x?x?") << QString(65500, QLatin1Char('a')) + QStringLiteral("x?x?") << false;
}

void TestCTestRegex::sizeLimit()
{
    QFETCH(QString, pattern);
    QFETCH(bool, valid);
    const Regex regex(pattern);
    QCOMPARE(regex.isValid(), valid);
    if (valid) {
        QVERIFY(regex.compileMessages().isEmpty());
        QVERIFY(regex.find(QString(65523, QLatin1Char('a')) + QStringLiteral("x")));
    } else {
        QCOMPARE(regex.compileMessages(), QStringLiteral("RegularExpression::compile(): Expression too big.\n"));
    }
}

void TestCTestRegex::names()
{
    // ctest -N -R 'e$' lists "Name with space"; '^a' matches label "a b".
    QVERIFY(Regex(QStringLiteral("e$")).find(QStringLiteral("Name with space")));
    QVERIFY(!Regex(QStringLiteral("e$")).find(QStringLiteral("useA")));
    QVERIFY(Regex(QStringLiteral("^a")).find(QStringLiteral("a b")));
    QVERIFY(Regex(QStringLiteral("use")).find(QStringLiteral("useB")));
    QVERIFY(!Regex(QStringLiteral("^use$")).find(QStringLiteral("useB")));
}

void TestCTestRegex::longAlternation()
{
    // What IDEs pass to -R: ^(name1|name2|...)$ for a couple of thousand tests. cmsys
    // takes it (program < 65535 bytes); PCRE's limit is lower, so find()
    // falls back to the backtracking matcher.
    QStringList names;
    for (int i = 0; i < 2000; ++i)
        names.append(QStringLiteral("Suite%1.Case").arg(i, 4, 10, QLatin1Char('0')));
    const Regex regex(QStringLiteral("^(%1)$").arg(names.join(QLatin1Char('|'))));
    QVERIFY(regex.isValid());
    QVERIFY(regex.translatedPattern().isEmpty());
    QVERIFY(regex.find(QStringLiteral("Suite1999.Case")));
    QVERIFY(regex.find(QStringLiteral("Suite0000.Case")));
    QVERIFY(!regex.find(QStringLiteral("Suite2000.Case")));
    QVERIFY(!regex.find(QStringLiteral("Suite0001.Case2")));

    const Regex small(QStringLiteral("^(Suite0001.Case|Suite0002.Case)$"));
    QVERIFY(!small.translatedPattern().isEmpty());
    QVERIFY(small.find(QStringLiteral("Suite0002.Case")));
}

void TestCTestRegex::backtrackingOnLongSubjects()
{
    // Simple repetitions are iterative (as in cmsys), so a long output does
    // not exhaust the stack.
    QByteArray subject(4 * 1024 * 1024, 'x');
    subject.append("ERROR\n");
    QVERIFY(Regex(QStringLiteral("x.*ERROR")).findBacktracking(subject));
    QVERIFY(Regex(QStringLiteral("^x*E")).findBacktracking(subject));
    QVERIFY(!Regex(QStringLiteral("^x*F")).findBacktracking(subject));
    QVERIFY(Regex(QStringLiteral("x.*ERROR")).find(subject));
}

void TestCTestRegex::subjectEndsAtNul()
{
    // cmsys searches a C string.
    QVERIFY(!Regex(QStringLiteral("b")).find(QByteArray("a\0b", 3)));
    QVERIFY(Regex(QStringLiteral("a$")).find(QByteArray("a\0b", 3)));
}

void TestCTestRegex::defaultMatchesEverything()
{
    QVERIFY(Regex().isValid());
    QVERIFY(Regex().find(QByteArray()));
    QVERIFY(Regex(QString()).find(QByteArrayLiteral("x")));
}

QTEST_GUILESS_MAIN(TestCTestRegex)
#include "tst_ctestregex.moc"
