// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "config.h"
#include "protocol/messages.h"
#include "runner/runcontroller.h"

#include <QJsonObject>
#include <QProcessEnvironment>

namespace ctestd {

enum class Command { Run, Worker, List, Serve, Case, Report, Help, Version };

// `ctestd report BUNDLE...`: what to write from the bundles. The console
// switches add to those the run had.
struct ReportOptions {
    QStringList bundles;
    QString junitPath;
    QString jsonPath;
    bool junitLocations = false;
    QString artifactsDirectory; // --artifacts DIR: copy the bundles' artifacts there
    bool outputOnFailure = false;
    bool verbose = false;
    bool quiet = false;
    std::optional<int> durations;
    ColorMode color = ColorMode::Auto;
};

struct CommandLine {
    Command command = Command::Run;
    RunOptions run;
    QString connectAddress; // worker: where the daemon listens
    bool keyFromStdin = false; // worker: the key is stdin's first line, not CTESTD_KEY
    qint64 launchId = 0; // worker: --launch-id, said back in Ready
    int workerSilenceLimitMs = 0; // worker: --heartbeat-timeout; 0: none
    QString buildDirectory; // serve, case: the build tree whose daemon it is
    protocol::CaseRequest caseRequest; // case: what to ask the daemon
    ReportOptions report; // report
    bool debugLogging = false;
    // The settings a file may default (README, "Defaults from a file") that
    // the command line gave: "parallel", "timeout", ...
    QSet<QString> given;
    bool showConfig = false; // --show-config: print `settings` and stop
    QVector<SettingOrigin> settings; // each setting's value and where it came from
    QString configFile; // where ctestd.ini was looked for
    QString error; // non-empty: a usage error, to print with the usage hint
};

// Parses ctestd's command line (without the program name). Options use
// ctest's spelling where ctest has the same idea, so switching is a matter of
// changing the command name. A run also takes what ctest takes from
// `environment` (CTEST_PARALLEL_LEVEL for a build tree,
// CTEST_OUTPUT_ON_FAILURE, CTEST_NO_TESTS_ACTION) where the command line is
// silent.
// Whether the console is coloured. --color=always|never decide; with auto
// (the default), CLICOLOR_FORCE (set, not "0") forces colour, NO_COLOR (set,
// not empty) turns it off, and otherwise a terminal (not TERM=dumb) gets
// colour, as under ctest.
bool useColor(ColorMode mode, bool stdoutIsTerminal, const QProcessEnvironment &environment);

CommandLine parseCommandLine(
    const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

QString usageText();

// What a run's command line selected, for a bundle's manifest: the
// executables or the build tree, the configuration, the regexes and
// labels, -I, and the shard.
QJsonObject selectionSummary(const RunOptions &options);

} // namespace ctestd
