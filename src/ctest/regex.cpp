// SPDX-License-Identifier: BSD-3-Clause
#include "regex.h"

#include <bitset>
#include <cstring>
#include <functional>
#include <vector>

namespace ctestd::ctest {

// The parsed pattern. A sequence of nodes is one branch of an alternation.
struct Regex::Node {
    enum Kind { Bytes, Any, Set, Bol, Eol, Group, Repeat };
    Kind kind = Bytes;
    QByteArray bytes; // Bytes
    std::bitset<256> set; // Set
    bool negated = false; // Set
    std::vector<std::vector<Node>> branches; // Group
    std::vector<Node> operand; // Repeat: exactly one node
    char op = '*'; // Repeat: '*', '+' or '?'
};

namespace {

using Node = Regex::Node;
using Sequence = std::vector<Node>;

// Flags of Spencer's compiler, passed up from atoms to pieces to branches.
constexpr int HasWidth = 1; // never matches the empty string
constexpr int Simple = 2; // one byte per match
constexpr int SpStart = 4; // starts with * or +
constexpr int Worst = 0;

// cmsys::RegularExpression::NSUBEXP: group 0 is the whole match.
constexpr int MaxGroups = 10;
// The compiled program must stay below this size (bytes).
constexpr long MaxProgramSize = 65535;
// Every node of the compiled program: an opcode and a 2-byte "next" offset.
constexpr long NodeSize = 3;

bool isMult(char c)
{
    return c == '*' || c == '+' || c == '?';
}

const char Meta[] = "^$.[()|?+*\\";

// A recursive-descent copy of Spencer's reg()/regbranch()/regpiece()/
// regatom(): it accepts and refuses what cmsys does, with the same messages,
// counts the program size the way cmsys does, and builds a tree of nodes.
class Parser {
public:
    explicit Parser(const QByteArray &pattern)
        : m_p(pattern)
    { }

    // On failure, *messages holds what ctest prints.
    bool parse(Node *top, QString *messages)
    {
        m_size = 1; // MAGIC
        int flags = 0;
        if (!reg(false, top, &flags)) {
            *messages = m_error + QStringLiteral("\nRegularExpression::compile(): Error in compile.\n");
            return false;
        }
        if (m_size >= MaxProgramSize) {
            *messages = QStringLiteral("RegularExpression::compile(): Expression too big.\n");
            return false;
        }
        return true;
    }

private:
    char at(int pos) const { return pos < m_p.size() ? m_p.at(pos) : '\0'; }
    char cur() const { return at(m_pos); }

    bool fail(const char *message)
    {
        m_error = QString::fromLatin1(message);
        return false;
    }

    bool reg(bool paren, Node *group, int *flagp)
    {
        group->kind = Node::Group;
        *flagp = HasWidth;
        if (paren) {
            if (m_npar >= MaxGroups)
                return fail("RegularExpression::compile(): Too many parentheses.");
            ++m_npar;
            m_size += NodeSize; // OPEN
        }
        int flags = 0;
        group->branches.emplace_back();
        if (!branch(&group->branches.back(), &flags))
            return false;
        if (!(flags & HasWidth))
            *flagp &= ~HasWidth;
        *flagp |= flags & SpStart;
        while (cur() == '|') {
            ++m_pos;
            group->branches.emplace_back();
            if (!branch(&group->branches.back(), &flags))
                return false;
            if (!(flags & HasWidth))
                *flagp &= ~HasWidth;
            *flagp |= flags & SpStart;
        }
        m_size += NodeSize; // CLOSE or END
        if (paren) {
            if (cur() != ')')
                return fail("RegularExpression::compile(): Unmatched parentheses.");
            ++m_pos;
        } else if (cur() != '\0') {
            if (cur() == ')')
                return fail("RegularExpression::compile(): Unmatched parentheses.");
            return fail("RegularExpression::compile(): Internal error.");
        }
        return true;
    }

