# SPDX-License-Identifier: BSD-3-Clause
# module.fresh_results: a ctest invocation runs exactly what it selected,
# with results only from the build its clients see and nothing outliving it.
# fresh_tests logs every case it starts ("<case> <pid> <$FRESH_MARK> <cwd>",
# see fresh/fresh_tests.cpp).
#   0. The registration gives each case DEF_SOURCE_LINE (file:line of its
#      definition, for IDEs' source links) and registers nothing else.
#   1. `ctest -R '^S\.C1$'`: S.C1 passes, and it is the only case that ran:
#      S.C2 to S.C5 never start, then or 4 s later (they used to run in the
#      background). The daemon, still up, holds no file it inherited from
#      ctest through its first client (LastTest.log.tmp).
#   2. `ctest -j2 -R '^S\.'`: the five cases run once, in one process, and
#      ctest's own LastTest.log is whole.
#   3. `ctest -R '^S\.C2$' --repeat until-fail:3`: three attempts, each a
#      real run in a process of its own (they used to be answered from the
#      first).
#   4. The environment and working directory of the invoking ctest reach the
#      case, though the daemon was started by an earlier invocation with
#      another environment: FRESH_MARK, set for steps 1-3, is gone in step 4,
#      and sub.S.C1 (registered in fresh/sub) runs in that directory.
#   5. Rebuild with S.C3 failing, then `ctest -R '^S\.C3$'` at once: S.C3
#      fails. (It used to be answered Passed from a run of the old binary.)
#   6. The daemon killed with SIGKILL while S.C5's client waits: the client
#      fails at once, saying the daemon went away (it used to wait forever),
#      and the next `ctest -R '^S\.C1$'` starts a new daemon and passes.
#   7. The tree's state removed (as by `rm -rf build` and configuring again)
#      while that daemon still lives: the next `ctest -R '^S\.C1$'` works at
#      once. (The socket path used to be derived from the tree's path, so the
#      old daemon held it and every test failed for up to two minutes.)
#   8. Debugging: gdb on S.C1's registered command (the light client, which
#      execs `ctestd case`, which execs the test) stops at a breakpoint in
#      S.C1's body (skipped with a message without gdb); and
#      `CTESTD_DIRECT=1 ctest -R '^S\.C3$'` runs the test executable itself:
#      S.C3 fails with gtest's own output.
#   9. TIMEOUT 3 is each case's own limit: five 1 s cases of one group all
#      pass under `ctest -j8` (their clients used to time out waiting behind
#      each other); a hanging case fails with its output and the timeout, and
#      the skipped case after it is skipped.
#  10. Building the registered command's first word, the light client
#      fresh_tests_ctestd_case (as VS Code does), rebuilds fresh_tests.
#  11. A listener of another user at the light client's socket path is
#      refused, naming its uid (root only; skipped with a message).
#  12. Groups run ahead of their clients, within the selection: under
#      `ctest -j2 -R '^(S|T)\.'` both slots wait on S (S.C5 takes 3 s), and
#      T runs meanwhile, before "C5 done". Under `ctest -j2
#      --stop-on-failure`, where ctest stops at S.C3's failure while Slow.C1
#      still runs, T never runs.
#  13. The executable removed while its group runs (once S.C1 has started,
#      under `ctest -j2 -R '^S\.'`): S.C1 and S.C2, whose clients started
#      before, pass from that run; S.C3 to S.C5, whose clients start after,
#      fail saying the executable is gone, never answered from the old run.
#  14. The executable replaced (a copy renamed over it) while its group runs:
#      S.C3 to S.C5 run again, in a second process, from the new file.
#  15. A client killed while it waits on its group (as ctest's TIMEOUT
#      does): ctest reports it killed, and the rest of the group passes,
#      each case started once, in one process.
#  16. A daemon that closes the connection before it accepts the request
#      (CaseAccepted), as one going idle just then does: the client asks
#      again, starting the next daemon, and S.C1 passes. (It used to fail
#      saying the daemon went away.) Skipped with a message without python3.
#  17. Workers outlive their run: `ctest -R '^S\.C1$'`, then `ctest -R
#      '^T\.C1$'`, are run by the same worker process (the test's parent),
#      which is not the daemon, and both pass. The worker got the run's key
#      on stdin: it is not in its environment.
#  18. A client from before CaseRequest.exeid (fresh/old_client.py, python3)
#      is answered with a CaseAnswer that tells it to rebuild its client
#      target, not dropped.
#
#   cmake -DBUILD_DIR=<built fresh/> -DCTEST_COMMAND=<ctest> -DCTESTD_COMMAND=<ctestd> -P run_fresh_results.cmake

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(BUILD_DIR CTEST_COMMAND CTESTD_COMMAND)

