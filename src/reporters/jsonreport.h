// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/runlistener.h"
#include "runrecord.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

class QIODevice;

namespace ctestd {

// --output-json: the run as one JSON document for scripts and dashboards,
// format "ctestd-run" version 1 (README, "JSON report"): its RunRecord.
// Every reported case with its result, its earlier attempts under
// --repeat, its output (as text, or base64 when it is not UTF-8), every
// test process with its fixture time, and the events in the order they
// happened. Written atomically at the end of the run; a document that
// cannot be written fails a run that passed (exit code 1), as for JUnit.
class JsonReporter final : public RunListener {
public:
    JsonReporter(
        const QString &path, const QStringList &commandLine, QIODevice *err, const ConsoleOptions &console = {});

    bool ready(const RunStart &run, QString *error) override;
    void runStarted(const RunStart &run) override { m_recorder.runStarted(run); }
    void caseStarted(const TestCase &testCase) override { m_recorder.caseStarted(testCase); }
    void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again) override
    {
        m_recorder.attemptFinished(testCase, result, again);
    }
    void caseFinished(const TestCase &testCase, const CaseResult &result) override
    {
        m_recorder.caseFinished(testCase, result);
    }
    int runFinished(const RunEnd &end, int exitCode) override;
    // `ctestd report`: the host the run ran on.
    void setHost(const QString &host) { m_recorder.setHost(host); }

    // The document for `end` (public for tests).
    QByteArray document(const RunEnd &end, int exitCode, const QDateTime &finished) const;

private:
    QString m_path;
    QIODevice *m_err;
    RunRecorder m_recorder;
};

} // namespace ctestd
