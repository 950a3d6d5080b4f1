// SPDX-License-Identifier: BSD-3-Clause
#include "merge.h"

#include <QFileInfo>
#include <QHash>
#include <QMap>

#include <algorithm>
#include <numeric>

namespace ctestd {

namespace {

QString shardText(const ShardStamp &stamp)
{
    return QStringLiteral("%1/%2").arg(stamp.index + 1).arg(stamp.count);
}

// The shards must be parts of one split, all present; false with the reason.
bool checkShards(const QVector<RunRecord> &records, const QStringList &names, bool *sharded, QString *error)
{
    int reference = -1;
    for (int i = 0; i < records.size(); ++i) {
        if (records[i].start.shard) {
            reference = i;
            break;
        }
    }
    *sharded = reference >= 0;
    if (!*sharded)
        return true;
    const ShardStamp &ref = *records[reference].start.shard;
    QMap<int, bool> seen;
    for (int i = 0; i < records.size(); ++i) {
        const std::optional<ShardStamp> &stamp = records[i].start.shard;
        if (!stamp) {
            *error = QStringLiteral("%1 is a whole run, but %2 is shard %3 of one: merge the shards of one run only")
                         .arg(names.value(i), names.value(reference), shardText(ref));
            return false;
        }
        if (stamp->count != ref.count || stamp->digest != ref.digest || stamp->allCases != ref.allCases) {
            *error = QStringLiteral("%1 (shard %2) and %3 (shard %4) were not split from the same tests and costs "
                                    "(another build or CTestCostData.txt): some tests may have run twice and others "
                                    "not at all; run every shard on the same build and cost data")
                         .arg(names.value(reference), shardText(ref), names.value(i), shardText(*stamp));
            return false;
        }
        seen.insert(stamp->index, true);
    }
    QStringList missing;
    for (int s = 0; s < ref.count; ++s) {
        if (!seen.contains(s))
            missing.append(QStringLiteral("%1/%2").arg(s + 1).arg(ref.count));
    }
    if (!missing.isEmpty()) {
        *error = QStringLiteral("shard%1 %2 of the run %3 missing: its tests would go unreported")
                     .arg(missing.size() > 1 ? QStringLiteral("s") : QString(), missing.join(QStringLiteral(", ")),
                         missing.size() > 1 ? QStringLiteral("are") : QStringLiteral("is"));
        return false;
    }
    return true;
}

struct MergedCase {
    TestCase testCase;
    QVector<CaseResult> results; // every attempt, in the order of the runs
    bool dispatched = false;
};

} // namespace

bool mergeRunRecords(const QVector<RunRecord> &records, const QStringList &names, RunRecord *merged, QString *error)
{
    if (records.isEmpty()) {
        *error = QStringLiteral("no runs to merge");
        return false;
    }
    if (records.size() == 1) {
        *merged = records.first(); // one shard alone is shown as it is
        return true;
    }
    bool sharded = false;
    if (!checkShards(records, names, &sharded, error))
        return false;

    QVector<MergedCase> cases;
    QHash<QString, int> positionOf;
    QVector<QVector<int>> mergedPosition(records.size()); // per run: its position -> merged position
    for (int r = 0; r < records.size(); ++r) {
        const RunRecord &record = records[r];
        mergedPosition[r].fill(-1, record.end.cases.size());
        for (int i = 0; i < record.end.cases.size(); ++i) {
            const CaseOutcome &outcome = record.end.cases[i];
            if (outcome.leftOut)
                continue;
            const TestCase &testCase = outcome.testCase;
            // Shards of one run share the full list, so #K is the case;
            // elsewhere its program and name are (not the folder: CI jobs
            // check out to different ones).
            const QString key = sharded ? QString::number(testCase.index)
                                        : (testCase.ctestTest ? QString() : QFileInfo(testCase.executable).fileName())
                    + QLatin1Char('\x1f') + testCase.displayName;
            int position = positionOf.value(key, -1);
            if (position < 0) {
                position = int(cases.size());
                positionOf.insert(key, position);
                cases.append({testCase, {}, false});
            }
            MergedCase &entry = cases[position];
            entry.results += record.attempts.value(i);
            entry.results.append(outcome.result);
            entry.dispatched = entry.dispatched || outcome.dispatched;
            mergedPosition[r][i] = position;
        }
    }
    if (sharded && cases.size() != records.first().start.shard->allCases) {
        *error = QStringLiteral("the shards hold %1 of the run's %2 tests: the run cannot be reported whole")
                     .arg(cases.size())
                     .arg(records.first().start.shard->allCases);
        return false;
    }
    // Shards: #K order. Other runs: the order given, numbered anew.
    QVector<int> order(cases.size());
    std::iota(order.begin(), order.end(), 0);
    if (sharded) {
        std::stable_sort(order.begin(), order.end(),
            [&cases](int a, int b) { return cases[a].testCase.index < cases[b].testCase.index; });
    }
    QVector<int> finalPosition(cases.size());
    for (int i = 0; i < order.size(); ++i)
        finalPosition[order[i]] = i;

    RunRecord out;
    const RunRecord &first = records.first();
    out.ctestdVersion = first.ctestdVersion;
    out.console = first.console;
    out.start.projectDirectory = first.start.projectDirectory;
    out.start.junitSuiteName = first.start.junitSuiteName;
    out.start.defaultTimeout = first.start.defaultTimeout;
    out.start.buildTree
        = std::all_of(records.cbegin(), records.cend(), [](const RunRecord &record) { return record.start.buildTree; });
    QStringList hosts;
    for (const RunRecord &record : records) {
        if (!hosts.contains(record.host))
            hosts.append(record.host);
        if (record.start.started.isValid()
            && (!out.start.started.isValid() || record.start.started < out.start.started))
            out.start.started = record.start.started;
        if (!out.finishedUtc.isValid() || record.finishedUtc > out.finishedUtc)
            out.finishedUtc = record.finishedUtc;
        if (!out.end.finished.isValid() || record.end.finished > out.end.finished)
            out.end.finished = record.end.finished;
        // The runs ran side by side (shards) or one after another; the
        // longest is the wall time of the first kind, and a lower bound of
        // the second.
        out.end.wallSeconds = qMax(out.end.wallSeconds, record.end.wallSeconds);
        if (out.end.interruptSignal == 0)
            out.end.interruptSignal = record.end.interruptSignal;
    }
    out.host = hosts.join(QStringLiteral(", "));

    out.attempts.resize(cases.size());
    out.end.cases.resize(cases.size());
    for (int position = 0; position < cases.size(); ++position) {
        MergedCase &entry = cases[position];
        const int at = finalPosition[position];
        TestCase testCase = entry.testCase;
        if (!sharded)
            testCase.index = at + 1;
        testCase.dependsOn.clear();
        // The result: the last failing attempt, else the last one.
        int chosen = int(entry.results.size()) - 1;
        for (int i = chosen; i >= 0; --i) {
            if (isFailure(entry.results[i].status)) {
                chosen = i;
                break;
            }
        }
        CaseOutcome &outcome = out.end.cases[at];
        outcome.testCase = testCase;
        outcome.result = entry.results[chosen];
        outcome.dispatched = entry.dispatched;
        entry.results.remove(chosen);
        out.attempts[at] = entry.results;
    }
    for (const CaseOutcome &outcome : qAsConst(out.end.cases))
        out.start.cases.append(outcome.testCase);
    for (int r = 0; r < records.size(); ++r) {
        for (ProcessRecord process : records[r].end.processes) {
            for (int &position : process.cases)
                position = finalPosition.value(mergedPosition[r].value(position, -1), -1);
            process.cases.removeAll(-1);
            out.end.processes.append(process);
        }
    }
    out.exitCode
        = out.end.interruptSignal != 0 ? 128 + out.end.interruptSignal : ctestExitCode(out.end.reportedResults());
    out.hasEvents = false;
    *merged = out;
    return true;
}

} // namespace ctestd
