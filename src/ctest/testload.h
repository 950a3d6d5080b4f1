// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace ctestd::ctest {

// The system's 1-minute load average (/proc/loadavg), as ctest reads it
// for --test-load; ctest's own testing override,
// __CTEST_FAKE_LOAD_AVERAGE_FOR_TESTING, wins when set. 0 when unknown.
double systemLoadAverage(const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// ctest 3.25's --test-load rule: with nothing running a test always
// starts; otherwise one starts while the load, truncated to a whole
// number, leaves room for its processors under the limit. limit 0: no
// limit.
bool loadAllowsStart(int limit, double load, bool anythingRunning, int processors);

// The "TestLoad:" of a DartConfiguration.tcl text (CMake's CTEST_TEST_LOAD),
// which ctest uses without --test-load; 0 when it has none.
int dartTestLoad(const QByteArray &dartConfiguration);

} // namespace ctestd::ctest
