#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Benchmark ctestd against ctest + gtest_discover_tests and a single process.

Not part of the test suite: run it by hand on an otherwise idle machine.

Usage:
    tests/bench/run_benchmark.py [--ctestd PATH] [--runs N] [-j N] [--quick]
                                 [--workdir DIR] [--suite NAME ...] [--timeout S]
                                 [--warmup N] [--no-tree] [--no-module]
                                 [--ctestd-config DIR] [--gtest-parallel PATH]

    --no-archive skips the result-bundle runners; --archive-format picks their format (tar.zst).
    --remote adds, for fixture-heavy, `ctestd ssh`: the same run with N workers through
    ssh into N network namespaces, each with a real sshd (needs root, ip, sshd, ssh).

    --ctestd defaults to build/src/ctestd in this source tree
    (/work/main/build/src/ctestd); it is run as `ctestd -jN EXECUTABLE`.
    --ctestd-config is the directory holding ctestdConfig.cmake, passed as
    ctestd_DIR to the ctestd_discover_tests build trees (default: two levels
    above --ctestd, i.e. its build tree, when that holds one; otherwise
    find_package(ctestd) searches CMAKE_PREFIX_PATH and the system).

What it does:
  1. Generates, under --workdir (default /tmp/ctestd-bench), one CMake project
     per benchmark suite with a GoogleTest executable `bench`, registered with
     `gtest_discover_tests(bench DISCOVERY_MODE POST_BUILD)`, and builds it with
     cmake + ninja (Release). Files are only rewritten when their content
     changes, so a second run reuses the build trees and builds nothing.
     The same sources are also built in a second tree, <suite>/build-ctestd,
     configured with -DBENCH_REGISTRATION=ctestd: there `bench` is registered
     with `ctestd_discover_tests(bench)` (find_package(ctestd), the CMake
     module of this project, using the --ctestd program) instead.
  2. Times, side by side in the same run (round-robin, one untimed warm-up
     round first, then --runs timed rounds; the median is reported):
       ctest -jN          `ctest -jN` in the build tree (one process per case)
       one process        the `bench` executable itself, all cases, serially
       ctestd -jN         `ctestd -jN <build>/bench`
       ctestd tree -jN    (fixture-heavy suites only) `ctestd --test-dir <build> -jN`:
                          ctestd reading the very build tree ctest runs, as
                          registered by plain gtest_discover_tests, and
                          regrouping its cases into fixture groups itself
       ctest+module -jN   `ctest -jN` in the ctestd_discover_tests tree: every
                          case is a `ctestd case` client that ctest runs, answered
                          by the tree's daemon, which the first client starts.
                          After every run the script samples that daemon's CPU
                          time and stops it (untimed; found by its serve.lock
                          in <tree>/.ctestd, never by name), so every timed
                          run pays for a cold daemon start, none survives into
                          the next run, and a daemon that will not stop is
                          flagged.
       ctestd --archive   the same with `--archive <build>/bench-bundle.tar.zst` (a
                          result bundle: record, console, JUnit), to time what
                          keeping the run costs
       ctestd report      `ctestd report <that bundle>`: replaying it (console only)
       gtest-parallel -wN `gtest-parallel -w N <build>/bench` (google/gtest-parallel, a
                          single Python script, not in Debian): N threads, each running
                          one case per process with --gtest_filter. Timed only when
                          found: --gtest-parallel PATH, else gtest-parallel or
                          gtest_parallel.py on PATH (run by its #! line, else with this
                          Python). When it is not found the script says so once
                          ("gtest-parallel: not found, its column is left out") and its
                          column in the summary shows "-"; nothing stands in for it.
                          It keeps its own record of case times (~/.cache/gtest-parallel)
                          and runs the slowest first, so the warm-up round feeds it too.
       ctestd ssh         (--remote, fixture-heavy) `ctestd --workers ssh:A,ssh:B ...`: N
                          workers started through ssh in N network namespaces made by
                          the script (veth links, a real sshd each, a key pair it
                          generates), against ctestd -jN's local workers; the summary
                          adds ssh/local and the time from ctestd's start to the first
                          remote worker's Ready (its first unit is sent then). The
                          namespaces and sshds are torn down by PID at the end.
     N is -j, except for a suite with its own -j (independent-5: -j5 for
     every runner, whatever -j is).
     For one-of-group, which selects a single case, only ctest (with
     `-R ^Bench0\.Case03$`), one process (with --gtest_filter=Bench0.Case03)
     and ctest+module (with the same -R) are timed; the ctestd executable,
     ctestd tree and gtest-parallel runners time whole executables and are
     left out.
     If ctestd is missing or fails (e.g. its --test-dir mode is not there
     yet), that is printed clearly and the other figures are still reported.
     ctest and `ctestd --test-dir` both write Testing/Temporary in the build
     tree (CTestCostData.txt orders ctest's schedule); all cases pass, so
     only the cost-ordering of an all-passing run is shared.
  3. Checks that every runner ran the expected number of cases with none
     failing, parsing ctest's (and ctestd's identical) summary line
     "P% tests passed, F tests failed out of M", gtest's
     "[==========] M tests from S test suites ran." and gtest-parallel's
     "[i/N] Suite.Case (T ms)" lines (one per finished case; a failed one says
     "returned/aborted with exit code"). A runner that ran nothing or the
     wrong number is flagged, never reported as a fast result.
  4. Prints, per suite, the median wall time, CPU time (user+sys of all child
     processes; for ctest+module also the detached daemon and its workers,
     sampled from /proc until it exits), overhead per case
     ((wall*workers - nominal work) / cases), the ideal time (total work /
     the suite's -j), and the ratios ctest/ctestd, ctestd/ideal and
     ctestd/one-process (plus gtest-parallel/ctestd when it was found,
     ctest/ctestd-tree and ctestd-tree/ideal for the fixture-heavy suite,
     and ctest/module = ctest+gtest_discover_tests over ctest+module, and
     module/ideal; for one-of-group instead module/ctest against its
     target, <= 1.10) and the suite's target, met or missed; then the
     summary: a table per runner, a table of ratios per suite ("-" where a
     runner was not run) and, last, a table of each suite's target with
     "met" or "missed" ("-" for mix, which has none).

Targets (checked on the medians; set for the full suites, at the default -j2):
  fixture-heavy  ctestd <= 1.05x the ideal (0.70 s at -j2)
  trivial        ctestd <= 0.10 s
  one-of-group   ctest+module <= 1.10x ctest (module/ctest; needs the module tree)
  replay-10k     ctestd report < 1 s
  yaml-shape     ctestd -j2 <= 0.60x the one-process time
  independent-5  ctestd -j5 <= 1.10x ctest -j5
  mix            none: ctestd is printed against one process, ctest -jN and the ideal

Suites (the README's "Limits" quotes the figures of the first four):
  fixture-heavy  20 suites x 10 cases; each suite's SetUpTestSuite sleeps 50 ms,
                 each case sleeps 2 ms. The work is sleeping
                 (std::this_thread::sleep_for), not busy-waiting, so it costs
                 no CPU: "total work" is the nominal sleep time,
                 20*50 ms + 200*2 ms = 1.4 s, ideal on 2 cores 0.70 s.
  trivial        2,000 empty cases (100 suites x 20). Their nominal work is ~0,
                 so "total work" is the measured one-process time.
  one-of-group   `ctest -R` selecting ONE case (Bench0.Case03) of a 10-case
                 suite whose SetUpTestSuite sleeps 1 s (cases sleep 0), plain
                 ctest on the gtest_discover_tests tree against ctest+module on
                 the ctestd_discover_tests tree. The target: ctest+module within
                 10% of gtest_discover_tests for the same selection
                 (module/ctest <= 1.10), i.e. ctestd's fixture grouping must not
                 make running one case of a group (the usual edit-run loop)
                 noticeably slower. As for the other suites, each ctest+module
                 run pays a cold daemon start. The work is that one case's
                 fixture + case, 1.0 s; it cannot be split across cores, so the
                 ideal is 1.0 s whatever -j is, and ovh/case counts one worker.
  replay-10k     10,000 trivial cases (500 suites x 20), for `ctestd report`
                 (target: under 1 s) and the cost of --archive on a big run;
                 only one process, ctestd, ctestd --archive and ctestd report
                 are timed (ctest's 10,000 processes would take minutes).
  yaml-shape     a generated suite of yaml-cpp's shape: 1,000 cases in 18
                 fixture-free gtest suites (Yaml00..Yaml17) of uneven sizes:
                 250, 180, 150, 90, 60, 50, 40, 35, 30, 25, 20, 18, 15, 12, 10,
                 8, 5, 2. Each case busy-waits on std::chrono::steady_clock (CPU
                 work, not sleep: yaml-cpp's cases are CPU-bound) for a time
                 drawn with a fixed seed (the source is the same on every run):
                 a lognormal body (median 40 us, sigma 0.45, clamped to
                 10 us..1 ms; ~89% of the cases take 20-100 us), 22 cases of
                 0.3-5 ms and 10 of 5-20 ms (log-uniform) at random places;
                 0.207 s of busy-wait in all. Its "total work" (and so the
                 ideal) is the measured one-process time; ovh/case subtracts
                 the nominal busy-wait.
  independent-5  one suite (Independent) of 5 independent cases that each
                 sleep 1 s, no fixture. Every runner uses -j5 here, whatever
                 -j is (SuiteSpec.jobs), so the work is 5 s and the ideal 1.0 s.
  mix            one executable holding all three shapes: the 18 yaml-shape
                 suites, the 5 x 1 s suite and the 20 x 10 fixture-heavy
                 suites (1,205 cases), run with -j (2 by default). Its total
                 work is nominal: 6.4 s of sleep + 0.207 s of busy-wait
                 (ideal 3.30 s at -j2).
  By default all seven run; --suite NAME picks some (repeatable).
  --quick uses 4 x 5 fixture-heavy cases, 200 trivial cases, a 300 ms
  one-of-group fixture, 1,000 cases to replay, a 200-case yaml-shape
  (6 suites: 60, 50, 40, 25, 15, 10; 4 cases of 0.3-5 ms, 2 of 5-20 ms;
  0.029 s of busy-wait), 5 independent cases of 200 ms (-j5) and their mix
  (225 cases), in separate build trees (<name>-quick), so quick and full runs
  do not rebuild each other; with 300 ms the fixed cold-start cost weighs ~3x
  more, so the <= 1.10 target is meant for the full 1 s suite (the same holds
  for every target: the quick suites show them, indicatively).
  Each suite is built twice (gtest_discover_tests and ctestd_discover_tests);
  --no-module skips the second tree and the ctest+module runner.

Examples:
    tests/bench/run_benchmark.py                       # full run, 3 timed rounds
    tests/bench/run_benchmark.py --suite one-of-group  # ctest -R one case: module vs plain ctest
    tests/bench/run_benchmark.py --quick --runs 1      # smoke test
    tests/bench/run_benchmark.py --ctestd build/src/ctestd --runs 5 -j 2
    tests/bench/run_benchmark.py --suite yaml-shape --suite independent-5 --suite mix \
        --gtest-parallel ~/src/gtest-parallel/gtest-parallel

Requires python3 (standard library only), cmake >= 3.18 (3.25 for the
ctestd_discover_tests tree), ninja, a C++17 compiler and GoogleTest
(find_package(GTest)); ctest+module also needs Linux's /proc.
"""

import argparse
import math
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

# <source tree>/build/src/ctestd, i.e. /work/main/build/src/ctestd in the usual checkout.
DEFAULT_CTESTD = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "build", "src", "ctestd")
DEFAULT_WORKDIR = "/tmp/ctestd-bench"
CASES_PER_SOURCE_FILE = 200  # split big suites so ninja can compile in parallel
MODULE_TREE = "build-ctestd"  # the ctestd_discover_tests build tree, next to "build"
BUNDLE = "bench-bundle"  # --archive's bundle, in the suite's build tree (.tar.zst by default)
# A replay suite times only ctestd, ctestd writing its bundle, and `ctestd report` reading it.
REPLAY_RUNNERS = ("one", "ctestd", "ctestd-archive", "ctestd-report")
DAEMON_STOP_TIMEOUT_S = 5.0  # for SIGTERM, then SIGKILL
MODULE_TARGET = 1.10  # one-of-group: ctest+module within 10% of plain ctest for the same selection


# --------------------------------------------------------------------------
# Benchmark suites and their generated projects
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """One gtest suite of a generated executable: its fixture and its cases' work."""
    name: str  # the gtest suite name, e.g. "Bench07"
    fixture_ms: int  # its SetUpTestSuite sleeps this long (0: no fixture, plain TEST)
    case_sleep_ms: Tuple[int, ...]  # per case: sleep (std::this_thread::sleep_for), no CPU
    case_busy_us: Tuple[int, ...] = ()  # per case: busy-wait on steady_clock (CPU work); () for none

    @property
    def cases(self) -> int:
        return len(self.case_sleep_ms)

    def busy_us(self, case: int) -> int:
        return self.case_busy_us[case] if self.case_busy_us else 0

    def case_name(self, case: int) -> str:
        return f"Case{case:0{max(2, len(str(self.cases - 1)))}d}"


def uniform_groups(suites: int, cases_per_suite: int, fixture_ms: int, case_ms: int,
                   prefix: str = "Bench") -> Tuple[Group, ...]:
    """suites x cases_per_suite alike: Bench0..Bench<suites-1> (zero-padded), cases Case00.."""
    width = len(str(suites - 1))
    return tuple(Group(f"{prefix}{s:0{width}d}", fixture_ms, (case_ms,) * cases_per_suite) for s in range(suites))


# yaml-cpp's shape: ~1,000 cases in 18 fixture-free suites of uneven sizes (a few big ones, many small).
YAML_SUITE_SIZES = (250, 180, 150, 90, 60, 50, 40, 35, 30, 25, 20, 18, 15, 12, 10, 8, 5, 2)
YAML_SUITE_SIZES_QUICK = (60, 50, 40, 25, 15, 10)
YAML_SEED = 1  # fixed: the generated source (and its ~0.21 s of work) is the same on every run


def yaml_shape_groups(sizes: Tuple[int, ...], medium: int, heavy: int) -> Tuple[Group, ...]:
    """Fixture-free suites Yaml00.. of the given sizes; each case busy-waits (CPU work, as
    yaml-cpp's cases are CPU-bound) for a time drawn with a fixed seed from a skewed
    distribution: a lognormal body (median 40 us, sigma 0.45, clamped to 10 us..1 ms, so ~89%
    of cases take 20-100 us), with `medium` cases of 0.3-5 ms and `heavy` cases of 5-20 ms
    (log-uniform) at random places."""
    rng = random.Random(YAML_SEED)
    total = sum(sizes)
    work = [min(1000, max(10, round(rng.lognormvariate(math.log(40), 0.45)))) for _ in range(total)]
    tail = rng.sample(range(total), medium + heavy)
    for n, i in enumerate(tail):
        low, high = (300, 5000) if n < medium else (5000, 20000)
        work[i] = round(math.exp(rng.uniform(math.log(low), math.log(high))))
    groups, first = [], 0
    for s, size in enumerate(sizes):
        groups.append(Group(f"Yaml{s:02d}", 0, (0,) * size, tuple(work[first:first + size])))
        first += size
    return tuple(groups)


@dataclass(frozen=True)
class Target:
    """A suite's target: runner's wall <= limit x against's wall (against: a runner kind, or
    "ideal"), or <= limit seconds (against None)."""
    runner: str
    against: Optional[str]
    limit: float
    text: str  # as printed, e.g. "ctestd <= 0.60x one process"


@dataclass
class SuiteSpec:
    name: str
    description: str
    groups: Tuple[Group, ...]  # the gtest suites of its executable `bench`
    # A gtest full name ("Bench0.Case03"): the suite times running only this
    # case (`ctest -R`, --gtest_filter) instead of all of them.
    select: Optional[str] = None
    # The runner kinds timed for this suite (None: all that apply), and
    # whether it gets a ctestd_discover_tests tree.
    runners: Optional[Tuple[str, ...]] = None
    module: bool = True
    # -j (workers) of every runner of this suite, whatever the global -j is (None: the global -j).
    jobs: Optional[int] = None
    # True: "total work" (and so the ideal) is the measured one-process time, not the nominal work.
    measured_work: bool = False
    target: Optional[Target] = None

    @property
    def cases(self) -> int:
        """The cases the generated executable holds."""
        return sum(g.cases for g in self.groups)

    @property
    def expected_cases(self) -> int:
        """The cases every runner is expected to run: 1 with select, else all."""
        return 1 if self.select else self.cases

    def _selected(self) -> Tuple[Group, int]:
        suite, _, case = self.select.partition(".")
        group = next(g for g in self.groups if g.name == suite)
        return group, next(c for c in range(group.cases) if group.case_name(c) == case)

    @property
    def nominal_sleep_s(self) -> float:
        """Sleeping the generated code does (fixtures and cases): wall time, no CPU."""
        if self.select:  # the selected case's suite fixture, then the case itself
            group, case = self._selected()
            return (group.fixture_ms + group.case_sleep_ms[case]) / 1000.0
        return sum(g.fixture_ms + sum(g.case_sleep_ms) for g in self.groups) / 1000.0

    @property
    def nominal_busy_s(self) -> float:
        """Busy-waiting the generated code does: CPU time."""
        if self.select:
            group, case = self._selected()
            return group.busy_us(case) / 1e6
        return sum(sum(g.case_busy_us) for g in self.groups) / 1e6

    @property
    def nominal_work_s(self) -> float:
        return self.nominal_sleep_s + self.nominal_busy_s


def suite_specs(quick: bool) -> List[SuiteSpec]:
    # The targets (printed with met/missed) are set for the full suites; the quick ones show them too.
    yaml_target = Target("ctestd", "one", 0.60, "ctestd <= 0.60x one process")
    independent_target = Target("ctestd", "ctest", 1.10, "ctestd <= 1.10x ctest")
    fixture_target = Target("ctestd", "ideal", 1.05, "ctestd <= 1.05x ideal")
    trivial_target = Target("ctestd", None, 0.10, "ctestd <= 0.10 s")
    module_target = Target("ctestd-module", "ctest", MODULE_TARGET, f"module <= {MODULE_TARGET:.2f}x ctest")
    replay_target = Target("ctestd-report", None, 1.0, "ctestd report < 1 s (10,000 cases)")
    if quick:
        fixture = uniform_groups(4, 5, 50, 2)
        yaml = yaml_shape_groups(YAML_SUITE_SIZES_QUICK, medium=4, heavy=2)
        independent = (Group("Independent", 0, (200,) * 5),)
        return [
            SuiteSpec("fixture-heavy-quick", "4 suites x 5 cases, SetUpTestSuite sleeps 50 ms, cases sleep 2 ms",
                      fixture, target=fixture_target),
            SuiteSpec("trivial-quick", "200 trivial cases (10 suites x 20)", uniform_groups(10, 20, 0, 0),
                      target=trivial_target),
            SuiteSpec("one-of-group-quick",
                      "ctest -R one case of a 10-case suite whose SetUpTestSuite sleeps 300 ms",
                      uniform_groups(1, 10, 300, 0), select="Bench0.Case03", target=module_target),
            SuiteSpec("replay-quick", "1,000 trivial cases, kept in a bundle and replayed",
                      uniform_groups(50, 20, 0, 0), runners=REPLAY_RUNNERS, module=False, target=replay_target),
            SuiteSpec("yaml-shape-quick", "yaml-cpp's shape, small: 200 CPU-bound cases in 6 fixture-free suites "
                      "of uneven sizes, skewed busy-wait per case", yaml, measured_work=True, target=yaml_target),
            SuiteSpec("independent-5-quick", "5 independent cases sleeping 200 ms each, no fixture; -j5 for "
                      "every runner", independent, jobs=5, target=independent_target),
            SuiteSpec("mix-quick", "yaml-shape-quick + independent-5-quick + fixture-heavy-quick in one executable",
                      yaml + independent + fixture),
        ]
    fixture = uniform_groups(20, 10, 50, 2)
    yaml = yaml_shape_groups(YAML_SUITE_SIZES, medium=22, heavy=10)
    independent = (Group("Independent", 0, (1000,) * 5),)
    return [
        SuiteSpec("fixture-heavy", "20 suites x 10 cases, SetUpTestSuite sleeps 50 ms, cases sleep 2 ms",
                  fixture, target=fixture_target),
        SuiteSpec("trivial", "2,000 trivial cases (100 suites x 20)", uniform_groups(100, 20, 0, 0),
                  target=trivial_target),
        # uniform_groups() names a lone suite "Bench0" and its cases Case00..Case09.
        SuiteSpec("one-of-group", "ctest -R one case of a 10-case suite whose SetUpTestSuite sleeps 1 s",
                  uniform_groups(1, 10, 1000, 0), select="Bench0.Case03", target=module_target),
        # `ctestd report` on a bundle of 10,000 cases (target: under 1 s).
        SuiteSpec("replay-10k", "10,000 trivial cases, kept in a bundle and replayed",
                  uniform_groups(500, 20, 0, 0), runners=REPLAY_RUNNERS, module=False, target=replay_target),
        SuiteSpec("yaml-shape", "yaml-cpp's shape: 1,000 CPU-bound cases in 18 fixture-free suites of uneven "
                  "sizes (2..250), skewed busy-wait per case", yaml, measured_work=True, target=yaml_target),
        SuiteSpec("independent-5", "5 independent cases sleeping 1 s each, no fixture; -j5 for every runner",
                  independent, jobs=5, target=independent_target),
        SuiteSpec("mix", "yaml-shape + independent-5 + fixture-heavy (18 + 1 + 20 suites, 1,205 cases) in one "
                  "executable", yaml + independent + fixture),
    ]


CMAKELISTS = """\
# Generated by tests/bench/run_benchmark.py; do not edit.
cmake_minimum_required(VERSION 3.18)
project(ctestd_bench_{ident} LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(BENCH_REGISTRATION "gtest" CACHE STRING "gtest: gtest_discover_tests, ctestd: ctestd_discover_tests")
find_package(GTest REQUIRED)
enable_testing()
add_executable(bench {sources})
target_link_libraries(bench PRIVATE GTest::gtest_main)
if(BENCH_REGISTRATION STREQUAL "ctestd")
  find_package(ctestd REQUIRED)  # ctestd_DIR or CMAKE_PREFIX_PATH
  if(BENCH_CTESTD)
    set(CTESTD_EXECUTABLE "${{BENCH_CTESTD}}")  # the ctestd the other runners time (--ctestd)
  endif()
  ctestd_discover_tests(bench DISCOVERY_MODE POST_BUILD DISCOVERY_TIMEOUT 120)
else()
  include(GoogleTest)
  gtest_discover_tests(bench DISCOVERY_MODE POST_BUILD DISCOVERY_TIMEOUT 120)
endif()
"""

SOURCE_PROLOGUE = """\
// Generated by tests/bench/run_benchmark.py; do not edit.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace {
// Sleeping, not busy-waiting: the benchmark's "work" costs wall time, no CPU.
inline void benchSleepMs(int ms)
{
    if (ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}
} // namespace
"""

# Only in the sources of suites with CPU work (yaml-shape, mix), inserted before "} // namespace".
BUSY_HELPER = """\
// Busy-waiting, not sleeping: CPU work, like a CPU-bound case (yaml-shape).
inline void benchBusyUs(int us)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
    while (std::chrono::steady_clock::now() < end) {
    }
}
"""


def generate_sources(spec: SuiteSpec) -> dict:
    """Returns {relative file name: content} for the project of one suite."""
    prologue = SOURCE_PROLOGUE
    if any(g.case_busy_us for g in spec.groups):
        prologue = prologue.replace("} // namespace\n", BUSY_HELPER + "} // namespace\n")
    # Whole gtest suites per file, up to CASES_PER_SOURCE_FILE cases (at least one suite), so
    # that ninja can compile big executables in parallel.
    batches: List[List[Group]] = []
    for group in spec.groups:
        if batches and sum(g.cases for g in batches[-1]) + group.cases <= CASES_PER_SOURCE_FILE:
            batches[-1].append(group)
        else:
            batches.append([group])
    files = {}
    names = []
    for index, batch in enumerate(batches):
        parts = [prologue]
        for group in batch:
            if group.fixture_ms > 0:
                parts.append(
                    f"\nclass {group.name} : public ::testing::Test {{\n"
                    f"public:\n"
                    f"    static void SetUpTestSuite() {{ benchSleepMs({group.fixture_ms}); }}\n"
                    f"}};\n")
                macro = "TEST_F"
            else:
                macro = "TEST"
            for c in range(group.cases):
                body = []
                if group.busy_us(c) > 0:
                    body.append(f"benchBusyUs({group.busy_us(c)});")
                if group.case_sleep_ms[c] > 0:
                    body.append(f"benchSleepMs({group.case_sleep_ms[c]});")
                parts.append(f"{macro}({group.name}, {group.case_name(c)}) {{ {' '.join(body) or 'SUCCEED();'} }}\n")
        name = f"bench_{index:03d}.cpp"
        files[name] = "".join(parts)
        names.append(name)
    ident = re.sub(r"[^A-Za-z0-9_]", "_", spec.name)
    files["CMakeLists.txt"] = CMAKELISTS.format(ident=ident, sources=" ".join(names))
    return files


def write_if_changed(path: str, content: str) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == content:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(content)
    os.replace(tmp, path)
    return True


def prepare_project(spec: SuiteSpec, workdir: str) -> str:
    """Generates and builds the project (gtest_discover_tests); returns the build directory."""
    src = os.path.join(workdir, spec.name, "src")
    build = os.path.join(workdir, spec.name, "build")
    files = generate_sources(spec)
    changed = [n for n, c in sorted(files.items()) if write_if_changed(os.path.join(src, n), c)]
    # Drop source files of an older, bigger variant of this suite.
    for stale in set(os.listdir(src)) - set(files):
        if stale.endswith(".cpp"):
            os.remove(os.path.join(src, stale))
            changed.append(stale)
    configured = os.path.exists(os.path.join(build, "build.ninja"))
    log(f"[{spec.name}] project in {src}: "
        + (f"{len(changed)} file(s) (re)generated" if changed else "unchanged, reusing the build tree"))
    if not configured:
        run_checked(["cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"], spec.name)
    started = time.perf_counter()
    run_checked(["cmake", "--build", build], spec.name)
    log(f"[{spec.name}] build: {time.perf_counter() - started:.1f} s")
    return build


def ctestd_config_dir(args) -> Optional[str]:
    """The directory holding ctestdConfig.cmake: --ctestd-config, else --ctestd's build tree if it has one."""
    if args.ctestd_config:
        return args.ctestd_config
    candidate = os.path.dirname(os.path.dirname(args.ctestd))  # <build>/src/ctestd -> <build>
    return candidate if os.path.isfile(os.path.join(candidate, "ctestdConfig.cmake")) else None


def cmake_cache_value(build: str, name: str) -> Optional[str]:
    try:
        with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8", errors="replace") as f:
            for line in f:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep and key.split(":")[0] == name:
                    return value
    except FileNotFoundError:
        pass
    return None


def prepare_module_tree(spec: SuiteSpec, workdir: str, args) -> Tuple[Optional[str], Optional[str]]:
    """Builds the sources prepare_project() generated a second time, registered with
    ctestd_discover_tests; returns (build directory, None) or (None, why it failed)."""
    src = os.path.join(workdir, spec.name, "src")
    build = os.path.join(workdir, spec.name, MODULE_TREE)
    wanted = {"BENCH_REGISTRATION": "ctestd", "BENCH_CTESTD": args.ctestd}
    config = ctestd_config_dir(args)
    if config is not None:
        wanted["ctestd_DIR"] = config
    configured = os.path.exists(os.path.join(build, "build.ninja"))
    if not configured or any(cmake_cache_value(build, k) != v for k, v in wanted.items()):
        error = run_command(["cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"]
                            + [f"-D{k}={v}" for k, v in wanted.items()])
        if error is not None:
            return None, f"configuring {build} (ctestd_discover_tests) failed: {error}"
    started = time.perf_counter()
    error = run_command(["cmake", "--build", build])
    if error is not None:
        return None, f"building {build} (ctestd_discover_tests) failed: {error}"
    log(f"[{spec.name}] build of the ctestd_discover_tests tree {build}: {time.perf_counter() - started:.1f} s")
    return build, None


def run_command(cmd: List[str]) -> Optional[str]:
    """Runs cmd; returns None on success, else the exit code and the last lines of its output."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    if proc.returncode == 0:
        return None
    tail = "\n".join(proc.stdout.rstrip().splitlines()[-15:])
    return f"exit code {proc.returncode}: {' '.join(cmd)}\n{indent(tail)}"


def run_checked(cmd: List[str], what: str) -> None:
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout)
        sys.exit(f"[{what}] command failed with exit code {proc.returncode}: {' '.join(cmd)}")


# --------------------------------------------------------------------------
# Runners
# --------------------------------------------------------------------------

CTEST_SUMMARY = re.compile(r"^(\d+)% tests passed, (\d+) tests? failed out of (\d+)\s*$", re.M)
GTEST_RAN = re.compile(r"^\[==========\] (\d+) tests? from (\d+) test suites? ran\.", re.M)
GTEST_FAILED = re.compile(r"^\[  FAILED  \] (\d+) tests?, listed below:", re.M)


@dataclass
class Outcome:
    ran: Optional[int] = None  # cases the runner says it ran
    failed: Optional[int] = None
    error: Optional[str] = None  # why the run does not count
    short: str = ""  # the same in a few words, for the table
    tail: str = ""  # the last lines of its output, when it failed


def parse_ctest_like(rc: int, out: str) -> Outcome:
    matches = CTEST_SUMMARY.findall(out)
    if not matches:
        return Outcome(error=f"exit code {rc}, no \"N% tests passed, F tests failed out of M\" line",
                       short="no summary")
    _, failed, total = matches[-1]
    return Outcome(ran=int(total), failed=int(failed))


def parse_gtest(rc: int, out: str) -> Outcome:
    ran = GTEST_RAN.findall(out)
    if not ran:
        return Outcome(error=f"exit code {rc}, no \"[==========] N tests from S test suites ran.\" line",
                       short="no summary")
    failed = GTEST_FAILED.findall(out)
    return Outcome(ran=int(ran[-1][0]), failed=int(failed[-1]) if failed else 0)


# gtest-parallel (github.com/google/gtest-parallel) prints, with stdout not a terminal, a line
# "[i/N] Suite.Case (T ms)" as each case (one process each) ends, first "[0/N] Running tests...",
# and "[i/N] Suite.Case returned/aborted with exit code C (T ms)" for a failed one (newer versions
# say "returned with exit code").
GTEST_PARALLEL_START = re.compile(r"\[0/(\d+)\] Running tests")  # unanchored: stderr may precede it
GTEST_PARALLEL_DONE = re.compile(r"^\[\d+/\d+\] \S+ \(\d+ ms\)\s*$", re.M)
GTEST_PARALLEL_FAILED = re.compile(r"^\[\d+/\d+\] \S+ returned(?:/aborted)? with exit code", re.M)


def parse_gtest_parallel(rc: int, out: str) -> Outcome:
    if not GTEST_PARALLEL_START.search(out):
        return Outcome(error=f"exit code {rc}, no \"[0/N] Running tests...\" line", short="no summary")
    return Outcome(ran=len(GTEST_PARALLEL_DONE.findall(out)), failed=len(GTEST_PARALLEL_FAILED.findall(out)))


def find_gtest_parallel(option: Optional[str]) -> Optional[str]:
    """--gtest-parallel PATH, else gtest-parallel or gtest_parallel.py on PATH, else None."""
    if option:
        return os.path.abspath(option)
    for name in ("gtest-parallel", "gtest_parallel.py"):
        found = shutil.which(name)
        if found:
            return os.path.abspath(found)
    return None


def gtest_parallel_command(path: str) -> List[str]:
    """Runs it by its #! line when it has one (its own Python), else with this Python."""
    try:
        with open(path, "rb") as f:
            shebang = f.read(2) == b"#!"
    except OSError:
        shebang = False
    return [path] if shebang and os.access(path, os.X_OK) else [sys.executable, path]


@dataclass
class Runner:
    label: str
    kind: str  # "ctest", "one", "ctestd", "ctestd-archive", "ctestd-report", "ctestd-tree", "ctestd-module",
    #            "gtest-parallel", "ctestd-ssh", "ctestd-ssh-mux"
    workers: int  # its -j (-w for gtest-parallel); 1 for one process and ctestd report
    walls: List[float] = field(default_factory=list)
    cpus: List[float] = field(default_factory=list)
    outcome: Optional[Outcome] = None
    unavailable: Optional[str] = None  # set when it could not run at all
    tree: Optional[str] = None  # its own build tree (ctestd-module), instead of the suite's
    select: Optional[str] = None  # run only this case (SuiteSpec.select)

    def command(self, build: str, args) -> List[str]:
        if self.kind in ("ctest", "ctestd-module"):
            cmd = ["ctest", "--test-dir", build, "-j", str(self.workers)]
            if self.select:  # the test name is the gtest full name with both registrations
                cmd += ["-R", f"^{re.escape(self.select)}$"]
            return cmd
        if self.kind == "one":
            return [os.path.join(build, "bench")] + ([f"--gtest_filter={self.select}"] if self.select else [])
        if self.kind == "ctestd-tree":
            return [args.ctestd, "--test-dir", build, "-j", str(self.workers)]
        if self.kind == "gtest-parallel":  # its worker threads each run one case per process
            return gtest_parallel_command(args.gtest_parallel) + ["-w", str(self.workers),
                                                                  os.path.join(build, "bench")]
        bundle = os.path.join(build, f"{BUNDLE}.{args.archive_format}")
        if self.kind == "ctestd-archive":
            return [args.ctestd, "-j", str(self.workers), "--archive", bundle, os.path.join(build, "bench")]
        if self.kind == "ctestd-report":  # the bundle the ctestd-archive runner wrote just before
            return [args.ctestd, "report", bundle]
        if self.kind in ("ctestd-ssh", "ctestd-ssh-mux"):
            return ([args.ctestd] + args.remote_hosts.worker_options(reuse=self.kind == "ctestd-ssh-mux")
                    + [os.path.join(build, "bench")])
        return [args.ctestd, "-j", str(self.workers), os.path.join(build, "bench")]

    def parse(self, rc: int, out: str) -> Outcome:
        if self.kind == "one":
            return parse_gtest(rc, out)
        if self.kind == "gtest-parallel":
            return parse_gtest_parallel(rc, out)
        return parse_ctest_like(rc, out)

    @property
    def ok(self) -> bool:
        return self.unavailable is None and self.outcome is not None and self.outcome.error is None and bool(self.walls)

    @property
    def wall(self) -> Optional[float]:
        return statistics.median(self.walls) if self.ok else None

    @property
    def cpu(self) -> Optional[float]:
        return statistics.median(self.cpus) if self.ok else None


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# --- The daemon of a ctestd_discover_tests tree ---------------------------
# The first `ctestd case` client starts it detached (not our child); it holds
# <tree>/.ctestd/serve.lock (its pid on the first line) for its whole life and
# idles for a while after the last ctest invocation. It is found through that
# lock and checked by its command line, never by process name.

def daemon_pid(tree: str) -> Optional[int]:
    """The pid of the live `ctestd serve --build-dir <tree>`, or None."""
    try:
        with open(os.path.join(tree, ".ctestd", "serve.lock"), encoding="utf-8", errors="replace") as f:
            pid = int(f.readline().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = [a.decode("utf-8", errors="replace") for a in f.read().split(b"\0")]
    except (OSError, ValueError):
        return None  # no lock, or its owner is gone
    # A zombie (exited, not reaped yet) has an empty command line.
    if "serve" in argv and os.path.realpath(tree) in [os.path.realpath(a) for a in argv if a.startswith("/")]:
        return pid
    return None


def process_tree_cpu(pid: int) -> Optional[float]:
    """user+sys of pid and its reaped children (the daemon's workers), from /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return None
    # After "pid (comm)": state is fields[0], utime..cstime are fields[11..14].
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_daemon_exit(tree: str, timeout: float) -> Optional[int]:
    """Waits until the tree's daemon is gone; returns the pid still alive, or None."""
    deadline = time.monotonic() + timeout
    while True:
        pid = daemon_pid(tree)
        if pid is None or time.monotonic() >= deadline:
            return pid
        time.sleep(0.02)


def settle_daemon(tree: str, args) -> Tuple[float, Optional[str]]:
    """After a run (untimed): samples the CPU time of the tree's daemon and its
    reaped workers, then stops it by its own pid, so that every timed run starts
    a cold one. Returns (daemon cpu seconds, problem or None)."""
    pid = daemon_pid(tree)
    if pid is None:
        return 0.0, "no daemon was running after ctest ended"
    cpu = process_tree_cpu(pid) or 0.0
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return cpu, None
        if wait_daemon_exit(tree, DAEMON_STOP_TIMEOUT_S) is None:
            return cpu, None
    return cpu, f"its daemon (pid {pid}) survived SIGTERM and SIGKILL"


def run_once(runner: Runner, build: str, args, expected: int):
    """Runs once; returns (wall seconds, cpu seconds, Outcome)."""
    build = runner.tree or build
    cmd = runner.command(build, args)
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=build,
                              timeout=args.timeout, start_new_session=True)
    except subprocess.TimeoutExpired:
        if runner.kind == "ctestd-module":
            settle_daemon(build, args)
        return None, None, Outcome(error=f"did not finish within {args.timeout} s (--timeout)", short="timed out")
    except OSError as e:
        return None, None, Outcome(error=f"could not start: {e}", short="no start")
    wall = time.perf_counter() - t0
    cpu = children_cpu() - cpu0
    daemon_problem = None
    if runner.kind == "ctestd-module":
        daemon_cpu, daemon_problem = settle_daemon(build, args)
        cpu += daemon_cpu
    out = proc.stdout.decode("utf-8", errors="replace")
    outcome = runner.parse(proc.returncode, out)
    if outcome.error is None and daemon_problem is not None:
        outcome.error, outcome.short = daemon_problem, "daemon stayed"
    if outcome.error is None:
        if outcome.ran != expected:
            outcome.error = f"ran {outcome.ran} cases, expected {expected}"
            outcome.short = f"{outcome.ran}/{expected} WRONG"
            if outcome.ran == 0:
                outcome.error += " (it ran NOTHING)"
        elif outcome.failed:
            outcome.error = f"{outcome.failed} of {outcome.ran} cases failed (all should pass)"
            outcome.short = f"{outcome.failed} failed"
        elif proc.returncode != 0:
            outcome.error = f"exit code {proc.returncode} although every case passed"
            outcome.short = f"exit {proc.returncode}"
    if outcome.error is not None:
        tail = "\n".join(out.rstrip().splitlines()[-5:])
        outcome.error += f"; command: {' '.join(cmd)}" + ("" if tail else "; it printed nothing")
        outcome.tail = tail
    return wall, cpu, outcome


def indent(text: str, prefix: str = "        ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


@dataclass
class SuiteResult:
    spec: SuiteSpec
    runners: List[Runner]
    jobs: int  # the -j its runners used (SuiteSpec.jobs, else the global -j)

    def runner(self, kind: str) -> Optional[Runner]:
        return next((r for r in self.runners if r.kind == kind), None)

    @property
    def total_work(self) -> Optional[float]:
        if self.spec.nominal_work_s > 0 and not self.spec.measured_work:
            return self.spec.nominal_work_s
        one = self.runner("one")  # trivial or CPU-bound cases: the in-process time is the work
        return one.wall if one is not None else None

    def ideal(self) -> Optional[float]:
        """Total work over the -j workers; a single selected case cannot be split, so it is its own ideal."""
        work = self.total_work
        if work is None:
            return None
        return work if self.spec.select else work / self.jobs

    def target_check(self) -> Tuple[str, str]:
        """(the target, "<measured> met" / "<measured> missed" / "n/a ..."); ("-", "-") without one."""
        t = self.spec.target
        if t is None:
            return "-", "-"
        r = self.runner(t.runner)
        value = wall_of(r)
        if t.against is None:
            base, unit = 1.0, " s"
        else:
            base = self.ideal() if t.against == "ideal" else wall_of(self.runner(t.against))
            unit = "x"
        if value is None or base is None or base <= 0:
            missing = t.runner if value is None else t.against
            return t.text, f"n/a (no {missing} figure)"
        measured = value / base
        shown = f"{measured:.3f} s" if unit == " s" else f"{measured:.2f}x"
        return t.text, f"{shown} {'met' if measured <= t.limit else 'missed'}"


def has_tree_variant(spec: SuiteSpec) -> bool:
    """The `ctestd --test-dir` variant is timed for the fixture-heavy suite(s)."""
    return spec.name.startswith("fixture-heavy")


def ctestd_missing(args) -> bool:
    return not os.path.isfile(args.ctestd) or not os.access(args.ctestd, os.X_OK)


def retire_leftover_daemon(tree: str, args) -> None:
    """A daemon of this tree left by an interrupted earlier run would answer the first run warm."""
    if daemon_pid(tree) is None:
        return
    log(f"[{tree}] a ctestd daemon of this tree is still running (from an earlier run); stopping it")
    _, problem = settle_daemon(tree, args)
    if problem is not None:
        log(f"[{tree}] {problem}")


def bench_suite(spec: SuiteSpec, build: str, module: Optional[Tuple[Optional[str], Optional[str]]],
                args) -> SuiteResult:
    """module: (ctestd_discover_tests tree, None), (None, why it is missing), or None with --no-module."""
    jobs = spec.jobs or args.jobs  # independent-5 runs with -j5 whatever -j says
    runners = [
        Runner(f"ctest -j{jobs}", "ctest", jobs, select=spec.select),
        Runner("one process", "one", 1, select=spec.select),
    ]
    if not spec.select:  # the ctestd executable runners time whole executables / trees only
        runners.append(Runner(f"ctestd -j{jobs}", "ctestd", jobs))
        if args.gtest_parallel:  # only when it was found; never stood in for
            runners.append(Runner(f"gtest-parallel -w{jobs}", "gtest-parallel", jobs))
        if not args.no_archive:  # the bundle, then its replay, side by side with plain ctestd
            runners.append(Runner(f"ctestd --archive", "ctestd-archive", jobs))
            runners.append(Runner("ctestd report", "ctestd-report", 1))
        if has_tree_variant(spec) and not args.no_tree:
            runners.append(Runner(f"ctestd tree -j{jobs}", "ctestd-tree", jobs))
        if has_tree_variant(spec) and args.remote_hosts is not None:
            runners.append(Runner(f"ctestd ssh x{args.jobs}", "ctestd-ssh", args.jobs,
                                  unavailable=args.remote_hosts.problem))
            runners.append(Runner(f"ctestd ssh x{args.jobs} mux", "ctestd-ssh-mux", args.jobs,
                                  unavailable=args.remote_hosts.problem))
    if spec.runners is not None:
        runners = [r for r in runners if r.kind in spec.runners]
    if module is not None:
        tree, why = module
        runners.append(Runner(f"ctest+module -j{jobs}", "ctestd-module", jobs, tree=tree, unavailable=why,
                              select=spec.select))
        if tree is not None:
            retire_leftover_daemon(tree, args)
    if ctestd_missing(args):
        for r in runners:
            if r.kind.startswith("ctestd"):
                r.unavailable = (f"ctestd not found (or not executable) at {args.ctestd}; "
                                 "build it or pass --ctestd PATH")

    rounds = [("warm-up", False)] * args.warmup + [(f"run {i + 1}/{args.runs}", True) for i in range(args.runs)]
    for label, timed in rounds:
        for r in runners:
            if r.unavailable is not None or (r.outcome is not None and r.outcome.error is not None):
                continue  # failed before: do not waste time, it is reported below
            wall, cpu, outcome = run_once(r, build, args, spec.expected_cases)
            r.outcome = outcome
            if outcome.error is not None:
                log(f"[{spec.name}] {r.label}: FAILED during {label}: {outcome.error}")
                if outcome.tail:
                    log(indent(outcome.tail))
                continue
            if timed:
                r.walls.append(wall)
                r.cpus.append(cpu)
            log(f"[{spec.name}] {label:>9}  {r.label:<18} {wall:8.3f} s  ({outcome.ran} cases)")
    return SuiteResult(spec, runners, jobs)


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------

def log(msg: str) -> None:
    print(msg, flush=True)


def fmt_s(v: Optional[float]) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def ratio(a: Optional[float], b: Optional[float]) -> str:
    if a is None or b is None or b <= 0:
        return "n/a"
    return f"{a / b:.2f}x"


def wall_of(r: Optional[Runner]) -> Optional[float]:
    """The median wall of a runner that may not be in the suite at all."""
    return None if r is None else r.wall


def target_text(ctest: Optional[Runner], module: Optional[Runner]) -> str:
    """module/ctest against MODULE_TARGET, for a suite that selects one case."""
    a, b = wall_of(module), wall_of(ctest)
    if a is None or b is None or b <= 0:
        return f"module/ctest n/a (target <= {MODULE_TARGET:.2f})"
    verdict = "met" if a / b <= MODULE_TARGET else "MISSED"
    return f"module/ctest {a / b:.2f}x (target <= {MODULE_TARGET:.2f}: {verdict})"


def status_text(r: Runner, expected: int) -> str:
    if r.unavailable is not None:
        return "not found" if "not found" in r.unavailable else "NOT BUILT"
    if r.outcome is None:
        return "not run"
    if r.outcome.error is not None:
        return "FAILED: " + (r.outcome.short or "error")
    return f"{r.outcome.ran}/{expected} ok"


def overhead_per_case_ms(r: Runner, result: SuiteResult) -> Optional[float]:
    work = result.spec.nominal_work_s
    if r.wall is None:
        return None
    cases = result.spec.expected_cases
    workers = min(r.workers, cases)  # one selected case keeps one worker busy, whatever -j says
    return (r.wall * workers - work) / cases * 1000.0


def report(results: List[SuiteResult], args) -> None:
    for res in results:
        spec = res.spec
        log("")
        log(f"== {spec.name}: {spec.description}")
        if spec.select:
            log(f"   selected {spec.select}: work {fmt_s(res.total_work)} s (its suite's SetUpTestSuite + the case, "
                f"nominal sleep time); ideal {fmt_s(res.ideal())} s (one case: no split across cores)")
        else:
            if spec.measured_work or spec.nominal_work_s <= 0:
                how = "measured one-process time" + (f"; its nominal busy-wait is {spec.nominal_busy_s:.3f} s"
                                                     if spec.nominal_busy_s > 0 else "")
            elif spec.nominal_busy_s > 0:
                how = f"nominal: sleep {spec.nominal_sleep_s:.3f} s + busy-wait {spec.nominal_busy_s:.3f} s"
            else:
                how = "nominal sleep time"
            log(f"   total work {fmt_s(res.total_work)} s ({how}), ideal at -j{res.jobs} {fmt_s(res.ideal())} s"
                + ("" if res.jobs == args.jobs else f" (this suite's -j{res.jobs} for every runner, whatever -j is)"))
        for r in res.runners:
            if r.ok:
                log(f"   {r.label:<18} wall {fmt_s(r.wall)} s (runs: {', '.join(f'{w:.3f}' for w in r.walls)})"
                    f"  cpu {fmt_s(r.cpu)} s  cases {r.outcome.ran}/{spec.expected_cases}")
            elif r.unavailable is not None:
                log(f"   {r.label:<18} NOT RUN: {r.unavailable}")
            else:
                log(f"   {r.label:<18} FAILED: {r.outcome.error if r.outcome else 'no result'}")
        ctest, one, ctestd = res.runner("ctest"), res.runner("one"), res.runner("ctestd")
        tree = res.runner("ctestd-tree")
        module = res.runner("ctestd-module")
        ideal = res.ideal()
        if spec.target is not None:
            log(f"   target: {': '.join(res.target_check())}")
        if spec.select:
            log(f"   {target_text(ctest, module)}   module/ideal {ratio(wall_of(module), ideal)}   "
                f"ctest/ideal {ratio(ctest.wall, ideal)}   ctest/one-process {ratio(ctest.wall, one.wall)}   "
                "(module = ctest on the ctestd_discover_tests tree)"
                + ("" if module is None or module.ok else "   (no valid module figure, see above)"))
            continue
        if ctestd is not None:
            log(f"   ctest/ctestd {ratio(wall_of(ctest), ctestd.wall)}   ctestd/ideal {ratio(ctestd.wall, ideal)}   "
                f"ctestd/one-process {ratio(ctestd.wall, wall_of(one))}   "
                f"(ctest/one-process {ratio(wall_of(ctest), wall_of(one))}, ctest/ideal {ratio(wall_of(ctest), ideal)})")
        gtest_parallel = res.runner("gtest-parallel")
        if gtest_parallel is not None:
            log(f"   gtest-parallel/ctestd {ratio(wall_of(gtest_parallel), wall_of(ctestd))}   "
                f"gtest-parallel/ideal {ratio(wall_of(gtest_parallel), ideal)}   "
                f"ctest/gtest-parallel {ratio(wall_of(ctest), wall_of(gtest_parallel))}"
                + ("" if gtest_parallel.ok else "   (no valid gtest-parallel figure, see above)"))
        archive, replay = res.runner("ctestd-archive"), res.runner("ctestd-report")
        if archive is not None:
            added = (archive.wall - ctestd.wall) * 1000.0 if archive.wall and wall_of(ctestd) else None
            log(f"   bundle: ctestd --archive/ctestd {ratio(archive.wall, wall_of(ctestd))} "
                + ("" if added is None else f"({added:+.1f} ms, target <= +5% for the trivial suite, "
                   "<= +50 ms for fixture-heavy)")
                + f"   ctestd report {fmt_s(wall_of(replay))} s for {spec.expected_cases} cases "
                "(target < 1 s for 10,000)")
        remote, mux = res.runner("ctestd-ssh"), res.runner("ctestd-ssh-mux")
        if remote is not None:
            log(f"   ssh workers: ctestd ssh/ctestd {ratio(remote.wall, wall_of(ctestd))}, "
                f"with ssh's ControlMaster {ratio(wall_of(mux), wall_of(ctestd))} "
                "(target <= 1.10: remote dispatch within 10% of local)"
                + ("" if remote.ok else f"   (no valid figure: {remote.unavailable or 'see above'})"))
        if tree is not None:
            log(f"   ctest/ctestd-tree {ratio(ctest.wall, tree.wall)}   ctestd-tree/ideal {ratio(tree.wall, ideal)}   "
                f"ctestd-tree/ctestd {ratio(tree.wall, wall_of(ctestd))}"
                + ("" if tree.ok else "   (ctestd --test-dir gave no valid figure, see above)"))
        if module is not None:
            log(f"   ctest/module {ratio(ctest.wall, module.wall)}   module/ideal {ratio(module.wall, ideal)}   "
                f"module/ctestd {ratio(module.wall, wall_of(ctestd))}   "
                "(module = ctest on the ctestd_discover_tests tree)"
                + ("" if module.ok else "   (no valid figure, see above)"))

    log("")
    overrides = [f"{res.spec.name} at -j{res.jobs}" for res in results if res.jobs != args.jobs]
    log(f"Summary (median wall time of {args.runs} run(s) after {args.warmup} warm-up; -j{args.jobs}"
        + "".join(f", {o}" for o in overrides) + f"; {os.cpu_count()} CPUs on this host)")
    headers = ["suite", "runner", "wall s", "cpu s", "ovh/case ms", "cases", "vs ideal"]
    rows = []
    for res in results:
        ideal = res.ideal()
        for r in res.runners:
            ovh = overhead_per_case_ms(r, res)
            rows.append([res.spec.name, r.label, fmt_s(r.wall), fmt_s(r.cpu),
                         "n/a" if ovh is None else f"{ovh:.2f}", status_text(r, res.spec.expected_cases),
                         ratio(r.wall, ideal)])
        rows.append([res.spec.name, "ideal (1 case)" if res.spec.select else f"ideal (-j{res.jobs})",
                     fmt_s(ideal), "", "", "", ""])
    rows_ratio = []
    for res in results:
        ctest, one, ctestd = res.runner("ctest"), res.runner("one"), res.runner("ctestd")
        if ctestd is None:  # not run for this suite (one-of-group)
            ctestd_cells = ["-", "-", "-"]
        else:
            ctestd_cells = [ratio(wall_of(ctest), ctestd.wall), ratio(ctestd.wall, res.ideal()),
                            ratio(ctestd.wall, wall_of(one))]
        gtest_parallel = res.runner("gtest-parallel")  # "-": not found (or not run for this suite)
        gtest_parallel_cell = ("-" if gtest_parallel is None else ratio(gtest_parallel.wall, wall_of(ctestd))
                               if gtest_parallel.ok else status_text(gtest_parallel, res.spec.expected_cases))
        archive, replay = res.runner("ctestd-archive"), res.runner("ctestd-report")
        bundle_cells = ["-" if archive is None else ratio(archive.wall, wall_of(ctestd)),
                        "-" if replay is None else fmt_s(replay.wall)]
        rows_ratio.append([res.spec.name, f"{res.jobs}"] + ctestd_cells + [gtest_parallel_cell]
                          + ratio_cells(ctest, res.runner("ctestd-tree"), res.ideal())
                          + ratio_cells(ctest, res.runner("ctestd-module"), res.ideal()) + bundle_cells)
    print_table(headers, rows, group_col=0)
    log("")
    print_table(["suite", "-j", "ctest/ctestd", "ctestd/ideal", "ctestd/one-process", "gtest-par/ctestd",
                 "ctest/ctestd-tree", "ctestd-tree/ideal", "ctest/module", "module/ideal", "archive/ctestd",
                 "report s"], rows_ratio)
    for res in results:
        if res.spec.select:
            log(f"{res.spec.name} ({res.spec.select} only): "
                f"{target_text(res.runner('ctest'), res.runner('ctestd-module'))}")
    log("")
    log("Targets" + (" (set for the full suites; with --quick they are indicative only)" if args.quick else "") + ":")
    print_table(["suite", "-j", "target", "result"],
                [[res.spec.name, f"{res.jobs}"] + list(res.target_check()) for res in results], left=4)
    log("")
    log("ovh/case = (wall x workers - nominal work) / cases (workers <= cases run). Work is sleep (no CPU), "
        "except yaml-shape's (and mix's) busy-wait (CPU); see --help.")
    log("gtest-par/ctestd = `gtest-parallel -wN` (one process per case) over ctestd; \"-\" where it was not run.")
    log("ctestd tree = `ctestd --test-dir <build>` on the tree ctest runs (plain gtest_discover_tests registration).")
    log("ctest+module (module) = `ctest -jN` on a second build tree of the same sources registered with "
        "ctestd_discover_tests:")
    log("  each case is a `ctestd case` client answered by the tree's daemon. Its wall time includes the daemon's")
    log("  (cold) start; its cpu adds the detached daemon and its workers. The daemon is stopped (untimed) after each run.")

    problems = []
    for res in results:
        for r in res.runners:
            if r.unavailable is not None:
                problems.append(f"{res.spec.name}: {r.label}: {r.unavailable}")
            elif r.outcome is not None and r.outcome.error is not None:
                problems.append(f"{res.spec.name}: {r.label}: {r.outcome.error}")
    if problems:
        log("")
        log("NOT COMPARABLE / MISSING (these runners produced no valid figure):")
        for p in problems:
            log(f"  - {p}")


def ratio_cells(ctest: Optional[Runner], r: Optional[Runner], ideal: Optional[float]) -> List[str]:
    """[ctest/r, r/ideal] for an optional runner (ctestd-tree, ctestd-module)."""
    if r is None:
        return ["-", "-"]
    if r.ok:
        return [ratio(wall_of(ctest), r.wall), ratio(r.wall, ideal)]
    return ["FAILED" if r.unavailable is None else status_text(r, 0), "n/a"]


def print_table(headers: List[str], rows: List[List[str]], group_col: Optional[int] = None, left: int = 2) -> None:
    """left: how many leading columns are left-aligned (the others are right-aligned)."""
    widths = [max(len(str(x)) for x in [h] + [row[i] for row in rows]) for i, h in enumerate(headers)]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(str(c).ljust(widths[i]) if i < left else str(c).rjust(widths[i]))
        return "  ".join(out).rstrip()

    log(line(headers))
    log("  ".join("-" * w for w in widths))
    previous = None
    for row in rows:
        if group_col is not None and previous is not None and row[group_col] != previous:
            log("")
        shown = list(row)
        if group_col is not None and row[group_col] == previous:
            shown[group_col] = ""
        previous = row[group_col] if group_col is not None else None
        log(line(shown))


# --------------------------------------------------------------------------

def prepare_module(spec: SuiteSpec, args) -> Optional[Tuple[Optional[str], Optional[str]]]:
    """The ctestd_discover_tests tree for bench_suite(); its failure is reported, not fatal."""
    if args.no_module or not spec.module:
        return None
    if ctestd_missing(args):
        return None, "ctestd not found, so no ctestd_discover_tests tree was built"
    tree, why = prepare_module_tree(spec, args.workdir, args)
    if why is not None:
        log(f"[{spec.name}] ctest+module will not run: {why}")
    return tree, why


# --- Workers on other hosts (--remote) ----------------------------------------
# N network namespaces, each with a veth link to ours and a real sshd that
# accepts a key generated here; the coordinator's address sits on our
# loopback, which every namespace routes to. Everything started is stopped
# by PID, and the links and namespaces deleted, when the script ends.

class RemoteHosts:
    def __init__(self, count: int, workdir: str):
        self.count = count
        self.dir = os.path.join(workdir, "remote")
        self.hosts: List[str] = []
        self.namespaces: List[str] = []
        self.links: List[str] = []
        self.sshds: List[subprocess.Popen] = []
        self.coordinator = None
        self.problem: Optional[str] = None
        self.subnet = 1 + os.getpid() % 250

    def setup(self) -> None:
        if os.geteuid() != 0:
            self.problem = "needs root (network namespaces, sshd)"
            return
        for tool in ("ip", "ssh", "ssh-keygen"):
            if shutil.which(tool) is None:
                self.problem = f"{tool} not found"
                return
        if not os.access("/usr/sbin/sshd", os.X_OK):
            self.problem = "/usr/sbin/sshd not found (Debian's openssh-server)"
            return
        try:
            self._setup()
        except (subprocess.CalledProcessError, OSError, RuntimeError) as e:
            self.problem = f"cannot set up the namespaces: {e}"

    def _run(self, *cmd: str) -> None:
        subprocess.run(list(cmd), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=20)

    def _setup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        for name in ("id", "hostkey"):
            self._run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(self.dir, name))
        shutil.copy(os.path.join(self.dir, "id.pub"), os.path.join(self.dir, "authorized_keys"))
        with open(os.path.join(self.dir, "ssh_config"), "w") as f:
            f.write(f"Host *\n  IdentityFile {self.dir}/id\n  IdentitiesOnly yes\n  UserKnownHostsFile /dev/null\n"
                    "  StrictHostKeyChecking no\n  LogLevel ERROR\n  ConnectTimeout 5\n  Port 2222\n")
        os.makedirs("/run/sshd", exist_ok=True)
        self.coordinator = f"10.213.{self.subnet}.250"
        self._run("ip", "addr", "add", f"{self.coordinator}/32", "dev", "lo")
        pid = os.getpid() % 100000
        for i in range(self.count):
            ns, link, inside = f"ctestd-bench-{pid}-{i}", f"ctb{pid}h{i}", f"ctb{pid}n{i}"
            ours, theirs = f"10.213.{self.subnet}.{4 * i + 1}", f"10.213.{self.subnet}.{4 * i + 2}"
            self._run("ip", "netns", "add", ns)
            self.namespaces.append(ns)
            self._run("ip", "link", "add", link, "type", "veth", "peer", "name", inside, "netns", ns)
            self.links.append(link)
            self._run("ip", "addr", "add", f"{ours}/30", "dev", link)
            self._run("ip", "link", "set", link, "up")
            for step in (["link", "set", "lo", "up"], ["addr", "add", f"{theirs}/30", "dev", inside],
                         ["link", "set", inside, "up"], ["route", "add", "default", "via", ours]):
                self._run("ip", "netns", "exec", ns, "ip", *step)
            sshd = subprocess.Popen(
                ["ip", "netns", "exec", ns, "/usr/sbin/sshd", "-D", "-e", "-f", "/dev/null",
                 "-o", f"ListenAddress={theirs}:2222", "-o", f"HostKey={self.dir}/hostkey",
                 "-o", f"AuthorizedKeysFile={self.dir}/authorized_keys", "-o", "PermitRootLogin=prohibit-password",
                 "-o", "StrictModes=no", "-o", "PidFile=none", "-o", "UsePAM=no"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.sshds.append(sshd)
            for _ in range(50):
                if subprocess.run(["ssh", "-F", os.path.join(self.dir, "ssh_config"), theirs, "true"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10).returncode == 0:
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"sshd in {ns} does not accept the key")
            self.hosts.append(theirs)

    def worker_options(self, reuse: bool = False) -> List[str]:
        """reuse: ssh's ControlMaster, so that a run reuses the warm-up's connections (as a user's
        ssh config would): what is left is ctestd's own remote dispatch."""
        ssh = f"ssh -F {self.dir}/ssh_config"
        if reuse:
            ssh += f" -o ControlMaster=auto -o ControlPath={self.dir}/mux-%h -o ControlPersist=120"
        return ["--workers", ",".join(f"ssh:{h}" for h in self.hosts), "--listen", "0.0.0.0:0",
                "--advertise", self.coordinator, "--ssh-command", ssh]

    def first_remote_ready(self, ctestd: str, executable: str, reuse: bool = False) -> Optional[float]:
        """Seconds from ctestd's start to its first remote worker's Ready (its first unit goes out then)."""
        env = dict(os.environ, QT_MESSAGE_PATTERN="%{time process} %{message}")
        t0 = time.perf_counter()
        proc = subprocess.run([ctestd, "--debug"] + self.worker_options(reuse) + [executable], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        wall = time.perf_counter() - t0
        ready = [float(m.group(1)) for m in re.finditer(r"^\s*([0-9.]+) worker \d+ ready",
                                                          proc.stderr.decode("utf-8", "replace"), re.M)]
        return min(ready) if ready and ready[0] <= wall else None

    def teardown(self) -> None:
        for ns in self.namespaces:  # sessions and workers still there, by PID
            pids = subprocess.run(["ip", "netns", "pids", ns], stdout=subprocess.PIPE, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        for sshd in self.sshds:
            sshd.kill()
            sshd.wait(timeout=10)
        for link in self.links:
            subprocess.run(["ip", "link", "del", link], stderr=subprocess.DEVNULL)
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        if self.coordinator:
            subprocess.run(["ip", "addr", "del", f"{self.coordinator}/32", "dev", "lo"], stderr=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ctestd", default=DEFAULT_CTESTD, help=f"path to ctestd (default {DEFAULT_CTESTD})")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per runner; the median is reported (3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed warm-up runs per runner (1)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallelism for ctest and ctestd (2)")
    parser.add_argument("--quick", action="store_true",
                        help="smaller suites (4x5 fixture-heavy, 200 trivial, one-of-group with a 300 ms fixture, "
                             "1,000 to replay, 200 yaml-shape cases, 5 x 200 ms independent, their mix)")
    parser.add_argument("--workdir", default=DEFAULT_WORKDIR,
                        help=f"where generated projects and build trees live and are reused ({DEFAULT_WORKDIR})")
    parser.add_argument("--suite", action="append", metavar="NAME",
                        help="run only this suite (fixture-heavy, trivial, one-of-group, replay-10k, yaml-shape, "
                             "independent-5, mix; repeatable; a -quick suffix is ignored; default: all)")
    parser.add_argument("--no-tree", action="store_true",
                        help="do not time `ctestd --test-dir <build>` on the fixture-heavy suite")
    parser.add_argument("--no-archive", action="store_true",
                        help="do not time ctestd --archive (a result bundle) and ctestd report (its replay)")
    parser.add_argument("--archive-format", default="tar.zst",
                        choices=["tar.zst", "tar.gz", "tar.xz", "tar.bz2", "tar", "zip"],
                        help="the bundle's format for the --archive runner (tar.zst)")
    parser.add_argument("--remote", action="store_true",
                        help="also time fixture-heavy with -j workers through ssh in network namespaces (root)")
    parser.add_argument("--no-module", action="store_true",
                        help="do not build the ctestd_discover_tests trees nor time `ctest` on them")
    parser.add_argument("--ctestd-config", metavar="DIR",
                        help="directory holding ctestdConfig.cmake, for the ctestd_discover_tests trees "
                             "(default: --ctestd's build tree, two levels above it, when it holds one)")
    parser.add_argument("--gtest-parallel", metavar="PATH",
                        help="gtest-parallel (its gtest-parallel or gtest_parallel.py script) to time as "
                             "`gtest-parallel -w N`; default: gtest-parallel or gtest_parallel.py on PATH, "
                             "else its column is left out")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="give up on a single runner invocation after this many seconds (600)")
    args = parser.parse_args()
    if args.runs < 1 or args.jobs < 1 or args.warmup < 0:
        parser.error("--runs and -j must be >= 1, --warmup >= 0")
    args.ctestd = os.path.abspath(args.ctestd)
    args.workdir = os.path.abspath(args.workdir)
    if args.ctestd_config:
        args.ctestd_config = os.path.abspath(args.ctestd_config)
    if args.gtest_parallel and not os.path.isfile(args.gtest_parallel):
        parser.error(f"--gtest-parallel {args.gtest_parallel}: no such file")
    args.gtest_parallel = find_gtest_parallel(args.gtest_parallel)

    for tool in ("cmake", "ctest", "ninja"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found in PATH")

    specs = suite_specs(args.quick)
    if args.suite:
        wanted = {s.removesuffix("-quick") for s in args.suite}
        unknown = wanted - {s.name.removesuffix("-quick") for s in specs}
        if unknown:
            parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
        specs = [s for s in specs if s.name.removesuffix("-quick") in wanted]

    ctest_version = subprocess.run(["ctest", "--version"], stdout=subprocess.PIPE, text=True).stdout.split("\n")[0]
    log(f"ctestd benchmark: {ctest_version}; ctestd = {args.ctestd}"
        + ("" if os.path.exists(args.ctestd) else " (NOT FOUND)")
        + f"; workdir = {args.workdir}; -j{args.jobs}; {args.runs} run(s) + {args.warmup} warm-up")
    if args.gtest_parallel:
        log(f"gtest-parallel: {args.gtest_parallel} (timed as `gtest-parallel -w N`)")
    else:
        log("gtest-parallel: not found, its column is left out "
            "(pass --gtest-parallel PATH or put gtest-parallel / gtest_parallel.py on PATH)")

    builds = [(spec, prepare_project(spec, args.workdir)) for spec in specs]
    modules = [prepare_module(spec, args) for spec in specs]
    args.remote_hosts = None
    if args.remote:
        args.remote_hosts = RemoteHosts(args.jobs, args.workdir)
        args.remote_hosts.setup()
        if args.remote_hosts.problem:
            log(f"ctestd ssh: not timed: {args.remote_hosts.problem}")
    try:
        results = [bench_suite(spec, build, module, args) for (spec, build), module in zip(builds, modules)]
        if args.remote_hosts is not None and not args.remote_hosts.problem:
            for (spec, build) in builds:
                if has_tree_variant(spec):
                    for reuse in (False, True):
                        first = [args.remote_hosts.first_remote_ready(args.ctestd, os.path.join(build, "bench"),
                                                                      reuse) for _ in range(max(3, args.runs))]
                        first = [f for f in first if f is not None]
                        if first:
                            log(f"[{spec.name}] ctestd ssh{' mux' if reuse else ''}: first remote worker ready "
                                f"(its first unit sent) {statistics.median(first) * 1000:.0f} ms after start "
                                f"(median of {len(first)})")
        report(results, args)
    finally:
        if args.remote_hosts is not None:
            args.remote_hosts.teardown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
