// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "grouping.h"

#include <QVector>

namespace ctestd {

// What planning knows of each case from earlier runs: its time, and the
// fixture time of its group (the process's start and the group's set-up
// and teardown), both in seconds; negative where nothing is known.
struct CaseEstimate {
    double seconds = -1;
    double fixtureSeconds = -1;
};

// What a process start costs beyond the fixture: the worker's and the
// framework's own start, when no record says (measured: a gtest binary of
// 2,000 cases starts in about 3 ms).
inline constexpr double ProcessStartSeconds = 0.003;
// What each case costs ctestd beyond its own time (reading its events,
// reporting it), added to every case when planning: a suite of 2,000
// empty cases is not free.
inline constexpr double CaseOverheadSeconds = 0.00002;
// The least a batch packed by cost is planned to take: below it a
// process start is more than a tenth of the batch.
inline constexpr double MinBatchSeconds = 0.05;

// Whether planning knows the time of any case of `units`.
bool hasEstimates(const QVector<Unit> &units, const QVector<CaseEstimate> &estimates);

// packUnits() for a run with estimates: the groups that may share a
// process are packed, per way of starting it, into batches of about equal
// expected time, longest group first into the lightest batch, about two
// batches per worker but none planned under MinBatchSeconds. With times
// known, few batches balance as well as many, and each batch fewer saves a
// process start and the gap before it (a trivial suite of 2,000 cases went
// from 16 processes to 2). Units that keep a process of their own pass
// through.
QVector<Unit> packByCost(const QVector<Unit> &units, const QVector<CaseEstimate> &estimates, int jobs);

// Splits fixture groups over processes where that shortens the run
// (README, "Fixture groups"). A unit is cut only where its cases may part:
// between two groups of a batch, or inside a group that the framework's
// default formed and no constraint holds together (Unit::splittable). Each
// part runs its group's fixture again, so a part costs its fixture plus its
// cases:
// the unit whose largest part is the largest is split into one more part as
// long as that shortens the longest-first schedule of all parts over
// `workers` by more than a process start and a quarter of the work it adds.
// An expensive fixture stays in one process; a free one ends as one process
// per case if workers wait. Without estimates (a first run) nothing is split:
// nothing tells a cheap fixture from an expensive one yet.
// Each part's `cost` is its estimate in seconds, for longest-first ordering,
// except where a part holds a build tree's test that runs as ctest runs it:
// its cost stays ctest's (COST, CTestCostData.txt), as does its order.
QVector<Unit> splitUnits(
    const QVector<Unit> &units, const QVector<TestCase> &cases, const QVector<CaseEstimate> &estimates, int workers);

} // namespace ctestd
