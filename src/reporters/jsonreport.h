// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/runlistener.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

class QIODevice;

namespace ctestd {

// --output-json: the run as one JSON document for scripts and dashboards,
// format "ctestd-run" version 1 (README, "JSON report"). Every reported
// case with its result, its earlier attempts under --repeat, its output
// (as text, or base64 when it is not UTF-8), and every test process with
// its fixture time. Written atomically at the end of the run; a document
// that cannot be written fails a run that passed (exit code 1), as for
// JUnit.
class JsonReporter final : public RunListener {
public:
    JsonReporter(const QString &path, const QStringList &commandLine, QIODevice *err);

    bool ready(const RunStart &run, QString *error) override;
    void runStarted(const RunStart &run) override;
    void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again) override;
    int runFinished(const RunEnd &end, int exitCode) override;

    // The document for `end` (public for tests).
    QByteArray document(const RunEnd &end, int exitCode, const QDateTime &finished) const;

    static constexpr int FormatVersion = 1;

private:
    struct Attempt {
        Status status;
        double seconds;
    };

    QString m_path;
    QStringList m_commandLine;
    QIODevice *m_err;
    QString m_project;
    bool m_buildTree = false;
    QDateTime m_started;
    QHash<int, QVector<Attempt>> m_attempts; // case #K -> attempts that ran again
};

} // namespace ctestd
