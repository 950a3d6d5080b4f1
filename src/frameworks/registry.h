// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArrayList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace ctestd {

class FrameworkAdapter;

// Everything ctestd knows about a framework besides its adapter's code: one
// row per framework. The factory, `--framework auto`, the command line's
// list of names and its help come from these rows, and tst_registry checks
// that the CMake module's list and each adapter's name() agree with them.
// Adding a framework is an adapter, a row here and its tests.
struct FrameworkEntry {
    QString name; // as --framework, FRAMEWORK and the protocol spell it
    std::unique_ptr<FrameworkAdapter> (*create)();
    // `--framework auto`: strings in an executable's file that tell it was
    // built with this framework (see detectFramework()); none: the fallback.
    QByteArrayList markers;
    // Lower is looked for first: a framework whose binaries also link
    // another one's library (GoogleTest with QSignalSpy links Qt Test) must
    // come before that one.
    int detectionOrder = 0;
};

// In the order the command line lists them.
const QVector<FrameworkEntry> &frameworkRegistry();

// The adapter for a framework name ("gtest"), or nullptr if unknown.
std::unique_ptr<FrameworkAdapter> createFrameworkAdapter(const QString &name);

// The names createFrameworkAdapter() knows, in the order the CLI lists them.
QStringList frameworkNames();

} // namespace ctestd
