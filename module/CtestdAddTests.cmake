# SPDX-License-Identifier: BSD-3-Clause
#
# The build- and test-time half of ctestd_discover_tests() (ctestd.cmake):
# lists the cases of one test executable with `ctestd list --json` and writes
# the CTest file that registers one test per case. Not meant to be included
# by projects; ctestd_discover_tests() arranges for it to run.
#
# Three ways in, all reading the parameters file that ctestd_discover_tests()
# generates (<target>[H]_ctestd_parameters[-<config>].cmake):
#
#   cmake -D CTESTD_DISCOVERY_PARAMETERS=<file> -P CtestdAddTests.cmake
#       DISCOVERY_MODE POST_BUILD, right after the link. A failed listing
#       fails the build.
#   include(CtestdAddTests.cmake) then ctestd_discover_tests_impl(<file>)
#       DISCOVERY_MODE PRE_TEST, from the generated include file, while ctest
#       reads its test files. A failed listing is a warning.
#   cmake -D CTESTD_DISCOVERY_ERROR=<message> -P CtestdAddTests.cmake
#       the command of the <target>_DISCOVERY_FAILED test: prints the
#       message and fails.
#
# Either way a failed listing replaces the call's tests with that one failing
# test, so an old list never passes for a new executable.

block(SCOPE_FOR POLICIES)
cmake_policy(VERSION 3.25...3.31)

include("${CMAKE_CURRENT_LIST_DIR}/CtestdBracket.cmake") # _ctestd_bracket()

# Sets ${out} to a string that does not occur in text, starting from base.
function(_ctestd_add_tests_placeholder out text base)
  set(placeholder "${base}")
  string(FIND "${text}" "${placeholder}" found)
  while(NOT found EQUAL -1)
    string(APPEND placeholder "_")
    string(FIND "${text}" "${placeholder}" found)
  endwhile()
  set(${out} "${placeholder}" PARENT_SCOPE)
endfunction()

