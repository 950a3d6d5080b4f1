// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>

namespace ctestd::doctest {

// The tag at the end of a line: doctest's lines are indentation plus one tag,
// and output the test printed without a newline may come first. A tag holds
// no raw `<`, so it starts at the last one.
struct LineTag {
    QByteArray text; // from the `<` to the end of the line
    QByteArray prefix; // the test's own output before the indentation
    int indent = 0;
};

// Splits `line` at its tag; false when it has none.
bool splitLineTag(const QByteArray &line, LineTag *out);

} // namespace ctestd::doctest
