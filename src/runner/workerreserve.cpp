// SPDX-License-Identifier: BSD-3-Clause
#include "workerreserve.h"

#include "model/logging.h"
#include "protocol/connection.h"
#include "protocol/messages.h"

#include <QProcess>

namespace ctestd {

WorkerReserve::WorkerReserve(int capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(qMax(0, capacity))
{ }

WorkerReserve::~WorkerReserve()
{
    // Told to stop first, so that each removes its own directory (its
    // TMPDIR); then those waiting, and those shut down for want of room
    // that are not gone yet, are killed.
    for (const Worker &worker : qAsConst(m_waiting)) {
        if (worker.connection) {
            worker.connection->send({protocol::MessageType::Shutdown, {}});
            worker.connection->close();
        }
    }
    const QList<QProcess *> processes = findChildren<QProcess *>(QString(), Qt::FindDirectChildrenOnly);
    for (QProcess *process : processes) {
        if (process->state() != QProcess::NotRunning)
            process->waitForFinished(1000);
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(2000);
        }
    }
}

std::optional<WorkerReserve::Worker> WorkerReserve::take()
{
    while (!m_waiting.isEmpty()) {
        const Worker worker = m_waiting.takeLast();
        if (!worker.process || !worker.connection || worker.process->state() != QProcess::Running)
            continue;
        worker.process->disconnect(this);
        worker.connection->disconnect(this);
        qCDebug(lcDaemon) << "reusing worker pid" << worker.pid << "(" << m_waiting.size() << "more waiting)";
        return worker;
    }
    return std::nullopt;
}

void WorkerReserve::giveBack(const Worker &worker)
{
    QProcess *process = worker.process;
    protocol::Connection *connection = worker.connection;
    if (!process || !connection)
        return;
    process->setParent(this);
    connection->setParent(this);
    // Whenever it ends, waiting or not, its objects go.
    connect(process, &QProcess::finished, this, [this, process, connection = worker.connection] {
        for (int i = 0; i < m_waiting.size(); ++i) {
            if (m_waiting[i].process == process)
                m_waiting.removeAt(i--);
        }
        process->deleteLater();
        if (connection)
            connection->deleteLater();
    });
    if (m_waiting.size() >= m_capacity || process->state() != QProcess::Running) {
        // Enough wait already: this one exits, as a worker does when told
        // to shut down (and is killed with the reserve should it not).
        connection->send({protocol::MessageType::Shutdown, {}});
        return;
    }
    // A waiting worker has nothing to say; one that speaks or hangs up is
    // not one to reuse.
    const auto unsound = [process] { process->kill(); };
    connect(connection, &protocol::Connection::messageReceived, this, unsound);
    connect(connection, &protocol::Connection::failed, this, unsound);
    connect(connection, &protocol::Connection::disconnected, this, unsound);
    m_waiting.append(worker);
}

} // namespace ctestd
