// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QLoggingCategory>

// Diagnostics go through these categories; enable with
// QT_LOGGING_RULES="ctestd.*.debug=true" (or -V on the command line).
Q_DECLARE_LOGGING_CATEGORY(lcDaemon) // ctestd.daemon: scheduling, workers, discovery
Q_DECLARE_LOGGING_CATEGORY(lcWorker) // ctestd.worker: the worker side of a run
Q_DECLARE_LOGGING_CATEGORY(lcProtocol) // ctestd.protocol: frames and handshakes
