# SPDX-License-Identifier: BSD-3-Clause
# Shared by the module tests' -P scripts: include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake).
#
#   module_test_require(VAR...)
#       stops the script unless every -D variable named is set
#   module_test_run(<what> COMMAND <command>... [WORKING_DIRECTORY <dir>] [EXPECT_FAILURE]
#                   [RESULT_VARIABLE <var>] [OUTPUT_VARIABLE <var>] [ERROR_VARIABLE <var>])
#       runs one step, printing <what>; without RESULT_VARIABLE it stops the
#       script, with everything the step printed, when the step fails (or,
#       with EXPECT_FAILURE, when it succeeds)
#   module_test_assert_equal(<what> <actual> <expected>)
#   module_test_assert_matches(<what> <text> <regex>)
#   module_test_assert_not_matches(<what> <text> <regex>)
#       message(SEND_ERROR) when the check fails: the script goes on, so every
#       failed check is reported, and exits non-zero at the end
#   module_test_flatten(<var> <text>)
#       <text> with each run of whitespace as one space (CMake wraps its
#       error messages to the terminal width)
#   module_test_console_statuses(<var> <console output>)
#       "<name>: <status>" per result line, sorted
#   module_test_fixture_counts(<var> <fixture log>)
#       "<fixture> setup|teardown xN" per event, sorted
#   module_test_junit_suites(<var> <junit file>)
#       "<name>: <testsuite name>" per <testcase>, sorted

function(module_test_require)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${CMAKE_SCRIPT_MODE_FILE}: -D${var}=... is not set")
    endif()
  endforeach()
endfunction()

function(module_test_run what)
  cmake_parse_arguments(PARSE_ARGV 1 arg "EXPECT_FAILURE" "WORKING_DIRECTORY;RESULT_VARIABLE;OUTPUT_VARIABLE;ERROR_VARIABLE"
    "COMMAND")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "module_test_run: unknown arguments \"${arg_UNPARSED_ARGUMENTS}\"")
  endif()
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  message(STATUS "${what}")
  execute_process(COMMAND ${arg_COMMAND}
    WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  foreach(kind IN ITEMS RESULT OUTPUT ERROR)
    string(TOLOWER "${kind}" value)
    if(arg_${kind}_VARIABLE)
      set(${arg_${kind}_VARIABLE} "${${value}}" PARENT_SCOPE)
    endif()
  endforeach()
  if(arg_RESULT_VARIABLE)
    return()
  endif()
  if(arg_EXPECT_FAILURE AND result STREQUAL "0")
    set(problem "succeeded, but should have failed")
  elseif(NOT arg_EXPECT_FAILURE AND NOT result STREQUAL "0")
    set(problem "failed (exit code: ${result})")
  else()
    return()
  endif()
  string(REPLACE ";" " " command "${arg_COMMAND}")
  message(FATAL_ERROR "${what}: ${problem}\ncommand: ${command}\nin: ${arg_WORKING_DIRECTORY}\n"
    "-- stdout --\n${output}\n-- stderr --\n${error}")
endfunction()

function(module_test_assert_equal what actual expected)
  if(NOT actual STREQUAL expected)
    message(SEND_ERROR "${what}:\n  actual:   '${actual}'\n  expected: '${expected}'")
  endif()
endfunction()

function(module_test_assert_matches what text regex)
  if(NOT text MATCHES "${regex}")
    message(SEND_ERROR "${what}: does not match '${regex}'\n-- text --\n${text}")
  endif()
endfunction()

function(module_test_assert_not_matches what text regex)
  if(text MATCHES "${regex}")
    message(SEND_ERROR "${what}: matches '${regex}', but should not\n-- text --\n${text}")
  endif()
endfunction()

function(module_test_flatten var text)
  string(REGEX REPLACE "[ \t\r\n]+" " " text "${text}")
  string(STRIP "${text}" text)
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

# Sets <out> to "<name>: <status>" lines, sorted, from ctest's (or ctestd's)
# console output; status is Passed, Failed, Skipped, Disabled, or ctest's own
# word.
function(module_test_console_statuses out output)
  string(REGEX MATCHALL "[0-9]+/[0-9]+ Test +#[0-9]+: [^\n]*" lines "${output}")
  set(statuses "")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[0-9]+/[0-9]+ Test +#[0-9]+: (.*[^ .]) \\.*(\\*\\*\\*| +)([A-Za-z][^\n]*[A-Za-z)]) +[0-9.]+ sec$")
      message(SEND_ERROR "cannot read the result line '${line}'")
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

# Sets <out> to "<fixture> setup|teardown xN" lines, sorted, from a fixture
# log ($CTESTD_FIXTURE_LOG, lines "<fixture> setup|teardown <pid>"); a missing
# log has no lines.
function(module_test_fixture_counts out log)
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

# Sets <out> to "<name>: <testsuite name>" lines, sorted, from a JUnit file
# that ctestd wrote (one <testsuite name="..."> or <testcase name="..."> per
# line): the suite says where a case ran (a group of its executable, or
# alone as ctest runs it).
function(module_test_junit_suites out junit)
  set(lines "")
  if(EXISTS "${junit}")
    file(STRINGS "${junit}" elements REGEX "<(testsuite|testcase) ")
    set(suite "")
    foreach(element IN LISTS elements)
      if(element MATCHES "<testsuite name=\"([^\"]*)\"")
        set(suite "${CMAKE_MATCH_1}")
      elseif(element MATCHES "<testcase name=\"([^\"]*)\"")
        # Unescaped, so that "&lt;" does not split the list at its ';'.
        set(line "${CMAKE_MATCH_1}: ${suite}")
        string(REPLACE "&lt;" "<" line "${line}")
        string(REPLACE "&gt;" ">" line "${line}")
        string(REPLACE "&quot;" "\"" line "${line}")
        string(REPLACE "&apos;" "'" line "${line}")
        string(REPLACE "&amp;" "&" line "${line}")
        list(APPEND lines "${line}")
      endif()
    endforeach()
  endif()
  list(SORT lines)
  list(JOIN lines "\n" lines)
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

# Stops the daemon of the build tree <build_dir> (`ctestd serve`, which idles
# a while after its last ctest invocation), by the PID in its lock file: a
# test tears down what it started.
function(module_test_stop_daemon build_dir)
  set(lock "${build_dir}/.ctestd/serve.lock")
  if(NOT EXISTS "${lock}")
    return()
  endif()
  file(STRINGS "${lock}" pid LIMIT_COUNT 1)
  if(pid MATCHES "^[0-9]+$" AND EXISTS "/proc/${pid}")
    execute_process(COMMAND kill "${pid}")
  endif()
endfunction()
