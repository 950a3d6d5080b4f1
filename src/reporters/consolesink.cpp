// SPDX-License-Identifier: BSD-3-Clause
#include "consolesink.h"

#include <QFileDevice>

namespace ctestd {

namespace {
// Pending output beyond this leaves at once, whatever the turn still writes.
constexpr int MaxPendingBytes = 64 * 1024;

void writeThrough(QIODevice *target, const QByteArray &bytes)
{
    target->write(bytes);
    if (auto *file = qobject_cast<QFileDevice *>(target))
        file->flush();
}
} // namespace

CoalescedOutput::CoalescedOutput(QIODevice *target, QObject *parent)
    : WriteOnlyDevice(parent)
    , m_target(target)
{
    // A zero-interval timer fires once the event loop has handled what is
    // ready now: the end of the turn.
    m_turnEnd.setSingleShot(true);
    m_turnEnd.setInterval(0);
    connect(&m_turnEnd, &QTimer::timeout, this, &CoalescedOutput::flushPending);
}

CoalescedOutput::~CoalescedOutput()
{
    flushPending();
}

void CoalescedOutput::flushPending()
{
    m_turnEnd.stop();
    if (m_pending.isEmpty())
        return;
    writeThrough(m_target, m_pending);
    m_pending.clear();
}

qint64 CoalescedOutput::writeData(const char *data, qint64 size)
{
    m_pending.append(data, int(size));
    if (m_pending.size() >= MaxPendingBytes)
        flushPending();
    else if (!m_turnEnd.isActive())
        m_turnEnd.start();
    return size;
}

OrderedError::OrderedError(QIODevice *target, CoalescedOutput *output, QObject *parent)
    : WriteOnlyDevice(parent)
    , m_target(target)
    , m_output(output)
{ }

qint64 OrderedError::writeData(const char *data, qint64 size)
{
    m_output->flushPending();
    writeThrough(m_target, QByteArray::fromRawData(data, int(size)));
    return size;
}

} // namespace ctestd
