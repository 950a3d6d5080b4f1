# SPDX-License-Identifier: BSD-3-Clause
# module.end_to_end: runs the built mini-project (project/) through ctest,
# which runs every case through `ctestd case` and the build tree's daemon,
# and checks what a user would see:
#   1. `ctest -j2`: exactly which cases pass, fail, skip and are disabled
#      (both registrations), and that each suite's SetUpTestSuite ran once
#      for the "default" registration (GROUP_BY suite) and once per case for
#      the "options" one (GROUP_BY case);
#   2. `ctest -j2` again: everything runs again (no result is reused from
#      the first invocation), with the same counts;
#   3. `ctest -R '^Db\.Insert$'`: that one case runs and passes, its suite
#      set up once, nothing else (no other registered test comes along);
#   4. `ctestd --test-dir` on the same tree: it reads the registrations as
#      cases and runs them itself, with the same results and fixture counts.
# Fixture runs are counted through $CTESTD_FIXTURE_LOG (see
# project/mini_tests.cpp).
#
#   cmake -DBUILD_DIR=<built mini-project> -DCTEST_COMMAND=<ctest> -DCTESTD_COMMAND=<ctestd>
#         -P run_end_to_end.cmake

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(BUILD_DIR CTEST_COMMAND CTESTD_COMMAND)

set(log "${BUILD_DIR}/fixtures.log")
set(ENV{CTESTD_FIXTURE_LOG} "${log}")

# The expected statuses of one registration's cases.
function(case_statuses out prefix suffix)
  set(lines "")
  foreach(entry IN ITEMS
      "Db.Insert: Passed" "Db.Query: Passed" "Db.Broken: Failed" "Db.Later: Skipped" "Db.Off: Disabled"
      "Net.Connect: Passed" "Net.Send: Passed" "Typed.Zero<int>: Passed" "Typed.Zero<char>: Passed"
      "Where.Arguments: Passed" "Whole.Test: Disabled")
    string(REGEX REPLACE "^([^:]+): (.*)$" "${prefix}\\1${suffix}: \\2" entry "${entry}")
    list(APPEND lines "${entry}")
  endforeach()
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

case_statuses(default_cases "" "")
case_statuses(options_cases "opt." ":sfx")
set(all_tests ${default_cases} ${options_cases}
  "mini.test_list.default: Passed" "mini.test_list.options: Passed")
list(SORT all_tests)
list(JOIN all_tests "\n" all_expected)
string(JOIN "\n" all_fixtures
  "default:Db setup x1" "default:Db teardown x1" "default:Net setup x1" "default:Net teardown x1"
  "options:Db setup x4" "options:Db teardown x4" "options:Net setup x2" "options:Net teardown x2")

