// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>
#include <QString>

namespace ctestd {

// Where a report file (JUnit, the JSON report) goes, checked before the run
// so that a report that cannot be kept stops the run before anything runs:
// its folder is made, as ctest does for its files, and a file can be
// created there. A path that names something else than a regular file (a
// FIFO, a device, /dev/stdout) is written in place and must be writable.
// `what` names the report in the error: "cannot write <what> <path>: ...".
[[nodiscard]] bool checkReportDestination(const QString &path, const QString &what, QString *error);

// Writes a report atomically (a temporary file, then a rename), so a reader
// never sees half of it and a failed write keeps the old one; a FIFO, a
// device or /dev/stdout is written in place, since a rename would replace
// the node itself. `error` gets the reason.
[[nodiscard]] bool writeReportFile(const QString &path, const QByteArray &bytes, QString *error);

} // namespace ctestd
