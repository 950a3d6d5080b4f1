// SPDX-License-Identifier: BSD-3-Clause
#include "logging.h"

#include <QFile>

Q_LOGGING_CATEGORY(lcDaemon, "ctestd.daemon", QtWarningMsg)
Q_LOGGING_CATEGORY(lcWorker, "ctestd.worker", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProtocol, "ctestd.protocol", QtWarningMsg)

namespace ctestd {

qint64 peakResidentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace ctestd