foreach(round IN ITEMS 1 2)
  file(REMOVE "${log}")
  module_test_run("ctest -j2, round ${round}"
    COMMAND "${CTEST_COMMAND}" -j2 --timeout 120 -V
    WORKING_DIRECTORY "${BUILD_DIR}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
  module_test_console_statuses(statuses "${output}")
  module_test_assert_equal("round ${round}: the result of each test${context}" "${statuses}" "${all_expected}")
  module_test_assert_equal("round ${round}: ctest's exit code (Db.Broken fails)" "${result}" "8")
  module_test_fixture_counts(counts "${log}")
  file(READ "${log}" fixture_log)
  module_test_assert_equal("round ${round}: fixture runs (default: once per suite; options: once per case)\n-- fixture log --\n${fixture_log}\n-- ctest's output --\n${output}\n"
    "${counts}" "${all_fixtures}")
endforeach()

file(REMOVE "${log}")
module_test_run("ctest -R '^Db\\.Insert$'"
  COMMAND "${CTEST_COMMAND}" -R "^Db\\.Insert$" --timeout 120 --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_console_statuses(statuses "${output}")
module_test_assert_equal("one case: the result of each test${context}" "${statuses}"
  "Db.Insert: Passed")
module_test_assert_equal("one case: ctest's exit code" "${result}" "0")
module_test_fixture_counts(counts "${log}")
module_test_assert_equal("one case: fixture runs" "${counts}" "default:Db setup x1\ndefault:Db teardown x1")

# 4. The same tree through `ctestd --test-dir`: every registration is read as
# a case of mini_tests and grouped as registered (default: per suite,
# options: per case), without the daemon.
file(REMOVE "${log}")
module_test_run("ctestd --test-dir"
  COMMAND "${CTESTD_COMMAND}" --test-dir "${BUILD_DIR}" -j2 --timeout 120 --output-on-failure
    --output-junit "${BUILD_DIR}/ctestd-junit.xml"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctestd's output --\n${output}\n-- stderr --\n${error}")
module_test_console_statuses(statuses "${output}")
module_test_assert_equal("ctestd --test-dir: the result of each test${context}" "${statuses}" "${all_expected}")
module_test_assert_equal("ctestd --test-dir: exit code (Db.Broken fails)" "${result}" "8")
module_test_fixture_counts(counts "${log}")
module_test_assert_equal("ctestd --test-dir: fixture runs" "${counts}" "${all_fixtures}")

# Every case of the "default" registration ran as a case of mini_tests (in
# the JUnit <testsuite> of mini_tests), none through `ctestd case` and the
# daemon (which ctest runs as any test: in ctest's <testsuite>, "(empty)"
# without a BuildName). The "options" registration requires a fixture of its
# own (mini_extra), which a group cannot honour per case: its cases stay
# client commands.
module_test_junit_suites(suites "${BUILD_DIR}/ctestd-junit.xml")
module_test_assert_matches("ctestd --test-dir: Db.Insert ran in mini_tests" "${suites}"
  "(^|\n)Db\\.Insert: mini_tests(\n|$)")
string(REPLACE "\n" ";" suite_lines "${suites}")
foreach(line IN LISTS suite_lines)
  if(line MATCHES "^(Db|Net|Typed|Where|Whole)\\." AND NOT line MATCHES ": mini_tests$")
    message(FATAL_ERROR "ctestd --test-dir: a default case did not run in mini_tests: ${line}\n${suites}")
  endif()
endforeach()
module_test_assert_matches("ctestd --test-dir: opt.Db.Insert through its client" "${suites}"
  "(^|\n)opt\\.Db\\.Insert:sfx: \\(empty\\)(\n|$)")

# 5. CTESTD_ARCHIVE: the daemon keeps the ctest run in a result bundle,
# written when ctest exits; `ctestd report` (which waits for a bundle being
# written) prints every case ctest ran through it, disabled ones too, under
# ctest's names and with ctest's statuses, and exits as ctest did.
set(bundle "${BUILD_DIR}/ctest-run.tar.gz")
# A stale file in its place is replaced by this run's bundle.
file(WRITE "${bundle}" "an older run's bundle")
set(ENV{CTESTD_ARCHIVE} "ctest-run.tar.gz") # relative: to the build tree
module_test_run("ctest -j2 with CTESTD_ARCHIVE"
  COMMAND "${CTEST_COMMAND}" -j2 --timeout 120
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE ctest_result
  OUTPUT_VARIABLE ctest_output
  ERROR_VARIABLE error)
unset(ENV{CTESTD_ARCHIVE})
module_test_run("ctestd report"
  COMMAND "${CTESTD_COMMAND}" report "${bundle}" --output-junit "${BUILD_DIR}/bundle-junit.xml"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctestd report --\n${output}\n-- stderr --\n${error}\n-- ctest --\n${ctest_output}")
set(case_tests ${default_cases} ${options_cases})
list(SORT case_tests)
list(JOIN case_tests "\n" case_expected)
module_test_console_statuses(statuses "${output}")
module_test_assert_equal("ctestd report of the ctest run: the result of each test${context}" "${statuses}"
  "${case_expected}")
module_test_assert_equal("ctestd report: ctest's exit code" "${result}" "${ctest_result}")
module_test_junit_suites(suites "${BUILD_DIR}/bundle-junit.xml")
module_test_assert_matches("ctestd report: JUnit names cases as ctest does" "${suites}"
  "(^|\n)opt\\.Db\\.Insert:sfx: mini_tests(\n|$)")
if(EXISTS "${bundle}.pending")
  message(SEND_ERROR "the bundle is written, but ${bundle}.pending is still there")
endif()

module_test_stop_daemon("${BUILD_DIR}")
