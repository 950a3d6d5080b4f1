// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/testmodel.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ctestd::ctest {

// The test properties that decide a result: PASS_/FAIL_/SKIP_REGULAR_EXPRESSION,
// SKIP_RETURN_CODE (-1: none) and WILL_FAIL. The struct lives in
// model/testmodel.h because test cases and protocol messages carry it.
using ResultRules = ctestd::ResultRules;

// How the test process ended.
struct ProcessOutcome {
    bool timedOut = false; // killed after its time limit
    int signal = 0; // killed by this signal (0: it exited)
    int exitCode = 0; // when it exited
};

struct Verdict {
    Status status = Status::Passed;
    // Printed after "***Failed  " on ctest's result line; empty unless the
    // status is Failed, and empty for a plain non-zero exit.
    QString reason;
    // ctest's internal reason (LastTest.log "Test Pass Reason:"/"Test Fail
    // Reason:"). It is set whenever a regex decided something, even when the
    // status ended up Passed, Skipped, Timeout or Crashed.
    QString detail;
    // ctest 3.25's JUnit message: <failure message="..."> (= detail) for
    // Failed, Timeout and Crashed; <skipped message="..."> for Skipped
    // ("SKIP_REGULAR_EXPRESSION_MATCHED" or "SKIP_RETURN_CODE=N"); empty for
    // Passed.
    QString junitMessage;
};

// ctest's result for a test that started (CMake 3.25 cmCTestRunTest::EndTest,
// confirmed case by case against ctest 3.25.1):
// - Regexes are searched in the whole output (see ctestOutput(); decide()
//   applies it to `output` first), in ctest's dialect (see regex.h); an empty
//   or invalid regex is ignored / never matches.
// - PASS_REGULAR_EXPRESSION: if any matches, the exit code is irrelevant;
//   if none does, the test fails: "Required regular expression not found.
//   Regex=[r1\nr2\n]" (every pattern, each followed by a newline). A match
//   sets "Required regular expression found. Regex=[r]" (the first matching
//   pattern, in list order), printed when WILL_FAIL turns it into a failure.
// - FAIL_REGULAR_EXPRESSION: the first pattern (in list order) that matches
//   fails the test: "Error regular expression found in output. Regex=[r]",
//   even if a PASS regex matched.
// - SKIP_REGULAR_EXPRESSION match or exit code == SKIP_RETURN_CODE: Skipped,
//   beating FAIL regexes, PASS regexes and WILL_FAIL. A skip regex match sets
//   the detail "Skip regular expression found in output. Regex=[r]".
// - Otherwise it passes iff (no forced failure and (exit 0 or a PASS regex
//   is set)) != WILL_FAIL.
// - A timeout is always Timeout and a signal always Crashed, whatever
//   WILL_FAIL and the regexes say (the detail still records regex matches).
// Tests that never start (Not Run, Disabled) are not decided here.
Verdict decide(const ResultRules &rules, const ProcessOutcome &outcome, const QByteArray &output);

// The output as ctest stores it and matches regexes against (cmProcess line
// buffering): lines end at '\n' or NUL, every trailing '\r' of a complete
// line is dropped, each line (including a last line without newline, which
// keeps its '\r's) is followed by '\n'. Empty output stays empty.
QByteArray ctestOutput(const QByteArray &raw);

} // namespace ctestd::ctest
