// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/runlistener.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QVector>

namespace ctestd {

// CTESTD_ARCHIVE in the environment of a ctest invocation's `ctestd case`
// clients: the daemon keeps that invocation's results (and what its test
// processes left in $CTESTD_ARTIFACT_DIR) and writes them as a result
// bundle when ctest exits. ctest printed the console itself, so the bundle
// has no console text; `ctestd report` prints ctestd's rendering of the
// cases, named and numbered as ctest lists them. While the bundle is
// pending, `<bundle>.pending` names the daemon's PID, so that `ctestd
// report` waits for it instead of reading an older one.
class InvocationBundle {
public:
    // `path` as the variable says it, relative to the build tree;
    // `ctestPid`: the invocation, for its command line and directory.
    InvocationBundle(const QString &path, const QString &buildDirectory, qint64 ctestPid);
    ~InvocationBundle();

    const QString &path() const { return m_path; }
    // A new empty folder under which a group run's processes get their
    // $CTESTD_ARTIFACT_DIR.
    QString artifactRoot();
    // A case's final result in group run `run`, under ctest's name and
    // listing position when known (else empty and 0).
    void addCase(const QString &run, const TestCase &testCase, const CaseResult &result, const QString &ctestName,
        int ctestPosition);
    // The processes of group run `run` (their cases: positions in `end`).
    void addProcesses(const QString &run, const RunEnd &end);
    // A test ctest listed but does not run (DISABLED).
    void addDisabled(const QString &ctestName, const QString &executable, int ctestPosition);
    // Writes the bundle; false with the reason.
    [[nodiscard]] bool write(QString *error);

private:
    struct Entry {
        TestCase testCase;
        QVector<CaseResult> results; // every attempt (ctest --repeat asks again)
        int position = 0; // in ctest's listing; 0: not known
        int order = 0; // of completion
    };

    QString m_path;
    QString m_buildDirectory;
    QStringList m_commandLine;
    QString m_workingDirectory;
    QDateTime m_started;
    QTemporaryDir m_artifacts;
    int m_runs = 0;
    QVector<Entry> m_entries;
    QHash<QString, int> m_entryOf; // ctest name (or run + selector) -> m_entries
    QHash<QString, int> m_completed; // run + selector -> m_entries
    QVector<ProcessRecord> m_processes; // cases: indices into m_entries
};

} // namespace ctestd
