// SPDX-License-Identifier: BSD-3-Clause
#include "logging.h"

Q_LOGGING_CATEGORY(lcDaemon, "ctestd.daemon", QtWarningMsg)
Q_LOGGING_CATEGORY(lcWorker, "ctestd.worker", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProtocol, "ctestd.protocol", QtWarningMsg)
