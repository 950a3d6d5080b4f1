# SPDX-License-Identifier: BSD-3-Clause
# Checks what ctestd_discover_tests() registered in a configured (and maybe
# built) mini-project, without running any test: `ctest -N
# --show-only=json-v1` in BUILD_DIR, rendered as text (every test's name,
# command and properties, in ctest's order), must equal the EXPECTED file.
#
#   cmake -DBUILD_DIR=<mini-project build> -DEXPECTED=<expected/*.txt>
#         -DCTEST_COMMAND=<ctest> -DCTESTD=<the ctestd the project found>
#         -P check_registration.cmake
#
# In the rendering, <CTESTD>, <BUILD> and <CMAKE> stand for the ctestd
# executable, BUILD_DIR and cmake; an argument that is empty or holds a space
# is shown in double quotes; list values are joined with ";". On a mismatch
# the rendering is left in <BUILD_DIR>/registration.actual.txt, ready to be
# diffed (or, after review, copied over the expected file).

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(BUILD_DIR EXPECTED CTEST_COMMAND CTESTD)

module_test_run("list the registered tests: ctest -N --show-only=json-v1"
  COMMAND "${CTEST_COMMAND}" -N --show-only=json-v1
  WORKING_DIRECTORY "${BUILD_DIR}"
  OUTPUT_VARIABLE json
  ERROR_VARIABLE stderr)

# Appends one rendered argument to text.
function(render_argument text value)
  if(value STREQUAL "" OR value MATCHES "[ \t]")
    set(value "\"${value}\"")
  endif()
  set(${text} "${${text}} ${value}" PARENT_SCOPE)
endfunction()

# Sets out to a JSON value as text: arrays joined with ";".
function(render_value out json)
  string(JSON type TYPE "${json}")
  if(type STREQUAL "ARRAY")
    string(JSON count LENGTH "${json}")
    set(text "")
    if(count GREATER 0)
      math(EXPR last "${count} - 1")
      foreach(i RANGE ${last})
        string(JSON item GET "${json}" ${i})
        if(i GREATER 0)
          string(APPEND text ";")
        endif()
        string(APPEND text "${item}")
      endforeach()
    endif()
  elseif(type STREQUAL "BOOLEAN")
    string(JSON text GET "${json}")
    if(text)
      set(text true)
    else()
      set(text false)
    endif()
  else()
    string(JSON text GET "${json}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(JSON tests GET "${json}" tests)
string(JSON test_count LENGTH "${tests}")
set(actual "")
if(test_count GREATER 0)
  math(EXPR last_test "${test_count} - 1")
  foreach(t RANGE ${last_test})
    string(JSON test GET "${tests}" ${t})
    string(JSON name GET "${test}" name)
    string(APPEND actual "${name}\n")
    string(JSON command ERROR_VARIABLE no_command GET "${test}" command)
    if(no_command STREQUAL "NOTFOUND")
      set(line "  command:")
      string(JSON argc LENGTH "${command}")
      math(EXPR last_arg "${argc} - 1")
      foreach(a RANGE ${last_arg})
        string(JSON argument GET "${command}" ${a})
        render_argument(line "${argument}")
      endforeach()
      string(APPEND actual "${line}\n")
    else()
      string(APPEND actual "  command: (none: ctest cannot find the executable)\n")
    endif()
    string(JSON properties ERROR_VARIABLE no_properties GET "${test}" properties)
    if(no_properties STREQUAL "NOTFOUND")
      string(JSON property_count LENGTH "${properties}")
      set(lines "")
      math(EXPR last_property "${property_count} - 1")
      foreach(p RANGE ${last_property})
        string(JSON property_name GET "${properties}" ${p} name)
        string(JSON value_json GET "${properties}" ${p} value)
        string(JSON value_type TYPE "${properties}" ${p} value)
        if(value_type STREQUAL "STRING")
          set(value "${value_json}")
        elseif(value_type STREQUAL "BOOLEAN")
          # GET gives ON/OFF for a boolean.
          if(value_json)
            set(value true)
          else()
            set(value false)
          endif()
        else()
          render_value(value "${value_json}")
        endif()
        # One line per property, sorted below; ";" or a square bracket
        # would split the list, or stop it from splitting.
        set(line "  ${property_name}: ${value}")
        string(REPLACE ";" "<SEMICOLON>" line "${line}")
        string(REPLACE "[" "<OPEN>" line "${line}")
        string(REPLACE "]" "<CLOSE>" line "${line}")
        list(APPEND lines "${line}")
      endforeach()
      list(SORT lines)
      foreach(line IN LISTS lines)
        string(REPLACE "<SEMICOLON>" ";" line "${line}")
        string(REPLACE "<OPEN>" "[" line "${line}")
        string(REPLACE "<CLOSE>" "]" line "${line}")
        string(APPEND actual "${line}\n")
      endforeach()
    endif()
  endforeach()
endif()

string(REPLACE "${CTESTD}" "<CTESTD>" actual "${actual}")
string(REPLACE "${BUILD_DIR}" "<BUILD>" actual "${actual}")
string(REPLACE "${CMAKE_COMMAND}" "<CMAKE>" actual "${actual}")

file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${BUILD_DIR}/registration.actual.txt" "${actual}")
  find_program(DIFF diff)
  set(difference "")
  if(DIFF)
    execute_process(COMMAND "${DIFF}" -u "${EXPECTED}" "${BUILD_DIR}/registration.actual.txt"
      OUTPUT_VARIABLE difference RESULT_VARIABLE ignored)
  endif()
  message(FATAL_ERROR "check_registration: the registered tests differ from ${EXPECTED}\n"
    "(actual: ${BUILD_DIR}/registration.actual.txt)\n${difference}\n-- ctest's stderr --\n${stderr}")
endif()
message(STATUS "${test_count} tests registered as expected (${EXPECTED})")
