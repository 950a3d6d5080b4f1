// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

namespace ctestd::ctest {

// Testing/Temporary/CTestCostData.txt, as ctest 3.25 reads and writes it:
//
//   <name> <runs> <average seconds>     one line per test ("%d" and "%g" of a float)
//   ---
//   <name>                               the tests that failed in the last run
//
// ctest does not escape anything: a line is split at single spaces, the first
// field is the name, so a test whose name holds a space never finds its own
// line again ("beta gamma 1 0.1" reads as test "beta", 0 runs, cost 1).
struct CostEntry {
    QString name;
    int runs = 0;
    float cost = 0.0f;
    bool operator==(const CostEntry &o) const { return name == o.name && runs == o.runs && cost == o.cost; }
};

struct CostData {
    QVector<CostEntry> entries; // file order; a name may repeat
    QStringList failed; // the section after "---"
    bool operator==(const CostData &o) const { return entries == o.entries && failed == o.failed; }
};

// Parses the file the way ctest does: lines are split at ' ' like
// cmSystemTools::SplitString (a run of spaces yields fields holding spaces),
// runs and cost are read like atoi()/atof() (garbage reads as 0). Reading of
// entries stops at "---" or at the first line with fewer than three fields
// (an empty line included); ctest then ignores the rest of the file, "---"
// section included, and its next update drops those lines. Non-empty lines
// after "---" are the failed names.
CostData parseCostData(const QByteArray &bytes);
QByteArray serializeCostData(const CostData &data);

// A missing file reads as empty data, not as an error.
[[nodiscard]] bool readCostData(const QString &path, CostData *data, QString *error);
// Atomic (QSaveFile); creates the directory if needed.
[[nodiscard]] bool writeCostData(const QString &path, const CostData &data, QString *error);

// ctest's "%g" of a cost (6 significant digits, locale independent).
QByteArray formatCost(float cost);

// One run of one test in this ctest invocation. Give a record for every test
// the run selected, including Disabled and Not Run ones, in completion order;
// a test repeated by --repeat has one record per run.
struct RunRecord {
    int index = 0; // ctest's #K; orders the tests that are new to the file
    QString name;
    Status status = Status::Passed;
    double seconds = 0.0; // wall time of the run
    float costProperty = 0.0f; // the test's COST property (0 when unset)
};

// The file ctest 3.25 writes after a run (cmCTestMultiProcessHandler
// ReadCostData / ComputeWeightedCost / UpdateCostData), given the file it
// read before (`previous`, as parsed above):
// - A test of this run starts from its COST property and 0 runs. Its line in
//   `previous` (exact name match; the last one if it repeats) gives its runs;
//   it gives its cost too, but only in a parallel run (-j > 1) and only if
//   the COST property is 0. So a serial run starts every average at COST.
// - Each Passed run updates: cost = float((runs * cost + seconds) / (runs + 1)),
//   runs += 1. Failed, timed-out, crashed, skipped, disabled and not-run
//   tests keep runs and cost (the cost they started from: 0 or COST in a
//   serial run). There is no cap on runs.
// - The lines of `previous` are rewritten in order: a test of this run with
//   its new values (every line with its name), any other line unchanged.
//   Tests of this run without a line are appended in #K order.
// - The "---" section becomes the tests whose last run failed (Failed,
//   Timeout, Crashed, Not Run; not Skipped or Disabled), in completion order.
CostData updated(const CostData &previous, const QVector<RunRecord> &thisRun, bool parallel);

// Testing/Temporary/LastTestsFailed.log: "K:name" per failed test, in #K order.
struct FailedTest {
    int number = 0; // ctest's #K
    QString name;
    bool operator==(const FailedTest &o) const { return number == o.number && name == o.name; }
};

// Parses like ctest --rerun-failed: lines without ':' are ignored; the number
// is atoi() of the text before the first ':' (so "x:y" has number 0), the
// name is the text after it.
QVector<FailedTest> parseLastTestsFailed(const QByteArray &bytes);
QByteArray serializeLastTestsFailed(QVector<FailedTest> failed); // sorts by number

// A missing file reads as an empty list, not as an error.
[[nodiscard]] bool readLastTestsFailed(const QString &path, QVector<FailedTest> *failed, QString *error);
// ctest writes the file only when something failed: with an empty list this
// leaves an existing file untouched and returns true. Atomic; creates the
// directory if needed.
[[nodiscard]] bool updateLastTestsFailed(const QString &path, const QVector<FailedTest> &failed, QString *error);

// <buildDir>/Testing/Temporary/CTestCostData.txt and .../LastTestsFailed.log.
QString costDataPath(const QString &buildDir);
QString lastTestsFailedPath(const QString &buildDir, const QString &tag = QString());
// The file ctest --rerun-failed reads: of the files in Testing/Temporary
// whose name starts with "LastTestsFailed" (ctest -T writes
// LastTestsFailed_<tag>.log), the most recently modified. Empty if none.
QString findLastTestsFailedLog(const QString &buildDir);

} // namespace ctestd::ctest