# Runs ctest in BUILD_DIR with ARGN, checks its exit code and, unless
# expected_statuses is "-", the sorted "<test>: <status>" lines. Sets
# ctest_output (stdout and stderr) and ctest_context (for messages).
function(fresh_ctest what expected_result expected_statuses)
  module_test_run("${what}"
    COMMAND "${CTEST_COMMAND}" ${ARGN}
    WORKING_DIRECTORY "${BUILD_DIR}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  set(context "\n-- ctest's output --\n${output}\n-- stderr --\n${error}")
  module_test_assert_equal("${what}: exit code${context}" "${result}" "${expected_result}")
  if(NOT expected_statuses STREQUAL "-")
    module_test_console_statuses(statuses "${output}")
    list(JOIN expected_statuses "\n" expected)
    module_test_assert_equal("${what}: statuses${context}" "${statuses}" "${expected}")
  endif()
  set(ctest_output "${output}\n${error}" PARENT_SCOPE)
  set(ctest_context "${context}" PARENT_SCOPE)
endfunction()

set(log "${BUILD_DIR}/fresh.log")
set(ENV{FRESH_LOG} "${log}")
# Sets <out> to the lines of the start log that name <case>, as "<pid> <mark>
# <cwd>", and <out>_pids to their distinct pids.
function(fresh_started out case)
  set(lines "")
  if(EXISTS "${log}")
    file(STRINGS "${log}" lines)
  endif()
  set(found "")
  set(pids "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^${case} ([0-9]+) (.*)$")
      list(APPEND found "${CMAKE_MATCH_1} ${CMAKE_MATCH_2}")
      list(APPEND pids "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES pids)
  set(${out} "${found}" PARENT_SCOPE)
  set(${out}_pids "${pids}" PARENT_SCOPE)
endfunction()
function(fresh_daemon_pid out)
  set(pid "")
  if(EXISTS "${BUILD_DIR}/.ctestd/serve.lock")
    file(STRINGS "${BUILD_DIR}/.ctestd/serve.lock" pid LIMIT_COUNT 1)
  endif()
  set(${out} "${pid}" PARENT_SCOPE)
endfunction()

# A tree left from an earlier run of this test was built with S.C3 failing.
module_test_run("configure with S.C3 passing" COMMAND "${CMAKE_COMMAND}" -DFRESH_C3_FAILS=OFF "${BUILD_DIR}")
module_test_run("build" COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}")

# 0. DEF_SOURCE_LINE of S.C1: the line of its TEST() in the source; and only
#    the user's cases are registered.
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
module_test_run("ctest -N" COMMAND "${CTEST_COMMAND}" -N WORKING_DIRECTORY "${BUILD_DIR}" OUTPUT_VARIABLE listing)
module_test_assert_not_matches("the registered tests" "${listing}" "ctestd\\.")

# 1. One case, and nothing else.
file(REMOVE "${log}")
set(ENV{FRESH_MARK} first)
fresh_ctest("ctest -R S.C1" 0 "S.C1: Passed" -R "^S\\.C1$" --timeout 60 --output-on-failure)
file(READ "${log}" at_return)
module_test_assert_matches("the cases that ran for ctest -R S.C1" "${at_return}" "^S\\.C1 [0-9]+ first [^\n]*\n$")
fresh_daemon_pid(first_daemon)
# One listing of its descriptors: the daemon opens and closes some as it
# goes (the ctest it asks about a selection), so reading them one by one
# races with it.
execute_process(COMMAND ls -l "/proc/${first_daemon}/fd" RESULT_VARIABLE listed OUTPUT_VARIABLE daemon_fds
  ERROR_QUIET)
if(NOT listed STREQUAL "0")
  message(SEND_ERROR "the daemon (pid '${first_daemon}') was not running right after ctest returned")
endif()
string(REGEX MATCHALL "[^\n]*LastTest[^\n]*" inherited "${daemon_fds}")
module_test_assert_equal("files the daemon inherited from ctest" "${inherited}" "")
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 4)
file(READ "${log}" later)
module_test_assert_equal("cases that ran after ctest -R S.C1 returned" "${later}" "${at_return}")

# 2. The whole group: once, in one process.
file(REMOVE "${log}")
fresh_ctest("ctest -j2 -R ^S." 0 "S.C1: Passed;S.C2: Passed;S.C3: Passed;S.C4: Passed;S.C5: Passed"
  -j2 -R "^S\\." --timeout 60 --output-on-failure)
set(all_pids "")
foreach(case IN ITEMS C1 C2 C3 C4 C5)
  fresh_started(started "S\\.${case}")
  list(LENGTH started count)
  module_test_assert_equal("ctest -j2 -R ^S.: starts of S.${case}" "${count}" "1")
  list(APPEND all_pids ${started_pids})
endforeach()
list(REMOVE_DUPLICATES all_pids)
list(LENGTH all_pids processes)
module_test_assert_equal("ctest -j2 -R ^S.: processes of the group (${all_pids})" "${processes}" "1")
# Learning the selection left ctest's own log alone (a `ctest --show-only`
# in the tree itself rewrites Testing/Temporary/LastTest.log under it).
file(READ "${BUILD_DIR}/Testing/Temporary/LastTest.log" last_test_log)
module_test_assert_matches("ctest's LastTest.log" "${last_test_log}" "^Start testing: [^\n]*\n.*Test: S\\.C5\n.*End testing: ")

# 3. --repeat: every attempt runs.
file(REMOVE "${log}")
fresh_ctest("ctest -R S.C2 --repeat until-fail:3" 0 "-" -R "^S\\.C2$" --repeat until-fail:3 --timeout 60)
fresh_started(started "S\\.C2")
list(LENGTH started count)
module_test_assert_equal("ctest --repeat until-fail:3: runs of S.C2${ctest_context}" "${count}" "3")
list(LENGTH started_pids processes)
module_test_assert_equal("ctest --repeat until-fail:3: processes of S.C2" "${processes}" "3")
fresh_started(others "S\\.C[1345]")
module_test_assert_equal("ctest --repeat: other cases that ran" "${others}" "")

# 4. The invoking ctest's environment and directories, with the daemon of step 1.
file(REMOVE "${log}")
unset(ENV{FRESH_MARK})
fresh_ctest("ctest -R S.C1 in two directories" 0 "S.C1: Passed;sub.S.C1: Passed" -R "^(sub\\.)?S\\.C1$" --timeout 60)
fresh_daemon_pid(daemon)
module_test_assert_equal("the daemon of step 4 is the one of step 1" "${daemon}" "${first_daemon}")
fresh_started(started "S\\.C1")
list(SORT started)
list(TRANSFORM started REPLACE "^[0-9]+ " "")
module_test_assert_equal("environment and directory of S.C1 and sub.S.C1" "${started}" "- ${BUILD_DIR};- ${BUILD_DIR}/sub")

# 5. A rebuild between two invocations.
module_test_run("rebuild with S.C3 failing"
  COMMAND "${CMAKE_COMMAND}" -DFRESH_C3_FAILS=ON "${BUILD_DIR}")
module_test_run("build" COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}")
fresh_ctest("ctest -R S.C3 on the new build" 8 "S.C3: Failed" -R "^S\\.C3$" --timeout 60 --output-on-failure)
module_test_assert_matches("S.C3's output${ctest_context}" "${ctest_output}" "this build of S.C3 fails")

# 6. A daemon killed while a client waits (S.C5 takes 3 s; the kill comes at
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
fresh_ctest("ctest -R S.C1 after the daemon was killed" 0 "S.C1: Passed" -R "^S\\.C1$" --timeout 60 --output-on-failure)

# 7. The old daemon is still up (it idles a while after its last invocation).
fresh_daemon_pid(old_daemon)
file(REMOVE_RECURSE "${BUILD_DIR}/.ctestd")
if(NOT EXISTS "/proc/${old_daemon}")
  message(SEND_ERROR "the old daemon (pid ${old_daemon}) was gone before its tree's state was removed")
endif()
fresh_ctest("ctest -R S.C1 with the tree's state gone and its old daemon alive" 0 "S.C1: Passed"
  -R "^S\\.C1$" --timeout 60 --output-on-failure)
execute_process(COMMAND kill "${old_daemon}")

# 8. Debugging and direct runs, through the registered command: the light
#    client execs `ctestd case`, which execs the test.
find_program(GDB gdb)
set(client "${BUILD_DIR}/fresh_tests_ctestd_case")
set(case_command "${client}" case --build-dir "${BUILD_DIR}" --executable "${BUILD_DIR}/fresh_tests"
  --framework gtest --group-by suite --group S --selector S.C1)
module_test_assert_matches("S.C1's registered command" "${registration}"
  "add_test\\(\\[=\\[S\\.C1\\]=\\] \\[=\\[${client}\\]=\\] case ")
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
fresh_ctest("CTESTD_DIRECT=1 ctest -R S.C3" 8 "S.C3: Failed" -R "^S\\.C3$" --timeout 60 --output-on-failure)
unset(ENV{CTESTD_DIRECT})
module_test_assert_matches("S.C3 run directly${ctest_context}" "${ctest_output}"
  "ctestd case: running [^\n]*fresh_tests directly.*this build of S.C3 fails.*\\[  FAILED  \\] S\\.C3")

# 9. TIMEOUT is the case's own time.
fresh_ctest("ctest -j8 on the TIMEOUT 3 cases" 8
  "Hang.Forever: Failed;Hang.Skipped: Skipped;Slow.C1: Passed;Slow.C2: Passed;Slow.C3: Passed;Slow.C4: Passed;Slow.C5: Passed"
  -j8 -R "^(Slow|Hang)\\." --output-on-failure)
module_test_assert_matches("Hang.Forever's output${ctest_context}" "${ctest_output}" "Hang.Forever is still going")
module_test_assert_matches("Hang.Forever's reason${ctest_context}" "${ctest_output}"
  "Hang.Forever \\*\\*\\*Timeout: Timeout: no result within 3 s")

# 10. Building the command's first word (as VS Code does before it runs a
#     test) rebuilds the test executable.
file(TIMESTAMP "${BUILD_DIR}/fresh_tests" before "%s")
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(TOUCH "${CMAKE_CURRENT_LIST_DIR}/fresh/fresh_tests.cpp")
module_test_run("build fresh_tests_ctestd_case" COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}"
  --target fresh_tests_ctestd_case)
