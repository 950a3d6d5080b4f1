// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "workersources.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QProcess;

namespace ctestd {

// What a worker must know to join the run.
struct WorkerLaunch {
    QString address; // where to connect (a local:/tcp: address, see PROTOCOL.md)
    QByteArray key; // the run's key
    int launchId = 0; // said back in Ready: how the pool knows which launch connected
    // --heartbeat-timeout for a worker on another host, which stops when
    // the daemon falls silent that long; 0: none (a local worker sees the
    // daemon's end, and may wait idle in `ctestd serve`'s reserve).
    double heartbeatSeconds = 0;
};

// How a worker process is started: the pool says what the worker must know
// and the launcher decides where and how. The key goes to the launched
// process's stdin, never its environment or command line (which other
// users can read in /proc), and ssh and srun pass stdin on to the worker;
// the tests a worker starts never inherit it.
class WorkerLauncher {
public:
    virtual ~WorkerLauncher() = default;
    // "local", "ssh:build7", "srun", "cmd": how messages name where a worker runs.
    virtual QString name() const = 0;
    virtual bool isRemote() const = 0;
    // Starts, in `process` (whose signals the pool watches already), a
    // worker for `launch`. The process ends when the worker does;
    // QProcess::errorOccurred() tells a start that failed.
    virtual void start(QProcess *process, const WorkerLaunch &launch) = 0;
    // The last line the launcher printed on stderr (ssh's "Connection
    // refused"): why a worker that never connected did not.
    static QString lastErrorLine(const QProcess *process);
};

// What the launchers are built from: the ctestd executable that runs
// `worker` (on another host: the same path, see the README) and the
// commands the user configured.
struct LauncherSettings {
    QString workerProgram;
    QStringList sshCommand {QStringLiteral("ssh")}; // --ssh-command
    QStringList workerCommand; // --worker-command, with a {args} placeholder
};

std::unique_ptr<WorkerLauncher> makeWorkerLauncher(const WorkerSource &source, const LauncherSettings &settings);

// `ctestd worker --connect ADDRESS --key-stdin --launch-id N`, the worker's
// own arguments, after the program.
QStringList workerArguments(const WorkerLaunch &launch);

// `text` quoted for a POSIX shell: ssh hands the remote side one string.
QString shellQuote(const QString &text);

} // namespace ctestd
