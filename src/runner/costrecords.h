// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "splitting.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace ctestd {

// ctestd's own record of what one executable's cases and fixture groups
// took in its last runs on this machine, for planning the next run
// (splitUnits, longest first). CTestCostData.txt has the cases' times only,
// and only in a build tree; these also hold each group's fixture time.
//
// One file per executable, under $CTESTD_COSTS (default
// $XDG_CACHE_HOME/ctestd/costs, else ~/.cache/ctestd/costs; "off" keeps
// none), named by a hash of the executable's path. Lines:
//   ctestd-costs 1 <TAB> <executable>
//   case <TAB> <seconds> <TAB> <selector>
//   fixture <TAB> <seconds> <TAB> <group>
// A line that does not fit (a negative or absurd time, another format) is
// ignored with a --debug note; the rest still counts. Records only ever
// plan: a wrong one costs time, never a result. Files not written for 30
// days are removed when records are saved.
struct CostRecords {
    QHash<QString, double> cases; // selector -> seconds
    QHash<QString, double> fixtures; // group name -> seconds

    bool isEmpty() const { return cases.isEmpty() && fixtures.isEmpty(); }
};

// The folder records are kept in; empty when they are off.
QString costRecordsDirectory();
// The record file of `executable` (an absolute path) under `directory`.
QString costRecordsPath(const QString &directory, const QString &executable);

// What the file holds for `executable`; empty when there is no file or it
// is another executable's.
CostRecords readCostRecords(const QString &path, const QString &executable);
// Replaces the file (written aside, then renamed). False with `error`.
[[nodiscard]] bool writeCostRecords(
    const QString &path, const QString &executable, const CostRecords &records, QString *error);

// A run's cost records: read once per executable when the run is planned,
// updated as its processes end, written back when it is over.
class CostLedger {
public:
    // `directory` empty: nothing is read or written.
    explicit CostLedger(const QString &directory)
        : m_directory(directory)
    { }

    // By case index. A case's time is its record, else its COST or
    // CTestCostData.txt figure; its fixture's is its group's record.
    QVector<CaseEstimate> estimates(const QVector<TestCase> &cases);
    // What one process of `executable` showed: its cases' times by
    // selector and its groups' fixture times by name. Times that are not
    // plausible are not learned.
    void learn(const QString &executable, const QHash<QString, double> &caseSeconds,
        const QHash<QString, double> &fixtureSeconds);
    // Writes back what changed; a file that cannot be written is a --debug
    // note, never the run's failure.
    void save();

private:
    CostRecords &recordsOf(const QString &executable);

    QString m_directory;
    QHash<QString, CostRecords> m_records; // by executable
    QSet<QString> m_changed;
};

} // namespace ctestd
