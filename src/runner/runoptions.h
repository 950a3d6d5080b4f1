// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "ctest/selection.h"
#include "discovery.h"
#include "grouping.h"
#include "protocol/messages.h"
#include "reporters/consolereporter.h"
#include "reporters/testxml.h"
#include "sharding.h"
#include "workersources.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace ctestd {

class WorkerIds;
class WorkerReserve;

// --color=auto|always|never
enum class ColorMode { Auto, Always, Never };

// Everything a `ctestd run` (and `list`, `serve`'s runs) is asked to do.
struct RunOptions {
    QStringList executables;
    QString testDirectory; // a CTest build tree to run instead of executables
    bool testDirectoryGiven = false; // --test-dir on the command line (ctest then says it changes into it)
    QString ctestProgram = QStringLiteral("ctest"); // reads the build tree
    ctest::SelectionOptions selection; // -R -E -L -LE -I -U --rerun-failed (build trees)
    QString configuration; // -C: the configuration of a multi-config build tree
    bool showOnly = false; // -N
    bool showOnlyJson = false; // --show-only=json-v1
    bool printLabels = false; // --print-labels
    ctest::RepeatMode repeat;
    bool stopOnFailure = false;
    bool noTestsIsError = false; // --no-tests=error
    bool scheduleRandom = false;
    bool listJson = false; // `ctestd list --json`
    // `ctestd serve`: run only this fixture group of the executables, from
    // this directory and with these extra arguments.
    QString onlyGroup;
    QString workingDirectory;
    QStringList extraArguments;
    QStringList environment; // "NAME=value", added to the tests' environment
    bool environmentComplete = false; // `environment` replaces the daemon's own (serve)
    // `ctestd serve`: of onlyGroup, only these cases (empty: all of them).
    QSet<QString> onlySelectors;
    // `ctestd serve`: the cases of the one executable, listed already (the
    // daemon keeps listings): the run lists nothing.
    std::optional<DiscoveredExecutable> listed;
    QString framework = QStringLiteral("auto"); // or an adapter's name
    std::optional<Shard> shard; // --shard I/N (or gtest's GTEST_TOTAL_SHARDS/GTEST_SHARD_INDEX)
    int jobs = 0; // 0: one worker per CPU
    int testLoad = -1; // --test-load: start no test above this load; 0: none; -1: the tree's TestLoad
    double timeoutSeconds = -1; // per case; < 0: 1500 s for executables, the tree's own default for a build tree
    double discoveryTimeoutSeconds = 60; // per executable, for listing its cases
    bool groupBySet = false;
    GroupBy groupBy = GroupBy::Suite;
    QString listen; // HOST:PORT for TCP workers; empty: private local socket
    QString advertise; // --advertise HOST:PORT: what workers connect to; empty: the listening address
    // --workers: where workers run; empty: `jobs` local ones.
    QVector<WorkerSource> workerSources;
    QStringList sshCommand {QStringLiteral("ssh")}; // --ssh-command
    QStringList workerCommand; // --worker-command: cmd's template
    // --heartbeat-timeout: a worker silent this long (it answers Ping at
    // once) is lost, its cases requeued; remote workers stop after as long
    // without the daemon's word. 0: no heartbeat.
    double heartbeatTimeoutSeconds = 10;
    int maxWorkerRestarts = -1; // -1: 4 x workers
    // A worker's life (README, "Workers"): --worker-setup, --worker-teardown
    // (shell commands run once in each worker, before its first unit and
    // after its last; empty: none), --hook-timeout, --keep-tmp and
    // --isolate-workdir, as every worker is told them. The id and count in
    // it are the pool's to set.
    protocol::WorkerSetup worker;
    // --launcher: every test process (and listing) runs as these words
    // followed by its own command: valgrind, rr record, qemu-<arch>.
    QStringList launcher;
    QString junitPath;
    QString jsonPath; // --output-json
    QString archivePath; // --archive: the result bundle
    // --archive: the folder under which each test process gets its own
    // empty $CTESTD_ARTIFACT_DIR (main() makes it, the bundle keeps what
    // the processes leave); empty: none.
    QString artifactRoot;
    bool junitLocations = false; // --junit-locations: <testcase file line> (not for Jenkins' xunit)
    QString outputLogPath; // -O: a copy of the console, as ctest writes it
    ColorMode color = ColorMode::Auto; // --color
    bool dashboardTest = false; // -T Test: Testing/TAG and Testing/<tag>/Test.xml
    bool compressOutput = true; // Test.xml's output; --no-compress-output turns it off
    OutputLimits outputLimits; // Test.xml's output: --test-output-size-*, --test-output-truncation
    ConsoleOptions console;
    QString workerProgram; // the ctestd executable that runs `worker`
    // `ctestd serve`: workers kept between runs (it outlives the run, or
    // the run's pool notices it gone); none: each run starts its own.
    WorkerReserve *workerReserve = nullptr;
    // `ctestd serve`: CTESTD_WORKER_ID comes from here, shared by its runs;
    // none: each run's pool numbers its own workers.
    WorkerIds *workerIds = nullptr;
};

} // namespace ctestd
