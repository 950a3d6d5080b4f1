// SPDX-License-Identifier: BSD-3-Clause
#include "workerspace.h"

#include <QDir>
#include <QTemporaryDir>

namespace ctestd {

WorkerSpace::WorkerSpace() = default;
WorkerSpace::~WorkerSpace() = default;

bool WorkerSpace::prepare(int id, int count, bool keep, QString *error)
{
    m_id = id;
    m_count = count;
    if (m_root)
        return true;
    // Under the worker's own TMPDIR, which the tests then no longer see.
    auto root = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/ctestd-worker-%1-XXXXXX").arg(id));
    if (!root->isValid()) {
        *error = QStringLiteral("cannot create the worker's directory in %1: %2")
                     .arg(QDir::tempPath(), root->errorString());
        return false;
    }
    root->setAutoRemove(!keep);
    const QDir dir(root->path());
    if (!dir.mkdir(QStringLiteral("tmp")) || !dir.mkdir(QStringLiteral("work"))) {
        *error = QStringLiteral("cannot create tmp and work in %1").arg(root->path());
        return false;
    }
    m_tmp = dir.filePath(QStringLiteral("tmp"));
    m_work = dir.filePath(QStringLiteral("work"));
    m_root = std::move(root);
    return true;
}

void WorkerSpace::addTo(QProcessEnvironment *environment) const
{
    if (m_id < 0)
        return;
    environment->insert(QStringLiteral("CTESTD_WORKER_ID"), QString::number(m_id));
    environment->insert(QStringLiteral("CTESTD_WORKER_COUNT"), QString::number(m_count));
    if (m_tmp.isEmpty())
        return;
    // TMPDIR for POSIX and Qt; TEMP and TMP for what reads those (Python's
    // tempfile, Boost.Filesystem's temp_directory_path on some platforms).
    for (const char *name : {"TMPDIR", "TEMP", "TMP"})
        environment->insert(QString::fromLatin1(name), m_tmp);
}

} // namespace ctestd
