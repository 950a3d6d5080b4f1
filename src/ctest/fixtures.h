// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QHash>
#include <QStringList>
#include <QVector>

#include <functional>

namespace ctestd::ctest {

// Fixture name -> the indices of the cases that set it up (FIXTURES_SETUP).
using FixtureSetups = QHash<QString, QVector<int>>;

// CTest fixtures as ordering: a case that requires a fixture waits for its
// setup cases, and a cleanup case waits for every case that requires the
// fixture and for its setup. Adds these to each case's dependsOn; returns
// the setups.
FixtureSetups addFixtureOrder(QVector<TestCase> &cases);

// ctest does not start a case whose fixture setup failed: the display names
// of the failed setups of the fixtures case `index` requires (and does not
// set up itself), in the order found. `failed(i)`: whether setup case i has
// a final result that is a failure.
QStringList failedFixtureSetups(
    const QVector<TestCase> &cases, const FixtureSetups &setups, int index, const std::function<bool(int)> &failed);

} // namespace ctestd::ctest