    bool branch(Sequence *sequence, int *flagp)
    {
        *flagp = Worst;
        m_size += NodeSize; // BRANCH
        bool first = true;
        while (cur() != '\0' && cur() != '|' && cur() != ')') {
            int flags = 0;
            if (!piece(sequence, &flags))
                return false;
            *flagp |= flags & HasWidth;
            if (first)
                *flagp |= flags & SpStart;
            first = false;
        }
        if (first)
            m_size += NodeSize; // NOTHING
        return true;
    }

    bool piece(Sequence *sequence, int *flagp)
    {
        Node atomNode;
        int flags = 0;
        if (!atom(&atomNode, &flags))
            return false;
        const char op = cur();
        if (!isMult(op)) {
            *flagp = flags;
            sequence->push_back(std::move(atomNode));
            return true;
        }
        if (!(flags & HasWidth) && op != '?')
            return fail("RegularExpression::compile() : *+ operand could be empty.");
        *flagp = op != '+' ? (Worst | SpStart) : (Worst | HasWidth);
        if (op == '?')
            m_size += 3 * NodeSize; // BRANCH, BRANCH, NOTHING
        else if (flags & Simple)
            m_size += NodeSize; // STAR or PLUS
        else
            m_size += 4 * NodeSize; // BRANCH, BACK, BRANCH, NOTHING
        Node repeat;
        repeat.kind = Node::Repeat;
        repeat.op = op;
        repeat.operand.push_back(std::move(atomNode));
        sequence->push_back(std::move(repeat));
        ++m_pos;
        if (isMult(cur()))
            return fail("RegularExpression::compile(): Nested *?+.");
        return true;
    }

    bool atom(Node *node, int *flagp)
    {
        *flagp = Worst;
        const char c = cur();
        ++m_pos;
        switch (c) {
        case '^':
            m_size += NodeSize;
            node->kind = Node::Bol;
            return true;
        case '$':
            m_size += NodeSize;
            node->kind = Node::Eol;
            return true;
        case '.':
            m_size += NodeSize;
            node->kind = Node::Any;
            *flagp |= HasWidth | Simple;
            return true;
        case '[':
            if (!bracket(node))
                return false;
            *flagp |= HasWidth | Simple;
            return true;
        case '(': {
            int flags = 0;
            if (!reg(true, node, &flags))
                return false;
            *flagp |= flags & (HasWidth | SpStart);
            return true;
        }
        case '\0':
        case '|':
        case ')':
            return fail("RegularExpression::compile(): Internal error.");
        case '?':
        case '+':
        case '*':
            return fail("RegularExpression::compile(): ?+* follows nothing.");
        case '\\':
            if (cur() == '\0')
                return fail("RegularExpression::compile(): Trailing backslash.");
            node->kind = Node::Bytes;
            node->bytes = QByteArray(1, cur());
            ++m_pos;
            m_size += NodeSize + 2; // EXACTLY, the byte, NUL
            *flagp |= HasWidth | Simple;
            return true;
        default:
            break;
        }
        // A run of ordinary bytes. If a repetition follows a run of more than
        // one byte, it applies to the last byte only, which becomes its own atom.
        --m_pos;
        int len = 0;
        while (at(m_pos + len) != '\0' && !std::strchr(Meta, at(m_pos + len)))
            ++len;
        if (len <= 0)
            return fail("RegularExpression::compile(): Internal error.");
        if (len > 1 && isMult(at(m_pos + len)))
            --len;
        *flagp |= HasWidth;
        if (len == 1)
            *flagp |= Simple;
        m_size += NodeSize + len + 1;
        node->kind = Node::Bytes;
        node->bytes = m_p.mid(m_pos, len);
        m_pos += len;
        return true;
    }

    // After '['. Builds the byte set exactly as Spencer's regatom() does.
    bool bracket(Node *node)
    {
        node->kind = Node::Set;
        long count = 0;
        auto add = [&](int b) {
            node->set.set(size_t(b & 0xff));
            ++count;
        };
        if (cur() == '^') {
            node->negated = true;
            ++m_pos;
        }
        if (cur() == ']' || cur() == '-') {
            add(static_cast<unsigned char>(cur()));
            ++m_pos;
        }
        while (cur() != '\0' && cur() != ']') {
            if (cur() == '-') {
                ++m_pos;
                if (cur() == ']' || cur() == '\0') {
                    add('-');
                } else {
                    int from = static_cast<unsigned char>(at(m_pos - 2)) + 1;
                    const int to = static_cast<unsigned char>(cur());
                    if (from > to + 1)
                        return fail("RegularExpression::compile(): Invalid range in [].");
                    for (; from <= to; ++from)
                        add(from);
                    ++m_pos;
                }
            } else {
                add(static_cast<unsigned char>(cur()));
                ++m_pos;
            }
        }
        if (cur() != ']')
            return fail("RegularExpression::compile(): Unmatched [].");
        ++m_pos;
        m_size += NodeSize + count + 1; // ANYOF/ANYBUT, the bytes, NUL
        return true;
    }

