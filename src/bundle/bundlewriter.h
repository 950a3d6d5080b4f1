// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/runlistener.h"
#include "reporters/junitwriter.h"
#include "reporters/runrecord.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

class QIODevice;

namespace ctestd {

class ConsoleCapture;

// What a bundle says about the run besides its record.
struct BundleSettings {
    QString path; // the bundle; its extension chooses the format
    QStringList commandLine;
    QString workingDirectory;
    QJsonObject selection; // what the command line selected (the manifest's "selection")
    bool junitLocations = false; // the bundle's JUnit as --junit-locations writes it
};

// Writes the bundle `settings.path` of `record` (FORMAT.md): the manifest,
// the record, the console texts and `junit` as given, the CTest files a
// build tree's run wrote, and what each process left in its artifact
// folder (ProcessRecord::artifactDirectory). To a temporary file, renamed
// once complete; false with the reason.
[[nodiscard]] bool writeBundle(const BundleSettings &settings, RunRecord record, const QByteArray &stdoutText,
    const QByteArray &stderrText, const QByteArray &junit, QString *error);

// --archive: writes the run's result bundle when the run ends (FORMAT.md):
// the manifest, the run record, the console exactly as printed, the JUnit
// file, the CTest files the run wrote, and what each test process left in
// its $CTESTD_ARTIFACT_DIR. Written to a temporary file and renamed, so a
// reader never sees half a bundle; an interrupted run still ends here,
// with its unrun cases marked. Added after every other output, so that it
// holds their files and the exit code they give the run; a bundle that
// cannot be written fails a run that passed (exit code 1).
class BundleWriter final : public RunListener {
public:
    BundleWriter(
        const BundleSettings &settings, const RunRecorder *recorder, const ConsoleCapture *capture, QIODevice *err);

    bool ready(const RunStart &run, QString *error) override;
    void runStarted(const RunStart &run) override;
    void caseFinished(const TestCase &testCase, const CaseResult &result) override
    {
        m_junitCases.add(testCase, result);
    }
    int runFinished(const RunEnd &end, int exitCode) override;

    // Writes the bundle for the recorded run; false with the reason.
    [[nodiscard]] bool write(const RunEnd &end, int exitCode, QString *error);

private:
    JUnitRunInfo junitInfo(const RunStart &run) const;

    BundleSettings m_settings;
    PreparedJUnitCases m_junitCases;
    const RunRecorder *m_recorder;
    const ConsoleCapture *m_capture;
    QIODevice *m_err;
};

} // namespace ctestd
