# SPDX-License-Identifier: BSD-3-Clause
# module.fresh_results: results come only from the build a client sees, in
# its own ctest invocation, and no group work outlives that invocation.
#   0. The registration gives each case DEF_SOURCE_LINE (file:line of its
#      definition, for IDEs' source links).
#   1. `ctest -R '^S\.C1$'`: S.C1 passes; nothing of its group (S.C5 takes
#      3 s) runs on after ctest returns: 4 s later, S.C5's log is as it was
#      when ctest returned. The daemon, still up for a moment, holds no file
#      it inherited from ctest through its first client (LastTest.log.tmp).
#   2. Rebuild with S.C3 failing, then `ctest -R '^S\.C3$'` at once: S.C3
#      fails. (It used to be answered Passed from the previous invocation's
#      run of the old binary.)
#   3. The daemon killed with SIGKILL while S.C5's client waits: the client
#      fails at once, saying the daemon went away (it used to wait forever),
#      and the next `ctest -R '^S\.C1$'` starts a new daemon and passes.
#   5. Debugging: gdb on S.C1's registered command (`ctestd case ...`) stops
#      at a breakpoint in S.C1's body, since a traced client runs the case
#      itself, by exec (skipped with a message without gdb); and
#      `CTESTD_DIRECT=1 ctest -R '^S\.C3$'` runs the test executable itself:
#      S.C3 fails with gtest's own output.
#   6. TIMEOUT 3 is each case's own limit: five 1 s cases of one group all
#      pass under `ctest -j8` (their clients used to time out waiting behind
#      each other); a hanging case fails with its output and the timeout, and
#      the skipped case after it is skipped.
#   4. The tree's state removed (as by `rm -rf build` and configuring again)
#      while that daemon still lives: the next `ctest -R '^S\.C1$'` works at
#      once. (The socket path used to be derived from the tree's path, so the
#      old daemon held it and every test failed for up to two minutes.)
#
#   cmake -DBUILD_DIR=<built fresh/> -DCTEST_COMMAND=<ctest> -DCTESTD_COMMAND=<ctestd> -P run_fresh_results.cmake

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(BUILD_DIR CTEST_COMMAND CTESTD_COMMAND)

# 0. DEF_SOURCE_LINE of S.C1: the line of its TEST() in the source.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/fresh/fresh_tests.cpp" source_lines)
set(number 0)
set(c1_line 0)
foreach(source_line IN LISTS source_lines)
  math(EXPR number "${number} + 1")
  if(source_line STREQUAL "TEST(S, C1)")
    set(c1_line ${number})
  endif()
endforeach()
file(GLOB registrations "${BUILD_DIR}/fresh_tests*_ctestd_tests.cmake")
set(registration "")
foreach(file IN LISTS registrations)
  file(READ "${file}" text)
  string(APPEND registration "${text}")
endforeach()
module_test_assert_matches("S.C1's registration" "${registration}"
  "set_tests_properties\\(\\[=\\[S\\.C1\\]=\\] PROPERTIES DEF_SOURCE_LINE \\[=\\[[^]]*/fresh/fresh_tests\\.cpp:${c1_line}\\]=\\]")

set(log "${BUILD_DIR}/fresh.log")
file(REMOVE "${log}")
set(ENV{FRESH_LOG} "${log}")

module_test_run("ctest -R S.C1 on the first build"
  COMMAND "${CTEST_COMMAND}" -R "^S\\.C1$" --timeout 60 --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_assert_equal("ctest -R S.C1 exit code${context}" "${result}" "0")
module_test_console_statuses(statuses "${output}")
string(JOIN "\n" expected "S.C1: Passed" "ctestd.session.close: Passed" "ctestd.session.open: Passed")
module_test_assert_equal("ctest -R S.C1 statuses${context}" "${statuses}" "${expected}")

set(at_return "")
if(EXISTS "${log}")
  file(READ "${log}" at_return)
endif()

file(STRINGS "${BUILD_DIR}/.ctestd/serve.lock" daemon_pid LIMIT_COUNT 1)
file(GLOB daemon_fds "/proc/${daemon_pid}/fd/*")
set(inherited "")
foreach(fd IN LISTS daemon_fds)
  file(READ_SYMLINK "${fd}" target)
  if(target MATCHES "LastTest")
    list(APPEND inherited "${fd} -> ${target}")
  endif()
endforeach()
if(NOT daemon_fds)
  message(SEND_ERROR "the daemon (pid '${daemon_pid}') was not running right after ctest returned")
endif()
module_test_assert_equal("files the daemon inherited from ctest" "${inherited}" "")
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 4)
set(later "")
if(EXISTS "${log}")
  file(READ "${log}" later)
endif()
module_test_assert_equal("work left running after ctest -R S.C1 returned (S.C5's log)" "${later}" "${at_return}")

module_test_run("rebuild with S.C3 failing"
  COMMAND "${CMAKE_COMMAND}" -DFRESH_C3_FAILS=ON "${BUILD_DIR}")
module_test_run("build" COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}")