file(TIMESTAMP "${BUILD_DIR}/fresh_tests" after "%s")
if(NOT after GREATER before)
  message(SEND_ERROR "building fresh_tests_ctestd_case did not rebuild fresh_tests (${before} -> ${after})")
endif()

# 11. A listener of another user planted where the light client looks for
#     the daemon: refused, saying whose it is. It takes another user, so
#     root only.
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
# The system's python3: the other user must be able to run it.
find_program(PYTHON3 NAMES python3 PATHS /usr/bin /bin NO_DEFAULT_PATH)
# Starts `python3 -c <script>` in the background, behind the command in ARGN
# if any (setpriv, to be another user), waits until it listens on
# <directory>/case.sock, and sets <out> to its pid.
function(fresh_listener out directory script)
  list(JOIN ARGN " " runner)
  execute_process(
    COMMAND sh -c "${runner} '${PYTHON3}' -c \"${script}\" >/dev/null 2>&1 & echo $!"
    OUTPUT_VARIABLE pid OUTPUT_STRIP_TRAILING_WHITESPACE)
  foreach(attempt RANGE 50)
    if(EXISTS "${directory}/case.sock")
      break()
    endif()
    execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 0.1)
  endforeach()
  if(NOT EXISTS "${directory}/case.sock")
    message(SEND_ERROR "the listener (pid ${pid}) did not start listening on ${directory}/case.sock")
  endif()
  set(${out} "${pid}" PARENT_SCOPE)
