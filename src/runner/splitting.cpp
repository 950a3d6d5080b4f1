// SPDX-License-Identifier: BSD-3-Clause
#include "splitting.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <queue>

namespace ctestd {

namespace {

// Planning rounds without a shorter schedule before planning gives up:
// equal groups on more workers shorten the run only once each of them is
// cut (four groups of 1.6 s on eight workers: the fourth cut gains 0.8 s).
int patience(int workers)
{
    return 2 * workers + 4;
}

// One unit while it is planned: what each of its cases costs and where it
// may be cut.
struct Plan {
    Unit unit;
    QVector<double> caseSeconds; // by position in unit.cases
    QVector<double> fixtureSeconds; // of the case's group, by position
    QVector<bool> groupStarts; // position p begins another group than p - 1
    QVector<bool> mayCut; // a part may begin at position p
    int cuts = 0; // positions where a part may begin, beyond the first
    int parts = 1;
    QVector<int> starts {0}; // the parts' first positions
    QVector<double> partSeconds;
};

double partCost(const Plan &plan, int from, int to)
{
    double seconds = ProcessStartSeconds;
    for (int p = from; p < to; ++p) {
        if (p == from || plan.groupStarts[p])
            seconds += plan.fixtureSeconds[p];
        seconds += plan.caseSeconds[p];
    }
    return seconds;
}

// Cuts the unit into at most `parts` runs of cases of about equal cost,
// where it may be cut.
void cut(Plan &plan, int parts)
{
    double total = 0;
    for (double seconds : qAsConst(plan.caseSeconds))
        total += seconds;
    const double share = total / parts;
    plan.starts = {0};
    double sofar = 0;
    for (int p = 0; p < plan.caseSeconds.size(); ++p) {
        if (p > 0 && plan.mayCut[p] && plan.starts.size() < parts && sofar >= share * plan.starts.size() - 1e-12)
            plan.starts.append(p);
        sofar += plan.caseSeconds[p];
    }
    plan.parts = int(plan.starts.size());
    plan.partSeconds.clear();
    for (int i = 0; i < plan.starts.size(); ++i) {
        const int to = i + 1 < plan.starts.size() ? plan.starts[i + 1] : int(plan.caseSeconds.size());
        plan.partSeconds.append(partCost(plan, plan.starts[i], to));
    }
}

// The longest-first schedule's length: each part, longest first, to the
// worker that is free first.
double makespan(const QVector<Plan> &plans, int workers)
{
    QVector<double> parts;
    for (const Plan &plan : plans)
        parts += plan.partSeconds;
    std::sort(parts.begin(), parts.end(), std::greater<double>());
    std::priority_queue<double, std::vector<double>, std::greater<double>> free;
    for (int i = 0; i < workers; ++i)
        free.push(0);
    double end = 0;
    for (double seconds : qAsConst(parts)) {
        const double start = free.top();
        free.pop();
        free.push(start + seconds);
        end = qMax(end, start + seconds);
    }
    return end;
}

double work(const QVector<Plan> &plans)
{
    double seconds = 0;
    for (const Plan &plan : plans) {
        for (double part : plan.partSeconds)
            seconds += part;
    }
    return seconds;
}

double largestPart(const Plan &plan)
{
    return *std::max_element(plan.partSeconds.cbegin(), plan.partSeconds.cend());
}

// The plan that can still be cut whose largest part is the largest, or -1:
// if cutting it does not shorten the schedule, no cut does yet.
int mostWorthCutting(const QVector<Plan> &plans)
{
    int candidate = -1;
    for (int i = 0; i < plans.size(); ++i) {
        if (plans[i].parts <= plans[i].cuts && (candidate < 0 || largestPart(plans[i]) > largestPart(plans[candidate])))
            candidate = i;
    }
    return candidate;
}

// One more part; false, with the plan marked as cut as far as it goes, when
// its places to cut do not allow another.
bool cutOnceMore(Plan &plan)
{
    const int before = plan.parts;
    cut(plan, before + 1);
    if (plan.parts > before)
        return true;
    plan.cuts = before - 1;
    return false;
}

// A case's planned time: its estimate, else what known cases take on
// average, plus what ctestd spends on it.
double plannedSeconds(const CaseEstimate &estimate, double unknownSeconds)
{
    return (estimate.seconds >= 0 ? estimate.seconds : unknownSeconds) + CaseOverheadSeconds;
}

double meanKnownSeconds(const QVector<Unit> &units, const QVector<CaseEstimate> &estimates, int *knownCount)
{
    double known = 0;
    *knownCount = 0;
    for (const Unit &unit : units) {
        for (int index : unit.cases) {
            const double seconds = estimates.value(index).seconds;
            if (seconds >= 0) {
                known += seconds;
                ++*knownCount;
            }
        }
    }
    return *knownCount > 0 ? known / *knownCount : 0.0;
}

} // namespace

bool hasEstimates(const QVector<Unit> &units, const QVector<CaseEstimate> &estimates)
{
    int knownCount = 0;
    meanKnownSeconds(units, estimates, &knownCount);
    return knownCount > 0;
}

QVector<Unit> packByCost(const QVector<Unit> &units, const QVector<CaseEstimate> &estimates, int jobs)
{
    int knownCount = 0;
    const double unknownSeconds = meanKnownSeconds(units, estimates, &knownCount);
    // Each unit's expected time in a batch: its group's fixture and its
    // cases (the batch's process starts once).
    QVector<double> seconds(units.size(), 0.0);
    double total = 0;
    for (int u = 0; u < units.size(); ++u) {
        const Unit &unit = units[u];
        seconds[u] += qMax(0.0, estimates.value(unit.cases.constFirst()).fixtureSeconds);
        for (int index : unit.cases)
            seconds[u] += plannedSeconds(estimates.value(index), unknownSeconds);
        total += seconds[u];
    }
    const double target = qMax(total / (2.0 * qMax(1, jobs)), MinBatchSeconds);

    QVector<Unit> packed;
    QHash<QString, QVector<int>> byLaunch; // launch key -> units that may share its processes
    QStringList launches; // in order of first appearance
    for (int u = 0; u < units.size(); ++u) {
        if (keepsOwnProcess(units[u])) {
            packed.append(units[u]);
            continue;
        }
        auto &members = byLaunch[units[u].group.launch];
        if (members.isEmpty())
            launches.append(units[u].group.launch);
        members.append(u);
    }
    for (const QString &launch : qAsConst(launches)) {
        QVector<int> members = byLaunch.value(launch);
        double launchTotal = 0;
        for (int u : qAsConst(members))
            launchTotal += seconds[u];
        const int binCount = qBound(1, int(launchTotal / target + 0.5), int(members.size()));
        // Longest first, each into the lightest batch (ties: the first).
        std::stable_sort(members.begin(), members.end(), [&](int a, int b) { return seconds[a] > seconds[b]; });
        QVector<double> load(binCount, 0.0);
        QVector<int> first(binCount, -1); // the batch's first unit, in `packed`
        for (int u : qAsConst(members)) {
            const int bin = int(std::min_element(load.cbegin(), load.cend()) - load.cbegin());
            load[bin] += seconds[u];
            if (first[bin] < 0) {
                first[bin] = int(packed.size());
                packed.append(units[u]);
            } else {
                addToBatch(packed[first[bin]], units[u]);
            }
        }
    }
    // The framework runs cases in registration order; the worker expects them so.
    for (Unit &unit : packed)
        std::sort(unit.cases.begin(), unit.cases.end());
    return packed;
}

QVector<Unit> splitUnits(
    const QVector<Unit> &units, const QVector<TestCase> &cases, const QVector<CaseEstimate> &estimates, int workers)
{
    // Unknown cases cost what the known ones do on average; unknown
    // fixtures nothing beyond the process start.
    int knownCount = 0;
    const double unknownSeconds = meanKnownSeconds(units, estimates, &knownCount);
    // A first run starts by groups: nothing tells a cheap fixture yet.
    if (knownCount == 0 || workers <= 1)
        return units;

    QVector<Plan> plans;
    plans.reserve(units.size());
    for (const Unit &unit : units) {
        Plan plan;
        plan.unit = unit;
        const int n = int(unit.cases.size());
        plan.caseSeconds.resize(n);
        plan.fixtureSeconds.resize(n);
        plan.groupStarts.resize(n);
        plan.mayCut.resize(n);
        QSet<int> members(unit.cases.cbegin(), unit.cases.cend());
        bool bound = !unit.splittable; // held together inside its groups
        for (int p = 0; p < n && !bound; ++p) {
            for (int dependency : qAsConst(cases[unit.cases[p]].dependsOn))
                bound = bound || members.contains(dependency);
        }
        for (int p = 0; p < n; ++p) {
            const int index = unit.cases[p];
            const CaseEstimate estimate = estimates.value(index);
            plan.caseSeconds[p] = plannedSeconds(estimate, unknownSeconds);
            plan.fixtureSeconds[p] = qMax(0.0, estimate.fixtureSeconds);
            plan.groupStarts[p] = p > 0 && cases[index].group != cases[unit.cases[p - 1]].group;
            // Packed batches part between their groups; a group only where
            // nothing holds its cases together.
            // Parts that could not run side by side (a lock, RUN_SERIAL,
            // dependencies) gain nothing.
            plan.mayCut[p] = p > 0 && !unit.runSerial && unit.dependsOn.isEmpty() && unit.resourceLocks.isEmpty()
                && (plan.groupStarts[p] || !bound);
            plan.cuts += plan.mayCut[p] ? 1 : 0;
        }
        cut(plan, 1);
        plans.append(plan);
    }

    // Cut the unit with the largest part, again and again; keep the
    // plan with the shortest schedule, if it is shorter by more than a
    // process start and by a quarter of the work the cuts add (each
    // part runs its fixture: an expensive one is not run four more
    // times to end a few milliseconds sooner). Cuts that change nothing
    // yet are kept trying for a while: the schedule shortens once every
    // equal group is cut.
    QVector<Plan> best = plans;
    double bestLength = makespan(plans, workers);
    double bestWork = work(plans);
    for (int idle = 0; idle < patience(workers);) {
        const int candidate = mostWorthCutting(plans);
        if (candidate < 0)
            break;
        if (!cutOnceMore(plans[candidate]))
            continue;
        const double length = makespan(plans, workers);
        const double added = work(plans) - bestWork;
        if (length < bestLength - qMax(ProcessStartSeconds, added / 4)) {
            best = plans;
            bestLength = length;
            bestWork += added;
            idle = 0;
        } else {
            ++idle;
        }
    }
    plans = best;

    QVector<Unit> split;
    for (const Plan &plan : qAsConst(plans)) {
        for (int i = 0; i < plan.starts.size(); ++i) {
            const int from = plan.starts[i];
            const int to = i + 1 < plan.starts.size() ? plan.starts[i + 1] : int(plan.unit.cases.size());
            Unit part = plan.unit;
            if (plan.parts > 1) {
                part.cases = plan.unit.cases.mid(from, to - from);
                part.cost = 0;
                for (int index : qAsConst(part.cases))
                    part.cost += cases[index].cost;
            }
            // Longest first by what it is expected to take; a tree's test
            // that runs as ctest runs it keeps ctest's figure and so ctest's order.
            const bool ctestOrder = std::any_of(
                part.cases.cbegin(), part.cases.cend(), [&cases](int index) { return cases[index].ctestTest; });
            if (!ctestOrder)
                part.cost = plan.partSeconds[i];
            split.append(part);
        }
    }
    return split;
}

} // namespace ctestd
