// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <memory>

namespace ctestd::ctest {

// A regular expression in ctest's dialect: CMake's cmsys::RegularExpression
// (Henry Spencer's regexp), used for -R/-E/-L/-LE and for the
// PASS/FAIL/SKIP_REGULAR_EXPRESSION properties. It is parsed as cmsys parses
// it and translated into an equivalent QRegularExpression (see
// findBacktracking() for the rare pattern PCRE refuses); matching is
// "search anywhere", like cmsys' find().
//
// The dialect, as checked against ctest 3.25.1:
//   ^ and $   the start and end of the whole subject only (never of a line);
//             a ^ or $ in the middle of a pattern is an anchor that cannot match
//   .         any byte, newline included
//   [...]     a set of bytes; [^...] its complement (which matches newline);
//             ']' or '-' first is literal, '-' last is literal, ranges chain
//             ("[a-c-e]" is a..e), backslash and "[:alpha:]" are literal
//   * + ?     greedy repetition of the atom before; no {m,n} ('{' is literal)
//   ( ) |     grouping and alternation; at most 9 groups
//   \c        the byte c, literally ("\d" is 'd', "\n" is 'n')
// Everything is byte based: a multi-byte UTF-8 character is several atoms.
//
// A pattern ctest cannot compile never matches anything (ctest prints the
// messages of compileMessages() on stdout and goes on). The compile errors
// are ctest's: unmatched () or [], an invalid range ("[z-a]"), "*+?" with
// nothing before, nested repetition ("a**"), repetition of something that
// can be empty ("(a*)*", "^*"), more than 9 groups, a trailing backslash, and
// a compiled program of 65535 bytes or more.
class Regex {
public:
    Regex(); // the empty pattern: matches everything
    explicit Regex(const QString &pattern);
    ~Regex();
    Regex(const Regex &);
    Regex &operator=(const Regex &);

    const QString &pattern() const { return m_pattern; }
    bool isValid() const { return m_valid; }

    // What ctest prints on stdout when the pattern does not compile, one or
    // two lines, each ending in '\n' (e.g. "RegularExpression::compile():
    // Unmatched parentheses.\nRegularExpression::compile(): Error in
    // compile.\n"). Empty for a valid pattern.
    const QString &compileMessages() const { return m_messages; }

    // True if the pattern matches somewhere in the subject. The subject is a
    // byte string that ends at its first NUL byte, as the C string ctest
    // passes. An invalid pattern never matches.
    bool find(const QByteArray &subject) const;
    bool find(const QString &subject) const; // UTF-8 encoded first

    // find() uses the translated QRegularExpression when PCRE accepts it and
    // otherwise (PCRE's compiled-size limit is lower than cmsys's 65535-byte
    // program, so a very long -R alternation can exceed it) a backtracking
    // matcher that walks the parsed pattern the way cmsys does. Both give
    // the same answers; this one is public so tests can check that.
    bool findBacktracking(const QByteArray &subject) const;

    // The QRegularExpression pattern find() uses; empty if it uses the
    // backtracking matcher.
    QString translatedPattern() const;

    struct Node; // the parsed pattern

private:
    QString m_pattern;
    QString m_messages;
    std::shared_ptr<const Node> m_tree; // immutable once built
    QRegularExpression m_regex;
    bool m_valid = true;
    bool m_usePcre = false;
};

} // namespace ctestd::ctest
