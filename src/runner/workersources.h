// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace ctestd {

// Where a run's workers come from, as `--workers` names them: a list of
// ENGINE[:HOST][*N] items, for example "local*2,ssh:build7*4,srun*8".
struct WorkerSource {
    enum class Engine {
        Local, // a child process of ctestd, as -j starts
        Ssh, // `ssh HOST ctestd worker ...`
        Srun, // `srun ctestd worker ...`, one job step per worker
        Command, // --worker-command's template (kubectl exec, docker exec)
    };
    Engine engine = Engine::Local;
    QString host; // ssh's [USER@]HOST
    int count = 1;

    // "local", "ssh:build7", "srun", "cmd": how messages name the source.
    QString name() const;
    bool isRemote() const { return engine != Engine::Local; }
};

// The sources of a --workers list, or nothing and a one-line error.
std::optional<QVector<WorkerSource>> parseWorkerSources(const QString &text, QString *error);

int workerCount(const QVector<WorkerSource> &sources);

} // namespace ctestd