module_test_run("ctest -R S.C3 on the new build"
  COMMAND "${CTEST_COMMAND}" -R "^S\\.C3$" --timeout 60 --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_assert_equal("ctest -R S.C3 exit code${context}" "${result}" "8")
module_test_console_statuses(statuses "${output}")
string(JOIN "\n" expected "S.C3: Failed" "ctestd.session.close: Passed" "ctestd.session.open: Passed")
module_test_assert_equal("ctest -R S.C3 statuses${context}" "${statuses}" "${expected}")
module_test_assert_matches("S.C3's output${context}" "${output}" "this build of S.C3 fails")

# 3. A daemon killed while a client waits (S.C5 takes 3 s; the kill comes at
#    1.5 s, through the PID in the daemon's lock file).
set(lock "${BUILD_DIR}/.ctestd/serve.lock")
execute_process(
  COMMAND "${CTEST_COMMAND}" -R "^S\\.C5$" --timeout 60 --output-on-failure
  COMMAND sh -c "(sleep 1.5; kill -9 $(head -n 1 '${lock}')) & cat"
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULTS_VARIABLE results
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- output --\n${output}\n-- stderr --\n${error}")
list(GET results 0 ctest_result)
module_test_assert_equal("ctest -R S.C5 with the daemon killed: exit code${context}" "${ctest_result}" "8")
module_test_assert_matches("the waiting client's reason${context}" "${output}${error}" "the daemon for [^\n]* went away before answering")

module_test_run("ctest -R S.C1 after the daemon was killed"
  COMMAND "${CTEST_COMMAND}" -R "^S\\.C1$" --timeout 60 --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_assert_equal("ctest -R S.C1 after the kill: exit code${context}" "${result}" "0")

# 4. The old daemon is still up (it stays 2 s after a session closes).
file(STRINGS "${BUILD_DIR}/.ctestd/serve.lock" old_daemon LIMIT_COUNT 1)
file(REMOVE_RECURSE "${BUILD_DIR}/.ctestd")
if(NOT EXISTS "/proc/${old_daemon}")
  message(SEND_ERROR "the old daemon (pid ${old_daemon}) was gone before its tree's state was removed")
endif()
module_test_run("ctest -R S.C1 with the tree's state gone and its old daemon alive"
  COMMAND "${CTEST_COMMAND}" -R "^S\\.C1$" --timeout 60 --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_assert_equal("ctest -R S.C1 beside an old daemon: exit code${context}" "${result}" "0")

# 5. Debugging and direct runs.
find_program(GDB gdb)
set(case_command "${CTESTD_COMMAND}" case --build-dir "${BUILD_DIR}" --executable "${BUILD_DIR}/fresh_tests"
  --framework gtest --group-by suite --group S --selector S.C1)
if(GDB)
  module_test_run("gdb on S.C1's command"
    COMMAND "${GDB}" -batch -ex "set breakpoint pending on" -ex "break S_C1_Test::TestBody" -ex run -ex "bt 1"
      -ex kill --args ${case_command}
    WORKING_DIRECTORY "${BUILD_DIR}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  set(context "\n-- gdb's output --\n${output}\n-- stderr --\n${error}")
  module_test_assert_matches("gdb stops in S.C1's body${context}" "${output}" "Breakpoint 1, [^\n]*S_C1_Test::TestBody")
else()
  message(STATUS "skipped: the gdb check (gdb is not installed; Debian package gdb)")
endif()

set(ENV{CTESTD_DIRECT} 1)
module_test_run("CTESTD_DIRECT=1 ctest -R S.C3"
  COMMAND "${CTEST_COMMAND}" -R "^S\\.C3$" --timeout 60 --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
unset(ENV{CTESTD_DIRECT})
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_assert_equal("CTESTD_DIRECT=1 ctest -R S.C3: exit code${context}" "${result}" "8")
module_test_console_statuses(statuses "${output}")
string(JOIN "\n" expected "S.C3: Failed" "ctestd.session.close: Passed" "ctestd.session.open: Passed")
module_test_assert_equal("CTESTD_DIRECT=1 ctest -R S.C3 statuses${context}" "${statuses}" "${expected}")
module_test_assert_matches("S.C3 run directly${context}" "${output}"
  "ctestd case: running [^\n]*fresh_tests directly.*this build of S.C3 fails.*\\[  FAILED  \\] S\\.C3")

# 6. TIMEOUT is the case's own time.
module_test_run("ctest -j8 on the TIMEOUT 3 cases"
  COMMAND "${CTEST_COMMAND}" -j8 -R "^(Slow|Hang)\\." --output-on-failure
  WORKING_DIRECTORY "${BUILD_DIR}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
module_test_assert_equal("ctest -j8 on the TIMEOUT 3 cases: exit code${context}" "${result}" "8")
module_test_console_statuses(statuses "${output}")
string(JOIN "\n" expected "Hang.Forever: Failed" "Hang.Skipped: Skipped" "Slow.C1: Passed" "Slow.C2: Passed"
  "Slow.C3: Passed" "Slow.C4: Passed" "Slow.C5: Passed" "ctestd.session.close: Passed" "ctestd.session.open: Passed")
module_test_assert_equal("ctest -j8 on the TIMEOUT 3 cases: statuses${context}" "${statuses}" "${expected}")
module_test_assert_matches("Hang.Forever's output${context}" "${output}" "Hang.Forever is still going")
module_test_assert_matches("Hang.Forever's reason${context}" "${output}${error}"
  "Hang.Forever \\*\\*\\*Timeout: Timeout: no result within 3 s")
