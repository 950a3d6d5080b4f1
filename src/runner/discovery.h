// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QObject>
#include <QVector>

namespace ctestd {

class FrameworkAdapter;

// The cases of one executable, or why they could not be listed.
struct DiscoveredExecutable {
    QString executable;
    QString framework; // the adapter's name: as asked, or what `auto` found
    GroupBy groupBy = GroupBy::Case; // the framework's default grouping for this executable
    QVector<TestCase> cases; // index and group not yet assigned
    QString error; // non-empty: listing failed; `cases` is empty
};

// Lists the cases of each executable by running it in its framework's list
// mode, several at a time. A plain executable is not run: it is one case. An executable that is missing, cannot run,
// crashes or hangs while listing does not stop the run: it comes back with an error, which the run reports as a failed
// case named after the executable (nose2's LoadTestsFailure).
class Discovery : public QObject {
    Q_OBJECT
public:
    // `framework` is an adapter name, or "auto" to detect it per executable.
    Discovery(const QStringList &executables, const QString &framework, int parallel, double timeoutSeconds,
        QObject *parent = nullptr);

    // --launcher: the listing runs under it too (an emulator must run it).
    void setLauncher(const QStringList &launcher) { m_launcher = launcher; }

    void start();

Q_SIGNALS:
    // In the order the executables were given.
    void finished(const QVector<ctestd::DiscoveredExecutable> &results);

private:
    void startNext();
    void listOne(int index);
    void done(int index, const QString &error);

    QVector<DiscoveredExecutable> m_results;
    int m_parallel;
    QStringList m_launcher;
    double m_timeoutSeconds;
    int m_next = 0;
    int m_running = 0;
    int m_finished = 0;
};

} // namespace ctestd
