// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QSet>

namespace ctestd {

// Hands out CTESTD_WORKER_ID: 0 to count - 1, the lowest free one first, so
// that a worker that replaces a lost one is who the lost one was (its port,
// its database) and ids stay dense. A pool has its own; `ctestd serve` shares
// one among the runs it has going at once, so that two of its workers never
// share an id.
class WorkerIds {
public:
    // The workers planned: CTESTD_WORKER_COUNT, unless more are taken at once.
    void plan(int workers) { m_planned += workers; }
    int take();
    void release(int id);
    // What the workers are told: the planned count, or more if more ids are
    // out (workers started by hand).
    int count() const { return qMax(m_planned, m_highest + 1); }

private:
    QSet<int> m_taken;
    int m_planned = 0;
    int m_highest = -1;
};

} // namespace ctestd