endfunction()
find_program(SETPRIV setpriv)
if(uid STREQUAL "0" AND PYTHON3 AND SETPRIV)
  set(planted "${BUILD_DIR}/planted")
  string(RANDOM LENGTH 8 suffix)
  set(socket_dir "/tmp/ctestd-planted-${suffix}")
  file(REMOVE_RECURSE "${planted}")
  file(MAKE_DIRECTORY "${planted}/.ctestd" "${socket_dir}")
  file(CHMOD "${socket_dir}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_WRITE
    GROUP_EXECUTE WORLD_READ WORLD_WRITE WORLD_EXECUTE)
  file(WRITE "${planted}/.ctestd/socket" "${socket_dir}/daemon.sock\n${socket_dir}/case.sock\n")
  fresh_listener(listener "${socket_dir}" "import socket, time
s = socket.socket(socket.AF_UNIX)
s.bind('${socket_dir}/case.sock')
s.listen()
time.sleep(60)" "'${SETPRIV}'" --reuid=65534 --regid=65534 --clear-groups)
  module_test_run("the light client against a planted listener"
    COMMAND "${client}" case --build-dir "${planted}" --executable "${BUILD_DIR}/fresh_tests" --framework gtest
      --group-by suite --group S --selector S.C1
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  execute_process(COMMAND kill "${listener}")
  file(REMOVE_RECURSE "${socket_dir}" "${planted}")
  module_test_assert_equal("the light client against a planted listener: exit code\n${error}" "${result}" "1")
  module_test_assert_matches("the light client's reason" "${error}"
    "ctestd case: the daemon socket [^\n]*/case\\.sock belongs to uid 65534, not to this user \\(0\\); refused")
else()
  message(STATUS "skipped: the planted-listener check (it needs root, python3 and setpriv to listen as another user)")
endif()

# 12. Running ahead. Without cost data ctest starts its tests in the order
#     they were added, S before T, so both of its slots wait on S's run.
file(REMOVE "${log}" "${BUILD_DIR}/Testing/Temporary/CTestCostData.txt")
fresh_ctest("ctest -j2 -R ^(S|T)." 8
  "S.C1: Passed;S.C2: Passed;S.C3: Failed;S.C4: Passed;S.C5: Passed;T.C1: Passed;T.C2: Passed"
  -j2 -R "^(S|T)\\." --timeout 60)
file(READ "${log}" started)
module_test_assert_matches("T ran ahead, while S.C5 kept ctest waiting" "${started}" "(^|\n)T\\.C1 [^\n]*\n(.*\n)?C5 done\n")
# ctest orders by the cost data: S.C3 and Slow.C1 (1 s) take its two slots,
# and when S.C3 fails it starts nothing more. T, which the daemon would
# otherwise run in the slot S's run frees, must not run.
file(REMOVE "${log}")
file(WRITE "${BUILD_DIR}/Testing/Temporary/CTestCostData.txt" "S.C3 1 10\nSlow.C1 1 9\nT.C1 1 0.01\nT.C2 1 0.01\n---\n")
fresh_ctest("ctest -j2 --stop-on-failure -R ^(S.C3|Slow.C1|T.)" 8 "S.C3: Failed;Slow.C1: Passed"
  -j2 --stop-on-failure -R "^(S\\.C3|Slow\\.C1|T\\.)" --timeout 60)
file(READ "${log}" started)
module_test_assert_matches("cases that ran for ctest --stop-on-failure" "${started}" "^S\\.C3 [^\n]*\n$")
# 13.-15. Something happens once S.C1 has started: `then` runs in the
#     background of `ctest -j2 -R ^S.` (no cost data: S.C1 and S.C2 take the
#     two slots, and both wait on S's run, which S.C5 makes last 3 s).
function(fresh_ctest_then what then)
  file(REMOVE "${log}" "${BUILD_DIR}/Testing/Temporary/CTestCostData.txt")
  execute_process(
    COMMAND "${CTEST_COMMAND}" -j2 -R "^S\\." --timeout 60 --output-on-failure
    COMMAND sh -c "(until grep -q '^S[.]C1 ' '${log}' 2>/dev/null; do sleep 0.05; done; ${then}) & cat"
    WORKING_DIRECTORY "${BUILD_DIR}"
    TIMEOUT 60
    RESULTS_VARIABLE results
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  set(context "\n-- output --\n${output}\n-- stderr --\n${error}")
  list(GET results 0 result)
  module_test_assert_equal("${what}: exit code${context}" "${result}" "8")
  string(REGEX MATCHALL "Test +#[0-9]+: [^\n]*" lines "${output}")
  list(TRANSFORM lines REPLACE "^Test +#[0-9]+: ([^ ]+) [.]*(.*[^ ]) +[0-9.]+ sec$" "\\1: \\2")
  list(TRANSFORM lines REPLACE ": +" ": ")
  list(SORT lines)
  set(fresh_lines "${lines}" PARENT_SCOPE)
  set(fresh_output "${output}" PARENT_SCOPE)
  set(fresh_context "${context}" PARENT_SCOPE)
endfunction()
function(fresh_processes out)
  fresh_started(started "S\\.C[1-5]")
  list(LENGTH started_pids count)
  set(${out} "${count}" PARENT_SCOPE)
endfunction()

set(exe "${BUILD_DIR}/fresh_tests")
fresh_ctest_then("the executable removed mid-run" "mv '${exe}' '${exe}.moved'")
file(RENAME "${exe}.moved" "${exe}")
module_test_assert_equal("the executable removed mid-run: statuses${fresh_context}" "${fresh_lines}"
  "S.C1: Passed;S.C2: Passed;S.C3: ***Failed;S.C4: ***Failed;S.C5: ***Failed")
foreach(case IN ITEMS C3 C4 C5)
  module_test_assert_matches("the executable removed mid-run: S.${case}'s reason${fresh_context}" "${fresh_output}"
    "ctestd: S\\.${case} \\*\\*\\*Not Run: Unable to find executable: [^\n]*/fresh_tests\n")
endforeach()
fresh_processes(processes)
module_test_assert_equal("the executable removed mid-run: processes" "${processes}" "1")

fresh_ctest_then("the executable replaced mid-run" "cp '${exe}' '${exe}.new' && mv '${exe}.new' '${exe}'")
module_test_assert_equal("the executable replaced mid-run: statuses${fresh_context}" "${fresh_lines}"
  "S.C1: Passed;S.C2: Passed;S.C3: ***Failed;S.C4: Passed;S.C5: Passed")
fresh_processes(processes)
module_test_assert_equal("the executable replaced mid-run: processes" "${processes}" "2")
foreach(case IN ITEMS C3 C4 C5)
  fresh_started(started "S\\.${case}")
  list(LENGTH started_pids count)
  module_test_assert_equal("the executable replaced mid-run: processes that started S.${case}" "${count}" "2")
endforeach()

fresh_ctest_then("a client killed mid-run"
  "pkill -KILL -f -- 'fresh_tests_ctestd_case case .*--selector S[.]C1$'")
module_test_assert_equal("a client killed mid-run: statuses${fresh_context}" "${fresh_lines}"
  "S.C1: Subprocess killed***Exception:;S.C2: Passed;S.C3: ***Failed;S.C4: Passed;S.C5: Passed")
fresh_processes(processes)
module_test_assert_equal("a client killed mid-run: processes" "${processes}" "1")
foreach(case IN ITEMS C1 C2 C3 C4 C5)
  fresh_started(started "S\\.${case}")
  list(LENGTH started count)
  module_test_assert_equal("a client killed mid-run: starts of S.${case}" "${count}" "1")
endforeach()
# 16. A listener in the daemon's place that reads the request and hangs up.
module_test_stop_daemon("${BUILD_DIR}")
if(PYTHON3)
  string(RANDOM LENGTH 8 suffix)
  set(leaving "/tmp/ctestd-leaving-${suffix}")
  file(MAKE_DIRECTORY "${leaving}")
  file(WRITE "${BUILD_DIR}/.ctestd/socket" "${leaving}/daemon.sock\n${leaving}/case.sock\n")
  fresh_listener(listener "${leaving}" "import socket
s = socket.socket(socket.AF_UNIX)
s.bind('${leaving}/case.sock')
s.listen()
c, _ = s.accept()
c.recv(65536)
open('${leaving}/served', 'w').close()
c.close()")
  fresh_ctest("ctest -R S.C1 through a daemon that hangs up unaccepted" 0 "S.C1: Passed"
    -R "^S\\.C1$" --timeout 60 --output-on-failure)
  set(served FALSE)
  if(EXISTS "${leaving}/served")
    set(served TRUE)
  endif()
  execute_process(COMMAND kill "${listener}" ERROR_QUIET)
  file(REMOVE_RECURSE "${leaving}")
  module_test_assert_equal("the leaving daemon got the request first" "${served}" "TRUE")
else()
  message(STATUS "skipped: the unaccepted-request check (it needs python3 to stand in for a leaving daemon)")
endif()

# 17. One worker for two invocations in a row.
set(parents "${BUILD_DIR}/parents.log")
file(REMOVE "${parents}")
set(ENV{FRESH_PARENT_LOG} "${parents}")
fresh_ctest("ctest -R S.C1, a worker's first run" 0 "S.C1: Passed" -R "^S\\.C1$" --timeout 60)
fresh_ctest("ctest -R T.C1, the same worker's next" 0 "T.C1: Passed" -R "^T\\.C1$" --timeout 60)
unset(ENV{FRESH_PARENT_LOG})
file(STRINGS "${parents}" started)
fresh_daemon_pid(daemon)
list(LENGTH started count)
module_test_assert_equal("runs with a parent logged (${started})" "${count}" "2")
list(TRANSFORM started REPLACE "^[^ ]+ " "")
list(GET started 0 first_worker)
list(GET started 1 second_worker)
module_test_assert_equal("the worker of T.C1 is S.C1's" "${second_worker}" "${first_worker}")
if(first_worker STREQUAL daemon)
  message(SEND_ERROR "the test ran as the daemon's child (${daemon}), not a worker's")
endif()
execute_process(COMMAND tr "\\000" "\\n" INPUT_FILE "/proc/${first_worker}/environ"
  RESULT_VARIABLE read OUTPUT_VARIABLE worker_environment)
module_test_assert_equal("reading the waiting worker's environment" "${read}" "0")
module_test_assert_matches("the waiting worker's environment" "${worker_environment}" "(^|\n)PATH=")
module_test_assert_not_matches("the waiting worker's environment" "${worker_environment}" "CTESTD_KEY")

# 18. An older client.
if(PYTHON3)
  module_test_run("a client from before exeid"
    COMMAND "${PYTHON3}" "${CMAKE_CURRENT_LIST_DIR}/fresh/old_client.py" "${BUILD_DIR}" "${BUILD_DIR}/fresh_tests" S.C1
    OUTPUT_VARIABLE answer)
  module_test_assert_matches("the answer to a client from before exeid" "${answer}"
    "^40\n.*the client is older than the daemon; build the test's <target>_ctestd_case target")
else()
  message(STATUS "skipped: the older-client check (it needs python3 to speak for an older client)")
endif()
module_test_stop_daemon("${BUILD_DIR}")
