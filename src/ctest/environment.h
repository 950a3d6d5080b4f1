// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace ctestd::ctest {

// CMake's cmIsOff(): "", 0, OFF, NO, FALSE, N, IGNORE, NOTFOUND and
// *-NOTFOUND, in any case.
bool isOff(const QString &value);

// What ctest takes from its environment when the command line does not say
// (checked against ctest 3.25.1):
struct EnvironmentDefaults {
    // CTEST_PARALLEL_LEVEL, read like atoi(); below 1 (0, garbage, empty)
    // is 1. Unset: ctest's default of 1 too, but the caller may tell them
    // apart.
    std::optional<int> parallelLevel;
    // CTEST_OUTPUT_ON_FAILURE: on unless isOff(); adds to
    // --output-on-failure, never takes it away.
    bool outputOnFailure = false;
    // CTEST_PROGRESS_OUTPUT: on unless isOff(); adds to --progress.
    bool progress = false;
    // CTEST_NO_TESTS_ACTION=error|ignore (ctest 3.26; 3.25 ignores it):
    // --no-tests when the command line has none. Any other value: unset.
    std::optional<bool> noTestsIsError;
};
EnvironmentDefaults environmentDefaults(const QProcessEnvironment &environment);

} // namespace ctestd::ctest
