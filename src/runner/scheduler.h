// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "grouping.h"

#include <QHash>
#include <functional>
#include <optional>

namespace ctestd {

// The queue of units and the rules for when one may start: its
// dependencies have finished, no running unit holds one of its resource
// locks, a RUN_SERIAL unit runs alone, and the PROCESSORS of the running
// units fit into the run's slots (-j). Units are handed out in queue order,
// skipping those that must wait.
class Scheduler {
public:
    explicit Scheduler(int jobs = 1);

    void setJobs(int jobs) { m_slots = qMax(1, jobs); }
    void enqueue(const QVector<Unit> &units);
    // A unit that ran partially goes first: its fixture group is half done.
    void requeueFront(const Unit &unit);

    // Whether case i has its final result.
    using CaseDone = std::function<bool(int)>;
    // The first queued unit that may start now.
    std::optional<Unit> takeReady(const CaseDone &caseDone);
    void started(qint64 id, const Unit &unit);
    void finished(qint64 id);

    bool hasQueued() const { return !m_queue.isEmpty(); }
    int queuedCount() const { return int(m_queue.size()); }
    int runningCount() const { return int(m_running.size()); }
    QVector<Unit> takeAll();

private:
    bool mayStart(const Unit &unit, const CaseDone &caseDone) const;

    int m_slots;
    QVector<Unit> m_queue;
    QHash<qint64, Unit> m_running;
};

} // namespace ctestd
