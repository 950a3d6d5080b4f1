// SPDX-License-Identifier: BSD-3-Clause
#include "doctestxml.h"

namespace ctestd::doctest {

bool splitLineTag(const QByteArray &line, LineTag *out)
{
    const int at = line.lastIndexOf('<');
    if (at < 0)
        return false;
    out->text = line.mid(at);
    int indent = 0;
    while (indent < at && line.at(at - 1 - indent) == ' ')
        ++indent;
    out->indent = indent;
    out->prefix = line.left(at - indent);
    return true;
}

} // namespace ctestd::doctest
