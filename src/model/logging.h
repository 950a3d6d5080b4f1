// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QLoggingCategory>

// Diagnostics go through these categories; enable with
// QT_LOGGING_RULES="ctestd.*.debug=true" (or --debug on the command line).
Q_DECLARE_LOGGING_CATEGORY(lcDaemon) // ctestd.daemon: scheduling, workers, discovery
Q_DECLARE_LOGGING_CATEGORY(lcWorker) // ctestd.worker: the worker side of a run
Q_DECLARE_LOGGING_CATEGORY(lcProtocol) // ctestd.protocol: frames and handshakes

namespace ctestd {
// This process's peak resident set size in KiB (VmHWM), or -1 where the
// system does not say. Logged at exit by the daemon and each worker, so that
// memory bounds (a 100 MB output flood) can be checked from the outside.
qint64 peakResidentKiB();
} // namespace ctestd
