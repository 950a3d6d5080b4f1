// SPDX-License-Identifier: BSD-3-Clause
#include "workerlauncher.h"

#include <QProcess>

namespace ctestd {

LocalWorkerLauncher::LocalWorkerLauncher(const QString &workerProgram)
    : m_workerProgram(workerProgram)
{ }

void LocalWorkerLauncher::start(QProcess *process, const QString &address, const QByteArray &key)
{
    process->setStandardOutputFile(QProcess::nullDevice());
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(m_workerProgram,
        {QStringLiteral("worker"), QStringLiteral("--connect"), address, QStringLiteral("--key-stdin")});
    // Buffered until the process runs; then the pipe ends, so the worker's
    // stdin is at its end once it has read the key.
    process->write(key.toHex() + '\n');
    process->closeWriteChannel();
}

} // namespace ctestd