    QByteArray m_p;
    int m_pos = 0;
    int m_npar = 1;
    long m_size = 0;
    QString m_error;
};

// --- Translation into a QRegularExpression pattern. The subject is given
// as Latin-1 text, so every byte is one character.

QString hexByte(int b)
{
    return QStringLiteral("\\x{%1}").arg(b, 2, 16, QLatin1Char('0'));
}

void appendByte(QString &out, unsigned char b)
{
    const bool plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
    if (plain)
        out += QLatin1Char(char(b));
    else
        out += hexByte(b);
}

void translate(const Node &node, QString &out);

void translateBranches(const std::vector<Sequence> &branches, QString &out)
{
    for (size_t i = 0; i < branches.size(); ++i) {
        if (i > 0)
            out += QLatin1Char('|');
        for (const Node &n : branches[i])
            translate(n, out);
    }
}

void translate(const Node &node, QString &out)
{
    switch (node.kind) {
    case Node::Bytes:
        for (char c : node.bytes)
            appendByte(out, static_cast<unsigned char>(c));
        break;
    case Node::Any:
        // Every character of the Latin-1 subject; a class, so that repeating
        // it compiles to PCRE's plain character repeat.
        out += QStringLiteral("[\\x{00}-\\x{ff}]");
        break;
    case Node::Set:
        out += node.negated ? QStringLiteral("[^") : QStringLiteral("[");
        for (int b = 0; b < 256;) {
            if (!node.set.test(size_t(b))) {
                ++b;
                continue;
            }
            int e = b;
            while (e + 1 < 256 && node.set.test(size_t(e + 1)))
                ++e;
            out += hexByte(b);
            if (e > b)
                out += QLatin1Char('-') + hexByte(e);
            b = e + 1;
        }
        out += QLatin1Char(']');
        break;
    case Node::Bol:
        out += QStringLiteral("\\A");
        break;
    case Node::Eol:
        out += QStringLiteral("\\z");
        break;
    case Node::Group:
        out += QStringLiteral("(?:");
        translateBranches(node.branches, out);
        out += QLatin1Char(')');
        break;
    case Node::Repeat: {
        // A one-byte operand (a single byte, '.', a class) is repeated
        // directly: PCRE runs that without a backtracking frame per repetition.
        const Node &operand = node.operand.front();
        const bool single = operand.kind == Node::Any || operand.kind == Node::Set
            || (operand.kind == Node::Bytes && operand.bytes.size() == 1);
        if (single) {
            translate(operand, out);
        } else {
            out += QStringLiteral("(?:");
            translate(operand, out);
            out += QLatin1Char(')');
        }
        out += QLatin1Char(node.op);
        break;
    }
    }
}

// --- The backtracking matcher: Spencer's regmatch() on the tree. Used when
// PCRE cannot take a pattern (PCRE's compiled-size limit is lower than
// cmsys's, so long -R alternations of test names need it).

using Continuation = std::function<bool(int)>;

class Matcher {
public:
    explicit Matcher(const QByteArray &subject)
        : m_s(subject)
    { }

    bool search(const Node &top) const
    {
        const Continuation done = [](int) { return true; };
        for (int start = 0; start <= m_s.size(); ++start) {
            if (node(top, start, done))
                return true;
        }
        return false;
    }

private:
    bool sequence(const Sequence &seq, size_t i, int pos, const Continuation &k) const
    {
        if (i == seq.size())
            return k(pos);
        return node(seq[i], pos, [&](int next) { return sequence(seq, i + 1, next, k); });
    }

