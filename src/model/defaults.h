// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QtGlobal>

// The numbers several layers must agree on, each said once. What only one
// class uses stays there, beside the code that needs it.
namespace ctestd::defaults {

// A case's time limit when neither the command line nor the registration
// names one: ctest's own default with include(CTest) (DartConfiguration.tcl's
// TimeOut). module/ctestd_case_client.c, which is C, repeats it.
constexpr double CaseTimeoutSeconds = 1500;

// The exit code that means "skipped": a plain test's (as ctest's
// SKIP_RETURN_CODE), and a `ctestd case` client's for a skipped case, which
// ctestd_discover_tests registers as SKIP_RETURN_CODE.
constexpr int SkipExitCode = 77;

// Output kept per case and stream (stdout, stderr); the worker enforces it
// and says how much it dropped.
constexpr qint64 CaseOutputBytes = 1024 * 1024;

// The failure text a framework adapter keeps per case: assertion messages
// beyond it are cut, with a note.
constexpr int FailureMessageChars = 64 * 1024;

// How long a worker told to shut down (end of run, interrupt) gets to exit
// on its own before it is killed. A worker needs about 1 s: it gives its
// test's process group SIGTERM, then SIGKILL.
constexpr int WorkerShutdownGraceMs = 3000;
// How long a --worker-setup or --worker-teardown command may take.
constexpr double HookTimeoutSeconds = 600;

} // namespace ctestd::defaults
