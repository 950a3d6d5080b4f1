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
#   3. `ctest -R '^Db\.Insert$'`: that one case (and the session pair) runs
#      and passes, its suite set up once, nothing else;
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

# Sets ${out} to "<name>: <status>" lines, sorted, from ctest's console
# output; status is Passed, Failed, Skipped, Disabled, or ctest's own word.
function(ctest_statuses out output)
  string(REGEX MATCHALL "[0-9]+/[0-9]+ Test +#[0-9]+: [^\n]*" lines "${output}")
  set(statuses "")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[0-9]+/[0-9]+ Test +#[0-9]+: (.*[^ .]) \\.*(\\*\\*\\*| +)([A-Za-z][^\n]*[A-Za-z)]) +[0-9.]+ sec$")
      message(SEND_ERROR "cannot read ctest's result line '${line}'")
      continue()
    endif()
    set(name "${CMAKE_MATCH_1}")
    set(status "${CMAKE_MATCH_3}")
    if(status STREQUAL "Not Run (Disabled)")
      set(status Disabled)
    endif()
    list(APPEND statuses "${name}: ${status}")
  endforeach()
  list(SORT statuses)
  list(JOIN statuses "\n" statuses)
  set(${out} "${statuses}" PARENT_SCOPE)
endfunction()

# Sets ${out} to "<tag>:<Suite> setup|teardown xN" lines, sorted, from the
# fixture log.
function(fixture_counts out)
  set(events "")
  if(EXISTS "${log}")
    file(STRINGS "${log}" lines)
    foreach(line IN LISTS lines)
      if(line MATCHES "^([^ ]+ (setup|teardown)) [0-9]+$")
        list(APPEND events "${CMAKE_MATCH_1}")
      else()
        message(SEND_ERROR "unexpected line in ${log}: '${line}'")
      endif()
    endforeach()
  endif()
  set(unique ${events})
  list(REMOVE_DUPLICATES unique)
  list(SORT unique)
  set(counts "")
  foreach(event IN LISTS unique)
    set(matching ${events})
    list(FILTER matching INCLUDE REGEX "^${event}$")
    list(LENGTH matching n)
    list(APPEND counts "${event} x${n}")
  endforeach()
  list(JOIN counts "\n" counts)
  set(${out} "${counts}" PARENT_SCOPE)
endfunction()

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
  "ctestd.session.open: Passed" "ctestd.session.close: Passed"
  "mini.test_list.default: Passed" "mini.test_list.options: Passed")
list(SORT all_tests)
list(JOIN all_tests "\n" all_expected)
string(JOIN "\n" all_fixtures
  "default:Db setup x1" "default:Db teardown x1" "default:Net setup x1" "default:Net teardown x1"
  "options:Db setup x4" "options:Db teardown x4" "options:Net setup x2" "options:Net teardown x2")

foreach(round IN ITEMS 1 2)
  file(REMOVE "${log}")
  module_test_run("ctest -j2, round ${round}"
    COMMAND "${CTEST_COMMAND}" -j2 --timeout 120 --output-on-failure
    WORKING_DIRECTORY "${BUILD_DIR}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
  ctest_statuses(statuses "${output}")
  module_test_assert_equal("round ${round}: the result of each test${context}" "${statuses}" "${all_expected}")
  module_test_assert_equal("round ${round}: ctest's exit code (Db.Broken fails)" "${result}" "8")
  fixture_counts(counts)
  module_test_assert_equal("round ${round}: fixture runs (default: once per suite; options: once per case)"
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
ctest_statuses(statuses "${output}")
module_test_assert_equal("one case: the result of each test${context}" "${statuses}"
  "Db.Insert: Passed\nctestd.session.close: Passed\nctestd.session.open: Passed")
module_test_assert_equal("one case: ctest's exit code" "${result}" "0")
fixture_counts(counts)
module_test_assert_equal("one case: fixture runs" "${counts}" "default:Db setup x1\ndefault:Db teardown x1")

# 4. The same tree through `ctestd --test-dir`: every registration is read as
# a case of mini_tests and grouped as registered (default: per suite,
# options: per case), without the daemon.
file(REMOVE "${log}")
module_test_run("ctestd --test-dir"
  COMMAND "${CTESTD_COMMAND}" --test-dir "${BUILD_DIR}" -j2 --timeout 120 --output-on-failure
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctestd's output --\n${output}\n-- stderr --\n${error}")
ctest_statuses(statuses "${output}")
module_test_assert_equal("ctestd --test-dir: the result of each test${context}" "${statuses}" "${all_expected}")
module_test_assert_equal("ctestd --test-dir: exit code (Db.Broken fails)" "${result}" "8")
fixture_counts(counts)
module_test_assert_equal("ctestd --test-dir: fixture runs" "${counts}" "${all_fixtures}")
