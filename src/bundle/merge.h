// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "reporters/runrecord.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace ctestd {

// `ctestd report` with several runs: one run made of them all, for one
// console summary and one JUnit file.
//
// Shards of one run (--shard) are checked before anything is merged:
// they must have been split from the same cases and costs (the same
// digest), every shard must be there, and together they must hold every
// case of the run; otherwise a test could go missing without a word.
// Shards keep their #K; other runs are numbered anew in the order given.
//
// A case found in several runs (a shard run twice, the same suite on two
// machines) is reported with every attempt: its earlier attempts as
// --repeat shows them, and as its result the last failing attempt if any
// failed, else the last. A failure is never hidden by a later pass.
// `names` name the runs in errors (their files).
[[nodiscard]] bool mergeRunRecords(
    const QVector<RunRecord> &records, const QStringList &names, RunRecord *merged, QString *error);

} // namespace ctestd
