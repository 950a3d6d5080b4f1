// SPDX-License-Identifier: BSD-3-Clause
#include "qtestformat.h"

namespace ctestd::qtest {

bool isIdentifier(const QString &s)
{
    if (s.isEmpty() || s.at(0).isDigit())
        return false;
    for (const QChar c : s) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('_')) || c.unicode() > 0x7f)
            return false;
    }
    return true;
}

void splitSelector(const QString &selector, QString *function, QString *tag, bool *hasTag)
{
    // Qt Test splits the argument at the first ':'.
    const int colon = selector.indexOf(QLatin1Char(':'));
    *hasTag = colon >= 0;
    *function = *hasTag ? selector.left(colon) : selector;
    *tag = *hasTag ? selector.mid(colon + 1) : QString();
}

} // namespace ctestd::qtest
