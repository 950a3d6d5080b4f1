// SPDX-License-Identifier: BSD-3-Clause
#include "scheduler.h"

namespace ctestd {

Scheduler::Scheduler(int jobs)
    : m_slots(qMax(1, jobs))
{ }

void Scheduler::enqueue(const QVector<Unit> &units)
{
    m_queue += units;
}

void Scheduler::requeueFront(const Unit &unit)
{
    m_queue.prepend(unit);
}

bool Scheduler::mayStart(const Unit &unit, const CaseDone &caseDone) const
{
    for (int dependency : unit.dependsOn) {
        if (!caseDone(dependency))
            return false;
    }
    if (m_running.isEmpty())
        return true; // even a unit wanting more processors than -j gives, as ctest does
    if (unit.runSerial)
        return false;
    int busy = 0;
    for (const Unit &running : m_running) {
        if (running.runSerial)
            return false;
        for (const QString &lock : unit.resourceLocks) {
            if (running.resourceLocks.contains(lock))
                return false;
        }
        busy += running.processors;
    }
    return busy + unit.processors <= m_slots;
}

std::optional<Unit> Scheduler::takeReady(const CaseDone &caseDone)
{
    for (int i = 0; i < m_queue.size(); ++i) {
        if (mayStart(m_queue.at(i), caseDone))
            return m_queue.takeAt(i);
        // A RUN_SERIAL unit at the head waits for the running ones to drain
        // instead of being overtaken forever.
        if (m_queue.at(i).runSerial && !m_running.isEmpty())
            return std::nullopt;
    }
    return std::nullopt;
}

void Scheduler::started(qint64 id, const Unit &unit)
{
    m_running.insert(id, unit);
}

void Scheduler::finished(qint64 id)
{
    m_running.remove(id);
}

QVector<Unit> Scheduler::takeAll()
{
    return std::exchange(m_queue, {});
}

} // namespace ctestd
