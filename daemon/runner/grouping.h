// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "core/testmodel.h"

#include <QVector>

namespace ctestd {

class FrameworkAdapter;

// A fixture group ready to run: cases of one executable that must share a
// process. `cases` are indices into the run's case list, in registration
// order, which is the order the framework runs them in.
struct Unit {
    QString executable;
    QString group;
    QVector<int> cases;
};

// Computes the fixture groups once for the whole run (nose2's _flatten):
// sets TestCase::group on every runnable case and returns one unit per group,
// biggest first (a cheap longest-first order until cost data exists), ties in
// registration order. Disabled cases and cases that already have a result
// (`done[i]`) are left out.
QVector<Unit> groupIntoUnits(
    QVector<TestCase> &cases, const QVector<bool> &done, const FrameworkAdapter &adapter, GroupBy groupBy);

QString groupByName(GroupBy groupBy);
bool groupByFromName(const QString &name, GroupBy *out);

} // namespace ctestd
