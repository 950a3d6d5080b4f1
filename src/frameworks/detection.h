// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArrayList>
#include <QString>

namespace ctestd {

// `--framework auto`: which framework an executable was built with, told from
// strings in its file (option names from the framework's help text, the
// shared library it needs), never by running it in a mode it may not know.
// An executable with no marker, or one that cannot be read, is "plain". In an
// ELF file the debug sections are not searched (they are most of a debug
// build and hold no marker).
QString detectFramework(const QString &executable);

// Whether the file contains any of `markers` as bytes. False if unreadable.
bool fileContainsAny(const QString &path, const QByteArrayList &markers);

} // namespace ctestd