# Sets ${out} to the elements of the JSON array text (JSON objects), as a
# CMake list in which ";", "[" and "]" are replaced by the placeholders.
#
# string(JSON GET <array> <i>) parses the whole array for every element,
# which takes seconds for a few thousand cases. CMake's own JSON writer puts
# each element of an array of objects between a line "  {" and a line "  }"
# or "  },", and a JSON string never holds a raw newline, so the elements
# can be cut out of the array text in one pass. That layout is CMake's, not
# ctestd's; should a CMake version write it differently, the count will not
# match and the slow way is taken.
function(_ctestd_add_tests_split_objects out array semicolon open close)
  string(JSON expected LENGTH "${array}")
  string(REPLACE ";" "${semicolon}" text "${array}")
  string(REPLACE "[" "${open}" text "${text}")
  string(REPLACE "]" "${close}" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(objects "")
  set(count 0)
  set(object "")
  set(inside FALSE)
  foreach(line IN LISTS lines)
    if(line STREQUAL "  {")
      set(object "{")
      set(inside TRUE)
    elseif(inside AND line MATCHES "^  },?$")
      list(APPEND objects "${object}}")
      math(EXPR count "${count} + 1")
      set(inside FALSE)
    elseif(inside)
      string(APPEND object "${line}")
    endif()
  endforeach()
  if(NOT count EQUAL expected)
    set(objects "")
    if(expected GREATER 0)
      math(EXPR last "${expected} - 1")
      foreach(index RANGE ${last})
        string(JSON object GET "${array}" ${index})
        string(REPLACE "\n" " " object "${object}")
        string(REPLACE ";" "${semicolon}" object "${object}")
        string(REPLACE "[" "${open}" object "${object}")
        string(REPLACE "]" "${close}" object "${object}")
        list(APPEND objects "${object}")
      endforeach()
    endif()
  endif()
  set(${out} "${objects}" PARENT_SCOPE)
endfunction()

# Sets <out> to <seconds> (a decimal number, as TIMEOUT takes it) in whole
# milliseconds: CMake's math() has integers only.
function(_ctestd_add_tests_milliseconds out seconds)
  if(seconds MATCHES "^([0-9]*)\\.?([0-9]*)$")
    set(whole "${CMAKE_MATCH_1}")
    set(fraction "${CMAKE_MATCH_2}000")
    if(whole STREQUAL "")
      set(whole 0)
    endif()
    string(SUBSTRING "${fraction}" 0 3 fraction)
    string(REGEX REPLACE "^0+([0-9])" "\\1" fraction "${fraction}")
    math(EXPR milliseconds "${whole} * 1000 + ${fraction}")
  else()
    set(milliseconds 0)
  endif()
  set(${out} "${milliseconds}" PARENT_SCOPE)
endfunction()

# Lists the cases and writes the CTest file named in the parameters file. On
# failure the CTest file holds a failing <target>_DISCOVERY_FAILED test, a
# marker file <CTest file>.failed makes PRE_TEST list again next time, and
# CTESTD_DISCOVERY_FAILED is set in the caller's scope to the reason.
function(ctestd_discover_tests_impl parameters_file)
  include("${parameters_file}")
  set(target "${_ctestd_TARGET}")
  set(executable "${_ctestd_EXECUTABLE}")
  cmake_language(EVAL CODE "set(list_options ${_ctestd_LIST_OPTIONS})")
  set(command "${_ctestd_CTESTD}" list --json ${list_options} "${executable}")
  string(REPLACE ";" " " command_text "${command}")

  set(error "")
  if(NOT EXISTS "${executable}")
    set(error "the test executable does not exist")
  else()
    execute_process(
      COMMAND ${command}
      WORKING_DIRECTORY "${_ctestd_DISCOVERY_DIRECTORY}"
      TIMEOUT ${_ctestd_DISCOVERY_TIMEOUT}
      RESULT_VARIABLE result
      OUTPUT_VARIABLE output
      ERROR_VARIABLE error_output)
    string(STRIP "${error_output}" error_output)
    if(result MATCHES "timeout")
      set(error "listing the cases took longer than DISCOVERY_TIMEOUT (${_ctestd_DISCOVERY_TIMEOUT} s)")
    elseif(NOT result STREQUAL "0")
      # ctestd puts the reason both in the JSON and on stderr; prefer the
      # JSON, which names the executable's own problem.
      string(JSON reason ERROR_VARIABLE json_error GET "${output}" executables 0 error)
      if(json_error STREQUAL "NOTFOUND")
        set(error "${reason}")
      elseif(NOT error_output STREQUAL "")
        set(error "${error_output}")
      else()
        set(error "ctestd exited with ${result}")
      endif()
      string(APPEND error " (exit code: ${result})")
    else()
      string(JSON kind ERROR_VARIABLE json_error GET "${output}" kind)
      string(JSON version ERROR_VARIABLE version_error GET "${output}" version)
      string(JSON listed ERROR_VARIABLE listed_error LENGTH "${output}" executables)
      if(NOT json_error STREQUAL "NOTFOUND")
        set(error "ctestd printed something that is not its JSON listing: ${json_error}")
      elseif(NOT kind STREQUAL "ctestdList" OR NOT version STREQUAL "1")
        string(CONCAT error "ctestd printed a listing of kind '${kind}', version '${version}'; "
          "this module reads kind 'ctestdList', version 1 (is ctestd newer than its CMake module?)")
      elseif(NOT listed_error STREQUAL "NOTFOUND" OR NOT listed EQUAL 1)
        set(error "ctestd's listing does not hold exactly one executable")
      else()
        string(JSON reason ERROR_VARIABLE no_reason GET "${output}" executables 0 error)
        if(no_reason STREQUAL "NOTFOUND")
          set(error "${reason}")
        endif()
      endif()
    endif()
  endif()

  string(CONCAT script
    "# Generated by ctestd_discover_tests(${target}) (CtestdAddTests.cmake) from\n"
    "# ${command_text}\n")

  if(error STREQUAL "")
    string(JSON framework ERROR_VARIABLE framework_error GET "${output}" executables 0 framework)
    string(JSON group_by ERROR_VARIABLE group_by_error GET "${output}" executables 0 groupBy)
    string(JSON cases ERROR_VARIABLE cases_error GET "${output}" executables 0 cases)
    if(NOT framework_error STREQUAL "NOTFOUND" OR NOT group_by_error STREQUAL "NOTFOUND"
       OR NOT cases_error STREQUAL "NOTFOUND")
      set(error "ctestd's listing lacks the executable's framework, groupBy or cases")
    endif()
  endif()
  if(error STREQUAL "")
    _ctestd_add_tests_placeholder(semicolon "${cases}" "<ctestd:semicolon>")
    _ctestd_add_tests_placeholder(open "${cases}" "<ctestd:open>")
    _ctestd_add_tests_placeholder(close "${cases}" "<ctestd:close>")
    _ctestd_add_tests_split_objects(objects "${cases}" "${semicolon}" "${open}" "${close}")

    _ctestd_bracket(q_client "${_ctestd_CLIENT}")
    _ctestd_bracket(q_build_dir "${_ctestd_BUILD_DIR}")
    _ctestd_bracket(q_executable "${executable}")
    _ctestd_bracket(q_framework "${framework}")
    _ctestd_bracket(q_group_by "${group_by}")
    set(command_start "${q_client} case --build-dir ${q_build_dir} --executable ${q_executable} \
--framework ${q_framework} --group-by ${q_group_by}")
    # A case's answer waits for its group: the CTest TIMEOUT of its client
    # covers the whole group, the case's own limit going to the daemon.
    set(group_sizes_keys "")
    if(NOT _ctestd_CASE_TIMEOUT STREQUAL "")
      foreach(object IN LISTS objects)
        string(REPLACE "${semicolon}" ";" object "${object}")
        string(REPLACE "${open}" "[" object "${object}")
        string(REPLACE "${close}" "]" object "${object}")
        string(JSON group ERROR_VARIABLE group_error GET "${object}" group)
        if(group_error STREQUAL "NOTFOUND")
          string(MD5 group_key "${group}")
          if(NOT DEFINED group_size_${group_key})
            set(group_size_${group_key} 0)
          endif()
          math(EXPR group_size_${group_key} "${group_size_${group_key}} + 1")
        endif()
      endforeach()
      _ctestd_add_tests_milliseconds(case_timeout_ms "${_ctestd_CASE_TIMEOUT}")
    endif()
    set(test_list "")
    foreach(object IN LISTS objects)
      string(REPLACE "${semicolon}" ";" object "${object}")
      string(REPLACE "${open}" "[" object "${object}")
      string(REPLACE "${close}" "]" object "${object}")
      string(JSON name ERROR_VARIABLE name_error GET "${object}" name)
      string(JSON selector ERROR_VARIABLE selector_error GET "${object}" selector)
      string(JSON disabled ERROR_VARIABLE disabled_error GET "${object}" disabled)
      string(JSON group ERROR_VARIABLE group_error GET "${object}" group)
      string(JSON file ERROR_VARIABLE file_error GET "${object}" file)
      string(JSON line ERROR_VARIABLE line_error GET "${object}" line)
      if(NOT name_error STREQUAL "NOTFOUND" OR NOT selector_error STREQUAL "NOTFOUND" OR name STREQUAL ""
         OR selector STREQUAL "")
        set(error "ctestd listed a case without a name or selector: ${object}")
        break()
      endif()
      if(NOT disabled_error STREQUAL "NOTFOUND")
        set(disabled OFF)
      endif()
      if(NOT disabled AND NOT group_error STREQUAL "NOTFOUND")
        set(error "ctestd listed the case '${name}' without a fixture group")
        break()
      endif()

      set(test_name "${_ctestd_TEST_PREFIX}${name}${_ctestd_TEST_SUFFIX}")
      _ctestd_bracket(q_name "${test_name}")
      _ctestd_bracket(q_selector "${selector}")
      if(group_error STREQUAL "NOTFOUND")
        _ctestd_bracket(q_group "${group}")
        set(group_arguments " --group ${q_group}")
      else()
        set(group_arguments "")
      endif()
      # Where the case is defined, for IDEs' source links (VS Code reads
      # DEF_SOURCE_LINE first), when the framework says.
      set(source_line "")
      if(file_error STREQUAL "NOTFOUND" AND line_error STREQUAL "NOTFOUND" AND NOT file STREQUAL ""
         AND line GREATER 0)
        _ctestd_bracket(q_source_line "${file}:${line}")
        set(source_line " DEF_SOURCE_LINE ${q_source_line}")
      endif()
      set(timeout "")
      if(NOT _ctestd_CASE_TIMEOUT STREQUAL "")
        set(group_size 1)
        if(group_error STREQUAL "NOTFOUND")
          string(MD5 group_key "${group}")
          set(group_size ${group_size_${group_key}})
        endif()
        math(EXPR timeout_ms "${case_timeout_ms} * ${group_size} + 30000")
        math(EXPR timeout_seconds "${timeout_ms} / 1000")
        math(EXPR timeout_fraction "${timeout_ms} % 1000 + 1000")
        string(SUBSTRING "${timeout_fraction}" 1 3 timeout_fraction)
        set(timeout " TIMEOUT ${timeout_seconds}.${timeout_fraction}")
      endif()
      string(APPEND script
        "add_test(${q_name} ${command_start}${group_arguments} --selector ${q_selector}${_ctestd_CASE_ARGUMENTS})\n")
      if(disabled)
        string(APPEND script
          "set_tests_properties(${q_name} PROPERTIES${source_line}${timeout}${_ctestd_PROPERTIES} DISABLED TRUE)\n")
      else()
        string(APPEND script
          "set_tests_properties(${q_name} PROPERTIES${source_line}${timeout}${_ctestd_PROPERTIES})\n")
      endif()
      # As gtest_discover_tests, names a CMake list cannot hold are left out
      # of TEST_LIST: with a square bracket (an unbalanced one swallows the
      # rest of the list) or a trailing backslash (it would escape the ";"
      # after it). A ";" is escaped, here and in the written list.
      if(NOT test_name MATCHES [=[(\[|\]|\\$)]=])
        string(REPLACE ";" "\\;" test_name "${test_name}")
        list(APPEND test_list "${test_name}")
      endif()
    endforeach()
  endif()

  if(NOT error STREQUAL "")
    string(CONCAT message "ctestd_discover_tests(${target}): cannot list the cases of ${executable}\n"
      "  ${error}\n"
      "  Command: ${command_text}\n"
      "  Working directory: ${_ctestd_DISCOVERY_DIRECTORY}")
    _ctestd_bracket(q_name "${target}_DISCOVERY_FAILED")
    _ctestd_bracket(q_cmake "${_ctestd_CMAKE_COMMAND}")
    _ctestd_bracket(q_message "CTESTD_DISCOVERY_ERROR=${message}")
    _ctestd_bracket(q_script "${CMAKE_CURRENT_FUNCTION_LIST_FILE}")
    string(APPEND script
      "add_test(${q_name} ${q_cmake} -D ${q_message} -P ${q_script})\n")
    set(test_list "")
    file(WRITE "${_ctestd_CTEST_FILE}.failed" "${message}\n")
  else()
    file(REMOVE "${_ctestd_CTEST_FILE}.failed")
  endif()

  _ctestd_bracket(q_list "${_ctestd_TEST_LIST}")
  set(list_arguments "")
  foreach(test_name IN LISTS test_list)
    # One element per test: a ";" in a name is escaped.
    string(REPLACE ";" "\\;" test_name "${test_name}")
    _ctestd_bracket(quoted "${test_name}")
    string(APPEND list_arguments " ${quoted}")
  endforeach()
  string(APPEND script "set(${q_list}${list_arguments})\n")

  # Written whole, then renamed: ctest never reads half a file.
  file(WRITE "${_ctestd_CTEST_FILE}.tmp" "${script}")
  file(RENAME "${_ctestd_CTEST_FILE}.tmp" "${_ctestd_CTEST_FILE}")

  if(NOT error STREQUAL "")
    if(_ctestd_MODE STREQUAL "PRE_TEST")
      message(WARNING "${message}")
    endif()
    set(CTESTD_DISCOVERY_FAILED "${message}" PARENT_SCOPE)
  else()
    unset(CTESTD_DISCOVERY_FAILED PARENT_SCOPE)
  endif()
endfunction()

endblock()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(DEFINED CTESTD_DISCOVERY_ERROR)
    message(FATAL_ERROR "${CTESTD_DISCOVERY_ERROR}")
  elseif(DEFINED CTESTD_DISCOVERY_PARAMETERS)
    ctestd_discover_tests_impl("${CTESTD_DISCOVERY_PARAMETERS}")
    if(DEFINED CTESTD_DISCOVERY_FAILED)
      message(FATAL_ERROR "${CTESTD_DISCOVERY_FAILED}")
    endif()
  else()
    message(FATAL_ERROR "CtestdAddTests.cmake: run by ctestd_discover_tests() with "
      "-D CTESTD_DISCOVERY_PARAMETERS=<file> or -D CTESTD_DISCOVERY_ERROR=<message>")
  endif()
endif()
