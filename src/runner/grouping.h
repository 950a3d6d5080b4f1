// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QSet>
#include <QVector>

#include <optional>

namespace ctestd {

// A fixture group ready to run: cases of one executable, with one way of
// running it, that must share a process. `cases` are indices into the run's
// case list, in registration order, which is the order the framework runs
// them in. The scheduling fields are the union of the cases'.
struct Unit {
    QString executable;
    QString framework;
    GroupKey group;
    QVector<int> cases;

    QVector<int> dependsOn; // cases outside the unit that must finish first
    QStringList resourceLocks;
    bool runSerial = false;
    int processors = 1;
    double cost = 0; // sum of the cases' costs
    bool failedLastTime = false;
    // Whether other groups may share its process (see packUnits): its
    // framework reports cases one by one and the user did not ask for one
    // process per case.
    bool packable = false;
    // Whether its groups may be split over processes when that is faster
    // (splitUnits): they are the framework's default fixture groups, by
    // suite; neither the user (--group-by, GROUP_BY, a registered group)
    // nor the framework (a Qt Test class, a Boost.Test global fixture,
    // which group by executable) holds them together.
    bool splittable = false;
    // A run that re-checks cases an earlier process's exit status left
    // unconfirmed (UnitFinished::unconfirmed): if its exit contradicts the
    // stream again, each case runs alone.
    bool confirming = false;
};

// Computes the fixture groups once for the whole run (nose2's _flatten):
// sets TestCase::group on every runnable case and returns one unit per group,
// in registration order. Cases share a group only if they share the
// executable, the framework, and every detail of how the process is started
// (arguments, working directory, environment, timeout). `groupBy` overrides
// each framework's default; plain tests are always one case per unit.
// Disabled cases and cases that already have a result (`done[i]`) are left out.
QVector<Unit> groupIntoUnits(QVector<TestCase> &cases, const QVector<bool> &done, std::optional<GroupBy> groupBy);

// Packs small units that may share a process into batches, to save process
// starts: a group is never split, and its fixture still runs once, because a
// framework runs each group's fixture once per process whatever else runs
// in it. Only units with the same way of starting the process and no
// scheduling constraints are packed. The batch size aims at about eight units
// per worker, so that the batches still spread evenly over `jobs` workers
// (with four, 20 equal groups became 7 batches: one worker got 4 of them).
QVector<Unit> packUnits(const QVector<Unit> &units, int jobs);

// Whether a unit must keep a process of its own: it may not be packed
// (see Unit::packable), or it has scheduling constraints (dependencies,
// resource locks, RUN_SERIAL, more than one processor).
bool keepsOwnProcess(const Unit &unit);

// Adds `unit` to `batch`: its cases, cost and name.
void addToBatch(Unit &batch, const Unit &unit);

// ctest's order: last run's failures first, then the most expensive; ties
// go to the unit with more cases (a cheap longest-first guess when there is
// no cost data yet), then to registration order.
void sortUnits(QVector<Unit> &units);

// ctest's order for a serial run (-j1), which ignores costs and last
// failures: by first case (#K order), each unit preceded by the units it
// depends on, directly or not, that are not placed yet, themselves in #K
// order. The scheduler then starts the first one whose dependencies are
// done, as ctest does.
void sortUnitsSerially(QVector<Unit> &units);

QString groupByName(GroupBy groupBy);
bool groupByFromName(const QString &name, GroupBy *out);

} // namespace ctestd
