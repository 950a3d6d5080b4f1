// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "grouping.h"

#include <QProcessEnvironment>
#include <QString>
#include <QVector>

#include <optional>

namespace ctestd {

// One of N CI jobs' part of a run (--shard I/N).
struct Shard {
    int index = 0; // 0-based
    int count = 1;
    bool isWhole() const { return count <= 1; }
};

// Reads "I/N" (1 <= I <= N) into *shard; false with `error` otherwise.
[[nodiscard]] bool parseShard(const QString &text, Shard *shard, QString *error);

// gtest's GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX (0-based), as a gtest
// user sets them for a sharded CI job: the shard, or none when they are
// not both set; false with `error` when they are set but wrong.
[[nodiscard]] bool shardFromEnvironment(
    const QProcessEnvironment &environment, std::optional<Shard> *shard, QString *error);

// Which cases run in `shard`. Whole fixture groups (`units`) and
// everything DEPENDS or a fixture joins to them stay in one shard; a case
// in no unit (disabled, settled before the run) is a part of its own.
// Parts go longest first to the shard with the least work so far, ties to
// the lower shard; work is the recorded cost (COST, CTestCostData.txt)
// where a case has one, else one per case. Every machine that sees the
// same cases and cost data makes the same split, so N jobs run each case
// exactly once.
QVector<bool> casesInShard(const QVector<TestCase> &cases, const QVector<Unit> &units, const Shard &shard);

// A fingerprint (hex SHA-256) of what casesInShard() splits: every case's
// name, program (its file name: CI jobs may check out to different
// folders), cost and dependencies, and the groups. Shards whose digests
// differ were split from different inputs (another CTestCostData.txt,
// another build), so their union may miss a case or run one twice.
QString shardDigest(const QVector<TestCase> &cases, const QVector<Unit> &units);

} // namespace ctestd
