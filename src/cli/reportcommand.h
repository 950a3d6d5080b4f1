// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "options.h"

class QIODevice;

namespace ctestd {

// `ctestd report BUNDLE...`: prints the run a bundle (--archive) or a JSON
// report (--output-json) holds, as the run printed it, and writes its JUnit
// and JSON reports; several are merged into one run first (see
// mergeRunRecords()). Returns the exit code: the run's, or 1 with a
// one-line error on stderr when an input cannot be read or merged.
// `terminal`: stdout is one (for --color=auto).
int runReport(const ReportOptions &options, const QStringList &commandLine, QIODevice *out, QIODevice *err,
    bool terminal, const QProcessEnvironment &environment);

} // namespace ctestd
