// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// What a Qt Test selector is made of, for both the listing and the run.

#include <QString>

namespace ctestd::qtest {

// A C++ identifier in ASCII, as a test function's name is.
bool isIdentifier(const QString &s);

// "function:tag" split as Qt Test splits its argument, at the first ':'.
void splitSelector(const QString &selector, QString *function, QString *tag, bool *hasTag);

} // namespace ctestd::qtest
