// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "core/testmodel.h"

#include <QObject>
#include <QVector>

namespace ctestd {

class FrameworkAdapter;

// The cases of one executable, or why they could not be listed.
struct DiscoveredExecutable {
    QString executable;
    QVector<TestCase> cases; // index and group not yet assigned
    QString error; // non-empty: listing failed; `cases` is empty
};

// Lists the cases of each executable by running it in its framework's list
// mode, several at a time. An executable that is missing, cannot run, crashes
// or hangs while listing does not stop the run: it comes back with an error,
// which the run reports as a failed case named after the executable (nose2's
// LoadTestsFailure).
class Discovery : public QObject {
    Q_OBJECT
public:
    Discovery(const QStringList &executables, const FrameworkAdapter &adapter, int parallel, double timeoutSeconds,
        QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    // In the order the executables were given.
    void finished(const QVector<ctestd::DiscoveredExecutable> &results);

private:
    void startNext();
    void listOne(int index);
    void done(int index, const QString &error);

    const FrameworkAdapter &m_adapter;
    QVector<DiscoveredExecutable> m_results;
    int m_parallel;
    double m_timeoutSeconds;
    int m_next = 0;
    int m_running = 0;
    int m_finished = 0;
};

} // namespace ctestd
