// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QProcessEnvironment>
#include <QString>

#include <memory>

class QTemporaryDir;

namespace ctestd {

// A worker's own place on its host (README, "Workers"): one directory per
// worker, created empty when the daemon first tells the worker who it is
// (WorkerSetup) and removed with the worker unless it is to be kept. It
// holds `tmp`, every test's TMPDIR, and `work`, the tests' working directory
// under --isolate-workdir. Two workers never share either, so tests that
// write fixed names there (spdlog's ./test_logs, a socket file) do not meet.
class WorkerSpace {
public:
    WorkerSpace();
    ~WorkerSpace();
    WorkerSpace(const WorkerSpace &) = delete;
    WorkerSpace &operator=(const WorkerSpace &) = delete;

    // Creates the directories, once; a later call changes only the id and
    // count (a worker a later run takes from the daemon's reserve).
    [[nodiscard]] bool prepare(int id, int count, bool keep, QString *error);
    bool isPrepared() const { return bool(m_root); }

    int id() const { return m_id; }
    QString tmpDir() const { return m_tmp; }
    QString workDir() const { return m_work; }

    // Removes the directories now (unless they are to be kept): before the
    // worker hangs up, since the daemon may kill a worker that did.
    void remove() { m_root.reset(); }

    // What every test process and hook of this worker sees: CTESTD_WORKER_ID,
    // CTESTD_WORKER_COUNT, and TMPDIR, TEMP and TMP set to tmpDir().
    void addTo(QProcessEnvironment *environment) const;

private:
    std::unique_ptr<QTemporaryDir> m_root;
    QString m_tmp;
    QString m_work;
    int m_id = -1;
    int m_count = 0;
};

} // namespace ctestd
