// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QObject>
#include <QProcess>

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
};

// The executable a build tree's CTestTestfile.cmake files give for test
// `name` (json-v1 omits the command when ctest cannot find it), or the name
// itself if no add_test() for it is found.
QString missingCommand(const QString &directory, const QString &name);

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

// Reads a build tree by running `ctest --show-only=json-v1` in it.
class CTestTreeReader : public QObject {
    Q_OBJECT
public:
    CTestTreeReader(const QString &directory, const QString &ctestProgram, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    // `error` is a one-line message when the tree cannot be read.
    void finished(const ctestd::CTestTree &tree, const QString &error);

private:
    QString m_directory;
    QString m_ctest;
    QProcess m_process;
};

} // namespace ctestd
