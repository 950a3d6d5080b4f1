// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "selection.h"

#include <QString>
#include <QVector>

namespace ctestd::ctest {

// One line of `ctest -N`.
struct ListedTest {
    int number = 0; // ctest's #K
    QString name;
    bool disabled = false;
};

// The stdout of `ctest -N` (ctest 3.25.1, byte for byte, without -V):
//
//   Test project <projectDir>
//     Test  #9: offC (Disabled)
//     Test #10: Name with space
//   <empty line>
//   Total Tests: 2
//
// " #K:" is right-aligned to 3 + the digits of the largest #K listed (so a
// subset selected by -R may use a narrower column than the full list).
// projectDir is ctest's working directory: $PWD when it names the current
// directory (symlinks kept), else the canonical path; after --test-dir ctest
// has changed directory, so it is the canonical path of that directory.
QString showOnlyText(const QString &projectDir, const QVector<ListedTest> &tests);

// The same for a selection, with what ctest prints around it: the
// label-regex compile messages before the "Test project" line, the -R/-E
// ones right after it.
QString showOnlyText(const QString &projectDir, const QVector<TestInfo> &tests, const Selection &selection);

// ctest --print-labels: the labels of the selected tests, each once, sorted
// by their bytes ("Beta" before "alpha"), under "All Labels:", or "No Labels
// Exist"; around them what showOnlyText() prints around its list.
QString printLabelsText(const QString &projectDir, const QVector<TestInfo> &tests, const Selection &selection);

// The selected tests as `ctest -N` lists them.
QVector<ListedTest> listedTests(const QVector<TestInfo> &tests, const Selection &selection);

// The first line ctest prints (on stdout, in every mode) when given
// --test-dir DIR: "Internal ctest changing into directory: <DIR>\n", DIR
// made absolute against the current directory and cleaned ("./build/" ->
// "/abs/build"), symlinks not resolved.
QString changingDirectoryLine(const QString &absoluteDir);

} // namespace ctestd::ctest
