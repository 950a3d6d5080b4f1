// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QObject>
#include <QProcess>

#include <functional>

namespace ctestd {

// The tests of a CTest build tree, as ctestd will run them.
struct CTestTree {
    QString directory; // absolute path of the build tree
    QVector<TestCase> cases; // ctest's order; index = ctest's #K
    QStringList notes; // why a test runs on its own instead of with its fixture group (-V)
    QStringList warnings; // properties ctestd does not honour, one line each
    // ctest's default per-test timeout for this tree: "TimeOut:" in
    // DartConfiguration.tcl (1500 with include(CTest)); 0 = none.
    double defaultTimeout = 0;
    // The <testsuite> name of ctest's JUnit for this tree (dartSuiteName()).
    QString junitSuiteName = QStringLiteral("(empty)");
    int testLoad = 0; // "TestLoad:" of DartConfiguration.tcl (CTEST_TEST_LOAD); 0: none
};

// The executable a build tree's CTestTestfile.cmake files give for test
// `name` (json-v1 omits the command when ctest cannot find it), or the name
// itself if no add_test() for it is found.
QString missingCommand(const QString &directory, const QString &name);
// The same test's whole command line (program and arguments), or empty.
QStringList missingCommandLine(const QString &directory, const QString &name);

// The "TimeOut: N" of a DartConfiguration.tcl text, or 0 if it has none.
double dartTimeout(const QByteArray &dartConfiguration);

// The name ctest gives the <testsuite> of its JUnit file: the "BuildName:" of
// a DartConfiguration.tcl text as cmCTest::SafeBuildIdField makes it safe
// (without \ : * ? " < > | and control whitespace, trimmed), or "(empty)".
QString dartSuiteName(const QByteArray &dartConfiguration);

// Turns `ctest --show-only=json-v1` output into cases. Tests registered by
// gtest_discover_tests (`exe --gtest_filter=Suite.Case
// --gtest_also_run_disabled_tests` with nothing ctestd cannot honour for a
// whole group) become gtest cases of their executable, so they can share a
// process; everything else is a plain test that runs alone, as ctest runs it.
[[nodiscard]] bool parseCTestJson(const QByteArray &json, const QString &directory, CTestTree *tree, QString *error);

// Whether a build tree may hold tests that exist only under -C: a
// CTestTestfile.cmake reachable through subdirs() from the top one names
// NOT_AVAILABLE, as CMake writes for a multi-config generator's tests.
bool mayNeedConfiguration(const QString &directory);

// json-v1 leaves out the tests that have no command without -C, while
// `ctest -N` lists them, and ctest runs them as "not available". Adds them
// to `tree` at their places from ctest -N's listing (`listing`), as
// TestCase::needsConfiguration cases, and renumbers. False, with `error`,
// when the two lists do not agree.
[[nodiscard]] bool addTestsNeedingConfiguration(const QByteArray &listing, CTestTree *tree, QString *error);

// Reads a build tree by running `ctest --show-only=json-v1` in it (with -C
// when a configuration is given), and `ctest -N` when json-v1 may have left
// tests out (mayNeedConfiguration()).
class CTestTreeReader : public QObject {
    Q_OBJECT
public:
    CTestTreeReader(
        const QString &directory, const QString &ctestProgram, const QString &configuration, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    // `error` is a one-line message when the tree cannot be read.
    void finished(const ctestd::CTestTree &tree, const QString &error);

private:
    // Runs ctest with `arguments` in the tree; `done` gets its stdout, or
    // the reader finishes with the failure.
    void runCtest(const QStringList &arguments, std::function<void(const QByteArray &)> done);
    void listed(const QByteArray &json);

    QString m_directory;
    QString m_ctest;
    QString m_configuration;
    CTestTree m_tree;
};

} // namespace ctestd
