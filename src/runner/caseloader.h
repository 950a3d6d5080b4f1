// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "ctest/dashboard.h"
#include "model/defaults.h"
#include "model/testmodel.h"
#include "runoptions.h"

#include <QObject>
#include <QVector>

#include <optional>

class QIODevice;

namespace ctestd {

struct CTestTree;
struct DiscoveredExecutable;

// What a run is to run, before anything runs.
struct LoadedCases {
    QString projectDirectory; // "Test project <dir>"; the build tree in tree mode
    QString junitSuiteName; // tree mode: ctest's <testsuite> name for plain tests
    double defaultTimeout = defaults::CaseTimeoutSeconds; // per case, where the case names none
    QVector<TestCase> cases; // in reporting order; index is ctest's #K
    // Results settled before the run (a listing that failed, a missing
    // executable or required file), where isPreset says so.
    QVector<CaseResult> preset;
    QVector<bool> isPreset;
    QByteArray nameRegexMessages; // ctest's words for a bad -R/-E, after "Test project"
    std::optional<ctest::Dashboard> dashboard; // -T Test: the tree's tag, for Test.xml
    int testLoad = 0; // the tree's TestLoad (DartConfiguration.tcl)
};

// The first half of a run: which cases there are. For executables it lists
// them (Discovery); for a CTest build tree it reads the tree and applies
// ctest's selection (-R, -E, -L, --rerun-failed, fixtures), ctest's refusals
// (missing executables and required files) and its dependency check. What
// ctest prints before "Test project" (the directory change, label regex
// messages) and everything -N prints are written here.
class CaseLoader : public QObject {
    Q_OBJECT
public:
    CaseLoader(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    void loaded(const ctestd::LoadedCases &cases);
    // The run ends before running anything: -N or json-v1 listed the tests, a
    // dependency cycle, a tree that cannot be read.
    void stopped(int exitCode);

private:
    // --show-only=json-v1: ctest's own answer, which lists exactly the tests
    // ctestd reads and would run.
    void showJson();
    void discovered(const QVector<DiscoveredExecutable> &results);
    void treeRead(const CTestTree &tree, const QString &error);

    RunOptions m_options;
    QIODevice *m_out;
    QIODevice *m_err;
};

// The first case (by position) that depends on itself through DEPENDS or
// fixtures, or -1.
int firstInCycle(const QVector<TestCase> &cases);

} // namespace ctestd
