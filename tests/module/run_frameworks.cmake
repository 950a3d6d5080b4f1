# SPDX-License-Identifier: BSD-3-Clause
# module.frameworks: runs the built frameworks/ project through ctest (every
# case through `ctestd case` and the build tree's daemon), then through
# `ctestd --test-dir`, and checks each case's status and how often each
# fixture ran (see the comment at the top of each frameworks/fw_*.cpp).
#
#   cmake -DBUILD_DIR=<built project> -DCTEST_COMMAND=<ctest> -DCTESTD_COMMAND=<ctestd>
#         -P run_frameworks.cmake

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(BUILD_DIR CTEST_COMMAND CTESTD_COMMAND)

set(log "${BUILD_DIR}/fixtures.log")
set(ENV{CTESTD_FIXTURE_LOG} "${log}")

set(expected_statuses
  "qt.passes: Passed" "qt.fails: Failed" "qt.rows:one: Passed" "qt.rows:two: Passed" "qt.skipped: Skipped"
  "c2.passes: Passed" "c2.fails: Failed" "c2.with, comma [and] brackets: Passed"
  "dt.passes: Passed" "dt.Passes: Passed" "dt.fails: Failed"
  "bt.suite/passes: Passed" "bt.suite/also: Passed" "bt.suite/fails: Failed"
  "plain.fw_plain: Passed")
list(SORT expected_statuses)
list(JOIN expected_statuses "\n" expected_statuses)
# Qt Test: once per executable; Catch2 and doctest: once per case (their
# fixtures are per case); Boost.Test: once per suite.
string(JOIN "\n" expected_fixtures
  "Boost setup x1" "Boost teardown x1" "Catch2 setup x2" "Catch2 teardown x2" "Qt setup x1" "Qt teardown x1"
  "doctest setup x3")

# fw_doctest runs under its emulator (emulator.sh logs each run): its
# listing when it was built, and each of its runs below.
set(emulator_log "${BUILD_DIR}/emulator.log")
function(check_emulated what pattern)
  set(lines "")
  if(EXISTS "${emulator_log}")
    file(STRINGS "${emulator_log}" lines)
  endif()
  list(FILTER lines INCLUDE REGEX "/fw_doctest .*${pattern}")
  if(NOT lines)
    file(READ "${emulator_log}" all)
    message(FATAL_ERROR "${what}: fw_doctest did not run under its emulator with ${pattern}; its log:\n${all}")
  endif()
endfunction()
check_emulated("the listing at build time" "--dt-list-test-cases")
file(REMOVE "${emulator_log}")

file(REMOVE "${log}")
module_test_run("ctest -j2"
  COMMAND "${CTEST_COMMAND}" -j2 --timeout 120 --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_console_statuses(statuses "${output}")
module_test_assert_equal("ctest: the result of each test${context}" "${statuses}" "${expected_statuses}")
module_test_assert_equal("ctest: exit code (a case of each framework fails)" "${result}" "8")
module_test_fixture_counts(counts "${log}")
module_test_assert_equal("ctest: fixture runs" "${counts}" "${expected_fixtures}")
# The tree's daemon lists the executable again, and runs its cases.
check_emulated("the daemon's listing" "--dt-list-test-cases")
check_emulated("ctest's run of the cases" "--dt-duration=true")
file(REMOVE "${emulator_log}")

file(REMOVE "${log}")
module_test_run("ctestd --test-dir"
  COMMAND "${CTESTD_COMMAND}" --test-dir "${BUILD_DIR}" -j2 --timeout 120 --output-on-failure
    --output-junit "${BUILD_DIR}/ctestd-junit.xml"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctestd's output --\n${output}\n-- stderr --\n${error}")
module_test_console_statuses(statuses "${output}")
module_test_assert_equal("ctestd --test-dir: the result of each test${context}" "${statuses}"
  "${expected_statuses}")
module_test_assert_equal("ctestd --test-dir: exit code" "${result}" "8")
module_test_fixture_counts(counts "${log}")
module_test_assert_equal("ctestd --test-dir: fixture runs" "${counts}" "${expected_fixtures}")
check_emulated("ctestd --test-dir's run of the cases" "--dt-duration=true")

# ctestd read every registration as a case of its executable and ran it
# there (the JUnit <testsuite> is the executable), not through `ctestd case`
# and the daemon.
module_test_junit_suites(suites "${BUILD_DIR}/ctestd-junit.xml")
set(expected_suites
  "qt.passes: fw_qtest" "qt.fails: fw_qtest" "qt.rows:one: fw_qtest" "qt.rows:two: fw_qtest" "qt.skipped: fw_qtest"
  "c2.passes: fw_catch2" "c2.fails: fw_catch2" "c2.with, comma [and] brackets: fw_catch2"
  "dt.passes: fw_doctest" "dt.Passes: fw_doctest" "dt.fails: fw_doctest"
  "bt.suite/passes: fw_boost" "bt.suite/also: fw_boost" "bt.suite/fails: fw_boost"
  "plain.fw_plain: fw_plain")
list(SORT expected_suites)
list(JOIN expected_suites "\n" expected_suites)
module_test_assert_equal("ctestd --test-dir: where each case ran (JUnit testsuite)" "${suites}"
  "${expected_suites}")

module_test_stop_daemon("${BUILD_DIR}")