    // One byte at pos matched by a simple (one byte wide) node?
    bool matchesByte(const Node &n, int pos) const
    {
        if (pos >= m_s.size())
            return false;
        const auto b = static_cast<unsigned char>(m_s.at(pos));
        switch (n.kind) {
        case Node::Bytes:
            return static_cast<unsigned char>(n.bytes.at(0)) == b;
        case Node::Any:
            return true;
        case Node::Set:
            return n.set.test(b) != n.negated;
        default:
            return false;
        }
    }

    static bool isSimple(const Node &n)
    {
        return (n.kind == Node::Bytes && n.bytes.size() == 1) || n.kind == Node::Any || n.kind == Node::Set;
    }

    bool star(const Node &operand, int pos, const Continuation &k) const
    {
        // The operand never matches the empty string (cmsys refuses that).
        return node(operand, pos, [&](int next) { return star(operand, next, k); }) || k(pos);
    }

    bool node(const Node &n, int pos, const Continuation &k) const
    {
        switch (n.kind) {
        case Node::Bytes:
            if (m_s.size() - pos < n.bytes.size()
                || std::memcmp(m_s.constData() + pos, n.bytes.constData(), size_t(n.bytes.size())) != 0)
                return false;
            return k(pos + n.bytes.size());
        case Node::Any:
        case Node::Set:
            return matchesByte(n, pos) && k(pos + 1);
        case Node::Bol:
            return pos == 0 && k(pos);
        case Node::Eol:
            return pos == m_s.size() && k(pos);
        case Node::Group:
            for (const Sequence &branch : n.branches) {
                if (sequence(branch, 0, pos, k))
                    return true;
            }
            return false;
        case Node::Repeat: {
            const Node &operand = n.operand.front();
            if (isSimple(operand)) {
                // Like cmsys' STAR/PLUS: take as many as possible, then back off.
                const int min = n.op == '+' ? 1 : 0;
                int max = 0;
                const int limit = n.op == '?' ? 1 : m_s.size() - pos;
                while (max < limit && matchesByte(operand, pos + max))
                    ++max;
                for (int count = max; count >= min; --count) {
                    if (k(pos + count))
                        return true;
                }
                return false;
            }
            if (n.op == '?')
                return node(operand, pos, k) || k(pos);
            if (n.op == '*')
                return star(operand, pos, k);
            return node(operand, pos, [&](int next) { return star(operand, next, k); });
        }
        }
        return false;
    }

    const QByteArray &m_s;
};

// The bytes a C string holds: up to the first NUL.
QByteArray cString(const QByteArray &bytes)
{
    const int nul = bytes.indexOf('\0');
    return nul < 0 ? bytes : bytes.left(nul);
}

} // namespace

Regex::Regex(const QString &pattern)
    : m_pattern(pattern)
{
    auto tree = std::make_shared<Node>();
    Parser parser(cString(pattern.toUtf8()));
    if (!parser.parse(tree.get(), &m_messages)) {
        m_valid = false;
        return;
    }
    QString translated;
    translate(*tree, translated);
    m_regex.setPattern(translated);
    m_usePcre = m_regex.isValid();
    m_tree = std::move(tree);
}

Regex::Regex() = default;
Regex::~Regex() = default;
Regex::Regex(const Regex &) = default;
Regex &Regex::operator=(const Regex &) = default;

bool Regex::find(const QByteArray &subject) const
{
    if (!m_valid)
        return false;
    if (!m_tree)
        return true; // the default-constructed, empty pattern
    if (m_usePcre)
        return m_regex.match(QString::fromLatin1(cString(subject))).hasMatch();
    return findBacktracking(subject);
}

bool Regex::find(const QString &subject) const
{
    return find(subject.toUtf8());
}

bool Regex::findBacktracking(const QByteArray &subject) const
{
    if (!m_valid)
        return false;
    if (!m_tree)
        return true;
    const QByteArray s = cString(subject);
    return Matcher(s).search(*m_tree);
}

QString Regex::translatedPattern() const
{
    return m_usePcre ? m_regex.pattern() : QString();
}

} // namespace ctestd::ctest
